//! `UNPACK_SEQUENCE` and `UNPACK_EX` (`unpack_iterable` in `ceval.c`): the items go into the
//! frame's value-stack slots in interpreter order (the first item ends on top), where native
//! code picks them up as owned references.

use super::errors::{not_iterable, type_name};
use super::frame::{Frame, slot};
use pyo3_ffi::*;

/// Unpacks `seq` into `argcnt` (+ a starred list + `after`) values written downwards from
/// `top` (exclusive). Returns false with an exception set, having released what it wrote.
unsafe fn unpack_iterable(
    seq: *mut PyObject,
    argcnt: i32,
    after: i32,
    top: *mut *mut PyObject,
) -> bool {
    // SAFETY: `top` bounds writable frame slots sized by the compiler's stack depth.
    unsafe {
        let mut sp = top;
        let mut written = 0usize;
        let it = PyObject_GetIter(seq);
        if it.is_null() {
            if PyErr_ExceptionMatches(PyExc_TypeError) != 0 && not_iterable(seq) {
                PyErr_Format(
                    PyExc_TypeError,
                    c"cannot unpack non-iterable %.200s object".as_ptr(),
                    type_name(seq),
                );
            }
            return false;
        }
        let fail = |sp: *mut *mut PyObject, written: usize, it: *mut PyObject| {
            for k in 0..written {
                Py_DECREF(*sp.add(k));
            }
            Py_XDECREF(it);
            false
        };
        for i in 0..argcnt {
            let w = PyIter_Next(it);
            if w.is_null() {
                if PyErr_Occurred().is_null() {
                    if after == -1 {
                        PyErr_Format(
                            PyExc_ValueError,
                            c"not enough values to unpack (expected %d, got %d)".as_ptr(),
                            argcnt,
                            i,
                        );
                    } else {
                        PyErr_Format(
                            PyExc_ValueError,
                            c"not enough values to unpack (expected at least %d, got %d)".as_ptr(),
                            argcnt + after,
                            i,
                        );
                    }
                }
                return fail(sp, written, it);
            }
            sp = sp.sub(1);
            *sp = w;
            written += 1;
        }
        if after == -1 {
            let w = PyIter_Next(it);
            if w.is_null() {
                if !PyErr_Occurred().is_null() {
                    return fail(sp, written, it);
                }
                Py_DECREF(it);
                return true;
            }
            Py_DECREF(w);
            PyErr_Format(
                PyExc_ValueError,
                c"too many values to unpack (expected %d)".as_ptr(),
                argcnt,
            );
            return fail(sp, written, it);
        }
        let l = PySequence_List(it);
        if l.is_null() {
            return fail(sp, written, it);
        }
        sp = sp.sub(1);
        *sp = l;
        written += 1;
        let ll = PyList_GET_SIZE(l);
        if ll < after as Py_ssize_t {
            PyErr_Format(
                PyExc_ValueError,
                c"not enough values to unpack (expected at least %d, got %zd)".as_ptr(),
                argcnt + after,
                argcnt as Py_ssize_t + ll,
            );
            return fail(sp, written, it);
        }
        for j in (1..=after as Py_ssize_t).rev() {
            sp = sp.sub(1);
            *sp = PyList_GET_ITEM(l, ll - j);
        }
        // The moved items keep the list's references; shrink the list over them (Py_SET_SIZE).
        (*(l as *mut PyVarObject)).ob_size = ll - after as Py_ssize_t;
        Py_DECREF(it);
        true
    }
}

/// `UNPACK_SEQUENCE n`: writes `n` new references to slots `[base, base+n)` (slot `base+n-1` is
/// the first item). `seq` is borrowed. 0, or -1 with an exception set (nothing written).
/// May run Python code (iteration).
///
/// # Safety
/// GIL held; the slots are free value-stack slots of the running frame.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn s6_rt_unpack_sequence(
    f: *mut Frame,
    base: u32,
    seq: *mut PyObject,
    n: u32,
) -> i32 {
    // SAFETY: see unpack_iterable; the fast paths read exact tuples/lists of the right size.
    unsafe {
        let top = slot(f, base + n);
        let exact = if PyTuple_CheckExact(seq) != 0 && PyTuple_GET_SIZE(seq) == n as Py_ssize_t {
            Some(false)
        } else if PyList_CheckExact(seq) != 0 && PyList_GET_SIZE(seq) == n as Py_ssize_t {
            Some(true)
        } else {
            None
        };
        if let Some(is_list) = exact {
            for i in 0..n as usize {
                let item = if is_list {
                    PyList_GET_ITEM(seq, i as Py_ssize_t)
                } else {
                    PyTuple_GET_ITEM(seq, i as Py_ssize_t)
                };
                Py_INCREF(item);
                *top.sub(i + 1) = item;
            }
            return 0;
        }
        if unpack_iterable(seq, n as i32, -1, top) {
            0
        } else {
            -1
        }
    }
}

/// `UNPACK_EX oparg`: `a, *b, c = seq` with `oparg & 0xff` names before the star and
/// `oparg >> 8` after; writes `1 + before + after` new references to slots from `base` (the
/// first item on top). `seq` borrowed. 0, or -1 with an exception set.
///
/// # Safety
/// GIL held; the slots are free value-stack slots of the running frame.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn s6_rt_unpack_ex(
    f: *mut Frame,
    base: u32,
    seq: *mut PyObject,
    oparg: u32,
) -> i32 {
    let before = oparg & 0xff;
    let after = oparg >> 8;
    // SAFETY: see unpack_iterable.
    unsafe {
        let top = slot(f, base + 1 + before + after);
        if unpack_iterable(seq, before as i32, after as i32, top) {
            0
        } else {
            -1
        }
    }
}
