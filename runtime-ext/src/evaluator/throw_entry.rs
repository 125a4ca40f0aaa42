//! Hides the 'call' event ceval emits when an error exit hands a running native frame back to it.
//!
//! `_PyEval_EvalFrameDefault(ts, f, 1)` starts with `TRACE_FUNCTION_THROW_ENTRY`, which reports
//! `PyTrace_CALL` for `f` to the trace and the profile function: right for `generator.throw()`,
//! wrong for a frame that was already running natively (plain CPython reports nothing there).
//! Around that one call, each active `c_tracefunc`/`c_profilefunc` is replaced by a one-shot
//! shim: its first invocation puts the original pointer back (fields only, so `use_tracing`,
//! the objects and their refcounts never change), swallows the event if it is the 'call' of
//! `f`, and forwards anything else. Whatever is still shimmed after ceval returns is restored.

use std::cell::Cell;
use std::ffi::c_int;

use pyo3::ffi::{
    _PyInterpreterFrame as Frame, Py_tracefunc, PyFrameObject, PyObject, PyThreadState,
    PyThreadState_Get, PyTrace_CALL,
};

use super::cpy;

thread_local! {
    /// The trace function the shim stands in for (0: none).
    static SAVED_TRACE: Cell<usize> = const { Cell::new(0) };
    /// The profile function the shim stands in for (0: none).
    static SAVED_PROFILE: Cell<usize> = const { Cell::new(0) };
    /// The frame whose 'call' event is swallowed.
    static FRAME: Cell<usize> = const { Cell::new(0) };
}

/// Which slots `install` shimmed, for `restore`.
#[derive(Clone, Copy, Default)]
pub struct Shimmed {
    trace: bool,
    profile: bool,
}

/// Shims the active trace and profile functions of `ts` before ceval throws into `f`.
///
/// # Safety
/// GIL held; `ts` the current thread state; `f` the frame about to be handed to ceval.
pub unsafe fn install(ts: *mut PyThreadState, f: *mut Frame) -> Shimmed {
    let mut shimmed = Shimmed::default();
    // SAFETY: per the contract; the slots are plain words of the live thread state.
    unsafe {
        if !cpy::use_tracing(ts) {
            return shimmed;
        }
        shimmed.trace = shim_slot(cpy::c_tracefunc_slot(ts), &SAVED_TRACE, trace_shim);
        shimmed.profile = shim_slot(cpy::c_profilefunc_slot(ts), &SAVED_PROFILE, profile_shim);
    }
    if shimmed.trace || shimmed.profile {
        FRAME.set(f as usize);
    }
    shimmed
}

/// Puts back every original that `install` shimmed and no event consumed yet. A slot that
/// holds something else now (`sys.settrace` ran meanwhile) is left alone.
///
/// # Safety
/// GIL held; `ts` the thread state given to `install`.
pub unsafe fn restore(ts: *mut PyThreadState, shimmed: Shimmed) {
    // SAFETY: per the contract.
    unsafe {
        if shimmed.trace {
            unshim_slot(cpy::c_tracefunc_slot(ts), &SAVED_TRACE, trace_shim);
        }
        if shimmed.profile {
            unshim_slot(cpy::c_profilefunc_slot(ts), &SAVED_PROFILE, profile_shim);
        }
    }
}

/// # Safety
/// `slot` points to a live `Py_tracefunc` field.
unsafe fn shim_slot(
    slot: *mut usize,
    saved: &'static std::thread::LocalKey<Cell<usize>>,
    shim: Py_tracefunc,
) -> bool {
    // SAFETY: per the contract.
    unsafe {
        let current = *slot;
        // Already shimmed by an outer exit whose event has not come yet: that one owns it.
        if current == 0 || current == shim as usize {
            return false;
        }
        saved.set(current);
        *slot = shim as usize;
        true
    }
}

/// # Safety
/// `slot` points to a live `Py_tracefunc` field.
unsafe fn unshim_slot(
    slot: *mut usize,
    saved: &'static std::thread::LocalKey<Cell<usize>>,
    shim: Py_tracefunc,
) {
    // SAFETY: per the contract.
    unsafe {
        if *slot == shim as usize {
            *slot = saved.get();
        }
    }
}

unsafe extern "C" fn trace_shim(
    obj: *mut PyObject,
    frame: *mut PyFrameObject,
    what: c_int,
    arg: *mut PyObject,
) -> c_int {
    // SAFETY: called by ceval's `call_trace` with the GIL held, in place of the trace function.
    unsafe {
        let ts = PyThreadState_Get();
        first_event(
            cpy::c_tracefunc_slot(ts),
            &SAVED_TRACE,
            trace_shim,
            (obj, frame, what, arg),
        )
    }
}

unsafe extern "C" fn profile_shim(
    obj: *mut PyObject,
    frame: *mut PyFrameObject,
    what: c_int,
    arg: *mut PyObject,
) -> c_int {
    // SAFETY: called by ceval's `call_trace` with the GIL held, in place of the profile function.
    unsafe {
        let ts = PyThreadState_Get();
        first_event(
            cpy::c_profilefunc_slot(ts),
            &SAVED_PROFILE,
            profile_shim,
            (obj, frame, what, arg),
        )
    }
}

/// The shim's one invocation: restore the original, then swallow or forward the event.
///
/// # Safety
/// GIL held; `slot` the shimmed field of the current thread state; the event as ceval gave it.
unsafe fn first_event(
    slot: *mut usize,
    saved: &'static std::thread::LocalKey<Cell<usize>>,
    shim: Py_tracefunc,
    (obj, frame, what, arg): (*mut PyObject, *mut PyFrameObject, c_int, *mut PyObject),
) -> c_int {
    // SAFETY: per the contract; `saved` holds the non-zero `Py_tracefunc` that `shim_slot`
    // replaced, and `frame` is NULL or a live frame object.
    unsafe {
        unshim_slot(slot, saved, shim);
        let throw_entry = what == PyTrace_CALL
            && !frame.is_null()
            && cpy::frame_object_frame(frame.cast()) as usize == FRAME.get();
        if throw_entry {
            return 0;
        }
        let original = std::mem::transmute::<usize, Py_tracefunc>(saved.get());
        original(obj, frame, what, arg)
    }
}
