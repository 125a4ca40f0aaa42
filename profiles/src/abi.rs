//! The native ABI: the contract between code that `s6c build` emits and the `s6` runtime that
//! loads and runs it. Both sides import these names, so a change here is a change on both sides
//! at once; bump [`NATIVE_ABI_VERSION`] whenever the meaning of anything below changes, and the
//! loader will refuse caches built against the old contract.
//!
//! # Entry
//! Every compiled code object is one global function symbol named [`function_symbol`]
//! (`s6::<module>.<qualname>`, with `#<firstlineno>` appended when a module defines the same
//! qualname twice), System V calling convention:
//!
//! ```text
//! PyObject *entry(PyThreadState *ts, _PyInterpreterFrame *f);
//! ```
//!
//! The runtime's PEP 523 hook calls it only for a frame it may run natively (not traced,
//! `throwflag == 0`, owned by the thread, or for a generator's code owned by the generator:
//! a generator's body is entered at each resumption and dispatches on `f->prev_instr`, see
//! [`RESUME_GENERATOR`]). Before the call the hook has entered the recursion
//! check and linked the frame (`f->previous = current_frame; current_frame = f`); after the
//! call it unlinks and leaves the recursion check. The native body therefore never touches
//! `previous`/`current_frame`/`recursion_remaining` itself.
//!
//! While native code runs, locals live in `f->localsplus` (write-through; cells and frees are
//! the cell objects themselves), and `f->prev_instr` is stored before every call-out that can
//! run Python code, raise or look at frames. On a normal return the value stack is empty,
//! `stacktop == co_nlocalsplus`, and the result is a new reference.
//!
//! # Leaving native code in the middle of a function
//! Guard failure (deopt) and any error hand the frame to the interpreter: the native code
//! writes the exact value stack (owned references) to `localsplus[co_nlocalsplus ..]` and
//! tail-returns [`RESUME_IN_INTERPRETER`]:
//!
//! ```text
//! PyObject *s6_rt_resume_in_interpreter(PyThreadState *ts, _PyInterpreterFrame *f,
//!                                       uint32_t next_index, uint32_t stack_depth,
//!                                       uint32_t throwflag, uint32_t exit_site);
//! ```
//!
//! `next_index` is the code-unit index the interpreter's `next_instr` would have: for a deopt
//! the instruction to run next, for an error the faulting instruction + 1 (so `prev_instr` is
//! the faulting instruction, which the traceback and exception table use). `throwflag` is 1
//! exactly when an exception is set. `exit_site` indexes the function's exit table in the
//! manifest (reason, kind), for statistics and `S6_DEOPT_STRESS`. The helper sets `stacktop`
//! and `prev_instr`, balances the hook's bookkeeping around `_PyEval_EvalFrameDefault(ts, f,
//! throwflag)` and returns its result.
//!
//! # Objects the code needs
//! No process address is baked into code. Each object has a binding table: the data symbol
//! [`BINDINGS_SYMBOL`] in section [`BINDINGS_SECTION`], an array of pointer-sized slots that the
//! loader fills (the manifest says what each slot holds). C-API functions are undefined symbols
//! resolved against libpython's exported symbols; runtime helpers are undefined symbols whose
//! names start with [`HELPER_PREFIX`], resolved against the runtime's helper table.
//!
//! # Site caches
//! Slots the manifest does not list are the code's own: zero when the object is loaded, never
//! filled by the loader. The code uses runs of [`SITE_CACHE_WORDS`] of them as per-site caches
//! and passes their address to the `s6_rt_*_cached` helpers, which alone read and write them.

/// Bump when anything in this module changes meaning.
pub const NATIVE_ABI_VERSION: u32 = 11;

/// Pointer-sized words in one site cache (a run of unlisted binding slots).
pub const SITE_CACHE_WORDS: usize = 16;

