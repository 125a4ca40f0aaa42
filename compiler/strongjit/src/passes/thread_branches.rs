//! Branch threading through small join blocks whose `branch` an incoming edge decides by
//! passing a constant.
//!
//! Specialization leaves this shape wherever an operation has fast paths that know their
//! answer beside a generic call that computes it. The truth of an object is the common one
//! (`True`, `False` and `None` by identity, `PyObject_IsTrue` otherwise):
//!
//! ```text
//!   branch v == True, bb7(1), bb8()
//! bb8(): branch v == False || v == None, bb7(0), bb9()
//! bb9(): r = call PyObject_IsTrue(v); jump bb7(r)
//! bb7(t: i32):
//!   decref v
//!   check_neg t, fs5
//!   c = icmp.eq t, 0
//!   branch c, bb2(), bb3()
//! ```
//!
//! The edges that pass 1 and 0 get their own copy of bb7 with the constant in place of `t`,
//! ending in a `jump` to the successor it selects: the fast paths no longer merge with the
//! call's result to test it for an error and branch on it again.

use std::collections::{HashMap, HashSet};

use crate::entities::{Block, Inst, Value};
use crate::function::{Function, ValueDef};
use crate::instructions::{BlockCall, IntCC, Opcode, Operands};
use crate::passes::unreachable_blocks::remove_unreachable_blocks;
use crate::types::Type;

/// Most instructions (terminator not counted) a block may have to be copied onto an edge.
pub const MAX_INSTS: usize = 8;

/// For every edge `P -> B(args)` whose arguments decide the `branch` that ends B: the edge goes
/// to a new block with B's instructions, B's parameters replaced by `args` and constants
/// folded (`icmp` and `uextend` of constants become `iconst`s; a `check_neg` of a constant
/// that is not negative is dropped), ending in a `jump` to the successor the constant
/// selects, with its arguments substituted. B keeps its other edges and is removed when it
/// has none left.
///
/// B qualifies when it is not the entry, ends in `branch`, has at most [`MAX_INSTS`]
/// instructions before it, each an `iconst`, `icmp`, `uextend`, `incref`, `decref` or
/// `check_neg`, and neither instructions outside B nor any frame state use its parameters or
/// results: so a copy needs no parameters of its own, and dominance holds for everything it
/// uses (defined before B, hence before each predecessor's edge into it).
///
/// Does not: copy a block onto an edge that leaves its branch undecided, copy calls or loads,
/// thread `jump`-ended blocks (`jump_threading` and `simplify_cfg` handle those), or copy a
/// block onto an edge from itself.
pub fn thread_branches(f: &mut Function) {
    let candidates = candidates(f);
    if candidates.is_empty() {
        return;
    }
    let consts = constants(f);
    let mut changed = false;
    for p in f.layout.clone() {
        let Some(t) = f.terminator(p) else {
            continue;
        };
        let edges = f.inst(t).operands.successors().len();
        for e in 0..edges {
            let edge = f.inst(t).operands.successors()[e].clone();
            if edge.block == p || !candidates.contains(&edge.block) {
                continue;
            }
            if let Some(copy) = copy_onto_edge(f, &edge, &consts) {
                *f.inst_mut(t).operands.successors_mut()[e] = copy;
                changed = true;
            }
        }
    }
    if changed {
        remove_unreachable_blocks(f);
    }
}

/// Blocks that qualify (see [`thread_branches`]).
fn candidates(f: &Function) -> HashSet<Block> {
    let entry = f.layout.first().copied();
    let mut block_of: HashMap<Inst, Block> = HashMap::new();
    for (b, i) in f.layout_insts() {
        block_of.insert(i, b);
    }
    let def_block = |v: Value| match f.value_def(v) {
        ValueDef::Param(b, _) => Some(b),
        ValueDef::Result(i, _) => block_of.get(&i).copied(),
        ValueDef::Detached => None,
    };
    // Blocks whose parameters or results something outside them uses.
    let mut escaping: HashSet<Block> = HashSet::new();
    for (b, i) in f.layout_insts() {
        f.inst(i).operands.for_each_arg(|v| {
            if let Some(d) = def_block(v)
                && d != b
            {
                escaping.insert(d);
            }
        });
    }
    for (_, fs) in f.live_frame_states() {
        for v in fs.stack.iter().chain(fs.locals.iter().map(|(_, v)| v)) {
            escaping.extend(def_block(*v));
        }
    }
    f.layout
        .iter()
        .copied()
        .filter(|&b| Some(b) != entry && !escaping.contains(&b))
        .filter(|&b| {
            let insts = &f.block(b).insts;
            let Some((&last, body)) = insts.split_last() else {
                return false;
            };
            f.inst(last).opcode == Opcode::Branch
                && body.len() <= MAX_INSTS
                && body.iter().all(|&i| {
                    matches!(
                        f.inst(i).opcode,
                        Opcode::Iconst
                            | Opcode::Icmp
                            | Opcode::Uextend
                            | Opcode::Incref
                            | Opcode::Decref
                            | Opcode::CheckNeg
                    )
                })
        })
        .collect()
}

/// The value of every `iconst` in the layout.
fn constants(f: &Function) -> HashMap<Value, i64> {
    f.layout_insts()
        .filter_map(
            |(_, i)| match (&f.inst(i).operands, f.inst(i).results.first()) {
                (Operands::IntConst { imm, .. }, Some(&r))
                    if f.inst(i).opcode == Opcode::Iconst =>
                {
                    Some((r, *imm))
                }
                _ => None,
            },
        )
        .collect()
}

