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

/// `module.qualname` of a type (`builtins.int`, `__main__.Foo`).
pub fn type_name(t: &Bound<'_, PyAny>) -> String {
    let module = t
        .getattr("__module__")
        .ok()
        .and_then(|m| m.extract::<String>().ok())
        .unwrap_or_else(|| "builtins".into());
    let qualname = t
        .getattr("__qualname__")
        .ok()
        .and_then(|m| m.extract::<String>().ok())
        .unwrap_or_else(|| "?".into());
    format!("{module}.{qualname}")
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
                if let Ok(w) = PyWeakrefReference::new(&t) {
                    self.live.insert(v, w.unbind());
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
        let (Ok(code), module) = (f.getattr("__code__"), module_of_function(f)) else {
            return;
        };
        if let Ok(w) = PyWeakrefReference::new(&code) {
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
        && value.is_instance_of::<PyType>()
        && let Ok(d) = value.getattr("__dict__")
        && let Ok(items) = d.call_method0("values")
        && let Ok(iter) = items.try_iter()
    {
        for v in iter.flatten() {
            functions_of(&v, depth - 1, out);
        }
    }
}

/// `__module__` of a function (the `__name__` of its globals when it was created).
pub fn module_of_function(f: &Bound<'_, PyAny>) -> String {
    f.getattr("__module__")
        .ok()
        .and_then(|m| m.extract::<String>().ok())
        .unwrap_or_default()
}
