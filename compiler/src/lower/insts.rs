//! Lowering of each strongjit instruction to Cranelift instructions (the one big match).

use cranelift_codegen::entity::packed_option::ReservedValue;
use cranelift_codegen::ir::{
    self, InstBuilder, MemFlagsData, StackSlotData, StackSlotKind, TrapCode, condcodes,
    immediates::Ieee64, types,
};
use cranelift_frontend::FunctionBuilder;
use s6_py311::layout::{cframe, code, float, frame, long, object, thread_state};
use s6_strongjit::{FloatCC, Function, Inst, InstData, IntCC, Opcode, Operands};

use super::LowerError;
use super::builder::{Lowerer, clif_type};
use super::caches::Name;
use super::calls::StoredOperands;
use super::exits::ExitKind;
use super::refcount;

impl Lowerer<'_> {
    pub(crate) fn inst(&mut self, b: &mut FunctionBuilder, d: &InstData) -> Result<(), LowerError> {
        use Opcode::*;
        let tr = MemFlagsData::trusted();
        match (&d.opcode, &d.operands) {
            (Iconst, Operands::IntConst { ty, imm }) => {
                let v = b.ins().iconst(clif_type(*ty), *imm);
                self.def(d, 0, v);
            }
            (Fconst, Operands::FloatConst { bits }) => {
                let v = b.ins().f64const(Ieee64::with_bits(*bits));
                self.def(d, 0, v);
            }
            (Null, _) => {
                let v = b.ins().iconst(types::I64, 0);
                self.def(d, 0, v);
            }
            (LoadLocal, Operands::UImm { imm }) => {
                let v = b
                    .ins()
                    .load(types::I64, tr, self.frame(), Self::local_offset(*imm));
                self.def(d, 0, v);
            }
            (StoreLocal, Operands::UImmValue { imm, arg }) => {
                let off = Self::local_offset(*imm);
                let old = b.ins().load(types::I64, tr, self.frame(), off);
                let new = self.val(*arg)?;
                b.ins().store(tr, new, self.frame(), off);
                self.release_old_local(b, old);
            }
            (StoreLocalFloat | StoreLocalInt, Operands::UImmValue { imm, arg }) => {
                let x = self.val(*arg)?;
                let r = self.store_local_number(b, d.opcode, *imm, x);
                self.def(d, 0, r);
            }
            (LoadConst, Operands::UImm { imm }) => {
                let v = self.tuple_item(b, code::CO_CONSTS, *imm);
                self.def(d, 0, v);
            }
            (LoadName, Operands::UImm { imm }) => {
                // A name only a site-cache helper needs is loaded on its path (`sink`).
                if !self.sunk.names.contains_key(&d.results[0]) {
                    let v = self.tuple_item(b, code::CO_NAMES, *imm);
                    self.def(d, 0, v);
                }
            }
            (LoadBinding, Operands::Binding { binding }) => {
                let gv = self.imports.bindings(b);
                let base = b.ins().symbol_value(types::I64, gv);
                let v = b.ins().load(types::I64, tr, base, 8 * binding.0 as i32);
                self.def(d, 0, v);
            }
            (BindingAddr, Operands::Binding { binding }) => {
                let gv = self.imports.bindings(b);
                let base = b.ins().symbol_value(types::I64, gv);
                let v = b.ins().iadd_imm_s(base, 8 * i64::from(binding.0));
                self.def(d, 0, v);
            }
            (SetPrevInstr, Operands::UImm { imm }) => {
                self.dealloc_line = None;
                // Only the helper's path of the site-cache call after it needs it, or only the
                // dealloc paths of the releases after it (`sink`).
                if self
                    .cur
                    .is_some_and(|i| self.sunk.dealloc_prev_instr.contains(&i))
                {
                    self.dealloc_line = Some(*imm);
                } else if self.cur.is_some_and(|i| self.sunk.prev_instr.contains(&i)) {
                    self.pending_prev_instr = Some(*imm);
                } else {
                    self.set_prev_instr(b, *imm);
                }
            }
            (StackAlloc, Operands::UImm { imm }) => {
                let slot = b.create_sized_stack_slot(StackSlotData::new(
                    StackSlotKind::ExplicitSlot,
                    *imm,
                    3,
                ));
                let v = b.ins().stack_addr(types::I64, slot, 0);
                self.def(d, 0, v);
            }
            (Load, Operands::Load { ty, ptr, offset }) => {
                let p = self.val(*ptr)?;
                let v = b.ins().load(clif_type(*ty), tr, p, *offset);
                self.def(d, 0, v);
            }
            (
                Store,
                Operands::Store {
                    ptr, offset, value, ..
                },
            ) => {
                let (p, v) = (self.val(*ptr)?, self.val(*value)?);
                b.ins().store(tr, v, p, *offset);
            }
            (Incref, Operands::Unary { arg }) => refcount::incref(b, self.val(*arg)?),
            (Decref, Operands::Unary { arg }) => {
                let v = self.val(*arg)?;
                self.release(b, v);
            }
            (Xincref, Operands::Unary { arg }) => {
                let v = self.val(*arg)?;
                refcount::if_not_null(b, v, |b| refcount::incref(b, v));
            }
            (Xdecref, Operands::Unary { arg }) => {
                let v = self.val(*arg)?;
                self.xrelease(b, v);
            }
            (ConstObj, Operands::WellKnown { obj }) => {
                let v = self.imports.data(b, obj.symbol());
                self.def(d, 0, v);
            }
            (Fneg, Operands::Unary { arg }) => {
                let v = b.ins().fneg(self.val(*arg)?);
                self.def(d, 0, v);
            }
            (
                PtrAdd | Iadd | Isub | Imul | Sdiv | Srem | And | Or | Xor | Shl | Ashr | Fadd
                | Fsub | Fmul | Fdiv,
                Operands::Binary { args },
            ) => {
                let (x, y) = (self.val(args[0])?, self.val(args[1])?);
                let ins = b.ins();
                let v = match d.opcode {
                    Iadd | PtrAdd => ins.iadd(x, y),
                    Sdiv => ins.sdiv(x, y),
                    Srem => ins.srem(x, y),
                    Isub => ins.isub(x, y),
                    Imul => ins.imul(x, y),
                    And => ins.band(x, y),
                    Or => ins.bor(x, y),
                    Xor => ins.bxor(x, y),
                    Shl => ins.ishl(x, y),
                    Ashr => ins.sshr(x, y),
                    Fadd => ins.fadd(x, y),
                    Fsub => ins.fsub(x, y),
                    Fmul => ins.fmul(x, y),
                    _ => ins.fdiv(x, y),
                };
                self.def(d, 0, v);
            }
            (IaddOvf | IsubOvf | ImulOvf, Operands::Binary { args }) => {
                let (x, y) = (self.val(args[0])?, self.val(args[1])?);
                let (v, o) = match d.opcode {
                    IaddOvf => b.ins().sadd_overflow(x, y),
                    IsubOvf => b.ins().ssub_overflow(x, y),
                    _ => b.ins().smul_overflow(x, y),
                };
                self.def(d, 0, v);
                self.def(d, 1, o);
            }
            (Icmp, Operands::IntCompare { cond, args }) => {
                let v = b
                    .ins()
                    .icmp(int_cc(*cond), self.val(args[0])?, self.val(args[1])?);
                self.def(d, 0, v);
            }
            (Fcmp, Operands::FloatCompare { cond, args }) => {
                let v = b
                    .ins()
                    .fcmp(float_cc(*cond), self.val(args[0])?, self.val(args[1])?);
                self.def(d, 0, v);
            }
            (Sitofp, Operands::Unary { arg }) => {
                let v = b.ins().fcvt_from_sint(types::F64, self.val(*arg)?);
                self.def(d, 0, v);
            }
            (Sextend | Uextend | Ireduce, Operands::UnaryTyped { ty, arg }) => {
                let (t, a) = (clif_type(*ty), self.val(*arg)?);
                let v = match d.opcode {
                    Sextend => b.ins().sextend(t, a),
                    Uextend => b.ins().uextend(t, a),
                    _ => b.ins().ireduce(t, a),
                };
                self.def(d, 0, v);
            }
            (Select, Operands::Ternary { args }) => {
                let v = b
                    .ins()
                    .select(self.val(args[0])?, self.val(args[1])?, self.val(args[2])?);
                self.def(d, 0, v);
            }
            (Call, Operands::Call { callee, args }) => {
                let params: Vec<ir::Type> = callee.params.iter().map(|&t| clif_type(t)).collect();
                let f = self
                    .imports
                    .func(b, callee.name, &params, callee.ret.map(clif_type));
                let ir_args = args;
                let inline = self
                    .cur
                    .is_none_or(|i| super::caches::inline_site(self.f, i));
                let cached = super::caches::is_inlined(callee.name) && inline;
                // A sunk `set_prev_instr` goes on the helper's path; any other call sets it here.
                let pending = self.pending_prev_instr.take();
                if let (Some(index), false) = (pending, cached) {
                    self.set_prev_instr(b, index);
                }
                let args = args
                    .iter()
                    .map(|&a| match cached {
                        // A sunk name is loaded where a path needs it (`Name`); its slot here
                        // is a placeholder no instruction receives.
                        true if self.sunk.names.contains_key(&a) => Ok(ir::Value::reserved_value()),
                        _ => self.val(a),
                    })
                    .collect::<Result<Vec<_>, _>>()?;
                // Cold code calls the helpers: their inline fast paths are hundreds of bytes
                // per site, worth it only where code runs often (see `Function::cold` and
                // `caches::inline_site`).
                let cold = !inline;
                if callee.name == "s6_rt_call"
                    && !cold
                    && let Some((base, n)) = self.direct_call_operands(d)
                {
                    let kind = d.loc.and_then(|at| self.f.call_site_kind(at));
                    let stored = self.stored_operands(base, n)?;
                    let r = self.direct_call(b, base, n, kind, &stored, &mut |_, b| {
                        let call = b.ins().call(f, &args);
                        b.inst_results(call)[0]
                    });
                    self.def(d, 0, r);
                    return Ok(());
                }
                if callee.name == s6_profiles::abi::EVAL_BREAKER {
                    let r = self.eval_breaker_poll(b, &mut |_, b| {
                        let call = b.ins().call(f, &args);
                        b.inst_results(call)[0]
                    });
                    self.def(d, 0, r);
                    return Ok(());
                }
                if super::caches::is_inlined(callee.name) && !cold {
                    // A load's NULL check and the tracing check after it matter only where
                    // the helper ran: the inline hit runs no Python code (an incref, no
                    // decref) and has a value. A store's hit decrefs the old value, which can
                    // run `__del__`, so its checks stay where they are; but when the stored
                    // value's release follows the call, the hit moves that reference into the
                    // attribute (as 3.11's `STORE_ATTR_INSTANCE_VALUE` does) and the release
                    // is the helper's path's alone.
                    let store = matches!(
                        callee.name,
                        "s6_rt_store_attr_cached" | "s6_rt_store_global_cached"
                    );
                    let follow = if store {
                        self.release_after(ir_args[2])
                    } else {
                        self.checks_after(d)
                    };
                    self.store_steals = store && !follow.is_empty();
                    let mut failed = None;
                    let name = match self.sunk.names.get(&ir_args[1]) {
                        Some(&index) => Name::Sunk(index),
                        None => Name::Value(args[1]),
                    };
                    let r = self.cached_call(b, callee.name, &args, name, &mut |l, b| {
                        if let Some(index) = pending {
                            l.set_prev_instr(b, index);
                        }
                        let mut args = args.clone();
                        args[1] = l.name_value(b, name);
                        let call = b.ins().call(f, &args);
                        let r = b.inst_results(call)[0];
                        l.def(d, 0, r);
                        let (func, call_inst) = (l.f, l.cur);
                        for &i in follow {
                            // Exits are numbered by the instruction they belong to.
                            l.cur = Some(i);
                            if let Err(e) = l.inst(b, func.inst(i)) {
                                failed.get_or_insert(e);
                            }
                        }
                        l.cur = call_inst;
                        r
                    });
                    self.store_steals = false;
                    if let Some(e) = failed {
                        return Err(e);
                    }
                    self.skip = follow.len();
                    self.def(d, 0, r);
                    return Ok(());
                }
                let call = b.ins().call(f, &args);
                if let Some(&r) = b.inst_results(call).first()
                    && !d.results.is_empty()
                {
                    self.def(d, 0, r);
                }
            }
            (NativeIs, Operands::Symbol { arg, symbol }) => {
                let f = self.val(*arg)?;
                let r = self.native_is(b, f, symbol);
                self.def(d, 0, r);
            }
            (CheckNull | CheckNeg, Operands::Check { arg, fs }) => {
                let v = self.val(*arg)?;
                let failed = if d.opcode == CheckNull {
                    b.ins().icmp_imm_s(condcodes::IntCC::Equal, v, 0)
                } else {
                    b.ins().icmp_imm_s(condcodes::IntCC::SignedLessThan, v, 0)
                };
                let reason = self.error_reason(*arg, d.opcode);
                self.exit_if(b, failed, *fs, ExitKind::Error, reason)?;
            }
            (DeoptIf, Operands::DeoptIf { cond, fs, reason }) => {
                let c = self.val(*cond)?;
                self.exit_if(b, c, *fs, ExitKind::Deopt, reason.clone())?;
            }
            (Jump, Operands::Jump { dest }) => {
                let (t, args) = self.block_args(dest)?;
                b.ins().jump(t, &args);
            }
            // The handler edges are taken from error exits (`exits::catch`), not from here.
            (Entry, Operands::Entry { body, .. }) => {
                let (t, args) = self.block_args(body)?;
                b.ins().jump(t, &args);
            }
            (
                Branch,
                Operands::Branch {
                    cond,
                    then_dest,
                    else_dest,
                },
            ) => {
                let c = self.val(*cond)?;
                let (t, targs) = self.block_args(then_dest)?;
                let (e, eargs) = self.block_args(else_dest)?;
                b.ins().brif(c, t, &targs, e, &eargs);
            }
            (Return, Operands::Unary { arg }) => {
                let v = self.val(*arg)?;
                b.ins().return_(&[v]);
            }
            (Deopt, Operands::Deopt { fs, reason }) => {
                self.exit_here(b, *fs, ExitKind::Deopt, reason.clone())?;
            }
            (CheckTracing, Operands::Raise { fs }) => {
                let cf = self.cframe(b);
                let on = b.ins().load(types::I8, tr, cf, cframe::USE_TRACING);
                self.exit_if(b, on, *fs, ExitKind::Deopt, "tracing enabled".into())?;
            }
            (Raise, Operands::Raise { fs }) => {
                self.exit_here(b, *fs, ExitKind::Error, "raise".to_owned())?;
            }
            (Unreachable, _) => {
                b.ins().trap(TrapCode::unwrap_user(1));
            }
            (GuardType, Operands::GuardType { arg, binding, fs }) => {
                let v = self.val(*arg)?;
                let t = b.ins().load(types::I64, tr, v, object::OB_TYPE);
                let gv = self.imports.bindings(b);
                let base = b.ins().symbol_value(types::I64, gv);
                let want = b.ins().load(types::I64, tr, base, 8 * binding.0 as i32);
                let differs = b.ins().icmp(condcodes::IntCC::NotEqual, t, want);
                let name = match self.f.binding(*binding) {
                    s6_strongjit::BindingKind::Type(n) => n.clone(),
                    other => format!("{other:?}"),
                };
                self.guard(b, differs, *fs, format!("type guard: expected {name}"))?;
                self.def(d, 0, v);
            }
            (UnboxFloat, Operands::Unary { arg }) => {
                let v = self.val(*arg)?;
                let x = b.ins().load(types::F64, tr, v, float::OB_FVAL);
                self.def(d, 0, x);
            }
            (UnboxInt, Operands::Check { arg, fs }) => {
                let v = self.val(*arg)?;
                let x = self.unbox_int(b, v, *fs)?;
                self.def(d, 0, x);
            }
            (UnboxNumber, Operands::Check { arg, fs }) => {
                let v = self.val(*arg)?;
                let (x, isf) = self.unbox_number(b, v, *fs)?;
                self.def(d, 0, x);
                self.def(d, 1, isf);
            }
            (BoxFloat | BoxInt, Operands::Unary { arg }) => {
                let x = self.val(*arg)?;
                let r = self.box_value(b, d.opcode, x);
                self.def(d, 0, r);
            }
            (ReboxFloat | ReboxInt, Operands::Binary { args: [old, x] }) => {
                let (old, x) = (self.val(*old)?, self.val(*x)?);
                let r = self.rebox(b, d.opcode == ReboxFloat, old, x);
                self.def(d, 0, r);
            }
            (BoxBool, Operands::Unary { arg }) => {
                let c = self.val(*arg)?;
                let r = self.box_value(b, d.opcode, c);
                self.def(d, 0, r);
            }
            (Py, Operands::Py { op, .. }) => {
                return Err(LowerError::Malformed(format!(
                    "py.{} reached lowering: run `legalize` first",
                    op.name()
                )));
            }
            (op, ops) => {
                return Err(LowerError::Malformed(format!("{op} with operands {ops:?}")));
            }
        }
        Ok(())
    }
}

