//! Calls from native code to a Python function, without the interpreter's generic call path.
//!
//! Why: through `PyObject_Vectorcall` every such call pays `_PyFunction_Vectorcall`,
//! `_PyEval_Vector`, `_PyEvalFramePushAndInit` (generic argument binding) and
//! `_PyEvalFrameClearAndPop`, all out of line; with a PEP 523 hook installed 3.11 does not
//! inline Python calls, so call-heavy code spent about a tenth of its time there. This module
//! does what 3.11's `CALL_PY_EXACT_ARGS` does when the shape is that simple: bump-allocate the
//! callee's frame on the thread's data stack, move the arguments into its locals, evaluate it
//! through our own hook, exactly as `_PyEval_Vector` would through `_PyEval_EvalFrame` (so the
//! hook decides as for any frame: native code, or the interpreter for code without it, under
//! tracing or stress, or when the stack runs low), then clear and pop it exactly as
//! `_PyEvalFrameClearAndPop` and `_PyFrame_Clear` (Python/frame.c) do. Those functions are not
//! exported, so their steps are repeated here, over the offsets of `s6_py311::layout`.
//!
//! Anything else takes the generic path: a callable that is not exactly a function, keyword
//! arguments, a different number of positional arguments than `co_argcount`,
//! `*args`/`**kwargs`/keyword-only parameters, generator-like or non-optimized code (whose
//! frame gets the globals as locals), our hook not being the interpreter's evaluator (after
//! `s6.disable()`, or under another tool's hook), or a data-stack chunk without room.

use std::ptr;

use pyo3::ffi::{
    _PyInterpreterFrame as Frame, Py_DECREF, Py_INCREF, Py_REFCNT, Py_TYPE, Py_XDECREF,
    PyFunction_Type, PyFunctionObject, PyObject, PyObject_GC_IsTracked, PyObject_GC_Track,
    PyThreadState, PyThreadState_GetFrame,
};
use s6_py311::layout::{code, frame, frame_object, stack_chunk, thread_state};
use s6_py311::marshal::{
    CO_ASYNC_GENERATOR, CO_COROUTINE, CO_GENERATOR, CO_ITERABLE_COROUTINE, CO_VARARGS,
    CO_VARKEYWORDS,
};

use super::cpy::{self, field};
use super::hook;

unsafe extern "C" {
    fn _PyThreadState_UncheckedGet() -> *mut PyThreadState;
}

/// `co_flags` that need more than positional binding, or make the call create a generator.
const NOT_SIMPLE: i32 = (CO_VARARGS
    | CO_VARKEYWORDS
    | CO_GENERATOR
    | CO_COROUTINE
    | CO_ASYNC_GENERATOR
    | CO_ITERABLE_COROUTINE) as i32;

/// Calls `callable(*args[..nargs])` through a frame pushed here, if the call has the simple
/// shape described in the module docs.
///
/// References: `Some` means the call happened (its result: a new reference, or NULL with an
/// exception set) and consumed `callable` and the `nargs` argument references, which now
/// belong to the callee's frame; `None` means nothing happened and nothing was consumed.
///
/// # Safety
/// GIL held; `callable` and `args[..nargs]` are owned, live references.
#[inline]
pub unsafe fn call(
    callable: *mut PyObject,
    args: *const *mut PyObject,
    nargs: usize,
) -> Option<*mut PyObject> {
    // SAFETY: per the contract; every read below is of a live function, code object or the
    // current thread state, at offsets `tests/layout.rs` checks against the headers.
    unsafe {
        if Py_TYPE(callable) != &raw mut PyFunction_Type {
            return None;
        }
        let co = (*(callable as *mut PyFunctionObject)).func_code;
        let argcount: i32 = *field(co, code::CO_ARGCOUNT);
        let kwonly: i32 = *field(co, code::CO_KWONLYARGCOUNT);
        let flags = cpy::co_flags(co);
        if argcount as usize != nargs
            || kwonly != 0
            || flags & NOT_SIMPLE != 0
            || flags & cpy::CO_OPTIMIZED == 0
        {
            return None;
        }
        let ts = _PyThreadState_UncheckedGet();
        if !hook::installed(ts) {
            return None;
        }
        let f = push(ts, callable, co)?;
        let locals = cpy::localsplus(f);
        ptr::copy_nonoverlapping(args, locals, nargs);
        for i in nargs..cpy::co_nlocalsplus(co) as usize {
            *locals.add(i) = ptr::null_mut();
        }
        let result = hook::eval(ts, f);
        clear_and_pop(ts, f);
        Some(result)
    }
}

