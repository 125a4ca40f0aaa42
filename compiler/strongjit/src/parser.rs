//! The parser: text -> `Function`, the inverse of `write.rs`. The opcode table
//! ([`crate::OPCODES`]) gives each mnemonic's format and suffix kind, and each format has one
//! parsing rule mirroring its printing rule.
//!
//! Ids are taken from the text (`v7` becomes `Value(7)`); gaps become detached arena slots.
//! Values may be used before their definition appears (layout order need not be dominance
//! order); result types are inferred after the whole function is read. Errors carry
//! `line:col`. The parser checks syntax, that every referenced entity is defined exactly once,
//! and result counts; everything else (types of operands, dominance) is the verifier's job.

use crate::callees;
use crate::entities::{BindingId, Block, FrameStateId, Inst, Value};
use crate::feedback::{AttrKind, CalleeFacts, CodeKey, Feedback, Observation, SiteFeedback};
use crate::function::{
    BindingKind, BlockData, ConstValue, FrameState, Function, ValueData, ValueDef,
};
use crate::instructions::{
    BlockCall, FloatCC, Format, InstData, IntCC, Opcode, Operands, Suffix, WellKnown, result_types,
};
use crate::pyops::PyOp;
use crate::types::{PyType, Type};

/// A parse error at a 1-based line and column.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{line}:{col}: {message}")]
pub struct ParseError {
    pub line: u32,
    pub col: u32,
    pub message: String,
}

/// Parses one function in text form.
pub fn parse(text: &str) -> Result<Function, ParseError> {
    Parser::over(lex(text)?).function()
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Pos {
    line: u32,
    col: u32,
}

#[derive(Clone, Debug, PartialEq)]
enum Tok {
    /// identifiers, mnemonics (with `.suffix`), entity names, keywords
    Ident(String),
    /// anything starting with a digit or `-`
    Num(String),
    Str(String),
    Punct(char),
    Eof,
}

#[derive(Clone, Debug)]
struct Token {
    tok: Tok,
    pos: Pos,
}

fn err<T>(pos: Pos, message: impl Into<String>) -> Result<T, ParseError> {
    Err(ParseError {
        line: pos.line,
        col: pos.col,
        message: message.into(),
    })
}

fn lex(text: &str) -> Result<Vec<Token>, ParseError> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let (mut i, mut line, mut col) = (0usize, 1u32, 1u32);
    let ident_char = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '.';
    while i < chars.len() {
        let c = chars[i];
        let pos = Pos { line, col };
        let start = i;
        if c == '\n' {
            i += 1;
            line += 1;
            col = 1;
            continue;
        } else if c.is_whitespace() {
            i += 1;
        } else if c == ';' {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c.is_ascii_alphabetic() || c == '_' {
            while i < chars.len() && ident_char(chars[i]) {
                i += 1;
            }
            out.push(Token {
                tok: Tok::Ident(chars[start..i].iter().collect()),
                pos,
            });
        } else if c.is_ascii_digit() || c == '-' {
            i += 1;
            while i < chars.len()
                && (ident_char(chars[i])
                    || (matches!(chars[i], '+' | '-')
                        && matches!(chars[i - 1], 'e' | 'E')
                        && !text_is_hex(&chars[start..i])))
            {
                i += 1;
            }
            out.push(Token {
                tok: Tok::Num(chars[start..i].iter().collect()),
                pos,
            });
        } else if c == '"' {
            i += 1;
            let mut s = String::new();
            loop {
                let Some(&c) = chars.get(i) else {
                    return err(pos, "unterminated string");
                };
                i += 1;
                match c {
                    '"' => break,
                    '\n' => return err(pos, "unterminated string"),
                    '\\' => {
                        let e = chars.get(i).copied();
                        i += 1;
                        match e {
                            Some('"') => s.push('"'),
                            Some('\\') => s.push('\\'),
                            Some('n') => s.push('\n'),
                            Some('t') => s.push('\t'),
                            Some('u') if chars.get(i) == Some(&'{') => {
                                let close = chars[i..].iter().position(|&c| c == '}');
                                let Some(close) = close else {
                                    return err(pos, "bad \\u{..} escape");
                                };
                                let hex: String = chars[i + 1..i + close].iter().collect();
                                i += close + 1;
                                match u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32) {
                                    Some(c) => s.push(c),
                                    None => return err(pos, format!("bad \\u{{{hex}}} escape")),
                                }
                            }
                            _ => return err(pos, "unknown escape in string"),
                        }
                    }
                    c => s.push(c),
                }
            }
            out.push(Token {
                tok: Tok::Str(s),
                pos,
            });
        } else if "=,()[]{}:@|&".contains(c) {
            i += 1;
            out.push(Token {
                tok: Tok::Punct(c),
                pos,
            });
        } else {
            return err(pos, format!("unexpected character {c:?}"));
        }
        col += (i - start) as u32;
    }
    out.push(Token {
        tok: Tok::Eof,
        pos: Pos { line, col },
    });
    Ok(out)
}

