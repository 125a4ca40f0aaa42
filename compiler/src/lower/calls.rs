//! Direct calls in machine code: a `call s6_rt_call(f, base, n, NULL)` (a `CALL` whose operands
//! the code moved to the frame's value-stack slots) first tries to run the callee's native
//! code itself, as `CALL_PY_EXACT_ARGS` runs a Python callee without C recursion: when the
//! callable is a plain function whose code the runtime bound to native code with positional
//! parameters only, given those arguments or fewer with `__defaults__` for the rest, the
//! callee's frame is pushed on the data stack here, the arguments (and defaults) move into it,
//! the callee's entry is called (linked into the frame chain, recursion counted, as the
//! runtime's hook would), and `s6_rt_frame_pop` releases the frame. (Releasing it in machine
//! code at every call site instead measured 4% slower on richards: larger code for the same
//! work.) Anything else (and tracing, stress, low C stack, a full data-stack chunk, recursion
//! at its limit, another evaluator installed) takes the helper, which decides as before. The
//! layouts read here are the native ABI's (`s6_profiles::abi::direct`).

use cranelift_codegen::ir::{self, InstBuilder, MemFlagsData, condcodes::IntCC, types};
use cranelift_frontend::FunctionBuilder;
use s6_profiles::abi::direct as abi;
use s6_py311::layout::{
    cframe, code, code_extra, frame, function, interp, method, object, stack_chunk, thread_state,
    tuple, type_obj,
};

use s6_strongjit::feedback::CallSiteKind;

use super::builder::Lowerer;

/// Most positional arguments a direct call passes (each is one move; beyond, the helper).
const MAX_ARGS: i64 = 8;

/// What the code stored to a call's operand slots just before the call, in the same block
/// (`values[k]` for slot `base + k`, when known): the inline paths use these values instead of
/// reading the slots back (the helper still reads the slots, which hold the same values).
#[derive(Default)]
pub(crate) struct StoredOperands {
    pub(crate) values: Vec<Option<ir::Value>>,
    /// The first slot holds NULL (a call of a plain callable, not a method).
    pub(crate) first_null: bool,
}

impl StoredOperands {
    /// Operand `k` (the slot `slots + 8 * k` of the frame `fr`): the stored value if known,
    /// else read from the slot.
    fn slot(&self, b: &mut FunctionBuilder, fr: ir::Value, slots: i32, k: usize) -> ir::Value {
        match self.values.get(k) {
            Some(&Some(v)) => v,
            _ => b.ins().load(
                types::I64,
                MemFlagsData::trusted(),
                fr,
                slots + 8 * k as i32,
            ),
        }
    }
}

