//! Removes blocks that cannot be reached from the entry.

use crate::cfg::ControlFlowGraph;
use crate::dominators::DominatorTree;
use crate::function::Function;

/// Removes every block not reachable from the entry along terminator edges, marks the values
/// they defined as detached, and then drops frame states that no remaining instruction
/// references (their stack may name values of removed blocks).
///
/// Does not: evaluate branch conditions (a `branch` on a constant keeps both edges, see
/// `simplify_cfg`), treat exits as edges (they leave the function), or remove unused block
/// parameters. Arena ids are not renumbered.
pub fn remove_unreachable_blocks(f: &mut Function) {
    let cfg = ControlFlowGraph::compute(f);
    let dom = DominatorTree::compute(f, &cfg);
    let (keep, dead): (Vec<_>, Vec<_>) = f.layout.iter().partition(|&&b| dom.is_reachable(b));
    if dead.is_empty() {
        return;
    }
    for b in dead {
        f.detach_block_values(b);
    }
    f.layout = keep;
    f.remove_unused_frame_states();
}