fn text_is_hex(s: &[char]) -> bool {
    let s: String = s.iter().collect();
    s.trim_start_matches('-').starts_with("0x")
}

/// Largest entity number the parser accepts: arenas are sized by the largest id, so a typo
/// like `v4000000000` must not allocate gigabytes.
const MAX_ID: u32 = 1 << 22;

/// `prefix` followed by a decimal number, e.g. `v12` for prefix `v`.
fn entity_number(s: &str, prefix: &str) -> Option<u32> {
    let digits = s.strip_prefix(prefix)?;
    if digits.is_empty()
        || !digits.bytes().all(|b| b.is_ascii_digit())
        || (digits.len() > 1 && digits.starts_with('0'))
    {
        return None;
    }
    digits.parse().ok()
}

struct Parser {
    toks: Vec<Token>,
    pos: usize,
    /// Per value id: its definition, its type if known yet, and where it was defined.
    defs: Vec<Option<(ValueDef, Option<Type>, Pos)>>,
    uses: Vec<(Value, Pos)>,
    block_refs: Vec<(Block, Pos)>,
    fs_refs: Vec<(FrameStateId, Pos)>,
    /// Position of each instruction (by `Inst` id).
    inst_pos: Vec<Pos>,
    block_defined: Vec<bool>,
    /// Python types written on value definitions (`v3:FloatExact`).
    pytypes: Vec<(Value, PyType)>,
}

impl Parser {
    /// A parser at the start of `toks` (which end with `Eof`).
    fn over(toks: Vec<Token>) -> Parser {
        Parser {
            toks,
            pos: 0,
            defs: Vec::new(),
            uses: Vec::new(),
            block_refs: Vec::new(),
            fs_refs: Vec::new(),
            inst_pos: Vec::new(),
            block_defined: Vec::new(),
            pytypes: Vec::new(),
        }
    }

    fn peek(&self) -> &Tok {
        &self.toks[self.pos].tok
    }
    fn peek_at(&self, n: usize) -> &Tok {
        &self.toks[(self.pos + n).min(self.toks.len() - 1)].tok
    }
    fn here(&self) -> Pos {
        self.toks[self.pos].pos
    }
    fn next(&mut self) -> Token {
        let t = self.toks[self.pos].clone();
        if self.pos + 1 < self.toks.len() {
            self.pos += 1;
        }
        t
    }
    fn describe(t: &Tok) -> String {
        match t {
            Tok::Ident(s) | Tok::Num(s) => format!("`{s}`"),
            Tok::Str(s) => format!("string {s:?}"),
            Tok::Punct(c) => format!("`{c}`"),
            Tok::Eof => "end of input".into(),
        }
    }
    fn expected<T>(&self, what: &str) -> Result<T, ParseError> {
        err(
            self.here(),
            format!("expected {what}, found {}", Self::describe(self.peek())),
        )
    }
    fn punct(&mut self, c: char) -> Result<(), ParseError> {
        if *self.peek() == Tok::Punct(c) {
            self.next();
            Ok(())
        } else {
            self.expected(&format!("`{c}`"))
        }
    }
    fn eat_punct(&mut self, c: char) -> bool {
        let hit = *self.peek() == Tok::Punct(c);
        if hit {
            self.next();
        }
        hit
    }
    fn keyword(&mut self, kw: &str) -> Result<(), ParseError> {
        if matches!(self.peek(), Tok::Ident(s) if s == kw) {
            self.next();
            Ok(())
        } else {
            self.expected(&format!("`{kw}`"))
        }
    }
    fn ident(&mut self, what: &str) -> Result<(String, Pos), ParseError> {
        match self.peek().clone() {
            Tok::Ident(s) => Ok((s, self.next().pos)),
            _ => self.expected(what),
        }
    }
    fn string(&mut self) -> Result<String, ParseError> {
        match self.peek().clone() {
            Tok::Str(s) => {
                self.next();
                Ok(s)
            }
            _ => self.expected("a string"),
        }
    }
    fn int<T: std::str::FromStr>(&mut self, what: &str) -> Result<T, ParseError> {
        match self.peek().clone() {
            Tok::Num(s) => match s.parse() {
                Ok(v) => {
                    self.next();
                    Ok(v)
                }
                Err(_) => err(
                    self.here(),
                    format!("{what} out of range or malformed: `{s}`"),
                ),
            },
            _ => self.expected(what),
        }
    }
    fn entity(&mut self, prefix: &str, what: &str) -> Result<(u32, Pos), ParseError> {
        if let Tok::Ident(s) = self.peek()
            && let Some(n) = entity_number(s, prefix)
        {
            if n > MAX_ID {
                return err(
                    self.here(),
                    format!("{s}: ids above {MAX_ID} are not supported"),
                );
            }
            return Ok((n, self.next().pos));
        }
        self.expected(what)
    }
    fn value_use(&mut self) -> Result<Value, ParseError> {
        let (n, pos) = self.entity("v", "a value (`v3`)")?;
        self.uses.push((Value(n), pos));
        Ok(Value(n))
    }
    fn value_list(&mut self, close: char) -> Result<Vec<Value>, ParseError> {
        let mut out = Vec::new();
        if self.eat_punct(close) {
            return Ok(out);
        }
        loop {
            out.push(self.value_use()?);
            if self.eat_punct(close) {
                return Ok(out);
            }
            self.punct(',')?;
        }
    }
    fn fs_use(&mut self) -> Result<FrameStateId, ParseError> {
        let (n, pos) = self.entity("fs", "a frame state (`fs1`)")?;
        self.fs_refs.push((FrameStateId(n), pos));
        Ok(FrameStateId(n))
    }
    fn block_call(&mut self) -> Result<BlockCall, ParseError> {
        let (n, pos) = self.entity("bb", "a block (`bb2`)")?;
        self.block_refs.push((Block(n), pos));
        self.punct('(')?;
        let args = self.value_list(')')?;
        Ok(BlockCall {
            block: Block(n),
            args,
        })
    }
    fn ty(&mut self) -> Result<Type, ParseError> {
        match self.peek().clone() {
            Tok::Ident(s) if Type::from_name(&s).is_some() => {
                self.next();
                Ok(Type::from_name(&s).unwrap())
            }
            _ => self.expected("a type (obj, i64, i32, i8, f64, ptr)"),
        }
    }
    fn define(
        &mut self,
        v: u32,
        def: ValueDef,
        ty: Option<Type>,
        pos: Pos,
    ) -> Result<Value, ParseError> {
        let i = v as usize;
        if self.defs.len() <= i {
            self.defs.resize(i + 1, None);
        }
        if let Some((_, _, first)) = self.defs[i] {
            return err(
                pos,
                format!("v{v} is already defined at {}:{}", first.line, first.col),
            );
        }
        self.defs[i] = Some((def, ty, pos));
        Ok(Value(v))
    }

