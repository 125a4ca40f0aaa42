//! `s6c build` as a library: read profiles, pick the code objects worth compiling, run each
//! through translate -> passes -> lower on all cores, write one object per source module and
//! the manifest. A function that fails (or panics) is reported with its reason and skipped; it
//! never stops the build.
//!
//! Selection: by default a code object is compiled when its *inclusive* share of the samples
//! (`inclusive_samples / total_samples`) is at least [`DEFAULT_MIN_SHARE`] (1%): time spent in
//! it or in what it calls, so the callers of hot code are compiled too. `all` takes every code
//! object of the profile. Never compiled, with a stated reason: async generators and
//! coroutines that use `async for`/`async with` (see `translate::async_reason`; generators and
//! other coroutines are compiled), module bodies and class bodies (run once; `locals()` is a
//! dict).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use cranelift_codegen::isa::TargetIsa;
use s6_profiles::abi;
use s6_profiles::manifest::{Binding, BindingEntry, FunctionEntry, Manifest, ObjectEntry};
use s6_profiles::model::{AbiStamp, CodeKey, CodeProfile, Profile};
use s6_py311::marshal::{CO_NEWLOCALS, CO_OPTIMIZED, Code};
use s6_strongjit::BindingKind;

use crate::emit::{self, ObjectInput, cache};
use crate::lower::{self, Lowered};

mod cache_dir;
mod error;
mod inputs;
mod inspect;
mod panics;
mod report;
#[cfg(test)]
mod tests;

use cache_dir::CacheDir;
pub use error::BuildError;
pub use inputs::read_profiles;
pub use inspect::{
    FunctionName, exact_name, find_key, full_name, inspect_asm, inspect_ir, source_lines,
};
use panics::{IN_WORKER, guarded, record_worker_panics};
pub use report::{BuildReport, SkipReason};

/// Default `--min-share`: 1% of all samples, inclusive.
pub const DEFAULT_MIN_SHARE: f64 = 0.01;

/// What to build.
#[derive(Clone, Debug)]
pub struct BuildOptions {
    pub out_dir: PathBuf,
    /// Compile every code object of the profile, whatever its heat.
    pub all: bool,
    /// Minimum inclusive share of samples (0.0 ..= 1.0) when not `all`.
    pub min_share: f64,
    /// Worker threads (0 = number of CPUs).
    pub threads: usize,
    /// strongjit pass pipeline.
    pub pipeline: Vec<String>,
    /// Stress polls in front of every guard (`--stress-guards`; see
    /// [`lower::LowerOptions::stress_guards`]).
    pub stress_guards: bool,
}

impl BuildOptions {
    pub fn new(out_dir: impl Into<PathBuf>) -> BuildOptions {
        BuildOptions {
            out_dir: out_dir.into(),
            all: false,
            min_share: DEFAULT_MIN_SHARE,
            threads: 0,
            pipeline: s6_strongjit::passes::DEFAULT_PIPELINE
                .iter()
                .map(|s| s.to_string())
                .collect(),
            stress_guards: false,
        }
    }
}

/// Symbol of each code object: `#firstlineno` when its module has the qualname twice, and
/// `#firstlineno~hash` (the first 8 hex digits of its marshal hash) when even the first line is
/// shared: code made by `exec` (dataclass and namedtuple methods) has the same name and line in
/// every class, and each variant is compiled under its own symbol.
pub fn symbols(profile: &Profile) -> HashMap<CodeKey, String> {
    let mut count: HashMap<(&str, &str), usize> = HashMap::new();
    let mut same_line: HashMap<(&str, &str, &str, u32), usize> = HashMap::new();
    for c in &profile.code {
        *count.entry((&c.key.module, &c.key.qualname)).or_default() += 1;
        *same_line
            .entry((
                &c.key.module,
                &c.key.filename,
                &c.key.qualname,
                c.key.firstlineno,
            ))
            .or_default() += 1;
    }
    profile
        .code
        .iter()
        .map(|c| {
            let k = &c.key;
            let dup =
                (count[&(k.module.as_str(), k.qualname.as_str())] > 1).then_some(k.firstlineno);
            let mut symbol = abi::function_symbol(&k.module, &k.qualname, dup);
            if same_line[&(
                k.module.as_str(),
                k.filename.as_str(),
                k.qualname.as_str(),
                k.firstlineno,
            )] > 1
            {
                symbol.push_str(&format!("~{:08x}", k.marshal_hash >> 32));
            }
            (k.clone(), symbol)
        })
        .collect()
}

