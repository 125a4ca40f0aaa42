//! Raw access to the CPython 3.11 structures the evaluator reads and writes (frames, code
//! objects, thread and interpreter state). Every offset comes from `s6_py311::layout`, the one
//! place that knows 3.11; the private functions pyo3-ffi skips are declared here.

use std::ffi::{c_char, c_int, c_void};
use std::sync::atomic::{AtomicI32, Ordering};

use pyo3::ffi::{_PyInterpreterFrame as Frame, PyObject, PyThreadState};
use s6_py311::layout::{cframe, code, code_extra, frame, frame_object, interp, thread_state};
use s6_py311::marshal;

/// The native entry of one compiled code object (see `s6_profiles::abi`).
pub type EntryFn = unsafe extern "C" fn(*mut PyThreadState, *mut Frame) -> *mut PyObject;

/// `co_flags` bits that keep a code object out of native code (its frame is not a plain call).
pub const CO_OPTIMIZED: i32 = marshal::CO_OPTIMIZED as i32;
pub const CO_GENERATOR_LIKE: i32 =
    (marshal::CO_GENERATOR | marshal::CO_COROUTINE | marshal::CO_ASYNC_GENERATOR) as i32;

unsafe extern "C" {
    pub fn _PyEval_EvalFrameDefault(
        ts: *mut PyThreadState,
        f: *mut Frame,
        throwflag: c_int,
    ) -> *mut PyObject;
    pub fn _Py_CheckRecursiveCall(ts: *mut PyThreadState, where_: *const c_char) -> c_int;
}

/// Address of the field `off` bytes into the object at `base`.
///
/// # Safety
/// `base` must point to a live object with a field of type `T` at `off`.
#[inline(always)]
pub(crate) unsafe fn field<T>(base: *mut impl Sized, off: i32) -> *mut T {
    // SAFETY: the caller guarantees the field lies inside the object.
    unsafe { base.cast::<u8>().offset(off as isize).cast::<T>() }
}

// ---- _PyInterpreterFrame ----

/// # Safety
/// `f` is a live frame (this holds for every function below taking a frame or code object).
#[inline(always)]
pub unsafe fn f_code(f: *mut Frame) -> *mut PyObject {
    // SAFETY: see the function's contract.
    unsafe { *field(f, frame::F_CODE) }
}
#[inline(always)]
pub unsafe fn f_func(f: *mut Frame) -> *mut PyObject {
    // SAFETY: live frame.
    unsafe { *field(f, frame::F_FUNC) }
}
#[inline(always)]
pub unsafe fn f_locals(f: *mut Frame) -> *mut PyObject {
    // SAFETY: live frame.
    unsafe { *field(f, frame::F_LOCALS) }
}
#[inline(always)]
pub unsafe fn f_builtins(f: *mut Frame) -> *mut PyObject {
    // SAFETY: live frame.
    unsafe { *field(f, frame::F_BUILTINS) }
}
#[inline(always)]
pub unsafe fn f_globals(f: *mut Frame) -> *mut PyObject {
    // SAFETY: live frame.
    unsafe { *field(f, frame::F_GLOBALS) }
}
#[inline(always)]
pub unsafe fn owner(f: *mut Frame) -> u8 {
    // SAFETY: live frame.
    unsafe { *field(f, frame::OWNER) }
}
#[inline(always)]
pub unsafe fn previous(f: *mut Frame) -> *mut Frame {
    // SAFETY: live frame.
    unsafe { *field(f, frame::PREVIOUS) }
}
#[inline(always)]
pub unsafe fn set_previous(f: *mut Frame, p: *mut Frame) {
    // SAFETY: live frame.
    unsafe { *field(f, frame::PREVIOUS) = p }
}
#[inline(always)]
pub unsafe fn set_stacktop(f: *mut Frame, top: i32) {
    // SAFETY: live frame.
    unsafe { *field(f, frame::STACKTOP) = top }
}
#[inline(always)]
pub unsafe fn prev_instr(f: *mut Frame) -> *mut u16 {
    // SAFETY: live frame.
    unsafe { *field(f, frame::PREV_INSTR) }
}
#[inline(always)]
pub unsafe fn set_prev_instr(f: *mut Frame, p: *mut u16) {
    // SAFETY: live frame.
    unsafe { *field(f, frame::PREV_INSTR) = p }
}
/// `f->localsplus`: locals, cells, frees, then the value stack.
#[inline(always)]
pub unsafe fn localsplus(f: *mut Frame) -> *mut *mut PyObject {
    // SAFETY: live frame.
    unsafe { field(f, frame::LOCALSPLUS) }
}
/// `_PyCode_CODE(co) + index`: the code unit `index` of the live (adaptive) bytecode.
#[inline(always)]
pub unsafe fn code_unit(co: *mut PyObject, index: isize) -> *mut u16 {
    // SAFETY: live code object; `index` may be -1 (lasti before the first instruction).
    unsafe { field::<u16>(co, code::CO_CODE_ADAPTIVE).offset(index) }
}

