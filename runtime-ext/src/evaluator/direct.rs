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
//! Keywords, defaults and keyword-only parameters are bound here too when binding can neither
//! raise nor allocate (`call_binding`). Anything else takes the generic path: a callable that
//! is not exactly a function, binding that raises, `*args`/`**kwargs`,
//! generator-like or non-optimized code (whose frame gets the globals as locals), our hook not
//! being the interpreter's evaluator (after `s6.disable()`, or under another tool's hook), or a
//! data-stack chunk without room.

use std::ptr;

use std::sync::atomic::{AtomicPtr, AtomicUsize, Ordering};

use pyo3::ffi::{
    _PyInterpreterFrame as Frame, PY_VECTORCALL_ARGUMENTS_OFFSET, Py_DECREF, Py_EnterRecursiveCall,
    Py_INCREF, Py_LeaveRecursiveCall, Py_None, Py_REFCNT, Py_TYPE, Py_XDECREF, PyBaseObject_Type,
    PyDict_GetItemWithError, PyDict_New, PyDict_SetItem, PyErr_Clear, PyErr_Format,
    PyExc_TypeError, PyFunction_Type, PyFunctionObject, PyObject, PyObject_GC_IsTracked,
    PyObject_GC_Track, PyObject_Vectorcall, PyThreadState, PyThreadState_GetFrame,
    PyTuple_GET_ITEM, PyTuple_GET_SIZE, PyTuple_New, PyTuple_SET_ITEM, PyType_Type, PyTypeObject,
};
use pyo3::prelude::*;
use pyo3::types::{PyString, PyTuple};
use s6_py311::layout::{code, frame, frame_object, stack_chunk, thread_state};
use s6_py311::marshal::{
    CO_ASYNC_GENERATOR, CO_COROUTINE, CO_GENERATOR, CO_ITERABLE_COROUTINE, CO_VARARGS,
    CO_VARKEYWORDS,
};

use super::cpy::{self, field};
use super::hook;

unsafe extern "C" {
    fn _PyThreadState_UncheckedGet() -> *mut PyThreadState;
    /// Borrowed or NULL, never an exception.
    fn _PyType_Lookup(t: *mut PyObject, name: *mut PyObject) -> *mut PyObject;
    fn _Py_Dealloc(o: *mut PyObject);
}

/// `co_flags` that need more than positional binding (`call_binding` binds them).
const NOT_BOUND: i32 = (CO_VARARGS | CO_VARKEYWORDS) as i32;

/// `co_flags` that need more than positional binding, or make the call create a generator
/// (whose code generated code must not enter: it starts at a resume point).
const NOT_SIMPLE: i32 = (CO_VARARGS
    | CO_VARKEYWORDS
    | CO_GENERATOR
    | CO_COROUTINE
    | CO_ASYNC_GENERATOR
    | CO_ITERABLE_COROUTINE) as i32;

/// What a direct call from generated code needs to know about the code `co` (see
/// `s6_profiles::abi::direct`): the positional argument count it takes when it has nothing but
/// positional parameters and is not generator-like (else `u32::MAX`), the words of its frame,
/// and `co_nlocalsplus`.
///
/// # Safety
/// GIL held; `co` a live code object.
pub unsafe fn frame_facts(co: *mut PyObject) -> (u32, u32, u32) {
    // SAFETY: per the contract; fields of a live code object.
    unsafe {
        let argcount: i32 = *field(co, code::CO_ARGCOUNT);
        let kwonly: i32 = *field(co, code::CO_KWONLYARGCOUNT);
        let flags = cpy::co_flags(co);
        let simple = kwonly == 0 && flags & NOT_SIMPLE == 0 && flags & cpy::CO_OPTIMIZED != 0;
        let nlocalsplus = cpy::co_nlocalsplus(co);
        let stacksize: i32 = *field(co, code::CO_STACKSIZE);
        let words = nlocalsplus + stacksize + frame::SPECIALS_SIZE;
        (
            if simple { argcount as u32 } else { u32::MAX },
            words.max(0) as u32,
            nlocalsplus.max(0) as u32,
        )
    }
}

