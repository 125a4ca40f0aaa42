//! The whole `s6c build` pipeline on real Python code: selection, skip reasons, objects and
//! manifest read back and checked.

mod build_support;
mod emit_common;

use build_support::*;
use object::{Object, ObjectSection, ObjectSymbol};
use s6_compiler::driver::{self, BuildOptions, SkipReason};

const PROGRAM: &str = r#"
import math

def add(a, b):
    return a + b

def loop(n):
    total = 0
    for i in range(n):
        if i % 3 == 0:
            total += i * 2
        else:
            total -= 1
    return total

def gen(n):
    yield n

async def coro(n):
    yield n

async def awaits(c):
    return await c

class Point:
    def __init__(self, x, y):
        self.x = x
        self.y = y

    def norm(self):
        return math.sqrt(self.x * self.x + self.y * self.y)

def twice(f):
    def inner(x):
        return f(f(x))
    return inner

def catches(d, k):
    try:
        return d[k]
    except KeyError:
        return None
    finally:
        pass

square = lambda v: v * v
"#;

fn setup() -> Option<(
    tempfile::TempDir,
    s6_profiles::model::AbiStamp,
    s6_profiles::model::Profile,
)> {
    let dir = tempfile::tempdir().unwrap();
    let abi = abi()?;
    let profile = profile_of_source(dir.path(), "prog", PROGRAM)?;
    Some((dir, abi, profile))
}

#[test]
fn build_all_writes_checked_objects_and_manifest() {
    let Some((dir, abi, profile)) = setup() else {
        return eprintln!("skipped: no python3");
    };
    let out = dir.path().join("cache");
    let mut opts = BuildOptions::new(&out);
    opts.all = true;
    let report = driver::build(&abi, &profile, &opts, &|_, _| {}).unwrap();
    let reasons: Vec<String> = report
        .skipped
        .iter()
        .map(|(k, r)| format!("{}: {r}", k.qualname))
        .collect();
    // Never compiled: the async generator, the module body and the class body.
    let skipped = |q: &str| {
        report
            .skipped
            .iter()
            .find(|(k, _)| k.qualname == q)
            .map(|(_, r)| r.clone())
    };
    assert!(
        matches!(skipped("coro"), Some(SkipReason::Async(why)) if why.contains("async generator")),
        "{reasons:?}"
    );
    assert_eq!(
        skipped("<module>"),
        Some(SkipReason::ModuleBody),
        "{reasons:?}"
    );
    assert_eq!(skipped("Point"), Some(SkipReason::ClassBody), "{reasons:?}");
    // Everything else compiles (the translator deopts what it cannot do natively).
    for q in [
        "add",
        "loop",
        "gen",
        "awaits",
        "Point.__init__",
        "Point.norm",
        "twice",
        "twice.<locals>.inner",
        "catches",
        "<lambda>",
    ] {
        assert!(
            report.compiled.iter().any(|(k, _)| k.qualname == q),
            "{q} not compiled: {reasons:?}"
        );
    }
    assert_eq!(report.compiled.len() + report.skipped.len(), report.total);
    assert!(report.summary().starts_with(&format!(
        "compiled {} of {}",
        report.compiled.len(),
        report.total
    )));

    let manifest =
        s6_profiles::format::read_manifest(&out.join(s6_profiles::manifest::MANIFEST_FILE))
            .unwrap();
    assert_eq!(manifest.abi, abi);
    assert_eq!(manifest.native_abi, s6_profiles::abi::NATIVE_ABI_VERSION);
    assert_eq!(manifest.objects.len(), 1);
    let obj = &manifest.objects[0];
    assert_eq!(obj.file, "prog.o");
    assert_eq!(obj.module, "prog");
    let bytes = std::fs::read(out.join(&obj.file)).unwrap();
    assert_eq!(s6_profiles::hash::fnv1a64(&bytes), obj.hash);
    let file = object::File::parse(&*bytes).unwrap();
    let exports = emit_common::libpython_exports();
    for f in &obj.functions {
        let sym = file
            .symbols()
            .find(|s| s.name() == Ok(f.symbol.as_str()))
            .unwrap_or_else(|| panic!("{}", f.symbol));
        assert!(sym.is_global() && sym.size() > 0);
        for (i, b) in f.bindings.iter().enumerate() {
            assert!(b.slot < obj.binding_slots, "{i}: {b:?}");
        }
    }
    assert_eq!(
        file.section_by_name(".s6.bindings").unwrap().size(),
        8 * u64::from(obj.binding_slots)
    );
    for s in file
        .symbols()
        .filter(|s| s.is_undefined() && !s.name().unwrap().is_empty())
    {
        let name = s.name().unwrap();
        let ok = name.starts_with("s6_rt_") || exports.as_ref().is_none_or(|e| e.contains(name));
        assert!(ok, "{name}: neither a helper nor a libpython export");
    }
    // readelf accepts the unwind and line tables of real code.
    if let Ok(o) = std::process::Command::new("readelf")
        .args(["--debug-dump=frames,line,info", "-W"])
        .arg(out.join(&obj.file))
        .output()
    {
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(
            o.status.success() && err.trim().is_empty(),
            "readelf: {err}"
        );
    }
    // The symbol of a nested function and a lambda are unique and readable.
    assert!(
        obj.functions
            .iter()
            .any(|f| f.symbol == "s6::prog.twice.<locals>.inner")
    );
    assert!(
        obj.functions
            .iter()
            .any(|f| f.symbol == "s6::prog.<lambda>")
    );
    // Line table: `add`'s return is on line 5 of the file.
    let add = obj
        .functions
        .iter()
        .find(|f| f.key.qualname == "add")
        .unwrap();
    let asm = driver::inspect_asm(&out, "prog.add").unwrap();
    assert!(asm.contains("prog.py:5"), "{asm}");
    assert!(asm.contains(&add.symbol));
}

