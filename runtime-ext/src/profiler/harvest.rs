//! Reads one code object's live `co_code_adaptive` and returns the state of every specialized
//! or adaptive instruction as a [`RawSite`]: still process-local (versions, pointers), turned
//! into portable feedback by `resolve` while the objects those numbers name are alive.
//! Decoding and the cache layouts are `s6_py311`'s; this module only picks what to keep.

use s6_py311::layout::code;
use s6_py311::specialization::{self, Form};

use super::layout::read;

/// Cache units we keep (LOAD_METHOD has the most: 10).
pub const MAX_CACHE: usize = 10;

/// One instruction's specialization state. Volatile parts are reduced so that equal decisions
/// compare equal: the miss counter of a specialized form to 1 when it has missed since it was
/// specialized (below `MISS_COUNTER_START`, CPython's start value) and 0 otherwise, the
/// countdown of an adaptive one to its backoff exponent.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct RawSite {
    /// Code-unit index of the instruction (after any EXTENDED_ARG prefix).
    pub index: u32,
    pub op: u8,
    pub arg: u32,
    pub cache: [u16; MAX_CACHE],
}

impl RawSite {
    /// The inline-cache field `name` of this instruction's family (`opcode._cache_format`),
    /// 0 when the family has no such field.
    pub fn field(&self, name: &str) -> u64 {
        s6_py311::bytecode::cache_fields(self.op, &self.cache)
            .into_iter()
            .find(|(n, _)| *n == name)
            .map_or(0, |(_, v)| v)
    }
}

/// The live code units of `code`, or None if it has not been quickened (then it holds no
/// specialized instruction and there is nothing to read).
///
/// # Safety
/// `code` must be a live `PyCodeObject` and the caller must hold the GIL (the interpreter
/// rewrites these bytes only while holding it); the slice is valid while both hold.
pub unsafe fn live_words<'a>(code: *const u8) -> Option<&'a [u16]> {
    // SAFETY: `co_warmup` and `ob_size` (number of code units) lie in the header of a live
    // code object, followed by `co_code_adaptive` with that many units.
    unsafe {
        if read::<i16>(code, code::CO_WARMUP) != 0 {
            return None;
        }
        let units = read::<isize>(code, code::OB_SIZE).max(0) as usize;
        Some(std::slice::from_raw_parts(
            code.offset(code::CO_CODE_ADAPTIVE as isize) as *const u16,
            units,
        ))
    }
}

/// Makes `code` quicken at its next `RESUME` or `JUMP_BACKWARD` (3.11's `_PyCode_Warmup`
/// quickens when `co_warmup`, counting up from -8, reaches 0) instead of after eight: a
/// function whose loop is a `while` (which ends in `POP_JUMP_BACKWARD_IF_*`, which does not
/// warm up) and that is called fewer than eight times is never quickened otherwise, so its
/// sites would carry no feedback however hot it is. Quickening earlier changes nothing the
/// program can see but `sys._getquickenedcount()`.
///
/// # Safety
/// `code` must be a live `PyCodeObject` and the caller must hold the GIL.
pub unsafe fn hasten_warmup(code: *mut u8) {
    // SAFETY: `co_warmup` lies in the header of a live code object; the interpreter reads
    // and writes it only with the GIL held.
    unsafe {
        let at = code.offset(code::CO_WARMUP as isize) as *mut i16;
        if *at < -1 {
            *at = -1;
        }
    }
}

/// The specialized and adaptive instructions in live code units (none if they do not decode,
/// which the interpreter's own bytecode always does).
pub fn decode(words: &[u16]) -> Vec<RawSite> {
    let bytes: Vec<u8> = words.iter().flat_map(|w| w.to_le_bytes()).collect();
    let Ok(instrs) = s6_py311::decode_adaptive(&bytes) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for ins in instrs {
        let form = specialization::form(ins.op);
        let units = ins.cache(words);
        if !matches!(form, Form::Specialized | Form::Adaptive) || units.is_empty() {
            continue;
        }
        let mut cache = [0u16; MAX_CACHE];
        let n = units.len().min(MAX_CACHE);
        cache[..n].copy_from_slice(&units[..n]);
        if form == Form::Adaptive {
            if units[0] == 0 {
                // Quickened but not executed since: the specializer has not tried yet.
                continue;
            }
            // Keep the backoff exponent only; the countdown changes on every execution.
            cache = [0; MAX_CACHE];
            cache[0] = units[0] & 0xf;
        } else {
            // Misses since (re)specialization: the site saw operands of other types.
            cache[0] = u16::from(units[0] < s6_py311::opargs::MISS_COUNTER_START);
        }
        out.push(RawSite {
            index: ins.index,
            op: ins.op,
            arg: ins.arg,
            cache,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use s6_py311::opcodes::{self, specialized::*};

    fn unit(op: u8, arg: u8) -> u16 {
        u16::from(op) | u16::from(arg) << 8
    }

    #[test]
    fn a_specialized_site_that_never_missed_says_so() {
        let words = [
            unit(opcodes::RESUME, 0),
            unit(BINARY_OP_ADD_FLOAT, 0),
            s6_py311::opargs::MISS_COUNTER_START,
            unit(opcodes::RETURN_VALUE, 0),
        ];
        let sites = decode(&words);
        assert_eq!((sites.len(), sites[0].cache[0]), (1, 0));
    }

    #[test]
    fn keeps_specialized_and_tried_adaptive_sites_without_volatile_counters() {
        let words = [
            unit(opcodes::RESUME, 0),
            unit(opcodes::EXTENDED_ARG, 1),
            unit(LOAD_ATTR_SLOT, 2),
            7, // miss counter: 46 misses since specialized
            0x1234,
            0x5678, // version
            3,      // index
            unit(BINARY_OP_ADAPTIVE, 0),
            0x53, // countdown 5, backoff 3
            unit(COMPARE_OP_ADAPTIVE, 2),
            0, // not tried yet
            0,
            unit(opcodes::RETURN_VALUE, 0),
        ];
        let sites = decode(&words);
        assert_eq!(sites.len(), 2, "{sites:?}");
        assert_eq!(
            (sites[0].index, sites[0].op, sites[0].arg),
            (2, LOAD_ATTR_SLOT, 0x102)
        );
        assert_eq!(sites[0].cache[0], 1, "missed");
        assert_eq!(sites[0].field("version"), 0x5678_1234);
        assert_eq!(sites[0].field("index"), 3);
        assert_eq!((sites[1].index, sites[1].op), (7, BINARY_OP_ADAPTIVE));
        assert_eq!(sites[1].cache[..2], [3, 0]);
    }
}
