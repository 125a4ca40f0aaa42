//! Hand-written native bodies that follow the ABI exactly as compiled code must, attached to a
//! Python function by the test-only `_s6._test_attach(func, mode, points)`. They let the tests
//! exercise the whole protocol (entry, write-through locals, `prev_instr` before call-outs,
//! deopt with a live stack, error hand-off with `throwflag=1`, eval-breaker polls) before the
//! compiler exists. `points` are code-unit indices the test reads from `dis`.

use pyo3::ffi::{self, _PyInterpreterFrame as Frame, PyObject, PyThreadState};
use s6_profiles::manifest::{ExitKind, ExitSite};

use super::cpy::{self, EntryFn};
use super::exits::{s6_rt_deopt_stress, s6_rt_eval_breaker, s6_rt_resume_in_interpreter};
use super::hook;
use super::record::{self, Decision};

/// A test mode: its native body, how many points it needs, and its exit table (by point).
pub struct Mode {
    pub entry: EntryFn,
    pub points: usize,
    /// `(point whose index the exit belongs to, kind, reason)`.
    pub exits: &'static [(usize, ExitKind, &'static str)],
}

/// `add`: `return a + b` (points: BINARY_OP).
/// `deopt`: `return (a + 1) * b` (points: first BINARY_OP, the LOAD_FAST b after it).
/// `loop`: `t = 0; for i in range(n): t += i; return t` (points: CALL, GET_ITER, FOR_ITER,
///   BINARY_OP, JUMP_BACKWARD; locals n, t, i).
/// `call`: `return cb(x)` (points: CALL).
pub fn mode(name: &str) -> Option<Mode> {
    use ExitKind::{Deopt, Error};
    Some(match name {
        "add" => Mode {
            entry: add,
            points: 1,
            exits: &[(0, Error, "error: a + b")],
        },
        "deopt" => Mode {
            entry: deopt,
            points: 2,
            exits: &[
                (usize::MAX, Deopt, "type guard: expected builtins.int"),
                (1, Deopt, "unsupported: rest of function"),
                (0, Error, "error: a + 1"),
            ],
        },
        "loop" => Mode {
            entry: loop_,
            points: 5,
            exits: &[
                (0, Error, "error: range(n)"),
                (1, Error, "error: iter"),
                (2, Error, "error: next"),
                (3, Error, "error: t += i"),
                (4, Deopt, "eval breaker"),
            ],
        },
        "call" => Mode {
            entry: call,
            points: 1,
            exits: &[(0, Error, "error: cb(x)")],
        },
        _ => return None,
    })
}

/// The exit table of a mode, with indices filled in from `points` (`usize::MAX` means 0).
pub fn exit_table(mode: &Mode, points: &[u32]) -> Vec<ExitSite> {
    mode.exits
        .iter()
        .map(|&(point, kind, reason)| ExitSite {
            index: points.get(point).copied().unwrap_or(0),
            kind,
            reason: reason.to_string(),
        })
        .collect()
}

/// The points of the function running on `f`.
///
/// # Safety
/// `f` is a live frame whose code object was attached by `_test_attach`.
unsafe fn points(f: *mut Frame) -> &'static [u32] {
    // SAFETY: per the contract.
    match record::decode(unsafe { cpy::co_extra(cpy::f_code(f), hook::extra_index()) }) {
        Decision::Native(n) => &n.points,
        _ => &[],
    }
}

/// Sets `prev_instr` to the instruction at `index` (before a call-out).
///
/// # Safety
/// `f` live.
unsafe fn at(f: *mut Frame, index: u32) {
    // SAFETY: per the contract.
    unsafe { cpy::set_prev_instr(f, cpy::code_unit(cpy::f_code(f), index as isize)) }
}

/// Writes owned `values` as the frame's value stack and leaves through the ABI's exit.
///
/// # Safety
/// `f` is the frame native code runs on; `values` are owned (or NULL) references.
unsafe fn leave(
    ts: *mut PyThreadState,
    f: *mut Frame,
    values: &[*mut PyObject],
    next_index: u32,
    throwflag: u32,
    site: u32,
) -> *mut PyObject {
    // SAFETY: per the contract; the frame has `co_stacksize` slots after the locals.
    unsafe {
        let base = cpy::localsplus(f).add(cpy::co_nlocalsplus(cpy::f_code(f)) as usize);
        for (i, v) in values.iter().enumerate() {
            *base.add(i) = *v;
        }
        s6_rt_resume_in_interpreter(ts, f, next_index, values.len() as u32, throwflag, site)
    }
}

