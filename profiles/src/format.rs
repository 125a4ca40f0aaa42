//! The on-disk container shared by profiles (`.s6prof`) and cache manifests (`manifest.s6m`):
//! our own header around a postcard payload, so that every kind of damage is caught before the
//! payload is trusted and is reported with its own one-line, actionable message.
//!
//! # Layout (little-endian; fixed for every format version, so that any version can be named)
//! ```text
//!  0  magic        [u8; 4]   b"S6PF" (profile) or b"S6MF" (manifest)
//!  4  version      u16       FORMAT_VERSION (profile) or MANIFEST_VERSION (manifest) of the writer
//!  6  reserved     u16       0
//!  8  total_len    u64       length of the whole file, trailer included
//! 16  stamp_len    u32       length of the postcard-encoded AbiStamp that follows the header
//! 20  header_crc   u32       CRC-32 (ISO-HDLC, zlib's) of bytes 0..20
//! 24  stamp        [u8; stamp_len]   postcard(AbiStamp)
//!     payload      postcard(Profile | Manifest)
//!     crc          u32       CRC-32 of every byte before it
//! ```
//! The header has its own checksum so that a flipped bit in the version or a length is called
//! corruption, not "newer version" or "truncated"; the ABI stamp sits before the payload so a
//! profile from another interpreter can be named without decoding (or trusting) its payload.

use std::fmt;
use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::manifest::Manifest;
use crate::model::{AbiStamp, Profile};

/// Version of the container and of the postcard schema of profiles (`model`). Postcard is not
/// self-describing, so any change to those types must bump this.
pub const FORMAT_VERSION: u16 = 3;
/// Version of the manifest's schema (`manifest`, which also uses `model::CodeKey`): bumped on
/// its own, so that a manifest change does not make users re-profile.
pub const MANIFEST_VERSION: u16 = 3;

/// Magic of a profile file.
pub const PROFILE_MAGIC: [u8; 4] = *b"S6PF";
/// Magic of a cache manifest.
pub const MANIFEST_MAGIC: [u8; 4] = *b"S6MF";

/// Bytes before the ABI stamp.
pub const HEADER_LEN: usize = 24;
const TRAILER_LEN: usize = 4;

/// Which of our two file kinds a file is (or was expected to be).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileKind {
    Profile,
    Manifest,
}

impl FileKind {
    /// The format version this s6c writes and reads for the kind.
    pub fn version(self) -> u16 {
        match self {
            FileKind::Profile => FORMAT_VERSION,
            FileKind::Manifest => MANIFEST_VERSION,
        }
    }

    fn magic(self) -> [u8; 4] {
        match self {
            FileKind::Profile => PROFILE_MAGIC,
            FileKind::Manifest => MANIFEST_MAGIC,
        }
    }

    /// What to do when a file of this kind is unusable.
    fn remedy(self) -> &'static str {
        match self {
            FileKind::Profile => "re-create it with `s6c profile`",
            FileKind::Manifest => "rebuild the cache with `s6c build`",
        }
    }
}

impl fmt::Display for FileKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            FileKind::Profile => "profile",
            FileKind::Manifest => "cache manifest",
        })
    }
}

/// The file an error is about: its kind and, when it came from disk, its path.
/// Displays as `profile app.s6prof` or just `profile`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Subject {
    pub kind: FileKind,
    pub path: Option<PathBuf>,
}

impl fmt::Display for Subject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.path {
            Some(p) => write!(f, "{} {}", self.kind, p.display()),
            None => write!(f, "{}", self.kind),
        }
    }
}

/// A one-line name for an interpreter: `sys.version` on one line, then the build identity.
impl fmt::Display for AbiStamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let version = self
            .python_version
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        write!(f, "Python {version} [{}]", self.build_id)
    }
}

