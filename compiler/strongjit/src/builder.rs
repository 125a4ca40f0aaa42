//! `FunctionBuilder`: the API the translator uses to emit IR, one method per instruction.
//!
//! It appends to the current block and stamps every instruction with the current location
//! ([`FunctionBuilder::set_loc`]). It does not check well-formedness (a terminator in the middle
//! of a block, bad operand types, missing terminators): run [`crate::verify`] on the result.

use crate::callees::{self, Callee};
use crate::entities::{BindingId, Block, FrameStateId, Inst, Value};
use crate::function::{BindingKind, FrameState, Function};
use crate::instructions::{BlockCall, FloatCC, IntCC, Opcode, Operands, result_types};
use crate::pyops::PyOp;
use crate::types::{PyType, Type};

/// Builds one [`Function`].
#[derive(Debug)]
pub struct FunctionBuilder {
    func: Function,
    current: Option<Block>,
    /// Where in the current block new instructions go (`None`: at its end).
    insert_pos: Option<usize>,
    loc: Option<u32>,
}

impl FunctionBuilder {
    /// A new function whose entry block `bb0(v0: ptr, v1: ptr)` (thread state, frame) exists
    /// and is the current block.
    pub fn new(name: impl Into<String>, nlocalsplus: u32, stacksize: u32) -> FunctionBuilder {
        let mut func = Function::new(name, nlocalsplus, stacksize);
        let entry = func.make_block();
        func.add_block_param(entry, Type::Ptr);
        func.add_block_param(entry, Type::Ptr);
        FunctionBuilder {
            func,
            current: Some(entry),
            insert_pos: None,
            loc: None,
        }
    }

    /// A builder over an existing function (for passes that insert code); no current block
    /// until [`Self::switch_to_block`] or [`Self::insert_at`].
    pub fn resume(func: Function) -> FunctionBuilder {
        FunctionBuilder {
            func,
            current: None,
            insert_pos: None,
            loc: None,
        }
    }

    /// Subsequent instructions are inserted into `block` before position `pos` (and after
    /// each other).
    pub fn insert_at(&mut self, block: Block, pos: usize) {
        self.current = Some(block);
        self.insert_pos = Some(pos);
    }

    /// The position the next instruction is inserted at, when inserting (see
    /// [`Self::insert_at`]).
    pub fn insert_pos(&self) -> Option<usize> {
        self.insert_pos
    }

    /// The finished function (not verified).
    pub fn finish(self) -> Function {
        self.func
    }

    /// The function built so far.
    pub fn func(&self) -> &Function {
        &self.func
    }

    /// Mutable access for things the builder has no method for.
    pub fn func_mut(&mut self) -> &mut Function {
        &mut self.func
    }

    pub fn entry_block(&self) -> Block {
        self.func.layout[0]
    }

    /// The `PyThreadState*` entry parameter.
    pub fn ts(&self) -> Value {
        self.func.block(self.entry_block()).params[0]
    }

    /// The `_PyInterpreterFrame*` entry parameter.
    pub fn frame(&self) -> Value {
        self.func.block(self.entry_block()).params[1]
    }

    /// A new empty block, appended to the layout.
    pub fn create_block(&mut self) -> Block {
        self.func.make_block()
    }

    /// Marks `block` as rarely run (see [`crate::function::BlockData::cold`]).
    pub fn set_cold(&mut self, block: Block) {
        self.func.block_mut(block).cold = true;
    }

    /// Adds a parameter to `block`.
    pub fn append_block_param(&mut self, block: Block, ty: Type) -> Value {
        self.func.add_block_param(block, ty)
    }

    /// Subsequent instructions go to the end of `block`.
    pub fn switch_to_block(&mut self, block: Block) {
        self.current = Some(block);
        self.insert_pos = None;
    }

    pub fn current_block(&self) -> Option<Block> {
        self.current
    }

    /// The bytecode location stamped on subsequent instructions.
    pub fn set_loc(&mut self, loc: Option<u32>) {
        self.loc = loc;
    }

