//! CPython's error formatting that the interpreter does in static functions of `ceval.c`
//! (`format_exc_check_arg`, `format_kwargs_error`, `check_args_iterable`), re-done through the
//! exported C API so that messages and exception attributes are identical.

use pyo3_ffi::*;
use std::ffi::{CStr, c_char};
use std::ptr;

unsafe extern "C" {
    fn _PyObject_FunctionStr(func: *mut PyObject) -> *mut PyObject;
}

/// `NAME_ERROR_MSG`.
pub const NAME_ERROR_MSG: &CStr = c"name '%.200s' is not defined";

/// `format_exc_check_arg`: raises `exc(format % name)`; for `NameError` also sets `.name` (used
/// by the "Did you mean" suggestions).
///
/// # Safety
/// GIL held; `name` is a str (borrowed); `format` has exactly one `%s`-style conversion.
pub unsafe fn format_exc_check_arg(exc: *mut PyObject, format: &CStr, name: *mut PyObject) {
    // SAFETY: GIL held; every pointer comes from CPython and is checked before use.
    unsafe {
        let s = PyUnicode_AsUTF8(name);
        if s.is_null() {
            return;
        }
        PyErr_Format(exc, format.as_ptr(), s);
        if exc == PyExc_NameError {
            let (mut t, mut v, mut tb) = (ptr::null_mut(), ptr::null_mut(), ptr::null_mut());
            PyErr_Fetch(&mut t, &mut v, &mut tb);
            PyErr_NormalizeException(&mut t, &mut v, &mut tb);
            if !v.is_null() && PyErr_GivenExceptionMatches(v, PyExc_NameError) != 0 {
                let attr = PyObject_GetAttrString(v, c"name".as_ptr());
                if attr.is_null() {
                    PyErr_Clear();
                } else {
                    if attr == Py_None() {
                        // Ignored on failure, as in CPython: the NameError is restored anyway.
                        if PyObject_SetAttrString(v, c"name".as_ptr(), name) < 0 {
                            PyErr_Clear();
                        }
                    }
                    Py_DECREF(attr);
                }
            }
            PyErr_Restore(t, v, tb);
        }
    }
}

/// `tp_name` of `o`'s type.
///
/// # Safety
/// `o` is a live object.
pub unsafe fn type_name(o: *mut PyObject) -> *const c_char {
    // SAFETY: every object has a type with a NUL-terminated tp_name.
    unsafe { (*Py_TYPE(o)).tp_name }
}

/// Whether `o` is neither iterable nor a sequence (the condition for CPython's "must be an
/// iterable" rewording of a `TypeError`).
///
/// # Safety
/// GIL held, `o` live.
pub unsafe fn not_iterable(o: *mut PyObject) -> bool {
    // SAFETY: reads the type slot; PySequence_Check cannot fail.
    unsafe { (*Py_TYPE(o)).tp_iter.is_none() && PySequence_Check(o) == 0 }
}

/// `check_args_iterable`: `f(*args)` with a non-iterable `args`.
///
/// # Safety
/// GIL held, both live.
pub unsafe fn check_args_iterable(func: *mut PyObject, args: *mut PyObject) -> bool {
    // SAFETY: GIL held; C-API calls on live objects.
    unsafe {
        if not_iterable(args) {
            PyErr_Clear();
            let fs = _PyObject_FunctionStr(func);
            if !fs.is_null() {
                PyErr_Format(
                    PyExc_TypeError,
                    c"%U argument after * must be an iterable, not %.200s".as_ptr(),
                    fs,
                    type_name(args),
                );
                Py_DECREF(fs);
            }
            return false;
        }
        true
    }
}

/// `format_kwargs_error`: rewrites the error of merging `**kwargs` into a call.
///
/// # Safety
/// GIL held, an exception set, both live.
pub unsafe fn format_kwargs_error(func: *mut PyObject, kwargs: *mut PyObject) {
    // SAFETY: GIL held; C-API calls on live objects.
    unsafe {
        if PyErr_ExceptionMatches(PyExc_AttributeError) != 0 {
            PyErr_Clear();
            let fs = _PyObject_FunctionStr(func);
            if !fs.is_null() {
                PyErr_Format(
                    PyExc_TypeError,
                    c"%U argument after ** must be a mapping, not %.200s".as_ptr(),
                    fs,
                    type_name(kwargs),
                );
                Py_DECREF(fs);
            }
        } else if PyErr_ExceptionMatches(PyExc_KeyError) != 0 {
            let (mut t, mut v, mut tb) = (ptr::null_mut(), ptr::null_mut(), ptr::null_mut());
            PyErr_Fetch(&mut t, &mut v, &mut tb);
            if !v.is_null() && PyTuple_Check(v) != 0 && PyTuple_GET_SIZE(v) == 1 {
                let fs = _PyObject_FunctionStr(func);
                if !fs.is_null() {
                    let key = PyTuple_GET_ITEM(v, 0);
                    PyErr_Format(
                        PyExc_TypeError,
                        c"%U got multiple values for keyword argument '%S'".as_ptr(),
                        fs,
                        key,
                    );
                    Py_DECREF(fs);
                }
                Py_XDECREF(t);
                Py_XDECREF(v);
                Py_XDECREF(tb);
            } else {
                PyErr_Restore(t, v, tb);
            }
        }
    }
}
