//! Process-local numbers to portable names: type version tags to `module.qualname` (and the
//! live type, to check a cached descriptor), function versions to the function's code object.
//! Both counters are global and never reuse a value in 3.11, so a tag or version once mapped
//! stays mapped; the maps are refilled (at most once per snapshot) only on a miss. Objects are
//! held by weak reference only: profiling must never change when a type or code object dies.

use std::collections::HashMap;

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyType, PyWeakrefMethods, PyWeakrefReference};

use s6_py311::layout::{function, type_obj};

use super::layout::read;
use super::unseen;

/// `module.qualname` of a type (`builtins.int`, `__main__.Foo`), as `type.__module__` and
/// `type.__qualname__` compute them, without `getattr` (see [`type_module`]).
pub fn type_name(t: &Bound<'_, PyAny>) -> String {
    let Ok(t) = t.cast::<PyType>() else {
        return "builtins.?".into();
    };
    let module = type_module(t).unwrap_or_else(|| "builtins".into());
    let qualname = t
        .qualname() // `PyType_GetQualName`: `ht_qualname` or the static type's name, in C
        .ok()
        .and_then(|q| q.extract::<String>().ok())
        .unwrap_or_else(|| "?".into());
    format!("{module}.{qualname}")
}

/// `type.__module__` of `t` computed as CPython's `type_module` does (`__module__` in a heap
/// type's own dict, else the part of a static type's `tp_name` before its last dot, else
/// "builtins"), never through `getattr`, which would run a metaclass's `__getattribute__`
/// (program code, on the ticker thread; see `unseen`).
pub fn type_module(t: &Bound<'_, PyType>) -> Option<String> {
    let tp = t.as_type_ptr();
    // SAFETY: `t` is a live type object; `tp_flags` and `tp_name` are plain fields.
    let (flags, name) = unsafe { ((*tp).tp_flags, (*tp).tp_name) };
    if flags & pyo3::ffi::Py_TPFLAGS_HEAPTYPE != 0 {
        return type_dict(t)?
            .get_item("__module__")
            .ok()
            .flatten()
            .and_then(|m| m.extract::<String>().ok());
    }
    if name.is_null() {
        return None;
    }
    // SAFETY: a static type's `tp_name` is a NUL-terminated C string that lives as long as it.
    let name = unsafe { std::ffi::CStr::from_ptr(name) }.to_string_lossy();
    Some(match name.rfind('.') {
        Some(dot) => name[..dot].to_owned(),
        None => "builtins".to_owned(),
    })
}

/// A type's own namespace (`tp_dict`), read from the type object: what `cls.__dict__` wraps in
/// a mappingproxy, without the `getattr` that could run a metaclass's code.
pub fn type_dict<'py>(t: &Bound<'py, PyType>) -> Option<Bound<'py, PyDict>> {
    // SAFETY: `t` is a live, ready type; `tp_dict` is a dict it owns (or NULL).
    let d = unsafe { (*t.as_type_ptr()).tp_dict };
    if d.is_null() {
        return None;
    }
    // SAFETY: a borrowed pointer to a live object, turned into a new strong reference.
    unsafe { Bound::from_borrowed_ptr(t.py(), d) }
        .cast_into::<PyDict>()
        .ok()
}

/// A type's method resolution order (`tp_mro`), read from the type object.
pub fn type_mro<'py>(t: &Bound<'py, PyType>) -> Option<Bound<'py, pyo3::types::PyTuple>> {
    // SAFETY: as in `type_dict`: `tp_mro` is a tuple the type owns (or NULL before it is ready).
    let m = unsafe { (*t.as_type_ptr()).tp_mro };
    if m.is_null() {
        return None;
    }
    // SAFETY: a borrowed pointer to a live object, turned into a new strong reference.
    unsafe { Bound::from_borrowed_ptr(t.py(), m) }
        .cast_into::<pyo3::types::PyTuple>()
        .ok()
}

