//! A few loads that tell the hook a code object cannot be in the active cache, so that it never
//! touches that object's `co_extra`.
//!
//! CPython calls every registered code-extra free function for every slot of a code object that
//! has a `co_extra` array, NULL slots included. Storing "no native code" in each code object the
//! hook sees would therefore make a program's own free function run for code objects it never
//! touched. Instead the hook consults a 2^16-bit map built at `enable()` from the index, indexed
//! by a mix of the code object's `co_firstlineno` and its number of code units (`Py_SIZE`):
//! two loads, no string, and nothing that depends on the process's hash secret, so that
//! building the map costs a pass over the index records (a map keyed by `hash(co_qualname)`
//! had to hash every qualname of the cache with that secret at every start: a third of
//! activation). A clear bit means no key can match; only a set bit leads to `bind::decide`.

use std::sync::atomic::{AtomicU64, Ordering};

use pyo3::ffi::PyObject;

use super::cpy;

const BITS: usize = 1 << 16;
const WORDS: usize = BITS / 64;

static MAP: [AtomicU64; WORDS] = [const { AtomicU64::new(0) }; WORDS];

/// The bit of `(firstlineno, code units)`: a multiplicative mix, top 16 bits.
#[inline(always)]
fn bit_of(firstlineno: u32, code_units: u32) -> usize {
    let x = u64::from(code_units).wrapping_mul(0xC2B2_AE3D_27D4_EB4F)
        ^ u64::from(firstlineno).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    (x.wrapping_mul(0xFF51_AFD7_ED55_8CCD) >> 48) as usize
}

/// Replaces the map by the bits of `shapes`: `(firstlineno, code units)`.
pub fn rebuild(shapes: impl IntoIterator<Item = (u32, u32)>) {
    let mut words = vec![0u64; WORDS];
    for (line, units) in shapes {
        let bit = bit_of(line, units);
        words[bit / 64] |= 1 << (bit % 64);
    }
    for (word, bits) in MAP.iter().zip(words) {
        word.store(bits, Ordering::Relaxed);
    }
}

#[inline(always)]
fn is_set(bit: usize) -> bool {
    MAP[bit / 64].load(Ordering::Relaxed) & (1 << (bit % 64)) != 0
}

/// False when no indexed function can be `co`.
///
/// # Safety
/// GIL held; `co` a live code object.
#[inline(always)]
pub unsafe fn may_match(co: *mut PyObject) -> bool {
    // SAFETY: per the contract.
    unsafe {
        is_set(bit_of(
            cpy::co_firstlineno(co) as u32,
            cpy::co_code_units(co) as u32,
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_rebuilt_keys_are_set() {
        rebuild([(12, 345), (99, 1)]);
        assert!(is_set(bit_of(12, 345)));
        assert!(is_set(bit_of(99, 1)));
        // Neighbouring sizes and neighbouring lines both land elsewhere.
        let sizes = (0..1000u32)
            .filter(|&u| u != 345 && is_set(bit_of(12, u)))
            .count();
        let lines = (0..1000u32)
            .filter(|&l| l != 12 && l != 99 && is_set(bit_of(l, 345)))
            .count();
        assert!(
            sizes <= 2 && lines <= 2,
            "{sizes} sizes, {lines} lines collide"
        );
        rebuild([]);
        assert!(!is_set(bit_of(12, 345)));
    }
}
