//! Byte offsets and sizes of CPython 3.11 (x86-64 Linux, release build) structures that
//! generated code and the runtime read or write directly. Values come from
//! shared/research/cpython311-internals.md (sections 2 and 7) and are re-checked by
//! `tests/layout.rs`, which compiles a C program against the installed headers.

/// Size of a pointer / `Py_ssize_t`.
pub const PTR: i32 = 8;

/// `PyObject` / `PyVarObject` header.
pub mod object {
    pub const OB_REFCNT: i32 = 0;
    pub const OB_TYPE: i32 = 8;
    /// `PyVarObject.ob_size`.
    pub const OB_SIZE: i32 = 16;
    pub const SIZEOF_OBJECT: i32 = 16;
    pub const SIZEOF_VAR_OBJECT: i32 = 24;
    /// Managed-dict types (`Py_TPFLAGS_MANAGED_DICT`): `PyDictValues *` lives at `obj - 32`
    /// (`_PyObject_ValuesPointer`) ...
    pub const MANAGED_VALUES: i32 = -32;
    /// ... and the materialized `__dict__` at `obj - 24` (`_PyObject_ManagedDictPointer`).
    pub const MANAGED_DICT: i32 = -24;
    /// A collected object's `PyGC_Head._gc_next`, just below the object: non-zero while the
    /// collector tracks it (`_PyObject_GC_IS_TRACKED`).
    pub const GC_NEXT: i32 = -16;
}

/// `_PyInterpreterFrame` (Include/internal/pycore_frame.h).
pub mod frame {
    pub const F_FUNC: i32 = 0;
    pub const F_GLOBALS: i32 = 8;
    pub const F_BUILTINS: i32 = 16;
    pub const F_LOCALS: i32 = 24;
    pub const F_CODE: i32 = 32;
    pub const FRAME_OBJ: i32 = 40;
    pub const PREVIOUS: i32 = 48;
    pub const PREV_INSTR: i32 = 56;
    /// `int`: index of TOS+1 in `localsplus`; -1 while ceval runs the frame.
    pub const STACKTOP: i32 = 64;
    /// `bool`.
    pub const IS_ENTRY: i32 = 68;
    /// `char`: see `OWNED_BY_*`.
    pub const OWNER: i32 = 69;
    pub const LOCALSPLUS: i32 = 72;
    pub const SIZEOF: i32 = 80;
    /// Words before `localsplus` (`FRAME_SPECIALS_SIZE`).
    pub const SPECIALS_SIZE: i32 = 9;
    pub const OWNED_BY_THREAD: u8 = 0;
    pub const OWNED_BY_GENERATOR: u8 = 1;
    pub const OWNED_BY_FRAME_OBJECT: u8 = 2;
}

/// `PyFrameObject`.
pub mod frame_object {
    pub const F_BACK: i32 = 16;
    pub const F_FRAME: i32 = 24;
    pub const F_TRACE: i32 = 32;
    pub const F_LINENO: i32 = 40;
    /// Where the frame object keeps its own copy of a frame that outlived its call.
    pub const F_FRAME_DATA: i32 = 48;
    pub const SIZEOF: i32 = 56;
}

/// `PyCodeObject` (Include/cpython/code.h).
pub mod code {
    /// `ob_size`: number of code units.
    pub const OB_SIZE: i32 = 16;
    pub const CO_CONSTS: i32 = 24;
    pub const CO_NAMES: i32 = 32;
    pub const CO_EXCEPTIONTABLE: i32 = 40;
    /// `int`.
    pub const CO_FLAGS: i32 = 48;
    /// `short`: starts at -8; quickened at 0.
    pub const CO_WARMUP: i32 = 52;
    pub const CO_ARGCOUNT: i32 = 56;
    pub const CO_POSONLYARGCOUNT: i32 = 60;
    pub const CO_KWONLYARGCOUNT: i32 = 64;
    pub const CO_STACKSIZE: i32 = 68;
    pub const CO_FIRSTLINENO: i32 = 72;
    /// `int`.
    pub const CO_NLOCALSPLUS: i32 = 76;
    pub const CO_NLOCALS: i32 = 80;
    pub const CO_NPLAINCELLVARS: i32 = 84;
    pub const CO_NCELLVARS: i32 = 88;
    pub const CO_NFREEVARS: i32 = 92;
    pub const CO_LOCALSPLUSNAMES: i32 = 96;
    pub const CO_LOCALSPLUSKINDS: i32 = 104;
    pub const CO_FILENAME: i32 = 112;
    pub const CO_NAME: i32 = 120;
    pub const CO_QUALNAME: i32 = 128;
    pub const CO_LINETABLE: i32 = 136;
    pub const CO_WEAKREFLIST: i32 = 144;
    pub const CO_CODE: i32 = 152;
    pub const CO_LINEARRAY: i32 = 160;
    /// `int`: index of the first `RESUME`.
    pub const CO_FIRSTTRACEABLE: i32 = 168;
    /// `_PyCodeObjectExtra *`.
    pub const CO_EXTRA: i32 = 176;
    /// Live (quickened) bytecode with inline caches: `_PyCode_CODE(co)`.
    pub const CO_CODE_ADAPTIVE: i32 = 184;
}

