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

    /// Whether some snapshot saw CPython run the site through a Python `__getitem__`
    /// (`BINARY_SUBSCR_GETITEM`).
    pub fn saw_python_getitem(self) -> bool {
        self.0.observations.iter().any(
            |o| matches!(&o.feedback, Feedback::Call { op, .. } if op == "BINARY_SUBSCR_GETITEM"),
        )
    }

    /// Whether every snapshot of the site caught it unspecialized (`Adaptive`: CPython had no
    /// specialized form for what it met, such as a `STORE_SUBSCR` on a container that is
    /// neither a list nor a dict).
    pub fn only_adaptive(self) -> bool {
        !self.0.observations.is_empty()
            && self
                .0
                .observations
                .iter()
                .all(|o| matches!(o.feedback, Feedback::Adaptive { .. }))
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
    /// Observations of one form are counted together whether or not their snapshot caught a
    /// miss. Snapshots that caught the site between specializations (`Adaptive`: CPython
    /// de-specialized it after misses and was backing off) name no operand types; they count
    /// as misses, not as another type. The dominant specialized form is speculated on when it
    /// has [`SPECULATE_SHARE`] of the specialized snapshots and those are at least half of all
    /// of them: one snapshot taken while a float site backed off after its first int operands
    /// left a hot float multiply generic. A site whose forms are only the int and float forms
    /// of one operator (`BINARY_OP_MULTIPLY_INT` and `BINARY_OP_MULTIPLY_FLOAT`: vectors whose
    /// components are sometimes ints) is reported as its float form that missed, which
    /// specialization turns into a number path for both, without deopts.
    pub fn operands(self) -> Option<(&'a str, &'a [String], bool)> {
        let obs = &self.0.observations;
        let total: u64 = obs.iter().map(|o| u64::from(o.count)).sum();
        // (form, types, snapshots, any of them missed), in first-seen order.
        let mut forms: Vec<(&'a str, &'a [String], u64, bool)> = Vec::new();
        let mut specialized = 0u64;
        for o in obs {
            match &o.feedback {
                Feedback::Adaptive { .. } => continue,
                Feedback::Operands { op, types, missed } => {
                    let count = u64::from(o.count);
                    match forms
                        .iter_mut()
                        .find(|f| f.0 == op.as_str() && f.1 == types.as_slice())
                    {
                        Some(f) => {
                            f.2 += count;
                            f.3 |= *missed;
                        }
                        None => forms.push((op.as_str(), types.as_slice(), count, *missed)),
                    }
                }
                // Another kind of fact at an operator's site: it counts against the share.
                _ => {}
            }
            specialized += u64::from(o.count);
        }
        if specialized == 0 || specialized * 2 < total {
            return None;
        }
        let best = forms.iter().max_by_key(|f| f.2)?;
        let any_missed = specialized < total || forms.iter().any(|f| f.3);
        if best.2 as f64 / specialized as f64 >= SPECULATE_SHARE {
            return Some((best.0, best.1, any_missed));
        }
        // Only the int and float forms of one operator: its float form, as a miss.
        let formed: u64 = forms.iter().map(|f| f.2).sum();
        let float = forms.iter().find(|f| number_form(f.0) == Some(true))?;
        let base = number_base(float.0)?;
        let one_operator = forms
            .iter()
            .all(|f| number_form(f.0).is_some() && number_base(f.0) == Some(base));
        (one_operator && formed as f64 / specialized as f64 >= SPECULATE_SHARE)
            .then_some((float.0, float.1, true))
    }
}

/// What a call site's feedback says it calls, for lowering to leave out paths it will not take.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CallSiteKind {
    /// Python functions or bound methods of them (`PRECALL_PYFUNC`, `PRECALL_BOUND_METHOD`,
    /// `CALL_PY_*`).
    Python,
    /// C callables: builtin functions, method descriptors, builtin classes (the other
    /// `PRECALL_*` forms).
    C,
}

impl Function {
    /// The kind of callable the `CALL` at bytecode index `call` (whose `PRECALL` is two code
    /// units before it) calls, when the profile says so with [`SPECULATE_SHARE`]; None for a
    /// site without feedback, a polymorphic one, or one CPython did not specialize.
    pub fn call_site_kind(&self, call: u32) -> Option<CallSiteKind> {
        let kind = |index: u32| match self.site(index)?.speculable()? {
            Feedback::Call { op, .. } if op.starts_with("CALL_PY_") => Some(CallSiteKind::Python),
            Feedback::Call { op, .. } if op == "PRECALL_PYFUNC" || op == "PRECALL_BOUND_METHOD" => {
                Some(CallSiteKind::Python)
            }
            Feedback::Call { op, .. } if op.starts_with("PRECALL_") => Some(CallSiteKind::C),
            _ => None,
        };
        let precall = call.checked_sub(2).and_then(kind);
        match (precall, kind(call)) {
            (Some(a), Some(b)) if a != b => None,
            (a, b) => a.or(b),
        }
    }
}

/// `Some(true)` for a float form of an operator (`BINARY_OP_ADD_FLOAT`,
/// `COMPARE_OP_FLOAT_JUMP`), `Some(false)` for an int form, `None` for any other.
fn number_form(op: &str) -> Option<bool> {
    if !(op.starts_with("BINARY_OP_") || op.starts_with("COMPARE_OP_")) {
        None
    } else if op.ends_with("_FLOAT") || op == "COMPARE_OP_FLOAT_JUMP" {
        Some(true)
    } else if op.ends_with("_INT") || op == "COMPARE_OP_INT_JUMP" {
        Some(false)
    } else {
        None
    }
}

/// The operator a number form belongs to (`BINARY_OP_ADD` for `BINARY_OP_ADD_INT`).
fn number_base(op: &str) -> Option<&str> {
    ["_FLOAT_JUMP", "_INT_JUMP", "_FLOAT", "_INT"]
        .iter()
        .find_map(|suffix| op.strip_suffix(suffix))
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
