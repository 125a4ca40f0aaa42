//! Turns one [`RawSite`] into portable [`Feedback`], naming every process-local number it holds
//! (type version -> `module.qualname`, function version -> callee code key, cached descriptor
//! -> callee) while the objects are alive. `None` means "cannot name it yet": the observation
//! is kept raw and retried at later snapshots and at exit; raw numbers never reach the profile.

use pyo3::prelude::*;
use pyo3::types::{PyTuple, PyType};
use s6_profiles::model::{AttrKind, Callee, Feedback};

use s6_py311::layout::type_obj;
use s6_py311::opcodes::{self, PRECALL, specialized::*};
use s6_py311::specialization::{self, Form};

use super::harvest::RawSite;
use super::layout::read;
use super::names;
use super::state::Profiler;

const STR: &str = "builtins.str";
const TUPLE: &str = "builtins.tuple";
const MODULE: &str = "builtins.module";

/// Operand types a specialized form checks (`BINARY_OP_ADD_INT` -> int, int), as
/// `s6_py311::specialization` lists them; the profile records only checked operands, so its
/// unchecked (`ANY`) positions are left out. None for forms that are not about operand types.
fn operand_types(op: u8) -> Option<Vec<String>> {
    let types = specialization::operand_types(op);
    (!types.is_empty()).then(|| {
        types
            .iter()
            .filter(|t| **t != specialization::ANY)
            .map(|t| (*t).to_owned())
            .collect()
    })
}

/// What a `PRECALL_*` form says about its callee by itself.
fn precall_callee(op: u8) -> Callee {
    match op {
        PRECALL_NO_KW_LEN => Callee::Builtin("builtins.len".into()),
        PRECALL_NO_KW_ISINSTANCE => Callee::Builtin("builtins.isinstance".into()),
        PRECALL_NO_KW_LIST_APPEND => Callee::Builtin("builtins.list.append".into()),
        PRECALL_NO_KW_STR_1 => Callee::Type(STR.into()),
        PRECALL_NO_KW_TUPLE_1 => Callee::Type(TUPLE.into()),
        PRECALL_NO_KW_TYPE_1 => Callee::Type("builtins.type".into()),
        _ => Callee::Unknown,
    }
}

/// What the global `name` of module `module` (or the builtin `name`) holds now, when that is a
/// builtin function of a module (`math.sqrt`, by the module's `__name__` and the function's
/// name) or a module (by its `__name__`). Read through the dictionaries only: no `getattr`, so
/// no program code runs.
fn global_value(py: Python<'_>, module: &str, name: &str, builtin: bool) -> Option<Callee> {
    let modules = super::state::sys_modules(py)?;
    let owner = modules
        .get_item(if builtin { "builtins" } else { module })
        .ok()??;
    let value = module_dict(&owner)?.get_item(name).ok()??;
    if let Some(m) = module_name(&value) {
        return Some(Callee::Module(m));
    }
    // SAFETY: `value` is a live object; the checks read only its type.
    if unsafe { pyo3::ffi::PyCFunction_CheckExact(value.as_ptr()) } == 0 {
        return None;
    }
    // SAFETY: a builtin function object: `m_self` (its module for module functions, or NULL)
    // and `m_ml->ml_name` (a C string) are plain fields.
    let (owner, fname) = unsafe {
        let f = value.as_ptr() as *mut pyo3::ffi::PyCFunctionObject;
        let ml = (*f).m_ml;
        if ml.is_null() || (*ml).ml_name.is_null() || (*f).m_self.is_null() {
            return None;
        }
        (
            Bound::from_borrowed_ptr(py, (*f).m_self),
            std::ffi::CStr::from_ptr((*ml).ml_name)
                .to_str()
                .ok()?
                .to_owned(),
        )
    };
    Some(Callee::Builtin(format!("{}.{fname}", module_name(&owner)?)))
}

