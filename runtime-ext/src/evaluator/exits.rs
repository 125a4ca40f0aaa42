//! The ways out of native code that the ABI names (`s6_profiles::abi`): the one exit to the
//! interpreter, the eval-breaker poll, and `S6_DEOPT_STRESS`.
//!
//! `S6_DEOPT_STRESS=N` (N >= 1) works without any special code in the objects: the runtime
//! makes *stress points* fail on purpose, and generated code takes its ordinary deopt path.
//! Stress points are
//! (a) `s6_rt_eval_breaker` polls on loop back-edges: every Nth poll reports "pending", so the
//!     loop deopts at its `JUMP_BACKWARD` with the iterator and all locals live (a real
//!     mid-function deopt with a non-empty stack);
//! (b) `s6_rt_deopt_stress` calls, which a compiler may put in front of each guard: every Nth
//!     call returns non-zero;
//! (c) native entries, so that functions without loops or guards deopt too: entry number k of a
//!     function (1-based) with k % (N + 1) == 0 runs in the interpreter from index 0 instead
//!     (counted as a deopt at index 0, reason "stress: entry"). The other N of every N + 1
//!     entries run natively, so native code is exercised at every N, N = 1 included;
//! (d) `s6_rt_catch` calls: an exception a handler of the function would catch natively goes to
//!     the interpreter instead (which then runs the handler and the rest of the call).

use std::ffi::c_int;
use std::ptr;
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};

use pyo3::ffi::{_PyInterpreterFrame as Frame, PyObject, PyThreadState};
use s6_profiles::abi::direct as direct_abi;
use s6_profiles::abi::{
    CATCH, DEOPT_STRESS, DICT_VERSION, EVAL_BREAKER, RESUME_GENERATOR, RESUME_IN_INTERPRETER,
    STRESS_EVERY,
};
use s6_py311::layout::thread_state;

use super::cpy;
use super::hook;
use super::record::{self, Decision, FnStats, NativeFn};
use super::throw_entry;

/// N of `S6_DEOPT_STRESS`, 0 when off. Generated code reads it through the data symbol
/// `abi::STRESS_EVERY`.
static STRESS_EVERY_CELL: AtomicU32 = AtomicU32::new(0);

/// `abi::DICT_VERSION`: the next PEP 509 dict version tag generated code gives out, counting
/// down (only generated code, holding the GIL, writes it).
static DICT_VERSION_CELL: AtomicU64 = AtomicU64::new(u64::MAX);
static STRESS_TICKS: AtomicU64 = AtomicU64::new(0);

pub fn set_stress(every: u32) {
    STRESS_EVERY_CELL.store(every, Ordering::Relaxed);
    STRESS_TICKS.store(0, Ordering::Relaxed);
    let limit = match std::env::var("S6_DEOPT_LIMIT") {
        Ok(v) => v.trim().parse::<u64>().unwrap_or(DEFAULT_DEOPT_LIMIT),
        // Stress deopts are forced, not failed speculation: they retire nothing unless a
        // limit is asked for.
        Err(_) if every != 0 => 0,
        Err(_) => DEFAULT_DEOPT_LIMIT,
    };
    DEOPT_LIMIT.store(limit, Ordering::Relaxed);
}

/// Deopts after which a function whose calls mostly deopt is retired (`S6_DEOPT_LIMIT`).
const DEFAULT_DEOPT_LIMIT: u64 = 1000;
/// The limit in force; 0: never retire.
static DEOPT_LIMIT: AtomicU64 = AtomicU64::new(DEFAULT_DEOPT_LIMIT);

/// "Failing speculation stays cheap": a function is retired (later calls run in the
/// interpreter, see [`NativeFn::retire`]) once it has deopted `S6_DEOPT_LIMIT` times (default
/// 1000; 0 never) and on at least half of its native entries. Each deopt costs a frame
/// handover plus the rest of the call interpreted, so native code that deopts on most calls is
/// slower than the interpreter alone; a function that deopts on a minority of calls keeps its
/// native code. Exceptions handed to the interpreter do not count: the interpreter only
/// unwinds or handles them, it does not repeat native work.
fn maybe_retire(native: &NativeFn) {
    let limit = DEOPT_LIMIT.load(Ordering::Relaxed);
    let stats = native.stats;
    let deopts = stats.deopts.load(Ordering::Relaxed);
    if limit == 0 || deopts < limit {
        return;
    }
    let entries = stats.native_entries.load(Ordering::Relaxed);
    if deopts.saturating_mul(2) < entries {
        return;
    }
    native.retire(format!(
        "{deopts} deopts in {entries} native entries (limit {limit})"
    ));
    if super::verbose() {
        eprintln!(
            "s6: {}: retired after {deopts} deopts in {entries} native entries; the interpreter runs it from now on",
            stats.name
        );
    }
}

