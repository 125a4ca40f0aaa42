//! x86-64 relocation arithmetic, kept free of memory and ELF parsing so that every formula and
//! range check is unit-tested on its own. The loader and the debugger image both use it.

use object::elf;

/// The relocation types an s6 object may contain (what Cranelift, `object::write` and gimli
/// emit for x86-64 ELF). Anything else is rejected.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    /// `S + A`, 64 bits.
    Abs64,
    /// `S + A`, zero-extended 32 bits (DWARF section offsets).
    Abs32,
    /// `S + A`, sign-extended 32 bits.
    Abs32S,
    /// `S + A - P`, 32 bits (data and `.eh_frame` pc-relative references).
    Pc32,
    /// `L + A - P`, 32 bits, where L may be a call stub.
    Plt32,
    /// `S + A - P`, 64 bits.
    Pc64,
    /// `G + A - P`: the symbol's GOT slot, pc-relative, 32 bits (GOTPCREL, GOTPCRELX,
    /// REX_GOTPCRELX; we never relax, so all three are the same).
    GotPcRel,
}

impl Kind {
    pub(crate) fn from_elf(r_type: u32) -> Option<Kind> {
        Some(match r_type {
            elf::R_X86_64_64 => Kind::Abs64,
            elf::R_X86_64_32 => Kind::Abs32,
            elf::R_X86_64_32S => Kind::Abs32S,
            elf::R_X86_64_PC32 => Kind::Pc32,
            elf::R_X86_64_PLT32 => Kind::Plt32,
            elf::R_X86_64_PC64 => Kind::Pc64,
            elf::R_X86_64_GOTPCREL | elf::R_X86_64_GOTPCRELX | elf::R_X86_64_REX_GOTPCRELX => {
                Kind::GotPcRel
            }
            _ => return None,
        })
    }

    /// Width of the patched field in bytes.
    pub(crate) fn size(self) -> usize {
        match self {
            Kind::Abs64 | Kind::Pc64 => 8,
            _ => 4,
        }
    }

    pub(crate) fn is_pc_relative(self) -> bool {
        matches!(self, Kind::Pc32 | Kind::Plt32 | Kind::Pc64 | Kind::GotPcRel)
    }
}

/// The value did not fit the field; carries the exact value for the error message.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct OutOfRange(pub(crate) i128);

/// Computes the bytes to store for a relocation of `kind` whose target address is `target`
/// (S, or L/G already substituted by the caller), addend `addend`, at place `place` (P).
pub(crate) fn encode(
    kind: Kind,
    target: u64,
    addend: i64,
    place: u64,
) -> Result<Field, OutOfRange> {
    let s = i128::from(target);
    let a = i128::from(addend);
    let p = i128::from(place);
    let v = if kind.is_pc_relative() {
        s + a - p
    } else {
        s + a
    };
    match kind {
        Kind::Abs64 => u64::try_from(v)
            .or_else(|_| i64::try_from(v).map(|x| x as u64))
            .map(Field::U64)
            .map_err(|_| OutOfRange(v)),
        Kind::Pc64 => i64::try_from(v)
            .map(|x| Field::U64(x as u64))
            .map_err(|_| OutOfRange(v)),
        Kind::Abs32 => u32::try_from(v).map(Field::U32).map_err(|_| OutOfRange(v)),
        Kind::Abs32S | Kind::Pc32 | Kind::Plt32 | Kind::GotPcRel => i32::try_from(v)
            .map(|x| Field::U32(x as u32))
            .map_err(|_| OutOfRange(v)),
    }
}

/// True when a rel32 at `place` can reach `target + addend`.
pub(crate) fn rel32_reaches(target: u64, addend: i64, place: u64) -> bool {
    encode(Kind::Pc32, target, addend, place).is_ok()
}

/// A relocated field, ready to be written little-endian.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Field {
    U32(u32),
    U64(u64),
}

