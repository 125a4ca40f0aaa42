//! Calls and what sets them up: `LOAD_METHOD`, `KW_NAMES`, `CALL` (`PRECALL` is a no-op
//! natively: its bound-method unpacking only saves an allocation), `CALL_FUNCTION_EX`,
//! `MAKE_FUNCTION`, and `BEFORE_WITH` (whose `__enter__` call it is).

use super::TranslateError;
use super::context::{Flow, Translator};
use s6_py311::Instr;
use s6_py311::opcodes::*;
use s6_strongjit::{Type, Value};

impl Translator<'_> {
    /// Moves the top `n` stack values into their frame slots and returns the absolute slot
    /// index of the lowest, for a frame-slot helper.
    fn spill_operands(&mut self, ins: &Instr, n: usize) -> Result<Value, TranslateError> {
        let vals = self.popn(ins, n)?;
        let base = self.stack.len();
        self.store_slots(base, &vals);
        Ok(self.i32c(self.slot_index(base)))
    }

    pub fn call_op(&mut self, ins: &Instr) -> Result<Flow, TranslateError> {
        let arg = ins.arg;
        let f = self.b.frame();
        match ins.base_op() {
            KW_NAMES => {
                if arg as usize >= self.code.consts.len() {
                    return Err(self.malformed(ins, "constant index out of range"));
                }
                self.kw_names = Some((ins.start, arg));
            }
            CALL if self.kw_names.is_none() && arg <= 255 => {
                // A Python-level call (consumes its operands; `specialize` may make it a
                // direct one, `legalize` makes it the frame-slot call below).
                let before = self.fs_at(ins);
                let operands = self.popn(ins, arg as usize + 2)?;
                let r = self
                    .b
                    .py(s6_strongjit::PyOp::Call(arg as u8), &operands, before);
                self.check_null(ins, r);
                self.push(r);
            }
            CALL => {
                let kw = match self.kw_names.take() {
                    Some((_, c)) => self.b.load_const(c),
                    None => self.b.null(),
                };
                let base = self.spill_operands(ins, arg as usize + 2)?;
                let n = self.i32c(arg);
                let r = self.b.call_value("s6_rt_call", &[f, base, n, kw]);
                self.check_null(ins, r);
                self.push(r);
            }
            CALL_FUNCTION_EX => {
                let base = self.spill_operands(ins, 3 + (arg & 1) as usize)?;
                let flags = self.i32c(arg);
                let r = self.b.call_value("s6_rt_call_ex", &[f, base, flags]);
                self.check_null(ins, r);
                self.push(r);
            }
            MAKE_FUNCTION => {
                let n = (arg & 0xf).count_ones() as usize + 1;
                let base = self.spill_operands(ins, n)?;
                let flags = self.i32c(arg);
                let r = self.b.call_value("s6_rt_make_function", &[f, base, flags]);
                self.check_null(ins, r);
                self.push(r);
            }
            LOAD_METHOD => {
                if arg as usize >= self.code.names.len() {
                    return Err(self.malformed(ins, "name index out of range"));
                }
                let name = self.b.load_name(arg);
                let obj = self.pop(ins)?;
                let out = self.b.stack_alloc(8);
                let cache = self.b.site_cache();
                let upper = self
                    .b
                    .call_value("s6_rt_load_method_cached", &[obj, name, out, cache]);
                self.check_null(ins, upper);
                let lower = self.b.load(Type::Obj, out, 0);
                self.push(lower);
                self.push(upper);
            }
            BEFORE_WITH => {
                let mgr = self.pop(ins)?;
                let out = self.b.stack_alloc(8);
                let res = self.b.call_value("s6_rt_before_with", &[mgr, out]);
                self.check_null(ins, res);
                let exit = self.b.load(Type::Obj, out, 0);
                self.push(exit);
                self.push(res);
            }
            _ => unreachable!("call_op called for {}", ins.name()),
        }
        Ok(Flow::Next)
    }
}
