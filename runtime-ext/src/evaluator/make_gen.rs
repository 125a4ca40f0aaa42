//! Making a generator or coroutine without entering the interpreter.
//!
//! Why: calling a generator function pushes its frame and evaluates it; the body starts with
//! `MAKE_CELL`/`COPY_FREE_VARS` (when it has cells or free variables) and `RETURN_GENERATOR`,
//! which moves the frame into a new generator object. Through the hook that meant a whole
//! `_PyEval_EvalFrameDefault` entry and exit to run those few instructions, for every
//! generator expression and every call of a generator function: most of what was left of the
//! cost of generator-heavy code once the bodies ran natively.
//!
//! [`from_frame`] does what those instructions do (3.11 `ceval.c` `MAKE_CELL`,
//! `COPY_FREE_VARS`, `RETURN_GENERATOR` on an entry frame, and `genobject.c` `_Py_MakeCoro` /
//! `make_gen`) for a frame the hook was given, when its code was bound to native code (so the
//! generator will run natively too) and nothing observes the difference: no tracing or
//! profiling function, recursion headroom (the interpreter's entry check would raise), a plain
//! generator, or a coroutine while coroutine origin tracking is off, and a prefix of nothing
//! but `MAKE_CELL` and `COPY_FREE_VARS` before `RETURN_GENERATOR`.
//!
//! Does not: make async generators (never bound to native code), record a coroutine's origin
//! (the interpreter does, with tracking on), or raise: when an allocation fails it leaves the
//! frame as it was and the interpreter makes the generator (and raises) itself.

use std::ptr;

use pyo3::ffi::{
    _PyInterpreterFrame as Frame, Py_INCREF, PyCoro_Type, PyErr_Clear, PyFunctionObject,
    PyGen_Type, PyObject, PyObject_GC_Del, PyObject_GC_Track, PyThreadState, PyTuple_GET_ITEM,
    PyTypeObject,
};
use s6_py311::layout::{cell, code, frame, gen_obj, thread_state};
use s6_py311::marshal::{CO_COROUTINE, CO_GENERATOR};
use s6_py311::opcodes::{COPY_FREE_VARS, MAKE_CELL, RETURN_GENERATOR};

use super::cpy::{self, field};

unsafe extern "C" {
    fn _PyObject_GC_NewVar(tp: *mut PyTypeObject, nitems: isize) -> *mut PyObject;
    fn PyCell_New(obj: *mut PyObject) -> *mut PyObject;
}

/// Most `MAKE_CELL`s of a prefix [`from_frame`] runs (their cells are made before anything
/// changes, so that a failed allocation leaves the frame untouched).
const MAX_CELLS: usize = 16;

