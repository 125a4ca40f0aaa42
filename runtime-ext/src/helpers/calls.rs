//! Calls: `CALL` (with `KW_NAMES`), `CALL_FUNCTION_EX` and `MAKE_FUNCTION`. The operands are in
//! the frame's own value-stack slots, laid out exactly as the interpreter keeps them, so the
//! vectorcall argument array is the frame memory itself (as in `ceval.c`).

use super::errors::{check_args_iterable, format_kwargs_error};
use super::frame::{Frame, slot};
use crate::evaluator::cpy::f_globals;
use pyo3_ffi::*;
use std::ptr;

unsafe extern "C" {
    fn _PyDict_MergeEx(a: *mut PyObject, b: *mut PyObject, override_: i32) -> i32;
    /// The type of bound methods (`types.MethodType`).
    static mut PyMethod_Type: PyTypeObject;
}

/// `CALL oparg`: slots `[base]` = NULL or the method, `[base+1]` = callable or self,
/// `[base+2 ..]` = `oparg` arguments, the last `len(kwnames)` of them keyword values.
///
/// References: consumes all `oparg + 2` slots (owned references; NULL allowed in `[base]`);
/// `kwnames` is borrowed (a tuple of str, or NULL). Returns a new reference, or NULL with an
/// exception set. May run arbitrary Python code.
///
/// # Safety
/// GIL held; `f` is the running frame and the slots hold what the interpreter would have there.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn s6_rt_call(
    f: *mut Frame,
    base: u32,
    oparg: u32,
    kwnames: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: the slots are the frame's value stack, filled by the caller with owned references;
    // args[-1] is writable frame memory, as PY_VECTORCALL_ARGUMENTS_OFFSET requires.
    unsafe {
        let sp = slot(f, base);
        // A bound method becomes [function, self, args..], as 3.11's PRECALL_BOUND_METHOD does,
        // so that its function can take the direct path.
        if (*sp).is_null() && Py_TYPE(*sp.add(1)) == &raw mut PyMethod_Type {
            use s6_py311::layout::method;
            let m = *sp.add(1);
            let at = |off: i32| *(m as *mut u8).add(off as usize).cast::<*mut PyObject>();
            let (func, im_self) = (at(method::IM_FUNC), at(method::IM_SELF));
            Py_INCREF(func);
            Py_INCREF(im_self);
            *sp = func;
            *sp.add(1) = im_self;
            Py_DECREF(m);
        }
        let is_meth = !(*sp).is_null();
        let (callable, args, total) = if is_meth {
            (*sp, sp.add(1), oparg as usize + 1)
        } else {
            (*sp.add(1), sp.add(2), oparg as usize)
        };
        let nkw = if kwnames.is_null() {
            0
        } else {
            PyTuple_GET_SIZE(kwnames) as usize
        };
        let positional = total - nkw;
        {
            use crate::evaluator::direct;
            // Each takes `callable` and the arguments (into the callee's frame) when it applies
            // (`call_binding` covers exactly as many positional arguments as parameters too).
            if let Some(res) = direct::call_binding(callable, args, total, kwnames) {
                return res;
            }
            if let Some(res) = direct::construct(callable, args, total, kwnames) {
                return res;
            }
        }
        let res = PyObject_Vectorcall(
            callable,
            args,
            positional | PY_VECTORCALL_ARGUMENTS_OFFSET,
            kwnames,
        );
        for i in 0..total {
            Py_DECREF(*args.add(i));
        }
        Py_DECREF(callable);
        res
    }
}

