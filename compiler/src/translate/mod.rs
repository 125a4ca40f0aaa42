//! The translator: one CPython 3.11 code object (+ the profile's feedback) to strongjit IR.
//!
//! Model (the native ABI in `profiles/src/abi.rs`):
//! * locals are write-through in `frame->localsplus` (`load_local`/`store_local`);
//! * the value stack is simulated in SSA: each stack entry is an owned reference (or a NULL
//!   pushed by `PUSH_NULL`/`LOAD_GLOBAL`), merge points are block parameters (one `obj` per
//!   stack slot; the interpreter's stack depth at an instruction is unique);
//! * `set_prev_instr` precedes every instruction that can call out, raise or run Python code;
//! * an error leaves through `check_null`/`check_neg`/`raise` with the frame state
//!   `@faulting-index [stack after the consumed operands were released]`; in a function whose
//!   handlers run natively (`handlers`), the runtime unwinds the frame's stack to the handler
//!   that covers the instruction and native code continues there; otherwise (or with tracing
//!   on) the interpreter unwinds with `co_exceptiontable` and runs the rest of the call;
//! * a deopt carries `@resume-index [exact stack before that instruction]`, where the resume
//!   index is the instruction's first `EXTENDED_ARG`, and never a `PRECALL`/`CALL` after
//!   `KW_NAMES`;
//! * after an instruction that may run Python code, `tstate->cframe->use_tracing` is checked and
//!   native code deopts to the next instruction when set (`sys.settrace` turned on mid-run);
//!   `JUMP_BACKWARD` polls the eval breaker and deopts at itself when it is set;
//! * unbound locals and cells deopt at the instruction: the interpreter raises its exact error;
//! * instructions without a native form become `deopt fs, "unsupported: OPNAME"`;
//! * a generator's body (`generators`) starts with a dispatch on `frame->prev_instr` to the
//!   instruction after `RETURN_GENERATOR` or after a `YIELD_VALUE`, loading the value stack the
//!   frame holds there; `YIELD_VALUE` writes the stack back and returns, as ceval does.
//!
//! Multi-operand instructions pass their operands through the frame's own value-stack slots
//! (see `runtime-ext/src/helpers/mod.rs`): native code stores its owned stack values to
//! `localsplus[nlocalsplus + depth ..]` and a helper consumes them; helpers that produce several
//! values (`UNPACK_*`) write them there and native code loads them back as owned references.
//!
//! Values that `LOAD_METHOD`/`BEFORE_WITH` helpers return through a `stack_alloc` out-slot, and
//! `UNPACK_*` results loaded from frame slots, are owned references like every stack value.
//!
//! Operators, subscripts, comparisons and truth tests become Python-level `py.*` operations
//! that carry the frame state before the instruction; the profile's feedback is copied into
//! the function (`feedback @12 ...`), and the `specialize` pass, not the translator, turns
//! them into guarded typed code. A definite-assignment analysis (`blocks.rs`) drops unbound
//! checks of locals bound on every path.
//!
//! Files: `blocks` finds block leaders and bound locals, `context` holds the translation
//! state (stack, blocks, frame states), [`coverage`] says how each opcode is translated, one
//! file per opcode family translates instructions.

mod blocks;
mod calls;
mod containers;
mod context;
pub mod coverage;
mod dispatch;
mod flow;
mod generators;
mod handlers;
mod names;
mod ops;
mod stack;
mod unsupported;

use s6_profiles::model::SiteFeedback;
use s6_py311::marshal::{CO_ASYNC_GENERATOR, CO_COROUTINE, CO_NEWLOCALS, CO_OPTIMIZED, Code};
use thiserror::Error;

pub use unsupported::unsupported_reason;

/// Why a code object was not translated.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum TranslateError {
    /// Deliberately not compiled (async generators, coroutines with `async for`/`async with`,
    /// module and class bodies).
    #[error("skipped: {reason}")]
    Skip { reason: String },
    /// The bytecode does not decode.
    #[error("cannot decode bytecode: {0}")]
    Decode(#[from] s6_py311::DecodeError),
    /// The bytecode breaks an invariant the translator relies on (a bug or foreign input).
    #[error("malformed bytecode at {index}: {what}")]
    Malformed { index: u32, what: String },
    /// The produced IR failed verification (a translator bug).
    #[error("IR does not verify: {0}")]
    Verify(String),
}

impl TranslateError {
    /// A short group name for summaries ("generator", "module-or-class-body", ...).
    pub fn group(&self) -> String {
        match self {
            TranslateError::Skip { reason } => {
                reason.split(':').next().unwrap_or(reason).to_string()
            }
            TranslateError::Decode(_) => "decode".into(),
            TranslateError::Malformed { .. } => "malformed".into(),
            TranslateError::Verify(_) => "verify".into(),
        }
    }
}

/// Whether and why `code` is skipped before translation.
pub fn skip_reason(code: &Code) -> Option<String> {
    if let Some(why) = async_reason(code) {
        return Some(format!("coroutine: {why}"));
    }
    if code.flags & (CO_OPTIMIZED | CO_NEWLOCALS) != (CO_OPTIMIZED | CO_NEWLOCALS) {
        return Some(
            "module-or-class-body: runs once, with a locals dict (f_locals) instead of fast locals"
                .into(),
        );
    }
    None
}

/// Why a coroutine or async generator stays in the interpreter, if it does: async generators
/// (their yields are wrapped for the event loop, `ASYNC_GEN_WRAP`) and coroutines that use
/// `async for` or `async with` (`GET_AITER`, `GET_ANEXT`, `END_ASYNC_FOR`, `BEFORE_ASYNC_WITH`
/// have no native form: a deopt at every iteration would cost more than interpreting).
/// Generators and other coroutines (`await`) are compiled.
pub fn async_reason(code: &Code) -> Option<&'static str> {
    use s6_py311::opcodes::{BEFORE_ASYNC_WITH, END_ASYNC_FOR, GET_AITER, GET_ANEXT};
    if code.flags & CO_ASYNC_GENERATOR != 0 {
        return Some("async generator (yields wrapped for the event loop run in the interpreter)");
    }
    if code.flags & CO_COROUTINE != 0 {
        let list = s6_py311::bytecode::decode(&code.code).unwrap_or_default();
        if list.iter().any(|i| {
            matches!(
                i.base_op(),
                GET_AITER | GET_ANEXT | END_ASYNC_FOR | BEFORE_ASYNC_WITH
            )
        }) {
            return Some("coroutine with async for or async with (run in the interpreter)");
        }
    }
    None
}

/// Translates `code` into a verified strongjit function named `symbol`. `feedback` is the
/// profile's per-instruction feedback (any order; may be empty).
pub fn translate(
    code: &Code,
    feedback: &[SiteFeedback],
    symbol: &str,
) -> Result<s6_strongjit::Function, TranslateError> {
    if let Some(reason) = skip_reason(code) {
        return Err(TranslateError::Skip { reason });
    }
    let func = context::Translator::new(code, feedback, symbol)?.run()?;
    s6_strongjit::verify(&func).map_err(|e| TranslateError::Verify(e.to_string()))?;
    Ok(func)
}