/// `void s6_rt_frame_pop(ts, f)`: clears and pops the frame a direct call from generated code
/// pushed, after the callee returned and the frame was unlinked (`abi::direct::FRAME_POP`).
///
/// # Safety
/// GIL held; `f` is the top frame of `ts`'s data stack, pushed as `push` does.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn s6_rt_frame_pop(ts: *mut PyThreadState, f: *mut Frame) {
    // SAFETY: per the contract.
    unsafe { pop(ts, f) }
}

/// [`clear_and_pop`], with the common case (no frame object, no locals dict) in one pass in
/// `clear_and_pop`'s order. The pass calls nothing: the first reference it drops to zero hands
/// the rest of the work to [`pop_from`], so that the common pop saves no registers.
///
/// # Safety
/// As for [`clear_and_pop`].
#[inline(always)]
unsafe fn pop(ts: *mut PyThreadState, f: *mut Frame) {
    // SAFETY: per the contract; the frame's fields are as the evaluation left them.
    unsafe {
        let fo: *mut PyObject = *field(f, frame::FRAME_OBJ);
        let f_locals: *mut PyObject = *field(f, frame::F_LOCALS);
        if !fo.is_null() || !f_locals.is_null() {
            return clear_and_pop(ts, f);
        }
        *cpy::recursion_remaining(ts) -= 1;
        let n = (*field::<i32>(f, frame::STACKTOP)).max(0) as usize;
        let locals = cpy::localsplus(f);
        let mut k = 0;
        while k < n {
            let o = *locals.add(k);
            k += 1;
            if !o.is_null() {
                (*o).ob_refcnt -= 1;
                if (*o).ob_refcnt == 0 {
                    return pop_from(ts, f, o, k);
                }
            }
        }
        let func: *mut PyObject = *field(f, frame::F_FUNC);
        (*func).ob_refcnt -= 1;
        if (*func).ob_refcnt == 0 {
            return pop_from(ts, f, func, n + 1);
        }
        let code: *mut PyObject = *field(f, frame::F_CODE);
        (*code).ob_refcnt -= 1;
        if (*code).ob_refcnt == 0 {
            return pop_from(ts, f, code, n + 2);
        }
        *cpy::recursion_remaining(ts) += 1;
        *field(ts, thread_state::DATASTACK_TOP) = f as *mut *mut PyObject;
    }
}

/// Reference `k` that popping `f` releases: its `n` locals, then `f_func`, then `f_code`.
///
/// # Safety
/// `f` a frame with `n` local slots; `k <= n + 1`.
#[inline(always)]
unsafe fn pop_ref(f: *mut Frame, n: usize, k: usize) -> *mut PyObject {
    // SAFETY: per the contract.
    unsafe {
        if k < n {
            *cpy::localsplus(f).add(k)
        } else if k == n {
            *field(f, frame::F_FUNC)
        } else {
            *field(f, frame::F_CODE)
        }
    }
}

/// The rest of [`pop`] after reference `dead` dropped to zero: deallocates it, releases
/// references `next..` and pops the frame.
///
/// # Safety
/// As for [`pop`], which has released the references before `next`.
#[cold]
#[inline(never)]
unsafe fn pop_from(ts: *mut PyThreadState, f: *mut Frame, dead: *mut PyObject, next: usize) {
    // SAFETY: per the contract.
    unsafe {
        _Py_Dealloc(dead);
        let n = (*field::<i32>(f, frame::STACKTOP)).max(0) as usize;
        for k in next..n + 2 {
            Py_XDECREF(pop_ref(f, n, k));
        }
        *cpy::recursion_remaining(ts) += 1;
        *field(ts, thread_state::DATASTACK_TOP) = f as *mut *mut PyObject;
    }
}

