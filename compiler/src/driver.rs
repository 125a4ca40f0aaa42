//! `s6c build` as a library: read profiles, pick the code objects worth compiling, run each
//! through translate -> passes -> lower on all cores, write one object per source module and
//! the manifest. A function that fails (or panics) is reported with its reason and skipped; it
//! never stops the build.
//!
//! Selection: by default a code object is compiled when its *inclusive* share of the samples
//! (`inclusive_samples / total_samples`) is at least [`DEFAULT_MIN_SHARE`] (1%): time spent in
//! it or in what it calls, so the callers of hot code are compiled too. `all` takes every code
//! object of the profile. Never compiled, with a stated reason: generators, coroutines and
//! async generators (their frame belongs to the generator object), module bodies and class
//! bodies (run once; `locals()` is a dict).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::panic::{AssertUnwindSafe, catch_unwind};
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
        }
    }
}

/// Why a code object was not compiled.
#[derive(Clone, Debug, PartialEq)]
pub enum SkipReason {
    /// Below `--min-share`.
    Cold {
        share: f64,
    },
    GeneratorLike,
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
    /// A bug: the compiler panicked on this function.
    Panic(String),
}

impl SkipReason {
    /// The group the summary counts this reason in.
    pub fn group(&self) -> String {
        match self {
            SkipReason::Cold { .. } => "below --min-share".into(),
            SkipReason::GeneratorLike => "generator/coroutine".into(),
            SkipReason::ModuleBody => "module body".into(),
            SkipReason::ClassBody => "class body".into(),
            SkipReason::Marshal(_) => "bad marshal data".into(),
            SkipReason::Translate { group, .. } => format!("translate: {group}"),
            SkipReason::Passes(_) => "pass pipeline failed".into(),
            SkipReason::Lower(_) => "lowering failed".into(),
            SkipReason::Panic(_) => "compiler panic (bug)".into(),
        }
    }
}

impl std::fmt::Display for SkipReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SkipReason::Cold { share } => write!(f, "cold: {:.3}% of samples", share * 100.0),
            SkipReason::GeneratorLike => {
                f.write_str("generator, coroutine or async generator (frame owned by its object)")
            }
            SkipReason::ModuleBody => f.write_str("module body (runs once)"),
            SkipReason::ClassBody => f.write_str("class body (runs once, locals are a dict)"),
            SkipReason::Marshal(e) => write!(f, "marshal: {e}"),
            SkipReason::Translate { detail, .. } => write!(f, "translate: {detail}"),
            SkipReason::Passes(e) => write!(f, "passes: {e}"),
            SkipReason::Lower(e) => write!(f, "lower: {e}"),
            SkipReason::Panic(e) => write!(f, "compiler panic: {e}"),
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