/// The current, valid version tag of a type (0 when it has none).
pub fn version_tag(t: &Bound<'_, PyAny>) -> u32 {
    let p = t.as_ptr() as *const u8;
    // SAFETY: `t` is a live type object; both fields lie in `PyTypeObject`.
    let (flags, tag) = unsafe {
        (
            read::<u64>(p, type_obj::TP_FLAGS),
            read::<u32>(p, type_obj::TP_VERSION_TAG),
        )
    };
    if flags & type_obj::TPFLAGS_VALID_VERSION_TAG != 0 {
        tag
    } else {
        0
    }
}

#[derive(Default)]
pub struct Types {
    names: HashMap<u32, String>,
    live: HashMap<u32, Py<PyWeakrefReference>>,
    scanned_at: Option<u32>,
    /// Versions a rescan did not find: not searched for again until `retry_missing` (exit),
    /// so one vanished type cannot cost a full type-tree walk at every snapshot.
    missing: std::collections::HashSet<u32>,
}

impl Types {
    /// Forgets the types that have died.
    pub fn prune(&mut self, py: Python<'_>) {
        self.live.retain(|_, t| t.bind(py).upgrade().is_some());
    }

    /// Name of the type that had version `v` (rescans the type tree once per `snapshot`).
    pub fn name(&mut self, py: Python<'_>, v: u32, snapshot: u32) -> Option<String> {
        if v == 0 {
            return None;
        }
        if !self.names.contains_key(&v) && !self.missing.contains(&v) {
            self.rescan(py, snapshot);
            if !self.names.contains_key(&v) {
                self.missing.insert(v);
            }
        }
        self.names.get(&v).cloned()
    }

    /// The live type whose current version is `v`, if any.
    pub fn live<'py>(
        &mut self,
        py: Python<'py>,
        v: u32,
        snapshot: u32,
    ) -> Option<Bound<'py, PyAny>> {
        let current = |live: &HashMap<u32, Py<PyWeakrefReference>>| {
            live.get(&v)
                .and_then(|t| t.bind(py).upgrade())
                .filter(|t| version_tag(t) == v)
        };
        if current(&self.live).is_none() && !self.missing.contains(&v) {
            self.rescan(py, snapshot);
            if current(&self.live).is_none() {
                self.missing.insert(v);
            }
        }
        current(&self.live)
    }

    /// Lets the next lookups search again for versions not found earlier (at exit).
    pub fn retry_missing(&mut self) {
        self.missing.clear();
    }

    fn rescan(&mut self, py: Python<'_>, snapshot: u32) {
        if self.scanned_at == Some(snapshot) {
            return;
        }
        self.scanned_at = Some(snapshot);
        let object = py.get_type::<pyo3::types::PyAny>();
        let typ = py.get_type::<PyType>();
        let mut stack: Vec<Bound<'_, PyAny>> = vec![object.into_any()];
        let mut seen = std::collections::HashSet::new();
        while let Some(t) = stack.pop() {
            if !seen.insert(t.as_ptr() as usize) {
                continue;
            }
            let v = version_tag(&t);
            if v != 0 {
                self.names.entry(v).or_insert_with(|| type_name(&t));
                // A tag is never given to another type, so a live entry is this very type.
                if let std::collections::hash_map::Entry::Vacant(e) = self.live.entry(v)
                    && let Ok(w) = unseen::weak(&t)
                {
                    e.insert(w.unbind());
                }
            }
            if let Ok(subs) = typ.call_method1("__subclasses__", (&t,))
                && let Ok(iter) = subs.try_iter()
            {
                stack.extend(iter.flatten());
            }
        }
    }
}

/// `func_version` of a function object (0 when never assigned).
pub fn func_version(f: &Bound<'_, PyAny>) -> u32 {
    // SAFETY: callers pass only exact function objects (checked with `is_function`).
    unsafe { read::<u32>(f.as_ptr() as *const u8, function::FUNC_VERSION) }
}

pub fn is_function(o: &Bound<'_, PyAny>) -> bool {
    o.get_type().as_ptr() == (&raw mut pyo3::ffi::PyFunction_Type).cast()
}

