//! Exits from native code: one cold block per exit site that writes the frame state's value
//! stack into `frame->localsplus[nlocalsplus ..]` (ownership passes to the frame) and its stale
//! locals into their slots (boxed; the slot's old box released), and returns
//! `s6_rt_resume_in_interpreter(ts, frame, next_index, depth, throwflag, exit_site)`; in a
//! function whose handlers run natively, an error exit first offers its exception to them
//! (`s6_rt_catch`), and continues in the handler's block when one caught it.
//! Sites are numbered in the order they are lowered; the numbers index the manifest's exit table.

use cranelift_codegen::ir::condcodes::IntCC;
use cranelift_codegen::ir::{self, InstBuilder, MemFlagsData, SourceLoc, types};
use cranelift_frontend::FunctionBuilder;
use s6_profiles::abi::{CATCH, RESUME_IN_INTERPRETER};
pub(crate) use s6_profiles::manifest::ExitKind;
use s6_profiles::manifest::ExitSite;
use s6_py311::layout::frame;
use s6_strongjit::{FrameStateId, Inst, Opcode, Type};
use std::collections::HashMap;

use super::LowerError;
use super::builder::Lowerer;

#[derive(Default)]
pub(crate) struct Exits {
    /// Indexed by site number; filled as the exits are lowered.
    pub sites: Vec<Option<ExitSite>>,
    /// Site number of each exit instruction (layout order).
    pub numbers: HashMap<Inst, u32>,
}

