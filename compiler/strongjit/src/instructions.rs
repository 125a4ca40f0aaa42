//! The instruction set: opcodes, their operand formats, and the one table ([`OPCODES`]) that the
//! printer, the parser, the builder and the verifier all drive from.
//!
//! An instruction is an [`InstData`]: an [`Opcode`], its [`Operands`] (one variant per
//! [`Format`], shared by opcodes with the same operand syntax), its result values and an
//! optional bytecode location. Result *types* are not stored here (they live with the values
//! in the function) and are computed by [`result_types`] from the opcode and operand types.

use crate::callees::Callee;
use crate::entities::{BindingId, Block, FrameStateId, Value};
use crate::pyops::PyOp;
use crate::types::Type;
use std::fmt;

/// Integer comparison condition (`icmp.eq`). Signed/unsigned variants matter only for ordering.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum IntCC {
    Eq,
    Ne,
    Slt,
    Sle,
    Sgt,
    Sge,
    Ult,
    Ule,
    Ugt,
    Uge,
}

impl IntCC {
    pub const ALL: [IntCC; 10] = [
        IntCC::Eq,
        IntCC::Ne,
        IntCC::Slt,
        IntCC::Sle,
        IntCC::Sgt,
        IntCC::Sge,
        IntCC::Ult,
        IntCC::Ule,
        IntCC::Ugt,
        IntCC::Uge,
    ];
    pub fn name(self) -> &'static str {
        match self {
            IntCC::Eq => "eq",
            IntCC::Ne => "ne",
            IntCC::Slt => "slt",
            IntCC::Sle => "sle",
            IntCC::Sgt => "sgt",
            IntCC::Sge => "sge",
            IntCC::Ult => "ult",
            IntCC::Ule => "ule",
            IntCC::Ugt => "ugt",
            IntCC::Uge => "uge",
        }
    }
    pub fn from_name(s: &str) -> Option<IntCC> {
        IntCC::ALL.into_iter().find(|c| c.name() == s)
    }
}

/// Float comparison condition (`fcmp.lt`). Ordered: any comparison with NaN is false except `ne`.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum FloatCC {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

impl FloatCC {
    pub const ALL: [FloatCC; 6] = [
        FloatCC::Eq,
        FloatCC::Ne,
        FloatCC::Lt,
        FloatCC::Le,
        FloatCC::Gt,
        FloatCC::Ge,
    ];
    pub fn name(self) -> &'static str {
        match self {
            FloatCC::Eq => "eq",
            FloatCC::Ne => "ne",
            FloatCC::Lt => "lt",
            FloatCC::Le => "le",
            FloatCC::Gt => "gt",
            FloatCC::Ge => "ge",
        }
    }
    pub fn from_name(s: &str) -> Option<FloatCC> {
        FloatCC::ALL.into_iter().find(|c| c.name() == s)
    }
}

/// An object every interpreter has exactly one of, exported by libpython as a data symbol:
/// the singletons and the builtin types native code tests objects against
/// (`const_obj None`, `const_obj PyList_Type`).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum WellKnown {
    None,
    True,
    False,
    TupleType,
    ListType,
    TupleIterType,
    ListIterType,
    RangeIterType,
}

impl WellKnown {
    pub const ALL: [WellKnown; 8] = [
        WellKnown::None,
        WellKnown::True,
        WellKnown::False,
        WellKnown::TupleType,
        WellKnown::ListType,
        WellKnown::TupleIterType,
        WellKnown::ListIterType,
        WellKnown::RangeIterType,
    ];
    /// The text form: `None`, `True`, `False`, or the type's C symbol (`PyList_Type`).
    pub fn name(self) -> &'static str {
        match self {
            WellKnown::None => "None",
            WellKnown::True => "True",
            WellKnown::False => "False",
            other => other.symbol(),
        }
    }
    pub fn from_name(s: &str) -> Option<WellKnown> {
        WellKnown::ALL.into_iter().find(|w| w.name() == s)
    }
    /// The exported libpython data symbol of the object.
    pub fn symbol(self) -> &'static str {
        match self {
            WellKnown::None => "_Py_NoneStruct",
            WellKnown::True => "_Py_TrueStruct",
            WellKnown::False => "_Py_FalseStruct",
            WellKnown::TupleType => "PyTuple_Type",
            WellKnown::ListType => "PyList_Type",
            WellKnown::TupleIterType => "PyTupleIter_Type",
            WellKnown::ListIterType => "PyListIter_Type",
            WellKnown::RangeIterType => "PyRangeIter_Type",
        }
    }
}

