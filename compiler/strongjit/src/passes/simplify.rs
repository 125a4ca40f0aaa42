//! Type propagation and the local rewrites that typed code makes possible.

use std::collections::HashMap;

use crate::cfg::ControlFlowGraph;
use crate::dominators::DominatorTree;
use crate::entities::{Block, Inst, Value};
use crate::function::{ConstValue, Function, ValueDef};
use crate::instructions::{IntCC, Opcode, Operands};
use crate::types::{PyType, Type};

/// Repeats until nothing changes:
/// * the Python type of every `obj` block parameter becomes the union of what its predecessors
///   pass (an optimistic fixpoint, so loop-carried values keep their type);
/// * a `guard_type` whose operand already has the type goes away, and uses its result
///   dominates are given the guarded value (so one guard serves later uses of the same value);
/// * `unbox_float(box_float x)` is `x`, `unbox_int(box_int x)` is `x` (through guards of the
///   box);
/// * a comparison of a bool widened to i32 against 0 is the bool itself;
/// * `check_neg` of a value that cannot be negative (a widened bool, a non-negative constant)
///   goes away.
///
/// Does not: remove boxes (`box_elim` does, once nothing unboxes them), fold constants other
/// than the patterns above, rewrite frame states (they keep the unguarded value: same object),
/// or move code.
pub fn simplify(f: &mut Function) {
    for _ in 0..16 {
        let mut changed = propagate_types(f);
        changed |= rewrite(f);
        if !changed {
            break;
        }
    }
}

/// An instruction and where it is: block and position.
type Site = (Block, usize, Inst);

fn def_inst(f: &Function, v: Value) -> Option<Inst> {
    match f.value_def(v) {
        ValueDef::Result(i, 0) => Some(i),
        _ => None,
    }
}

/// `v` with `guard_type` aliases looked through.
fn unguarded(f: &Function, mut v: Value) -> Value {
    while let Some(i) = def_inst(f, v) {
        match f.inst(i).operands {
            Operands::GuardType { arg, .. } => v = arg,
            _ => break,
        }
    }
    v
}

/// What the `box_*` instruction defining `v` (through guards) boxed.
fn boxed(f: &Function, v: Value) -> Option<(Opcode, Value)> {
    let i = def_inst(f, unguarded(f, v))?;
    let d = f.inst(i);
    match (d.opcode, &d.operands) {
        (Opcode::BoxFloat | Opcode::BoxInt | Opcode::BoxBool, Operands::Unary { arg }) => {
            Some((d.opcode, *arg))
        }
        _ => None,
    }
}

fn propagate_types(f: &mut Function) -> bool {
    let cfg = ControlFlowGraph::compute(f);
    let dom = DominatorTree::compute(f, &cfg);
    let params: Vec<Value> = dom
        .rpo()
        .iter()
        .filter(|&&b| Some(b) != f.entry())
        .flat_map(|&b| f.block(b).params.clone())
        .filter(|&p| f.value_type(p) == Type::Obj)
        .collect();
    let mut est: HashMap<Value, PyType> = params.iter().map(|&p| (p, PyType::BOTTOM)).collect();
    // Incoming arguments of each parameter.
    let mut incoming: HashMap<Value, Vec<Value>> = HashMap::new();
    for &b in dom.rpo() {
        if let Some(t) = f.terminator(b) {
            for call in f.inst(t).operands.successors() {
                let ps = &f.block(call.block).params;
                for (&p, &a) in ps.iter().zip(&call.args) {
                    incoming.entry(p).or_default().push(a);
                }
            }
        }
    }
    loop {
        let mut moved = false;
        for &p in &params {
            let mut t = PyType::BOTTOM;
            for a in incoming.get(&p).map_or(&[][..], |v| v) {
                t = t.union(est.get(a).copied().unwrap_or_else(|| f.pytype(*a)));
            }
            if t != est[&p] {
                est.insert(p, t);
                moved = true;
            }
        }
        if !moved {
            break;
        }
    }
    let mut changed = false;
    for (p, t) in est {
        // A parameter nobody passes anything to (unreachable) keeps what it had.
        let t = if t == PyType::BOTTOM { f.pytype(p) } else { t };
        if f.pytype(p) != t {
            f.set_pytype(p, t);
            changed = true;
        }
    }
    changed
}