/// Everything that can be wrong with a profile or manifest file, one variant per kind of damage.
#[derive(Debug, thiserror::Error)]
pub enum FormatError {
    #[error("{subject} not found: {}", missing_remedy(.subject.kind))]
    Missing { subject: Subject },
    #[error("cannot read {subject}: {err}")]
    Read {
        subject: Subject,
        err: std::io::Error,
    },
    #[error("cannot write {subject}: {err}")]
    Write {
        subject: Subject,
        err: std::io::Error,
    },
    #[error("{subject} is empty (0 bytes): the program that writes it died first; {}", .subject.kind.remedy())]
    Empty { subject: Subject },
    #[error(
        "{subject} is truncated ({len} of {} bytes): it was cut off while being written or copied; {}",
        .expected.map_or_else(|| "at least 28".to_string(), |e| e.to_string()),
        .subject.kind.remedy()
    )]
    Truncated {
        subject: Subject,
        len: u64,
        expected: Option<u64>,
    },
    #[error("{subject} has {extra} unexpected bytes after its end: it was appended to or overwritten; {}", .subject.kind.remedy())]
    TrailingData { subject: Subject, extra: u64 },
    #[error("{subject} is corrupt ({what} checksum mismatch): the file was damaged after it was written; {}", .subject.kind.remedy())]
    Checksum {
        subject: Subject,
        what: &'static str,
    },
    #[error("{} is not an s6 {} ({looks_like}): expected a {}", .subject.path.as_ref().map_or("input".into(), |p| p.display().to_string()), .subject.kind, expected_name(.subject.kind))]
    WrongMagic {
        subject: Subject,
        looks_like: String,
    },
    #[error("{subject} has format version {found}, newer than this s6c reads ({}): use the s6c that wrote it, or {}", .subject.kind.version(), .subject.kind.remedy())]
    NewerVersion { subject: Subject, found: u16 },
    #[error("{subject} has format version {found}, older than this s6c reads ({}): {}", .subject.kind.version(), .subject.kind.remedy())]
    OlderVersion { subject: Subject, found: u16 },
    #[error("{subject} passed its checksums but does not decode ({detail}): it was written by an incompatible s6 build; {}", .subject.kind.remedy())]
    Undecodable { subject: Subject, detail: String },
    #[error("{subject} was made for {found}, but this interpreter is {expected}: {}", advice(.subject.kind))]
    ForeignAbi {
        subject: Subject,
        found: Box<AbiStamp>,
        expected: Box<AbiStamp>,
    },
    #[error("cannot encode {subject}: {detail}")]
    Encode { subject: Subject, detail: String },
}

fn missing_remedy(kind: FileKind) -> &'static str {
    match kind {
        FileKind::Profile => "make one with `s6c profile -o FILE SCRIPT`",
        FileKind::Manifest => "no cache was built there; run `s6c build`",
    }
}

fn advice(kind: FileKind) -> &'static str {
    match kind {
        FileKind::Profile => "re-profile with this interpreter",
        FileKind::Manifest => "rebuild the cache from a profile made with this interpreter",
    }
}

impl FormatError {
    /// The file the error is about.
    pub fn subject(&self) -> &Subject {
        match self {
            FormatError::Missing { subject }
            | FormatError::Read { subject, .. }
            | FormatError::Write { subject, .. }
            | FormatError::Empty { subject }
            | FormatError::Truncated { subject, .. }
            | FormatError::TrailingData { subject, .. }
            | FormatError::Checksum { subject, .. }
            | FormatError::WrongMagic { subject, .. }
            | FormatError::NewerVersion { subject, .. }
            | FormatError::OlderVersion { subject, .. }
            | FormatError::Undecodable { subject, .. }
            | FormatError::ForeignAbi { subject, .. }
            | FormatError::Encode { subject, .. } => subject,
        }
    }

    fn subject_mut(&mut self) -> &mut Subject {
        match self {
            FormatError::Missing { subject }
            | FormatError::Read { subject, .. }
            | FormatError::Write { subject, .. }
            | FormatError::Empty { subject }
            | FormatError::Truncated { subject, .. }
            | FormatError::TrailingData { subject, .. }
            | FormatError::Checksum { subject, .. }
            | FormatError::WrongMagic { subject, .. }
            | FormatError::NewerVersion { subject, .. }
            | FormatError::OlderVersion { subject, .. }
            | FormatError::Undecodable { subject, .. }
            | FormatError::ForeignAbi { subject, .. }
            | FormatError::Encode { subject, .. } => subject,
        }
    }

    /// Names the file the error is about (errors from byte-level functions carry no path).
    pub fn at(mut self, path: &Path) -> Self {
        self.subject_mut().path = Some(path.to_path_buf());
        self
    }
}

/// What the fixed header and the ABI stamp say, before the payload is decoded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Header {
    pub kind: FileKind,
    pub version: u16,
    pub abi: AbiStamp,
}

// ---------------------------------------------------------------------------------------------
// Profiles and manifests: the public API.

