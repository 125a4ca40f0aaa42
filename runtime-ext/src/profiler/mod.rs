//! The in-process profiler behind `s6c profile` (`S6_PROFILE=path python app.py`).
//!
//! Two mechanisms, neither of which stops CPython from specializing (no PEP 523 hook, no
//! `sys.settrace`/`setprofile`), because its specialization decisions *are* the feedback:
//!
//! * **Hotness** (`sampler`): SIGPROF from `setitimer(ITIMER_PROF)`, an async-signal-safe stack
//!   walk into a lock-free table keyed by code pointer. Measured: ~20 ns per walk for 1 frame,
//!   ~200-600 ns for 100 (`_sampler_cost_ns`), plus about a microsecond of kernel signal
//!   delivery. The kernel advances CPU timers per tick, so the default 1000 us interval yields
//!   one sample per tick (~250/s at HZ=250): well under 0.1% of CPU.
//! * **Feedback** (`ticker` + `harvest` + `resolve`): every `snapshot_ms` (default 100) a Rust
//!   thread takes the GIL, reads the live inline caches (`co_code_adaptive`) of every
//!   profiled, quickened code object and names what they hold. Snapshotting during the run, not
//!   only at exit, is what makes polymorphism visible: a site specialized for int and later for
//!   float shows both, with the number of snapshots that saw each. A code object whose live
//!   bytes did not change since the last snapshot replays its last observations. Measured:
//!   0.15-0.7 ms per snapshot for a program of ~50 code objects (richards), ~5 ms with
//!   `S6_PROFILE_LIBS=1` (5600 code objects).
//!
//! Which code objects: those of the program's own files (or all, with `S6_PROFILE_LIBS=1`), found
//! without scanning the heap: module code as it is `exec`uted (an audit hook on the `exec`
//! event, which importlib, runpy and the script runner raise), everything nested in its
//! constants (functions and class bodies, whether they ran or not), frames on any thread's stack
//! at a snapshot, and functions in loaded modules' namespaces; at exit, the script recompiled
//! from its file if no snapshot saw it (same bytes, same key). They are held by weak reference
//! only (`state`), so profiling never changes when a program's code objects die; a code object
//! keeps its key, samples and feedback after death. Samples are counted by address, so a code
//! object that died since the last snapshot loses that interval's samples, or, if a new
//! profiled code object took its address within the interval, lends them to it.
//!
//! Keys hash `marshal.dumps(code, 2)` (see `state::MARSHAL_VERSION`): version 4 output depends on
//! reference counts and would give the same code object different keys.
//!
//! The Python side (`s6/_profile.py`) reads the environment, registers the `atexit` handler
//! (which runs after the program's traceback is printed) and computes the ABI stamp.

mod build;
mod harvest;
mod layout;
mod names;
mod resolve;
mod sampler;
mod state;
mod ticker;
mod unseen;

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering::SeqCst};
use std::time::Duration;

use pyo3::prelude::*;
use pyo3::types::{PyWeakrefMethods, PyWeakrefReference};
use s6_profiles::model::AbiStamp;

use state::{Config, Profiler};

type AuditHook = extern "C" fn(
    *const std::ffi::c_char,
    *mut pyo3::ffi::PyObject,
    *mut std::ffi::c_void,
) -> std::ffi::c_int;

unsafe extern "C" {
    /// Public C API (`sysmodule.h`), absent from pyo3-ffi.
    fn PySys_AddAuditHook(hook: AuditHook, data: *mut std::ffi::c_void) -> std::ffi::c_int;
}

static PROFILER: Mutex<Option<Profiler>> = Mutex::new(None);
/// Weak references to code objects the audit hook saw while a snapshot held the profiler (owned,
/// as pointers; weak so that a module body is freed when it finishes, exactly as without us).
static EXECUTED: Mutex<Vec<usize>> = Mutex::new(Vec::new());
static AUDITING: AtomicBool = AtomicBool::new(false);
/// Set in the child of a `fork`: the parent alone writes the profile.
static ABANDONED: AtomicBool = AtomicBool::new(false);
static HOOKED: AtomicBool = AtomicBool::new(false);