#[test]
fn min_share_selects_hot_code_only() {
    let Some((dir, abi, mut profile)) = setup() else {
        return eprintln!("skipped: no python3");
    };
    profile.total_samples = 1000;
    for c in &mut profile.code {
        c.inclusive_samples = if c.key.qualname == "loop" { 500 } else { 5 };
    }
    let out = dir.path().join("cache");
    let report = driver::build(&abi, &profile, &BuildOptions::new(&out), &|_, _| {}).unwrap();
    assert_eq!(
        report
            .compiled
            .iter()
            .map(|(k, _)| k.qualname.as_str())
            .collect::<Vec<_>>(),
        ["loop"]
    );
    assert!(
        report
            .skipped
            .iter()
            .any(|(k, r)| k.qualname == "add" && matches!(r, SkipReason::Cold { .. }))
    );
    assert!(
        report.summary().contains("below --min-share x"),
        "{}",
        report.summary()
    );
}

#[test]
fn code_a_hot_function_defines_is_selected_when_it_ran_in_samples() {
    let Some((dir, abi, mut profile)) = setup() else {
        return eprintln!("skipped: no python3");
    };
    profile.total_samples = 1000;
    let samples = |profile: &mut s6_profiles::model::Profile, inner: u64| {
        for c in &mut profile.code {
            c.inclusive_samples = match c.key.qualname.as_str() {
                "twice" => 500,
                "twice.<locals>.inner" => inner,
                _ => 0,
            };
            // No call feedback: only the nesting can select `inner`.
            c.sites.clear();
        }
    };
    let compiled = |profile: &s6_profiles::model::Profile, name: &str| {
        let out = dir.path().join(name);
        let report = driver::build(&abi, profile, &BuildOptions::new(&out), &|_, _| {}).unwrap();
        let mut names: Vec<String> = report
            .compiled
            .iter()
            .map(|(k, _)| k.qualname.clone())
            .collect();
        names.sort();
        names
    };
    // One sample (0.1%, under the 1% default): compiled with the function that defines it.
    samples(&mut profile, 1);
    assert_eq!(compiled(&profile, "one"), ["twice", "twice.<locals>.inner"]);
    // Never caught running: left to the interpreter.
    samples(&mut profile, 0);
    assert_eq!(compiled(&profile, "none"), ["twice"]);
}