    /// A whole `function ... { ... }` inside this one (an inline callee), parsed on its own.
    fn nested_function(&mut self) -> Result<Function, ParseError> {
        let start = self.pos;
        let mut depth = 0usize;
        let mut end = start;
        loop {
            match &self.toks[end].tok {
                Tok::Eof => return err(self.toks[start].pos, "unterminated inline function"),
                Tok::Punct('{') => depth += 1,
                Tok::Punct('}') if depth == 0 => {
                    return err(self.toks[end].pos, "expected an inline `function ... {`");
                }
                Tok::Punct('}') => {
                    depth -= 1;
                    if depth == 0 {
                        break;
                    }
                }
                _ => {}
            }
            end += 1;
        }
        let mut toks = self.toks[start..=end].to_vec();
        toks.push(Token {
            tok: Tok::Eof,
            pos: self.toks[end].pos,
        });
        self.pos = end + 1;
        Parser::over(toks).function()
    }

    fn function(&mut self) -> Result<Function, ParseError> {
        self.keyword("function")?;
        let name = self.string()?;
        self.keyword("nlocalsplus")?;
        self.punct('=')?;
        let nlocalsplus = self.int("nlocalsplus")?;
        self.keyword("stacksize")?;
        self.punct('=')?;
        let stacksize = self.int("stacksize")?;
        let cold = *self.peek() == Tok::Ident("cold".into());
        if cold {
            self.next();
        }
        let inlinee = *self.peek() == Tok::Ident("inlinee".into());
        if inlinee {
            self.next();
        }
        self.punct('{')?;
        let mut f = Function::new(name, nlocalsplus, stacksize);
        f.cold = cold;
        f.inlinee = inlinee;
        self.preamble(&mut f)?;
        let mut current: Option<Block> = None;
        loop {
            match self.peek().clone() {
                Tok::Punct('}') => {
                    self.next();
                    break;
                }
                Tok::Eof => return self.expected("`}`"),
                Tok::Ident(s)
                    if entity_number(&s, "bb").is_some() && *self.peek_at(1) == Tok::Punct('(') =>
                {
                    current = Some(self.block_header(&mut f)?);
                }
                Tok::Ident(_) => {
                    let Some(b) = current else {
                        return err(
                            self.here(),
                            "instruction outside a block (expected a block header `bb0(...):`)",
                        );
                    };
                    self.instruction(&mut f, b)?;
                }
                _ => return self.expected("an instruction, a block header or `}`"),
            }
        }
        if *self.peek() != Tok::Eof {
            return self.expected("end of input");
        }
        self.finish(f)
    }

