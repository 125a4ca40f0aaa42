//! Structural pattern matching: `MATCH_CLASS` and `MATCH_KEYS` (`match_class`/`match_keys`
//! are static in `ceval.c`; these are transcriptions through exported functions, with the same
//! lookups in the same order and the same error messages).

use pyo3_ffi::*;
use std::ffi::c_char;
use std::ptr;

use super::_PyObject_GetMethod;

/// `_Py_TPFLAGS_MATCH_SELF`.
const TPFLAGS_MATCH_SELF: std::ffi::c_ulong = 1 << 22;

/// Appends the new reference `item` to `list` and releases it; false (exception set) if `item`
/// is NULL or the append fails.
///
/// # Safety
/// GIL held; `list` is a live list, `item` NULL or an owned reference.
unsafe fn append_new(list: *mut PyObject, item: *mut PyObject) -> bool {
    if item.is_null() {
        return false;
    }
    // SAFETY: per the contract; `PyList_Append` takes its own reference.
    unsafe {
        let r = PyList_Append(list, item);
        Py_DECREF(item);
        r >= 0
    }
}

unsafe fn tp_name(t: *mut PyObject) -> *const c_char {
    // SAFETY: the caller passes a type object.
    unsafe { (*(t as *mut PyTypeObject)).tp_name }
}

/// `match_class_attr`: `getattr(subject, name)` rejecting a name seen before; NULL without an
/// exception when the attribute is missing.
unsafe fn class_attr(
    subject: *mut PyObject,
    ty: *mut PyObject,
    name: *mut PyObject,
    seen: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: GIL held; live objects.
    unsafe {
        if PySet_Contains(seen, name) != 0 || PySet_Add(seen, name) != 0 {
            if PyErr_Occurred().is_null() {
                PyErr_Format(
                    PyExc_TypeError,
                    c"%s() got multiple sub-patterns for attribute %R".as_ptr(),
                    tp_name(ty),
                    name,
                );
            }
            return ptr::null_mut();
        }
        let attr = PyObject_GetAttr(subject, name);
        if attr.is_null() && PyErr_ExceptionMatches(PyExc_AttributeError) != 0 {
            PyErr_Clear();
        }
        attr
    }
}

/// `match_class`: the tuple of extracted attributes, or NULL (no match when no exception).
unsafe fn match_class(
    subject: *mut PyObject,
    ty: *mut PyObject,
    nargs: isize,
    kwargs: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: a transcription of ceval.c's match_class on live objects with the GIL held.
    unsafe {
        if PyType_Check(ty) == 0 {
            PyErr_SetString(
                PyExc_TypeError,
                c"called match pattern must be a type".as_ptr(),
            );
            return ptr::null_mut();
        }
        if PyObject_IsInstance(subject, ty) <= 0 {
            return ptr::null_mut();
        }
        let seen = PySet_New(ptr::null_mut());
        if seen.is_null() {
            return ptr::null_mut();
        }
        let attrs = PyList_New(0);
        if attrs.is_null() {
            Py_DECREF(seen);
            return ptr::null_mut();
        }
        let mut match_args: *mut PyObject = ptr::null_mut();
        let fail = |match_args: *mut PyObject| {
            Py_XDECREF(match_args);
            Py_DECREF(seen);
            Py_DECREF(attrs);
            ptr::null_mut()
        };
        if nargs > 0 {
            let mut match_self = false;
            match_args = PyObject_GetAttrString(ty, c"__match_args__".as_ptr());
            if !match_args.is_null() {
                if PyTuple_CheckExact(match_args) == 0 {
                    PyErr_Format(
                        PyExc_TypeError,
                        c"%s.__match_args__ must be a tuple (got %s)".as_ptr(),
                        tp_name(ty),
                        (*Py_TYPE(match_args)).tp_name,
                    );
                    return fail(match_args);
                }
            } else if PyErr_ExceptionMatches(PyExc_AttributeError) != 0 {
                PyErr_Clear();
                match_args = PyTuple_New(0);
                match_self = PyType_HasFeature(ty as *mut PyTypeObject, TPFLAGS_MATCH_SELF) != 0;
            } else {
                return fail(match_args);
            }
            let allowed = if match_self {
                1
            } else {
                PyTuple_GET_SIZE(match_args)
            };
            if allowed < nargs {
                let plural = if allowed == 1 { c"" } else { c"s" };
                PyErr_Format(
                    PyExc_TypeError,
                    c"%s() accepts %d positional sub-pattern%s (%d given)".as_ptr(),
                    tp_name(ty),
                    allowed as i32,
                    plural.as_ptr(),
                    nargs as i32,
                );
                return fail(match_args);
            }
            if match_self {
                if PyList_Append(attrs, subject) < 0 {
                    return fail(match_args);
                }
            } else {
                for i in 0..nargs {
                    let name = PyTuple_GET_ITEM(match_args, i);
                    if PyUnicode_CheckExact(name) == 0 {
                        PyErr_Format(
                            PyExc_TypeError,
                            c"__match_args__ elements must be strings (got %s)".as_ptr(),
                            (*Py_TYPE(name)).tp_name,
                        );
                        return fail(match_args);
                    }
                    if !append_new(attrs, class_attr(subject, ty, name, seen)) {
                        return fail(match_args);
                    }
                }
            }
            Py_DECREF(match_args);
            match_args = ptr::null_mut();
        }
        for i in 0..PyTuple_GET_SIZE(kwargs) {
            if !append_new(
                attrs,
                class_attr(subject, ty, PyTuple_GET_ITEM(kwargs, i), seen),
            ) {
                return fail(match_args);
            }
        }
        let t = PyList_AsTuple(attrs);
        Py_DECREF(attrs);
        Py_DECREF(seen);
        t
    }
}

