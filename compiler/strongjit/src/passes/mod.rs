//! Passes over strongjit functions (one per file, each with one entry function) and the pass
//! manager that runs a named pipeline, verifying after every pass in debug builds and dumping
//! the IR after a chosen pass.

pub mod box_elim;
pub mod catch_types;
pub mod dce;
pub mod inline;
pub mod jump_threading;
pub mod legalize;
pub mod prev_instr;
pub mod refcount_pairs;
pub mod reuse_item_boxes;
pub mod reuse_local_boxes;
pub mod simplify;
pub mod simplify_cfg;
pub mod specialize;
pub mod ssa_locals;
pub mod thread_branches;
pub mod tracing_checks;
pub mod unbox_params;
pub mod unreachable_blocks;

use crate::function::Function;
use crate::verifier::{VerifierErrors, verify};
use crate::write::print;

/// A registered pass.
#[derive(Clone, Copy, Debug)]
pub struct PassInfo {
    /// Pipeline name (`dce`).
    pub name: &'static str,
    pub run: fn(&mut Function),
    /// One line: what it does.
    pub summary: &'static str,
}

/// Every pass, by name.
pub const PASSES: &[PassInfo] = &[
    PassInfo {
        name: "unreachable_blocks",
        run: unreachable_blocks::remove_unreachable_blocks,
        summary: "remove blocks unreachable from the entry (and frame states only they used)",
    },
    PassInfo {
        name: "simplify_cfg",
        run: simplify_cfg::simplify_cfg,
        summary: "fold constant/identical branches, merge blocks into their single jumping predecessor",
    },
    PassInfo {
        name: "jump_threading",
        run: jump_threading::thread_jumps,
        summary: "send edges into blocks that only jump elsewhere straight to the final target",
    },
    PassInfo {
        name: "refcount_pairs",
        run: refcount_pairs::remove_refcount_pairs,
        summary: "remove an incref and a following decref of the same value with nothing observable between",
    },
    PassInfo {
        name: "ssa_locals",
        run: ssa_locals::ssa_locals,
        summary: "make every load of a local the SSA value it holds there (block parameters at merges)",
    },
    PassInfo {
        name: "specialize",
        run: specialize::specialize,
        summary: "typed code for Python-level operations on known or speculated int/float/list/tuple operands",
    },
    PassInfo {
        name: "inline",
        run: inline::inline_calls,
        summary: "put the bodies of small invisible callees in place of their calls, behind a guard, the call beside them",
    },
    PassInfo {
        name: "catch_types",
        run: catch_types::type_catch_loads,
        summary: "guard the locals a catch block reads from the frame with the exact int/float type their merges carry",
    },
    PassInfo {
        name: "simplify",
        run: simplify::simplify,
        summary: "propagate Python types, drop redundant guards, forward unbox(box x), fold bool tests",
    },
    PassInfo {
        name: "thread_branches",
        run: thread_branches::thread_branches,
        summary: "copy a small join block onto each edge whose constant argument decides its branch",
    },
    PassInfo {
        name: "unbox_params",
        run: unbox_params::unbox_params,
        summary: "give loop-carried int/float block parameters an unboxed twin that replaces their unboxes",
    },
    PassInfo {
        name: "box_elim",
        run: box_elim::eliminate_boxes,
        summary: "remove boxes that are only released, checked or kept for exits (exits box them)",
    },
    PassInfo {
        name: "reuse_local_boxes",
        run: reuse_local_boxes::reuse_local_boxes,
        summary: "store a computed int/float into the local's own object when only the frame holds it",
    },
    PassInfo {
        name: "reuse_item_boxes",
        run: reuse_item_boxes::reuse_item_boxes,
        summary: "store a computed float into a container slot's own object when only the slot holds it",
    },
    PassInfo {
        name: "tracing_checks",
        run: tracing_checks::remove_redundant_tracing_checks,
        summary: "remove check_tracing where no Python code can have run since entry or the last check",
    },
    PassInfo {
        name: "prev_instr",
        run: prev_instr::remove_dead_prev_instr,
        summary: "remove set_prev_instr overwritten before anything reads it",
    },
    PassInfo {
        name: "legalize",
        run: legalize::legalize,
        summary: "turn every unspecialized Python-level operation (py.*) into its generic call",
    },
    PassInfo {
        name: "dce",
        run: dce::eliminate_dead_code,
        summary: "remove pure instructions whose results are unused",
    },
];

/// The pipeline `s6c build` runs by default.
/// `simplify_cfg` runs again after `jump_threading` to merge the blocks that threading left
/// with a single predecessor and to fold branches whose two edges became identical.
pub const DEFAULT_PIPELINE: &[&str] = &[
    "ssa_locals",
    "specialize",
    "inline",
    "catch_types",
    "simplify",
    "thread_branches",
    "unbox_params",
    "simplify",
    "box_elim",
    "reuse_local_boxes",
    "reuse_item_boxes",
    "legalize",
    "tracing_checks",
    "prev_instr",
    "simplify_cfg",
    "jump_threading",
    "simplify_cfg",
    "unreachable_blocks",
    "refcount_pairs",
    "dce",
];

/// The registered pass called `name`.
pub fn lookup(name: &str) -> Option<&'static PassInfo> {
    PASSES.iter().find(|p| p.name == name)
}

/// Why a pipeline did not run to the end.
#[derive(Debug, thiserror::Error)]
pub enum PassError {
    #[error("unknown pass `{0}` (known: {known})", known = PASSES.iter().map(|p| p.name).collect::<Vec<_>>().join(", "))]
    UnknownPass(String),
    #[error("`{0}` is not in the pipeline, so there is nothing to dump after it")]
    NotInPipeline(String),
    /// The function was invalid before the first pass (`pass` = "input") or a pass broke it.
    #[error("IR invalid after {pass}:\n{errors}")]
    Verify {
        pass: String,
        errors: VerifierErrors,
        ir: String,
    },
}

/// Runs the passes named in `pipeline` in order. In debug builds verifies the input and the
/// result of every pass. If `after` names a pass of the pipeline, returns the IR text right
/// after its last run (`s6c inspect ir --after dce`); with `after` = `Some("input")`, the IR
/// before any pass.
pub fn run_pipeline(
    f: &mut Function,
    pipeline: &[&str],
    after: Option<&str>,
) -> Result<Option<String>, PassError> {
    let passes = pipeline
        .iter()
        .map(|&name| lookup(name).ok_or_else(|| PassError::UnknownPass(name.to_string())))
        .collect::<Result<Vec<_>, _>>()?;
    if let Some(a) = after
        && a != "input"
        && !pipeline.contains(&a)
    {
        return Err(PassError::NotInPipeline(a.to_string()));
    }
    let check = |f: &Function, pass: &str| -> Result<(), PassError> {
        if cfg!(debug_assertions) {
            verify(f).map_err(|errors| PassError::Verify {
                pass: pass.to_string(),
                errors,
                ir: print(f),
            })?;
        }
        Ok(())
    };
    check(f, "input")?;
    let mut dump = (after == Some("input")).then(|| print(f));
    for pass in passes {
        (pass.run)(f);
        check(f, pass.name)?;
        if after == Some(pass.name) {
            dump = Some(print(f));
        }
    }
    Ok(dump)
}