fn rewrite(f: &mut Function) -> bool {
    let cfg = ControlFlowGraph::compute(f);
    let dom = DominatorTree::compute(f, &cfg);
    let mut changed = false;
    let mut map: HashMap<Value, Value> = HashMap::new();
    // Guards: redundant ones go; the rest serve the uses they dominate.
    let mut guards: Vec<(Block, usize, Inst)> = Vec::new();
    for &b in dom.rpo() {
        for (pos, &i) in f.block(b).insts.iter().enumerate() {
            if f.inst(i).opcode == Opcode::GuardType {
                guards.push((b, pos, i));
            }
        }
    }
    let mut dead: Vec<Inst> = Vec::new();
    for &(gb, gpos, g) in &guards {
        let d = f.inst(g);
        let Operands::GuardType { arg, binding, .. } = d.operands else {
            continue;
        };
        let r = d.results[0];
        let want = f.binding_pytype(binding).unwrap_or(PyType::OBJECT);
        if f.pytype(arg).is_subtype_of(want) {
            map.insert(r, arg);
            dead.push(g);
            continue;
        }
        // Uses of `arg` after the guard (same block) or in blocks it dominates.
        let mut uses: Vec<Inst> = Vec::new();
        for &b in dom.rpo() {
            if b != gb && !dom.dominates(gb, b) {
                continue;
            }
            let start = if b == gb { gpos + 1 } else { 0 };
            for &i in &f.block(b).insts[start..] {
                if f.inst(i).operands.args().contains(&arg) {
                    uses.push(i);
                }
            }
        }
        for i in uses {
            f.inst_mut(i)
                .operands
                .map_args(|v| if v == arg { r } else { v });
            changed = true;
        }
    }
    // The same value unboxed twice: the dominating unbox serves both.
    let mut unboxes: HashMap<(Opcode, Value), Vec<Site>> = HashMap::new();
    for &b in dom.rpo() {
        for (pos, &i) in f.block(b).insts.iter().enumerate() {
            let d = f.inst(i);
            if let (Opcode::UnboxFloat, Operands::Unary { arg })
            | (Opcode::UnboxInt, Operands::Check { arg, .. }) = (d.opcode, &d.operands)
            {
                unboxes
                    .entry((d.opcode, unguarded(f, *arg)))
                    .or_default()
                    .push((b, pos, i));
            }
        }
    }
    for sites in unboxes.values() {
        for (k, &(b, pos, i)) in sites.iter().enumerate() {
            let earlier = sites[..k].iter().find(|&&(eb, epos, _)| {
                (eb == b && epos < pos) || (eb != b && dom.dominates(eb, b))
            });
            if let Some(&(_, _, e)) = earlier
                && !dead.contains(&e)
            {
                map.insert(f.inst(i).results[0], f.inst(e).results[0]);
                dead.push(i);
            }
        }
    }
    // Local rewrites over the value definitions.
    let mut fold: Vec<(Inst, Operands, Value)> = Vec::new();
    for &b in dom.rpo() {
        for &i in &f.block(b).insts {
            let d = f.inst(i);
            match (d.opcode, &d.operands) {
                (Opcode::UnboxFloat, Operands::Unary { arg })
                | (Opcode::UnboxInt, Operands::Check { arg, .. }) => {
                    let want = if d.opcode == Opcode::UnboxFloat {
                        Opcode::BoxFloat
                    } else {
                        Opcode::BoxInt
                    };
                    if let Some((op, x)) = boxed(f, *arg)
                        && op == want
                    {
                        map.insert(d.results[0], x);
                        dead.push(i);
                    } else if let Some(c) = constant(f, *arg) {
                        let r = d.results[0];
                        match (d.opcode, c) {
                            (Opcode::UnboxInt, ConstValue::Int(v)) => {
                                fold.push((
                                    i,
                                    Operands::IntConst {
                                        ty: Type::I64,
                                        imm: v,
                                    },
                                    r,
                                ));
                            }
                            (Opcode::UnboxFloat, ConstValue::Float(bits)) => {
                                fold.push((i, Operands::FloatConst { bits }, r));
                            }
                            _ => {}
                        }
                    }
                }
                (Opcode::Icmp, Operands::IntCompare { cond, args: [a, z] })
                    if matches!(cond, IntCC::Ne | IntCC::Eq) && is_zero(f, *z) =>
                {
                    // icmp.ne (uextend c), 0  ==  c   (c an i8 0/1)
                    if let Some(c) = widened_bool(f, *a)
                        && *cond == IntCC::Ne
                    {
                        map.insert(d.results[0], c);
                        dead.push(i);
                    }
                }
                (Opcode::CheckNeg, Operands::Check { arg, .. }) if never_negative(f, *arg) => {
                    dead.push(i);
                }
                _ => {}
            }
        }
    }
    for (i, ops, _) in fold.drain(..) {
        if dead.contains(&i) {
            continue;
        }
        let d = f.inst_mut(i);
        d.opcode = match ops {
            Operands::IntConst { .. } => Opcode::Iconst,
            _ => Opcode::Fconst,
        };
        d.operands = ops;
        changed = true;
    }
    if !dead.is_empty() || !map.is_empty() {
        changed = true;
        for &b in &f.layout.clone() {
            f.block_mut(b).insts.retain(|i| !dead.contains(i));
        }
        let resolve = |mut v: Value| {
            while let Some(&r) = map.get(&v) {
                v = r;
            }
            v
        };
        f.rewrite_uses(resolve);
        for i in dead {
            for r in f.inst(i).results.clone() {
                f.values[r.index()].def = ValueDef::Detached;
            }
        }
    }
    changed
}

/// The numeric value of `v` when it is a recorded constant (through guards).
fn constant(f: &Function, v: Value) -> Option<ConstValue> {
    let i = def_inst(f, unguarded(f, v))?;
    match (f.inst(i).opcode, &f.inst(i).operands) {
        (Opcode::LoadConst, Operands::UImm { imm }) => f.const_value(*imm),
        _ => None,
    }
}

fn is_zero(f: &Function, v: Value) -> bool {
    def_inst(f, v).is_some_and(|i| {
        matches!(f.inst(i).operands, Operands::IntConst { imm: 0, .. })
            && f.inst(i).opcode == Opcode::Iconst
    })
}

/// `c` when `v = uextend.T c` with `c: i8` (a 0/1 condition).
fn widened_bool(f: &Function, v: Value) -> Option<Value> {
    let i = def_inst(f, v)?;
    match (f.inst(i).opcode, &f.inst(i).operands) {
        (Opcode::Uextend, Operands::UnaryTyped { arg, .. }) if f.value_type(*arg) == Type::I8 => {
            Some(*arg)
        }
        _ => None,
    }
}

fn never_negative(f: &Function, v: Value) -> bool {
    if widened_bool(f, v).is_some() {
        return true;
    }
    def_inst(f, v).is_some_and(|i| {
        f.inst(i).opcode == Opcode::Iconst
            && matches!(f.inst(i).operands, Operands::IntConst { imm, .. } if imm >= 0)
    })
}
