//! The one content hash of the project: FNV-1a, 64-bit. It keys code objects (marshal bytes)
//! and pins object files in the manifest. It guards against stale or edited inputs, not against
//! an attacker (the loader's permission checks do that), and ten lines beat a dependency.

/// FNV-1a 64 of `bytes`.
pub fn fnv1a64(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// The marshal version whose output is hashed and stored: version 2 writes no back-references,
/// so the bytes do not depend on reference counts (version 4 marks objects with refcount > 1,
/// which differs between processes).
pub const MARSHAL_VERSION: u32 = 2;

/// Hash of a code object's `marshal.dumps(code, MARSHAL_VERSION)` bytes (`CodeKey::marshal_hash`).
pub fn marshal_hash(marshal: &[u8]) -> u64 {
    fnv1a64(marshal)
}

#[cfg(test)]
mod tests {
    #[test]
    fn known_vectors() {
        assert_eq!(super::fnv1a64(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(super::fnv1a64(b"a"), 0xaf63_dc4c_8601_ec8c);
    }
}
