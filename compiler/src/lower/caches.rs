//! The hit paths of the site-cache helpers in machine code: a `call s6_rt_load_attr_cached`
//! (and the store, method and global forms) becomes the cache check of the helper's most
//! common entry, inline, with the call itself only on a miss. The cache layout is the native
//! ABI contract (`s6_profiles::abi::site_cache`); the helper alone fills caches, so the inline
//! code only reads them and never decides anything the helper would not. Under
//! `S6_DEOPT_STRESS` the helper is always called (it then misses on purpose in turn).
//!
//! The first [`INLINE_ENTRIES`] entries of a polymorphic cache (instance attributes, stores,
//! methods) are checked inline, so a site that sees a few classes hits without the helper;
//! entries beyond, and the other kinds' polymorphism, are the helper's.
//!
//! Only the layouts the profile saw at a site get their hit path ([`site_layouts`]): an
//! attribute site where CPython specialized for instance values alone has no slot, `__dict__`
//! or class-attribute path (a few hundred bytes each); another layout there takes the helper.

use cranelift_codegen::ir::{self, InstBuilder, MemFlagsData, condcodes::IntCC, types};
use cranelift_frontend::FunctionBuilder;
use s6_profiles::abi::site_cache::{
    ATTR_INSTANCE_VALUE, BUILTIN, CLASS_ATTR, CLASSMETHOD_DESCR, ENTRY, GLOBAL, IN_DICT, KIND,
    METHOD, METHOD_DICT_OK, NO_DICT, SLOT, STATICMETHOD_DESCR, STORE_INSTANCE_VALUE,
};
use s6_py311::layout::{dict, dict_keys, frame, function, object, type_obj};

use s6_strongjit::{Function, Inst, Operands};

use super::builder::Lowerer;
use super::refcount;

/// Entries of a polymorphic site cache checked in machine code before the helper.
const INLINE_ENTRIES: i32 = s6_profiles::abi::site_cache::INLINE_ENTRIES as i32;

/// The helpers whose hit path is inlined.
pub(crate) fn is_inlined(name: &str) -> bool {
    matches!(
        name,
        "s6_rt_load_attr_cached"
            | "s6_rt_probe_attr_cached"
            | "s6_rt_probe_method_cached"
            | "s6_rt_probe_global_cached"
            | "s6_rt_store_attr_cached"
            | "s6_rt_load_method_cached"
            | "s6_rt_load_global_cached"
            | "s6_rt_store_global_cached"
    )
}

/// Whether the site-cache helper call or `s6_rt_call` `i` gets its inline fast path: not in a
/// cold function (`Function::cold`), nor at a site of a kind CPython specializes
/// (`LOAD_GLOBAL`, `LOAD_ATTR`, `STORE_ATTR`, `LOAD_METHOD`, `PRECALL`/`CALL`) that has no
/// feedback at all in a function that has some: 3.11 specializes such an instruction at its
/// first executions once the code is quickened, so a site without feedback did not run after
/// the function warmed up (an error path, a rare branch). Its helper call does the same work
/// in a few bytes instead of hundreds, which the instruction cache of large functions needs
/// (python-chess's `Board.push` was 190 KB).
pub(crate) fn inline_site(f: &Function, i: Inst) -> bool {
    if f.cold {
        return false;
    }
    let d = f.inst(i);
    let Operands::Call { callee, .. } = &d.operands else {
        return true;
    };
    let specialized_by_cpython = matches!(
        callee.name,
        "s6_rt_load_global_cached"
            | "s6_rt_load_attr_cached"
            | "s6_rt_store_attr_cached"
            | "s6_rt_load_method_cached"
            | "s6_rt_call"
    );
    let (true, false, Some(at)) = (specialized_by_cpython, f.feedback.is_empty(), d.loc) else {
        return true;
    };
    f.site(at).is_some() || (callee.name == "s6_rt_call" && at >= 2 && f.site(at - 2).is_some())
}

/// The receiver layouts whose hit paths a site gets (the others take the helper).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Layouts {
    /// Instance values (`LOAD_ATTR_INSTANCE_VALUE`, `STORE_ATTR_INSTANCE_VALUE`).
    pub(crate) values: bool,
    /// `__slots__` members.
    pub(crate) slot: bool,
    /// A materialized `__dict__` (`*_WITH_HINT`, `LOAD_METHOD_WITH_DICT`).
    pub(crate) dict: bool,
    /// Anything else the cache can hold (class attributes read off the class).
    pub(crate) other: bool,
}

impl Layouts {
    pub(crate) const ALL: Layouts = Layouts {
        values: true,
        slot: true,
        dict: true,
        other: true,
    };
}