/// `_PyCodeObjectExtra` (Objects/codeobject.c).
pub mod code_extra {
    pub const CE_SIZE: i32 = 0;
    pub const CE_EXTRAS: i32 = 8;
}

/// `PyThreadState` (Include/cpython/pystate.h).
pub mod thread_state {
    pub const INTERP: i32 = 16;
    /// `int`.
    pub const RECURSION_REMAINING: i32 = 32;
    pub const RECURSION_LIMIT: i32 = 36;
    pub const RECURSION_HEADROOM: i32 = 40;
    pub const TRACING: i32 = 44;
    /// `_PyCFrame *`.
    pub const CFRAME: i32 = 56;
    pub const C_PROFILEFUNC: i32 = 64;
    pub const C_TRACEFUNC: i32 = 72;
    pub const CUREXC_TYPE: i32 = 96;
    pub const CUREXC_VALUE: i32 = 104;
    pub const CUREXC_TRACEBACK: i32 = 112;
    pub const EXC_INFO: i32 = 120;
    pub const ASYNC_EXC: i32 = 144;
    /// `int`: `sys.set_coroutine_origin_tracking_depth`.
    pub const COROUTINE_ORIGIN_TRACKING_DEPTH: i32 = 200;
    pub const DATASTACK_CHUNK: i32 = 296;
    pub const DATASTACK_TOP: i32 = 304;
    pub const DATASTACK_LIMIT: i32 = 312;
    pub const EXC_STATE: i32 = 320;
    pub const ROOT_CFRAME: i32 = 336;
    pub const SIZEOF: i32 = 360;
}

/// `_PyCFrame`.
pub mod cframe {
    /// `uint8_t`: 0 or 255.
    pub const USE_TRACING: i32 = 0;
    pub const CURRENT_FRAME: i32 = 8;
    pub const PREVIOUS: i32 = 16;
    pub const SIZEOF: i32 = 24;
}

/// `_PyStackChunk` (thread data stack).
pub mod stack_chunk {
    pub const PREVIOUS: i32 = 0;
    pub const SIZE: i32 = 8;
    pub const TOP: i32 = 16;
    pub const DATA: i32 = 24;
}

/// `PyInterpreterState` (Include/internal/pycore_interp.h).
pub mod interp {
    pub const CEVAL_RECURSION_LIMIT: i32 = 96;
    /// Atomic `int`: non-zero when signals, pending calls, GIL drop or async exc need handling.
    pub const EVAL_BREAKER: i32 = 100;
    pub const GIL_DROP_REQUEST: i32 = 104;
    pub const PENDING_CALLS_TO_DO: i32 = 120;
    pub const PENDING_ASYNC_EXC: i32 = 124;
    /// `_PyFrameEvalFunction` (PEP 523 hook; NULL = default).
    pub const EVAL_FRAME: i32 = 1424;
    pub const CO_EXTRA_USER_COUNT: i32 = 1432;
    /// `PyObject *` list of the hooks added by `sys.addaudithook` (NULL while there are none).
    pub const AUDIT_HOOKS: i32 = 3552;
    pub const CALLABLE_CACHE: i32 = 107360;
}

/// `PyLongObject`: sign × digit count in `ob_size`, 30-bit digits.
pub mod long {
    pub const OB_SIZE: i32 = 16;
    pub const OB_DIGIT: i32 = 24;
    pub const SHIFT: u32 = 30;
    pub const DIGIT_SIZE: i32 = 4;
}

