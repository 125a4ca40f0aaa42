//! Cache activation: every check that decides whether a cache directory may be used, then the
//! loading of its objects through `s6-loader` and the candidate table the hook binds from. A
//! cache is used whole or not at all: any refusal is one reason string, which the caller prints
//! as the single warning line.

use std::collections::HashMap;
use std::ffi::CString;
use std::os::unix::fs::MetadataExt;
use std::path::Path;
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex};

use s6_loader::LoadedObject;
use s6_profiles::abi::NATIVE_ABI_VERSION;
use s6_profiles::format::{check_manifest_abi, read_manifest};
use s6_profiles::hash::fnv1a64;
use s6_profiles::manifest::{MANIFEST_FILE, Manifest, ObjectEntry};
use s6_profiles::model::AbiStamp;

use super::bind::{ActiveCache, Candidate, Key};
use super::cpy::EntryFn;
use super::exits;
use super::record::FnStats;

/// Objects stay mapped for the rest of the process: after `disable()` a native frame may
/// still be running below the caller, and unmapping its code would crash it.
static KEEP_LOADED: Mutex<Vec<LoadedObject>> = Mutex::new(Vec::new());

/// Refuses paths that another user could have written: group/other-writable, or owned by
/// someone other than us or root.
fn check_owner(path: &Path, what: &str) -> Result<(), String> {
    let meta = std::fs::metadata(path)
        .map_err(|e| format!("cannot read {what} {}: {e}", path.display()))?;
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

/// Reads and checks the manifest of `dir` against the running interpreter.
pub fn check_cache(dir: &Path, abi: &AbiStamp) -> Result<Manifest, String> {
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
    Ok(manifest)
}

/// Reads one object file and checks its name, permissions and hash.
fn read_object(dir: &Path, obj: &ObjectEntry) -> Result<Vec<u8>, String> {
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
    if !path.exists() {
        return Err(format!("object {} is missing", path.display()));
    }
    check_owner(&path, "object")?;
    let bytes =
        std::fs::read(&path).map_err(|e| format!("cannot read object {}: {e}", path.display()))?;
    if fnv1a64(&bytes) != obj.hash {
        return Err(format!(
            "object {} was altered after the cache was built (hash mismatch)",
            path.display()
        ));
    }
    Ok(bytes)
}

/// A `dlsym` handle for the libpython this interpreter runs on (its exported symbols only), or
/// the global namespace for a statically linked interpreter.
fn libpython_handle() -> *mut libc::c_void {
    // SAFETY: dladdr/dlopen are given a code address and a NUL-terminated path; RTLD_NOLOAD
    // only returns a handle to an object that is already loaded.
    unsafe {
        let mut info: libc::Dl_info = std::mem::zeroed();
        let anchor = pyo3::ffi::PyNumber_Add as *const libc::c_void;
        if libc::dladdr(anchor, &mut info) != 0 && !info.dli_fname.is_null() {
            let handle = libc::dlopen(info.dli_fname, libc::RTLD_LAZY | libc::RTLD_NOLOAD);
            if !handle.is_null() {
                return handle;
            }
        }
        libc::RTLD_DEFAULT
    }
}

/// Loads every object of a checked manifest and returns the candidates by code key, plus how
/// many functions were loaded.
pub fn load_cache(dir: &Path, manifest: &Manifest) -> Result<ActiveCache, String> {
    let mut table: HashMap<&'static str, usize> = HashMap::new();
    for (name, addr) in crate::helpers::table()
        .into_iter()
        .chain(exits::exit_helpers())
    {
        table.insert(name, addr);
    }
    let handle = libpython_handle();
    let resolve = |name: &str| -> Option<usize> {
        if let Some(&addr) = table.get(name) {
            return Some(addr);
        }
        let c = CString::new(name).ok()?;
        // SAFETY: `handle` is a valid dlopen handle (or RTLD_DEFAULT); `c` is NUL-terminated.
        let p = unsafe { libc::dlsym(handle, c.as_ptr()) };
        (!p.is_null()).then_some(p as usize)
    };
    // Read and check every object before mapping any: a bad cache maps nothing.
    let mut files = Vec::new();
    for obj in &manifest.objects {
        files.push(read_object(dir, obj)?);
    }
    let mut by_key: HashMap<Key, Arc<Candidate>> = HashMap::new();
    let mut loaded = Vec::new();
    let mut pending = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for (obj, bytes) in manifest.objects.iter().zip(&files) {
        let path = dir.join(&obj.file);
        let object = LoadedObject::load(bytes, &path.to_string_lossy(), &resolve)
            .map_err(|e| format!("cannot load object {}: {e}", path.display()))?;
        let (slots, nslots) = object.bindings_table();
        for func in &obj.functions {
            let addr = object
                .symbol_address(&func.symbol)
                .ok_or_else(|| format!("object {} lacks symbol {}", path.display(), func.symbol))?;
            let mut bindings = Vec::new();
            for b in &func.bindings {
                if (b.slot as usize) >= nslots || slots.is_null() {
                    return Err(format!(
                        "object {}: binding slot {} out of range",
                        path.display(),
                        b.slot
                    ));
                }
                // SAFETY: the slot index was checked against the table's length.
                bindings.push((
                    unsafe { slots.add(b.slot as usize) } as usize,
                    b.binding.clone(),
                ));
            }
            // SAFETY: the symbol is a function emitted with the ABI's entry signature.
            let entry: EntryFn = unsafe { std::mem::transmute::<usize, EntryFn>(addr) };
            let key = &func.key;
            let mut name = format!("{}.{}", key.module, key.qualname);
            if !seen.insert((key.module.clone(), key.qualname.clone())) {
                name = format!("{name}#{}", key.firstlineno);
            }
            pending.push((key.clone(), name, func.exits.clone(), entry, bindings));
        }
        loaded.push(object);
    }
    // Registered only once the whole cache loaded: `functions_loaded` counts usable code.
    for (key, name, exits, entry, bindings) in pending {
        let stats = FnStats::register(name, exits);
        by_key.insert(
            (key.filename, key.module, key.qualname, key.firstlineno),
            Arc::new(Candidate {
                marshal_hash: key.marshal_hash,
                entry,
                bindings,
                stats,
                bound: AtomicBool::new(false),
            }),
        );
    }
    KEEP_LOADED
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .extend(loaded);
    Ok(ActiveCache { by_key })
}
