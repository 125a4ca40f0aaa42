//! Corpus test: every code object of ~30 real standard-library modules (compiled by the
//! interpreter at test time) must translate to IR that verifies, or be skipped with a stated
//! reason. Prints the counts (`cargo test -p s6-compiler --test translate_corpus -- --nocapture`).

mod translate_common;

use s6_compiler::translate::{TranslateError, translate};
use s6_py311::marshal::{Code, load_code};
use s6_py311::opcodes::{self, CALL, KW_NAMES, PRECALL};
use s6_py311::stack_effect::{Branch, stack_effect};
use s6_strongjit::{Function, Opcode, Operands};
use std::collections::{BTreeMap, HashMap};

/// Interpreter stack depth before each reachable instruction start (normal edges, and each
/// exception handler entered with its table depth, the `lasti` int and the exception),
/// computed independently of the translator from `dis.stack_effect`'s model, except that
/// `RETURN_GENERATOR` leaves one value (`dis` counts 0: the compiler inserts it with the
/// `POP_TOP` after it once depths are computed, and `gen_send_ex2` pushes the sent value that
/// `POP_TOP` pops when the generator starts).
fn depths(code: &Code) -> HashMap<u32, usize> {
    let list = s6_py311::bytecode::decode(&code.code).unwrap();
    let pos: HashMap<u32, usize> = list.iter().enumerate().map(|(i, x)| (x.start, i)).collect();
    let mut depth = HashMap::new();
    let mut work = vec![(0usize, 0i32)];
    for h in s6_py311::exceptions::parse(&code.exceptiontable).unwrap() {
        work.push((pos[&h.target], h.depth as i32 + i32::from(h.lasti) + 1));
    }
    while let Some((p, d)) = work.pop() {
        let ins = list[p];
        if depth.insert(ins.start, d as usize).is_some() {
            continue;
        }
        if !opcodes::is_terminator(ins.op) && p + 1 < list.len() {
            let effect = match ins.base_op() {
                opcodes::RETURN_GENERATOR => 1,
                _ => stack_effect(ins.op, ins.arg, Branch::NotTaken).unwrap(),
            };
            work.push((p + 1, d + effect));
        }
        if let Some(t) = ins.jump_target() {
            work.push((
                pos[&t],
                d + stack_effect(ins.op, ins.arg, Branch::Taken).unwrap(),
            ));
        }
    }
    depth
}

/// Checks every exit of `f` against the interpreter's view of `code`: a deopt resumes at an
/// instruction start with exactly the interpreter's stack depth there, never at a PRECALL/CALL
/// that a KW_NAMES feeds; an error exit names an opcode unit with at most the depth before it.
fn check_exits(code: &Code, f: &Function) -> Result<usize, String> {
    let mut checked = 0;
    let list = s6_py311::bytecode::decode(&code.code).unwrap();
    let at_start: HashMap<u32, usize> =
        list.iter().enumerate().map(|(i, x)| (x.start, i)).collect();
    let at_index: HashMap<u32, usize> =
        list.iter().enumerate().map(|(i, x)| (x.index, i)).collect();
    let depth = depths(code);
    for (_, i) in f.layout_insts() {
        let d = f.inst(i);
        let (fs, deopt) = match (&d.opcode, &d.operands) {
            (Opcode::Deopt, Operands::Deopt { fs, .. })
            | (Opcode::DeoptIf, Operands::DeoptIf { fs, .. })
            | (Opcode::CheckTracing, Operands::Raise { fs })
            | (Opcode::GuardType, Operands::GuardType { fs, .. })
            | (Opcode::UnboxInt, Operands::Check { fs, .. }) => (*fs, true),
            (_, Operands::Check { fs, .. }) | (_, Operands::Raise { fs }) => (*fs, false),
            _ => continue,
        };
        let state = f.frame_state(fs);
        let n = state.stack.len();
        checked += 1;
        if deopt {
            let p = *at_start.get(&state.index).ok_or(format!(
                "deopt @{} is not an instruction start",
                state.index
            ))?;
            let want = depth
                .get(&state.index)
                .copied()
                .ok_or(format!("deopt @{} unreachable", state.index))?;
            if n != want {
                return Err(format!(
                    "deopt @{}: stack {n}, interpreter has {want}",
                    state.index
                ));
            }
            let op = list[p].base_op();
            if (op == PRECALL || op == CALL)
                && p > 0
                && list[..p]
                    .iter()
                    .rev()
                    .take(2)
                    .any(|x| x.base_op() == KW_NAMES)
            {
                return Err(format!(
                    "deopt @{} between KW_NAMES and its call",
                    state.index
                ));
            }
        } else {
            let p = *at_index
                .get(&state.index)
                .ok_or(format!("error @{} is not an opcode unit", state.index))?;
            let before = depth[&list[p].start];
            if n > before {
                return Err(format!(
                    "error @{}: stack {n} deeper than before the instruction ({before})",
                    state.index
                ));
            }
        }
    }
    Ok(checked)
}

