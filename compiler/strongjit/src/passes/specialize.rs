//! Specialization: Python-level operations (`py.*`) become typed machine code where the
//! operand types are known, either proven (the Python types on values) or speculated from the
//! profile's feedback (a `guard_type` that deopts to the interpreter at the operation's
//! frame state, which then re-runs it).
//!
//! What is specialized, and how the semantics of CPython are kept:
//! * `int` (exact) arithmetic on values unboxed to i64 (`unbox_int` deopts beyond two 30-bit
//!   digits): `+ - *` with an overflow check that deopts (the interpreter then produces the big
//!   int), `& | ^`, `//` and `%` with Python's floor semantics (deopt on a zero divisor, where
//!   the interpreter raises), `<<` (deopt on a negative count or overflow), `>>` (deopt on a
//!   negative count), `/` when both fit a double exactly (|x| <= 2^53), comparisons.
//! * `float` (exact) arithmetic on doubles: `+ - * /` (deopt on a zero divisor), `//`, `%`
//!   and `**` through the runtime's exact copies of `floatobject.c`, comparisons (IEEE, as
//!   `float_richcompare`), negation; an `int` operand of a float operation is converted as
//!   `float.__radd__` & co. do (exactly when |x| <= 2^53, else the operation deopts).
//! * truth of `bool`, `int`, `float`, `None`, `list`, `tuple`, `dict`, `str` by a field test;
//!   of anything else, `True`/`False`/`None` by identity before the generic call (as ceval's
//!   `POP_JUMP_IF_*` does).
//! * `list[int]` and `tuple[int]` reads, `list[int] = v` writes, with negative indices and a
//!   bounds check that deopts (the interpreter raises `IndexError`); at a site where CPython's
//!   form missed, a container of another type or an index out of range takes the generic call
//!   instead (which raises `IndexError` natively): a sequence that is sometimes a `bytes`, or
//!   an `IndexError` that a caller catches, costs what the generic operation costs.
//! * where the feedback names both the int and the float form of one operator, or a float
//!   form that missed: the number path below, whose int/int case runs one-digit ints in
//!   machine code.
//! * `+ - * /` at a site with no operand feedback (3.11 never specializes `/`, nor an int
//!   meeting a float): doubles when the operands are exact floats or one-digit ints (one of
//!   them a float, except for `/`), the int path for `+ - *`, the generic call for the rest;
//!   no deopt ([`Specializer::number_or_generic`]); comparisons there likewise, as doubles or
//!   as machine ints ([`Specializer::compare_or_generic`]).
//! * `==`/`!=` where CPython compared two strs: identity, length and `_PyUnicode_Equal` in
//!   machine code beside the generic comparison, no deopt ([`Specializer::str_eq_or_generic`]).
//! * calls of builtins the profile names (`len`, `isinstance`, `list.append`, and the one-argument
//!   functions of `math` that call the C library, named through the load of the callable):
//!   the callee compared with a binding, the C code called directly, the generic call
//!   otherwise ([`Specializer::specialize_call`], [`Specializer::math_call`]).
//!
//! Speculation: an operand gets a `guard_type` when the site's dominant observation (see
//! [`crate::feedback::SPECULATE_SHARE`]) names its type and nothing proves it already, except
//! at an int operator or comparison site that missed (other types reached CPython's int
//! form), which gets the int path (then the float path, for `+ - *` and comparisons) beside
//! the generic call and no guard. A site
//! CPython specialized for floats but that *missed* (other types reached it: an accumulator
//! that starts as the int 0, vectors with int components) is not speculated on: its operands
//! are unboxed as numbers (float or int), the arithmetic is done on doubles when one of them
//! is a float and on ints (one-digit ones in machine code, others generically) when both are
//! ints, and the result is boxed at the merge.
//!
//! Every generic call beside a typed path is in a `cold` block: lowering places it after the
//! code that runs, so a function's hot paths stay together in the instruction cache.
//!
//! Does not: specialize `str` (but equality) or `dict` operations, rich comparisons of other types, in-place
//! operations on mutable objects; remove the guards it adds when they are redundant (that is
//! `simplify`); box or unbox across operations (results are boxed here, and `simplify` and
//! `box_elim` remove the boxes that only feed other unboxed code).

use std::collections::{HashMap, HashSet};

use crate::builder::FunctionBuilder;
use crate::entities::{Block, FrameStateId, Inst, Value};
use crate::function::{ConstValue, Function, ValueDef};
use crate::instructions::{FloatCC, IntCC, Opcode, Operands, WellKnown};
use crate::pyops::{NumOp, PyOp};
use crate::types::{PyType, Type};
use s6_py311::layout::{dict, float, list, long, tuple, unicode};

/// Runs the pass (see the module docs).
pub fn specialize(f: &mut Function) {
    let func = std::mem::replace(f, Function::new("", 0, 0));
    let mut s = Specializer {
        b: FunctionBuilder::resume(func),
        replaced: HashMap::new(),
        wide: HashSet::new(),
    };
    let mut work: Vec<Block> = s.b.func().layout.clone();
    work.reverse();
    while let Some(block) = work.pop() {
        let mut pos = 0;
        while pos < s.b.func().block(block).insts.len() {
            let inst = s.b.func().block(block).insts[pos];
            if s.b.func().inst(inst).opcode != Opcode::Py {
                pos += 1;
                continue;
            }
            match s.specialize_at(block, pos, inst) {
                Outcome::Kept => pos += 1,
                Outcome::Replaced { next } => pos = next,
                Outcome::Split { cont } => {
                    // The rest of the block (after the operation) moved to `cont`.
                    work.push(cont);
                    break;
                }
            }
        }
    }
    let replaced = s.replaced;
    *f = s.b.finish();
    if !replaced.is_empty() {
        f.rewrite_uses(|v| resolve(&replaced, v));
    }
    f.remove_unused_frame_states();
}

fn resolve(map: &HashMap<Value, Value>, mut v: Value) -> Value {
    while let Some(&r) = map.get(&v) {
        v = r;
    }
    v
}

enum Outcome {
    /// Left as it is (legalize makes it generic).
    Kept,
    /// Removed; scanning resumes at `next` in the same block.
    Replaced { next: usize },
    /// Removed, and the code after it now starts block `cont`.
    Split { cont: Block },
}

/// What an operand is, for the typed code.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Num {
    Int,
    Float,
    /// A `float` or an `int`, used as a double (`unbox_number`): what a site CPython
    /// specialized for floats sees when an accumulator starts as an int (`total = 0`).
    Number,
}

struct Specializer {
    b: FunctionBuilder,
    /// Results of removed operations -> what replaces them.
    replaced: HashMap<Value, Value>,
    /// Results of operations left generic because of a wide int constant: wide themselves,
    /// most likely (`(s * 6364136223846793005) + 1`), so they count as such a constant.
    wide: HashSet<Value>,
}

const INT: &str = "builtins.int";
const FLOAT: &str = "builtins.float";
const STR: &str = "builtins.str";
const LIST: &str = "builtins.list";
const TUPLE: &str = "builtins.tuple";

/// |x| <= 2^53: an int a double holds exactly.
const EXACT_DOUBLE: i64 = 1 << 53;

impl Specializer {
    fn f(&self) -> &Function {
        self.b.func()
    }

    fn val(&self, v: Value) -> Value {
        resolve(&self.replaced, v)
    }

    /// Records `result` of `op`, left generic because of an int operand of magnitude `c`, as
    /// wide when it most likely is: a product or left shift, or anything but a quotient, a
    /// right shift or a comparison with an operand that does not unbox.
    fn note_wide(&mut self, op: PyOp, result: Value, c: u64) {
        let grows = match op.num_op() {
            Some((NumOp::Mul | NumOp::Lshift | NumOp::Pow, _)) => true,
            Some((NumOp::FloorDiv | NumOp::TrueDiv | NumOp::Rshift, _)) => false,
            Some(_) => c >= UNBOX_LIMIT,
            None => false,
        };
        if grows && matches!(op, PyOp::Binary(_)) {
            self.wide.insert(result);
        }
    }

    /// The largest magnitude among the operands that are int constants (`u64::MAX` for one
    /// wider than i64: translation records the value of those that fit, and for the result of
    /// an operation left generic because of one), if any is one.
    fn widest_int_constant(&self, args: &[Value]) -> Option<u64> {
        let f = self.f();
        args.iter()
            .filter_map(|&a| {
                let a = self.val(a);
                if self.wide.contains(&a) {
                    return Some(u64::MAX);
                }
                let ValueDef::Result(i, 0) = f.value_def(a) else {
                    return None;
                };
                match (f.inst(i).opcode, &f.inst(i).operands) {
                    (Opcode::LoadConst, Operands::UImm { imm })
                        if f.pytype(a) == PyType::LONG_EXACT =>
                    {
                        match f.const_value(*imm) {
                            Some(ConstValue::Int(x)) => Some(x.unsigned_abs()),
                            Some(ConstValue::Float(_)) => None,
                            None => Some(u64::MAX),
                        }
                    }
                    _ => None,
                }
            })
            .max()
    }

    fn pytype(&self, v: Value) -> PyType {
        self.f().pytype(self.val(v))
    }

    /// The type names the dominant feedback at `loc` gives for the operands (by position, `None`
    /// where CPython checks nothing), and whether the site missed (saw other types).
    fn feedback_types(&self, loc: Option<u32>, op: PyOp) -> (Vec<Option<&'static str>>, bool) {
        let Some(site) = loc.and_then(|l| self.f().site(l)) else {
            return (Vec::new(), false);
        };
        let Some((name, _, missed)) = site.operands() else {
            return (Vec::new(), false);
        };
        (Self::operand_types(op, name), missed)
    }

