//! What the profiler does in the program's heap stays out of the program's sight.
//!
//! Snapshots run on the ticker thread at moments the program does not choose, so anything they
//! do that the program can observe makes a profiled run differ from a plain one at random.
//! Found by CPython's own `test_descr.test_slots`, which asserts that `len(gc.get_objects())`
//! is the same before and after a loop that allocates nothing: about once in 30 profiled
//! regrtest runs it counted two objects more (or fewer). They were a snapshot's: reading
//! `function.__code__` raises the audit event `object.__getattr__`, regrtest installs an audit
//! hook written in Python, and running it on the ticker thread let the GIL go to the program in
//! the middle of the snapshot, while the event's argument tuple `(function, '__code__')` and
//! the iterator over the audit hooks were alive. The rules:
//!
//! * **No program code runs.** Functions are read with `PyFunction_GetCode` and
//!   `PyFunction_GetModule`, types through their C fields (`tp_dict`, `tp_mro`, `__module__` as
//!   `type.__module__` computes it; `names`), never with `getattr`, which runs a metaclass's
//!   `__getattribute__` (typing's `_DeprecatedType`, for one); `sys.modules` comes from
//!   `PySys_GetObject` and marshal bytes from the C API, not through an import, which calls
//!   `builtins.__import__` and importlib's Python code. What remains is C-level attribute reads
//!   of code objects, functions, builtin descriptors and static/class methods.
//! * **The program's audit hooks see none of our events** ([`AuditHooksHidden`]). Taking a
//!   code object's key marshals it, and `PyMarshal_WriteObjectToString` raises `marshal.dumps`
//!   like the Python function does; so the hooks added with `sys.addaudithook` are set aside
//!   while the profiler works (a snapshot, the registration of a module body as it starts, the
//!   profile's final build). They would otherwise run on the ticker thread, and a hook that
//!   logs events would log ours. Hooks added from C (`PySys_AddAuditHook`, ours among them)
//!   still run; they cannot be set aside.
//! * **No collection inside a snapshot** ([`GcPaused`]). Its allocations could trigger one,
//!   which runs the program's `__del__` methods and weakref callbacks on the ticker thread.
//!   Paused, the collection happens at the program's next allocation, on its own thread, as it
//!   would have without us.
//! * **Weak references are private and untracked** ([`weak`]). Each one is a GC-tracked object,
//!   so those a snapshot made (for code objects it had not seen before) appeared in
//!   `gc.get_objects()` at random; and the plain `weakref.ref` without callback that
//!   `PyWeakref_NewRef` returns is the object's shared one, which the program's own
//!   `weakref.ref(code)` would then be handed. Ours are instances of a private subclass of
//!   `weakref.ref` (never shared) with no callback, taken out of the collector's lists: with no
//!   callback they reference nothing, so they are part of no cycle, and the referent's death
//!   clears them as any other. What still shows: `weakref.getweakrefcount()` and
//!   `weakref.getweakrefs()` of a profiled code object or type count ours, and CPython's
//!   collection counters (`gc.get_count()`) see the allocations.

use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyTuple, PyType, PyWeakrefReference};

/// The private subclass of `weakref.ref` (`s6._s6._ProfilerRef`), made once at start-up, before
/// the program runs, so that its creation is not one of the things a snapshot does.
static REF_TYPE: PyOnceLock<Py<PyType>> = PyOnceLock::new();

/// Makes the private weak reference type (at profiler start).
pub fn init(py: Python<'_>) -> PyResult<()> {
    REF_TYPE.get_or_try_init(py, || {
        // SAFETY: `_PyWeakref_RefType` is a static type object that lives for the process.
        let base = unsafe {
            Bound::from_borrowed_ptr(
                py,
                (&raw mut pyo3::ffi::_PyWeakref_RefType).cast::<pyo3::ffi::PyObject>(),
            )
        };
        let ns = PyDict::new(py);
        ns.set_item("__slots__", PyTuple::empty(py))?;
        ns.set_item("__module__", "s6._s6")?;
        ns.set_item(
            "__doc__",
            "A weak reference held by the s6 profiler (never shared, not GC-tracked).",
        )?;
        let t = py
            .get_type::<PyType>()
            .call1(("_ProfilerRef", (base,), ns))?
            .cast_into::<PyType>()?;
        Ok::<_, PyErr>(t.unbind())
    })?;
    Ok(())
}

