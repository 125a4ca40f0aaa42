//! One instruction: the `set_prev_instr` policy, the opcode switch to the family files, and
//! the tracing check after instructions that may run Python code.

use super::TranslateError;
use super::context::{Flow, Translator};
use s6_py311::Instr;
use s6_py311::opcodes::*;

/// Instructions that neither call out, raise nor run Python code (no `set_prev_instr`).
/// `RETURN_VALUE` is not one: a frame object that outlives the call reports the line of the
/// `return` (`f_lineno`, `f_lasti`), as the interpreter leaves it.
fn is_quiet(op: u8) -> bool {
    matches!(
        op,
        NOP | RESUME
            | LOAD_FAST
            | LOAD_CONST
            | LOAD_CLOSURE
            | PUSH_NULL
            | COPY
            | SWAP
            | KW_NAMES
            | PRECALL
            | JUMP_FORWARD
            | JUMP_BACKWARD
            | JUMP_BACKWARD_NO_INTERRUPT
            | COPY_FREE_VARS
            | LOAD_ASSERTION_ERROR
            | MATCH_MAPPING
            | MATCH_SEQUENCE
    )
}

/// Instructions after which tracing may have been switched on (they can run arbitrary Python
/// code and fall through to the next instruction). `FOR_ITER` checks on its own.
fn may_start_tracing(op: u8) -> bool {
    matches!(
        op,
        CALL | CALL_FUNCTION_EX
            | BINARY_OP
            | BINARY_SUBSCR
            | STORE_SUBSCR
            | DELETE_SUBSCR
            | COMPARE_OP
            | CONTAINS_OP
            | LOAD_ATTR
            | STORE_ATTR
            | DELETE_ATTR
            | LOAD_METHOD
            | IMPORT_NAME
            | IMPORT_FROM
            | GET_ITER
            | GET_YIELD_FROM_ITER
            | GET_AWAITABLE
            | FORMAT_VALUE
            | UNARY_POSITIVE
            | UNARY_NEGATIVE
            | UNARY_INVERT
            | UNARY_NOT
            | UNPACK_SEQUENCE
            | UNPACK_EX
            | BEFORE_WITH
            | LIST_EXTEND
            | SET_UPDATE
            | DICT_UPDATE
            | DICT_MERGE
            | BUILD_SET
            | BUILD_MAP
            | BUILD_CONST_KEY_MAP
            | MAP_ADD
            | SET_ADD
            | GET_LEN
            | MATCH_CLASS
            | MATCH_KEYS
            | WITH_EXCEPT_START
    )
}

impl Translator<'_> {
    pub fn translate_instr(&mut self, ins: &Instr) -> Result<Flow, TranslateError> {
        let op = ins.base_op();
        if let Some(reason) = super::unsupported_reason(op) {
            let fs = self.fs_at(ins);
            self.b.deopt(fs, &reason);
            return Ok(Flow::Done);
        }
        if !is_quiet(op) {
            self.b.set_prev_instr(ins.index);
        }
        let flow = match op {
            // A generator polls where ceval does when it starts or resumes after a `yield`
            // (a signal raised while it was suspended is raised inside it, at the yield).
            RESUME if ins.arg < 2 && self.code.is_generator_like() => {
                self.poll_eval_breaker(ins.start);
                Flow::Next
            }
            NOP | RESUME | PRECALL => Flow::Next,
            LOAD_FAST | LOAD_CONST | STORE_FAST | DELETE_FAST | LOAD_CLOSURE | POP_TOP
            | PUSH_NULL | COPY | SWAP => self.stack_op(ins)?,
            LOAD_GLOBAL | STORE_GLOBAL | DELETE_GLOBAL | LOAD_ATTR | STORE_ATTR | DELETE_ATTR
            | LOAD_DEREF | STORE_DEREF | DELETE_DEREF | MAKE_CELL | COPY_FREE_VARS
            | IMPORT_NAME | IMPORT_FROM | LOAD_BUILD_CLASS | LOAD_ASSERTION_ERROR => {
                self.name_op(ins)?
            }
            CALL | KW_NAMES | CALL_FUNCTION_EX | MAKE_FUNCTION | LOAD_METHOD | BEFORE_WITH => {
                self.call_op(ins)?
            }
            BUILD_TUPLE | BUILD_LIST | BUILD_SET | BUILD_MAP | BUILD_CONST_KEY_MAP
            | BUILD_STRING | BUILD_SLICE | LIST_APPEND | SET_ADD | MAP_ADD | LIST_EXTEND
            | SET_UPDATE | DICT_UPDATE | DICT_MERGE | LIST_TO_TUPLE | UNPACK_SEQUENCE
            | UNPACK_EX | FORMAT_VALUE => self.container_op(ins)?,
            BINARY_OP | BINARY_SUBSCR | STORE_SUBSCR | DELETE_SUBSCR | COMPARE_OP | IS_OP
            | CONTAINS_OP | UNARY_POSITIVE | UNARY_NEGATIVE | UNARY_INVERT | UNARY_NOT
            | GET_ITER | GET_LEN | MATCH_MAPPING | MATCH_SEQUENCE | MATCH_CLASS | MATCH_KEYS => {
                self.value_op(ins)?
            }
            YIELD_VALUE | SEND | GET_YIELD_FROM_ITER | GET_AWAITABLE => self.generator_op(ins)?,
            PUSH_EXC_INFO | POP_EXCEPT | CHECK_EXC_MATCH | RERAISE | WITH_EXCEPT_START => {
                self.handler_op(ins)?
            }
            _ => self.flow_op(ins)?,
        };
        if matches!(flow, Flow::Next) && may_start_tracing(op) {
            self.tracing_check(ins);
        }
        Ok(flow)
    }
}
