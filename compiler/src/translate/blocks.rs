//! Block leaders of a code object: where straight-line translation must stop and jump to a
//! block (with the value stack as block arguments): the first instruction, every jump target and
//! every instruction after a conditional jump, and every point where a generator resumes
//! (after `RETURN_GENERATOR` and `YIELD_VALUE`).

use s6_py311::Instr;
use s6_py311::opcodes::is_terminator;
use s6_py311::opcodes::*;
use std::collections::{HashMap, HashSet};

/// Decoded instructions indexed for the translator.
pub struct Instrs {
    pub list: Vec<Instr>,
    /// `Instr::start` -> position in `list`.
    pub by_start: HashMap<u32, usize>,
    /// `Instr::start` of every leader.
    pub leaders: HashSet<u32>,
}

/// Whether `op` (a base opcode) is a conditional jump (falls through or jumps).
pub fn is_conditional(op: u8) -> bool {
    matches!(
        op,
        POP_JUMP_FORWARD_IF_FALSE
            | POP_JUMP_FORWARD_IF_TRUE
            | POP_JUMP_FORWARD_IF_NONE
            | POP_JUMP_FORWARD_IF_NOT_NONE
            | POP_JUMP_BACKWARD_IF_FALSE
            | POP_JUMP_BACKWARD_IF_TRUE
            | POP_JUMP_BACKWARD_IF_NONE
            | POP_JUMP_BACKWARD_IF_NOT_NONE
            | JUMP_IF_FALSE_OR_POP
            | JUMP_IF_TRUE_OR_POP
            | FOR_ITER
            | SEND
    )
}

impl Instrs {
    pub fn new(list: Vec<Instr>) -> Instrs {
        let by_start = list
            .iter()
            .enumerate()
            .map(|(i, ins)| (ins.start, i))
            .collect();
        let mut leaders = HashSet::new();
        if let Some(first) = list.first() {
            leaders.insert(first.start);
        }
        for ins in &list {
            if matches!(ins.base_op(), RETURN_GENERATOR | YIELD_VALUE) {
                leaders.insert(ins.next);
            }
            if let Some(t) = ins.jump_target() {
                leaders.insert(t);
                if is_conditional(ins.base_op()) {
                    leaders.insert(ins.next);
                }
            }
        }
        Instrs {
            list,
            by_start,
            leaders,
        }
    }
}

/// Locals that are definitely bound before each instruction (by position in `instrs.list`),
/// along control flow from the entry, where the first `nargs` slots are bound: a `LOAD_FAST`
/// of such a local needs no unbound check. `None` for instructions not reached. Stores bind,
/// `DELETE_FAST` unbinds, and a checked `LOAD_FAST` binds (native code deopts otherwise).
/// Nothing is bound after a `YIELD_VALUE`: a generator may have run on in the interpreter
/// (through handler code that deletes locals) before native code resumes it there.
///
/// `handlers` are the exception handlers native code enters (see `context`): a handler's first
/// instruction starts with what is bound before every instruction its ranges cover (the
/// exception may come from any of them), computed to a fixed point with the paths from the
/// handlers back into the body.
pub fn definitely_bound(
    instrs: &Instrs,
    nlocals: u32,
    nargs: u32,
    handlers: &[s6_py311::exceptions::Handler],
) -> Vec<Option<Vec<u64>>> {
    let words = (nlocals as usize).div_ceil(64);
    let mut entry = vec![0u64; words];
    for i in 0..nargs.min(nlocals) {
        entry[i as usize / 64] |= 1 << (i % 64);
    }
    let mut seeds: Vec<(usize, Vec<u64>)> = Vec::new();
    for _ in 0..MAX_ROUNDS {
        let state = bound_from(instrs, words, &entry, &seeds);
        // Each handler's start: the meet over the instructions it covers that are reached.
        let mut next: Vec<(usize, Vec<u64>)> = Vec::new();
        for h in handlers {
            let Some(&pos) = instrs.by_start.get(&h.target) else {
                continue;
            };
            let mut meet: Option<Vec<u64>> = None;
            for (k, ins) in instrs.list.iter().enumerate() {
                if ins.index < h.start || ins.index >= h.end {
                    continue;
                }
                if let Some(s) = &state[k] {
                    meet = Some(match meet {
                        None => s.clone(),
                        Some(m) => m.iter().zip(s).map(|(a, b)| a & b).collect(),
                    });
                }
            }
            // A handler none of whose instructions is reached yet is not entered (yet).
            let Some(meet) = meet else { continue };
            match next.iter_mut().find(|(p, _)| *p == pos) {
                Some((_, m)) => m.iter_mut().zip(&meet).for_each(|(a, b)| *a &= b),
                None => next.push((pos, meet)),
            }
        }
        if next == seeds {
            return state;
        }
        seeds = next;
    }
    // Not settled (each round only shrinks the sets, but a function with many nested handlers
    // may take many): every handler starts with nothing bound, which holds whatever ran.
    let none: Vec<(usize, Vec<u64>)> = handlers
        .iter()
        .filter_map(|h| instrs.by_start.get(&h.target))
        .map(|&p| (p, vec![0u64; words]))
        .collect();
    bound_from(instrs, words, &entry, &none)
}

/// Rounds of [`definitely_bound`]'s handler fixed point before it assumes nothing at handlers.
const MAX_ROUNDS: usize = 8;

/// One fixed point of [`definitely_bound`] from the entry and the given handler starts.
fn bound_from(
    instrs: &Instrs,
    words: usize,
    entry: &[u64],
    seeds: &[(usize, Vec<u64>)],
) -> Vec<Option<Vec<u64>>> {
    let mut state: Vec<Option<Vec<u64>>> = vec![None; instrs.list.len()];
    state[0] = Some(entry.to_vec());
    let mut work = vec![0usize];
    for (pos, set) in seeds {
        match &mut state[*pos] {
            Some(old) => old.iter_mut().zip(set).for_each(|(a, b)| *a &= b),
            None => state[*pos] = Some(set.clone()),
        }
        work.push(*pos);
    }
    while let Some(pos) = work.pop() {
        let ins = instrs.list[pos];
        let mut out = state[pos].clone().expect("queued positions have a state");
        let (word, bit) = (ins.arg as usize / 64, 1u64 << (ins.arg % 64));
        match ins.base_op() {
            STORE_FAST | LOAD_FAST if word < words => out[word] |= bit,
            DELETE_FAST if word < words => out[word] &= !bit,
            YIELD_VALUE => out.fill(0),
            _ => {}
        }
        let mut succs = Vec::with_capacity(2);
        if !is_terminator(ins.op) && pos + 1 < instrs.list.len() {
            succs.push(pos + 1);
        }
        if let Some(p) = ins.jump_target().and_then(|t| instrs.by_start.get(&t)) {
            succs.push(*p);
        }
        for s in succs {
            let changed = match &mut state[s] {
                None => {
                    state[s] = Some(out.clone());
                    true
                }
                Some(old) => {
                    let mut changed = false;
                    for (o, n) in old.iter_mut().zip(&out) {
                        let m = *o & n;
                        changed |= m != *o;
                        *o = m;
                    }
                    changed
                }
            };
            if changed {
                work.push(s);
            }
        }
    }
    state
}

/// Whether local `i` is in a [`definitely_bound`] set.
pub fn is_bound(set: &[u64], i: u32) -> bool {
    set.get(i as usize / 64)
        .is_some_and(|w| w & (1 << (i % 64)) != 0)
}
