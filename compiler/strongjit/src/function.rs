//! A function: arenas for values, instructions, blocks and frame states, the binding table and
//! the block layout. This is the whole IR of one compiled code object.

use crate::entities::{BindingId, Block, FrameStateId, Inst, Value};
use crate::feedback::SiteFeedback;
use crate::instructions::{InstData, Opcode, Operands};
use crate::types::{PyType, Type};

/// Where a value comes from.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum ValueDef {
    /// Parameter `index` of `block`.
    Param(Block, u32),
    /// Result `index` of `inst`.
    Result(Inst, u32),
    /// Defined by nothing: an id the parser skipped (ids are sparse after passes), or a value a
    /// pass has removed. Using it is a verifier error.
    Detached,
}

/// One arena slot of a value.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct ValueData {
    pub ty: Type,
    /// What is known about the Python type of an `obj` value ([`PyType::OBJECT`] when nothing
    /// is, and always for other machine types).
    pub pyty: PyType,
    pub def: ValueDef,
}

/// A basic block: typed parameters and an ordered instruction list that ends in exactly one
/// terminator (checked by the verifier, not enforced while building).
#[derive(Clone, PartialEq, Eq, Debug, Default)]
pub struct BlockData {
    pub params: Vec<Value>,
    pub insts: Vec<Inst>,
    /// Expected to run rarely (text `bb3() cold:`): the generic path beside an inline fast
    /// path. Lowering places cold blocks after all the others, so the code that runs stays
    /// together; it changes nothing else.
    pub cold: bool,
}

/// The interpreter-visible state at an exit: where the interpreter resumes and the exact value
/// stack. Shared by id between every exit at the same point, never copied per instruction.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct FrameState {
    /// Bytecode code-unit index (`@12`): the instruction to resume at for a deopt, the faulting
    /// instruction for an error exit.
    pub index: u32,
    /// The exact value stack, bottom first. An `obj` entry is an owned reference at that point
    /// and the exit transfers it to the interpreter frame; an `f64`, `i64` or `i8` entry is an
    /// unboxed number that the exit boxes (`float`, `int`, `bool`) on the way out.
    pub stack: Vec<Value>,
    /// Positions of `stack` whose `obj` entry native code does *not* own at the exits that use
    /// this state (text `&v3`): the exit increfs it before handing it over. Sorted. Empty
    /// when every entry is owned.
    pub borrowed: Vec<u32>,
    /// Locals whose frame slot is stale at the exits that use this state (text
    /// `locals [2: v7, 5: v9]`): slot and unboxed value, sorted by slot. An `i64` entry is an
    /// `int`, `f64` a `float`, `i8` a `bool`; the exit boxes it, stores it in
    /// `localsplus[slot]` and releases what the slot held, which `sink_locals` guarantees is an
    /// `int`, `float`, `bool` or NULL (nothing whose release could run code). Empty when the
    /// frame holds every local, as it does unless `sink_locals` ran.
    pub locals: Vec<(u32, Value)>,
    /// Reserved for inlined frames: the caller's state.
    pub parent: Option<FrameStateId>,
    /// A state of inlined code that may still be abandoned (text `abandon bb7`): an exit at it
    /// does not leave the function but releases the owned `obj` entries of `stack` (unboxed
    /// entries and `locals` need nothing), clears any exception, and continues at this block,
    /// which makes the real call instead (see `passes::inline`). The index names the callee's
    /// instruction (for reading the IR only).
    pub abandon: Option<Block>,
}

impl FrameState {
    /// Whether stack position `k` is borrowed (see [`FrameState::borrowed`]).
    pub fn is_borrowed(&self, k: usize) -> bool {
        self.borrowed.binary_search(&(k as u32)).is_ok()
    }

    /// Every value the state names: the stack, then the stale locals.
    pub fn values(&self) -> impl Iterator<Item = Value> + '_ {
        self.stack
            .iter()
            .copied()
            .chain(self.locals.iter().map(|&(_, v)| v))
    }
}