/// Encodes a profile made by the interpreter `abi`.
pub fn encode_profile(profile: &Profile, abi: &AbiStamp) -> Result<Vec<u8>, FormatError> {
    encode(FileKind::Profile, abi, profile)
}

/// Decodes a profile; the caller decides whether its ABI is acceptable (see [`check_abi`]).
pub fn decode_profile(bytes: &[u8]) -> Result<(AbiStamp, Profile), FormatError> {
    decode(FileKind::Profile, bytes)
}

/// Writes a profile atomically (a temporary file in the same directory, then a rename), so a
/// reader never sees half a file and a crash leaves the previous profile in place.
pub fn write_profile(path: &Path, profile: &Profile, abi: &AbiStamp) -> Result<(), FormatError> {
    let bytes = encode_profile(profile, abi).map_err(|e| e.at(path))?;
    write_atomic(path, &bytes).map_err(|err| FormatError::Write {
        subject: subject(FileKind::Profile, path),
        err,
    })
}

/// Reads and fully checks a profile (everything but its ABI, see [`check_abi`]).
pub fn read_profile(path: &Path) -> Result<(AbiStamp, Profile), FormatError> {
    let bytes = read_file(FileKind::Profile, path)?;
    decode_profile(&bytes).map_err(|e| e.at(path))
}

/// Encodes a manifest; its own `abi` goes into the header.
pub fn encode_manifest(manifest: &Manifest) -> Result<Vec<u8>, FormatError> {
    encode(FileKind::Manifest, &manifest.abi, manifest)
}

/// Decodes a manifest (the header's stamp must agree with the manifest's `abi`).
pub fn decode_manifest(bytes: &[u8]) -> Result<Manifest, FormatError> {
    let (abi, manifest): (AbiStamp, Manifest) = decode(FileKind::Manifest, bytes)?;
    if abi != manifest.abi {
        return Err(FormatError::Undecodable {
            subject: subject_bytes(FileKind::Manifest),
            detail: "header and body name different interpreters".into(),
        });
    }
    Ok(manifest)
}

/// Writes a manifest atomically, then the cache index beside it (`index::INDEX_FILE`, what
/// the runtime activates from), so that a cache is complete once its index is in place.
pub fn write_manifest(path: &Path, manifest: &Manifest) -> Result<(), FormatError> {
    let bytes = encode_manifest(manifest).map_err(|e| e.at(path))?;
    write_atomic(path, &bytes).map_err(|err| FormatError::Write {
        subject: subject(FileKind::Manifest, path),
        err,
    })?;
    let index_path = path.with_file_name(crate::index::INDEX_FILE);
    let dir = path.parent().unwrap_or(Path::new("."));
    let index = crate::index::encode_index(manifest, &|file| std::fs::read(dir.join(file)))
        .map_err(|e| e.at(&index_path))?;
    write_atomic(&index_path, &index).map_err(|err| FormatError::Write {
        subject: subject(FileKind::Manifest, &index_path),
        err,
    })
}

/// Reads and fully checks a manifest (everything but its ABI, see [`check_manifest_abi`]).
pub fn read_manifest(path: &Path) -> Result<Manifest, FormatError> {
    let bytes = read_file(FileKind::Manifest, path)?;
    decode_manifest(&bytes).map_err(|e| e.at(path))
}

/// Refuses a profile made by another interpreter (`found`) than the one in use (`expected`).
/// Attach the path with [`FormatError::at`].
pub fn check_abi(found: &AbiStamp, expected: &AbiStamp) -> Result<(), FormatError> {
    check_abi_of(FileKind::Profile, found, expected)
}

/// Like [`check_abi`], for a cache manifest (the advice differs).
pub fn check_manifest_abi(found: &AbiStamp, expected: &AbiStamp) -> Result<(), FormatError> {
    check_abi_of(FileKind::Manifest, found, expected)
}

fn check_abi_of(kind: FileKind, found: &AbiStamp, expected: &AbiStamp) -> Result<(), FormatError> {
    if found == expected {
        return Ok(());
    }
    Err(FormatError::ForeignAbi {
        subject: subject_bytes(kind),
        found: Box::new(found.clone()),
        expected: Box::new(expected.clone()),
    })
}

/// Checks the header, the whole-file checksum and the ABI stamp of a profile or manifest
/// without decoding its payload: names a foreign interpreter's file even if our schema for its
/// payload has changed.
pub fn decode_header(expected: FileKind, bytes: &[u8]) -> Result<Header, FormatError> {
    Ok(check_frame(expected, bytes)?.0)
}