/// The generator (a new reference) that the interpreter would return for `f`, a frame of
/// generator-like code `co` that the hook was given and that has not started, or None when
/// this cannot be done as the module docs say; nothing then changed.
///
/// On success the frame is left as the interpreter leaves an entry frame after
/// `RETURN_GENERATOR`: its locals moved into the generator (`stacktop` 0), its references to
/// the function and code kept, for the caller to clear and pop as usual.
///
/// # Safety
/// GIL held; `ts` the current thread state; `f` a pushed frame of `co` owned by the thread,
/// with its arguments bound and nothing else run, not yet linked into the frame chain.
pub unsafe fn from_frame(
    ts: *mut PyThreadState,
    f: *mut Frame,
    co: *mut PyObject,
) -> Option<*mut PyObject> {
    // SAFETY: per the contract; reads and writes of live code, function, frame and generator
    // objects at offsets `tests/layout.rs` checks against the headers.
    unsafe {
        let flags = cpy::co_flags(co);
        let ty: *mut PyTypeObject = match flags & cpy::CO_GENERATOR_LIKE {
            k if k == CO_GENERATOR as i32 => &raw mut PyGen_Type,
            k if k == CO_COROUTINE as i32
                && *field::<i32>(ts, thread_state::COROUTINE_ORIGIN_TRACKING_DEPTH) == 0 =>
            {
                &raw mut PyCoro_Type
            }
            _ => return None,
        };
        if cpy::tracing(ts)
            || *cpy::recursion_remaining(ts) <= 0
            || !(*field::<*mut PyObject>(f, frame::FRAME_OBJ)).is_null()
            || !cpy::f_locals(f).is_null()
        {
            return None;
        }
        // The prefix: MAKE_CELL/COPY_FREE_VARS, then RETURN_GENERATOR, POP_TOP and RESUME (the
        // first traceable unit). None of them is ever specialized or extended here.
        let ret = cpy::co_firsttraceable(co) as isize - 2;
        if ret < 0 || op(co, ret).0 != RETURN_GENERATOR {
            return None;
        }
        let mut cells = [ptr::null_mut::<PyObject>(); MAX_CELLS];
        let mut ncells = 0;
        let mut nfree = None;
        for i in 0..ret {
            match op(co, i) {
                (MAKE_CELL, _) if ncells < MAX_CELLS => ncells += 1,
                (COPY_FREE_VARS, n) if nfree.is_none() => nfree = Some(n as usize),
                _ => return None,
            }
        }
        let nlocalsplus = cpy::co_nlocalsplus(co);
        let stacksize: i32 = *field(co, code::CO_STACKSIZE);
        let func = cpy::f_func(f) as *mut PyFunctionObject;
        let closure = (*func).func_closure;
        if let Some(n) = nfree
            && (n != *field::<i32>(co, code::CO_NFREEVARS) as usize
                || closure.is_null()
                || pyo3::ffi::PyTuple_GET_SIZE(closure) < n as isize)
        {
            return None;
        }
        // Allocations first (either may run a collection, and fail).
        let generator = _PyObject_GC_NewVar(ty, (nlocalsplus + stacksize) as isize);
        if generator.is_null() {
            PyErr_Clear();
            return None;
        }
        for k in 0..ncells {
            let c = PyCell_New(ptr::null_mut());
            if c.is_null() {
                PyErr_Clear();
                for made in &cells[..k] {
                    pyo3::ffi::Py_DECREF(*made);
                }
                PyObject_GC_Del(generator.cast());
                return None;
            }
            cells[k] = c;
        }
        // MAKE_CELL i: the local's value (or NULL) moves into a new cell.
        let locals = cpy::localsplus(f);
        let mut k = 0;
        for i in 0..ret {
            let (opcode, arg) = op(co, i);
            if opcode == MAKE_CELL {
                let c = cells[k];
                k += 1;
                let slot = locals.add(arg as usize);
                *field::<*mut PyObject>(c, cell::OB_REF) = *slot;
                *slot = c;
            }
        }
        // COPY_FREE_VARS n: the closure's cells into the last n slots.
        if let Some(n) = nfree {
            let offset = *field::<i32>(co, code::CO_NLOCALS) as usize
                + *field::<i32>(co, code::CO_NPLAINCELLVARS) as usize;
            for i in 0..n {
                let o = PyTuple_GET_ITEM(closure, i as isize);
                Py_INCREF(o);
                *locals.add(offset + i) = o;
            }
        }
        // make_gen
        Py_INCREF(co);
        *field(generator, gen_obj::GI_CODE) = co;
        *field::<*mut PyObject>(generator, gen_obj::GI_WEAKREFLIST) = ptr::null_mut();
        let name = (*func).func_name;
        let qualname = (*func).func_qualname;
        Py_INCREF(name);
        Py_INCREF(qualname);
        *field(generator, gen_obj::GI_NAME) = name;
        *field(generator, gen_obj::GI_QUALNAME) = qualname;
        let exc_state: *mut [*mut PyObject; 2] = field(generator, gen_obj::GI_EXC_STATE);
        *exc_state = [ptr::null_mut(); 2];
        *field::<*mut PyObject>(generator, gen_obj::GI_ORIGIN_OR_FINALIZER) = ptr::null_mut();
        *field::<[u8; 3]>(generator, gen_obj::GI_HOOKS_INITED) = [0; 3];
        // RETURN_GENERATOR: the frame (with an empty value stack) moves into the generator.
        let gf: *mut Frame = field(generator, gen_obj::GI_IFRAME);
        ptr::copy_nonoverlapping(
            f.cast::<u8>(),
            gf.cast::<u8>(),
            frame::LOCALSPLUS as usize + nlocalsplus as usize * size_of::<usize>(),
        );
        cpy::set_stacktop(gf, nlocalsplus);
        cpy::set_prev_instr(gf, cpy::code_unit(co, ret));
        cpy::set_previous(gf, ptr::null_mut());
        *field(gf, frame::IS_ENTRY) = false;
        *field(gf, frame::OWNER) = frame::OWNED_BY_GENERATOR;
        *field(generator, gen_obj::GI_FRAME_STATE) = gen_obj::FRAME_CREATED;
        // What stays in the thread's frame: no locals; the function and code, referenced once
        // more, for the caller's clear to release.
        cpy::set_stacktop(f, 0);
        Py_INCREF(func.cast());
        Py_INCREF(co);
        PyObject_GC_Track(generator.cast());
        Some(generator)
    }
}

/// The opcode and argument of code unit `i` of `co`.
///
/// # Safety
/// `co` live, `i` within its code.
#[inline(always)]
unsafe fn op(co: *mut PyObject, i: isize) -> (u8, u8) {
    // SAFETY: per the contract.
    let unit = unsafe { *cpy::code_unit(co, i) };
    ((unit & 0xff) as u8, (unit >> 8) as u8)
}