    fn operand_types(op: PyOp, name: &str) -> Vec<Option<&'static str>> {
        let num = if name.ends_with("_INT") || name == "COMPARE_OP_INT_JUMP" {
            Some(INT)
        } else if name.ends_with("_FLOAT") || name == "COMPARE_OP_FLOAT_JUMP" {
            Some(FLOAT)
        } else {
            None
        };
        match (op, name) {
            (PyOp::Binary(_), n) if n.starts_with("BINARY_OP_") => vec![num, num],
            (PyOp::Compare(_), "COMPARE_OP_STR_JUMP") => vec![Some(STR), Some(STR)],
            (PyOp::Compare(_), n) if n.starts_with("COMPARE_OP_") => vec![num, num],
            (PyOp::GetItem, "BINARY_SUBSCR_LIST_INT") => vec![Some(LIST), Some(INT)],
            (PyOp::GetItem, "BINARY_SUBSCR_TUPLE_INT") => vec![Some(TUPLE), Some(INT)],
            (PyOp::SetItem, "STORE_SUBSCR_LIST_INT") => vec![Some(LIST), Some(INT), None],
            _ => Vec::new(),
        }
    }

    /// Splits `block` before the operation at `pos`, which is removed: the rest of the block
    /// moves to a new block `cont` with one parameter of type `ty` (what replaces the
    /// operation's result), and `N` new blocks are laid out just before `cont`.
    fn split_for<const N: usize>(
        &mut self,
        block: Block,
        pos: usize,
        ty: Type,
    ) -> (Block, Value, [Block; N]) {
        let f = self.b.func_mut();
        let cont = split_block(f, block, pos);
        f.block_mut(cont).insts.remove(0);
        let r = f.add_block_param(cont, ty);
        let blocks: [Block; N] = std::array::from_fn(|_| self.b.create_block());
        let f = self.b.func_mut();
        for nb in blocks {
            f.layout.pop();
            let at = f.layout.iter().position(|&x| x == cont).expect("in layout");
            f.layout.insert(at, nb);
        }
        (cont, r, blocks)
    }

    /// `v` guarded to be exactly the builtin `name` (no guard when its type proves it).
    fn guarded(&mut self, v: Value, name: &str, fs: FrameStateId) -> Value {
        let want = PyType::of_builtin_name(name).expect("builtin atom");
        let v = self.val(v);
        if self.f().pytype(v).is_subtype_of(want) {
            return v;
        }
        let binding = self.b.func_mut().type_binding(name);
        self.b.guard_type(v, binding, fs)
    }

    fn specialize_at(&mut self, block: Block, pos: usize, inst: Inst) -> Outcome {
        let d = self.f().inst(inst).clone();
        let Operands::Py { op, args, fs } = &d.operands else {
            return Outcome::Kept;
        };
        let (op, fs, result) = (*op, *fs, d.results[0]);
        let args: Vec<Value> = args.iter().map(|&a| self.val(a)).collect();
        if let PyOp::Call(n) = op {
            return self.specialize_call(block, pos, inst, n, &args, fs, d.loc);
        }
        // Speculate: guard the operands the feedback names (and nothing proves). Where the
        // feedback says float, an operand not proven float is taken as a number (float or
        // int): ints mixed into float arithmetic are common and exact to convert.
        let (mut wanted, missed) = self.feedback_types(d.loc, op);
        // An int operator site that missed (a float accumulator met it, `count = 7.5 + n`):
        // no deopting guard but the int path beside the generic call (below), as a float
        // site that missed takes the number path.
        let int_missed = matches!(op, PyOp::Binary(_) | PyOp::Compare(_))
            && missed
            && wanted.iter().all(|w| *w == Some(INT));
        if int_missed {
            wanted.clear();
        }
        // `==`/`!=` where CPython compared two strs: in machine code beside the generic call.
        if let PyOp::Compare(k @ (CMP_EQ | CMP_NE)) = op
            && wanted.len() == 2
            && wanted.iter().all(|w| *w == Some(STR))
            && args
                .iter()
                .all(|&a| self.pytype(a).meet(PyType::STR_EXACT) != PyType::BOTTOM)
        {
            return self.str_eq_or_generic(block, pos, inst, k, &args, d.loc);
        }
        let numeric = matches!(op, PyOp::Binary(_) | PyOp::Compare(_));
        let mut known: Vec<PyType> = args.iter().map(|&a| self.pytype(a)).collect();
        let mut number = vec![false; args.len()];
        // The builtin each operand is guarded to be (only where nothing proves it already).
        let mut guard: Vec<Option<&'static str>> = vec![None; args.len()];
        for (k, w) in wanted.iter().enumerate() {
            let Some(name) = *w else { continue };
            let proven = |t: PyType| t != PyType::BOTTOM && known[k].is_subtype_of(t);
            if numeric && name == FLOAT && missed {
                // Other types reached CPython's float form (ints, typically): no deopt on them.
                if !proven(PyType::FLOAT_EXACT) && !proven(PyType::LONG_EXACT) {
                    number[k] = true;
                }
            } else if numeric && name == FLOAT && proven(PyType::LONG_EXACT) {
                // A proven int meets float arithmetic: converted, as Python does.
            } else if !proven(PyType::of_builtin_name(name).unwrap()) {
                known[k] = known[k].meet(PyType::of_builtin_name(name).unwrap());
                guard[k] = Some(name);
            }
        }
        // An int constant too wide for the machine-code path makes that path dead (the
        // deopting one would deopt on every execution): the generic operation.
        let widest = self.widest_int_constant(&args);
        let plan = plan(op, &known, &number);
        let mul = op.num_op().is_some_and(|(n, _)| n == NumOp::Mul);
        if let (Some(p), Some(c)) = (plan, widest)
            && (c >= p.int_limit() || (mul && p.int_limit() == UNBOX_LIMIT && c >= WIDE_FACTOR))
        {
            self.note_wide(op, result, c);
            return Outcome::Kept;
        }
        if plan.is_none()
            && let Some(c) = widest.filter(|&c| c >= COMPACT_LIMIT)
        {
            self.note_wide(op, result, c);
            return Outcome::Kept;
        }
        let Some(plan) = plan else {
            // A subscript through a Python `__getitem__` (which CPython 3.11 calls with a frame
            // push of its own, `BINARY_SUBSCR_GETITEM`), or a store CPython found no form for
            // (a `__setitem__` of a class, an `array`): helpers that call a Python method
            // directly, the generic operation otherwise.
            let facts = d.loc.and_then(|l| self.f().site(l));
            let helper = match op {
                PyOp::GetItem if facts.is_some_and(|s| s.saw_python_getitem()) => {
                    Some("s6_rt_getitem_py")
                }
                PyOp::SetItem if facts.is_some_and(|s| s.only_adaptive()) => {
                    Some("s6_rt_setitem_py")
                }
                _ => None,
            };
            if let Some(name) = helper {
                self.b.insert_at(block, pos);
                self.b.set_loc(d.loc);
                let r = self.b.call_value(name, &args);
                let next = self.b.insert_pos().expect("inserting");
                self.b.func_mut().block_mut(block).insts.remove(next);
                self.replaced.insert(result, r);
                return Outcome::Replaced { next };
            }
            return match op {
                PyOp::Truth => self.truth_generic(block, pos, inst, args[0], d.loc),
                // CPython 3.11 specializes only + - * on ints: the other int operators (and
                // sites it left generic) get an int path beside the generic call, when nothing
                // says the operands are not ints.
                // `/`, and `+ - *` where CPython left the site generic (an int meets a float),
                // with no feedback for its operands: a float path first, when nothing says
                // the operands are not numbers.
                PyOp::Binary(_)
                    if wanted.is_empty()
                        && !int_missed
                        && float_path(op).is_some()
                        && known.iter().all(|t| {
                            t.meet(PyType::LONG_EXACT.union(PyType::FLOAT_EXACT)) != PyType::BOTTOM
                        }) =>
                {
                    self.number_or_generic(block, pos, inst, &args, d.loc)
                }
                // A comparison CPython left generic (an int meets a float, `u < dom[0]`) with
                // no feedback for its operands: float and int paths beside the generic call.
                PyOp::Compare(k)
                    if wanted.is_empty()
                        && known.iter().all(|t| {
                            t.meet(PyType::LONG_EXACT.union(PyType::FLOAT_EXACT)) != PyType::BOTTOM
                        }) =>
                {
                    self.compare_or_generic(block, pos, inst, k, &args, d.loc, int_missed)
                }
                PyOp::Binary(_)
                    if wanted.is_empty()
                        && int_path(op).is_some()
                        && known
                            .iter()
                            .all(|t| t.meet(PyType::LONG_EXACT) != PyType::BOTTOM) =>
                {
                    self.int_or_generic(block, pos, inst, &args, d.loc)
                }
                _ => Outcome::Kept,
            };
        };
        // A subscript site that missed (CPython's form met another container or an index out
        // of range) takes the generic call for those instead of a deopt.
        match plan {
            Plan::GetItem(container) if missed => {
                return self.subscript_or_generic(block, pos, inst, container, &args, d.loc);
            }
            Plan::SetItemList if missed => {
                let list = PyType::LIST_EXACT;
                return self.subscript_or_generic(block, pos, inst, list, &args, d.loc);
            }
            _ => {}
        }
        self.b.insert_at(block, pos);
        self.b.set_loc(d.loc);
        // Guards (only where the plan relies on a type not proven yet).
        let mut ops = args.clone();
        for (k, g) in guard.iter().enumerate() {
            if let Some(name) = g
                && plan.needs_guard(k)
            {
                ops[k] = self.guarded(args[k], name, fs);
            }
        }
        if let Plan::Arith(num_op, a, b) = plan
            && a != Num::Float
            && b != Num::Float
            && !(a == Num::Int && b == Num::Int)
        {
            return self.arith_or_generic(block, inst, num_op, (a, b), &ops, fs);
        }
        let r = self.emit(plan, &ops, fs);
        let next = self.b.insert_pos().expect("inserting");
        self.b.func_mut().block_mut(block).insts.remove(next);
        self.replaced.insert(result, r);
        Outcome::Replaced { next }
    }

    /// Emits the typed code of `plan` over `ops` (guarded where needed); returns the value
    /// that replaces the operation's result.
    fn emit(&mut self, plan: Plan, ops: &[Value], fs: FrameStateId) -> Value {
        match plan {
            Plan::Arith(num_op, Num::Int, Num::Int) => self.int_arith(num_op, ops, fs),
            Plan::Arith(num_op, a, b) => {
                let (x, fa) = self.as_double(ops[0], a, fs);
                let (y, fb) = self.as_double(ops[1], b, fs);
                debug_assert!(fa.is_none() || fb.is_none(), "see arith_or_generic");
                let z = self.float_arith(num_op, x, y, fs);
                self.b.box_float(z)
            }
            Plan::Compare(k, Num::Int, Num::Int) => {
                let x = self.b.unbox_int(ops[0], fs);
                let y = self.b.unbox_int(ops[1], fs);
                let c = self.b.icmp(int_cc(k), x, y);
                self.b.box_bool(c)
            }
            Plan::Compare(k, a, b) => {
                let (x, _) = self.as_double(ops[0], a, fs);
                let (y, _) = self.as_double(ops[1], b, fs);
                let c = self.b.fcmp(float_cc(k), x, y);
                self.b.box_bool(c)
            }
            Plan::Neg(Num::Int) => {
                let x = self.b.unbox_int(ops[0], fs);
                let zero = self.b.iconst(Type::I64, 0);
                let (z, o) = self.b.isub_ovf(zero, x);
                self.b.deopt_if(o, fs, "int overflow");
                self.b.box_int(z)
            }
            Plan::Neg(Num::Float | Num::Number) => {
                let x = self.b.unbox_float(ops[0]);
                let z = self.b.fneg(x);
                self.b.box_float(z)
            }
            Plan::Invert => {
                let x = self.b.unbox_int(ops[0], fs);
                let m = self.b.iconst(Type::I64, -1);
                let z = self.b.binary(Opcode::Xor, x, m);
                self.b.box_int(z)
            }
            Plan::Truth(t) => self.truth_typed(ops[0], t),
            Plan::GetItem(container) => {
                let slot = self.item_slot(ops[0], ops[1], container, fs);
                let v = self.b.load(Type::Obj, slot, 0);
                self.b.incref(v);
                v
            }
            Plan::SetItemList => {
                let slot = self.item_slot(ops[0], ops[1], PyType::LIST_EXACT, fs);
                let old = self.b.load(Type::Obj, slot, 0);
                self.b.incref(ops[2]);
                self.b.store(Type::Obj, slot, 0, ops[2]);
                self.b.decref(old);
                self.b.iconst(Type::I32, 0)
            }
        }
    }

    /// An operator on operands that may be ints, where nothing was speculated: when both are
    /// exact ints of at most one 30-bit digit, the operation in machine code (a result that
    /// leaves i64 takes the generic path, as does any other operand); no deopt.
    ///
    /// ```text
    /// block:  branch type(a) == int && type(b) == int && both compact, fast(), slow()
    /// fast:   z = a OP b (overflow, zero divisor, shift range: branch to slow); r1 = box_int z
    /// slow:   r2 = call <generic>(a, b)
    /// cont(r): the rest of the block
    /// ```
    fn int_or_generic(
        &mut self,
        block: Block,
        pos: usize,
        inst: Inst,
        args: &[Value],
        loc: Option<u32>,
    ) -> Outcome {
        let d = self.f().inst(inst).clone();
        let Operands::Py { op, .. } = d.operands else {
            return Outcome::Kept;
        };
        let Some(num_op) = int_path(op) else {
            return Outcome::Kept;
        };
        // `+ - *` (an int site that missed: a float met it): an exact float and a float or a
        // one-digit int on doubles before the generic call.
        let (cont, r, slow) = match float_path(op) {
            Some(float_op) => {
                let (cont, r, [floats, slow]) = self.split_for(block, pos, Type::Obj);
                self.b.set_loc(loc);
                self.b.switch_to_block(block);
                self.int_arm(num_op, &args[..2], cont, floats);
                self.b.switch_to_block(floats);
                self.float_arm(float_op, &args[..2], cont, slow);
                (cont, r, slow)
            }
            None => {
                let (cont, r, [slow]) = self.split_for(block, pos, Type::Obj);
                self.b.set_loc(loc);
                self.b.switch_to_block(block);
                self.int_arm(num_op, &args[..2], cont, slow);
                (cont, r, slow)
            }
        };
        self.generic_tail(op, &args[..2], slow, cont, (d.results[0], r))
    }

    /// An arithmetic operator where nothing was speculated (CPython 3.11 never specializes
    /// `/`, nor `+ - *` on an int and a float): when one operand is an exact float and the
    /// other an exact float or a one-digit int (for `/`, also two one-digit ints), the
    /// operation on doubles; else, for `+ - *`, two one-digit ints in machine code (as
    /// [`Self::int_or_generic`]); anything else, a zero divisor included, the generic call.
    /// No deopt.
    ///
    /// ```text
    /// block:  branch type(a) == float || type(b) == float (for `/`: any), float(), int()
    /// float:  xa = a as double (a float's value, a compact int converted) else int(); same
    ///         for b; (`/`: xb == 0 -> slow) r1 = box_float (xa OP xb); jump cont(r1)
    /// int:    (the int arm of `+ - *`) else slow
    /// slow:   r2 = call <generic>(a, b); jump cont(r2)
    /// ```
    fn number_or_generic(
        &mut self,
        block: Block,
        pos: usize,
        inst: Inst,
        args: &[Value],
        loc: Option<u32>,
    ) -> Outcome {
        let d = self.f().inst(inst).clone();
        let Operands::Py { op, .. } = d.operands else {
            return Outcome::Kept;
        };
        let Some(num_op) = float_path(op) else {
            return Outcome::Kept;
        };
        let (cont, r, [ints, slow]) = self.split_for(block, pos, Type::Obj);
        self.b.set_loc(loc);
        self.b.switch_to_block(block);
        self.float_arm(num_op, &args[..2], cont, ints);
        self.b.switch_to_block(ints);
        match int_path(op) {
            Some(int_op) => self.int_arm(int_op, &args[..2], cont, slow),
            None => self.b.jump(slow, &[]),
        }
        self.generic_tail(op, &args[..2], slow, cont, (d.results[0], r))
    }

    /// `==` (`k` = 2) or `!=` (3) where CPython compared two strs (`COMPARE_OP_STR_JUMP`): when
    /// both are exact strs, the same object is equal, different lengths are unequal, and two
    /// ready strs of one length compare with `_PyUnicode_Equal` (as the specialized
    /// instruction does); anything else (another type, a legacy str not ready) takes the
    /// generic comparison. No guard, no deopt: a site that also sees `None` or ints costs the
    /// two type tests more than before.
    ///
    /// ```text
    /// block:  branch type(a) == str && type(b) == str, strs(), slow()
    /// strs:   branch a == b, done(1), diff()
    /// diff:   branch len(a) != len(b), done(0), ready()
    /// ready:  branch a.state & b.state & READY, cmp(), slow()
    /// cmp:    e = call _PyUnicode_Equal(a, b); jump done(e != 0)
    /// done(eq: i8): r1 = box_bool eq (for `!=`: !eq); jump cont(r1)
    /// slow:   r2 = call PyObject_RichCompare(a, b, k); jump cont(r2)
    /// ```
    fn str_eq_or_generic(
        &mut self,
        block: Block,
        pos: usize,
        inst: Inst,
        k: u8,
        args: &[Value],
        loc: Option<u32>,
    ) -> Outcome {
        use s6_py311::layout::ascii;
        let d = self.f().inst(inst).clone();
        let Operands::Py { op, .. } = d.operands else {
            return Outcome::Kept;
        };
        let (cont, r, [slow]) = self.split_for(block, pos, Type::Obj);
        self.b.set_loc(loc);
        self.b.switch_to_block(block);
        let both = self.both_exact(args, STR);
        let (a, b) = (args[0], args[1]);
        let (strs, diff, ready, cmp, done) = (
            self.b.create_block(),
            self.b.create_block(),
            self.b.create_block(),
            self.b.create_block(),
            self.b.create_block(),
        );
        let eq = self.b.append_block_param(done, Type::I8);
        self.b.branch(both, strs, &[], slow, &[]);
        self.b.switch_to_block(strs);
        let same = self.b.icmp(IntCC::Eq, a, b);
        let yes = self.b.iconst(Type::I8, 1);
        self.b.branch(same, done, &[yes], diff, &[]);
        self.b.switch_to_block(diff);
        let la = self.b.load(Type::I64, a, ascii::LENGTH);
        let lb = self.b.load(Type::I64, b, ascii::LENGTH);
        let differ = self.b.icmp(IntCC::Ne, la, lb);
        let no = self.b.iconst(Type::I8, 0);
        self.b.branch(differ, done, &[no], ready, &[]);
        self.b.switch_to_block(ready);
        let sa = self.b.load(Type::I32, a, ascii::STATE);
        let sb = self.b.load(Type::I32, b, ascii::STATE);
        let both_states = self.b.binary(Opcode::And, sa, sb);
        let bit = self.b.iconst(Type::I32, i64::from(ascii::STATE_READY));
        let ready_bits = self.b.binary(Opcode::And, both_states, bit);
        let zero32 = self.b.iconst(Type::I32, 0);
        let both_ready = self.b.icmp(IntCC::Ne, ready_bits, zero32);
        self.b.branch(both_ready, cmp, &[], slow, &[]);
        self.b.switch_to_block(cmp);
        let e = self.b.call_value("_PyUnicode_Equal", &[a, b]);
        let zero = self.b.iconst(Type::I32, 0);
        let equal = self.b.icmp(IntCC::Ne, e, zero);
        self.b.jump(done, &[equal]);
        self.b.switch_to_block(done);
        let c = if k == CMP_EQ {
            eq
        } else {
            let zero8 = self.b.iconst(Type::I8, 0);
            self.b.icmp(IntCC::Eq, eq, zero8)
        };
        let r1 = self.b.box_bool(c);
        self.b.jump(cont, &[r1]);
        self.generic_tail(op, &args[..2], slow, cont, (d.results[0], r))
    }

    /// A comparison where nothing was speculated (no operand feedback, or an int form that
    /// missed: then the int arm comes first): on doubles when one operand is an exact float
    /// and the other an exact float or a one-digit int (IEEE comparison, as
    /// `float_richcompare` does for those: NaN compares unequal), on machine ints when both
    /// are one-digit ints, else the generic call. The result is a bool (or what the generic
    /// comparison returns); no deopt.
    ///
    /// ```text
    /// block:  (floats) xa, xb as doubles else ints(); r1 = box_bool fcmp xa, xb; jump cont(r1)
    /// ints:   (one-digit ints) r2 = box_bool icmp a, b; jump cont(r2) else slow()
    /// slow:   r3 = call <generic>(a, b); jump cont(r3)
    /// ```
    #[allow(clippy::too_many_arguments)]
    fn compare_or_generic(
        &mut self,
        block: Block,
        pos: usize,
        inst: Inst,
        k: u8,
        args: &[Value],
        loc: Option<u32>,
        ints_first: bool,
    ) -> Outcome {
        let d = self.f().inst(inst).clone();
        let Operands::Py { op, .. } = d.operands else {
            return Outcome::Kept;
        };
        let (cont, r, [second, slow]) = self.split_for(block, pos, Type::Obj);
        self.b.set_loc(loc);
        self.b.switch_to_block(block);
        // The arm the feedback makes likelier first: ints where CPython's int form missed.
        for (n, ints) in [ints_first, !ints_first].into_iter().enumerate() {
            let fail = if n == 0 { second } else { slow };
            let c = if ints {
                let (x, y) = self.compact_ints(&args[..2], fail);
                self.b.icmp(int_cc(k), x, y)
            } else {
                let (x, y) = self.as_doubles(&args[..2], true, fail);
                self.b.fcmp(float_cc(k), x, y)
            };
            let boxed = self.b.box_bool(c);
            self.b.jump(cont, &[boxed]);
            if n == 0 {
                self.b.switch_to_block(second);
            }
        }
        self.generic_tail(op, &args[..2], slow, cont, (d.results[0], r))
    }

    /// From the insertion point: `num_op` (`+ - * /`) on doubles when one of `args` is an exact
    /// float and the other an exact float or a one-digit int (converted exactly, as
    /// `float.__radd__` & co. do), or, for `/`, both are such numbers (two one-digit ints
    /// divide as `long_true_divide` does for them: both exact doubles, one rounding); the
    /// result boxed and passed to `cont`. Other operands and a zero divisor go to `fail`.
    fn float_arm(&mut self, num_op: NumOp, args: &[Value], cont: Block, fail: Block) {
        let (x, y) = self.as_doubles(args, num_op != NumOp::TrueDiv, fail);
        let z = match num_op {
            NumOp::Add => self.b.binary(Opcode::Fadd, x, y),
            NumOp::Sub => self.b.binary(Opcode::Fsub, x, y),
            NumOp::Mul => self.b.binary(Opcode::Fmul, x, y),
            NumOp::TrueDiv => {
                // A zero divisor: the generic call raises ZeroDivisionError.
                let zero = self.b.fconst(0.0);
                let by_zero = self.b.fcmp(FloatCC::Eq, y, zero);
                let go = self.b.create_block();
                self.b.branch(by_zero, fail, &[], go, &[]);
                self.b.switch_to_block(go);
                self.b.binary(Opcode::Fdiv, x, y)
            }
            _ => unreachable!("float_path"),
        };
        let r1 = self.b.box_float(z);
        self.b.jump(cont, &[r1]);
    }

    /// From the insertion point: continues (in a new block) with `args` as doubles when each is
    /// an exact float or an exact int of at most one 30-bit digit (exact as a double), and,
    /// with `one_float`, at least one is a float; other operands branch to `fail`.
    fn as_doubles(&mut self, args: &[Value], one_float: bool, fail: Block) -> (Value, Value) {
        let (float_type, int_type) = self.number_types();
        let mut types = Vec::new();
        let mut is_float = Vec::new();
        for &a in &args[..2] {
            let t = self.b.load(Type::Obj, a, s6_py311::layout::object::OB_TYPE);
            is_float.push(self.b.icmp(IntCC::Eq, t, float_type));
            types.push(t);
        }
        if one_float {
            // An int and an int are the int arm's (an int result).
            let any = self.b.binary(Opcode::Or, is_float[0], is_float[1]);
            let go = self.b.create_block();
            self.b.branch(any, go, &[], fail, &[]);
            self.b.switch_to_block(go);
        }
        let x = self.double_from(args[0], types[0], is_float[0], Some(int_type), fail);
        let y = self.double_from(args[1], types[1], is_float[1], Some(int_type), fail);
        (x, y)
    }

    /// The bindings of `float` and `int`, loaded.
    fn number_types(&mut self) -> (Value, Value) {
        let f = self.b.func_mut().type_binding(FLOAT);
        let i = self.b.func_mut().type_binding(INT);
        (self.b.load_binding(f), self.b.load_binding(i))
    }

    /// From the insertion point: continues (in a new block) with `v` (of type `t`; `is_float`
    /// whether that is `float`) as a double when it is an exact float, or, given `int_type`,
    /// an exact int of at most one 30-bit digit (|x| < 2^30: exact as a double, as
    /// `PyFloat_AsDouble` converts it); anything else branches to `fail`.
    fn double_from(
        &mut self,
        v: Value,
        t: Value,
        is_float: Value,
        int_type: Option<Value>,
        fail: Block,
    ) -> Value {
        let (fl, other, done) = (
            self.b.create_block(),
            self.b.create_block(),
            self.b.create_block(),
        );
        let x = self.b.append_block_param(done, Type::F64);
        self.b.branch(is_float, fl, &[], other, &[]);
        self.b.switch_to_block(fl);
        let fx = self.b.load(Type::F64, v, float::OB_FVAL);
        self.b.jump(done, &[fx]);
        self.b.switch_to_block(other);
        match int_type {
            None => self.b.jump(fail, &[]),
            Some(int_type) => {
                let is_int = self.b.icmp(IntCC::Eq, t, int_type);
                let int = self.b.create_block();
                self.b.branch(is_int, int, &[], fail, &[]);
                self.b.switch_to_block(int);
                let size = self.b.load(Type::I64, v, long::OB_SIZE);
                let one = self.b.iconst(Type::I64, 1);
                let biased = self.b.iadd(size, one);
                let two = self.b.iconst(Type::I64, 2);
                let compact = self.b.icmp(IntCC::Ule, biased, two);
                let small = self.b.create_block();
                self.b.branch(compact, small, &[], fail, &[]);
                self.b.switch_to_block(small);
                let digit = self.b.load(Type::I32, v, long::OB_DIGIT);
                let wide = self.b.uextend(Type::I64, digit);
                let iv = self.b.imul(size, wide);
                let ix = self.b.sitofp(iv);
                self.b.jump(done, &[ix]);
            }
        }
        self.b.switch_to_block(done);
        x
    }

    /// The end of the `*_or_generic` forms: in `slow`, the operation's generic call, whose
    /// result joins the typed paths' at `cont`; `result` (the operation's value) becomes `r`
    /// (`cont`'s parameter).
    fn generic_tail(
        &mut self,
        op: PyOp,
        args: &[Value],
        slow: Block,
        cont: Block,
        (result, r): (Value, Value),
    ) -> Outcome {
        self.b.set_cold(slow);
        self.b.switch_to_block(slow);
        let generic = self.b.py_generic(op, args);
        self.b.jump(cont, &[generic]);
        self.replaced.insert(result, r);
        Outcome::Split { cont }
    }

    /// Whether both `args` are exactly the builtin type `name` (an i8), from the insertion
    /// point; nothing of theirs but the type is read.
    fn both_exact(&mut self, args: &[Value], name: &str) -> Value {
        let want = {
            let binding = self.b.func_mut().type_binding(name);
            self.b.load_binding(binding)
        };
        let mut both = None;
        for &a in &args[..2] {
            let t = self.b.load(Type::Obj, a, s6_py311::layout::object::OB_TYPE);
            let is = self.b.icmp(IntCC::Eq, t, want);
            both = Some(match both {
                None => is,
                Some(prev) => self.b.binary(Opcode::And, prev, is),
            });
        }
        both.expect("two operands")
    }

    /// From the insertion point: continues (in a new block) with the values of `args` when
    /// both are exact ints of at most one 30-bit digit; any other operand branches to `fail`.
    fn compact_ints(&mut self, args: &[Value], fail: Block) -> (Value, Value) {
        let slow = fail;
        let fast = self.b.create_block();
        // Both exact ints (checked before any field of theirs is read) ...
        let both = self.both_exact(args, INT);
        let ints = self.b.create_block();
        self.b.branch(both, ints, &[], slow, &[]);
        // ... and compact: ob_size in -1..=1, the value ob_size * digit.
        self.b.switch_to_block(ints);
        let mut compact_both = None;
        let mut vals = Vec::new();
        for &a in &args[..2] {
            let size = self.b.load(Type::I64, a, long::OB_SIZE);
            let one = self.b.iconst(Type::I64, 1);
            let biased = self.b.iadd(size, one);
            let two = self.b.iconst(Type::I64, 2);
            let compact = self.b.icmp(IntCC::Ule, biased, two);
            compact_both = Some(match compact_both {
                None => compact,
                Some(prev) => self.b.binary(Opcode::And, prev, compact),
            });
            let digit = self.b.load(Type::I32, a, long::OB_DIGIT);
            let wide = self.b.uextend(Type::I64, digit);
            vals.push(self.b.imul(size, wide));
        }
        self.b
            .branch(compact_both.expect("two operands"), fast, &[], slow, &[]);
        self.b.switch_to_block(fast);
        (vals[0], vals[1])
    }

    /// From the insertion point: when both `args` are exact ints of at most one 30-bit digit,
    /// `num_op` in machine code, its result boxed and passed to `cont`; any other operand, and
    /// a result or shift count the machine operation cannot give exactly, branches to `fail`.
    fn int_arm(&mut self, num_op: NumOp, args: &[Value], cont: Block, fail: Block) {
        let slow = fail;
        let (x, y) = self.compact_ints(args, fail);
        let zero = self.b.iconst(Type::I64, 0);
        let z = match num_op {
            NumOp::Add | NumOp::Sub | NumOp::Mul => {
                // Compact operands: sums, differences and products fit in i64.
                let op = match num_op {
                    NumOp::Add => Opcode::Iadd,
                    NumOp::Sub => Opcode::Isub,
                    _ => Opcode::Imul,
                };
                self.b.binary(op, x, y)
            }
            NumOp::And => self.b.binary(Opcode::And, x, y),
            NumOp::Or => self.b.binary(Opcode::Or, x, y),
            NumOp::Xor => self.b.binary(Opcode::Xor, x, y),
            NumOp::FloorDiv | NumOp::Mod => {
                // y != 0 (else the generic path raises); |x| < 2^30 so no MIN / -1.
                let nonzero = self.b.icmp(IntCC::Ne, y, zero);
                let go = self.b.create_block();
                self.b.branch(nonzero, go, &[], slow, &[]);
                self.b.switch_to_block(go);
                let q = self.b.binary(Opcode::Sdiv, x, y);
                let rem = self.b.binary(Opcode::Srem, x, y);
                let nz = self.b.icmp(IntCC::Ne, rem, zero);
                let signs = self.b.binary(Opcode::Xor, rem, y);
                let differ = self.b.icmp(IntCC::Slt, signs, zero);
                let fix = self.b.binary(Opcode::And, nz, differ);
                if num_op == NumOp::FloorDiv {
                    let one = self.b.iconst(Type::I64, 1);
                    let q1 = self.b.isub(q, one);
                    self.b.select(fix, q1, q)
                } else {
                    let r1 = self.b.iadd(rem, y);
                    self.b.select(fix, r1, rem)
                }
            }
            NumOp::Lshift | NumOp::Rshift => {
                // 0 <= y < 32: x < 2^30 shifted stays within i64 (the generic path handles
                // the rest, negative counts included).
                let limit = self.b.iconst(Type::I64, 32);
                let in_range = self.b.icmp(IntCC::Ult, y, limit);
                let go = self.b.create_block();
                self.b.branch(in_range, go, &[], slow, &[]);
                self.b.switch_to_block(go);
                let op = if num_op == NumOp::Lshift {
                    Opcode::Shl
                } else {
                    Opcode::Ashr
                };
                self.b.binary(op, x, y)
            }
            _ => unreachable!("int_path"),
        };
        let r1 = self.b.box_int(z);
        self.b.jump(cont, &[r1]);
    }

    /// The address of item `index` of `container` (a list or tuple, guarded), after the bounds
    /// check (negative indices count from the end, as the generic path does).
    fn item_slot(
        &mut self,
        container: Value,
        index: Value,
        kind: PyType,
        fs: FrameStateId,
    ) -> Value {
        let b = &mut self.b;
        let x = b.unbox_int(index, fs);
        let (size_off, items_inline) = if kind == PyType::LIST_EXACT {
            (list::OB_SIZE, false)
        } else {
            (tuple::OB_SIZE, true)
        };
        let n = b.load(Type::I64, container, size_off);
        let zero = b.iconst(Type::I64, 0);
        let neg = b.icmp(IntCC::Slt, x, zero);
        let wrapped = b.iadd(x, n);
        let i = b.select(neg, wrapped, x);
        let outside = b.icmp(IntCC::Uge, i, n);
        b.deopt_if(outside, fs, "index out of range");
        let three = b.iconst(Type::I64, 3);
        let bytes = b.binary(Opcode::Shl, i, three);
        if items_inline {
            let at = b.ptr_add(container, bytes);
            let off = b.iconst(Type::I64, i64::from(tuple::OB_ITEM));
            b.ptr_add(at, off)
        } else {
            let items = b.load(Type::Ptr, container, list::OB_ITEM);
            b.ptr_add(items, bytes)
        }
    }

    /// `container[index]` (`getitem`) or `container[index] = value` (`setitem`, lists) at a
    /// site where CPython's list/tuple form missed (another container, or an index out of
    /// range, reached it: a word that is sometimes a `bytes`, an `IndexError` a caller
    /// catches): the item read or written in machine code when the container is exactly that
    /// type and the index in range (negative indexes counted from the end, as the generic path
    /// does), else the generic call, which raises the `IndexError` natively. No deopt for
    /// either: they cost what the generic operation costs. An index that is not an int (the
    /// feedback says it is) or does not fit 64 bits deopts. A site that never missed keeps
    /// the straight-line form (guards, and a bounds check that deopts), which later passes
    /// simplify better (no merge, refcount pairs in one block).
    ///
    /// ```text
    /// block:  i = guard_type i, int (where not proven); branch type(c) == list (where not
    ///         proven), idx(), slow()
    /// idx:    x = unbox_int i; k = x < 0 ? x + len : x; branch k <u len, fast(), slow()
    /// fast:   getitem: r1 = items[k]; incref r1 | setitem: swap items[k] for value; r1 = 0
    /// slow:   r2 = call PyObject_GetItem / PyObject_SetItem(args)
    /// cont(r): the rest of the block
    /// ```
    fn subscript_or_generic(
        &mut self,
        block: Block,
        pos: usize,
        inst: Inst,
        container: PyType,
        args: &[Value],
        loc: Option<u32>,
    ) -> Outcome {
        let d = self.f().inst(inst).clone();
        let Operands::Py { op, fs, .. } = d.operands else {
            return Outcome::Kept;
        };
        let result_type = self.f().value_type(d.results[0]);
        let (cont, r, [fast, slow]) = self.split_for(block, pos, result_type);
        self.b.set_loc(loc);
        self.b.switch_to_block(block);
        // The index guarded (the feedback says int), the container checked: both before any
        // field is read.
        let index = self.guarded(args[1], INT, fs);
        let name = if container == PyType::LIST_EXACT {
            LIST
        } else {
            TUPLE
        };
        let t = self.pytype(args[0]);
        let seq = if t != PyType::BOTTOM && t.is_subtype_of(container) {
            args[0]
        } else {
            let binding = self.b.func_mut().type_binding(name);
            let expected = self.b.load_binding(binding);
            let actual = self
                .b
                .load(Type::Obj, args[0], s6_py311::layout::object::OB_TYPE);
            let same = self.b.icmp(IntCC::Eq, actual, expected);
            let typed = self.b.create_block();
            self.b.branch(same, typed, &[], slow, &[]);
            self.b.switch_to_block(typed);
            args[0]
        };
        let x = self.b.unbox_int(index, fs);
        let (size_off, items_inline) = if container == PyType::LIST_EXACT {
            (list::OB_SIZE, false)
        } else {
            (tuple::OB_SIZE, true)
        };
        let n = self.b.load(Type::I64, seq, size_off);
        let zero = self.b.iconst(Type::I64, 0);
        let neg = self.b.icmp(IntCC::Slt, x, zero);
        let wrapped = self.b.iadd(x, n);
        let i = self.b.select(neg, wrapped, x);
        let inside = self.b.icmp(IntCC::Ult, i, n);
        self.b.branch(inside, fast, &[], slow, &[]);
        self.b.switch_to_block(fast);
        let three = self.b.iconst(Type::I64, 3);
        let bytes = self.b.binary(Opcode::Shl, i, three);
        let slot = if items_inline {
            let at = self.b.ptr_add(seq, bytes);
            let off = self.b.iconst(Type::I64, i64::from(tuple::OB_ITEM));
            self.b.ptr_add(at, off)
        } else {
            let items = self.b.load(Type::Ptr, seq, list::OB_ITEM);
            self.b.ptr_add(items, bytes)
        };
        let r1 = if op == PyOp::SetItem {
            let old = self.b.load(Type::Obj, slot, 0);
            self.b.incref(args[2]);
            self.b.store(Type::Obj, slot, 0, args[2]);
            self.b.decref(old);
            self.b.iconst(Type::I32, 0)
        } else {
            let v = self.b.load(Type::Obj, slot, 0);
            self.b.incref(v);
            v
        };
        self.b.jump(cont, &[r1]);
        self.generic_tail(op, args, slow, cont, (d.results[0], r))
    }

    /// Float arithmetic on operands none of which is known to be a float (numbers: float or
    /// int): when one is a float at run time the double result is boxed; when both are small
    /// ints an operator with an int path runs in machine code ([`Self::int_arm`]), other ints
    /// run generically (it makes an int); no deopt either way.
    ///
    /// ```text
    /// block:  x, fa = unbox_number a; y, fb = unbox_number b; branch fa | fb, fast(), slow()
    /// fast:   z = fop x, y; r1 = box_float z; jump cont(r1)
    /// slow:   (int arm: both small ints -> z = a OP b; jump cont(box_int z)) else generic()
    /// generic: r2 = call <generic>(a, b); jump cont(r2)
    /// cont(r: FloatExact|LongExact): the rest of the block
    /// ```
    fn arith_or_generic(
        &mut self,
        block: Block,
        inst: Inst,
        num_op: NumOp,
        (a, b): (Num, Num),
        ops: &[Value],
        fs: FrameStateId,
    ) -> Outcome {
        let d = self.f().inst(inst).clone();
        let Operands::Py { op, args, .. } = &d.operands else {
            return Outcome::Kept;
        };
        let (x, fa) = self.as_double(ops[0], a, fs);
        let (y, fb) = self.as_double(ops[1], b, fs);
        let any = match (fa, fb) {
            (Some(p), Some(q)) => self.b.binary(Opcode::Or, p, q),
            (Some(p), None) | (None, Some(p)) => p,
            (None, None) => unreachable!("int/int is int arithmetic"),
        };
        let pos = self.b.insert_pos().expect("inserting");
        let (cont, r, [fast, slow]) = self.split_for(block, pos, Type::Obj);
        let number = PyType::FLOAT_EXACT.union(PyType::LONG_EXACT);
        self.b.func_mut().set_pytype(r, number);
        self.b.switch_to_block(block);
        self.b.branch(any, fast, &[], slow, &[]);
        self.b.switch_to_block(fast);
        let z = self.float_arith(num_op, x, y, fs);
        let r1 = self.b.box_float(z);
        self.b.jump(cont, &[r1]);
        self.b.switch_to_block(slow);
        // Neither is a float: two small ints take the int operation in machine code.
        if let Some(int_op) = int_path(*op) {
            let generic = self.b.create_block();
            self.int_arm(int_op, args, cont, generic);
            self.b.set_cold(generic);
            self.b.switch_to_block(generic);
        } else {
            self.b.set_cold(slow);
        }
        let r2 = self.b.py_generic(*op, args);
        // Two exact ints here: the result is an int (or a float for `/` and negative `**`).
        self.b
            .func_mut()
            .set_pytype(r2, PyType::FLOAT_EXACT.union(PyType::LONG_EXACT));
        self.b.jump(cont, &[r2]);
        self.replaced.insert(d.results[0], r);
        Outcome::Split { cont }
    }

    /// A call whose feedback names a builtin this pass knows: the callee is compared with the
    /// object of that name (a binding), and when it is that object the call becomes a direct
    /// C call; otherwise (and always for other calls) the generic call runs. No deopt: a
    /// global rebound to something else only takes the generic path.
    ///
    /// ```text
    /// block:  branch callee == load_binding b, fast(), slow()
    /// fast:   r1 = call s6_rt_len(x); decref ...; jump cont(r1)
    /// slow:   r2 = <the generic call>; jump cont(r2)
    /// cont(r): the rest of the block
    /// ```
    #[allow(clippy::too_many_arguments)]
    fn specialize_call(
        &mut self,
        block: Block,
        pos: usize,
        inst: Inst,
        n: u8,
        args: &[Value],
        fs: FrameStateId,
        loc: Option<u32>,
    ) -> Outcome {
        use crate::feedback::{CalleeFacts, Feedback};
        use crate::function::BindingKind;
        // CPython records the callee on the PRECALL right before the CALL (two code units:
        // the instruction and its one cache entry).
        let precall = loc
            .and_then(|l| l.checked_sub(2))
            .and_then(|l| self.f().site(l))
            .filter(|s| s.0.base_op == "PRECALL");
        let Some(site) = precall else {
            return Outcome::Kept;
        };
        // A builtin method of a builtin type loaded by LOAD_METHOD (`d.get(k)`, `s.split(x)`).
        if let Some(Feedback::Call {
            op,
            callee: CalleeFacts::Unknown,
        }) = site.speculable()
            && let Some(kind) = DescrKind::of(op, n)
            && let Some(name) = args.get(1).and_then(|&c| self.loaded_method_descr(c))
        {
            let binding = BindingKind::Object(name);
            return self.c_call(
                block,
                pos,
                inst,
                CCall::Descr(kind),
                binding,
                n,
                args,
                fs,
                loc,
            );
        }
        // `type(x)`, `str(x)`, `tuple(x)` where the PRECALL saw that builtin class.
        if let Some(Feedback::Call {
            op,
            callee: CalleeFacts::Type(class),
        }) = site.speculable()
            && n == 1
            && let Some((call, builtin)) = match (op.as_str(), class.as_str()) {
                ("PRECALL_NO_KW_TYPE_1", "builtins.type") => Some((CCall::Type1, "type")),
                ("PRECALL_NO_KW_STR_1", "builtins.str") => Some((CCall::Str1, "str")),
                ("PRECALL_NO_KW_TUPLE_1", "builtins.tuple") => Some((CCall::Tuple1, "tuple")),
                _ => None,
            }
        {
            let binding = BindingKind::Builtin(builtin.into());
            return self.c_call(block, pos, inst, call, binding, n, args, fs, loc);
        }
        let precall_op = match site.speculable() {
            Some(Feedback::Call { op, .. }) => op.clone(),
            _ => return Outcome::Kept,
        };
        // The callee the PRECALL names, or else (a C function, whose PRECALL form does not say
        // which) the builtin function the callable was loaded as.
        let name = match site.speculable() {
            Some(Feedback::Call {
                callee: CalleeFacts::Builtin(name),
                ..
            }) => name.clone(),
            Some(Feedback::Call {
                callee: CalleeFacts::Unknown,
                ..
            }) => match args.get(1).and_then(|&c| self.loaded_builtin(c)) {
                Some(name) => name,
                None => return Outcome::Kept,
            },
            _ => return Outcome::Kept,
        };
        let name = &name;
        if n == 1
            && let Some(helper) = math_helper(name)
        {
            return self.math_call(block, pos, inst, helper, name, args, fs, loc);
        }
        // (helper, binding, number of call arguments, whether it is a method call: callee in
        // the first operand, self in the second)
        let (helper, binding, method) = match (name.as_str(), n) {
            ("builtins.len", 1) => ("s6_rt_len", BindingKind::Builtin("len".into()), false),
            ("builtins.isinstance", 2) => (
                "s6_rt_isinstance",
                BindingKind::Builtin("isinstance".into()),
                false,
            ),
            ("builtins.list.append", 1) => (
                "s6_rt_list_append",
                BindingKind::Object("builtins.list.append".into()),
                true,
            ),
            _ => {
                // Any other C function of a module, as the PRECALL form calls it.
                let call = match (precall_op.as_str(), n) {
                    ("PRECALL_NO_KW_BUILTIN_O", 1) => CCall::FuncO,
                    ("PRECALL_NO_KW_BUILTIN_FAST", 0..=3) => CCall::FuncFast,
                    _ => return Outcome::Kept,
                };
                let binding = match name.strip_prefix("builtins.") {
                    Some(short) if !short.contains('.') => BindingKind::Builtin(short.into()),
                    _ => BindingKind::Object(name.clone()),
                };
                return self.c_call(block, pos, inst, call, binding, n, args, fs, loc);
            }
        };
        let result = self.f().inst(inst).results[0];
        let id = self.b.func_mut().binding_for(binding);
        let (cont, r, [fast, slow]) = self.split_for(block, pos, Type::Obj);
        self.b.set_loc(loc);
        self.b.switch_to_block(block);
        // [NULL, callable, args..] for a function, [method, self, args..] for a method.
        let callee = if method { args[0] } else { args[1] };
        let want = self.b.load_binding(id);
        let same = self.b.icmp(IntCC::Eq, callee, want);
        if !method {
            // The first operand must be the NULL that LOAD_GLOBAL pushed.
            let null = self.b.null();
            let is_null = self.b.icmp(IntCC::Eq, args[0], null);
            let both = self.b.binary(Opcode::And, same, is_null);
            self.b.branch(both, fast, &[], slow, &[]);
        } else {
            self.b.branch(same, fast, &[], slow, &[]);
        }
        self.b.switch_to_block(fast);
        let call_args = if method { &args[1..] } else { &args[2..] };
        let r1 = match helper {
            "s6_rt_len" => self.inline_len(call_args[0]),
            "s6_rt_isinstance" => self.inline_isinstance(call_args[0], call_args[1]),
            _ => self.b.call_value(helper, call_args),
        };
        // The call consumed its operands (the function's NULL needs nothing).
        self.b.decref(callee);
        for &a in call_args {
            self.b.decref(a);
        }
        self.b.jump(cont, &[r1]);
        self.b.set_cold(slow);
        self.b.switch_to_block(slow);
        let r2 = super::legalize::emit_generic(&mut self.b, PyOp::Call(n), args, fs);
        self.b.jump(cont, &[r2]);
        self.replaced.insert(result, r);
        Outcome::Split { cont }
    }

    /// A call of a C function the profile names, made as CPython's specialized PRECALL forms
    /// make it (`call`): when the callable is that object (`binding`; for a function call, with
    /// the NULL LOAD_GLOBAL pushed below it), a helper calls the C function through the
    /// method descriptor or builtin function (and takes the generic call itself when the object
    /// turns out not to take that calling convention: a descriptor applied to an object of
    /// another type, a rebound builtin), or, for `type(x)`, the type is read inline; otherwise
    /// the generic call. No deopt.
    ///
    /// ```text
    /// block:  branch callee == load_binding b && (method != NULL | first == NULL), fast(), slow()
    /// fast:   r1 = call s6_rt_call_descr_o(method, self, x); decref ...; jump cont(r1)
    /// slow:   r2 = <the generic call>; jump cont(r2)
    /// ```
    #[allow(clippy::too_many_arguments)]
    fn c_call(
        &mut self,
        block: Block,
        pos: usize,
        inst: Inst,
        call: CCall,
        binding: crate::function::BindingKind,
        n: u8,
        args: &[Value],
        fs: FrameStateId,
        loc: Option<u32>,
    ) -> Outcome {
        let result = self.f().inst(inst).results[0];
        let id = self.b.func_mut().binding_for(binding);
        let (cont, r, [fast, slow]) = self.split_for(block, pos, Type::Obj);
        self.b.set_loc(loc);
        self.b.switch_to_block(block);
        // [method, self, args..] for a method, [NULL, callable, args..] for a function.
        let method = matches!(call, CCall::Descr(_));
        let callee = if method { args[0] } else { args[1] };
        let want = self.b.load_binding(id);
        let same = self.b.icmp(IntCC::Eq, callee, want);
        // A method operand is NULL when LOAD_METHOD found no method, and a binding the
        // runtime could not resolve (a descriptor of a heap type) is NULL too.
        let null = self.b.null();
        let check = if method { callee } else { args[0] };
        let second = self
            .b
            .icmp(if method { IntCC::Ne } else { IntCC::Eq }, check, null);
        let both = self.b.binary(Opcode::And, same, second);
        self.b.branch(both, fast, &[], slow, &[]);
        self.b.switch_to_block(fast);
        let rest = &args[2..];
        let r1 = match call {
            CCall::Descr(DescrKind::NoArgs) => self
                .b
                .call_value("s6_rt_call_descr_noargs", &[callee, args[1]]),
            CCall::Descr(DescrKind::O) => self
                .b
                .call_value("s6_rt_call_descr_o", &[callee, args[1], rest[0]]),
            CCall::Descr(DescrKind::Fast) => {
                let (p, nargs) = self.arg_array(rest);
                self.b
                    .call_value("s6_rt_call_descr_fast", &[callee, args[1], p, nargs])
            }
            CCall::FuncO => self.b.call_value("s6_rt_call_cfunc_o", &[callee, rest[0]]),
            CCall::FuncFast => {
                let (p, nargs) = self.arg_array(rest);
                self.b
                    .call_value("s6_rt_call_cfunc_fast", &[callee, p, nargs])
            }
            CCall::Type1 => {
                let t = self
                    .b
                    .load(Type::Obj, rest[0], s6_py311::layout::object::OB_TYPE);
                self.b.incref(t);
                t
            }
            CCall::Str1 => self.b.call_value("PyObject_Str", &[rest[0]]),
            CCall::Tuple1 => self.b.call_value("PySequence_Tuple", &[rest[0]]),
        };
        // The call consumed its operands (a function's NULL needs nothing).
        let owned = if method { args } else { &args[1..] };
        for &a in owned {
            self.b.decref(a);
        }
        self.b.jump(cont, &[r1]);
        self.b.set_cold(slow);
        self.b.switch_to_block(slow);
        let r2 = super::legalize::emit_generic(&mut self.b, PyOp::Call(n), args, fs);
        self.b.jump(cont, &[r2]);
        self.replaced.insert(result, r);
        Outcome::Split { cont }
    }

    /// `len(x)` in machine code for an exact `list`, `tuple`, ready `str` or `dict` (the size their
    /// `sq_length`/`mp_length` return: `ob_size`, `length`, `ma_used`, all one word at the same
    /// offset), boxed; `s6_rt_len` for anything else. Returns the new reference (NULL on a
    /// memory error, which the call's check raises), the builder left in the join block.
    fn inline_len(&mut self, x: Value) -> Value {
        use s6_py311::layout::object::OB_TYPE;
        const _: () = assert!(
            list::OB_SIZE == tuple::OB_SIZE
                && list::OB_SIZE == unicode::LENGTH
                && list::OB_SIZE == dict::MA_USED
        );
        let (more, sized, other, join) = (
            self.b.create_block(),
            self.b.create_block(),
            self.b.create_block(),
            self.b.create_block(),
        );
        let r = self.b.append_block_param(join, Type::Obj);
        let t = self.b.load(Type::Obj, x, OB_TYPE);
        let list_t = self.b.const_obj(WellKnown::ListType);
        let tuple_t = self.b.const_obj(WellKnown::TupleType);
        let is_list = self.b.icmp(IntCC::Eq, t, list_t);
        let is_tuple = self.b.icmp(IntCC::Eq, t, tuple_t);
        let seq = self.b.binary(Opcode::Or, is_list, is_tuple);
        self.b.branch(seq, sized, &[], more, &[]);
        self.b.switch_to_block(more);
        let dict_b = self.b.func_mut().type_binding("builtins.dict");
        let dict_t = self.b.load_binding(dict_b);
        let is_dict = self.b.icmp(IntCC::Eq, t, dict_t);
        let text = self.b.create_block();
        self.b.branch(is_dict, sized, &[], text, &[]);
        // A str only once it is ready (a legacy str of the deprecated `Py_UNICODE` APIs may
        // not be: `len` readies it first).
        self.b.switch_to_block(text);
        let str_b = self.b.func_mut().type_binding("builtins.str");
        let str_t = self.b.load_binding(str_b);
        let is_str = self.b.icmp(IntCC::Eq, t, str_t);
        let str_blk = self.b.create_block();
        self.b.branch(is_str, str_blk, &[], other, &[]);
        self.b.switch_to_block(str_blk);
        let state = self.b.load(Type::I32, x, s6_py311::layout::ascii::STATE);
        let ready_bit = self
            .b
            .iconst(Type::I32, i64::from(s6_py311::layout::ascii::STATE_READY));
        let ready = self.b.binary(Opcode::And, state, ready_bit);
        let zero = self.b.iconst(Type::I32, 0);
        let is_ready = self.b.icmp(IntCC::Ne, ready, zero);
        self.b.branch(is_ready, sized, &[], other, &[]);
        self.b.switch_to_block(sized);
        let n = self.b.load(Type::I64, x, list::OB_SIZE);
        let boxed = self.b.box_int(n);
        self.b.jump(join, &[boxed]);
        self.b.switch_to_block(other);
        let called = self.b.call_value("s6_rt_len", &[x]);
        self.b.jump(join, &[called]);
        self.b.switch_to_block(join);
        r
    }

    /// `isinstance(o, t)` answered `True` in machine code when `o`'s type is `t` itself, the
    /// first thing `PyObject_IsInstance` checks (no `__instancecheck__` runs then either);
    /// `s6_rt_isinstance` for anything else. Returns the new reference (NULL with an exception
    /// set from the helper), the builder left in the join block.
    fn inline_isinstance(&mut self, o: Value, t: Value) -> Value {
        let (exact, other, join) = (
            self.b.create_block(),
            self.b.create_block(),
            self.b.create_block(),
        );
        let r = self.b.append_block_param(join, Type::Obj);
        let ty = self.b.load(Type::Obj, o, s6_py311::layout::object::OB_TYPE);
        let same = self.b.icmp(IntCC::Eq, ty, t);
        self.b.branch(same, exact, &[], other, &[]);
        self.b.switch_to_block(exact);
        let yes = self.b.const_obj(WellKnown::True);
        self.b.incref(yes);
        self.b.jump(join, &[yes]);
        self.b.switch_to_block(other);
        let called = self.b.call_value("s6_rt_isinstance", &[o, t]);
        self.b.jump(join, &[called]);
        self.b.switch_to_block(join);
        r
    }

    /// The arguments in a stack array for a `METH_FASTCALL` C function: (address, count).
    fn arg_array(&mut self, rest: &[Value]) -> (Value, Value) {
        let p = self.b.stack_alloc(8 * (rest.len() as u32).max(1));
        for (k, &a) in rest.iter().enumerate() {
            self.b.store(Type::Obj, p, 8 * k as i32, a);
        }
        let nargs = self.b.iconst(Type::I64, rest.len() as i64);
        (p, nargs)
    }

    /// The builtin method descriptor (`module.type.name`) that the `LOAD_METHOD` whose upper
    /// result (`self` when it found a method) is `v` found, by the profile's account.
    fn loaded_method_descr(&self, v: Value) -> Option<String> {
        use crate::feedback::{AttrKind, CalleeFacts, Feedback};
        match self.load_site(v)? {
            (
                "s6_rt_load_method_cached",
                _,
                Feedback::Attr {
                    how:
                        AttrKind::Method {
                            descr: CalleeFacts::Builtin(name),
                        },
                    ..
                },
            ) => Some(name.clone()),
            _ => None,
        }
    }

    /// The builtin function a callable was loaded as, by the profile's account of the load: a
    /// global that held it (`from math import sqrt; sqrt(x)`), or an attribute of a global
    /// that held its module (`math.sqrt(x)`). `module.name`, as the binding resolves it.
    fn loaded_builtin(&self, v: Value) -> Option<String> {
        use crate::feedback::{AttrKind, CalleeFacts, Feedback};
        let (callee, args, site) = self.load_site(v)?;
        match (callee, site) {
            (
                "s6_rt_load_global_cached",
                Feedback::Global {
                    value: Some(CalleeFacts::Builtin(name)),
                    ..
                },
            ) => Some(name.clone()),
            (
                "s6_rt_load_attr_cached" | "s6_rt_load_method_cached",
                Feedback::Attr {
                    name,
                    how: AttrKind::Module,
                    ..
                },
            ) => {
                let (owner, _, site) = self.load_site(*args.first()?)?;
                match (owner, site) {
                    (
                        "s6_rt_load_global_cached",
                        Feedback::Global {
                            value: Some(CalleeFacts::Module(module)),
                            ..
                        },
                    ) => Some(format!("{module}.{name}")),
                    _ => None,
                }
            }
            _ => None,
        }
    }

    /// The helper call that defined `v` and the speculable feedback at its site.
    fn load_site(
        &self,
        v: Value,
    ) -> Option<(&'static str, Vec<Value>, &crate::feedback::Feedback)> {
        let f = self.f();
        let ValueDef::Result(i, 0) = f.value_def(self.val(v)) else {
            return None;
        };
        let d = f.inst(i);
        let Operands::Call { callee, args } = &d.operands else {
            return None;
        };
        let site = f.site(d.loc?)?.speculable()?;
        Some((callee.name, args.clone(), site))
    }

    /// `math.sqrt(x)` and the other one-argument functions of `math` that call the C
    /// library directly ([`math_helper`]), where the callable is that builtin (a binding) and
    /// `x` an exact float or int: the C function on the double, its result checked as
    /// mathmodule.c's `math_1` checks it. Anything else (another callable, another argument
    /// type, an int too wide for a double, a result `math_1` would turn into `ValueError` or
    /// `OverflowError`) takes the generic call, which then does what CPython does. No deopt
    /// but for an int argument that a proven-int value carries beyond 2^53.
    ///
    /// ```text
    /// block:  branch callee == load_binding b && first == NULL, fast(), slow()
    /// fast:   x = <x as a double, or branch slow()>
    ///         r = call s6_rt_math_sqrt(x)
    ///         branch <r finite, or x NaN>, done(), slow()
    /// done:   decref callee, x; jump cont(box_float r)
    /// slow:   r2 = <the generic call>; jump cont(r2)
    /// ```
    #[allow(clippy::too_many_arguments)]
    fn math_call(
        &mut self,
        block: Block,
        pos: usize,
        inst: Inst,
        helper: &str,
        name: &str,
        args: &[Value],
        fs: FrameStateId,
        loc: Option<u32>,
    ) -> Outcome {
        use crate::function::BindingKind;
        let result = self.f().inst(inst).results[0];
        let binding = BindingKind::Object(name.to_owned());
        let id = self.b.func_mut().binding_for(binding);
        let (cont, r, [fast, done, slow]) = self.split_for(block, pos, Type::Obj);
        self.b.set_loc(loc);
        self.b.switch_to_block(block);
        let want = self.b.load_binding(id);
        let same = self.b.icmp(IntCC::Eq, args[1], want);
        let null = self.b.null();
        let is_null = self.b.icmp(IntCC::Eq, args[0], null);
        let both = self.b.binary(Opcode::And, same, is_null);
        self.b.branch(both, fast, &[], slow, &[]);
        self.b.switch_to_block(fast);
        let arg = args[2];
        // `abs` of an int is an int: only floats take the C library's `fabs` there.
        let floats_only = name == "builtins.abs";
        let x = match num_of(self.pytype(arg)) {
            Some(Num::Float) => self.as_double(arg, Num::Float, fs).0,
            Some(num) if !floats_only => self.as_double(arg, num, fs).0,
            _ => self.double_or(arg, floats_only, slow),
        };
        let y = self.b.call_value(helper, &[x]);
        // math_1 returns r when it is finite, or when x is a NaN (r is then a NaN too); an
        // infinite or NaN r of another x may be an error, which the real function reports.
        let zero = self.b.fconst(0.0);
        let diff = self.b.binary(Opcode::Fsub, y, y);
        let finite = self.b.fcmp(FloatCC::Eq, diff, zero);
        let x_nan = self.b.fcmp(FloatCC::Ne, x, x);
        let ok = self.b.binary(Opcode::Or, finite, x_nan);
        self.b.branch(ok, done, &[], slow, &[]);
        self.b.switch_to_block(done);
        let boxed = self.b.box_float(y);
        self.b.decref(args[1]);
        self.b.decref(arg);
        self.b.jump(cont, &[boxed]);
        self.b.set_cold(slow);
        self.b.switch_to_block(slow);
        let r2 = super::legalize::emit_generic(&mut self.b, PyOp::Call(1), args, fs);
        self.b.jump(cont, &[r2]);
        self.replaced.insert(result, r);
        Outcome::Split { cont }
    }

    /// From the insertion point: `v` as a double when it is an exact float, or (unless
    /// `floats_only`) an exact one-digit int; other objects branch to `fail`.
    fn double_or(&mut self, v: Value, floats_only: bool, fail: Block) -> Value {
        let (float_type, int_type) = self.number_types();
        let t = self.b.load(Type::Obj, v, s6_py311::layout::object::OB_TYPE);
        let is_float = self.b.icmp(IntCC::Eq, t, float_type);
        self.double_from(v, t, is_float, (!floats_only).then_some(int_type), fail)
    }

    /// A float operand as a double; an int one converted as float arithmetic does (exact, or
    /// the operation deopts). For a `Number`, also whether it was a float (i8).
    fn as_double(&mut self, v: Value, num: Num, fs: FrameStateId) -> (Value, Option<Value>) {
        match num {
            Num::Float => (self.b.unbox_float(v), None),
            Num::Int => {
                let x = self.b.unbox_int(v, fs);
                self.deopt_unless_exact_double(x, fs);
                (self.b.sitofp(x), None)
            }
            Num::Number => {
                let (x, isf) = self.b.unbox_number(v, fs);
                (x, Some(isf))
            }
        }
    }

    fn deopt_unless_exact_double(&mut self, x: Value, fs: FrameStateId) {
        // |x| <= 2^53  <=>  x + 2^53 <=u 2^54
        let bias = self.b.iconst(Type::I64, EXACT_DOUBLE);
        let shifted = self.b.iadd(x, bias);
        let limit = self.b.iconst(Type::I64, 2 * EXACT_DOUBLE);
        let out = self.b.icmp(IntCC::Ugt, shifted, limit);
        self.b.deopt_if(out, fs, "int too large for a double");
    }

    fn int_arith(&mut self, op: NumOp, ops: &[Value], fs: FrameStateId) -> Value {
        let x = self.b.unbox_int(ops[0], fs);
        let y = self.b.unbox_int(ops[1], fs);
        let b = &mut self.b;
        let z = match op {
            NumOp::Add | NumOp::Sub | NumOp::Mul => {
                let (z, o) = match op {
                    NumOp::Add => b.iadd_ovf(x, y),
                    NumOp::Sub => b.isub_ovf(x, y),
                    _ => b.imul_ovf(x, y),
                };
                b.deopt_if(o, fs, "int overflow");
                z
            }
            NumOp::And => b.binary(Opcode::And, x, y),
            NumOp::Or => b.binary(Opcode::Or, x, y),
            NumOp::Xor => b.binary(Opcode::Xor, x, y),
            NumOp::FloorDiv | NumOp::Mod => {
                let zero = b.iconst(Type::I64, 0);
                let by_zero = b.icmp(IntCC::Eq, y, zero);
                b.deopt_if(by_zero, fs, "division by zero");
                let min = b.iconst(Type::I64, i64::MIN);
                let at_min = b.icmp(IntCC::Eq, x, min);
                b.deopt_if(at_min, fs, "int overflow");
                let q = b.binary(Opcode::Sdiv, x, y);
                let r = b.binary(Opcode::Srem, x, y);
                // Floor: when the remainder is non-zero and its sign differs from y's,
                // q -= 1 and r += y.
                let nonzero = b.icmp(IntCC::Ne, r, zero);
                let signs = b.binary(Opcode::Xor, r, y);
                let differ = b.icmp(IntCC::Slt, signs, zero);
                let fix = b.binary(Opcode::And, nonzero, differ);
                if op == NumOp::FloorDiv {
                    let one = b.iconst(Type::I64, 1);
                    let q1 = b.isub(q, one);
                    b.select(fix, q1, q)
                } else {
                    let r1 = b.iadd(r, y);
                    b.select(fix, r1, r)
                }
            }
            NumOp::Lshift => {
                let zero = b.iconst(Type::I64, 0);
                let neg = b.icmp(IntCC::Slt, y, zero);
                b.deopt_if(neg, fs, "negative shift count");
                let max = b.iconst(Type::I64, 63);
                let far = b.icmp(IntCC::Sge, y, max);
                b.deopt_if(far, fs, "int overflow");
                let z = b.binary(Opcode::Shl, x, y);
                let back = b.binary(Opcode::Ashr, z, y);
                let lost = b.icmp(IntCC::Ne, back, x);
                b.deopt_if(lost, fs, "int overflow");
                z
            }
            NumOp::Rshift => {
                let zero = b.iconst(Type::I64, 0);
                let neg = b.icmp(IntCC::Slt, y, zero);
                b.deopt_if(neg, fs, "negative shift count");
                let max = b.iconst(Type::I64, 63);
                let far = b.icmp(IntCC::Sgt, y, max);
                let count = b.select(far, max, y);
                b.binary(Opcode::Ashr, x, count)
            }
            NumOp::TrueDiv => {
                let zero = b.iconst(Type::I64, 0);
                let by_zero = b.icmp(IntCC::Eq, y, zero);
                b.deopt_if(by_zero, fs, "division by zero");
                self.deopt_unless_exact_double(x, fs);
                self.deopt_unless_exact_double(y, fs);
                let (fx, fy) = (self.b.sitofp(x), self.b.sitofp(y));
                let q = self.b.binary(Opcode::Fdiv, fx, fy);
                return self.b.box_float(q);
            }
            NumOp::Pow | NumOp::MatMul => unreachable!("not planned for ints"),
        };
        self.b.box_int(z)
    }

    fn float_arith(&mut self, op: NumOp, x: Value, y: Value, fs: FrameStateId) -> Value {
        let b = &mut self.b;
        match op {
            NumOp::Add => b.binary(Opcode::Fadd, x, y),
            NumOp::Sub => b.binary(Opcode::Fsub, x, y),
            NumOp::Mul => b.binary(Opcode::Fmul, x, y),
            NumOp::TrueDiv | NumOp::FloorDiv | NumOp::Mod => {
                let zero = b.fconst(0.0);
                let by_zero = b.fcmp(FloatCC::Eq, y, zero);
                b.deopt_if(by_zero, fs, "float division by zero");
                match op {
                    NumOp::TrueDiv => b.binary(Opcode::Fdiv, x, y),
                    NumOp::FloorDiv => b.call_value("s6_rt_float_floordiv", &[x, y]),
                    _ => b.call_value("s6_rt_float_mod", &[x, y]),
                }
            }
            NumOp::Pow => {
                let out = b.stack_alloc(8);
                let ok = b.call_value("s6_rt_float_pow", &[x, y, out]);
                let zero = b.iconst(Type::I32, 0);
                let declined = b.icmp(IntCC::Eq, ok, zero);
                b.deopt_if(declined, fs, "float power: error or complex result");
                b.load(Type::F64, out, 0)
            }
            _ => unreachable!("not planned for floats"),
        }
    }

    /// Truth of a value of a known type, as an i32 (0 or 1).
    fn truth_typed(&mut self, v: Value, t: PyType) -> Value {
        // A bool this code made from a condition: the condition itself.
        if let crate::function::ValueDef::Result(i, 0) = self.f().value_def(v)
            && let (Opcode::BoxBool, Operands::Unary { arg }) =
                (self.f().inst(i).opcode, &self.f().inst(i).operands)
        {
            let c = *arg;
            return self.b.uextend(Type::I32, c);
        }
        let b = &mut self.b;
        let c = if t.is_subtype_of(PyType::NONE_TYPE) {
            b.iconst(Type::I8, 0)
        } else if t.is_subtype_of(PyType::FLOAT_EXACT) {
            let x = b.unbox_float(v);
            let zero = b.fconst(0.0);
            b.fcmp(FloatCC::Ne, x, zero)
        } else {
            // A size field that is zero exactly for the false values.
            let off = if t.is_subtype_of(PyType::LONG_EXACT.union(PyType::BOOL)) {
                long::OB_SIZE
            } else if t.is_subtype_of(PyType::LIST_EXACT) {
                list::OB_SIZE
            } else if t.is_subtype_of(PyType::TUPLE_EXACT) {
                tuple::OB_SIZE
            } else if t.is_subtype_of(PyType::DICT_EXACT) {
                dict::MA_USED
            } else {
                unicode::LENGTH
            };
            let n = b.load(Type::I64, v, off);
            let zero = b.iconst(Type::I64, 0);
            b.icmp(IntCC::Ne, n, zero)
        };
        self.b.uextend(Type::I32, c)
    }

    /// Truth of anything: `True`, `False` and `None` by identity, the generic call otherwise
    /// (what ceval's conditional jumps do before `PyObject_IsTrue`):
    ///
    /// ```text
    /// block:    ...  branch v == True, cont(1), not_true()
    /// not_true: branch v == False || v == None, cont(0), slow()
    /// slow:     r = call PyObject_IsTrue(v); jump cont(r)
    /// cont(t):  the rest of the block, with t for the operation's result
    /// ```
    fn truth_generic(
        &mut self,
        block: Block,
        pos: usize,
        inst: Inst,
        v: Value,
        loc: Option<u32>,
    ) -> Outcome {
        let d = self.f().inst(inst).clone();
        let (cont, t, [not_true, slow]) = self.split_for(block, pos, Type::I32);
        self.b.set_loc(loc);
        self.b.switch_to_block(block);
        let tru = self.b.const_obj(WellKnown::True);
        let is_t = self.b.icmp(IntCC::Eq, v, tru);
        let one = self.b.iconst(Type::I32, 1);
        self.b.branch(is_t, cont, &[one], not_true, &[]);
        self.b.switch_to_block(not_true);
        let fal = self.b.const_obj(WellKnown::False);
        let none = self.b.const_obj(WellKnown::None);
        let is_f = self.b.icmp(IntCC::Eq, v, fal);
        let is_n = self.b.icmp(IntCC::Eq, v, none);
        let falsy = self.b.binary(Opcode::Or, is_f, is_n);
        let zero = self.b.iconst(Type::I32, 0);
        self.b.branch(falsy, cont, &[zero], slow, &[]);
        self.b.set_cold(slow);
        self.b.switch_to_block(slow);
        let r = self.b.py_generic(PyOp::Truth, &[v]);
        self.b.jump(cont, &[r]);
        self.replaced.insert(d.results[0], t);
        Outcome::Split { cont }
    }
}