/// [`decode_header`] for a file on disk.
pub fn read_header(expected: FileKind, path: &Path) -> Result<Header, FormatError> {
    let bytes = read_file(expected, path)?;
    decode_header(expected, &bytes).map_err(|e| e.at(path))
}

// ---------------------------------------------------------------------------------------------
// The container.

fn subject(kind: FileKind, path: &Path) -> Subject {
    Subject {
        kind,
        path: Some(path.to_path_buf()),
    }
}

fn subject_bytes(kind: FileKind) -> Subject {
    Subject { kind, path: None }
}

fn encode<T: Serialize>(
    kind: FileKind,
    abi: &AbiStamp,
    payload: &T,
) -> Result<Vec<u8>, FormatError> {
    let enc_err = |e: postcard::Error| FormatError::Encode {
        subject: subject_bytes(kind),
        detail: e.to_string(),
    };
    let stamp = postcard::to_stdvec(abi).map_err(enc_err)?;
    let body = postcard::to_stdvec(payload).map_err(enc_err)?;
    let total = HEADER_LEN + stamp.len() + body.len() + TRAILER_LEN;
    let stamp_len = u32::try_from(stamp.len()).map_err(|_| FormatError::Encode {
        subject: subject_bytes(kind),
        detail: "ABI stamp too large".into(),
    })?;

    let mut out = Vec::with_capacity(total);
    out.extend_from_slice(&kind.magic());
    out.extend_from_slice(&kind.version().to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out.extend_from_slice(&(total as u64).to_le_bytes());
    out.extend_from_slice(&stamp_len.to_le_bytes());
    let header_crc = crc32fast::hash(&out);
    out.extend_from_slice(&header_crc.to_le_bytes());
    out.extend_from_slice(&stamp);
    out.extend_from_slice(&body);
    let crc = crc32fast::hash(&out);
    out.extend_from_slice(&crc.to_le_bytes());
    debug_assert_eq!(out.len(), total);
    Ok(out)
}

fn decode<T: DeserializeOwned>(kind: FileKind, bytes: &[u8]) -> Result<(AbiStamp, T), FormatError> {
    let (header, payload) = check_frame(kind, bytes)?;
    let value = decode_exact(kind, payload)?;
    Ok((header.abi, value))
}

/// Validates everything but the payload's content; returns the header and the payload bytes.
fn check_frame(kind: FileKind, bytes: &[u8]) -> Result<(Header, &[u8]), FormatError> {
    let subject = || subject_bytes(kind);
    let len = bytes.len() as u64;
    if bytes.is_empty() {
        return Err(FormatError::Empty { subject: subject() });
    }
    let magic = kind.magic();
    if bytes.len() < 4 {
        if magic.starts_with(bytes) {
            return Err(FormatError::Truncated {
                subject: subject(),
                len,
                expected: None,
            });
        }
        return Err(FormatError::WrongMagic {
            subject: subject(),
            looks_like: looks_like(kind, bytes),
        });
    }
    if bytes[..4] != magic {
        return Err(FormatError::WrongMagic {
            subject: subject(),
            looks_like: looks_like(kind, bytes),
        });
    }
    if bytes.len() < HEADER_LEN {
        return Err(FormatError::Truncated {
            subject: subject(),
            len,
            expected: None,
        });
    }
    let header_crc = u32_at(bytes, 20);
    if crc32fast::hash(&bytes[..20]) != header_crc {
        return Err(FormatError::Checksum {
            subject: subject(),
            what: "header",
        });
    }
    let version = u16::from_le_bytes([bytes[4], bytes[5]]);
    if version > kind.version() {
        return Err(FormatError::NewerVersion {
            subject: subject(),
            found: version,
        });
    }
    if version < kind.version() {
        return Err(FormatError::OlderVersion {
            subject: subject(),
            found: version,
        });
    }
    let total = u64::from_le_bytes(bytes[8..16].try_into().expect("8 bytes"));
    let stamp_len = u64::from(u32_at(bytes, 16));
    // A header that passed its checksum but describes an impossible layout was written wrong.
    let min_total = (HEADER_LEN + TRAILER_LEN) as u64 + stamp_len;
    if total < min_total {
        return Err(FormatError::Undecodable {
            subject: subject(),
            detail: "header lengths are inconsistent".into(),
        });
    }
    if len < total {
        return Err(FormatError::Truncated {
            subject: subject(),
            len,
            expected: Some(total),
        });
    }
    if len > total {
        return Err(FormatError::TrailingData {
            subject: subject(),
            extra: len - total,
        });
    }
    let body_end = bytes.len() - TRAILER_LEN;
    if crc32fast::hash(&bytes[..body_end]) != u32_at(bytes, body_end) {
        return Err(FormatError::Checksum {
            subject: subject(),
            what: "contents",
        });
    }
    // `stamp_len <= total - 28 == len - 28`, so this cannot overflow the slice.
    let stamp_end = HEADER_LEN + stamp_len as usize;
    let abi: AbiStamp = decode_exact(kind, &bytes[HEADER_LEN..stamp_end])?;
    Ok((Header { kind, version, abi }, &bytes[stamp_end..body_end]))
}

fn decode_exact<T: DeserializeOwned>(kind: FileKind, bytes: &[u8]) -> Result<T, FormatError> {
    let undecodable = |detail: String| FormatError::Undecodable {
        subject: subject_bytes(kind),
        detail,
    };
    let (value, rest) = postcard::take_from_bytes(bytes).map_err(|e| undecodable(e.to_string()))?;
    if !rest.is_empty() {
        return Err(undecodable(format!("{} bytes left over", rest.len())));
    }
    Ok(value)
}

fn u32_at(bytes: &[u8], at: usize) -> u32 {
    u32::from_le_bytes(bytes[at..at + 4].try_into().expect("4 bytes"))
}

/// Says what a file that is not the expected kind looks like, when we can tell.
fn looks_like(expected: FileKind, bytes: &[u8]) -> String {
    let other = match expected {
        FileKind::Profile => FileKind::Manifest,
        FileKind::Manifest => FileKind::Profile,
    };
    let known: &[(&[u8], &str)] = &[
        (b"\x7fELF", "it is an ELF file, e.g. a compiled object"),
        (b"PK\x03\x04", "it is a zip archive"),
        (b"\x1f\x8b", "it is gzip-compressed"),
        (b"\xa7\x0d\x0d\x0a", "it is a CPython 3.11 .pyc file"),
        (b"#!", "it is a script"),
    ];
    if bytes.len() >= 4 && bytes[..4] == other.magic() {
        return format!("it is an s6 {other}");
    }
    if let Some((_, what)) = known.iter().find(|(m, _)| bytes.starts_with(m)) {
        return (*what).to_string();
    }
    let head = &bytes[..bytes.len().min(256)];
    let texty = |b: &u8| b.is_ascii_graphic() || b.is_ascii_whitespace();
    if head.iter().all(texty) || std::str::from_utf8(head).is_ok() {
        return "it is a text file".to_string();
    }
    let hex: Vec<String> = bytes.iter().take(4).map(|b| format!("{b:02x}")).collect();
    format!("unknown file starting with bytes {}", hex.join(" "))
}

fn expected_name(kind: FileKind) -> &'static str {
    match kind {
        FileKind::Profile => ".s6prof file written by `s6c profile`",
        FileKind::Manifest => "cache directory written by `s6c build`",
    }
}

// ---------------------------------------------------------------------------------------------
// Files.

fn read_file(kind: FileKind, path: &Path) -> Result<Vec<u8>, FormatError> {
    std::fs::read(path).map_err(|err| match err.kind() {
        std::io::ErrorKind::NotFound => FormatError::Missing {
            subject: subject(kind, path),
        },
        _ => FormatError::Read {
            subject: subject(kind, path),
            err,
        },
    })
}

/// Writes `bytes` to a fresh temporary file beside `path`, syncs it and renames it over `path`.
fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let name = path.file_name().ok_or_else(|| {
        std::io::Error::new(std::io::ErrorKind::InvalidInput, "path has no file name")
    })?;
    let mut tmp_name = std::ffi::OsString::from(".");
    tmp_name.push(name);
    tmp_name.push(format!(
        ".tmp.{}.{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    ));
    let tmp = path.with_file_name(tmp_name);
    let result = (|| {
        // 0644 whatever the umask: the runtime refuses a group- or other-writable manifest or
        // index, and a profile has no reason to be writable by others either.
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o644)
            .open(&tmp)?;
        file.set_permissions(std::os::unix::fs::PermissionsExt::from_mode(0o644))?;
        file.write_all(bytes)?;
        file.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}
