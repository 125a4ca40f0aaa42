//! Container and string construction (`BUILD_*`) from the frame's value-stack slots, and the
//! in-place container updates with `ceval.c`'s error rewording (`LIST_EXTEND`, `SET_UPDATE`,
//! `DICT_UPDATE`, `DICT_MERGE`).

use super::errors::{format_kwargs_error, not_iterable, type_name};
use super::frame::{Frame, slot};
use pyo3_ffi::*;
use std::ptr;

unsafe extern "C" {
    fn _PyList_Extend(list: *mut PyObject, iterable: *mut PyObject) -> *mut PyObject;
    fn _PySet_Update(set: *mut PyObject, iterable: *mut PyObject) -> i32;
    fn _PyDict_MergeEx(a: *mut PyObject, b: *mut PyObject, override_: i32) -> i32;
    fn _PyUnicode_JoinArray(
        sep: *mut PyObject,
        items: *const *mut PyObject,
        n: Py_ssize_t,
    ) -> *mut PyObject;
}

/// Decrefs `n` slots from `sp`.
unsafe fn release(sp: *mut *mut PyObject, n: usize) {
    for i in 0..n {
        // SAFETY: the caller passes slots holding owned references.
        unsafe { Py_DECREF(*sp.add(i)) };
    }
}

/// A new sequence of `n` items moved out of the slots at `sp` (`set` steals), or NULL with
/// the slots released when `new` fails.
///
/// # Safety
/// GIL held; the slots hold owned references; `new`/`set` are a matching `Py*_New`/`*_SET_ITEM`.
unsafe fn build_seq(
    sp: *mut *mut PyObject,
    n: u32,
    new: unsafe extern "C" fn(Py_ssize_t) -> *mut PyObject,
    set: unsafe fn(*mut PyObject, Py_ssize_t, *mut PyObject),
) -> *mut PyObject {
    // SAFETY: owned references move into the new sequence (`set` steals).
    unsafe {
        let seq = new(n as Py_ssize_t);
        if seq.is_null() {
            release(sp, n as usize);
            return seq;
        }
        for i in 0..n as usize {
            set(seq, i as Py_ssize_t, *sp.add(i));
        }
        seq
    }
}

/// `BUILD_TUPLE n`: consumes slots `[base, base+n)`; new tuple or NULL (MemoryError).
///
/// # Safety
/// GIL held; the slots hold owned references.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn s6_rt_build_tuple(f: *mut Frame, base: u32, n: u32) -> *mut PyObject {
    // SAFETY: per the contract; `PyTuple_SET_ITEM` fills a fresh tuple.
    unsafe { build_seq(slot(f, base), n, PyTuple_New, PyTuple_SET_ITEM) }
}

/// `BUILD_LIST n`: consumes slots `[base, base+n)`; new list or NULL.
///
/// # Safety
/// GIL held; the slots hold owned references.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn s6_rt_build_list(f: *mut Frame, base: u32, n: u32) -> *mut PyObject {
    // SAFETY: per the contract; `PyList_SET_ITEM` fills a fresh list.
    unsafe { build_seq(slot(f, base), n, PyList_New, PyList_SET_ITEM) }
}

/// `BUILD_SET n`: consumes slots `[base, base+n)` (adding in stack order, stopping at the first
/// error as CPython does); new set or NULL. Runs `__hash__`/`__eq__`.
///
/// # Safety
/// GIL held; the slots hold owned references.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn s6_rt_build_set(f: *mut Frame, base: u32, n: u32) -> *mut PyObject {
    // SAFETY: C-API calls on owned references, each released once.
    unsafe {
        let sp = slot(f, base);
        let set = PySet_New(ptr::null_mut());
        if set.is_null() {
            release(sp, n as usize);
            return set;
        }
        let mut err = 0;
        for i in 0..n as usize {
            let item = *sp.add(i);
            if err == 0 {
                err = PySet_Add(set, item);
            }
            Py_DECREF(item);
        }
        if err != 0 {
            Py_DECREF(set);
            return ptr::null_mut();
        }
        set
    }
}

/// `BUILD_MAP n`: consumes `2n` slots (key, value pairs, bottom first); new dict or NULL.
///
/// # Safety
/// GIL held; the slots hold owned references.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn s6_rt_build_map(f: *mut Frame, base: u32, n: u32) -> *mut PyObject {
    // SAFETY: C-API calls on owned references, each released once.
    unsafe {
        let sp = slot(f, base);
        let d = PyDict_New();
        let mut ok = !d.is_null();
        for i in 0..n as usize {
            if ok && PyDict_SetItem(d, *sp.add(2 * i), *sp.add(2 * i + 1)) < 0 {
                ok = false;
            }
        }
        release(sp, 2 * n as usize);
        if !ok {
            Py_XDECREF(d);
            return ptr::null_mut();
        }
        d
    }
}