/// `MATCH_CLASS nargs`: `subject`, `ty` and `names` borrowed. The tuple of extracted attributes
/// on a match, `None` on no match (new references), NULL with an exception on error. Runs
/// Python code (`isinstance`, attribute lookups).
///
/// # Safety
/// GIL held; `names` is a tuple of str (the compiler guarantees it).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn s6_rt_match_class(
    subject: *mut PyObject,
    ty: *mut PyObject,
    names: *mut PyObject,
    nargs: u32,
) -> *mut PyObject {
    // SAFETY: see match_class.
    unsafe {
        let attrs = match_class(subject, ty, nargs as isize, names);
        if attrs.is_null() && PyErr_Occurred().is_null() {
            let none = Py_None();
            Py_INCREF(none);
            return none;
        }
        attrs
    }
}

/// `MATCH_KEYS`: `map` and `keys` (a tuple) borrowed. The tuple of values when every key is
/// present (looked up with `map.get(key, dummy)`), `None` when one is missing, NULL with an
/// exception on error (e.g. a duplicate key). Runs Python code.
///
/// # Safety
/// GIL held; `keys` is a tuple.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn s6_rt_match_keys(
    map: *mut PyObject,
    keys: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: a transcription of ceval.c's match_keys on live objects with the GIL held.
    unsafe {
        let nkeys = PyTuple_GET_SIZE(keys);
        if nkeys == 0 {
            return PyTuple_New(0);
        }
        let get_name = PyUnicode_InternFromString(c"get".as_ptr());
        if get_name.is_null() {
            return ptr::null_mut();
        }
        let mut get = ptr::null_mut();
        let meth_found = _PyObject_GetMethod(map, get_name, &mut get);
        Py_DECREF(get_name);
        let (mut seen, mut dummy, mut values) = (ptr::null_mut(), ptr::null_mut(), ptr::null_mut());
        let result = 'body: {
            if get.is_null() {
                break 'body ptr::null_mut();
            }
            seen = PySet_New(ptr::null_mut());
            if seen.is_null() {
                break 'body ptr::null_mut();
            }
            dummy = PyObject_CallNoArgs(&raw mut PyBaseObject_Type as *mut PyObject);
            if dummy.is_null() {
                break 'body ptr::null_mut();
            }
            values = PyTuple_New(nkeys);
            if values.is_null() {
                break 'body ptr::null_mut();
            }
            for i in 0..nkeys {
                let key = PyTuple_GET_ITEM(keys, i);
                if PySet_Contains(seen, key) != 0 || PySet_Add(seen, key) != 0 {
                    if PyErr_Occurred().is_null() {
                        PyErr_Format(
                            PyExc_ValueError,
                            c"mapping pattern checks duplicate key (%R)".as_ptr(),
                            key,
                        );
                    }
                    break 'body ptr::null_mut();
                }
                let args = [map, key, dummy];
                let value = if meth_found != 0 {
                    PyObject_Vectorcall(get, args.as_ptr(), 3, ptr::null_mut())
                } else {
                    PyObject_Vectorcall(get, args.as_ptr().add(1), 2, ptr::null_mut())
                };
                if value.is_null() {
                    break 'body ptr::null_mut();
                }
                if value == dummy {
                    Py_DECREF(value);
                    Py_DECREF(values);
                    let none = Py_None();
                    Py_INCREF(none);
                    values = none;
                    break;
                }
                PyTuple_SET_ITEM(values, i, value);
            }
            let v = values;
            values = ptr::null_mut();
            v
        };
        Py_XDECREF(get);
        Py_XDECREF(seen);
        Py_XDECREF(dummy);
        Py_XDECREF(values);
        result
    }
}