/// Errors that stop the whole build (bad input or an unwritable cache), one line each.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    #[error(transparent)]
    Profile(#[from] s6_profiles::format::FormatError),
    #[error(transparent)]
    Merge(#[from] s6_profiles::merge::MergeError),
    #[error("cannot set up code generation: {0}")]
    Isa(String),
    #[error("cannot write the cache in {dir}: {err}")]
    Cache { dir: PathBuf, err: String },
}

/// Reads and merges the profiles (all must come from one interpreter).
pub fn read_profiles(paths: &[PathBuf]) -> Result<(AbiStamp, Profile), BuildError> {
    let mut read = Vec::with_capacity(paths.len());
    for p in paths {
        read.push(s6_profiles::format::read_profile(p)?);
    }
    if read.len() == 1 {
        return Ok(read.pop().unwrap());
    }
    Ok(s6_profiles::merge::merge(&read)?)
}

/// Symbol of each code object: `#firstlineno` when its module has the qualname twice.
pub fn symbols(profile: &Profile) -> HashMap<CodeKey, String> {
    let mut count: HashMap<(&str, &str), usize> = HashMap::new();
    for c in &profile.code {
        *count.entry((&c.key.module, &c.key.qualname)).or_default() += 1;
    }
    profile
        .code
        .iter()
        .map(|c| {
            let dup = (count[&(c.key.module.as_str(), c.key.qualname.as_str())] > 1)
                .then_some(c.key.firstlineno);
            (
                c.key.clone(),
                abi::function_symbol(&c.key.module, &c.key.qualname, dup),
            )
        })
        .collect()
}

/// Decodes a profile entry's code object.
pub fn load_code(c: &CodeProfile) -> Result<Code, SkipReason> {
    s6_py311::marshal::load_code(&c.marshal).map_err(|e| SkipReason::Marshal(e.to_string()))
}

/// Why `code` is never compiled, if it is not.
pub fn never_compiled(code: &Code) -> Option<SkipReason> {
    if code.is_generator_like() {
        Some(SkipReason::GeneratorLike)
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
    pipeline: &[String],
    after: Option<&str>,
) -> Result<(s6_strongjit::Function, Option<String>), SkipReason> {
    let mut f = crate::translate::translate(code, &profile.sites, symbol).map_err(|e| {
        SkipReason::Translate {
            group: e.group(),
            detail: e.to_string(),
        }
    })?;
    let names: Vec<&str> = pipeline.iter().map(String::as_str).collect();
    let dump = s6_strongjit::passes::run_pipeline(&mut f, &names, after)
        .map_err(|e| SkipReason::Passes(e.to_string()))?;
    Ok((f, dump))
}

/// One function all the way to machine code; also returns the time spent before lowering.
pub fn compile_one(
    isa: &dyn TargetIsa,
    c: &CodeProfile,
    code: &Code,
    symbol: &str,
    pipeline: &[String],
) -> Result<(Lowered, Duration), SkipReason> {
    let started = Instant::now();
    let (f, _) = to_ir(code, c, symbol, pipeline, None)?;
    let ir_time = started.elapsed();
    let lines = line_table(code);
    let line_of = |i: u32| lines.get(i as usize).copied().unwrap_or(0);
    let l = lower::lower_function(isa, &f, &line_of, false)
        .map_err(|e| SkipReason::Lower(e.to_string()))?;
    Ok((l, ir_time))
}

/// CPU time of the calling thread (Linux: first field of `/proc/thread-self/schedstat`, ns).
fn thread_cpu_time() -> Duration {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse().ok())
        .map_or(Duration::ZERO, Duration::from_nanos)
}

thread_local! {
    /// Set on build worker threads: their panics are recorded, not printed.
    static IN_WORKER: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    static LAST_PANIC: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
}

type PanicHook = Box<dyn Fn(&std::panic::PanicHookInfo<'_>) + Sync + Send + 'static>;

/// Installs a hook that records worker panics (message and location) for [`guarded`] and
/// passes every other thread's panic to the hook that was there before; returns a hook that
/// restores the previous behaviour.
fn record_worker_panics() -> PanicHook {
    let previous: std::sync::Arc<PanicHook> = std::sync::Arc::new(std::panic::take_hook());
    let prev = previous.clone();
    std::panic::set_hook(Box::new(move |info| {
        if IN_WORKER.get() {
            LAST_PANIC.with(|p| *p.borrow_mut() = Some(info.to_string().replace('\n', " ")));
        } else {
            prev(info)
        }
    }));
    Box::new(move |info| previous(info))
}

/// Runs `f`, turning a panic into `SkipReason::Panic` with its message and location.
fn guarded<T>(f: impl FnOnce() -> Result<T, SkipReason>) -> Result<T, SkipReason> {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(r) => r,
        Err(payload) => {
            let msg = LAST_PANIC
                .with(|p| p.borrow_mut().take())
                .unwrap_or_else(|| {
                    payload
                        .downcast_ref::<&str>()
                        .map(|s| s.to_string())
                        .or_else(|| payload.downcast_ref::<String>().cloned())
                        .unwrap_or_else(|| "unknown panic".into())
                });
            Err(SkipReason::Panic(msg))
        }
    }
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
    let symbols = symbols(profile);
    let mut report = BuildReport {
        total: profile.code.len(),
        ..BuildReport::default()
    };

    // Selection.
    let total_samples = profile.total_samples.max(1) as f64;
    let mut work: Vec<(&CodeProfile, Code)> = Vec::new();
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
        } else if !opts.all && share < opts.min_share {
            report
                .skipped
                .push((c.key.clone(), SkipReason::Cold { share }));
        } else {
            work.push((c, code));
        }
    }

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
                    let Some((c, code)) = work.get(i) else { break };
                    let started = Instant::now();
                    let r =
                        guarded(|| compile_one(&*isa, c, code, &symbols[&c.key], &opts.pipeline));
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
    std::panic::set_hook(restore);
    report.compile_time = compile_started.elapsed();
    report.attempted = work.len();
    let (ir, all, cpu) = times.into_inner().unwrap();
    (report.ir_time, report.codegen_time, report.worker_cpu_time) =
        (ir, all.saturating_sub(ir), cpu);
    report.threads = threads;

    // Group by source module, in key order (deterministic output).
    let mut modules: BTreeMap<(String, String), Vec<(&CodeProfile, Lowered)>> = BTreeMap::new();
    for ((c, _), r) in work.iter().zip(results) {
        match r
            .into_inner()
            .unwrap()
            .expect("every function was compiled")
        {
            Ok(l) => modules
                .entry((c.key.module.clone(), c.key.filename.clone()))
                .or_default()
                .push((c, l)),
            Err(reason) => report.skipped.push((c.key.clone(), reason)),
        }
    }
    let manifest = write_cache(&*isa, abi_stamp, modules, &opts.out_dir, &mut report)?;
    report.objects = manifest.objects.len();
    report.total_time = started.elapsed();
    Ok(report)
}