const MODULES: &[&str] = &[
    "argparse",
    "ast",
    "base64",
    "bisect",
    "calendar",
    "collections",
    "configparser",
    "contextlib",
    "copy",
    "csv",
    "dataclasses",
    "datetime",
    "decimal",
    "difflib",
    "email.message",
    "enum",
    "fractions",
    "functools",
    "gettext",
    "heapq",
    "inspect",
    "ipaddress",
    "json.decoder",
    "json.encoder",
    "logging",
    "pathlib",
    "pickle",
    "pprint",
    "random",
    "re._parser",
    "shlex",
    "statistics",
    "string",
    "tarfile",
    "textwrap",
    "threading",
    "tokenize",
    "typing",
    "urllib.parse",
    "uuid",
    "zipfile",
];

#[test]
fn stdlib_corpus_translates_or_is_skipped_with_a_reason() {
    let all = translate_common::from_modules(MODULES);
    assert!(
        all.len() > 3000,
        "expected thousands of code objects, got {}",
        all.len()
    );
    let mut compiled = 0usize;
    let mut skipped: BTreeMap<String, usize> = BTreeMap::new();
    let mut failures = Vec::new();
    let mut deopts: BTreeMap<String, usize> = BTreeMap::new();
    let mut insts = 0usize;
    let mut exits = 0usize;
    let mut fast = 0usize;
    for m in &all {
        let code = load_code(&m.bytes).expect("marshal");
        let symbol = format!("s6::{}.{}", m.origin, m.qualname);
        match translate(&code, &[], &symbol) {
            Ok(f) => {
                compiled += 1;
                match check_exits(&code, &f) {
                    Ok(n) => exits += n,
                    Err(e) => failures.push(format!("{symbol}: {e}")),
                }
                // The same with int/float feedback at every arithmetic and compare site: the
                // guarded fast paths must verify and keep the exits exact too.
                let sites = translate_common::feedback_for(&code);
                match translate(&code, &sites, &symbol) {
                    Ok(mut g) => {
                        fast += 1;
                        if let Err(e) = check_exits(&code, &g) {
                            failures.push(format!("{symbol} (feedback): {e}"));
                        }
                        // And after the whole pipeline (verified after every pass in this
                        // debug build): specialized guards deopt at exact interpreter states.
                        let pipeline = s6_strongjit::passes::DEFAULT_PIPELINE;
                        match s6_strongjit::run_pipeline(&mut g, pipeline, None) {
                            Ok(_) => {
                                if let Err(e) = check_exits(&code, &g) {
                                    failures.push(format!("{symbol} (optimized): {e}"));
                                }
                            }
                            Err(e) => failures.push(format!("{symbol} (optimized): {e}")),
                        }
                    }
                    Err(e) => failures.push(format!("{symbol} (feedback): {e}")),
                }
                let text = s6_strongjit::print(&f);
                insts += text.lines().count();
                for line in text
                    .lines()
                    .filter(|l| l.trim_start().starts_with("deopt "))
                {
                    if let Some(r) = line.split('"').nth(1) {
                        *deopts.entry(r.to_string()).or_default() += 1;
                    }
                }
            }
            Err(TranslateError::Skip { reason }) => {
                *skipped
                    .entry(reason.split(':').next().unwrap().to_string())
                    .or_default() += 1;
            }
            Err(e) => failures.push(format!("{symbol}: {e}")),
        }
    }
    println!("modules: {}  code objects: {}", MODULES.len(), all.len());
    println!(
        "translated and verified: {compiled} ({insts} IR lines, {exits} exits checked against the interpreter's stack depths)"
    );
    println!("translated and verified with synthetic int/float feedback: {fast}");
    assert!(exits > compiled, "every function has exits");
    for (reason, n) in &skipped {
        println!("skipped ({reason}): {n}");
    }
    for (reason, n) in &deopts {
        println!("deopt sites {reason}: {n}");
    }
    assert!(
        failures.is_empty(),
        "{} failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(
        compiled * 2 > all.len(),
        "most code objects are plain functions"
    );
}