impl<'f> Lowerer<'f> {
    /// The values the instructions just before the current call (in its block, after the
    /// last instruction that could write the frame's slots or run code) stored to the slots of
    /// its operands, `base .. base + n + 2`.
    fn stored_operands(&self, base: i64, n: i64) -> Result<StoredOperands, LowerError> {
        let mut out = StoredOperands {
            values: vec![None; (n + 2) as usize],
            first_null: false,
        };
        let (Some((blk, at)), Some(entry)) = (self.cur_at, self.f.entry()) else {
            return Ok(out);
        };
        let Some(&fr) = self.f.block(entry).params.get(1) else {
            return Ok(out);
        };
        let insts = &self.f.block(blk).insts;
        let slots = frame::LOCALSPLUS + 8 * base as i32;
        for &i in insts[..at].iter().rev() {
            let data = self.f.inst(i);
            match (&data.opcode, &data.operands) {
                (
                    Opcode::Store,
                    Operands::Store {
                        ptr, offset, value, ..
                    },
                ) if *ptr == fr => {
                    let rel = offset - slots;
                    let k = rel / 8;
                    if rel >= 0 && rel % 8 == 0 && (k as i64) < n + 2 {
                        let k = k as usize;
                        if out.values[k].is_none() {
                            out.values[k] = Some(self.val(*value)?);
                            if k == 0 {
                                out.first_null = matches!(
                                    self.f.value_def(*value),
                                    s6_strongjit::ValueDef::Result(d, 0)
                                        if self.f.inst(d).opcode == Opcode::Null
                                );
                            }
                        }
                    }
                }
                // Neither writes the slots nor runs code.
                (Opcode::SetPrevInstr | Opcode::Iconst | Opcode::Null | Opcode::Incref, _) => {}
                _ => break,
            }
        }
        Ok(out)
    }

