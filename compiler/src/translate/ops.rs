//! Operators on values: `BINARY_OP`, subscripts, comparisons, `IS_OP`/`CONTAINS_OP`, unary
//! operators, `GET_ITER`, `GET_LEN`, `MATCH_*`. Generic C-API and helper calls.

use super::TranslateError;
use super::context::{Flow, Translator};
use s6_py311::Instr;
use s6_py311::opcodes::*;
use s6_strongjit::{IntCC, Type};

/// The C-API function of each `BINARY_OP` oparg (`binary_ops[]` in `ceval.c`); `None` for the
/// power operators, whose third argument (`None`) the helper supplies.
const BINARY_OPS: [Option<&str>; 26] = [
    Some("PyNumber_Add"),
    Some("PyNumber_And"),
    Some("PyNumber_FloorDivide"),
    Some("PyNumber_Lshift"),
    Some("PyNumber_MatrixMultiply"),
    Some("PyNumber_Multiply"),
    Some("PyNumber_Remainder"),
    Some("PyNumber_Or"),
    None,
    Some("PyNumber_Rshift"),
    Some("PyNumber_Subtract"),
    Some("PyNumber_TrueDivide"),
    Some("PyNumber_Xor"),
    Some("PyNumber_InPlaceAdd"),
    Some("PyNumber_InPlaceAnd"),
    Some("PyNumber_InPlaceFloorDivide"),
    Some("PyNumber_InPlaceLshift"),
    Some("PyNumber_InPlaceMatrixMultiply"),
    Some("PyNumber_InPlaceMultiply"),
    Some("PyNumber_InPlaceRemainder"),
    Some("PyNumber_InPlaceOr"),
    None,
    Some("PyNumber_InPlaceRshift"),
    Some("PyNumber_InPlaceSubtract"),
    Some("PyNumber_InPlaceTrueDivide"),
    Some("PyNumber_InPlaceXor"),
];

/// `Py_TPFLAGS_SEQUENCE` / `Py_TPFLAGS_MAPPING`.
const TPFLAGS_SEQUENCE: i64 = 1 << 5;
const TPFLAGS_MAPPING: i64 = 1 << 6;

/// The generic C-API function or helper of a `BINARY_OP` oparg.
pub fn binary_op_callee(arg: u32) -> Option<&'static str> {
    BINARY_OPS.get(arg as usize).copied().flatten()
}