    /// True when the current block already ends in a terminator.
    pub fn is_filled(&self) -> bool {
        self.current
            .is_some_and(|b| self.func.terminator(b).is_some())
    }

    /// A new frame state (resume at bytecode `index` with value stack `stack`, bottom first).
    pub fn frame_state(&mut self, index: u32, stack: &[Value]) -> FrameStateId {
        self.func.make_frame_state(FrameState {
            index,
            stack: stack.to_vec(),
            borrowed: Vec::new(),
            locals: Vec::new(),
            parent: None,
            abandon: None,
        })
    }

    /// A new frame state with an inlining parent.
    pub fn frame_state_with_parent(
        &mut self,
        index: u32,
        stack: &[Value],
        parent: FrameStateId,
    ) -> FrameStateId {
        self.func.make_frame_state(FrameState {
            index,
            stack: stack.to_vec(),
            borrowed: Vec::new(),
            locals: Vec::new(),
            parent: Some(parent),
            abandon: None,
        })
    }

    /// A new binding-table slot.
    pub fn binding(&mut self, kind: BindingKind) -> BindingId {
        self.func.make_binding(kind)
    }

    /// A new site cache (`SITE_CACHE_WORDS` zeroed `cache` slots) and its address.
    pub fn site_cache(&mut self) -> Value {
        let first = self.func.make_binding(BindingKind::Cache);
        for _ in 1..crate::function::SITE_CACHE_WORDS {
            self.func.make_binding(BindingKind::Cache);
        }
        self.ins1(Opcode::BindingAddr, Operands::Binding { binding: first })
    }

    /// Appends any instruction to the current block; result types follow from the operands.
    /// Panics if there is no current block or the operands do not fit the opcode.
    pub fn ins(&mut self, opcode: Opcode, operands: Operands) -> Inst {
        let block = self.current.expect("FunctionBuilder: no current block");
        assert_eq!(
            opcode.format(),
            operands.format(),
            "operands do not fit {opcode}"
        );
        let func = &self.func;
        let tys = result_types(opcode, &operands, |v| {
            func.values.get(v.index()).map(|d| d.ty)
        })
        .unwrap_or_else(|| panic!("cannot type {opcode} {operands:?}"));
        let inst = self.func.make_inst(opcode, operands, &tys, self.loc);
        match &mut self.insert_pos {
            Some(pos) => {
                self.func.block_mut(block).insts.insert(*pos, inst);
                *pos += 1;
            }
            None => self.func.block_mut(block).insts.push(inst),
        }
        inst
    }

    /// The results of `inst`.
    pub fn results(&self, inst: Inst) -> &[Value] {
        &self.func.inst(inst).results
    }

    fn ins1(&mut self, opcode: Opcode, operands: Operands) -> Value {
        let inst = self.ins(opcode, operands);
        self.results(inst)[0]
    }

    fn ins0(&mut self, opcode: Opcode, operands: Operands) {
        self.ins(opcode, operands);
    }

    // ---- constants ----
    /// `iconst.T imm` (T: i64, i32 or i8).
    pub fn iconst(&mut self, ty: Type, imm: i64) -> Value {
        self.ins1(Opcode::Iconst, Operands::IntConst { ty, imm })
    }
    pub fn fconst(&mut self, x: f64) -> Value {
        self.ins1(Opcode::Fconst, Operands::FloatConst { bits: x.to_bits() })
    }
    /// An obj NULL.
    pub fn null(&mut self) -> Value {
        self.ins1(Opcode::Null, Operands::Nullary)
    }

    // ---- frame access ----
    pub fn load_local(&mut self, index: u32) -> Value {
        self.ins1(Opcode::LoadLocal, Operands::UImm { imm: index })
    }
    pub fn store_local(&mut self, index: u32, v: Value) {
        self.ins0(
            Opcode::StoreLocal,
            Operands::UImmValue { imm: index, arg: v },
        )
    }
    pub fn load_const(&mut self, index: u32) -> Value {
        self.ins1(Opcode::LoadConst, Operands::UImm { imm: index })
    }
    pub fn load_name(&mut self, index: u32) -> Value {
        self.ins1(Opcode::LoadName, Operands::UImm { imm: index })
    }
    pub fn load_binding(&mut self, b: BindingId) -> Value {
        self.ins1(Opcode::LoadBinding, Operands::Binding { binding: b })
    }
    pub fn set_prev_instr(&mut self, index: u32) {
        self.ins0(Opcode::SetPrevInstr, Operands::UImm { imm: index })
    }
    pub fn stack_alloc(&mut self, bytes: u32) -> Value {
        self.ins1(Opcode::StackAlloc, Operands::UImm { imm: bytes })
    }

