//! Binding on first execution: the first time the hook sees a code object in the current
//! generation that `prefilter` lets through, find it by key in the active cache, verify its
//! marshal bytes, have its object loaded if this is the first function of that object to bind
//! (`activate::LazyObject`), fill the binding slots of its function, and record the outcome in
//! `co_extra` so that every later call is one load. A code object whose bytes differ from the
//! profiled ones is never given native code (and does not make its object load), nor is one
//! whose object failed to load.

use std::ffi::{CStr, CString};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use pyo3::ffi::{self, _PyInterpreterFrame as Frame, PyObject, PyThreadState};
use s6_profiles::manifest::Binding;

use super::activate::{self, ActiveCache, LazyObject, Lookup};
use super::cpy::{self, CO_OPTIMIZED};
use super::hook;
use super::record::{self, NativeFn};

/// `(co_filename, module, co_qualname, co_firstlineno)`: how the manifest names a code object.
pub type Key = (String, String, String, u32);

/// One compiled function of the active cache, waiting for its code object.
pub struct Candidate {
    /// The object that defines it (loaded on the first bind of any of its functions) and the
    /// function's index in that object's manifest entry.
    pub object: Arc<LazyObject>,
    pub index: usize,
    /// Set once the binding slots were filled (two code objects may share one function).
    pub bound: AtomicBool,
}

static ACTIVE: Mutex<Option<Arc<ActiveCache>>> = Mutex::new(None);
/// Keys already reported (`S6_VERBOSE`) as changed since profiling.
static REPORTED_CHANGED: Mutex<std::collections::BTreeSet<Key>> =
    Mutex::new(std::collections::BTreeSet::new());

pub fn set_active(cache: Option<ActiveCache>) {
    if let Some(cache) = &cache {
        activate::count_in_cache(cache.object_count());
    }
    *ACTIVE.lock().unwrap_or_else(|e| e.into_inner()) = cache.map(Arc::new);
}

fn active() -> Option<Arc<ActiveCache>> {
    ACTIVE.lock().unwrap_or_else(|e| e.into_inner()).clone()
}

/// Makes the one decision for the code object of `f` and stores it in `co_extra`.
///
/// # Safety
/// Called from the hook: GIL held, `f` a live thread-owned frame, `throwflag == 0`.
pub unsafe fn decide(_ts: *mut PyThreadState, f: *mut Frame) -> Option<&'static NativeFn> {
    // SAFETY: per the contract; the error indicator is saved and restored around any Python
    // API use so that the frame starts with exactly the state it was called with.
    unsafe {
        let co = cpy::f_code(f);
        let (mut t, mut v, mut tb) = (
            std::ptr::null_mut(),
            std::ptr::null_mut(),
            std::ptr::null_mut(),
        );
        ffi::PyErr_Fetch(&mut t, &mut v, &mut tb);
        let native = find_native(f, co);
        ffi::PyErr_Clear();
        ffi::PyErr_Restore(t, v, tb);
        let value = match native {
            Some(n) => record::encode_native(n),
            None => record::encode_no_native(),
        };
        if !cpy::set_own_extra(co, hook::extra_index(), value) {
            return None;
        }
        match record::decode(value) {
            record::Decision::Native(n) => Some(n),
            _ => None,
        }
    }
}

/// # Safety
/// GIL held; `f` live; `co` its code object.
unsafe fn find_native(f: *mut Frame, co: *mut PyObject) -> Option<NativeFn> {
    // SAFETY: per the contract.
    unsafe {
        let flags = cpy::co_flags(co);
        if flags & CO_OPTIMIZED == 0 || !cpy::f_locals(f).is_null() {
            return None;
        }
        let cache = active()?;
        let key = key_of(f, co)?;
        // SAFETY (of the closure): per the contract; `co` is live.
        let candidate = match cache.lookup(&key, || marshal_hash(co)) {
            Lookup::Found(c) => c,
            Lookup::NotInCache => return None,
            Lookup::Changed => {
                // Once per key: `exec` may make many code objects of one name.
                if super::verbose()
                    && REPORTED_CHANGED
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .insert(key.clone())
                {
                    eprintln!(
                        "s6: {}.{} changed since profiling; running it in the interpreter",
                        key.1, key.2
                    );
                }
                return None;
            }
        };
        // Loads the object on its first bind (no Python runs, no lock is held on return).
        let function = candidate.object.function(candidate.index)?;
        if !candidate.bound.swap(true, Ordering::Relaxed) {
            fill_bindings(f, &function.bindings);
        }
        Some(NativeFn::new(
            co,
            function.entry,
            function.stats,
            Vec::new(),
        ))
    }
}

