//! Single-instruction helpers whose interpreter code is more than one C-API call: method
//! loads, `FOR_ITER`, `FORMAT_VALUE`, `BINARY_OP` by oparg, `RAISE_VARARGS`, `BEFORE_WITH`,
//! pattern-matching flags, and the few singletons native code needs.

use pyo3_ffi::*;
use std::ffi::c_long;
use std::ptr;

use super::_PyObject_GetMethod;
use crate::evaluator::resume::{self, Sent};

unsafe extern "C" {
    fn _PyObject_LookupSpecial(obj: *mut PyObject, name: *mut PyObject) -> *mut PyObject;
}

/// `LOAD_METHOD`: steals `obj`. On success returns the upper stack value and writes the lower
/// one to `*lower`: a method found on the type gives `[method, obj]` (lower = method, returns
/// `obj`); anything else gives `[NULL, attribute]`. Both new references. NULL with an exception
/// set on failure (`obj` released). Runs Python code (descriptors, `__getattr__`).
///
/// # Safety
/// GIL held; `lower` points to writable memory for one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn s6_rt_load_method(
    obj: *mut PyObject,
    name: *mut PyObject,
    lower: *mut *mut PyObject,
) -> *mut PyObject {
    // SAFETY: _PyObject_GetMethod returns a new reference in `meth` or NULL with an exception.
    unsafe {
        let mut meth = ptr::null_mut();
        let found = _PyObject_GetMethod(obj, name, &mut meth);
        if meth.is_null() {
            *lower = ptr::null_mut();
            Py_DECREF(obj);
            return ptr::null_mut();
        }
        if found != 0 {
            *lower = meth;
            obj
        } else {
            *lower = ptr::null_mut();
            Py_DECREF(obj);
            meth
        }
    }
}

/// `FOR_ITER`: the next item as a new reference; NULL without an exception when the iterator is
/// exhausted (a `StopIteration` is cleared, as the interpreter does); NULL with an exception on
/// error. `iter` borrowed. Runs Python code.
///
/// # Safety
/// GIL held; `iter` is an iterator (`GET_ITER` made it).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn s6_rt_for_iter(iter: *mut PyObject) -> *mut PyObject {
    // SAFETY: tp_iternext is set on every object GET_ITER returns.
    unsafe {
        // A generator with native code is resumed directly (`gen_iternext` sends None); its
        // return ends the loop (the StopIteration `gen_iternext` would set is what is cleared
        // below).
        if Py_TYPE(iter) == &raw mut PyGen_Type
            && let Some(sent) = resume::send(iter, Py_None())
        {
            return match sent {
                Sent::Yielded(r) => r,
                Sent::Returned(r) => {
                    Py_DECREF(r);
                    ptr::null_mut()
                }
                Sent::Raised => ptr::null_mut(),
            };
        }
        let next = match (*Py_TYPE(iter)).tp_iternext {
            Some(f) => f(iter),
            None => {
                return PyIter_Next(iter);
            }
        };
        if next.is_null()
            && !PyErr_Occurred().is_null()
            && PyErr_ExceptionMatches(PyExc_StopIteration) != 0
        {
            PyErr_Clear();
        }
        next
    }
}

/// `FORMAT_VALUE oparg`: conversion (`oparg & 3`: none, `!s`, `!r`, `!a`) then `format(value,
/// spec)`. `value` and `spec` (NULL when `oparg & 4` is clear) borrowed. New reference or NULL.
///
/// # Safety
/// GIL held.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn s6_rt_format_value(
    value: *mut PyObject,
    spec: *mut PyObject,
    oparg: u32,
) -> *mut PyObject {
    // SAFETY: C-API calls on live objects; every intermediate reference is released once.
    unsafe {
        let converted = match oparg & 3 {
            0 => {
                Py_INCREF(value);
                value
            }
            1 => PyObject_Str(value),
            2 => PyObject_Repr(value),
            _ => PyObject_ASCII(value),
        };
        if converted.is_null() {
            return converted;
        }
        if PyUnicode_CheckExact(converted) != 0 && spec.is_null() {
            return converted;
        }
        let res = PyObject_Format(converted, spec);
        Py_DECREF(converted);
        res
    }
}

