//! Cancels an increment later undone by a decrement of the same object.

use std::collections::HashMap;

use crate::entities::{FrameStateId, Inst, Value};
use crate::function::{FrameState, Function, ValueDef};
use crate::instructions::{Opcode, Operands};
use crate::types::PyType;

/// Removes `incref v` (or `xincref v`) together with the first later `decref w` (or
/// `xdecref w`) in the same block where `v` and `w` are the same object (the same value, or
/// `guard_type` results of it), when nothing in between can run code outside native code,
/// read a reference count, or release the reference `v` is borrowed from. Allowed in between:
/// pure instructions (a `load` only if it cannot read `v`'s count), exits (`check_*`,
/// `deopt_if`, `guard_type`, `unbox_int`, `check_tracing`), `set_prev_instr`, boxing and
/// unboxing, refcount operations on values whose release cannot run code (`int`, `float`,
/// `bool`, `str`, `None`), increfs of other values, and calls that run no Python code.
///
/// When the frame (or the code object, for a constant) holds the object for the whole stretch
/// (loaded from a local the function never writes, or stored to or loaded from one earlier in
/// the block, with no write to that local and no hand-over of the object in between), code
/// that runs Python may come in between: nothing can release the holder's reference, so
/// `LOAD_FAST self; LOAD_ATTR` costs no refcount. Calls that are given the object itself stay
/// barriers (except attribute access, `len` and `isinstance`): C code may act on a count that
/// says only its caller holds an operand (NumPy reuses such temporaries).
///
/// An exit in between whose frame state holds the object (each such entry is an owned
/// reference there) gets a copy of that state with one such entry marked borrowed (`&v`): the
/// exit increfs it on the way out, so the interpreter still receives an owned reference.
///
/// Does not: look across blocks; move or sink refcount operations; drop increfs whose
/// reference is consumed (stored, returned, stolen by a call).
pub fn remove_refcount_pairs(f: &mut Function) {
    // (original state, borrowed positions) -> its copy
    let mut copies: HashMap<(FrameStateId, Vec<u32>), FrameStateId> = HashMap::new();
    // Locals the function never writes: a value loaded from one stays held by the frame.
    let mut written = vec![false; f.nlocalsplus as usize];
    for (_, i) in f.layout_insts() {
        if let Operands::UImmValue { imm, .. } = f.inst(i).operands
            && matches!(
                f.inst(i).opcode,
                Opcode::StoreLocal | Opcode::StoreLocalFloat | Opcode::StoreLocalInt
            )
            && let Some(w) = written.get_mut(imm as usize)
        {
            *w = true;
        }
    }
    for bi in 0..f.layout.len() {
        let b = f.layout[bi];
        let mut i = 0;
        while i < f.block(b).insts.len() {
            let insts = f.block(b).insts.clone();
            let held =
                increment_of(f, insts[i]).and_then(|v| held_by_frame(f, &insts[..i], v, &written));
            if let Some(v) = increment_of(f, insts[i])
                && let Some(j) = matching_decrement(f, &insts[i + 1..], v, held)
            {
                let j = i + 1 + j;
                // Exits in between hand the object over: mark one entry borrowed.
                for &e in &insts[i + 1..j] {
                    let Some(fs) = f.inst(e).operands.frame_state() else {
                        continue;
                    };
                    if !f.inst(e).opcode.is_exit() {
                        continue;
                    }
                    if let Some(new) = borrowed_copy(f, fs, v, &mut copies) {
                        *f.inst_mut(e).operands.frame_state_mut().unwrap() = new;
                    }
                }
                let insts = &mut f.block_mut(b).insts;
                insts.remove(j);
                insts.remove(i);
                // Re-examine from the previous position: an enclosing pair may now match.
                i = i.saturating_sub(1);
                continue;
            }
            i += 1;
        }
    }
    f.remove_unused_frame_states();
}