/// The value of a numeric constant of `co_consts` that passes may fold (`const 2 = int 0`).
#[derive(Clone, Copy, PartialEq, Debug)]
pub enum ConstValue {
    /// An `int` that fits in i64.
    Int(i64),
    /// A `float`, as its IEEE bits (so -0.0 and NaN payloads are kept).
    Float(u64),
}

/// What a binding-table slot holds (the runtime fills `type`/`builtin` slots when it binds the
/// function; `cache` slots it never touches).
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub enum BindingKind {
    /// A type by `module.qualname`: text `type "builtins.int"`.
    Type(String),
    /// A builtin by name: text `builtin "len"`.
    Builtin(String),
    /// Any object by `module.qualname` (through class attributes after the module): text
    /// `object "builtins.list.append"`.
    Object(String),
    /// One word of a per-site runtime cache (text `cache`): zero when the object is loaded,
    /// then owned by the helper that the site passes its address to (`binding_addr`). A site
    /// cache is [`SITE_CACHE_WORDS`] consecutive `cache` slots.
    Cache,
}

/// Words in one site cache (see `BindingKind::Cache`): `s6_profiles::abi::SITE_CACHE_WORDS`,
/// which the runtime's helpers read and write (the compiler's tests check they agree).
pub const SITE_CACHE_WORDS: usize = 16;

/// One function in strongjit IR.
///
/// Equality (`==`) is *structural over what the text format shows*: name, sizes, bindings, live
/// frame states, and the blocks in layout order with their params (ids and types) and
/// instructions (opcode, operands, result ids and types, locations). Arena slots not reachable
/// from the layout (removed instructions and blocks, detached values) and `Inst` ids are
/// ignored, so `parse(print(f)) == f` holds after passes have removed code.
#[derive(Clone, Debug)]
pub struct Function {
    /// Symbol name, e.g. `s6::mod.f`.
    pub name: String,
    pub nlocalsplus: u32,
    pub stacksize: u32,
    pub values: Vec<ValueData>,
    pub insts: Vec<InstData>,
    pub blocks: Vec<BlockData>,
    /// Frame states; `None` is a removed one (ids stay stable).
    pub frame_states: Vec<Option<FrameState>>,
    pub bindings: Vec<BindingKind>,
    /// The profile's feedback for this code object, sorted by bytecode index (see
    /// [`crate::feedback`]).
    pub feedback: Vec<SiteFeedback>,
    /// Values of the numeric constants `load_const` reads, by `co_consts` index (sorted).
    pub consts: Vec<(u32, ConstValue)>,
    /// Block order; `layout[0]` is the entry block, whose params are `(ts: ptr, frame: ptr)`.
    pub layout: Vec<Block>,
    /// Code the profile did not select as hot, compiled because the build was asked for
    /// everything (`--all`); text `cold` after the sizes. It is lowered for size: operations
    /// call their runtime helpers rather than expanding inline fast paths (direct calls, site
    /// caches), which are worth their bytes only where code runs often. The helpers do the
    /// same work, so behaviour is the same either way.
    pub cold: bool,
    /// Compiled callees whose bodies `passes::inline` may put in place of a call (text
    /// `inline @15 function "s6::m.g" ... { ... }`, after the feedback): filled by the driver
    /// from the profile for call sites that saw one Python function of the same object.
    pub inline_callees: Vec<InlineCallee>,
    /// Compiled only to be inlined into another function (text `inlinee` after the sizes):
    /// where its own inlined calls would make the real call, they give up instead (a `deopt`
    /// at the call's state, which the caller's copy turns into an abandon of the whole body),
    /// so that the body stays one that nobody can see running (see `passes::inline`).
    pub inlinee: bool,
}

/// A callee's body for the `py.call` at bytecode index `at` (see [`Function::inline_callees`]).
#[derive(Clone, Debug, PartialEq)]
pub struct InlineCallee {
    pub at: u32,
    /// Its positional parameters (`co_argcount`; it has no others).
    pub argcount: u32,
    /// The callee after its own pipeline; its name is its symbol.
    pub body: Function,
}

