//! The `S6_STATS` report: the one place its JSON schema is written down. The runtime writes it
//! (`runtime-ext/src/evaluator/stats.rs`, by hand: a handful of integers and names); `s6c report`
//! reads it with the types below, tolerantly: fields it does not know are ignored, and every
//! field but `functions` may be missing, so reports from older and newer runtimes still read.
//!
//! ```json
//! {
//!   "version": 1,                      // STATS_VERSION of the writer (absent before version 1)
//!   "objects_in_cache": 3,             // objects named by every cache activated in the process
//!   "objects_loaded": 1,               // objects actually loaded (each loads on first need)
//!   "functions_loaded": 4,             // functions of loaded objects
//!   "native_entries": 1200,            // totals over "functions"
//!   "deopts": 3,
//!   "errors_to_interpreter": 7,
//!   "functions": {
//!     "module.qualname": {             // `#line` appended to a redefinition of the same name
//!       "native_entries": 600,         // calls that started in native code
//!       "deopts": 3,                   // guard failures: the call finished in the interpreter
//!       "errors_to_interpreter": 7,    // exceptions raised while running natively, handed to
//!                                      // the interpreter to unwind (the program may catch them)
//!       "exits": [                     // per exit site taken at least once
//!         {"index": 14,                // code-unit index of the instruction
//!          "kind": "deopt",            // "deopt" (guard failed) or "error" (exception)
//!          "reason": "type guard: expected builtins.int",
//!          "count": 3}
//!       ]
//!       "exceptions_unwound": 2,       // exceptions no handler of the function caught,
//!                                      // unwound natively (not in errors_to_interpreter)
//!       "exceptions_caught": 5,        // exceptions a handler of the function caught in
//!                                      // native code (not in errors_to_interpreter)
//!       "generic_entries": 0,          // calls that ran without the speculative code: today
//!                                      // in the interpreter, once the function was retired
//!       "retired": "1000 deopts in 1000 native entries (limit 1000)"  // only when retired
//!       // optional, when the runtime records them: per exit "types" (the types seen when it
//!       // failed)
//!     }
//!   }
//! }
//! ```
//!
//! Adding a field is compatible (readers ignore what they do not know); renaming or removing
//! one, or changing a field's meaning, bumps [`STATS_VERSION`].

use std::collections::BTreeMap;

use serde::Deserialize;

/// Version of the `S6_STATS` JSON the runtime writes.
pub const STATS_VERSION: u32 = 1;

/// One process's report.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct Stats {
    pub version: Option<u32>,
    pub objects_in_cache: u64,
    pub objects_loaded: u64,
    pub functions_loaded: u64,
    pub native_entries: u64,
    pub deopts: u64,
    pub errors_to_interpreter: u64,
    pub functions: BTreeMap<String, FunctionStats>,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct FunctionStats {
    pub native_entries: u64,
    pub deopts: u64,
    pub errors_to_interpreter: u64,
    /// Exceptions that left the function with no handler of its own, unwound natively.
    pub exceptions_unwound: u64,
    /// Exceptions a handler of the function caught, run in native code.
    pub exceptions_caught: u64,
    /// Calls that ran without the speculative code (in the interpreter, once retired).
    pub generic_entries: u64,
    /// Why the runtime retired the function's native code (its deopt limit), if it did.
    pub retired: Option<String>,
    pub exits: Vec<ExitStats>,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct ExitStats {
    pub index: u32,
    pub kind: String,
    pub reason: String,
    pub count: u64,
    /// Types seen when the guard failed (when the runtime records them).
    pub types: Vec<String>,
}

impl Stats {
    /// Parses one report; `None` version means "written before the field existed" (1).
    pub fn from_json(text: &str) -> Result<Stats, String> {
        let stats: Stats = serde_json::from_str(text).map_err(|e| e.to_string())?;
        if let Some(v) = stats.version
            && v > STATS_VERSION
        {
            return Err(format!(
                "it has stats version {v}, newer than this s6c reads ({STATS_VERSION}): use the s6c of the runtime that wrote it"
            ));
        }
        Ok(stats)
    }

    /// Adds `other` (another process of the same program) to this report: counters add up,
    /// the cache's object and function counts keep the largest process's.
    pub fn add(&mut self, other: Stats) {
        // Per-process counts of the same cache: the largest.
        self.objects_in_cache = self.objects_in_cache.max(other.objects_in_cache);
        self.objects_loaded = self.objects_loaded.max(other.objects_loaded);
        self.functions_loaded = self.functions_loaded.max(other.functions_loaded);
        self.native_entries += other.native_entries;
        self.deopts += other.deopts;
        self.errors_to_interpreter += other.errors_to_interpreter;
        for (name, f) in other.functions {
            let mine = self.functions.entry(name).or_default();
            mine.native_entries += f.native_entries;
            mine.deopts += f.deopts;
            mine.errors_to_interpreter += f.errors_to_interpreter;
            mine.generic_entries += f.generic_entries;
            mine.exceptions_unwound += f.exceptions_unwound;
            mine.exceptions_caught += f.exceptions_caught;
            if mine.retired.is_none() {
                mine.retired = f.retired;
            }
            for e in f.exits {
                match mine
                    .exits
                    .iter_mut()
                    .find(|m| m.index == e.index && m.kind == e.kind && m.reason == e.reason)
                {
                    Some(m) => {
                        m.count += e.count;
                        for t in e.types {
                            if !m.types.contains(&t) {
                                m.types.push(t);
                            }
                        }
                    }
                    None => mine.exits.push(e),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_fields_are_ignored_and_missing_ones_default() {
        let s = Stats::from_json(
            r#"{"functions": {"m.f": {"native_entries": 2, "future_field": [1, 2],
                 "exits": [{"index": 4, "kind": "deopt", "reason": "r", "count": 1, "new": {}}]}},
                "something_new": true}"#,
        )
        .unwrap();
        let f = &s.functions["m.f"];
        assert_eq!((f.native_entries, f.deopts, f.exits[0].count), (2, 0, 1));
        assert!(Stats::from_json(r#"{"version": 99, "functions": {}}"#).is_err());
        assert!(Stats::from_json("not json").is_err());
    }

    #[test]
    fn reports_of_several_processes_add_up() {
        let one = r#"{"native_entries": 3, "functions": {"m.f": {"native_entries": 3, "deopts": 1,
            "exceptions_unwound": 2, "exceptions_caught": 5,
            "exits": [{"index": 4, "kind": "deopt", "reason": "r", "count": 1}]}}}"#;
        let mut a = Stats::from_json(one).unwrap();
        a.add(Stats::from_json(one).unwrap());
        assert_eq!(a.native_entries, 6);
        let f = &a.functions["m.f"];
        assert_eq!((f.exceptions_unwound, f.exceptions_caught), (4, 10));
        assert_eq!(a.functions["m.f"].exits.len(), 1);
        assert_eq!(a.functions["m.f"].exits[0].count, 2);
    }
}