/// Callees that may be given an object the frame holds without the extra reference the
/// interpreter's value stack would add: attribute and global access, `len`, `isinstance`.
const ATTRIBUTE_ACCESS: &[&str] = &[
    "s6_rt_load_attr_cached",
    "s6_rt_store_attr_cached",
    "PyObject_GetAttr",
    "PyObject_SetAttr",
    "s6_rt_len",
    "s6_rt_isinstance",
];

/// `v` with `guard_type` aliases looked through.
fn object(f: &Function, mut v: Value) -> Value {
    while let ValueDef::Result(i, 0) = f.value_def(v) {
        match f.inst(i).operands {
            Operands::GuardType { arg, .. } => v = arg,
            _ => break,
        }
    }
    v
}

fn unary_arg(f: &Function, i: Inst, ops: &[Opcode]) -> Option<Value> {
    let d = f.inst(i);
    match d.operands {
        Operands::Unary { arg } if ops.contains(&d.opcode) => Some(arg),
        _ => None,
    }
}

fn increment_of(f: &Function, i: Inst) -> Option<Value> {
    unary_arg(f, i, &[Opcode::Incref, Opcode::Xincref]).map(|v| object(f, v))
}

/// Types whose deallocation runs no Python code.
fn silent(t: PyType) -> bool {
    t != PyType::BOTTOM
        && t.is_subtype_of(
            PyType::LONG_EXACT
                .union(PyType::BOOL)
                .union(PyType::FLOAT_EXACT)
                .union(PyType::STR_EXACT)
                .union(PyType::NONE_TYPE)
                .union(PyType::BYTES_EXACT),
        )
}

/// The local slot that holds the object `v` at the end of `before` (the instructions of the
/// block up to the increment), if one does for sure: `v` was loaded from a slot the function
/// never writes, or stored to (or loaded from) a slot later in `before` with no write to that
/// slot after; `u32::MAX` for a constant (held by the code object).
fn held_by_frame(f: &Function, before: &[Inst], v: Value, written: &[bool]) -> Option<u32> {
    // A constant: `co_consts` holds it for as long as the code runs.
    if let ValueDef::Result(i, 0) = f.value_def(v)
        && f.inst(i).opcode == Opcode::LoadConst
    {
        return Some(u32::MAX);
    }
    if let ValueDef::Result(i, 0) = f.value_def(v)
        && let (Opcode::LoadLocal, Operands::UImm { imm }) = (f.inst(i).opcode, &f.inst(i).operands)
        && !written.get(*imm as usize).copied().unwrap_or(true)
    {
        return Some(*imm);
    }
    let mut overwritten: Vec<u32> = Vec::new();
    for &i in before.iter().rev() {
        let d = f.inst(i);
        match (d.opcode, &d.operands) {
            (Opcode::StoreLocal, Operands::UImmValue { imm, arg }) => {
                if object(f, *arg) == v && !overwritten.contains(imm) {
                    return Some(*imm);
                }
                overwritten.push(*imm);
            }
            (Opcode::StoreLocalFloat | Opcode::StoreLocalInt, Operands::UImmValue { imm, .. }) => {
                if object(f, d.results[0]) == v && !overwritten.contains(imm) {
                    return Some(*imm);
                }
                overwritten.push(*imm);
            }
            (Opcode::LoadLocal, Operands::UImm { imm })
                if object(f, d.results[0]) == v && !overwritten.contains(imm) =>
            {
                return Some(*imm);
            }
            _ => {}
        }
    }
    None
}

