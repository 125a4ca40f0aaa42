//! Cache activation: every check that decides whether a cache directory may be used, done on
//! the cache index alone (`s6_profiles::index`: a lookup section of about 100 bytes per
//! function, its header, ABI stamp, checksum, owner and permissions), then the active cache the
//! hook binds from, which looks functions up in the index in place. A cache is activated whole or
//! not at all: any refusal is one reason string, which the caller prints as the single warning
//! line. Nothing per object is done here: an object's entry (from the index), name,
//! permissions, bytes and hash are checked, and the object mapped and relocated, when one of its
//! functions is first about to bind (`lazy`), so activation does not grow with the number of
//! objects, and an object that turns out missing, altered or unloadable costs only its own
//! functions.

mod lazy;

use std::collections::HashMap;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex, OnceLock};

use s6_profiles::abi::NATIVE_ABI_VERSION;
use s6_profiles::format::check_manifest_abi;
use s6_profiles::index::{INDEX_FILE, Index};
use s6_profiles::manifest::MANIFEST_FILE;
use s6_profiles::model::AbiStamp;

use super::bind::{Candidate, Key};

pub use lazy::{LazyObject, count_in_cache, object_counts};

/// The active cache: its index, and the objects and candidates made from it as code objects
/// ask for them. Replaced by `enable()`, dropped by `disable()` (objects that were loaded stay
/// mapped, see `lazy`).
pub struct ActiveCache {
    dir: PathBuf,
    index: Arc<Index>,
    objects: Vec<OnceLock<Arc<LazyObject>>>,
    /// By index record: one candidate per function, shared by every code object of its key.
    candidates: Mutex<HashMap<usize, Arc<Candidate>>>,
}

impl ActiveCache {
    /// Functions the cache holds.
    pub fn functions(&self) -> usize {
        self.index.functions()
    }

    /// Objects the cache holds.
    pub fn object_count(&self) -> usize {
        self.index.objects()
    }

    /// `(firstlineno, code units)` of every function, for the hook's prefilter.
    pub fn shapes(&self) -> impl Iterator<Item = (u32, u32)> + '_ {
        (0..self.index.functions()).map(|i| self.index.shape(i))
    }

    /// The candidate for the code object named `key` whose marshal hash `hash()` gives (asked
    /// only when the cache has a function by that key).
    pub fn lookup(&self, key: &Key, hash: impl FnOnce() -> Option<u64>) -> Lookup {
        let found = self.index.find_all(&key.0, &key.1, &key.2, key.3);
        if found.is_empty() {
            return Lookup::NotInCache;
        }
        let Some(hash) = hash() else {
            return Lookup::NotInCache;
        };
        let Some(&i) = found
            .iter()
            .find(|&&i| self.index.record(i).marshal_hash == hash)
        else {
            return Lookup::Changed;
        };
        let mut candidates = self.candidates.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(c) = candidates.get(&i) {
            return Lookup::Found(c.clone());
        }
        let r = self.index.record(i);
        let object = self.objects[r.object as usize]
            .get_or_init(|| {
                Arc::new(LazyObject::new(
                    self.dir.clone(),
                    self.index.clone(),
                    r.object as usize,
                ))
            })
            .clone();
        let c = Arc::new(Candidate {
            object,
            index: r.function as usize,
            bound: AtomicBool::new(false),
        });
        candidates.insert(i, c.clone());
        Lookup::Found(c)
    }
}

/// What the cache has for a code object.
pub enum Lookup {
    NotInCache,
    /// A function by its key, but compiled from other bytes (edited since profiling).
    Changed,
    Found(Arc<Candidate>),
}

/// Refuses paths that another user could have written: group/other-writable, or owned by
/// someone other than us or root.
fn check_owner(path: &Path, what: &str) -> Result<(), String> {
    let meta = std::fs::metadata(path)
        .map_err(|e| format!("cannot read {what} {}: {e}", path.display()))?;
    check_meta(&meta, path, what)
}

/// [`check_owner`] on metadata already read (of an open file, so that what is checked is what
/// is read).
fn check_meta(meta: &std::fs::Metadata, path: &Path, what: &str) -> Result<(), String> {
    // SAFETY: geteuid has no preconditions.
    let me = unsafe { libc::geteuid() };
    if meta.uid() != me && meta.uid() != 0 {
        return Err(format!(
            "{what} {} is owned by another user (uid {})",
            path.display(),
            meta.uid()
        ));
    }
    if meta.mode() & 0o022 != 0 {
        return Err(format!(
            "{what} {} is writable by group or others (mode {:o})",
            path.display(),
            meta.mode() & 0o7777
        ));
    }
    Ok(())
}

/// Reads and checks the index of `dir` against the running interpreter and makes the active
/// cache from it.
pub fn load_cache(dir: &Path, abi: &AbiStamp) -> Result<ActiveCache, String> {
    if !dir.is_dir() {
        return Err(format!("cache directory {} does not exist", dir.display()));
    }
    check_owner(dir, "cache directory")?;
    let path = dir.join(INDEX_FILE);
    // Mapped, not read: activation reads the lookup section, and each object's blob is read
    // from the same mapping when that object loads.
    let file = match s6_loader::ObjectFile::open_with(&path, false) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(if dir.join(MANIFEST_FILE).exists() {
                format!(
                    "cache {} has no {INDEX_FILE}: it was built by an older s6c; rebuild it with `s6c build`",
                    dir.display()
                )
            } else {
                format!(
                    "cache index {} not found: no cache was built there; run `s6c build`",
                    path.display()
                )
            });
        }
        Err(e) => return Err(format!("cannot read cache index {}: {e}", path.display())),
    };
    let cannot = |e: std::io::Error| format!("cannot read cache index {}: {e}", path.display());
    let meta = file.file().metadata().map_err(cannot)?;
    check_meta(&meta, &path, "cache index")?;
    let bad = |e: s6_profiles::index::IndexError| format!("cache index {} {e}", path.display());
    let head = &file[..Index::HEADER.min(file.len())];
    let len = Index::lookup_len(head).map_err(bad)?;
    if len > file.len() {
        return Err(bad(s6_profiles::index::IndexError::Truncated));
    }
    let index = Index::parse_from(Box::new(file)).map_err(bad)?;
    if index.total_len != meta.len() {
        return Err(bad(s6_profiles::index::IndexError::Truncated));
    }
    check_manifest_abi(&index.abi, abi).map_err(|e| e.at(&path).to_string())?;
    if index.native_abi != NATIVE_ABI_VERSION {
        return Err(format!(
            "cache {} was built for native ABI {}, this runtime implements {NATIVE_ABI_VERSION}: rebuild it with this s6c",
            dir.display(),
            index.native_abi
        ));
    }
    let objects = (0..index.objects()).map(|_| OnceLock::new()).collect();
    Ok(ActiveCache {
        dir: dir.to_path_buf(),
        index: Arc::new(index),
        objects,
        candidates: Mutex::new(HashMap::new()),
    })
}
