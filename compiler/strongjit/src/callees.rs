//! The callee table: the single source of truth for every external function native code may
//! call, with the contracts the translator, the verifier, the refcount passes and the lowering
//! rely on (signature, reference ownership of the result and of the arguments, how failure is
//! signalled, whether Python code may run).
//!
//! # Adding a function
//! Add one line to [`CALLEES`] (keep the groups; names must be unique, a test checks it):
//!
//! ```text
//! Callee::new("s6_rt_my_helper", &[PTR, OBJ, I32], Some(OBJ))
//!     .new_ref().fails(Failure::Null).steals(&[1]).runs_python(),
//! ```
//!
//! * C-API names must be *exported* by libpython 3.11 (`nm -D`), not macros or static inlines.
//! * Runtime helpers are named `s6_rt_*` ([`HELPER_PREFIX`]) and must also be implemented in the
//!   runtime's helper table (runtime-ext), with exactly this C signature. Types map to C as:
//!   obj = `PyObject*`, ptr = any other pointer, i64 = `Py_ssize_t`/`int64_t`/`size_t`,
//!   i32 = `int`/`uint32_t`, i8 = `char`/bool, f64 = `double`.
//! * State the truth: `may_run_python` = false only if the function can never call back into
//!   Python: no `__del__` via a decref, no `__eq__`/`__hash__`, and no allocation of a
//!   GC-tracked object (a GC collection can run finalizers and weakref callbacks).

use crate::types::Type;

/// Prefix of runtime helper names (mirrors `s6_profiles::abi::HELPER_PREFIX`).
pub const HELPER_PREFIX: &str = "s6_rt_";

/// Who owns the reference a callee returns.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum RetRef {
    /// A new (owned) reference: the caller must eventually decref it.
    New,
    /// A borrowed reference.
    Borrowed,
    /// The result is not an object (or there is no result).
    NotRef,
}

/// How a callee reports an error (the exception is then set).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Failure {
    /// Cannot fail.
    Never,
    /// A NULL result means an exception is set (`check_null`).
    Null,
    /// A negative integer result means an exception is set (`check_neg`).
    Negative,
    /// -1 (or -1.0) is an error only if `PyErr_Occurred()` (like `PyLong_AsLong`).
    MinusOneWithErr,
    /// NULL is an error only if `PyErr_Occurred()`; NULL without exception is a normal outcome
    /// (like `PyIter_Next` at exhaustion).
    NullWithErr,
}

/// One external function native code may call.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Callee {
    pub name: &'static str,
    pub params: &'static [Type],
    pub ret: Option<Type>,
    pub ret_ref: RetRef,
    pub failure: Failure,
    /// Argument positions whose reference the callee steals (takes ownership of).
    pub steals: &'static [usize],
    pub may_run_python: bool,
}

impl Callee {
    /// A callee that returns a non-reference (or nothing), cannot fail, steals nothing and runs
    /// no Python code; refine with the builder methods below.
    pub const fn new(name: &'static str, params: &'static [Type], ret: Option<Type>) -> Callee {
        Callee {
            name,
            params,
            ret,
            ret_ref: RetRef::NotRef,
            failure: Failure::Never,
            steals: &[],
            may_run_python: false,
        }
    }
    /// Returns a new reference.
    pub const fn new_ref(mut self) -> Callee {
        self.ret_ref = RetRef::New;
        self
    }
    /// Returns a borrowed reference.
    pub const fn borrowed(mut self) -> Callee {
        self.ret_ref = RetRef::Borrowed;
        self
    }
    pub const fn fails(mut self, failure: Failure) -> Callee {
        self.failure = failure;
        self
    }
    pub const fn steals(mut self, positions: &'static [usize]) -> Callee {
        self.steals = positions;
        self
    }
    pub const fn runs_python(mut self) -> Callee {
        self.may_run_python = true;
        self
    }
    /// An `s6_rt_*` helper (as opposed to a libpython C-API function).
    pub fn is_helper(&self) -> bool {
        self.name.starts_with(HELPER_PREFIX)
    }
    /// Whether argument `i` is stolen.
    pub fn steals_arg(&self, i: usize) -> bool {
        self.steals.contains(&i)
    }
}

