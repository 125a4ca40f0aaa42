//! `s6c report STATS... [--profile P] [--html DIR]`: what production did with the cache, and what
//! to do about it. Reads `S6_STATS` reports (one per process, added up; the schema is
//! `s6_profiles::stats`) and, optionally, the profile the cache was built from, which adds source
//! lines, the types seen while profiling, and the code that ran hot but never natively. `--html`
//! writes an annotated source view, one page per module, in the spirit of `cython -a`.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use s6_profiles::format::read_profile;
use s6_profiles::model::{CodeProfile, Profile, SiteFeedback};
use s6_profiles::stats::{ExitStats, FunctionStats, Stats};

#[derive(clap::Args)]
pub struct Args {
    /// `S6_STATS` reports (one per process: `S6_STATS=stats/%p.json`); they are added up.
    #[arg(required = true, value_name = "STATS")]
    stats: Vec<PathBuf>,
    /// The profile the cache was built from: adds source lines, the types seen while
    /// profiling, and hot code that never ran natively.
    #[arg(long, value_name = "PROFILE")]
    profile: Option<PathBuf>,
    /// Also write an annotated source view into DIR (index.html and one page per module);
    /// needs --profile, which names the source files.
    #[arg(long, value_name = "DIR")]
    html: Option<PathBuf>,
}

/// A function's share of the calls at or above which failures are worth advice.
const NOTABLE: f64 = 0.01;
/// Inclusive share of the profiled samples above which code that never ran natively matters.
const HOT: f64 = 0.01;

pub fn run(args: Args) -> anyhow::Result<()> {
    if args.html.is_some() && args.profile.is_none() {
        bail!("--html needs --profile PROFILE: the source files and lines come from the profile");
    }
    let mut total = Stats::default();
    for path in &args.stats {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read stats {}", path.display()))?;
        let stats = Stats::from_json(&text).map_err(|e| {
            anyhow::anyhow!(
                "{} is not an S6_STATS report ({e}): give the files S6_STATS=PATH wrote",
                path.display()
            )
        })?;
        total.add(stats);
    }
    let profile = match &args.profile {
        Some(p) => Some(read_profile(p)?.1),
        None => None,
    };
    let report = Report::new(&total, profile.as_ref(), args.stats.len());
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(report.text().as_bytes());
    if let (Some(dir), Some(profile)) = (&args.html, &profile) {
        let pages = report.html(dir, profile)?;
        let _ = writeln!(
            out,
            "\nannotated source: {} ({pages} module page(s))",
            dir.join("index.html").display()
        );
    }
    Ok(())
}

/// What the profile knows about one function: where it is, its lines, its share of the samples.
struct Known<'a> {
    code: &'a CodeProfile,
    /// Line of each code unit (from the marshal bytes), when they decode.
    lines: Vec<Option<u32>>,
    /// Inclusive and self shares of the profiled samples.
    share: f64,
    self_share: f64,
}

impl Known<'_> {
    fn line_of(&self, index: u32) -> Option<u32> {
        self.lines.get(index as usize).copied().flatten()
    }

    fn site(&self, index: u32) -> Option<&SiteFeedback> {
        self.code.sites.iter().find(|s| s.index == index)
    }
}

fn known(code: &CodeProfile, total_samples: u64) -> Known<'_> {
    let lines = s6_py311::marshal::load_code(&code.marshal)
        .ok()
        .and_then(|c| s6_py311::locations::lines(&c.linetable, c.firstlineno, c.code_units()).ok())
        .unwrap_or_default();
    Known {
        code,
        lines,
        share: code.inclusive_samples as f64 / total_samples.max(1) as f64,
        self_share: code.self_samples as f64 / total_samples.max(1) as f64,
    }
}

/// Where a function's calls went.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Fate {
    /// Ran natively (guards held on most calls).
    Native,
    /// Ran its generic variant, or left native code on most calls.
    Generic,
    /// Hot in the profile, never entered natively.
    Interpreter,
}

struct Report<'a> {
    stats: &'a Stats,
    processes: usize,
    /// Profile entries by statistics name (`module.qualname`, `#line` for redefinitions).
    by_name: BTreeMap<String, Known<'a>>,
    total_samples: u64,
    profile: Option<&'a Profile>,
}