/// Where and when this process writes its profile (from `_profiler_start`).
struct Output {
    /// `S6_PROFILE`, absolute; a `%p` in it is this process's id at write time.
    path: String,
    /// `sys.argv` at start-up (used when the program left `sys.argv` unusable).
    argv: Vec<String>,
    abi: AbiStamp,
    interval_us: u32,
    snapshot_ms: u32,
    /// `S6_PROFILE_FLUSH_S`: also write every this often (atomically), not only at the end.
    flush: Option<Duration>,
    /// `S6_PROFILE_UNTIL`: stop sampling and write the profile at this time.
    until: Option<std::time::SystemTime>,
    verbose: bool,
}

static OUTPUT: Mutex<Option<Output>> = Mutex::new(None);
/// When the next periodic flush is due.
static NEXT_FLUSH: Mutex<Option<std::time::Instant>> = Mutex::new(None);
/// A periodic flush failed once already (said once, not every period).
static FLUSH_FAILED: AtomicBool = AtomicBool::new(false);

fn output<R>(f: impl FnOnce(&Output) -> R) -> Option<R> {
    OUTPUT
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .as_ref()
        .map(f)
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(_profiler_start, m)?)?;
    m.add_function(wrap_pyfunction!(_profiler_finish, m)?)?;
    m.add_function(wrap_pyfunction!(_profiler_snapshot, m)?)?;
    m.add_function(wrap_pyfunction!(_profiler_samples, m)?)?;
    m.add_function(wrap_pyfunction!(_profiler_abandon, m)?)?;
    m.add_function(wrap_pyfunction!(_profiler_forked, m)?)?;
    m.add_function(wrap_pyfunction!(_sampler_cost_ns, m)?)?;
    m.add_function(wrap_pyfunction!(read_profile_json, m)?)?;
    Ok(())
}

fn lock() -> std::sync::MutexGuard<'static, Option<Profiler>> {
    PROFILER.lock().unwrap_or_else(|e| e.into_inner())
}

