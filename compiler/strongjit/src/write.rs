//! The printer: `Function` -> text. Driven by the opcode table ([`crate::OPCODES`]): the
//! mnemonic and suffix kind come from there, the operand syntax from the format, so the parser
//! (`parser.rs`) reads back exactly what this writes.

use crate::entities::{Block, Inst, Value};
use crate::feedback::{AttrKind, CalleeFacts, Feedback};
use crate::function::{BindingKind, Function};
use crate::instructions::{Operands, write_list};
use crate::types::Type;
use std::fmt::{self, Write};

/// The text form of `f`.
pub fn print(f: &Function) -> String {
    let mut out = String::new();
    write_function(&mut out, f, &|_| None).expect("writing to a String cannot fail");
    out
}

/// The text form of `f`, with a `; comment` line before the first instruction of each run of
/// instructions whose location is `loc`, where `comment(loc)` returns one (e.g. the source
/// line: `; x = a + b  (file.py:12)`). Comments are ignored by the parser, so the listing still
/// parses.
pub fn print_annotated(f: &Function, comment: &dyn Fn(u32) -> Option<String>) -> String {
    let mut out = String::new();
    write_function(&mut out, f, comment).expect("writing to a String cannot fail");
    out
}

/// One instruction in text form, without indentation or newline (for diagnostics).
pub fn inst_to_string(f: &Function, inst: Inst) -> String {
    let mut out = String::new();
    write_inst(&mut out, f, inst).expect("writing to a String cannot fail");
    out
}

impl fmt::Display for Function {
    fn fmt(&self, fmt: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_function(fmt, self, &|_| None)
    }
}

fn write_function(
    out: &mut impl Write,
    f: &Function,
    comment: &dyn Fn(u32) -> Option<String>,
) -> fmt::Result {
    writeln!(
        out,
        "function {} nlocalsplus={} stacksize={}{}{} {{",
        quote(&f.name),
        f.nlocalsplus,
        f.stacksize,
        if f.cold { " cold" } else { "" },
        if f.inlinee { " inlinee" } else { "" }
    )?;
    let mut i = 0;
    while i < f.bindings.len() {
        match &f.bindings[i] {
            BindingKind::Type(n) => writeln!(out, "  b{i} = type {}", quote(n))?,
            BindingKind::Builtin(n) => writeln!(out, "  b{i} = builtin {}", quote(n))?,
            BindingKind::Object(n) => writeln!(out, "  b{i} = object {}", quote(n))?,
            BindingKind::Cache => {
                // A run of cache words in one line: `b4..b19 = cache`.
                let run = f.bindings[i..]
                    .iter()
                    .take_while(|k| **k == BindingKind::Cache)
                    .count();
                if run > 1 {
                    writeln!(out, "  b{i}..b{} = cache", i + run - 1)?;
                } else {
                    writeln!(out, "  b{i} = cache")?;
                }
                i += run;
                continue;
            }
        }
        i += 1;
    }
    for (k, c) in &f.consts {
        match c {
            crate::function::ConstValue::Int(v) => writeln!(out, "  const {k} = int {v}")?,
            crate::function::ConstValue::Float(bits) => {
                writeln!(out, "  const {k} = float {}", format_float(*bits))?
            }
        }
    }
    for site in &f.feedback {
        for o in &site.observations {
            write!(
                out,
                "  feedback @{} {} {}x ",
                site.index,
                quote(&site.base_op),
                o.count
            )?;
            write_feedback(out, &o.feedback)?;
            writeln!(out)?;
        }
    }
    for c in &f.inline_callees {
        write!(out, "  inline @{} args {} ", c.at, c.argcount)?;
        write_function(out, &c.body, &|_| None)?;
    }
    for (id, fs) in f.live_frame_states() {
        write!(out, "  {id} = state @{} [", fs.index)?;
        for (k, v) in fs.stack.iter().enumerate() {
            if k > 0 {
                write!(out, ", ")?;
            }
            if fs.is_borrowed(k) {
                write!(out, "&")?;
            }
            write!(out, "{v}")?;
        }
        write!(out, "]")?;
        if !fs.locals.is_empty() {
            write!(out, " locals [")?;
            for (k, (slot, v)) in fs.locals.iter().enumerate() {
                if k > 0 {
                    write!(out, ", ")?;
                }
                write!(out, "{slot}: {v}")?;
            }
            write!(out, "]")?;
        }
        if let Some(p) = fs.parent {
            write!(out, " parent {p}")?;
        }
        if let Some(b) = fs.abandon {
            write!(out, " abandon {b}")?;
        }
        writeln!(out)?;
    }
    let mut last_loc = None;
    for &b in &f.layout {
        write_block_header(out, f, b)?;
        for &i in &f.block(b).insts {
            let loc = f.inst(i).loc;
            if loc != last_loc {
                last_loc = loc;
                if let Some(text) = loc.and_then(comment) {
                    for line in text.lines() {
                        writeln!(out, "  ; {line}")?;
                    }
                }
            }
            write!(out, "  ")?;
            write_inst(out, f, i)?;
            writeln!(out)?;
        }
    }
    writeln!(out, "}}")
}

