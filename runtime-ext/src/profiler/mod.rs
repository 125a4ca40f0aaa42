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

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(_profiler_start, m)?)?;
    m.add_function(wrap_pyfunction!(_profiler_finish, m)?)?;
    m.add_function(wrap_pyfunction!(_profiler_snapshot, m)?)?;
    m.add_function(wrap_pyfunction!(_profiler_abandon, m)?)?;
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

/// Runs on the ticker thread: takes the GIL and a snapshot, unless profiling has ended.
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
            snapshot(p, py);
        }
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

/// Starts profiling; returns a warning (not sampling, and why) or None.
#[pyfunction]
fn _profiler_start(
    py: Python<'_>,
    interval_us: u32,
    snapshot_ms: u32,
    include_libs: bool,
    lib_dirs: Vec<String>,
    never_dirs: Vec<String>,
    main_file: Option<String>,
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
    if !HOOKED.swap(true, SeqCst) {
        // SAFETY: a C callback that registers (or queues weak references to) code objects,
        // leaving the thread's exception state as it found it.
        if unsafe { PySys_AddAuditHook(audit_hook, std::ptr::null_mut()) } != 0 {
            return Err(PyErr::fetch(py));
        }
    }
    AUDITING.store(true, SeqCst);
    let period = Duration::from_millis(u64::from(snapshot_ms.max(1)));
    ticker::start(period.min(Duration::from_millis(20)), period)
        .map_err(|e| pyo3::exceptions::PyOSError::new_err(e.to_string()))?;
    Ok(sampler::start(interval_us).err().map(|e| e.to_string()))
}

/// Stops profiling and writes the profile to `path`. Returns a one-line summary, or None in
/// the child of a `fork` (which writes nothing: its exit must not replace the parent's profile).
#[pyfunction]
#[allow(
    clippy::too_many_arguments,
    reason = "path, argv and the ABI stamp fields, as s6._profile passes them"
)]
fn _profiler_finish(
    py: Python<'_>,
    path: std::path::PathBuf,
    argv: Vec<String>,
    python_version: String,
    hexversion: u32,
    bytecode_magic: u16,
    build_id: String,
) -> PyResult<Option<String>> {
    if ABANDONED.load(SeqCst) {
        return Ok(None);
    }
    sampler::stop();
    py.detach(ticker::stop);
    AUDITING.store(false, SeqCst);
    let mut guard = lock_attached(py);
    let Some(p) = guard.as_mut() else {
        return Err(pyo3::exceptions::PyRuntimeError::new_err(
            "profiler not started",
        ));
    };
    p.finished = true;
    let profile = {
        let _hooks = unseen::AuditHooksHidden::new(py);
        p.build(py, argv)?
    };
    let abi = AbiStamp {
        python_version,
        hexversion,
        bytecode_magic,
        build_id,
    };
    s6_profiles::format::write_profile(&path, &profile, &abi)
        .map_err(|e| pyo3::exceptions::PyOSError::new_err(e.to_string()))?;
    Ok(Some(format!(
        "{} code objects, {} samples ({} unattributed, {} dropped), {} snapshots ({:.1} ms in all)",
        profile.code.len(),
        profile.total_samples,
        p.unattributed,
        sampler::dropped_samples(),
        profile.snapshots,
        p.snapshot_time.as_secs_f64() * 1e3
    )))
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
