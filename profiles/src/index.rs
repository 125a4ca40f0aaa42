//! The cache index (`index.s6i`): what the runtime reads to activate a cache, so that
//! activation costs a small read however many functions the cache holds. `s6c build` writes it
//! beside the manifest (`format::write_manifest` writes both); the manifest stays the complete
//! description for tools (`s6c inspect`, rebuilds), the index is its lookup form.
//!
//! # Layout (little-endian)
//! ```text
//! lookup section (read and checked whole at activation):
//!    0  magic        [u8; 4]  b"S6IX"
//!    4  version      u16      INDEX_VERSION
//!    6  reserved     u16      0
//!    8  lookup_len   u32      bytes of the lookup section, its CRC included
//!   12  native_abi   u32      abi::NATIVE_ABI_VERSION of the compiler
//!   16  objects      u32
//!   20  functions    u32
//!   24  buckets      u32      a power of two, at least twice `functions`
//!   28  stamp_len    u32
//!   32  strings_len  u32
//!   36  total_len    u64      the whole file
//!   44  stamp        postcard(AbiStamp)
//!       objects      per object: its blob (offset u64, len u32, crc u32), then its object
//!                    file's length u64 and CRC-32 u64 (the runtime checks the file with these
//!                    when it loads it: `crc32fast` uses the CPU's carry-less multiply, several
//!                    GB/s, where the table-driven CRC-64 of version 1 was a third of the cost of
//!                    loading the objects `python -c pass` needs from a stdlib-wide cache)
//!       buckets      u32 per bucket: record index + 1 (0: empty); linear probing by `key_hash`
//!       records      60 bytes per function, ordered by (object, function):
//!                      marshal_hash u64, key_hash u64, filename (offset u32, len u32),
//!                      module (u32, u32), qualname (u32, u32), firstlineno u32, object u32,
//!                      function u32, flags u32 (FLAG_REPEATED), code_units u32
//!       strings      UTF-8, each distinct string once
//!       crc          u32      CRC-32 of the lookup section before it
//! blobs (each read and checked when its object first loads), per object:
//!       postcard(ObjectEntry without exit sites), postcard(Vec<u32>: exit sites per
//!       function), postcard(Vec<Vec<ExitSite>>) (read only by statistics reports)
//! ```
//! The lookup section is about 100 bytes per function; the blobs (bindings and exit sites, the
//! bulk of a manifest) are never read for objects a process does not load.

use std::collections::HashMap;

use serde::Deserialize;

use crate::format::FormatError;
use crate::hash::fnv1a64;
use crate::manifest::{Manifest, ObjectEntry};
use crate::model::AbiStamp;

/// The index's file name inside a cache directory.
pub const INDEX_FILE: &str = "index.s6i";
pub const INDEX_MAGIC: [u8; 4] = *b"S6IX";
/// Version of the layout above; any change to it bumps this.
pub const INDEX_VERSION: u16 = 4;
/// A record whose `module.qualname` an earlier record already has (a redefinition): its
/// statistics name gets `#firstlineno`.
pub const FLAG_REPEATED: u32 = 1;

const FIXED: usize = 44;
const OBJECT_LEN: usize = 32;
const RECORD_LEN: usize = 60;

/// The hash that places a function in the bucket table: its qualname and first line.
pub fn key_hash(qualname: &str, firstlineno: u32) -> u64 {
    fnv1a64(qualname.as_bytes()) ^ u64::from(firstlineno).wrapping_mul(0x9E37_79B9_7F4A_7C15)
}

/// CRC-32 (ISO-HDLC, zlib's) of an object file's bytes, as the index pins it.
pub fn object_crc(bytes: &[u8]) -> u64 {
    u64::from(crc32fast::hash(bytes))
}

