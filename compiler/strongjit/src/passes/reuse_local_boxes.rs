//! Locals that hold a computed `float` or `int` update their object in place when only the
//! frame references it, instead of allocating a new box and freeing the old one at every
//! assignment (`t = t + x * 1.5` in a loop).

use std::collections::{HashMap, HashSet};

use crate::cfg::ControlFlowGraph;
use crate::entities::{Block, Inst, Value};
use crate::function::{Function, ValueDef};
use crate::instructions::{Opcode, Operands};

/// Turns `r = box_float x; [check_null r, fs;] [set_prev_instr;] store_local i, r` into
/// `[set_prev_instr;] r = store_local_float i, x; [check_null r, fs]` (and `box_int` into
/// `store_local_int`; releases of other values and tracing checks whose exits do not need `r`
/// may sit between the box and the store, and stay where they are): at run time the local's current object is reused when it is an exact
/// `float` (a one-digit `int` for a one-digit result outside the small ints) whose reference
/// count says only the frame holds it. Nothing else can then see the old object, so replacing
/// its value is invisible, except through values of this function that borrow the object
/// without a reference: the rewrite is made only when no value that may be the local's object
/// (anything stored to or loaded from local `i`, and block parameters receiving one) is live
/// after the store, frame states included. `r` stays the object the local holds, borrowed, as
/// after the `store_local`.
///
/// Run after `box_elim` (boxes that only fed exits are gone) and before `legalize`.
///
/// Does not: defer the store (the frame is written at once, see `sink_locals` in the
/// architecture notes); reuse objects of other types; rewrite a box used before its store by
/// anything but its allocation check.
pub fn reuse_local_boxes(f: &mut Function) {
    let Some(entry) = f.entry() else { return };
    let cfg = ControlFlowGraph::compute(f);
    if !cfg.preds(entry).is_empty() {
        return;
    }
    // Candidate patterns: (block, box inst, store inst, slot, r, x, kind).
    let mut cands: Vec<(Block, Inst, Inst, u32, Value, Value, Opcode)> = Vec::new();
    for &b in &f.layout {
        let insts = &f.block(b).insts;
        for (k, &i) in insts.iter().enumerate() {
            let d = f.inst(i);
            let kind = match d.opcode {
                Opcode::BoxFloat => Opcode::StoreLocalFloat,
                Opcode::BoxInt => Opcode::StoreLocalInt,
                _ => continue,
            };
            let Operands::Unary { arg: x } = d.operands else {
                continue;
            };
            let r = d.results[0];
            for &j in &insts[k + 1..] {
                let e = f.inst(j);
                // Exits between the box and the store must not need `r` (it will not exist
                // before the store any more).
                let needs_r = e
                    .operands
                    .frame_state()
                    .is_some_and(|fs| f.frame_state(fs).values().any(|v| v == r));
                match (e.opcode, &e.operands) {
                    (Opcode::CheckNull, Operands::Check { arg, .. }) if *arg == r => continue,
                    (Opcode::SetPrevInstr, _) => continue,
                    // Releasing another value, or checking for tracing, does not see `r`.
                    (Opcode::Decref | Opcode::Xdecref, Operands::Unary { arg }) if *arg != r => {
                        continue;
                    }
                    // A tracing exit that holds `r` on its stack gets `x` (boxed afresh by
                    // the exit: nothing could have seen `r` yet), below.
                    (Opcode::CheckTracing, _) => {
                        let _ = needs_r;
                        continue;
                    }
                    (Opcode::StoreLocal, Operands::UImmValue { imm, arg }) if *arg == r => {
                        cands.push((b, i, j, *imm, r, x, kind));
                    }
                    _ => {}
                }
                break;
            }
        }
    }
    if cands.is_empty() {
        return;
    }
    // Values that may be each slot's object.
    let mut may_be: HashMap<u32, HashSet<Value>> = HashMap::new();
    for (_, i) in f.layout_insts() {
        let d = f.inst(i);
        match (d.opcode, &d.operands) {
            (Opcode::StoreLocal, Operands::UImmValue { imm, arg }) => {
                may_be.entry(*imm).or_default().insert(*arg);
            }
            (Opcode::LoadLocal, Operands::UImm { imm }) => {
                may_be.entry(*imm).or_default().insert(d.results[0]);
            }
            _ => {}
        }
    }
    for set in may_be.values_mut() {
        crate::cfg::close_over_params(f, &cfg, set);
    }
    let live = Liveness::compute(f);
    let mut fs_uses: HashMap<crate::entities::FrameStateId, usize> = HashMap::new();
    for (_, i) in f.layout_insts() {
        if let Some(fs) = f.inst(i).operands.frame_state() {
            *fs_uses.entry(fs).or_default() += 1;
        }
    }
    for (b, boxed, store, slot, r, x, kind) in cands {
        let after = live.after(f, b, store);
        let aliased = may_be
            .get(&slot)
            .is_some_and(|set| set.iter().any(|&v| v != r && after.contains(&v)));
        if aliased {
            continue;
        }
        // States of the instructions between box and store that hold `r`: each must be used
        // by those instructions only (then `r` becomes `x` in it).
        let range: Vec<Inst> = {
            let insts = &f.block(b).insts;
            let from = insts.iter().position(|&i| i == boxed).expect("in block");
            let to = insts.iter().position(|&i| i == store).expect("in block");
            insts[from + 1..to].to_vec()
        };
        let mut holding: Vec<crate::entities::FrameStateId> = Vec::new();
        for &i in &range {
            if let Some(fs) = f.inst(i).operands.frame_state()
                && f.frame_state(fs).values().any(|v| v == r)
                && !holding.contains(&fs)
            {
                holding.push(fs);
            }
        }
        let private = holding.iter().all(|fs| {
            let inside = range
                .iter()
                .filter(|&&i| f.inst(i).operands.frame_state() == Some(*fs))
                .count();
            fs_uses.get(fs).copied().unwrap_or(0) == inside
        });
        if !private {
            continue;
        }
        for fs in holding {
            let state = f.frame_states[fs.index()].as_mut().expect("live state");
            for k in 0..state.stack.len() {
                if state.stack[k] == r {
                    state.stack[k] = x;
                    state.borrowed.retain(|&p| p as usize != k);
                }
            }
        }
        // Rewrite: the store becomes the fused op defining `r`; the box goes; a check of `r`
        // moves after it.
        let fused = f.make_inst(
            kind,
            Operands::UImmValue { imm: slot, arg: x },
            &[],
            f.inst(store).loc,
        );
        f.inst_mut(fused).results = vec![r];
        f.values[r.index()].def = ValueDef::Result(fused, 0);
        let insts = f.block(b).insts.clone();
        let mut out = Vec::with_capacity(insts.len());
        let mut checks = Vec::new();
        let mut between = false;
        for i in insts {
            if i == boxed {
                between = true;
                continue;
            }
            if between && i == store {
                out.push(fused);
                out.append(&mut checks);
                between = false;
                continue;
            }
            if between && f.inst(i).opcode == Opcode::CheckNull {
                checks.push(i);
                continue;
            }
            out.push(i);
        }
        f.block_mut(b).insts = out;
    }
}

