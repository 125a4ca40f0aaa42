//! A cache directory: the module objects plus the manifest that names them. Objects are written
//! first and the manifest last, each through a temporary file and a rename, so a reader never
//! sees a manifest that points at a missing or half-written object.

use std::path::Path;

use s6_profiles::manifest::ObjectEntry;

use super::EmitError;

/// Writes `bytes` to `dir/name` atomically (temporary file + rename).
pub fn write_atomic(dir: &Path, name: &str, bytes: &[u8]) -> Result<(), EmitError> {
    let tmp = dir.join(format!(".{name}.tmp{}", std::process::id()));
    std::fs::write(&tmp, bytes)?;
    // 0644 whatever the umask: the runtime refuses group- or other-writable objects.
    std::fs::set_permissions(&tmp, std::os::unix::fs::PermissionsExt::from_mode(0o644))?;
    std::fs::rename(&tmp, dir.join(name))?;
    Ok(())
}

/// Object file name for a module: the module name with characters outside `[A-Za-z0-9_.-]`
/// replaced, plus `.o`; `taken` makes names unique within one cache.
pub fn object_file_name(module: &str, taken: &mut std::collections::HashSet<String>) -> String {
    let base: String = module
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "_.-".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    // Never a hidden file: code whose module is unknown (`exec` strings run without
    // `__name__`) gets a visible name.
    let base = if base.is_empty() || base.starts_with('.') {
        format!("_no_module{base}")
    } else {
        base
    };
    let mut name = format!("{base}.o");
    let mut n = 1;
    while !taken.insert(name.clone()) {
        n += 1;
        name = format!("{base}~{n}.o");
    }
    name
}

/// Fills in `ObjectEntry::hash` from the object's bytes and writes the object.
pub fn write_object_file(
    dir: &Path,
    entry: &mut ObjectEntry,
    bytes: &[u8],
) -> Result<(), EmitError> {
    entry.hash = s6_profiles::hash::fnv1a64(bytes);
    write_atomic(dir, &entry.file, bytes)
}
