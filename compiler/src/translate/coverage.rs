//! How each 3.11 base opcode is translated, as one table (for reports and to keep the
//! translator total: a test checks every base opcode has a row and that the rows agree with
//! what the translator does).

use s6_py311::opcodes::*;

/// The native form of an opcode.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Coverage {
    /// Pure IR (locals, stack, jumps), no call.
    Native,
    /// IR plus exported C-API calls (and, with feedback, inline fast paths).
    CApi,
    /// A `s6_rt_*` runtime helper.
    Helper,
    /// Left to the interpreter: `deopt fs, "unsupported: ..."` (see `unsupported.rs`).
    Deopt,
}

/// How `op` (a base opcode) is translated; `None` for numbers that are not base opcodes.
pub fn coverage(op: u8) -> Option<Coverage> {
    use Coverage::*;
    Some(match op {
        NOP
        | RESUME
        | PRECALL
        | KW_NAMES
        | EXTENDED_ARG
        | CACHE
        | LOAD_FAST
        | STORE_FAST
        | DELETE_FAST
        | LOAD_CONST
        | LOAD_CLOSURE
        | POP_TOP
        | PUSH_NULL
        | COPY
        | SWAP
        | JUMP_FORWARD
        | JUMP_BACKWARD_NO_INTERRUPT
        | RETURN_VALUE
        | YIELD_VALUE => Native,
        BINARY_OP
        | BINARY_SUBSCR
        | STORE_SUBSCR
        | DELETE_SUBSCR
        | COMPARE_OP
        | CONTAINS_OP
        | IS_OP
        | UNARY_POSITIVE
        | UNARY_NEGATIVE
        | UNARY_INVERT
        | UNARY_NOT
        | GET_ITER
        | GET_LEN
        | LOAD_ATTR
        | STORE_ATTR
        | DELETE_ATTR
        | LIST_APPEND
        | SET_ADD
        | MAP_ADD
        | LIST_TO_TUPLE
        | BUILD_SLICE
        | POP_JUMP_FORWARD_IF_FALSE
        | POP_JUMP_FORWARD_IF_TRUE
        | POP_JUMP_BACKWARD_IF_FALSE
        | POP_JUMP_BACKWARD_IF_TRUE
        | JUMP_IF_FALSE_OR_POP
        | JUMP_IF_TRUE_OR_POP => CApi,
        LOAD_GLOBAL
        | STORE_GLOBAL
        | DELETE_GLOBAL
        | LOAD_DEREF
        | STORE_DEREF
        | DELETE_DEREF
        | MAKE_CELL
        | COPY_FREE_VARS
        | IMPORT_NAME
        | IMPORT_FROM
        | LOAD_BUILD_CLASS
        | LOAD_ASSERTION_ERROR
        | LOAD_METHOD
        | CALL
        | CALL_FUNCTION_EX
        | MAKE_FUNCTION
        | BEFORE_WITH
        | BUILD_TUPLE
        | BUILD_LIST
        | BUILD_SET
        | BUILD_MAP
        | BUILD_CONST_KEY_MAP
        | BUILD_STRING
        | LIST_EXTEND
        | SET_UPDATE
        | DICT_UPDATE
        | DICT_MERGE
        | UNPACK_SEQUENCE
        | UNPACK_EX
        | FORMAT_VALUE
        | FOR_ITER
        | RAISE_VARARGS
        | MATCH_MAPPING
        | MATCH_SEQUENCE
        | MATCH_CLASS
        | MATCH_KEYS
        | JUMP_BACKWARD
        | POP_JUMP_FORWARD_IF_NONE
        | POP_JUMP_FORWARD_IF_NOT_NONE
        | POP_JUMP_BACKWARD_IF_NONE
        | POP_JUMP_BACKWARD_IF_NOT_NONE
        | SEND
        | GET_YIELD_FROM_ITER
        | GET_AWAITABLE
        | PUSH_EXC_INFO
        | POP_EXCEPT
        | CHECK_EXC_MATCH
        | RERAISE
        | WITH_EXCEPT_START => Helper,
        CHECK_EG_MATCH | PREP_RERAISE_STAR | RETURN_GENERATOR | GET_AITER | GET_ANEXT
        | END_ASYNC_FOR | ASYNC_GEN_WRAP | BEFORE_ASYNC_WITH | LOAD_NAME | STORE_NAME
        | DELETE_NAME | LOAD_CLASSDEREF | IMPORT_STAR | SETUP_ANNOTATIONS | PRINT_EXPR => Deopt,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_base_opcode_has_a_row_that_matches_the_translator() {
        let mut rows = 0;
        for op in 0..=255u8 {
            if !is_base(op) || name(op) == "DO_TRACING" {
                assert_eq!(coverage(op), None, "{} is not a base opcode", name(op));
                continue;
            }
            rows += 1;
            let c = coverage(op).unwrap_or_else(|| panic!("no coverage row for {}", name(op)));
            // Deopt rows are exactly the ones the translator refuses.
            let refused = crate::translate::unsupported_reason(op).is_some();
            assert_eq!(refused, c == Coverage::Deopt, "{}", name(op));
        }
        assert_eq!(rows, 110, "3.11 has 110 base opcodes besides DO_TRACING");
        assert!(crate::translate::unsupported_reason(RAISE_VARARGS).is_none());
    }
}