impl Translator<'_> {
    /// Pops two operands, calls `callee(lhs, rhs, extra...)`, releases them, checks NULL.
    fn binary_call(
        &mut self,
        ins: &Instr,
        callee: &str,
        extra: &[s6_strongjit::Value],
    ) -> Result<(), TranslateError> {
        let rhs = self.pop(ins)?;
        let lhs = self.pop(ins)?;
        let mut args = vec![lhs, rhs];
        args.extend_from_slice(extra);
        let r = self.b.call_value(callee, &args);
        self.b.decref(lhs);
        self.b.decref(rhs);
        self.check_null(ins, r);
        self.push(r);
        Ok(())
    }

    /// `PyBool_FromLong(c)` for an i8 condition.
    fn bool_of(&mut self, c: s6_strongjit::Value) -> s6_strongjit::Value {
        let wide = self.b.uextend(Type::I64, c);
        let b = self.b.call_value("PyBool_FromLong", &[wide]);
        self.known_bool.insert(b, c);
        b
    }

    pub fn value_op(&mut self, ins: &Instr) -> Result<Flow, TranslateError> {
        let arg = ins.arg;
        match ins.base_op() {
            BINARY_OP if self.binary_op_fast(ins)?.is_some() => {}
            BINARY_OP => match BINARY_OPS.get(arg as usize) {
                Some(Some(name)) => self.binary_call(ins, name, &[])?,
                Some(None) => {
                    let a = self.i32c(arg);
                    self.binary_call(ins, "s6_rt_binary_op", &[a])?
                }
                None => return Err(self.malformed(ins, "unknown BINARY_OP oparg")),
            },
            BINARY_SUBSCR => self.binary_call(ins, "PyObject_GetItem", &[])?,
            COMPARE_OP => {
                if arg > 5 {
                    return Err(self.malformed(ins, "unknown COMPARE_OP oparg"));
                }
                let a = self.i32c(arg);
                self.binary_call(ins, "PyObject_RichCompare", &[a])?
            }
            STORE_SUBSCR => {
                let sub = self.pop(ins)?;
                let container = self.pop(ins)?;
                let v = self.pop(ins)?;
                let r = self.b.call_value("PyObject_SetItem", &[container, sub, v]);
                self.b.decref(v);
                self.b.decref(container);
                self.b.decref(sub);
                self.check_neg(ins, r);
            }
            DELETE_SUBSCR => {
                let sub = self.pop(ins)?;
                let container = self.pop(ins)?;
                let r = self.b.call_value("PyObject_DelItem", &[container, sub]);
                self.b.decref(container);
                self.b.decref(sub);
                self.check_neg(ins, r);
            }
            IS_OP => {
                let rhs = self.pop(ins)?;
                let lhs = self.pop(ins)?;
                let cc = if arg == 0 { IntCC::Eq } else { IntCC::Ne };
                let c = self.b.icmp(cc, lhs, rhs);
                self.b.decref(lhs);
                self.b.decref(rhs);
                let r = self.bool_of(c);
                self.push(r);
            }
            CONTAINS_OP => {
                let container = self.pop(ins)?;
                let item = self.pop(ins)?;
                let r = self.b.call_value("PySequence_Contains", &[container, item]);
                self.b.decref(item);
                self.b.decref(container);
                self.check_neg(ins, r);
                let z = self.b.iconst(Type::I32, 0);
                let cc = if arg == 0 { IntCC::Ne } else { IntCC::Eq };
                let c = self.b.icmp(cc, r, z);
                let v = self.bool_of(c);
                self.push(v);
            }
            UNARY_POSITIVE | UNARY_NEGATIVE | UNARY_INVERT | GET_ITER => {
                let callee = match ins.base_op() {
                    UNARY_POSITIVE => "PyNumber_Positive",
                    UNARY_NEGATIVE => "PyNumber_Negative",
                    UNARY_INVERT => "PyNumber_Invert",
                    _ => "PyObject_GetIter",
                };
                let v = self.pop(ins)?;
                let r = self.b.call_value(callee, &[v]);
                self.b.decref(v);
                self.check_null(ins, r);
                self.push(r);
            }
            UNARY_NOT => {
                let v = self.pop(ins)?;
                let r = self.b.call_value("PyObject_Not", &[v]);
                self.b.decref(v);
                self.check_neg(ins, r);
                let c = self.nonzero(r);
                let b = self.bool_of(c);
                self.push(b);
            }
            GET_LEN => {
                let v = self.peek(ins, 1)?;
                let n = self.b.call_value("PyObject_Size", &[v]);
                self.check_neg(ins, n);
                let r = self.b.call_value("PyLong_FromSsize_t", &[n]);
                self.check_null(ins, r);
                self.push(r);
            }
            MATCH_MAPPING | MATCH_SEQUENCE => {
                let mask = if ins.base_op() == MATCH_MAPPING {
                    TPFLAGS_MAPPING
                } else {
                    TPFLAGS_SEQUENCE
                };
                let subject = self.peek(ins, 1)?;
                let m = self.b.iconst(Type::I64, mask);
                let r = self.b.call_value("s6_rt_match_type_flag", &[subject, m]);
                self.push(r);
            }
            MATCH_CLASS => {
                // [subject, type, names] -> [attrs or None]; on error the subject stays.
                let names = self.pop(ins)?;
                let ty = self.pop(ins)?;
                let subject = self.peek(ins, 1)?;
                let n = self.i32c(arg);
                let r = self
                    .b
                    .call_value("s6_rt_match_class", &[subject, ty, names, n]);
                self.b.decref(names);
                self.b.decref(ty);
                self.check_null(ins, r);
                self.pop(ins)?;
                self.b.decref(subject);
                self.push(r);
            }
            MATCH_KEYS => {
                // [subject, keys] -> [subject, keys, values or None].
                let keys = self.peek(ins, 1)?;
                let subject = self.peek(ins, 2)?;
                let r = self.b.call_value("s6_rt_match_keys", &[subject, keys]);
                self.check_null(ins, r);
                self.push(r);
            }
            _ => unreachable!("value_op called for {}", ins.name()),
        }
        Ok(Flow::Next)
    }
}
