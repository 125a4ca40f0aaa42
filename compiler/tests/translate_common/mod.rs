//! Shared by the translator tests: code objects made by the real interpreter at test time
//! (`S6_PYTHON` or `python3`), marshalled, walked recursively, sent back as hex.
#![allow(dead_code)] // each test binary uses a different part

use s6_profiles::model::{Feedback, Observation, SiteFeedback};
use std::process::Command;

/// One code object: `(origin, qualname, marshal bytes)`.
pub struct Marshalled {
    pub origin: String,
    pub qualname: String,
    pub bytes: Vec<u8>,
}

const WALK: &str = r#"
import marshal, sys, importlib.util
def walk(origin, co):
    yield origin, co
    for c in co.co_consts:
        if hasattr(c, 'co_code'):
            yield from walk(origin, c)
def emit(origin, co):
    for o, c in walk(origin, co):
        print(o, c.co_qualname, marshal.dumps(c).hex(), sep='\t')
mode = sys.argv[1]
if mode == 'source':
    emit('<test>', compile(sys.stdin.read(), '<test>', 'exec'))
else:
    for name in sys.argv[2:]:
        spec = importlib.util.find_spec(name)
        with open(spec.origin, 'rb') as f:
            emit(name, compile(f.read(), spec.origin, 'exec'))
"#;

fn python() -> String {
    std::env::var("S6_PYTHON").unwrap_or_else(|_| "python3".into())
}

fn run(args: &[&str], stdin: Option<&str>) -> Vec<Marshalled> {
    use std::io::Write;
    let mut cmd = Command::new(python());
    cmd.arg("-c").arg(WALK).args(args);
    cmd.stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped());
    let mut child = cmd.spawn().expect("run python");
    {
        let mut si = child.stdin.take().unwrap();
        if let Some(s) = stdin {
            si.write_all(s.as_bytes()).unwrap();
        }
    }
    let out = child.wait_with_output().expect("python output");
    assert!(out.status.success(), "python failed");
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| {
            let mut p = l.split('\t');
            let origin = p.next().unwrap().to_string();
            let qualname = p.next().unwrap().to_string();
            let hex = p.next().unwrap();
            let bytes = (0..hex.len())
                .step_by(2)
                .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap())
                .collect();
            Marshalled {
                origin,
                qualname,
                bytes,
            }
        })
        .collect()
}

/// Every code object of `source` (the module body first).
pub fn from_source(source: &str) -> Vec<Marshalled> {
    run(&["source"], Some(source))
}

/// Every code object of the named importable modules' source files.
pub fn from_modules(names: &[&str]) -> Vec<Marshalled> {
    let mut args = vec!["modules"];
    args.extend_from_slice(names);
    run(&args, None)
}

/// Synthetic profile feedback for `code`: every add/subtract/multiply `BINARY_OP` and every
/// `COMPARE_OP` specialized for ints, or floats in functions whose name mentions `float`.
pub fn feedback_for(code: &s6_py311::marshal::Code) -> Vec<SiteFeedback> {
    let kind = if code.name.contains("float") {
        "FLOAT"
    } else {
        "INT"
    };
    let ty = if kind == "FLOAT" {
        "builtins.float"
    } else {
        "builtins.int"
    };
    let mut sites = Vec::new();
    for ins in s6_py311::bytecode::decode(&code.code).unwrap() {
        let op = match (ins.base_op(), ins.arg) {
            (s6_py311::opcodes::BINARY_OP, 0 | 13) => format!("BINARY_OP_ADD_{kind}"),
            (s6_py311::opcodes::BINARY_OP, 10 | 23) => format!("BINARY_OP_SUBTRACT_{kind}"),
            (s6_py311::opcodes::BINARY_OP, 5 | 18) => format!("BINARY_OP_MULTIPLY_{kind}"),
            (s6_py311::opcodes::COMPARE_OP, _) => format!("COMPARE_OP_{kind}_JUMP"),
            _ => continue,
        };
        let feedback = Feedback::Operands {
            op,
            types: vec![ty.into(), ty.into()],
            missed: false,
        };
        sites.push(SiteFeedback {
            index: ins.index,
            base_op: ins.name().into(),
            observations: vec![Observation { count: 3, feedback }],
        });
    }
    sites
}
