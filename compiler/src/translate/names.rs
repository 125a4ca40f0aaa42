//! Names: globals and builtins, attributes, cells and free variables, imports,
//! `LOAD_BUILD_CLASS`, `LOAD_ASSERTION_ERROR`.

use super::TranslateError;
use super::context::{Flow, Translator};
use s6_py311::Instr;
use s6_py311::opcodes::*;

impl Translator<'_> {
    fn name(&mut self, ins: &Instr, index: u32) -> Result<s6_strongjit::Value, TranslateError> {
        if index as usize >= self.code.names.len() {
            return Err(self.malformed(ins, "name index out of range"));
        }
        Ok(self.b.load_name(index))
    }

    fn cell_index(&mut self, ins: &Instr) -> Result<s6_strongjit::Value, TranslateError> {
        if ins.arg >= self.nlocalsplus {
            return Err(self.malformed(ins, "cell index out of range"));
        }
        Ok(self.i32c(ins.arg))
    }

    pub fn name_op(&mut self, ins: &Instr) -> Result<Flow, TranslateError> {
        let arg = ins.arg;
        let f = self.b.frame();
        match ins.base_op() {
            LOAD_GLOBAL => {
                let name = self.name(ins, arg >> 1)?;
                let cache = self.b.site_cache();
                let v = self
                    .b
                    .call_value("s6_rt_load_global_cached", &[f, name, cache]);
                self.check_null(ins, v);
                if arg & 1 != 0 {
                    let n = self.b.null();
                    self.push(n);
                }
                self.push(v);
            }
            STORE_GLOBAL => {
                let name = self.name(ins, arg)?;
                let v = self.pop(ins)?;
                let cache = self.b.site_cache();
                let r = self
                    .b
                    .call_value("s6_rt_store_global_cached", &[f, name, v, cache]);
                self.b.decref(v);
                self.check_neg(ins, r);
            }
            DELETE_GLOBAL => {
                let name = self.name(ins, arg)?;
                let r = self.b.call_value("s6_rt_delete_global", &[f, name]);
                self.check_neg(ins, r);
            }
            LOAD_ATTR => {
                let name = self.name(ins, arg)?;
                let owner = self.pop(ins)?;
                let cache = self.b.site_cache();
                let v = self
                    .b
                    .call_value("s6_rt_load_attr_cached", &[owner, name, cache]);
                self.b.decref(owner);
                self.check_null(ins, v);
                self.push(v);
            }
            STORE_ATTR => {
                let name = self.name(ins, arg)?;
                let owner = self.pop(ins)?;
                let v = self.pop(ins)?;
                let cache = self.b.site_cache();
                let r = self
                    .b
                    .call_value("s6_rt_store_attr_cached", &[owner, name, v, cache]);
                self.b.decref(v);
                self.b.decref(owner);
                self.check_neg(ins, r);
            }
            DELETE_ATTR => {
                let name = self.name(ins, arg)?;
                let owner = self.pop(ins)?;
                let null = self.b.null();
                let r = self.b.call_value("PyObject_SetAttr", &[owner, name, null]);
                self.b.decref(owner);
                self.check_neg(ins, r);
            }
            LOAD_DEREF => {
                // `frame->localsplus[i]` is the cell (MAKE_CELL and COPY_FREE_VARS put it there
                // before any LOAD_DEREF, and nothing replaces it): its content, inline.
                if arg >= self.nlocalsplus {
                    return Err(self.malformed(ins, "cell index out of range"));
                }
                let at = s6_py311::layout::frame::LOCALSPLUS + 8 * arg as i32;
                let cell = self.b.load(s6_strongjit::Type::Obj, f, at);
                let v = self.b.load(
                    s6_strongjit::Type::Obj,
                    cell,
                    s6_py311::layout::cell::OB_REF,
                );
                self.deopt_if_null(ins, v, "unbound cell");
                self.b.incref(v);
                self.push(v);
            }
            STORE_DEREF => {
                let i = self.cell_index(ins)?;
                let v = self.pop(ins)?;
                self.b.call("s6_rt_store_deref", &[f, i, v]);
            }
            DELETE_DEREF => {
                let i = self.cell_index(ins)?;
                let r = self.b.call_value("s6_rt_delete_deref", &[f, i]);
                let empty = self.nonzero(r);
                let fs = self.fs_at(ins);
                self.b.deopt_if(empty, fs, "unbound cell");
            }
            MAKE_CELL => {
                let i = self.cell_index(ins)?;
                let r = self.b.call_value("s6_rt_make_cell", &[f, i]);
                self.check_neg(ins, r);
            }
            COPY_FREE_VARS => {
                let n = arg;
                if n > self.nlocalsplus || n as usize != self.code.nfreevars() {
                    return Err(
                        self.malformed(ins, "COPY_FREE_VARS count differs from co_nfreevars")
                    );
                }
                let offset = self.i32c(self.nlocalsplus - n);
                let count = self.i32c(n);
                self.b.call("s6_rt_copy_free_vars", &[f, offset, count]);
            }
            IMPORT_NAME => {
                let name = self.name(ins, arg)?;
                let fromlist = self.pop(ins)?;
                let level = self.pop(ins)?;
                let v = self
                    .b
                    .call_value("s6_rt_import_name", &[f, name, fromlist, level]);
                self.b.decref(fromlist);
                self.b.decref(level);
                self.check_null(ins, v);
                self.push(v);
            }
            IMPORT_FROM => {
                let name = self.name(ins, arg)?;
                let from = self.peek(ins, 1)?;
                let v = self.b.call_value("s6_rt_import_from", &[from, name]);
                self.check_null(ins, v);
                self.push(v);
            }
            LOAD_BUILD_CLASS => {
                let v = self.b.call_value("s6_rt_load_build_class", &[f]);
                self.check_null(ins, v);
                self.push(v);
            }
            LOAD_ASSERTION_ERROR => {
                let v = self.b.call_value("s6_rt_assertion_error", &[]);
                self.push(v);
            }
            _ => unreachable!("name_op called for {}", ins.name()),
        }
        Ok(Flow::Next)
    }
}
