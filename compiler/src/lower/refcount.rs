//! Inline reference counting for CPython 3.11 (no immortal objects): `ob_refcnt += 1`, and
//! `ob_refcnt -= 1` with a cold call to `_Py_Dealloc` when it reaches zero.

use cranelift_codegen::ir::{InstBuilder, MemFlagsData, Value, condcodes::IntCC, types};
use cranelift_frontend::FunctionBuilder;
use s6_py311::layout::object::OB_REFCNT;

use super::builder::Imports;

pub(crate) fn incref(b: &mut FunctionBuilder, obj: Value) {
    let rc = b
        .ins()
        .load(types::I64, MemFlagsData::trusted(), obj, OB_REFCNT);
    let rc = b.ins().iadd_imm_s(rc, 1);
    b.ins().store(MemFlagsData::trusted(), rc, obj, OB_REFCNT);
}

pub(crate) fn decref(b: &mut FunctionBuilder, imports: &mut Imports, obj: Value) {
    decref_at(b, imports, obj, None)
}

/// The line a `_Py_Dealloc` path stores before it runs (`sink`'s `dealloc_prev_instr`):
/// `frame->prev_instr = prev_instr`, the address computed on that path.
#[derive(Clone, Copy)]
pub(crate) struct DeallocLine {
    pub(crate) frame: Value,
    pub(crate) code: Value,
    /// Byte offset of the instruction from the code object.
    pub(crate) offset: i64,
}

/// `decref`, storing `line` in the frame before a dealloc.
pub(crate) fn decref_at(
    b: &mut FunctionBuilder,
    imports: &mut Imports,
    obj: Value,
    line: Option<DeallocLine>,
) {
    let rc = b
        .ins()
        .load(types::I64, MemFlagsData::trusted(), obj, OB_REFCNT);
    let rc = b.ins().iadd_imm_s(rc, -1);
    b.ins().store(MemFlagsData::trusted(), rc, obj, OB_REFCNT);
    let dead = b.ins().icmp_imm_s(IntCC::Equal, rc, 0);
    let (dealloc, done) = (b.create_block(), b.create_block());
    b.set_cold_block(dealloc);
    b.ins().brif(dead, dealloc, &[], done, &[]);
    b.switch_to_block(dealloc);
    if let Some(line) = line {
        let p = b.ins().iadd_imm_s(line.code, line.offset);
        b.ins().store(
            MemFlagsData::trusted(),
            p,
            line.frame,
            s6_py311::layout::frame::PREV_INSTR,
        );
    }
    let f = imports.func(b, "_Py_Dealloc", &[types::I64], None);
    b.ins().call(f, &[obj]);
    b.ins().jump(done, &[]);
    b.switch_to_block(done);
}

/// `f(obj)` only when `obj` is not NULL.
pub(crate) fn if_not_null(
    b: &mut FunctionBuilder,
    obj: Value,
    f: impl FnOnce(&mut FunctionBuilder),
) {
    let (then, done) = (b.create_block(), b.create_block());
    b.ins().brif(obj, then, &[], done, &[]);
    b.switch_to_block(then);
    f(b);
    b.ins().jump(done, &[]);
    b.switch_to_block(done);
}