/// Stress rule (c): true when this native entry of `stats`'s function must deopt at index 0.
#[inline(always)]
pub fn stress_entry(stats: &FnStats) -> bool {
    let every = STRESS_EVERY_CELL.load(Ordering::Relaxed);
    if every == 0 {
        return false;
    }
    let k = stats.stress_entries.fetch_add(1, Ordering::Relaxed) + 1;
    if !k.is_multiple_of(u64::from(every) + 1) {
        return false;
    }
    stats.deopts.fetch_add(1, Ordering::Relaxed);
    stats.count_other(0, "deopt", "stress: entry".to_string());
    true
}

/// One stress point: true on every Nth call while `S6_DEOPT_STRESS=N` is active (also used by
/// the site caches of `helpers/site_cache.rs`, which then miss on purpose).
#[inline(always)]
pub(crate) fn stress_fires() -> bool {
    let every = STRESS_EVERY_CELL.load(Ordering::Relaxed);
    every != 0
        && (STRESS_TICKS.fetch_add(1, Ordering::Relaxed) + 1).is_multiple_of(u64::from(every))
}

/// `int s6_rt_eval_breaker(PyThreadState *ts)`: non-zero when the interpreter has something
/// pending (signal, pending call, GIL drop request, async exception) or a stress point fires.
///
/// # Safety
/// `ts` is the calling thread's live thread state.
pub unsafe extern "C" fn s6_rt_eval_breaker(ts: *mut PyThreadState) -> c_int {
    // SAFETY: `ts` is live per the contract.
    let pending = unsafe { cpy::eval_breaker(ts) } != 0;
    c_int::from(pending || stress_fires())
}

/// `int s6_rt_deopt_stress(PyThreadState *ts)`: non-zero when a guard should fail on purpose.
///
/// # Safety
/// Always safe to call; `unsafe extern "C"` only for the uniform helper signature.
pub unsafe extern "C" fn s6_rt_deopt_stress(_ts: *mut PyThreadState) -> c_int {
    c_int::from(stress_fires())
}