    /// Bindings and frame states before the first block.
    fn preamble(&mut self, f: &mut Function) -> Result<(), ParseError> {
        loop {
            let Tok::Ident(s) = self.peek().clone() else {
                return Ok(());
            };
            let pos = self.here();
            if s == "feedback" {
                self.next();
                self.feedback_line(f)?;
            } else if s == "inline" {
                self.next();
                self.punct('@')?;
                let at = self.int("a bytecode index")?;
                self.keyword("args")?;
                let argcount = self.int("a parameter count")?;
                let body = self.nested_function()?;
                f.inline_callees
                    .push(crate::function::InlineCallee { at, argcount, body });
            } else if s == "const" {
                self.next();
                let k: u32 = self.int("a constant index")?;
                self.punct('=')?;
                let (kind, kpos) = self.ident("`int` or `float`")?;
                let v = match kind.as_str() {
                    "int" => ConstValue::Int(self.int("an integer")?),
                    "float" => ConstValue::Float(self.float()?),
                    _ => return err(kpos, "expected `int` or `float`"),
                };
                if f.const_value(k).is_some() {
                    return err(pos, format!("const {k} is already defined"));
                }
                f.set_const_value(k, v);
            } else if let Some((n, last)) = s
                .split_once("..")
                .and_then(|(a, b)| Some((entity_number(a, "b")?, entity_number(b, "b")?)))
            {
                // `b4..b19 = cache`: a run of cache words.
                self.next();
                if n as usize != f.bindings.len() || last < n || last > MAX_ID {
                    return err(
                        pos,
                        format!(
                            "expected binding b{} next (bindings are numbered densely in order)",
                            f.bindings.len()
                        ),
                    );
                }
                self.punct('=')?;
                let (kind, kpos) = self.ident("`cache`")?;
                if kind != "cache" {
                    return err(
                        kpos,
                        "only `cache` bindings come in runs (`b4..b19 = cache`)",
                    );
                }
                f.bindings.extend(std::iter::repeat_n(
                    BindingKind::Cache,
                    (last - n + 1) as usize,
                ));
            } else if let Some(n) = entity_number(&s, "b") {
                self.next();
                if n as usize != f.bindings.len() {
                    return err(
                        pos,
                        format!(
                            "expected binding b{} next (bindings are numbered densely in order)",
                            f.bindings.len()
                        ),
                    );
                }
                self.punct('=')?;
                let (kind, kpos) = self.ident("`type`, `builtin`, `object` or `cache`")?;
                f.bindings.push(match kind.as_str() {
                    "type" => BindingKind::Type(self.string()?),
                    "builtin" => BindingKind::Builtin(self.string()?),
                    "object" => BindingKind::Object(self.string()?),
                    "cache" => BindingKind::Cache,
                    _ => {
                        return err(
                            kpos,
                            format!(
                                "unknown binding kind `{kind}` (expected `type`, `builtin`, `object` or `cache`)"
                            ),
                        );
                    }
                });
            } else if let Some(n) = entity_number(&s, "fs") {
                if n > MAX_ID {
                    return err(pos, format!("{s}: ids above {MAX_ID} are not supported"));
                }
                self.next();
                let i = n as usize;
                if f.frame_states.get(i).is_some_and(|s| s.is_some()) {
                    return err(pos, format!("fs{n} is already defined"));
                }
                if i < f.frame_states.len() {
                    return err(
                        pos,
                        format!(
                            "frame states must be in increasing id order; fs{n} comes too late"
                        ),
                    );
                }
                self.punct('=')?;
                self.keyword("state")?;
                self.punct('@')?;
                let index = self.int("a bytecode index")?;
                self.punct('[')?;
                let (mut stack, mut borrowed) = (Vec::new(), Vec::new());
                if !self.eat_punct(']') {
                    loop {
                        if self.eat_punct('&') {
                            borrowed.push(stack.len() as u32);
                        }
                        stack.push(self.value_use()?);
                        if self.eat_punct(']') {
                            break;
                        }
                        self.punct(',')?;
                    }
                }
                let mut locals = Vec::new();
                if matches!(self.peek(), Tok::Ident(s) if s == "locals") {
                    self.next();
                    self.punct('[')?;
                    if !self.eat_punct(']') {
                        loop {
                            let slot = self.int("a local slot")?;
                            self.punct(':')?;
                            locals.push((slot, self.value_use()?));
                            if self.eat_punct(']') {
                                break;
                            }
                            self.punct(',')?;
                        }
                    }
                }
                let parent = if matches!(self.peek(), Tok::Ident(s) if s == "parent") {
                    self.next();
                    Some(self.fs_use()?)
                } else {
                    None
                };
                let abandon = if matches!(self.peek(), Tok::Ident(s) if s == "abandon") {
                    self.next();
                    let (n, pos) = self.entity("bb", "a block (`bb2`)")?;
                    self.block_refs.push((Block(n), pos));
                    Some(Block(n))
                } else {
                    None
                };
                f.frame_states.resize(i, None);
                f.frame_states.push(Some(FrameState {
                    index,
                    stack,
                    borrowed,
                    locals,
                    parent,
                    abandon,
                }));
            } else {
                return Ok(());
            }
        }
    }