/// Encodes the index of `manifest`; `object_bytes(file)` gives each object's bytes (to pin).
pub fn encode_index(
    manifest: &Manifest,
    object_bytes: &dyn Fn(&str) -> std::io::Result<Vec<u8>>,
) -> Result<Vec<u8>, FormatError> {
    let encode_err = |detail: String| FormatError::Encode {
        subject: crate::format::Subject {
            kind: crate::format::FileKind::Manifest,
            path: None,
        },
        detail,
    };
    let stamp = postcard::to_stdvec(&manifest.abi).map_err(|e| encode_err(e.to_string()))?;
    let pins = manifest
        .objects
        .iter()
        .map(|o| match object_bytes(&o.file) {
            Ok(b) => Ok((b.len() as u64, object_crc(&b))),
            // Absent when the index was written (a manifest written for tests, or an object
            // removed): pinned to a length no file has, so the runtime calls it missing or
            // altered rather than trusting whatever appears later.
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok((u64::MAX, 0)),
            Err(e) => Err(encode_err(format!("cannot read object {}: {e}", o.file))),
        })
        .collect::<Result<Vec<_>, _>>()?;
    let blobs = manifest
        .objects
        .iter()
        .map(encode_blob)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| encode_err(e.to_string()))?;
    let mut strings: Vec<u8> = Vec::new();
    let mut interned: HashMap<String, (u32, u32)> = HashMap::new();
    let mut intern = |s: &str, strings: &mut Vec<u8>| -> (u32, u32) {
        if let Some(&found) = interned.get(s) {
            return found;
        }
        let at = (strings.len() as u32, s.len() as u32);
        strings.extend_from_slice(s.as_bytes());
        interned.insert(s.to_owned(), at);
        at
    };
    // Records, and the stats-name rule of the runtime: a `module.qualname` seen earlier in the
    // manifest is a redefinition.
    let mut records: Vec<u8> = Vec::new();
    let mut hashes: Vec<u64> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for (o, obj) in manifest.objects.iter().enumerate() {
        for (f, func) in obj.functions.iter().enumerate() {
            let k = &func.key;
            let h = key_hash(&k.qualname, k.firstlineno);
            let repeated = !seen.insert((k.module.as_str(), k.qualname.as_str()));
            records.extend_from_slice(&k.marshal_hash.to_le_bytes());
            records.extend_from_slice(&h.to_le_bytes());
            for s in [&k.filename, &k.module, &k.qualname] {
                let (at, len) = intern(s, &mut strings);
                records.extend_from_slice(&at.to_le_bytes());
                records.extend_from_slice(&len.to_le_bytes());
            }
            for v in [
                k.firstlineno,
                o as u32,
                f as u32,
                if repeated { FLAG_REPEATED } else { 0 },
                func.code_units,
            ] {
                records.extend_from_slice(&v.to_le_bytes());
            }
            hashes.push(h);
        }
    }
    let functions = hashes.len();
    let buckets = (functions * 2).next_power_of_two().max(16);
    let mut table = vec![0u32; buckets];
    for (i, h) in hashes.iter().enumerate() {
        let mut b = (*h as usize) & (buckets - 1);
        while table[b] != 0 {
            b = (b + 1) & (buckets - 1);
        }
        table[b] = i as u32 + 1;
    }
    let lookup_len = FIXED
        + stamp.len()
        + OBJECT_LEN * blobs.len()
        + 4 * buckets
        + records.len()
        + strings.len()
        + 4;
    let total = lookup_len + blobs.iter().map(Vec::len).sum::<usize>();
    let too_big = |_| encode_err("cache index larger than 4 GiB".into());
    let mut out = Vec::with_capacity(total);
    out.extend_from_slice(&INDEX_MAGIC);
    out.extend_from_slice(&INDEX_VERSION.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    for v in [
        u32::try_from(lookup_len).map_err(too_big)?,
        manifest.native_abi,
        blobs.len() as u32,
        functions as u32,
        buckets as u32,
        stamp.len() as u32,
        u32::try_from(strings.len()).map_err(too_big)?,
    ] {
        out.extend_from_slice(&v.to_le_bytes());
    }
    out.extend_from_slice(&(total as u64).to_le_bytes());
    out.extend_from_slice(&stamp);
    let mut at = lookup_len as u64;
    for (b, (len, crc)) in blobs.iter().zip(&pins) {
        out.extend_from_slice(&at.to_le_bytes());
        out.extend_from_slice(&(b.len() as u32).to_le_bytes());
        out.extend_from_slice(&crc32fast::hash(b).to_le_bytes());
        out.extend_from_slice(&len.to_le_bytes());
        out.extend_from_slice(&crc.to_le_bytes());
        at += b.len() as u64;
    }
    for b in &table {
        out.extend_from_slice(&b.to_le_bytes());
    }
    out.extend_from_slice(&records);
    out.extend_from_slice(&strings);
    let crc = crc32fast::hash(&out);
    out.extend_from_slice(&crc.to_le_bytes());
    debug_assert_eq!(out.len(), lookup_len);
    for b in &blobs {
        out.extend_from_slice(b);
    }
    Ok(out)
}

