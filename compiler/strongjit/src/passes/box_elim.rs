//! Box elimination: a number boxed only to be unboxed again (or released, or kept for an exit)
//! is never boxed.

use crate::entities::{Inst, Value};
use crate::function::{Function, ValueDef};
use crate::instructions::{Opcode, Operands};

/// Removes `r = box_float x` / `box_int x` / `box_bool c` when every use of `r` is a
/// `decref`/`xdecref` (its release), a `check_null` (its allocation check) or a frame-state
/// stack entry; those entries become the unboxed `x`, which an exit boxes on the way out (a
/// fresh object of the same value: nothing else could have seen `r`). The release and the
/// check go with the box.
///
/// Run it after `simplify`, which turns `unbox(box x)` into `x`, so that the boxes that only
/// fed typed code are left with such uses.
///
/// Does not: remove boxes that escape (stored to a local, passed to a call, returned,
/// increfed, passed to another block); unbox block parameters; move boxes into exits other
/// than through frame states.
pub fn eliminate_boxes(f: &mut Function) {
    let mut uses: Vec<Vec<Inst>> = vec![Vec::new(); f.values.len()];
    let mut boxes: Vec<Inst> = Vec::new();
    for (_, i) in f.layout_insts() {
        let d = f.inst(i);
        if matches!(
            d.opcode,
            Opcode::BoxFloat | Opcode::BoxInt | Opcode::BoxBool
        ) {
            boxes.push(i);
        }
        d.operands.for_each_arg(|v| uses[v.index()].push(i));
    }
    let mut dead: Vec<Inst> = Vec::new();
    let mut unboxed: Vec<(Value, Value)> = Vec::new();
    for b in boxes {
        let d = f.inst(b);
        let (r, Operands::Unary { arg: x }) = (d.results[0], &d.operands) else {
            continue;
        };
        let removable = uses[r.index()].iter().all(|&u| {
            matches!(
                (f.inst(u).opcode, &f.inst(u).operands),
                (Opcode::Decref | Opcode::Xdecref, Operands::Unary { .. })
                    | (Opcode::CheckNull, Operands::Check { .. })
            )
        });
        if removable {
            dead.push(b);
            dead.extend(uses[r.index()].iter().copied());
            unboxed.push((r, *x));
        }
    }
    if dead.is_empty() {
        return;
    }
    for &b in &f.layout.clone() {
        f.block_mut(b).insts.retain(|i| !dead.contains(i));
    }
    for fs in f.frame_states.iter_mut().flatten() {
        for k in 0..fs.stack.len() {
            if let Some(&(_, x)) = unboxed.iter().find(|(r, _)| *r == fs.stack[k]) {
                fs.stack[k] = x;
                // An unboxed entry is boxed afresh by the exit: nothing to borrow.
                fs.borrowed.retain(|&p| p as usize != k);
            }
        }
    }
    for (r, _) in unboxed {
        f.values[r.index()].def = ValueDef::Detached;
    }
}