/// Bits of an integer type (None for the others).
fn bits(ty: Type) -> Option<u32> {
    match ty {
        Type::I8 => Some(8),
        Type::I32 => Some(32),
        Type::I64 => Some(64),
        _ => None,
    }
}

/// `v` as a signed and as an unsigned number of `bits` bits.
fn as_width(v: i64, bits: u32) -> (i64, u64) {
    if bits == 64 {
        (v, v as u64)
    } else {
        let mask = (1u64 << bits) - 1;
        let u = (v as u64) & mask;
        let s = ((u << (64 - bits)) as i64) >> (64 - bits);
        (s, u)
    }
}

fn compare(cond: IntCC, a: i64, b: i64, bits: u32) -> bool {
    let ((sa, ua), (sb, ub)) = (as_width(a, bits), as_width(b, bits));
    match cond {
        IntCC::Eq => ua == ub,
        IntCC::Ne => ua != ub,
        IntCC::Slt => sa < sb,
        IntCC::Sle => sa <= sb,
        IntCC::Sgt => sa > sb,
        IntCC::Sge => sa >= sb,
        IntCC::Ult => ua < ub,
        IntCC::Ule => ua <= ub,
        IntCC::Ugt => ua > ub,
        IntCC::Uge => ua >= ub,
    }
}

/// The copy of `edge.block` for `edge` (see [`thread_branches`]), as the edge to it; None when
/// the edge's arguments leave the branch undecided (nothing is added then).
fn copy_onto_edge(
    f: &mut Function,
    edge: &BlockCall,
    consts: &HashMap<Value, i64>,
) -> Option<BlockCall> {
    let b = edge.block;
    let params = f.block(b).params.clone();
    let insts = f.block(b).insts.clone();
    let (&term, body) = insts.split_last()?;
    // Evaluate first: B's constants on this edge.
    let mut known: HashMap<Value, i64> = HashMap::new();
    for (&p, &a) in params.iter().zip(&edge.args) {
        if let Some(&c) = consts.get(&a) {
            known.insert(p, c);
        }
    }
    let value_of =
        |known: &HashMap<Value, i64>, v: Value| known.get(&v).or(consts.get(&v)).copied();
    for &i in body {
        let d = f.inst(i);
        let folded = match (&d.operands, d.opcode) {
            (Operands::IntConst { imm, .. }, Opcode::Iconst) => Some(*imm),
            (Operands::IntCompare { cond, args }, Opcode::Icmp) => {
                let w = bits(f.value_type(args[0]))?;
                match (value_of(&known, args[0]), value_of(&known, args[1])) {
                    (Some(a), Some(c)) => Some(i64::from(compare(*cond, a, c, w))),
                    _ => None,
                }
            }
            (Operands::UnaryTyped { arg, .. }, Opcode::Uextend) => {
                let w = bits(f.value_type(*arg))?;
                value_of(&known, *arg).map(|a| as_width(a, w).1 as i64)
            }
            (Operands::Check { arg, .. }, Opcode::CheckNeg) => {
                // An exit this edge would always take: leave the block as it is.
                let w = bits(f.value_type(*arg))?;
                if value_of(&known, *arg).is_some_and(|a| as_width(a, w).0 < 0) {
                    return None;
                }
                None
            }
            _ => None,
        };
        if let (Some(c), Some(&r)) = (folded, d.results.first()) {
            known.insert(r, c);
        }
    }
    let Operands::Branch {
        cond,
        then_dest,
        else_dest,
    } = f.inst(term).operands.clone()
    else {
        return None;
    };
    let taken = if value_of(&known, cond)? != 0 {
        then_dest
    } else {
        else_dest
    };
    // Copy.
    let copy = f.make_block();
    let mut map: HashMap<Value, Value> = params
        .iter()
        .copied()
        .zip(edge.args.iter().copied())
        .collect();
    for &i in body {
        let d = f.inst(i).clone();
        if d.opcode == Opcode::CheckNeg
            && let Operands::Check { arg, .. } = d.operands
            && value_of(&known, arg).is_some()
        {
            continue;
        }
        let result_types: Vec<Type> = d.results.iter().map(|&r| f.value_type(r)).collect();
        let (opcode, operands) = match d.results.first().and_then(|r| known.get(r)) {
            Some(&c) => (
                Opcode::Iconst,
                Operands::IntConst {
                    ty: result_types[0],
                    imm: c,
                },
            ),
            None => {
                let mut ops = d.operands.clone();
                ops.map_args(|v| map.get(&v).copied().unwrap_or(v));
                (d.opcode, ops)
            }
        };
        let ni = f.make_inst(opcode, operands, &result_types, d.loc);
        for (&old, &new) in d.results.iter().zip(&f.inst(ni).results.clone()) {
            let pyty = f.values[old.index()].pyty;
            f.values[new.index()].pyty = pyty;
            map.insert(old, new);
        }
        f.block_mut(copy).insts.push(ni);
    }
    let mut dest = taken;
    dest.args
        .iter_mut()
        .for_each(|a| *a = map.get(a).copied().unwrap_or(*a));
    let loc = f.inst(term).loc;
    let jump = f.make_inst(Opcode::Jump, Operands::Jump { dest }, &[], loc);
    f.block_mut(copy).insts.push(jump);
    Some(BlockCall {
        block: copy,
        args: Vec::new(),
    })
}