/// Why an index cannot be used (one line each, with what to do).
#[derive(Debug, PartialEq, thiserror::Error)]
pub enum IndexError {
    #[error("is not an s6 cache index: rebuild the cache with `s6c build`")]
    WrongMagic,
    #[error(
        "has index version {0}, this runtime reads {INDEX_VERSION}: rebuild the cache with the s6c of this runtime"
    )]
    Version(u16),
    #[error("is truncated: rebuild the cache with `s6c build`")]
    Truncated,
    #[error("is corrupt (checksum mismatch): rebuild the cache with `s6c build`")]
    Checksum,
    #[error("is malformed ({0}): rebuild the cache with `s6c build`")]
    Malformed(&'static str),
}

/// One function of the index.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Record<'a> {
    pub marshal_hash: u64,
    pub filename: &'a str,
    pub module: &'a str,
    pub qualname: &'a str,
    pub firstlineno: u32,
    pub object: u32,
    pub function: u32,
    pub flags: u32,
    pub code_units: u32,
}

/// The bytes an index is read from: a buffer, or a read-only mapping of the file (the lookup
/// section first, the blobs after it).
pub type IndexBytes = Box<dyn std::ops::Deref<Target = [u8]> + Send + Sync>;

/// A checked lookup section.
pub struct Index {
    bytes: IndexBytes,
    pub native_abi: u32,
    pub abi: AbiStamp,
    pub total_len: u64,
    objects: usize,
    functions: usize,
    buckets: usize,
    objects_at: usize,
    buckets_at: usize,
    records_at: usize,
    /// The string pool's place in `bytes` (each string is checked as UTF-8 when read).
    strings_at: usize,
    strings_len: usize,
}

fn u32_at(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes(b[at..at + 4].try_into().expect("4 bytes"))
}

fn u64_at(b: &[u8], at: usize) -> u64 {
    u64::from_le_bytes(b[at..at + 8].try_into().expect("8 bytes"))
}

impl Index {
    /// How many bytes to read first: enough for the fixed header.
    pub const HEADER: usize = FIXED;

    /// The lookup section's length, from its first `HEADER` bytes.
    pub fn lookup_len(head: &[u8]) -> Result<usize, IndexError> {
        if head.len() < FIXED {
            return Err(IndexError::Truncated);
        }
        if head[..4] != INDEX_MAGIC {
            return Err(IndexError::WrongMagic);
        }
        let version = u16::from_le_bytes([head[4], head[5]]);
        if version != INDEX_VERSION {
            return Err(IndexError::Version(version));
        }
        Ok(u32_at(head, 8) as usize)
    }

    /// Checks a whole lookup section (CRC, every offset and length) and keeps it.
    pub fn parse(bytes: Vec<u8>) -> Result<Index, IndexError> {
        Self::parse_from(Box::new(bytes))
    }

    /// [`Index::parse`] of any bytes holding the index (a mapping of the whole file, say: its
    /// blobs are then read from it too, [`Index::blob_bytes`]).
    pub fn parse_from(bytes: IndexBytes) -> Result<Index, IndexError> {
        let lookup_len = Index::lookup_len(&bytes)?;
        if bytes.len() < lookup_len || lookup_len < FIXED + 4 {
            return Err(IndexError::Truncated);
        }
        let body = lookup_len - 4;
        if crc32fast::hash(&bytes[..body]) != u32_at(&bytes, body) {
            return Err(IndexError::Checksum);
        }
        let n = |b: &[u8], at| u32_at(b, at) as usize;
        let (objects, functions, buckets, stamp_len, strings_len) = (
            n(&bytes, 16),
            n(&bytes, 20),
            n(&bytes, 24),
            n(&bytes, 28),
            n(&bytes, 32),
        );
        if !buckets.is_power_of_two() || buckets < functions {
            return Err(IndexError::Malformed("bucket table"));
        }
        let objects_at = FIXED + stamp_len;
        let buckets_at = objects_at + OBJECT_LEN * objects;
        let records_at = buckets_at + 4 * buckets;
        let strings_at = records_at + RECORD_LEN * functions;
        if strings_at + strings_len != body {
            return Err(IndexError::Malformed("section lengths"));
        }
        let (abi, rest) = postcard::take_from_bytes::<AbiStamp>(&bytes[FIXED..objects_at])
            .map_err(|_| IndexError::Malformed("ABI stamp"))?;
        if !rest.is_empty() {
            return Err(IndexError::Malformed("ABI stamp"));
        }
        let index = Index {
            native_abi: u32_at(&bytes, 12),
            total_len: u64_at(&bytes, 36),
            abi,
            objects,
            functions,
            buckets,
            objects_at,
            buckets_at,
            records_at,
            strings_at,
            strings_len,
            bytes,
        };
        // Every record's object must be in range (checked once, so lookups can index without
        // failing). A record's string that is out of the pool or not UTF-8 reads as ""
        // (`str_at`), which names no code object.
        for i in 0..functions {
            let r = index.records_at + i * RECORD_LEN;
            if n(&index.bytes, r + 44) >= objects {
                return Err(IndexError::Malformed("object number"));
            }
        }
        Ok(index)
    }

