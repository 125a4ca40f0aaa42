//! Container slots that receive a computed `float` or `int` update the object they hold in
//! place when only the slot references it, instead of allocating a new box and freeing the old
//! one at every store (`v[0] -= dx * m` on a list of floats, `counts[k] += 1` past the small
//! ints).

use std::collections::HashMap;

use crate::entities::{Block, FrameStateId, Inst, Value};
use crate::function::{Function, ValueDef};
use crate::instructions::{Opcode, Operands};
use crate::types::{PyType, Type};

/// Turns
///
/// ```text
/// r = box_float x
/// ...                        (see below)
/// check_null r, fs
/// ...
/// old = load.obj p, o
/// incref r
/// store.obj p, o, r
/// decref old
/// ```
///
/// (what `specialize` makes of `lst[i] = <float arithmetic>`; `box_int` likewise becomes
/// `rebox_int`, in place only for a one-digit old object and result that is not a small int)
/// into
///
/// ```text
/// ...                        (exits that held r on their stack now hold x: they box it)
/// old = load.obj p, o
/// r = rebox_float old, x
/// check_null r, fs
/// incref r
/// store.obj p, o, r
/// decref old
/// ```
///
/// At run time `rebox_float` writes `x` into `old` when `old` is an exact `float` whose only
/// reference is the slot's: then nothing else can see the object change, and the store puts
/// the same object back (the slot's reference is dropped by `decref old`, `r`'s is the
/// slot's again). Any other reference to `old` (a local, another slot, a value of this code:
/// at this point of the pipeline every value that is live holds its own reference, and
/// `refcount_pairs`, which later lets values borrow, treats `rebox_float` as a barrier since
/// it reads a count) makes it allocate as before.
///
/// Between the box and the load, only pure instructions, exits, `set_prev_instr` and
/// reference-count operations on values other than `r` may come, and none may release a
/// value of `fs`' stack (the allocation's error exit moves to the new place): nothing there
/// could have seen `r`. Other uses of `r` there: none.
///
/// Run after `box_elim`, before `legalize` and `refcount_pairs`.
///
/// Does not: reuse objects of slots written by anything but this pattern
/// (`STORE_SUBSCR_LIST_INT`'s form in `specialize`); move anything across a call.
pub fn reuse_item_boxes(f: &mut Function) {
    let mut fs_uses: HashMap<FrameStateId, usize> = HashMap::new();
    for (_, i) in f.layout_insts() {
        if let Some(fs) = f.inst(i).operands.frame_state() {
            *fs_uses.entry(fs).or_default() += 1;
        }
    }
    let blocks = f.layout.clone();
    for b in blocks {
        let mut k = 0;
        while k < f.block(b).insts.len() {
            let i = f.block(b).insts[k];
            k += 1;
            if !matches!(f.inst(i).opcode, Opcode::BoxFloat | Opcode::BoxInt) {
                continue;
            }
            if let Some(plan) = find(f, b, k - 1, &fs_uses) {
                rewrite(f, b, plan);
            }
        }
    }
}

/// What one rewrite needs: the box, its value and unboxed input, the check of `r`, the load
/// of the old item, and the exits in between whose states hold `r`.
struct Plan {
    boxed: Inst,
    r: Value,
    x: Value,
    check: Inst,
    load: Inst,
    holding: Vec<Inst>,
}