/// `CALL_FUNCTION_EX flags`: slots `[base]` = NULL, `[base+1]` = callable, `[base+2]` = the
/// positional iterable, `[base+3]` = the keyword mapping when `flags & 1`.
///
/// References: consumes all the slots. Returns a new reference or NULL with an exception set
/// (messages as `ceval.c`: "argument after * must be an iterable", "after ** must be a
/// mapping"). May run Python code.
///
/// # Safety
/// GIL held; the slots hold owned references as the interpreter lays them out.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn s6_rt_call_ex(f: *mut Frame, base: u32, flags: u32) -> *mut PyObject {
    // SAFETY: owned references in the frame's stack slots; C-API calls with the GIL held.
    unsafe {
        let sp = slot(f, base);
        let null = *sp;
        let func = *sp.add(1);
        let mut callargs = *sp.add(2);
        let mut kwargs = if flags & 1 != 0 {
            *sp.add(3)
        } else {
            ptr::null_mut()
        };
        let cleanup = |func: *mut PyObject, callargs: *mut PyObject, kwargs: *mut PyObject| {
            Py_XDECREF(null);
            Py_DECREF(func);
            Py_XDECREF(callargs);
            Py_XDECREF(kwargs);
        };
        if !kwargs.is_null() && PyDict_CheckExact(kwargs) == 0 {
            let d = PyDict_New();
            if d.is_null() {
                cleanup(func, callargs, kwargs);
                return ptr::null_mut();
            }
            if _PyDict_MergeEx(d, kwargs, 2) < 0 {
                Py_DECREF(d);
                format_kwargs_error(func, kwargs);
                cleanup(func, callargs, kwargs);
                return ptr::null_mut();
            }
            Py_DECREF(kwargs);
            kwargs = d;
        }
        if PyTuple_CheckExact(callargs) == 0 {
            if !check_args_iterable(func, callargs) {
                cleanup(func, callargs, kwargs);
                return ptr::null_mut();
            }
            let t = PySequence_Tuple(callargs);
            Py_DECREF(callargs);
            callargs = t;
            if callargs.is_null() {
                cleanup(func, callargs, kwargs);
                return ptr::null_mut();
            }
        }
        if kwargs.is_null()
            && let Some(res) = call_star_direct(func, callargs)
        {
            cleanup(func, callargs, kwargs);
            return res;
        }
        let res = PyObject_Call(func, callargs, kwargs);
        cleanup(func, callargs, kwargs);
        res
    }
}

/// Most arguments [`call_star_direct`] passes through its array on the C stack.
const MAX_STAR_ARGS: usize = 16;

/// `func(*callargs)` (a tuple, no keywords) for a function, or a bound method of one, whose
/// binding `direct::call_binding` can make: what `PyObject_Call` would do through
/// `method_vectorcall`, `_PyFunction_Vectorcall` and `_PyEval_Vector`, with the frame pushed
/// directly. `None` when it does not apply (nothing happened). References: `func` and
/// `callargs` stay the caller's; the result is a new reference or NULL with an exception.
///
/// # Safety
/// GIL held; `func` a live object, `callargs` a live exact tuple.
unsafe fn call_star_direct(func: *mut PyObject, callargs: *mut PyObject) -> Option<*mut PyObject> {
    // SAFETY: reads of a live bound method and tuple; the array holds owned references that
    // `call_binding` consumes when it returns `Some`, and that are released here otherwise.
    unsafe {
        let n = PyTuple_GET_SIZE(callargs) as usize;
        let (function, im_self) = if Py_TYPE(func) == &raw mut PyMethod_Type {
            use s6_py311::layout::method;
            let at = |off: i32| *(func as *mut u8).add(off as usize).cast::<*mut PyObject>();
            (at(method::IM_FUNC), at(method::IM_SELF))
        } else {
            (func, ptr::null_mut())
        };
        let first = usize::from(!im_self.is_null());
        if Py_TYPE(function) != &raw mut PyFunction_Type || n + first > MAX_STAR_ARGS {
            return None;
        }
        let mut args = [ptr::null_mut::<PyObject>(); MAX_STAR_ARGS];
        if first == 1 {
            args[0] = im_self;
        }
        for i in 0..n {
            args[first + i] = PyTuple_GET_ITEM(callargs, i as isize);
        }
        let total = first + n;
        for &a in &args[..total] {
            Py_INCREF(a);
        }
        Py_INCREF(function);
        let res =
            crate::evaluator::direct::call_binding(function, args.as_ptr(), total, ptr::null_mut());
        if res.is_none() {
            for &a in &args[..total] {
                Py_DECREF(a);
            }
            Py_DECREF(function);
        }
        res
    }
}