/// The profiler, waited for with the GIL released: its holder (a snapshot, or the audit hook
/// on another thread) may itself be waiting for the GIL.
fn lock_attached(py: Python<'_>) -> std::sync::MutexGuard<'static, Option<Profiler>> {
    loop {
        match PROFILER.try_lock() {
            Ok(g) => return g,
            Err(std::sync::TryLockError::Poisoned(e)) => return e.into_inner(),
            Err(std::sync::TryLockError::WouldBlock) => {
                py.detach(|| std::thread::sleep(Duration::from_micros(200)))
            }
        }
    }
}

/// Takes one snapshot: new code objects, stacks, samples, caches. Runs no program code, lets no
/// collection start and shows the program's audit hooks nothing (see `unseen`).
fn snapshot(p: &mut Profiler, py: Python<'_>) {
    let started = std::time::Instant::now();
    let _gc = unseen::GcPaused::new(py);
    let _hooks = unseen::AuditHooksHidden::new(py);
    let blocked = sampler::SigprofBlocked::new();
    p.snapshots += 1;
    let n = p.snapshots;
    p.types.prune(py);
    p.reap(py);
    let executed = std::mem::take(&mut *EXECUTED.lock().unwrap_or_else(|e| e.into_inner()));
    for ptr in executed {
        // SAFETY: the audit hook made this weak reference and gave us its only reference.
        let weak = unsafe { Bound::from_owned_ptr(py, ptr as *mut pyo3::ffi::PyObject) };
        if let Ok(weak) = weak.cast_into::<PyWeakrefReference>()
            && let Some(code) = weak.upgrade()
        {
            p.register(py, &code, None);
        }
    }
    p.walk_stacks(py);
    p.scan_modules(py, false);
    p.drain_samples(&blocked);
    p.harvest(py, n);
    p.snapshot_time += started.elapsed();
}

/// Runs on the ticker thread: takes the GIL and a snapshot, unless profiling has ended; then a
/// periodic flush if one is due, or the final write if `S6_PROFILE_UNTIL` has come.
fn snapshot_now() {
    Python::attach(|py| {
        if ticker::stopping() {
            return;
        }
        // Never let our work change the exception state of the thread we run on.
        let saved = PyErr::take(py);
        if let Ok(mut guard) = PROFILER.try_lock()
            && let Some(p) = guard.as_mut()
            && !p.finished
        {
            let until = output(|o| o.until).flatten();
            if until.is_some_and(|t| std::time::SystemTime::now() >= t) {
                ticker::request_stop();
                let result = finish_locked(p, py, None);
                say_result(result, "");
            } else {
                snapshot(p, py);
                if flush_due() {
                    let argv = current_argv(py);
                    match write(p.assemble(argv)) {
                        Ok(_) => {}
                        Err(e) if !FLUSH_FAILED.swap(true, SeqCst) => {
                            eprintln!("s6: warning: periodic profile flush failed: {e}");
                        }
                        Err(_) => {}
                    }
                }
            }
        }
        if let Some(e) = saved {
            e.restore(py);
        }
    });
}

/// Whether a periodic flush is due now (and schedules the next one).
fn flush_due() -> bool {
    let Some(Some(period)) = output(|o| o.flush) else {
        return false;
    };
    let mut next = NEXT_FLUSH.lock().unwrap_or_else(|e| e.into_inner());
    let now = std::time::Instant::now();
    match *next {
        Some(t) if now < t => false,
        _ => {
            *next = Some(now + period);
            true
        }
    }
}

/// `sys.argv` now (runpy rewrites it for `-m`), or the start-up one if it is not a list of str.
fn current_argv(py: Python<'_>) -> Vec<String> {
    // `PySys_GetObject`, not an import: this also runs on the ticker thread (a periodic flush),
    // where `builtins.__import__` would be the program's code (see `unseen`).
    // SAFETY: the GIL is held; the result is a borrowed reference or NULL (no error set).
    let argv = unsafe { pyo3::ffi::PySys_GetObject(c"argv".as_ptr()) };
    let now = (!argv.is_null())
        .then(|| unsafe { Bound::from_borrowed_ptr(py, argv) })
        .and_then(|a| a.extract::<Vec<String>>().ok())
        .filter(|a| !a.is_empty() && a != &[String::new()]);
    now.or_else(|| output(|o| o.argv.clone()))
        .unwrap_or_default()
}

/// The path this process writes: `S6_PROFILE` with `%p` replaced by the process id.
fn this_path() -> Option<std::path::PathBuf> {
    output(|o| o.path.replace("%p", &std::process::id().to_string()).into())
}

/// Writes `profile` atomically to this process's path. `Ok(None)` when a process tree's
/// directory is gone: whoever collected the parts (`s6c profile`) has finished, and a process
/// that outlived the program (a resource tracker) has nobody to write for.
fn write(profile: s6_profiles::model::Profile) -> Result<Option<std::path::PathBuf>, String> {
    let (abi, tree) =
        output(|o| (o.abi.clone(), o.path.contains("%p"))).ok_or("profiler not started")?;
    let path = this_path().ok_or("profiler not started")?;
    let gone = || tree && path.parent().is_some_and(|d| !d.is_dir());
    if gone() {
        return Ok(None);
    }
    match s6_profiles::format::write_profile(&path, &profile, &abi) {
        Ok(()) => Ok(Some(path)),
        // Removed while we wrote (the collector finished as this process exited).
        Err(_) if gone() => Ok(None),
        Err(e) => Err(e.to_string()),
    }
}

/// Stops sampling and writes the final profile; the caller holds the profiler and has stopped
/// (or is) the ticker. `Ok(None)` when it was already written.
fn finish_locked(
    p: &mut Profiler,
    py: Python<'_>,
    argv: Option<Vec<String>>,
) -> Result<Option<String>, String> {
    if p.finished {
        return Ok(None);
    }
    sampler::stop();
    AUDITING.store(false, SeqCst);
    p.finished = true;
    let argv = argv.unwrap_or_else(|| current_argv(py));
    let profile = {
        let _hooks = unseen::AuditHooksHidden::new(py);
        p.build(py, argv).map_err(|e| e.to_string())?
    };
    let summary = format!(
        "{} code objects, {} samples ({} unattributed, {} dropped), {} snapshots ({:.1} ms in all)",
        profile.code.len(),
        profile.total_samples,
        p.unattributed,
        sampler::dropped_samples(),
        profile.snapshots,
        p.snapshot_time.as_secs_f64() * 1e3
    );
    let Some(path) = write(profile)? else {
        return Ok(None);
    };
    Ok(Some(format!(
        "profile written to {}: {summary}",
        path.display()
    )))
}

/// Prints the outcome of a write that no Python caller reports (deadline, SIGTERM).
fn say_result(result: Result<Option<String>, String>, why: &str) {
    match result {
        Ok(Some(summary)) if output(|o| o.verbose).unwrap_or(false) => {
            eprintln!("s6: {summary}{why}");
        }
        Ok(_) => {}
        Err(e) => eprintln!("s6: profile not written: {e}"),
    }
}

/// SIGTERM arrived (`on_term`): write the final profile, from a plain thread.
fn finish_on_sigterm() {
    if ABANDONED.load(SeqCst) {
        return;
    }
    ticker::stop();
    Python::attach(|py| {
        let saved = PyErr::take(py);
        let mut guard = lock_attached(py);
        if let Some(p) = guard.as_mut() {
            say_result(finish_locked(p, py, None), " (on SIGTERM)");
        }
        drop(guard);
        if let Some(e) = saved {
            e.restore(py);
        }
    });
}

extern "C" fn audit_hook(
    event: *const std::ffi::c_char,
    args: *mut pyo3::ffi::PyObject,
    _data: *mut std::ffi::c_void,
) -> std::ffi::c_int {
    if !AUDITING.load(SeqCst) {
        return 0;
    }
    // SAFETY: CPython passes a NUL-terminated event name and a tuple of arguments, with the GIL.
    unsafe {
        if std::ffi::CStr::from_ptr(event).to_bytes() != b"exec" {
            return 0;
        }
        // Audit hooks are process-wide, so subinterpreters call this one too. Their objects
        // are not ours to profile, and `Python::attach` would take this thread's
        // main-interpreter state, i.e. wait for the GIL this thread already holds (a hang
        // found with `_testcapi.run_in_subinterp` under `s6c profile`).
        let ts = pyo3::ffi::PyThreadState_Get();
        if pyo3::ffi::PyThreadState_GetInterpreter(ts) != pyo3::ffi::PyInterpreterState_Main() {
            return 0;
        }
        if pyo3::ffi::PyTuple_Check(args) == 0 || pyo3::ffi::PyTuple_Size(args) < 1 {
            return 0;
        }
        let code = pyo3::ffi::PyTuple_GetItem(args, 0);
        if code.is_null() || pyo3::ffi::Py_TYPE(code) != &raw mut pyo3::ffi::PyCode_Type {
            return 0;
        }
        // Registered now: a module or class body is usually gone by the next snapshot, and we
        // hold no strong reference to it. The profiler lock is only ever taken with the GIL
        // held and snapshots run no program code, so if it is taken now, it is by our own code
        // further up this thread's stack: queue a weak reference for the next snapshot instead.
        Python::attach(|py| {
            let saved = PyErr::take(py);
            let _gc = unseen::GcPaused::new(py);
            let _hooks = unseen::AuditHooksHidden::new(py);
            let code = Bound::from_borrowed_ptr(py, code);
            if let Ok(mut guard) = PROFILER.try_lock() {
                if let Some(p) = guard.as_mut()
                    && !p.finished
                {
                    p.register(py, &code, None);
                }
            } else if let Ok(weak) = unseen::weak(&code) {
                // (Failing: out of memory, and this module body goes unprofiled.)
                EXECUTED
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .push(weak.into_ptr() as usize);
            }
            if let Some(e) = saved {
                e.restore(py);
            }
        });
    }
    0
}

/// Starts profiling; returns a warning (not sampling, and why) or None. `path` may hold `%p`;
/// `flush_s` > 0 writes every that many seconds too; `until` > 0 (a Unix time) stops sampling
/// and writes the profile then.
#[pyfunction]
#[allow(
    clippy::too_many_arguments,
    reason = "the settings s6._profile reads from the environment, passed through as they are"
)]
fn _profiler_start(
    py: Python<'_>,
    interval_us: u32,
    snapshot_ms: u32,
    include_libs: bool,
    lib_dirs: Vec<String>,
    never_dirs: Vec<String>,
    main_file: Option<String>,
    path: String,
    argv: Vec<String>,
    abi: (String, u32, u16, String),
    flush_s: f64,
    until: f64,
    verbose: bool,
) -> PyResult<Option<String>> {
    let mut guard = lock();
    if guard.is_some() {
        return Ok(Some("profiler already started".into()));
    }
    let probe = py
        .import("builtins")?
        .call_method1("compile", ("x = 1\n", "<s6-probe>", "exec"))?;
    if let Err(e) = layout::check(&probe)? {
        return Err(pyo3::exceptions::PyRuntimeError::new_err(format!(
            "s6 profiler: this interpreter's code layout differs from CPython 3.11's ({e})"
        )));
    }
    unseen::init(py)?;
    let cfg = Config {
        interval_us,
        include_libs,
        lib_dirs,
        never_dirs,
        main_file,
    };
    *guard = Some(Profiler::new(cfg));
    drop(guard);
    let secs = |s: f64| (s.is_finite() && s > 0.0).then(|| Duration::from_secs_f64(s));
    *OUTPUT.lock().unwrap_or_else(|e| e.into_inner()) = Some(Output {
        path,
        argv,
        abi: AbiStamp {
            python_version: abi.0,
            hexversion: abi.1,
            bytecode_magic: abi.2,
            build_id: abi.3,
        },
        interval_us,
        snapshot_ms,
        flush: secs(flush_s),
        until: secs(until).map(|d| std::time::UNIX_EPOCH + d),
        verbose,
    });
    *NEXT_FLUSH.lock().unwrap_or_else(|e| e.into_inner()) =
        secs(flush_s).map(|d| std::time::Instant::now() + d);
    if !HOOKED.swap(true, SeqCst) {
        // SAFETY: a C callback that registers (or queues weak references to) code objects,
        // leaving the thread's exception state as it found it.
        if unsafe { PySys_AddAuditHook(audit_hook, std::ptr::null_mut()) } != 0 {
            return Err(PyErr::fetch(py));
        }
    }
    AUDITING.store(true, SeqCst);
    start_threads(snapshot_ms)?;
    let warning = sampler::start(interval_us).err().map(|e| e.to_string());
    if let Err(e) = crate::on_term::install(finish_on_sigterm) {
        return Ok(Some(format!("no profile on SIGTERM: {e}")));
    }
    Ok(warning)
}