    // ---- memory ----
    pub fn load(&mut self, ty: Type, ptr: Value, offset: i32) -> Value {
        self.ins1(Opcode::Load, Operands::Load { ty, ptr, offset })
    }
    pub fn store(&mut self, ty: Type, ptr: Value, offset: i32, value: Value) {
        self.ins0(
            Opcode::Store,
            Operands::Store {
                ty,
                ptr,
                offset,
                value,
            },
        )
    }

    // ---- refcounts ----
    pub fn incref(&mut self, v: Value) {
        self.ins0(Opcode::Incref, Operands::Unary { arg: v })
    }
    pub fn decref(&mut self, v: Value) {
        self.ins0(Opcode::Decref, Operands::Unary { arg: v })
    }
    pub fn xincref(&mut self, v: Value) {
        self.ins0(Opcode::Xincref, Operands::Unary { arg: v })
    }
    pub fn xdecref(&mut self, v: Value) {
        self.ins0(Opcode::Xdecref, Operands::Unary { arg: v })
    }

    // ---- arithmetic ----
    /// Any `Binary`-format opcode (`iadd`, `fmul`, `shl`, ...) with one result.
    pub fn binary(&mut self, opcode: Opcode, a: Value, b: Value) -> Value {
        self.ins1(opcode, Operands::Binary { args: [a, b] })
    }
    /// `iadd_ovf`/`isub_ovf`/`imul_ovf`: (wrapped result, i8 overflow flag).
    pub fn binary_ovf(&mut self, opcode: Opcode, a: Value, b: Value) -> (Value, Value) {
        let inst = self.ins(opcode, Operands::Binary { args: [a, b] });
        let r = self.results(inst);
        (r[0], r[1])
    }
    pub fn iadd(&mut self, a: Value, b: Value) -> Value {
        self.binary(Opcode::Iadd, a, b)
    }
    pub fn isub(&mut self, a: Value, b: Value) -> Value {
        self.binary(Opcode::Isub, a, b)
    }
    pub fn imul(&mut self, a: Value, b: Value) -> Value {
        self.binary(Opcode::Imul, a, b)
    }
    pub fn iadd_ovf(&mut self, a: Value, b: Value) -> (Value, Value) {
        self.binary_ovf(Opcode::IaddOvf, a, b)
    }
    pub fn isub_ovf(&mut self, a: Value, b: Value) -> (Value, Value) {
        self.binary_ovf(Opcode::IsubOvf, a, b)
    }
    pub fn imul_ovf(&mut self, a: Value, b: Value) -> (Value, Value) {
        self.binary_ovf(Opcode::ImulOvf, a, b)
    }
    pub fn icmp(&mut self, cond: IntCC, a: Value, b: Value) -> Value {
        self.ins1(Opcode::Icmp, Operands::IntCompare { cond, args: [a, b] })
    }
    pub fn fcmp(&mut self, cond: FloatCC, a: Value, b: Value) -> Value {
        self.ins1(Opcode::Fcmp, Operands::FloatCompare { cond, args: [a, b] })
    }
    pub fn sitofp(&mut self, a: Value) -> Value {
        self.ins1(Opcode::Sitofp, Operands::Unary { arg: a })
    }
    pub fn sextend(&mut self, ty: Type, a: Value) -> Value {
        self.ins1(Opcode::Sextend, Operands::UnaryTyped { ty, arg: a })
    }
    pub fn uextend(&mut self, ty: Type, a: Value) -> Value {
        self.ins1(Opcode::Uextend, Operands::UnaryTyped { ty, arg: a })
    }
    pub fn ireduce(&mut self, ty: Type, a: Value) -> Value {
        self.ins1(Opcode::Ireduce, Operands::UnaryTyped { ty, arg: a })
    }
    pub fn select(&mut self, c: Value, a: Value, b: Value) -> Value {
        self.ins1(Opcode::Select, Operands::Ternary { args: [c, a, b] })
    }