/// Decodes a profile entry's code object.
pub fn load_code(c: &CodeProfile) -> Result<Code, SkipReason> {
    s6_py311::marshal::load_code(&c.marshal).map_err(|e| SkipReason::Marshal(e.to_string()))
}

/// Why `code` is never compiled, if it is not.
pub fn never_compiled(code: &Code) -> Option<SkipReason> {
    if let Some(why) = crate::translate::async_reason(code) {
        Some(SkipReason::Async(why))
    } else if code.flags & (CO_OPTIMIZED | CO_NEWLOCALS) != (CO_OPTIMIZED | CO_NEWLOCALS) {
        Some(if code.name == "<module>" {
            SkipReason::ModuleBody
        } else {
            SkipReason::ClassBody
        })
    } else {
        None
    }
}

/// Python line of each code unit (0 where unknown).
pub fn line_table(code: &Code) -> Vec<u32> {
    s6_py311::locations::lines(&code.linetable, code.firstlineno, code.code_units())
        .map(|v| v.into_iter().map(|l| l.unwrap_or(0)).collect())
        .unwrap_or_default()
}

/// translate -> passes; `after` asks for the IR text after that pass (see `run_pipeline`).
pub fn to_ir(
    code: &Code,
    profile: &CodeProfile,
    symbol: &str,
    cold: bool,
    pipeline: &[String],
    after: Option<&str>,
    inline: Vec<s6_strongjit::function::InlineCallee>,
) -> Result<(s6_strongjit::Function, Option<String>), SkipReason> {
    ir_with(code, profile, symbol, pipeline, after, |f| {
        f.cold = cold;
        f.inline_callees = inline;
    })
}

/// translate, `prepare` the function, then the passes.
fn ir_with(
    code: &Code,
    profile: &CodeProfile,
    symbol: &str,
    pipeline: &[String],
    after: Option<&str>,
    prepare: impl FnOnce(&mut s6_strongjit::Function),
) -> Result<(s6_strongjit::Function, Option<String>), SkipReason> {
    let mut f = crate::translate::translate(code, &profile.sites, symbol).map_err(|e| {
        SkipReason::Translate {
            group: e.group(),
            detail: e.to_string(),
        }
    })?;
    prepare(&mut f);
    let names: Vec<&str> = pipeline.iter().map(String::as_str).collect();
    let dump = s6_strongjit::passes::run_pipeline(&mut f, &names, after)
        .map_err(|e| SkipReason::Passes(e.to_string()))?;
    Ok((f, dump))
}

/// The bodies `passes::inline` may put in place of calls in `c`: for each `CALL` whose every
/// observation named one Python function compiled into the same object (`compiled`), with only
/// positional parameters, no cells and not generator-like, that function's IR after the
/// pipeline, compiled as an `inlinee` with its own callees inlined the same way down to
/// `inline::MAX_INLINE_DEPTH` levels (the last without `inline`), if its body qualifies
/// (`inline::refusal`). Also what was decided at each of `c`'s sites, for `s6c build --explain`.
pub fn inline_callees(
    profile: &Profile,
    symbols: &HashMap<CodeKey, String>,
    compiled: &dyn Fn(&CodeKey) -> bool,
    c: &CodeProfile,
    pipeline: &[String],
) -> (
    Vec<s6_strongjit::function::InlineCallee>,
    Vec<InlineDecision>,
) {
    callees_to_inline(profile, symbols, compiled, c, pipeline, 1)
}

