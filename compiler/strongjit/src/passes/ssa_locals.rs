//! Locals as SSA values: every `load_local` becomes the value the local holds at that point, with
//! block parameters where paths that stored different values meet.

use std::collections::{HashMap, VecDeque};

use crate::cfg::ControlFlowGraph;
use crate::dominators::DominatorTree;
use crate::entities::{Block, Inst, Value};
use crate::function::{Function, ValueDef};
use crate::instructions::{Opcode, Operands};
use crate::types::Type;

/// Replaces each `load_local i` by the value slot `i` holds there: the value last stored to it
/// on the way, or what the frame held at entry (the entry block's first load of it, else a new
/// `load_local i` at the top of the entry block), or a new `obj` block parameter where predecessors disagree (the SSA construction of
/// Braun et al., "Simple and Efficient Construction of SSA Form", 2013, run over the finished
/// CFG, iteratively; parameters whose incoming values are all one value are then removed).
/// Python types then flow through locals, and loop-carried locals are block parameters that
/// later passes can type and unbox.
///
/// Why this is sound: locals are write-through (`store_local` writes the frame at once), and
/// while native code runs nothing else writes a plain fast local: `load_local`/`store_local`
/// address only plain locals (cells and free variables are loaded with plain frame loads and
/// written by helpers), the interpreter does not run this frame, and tracing (the only writer
/// of `f_locals` back into a frame) makes native code leave first. So the value a load would
/// read is the one the frame got last on the path to it, an object the frame still owns: a
/// replaced load's result was borrowed from the frame, and so is its replacement.
///
/// A block where natively caught exceptions enter ([`Function::catch_blocks`]) is a fresh entry
/// too: the frame holds what the error exit left there, so its locals are read from the frame
/// (a `load_local` at its top), never from the entry block that its edge comes from.
///
/// Does not: remove or move stores (the frame stays up to date; `sink_locals` defers stores),
/// or look at blocks unreachable from the entry (their loads stay).
pub fn ssa_locals(f: &mut Function) {
    let Some(entry) = f.entry() else {
        return;
    };
    let cfg = ControlFlowGraph::compute(f);
    if !cfg.preds(entry).is_empty() {
        return;
    }
    let catch: Vec<Block> = f.catch_blocks().into_iter().map(|(_, b)| b).collect();
    let mut ssa = Ssa {
        cfg,
        entry,
        catch: catch.clone(),
        defs_end: HashMap::new(),
        at_entry: HashMap::new(),
        entry_loads: Vec::new(),
        pending: VecDeque::new(),
        created: Vec::new(),
    };
    // Within blocks: loads after a store or load of the same slot take that value; the first
    // load of a slot in a block reads the value at block entry (resolved below).
    let mut map: HashMap<Value, Value> = HashMap::new();
    let mut dead: Vec<Inst> = Vec::new();
    let mut entry_reads: Vec<(Block, u32, Value, Inst)> = Vec::new();
    for &b in &f.layout {
        let mut cur: HashMap<u32, Value> = HashMap::new();
        for &i in &f.block(b).insts {
            let d = f.inst(i);
            match (d.opcode, &d.operands) {
                (Opcode::LoadLocal, Operands::UImm { imm }) => {
                    let r = d.results[0];
                    if let Some(&v) = cur.get(imm) {
                        map.insert(r, v);
                        dead.push(i);
                    } else if b == entry || catch.contains(&b) {
                        // Nothing stored yet: the value at entry, which later blocks reuse.
                        ssa.at_entry.insert((b, *imm), Some(r));
                        cur.insert(*imm, r);
                    } else {
                        entry_reads.push((b, *imm, r, i));
                        cur.insert(*imm, r);
                    }
                }
                (Opcode::StoreLocal, Operands::UImmValue { imm, arg }) => {
                    cur.insert(*imm, *arg);
                }
                _ => {}
            }
        }
        ssa.defs_end.insert(b, cur);
    }
    // Blocks unreachable from the entry keep their loads (a block that is its own only
    // predecessor would otherwise resolve its first load to itself).
    let dom = DominatorTree::compute(f, &ssa.cfg);
    for (b, slot, r, i) in entry_reads {
        if !dom.is_reachable(b) {
            continue;
        }
        if let Some(v) = ssa.read_at_entry(f, b, slot)
            && v != r
        {
            map.insert(r, v);
            dead.push(i);
        }
        ssa.drain(f);
    }
    ssa.drain(f);
    // Loads at the top of the entry (and catch) blocks for the values the frame held there.
    for b in std::iter::once(entry).chain(catch) {
        let loads: Vec<Inst> = ssa
            .entry_loads
            .iter()
            .filter(|&&(at, _, _)| at == b)
            .map(|&(_, _, i)| i)
            .collect();
        f.block_mut(b).insts.splice(0..0, loads);
    }
    remove_trivial_params(f, &ssa.created, &mut map);
    if dead.is_empty() && ssa.created.is_empty() && ssa.entry_loads.is_empty() {
        return;
    }
    for &b in &f.layout.clone() {
        f.block_mut(b).insts.retain(|i| !dead.contains(i));
    }
    let resolve = |map: &HashMap<Value, Value>, mut v: Value| {
        while let Some(&r) = map.get(&v) {
            v = r;
        }
        v
    };
    f.rewrite_uses(|v| resolve(&map, v));
    for i in dead {
        let r = f.inst(i).results[0];
        f.values[r.index()].def = ValueDef::Detached;
    }
}

