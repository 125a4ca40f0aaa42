//! Builtins that specialized calls reach directly, once the code has checked that the callee
//! is that very builtin (`len`, `isinstance`, `list.append`): the builtin's own C function,
//! without the argument vector and the dispatch of the generic call.

use pyo3_ffi::*;

/// `len(o)`: a new reference, or NULL with an exception set. Runs Python code (`__len__`).
///
/// # Safety
/// GIL held; `o` live.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn s6_rt_len(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: per the contract.
    unsafe {
        let n = PyObject_Size(o);
        if n < 0 {
            return std::ptr::null_mut();
        }
        PyLong_FromSsize_t(n)
    }
}

/// `isinstance(o, t)`: a new reference to `True`/`False`, or NULL with an exception set. Runs
/// Python code (`__instancecheck__`).
///
/// # Safety
/// GIL held; `o` and `t` live.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn s6_rt_isinstance(o: *mut PyObject, t: *mut PyObject) -> *mut PyObject {
    // SAFETY: per the contract.
    unsafe {
        match PyObject_IsInstance(o, t) {
            r if r < 0 => std::ptr::null_mut(),
            r => PyBool_FromLong(r.into()),
        }
    }
}

/// `list.append(l, x)` for `l` a list (or subclass): a new reference to `None`, or NULL with
/// an exception set (memory). Runs no Python code.
///
/// # Safety
/// GIL held; `l` a list, `x` live.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn s6_rt_list_append(l: *mut PyObject, x: *mut PyObject) -> *mut PyObject {
    // SAFETY: per the contract.
    unsafe {
        if PyList_Append(l, x) < 0 {
            return std::ptr::null_mut();
        }
        let none = Py_None();
        Py_INCREF(none);
        none
    }
}

/// Whether `descr` is a method descriptor whose C function takes the calling convention
/// `flags` exactly, and `self_` an instance of the type that defines it: the conditions under
/// which CPython's `PRECALL_NO_KW_METHOD_DESCRIPTOR_*` call the C function directly (they check
/// the exact type; an instance of a subclass is what the generic call accepts too).
///
/// # Safety
/// GIL held; `descr` and `self_` live.
unsafe fn direct_descr(descr: *mut PyObject, self_: *mut PyObject, flags: i32) -> bool {
    // SAFETY: per the contract; the descriptor fields are read only once its type is checked.
    unsafe {
        if Py_TYPE(descr) != &raw mut PyMethodDescr_Type {
            return false;
        }
        let d = descr as *mut PyMethodDescrObject;
        let owner = (*d).d_common.d_type;
        (*(*d).d_method).ml_flags == flags
            && (Py_TYPE(self_) == owner || PyType_IsSubtype(Py_TYPE(self_), owner) != 0)
    }
}

/// The generic call `descr(self_, *args)`, for when [`direct_descr`] does not hold: it raises
/// what CPython raises (a descriptor applied to an object of another type, ...).
///
/// # Safety
/// GIL held; all live.
unsafe fn descr_generic(
    descr: *mut PyObject,
    self_: *mut PyObject,
    args: &[*mut PyObject],
) -> *mut PyObject {
    let mut all = Vec::with_capacity(args.len() + 1);
    all.push(self_);
    all.extend_from_slice(args);
    // SAFETY: per the contract; `all` outlives the call.
    unsafe { PyObject_Vectorcall(descr, all.as_ptr(), all.len(), std::ptr::null_mut()) }
}

/// `self.m()` where `m` is a builtin `METH_NOARGS` method (`list.pop`... with no argument,
/// `str.upper`): its C function called directly, as `PRECALL_NO_KW_METHOD_DESCRIPTOR_NOARGS`
/// does (recursion check included). A new reference, or NULL with an exception set. May run
/// Python code.
///
/// # Safety
/// GIL held; `descr` and `self_` live.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn s6_rt_call_descr_noargs(
    descr: *mut PyObject,
    self_: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: per the contract; `direct_descr` checked the descriptor and the flags.
    unsafe {
        if !direct_descr(descr, self_, METH_NOARGS) {
            return descr_generic(descr, self_, &[]);
        }
        let meth = (*(descr as *mut PyMethodDescrObject)).d_method;
        if Py_EnterRecursiveCall(c" while calling a Python object".as_ptr()) != 0 {
            return std::ptr::null_mut();
        }
        let r = ((*meth).ml_meth.PyCFunction)(self_, std::ptr::null_mut());
        Py_LeaveRecursiveCall();
        r
    }
}