/// A branch target with the arguments passed to its block parameters: `bb2(v1, v4)`.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub struct BlockCall {
    pub block: Block,
    pub args: Vec<Value>,
}

impl fmt::Display for BlockCall {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}(", self.block)?;
        write_list(f, &self.args)?;
        f.write_str(")")
    }
}

pub(crate) fn write_list(f: &mut impl fmt::Write, vals: &[Value]) -> fmt::Result {
    for (i, v) in vals.iter().enumerate() {
        if i > 0 {
            f.write_str(", ")?;
        }
        write!(f, "{v}")?;
    }
    Ok(())
}

/// Operand syntax shared by several opcodes. Each has exactly one [`Operands`] variant, one
/// printing rule and one parsing rule (see `write.rs`/`parser.rs`), shown here as text.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum Format {
    /// nothing: `null`, `unreachable`
    Nullary,
    /// `.T 42`
    IntConst,
    /// `1.5` (exact decimal, `inf`, `-inf` or `nan:0x<bits>`)
    FloatConst,
    /// `2` (a u32 immediate: local index, const index, bytecode index, byte count)
    UImm,
    /// `2, v`
    UImmValue,
    /// `b0`
    Binding,
    /// `.T p, 16`
    Load,
    /// `.T p, 16, v`
    Store,
    /// `v`
    Unary,
    /// `.T v` (conversion to an explicit type)
    UnaryTyped,
    /// `a, b`
    Binary,
    /// `.cc a, b`
    IntCompare,
    /// `.cc a, b`
    FloatCompare,
    /// `c, a, b`
    Ternary,
    /// `Name(a, b)`
    Call,
    /// `v, fs3`
    Check,
    /// `c, fs3, "reason"`
    DeoptIf,
    /// `bb2(v1)`
    Jump,
    /// `c, bb1(v1), bb2()`
    Branch,
    /// `fs3, "reason"`
    Deopt,
    /// `bb1(), catch @14 bb5(), catch @30 bb6()`
    Entry,
    /// `fs3`
    Raise,
    /// `v, b2, fs3`
    GuardType,
    /// `.op a, b, fs3` (a Python-level operation; see [`crate::pyops`])
    Py,
    /// `None` / `True` / `False`
    WellKnown,
    /// `v, "s6::mod.f"`
    Symbol,
}

/// The operands of an instruction, by [`Format`].
#[derive(Clone, PartialEq, Debug)]
pub enum Operands {
    Nullary,
    IntConst {
        ty: Type,
        imm: i64,
    },
    /// `bits` is the IEEE-754 bit pattern, so NaN payloads and -0.0 compare exactly.
    FloatConst {
        bits: u64,
    },
    UImm {
        imm: u32,
    },
    UImmValue {
        imm: u32,
        arg: Value,
    },
    Binding {
        binding: BindingId,
    },
    Load {
        ty: Type,
        ptr: Value,
        offset: i32,
    },
    Store {
        ty: Type,
        ptr: Value,
        offset: i32,
        value: Value,
    },
    Unary {
        arg: Value,
    },
    UnaryTyped {
        ty: Type,
        arg: Value,
    },
    Binary {
        args: [Value; 2],
    },
    IntCompare {
        cond: IntCC,
        args: [Value; 2],
    },
    FloatCompare {
        cond: FloatCC,
        args: [Value; 2],
    },
    Ternary {
        args: [Value; 3],
    },
    Call {
        callee: &'static Callee,
        args: Vec<Value>,
    },
    Check {
        arg: Value,
        fs: FrameStateId,
    },
    DeoptIf {
        cond: Value,
        fs: FrameStateId,
        reason: String,
    },
    Jump {
        dest: BlockCall,
    },
    Branch {
        cond: Value,
        then_dest: BlockCall,
        else_dest: BlockCall,
    },
    Deopt {
        fs: FrameStateId,
        reason: String,
    },
    /// The body, then each exception handler native code enters (handler code unit, block).
    Entry {
        body: BlockCall,
        handlers: Vec<(u32, BlockCall)>,
    },
    Raise {
        fs: FrameStateId,
    },
    GuardType {
        arg: Value,
        binding: BindingId,
        fs: FrameStateId,
    },
    Py {
        op: PyOp,
        args: Vec<Value>,
        fs: FrameStateId,
    },
    WellKnown {
        obj: WellKnown,
    },
    Symbol {
        arg: Value,
        symbol: String,
    },
}

