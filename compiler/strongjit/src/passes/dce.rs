//! Dead-code elimination of pure instructions.

use crate::function::{Function, ValueDef};

/// Removes pure instructions (constants, frame/const/binding loads, memory loads, arithmetic,
/// compares, `select`, `stack_alloc`; see `OpInfo::pure`) whose results are all unused,
/// repeatedly, so chains of dead computations disappear. Uses are instruction operands, branch
/// arguments and the stacks of frame states; frame states that no instruction references are
/// dropped first so they keep nothing alive.
///
/// Does not: remove calls (even with an unused result: the call's effects and the reference
/// it returns remain), stores, refcount operations, exits or terminators; remove unused block
/// parameters or the arguments passed to them; remove dead cycles through block parameters;
/// rewrite an unused new reference into a decref.
pub fn eliminate_dead_code(f: &mut Function) {
    f.remove_unused_frame_states();
    let mut uses = f.use_counts();
    loop {
        let mut changed = false;
        for bi in 0..f.layout.len() {
            let b = f.layout[bi];
            let insts = f.block(b).insts.clone();
            let mut kept = Vec::with_capacity(insts.len());
            for &i in insts.iter().rev() {
                let d = f.inst(i);
                let dead = d.opcode.is_pure() && d.results.iter().all(|r| uses[r.index()] == 0);
                if dead {
                    d.operands.for_each_arg(|v| uses[v.index()] -= 1);
                    for r in d.results.clone() {
                        f.values[r.index()].def = ValueDef::Detached;
                    }
                    changed = true;
                } else {
                    kept.push(i);
                }
            }
            kept.reverse();
            f.block_mut(b).insts = kept;
        }
        if !changed {
            break;
        }
    }
}