    fn block_header(&mut self, f: &mut Function) -> Result<Block, ParseError> {
        let (n, pos) = self.entity("bb", "a block")?;
        let b = Block(n);
        if self.block_defined.len() <= b.index() {
            self.block_defined.resize(b.index() + 1, false);
            f.blocks.resize(b.index() + 1, BlockData::default());
        }
        if self.block_defined[b.index()] {
            return err(pos, format!("{b} is already defined"));
        }
        self.block_defined[b.index()] = true;
        f.layout.push(b);
        self.punct('(')?;
        if !self.eat_punct(')') {
            loop {
                let (v, vpos) = self.entity("v", "a block parameter (`v3: obj`)")?;
                self.punct(':')?;
                let ty = match self.peek() {
                    Tok::Ident(s) if Type::from_name(s).is_none() => {
                        let t = self.pytype()?;
                        self.pytypes.push((Value(v), t));
                        Type::Obj
                    }
                    _ => self.ty()?,
                };
                let index = f.blocks[b.index()].params.len() as u32;
                let v = self.define(v, ValueDef::Param(b, index), Some(ty), vpos)?;
                f.blocks[b.index()].params.push(v);
                if self.eat_punct(')') {
                    break;
                }
                self.punct(',')?;
            }
        }
        if *self.peek() == Tok::Ident("cold".into()) {
            self.next();
            f.blocks[b.index()].cold = true;
        }
        self.punct(':')?;
        Ok(b)
    }

