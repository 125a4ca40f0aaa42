//! strongjit -> Cranelift IR, instruction by instruction. Blocks are visited in reverse
//! post-order so every value is defined before its uses; strongjit values map 1:1 onto
//! Cranelift values (both are SSA with block parameters), so no `Variable`s are needed.

use std::collections::HashMap;

use cranelift_codegen::ir::{
    self, AbiParam, BlockArg, ExtFuncData, ExternalName, FuncRef, GlobalValue, GlobalValueData,
    InstBuilder, MemFlagsData, Signature, SourceLoc, StackSlotData, StackSlotKind, TrapCode,
    UserExternalName, UserFuncName, condcodes, immediates::Ieee64, immediates::Imm64, types,
};
use cranelift_codegen::isa::{CallConv, TargetIsa};
use cranelift_frontend::{FunctionBuilder, FunctionBuilderContext};
use s6_profiles::manifest::ExitSite;
use s6_py311::layout::{code, frame, tuple};
use s6_strongjit::{
    Block, BlockCall, FloatCC, Function, Inst, InstData, IntCC, Opcode, Operands, Type, Value,
};

use super::LowerError;
use super::exits::{ExitKind, Exits};
use super::refcount;

/// `UserExternalName` namespace of imported functions (index into [`Built::imports`]).
pub(crate) const NS_IMPORT: u32 = 0;
/// `UserExternalName` namespace of the binding table symbol (index 0).
pub(crate) const NS_BINDINGS: u32 = 1;

/// The Cranelift function and what the compiled code will refer to.
pub struct Built {
    pub func: ir::Function,
    /// Imported symbol names, indexed by `UserExternalName::index` in namespace [`NS_IMPORT`].
    pub imports: Vec<String>,
    pub exits: Vec<ExitSite>,
}

/// The function's imports, declared on first use.
#[derive(Default)]
pub(crate) struct Imports {
    names: Vec<String>,
    refs: HashMap<String, FuncRef>,
    bindings: Option<GlobalValue>,
}

impl Imports {
    pub(crate) fn func(
        &mut self,
        b: &mut FunctionBuilder,
        name: &str,
        params: &[ir::Type],
        ret: Option<ir::Type>,
    ) -> FuncRef {
        if let Some(&r) = self.refs.get(name) {
            return r;
        }
        let index = self.names.len() as u32;
        self.names.push(name.to_owned());
        let mut sig = Signature::new(CallConv::SystemV);
        // C passes bool/char zero-extended to 32 bits (clang relies on it).
        sig.params.extend(params.iter().map(|&t| abi_param(t)));
        sig.returns.extend(ret.map(AbiParam::new));
        let signature = b.import_signature(sig);
        let uname = b
            .func
            .declare_imported_user_function(UserExternalName::new(NS_IMPORT, index));
        let r = b.import_function(ExtFuncData {
            name: ExternalName::user(uname),
            signature,
            colocated: false,
            patchable: false,
        });
        self.refs.insert(name.to_owned(), r);
        r
    }

    /// The binding table's base address (rip-relative, the object's own data).
    fn bindings(&mut self, b: &mut FunctionBuilder) -> GlobalValue {
        *self.bindings.get_or_insert_with(|| {
            let uname = b
                .func
                .declare_imported_user_function(UserExternalName::new(NS_BINDINGS, 0));
            b.create_global_value(GlobalValueData::Symbol {
                name: ExternalName::user(uname),
                offset: Imm64::new(0),
                colocated: true,
                tls: false,
            })
        })
    }
}

fn abi_param(t: ir::Type) -> AbiParam {
    if t == types::I8 {
        AbiParam::new(t).uext()
    } else {
        AbiParam::new(t)
    }
}

/// The Cranelift type of a strongjit type (objects and raw pointers are i64).
pub(crate) fn clif_type(t: Type) -> ir::Type {
    match t {
        Type::Obj | Type::Ptr | Type::I64 => types::I64,
        Type::I32 => types::I32,
        Type::I8 => types::I8,
        Type::F64 => types::F64,
    }
}