/// Bump-allocates and initialises the frame of `func` (whose code is `co`) as
/// `_PyFrame_PushUnchecked` and `_PyFrame_InitializeSpecials` do, taking over the reference to
/// `func`; locals are left for the caller. None when the current chunk has no room (the
/// generic path then allocates a new chunk).
///
/// # Safety
/// GIL held; `ts` is the current thread state; `func` an owned function whose code is `co`.
#[inline(always)]
unsafe fn push(
    ts: *mut PyThreadState,
    func: *mut PyObject,
    co: *mut PyObject,
) -> Option<*mut Frame> {
    // SAFETY: per the contract; the new frame lies below `datastack_limit` of the current chunk.
    unsafe {
        let top: *mut *mut PyObject = *field(ts, thread_state::DATASTACK_TOP);
        let limit: *mut *mut PyObject = *field(ts, thread_state::DATASTACK_LIMIT);
        let chunk: *mut u8 = *field(ts, thread_state::DATASTACK_CHUNK);
        let nlocalsplus = cpy::co_nlocalsplus(co);
        let stacksize: i32 = *field(co, code::CO_STACKSIZE);
        let size = (nlocalsplus + stacksize + frame::SPECIALS_SIZE) as usize;
        // A frame at the very start of a chunk would have to free the chunk when popped; only
        // the generic path does that (and it never leaves such a chunk empty).
        if top.is_null()
            || chunk.is_null()
            || top as usize == chunk as usize + stack_chunk::DATA as usize
            || (limit as usize).saturating_sub(top as usize) <= size * size_of::<usize>()
        {
            return None;
        }
        *field(ts, thread_state::DATASTACK_TOP) = top.add(size);
        let f = top as *mut Frame;
        let fo = func as *mut PyFunctionObject;
        Py_INCREF(co);
        *field(f, frame::F_FUNC) = func;
        *field(f, frame::F_CODE) = co;
        *field(f, frame::F_BUILTINS) = (*fo).func_builtins;
        *field(f, frame::F_GLOBALS) = (*fo).func_globals;
        *field::<*mut PyObject>(f, frame::F_LOCALS) = ptr::null_mut();
        *field(f, frame::STACKTOP) = nlocalsplus;
        *field::<*mut PyObject>(f, frame::FRAME_OBJ) = ptr::null_mut();
        cpy::set_prev_instr(f, cpy::code_unit(co, -1));
        *field(f, frame::IS_ENTRY) = false;
        *field(f, frame::OWNER) = frame::OWNED_BY_THREAD;
        Some(f)
    }
}

/// `_PyEvalFrameClearAndPop` for a frame [`push`] made, after its evaluation unlinked it.
///
/// # Safety
/// GIL held; `f` is the top frame of `ts`'s data stack, no longer linked into its chain.
unsafe fn clear_and_pop(ts: *mut PyThreadState, f: *mut Frame) {
    // SAFETY: per the contract.
    unsafe {
        let remaining = cpy::recursion_remaining(ts);
        *remaining -= 1;
        clear(ts, f);
        *remaining += 1;
        *field(ts, thread_state::DATASTACK_TOP) = f as *mut *mut PyObject;
    }
}

/// `_PyFrame_Clear`: releases the frame's references, or, when a frame object created during
/// the call outlives it (a traceback, `sys._getframe()`), hands the frame's content to that
/// object (`take_ownership`).
///
/// # Safety
/// As for [`clear_and_pop`].
unsafe fn clear(ts: *mut PyThreadState, f: *mut Frame) {
    // SAFETY: per the contract; the frame's fields are as the evaluation left them.
    unsafe {
        let fo: *mut PyObject = *field(f, frame::FRAME_OBJ);
        if !fo.is_null() {
            *field::<*mut PyObject>(f, frame::FRAME_OBJ) = ptr::null_mut();
            if Py_REFCNT(fo) > 1 {
                take_ownership(ts, fo, f);
                Py_DECREF(fo);
                return;
            }
            Py_DECREF(fo);
        }
        let stacktop: i32 = *field(f, frame::STACKTOP);
        let locals = cpy::localsplus(f);
        for i in 0..stacktop.max(0) as usize {
            Py_XDECREF(*locals.add(i));
        }
        Py_XDECREF(*field::<*mut PyObject>(f, frame::F_LOCALS));
        Py_DECREF(*field::<*mut PyObject>(f, frame::F_FUNC));
        Py_DECREF(*field::<*mut PyObject>(f, frame::F_CODE));
    }
}

/// `take_ownership` (Python/frame.c): copies the frame into the frame object `fo`, which now
/// owns its references, and replaces the frame's `previous` link by `fo.f_back`. The caller's
/// frame object comes from `PyThreadState_GetFrame`, which finds the same frame as
/// `take_ownership`'s walk (the first complete frame of the current chain, now the caller).
///
/// # Safety
/// As for [`clear`]; `fo` is the frame object of `f`, referenced elsewhere too.
#[cold]
unsafe fn take_ownership(ts: *mut PyThreadState, fo: *mut PyObject, f: *mut Frame) {
    // SAFETY: per the contract; the frame object's data area was sized for this code's frame
    // (`_PyFrame_NumSlotsForCodeObject`) when it was created for `f`.
    unsafe {
        let stacktop: i32 = *field(f, frame::STACKTOP);
        let size = frame::LOCALSPLUS as usize + stacktop.max(0) as usize * size_of::<usize>();
        let owned: *mut Frame = field(fo, frame_object::F_FRAME_DATA);
        ptr::copy_nonoverlapping(f as *const u8, owned as *mut u8, size);
        *field(fo, frame_object::F_FRAME) = owned;
        *field(owned, frame::OWNER) = frame::OWNED_BY_FRAME_OBJECT;
        let co = cpy::f_code(owned);
        let first: i32 = *field(co, code::CO_FIRSTTRACEABLE);
        let prev_instr: *mut u16 = *field(owned, frame::PREV_INSTR);
        let start = cpy::code_unit(co, first as isize);
        if prev_instr < start {
            cpy::set_prev_instr(owned, start);
        }
        if !(*field::<*mut Frame>(owned, frame::PREVIOUS)).is_null() {
            // A new reference (NULL, with no exception, if there is no complete frame).
            let back = PyThreadState_GetFrame(ts);
            *field::<*mut PyObject>(fo, frame_object::F_BACK) = back.cast();
            *field::<*mut Frame>(owned, frame::PREVIOUS) = ptr::null_mut();
        }
        if PyObject_GC_IsTracked(fo) == 0 {
            PyObject_GC_Track(fo.cast());
        }
    }
}
