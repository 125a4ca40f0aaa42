//! Unboxed block parameters: a loop-carried `int` or `float` travels around the loop as an
//! `i64`/`f64` instead of being unboxed again at the top of every iteration.

use std::collections::HashMap;

use crate::cfg::ControlFlowGraph;
use crate::entities::{Block, Inst, Value};
use crate::function::{ConstValue, Function, ValueDef};
use crate::instructions::{Opcode, Operands};
use crate::types::{PyType, Type};

/// Gives an `obj` block parameter typed `LongExact` or `FloatExact` an unboxed twin (`i64` or
/// `f64`) when every value reaching it is known unboxed: a `box_int x`/`box_float x` (the
/// twin gets `x`), a `guard_type` result whose next instruction unboxes it to `x`, a numeric
/// constant of `co_consts` that fits (an `iconst`/`fconst` in the
/// predecessor), or another such parameter (its twin). `unbox_int p`/`unbox_float p` then
/// become the twin (an `unbox_int` that could deopt on an int too large for i64 cannot here:
/// every incoming value came from an i64). A parameter left with no use but frame-state
/// entries is removed, the entries taking the twin (an exit boxes it afresh), so that boxes
/// made only to cross the edge become dead for `box_elim`.
///
/// Only parameters that help are unboxed: those with an `unbox` use, or feeding one that has.
/// Run after `simplify` (which has turned `unbox(box x)` into `x` within blocks) and before
/// `box_elim`.
///
/// Does not: unbox `bool` parameters or parameters whose type is not proven exact; move a box
/// that other uses still need (a `store_local`, a call argument, a return): the parameter then
/// stays beside its twin; change what any frame state shows (a twin boxes to an equal object,
/// and only entries of removed parameters, which no instruction could see, change).
pub fn unbox_params(f: &mut Function) {
    let Some(_) = f.entry() else { return };
    let cfg = ControlFlowGraph::compute(f);
    // Definitions of box results (value -> unboxed operand) and unbox uses per value.
    let mut boxed: HashMap<Value, (Kind, Value)> = HashMap::new();
    let mut unboxes: HashMap<Value, Vec<Inst>> = HashMap::new();
    // A `guard_type` result unboxed by the very next instruction: that number is its value
    // everywhere the guard's result is used (`catch_types` makes these).
    for &b in &f.layout {
        for w in f.block(b).insts.windows(2) {
            let (g, u) = (f.inst(w[0]), f.inst(w[1]));
            let kind = match (u.opcode, &u.operands) {
                (Opcode::UnboxFloat, Operands::Unary { arg }) if g.results.first() == Some(arg) => {
                    Kind::Float
                }
                (Opcode::UnboxInt, Operands::Check { arg, .. })
                    if g.results.first() == Some(arg) =>
                {
                    Kind::Int
                }
                _ => continue,
            };
            if g.opcode == Opcode::GuardType {
                boxed.insert(g.results[0], (kind, u.results[0]));
            }
        }
    }
    for (_, i) in f.layout_insts() {
        let d = f.inst(i);
        match (d.opcode, &d.operands) {
            (Opcode::BoxInt, Operands::Unary { arg }) => {
                boxed.insert(d.results[0], (Kind::Int, *arg));
            }
            (Opcode::BoxFloat, Operands::Unary { arg }) => {
                boxed.insert(d.results[0], (Kind::Float, *arg));
            }
            (Opcode::UnboxInt, Operands::Check { arg, .. })
            | (Opcode::UnboxFloat, Operands::Unary { arg }) => {
                unboxes.entry(*arg).or_default().push(i);
            }
            _ => {}
        }
    }
    // Candidates: typed obj parameters of reachable blocks with at least one predecessor.
    let mut cand: HashMap<Value, (Block, usize, Kind)> = HashMap::new();
    for &b in &f.layout {
        if cfg.preds(b).is_empty() {
            continue;
        }
        for (k, &p) in f.block(b).params.iter().enumerate() {
            if f.value_type(p) != Type::Obj {
                continue;
            }
            let kind = match f.pytype(p) {
                t if t == PyType::LONG_EXACT => Kind::Int,
                t if t == PyType::FLOAT_EXACT => Kind::Float,
                _ => continue,
            };
            cand.insert(p, (b, k, kind));
        }
    }
    // The values each candidate receives, over every edge.
    let incoming = |f: &Function, b: Block, k: usize| -> Vec<Value> {
        let mut v = Vec::new();
        for &q in cfg.preds(b) {
            let Some(t) = f.terminator(q) else { continue };
            for bc in f.inst(t).operands.successors() {
                if bc.block == b {
                    v.push(bc.args[k]);
                }
            }
        }
        v
    };
    let source =
        |f: &Function, a: Value, kind: Kind, cand: &HashMap<Value, (Block, usize, Kind)>| {
            if let Some(&(k, _)) = boxed.get(&a) {
                return k == kind;
            }
            if let Some(&(_, _, k)) = cand.get(&a) {
                return k == kind;
            }
            const_of(f, a).is_some_and(|c| c.kind() == kind)
        };
    // Drop candidates with an incoming value that is not known unboxed (to a fixed point:
    // dropping one can disqualify the parameters it feeds).
    loop {
        let bad: Vec<Value> = cand
            .iter()
            .filter(|&(_, &(b, k, kind))| {
                incoming(f, b, k)
                    .into_iter()
                    .any(|a| !source(f, a, kind, &cand))
            })
            .map(|(&p, _)| p)
            .collect();
        if bad.is_empty() {
            break;
        }
        for p in bad {
            cand.remove(&p);
        }
    }
    // Keep the useful ones: an unbox use, or feeding a useful candidate.
    let mut useful: Vec<Value> = cand
        .keys()
        .copied()
        .filter(|p| unboxes.contains_key(p))
        .collect();
    let mut keep: std::collections::HashSet<Value> = useful.iter().copied().collect();
    while let Some(p) = useful.pop() {
        let (b, k, _) = cand[&p];
        for a in incoming(f, b, k) {
            if cand.contains_key(&a) && keep.insert(a) {
                useful.push(a);
            }
        }
    }
    cand.retain(|p, _| keep.contains(p));
    if cand.is_empty() {
        return;
    }
    // Twins first (so that incoming twins exist), in a fixed order.
    let mut order: Vec<(Value, Block, usize, Kind)> = cand
        .iter()
        .map(|(&p, &(b, k, kind))| (p, b, k, kind))
        .collect();
    order.sort_by_key(|&(p, ..)| p.index());
    let mut twin: HashMap<Value, Value> = HashMap::new();
    for &(p, b, _, kind) in &order {
        let t = f.add_block_param(b, kind.ty());
        twin.insert(p, t);
    }
    // Edge arguments: the twin of each incoming value, in twin order.
    for &(_, b, k, kind) in &order {
        let mut preds: Vec<Block> = cfg.preds(b).to_vec();
        preds.sort_by_key(|q| q.index());
        preds.dedup();
        for q in preds {
            let t = f.terminator(q).expect("a predecessor ends in a terminator");
            let n = f.inst(t).operands.successors().len();
            for e in 0..n {
                let bc = f.inst(t).operands.successors()[e].clone();
                if bc.block != b {
                    continue;
                }
                let a = bc.args[k];
                let x = if let Some(&(_, x)) = boxed.get(&a) {
                    x
                } else if let Some(&tw) = twin.get(&a) {
                    tw
                } else {
                    let c = const_of(f, a).expect("checked above");
                    let (op, operands) = match c {
                        ConstValue::Int(i) => (
                            Opcode::Iconst,
                            Operands::IntConst {
                                ty: Type::I64,
                                imm: i,
                            },
                        ),
                        ConstValue::Float(bits) => (Opcode::Fconst, Operands::FloatConst { bits }),
                    };
                    let loc = f.inst(t).loc;
                    let ci = f.make_inst(op, operands, &[kind.ty()], loc);
                    let at = f.block(q).insts.len() - 1;
                    f.block_mut(q).insts.insert(at, ci);
                    f.inst(ci).results[0]
                };
                f.inst_mut(t).operands.successors_mut()[e].args.push(x);
            }
        }
    }
    // Unboxes of a parameter become its twin.
    let mut map: HashMap<Value, Value> = HashMap::new();
    let mut dead: Vec<Inst> = Vec::new();
    for (&p, &t) in &twin {
        for &i in unboxes.get(&p).into_iter().flatten() {
            map.insert(f.inst(i).results[0], t);
            dead.push(i);
        }
    }
    for &b in &f.layout.clone() {
        f.block_mut(b).insts.retain(|i| !dead.contains(i));
    }
    for i in dead {
        let r = f.inst(i).results[0];
        f.values[r.index()].def = ValueDef::Detached;
    }
    f.rewrite_uses(|v| map.get(&v).copied().unwrap_or(v));
    remove_exit_only_params(f, &twin);
}

