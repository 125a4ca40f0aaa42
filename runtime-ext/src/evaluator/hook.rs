//! The PEP 523 frame evaluator: one `co_extra` load decides whether a frame runs natively.
//! A generator's frames run natively when it is resumed; when it is made, `make_gen` does the
//! interpreter's part. Everything else (traced frames, throws, code without native code) goes
//! to the hook that was installed before ours, or to `_PyEval_EvalFrameDefault`.

use std::ffi::{c_int, c_void};
use std::sync::atomic::{AtomicIsize, AtomicUsize, Ordering};

use pyo3::ffi::{
    _PyFrameEvalFunction, _PyInterpreterFrame as Frame, _PyInterpreterState_GetEvalFrameFunc,
    _PyInterpreterState_SetEvalFrameFunc, PyObject, PyThreadState,
    PyUnstable_Eval_RequestCodeExtraIndex,
};
use s6_py311::layout::frame::{OWNED_BY_GENERATOR, OWNED_BY_THREAD};

use super::bind;
use super::cpy;
use super::exits;
use super::make_gen;
use super::prefilter;
use super::record::{self, Decision, NativeFn};
use super::stack;

/// Our `co_extra` index; -1 until the first `enable()` requests it. Generated code reads it
/// through the data symbol `abi::direct::EXTRA_INDEX`.
pub(crate) static EXTRA_INDEX: AtomicIsize = AtomicIsize::new(-1);
/// The evaluator that was installed before ours (0: the default one).
static CHAINED: AtomicUsize = AtomicUsize::new(0);

pub fn extra_index() -> isize {
    EXTRA_INDEX.load(Ordering::Relaxed)
}

/// Records are leaked on purpose (stats outlive code objects), so `co_extra` needs no free.
unsafe extern "C" fn free_extra(_: *mut c_void) {}

/// Requests our `co_extra` index once per process. Returns false when none is left.
pub fn ensure_extra_index() -> bool {
    if extra_index() >= 0 {
        return true;
    }
    // SAFETY: called with the GIL held (from an `enable()` call).
    let index = unsafe { PyUnstable_Eval_RequestCodeExtraIndex(free_extra) };
    if index < 0 {
        return false;
    }
    EXTRA_INDEX.store(index, Ordering::Relaxed);
    true
}

/// Installs the evaluator for the interpreter of `ts`, remembering the one in place.
///
/// # Safety
/// GIL held; `ts` is the current thread state; `ensure_extra_index()` returned true.
pub unsafe fn install(ts: *mut PyThreadState) {
    // SAFETY: per the contract.
    unsafe {
        let interp = cpy::interp_of(ts);
        let current = _PyInterpreterState_GetEvalFrameFunc(interp);
        let ours: _PyFrameEvalFunction = s6_eval_frame;
        if current as usize == ours as usize {
            return;
        }
        let default: _PyFrameEvalFunction = cpy::_PyEval_EvalFrameDefault;
        let chained = if current as usize == default as usize {
            0
        } else {
            current as usize
        };
        CHAINED.store(chained, Ordering::Relaxed);
        _PyInterpreterState_SetEvalFrameFunc(interp, Some(ours));
    }
}

/// Puts back the evaluator that was in place before `install`, if ours is still the active one.
///
/// # Safety
/// GIL held; `ts` is the current thread state.
pub unsafe fn uninstall(ts: *mut PyThreadState) {
    // SAFETY: per the contract.
    unsafe {
        let interp = cpy::interp_of(ts);
        let ours: _PyFrameEvalFunction = s6_eval_frame;
        // A frame that stepped the hook aside must not put it back after `disable()`.
        stack::STEPPED_ASIDE.store(false, Ordering::Relaxed);
        if _PyInterpreterState_GetEvalFrameFunc(interp) as usize != ours as usize {
            return;
        }
        _PyInterpreterState_SetEvalFrameFunc(interp, chained());
        CHAINED.store(0, Ordering::Relaxed);
    }
}

/// True when our evaluator is the interpreter's current one.
///
/// # Safety
/// GIL held; `ts` is the current thread state.
#[inline(always)]
pub unsafe fn installed(ts: *mut PyThreadState) -> bool {
    let ours: _PyFrameEvalFunction = s6_eval_frame;
    // SAFETY: per the contract.
    unsafe { cpy::eval_frame_func(ts) == ours as usize }
}

