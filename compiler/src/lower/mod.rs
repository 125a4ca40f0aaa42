//! Lowering: strongjit `Function` -> Cranelift IR -> machine code with relocations, unwind info
//! and per-offset bytecode positions, ready for `emit`. One function at a time and no shared
//! mutable state, so the driver can lower functions on several threads.
//!
//! Conventions of the generated code (see `s6_profiles::abi`):
//! - signature System V `(ts: i64, frame: i64) -> i64`;
//! - reference counts inline (3.11 has no immortal objects), `_Py_Dealloc` in a cold block;
//! - every exit is a cold block per exit site that writes the frame state's stack to
//!   `localsplus[nlocalsplus ..]` and returns `s6_rt_resume_in_interpreter(...)`;
//! - imports (libpython exports, `s6_rt_*` helpers) are called through the GOT
//!   (`R_X86_64_GOTPCREL`); binding slots are read through the function's slot base, which
//!   Cranelift's PIC mode also takes from the GOT (`R_X86_64_GOTPCREL` to `s6_bindings.<n>`);
//! - Cranelift source locations carry the bytecode index of each instruction.

mod bound;
mod builder;
mod caches;
mod calls;
mod compile;
mod exits;
mod insts;
pub mod isa;
mod refcount;
mod sink;

use cranelift_codegen::isa::TargetIsa;
use s6_profiles::manifest::ExitSite;
use s6_strongjit::{BindingKind, Function};

use crate::emit::FunctionCode;

pub use builder::build_clif;

/// Why a function could not be lowered.
#[derive(Debug, thiserror::Error)]
pub enum LowerError {
    #[error("malformed IR: {0}")]
    Malformed(String),
    #[error("Cranelift: {0}")]
    Codegen(String),
    #[error("unsupported relocation in generated code: {0}")]
    Reloc(String),
}

/// A lowered function: machine code for the object, plus what the manifest must say about it.
#[derive(Clone, Debug)]
pub struct Lowered {
    pub code: FunctionCode,
    /// Exit sites, indexed by the `exit_site` argument the code passes to the runtime.
    pub exits: Vec<ExitSite>,
    /// Binding slots relative to the function's slot base (index = `BindingId`).
    pub bindings: Vec<BindingKind>,
    /// Cranelift IR before compilation (for `inspect`), when requested.
    pub clif: Option<String>,
}

/// How to lower, beyond what the function itself says.
#[derive(Clone, Copy, Debug, Default)]
pub struct LowerOptions {
    /// Keep the Cranelift IR text in [`Lowered::clif`] (for `inspect`).
    pub keep_clif: bool,
    /// Put an `S6_DEOPT_STRESS` poll in front of every guard, and send site-cache hits and
    /// direct calls to their helpers while stress is on, so that a stress run exercises every
    /// guard's exit (`s6c build --stress-guards`). Off in production builds: the polls cost
    /// about 3% of the instructions of call-heavy code and 7% of its machine code.
    pub stress_guards: bool,
}

/// Lowers and compiles `func`. `line_of(index)` gives the Python line of a bytecode index
/// (0 when unknown); it feeds the DWARF line table.
pub fn lower_function(
    isa: &dyn TargetIsa,
    func: &Function,
    line_of: &dyn Fn(u32) -> u32,
    opts: &LowerOptions,
) -> Result<Lowered, LowerError> {
    let built = build_clif(isa, func, opts.stress_guards)?;
    let clif = opts.keep_clif.then(|| built.func.display().to_string());
    let code = compile::compile(isa, built.func, &built.imports, &func.name, line_of)?;
    Ok(Lowered {
        code,
        exits: built.exits,
        bindings: func.bindings.clone(),
        clif,
    })
}
