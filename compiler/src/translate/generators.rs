//! Generators and coroutines: the resume dispatch, `YIELD_VALUE`, `SEND`,
//! `GET_YIELD_FROM_ITER` and `GET_AWAITABLE`.
//!
//! A generator's frame lives in its object and is resumed by `gen_send_ex2`, which pushes the
//! sent value onto the frame's value stack and evaluates the frame (through the hook, which
//! runs native code for frames owned by a generator). The native body never runs the call that
//! creates the generator (the interpreter runs the code up to `RETURN_GENERATOR`, the hook
//! passes such frames on), so it starts with a dispatch on `frame->prev_instr`:
//! * `RETURN_GENERATOR` (not started) resumes at the next instruction with the sent value as
//!   the only stack entry;
//! * a `YIELD_VALUE` resumes after it with the stack the yield left plus the sent value;
//! * anything else (a yield the translator did not reach, as in the handlers of a function using
//!   `except*`) hands the frame as it is to the interpreter (`s6_rt_resume_generator`).
//!
//! The stack entries are loaded from the frame as owned references and `stacktop` drops to the
//! locals, as ceval keeps it while it runs (the collector must not see entries native code has
//! taken). `YIELD_VALUE` does what ceval's does: the stack below the value goes back to the
//! frame, `stacktop` covers it, `prev_instr` names the yield, the generator's state becomes
//! `FRAME_SUSPENDED`, and the value is returned. A `RETURN_VALUE` is an ordinary return:
//! `gen_send_ex2` turns it into `StopIteration`.
//!
//! Where ceval polls the eval breaker on resuming (`RESUME` with oparg 0 or 1), native code
//! polls too and deopts there when it is set, so that a signal that arrived while the generator
//! was suspended is raised inside it, at the `yield`.
//!
//! A coroutine is the same machine (`await` is `GET_AWAITABLE`, `SEND`, `YIELD_VALUE`).
//!
//! Does not: compile async generators or coroutines with `async for`/`async with` (see
//! `async_reason`), which the driver skips; a throw into a generator (`throw()`, `close()`) always runs in the
//! interpreter, which resumes from the frame exactly as native code leaves it at a yield.

use super::TranslateError;
use super::context::{Flow, Translator};
use s6_py311::Instr;
use s6_py311::layout::{code, frame, gen_obj};
use s6_py311::marshal::{CO_COROUTINE, CO_ITERABLE_COROUTINE};
use s6_py311::opcodes::*;
use s6_strongjit::{IntCC, Type};

/// A point where a generator's frame resumes.
pub struct ResumePoint {
    /// The instruction `frame->prev_instr` names there (`RETURN_GENERATOR` or `YIELD_VALUE`).
    pub at: u32,
    /// The instruction that runs next (a block leader).
    pub next: u32,
    /// Value-stack entries in the frame there, the sent value included.
    pub depth: usize,
}

