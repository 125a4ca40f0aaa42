//! What a build did: why each skipped function was skipped, and the summary line.

use std::collections::BTreeMap;
use std::time::Duration;

use s6_profiles::model::CodeKey;

/// Why a code object was not compiled.
#[derive(Clone, Debug, PartialEq)]
pub enum SkipReason {
    /// Below `--min-share`.
    Cold {
        share: f64,
    },
    /// An async generator, or a coroutine with `async for`/`async with` (the reason).
    Async(&'static str),
    ModuleBody,
    ClassBody,
    /// The profile's marshal bytes do not decode.
    Marshal(String),
    Translate {
        group: String,
        detail: String,
    },
    Passes(String),
    Lower(String),
    /// A bug: the object of the function's module could not be written.
    Emit(String),
    /// A bug: the compiler panicked on this function.
    Panic(String),
    /// Another code object of the module has the same symbol (same qualname and first line:
    /// two versions of one function in merged profiles); the first one is compiled.
    DuplicateSymbol(String),
}

impl SkipReason {
    /// The group the summary counts this reason in.
    pub fn group(&self) -> String {
        match self {
            SkipReason::Cold { .. } => "below --min-share".into(),
            SkipReason::Async(_) => "async generator or async for/with".into(),
            SkipReason::ModuleBody => "module body".into(),
            SkipReason::ClassBody => "class body".into(),
            SkipReason::Marshal(_) => "bad marshal data".into(),
            SkipReason::Translate { group, .. } => format!("translate: {group}"),
            SkipReason::Passes(_) => "pass pipeline failed".into(),
            SkipReason::Lower(_) => "lowering failed".into(),
            SkipReason::Emit(_) => "object emission failed (bug)".into(),
            SkipReason::Panic(_) => "compiler panic (bug)".into(),
            SkipReason::DuplicateSymbol(_) => "duplicate symbol".into(),
        }
    }
}

impl std::fmt::Display for SkipReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SkipReason::Cold { share } => write!(
                f,
                "cold: {:.3}% of samples, and hot code was not seen calling it",
                share * 100.0
            ),
            SkipReason::Async(why) => f.write_str(why),
            SkipReason::ModuleBody => f.write_str("module body (runs once)"),
            SkipReason::ClassBody => f.write_str("class body (runs once, locals are a dict)"),
            SkipReason::Marshal(e) => write!(f, "marshal: {e}"),
            SkipReason::Translate { detail, .. } => write!(f, "translate: {detail}"),
            SkipReason::Passes(e) => write!(f, "passes: {e}"),
            SkipReason::Lower(e) => write!(f, "lower: {e}"),
            SkipReason::Emit(e) => write!(f, "object emission: {e}"),
            SkipReason::Panic(e) => write!(f, "compiler panic: {e}"),
            SkipReason::DuplicateSymbol(s) => write!(f, "another version of `{s}` is compiled"),
        }
    }
}

/// What a build did.
#[derive(Debug, Default)]
pub struct BuildReport {
    /// Code objects in the profile(s).
    pub total: usize,
    /// Compiled functions: key and symbol.
    pub compiled: Vec<(CodeKey, String)>,
    pub skipped: Vec<(CodeKey, SkipReason)>,
    pub objects: usize,
    /// Wall time of the parallel compile phase (translate .. machine code) and of everything.
    pub compile_time: Duration,
    pub total_time: Duration,
    /// Functions that went through the compile phase (compiled or failed there).
    pub attempted: usize,
    pub threads: usize,
    /// Summed over functions: time in translate + passes, and in lowering + Cranelift.
    pub ir_time: Duration,
    pub codegen_time: Duration,
    /// CPU time the workers spent on the compile phase (Linux `schedstat`; 0 elsewhere).
    pub worker_cpu_time: Duration,
    /// Each call site that saw one Python function of the profile: inlined there or why not
    /// (`s6c build --explain`), by caller and code unit.
    pub inlining: Vec<super::InlineDecision>,
}

impl BuildReport {
    /// "compiled N of M, skipped K: reason xN, ..." (groups by count, most frequent first).
    pub fn summary(&self) -> String {
        let mut groups: BTreeMap<String, usize> = BTreeMap::new();
        for (_, r) in &self.skipped {
            *groups.entry(r.group()).or_default() += 1;
        }
        let mut groups: Vec<_> = groups.into_iter().collect();
        groups.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        let mut s = format!(
            "compiled {} of {}, skipped {}",
            self.compiled.len(),
            self.total,
            self.skipped.len()
        );
        if !groups.is_empty() {
            s.push_str(": ");
            s.push_str(
                &groups
                    .iter()
                    .map(|(g, n)| format!("{g} x{n}"))
                    .collect::<Vec<_>>()
                    .join(", "),
            );
        }
        s
    }

    /// Functions per second of the compile phase (wall clock, all threads).
    pub fn speed(&self) -> f64 {
        let secs = self.compile_time.as_secs_f64().max(1e-9);
        self.attempted as f64 / secs
    }

    /// Functions per CPU-second of the workers (per core, independent of machine load), when
    /// the platform reports thread CPU time.
    pub fn speed_per_core(&self) -> Option<f64> {
        let secs = self.worker_cpu_time.as_secs_f64();
        (secs > 0.0).then(|| self.attempted as f64 / secs)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_groups_reasons_by_count() {
        let key = |q: &str| CodeKey {
            filename: "f.py".into(),
            module: "m".into(),
            qualname: q.into(),
            firstlineno: 1,
            marshal_hash: 0,
        };
        let report = BuildReport {
            total: 5,
            compiled: vec![(key("a"), "s6::m.a".into())],
            skipped: vec![
                (key("b"), SkipReason::Async("async generator")),
                (key("c"), SkipReason::ClassBody),
                (key("d"), SkipReason::Async("async generator")),
                (key("e"), SkipReason::Cold { share: 0.001 }),
            ],
            ..BuildReport::default()
        };
        assert_eq!(
            report.summary(),
            "compiled 1 of 5, skipped 4: async generator or async for/with x2, below --min-share x1, class body x1"
        );
    }
}