// ---- PyCodeObject ----

#[inline(always)]
pub unsafe fn co_nlocalsplus(co: *mut PyObject) -> i32 {
    // SAFETY: live code object.
    unsafe { *field(co, code::CO_NLOCALSPLUS) }
}
/// `co_exceptiontable`'s bytes.
///
/// # Safety
/// `co` a live code object; the slice lives as long as the code object.
pub unsafe fn co_exceptiontable<'a>(co: *mut PyObject) -> &'a [u8] {
    // SAFETY: live code object, whose exception table is an exact bytes object.
    unsafe {
        let table: *mut PyObject = *field(co, code::CO_EXCEPTIONTABLE);
        let data = pyo3::ffi::PyBytes_AsString(table).cast::<u8>();
        let len = pyo3::ffi::PyBytes_Size(table);
        if data.is_null() || len < 0 {
            pyo3::ffi::PyErr_Clear();
            return &[];
        }
        std::slice::from_raw_parts(data, len as usize)
    }
}
/// `co->_co_firsttraceable`: frames stopped before it are "incomplete" (no frame object, no
/// traceback entry).
#[inline(always)]
pub unsafe fn co_firsttraceable(co: *mut PyObject) -> i32 {
    // SAFETY: live code object.
    unsafe { *field(co, code::CO_FIRSTTRACEABLE) }
}
#[inline(always)]
pub unsafe fn co_flags(co: *mut PyObject) -> i32 {
    // SAFETY: live code object.
    unsafe { *field(co, code::CO_FLAGS) }
}
#[inline(always)]
pub unsafe fn co_firstlineno(co: *mut PyObject) -> i32 {
    // SAFETY: live code object.
    unsafe { *field(co, code::CO_FIRSTLINENO) }
}
/// `Py_SIZE(co)`: code units of its bytecode.
#[inline(always)]
pub unsafe fn co_code_units(co: *mut PyObject) -> isize {
    // SAFETY: live code object (a `PyVarObject`).
    unsafe { *field(co, code::OB_SIZE) }
}
#[inline(always)]
pub unsafe fn co_filename(co: *mut PyObject) -> *mut PyObject {
    // SAFETY: live code object.
    unsafe { *field(co, code::CO_FILENAME) }
}
#[inline(always)]
pub unsafe fn co_qualname(co: *mut PyObject) -> *mut PyObject {
    // SAFETY: live code object.
    unsafe { *field(co, code::CO_QUALNAME) }
}
/// `ce_extras[index]` of the code object, 0 when it has none: one or two loads.
#[inline(always)]
pub unsafe fn co_extra(co: *mut PyObject, index: isize) -> usize {
    // SAFETY: live code object; `co_extra` is NULL or a `_PyCodeObjectExtra` of `ce_size` slots.
    unsafe {
        let extra: *mut u8 = *field(co, code::CO_EXTRA);
        if extra.is_null() || *field::<isize>(extra, code_extra::CE_SIZE) <= index {
            return 0;
        }
        *field::<usize>(extra, code_extra::CE_EXTRAS).offset(index)
    }
}

/// Stores `value` in `ce_extras[index]`, growing the array only to `index + 1` slots.
///
/// `PyUnstable_Code_SetExtra` sizes a new array for every index registered so far, and CPython
/// calls the free function of every slot in it when the code object dies, so a program's own
/// free function would run (with NULL) for code objects it never touched. With `index + 1`
/// slots only indices registered before ours are affected. The array is allocated exactly as
/// CPython's (`PyMem_Realloc`, freed by `code_dealloc` with `PyMem_Free`, grown by a later
/// `PyUnstable_Code_SetExtra`). Our free function does nothing, so an old value is overwritten.
/// Returns false when out of memory.
///
/// # Safety
/// GIL held; live code object; `index` was returned by `PyUnstable_Eval_RequestCodeExtraIndex`.
pub unsafe fn set_own_extra(co: *mut PyObject, index: isize, value: usize) -> bool {
    // SAFETY: per the contract; the array has `ce_size` slots after its header.
    unsafe {
        let slot: *mut *mut u8 = field(co, code::CO_EXTRA);
        let mut extra = *slot;
        let size = if extra.is_null() {
            0
        } else {
            *field::<isize>(extra, code_extra::CE_SIZE)
        };
        if size <= index {
            let bytes = code_extra::CE_EXTRAS as usize + (index as usize + 1) * size_of::<usize>();
            extra = pyo3::ffi::PyMem_Realloc(extra.cast(), bytes).cast();
            if extra.is_null() {
                return false;
            }
            for i in size..=index {
                *field::<usize>(extra, code_extra::CE_EXTRAS).offset(i) = 0;
            }
            *field::<isize>(extra, code_extra::CE_SIZE) = index + 1;
            *slot = extra;
        }
        *field::<usize>(extra, code_extra::CE_EXTRAS).offset(index) = value;
        true
    }
}