/// # Safety
/// GIL held; `s` is NULL or any object.
unsafe fn str_of(s: *mut PyObject) -> Option<String> {
    // SAFETY: per the contract; the UTF-8 buffer belongs to `s` and is copied at once.
    unsafe {
        if s.is_null() || ffi::PyUnicode_Check(s) == 0 {
            return None;
        }
        let p = ffi::PyUnicode_AsUTF8(s);
        if p.is_null() {
            return None;
        }
        Some(CStr::from_ptr(p).to_string_lossy().into_owned())
    }
}

/// # Safety
/// GIL held; `f` live; `co` its code object.
unsafe fn key_of(f: *mut Frame, co: *mut PyObject) -> Option<Key> {
    // SAFETY: per the contract; `f_globals` is a dict for a function frame.
    unsafe {
        let module = ffi::PyDict_GetItemString(cpy::f_globals(f), c"__name__".as_ptr());
        Some((
            str_of(cpy::co_filename(co))?,
            str_of(module)?,
            str_of(cpy::co_qualname(co))?,
            u32::try_from(cpy::co_firstlineno(co)).ok()?,
        ))
    }
}

/// Marshal version of `CodeKey::marshal_hash`: must equal the profiler's
/// (`profiler::state::MARSHAL_VERSION`). Version 2 has no back-references, whose presence in
/// version 4 depends on refcounts and so differs between processes.
const MARSHAL_VERSION: i32 = 2;

/// `profiles::hash::marshal_hash(marshal.dumps(code, MARSHAL_VERSION))`.
///
/// # Safety
/// GIL held; `co` a live code object.
pub unsafe fn marshal_hash(co: *mut PyObject) -> Option<u64> {
    // SAFETY: per the contract; the bytes object is released after hashing.
    unsafe {
        let bytes = ffi::PyMarshal_WriteObjectToString(co, MARSHAL_VERSION);
        if bytes.is_null() {
            return None;
        }
        let data = ffi::PyBytes_AsString(bytes) as *const u8;
        let len = ffi::PyBytes_Size(bytes) as usize;
        let hash = s6_profiles::hash::marshal_hash(std::slice::from_raw_parts(data, len));
        ffi::Py_DECREF(bytes);
        Some(hash)
    }
}

/// Fills each slot with a strong reference to what it must hold, or NULL when that is gone or
/// is the wrong kind of object (generated code treats NULL as a failed guard).
///
/// # Safety
/// GIL held; `f` live; every slot address points into a loaded binding table.
unsafe fn fill_bindings(f: *mut Frame, bindings: &[(usize, Binding)]) {
    for (slot, binding) in bindings {
        // SAFETY: per the contract.
        unsafe {
            let value = match binding {
                Binding::Type(name) => resolve_type(name),
                Binding::Object(name) => resolve_object(name),
                Binding::Builtin(name) => resolve_builtin(cpy::f_builtins(f), name),
            };
            *(*slot as *mut *mut PyObject) = value;
        }
    }
}

/// A type by `module.qualname` (see [`resolve_path`]); NULL when it is not a type.
///
/// # Safety
/// GIL held.
unsafe fn resolve_type(name: &str) -> *mut PyObject {
    // SAFETY: per the contract.
    unsafe {
        let obj = resolve_path(name);
        if !obj.is_null() && ffi::PyType_Check(obj) == 0 {
            ffi::Py_DECREF(obj);
            return std::ptr::null_mut();
        }
        obj
    }
}

/// A C-level object by `module.qualname` (see [`resolve_path`]), for identity guards in front
/// of code that does what that object does: a builtin function of an extension module
/// (`math.sqrt`: defined in C by that module, under that name) or an attribute of a static
/// type (`builtins.list.append`). Anything else Python code could have put under that name (a
/// Python function assigned to `math.sqrt`, a module made in Python) resolves to NULL, which
/// fails every guard.
///
/// # Safety
/// GIL held.
unsafe fn resolve_object(name: &str) -> *mut PyObject {
    // SAFETY: per the contract; `obj` is a new reference, released when rejected.
    unsafe {
        let obj = resolve_path(name);
        if obj.is_null() || is_c_object(obj, name) {
            return obj;
        }
        ffi::Py_DECREF(obj);
        std::ptr::null_mut()
    }
}

