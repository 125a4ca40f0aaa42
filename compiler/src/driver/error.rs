//! Errors that stop a whole build or an inspection before any output is written: bad input
//! files, a profile of the wrong interpreter, an output directory that cannot hold a cache.
//! Each displays as one line, `<what is wrong>: <what to do>`, for the CLI to print as is.

use std::path::PathBuf;

use s6_profiles::format::FormatError;
use s6_profiles::merge::MergeError;
use s6_profiles::model::AbiStamp;

#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    #[error(transparent)]
    Profile(#[from] FormatError),
    #[error("profile {} is a directory: give the .s6prof file that `s6c profile` wrote", .0.display())]
    ProfileIsDirectory(PathBuf),
    /// `files` names the inputs by the positions the merge error uses: `#0 = a, #1 = b`.
    #[error("merging {files}: {err}")]
    Merge { err: MergeError, files: String },
    #[error(
        "profile {path} was made by {found}, but s6c compiles CPython 3.11 bytecode only (magic {magic}): profile the program with a CPython 3.11 interpreter"
    )]
    UnsupportedPython {
        path: PathBuf,
        found: Box<AbiStamp>,
        magic: u16,
    },
    #[error(
        "profiles of two interpreters: {path} was made by {found}, {first} by {expected}: build from profiles of one interpreter (re-profile with it)"
    )]
    MixedAbi {
        path: PathBuf,
        first: PathBuf,
        found: Box<AbiStamp>,
        expected: Box<AbiStamp>,
    },
    #[error("cannot set up code generation ({0}): run s6c on an x86-64 Linux host")]
    Isa(String),
    #[error("cache directory {} is a file, not a directory: give -o a new or existing cache directory", .0.display())]
    NotADirectory(PathBuf),
    #[error("cannot create cache directory {} ({err}): give -o a path in a directory you can write", .dir.display())]
    CreateDir { dir: PathBuf, err: std::io::Error },
    #[error("cache directory {} is not writable ({err}): fix its permissions or give -o another directory", .dir.display())]
    NotWritable { dir: PathBuf, err: std::io::Error },
    #[error("{} exists but is not an s6 cache manifest ({detail}); s6c will not overwrite it: give -o a new directory or an earlier cache", .path.display())]
    ForeignManifest { path: PathBuf, detail: String },
    #[error("cannot write the cache in {} ({err}): check free space and permissions, then build again", .dir.display())]
    Cache { dir: PathBuf, err: String },
}
