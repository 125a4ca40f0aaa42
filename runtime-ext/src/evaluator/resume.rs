//! Resuming a generator whose body is native, from native code, without CPython's send path.
//!
//! `SEND` (`yield from`, `await`) and `FOR_ITER` over a generator reach its frame through
//! `PyIter_Send` -> `PyGen_am_send` -> `gen_send_ex2` -> `_PyEval_EvalFrame` -> the hook; a
//! value yielded through nested `yield from` crosses that chain once per level, and the depth
//! of C frames (seven per level) costs more than the instructions (return-address prediction
//! fails once the chain is deep). When the receiver is a plain generator or coroutine in a
//! state `gen_send_ex2` resumes without error (suspended, or not started and sent `None`),
//! whose code is bound to native code that may run now (as the hook decides), [`send`] does
//! what `gen_send_ex2` (3.11 `Objects/genobject.c`) does around the evaluation and calls the
//! native body as the hook would: push the value, link the exception state, mark the
//! generator executing, run, then unlink and, when the body returned or raised, complete it
//! (`StopIteration` raised inside becomes `RuntimeError`, the exception state and the frame
//! are cleared). Anything else goes the generic way.
//!
//! Does not: handle async generators, throws, closing, or a generator in another state (the
//! generic path raises the right error).

use std::ptr;

use pyo3::ffi::{
    _PyInterpreterFrame as Frame, Py_TYPE, PyCoro_Type, PyErr_ExceptionMatches, PyExc_RuntimeError,
    PyExc_StopIteration, PyGen_Type, PyObject, PyThreadState,
};
use s6_py311::layout::{exc_stack_item, frame, gen_obj, thread_state};

use super::cpy::{self, field};
use super::hook;
use super::record::{self, Decision};

unsafe extern "C" {
    fn _PyThreadState_UncheckedGet() -> *mut PyThreadState;
    fn _PyErr_FormatFromCause(
        exception: *mut PyObject,
        format: *const std::ffi::c_char,
        ...
    ) -> *mut PyObject;
}

/// What [`send`] did.
pub enum Sent {
    /// The generator yielded this value (a new reference).
    Yielded(*mut PyObject),
    /// It returned this value (a new reference); it is finished.
    Returned(*mut PyObject),
    /// It raised (the exception is set); it is finished.
    Raised,
}

/// Resumes `generator` with `value` (borrowed; `None` for `next()`), natively, when it can be done as
/// described in the module docs; `None` when it was not tried (nothing happened).
///
/// Inlined into its two callers (`SEND`, `FOR_ITER`) so that each level of nested `yield from`
/// costs two C frames: the helper and the native body.
///
/// # Safety
/// GIL held; `generator` and `value` live.
#[inline(always)]
pub unsafe fn send(generator: *mut PyObject, value: *mut PyObject) -> Option<Sent> {
    // SAFETY: per the contract; a generator's frame is inline at `gi_iframe` and, while not
    // cleared, holds its code, locals and the stack its last yield left (`stacktop`).
    unsafe {
        let ty = Py_TYPE(generator);
        if ty != &raw mut PyGen_Type && ty != &raw mut PyCoro_Type {
            return None;
        }
        let state: *mut i8 = field(generator, gen_obj::GI_FRAME_STATE);
        let none = pyo3::ffi::Py_None();
        if !(*state == gen_obj::FRAME_SUSPENDED
            || (*state == gen_obj::FRAME_CREATED && value == none))
        {
            return None;
        }
        let f: *mut Frame = field(generator, gen_obj::GI_IFRAME);
        let co = cpy::f_code(f);
        let Decision::Native(native) = record::decode(cpy::co_extra(co, hook::extra_index()))
        else {
            return None;
        };
        let ts = _PyThreadState_UncheckedGet();
        if !hook::may_run_native(ts, native) {
            return None;
        }
        // _PyFrame_StackPush
        let top: *mut i32 = field(f, frame::STACKTOP);
        pyo3::ffi::Py_INCREF(value);
        *cpy::localsplus(f).add(*top as usize) = value;
        *top += 1;
        // gen->gi_exc_state.previous_item = tstate->exc_info; tstate->exc_info = &gi_exc_state
        let exc_state: *mut u8 = field(generator, gen_obj::GI_EXC_STATE);
        let exc_info: *mut *mut u8 = field(ts, thread_state::EXC_INFO);
        *exc_state
            .add(exc_stack_item::PREVIOUS_ITEM as usize)
            .cast::<*mut u8>() = *exc_info;
        *exc_info = exc_state;
        *state = gen_obj::FRAME_EXECUTING;
        let result = hook::run_native(ts, f, native);
        if *state == gen_obj::FRAME_EXECUTING {
            *state = gen_obj::FRAME_COMPLETED;
        }
        let previous: *mut *mut u8 = exc_state.add(exc_stack_item::PREVIOUS_ITEM as usize).cast();
        *exc_info = *previous;
        *previous = ptr::null_mut();
        cpy::set_previous(f, ptr::null_mut());
        if !result.is_null() && *state == gen_obj::FRAME_SUSPENDED {
            return Some(Sent::Yielded(result));
        }
        if result.is_null() && PyErr_ExceptionMatches(PyExc_StopIteration) != 0 {
            let msg = if ty == &raw mut PyCoro_Type {
                c"coroutine raised StopIteration"
            } else {
                c"generator raised StopIteration"
            };
            _PyErr_FormatFromCause(PyExc_RuntimeError, c"%s".as_ptr(), msg.as_ptr());
        }
        // _PyErr_ClearExcState(&gen->gi_exc_state); the frame is released.
        let exc_value: *mut *mut PyObject =
            exc_state.add(exc_stack_item::EXC_VALUE as usize).cast();
        let old = *exc_value;
        *exc_value = ptr::null_mut();
        pyo3::ffi::Py_XDECREF(old);
        *state = gen_obj::FRAME_CLEARED;
        super::direct::clear(ts, f);
        if result.is_null() {
            Some(Sent::Raised)
        } else {
            Some(Sent::Returned(result))
        }
    }
}