fn start_threads(snapshot_ms: u32) -> PyResult<()> {
    let period = Duration::from_millis(u64::from(snapshot_ms.max(1)));
    ticker::start(period.min(Duration::from_millis(20)), period)
        .map_err(|e| pyo3::exceptions::PyOSError::new_err(e.to_string()))
}

/// Stops profiling and writes the profile (atexit). Returns a one-line summary, or None when
/// there is nothing to write: in the child of a `fork` that does not profile itself (its exit
/// must not replace the parent's profile), or when the profile was already written (at the
/// `S6_PROFILE_UNTIL` deadline, or by a multiprocessing child's finalizer).
#[pyfunction]
fn _profiler_finish(py: Python<'_>, argv: Vec<String>) -> PyResult<Option<String>> {
    if ABANDONED.load(SeqCst) {
        return Ok(None);
    }
    py.detach(ticker::stop);
    let mut guard = lock_attached(py);
    let Some(p) = guard.as_mut() else {
        return Err(pyo3::exceptions::PyRuntimeError::new_err(
            "profiler not started",
        ));
    };
    finish_locked(p, py, Some(argv)).map_err(pyo3::exceptions::PyOSError::new_err)
}

/// In the child of a `fork`. With `%p` in `S6_PROFILE` the child profiles itself from here on
/// (counts start at zero, the parent's registrations are kept) and writes its own file: returns
/// True. Otherwise it stops everything without writing (the parent writes the profile).
#[pyfunction]
fn _profiler_forked() -> bool {
    let own = output(|o| (o.path.contains("%p"), o.interval_us, o.snapshot_ms));
    let Some((true, interval_us, snapshot_ms)) = own else {
        _profiler_abandon();
        return false;
    };
    ticker::forget();
    // A thread of the parent may have held the lock at `fork`; it never unlocks it here.
    let Ok(mut guard) = PROFILER.try_lock() else {
        _profiler_abandon();
        return false;
    };
    let Some(p) = guard.as_mut().filter(|p| !p.finished) else {
        drop(guard);
        _profiler_abandon();
        return false;
    };
    sampler::reset_counts();
    p.reset_counts();
    drop(guard);
    FLUSH_FAILED.store(false, SeqCst);
    if let Some(Some(period)) = output(|o| o.flush) {
        *NEXT_FLUSH.lock().unwrap_or_else(|e| e.into_inner()) =
            Some(std::time::Instant::now() + period);
    }
    if start_threads(snapshot_ms).is_err() {
        _profiler_abandon();
        return false;
    }
    // Not sampling (ITIMER_PROF in use) still leaves feedback, as at start-up.
    let _ = sampler::start(interval_us);
    let _ = crate::on_term::reinit_in_child();
    true
}