/// The layouts of the receivers the profile saw at the attribute or method site `i`: every
/// snapshot of the site specialized for instance attributes (`LOAD_ATTR_INSTANCE_VALUE`,
/// `_SLOT`, `_WITH_HINT`, the `STORE_ATTR_*` forms) or, at a method site, for a method of an
/// instance without a materialized `__dict__` (`LOAD_METHOD_WITH_VALUES`, `_NO_DICT`): those
/// layouts only. Every layout at a site without feedback or where a snapshot saw anything
/// else (an adaptive form, a class or module attribute, a dict).
pub(crate) fn site_layouts(f: &Function, i: Option<Inst>) -> Layouts {
    use s6_strongjit::feedback::{AttrKind, Feedback};
    let Some(site) = site_of(f, i) else {
        return Layouts::ALL;
    };
    let mut seen = Layouts {
        values: false,
        slot: false,
        dict: false,
        other: false,
    };
    for o in &site.0.observations {
        match &o.feedback {
            Feedback::Attr {
                how: AttrKind::InstanceValue { .. },
                ..
            } => seen.values = true,
            Feedback::Attr {
                how: AttrKind::Slot { .. },
                ..
            } => seen.slot = true,
            Feedback::Attr {
                how: AttrKind::DictHint { .. },
                ..
            } => seen.dict = true,
            Feedback::Attr {
                op,
                how: AttrKind::Method { .. },
                ..
            } if op == "LOAD_METHOD_WITH_VALUES" || op == "LOAD_METHOD_NO_DICT" => {
                seen.values = true
            }
            _ => return Layouts::ALL,
        }
    }
    if site.0.observations.is_empty() {
        Layouts::ALL
    } else {
        seen
    }
}

/// The feedback of the site of instruction `i`, if the profile has any. None for the probes of
/// inlined code, whose location is the call's while the site they load for is the callee's.
fn site_of(f: &Function, i: Option<Inst>) -> Option<s6_strongjit::feedback::SiteFacts<'_>> {
    let i = i?;
    if let Operands::Call { callee, .. } = &f.inst(i).operands
        && callee.name.starts_with("s6_rt_probe_")
    {
        return None;
    }
    f.inst(i).loc.and_then(|at| f.site(at))
}

/// Continues in the layout's hit path when the profile saw it (`seen`); otherwise ends the
/// current block with a jump to the helper (`slow`).
fn seen_or_helper(b: &mut FunctionBuilder, seen: bool, slow: ir::Block) -> bool {
    if !seen {
        b.ins().jump(slow, &[]);
    }
    seen
}

/// Whether the profile saw the `LOAD_GLOBAL` site `i` read a global and a builtin
/// (`LOAD_GLOBAL_MODULE`, `LOAD_GLOBAL_BUILTIN`): both at a site without feedback or where a
/// snapshot saw anything else.
pub(crate) fn global_kinds(f: &Function, i: Option<Inst>) -> (bool, bool) {
    use s6_strongjit::feedback::Feedback;
    let Some(site) = site_of(f, i) else {
        return (true, true);
    };
    let (mut global, mut builtin) = (false, false);
    for o in &site.0.observations {
        match &o.feedback {
            Feedback::Global { builtin: true, .. } => builtin = true,
            Feedback::Global { builtin: false, .. } => global = true,
            _ => return (true, true),
        }
    }
    if global || builtin {
        (global, builtin)
    } else {
        (true, true)
    }
}

/// The name operand of a site-cache call: a value, or a `load_name` lowered on the paths that
/// need it (`sink`).
#[derive(Clone, Copy)]
pub(crate) enum Name {
    Value(ir::Value),
    Sunk(u32),
}

