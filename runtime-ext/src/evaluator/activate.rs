//! Cache activation: every cheap check that decides whether a cache directory may be used
//! (manifest header, ABI, checksum, owners and permissions of the directory, the manifest and
//! every object file, object names), then the candidate table the hook binds from, built from
//! the manifest alone. A cache is activated whole or not at all: any refusal is one reason
//! string, which the caller prints as the single warning line. Reading, hash-checking, mapping
//! and relocating an object waits until one of its functions is about to bind (`lazy`), so
//! start-up does not pay for objects a process never needs; an object that turns out altered or
//! unloadable then costs only its own functions.

mod lazy;

use std::collections::{HashMap, HashSet};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use s6_profiles::abi::NATIVE_ABI_VERSION;
use s6_profiles::format::{check_manifest_abi, read_manifest};
use s6_profiles::manifest::{MANIFEST_FILE, Manifest, ObjectEntry};
use s6_profiles::model::AbiStamp;

use super::bind::{ActiveCache, Candidate, Key};

pub use lazy::{LazyObject, count_in_cache, object_counts};

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

/// Reads and checks the manifest of `dir` against the running interpreter. Shared, because the
/// active cache's objects keep reading their entries from it until they load.
pub fn check_cache(dir: &Path, abi: &AbiStamp) -> Result<Arc<Manifest>, String> {
    if !dir.is_dir() {
        return Err(format!("cache directory {} does not exist", dir.display()));
    }
    check_owner(dir, "cache directory")?;
    let path = dir.join(MANIFEST_FILE);
    if path.exists() {
        check_owner(&path, "manifest")?;
    }
    let manifest = read_manifest(&path).map_err(|e| e.to_string())?;
    check_manifest_abi(&manifest.abi, abi).map_err(|e| e.at(&path).to_string())?;
    if manifest.native_abi != NATIVE_ABI_VERSION {
        return Err(format!(
            "cache {} was built for native ABI {}, this runtime implements {NATIVE_ABI_VERSION}: rebuild it with this s6c",
            dir.display(),
            manifest.native_abi
        ));
    }
    Ok(Arc::new(manifest))
}

/// Checks one object file's name, existence and permissions (a `stat`; its bytes are read and
/// hash-checked when it is first needed).
fn check_object(dir: &Path, obj: &ObjectEntry) -> Result<PathBuf, String> {
    let name = Path::new(&obj.file);
    let plain_name = matches!(
        name.components().collect::<Vec<_>>()[..],
        [std::path::Component::Normal(_)]
    );
    if !plain_name {
        return Err(format!(
            "manifest names an object outside the cache: {:?}",
            obj.file
        ));
    }
    let path = dir.join(name);
    let meta = match std::fs::metadata(&path) {
        Ok(meta) => meta,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(format!("object {} is missing", path.display()));
        }
        Err(e) => return Err(format!("cannot read object {}: {e}", path.display())),
    };
    check_meta(&meta, &path, "object")?;
    Ok(path)
}

/// Checks every object of a checked manifest and returns the candidates by code key. No object
/// is read or mapped here: each loads on the first bind of one of its functions.
pub fn load_cache(dir: &Path, manifest: &Arc<Manifest>) -> Result<ActiveCache, String> {
    let mut paths = Vec::with_capacity(manifest.objects.len());
    for obj in &manifest.objects {
        paths.push(check_object(dir, obj)?);
    }
    let functions = manifest.objects.iter().map(|o| o.functions.len()).sum();
    let mut by_key: HashMap<Key, Arc<Candidate>> = HashMap::with_capacity(functions);
    let mut objects = Vec::with_capacity(manifest.objects.len());
    let mut seen = HashSet::with_capacity(functions);
    for ((index, obj), path) in manifest.objects.iter().enumerate().zip(paths) {
        // Statistics names are `module.qualname`, plus `#line` for a name already seen earlier
        // in the manifest; decided here, in manifest order, and written when the object loads.
        let repeated = obj
            .functions
            .iter()
            .map(|func| !seen.insert((func.key.module.as_str(), func.key.qualname.as_str())))
            .collect();
        let object = Arc::new(LazyObject::new(path, manifest.clone(), index, repeated));
        for (index, func) in obj.functions.iter().enumerate() {
            let key = &func.key;
            by_key.insert(
                (
                    key.filename.clone(),
                    key.module.clone(),
                    key.qualname.clone(),
                    key.firstlineno,
                ),
                Arc::new(Candidate {
                    marshal_hash: key.marshal_hash,
                    object: object.clone(),
                    index,
                    bound: AtomicBool::new(false),
                }),
            );
        }
        objects.push(object);
    }
    Ok(ActiveCache { by_key, objects })
}
