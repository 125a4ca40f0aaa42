//! One object of an active cache, read and loaded the first time one of its functions is about
//! to bind rather than at activation: a cache built with `--include-libs` has hundreds of
//! objects and a process usually needs a few of them. Loading happens inside the PEP 523 hook
//! (GIL held), so it never runs Python code and never touches the error indicator. Its entry is
//! read from the cache index (its blob, checksummed), then its name, permissions and bytes are
//! checked; an object that is missing, unsafe, altered (its bytes do not match the hash its entry
//! pins) or fails to load gives one warning line and is marked failed for good: none of its
//! functions binds and it is never retried. An object's functions are
//! registered for statistics only once all of them resolved, so nothing is ever bound to
//! partially loaded code.

use rustc_hash::FxHashMap;
use std::ffi::CString;
use std::os::unix::fs::FileExt;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use s6_loader::{LoadOptions, LoadedObject, ObjectFile};
use s6_profiles::index::{FLAG_REPEATED, INDEX_FILE, Index, decode_blob_view, object_crc};
use s6_profiles::manifest::Binding;

use super::check_meta;
use crate::evaluator::cpy::EntryFn;
use crate::evaluator::exits;
use crate::evaluator::record::{Blob, ExitTable, FnStats, ObjectExits};

/// Objects stay mapped for the rest of the process: after `disable()` a native frame may
/// still be running below the caller, and unmapping its code would crash it.
static KEEP_LOADED: Mutex<Vec<LoadedObject>> = Mutex::new(Vec::new());

/// Objects named by every cache activated in this process, and objects actually loaded.
static OBJECTS_IN_CACHE: AtomicU64 = AtomicU64::new(0);
static OBJECTS_LOADED: AtomicU64 = AtomicU64::new(0);

/// `(objects_in_cache, objects_loaded)` for the statistics report (whole process).
pub fn object_counts() -> (u64, u64) {
    (
        OBJECTS_IN_CACHE.load(Ordering::Relaxed),
        OBJECTS_LOADED.load(Ordering::Relaxed),
    )
}

/// Counts the objects of a cache that became active.
pub fn count_in_cache(n: usize) {
    OBJECTS_IN_CACHE.fetch_add(n as u64, Ordering::Relaxed);
}

/// One function of a loaded object, ready to bind.
pub struct LoadedFn {
    pub entry: EntryFn,
    /// `(address of the slot, what it must hold)` in the object's binding table.
    pub bindings: Vec<(usize, Binding)>,
    pub stats: &'static FnStats,
}

/// An object of the active cache, loaded the first time one of its functions binds.
pub struct LazyObject {
    dir: PathBuf,
    /// The active cache's index and this object's number in it.
    index: Arc<Index>,
    object: usize,
    /// Taken at activation, so that `S6_GDB`/`S6_PERF` mean what they meant then.
    options: LoadOptions,
    /// Filled once: the functions, or `None` when the object failed (warned about once).
    state: OnceLock<Option<Vec<LoadedFn>>>,
    /// The object's path, once its entry was read (for messages).
    path: OnceLock<PathBuf>,
}

impl LazyObject {
    pub fn new(dir: PathBuf, index: Arc<Index>, object: usize) -> LazyObject {
        // Built now, outside the hook: the helper table and the libpython handle.
        resolver();
        LazyObject {
            dir,
            index,
            object,
            options: LoadOptions::from_env(),
            state: OnceLock::new(),
            path: OnceLock::new(),
        }
    }

    /// What to call the object in messages before its entry is known.
    fn name(&self) -> String {
        match self.path.get() {
            Some(p) => p.display().to_string(),
            None => format!("#{} of cache {}", self.object, self.dir.display()),
        }
    }

    /// Function `index` of this object, loading the object on first call; `None` when the
    /// object failed. Runs no Python code; returns with no lock held.
    pub fn function(&self, index: usize) -> Option<&LoadedFn> {
        let state = self.state.get_or_init(|| {
            let started = std::time::Instant::now();
            let outcome = catch_unwind(AssertUnwindSafe(|| self.load()))
                .unwrap_or_else(|_| Err(format!("loading object {} panicked", self.name())));
            match outcome {
                Ok(functions) => {
                    if crate::evaluator::verbose() {
                        let n = functions.len();
                        say(format_args!(
                            "s6: loaded object {} ({n} function{}) in {:.2} ms",
                            self.name(),
                            if n == 1 { "" } else { "s" },
                            started.elapsed().as_secs_f64() * 1e3
                        ));
                    }
                    Some(functions)
                }
                Err(reason) => {
                    say(format_args!(
                        "s6: warning: {reason}; its functions run in the interpreter"
                    ));
                    None
                }
            }
        });
        state.as_ref()?.get(index)
    }