/// `PyObject *s6_rt_resume_in_interpreter(ts, f, next_index, stack_depth, throwflag,
/// exit_site)`: hands a natively running frame to `_PyEval_EvalFrameDefault` at `next_index`
/// with `stack_depth` owned values already in `localsplus[nlocalsplus..]`.
///
/// The hook's prologue decremented `recursion_remaining` and linked the frame; ceval does both
/// again itself, so they are undone around the call and redone after it, leaving the hook's
/// epilogue balanced.
///
/// # Safety
/// Called only by native code entered through the hook, on the frame it was entered with,
/// with the frame state as the ABI describes (locals flushed, stack written, an exception set
/// exactly when `throwflag == 1`).
pub unsafe extern "C" fn s6_rt_resume_in_interpreter(
    ts: *mut PyThreadState,
    f: *mut Frame,
    next_index: u32,
    stack_depth: u32,
    throwflag: u32,
    exit_site: u32,
) -> *mut PyObject {
    // SAFETY: `f` is the live frame native code runs on, linked by the hook on `ts`.
    unsafe {
        let co = cpy::f_code(f);
        let native = match record::decode(cpy::co_extra(co, hook::extra_index())) {
            Decision::Native(native) => Some(native),
            _ => None,
        };
        let raised = if throwflag != 0 {
            how_raised(ts, co, next_index)
        } else {
            Raised::Error
        };
        if throwflag != 0 && unwinds_without_handler(ts, co, native, next_index) {
            if let Some(native) = native {
                native.stats.count_unwound(exit_site);
            }
            return unwind(f, co, next_index, stack_depth, raised != Raised::Error);
        }
        if raised == Raised::Bare {
            // The interpreter runs the bare `raise` again: the handled exception is unchanged.
            use pyo3::ffi::*;
            let (mut t, mut v, mut tb) = (ptr::null_mut(), ptr::null_mut(), ptr::null_mut());
            PyErr_Fetch(&mut t, &mut v, &mut tb);
            Py_XDECREF(t);
            Py_XDECREF(v);
            Py_XDECREF(tb);
            if let Some(native) = native {
                native.stats.count_exit(exit_site, next_index, true);
            }
            return resume_frame(ts, f, co, next_index - 1, stack_depth, 0);
        }
        if raised == Raised::Reraise {
            // Only ceval's RERAISE takes an exception without a traceback entry: it runs
            // again, with its operand back on the stack (the instruction's own effect on
            // `prev_instr` is redone there).
            use pyo3::ffi::*;
            let (mut t, mut v, mut tb) = (ptr::null_mut(), ptr::null_mut(), ptr::null_mut());
            PyErr_Fetch(&mut t, &mut v, &mut tb);
            PyErr_NormalizeException(&mut t, &mut v, &mut tb);
            if !tb.is_null() {
                PyException_SetTraceback(v, tb);
            }
            Py_XDECREF(t);
            Py_XDECREF(tb);
            let base = cpy::localsplus(f).add(cpy::co_nlocalsplus(co) as usize);
            *base.add(stack_depth as usize) = v;
            if let Some(native) = native {
                native.stats.count_exit(exit_site, next_index, true);
            }
            return resume_frame(ts, f, co, next_index - 1, stack_depth + 1, 0);
        }
        if let Some(native) = native {
            native
                .stats
                .count_exit(exit_site, next_index, throwflag != 0);
            if throwflag == 0 {
                maybe_retire(native);
            }
        }
        resume_frame(ts, f, co, next_index, stack_depth, throwflag)
    }
}

/// The interpreter runs `f` from `next_index` with `stack_depth` values on its stack (and the
/// pending exception when `throwflag` is 1); see `s6_rt_resume_in_interpreter`.
///
/// # Safety
/// As for `s6_rt_resume_in_interpreter`.
unsafe fn resume_frame(
    ts: *mut PyThreadState,
    f: *mut Frame,
    co: *mut PyObject,
    next_index: u32,
    stack_depth: u32,
    throwflag: u32,
) -> *mut PyObject {
    // SAFETY: per the contract.
    unsafe {
        cpy::set_stacktop(f, cpy::co_nlocalsplus(co) + stack_depth as i32);
        cpy::set_prev_instr(f, cpy::code_unit(co, next_index as isize - 1));
        cpy::set_current_frame(ts, cpy::previous(f));
        *cpy::recursion_remaining(ts) += 1;
        // Throwing into ceval reports a 'call' for `f`, which has been running all along.
        let shimmed = if throwflag != 0 {
            throw_entry::install(ts, f)
        } else {
            throw_entry::Shimmed::default()
        };
        let result = cpy::_PyEval_EvalFrameDefault(ts, f, throwflag as c_int);
        throw_entry::restore(ts, shimmed);
        cpy::set_current_frame(ts, f);
        *cpy::recursion_remaining(ts) -= 1;
        result
    }
}

/// How the exception of an error exit was raised, where ceval treats it differently.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Raised {
    /// Any instruction that failed: ceval's `error:` adds a traceback entry.
    Error,
    /// `RERAISE`: straight to `exception_unwind`, no traceback entry, `prev_instr` as it left
    /// it.
    Reraise,
    /// A bare `raise` that re-raised the handled exception: the same.
    Bare,
}

