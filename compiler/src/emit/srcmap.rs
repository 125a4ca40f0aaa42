//! The `.s6.srcmap` side table: for each source row of each function, the `.text` offset where
//! it starts, its bytecode index and Python line. DWARF only carries lines; this keeps the
//! bytecode index too (for `s6c inspect asm` and runtime diagnostics). Layout, little endian:
//! `b"S6SM"`, `u32` version (1), `u32` count, then `count` records of three `u32`
//! (`text_offset`, `index`, `line`) sorted by `text_offset`.

const MAGIC: &[u8; 4] = b"S6SM";
const VERSION: u32 = 1;

/// One record: from `.text` offset `text_offset` on, bytecode index `index`, line `line`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SrcRecord {
    pub text_offset: u32,
    pub index: u32,
    pub line: u32,
}

pub fn encode(records: &[SrcRecord]) -> Vec<u8> {
    let mut v = Vec::with_capacity(12 + 12 * records.len());
    v.extend_from_slice(MAGIC);
    v.extend_from_slice(&VERSION.to_le_bytes());
    v.extend_from_slice(&(records.len() as u32).to_le_bytes());
    for r in records {
        for x in [r.text_offset, r.index, r.line] {
            v.extend_from_slice(&x.to_le_bytes());
        }
    }
    v
}

/// Parses a table; `None` when it is not one this version wrote.
pub fn decode(bytes: &[u8]) -> Option<Vec<SrcRecord>> {
    let word = |i: usize| {
        bytes
            .get(i..i + 4)
            .map(|b| u32::from_le_bytes(b.try_into().unwrap()))
    };
    if bytes.get(..4)? != MAGIC || word(4)? != VERSION {
        return None;
    }
    let count = word(8)? as usize;
    if bytes.len() != 12 + 12 * count {
        return None;
    }
    Some(
        (0..count)
            .map(|i| {
                let at = 12 + 12 * i;
                SrcRecord {
                    text_offset: word(at).unwrap(),
                    index: word(at + 4).unwrap(),
                    line: word(at + 8).unwrap(),
                }
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_rejects_garbage() {
        let recs = vec![
            SrcRecord {
                text_offset: 0,
                index: 1,
                line: 3,
            },
            SrcRecord {
                text_offset: 9,
                index: 4,
                line: 5,
            },
        ];
        let bytes = encode(&recs);
        assert_eq!(decode(&bytes).unwrap(), recs);
        assert!(decode(&bytes[..bytes.len() - 1]).is_none());
        assert!(decode(b"XXXX\x01\0\0\0\0\0\0\0").is_none());
    }
}
