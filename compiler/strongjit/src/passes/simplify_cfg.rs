//! Control-flow simplification: branch folding and block merging.

use crate::cfg::ControlFlowGraph;
use crate::dominators::DominatorTree;
use crate::entities::{Block, Value};
use crate::function::{Function, ValueDef};
use crate::instructions::{BlockCall, Opcode, Operands};
use crate::passes::unreachable_blocks::remove_unreachable_blocks;

/// Until nothing changes:
/// 1. folds `branch c, X, Y` into `jump` when `c` is an `iconst` (taking the edge it selects)
///    or when both edges are identical (same block, same arguments), and if it folded any,
///    removes the blocks that became unreachable (`unreachable_blocks`), so that their edges
///    do not block merging;
/// 2. merges a block B into its predecessor A when A is reachable, ends in `jump B(args)`, and
///    that is B's only incoming edge: uses of B's parameters become the arguments, B's
///    instructions are appended to A in place of the jump, and B leaves the layout.
///
/// Does not: remove blocks that were unreachable before and nothing was folded (run
/// `unreachable_blocks`), thread
/// jumps through empty blocks with several predecessors, remove or merge block parameters
/// that receive the same value on every edge, or reorder the layout.
pub fn simplify_cfg(f: &mut Function) {
    loop {
        let folded = fold_branches(f);
        if folded {
            remove_unreachable_blocks(f);
        }
        let merged = merge_one(f);
        if !folded && !merged {
            return;
        }
    }
}

/// The constant of an `iconst` definition of `v`, if it is one in the layout.
fn constant(f: &Function, v: Value) -> Option<i64> {
    let ValueDef::Result(i, _) = f.value_def(v) else {
        return None;
    };
    match f.inst(i).operands {
        Operands::IntConst { imm, .. } if f.inst(i).opcode == Opcode::Iconst => Some(imm),
        _ => None,
    }
}

fn fold_branches(f: &mut Function) -> bool {
    let mut changed = false;
    for bi in 0..f.layout.len() {
        let b = f.layout[bi];
        let Some(t) = f.terminator(b) else { continue };
        let Operands::Branch {
            cond,
            then_dest,
            else_dest,
        } = &f.inst(t).operands
        else {
            continue;
        };
        // The constant's definition must be live: a detached one is no evidence.
        let known = constant(f, *cond).filter(|_| {
            f.layout_insts()
                .any(|(_, i)| f.inst(i).results.contains(cond))
        });
        let dest: BlockCall = match known {
            Some(k) => {
                if k != 0 {
                    then_dest.clone()
                } else {
                    else_dest.clone()
                }
            }
            None if then_dest == else_dest => then_dest.clone(),
            None => continue,
        };
        let d = f.inst_mut(t);
        d.opcode = Opcode::Jump;
        d.operands = Operands::Jump { dest };
        changed = true;
    }
    changed
}

/// Merges one (A, B) pair; returns whether it did.
fn merge_one(f: &mut Function) -> bool {
    let cfg = ControlFlowGraph::compute(f);
    let dom = DominatorTree::compute(f, &cfg);
    let entry = f.layout[0];
    let candidate = f.layout.iter().copied().find_map(|a| {
        let t = f.terminator(a)?;
        let Operands::Jump { dest } = &f.inst(t).operands else {
            return None;
        };
        let b = dest.block;
        (b != a && b != entry && dom.is_reachable(a) && cfg.preds(b) == [a]).then_some((a, t, b))
    });
    let Some((a, jump, b)) = candidate else {
        return false;
    };
    merge(f, a, jump, b);
    true
}

fn merge(f: &mut Function, a: Block, jump: crate::entities::Inst, b: Block) {
    let Operands::Jump { dest } = f.inst(jump).operands.clone() else {
        unreachable!()
    };
    let params = f.block(b).params.clone();
    f.rewrite_uses(|v| {
        params
            .iter()
            .position(|&p| p == v)
            .map_or(v, |k| dest.args[k])
    });
    for p in params {
        f.values[p.index()].def = ValueDef::Detached;
    }
    f.block_mut(b).params.clear();
    let moved = std::mem::take(&mut f.block_mut(b).insts);
    let a_insts = &mut f.block_mut(a).insts;
    a_insts.pop(); // the jump
    a_insts.extend(moved);
    f.layout.retain(|&x| x != b);
}
