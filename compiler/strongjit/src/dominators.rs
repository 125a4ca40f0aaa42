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
    /// Pre/post order numbers in the dominator tree, for O(1) `dominates`.
    pre: Vec<u32>,
    post: Vec<u32>,
}

impl DominatorTree {
    pub fn compute(f: &Function, cfg: &ControlFlowGraph) -> DominatorTree {
        let n = f.blocks.len();
        let mut tree = DominatorTree {
            idom: vec![None; n],
            rpo_number: vec![u32::MAX; n],
            rpo: Vec::new(),
            pre: vec![0; n],
            post: vec![0; n],
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
        tree.number_tree(entry);
        tree
    }

    /// Numbers the dominator tree in DFS pre/post order (iteratively: trees can be deep).
    fn number_tree(&mut self, entry: Block) {
        let n = self.idom.len();
        let mut children: Vec<Vec<Block>> = vec![Vec::new(); n];
        for &b in &self.rpo {
            if let Some(d) = self.idom(b) {
                children[d.index()].push(b);
            }
        }
        let mut clock = 0u32;
        let mut stack = vec![(entry, 0usize)];
        self.pre[entry.index()] = clock;
        while let Some((b, i)) = stack.pop() {
            if let Some(&c) = children[b.index()].get(i) {
                stack.push((b, i + 1));
                clock += 1;
                self.pre[c.index()] = clock;
                stack.push((c, 0));
            } else {
                clock += 1;
                self.post[b.index()] = clock;
            }
        }
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
    pub fn dominates(&self, a: Block, b: Block) -> bool {
        self.is_reachable(a)
            && self.is_reachable(b)
            && self.pre[a.index()] <= self.pre[b.index()]
            && self.post[b.index()] <= self.post[a.index()]
    }

    /// Reachable blocks in reverse post-order (entry first).
    pub fn rpo(&self) -> &[Block] {
        &self.rpo
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parser::parse;

    /// `dominates` agrees with walking the idom chain, on a CFG with a loop, a diamond and an
    /// unreachable block.
    #[test]
    fn dominates_matches_idom_chain() {
        let f = parse(
            "function \"t\" nlocalsplus=0 stacksize=0 {
bb0(v0: ptr, v1: ptr):
  v2 = iconst.i8 1
  branch v2, bb1(), bb2()
bb1():
  jump bb3()
bb2():
  branch v2, bb3(), bb2()
bb3():
  branch v2, bb4(), bb1()
bb4():
  unreachable
bb5():
  jump bb4()
}",
        )
        .unwrap();
        let cfg = ControlFlowGraph::compute(&f);
        let dom = DominatorTree::compute(&f, &cfg);
        let walk = |a: Block, mut b: Block| loop {
            if a == b {
                return true;
            }
            match dom.idom(b) {
                Some(d) => b = d,
                None => return false,
            }
        };
        assert_eq!(dom.idom(Block(3)), Some(Block(0)));
        assert_eq!(dom.idom(Block(4)), Some(Block(3)));
        assert!(!dom.is_reachable(Block(5)));
        for a in 0..6 {
            for b in 0..6 {
                let (a, b) = (Block(a), Block(b));
                let expect = dom.is_reachable(a) && dom.is_reachable(b) && walk(a, b);
                assert_eq!(dom.dominates(a, b), expect, "{a} dom {b}");
            }
        }
    }
}