impl<'a> Report<'a> {
    fn new(stats: &'a Stats, profile: Option<&'a Profile>, processes: usize) -> Report<'a> {
        let mut by_name = BTreeMap::new();
        let total_samples = profile.map_or(0, |p| p.total_samples);
        if let Some(p) = profile {
            for c in &p.code {
                let base = format!("{}.{}", c.key.module, c.key.qualname);
                let name = if by_name.contains_key(&base) {
                    format!("{base}#{}", c.key.firstlineno)
                } else {
                    base
                };
                by_name.insert(name, known(c, total_samples));
            }
        }
        Report {
            stats,
            processes,
            by_name,
            total_samples,
            profile,
        }
    }

    fn fate(&self, f: &FunctionStats) -> Fate {
        let left = f.deopts + f.generic_entries;
        if f.native_entries == 0 && f.generic_entries == 0 {
            Fate::Interpreter
        } else if left * 2 >= f.native_entries.max(1) {
            Fate::Generic
        } else {
            Fate::Native
        }
    }

    fn location(&self, name: &str, index: Option<u32>) -> String {
        let Some(k) = self.by_name.get(name) else {
            return index.map_or_else(String::new, |i| format!(" at instruction {i}"));
        };
        let line = index
            .and_then(|i| k.line_of(i))
            .unwrap_or(k.code.key.firstlineno);
        format!(" ({}:{line})", k.code.key.filename)
    }

    fn text(&self) -> String {
        let s = self.stats;
        let mut o = String::new();
        let plural =
            |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
        let _ = writeln!(
            o,
            "s6c report: {}; {} native entries, {} deopts, {} exceptions handed to the interpreter, {} caught natively",
            plural(self.processes, "process", "processes"),
            s.native_entries,
            s.deopts,
            s.errors_to_interpreter,
            s.functions
                .values()
                .map(|f| f.exceptions_caught)
                .sum::<u64>()
        );
        let _ = writeln!(
            o,
            "cache: {} of {} object(s) loaded, {} function(s) of loaded objects (the busiest process)",
            s.objects_loaded, s.objects_in_cache, s.functions_loaded
        );
        let mut advice: Vec<String> = Vec::new();

        // Functions, busiest first.
        let mut funcs: Vec<(&String, &FunctionStats)> = s.functions.iter().collect();
        funcs.sort_by(|a, b| {
            (b.1.native_entries + b.1.generic_entries)
                .cmp(&(a.1.native_entries + a.1.generic_entries))
                .then(a.0.cmp(b.0))
        });
        let ran: Vec<_> = funcs
            .iter()
            .filter(|(_, f)| f.native_entries + f.generic_entries > 0)
            .collect();
        if !ran.is_empty() {
            let _ = writeln!(o, "\nRan natively (calls that started in native code):");
            let _ = writeln!(
                o,
                "  {:>10} {:>8} {:>10} {:>8}  function",
                "entries", "deopts", "exceptions", "generic"
            );
            for (name, f) in &ran {
                let _ = writeln!(
                    o,
                    "  {:>10} {:>8} {:>10} {:>8}  {name}{}",
                    f.native_entries,
                    f.deopts,
                    f.errors_to_interpreter,
                    f.generic_entries,
                    self.location(name, None)
                );
            }
        }

        // Guards that failed, by site.
        let mut failed: Vec<(&String, &FunctionStats, &ExitStats)> = funcs
            .iter()
            .flat_map(|(n, f)| {
                f.exits
                    .iter()
                    .filter(|e| e.kind != "error")
                    .map(move |e| (*n, *f, e))
            })
            .collect();
        failed.sort_by_key(|f| std::cmp::Reverse(f.2.count));
        if !failed.is_empty() {
            let _ = writeln!(
                o,
                "\nGuards that failed (the call went on in the interpreter from that point):"
            );
            for (name, f, e) in &failed {
                let rate = e.count as f64 / f.native_entries.max(1) as f64;
                let _ = writeln!(
                    o,
                    "  {name}{}: {} x{} ({:.1}% of its calls)",
                    self.location(name, Some(e.index)),
                    e.reason,
                    e.count,
                    rate * 100.0
                );
                let profiled = self
                    .by_name
                    .get(*name)
                    .and_then(|k| k.site(e.index))
                    .map(crate::inspect_profile::observations);
                if let Some(p) = &profiled {
                    let _ = writeln!(o, "      while profiling: {p}");
                }
                if !e.types.is_empty() {
                    let _ = writeln!(o, "      in production:   {}", e.types.join(", "));
                }
                if rate >= NOTABLE {
                    advice.push(guard_advice(name, e, rate, profiled.is_some()));
                }
            }
        }

        // Exceptions: the program's, not ours.
        let mut raised: Vec<(&String, &ExitStats)> = funcs
            .iter()
            .flat_map(|(n, f)| {
                f.exits
                    .iter()
                    .filter(|e| e.kind == "error")
                    .map(move |e| (*n, e))
            })
            .collect();
        raised.sort_by_key(|r| std::cmp::Reverse(r.1.count));
        if !raised.is_empty() {
            let _ = writeln!(
                o,
                "\nExceptions raised while running natively (the program's own exceptions, caught by its handlers or passed on to its callers; not a failure of s6):"
            );
            for (name, e) in &raised {
                let _ = writeln!(
                    o,
                    "  {name}{}: {} x{}",
                    self.location(name, Some(e.index)),
                    readable_reason(&e.reason),
                    e.count
                );
            }
        }

        // Mostly generic or mostly back in the interpreter.
        let fell_back: Vec<_> = funcs
            .iter()
            .filter(|(_, f)| self.fate(f) == Fate::Generic)
            .collect();
        if !fell_back.is_empty() {
            let _ = writeln!(
                o,
                "\nFell back on most calls (generic variant or interpreter):"
            );
            for (name, f) in &fell_back {
                let _ = writeln!(
                    o,
                    "  {name}{}: {} entries, {} deopts, {} generic{}",
                    self.location(name, None),
                    f.native_entries,
                    f.deopts,
                    f.generic_entries,
                    f.retired
                        .as_ref()
                        .map(|why| format!(" (retired to the interpreter: {why})"))
                        .unwrap_or_default()
                );
            }
        }

        // Hot in the profile, never native.
        if self.total_samples > 0 {
            let mut cold_native: Vec<(&String, &Known)> = self
                .by_name
                .iter()
                .filter(|(n, k)| {
                    k.share >= HOT
                        && k.code.key.qualname != "<module>"
                        && s.functions
                            .get(*n)
                            .is_none_or(|f| f.native_entries + f.generic_entries == 0)
                })
                .collect();
            cold_native.sort_by(|a, b| b.1.share.total_cmp(&a.1.share));
            if !cold_native.is_empty() {
                let _ = writeln!(o, "\nHot while profiling, never ran natively:");
                for (name, k) in &cold_native {
                    let compiled = s.functions.contains_key(*name);
                    let why = if compiled {
                        "compiled and loaded, but never entered (its code changed since profiling, or it only ran as a generator/at module level)"
                    } else {
                        "not in the cache, or its object never loaded"
                    };
                    let _ = writeln!(
                        o,
                        "  {:>5.1}%  {name} ({}:{}): {why}",
                        k.share * 100.0,
                        k.code.key.filename,
                        k.code.key.firstlineno
                    );
                    if !compiled {
                        advice.push(format!(
                            "{name} had {:.1}% of the profiled time but never ran natively: `s6c build --explain` says why it was skipped; if it was below --min-share, compile with `s6c build --all` (or a lower --min-share)",
                            k.share * 100.0
                        ));
                    } else {
                        advice.push(format!(
                            "{name} was compiled but never entered: run with S6_VERBOSE=1 to see whether it \"changed since profiling\", and re-profile the code you deploy"
                        ));
                    }
                }
            }
        }

        if let Some(p) = self.profile
            && let Some(note) = crate::build::unseen_share(p)
        {
            advice.push(note.trim_start_matches("note: ").to_string());
        }
        if advice.is_empty() {
            let _ = writeln!(
                o,
                "\nAdvice: nothing to do; the cache matches how the program ran."
            );
        } else {
            let _ = writeln!(o, "\nAdvice:");
            for a in advice {
                let _ = writeln!(o, "  - {a}");
            }
        }
        o
    }
}