fn chained() -> Option<_PyFrameEvalFunction> {
    match CHAINED.load(Ordering::Relaxed) {
        0 => None,
        // SAFETY: only ever stored from a `_PyFrameEvalFunction` in `install`.
        addr => Some(unsafe { std::mem::transmute::<usize, _PyFrameEvalFunction>(addr) }),
    }
}

/// The hook. A frame it does not run natively is passed on by a tail call (the hook's frame is
/// gone before the interpreter's starts), so that interpreted code, generators above all, pays
/// a few loads and compares per frame and no extra C frame: a generator resumed through nested
/// `yield from` nests one evaluator per level, and an extra frame at each level cost ~18% on
/// such code (deeper C stacks, more returns to predict).
pub(crate) unsafe extern "C" fn s6_eval_frame(
    ts: *mut PyThreadState,
    f: *mut Frame,
    throwflag: c_int,
) -> *mut PyObject {
    // SAFETY: CPython calls the hook with the GIL held, a live thread state and a pushed,
    // initialised frame.
    unsafe {
        // Throws (`throw()`, `close()`) never run natively.
        if throwflag != 0 {
            return pass_on(ts, f, throwflag);
        }
        match cpy::owner(f) {
            OWNED_BY_THREAD => thread_frame(ts, f),
            OWNED_BY_GENERATOR => generator_frame(ts, f),
            _ => pass_on(ts, f, throwflag),
        }
    }
}

/// A generator's frame being resumed (`gen_send_ex2`): native when its code was bound to
/// native code when the generator was made (a code object with no decision yet, made before
/// the cache was enabled, stays interpreted), not traced, with C-stack headroom.
///
/// # Safety
/// As for the hook, with `throwflag` 0 and `f` owned by a generator.
#[inline(never)]
unsafe extern "C" fn generator_frame(ts: *mut PyThreadState, f: *mut Frame) -> *mut PyObject {
    // SAFETY: per the contract.
    unsafe {
        let co = cpy::f_code(f);
        match record::decode(cpy::co_extra(co, extra_index())) {
            Decision::Native(native)
                if !cpy::tracing(ts)
                    && !stack::is_low(ts as usize, stack::pointer())
                    && !exits::stress_entry(native.stats) =>
            {
                run_native(ts, f, native)
            }
            Decision::Retired(native) => {
                let n = &native.stats.generic_entries;
                n.store(n.load(Ordering::Relaxed) + 1, Ordering::Relaxed);
                pass_on(ts, f, 0)
            }
            _ => pass_on(ts, f, 0),
        }
    }
}

/// The hook's decision for a frame owned by the thread (kept out of line so that the frames
/// passed on above need no stack frame of the hook's own; `extern "C"`: it cannot unwind, so
/// the hook needs no landing pad and tail-calls it).
///
/// # Safety
/// As for the hook, with `throwflag` 0.
#[inline(never)]
unsafe extern "C" fn thread_frame(ts: *mut PyThreadState, f: *mut Frame) -> *mut PyObject {
    let throwflag = 0;
    // SAFETY: per the contract.
    unsafe {
        if stack::is_low(ts as usize, stack::pointer()) {
            return step_aside(ts, f, throwflag);
        }
        let co = cpy::f_code(f);
        let native = match record::decode(cpy::co_extra(co, extra_index())) {
            Decision::Native(native) => Some(native),
            Decision::Retired(native) => {
                let n = &native.stats.generic_entries;
                n.store(n.load(Ordering::Relaxed) + 1, Ordering::Relaxed);
                None
            }
            Decision::NoNative => None,
            // Code no manifest key can name keeps a pristine `co_extra` (see `prefilter`).
            Decision::Undecided if prefilter::may_match(co) => bind::decide(ts, f),
            Decision::Undecided => None,
        };
        // A generator's code runs natively once the generator exists (see `generator_frame`);
        // the call that makes it only runs the body's prefix, done by `make_gen` when it can.
        if let Some(native) = native
            && !cpy::tracing(ts)
            && !exits::stress_entry(native.stats)
        {
            if cpy::co_flags(co) & cpy::CO_GENERATOR_LIKE == 0 {
                return run_native(ts, f, native);
            }
            if let Some(generator) = make_gen::from_frame(ts, f, co) {
                return generator;
            }
        }
        pass_on(ts, f, throwflag)
    }
}

