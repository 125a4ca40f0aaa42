//! Redundant `check_tracing` removal.

use crate::cfg::ControlFlowGraph;
use crate::dominators::DominatorTree;
use crate::function::Function;
use crate::instructions::{Opcode, Operands};

/// Removes a `check_tracing` when, on every path to it, no instruction that may run Python
/// code comes after the function's entry (which the runtime only enters natively with tracing
/// off) or after another `check_tracing`. Tracing is switched on only by Python code
/// (`sys.settrace`, `sys.setprofile`, a debugger), so such a check cannot fire.
///
/// "May run Python code" is the translator's policy for placing checks: a `call` whose callee
/// says so, and any `py.*`. Like the translator, it does not count `decref`/`store_local`
/// (a `__del__` that starts tracing is traced from the next check on).
///
/// A block where a natively caught exception enters is not clean: code ran before the raise.
///
/// Does not: move or merge checks, or look inside callees.
pub fn remove_redundant_tracing_checks(f: &mut Function) {
    let cfg = ControlFlowGraph::compute(f);
    let dom = DominatorTree::compute(f, &cfg);
    let order = dom.rpo().to_vec();
    let n = f.blocks.len();
    // clean_out[b]: no Python code may have run since the last check (or entry) at b's end.
    let mut clean_out = vec![true; n];
    let entry = f.entry();
    // A caught exception enters its handler after anything may have run.
    let catch: Vec<_> = f.catch_blocks().into_iter().map(|(_, b)| b).collect();
    let runs_python = |f: &Function, i| {
        let d = f.inst(i);
        match (&d.opcode, &d.operands) {
            (Opcode::Call, Operands::Call { callee, .. }) => callee.may_run_python,
            (Opcode::Py, _) => true,
            _ => false,
        }
    };
    loop {
        let mut moved = false;
        for &b in &order {
            let mut clean = !catch.contains(&b)
                && (Some(b) == entry
                    || (!cfg.preds(b).is_empty()
                        && cfg.preds(b).iter().all(|p| clean_out[p.index()])));
            for &i in &f.block(b).insts {
                if f.inst(i).opcode == Opcode::CheckTracing {
                    clean = true;
                } else if runs_python(f, i) {
                    clean = false;
                }
            }
            if clean != clean_out[b.index()] {
                clean_out[b.index()] = clean;
                moved = true;
            }
        }
        if !moved {
            break;
        }
    }
    for &b in &order {
        let mut clean = !catch.contains(&b)
            && (Some(b) == entry
                || (!cfg.preds(b).is_empty() && cfg.preds(b).iter().all(|p| clean_out[p.index()])));
        let mut keep = Vec::with_capacity(f.block(b).insts.len());
        for &i in &f.block(b).insts.clone() {
            if f.inst(i).opcode == Opcode::CheckTracing {
                if clean {
                    continue;
                }
                clean = true;
            } else if runs_python(f, i) {
                clean = false;
            }
            keep.push(i);
        }
        f.block_mut(b).insts = keep;
    }
    f.remove_unused_frame_states();
}