const OBJ: Type = Type::Obj;
const PTR: Type = Type::Ptr;
const I64: Type = Type::I64;
const I32: Type = Type::I32;
const F64: Type = Type::F64;

/// `PyObject *f(PyObject *, PyObject *)`: new reference, NULL on error, may run Python.
const fn binary(name: &'static str) -> Callee {
    Callee::new(name, &[OBJ, OBJ], Some(OBJ))
        .new_ref()
        .fails(Failure::Null)
        .runs_python()
}
/// `PyObject *f(PyObject *)`: new reference, NULL on error, may run Python.
const fn unary(name: &'static str) -> Callee {
    Callee::new(name, &[OBJ], Some(OBJ))
        .new_ref()
        .fails(Failure::Null)
        .runs_python()
}
/// `int f(params)`: negative on error, may run Python.
const fn status(name: &'static str, params: &'static [Type]) -> Callee {
    Callee::new(name, params, Some(I32))
        .fails(Failure::Negative)
        .runs_python()
}

/// Every callable external function. Look up with [`lookup`].
pub static CALLEES: &[Callee] = &[
    // ---- runtime helpers (s6_rt_*; see profiles/src/abi.rs) ----
    // Leave native code: hand the frame (stack already written) to the interpreter and return
    // its result. `next_index`, `depth`, `throwflag`, `exit_site` as in abi.rs.
    Callee::new(
        "s6_rt_resume_in_interpreter",
        &[PTR, PTR, I32, I32, I32, I32],
        Some(OBJ),
    )
    .new_ref()
    .fails(Failure::Null)
    .runs_python(),
    // (ts, frame) a generator's frame resumed where native code has no resume point (a yield
    // the translator did not reach): the interpreter runs it from the frame as it is.
    Callee::new("s6_rt_resume_generator", &[PTR, PTR], Some(OBJ))
        .new_ref()
        .fails(Failure::Null)
        .runs_python(),
    // (ts, frame, next_index, depth, exit_site): an error exit's exception caught by a
    // handler of the frame (the handler's code unit, the frame's stack made the handler's), or
    // -1 having changed nothing. See abi.rs.
    Callee::new("s6_rt_catch", &[PTR, PTR, I32, I32, I32], Some(I32)).runs_python(),
    // 0 when nothing is pending, non-zero when the eval breaker is set.
    Callee::new("s6_rt_eval_breaker", &[PTR], Some(I32)),
    // (ts) non-zero when a guard should fail on purpose (S6_DEOPT_STRESS).
    Callee::new("s6_rt_deopt_stress", &[PTR], Some(I32)),
    // ---- refcounts out of line ----
    Callee::new("Py_IncRef", &[OBJ], None),
    Callee::new("Py_DecRef", &[OBJ], None).runs_python(),
    // ---- numbers ----
    binary("PyNumber_Add"),
    binary("PyNumber_Subtract"),
    binary("PyNumber_Multiply"),
    binary("PyNumber_MatrixMultiply"),
    binary("PyNumber_FloorDivide"),
    binary("PyNumber_TrueDivide"),
    binary("PyNumber_Remainder"),
    binary("PyNumber_Divmod"),
    binary("PyNumber_Lshift"),
    binary("PyNumber_Rshift"),
    binary("PyNumber_And"),
    binary("PyNumber_Or"),
    binary("PyNumber_Xor"),
    // third argument: Py_None for the binary operator
    Callee::new("PyNumber_Power", &[OBJ, OBJ, OBJ], Some(OBJ))
        .new_ref()
        .fails(Failure::Null)
        .runs_python(),
    binary("PyNumber_InPlaceAdd"),
    binary("PyNumber_InPlaceSubtract"),
    binary("PyNumber_InPlaceMultiply"),
    binary("PyNumber_InPlaceMatrixMultiply"),
    binary("PyNumber_InPlaceFloorDivide"),
    binary("PyNumber_InPlaceTrueDivide"),
    binary("PyNumber_InPlaceRemainder"),
    binary("PyNumber_InPlaceLshift"),
    binary("PyNumber_InPlaceRshift"),
    binary("PyNumber_InPlaceAnd"),
    binary("PyNumber_InPlaceOr"),
    binary("PyNumber_InPlaceXor"),
    Callee::new("PyNumber_InPlacePower", &[OBJ, OBJ, OBJ], Some(OBJ))
        .new_ref()
        .fails(Failure::Null)
        .runs_python(),
    unary("PyNumber_Negative"),
    unary("PyNumber_Positive"),
    unary("PyNumber_Invert"),
    unary("PyNumber_Absolute"),
    unary("PyNumber_Index"),
    unary("PyNumber_Long"),
    unary("PyNumber_Float"),
    Callee::new("PyLong_FromLongLong", &[I64], Some(OBJ))
        .new_ref()
        .fails(Failure::Null),
    Callee::new("PyLong_FromSsize_t", &[I64], Some(OBJ))
        .new_ref()
        .fails(Failure::Null),
    Callee::new("PyLong_AsLongLong", &[OBJ], Some(I64))
        .fails(Failure::MinusOneWithErr)
        .runs_python(),
    Callee::new("PyFloat_FromDouble", &[F64], Some(OBJ))
        .new_ref()
        .fails(Failure::Null),
    Callee::new("PyFloat_AsDouble", &[OBJ], Some(F64))
        .fails(Failure::MinusOneWithErr)
        .runs_python(),
    Callee::new("PyBool_FromLong", &[I64], Some(OBJ)).new_ref(),
    // ---- comparison and truth ----
    // third argument: Py_LT..Py_GE (0..5)
    Callee::new("PyObject_RichCompare", &[OBJ, OBJ, I32], Some(OBJ))
        .new_ref()
        .fails(Failure::Null)
        .runs_python(),
    status("PyObject_RichCompareBool", &[OBJ, OBJ, I32]),
    // Two exact, ready strs: 1 when equal, else 0 (-1 only for a str not ready: callers check
    // `state.ready` first). Runs no Python code.
    Callee::new("_PyUnicode_Equal", &[OBJ, OBJ], Some(I32)),
    status("PyObject_IsTrue", &[OBJ]),
    status("PyObject_Not", &[OBJ]),
    status("PyObject_IsInstance", &[OBJ, OBJ]),
    status("PySequence_Contains", &[OBJ, OBJ]),
    // ---- attributes and items ----
    binary("PyObject_GetAttr"),
    // value NULL deletes the attribute (PyObject_DelAttr is a macro in 3.11)
    status("PyObject_SetAttr", &[OBJ, OBJ, OBJ]),
    binary("PyObject_GetItem"),
    status("PyObject_SetItem", &[OBJ, OBJ, OBJ]),
    // As PyObject_GetItem / PyObject_SetItem, calling a class's Python `__getitem__` /
    // `__setitem__` directly (the frame pushed as for a direct call) when the type's slot is
    // the one that would call it.
    binary("s6_rt_getitem_py"),
    status("s6_rt_setitem_py", &[OBJ, OBJ, OBJ]),
    status("PyObject_DelItem", &[OBJ, OBJ]),
    Callee::new("PyObject_Size", &[OBJ], Some(I64))
        .fails(Failure::Negative)
        .runs_python(),
    // ---- iteration ----
    unary("PyObject_GetIter"),
    // NULL without exception = exhausted. Prefer an s6_rt_* helper for FOR_ITER.
    Callee::new("PyIter_Next", &[OBJ], Some(OBJ))
        .new_ref()
        .fails(Failure::NullWithErr)
        .runs_python(),
    // ---- calls ----
    // (callable, args: PyObject *const *, nargsf: size_t, kwnames: tuple or NULL)
    Callee::new("PyObject_Vectorcall", &[OBJ, PTR, I64, OBJ], Some(OBJ))
        .new_ref()
        .fails(Failure::Null)
        .runs_python(),
    // (name, args (args[0] is self), nargsf, kwnames)
    Callee::new(
        "PyObject_VectorcallMethod",
        &[OBJ, PTR, I64, OBJ],
        Some(OBJ),
    )
    .new_ref()
    .fails(Failure::Null)
    .runs_python(),
    // (callable, args tuple, kwargs dict or NULL)
    Callee::new("PyObject_Call", &[OBJ, OBJ, OBJ], Some(OBJ))
        .new_ref()
        .fails(Failure::Null)
        .runs_python(),
    // ---- containers ----
    Callee::new("PyTuple_New", &[I64], Some(OBJ))
        .new_ref()
        .fails(Failure::Null)
        .runs_python(),
    Callee::new("PyTuple_SetItem", &[OBJ, I64, OBJ], Some(I32))
        .fails(Failure::Negative)
        .steals(&[2])
        .runs_python(),
    Callee::new("PyList_New", &[I64], Some(OBJ))
        .new_ref()
        .fails(Failure::Null)
        .runs_python(),
    Callee::new("PyList_SetItem", &[OBJ, I64, OBJ], Some(I32))
        .fails(Failure::Negative)
        .steals(&[2])
        .runs_python(),
    Callee::new("PyList_Append", &[OBJ, OBJ], Some(I32)).fails(Failure::Negative),
    Callee::new("PyList_AsTuple", &[OBJ], Some(OBJ))
        .new_ref()
        .fails(Failure::Null)
        .runs_python(),
    Callee::new("PyDict_New", &[], Some(OBJ))
        .new_ref()
        .fails(Failure::Null)
        .runs_python(),
    status("PyDict_SetItem", &[OBJ, OBJ, OBJ]),
    Callee::new("PySet_New", &[OBJ], Some(OBJ))
        .new_ref()
        .fails(Failure::Null)
        .runs_python(),
    status("PySet_Add", &[OBJ, OBJ]),
    Callee::new("PySlice_New", &[OBJ, OBJ, OBJ], Some(OBJ))
        .new_ref()
        .fails(Failure::Null)
        .runs_python(),
    // ---- strings ----
    unary("PyObject_Str"),
    unary("PySequence_Tuple"),
    unary("PyObject_Repr"),
    unary("PyObject_ASCII"),
    binary("PyObject_Format"),
    // ---- errors ----
    Callee::new("PyErr_Occurred", &[], Some(OBJ)).borrowed(),
    // ---- translator helpers (runtime-ext/src/helpers; each one's doc states its contract) ----
    // (frame, base, n): operands/results in the frame's value-stack slots localsplus[base..].
    Callee::new("s6_rt_call", &[PTR, I32, I32, OBJ], Some(OBJ))
        .new_ref()
        .fails(Failure::Null)
        .runs_python(),
    Callee::new("s6_rt_call_ex", &[PTR, I32, I32], Some(OBJ))
        .new_ref()
        .fails(Failure::Null)
        .runs_python(),
    Callee::new("s6_rt_make_function", &[PTR, I32, I32], Some(OBJ))
        .new_ref()
        .fails(Failure::Null)
        .runs_python(),
    Callee::new("s6_rt_build_tuple", &[PTR, I32, I32], Some(OBJ))
        .new_ref()
        .fails(Failure::Null)
        .runs_python(),
    Callee::new("s6_rt_build_list", &[PTR, I32, I32], Some(OBJ))
        .new_ref()
        .fails(Failure::Null)
        .runs_python(),
    Callee::new("s6_rt_build_set", &[PTR, I32, I32], Some(OBJ))
        .new_ref()
        .fails(Failure::Null)
        .runs_python(),
    Callee::new("s6_rt_build_map", &[PTR, I32, I32], Some(OBJ))
        .new_ref()
        .fails(Failure::Null)
        .runs_python(),
    Callee::new("s6_rt_build_const_key_map", &[PTR, I32, I32], Some(OBJ))
        .new_ref()
        .fails(Failure::Null)
        .runs_python(),
    Callee::new("s6_rt_build_string", &[PTR, I32, I32], Some(OBJ))
        .new_ref()
        .fails(Failure::Null)
        .runs_python(),
    status("s6_rt_unpack_sequence", &[PTR, I32, OBJ, I32]),
    status("s6_rt_unpack_ex", &[PTR, I32, OBJ, I32]),
    status("s6_rt_list_extend", &[OBJ, OBJ]),
    status("s6_rt_set_update", &[OBJ, OBJ]),
    status("s6_rt_dict_update", &[OBJ, OBJ]),
    status("s6_rt_dict_merge", &[OBJ, OBJ, OBJ]),
    Callee::new("s6_rt_load_global", &[PTR, OBJ], Some(OBJ))
        .new_ref()
        .fails(Failure::Null)
        .runs_python(),
    status("s6_rt_store_global", &[PTR, OBJ, OBJ]),
    status("s6_rt_delete_global", &[PTR, OBJ]),
    status("s6_rt_make_cell", &[PTR, I32]),
    Callee::new("s6_rt_copy_free_vars", &[PTR, I32, I32], None),
    Callee::new("s6_rt_store_deref", &[PTR, I32, OBJ], None)
        .steals(&[2])
        .runs_python(),
    // 0 deleted, 1 the cell was empty (native code deopts; the interpreter raises).
    Callee::new("s6_rt_delete_deref", &[PTR, I32], Some(I32)).runs_python(),
    Callee::new("s6_rt_import_name", &[PTR, OBJ, OBJ, OBJ], Some(OBJ))
        .new_ref()
        .fails(Failure::Null)
        .runs_python(),
    binary("s6_rt_import_from"),
    Callee::new("s6_rt_load_build_class", &[PTR], Some(OBJ))
        .new_ref()
        .fails(Failure::Null)
        .runs_python(),
    // (obj, name, *lower): returns the upper stack value, writes the lower one (may be NULL).
    Callee::new("s6_rt_load_method", &[OBJ, OBJ, PTR], Some(OBJ))
        .new_ref()
        .fails(Failure::Null)
        .steals(&[0])
        .runs_python(),
    // Site-cached forms: the last argument is the site's cache (`binding_addr`, see
    // `SITE_CACHE_WORDS`). Same results, failures and Python code as the uncached forms; a
    // valid cache entry only skips the lookup.
    Callee::new("s6_rt_load_global_cached", &[PTR, OBJ, PTR], Some(OBJ))
        .new_ref()
        .fails(Failure::Null)
        .runs_python(),
    Callee::new("s6_rt_load_attr_cached", &[OBJ, OBJ, PTR], Some(OBJ))
        .new_ref()
        .fails(Failure::Null)
        .runs_python(),
    // The attribute load of code inlined into another function (`passes::inline`): what the
    // site cache finds in a place that running no code can read (an instance attribute, a
    // class or module constant), a new reference; NULL, with no exception, for anything else
    // (a descriptor with a getter, `__getattr__`, a missing attribute), which the real call
    // then does. Fills the cache as `s6_rt_load_attr_cached` does, without calling anything.
    Callee::new("s6_rt_probe_attr_cached", &[OBJ, OBJ, PTR], Some(OBJ))
        .new_ref()
        .fails(Failure::NullWithErr),
    // (obj, name, *lower, cache): as s6_rt_load_method.
    Callee::new("s6_rt_load_method_cached", &[OBJ, OBJ, PTR, PTR], Some(OBJ))
        .new_ref()
        .fails(Failure::Null)
        .steals(&[0])
        .runs_python(),
    // The method load of inlined code (`passes::inline`): as `s6_rt_load_method_cached` when
    // finding the method or attribute runs no code; else NULL with no exception (`obj`
    // released either way), and the real call does the full lookup.
    // The global load of inlined code: (function, name, cache), the name in the function's own
    // globals or builtins when finding it runs no code; else NULL with no exception.
    Callee::new("s6_rt_probe_global_cached", &[OBJ, OBJ, PTR], Some(OBJ))
        .new_ref()
        .fails(Failure::NullWithErr),
    Callee::new(
        "s6_rt_probe_method_cached",
        &[OBJ, OBJ, PTR, PTR],
        Some(OBJ),
    )
    .new_ref()
    .fails(Failure::NullWithErr)
    .steals(&[0]),
    // (owner, name, value, cache): as PyObject_SetAttr (nothing stolen).
    status("s6_rt_store_attr_cached", &[OBJ, OBJ, OBJ, PTR]),
    // (frame, name, value, cache): as s6_rt_store_global (nothing stolen).
    status("s6_rt_store_global_cached", &[PTR, OBJ, OBJ, PTR]),
    // NULL without exception: exhausted.
    Callee::new("s6_rt_for_iter", &[OBJ], Some(OBJ))
        .new_ref()
        .fails(Failure::NullWithErr)
        .runs_python(),
    Callee::new("s6_rt_format_value", &[OBJ, OBJ, I32], Some(OBJ))
        .new_ref()
        .fails(Failure::Null)
        .runs_python(),
    Callee::new("s6_rt_binary_op", &[OBJ, OBJ, I32], Some(OBJ))
        .new_ref()
        .fails(Failure::Null)
        .runs_python(),
    // Always leaves an exception set: follow with `raise`.
    // Builtins called directly once the callee is known to be them (runtime builtins.rs):
    // len(o), isinstance(o, t) -> new reference or NULL; list.append(l, x) -> None or NULL.
    unary("s6_rt_len"),
    binary("s6_rt_isinstance"),
    Callee::new("s6_rt_list_append", &[OBJ, OBJ], Some(OBJ))
        .new_ref()
        .fails(Failure::Null),
    // A builtin method of a builtin type called through its descriptor's C function
    // (descriptor, self[, x | args, nargs]) -> new reference or NULL (runtime builtins.rs).
    binary("s6_rt_call_descr_noargs"),
    Callee::new("s6_rt_call_descr_o", &[OBJ, OBJ, OBJ], Some(OBJ))
        .new_ref()
        .fails(Failure::Null)
        .runs_python(),
    Callee::new("s6_rt_call_descr_fast", &[OBJ, OBJ, PTR, I64], Some(OBJ))
        .new_ref()
        .fails(Failure::Null)
        .runs_python(),
    // A builtin function called through its C function (function, x | args, nargs).
    binary("s6_rt_call_cfunc_o"),
    Callee::new("s6_rt_call_cfunc_fast", &[OBJ, PTR, I64], Some(OBJ))
        .new_ref()
        .fails(Failure::Null)
        .runs_python(),
    // Float `//`, `%` (divisor != 0) and `**` on unboxed doubles, as floatobject.c computes
    // them; the power returns 0 where float_pow would raise or go complex (runtime numbers.rs).
    Callee::new("s6_rt_float_floordiv", &[F64, F64], Some(F64)),
    Callee::new("s6_rt_float_mod", &[F64, F64], Some(F64)),
    Callee::new("s6_rt_float_pow", &[F64, F64, PTR], Some(I32)),
    // The C library's function behind `math.sin` etc. (mathmodule.c's `FUNC1`), on a double.
    Callee::new("s6_rt_math_sin", &[F64], Some(F64)),
    Callee::new("s6_rt_math_cos", &[F64], Some(F64)),
    Callee::new("s6_rt_math_tan", &[F64], Some(F64)),
    Callee::new("s6_rt_math_atan", &[F64], Some(F64)),
    Callee::new("s6_rt_math_exp", &[F64], Some(F64)),
    Callee::new("s6_rt_math_sqrt", &[F64], Some(F64)),
    Callee::new("s6_rt_math_fabs", &[F64], Some(F64)),
    Callee::new("s6_rt_raise", &[OBJ, OBJ], None)
        .steals(&[0, 1])
        .runs_python(),
    // ---- handler code (see lower::exits for how a caught exception gets there) ----
    // PUSH_EXC_INFO: (ts, exc) makes exc (borrowed) the handled exception; returns the one
    // handled before (None if none) as a new reference.
    Callee::new("s6_rt_push_exc_info", &[PTR, OBJ], Some(OBJ)).new_ref(),
    // POP_EXCEPT: (ts, prev) restores prev (stolen) as the handled exception and releases the
    // current one.
    Callee::new("s6_rt_pop_except", &[PTR, OBJ], None)
        .steals(&[1])
        .runs_python(),
    // CHECK_EXC_MATCH: (exc, cls) -> new True/False; NULL (TypeError) when cls cannot be
    // caught. Compares MROs only.
    Callee::new("s6_rt_check_exc_match", &[OBJ, OBJ], Some(OBJ))
        .new_ref()
        .fails(Failure::Null),
    // RERAISE: (frame, exc, lasti or NULL) restores exc (stolen) as the pending exception
    // (prev_instr from lasti); the error exit after it adds no traceback entry.
    Callee::new("s6_rt_reraise", &[PTR, OBJ, OBJ], None).steals(&[1]),
    // RAISE_VARARGS 0: (ts) re-raises the handled exception (or sets RuntimeError).
    Callee::new("s6_rt_bare_raise", &[PTR], None),
    // WITH_EXCEPT_START: (exit, exc) -> exit(type(exc), exc, tb), a new reference.
    Callee::new("s6_rt_with_except_start", &[OBJ, OBJ], Some(OBJ))
        .new_ref()
        .fails(Failure::Null)
        .runs_python(),
    // (mgr, *exit): returns __enter__(), writes the bound __exit__.
    Callee::new("s6_rt_before_with", &[OBJ, PTR], Some(OBJ))
        .new_ref()
        .fails(Failure::Null)
        .steals(&[0])
        .runs_python(),
    Callee::new("s6_rt_match_type_flag", &[OBJ, I64], Some(OBJ)).new_ref(),
    // (subject, type, names, nargs): attributes tuple on a match, None on no match.
    Callee::new("s6_rt_match_class", &[OBJ, OBJ, OBJ, I32], Some(OBJ))
        .new_ref()
        .fails(Failure::Null)
        .runs_python(),
    // (map, keys): values tuple, or None when a key is missing.
    binary("s6_rt_match_keys"),
    Callee::new("s6_rt_assertion_error", &[], Some(OBJ)).new_ref(),
    // SEND untraced: (receiver, value, *out) -> 0 yielded / 1 returned (*out: the value, new
    // reference), -1 error; the value is stolen.
    Callee::new("s6_rt_send", &[OBJ, OBJ, PTR], Some(I32))
        .fails(Failure::Negative)
        .steals(&[1])
        .runs_python(),
    // GET_AWAITABLE: (iterable, oparg) -> the awaitable's iterator; the iterable is stolen.
    Callee::new("s6_rt_get_awaitable", &[OBJ, I32], Some(OBJ))
        .new_ref()
        .fails(Failure::Null)
        .steals(&[0])
        .runs_python(),
    // GET_YIELD_FROM_ITER: (iterable, in a coroutine) -> the iterator; the iterable is stolen.
    Callee::new("s6_rt_get_yield_from_iter", &[OBJ, I32], Some(OBJ))
        .new_ref()
        .fails(Failure::Null)
        .steals(&[0])
        .runs_python(),
];

/// The callee named `name`, if native code may call it.
pub fn lookup(name: &str) -> Option<&'static Callee> {
    CALLEES.iter().find(|c| c.name == name)
}