fn new_ref(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: `o` is a live object or NULL.
    unsafe { ffi::Py_XINCREF(o) };
    o
}

unsafe extern "C" fn add(ts: *mut PyThreadState, f: *mut Frame) -> *mut PyObject {
    // SAFETY: entered through the hook on a frame of the attached function (a, b bound).
    unsafe {
        let p = points(f);
        let l = cpy::localsplus(f);
        at(f, p[0]);
        let r = ffi::PyNumber_Add(*l, *l.add(1));
        if r.is_null() {
            return leave(ts, f, &[new_ref(*l), new_ref(*l.add(1))], p[0] + 1, 1, 0);
        }
        r
    }
}

unsafe extern "C" fn deopt(ts: *mut PyThreadState, f: *mut Frame) -> *mut PyObject {
    // SAFETY: entered through the hook on a frame of the attached function (a, b bound).
    unsafe {
        let p = points(f);
        let l = cpy::localsplus(f);
        if ffi::PyLong_CheckExact(*l) == 0 || s6_rt_deopt_stress(ts) != 0 {
            return leave(ts, f, &[], 0, 0, 0);
        }
        let one = ffi::PyLong_FromLong(1);
        at(f, p[0]);
        let t = ffi::PyNumber_Add(*l, one);
        if t.is_null() {
            return leave(ts, f, &[new_ref(*l), one], p[0] + 1, 1, 2);
        }
        ffi::Py_DECREF(one);
        leave(ts, f, &[t], p[1], 0, 1)
    }
}

unsafe extern "C" fn loop_(ts: *mut PyThreadState, f: *mut Frame) -> *mut PyObject {
    // SAFETY: entered through the hook on a frame of the attached function (n bound; t, i
    // unbound). Locals are written through to the frame at every step.
    unsafe {
        let p = points(f);
        let l = cpy::localsplus(f);
        let set = |slot: usize, v: *mut PyObject| {
            let old = *l.add(slot);
            *l.add(slot) = v;
            ffi::Py_XDECREF(old);
        };
        set(1, ffi::PyLong_FromLong(0));
        let range = ffi::PyDict_GetItemString(cpy::f_builtins(f), c"range".as_ptr());
        at(f, p[0]);
        let rng = if range.is_null() {
            std::ptr::null_mut()
        } else {
            ffi::PyObject_CallOneArg(range, *l)
        };
        if rng.is_null() {
            if range.is_null() {
                // Not the builtin any more: let the interpreter do it all.
                return leave(ts, f, &[], 0, 0, 4);
            }
            return leave(
                ts,
                f,
                &[std::ptr::null_mut(), new_ref(range), new_ref(*l)],
                p[0] + 1,
                1,
                0,
            );
        }
        at(f, p[1]);
        let it = ffi::PyObject_GetIter(rng);
        if it.is_null() {
            return leave(ts, f, &[rng], p[1] + 1, 1, 1);
        }
        ffi::Py_DECREF(rng);
        loop {
            at(f, p[2]);
            let i = ffi::PyIter_Next(it);
            if i.is_null() {
                if !ffi::PyErr_Occurred().is_null() {
                    return leave(ts, f, &[it], p[2] + 1, 1, 2);
                }
                ffi::Py_DECREF(it);
                return new_ref(*l.add(1));
            }
            set(2, i);
            at(f, p[3]);
            let nt = ffi::PyNumber_InPlaceAdd(*l.add(1), *l.add(2));
            if nt.is_null() {
                return leave(
                    ts,
                    f,
                    &[it, new_ref(*l.add(1)), new_ref(*l.add(2))],
                    p[3] + 1,
                    1,
                    3,
                );
            }
            set(1, nt);
            if s6_rt_eval_breaker(ts) != 0 {
                return leave(ts, f, &[it], p[4], 0, 4);
            }
        }
    }
}

unsafe extern "C" fn call(ts: *mut PyThreadState, f: *mut Frame) -> *mut PyObject {
    // SAFETY: entered through the hook on a frame of the attached function (cb, x bound).
    unsafe {
        let p = points(f);
        let l = cpy::localsplus(f);
        at(f, p[0]);
        let r = ffi::PyObject_CallOneArg(*l, *l.add(1));
        if r.is_null() {
            return leave(
                ts,
                f,
                &[std::ptr::null_mut(), new_ref(*l), new_ref(*l.add(1))],
                p[0] + 1,
                1,
                0,
            );
        }
        r
    }
}
