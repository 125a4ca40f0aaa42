//! Legalization: Python-level operations that no pass specialized become the generic calls
//! they stand for.

use std::collections::HashMap;

use crate::builder::FunctionBuilder;
use crate::entities::{FrameStateId, Value};
use crate::function::Function;
use crate::instructions::Operands;
use crate::pyops::PyOp;
use crate::types::Type;
use s6_py311::layout::frame;

/// Rewrites every `v = py.OP args, fs` into the generic code it stands for
/// ([`emit_generic`]): `call GENERIC(args[, iconst.i32 k])` for operators, and for `py.call.n`
/// the operands moved into the frame's value-stack slots (at the depth the frame state says)
/// and `s6_rt_call`. The result keeps its uses, so the `check_null`/`check_neg` and refcount
/// operations after it are untouched. The frame state the `py.*` carried for specialization is
/// dropped when nothing else uses it.
///
/// Does not: look at feedback or types (a `py.*` that reaches it is generic by definition);
/// expand `guard_type`, `unbox_*` or `box_*` (lowering does those).
pub fn legalize(f: &mut Function) {
    let func = std::mem::replace(f, Function::new("", 0, 0));
    let mut b = FunctionBuilder::resume(func);
    let mut map: HashMap<Value, Value> = HashMap::new();
    for bi in 0..b.func().layout.len() {
        let block = b.func().layout[bi];
        let mut pos = 0;
        while pos < b.func().block(block).insts.len() {
            let inst = b.func().block(block).insts[pos];
            let d = b.func().inst(inst).clone();
            let Operands::Py { op, args, fs } = &d.operands else {
                pos += 1;
                continue;
            };
            b.insert_at(block, pos);
            b.set_loc(d.loc);
            let r = emit_generic(&mut b, *op, args, *fs);
            let at = b.insert_pos().expect("inserting");
            b.func_mut().block_mut(block).insts.remove(at);
            map.insert(d.results[0], r);
            pos = at;
        }
    }
    *f = b.finish();
    f.rewrite_uses(|mut v| {
        while let Some(&r) = map.get(&v) {
            v = r;
        }
        v
    });
    f.remove_unused_frame_states();
}

/// Emits the generic form of `op` on `args` at the builder's position and returns its result
/// (same contract as the `py.*`: a new reference or NULL, or an `i32` status). `fs` is the
/// operation's frame state (before it): a call's operands go to the value-stack slots at its
/// depth.
pub fn emit_generic(b: &mut FunctionBuilder, op: PyOp, args: &[Value], fs: FrameStateId) -> Value {
    if let PyOp::Call(n) = op {
        let depth = b.func().frame_state(fs).stack.len() - args.len();
        let nlocalsplus = b.func().nlocalsplus;
        let fr = b.frame();
        for (k, &a) in args.iter().enumerate() {
            let slot = nlocalsplus as i32 + (depth + k) as i32;
            b.store(Type::Obj, fr, frame::LOCALSPLUS + 8 * slot, a);
        }
        let base = b.iconst(Type::I32, i64::from(nlocalsplus) + depth as i64);
        let count = b.iconst(Type::I32, i64::from(n));
        let kw = b.null();
        return b.call_value("s6_rt_call", &[fr, base, count, kw]);
    }
    b.py_generic(op, args)
}