/// `PyFloatObject`.
pub mod float {
    pub const OB_FVAL: i32 = 16;
    pub const SIZEOF: i32 = 24;
}

/// `PyTupleObject`: items inline.
pub mod tuple {
    pub const OB_SIZE: i32 = 16;
    pub const OB_ITEM: i32 = 24;
}

/// `PyListObject`: items behind a pointer.
pub mod list {
    pub const OB_SIZE: i32 = 16;
    pub const OB_ITEM: i32 = 24;
    pub const ALLOCATED: i32 = 32;
}

/// `PyDictObject`.
/// `listiterobject` and `tupleiterobject` (private to listobject.c / tupleobject.c, so
/// checked by behaviour in `tests/private_layout.rs`): the next index and the sequence (NULL
/// once exhausted).
pub mod seq_iter {
    pub const IT_INDEX: i32 = 16;
    pub const IT_SEQ: i32 = 24;
}

/// `rangeiterobject` (private to rangeobject.c; `tests/private_layout.rs`): C longs.
/// `next` is `start + index * step` while `index < len`.
pub mod range_iter {
    pub const INDEX: i32 = 16;
    pub const START: i32 = 24;
    pub const STEP: i32 = 32;
    pub const LEN: i32 = 40;
}

/// `PyASCIIObject` (the header of every `str`).
pub mod unicode {
    /// Number of code points.
    pub const LENGTH: i32 = 16;
}

pub mod dict {
    pub const MA_USED: i32 = 16;
    pub const MA_VERSION_TAG: i32 = 24;
    pub const MA_KEYS: i32 = 32;
    pub const MA_VALUES: i32 = 40;
    pub const SIZEOF: i32 = 48;
}

/// `PyDictKeysObject`; entries start at `DK_INDICES + (1 << dk_log2_index_bytes)`.
pub mod dict_keys {
    pub const DK_REFCNT: i32 = 0;
    pub const DK_LOG2_SIZE: i32 = 8;
    pub const DK_LOG2_INDEX_BYTES: i32 = 9;
    /// `uint8_t`: 0 general, 1 unicode, 2 split.
    pub const DK_KIND: i32 = 10;
    /// `uint32_t`.
    pub const DK_VERSION: i32 = 12;
    pub const DK_USABLE: i32 = 16;
    pub const DK_NENTRIES: i32 = 24;
    pub const DK_INDICES: i32 = 32;
    /// `PyDictKeyEntry {hash, key, value}`.
    pub const SIZEOF_ENTRY: i32 = 24;
    /// `PyDictUnicodeEntry {key, value}`.
    pub const SIZEOF_UNICODE_ENTRY: i32 = 16;
    pub const KIND_GENERAL: u8 = 0;
    pub const KIND_UNICODE: u8 = 1;
    pub const KIND_SPLIT: u8 = 2;
}