impl Operands {
    /// The format this operand shape belongs to.
    pub fn format(&self) -> Format {
        match self {
            Operands::Nullary => Format::Nullary,
            Operands::IntConst { .. } => Format::IntConst,
            Operands::FloatConst { .. } => Format::FloatConst,
            Operands::UImm { .. } => Format::UImm,
            Operands::UImmValue { .. } => Format::UImmValue,
            Operands::Binding { .. } => Format::Binding,
            Operands::Load { .. } => Format::Load,
            Operands::Store { .. } => Format::Store,
            Operands::Unary { .. } => Format::Unary,
            Operands::UnaryTyped { .. } => Format::UnaryTyped,
            Operands::Binary { .. } => Format::Binary,
            Operands::IntCompare { .. } => Format::IntCompare,
            Operands::FloatCompare { .. } => Format::FloatCompare,
            Operands::Ternary { .. } => Format::Ternary,
            Operands::Call { .. } => Format::Call,
            Operands::Check { .. } => Format::Check,
            Operands::DeoptIf { .. } => Format::DeoptIf,
            Operands::Jump { .. } => Format::Jump,
            Operands::Branch { .. } => Format::Branch,
            Operands::Deopt { .. } => Format::Deopt,
            Operands::Entry { .. } => Format::Entry,
            Operands::Raise { .. } => Format::Raise,
            Operands::GuardType { .. } => Format::GuardType,
            Operands::Py { .. } => Format::Py,
            Operands::WellKnown { .. } => Format::WellKnown,
            Operands::Symbol { .. } => Format::Symbol,
        }
    }

    /// Every value operand, including branch arguments (not frame-state values).
    pub fn args(&self) -> Vec<Value> {
        let mut out = Vec::new();
        self.for_each_arg(|v| out.push(v));
        out
    }

    /// Calls `f` on every value operand in text order (including branch arguments).
    pub fn for_each_arg(&self, mut f: impl FnMut(Value)) {
        match self {
            Operands::Nullary
            | Operands::IntConst { .. }
            | Operands::FloatConst { .. }
            | Operands::UImm { .. }
            | Operands::Binding { .. }
            | Operands::WellKnown { .. }
            | Operands::Deopt { .. }
            | Operands::Raise { .. } => {}
            Operands::UImmValue { arg, .. }
            | Operands::Unary { arg }
            | Operands::UnaryTyped { arg, .. }
            | Operands::Check { arg, .. }
            | Operands::DeoptIf { cond: arg, .. }
            | Operands::GuardType { arg, .. }
            | Operands::Symbol { arg, .. }
            | Operands::Load { ptr: arg, .. } => f(*arg),
            Operands::Store { ptr, value, .. } => {
                f(*ptr);
                f(*value);
            }
            Operands::Binary { args }
            | Operands::IntCompare { args, .. }
            | Operands::FloatCompare { args, .. } => args.iter().copied().for_each(f),
            Operands::Ternary { args } => args.iter().copied().for_each(f),
            Operands::Call { args, .. } | Operands::Py { args, .. } => {
                args.iter().copied().for_each(f)
            }
            Operands::Jump { dest } => dest.args.iter().copied().for_each(f),
            Operands::Branch {
                cond,
                then_dest,
                else_dest,
            } => {
                f(*cond);
                then_dest.args.iter().copied().for_each(&mut f);
                else_dest.args.iter().copied().for_each(f);
            }
            Operands::Entry { body, handlers } => {
                body.args.iter().copied().for_each(&mut f);
                for (_, h) in handlers {
                    h.args.iter().copied().for_each(&mut f);
                }
            }
        }
    }