#[test]
fn a_failing_function_is_reported_not_fatal() {
    let Some((dir, abi, mut profile)) = setup() else {
        return eprintln!("skipped: no python3");
    };
    let bad = profile
        .code
        .iter_mut()
        .find(|c| c.key.qualname == "add")
        .unwrap();
    bad.marshal.truncate(10);
    let mut opts = BuildOptions::new(dir.path().join("cache"));
    opts.all = true;
    let report = driver::build(&abi, &profile, &opts, &|_, _| {}).unwrap();
    assert!(
        report
            .skipped
            .iter()
            .any(|(k, r)| k.qualname == "add" && matches!(r, SkipReason::Marshal(_)))
    );
    assert!(report.compiled.iter().any(|(k, _)| k.qualname == "loop"));
}

#[test]
fn inspect_ir_is_annotated_with_source() {
    let Some((_dir, _abi, profile)) = setup() else {
        return eprintln!("skipped: no python3");
    };
    let text = driver::inspect_ir(&profile, "add", None).unwrap();
    assert!(text.contains("function \"s6::prog.add\""), "{text}");
    assert!(text.contains("prog.py:5  return a + b"), "{text}");
    let input = driver::inspect_ir(&profile, "prog.add", Some("input")).unwrap();
    assert!(s6_strongjit::parse(&input).is_ok());
    assert!(
        driver::inspect_ir(&profile, "add", Some("nope"))
            .unwrap_err()
            .contains("not in the pipeline")
    );
    assert!(
        driver::inspect_ir(&profile, "missing", None)
            .unwrap_err()
            .contains("no function")
    );
    assert!(
        driver::inspect_ir(&profile, "coro", None)
            .unwrap_err()
            .contains("async generator")
    );
    // A generator's body starts with its resume dispatch.
    let generator = driver::inspect_ir(&profile, "gen", None).unwrap();
    assert!(
        generator.contains("call s6_rt_resume_generator"),
        "{generator}"
    );
}

#[test]
fn rebuild_removes_only_objects_the_old_manifest_named() {
    let Some((dir, abi, mut profile)) = setup() else {
        return eprintln!("skipped: no python3");
    };
    let out = dir.path().join("cache");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(out.join("keep.o"), b"not ours").unwrap();
    let mut opts = BuildOptions::new(&out);
    opts.all = true;
    driver::build(&abi, &profile, &opts, &|_, _| {}).unwrap();
    assert!(out.join("prog.o").exists());
    // Nothing is hot any more: the new cache is empty and the old object goes.
    profile.total_samples = 1_000_000;
    let report = driver::build(&abi, &profile, &BuildOptions::new(&out), &|_, _| {}).unwrap();
    assert!(report.compiled.is_empty());
    assert!(!out.join("prog.o").exists());
    assert!(out.join("keep.o").exists());
    let manifest =
        s6_profiles::format::read_manifest(&out.join(s6_profiles::manifest::MANIFEST_FILE))
            .unwrap();
    assert!(manifest.objects.is_empty());
}

#[test]
fn two_versions_of_one_function_compile_once() {
    let Some((dir, abi, mut profile)) = setup() else {
        return eprintln!("skipped: no python3");
    };
    // Merged profiles of an edited file: same qualname and first line, other bytecode.
    let mut other = profile
        .code
        .iter()
        .find(|c| c.key.qualname == "loop")
        .unwrap()
        .clone();
    let add = profile
        .code
        .iter()
        .find(|c| c.key.qualname == "add")
        .unwrap();
    other.marshal = add.marshal.clone();
    other.key.marshal_hash ^= 1;
    profile.code.push(other);
    profile.code.sort_by(|a, b| a.key.cmp(&b.key));
    let mut opts = BuildOptions::new(dir.path().join("cache"));
    opts.all = true;
    let report = driver::build(&abi, &profile, &opts, &|_, _| {}).unwrap();
    let dups: Vec<_> = report
        .skipped
        .iter()
        .filter(|(_, r)| matches!(r, SkipReason::DuplicateSymbol(_)))
        .collect();
    assert_eq!(dups.len(), 1, "{:?}", report.skipped);
    assert_eq!(
        report
            .compiled
            .iter()
            .filter(|(k, _)| k.qualname == "loop")
            .count(),
        1
    );
}
