//! Why a load failed. Every way an object can be wrong or unplaceable is a value of
//! [`LoadError`]: the loader never panics on input bytes and never truncates silently.

use std::io;

#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The bytes are not a well-formed x86-64 ELF relocatable object.
    #[error("malformed object: {0}")]
    Malformed(String),
    /// Well-formed, but uses something this loader does not implement (TLS, REL, COMMON...).
    #[error("unsupported object feature: {0}")]
    Unsupported(String),
    /// An undefined symbol that the resolver does not know.
    #[error("unresolved symbol `{0}`")]
    Unresolved(String),
    /// A relocation type the loader does not implement.
    #[error("unknown relocation type {r_type} at {section}+{offset:#x}")]
    UnknownRelocation {
        section: String,
        offset: u64,
        r_type: u32,
    },
    /// A relocation whose value does not fit its field (e.g. a rel32 farther than ±2 GiB).
    #[error("relocation type {r_type} at {section}+{offset:#x} out of range (value {value:#x})")]
    OutOfRange {
        section: String,
        offset: u64,
        r_type: u32,
        value: i128,
    },
    /// mmap/mprotect failed.
    #[error("memory: {0}")]
    Memory(#[from] io::Error),
}

impl From<object::read::Error> for LoadError {
    fn from(e: object::read::Error) -> Self {
        LoadError::Malformed(e.to_string())
    }
}

pub type Result<T> = std::result::Result<T, LoadError>;