/// How an operation with operands of these types is specialized, if it is.
#[derive(Clone, Copy, Debug)]
enum Plan {
    Arith(NumOp, Num, Num),
    Compare(u8, Num, Num),
    Neg(Num),
    Invert,
    Truth(PyType),
    /// Container type (`ListExact` or `TupleExact`).
    GetItem(PyType),
    SetItemList,
}

impl Plan {
    /// Whether operand `k` must be exactly the builtin type the plan assumes (so speculation
    /// guards it).
    fn needs_guard(self, k: usize) -> bool {
        !matches!(self, Plan::SetItemList if k == 2)
    }

    /// The magnitude from which an int operand makes the plan deopt: `unbox_int`'s limit
    /// where ints are unboxed, 2^53 where one is converted to a double for float arithmetic.
    fn int_limit(self) -> u64 {
        match self {
            Plan::Arith(_, a, b) | Plan::Compare(_, a, b) if a != b => 1 << 53,
            // A field test: no unboxing.
            Plan::Truth(_) => u64::MAX,
            _ => UNBOX_LIMIT,
        }
    }
}

/// Which direct form of a C call `Specializer::c_call` makes.
#[derive(Clone, Copy, Debug, PartialEq)]
enum CCall {
    /// A builtin method of a builtin type through its descriptor.
    Descr(DescrKind),
    /// A builtin function taking one object (`METH_O`: `id(x)`, `ord(c)`).
    FuncO,
    /// A builtin function taking a vector (`METH_FASTCALL`: `getattr(o, n, d)`, `min(a, b)`).
    FuncFast,
    /// `type(x)`: the type, inline.
    Type1,
    /// `str(x)`: `PyObject_Str`.
    Str1,
    /// `tuple(x)`: `PySequence_Tuple`.
    Tuple1,
}

