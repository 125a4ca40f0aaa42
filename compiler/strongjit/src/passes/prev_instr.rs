//! Dead `set_prev_instr` removal.

use crate::function::Function;
use crate::instructions::Opcode;

/// Whether `op` may read `frame->prev_instr`: it calls code outside native code (any `call`, a
/// `py.*` that becomes one, a `decref`/`xdecref`/`store_local` whose release may run
/// `__del__`) or returns (a frame object that outlives the call keeps the line). Lowering
/// uses the same list to move a `set_prev_instr` off an inline site-cache hit.
pub fn reads_prev_instr(op: Opcode) -> bool {
    matches!(
        op,
        Opcode::Call
            | Opcode::Py
            | Opcode::Decref
            | Opcode::Xdecref
            | Opcode::StoreLocal
            | Opcode::StoreLocalFloat
            | Opcode::StoreLocalInt
            | Opcode::Return
    )
}

/// Removes a `set_prev_instr` that another `set_prev_instr` of the same block overwrites
/// before anything could read `frame->prev_instr`: the readers are code outside native code
/// (any `call`, a `py.*` that becomes one, a `decref`/`xdecref`/`store_local` whose release
/// may run `__del__`) and `return` (a frame object that outlives the call keeps the line).
/// Exits do not read it: the runtime sets it from the frame state.
///
/// Does not: look across blocks (a block's last `set_prev_instr` always stays).
pub fn remove_dead_prev_instr(f: &mut Function) {
    for bi in 0..f.layout.len() {
        let b = f.layout[bi];
        let insts = f.block(b).insts.clone();
        let mut pending: Option<usize> = None;
        let mut dead = Vec::new();
        for (k, &i) in insts.iter().enumerate() {
            let op = f.inst(i).opcode;
            if op == Opcode::SetPrevInstr {
                if let Some(p) = pending.replace(k) {
                    dead.push(p);
                }
            } else if reads_prev_instr(op) {
                pending = None;
            }
        }
        if !dead.is_empty() {
            let keep: Vec<_> = insts
                .iter()
                .enumerate()
                .filter(|(k, _)| !dead.contains(k))
                .map(|(_, &i)| i)
                .collect();
            f.block_mut(b).insts = keep;
        }
    }
}