/// `MAKE_FUNCTION flags`: slots from `base`, bottom first: defaults (flags & 1), kwdefaults
/// (2), annotations (4), closure (8), then the code object.
///
/// References: consumes every slot; returns a new function or NULL with an exception set.
/// Cannot run Python code beyond allocation.
///
/// # Safety
/// GIL held; the slots hold owned references of the types the compiler guarantees.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn s6_rt_make_function(
    f: *mut Frame,
    base: u32,
    flags: u32,
) -> *mut PyObject {
    // SAFETY: owned references in the frame's stack slots; the function struct layout is the
    // 3.11 one from pyo3-ffi, and MAKE_FUNCTION's own code stores these fields directly.
    unsafe {
        let n = (flags & 0xf).count_ones() as usize;
        let sp = slot(f, base);
        let codeobj = *sp.add(n);
        let func = PyFunction_New(codeobj, f_globals(f));
        Py_DECREF(codeobj);
        let mut i = n;
        let mut take = |bit: u32| -> *mut PyObject {
            if flags & bit != 0 {
                i -= 1;
                *sp.add(i)
            } else {
                ptr::null_mut()
            }
        };
        let closure = take(8);
        let annotations = take(4);
        let kwdefaults = take(2);
        let defaults = take(1);
        if func.is_null() {
            Py_XDECREF(closure);
            Py_XDECREF(annotations);
            Py_XDECREF(kwdefaults);
            Py_XDECREF(defaults);
            return ptr::null_mut();
        }
        let fo = func as *mut PyFunctionObject;
        if !closure.is_null() {
            (*fo).func_closure = closure;
        }
        if !annotations.is_null() {
            (*fo).func_annotations = annotations;
        }
        if !kwdefaults.is_null() {
            (*fo).func_kwdefaults = kwdefaults;
        }
        if !defaults.is_null() {
            (*fo).func_defaults = defaults;
        }
        func
    }
}

/// `container[sub]` where CPython ran a Python `__getitem__` (`BINARY_SUBSCR_GETITEM`): that
/// method called directly when the type's slot is `slot_mp_subscript`
/// (`direct::call_subscript_slot`), else `PyObject_GetItem`. Same contract as
/// `PyObject_GetItem`: a new reference or NULL with an exception set; may run Python code.
///
/// # Safety
/// GIL held; both objects live.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn s6_rt_getitem_py(
    container: *mut PyObject,
    sub: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: per the contract.
    unsafe {
        match crate::evaluator::direct::call_subscript_slot(container, sub, ptr::null_mut()) {
            Some(r) => r,
            None => PyObject_GetItem(container, sub),
        }
    }
}

/// `container[sub] = value` for a container whose `__setitem__` may be Python: that method
/// called directly when the type's slot is `slot_mp_ass_subscript` (its result released, as
/// the slot does), else `PyObject_SetItem`. Same contract as `PyObject_SetItem`: 0, or -1
/// with an exception set; nothing stolen; may run Python code.
///
/// # Safety
/// GIL held; the objects live.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn s6_rt_setitem_py(
    container: *mut PyObject,
    sub: *mut PyObject,
    value: *mut PyObject,
) -> i32 {
    // SAFETY: per the contract.
    unsafe {
        match crate::evaluator::direct::call_subscript_slot(container, sub, value) {
            Some(r) if r.is_null() => -1,
            Some(r) => {
                Py_DECREF(r);
                0
            }
            None => PyObject_SetItem(container, sub, value),
        }
    }
}