    /// Rewrites every value operand in place (including branch arguments).
    pub fn map_args(&mut self, mut f: impl FnMut(Value) -> Value) {
        match self {
            Operands::Nullary
            | Operands::IntConst { .. }
            | Operands::FloatConst { .. }
            | Operands::UImm { .. }
            | Operands::Binding { .. }
            | Operands::WellKnown { .. }
            | Operands::Deopt { .. }
            | Operands::Raise { .. } => {}
            Operands::UImmValue { arg, .. }
            | Operands::Unary { arg }
            | Operands::UnaryTyped { arg, .. }
            | Operands::Check { arg, .. }
            | Operands::GuardType { arg, .. }
            | Operands::Symbol { arg, .. }
            | Operands::DeoptIf { cond: arg, .. } => *arg = f(*arg),
            Operands::Load { ptr, .. } => *ptr = f(*ptr),
            Operands::Store { ptr, value, .. } => {
                *ptr = f(*ptr);
                *value = f(*value);
            }
            Operands::Binary { args }
            | Operands::IntCompare { args, .. }
            | Operands::FloatCompare { args, .. } => args.iter_mut().for_each(|a| *a = f(*a)),
            Operands::Ternary { args } => args.iter_mut().for_each(|a| *a = f(*a)),
            Operands::Call { args, .. } | Operands::Py { args, .. } => {
                args.iter_mut().for_each(|a| *a = f(*a))
            }
            Operands::Jump { dest } => dest.args.iter_mut().for_each(|a| *a = f(*a)),
            Operands::Branch {
                cond,
                then_dest,
                else_dest,
            } => {
                *cond = f(*cond);
                then_dest.args.iter_mut().for_each(|a| *a = f(*a));
                else_dest.args.iter_mut().for_each(|a| *a = f(*a));
            }
            Operands::Entry { body, handlers } => {
                body.args.iter_mut().for_each(|a| *a = f(*a));
                for (_, h) in handlers {
                    h.args.iter_mut().for_each(|a| *a = f(*a));
                }
            }
        }
    }

    /// The frame state this instruction may leave at (or, for `py.*`, may be specialized to
    /// leave at), if any.
    pub fn frame_state(&self) -> Option<FrameStateId> {
        match self {
            Operands::Check { fs, .. }
            | Operands::DeoptIf { fs, .. }
            | Operands::Deopt { fs, .. }
            | Operands::GuardType { fs, .. }
            | Operands::Py { fs, .. }
            | Operands::Raise { fs } => Some(*fs),
            _ => None,
        }
    }

    /// Mutable access to the frame state reference, if any.
    pub fn frame_state_mut(&mut self) -> Option<&mut FrameStateId> {
        match self {
            Operands::Check { fs, .. }
            | Operands::DeoptIf { fs, .. }
            | Operands::Deopt { fs, .. }
            | Operands::GuardType { fs, .. }
            | Operands::Py { fs, .. }
            | Operands::Raise { fs } => Some(fs),
            _ => None,
        }
    }

    /// Successor edges of a terminator (empty for everything else).
    pub fn successors(&self) -> Vec<&BlockCall> {
        match self {
            Operands::Jump { dest } => vec![dest],
            Operands::Branch {
                then_dest,
                else_dest,
                ..
            } => vec![then_dest, else_dest],
            Operands::Entry { body, handlers } => std::iter::once(body)
                .chain(handlers.iter().map(|(_, h)| h))
                .collect(),
            _ => Vec::new(),
        }
    }

    /// Mutable successor edges.
    pub fn successors_mut(&mut self) -> Vec<&mut BlockCall> {
        match self {
            Operands::Jump { dest } => vec![dest],
            Operands::Branch {
                then_dest,
                else_dest,
                ..
            } => vec![then_dest, else_dest],
            Operands::Entry { body, handlers } => std::iter::once(body)
                .chain(handlers.iter_mut().map(|(_, h)| h))
                .collect(),
            _ => Vec::new(),
        }
    }
}

/// What kind of type suffix (`iconst.i64`, `icmp.eq`) an opcode's mnemonic carries; the suffix
/// is part of the operands (see [`Format`]).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Suffix {
    None,
    Type,
    IntCC,
    FloatCC,
    /// `py.add`: a [`PyOp`] name.
    PyOp,
}

/// Static properties of an opcode: one row of [`OPCODES`].
#[derive(Clone, Copy, Debug)]
pub struct OpInfo {
    pub opcode: Opcode,
    pub mnemonic: &'static str,
    pub format: Format,
    /// Number of results (calls: 0 or 1 depending on the callee; see [`result_types`]).
    pub results: u8,
    /// Ends a block.
    pub terminator: bool,
    /// No effect besides computing its results: may be removed when they are unused, and
    /// neither reads nor writes reference counts (see `passes::dce`, `passes::refcount_pairs`).
    pub pure: bool,
}