/// [`inline_callees`] for bodies inlined `depth` levels deep.
fn callees_to_inline(
    profile: &Profile,
    symbols: &HashMap<CodeKey, String>,
    compiled: &dyn Fn(&CodeKey) -> bool,
    c: &CodeProfile,
    pipeline: &[String],
    depth: u32,
) -> (
    Vec<s6_strongjit::function::InlineCallee>,
    Vec<InlineDecision>,
) {
    use s6_profiles::model::{Callee, Feedback};
    use s6_py311::marshal::{CO_VARARGS, CO_VARKEYWORDS};
    let mut out = Vec::new();
    let mut decisions = Vec::new();
    if !pipeline.iter().any(|p| p == "inline") {
        return (out, decisions);
    }
    let deepest = depth >= s6_strongjit::passes::inline::MAX_INLINE_DEPTH;
    let inner: Vec<String> = pipeline
        .iter()
        .filter(|p| !deepest || *p != "inline")
        .cloned()
        .collect();
    for site in &c.sites {
        if site.base_op != "CALL" {
            continue;
        }
        let mut keys = site.observations.iter().map(|o| match &o.feedback {
            Feedback::Call {
                callee: Callee::Code(k),
                ..
            } => Some(k),
            _ => None,
        });
        let Some(Some(key)) = keys.next() else {
            continue;
        };
        if keys.any(|k| k != Some(key)) {
            continue;
        }
        let mut decide = |why: Option<&str>| {
            decisions.push(InlineDecision {
                caller: c.key.clone(),
                at: site.index,
                callee: key.clone(),
                refusal: why.map(str::to_string),
            })
        };
        let exact = site.observations.iter().all(
            |o| matches!(&o.feedback, Feedback::Call { op, .. } if op == "CALL_PY_EXACT_ARGS"),
        );
        if !exact {
            decide(Some("the call does not pass exactly its parameters"));
            continue;
        }
        if key.module != c.key.module || key.filename != c.key.filename {
            decide(Some("it is compiled into another object (another module)"));
            continue;
        }
        if !compiled(key) {
            decide(Some("it is not compiled"));
            continue;
        }
        let Some(callee) = profile.code.iter().find(|p| &p.key == key) else {
            continue;
        };
        let Ok(code) = load_code(callee) else {
            continue;
        };
        let plain = code.kwonlyargcount == 0
            && code.flags & (CO_VARARGS | CO_VARKEYWORDS) == 0
            && !code.is_generator_like()
            && code.ncellvars() == 0
            && code.nfreevars() == 0
            && never_compiled(&code).is_none();
        if !plain {
            decide(Some(
                "its signature has more than positional parameters, or it has cells, or it makes a generator",
            ));
            continue;
        }
        let Some(symbol) = symbols.get(key) else {
            continue;
        };
        let nested = if deepest {
            Vec::new()
        } else {
            callees_to_inline(profile, symbols, compiled, callee, &inner, depth + 1).0
        };
        let Ok(body) = inlinee_ir(&code, callee, symbol, &inner, nested) else {
            decide(Some("it does not compile"));
            continue;
        };
        match s6_strongjit::passes::inline::refusal(&body, code.argcount) {
            Some(why) => decide(Some(&why)),
            None => {
                decide(None);
                out.push(s6_strongjit::function::InlineCallee {
                    at: site.index,
                    argcount: code.argcount,
                    body,
                });
            }
        }
    }
    (out, decisions)
}

/// A callee's IR for inlining: as [`to_ir`] makes it, flagged `inlinee` (its own inlined
/// calls give up rather than call).
fn inlinee_ir(
    code: &Code,
    profile: &CodeProfile,
    symbol: &str,
    pipeline: &[String],
    inline: Vec<s6_strongjit::function::InlineCallee>,
) -> Result<s6_strongjit::Function, SkipReason> {
    let (f, _) = ir_with(code, profile, symbol, pipeline, None, |f| {
        f.inline_callees = inline;
        f.inlinee = true;
    })?;
    Ok(f)
}

/// Whether the callee a call site saw is inlined there (`refusal` is `None`) or why not.
#[derive(Clone, Debug)]
pub struct InlineDecision {
    pub caller: CodeKey,
    /// The `CALL`'s code unit.
    pub at: u32,
    pub callee: CodeKey,
    pub refusal: Option<String>,
}

/// One function all the way to machine code; also returns the time spent before lowering.
#[allow(clippy::too_many_arguments)]
pub fn compile_one(
    isa: &dyn TargetIsa,
    c: &CodeProfile,
    code: &Code,
    symbol: &str,
    cold: bool,
    stress_guards: bool,
    pipeline: &[String],
    inline: Vec<s6_strongjit::function::InlineCallee>,
) -> Result<(Lowered, Duration), SkipReason> {
    let started = Instant::now();
    let (f, _) = to_ir(code, c, symbol, cold, pipeline, None, inline)?;
    let ir_time = started.elapsed();
    let lines = line_table(code);
    let line_of = |i: u32| lines.get(i as usize).copied().unwrap_or(0);
    let opts = lower::LowerOptions {
        keep_clif: false,
        stress_guards,
    };
    let l = lower::lower_function(isa, &f, &line_of, &opts)
        .map_err(|e| SkipReason::Lower(e.to_string()))?;
    Ok((l, ir_time))
}

