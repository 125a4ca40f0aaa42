//! The byte-level marshal decoder (mirrors `r_object` in Python/marshal.c of 3.11).

use super::code::{CO_VARARGS, CO_VARKEYWORDS, Code};
use super::constant::{Const, Int};
use thiserror::Error;

/// Malformed or unsupported marshal data. Positions are byte offsets into the input.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum MarshalError {
    #[error("unexpected end of data at byte {0}")]
    Eof(usize),
    #[error("unknown type code {code:#04x} at byte {pos}")]
    UnknownType { pos: usize, code: u8 },
    #[error("bad size {len} at byte {pos}")]
    BadSize { pos: usize, len: i64 },
    #[error("invalid reference {index} at byte {pos}")]
    BadRef { pos: usize, index: i64 },
    #[error("reference {index} at byte {pos} points at an object still being read")]
    IncompleteRef { pos: usize, index: i64 },
    #[error("nesting deeper than 2000 at byte {0}")]
    TooDeep(usize),
    #[error("NULL object at byte {0}")]
    Null(usize),
    #[error("invalid UTF-8 in str at byte {0}")]
    Utf8(usize),
    #[error("bad long at byte {0}")]
    BadLong(usize),
    #[error("bad float text at byte {0}")]
    BadFloat(usize),
    #[error("code object at byte {pos}: {field} must be {expected}, found {found}")]
    WrongType {
        pos: usize,
        field: &'static str,
        expected: &'static str,
        found: &'static str,
    },
    #[error("code object at byte {pos}: {reason}")]
    BadCode { pos: usize, reason: &'static str },
    #[error("expected a code object, found {0}")]
    NotCode(&'static str),
    #[error("{0} trailing bytes after the object")]
    Trailing(usize),
    #[error("data expands to too many objects (reference bomb?)")]
    TooLarge,
    #[error("cannot start the reader thread: {0}")]
    Thread(String),
    #[error("bad .pyc header: {0}")]
    BadPyc(&'static str),
}

type Result<T> = std::result::Result<T, MarshalError>;

const MAX_DEPTH: u32 = 2000;
const FLAG_REF: u8 = 0x80;

enum Slot {
    /// Reserved when the object started; a reference to it now is a cycle we cannot represent.
    Reserved,
    /// Finished object and its weight (for the expansion budget).
    Done(Const, u64),
}

struct Reader<'a> {
    d: &'a [u8],
    pos: usize,
    refs: Vec<Slot>,
    depth: u32,
    /// Remaining weight (objects + payload bytes / 8) the output may have; bounds reference bombs.
    budget: u64,
}

/// Reads one marshalled code object (`marshal.dumps(code)`); the whole input must be used.
pub fn load_code(bytes: &[u8]) -> Result<Code> {
    match load_const(bytes)? {
        Const::Code(c) => Ok(*c),
        other => Err(MarshalError::NotCode(other.type_name())),
    }
}

/// Reads any one marshalled value; the whole input must be used.
pub fn load_const(bytes: &[u8]) -> Result<Const> {
    // The reader recurses once per nesting level (up to CPython's 2000); a debug build needs
    // more stack for that than a caller's thread may have, so deep inputs get their own thread.
    if max_nesting_bound(bytes) < SHALLOW {
        return read_all(bytes);
    }
    std::thread::scope(|s| {
        std::thread::Builder::new()
            .stack_size(READER_STACK)
            .spawn_scoped(s, || read_all(bytes))
            .map_err(|e| MarshalError::Thread(e.to_string()))?
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    })
}

/// Nesting depth that is always safe on the caller's stack.
const SHALLOW: usize = 64;
/// Debug builds need ~20 MiB for 2000 nested tuples; twice that for code-object nesting.
const READER_STACK: usize = 64 << 20;

/// An upper bound on nesting depth: every container or code object starts with one of these
/// type bytes, so their count bounds the depth (cheap; false positives only cost a thread).
fn max_nesting_bound(bytes: &[u8]) -> usize {
    bytes
        .iter()
        .filter(|&&b| {
            matches!(
                b & !FLAG_REF,
                b')' | b'(' | b'[' | b'{' | b'<' | b'>' | b'c'
            )
        })
        .count()
}

fn read_all(bytes: &[u8]) -> Result<Const> {
    let mut r = Reader {
        d: bytes,
        pos: 0,
        refs: Vec::new(),
        depth: 0,
        budget: 64 * bytes.len() as u64 + 65536,
    };
    let (v, _) = r.object()?;
    if r.pos != bytes.len() {
        return Err(MarshalError::Trailing(bytes.len() - r.pos));
    }
    Ok(v)
}

/// Reads a 3.11 `.pyc` file: checks the 16-byte header's magic, then the module code object.
pub fn load_pyc(bytes: &[u8]) -> Result<Code> {
    if bytes.len() < 16 {
        return Err(MarshalError::BadPyc("shorter than 16 bytes"));
    }
    let magic = u16::from_le_bytes([bytes[0], bytes[1]]);
    if magic != crate::opcodes::BYTECODE_MAGIC || bytes[2..4] != *b"\r\n" {
        return Err(MarshalError::BadPyc("not a CPython 3.11 magic number"));
    }
    load_code(&bytes[16..])
}

impl Reader<'_> {
    fn take(&mut self, n: usize) -> Result<&[u8]> {
        let end = self
            .pos
            .checked_add(n)
            .filter(|&e| e <= self.d.len())
            .ok_or(MarshalError::Eof(self.d.len()))?;
        let s = &self.d[self.pos..end];
        self.pos = end;
        Ok(s)
    }

    fn u8(&mut self) -> Result<u8> {
        Ok(self.take(1)?[0])
    }

    fn i32(&mut self) -> Result<i32> {
        let b = self.take(4)?;
        Ok(i32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    fn f64(&mut self) -> Result<f64> {
        let b = self.take(8)?;
        let mut a = [0u8; 8];
        a.copy_from_slice(b);
        Ok(f64::from_le_bytes(a))
    }

    /// A non-negative i32 size that cannot exceed what is left (each unit needs >= `min` bytes).
    fn size(&mut self, min: usize) -> Result<usize> {
        let pos = self.pos;
        let n = self.i32()?;
        let bad = MarshalError::BadSize {
            pos,
            len: i64::from(n),
        };
        let n = usize::try_from(n).map_err(|_| bad.clone())?;
        if n.saturating_mul(min) > self.d.len() - self.pos {
            return Err(bad);
        }
        Ok(n)
    }

    fn spend(&mut self, w: u64) -> Result<()> {
        self.budget = self.budget.checked_sub(w).ok_or(MarshalError::TooLarge)?;
        Ok(())
    }

    /// One object and its weight.
    fn object(&mut self) -> Result<(Const, u64)> {
        let pos = self.pos;
        let code = self.u8()?;
        if self.depth >= MAX_DEPTH {
            return Err(MarshalError::TooDeep(pos));
        }
        self.depth += 1;
        let r = self.object_body(pos, code);
        self.depth -= 1;
        r
    }

    fn object_body(&mut self, pos: usize, code: u8) -> Result<(Const, u64)> {
        let flag = code & FLAG_REF != 0;
        let ty = code & !FLAG_REF;
        // Singletons never take a reference slot, even with FLAG_REF (as CPython).
        let single = match ty {
            b'0' => return Err(MarshalError::Null(pos)),
            b'N' => Some(Const::None),
            b'F' => Some(Const::False),
            b'T' => Some(Const::True),
            b'.' => Some(Const::Ellipsis),
            b'S' => Some(Const::StopIteration),
            _ => None,
        };
        if let Some(v) = single {
            self.spend(1)?;
            return Ok((v, 1));
        }
        if ty == b'r' {
            let index = i64::from(self.i32()?);
            let slot = usize::try_from(index)
                .ok()
                .and_then(|i| self.refs.get(i))
                .ok_or(MarshalError::BadRef { pos, index })?;
            let (v, w) = match slot {
                Slot::Reserved => return Err(MarshalError::IncompleteRef { pos, index }),
                Slot::Done(v, w) => (v.clone(), *w),
            };
            self.spend(w)?;
            return Ok((v, w));
        }
        // Every other object's slot is taken when it starts, before its children (CPython
        // reserves or registers containers and code objects first; scalars have no children).
        let idx = if flag {
            self.refs.push(Slot::Reserved);
            Some(self.refs.len() - 1)
        } else {
            None
        };
        let (v, w) = self.value(pos, ty)?;
        if let Some(i) = idx {
            self.refs[i] = Slot::Done(v.clone(), w);
        }
        Ok((v, w))
    }

    fn value(&mut self, pos: usize, ty: u8) -> Result<(Const, u64)> {
        // `weight` = this object's own cost plus its children's; children already paid theirs.
        let mut weight = 1u64;
        let mut kids = 0u64;
        let v = match ty {
            b'i' => Const::Int(Int::Small(i64::from(self.i32()?))),
            b'I' => {
                let b = self.take(8)?;
                let mut a = [0u8; 8];
                a.copy_from_slice(b);
                Const::Int(Int::Small(i64::from_le_bytes(a)))
            }
            b'l' => {
                let n = self.i32()?;
                let count = n.unsigned_abs() as usize;
                if count.saturating_mul(2) > self.d.len() - self.pos {
                    return Err(MarshalError::BadSize {
                        pos,
                        len: i64::from(n),
                    });
                }
                let mut digits = Vec::with_capacity(count);
                for _ in 0..count {
                    let b = self.take(2)?;
                    let d = u16::from_le_bytes([b[0], b[1]]);
                    if d >= 1 << 15 {
                        return Err(MarshalError::BadLong(pos));
                    }
                    digits.push(d);
                }
                if digits.last() == Some(&0) {
                    return Err(MarshalError::BadLong(pos)); // unnormalized, as CPython
                }
                weight += count as u64 / 8;
                Const::Int(Int::from_digits15(n < 0, digits))
            }
            b'g' => Const::Float(self.f64()?),
            b'f' => Const::Float(self.text_float()?),
            b'y' => {
                let re = self.f64()?;
                Const::Complex(re, self.f64()?)
            }
            b'x' => {
                let re = self.text_float()?;
                Const::Complex(re, self.text_float()?)
            }
            b's' => {
                let n = self.size(1)?;
                weight += n as u64 / 8;
                Const::Bytes(self.take(n)?.to_vec())
            }
            b'a' | b'A' | b'z' | b'Z' => {
                let n = if ty == b'z' || ty == b'Z' {
                    usize::from(self.u8()?)
                } else {
                    self.size(1)?
                };
                weight += n as u64 / 8;
                // 1-byte kind: each byte is one code point (Latin-1).
                Const::Str(self.take(n)?.iter().map(|&b| char::from(b)).collect())
            }
            b'u' | b't' => {
                let n = self.size(1)?;
                weight += n as u64 / 8;
                let at = self.pos;
                let raw = self.take(n)?;
                match std::str::from_utf8(raw) {
                    Ok(s) => Const::Str(s.to_owned()),
                    Err(_) if is_utf8_surrogatepass(raw) => Const::StrBytes(raw.to_vec()),
                    Err(_) => return Err(MarshalError::Utf8(at)),
                }
            }
            b')' | b'(' | b'[' | b'<' | b'>' => {
                let n = if ty == b')' {
                    usize::from(self.u8()?)
                } else {
                    self.size(1)?
                };
                let mut items = Vec::with_capacity(n);
                for _ in 0..n {
                    let (v, w) = self.object()?;
                    kids += w;
                    items.push(v);
                }
                match ty {
                    b'[' => Const::List(items),
                    b'<' => Const::Set(items),
                    b'>' => Const::FrozenSet(items),
                    _ => Const::Tuple(items),
                }
            }
            b'{' => {
                let mut items = Vec::new();
                loop {
                    if self.d.get(self.pos) == Some(&b'0') {
                        self.pos += 1;
                        break;
                    }
                    let (k, wk) = self.object()?;
                    let (v, wv) = self.object()?;
                    kids += wk + wv;
                    items.push((k, v));
                }
                Const::Dict(items)
            }
            b'c' => {
                let code = self.code(pos)?;
                kids += code.1;
                Const::Code(Box::new(code.0))
            }
            _ => {
                return Err(MarshalError::UnknownType { pos, code: ty });
            }
        };
        self.spend(weight)?;
        Ok((v, weight + kids))
    }

    fn text_float(&mut self) -> Result<f64> {
        let pos = self.pos;
        let n = usize::from(self.u8()?);
        let s = std::str::from_utf8(self.take(n)?).map_err(|_| MarshalError::BadFloat(pos))?;
        s.parse::<f64>().map_err(|_| MarshalError::BadFloat(pos))
    }

    fn code(&mut self, pos: usize) -> Result<(Code, u64)> {
        let mut weight = 0u64;
        let int = |r: &mut Self, reason: &'static str| -> Result<u32> {
            u32::try_from(r.i32()?).map_err(|_| MarshalError::BadCode { pos, reason })
        };
        let argcount = int(self, "negative argcount")?;
        let posonlyargcount = int(self, "negative posonlyargcount")?;
        let kwonlyargcount = int(self, "negative kwonlyargcount")?;
        let stacksize = int(self, "negative stacksize")?;
        let flags = int(self, "negative flags")?;
        let mut field = |r: &mut Self| -> Result<Const> {
            let (v, w) = r.object()?;
            weight += w;
            Ok(v)
        };
        let code = field(self)?;
        let consts = field(self)?;
        let names = field(self)?;
        let lpnames = field(self)?;
        let kinds = field(self)?;
        let filename = field(self)?;
        let name = field(self)?;
        let qualname = field(self)?;
        let firstlineno = int(self, "negative firstlineno")?;
        let linetable = field(self)?;
        let exceptiontable = field(self)?;

        let wrong = |field, expected, v: &Const| MarshalError::WrongType {
            pos,
            field,
            expected,
            found: v.type_name(),
        };
        let bytes = |f: &'static str, v: Const| match v {
            Const::Bytes(b) => Ok(b),
            v => Err(wrong(f, "bytes", &v)),
        };
        let string = |f: &'static str, v: Const| match v {
            Const::Str(s) => Ok(s),
            v => Err(wrong(f, "str", &v)),
        };
        let strings = |f: &'static str, v: Const| match v {
            Const::Tuple(items) => items.into_iter().map(|s| string(f, s)).collect(),
            v => Err(wrong(f, "tuple of str", &v)),
        };
        let code_bytes = bytes("co_code", code)?;
        let consts = match consts {
            Const::Tuple(items) => items,
            v => return Err(wrong("co_consts", "tuple", &v)),
        };
        let filename = match filename {
            Const::StrBytes(b) => String::from_utf8_lossy(&b).into_owned(),
            v => string("co_filename", v)?,
        };
        let c = Code {
            argcount,
            posonlyargcount,
            kwonlyargcount,
            stacksize,
            flags,
            code: code_bytes,
            consts,
            names: strings("co_names", names)?,
            localsplusnames: strings("co_localsplusnames", lpnames)?,
            localspluskinds: bytes("co_localspluskinds", kinds)?,
            filename,
            name: string("co_name", name)?,
            qualname: string("co_qualname", qualname)?,
            firstlineno,
            linetable: bytes("co_linetable", linetable)?,
            exceptiontable: bytes("co_exceptiontable", exceptiontable)?,
        };
        validate(&c).map_err(|reason| MarshalError::BadCode { pos, reason })?;
        Ok((c, weight))
    }
}