/// A new weak reference to `obj` (no callback) that no one else is handed and that
/// `gc.get_objects()` does not list. It allocates: inside a snapshot, with the collector paused
/// ([`GcPaused`]).
pub fn weak<'py>(obj: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyWeakrefReference>> {
    let py = obj.py();
    let Some(t) = REF_TYPE.get(py) else {
        return Err(pyo3::exceptions::PyRuntimeError::new_err(
            "s6 profiler: weak reference type not made (profiler not started)",
        ));
    };
    let r = t.bind(py).call1((obj,))?;
    // SAFETY: `r` is a live instance of a weakref subclass without callback: it references no
    // object strongly (besides its type, which it cannot form a cycle with), so the collector
    // never needs to see it; `weakref_dealloc`/`subtype_dealloc` untrack only if tracked.
    unsafe { pyo3::ffi::PyObject_GC_UnTrack(r.as_ptr().cast()) };
    Ok(r.cast_into::<PyWeakrefReference>()?)
}

/// Automatic collection paused while alive (and resumed only if it was enabled). Made and
/// dropped with the GIL held; nothing in between runs program code, so the program cannot see
/// `gc.isenabled()` change.
pub struct GcPaused {
    was_enabled: bool,
}

impl GcPaused {
    pub fn new(_py: Python<'_>) -> Self {
        // SAFETY: the GIL is held (`_py`).
        let was_enabled = unsafe { pyo3::ffi::PyGC_Disable() } != 0;
        GcPaused { was_enabled }
    }
}

impl Drop for GcPaused {
    fn drop(&mut self) {
        if self.was_enabled {
            // SAFETY: dropped on the thread that made it, which still holds the GIL (the guard
            // lives inside a `Python::attach` closure or a function given `Python`).
            unsafe { pyo3::ffi::PyGC_Enable() };
        }
    }
}

/// The interpreter's `sys.addaudithook` hooks set aside while alive (`interp->audit_hooks`
/// read as NULL, "no Python hooks", by `PySys_Audit`), put back on drop. Made and dropped with
/// the GIL held around our own work only, which runs no program code (see the module doc),
/// so the program cannot see the list missing; should a hook be added all the same (program
/// code reached at exit through an import), it is kept, after the others.
pub struct AuditHooksHidden {
    slot: *mut *mut pyo3::ffi::PyObject,
    saved: *mut pyo3::ffi::PyObject,
}

impl AuditHooksHidden {
    pub fn new(_py: Python<'_>) -> Self {
        // SAFETY: the GIL is held (`_py`), so the current interpreter is live and its
        // `audit_hooks` field (offset checked against the 3.11 headers by s6-py311's layout
        // test) is ours to read and swap until we put it back.
        unsafe {
            let interp = pyo3::ffi::PyInterpreterState_Get().cast::<u8>();
            let slot = interp
                .offset(s6_py311::layout::interp::AUDIT_HOOKS as isize)
                .cast::<*mut pyo3::ffi::PyObject>();
            let saved = std::ptr::replace(slot, std::ptr::null_mut());
            AuditHooksHidden { slot, saved }
        }
    }
}

impl Drop for AuditHooksHidden {
    fn drop(&mut self) {
        // SAFETY: same thread, GIL still held (see `new`). The saved list goes back where it
        // was; a list `sys.addaudithook` made meanwhile is a list we now own a reference to.
        unsafe {
            let added = std::ptr::replace(self.slot, self.saved);
            if added.is_null() {
                return;
            }
            if self.saved.is_null() {
                *self.slot = added;
                return;
            }
            let n = pyo3::ffi::PyList_Size(added);
            for i in 0..n {
                // Out of memory here loses that hook; nothing better can be done in a drop.
                if pyo3::ffi::PyList_Append(self.saved, pyo3::ffi::PyList_GetItem(added, i)) < 0 {
                    pyo3::ffi::PyErr_Clear();
                }
            }
            pyo3::ffi::Py_DECREF(added);
        }
    }
}