impl Function {
    /// An empty function (no blocks). Use [`crate::FunctionBuilder`] to build one.
    pub fn new(name: impl Into<String>, nlocalsplus: u32, stacksize: u32) -> Function {
        Function {
            name: name.into(),
            nlocalsplus,
            stacksize,
            values: Vec::new(),
            insts: Vec::new(),
            blocks: Vec::new(),
            frame_states: Vec::new(),
            bindings: Vec::new(),
            feedback: Vec::new(),
            consts: Vec::new(),
            layout: Vec::new(),
            cold: false,
            inline_callees: Vec::new(),
            inlinee: false,
        }
    }

    /// The entry block.
    pub fn entry(&self) -> Option<Block> {
        self.layout.first().copied()
    }

    /// The blocks where natively caught exceptions enter (the `catch` targets of the entry
    /// block's `entry` terminator), with their handler's code unit. Each is entered with the
    /// frame as an error exit left it: its locals and value stack are read from the frame,
    /// and anything may have run before.
    pub fn catch_blocks(&self) -> Vec<(u32, Block)> {
        let Some(t) = self.entry().and_then(|e| self.terminator(e)) else {
            return Vec::new();
        };
        match &self.inst(t).operands {
            crate::instructions::Operands::Entry { handlers, .. } => {
                handlers.iter().map(|(at, h)| (*at, h.block)).collect()
            }
            _ => Vec::new(),
        }
    }

    pub fn value_type(&self, v: Value) -> Type {
        self.values[v.index()].ty
    }

    /// The Python type known for `v` ([`PyType::OBJECT`] for non-`obj` values).
    pub fn pytype(&self, v: Value) -> PyType {
        self.values[v.index()].pyty
    }

    /// Narrows what is known about `v` (an `obj` value).
    pub fn set_pytype(&mut self, v: Value, t: PyType) {
        debug_assert!(self.value_type(v) == Type::Obj || t.is_object());
        self.values[v.index()].pyty = t;
    }

    pub fn value_def(&self, v: Value) -> ValueDef {
        self.values[v.index()].def
    }

    /// True when `v` is an id in the arena that something defines.
    pub fn is_defined(&self, v: Value) -> bool {
        self.values
            .get(v.index())
            .is_some_and(|d| d.def != ValueDef::Detached)
    }

    pub fn inst(&self, i: Inst) -> &InstData {
        &self.insts[i.index()]
    }

    pub fn inst_mut(&mut self, i: Inst) -> &mut InstData {
        &mut self.insts[i.index()]
    }

    pub fn block(&self, b: Block) -> &BlockData {
        &self.blocks[b.index()]
    }

    pub fn block_mut(&mut self, b: Block) -> &mut BlockData {
        &mut self.blocks[b.index()]
    }

    /// The frame state `fs`. Panics if it was removed.
    pub fn frame_state(&self, fs: FrameStateId) -> &FrameState {
        self.frame_states[fs.index()]
            .as_ref()
            .expect("removed frame state")
    }

    /// Live frame states in id order.
    pub fn live_frame_states(&self) -> impl Iterator<Item = (FrameStateId, &FrameState)> {
        self.frame_states
            .iter()
            .enumerate()
            .filter_map(|(i, s)| s.as_ref().map(|s| (FrameStateId::new(i), s)))
    }

    pub fn binding(&self, b: BindingId) -> &BindingKind {
        &self.bindings[b.index()]
    }

    /// The Python type of the instances of a `type` binding: a builtin atom
    /// (`builtins.float` -> `FloatExact`) or the exact class of the binding.
    pub fn binding_pytype(&self, b: BindingId) -> Option<PyType> {
        match self.bindings.get(b.index())? {
            BindingKind::Type(name) => {
                Some(PyType::of_builtin_name(name).unwrap_or(PyType::exact_class(b.0)))
            }
            _ => None,
        }
    }

    /// The value of constant `index`, if the function records it.
    pub fn const_value(&self, index: u32) -> Option<ConstValue> {
        self.consts
            .binary_search_by_key(&index, |c| c.0)
            .ok()
            .map(|i| self.consts[i].1)
    }

    /// Records the value of constant `index` (kept sorted, once).
    pub fn set_const_value(&mut self, index: u32, v: ConstValue) {
        if let Err(i) = self.consts.binary_search_by_key(&index, |c| c.0) {
            self.consts.insert(i, (index, v));
        }
    }