/// The code `s6c build` compiles without `--all`: every code object with at least `min_share`
/// of the samples, and, transitively, every Python function or method the profile saw such
/// code call (the callee code keys of its call and method-load feedback), and every function,
/// lambda, comprehension or generator expression defined in such code (`f.<locals>.g` of the
/// same file) that the sampler caught running at least once: what a hot function makes and
/// runs is hot with it, though its own share may fall under `min_share` by a sample (a
/// generator expression consumed by `set()` or `tuple()` is called from C, so no call
/// feedback names it).
fn selection(profile: &Profile, min_share: f64) -> HashSet<&CodeKey> {
    use s6_profiles::model::{AttrKind, Callee, Feedback};
    let total = profile.total_samples.max(1) as f64;
    let by_key: HashMap<&CodeKey, &CodeProfile> =
        profile.code.iter().map(|c| (&c.key, c)).collect();
    // (file, module, qualname of the defining code) -> the code it defines that ran in samples.
    let mut defined: HashMap<(&str, &str, &str), Vec<&CodeProfile>> = HashMap::new();
    for c in profile.code.iter().filter(|c| c.inclusive_samples > 0) {
        if let Some((parent, _)) = c.key.qualname.rsplit_once(".<locals>.") {
            defined
                .entry((&c.key.filename, &c.key.module, parent))
                .or_default()
                .push(c);
        }
    }
    let mut wanted: HashSet<&CodeKey> = HashSet::new();
    let mut work: Vec<&CodeProfile> = profile
        .code
        .iter()
        .filter(|c| c.inclusive_samples as f64 / total >= min_share)
        .collect();
    while let Some(c) = work.pop() {
        if !wanted.insert(&c.key) {
            continue;
        }
        let key = (&*c.key.filename, &*c.key.module, &*c.key.qualname);
        work.extend(
            defined
                .get(&key)
                .into_iter()
                .flatten()
                .filter(|n| !wanted.contains(&n.key)),
        );
        for site in &c.sites {
            for o in &site.observations {
                let callee = match &o.feedback {
                    Feedback::Call {
                        callee: Callee::Code(k),
                        ..
                    } => k,
                    Feedback::Attr {
                        how:
                            AttrKind::Method {
                                descr: Callee::Code(k),
                            }
                            | AttrKind::ClassAttr {
                                descr: Callee::Code(k),
                            },
                        ..
                    } => k,
                    _ => continue,
                };
                if let Some(&callee) = by_key.get(callee)
                    && !wanted.contains(&callee.key)
                {
                    work.push(callee);
                }
            }
        }
    }
    wanted
}

/// CPU time of the calling thread (Linux: first field of `/proc/thread-self/schedstat`, ns).
fn thread_cpu_time() -> Duration {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse().ok())
        .map_or(Duration::ZERO, Duration::from_nanos)
}