/// Whether `obj`, found under `name`, is a builtin function named so by an extension module
/// (`m_self` that module, made from a C `PyModuleDef`) or an attribute of a static type.
///
/// # Safety
/// GIL held; `obj` live.
unsafe fn is_c_object(obj: *mut PyObject, name: &str) -> bool {
    // SAFETY: per the contract; only fields of live objects are read.
    unsafe {
        let Some((owner, last)) = name.rsplit_once('.') else {
            return false;
        };
        if ffi::PyCFunction_CheckExact(obj) != 0 {
            let f = obj as *mut ffi::PyCFunctionObject;
            let module = (*f).m_self;
            let ml = (*f).m_ml;
            if module.is_null()
                || ml.is_null()
                || (*ml).ml_name.is_null()
                || ffi::PyModule_Check(module) == 0
                || ffi::PyModule_GetDef(module).is_null()
            {
                return false;
            }
            let module_name = ffi::PyModule_GetName(module);
            if module_name.is_null() {
                ffi::PyErr_Clear();
                return false;
            }
            return CStr::from_ptr(module_name).to_bytes() == owner.as_bytes()
                && CStr::from_ptr((*ml).ml_name).to_bytes() == last.as_bytes();
        }
        // An attribute of a type: the type (the longest prefix that is one) must be static.
        let owner_type = resolve_path(owner);
        if owner_type.is_null() {
            return false;
        }
        let ok = ffi::PyType_Check(owner_type) != 0
            && ffi::PyType_GetFlags(owner_type.cast()) & ffi::Py_TPFLAGS_HEAPTYPE == 0;
        ffi::Py_DECREF(owner_type);
        ok
    }
}

/// An object by `module.qualname`: the longest prefix that is a loaded module, then its
/// namespace, then class namespaces (through the MRO) for attributes of classes. Read through
/// the dictionaries, never `getattr`: this runs inside the hook, where a module `__getattr__`
/// or a metaclass must not run Python code. A new reference, or NULL (no exception set).
///
/// # Safety
/// GIL held.
unsafe fn resolve_path(name: &str) -> *mut PyObject {
    unsafe extern "C" {
        /// Borrowed, no exception set; exported by libpython 3.11.
        fn _PyType_Lookup(t: *mut PyObject, name: *mut PyObject) -> *mut PyObject;
    }
    // SAFETY: GIL held; every lookup returns a borrowed reference that stays alive while the
    // containing dict does, and we take our own reference only for the result.
    unsafe {
        let modules = ffi::PyImport_GetModuleDict();
        let parts: Vec<&str> = name.split('.').collect();
        for split in (1..parts.len()).rev() {
            let Ok(module_name) = CString::new(parts[..split].join(".")) else {
                return std::ptr::null_mut();
            };
            let module = ffi::PyDict_GetItemString(modules, module_name.as_ptr());
            if module.is_null() || ffi::PyModule_Check(module) == 0 {
                continue;
            }
            let Ok(first) = CString::new(parts[split]) else {
                return std::ptr::null_mut();
            };
            let mut obj = ffi::PyDict_GetItemString(ffi::PyModule_GetDict(module), first.as_ptr());
            for attr in &parts[split + 1..] {
                if obj.is_null() || ffi::PyType_Check(obj) == 0 {
                    return std::ptr::null_mut();
                }
                let key = ffi::PyUnicode_FromStringAndSize(attr.as_ptr().cast(), attr.len() as _);
                if key.is_null() {
                    ffi::PyErr_Clear();
                    return std::ptr::null_mut();
                }
                obj = _PyType_Lookup(obj, key);
                ffi::Py_DECREF(key);
            }
            if obj.is_null() {
                return std::ptr::null_mut();
            }
            ffi::Py_INCREF(obj);
            return obj;
        }
        std::ptr::null_mut()
    }
}

/// A builtin by name from the frame's builtins: a builtin function or a type, else NULL.
///
/// # Safety
/// GIL held; `builtins` a dict.
unsafe fn resolve_builtin(builtins: *mut PyObject, name: &str) -> *mut PyObject {
    // SAFETY: per the contract; the borrowed item is INCREF'd before it is stored.
    unsafe {
        let Ok(name) = CString::new(name) else {
            return std::ptr::null_mut();
        };
        let obj = ffi::PyDict_GetItemString(builtins, name.as_ptr());
        if obj.is_null() || (ffi::PyCFunction_Check(obj) == 0 && ffi::PyType_Check(obj) == 0) {
            return std::ptr::null_mut();
        }
        ffi::Py_INCREF(obj);
        obj
    }
}