/// How a builtin method's C function is called, from the PRECALL form CPython chose for it.
#[derive(Clone, Copy, Debug, PartialEq)]
enum DescrKind {
    /// `METH_NOARGS`: `f(self, NULL)`.
    NoArgs,
    /// `METH_O`: `f(self, x)`.
    O,
    /// `METH_FASTCALL`: `f(self, args, nargs)`.
    Fast,
}

impl DescrKind {
    /// The kind a `PRECALL_NO_KW_METHOD_DESCRIPTOR_*` form names, for a call with `n`
    /// arguments besides `self` (the forms CPython chose only for counts they accept; up to
    /// three for `FAST`).
    fn of(op: &str, n: u8) -> Option<DescrKind> {
        match (op, n) {
            ("PRECALL_NO_KW_METHOD_DESCRIPTOR_NOARGS", 0) => Some(DescrKind::NoArgs),
            ("PRECALL_NO_KW_METHOD_DESCRIPTOR_O", 1) => Some(DescrKind::O),
            ("PRECALL_NO_KW_METHOD_DESCRIPTOR_FAST", 0..=3) => Some(DescrKind::Fast),
            _ => None,
        }
    }
}

/// The runtime helper for the builtin `name` of `math` whose C function (`FUNC1` in
/// mathmodule.c: `math_1(x, sin, 0)`) is the C library's of the same name.
fn math_helper(name: &str) -> Option<&'static str> {
    Some(match name {
        "math.sin" => "s6_rt_math_sin",
        "math.cos" => "s6_rt_math_cos",
        "math.tan" => "s6_rt_math_tan",
        "math.atan" => "s6_rt_math_atan",
        "math.exp" => "s6_rt_math_exp",
        "math.sqrt" => "s6_rt_math_sqrt",
        "math.fabs" => "s6_rt_math_fabs",
        // `float.__abs__` is `fabs` too (float_abs); ints stay generic (see `math_call`).
        "builtins.abs" => "s6_rt_math_fabs",
        _ => return None,
    })
}

