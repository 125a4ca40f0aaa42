//! Cancels an increment immediately undone by a decrement.

use crate::entities::{Inst, Value};
use crate::function::Function;
use crate::instructions::{Opcode, Operands};

/// Removes `incref v` (or `xincref v`) together with the first later `decref v` (or
/// `xdecref v`) of the *same SSA value* in the same block when every instruction between them
/// is pure and not a memory `load` (so nothing in between can run code, leave native code, or
/// read a reference count). The pair is a no-op on the count: it never reaches zero in
/// between because the increment raised it first, and `incref`/`decref` require non-NULL, so
/// a mixed `incref`/`xdecref` or `xincref`/`decref` pair is equally a no-op.
///
/// Does not: look across blocks, past calls, stores, `store_local`, `set_prev_instr`, other
/// refcount operations or exits (an exit's frame state may own the extra reference); match
/// different SSA values that hold the same object; move or sink refcount operations; use the
/// callee table's ownership contracts to drop increfs of borrowed values.
pub fn remove_refcount_pairs(f: &mut Function) {
    for bi in 0..f.layout.len() {
        let b = f.layout[bi];
        let mut insts = f.block(b).insts.clone();
        let mut i = 0;
        while i < insts.len() {
            if let Some(v) = increment_of(f, insts[i])
                && let Some(j) = matching_decrement(f, &insts[i + 1..], v)
            {
                insts.remove(i + 1 + j);
                insts.remove(i);
                // Re-examine from the previous position: an enclosing pair may now be adjacent.
                i = i.saturating_sub(1);
                continue;
            }
            i += 1;
        }
        f.block_mut(b).insts = insts;
    }
}

fn unary_arg(f: &Function, i: Inst, ops: &[Opcode]) -> Option<Value> {
    let d = f.inst(i);
    match d.operands {
        Operands::Unary { arg } if ops.contains(&d.opcode) => Some(arg),
        _ => None,
    }
}

fn increment_of(f: &Function, i: Inst) -> Option<Value> {
    unary_arg(f, i, &[Opcode::Incref, Opcode::Xincref])
}

/// Index in `rest` of the decrement of `v`, if only transparent instructions precede it.
fn matching_decrement(f: &Function, rest: &[Inst], v: Value) -> Option<usize> {
    for (k, &i) in rest.iter().enumerate() {
        if unary_arg(f, i, &[Opcode::Decref, Opcode::Xdecref]) == Some(v) {
            return Some(k);
        }
        let op = f.inst(i).opcode;
        if !op.is_pure() || op == Opcode::Load {
            return None;
        }
    }
    None
}
