//! Control-flow simplification: branch folding and block merging.

use crate::cfg::ControlFlowGraph;
use crate::dominators::DominatorTree;
use crate::entities::{Block, Value};
use crate::function::{Function, ValueDef};
use crate::instructions::{BlockCall, Opcode, Operands};
use crate::passes::unreachable_blocks::remove_unreachable_blocks;
use std::collections::HashMap;

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
        let merged = merge_all(f);
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
    let mut placed = vec![false; f.insts.len()];
    for (_, i) in f.layout_insts() {
        placed[i.index()] = true;
    }
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
        // The constant's definition must be placed: a removed one is no evidence.
        let known = match f.value_def(*cond) {
            ValueDef::Result(def, _) if placed[def.index()] => constant(f, *cond),
            _ => None,
        };
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

/// Merges every mergeable (A, B) pair in one sweep over the layout; returns whether any.
/// Merging keeps every other block's predecessor count (B's out-edges become A's) and
/// reachability, so the CFG is computed once.
fn merge_all(f: &mut Function) -> bool {
    let cfg = ControlFlowGraph::compute(f);
    let dom = DominatorTree::compute(f, &cfg);
    let entry = f.layout[0];
    let mut removed = vec![false; f.blocks.len()];
    // B's param -> the argument A passed (may itself be an earlier merged param).
    let mut alias: HashMap<Value, Value> = HashMap::new();
    for ai in 0..f.layout.len() {
        let a = f.layout[ai];
        if removed[a.index()] || !dom.is_reachable(a) {
            continue;
        }
        while let Some(dest) = mergeable_jump(f, &cfg, a, entry, &removed) {
            let b = dest.block;
            let params = std::mem::take(&mut f.block_mut(b).params);
            for (p, arg) in params.into_iter().zip(dest.args) {
                // Resolve one level now (in layout order an earlier merged param's alias is
                // already final), so chains stay short; the rewrite below follows the rest.
                let arg = alias.get(&arg).copied().unwrap_or(arg);
                alias.insert(p, arg);
                f.values[p.index()].def = ValueDef::Detached;
            }
            let moved = std::mem::take(&mut f.block_mut(b).insts);
            let a_insts = &mut f.block_mut(a).insts;
            a_insts.pop(); // the jump
            a_insts.extend(moved);
            removed[b.index()] = true;
        }
    }
    if !removed.iter().any(|&r| r) {
        return false;
    }
    f.layout.retain(|b| !removed[b.index()]);
    f.rewrite_uses(|mut v| {
        while let Some(&next) = alias.get(&v) {
            v = next;
        }
        v
    });
    true
}

/// The `jump B(args)` ending `a` if B can be merged into `a`: exactly one edge enters B, and it
/// is this jump (which may have come to `a` from a block merged into it earlier in the sweep).
fn mergeable_jump(
    f: &Function,
    cfg: &ControlFlowGraph,
    a: Block,
    entry: Block,
    removed: &[bool],
) -> Option<BlockCall> {
    let t = f.terminator(a)?;
    let Operands::Jump { dest } = &f.inst(t).operands else {
        return None;
    };
    let b = dest.block;
    let ok = b != a && b != entry && cfg.preds(b).len() == 1 && !removed[b.index()];
    ok.then(|| dest.clone())
}