// ---- PyThreadState / _PyCFrame / PyInterpreterState ----

#[inline(always)]
unsafe fn cframe_of(ts: *mut PyThreadState) -> *mut u8 {
    // SAFETY: live thread state; `cframe` is never NULL while the thread runs Python.
    unsafe { *field(ts, thread_state::CFRAME) }
}
#[inline(always)]
pub unsafe fn current_frame(ts: *mut PyThreadState) -> *mut Frame {
    // SAFETY: live thread state.
    unsafe { *field(cframe_of(ts), cframe::CURRENT_FRAME) }
}
#[inline(always)]
pub unsafe fn set_current_frame(ts: *mut PyThreadState, f: *mut Frame) {
    // SAFETY: live thread state.
    unsafe { *field(cframe_of(ts), cframe::CURRENT_FRAME) = f }
}
/// True while a trace or profile function is active (the default evaluator must run).
#[inline(always)]
pub unsafe fn tracing(ts: *mut PyThreadState) -> bool {
    // SAFETY: live thread state.
    unsafe {
        *field::<u8>(cframe_of(ts), cframe::USE_TRACING) != 0
            || !(*field::<*mut c_void>(ts, thread_state::C_TRACEFUNC)).is_null()
            || !(*field::<*mut c_void>(ts, thread_state::C_PROFILEFUNC)).is_null()
    }
}
/// `cframe->use_tracing` alone: set while ceval will emit trace/profile events.
#[inline(always)]
pub unsafe fn use_tracing(ts: *mut PyThreadState) -> bool {
    // SAFETY: live thread state.
    unsafe { *field::<u8>(cframe_of(ts), cframe::USE_TRACING) != 0 }
}
/// `&ts->c_tracefunc` as a plain address slot (0 when unset).
#[inline(always)]
pub unsafe fn c_tracefunc_slot(ts: *mut PyThreadState) -> *mut usize {
    // SAFETY: live thread state; the field is a function pointer, i.e. one machine word.
    unsafe { field(ts, thread_state::C_TRACEFUNC) }
}
/// `&ts->c_profilefunc` as a plain address slot (0 when unset).
#[inline(always)]
pub unsafe fn c_profilefunc_slot(ts: *mut PyThreadState) -> *mut usize {
    // SAFETY: live thread state; the field is a function pointer, i.e. one machine word.
    unsafe { field(ts, thread_state::C_PROFILEFUNC) }
}
/// `frame_obj->f_frame`: the interpreter frame a `PyFrameObject` stands for.
#[inline(always)]
pub unsafe fn frame_object_frame(fo: *mut PyObject) -> *mut Frame {
    // SAFETY: `fo` is a live frame object.
    unsafe { *field(fo, frame_object::F_FRAME) }
}
/// `&ts->recursion_remaining`.
#[inline(always)]
pub unsafe fn recursion_remaining(ts: *mut PyThreadState) -> *mut c_int {
    // SAFETY: live thread state.
    unsafe { field(ts, thread_state::RECURSION_REMAINING) }
}
/// `ts->interp->ceval.eval_breaker` (an atomic int).
#[inline(always)]
pub unsafe fn eval_breaker(ts: *mut PyThreadState) -> i32 {
    // SAFETY: live thread state; the field is an aligned atomic int written by other threads.
    unsafe {
        let interp: *mut u8 = *field(ts, thread_state::INTERP);
        (*field::<AtomicI32>(interp, interp::EVAL_BREAKER)).load(Ordering::Relaxed)
    }
}
/// `ts->interp->eval_frame` as an address (0: the default evaluator): what
/// `_PyInterpreterState_GetEvalFrameFunc` reads, without the call.
#[inline(always)]
pub unsafe fn eval_frame_func(ts: *mut PyThreadState) -> usize {
    // SAFETY: live thread state; the field is a function pointer, written only with the GIL.
    unsafe {
        let interp: *mut u8 = *field(ts, thread_state::INTERP);
        *field::<usize>(interp, interp::EVAL_FRAME)
    }
}
/// `ts->interp`.
pub unsafe fn interp_of(ts: *mut PyThreadState) -> *mut pyo3::ffi::PyInterpreterState {
    // SAFETY: live thread state.
    unsafe { *field(ts, thread_state::INTERP) }
}