/// Builds the cache. `progress(done, total)` is called as functions finish.
pub fn build(
    abi_stamp: &AbiStamp,
    profile: &Profile,
    opts: &BuildOptions,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<BuildReport, BuildError> {
    let started = Instant::now();
    let isa = lower::isa::target_isa(cfg!(debug_assertions)).map_err(BuildError::Isa)?;
    let mut out_dir = CacheDir::prepare(&opts.out_dir)?;
    let symbols = symbols(profile);
    let mut report = BuildReport {
        total: profile.code.len(),
        ..BuildReport::default()
    };

    // Selection: hot code, and everything hot code was seen calling (a small method called
    // from a hot loop has few samples of its own, but interpreting it costs the caller).
    let total_samples = profile.total_samples.max(1) as f64;
    let wanted = selection(profile, opts.min_share);
    // (code, its bytecode, outside the selection: compiled for size under `--all`).
    let mut work: Vec<(&CodeProfile, Code, bool)> = Vec::new();
    // (module, file, symbol): each object defines a symbol once.
    let mut used = HashSet::new();
    for c in &profile.code {
        let share = c.inclusive_samples as f64 / total_samples;
        let code = match load_code(c) {
            Ok(code) => code,
            Err(r) => {
                report.skipped.push((c.key.clone(), r));
                continue;
            }
        };
        if let Some(r) = never_compiled(&code) {
            report.skipped.push((c.key.clone(), r));
        } else if !opts.all && !wanted.contains(&c.key) {
            report
                .skipped
                .push((c.key.clone(), SkipReason::Cold { share }));
        } else if !used.insert((&c.key.module, &c.key.filename, &symbols[&c.key])) {
            let s = symbols[&c.key].clone();
            report
                .skipped
                .push((c.key.clone(), SkipReason::DuplicateSymbol(s)));
        } else {
            work.push((c, code, !wanted.contains(&c.key)));
        }
    }

    // What is compiled (an inlined callee's symbol must be in the same object).
    let compiled_keys: HashSet<&CodeKey> = work.iter().map(|(c, _, _)| &c.key).collect();
    let compiled = |k: &CodeKey| compiled_keys.contains(k);
    let decisions: Mutex<Vec<InlineDecision>> = Mutex::new(Vec::new());
    // Compile in parallel; a panic in one function is caught and reported.
    let threads = if opts.threads == 0 {
        std::thread::available_parallelism().map_or(1, |n| n.get())
    } else {
        opts.threads
    };
    let compile_started = Instant::now();
    let results: Vec<Mutex<Option<Result<Lowered, SkipReason>>>> =
        work.iter().map(|_| Mutex::new(None)).collect();
    let next = AtomicUsize::new(0);
    let done = AtomicUsize::new(0);
    // (ir time, total per-function time, worker CPU time), summed over workers.
    let times = Mutex::new((Duration::ZERO, Duration::ZERO, Duration::ZERO));
    let restore = record_worker_panics();
    std::thread::scope(|s| {
        for _ in 0..threads.min(work.len().max(1)) {
            s.spawn(|| {
                IN_WORKER.set(true);
                let cpu_start = thread_cpu_time();
                let (mut ir, mut all) = (Duration::ZERO, Duration::ZERO);
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(&(c, ref code, cold)) = work.get(i) else {
                        break;
                    };
                    let started = Instant::now();
                    let r = guarded(|| {
                        let (inline, decided) = if cold {
                            (Vec::new(), Vec::new())
                        } else {
                            inline_callees(profile, &symbols, &compiled, c, &opts.pipeline)
                        };
                        decisions.lock().unwrap().extend(decided);
                        compile_one(
                            &*isa,
                            c,
                            code,
                            &symbols[&c.key],
                            cold,
                            opts.stress_guards,
                            &opts.pipeline,
                            inline,
                        )
                    });
                    all += started.elapsed();
                    let r = r.map(|(l, t)| {
                        ir += t;
                        l
                    });
                    *results[i].lock().unwrap() = Some(r);
                    progress(done.fetch_add(1, Ordering::Relaxed) + 1, work.len());
                }
                let mut t = times.lock().unwrap();
                t.0 += ir;
                t.1 += all;
                t.2 += thread_cpu_time().saturating_sub(cpu_start);
            });
        }
    });
    report.compile_time = compile_started.elapsed();
    report.inlining = decisions.into_inner().unwrap();
    report
        .inlining
        .sort_by(|a, b| (&a.caller, a.at).cmp(&(&b.caller, b.at)));
    report.attempted = work.len();
    let (ir, all, cpu) = times.into_inner().unwrap();
    (report.ir_time, report.codegen_time, report.worker_cpu_time) =
        (ir, all.saturating_sub(ir), cpu);
    report.threads = threads;

    // Group by source module, in key order (deterministic output).
    let mut modules: Modules = BTreeMap::new();
    for ((c, code, _), r) in work.iter().zip(results) {
        match r
            .into_inner()
            .unwrap()
            .expect("every function was compiled")
        {
            Ok(l) => modules
                .entry((c.key.module.clone(), c.key.filename.clone()))
                .or_default()
                .push((c, l, (code.code.len() / 2) as u32)),
            Err(reason) => report.skipped.push((c.key.clone(), reason)),
        }
    }
    let written = write_cache(&*isa, abi_stamp, modules, &mut out_dir, &mut report);
    std::panic::set_hook(restore);
    let manifest = written.inspect_err(|_| out_dir.remove_created())?;
    report.objects = manifest.objects.len();
    report.total_time = started.elapsed();
    Ok(report)
}

