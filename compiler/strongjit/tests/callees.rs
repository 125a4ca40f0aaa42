//! The callee table is internally consistent and names only functions that exist.

use s6_strongjit::callees::{CALLEES, lookup};
use s6_strongjit::{Failure, RetRef, Type};
use std::collections::HashSet;
use std::process::Command;

#[test]
fn names_are_unique_and_found() {
    let mut seen = HashSet::new();
    for c in CALLEES {
        assert!(seen.insert(c.name), "duplicate callee {}", c.name);
        assert_eq!(lookup(c.name), Some(c));
    }
    assert!(lookup("PyNumber_Nope").is_none());
    // The ABI's helpers (profiles/src/abi.rs) are callable.
    let resume = lookup("s6_rt_resume_in_interpreter").unwrap();
    assert_eq!(
        resume.params,
        &[
            Type::Ptr,
            Type::Ptr,
            Type::I32,
            Type::I32,
            Type::I32,
            Type::I32
        ]
    );
    assert_eq!((resume.ret, resume.ret_ref), (Some(Type::Obj), RetRef::New));
    assert_eq!(lookup("s6_rt_eval_breaker").unwrap().ret, Some(Type::I32));
}

#[test]
fn contracts_agree_with_signatures() {
    for c in CALLEES {
        let n = c.name;
        match c.ret_ref {
            RetRef::New | RetRef::Borrowed => {
                assert_eq!(c.ret, Some(Type::Obj), "{n}: reference result must be obj")
            }
            RetRef::NotRef => assert_ne!(
                c.ret,
                Some(Type::Obj),
                "{n}: obj result needs New or Borrowed"
            ),
        }
        match c.failure {
            Failure::Never => {}
            Failure::Null | Failure::NullWithErr => assert_eq!(c.ret, Some(Type::Obj), "{n}"),
            Failure::Negative => assert!(matches!(c.ret, Some(Type::I32 | Type::I64)), "{n}"),
            Failure::MinusOneWithErr => assert!(
                matches!(c.ret, Some(Type::I32 | Type::I64 | Type::F64)),
                "{n}"
            ),
        }
        for &s in c.steals {
            assert!(
                s < c.params.len() && c.params[s] == Type::Obj,
                "{n}: steals a non-obj or missing arg {s}"
            );
        }
        assert!(!c.name.contains("InPlace") || c.may_run_python, "{n}");
    }
}

/// Every C-API callee must be an exported symbol of the interpreter's libpython (runs when a
/// shared-library Python 3.11 and `nm` are available: `S6_PYTHON` or `python3`).
#[test]
fn c_api_callees_are_exported_by_libpython() {
    let python = std::env::var("S6_PYTHON").unwrap_or_else(|_| "python3".into());
    let script = "import sysconfig as s, os; print(os.path.join(s.get_config_var('LIBDIR'), s.get_config_var('LDLIBRARY')) if s.get_config_var('Py_ENABLE_SHARED') else '')";
    let Ok(out) = Command::new(&python).args(["-c", script]).output() else {
        eprintln!("skipped: no {python}");
        return;
    };
    let lib = String::from_utf8_lossy(&out.stdout).trim().to_string();
    if lib.is_empty() {
        eprintln!("skipped: {python} has no shared libpython");
        return;
    }
    let Ok(nm) = Command::new("nm")
        .args(["-D", "--defined-only", &lib])
        .output()
    else {
        eprintln!("skipped: no nm");
        return;
    };
    let text = String::from_utf8_lossy(&nm.stdout);
    let exported: HashSet<&str> = text
        .lines()
        .filter_map(|l| l.split_whitespace().nth(2))
        .collect();
    assert!(
        exported.contains("PyNumber_Add"),
        "could not read symbols of {lib}"
    );
    let missing: Vec<&str> = CALLEES
        .iter()
        .filter(|c| !c.is_helper() && !exported.contains(c.name))
        .map(|c| c.name)
        .collect();
    assert!(missing.is_empty(), "not exported by {lib}: {missing:?}");
}

/// Every `s6_rt_*` callee is defined as an `extern "C"` function in the runtime (the loader
/// resolves helpers from there); read from the runtime's sources when they are present.
#[test]
fn helpers_exist_in_the_runtime() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../runtime-ext/src");
    if !root.is_dir() {
        eprintln!("skipped: no {}", root.display());
        return;
    }
    let mut defined = HashSet::new();
    let mut dirs = vec![root];
    while let Some(d) = dirs.pop() {
        for e in std::fs::read_dir(d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                dirs.push(p);
            } else if p.extension().is_some_and(|x| x == "rs") {
                let text = std::fs::read_to_string(&p).unwrap();
                let mut from = 0;
                while let Some(k) = text[from..].find("extern \"C\" fn ") {
                    let start = from + k + "extern \"C\" fn ".len();
                    let name: String = text[start..]
                        .chars()
                        .take_while(|c| c.is_alphanumeric() || *c == '_')
                        .collect();
                    defined.insert(name);
                    from = start;
                }
            }
        }
    }
    assert!(
        defined.contains("s6_rt_eval_breaker"),
        "could not read the runtime's helpers"
    );
    let missing: Vec<&str> = CALLEES
        .iter()
        .filter(|c| c.is_helper() && !defined.contains(c.name))
        .map(|c| c.name)
        .collect();
    assert!(
        missing.is_empty(),
        "helpers in the callee table but not in runtime-ext: {missing:?}"
    );
}