/// Takes a snapshot now (tests; the ticker does this during normal runs).
#[pyfunction]
fn _profiler_snapshot(py: Python<'_>) {
    if let Some(p) = lock_attached(py).as_mut()
        && !p.finished
    {
        snapshot(p, py);
    }
}

/// `(self, inclusive)` samples counted so far for the live code object `code`, after a
/// snapshot (which moves the sampler's counts onto their code objects); None when the profiler
/// is not running or does not include `code`. For tests: a program can run until something
/// was sampled instead of hoping that a fixed amount of work is.
#[pyfunction]
fn _profiler_samples(py: Python<'_>, code: &Bound<'_, PyAny>) -> Option<(u64, u64)> {
    let mut guard = lock_attached(py);
    let p = guard.as_mut().filter(|p| !p.finished)?;
    snapshot(p, py);
    p.codes
        .get(&(code.as_ptr() as usize))
        .filter(|info| info.included)
        .map(|info| (info.self_samples, info.inclusive_samples))
}

/// In the child of a `fork`: stop everything without writing (the parent writes the profile).
#[pyfunction]
fn _profiler_abandon() {
    ABANDONED.store(true, SeqCst);
    sampler::deactivate();
    ticker::forget();
    AUDITING.store(false, SeqCst);
    // A thread of the parent may have held the lock at `fork`; it never unlocks it here. The
    // flags above already stop every path that would take it.
    if let Ok(mut guard) = PROFILER.try_lock()
        && let Some(p) = guard.as_mut()
    {
        p.finished = true;
    }
}

/// Nanoseconds one sampler stack walk takes on the calling thread (benchmarks only: it
/// discards the samples collected so far).
#[pyfunction]
fn _sampler_cost_ns(iterations: u32) -> f64 {
    sampler::measure_cost_ns(iterations)
}

/// A profile file as JSON (`{"abi": ..., "profile": ...}`), for tests and tools.
#[pyfunction]
fn read_profile_json(path: std::path::PathBuf) -> PyResult<String> {
    let (abi, profile) = s6_profiles::format::read_profile(&path)
        .map_err(|e| pyo3::exceptions::PyValueError::new_err(e.to_string()))?;
    let mut out = String::from("{\"abi\":");
    out.push_str(
        &serde_json::to_string(&abi)
            .map_err(|e| pyo3::exceptions::PyValueError::new_err(e.to_string()))?,
    );
    out.push_str(",\"profile\":");
    out.push_str(
        &serde_json::to_string(&profile)
            .map_err(|e| pyo3::exceptions::PyValueError::new_err(e.to_string()))?,
    );
    out.push('}');
    Ok(out)
}