/// Older caches named exceptions `error: s6_rt_call failed`; say what they are.
fn readable_reason(reason: &str) -> String {
    match reason
        .strip_prefix("error: ")
        .and_then(|r| r.strip_suffix(" failed"))
    {
        Some(op) => {
            let op = match op.strip_prefix("s6_rt_") {
                Some(ours) => ours
                    .strip_suffix("_cached")
                    .unwrap_or(ours)
                    .replace('_', " "),
                None => op.to_string(),
            };
            format!("exception raised by {op}")
        }
        None => reason.to_string(),
    }
}

fn guard_advice(name: &str, e: &ExitStats, rate: f64, profiled: bool) -> String {
    let what = e.reason.to_lowercase();
    let pct = rate * 100.0;
    if what.contains("type") || !e.types.is_empty() {
        let seen = if e.types.is_empty() {
            String::new()
        } else {
            format!(" (production saw {})", e.types.join(", "))
        };
        let compare = if profiled {
            ""
        } else {
            "; pass --profile to compare with the types seen while profiling"
        };
        format!(
            "{name}: the guard at instruction {} ({}) failed on {pct:.0}% of calls{seen}: the types changed since profiling; re-profile with a workload that exercises {name} with the types production uses, then rebuild{compare}",
            e.index, e.reason
        )
    } else if what.starts_with("unsupported") {
        format!(
            "{name}: {pct:.0}% of its calls reach an instruction the compiler does not handle yet ({}); that part always runs in the interpreter",
            e.reason
        )
    } else if what.contains("eval breaker") || what.contains("tracing") {
        format!(
            "{name}: {pct:.0}% of its calls left native code for the interpreter's own reasons ({}: signals, thread switches, a tracer); nothing to fix in the profile",
            e.reason
        )
    } else {
        format!(
            "{name}: the exit at instruction {} ({}) was taken on {pct:.0}% of calls; re-profile with a workload closer to production",
            e.index, e.reason
        )
    }
}