/// The checks of `_PyCode_Validate`.
fn validate(c: &Code) -> std::result::Result<(), &'static str> {
    if c.argcount < c.posonlyargcount {
        return Err("argcount < posonlyargcount");
    }
    if c.flags > i32::MAX as u32 {
        return Err("negative flags");
    }
    if c.localsplusnames.len() != c.localspluskinds.len() {
        return Err("co_localsplusnames and co_localspluskinds differ in length");
    }
    if !c.code.len().is_multiple_of(2) || c.code.len() > i32::MAX as usize {
        return Err("co_code is malformed");
    }
    let needed = u64::from(c.argcount)
        + u64::from(c.kwonlyargcount)
        + u64::from(c.flags & CO_VARARGS != 0)
        + u64::from(c.flags & CO_VARKEYWORDS != 0);
    if (c.nlocals() as u64) < needed {
        return Err("co_varnames is too small");
    }
    Ok(())
}

/// UTF-8 that may also encode lone surrogates (U+D800..U+DFFF as 3-byte sequences), which
/// CPython's `surrogatepass` accepts.
fn is_utf8_surrogatepass(b: &[u8]) -> bool {
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        let (len, min) = match c {
            0x00..=0x7f => (1, 0),
            0xc2..=0xdf => (2, 0x80),
            0xe0..=0xef => (3, 0x800),
            0xf0..=0xf4 => (4, 0x10000),
            _ => return false,
        };
        if i + len > b.len() {
            return false;
        }
        let mut cp = u32::from(c) & if len == 1 { 0x7f } else { 0x7f >> len };
        for &cont in &b[i + 1..i + len] {
            if cont & 0xc0 != 0x80 {
                return false;
            }
            cp = cp << 6 | u32::from(cont & 0x3f);
        }
        if len > 1 && (cp < min || cp > 0x10ffff) {
            return false;
        }
        i += len;
    }
    true
}