/// The layout of a site cache, which the runtime's `s6_rt_*_cached` helpers fill and check and
/// generated code reads to take the hit path without calling them (the helper is called on a
/// miss, and under `S6_DEOPT_STRESS` in `--stress-guards` builds). A cache holds no references; every entry is
/// validated by the version numbers it starts with, as 3.11's own specialized instructions do
/// (see `runtime-ext/src/helpers/site_cache.rs` for the invariants).
///
/// ```text
/// word 0: u32 kind, u16 count (entries in use), u16 victim (next entry to replace)
/// words 1..15: entries of `kind`, one or two words each; the first word of an entry is
///             `type version << 32 | where` (polymorphic kinds) or as the kind says; every
///             word outside the `count` entries in use is 0 (generated code compares the
///             versions of the first INLINE_ENTRIES entries without reading `count`)
/// ```
pub mod site_cache {
    /// Byte offset of the `u32` kind.
    pub const KIND: i32 = 0;
    /// Byte offset of the first entry word.
    pub const ENTRY: i32 = 8;
    /// Entries of a polymorphic cache (instance attributes, stores, methods) that generated
    /// code checks before it calls the helper; the helper moves an entry it finds beyond them
    /// to the front.
    pub const INLINE_ENTRIES: usize = 4;
    /// `LOAD_GLOBAL` of a global: [`dk_version << 32 | slot`]: while the globals' keys have
    /// that (non-zero) version, the global's value is the word `slot` bytes into the keys
    /// object (an exact dict with str keys, not split).
    pub const GLOBAL: u32 = 1;
    /// `LOAD_ATTR`/`LOAD_METHOD` of a module attribute: [module dict tag, the value].
    pub const MODULE_ATTR: u32 = 2;
    /// `LOAD_ATTR` of an instance attribute: one-word entries `version << 32 | where`, where
    /// is the key index in the instance's values, `IN_DICT | hint` (in a materialized
    /// `__dict__`: at entry `hint` if it still holds the name, else looked up by name), or
    /// `SLOT | offset` (a `__slots__` member at that byte offset), or [`UNCACHEABLE`].
    pub const ATTR_INSTANCE_VALUE: u32 = 3;
    pub const IN_DICT: u32 = 1 << 31;
    pub const SLOT: u32 = 1 << 30;
    /// An `ATTR_INSTANCE_VALUE` entry's `where` when the type itself has an attribute of that
    /// name that is not a plain slot (a method, property, class constant, `__class__`): no
    /// place to read it from exists for any instance while the version stays, so the site goes
    /// to the generic lookup at once instead of trying to fill the cache on every miss.
    /// Generated code treats it as a miss before it reads anything off the instance.
    pub const UNCACHEABLE: u32 = IN_DICT | SLOT;
    /// An `ATTR_INSTANCE_VALUE` entry's `where` is `CLASS_VALUE | n` when the name is a value
    /// the type has (through its MRO) without `__get__` (a class constant read through an
    /// instance) and is not among the type's shared keys, which had `n` entries: for an
    /// instance whose dict is not materialized, while the keys still have `n` entries, the
    /// value is the type's. Only the helper reads it (generated code takes both top bits as a
    /// miss, as for `UNCACHEABLE`).
    pub const CLASS_VALUE: u32 = IN_DICT | SLOT | (1 << 29);
    /// An `ATTR_INSTANCE_VALUE` entry's `where` when the type's attribute of that name is an
    /// exact `property`: the helper calls its getter directly (generated code takes both top
    /// bits as a miss, as for `UNCACHEABLE`).
    pub const PROPERTY: u32 = IN_DICT | SLOT | (1 << 28);
    /// `STORE_ATTR` of an instance attribute: one-word entries `version << 32 | where`, where
    /// is the key index in the values, `IN_DICT | hint` (stored into the materialized
    /// `__dict__` by name) or `SLOT | offset`.
    pub const STORE_INSTANCE_VALUE: u32 = 4;
    /// `LOAD_METHOD` of a method found on the type: two-word entries `version << 32 | shape`
    /// and the method (borrowed from the type), where shape is the shared keys' entry count
    /// when the name was not among them (valid for instances whose dict is not materialized;
    /// with `METHOD_DICT_OK` also for those with a materialized dict that lacks the name), or
    /// `NO_DICT` for instances without a `__dict__`, or `OFFSET_DICT` for instances whose
    /// type keeps its `__dict__` at `tp_dictoffset` (valid when that dict is absent or lacks
    /// the name; only the helper checks that: generated code takes any shape with the top bit
    /// set, other than `NO_DICT`, as a miss before it reads the instance).
    pub const METHOD: u32 = 5;
    pub const NO_DICT: u32 = u32::MAX;
    pub const OFFSET_DICT: u32 = u32::MAX - 1;
    pub const METHOD_DICT_OK: u32 = 1 << 30;
    /// `LOAD_ATTR`/`LOAD_METHOD` of a class attribute: two-word entries `class version << 32
    /// | version of the value's type` and the value, or `class version << 32 |
    /// CLASSMETHOD_DESCR` (`STATICMETHOD_DESCR`) and the `classmethod` (`staticmethod`) object
    /// the class holds under the name, whose callable is read at every hit. Only the helper
    /// reads them.
    pub const CLASS_ATTR: u32 = 6;
    pub const CLASSMETHOD_DESCR: u32 = u32::MAX;
    pub const STATICMETHOD_DESCR: u32 = u32::MAX - 1;
    /// `LOAD_GLOBAL` of a builtin: [a non-zero `dk_version` of globals keys it is absent from,
    /// the builtins' `dk_version << 32 | slot` as for `GLOBAL`].
    pub const BUILTIN: u32 = 7;
}