/// A module's `__dict__` (`PyModule_GetDict`), None for anything else.
fn module_dict<'py>(m: &Bound<'py, PyAny>) -> Option<Bound<'py, pyo3::types::PyDict>> {
    // SAFETY: type check, then a borrowed reference to the module's dict.
    unsafe {
        if pyo3::ffi::PyModule_Check(m.as_ptr()) == 0 {
            return None;
        }
        let d = pyo3::ffi::PyModule_GetDict(m.as_ptr());
        (!d.is_null()).then(|| Bound::from_borrowed_ptr(m.py(), d).cast_into().ok())?
    }
}

/// A module's `__name__` from its dict, None for anything else.
fn module_name(m: &Bound<'_, PyAny>) -> Option<String> {
    module_dict(m)?.get_item("__name__").ok()??.extract().ok()
}

fn co_name(code: &Bound<'_, PyAny>, i: u32) -> Option<String> {
    let names = code.getattr("co_names").ok()?.cast_into::<PyTuple>().ok()?;
    names.get_item(i as usize).ok()?.extract().ok()
}

/// `_PyType_Lookup` without its cache (whose use could assign version tags): the attribute
/// `name` along `tp_mro`, in each type's `tp_dict`, read from the type objects (no `getattr`,
/// so no metaclass code runs).
fn lookup_mro<'py>(t: &Bound<'py, PyAny>, name: &str) -> Option<Bound<'py, PyAny>> {
    let mro = names::type_mro(t.cast::<PyType>().ok()?)?;
    for k in mro.iter() {
        let d = names::type_dict(k.cast::<PyType>().ok()?)?;
        if let Ok(Some(v)) = d.get_item(name) {
            return Some(v);
        }
    }
    None
}

impl Profiler {
    /// Names a callable found in a type or cached by the specializer.
    fn callee_of(&mut self, py: Python<'_>, obj: &Bound<'_, PyAny>) -> PyResult<Callee> {
        if names::is_function(obj) {
            let code = names::function_code(obj);
            let module = names::module_of_function(obj);
            return Ok(Callee::Code(self.callee_key(py, &code, &module)?));
        }
        if obj.is_instance_of::<PyType>() {
            return Ok(Callee::Type(names::type_name(obj)));
        }
        // Only C types from here on: their attribute lookups run no program code.
        let ty = obj.get_type();
        // SAFETY: reading `tp_flags` of a live type object.
        let flags =
            unsafe { read::<std::ffi::c_ulong>(ty.as_ptr() as *const u8, type_obj::TP_FLAGS) };
        if flags & pyo3::ffi::Py_TPFLAGS_HEAPTYPE != 0 {
            return Ok(Callee::Unknown); // a Python-level callable object
        }
        if let Ok(inner) = obj.getattr("__func__") {
            return self.callee_of(py, &inner);
        }
        let qualname: Option<String> = obj
            .getattr("__qualname__")
            .ok()
            .and_then(|q| q.extract().ok());
        let Some(qualname) = qualname else {
            return Ok(Callee::Unknown);
        };
        if let Ok(owner) = obj.getattr("__objclass__") {
            let module = owner.cast::<PyType>().ok().and_then(names::type_module);
            return Ok(Callee::Builtin(format!(
                "{}.{qualname}",
                module.unwrap_or_else(|| "builtins".into())
            )));
        }
        let module = obj
            .getattr("__module__")
            .ok()
            .and_then(|m| m.extract::<String>().ok());
        Ok(Callee::Builtin(format!(
            "{}.{qualname}",
            module.unwrap_or_else(|| "builtins".into())
        )))
    }

    /// The portable meaning of `raw` at `code` (an id into `feedbacks`), or None if it cannot
    /// be named now.
    pub fn translate(
        &mut self,
        py: Python<'_>,
        code: usize,
        raw: &RawSite,
        snapshot: u32,
    ) -> Option<u32> {
        let memo_key = (code, raw.clone());
        if let Some(id) = self.memo.get(&memo_key) {
            return Some(*id);
        }
        let fb = self
            .translate_uncached(py, code, raw, snapshot)
            .ok()
            .flatten()?;
        let id = self.intern(fb);
        self.memo.insert(memo_key, id);
        Some(id)
    }

