//! Operators on values: `BINARY_OP`, subscripts, comparisons, `IS_OP`/`CONTAINS_OP`, unary
//! operators, `GET_ITER`, `GET_LEN`, `MATCH_*`. Generic C-API and helper calls.

use super::TranslateError;
use super::context::{Flow, Translator};
use s6_py311::Instr;
use s6_py311::opcodes::*;
use s6_strongjit::{IntCC, PyOp, Type};

/// `Py_TPFLAGS_SEQUENCE` / `Py_TPFLAGS_MAPPING`.
const TPFLAGS_SEQUENCE: i64 = 1 << 5;
const TPFLAGS_MAPPING: i64 = 1 << 6;

impl Translator<'_> {
    /// `py.OP` over the top `op.arity()` stack values (bottom first): pops them, releases
    /// them after the operation, and checks its result (NULL or negative) at the error state.
    /// Pushes the result if it is an object. The operation carries the state before `ins` (its
    /// operands still on the stack) for passes that specialize it.
    fn py_op(&mut self, ins: &Instr, op: PyOp) -> Result<s6_strongjit::Value, TranslateError> {
        let before = self.fs_at(ins);
        let args = self.popn(ins, op.arity())?;
        let r = self.b.py(op, &args, before);
        for &a in &args {
            self.b.decref(a);
        }
        if op.result_type() == Type::Obj {
            self.check_null(ins, r);
            self.push(r);
        } else {
            self.check_neg(ins, r);
        }
        Ok(r)
    }

    pub fn value_op(&mut self, ins: &Instr) -> Result<Flow, TranslateError> {
        let arg = ins.arg;
        match ins.base_op() {
            BINARY_OP => {
                if arg > 25 {
                    return Err(self.malformed(ins, "unknown BINARY_OP oparg"));
                }
                self.py_op(ins, PyOp::Binary(arg as u8))?;
            }
            BINARY_SUBSCR => {
                self.py_op(ins, PyOp::GetItem)?;
            }
            COMPARE_OP => {
                if arg > 5 {
                    return Err(self.malformed(ins, "unknown COMPARE_OP oparg"));
                }
                self.py_op(ins, PyOp::Compare(arg as u8))?;
            }
            STORE_SUBSCR => {
                // Stack: [value, container, key]; PyObject_SetItem(container, key, value).
                let before = self.fs_at(ins);
                let sub = self.pop(ins)?;
                let container = self.pop(ins)?;
                let v = self.pop(ins)?;
                let r = self.b.py(PyOp::SetItem, &[container, sub, v], before);
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
                let r = self.b.box_bool(c);
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
                let v = self.b.box_bool(c);
                self.push(v);
            }
            UNARY_NEGATIVE => {
                self.py_op(ins, PyOp::Neg)?;
            }
            UNARY_INVERT => {
                self.py_op(ins, PyOp::Invert)?;
            }
            UNARY_POSITIVE | GET_ITER => {
                let callee = match ins.base_op() {
                    UNARY_POSITIVE => "PyNumber_Positive",
                    _ => "PyObject_GetIter",
                };
                let v = self.pop(ins)?;
                let r = self.b.call_value(callee, &[v]);
                self.b.decref(v);
                self.check_null(ins, r);
                self.push(r);
            }
            UNARY_NOT => {
                // `PyObject_Not` is `PyObject_IsTrue` negated: the truth operation, which
                // specialization answers inline for `True`, `False` and `None`.
                let before = self.fs_at(ins);
                let v = self.pop(ins)?;
                let r = self.b.py(PyOp::Truth, &[v], before);
                self.b.decref(v);
                self.check_neg(ins, r);
                let z = self.b.iconst(Type::I32, 0);
                let c = self.b.icmp(IntCC::Eq, r, z);
                let b = self.b.box_bool(c);
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
