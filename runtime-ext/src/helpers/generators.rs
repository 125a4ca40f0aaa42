//! Generator and coroutine instructions whose interpreter code is more than one C-API call:
//! `SEND` (its untraced branch), `GET_YIELD_FROM_ITER` and `GET_AWAITABLE`, as 3.11's `ceval.c`
//! runs them (with the pieces of `genobject.c` they use that libpython does not export).

use pyo3_ffi::*;
use std::ptr;

use crate::evaluator::resume::{self, Sent};

/// `SEND` without a trace function: sends `value` (stolen) into `receiver` (borrowed) with
/// `PyIter_Send` (a generator or coroutine with native code: `resume::send`). Returns 0 when the receiver yielded, 1 when it returned, with the value in
/// `*out` (a new reference) either way; -1 with an exception set (and `*out` NULL) on error.
/// Runs Python code. Native code checks `use_tracing` before calling it: with a trace function
/// the interpreter runs `SEND` (it then calls `send`/`tp_iternext` itself and traces the
/// `StopIteration`).
///
/// # Safety
/// GIL held; `out` points to writable memory for one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn s6_rt_send(
    receiver: *mut PyObject,
    value: *mut PyObject,
    out: *mut *mut PyObject,
) -> i32 {
    // SAFETY: per the contract; PyIter_Send leaves a new reference in `r` unless it fails.
    unsafe {
        if let Some(sent) = resume::send(receiver, value) {
            Py_DECREF(value);
            return match sent {
                Sent::Yielded(r) => {
                    *out = r;
                    0
                }
                Sent::Returned(r) => {
                    *out = r;
                    1
                }
                Sent::Raised => {
                    *out = ptr::null_mut();
                    -1
                }
            };
        }
        let mut r = ptr::null_mut();
        let status = PyIter_Send(receiver, value, &mut r);
        Py_DECREF(value);
        match status {
            PySendResult::PYGEN_NEXT => {
                *out = r;
                0
            }
            PySendResult::PYGEN_RETURN => {
                *out = r;
                1
            }
            PySendResult::PYGEN_ERROR => {
                *out = ptr::null_mut();
                -1
            }
        }
    }
}

/// `GET_YIELD_FROM_ITER`: `iterable` (stolen) itself when it is a generator, or a coroutine
/// and `in_coroutine` (the frame's code has `CO_COROUTINE` or `CO_ITERABLE_COROUTINE`); else
/// `iter(iterable)`. NULL with an exception set on error (a coroutine in a plain generator:
/// ceval's `TypeError`). Runs Python code (`__iter__`).
///
/// # Safety
/// GIL held; `iterable` is a live object.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn s6_rt_get_yield_from_iter(
    iterable: *mut PyObject,
    in_coroutine: i32,
) -> *mut PyObject {
    // SAFETY: per the contract.
    unsafe {
        if Py_TYPE(iterable) == &raw mut PyCoro_Type {
            if in_coroutine == 0 {
                Py_DECREF(iterable);
                PyErr_SetString(
                    PyExc_TypeError,
                    c"cannot 'yield from' a coroutine object in a non-coroutine generator".as_ptr(),
                );
                return ptr::null_mut();
            }
            return iterable;
        }
        if Py_TYPE(iterable) == &raw mut PyGen_Type {
            return iterable;
        }
        let it = PyObject_GetIter(iterable);
        Py_DECREF(iterable);
        it
    }
}

/// `GET_AWAITABLE`: the iterator that `await iterable` drives (`iterable` stolen), as ceval
/// computes it: `_PyCoro_GetAwaitableIter` (a coroutine itself, else `__await__()`, which must
/// be an iterator and not a coroutine), with ceval's `async with` messages for `oparg` 1 and 2,
/// and `RuntimeError` for a coroutine that another `await` is already driving. NULL with an
/// exception set on error. Runs Python code (`__await__`).
///
/// # Safety
/// GIL held; `iterable` is a live object.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn s6_rt_get_awaitable(iterable: *mut PyObject, oparg: i32) -> *mut PyObject {
    // SAFETY: per the contract.
    unsafe {
        let ty = Py_TYPE(iterable);
        let iter = awaitable_iter(iterable);
        if iter.is_null() {
            format_awaitable_error(ty, oparg);
        }
        Py_DECREF(iterable);
        if !iter.is_null() && Py_TYPE(iter) == &raw mut PyCoro_Type && is_awaited(iter) {
            Py_DECREF(iter);
            PyErr_SetString(
                PyExc_RuntimeError,
                c"coroutine is being awaited already".as_ptr(),
            );
            return ptr::null_mut();
        }
        iter
    }
}