    /// The binding slot of type `name`, added if the function has none yet.
    pub fn type_binding(&mut self, name: &str) -> BindingId {
        self.binding_for(BindingKind::Type(name.to_string()))
    }

    /// The binding slot of `kind`, added if the function has none yet.
    pub fn binding_for(&mut self, kind: BindingKind) -> BindingId {
        match self.bindings.iter().position(|k| *k == kind) {
            Some(i) => BindingId::new(i),
            None => self.make_binding(kind),
        }
    }

    /// The last instruction of `b`, if it is a terminator.
    pub fn terminator(&self, b: Block) -> Option<Inst> {
        let last = *self.block(b).insts.last()?;
        self.inst(last).opcode.is_terminator().then_some(last)
    }

    /// Successor blocks of `b` (via its terminator), in edge order; may repeat.
    pub fn successors(&self, b: Block) -> Vec<Block> {
        match self.terminator(b) {
            Some(t) => self
                .inst(t)
                .operands
                .successors()
                .iter()
                .map(|c| c.block)
                .collect(),
            None => Vec::new(),
        }
    }

    /// Every instruction in layout order with its block.
    pub fn layout_insts(&self) -> impl Iterator<Item = (Block, Inst)> + '_ {
        self.layout
            .iter()
            .flat_map(move |&b| self.block(b).insts.iter().map(move |&i| (b, i)))
    }

    /// Adds a value to the arena.
    pub fn make_value(&mut self, ty: Type, def: ValueDef) -> Value {
        self.values.push(ValueData {
            ty,
            pyty: PyType::OBJECT,
            def,
        });
        Value::new(self.values.len() - 1)
    }

    /// Adds an empty block to the arena *and* appends it to the layout.
    pub fn make_block(&mut self) -> Block {
        self.blocks.push(BlockData::default());
        let b = Block::new(self.blocks.len() - 1);
        self.layout.push(b);
        b
    }

    /// Adds a parameter of type `ty` to `b`.
    pub fn add_block_param(&mut self, b: Block, ty: Type) -> Value {
        let index = self.block(b).params.len() as u32;
        let v = self.make_value(ty, ValueDef::Param(b, index));
        self.block_mut(b).params.push(v);
        v
    }

    /// Removes parameter `p` of block `b` and its argument on every edge into `b` (a branch
    /// with both edges into `b` loses it on both); later parameters move down one position.
    /// `p` becomes detached.
    pub fn remove_block_param(&mut self, b: Block, p: Value) {
        let Some(pos) = self.block(b).params.iter().position(|&x| x == p) else {
            return;
        };
        self.block_mut(b).params.remove(pos);
        for q in self.layout.clone() {
            let Some(t) = self.terminator(q) else {
                continue;
            };
            for bc in self.inst_mut(t).operands.successors_mut() {
                if bc.block == b {
                    bc.args.remove(pos);
                }
            }
        }
        for (j, v) in self.block(b).params.clone().into_iter().enumerate() {
            self.values[v.index()].def = ValueDef::Param(b, j as u32);
        }
        self.values[p.index()].def = ValueDef::Detached;
    }

    /// Adds a frame state.
    pub fn make_frame_state(&mut self, state: FrameState) -> FrameStateId {
        self.frame_states.push(Some(state));
        FrameStateId::new(self.frame_states.len() - 1)
    }

    /// Adds a binding-table slot.
    pub fn make_binding(&mut self, kind: BindingKind) -> BindingId {
        self.bindings.push(kind);
        BindingId::new(self.bindings.len() - 1)
    }

    /// Adds an instruction to the arena (not to any block) with results of `result_types`.
    pub fn make_inst(
        &mut self,
        opcode: Opcode,
        operands: Operands,
        result_types: &[Type],
        loc: Option<u32>,
    ) -> Inst {
        let inst = Inst::new(self.insts.len());
        let results = result_types
            .iter()
            .enumerate()
            .map(|(i, &ty)| self.make_value(ty, ValueDef::Result(inst, i as u32)))
            .collect();
        self.insts.push(InstData {
            opcode,
            operands,
            results,
            loc,
        });
        inst
    }

    /// Replaces every use of a value by `map(value)` in instructions and frame states (not in
    /// definitions: block params and results are untouched).
    pub fn rewrite_uses(&mut self, mut map: impl FnMut(Value) -> Value) {
        for &b in &self.layout {
            for &i in &self.blocks[b.index()].insts {
                self.insts[i.index()].operands.map_args(&mut map);
            }
        }
        for fs in self.frame_states.iter_mut().flatten() {
            fs.stack.iter_mut().for_each(|v| *v = map(*v));
            fs.locals.iter_mut().for_each(|(_, v)| *v = map(*v));
        }
    }

    /// Number of uses of each value (index = value id) by instructions and frame states of the
    /// layout; a frame state counts once per value occurrence, however many exits share it.
    pub fn use_counts(&self) -> Vec<u32> {
        let mut counts = vec![0u32; self.values.len()];
        // A use of a value the function does not define is the verifier's to report (and
        // lowering's, as an error): not counted, rather than a panic here.
        let mut count = |v: Value| {
            if let Some(c) = counts.get_mut(v.index()) {
                *c += 1;
            }
        };
        for (_, i) in self.layout_insts() {
            self.inst(i).operands.for_each_arg(&mut count);
        }
        for (_, fs) in self.live_frame_states() {
            fs.stack.iter().for_each(|&v| count(v));
            fs.locals.iter().for_each(|&(_, v)| count(v));
        }
        counts
    }
}

