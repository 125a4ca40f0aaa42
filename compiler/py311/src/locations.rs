//! The 3.11 location table (`co_linetable`, PEP 626/657): source line and column range of each
//! code unit, as `co_positions()` yields them. Used for DWARF line rows and deopt tracebacks.

use thiserror::Error;

/// Source position of one code unit; `None` where CPython yields `None`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Location {
    pub line: Option<u32>,
    pub end_line: Option<u32>,
    /// 0-based UTF-8 byte column, as in `co_positions()`.
    pub col: Option<u32>,
    pub end_col: Option<u32>,
}

impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let o = |v: Option<u32>| v.map_or_else(|| "None".to_string(), |v| v.to_string());
        write!(
            f,
            "({}, {}, {}, {})",
            o(self.line),
            o(self.end_line),
            o(self.col),
            o(self.end_col)
        )
    }
}

/// Malformed location table.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum LocationError {
    #[error("location table truncated at byte {0}")]
    Truncated(usize),
    #[error("byte {0}: expected an entry header (bit 7 set)")]
    NotAnEntry(usize),
    #[error("byte {0}: varint too long")]
    Overflow(usize),
    #[error("entry at byte {0}: line number {1} out of range")]
    BadLine(usize, i64),
}

// Entry codes (`PY_CODE_LOCATION_INFO_*`).
const NONE: u8 = 15;
const LONG: u8 = 14;
const NO_COLUMNS: u8 = 13;
const ONE_LINE0: u8 = 10;

struct Reader<'a> {
    t: &'a [u8],
    pos: usize,
}

impl Reader<'_> {
    fn byte(&mut self) -> Result<u8, LocationError> {
        let b = *self
            .t
            .get(self.pos)
            .ok_or(LocationError::Truncated(self.pos))?;
        self.pos += 1;
        Ok(b)
    }

    /// Little-endian 6-bit groups, bit 6 = more follows.
    fn varint(&mut self) -> Result<u64, LocationError> {
        let at = self.pos;
        let mut b = self.byte()?;
        let mut v = u64::from(b & 63);
        let mut shift = 0;
        while b & 64 != 0 {
            b = self.byte()?;
            shift += 6;
            if shift > 36 {
                return Err(LocationError::Overflow(at));
            }
            v |= u64::from(b & 63) << shift;
        }
        Ok(v)
    }

    /// Zig-zag style: low bit is the sign.
    fn svarint(&mut self) -> Result<i64, LocationError> {
        let u = self.varint()?;
        let m = (u >> 1) as i64;
        Ok(if u & 1 != 0 { -m } else { m })
    }
}

/// Maps CPython's `-1 = unknown` convention; other negatives are malformed.
fn opt(v: i64, at: usize) -> Result<Option<u32>, LocationError> {
    match v {
        -1 => Ok(None),
        0..=0xffff_ffff => Ok(Some(v as u32)),
        _ => Err(LocationError::BadLine(at, v)),
    }
}

/// One `Location` per code unit for a code object of `code_units` units. Units the table does
/// not cover (only in hand-made code objects) get all-`None`; extra entries are ignored.
pub fn parse(
    linetable: &[u8],
    firstlineno: u32,
    code_units: usize,
) -> Result<Vec<Location>, LocationError> {
    let mut out = Vec::with_capacity(code_units);
    let mut r = Reader {
        t: linetable,
        pos: 0,
    };
    let mut line = i64::from(firstlineno);
    while r.pos < linetable.len() && out.len() < code_units {
        let at = r.pos;
        let first = r.byte()?;
        if first & 0x80 == 0 {
            return Err(LocationError::NotAnEntry(at));
        }
        let code = (first >> 3) & 15;
        let len = usize::from(first & 7) + 1;
        let (l, el, c, ec): (i64, i64, i64, i64) = match code {
            NONE => (-1, -1, -1, -1),
            LONG => {
                line += r.svarint()?;
                let el = line + r.varint()? as i64;
                let c = r.varint()? as i64 - 1;
                let ec = r.varint()? as i64 - 1;
                (line, el, c, ec)
            }
            NO_COLUMNS => {
                line += r.svarint()?;
                (line, line, -1, -1)
            }
            ONE_LINE0..=12 => {
                line += i64::from(code - ONE_LINE0);
                let c = i64::from(r.byte()?);
                let ec = i64::from(r.byte()?);
                (line, line, c, ec)
            }
            _ => {
                let b = r.byte()?;
                let c = i64::from(code) << 3 | i64::from(b >> 4);
                (line, line, c, c + i64::from(b & 15))
            }
        };
        if !(-(1i64 << 40)..(1i64 << 40)).contains(&line) {
            return Err(LocationError::BadLine(at, line));
        }
        let loc = Location {
            line: opt(l, at)?,
            end_line: opt(el, at)?,
            col: opt(c, at)?,
            end_col: opt(ec, at)?,
        };
        for _ in 0..len.min(code_units - out.len()) {
            out.push(loc);
        }
    }
    out.resize(code_units, Location::default());
    Ok(out)
}

/// Line of each code unit only (what tracebacks show for `prev_instr`).
pub fn lines(
    linetable: &[u8],
    firstlineno: u32,
    code_units: usize,
) -> Result<Vec<Option<u32>>, LocationError> {
    Ok(parse(linetable, firstlineno, code_units)?
        .into_iter()
        .map(|l| l.line)
        .collect())
}
