//! What 3.11's quickened opcodes mean: which form each non-base opcode is (adaptive,
//! specialized, quickened, superinstruction), and the exact operand types a specialized form's
//! guards check (its `DEOPT_IF`s in ceval.c). The profiler turns these into type feedback; the
//! translator turns them into guards.

use crate::opcodes::{self, specialized::*};

/// The kind of an opcode as it appears in `_co_code_adaptive`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Form {
    /// A base opcode (the only kind in `co_code`).
    Base,
    /// `*_ADAPTIVE`: quickened, counting down to the next specialization attempt.
    Adaptive,
    /// A specialized form whose guards held when it was chosen.
    Specialized,
    /// `EXTENDED_ARG_QUICK`, `JUMP_BACKWARD_QUICK`, `RESUME_QUICK`: same semantics, no warm-up.
    Quick,
    /// `LOAD_FAST__LOAD_FAST` and friends: the first of two fused instructions; the second unit
    /// keeps its own opcode.
    Superinstruction,
    /// Not a stored opcode (`DO_TRACING`) or undefined.
    Invalid,
}

/// Classifies any opcode number.
pub fn form(op: u8) -> Form {
    if opcodes::is_base(op) {
        return Form::Base;
    }
    if !opcodes::is_defined(op) || op == opcodes::DO_TRACING {
        return Form::Invalid;
    }
    let name = opcodes::name(op);
    match op {
        EXTENDED_ARG_QUICK | JUMP_BACKWARD_QUICK | RESUME_QUICK => Form::Quick,
        _ if name.ends_with("_ADAPTIVE") => Form::Adaptive,
        _ if name.contains("__") => Form::Superinstruction,
        _ => Form::Specialized,
    }
}

const INT: &str = "builtins.int";
const FLOAT: &str = "builtins.float";
const STR: &str = "builtins.str";
const LIST: &str = "builtins.list";
const TUPLE: &str = "builtins.tuple";
const DICT: &str = "builtins.dict";
/// An operand the form does not check.
pub const ANY: &str = "builtins.object";

/// Exact types (`module.qualname`) that a specialized form checks its stack operands to be,
/// bottom of the stack first; `ANY` for operands it does not check. Empty for forms whose
/// guards are not about operand types (attribute, global, call forms) and for non-specialized
/// opcodes. Further value guards (small int, in range, not NaN, length) are listed in
/// `value_guard`.
pub fn operand_types(op: u8) -> &'static [&'static str] {
    match op {
        BINARY_OP_ADD_INT | BINARY_OP_MULTIPLY_INT | BINARY_OP_SUBTRACT_INT => &[INT, INT],
        BINARY_OP_ADD_FLOAT | BINARY_OP_MULTIPLY_FLOAT | BINARY_OP_SUBTRACT_FLOAT => {
            &[FLOAT, FLOAT]
        }
        BINARY_OP_ADD_UNICODE | BINARY_OP_INPLACE_ADD_UNICODE => &[STR, STR],
        BINARY_SUBSCR_LIST_INT => &[LIST, INT],
        BINARY_SUBSCR_TUPLE_INT => &[TUPLE, INT],
        BINARY_SUBSCR_DICT => &[DICT, ANY],
        STORE_SUBSCR_LIST_INT => &[ANY, LIST, INT],
        STORE_SUBSCR_DICT => &[ANY, DICT, ANY],
        UNPACK_SEQUENCE_TWO_TUPLE | UNPACK_SEQUENCE_TUPLE => &[TUPLE],
        UNPACK_SEQUENCE_LIST => &[LIST],
        COMPARE_OP_INT_JUMP => &[INT, INT],
        COMPARE_OP_FLOAT_JUMP => &[FLOAT, FLOAT],
        COMPARE_OP_STR_JUMP => &[STR, STR],
        _ => &[],
    }
}

/// Value guards beyond the operand types, as CPython checks them (a miss falls back to the
/// base opcode).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ValueGuard {
    None,
    /// The int index is non-negative, one digit (< 2^30), and below the container's length.
    SmallIndexInRange,
    /// Both ints are compact: `|ob_size| <= 1`.
    BothCompact,
    /// Neither float is NaN.
    NotNan,
    /// Sequence length equals the oparg (2 for `TWO_TUPLE`).
    LengthIsArg,
    /// `INPLACE_ADD_UNICODE`: the target local (the next `STORE_FAST`) holds the left operand.
    TargetLocalIsLeft,
}

/// The value guard of a specialized form (see `ValueGuard`).
pub fn value_guard(op: u8) -> ValueGuard {
    match op {
        BINARY_SUBSCR_LIST_INT | BINARY_SUBSCR_TUPLE_INT | STORE_SUBSCR_LIST_INT => {
            ValueGuard::SmallIndexInRange
        }
        COMPARE_OP_INT_JUMP => ValueGuard::BothCompact,
        COMPARE_OP_FLOAT_JUMP => ValueGuard::NotNan,
        UNPACK_SEQUENCE_TWO_TUPLE | UNPACK_SEQUENCE_TUPLE | UNPACK_SEQUENCE_LIST => {
            ValueGuard::LengthIsArg
        }
        BINARY_OP_INPLACE_ADD_UNICODE => ValueGuard::TargetLocalIsLeft,
        _ => ValueGuard::None,
    }
}

/// Decoded `COMPARE_OP_*_JUMP` cache `mask`: when the fused conditional jump is taken.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct JumpMask {
    pub when_less: bool,
    pub when_equal: bool,
    pub when_greater: bool,
    /// The fused jump is a `POP_JUMP_BACKWARD_*`.
    pub backward: bool,
}

/// Bits 1/2/4 = jump when the comparison is less/equal/greater for a forward jump; the same
/// bits shifted left by 3 for a backward one (specialize.c `compare_masks`, ceval's `9 << ...`).
pub fn compare_jump_mask(mask: u16) -> JumpMask {
    let backward = mask & 7 == 0 && mask != 0;
    let m = if backward { mask >> 3 } else { mask };
    JumpMask {
        when_less: m & 1 != 0,
        when_equal: m & 2 != 0,
        when_greater: m & 4 != 0,
        backward,
    }
}