    pub fn intern(&mut self, fb: Feedback) -> u32 {
        self.feedbacks.push(fb);
        (self.feedbacks.len() - 1) as u32
    }

    fn translate_uncached(
        &mut self,
        py: Python<'_>,
        code: usize,
        raw: &RawSite,
        snapshot: u32,
    ) -> PyResult<Option<Feedback>> {
        let op = opcodes::name(raw.op).to_owned();
        let Some(code_obj) = self.codes.get(&code).and_then(|c| c.live(py)) else {
            return Ok(None);
        };
        if specialization::form(raw.op) == Form::Adaptive {
            return Ok(Some(Feedback::Adaptive {
                backoff: raw.cache[0] as u8,
            }));
        }
        if let Some(types) = operand_types(raw.op) {
            let missed = raw.cache[0] != 0;
            return Ok(Some(Feedback::Operands { op, types, missed }));
        }
        let attr = |receiver: String, name: String, how: AttrKind| Feedback::Attr {
            op: op.clone(),
            receiver,
            name,
            how,
        };
        let fb = match raw.op {
            LOAD_GLOBAL_MODULE | LOAD_GLOBAL_BUILTIN => {
                let Some(name) = co_name(&code_obj, raw.arg >> 1) else {
                    return Ok(None);
                };
                let builtin = raw.op == LOAD_GLOBAL_BUILTIN;
                let module = self.codes.get(&code).map(|c| c.module.clone());
                let value = module.and_then(|m| global_value(py, &m, &name, builtin));
                Feedback::Global {
                    op: op.clone(),
                    name,
                    builtin,
                    value,
                }
            }
            LOAD_ATTR_INSTANCE_VALUE
            | LOAD_ATTR_SLOT
            | LOAD_ATTR_WITH_HINT
            | STORE_ATTR_INSTANCE_VALUE
            | STORE_ATTR_SLOT
            | STORE_ATTR_WITH_HINT => {
                let (Some(name), Some(receiver)) = (
                    co_name(&code_obj, raw.arg),
                    self.types.name(py, raw.field("version") as u32, snapshot),
                ) else {
                    return Ok(None);
                };
                let index = raw.field("index") as u16;
                let how = match raw.op {
                    LOAD_ATTR_INSTANCE_VALUE | STORE_ATTR_INSTANCE_VALUE => {
                        AttrKind::InstanceValue { index }
                    }
                    LOAD_ATTR_SLOT | STORE_ATTR_SLOT => AttrKind::Slot { offset: index },
                    _ => AttrKind::DictHint { hint: index },
                };
                attr(receiver, name, how)
            }
            LOAD_ATTR_MODULE | LOAD_METHOD_MODULE => {
                let Some(name) = co_name(&code_obj, raw.arg) else {
                    return Ok(None);
                };
                attr(MODULE.into(), name, AttrKind::Module)
            }
            LOAD_METHOD_WITH_VALUES
            | LOAD_METHOD_WITH_DICT
            | LOAD_METHOD_NO_DICT
            | LOAD_METHOD_CLASS => {
                let v = raw.field("type_version") as u32;
                let (Some(name), Some(receiver)) = (
                    co_name(&code_obj, raw.arg),
                    self.types.name(py, v, snapshot),
                ) else {
                    return Ok(None);
                };
                // The cached descriptor is trusted only if the type is unchanged since (same
                // live version) and still resolves `name` to that very object.
                let descr_ptr = raw.field("descr") as usize;
                let found = self
                    .types
                    .live(py, v, snapshot)
                    .and_then(|t| lookup_mro(&t, &name))
                    .filter(|d| d.as_ptr() as usize == descr_ptr);
                let descr = match found {
                    Some(d) => self.callee_of(py, &d)?,
                    None => Callee::Unknown,
                };
                let how = if raw.op == LOAD_METHOD_CLASS {
                    AttrKind::ClassAttr { descr }
                } else {
                    AttrKind::Method { descr }
                };
                attr(receiver, name, how)
            }
            CALL_PY_EXACT_ARGS | CALL_PY_WITH_DEFAULTS => {
                let v = raw.field("func_version") as u32;
                if !self.find_function(py, v, snapshot) {
                    return Ok(None);
                }
                let Some((callee_code, module)) = self.funcs.get(py, v) else {
                    return Ok(None);
                };
                let key = self.callee_key(py, &callee_code, &module)?;
                Feedback::Call {
                    op: op.clone(),
                    callee: Callee::Code(key),
                }
            }
            BINARY_SUBSCR_GETITEM => {
                let Some(t) = self
                    .types
                    .live(py, raw.field("type_version") as u32, snapshot)
                else {
                    return Ok(None);
                };
                let Some(getitem) = lookup_mro(&t, "__getitem__") else {
                    return Ok(None);
                };
                let callee = self.callee_of(py, &getitem)?;
                Feedback::Call {
                    op: op.clone(),
                    callee,
                }
            }
            _ if opcodes::base_op(raw.op) == PRECALL => Feedback::Call {
                op: op.clone(),
                callee: precall_callee(raw.op),
            },
            _ => return Ok(None),
        };
        Ok(Some(fb))
    }

