//! Decoding 3.11 bytecode (16-bit little-endian code units) into instructions: folds
//! `EXTENDED_ARG` prefixes into the instruction they extend, skips inline `CACHE` units, and
//! resolves relative jump targets. Works on marshal `co_code` and on `_co_code_adaptive` snapshots.

use crate::opcodes::{self, JumpDirection};
use thiserror::Error;

/// One decoded instruction. All positions are code-unit indices (byte offset / 2).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Instr {
    /// Index of the first `EXTENDED_ARG` prefix, or of the opcode itself when there is none.
    pub start: u32,
    /// Index of the opcode unit (what `prev_instr` points at while it runs).
    pub index: u32,
    /// The opcode as stored (a base opcode, or a specialized one in adaptive code).
    pub op: u8,
    /// The argument with `EXTENDED_ARG` prefixes folded in (for opcodes below
    /// `HAVE_ARGUMENT` it is whatever the arg byte holds, 0 in compiler output).
    pub arg: u32,
    /// Index just after the instruction's inline `CACHE` units: where execution continues.
    pub next: u32,
}

/// Malformed bytecode.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum DecodeError {
    #[error("bytecode length {0} is odd")]
    OddLength(usize),
    #[error("bytecode too long ({0} units)")]
    TooLong(usize),
    #[error("unknown opcode {op} at unit {index}")]
    UnknownOpcode { index: u32, op: u8 },
    #[error("opcode {name} at unit {index} is not a base opcode")]
    NotBase { index: u32, name: &'static str },
    #[error("EXTENDED_ARG at unit {0} is not followed by an instruction")]
    DanglingExtendedArg(u32),
    #[error("more than 3 EXTENDED_ARG prefixes before unit {0}")]
    ArgOverflow(u32),
    #[error("instruction at unit {index} needs {caches} cache units but the code ends at {len}")]
    TruncatedCaches { index: u32, caches: u8, len: u32 },
}

impl Instr {
    /// Base opcode (`_PyOpcode_Deopt[op]`).
    pub fn base_op(&self) -> u8 {
        opcodes::base_op(self.op)
    }

    /// Opcode name (specialized names for adaptive code).
    pub fn name(&self) -> &'static str {
        opcodes::name(self.op)
    }

    /// Jump target as a code-unit index, for relative jumps. 3.11 jumps are relative to the unit
    /// after the opcode (`next_instr` when `JUMPBY` runs); no 3.11 jump opcode has caches, so this
    /// equals `next`. The target is the `start` of an instruction (an `EXTENDED_ARG` prefix when
    /// it has one). `None` for non-jumps or a backward jump before 0.
    pub fn jump_target(&self) -> Option<u32> {
        let after = self.index + 1;
        match opcodes::jump_direction(self.op)? {
            JumpDirection::Forward => after.checked_add(self.arg),
            JumpDirection::Backward => after.checked_sub(self.arg),
        }
    }

    /// The inline cache units of this instruction in `code_units` (an adaptive snapshot); empty
    /// when out of range.
    pub fn cache<'a>(&self, code_units: &'a [u16]) -> &'a [u16] {
        code_units
            .get(self.index as usize + 1..self.next as usize)
            .unwrap_or(&[])
    }
}

impl std::fmt::Display for Instr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.index, self.name())?;
        if opcodes::has_arg(self.op) {
            write!(f, " {}", self.arg)?;
        }
        if let Some(t) = self.jump_target() {
            write!(f, " (to {t})")?;
        }
        Ok(())
    }
}

/// Little-endian code units of raw bytecode bytes.
pub fn code_units(code: &[u8]) -> Result<Vec<u16>, DecodeError> {
    if !code.len().is_multiple_of(2) {
        return Err(DecodeError::OddLength(code.len()));
    }
    Ok(code
        .chunks_exact(2)
        .map(|c| u16::from_le_bytes([c[0], c[1]]))
        .collect())
}

/// Decodes `co_code` (base opcodes only, as marshal and `co_code` give it).
pub fn decode(code: &[u8]) -> Result<Vec<Instr>, DecodeError> {
    decode_impl(code, false)
}

/// Decodes a `_co_code_adaptive` snapshot: also accepts specialized, adaptive, quickened and
/// superinstruction opcodes (each decodes to its own instruction; caches as for its base).
pub fn decode_adaptive(code: &[u8]) -> Result<Vec<Instr>, DecodeError> {
    decode_impl(code, true)
}

fn decode_impl(code: &[u8], adaptive: bool) -> Result<Vec<Instr>, DecodeError> {
    let units = code_units(code)?;
    let len = u32::try_from(units.len()).map_err(|_| DecodeError::TooLong(units.len()))?;
    let mut out = Vec::with_capacity(units.len());
    let mut i: u32 = 0;
    let mut start: Option<u32> = None;
    let mut ext: u32 = 0;
    let mut prefixes = 0u8;
    while i < len {
        let unit = units[i as usize];
        let op = (unit & 0xff) as u8;
        let byte = u32::from(unit >> 8);
        if !opcodes::is_defined(op) || op == opcodes::CACHE || op == opcodes::DO_TRACING {
            return Err(DecodeError::UnknownOpcode { index: i, op });
        }
        if !adaptive && !opcodes::is_base(op) {
            return Err(DecodeError::NotBase {
                index: i,
                name: opcodes::name(op),
            });
        }
        let arg = ext << 8 | byte;
        if opcodes::base_op(op) == opcodes::EXTENDED_ARG {
            if prefixes == 3 {
                return Err(DecodeError::ArgOverflow(i));
            }
            prefixes += 1;
            start.get_or_insert(i);
            ext = arg;
            i += 1;
            continue;
        }
        let caches = opcodes::cache_units(op);
        let next = i + 1 + u32::from(caches);
        if next > len {
            return Err(DecodeError::TruncatedCaches {
                index: i,
                caches,
                len,
            });
        }
        out.push(Instr {
            start: start.take().unwrap_or(i),
            index: i,
            op,
            arg,
            next,
        });
        ext = 0;
        prefixes = 0;
        i = next;
    }
    if let Some(s) = start {
        return Err(DecodeError::DanglingExtendedArg(s));
    }
    Ok(out)
}

/// The named fields of an inline cache (`opcode._cache_format` of `op`'s family), each read
/// little-endian across its code units (low unit first), as `dis` shows them. Fields past the end
/// of `cache` are omitted.
pub fn cache_fields(op: u8, cache: &[u16]) -> Vec<(&'static str, u64)> {
    let mut out = Vec::new();
    let mut at = 0usize;
    for &(name, units) in opcodes::cache_format(op) {
        let Some(words) = cache.get(at..at + usize::from(units)) else {
            break;
        };
        let v = words
            .iter()
            .rev()
            .fold(0u64, |acc, &w| acc << 16 | u64::from(w));
        out.push((name, v));
        at += usize::from(units);
    }
    out
}
