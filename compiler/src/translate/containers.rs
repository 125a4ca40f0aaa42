//! Containers and strings: `BUILD_*` (through frame slots), comprehension appends, the
//! unpacking-call updates, `LIST_TO_TUPLE`, `UNPACK_SEQUENCE`/`UNPACK_EX`, `FORMAT_VALUE`.

use super::TranslateError;
use super::context::{Flow, Translator};
use s6_py311::Instr;
use s6_py311::layout::{list, object, tuple};
use s6_py311::opcodes::*;
use s6_strongjit::{IntCC, Opcode, Type, Value, WellKnown};

impl Translator<'_> {
    /// A `BUILD_*` through a frame-slot helper consuming the top `n` values.
    fn build(
        &mut self,
        ins: &Instr,
        helper: &str,
        n: usize,
        count: u32,
    ) -> Result<(), TranslateError> {
        let vals = self.popn(ins, n)?;
        let base = self.stack.len();
        self.store_slots(base, &vals);
        let f = self.b.frame();
        let slot = self.i32c(self.slot_index(base));
        let count = self.i32c(count);
        let r = self.b.call_value(helper, &[f, slot, count]);
        self.check_null(ins, r);
        self.push(r);
        Ok(())
    }

    /// `container.op(item)` for `LIST_APPEND`-like instructions (`PEEK(oparg)` after popping
    /// the item); `item` is released after the call.
    fn add_to(&mut self, ins: &Instr, callee: &str) -> Result<(), TranslateError> {
        let item = self.pop(ins)?;
        let container = self.peek(ins, ins.arg as usize)?;
        let r = self.b.call_value(callee, &[container, item]);
        self.b.decref(item);
        self.check_neg(ins, r);
        Ok(())
    }

    pub fn container_op(&mut self, ins: &Instr) -> Result<Flow, TranslateError> {
        let arg = ins.arg;
        let n = arg as usize;
        match ins.base_op() {
            BUILD_TUPLE => self.build(ins, "s6_rt_build_tuple", n, arg)?,
            BUILD_LIST => self.build(ins, "s6_rt_build_list", n, arg)?,
            BUILD_SET => self.build(ins, "s6_rt_build_set", n, arg)?,
            BUILD_STRING => self.build(ins, "s6_rt_build_string", n, arg)?,
            BUILD_MAP => self.build(ins, "s6_rt_build_map", 2 * n, arg)?,
            BUILD_CONST_KEY_MAP => self.build(ins, "s6_rt_build_const_key_map", n + 1, arg)?,
            BUILD_SLICE => {
                let step = if arg == 3 { Some(self.pop(ins)?) } else { None };
                let stop = self.pop(ins)?;
                let start = self.pop(ins)?;
                let step_arg = match step {
                    Some(s) => s,
                    None => self.b.null(),
                };
                let r = self.b.call_value("PySlice_New", &[start, stop, step_arg]);
                self.b.decref(start);
                self.b.decref(stop);
                if let Some(s) = step {
                    self.b.decref(s);
                }
                self.check_null(ins, r);
                self.push(r);
            }
            LIST_APPEND => self.add_to(ins, "PyList_Append")?,
            SET_ADD => self.add_to(ins, "PySet_Add")?,
            LIST_EXTEND => self.add_to(ins, "s6_rt_list_extend")?,
            SET_UPDATE => self.add_to(ins, "s6_rt_set_update")?,
            DICT_UPDATE => self.add_to(ins, "s6_rt_dict_update")?,
            MAP_ADD => {
                let value = self.pop(ins)?;
                let key = self.pop(ins)?;
                let map = self.peek(ins, n)?;
                let r = self.b.call_value("PyDict_SetItem", &[map, key, value]);
                self.b.decref(key);
                self.b.decref(value);
                self.check_neg(ins, r);
            }
            DICT_MERGE => {
                let update = self.pop(ins)?;
                let dict = self.peek(ins, n)?;
                let func = self.peek(ins, n + 2)?;
                let r = self.b.call_value("s6_rt_dict_merge", &[func, dict, update]);
                self.b.decref(update);
                self.check_neg(ins, r);
            }
            LIST_TO_TUPLE => {
                let list = self.pop(ins)?;
                let r = self.b.call_value("PyList_AsTuple", &[list]);
                self.b.decref(list);
                self.check_null(ins, r);
                self.push(r);
            }
            UNPACK_SEQUENCE | UNPACK_EX => {
                let (helper, count) = if ins.base_op() == UNPACK_SEQUENCE {
                    ("s6_rt_unpack_sequence", n)
                } else {
                    ("s6_rt_unpack_ex", 1 + (n & 0xff) + (n >> 8))
                };
                let seq = self.pop(ins)?;
                let base = self.stack.len();
                if base + count > self.code.stacksize as usize {
                    return Err(self.malformed(ins, "unpacks beyond co_stacksize"));
                }
                // An exact tuple or list of the right size: its items, in machine code (the
                // helper's own fast path, without the call and the frame slots). One path for
                // both: a tuple's items start at `ob_item`, a list's at the array `ob_item`
                // points to, and reading that word of a tuple (its first item, which exists:
                // the size is `count` > 0) is harmless, so a select picks the array.
                let join = self.b.create_block();
                let items: Vec<Value> = (0..count)
                    .map(|_| self.b.append_block_param(join, Type::Obj))
                    .collect();
                if ins.base_op() == UNPACK_SEQUENCE && count > 0 {
                    let (hit, slow) = (self.b.create_block(), self.b.create_block());
                    let t = self.b.load(Type::Obj, seq, object::OB_TYPE);
                    let tuple_type = self.b.const_obj(WellKnown::TupleType);
                    let list_type = self.b.const_obj(WellKnown::ListType);
                    let is_tuple = self.b.icmp(IntCC::Eq, t, tuple_type);
                    let is_list = self.b.icmp(IntCC::Eq, t, list_type);
                    let either = self.b.binary(Opcode::Or, is_tuple, is_list);
                    let size = self.b.load(Type::I64, seq, tuple::OB_SIZE);
                    let n = self.b.iconst(Type::I64, count as i64);
                    let fits = self.b.icmp(IntCC::Eq, size, n);
                    let both = self.b.binary(Opcode::And, either, fits);
                    self.b.branch(both, hit, &[], slow, &[]);
                    self.b.switch_to_block(hit);
                    let list_items = self.b.load(Type::Ptr, seq, list::OB_ITEM);
                    let offset = self.b.iconst(Type::I64, tuple::OB_ITEM as i64);
                    let tuple_items = self.b.ptr_add(seq, offset);
                    let array = self.b.select(is_tuple, tuple_items, list_items);
                    // The stack gets the last item deepest, the first on top.
                    let vals: Vec<Value> = (0..count)
                        .rev()
                        .map(|i| {
                            let v = self.b.load(Type::Obj, array, 8 * i as i32);
                            self.b.incref(v);
                            v
                        })
                        .collect();
                    self.b.decref(seq);
                    self.b.jump(join, &vals);
                    self.b.set_cold(slow);
                    self.b.switch_to_block(slow);
                }
                let f = self.b.frame();
                let slot = self.i32c(self.slot_index(base));
                let a = self.i32c(arg);
                let r = self.b.call_value(helper, &[f, slot, seq, a]);
                self.b.decref(seq);
                self.check_neg(ins, r);
                let vals: Vec<Value> = (0..count).map(|k| self.load_slot(base + k)).collect();
                self.b.jump(join, &vals);
                self.b.switch_to_block(join);
                for v in items {
                    self.push(v);
                }
            }
            FORMAT_VALUE => {
                let spec = if arg & 4 != 0 {
                    Some(self.pop(ins)?)
                } else {
                    None
                };
                let value = self.pop(ins)?;
                let spec_arg = match spec {
                    Some(s) => s,
                    None => self.b.null(),
                };
                let a = self.i32c(arg);
                let r = self
                    .b
                    .call_value("s6_rt_format_value", &[value, spec_arg, a]);
                self.b.decref(value);
                if let Some(s) = spec {
                    self.b.decref(s);
                }
                self.check_null(ins, r);
                self.push(r);
            }
            _ => unreachable!("container_op called for {}", ins.name()),
        }
        Ok(Flow::Next)
    }
}
