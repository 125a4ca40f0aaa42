//! Handler code: the instructions that only run after an exception was caught
//! (`PUSH_EXC_INFO`, `POP_EXCEPT`, `CHECK_EXC_MATCH`, `RERAISE`, `WITH_EXCEPT_START`).
//!
//! Native code enters a handler from an error exit: `s6_rt_catch` does what ceval does
//! between `error:` and the handler (traceback entry, stack unwound to the handler's depth,
//! `lasti` and the exception pushed) and the entry block's `catch` edge loads that stack (see
//! `context::catch_entries`). From there handler code is ordinary code, with the handled
//! exception moved to and from `tstate->exc_info` by helpers as ceval does.
//!
//! `RERAISE` restores the exception and leaves by an error exit at itself; the runtime knows
//! that exit by its instruction and, as ceval, adds no traceback entry for it (and keeps the
//! `prev_instr` that `RERAISE 1` restored); likewise after a bare `raise` (`RAISE_VARARGS 0`,
//! in `flow`) that re-raised the handled exception.
//!
//! Does not: run handlers of functions using `except*` natively.

use super::TranslateError;
use super::context::{Flow, Translator};
use s6_py311::Instr;
use s6_py311::opcodes::*;

impl Translator<'_> {
    pub fn handler_op(&mut self, ins: &Instr) -> Result<Flow, TranslateError> {
        match ins.base_op() {
            PUSH_EXC_INFO => {
                let value = self.pop(ins)?;
                let ts = self.b.ts();
                let prev = self.b.call_value("s6_rt_push_exc_info", &[ts, value]);
                self.push(prev);
                self.push(value);
            }
            POP_EXCEPT => {
                let prev = self.pop(ins)?;
                let ts = self.b.ts();
                self.b.call("s6_rt_pop_except", &[ts, prev]);
            }
            CHECK_EXC_MATCH => {
                let right = self.pop(ins)?;
                let left = self.peek(ins, 1)?;
                let r = self.b.call_value("s6_rt_check_exc_match", &[left, right]);
                self.b.decref(right);
                self.check_null(ins, r);
                self.push(r);
            }
            RERAISE => {
                let val = self.pop(ins)?;
                let lasti = if ins.arg > 0 {
                    self.peek(ins, ins.arg as usize)?
                } else {
                    self.b.null()
                };
                let f = self.b.frame();
                self.b.call("s6_rt_reraise", &[f, val, lasti]);
                let fs = self.fs_error(ins);
                self.b.raise(fs);
                return Ok(Flow::Done);
            }
            WITH_EXCEPT_START => {
                let val = self.peek(ins, 1)?;
                let exit = self.peek(ins, 4)?;
                let r = self.b.call_value("s6_rt_with_except_start", &[exit, val]);
                self.check_null(ins, r);
                self.push(r);
            }
            _ => return Err(self.malformed(ins, "not handler code")),
        }
        Ok(Flow::Next)
    }
}
