//! Dominator tree of the blocks reachable from the entry (Cooper, Harvey, Kennedy: "A Simple,
//! Fast Dominance Algorithm"), plus reachability and reverse post-order, which the verifier and
//! passes share.

use crate::cfg::ControlFlowGraph;
use crate::entities::Block;
use crate::function::Function;

/// Immediate dominators of reachable blocks.
#[derive(Clone, Debug)]
pub struct DominatorTree {
    /// Immediate dominator per block id; the entry's is itself; `None` = unreachable.
    idom: Vec<Option<Block>>,
    /// Reverse post-order number per block id (`u32::MAX` = unreachable).
    rpo_number: Vec<u32>,
    rpo: Vec<Block>,
}

impl DominatorTree {
    pub fn compute(f: &Function, cfg: &ControlFlowGraph) -> DominatorTree {
        let n = f.blocks.len();
        let mut tree = DominatorTree {
            idom: vec![None; n],
            rpo_number: vec![u32::MAX; n],
            rpo: Vec::new(),
        };
        let Some(entry) = f.entry() else { return tree };
        // Iterative DFS for post-order.
        let mut visited = vec![false; n];
        let mut post = Vec::new();
        let mut stack = vec![(entry, 0usize)];
        visited[entry.index()] = true;
        while let Some((b, i)) = stack.pop() {
            if let Some(&s) = cfg.succs(b).get(i) {
                stack.push((b, i + 1));
                if !visited[s.index()] {
                    visited[s.index()] = true;
                    stack.push((s, 0));
                }
            } else {
                post.push(b);
            }
        }
        tree.rpo = post.into_iter().rev().collect();
        for (i, &b) in tree.rpo.iter().enumerate() {
            tree.rpo_number[b.index()] = i as u32;
        }
        tree.idom[entry.index()] = Some(entry);
        let mut changed = true;
        while changed {
            changed = false;
            for &b in tree.rpo.iter().skip(1) {
                let mut new_idom: Option<Block> = None;
                for &p in cfg.preds(b) {
                    if tree.idom[p.index()].is_none() {
                        continue;
                    }
                    new_idom = Some(match new_idom {
                        None => p,
                        Some(cur) => tree.intersect(p, cur),
                    });
                }
                if new_idom.is_some() && tree.idom[b.index()] != new_idom {
                    tree.idom[b.index()] = new_idom;
                    changed = true;
                }
            }
        }
        tree
    }

    fn intersect(&self, mut a: Block, mut b: Block) -> Block {
        while a != b {
            while self.rpo_number[a.index()] > self.rpo_number[b.index()] {
                a = self.idom[a.index()].expect("reachable");
            }
            while self.rpo_number[b.index()] > self.rpo_number[a.index()] {
                b = self.idom[b.index()].expect("reachable");
            }
        }
        a
    }

    /// Whether `b` is reachable from the entry.
    pub fn is_reachable(&self, b: Block) -> bool {
        self.idom.get(b.index()).is_some_and(|d| d.is_some())
    }

    /// Immediate dominator (`None` for the entry and unreachable blocks).
    pub fn idom(&self, b: Block) -> Option<Block> {
        match self.idom.get(b.index()).copied().flatten() {
            Some(d) if d != b => Some(d),
            _ => None,
        }
    }

    /// Whether `a` dominates `b` (reflexive). False if either is unreachable.
    pub fn dominates(&self, a: Block, mut b: Block) -> bool {
        if !self.is_reachable(a) || !self.is_reachable(b) {
            return false;
        }
        loop {
            if a == b {
                return true;
            }
            match self.idom(b) {
                Some(d) => b = d,
                None => return false,
            }
        }
    }

    /// Reachable blocks in reverse post-order (entry first).
    pub fn rpo(&self) -> &[Block] {
        &self.rpo
    }
}
