//! `s6c inspect profile FILE`: what a profile says, for people. Without `--function`, the
//! hottest code objects with their share of samples; with it, one function's feedback per
//! instruction beside its disassembly (decoded from the marshal bytes the profile carries).

use std::fmt::Write as _;
use std::path::PathBuf;

use anyhow::bail;
use s6_compiler::driver::{FunctionName, exact_name};
use s6_profiles::format::read_profile;
use s6_profiles::model::{AttrKind, Callee, CodeKey, CodeProfile, Feedback, Profile, SiteFeedback};
use s6_py311::marshal::Code;

#[derive(clap::Args)]
pub struct Args {
    /// The profile (`.s6prof`).
    file: PathBuf,
    /// How many code objects to list.
    #[arg(long, value_name = "N", default_value_t = 20)]
    top: usize,
    /// Show one function: `qualname`, `module.qualname`, optionally with `#firstlineno`.
    #[arg(long, value_name = "QUALNAME")]
    function: Option<String>,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let (abi, profile) = read_profile(&args.file)?;
    let text = match &args.function {
        None => format!("interpreter: {abi}\n{}", hottest(&profile, args.top)),
        Some(name) => function(&profile, find(&profile, name)?),
    };
    print!("{text}");
    Ok(())
}

/// `module.qualname` of a key, the name users see everywhere.
fn full_name(k: &CodeKey) -> String {
    format!("{}.{}", k.module, k.qualname)
}

fn share(n: u64, total: u64) -> String {
    if total == 0 {
        "-".into()
    } else {
        format!("{:.1}%", 100.0 * n as f64 / total as f64)
    }
}

/// Code objects by self samples, then inclusive samples, then key.
fn ranked(p: &Profile) -> Vec<&CodeProfile> {
    let mut v: Vec<&CodeProfile> = p.code.iter().collect();
    v.sort_by(|a, b| {
        (b.self_samples, b.inclusive_samples)
            .cmp(&(a.self_samples, a.inclusive_samples))
            .then_with(|| a.key.cmp(&b.key))
    });
    v
}

fn hottest(p: &Profile, top: usize) -> String {
    let mut out = String::new();
    let lib = p.code.iter().filter(|c| c.is_library).count();
    let _ = writeln!(
        out,
        "{} run(s), {} samples every {} us, {} cache snapshots, {} code objects ({lib} library)",
        p.runs.len(),
        p.total_samples,
        p.sample_interval_us,
        p.snapshots,
        p.code.len()
    );
    for run in &p.runs {
        let _ = writeln!(out, "run: {}", run.join(" "));
    }
    let _ = writeln!(
        out,
        "{:>7} {:>7} {:>8}  {:<40} location",
        "self", "incl", "samples", "function"
    );
    for c in ranked(p).into_iter().take(top) {
        let lib = if c.is_library { " [lib]" } else { "" };
        let _ = writeln!(
            out,
            "{:>7} {:>7} {:>8}  {:<40} {}:{}{lib}",
            share(c.self_samples, p.total_samples),
            share(c.inclusive_samples, p.total_samples),
            c.self_samples,
            full_name(&c.key),
            c.key.filename,
            c.key.firstlineno
        );
    }
    if p.code.len() > top {
        let _ = writeln!(out, "... {} more (use --top N)", p.code.len() - top);
    }
    out
}