/// [`Raised`] for the error exit before `next_index`: a `RERAISE`, or a `RAISE_VARARGS 0`
/// whose pending exception is the handled one (`do_raise` re-raised it, rather than failing
/// with RuntimeError, which goes to `error:`).
///
/// # Safety
/// GIL held; `ts` current; `co` a live code object, `next_index` within its code.
unsafe fn how_raised(ts: *mut PyThreadState, co: *mut PyObject, next_index: u32) -> Raised {
    use s6_py311::opcodes::{RAISE_VARARGS, RERAISE};
    // SAFETY: per the contract (neither instruction has specialized forms, so the adaptive code
    // shows them).
    unsafe {
        let Some(index) = next_index.checked_sub(1) else {
            return Raised::Error;
        };
        let unit = *cpy::code_unit(co, index as isize);
        match ((unit & 0xff) as u8, unit >> 8) {
            (RERAISE, _) => Raised::Reraise,
            (RAISE_VARARGS, 0) => {
                let pending = *cpy::field::<*mut PyObject>(ts, thread_state::CUREXC_VALUE);
                let handled = crate::helpers::handlers::topmost_exception(ts);
                if !pending.is_null() && pending == handled {
                    Raised::Bare
                } else {
                    Raised::Error
                }
            }
            _ => Raised::Error,
        }
    }
}

/// `s6_rt_resume_generator` (`abi::RESUME_GENERATOR`): a generator's frame that native code
/// has no resume point for goes to the interpreter as it is (its `prev_instr`, `stacktop` and
/// stack are the ones the interpreter left), with the hook's bookkeeping balanced as in
/// `s6_rt_resume_in_interpreter`.
///
/// # Safety
/// Called only by a generator's native body entered through the hook, on that frame.
#[cold]
pub unsafe extern "C" fn s6_rt_resume_generator(
    ts: *mut PyThreadState,
    f: *mut Frame,
) -> *mut PyObject {
    // SAFETY: `f` is the live generator frame the hook linked on `ts`; nothing was changed.
    unsafe {
        cpy::set_current_frame(ts, cpy::previous(f));
        *cpy::recursion_remaining(ts) += 1;
        let result = cpy::_PyEval_EvalFrameDefault(ts, f, 0);
        cpy::set_current_frame(ts, f);
        *cpy::recursion_remaining(ts) -= 1;
        result
    }
}

/// The handler of `co` covering the instruction at code unit `index`, from the native record's
/// parsed table when there is one (`NativeFn::handler_at`), else read from the table's bytes up
/// to the covering entry; `Err` for a table that does not parse.
///
/// # Safety
/// `co` a live code object.
unsafe fn handler_at(
    co: *mut PyObject,
    native: Option<&NativeFn>,
    index: u32,
) -> Result<Option<s6_py311::exceptions::Handler>, ()> {
    match native {
        Some(n) => n.handler_at(index),
        // SAFETY: per the contract.
        None => s6_py311::exceptions::lookup(unsafe { cpy::co_exceptiontable(co) }, index)
            .map_err(|_| ()),
    }
}

/// Whether an exception raised by the instruction before `next_index` leaves the frame without
/// running any of its code: no handler of `co_exceptiontable` covers it, nothing traces or
/// profiles (ceval would report the unwinding), and the frame is complete (past
/// `_co_firsttraceable`, so ceval would add it to the traceback). A table that does not parse
/// counts as covering it.
///
/// # Safety
/// GIL held; `ts` live; `co` a live code object.
unsafe fn unwinds_without_handler(
    ts: *mut PyThreadState,
    co: *mut PyObject,
    native: Option<&NativeFn>,
    next_index: u32,
) -> bool {
    // SAFETY: per the contract.
    unsafe {
        let Some(index) = next_index.checked_sub(1) else {
            return false;
        };
        if cpy::tracing(ts) || (index as i32) < cpy::co_firsttraceable(co) {
            return false;
        }
        match handler_at(co, native, index) {
            Ok(handler) => handler.is_none(),
            Err(()) => false,
        }
    }
}

