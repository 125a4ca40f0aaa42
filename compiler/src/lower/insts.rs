//! Lowering of each strongjit instruction to Cranelift instructions (the one big match).

use cranelift_codegen::ir::{
    self, InstBuilder, MemFlagsData, StackSlotData, StackSlotKind, TrapCode, condcodes,
    immediates::Ieee64, types,
};
use cranelift_frontend::FunctionBuilder;
use s6_py311::layout::{code, frame};
use s6_strongjit::{FloatCC, InstData, IntCC, Opcode, Operands};

use super::LowerError;
use super::builder::{Lowerer, clif_type};
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
                let imports = &mut self.imports;
                refcount::if_not_null(b, old, |b| refcount::decref(b, imports, old));
            }
            (LoadConst, Operands::UImm { imm }) => {
                let v = self.tuple_item(b, code::CO_CONSTS, *imm);
                self.def(d, 0, v);
            }
            (LoadName, Operands::UImm { imm }) => {
                let v = self.tuple_item(b, code::CO_NAMES, *imm);
                self.def(d, 0, v);
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
                // prev_instr = (_Py_CODEUNIT *)(code + co_code_adaptive) + index
                let p = b.ins().iadd_imm_s(
                    self.code.expect("code"),
                    i64::from(code::CO_CODE_ADAPTIVE) + 2 * i64::from(*imm),
                );
                b.ins().store(tr, p, self.frame(), frame::PREV_INSTR);
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
                refcount::decref(b, &mut self.imports, v);
            }
            (Xincref, Operands::Unary { arg }) => {
                let v = self.val(*arg)?;
                refcount::if_not_null(b, v, |b| refcount::incref(b, v));
            }
            (Xdecref, Operands::Unary { arg }) => {
                let v = self.val(*arg)?;
                let imports = &mut self.imports;
                refcount::if_not_null(b, v, |b| refcount::decref(b, imports, v));
            }
            (
                Iadd | Isub | Imul | And | Or | Xor | Shl | Ashr | Fadd | Fsub | Fmul | Fdiv,
                Operands::Binary { args },
            ) => {
                let (x, y) = (self.val(args[0])?, self.val(args[1])?);
                let ins = b.ins();
                let v = match d.opcode {
                    Iadd => ins.iadd(x, y),
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
                let args = args
                    .iter()
                    .map(|&a| self.val(a))
                    .collect::<Result<Vec<_>, _>>()?;
                let call = b.ins().call(f, &args);
                if let Some(&r) = b.inst_results(call).first()
                    && !d.results.is_empty()
                {
                    self.def(d, 0, r);
                }
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
            (Raise, Operands::Raise { fs }) => {
                self.exit_here(b, *fs, ExitKind::Error, "raise".to_owned())?;
            }
            (Unreachable, _) => {
                b.ins().trap(TrapCode::unwrap_user(1));
            }
            (op, ops) => {
                return Err(LowerError::Malformed(format!("{op} with operands {ops:?}")));
            }
        }
        Ok(())
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