impl Lowerer<'_> {
    /// Leaves through a new exit site when `cond` is non-zero; continues in a fresh block.
    pub(crate) fn exit_if(
        &mut self,
        b: &mut FunctionBuilder,
        cond: ir::Value,
        fs: FrameStateId,
        kind: ExitKind,
        reason: String,
    ) -> Result<(), LowerError> {
        let (exit, cont) = (b.create_block(), b.create_block());
        b.ins().brif(cond, exit, &[], cont, &[]);
        self.fill_exit(b, exit, fs, kind, reason)?;
        b.switch_to_block(cont);
        Ok(())
    }

    /// Leaves unconditionally (a terminator).
    pub(crate) fn exit_here(
        &mut self,
        b: &mut FunctionBuilder,
        fs: FrameStateId,
        kind: ExitKind,
        reason: String,
    ) -> Result<(), LowerError> {
        let exit = b.create_block();
        b.ins().jump(exit, &[]);
        self.fill_exit(b, exit, fs, kind, reason)
    }

    /// `return s6_rt_resume_in_interpreter(ts, fr, next, depth, throwflag, site)`: a jump to
    /// the function's one block that makes that call (each exit passes its four numbers), so
    /// that an exit costs its frame writes and a jump rather than a call and an epilogue.
    #[allow(clippy::too_many_arguments)]
    fn resume(
        &mut self,
        b: &mut FunctionBuilder,
        ts: ir::Value,
        fr: ir::Value,
        next: u32,
        depth: i64,
        throwflag: i64,
        site: u32,
    ) {
        let args = [
            b.ins().iconst(types::I32, i64::from(next)),
            b.ins().iconst(types::I32, depth),
            b.ins().iconst(types::I32, throwflag),
            b.ins().iconst(types::I32, i64::from(site)),
        ];
        self.resume_with(b, ts, fr, args);
    }

    /// [`Self::resume`] with its four numbers as values.
    fn resume_with(
        &mut self,
        b: &mut FunctionBuilder,
        ts: ir::Value,
        fr: ir::Value,
        args: [ir::Value; 4],
    ) {
        let shared = match self.resume_block {
            Some(block) => {
                b.ins().jump(block, &args.map(Into::into));
                return;
            }
            None => {
                let block = b.create_block();
                b.set_cold_block(block);
                self.resume_block = Some(block);
                b.ins().jump(block, &args.map(Into::into));
                block
            }
        };
        b.switch_to_block(shared);
        // Shared by exits of many lines: no line of its own.
        b.set_srcloc(SourceLoc::default());
        let params: Vec<ir::Value> = (0..4)
            .map(|_| b.append_block_param(shared, types::I32))
            .collect();
        let resume = self.imports.func(
            b,
            RESUME_IN_INTERPRETER,
            &[
                types::I64,
                types::I64,
                types::I32,
                types::I32,
                types::I32,
                types::I32,
            ],
            Some(types::I64),
        );
        let args = [ts, fr, params[0], params[1], params[2], params[3]];
        let call = b.ins().call(resume, &args);
        let r = b.inst_results(call)[0];
        b.ins().return_(&[r]);
    }

    /// An exit's way out once its stack is written: an error in a function whose handlers run
    /// natively tries them first ([`Self::catch`]); everything else resumes the interpreter.
    #[allow(clippy::too_many_arguments)]
    fn leave(
        &mut self,
        b: &mut FunctionBuilder,
        ts: ir::Value,
        fr: ir::Value,
        next: u32,
        depth: i64,
        throwflag: i64,
        site: u32,
    ) {
        if throwflag == 0 || self.catch_blocks.is_empty() {
            self.resume(b, ts, fr, next, depth, throwflag, site);
        } else {
            self.catch(b, ts, fr, next, depth, site);
        }
    }

    /// A jump to the function's one block that offers an error exit's exception to the
    /// frame's handlers: `h = s6_rt_catch(ts, fr, next, depth, site)` is the code unit of the
    /// handler that caught it, whose `catch` block (the entry's edge) loads the stack the
    /// runtime left and runs it; -1 (nothing caught, or tracing) goes on as any error exit, to
    /// `s6_rt_resume_in_interpreter`.
    #[allow(clippy::too_many_arguments)]
    fn catch(
        &mut self,
        b: &mut FunctionBuilder,
        ts: ir::Value,
        fr: ir::Value,
        next: u32,
        depth: i64,
        site: u32,
    ) {
        let args = [
            b.ins().iconst(types::I32, i64::from(next)),
            b.ins().iconst(types::I32, depth),
            b.ins().iconst(types::I32, i64::from(site)),
        ];
        if let Some(block) = self.catch_block {
            b.ins().jump(block, &args.map(Into::into));
            return;
        }
        let shared = b.create_block();
        b.set_cold_block(shared);
        self.catch_block = Some(shared);
        b.ins().jump(shared, &args.map(Into::into));
        b.switch_to_block(shared);
        b.set_srcloc(SourceLoc::default());
        let params: Vec<ir::Value> = (0..3)
            .map(|_| b.append_block_param(shared, types::I32))
            .collect();
        let catch = self.imports.func(
            b,
            CATCH,
            &[types::I64, types::I64, types::I32, types::I32, types::I32],
            Some(types::I32),
        );
        let call = b
            .ins()
            .call(catch, &[ts, fr, params[0], params[1], params[2]]);
        let h = b.inst_results(call)[0];
        for &(at, block) in &self.catch_blocks {
            let target = self.blocks[&block];
            let hit = b.ins().icmp_imm_s(IntCC::Equal, h, i64::from(at));
            let miss = b.create_block();
            b.set_cold_block(miss);
            b.ins().brif(hit, target, &[], miss, &[]);
            b.switch_to_block(miss);
        }
        let one = b.ins().iconst(types::I32, 1);
        self.resume_with(b, ts, fr, [params[0], params[1], one, params[2]]);
    }

    /// An exit of inlined code that gives up on it (see `FrameState::abandon`): releases the
    /// owned objects of the state's stack (what the inlined callee held; unboxed entries and
    /// stale locals hold nothing), clears the exception an error exit has set (a failed box's
    /// `MemoryError`; a probe's miss sets none), and continues at the block that makes the real
    /// call. Nothing leaves the function, so this is no exit site.
    fn abandon(
        &mut self,
        b: &mut FunctionBuilder,
        exit: ir::Block,
        fs: FrameStateId,
        kind: ExitKind,
        target: s6_strongjit::Block,
    ) -> Result<(), LowerError> {
        let state = self.f.frame_state(fs);
        b.set_cold_block(exit);
        b.switch_to_block(exit);
        for (i, &v) in state.stack.iter().enumerate() {
            if self.f.value_type(v) == Type::Obj && !state.is_borrowed(i) {
                // (A call's operands may hold NULL: `[NULL, f, args..]`, or `LOAD_METHOD`'s
                // first slot when it found no method.)
                let x = self.val(v)?;
                let imports = &mut self.imports;
                super::refcount::if_not_null(b, x, |b| super::refcount::decref(b, imports, x));
            }
        }
        if kind == ExitKind::Error {
            let clear = self.imports.func(b, "PyErr_Clear", &[], None);
            b.ins().call(clear, &[]);
        }
        let t = *self
            .blocks
            .get(&target)
            .ok_or_else(|| LowerError::Malformed(format!("{fs}: abandon target unreachable")))?;
        b.ins().jump(t, &[]);
        b.set_srcloc(self.loc);
        Ok(())
    }

    /// The object an exit hands over for frame-state value `v`: an `obj` as is (increfed when
    /// `borrowed`), an unboxed number boxed. A failed box gives `None` and sets `failed`.
    fn exit_object(
        &mut self,
        b: &mut FunctionBuilder,
        v: s6_strongjit::Value,
        borrowed: bool,
        failed: &mut Option<ir::Value>,
    ) -> Result<ir::Value, LowerError> {
        let x = self.val(v)?;
        let ty = self.f.value_type(v);
        if ty == Type::Obj {
            if borrowed {
                super::refcount::incref(b, x);
            }
            return Ok(x);
        }
        let op = match ty {
            Type::F64 => Opcode::BoxFloat,
            Type::I64 => Opcode::BoxInt,
            _ => Opcode::BoxBool,
        };
        let r = self.box_value(b, op, x);
        if op == Opcode::BoxBool {
            return Ok(r);
        }
        let (fix, join) = (b.create_block(), b.create_block());
        let obj = b.append_block_param(join, types::I64);
        let bad = b.append_block_param(join, types::I8);
        let before = match *failed {
            Some(f) => f,
            None => b.ins().iconst(types::I8, 0),
        };
        b.set_cold_block(fix);
        b.set_cold_block(join);
        b.ins().brif(r, join, &[r.into(), before.into()], fix, &[]);
        b.switch_to_block(fix);
        let none = self.imports.data(b, "_Py_NoneStruct");
        super::refcount::incref(b, none);
        let one = b.ins().iconst(types::I8, 1);
        b.ins().jump(join, &[none.into(), one.into()]);
        b.switch_to_block(join);
        *failed = Some(bad);
        Ok(obj)
    }

    fn fill_exit(
        &mut self,
        b: &mut FunctionBuilder,
        exit: ir::Block,
        fs: FrameStateId,
        kind: ExitKind,
        reason: String,
    ) -> Result<(), LowerError> {
        let state = self
            .f
            .frame_states
            .get(fs.index())
            .and_then(Option::as_ref)
            .ok_or_else(|| LowerError::Malformed(format!("exit names missing frame state {fs}")))?;
        if state.parent.is_some() {
            return Err(LowerError::Malformed(format!(
                "{fs}: inlined frame states are not supported"
            )));
        }
        if let Some(target) = state.abandon {
            return self.abandon(b, exit, fs, kind, target);
        }
        let site = self.cur.and_then(|i| self.exits.numbers.get(&i).copied());
        let site = site.ok_or_else(|| LowerError::Malformed("exit outside the layout".into()))?;
        self.exits.sites[site as usize] = Some(ExitSite {
            index: state.index,
            kind,
            reason,
        });
        b.set_cold_block(exit);
        b.switch_to_block(exit);
        b.set_srcloc(SourceLoc::new(state.index));
        let (ts, fr) = (self.ts.expect("ts"), self.frame.expect("frame"));
        let base = frame::LOCALSPLUS + 8 * self.f.nlocalsplus as i32;
        // Unboxed entries are boxed here; if that fails (memory), the exit becomes an error
        // exit at the same instruction with `None` in the failed slots and MemoryError set.
        let mut failed: Option<ir::Value> = None;
        for (i, &v) in state.stack.iter().enumerate() {
            let obj = self.exit_object(b, v, state.is_borrowed(i), &mut failed)?;
            b.ins()
                .store(MemFlagsData::trusted(), obj, fr, base + 8 * i as i32);
        }
        // Stale locals: the frame gets the boxed value, and what the slot held (an int, float
        // or bool box, or NULL: see `FrameState::locals`) is released.
        for &(slot, v) in &state.locals {
            let obj = self.exit_object(b, v, false, &mut failed)?;
            let at = frame::LOCALSPLUS + 8 * slot as i32;
            let old = b.ins().load(types::I64, MemFlagsData::trusted(), fr, at);
            b.ins().store(MemFlagsData::trusted(), obj, fr, at);
            let imports = &mut self.imports;
            super::refcount::if_not_null(b, old, |b| super::refcount::decref(b, imports, old));
        }
        let (next, throwflag) = match kind {
            ExitKind::Deopt => (state.index, 0),
            ExitKind::Error => (state.index + 1, 1),
        };
        let depth = state.stack.len() as i64;
        match failed {
            None => self.leave(b, ts, fr, next, depth, throwflag, site),
            Some(bad) => {
                let (oom, ok) = (b.create_block(), b.create_block());
                b.set_cold_block(oom);
                b.set_cold_block(ok);
                b.ins().brif(bad, oom, &[], ok, &[]);
                b.switch_to_block(oom);
                self.leave(b, ts, fr, state.index + 1, depth, 1, site);
                b.switch_to_block(ok);
                self.leave(b, ts, fr, next, depth, throwflag, site);
            }
        }
        b.set_srcloc(self.loc);
        Ok(())
    }
}