/// Compiled functions by `(module, source file)`: each with its code units (the prefilter's).
type Modules<'a> = BTreeMap<(String, String), Vec<(&'a CodeProfile, Lowered, u32)>>;

fn cache_err(dir: &Path, err: impl ToString) -> BuildError {
    BuildError::Cache {
        dir: dir.to_owned(),
        err: err.to_string(),
    }
}

fn write_cache(
    isa: &dyn TargetIsa,
    abi_stamp: &AbiStamp,
    modules: Modules,
    out_dir: &mut CacheDir,
    report: &mut BuildReport,
) -> Result<Manifest, BuildError> {
    let dir = out_dir.dir.clone();
    let dir = dir.as_path();
    let target = lower::isa::describe(isa);
    // Names of files that are not ours are taken: a new object never overwrites them.
    let mut taken = out_dir.foreign.clone();
    let mut manifest = Manifest {
        abi: abi_stamp.clone(),
        native_abi: abi::NATIVE_ABI_VERSION,
        objects: Vec::new(),
    };
    for ((module, source), funcs) in modules {
        let input = ObjectInput {
            source: source.clone(),
            functions: funcs
                .iter()
                .map(|(_, l, _)| {
                    let mut code = l.code.clone();
                    code.binding_slots = l.bindings.len() as u32;
                    code
                })
                .collect(),
            target: target.clone(),
        };
        // A module whose object cannot be made (a bug) costs its functions, not the build.
        IN_WORKER.set(true);
        let emitted = guarded(|| {
            emit::write_object(isa, &input).map_err(|e| SkipReason::Emit(e.to_string()))
        });
        IN_WORKER.set(false);
        let out = match emitted {
            Ok(out) => out,
            Err(reason) => {
                let skipped = funcs
                    .iter()
                    .map(|(c, _, _)| (c.key.clone(), reason.clone()));
                report.skipped.extend(skipped);
                continue;
            }
        };
        let functions = funcs
            .iter()
            .zip(&out.slot_bases)
            .map(|((c, l, units), &base)| FunctionEntry {
                key: c.key.clone(),
                symbol: l.code.symbol.clone(),
                // `cache` slots are not the runtime's to fill: the manifest leaves them out.
                bindings: l
                    .bindings
                    .iter()
                    .enumerate()
                    .filter_map(|(i, b)| {
                        let binding = match b {
                            BindingKind::Type(t) => Binding::Type(t.clone()),
                            BindingKind::Builtin(n) => Binding::Builtin(n.clone()),
                            BindingKind::Object(n) => Binding::Object(n.clone()),
                            BindingKind::Cache => return None,
                        };
                        Some(BindingEntry {
                            slot: base + i as u32,
                            binding,
                        })
                    })
                    .collect(),
                exits: l.exits.clone(),
                code_units: *units,
            })
            .collect::<Vec<_>>();
        report.compiled.extend(
            funcs
                .iter()
                .map(|(c, l, _)| (c.key.clone(), l.code.symbol.clone())),
        );
        let mut entry = ObjectEntry {
            file: cache::object_file_name(&module, &mut taken),
            hash: 0,
            module,
            source,
            binding_slots: out.binding_slots,
            functions,
        };
        let path = dir.join(&entry.file);
        let existed = path.exists();
        cache::write_object_file(dir, &mut entry, &out.bytes).map_err(|e| cache_err(dir, e))?;
        if !existed {
            out_dir.created.push(path);
        }
        manifest.objects.push(entry);
    }
    let path = dir.join(s6_profiles::manifest::MANIFEST_FILE);
    s6_profiles::format::write_manifest(&path, &manifest).map_err(|e| match e {
        s6_profiles::format::FormatError::Write { err, .. } => cache_err(dir, err),
        e => cache_err(dir, e),
    })?;
    // Objects of the earlier build that the new manifest no longer names.
    let named = manifest.objects.iter().map(|o| o.file.clone()).collect();
    out_dir.remove_stale(&named);
    Ok(manifest)
}