fn cache_err(dir: &Path, err: impl ToString) -> BuildError {
    BuildError::Cache {
        dir: dir.to_owned(),
        err: err.to_string(),
    }
}

fn write_cache(
    isa: &dyn TargetIsa,
    abi_stamp: &AbiStamp,
    modules: BTreeMap<(String, String), Vec<(&CodeProfile, Lowered)>>,
    dir: &Path,
    report: &mut BuildReport,
) -> Result<Manifest, BuildError> {
    std::fs::create_dir_all(dir).map_err(|e| cache_err(dir, e))?;
    // Only files an earlier manifest of this directory named are ever removed (never other
    // `.o` files of a directory that happens to be given as `-o`).
    let previous =
        s6_profiles::format::read_manifest(&dir.join(s6_profiles::manifest::MANIFEST_FILE)).ok();
    let target = lower::isa::describe(isa);
    let mut taken = HashSet::new();
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
                .map(|(_, l)| {
                    let mut code = l.code.clone();
                    code.binding_slots = l.bindings.len() as u32;
                    code
                })
                .collect(),
            target: target.clone(),
        };
        let out = emit::write_object(isa, &input).map_err(|e| cache_err(dir, e))?;
        let functions = funcs
            .iter()
            .zip(&out.slot_bases)
            .map(|((c, l), &base)| FunctionEntry {
                key: c.key.clone(),
                symbol: l.code.symbol.clone(),
                bindings: l
                    .bindings
                    .iter()
                    .enumerate()
                    .map(|(i, b)| BindingEntry {
                        slot: base + i as u32,
                        binding: match b {
                            BindingKind::Type(t) => Binding::Type(t.clone()),
                            BindingKind::Builtin(n) => Binding::Builtin(n.clone()),
                        },
                    })
                    .collect(),
                exits: l.exits.clone(),
            })
            .collect::<Vec<_>>();
        report.compiled.extend(
            funcs
                .iter()
                .map(|(c, l)| (c.key.clone(), l.code.symbol.clone())),
        );
        let mut entry = ObjectEntry {
            file: cache::object_file_name(&module, &mut taken),
            hash: 0,
            module,
            source,
            binding_slots: out.binding_slots,
            functions,
        };
        cache::write_object_file(dir, &mut entry, &out.bytes).map_err(|e| cache_err(dir, e))?;
        manifest.objects.push(entry);
    }
    let path = dir.join(s6_profiles::manifest::MANIFEST_FILE);
    s6_profiles::format::write_manifest(&path, &manifest).map_err(|e| cache_err(dir, e))?;
    // Objects of the earlier build that the new manifest no longer names.
    for old in previous.iter().flat_map(|m| &m.objects) {
        let plain = !old.file.contains(['/', '\\']) && old.file.ends_with(".o");
        if plain && !taken.contains(&old.file) {
            let _ = std::fs::remove_file(dir.join(&old.file));
        }
    }
    Ok(manifest)
}

/// `module.qualname` of a key.
pub fn full_name(k: &CodeKey) -> String {
    format!("{}.{}", k.module, k.qualname)
}