    /// The instructions right after the call `d` in its block that check it: a `check_null`
    /// of its result, then a `check_tracing` (either may be absent; nothing else is taken).
    /// The `decref v` right after the current instruction, if there is one.
    fn release_after(&self, v: s6_strongjit::Value) -> &'f [Inst] {
        let f: &'f Function = self.f;
        let Some((blk, at)) = self.cur_at else {
            return &[];
        };
        let after = &f.block(blk).insts[at + 1..];
        match after.first() {
            Some(&i)
                if f.inst(i).opcode == Opcode::Decref
                    && matches!(f.inst(i).operands, Operands::Unary { arg } if arg == v) =>
            {
                &after[..1]
            }
            _ => &[],
        }
    }

    fn checks_after(&self, d: &InstData) -> &'f [Inst] {
        let f: &'f Function = self.f;
        let Some((blk, at)) = self.cur_at else {
            return &[];
        };
        let after = &f.block(blk).insts[at + 1..];
        let mut n = 0;
        if let Some(&i) = after.first()
            && let Operands::Check { arg, .. } = &f.inst(i).operands
            && f.inst(i).opcode == Opcode::CheckNull
            && d.results.first() == Some(arg)
        {
            n = 1;
        }
        if after
            .get(n)
            .is_some_and(|&i| f.inst(i).opcode == Opcode::CheckTracing)
        {
            n += 1;
        }
        &after[..n]
    }

    /// `(base, n)` of a `call s6_rt_call(f, base, n, kw)` whose base and count are constants
    /// and whose keyword names are NULL, when a direct call may apply.
    fn direct_call_operands(&self, d: &InstData) -> Option<(i64, i64)> {
        let Operands::Call { args, .. } = &d.operands else {
            return None;
        };
        let constant = |v: s6_strongjit::Value| match self.f.value_def(v) {
            s6_strongjit::ValueDef::Result(i, 0) => match self.f.inst(i).operands {
                Operands::IntConst { imm, .. } => Some(imm),
                _ => None,
            },
            _ => None,
        };
        let kw_null = matches!(
            self.f.value_def(args[3]),
            s6_strongjit::ValueDef::Result(i, 0) if self.f.inst(i).opcode == Opcode::Null
        );
        let (base, n) = (constant(args[1])?, constant(args[2])?);
        Self::direct_call_shape(n, kw_null).then_some((base, n))
    }

    /// `s6_rt_eval_breaker(ts)` with its common answer inline: when the interpreter has
    /// nothing pending (`ts->interp->ceval.eval_breaker` is 0) and `S6_DEOPT_STRESS` is off,
    /// the result is 0 without the call; otherwise the helper decides, as before.
    pub(crate) fn eval_breaker_poll(
        &mut self,
        b: &mut FunctionBuilder,
        call: &mut dyn FnMut(&mut Self, &mut FunctionBuilder) -> ir::Value,
    ) -> ir::Value {
        let tr = MemFlagsData::trusted();
        let ts = self.ts.expect("ts");
        let interp = b.ins().load(types::I64, tr, ts, thread_state::INTERP);
        let pending = b.ins().load(
            types::I32,
            tr,
            interp,
            s6_py311::layout::interp::EVAL_BREAKER,
        );
        let cell = self.imports.data(b, s6_profiles::abi::STRESS_EVERY);
        let every = b.ins().load(types::I32, tr, cell, 0);
        let either = b.ins().bor(pending, every);
        let (slow, done) = (b.create_block(), b.create_block());
        let result = b.append_block_param(done, types::I32);
        b.set_cold_block(slow);
        let zero = b.ins().iconst(types::I32, 0);
        b.ins().brif(either, slow, &[], done, &[zero.into()]);
        b.switch_to_block(slow);
        let r = call(self, b);
        b.ins().jump(done, &[r.into()]);
        b.switch_to_block(done);
        result
    }

    /// Leaves at `fs` (a deopt) when `fails` is non-zero, or when `S6_DEOPT_STRESS` is on and
    /// its poll says this guard must fail.
    pub(crate) fn guard(
        &mut self,
        b: &mut FunctionBuilder,
        fails: ir::Value,
        fs: s6_strongjit::FrameStateId,
        reason: String,
    ) -> Result<(), LowerError> {
        let fails = match self.stress {
            None => fails,
            Some(every) => {
                let (poll, join) = (b.create_block(), b.create_block());
                let joined = b.append_block_param(join, types::I8);
                b.set_cold_block(poll);
                b.ins().brif(every, poll, &[], join, &[fails.into()]);
                b.switch_to_block(poll);
                let f = self.imports.func(
                    b,
                    s6_profiles::abi::DEOPT_STRESS,
                    &[types::I64],
                    Some(types::I32),
                );
                let call = b.ins().call(f, &[self.ts.expect("ts")]);
                let fire = b.inst_results(call)[0];
                let fire = b.ins().icmp_imm_s(condcodes::IntCC::NotEqual, fire, 0);
                let both = b.ins().bor(fails, fire);
                b.ins().jump(join, &[both.into()]);
                b.switch_to_block(join);
                joined
            }
        };
        self.exit_if(b, fails, fs, ExitKind::Deopt, reason)
    }

    /// The value of an `int` of at most two 30-bit digits (deopts at `fs` otherwise).
    fn unbox_int(
        &mut self,
        b: &mut FunctionBuilder,
        v: ir::Value,
        fs: s6_strongjit::FrameStateId,
    ) -> Result<ir::Value, LowerError> {
        use condcodes::IntCC as C;
        let tr = MemFlagsData::trusted();
        let size = b.ins().load(types::I64, tr, v, long::OB_SIZE);
        let biased = b.ins().iadd_imm_s(size, 2);
        let big = b.ins().icmp_imm_u(C::UnsignedGreaterThan, biased, 4);
        self.guard(b, big, fs, "int too large to unbox".into())?;
        let d0 = b.ins().uload32(tr, v, long::OB_DIGIT);
        let neg = b.ins().icmp_imm_s(C::SignedLessThan, size, 0);
        let abs = b.ins().iabs(size);
        let two = b.ins().icmp_imm_s(C::Equal, abs, 2);
        let (lo, hi, join) = (b.create_block(), b.create_block(), b.create_block());
        let r = b.append_block_param(join, types::I64);
        b.ins().brif(two, hi, &[], lo, &[]);
        b.switch_to_block(lo);
        // size is -1, 0 or 1: the value is size * digit (0 whatever the digit holds).
        let small = b.ins().imul(size, d0);
        b.ins().jump(join, &[small.into()]);
        b.switch_to_block(hi);
        let d1 = b.ins().uload32(tr, v, long::OB_DIGIT + long::DIGIT_SIZE);
        let shifted = b.ins().ishl_imm_s(d1, i64::from(long::SHIFT));
        let mag = b.ins().bor(d0, shifted);
        let negated = b.ins().ineg(mag);
        let wide = b.ins().select(neg, negated, mag);
        b.ins().jump(join, &[wide.into()]);
        b.switch_to_block(join);
        Ok(r)
    }

    /// `unbox_number`: (double, is_float) of a `float` or of an `int` that a double holds
    /// exactly; deopts at `fs` otherwise.
    fn unbox_number(
        &mut self,
        b: &mut FunctionBuilder,
        v: ir::Value,
        fs: s6_strongjit::FrameStateId,
    ) -> Result<(ir::Value, ir::Value), LowerError> {
        use condcodes::IntCC as C;
        let tr = MemFlagsData::trusted();
        let t = b.ins().load(types::I64, tr, v, object::OB_TYPE);
        let float_type = self.imports.data(b, "PyFloat_Type");
        let is_float = b.ins().icmp(C::Equal, t, float_type);
        let (fl, int, join) = (b.create_block(), b.create_block(), b.create_block());
        let x = b.append_block_param(join, types::F64);
        let isf = b.append_block_param(join, types::I8);
        b.ins().brif(is_float, fl, &[], int, &[]);
        b.switch_to_block(fl);
        let fx = b.ins().load(types::F64, tr, v, float::OB_FVAL);
        let one = b.ins().iconst(types::I8, 1);
        b.ins().jump(join, &[fx.into(), one.into()]);
        b.switch_to_block(int);
        let long_type = self.imports.data(b, "PyLong_Type");
        let not_int = b.ins().icmp(C::NotEqual, t, long_type);
        self.guard(
            b,
            not_int,
            fs,
            "type guard: expected builtins.float or builtins.int".into(),
        )?;
        let i = self.unbox_int(b, v, fs)?;
        // |i| <= 2^53  <=>  i + 2^53 <=u 2^54
        let shifted = b.ins().iadd_imm_s(i, 1 << 53);
        let inexact = b.ins().icmp_imm_u(C::UnsignedGreaterThan, shifted, 1 << 54);
        self.guard(b, inexact, fs, "int too large for a double".into())?;
        let ix = b.ins().fcvt_from_sint(types::F64, i);
        let zero = b.ins().iconst(types::I8, 0);
        b.ins().jump(join, &[ix.into(), zero.into()]);
        b.switch_to_block(join);
        Ok((x, isf))
    }

    /// `store_local_float`/`store_local_int`: the local's own object updated in place when it
    /// is an exact float (a one-digit int, for a one-digit result that is not a small int) with
    /// reference count 1, else a new box stored and the old value released. Returns the object
    /// now in the local (borrowed), or NULL on memory error with the local unchanged.
    pub(crate) fn store_local_number(
        &mut self,
        b: &mut FunctionBuilder,
        op: Opcode,
        slot: u32,
        x: ir::Value,
    ) -> ir::Value {
        let tr = MemFlagsData::trusted();
        let off = Self::local_offset(slot);
        let fr = self.frame();
        let old = b.ins().load(types::I64, tr, fr, off);
        let (check, reuse, fresh, done) = (
            b.create_block(),
            b.create_block(),
            b.create_block(),
            b.create_block(),
        );
        let r = b.append_block_param(done, types::I64);
        if self.cur.is_some_and(|i| self.bound.contains(&i)) {
            b.ins().jump(check, &[]);
        } else {
            b.ins().brif(old, check, &[], fresh, &[]);
        }
        b.switch_to_block(check);
        let float = op == Opcode::StoreLocalFloat;
        let ok = self.reusable_number(b, float, old, x);
        b.ins().brif(ok, reuse, &[], fresh, &[]);
        b.switch_to_block(reuse);
        Self::write_number(b, float, old, x);
        b.ins().jump(done, &[old.into()]);
        b.switch_to_block(fresh);
        let boxed = self.box_value(
            b,
            if float {
                Opcode::BoxFloat
            } else {
                Opcode::BoxInt
            },
            x,
        );
        let (store, failed) = (b.create_block(), b.create_block());
        b.set_cold_block(failed);
        b.ins().brif(boxed, store, &[], failed, &[]);
        b.switch_to_block(failed);
        let null = b.ins().iconst(types::I64, 0);
        b.ins().jump(done, &[null.into()]);
        b.switch_to_block(store);
        b.ins().store(tr, boxed, fr, off);
        self.release_old_local(b, old);
        b.ins().jump(done, &[boxed.into()]);
        b.switch_to_block(done);
        r
    }

    /// Whether `old` (not NULL) can take the value `x` in place: an exact `float` (a `float`
    /// x), or an exact one-digit `int` while `x` has one digit and is not a small int (small
    /// ints are the interpreter's shared objects), that only one reference holds.
    fn reusable_number(
        &mut self,
        b: &mut FunctionBuilder,
        float: bool,
        old: ir::Value,
        x: ir::Value,
    ) -> ir::Value {
        let tr = MemFlagsData::trusted();
        let want = self
            .imports
            .data(b, if float { "PyFloat_Type" } else { "PyLong_Type" });
        let t = b.ins().load(types::I64, tr, old, object::OB_TYPE);
        let same_type = b.ins().icmp(condcodes::IntCC::Equal, t, want);
        let rc = b.ins().load(types::I64, tr, old, object::OB_REFCNT);
        let only_one = b.ins().icmp_imm_s(condcodes::IntCC::Equal, rc, 1);
        let mut ok = b.ins().band(same_type, only_one);
        if !float {
            use s6_py311::layout::runtime as rt;
            // The old object has one digit ...
            let size = b.ins().load(types::I64, tr, old, long::OB_SIZE);
            let biased = b.ins().iadd_imm_s(size, 1);
            let one_digit = b.ins().icmp_imm_u(condcodes::IntCC::Equal, biased, 0);
            let one_digit2 = b.ins().icmp_imm_u(condcodes::IntCC::Equal, biased, 2);
            let one_digit = b.ins().bor(one_digit, one_digit2);
            // ... and so does x (|x| < 2^30), which is not a small int.
            let limit = 1i64 << long::SHIFT;
            let shifted = b.ins().iadd_imm_s(x, limit - 1);
            let fits =
                b.ins()
                    .icmp_imm_u(condcodes::IntCC::UnsignedLessThan, shifted, 2 * limit - 1);
            let from_min = b.ins().iadd_imm_s(x, -rt::SMALL_INT_MIN);
            let small = b.ins().icmp_imm_u(
                condcodes::IntCC::UnsignedLessThan,
                from_min,
                rt::SMALL_INT_MAX - rt::SMALL_INT_MIN + 1,
            );
            let not_small = b.ins().bxor_imm_u(small, 1);
            ok = b.ins().band(ok, one_digit);
            ok = b.ins().band(ok, fits);
            ok = b.ins().band(ok, not_small);
        }
        ok
    }

    /// Writes `x` into `old`, which [`Self::reusable_number`] accepted.
    fn write_number(b: &mut FunctionBuilder, float: bool, old: ir::Value, x: ir::Value) {
        let tr = MemFlagsData::trusted();
        if float {
            b.ins().store(tr, x, old, float::OB_FVAL);
        } else {
            let neg = b.ins().icmp_imm_s(condcodes::IntCC::SignedLessThan, x, 0);
            let minus = b.ins().iconst(types::I64, -1);
            let plus = b.ins().iconst(types::I64, 1);
            let sign = b.ins().select(neg, minus, plus);
            let negated = b.ins().ineg(x);
            let magnitude = b.ins().select(neg, negated, x);
            let digit = b.ins().ireduce(types::I32, magnitude);
            b.ins().store(tr, sign, old, long::OB_SIZE);
            b.ins().store(tr, digit, old, long::OB_DIGIT);
        }
    }

    /// `rebox_float old, x` / `rebox_int old, x`: `old` with its value replaced and one more
    /// reference when [`Self::reusable_number`] accepts it, else a new float or int (NULL on
    /// memory error).
    fn rebox(
        &mut self,
        b: &mut FunctionBuilder,
        float: bool,
        old: ir::Value,
        x: ir::Value,
    ) -> ir::Value {
        let tr = MemFlagsData::trusted();
        let (reuse, fresh, done) = (b.create_block(), b.create_block(), b.create_block());
        let r = b.append_block_param(done, types::I64);
        let ok = self.reusable_number(b, float, old, x);
        b.ins().brif(ok, reuse, &[], fresh, &[]);
        b.switch_to_block(reuse);
        Self::write_number(b, float, old, x);
        let two = b.ins().iconst(types::I64, 2);
        b.ins().store(tr, two, old, object::OB_REFCNT);
        b.ins().jump(done, &[old.into()]);
        b.switch_to_block(fresh);
        let op = if float {
            Opcode::BoxFloat
        } else {
            Opcode::BoxInt
        };
        let boxed = self.box_value(b, op, x);
        b.ins().jump(done, &[boxed.into()]);
        b.switch_to_block(done);
        r
    }

    /// A new reference boxing `x` as `box_float`/`box_int`/`box_bool` do (NULL on memory
    /// error for the first two).
    pub(crate) fn box_value(
        &mut self,
        b: &mut FunctionBuilder,
        op: Opcode,
        x: ir::Value,
    ) -> ir::Value {
        match op {
            Opcode::BoxFloat => {
                let f = self
                    .imports
                    .func(b, "PyFloat_FromDouble", &[types::F64], Some(types::I64));
                let call = b.ins().call(f, &[x]);
                b.inst_results(call)[0]
            }
            Opcode::BoxInt => {
                // A small int is the interpreter's static object (what `PyLong_FromLongLong`
                // returns for it), taken inline; any other value is allocated by the call.
                let (small, big, done) = (b.create_block(), b.create_block(), b.create_block());
                let r = b.append_block_param(done, types::I64);
                use s6_py311::layout::runtime as rt;
                let biased = b.ins().iadd_imm_s(x, -rt::SMALL_INT_MIN);
                let span = rt::SMALL_INT_MAX - rt::SMALL_INT_MIN + 1;
                let in_table = b
                    .ins()
                    .icmp_imm_u(condcodes::IntCC::UnsignedLessThan, biased, span);
                b.ins().brif(in_table, small, &[], big, &[]);
                b.switch_to_block(small);
                let runtime = self.imports.data(b, "_PyRuntime");
                let at = b.ins().imul_imm_s(biased, i64::from(rt::SMALL_INT_SIZE));
                let table = b.ins().iadd_imm_s(runtime, i64::from(rt::SMALL_INTS));
                let obj = b.ins().iadd(table, at);
                refcount::incref(b, obj);
                b.ins().jump(done, &[obj.into()]);
                b.switch_to_block(big);
                let f =
                    self.imports
                        .func(b, "PyLong_FromLongLong", &[types::I64], Some(types::I64));
                let call = b.ins().call(f, &[x]);
                let made = b.inst_results(call)[0];
                b.ins().jump(done, &[made.into()]);
                b.switch_to_block(done);
                r
            }
            _ => {
                let t = self.imports.data(b, "_Py_TrueStruct");
                let f = self.imports.data(b, "_Py_FalseStruct");
                let r = b.ins().select(x, t, f);
                refcount::incref(b, r);
                r
            }
        }
    }
}

fn int_cc(c: IntCC) -> condcodes::IntCC {
    use condcodes::IntCC as C;
    match c {
        IntCC::Eq => C::Equal,
        IntCC::Ne => C::NotEqual,
        IntCC::Slt => C::SignedLessThan,
        IntCC::Sle => C::SignedLessThanOrEqual,
        IntCC::Sgt => C::SignedGreaterThan,
        IntCC::Sge => C::SignedGreaterThanOrEqual,
        IntCC::Ult => C::UnsignedLessThan,
        IntCC::Ule => C::UnsignedLessThanOrEqual,
        IntCC::Ugt => C::UnsignedGreaterThan,
        IntCC::Uge => C::UnsignedGreaterThanOrEqual,
    }
}

/// strongjit float comparisons are ordered except `ne` (true when unordered).
fn float_cc(c: FloatCC) -> condcodes::FloatCC {
    use condcodes::FloatCC as C;
    match c {
        FloatCC::Eq => C::Equal,
        FloatCC::Ne => C::NotEqual,
        FloatCC::Lt => C::LessThan,
        FloatCC::Le => C::LessThanOrEqual,
        FloatCC::Gt => C::GreaterThan,
        FloatCC::Ge => C::GreaterThanOrEqual,
    }
}
