//! `Display` for `Const` and `Code` in the style of Python's `repr()` (exact for the simple
//! cases: None/bools/ints/floats/str/bytes/containers; code objects omit the address).

use super::code::Code;
use super::constant::{Const, Int};
use std::fmt::{self, Display, Formatter, Write};

impl Display for Int {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            Int::Small(v) => write!(f, "{v}"),
            Int::Big { negative, digits15 } => {
                // Repeated division of the base-2^15 magnitude by 10^4.
                let mut mag: Vec<u32> = digits15.iter().rev().map(|&d| u32::from(d)).collect();
                let mut chunks = Vec::new();
                while mag.iter().any(|&d| d != 0) {
                    let mut rem = 0u32;
                    for d in mag.iter_mut() {
                        let cur = rem << 15 | *d;
                        *d = cur / 10000;
                        rem = cur % 10000;
                    }
                    chunks.push(rem);
                }
                let mut s = String::new();
                if *negative {
                    s.push('-');
                }
                match chunks.split_last() {
                    None => s.push('0'),
                    Some((top, rest)) => {
                        let _ = write!(s, "{top}");
                        for c in rest.iter().rev() {
                            let _ = write!(s, "{c:04}");
                        }
                    }
                }
                f.write_str(&s)
            }
        }
    }
}

/// Python's `float.__repr__` (shortest round-trip digits, exponent outside [-4, 16)).
/// `point` adds `.0` to integral values, as `repr(float)` but not the parts of `repr(complex)`.
pub(crate) fn float_repr(x: f64, point: bool) -> String {
    if x.is_nan() {
        return "nan".into();
    }
    if x.is_infinite() {
        return if x > 0.0 { "inf" } else { "-inf" }.into();
    }
    let sci = format!("{x:e}"); // e.g. "-1.2345e-7", shortest round-trip digits
    let (mant, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let neg = mant.starts_with('-');
    let digits: String = mant.chars().filter(|c| c.is_ascii_digit()).collect();
    let sign = if neg { "-" } else { "" };
    if (-4..16).contains(&exp) {
        let n = digits.len() as i32;
        let s = if exp < 0 {
            format!("0.{}{}", "0".repeat((-exp - 1) as usize), digits)
        } else if exp + 1 >= n {
            let int = format!("{}{}", digits, "0".repeat((exp + 1 - n) as usize));
            if point { format!("{int}.0") } else { int }
        } else {
            let (a, b) = digits.split_at((exp + 1) as usize);
            format!("{a}.{b}")
        };
        format!("{sign}{s}")
    } else {
        let (a, b) = digits.split_at(1);
        let m = if b.is_empty() {
            a.to_string()
        } else {
            format!("{a}.{b}")
        };
        format!(
            "{sign}{m}e{}{:02}",
            if exp < 0 { '-' } else { '+' },
            exp.abs()
        )
    }
}

fn complex_repr(re: f64, im: f64) -> String {
    let imag = float_repr(im, false);
    if re == 0.0 && re.is_sign_positive() {
        return format!("{imag}j");
    }
    let sep = if im.is_sign_negative() || im.is_nan() && imag.starts_with('-') {
        ""
    } else {
        "+"
    };
    format!("({}{sep}{imag}j)", float_repr(re, false))
}

fn str_repr(s: &str) -> String {
    repr_chars(&s.chars().map(u32::from).collect::<Vec<_>>())
}

/// Code points of UTF-8 that may hold encoded lone surrogates (`surrogatepass`); invalid
/// sequences become U+FFFD.
fn code_points(b: &[u8]) -> Vec<u32> {
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        let len = match c {
            0x00..=0x7f => 1,
            0xc0..=0xdf => 2,
            0xe0..=0xef => 3,
            _ => 4,
        };
        match b.get(i + 1..i + len) {
            Some(rest) if len == 1 || rest.iter().all(|&x| x & 0xc0 == 0x80) => {
                let mut cp = u32::from(c) & if len == 1 { 0x7f } else { 0x7f >> len };
                for &x in rest {
                    cp = cp << 6 | u32::from(x & 0x3f);
                }
                out.push(cp);
                i += len;
            }
            _ => {
                out.push(0xfffd);
                i += 1;
            }
        }
    }
    out
}

/// Python's `str.__repr__` over code points (printability approximated: C0/C1 controls,
/// U+00AD and lone surrogates are escaped).
fn repr_chars(s: &[u32]) -> String {
    let has = |c: char| s.contains(&u32::from(c));
    let quote = if has('\'') && !has('"') { '"' } else { '\'' };
    let mut out = String::with_capacity(s.len() + 2);
    out.push(quote);
    for &cp in s {
        let Some(c) = char::from_u32(cp) else {
            let _ = write!(out, "\\u{cp:04x}");
            continue;
        };
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if (c as u32) < 0x20 || (0x7f..=0xa0).contains(&(c as u32)) || c == '\u{ad}' => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push(quote);
    out
}

fn bytes_repr(b: &[u8]) -> String {
    let quote = if b.contains(&b'\'') && !b.contains(&b'"') {
        b'"'
    } else {
        b'\''
    };
    let mut out = String::from("b");
    out.push(quote as char);
    for &c in b {
        match c {
            b'\\' => out.push_str("\\\\"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b'\t' => out.push_str("\\t"),
            c if c == quote => {
                out.push('\\');
                out.push(c as char);
            }
            0x20..=0x7e => out.push(c as char),
            c => {
                let _ = write!(out, "\\x{c:02x}");
            }
        }
    }
    out.push(quote as char);
    out
}

fn join(f: &mut Formatter<'_>, items: &[Const]) -> fmt::Result {
    for (i, v) in items.iter().enumerate() {
        if i > 0 {
            f.write_str(", ")?;
        }
        write!(f, "{v}")?;
    }
    Ok(())
}

impl Display for Const {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            Const::None => f.write_str("None"),
            Const::True => f.write_str("True"),
            Const::False => f.write_str("False"),
            Const::Ellipsis => f.write_str("Ellipsis"),
            Const::StopIteration => f.write_str("<class 'StopIteration'>"),
            Const::Int(i) => write!(f, "{i}"),
            Const::Float(x) => f.write_str(&float_repr(*x, true)),
            Const::Complex(re, im) => f.write_str(&complex_repr(*re, *im)),
            Const::Str(s) => f.write_str(&str_repr(s)),
            Const::StrBytes(b) => f.write_str(&repr_chars(&code_points(b))),
            Const::Bytes(b) => f.write_str(&bytes_repr(b)),
            Const::Tuple(v) => {
                f.write_str("(")?;
                join(f, v)?;
                f.write_str(if v.len() == 1 { ",)" } else { ")" })
            }
            Const::List(v) => {
                f.write_str("[")?;
                join(f, v)?;
                f.write_str("]")
            }
            Const::Set(v) if v.is_empty() => f.write_str("set()"),
            Const::Set(v) => {
                f.write_str("{")?;
                join(f, v)?;
                f.write_str("}")
            }
            Const::FrozenSet(v) if v.is_empty() => f.write_str("frozenset()"),
            Const::FrozenSet(v) => {
                f.write_str("frozenset({")?;
                join(f, v)?;
                f.write_str("})")
            }
            Const::Dict(items) => {
                f.write_str("{")?;
                for (i, (k, v)) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{k}: {v}")?;
                }
                f.write_str("}")
            }
            Const::Code(c) => write!(f, "{c}"),
        }
    }
}

impl Display for Code {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "<code object {}, file \"{}\", line {}>",
            self.name, self.filename, self.firstlineno
        )
    }
}
