//! The translator's helpers exist with the signature the callee table promises: every `s6_rt_*`
//! callee (except the evaluator's exits) is in `runtime-ext/src/helpers`'s table, and its Rust
//! `extern "C"` parameter and return types map to the callee's strongjit types.

use s6_strongjit::Type;
use s6_strongjit::callees::CALLEES;
use std::collections::HashMap;
use std::path::PathBuf;

/// Helpers the evaluator (runtime-ext/src/evaluator) provides, not `helpers/`.
const EVALUATOR: &[&str] = &[
    "s6_rt_resume_in_interpreter",
    "s6_rt_eval_breaker",
    "s6_rt_deopt_stress",
    "s6_rt_resume_generator",
    "s6_rt_catch",
];

fn helper_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../runtime-ext/src/helpers")
}

/// strongjit type of a Rust FFI type as the helpers spell it.
fn ty(rust: &str) -> Option<Type> {
    Some(match rust.trim() {
        "*mut PyObject" => Type::Obj,
        "*mut Frame" | "*mut *mut PyObject" | "*mut SiteCache" | "*mut PyThreadState" => Type::Ptr,
        "u32" | "i32" => Type::I32,
        "u64" | "i64" => Type::I64,
        "f64" => Type::F64,
        "*mut f64" => Type::Ptr,
        _ => return None,
    })
}

/// `name -> (params, ret)` of every `pub [unsafe] extern "C" fn s6_rt_*` in the helper sources.
fn signatures() -> HashMap<String, (Vec<Option<Type>>, Option<Type>)> {
    let mut out = HashMap::new();
    for entry in std::fs::read_dir(helper_dir()).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        let mut rest = text.as_str();
        while let Some(at) = rest.find("extern \"C\" fn s6_rt_") {
            rest = &rest[at + "extern \"C\" fn ".len()..];
            let name = rest[..rest.find('(').unwrap()].to_string();
            let close = rest.find(')').unwrap();
            let params = rest[name.len() + 1..close]
                .split(',')
                .filter(|p| !p.trim().is_empty())
                .map(|p| ty(p.split_once(':').unwrap().1))
                .collect();
            let after = &rest[close + 1..rest.find('{').unwrap()];
            let ret = after.trim().strip_prefix("->").and_then(ty);
            out.insert(name, (params, ret));
        }
    }
    out
}

#[test]
fn every_helper_callee_is_implemented_with_its_signature() {
    let sigs = signatures();
    let table = std::fs::read_to_string(helper_dir().join("mod.rs")).unwrap();
    let mut checked = 0;
    for c in CALLEES
        .iter()
        .filter(|c| c.is_helper() && !EVALUATOR.contains(&c.name))
    {
        let (params, ret) = sigs
            .get(c.name)
            .unwrap_or_else(|| panic!("{} has no extern \"C\" fn", c.name));
        let want: Vec<Option<Type>> = c.params.iter().map(|&t| Some(t)).collect();
        assert_eq!(params, &want, "{} parameters", c.name);
        assert_eq!(*ret, c.ret, "{} return type", c.name);
        assert!(
            table.contains(&format!("::{},", c.name)),
            "{} missing from helpers::table()",
            c.name
        );
        checked += 1;
    }
    assert!(checked >= 35, "only {checked} helpers checked");
    // And nothing in helpers/ is unknown to the callee table (dead or misspelled helpers).
    for name in sigs.keys() {
        assert!(
            CALLEES.iter().any(|c| c.name == name),
            "{name} is not in the callee table"
        );
    }
}
