//! The PEP 523 evaluator and cache activation: `enable(dir)` checks and loads a cache, installs
//! the frame-evaluation hook (chaining any hook already present) and lets each code object bind
//! to its native entry on first execution; `disable()` removes the hook. Native code leaves
//! through the exits in `exits` (the runtime side of `s6_profiles::abi`).
//!
//! Python-visible functions (all private; `s6/__init__.py` is the public face):
//! `_enable(dir, abi, stress, verbose) -> str | None` (the refusal reason, or None),
//! `_disable()`, `_stats_json()`, `_hook_installed()`, `_marshal_hash(code)`, and the test-only
//! `_test_attach(func, mode, points, stress)` and `_test_write_manifest(dir, abi, native_abi,
//! objects)`.

mod activate;
mod bind;
pub(crate) mod cpy;
pub(crate) mod direct;
pub(crate) mod exits;
mod hook;
mod make_gen;
mod prefilter;
mod record;
pub(crate) mod resume;
mod stack;
mod stats;
mod testcache;
mod testfns;
mod throw_entry;

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

use pyo3::exceptions::{PyRuntimeError, PyValueError};
use pyo3::prelude::*;
use s6_profiles::model::AbiStamp;

static VERBOSE: AtomicBool = AtomicBool::new(false);

/// `S6_VERBOSE=1`: say what happens; otherwise the runtime is silent unless something is wrong.
pub fn verbose() -> bool {
    VERBOSE.load(Ordering::Relaxed)
}

fn thread_state() -> *mut pyo3::ffi::PyThreadState {
    // SAFETY: only called from Python-visible functions, i.e. with the GIL held.
    unsafe { pyo3::ffi::PyThreadState_Get() }
}

/// Checks and loads `dir`, then installs the hook. Returns the reason when the cache is refused
/// (the program then runs without native code, as before the call).
#[pyfunction]
fn _enable(
    dir: &str,
    abi: (String, u32, u16, String),
    stress: u32,
    verbose: bool,
) -> PyResult<Option<String>> {
    VERBOSE.store(verbose, Ordering::Relaxed);
    let abi = AbiStamp {
        python_version: abi.0,
        hexversion: abi.1,
        bytecode_magic: abi.2,
        build_id: abi.3,
    };
    if !small_ints_where_expected() {
        return Ok(Some(
            "this interpreter does not keep its small ints where CPython 3.11 does (generated code boxes them inline)".into(),
        ));
    }
    let dir = Path::new(dir);
    let cache = match activate::load_cache(dir, &abi) {
        Ok(cache) => cache,
        Err(reason) => return Ok(Some(reason)),
    };
    if !hook::ensure_extra_index() {
        return Ok(Some("no co_extra index left in this interpreter".into()));
    }
    let functions = cache.functions();
    prefilter::rebuild(cache.shapes());
    record::next_generation();
    exits::set_stress(stress);
    bind::set_active(Some(cache));
    // SAFETY: GIL held; the extra index exists.
    unsafe { hook::install(thread_state()) };
    if verbose {
        eprintln!(
            "s6: {functions} native function{} available from {} (each object loads when first needed)",
            if functions == 1 { "" } else { "s" },
            dir.display()
        );
    }
    Ok(None)
}

unsafe extern "C" {
    /// The interpreter's runtime state (exported data).
    static _PyRuntime: u8;
}

/// Whether `_PyRuntime`'s small-int table is where `s6_py311::layout::runtime` says: generated
/// code returns `&table[v + 5]` for a small `v` instead of calling `PyLong_FromLongLong`.
fn small_ints_where_expected() -> bool {
    use s6_py311::layout::runtime as rt;
    // SAFETY: GIL held (called from `_enable`); `_PyRuntime` is a static of the interpreter.
    unsafe {
        let zero = pyo3::ffi::PyLong_FromLong(0);
        if zero.is_null() {
            pyo3::ffi::PyErr_Clear();
            return false;
        }
        pyo3::ffi::Py_DECREF(zero);
        let base = &raw const _PyRuntime as usize;
        let expected = base
            + rt::SMALL_INTS as usize
            + (-rt::SMALL_INT_MIN) as usize * rt::SMALL_INT_SIZE as usize;
        zero as usize == expected
    }
}

