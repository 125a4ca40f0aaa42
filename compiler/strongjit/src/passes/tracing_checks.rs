//! Redundant `check_tracing` removal, after moving checks off the paths that cannot need them.

use crate::cfg::ControlFlowGraph;
use crate::dominators::DominatorTree;
use crate::entities::{Block, Inst, Value};
use crate::function::{FrameState, Function};
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
/// A check that starts a block where clean paths meet unclean ones first moves into the
/// unclean predecessors (`sink_into_predecessors`), so that the clean paths lose it.
///
/// Does not: merge checks, move them otherwise, or look inside callees.
pub fn remove_redundant_tracing_checks(f: &mut Function) {
    let cfg = ControlFlowGraph::compute(f);
    let dom = DominatorTree::compute(f, &cfg);
    let order = dom.rpo().to_vec();
    let entry = f.entry();
    // A caught exception enters its handler after anything may have run.
    let catch: Vec<_> = f.catch_blocks().into_iter().map(|(_, b)| b).collect();
    let mut clean_out = clean_at_ends(f, &cfg, &order, entry, &catch);
    if sink_into_predecessors(f, &cfg, &order, entry, &catch, &clean_out) {
        clean_out = clean_at_ends(f, &cfg, &order, entry, &catch);
    }
    remove(f, &cfg, &order, entry, &catch, &clean_out);
    f.remove_unused_frame_states();
}

/// "May run Python code", the translator's policy for placing checks.
fn runs_python(f: &Function, i: Inst) -> bool {
    let d = f.inst(i);
    match (&d.opcode, &d.operands) {
        (Opcode::Call, Operands::Call { callee, .. }) => callee.may_run_python,
        (Opcode::Py, _) => true,
        _ => false,
    }
}

/// Whether `b` starts clean: it is the entry, or every predecessor ends clean.
fn clean_in(
    cfg: &ControlFlowGraph,
    b: Block,
    entry: Option<Block>,
    catch: &[Block],
    clean_out: &[bool],
) -> bool {
    !catch.contains(&b)
        && (Some(b) == entry
            || (!cfg.preds(b).is_empty() && cfg.preds(b).iter().all(|p| clean_out[p.index()])))
}

/// For each block, whether no Python code may have run since the last check (or the entry) at
/// its end.
fn clean_at_ends(
    f: &Function,
    cfg: &ControlFlowGraph,
    order: &[Block],
    entry: Option<Block>,
    catch: &[Block],
) -> Vec<bool> {
    let mut clean_out = vec![true; f.blocks.len()];
    loop {
        let mut moved = false;
        for &b in order {
            let mut clean = clean_in(cfg, b, entry, catch, &clean_out);
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
            return clean_out;
        }
    }
}

/// A check that starts a block where clean and unclean paths meet (a specialized operation's
/// fast paths, which run no Python code, and its generic path, which may) moves to the end of
/// each unclean predecessor, with its frame state's block parameters replaced by what that
/// predecessor passes: the fast paths then check nothing. Only when every unclean predecessor
/// ends in a `jump` to the block, at least one predecessor is clean, and nothing comes before
/// the check in the block. Returns whether any check moved.
fn sink_into_predecessors(
    f: &mut Function,
    cfg: &ControlFlowGraph,
    order: &[Block],
    entry: Option<Block>,
    catch: &[Block],
    clean_out: &[bool],
) -> bool {
    let mut moved = false;
    for &b in order {
        if Some(b) == entry || catch.contains(&b) || clean_in(cfg, b, entry, catch, clean_out) {
            continue;
        }
        let Some(&c) = f.block(b).insts.first() else {
            continue;
        };
        let Operands::Raise { fs } = f.inst(c).operands else {
            continue;
        };
        if f.inst(c).opcode != Opcode::CheckTracing {
            continue;
        }
        let preds = cfg.preds(b);
        let unclean: Vec<Block> = preds
            .iter()
            .copied()
            .filter(|p| !clean_out[p.index()])
            .collect();
        if unclean.len() == preds.len() || unclean.contains(&b) {
            continue;
        }
        // Each unclean predecessor ends in `jump b(args)`: its arguments for b's parameters.
        let mut edges = Vec::new();
        for &p in &unclean {
            let Some(t) = f.terminator(p) else { break };
            match &f.inst(t).operands {
                Operands::Jump { dest } if dest.block == b => edges.push((p, t, dest.args.clone())),
                _ => break,
            }
        }
        if edges.len() != unclean.len() {
            continue;
        }
        let params = f.block(b).params.clone();
        let state = f.frame_state(fs).clone();
        for (p, t, args) in edges {
            let map = |v: Value| params.iter().position(|&q| q == v).map_or(v, |k| args[k]);
            let copy = FrameState {
                stack: state.stack.iter().map(|&v| map(v)).collect(),
                locals: state
                    .locals
                    .iter()
                    .map(|&(slot, v)| (slot, map(v)))
                    .collect(),
                ..state.clone()
            };
            let new_fs = f.make_frame_state(copy);
            let d = f.inst(c).clone();
            let i = f.make_inst(d.opcode, Operands::Raise { fs: new_fs }, &[], d.loc);
            let insts = &mut f.block_mut(p).insts;
            let at = insts
                .iter()
                .position(|&x| x == t)
                .expect("the terminator is in its block");
            insts.insert(at, i);
        }
        f.block_mut(b).insts.remove(0);
        moved = true;
    }
    moved
}

/// Removes each check that starts clean.
fn remove(
    f: &mut Function,
    cfg: &ControlFlowGraph,
    order: &[Block],
    entry: Option<Block>,
    catch: &[Block],
    clean_out: &[bool],
) {
    for &b in order {
        let mut clean = clean_in(cfg, b, entry, catch, clean_out);
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
}