impl Translator<'_> {
    /// Queues the block after `RETURN_GENERATOR`, where a generator that has not started
    /// resumes with the sent value (`None`) on its stack.
    pub fn first_resume(&mut self) -> Result<(), TranslateError> {
        let Some(start) = self
            .instrs
            .list
            .iter()
            .find(|i| i.base_op() == RETURN_GENERATOR)
            .copied()
        else {
            return Err(TranslateError::Malformed {
                index: 0,
                what: "generator without RETURN_GENERATOR".into(),
            });
        };
        self.block_for(start.next, 1)?;
        self.resumes.push(ResumePoint {
            at: start.index,
            next: start.next,
            depth: 1,
        });
        Ok(())
    }

    /// Fills the (current) dispatch block: one compare of `prev_instr` per resume point, the
    /// frame's stack loaded as owned values, `stacktop` back to the locals; anything else to
    /// the interpreter.
    pub fn resume_dispatch(&mut self) -> Result<(), TranslateError> {
        let f = self.b.frame();
        let first = self.resumes.first().map(|p| p.at);
        self.b.set_loc(first);
        let prev = self.b.load(Type::I64, f, frame::PREV_INSTR);
        let co = self.b.load(Type::I64, f, frame::F_CODE);
        let offset = self.b.isub(prev, co);
        let points = std::mem::take(&mut self.resumes);
        for p in &points {
            let want = self.b.iconst(
                Type::I64,
                i64::from(code::CO_CODE_ADAPTIVE) + 2 * i64::from(p.at),
            );
            let here = self.b.icmp(IntCC::Eq, offset, want);
            let (hit, miss) = (self.b.create_block(), self.b.create_block());
            self.b.branch(here, hit, &[], miss, &[]);
            self.b.switch_to_block(hit);
            self.b.set_loc(Some(p.at));
            let stack: Vec<_> = (0..p.depth).map(|d| self.load_slot(d)).collect();
            let top = self.i32c(self.nlocalsplus);
            self.b.store(Type::I32, f, frame::STACKTOP, top);
            let dest = self.block_for(p.next, p.depth)?;
            self.b.jump(dest, &stack);
            self.b.switch_to_block(miss);
            self.b.set_loc(first);
        }
        self.resumes = points;
        let ts = self.b.ts();
        let r = self.b.call_value("s6_rt_resume_generator", &[ts, f]);
        self.b.ret(r);
        Ok(())
    }

    pub fn generator_op(&mut self, ins: &Instr) -> Result<Flow, TranslateError> {
        match ins.base_op() {
            YIELD_VALUE => {
                let v = self.pop(ins)?;
                let stack = self.stack.clone();
                self.store_slots(0, &stack);
                let f = self.b.frame();
                let top = self.i32c(self.slot_index(stack.len()));
                self.b.store(Type::I32, f, frame::STACKTOP, top);
                let suspended = self.b.iconst(Type::I8, i64::from(gen_obj::FRAME_SUSPENDED));
                self.b.store(
                    Type::I8,
                    f,
                    gen_obj::GI_FRAME_STATE - gen_obj::GI_IFRAME,
                    suspended,
                );
                self.b.ret(v);
                self.block_for(ins.next, stack.len() + 1)?;
                self.resumes.push(ResumePoint {
                    at: ins.index,
                    next: ins.next,
                    depth: stack.len() + 1,
                });
                Ok(Flow::Done)
            }
            SEND => {
                let target = ins
                    .jump_target()
                    .ok_or_else(|| self.malformed(ins, "jump target out of range"))?;
                // The helper is ceval's untraced branch; traced, the interpreter runs it.
                let before = self.fs_at(ins);
                self.b.check_tracing(before);
                let v = self.pop(ins)?;
                let receiver = self.peek(ins, 1)?;
                let out = self.b.stack_alloc(8);
                let status = self.b.call_value("s6_rt_send", &[receiver, v, out]);
                self.check_neg(ins, status);
                let r = self.b.load(Type::Obj, out, 0);
                let one = self.i32c(1);
                let returned = self.b.icmp(IntCC::Eq, status, one);
                let (done, next) = (self.b.create_block(), self.b.create_block());
                self.b.branch(returned, done, &[], next, &[]);
                let saved = self.stack.clone();
                // Returned: the receiver is replaced by its return value; jump.
                self.b.switch_to_block(done);
                self.pop(ins)?;
                self.b.decref(receiver);
                self.push(r);
                let fs = self.state(target);
                self.b.check_tracing(fs);
                self.jump_to(target)?;
                // Yielded: the value goes on the stack for the `YIELD_VALUE` that follows.
                self.stack = saved;
                self.b.switch_to_block(next);
                self.push(r);
                self.tracing_check(ins);
                self.jump_to(ins.next)?;
                Ok(Flow::Done)
            }
            GET_YIELD_FROM_ITER => {
                let it = self.pop(ins)?;
                let coroutine = self.code.flags & (CO_COROUTINE | CO_ITERABLE_COROUTINE) != 0;
                let flag = self.i32c(u32::from(coroutine));
                let r = self.b.call_value("s6_rt_get_yield_from_iter", &[it, flag]);
                self.check_null(ins, r);
                self.push(r);
                Ok(Flow::Next)
            }
            GET_AWAITABLE => {
                let it = self.pop(ins)?;
                let how = self.i32c(ins.arg);
                let r = self.b.call_value("s6_rt_get_awaitable", &[it, how]);
                self.check_null(ins, r);
                self.push(r);
                Ok(Flow::Next)
            }
            _ => unreachable!("generator_op called for {}", ins.name()),
        }
    }
}