    pub fn functions(&self) -> usize {
        self.functions
    }

    pub fn objects(&self) -> usize {
        self.objects
    }

    fn str_at(&self, r: usize, which: usize) -> &str {
        let at = u32_at(&self.bytes, r + 16 + 8 * which) as usize;
        let len = u32_at(&self.bytes, r + 20 + 8 * which) as usize;
        let pool = &self.bytes[self.strings_at..self.strings_at + self.strings_len];
        pool.get(at..at.saturating_add(len))
            .and_then(|s| std::str::from_utf8(s).ok())
            .unwrap_or("")
    }

    /// The first line and code units of record `i` (the prefilter's input).
    pub fn shape(&self, i: usize) -> (u32, u32) {
        let r = self.records_at + i * RECORD_LEN;
        (u32_at(&self.bytes, r + 40), u32_at(&self.bytes, r + 56))
    }

    /// Record `i` (< `functions()`).
    pub fn record(&self, i: usize) -> Record<'_> {
        let r = self.records_at + i * RECORD_LEN;
        Record {
            marshal_hash: u64_at(&self.bytes, r),
            filename: self.str_at(r, 0),
            module: self.str_at(r, 1),
            qualname: self.str_at(r, 2),
            firstlineno: u32_at(&self.bytes, r + 40),
            object: u32_at(&self.bytes, r + 44),
            function: u32_at(&self.bytes, r + 48),
            flags: u32_at(&self.bytes, r + 52),
            code_units: u32_at(&self.bytes, r + 56),
        }
    }

    /// The records named by this key (more than one when `exec` made several code objects
    /// with one name and first line: each has its own marshal hash).
    pub fn find_all(
        &self,
        filename: &str,
        module: &str,
        qualname: &str,
        firstlineno: u32,
    ) -> Vec<usize> {
        let h = key_hash(qualname, firstlineno);
        let mut found = Vec::new();
        let mut b = (h as usize) & (self.buckets - 1);
        for _ in 0..self.buckets {
            let slot = u32_at(&self.bytes, self.buckets_at + 4 * b) as usize;
            if slot == 0 || slot > self.functions {
                break;
            }
            let i = slot - 1;
            let r = self.records_at + i * RECORD_LEN;
            if u64_at(&self.bytes, r + 8) == h {
                let rec = self.record(i);
                if rec.firstlineno == firstlineno
                    && rec.qualname == qualname
                    && rec.module == module
                    && rec.filename == filename
                {
                    found.push(i);
                }
            }
            b = (b + 1) & (self.buckets - 1);
        }
        found
    }

    /// The record named by this key (the first, when there are several).
    pub fn find(
        &self,
        filename: &str,
        module: &str,
        qualname: &str,
        firstlineno: u32,
    ) -> Option<usize> {
        self.find_all(filename, module, qualname, firstlineno)
            .first()
            .copied()
    }

    /// Object `o`'s file as built: (length, `object_crc`).
    pub fn object_pin(&self, o: usize) -> (u64, u64) {
        let at = self.objects_at + o * OBJECT_LEN;
        (u64_at(&self.bytes, at + 16), u64_at(&self.bytes, at + 24))
    }

    /// Where object `o`'s blob is: (offset in the file, length, CRC).
    pub fn blob(&self, o: usize) -> (u64, usize, u32) {
        let at = self.objects_at + o * OBJECT_LEN;
        (
            u64_at(&self.bytes, at),
            u32_at(&self.bytes, at + 8) as usize,
            u32_at(&self.bytes, at + 12),
        )
    }

    /// Object `o`'s blob when the index was parsed from bytes holding the whole file (a
    /// mapping), `None` when they hold only the lookup section or the blob is out of range.
    pub fn blob_bytes(&self, o: usize) -> Option<&[u8]> {
        let (at, len, _) = self.blob(o);
        let at = usize::try_from(at).ok()?;
        self.bytes.get(at..at.checked_add(len)?)
    }

    /// The records of object `o` (a contiguous run: records are ordered by object, then
    /// function).
    pub fn records_of(&self, o: usize) -> impl Iterator<Item = Record<'_>> {
        let object = |i: usize| u32_at(&self.bytes, self.records_at + i * RECORD_LEN + 44) as usize;
        let start = partition(self.functions, |i| object(i) < o);
        let end = partition(self.functions, |i| object(i) <= o);
        (start..end).map(|i| self.record(i))
    }
}