fn write_block_header(out: &mut impl Write, f: &Function, b: Block) -> fmt::Result {
    write!(out, "{b}(")?;
    for (i, &p) in f.block(b).params.iter().enumerate() {
        if i > 0 {
            write!(out, ", ")?;
        }
        let (ty, pyty) = (f.value_type(p), f.pytype(p));
        if ty == Type::Obj && !pyty.is_object() {
            write!(out, "{p}: {pyty}")?;
        } else {
            write!(out, "{p}: {ty}")?;
        }
    }
    writeln!(out, "){}:", if f.block(b).cold { " cold" } else { "" })
}

/// `v3` or, when its Python type is known, `v3:FloatExact`.
fn write_def(out: &mut impl Write, f: &Function, v: Value) -> fmt::Result {
    let t = f.pytype(v);
    if t.is_object() {
        write!(out, "{v}")
    } else {
        write!(out, "{v}:{t}")
    }
}

/// One observation's text (after `Nx `); `parser.rs` reads it back.
fn write_feedback(out: &mut impl Write, fb: &Feedback) -> fmt::Result {
    match fb {
        Feedback::Adaptive { backoff } => write!(out, "adaptive {backoff}"),
        Feedback::Operands { op, types, missed } => {
            write!(out, "operands {} [", quote(op))?;
            for (i, t) in types.iter().enumerate() {
                if i > 0 {
                    write!(out, ", ")?;
                }
                write!(out, "{}", quote(t))?;
            }
            write!(out, "]")?;
            if *missed {
                write!(out, " missed")?;
            }
            Ok(())
        }
        Feedback::Attr {
            op,
            receiver,
            name,
            how,
        } => {
            write!(
                out,
                "attr {} {} {} ",
                quote(op),
                quote(receiver),
                quote(name)
            )?;
            match how {
                AttrKind::InstanceValue { index } => write!(out, "instance_value {index}"),
                AttrKind::Slot { offset } => write!(out, "slot {offset}"),
                AttrKind::DictHint { hint } => write!(out, "dict_hint {hint}"),
                AttrKind::Module => write!(out, "module"),
                AttrKind::Method { descr } => {
                    write!(out, "method ")?;
                    write_callee(out, descr)
                }
                AttrKind::ClassAttr { descr } => {
                    write!(out, "class_attr ")?;
                    write_callee(out, descr)
                }
            }
        }
        Feedback::Global {
            op,
            name,
            builtin,
            value,
        } => {
            write!(
                out,
                "global {} {} {}",
                quote(op),
                quote(name),
                if *builtin { "builtin" } else { "module" }
            )?;
            match value {
                Some(v) => {
                    write!(out, " = ")?;
                    write_callee(out, v)
                }
                None => Ok(()),
            }
        }
        Feedback::Call { op, callee } => {
            write!(out, "call {} ", quote(op))?;
            write_callee(out, callee)
        }
    }
}

fn write_callee(out: &mut impl Write, c: &CalleeFacts) -> fmt::Result {
    match c {
        CalleeFacts::Code(k) => write!(
            out,
            "code {} {} {} {} 0x{:016x}",
            quote(&k.filename),
            quote(&k.module),
            quote(&k.qualname),
            k.firstlineno,
            k.marshal_hash
        ),
        CalleeFacts::Builtin(n) => write!(out, "builtin {}", quote(n)),
        CalleeFacts::Type(n) => write!(out, "type {}", quote(n)),
        CalleeFacts::Module(n) => write!(out, "module {}", quote(n)),
        CalleeFacts::Unknown => write!(out, "unknown"),
    }
}