/// `BINARY_OP oparg` for any `NB_*` operator (`binary_ops[]` in `ceval.c`); both borrowed.
/// New reference or NULL. Runs Python code.
///
/// # Safety
/// GIL held; `oparg <= 25`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn s6_rt_binary_op(
    a: *mut PyObject,
    b: *mut PyObject,
    oparg: u32,
) -> *mut PyObject {
    // SAFETY: C-API calls on live objects.
    unsafe {
        match oparg {
            0 => PyNumber_Add(a, b),
            1 => PyNumber_And(a, b),
            2 => PyNumber_FloorDivide(a, b),
            3 => PyNumber_Lshift(a, b),
            4 => PyNumber_MatrixMultiply(a, b),
            5 => PyNumber_Multiply(a, b),
            6 => PyNumber_Remainder(a, b),
            7 => PyNumber_Or(a, b),
            8 => PyNumber_Power(a, b, Py_None()),
            9 => PyNumber_Rshift(a, b),
            10 => PyNumber_Subtract(a, b),
            11 => PyNumber_TrueDivide(a, b),
            12 => PyNumber_Xor(a, b),
            13 => PyNumber_InPlaceAdd(a, b),
            14 => PyNumber_InPlaceAnd(a, b),
            15 => PyNumber_InPlaceFloorDivide(a, b),
            16 => PyNumber_InPlaceLshift(a, b),
            17 => PyNumber_InPlaceMatrixMultiply(a, b),
            18 => PyNumber_InPlaceMultiply(a, b),
            19 => PyNumber_InPlaceRemainder(a, b),
            20 => PyNumber_InPlaceOr(a, b),
            21 => PyNumber_InPlacePower(a, b, Py_None()),
            22 => PyNumber_InPlaceRshift(a, b),
            23 => PyNumber_InPlaceSubtract(a, b),
            24 => PyNumber_InPlaceTrueDivide(a, b),
            25 => PyNumber_InPlaceXor(a, b),
            _ => {
                PyErr_SetString(PyExc_SystemError, c"bad BINARY_OP oparg".as_ptr());
                ptr::null_mut()
            }
        }
    }
}

/// `RAISE_VARARGS 1|2` (`do_raise` with an exception): steals `exc` and `cause` (NULL for
/// `raise exc`). Always leaves an exception set (the requested one, or the TypeError/error
/// raised while making it). Runs Python code (instantiating exception classes).
///
/// # Safety
/// GIL held; `exc` is an owned reference.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn s6_rt_raise(exc: *mut PyObject, cause: *mut PyObject) {
    // SAFETY: a transcription of ceval.c's do_raise (exc != NULL) on owned references.
    unsafe {
        let (ty, value);
        if PyExceptionClass_Check(exc) != 0 {
            ty = exc;
            value = PyObject_CallNoArgs(exc);
            if value.is_null() {
                Py_DECREF(ty);
                Py_XDECREF(cause);
                return;
            }
            if PyExceptionInstance_Check(value) == 0 {
                PyErr_Format(
                    PyExc_TypeError,
                    c"calling %R should have returned an instance of BaseException, not %R"
                        .as_ptr(),
                    ty,
                    Py_TYPE(value) as *mut PyObject,
                );
                Py_DECREF(value);
                Py_DECREF(ty);
                Py_XDECREF(cause);
                return;
            }
        } else if PyExceptionInstance_Check(exc) != 0 {
            value = exc;
            ty = PyExceptionInstance_Class(exc);
            Py_INCREF(ty);
        } else {
            Py_DECREF(exc);
            PyErr_SetString(
                PyExc_TypeError,
                c"exceptions must derive from BaseException".as_ptr(),
            );
            Py_XDECREF(cause);
            return;
        }
        if !cause.is_null() {
            let fixed;
            if PyExceptionClass_Check(cause) != 0 {
                fixed = PyObject_CallNoArgs(cause);
                if fixed.is_null() {
                    Py_DECREF(value);
                    Py_DECREF(ty);
                    Py_DECREF(cause);
                    return;
                }
                Py_DECREF(cause);
            } else if PyExceptionInstance_Check(cause) != 0 {
                fixed = cause;
            } else if cause == Py_None() {
                Py_DECREF(cause);
                fixed = ptr::null_mut();
            } else {
                PyErr_SetString(
                    PyExc_TypeError,
                    c"exception causes must derive from BaseException".as_ptr(),
                );
                Py_DECREF(value);
                Py_DECREF(ty);
                Py_DECREF(cause);
                return;
            }
            PyException_SetCause(value, fixed);
        }
        PyErr_SetObject(ty, value);
        Py_DECREF(value);
        Py_DECREF(ty);
    }
}