/// The rewrite for the box at position `from` of block `b`, if its pattern holds.
fn find(
    f: &Function,
    b: Block,
    from: usize,
    fs_uses: &HashMap<FrameStateId, usize>,
) -> Option<Plan> {
    let insts = &f.block(b).insts;
    let boxed = insts[from];
    let d = f.inst(boxed);
    let Operands::Unary { arg: x } = d.operands else {
        return None;
    };
    let r = d.results[0];
    // The check of `r` and its position.
    let mut check: Option<(Inst, usize)> = None;
    let mut holding = Vec::new();
    for (n, &j) in insts.iter().enumerate().skip(from + 1) {
        let e = f.inst(j);
        let uses_r = {
            let mut found = false;
            e.operands.for_each_arg(|v| found |= v == r);
            found
        };
        // The store pattern: `old = load.obj p, o; incref r; store.obj p, o, r; decref old`.
        if let (
            Opcode::Load,
            Operands::Load {
                ty: Type::Obj,
                ptr,
                offset,
            },
        ) = (e.opcode, &e.operands)
            && let [inc, st, dec] = insts.get(n + 1..n + 4)?
            && matches!((f.inst(*inc).opcode, &f.inst(*inc).operands),
                (Opcode::Incref, Operands::Unary { arg }) if *arg == r)
            && matches!((f.inst(*st).opcode, &f.inst(*st).operands),
                (Opcode::Store, Operands::Store { ty: Type::Obj, ptr: p2, offset: o2, value })
                    if p2 == ptr && o2 == offset && *value == r)
            && matches!((f.inst(*dec).opcode, &f.inst(*dec).operands),
                (Opcode::Decref, Operands::Unary { arg }) if *arg == e.results[0])
        {
            let (check, start) = check?;
            // The allocation's error exit moves here: what its state holds must still be
            // owned, and nothing released in between.
            let Operands::Check { fs, .. } = f.inst(check).operands else {
                return None;
            };
            let state: Vec<Value> = f.frame_state(fs).values().collect();
            let released = insts[start + 1..n].iter().any(|&m| {
                matches!((f.inst(m).opcode, &f.inst(m).operands),
                    (Opcode::Decref | Opcode::Xdecref, Operands::Unary { arg }) if state.contains(arg))
            });
            if released {
                return None;
            }
            return Some(Plan {
                boxed,
                r,
                x,
                check,
                load: j,
                holding,
            });
        }
        match (e.opcode, &e.operands) {
            (Opcode::CheckNull, Operands::Check { arg, .. }) if *arg == r && check.is_none() => {
                check = Some((j, n));
                continue;
            }
            (Opcode::SetPrevInstr, _) => continue,
            (Opcode::Incref | Opcode::Decref | Opcode::Xincref | Opcode::Xdecref, _) if !uses_r => {
                continue;
            }
            _ => {}
        }
        if uses_r {
            return None;
        }
        if let Some(fs) = e.operands.frame_state() {
            // An exit: fine, if a state holding `r` is its own (then `r` becomes `x` in it).
            if f.frame_state(fs).values().any(|v| v == r) {
                if fs_uses.get(&fs).copied().unwrap_or(0) != 1 {
                    return None;
                }
                holding.push(j);
            }
            if e.opcode.info().pure || is_exit(e.opcode) {
                continue;
            }
            return None;
        }
        if e.opcode.info().pure {
            continue;
        }
        return None;
    }
    None
}

/// Instructions whose only effect is an exit through their frame state.
fn is_exit(op: Opcode) -> bool {
    matches!(
        op,
        Opcode::CheckNull
            | Opcode::CheckNeg
            | Opcode::CheckTracing
            | Opcode::DeoptIf
            | Opcode::GuardType
            | Opcode::UnboxInt
            | Opcode::UnboxNumber
    )
}

fn rewrite(f: &mut Function, b: Block, p: Plan) {
    for &j in &p.holding {
        let fs = f.inst(j).operands.frame_state().expect("an exit");
        let state = f.frame_states[fs.index()].as_mut().expect("live state");
        for k in 0..state.stack.len() {
            if state.stack[k] == p.r {
                state.stack[k] = p.x;
                state.borrowed.retain(|&q| q as usize != k);
            }
        }
    }
    let old = f.inst(p.load).results[0];
    let loc = f.inst(p.load).loc;
    let float = f.inst(p.boxed).opcode == Opcode::BoxFloat;
    let rebox = f.make_inst(
        if float {
            Opcode::ReboxFloat
        } else {
            Opcode::ReboxInt
        },
        Operands::Binary { args: [old, p.x] },
        &[],
        loc,
    );
    f.inst_mut(rebox).results = vec![p.r];
    f.values[p.r.index()].def = ValueDef::Result(rebox, 0);
    f.set_pytype(
        p.r,
        if float {
            PyType::FLOAT_EXACT
        } else {
            PyType::LONG_EXACT
        },
    );
    let insts = std::mem::take(&mut f.block_mut(b).insts);
    let mut out = Vec::with_capacity(insts.len());
    for i in insts {
        if i == p.boxed || i == p.check {
            continue;
        }
        out.push(i);
        if i == p.load {
            out.push(rebox);
            out.push(p.check);
        }
    }
    f.block_mut(b).insts = out;
}
