//! Jump threading: edges into blocks that only forward to another block go straight there.

use crate::entities::Block;
use crate::function::Function;
use crate::instructions::{BlockCall, Operands};
use crate::passes::unreachable_blocks::remove_unreachable_blocks;

/// Retargets every edge `P -> F(args)` where F is a *forwarding block* (not the entry, its
/// only instruction is `jump C(fargs)` with C != F, and its parameters are used nowhere but in
/// that jump) to `C(fargs with F's params replaced by args)`, following chains of forwarders;
/// then removes the blocks that became unreachable.
///
/// Why it is valid: a forwarding block defines nothing but its parameters, which are
/// substituted; every other value in `fargs` is defined in a block that strictly dominates F
/// and therefore dominates each predecessor P.
///
/// Does not: thread through blocks with any other instruction (even pure ones), thread
/// `branch`es on known conditions (`simplify_cfg` folds those), merge the resulting identical
/// branch edges, or touch exits.
pub fn thread_jumps(f: &mut Function) {
    let entry = f.layout[0];
    let uses = f.use_counts();
    let forward: Vec<Option<BlockCall>> = (0..f.blocks.len())
        .map(|i| forwarding_target(f, Block::new(i), entry, &uses))
        .collect();
    let in_layout = {
        let mut v = vec![false; f.blocks.len()];
        f.layout.iter().for_each(|b| v[b.index()] = true);
        v
    };
    let mut changed = false;
    for bi in 0..f.layout.len() {
        let Some(t) = f.terminator(f.layout[bi]) else {
            continue;
        };
        let mut edges: Vec<BlockCall> = f
            .inst(t)
            .operands
            .successors()
            .into_iter()
            .cloned()
            .collect();
        for edge in &mut edges {
            // Bounded: a cycle of forwarders (an empty infinite loop) must not hang us.
            for _ in 0..f.blocks.len() {
                let Some(next) = forward.get(edge.block.index()).cloned().flatten() else {
                    break;
                };
                if !in_layout[edge.block.index()] {
                    break;
                }
                let params = &f.block(edge.block).params;
                let args = next
                    .args
                    .iter()
                    .map(|&v| {
                        params
                            .iter()
                            .position(|&p| p == v)
                            .map_or(v, |k| edge.args[k])
                    })
                    .collect();
                *edge = BlockCall {
                    block: next.block,
                    args,
                };
                changed = true;
            }
        }
        for (slot, edge) in f
            .inst_mut(t)
            .operands
            .successors_mut()
            .into_iter()
            .zip(edges)
        {
            *slot = edge;
        }
    }
    if changed {
        remove_unreachable_blocks(f);
    }
}

/// The `jump` target of `b` if `b` is a forwarding block.
fn forwarding_target(f: &Function, b: Block, entry: Block, uses: &[u32]) -> Option<BlockCall> {
    let data = f.block(b);
    let [only] = data.insts.as_slice() else {
        return None;
    };
    let Operands::Jump { dest } = &f.inst(*only).operands else {
        return None;
    };
    if b == entry || dest.block == b {
        return None;
    }
    // Params may only feed the jump: after threading, F is gone from the paths.
    let local_uses = |p| dest.args.iter().filter(|&&a| a == p).count() as u32;
    data.params
        .iter()
        .all(|&p| uses[p.index()] == local_uses(p))
        .then(|| dest.clone())
}