fn num_of(t: PyType) -> Option<Num> {
    if t.is_subtype_of(PyType::LONG_EXACT) && t != PyType::BOTTOM {
        Some(Num::Int)
    } else if t.is_subtype_of(PyType::FLOAT_EXACT) && t != PyType::BOTTOM {
        Some(Num::Float)
    } else {
        None
    }
}

fn plan(op: PyOp, known: &[PyType], number: &[bool]) -> Option<Plan> {
    let num = |k: usize| {
        if number.get(k).copied().unwrap_or(false) {
            Some(Num::Number)
        } else {
            num_of(known[k])
        }
    };
    match op {
        PyOp::Binary(_) => {
            let (num_op, _) = op.num_op()?;
            let (a, b) = (num(0)?, num(1)?);
            let ok = match (a, b) {
                (Num::Int, Num::Int) => !matches!(num_op, NumOp::Pow | NumOp::MatMul),
                _ => matches!(
                    num_op,
                    NumOp::Add
                        | NumOp::Sub
                        | NumOp::Mul
                        | NumOp::TrueDiv
                        | NumOp::FloorDiv
                        | NumOp::Mod
                        | NumOp::Pow
                ),
            };
            // int ** float and float ** int: float_pow converts the int; fine. But int // float
            // and int % float go through the same conversion too, so all are allowed above.
            ok.then_some(Plan::Arith(num_op, a, b))
        }
        PyOp::Compare(k) => {
            let (a, b) = (num(0)?, num(1)?);
            Some(Plan::Compare(k, a, b))
        }
        PyOp::Neg => Some(Plan::Neg(num_of(known[0])?)),
        PyOp::Invert => (num_of(known[0])? == Num::Int).then_some(Plan::Invert),
        PyOp::Truth => {
            let t = known[0];
            let typed = [
                PyType::NONE_TYPE,
                PyType::BOOL,
                PyType::LONG_EXACT,
                PyType::FLOAT_EXACT,
                PyType::LIST_EXACT,
                PyType::TUPLE_EXACT,
                PyType::DICT_EXACT,
                PyType::STR_EXACT,
            ];
            let fits = t != PyType::BOTTOM
                && typed
                    .iter()
                    .chain(&[PyType::LONG_EXACT.union(PyType::BOOL)])
                    .any(|&x| t.is_subtype_of(x));
            fits.then_some(Plan::Truth(t))
        }
        PyOp::GetItem => {
            if num_of(known[1])? != Num::Int {
                return None;
            }
            [PyType::LIST_EXACT, PyType::TUPLE_EXACT]
                .into_iter()
                .find(|&c| known[0].is_subtype_of(c) && known[0] != PyType::BOTTOM)
                .map(Plan::GetItem)
        }
        PyOp::Call(_) => None,
        PyOp::SetItem => (known[0].is_subtype_of(PyType::LIST_EXACT)
            && known[0] != PyType::BOTTOM
            && num_of(known[1])? == Num::Int)
            .then_some(Plan::SetItemList),
    }
}

