//! Local forwarding: a local read back after native code wrote it is the value written.

use std::collections::HashMap;

use crate::cfg::ControlFlowGraph;
use crate::dominators::DominatorTree;
use crate::entities::{Block, Value};
use crate::function::{Function, ValueDef};
use crate::instructions::{Opcode, Operands};

/// Replaces `load_local i` by the value the function last stored to (or loaded from) slot `i`
/// on the way there, within extended basic blocks: along a block and into successors whose
/// only predecessor it is. The loaded value is then the stored one, with its Python type, so
/// typed code sees through locals.
///
/// Why this is sound: locals are write-through (`store_local` writes the frame at once), and
/// while native code runs nothing else writes a plain fast local: `load_local`/`store_local`
/// address only plain locals (cells and free variables are loaded with plain frame loads and
/// written by helpers), the interpreter does not run this frame, and tracing (the only writer
/// of `f_locals` back into a frame) makes native code leave first. A forwarded value is
/// borrowed from the frame exactly as the load's result was.
///
/// Does not: carry locals across merge points (no block parameters are added; the first load
/// after a merge stays a load), or remove stores.
pub fn forward_locals(f: &mut Function) {
    let cfg = ControlFlowGraph::compute(f);
    let dom = DominatorTree::compute(f, &cfg);
    let order: Vec<Block> = dom.rpo().to_vec();
    let position: HashMap<Block, usize> = order.iter().enumerate().map(|(k, &b)| (b, k)).collect();
    let mut out: HashMap<Block, HashMap<u32, Value>> = HashMap::new();
    let mut map: HashMap<Value, Value> = HashMap::new();
    let mut dead = Vec::new();
    for (k, &b) in order.iter().enumerate() {
        let preds = cfg.preds(b);
        let mut cur: HashMap<u32, Value> = match preds {
            [p] if position.get(p).is_some_and(|&pk| pk < k) => {
                out.get(p).cloned().unwrap_or_default()
            }
            _ => HashMap::new(),
        };
        for &i in &f.block(b).insts {
            let d = f.inst(i);
            match (d.opcode, &d.operands) {
                (Opcode::LoadLocal, Operands::UImm { imm }) => match cur.get(imm) {
                    Some(&v) => {
                        map.insert(d.results[0], v);
                        dead.push(i);
                    }
                    None => {
                        cur.insert(*imm, d.results[0]);
                    }
                },
                (Opcode::StoreLocal, Operands::UImmValue { imm, arg }) => {
                    cur.insert(*imm, *arg);
                }
                _ => {}
            }
        }
        out.insert(b, cur);
    }
    if dead.is_empty() {
        return;
    }
    for &b in &order {
        f.block_mut(b).insts.retain(|i| !dead.contains(i));
    }
    f.rewrite_uses(|mut v| {
        while let Some(&r) = map.get(&v) {
            v = r;
        }
        v
    });
    for i in dead {
        let r = f.inst(i).results[0];
        f.values[r.index()].def = ValueDef::Detached;
    }
}