/// Prefix of every runtime helper symbol (`s6_rt_*`).
pub const HELPER_PREFIX: &str = "s6_rt_";

/// The one exit from native code back to the interpreter (see the module docs).
pub const RESUME_IN_INTERPRETER: &str = "s6_rt_resume_in_interpreter";

/// `int s6_rt_catch(PyThreadState *ts, _PyInterpreterFrame *f, uint32_t next_index, uint32_t
/// stack_depth, uint32_t exit_site)`: called by an error exit (its `stack_depth` values
/// written above the locals, as for [`RESUME_IN_INTERPRETER`]) of a function whose handlers run
/// natively. When a handler of the frame's exception table covers the faulting instruction
/// (`next_index - 1`) and nothing traces, does what ceval does from `error:` to the handler
/// (traceback entry, stack unwound to the handler's depth, `lasti` and the normalized exception
/// pushed, `stacktop` covering them) and returns the handler's code unit; the native code then
/// enters the handler, loading the stack from the frame. Otherwise changes nothing and returns
/// -1: the exit goes on to [`RESUME_IN_INTERPRETER`].
pub const CATCH: &str = "s6_rt_catch";

/// `PyObject *s6_rt_resume_generator(PyThreadState *ts, _PyInterpreterFrame *f)`: a
/// generator's body entered with a `prev_instr` it has no resume point for (a yield the
/// translator did not reach, such as one in the handlers of a function using `except*`) hands
/// the frame, exactly as the generator left it, to the
/// interpreter and returns its result. At a native yield the body writes the value stack below
/// the yielded value to the frame, sets `stacktop`, `prev_instr` (the `YIELD_VALUE`) and the
/// generator's `gi_frame_state` (`FRAME_SUSPENDED`), and returns the value.
pub const RESUME_GENERATOR: &str = "s6_rt_resume_generator";

/// Polled on loop back-edges: returns 0 when nothing is pending, non-zero when the eval breaker
/// is set (the native code then deopts at the `JUMP_BACKWARD`, whose interpreter form handles
/// signals, pending calls, GIL drop requests and async exceptions).
/// `int s6_rt_eval_breaker(PyThreadState *ts);`
pub const EVAL_BREAKER: &str = "s6_rt_eval_breaker";

/// Polled by code built with `s6c build --stress-guards` in front of guards: returns non-zero
/// when the guard must fail on purpose (`S6_DEOPT_STRESS=N` makes every Nth poll fire; 0
/// otherwise). The runtime also makes every Nth eval-breaker poll and every (N+1)th native
/// entry deopt, which needs no special build. `int s6_rt_deopt_stress(PyThreadState *ts);`
pub const DEOPT_STRESS: &str = "s6_rt_deopt_stress";