    /// The object's blob in the index (checked against its CRC when decoded): in the index's
    /// mapping when it holds the whole file, else read from the file.
    fn blob(&self) -> Result<Arc<ObjectExits>, String> {
        let (at, len, crc) = self.index.blob(self.object);
        if self.index.blob_bytes(self.object).is_some() {
            return Ok(ObjectExits::new(
                Blob::Mapped(self.index.clone(), self.object),
                crc,
            ));
        }
        let index_path = self.dir.join(INDEX_FILE);
        let cannot =
            |e: std::io::Error| format!("cannot read cache index {}: {e}", index_path.display());
        let file = std::fs::File::open(&index_path).map_err(cannot)?;
        check_meta(
            &file.metadata().map_err(cannot)?,
            &index_path,
            "cache index",
        )?;
        let mut blob = vec![0u8; len];
        file.read_exact_at(&mut blob, at).map_err(cannot)?;
        Ok(ObjectExits::new(Blob::Read(blob), crc))
    }

    /// Reads, checks, maps and relocates the object, then registers its functions.
    fn load(&self) -> Result<Vec<LoadedFn>, String> {
        let exits = self.blob()?;
        let crc = self.index.blob(self.object).2;
        let view = decode_blob_view(exits.bytes(), crc).map_err(|e| {
            format!(
                "cache index {} {e} (entry of object #{})",
                self.dir.join(INDEX_FILE).display(),
                self.object
            )
        })?;
        let entry = &view.entry;
        let name = Path::new(entry.file);
        let plain_name = matches!(
            name.components().collect::<Vec<_>>()[..],
            [std::path::Component::Normal(_)]
        );
        if !plain_name {
            return Err(format!(
                "cache index names an object outside the cache: {:?}",
                entry.file
            ));
        }
        let path = self.path.get_or_init(|| self.dir.join(name)).clone();
        let repeated: Vec<bool> = self
            .index
            .records_of(self.object)
            .map(|r| r.flags & FLAG_REPEATED != 0)
            .collect();
        let file = open_checked(&path, self.index.object_pin(self.object))?;
        let resolve = |name: &str| resolver().resolve(name);
        let object = LoadedObject::load_file(
            file.file(),
            file.bytes(),
            &path.to_string_lossy(),
            &resolve,
            &self.options,
        )
        .map_err(|e| format!("cannot load object {}: {e}", path.display()))?;
        let (slots, nslots) = object.bindings_table();
        let mut ready = Vec::with_capacity(entry.functions.len());
        for func in &entry.functions {
            let addr = object
                .symbol_address(func.symbol)
                .ok_or_else(|| format!("object {} lacks symbol {}", path.display(), func.symbol))?;
            let mut bindings = Vec::with_capacity(func.bindings.len());
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
            // SAFETY: the symbol is a function emitted with the ABI's entry signature, and its
            // object stays mapped for the rest of the process (KEEP_LOADED below).
            let entry: EntryFn = unsafe { std::mem::transmute::<usize, EntryFn>(addr) };
            ready.push((entry, bindings));
        }
        // Registered only once every function resolved: `functions_loaded` counts usable code.
        // Exit reasons stay in the blob until a report reads them.
        let functions = ready
            .into_iter()
            .zip(entry.functions.iter().zip(&view.exit_counts))
            .enumerate()
            .zip(repeated.iter().chain(std::iter::repeat(&false)))
            .map(|((i, ((entry, bindings), (func, &count))), &repeated)| {
                let key = &func.key;
                let mut name = format!("{}.{}", key.module, key.qualname);
                if repeated {
                    name = format!("{name}#{}", key.firstlineno);
                }
                LoadedFn {
                    entry,
                    bindings,
                    stats: FnStats::register(
                        name,
                        ExitTable::Object {
                            exits: exits.clone(),
                            function: i,
                            count: count as usize,
                        },
                    ),
                }
            })
            .collect();
        KEEP_LOADED
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(object);
        OBJECTS_LOADED.fetch_add(1, Ordering::Relaxed);
        Ok(functions)
    }
}

/// One line on stderr (fd 2, not `sys.stderr`: no Python may run here). Unlike `eprintln!`, a
/// stderr that cannot be written (a closed pipe) is ignored rather than a panic in the hook.
fn say(line: std::fmt::Arguments<'_>) {
    use std::io::Write;
    // One write, so that the line is not interleaved with other output.
    let _ = std::io::stderr().write_all(format!("{line}\n").as_bytes());
}

/// The object file, mapped, checked against its permissions (of the file actually opened) and
/// the length and CRC the index pins it with.
fn open_checked(path: &std::path::Path, (len, crc): (u64, u64)) -> Result<ObjectFile, String> {
    let cannot = |e: std::io::Error| format!("cannot read object {}: {e}", path.display());
    let file = match ObjectFile::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(format!("object {} is missing", path.display()));
        }
        Err(e) => return Err(cannot(e)),
    };
    check_meta(&file.file().metadata().map_err(cannot)?, path, "object")?;
    let bytes = file.bytes();
    if bytes.len() as u64 != len || object_crc(bytes) != crc {
        return Err(format!(
            "object {} was altered after the cache was built (hash mismatch)",
            path.display()
        ));
    }
    Ok(file)
}