    // ---- calls ----
    /// `call name(args)`; the result if the callee has one. Panics if `name` is not in the
    /// callee table (add it to `callees.rs`).
    pub fn call(&mut self, name: &str, args: &[Value]) -> Option<Value> {
        let callee = callees::lookup(name).unwrap_or_else(|| panic!("unknown callee {name}"));
        self.call_callee(callee, args)
    }
    /// Like [`Self::call`] for a callee that returns a value (panics otherwise).
    pub fn call_value(&mut self, name: &str, args: &[Value]) -> Value {
        self.call(name, args)
            .unwrap_or_else(|| panic!("{name} returns nothing"))
    }
    pub fn call_callee(&mut self, callee: &'static Callee, args: &[Value]) -> Option<Value> {
        let inst = self.ins(
            Opcode::Call,
            Operands::Call {
                callee,
                args: args.to_vec(),
            },
        );
        self.results(inst).first().copied()
    }

    // ---- Python-level operations and typed values ----
    /// `v2 = guard_type v, b, fs`: v2 has the Python type of binding `b`.
    /// `native_is f, "symbol"` (see the opcode).
    pub fn native_is(&mut self, f: Value, symbol: &str) -> Value {
        self.ins1(
            Opcode::NativeIs,
            Operands::Symbol {
                arg: f,
                symbol: symbol.to_string(),
            },
        )
    }

    pub fn guard_type(&mut self, v: Value, binding: BindingId, fs: FrameStateId) -> Value {
        let r = self.ins1(
            Opcode::GuardType,
            Operands::GuardType {
                arg: v,
                binding,
                fs,
            },
        );
        let t = self.func.binding_pytype(binding).unwrap_or(PyType::OBJECT);
        self.func.set_pytype(r, t);
        r
    }
    pub fn unbox_float(&mut self, v: Value) -> Value {
        self.ins1(Opcode::UnboxFloat, Operands::Unary { arg: v })
    }
    pub fn unbox_int(&mut self, v: Value, fs: FrameStateId) -> Value {
        self.ins1(Opcode::UnboxInt, Operands::Check { arg: v, fs })
    }
    /// `(x: f64, is_float: i8) = unbox_number v, fs`.
    pub fn unbox_number(&mut self, v: Value, fs: FrameStateId) -> (Value, Value) {
        let inst = self.ins(Opcode::UnboxNumber, Operands::Check { arg: v, fs });
        let r = self.results(inst);
        (r[0], r[1])
    }
    pub fn box_float(&mut self, x: Value) -> Value {
        let r = self.ins1(Opcode::BoxFloat, Operands::Unary { arg: x });
        self.func.set_pytype(r, PyType::FLOAT_EXACT);
        r
    }
    pub fn box_int(&mut self, x: Value) -> Value {
        let r = self.ins1(Opcode::BoxInt, Operands::Unary { arg: x });
        self.func.set_pytype(r, PyType::LONG_EXACT);
        r
    }
    pub fn box_bool(&mut self, c: Value) -> Value {
        let r = self.ins1(Opcode::BoxBool, Operands::Unary { arg: c });
        self.func.set_pytype(r, PyType::BOOL);
        r
    }
    /// `v = const_obj None|True|False` (borrowed).
    pub fn const_obj(&mut self, obj: crate::instructions::WellKnown) -> Value {
        let v = self.ins1(Opcode::ConstObj, Operands::WellKnown { obj });
        use crate::instructions::WellKnown as W;
        let t = match obj {
            W::None => PyType::NONE_TYPE,
            W::True | W::False => PyType::BOOL,
            _ => PyType::TYPE_EXACT,
        };
        self.func.set_pytype(v, t);
        v
    }
    /// `p2 = ptr_add p, n` (n bytes, i64).
    pub fn ptr_add(&mut self, p: Value, n: Value) -> Value {
        self.ins1(Opcode::PtrAdd, Operands::Binary { args: [p, n] })
    }
    /// `fneg x`.
    pub fn fneg(&mut self, x: Value) -> Value {
        self.ins1(Opcode::Fneg, Operands::Unary { arg: x })
    }

