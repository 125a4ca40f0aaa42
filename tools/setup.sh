#!/usr/bin/env bash
# `make setup`: create .venv from $PYTHON, install the s6 runtime into it, put s6c at .venv/bin/s6c.
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
want=$(cat tools/requirements.txt | sha256sum | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  "$VPY" -m pip install -q --disable-pip-version-check -r tools/requirements.txt
  echo "$want" > "$stamp"
fi

export PYO3_PYTHON="$VPY"
# The compiler: needs no Python at run time. Release builds get their own target dirs so they
# never wait on (or invalidate) the debug build that `cargo test` uses.
CARGO_TARGET_DIR="$PWD/target/cli" cargo build -q --release -p s6c
install -m 755 target/cli/release/s6c "$VENV/bin/s6c"

# The runtime extension, built as a real extension module (does not link libpython). It gets its
# own target dir because PYO3_BUILD_EXTENSION_MODULE changes pyo3's build configuration.
PYO3_BUILD_EXTENSION_MODULE=1 CARGO_TARGET_DIR="$PWD/target/ext" cargo build -q --release -p s6-runtime
site=$("$VPY" -c 'import sysconfig;print(sysconfig.get_paths()["purelib"])')
case "$site" in
  "$VENV"/*) ;;
  *) echo "setup: $VPY reports site-packages '$site', outside $VENV; remove .venv and retry" >&2; exit 1 ;;
esac
suffix=$("$VPY" -c 'import sysconfig;print(sysconfig.get_config_var("EXT_SUFFIX"))')
# Assemble the package beside its final place, then swap it in, so a running program never sees
# a half-installed s6.
stage=$(mktemp -d "$site/.s6-install.XXXXXX")
cp runtime-ext/python/s6/*.py "$stage/"
# Byte-compiled here, as pip would: with PYTHONDONTWRITEBYTECODE set no process would cache
# them, and every start-up would compile s6 from source (which also creates the ast types).
"$VPY" -m compileall -q -d "$site/s6" "$stage" >/dev/null
install -m 755 target/ext/release/lib_s6.so "$stage/_s6$suffix"
chmod 755 "$stage"
rm -rf "$site/s6.old"
[ -d "$site/s6" ] && mv "$site/s6" "$site/s6.old"
mv "$stage" "$site/s6"
rm -rf "$site/s6.old"
# Start-up hook: does nothing unless S6_CACHE or S6_PROFILE is set.
cp runtime-ext/python/s6.pth "$site/s6.pth"
echo "setup: ok ($("$VPY" -c 'import sys;print(sys.version.split()[0])'), s6c at $VENV/bin/s6c)"
