#!/usr/bin/env bash
# `make setup`: create .venv from $PYTHON, build the s6 wheel (runtime package, extension, s6.pth,
# s6c) and install it into .venv. `tools/setup.sh wheel` (`make wheel`) stops once the wheel is built.
# Idempotent; cargo and pip only redo what changed.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"
VENV="$PWD/.venv"

ver=$("$PYTHON" -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null) || {
  echo "setup: cannot run '$PYTHON'; set PYTHON=/path/to/python3.11" >&2; exit 1; }
if [ "$ver" != "3.11" ]; then
  echo "setup: s6 targets CPython 3.11, but '$PYTHON' is $ver; run: make setup PYTHON=/path/to/python3.11" >&2
  exit 1
fi
# Rebuild the venv only when it is missing or was made from another interpreter (paths compared
# after resolving symlinks: python3 -> python3.11).
real='import os,sys;print(os.path.realpath(getattr(sys, "_base_executable", sys.executable)))'
if [ ! -x "$VENV/bin/python" ] || [ "$("$VENV/bin/python" -c "$real")" != "$("$PYTHON" -c "$real")" ]; then
  rm -rf "$VENV"
  "$PYTHON" -m venv "$VENV"
fi
VPY="$VENV/bin/python"

# Python packages the tests and benchmarks need (pinned).
stamp="$VENV/.requirements.sha"
want=$(cat tools/requirements.txt bench/requirements.txt | sha256sum | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  # bench/requirements.txt: the PyPI libraries of `bench/run.py --set libs`, which
  # tests/test_bench_programs.py runs (pure Python, pinned).
  "$VPY" -m pip install -q --disable-pip-version-check -r tools/requirements.txt -r bench/requirements.txt
  echo "$want" > "$stamp"
fi

export PYO3_PYTHON="$VPY"
# The compiler: needs no Python at run time. Release builds get their own target dirs so they
# never wait on (or invalidate) the debug build that `cargo test` uses.
CARGO_TARGET_DIR="$PWD/target/cli" cargo build -q --release -p s6c
# The wheel (maturin): the s6 package, its extension, s6.pth, and s6c staged as a script.
# The extension gets its own target dir because maturin builds it as an extension module, which
# changes pyo3's build configuration.
rm -rf target/wheel-data target/wheels
mkdir -p target/wheel-data/scripts
install -m 755 target/cli/release/s6c target/wheel-data/scripts/s6c
log=$(mktemp)
if ! "$VENV/bin/maturin" build --release -i "$VPY" --target-dir "$PWD/target/ext" -o target/wheels >"$log" 2>&1; then
  cat "$log" >&2; rm -f "$log"
  echo "setup: maturin could not build the wheel (output above)" >&2; exit 1
fi
rm -f "$log"
wheel=$(ls target/wheels/s6-*.whl)
echo "$PWD/$wheel" > target/wheel-path
if [ "${1:-}" = "wheel" ]; then
  echo "wheel: $wheel"
  exit 0
fi

# Installed exactly as a user would install it, so every test runs what users get. pip also
# byte-compiles the package (with PYTHONDONTWRITEBYTECODE set no process would cache it).
site=$("$VPY" -c 'import sysconfig;print(sysconfig.get_paths()["purelib"])')
case "$site" in
  "$VENV"/*) ;;
  *) echo "setup: $VPY reports site-packages '$site', outside $VENV; remove .venv and retry" >&2; exit 1 ;;
esac
"$VPY" -m pip install -q --disable-pip-version-check --no-index --no-deps --force-reinstall "$wheel"
echo "setup: ok ($("$VPY" -c 'import sys;print(sys.version.split()[0])'), s6c at $VENV/bin/s6c, from $wheel)"
