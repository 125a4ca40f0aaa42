//! strongjit -> Cranelift IR: the function frame (signature, pre-entry block, block order,
//! imports); each instruction is lowered in `insts.rs`. Blocks are visited in reverse
//! post-order so every value is defined before its uses; strongjit values map 1:1 onto
//! Cranelift values (both are SSA with block parameters), so no `Variable`s are needed.

use std::collections::HashMap;

use cranelift_codegen::ir::{
    self, AbiParam, BlockArg, ExtFuncData, ExternalName, FuncRef, GlobalValue, GlobalValueData,
    InstBuilder, MemFlagsData, Signature, SourceLoc, UserExternalName, UserFuncName,
    immediates::Imm64, types,
};
use cranelift_codegen::isa::{CallConv, TargetIsa};
use cranelift_frontend::{FunctionBuilder, FunctionBuilderContext};
use s6_profiles::manifest::ExitSite;
use s6_py311::layout::{frame, tuple};
use s6_strongjit::{Block, BlockCall, Function, Inst, InstData, Opcode, Operands, Type, Value};

use super::LowerError;
use super::exits::Exits;

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
    data: HashMap<String, GlobalValue>,
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

    /// The address of an imported data symbol (through the GOT), e.g. `_Py_TrueStruct`.
    pub(crate) fn data(&mut self, b: &mut FunctionBuilder, name: &str) -> ir::Value {
        let gv = match self.data.get(name) {
            Some(&gv) => gv,
            None => {
                let index = self.names.len() as u32;
                self.names.push(name.to_owned());
                let uname = b
                    .func
                    .declare_imported_user_function(UserExternalName::new(NS_IMPORT, index));
                let gv = b.create_global_value(GlobalValueData::Symbol {
                    name: ExternalName::user(uname),
                    offset: Imm64::new(0),
                    colocated: false,
                    tls: false,
                });
                self.data.insert(name.to_owned(), gv);
                gv
            }
        };
        b.ins().symbol_value(types::I64, gv)
    }

    /// The binding table's base address (rip-relative, the object's own data).
    pub(crate) fn bindings(&mut self, b: &mut FunctionBuilder) -> GlobalValue {
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

/// Builds the Cranelift IR of `func`, with stress polls when `stress_guards` (see
/// [`super::LowerOptions::stress_guards`]).
pub fn build_clif(
    isa: &dyn TargetIsa,
    func: &Function,
    stress_guards: bool,
) -> Result<Built, LowerError> {
    let entry = func
        .entry()
        .ok_or_else(|| LowerError::Malformed("no blocks".into()))?;
    if func.block(entry).params.len() != 2 {
        return Err(LowerError::Malformed(
            "entry block must take (ts, frame)".into(),
        ));
    }
    let mut cfunc = ir::Function::with_name_signature(UserFuncName::user(0, 0), entry_signature());
    // Reused per thread: keeps its allocations between functions.
    thread_local! {
        static FBC: std::cell::RefCell<FunctionBuilderContext> =
            std::cell::RefCell::new(FunctionBuilderContext::new());
    }
    let (imports, exits) = FBC.with_borrow_mut(|fbc| {
        let r = build_into(isa, func, entry, &mut cfunc, fbc, stress_guards);
        if r.is_err() {
            // Abandoned half-way: the context is not empty, start the next function afresh.
            *fbc = FunctionBuilderContext::new();
        }
        r
    })?;
    Ok(Built {
        func: cfunc,
        imports,
        exits,
    })
}

/// Fills `cfunc`; returns the imported names and the exit table.
fn build_into(
    isa: &dyn TargetIsa,
    func: &Function,
    entry: Block,
    cfunc: &mut ir::Function,
    fbc: &mut FunctionBuilderContext,
    stress_guards: bool,
) -> Result<(Vec<String>, Vec<ExitSite>), LowerError> {
    let mut b = FunctionBuilder::new(cfunc, fbc);
    let mut l = Lowerer {
        f: func,
        vals: vec![None; func.values.len()],
        blocks: HashMap::new(),
        imports: Imports::default(),
        exits: Exits::default(),
        ts: None,
        frame: None,
        code: None,
        cframe: None,
        stress: None,
        resume_block: None,
        catch_block: None,
        catch_blocks: func.catch_blocks(),
        loc: SourceLoc::default(),
        cur: None,
        cur_at: None,
        skip: 0,
        store_steals: false,
        sunk: super::sink::plan(func),
        bound: super::bound::bound_stores(func),
        pending_prev_instr: None,
        dealloc_line: None,
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
    // Read once for the functions that look at it (tracing checks, direct calls).
    let reads_cframe = func
        .layout_insts()
        .any(|(_, i)| match &func.inst(i).operands {
            Operands::Call { callee, .. } => callee.name == "s6_rt_call" && !func.cold,
            _ => func.inst(i).opcode == Opcode::CheckTracing,
        });
    if reads_cframe {
        l.cframe = Some(l.load_cframe(&mut b));
    }
    // Functions with guards read `S6_DEOPT_STRESS`'s N once per entry (stress builds only).
    let guarded = stress_guards
        && func.layout_insts().any(|(_, i)| {
            matches!(
                func.inst(i).opcode,
                Opcode::GuardType | Opcode::UnboxInt | Opcode::UnboxNumber
            )
        });
    if guarded {
        let cell = l.imports.data(&mut b, s6_profiles::abi::STRESS_EVERY);
        l.stress = Some(b.ins().load(types::I32, MemFlagsData::trusted(), cell, 0));
    }

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
        .filter(|&i| {
            func.inst(i)
                .operands
                .frame_state()
                .is_some_and(|fs| func.frame_state(fs).abandon.is_none())
        })
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
        // Blocks made while lowering a cold block are cold too (a decref's join, say), so the
        // whole rarely-run path goes after the code that runs.
        let made_before = b.func.dfg.num_blocks();
        for (at, &inst) in func.block(blk).insts.iter().enumerate() {
            if l.skip > 0 {
                l.skip -= 1;
                continue;
            }
            let data = func.inst(inst);
            l.cur = Some(inst);
            l.cur_at = Some((blk, at));
            if let Some(loc) = data.loc {
                l.loc = SourceLoc::new(loc);
                b.set_srcloc(l.loc);
            }
            l.inst(&mut b, data)?;
        }
        if func.block(blk).cold {
            b.set_cold_block(l.blocks[&blk]);
            for n in made_before..b.func.dfg.num_blocks() {
                b.set_cold_block(ir::Block::from_u32(n as u32));
            }
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
    Ok((l.imports.names, exits))
}

/// `(ts: i64, frame: i64) -> i64`, System V.
pub(crate) fn entry_signature() -> Signature {
    let mut sig = Signature::new(CallConv::SystemV);
    sig.params
        .extend([AbiParam::new(types::I64), AbiParam::new(types::I64)]);
    sig.returns.push(AbiParam::new(types::I64));
    sig
}

/// `vectorcallfunc`: `PyObject *(PyObject *callable, PyObject *const *args, size_t nargsf,
/// PyObject *kwnames)`.
pub(crate) fn vectorcall_signature() -> Signature {
    let mut sig = Signature::new(CallConv::SystemV);
    sig.params.extend([AbiParam::new(types::I64); 4]);
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
    pub(crate) vals: Vec<Option<ir::Value>>,
    pub(crate) blocks: HashMap<Block, ir::Block>,
    pub(crate) imports: Imports,
    pub(crate) exits: Exits,
    pub(crate) ts: Option<ir::Value>,
    pub(crate) frame: Option<ir::Value>,
    pub(crate) code: Option<ir::Value>,
    /// `ts->cframe`, read at entry: the C frame of the evaluation that called this function.
    /// It stays the same while the function runs (evaluations it calls restore it, and a
    /// native function is never suspended), and its `use_tracing` is where `sys.settrace`
    /// called from below lands when that evaluation returns.
    pub(crate) cframe: Option<ir::Value>,
    /// `S6_DEOPT_STRESS`'s N, read at entry (only in functions with guards).
    pub(crate) stress: Option<ir::Value>,
    /// The block every exit jumps to, which calls `s6_rt_resume_in_interpreter` (`exits`).
    pub(crate) resume_block: Option<ir::Block>,
    /// The block error exits jump to when handlers run natively, which calls `s6_rt_catch`.
    pub(crate) catch_block: Option<ir::Block>,
    /// The function's catch blocks with their handlers' code units (`Function::catch_blocks`).
    pub(crate) catch_blocks: Vec<(u32, Block)>,
    /// The source location of the instruction being lowered.
    pub(crate) loc: SourceLoc,
    /// The instruction being lowered.
    pub(crate) cur: Option<Inst>,
    /// The block of the instruction being lowered and its position there.
    pub(crate) cur_at: Option<(Block, usize)>,
    /// Instructions after the current one already lowered with it (the checks after an
    /// inline site cache's helper call, lowered on the helper's path only): skipped.
    pub(crate) skip: usize,
    /// The inline store being lowered takes the stored value's reference (see
    /// `Lowerer::store_hit`).
    pub(crate) store_steals: bool,
    /// What is lowered on site-cache helpers' paths instead of where it stands (`sink`).
    pub(crate) sunk: super::sink::Sunk,
    /// Stores to a local that holds an object on every path to them (`bound`).
    pub(crate) bound: std::collections::HashSet<Inst>,
    /// A sunk `set_prev_instr`'s index, for the helper's path of the call after it.
    pub(crate) pending_prev_instr: Option<u32>,
    /// A `set_prev_instr` sunk into the dealloc paths of the releases after it (`sink`).
    pub(crate) dealloc_line: Option<u32>,
}

impl Lowerer<'_> {
    pub(crate) fn val(&self, v: Value) -> Result<ir::Value, LowerError> {
        self.vals
            .get(v.index())
            .copied()
            .flatten()
            .ok_or_else(|| LowerError::Malformed(format!("{v} used before its definition")))
    }

    /// Byte offset from the code object of bytecode `index`:
    /// `prev_instr = (_Py_CODEUNIT *)(code + co_code_adaptive) + index`.
    fn instr_offset(index: u32) -> i64 {
        i64::from(s6_py311::layout::code::CO_CODE_ADAPTIVE) + 2 * i64::from(index)
    }

    /// The line the dealloc path of a release lowered now stores first, if one was sunk there.
    pub(crate) fn dealloc_line(&self) -> Option<super::refcount::DeallocLine> {
        self.dealloc_line.map(|index| super::refcount::DeallocLine {
            frame: self.frame(),
            code: self.code.expect("code"),
            offset: Self::instr_offset(index),
        })
    }

    /// Releases `v` (a `decref`), storing the sunk line on its dealloc path.
    pub(crate) fn release(&mut self, b: &mut FunctionBuilder, v: ir::Value) {
        let line = self.dealloc_line();
        super::refcount::decref_at(b, &mut self.imports, v, line);
    }

    /// Releases `v` if it is not NULL (an `xdecref`), storing the sunk line on its dealloc path.
    pub(crate) fn xrelease(&mut self, b: &mut FunctionBuilder, v: ir::Value) {
        let line = self.dealloc_line();
        let imports = &mut self.imports;
        super::refcount::if_not_null(b, v, |b| super::refcount::decref_at(b, imports, v, line));
    }

    /// Releases the value the current `store_local*` replaced: without a NULL test when every
    /// path bound the slot (`bound`).
    pub(crate) fn release_old_local(&mut self, b: &mut FunctionBuilder, old: ir::Value) {
        if self.cur.is_some_and(|i| self.bound.contains(&i)) {
            self.release(b, old);
        } else {
            self.xrelease(b, old);
        }
    }

    /// Stores `frame->prev_instr` for bytecode `index`.
    pub(crate) fn set_prev_instr(&mut self, b: &mut FunctionBuilder, index: u32) {
        let p = b
            .ins()
            .iadd_imm_s(self.code.expect("code"), Self::instr_offset(index));
        b.ins().store(
            MemFlagsData::trusted(),
            p,
            self.frame(),
            s6_py311::layout::frame::PREV_INSTR,
        );
    }

    pub(crate) fn def(&mut self, data: &InstData, i: usize, v: ir::Value) {
        self.vals[data.results[i].index()] = Some(v);
    }

    pub(crate) fn frame(&self) -> ir::Value {
        self.frame.expect("frame param")
    }

    /// `ts->cframe`.
    fn load_cframe(&self, b: &mut FunctionBuilder) -> ir::Value {
        let ts = self.ts.expect("ts");
        b.ins().load(
            types::I64,
            MemFlagsData::trusted(),
            ts,
            s6_py311::layout::thread_state::CFRAME,
        )
    }

    /// `ts->cframe`: the value read at entry, or read here in a function that had no reason to.
    pub(crate) fn cframe(&self, b: &mut FunctionBuilder) -> ir::Value {
        match self.cframe {
            Some(cf) => cf,
            None => self.load_cframe(b),
        }
    }

    pub(crate) fn block_args(
        &self,
        call: &BlockCall,
    ) -> Result<(ir::Block, Vec<BlockArg>), LowerError> {
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
    pub(crate) fn tuple_item(&self, b: &mut FunctionBuilder, field: i32, i: u32) -> ir::Value {
        let flags = MemFlagsData::trusted().with_readonly();
        let t = b
            .ins()
            .load(types::I64, flags, self.code.expect("code"), field);
        b.ins()
            .load(types::I64, flags, t, tuple::OB_ITEM + 8 * i as i32)
    }

    pub(crate) fn local_offset(i: u32) -> i32 {
        frame::LOCALSPLUS + 8 * i as i32
    }

    /// Reason text of an error exit after `check_*` of `v`: an exception the program's code
    /// raised (the interpreter unwinds it, and the program may well catch it), named by the
    /// operation that raised it (`s6_rt_call` -> "call"), never as a failure of ours.
    pub(crate) fn error_reason(&self, v: Value, op: Opcode) -> String {
        if let s6_strongjit::ValueDef::Result(i, _) = self.f.value_def(v)
            && let Operands::Call { callee, .. } = &self.f.inst(i).operands
        {
            let name = match callee.name.strip_prefix("s6_rt_") {
                Some(ours) => ours
                    .strip_suffix("_cached")
                    .unwrap_or(ours)
                    .replace('_', " "),
                None => callee.name.to_string(),
            };
            return format!("exception raised by {name}");
        }
        format!("exception raised by {op}")
    }
}