macro_rules! opcodes {
    ($( $(#[$doc:meta])* $op:ident = $mn:literal, $fmt:ident, results $res:literal, $kind:ident; )*) => {
        /// An instruction opcode. See [`OPCODES`] for the mnemonic and format of each and
        /// `lib.rs` for the semantics.
        #[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
        pub enum Opcode { $( $(#[$doc])* $op, )* }

        /// The instruction table: (opcode, mnemonic, operand format, result count, kind).
        /// The printer, parser, builder and verifier all read it; add an opcode here and in
        /// [`result_types`] (and the verifier's operand rules) and the text format follows.
        pub const OPCODES: &[OpInfo] = &[ $( OpInfo {
            opcode: Opcode::$op,
            mnemonic: $mn,
            format: Format::$fmt,
            results: $res,
            terminator: opcodes!(@term $kind),
            pure: opcodes!(@pure $kind),
        }, )* ];
    };
    (@term term) => { true };
    (@term $k:ident) => { false };
    (@pure pure) => { true };
    (@pure $k:ident) => { false };
}

opcodes! {
    /// `v = iconst.T imm` (T is i64, i32 or i8)
    Iconst = "iconst", IntConst, results 1, pure;
    /// `v = fconst 1.5`
    Fconst = "fconst", FloatConst, results 1, pure;
    /// `v = null`: an obj NULL.
    Null = "null", Nullary, results 1, pure;
    /// `v = load_local i`: `frame->localsplus[i]`; borrowed, may be NULL.
    LoadLocal = "load_local", UImm, results 1, pure;
    /// `store_local i, v`: stores v (taking its reference), then XDECREFs the old value.
    StoreLocal = "store_local", UImmValue, results 0, effect;
    /// `v:FloatExact = store_local_float i, x`: stores `float(x)` in local i: into the object
    /// the local holds when that is an exact `float` only the frame references (its value
    /// replaced in place: nothing else can see it), else into a new `float`, the old value then
    /// XDECREF'd. `v` is the object now in the local (borrowed from the frame), or NULL on a
    /// memory error (the local unchanged). See `passes::reuse_local_boxes`.
    StoreLocalFloat = "store_local_float", UImmValue, results 1, effect;
    /// `v:LongExact = store_local_int i, x`: as `store_local_float` for an `int`; in place only
    /// when the old object is an exact one-digit `int` only the frame references and `x` has
    /// one digit and is not a small int (small ints are the interpreter's shared objects).
    StoreLocalInt = "store_local_int", UImmValue, results 1, effect;
    /// `v:FloatExact = rebox_float old, x`: a new reference to a `float` of value x: `old`
    /// itself, its value replaced and its count raised, when it is an exact `float` whose count
    /// is 1 (its one holder is the container slot about to be overwritten with `v`: nothing
    /// else can see the change), else a new `float` (NULL on a memory error, `old` untouched).
    /// See `passes::reuse_item_boxes`.
    ReboxFloat = "rebox_float", Binary, results 1, effect;
    /// `v:LongExact = rebox_int old, x`: as `rebox_float` for an `int`: in place only when
    /// `old` is an exact one-digit `int` and `x` has one digit and is not a small int (small
    /// ints are the interpreter's shared objects).
    ReboxInt = "rebox_int", Binary, results 1, effect;
    /// `v = load_const i`: borrowed from co_consts.
    LoadConst = "load_const", UImm, results 1, pure;
    /// `v = load_name i`: borrowed str from co_names.
    LoadName = "load_name", UImm, results 1, pure;
    /// `v = load_binding b0`: borrowed, may be NULL.
    LoadBinding = "load_binding", Binding, results 1, pure;
    /// `v = binding_addr b0`: ptr to the slot itself: the first word of a site cache.
    BindingAddr = "binding_addr", Binding, results 1, pure;
    /// `set_prev_instr i`: frame->prev_instr = code + i (before call-outs).
    SetPrevInstr = "set_prev_instr", UImm, results 0, effect;
    /// `v = stack_alloc n`: ptr to n bytes (8-aligned) of frame-local native stack memory,
    /// e.g. a vectorcall argument array. Each instruction is its own slot.
    StackAlloc = "stack_alloc", UImm, results 1, pure;
    /// `v = load.T p, off`
    Load = "load", Load, results 1, pure;
    /// `store.T p, off, v`
    Store = "store", Store, results 0, effect;
    /// `incref v` (v not NULL)
    Incref = "incref", Unary, results 0, effect;
    /// `decref v` (v not NULL; may run arbitrary code via `__del__`)
    Decref = "decref", Unary, results 0, effect;
    /// `xincref v` (v may be NULL)
    Xincref = "xincref", Unary, results 0, effect;
    /// `xdecref v` (v may be NULL)
    Xdecref = "xdecref", Unary, results 0, effect;
    /// `v = const_obj None`: a borrowed reference to a [`WellKnown`] object.
    ConstObj = "const_obj", WellKnown, results 1, pure;
    /// `p2 = ptr_add p, n`: the address n bytes after p (p obj or ptr, n i64) -> ptr.
    PtrAdd = "ptr_add", Binary, results 1, pure;
    Iadd = "iadd", Binary, results 1, pure;
    Isub = "isub", Binary, results 1, pure;
    Imul = "imul", Binary, results 1, pure;
    /// `sdiv a, b`: signed division truncating toward zero; b != 0 and not `MIN / -1` (the
    /// code guards both first: machine division traps).
    Sdiv = "sdiv", Binary, results 1, pure;
    /// `srem a, b`: the remainder of `sdiv` (sign of a); same preconditions.
    Srem = "srem", Binary, results 1, pure;
    /// `v, o = iadd_ovf a, b`: wrapped result and an i8 signed-overflow flag.
    IaddOvf = "iadd_ovf", Binary, results 2, pure;
    IsubOvf = "isub_ovf", Binary, results 2, pure;
    ImulOvf = "imul_ovf", Binary, results 2, pure;
    And = "and", Binary, results 1, pure;
    Or = "or", Binary, results 1, pure;
    Xor = "xor", Binary, results 1, pure;
    Shl = "shl", Binary, results 1, pure;
    Ashr = "ashr", Binary, results 1, pure;
    /// `v = icmp.cc a, b` (ints or pointers of one type) -> i8
    Icmp = "icmp", IntCompare, results 1, pure;
    Fadd = "fadd", Binary, results 1, pure;
    Fsub = "fsub", Binary, results 1, pure;
    Fmul = "fmul", Binary, results 1, pure;
    Fdiv = "fdiv", Binary, results 1, pure;
    /// `fneg a`: flips the sign bit (so `-0.0` and NaN payloads behave as in C).
    Fneg = "fneg", Unary, results 1, pure;
    /// `v = fcmp.cc a, b` -> i8
    Fcmp = "fcmp", FloatCompare, results 1, pure;
    /// `v = sitofp a`: signed int -> f64
    Sitofp = "sitofp", Unary, results 1, pure;
    /// `v = sextend.T a`: sign-extend to the wider int type T
    Sextend = "sextend", UnaryTyped, results 1, pure;
    /// `v = uextend.T a`: zero-extend to the wider int type T
    Uextend = "uextend", UnaryTyped, results 1, pure;
    /// `v = ireduce.T a`: truncate to the narrower int type T
    Ireduce = "ireduce", UnaryTyped, results 1, pure;
    /// `v = select c, a, b`: c (i8) != 0 ? a : b
    Select = "select", Ternary, results 1, pure;
    /// `[v =] call Name(args)`: a function from the callee table.
    Call = "call", Call, results 1, effect;
    /// `check_null v, fs`: if v == NULL leave with the exception set at fs.
    CheckNull = "check_null", Check, results 0, effect;
    /// `check_neg v, fs`: if v < 0 (i32/i64) leave with the exception set at fs.
    CheckNeg = "check_neg", Check, results 0, effect;
    /// `deopt_if c, fs, "reason"`: if c != 0 resume in the interpreter at fs.
    DeoptIf = "deopt_if", DeoptIf, results 0, effect;
    /// `jump bb(args)`
    Jump = "jump", Jump, results 0, term;
    /// `branch c, bb1(args), bb2(args)`: c (i8) != 0 goes to the first target.
    Branch = "branch", Branch, results 0, term;
    /// `return v`: v is an owned obj.
    Return = "return", Unary, results 0, term;
    /// `deopt fs, "reason"`: resume in the interpreter at fs.
    Deopt = "deopt", Deopt, results 0, term;
    /// `entry bb1(), catch @14 bb5(), ...`: the entry block's terminator in a function whose
    /// exception handlers run natively. Execution continues in the body (`bb1`); each
    /// `catch @H bbN` is where an exception that the handler at code unit H catches enters
    /// (from the error exits, through `s6_rt_catch`: see `lower::exits`), with the frame as
    /// the exit left it. The handler edges make handler code reachable and dominated by the
    /// entry; what flows along them is the frame, not the entry block's state: passes that
    /// track locals or "nothing ran since entry" treat a handler block as a fresh entry
    /// ([`crate::function::Function::catch_blocks`]).
    Entry = "entry", Entry, results 0, term;
    /// `raise fs`: leave with the (already set) exception at fs.
    Raise = "raise", Raise, results 0, term;
    /// `unreachable`
    Unreachable = "unreachable", Nullary, results 0, term;
    /// `v2:T = guard_type v1, b3, fs4`: deopt at fs4 unless `type(v1)` is exactly the type in
    /// binding b3; v2 is v1 (same object, same ownership) with that Python type.
    GuardType = "guard_type", GuardType, results 1, effect;
    /// `x:f64 = unbox_float v`: the `double` of a `float` (v must be typed `Float`).
    UnboxFloat = "unbox_float", Unary, results 1, pure;
    /// `x:i64 = unbox_int v, fs`: the value of an `int` (v typed `LongExact`); deopts at fs
    /// when it does not fit the inline form (more than two 30-bit digits).
    UnboxInt = "unbox_int", Check, results 1, effect;
    /// `x:f64, isf:i8 = unbox_number v, fs`: a `float`'s double (isf = 1), or an `int`'s
    /// value converted exactly (isf = 0; |v| <= 2^53); deopts at fs for anything else.
    UnboxNumber = "unbox_number", Check, results 2, effect;
    /// `c:i8 = native_is f, "s6::m.g"`: 1 when native code may run the body of compiled
    /// function `s6::m.g` of the same object in place of a call of `f`: `f` is a plain
    /// function whose code the runtime bound to that symbol in this activation (not retired),
    /// tracing and profiling are off and the recursion limit is not reached (as a direct call
    /// checks before it enters); 0 otherwise (also for NULL, and under guard stress on the
    /// stress polls). Reads nothing it could change. See `passes::inline`.
    NativeIs = "native_is", Symbol, results 1, effect;
    /// `v:FloatExact = box_float x`: a new `float` (NULL on memory error).
    BoxFloat = "box_float", Unary, results 1, effect;
    /// `v:LongExact = box_int x`: a new `int` from an i64 (NULL on memory error).
    BoxInt = "box_int", Unary, results 1, effect;
    /// `v:Bool = box_bool c`: a new reference to `True` (c != 0) or `False`; cannot fail.
    BoxBool = "box_bool", Unary, results 1, effect;
    /// `check_tracing fs`: leave at fs (a deopt to the next instruction) when tracing or
    /// profiling was switched on (`tstate->cframe->use_tracing`), so the interpreter traces
    /// the rest of the frame. After instructions that may run Python code.
    CheckTracing = "check_tracing", Raise, results 0, effect;
    /// `v = py.OP args, fs`: a Python-level operation (see [`crate::pyops`]); the result is a
    /// new reference or an i32 status as the op says, checked by the instruction after it.
    Py = "py", Py, results 1, effect;
}

impl Opcode {
    /// This opcode's row of [`OPCODES`].
    pub fn info(self) -> &'static OpInfo {
        // The table is in enum declaration order (generated by the same macro).
        &OPCODES[self as usize]
    }
    pub fn mnemonic(self) -> &'static str {
        self.info().mnemonic
    }
    pub fn format(self) -> Format {
        self.info().format
    }
    pub fn is_terminator(self) -> bool {
        self.info().terminator
    }
    pub fn is_pure(self) -> bool {
        self.info().pure
    }
    /// Leaves native code to the interpreter at a frame state (conditionally or not).
    pub fn is_exit(self) -> bool {
        matches!(
            self,
            Opcode::CheckNull
                | Opcode::CheckNeg
                | Opcode::DeoptIf
                | Opcode::Deopt
                | Opcode::Raise
                | Opcode::GuardType
                | Opcode::UnboxInt
                | Opcode::UnboxNumber
                | Opcode::CheckTracing
        )
    }
    /// Looks an opcode up by mnemonic (without suffix).
    pub fn from_mnemonic(s: &str) -> Option<Opcode> {
        OPCODES.iter().find(|i| i.mnemonic == s).map(|i| i.opcode)
    }
    /// The kind of `.suffix` the mnemonic carries in text.
    pub fn suffix(self) -> Suffix {
        match self.format() {
            Format::IntConst | Format::Load | Format::Store | Format::UnaryTyped => Suffix::Type,
            Format::IntCompare => Suffix::IntCC,
            Format::FloatCompare => Suffix::FloatCC,
            Format::Py => Suffix::PyOp,
            _ => Suffix::None,
        }
    }
}

impl fmt::Display for Opcode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.mnemonic())
    }
}