    /// Last chance at exit for an observation that could not be named during the run: calls
    /// keep their kind with an unknown callee; anything else is dropped.
    pub fn fallback(&self, raw: &RawSite) -> Option<Feedback> {
        matches!(
            raw.op,
            CALL_PY_EXACT_ARGS | CALL_PY_WITH_DEFAULTS | BINARY_SUBSCR_GETITEM
        )
        .then(|| Feedback::Call {
            op: opcodes::name(raw.op).to_owned(),
            callee: Callee::Unknown,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn types(op: u8) -> Option<Vec<String>> {
        operand_types(op)
    }

    fn names(ts: &[&str]) -> Option<Vec<String>> {
        Some(ts.iter().map(|t| (*t).to_owned()).collect())
    }

    #[test]
    fn operand_types_leave_unchecked_operands_out() {
        let (int, float) = ("builtins.int", "builtins.float");
        assert_eq!(types(BINARY_OP_ADD_INT), names(&[int, int]));
        assert_eq!(types(BINARY_OP_MULTIPLY_FLOAT), names(&[float, float]));
        assert_eq!(types(BINARY_OP_INPLACE_ADD_UNICODE), names(&[STR, STR]));
        assert_eq!(types(COMPARE_OP_INT_JUMP), names(&[int, int]));
        assert_eq!(types(COMPARE_OP_STR_JUMP), names(&[STR, STR]));
        assert_eq!(
            types(BINARY_SUBSCR_LIST_INT),
            names(&["builtins.list", int])
        );
        assert_eq!(types(BINARY_SUBSCR_DICT), names(&["builtins.dict"]));
        assert_eq!(types(STORE_SUBSCR_LIST_INT), names(&["builtins.list", int]));
        assert_eq!(types(STORE_SUBSCR_DICT), names(&["builtins.dict"]));
        assert_eq!(types(UNPACK_SEQUENCE_TWO_TUPLE), names(&[TUPLE]));
        assert_eq!(types(LOAD_ATTR_SLOT), None);
        assert_eq!(types(BINARY_OP_ADAPTIVE), None);
    }

    #[test]
    fn precall_kinds_name_their_callee() {
        assert_eq!(
            precall_callee(PRECALL_NO_KW_LEN),
            Callee::Builtin("builtins.len".into())
        );
        assert_eq!(
            precall_callee(PRECALL_NO_KW_TYPE_1),
            Callee::Type("builtins.type".into())
        );
        assert_eq!(precall_callee(PRECALL_BOUND_METHOD), Callee::Unknown);
    }
}