/// Evaluates the frame `push` made for `co`, whose first `bound` locals the caller filled (the
/// others start unbound), through our hook as `_PyEval_Vector` would, then clears and pops it.
///
/// # Safety
/// GIL held; `f` the top frame of `ts`'s data stack, pushed by [`push`] for `co`.
#[inline(always)]
unsafe fn run_pushed(
    ts: *mut PyThreadState,
    f: *mut Frame,
    co: *mut PyObject,
    bound: usize,
) -> *mut PyObject {
    // SAFETY: per the contract; the frame has `co_nlocalsplus` local slots.
    unsafe {
        let locals = cpy::localsplus(f);
        for i in bound..cpy::co_nlocalsplus(co) as usize {
            *locals.add(i) = ptr::null_mut();
        }
        let result = hook::eval(ts, f);
        pop(ts, f);
        result
    }
}

/// Most parameters (positional and keyword-only) [`call_binding`] binds, and most keywords
/// it takes (one bit each in a mask; fewer than 64 so that `1 << n` does not overflow).
const MAX_BOUND: usize = 63;

/// Calls `callable(*args[..npos], **dict(zip(kwnames, args[npos..nargs])))` through a frame
/// pushed here (as 3.11's `CALL_PY_EXACT_ARGS` does), when the binding is one 3.11's
/// `initialize_locals` makes without raising and without allocating: a plain function
/// (optimized code, and generator functions too: the hook passes their frame to the
/// interpreter, whose `RETURN_GENERATOR` moves it into the new generator and leaves this one
/// empty, as under `_PyEval_Vector`) of at most [`MAX_BOUND`] parameters and no `*args` or
/// `**kwargs`; no more positional arguments than positional parameters; each keyword naming
/// (by identity: the compiler interns both) a parameter that is not positional-only and not
/// already given; a default (`__defaults__`) for every positional parameter left and an entry
/// of `__kwdefaults__` for every keyword-only one left. Anything else (an error to raise
/// included) is `None`, and the generic path binds and raises exactly as the interpreter does.
/// `*args` and `**kwargs` are left to it because they allocate: a collection during the
/// allocation can run finalizers that replace the function's `__code__` or `__defaults__`,
/// which CPython, having pushed the frame first, sees in its own order. `kwnames` is NULL or a
/// tuple of str, borrowed.
///
/// References: `Some` means the call happened (its result: a new reference, or NULL with an
/// exception set) and consumed `callable` and the `nargs` argument references, which now
/// belong to the callee's frame; `None` means nothing happened and nothing was consumed.
///
/// # Safety
/// GIL held; `callable` and `args[..nargs]` are owned, live references; `kwnames` NULL or a
/// live tuple of at most `nargs` names.
#[inline(always)]
pub unsafe fn call_binding(
    callable: *mut PyObject,
    args: *const *mut PyObject,
    nargs: usize,
    kwnames: *mut PyObject,
) -> Option<*mut PyObject> {
    // SAFETY: per the contract; reads of a live function, its code object, its defaults tuple,
    // its keyword-only defaults dict and the keyword-name tuple, at offsets `tests/layout.rs`
    // checks against the headers. Nothing below allocates or runs Python code (the dict
    // lookups are by exact str key), so what is read stays valid until it is used.
    unsafe {
        if Py_TYPE(callable) != &raw mut PyFunction_Type {
            return None;
        }
        let fo = callable as *mut PyFunctionObject;
        let co = (*fo).func_code;
        let argcount = *field::<i32>(co, code::CO_ARGCOUNT) as usize;
        let posonly = *field::<i32>(co, code::CO_POSONLYARGCOUNT) as usize;
        let kwonly = *field::<i32>(co, code::CO_KWONLYARGCOUNT) as usize;
        let flags = cpy::co_flags(co);
        let total_args = argcount + kwonly;
        let nkw = if kwnames.is_null() {
            0
        } else {
            PyTuple_GET_SIZE(kwnames) as usize
        };
        let npos = nargs.checked_sub(nkw)?;
        if flags & NOT_BOUND != 0
            || flags & cpy::CO_OPTIMIZED == 0
            || total_args > MAX_BOUND
            || npos > argcount
        {
            return None;
        }
        if nkw == 0 && npos == total_args {
            // Exactly the positional arguments (`CALL_PY_EXACT_ARGS`'s shape): nothing to bind.
            let ts = _PyThreadState_UncheckedGet();
            if !hook::installed(ts) {
                return None;
            }
            let f = push(ts, callable, co)?;
            ptr::copy_nonoverlapping(args, cpy::localsplus(f), npos);
            return Some(run_pushed(ts, f, co, npos));
        }
        // Parameters given (bit j), and the parameter each keyword names.
        let mut given: u64 = (1u64 << npos) - 1;
        let mut kw_param = [0u8; MAX_BOUND];
        let names = *field::<*mut PyObject>(co, code::CO_LOCALSPLUSNAMES);
        for (k, param) in kw_param.iter_mut().enumerate().take(nkw) {
            let name = PyTuple_GET_ITEM(kwnames, k as isize);
            let j = (posonly..total_args).find(|&j| PyTuple_GET_ITEM(names, j as isize) == name)?;
            if given & (1 << j) != 0 {
                return None;
            }
            given |= 1 << j;
            *param = j as u8;
        }
        let defaults = (*fo).func_defaults;
        let ndefaults = if defaults.is_null() {
            0
        } else {
            PyTuple_GET_SIZE(defaults) as usize
        };
        // Every positional parameter without a default is given ...
        let first_default = argcount.saturating_sub(ndefaults);
        let required = (1u64 << first_default) - 1;
        if given & required != required {
            return None;
        }
        // ... and every keyword-only one without an entry in `__kwdefaults__`.
        let kwdefaults = (*fo).func_kwdefaults;
        let kw_default = |j: usize| -> *mut PyObject {
            if kwdefaults.is_null() {
                return ptr::null_mut();
            }
            let d = PyDict_GetItemWithError(kwdefaults, PyTuple_GET_ITEM(names, j as isize));
            if d.is_null() {
                PyErr_Clear();
            }
            d
        };
        if kwonly > 0
            && (argcount..total_args).any(|j| given & (1 << j) == 0 && kw_default(j).is_null())
        {
            return None;
        }
        let ts = _PyThreadState_UncheckedGet();
        if !hook::installed(ts) {
            return None;
        }
        let f = push(ts, callable, co)?;
        let locals = cpy::localsplus(f);
        ptr::copy_nonoverlapping(args, locals, npos);
        for (k, &j) in kw_param.iter().enumerate().take(nkw) {
            *locals.add(j as usize) = *args.add(npos + k);
        }
        for j in npos..total_args {
            if given & (1 << j) == 0 {
                let d = if j < argcount {
                    PyTuple_GET_ITEM(defaults, (j - first_default) as isize)
                } else {
                    kw_default(j)
                };
                Py_INCREF(d);
                *locals.add(j) = d;
            }
        }
        Some(run_pushed(ts, f, co, total_args))
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
#[cold]
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
pub(super) unsafe fn clear(ts: *mut PyThreadState, f: *mut Frame) {
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

/// `slot_tp_init` (Objects/typeobject.c, not exported): the `tp_init` of every class whose
/// `__init__` is defined in Python, read at start-up (0: unknown, and [`construct`] never
/// applies).
static SLOT_TP_INIT: AtomicUsize = AtomicUsize::new(0);
/// `slot_mp_subscript` and `slot_mp_ass_subscript` (typeobject.c, not exported): the mapping
/// slots of a class whose `__getitem__`/`__setitem__` are Python functions; 0 if not found.
static SLOT_MP_SUBSCRIPT: AtomicUsize = AtomicUsize::new(0);
static SLOT_MP_ASS_SUBSCRIPT: AtomicUsize = AtomicUsize::new(0);
/// `"__getitem__"` and `"__setitem__"`, interned (set with the slots).
static GETITEM_NAME: AtomicPtr<PyObject> = AtomicPtr::new(ptr::null_mut());
static SETITEM_NAME: AtomicPtr<PyObject> = AtomicPtr::new(ptr::null_mut());

/// `container[sub]` (`set`: `container[sub] = value`) through the container's Python
/// `__getitem__`/`__setitem__` called directly ([`call_binding`]), when its type's mapping
/// slot is `slot_mp_subscript`/`slot_mp_ass_subscript`: those look the method up on the type
/// and call it unbound with `(container, sub[, value])`, which is what this does. `None` when
/// it does not apply (another slot, a method that is not exactly a function, a binding
/// `call_binding` does not make): nothing happened.
///
/// References: all the caller's; the result is the method's (a new reference or NULL with an
/// exception set).
///
/// # Safety
/// GIL held; the objects live; `value` non-NULL when `set`.
pub unsafe fn call_subscript_slot(
    container: *mut PyObject,
    sub: *mut PyObject,
    value: *mut PyObject,
) -> Option<*mut PyObject> {
    // SAFETY: per the contract; the type's mapping methods and its MRO lookup (by an interned
    // str: no Python code) are read while the container keeps its type alive.
    unsafe {
        let tp = Py_TYPE(container);
        let m = (*tp).tp_as_mapping;
        if m.is_null() {
            return None;
        }
        let (slot, want, name) = if value.is_null() {
            let slot = (*m).mp_subscript.map_or(0, |f| f as usize);
            (
                slot,
                SLOT_MP_SUBSCRIPT.load(Ordering::Relaxed),
                &GETITEM_NAME,
            )
        } else {
            let slot = (*m).mp_ass_subscript.map_or(0, |f| f as usize);
            (
                slot,
                SLOT_MP_ASS_SUBSCRIPT.load(Ordering::Relaxed),
                &SETITEM_NAME,
            )
        };
        if want == 0 || slot != want {
            return None;
        }
        let f = _PyType_Lookup(tp.cast(), name.load(Ordering::Relaxed));
        if f.is_null() || Py_TYPE(f) != &raw mut PyFunction_Type {
            return None;
        }
        let args = [container, sub, value];
        let n = if value.is_null() { 2 } else { 3 };
        for &a in &args[..n] {
            Py_INCREF(a);
        }
        Py_INCREF(f);
        let res = call_binding(f, args.as_ptr(), n, ptr::null_mut());
        if res.is_none() {
            for &a in &args[..n] {
                Py_DECREF(a);
            }
            Py_DECREF(f);
        }
        res
    }
}
/// The interned str "__init__" and the empty tuple (both immortal here: never released).
static INIT_NAME: AtomicPtr<PyObject> = AtomicPtr::new(ptr::null_mut());
static EMPTY_TUPLE: AtomicPtr<PyObject> = AtomicPtr::new(ptr::null_mut());

/// Reads `slot_tp_init` off `importlib._bootstrap.ModuleSpec`, a class with a Python
/// `__init__` that every 3.11 process has loaded (the import system is made of it). Creating a
/// probe class instead would be visible to the program (`object.__subclasses__()` until a
/// collection). Only `sys.modules` is read: nothing is imported, no Python code runs. Called
/// once with the GIL held.
pub fn init(py: Python<'_>) -> PyResult<()> {
    let name = PyString::intern(py, "__init__").unbind();
    let empty = PyTuple::empty(py).unbind();
    // SAFETY: GIL held; the module, class and `__init__` are live objects we hold references
    // to while reading their slots; the two objects stored are kept for the process.
    unsafe {
        let module = pyo3::ffi::PyImport_GetModule(PyString::new(py, "_frozen_importlib").as_ptr());
        let module = Bound::from_owned_ptr_or_opt(py, module);
        let spec = module.and_then(|m| m.getattr("ModuleSpec").ok());
        let slot = spec.and_then(|cls| {
            let tp = cls.as_ptr() as *mut PyTypeObject;
            let init = _PyType_Lookup(cls.as_ptr(), name.as_ptr());
            let python_init = Py_TYPE(cls.as_ptr()) == &raw mut PyType_Type
                && !init.is_null()
                && Py_TYPE(init) == &raw mut PyFunction_Type;
            python_init.then(|| (*tp).tp_init.map_or(0, |f| f as usize))
        });
        // `slot_mp_subscript` and `slot_mp_ass_subscript`, from a class of the import
        // system with a Python `__getitem__` and `__setitem__`.
        let external =
            pyo3::ffi::PyImport_GetModule(PyString::new(py, "_frozen_importlib_external").as_ptr());
        let external = Bound::from_owned_ptr_or_opt(py, external);
        let path = external.and_then(|m| m.getattr("_NamespacePath").ok());
        let subscript = path.and_then(|cls| {
            let tp = cls.as_ptr() as *mut PyTypeObject;
            let python = |n: &str| {
                let f = _PyType_Lookup(cls.as_ptr(), PyString::intern(py, n).as_ptr());
                !f.is_null() && Py_TYPE(f) == &raw mut PyFunction_Type
            };
            let m = (*tp).tp_as_mapping;
            (Py_TYPE(cls.as_ptr()) == &raw mut PyType_Type
                && python("__getitem__")
                && python("__setitem__")
                && !m.is_null())
            .then(|| {
                (
                    (*m).mp_subscript.map_or(0, |f| f as usize),
                    (*m).mp_ass_subscript.map_or(0, |f| f as usize),
                )
            })
        });
        if pyo3::ffi::PyErr_Occurred().is_null() {
            let (get, set) = subscript.unwrap_or((0, 0));
            let getitem = PyString::intern(py, "__getitem__").unbind().into_ptr();
            let setitem = PyString::intern(py, "__setitem__").unbind().into_ptr();
            GETITEM_NAME.store(getitem, Ordering::Relaxed);
            SETITEM_NAME.store(setitem, Ordering::Relaxed);
            SLOT_MP_SUBSCRIPT.store(get, Ordering::Relaxed);
            SLOT_MP_ASS_SUBSCRIPT.store(set, Ordering::Relaxed);
            INIT_NAME.store(name.into_ptr(), Ordering::Relaxed);
            EMPTY_TUPLE.store(empty.into_ptr(), Ordering::Relaxed);
            SLOT_TP_INIT.store(slot.unwrap_or(0), Ordering::Relaxed);
        } else {
            pyo3::ffi::PyErr_Clear();
        }
    }
    Ok(())
}

/// Whether [`init`] found `slot_tp_init`.
pub fn construct_available() -> bool {
    SLOT_TP_INIT.load(Ordering::Relaxed) != 0
}

/// `cls.__init__` when `cls` is a class [`construct`] applies to: metaclass `type`,
/// `object.__new__`, `slot_tp_init`, and an `__init__` that is a plain Python function
/// (optimized code, not a generator). Borrowed.
///
/// # Safety
/// GIL held; `cls` live.
unsafe fn plain_init(cls: *mut PyObject) -> Option<*mut PyObject> {
    // SAFETY: per the contract; `cls` is checked to be a class before its slots are read.
    unsafe {
        if Py_TYPE(cls) != &raw mut PyType_Type {
            return None;
        }
        let tp = cls as *mut PyTypeObject;
        let version = (*tp).tp_version_tag;
        let init = match known_init(tp, version) {
            Some(init) => init,
            None => {
                let slot_tp_init = SLOT_TP_INIT.load(Ordering::Relaxed);
                let object_new = PyBaseObject_Type.tp_new.map(|f| f as usize);
                if slot_tp_init == 0
                    || (*tp).tp_init.map(|f| f as usize) != Some(slot_tp_init)
                    || (*tp).tp_new.map(|f| f as usize) != object_new
                {
                    return None;
                }
                let init = _PyType_Lookup(cls, INIT_NAME.load(Ordering::Relaxed));
                if init.is_null() || Py_TYPE(init) != &raw mut PyFunction_Type {
                    return None;
                }
                // The lookup may have given the class its version.
                remember_init(tp, (*tp).tp_version_tag, init);
                init
            }
        };
        // `__code__` can be replaced without touching the class.
        let flags = cpy::co_flags((*(init as *mut PyFunctionObject)).func_code);
        let plain = flags & cpy::CO_OPTIMIZED != 0 && flags & (NOT_SIMPLE & !NOT_BOUND) == 0;
        plain.then_some(init)
    }
}

/// Classes whose slots and `__init__` [`plain_init`] checked, by version tag: `(version,
/// class, __init__)` in slot `version % INITS`. A class keeps its version tag exactly as long as
/// nothing modifies it or a base (3.11's `PyType_Modified` zeroes the tags down the hierarchy,
/// and assigns each new one from a counter), and what was checked (`tp_init`, `tp_new`, the
/// function `_PyType_Lookup` finds along the MRO) changes only through such a modification: an
/// entry whose version and class are the class's current ones holds the same answer. The
/// metaclass (`__class__` of a class can be reassigned without a modification) and the
/// function's code (`__init__.__code__`) are checked on every call. Borrowed pointers, read
/// only while the version matches, when the class still holds the function; the GIL orders
/// every access.
const INITS: usize = 64;
static KNOWN_INITS: [[AtomicUsize; 3]; INITS] =
    [const { [const { AtomicUsize::new(0) }; 3] }; INITS];

/// The `__init__` [`remember_init`] recorded for `tp` at `version` (never for version 0).
fn known_init(tp: *mut PyTypeObject, version: u32) -> Option<*mut PyObject> {
    let e = &KNOWN_INITS[version as usize % INITS];
    (version != 0
        && e[0].load(Ordering::Relaxed) == version as usize
        && e[1].load(Ordering::Relaxed) == tp as usize)
        .then(|| e[2].load(Ordering::Relaxed) as *mut PyObject)
}

fn remember_init(tp: *mut PyTypeObject, version: u32, init: *mut PyObject) {
    if version != 0 {
        let e = &KNOWN_INITS[version as usize % INITS];
        e[0].store(version as usize, Ordering::Relaxed);
        e[1].store(tp as usize, Ordering::Relaxed);
        e[2].store(init as usize, Ordering::Relaxed);
    }
}

/// Instantiates the class `cls` with `args[..nargs]` (the last `len(kwnames)` of them keyword
/// values; `kwnames` NULL or a borrowed tuple of str) as `type_call` does, for the classes of
/// [`plain_init`]: `object.__new__` (given no arguments to check, since `__init__` takes them),
/// then `__init__` through [`call_binding`] (or `PyObject_Vectorcall`, which binds and raises,
/// when that declines), and
/// "__init__() should return None" as `slot_tp_init` says it. This skips the argument tuple,
/// `slot_tp_init`'s method lookup and the generic call path of `__init__`. If allocating ran
/// code that changed the class (a finalizer during a collection), `__init__` is looked up again
/// and, if it changed, called through `tp_init` with a tuple, exactly as `type_call` would.
///
/// References: as [`call_binding`], with `cls` in place of the function; `args[-1]` must be
/// writable
/// (`PY_VECTORCALL_ARGUMENTS_OFFSET`): the new instance is put there.
///
/// # Safety
/// GIL held; `cls` and `args[..nargs]` are owned, live references; `args[-1]` writable.
pub unsafe fn construct(
    cls: *mut PyObject,
    args: *mut *mut PyObject,
    nargs: usize,
    kwnames: *mut PyObject,
) -> Option<*mut PyObject> {
    // SAFETY: per the contract.
    unsafe {
        let init = plain_init(cls)?;
        if !hook::installed(_PyThreadState_UncheckedGet()) {
            return None;
        }
        let tp = cls as *mut PyTypeObject;
        // A valid version tag that is the same after the allocation means that nothing changed
        // the class or its bases meanwhile (3.11's `PyType_Modified` zeroes it, and a new one
        // is never an old one): then `__init__` is the one found above without a second lookup.
        let version = (*tp).tp_version_tag;
        let new = (*tp).tp_new?;
        // `_PyObject_MakeTpCall` counts the call of the class as one recursion level, so that a
        // recursion through constructors ends at the same depth, with the same message.
        if Py_EnterRecursiveCall(c" while calling a Python object".as_ptr()) != 0 {
            release(args, nargs);
            Py_DECREF(cls);
            return Some(ptr::null_mut());
        }
        let obj = new(tp, EMPTY_TUPLE.load(Ordering::Relaxed), ptr::null_mut());
        let result = if obj.is_null() {
            release(args, nargs);
            ptr::null_mut()
        } else if !(version != 0 && (*tp).tp_version_tag == version && Py_TYPE(obj) == tp)
            && plain_init(Py_TYPE(obj).cast()) != Some(init)
        {
            init_generically(obj, args, nargs, kwnames)
        } else {
            // `__init__(obj, *args)`: the frame (or the vectorcall) gets its own references
            // to `obj` and `init`; ours of `obj` becomes the result.
            Py_INCREF(obj);
            Py_INCREF(init);
            let self_args = args.sub(1);
            *self_args = obj;
            let nkw = if kwnames.is_null() {
                0
            } else {
                PyTuple_GET_SIZE(kwnames) as usize
            };
            let res = match call_binding(init, self_args, nargs + 1, kwnames) {
                Some(res) => res,
                None => {
                    let res = PyObject_Vectorcall(
                        init,
                        self_args,
                        (nargs + 1 - nkw) | PY_VECTORCALL_ARGUMENTS_OFFSET,
                        kwnames,
                    );
                    release(self_args, nargs + 1);
                    Py_DECREF(init);
                    res
                }
            };
            init_returned(obj, res)
        };
        Py_LeaveRecursiveCall();
        Py_DECREF(cls);
        Some(result)
    }
}

/// `type_call`'s `tp_init(obj, args, kwargs)` with the positional arguments as a tuple and the
/// keyword ones as a dict (NULL without keywords); consumes the arguments, and `obj` on
/// failure. Returns `obj` or NULL.
///
/// # Safety
/// As for [`construct`]; `obj` a new instance.
#[cold]
unsafe fn init_generically(
    obj: *mut PyObject,
    args: *mut *mut PyObject,
    nargs: usize,
    kwnames: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: per the contract; the tuple steals the positional references, the dict takes
    // its own of the keyword values (released here after).
    unsafe {
        let nkw = if kwnames.is_null() {
            0
        } else {
            PyTuple_GET_SIZE(kwnames) as usize
        };
        let npos = nargs - nkw;
        let tuple = PyTuple_New(npos as isize);
        let kwargs = if nkw > 0 {
            PyDict_New()
        } else {
            ptr::null_mut()
        };
        let mut ok = !tuple.is_null() && (nkw == 0 || !kwargs.is_null());
        for k in 0..nkw {
            if ok {
                let name = PyTuple_GET_ITEM(kwnames, k as isize);
                ok = PyDict_SetItem(kwargs, name, *args.add(npos + k)) == 0;
            }
        }
        release(args.add(npos), nkw);
        if !ok {
            release(args, npos);
            Py_XDECREF(tuple);
            Py_XDECREF(kwargs);
            Py_DECREF(obj);
            return ptr::null_mut();
        }
        for i in 0..npos {
            PyTuple_SET_ITEM(tuple, i as isize, *args.add(i));
        }
        let r = match (*Py_TYPE(obj)).tp_init {
            Some(tp_init) => tp_init(obj, tuple, kwargs),
            None => 0,
        };
        Py_DECREF(tuple);
        Py_XDECREF(kwargs);
        if r < 0 {
            Py_DECREF(obj);
            return ptr::null_mut();
        }
        obj
    }
}

/// What `slot_tp_init` makes of `__init__`'s result `res`: `obj`, or NULL with an exception
/// (releasing `obj`).
///
/// # Safety
/// GIL held; `obj` owned; `res` a new reference or NULL with an exception set.
unsafe fn init_returned(obj: *mut PyObject, res: *mut PyObject) -> *mut PyObject {
    // SAFETY: per the contract.
    unsafe {
        if res.is_null() {
            Py_DECREF(obj);
            return ptr::null_mut();
        }
        if res != Py_None() {
            PyErr_Format(
                PyExc_TypeError,
                c"__init__() should return None, not '%.200s'".as_ptr(),
                (*Py_TYPE(res)).tp_name,
            );
            Py_DECREF(res);
            Py_DECREF(obj);
            return ptr::null_mut();
        }
        Py_DECREF(res);
        obj
    }
}

/// Releases `args[..n]`.
///
/// # Safety
/// Owned references.
unsafe fn release(args: *mut *mut PyObject, n: usize) {
    for i in 0..n {
        // SAFETY: per the contract.
        unsafe { Py_DECREF(*args.add(i)) };
    }
}
