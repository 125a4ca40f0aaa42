//! Builtins that specialized calls reach directly, once the code has checked that the callee
//! is that very builtin (`len`, `isinstance`, `list.append`): the builtin's own C function,
//! without the argument vector and the dispatch of the generic call.

use pyo3_ffi::*;

/// `len(o)`: a new reference, or NULL with an exception set. Runs Python code (`__len__`).
///
/// # Safety
/// GIL held; `o` live.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn s6_rt_len(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: per the contract.
    unsafe {
        let n = PyObject_Size(o);
        if n < 0 {
            return std::ptr::null_mut();
        }
        PyLong_FromSsize_t(n)
    }
}

/// `isinstance(o, t)`: a new reference to `True`/`False`, or NULL with an exception set. Runs
/// Python code (`__instancecheck__`).
///
/// # Safety
/// GIL held; `o` and `t` live.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn s6_rt_isinstance(o: *mut PyObject, t: *mut PyObject) -> *mut PyObject {
    // SAFETY: per the contract.
    unsafe {
        match PyObject_IsInstance(o, t) {
            r if r < 0 => std::ptr::null_mut(),
            r => PyBool_FromLong(r.into()),
        }
    }
}

/// `list.append(l, x)` for `l` a list (or subclass): a new reference to `None`, or NULL with
/// an exception set (memory). Runs no Python code.
///
/// # Safety
/// GIL held; `l` a list, `x` live.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn s6_rt_list_append(l: *mut PyObject, x: *mut PyObject) -> *mut PyObject {
    // SAFETY: per the contract.
    unsafe {
        if PyList_Append(l, x) < 0 {
            return std::ptr::null_mut();
        }
        let none = Py_None();
        Py_INCREF(none);
        none
    }
}
