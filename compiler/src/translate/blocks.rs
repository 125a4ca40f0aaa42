//! Block leaders of a code object: where straight-line translation must stop and jump to a
//! block (with the value stack as block arguments): the first instruction, every jump target and
//! every instruction after a conditional jump.

use s6_py311::Instr;
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