    fn instruction(&mut self, f: &mut Function, b: Block) -> Result<(), ParseError> {
        let start = self.here();
        let inst = Inst::new(f.insts.len());
        // results
        let mut results = Vec::new();
        if let Tok::Ident(s) = self.peek()
            && entity_number(s, "v").is_some()
        {
            loop {
                let (n, pos) = self.entity("v", "a result value")?;
                results.push(self.define(
                    n,
                    ValueDef::Result(inst, results.len() as u32),
                    None,
                    pos,
                )?);
                if self.eat_punct(':') {
                    let t = self.pytype()?;
                    self.pytypes.push((Value(n), t));
                }
                if self.eat_punct('=') {
                    break;
                }
                self.punct(',')?;
            }
        }
        let (word, wpos) = self.ident("an instruction mnemonic")?;
        let (base, suffix) = match word.split_once('.') {
            // `py.call.2`: the suffix holds a dot of its own.
            Some((b, s)) => (b, Some(s)),
            None => (word.as_str(), None),
        };
        let Some(opcode) = Opcode::from_mnemonic(base) else {
            return err(wpos, format!("unknown instruction `{base}`"));
        };
        let sfx_pos = Pos {
            line: wpos.line,
            col: wpos.col + base.len() as u32 + 1,
        };
        let mut ty_sfx = None;
        let mut icc = None;
        let mut fcc = None;
        let mut pyop = None;
        match (opcode.suffix(), suffix) {
            (Suffix::None, None) => {}
            (Suffix::None, Some(s)) => {
                return err(sfx_pos, format!("`{base}` takes no suffix, found `.{s}`"));
            }
            (_, None) => return err(wpos, format!("`{base}` needs a `.suffix`")),
            (Suffix::Type, Some(s)) => match Type::from_name(s) {
                Some(t) => ty_sfx = Some(t),
                None => return err(sfx_pos, format!("unknown type `{s}`")),
            },
            (Suffix::IntCC, Some(s)) => match IntCC::from_name(s) {
                Some(c) => icc = Some(c),
                None => return err(sfx_pos, format!("unknown integer condition `{s}`")),
            },
            (Suffix::FloatCC, Some(s)) => match FloatCC::from_name(s) {
                Some(c) => fcc = Some(c),
                None => return err(sfx_pos, format!("unknown float condition `{s}`")),
            },
            (Suffix::PyOp, Some(s)) => match PyOp::from_name(s) {
                Some(op) => pyop = Some(op),
                None => return err(sfx_pos, format!("unknown Python operation `py.{s}`")),
            },
        }
        let operands = match opcode.format() {
            Format::Nullary => Operands::Nullary,
            Format::IntConst => Operands::IntConst {
                ty: ty_sfx.unwrap(),
                imm: self.int("an integer")?,
            },
            Format::FloatConst => Operands::FloatConst {
                bits: self.float()?,
            },
            Format::UImm => Operands::UImm {
                imm: self.int("an unsigned integer")?,
            },
            Format::UImmValue => {
                let imm = self.int("an unsigned integer")?;
                self.punct(',')?;
                Operands::UImmValue {
                    imm,
                    arg: self.value_use()?,
                }
            }
            Format::Binding => {
                let (n, pos) = self.entity("b", "a binding (`b0`)")?;
                if n as usize >= f.bindings.len() {
                    return err(pos, format!("binding b{n} is not defined"));
                }
                Operands::Binding {
                    binding: BindingId(n),
                }
            }
            Format::Load => {
                let ptr = self.value_use()?;
                self.punct(',')?;
                Operands::Load {
                    ty: ty_sfx.unwrap(),
                    ptr,
                    offset: self.int("a byte offset")?,
                }
            }
            Format::Store => {
                let ptr = self.value_use()?;
                self.punct(',')?;
                let offset = self.int("a byte offset")?;
                self.punct(',')?;
                Operands::Store {
                    ty: ty_sfx.unwrap(),
                    ptr,
                    offset,
                    value: self.value_use()?,
                }
            }
            Format::Unary => Operands::Unary {
                arg: self.value_use()?,
            },
            Format::UnaryTyped => Operands::UnaryTyped {
                ty: ty_sfx.unwrap(),
                arg: self.value_use()?,
            },
            Format::Binary => Operands::Binary {
                args: self.values::<2>()?,
            },
            Format::IntCompare => Operands::IntCompare {
                cond: icc.unwrap(),
                args: self.values::<2>()?,
            },
            Format::FloatCompare => Operands::FloatCompare {
                cond: fcc.unwrap(),
                args: self.values::<2>()?,
            },
            Format::Ternary => Operands::Ternary {
                args: self.values::<3>()?,
            },
            Format::Call => {
                let (name, npos) = self.ident("a callee name")?;
                let Some(callee) = callees::lookup(&name) else {
                    return err(
                        npos,
                        format!("unknown callee `{name}` (not in the callee table)"),
                    );
                };
                self.punct('(')?;
                Operands::Call {
                    callee,
                    args: self.value_list(')')?,
                }
            }
            Format::Check => {
                let arg = self.value_use()?;
                self.punct(',')?;
                Operands::Check {
                    arg,
                    fs: self.fs_use()?,
                }
            }
            Format::DeoptIf => {
                let cond = self.value_use()?;
                self.punct(',')?;
                let fs = self.fs_use()?;
                self.punct(',')?;
                Operands::DeoptIf {
                    cond,
                    fs,
                    reason: self.string()?,
                }
            }
            Format::Jump => Operands::Jump {
                dest: self.block_call()?,
            },
            Format::Branch => {
                let cond = self.value_use()?;
                self.punct(',')?;
                let then_dest = self.block_call()?;
                self.punct(',')?;
                Operands::Branch {
                    cond,
                    then_dest,
                    else_dest: self.block_call()?,
                }
            }
            Format::Entry => {
                let body = self.block_call()?;
                let mut handlers = Vec::new();
                while self.eat_punct(',') {
                    self.keyword("catch")?;
                    self.punct('@')?;
                    let at = self.int("a handler's code unit")?;
                    handlers.push((at, self.block_call()?));
                }
                Operands::Entry { body, handlers }
            }
            Format::Deopt => {
                let fs = self.fs_use()?;
                self.punct(',')?;
                Operands::Deopt {
                    fs,
                    reason: self.string()?,
                }
            }
            Format::Raise => Operands::Raise { fs: self.fs_use()? },
            Format::Symbol => {
                let arg = self.value_use()?;
                self.punct(',')?;
                Operands::Symbol {
                    arg,
                    symbol: self.string()?,
                }
            }
            Format::WellKnown => {
                let (w, wpos) = self.ident("`None`, `True`, `False` or a builtin type symbol")?;
                match WellKnown::from_name(&w) {
                    Some(obj) => Operands::WellKnown { obj },
                    None => return err(wpos, format!("unknown object `{w}`")),
                }
            }
            Format::GuardType => {
                let arg = self.value_use()?;
                self.punct(',')?;
                let (n, pos) = self.entity("b", "a binding (`b0`)")?;
                if n as usize >= f.bindings.len() {
                    return err(pos, format!("binding b{n} is not defined"));
                }
                self.punct(',')?;
                Operands::GuardType {
                    arg,
                    binding: BindingId(n),
                    fs: self.fs_use()?,
                }
            }
            Format::Py => {
                let op = pyop.unwrap();
                let mut args = Vec::new();
                for _ in 0..op.arity() {
                    args.push(self.value_use()?);
                    self.punct(',')?;
                }
                Operands::Py {
                    op,
                    args,
                    fs: self.fs_use()?,
                }
            }
        };
        let loc = if self.eat_punct('@') {
            Some(self.int("a bytecode index")?)
        } else {
            None
        };
        let want = match &operands {
            Operands::Call { callee, .. } => usize::from(callee.ret.is_some()),
            _ => usize::from(opcode.info().results),
        };
        if results.len() != want {
            return err(
                start,
                format!("`{word}` has {want} result(s), found {}", results.len()),
            );
        }
        f.insts.push(InstData {
            opcode,
            operands,
            results,
            loc,
        });
        self.inst_pos.push(start);
        f.blocks[b.index()].insts.push(inst);
        Ok(())
    }