impl Field {
    /// Writes the field at `buf[offset..]`; the caller has bounds-checked `offset + size`.
    pub(crate) fn write(self, buf: &mut [u8], offset: usize) {
        match self {
            Field::U32(x) => buf[offset..offset + 4].copy_from_slice(&x.to_le_bytes()),
            Field::U64(x) => buf[offset..offset + 8].copy_from_slice(&x.to_le_bytes()),
        }
    }

    /// True when `buf[offset..]` already holds the field; the caller has bounds-checked.
    pub(crate) fn matches(self, buf: &[u8], offset: usize) -> bool {
        match self {
            Field::U32(x) => buf[offset..offset + 4] == x.to_le_bytes(),
            Field::U64(x) => buf[offset..offset + 8] == x.to_le_bytes(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn call_rel32_is_target_plus_addend_minus_place() {
        // call at 0x1000: field at 0x1001, addend -4, target 0x2000 -> 0x2000 - 4 - 0x1001.
        let f = encode(Kind::Plt32, 0x2000, -4, 0x1001).unwrap();
        assert_eq!(f, Field::U32((0x2000i64 - 4 - 0x1001) as i32 as u32));
        let back = encode(Kind::Pc32, 0x1000, -4, 0x2000).unwrap();
        assert_eq!(back, Field::U32((0x1000i64 - 4 - 0x2000) as i32 as u32));
    }

    #[test]
    fn rel32_range_edges() {
        let p = 0x7f00_0000_0000u64;
        // S + A - P == i32::MAX fits, one more does not.
        assert!(encode(Kind::Pc32, p + i32::MAX as u64, 0, p).is_ok());
        assert_eq!(
            encode(Kind::Pc32, p + i32::MAX as u64 + 1, 0, p),
            Err(OutOfRange(i32::MAX as i128 + 1))
        );
        assert!(encode(Kind::GotPcRel, p - (1u64 << 31), 0, p).is_ok());
        assert!(encode(Kind::GotPcRel, p - (1u64 << 31) - 1, 0, p).is_err());
        assert!(rel32_reaches(p + 100, -4, p));
        assert!(!rel32_reaches(p + (1 << 32), -4, p));
    }

    #[test]
    fn absolute_fields() {
        assert_eq!(
            encode(Kind::Abs64, 0x7fff_1234_0000, 8, 0).unwrap(),
            Field::U64(0x7fff_1234_0008)
        );
        assert_eq!(encode(Kind::Abs32, 0x10, 4, 0).unwrap(), Field::U32(0x14));
        assert!(encode(Kind::Abs32, 0x1_0000_0000, 0, 0).is_err());
        assert!(encode(Kind::Abs32, 0, -1, 0).is_err());
        assert_eq!(
            encode(Kind::Abs32S, 0, -1, 0).unwrap(),
            Field::U32(u32::MAX)
        );
        assert!(encode(Kind::Abs32S, 0x8000_0000, 0, 0).is_err());
        assert!(encode(Kind::Abs64, u64::MAX, 1, 0).is_err());
        assert_eq!(
            encode(Kind::Pc64, 0, 0, 8).unwrap(),
            Field::U64((-8i64) as u64)
        );
    }

    #[test]
    fn kinds_map_from_elf() {
        assert_eq!(
            Kind::from_elf(elf::R_X86_64_REX_GOTPCRELX),
            Some(Kind::GotPcRel)
        );
        assert_eq!(Kind::from_elf(elf::R_X86_64_PLT32), Some(Kind::Plt32));
        assert_eq!(Kind::from_elf(elf::R_X86_64_TPOFF32), None);
        assert_eq!(Kind::Abs64.size(), 8);
        let mut buf = [0u8; 8];
        Field::U32(0x0102_0304).write(&mut buf, 2);
        assert_eq!(buf, [0, 0, 4, 3, 2, 1, 0, 0]);
    }
}