impl Lowerer<'_> {
    /// The name, loaded here when it was sunk.
    pub(crate) fn name_value(&mut self, b: &mut FunctionBuilder, name: Name) -> ir::Value {
        match name {
            Name::Value(v) => v,
            Name::Sunk(index) => self.tuple_item(b, s6_py311::layout::code::CO_NAMES, index),
        }
    }

    /// Lowers a call of a site-cache helper: the inline hit path, the call on a miss. Returns
    /// the call's result (both paths join with it).
    pub(crate) fn cached_call(
        &mut self,
        b: &mut FunctionBuilder,
        name: &str,
        args: &[ir::Value],
        name_arg: Name,
        call: &mut dyn FnMut(&mut Self, &mut FunctionBuilder) -> ir::Value,
    ) -> ir::Value {
        // A probe hits where a load hits (its miss path is its own helper, `call`).
        let probe = name.starts_with("s6_rt_probe_");
        let name = match name {
            "s6_rt_probe_attr_cached" => "s6_rt_load_attr_cached",
            "s6_rt_probe_method_cached" => "s6_rt_load_method_cached",
            "s6_rt_probe_global_cached" => "s6_rt_load_global_cached",
            other => other,
        };
        let tr = MemFlagsData::trusted();
        let ret_ty = if name == "s6_rt_store_attr_cached" || name == "s6_rt_store_global_cached" {
            types::I32
        } else {
            types::I64
        };
        let (slow, done) = (b.create_block(), b.create_block());
        let result = b.append_block_param(done, ret_ty);
        b.set_cold_block(slow);
        // Stress: always the helper.
        if let Some(every) = self.stress {
            let go = b.create_block();
            b.ins().brif(every, slow, &[], go, &[]);
            b.switch_to_block(go);
        }
        let cache = match name {
            "s6_rt_load_attr_cached" => args[2],
            "s6_rt_store_attr_cached" => args[3],
            "s6_rt_load_method_cached" => args[3],
            "s6_rt_store_global_cached" => args[3],
            _ => args[2],
        };
        let kind = b.ins().load(types::I32, tr, cache, KIND);
        let want = match name {
            "s6_rt_load_attr_cached" => ATTR_INSTANCE_VALUE,
            "s6_rt_store_attr_cached" => STORE_INSTANCE_VALUE,
            "s6_rt_load_method_cached" => METHOD,
            _ => GLOBAL,
        };
        let hit: ir::Value = if name == "s6_rt_load_global_cached" {
            let entry = b.ins().load(types::I64, tr, cache, ENTRY);
            let seen = global_kinds(self.f, self.cur);
            // A probe's first argument is the called function, whose own globals it reads.
            let dicts = if probe {
                (function::FUNC_GLOBALS, function::FUNC_BUILTINS)
            } else {
                (frame::F_GLOBALS, frame::F_BUILTINS)
            };
            self.global_hit(b, args[0], dicts, cache, kind, entry, seen, slow)
        } else if name == "s6_rt_store_global_cached" {
            self.expect(b, kind, GLOBAL, slow);
            let entry = b.ins().load(types::I64, tr, cache, ENTRY);
            self.global_store_hit(b, args[0], args[2], entry, slow)
        } else {
            let owner = args[0];
            let layouts = site_layouts(self.f, self.cur);
            if name == "s6_rt_load_attr_cached" && !layouts.other {
                self.expect(b, kind, ATTR_INSTANCE_VALUE, slow);
            } else if name == "s6_rt_load_attr_cached" {
                // A class attribute read off the class (`Direction.FORWARD`): its own path.
                let (instance, other) = (b.create_block(), b.create_block());
                let is_instance =
                    b.ins()
                        .icmp_imm_u(IntCC::Equal, kind, i64::from(ATTR_INSTANCE_VALUE));
                b.ins().brif(is_instance, instance, &[], other, &[]);
                b.switch_to_block(other);
                self.expect(b, kind, CLASS_ATTR, slow);
                let v = self.class_attr_hit(b, owner, cache, slow);
                b.ins().jump(done, &[v.into()]);
                b.switch_to_block(instance);
            } else {
                self.expect(b, kind, want, slow);
            }
            // The entry whose type version is the receiver type's. A type without a valid
            // version has tag 0 (3.11's `type_modified` clears it), which no entry in use
            // holds (the helper never caches version 0); `find_entry` sends it to the helper
            // before it compares entries that may be unused (zero).
            let t = b.ins().load(types::I64, tr, owner, object::OB_TYPE);
            let version = b.ins().uload32(tr, t, type_obj::TP_VERSION_TAG);
            let per = if name == "s6_rt_load_method_cached" {
                2
            } else {
                1
            };
            let (at, entry_base) = self.find_entry(b, cache, version, per, slow);
            match name {
                "s6_rt_load_attr_cached" => self.attr_hit(b, owner, name_arg, at, layouts, slow),
                "s6_rt_store_attr_cached" => {
                    self.store_hit(b, owner, name_arg, args[2], at, layouts, slow)
                }
                _ => self.method_hit(
                    b, owner, t, name_arg, at, entry_base, args[2], layouts, slow,
                ),
            }
        };
        b.ins().jump(done, &[hit.into()]);
        b.switch_to_block(slow);
        let r = call(self, b);
        b.ins().jump(done, &[r.into()]);
        b.switch_to_block(done);
        result
    }

    /// Finds the entry (of `per` words) of a polymorphic cache whose type version is
    /// `version`, among the first [`INLINE_ENTRIES`]; continues with its low word
    /// (`where`/shape, i32) and the address the entry's words start at minus `ENTRY` (so that
    /// `ENTRY + 8` from it is the entry's second word), or goes to `slow` (the helper searches
    /// the rest, and fills). A polymorphic site (`t.fn()` over four task classes) then hits
    /// inline as a monomorphic one does.
    ///
    /// Each entry costs one compare of its version half in memory: `count` is not read. The
    /// first entry is in use in any cache of a polymorphic kind; the runtime keeps every word
    /// outside the entries in use zero (`SiteCache::clear`), and a version is never 0 once
    /// assigned, so after the first entry a receiver type without a version (tag 0) goes to
    /// the helper.
    fn find_entry(
        &mut self,
        b: &mut FunctionBuilder,
        cache: ir::Value,
        version: ir::Value,
        per: i32,
        slow: ir::Block,
    ) -> (ir::Value, ir::Value) {
        let tr = MemFlagsData::trusted();
        let found = b.create_block();
        let base = b.append_block_param(found, types::I64);
        let version = b.ins().ireduce(types::I32, version);
        for i in 0..INLINE_ENTRIES {
            if i == 1 {
                let unversioned = b.ins().icmp_imm_u(IntCC::Equal, version, 0);
                self.miss_if(b, unversioned, slow);
            }
            let off = 8 * per * i;
            // The entry's high half (`version << 32 | ..`, little-endian).
            let cached = b.ins().load(types::I32, tr, cache, ENTRY + off + 4);
            let same = b.ins().icmp(IntCC::Equal, cached, version);
            let entry_base = b.ins().iadd_imm_s(cache, i64::from(off));
            let next = b.create_block();
            b.ins().brif(same, found, &[entry_base.into()], next, &[]);
            b.switch_to_block(next);
        }
        b.ins().jump(slow, &[]);
        b.switch_to_block(found);
        let at = b.ins().load(types::I32, tr, base, ENTRY);
        (at, base)
    }

    /// Continues when `cond` is zero, goes to `slow` otherwise.
    pub(crate) fn miss_if(&mut self, b: &mut FunctionBuilder, cond: ir::Value, slow: ir::Block) {
        let next = b.create_block();
        b.ins().brif(cond, slow, &[], next, &[]);
        b.switch_to_block(next);
    }

    /// Continues when the i32 `v` equals `k`.
    fn expect(&mut self, b: &mut FunctionBuilder, v: ir::Value, k: u32, slow: ir::Block) {
        let differs = b.ins().icmp_imm_u(IntCC::NotEqual, v, i64::from(k));
        self.miss_if(b, differs, slow);
    }

    /// `LOAD_ATTR` of an instance value or slot: a new reference to it.
    fn attr_hit(
        &mut self,
        b: &mut FunctionBuilder,
        owner: ir::Value,
        name: Name,
        at: ir::Value,
        layouts: Layouts,
        slow: ir::Block,
    ) -> ir::Value {
        let tr = MemFlagsData::trusted();
        let flags = b.ins().band_imm_s(at, i64::from((IN_DICT | SLOT) as i32));
        let (slot, values, join) = (b.create_block(), b.create_block(), b.create_block());
        let v = b.append_block_param(join, types::I64);
        // Instance values (neither bit) first: the common shape takes one test.
        let (flagged, in_dict) = (b.create_block(), b.create_block());
        b.ins().brif(flags, flagged, &[], values, &[]);
        b.switch_to_block(flagged);
        let is_slot = b.ins().icmp_imm_u(IntCC::Equal, flags, i64::from(SLOT));
        b.ins().brif(is_slot, slot, &[], in_dict, &[]);
        // In a materialized `__dict__`, at the hinted entry (3.11's LOAD_ATTR_WITH_HINT); the
        // helper looks other layouts up by name.
        b.switch_to_block(in_dict);
        if seen_or_helper(b, layouts.dict, slow) {
            // `UNCACHEABLE` (both bits): the helper's generic lookup, before any read of the
            // instance (whose type need not have a managed dict).
            let uncacheable = b.ins().band_imm_s(at, i64::from(SLOT as i32));
            self.miss_if(b, uncacheable, slow);
            let (d, hint, name) = self.materialized_dict(b, owner, at, name, slow);
            let dv = self.dict_entry_value(b, d, hint, name, slow);
            b.ins().jump(join, &[dv.into()]);
        }
        // `__slots__` member: the object pointer at that offset.
        b.switch_to_block(slot);
        if seen_or_helper(b, layouts.slot, slow) {
            let off = b.ins().band_imm_s(at, i64::from(!SLOT as i32));
            let off = b.ins().uextend(types::I64, off);
            let addr = b.ins().iadd(owner, off);
            let sv = b.ins().load(types::I64, tr, addr, 0);
            b.ins().jump(join, &[sv.into()]);
        }
        // Instance values: values[index], the values array below the object header.
        b.switch_to_block(values);
        if seen_or_helper(b, layouts.values, slow) {
            let vals = b.ins().load(types::I64, tr, owner, object::MANAGED_VALUES);
            let none = b.ins().icmp_imm_u(IntCC::Equal, vals, 0);
            self.miss_if(b, none, slow);
            let index = b.ins().uextend(types::I64, at);
            let byte = b.ins().ishl_imm_s(index, 3);
            let addr = b.ins().iadd(vals, byte);
            let vv = b.ins().load(types::I64, tr, addr, 0);
            b.ins().jump(join, &[vv.into()]);
        }
        b.switch_to_block(join);
        // A deleted attribute (NULL) is the helper's business (it raises AttributeError).
        let missing = b.ins().icmp_imm_u(IntCC::Equal, v, 0);
        self.miss_if(b, missing, slow);
        refcount::incref(b, v);
        v
    }

    /// `LOAD_ATTR` of a class attribute off a class whose metaclass is exactly `type`, from the
    /// first entry of a `CLASS_ATTR` cache: the class still has the entry's version and the
    /// value's type the version the entry recorded (so the value still has no `__get__`); a
    /// new reference to the value. Descriptor entries (`CLASSMETHOD_DESCR`, whose mark no
    /// type version equals) and other entries are the helper's.
    fn class_attr_hit(
        &mut self,
        b: &mut FunctionBuilder,
        owner: ir::Value,
        cache: ir::Value,
        slow: ir::Block,
    ) -> ir::Value {
        let tr = MemFlagsData::trusted();
        let t = b.ins().load(types::I64, tr, owner, object::OB_TYPE);
        let type_type = self.imports.data(b, "PyType_Type");
        let not_class = b.ins().icmp(IntCC::NotEqual, t, type_type);
        self.miss_if(b, not_class, slow);
        let version = b.ins().uload32(tr, owner, type_obj::TP_VERSION_TAG);
        let entry = b.ins().load(types::I64, tr, cache, ENTRY);
        let cached = b.ins().ushr_imm_s(entry, 32);
        let moved = b.ins().icmp(IntCC::NotEqual, cached, version);
        self.miss_if(b, moved, slow);
        let v = b.ins().load(types::I64, tr, cache, ENTRY + 8);
        let vt = b.ins().load(types::I64, tr, v, object::OB_TYPE);
        let value_version = b.ins().uload32(tr, vt, type_obj::TP_VERSION_TAG);
        let low = b.ins().ireduce(types::I32, entry);
        let low = b.ins().uextend(types::I64, low);
        // A descriptor's mark is no type version, even one a counter might reach.
        const _: () = assert!(STATICMETHOD_DESCR < CLASSMETHOD_DESCR);
        let marked = b.ins().icmp_imm_u(
            IntCC::UnsignedGreaterThanOrEqual,
            low,
            i64::from(STATICMETHOD_DESCR),
        );
        self.miss_if(b, marked, slow);
        let changed = b.ins().icmp(IntCC::NotEqual, value_version, low);
        self.miss_if(b, changed, slow);
        refcount::incref(b, v);
        v
    }

    /// `STORE_ATTR` of an instance value (a first assignment also records the insertion order),
    /// slot or existing entry of a materialized `__dict__`: 0. The attribute takes a new
    /// reference to `v`, or the caller's when `store_steals` (the caller's release of `v` is
    /// then on the helper's path only).
    #[allow(clippy::too_many_arguments)]
    fn store_hit(
        &mut self,
        b: &mut FunctionBuilder,
        owner: ir::Value,
        name: Name,
        v: ir::Value,
        at: ir::Value,
        layouts: Layouts,
        slow: ir::Block,
    ) -> ir::Value {
        let tr = MemFlagsData::trusted();
        let flags = b.ins().band_imm_s(at, i64::from((IN_DICT | SLOT) as i32));
        let (slot, values, done) = (b.create_block(), b.create_block(), b.create_block());
        let is_slot = b.ins().icmp_imm_u(IntCC::Equal, flags, i64::from(SLOT));
        let plain = b.ins().icmp_imm_u(IntCC::Equal, flags, 0);
        let (not_slot, in_dict) = (b.create_block(), b.create_block());
        b.ins().brif(is_slot, slot, &[], not_slot, &[]);
        b.switch_to_block(not_slot);
        b.ins().brif(plain, values, &[], in_dict, &[]);
        // An existing entry of a materialized `__dict__`, at the hinted index, as 3.11's
        // `STORE_ATTR_WITH_HINT`: a combined dict with str keys whose entry `hint` has the
        // name and a value; the new value replaces it, the dict gets a new PEP 509 version
        // tag (from `abi::DICT_VERSION`). A dict the collector does not track goes to the
        // helper (the new value may need tracking), as do split dicts and missing entries.
        b.switch_to_block(in_dict);
        if seen_or_helper(b, layouts.dict, slow) {
            let uncacheable = b
                .ins()
                .icmp_imm_u(IntCC::Equal, flags, i64::from(IN_DICT | SLOT));
            self.miss_if(b, uncacheable, slow);
            let (d, hint, name) = self.materialized_dict(b, owner, at, name, slow);
            let e = self.dict_entry(b, d, hint, name, slow);
            let split = b.ins().load(types::I64, tr, d, dict::MA_VALUES);
            self.miss_if(b, split, slow);
            self.replace_dict_value(b, d, (e, dict_keys::DK_INDICES + 8), v, slow);
            b.ins().jump(done, &[]);
        }
        b.switch_to_block(slot);
        if seen_or_helper(b, layouts.slot, slow) {
            let off = b.ins().band_imm_s(at, i64::from(!SLOT as i32));
            let off = b.ins().uextend(types::I64, off);
            let addr = b.ins().iadd(owner, off);
            let old = b.ins().load(types::I64, tr, addr, 0);
            if !self.store_steals {
                refcount::incref(b, v);
            }
            b.ins().store(tr, v, addr, 0);
            let imports = &mut self.imports;
            refcount::if_not_null(b, old, |b| refcount::decref(b, imports, old));
            b.ins().jump(done, &[]);
        }
        b.switch_to_block(values);
        if !seen_or_helper(b, layouts.values, slow) {
            b.switch_to_block(done);
            return b.ins().iconst(types::I32, 0);
        }
        let vals = b.ins().load(types::I64, tr, owner, object::MANAGED_VALUES);
        let none = b.ins().icmp_imm_u(IntCC::Equal, vals, 0);
        self.miss_if(b, none, slow);
        let index = b.ins().uextend(types::I64, at);
        let byte = b.ins().ishl_imm_s(index, 3);
        let addr = b.ins().iadd(vals, byte);
        let old = b.ins().load(types::I64, tr, addr, 0);
        if !self.store_steals {
            refcount::incref(b, v);
        }
        b.ins().store(tr, v, addr, 0);
        let (first, replaced) = (b.create_block(), b.create_block());
        b.ins().brif(old, replaced, &[], first, &[]);
        b.switch_to_block(replaced);
        refcount::decref(b, &mut self.imports, old);
        b.ins().jump(done, &[]);
        // A first assignment records the key in the values' insertion order, as 3.11's
        // `_PyDictValues_AddToInsertionOrder`: the byte before last below the values counts
        // the keys with values, and the count-th byte below that gets the key's index.
        b.switch_to_block(first);
        let count = b.ins().uload8(types::I64, tr, vals, -2);
        let n = b.ins().iadd_imm_s(count, 1);
        let below = b.ins().isub(vals, n);
        let index8 = b.ins().ireduce(types::I8, at);
        b.ins().store(tr, index8, below, -2);
        let n8 = b.ins().ireduce(types::I8, n);
        b.ins().store(tr, n8, vals, -2);
        b.ins().jump(done, &[]);
        b.switch_to_block(done);
        b.ins().iconst(types::I32, 0)
    }

    /// `LOAD_METHOD` of a method of the type: `*lower = method` (new reference), returns the
    /// object (its reference moves to the upper stack slot).
    #[allow(clippy::too_many_arguments)]
    fn method_hit(
        &mut self,
        b: &mut FunctionBuilder,
        obj: ir::Value,
        t: ir::Value,
        name: Name,
        shape: ir::Value,
        entry_base: ir::Value,
        lower: ir::Value,
        layouts: Layouts,
        slow: ir::Block,
    ) -> ir::Value {
        let tr = MemFlagsData::trusted();
        let (ok, check) = (b.create_block(), b.create_block());
        let no_dict = b.ins().icmp_imm_u(IntCC::Equal, shape, i64::from(NO_DICT));
        b.ins().brif(no_dict, ok, &[], check, &[]);
        // Instances with a dict not materialized: no name added to the shared keys since (so
        // none can shadow the method).
        b.switch_to_block(check);
        // Other shapes with the top bit (`OFFSET_DICT`): the helper's, before reading `obj`.
        let special = b.ins().band_imm_s(shape, i64::from(i32::MIN));
        self.miss_if(b, special, slow);
        let d = b.ins().load(types::I64, tr, obj, object::MANAGED_DICT);
        let (materialized, values) = (b.create_block(), b.create_block());
        b.ins().brif(d, materialized, &[], values, &[]);
        // A materialized `__dict__` (an entry made `METHOD_DICT_OK`): an exact dict with str
        // keys, so that the lookup runs no Python code, that lacks the name, as 3.11's
        // `_PyObject_GetMethod` asks with `PyDict_GetItemWithError`.
        b.switch_to_block(materialized);
        if layouts.dict {
            let dict_ok = b.ins().band_imm_s(shape, i64::from(METHOD_DICT_OK as i32));
            let not_ok = b.ins().icmp_imm_u(IntCC::Equal, dict_ok, 0);
            self.miss_if(b, not_ok, slow);
            self.str_keyed_dict(b, d, slow);
            let name = self.name_value(b, name);
            let lookup = self.imports.func(
                b,
                "PyDict_GetItemWithError",
                &[types::I64, types::I64],
                Some(types::I64),
            );
            let call = b.ins().call(lookup, &[d, name]);
            let shadow = b.inst_results(call)[0];
            self.miss_if(b, shadow, slow);
            b.ins().jump(ok, &[]);
        } else {
            // The profile saw no materialized `__dict__` here: the helper's.
            b.ins().jump(slow, &[]);
        }
        b.switch_to_block(values);
        let keys = b.ins().load(types::I64, tr, t, type_obj::HT_CACHED_KEYS);
        let n = b.ins().load(types::I64, tr, keys, dict_keys::DK_NENTRIES);
        let count = b.ins().band_imm_s(shape, i64::from(!METHOD_DICT_OK as i32));
        let want = b.ins().uextend(types::I64, count);
        let grown = b.ins().icmp(IntCC::NotEqual, n, want);
        self.miss_if(b, grown, slow);
        b.ins().jump(ok, &[]);
        b.switch_to_block(ok);
        let meth = b.ins().load(types::I64, tr, entry_base, ENTRY + 8);
        refcount::incref(b, meth);
        b.ins().store(tr, meth, lower, 0);
        obj
    }

    /// The materialized `__dict__` of `owner` (its values pointer NULL, its dict not), the
    /// hint of the cache entry `at` and the attribute's name, as `LOAD_ATTR_WITH_HINT` and
    /// `STORE_ATTR_WITH_HINT` read them; `slow` when the instance has no such dict.
    fn materialized_dict(
        &mut self,
        b: &mut FunctionBuilder,
        owner: ir::Value,
        at: ir::Value,
        name: Name,
        slow: ir::Block,
    ) -> (ir::Value, ir::Value, ir::Value) {
        let tr = MemFlagsData::trusted();
        let vals = b.ins().load(types::I64, tr, owner, object::MANAGED_VALUES);
        self.miss_if(b, vals, slow);
        let d = b.ins().load(types::I64, tr, owner, object::MANAGED_DICT);
        let none = b.ins().icmp_imm_u(IntCC::Equal, d, 0);
        self.miss_if(b, none, slow);
        let hint = b.ins().band_imm_s(at, i64::from(!IN_DICT as i32));
        let hint = b.ins().uextend(types::I64, hint);
        let name = self.name_value(b, name);
        (d, hint, name)
    }

    /// The address of entry `index` of the exact dict `d` with str keys, minus `DK_INDICES`
    /// (its key at `DK_INDICES`, its combined value 8 bytes further), when that entry's key is
    /// `name`; `slow` otherwise.
    fn dict_entry(
        &mut self,
        b: &mut FunctionBuilder,
        d: ir::Value,
        index: ir::Value,
        name: ir::Value,
        slow: ir::Block,
    ) -> ir::Value {
        let tr = MemFlagsData::trusted();
        let keys = self.str_keyed_dict(b, d, slow);
        let n = b.ins().load(types::I64, tr, keys, dict_keys::DK_NENTRIES);
        let past = b.ins().icmp(IntCC::UnsignedGreaterThanOrEqual, index, n);
        self.miss_if(b, past, slow);
        let log2 = b
            .ins()
            .uload8(types::I64, tr, keys, dict_keys::DK_LOG2_INDEX_BYTES);
        let one = b.ins().iconst(types::I64, 1);
        let table = b.ins().ishl(one, log2);
        let base = b.ins().iadd(keys, table);
        let off = b
            .ins()
            .imul_imm_s(index, i64::from(dict_keys::SIZEOF_UNICODE_ENTRY));
        let e = b.ins().iadd(base, off);
        let key = b.ins().load(types::I64, tr, e, dict_keys::DK_INDICES);
        let other_key = b.ins().icmp(IntCC::NotEqual, key, name);
        self.miss_if(b, other_key, slow);
        e
    }

    /// The value of entry `index` of the exact dict `d` (str keys; values in the entries or,
    /// for a split dict, in `ma_values`) when that entry's key is `name` and has a value
    /// (borrowed); goes to `slow` otherwise.
    fn dict_entry_value(
        &mut self,
        b: &mut FunctionBuilder,
        d: ir::Value,
        index: ir::Value,
        name: ir::Value,
        slow: ir::Block,
    ) -> ir::Value {
        let tr = MemFlagsData::trusted();
        let e = self.dict_entry(b, d, index, name, slow);
        let (split, combined, join) = (b.create_block(), b.create_block(), b.create_block());
        let v = b.append_block_param(join, types::I64);
        let values = b.ins().load(types::I64, tr, d, dict::MA_VALUES);
        b.ins().brif(values, split, &[], combined, &[]);
        b.switch_to_block(split);
        let byte = b.ins().ishl_imm_s(index, 3);
        let at = b.ins().iadd(values, byte);
        let sv = b.ins().load(types::I64, tr, at, 0);
        b.ins().jump(join, &[sv.into()]);
        b.switch_to_block(combined);
        let cv = b.ins().load(types::I64, tr, e, dict_keys::DK_INDICES + 8);
        b.ins().jump(join, &[cv.into()]);
        b.switch_to_block(join);
        let missing = b.ins().icmp_imm_u(IntCC::Equal, v, 0);
        self.miss_if(b, missing, slow);
        v
    }

    /// `STORE_GLOBAL` of a global whose versioned slot (see `global_hit`) the cache holds: the
    /// value replaces the one in the slot while the globals (an exact dict, tracked by the
    /// collector) keep their keys version, which rebinding does not change; the dict gets a
    /// new PEP 509 tag as `PyDict_SetItem` would give it (from `abi::DICT_VERSION`). A new
    /// global (no slot yet), a deleted one and other dicts are the helper's. 0.
    fn global_store_hit(
        &mut self,
        b: &mut FunctionBuilder,
        f: ir::Value,
        v: ir::Value,
        entry: ir::Value,
        slow: ir::Block,
    ) -> ir::Value {
        let g = b
            .ins()
            .load(types::I64, MemFlagsData::trusted(), f, frame::F_GLOBALS);
        let keys = self.exact_dict_keys(b, g, slow);
        let at = self.versioned_slot(b, keys, entry, slow);
        self.replace_dict_value(b, g, (at, 0), v, slow);
        b.ins().iconst(types::I32, 0)
    }

    /// `d`'s keys when `d` is an exact dict; `slow` otherwise.
    fn exact_dict_keys(
        &mut self,
        b: &mut FunctionBuilder,
        d: ir::Value,
        slow: ir::Block,
    ) -> ir::Value {
        let tr = MemFlagsData::trusted();
        let dict_type = self.imports.data(b, "PyDict_Type");
        let dt = b.ins().load(types::I64, tr, d, object::OB_TYPE);
        let not_dict = b.ins().icmp(IntCC::NotEqual, dt, dict_type);
        self.miss_if(b, not_dict, slow);
        b.ins().load(types::I64, tr, d, dict::MA_KEYS)
    }

    /// `d`'s keys when `d` is an exact dict with str keys only (a lookup in it runs no Python
    /// code); `slow` otherwise.
    fn str_keyed_dict(
        &mut self,
        b: &mut FunctionBuilder,
        d: ir::Value,
        slow: ir::Block,
    ) -> ir::Value {
        let keys = self.exact_dict_keys(b, d, slow);
        let dk_kind = b.ins().uload8(
            types::I32,
            MemFlagsData::trusted(),
            keys,
            dict_keys::DK_KIND,
        );
        let general = b
            .ins()
            .icmp_imm_u(IntCC::Equal, dk_kind, i64::from(dict_keys::KIND_GENERAL));
        self.miss_if(b, general, slow);
        keys
    }

    /// The address of the value slot of the versioned-slot word `word` (`dk_version << 32 |
    /// byte offset`) in `keys`, when `keys` still have that version; `slow` otherwise.
    fn versioned_slot(
        &mut self,
        b: &mut FunctionBuilder,
        keys: ir::Value,
        word: ir::Value,
        slow: ir::Block,
    ) -> ir::Value {
        let version = b
            .ins()
            .uload32(MemFlagsData::trusted(), keys, dict_keys::DK_VERSION);
        let want = b.ins().ushr_imm_s(word, 32);
        let moved = b.ins().icmp(IntCC::NotEqual, version, want);
        self.miss_if(b, moved, slow);
        let slot = b.ins().ireduce(types::I32, word);
        let slot = b.ins().uextend(types::I64, slot);
        b.ins().iadd(keys, slot)
    }

    /// Stores `v` into the value slot `at` (base, byte offset) of the dict `d` in place of the value there (a new
    /// reference, or the caller's when `store_steals`), as `PyDict_SetItem` does for an
    /// existing key: the old value released, a new PEP 509 tag from `abi::DICT_VERSION`. An
    /// empty slot (a deleted key) or a dict the collector does not track (the new value may
    /// need tracking) goes to `slow` before anything is written.
    fn replace_dict_value(
        &mut self,
        b: &mut FunctionBuilder,
        d: ir::Value,
        (at, offset): (ir::Value, i32),
        v: ir::Value,
        slow: ir::Block,
    ) {
        let tr = MemFlagsData::trusted();
        let old = b.ins().load(types::I64, tr, at, offset);
        let missing = b.ins().icmp_imm_u(IntCC::Equal, old, 0);
        self.miss_if(b, missing, slow);
        let gc_next = b.ins().load(types::I64, tr, d, object::GC_NEXT);
        let untracked = b.ins().icmp_imm_u(IntCC::Equal, gc_next, 0);
        self.miss_if(b, untracked, slow);
        if !self.store_steals {
            refcount::incref(b, v);
        }
        b.ins().store(tr, v, at, offset);
        refcount::decref(b, &mut self.imports, old);
        let counter = self.imports.data(b, s6_profiles::abi::DICT_VERSION);
        let tag = b.ins().load(types::I64, tr, counter, 0);
        let tag = b.ins().iadd_imm_s(tag, -1);
        b.ins().store(tr, tag, counter, 0);
        b.ins().store(tr, tag, d, dict::MA_VERSION_TAG);
    }

    /// `LOAD_GLOBAL` of a global or builtin: a new reference to the value in the versioned
    /// slot the cache holds (`GLOBAL`: in the globals; `BUILTIN`: in the builtins, while the
    /// globals' keys have the version under which the name was absent from them), as 3.11's
    /// `LOAD_GLOBAL_MODULE`/`LOAD_GLOBAL_BUILTIN` do with their keys versions. The globals
    /// must be an exact dict either way (3.11 looks a name up in a dict subclass with
    /// `PyObject_GetItem`), and the builtins too for a builtin.
    #[allow(clippy::too_many_arguments)]
    fn global_hit(
        &mut self,
        b: &mut FunctionBuilder,
        f: ir::Value,
        (globals, builtins): (i32, i32),
        cache: ir::Value,
        kind: ir::Value,
        entry: ir::Value,
        (seen_global, seen_builtin): (bool, bool),
        slow: ir::Block,
    ) -> ir::Value {
        let tr = MemFlagsData::trusted();
        let g = b.ins().load(types::I64, tr, f, globals);
        let keys = self.exact_dict_keys(b, g, slow);
        let read = b.create_block();
        let at = b.append_block_param(read, types::I64);
        // Only the kinds the profile saw here; the other is the helper's.
        let global = if seen_global { b.create_block() } else { slow };
        let builtin = if seen_builtin { b.create_block() } else { slow };
        let is_global = b.ins().icmp_imm_u(IntCC::Equal, kind, i64::from(GLOBAL));
        if seen_builtin {
            let other = b.create_block();
            b.ins().brif(is_global, global, &[], other, &[]);
            b.switch_to_block(other);
            let is_builtin = b.ins().icmp_imm_u(IntCC::Equal, kind, i64::from(BUILTIN));
            b.ins().brif(is_builtin, builtin, &[], slow, &[]);
        } else {
            b.ins().brif(is_global, global, &[], slow, &[]);
        }
        if seen_global {
            b.switch_to_block(global);
            let global_at = self.versioned_slot(b, keys, entry, slow);
            b.ins().jump(read, &[global_at.into()]);
        }
        if seen_builtin {
            // A builtin: the globals' keys must still have the version it was absent under.
            b.switch_to_block(builtin);
            let version = b.ins().uload32(tr, keys, dict_keys::DK_VERSION);
            let moved = b.ins().icmp(IntCC::NotEqual, version, entry);
            self.miss_if(b, moved, slow);
            let bt = b.ins().load(types::I64, tr, f, builtins);
            let bkeys = self.exact_dict_keys(b, bt, slow);
            let word = b.ins().load(types::I64, tr, cache, ENTRY + 8);
            let builtin_at = self.versioned_slot(b, bkeys, word, slow);
            b.ins().jump(read, &[builtin_at.into()]);
        }
        // The value slot of keys whose version matched.
        b.switch_to_block(read);
        let v = b.ins().load(types::I64, tr, at, 0);
        let missing = b.ins().icmp_imm_u(IntCC::Equal, v, 0);
        self.miss_if(b, missing, slow);
        refcount::incref(b, v);
        v
    }
}
