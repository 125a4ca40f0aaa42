//! Handler code (what runs after native code caught an exception, see
//! `evaluator::exits::s6_rt_catch`): the instructions that move the exception between the value
//! stack and the thread's handled-exception state, as ceval.c does them.

use pyo3_ffi::*;
use s6_py311::layout::{exc_stack_item, thread_state};
use std::ptr;

use super::frame::Frame;
use crate::evaluator::cpy::field;

/// The exception `raise` would re-raise (`_PyErr_GetTopmostException(ts)->exc_value`:
/// the innermost handled exception, skipping generators' empty entries), borrowed; NULL or
/// `None` when there is none.
///
/// # Safety
/// `ts` is the live current thread state.
pub(crate) unsafe fn topmost_exception(ts: *mut PyThreadState) -> *mut PyObject {
    // SAFETY: the exc_info chain of a live thread state consists of live stack items.
    unsafe {
        let mut info = exc_info(ts);
        loop {
            let value = *field::<*mut PyObject>(info, exc_stack_item::EXC_VALUE);
            let previous = *field::<*mut u8>(info, exc_stack_item::PREVIOUS_ITEM);
            if (!value.is_null() && value != Py_None()) || previous.is_null() {
                return value;
            }
            info = previous;
        }
    }
}

/// `RAISE_VARARGS 0` (a bare `raise`, ceval's `do_raise(NULL, NULL)`): the handled exception
/// becomes pending again with its own traceback, or `RuntimeError("No active exception to
/// reraise")` is raised. The error exit after it takes no traceback entry in the first case
/// only, as ceval (`evaluator::exits` tells them apart by whether the pending exception is the
/// handled one).
///
/// # Safety
/// GIL held; `ts` the current thread state.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn s6_rt_bare_raise(ts: *mut PyThreadState) {
    // SAFETY: as ceval.c's do_raise with exc == NULL.
    unsafe {
        let value = topmost_exception(ts);
        if value.is_null() || value == Py_None() {
            PyErr_SetString(
                PyExc_RuntimeError,
                c"No active exception to reraise".as_ptr(),
            );
            return;
        }
        let ty = PyExceptionInstance_Class(value);
        Py_INCREF(ty);
        Py_INCREF(value);
        let tb = PyException_GetTraceback(value);
        PyErr_Restore(ty, value, tb);
    }
}

/// `&tstate->exc_info->exc_value`.
///
/// # Safety
/// `ts` is the live current thread state.
unsafe fn exc_value_slot(ts: *mut PyThreadState) -> *mut *mut PyObject {
    // SAFETY: `exc_info` always points to a live `_PyErr_StackItem`.
    unsafe { field(exc_info(ts), exc_stack_item::EXC_VALUE) }
}

/// `tstate->exc_info`: the handled-exception stack item in force (the thread's own, or the
/// running generator's).
///
/// # Safety
/// `ts` is the live current thread state.
unsafe fn exc_info(ts: *mut PyThreadState) -> *mut u8 {
    // SAFETY: per the contract.
    unsafe { *field(ts, thread_state::EXC_INFO) }
}

/// `PUSH_EXC_INFO`: `value` (borrowed; the stack keeps it and the handled-exception state
/// gets a new reference) becomes the exception being handled; returns what was handled before
/// (`None` for nothing), a new reference that goes on the stack below `value`. Cannot fail and
/// runs no code.
///
/// # Safety
/// GIL held; `ts` is the current thread state; `value` is an exception instance.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn s6_rt_push_exc_info(
    ts: *mut PyThreadState,
    value: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: as ceval.c's PUSH_EXC_INFO on the live thread state.
    unsafe {
        let slot = exc_value_slot(ts);
        let prev = if (*slot).is_null() {
            Py_INCREF(Py_None());
            Py_None()
        } else {
            *slot
        };
        Py_INCREF(value);
        *slot = value;
        prev
    }
}

/// `POP_EXCEPT`: steals `value` (the exception handled before, or `None`), which becomes the
/// handled exception again; the one handled until now is released (which may run code).
///
/// # Safety
/// GIL held; `ts` is the current thread state; `value` an owned reference.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn s6_rt_pop_except(ts: *mut PyThreadState, value: *mut PyObject) {
    // SAFETY: as ceval.c's POP_EXCEPT on the live thread state.
    unsafe {
        let slot = exc_value_slot(ts);
        let old = ptr::replace(slot, value);
        Py_XDECREF(old);
    }
}