/// `PyTypeObject` / `PyHeapTypeObject`.
pub mod type_obj {
    pub const TP_NAME: i32 = 24;
    pub const TP_BASICSIZE: i32 = 32;
    pub const TP_DEALLOC: i32 = 48;
    pub const TP_VECTORCALL_OFFSET: i32 = 56;
    pub const TP_AS_NUMBER: i32 = 96;
    pub const TP_CALL: i32 = 128;
    pub const TP_GETATTRO: i32 = 144;
    pub const TP_SETATTRO: i32 = 152;
    /// `unsigned long`.
    pub const TP_FLAGS: i32 = 168;
    pub const TP_ITERNEXT: i32 = 224;
    pub const TP_DICT: i32 = 264;
    pub const TP_DICTOFFSET: i32 = 288;
    pub const TP_MRO: i32 = 344;
    /// `unsigned int`, valid when `Py_TPFLAGS_VALID_VERSION_TAG`.
    pub const TP_VERSION_TAG: i32 = 384;
    pub const TP_VECTORCALL: i32 = 400;
    pub const TP_AS_SEQUENCE: i32 = 104;
    pub const TP_AS_MAPPING: i32 = 112;
    pub const TP_HASH: i32 = 120;
    pub const TP_RICHCOMPARE: i32 = 200;
    pub const TP_ITER: i32 = 216;
    pub const TP_BASE: i32 = 256;
    pub const TP_DESCR_GET: i32 = 272;
    pub const TP_DESCR_SET: i32 = 280;
    pub const TP_INIT: i32 = 296;
    pub const TP_ALLOC: i32 = 304;
    pub const TP_NEW: i32 = 312;
    pub const TP_FREE: i32 = 320;
    /// `PyHeapTypeObject._spec_cache.getitem` (`BINARY_SUBSCR_GETITEM`).
    pub const SPEC_CACHE_GETITEM: i32 = 896;
    pub const HT_CACHED_KEYS: i32 = 872;
    pub const SIZEOF_HEAP_TYPE: i32 = 904;
    pub const TPFLAGS_MANAGED_DICT: u64 = 1 << 4;
    /// `Py_TPFLAGS_HAVE_VECTORCALL`: instances hold a vectorcall function at `tp_vectorcall_offset`.
    pub const TPFLAGS_HAVE_VECTORCALL: u64 = 1 << 11;
    pub const TPFLAGS_VALID_VERSION_TAG: u64 = 1 << 19;
    pub const TPFLAGS_LONG_SUBCLASS: u64 = 1 << 24;
    pub const TPFLAGS_LIST_SUBCLASS: u64 = 1 << 25;
    pub const TPFLAGS_TUPLE_SUBCLASS: u64 = 1 << 26;
    pub const TPFLAGS_UNICODE_SUBCLASS: u64 = 1 << 28;
    pub const TPFLAGS_DICT_SUBCLASS: u64 = 1 << 29;
}

/// `PyFunctionObject`.
pub mod function {
    pub const FUNC_GLOBALS: i32 = 16;
    pub const FUNC_BUILTINS: i32 = 24;
    pub const FUNC_NAME: i32 = 32;
    pub const FUNC_QUALNAME: i32 = 40;
    pub const FUNC_CODE: i32 = 48;
    pub const FUNC_DEFAULTS: i32 = 56;
    pub const FUNC_KWDEFAULTS: i32 = 64;
    pub const FUNC_CLOSURE: i32 = 72;
    pub const FUNC_DICT: i32 = 88;
    pub const FUNC_MODULE: i32 = 104;
    pub const VECTORCALL: i32 = 120;
    /// `uint32_t`.
    pub const FUNC_VERSION: i32 = 128;
    pub const SIZEOF: i32 = 136;
}

/// `PyMethodObject` (bound method).
pub mod method {
    pub const IM_FUNC: i32 = 16;
    pub const IM_SELF: i32 = 24;
}

/// `PyCellObject`.
pub mod cell {
    pub const OB_REF: i32 = 16;
}

/// `PyGenObject` (also coroutines and async generators).
pub mod gen_obj {
    pub const GI_CODE: i32 = 16;
    pub const GI_WEAKREFLIST: i32 = 24;
    pub const GI_NAME: i32 = 32;
    pub const GI_QUALNAME: i32 = 40;
    pub const GI_EXC_STATE: i32 = 48;
    pub const GI_ORIGIN_OR_FINALIZER: i32 = 64;
    /// `char`s: `gi_hooks_inited`, `gi_closed`, `gi_running_async` (async generators only).
    pub const GI_HOOKS_INITED: i32 = 72;
    pub const GI_CLOSED: i32 = 73;
    pub const GI_RUNNING_ASYNC: i32 = 74;
    /// `int8_t`.
    pub const GI_FRAME_STATE: i32 = 75;
    /// Inline `_PyInterpreterFrame`.
    pub const GI_IFRAME: i32 = 80;
    pub const SIZEOF: i32 = 88;
    pub const FRAME_CREATED: i8 = -2;
    pub const FRAME_SUSPENDED: i8 = -1;
    pub const FRAME_EXECUTING: i8 = 0;
    pub const FRAME_COMPLETED: i8 = 1;
    pub const FRAME_CLEARED: i8 = 4;
}

/// `PyASCIIObject` (compact str).
pub mod ascii {
    pub const LENGTH: i32 = 16;
    /// `Py_hash_t`, -1 until computed.
    pub const HASH: i32 = 24;
    pub const STATE: i32 = 32;
    /// The `ready` bit of `state` (a legacy str made by the deprecated `Py_UNICODE` APIs may
    /// not be ready; comparing one can fail).
    pub const STATE_READY: u32 = 1 << 7;
    /// Compact ASCII data follows the struct.
    pub const SIZEOF: i32 = 48;
}

