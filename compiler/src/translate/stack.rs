//! Locals, constants and pure stack shuffles: `LOAD_FAST`, `LOAD_CONST`, `STORE_FAST`,
//! `DELETE_FAST`, `LOAD_CLOSURE`, `POP_TOP`, `PUSH_NULL`, `COPY`, `SWAP`.

use super::TranslateError;
use super::context::{Flow, Translator};
use s6_py311::Instr;
use s6_py311::opcodes::*;

impl Translator<'_> {
    pub fn stack_op(&mut self, ins: &Instr) -> Result<Flow, TranslateError> {
        let arg = ins.arg;
        match ins.base_op() {
            LOAD_FAST => {
                let v = self.load_local_checked(ins, arg)?;
                self.b.incref(v);
                self.push(v);
            }
            LOAD_CLOSURE => {
                // The cell object in a cell/free slot, which helpers (MAKE_CELL,
                // COPY_FREE_VARS) write: a plain frame load, so that `load_local` and
                // `store_local` only ever address plain fast locals (see `ssa_locals`).
                let f = self.b.frame();
                let off =
                    s6_py311::layout::frame::LOCALSPLUS + 8 * self.check_local(ins, arg)? as i32;
                let v = self.b.load(s6_strongjit::Type::Obj, f, off);
                self.deopt_if_null(ins, v, "unbound local");
                self.b.incref(v);
                self.push(v);
            }
            LOAD_CONST => {
                if arg as usize >= self.code.consts.len() {
                    return Err(self.malformed(ins, "constant index out of range"));
                }
                let v = self.b.load_const(arg);
                self.type_constant(v, arg);
                self.b.incref(v);
                self.push(v);
            }
            STORE_FAST => {
                self.check_local(ins, arg)?;
                let v = self.pop(ins)?;
                self.b.store_local(arg, v);
            }
            DELETE_FAST => {
                let v = self.b.load_local(self.check_local(ins, arg)?);
                self.deopt_if_null(ins, v, "unbound local");
                let n = self.b.null();
                self.b.store_local(arg, n);
            }
            POP_TOP => {
                let v = self.pop(ins)?;
                self.b.decref(v);
            }
            PUSH_NULL => {
                let n = self.b.null();
                self.push(n);
            }
            COPY => {
                let v = self.peek(ins, arg as usize)?;
                self.b.incref(v);
                self.push(v);
            }
            SWAP => {
                let n = arg as usize;
                if n == 0 || n > self.stack.len() {
                    return Err(self.malformed(ins, "stack underflow"));
                }
                let len = self.stack.len();
                self.stack.swap(len - 1, len - n);
            }
            _ => unreachable!("stack_op called for {}", ins.name()),
        }
        Ok(Flow::Next)
    }

    /// The Python type of constant `index` on `v`, and its value when numeric.
    fn type_constant(&mut self, v: s6_strongjit::Value, index: u32) {
        use s6_py311::marshal::Const;
        use s6_strongjit::{ConstValue, PyType};
        let c = &self.code.consts[index as usize];
        let t = match c {
            Const::None => PyType::NONE_TYPE,
            Const::True | Const::False => PyType::BOOL,
            Const::Int(_) => PyType::LONG_EXACT,
            Const::Float(_) => PyType::FLOAT_EXACT,
            Const::Str(_) | Const::StrBytes(_) => PyType::STR_EXACT,
            Const::Bytes(_) => PyType::BYTES_EXACT,
            Const::Tuple(_) => PyType::TUPLE_EXACT,
            Const::FrozenSet(_) => PyType::FROZENSET_EXACT,
            _ => PyType::OBJECT,
        };
        let f = self.b.func_mut();
        f.set_pytype(v, t);
        match c {
            Const::Int(i) => {
                if let Some(x) = i.as_i64() {
                    f.set_const_value(index, ConstValue::Int(x));
                }
            }
            Const::Float(x) => f.set_const_value(index, ConstValue::Float(x.to_bits())),
            _ => {}
        }
    }

    fn check_local(&self, ins: &Instr, i: u32) -> Result<u32, TranslateError> {
        if i >= self.nlocalsplus {
            return Err(self.malformed(ins, "local index out of range"));
        }
        Ok(i)
    }

    /// `load_local i`, deopting at `ins` when it may be unbound and is (the interpreter raises
    /// `UnboundLocalError` with its exact message).
    fn load_local_checked(
        &mut self,
        ins: &Instr,
        i: u32,
    ) -> Result<s6_strongjit::Value, TranslateError> {
        let v = self.b.load_local(self.check_local(ins, i)?);
        if self.local_may_be_unbound(ins, i) {
            self.deopt_if_null(ins, v, "unbound local");
        }
        Ok(v)
    }
}
