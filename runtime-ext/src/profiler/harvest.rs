//! Reads one code object's live `co_code_adaptive` and returns the state of every specialized
//! or adaptive instruction as a [`RawSite`]: still process-local (versions, pointers), turned
//! into portable feedback by `resolve` while the objects those numbers name are alive.

use super::layout::{self, read};
use super::ops::OpTables;

/// Cache units we keep (LOAD_METHOD has the most: 10).
pub const MAX_CACHE: usize = 10;

/// One instruction's specialization state. Volatile parts (the miss counter of a specialized
/// form, the countdown of an adaptive one) are zeroed so that equal decisions compare equal.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct RawSite {
    /// Code-unit index of the instruction (after any EXTENDED_ARG prefix).
    pub index: u32,
    pub op: u8,
    pub arg: u32,
    pub cache: [u16; MAX_CACHE],
}

impl RawSite {
    pub fn u32_at(&self, i: usize) -> u32 {
        u32::from(self.cache[i]) | (u32::from(self.cache[i + 1]) << 16)
    }

    pub fn u64_at(&self, i: usize) -> u64 {
        u64::from(self.u32_at(i)) | (u64::from(self.u32_at(i + 2)) << 32)
    }
}

/// The live code units of `code`, or None if it has not been quickened (then it holds no
/// specialized instruction and there is nothing to read).
///
/// # Safety
/// `code` must be a live `PyCodeObject` and the caller must hold the GIL (the interpreter
/// rewrites these bytes only while holding it); the slice is valid while both hold.
pub unsafe fn live_words<'a>(code: *const u8) -> Option<&'a [u16]> {
    // SAFETY: `co_warmup` and `ob_size` (offset 16, number of code units) lie in the header of
    // a live code object, followed by `co_code_adaptive` with that many units.
    unsafe {
        if read::<i16>(code, layout::CODE_WARMUP) != 0 {
            return None;
        }
        let units = read::<isize>(code, 16).max(0) as usize;
        Some(std::slice::from_raw_parts(
            code.add(layout::CODE_ADAPTIVE) as *const u16,
            units,
        ))
    }
}

/// The specialized and adaptive instructions in live code units.
pub fn decode(ops: &OpTables, words: &[u16]) -> Vec<RawSite> {
    let mut out = Vec::new();
    let mut i = 0;
    let mut ext: u32 = 0;
    while i < words.len() {
        let w = words[i];
        let op = (w & 0xff) as u8;
        let arg = ext << 8 | u32::from(w >> 8);
        let ncache = ops.cache_units(op);
        if op == ops.extended_arg || op == ops.extended_arg_quick {
            ext = arg;
            i += 1;
            continue;
        }
        ext = 0;
        if ops.is_specialized(op) && ncache > 0 && i + ncache < words.len() {
            let mut cache = [0u16; MAX_CACHE];
            let n = ncache.min(MAX_CACHE);
            cache[..n].copy_from_slice(&words[i + 1..i + 1 + n]);
            let adaptive = ops.name(op).ends_with("_ADAPTIVE");
            if adaptive && words[i + 1] == 0 {
                // Quickened but not executed since: the specializer has not tried yet.
                i += 1 + ncache;
                continue;
            }
            if adaptive {
                // Keep the backoff exponent only; the countdown changes on every execution.
                cache = [0; MAX_CACHE];
                cache[0] = words[i + 1] & 0xf;
            } else {
                cache[0] = 0;
            }
            out.push(RawSite {
                index: i as u32,
                op,
                arg,
                cache,
            });
        }
        i += 1 + ncache;
    }
    out
}
