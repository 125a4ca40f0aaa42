//! The control-flow graph of a function's layout: predecessors and successors per block,
//! computed on demand (the IR does not maintain them, so they are never stale).

use std::collections::HashSet;

use crate::entities::{Block, Value};
use crate::function::Function;

/// Predecessor and successor edges of the blocks in the layout, indexed by block id. An edge
/// appears once per terminator target, so a `branch` to the same block twice gives two edges.
#[derive(Clone, Debug, Default)]
pub struct ControlFlowGraph {
    preds: Vec<Vec<Block>>,
    succs: Vec<Vec<Block>>,
}

impl ControlFlowGraph {
    pub fn compute(f: &Function) -> ControlFlowGraph {
        let n = f.blocks.len();
        let mut cfg = ControlFlowGraph {
            preds: vec![Vec::new(); n],
            succs: vec![Vec::new(); n],
        };
        for &b in &f.layout {
            for s in f.successors(b) {
                if s.index() < n {
                    cfg.succs[b.index()].push(s);
                    cfg.preds[s.index()].push(b);
                }
            }
        }
        cfg
    }

    /// Predecessor edges of `b` (one entry per edge).
    pub fn preds(&self, b: Block) -> &[Block] {
        &self.preds[b.index()]
    }

    /// Successor edges of `b` (one entry per edge).
    pub fn succs(&self, b: Block) -> &[Block] {
        &self.succs[b.index()]
    }
}

/// Adds to `set` every block parameter that receives a value of `set` on some edge, until
/// nothing changes.
pub fn close_over_params(f: &Function, cfg: &ControlFlowGraph, set: &mut HashSet<Value>) {
    loop {
        let mut grew = false;
        for &b in &f.layout {
            for (k, &p) in f.block(b).params.iter().enumerate() {
                if set.contains(&p) {
                    continue;
                }
                let fed = cfg.preds(b).iter().any(|&q| {
                    f.terminator(q).is_some_and(|t| {
                        f.inst(t)
                            .operands
                            .successors()
                            .iter()
                            .any(|bc| bc.block == b && set.contains(&bc.args[k]))
                    })
                });
                if fed {
                    set.insert(p);
                    grew = true;
                }
            }
        }
        if !grew {
            break;
        }
    }
}