/// `CHECK_EXC_MATCH`: whether exception instance `left` matches `right` (a class or a tuple
/// of classes), as a new reference to `True` or `False`; NULL with `TypeError` set when
/// `right` is not a class deriving from `BaseException` (or a tuple of them), with ceval's
/// message. Both borrowed. Runs no Python code (`PyErr_GivenExceptionMatches` compares MROs).
///
/// # Safety
/// GIL held.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn s6_rt_check_exc_match(
    left: *mut PyObject,
    right: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: transcription of ceval.c's CHECK_EXC_MATCH and check_except_type_valid.
    unsafe {
        if !valid_except_type(right) {
            PyErr_SetString(
                PyExc_TypeError,
                c"catching classes that do not inherit from BaseException is not allowed".as_ptr(),
            );
            return ptr::null_mut();
        }
        let r = if PyErr_GivenExceptionMatches(left, right) != 0 {
            Py_True()
        } else {
            Py_False()
        };
        Py_INCREF(r);
        r
    }
}

/// ceval.c's `check_except_type_valid`: a `BaseException` class or a tuple of them.
unsafe fn valid_except_type(right: *mut PyObject) -> bool {
    // SAFETY: `right` is a live object; a tuple's items are live.
    unsafe {
        if PyTuple_Check(right) != 0 {
            let n = PyTuple_GET_SIZE(right);
            (0..n).all(|i| PyExceptionClass_Check(PyTuple_GET_ITEM(right, i)) != 0)
        } else {
            PyExceptionClass_Check(right) != 0
        }
    }
}

/// `RERAISE oparg`: steals `val` (the exception) and makes it the pending exception again with
/// its own traceback, as ceval's RERAISE does; with `lasti` (the stack entry below, borrowed;
/// NULL for oparg 0) an `int`, `f->prev_instr` goes back to the instruction it names first, so
/// the frame reports the line of the original raise. The error exit that follows takes no new
/// traceback entry (`evaluator::exits` recognises the RERAISE). A `lasti` that is not an int
/// (malformed bytecode) raises SystemError, as ceval does, but with `val` already popped.
///
/// # Safety
/// GIL held; `f` the running frame; `val` an owned exception instance.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn s6_rt_reraise(f: *mut Frame, val: *mut PyObject, lasti: *mut PyObject) {
    // SAFETY: as ceval.c's RERAISE on the running frame.
    unsafe {
        use crate::evaluator::cpy;
        if !lasti.is_null() {
            if PyLong_Check(lasti) == 0 {
                Py_DECREF(val);
                PyErr_SetString(PyExc_SystemError, c"lasti is not an int".as_ptr());
                return;
            }
            let co = cpy::f_code(f);
            cpy::set_prev_instr(f, cpy::code_unit(co, PyLong_AsLong(lasti) as isize));
        }
        let exc = PyExceptionInstance_Class(val);
        Py_INCREF(exc);
        let tb = PyException_GetTraceback(val);
        PyErr_Restore(exc, val, tb);
    }
}

/// `WITH_EXCEPT_START`: calls `exit_func(type(val), val, val.__traceback__)` (the `__exit__`
/// of a `with` block left by exception `val`; both borrowed) and returns its result, a new
/// reference, or NULL with an exception set. Runs Python code.
///
/// # Safety
/// GIL held; `val` an exception instance.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn s6_rt_with_except_start(
    exit_func: *mut PyObject,
    val: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: as ceval.c's WITH_EXCEPT_START.
    unsafe {
        let exc = PyExceptionInstance_Class(val);
        let tb = PyException_GetTraceback(val);
        Py_XDECREF(tb);
        let mut stack = [ptr::null_mut(), exc, val, tb];
        PyObject_Vectorcall(
            exit_func,
            stack.as_mut_ptr().add(1),
            3 | PY_VECTORCALL_ARGUMENTS_OFFSET,
            ptr::null_mut(),
        )
    }
}
