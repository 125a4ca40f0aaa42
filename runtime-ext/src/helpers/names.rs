//! Name resolution that needs the frame: globals and builtins, cells and free variables,
//! imports, `__build_class__`. Unbound locals/cells are not raised here: the helper reports
//! "empty" and native code deoptimizes, so the interpreter raises its exact error.

use super::errors::{NAME_ERROR_MSG, format_exc_check_arg};
use super::frame::{Frame, slot};
use crate::evaluator::cpy::{f_builtins, f_func, f_globals, f_locals};
use pyo3_ffi::*;
use std::ptr;

unsafe extern "C" {
    fn _PyDict_GetItemWithError(dp: *mut PyObject, key: *mut PyObject) -> *mut PyObject;
    fn _PyObject_LookupAttr(
        v: *mut PyObject,
        name: *mut PyObject,
        result: *mut *mut PyObject,
    ) -> i32;
    fn _PyModuleSpec_IsInitializing(spec: *mut PyObject) -> i32;
}

/// `LOAD_GLOBAL`: `name` (borrowed str) in `f_globals`, then `f_builtins`. New reference, or
/// NULL with an exception set (`NameError: name 'x' is not defined` with `.name`, exactly as
/// CPython). May run Python code only when globals/builtins are not exact dicts.
///
/// # Safety
/// GIL held; `f` is the running frame.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn s6_rt_load_global(f: *mut Frame, name: *mut PyObject) -> *mut PyObject {
    // SAFETY: C-API calls on the frame's live globals/builtins.
    unsafe {
        let (g, b) = (f_globals(f), f_builtins(f));
        if PyDict_CheckExact(g) != 0 && PyDict_CheckExact(b) != 0 {
            let mut v = _PyDict_GetItemWithError(g, name);
            if v.is_null() {
                if !PyErr_Occurred().is_null() {
                    return ptr::null_mut();
                }
                v = _PyDict_GetItemWithError(b, name);
                if v.is_null() {
                    if PyErr_Occurred().is_null() {
                        format_exc_check_arg(PyExc_NameError, NAME_ERROR_MSG, name);
                    }
                    return ptr::null_mut();
                }
            }
            Py_INCREF(v);
            return v;
        }
        let v = PyObject_GetItem(g, name);
        if !v.is_null() {
            return v;
        }
        if PyErr_ExceptionMatches(PyExc_KeyError) == 0 {
            return ptr::null_mut();
        }
        PyErr_Clear();
        let v = PyObject_GetItem(b, name);
        if v.is_null() && PyErr_ExceptionMatches(PyExc_KeyError) != 0 {
            format_exc_check_arg(PyExc_NameError, NAME_ERROR_MSG, name);
        }
        v
    }
}

/// `STORE_GLOBAL`: `f_globals[name] = v`; both borrowed. 0 or -1. May run Python code (`__eq__`
/// of colliding keys, `__del__` of the old value).
///
/// # Safety
/// GIL held; `f` is the running frame.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn s6_rt_store_global(
    f: *mut Frame,
    name: *mut PyObject,
    v: *mut PyObject,
) -> i32 {
    // SAFETY: C-API call on the frame's globals dict.
    unsafe { PyDict_SetItem(f_globals(f), name, v) }
}

/// `DELETE_GLOBAL`: `del f_globals[name]`; 0, or -1 (`NameError` as CPython when missing).
///
/// # Safety
/// GIL held; `f` is the running frame.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn s6_rt_delete_global(f: *mut Frame, name: *mut PyObject) -> i32 {
    // SAFETY: C-API calls on the frame's globals dict.
    unsafe {
        if PyDict_DelItem(f_globals(f), name) != 0 {
            if PyErr_ExceptionMatches(PyExc_KeyError) != 0 {
                format_exc_check_arg(PyExc_NameError, NAME_ERROR_MSG, name);
            }
            return -1;
        }
        0
    }
}

