//! Control flow: jumps (with the eval-breaker poll on back edges), conditional jumps,
//! `FOR_ITER`, `RETURN_VALUE`, `RAISE_VARARGS`.

use super::TranslateError;
use super::context::{Flow, Translator};
use s6_py311::Instr;
use s6_py311::opcodes::*;
use s6_strongjit::{Block, IntCC, PyOp, Value};

impl Translator<'_> {
    fn target(&self, ins: &Instr) -> Result<u32, TranslateError> {
        ins.jump_target()
            .ok_or_else(|| self.malformed(ins, "jump target out of range"))
    }

    /// The block to branch to for a jump to `target`: the target's own block, or for a backward
    /// jump a block that first polls the eval breaker (as `POP_JUMP_BACKWARD_*` does after
    /// jumping) and deopts to the target when it is set.
    fn edge_to(
        &mut self,
        target: u32,
        backward: bool,
    ) -> Result<(Block, Vec<Value>), TranslateError> {
        let dest = self.block_for(target, self.stack.len())?;
        let args = self.stack.clone();
        if !backward {
            return Ok((dest, args));
        }
        let here = self.b.current_block().expect("translating inside a block");
        let poll = self.b.create_block();
        self.b.switch_to_block(poll);
        self.poll_eval_breaker(target);
        self.b.jump(dest, &args);
        self.b.switch_to_block(here);
        Ok((poll, Vec::new()))
    }

    /// `deopt_if s6_rt_eval_breaker(ts) != 0` resuming at `index` with the current stack.
    pub(super) fn poll_eval_breaker(&mut self, index: u32) {
        let ts = self.b.ts();
        let r = self.b.call_value("s6_rt_eval_breaker", &[ts]);
        let set = self.nonzero(r);
        let fs = self.state(index);
        self.b.deopt_if(set, fs, "eval breaker");
    }

    /// Branches on `cond`: to the jump target when `cond` is true, else to the next instruction.
    pub fn branch_to(
        &mut self,
        ins: &Instr,
        cond: Value,
        backward: bool,
    ) -> Result<(), TranslateError> {
        let target = self.target(ins)?;
        let (tb, targs) = self.edge_to(target, backward)?;
        let (nb, nargs) = self.edge_to(ins.next, false)?;
        self.b.branch(cond, tb, &targs, nb, &nargs);
        Ok(())
    }

    /// The next item of a list, tuple or range iterator in machine code (as `listiter_next`,
    /// `tupleiter_next` and `rangeiter_next` compute it), jumping to `body` with it; anything
    /// else (another iterator, an exhausted one) continues in the current block, where the
    /// generic `FOR_ITER` follows.
    fn inline_next(&mut self, ins: &Instr, iter: Value, body: Block) -> Result<(), TranslateError> {
        use s6_py311::layout::{list, object, range_iter, seq_iter, tuple};
        use s6_strongjit::{Opcode, Type, WellKnown};
        let generic = self.b.create_block();
        let t = self.b.load(Type::Obj, iter, object::OB_TYPE);
        for kind in [WellKnown::ListIterType, WellKnown::TupleIterType] {
            let (is, has, next) = (
                self.b.create_block(),
                self.b.create_block(),
                self.b.create_block(),
            );
            let want = self.b.const_obj(kind);
            let same = self.b.icmp(IntCC::Eq, t, want);
            self.b.branch(same, is, &[], next, &[]);
            self.b.switch_to_block(is);
            let seq = self.b.load(Type::Obj, iter, seq_iter::IT_SEQ);
            let index = self.b.load(Type::I64, iter, seq_iter::IT_INDEX);
            // NULL: exhausted before; an index past the end: exhausting now (the helper
            // releases the sequence, as the C code does).
            let gone = self.is_null(seq);
            self.b.branch(gone, generic, &[], has, &[]);
            self.b.switch_to_block(has);
            let n = self.b.load(Type::I64, seq, list::OB_SIZE);
            let inside = self.b.icmp(IntCC::Slt, index, n);
            let take = self.b.create_block();
            self.b.branch(inside, take, &[], generic, &[]);
            self.b.switch_to_block(take);
            let three = self.b.iconst(Type::I64, 3);
            let bytes = self.b.binary(Opcode::Shl, index, three);
            let slot = if kind == WellKnown::ListIterType {
                let items = self.b.load(Type::Ptr, seq, list::OB_ITEM);
                self.b.ptr_add(items, bytes)
            } else {
                let at = self.b.ptr_add(seq, bytes);
                let off = self.b.iconst(Type::I64, i64::from(tuple::OB_ITEM));
                self.b.ptr_add(at, off)
            };
            let item = self.b.load(Type::Obj, slot, 0);
            let one = self.b.iconst(Type::I64, 1);
            let index1 = self.b.iadd(index, one);
            self.b.store(Type::I64, iter, seq_iter::IT_INDEX, index1);
            self.b.incref(item);
            self.b.jump(body, &[item]);
            self.b.switch_to_block(next);
        }
        let (is, take) = (self.b.create_block(), self.b.create_block());
        let want = self.b.const_obj(WellKnown::RangeIterType);
        let same = self.b.icmp(IntCC::Eq, t, want);
        self.b.branch(same, is, &[], generic, &[]);
        self.b.switch_to_block(is);
        let index = self.b.load(Type::I64, iter, range_iter::INDEX);
        let len = self.b.load(Type::I64, iter, range_iter::LEN);
        let inside = self.b.icmp(IntCC::Slt, index, len);
        self.b.branch(inside, take, &[], generic, &[]);
        self.b.switch_to_block(take);
        let start = self.b.load(Type::I64, iter, range_iter::START);
        let step = self.b.load(Type::I64, iter, range_iter::STEP);
        // start + index * step, wrapping as the C code's unsigned arithmetic does.
        let scaled = self.b.imul(index, step);
        let v = self.b.iadd(start, scaled);
        let one = self.b.iconst(Type::I64, 1);
        let index1 = self.b.iadd(index, one);
        self.b.store(Type::I64, iter, range_iter::INDEX, index1);
        let item = self.b.box_int(v);
        self.check_null(ins, item);
        self.b.jump(body, &[item]);
        self.b.switch_to_block(generic);
        Ok(())
    }

    pub fn flow_op(&mut self, ins: &Instr) -> Result<Flow, TranslateError> {
        let op = ins.base_op();
        match op {
            JUMP_FORWARD | JUMP_BACKWARD_NO_INTERRUPT => {
                let t = self.target(ins)?;
                self.jump_to(t)?;
                Ok(Flow::Done)
            }
            JUMP_BACKWARD => {
                let t = self.target(ins)?;
                self.poll_eval_breaker(ins.start);
                self.jump_to(t)?;
                Ok(Flow::Done)
            }
            POP_JUMP_FORWARD_IF_TRUE
            | POP_JUMP_FORWARD_IF_FALSE
            | POP_JUMP_BACKWARD_IF_TRUE
            | POP_JUMP_BACKWARD_IF_FALSE => {
                let before = self.fs_at(ins);
                let v = self.pop(ins)?;
                let on_true = matches!(op, POP_JUMP_FORWARD_IF_TRUE | POP_JUMP_BACKWARD_IF_TRUE);
                let r = self.b.py(PyOp::Truth, &[v], before);
                self.b.decref(v);
                self.check_neg(ins, r);
                let z = self.b.iconst(s6_strongjit::Type::I32, 0);
                let c = self
                    .b
                    .icmp(if on_true { IntCC::Ne } else { IntCC::Eq }, r, z);
                let backward = matches!(op, POP_JUMP_BACKWARD_IF_TRUE | POP_JUMP_BACKWARD_IF_FALSE);
                self.branch_to(ins, c, backward)?;
                Ok(Flow::Done)
            }
            POP_JUMP_FORWARD_IF_NONE
            | POP_JUMP_FORWARD_IF_NOT_NONE
            | POP_JUMP_BACKWARD_IF_NONE
            | POP_JUMP_BACKWARD_IF_NOT_NONE => {
                let v = self.pop(ins)?;
                let none = self.b.const_obj(s6_strongjit::WellKnown::None);
                let on_none = matches!(op, POP_JUMP_FORWARD_IF_NONE | POP_JUMP_BACKWARD_IF_NONE);
                let c = self
                    .b
                    .icmp(if on_none { IntCC::Eq } else { IntCC::Ne }, v, none);
                self.b.decref(v);
                let backward = matches!(
                    op,
                    POP_JUMP_BACKWARD_IF_NONE | POP_JUMP_BACKWARD_IF_NOT_NONE
                );
                self.branch_to(ins, c, backward)?;
                Ok(Flow::Done)
            }
            JUMP_IF_TRUE_OR_POP | JUMP_IF_FALSE_OR_POP => {
                // Keeps the value when jumping, pops it when falling through.
                let v = self.peek(ins, 1)?;
                let before = self.fs_at(ins);
                let r = self.b.py(PyOp::Truth, &[v], before);
                self.check_neg(ins, r);
                let z = self.b.iconst(s6_strongjit::Type::I32, 0);
                let on_true = op == JUMP_IF_TRUE_OR_POP;
                let c = self
                    .b
                    .icmp(if on_true { IntCC::Ne } else { IntCC::Eq }, r, z);
                let target = self.target(ins)?;
                let (tb, targs) = self.edge_to(target, false)?;
                let pop = self.b.create_block();
                self.b.branch(c, tb, &targs, pop, &[]);
                self.b.switch_to_block(pop);
                self.pop(ins)?;
                self.b.decref(v);
                self.jump_to(ins.next)?;
                Ok(Flow::Done)
            }
            FOR_ITER => {
                let iter = self.peek(ins, 1)?;
                let (end, body) = (self.b.create_block(), self.b.create_block());
                let item = self.b.append_block_param(body, s6_strongjit::Type::Obj);
                self.inline_next(ins, iter, body)?;
                let next = self.b.call_value("s6_rt_for_iter", &[iter]);
                let ended = self.is_null(next);
                self.b.branch(ended, end, &[], body, &[next]);
                // NULL: an error (iterator still on the stack) or exhaustion.
                self.b.switch_to_block(end);
                let err = self.b.call_value("PyErr_Occurred", &[]);
                let null = self.b.null();
                let failed = self.b.icmp(IntCC::Ne, err, null);
                let (raise, done) = (self.b.create_block(), self.b.create_block());
                self.b.branch(failed, raise, &[], done, &[]);
                self.b.switch_to_block(raise);
                let fs = self.fs_error(ins);
                self.b.raise(fs);
                self.b.switch_to_block(done);
                let saved = self.stack.clone();
                self.pop(ins)?;
                self.b.decref(iter);
                let t = self.target(ins)?;
                self.jump_to(t)?;
                // An item: continue with the loop body.
                self.stack = saved;
                self.b.switch_to_block(body);
                self.push(item);
                self.tracing_check(ins);
                Ok(Flow::Next)
            }
            RETURN_VALUE => {
                let v = self.pop(ins)?;
                if !self.stack.is_empty() {
                    return Err(self.malformed(ins, "value stack not empty at return"));
                }
                self.b.ret(v);
                Ok(Flow::Done)
            }
            // A bare `raise` (see `handlers`): the runtime tells a re-raise, which takes no
            // traceback entry, from the RuntimeError of a `raise` with nothing to re-raise.
            RAISE_VARARGS if ins.arg == 0 => {
                let ts = self.b.ts();
                self.b.call("s6_rt_bare_raise", &[ts]);
                let fs = self.fs_error(ins);
                self.b.raise(fs);
                Ok(Flow::Done)
            }
            RAISE_VARARGS => {
                let (exc, cause) = match ins.arg {
                    1 => (self.pop(ins)?, self.b.null()),
                    2 => {
                        let cause = self.pop(ins)?;
                        (self.pop(ins)?, cause)
                    }
                    _ => return Err(self.malformed(ins, "bad RAISE_VARARGS oparg")),
                };
                self.b.call("s6_rt_raise", &[exc, cause]);
                let fs = self.fs_error(ins);
                self.b.raise(fs);
                Ok(Flow::Done)
            }
            _ => Err(self.malformed(ins, "no translation for this opcode")),
        }
    }
}