/// What ceval does with an exception that no handler of the frame catches, done here instead
/// of resuming the interpreter only to unwind (`error:` then `exception_unwind` in 3.11's
/// ceval.c): the frame joins the traceback (`PyTraceBack_Here` on its frame object, made if
/// needed, as ceval makes it), the `stack_depth` values the exit wrote above the locals are
/// released top first, and the frame returns NULL with the exception set. The hook's epilogue
/// then unlinks it as for any native return.
///
/// # Safety
/// As for `s6_rt_resume_in_interpreter`, with `unwinds_without_handler` true.
#[cold]
unsafe fn unwind(
    f: *mut Frame,
    co: *mut PyObject,
    next_index: u32,
    stack_depth: u32,
    reraise: bool,
) -> *mut PyObject {
    // SAFETY: `f` is the current frame (the hook linked it); its stack slots hold owned
    // references written by the exit.
    unsafe {
        use pyo3::ffi::*;
        if !reraise {
            cpy::set_prev_instr(f, cpy::code_unit(co, next_index as isize - 1));
            traceback_here();
        }
        let nlocalsplus = cpy::co_nlocalsplus(co);
        let base = cpy::localsplus(f).add(nlocalsplus as usize);
        for k in (0..stack_depth as usize).rev() {
            let o = *base.add(k);
            *base.add(k) = ptr::null_mut();
            cpy::set_stacktop(f, nlocalsplus + k as i32);
            Py_XDECREF(o);
        }
        cpy::set_stacktop(f, nlocalsplus);
        ptr::null_mut()
    }
}

/// Adds the current frame to the pending exception's traceback, as ceval's `error:` does: the
/// frame object (ceval's `_PyFrame_GetFrameObject`) is made if needed; if making it fails, that
/// error is dropped and the traceback gets no entry, as in ceval.
///
/// # Safety
/// GIL held, an exception set, the frame that raised it current.
unsafe fn traceback_here() {
    // SAFETY: per the contract.
    unsafe {
        use pyo3::ffi::*;
        let (mut t, mut v, mut tb) = (ptr::null_mut(), ptr::null_mut(), ptr::null_mut());
        PyErr_Fetch(&mut t, &mut v, &mut tb);
        let fo = PyEval_GetFrame();
        PyErr_Restore(t, v, tb);
        if !fo.is_null() {
            PyTraceBack_Here(fo);
        }
    }
}

/// `int s6_rt_catch(ts, f, next_index, stack_depth, exit_site)` (`abi::CATCH`): an exception
/// raised by the instruction before `next_index`, with `stack_depth` owned values written above
/// the locals, caught by the frame's own handler in native code. Does what 3.11's ceval does
/// from `error:` through `exception_unwind` when a handler covers the instruction: the frame
/// joins the traceback, the stack is unwound to the handler's depth (top first, each release
/// seeing `stacktop` below it), the faulting instruction's index is pushed as an `int` when the
/// handler asks for it, and the normalized exception (its `__traceback__` set) is pushed; then
/// `stacktop` covers the handler's stack and the handler's code unit is returned, where native
/// code continues (loading that stack from the frame).
///
/// Returns -1 having changed nothing when ceval would do more or something else: no handler
/// covers the instruction, a trace or profile function is set (ceval reports the exception to
/// it), the frame is incomplete, no exception is set, or the `lasti` int cannot be made (the
/// error exit then resumes the interpreter as before). So does a stress point
/// (`S6_DEOPT_STRESS`), so that stress runs take the interpreter's way for caught exceptions.
///
/// # Safety
/// Called only by native code on the frame it runs (linked as the current frame), at an error
/// exit whose stack is written as for `s6_rt_resume_in_interpreter`.
pub unsafe extern "C" fn s6_rt_catch(
    ts: *mut PyThreadState,
    f: *mut Frame,
    next_index: u32,
    stack_depth: u32,
    exit_site: u32,
) -> c_int {
    // SAFETY: `f` is the current frame; its stack slots hold `stack_depth` owned references.
    unsafe {
        use pyo3::ffi::*;
        let co = cpy::f_code(f);
        let Some(index) = next_index.checked_sub(1) else {
            return -1;
        };
        if cpy::tracing(ts) || (index as i32) < cpy::co_firsttraceable(co) {
            return -1;
        }
        // A stress point: the exception goes to the interpreter as if no handler ran natively.
        if stress_fires() {
            return -1;
        }
        if PyErr_Occurred().is_null() {
            return -1;
        }
        let native = match record::decode(cpy::co_extra(co, hook::extra_index())) {
            Decision::Native(native) => Some(native),
            _ => None,
        };
        let handler = match handler_at(co, native, index) {
            Ok(Some(h)) if h.depth <= stack_depth => h,
            _ => return -1,
        };
        // A RERAISE (or bare `raise`) takes no traceback entry and keeps its `prev_instr`.
        let reraise = how_raised(ts, co, next_index) != Raised::Error;
        let lasti_index = if reraise {
            cpy::prev_instr(f).offset_from(cpy::code_unit(co, 0))
        } else {
            index as isize
        };
        // Made first, so that nothing has changed if it fails (a small int for any index below
        // 257: it cannot fail there).
        let lasti = if handler.lasti {
            let l = PyLong_FromLong(lasti_index as std::ffi::c_long);
            if l.is_null() {
                return -1;
            }
            l
        } else {
            ptr::null_mut()
        };
        if !reraise {
            cpy::set_prev_instr(f, cpy::code_unit(co, index as isize));
            traceback_here();
        }
        let nlocalsplus = cpy::co_nlocalsplus(co);
        let base = cpy::localsplus(f).add(nlocalsplus as usize);
        cpy::set_stacktop(f, nlocalsplus + stack_depth as i32);
        for k in (handler.depth as usize..stack_depth as usize).rev() {
            let o = *base.add(k);
            *base.add(k) = ptr::null_mut();
            cpy::set_stacktop(f, nlocalsplus + k as i32);
            Py_XDECREF(o);
        }
        let mut depth = handler.depth as usize;
        if !lasti.is_null() {
            *base.add(depth) = lasti;
            depth += 1;
            cpy::set_stacktop(f, nlocalsplus + depth as i32);
        }
        let (mut exc, mut val, mut tb) = (ptr::null_mut(), ptr::null_mut(), ptr::null_mut());
        PyErr_Fetch(&mut exc, &mut val, &mut tb);
        PyErr_NormalizeException(&mut exc, &mut val, &mut tb);
        if !tb.is_null() {
            PyException_SetTraceback(val, tb);
        } else {
            PyException_SetTraceback(val, Py_None());
        }
        Py_XDECREF(tb);
        Py_XDECREF(exc);
        *base.add(depth) = val;
        cpy::set_stacktop(f, nlocalsplus + depth as i32 + 1);
        if let Some(native) = native {
            native.stats.count_caught(exit_site);
        }
        handler.target as c_int
    }
}

