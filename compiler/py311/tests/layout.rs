//! `s6_py311::layout` against the real headers: a C program prints `offsetof`/`sizeof` of every
//! constant and the test compares. Skipped (with a printed reason) without `cc` or headers.

mod common;

use s6_py311::layout::*;

macro_rules! checks {
    ($( $val:expr => $c:expr ),* $(,)?) => {
        vec![ $( (stringify!($val), i64::from($val), $c) ),* ]
    };
}

#[test]
fn layout_matches_headers() {
    #[rustfmt::skip]
    let table: Vec<(&str, i64, &str)> = checks![
        PTR => "sizeof(void *)",
        object::OB_REFCNT => "offsetof(PyObject, ob_refcnt)",
        object::OB_TYPE => "offsetof(PyObject, ob_type)",
        object::OB_SIZE => "offsetof(PyVarObject, ob_size)",
        object::SIZEOF_OBJECT => "sizeof(PyObject)",
        object::SIZEOF_VAR_OBJECT => "sizeof(PyVarObject)",
        object::MANAGED_VALUES => "(char *)_PyObject_ValuesPointer(fake) - (char *)fake",
        object::MANAGED_DICT => "(char *)_PyObject_ManagedDictPointer(fake) - (char *)fake",
        object::GC_NEXT => "(char *)&_Py_AS_GC(fake)->_gc_next - (char *)fake",
        frame::F_FUNC => "offsetof(_PyInterpreterFrame, f_func)",
        frame::F_GLOBALS => "offsetof(_PyInterpreterFrame, f_globals)",
        frame::F_BUILTINS => "offsetof(_PyInterpreterFrame, f_builtins)",
        frame::F_LOCALS => "offsetof(_PyInterpreterFrame, f_locals)",
        frame::F_CODE => "offsetof(_PyInterpreterFrame, f_code)",
        frame::FRAME_OBJ => "offsetof(_PyInterpreterFrame, frame_obj)",
        frame::PREVIOUS => "offsetof(_PyInterpreterFrame, previous)",
        frame::PREV_INSTR => "offsetof(_PyInterpreterFrame, prev_instr)",
        frame::STACKTOP => "offsetof(_PyInterpreterFrame, stacktop)",
        frame::IS_ENTRY => "offsetof(_PyInterpreterFrame, is_entry)",
        frame::OWNER => "offsetof(_PyInterpreterFrame, owner)",
        frame::LOCALSPLUS => "offsetof(_PyInterpreterFrame, localsplus)",
        frame::SIZEOF => "sizeof(_PyInterpreterFrame)",
        frame::SPECIALS_SIZE => "FRAME_SPECIALS_SIZE",
        frame::OWNED_BY_THREAD => "FRAME_OWNED_BY_THREAD",
        frame::OWNED_BY_GENERATOR => "FRAME_OWNED_BY_GENERATOR",
        frame::OWNED_BY_FRAME_OBJECT => "FRAME_OWNED_BY_FRAME_OBJECT",
        frame_object::F_BACK => "offsetof(PyFrameObject, f_back)",
        frame_object::F_FRAME => "offsetof(PyFrameObject, f_frame)",
        frame_object::F_TRACE => "offsetof(PyFrameObject, f_trace)",
        frame_object::F_LINENO => "offsetof(PyFrameObject, f_lineno)",
        frame_object::F_FRAME_DATA => "offsetof(PyFrameObject, _f_frame_data)",
        frame_object::SIZEOF => "sizeof(PyFrameObject)",
        code::OB_SIZE => "offsetof(PyCodeObject, ob_base.ob_size)",
        code::CO_CONSTS => "offsetof(PyCodeObject, co_consts)",
        code::CO_NAMES => "offsetof(PyCodeObject, co_names)",
        code::CO_EXCEPTIONTABLE => "offsetof(PyCodeObject, co_exceptiontable)",
        code::CO_FLAGS => "offsetof(PyCodeObject, co_flags)",
        code::CO_WARMUP => "offsetof(PyCodeObject, co_warmup)",
        code::CO_ARGCOUNT => "offsetof(PyCodeObject, co_argcount)",
        code::CO_POSONLYARGCOUNT => "offsetof(PyCodeObject, co_posonlyargcount)",
        code::CO_KWONLYARGCOUNT => "offsetof(PyCodeObject, co_kwonlyargcount)",
        code::CO_STACKSIZE => "offsetof(PyCodeObject, co_stacksize)",
        code::CO_FIRSTLINENO => "offsetof(PyCodeObject, co_firstlineno)",
        code::CO_NLOCALSPLUS => "offsetof(PyCodeObject, co_nlocalsplus)",
        code::CO_NLOCALS => "offsetof(PyCodeObject, co_nlocals)",
        code::CO_NPLAINCELLVARS => "offsetof(PyCodeObject, co_nplaincellvars)",
        code::CO_NCELLVARS => "offsetof(PyCodeObject, co_ncellvars)",
        code::CO_NFREEVARS => "offsetof(PyCodeObject, co_nfreevars)",
        code::CO_LOCALSPLUSNAMES => "offsetof(PyCodeObject, co_localsplusnames)",
        code::CO_LOCALSPLUSKINDS => "offsetof(PyCodeObject, co_localspluskinds)",
        code::CO_FILENAME => "offsetof(PyCodeObject, co_filename)",
        code::CO_NAME => "offsetof(PyCodeObject, co_name)",
        code::CO_QUALNAME => "offsetof(PyCodeObject, co_qualname)",
        code::CO_LINETABLE => "offsetof(PyCodeObject, co_linetable)",
        code::CO_WEAKREFLIST => "offsetof(PyCodeObject, co_weakreflist)",
        code::CO_CODE => "offsetof(PyCodeObject, _co_code)",
        code::CO_LINEARRAY => "offsetof(PyCodeObject, _co_linearray)",
        code::CO_FIRSTTRACEABLE => "offsetof(PyCodeObject, _co_firsttraceable)",
        code::CO_EXTRA => "offsetof(PyCodeObject, co_extra)",
        code::CO_CODE_ADAPTIVE => "offsetof(PyCodeObject, co_code_adaptive)",
        code_extra::CE_SIZE => "offsetof(CodeExtra, ce_size)",
        code_extra::CE_EXTRAS => "offsetof(CodeExtra, ce_extras)",
        thread_state::INTERP => "offsetof(PyThreadState, interp)",
        thread_state::RECURSION_REMAINING => "offsetof(PyThreadState, recursion_remaining)",
        thread_state::RECURSION_LIMIT => "offsetof(PyThreadState, recursion_limit)",
        thread_state::RECURSION_HEADROOM => "offsetof(PyThreadState, recursion_headroom)",
        thread_state::TRACING => "offsetof(PyThreadState, tracing)",
        thread_state::CFRAME => "offsetof(PyThreadState, cframe)",
        thread_state::C_PROFILEFUNC => "offsetof(PyThreadState, c_profilefunc)",
        thread_state::C_TRACEFUNC => "offsetof(PyThreadState, c_tracefunc)",
        thread_state::CUREXC_TYPE => "offsetof(PyThreadState, curexc_type)",
        thread_state::CUREXC_VALUE => "offsetof(PyThreadState, curexc_value)",
        thread_state::CUREXC_TRACEBACK => "offsetof(PyThreadState, curexc_traceback)",
        thread_state::EXC_INFO => "offsetof(PyThreadState, exc_info)",
        thread_state::ASYNC_EXC => "offsetof(PyThreadState, async_exc)",
        thread_state::COROUTINE_ORIGIN_TRACKING_DEPTH => "offsetof(PyThreadState, coroutine_origin_tracking_depth)",
        thread_state::DATASTACK_CHUNK => "offsetof(PyThreadState, datastack_chunk)",
        thread_state::DATASTACK_TOP => "offsetof(PyThreadState, datastack_top)",
        thread_state::DATASTACK_LIMIT => "offsetof(PyThreadState, datastack_limit)",
        thread_state::EXC_STATE => "offsetof(PyThreadState, exc_state)",
        thread_state::ROOT_CFRAME => "offsetof(PyThreadState, root_cframe)",
        thread_state::SIZEOF => "sizeof(PyThreadState)",
        cframe::USE_TRACING => "offsetof(_PyCFrame, use_tracing)",
        cframe::CURRENT_FRAME => "offsetof(_PyCFrame, current_frame)",
        cframe::PREVIOUS => "offsetof(_PyCFrame, previous)",
        cframe::SIZEOF => "sizeof(_PyCFrame)",
        stack_chunk::PREVIOUS => "offsetof(_PyStackChunk, previous)",
        stack_chunk::SIZE => "offsetof(_PyStackChunk, size)",
        stack_chunk::TOP => "offsetof(_PyStackChunk, top)",
        stack_chunk::DATA => "offsetof(_PyStackChunk, data)",
        interp::CEVAL_RECURSION_LIMIT => "offsetof(PyInterpreterState, ceval.recursion_limit)",
        interp::EVAL_BREAKER => "offsetof(PyInterpreterState, ceval.eval_breaker)",
        interp::GIL_DROP_REQUEST => "offsetof(PyInterpreterState, ceval.gil_drop_request)",
        interp::PENDING_CALLS_TO_DO => "offsetof(PyInterpreterState, ceval.pending.calls_to_do)",
        interp::PENDING_ASYNC_EXC => "offsetof(PyInterpreterState, ceval.pending.async_exc)",
        interp::EVAL_FRAME => "offsetof(PyInterpreterState, eval_frame)",
        interp::CO_EXTRA_USER_COUNT => "offsetof(PyInterpreterState, co_extra_user_count)",
        interp::AUDIT_HOOKS => "offsetof(PyInterpreterState, audit_hooks)",
        interp::CALLABLE_CACHE => "offsetof(PyInterpreterState, callable_cache)",
        long::OB_SIZE => "offsetof(PyLongObject, ob_base.ob_size)",
        long::OB_DIGIT => "offsetof(PyLongObject, ob_digit)",
        long::SHIFT => "PyLong_SHIFT",
        long::DIGIT_SIZE => "sizeof(digit)",
        float::OB_FVAL => "offsetof(PyFloatObject, ob_fval)",
        float::SIZEOF => "sizeof(PyFloatObject)",
        tuple::OB_SIZE => "offsetof(PyTupleObject, ob_base.ob_size)",
        tuple::OB_ITEM => "offsetof(PyTupleObject, ob_item)",
        list::OB_SIZE => "offsetof(PyListObject, ob_base.ob_size)",
        list::OB_ITEM => "offsetof(PyListObject, ob_item)",
        list::ALLOCATED => "offsetof(PyListObject, allocated)",
        dict::MA_USED => "offsetof(PyDictObject, ma_used)",
        unicode::LENGTH => "offsetof(PyASCIIObject, length)",
        dict::MA_VERSION_TAG => "offsetof(PyDictObject, ma_version_tag)",
        dict::MA_KEYS => "offsetof(PyDictObject, ma_keys)",
        dict::MA_VALUES => "offsetof(PyDictObject, ma_values)",
        dict::SIZEOF => "sizeof(PyDictObject)",
        dict_keys::DK_REFCNT => "offsetof(PyDictKeysObject, dk_refcnt)",
        dict_keys::DK_LOG2_SIZE => "offsetof(PyDictKeysObject, dk_log2_size)",
        dict_keys::DK_LOG2_INDEX_BYTES => "offsetof(PyDictKeysObject, dk_log2_index_bytes)",
        dict_keys::DK_KIND => "offsetof(PyDictKeysObject, dk_kind)",
        dict_keys::DK_VERSION => "offsetof(PyDictKeysObject, dk_version)",
        dict_keys::DK_USABLE => "offsetof(PyDictKeysObject, dk_usable)",
        dict_keys::DK_NENTRIES => "offsetof(PyDictKeysObject, dk_nentries)",
        dict_keys::DK_INDICES => "offsetof(PyDictKeysObject, dk_indices)",
        dict_keys::SIZEOF_ENTRY => "sizeof(PyDictKeyEntry)",
        dict_keys::SIZEOF_UNICODE_ENTRY => "sizeof(PyDictUnicodeEntry)",
        dict_keys::KIND_GENERAL => "DICT_KEYS_GENERAL",
        dict_keys::KIND_UNICODE => "DICT_KEYS_UNICODE",
        dict_keys::KIND_SPLIT => "DICT_KEYS_SPLIT",
        type_obj::TP_NAME => "offsetof(PyTypeObject, tp_name)",
        type_obj::TP_BASICSIZE => "offsetof(PyTypeObject, tp_basicsize)",
        type_obj::TP_DEALLOC => "offsetof(PyTypeObject, tp_dealloc)",
        type_obj::TP_VECTORCALL_OFFSET => "offsetof(PyTypeObject, tp_vectorcall_offset)",
        type_obj::TP_AS_NUMBER => "offsetof(PyTypeObject, tp_as_number)",
        type_obj::TP_CALL => "offsetof(PyTypeObject, tp_call)",
        type_obj::TP_GETATTRO => "offsetof(PyTypeObject, tp_getattro)",
        type_obj::TP_SETATTRO => "offsetof(PyTypeObject, tp_setattro)",
        type_obj::TP_FLAGS => "offsetof(PyTypeObject, tp_flags)",
        type_obj::TP_ITERNEXT => "offsetof(PyTypeObject, tp_iternext)",
        type_obj::TP_DICT => "offsetof(PyTypeObject, tp_dict)",
        type_obj::TP_DICTOFFSET => "offsetof(PyTypeObject, tp_dictoffset)",
        type_obj::TP_MRO => "offsetof(PyTypeObject, tp_mro)",
        type_obj::TP_VERSION_TAG => "offsetof(PyTypeObject, tp_version_tag)",
        type_obj::TP_VECTORCALL => "offsetof(PyTypeObject, tp_vectorcall)",
        type_obj::TP_AS_SEQUENCE => "offsetof(PyTypeObject, tp_as_sequence)",
        type_obj::TP_AS_MAPPING => "offsetof(PyTypeObject, tp_as_mapping)",
        type_obj::TP_HASH => "offsetof(PyTypeObject, tp_hash)",
        type_obj::TP_RICHCOMPARE => "offsetof(PyTypeObject, tp_richcompare)",
        type_obj::TP_ITER => "offsetof(PyTypeObject, tp_iter)",
        type_obj::TP_BASE => "offsetof(PyTypeObject, tp_base)",
        type_obj::TP_DESCR_GET => "offsetof(PyTypeObject, tp_descr_get)",
        type_obj::TP_DESCR_SET => "offsetof(PyTypeObject, tp_descr_set)",
        type_obj::TP_INIT => "offsetof(PyTypeObject, tp_init)",
        type_obj::TP_ALLOC => "offsetof(PyTypeObject, tp_alloc)",
        type_obj::TP_NEW => "offsetof(PyTypeObject, tp_new)",
        type_obj::TP_FREE => "offsetof(PyTypeObject, tp_free)",
        type_obj::SPEC_CACHE_GETITEM => "offsetof(PyHeapTypeObject, _spec_cache.getitem)",
        type_obj::HT_CACHED_KEYS => "offsetof(PyHeapTypeObject, ht_cached_keys)",
        type_obj::SIZEOF_HEAP_TYPE => "sizeof(PyHeapTypeObject)",
        function::FUNC_GLOBALS => "offsetof(PyFunctionObject, func_globals)",
        function::FUNC_BUILTINS => "offsetof(PyFunctionObject, func_builtins)",
        function::FUNC_NAME => "offsetof(PyFunctionObject, func_name)",
        function::FUNC_QUALNAME => "offsetof(PyFunctionObject, func_qualname)",
        function::FUNC_CODE => "offsetof(PyFunctionObject, func_code)",
        function::FUNC_DEFAULTS => "offsetof(PyFunctionObject, func_defaults)",
        function::FUNC_KWDEFAULTS => "offsetof(PyFunctionObject, func_kwdefaults)",
        function::FUNC_CLOSURE => "offsetof(PyFunctionObject, func_closure)",
        function::FUNC_DICT => "offsetof(PyFunctionObject, func_dict)",
        function::FUNC_MODULE => "offsetof(PyFunctionObject, func_module)",
        function::VECTORCALL => "offsetof(PyFunctionObject, vectorcall)",
        function::FUNC_VERSION => "offsetof(PyFunctionObject, func_version)",
        function::SIZEOF => "sizeof(PyFunctionObject)",
        method::IM_FUNC => "offsetof(PyMethodObject, im_func)",
        method::IM_SELF => "offsetof(PyMethodObject, im_self)",
        cell::OB_REF => "offsetof(PyCellObject, ob_ref)",
        gen_obj::GI_CODE => "offsetof(PyGenObject, gi_code)",
        gen_obj::GI_WEAKREFLIST => "offsetof(PyGenObject, gi_weakreflist)",
        gen_obj::GI_NAME => "offsetof(PyGenObject, gi_name)",
        gen_obj::GI_QUALNAME => "offsetof(PyGenObject, gi_qualname)",
        gen_obj::GI_EXC_STATE => "offsetof(PyGenObject, gi_exc_state)",
        gen_obj::GI_ORIGIN_OR_FINALIZER => "offsetof(PyGenObject, gi_origin_or_finalizer)",
        gen_obj::GI_HOOKS_INITED => "offsetof(PyGenObject, gi_hooks_inited)",
        gen_obj::GI_CLOSED => "offsetof(PyGenObject, gi_closed)",
        gen_obj::GI_RUNNING_ASYNC => "offsetof(PyGenObject, gi_running_async)",
        gen_obj::GI_FRAME_STATE => "offsetof(PyGenObject, gi_frame_state)",
        gen_obj::GI_IFRAME => "offsetof(PyGenObject, gi_iframe)",
        gen_obj::SIZEOF => "sizeof(PyGenObject)",
        gen_obj::FRAME_CREATED => "FRAME_CREATED",
        gen_obj::FRAME_SUSPENDED => "FRAME_SUSPENDED",
        gen_obj::FRAME_EXECUTING => "FRAME_EXECUTING",
        gen_obj::FRAME_COMPLETED => "FRAME_COMPLETED",
        gen_obj::FRAME_CLEARED => "FRAME_CLEARED",
        ascii::LENGTH => "offsetof(PyASCIIObject, length)",
        ascii::HASH => "offsetof(PyASCIIObject, hash)",
        ascii::STATE => "offsetof(PyASCIIObject, state)",
        ascii::STATE_READY => "({ PyASCIIObject o; memset(&o, 0, sizeof o); o.state.ready = 1; *(unsigned int *)&o.state; })",
        ascii::SIZEOF => "sizeof(PyASCIIObject)",
        mapping::MP_LENGTH => "offsetof(PyMappingMethods, mp_length)",
        mapping::MP_SUBSCRIPT => "offsetof(PyMappingMethods, mp_subscript)",
        mapping::MP_ASS_SUBSCRIPT => "offsetof(PyMappingMethods, mp_ass_subscript)",
        mapping::SQ_LENGTH => "offsetof(PySequenceMethods, sq_length)",
        mapping::SQ_ITEM => "offsetof(PySequenceMethods, sq_item)",
        bytes::OB_SIZE => "offsetof(PyBytesObject, ob_base.ob_size)",
        bytes::OB_SHASH => "offsetof(PyBytesObject, ob_shash)",
        bytes::OB_SVAL => "offsetof(PyBytesObject, ob_sval)",
        cfunction::M_ML => "offsetof(PyCFunctionObject, m_ml)",
        cfunction::M_SELF => "offsetof(PyCFunctionObject, m_self)",
        cfunction::M_MODULE => "offsetof(PyCFunctionObject, m_module)",
        cfunction::VECTORCALL => "offsetof(PyCFunctionObject, vectorcall)",
        cfunction::ML_NAME => "offsetof(PyMethodDef, ml_name)",
        cfunction::ML_METH => "offsetof(PyMethodDef, ml_meth)",
        cfunction::ML_FLAGS => "offsetof(PyMethodDef, ml_flags)",
        cfunction::SIZEOF_METHOD_DEF => "sizeof(PyMethodDef)",
        method_descr::D_TYPE => "offsetof(PyMethodDescrObject, d_common.d_type)",
        method_descr::D_NAME => "offsetof(PyMethodDescrObject, d_common.d_name)",
        method_descr::D_METHOD => "offsetof(PyMethodDescrObject, d_method)",
        method_descr::VECTORCALL => "offsetof(PyMethodDescrObject, vectorcall)",
        exc_stack_item::EXC_VALUE => "offsetof(_PyErr_StackItem, exc_value)",
        exc_stack_item::PREVIOUS_ITEM => "offsetof(_PyErr_StackItem, previous_item)",
        slice::START => "offsetof(PySliceObject, start)",
        slice::STOP => "offsetof(PySliceObject, stop)",
        slice::STEP => "offsetof(PySliceObject, step)",
        exception::ARGS => "offsetof(PyBaseExceptionObject, args)",
        exception::TRACEBACK => "offsetof(PyBaseExceptionObject, traceback)",
        runtime::CEVAL_SIGNALS_PENDING => "offsetof(_PyRuntimeState, ceval.signals_pending)",
        runtime::GILSTATE_TSTATE_CURRENT => "offsetof(_PyRuntimeState, gilstate.tstate_current)",
        runtime::SMALL_INTS => "offsetof(_PyRuntimeState, global_objects.singletons.small_ints)",
        runtime::SMALL_INT_SIZE => "sizeof(PyLongObject)",
        runtime::SMALL_INT_MIN => "-_PY_NSMALLNEGINTS",
        runtime::SMALL_INT_MAX => "_PY_NSMALLPOSINTS - 1",
    ];
    let slot_exprs: Vec<String> = number::SLOTS
        .iter()
        .map(|s| format!("offsetof(PyNumberMethods, {s})"))
        .collect();
    let mut table = table;
    for (s, e) in number::SLOTS.iter().zip(&slot_exprs) {
        table.push((s, i64::from(number::offset(s).unwrap()), e.as_str()));
    }
    assert_eq!(number::offset("nb_index"), Some(264));
    assert_eq!(number::offset("nope"), None);
    // Flag constants are u64: checked separately to keep the table i64.
    let flags: Vec<(&str, u64, &str)> = vec![
        (
            "MANAGED_DICT",
            type_obj::TPFLAGS_MANAGED_DICT,
            "Py_TPFLAGS_MANAGED_DICT",
        ),
        (
            "HAVE_VECTORCALL",
            type_obj::TPFLAGS_HAVE_VECTORCALL,
            "Py_TPFLAGS_HAVE_VECTORCALL",
        ),
        (
            "VALID_VERSION_TAG",
            type_obj::TPFLAGS_VALID_VERSION_TAG,
            "Py_TPFLAGS_VALID_VERSION_TAG",
        ),
        (
            "LONG_SUBCLASS",
            type_obj::TPFLAGS_LONG_SUBCLASS,
            "Py_TPFLAGS_LONG_SUBCLASS",
        ),
        (
            "LIST_SUBCLASS",
            type_obj::TPFLAGS_LIST_SUBCLASS,
            "Py_TPFLAGS_LIST_SUBCLASS",
        ),
        (
            "TUPLE_SUBCLASS",
            type_obj::TPFLAGS_TUPLE_SUBCLASS,
            "Py_TPFLAGS_TUPLE_SUBCLASS",
        ),
        (
            "UNICODE_SUBCLASS",
            type_obj::TPFLAGS_UNICODE_SUBCLASS,
            "Py_TPFLAGS_UNICODE_SUBCLASS",
        ),
        (
            "DICT_SUBCLASS",
            type_obj::TPFLAGS_DICT_SUBCLASS,
            "Py_TPFLAGS_DICT_SUBCLASS",
        ),
    ];
    let mut src = String::from(
        r#"#include <Python.h>
#include "internal/pycore_frame.h"
#include "internal/pycore_code.h"
#include "internal/pycore_dict.h"
#include "internal/pycore_interp.h"
#include "internal/pycore_object.h"
#include "internal/pycore_runtime.h"
#include <stddef.h>
#include <stdio.h>
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
/* Objects/codeobject.c keeps this private; same definition. */
typedef struct { Py_ssize_t ce_size; void *ce_extras[1]; } CodeExtra;
int main(void) {
    static PyObject fake_storage[8];
    PyObject *fake = &fake_storage[4];
"#,
    );
    for (_, _, c) in &table {
        src.push_str(&format!("    printf(\"%lld\\n\", (long long)({c}));\n"));
    }
    for (_, _, c) in &flags {
        src.push_str(&format!(
            "    printf(\"%llu\\n\", (unsigned long long)({c}));\n"
        ));
    }
    src.push_str("    return 0;\n}\n");
    let Some(out) = common::run_c("layout_check", &src) else {
        return;
    };
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), table.len() + flags.len());
    let mut bad = Vec::new();
    for ((name, val, c), line) in table.iter().zip(&lines) {
        let got: i64 = line.parse().unwrap();
        if got != *val {
            bad.push(format!("{name} = {val}, but {c} = {got}"));
        }
    }
    for ((name, val, c), line) in flags.iter().zip(&lines[table.len()..]) {
        let got: u64 = line.parse().unwrap();
        if got != *val {
            bad.push(format!("{name} = {val}, but {c} = {got}"));
        }
    }
    assert!(bad.is_empty(), "layout mismatches:\n{}", bad.join("\n"));
}
