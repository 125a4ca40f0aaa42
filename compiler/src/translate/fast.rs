//! Guarded fast paths from the profile's feedback (what CPython's specializer decided at each
//! site): `BINARY_OP` on two compact ints or two floats, and `COMPARE_OP` + `POP_JUMP_IF_*` on
//! two compact ints or floats fused into one native compare and branch. A failed guard takes
//! the generic path of the same instruction (no deopt), so a wrong profile only costs speed.

use super::TranslateError;
use super::context::{Flow, Translator};
use s6_profiles::model::Feedback;
use s6_py311::Instr;
use s6_py311::layout::{float, long, object};
use s6_py311::opcodes::*;
use s6_strongjit::{BindingKind, Block, FloatCC, IntCC, Opcode, Type, Value};

/// Operand kind a site was specialized for.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Kind {
    Int,
    Float,
}

impl Kind {
    fn type_name(self) -> &'static str {
        match self {
            Kind::Int => "builtins.int",
            Kind::Float => "builtins.float",
        }
    }
}

impl Translator<'_> {
    /// The specialized opcode name most snapshots saw at `ins`, if operand-typed.
    fn specialized_op(&self, ins: &Instr) -> Option<&str> {
        let site = self.feedback.get(&ins.index)?;
        let best = site.observations.iter().max_by_key(|o| o.count)?;
        match &best.feedback {
            Feedback::Operands { op, .. } => Some(op.as_str()),
            _ => None,
        }
    }

    /// The binding of `builtins.int`/`builtins.float` (one slot per function and type).
    fn type_object(&mut self, kind: Kind) -> Value {
        let want = BindingKind::Type(kind.type_name().into());
        let id = match self.b.func().bindings.iter().position(|k| *k == want) {
            Some(i) => s6_strongjit::BindingId::new(i),
            None => self.b.binding(want),
        };
        self.b.load_binding(id)
    }

    /// Continues in a new block when `cond` holds, else goes to `slow`.
    fn guard(&mut self, cond: Value, slow: Block) {
        let next = self.b.create_block();
        self.b.branch(cond, next, &[], slow, &[]);
        self.b.switch_to_block(next);
    }

    /// Guards `v` is exactly `kind` (and for ints, compact: at most one 30-bit digit) and
    /// returns its native value (i64 or f64).
    fn unbox(&mut self, v: Value, kind: Kind, ty: Value, slow: Block) -> Value {
        let t = self.b.load(Type::Obj, v, object::OB_TYPE);
        let same = self.b.icmp(IntCC::Eq, t, ty);
        self.guard(same, slow);
        match kind {
            Kind::Float => self.b.load(Type::F64, v, float::OB_FVAL),
            Kind::Int => {
                let size = self.b.load(Type::I64, v, long::OB_SIZE);
                let one = self.b.iconst(Type::I64, 1);
                let biased = self.b.iadd(size, one);
                let two = self.b.iconst(Type::I64, 2);
                let compact = self.b.icmp(IntCC::Ule, biased, two);
                self.guard(compact, slow);
                let digit = self.b.load(Type::I32, v, long::OB_DIGIT);
                let wide = self.b.uextend(Type::I64, digit);
                self.b.imul(size, wide)
            }
        }
    }

    /// `BINARY_OP` with an int/float fast path when the profile says so; `None` when no
    /// feedback applies (the caller emits the generic form).
    pub fn binary_op_fast(&mut self, ins: &Instr) -> Result<Option<Flow>, TranslateError> {
        let (kind, op) = match (self.specialized_op(ins), ins.arg) {
            (Some("BINARY_OP_ADD_INT"), 0 | 13) => (Kind::Int, Opcode::Iadd),
            (Some("BINARY_OP_SUBTRACT_INT"), 10 | 23) => (Kind::Int, Opcode::Isub),
            (Some("BINARY_OP_MULTIPLY_INT"), 5 | 18) => (Kind::Int, Opcode::Imul),
            (Some("BINARY_OP_ADD_FLOAT"), 0 | 13) => (Kind::Float, Opcode::Fadd),
            (Some("BINARY_OP_SUBTRACT_FLOAT"), 10 | 23) => (Kind::Float, Opcode::Fsub),
            (Some("BINARY_OP_MULTIPLY_FLOAT"), 5 | 18) => (Kind::Float, Opcode::Fmul),
            _ => return Ok(None),
        };
        let rhs = self.pop(ins)?;
        let lhs = self.pop(ins)?;
        let (slow, merge) = (self.b.create_block(), self.b.create_block());
        let result = self.b.append_block_param(merge, Type::Obj);
        let ty = self.type_object(kind);
        let a = self.unbox(lhs, kind, ty, slow);
        let b = self.unbox(rhs, kind, ty, slow);
        // Compact ints have at most 31 significant bits: sums and products fit in i64.
        let x = self.b.binary(op, a, b);
        let boxed = match kind {
            Kind::Int => self.b.call_value("PyLong_FromLongLong", &[x]),
            Kind::Float => self.b.call_value("PyFloat_FromDouble", &[x]),
        };
        self.b.decref(lhs);
        self.b.decref(rhs);
        self.check_null(ins, boxed);
        self.b.jump(merge, &[boxed]);
        self.b.switch_to_block(slow);
        let callee = super::ops::binary_op_callee(ins.arg).expect("checked above");
        let r = self.b.call_value(callee, &[lhs, rhs]);
        self.b.decref(lhs);
        self.b.decref(rhs);
        self.check_null(ins, r);
        self.b.jump(merge, &[r]);
        self.b.switch_to_block(merge);
        self.push(result);
        Ok(Some(Flow::Next))
    }

    /// `COMPARE_OP` followed by `POP_JUMP_*_IF_TRUE/FALSE` on ints or floats: one native
    /// compare and branch (no bool object). Falls back to the generic pair when a guard fails.
    /// `None` when it does not apply.
    pub fn compare_jump_fast(&mut self, ins: &Instr) -> Result<Option<Flow>, TranslateError> {
        let kind = match self.specialized_op(ins) {
            Some("COMPARE_OP_INT_JUMP") => Kind::Int,
            Some("COMPARE_OP_FLOAT_JUMP") => Kind::Float,
            _ => return Ok(None),
        };
        let pos = self.instrs.by_start[&ins.start];
        let Some(jump) = self.instrs.list.get(pos + 1).copied() else {
            return Ok(None);
        };
        let on_true = match jump.base_op() {
            POP_JUMP_FORWARD_IF_TRUE | POP_JUMP_BACKWARD_IF_TRUE => true,
            POP_JUMP_FORWARD_IF_FALSE | POP_JUMP_BACKWARD_IF_FALSE => false,
            _ => return Ok(None),
        };
        if self.instrs.leaders.contains(&jump.start) || ins.arg > 5 {
            return Ok(None);
        }
        let backward = matches!(
            jump.base_op(),
            POP_JUMP_BACKWARD_IF_TRUE | POP_JUMP_BACKWARD_IF_FALSE
        );
        self.b.set_prev_instr(ins.index);
        let saved = self.stack.clone();
        let rhs = self.pop(ins)?;
        let lhs = self.pop(ins)?;
        let slow = self.b.create_block();
        let ty = self.type_object(kind);
        let a = self.unbox(lhs, kind, ty, slow);
        let b = self.unbox(rhs, kind, ty, slow);
        let holds = match kind {
            Kind::Int => {
                let cc = [
                    IntCC::Slt,
                    IntCC::Sle,
                    IntCC::Eq,
                    IntCC::Ne,
                    IntCC::Sgt,
                    IntCC::Sge,
                ][ins.arg as usize];
                self.b.icmp(cc, a, b)
            }
            Kind::Float => {
                let cc = [
                    FloatCC::Lt,
                    FloatCC::Le,
                    FloatCC::Eq,
                    FloatCC::Ne,
                    FloatCC::Gt,
                    FloatCC::Ge,
                ][ins.arg as usize];
                self.b.fcmp(cc, a, b)
            }
        };
        self.b.decref(lhs);
        self.b.decref(rhs);
        let take = if on_true {
            holds
        } else {
            let one = self.b.iconst(Type::I8, 1);
            self.b.binary(Opcode::Xor, holds, one)
        };
        self.b.set_loc(Some(jump.index));
        self.branch_to(&jump, take, backward)?;
        // The generic pair, for operands of other types.
        self.b.switch_to_block(slow);
        self.stack = saved;
        self.b.set_loc(Some(ins.index));
        if let Flow::Done = self.translate_generic(ins)? {
            return Ok(Some(Flow::Done));
        }
        self.b.set_loc(Some(jump.index));
        self.translate_instr(&jump)?;
        Ok(Some(Flow::Done))
    }
}
