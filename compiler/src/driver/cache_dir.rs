//! The output directory of a build. It is checked before anything is compiled (a path that
//! cannot hold a cache fails in a second, not after the whole compile), and a rebuild touches
//! only what the cache owns: the manifest and the objects the earlier manifest named. Any other
//! file in the directory is kept and never overwritten (new objects are named around it).

use std::collections::HashSet;
use std::io::ErrorKind;
use std::path::{Path, PathBuf};

use s6_profiles::format::FormatError;
use s6_profiles::index::INDEX_FILE;
use s6_profiles::manifest::{MANIFEST_FILE, Manifest};

use super::BuildError;

/// A directory ready to receive a cache.
#[derive(Debug)]
pub struct CacheDir {
    pub dir: PathBuf,
    /// Object files the earlier build's manifest named (they may be replaced or removed).
    pub owned: HashSet<String>,
    /// Every other entry of the directory: never written, never removed.
    pub foreign: HashSet<String>,
    /// Files this build created (removed again if the build fails before its manifest).
    pub created: Vec<PathBuf>,
}

impl CacheDir {
    /// Creates `dir` if needed and checks it can be written; reads its earlier manifest.
    pub fn prepare(dir: &Path) -> Result<CacheDir, BuildError> {
        match std::fs::metadata(dir) {
            Ok(m) if !m.is_dir() => return Err(BuildError::NotADirectory(dir.to_owned())),
            Ok(_) => {}
            Err(e) if e.kind() == ErrorKind::NotFound => {
                let create = || {
                    std::fs::create_dir_all(dir)?;
                    // The mode the runtime accepts, whatever the umask (002 would make it
                    // group-writable, and the runtime refuses such a cache).
                    std::fs::set_permissions(
                        dir,
                        std::os::unix::fs::PermissionsExt::from_mode(0o755),
                    )
                };
                create().map_err(|err| BuildError::CreateDir {
                    dir: dir.to_owned(),
                    err,
                })?
            }
            Err(err) if err.kind() == ErrorKind::NotADirectory => {
                return Err(BuildError::CreateDir {
                    dir: dir.to_owned(),
                    err,
                });
            }
            Err(err) => {
                return Err(BuildError::NotWritable {
                    dir: dir.to_owned(),
                    err,
                });
            }
        }
        probe_writable(dir)?;
        let manifest_path = dir.join(MANIFEST_FILE);
        let owned: HashSet<String> = match s6_profiles::format::read_manifest(&manifest_path) {
            Ok(m) => owned_objects(&m),
            Err(FormatError::Missing { .. }) => HashSet::new(),
            // Not our file (or not a file): overwriting it would destroy someone's data.
            Err(FormatError::WrongMagic { looks_like, .. }) => {
                return Err(BuildError::ForeignManifest {
                    path: manifest_path,
                    detail: looks_like,
                });
            }
            Err(FormatError::Read { err, .. }) => {
                return Err(BuildError::ForeignManifest {
                    path: manifest_path,
                    detail: err.to_string(),
                });
            }
            // Our manifest, damaged: replace it; which objects it named is unknown, so every
            // other file is kept.
            Err(_) => HashSet::new(),
        };
        let mut foreign = HashSet::new();
        let entries = std::fs::read_dir(dir).map_err(|err| BuildError::NotWritable {
            dir: dir.to_owned(),
            err,
        })?;
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name != MANIFEST_FILE && name != INDEX_FILE && !owned.contains(&name) {
                foreign.insert(name);
            }
        }
        Ok(CacheDir {
            dir: dir.to_owned(),
            owned,
            foreign,
            created: Vec::new(),
        })
    }

    /// Removes the files this build created; for a build that fails half-way.
    pub fn remove_created(&mut self) {
        for p in self.created.drain(..) {
            let _ = std::fs::remove_file(p);
        }
    }

    /// Removes the objects the earlier build owned that the new manifest does not name.
    pub fn remove_stale(&self, kept: &HashSet<String>) {
        for name in self.owned.difference(kept) {
            let _ = std::fs::remove_file(self.dir.join(name));
        }
    }
}

/// Object files a manifest names that a rebuild may replace: plain `*.o` names inside the
/// directory (a manifest never makes s6c touch a path outside it).
fn owned_objects(m: &Manifest) -> HashSet<String> {
    m.objects
        .iter()
        .map(|o| o.file.clone())
        .filter(|f| !f.contains(['/', '\\']) && f.ends_with(".o") && f != "..")
        .collect()
}

/// Creates and removes a file: a read-only directory fails now, before the compile.
fn probe_writable(dir: &Path) -> Result<(), BuildError> {
    let probe = dir.join(format!(".s6c-probe.{}", std::process::id()));
    let r = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&probe);
    match r {
        Ok(_) => {
            let _ = std::fs::remove_file(&probe);
            Ok(())
        }
        Err(e) if e.kind() == ErrorKind::AlreadyExists => Ok(()),
        Err(err) => Err(BuildError::NotWritable {
            dir: dir.to_owned(),
            err,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_not_a_cache_directory() {
        let d = tempfile::tempdir().unwrap();
        let f = d.path().join("f");
        std::fs::write(&f, b"x").unwrap();
        assert!(matches!(
            CacheDir::prepare(&f),
            Err(BuildError::NotADirectory(_))
        ));
        assert!(matches!(
            CacheDir::prepare(&f.join("sub")),
            Err(BuildError::CreateDir { .. })
        ));
    }

    #[test]
    fn other_files_are_foreign_and_a_foreign_manifest_is_refused() {
        let d = tempfile::tempdir().unwrap();
        std::fs::write(d.path().join("notes.txt"), b"x").unwrap();
        let c = CacheDir::prepare(d.path()).unwrap();
        assert!(c.foreign.contains("notes.txt") && c.owned.is_empty());
        std::fs::write(d.path().join(MANIFEST_FILE), b"my own manifest").unwrap();
        let e = CacheDir::prepare(d.path()).unwrap_err().to_string();
        assert!(e.contains("not an s6 cache manifest"), "{e}");
        assert_eq!(
            std::fs::read(d.path().join(MANIFEST_FILE)).unwrap(),
            b"my own manifest"
        );
    }
}
