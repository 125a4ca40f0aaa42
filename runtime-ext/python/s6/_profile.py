"""Profiling mode (`s6c profile`): started by `s6._startup` when S6_PROFILE is set.

Environment (all removed from os.environ, so the program sees the same environment as an
unprofiled run):
  S6_PROFILE              where to write the profile (made absolute at start-up); a `%p` in it
                          is the process id, and then the whole process tree is profiled: the
                          settings stay in the C environment (not in os.environ), so child
                          interpreters started by exec (subprocess, multiprocessing spawn and
                          forkserver) profile themselves, and forked children (os.fork,
                          multiprocessing fork, pre-fork servers) start their own profile
                          with zero counts. Each process writes its own file. Without `%p`
                          only this process writes (children write nothing over its file).
  S6_PROFILE_INTERVAL_US  sampling interval in microseconds of CPU time (default 1000)
  S6_PROFILE_SNAPSHOT_MS  period of inline-cache snapshots (default 100)
  S6_PROFILE_LIBS=1       also profile library code (stdlib, site-packages)
  S6_PROFILE_FLUSH_S=N    also write the profile every N seconds (atomically: temporary file and
                          rename), so a process killed with SIGKILL leaves its last flush
  S6_PROFILE_UNTIL=T      at Unix time T stop sampling and write the profile; the program runs on
  S6_VERBOSE=1            say why profiling could not start or sample, and where profiles went

The work is done by `s6._s6` (runtime-ext/src/profiler). The profile is written from an atexit
handler registered first (so it runs last, after the program's own handlers and after an
uncaught exception's traceback has been printed), from a multiprocessing child's last finalizer
(those children leave with os._exit), and on SIGTERM when the program has no handler for it;
nothing is printed unless writing fails.
"""
import os
import sys

from s6 import _abi_stamp as abi_stamp, _abi_stamp_slow, _python_build  # noqa: F401

DEFAULT_INTERVAL_US = 1000
DEFAULT_SNAPSHOT_MS = 100
_VERBOSE = False


_SETTINGS = ("S6_PROFILE", "S6_PROFILE_INTERVAL_US", "S6_PROFILE_SNAPSHOT_MS", "S6_PROFILE_LIBS",
             "S6_PROFILE_FLUSH_S", "S6_PROFILE_UNTIL")


def _int_env(name, default):
    value = os.environ.pop(name, "")
    return int(value) if value.strip() else default


def _float_env(name):
    value = os.environ.pop(name, "")
    return float(value) if value.strip() else 0.0


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


def start_from_env():
    path = os.environ.get("S6_PROFILE", "")
    tree = "%p" in path
    # The settings leave os.environ (the program sees what it would see unprofiled); with `%p`
    # they stay in the C environment that exec'd children inherit.
    kept = {k: os.environ[k] for k in _SETTINGS if k in os.environ} if tree else {}
    os.environ.pop("S6_PROFILE", None)
    verbose = os.environ.get("S6_VERBOSE") == "1"
    try:
        interval = _int_env("S6_PROFILE_INTERVAL_US", DEFAULT_INTERVAL_US)
        snapshot_ms = _int_env("S6_PROFILE_SNAPSHOT_MS", DEFAULT_SNAPSHOT_MS)
        libs = os.environ.pop("S6_PROFILE_LIBS", "") == "1"
        flush_s = _float_env("S6_PROFILE_FLUSH_S")
        until = _float_env("S6_PROFILE_UNTIL")
        for k, v in kept.items():
            os.putenv(k, v)
        if not path:
            return
        if until and until <= __import__("time").time():
            return  # started after the profiling window closed
        path = os.path.abspath(path)
        from s6 import _s6

        own_package = os.path.join(os.path.dirname(os.path.abspath(__file__)), "")
        script = sys.argv[0] if sys.argv else ""
        main_file = os.path.abspath(script) if script and os.path.isfile(script) else None
        warning = _s6._profiler_start(
            interval, snapshot_ms, libs, _library_dirs(), [own_package], main_file,
            path, [str(a) for a in sys.argv], abi_stamp(), flush_s, until, verbose,
        )
    except Exception as e:  # never break the program we were asked to observe
        if verbose:
            print(f"s6: profiling disabled: {e}", file=sys.stderr)
        return
    if warning and verbose:
        print(f"s6: {warning}", file=sys.stderr)
    global _VERBOSE
    _VERBOSE = verbose
    argv = list(sys.argv)
    import atexit

    atexit.register(_finish, argv, verbose)
    os.register_at_fork(after_in_child=_forked)


def _forked():
    """In the child of a fork: profile it too (with `%p`), else stop without writing."""
    from s6 import _s6

    if not _s6._profiler_forked():
        return
    # multiprocessing's fork and forkserver children leave with os._exit after running their
    # finalizers, so atexit never runs there: write from a finalizer that runs last. It is
    # registered by an after-fork callback because Process._bootstrap clears the finalizers
    # inherited from the parent first. multiprocessing is never imported for this.
    util = sys.modules.get("multiprocessing.util")
    if util is not None:
        util.register_after_fork(_forked, _register_finalizer)


def _register_finalizer(_):
    util = sys.modules["multiprocessing.util"]
    util.Finalize(None, _finish, args=(list(sys.argv), _VERBOSE), exitpriority=-(2**62))


def _finish(argv, verbose):
    try:
        from s6 import _s6

        argv = [str(a) for a in (sys.argv if sys.argv and sys.argv != [""] else argv)]
        summary = _s6._profiler_finish(argv)
        if summary is None:  # the child of a fork, or written already
            return
        if verbose:
            print(f"s6: {summary}", file=sys.stderr)
    except BaseException as e:
        print(f"s6: profile not written: {e}", file=sys.stderr)