/// `unbox_int` takes ints of at most two 30-bit digits: a constant from here up never unboxes.
const UNBOX_LIMIT: u64 = 1 << 60;
/// The `*_or_generic` forms run one-digit ints in machine code: a constant from here up never
/// takes their int path.
const COMPACT_LIMIT: u64 = 1 << 30;
/// A product with a constant factor from here up leaves i64 for any other factor from 2^31 up
/// (64-bit hashes and generators: `h * 1099511628211`, `s * 6364136223846793005`): the
/// deopting int path would deopt on nearly every execution of such code.
const WIDE_FACTOR: u64 = 1 << 32;

/// The int operators [`Specializer::int_or_generic`] computes in machine code.
fn int_path(op: PyOp) -> Option<NumOp> {
    let (num_op, _) = op.num_op()?;
    matches!(
        num_op,
        NumOp::Add
            | NumOp::Sub
            | NumOp::Mul
            | NumOp::And
            | NumOp::Or
            | NumOp::Xor
            | NumOp::FloorDiv
            | NumOp::Mod
            | NumOp::Lshift
            | NumOp::Rshift
    )
    .then_some(num_op)
}

/// The operators [`Specializer::float_arm`] computes on doubles.
fn float_path(op: PyOp) -> Option<NumOp> {
    let (num_op, _) = op.num_op()?;
    matches!(
        num_op,
        NumOp::Add | NumOp::Sub | NumOp::Mul | NumOp::TrueDiv
    )
    .then_some(num_op)
}

/// `COMPARE_OP`'s `==` and `!=` (`Py_EQ`, `Py_NE`).
const CMP_EQ: u8 = 2;
const CMP_NE: u8 = 3;

fn int_cc(k: u8) -> IntCC {
    [
        IntCC::Slt,
        IntCC::Sle,
        IntCC::Eq,
        IntCC::Ne,
        IntCC::Sgt,
        IntCC::Sge,
    ][k as usize]
}

fn float_cc(k: u8) -> FloatCC {
    [
        FloatCC::Lt,
        FloatCC::Le,
        FloatCC::Eq,
        FloatCC::Ne,
        FloatCC::Gt,
        FloatCC::Ge,
    ][k as usize]
}

/// Moves the instructions of `block` from `pos` on into a new block (placed right after it in
/// the layout) and returns it; `block` is left without a terminator for the caller to finish.
pub(crate) fn split_block(f: &mut Function, block: Block, pos: usize) -> Block {
    let tail = f.block_mut(block).insts.split_off(pos);
    let new = f.make_block();
    f.layout.pop();
    let at = f
        .layout
        .iter()
        .position(|&b| b == block)
        .expect("block in layout")
        + 1;
    f.layout.insert(at, new);
    f.block_mut(new).insts = tail;
    new
}
