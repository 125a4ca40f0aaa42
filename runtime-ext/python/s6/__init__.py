"""s6: run profiled, ahead-of-time compiled CPython 3.11 code natively.

`S6_CACHE=DIR python app.py` (through the start-up hook `s6.pth`) or `s6.enable(DIR)` loads the
cache that `s6c build` wrote and runs its functions natively; `s6.disable()` undoes it. A cache
that cannot be used (other interpreter, damaged, altered, unsafe permissions) gives one warning
line on stderr and the program runs unchanged. `S6_STATS=PATH` writes a JSON report at exit
(`%p` in PATH: the process id); `S6_DEOPT_STRESS=N` (tests) makes every Nth eval-breaker poll and `s6_rt_deopt_stress` guard
fail and every (N+1)th native entry start in the interpreter, so deopt paths run while output
stays the same (runtime-ext/src/evaluator/exits.rs); `S6_DEOPT_LIMIT=N` (default 1000, 0 never)
retires a function to the interpreter once it has deopted N times on at least half its native
entries; `S6_VERBOSE=1` says what happens.
"""
import os
import sys

__all__ = ["enable", "disable", "stats"]

_stats_path = None


def _abi_stamp():
    """(python_version, hexversion, bytecode_magic, build_id) of this interpreter: the AbiStamp
    fields of profiles/src/model.rs, computed the same way everywhere (the profiler stamps
    profiles with it too, as `s6._profile.abi_stamp`). Every process that
    activates a cache computes it, so it is read from what start-up already loaded;
    `_abi_stamp_slow` is the definition (platform, sysconfig, importlib.util: ~15 ms of imports),
    used when the fast reading does not apply, and tests check that both agree."""
    # The frozen module start-up already ran is `importlib._bootstrap_external` (importing it
    # by that name would import the `importlib` package and `warnings`: ~0.4 ms).
    external = sys.modules.get("_frozen_importlib_external")
    if external is None:
        import importlib._bootstrap_external as external
    MAGIC_NUMBER, EXTENSION_SUFFIXES = external.MAGIC_NUMBER, external.EXTENSION_SUFFIXES
    magic = int.from_bytes(MAGIC_NUMBER[:2], "little")
    build = _python_build()
    suffix = EXTENSION_SUFFIXES[0] if EXTENSION_SUFFIXES else ""
    if build is None or not (suffix.startswith(".cpython-") and suffix.endswith(".so")):
        return _abi_stamp_slow()
    soabi = suffix[1:-3]
    build_id = f"{sys.implementation.cache_tag} {soabi} {build}"
    return sys.version, sys.hexversion, magic, build_id


def _python_build():
    """`" ".join(platform.python_build())` read off sys.version ("3.11.7 (main, May  9 2026,
    07:35:25) [GCC ...]"), or None when it has another shape."""
    v = sys.version
    start, end = v.find("("), v.find(")")
    if start < 0 or end < start:
        return None
    parts = v[start + 1:end].split(",")
    if len(parts) != 3 or sys.implementation.name != "cpython":
        return None
    buildno, date, time = parts[0].lstrip("#").strip(), parts[1].strip(), parts[2].strip()
    return f"{buildno} {date} {time}"


def _abi_stamp_slow():
    import importlib.util
    import platform
    import sysconfig

    magic = int.from_bytes(importlib.util.MAGIC_NUMBER[:2], "little")
    build = " ".join(platform.python_build())
    build_id = f"{sys.implementation.cache_tag} {sysconfig.get_config_var('SOABI')} {build}"
    return sys.version, sys.hexversion, magic, build_id


def _env_int(name):
    value = os.environ.get(name, "")
    try:
        return max(0, int(value)) if value else 0
    except ValueError:
        _warn(f"{name}={value!r} is not a number; ignored")
        return 0


def _verbose():
    return os.environ.get("S6_VERBOSE") == "1"


def _warn(message):
    sys.stderr.write(f"s6: warning: {message}\n")
    sys.stderr.flush()


def enable(cache_dir):
    """Activate the native code in `cache_dir`. Returns True when it is in use; otherwise prints
    one warning line and returns False (the program continues in the interpreter)."""
    try:
        from s6 import _s6
    except ImportError as e:
        _warn(f"cannot load the s6 runtime ({e}); running without native code")
        return False
    _register_stats()
    reason = _s6._enable(os.fspath(cache_dir), _abi_stamp(), _env_int("S6_DEOPT_STRESS"), _verbose())
    if reason is not None:
        _warn(f"{reason}; running without native code")
        return False
    return True


def disable():
    """Stop running native code (functions already running natively finish normally)."""
    from s6 import _s6

    _s6._disable()


def stats():
    """The statistics report as a dict (the same content `S6_STATS` writes)."""
    import json

    from s6 import _s6

    return json.loads(_s6._stats_json())


def _register_stats():
    global _stats_path
    path = os.environ.get("S6_STATS")
    if not path or _stats_path is not None:
        return
    _stats_path = path
    import atexit

    atexit.register(_write_stats)
    try:
        from s6 import _s6

        # Also on SIGTERM (when the program has no handler for it), and in forked children.
        _s6._stats_on_sigterm(path)
    except (ImportError, OSError):
        pass
    os.register_at_fork(after_in_child=_stats_forked)


def _stats_forked():
    from s6 import _s6

    _s6._term_forked()
    # multiprocessing's fork/forkserver children leave with os._exit after their finalizers:
    # write from the last one (registered after fork, when Process._bootstrap has cleared the
    # parent's). multiprocessing is never imported for this.
    util = sys.modules.get("multiprocessing.util")
    if util is not None:
        util.register_after_fork(_stats_forked, _stats_finalizer)


def _stats_finalizer(_):
    util = sys.modules["multiprocessing.util"]
    util.Finalize(None, _write_stats, exitpriority=-(2**62))


def _write_stats():
    from s6 import _s6

    # `%p` is this process's id, so that subprocesses and forked children, which inherit
    # S6_STATS, each write their own report instead of overwriting one file. Written atomically
    # (temporary file, rename), so a reader never sees half a report.
    error = _s6._write_stats(_stats_path)
    if error:
        _warn(error)


def _enable_from_env():
    """Called by the start-up hook when S6_CACHE is set."""
    cache = os.environ.get("S6_CACHE")
    if cache:
        enable(cache)