/// Removes the parameters of `twin` that only frame states and reference counting still use,
/// the states taking the twin instead. The parameter is borrowed (its owner is the local it was
/// loaded from, or the edge's box), so with no consuming use its increfs and decrefs balance on
/// every path; they go with it. Only the moment an exact `int`/`float` is freed can change
/// (freeing one runs no code).
fn remove_exit_only_params(f: &mut Function, twin: &HashMap<Value, Value>) {
    let mut inst_uses = vec![0u32; f.values.len()];
    let mut counting: HashMap<Value, Vec<Inst>> = HashMap::new();
    for (_, i) in f.layout_insts() {
        match (f.inst(i).opcode, &f.inst(i).operands) {
            (Opcode::Incref | Opcode::Decref, Operands::Unary { arg })
                if twin.contains_key(arg) =>
            {
                counting.entry(*arg).or_default().push(i);
            }
            _ => f
                .inst(i)
                .operands
                .for_each_arg(|v| inst_uses[v.index()] += 1),
        }
    }
    let mut gone: Vec<Value> = twin
        .keys()
        .copied()
        .filter(|p| inst_uses[p.index()] == 0)
        .collect();
    gone.sort_by_key(|p| p.index());
    let dead: Vec<Inst> = gone
        .iter()
        .flat_map(|p| counting.get(p).into_iter().flatten().copied())
        .collect();
    for &b in &f.layout.clone() {
        f.block_mut(b).insts.retain(|i| !dead.contains(i));
    }
    for fs in f.frame_states.iter_mut().flatten() {
        for k in 0..fs.stack.len() {
            if let Some(&t) = twin.get(&fs.stack[k])
                && gone.contains(&fs.stack[k])
            {
                fs.stack[k] = t;
                // Boxed afresh by the exit: nothing to borrow.
                fs.borrowed.retain(|&pos| pos as usize != k);
            }
        }
        for (_, v) in fs.locals.iter_mut() {
            if gone.contains(v) {
                *v = twin[v];
            }
        }
    }
    for p in gone {
        if let ValueDef::Param(b, _) = f.value_def(p) {
            f.remove_block_param(b, p);
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    Int,
    Float,
}

impl Kind {
    fn ty(self) -> Type {
        match self {
            Kind::Int => Type::I64,
            Kind::Float => Type::F64,
        }
    }
}

trait ConstKind {
    fn kind(&self) -> Kind;
}

impl ConstKind for ConstValue {
    fn kind(&self) -> Kind {
        match self {
            ConstValue::Int(_) => Kind::Int,
            ConstValue::Float(_) => Kind::Float,
        }
    }
}

/// The numeric value of `v` when it is a `load_const` of a known int or float.
fn const_of(f: &Function, v: Value) -> Option<ConstValue> {
    let ValueDef::Result(i, 0) = f.value_def(v) else {
        return None;
    };
    match (f.inst(i).opcode, &f.inst(i).operands) {
        (Opcode::LoadConst, Operands::UImm { imm }) => f.const_value(*imm),
        _ => None,
    }
}