/// Index in `rest` of the decrement of the object `v`, if only transparent instructions
/// precede it. When the frame holds `v` in local `held` for the whole stretch (the slot is not
/// written, `v` is not handed over), instructions that may run code are transparent too: they
/// cannot release the frame's reference.
fn matching_decrement(f: &Function, rest: &[Inst], v: Value, held: Option<u32>) -> Option<usize> {
    for (k, &i) in rest.iter().enumerate() {
        let d = f.inst(i);
        if let Some(slot) = held {
            let hands_over = match (d.opcode, &d.operands) {
                (Opcode::StoreLocal, Operands::UImmValue { imm, arg }) => {
                    *imm == slot || object(f, *arg) == v
                }
                (
                    Opcode::StoreLocalFloat | Opcode::StoreLocalInt,
                    Operands::UImmValue { imm, .. },
                ) => *imm == slot,
                (Opcode::Store, Operands::Store { value, .. }) => object(f, *value) == v,
                (Opcode::Return, _) => true,
                (Opcode::Call, Operands::Call { callee, args }) => args
                    .iter()
                    .enumerate()
                    .any(|(k, &a)| callee.steals_arg(k) && object(f, a) == v),
                (Opcode::Py, Operands::Py { op, args, .. }) => {
                    op.consumes() && args.iter().any(|&a| object(f, a) == v)
                }
                _ => false,
            };
            // Code that looks at `v` itself sees its reference count: a load of the count, and
            // calls given `v` other than attribute access (C code such as NumPy's operators
            // reuses an operand whose count says only the caller holds it).
            let looks = match (d.opcode, &d.operands) {
                (Opcode::Load, Operands::Load { ptr, offset, .. }) => {
                    *offset == 0 && object(f, *ptr) == v
                }
                (Opcode::Call, Operands::Call { callee, args }) => {
                    !ATTRIBUTE_ACCESS.contains(&callee.name)
                        && args.iter().any(|&a| object(f, a) == v)
                }
                (Opcode::Py, Operands::Py { args, .. }) => args.iter().any(|&a| object(f, a) == v),
                _ => false,
            };
            if hands_over || looks {
                return None;
            }
            if let Some(w) = unary_arg(f, i, &[Opcode::Decref, Opcode::Xdecref])
                && object(f, w) == v
            {
                return Some(k);
            }
            continue;
        }
        if let Some(w) = unary_arg(f, i, &[Opcode::Decref, Opcode::Xdecref]) {
            if object(f, w) == v {
                return Some(k);
            }
            if silent(f.pytype(w)) && object(f, w) != v {
                continue;
            }
            return None;
        }
        let ok = match (d.opcode, &d.operands) {
            (Opcode::Load, Operands::Load { ptr, offset, .. }) => {
                *offset != 0 || object(f, *ptr) != v
            }
            (Opcode::Incref | Opcode::Xincref, _) => true,
            (Opcode::Call, Operands::Call { callee, .. }) => !callee.may_run_python,
            (
                Opcode::CheckNull
                | Opcode::CheckNeg
                | Opcode::DeoptIf
                | Opcode::GuardType
                | Opcode::UnboxInt
                | Opcode::CheckTracing
                | Opcode::SetPrevInstr
                | Opcode::BoxFloat
                | Opcode::BoxInt
                | Opcode::BoxBool,
                _,
            ) => true,
            (op, _) => op.is_pure(),
        };
        if !ok {
            return None;
        }
    }
    None
}

/// A copy of `fs` with one more owned entry holding the object `v` marked borrowed (`None`
/// when `fs` holds no owned reference to it).
fn borrowed_copy(
    f: &mut Function,
    fs: FrameStateId,
    v: Value,
    copies: &mut HashMap<(FrameStateId, Vec<u32>), FrameStateId>,
) -> Option<FrameStateId> {
    let state = f.frame_state(fs).clone();
    let k = (0..state.stack.len())
        .rev()
        .find(|&k| !state.is_borrowed(k) && object(f, state.stack[k]) == v)? as u32;
    let mut borrowed = state.borrowed.clone();
    borrowed.push(k);
    borrowed.sort_unstable();
    let key = (fs, borrowed.clone());
    if let Some(&c) = copies.get(&key) {
        return Some(c);
    }
    let c = f.make_frame_state(FrameState { borrowed, ..state });
    copies.insert(key, c);
    Some(c)
}
