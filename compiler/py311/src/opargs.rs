//! Meanings of 3.11 opargs that are bit fields or enumerations (from ceval.c and compile.c),
//! so the translator and the inspector do not hard-code them.

/// `LOAD_GLOBAL`: bit 0 set = push NULL before the global; the name index is `arg >> 1`.
pub fn load_global(arg: u32) -> (u32, bool) {
    (arg >> 1, arg & 1 != 0)
}

// `LOAD_FAST`/`STORE_FAST`/`DELETE_FAST` and, unlike 3.10, also `MAKE_CELL`, `LOAD_CLOSURE`,
// `LOAD_DEREF`, `STORE_DEREF`, `DELETE_DEREF` and `LOAD_CLASSDEREF` index `localsplus`
// directly (`Code::localsplusnames[arg]`). `COPY_FREE_VARS n` fills the last `n` slots.

/// `MAKE_FUNCTION` flag bits (values are popped in the order closure, annotations, kwdefaults,
/// defaults, above the code object).
pub const MAKE_FUNCTION_DEFAULTS: u32 = 0x01;
pub const MAKE_FUNCTION_KWDEFAULTS: u32 = 0x02;
pub const MAKE_FUNCTION_ANNOTATIONS: u32 = 0x04;
pub const MAKE_FUNCTION_CLOSURE: u32 = 0x08;

/// `FORMAT_VALUE`: conversion in the low two bits ...
pub const FVC_MASK: i64 = 0x3;
pub const FVC_NONE: i64 = 0x0;
pub const FVC_STR: i64 = 0x1;
pub const FVC_REPR: i64 = 0x2;
pub const FVC_ASCII: i64 = 0x3;
/// ... and whether a format spec is on the stack.
pub const FVS_MASK: i64 = 0x4;
pub const FVS_HAVE_SPEC: i64 = 0x4;

/// `RESUME` arg: where the frame (re)starts.
pub const RESUME_AT_FUNC_START: u32 = 0;
pub const RESUME_AFTER_YIELD: u32 = 1;
pub const RESUME_AFTER_YIELD_FROM: u32 = 2;
pub const RESUME_AFTER_AWAIT: u32 = 3;

/// `COMPARE_OP` arg (`Py_LT..Py_GE`).
pub const PY_LT: u32 = 0;
pub const PY_LE: u32 = 1;
pub const PY_EQ: u32 = 2;
pub const PY_NE: u32 = 3;
pub const PY_GT: u32 = 4;
pub const PY_GE: u32 = 5;

/// `IS_OP` / `CONTAINS_OP`: arg 1 = negated (`is not`, `not in`).
pub fn is_inverted(arg: u32) -> bool {
    arg == 1
}

/// `CALL_FUNCTION_EX`: bit 0 = a kwargs mapping is on the stack.
pub const CALL_FUNCTION_EX_KWARGS: u32 = 0x01;

/// `RAISE_VARARGS` arg: 0 = re-raise, 1 = `raise exc`, 2 = `raise exc from cause`.
pub const RAISE_RERAISE: u32 = 0;
pub const RAISE_EXC: u32 = 1;
pub const RAISE_EXC_FROM: u32 = 2;

/// `UNPACK_EX` arg: (targets before the star, targets after it).
pub fn unpack_ex(arg: u32) -> (u32, u32) {
    (arg & 0xff, arg >> 8)
}

/// Counter of an `*_ADAPTIVE` instruction (cache unit 0) as (value, backoff exponent): it is
/// `value << 4 | backoff`, and specialization is attempted when `value` reaches 0. (Specialized
/// instructions instead keep a raw miss down-counter there, starting at `MISS_COUNTER_START`.)
pub fn adaptive_counter(c: u16) -> (u16, u8) {
    (c >> 4, (c & 15) as u8)
}

/// Miss counter a freshly specialized instruction starts with (`miss_counter_start()`).
pub const MISS_COUNTER_START: u16 = 53;

/// The exported C-API function that implements `BINARY_OP arg` (ceval's `binary_ops` table).
/// `NB_POWER`/`NB_INPLACE_POWER` use hidden `_PyNumber_*PowerNoMod` in ceval; the exported
/// equivalent is the ternary `PyNumber_[InPlace]Power(a, b, Py_None)`, flagged by `ternary`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BinaryOpFn {
    pub name: &'static str,
    /// Pass `Py_None` as a third argument.
    pub ternary: bool,
}

/// See `BinaryOpFn`; `None` for an out-of-range arg.
pub fn binary_op_function(arg: u32) -> Option<BinaryOpFn> {
    const NAMES: [&str; 26] = [
        "PyNumber_Add",
        "PyNumber_And",
        "PyNumber_FloorDivide",
        "PyNumber_Lshift",
        "PyNumber_MatrixMultiply",
        "PyNumber_Multiply",
        "PyNumber_Remainder",
        "PyNumber_Or",
        "PyNumber_Power",
        "PyNumber_Rshift",
        "PyNumber_Subtract",
        "PyNumber_TrueDivide",
        "PyNumber_Xor",
        "PyNumber_InPlaceAdd",
        "PyNumber_InPlaceAnd",
        "PyNumber_InPlaceFloorDivide",
        "PyNumber_InPlaceLshift",
        "PyNumber_InPlaceMatrixMultiply",
        "PyNumber_InPlaceMultiply",
        "PyNumber_InPlaceRemainder",
        "PyNumber_InPlaceOr",
        "PyNumber_InPlacePower",
        "PyNumber_InPlaceRshift",
        "PyNumber_InPlaceSubtract",
        "PyNumber_InPlaceTrueDivide",
        "PyNumber_InPlaceXor",
    ];
    NAMES.get(arg as usize).map(|&name| BinaryOpFn {
        name,
        ternary: name.ends_with("Power"),
    })
}