/// `BEFORE_WITH`: steals `mgr`; looks up `__enter__`/`__exit__` on its type, writes the bound
/// `__exit__` (new reference) to `*exit_out` and returns `__enter__()`'s result (new
/// reference). NULL with an exception on failure, with nothing written that needs releasing.
/// Runs Python code.
///
/// # Safety
/// GIL held; `exit_out` points to writable memory for one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn s6_rt_before_with(
    mgr: *mut PyObject,
    exit_out: *mut *mut PyObject,
) -> *mut PyObject {
    // SAFETY: a transcription of ceval.c's BEFORE_WITH on owned references.
    unsafe {
        *exit_out = ptr::null_mut();
        let enter_name = PyUnicode_InternFromString(c"__enter__".as_ptr());
        let exit_name = PyUnicode_InternFromString(c"__exit__".as_ptr());
        let done = |r: *mut PyObject| {
            Py_XDECREF(enter_name);
            Py_XDECREF(exit_name);
            r
        };
        if enter_name.is_null() || exit_name.is_null() {
            Py_DECREF(mgr);
            return done(ptr::null_mut());
        }
        let enter = _PyObject_LookupSpecial(mgr, enter_name);
        if enter.is_null() {
            if PyErr_Occurred().is_null() {
                PyErr_Format(
                    PyExc_TypeError,
                    c"'%.200s' object does not support the context manager protocol".as_ptr(),
                    (*Py_TYPE(mgr)).tp_name,
                );
            }
            Py_DECREF(mgr);
            return done(ptr::null_mut());
        }
        let exit = _PyObject_LookupSpecial(mgr, exit_name);
        if exit.is_null() {
            if PyErr_Occurred().is_null() {
                PyErr_Format(
                    PyExc_TypeError,
                    c"'%.200s' object does not support the context manager protocol (missed __exit__ method)".as_ptr(),
                    (*Py_TYPE(mgr)).tp_name,
                );
            }
            Py_DECREF(enter);
            Py_DECREF(mgr);
            return done(ptr::null_mut());
        }
        Py_DECREF(mgr);
        let res = PyObject_CallNoArgs(enter);
        Py_DECREF(enter);
        if res.is_null() {
            Py_DECREF(exit);
            return done(ptr::null_mut());
        }
        *exit_out = exit;
        done(res)
    }
}

/// `MATCH_MAPPING` / `MATCH_SEQUENCE`: `True` when `Py_TYPE(subject)->tp_flags & mask`, else
/// `False` (new reference). `subject` borrowed. Cannot fail.
///
/// # Safety
/// GIL held.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn s6_rt_match_type_flag(subject: *mut PyObject, mask: u64) -> *mut PyObject {
    // SAFETY: reads the type's flags; PyBool_FromLong cannot fail.
    unsafe { PyBool_FromLong(((*Py_TYPE(subject)).tp_flags as u64 & mask != 0) as c_long) }
}

/// `LOAD_ASSERTION_ERROR`: `AssertionError` (new reference). Cannot fail.
///
/// # Safety
/// GIL held.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn s6_rt_assertion_error() -> *mut PyObject {
    // SAFETY: the exception type is a static object.
    unsafe {
        let e = PyExc_AssertionError;
        Py_INCREF(e);
        e
    }
}
