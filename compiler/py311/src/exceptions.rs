//! The 3.11 exception table (`co_exceptiontable`): which handler, at what stack depth, covers
//! each instruction. Needed to know where deopts resume and which stack slots must be exact.

use thiserror::Error;

/// One entry. All positions are code units; the covered range is `[start, end)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Handler {
    pub start: u32,
    pub end: u32,
    /// First instruction of the handler.
    pub target: u32,
    /// Value-stack height (above the locals) to unwind to before pushing the exception.
    pub depth: u32,
    /// Whether the faulting instruction's index is pushed (as an int) before the exception.
    pub lasti: bool,
}

impl std::fmt::Display for Handler {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} to {} -> {} [{}]{}",
            self.start,
            self.end,
            self.target,
            self.depth,
            if self.lasti { " lasti" } else { "" }
        )
    }
}

/// Malformed exception table.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum ExceptionTableError {
    #[error("exception table truncated at byte {0}")]
    Truncated(usize),
    #[error("byte {0}: entry does not start with the start bit")]
    MissingStartBit(usize),
    #[error("byte {0}: varint overflows u32")]
    Overflow(usize),
    #[error("entry at byte {0}: range end overflows")]
    RangeOverflow(usize),
}

/// Big-endian 6-bit-group varint (bit 6 = more follows, bit 7 = entry start on the first byte).
fn varint(table: &[u8], pos: &mut usize) -> Result<u32, ExceptionTableError> {
    let at = *pos;
    let mut b = *table
        .get(*pos)
        .ok_or(ExceptionTableError::Truncated(*pos))?;
    *pos += 1;
    let mut v = u32::from(b & 63);
    while b & 64 != 0 {
        b = *table
            .get(*pos)
            .ok_or(ExceptionTableError::Truncated(*pos))?;
        *pos += 1;
        v = v.checked_mul(64).ok_or(ExceptionTableError::Overflow(at))? | u32::from(b & 63);
    }
    Ok(v)
}

/// The entry at byte `pos` of `table`, and the byte after it.
fn entry(table: &[u8], mut pos: usize) -> Result<(Handler, usize), ExceptionTableError> {
    let at = pos;
    if table[pos] & 0x80 == 0 {
        return Err(ExceptionTableError::MissingStartBit(pos));
    }
    let start = varint(table, &mut pos)?;
    let size = varint(table, &mut pos)?;
    let target = varint(table, &mut pos)?;
    let dl = varint(table, &mut pos)?;
    let handler = Handler {
        start,
        end: start
            .checked_add(size)
            .ok_or(ExceptionTableError::RangeOverflow(at))?,
        target,
        depth: dl >> 1,
        lasti: dl & 1 != 0,
    };
    Ok((handler, pos))
}

/// The table's entries in order, each decoded when it is reached (an error ends the walk).
fn entries(table: &[u8]) -> impl Iterator<Item = Result<Handler, ExceptionTableError>> + '_ {
    let mut pos = 0;
    std::iter::from_fn(move || {
        if pos >= table.len() {
            return None;
        }
        match entry(table, pos) {
            Ok((h, next)) => {
                pos = next;
                Some(Ok(h))
            }
            Err(e) => {
                pos = table.len();
                Some(Err(e))
            }
        }
    })
}

/// Parses a whole table (same result as `dis._parse_exception_table`, with exclusive ends in
/// code units).
pub fn parse(table: &[u8]) -> Result<Vec<Handler>, ExceptionTableError> {
    entries(table).collect()
}

/// The handler covering the instruction at code unit `index` (the first matching entry, as
/// CPython's lookup), if any.
pub fn handler_for(handlers: &[Handler], index: u32) -> Option<&Handler> {
    handlers.iter().find(|h| h.start <= index && index < h.end)
}

/// [`handler_for`] straight from the table's bytes, without building the list: the runtime asks
/// this on every exception native code raises, and a program that raises and catches often
/// (parsers) paid for an allocation and a full parse each time. Reads entries up to the first
/// that covers `index`; an error in an entry before that is reported as [`parse`] would.
pub fn lookup(table: &[u8], index: u32) -> Result<Option<Handler>, ExceptionTableError> {
    for h in entries(table) {
        let h = h?;
        if h.start <= index && index < h.end {
            return Ok(Some(h));
        }
    }
    Ok(None)
}
