//! Locals, constants and pure stack shuffles: `LOAD_FAST`, `LOAD_CONST`, `STORE_FAST`,
//! `DELETE_FAST`, `LOAD_CLOSURE`, `POP_TOP`, `PUSH_NULL`, `COPY`, `SWAP`.

use super::TranslateError;
use super::context::{Flow, Translator};
use s6_py311::Instr;
use s6_py311::opcodes::*;

impl Translator<'_> {
    pub fn stack_op(&mut self, ins: &Instr) -> Result<Flow, TranslateError> {
        let arg = ins.arg;
        match ins.base_op() {
            LOAD_FAST => {
                let v = self.load_local_checked(ins, arg)?;
                self.b.incref(v);
                self.push(v);
            }
            LOAD_CLOSURE => {
                let v = self.load_local_checked(ins, arg)?;
                self.b.incref(v);
                self.push(v);
            }
            LOAD_CONST => {
                if arg as usize >= self.code.consts.len() {
                    return Err(self.malformed(ins, "constant index out of range"));
                }
                let v = self.b.load_const(arg);
                self.b.incref(v);
                self.push(v);
            }
            STORE_FAST => {
                self.check_local(ins, arg)?;
                let v = self.pop(ins)?;
                self.b.store_local(arg, v);
            }
            DELETE_FAST => {
                let v = self.b.load_local(self.check_local(ins, arg)?);
                self.deopt_if_null(ins, v, "unbound local");
                let n = self.b.null();
                self.b.store_local(arg, n);
            }
            POP_TOP => {
                let v = self.pop(ins)?;
                self.b.decref(v);
            }
            PUSH_NULL => {
                let n = self.b.null();
                self.push(n);
            }
            COPY => {
                let v = self.peek(ins, arg as usize)?;
                self.b.incref(v);
                self.push(v);
            }
            SWAP => {
                let n = arg as usize;
                if n == 0 || n > self.stack.len() {
                    return Err(self.malformed(ins, "stack underflow"));
                }
                let len = self.stack.len();
                self.stack.swap(len - 1, len - n);
            }
            _ => unreachable!("stack_op called for {}", ins.name()),
        }
        Ok(Flow::Next)
    }

    fn check_local(&self, ins: &Instr, i: u32) -> Result<u32, TranslateError> {
        if i >= self.nlocalsplus {
            return Err(self.malformed(ins, "local index out of range"));
        }
        Ok(i)
    }

    /// `load_local i`, deopting at `ins` when it may be unbound and is (the interpreter raises
    /// `UnboundLocalError` with its exact message).
    fn load_local_checked(
        &mut self,
        ins: &Instr,
        i: u32,
    ) -> Result<s6_strongjit::Value, TranslateError> {
        let v = self.b.load_local(self.check_local(ins, i)?);
        if self.local_may_be_unbound(ins, i) || ins.base_op() == LOAD_CLOSURE {
            self.deopt_if_null(ins, v, "unbound local");
        }
        Ok(v)
    }
}