/// Finds one code object by `qualname`, `module.qualname`, either optionally `#firstlineno`.
pub fn find_key<'a, T>(
    items: &'a [T],
    key: impl Fn(&T) -> &CodeKey,
    name: &str,
) -> Result<&'a T, String> {
    let (base, line) = match name.rsplit_once('#') {
        Some((b, l)) if l.parse::<u32>().is_ok() => (b, l.parse::<u32>().ok()),
        _ => (name, None),
    };
    let hits: Vec<&T> = items
        .iter()
        .filter(|c| {
            let k = key(c);
            (k.qualname == base || full_name(k) == base) && line.is_none_or(|l| k.firstlineno == l)
        })
        .collect();
    match hits.as_slice() {
        [one] => Ok(one),
        [] => Err(format!("no function `{name}`")),
        many => Err(format!(
            "`{name}` is ambiguous: {}",
            many.iter()
                .map(|c| format!("{}#{}", full_name(key(c)), key(c).firstlineno))
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
}

/// Source lines of `path` (empty when the file cannot be read).
pub fn source_lines(path: &str) -> Vec<String> {
    std::fs::read_to_string(path)
        .map(|s| s.lines().map(str::to_owned).collect())
        .unwrap_or_default()
}

/// `s6c inspect ir`: the strongjit of one function after the pipeline (or after pass `after`,
/// `input` = before any pass), each bytecode run annotated with its Python line.
pub fn inspect_ir(profile: &Profile, name: &str, after: Option<&str>) -> Result<String, String> {
    let c = find_key(&profile.code, |c| &c.key, name).map_err(|e| format!("{e} in the profile"))?;
    let code = load_code(c).map_err(|e| e.to_string())?;
    if let Some(r) = never_compiled(&code) {
        return Err(format!("{} is not compiled: {r}", full_name(&c.key)));
    }
    let pipeline: Vec<String> = s6_strongjit::passes::DEFAULT_PIPELINE
        .iter()
        .map(|s| s.to_string())
        .collect();
    let upto = match after {
        None => pipeline.len(),
        Some("input") => 0,
        Some(p) => pipeline
            .iter()
            .rposition(|x| x == p)
            .map(|i| i + 1)
            .ok_or_else(|| {
                format!(
                    "pass `{p}` is not in the pipeline (input, {})",
                    pipeline.join(", ")
                )
            })?,
    };
    let symbol = symbols(profile)
        .remove(&c.key)
        .expect("symbol of every key");
    let (f, _) = to_ir(&code, c, &symbol, &pipeline[..upto], None).map_err(|e| e.to_string())?;
    let lines = line_table(&code);
    let text = source_lines(&c.key.filename);
    let file = Path::new(&c.key.filename)
        .file_name()
        .map_or(c.key.filename.clone(), |f| f.to_string_lossy().into_owned());
    let comment = |loc: u32| {
        let line = *lines.get(loc as usize)?;
        (line != 0).then(|| {
            let src = text
                .get(line as usize - 1)
                .map(|s| format!("  {}", s.trim()))
                .unwrap_or_default();
            format!("{file}:{line}{src}")
        })
    };
    Ok(s6_strongjit::print_annotated(&f, &comment))
}

/// `s6c inspect asm`: disassembly of one compiled function from a cache directory.
pub fn inspect_asm(cache_dir: &Path, name: &str) -> Result<String, String> {
    let manifest =
        s6_profiles::format::read_manifest(&cache_dir.join(s6_profiles::manifest::MANIFEST_FILE))
            .map_err(|e| e.to_string())?;
    let entries: Vec<(&ObjectEntry, &FunctionEntry)> = manifest
        .objects
        .iter()
        .flat_map(|o| o.functions.iter().map(move |f| (o, f)))
        .collect();
    let (obj, func) =
        find_key(&entries, |(_, f)| &f.key, name).map_err(|e| format!("{e} in the cache"))?;
    let path = cache_dir.join(&obj.file);
    let bytes = std::fs::read(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    if s6_profiles::hash::fnv1a64(&bytes) != obj.hash {
        return Err(format!(
            "{} does not match the manifest's hash (stale or altered cache)",
            path.display()
        ));
    }
    let text = source_lines(&obj.source);
    let file = Path::new(&obj.source)
        .file_name()
        .map_or(obj.source.clone(), |f| f.to_string_lossy().into_owned());
    let mut out = emit::disasm::disassemble(&bytes, &func.symbol, &file, &|l| {
        text.get((l as usize).wrapping_sub(1)).cloned()
    })?;
    for (i, e) in func.exits.iter().enumerate() {
        out.push_str(&format!(
            "  exit {i}: {:?} @{} {}\n",
            e.kind, e.index, e.reason
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn worker_panics_become_skip_reasons_with_location() {
        let restore = record_worker_panics();
        let r = std::thread::spawn(|| {
            IN_WORKER.set(true);
            guarded::<()>(|| panic!("boom {}", 42))
        })
        .join()
        .unwrap();
        std::panic::set_hook(restore);
        let Err(SkipReason::Panic(msg)) = r else {
            panic!("{r:?}")
        };
        assert!(
            msg.contains("boom 42") && msg.contains("driver.rs"),
            "{msg}"
        );
        assert_eq!(SkipReason::Panic(msg).group(), "compiler panic (bug)");
    }

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
                (key("b"), SkipReason::GeneratorLike),
                (key("c"), SkipReason::ClassBody),
                (key("d"), SkipReason::GeneratorLike),
                (key("e"), SkipReason::Cold { share: 0.001 }),
            ],
            ..BuildReport::default()
        };
        assert_eq!(
            report.summary(),
            "compiled 1 of 5, skipped 4: generator/coroutine x2, below --min-share x1, class body x1"
        );
    }
}