/// The first `i` in `0..n` for which `below(i)` is false (`below` must be monotone).
fn partition(n: usize, below: impl Fn(usize) -> bool) -> usize {
    let (mut lo, mut hi) = (0, n);
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if below(mid) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    lo
}

/// One object's blob: its [`ObjectEntry`] with every function's exit sites left out, the
/// number of exit sites of each function, then the exit sites (`Vec<Vec<ExitSite>>`). Loading
/// reads the first two ([`decode_blob_view`]); a large object has thousands of exit sites,
/// whose reasons only a statistics report reads ([`decode_blob`]).
fn encode_blob(entry: &ObjectEntry) -> Result<Vec<u8>, postcard::Error> {
    let mut core = entry.clone();
    let mut exits = Vec::with_capacity(core.functions.len());
    for f in &mut core.functions {
        exits.push(std::mem::take(&mut f.exits));
    }
    let counts: Vec<u32> = exits.iter().map(|e| e.len() as u32).collect();
    let mut out = postcard::to_stdvec(&core)?;
    out.extend(postcard::to_stdvec(&counts)?);
    out.extend(postcard::to_stdvec(&exits)?);
    Ok(out)
}

/// An object's entry as the loader reads it: [`ObjectEntry`] with its strings borrowed from
/// the blob, and without its exit sites (`exits` of each function is empty). Same postcard
/// encoding as [`ObjectEntry`], field for field.
#[derive(Debug, Deserialize)]
pub struct ObjectEntryView<'a> {
    pub file: &'a str,
    pub hash: u64,
    pub module: &'a str,
    pub source: &'a str,
    pub binding_slots: u32,
    #[serde(borrow)]
    pub functions: Vec<FunctionEntryView<'a>>,
}

/// [`crate::manifest::FunctionEntry`], borrowed (see [`ObjectEntryView`]).
#[derive(Debug, Deserialize)]
pub struct FunctionEntryView<'a> {
    #[serde(borrow)]
    pub key: CodeKeyView<'a>,
    pub symbol: &'a str,
    pub bindings: Vec<crate::manifest::BindingEntry>,
    #[serde(borrow)]
    pub exits: Vec<ExitSiteView<'a>>,
    pub code_units: u32,
}

/// [`crate::model::CodeKey`], borrowed.
#[derive(Debug, Deserialize)]
pub struct CodeKeyView<'a> {
    pub filename: &'a str,
    pub module: &'a str,
    pub qualname: &'a str,
    pub firstlineno: u32,
    pub marshal_hash: u64,
}

/// [`crate::manifest::ExitSite`], borrowed (in blobs, always an empty list: see
/// [`encode_blob`]).
#[derive(Debug, Deserialize)]
pub struct ExitSiteView<'a> {
    pub index: u32,
    pub kind: crate::manifest::ExitKind,
    pub reason: &'a str,
}

/// What loading an object reads of its blob.
#[derive(Debug)]
pub struct BlobView<'a> {
    pub entry: ObjectEntryView<'a>,
    /// Exit sites of each function (their details stay in the blob: [`decode_blob`]).
    pub exit_counts: Vec<u32>,
}

const BAD_ENTRY: IndexError = IndexError::Malformed("object entry");

