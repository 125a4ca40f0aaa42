"""Profiling mode (`s6c profile`): started by `s6._startup` when S6_PROFILE is set.

Environment (all removed from os.environ, so the program and its children see the same
environment as an unprofiled run):
  S6_PROFILE              where to write the profile (made absolute at start-up)
  S6_PROFILE_INTERVAL_US  sampling interval in microseconds of CPU time (default 1000)
  S6_PROFILE_SNAPSHOT_MS  period of inline-cache snapshots (default 100)
  S6_PROFILE_LIBS=1       also profile library code (stdlib, site-packages)
  S6_VERBOSE=1            say why profiling could not start or sample

The work is done by `s6._s6` (runtime-ext/src/profiler). The profile is written from an atexit
handler registered first (so it runs last, after the program's own handlers and after an
uncaught exception's traceback has been printed); nothing is printed unless writing fails.
"""
import os
import sys

DEFAULT_INTERVAL_US = 1000
DEFAULT_SNAPSHOT_MS = 100


def _int_env(name, default):
    value = os.environ.pop(name, "")
    return int(value) if value.strip() else default


def _library_dirs():
    import site

    dirs = {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix}
    try:
        dirs.update(site.getsitepackages())
        dirs.add(site.getusersitepackages())
    except Exception:
        pass
    out = set()
    for d in dirs:
        if d:
            out.add(os.path.join(d, ""))
            out.add(os.path.join(os.path.realpath(d), ""))
    return sorted(out)


def abi_stamp():
    """(python_version, hexversion, bytecode_magic, build_id) of this interpreter: the AbiStamp
    fields of profiles/src/model.rs, computed the same way everywhere."""
    import importlib.util
    import platform
    import sysconfig

    magic = int.from_bytes(importlib.util.MAGIC_NUMBER[:2], "little")
    build = " ".join(platform.python_build())
    build_id = f"{sys.implementation.cache_tag} {sysconfig.get_config_var('SOABI')} {build}"
    return sys.version, sys.hexversion, magic, build_id


def start_from_env():
    path = os.environ.pop("S6_PROFILE", "")
    verbose = os.environ.get("S6_VERBOSE") == "1"
    try:
        interval = _int_env("S6_PROFILE_INTERVAL_US", DEFAULT_INTERVAL_US)
        snapshot_ms = _int_env("S6_PROFILE_SNAPSHOT_MS", DEFAULT_SNAPSHOT_MS)
        libs = os.environ.pop("S6_PROFILE_LIBS", "") == "1"
        if not path:
            return
        path = os.path.abspath(path)
        from s6 import _s6

        own_package = os.path.join(os.path.dirname(os.path.abspath(__file__)), "")
        script = sys.argv[0] if sys.argv else ""
        main_file = os.path.abspath(script) if script and os.path.isfile(script) else None
        warning = _s6._profiler_start(
            interval, snapshot_ms, libs, _library_dirs(), [own_package], main_file
        )
    except Exception as e:  # never break the program we were asked to observe
        if verbose:
            print(f"s6: profiling disabled: {e}", file=sys.stderr)
        return
    if warning and verbose:
        print(f"s6: {warning}", file=sys.stderr)
    argv = list(sys.argv)
    import atexit

    atexit.register(_finish, path, argv, verbose)
    os.register_at_fork(after_in_child=_s6._profiler_abandon)


def _finish(path, argv, verbose):
    try:
        from s6 import _s6

        argv = [str(a) for a in (sys.argv if sys.argv and sys.argv != [""] else argv)]
        summary = _s6._profiler_finish(path, argv, *abi_stamp())
        if summary is None:  # the child of a fork: the parent writes the profile
            return
        if verbose:
            print(f"s6: profile written to {path}: {summary}", file=sys.stderr)
    except BaseException as e:
        print(f"s6: profile not written to {path}: {e}", file=sys.stderr)
