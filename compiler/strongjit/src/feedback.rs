//! The profile's per-site facts, carried by a function so that specialization is a pass over
//! text like any other (S6 wrote `type_feedback @0 monomorphic, int#1` in its optimizer tests).
//!
//! A function's feedback is the profile's [`SiteFeedback`] list for its code object, sorted by
//! bytecode index. In the text, one line per observation, before the frame states:
//!
//! ```text
//!   feedback @12 "BINARY_OP" 3x operands "BINARY_OP_ADD_FLOAT" ["builtins.float", "builtins.float"]
//!   feedback @20 "COMPARE_OP" 3x operands "COMPARE_OP_FLOAT_JUMP" ["builtins.float", "builtins.float"] missed
//!   feedback @30 "LOAD_ATTR" 2x attr "LOAD_ATTR_INSTANCE_VALUE" "__main__.V" "x" instance_value 2
//!   feedback @44 "LOAD_GLOBAL" 2x global "LOAD_GLOBAL_BUILTIN" "len" builtin
//!   feedback @50 "CALL" 2x call "PRECALL_BUILTIN_FAST" builtin "builtins.len"
//!   feedback @60 "BINARY_OP" 1x adaptive 53
//! ```
//!
//! Instructions find their site by their location (`@12`). Passes ask questions through
//! [`Function::site`] and [`SiteFacts`]; they never parse op names themselves.

pub use s6_profiles::model::{
    AttrKind, Callee as CalleeFacts, CodeKey, Feedback, Observation, SiteFeedback,
};

use crate::function::Function;

/// Share of the snapshots a site's dominant observation must have before a pass speculates on
/// it: below this the site is treated as polymorphic and left generic.
pub const SPECULATE_SHARE: f64 = 0.9;

/// Read-only questions about one site's feedback.
#[derive(Clone, Copy, Debug)]
pub struct SiteFacts<'a>(pub &'a SiteFeedback);

impl<'a> SiteFacts<'a> {
    /// The most frequent observation and its share of all observations at the site.
    pub fn dominant(self) -> Option<(&'a Feedback, f64)> {
        let (best, total) = self.dominant_among(|_| true)?;
        Some((&best.feedback, f64::from(best.count) / total as f64))
    }

    /// The most frequent of the observations `keep` accepts, and how many snapshots those
    /// observations have together (None when they have none).
    fn dominant_among(self, keep: impl Fn(&Feedback) -> bool) -> Option<(&'a Observation, u64)> {
        let kept = || self.0.observations.iter().filter(|o| keep(&o.feedback));
        let total: u64 = kept().map(|o| u64::from(o.count)).sum();
        let best = kept().max_by_key(|o| o.count)?;
        (total > 0).then_some((best, total))
    }

    /// The dominant observation if it is frequent enough to speculate on.
    pub fn speculable(self) -> Option<&'a Feedback> {
        self.dominant()
            .filter(|&(_, share)| share >= SPECULATE_SHARE)
            .map(|(f, _)| f)
    }

    /// The specialized form and operand types CPython chose, if speculable
    /// (`BINARY_OP_ADD_FLOAT`, `["builtins.float", "builtins.float"]`), and whether any
    /// observation of the site saw it miss (other operand types reached it).
    ///
    /// Snapshots that caught the site between specializations (`Adaptive`: CPython
    /// de-specialized it after misses and was backing off) name no operand types; they count
    /// as misses, not as another type. The dominant specialized form is speculated on when it
    /// has [`SPECULATE_SHARE`] of the specialized snapshots and those are at least half of all
    /// of them: one snapshot taken while a float site backed off after its first int operands
    /// left a hot float multiply generic.
    pub fn operands(self) -> Option<(&'a str, &'a [String], bool)> {
        let obs = &self.0.observations;
        let total: u64 = obs.iter().map(|o| u64::from(o.count)).sum();
        let (best, specialized) =
            self.dominant_among(|f| !matches!(f, Feedback::Adaptive { .. }))?;
        if specialized * 2 < total || (f64::from(best.count) / specialized as f64) < SPECULATE_SHARE
        {
            return None;
        }
        let missed = specialized < total
            || obs
                .iter()
                .any(|o| matches!(o.feedback, Feedback::Operands { missed: true, .. }));
        match &best.feedback {
            Feedback::Operands { op, types, .. } => Some((op.as_str(), types.as_slice(), missed)),
            _ => None,
        }
    }
}

impl Function {
    /// The feedback of the instruction at bytecode index `index`, if the profile has any.
    pub fn site(&self, index: u32) -> Option<SiteFacts<'_>> {
        self.feedback
            .binary_search_by_key(&index, |s| s.index)
            .ok()
            .map(|i| SiteFacts(&self.feedback[i]))
    }
}
