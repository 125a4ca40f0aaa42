//! A few loads that tell the hook a code object cannot be in the active cache, so that it never
//! touches that object's `co_extra`.
//!
//! CPython calls every registered code-extra free function for every slot of a code object that
//! has a `co_extra` array, NULL slots included. Storing "no native code" in each code object the
//! hook sees would therefore make a program's own free function run for code objects it never
//! touched. Instead the hook consults a 2^16-bit map built at `enable()` from the manifest keys,
//! indexed by a mix of `co_firstlineno` and the hash of `co_qualname` (the one CPython caches in
//! the str object). A clear bit means no key can match; only a set bit leads to `bind::decide`.

use std::sync::atomic::{AtomicU64, Ordering};

use pyo3::ffi::{self, PyObject};

use super::cpy;

const BITS: usize = 1 << 16;
const WORDS: usize = BITS / 64;

static MAP: [AtomicU64; WORDS] = [const { AtomicU64::new(0) }; WORDS];

/// The bit of `(hash(qualname), firstlineno)`: a multiplicative mix, top 16 bits.
#[inline(always)]
fn bit_of(qualname_hash: isize, firstlineno: u32) -> usize {
    let x = (qualname_hash as u64) ^ u64::from(firstlineno).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    (x.wrapping_mul(0xFF51_AFD7_ED55_8CCD) >> 48) as usize
}

/// Replaces the map by the bits of `keys`: `(hash of the qualname str, firstlineno)`.
pub fn rebuild(keys: impl IntoIterator<Item = (isize, u32)>) {
    for word in &MAP {
        word.store(0, Ordering::Relaxed);
    }
    for (hash, line) in keys {
        let bit = bit_of(hash, line);
        MAP[bit / 64].fetch_or(1 << (bit % 64), Ordering::Relaxed);
    }
}

#[inline(always)]
fn is_set(bit: usize) -> bool {
    MAP[bit / 64].load(Ordering::Relaxed) & (1 << (bit % 64)) != 0
}

/// False when no manifest key can name `co`.
///
/// # Safety
/// GIL held; `co` a live code object.
#[inline(always)]
pub unsafe fn may_match(co: *mut PyObject) -> bool {
    // SAFETY: per the contract; `co_qualname` is a str, whose hash field every str has.
    unsafe {
        let qualname = cpy::co_qualname(co);
        let mut hash = cpy::str_cached_hash(qualname);
        if hash == -1 {
            // Hashing an exact str cannot fail; anything else takes the full, careful path.
            if ffi::PyUnicode_CheckExact(qualname) == 0 {
                return true;
            }
            hash = ffi::PyObject_Hash(qualname);
        }
        is_set(bit_of(hash, cpy::co_firstlineno(co) as u32))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_rebuilt_keys_are_set() {
        rebuild([(12345, 7), (-99, 1)]);
        assert!(is_set(bit_of(12345, 7)));
        assert!(is_set(bit_of(-99, 1)));
        let set = (0..1000u32)
            .filter(|&l| is_set(bit_of(12345, l + 8)))
            .count();
        assert!(set <= 2, "{set} of 1000 other lines collide");
        rebuild([]);
        assert!(!is_set(bit_of(12345, 7)));
    }
}