struct Ssa {
    cfg: ControlFlowGraph,
    entry: Block,
    /// Blocks where caught exceptions enter: fresh entries, like `entry`.
    catch: Vec<Block>,
    /// Per block, the value each slot holds at its end when the block itself stores or loads it.
    defs_end: HashMap<Block, HashMap<u32, Value>>,
    /// The value of a slot at a block's entry, once known.
    at_entry: HashMap<(Block, u32), Option<Value>>,
    /// New `load_local` at the top of the entry block (or a catch block), by block and slot.
    entry_loads: Vec<(Block, u32, Inst)>,
    /// Parameters whose incoming arguments are still to be added (FIFO: a block's parameters
    /// get their arguments in the order they were created, so positions match).
    pending: VecDeque<(Block, u32, Value)>,
    /// Every parameter created, with its block and slot.
    created: Vec<(Block, u32, Value)>,
}

impl Ssa {
    /// The value of `slot` at the end of `b`.
    fn read_at_end(&mut self, f: &mut Function, b: Block, slot: u32) -> Option<Value> {
        match self.defs_end.get(&b).and_then(|d| d.get(&slot)) {
            Some(&v) => Some(v),
            None => self.read_at_entry(f, b, slot),
        }
    }

    /// The value of `slot` at the entry of `b`: along single-predecessor chains, then the entry
    /// load, or a new parameter at a merge (its arguments are added by `drain`). None in
    /// blocks unreachable from the entry.
    fn read_at_entry(&mut self, f: &mut Function, b: Block, slot: u32) -> Option<Value> {
        let mut chain = Vec::new();
        let mut cur = b;
        let found = loop {
            if let Some(&v) = self.at_entry.get(&(cur, slot)) {
                break v;
            }
            chain.push(cur);
            if cur == self.entry || self.catch.contains(&cur) {
                let i = f.make_inst(
                    Opcode::LoadLocal,
                    Operands::UImm { imm: slot },
                    &[Type::Obj],
                    None,
                );
                self.entry_loads.push((cur, slot, i));
                break Some(f.inst(i).results[0]);
            }
            let preds = self.cfg.preds(cur);
            match preds {
                [] => break None,
                [p] => {
                    let p = *p;
                    if let Some(&v) = self.defs_end.get(&p).and_then(|d| d.get(&slot)) {
                        break Some(v);
                    }
                    if chain.contains(&p) {
                        // A cycle of single-predecessor blocks never reached from the entry.
                        break None;
                    }
                    cur = p;
                }
                _ => {
                    let p = f.add_block_param(cur, Type::Obj);
                    self.pending.push_back((cur, slot, p));
                    self.created.push((cur, slot, p));
                    break Some(p);
                }
            }
        };
        for c in chain {
            self.at_entry.insert((c, slot), found);
        }
        found
    }

    /// Adds the arguments of pending parameters (which may create more).
    fn drain(&mut self, f: &mut Function) {
        while let Some((b, slot, p)) = self.pending.pop_front() {
            let mut preds: Vec<Block> = self.cfg.preds(b).to_vec();
            preds.dedup();
            let mut args = Vec::new();
            for q in preds {
                // Unreachable predecessors pass the parameter itself (removed as trivial).
                let a = self.read_at_end(f, q, slot).unwrap_or(p);
                args.push((q, a));
            }
            args.sort_by_key(|(q, _)| q.index());
            args.dedup_by_key(|(q, _)| q.index());
            for (q, a) in args {
                let Some(t) = f.terminator(q) else { continue };
                for bc in f.inst_mut(t).operands.successors_mut() {
                    if bc.block == b {
                        bc.args.push(a);
                    }
                }
            }
        }
    }
}

/// Removes parameters (of `created`) whose incoming values, other than the parameter itself,
/// are all one value; uses are mapped to that value. Repeats until none is left.
fn remove_trivial_params(
    f: &mut Function,
    created: &[(Block, u32, Value)],
    map: &mut HashMap<Value, Value>,
) {
    let resolve = |map: &HashMap<Value, Value>, mut v: Value| {
        while let Some(&r) = map.get(&v) {
            v = r;
        }
        v
    };
    let mut removed = vec![false; created.len()];
    loop {
        let cfg = ControlFlowGraph::compute(f);
        let mut changed = false;
        for (k, &(b, _, p)) in created.iter().enumerate() {
            if removed[k] {
                continue;
            }
            let Some(pos) = f.block(b).params.iter().position(|&x| x == p) else {
                continue;
            };
            let mut preds: Vec<Block> = cfg.preds(b).to_vec();
            preds.sort_by_key(|q| q.index());
            preds.dedup();
            let mut same: Option<Value> = None;
            let mut trivial = true;
            'edges: for q in preds {
                let Some(t) = f.terminator(q) else { continue };
                for bc in f.inst(t).operands.successors() {
                    if bc.block != b {
                        continue;
                    }
                    let a = resolve(map, bc.args[pos]);
                    if a == p {
                        continue;
                    }
                    match same {
                        None => same = Some(a),
                        Some(s) if s == a => {}
                        Some(_) => {
                            trivial = false;
                            break 'edges;
                        }
                    }
                }
            }
            let Some(w) = same.filter(|_| trivial) else {
                continue;
            };
            map.insert(p, w);
            removed[k] = true;
            changed = true;
            f.remove_block_param(b, p);
        }
        if !changed {
            break;
        }
    }
}