/// `self.m(x)` where `m` is a builtin `METH_O` method (`str.join`, `list.index`...): as
/// `PRECALL_NO_KW_METHOD_DESCRIPTOR_O`. A new reference, or NULL with an exception set. May run
/// Python code.
///
/// # Safety
/// GIL held; all live.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn s6_rt_call_descr_o(
    descr: *mut PyObject,
    self_: *mut PyObject,
    x: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: per the contract; `direct_descr` checked the descriptor and the flags.
    unsafe {
        if !direct_descr(descr, self_, METH_O) {
            return descr_generic(descr, self_, &[x]);
        }
        let meth = (*(descr as *mut PyMethodDescrObject)).d_method;
        if Py_EnterRecursiveCall(c" while calling a Python object".as_ptr()) != 0 {
            return std::ptr::null_mut();
        }
        let r = ((*meth).ml_meth.PyCFunction)(self_, x);
        Py_LeaveRecursiveCall();
        r
    }
}

/// `self.m(*args)` (`nargs` of them at `args`) where `m` is a builtin `METH_FASTCALL` method
/// (`dict.get`, `str.startswith`, `list.pop`...): as `PRECALL_NO_KW_METHOD_DESCRIPTOR_FAST`,
/// which does no recursion check. A new reference, or NULL with an exception set. May run
/// Python code.
///
/// # Safety
/// GIL held; `descr`, `self_` and the `nargs` objects at `args` live.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn s6_rt_call_descr_fast(
    descr: *mut PyObject,
    self_: *mut PyObject,
    args: *mut *mut PyObject,
    nargs: i64,
) -> *mut PyObject {
    // SAFETY: per the contract; `direct_descr` checked the descriptor and the flags.
    unsafe {
        let args: &[*mut PyObject] = if nargs > 0 {
            std::slice::from_raw_parts(args.cast_const(), nargs as usize)
        } else {
            &[]
        };
        if !direct_descr(descr, self_, METH_FASTCALL) {
            return descr_generic(descr, self_, args);
        }
        let meth = (*(descr as *mut PyMethodDescrObject)).d_method;
        // The C function takes `PyObject *const *` (pyo3-ffi declares it mutable).
        ((*meth).ml_meth.PyCFunctionFast)(self_, args.as_ptr().cast_mut(), nargs as isize)
    }
}

/// The C function of `callable` when it is exactly a builtin function (`PyCFunction_Type`)
/// taking the calling convention `flags`, with its `self` (the module): the conditions under
/// which CPython's `PRECALL_NO_KW_BUILTIN_O`/`_FAST` call it directly.
///
/// # Safety
/// GIL held; `callable` live.
unsafe fn direct_cfunc(
    callable: *mut PyObject,
    flags: i32,
) -> Option<(*mut PyMethodDef, *mut PyObject)> {
    // SAFETY: per the contract; the fields are read only once the type is checked.
    unsafe {
        if Py_TYPE(callable) != &raw mut PyCFunction_Type {
            return None;
        }
        let f = callable as *mut PyCFunctionObject;
        ((*(*f).m_ml).ml_flags == flags).then(|| ((*f).m_ml, (*f).m_self))
    }
}

/// `f(x)` where `f` is a builtin `METH_O` function (`id`, `ord`, `repr`...): its C function
/// called directly, as `PRECALL_NO_KW_BUILTIN_O` does (recursion check included); the generic
/// call when `f` is not such a function (a rebound builtin). A new reference, or NULL with an
/// exception set. May run Python code.
///
/// # Safety
/// GIL held; both live.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn s6_rt_call_cfunc_o(f: *mut PyObject, x: *mut PyObject) -> *mut PyObject {
    // SAFETY: per the contract; `direct_cfunc` checked the type and the flags.
    unsafe {
        let Some((ml, module)) = direct_cfunc(f, METH_O) else {
            let args = [x];
            return PyObject_Vectorcall(f, args.as_ptr(), 1, std::ptr::null_mut());
        };
        if Py_EnterRecursiveCall(c" while calling a Python object".as_ptr()) != 0 {
            return std::ptr::null_mut();
        }
        let r = ((*ml).ml_meth.PyCFunction)(module, x);
        Py_LeaveRecursiveCall();
        r
    }
}

/// `f(*args)` (`nargs` of them at `args`) where `f` is a builtin `METH_FASTCALL` function
/// (`getattr`, `min`, `max`, `divmod`...): as `PRECALL_NO_KW_BUILTIN_FAST` (no recursion
/// check); the generic call when `f` is not such a function. A new reference, or NULL with an
/// exception set. May run Python code.
///
/// # Safety
/// GIL held; `f` and the `nargs` objects at `args` live.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn s6_rt_call_cfunc_fast(
    f: *mut PyObject,
    args: *mut *mut PyObject,
    nargs: i64,
) -> *mut PyObject {
    // SAFETY: per the contract; `direct_cfunc` checked the type and the flags.
    unsafe {
        let Some((ml, module)) = direct_cfunc(f, METH_FASTCALL) else {
            return PyObject_Vectorcall(f, args.cast_const(), nargs as usize, std::ptr::null_mut());
        };
        ((*ml).ml_meth.PyCFunctionFast)(module, args, nargs as isize)
    }
}