/// `_PyRuntime` (exported data).
pub mod runtime {
    pub const CEVAL_SIGNALS_PENDING: i32 = 352;
    pub const GILSTATE_TSTATE_CURRENT: i32 = 576;
    /// Small ints -5..=256, each a `PyLongObject` of 32 bytes.
    pub const SMALL_INTS: i32 = 680;
    pub const SMALL_INT_SIZE: i32 = 32;
    pub const SMALL_INT_MIN: i64 = -5;
    pub const SMALL_INT_MAX: i64 = 256;
}

/// `PyNumberMethods` slots (at `*tp_as_number`), in struct order.
pub mod number {
    /// Field names in declaration order; slot `i` is at byte offset `8 * i`.
    pub const SLOTS: [&str; 36] = [
        "nb_add",
        "nb_subtract",
        "nb_multiply",
        "nb_remainder",
        "nb_divmod",
        "nb_power",
        "nb_negative",
        "nb_positive",
        "nb_absolute",
        "nb_bool",
        "nb_invert",
        "nb_lshift",
        "nb_rshift",
        "nb_and",
        "nb_xor",
        "nb_or",
        "nb_int",
        "nb_reserved",
        "nb_float",
        "nb_inplace_add",
        "nb_inplace_subtract",
        "nb_inplace_multiply",
        "nb_inplace_remainder",
        "nb_inplace_power",
        "nb_inplace_lshift",
        "nb_inplace_rshift",
        "nb_inplace_and",
        "nb_inplace_xor",
        "nb_inplace_or",
        "nb_floor_divide",
        "nb_true_divide",
        "nb_inplace_floor_divide",
        "nb_inplace_true_divide",
        "nb_index",
        "nb_matrix_multiply",
        "nb_inplace_matrix_multiply",
    ];

    /// Byte offset of a slot by field name.
    pub fn offset(slot: &str) -> Option<i32> {
        SLOTS.iter().position(|s| *s == slot).map(|i| 8 * i as i32)
    }
}

/// `PyMappingMethods` / `PySequenceMethods` slots used by subscripting fast paths.
pub mod mapping {
    pub const MP_LENGTH: i32 = 0;
    pub const MP_SUBSCRIPT: i32 = 8;
    pub const MP_ASS_SUBSCRIPT: i32 = 16;
    pub const SQ_LENGTH: i32 = 0;
    pub const SQ_ITEM: i32 = 24;
}

/// `PyBytesObject`.
pub mod bytes {
    pub const OB_SIZE: i32 = 16;
    pub const OB_SHASH: i32 = 24;
    pub const OB_SVAL: i32 = 32;
}

/// `PyCFunctionObject` (builtin functions and bound builtin methods) and `PyMethodDef`.
pub mod cfunction {
    pub const M_ML: i32 = 16;
    pub const M_SELF: i32 = 24;
    pub const M_MODULE: i32 = 32;
    pub const VECTORCALL: i32 = 48;
    pub const ML_NAME: i32 = 0;
    pub const ML_METH: i32 = 8;
    /// `int`: `METH_*` flags.
    pub const ML_FLAGS: i32 = 16;
    pub const SIZEOF_METHOD_DEF: i32 = 32;
}

/// `PyMethodDescrObject` (e.g. `list.append` on the class).
pub mod method_descr {
    pub const D_TYPE: i32 = 16;
    pub const D_NAME: i32 = 24;
    pub const D_METHOD: i32 = 40;
    pub const VECTORCALL: i32 = 48;
}

/// `propertyobject` (Objects/descrobject.c, not in a header): `prop_get` follows the object
/// header.
pub mod property {
    /// The getter (`fget`), or NULL.
    pub const PROP_GET: i32 = 16;
}

/// `_PyErr_StackItem` (`tstate->exc_info`).
pub mod exc_stack_item {
    pub const EXC_VALUE: i32 = 0;
    pub const PREVIOUS_ITEM: i32 = 8;
}

/// `PySliceObject`.
pub mod slice {
    pub const START: i32 = 16;
    pub const STOP: i32 = 24;
    pub const STEP: i32 = 32;
}

/// `PyBaseExceptionObject`.
pub mod exception {
    pub const ARGS: i32 = 24;
    pub const TRACEBACK: i32 = 40;
}