/// `MAKE_CELL i`: replaces local `i` by a new cell holding it. 0, or -1 (MemoryError).
///
/// # Safety
/// GIL held; `i < co_nlocalsplus` of the running frame.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn s6_rt_make_cell(f: *mut Frame, i: u32) -> i32 {
    // SAFETY: the slot holds an owned reference or NULL; the cell takes its own reference.
    unsafe {
        let p = slot(f, i);
        let initial = *p;
        let cell = PyCell_New(initial);
        if cell.is_null() {
            return -1;
        }
        *p = cell;
        Py_XDECREF(initial);
        0
    }
}

/// `COPY_FREE_VARS n`: copies the function's closure cells into slots `[offset, offset+n)`
/// (new references). Cannot fail.
///
/// # Safety
/// GIL held; the frame's function has a closure of at least `n` cells.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn s6_rt_copy_free_vars(f: *mut Frame, offset: u32, n: u32) {
    // SAFETY: func_closure is a tuple of n cells (the compiler emits n == co_nfreevars).
    unsafe {
        let closure = (*(f_func(f) as *mut PyFunctionObject)).func_closure;
        for i in 0..n {
            let o = PyTuple_GET_ITEM(closure, i as Py_ssize_t);
            Py_INCREF(o);
            *slot(f, offset + i) = o;
        }
    }
}

/// `STORE_DEREF i`: stores `v` (stolen) into cell slot `i`, releasing the old content. May run
/// Python code (`__del__`).
///
/// # Safety
/// GIL held; slot `i` holds a cell; `v` is an owned reference.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn s6_rt_store_deref(f: *mut Frame, i: u32, v: *mut PyObject) {
    // SAFETY: the cell's ob_ref is replaced (PyCell_SET) and the old value released after.
    unsafe {
        let cell = *slot(f, i) as *mut PyCellObject;
        let old = (*cell).ob_ref;
        (*cell).ob_ref = v;
        Py_XDECREF(old);
    }
}

/// `DELETE_DEREF i`: empties cell slot `i`. 0 when it held a value, 1 when it was already empty
/// (native code then deoptimizes; the interpreter raises). May run Python code (`__del__`).
///
/// # Safety
/// GIL held; slot `i` holds a cell.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn s6_rt_delete_deref(f: *mut Frame, i: u32) -> i32 {
    // SAFETY: as PyCell_SET followed by a decref of the old value.
    unsafe {
        let cell = *slot(f, i) as *mut PyCellObject;
        let old = (*cell).ob_ref;
        if old.is_null() {
            return 1;
        }
        (*cell).ob_ref = ptr::null_mut();
        Py_DECREF(old);
        0
    }
}

/// `IMPORT_NAME`: `__import__(name, globals, locals or None, fromlist, level)` through the
/// frame's builtins (all borrowed). New reference or NULL. Runs Python code.
///
/// # Safety
/// GIL held; `f` is the running frame.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn s6_rt_import_name(
    f: *mut Frame,
    name: *mut PyObject,
    fromlist: *mut PyObject,
    level: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: C-API calls with the GIL held on live objects.
    unsafe {
        let key = PyUnicode_InternFromString(c"__import__".as_ptr());
        if key.is_null() {
            return ptr::null_mut();
        }
        let import = _PyDict_GetItemWithError(f_builtins(f), key);
        Py_DECREF(key);
        if import.is_null() {
            if PyErr_Occurred().is_null() {
                PyErr_SetString(PyExc_ImportError, c"__import__ not found".as_ptr());
            }
            return ptr::null_mut();
        }
        Py_INCREF(import);
        let l = f_locals(f);
        let args = [
            name,
            f_globals(f),
            if l.is_null() { Py_None() } else { l },
            fromlist,
            level,
        ];
        let res = PyObject_Vectorcall(import, args.as_ptr(), 5, ptr::null_mut());
        Py_DECREF(import);
        res
    }
}

