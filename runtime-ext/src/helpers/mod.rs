//! The `s6_rt_*` runtime helpers that compiled code calls, and the table the loader resolves
//! their symbols from.
//!
//! Each helper is the native form of one interpreter instruction (or of its slow part) whose
//! C code in `ceval.c` is more than one exported C-API call, or uses static functions of
//! `ceval.c` that are not exported (error formatting, `unpack_iterable`, `import_from`, ...).
//! Each one's reference and failure contract is stated in its doc and mirrored by its entry in
//! `compiler/strongjit/src/callees.rs`.
//!
//! # Frame-slot operands
//! Instructions with many operands (`CALL`, `BUILD_*`, `MAKE_FUNCTION`, `CALL_FUNCTION_EX`)
//! and many results (`UNPACK_*`) pass them through the frame's own value-stack slots
//! (`f->localsplus[base ..]`, `base` an absolute `localsplus` index), laid out exactly as the
//! interpreter keeps them: native code stores its owned stack values there, the helper consumes
//! them (the slots are then dead), or writes new references there that native code loads back
//! as its own. The slots are above `stacktop`, so no one else looks at them.

mod build;
mod builtins;
mod calls;
mod errors;
mod frame;
mod generators;
pub(crate) mod handlers;
mod matching;
mod names;
mod numbers;
mod ops;
mod site_cache;
mod unpack;

// `ceval.c`'s method lookup (`LOAD_METHOD`, `match_class`): exported, but not in pyo3-ffi.
unsafe extern "C" {
    fn _PyObject_GetMethod(
        obj: *mut pyo3_ffi::PyObject,
        name: *mut pyo3_ffi::PyObject,
        method: *mut *mut pyo3_ffi::PyObject,
    ) -> i32;
}

/// `(symbol, address)` of every runtime helper, for the loader.
pub fn table() -> Vec<(&'static str, usize)> {
    macro_rules! entries {
        ($($m:ident :: $f:ident),* $(,)?) => {
            vec![$((stringify!($f), $m::$f as *const () as usize)),*]
        };
    }
    entries![
        calls::s6_rt_call,
        calls::s6_rt_call_ex,
        calls::s6_rt_make_function,
        build::s6_rt_build_tuple,
        build::s6_rt_build_list,
        build::s6_rt_build_set,
        build::s6_rt_build_map,
        build::s6_rt_build_const_key_map,
        build::s6_rt_build_string,
        build::s6_rt_list_extend,
        build::s6_rt_set_update,
        build::s6_rt_dict_update,
        build::s6_rt_dict_merge,
        unpack::s6_rt_unpack_sequence,
        unpack::s6_rt_unpack_ex,
        names::s6_rt_load_global,
        names::s6_rt_store_global,
        names::s6_rt_delete_global,
        names::s6_rt_make_cell,
        names::s6_rt_copy_free_vars,
        names::s6_rt_store_deref,
        names::s6_rt_delete_deref,
        names::s6_rt_import_name,
        names::s6_rt_import_from,
        names::s6_rt_load_build_class,
        ops::s6_rt_load_method,
        site_cache::s6_rt_load_global_cached,
        site_cache::s6_rt_load_attr_cached,
        site_cache::s6_rt_probe_attr_cached,
        site_cache::s6_rt_store_attr_cached,
        site_cache::s6_rt_store_global_cached,
        site_cache::s6_rt_load_method_cached,
        site_cache::s6_rt_probe_method_cached,
        site_cache::s6_rt_probe_global_cached,
        calls::s6_rt_getitem_py,
        calls::s6_rt_setitem_py,
        ops::s6_rt_for_iter,
        ops::s6_rt_format_value,
        ops::s6_rt_binary_op,
        builtins::s6_rt_len,
        builtins::s6_rt_isinstance,
        builtins::s6_rt_list_append,
        builtins::s6_rt_call_descr_noargs,
        builtins::s6_rt_call_descr_o,
        builtins::s6_rt_call_descr_fast,
        builtins::s6_rt_call_cfunc_o,
        builtins::s6_rt_call_cfunc_fast,
        numbers::s6_rt_float_floordiv,
        numbers::s6_rt_float_mod,
        numbers::s6_rt_float_pow,
        numbers::s6_rt_math_sin,
        numbers::s6_rt_math_cos,
        numbers::s6_rt_math_tan,
        numbers::s6_rt_math_atan,
        numbers::s6_rt_math_exp,
        numbers::s6_rt_math_sqrt,
        numbers::s6_rt_math_fabs,
        ops::s6_rt_raise,
        ops::s6_rt_before_with,
        ops::s6_rt_match_type_flag,
        matching::s6_rt_match_class,
        matching::s6_rt_match_keys,
        ops::s6_rt_assertion_error,
        generators::s6_rt_send,
        generators::s6_rt_get_yield_from_iter,
        generators::s6_rt_get_awaitable,
        handlers::s6_rt_push_exc_info,
        handlers::s6_rt_pop_except,
        handlers::s6_rt_check_exc_match,
        handlers::s6_rt_reraise,
        handlers::s6_rt_bare_raise,
        handlers::s6_rt_with_except_start,
    ]
}

#[cfg(test)]
mod table_tests {
    #[test]
    fn table_names_are_unique_helpers() {
        let t = super::table();
        let mut names: Vec<_> = t.iter().map(|e| e.0).collect();
        assert!(
            names
                .iter()
                .all(|n| n.starts_with(s6_profiles::abi::HELPER_PREFIX))
        );
        assert!(t.iter().all(|e| e.1 != 0));
        names.sort();
        names.dedup();
        assert_eq!(names.len(), t.len());
    }
}

#[cfg(test)]
mod tests;