/// The evaluator that was installed before ours, or the interpreter's.
///
/// # Safety
/// As for the hook.
#[inline(always)]
unsafe fn pass_on(ts: *mut PyThreadState, f: *mut Frame, throwflag: c_int) -> *mut PyObject {
    // SAFETY: per the contract.
    unsafe {
        match chained() {
            Some(hook) => hook(ts, f, throwflag),
            None => cpy::_PyEval_EvalFrameDefault(ts, f, throwflag),
        }
    }
}

/// Evaluates a frame pushed by `direct` exactly as `_PyEval_EvalFrame` would with our hook
/// installed. The common case, a function bound to native code that may run now, is decided
/// here, inlined into the direct call, so that a call from native code to native code costs
/// two C frames (the call helper and the callee's body) and not four: deep recursion through
/// such calls otherwise outruns the processor's return-address prediction. Everything else is
/// [`thread_frame`]'s decision, made by the hook.
///
/// # Safety
/// As for the hook, with `throwflag` 0 and `f` owned by the thread.
#[inline(always)]
pub(super) unsafe fn eval(ts: *mut PyThreadState, f: *mut Frame) -> *mut PyObject {
    // SAFETY: per the contract.
    unsafe {
        let co = cpy::f_code(f);
        if let Decision::Native(native) = record::decode(cpy::co_extra(co, extra_index()))
            && cpy::co_flags(co) & cpy::CO_GENERATOR_LIKE == 0
        {
            if stack::is_low(ts as usize, stack::pointer()) {
                return step_aside(ts, f, 0);
            }
            if !cpy::tracing(ts) && !exits::stress_entry(native.stats) {
                return run_native(ts, f, native);
            }
            return pass_on(ts, f, 0);
        }
        s6_eval_frame(ts, f, 0)
    }
}

/// Runs `f` with our hook out of the interpreter (see `stack`), and puts it back afterwards
/// unless `disable()` ran meanwhile.
///
/// # Safety
/// As for the hook.
#[cold]
unsafe fn step_aside(ts: *mut PyThreadState, f: *mut Frame, throwflag: c_int) -> *mut PyObject {
    // SAFETY: per the contract; only the frame that stepped aside puts the hook back.
    unsafe {
        let interp = cpy::interp_of(ts);
        let first = stack::step_aside();
        if first {
            _PyInterpreterState_SetEvalFrameFunc(interp, chained());
        }
        let result = match chained() {
            Some(hook) => hook(ts, f, throwflag),
            None => cpy::_PyEval_EvalFrameDefault(ts, f, throwflag),
        };
        if first && stack::step_back() {
            let ours: _PyFrameEvalFunction = s6_eval_frame;
            _PyInterpreterState_SetEvalFrameFunc(interp, Some(ours));
        }
        result
    }
}

/// Whether a frame of `native`'s code may run natively now, as [`generator_frame`] decides:
/// our evaluator is the interpreter's, nothing traces, the C stack has room and stress does not
/// ask for the interpreter.
///
/// # Safety
/// GIL held; `ts` the current thread state.
#[inline(always)]
pub(super) unsafe fn may_run_native(ts: *mut PyThreadState, native: &NativeFn) -> bool {
    // SAFETY: per the contract.
    unsafe {
        installed(ts)
            && !cpy::tracing(ts)
            && !stack::is_low(ts as usize, stack::pointer())
            && !exits::stress_entry(native.stats)
    }
}

/// The native call protocol of `s6_profiles::abi`: recursion check exactly as ceval's
/// `start_frame`, link, call, unlink, leave the recursion check.
///
/// # Safety
/// As for the hook; `native` was bound to this frame's code object.
#[inline(always)]
pub(super) unsafe fn run_native(
    ts: *mut PyThreadState,
    f: *mut Frame,
    native: &NativeFn,
) -> *mut PyObject {
    // SAFETY: per the contract.
    unsafe {
        let remaining = cpy::recursion_remaining(ts);
        let before = *remaining;
        *remaining = before - 1;
        // On failure `_Py_CheckRecursiveCall` raised RecursionError and re-incremented.
        if before <= 0 && cpy::_Py_CheckRecursiveCall(ts, c"".as_ptr()) != 0 {
            return std::ptr::null_mut();
        }
        // Only ever updated with the GIL held: a plain increment, not a locked one.
        let entries = &native.stats.native_entries;
        entries.store(entries.load(Ordering::Relaxed) + 1, Ordering::Relaxed);
        cpy::set_previous(f, cpy::current_frame(ts));
        cpy::set_current_frame(ts, f);
        let result = (native.entry)(ts, f);
        cpy::set_current_frame(ts, cpy::previous(f));
        *remaining += 1;
        result
    }
}