/// The code object `name` designates; an ambiguous or unknown name lists the candidates.
fn find<'a>(p: &'a Profile, name: &str) -> anyhow::Result<&'a CodeProfile> {
    let wanted = FunctionName::parse(name);
    let base = wanted.base();
    let hits: Vec<&CodeProfile> = ranked(p)
        .into_iter()
        .filter(|c| wanted.matches(&c.key))
        .collect();
    let keys: Vec<&CodeKey> = hits.iter().map(|c| &c.key).collect();
    let label = |c: &CodeProfile| {
        format!(
            "{} ({}:{})",
            exact_name(&c.key, &keys),
            c.key.filename,
            c.key.firstlineno
        )
    };
    match hits.as_slice() {
        [one] => Ok(one),
        [] => {
            let suffix = format!(".{base}");
            let near: Vec<String> = ranked(p)
                .into_iter()
                .filter(|c| c.key.qualname.ends_with(&suffix))
                .take(8)
                .map(label)
                .collect();
            if near.is_empty() {
                let top: Vec<String> = ranked(p)
                    .into_iter()
                    .take(5)
                    .map(|c| full_name(&c.key))
                    .collect();
                bail!(
                    "no function {name} in the profile; the hottest are: {}",
                    top.join(", ")
                );
            }
            bail!(
                "no function {name} in the profile; did you mean: {}",
                near.join(", ")
            );
        }
        many => bail!(
            "function {name} is ambiguous; candidates: {}",
            many.iter().map(|c| label(c)).collect::<Vec<_>>().join(", ")
        ),
    }
}

fn function(p: &Profile, c: &CodeProfile) -> String {
    let mut out = String::new();
    let k = &c.key;
    let _ = writeln!(
        out,
        "{} ({}:{}){}  self {} ({})  inclusive {} ({})  marshal {:016x}",
        full_name(k),
        k.filename,
        k.firstlineno,
        if c.is_library { " [lib]" } else { "" },
        c.self_samples,
        share(c.self_samples, p.total_samples),
        c.inclusive_samples,
        share(c.inclusive_samples, p.total_samples),
        k.marshal_hash
    );
    let _ = writeln!(
        out,
        "feedback from {} cache snapshots; counts are snapshots that saw it",
        p.snapshots
    );
    match s6_py311::marshal::load_code(&c.marshal) {
        Ok(code) => match disassembly(&code, &c.sites) {
            Ok(text) => out.push_str(&text),
            Err(e) => {
                let _ = writeln!(out, "(bytecode does not decode: {e}; feedback only)");
                feedback_only(&mut out, &c.sites);
            }
        },
        Err(e) => {
            let _ = writeln!(out, "(marshal bytes do not load: {e}; feedback only)");
            feedback_only(&mut out, &c.sites);
        }
    }
    out
}

fn feedback_only(out: &mut String, sites: &[SiteFeedback]) {
    for s in sites {
        let _ = writeln!(out, "{:>5}  {:<20} {}", s.index, s.base_op, observations(s));
    }
}

fn disassembly(code: &Code, sites: &[SiteFeedback]) -> anyhow::Result<String> {
    let instrs = s6_py311::bytecode::decode(&code.code)?;
    let lines = s6_py311::locations::lines(&code.linetable, code.firstlineno, code.code_units())
        .unwrap_or_default();
    let mut out = String::new();
    let mut last_line = None;
    for ins in &instrs {
        let line = lines.get(ins.index as usize).copied().flatten();
        let line_col = if line != last_line && line.is_some() {
            last_line = line;
            format!("{:>5}", line.unwrap_or(0))
        } else {
            " ".repeat(5)
        };
        let op = s6_py311::opcodes::name(ins.op);
        let arg = if s6_py311::opcodes::has_arg(ins.op) {
            ins.arg.to_string()
        } else {
            String::new()
        };
        let left = format!(
            "{line_col} {:>5} {:<24} {:>4} {}",
            ins.index,
            op,
            arg,
            arg_repr(code, ins)
        );
        match sites.iter().find(|s| s.index == ins.index) {
            Some(s) => {
                // The profiler names the base opcode it harvested; a different one here means
                // the profile's indices do not fit this bytecode.
                let base = s6_py311::opcodes::name(ins.base_op());
                let warn = if s.base_op == base {
                    String::new()
                } else {
                    format!("MISMATCH (recorded for {}) ", s.base_op)
                };
                let _ = writeln!(
                    out,
                    "{:<70} | {warn}{}",
                    truncate(&left, 70),
                    observations(s)
                );
            }
            None => {
                let _ = writeln!(out, "{}", left.trim_end());
            }
        }
    }
    // Feedback at an index the decoder did not produce means the profile and code disagree.
    for s in sites
        .iter()
        .filter(|s| !instrs.iter().any(|i| i.index == s.index))
    {
        let _ = writeln!(
            out,
            "  (feedback at {} with no instruction there: {} {})",
            s.index,
            s.base_op,
            observations(s)
        );
    }
    Ok(out)
}

fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        s.chars().take(n - 1).chain(['…']).collect()
    }
}

/// `dis`-style argument description.
fn arg_repr(code: &Code, ins: &s6_py311::Instr) -> String {
    use s6_py311::opcodes as op;
    let a = ins.arg as usize;
    let base = ins.base_op();
    let paren = |s: Option<String>| s.map(|s| format!("({s})")).unwrap_or_default();
    if let Some(t) = ins.jump_target() {
        return format!("(to {t})");
    }
    if op::has_const(base) {
        return paren(code.consts.get(a).map(|c| truncate(&c.to_string(), 40)));
    }
    if op::has_name(base) {
        let i = if base == op::LOAD_GLOBAL { a >> 1 } else { a };
        let null = if base == op::LOAD_GLOBAL && a & 1 == 1 {
            "NULL + "
        } else {
            ""
        };
        return paren(code.names.get(i).map(|n| format!("{null}{n}")));
    }
    if op::has_local(base) || op::has_free(base) {
        return paren(code.localsplusnames.get(a).cloned());
    }
    if op::has_compare(base) {
        return paren(op::cmp_op_name(ins.arg).map(str::to_string));
    }
    if base == op::BINARY_OP {
        return paren(op::nb_op_symbol(ins.arg).map(str::to_string));
    }
    String::new()
}

/// All observations of a site, most frequent first: `BINARY_OP_ADD_INT(int, int) x3; ...`.
pub(crate) fn observations(s: &SiteFeedback) -> String {
    if s.observations.is_empty() {
        return "(no specialization seen)".into();
    }
    let poly = if s.observations.len() > 1 {
        "polymorphic: "
    } else {
        ""
    };
    let parts: Vec<String> = s
        .observations
        .iter()
        .map(|o| format!("{} x{}", feedback(&o.feedback), o.count))
        .collect();
    format!("{poly}{}", parts.join("; "))
}

fn callee(c: &Callee) -> String {
    match c {
        Callee::Code(k) => format!("{} ({}:{})", full_name(k), k.filename, k.firstlineno),
        Callee::Builtin(n) => n.clone(),
        Callee::Type(t) => format!("class {t}"),
        Callee::Module(m) => format!("module {m}"),
        Callee::Unknown => "?".into(),
    }
}

fn feedback(f: &Feedback) -> String {
    match f {
        Feedback::Adaptive { backoff } => format!("unspecialized (backoff {backoff})"),
        Feedback::Operands { op, types, missed } => format!(
            "{op}({}){}",
            types.join(", "),
            if *missed { " (missed)" } else { "" }
        ),
        Feedback::Attr {
            op,
            receiver,
            name,
            how,
        } => {
            let how = match how {
                AttrKind::InstanceValue { index } => format!("instance value #{index}"),
                AttrKind::Slot { offset } => format!("slot at +{offset}"),
                AttrKind::DictHint { hint } => format!("__dict__ hint {hint}"),
                AttrKind::Module => "module attribute".into(),
                AttrKind::Method { descr } => format!("method {}", callee(descr)),
                AttrKind::ClassAttr { descr } => format!("class attribute {}", callee(descr)),
            };
            format!("{op} {receiver}.{name} [{how}]")
        }
        Feedback::Global {
            op,
            name,
            builtin,
            value,
        } => {
            let value = value
                .as_ref()
                .map(|v| format!(" = {}", callee(v)))
                .unwrap_or_default();
            format!(
                "{op} {name} [{}]{value}",
                if *builtin { "builtin" } else { "module global" }
            )
        }
        Feedback::Call { op, callee: c } => format!("{op} -> {}", callee(c)),
    }
}