impl PartialEq for Function {
    fn eq(&self, other: &Function) -> bool {
        let states = |f: &Function| {
            f.live_frame_states()
                .map(|(i, s)| (i, s.clone()))
                .collect::<Vec<_>>()
        };
        let typed = |f: &Function, vs: &[Value]| {
            vs.iter()
                .map(|&v| (v, f.value_type(v), f.pytype(v)))
                .collect::<Vec<_>>()
        };
        let blocks = |f: &Function| {
            f.layout
                .iter()
                .map(|&b| {
                    let insts = f
                        .block(b)
                        .insts
                        .iter()
                        .map(|&i| {
                            let d = f.inst(i);
                            (d.opcode, d.operands.clone(), typed(f, &d.results), d.loc)
                        })
                        .collect::<Vec<_>>();
                    (b, typed(f, &f.block(b).params), f.block(b).cold, insts)
                })
                .collect::<Vec<_>>()
        };
        self.name == other.name
            && self.nlocalsplus == other.nlocalsplus
            && self.stacksize == other.stacksize
            && self.cold == other.cold
            && self.bindings == other.bindings
            && self.feedback == other.feedback
            && self.consts == other.consts
            && self.inline_callees == other.inline_callees
            && self.inlinee == other.inlinee
            && states(self) == states(other)
            && blocks(self) == blocks(other)
    }
}

impl Function {
    /// Removes frame states that no instruction in the layout references (directly or as an
    /// inlining parent of a referenced one). Ids of the others stay the same.
    pub fn remove_unused_frame_states(&mut self) {
        let mut used = vec![false; self.frame_states.len()];
        let mut work: Vec<FrameStateId> = self
            .layout_insts()
            .filter_map(|(_, i)| self.inst(i).operands.frame_state())
            .collect();
        while let Some(fs) = work.pop() {
            if fs.index() < used.len()
                && !std::mem::replace(&mut used[fs.index()], true)
                && let Some(Some(state)) = self.frame_states.get(fs.index())
            {
                work.extend(state.parent);
            }
        }
        for (slot, used) in self.frame_states.iter_mut().zip(used) {
            if !used {
                *slot = None;
            }
        }
    }

    /// Marks the params and results defined in `b` as detached (for a block leaving the
    /// layout).
    pub fn detach_block_values(&mut self, b: Block) {
        let mut vals = self.blocks[b.index()].params.clone();
        for &i in &self.blocks[b.index()].insts {
            vals.extend(&self.insts[i.index()].results);
        }
        for v in vals {
            self.values[v.index()].def = ValueDef::Detached;
        }
    }
}