/// `v2 = iadd v0, v1 @4`
pub(crate) fn write_inst(out: &mut impl Write, f: &Function, inst: Inst) -> fmt::Result {
    let d = f.inst(inst);
    if !d.results.is_empty() {
        for (i, &r) in d.results.iter().enumerate() {
            if i > 0 {
                write!(out, ", ")?;
            }
            write_def(out, f, r)?;
        }
        write!(out, " = ")?;
    }
    write!(out, "{}", d.opcode.mnemonic())?;
    match &d.operands {
        Operands::Nullary => {}
        Operands::IntConst { ty, imm } => write!(out, ".{ty} {imm}")?,
        Operands::FloatConst { bits } => write!(out, " {}", format_float(*bits))?,
        Operands::UImm { imm } => write!(out, " {imm}")?,
        Operands::UImmValue { imm, arg } => write!(out, " {imm}, {arg}")?,
        Operands::Binding { binding } => write!(out, " {binding}")?,
        Operands::Load { ty, ptr, offset } => write!(out, ".{ty} {ptr}, {offset}")?,
        Operands::Store {
            ty,
            ptr,
            offset,
            value,
        } => write!(out, ".{ty} {ptr}, {offset}, {value}")?,
        Operands::Unary { arg } => write!(out, " {arg}")?,
        Operands::UnaryTyped { ty, arg } => write!(out, ".{ty} {arg}")?,
        Operands::Binary { args: [a, b] } => write!(out, " {a}, {b}")?,
        Operands::IntCompare { cond, args: [a, b] } => write!(out, ".{} {a}, {b}", cond.name())?,
        Operands::FloatCompare { cond, args: [a, b] } => write!(out, ".{} {a}, {b}", cond.name())?,
        Operands::Ternary { args: [c, a, b] } => write!(out, " {c}, {a}, {b}")?,
        Operands::Call { callee, args } => {
            write!(out, " {}(", callee.name)?;
            write_list(out, args)?;
            write!(out, ")")?;
        }
        Operands::Check { arg, fs } => write!(out, " {arg}, {fs}")?,
        Operands::DeoptIf { cond, fs, reason } => write!(out, " {cond}, {fs}, {}", quote(reason))?,
        Operands::Jump { dest } => write!(out, " {dest}")?,
        Operands::Branch {
            cond,
            then_dest,
            else_dest,
        } => write!(out, " {cond}, {then_dest}, {else_dest}")?,
        Operands::Deopt { fs, reason } => write!(out, " {fs}, {}", quote(reason))?,
        Operands::Entry { body, handlers } => {
            write!(out, " {body}")?;
            for (at, h) in handlers {
                write!(out, ", catch @{at} {h}")?;
            }
        }
        Operands::Raise { fs } => write!(out, " {fs}")?,
        Operands::WellKnown { obj } => write!(out, " {}", obj.name())?,
        Operands::Symbol { arg, symbol } => write!(out, " {arg}, {}", quote(symbol))?,
        Operands::GuardType { arg, binding, fs } => write!(out, " {arg}, {binding}, {fs}")?,
        Operands::Py { op, args, fs } => {
            write!(out, ".{} ", op.text())?;
            write_list(out, args)?;
            write!(out, ", {fs}")?;
        }
    }
    if let Some(loc) = d.loc {
        write!(out, " @{loc}")?;
    }
    Ok(())
}

/// A float that parses back to the same bits: Rust's shortest round-trip decimal for finite
/// values (always with a `.` or exponent), `inf`/`-inf`, and `nan:0x<bits>` for any NaN.
pub fn format_float(bits: u64) -> String {
    let x = f64::from_bits(bits);
    if x.is_nan() {
        format!("nan:0x{bits:016x}")
    } else if x.is_infinite() {
        if x > 0.0 { "inf".into() } else { "-inf".into() }
    } else {
        format!("{x:?}")
    }
}

/// A double-quoted string literal; escapes `"`, `\` and control characters.
pub fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