/// One instruction.
#[derive(Clone, PartialEq, Debug)]
pub struct InstData {
    pub opcode: Opcode,
    pub operands: Operands,
    /// Result values in order (their types live in the function's value arena).
    pub results: Vec<Value>,
    /// Bytecode code-unit index this instruction belongs to (`@12` in text).
    pub loc: Option<u32>,
}

/// The result types of `opcode` with `operands`, given the types of its value operands
/// (`ty_of`). `None` when the operand types do not determine them (ill-typed: the verifier
/// reports it).
pub fn result_types(
    opcode: Opcode,
    operands: &Operands,
    ty_of: impl Fn(Value) -> Option<Type>,
) -> Option<Vec<Type>> {
    use Opcode::*;
    let first = || operands.args().first().and_then(|v| ty_of(*v));
    Some(match (opcode, operands) {
        (Iconst, Operands::IntConst { ty, .. }) => vec![*ty],
        (Fconst, _) => vec![Type::F64],
        (Null | LoadLocal | LoadConst | LoadName | LoadBinding | ConstObj, _) => vec![Type::Obj],
        (PtrAdd, _) => vec![Type::Ptr],
        (Fneg, _) => vec![Type::F64],
        (StackAlloc | BindingAddr, _) => vec![Type::Ptr],
        (Load, Operands::Load { ty, .. }) => vec![*ty],
        (
            Iadd | Isub | Imul | Sdiv | Srem | And | Or | Xor | Shl | Ashr | Fadd | Fsub | Fmul
            | Fdiv,
            _,
        ) => {
            vec![first()?]
        }
        (IaddOvf | IsubOvf | ImulOvf, _) => vec![first()?, Type::I8],
        (Icmp | Fcmp | NativeIs, _) => vec![Type::I8],
        (Sitofp, _) => vec![Type::F64],
        (Sextend | Uextend | Ireduce, Operands::UnaryTyped { ty, .. }) => vec![*ty],
        (Select, Operands::Ternary { args }) => vec![ty_of(args[1])?],
        (
            GuardType | BoxFloat | BoxInt | BoxBool | StoreLocalFloat | StoreLocalInt | ReboxFloat
            | ReboxInt,
            _,
        ) => {
            vec![Type::Obj]
        }
        (UnboxFloat, _) => vec![Type::F64],
        (UnboxInt, _) => vec![Type::I64],
        (UnboxNumber, _) => vec![Type::F64, Type::I8],
        (Py, Operands::Py { op, .. }) => vec![op.result_type()],
        (Call, Operands::Call { callee, .. }) => callee.ret.into_iter().collect(),
        (op, _) if op.info().results == 0 => Vec::new(),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_indexed_by_opcode() {
        for (i, info) in OPCODES.iter().enumerate() {
            assert_eq!(info.opcode as usize, i);
            assert_eq!(Opcode::from_mnemonic(info.mnemonic), Some(info.opcode));
            assert!(!info.terminator || !info.pure);
            assert!(!info.opcode.is_exit() || !info.pure);
            let exit_format = matches!(
                info.format,
                Format::Check | Format::DeoptIf | Format::Deopt | Format::Raise | Format::GuardType
            );
            assert_eq!(info.opcode.is_exit(), exit_format, "{}", info.mnemonic);
        }
    }

    #[test]
    fn for_each_arg_agrees_with_map_args() {
        let v = |i| Value(i);
        let bc = |b, a: Vec<Value>| BlockCall {
            block: Block(b),
            args: a,
        };
        let cases = [
            Operands::Store {
                ty: Type::I64,
                ptr: v(1),
                offset: 0,
                value: v(2),
            },
            Operands::Ternary {
                args: [v(1), v(2), v(3)],
            },
            Operands::Branch {
                cond: v(1),
                then_dest: bc(1, vec![v(2)]),
                else_dest: bc(2, vec![v(3), v(4)]),
            },
            Operands::Load {
                ty: Type::I64,
                ptr: v(7),
                offset: 8,
            },
            Operands::Deopt {
                fs: FrameStateId(0),
                reason: String::new(),
            },
        ];
        for ops in cases {
            let mut mapped = Vec::new();
            ops.clone().map_args(|x| {
                mapped.push(x);
                x
            });
            assert_eq!(ops.args(), mapped);
        }
    }

    #[test]
    fn suffix_follows_format() {
        assert_eq!(Opcode::Iconst.suffix(), Suffix::Type);
        assert_eq!(Opcode::Icmp.suffix(), Suffix::IntCC);
        assert_eq!(Opcode::Fcmp.suffix(), Suffix::FloatCC);
        assert_eq!(Opcode::Iadd.suffix(), Suffix::None);
    }
}
