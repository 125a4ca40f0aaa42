# The two commands of the README: `make demo` and `make test`. Both start with `make setup`.
# PYTHON picks the CPython 3.11 everything is built for and run with (default: python3 on PATH).
PYTHON ?= python3
VENV   := $(CURDIR)/.venv
VPY    := $(VENV)/bin/python

# pyo3 builds against the venv's interpreter; test binaries that embed Python must load the
# libpython of that same interpreter, not another 3.11 on the system (see docs/ARCHITECTURE.md).
export PYO3_PYTHON := $(VPY)
export LD_LIBRARY_PATH := $(shell $(PYTHON) -c 'import sysconfig;print(sysconfig.get_config_var("LIBDIR") or "")' 2>/dev/null):$(LD_LIBRARY_PATH)

.PHONY: setup wheel test test-rust test-python demo bench lint clean

setup:
	@PYTHON="$(PYTHON)" bash tools/setup.sh

# The pip-installable wheel (path printed; also in target/wheel-path).
wheel:
	@PYTHON="$(PYTHON)" bash tools/setup.sh wheel

test: setup test-rust test-python

test-rust:
	cargo test --workspace --all-targets

test-python:
	$(VPY) -m pytest -q tests

demo: setup
	$(VPY) examples/demo.py

bench: setup
	$(VPY) bench/run.py

lint:
	cargo fmt --all -- --check
	cargo clippy --workspace --all-targets -- -D warnings

clean:
	rm -rf target .venv tests/.work