/// Where undefined symbols of an object point: the runtime's helpers, then libpython's exports.
struct Resolver {
    helpers: FxHashMap<&'static str, usize>,
    /// `dlopen` handle of libpython (or `RTLD_DEFAULT`), as an address so that it is `Sync`.
    libpython: usize,
    /// libpython's answers so far: every object imports mostly the same few hundred names, and
    /// `dlsym` walks the dynamic symbol table each time.
    found: Mutex<FxHashMap<String, Option<usize>>>,
}

impl Resolver {
    fn resolve(&self, name: &str) -> Option<usize> {
        if let Some(&addr) = self.helpers.get(name) {
            return Some(addr);
        }
        let mut found = self.found.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(&addr) = found.get(name) {
            return addr;
        }
        let c = CString::new(name).ok()?;
        // SAFETY: `libpython` is a valid dlopen handle (or RTLD_DEFAULT); `c` is NUL-terminated.
        let p = unsafe { libc::dlsym(self.libpython as *mut libc::c_void, c.as_ptr()) };
        let addr = (!p.is_null()).then_some(p as usize);
        found.insert(name.to_owned(), addr);
        addr
    }
}

fn resolver() -> &'static Resolver {
    static RESOLVER: OnceLock<Resolver> = OnceLock::new();
    RESOLVER.get_or_init(|| Resolver {
        helpers: crate::helpers::table()
            .into_iter()
            .chain(exits::exit_helpers())
            .collect(),
        libpython: libpython_handle() as usize,
        found: Mutex::new(FxHashMap::default()),
    })
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

#[cfg(test)]
mod tests {
    use s6_profiles::manifest::{FunctionEntry, Manifest, ObjectEntry};
    use s6_profiles::model::{AbiStamp, CodeKey};

    use super::*;
    use crate::evaluator::record;

    /// A cache directory (manifest and index) whose one object `m.o` was built as `built`
    /// and now holds `now` (absent: `None`); returns its directory and index.
    fn cache(name: &str, now: Option<&[u8]>, built: &[u8]) -> (PathBuf, Arc<Index>) {
        let dir = std::env::temp_dir().join(format!("s6-lazy-{}-{name}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("m.o"), built).unwrap();
        let manifest = Manifest {
            abi: AbiStamp {
                python_version: "3.11".into(),
                hexversion: 0,
                bytecode_magic: 0,
                build_id: String::new(),
            },
            native_abi: 1,
            objects: vec![ObjectEntry {
                file: "m.o".into(),
                hash: 0,
                module: "m".into(),
                source: "m.py".into(),
                binding_slots: 0,
                functions: vec![FunctionEntry {
                    key: CodeKey {
                        filename: "m.py".into(),
                        module: "lazy_m".into(),
                        qualname: "lazy_f".into(),
                        firstlineno: 1,
                        marshal_hash: 0,
                    },
                    symbol: "s6::m.f".into(),
                    bindings: Vec::new(),
                    exits: Vec::new(),
                    code_units: 3,
                }],
            }],
        };
        s6_profiles::format::write_manifest(&dir.join("manifest.s6m"), &manifest).unwrap();
        match now {
            Some(b) => std::fs::write(dir.join("m.o"), b).unwrap(),
            None => std::fs::remove_file(dir.join("m.o")).unwrap(),
        }
        let bytes = std::fs::read(dir.join(INDEX_FILE)).unwrap();
        let len = Index::lookup_len(&bytes).unwrap();
        let index = Index::parse(bytes[..len].to_vec()).unwrap();
        (dir, Arc::new(index))
    }

    #[test]
    fn an_altered_object_fails_and_loads_nothing() {
        // (That it is never retried, with one warning, is checked end to end by
        // tests/test_runtime_badcache.py: two functions of one altered object.)
        let (dir, index) = cache("altered", Some(b"not the built bytes"), b"x");
        let object = LazyObject::new(dir.clone(), index, 0);
        let loaded_before = object_counts().1;
        assert!(object.function(0).is_none());
        assert!(object.function(0).is_none());
        assert_eq!(object_counts().1, loaded_before);
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn an_object_that_does_not_load_registers_nothing() {
        // The hash matches, but the bytes are no ELF object: the loader refuses them.
        let bytes = b"\x7fELF but not really";
        let (dir, index) = cache("garbage", Some(bytes), bytes);
        let object = LazyObject::new(dir.clone(), index, 0);
        let before = record::all_functions().len();
        assert!(object.function(0).is_none());
        // The name it would register under (`module.qualname` of its key): unique to this
        // test, so tests registering functions concurrently cannot make this fail.
        assert!(
            record::all_functions()
                .iter()
                .skip(before)
                .all(|f| f.name != "lazy_m.lazy_f")
        );
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn a_missing_object_fails_at_first_need() {
        let (dir, index) = cache("none", None, b"x");
        let object = LazyObject::new(dir.clone(), index, 0);
        assert!(object.function(0).is_none());
        std::fs::remove_dir_all(dir).unwrap();
    }
}