/// The entry and exit-site counts of one object's blob (`bytes` as the index holds them),
/// checked against `crc`.
pub fn decode_blob_view(bytes: &[u8], crc: u32) -> Result<BlobView<'_>, IndexError> {
    if crc32fast::hash(bytes) != crc {
        return Err(IndexError::Checksum);
    }
    let (entry, rest) =
        postcard::take_from_bytes::<ObjectEntryView<'_>>(bytes).map_err(|_| BAD_ENTRY)?;
    let (exit_counts, _) = postcard::take_from_bytes::<Vec<u32>>(rest).map_err(|_| BAD_ENTRY)?;
    if exit_counts.len() != entry.functions.len() {
        return Err(BAD_ENTRY);
    }
    Ok(BlobView { entry, exit_counts })
}

/// One object's whole entry, exit sites included, checked against `crc`.
pub fn decode_blob(bytes: &[u8], crc: u32) -> Result<ObjectEntry, IndexError> {
    if crc32fast::hash(bytes) != crc {
        return Err(IndexError::Checksum);
    }
    let (mut entry, rest) =
        postcard::take_from_bytes::<ObjectEntry>(bytes).map_err(|_| BAD_ENTRY)?;
    let (counts, rest) = postcard::take_from_bytes::<Vec<u32>>(rest).map_err(|_| BAD_ENTRY)?;
    let (exits, rest) = postcard::take_from_bytes::<Vec<Vec<crate::manifest::ExitSite>>>(rest)
        .map_err(|_| BAD_ENTRY)?;
    let consistent = rest.is_empty()
        && exits.len() == entry.functions.len()
        && counts
            .iter()
            .zip(&exits)
            .all(|(&n, e)| n as usize == e.len());
    if !consistent {
        return Err(BAD_ENTRY);
    }
    for (f, e) in entry.functions.iter_mut().zip(exits) {
        f.exits = e;
    }
    Ok(entry)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::manifest::FunctionEntry;
    use crate::model::CodeKey;

    /// The object checksum is CRC-32/ISO-HDLC (zlib's): its standard check value.
    #[test]
    fn object_crc_is_crc32_iso_hdlc() {
        assert_eq!(object_crc(b"123456789"), 0xCBF4_3926);
        assert_eq!(object_crc(b""), 0);
    }

    fn manifest() -> Manifest {
        let func = |m: &str, q: &str, line| FunctionEntry {
            key: CodeKey {
                filename: format!("{m}.py"),
                module: m.into(),
                qualname: q.into(),
                firstlineno: line,
                marshal_hash: line as u64 * 7,
            },
            symbol: format!("s6::{m}.{q}"),
            bindings: vec![],
            exits: vec![],
            code_units: line * 3,
        };
        let obj = |m: &str, fs: Vec<FunctionEntry>| ObjectEntry {
            file: format!("{m}.o"),
            hash: 1,
            module: m.into(),
            source: format!("{m}.py"),
            binding_slots: 0,
            functions: fs,
        };
        Manifest {
            abi: AbiStamp {
                python_version: "3.11.7".into(),
                hexversion: 0x30b07f0,
                bytecode_magic: 3495,
                build_id: "x".into(),
            },
            native_abi: 3,
            objects: vec![
                obj(
                    "a",
                    vec![func("a", "f", 1), func("a", "g", 5), func("a", "f", 9)],
                ),
                obj(
                    "b",
                    (0..300).map(|i| func("b", &format!("h{i}"), i)).collect(),
                ),
            ],
        }
    }

    /// The borrowed view decodes exactly what an [`ObjectEntry`] encodes, field for field.
    #[test]
    fn the_view_of_a_blob_matches_the_entry() {
        use crate::manifest::{Binding, BindingEntry, ExitKind, ExitSite};
        let mut m = manifest();
        let e = &mut m.objects[0];
        e.hash = 0xdead_beef_f00d;
        e.binding_slots = 7;
        e.functions[1].bindings = vec![BindingEntry {
            slot: 3,
            binding: Binding::Builtin("len".into()),
        }];
        e.functions[1].exits = vec![
            ExitSite {
                index: 4,
                kind: ExitKind::Deopt,
                reason: "type guard: expected builtins.int".into(),
            },
            ExitSite {
                index: 9,
                kind: ExitKind::Error,
                reason: "error: PyNumber_Add failed \u{e9}".into(),
            },
        ];
        let entry = m.objects[0].clone();
        let blob = encode_blob(&entry).unwrap();
        let crc = crc32fast::hash(&blob);
        let BlobView {
            entry: v,
            exit_counts,
        } = decode_blob_view(&blob, crc).unwrap();
        assert_eq!(
            (v.file, v.hash, v.module, v.source, v.binding_slots),
            (
                entry.file.as_str(),
                entry.hash,
                entry.module.as_str(),
                entry.source.as_str(),
                entry.binding_slots
            )
        );
        assert_eq!(v.functions.len(), entry.functions.len());
        for ((fv, f), &n) in v.functions.iter().zip(&entry.functions).zip(&exit_counts) {
            let k = &f.key;
            assert_eq!(
                (fv.key.filename, fv.key.module, fv.key.qualname),
                (k.filename.as_str(), k.module.as_str(), k.qualname.as_str())
            );
            assert_eq!(
                (fv.key.firstlineno, fv.key.marshal_hash, fv.symbol),
                (k.firstlineno, k.marshal_hash, f.symbol.as_str())
            );
            assert_eq!(fv.bindings, f.bindings);
            assert!(fv.exits.is_empty(), "exit sites stay out of the view");
            assert_eq!(n as usize, f.exits.len());
            assert_eq!(fv.code_units, f.code_units);
        }
        // The whole entry, exit sites included, comes back from the same blob.
        assert_eq!(decode_blob(&blob, crc).unwrap(), entry);
        assert!(matches!(
            decode_blob_view(&blob, crc ^ 1),
            Err(IndexError::Checksum)
        ));
    }

    fn parse(bytes: &[u8]) -> Result<Index, IndexError> {
        let len = Index::lookup_len(bytes)?;
        Index::parse(bytes[..len.min(bytes.len())].to_vec())
    }

    #[test]
    fn every_function_is_found_by_its_key_and_nothing_else() {
        let m = manifest();
        let bytes = encode_index(&m, &|f| Ok(f.as_bytes().to_vec())).unwrap();
        let index = parse(&bytes).unwrap();
        assert_eq!((index.functions(), index.objects()), (303, 2));
        assert_eq!(index.abi, m.abi);
        assert_eq!(index.native_abi, 3);
        assert_eq!(index.total_len, bytes.len() as u64);
        for (o, obj) in m.objects.iter().enumerate() {
            for (f, func) in obj.functions.iter().enumerate() {
                let k = &func.key;
                let i = index
                    .find(&k.filename, &k.module, &k.qualname, k.firstlineno)
                    .unwrap();
                let r = index.record(i);
                assert_eq!(
                    (r.object, r.function, r.marshal_hash),
                    (o as u32, f as u32, k.marshal_hash)
                );
            }
            let (at, len, crc) = index.blob(o);
            let blob = &bytes[at as usize..at as usize + len];
            assert_eq!(decode_blob(blob, crc).unwrap(), *obj);
            assert_eq!(index.records_of(o).count(), obj.functions.len());
            assert_eq!(
                index.object_pin(o),
                (obj.file.len() as u64, object_crc(obj.file.as_bytes()))
            );
        }
        assert_eq!(index.find("a.py", "a", "f", 2), None);
        assert_eq!(index.find("a.py", "b", "f", 1), None);
        // The redefinition of a.f is flagged, the first definition is not.
        let flags: Vec<u32> = index.records_of(0).map(|r| r.flags).collect();
        assert_eq!(flags, [0, 0, FLAG_REPEATED]);
    }

    #[test]
    fn damage_is_refused() {
        let bytes = encode_index(&manifest(), &|f| Ok(f.as_bytes().to_vec())).unwrap();
        let len = Index::lookup_len(&bytes).unwrap();
        for at in [0, 5, 20, 60, len / 2, len - 1] {
            let mut b = bytes.clone();
            b[at] ^= 0x10;
            assert!(parse(&b).is_err(), "flip at {at}");
        }
        assert_eq!(parse(&bytes[..len - 1]).err(), Some(IndexError::Truncated));
        assert_eq!(parse(b"S6MF....").err(), Some(IndexError::Truncated));
        let (at, blen, crc) = parse(&bytes).unwrap().blob(1);
        let mut blob = bytes[at as usize..at as usize + blen].to_vec();
        blob[3] ^= 1;
        assert_eq!(decode_blob(&blob, crc).err(), Some(IndexError::Checksum));
    }
}