/// Removes the hook and forgets the active cache (its code stays mapped, see `activate`).
#[pyfunction]
fn _disable() {
    // SAFETY: GIL held.
    unsafe { hook::uninstall(thread_state()) };
    bind::set_active(None);
    prefilter::rebuild([]);
    record::next_generation();
}

#[pyfunction]
fn _hook_installed() -> bool {
    // SAFETY: GIL held.
    unsafe { hook::installed(thread_state()) }
}

/// Whether classes can be instantiated through `direct::construct` (its start-up probe found
/// `slot_tp_init`); for tests.
#[pyfunction]
fn _construct_available() -> bool {
    direct::construct_available()
}

#[pyfunction]
fn _stats_json() -> String {
    stats::report()
}

/// The `S6_STATS` report (also written on SIGTERM, see `on_term`).
pub fn stats_json() -> String {
    stats::report()
}

/// The code key hash of `code`, exactly as the binder (and the profiler) computes it.
#[pyfunction]
fn _marshal_hash(code: &Bound<'_, PyAny>) -> PyResult<u64> {
    // SAFETY: GIL held; `code` is a live object.
    unsafe { bind::marshal_hash(code.as_ptr()) }
        .ok_or_else(|| PyValueError::new_err("cannot marshal"))
}

/// Test only: gives `func`'s code object one of the hand-written native bodies of `testfns`
/// (installs the hook; `S6_DEOPT_STRESS` is taken from `stress`).
#[pyfunction]
fn _test_attach(
    func: &Bound<'_, PyAny>,
    mode: &str,
    points: Vec<u32>,
    stress: u32,
) -> PyResult<()> {
    let m = testfns::mode(mode)
        .ok_or_else(|| PyValueError::new_err(format!("unknown mode {mode:?}")))?;
    if points.len() != m.points {
        return Err(PyValueError::new_err(format!(
            "mode {mode} needs {} points",
            m.points
        )));
    }
    let code = func.getattr("__code__")?;
    let flags: i32 = code.getattr("co_flags")?.extract()?;
    if flags & cpy::CO_GENERATOR_LIKE != 0 || flags & cpy::CO_OPTIMIZED == 0 {
        return Err(PyValueError::new_err(
            "only plain functions can run natively",
        ));
    }
    let name = format!(
        "{}.{}",
        func.getattr("__module__")?.extract::<String>()?,
        code.getattr("co_qualname")?.extract::<String>()?
    );
    if !hook::ensure_extra_index() {
        return Err(PyRuntimeError::new_err("no co_extra index left"));
    }
    let stats = record::FnStats::register(
        name,
        record::ExitTable::Given(testfns::exit_table(&m, &points)),
    );
    // SAFETY: GIL held; `code` is a live code object.
    let value = record::encode_native(unsafe {
        record::NativeFn::new(code.as_ptr(), m.entry, stats, points)
    });
    exits::set_stress(stress);
    // SAFETY: GIL held; `code` is a live code object and the index was requested.
    unsafe {
        if pyo3::ffi::PyUnstable_Code_SetExtra(
            code.as_ptr(),
            hook::extra_index(),
            value as *mut std::ffi::c_void,
        ) != 0
        {
            return Err(PyErr::fetch(func.py()));
        }
        hook::install(thread_state());
    }
    Ok(())
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    direct::init(m.py())?;
    m.add_function(wrap_pyfunction!(_enable, m)?)?;
    m.add_function(wrap_pyfunction!(_disable, m)?)?;
    m.add_function(wrap_pyfunction!(_hook_installed, m)?)?;
    m.add_function(wrap_pyfunction!(_construct_available, m)?)?;
    m.add_function(wrap_pyfunction!(_stats_json, m)?)?;
    m.add_function(wrap_pyfunction!(_marshal_hash, m)?)?;
    m.add_function(wrap_pyfunction!(_test_attach, m)?)?;
    m.add_function(wrap_pyfunction!(testcache::_test_write_manifest, m)?)?;
    Ok(())
}
