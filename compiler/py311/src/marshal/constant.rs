//! Constant values that can appear in `co_consts` (and anything else marshal can hold).

use super::code::Code;

/// An integer: machine-sized when it fits in `i64`, otherwise marshal's sign and 15-bit digits.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Int {
    Small(i64),
    /// `|value| = sum(digits15[i] << (15 * i))`; normalized (no leading zero digit) and never
    /// representable as `Small`.
    Big {
        negative: bool,
        digits15: Vec<u16>,
    },
}

impl Int {
    /// Builds an `Int` from marshal's sign and 15-bit digits (least significant first),
    /// normalizing to `Small` when it fits.
    pub fn from_digits15(negative: bool, digits15: Vec<u16>) -> Int {
        let mut mag: u128 = 0;
        let mut fits = digits15.len() <= 8;
        if fits {
            for (i, d) in digits15.iter().enumerate() {
                mag |= u128::from(*d) << (15 * i);
            }
            fits = if negative {
                mag <= 1u128 << 63
            } else {
                mag < 1u128 << 63
            };
        }
        if fits {
            let v = if negative {
                (mag as i128).wrapping_neg() as i64
            } else {
                mag as i64
            };
            Int::Small(v)
        } else {
            Int::Big { negative, digits15 }
        }
    }

    /// The value as `i64`, if it fits.
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Int::Small(v) => Some(*v),
            Int::Big { .. } => None,
        }
    }
}

/// A marshalled Python value. Containers keep marshal's element order (sets and frozensets are
/// written sorted by their marshal bytes, dicts in insertion order).
#[derive(Clone, Debug, PartialEq)]
pub enum Const {
    None,
    True,
    False,
    Ellipsis,
    /// The `StopIteration` class (marshal type `S`).
    StopIteration,
    Int(Int),
    Float(f64),
    /// (real, imag).
    Complex(f64, f64),
    Str(String),
    /// A str that is not valid UTF-8 because it holds lone surrogates: its UTF-8
    /// (`surrogatepass`) bytes.
    StrBytes(Vec<u8>),
    Bytes(Vec<u8>),
    Tuple(Vec<Const>),
    List(Vec<Const>),
    Set(Vec<Const>),
    FrozenSet(Vec<Const>),
    Dict(Vec<(Const, Const)>),
    Code(Box<Code>),
}

impl Const {
    /// The string, for `Str`.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Const::Str(s) => Some(s),
            _ => None,
        }
    }

    /// The elements, for `Tuple`.
    pub fn as_tuple(&self) -> Option<&[Const]> {
        match self {
            Const::Tuple(v) => Some(v),
            _ => None,
        }
    }

    /// The code object, for `Code`.
    pub fn as_code(&self) -> Option<&Code> {
        match self {
            Const::Code(c) => Some(c),
            _ => None,
        }
    }

    /// The value as `i64`, for ints that fit (and `True`/`False` are *not* ints here).
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Const::Int(i) => i.as_i64(),
            _ => None,
        }
    }

    /// Python type name of the value (`int`, `str`, `code`...).
    pub fn type_name(&self) -> &'static str {
        match self {
            Const::None => "NoneType",
            Const::True | Const::False => "bool",
            Const::Ellipsis => "ellipsis",
            Const::StopIteration => "type",
            Const::Int(_) => "int",
            Const::Float(_) => "float",
            Const::Complex(..) => "complex",
            Const::Str(_) | Const::StrBytes(_) => "str",
            Const::Bytes(_) => "bytes",
            Const::Tuple(_) => "tuple",
            Const::List(_) => "list",
            Const::Set(_) => "set",
            Const::FrozenSet(_) => "frozenset",
            Const::Dict(_) => "dict",
            Const::Code(_) => "code",
        }
    }
}