/// `BUILD_CONST_KEY_MAP n`: consumes `n` value slots and the keys tuple above them.
///
/// # Safety
/// GIL held; the slots hold owned references.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn s6_rt_build_const_key_map(
    f: *mut Frame,
    base: u32,
    n: u32,
) -> *mut PyObject {
    // SAFETY: C-API calls on owned references, each released once.
    unsafe {
        let sp = slot(f, base);
        let keys = *sp.add(n as usize);
        if PyTuple_CheckExact(keys) == 0 || PyTuple_GET_SIZE(keys) != n as Py_ssize_t {
            PyErr_SetString(
                PyExc_SystemError,
                c"bad BUILD_CONST_KEY_MAP keys argument".as_ptr(),
            );
            release(sp, n as usize + 1);
            return ptr::null_mut();
        }
        let d = PyDict_New();
        let mut ok = !d.is_null();
        for i in 0..n as usize {
            if ok && PyDict_SetItem(d, PyTuple_GET_ITEM(keys, i as Py_ssize_t), *sp.add(i)) < 0 {
                ok = false;
            }
        }
        release(sp, n as usize + 1);
        if !ok {
            Py_XDECREF(d);
            return ptr::null_mut();
        }
        d
    }
}

/// `BUILD_STRING n`: consumes `n` str slots; the concatenation or NULL.
///
/// # Safety
/// GIL held; the slots hold owned str references.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn s6_rt_build_string(f: *mut Frame, base: u32, n: u32) -> *mut PyObject {
    // SAFETY: the items are live for the join, released after.
    unsafe {
        let sp = slot(f, base);
        let empty = PyUnicode_FromStringAndSize(ptr::null(), 0);
        if empty.is_null() {
            release(sp, n as usize);
            return empty;
        }
        let s = _PyUnicode_JoinArray(empty, sp, n as Py_ssize_t);
        Py_DECREF(empty);
        release(sp, n as usize);
        s
    }
}

/// `LIST_EXTEND`: `list.extend(iterable)`; both borrowed. 0, or -1 with an exception set
/// ("Value after * must be an iterable, not T" as CPython words it). May run Python code.
///
/// # Safety
/// GIL held; `list` is a list.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn s6_rt_list_extend(list: *mut PyObject, iterable: *mut PyObject) -> i32 {
    // SAFETY: C-API calls on live objects.
    unsafe {
        let none = _PyList_Extend(list, iterable);
        if none.is_null() {
            if PyErr_ExceptionMatches(PyExc_TypeError) != 0 && not_iterable(iterable) {
                PyErr_Clear();
                PyErr_Format(
                    PyExc_TypeError,
                    c"Value after * must be an iterable, not %.200s".as_ptr(),
                    type_name(iterable),
                );
            }
            return -1;
        }
        Py_DECREF(none);
        0
    }
}

/// `SET_UPDATE`: `set |= iterable`; both borrowed; 0 or -1. May run Python code.
///
/// # Safety
/// GIL held; `set` is a set.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn s6_rt_set_update(set: *mut PyObject, iterable: *mut PyObject) -> i32 {
    // SAFETY: C-API call on live objects.
    unsafe { _PySet_Update(set, iterable) }
}

/// `DICT_UPDATE`: `dict.update(update)`; both borrowed; 0 or -1 ("'T' object is not a
/// mapping"). May run Python code.
///
/// # Safety
/// GIL held; `dict` is a dict.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn s6_rt_dict_update(dict: *mut PyObject, update: *mut PyObject) -> i32 {
    // SAFETY: C-API calls on live objects.
    unsafe {
        if PyDict_Update(dict, update) < 0 {
            if PyErr_ExceptionMatches(PyExc_AttributeError) != 0 {
                PyErr_Format(
                    PyExc_TypeError,
                    c"'%.200s' object is not a mapping".as_ptr(),
                    type_name(update),
                );
            }
            return -1;
        }
        0
    }
}

/// `DICT_MERGE`: merges `update` into `dict` for a call of `func` (all borrowed), rejecting
/// duplicate keys; 0 or -1 with CPython's call-site messages. May run Python code.
///
/// # Safety
/// GIL held; `dict` is a dict.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn s6_rt_dict_merge(
    func: *mut PyObject,
    dict: *mut PyObject,
    update: *mut PyObject,
) -> i32 {
    // SAFETY: C-API calls on live objects.
    unsafe {
        if _PyDict_MergeEx(dict, update, 2) < 0 {
            format_kwargs_error(func, update);
            return -1;
        }
        0
    }
}