    /// `FloatExact`, `Long|NoneType`, `Exact[b2]`.
    fn pytype(&mut self) -> Result<PyType, ParseError> {
        let pos = self.here();
        let mut text = String::new();
        loop {
            let (part, _) = self.ident("a Python type (`FloatExact`, `Exact[b2]`, ...)")?;
            text.push_str(&part);
            if part == "Exact" {
                self.punct('[')?;
                let (b, _) = self.ident("a binding (`b2`)")?;
                self.punct(']')?;
                text.push_str(&format!("[{b}]"));
            }
            if !self.eat_punct('|') {
                break;
            }
            text.push('|');
        }
        PyType::from_name(&text)
            .map_or_else(|| err(pos, format!("unknown Python type `{text}`")), Ok)
    }

    /// One `feedback @12 "BINARY_OP" 3x ...` line (after `feedback`), appended to `f`.
    fn feedback_line(&mut self, f: &mut Function) -> Result<(), ParseError> {
        self.punct('@')?;
        let pos = self.here();
        let index: u32 = self.int("a bytecode index")?;
        let base_op = self.string()?;
        let cpos = self.here();
        let count = match self.peek().clone() {
            Tok::Num(s) => s.strip_suffix('x').and_then(|n| n.parse::<u32>().ok()),
            _ => None,
        };
        let Some(count) = count else {
            return self.expected("an observation count (`3x`)");
        };
        self.next();
        let feedback = self.feedback_body()?;
        match f.feedback.last_mut() {
            Some(last) if last.index == index && last.base_op == base_op => {
                last.observations.push(Observation { count, feedback })
            }
            Some(last) if last.index >= index => {
                return err(
                    pos,
                    format!(
                        "feedback @{index} must come after @{} (sorted by index, one site's lines together)",
                        last.index
                    ),
                );
            }
            _ => f.feedback.push(SiteFeedback {
                index,
                base_op,
                observations: vec![Observation { count, feedback }],
            }),
        }
        let _ = cpos;
        Ok(())
    }

    fn feedback_body(&mut self) -> Result<Feedback, ParseError> {
        let (kind, kpos) = self.ident("`adaptive`, `operands`, `attr`, `global` or `call`")?;
        Ok(match kind.as_str() {
            "adaptive" => Feedback::Adaptive {
                backoff: self.int("a backoff counter")?,
            },
            "operands" => {
                let op = self.string()?;
                self.punct('[')?;
                let mut types = Vec::new();
                if !self.eat_punct(']') {
                    loop {
                        types.push(self.string()?);
                        if self.eat_punct(']') {
                            break;
                        }
                        self.punct(',')?;
                    }
                }
                let missed = matches!(self.peek(), Tok::Ident(s) if s == "missed");
                if missed {
                    self.next();
                }
                Feedback::Operands { op, types, missed }
            }
            "attr" => {
                let op = self.string()?;
                let receiver = self.string()?;
                let name = self.string()?;
                let (how, hpos) = self.ident("an attribute kind")?;
                let how = match how.as_str() {
                    "instance_value" => AttrKind::InstanceValue {
                        index: self.int("an index")?,
                    },
                    "slot" => AttrKind::Slot {
                        offset: self.int("an offset")?,
                    },
                    "dict_hint" => AttrKind::DictHint {
                        hint: self.int("a hint")?,
                    },
                    "module" => AttrKind::Module,
                    "method" => AttrKind::Method {
                        descr: self.callee_facts()?,
                    },
                    "class_attr" => AttrKind::ClassAttr {
                        descr: self.callee_facts()?,
                    },
                    other => return err(hpos, format!("unknown attribute kind `{other}`")),
                };
                Feedback::Attr {
                    op,
                    receiver,
                    name,
                    how,
                }
            }
            "global" => {
                let op = self.string()?;
                let name = self.string()?;
                let (w, wpos) = self.ident("`builtin` or `module`")?;
                let builtin = match w.as_str() {
                    "builtin" => true,
                    "module" => false,
                    _ => return err(wpos, "expected `builtin` or `module`"),
                };
                let value = if self.eat_punct('=') {
                    Some(self.callee_facts()?)
                } else {
                    None
                };
                Feedback::Global {
                    op,
                    name,
                    builtin,
                    value,
                }
            }
            "call" => Feedback::Call {
                op: self.string()?,
                callee: self.callee_facts()?,
            },
            other => return err(kpos, format!("unknown feedback kind `{other}`")),
        })
    }