// ---------------------------------------------------------------------------------------------
// HTML.

fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
    out
}

const STYLE: &str = "body{font-family:sans-serif;margin:1.5em}\
table.src{border-collapse:collapse;font-family:monospace;font-size:13px}\
table.src td{padding:0 .6em;white-space:pre;vertical-align:top}\
td.n{color:#888;text-align:right}td.b{text-align:right;min-width:4em}\
.native{background:rgba(40,160,60,var(--a))}.generic{background:rgba(230,170,0,var(--a))}\
.interp{background:rgba(210,50,50,var(--a))}\
.badge{background:#c22;color:#fff;border-radius:3px;padding:0 4px;font-size:11px}\
.legend span{padding:2px 8px;margin-right:8px;--a:.5}\
table.idx td,table.idx th{padding:2px 10px;text-align:left}pre{white-space:pre-wrap}";

impl Report<'_> {
    /// Writes `index.html` and one page per source file; returns the number of pages.
    fn html(&self, dir: &Path, profile: &Profile) -> anyhow::Result<usize> {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
        // Per source file: line -> (fate, shade, note) of the innermost function owning it.
        let mut files: BTreeMap<&str, BTreeMap<u32, LineInfo>> = BTreeMap::new();
        let mut modules: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
        // Shaded by the time spent in each function itself (its lines), not in its callees.
        let max_share = self
            .by_name
            .values()
            .map(|k| k.self_share)
            .fold(0.0f64, f64::max)
            .max(1e-9);
        for (name, k) in &self.by_name {
            let stats = self.stats.functions.get(name);
            let fate = match stats {
                Some(f) => self.fate(f),
                None => Fate::Interpreter,
            };
            if fate == Fate::Interpreter && k.share < HOT && stats.is_none() {
                continue; // cold and never native: left unshaded
            }
            modules
                .entry(k.code.key.filename.as_str())
                .or_default()
                .insert(k.code.key.module.as_str());
            let lines = files.entry(k.code.key.filename.as_str()).or_default();
            let shade = 0.12 + 0.6 * (k.self_share / max_share);
            let calls = stats.map_or_else(
                || "never ran natively".to_string(),
                |f| {
                    format!(
                        "{} native entries, {} deopts, {} exceptions to the interpreter, {} caught natively, {} generic",
                        f.native_entries,
                        f.deopts,
                        f.errors_to_interpreter,
                        f.exceptions_caught,
                        f.generic_entries
                    )
                },
            );
            let title = format!(
                "{name}: {:.1}% of profiled time in itself, {:.1}% with callees; {calls}",
                k.self_share * 100.0,
                k.share * 100.0
            );
            for line in k.lines.iter().flatten() {
                let entry = lines.entry(*line).or_default();
                // The innermost function (latest first line) owns a line.
                if entry.owner_first <= k.code.key.firstlineno {
                    entry.owner_first = k.code.key.firstlineno;
                    entry.fate = Some(fate);
                    entry.shade = shade;
                    entry.title = title.clone();
                }
            }
            if let Some(f) = stats {
                for e in &f.exits {
                    if let Some(line) = k.line_of(e.index) {
                        let entry = lines.entry(line).or_default();
                        entry.exits += e.count;
                        let mut note = format!(
                            "{} x{}: {}",
                            if e.kind == "error" {
                                "exception"
                            } else {
                                "deopt"
                            },
                            e.count,
                            readable_reason(&e.reason)
                        );
                        if !e.types.is_empty() {
                            note.push_str(&format!(" (production: {})", e.types.join(", ")));
                        }
                        if let Some(site) = k.site(e.index) {
                            note.push_str(&format!(
                                "; profiled: {}",
                                crate::inspect_profile::observations(site)
                            ));
                        }
                        entry.notes.push(note);
                    }
                }
            }
        }
        let mut index = String::new();
        let _ = write!(
            index,
            "<!doctype html><meta charset=utf-8><title>s6c report</title><style>{STYLE}</style>\
             <h1>s6c report</h1><pre>{}</pre><h2>Modules</h2><table class=idx>\
             <tr><th>module</th><th>file</th><th>native lines</th><th>generic</th><th>interpreter</th></tr>",
            esc(&self.text())
        );
        let mut pages = 0;
        for (n, (file, lines)) in files.iter().enumerate() {
            let page = format!("m{n}.html");
            let count = |f: Fate| lines.values().filter(|l| l.fate == Some(f)).count();
            let names: Vec<&str> = modules.get(file).into_iter().flatten().copied().collect();
            let _ = write!(
                index,
                "<tr><td><a href=\"{page}\">{}</a></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(&names.join(", ")),
                esc(file),
                count(Fate::Native),
                count(Fate::Generic),
                count(Fate::Interpreter)
            );
            std::fs::write(dir.join(&page), self.module_page(file, &names, lines))
                .with_context(|| format!("cannot write {}", dir.join(&page).display()))?;
            pages += 1;
        }
        let _ = write!(
            index,
            "</table><p>Profile: {} run(s), {} samples.</p>",
            profile.runs.len(),
            profile.total_samples
        );
        std::fs::write(dir.join("index.html"), index)
            .with_context(|| format!("cannot write {}", dir.join("index.html").display()))?;
        Ok(pages)
    }

    fn module_page(&self, file: &str, names: &[&str], lines: &BTreeMap<u32, LineInfo>) -> String {
        let mut page = String::new();
        let _ = write!(
            page,
            "<!doctype html><meta charset=utf-8><title>{0}</title><style>{STYLE}</style>\
             <p><a href=index.html>&larr; report</a></p><h1>{0}</h1><p>{1}</p>\
             <p class=legend><span class=native>native</span><span class=generic>generic variant / \
             fell back</span><span class=interp>interpreter (hot, never native)</span> darker: more \
             of the profiled time; hover a line for its function, and a badge for its exits</p>",
            esc(&names.join(", ")),
            esc(file)
        );
        let source = match std::fs::read_to_string(file) {
            Ok(s) => s,
            Err(e) => {
                let _ = write!(
                    page,
                    "<p>source not readable here: {}</p>",
                    esc(&e.to_string())
                );
                return page;
            }
        };
        page.push_str("<table class=src>");
        for (i, text) in source.lines().enumerate() {
            let n = i as u32 + 1;
            let info = lines.get(&n);
            let (class, style, title) = match info.and_then(|l| l.fate.map(|f| (f, l))) {
                Some((fate, l)) => (
                    match fate {
                        Fate::Native => "native",
                        Fate::Generic => "generic",
                        Fate::Interpreter => "interp",
                    },
                    format!(" style=\"--a:{:.2}\"", l.shade),
                    esc(&l.title),
                ),
                None => ("", String::new(), String::new()),
            };
            let badge = match info {
                Some(l) if l.exits > 0 => format!(
                    "<span class=badge title=\"{}\">{}</span>",
                    esc(&l.notes.join("\n")),
                    l.exits
                ),
                _ => String::new(),
            };
            let _ = write!(
                page,
                "<tr id=L{n} class=\"{class}\"{style} title=\"{title}\"><td class=n>{n}</td><td class=b>{badge}</td><td>{}</td></tr>",
                esc(text)
            );
        }
        page.push_str("</table>");
        page
    }
}

#[derive(Default)]
struct LineInfo {
    owner_first: u32,
    fate: Option<Fate>,
    shade: f64,
    title: String,
    exits: u64,
    notes: Vec<String>,
}

#[cfg(test)]
mod tests {
    #[test]
    fn old_exception_reasons_read_as_exceptions() {
        assert_eq!(
            super::readable_reason("error: s6_rt_call failed"),
            "exception raised by call"
        );
        assert_eq!(
            super::readable_reason("error: s6_rt_load_global_cached failed"),
            "exception raised by load global"
        );
        assert_eq!(super::readable_reason("eval breaker"), "eval breaker");
    }
}