/// Values live at the end of each block (a use is an operand or an entry of the frame state
/// an instruction may leave at; block parameters are defined at their block's start).
struct Liveness {
    live_out: HashMap<Block, HashSet<Value>>,
}

impl Liveness {
    fn compute(f: &Function) -> Liveness {
        let mut uses_defs: HashMap<Block, (HashSet<Value>, HashSet<Value>)> = HashMap::new();
        for &b in &f.layout {
            let mut uses = HashSet::new();
            let mut defs: HashSet<Value> = f.block(b).params.iter().copied().collect();
            for &i in &f.block(b).insts {
                for v in inst_uses(f, i) {
                    if !defs.contains(&v) {
                        uses.insert(v);
                    }
                }
                defs.extend(f.inst(i).results.iter().copied());
            }
            uses_defs.insert(b, (uses, defs));
        }
        let mut live_in: HashMap<Block, HashSet<Value>> = HashMap::new();
        let mut live_out: HashMap<Block, HashSet<Value>> = HashMap::new();
        loop {
            let mut changed = false;
            for &b in f.layout.iter().rev() {
                let mut out = HashSet::new();
                for s in f.successors(b) {
                    if let Some(li) = live_in.get(&s) {
                        out.extend(li.iter().copied());
                    }
                }
                let (uses, defs) = &uses_defs[&b];
                let mut inn: HashSet<Value> = out.difference(defs).copied().collect();
                inn.extend(uses.iter().copied());
                if live_in.get(&b) != Some(&inn) {
                    live_in.insert(b, inn);
                    changed = true;
                }
                live_out.insert(b, out);
            }
            if !changed {
                break;
            }
        }
        Liveness { live_out }
    }

    /// Values live right after instruction `at` of block `b`.
    fn after(&self, f: &Function, b: Block, at: Inst) -> HashSet<Value> {
        let mut live = self.live_out.get(&b).cloned().unwrap_or_default();
        for &i in f.block(b).insts.iter().rev() {
            if i == at {
                break;
            }
            for r in &f.inst(i).results {
                live.remove(r);
            }
            live.extend(inst_uses(f, i));
        }
        live
    }
}

fn inst_uses(f: &Function, i: Inst) -> Vec<Value> {
    let d = f.inst(i);
    let mut v = Vec::new();
    d.operands.for_each_arg(|a| v.push(a));
    if let Some(fs) = d.operands.frame_state() {
        v.extend(f.frame_state(fs).values());
        // A state's parent chain is part of what an exit materializes.
        let mut p = f.frame_state(fs).parent;
        while let Some(q) = p {
            v.extend(f.frame_state(q).values());
            p = f.frame_state(q).parent;
        }
    }
    v
}
