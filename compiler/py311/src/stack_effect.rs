//! Net value-stack effect of each 3.11 instruction, as the compiler models it
//! (`stack_effect` in Python/compile.c, exposed as `dis.stack_effect`). The translator uses it to
//! track stack depth between blocks and to check its own per-opcode models.

use crate::opcodes::*;

/// Which successor the effect is for; conditional jumps differ between the two.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Branch {
    /// Falls through (or the instruction is not a jump).
    NotTaken,
    /// Jumps.
    Taken,
    /// As `dis.stack_effect(op, arg)` with no `jump`: the C code's `jump = -1` answer.
    Either,
}

/// Net stack effect of `op` (a base opcode; specialized forms are mapped to their base) with
/// `arg`, or `None` for opcodes CPython rejects (`CACHE` has 0, as in C).
pub fn stack_effect(op: u8, arg: u32, branch: Branch) -> Option<i32> {
    let a = arg as i64;
    // C's `jump` int: 0 not taken, 1 taken, -1 either (truthy but not > 0).
    let jump: i32 = match branch {
        Branch::NotTaken => 0,
        Branch::Taken => 1,
        Branch::Either => -1,
    };
    let flags = |mask: i64| i64::from(a & mask != 0);
    let e: i64 = match base_op(op) {
        NOP | EXTENDED_ARG | RESUME | CACHE => 0,
        POP_TOP => -1,
        SWAP => 0,
        UNARY_POSITIVE | UNARY_NEGATIVE | UNARY_NOT | UNARY_INVERT => 0,
        SET_ADD | LIST_APPEND => -1,
        MAP_ADD => -2,
        BINARY_SUBSCR => -1,
        STORE_SUBSCR => -3,
        DELETE_SUBSCR => -2,
        GET_ITER => 0,
        PRINT_EXPR => -1,
        LOAD_BUILD_CLASS => 1,
        RETURN_VALUE | IMPORT_STAR => -1,
        SETUP_ANNOTATIONS | ASYNC_GEN_WRAP | YIELD_VALUE => 0,
        POP_EXCEPT | STORE_NAME => -1,
        DELETE_NAME => 0,
        UNPACK_SEQUENCE => a - 1,
        UNPACK_EX => (a & 0xff) + (a >> 8),
        FOR_ITER => {
            if jump > 0 {
                -1
            } else {
                1
            }
        }
        SEND => {
            if jump > 0 {
                -1
            } else {
                0
            }
        }
        STORE_ATTR => -2,
        DELETE_ATTR | STORE_GLOBAL => -1,
        DELETE_GLOBAL => 0,
        LOAD_CONST | LOAD_NAME => 1,
        BUILD_TUPLE | BUILD_LIST | BUILD_SET | BUILD_STRING => 1 - a,
        BUILD_MAP => 1 - 2 * a,
        BUILD_CONST_KEY_MAP => -a,
        LOAD_ATTR => 0,
        COMPARE_OP | IS_OP | CONTAINS_OP => -1,
        CHECK_EXC_MATCH | CHECK_EG_MATCH => 0,
        IMPORT_NAME => -1,
        IMPORT_FROM => 1,
        JUMP_FORWARD | JUMP_BACKWARD | JUMP_BACKWARD_NO_INTERRUPT => 0,
        JUMP_IF_TRUE_OR_POP | JUMP_IF_FALSE_OR_POP => {
            if jump != 0 {
                0
            } else {
                -1
            }
        }
        POP_JUMP_FORWARD_IF_NONE
        | POP_JUMP_BACKWARD_IF_NONE
        | POP_JUMP_FORWARD_IF_NOT_NONE
        | POP_JUMP_BACKWARD_IF_NOT_NONE
        | POP_JUMP_FORWARD_IF_FALSE
        | POP_JUMP_BACKWARD_IF_FALSE
        | POP_JUMP_FORWARD_IF_TRUE
        | POP_JUMP_BACKWARD_IF_TRUE => -1,
        LOAD_GLOBAL => (a & 1) + 1,
        PREP_RERAISE_STAR | RERAISE => -1,
        PUSH_EXC_INFO | WITH_EXCEPT_START => 1,
        LOAD_FAST => 1,
        STORE_FAST => -1,
        DELETE_FAST | RETURN_GENERATOR => 0,
        RAISE_VARARGS => -a,
        PRECALL => -a,
        KW_NAMES => 0,
        CALL => -1,
        CALL_FUNCTION_EX => -2 - flags(0x01),
        MAKE_FUNCTION => -(flags(0x01) + flags(0x02) + flags(0x04) + flags(0x08)),
        BUILD_SLICE => {
            if a == 3 {
                -2
            } else {
                -1
            }
        }
        MAKE_CELL | COPY_FREE_VARS => 0,
        LOAD_CLOSURE | LOAD_DEREF | LOAD_CLASSDEREF => 1,
        STORE_DEREF => -1,
        DELETE_DEREF => 0,
        GET_AWAITABLE => 0,
        BEFORE_ASYNC_WITH | BEFORE_WITH => 1,
        GET_AITER => 0,
        GET_ANEXT => 1,
        GET_YIELD_FROM_ITER => 0,
        END_ASYNC_FOR => -2,
        FORMAT_VALUE => {
            if a & crate::opargs::FVS_MASK == crate::opargs::FVS_HAVE_SPEC {
                -1
            } else {
                0
            }
        }
        LOAD_METHOD | LOAD_ASSERTION_ERROR => 1,
        LIST_TO_TUPLE => 0,
        LIST_EXTEND | SET_UPDATE | DICT_MERGE | DICT_UPDATE => -1,
        MATCH_CLASS => -2,
        GET_LEN | MATCH_MAPPING | MATCH_SEQUENCE | MATCH_KEYS => 1,
        COPY | PUSH_NULL => 1,
        BINARY_OP => -1,
        _ => return None,
    };
    i32::try_from(e).ok()
}