    fn callee_facts(&mut self) -> Result<CalleeFacts, ParseError> {
        let (kind, kpos) = self.ident("`code`, `builtin`, `type`, `module` or `unknown`")?;
        Ok(match kind.as_str() {
            "code" => {
                let filename = self.string()?;
                let module = self.string()?;
                let qualname = self.string()?;
                let firstlineno = self.int("a line number")?;
                let hpos = self.here();
                let hash = match self.next().tok {
                    Tok::Num(h) => h
                        .strip_prefix("0x")
                        .and_then(|h| u64::from_str_radix(h, 16).ok()),
                    _ => None,
                };
                let Some(marshal_hash) = hash else {
                    return err(hpos, "expected a marshal hash `0x...`");
                };
                CalleeFacts::Code(CodeKey {
                    filename,
                    module,
                    qualname,
                    firstlineno,
                    marshal_hash,
                })
            }
            "builtin" => CalleeFacts::Builtin(self.string()?),
            "type" => CalleeFacts::Type(self.string()?),
            "module" => CalleeFacts::Module(self.string()?),
            "unknown" => CalleeFacts::Unknown,
            other => return err(kpos, format!("unknown callee kind `{other}`")),
        })
    }

    fn values<const N: usize>(&mut self) -> Result<[Value; N], ParseError> {
        let mut out = [Value(0); N];
        for (i, slot) in out.iter_mut().enumerate() {
            if i > 0 {
                self.punct(',')?;
            }
            *slot = self.value_use()?;
        }
        Ok(out)
    }

    /// `1.5`, `-0.0`, `1e300`, `inf`, `-inf`, `nan:0x7ff8000000000000`
    fn float(&mut self) -> Result<u64, ParseError> {
        let pos = self.here();
        match self.peek().clone() {
            Tok::Ident(s) if s == "inf" => {
                self.next();
                Ok(f64::INFINITY.to_bits())
            }
            Tok::Num(s) if s == "-inf" => {
                self.next();
                Ok(f64::NEG_INFINITY.to_bits())
            }
            Tok::Ident(s) if s == "nan" => {
                self.next();
                self.punct(':')?;
                let hpos = self.here();
                let Tok::Num(h) = self.next().tok else {
                    return err(hpos, "expected NaN bits `0x...`");
                };
                let bits = h
                    .strip_prefix("0x")
                    .and_then(|h| u64::from_str_radix(h, 16).ok());
                match bits {
                    Some(b) if f64::from_bits(b).is_nan() => Ok(b),
                    _ => err(hpos, format!("`{h}` is not the bit pattern of a NaN")),
                }
            }
            Tok::Num(s) => match s.parse::<f64>() {
                Ok(x) if x.is_finite() => {
                    self.next();
                    Ok(x.to_bits())
                }
                _ => err(pos, format!("malformed float `{s}`")),
            },
            _ => self.expected("a float"),
        }
    }

    /// Resolves references and infers result types.
    fn finish(&mut self, mut f: Function) -> Result<Function, ParseError> {
        for &(v, pos) in &self.uses {
            if !matches!(self.defs.get(v.index()), Some(Some(_))) {
                return err(pos, format!("{v} is not defined"));
            }
        }
        for &(b, pos) in &self.block_refs {
            if !self.block_defined.get(b.index()).copied().unwrap_or(false) {
                return err(pos, format!("{b} is not defined"));
            }
        }
        for &(fs, pos) in &self.fs_refs {
            if !f.frame_states.get(fs.index()).is_some_and(|s| s.is_some()) {
                return err(pos, format!("{fs} is not defined"));
            }
        }
        if f.layout.is_empty() {
            return err(self.here(), "a function needs at least one block");
        }
        // Infer result types until nothing changes (operands may be defined later in the text).
        loop {
            let mut progress = false;
            let mut stuck = None;
            for (i, d) in f.insts.iter().enumerate() {
                let Some(first) = d.results.first() else {
                    continue;
                };
                if self.defs[first.index()].unwrap().1.is_some() {
                    continue;
                }
                let defs = &self.defs;
                match result_types(d.opcode, &d.operands, |v| defs[v.index()].and_then(|d| d.1)) {
                    Some(tys) => {
                        for (r, ty) in d.results.iter().zip(tys) {
                            self.defs[r.index()].as_mut().unwrap().1 = Some(ty);
                        }
                        progress = true;
                    }
                    None => stuck = stuck.or(Some(i)),
                }
            }
            match (stuck, progress) {
                (None, _) => break,
                (Some(_), true) => continue,
                (Some(i), false) => {
                    let r = f.insts[i].results[0];
                    return err(
                        self.inst_pos[i],
                        format!("cannot infer the type of {r}: its operands' types depend on it"),
                    );
                }
            }
        }
        f.values = self
            .defs
            .iter()
            .map(|d| match d {
                Some((def, ty, _)) => ValueData {
                    ty: ty.expect("inferred above"),
                    pyty: PyType::OBJECT,
                    def: *def,
                },
                None => ValueData {
                    ty: Type::Obj,
                    pyty: PyType::OBJECT,
                    def: ValueDef::Detached,
                },
            })
            .collect();
        for &(v, t) in &self.pytypes {
            if f.value_type(v) != Type::Obj {
                let pos = self.defs[v.index()].unwrap().2;
                return err(
                    pos,
                    format!("{v}: only obj values have a Python type ({t})"),
                );
            }
            f.set_pytype(v, t);
        }
        Ok(f)
    }
}