pub fn is_code(o: &Bound<'_, PyAny>) -> bool {
    o.get_type().as_ptr() == (&raw mut pyo3::ffi::PyCode_Type).cast()
}

/// Function version -> (code object, `__module__`).
#[derive(Default)]
pub struct Funcs {
    by_version: HashMap<u32, (Py<PyWeakrefReference>, String)>,
}

impl Funcs {
    /// The code object and module of the function that had version `v`, if its code lives.
    pub fn get<'py>(&self, py: Python<'py>, v: u32) -> Option<(Bound<'py, PyAny>, String)> {
        let (code, module) = self.by_version.get(&v)?;
        Some((code.bind(py).upgrade()?, module.clone()))
    }

    pub fn contains(&self, v: u32) -> bool {
        self.by_version.contains_key(&v)
    }

    /// Records `f` if it is a function with a version.
    pub fn note(&mut self, f: &Bound<'_, PyAny>) {
        if !is_function(f) {
            return;
        }
        let v = func_version(f);
        if v == 0 || self.by_version.contains_key(&v) {
            return;
        }
        let (code, module) = (function_code(f), module_of_function(f));
        if let Ok(w) = unseen::weak(&code) {
            self.by_version.insert(v, (w.unbind(), module));
        }
    }
}

/// The functions reachable from a namespace: plain functions, and the methods, static/class
/// methods and properties of classes defined there (`depth` class levels deep).
pub fn functions_in<'py>(ns: &Bound<'py, PyDict>, depth: u32, out: &mut Vec<Bound<'py, PyAny>>) {
    for value in ns.values() {
        functions_of(&value, depth, out);
    }
}

fn functions_of<'py>(value: &Bound<'py, PyAny>, depth: u32, out: &mut Vec<Bound<'py, PyAny>>) {
    if is_function(value) {
        out.push(value.clone());
        return;
    }
    // Only builtin wrapper types: `getattr` on arbitrary objects could run program code.
    let t = value.get_type().as_ptr();
    let attrs: &[&str] = if t == (&raw mut pyo3::ffi::PyStaticMethod_Type).cast()
        || t == (&raw mut pyo3::ffi::PyClassMethod_Type).cast()
    {
        &["__func__"]
    } else if t == (&raw mut pyo3::ffi::PyProperty_Type).cast() {
        &["fget", "fset", "fdel"]
    } else {
        &[]
    };
    for attr in attrs {
        if let Ok(inner) = value.getattr(*attr)
            && is_function(&inner)
        {
            out.push(inner);
        }
    }
    if depth > 0
        && let Ok(t) = value.cast::<PyType>()
        && let Some(d) = type_dict(t)
    {
        for v in d.values() {
            functions_of(&v, depth - 1, out);
        }
    }
}

/// The code object of function `f` (an exact function, see [`is_function`]), read with
/// `PyFunction_GetCode`: `f.__code__` would raise the audit event `object.__getattr__`, and
/// the program's audit hooks (Python code: regrtest installs one) would run on the ticker
/// thread and let the GIL go in the middle of a snapshot.
pub fn function_code<'py>(f: &Bound<'py, PyAny>) -> Bound<'py, PyAny> {
    // SAFETY: `f` is a live function object (callers check `is_function`); the result is a
    // borrowed reference to its code, which it keeps alive, turned into a strong one.
    unsafe { Bound::from_borrowed_ptr(f.py(), pyo3::ffi::PyFunction_GetCode(f.as_ptr())) }
}

/// `__module__` of function `f` (an exact function: the `__name__` of its globals when it was
/// created), read with `PyFunction_GetModule`.
pub fn module_of_function(f: &Bound<'_, PyAny>) -> String {
    // SAFETY: as in `function_code`; `func_module` is a borrowed reference, possibly NULL.
    let m = unsafe { pyo3::ffi::PyFunction_GetModule(f.as_ptr()) };
    if m.is_null() {
        return String::new();
    }
    // SAFETY: a borrowed pointer to a live object, turned into a new strong reference.
    unsafe { Bound::from_borrowed_ptr(f.py(), m) }
        .extract::<String>()
        .unwrap_or_default()
}