/// `IMPORT_FROM`: `getattr(module, name)` with CPython's fallbacks (`sys.modules` for circular
/// relative imports) and `ImportError` messages. Both borrowed. New reference or NULL.
///
/// # Safety
/// GIL held.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn s6_rt_import_from(v: *mut PyObject, name: *mut PyObject) -> *mut PyObject {
    // SAFETY: a transcription of ceval.c's import_from through exported functions.
    unsafe {
        let mut x = ptr::null_mut();
        if _PyObject_LookupAttr(v, name, &mut x) != 0 {
            return x;
        }
        let mut pkgname = PyObject_GetAttrString(v, c"__name__".as_ptr());
        if !pkgname.is_null() && PyUnicode_Check(pkgname) == 0 {
            Py_DECREF(pkgname);
            pkgname = ptr::null_mut();
        } else if !pkgname.is_null() {
            let full = PyUnicode_FromFormat(c"%U.%U".as_ptr(), pkgname, name);
            if full.is_null() {
                Py_DECREF(pkgname);
                return ptr::null_mut();
            }
            let x = PyImport_GetModule(full);
            Py_DECREF(full);
            if !x.is_null() || !PyErr_Occurred().is_null() {
                Py_DECREF(pkgname);
                return x;
            }
        }
        let pkgpath = PyModule_GetFilenameObject(v);
        let pkgname_or_unknown = if pkgname.is_null() {
            let u = PyUnicode_FromString(c"<unknown module name>".as_ptr());
            if u.is_null() {
                Py_XDECREF(pkgpath);
                return ptr::null_mut();
            }
            u
        } else {
            pkgname
        };
        let errmsg;
        if pkgpath.is_null() || PyUnicode_Check(pkgpath) == 0 {
            PyErr_Clear();
            errmsg = PyUnicode_FromFormat(
                c"cannot import name %R from %R (unknown location)".as_ptr(),
                name,
                pkgname_or_unknown,
            );
            PyErr_SetImportError(errmsg, pkgname, ptr::null_mut());
        } else {
            let spec = PyObject_GetAttrString(v, c"__spec__".as_ptr());
            let fmt = if _PyModuleSpec_IsInitializing(spec) != 0 {
                c"cannot import name %R from partially initialized module %R (most likely due to a circular import) (%S)"
            } else {
                c"cannot import name %R from %R (%S)"
            };
            Py_XDECREF(spec);
            errmsg = PyUnicode_FromFormat(fmt.as_ptr(), name, pkgname_or_unknown, pkgpath);
            PyErr_SetImportError(errmsg, pkgname, pkgpath);
        }
        Py_XDECREF(errmsg);
        Py_XDECREF(pkgname_or_unknown);
        Py_XDECREF(pkgpath);
        ptr::null_mut()
    }
}

/// `LOAD_BUILD_CLASS`: `__build_class__` from the frame's builtins; new reference or NULL
/// (`NameError: __build_class__ not found`).
///
/// # Safety
/// GIL held; `f` is the running frame.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn s6_rt_load_build_class(f: *mut Frame) -> *mut PyObject {
    // SAFETY: C-API calls on the frame's builtins.
    unsafe {
        let b = f_builtins(f);
        let key = PyUnicode_InternFromString(c"__build_class__".as_ptr());
        if key.is_null() {
            return ptr::null_mut();
        }
        let res = if PyDict_CheckExact(b) != 0 {
            let bc = _PyDict_GetItemWithError(b, key);
            if bc.is_null() {
                if PyErr_Occurred().is_null() {
                    PyErr_SetString(PyExc_NameError, c"__build_class__ not found".as_ptr());
                }
            } else {
                Py_INCREF(bc);
            }
            bc
        } else {
            let bc = PyObject_GetItem(b, key);
            if bc.is_null() && PyErr_ExceptionMatches(PyExc_KeyError) != 0 {
                PyErr_SetString(PyExc_NameError, c"__build_class__ not found".as_ptr());
            }
            bc
        };
        Py_DECREF(key);
        res
    }
}