/// Builds the Cranelift IR of `func`.
pub fn build_clif(isa: &dyn TargetIsa, func: &Function) -> Result<Built, LowerError> {
    let entry = func
        .entry()
        .ok_or_else(|| LowerError::Malformed("no blocks".into()))?;
    if func.block(entry).params.len() != 2 {
        return Err(LowerError::Malformed(
            "entry block must take (ts, frame)".into(),
        ));
    }
    let mut cfunc = ir::Function::with_name_signature(UserFuncName::user(0, 0), entry_signature());
    let mut fbc = FunctionBuilderContext::new();
    let mut b = FunctionBuilder::new(&mut cfunc, &mut fbc);
    let mut l = Lowerer {
        f: func,
        vals: vec![None; func.values.len()],
        blocks: HashMap::new(),
        imports: Imports::default(),
        exits: Exits::default(),
        ts: None,
        frame: None,
        code: None,
        loc: SourceLoc::default(),
        cur: None,
    };

    // Pre-entry block: function params, f_code (constant for the frame's life).
    let pre = b.create_block();
    b.append_block_params_for_function_params(pre);
    b.switch_to_block(pre);
    let (ts, fr) = (b.block_params(pre)[0], b.block_params(pre)[1]);
    let code = b.ins().load(
        types::I64,
        MemFlagsData::trusted().with_readonly(),
        fr,
        frame::F_CODE,
    );
    (l.ts, l.frame, l.code) = (Some(ts), Some(fr), Some(code));

    let order = reverse_postorder(func, entry);
    // Exit sites are numbered in layout order (stable, readable), not lowering order.
    let mut reachable = vec![false; func.blocks.len()];
    order.iter().for_each(|b| reachable[b.index()] = true);
    let exit_insts = func
        .layout
        .iter()
        .filter(|b| reachable[b.index()])
        .flat_map(|&b| func.block(b).insts.iter().copied());
    let exit_insts: Vec<Inst> = exit_insts
        .filter(|&i| func.inst(i).operands.frame_state().is_some())
        .collect();
    l.exits.sites = vec![None; exit_insts.len()];
    l.exits.numbers = exit_insts
        .iter()
        .enumerate()
        .map(|(n, &i)| (i, n as u32))
        .collect();
    for &blk in &order {
        let cb = b.create_block();
        for &p in &func.block(blk).params {
            let v = b.append_block_param(cb, clif_type(func.value_type(p)));
            l.vals[p.index()] = Some(v);
        }
        l.blocks.insert(blk, cb);
    }
    let first = l.blocks[&entry];
    b.ins()
        .jump(first, &[BlockArg::Value(ts), BlockArg::Value(fr)]);

    for &blk in &order {
        b.switch_to_block(l.blocks[&blk]);
        for &inst in &func.block(blk).insts {
            let data = func.inst(inst);
            l.cur = Some(inst);
            if let Some(loc) = data.loc {
                l.loc = SourceLoc::new(loc);
                b.set_srcloc(l.loc);
            }
            l.inst(&mut b, data)?;
        }
    }
    b.seal_all_blocks();
    b.finalize(isa.frontend_config());
    let exits = l
        .exits
        .sites
        .into_iter()
        .map(|s| s.expect("every reachable exit lowered"))
        .collect();
    Ok(Built {
        func: cfunc,
        imports: l.imports.names,
        exits,
    })
}

/// `(ts: i64, frame: i64) -> i64`, System V.
pub(crate) fn entry_signature() -> Signature {
    let mut sig = Signature::new(CallConv::SystemV);
    sig.params
        .extend([AbiParam::new(types::I64), AbiParam::new(types::I64)]);
    sig.returns.push(AbiParam::new(types::I64));
    sig
}

fn reverse_postorder(f: &Function, entry: Block) -> Vec<Block> {
    let mut seen = vec![false; f.blocks.len()];
    let mut post = Vec::new();
    // Iterative DFS: (block, next successor to visit).
    let mut stack = vec![(entry, 0usize)];
    seen[entry.index()] = true;
    while let Some((blk, i)) = stack.pop() {
        let succs: Vec<Block> = f
            .block(blk)
            .insts
            .last()
            .map(|&t| {
                f.inst(t)
                    .operands
                    .successors()
                    .iter()
                    .map(|c| c.block)
                    .collect()
            })
            .unwrap_or_default();
        if let Some(&s) = succs.get(i) {
            stack.push((blk, i + 1));
            if !seen[s.index()] {
                seen[s.index()] = true;
                stack.push((s, 0));
            }
        } else {
            post.push(blk);
        }
    }
    post.reverse();
    post
}

pub(crate) struct Lowerer<'f> {
    pub(crate) f: &'f Function,
    vals: Vec<Option<ir::Value>>,
    blocks: HashMap<Block, ir::Block>,
    pub(crate) imports: Imports,
    pub(crate) exits: Exits,
    pub(crate) ts: Option<ir::Value>,
    pub(crate) frame: Option<ir::Value>,
    code: Option<ir::Value>,
    /// The source location of the instruction being lowered.
    pub(crate) loc: SourceLoc,
    /// The instruction being lowered.
    pub(crate) cur: Option<Inst>,
}

impl Lowerer<'_> {
    pub(crate) fn val(&self, v: Value) -> Result<ir::Value, LowerError> {
        self.vals
            .get(v.index())
            .copied()
            .flatten()
            .ok_or_else(|| LowerError::Malformed(format!("{v} used before its definition")))
    }

    fn def(&mut self, data: &InstData, i: usize, v: ir::Value) {
        self.vals[data.results[i].index()] = Some(v);
    }

    fn frame(&self) -> ir::Value {
        self.frame.expect("frame param")
    }

    fn block_args(&self, call: &BlockCall) -> Result<(ir::Block, Vec<BlockArg>), LowerError> {
        let target = *self
            .blocks
            .get(&call.block)
            .ok_or_else(|| LowerError::Malformed(format!("branch to unknown {}", call.block)))?;
        let args = call
            .args
            .iter()
            .map(|&a| self.val(a).map(BlockArg::Value))
            .collect::<Result<_, _>>()?;
        Ok((target, args))
    }

    /// Item `i` of the tuple at `code + field` (co_consts / co_names).
    fn tuple_item(&self, b: &mut FunctionBuilder, field: i32, i: u32) -> ir::Value {
        let flags = MemFlagsData::trusted().with_readonly();
        let t = b
            .ins()
            .load(types::I64, flags, self.code.expect("code"), field);
        b.ins()
            .load(types::I64, flags, t, tuple::OB_ITEM + 8 * i as i32)
    }

    fn local_offset(i: u32) -> i32 {
        frame::LOCALSPLUS + 8 * i as i32
    }

    fn inst(&mut self, b: &mut FunctionBuilder, d: &InstData) -> Result<(), LowerError> {
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

    /// Reason text of an error exit after `check_*` of `v`: names the callee that failed.
    fn error_reason(&self, v: Value, op: Opcode) -> String {
        if let s6_strongjit::ValueDef::Result(i, _) = self.f.value_def(v)
            && let Operands::Call { callee, .. } = &self.f.inst(i).operands
        {
            return format!("error: {} failed", callee.name);
        }
        format!("error: {op} {v}")
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