/// A data symbol: the runtime's `uint32_t` N of `S6_DEOPT_STRESS` (0 when off). Loop back-edges
/// read it with the eval breaker. Code built with `--stress-guards` also reads it once per
/// entry; when it is non-zero, every type guard and inline check polls [`DEOPT_STRESS`] and
/// fails when that says so, so that stress runs exercise every guard's exit.
pub const STRESS_EVERY: &str = "s6_rt_stress_every";

/// A data symbol: the runtime's `u64` source of PEP 509 dict version tags for the stores that
/// generated code makes into a dict itself (a materialized instance `__dict__`, as 3.11's
/// `STORE_ATTR_WITH_HINT`). 3.11's `DICT_NEXT_VERSION()` counts `_pydict_global_version` up
/// from 0, and libpython does not export it; this one counts down from `u64::MAX`, so the two
/// never give the same tag. Code decrements it and stores the result as `ma_version_tag`.
pub const DICT_VERSION: &str = "s6_rt_dict_version";

/// Direct calls: generated code calls another function's native code without the hook, by
/// reading what the runtime recorded for it (all behind `co_extra`), pushing the callee's
/// frame itself and calling its entry; everything else (and any doubt) takes `s6_rt_call`.
///
/// ```text
/// code->co_extra->ce_extras[*EXTRA_INDEX]: a NativeFn* (even, non-zero) or a tag (odd)
/// NativeFn: u64 generation (valid when == *GENERATION), entry, FnStats*, u32 argcount
///           (u32::MAX: not callable directly), u32 frame words, u32 nlocalsplus
/// FnStats:  u64 native_entries first
/// ```
///
/// A direct call also needs: the runtime's hook to be the interpreter's evaluator (its address
/// is [`direct::HOOK`]), tracing off, no `S6_DEOPT_STRESS`, recursion headroom, C-stack
/// headroom (`*STACK_TS == ts` and the stack pointer above `*STACK_MARK`, which the hook keeps
/// for the thread that last entered it), and room in the data-stack chunk; the callee's frame
/// is released by [`direct::FRAME_POP`].
pub mod direct {
    /// Data: `isize`, the `co_extra` index of the runtime (-1 before the first `enable()`).
    pub const EXTRA_INDEX: &str = "s6_rt_extra_index";
    /// Data: `u64`, the current activation generation.
    pub const GENERATION: &str = "s6_rt_generation";
    /// Data: `usize`, the thread state the C-stack mark is for.
    pub const STACK_TS: &str = "s6_rt_stack_ts";
    /// Data: `usize`, the lowest stack pointer a direct call may start from on that thread.
    pub const STACK_MARK: &str = "s6_rt_stack_mark";
    /// The runtime's frame evaluator (compared with the interpreter's current one).
    pub const HOOK: &str = "s6_rt_eval_frame";
    /// `void s6_rt_frame_pop(PyThreadState *ts, _PyInterpreterFrame *f)`: clears and pops a
    /// frame a direct call pushed (as `_PyEvalFrameClearAndPop`).
    pub const FRAME_POP: &str = "s6_rt_frame_pop";
    pub const NATIVE_GENERATION: i32 = 0;
    pub const NATIVE_ENTRY: i32 = 8;
    pub const NATIVE_STATS: i32 = 16;
    pub const NATIVE_ARGCOUNT: i32 = 24;
    pub const NATIVE_FRAME_WORDS: i32 = 28;
    pub const NATIVE_NLOCALSPLUS: i32 = 32;
    pub const STATS_NATIVE_ENTRIES: i32 = 0;
}

/// Section holding the per-object binding table (writable data, zero-initialised in the file).
pub const BINDINGS_SECTION: &str = ".s6.bindings";
/// Local data symbol at the start of the binding table.
pub const BINDINGS_SYMBOL: &str = "s6_bindings";

/// How every compiled function's symbol starts.
pub const FUNCTION_SYMBOL_PREFIX: &str = "s6::";

/// Symbol name for a compiled code object.
pub fn function_symbol(module: &str, qualname: &str, disambiguator: Option<u32>) -> String {
    match disambiguator {
        None => format!("s6::{module}.{qualname}"),
        Some(line) => format!("s6::{module}.{qualname}#{line}"),
    }
}