impl Lowerer<'_> {
    /// The direct path of `s6_rt_call(fr, base, n, NULL)` for constant `base` and `n`; `slow`
    /// makes the helper call. Returns the call's result (a new reference, or NULL with an
    /// exception set).
    ///
    /// `kind` is what the site's feedback says it calls: the path for the other kind of
    /// callable is left to the helper (each is hundreds of bytes per site, and code that does
    /// not fit the instruction cache is slow code).
    pub(crate) fn direct_call(
        &mut self,
        b: &mut FunctionBuilder,
        base: i64,
        n: i64,
        kind: Option<CallSiteKind>,
        stored: &StoredOperands,
        slow: &mut dyn FnMut(&mut Self, &mut FunctionBuilder) -> ir::Value,
    ) -> ir::Value {
        let python = kind != Some(CallSiteKind::C);
        let c = kind != Some(CallSiteKind::Python);
        let tr = MemFlagsData::trusted();
        let (ts, fr) = (self.ts.expect("ts"), self.frame());
        let (helper, done) = (b.create_block(), b.create_block());
        let result = b.append_block_param(done, types::I64);
        b.set_cold_block(helper);
        if let Some(every) = self.stress {
            self.miss_if(b, every, helper);
        }
        // The operands: [NULL, function, args..] or [method, self, args..].
        let slots = frame::LOCALSPLUS + 8 * base as i32;
        let slot = |b: &mut FunctionBuilder, k: usize| stored.slot(b, fr, slots, k);
        let first = if stored.first_null {
            b.ins().iconst(types::I64, 0)
        } else {
            slot(b, 0)
        };
        let second = slot(b, 1);
        let is_meth = b.ins().icmp_imm_u(IntCC::NotEqual, first, 0);
        let callable = b.ins().select(is_meth, first, second);
        let is_meth64 = b.ins().uextend(types::I64, is_meth);
        let total = b.ins().iadd_imm_s(is_meth64, n);
        // A plain function ...
        let func_type = self.imports.data(b, "PyFunction_Type");
        let t = b.ins().load(types::I64, tr, callable, object::OB_TYPE);
        let not_func = b.ins().icmp(IntCC::NotEqual, t, func_type);
        let (other, func) = (b.create_block(), b.create_block());
        let f_callable = b.append_block_param(func, types::I64);
        let f_is_meth = b.append_block_param(func, types::I8);
        let f_total = b.append_block_param(func, types::I64);
        b.ins().brif(
            not_func,
            other,
            &[],
            func,
            &[callable.into(), is_meth.into(), total.into()],
        );
        b.switch_to_block(other);
        let not_method = b.create_block();
        if python {
            // A bound method in `[NULL, method, args..]` becomes `[function, self, args..]`, as
            // 3.11's `PRECALL_BOUND_METHOD` (and `s6_rt_call`) does: `self.write(..)` with
            // `write` a bound method kept on the instance then calls its function directly.
            let method_type = self.imports.data(b, "PyMethod_Type");
            let is_method = b.ins().icmp(IntCC::Equal, t, method_type);
            let unbound = b.ins().icmp_imm_u(IntCC::Equal, first, 0);
            let unpack_it = b.ins().band(is_method, unbound);
            let unpack = b.create_block();
            b.ins().brif(unpack_it, unpack, &[], not_method, &[]);
            b.switch_to_block(unpack);
            let im_func = b.ins().load(types::I64, tr, callable, method::IM_FUNC);
            let im_self = b.ins().load(types::I64, tr, callable, method::IM_SELF);
            super::refcount::incref(b, im_func);
            super::refcount::incref(b, im_self);
            b.ins().store(tr, im_func, fr, slots);
            b.ins().store(tr, im_self, fr, slots + 8);
            super::refcount::decref(b, &mut self.imports, callable);
            let t2 = b.ins().load(types::I64, tr, im_func, object::OB_TYPE);
            let not_func2 = b.ins().icmp(IntCC::NotEqual, t2, func_type);
            let meth = b.ins().iconst(types::I8, 1);
            let total2 = b.ins().iconst(types::I64, n + 1);
            b.ins().brif(
                not_func2,
                helper,
                &[],
                func,
                &[im_func.into(), meth.into(), total2.into()],
            );
        } else {
            b.ins().jump(not_method, &[]);
        }
        b.switch_to_block(not_method);
        if c {
            let r = self.vectorcall(b, fr, slots, n, is_meth, callable, t, stored, helper);
            b.ins().jump(done, &[r.into()]);
        } else {
            b.ins().jump(helper, &[]);
        }
        b.switch_to_block(func);
        if !python {
            b.ins().jump(helper, &[]);
            b.switch_to_block(helper);
            let r = slow(self, b);
            b.ins().jump(done, &[r.into()]);
            b.switch_to_block(done);
            return result;
        }
        let (callable, is_meth, total) = (f_callable, f_is_meth, f_total);
        // ... whose code has native code of this activation taking `total` arguments.
        let co = b.ins().load(types::I64, tr, callable, function::FUNC_CODE);
        let native = self.native_record(b, co, helper);
        // Taking `total` arguments, or more whose defaults (`__defaults__`) make up the rest,
        // as `initialize_locals` binds them (NATIVE_ARGCOUNT is u32::MAX for any signature
        // beyond positional parameters, so `missing` is then out of range).
        let argcount = b.ins().uload32(tr, native, abi::NATIVE_ARGCOUNT);
        let missing = b.ins().isub(argcount, total);
        let other_shape = b
            .ins()
            .icmp_imm_u(IntCC::UnsignedGreaterThan, missing, MAX_ARGS);
        self.miss_if(b, other_shape, helper);
        let (need_defaults, shape_ok) = (b.create_block(), b.create_block());
        let exact = b.ins().icmp_imm_u(IntCC::Equal, missing, 0);
        b.ins().brif(exact, shape_ok, &[], need_defaults, &[]);
        b.switch_to_block(need_defaults);
        let defaults = b
            .ins()
            .load(types::I64, tr, callable, function::FUNC_DEFAULTS);
        let no_defaults = b.ins().icmp_imm_u(IntCC::Equal, defaults, 0);
        self.miss_if(b, no_defaults, helper);
        let ndefaults = b.ins().load(types::I64, tr, defaults, tuple::OB_SIZE);
        let too_few = b.ins().icmp(IntCC::UnsignedLessThan, ndefaults, missing);
        self.miss_if(b, too_few, helper);
        b.ins().jump(shape_ok, &[]);
        b.switch_to_block(shape_ok);
        // Our evaluator installed, tracing off, recursion and C-stack headroom.
        let interp_ptr = b.ins().load(types::I64, tr, ts, thread_state::INTERP);
        let eval = b.ins().load(types::I64, tr, interp_ptr, interp::EVAL_FRAME);
        let hook = self.imports.data(b, abi::HOOK);
        let other_eval = b.ins().icmp(IntCC::NotEqual, eval, hook);
        self.miss_if(b, other_eval, helper);
        let cf = self.cframe(b);
        let tracing = b.ins().uload8(types::I32, tr, cf, cframe::USE_TRACING);
        self.miss_if(b, tracing, helper);
        let remaining = b.ins().sload32(tr, ts, thread_state::RECURSION_REMAINING);
        let at_limit = b
            .ins()
            .icmp_imm_s(IntCC::SignedLessThanOrEqual, remaining, 0);
        self.miss_if(b, at_limit, helper);
        let ts_addr = self.imports.data(b, abi::STACK_TS);
        let mark_ts = b.ins().load(types::I64, tr, ts_addr, 0);
        let other_thread = b.ins().icmp(IntCC::NotEqual, mark_ts, ts);
        self.miss_if(b, other_thread, helper);
        let mark_addr = self.imports.data(b, abi::STACK_MARK);
        let mark = b.ins().load(types::I64, tr, mark_addr, 0);
        let sp = b.ins().get_stack_pointer(types::I64);
        let low = b.ins().icmp(IntCC::UnsignedLessThan, sp, mark);
        self.miss_if(b, low, helper);
        // Room in the current data-stack chunk (not at its very start: only the generic path
        // frees chunks).
        let top = b
            .ins()
            .load(types::I64, tr, ts, thread_state::DATASTACK_TOP);
        let limit = b
            .ins()
            .load(types::I64, tr, ts, thread_state::DATASTACK_LIMIT);
        let chunk = b
            .ins()
            .load(types::I64, tr, ts, thread_state::DATASTACK_CHUNK);
        let chunk_start = b.ins().iadd_imm_s(chunk, i64::from(stack_chunk::DATA));
        let at_start = b.ins().icmp(IntCC::Equal, top, chunk_start);
        self.miss_if(b, at_start, helper);
        let words = b.ins().uload32(tr, native, abi::NATIVE_FRAME_WORDS);
        let bytes = b.ins().ishl_imm_s(words, 3);
        let end = b.ins().iadd(top, bytes);
        let full = b.ins().icmp(IntCC::UnsignedGreaterThanOrEqual, end, limit);
        self.miss_if(b, full, helper);
        // Push and initialise the frame (`_PyFrame_InitializeSpecials`); the callable's
        // reference moves into `f_func`.
        b.ins().store(tr, end, ts, thread_state::DATASTACK_TOP);
        let callee = top;
        b.ins().store(tr, callable, callee, frame::F_FUNC);
        super::refcount::incref(b, co);
        b.ins().store(tr, co, callee, frame::F_CODE);
        let builtins = b
            .ins()
            .load(types::I64, tr, callable, function::FUNC_BUILTINS);
        b.ins().store(tr, builtins, callee, frame::F_BUILTINS);
        let globals = b
            .ins()
            .load(types::I64, tr, callable, function::FUNC_GLOBALS);
        b.ins().store(tr, globals, callee, frame::F_GLOBALS);
        let zero = b.ins().iconst(types::I64, 0);
        b.ins().store(tr, zero, callee, frame::F_LOCALS);
        b.ins().store(tr, zero, callee, frame::FRAME_OBJ);
        let nlocalsplus = b.ins().uload32(tr, native, abi::NATIVE_NLOCALSPLUS);
        let nlp32 = b.ins().ireduce(types::I32, nlocalsplus);
        b.ins().store(tr, nlp32, callee, frame::STACKTOP);
        let first_unit = b
            .ins()
            .iadd_imm_s(co, i64::from(code::CO_CODE_ADAPTIVE) - 2);
        b.ins().store(tr, first_unit, callee, frame::PREV_INSTR);
        let zero8 = b.ins().iconst(types::I8, 0);
        b.ins().store(tr, zero8, callee, frame::IS_ENTRY);
        let owner = b.ins().iconst(types::I8, i64::from(frame::OWNED_BY_THREAD));
        b.ins().store(tr, owner, callee, frame::OWNER);
        // The arguments move into its first locals; the other locals start unbound.
        let (meth_args, func_args, copied) = (b.create_block(), b.create_block(), b.create_block());
        b.ins().brif(is_meth, meth_args, &[], func_args, &[]);
        // (Slot 1, `self` of a method, is read from the frame: an unpacked bound method wrote
        // it there; the arguments after it are what the code stored.)
        for (blk, from, count) in [(meth_args, 1, n + 1), (func_args, 2, n)] {
            b.switch_to_block(blk);
            for k in 0..count as usize {
                let v = if from + k == 1 {
                    b.ins().load(types::I64, tr, fr, slots + 8)
                } else {
                    slot(b, from + k)
                };
                b.ins()
                    .store(tr, v, callee, frame::LOCALSPLUS + 8 * k as i32);
            }
            b.ins().jump(copied, &[]);
        }
        b.switch_to_block(copied);
        // Defaults for the parameters after the arguments (none when `missing` is 0).
        let (dtest, dbody, dfilled) = (b.create_block(), b.create_block(), b.create_block());
        let j = b.append_block_param(dtest, types::I64);
        b.ins().jump(dtest, &[total.into()]);
        b.switch_to_block(dtest);
        let more = b.ins().icmp(IntCC::UnsignedLessThan, j, argcount);
        b.ins().brif(more, dbody, &[], dfilled, &[]);
        b.switch_to_block(dbody);
        let defaults = b
            .ins()
            .load(types::I64, tr, callable, function::FUNC_DEFAULTS);
        let ndefaults = b.ins().load(types::I64, tr, defaults, tuple::OB_SIZE);
        // Item `j - (argcount - ndefaults)` of the defaults.
        let first_default = b.ins().isub(argcount, ndefaults);
        let k = b.ins().isub(j, first_default);
        let k8 = b.ins().ishl_imm_s(k, 3);
        let item_at = b.ins().iadd(defaults, k8);
        let d = b.ins().load(types::I64, tr, item_at, tuple::OB_ITEM);
        super::refcount::incref(b, d);
        let j8 = b.ins().ishl_imm_s(j, 3);
        let slot = b.ins().iadd(callee, j8);
        b.ins().store(tr, d, slot, frame::LOCALSPLUS);
        let next_j = b.ins().iadd_imm_s(j, 1);
        b.ins().jump(dtest, &[next_j.into()]);
        b.switch_to_block(dfilled);
        let (test, body, filled) = (b.create_block(), b.create_block(), b.create_block());
        let i = b.append_block_param(test, types::I64);
        b.ins().jump(test, &[argcount.into()]);
        b.switch_to_block(test);
        let more = b.ins().icmp(IntCC::UnsignedLessThan, i, nlocalsplus);
        b.ins().brif(more, body, &[], filled, &[]);
        b.switch_to_block(body);
        let off = b.ins().ishl_imm_s(i, 3);
        let slot = b.ins().iadd(callee, off);
        b.ins().store(tr, zero, slot, frame::LOCALSPLUS);
        let next = b.ins().iadd_imm_s(i, 1);
        b.ins().jump(test, &[next.into()]);
        b.switch_to_block(filled);
        // Run it as the hook would: recursion count, statistics, link, call, unlink.
        let rem1 = b.ins().iadd_imm_s(remaining, -1);
        let rem1 = b.ins().ireduce(types::I32, rem1);
        b.ins()
            .store(tr, rem1, ts, thread_state::RECURSION_REMAINING);
        let stats = b.ins().load(types::I64, tr, native, abi::NATIVE_STATS);
        let entries = b
            .ins()
            .load(types::I64, tr, stats, abi::STATS_NATIVE_ENTRIES);
        let entries = b.ins().iadd_imm_s(entries, 1);
        b.ins().store(tr, entries, stats, abi::STATS_NATIVE_ENTRIES);
        let current = b.ins().load(types::I64, tr, cf, cframe::CURRENT_FRAME);
        b.ins().store(tr, current, callee, frame::PREVIOUS);
        b.ins().store(tr, callee, cf, cframe::CURRENT_FRAME);
        let entry = b.ins().load(types::I64, tr, native, abi::NATIVE_ENTRY);
        let sig = b.import_signature(super::builder::entry_signature());
        let call = b.ins().call_indirect(sig, entry, &[ts, callee]);
        let r = b.inst_results(call)[0];
        let prev = b.ins().load(types::I64, tr, callee, frame::PREVIOUS);
        b.ins().store(tr, prev, cf, cframe::CURRENT_FRAME);
        let rem = b.ins().sload32(tr, ts, thread_state::RECURSION_REMAINING);
        let rem = b.ins().iadd_imm_s(rem, 1);
        let rem = b.ins().ireduce(types::I32, rem);
        b.ins()
            .store(tr, rem, ts, thread_state::RECURSION_REMAINING);
        let pop = self
            .imports
            .func(b, abi::FRAME_POP, &[types::I64, types::I64], None);
        b.ins().call(pop, &[ts, callee]);
        b.ins().jump(done, &[r.into()]);
        b.switch_to_block(helper);
        let r = slow(self, b);
        b.ins().jump(done, &[r.into()]);
        b.switch_to_block(done);
        result
    }

    /// A callable other than a function, called through its vectorcall slot as
    /// `PyObject_Vectorcall` does (`_Py_CheckFunctionResult` included), then its operands
    /// released as `s6_rt_call` releases them: builtin functions and methods, method
    /// descriptors and other C callables, without the helper's search for a direct path.
    /// Classes (which the helper may construct directly), bound methods (which it unpacks into
    /// a direct call of their function) and callables without a vectorcall slot go to `slow`.
    #[allow(clippy::too_many_arguments)]
    fn vectorcall(
        &mut self,
        b: &mut FunctionBuilder,
        fr: ir::Value,
        slots: i32,
        n: i64,
        is_meth: ir::Value,
        callable: ir::Value,
        t: ir::Value,
        stored: &StoredOperands,
        slow: ir::Block,
    ) -> ir::Value {
        let tr = MemFlagsData::trusted();
        for name in ["PyType_Type", "PyMethod_Type"] {
            let ty = self.imports.data(b, name);
            let same = b.ins().icmp(IntCC::Equal, t, ty);
            self.miss_if(b, same, slow);
        }
        let flags = b.ins().load(types::I64, tr, t, type_obj::TP_FLAGS);
        let no_vectorcall = b
            .ins()
            .band_imm_s(flags, type_obj::TPFLAGS_HAVE_VECTORCALL as i64);
        let no_vectorcall = b.ins().icmp_imm_u(IntCC::Equal, no_vectorcall, 0);
        self.miss_if(b, no_vectorcall, slow);
        let offset = b
            .ins()
            .load(types::I64, tr, t, type_obj::TP_VECTORCALL_OFFSET);
        let at = b.ins().iadd(callable, offset);
        let func = b.ins().load(types::I64, tr, at, 0);
        let none = b.ins().icmp_imm_u(IntCC::Equal, func, 0);
        self.miss_if(b, none, slow);
        // [method, self, args..]: n + 1 arguments from the second slot; [NULL, callable,
        // args..]: n from the third. Either way the slot before them is writable frame memory,
        // as PY_VECTORCALL_ARGUMENTS_OFFSET allows the callee to use.
        let is_meth64 = b.ins().uextend(types::I64, is_meth);
        let skip = b.ins().iadd_imm_s(is_meth64, -1);
        let skip = b.ins().band_imm_s(skip, 8);
        let first = b.ins().iadd_imm_s(fr, i64::from(slots + 8));
        let args = b.ins().iadd(first, skip);
        let nargs = b.ins().iadd_imm_s(is_meth64, n);
        let nargsf = b.ins().bor_imm_s(nargs, i64::MIN);
        let null = b.ins().iconst(types::I64, 0);
        let sig = b.import_signature(super::builder::vectorcall_signature());
        let call = b
            .ins()
            .call_indirect(sig, func, &[callable, args, nargsf, null]);
        let res = b.inst_results(call)[0];
        let check = self.imports.func(
            b,
            "_Py_CheckFunctionResult",
            &[types::I64, types::I64, types::I64, types::I64],
            Some(types::I64),
        );
        let ts = self.ts.expect("ts");
        let call = b.ins().call(check, &[ts, callable, res, null]);
        let res = b.inst_results(call)[0];
        // The operands: the first slot may be NULL, the others are references.
        // (Reached only with the operands as the code stored them: no bound method unpacked.)
        let slot = |b: &mut FunctionBuilder, k: usize| stored.slot(b, fr, slots, k);
        if !stored.first_null {
            let first_slot = slot(b, 0);
            let imports = &mut self.imports;
            super::refcount::if_not_null(b, first_slot, |b| {
                super::refcount::decref(b, imports, first_slot)
            });
        }
        for k in 1..(n + 2) as usize {
            let v = slot(b, k);
            super::refcount::decref(b, &mut self.imports, v);
        }
        res
    }

    /// Whether a `call s6_rt_call(..)` with these (constant) operands can take the direct path.
    pub(crate) fn direct_call_shape(n: i64, kw_is_null: bool) -> bool {
        kw_is_null && (0..MAX_ARGS).contains(&n)
    }
}