/// A coroutine, or a generator whose code is an iterable coroutine (`types.coroutine`).
///
/// # Safety
/// GIL held; `o` live.
unsafe fn is_coroutine(o: *mut PyObject) -> bool {
    use s6_py311::layout::{code, gen_obj};
    // SAFETY: a generator's `gi_code` is its live code object.
    unsafe {
        if Py_TYPE(o) == &raw mut PyCoro_Type {
            return true;
        }
        if Py_TYPE(o) != &raw mut PyGen_Type {
            return false;
        }
        let co = *(o as *const u8)
            .add(gen_obj::GI_CODE as usize)
            .cast::<*const u8>();
        let flags = *co.add(code::CO_FLAGS as usize).cast::<i32>();
        flags & s6_py311::marshal::CO_ITERABLE_COROUTINE as i32 != 0
    }
}

/// `_PyCoro_GetAwaitableIter` (not exported by libpython): a new reference or NULL with an
/// exception set; `o` borrowed.
///
/// # Safety
/// GIL held; `o` live.
unsafe fn awaitable_iter(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: per the contract; `tp_as_async` is NULL or a valid table.
    unsafe {
        if is_coroutine(o) {
            Py_INCREF(o);
            return o;
        }
        let ty = Py_TYPE(o);
        let methods = (*ty).tp_as_async;
        let getter = if methods.is_null() {
            None
        } else {
            (*methods).am_await
        };
        let Some(getter) = getter else {
            PyErr_Format(
                PyExc_TypeError,
                c"object %.100s can't be used in 'await' expression".as_ptr(),
                (*ty).tp_name,
            );
            return ptr::null_mut();
        };
        let res = getter(o);
        if res.is_null() {
            return res;
        }
        if is_coroutine(res) {
            PyErr_SetString(
                PyExc_TypeError,
                c"__await__() returned a coroutine".as_ptr(),
            );
            Py_DECREF(res);
            return ptr::null_mut();
        }
        if PyIter_Check(res) == 0 {
            PyErr_Format(
                PyExc_TypeError,
                c"__await__() returned non-iterator of type '%.100s'".as_ptr(),
                (*Py_TYPE(res)).tp_name,
            );
            Py_DECREF(res);
            return ptr::null_mut();
        }
        res
    }
}

/// ceval's `format_awaitable_error`: the `async with` messages replace the error when the
/// object has no `__await__`.
///
/// # Safety
/// GIL held; `ty` live.
unsafe fn format_awaitable_error(ty: *mut PyTypeObject, oparg: i32) {
    // SAFETY: per the contract.
    unsafe {
        let methods = (*ty).tp_as_async;
        if !methods.is_null() && (*methods).am_await.is_some() {
            return;
        }
        let msg = match oparg {
            1 => c"'async with' received an object from __aenter__ that does not implement __await__: %.100s",
            2 => c"'async with' received an object from __aexit__ that does not implement __await__: %.100s",
            _ => return,
        };
        PyErr_Format(PyExc_TypeError, msg.as_ptr(), (*ty).tp_name);
    }
}

/// Whether another `await` (or `yield from`) drives the coroutine `coro` now: `_PyGen_yf`
/// (not exported) is not NULL, i.e. the coroutine has started, its frame is not cleared, and
/// the instruction after the one it stopped at is a `RESUME` after `yield from`/`await`.
///
/// # Safety
/// GIL held; `coro` a live coroutine.
unsafe fn is_awaited(coro: *mut PyObject) -> bool {
    use s6_py311::layout::{frame, gen_obj};
    // SAFETY: a coroutine's frame is inline at `gi_iframe`; while not cleared and started, its
    // `prev_instr` points into its code, and the unit after it is in bounds (the stop was a
    // `YIELD_VALUE`, never the last unit).
    unsafe {
        let base = coro as *const u8;
        let state = *base.add(gen_obj::GI_FRAME_STATE as usize).cast::<i8>();
        if state >= gen_obj::FRAME_CLEARED || state == gen_obj::FRAME_CREATED {
            return false;
        }
        let f = base.add(gen_obj::GI_IFRAME as usize);
        let prev = *f.add(frame::PREV_INSTR as usize).cast::<*const u16>();
        let next = *prev.add(1);
        let (op, arg) = ((next & 0xff) as u8, next >> 8);
        s6_py311::opcodes::base_op(op) == s6_py311::opcodes::RESUME && arg >= 2
    }
}
