//! strongjit: the SSA IR of s6.
//!
//! A [`Function`] is SSA with block parameters (no phis). Values are typed ([`Type`]: `obj`,
//! `i64`, `i32`, `i8`, `f64`, `ptr`); reference counting is explicit (`incref`/`decref`),
//! errors and guard failures are explicit exits that name a shared [`FrameState`] (`fs3`): the
//! bytecode index and exact value stack the interpreter resumes with. Everything native code
//! may call is in the callee table ([`callees`]).
//!
//! Modules: [`entities`] (typed ids), [`types`], [`instructions`] (opcode table and operand
//! formats), [`callees`], [`function`], [`cfg`](mod@cfg), [`dominators`], [`builder`],
//! [`write`](mod@write) (printer), [`parser`], [`verifier`], [`passes`], [`filecheck`] (the
//! test matcher).
//!
//! # Text format
//! ```text
//! function "s6::mod.f" nlocalsplus=3 stacksize=4 {
//!   b0 = type "builtins.int"
//!   fs0 = state @12 [v1, v4]
//! bb0(v0: ptr, v1: ptr):
//!   v2 = load_local 0 @2
//!   v3 = call PyNumber_Add(v2, v2) @4
//!   check_null v3, fs0 @4
//!   return v3
//! }
//! ```
//! `;` starts a comment to the end of the line. Ids in the text are the arena ids (sparse
//! after passes). The syntax of each instruction is on its [`Opcode`] variant.
//!
//! # Semantics that are not in the types
//! * `load_local`, `load_const`, `load_name`, `load_binding` produce *borrowed* references;
//!   `store_local` consumes its value and XDECREFs the old one; `return` consumes its value.
//! * A `call` follows its [`callees::Callee`] contract (result ownership, stolen arguments,
//!   failure signalling); the verifier checks its signature.
//! * Exits: `check_null v, fs` / `check_neg v, fs` leave with the exception set when taken
//!   (the interpreter sees `prev_instr = fs.index`, i.e. resumes with `next_index = index + 1`
//!   and unwinds); `deopt_if c, fs, "why"` / `deopt fs, "why"` leave without exception and the
//!   interpreter resumes *at* `fs.index`; `raise fs` leaves with an exception already set.
//!   A taken exit transfers ownership of the frame state's stack values to the interpreter
//!   frame (written to `localsplus` without incref); a not-taken conditional exit transfers
//!   nothing. Locals are always in the frame (write-through `store_local`).
//! * `branch`, `select`, `deopt_if` test an `i8` for non-zero; compares produce 0/1.
//!
//! # Typical use
//! ```
//! use s6_strongjit::{FunctionBuilder, Type, print, parse, verify, run_pipeline};
//! let mut b = FunctionBuilder::new("s6::m.f", 1, 1);
//! b.set_loc(Some(2));
//! let x = b.load_local(0);
//! let fs = b.frame_state(2, &[]);
//! let r = b.call_value("PyNumber_Negative", &[x]);
//! b.check_null(r, fs);
//! b.ret(r);
//! let mut f = b.finish();
//! verify(&f).unwrap();
//! run_pipeline(&mut f, s6_strongjit::passes::DEFAULT_PIPELINE, None).unwrap();
//! assert_eq!(parse(&print(&f)).unwrap(), f);
//! ```

pub mod builder;
pub mod callees;
pub mod cfg;
pub mod dominators;
pub mod entities;
pub mod feedback;
pub mod filecheck;
pub mod function;
pub mod instructions;
pub mod parser;
pub mod passes;
pub mod pyops;
pub mod types;
pub mod verifier;
pub mod write;

pub use builder::FunctionBuilder;
pub use callees::{Callee, Failure, RetRef};
pub use entities::{BindingId, Block, FrameStateId, Inst, Value};
pub use function::{
    BindingKind, BlockData, ConstValue, FrameState, Function, SITE_CACHE_WORDS, ValueData, ValueDef,
};
pub use instructions::{
    BlockCall, FloatCC, Format, InstData, IntCC, OPCODES, Opcode, Operands, WellKnown,
};
pub use parser::{ParseError, parse};
pub use passes::{PassError, run_pipeline};
pub use pyops::{NumOp, PyOp};
pub use types::{PyType, Type};
pub use verifier::{ErrorKind, VerifierError, VerifierErrors, verify};
pub use write::{print, print_annotated};