/// `(symbol, address)` of the exits and polls above, for the loader's symbol resolution.
pub fn exit_helpers() -> Vec<(&'static str, usize)> {
    vec![
        (
            RESUME_IN_INTERPRETER,
            s6_rt_resume_in_interpreter as *const () as usize,
        ),
        (
            RESUME_GENERATOR,
            s6_rt_resume_generator as *const () as usize,
        ),
        (CATCH, s6_rt_catch as *const () as usize),
        (EVAL_BREAKER, s6_rt_eval_breaker as *const () as usize),
        (DEOPT_STRESS, s6_rt_deopt_stress as *const () as usize),
        // A data symbol: generated code reads the u32 at this address.
        (STRESS_EVERY, STRESS_EVERY_CELL.as_ptr() as usize),
        // A data symbol: generated code takes PEP 509 dict version tags from it.
        (DICT_VERSION, DICT_VERSION_CELL.as_ptr() as usize),
        // Direct calls (`abi::direct`): data read by generated code, the hook's address, and
        // the frame release.
        (
            direct_abi::EXTRA_INDEX,
            super::hook::EXTRA_INDEX.as_ptr() as usize,
        ),
        (
            direct_abi::GENERATION,
            super::record::GENERATION.as_ptr() as usize,
        ),
        (
            direct_abi::STACK_TS,
            super::stack::LAST_TS.as_ptr() as usize,
        ),
        (
            direct_abi::STACK_MARK,
            super::stack::LAST_MARK.as_ptr() as usize,
        ),
        (
            direct_abi::HOOK,
            super::hook::s6_eval_frame as *const () as usize,
        ),
        (
            direct_abi::FRAME_POP,
            super::direct::s6_rt_frame_pop as *const () as usize,
        ),
    ]
}

#[cfg(test)]
mod tests {
    #[test]
    fn exit_helpers_are_abi_helpers() {
        let t = super::exit_helpers();
        assert!(
            t.iter()
                .all(|(n, a)| n.starts_with(s6_profiles::abi::HELPER_PREFIX) && *a != 0)
        );
        assert_eq!(t.len(), 13);
    }
}