impl Lowerer<'_> {
    /// The native-code record of code object `co` for this activation (its `co_extra` slot:
    /// not empty, not a tagged non-native mark, of the current generation); jumps to `miss`
    /// otherwise.
    fn native_record(
        &mut self,
        b: &mut FunctionBuilder,
        co: ir::Value,
        miss: ir::Block,
    ) -> ir::Value {
        let tr = MemFlagsData::trusted();
        let extra = b.ins().load(types::I64, tr, co, code::CO_EXTRA);
        let no_extra = b.ins().icmp_imm_u(IntCC::Equal, extra, 0);
        self.miss_if(b, no_extra, miss);
        let index_addr = self.imports.data(b, abi::EXTRA_INDEX);
        let index = b.ins().load(types::I64, tr, index_addr, 0);
        let size = b.ins().load(types::I64, tr, extra, code_extra::CE_SIZE);
        let outside = b.ins().icmp(IntCC::UnsignedGreaterThanOrEqual, index, size);
        self.miss_if(b, outside, miss);
        let at = b.ins().ishl_imm_s(index, 3);
        let at = b.ins().iadd(extra, at);
        let native = b.ins().load(types::I64, tr, at, code_extra::CE_EXTRAS);
        let tagged = b.ins().band_imm_s(native, 1);
        let empty = b.ins().icmp_imm_u(IntCC::Equal, native, 0);
        let empty = b.ins().uextend(types::I64, empty);
        let not_native = b.ins().bor(tagged, empty);
        self.miss_if(b, not_native, miss);
        let generation_addr = self.imports.data(b, abi::GENERATION);
        let generation = b.ins().load(types::I64, tr, generation_addr, 0);
        let native_gen = b.ins().load(types::I64, tr, native, abi::NATIVE_GENERATION);
        let stale = b.ins().icmp(IntCC::NotEqual, generation, native_gen);
        self.miss_if(b, stale, miss);
        native
    }

    /// `native_is f, "sym"` (see the opcode): 1 when `f` is a plain function whose code is
    /// bound, in this activation, to the native code at `sym` (the record's entry is that
    /// symbol's address), tracing and profiling are off and the recursion limit is not
    /// reached; else 0. The same reads as the direct call's checks (`direct_call`), compared
    /// with one entry instead of taken from it. Under guard stress, 0 whenever the stress poll
    /// says so.
    pub(crate) fn native_is(
        &mut self,
        b: &mut FunctionBuilder,
        f: ir::Value,
        symbol: &str,
    ) -> ir::Value {
        let tr = MemFlagsData::trusted();
        let (no, done) = (b.create_block(), b.create_block());
        let result = b.append_block_param(done, types::I8);
        b.set_cold_block(no);
        if let Some(every) = self.stress {
            self.miss_if(b, every, no);
        }
        let null = b.ins().icmp_imm_u(IntCC::Equal, f, 0);
        self.miss_if(b, null, no);
        let func_type = self.imports.data(b, "PyFunction_Type");
        let t = b.ins().load(types::I64, tr, f, object::OB_TYPE);
        let not_func = b.ins().icmp(IntCC::NotEqual, t, func_type);
        self.miss_if(b, not_func, no);
        let co = b.ins().load(types::I64, tr, f, function::FUNC_CODE);
        let native = self.native_record(b, co, no);
        let entry = b.ins().load(types::I64, tr, native, abi::NATIVE_ENTRY);
        let want = self.imports.data(b, symbol);
        let other = b.ins().icmp(IntCC::NotEqual, entry, want);
        self.miss_if(b, other, no);
        let cf = self.cframe(b);
        let tracing = b.ins().uload8(types::I32, tr, cf, cframe::USE_TRACING);
        self.miss_if(b, tracing, no);
        let ts = self.ts.expect("ts");
        let remaining = b.ins().sload32(tr, ts, thread_state::RECURSION_REMAINING);
        let at_limit = b
            .ins()
            .icmp_imm_s(IntCC::SignedLessThanOrEqual, remaining, 0);
        self.miss_if(b, at_limit, no);
        let one = b.ins().iconst(types::I8, 1);
        b.ins().jump(done, &[one.into()]);
        b.switch_to_block(no);
        let zero = b.ins().iconst(types::I8, 0);
        b.ins().jump(done, &[zero.into()]);
        b.switch_to_block(done);
        result
    }
}
