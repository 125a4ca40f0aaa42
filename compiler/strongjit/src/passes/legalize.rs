//! Legalization: Python-level operations that no pass specialized become the generic calls
//! they stand for.

use crate::callees;
use crate::function::Function;
use crate::instructions::{Opcode, Operands};
use crate::types::Type;

/// Rewrites every `v = py.OP args, fs` into `v = call GENERIC(args[, iconst.i32 k])` (the
/// callee and the trailing immediate come from [`crate::PyOp::generic`]); the result keeps its
/// id, so the `check_null`/`check_neg` and refcount operations after it are untouched. The
/// frame state the `py.*` carried for specialization is dropped when nothing else uses it.
///
/// Does not: look at feedback or types (a `py.*` that reaches it is generic by definition);
/// expand `guard_type`, `unbox_*` or `box_*` (lowering does those).
pub fn legalize(f: &mut Function) {
    for bi in 0..f.layout.len() {
        let b = f.layout[bi];
        let mut i = 0;
        while i < f.block(b).insts.len() {
            let inst = f.block(b).insts[i];
            let d = f.inst(inst);
            let Operands::Py { op, args, .. } = &d.operands else {
                i += 1;
                continue;
            };
            let (name, imm) = op.generic();
            let mut args = args.clone();
            let loc = d.loc;
            if let Some(k) = imm {
                let c = f.make_inst(
                    Opcode::Iconst,
                    Operands::IntConst {
                        ty: Type::I32,
                        imm: i64::from(k),
                    },
                    &[Type::I32],
                    loc,
                );
                args.push(f.inst(c).results[0]);
                f.block_mut(b).insts.insert(i, c);
                i += 1;
            }
            let callee = callees::lookup(name).expect("generic callees are in the table");
            let d = f.inst_mut(inst);
            d.opcode = Opcode::Call;
            d.operands = Operands::Call { callee, args };
            i += 1;
        }
    }
    f.remove_unused_frame_states();
}
