//! The `S6_STATS` report: native entries, deopts and errors handed to the interpreter, in total
//! and per function with a count per exit site, plus how much of the cache was actually loaded.
//! Objects load on first need, so `functions_loaded` counts the functions of objects that were
//! loaded (a function is registered with its object), `objects_loaded` those objects and
//! `objects_in_cache` every object of the caches activated in this process. Rendered here as
//! JSON text (no JSON crate is needed for a handful of integers and names); the Python side
//! writes it at exit. The schema is written down in `s6_profiles::stats` (bump its
//! `STATS_VERSION` for an incompatible change).

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::atomic::Ordering;

use super::activate;
use super::record::{self, FnStats};

/// JSON string literal for `s`.
fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `(index, reason, count)` of every exit taken at least once.
fn exits_of(f: &FnStats) -> Vec<(u32, (&'static str, String), u64)> {
    let mut rows: Vec<(u32, (&'static str, String), u64)> = f
        .exits()
        .iter()
        .zip(&f.exit_counts)
        .map(|(site, n)| {
            (
                site.index,
                (record::kind_text(site.kind), site.reason.clone()),
                n.load(Ordering::Relaxed),
            )
        })
        .filter(|row| row.2 > 0)
        .collect();
    let other = f.other_exits.lock().unwrap_or_else(|e| e.into_inner());
    rows.extend(
        other
            .iter()
            .map(|((index, kind, reason), n)| (*index, (*kind, reason.clone()), *n)),
    );
    rows
}

/// Totals of one function name (a function registered twice, e.g. by two `enable()`s, is
/// reported once).
#[derive(Default)]
struct Agg {
    entries: u64,
    deopts: u64,
    errors: u64,
    generic: u64,
    unwound: u64,
    caught: u64,
    retired: Option<String>,
    exits: BTreeMap<(u32, (&'static str, String)), u64>,
}

/// The whole report as a JSON object.
pub fn report() -> String {
    let functions = record::all_functions();
    let mut by_name: BTreeMap<&str, Agg> = BTreeMap::new();
    for f in &functions {
        let agg = by_name.entry(&f.name).or_default();
        agg.entries += f.native_entries.load(Ordering::Relaxed);
        agg.deopts += f.deopts.load(Ordering::Relaxed);
        agg.errors += f.errors_to_interpreter.load(Ordering::Relaxed);
        agg.generic += f.generic_entries.load(Ordering::Relaxed);
        agg.unwound += f.exceptions_unwound.load(Ordering::Relaxed);
        agg.caught += f.exceptions_caught.load(Ordering::Relaxed);
        if let Some(why) = f.retired.lock().unwrap_or_else(|e| e.into_inner()).clone() {
            agg.retired = Some(why);
        }
        for (index, reason, n) in exits_of(f) {
            *agg.exits.entry((index, reason)).or_insert(0) += n;
        }
    }
    let (mut entries, mut deopts, mut errors) = (0u64, 0u64, 0u64);
    let mut rows = Vec::new();
    for (name, agg) in &by_name {
        entries += agg.entries;
        deopts += agg.deopts;
        errors += agg.errors;
        let exits: Vec<String> = agg
            .exits
            .iter()
            .map(|((index, (kind, reason)), count)| {
                format!(
                    "{{\"index\": {index}, \"kind\": \"{kind}\", \"reason\": {}, \"count\": {count}}}",
                    quote(reason)
                )
            })
            .collect();
        let retired = agg
            .retired
            .as_ref()
            .map(|why| format!(", \"retired\": {}", quote(why)))
            .unwrap_or_default();
        rows.push(format!(
            "    {}: {{\"native_entries\": {}, \"deopts\": {}, \"errors_to_interpreter\": {}, \"exceptions_unwound\": {}, \"exceptions_caught\": {}, \"generic_entries\": {}{retired}, \"exits\": [{}]}}",
            quote(name),
            agg.entries,
            agg.deopts,
            agg.errors,
            agg.unwound,
            agg.caught,
            agg.generic,
            exits.join(", ")
        ));
    }
    let (objects_in_cache, objects_loaded) = activate::object_counts();
    format!(
        "{{\n  \"version\": {},\n  \"objects_in_cache\": {objects_in_cache},\n  \"objects_loaded\": {objects_loaded},\n  \"functions_loaded\": {},\n  \"native_entries\": {entries},\n  \"deopts\": {deopts},\n  \"errors_to_interpreter\": {errors},\n  \"functions\": {{\n{}\n  }}\n}}\n",
        s6_profiles::stats::STATS_VERSION,
        by_name.len(),
        rows.join(",\n")
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn quotes_json_strings() {
        assert_eq!(super::quote("a\"b\\c\n"), "\"a\\\"b\\\\c\\u000a\"");
    }
}