    /// The generic call a `py.op` stands for (what `legalize` makes of it), for slow paths
    /// that must stay generic however often the passes run.
    pub fn py_generic(&mut self, op: PyOp, args: &[Value]) -> Value {
        let (name, imm) = op.generic();
        let mut args = args.to_vec();
        if let Some(k) = imm {
            args.push(self.iconst(Type::I32, i64::from(k)));
        }
        self.call_value(name, &args)
    }

    /// `v = py.op args, fs` (fs: the state before the instruction, operands on the stack).
    pub fn py(&mut self, op: PyOp, args: &[Value], fs: FrameStateId) -> Value {
        self.ins1(
            Opcode::Py,
            Operands::Py {
                op,
                args: args.to_vec(),
                fs,
            },
        )
    }

    // ---- exits ----
    pub fn check_null(&mut self, v: Value, fs: FrameStateId) {
        self.ins0(Opcode::CheckNull, Operands::Check { arg: v, fs })
    }
    pub fn check_neg(&mut self, v: Value, fs: FrameStateId) {
        self.ins0(Opcode::CheckNeg, Operands::Check { arg: v, fs })
    }
    pub fn deopt_if(&mut self, cond: Value, fs: FrameStateId, reason: &str) {
        self.ins0(
            Opcode::DeoptIf,
            Operands::DeoptIf {
                cond,
                fs,
                reason: reason.to_string(),
            },
        )
    }

    // ---- terminators ----
    pub fn jump(&mut self, dest: Block, args: &[Value]) {
        let dest = BlockCall {
            block: dest,
            args: args.to_vec(),
        };
        self.ins0(Opcode::Jump, Operands::Jump { dest })
    }
    pub fn branch(
        &mut self,
        cond: Value,
        then_block: Block,
        then_args: &[Value],
        else_block: Block,
        else_args: &[Value],
    ) {
        let then_dest = BlockCall {
            block: then_block,
            args: then_args.to_vec(),
        };
        let else_dest = BlockCall {
            block: else_block,
            args: else_args.to_vec(),
        };
        self.ins0(
            Opcode::Branch,
            Operands::Branch {
                cond,
                then_dest,
                else_dest,
            },
        )
    }
    /// `entry body(), catch @H bbN(), ...`: the entry block's terminator when handlers run
    /// natively (see [`Opcode::Entry`]).
    pub fn entry(&mut self, body: Block, handlers: &[(u32, Block)]) {
        let body = BlockCall {
            block: body,
            args: Vec::new(),
        };
        let handlers = handlers
            .iter()
            .map(|&(at, block)| {
                (
                    at,
                    BlockCall {
                        block,
                        args: Vec::new(),
                    },
                )
            })
            .collect();
        self.ins0(Opcode::Entry, Operands::Entry { body, handlers })
    }
    /// `return v` (v is an owned reference).
    pub fn ret(&mut self, v: Value) {
        self.ins0(Opcode::Return, Operands::Unary { arg: v })
    }
    pub fn deopt(&mut self, fs: FrameStateId, reason: &str) {
        self.ins0(
            Opcode::Deopt,
            Operands::Deopt {
                fs,
                reason: reason.to_string(),
            },
        )
    }
    /// `check_tracing fs` (fs: the state after the instruction).
    pub fn check_tracing(&mut self, fs: FrameStateId) {
        self.ins0(Opcode::CheckTracing, Operands::Raise { fs })
    }
    pub fn raise(&mut self, fs: FrameStateId) {
        self.ins0(Opcode::Raise, Operands::Raise { fs })
    }
    pub fn unreachable(&mut self) {
        self.ins0(Opcode::Unreachable, Operands::Nullary)
    }
}
