//! The profiler's state between snapshots: which code objects belong to the profile, their
//! samples and the feedback observed at each site, plus the caches that turn process-local
//! numbers into names. One instance per process, touched only with the GIL held.
//!
//! Code objects are held by *weak* reference: a program can observe when its code objects die
//! (weakref callbacks, a code-extra free function, `gc` counts), and profiling must not change
//! what a program does. So an included code object's key and marshal bytes are taken when it is
//! registered, and when it dies (`reap`, at the next snapshot, or earlier if its address is
//! reused) its record moves to `dead` with its samples and feedback, to be written at exit.

use std::collections::hash_map::Entry;
use std::collections::{BTreeMap, HashMap};

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyTuple, PyWeakrefMethods, PyWeakrefReference};
use s6_profiles::model::{CodeKey, Feedback};
use s6_py311::layout::{cframe, frame, thread_state};

use super::harvest::{self, RawSite};
use super::layout::read;
use super::names::{self, Funcs, Types};
use super::sampler;
use super::unseen;

/// Marshal version for `CodeProfile::marshal` and `CodeKey::marshal_hash`. Version 2 has no
/// back-references: version 4 flags an object for back-reference when its *refcount* is above
/// one, so the same code object marshals differently as closures come and go, and a hash of
/// those bytes would not identify it across processes.
pub const MARSHAL_VERSION: i32 = 2;

pub struct Config {
    pub interval_us: u32,
    pub include_libs: bool,
    /// Code under these directories is library code.
    pub lib_dirs: Vec<String>,
    /// Code under these directories is never profiled (the s6 package itself).
    pub never_dirs: Vec<String>,
    /// The script (absolute `sys.argv[0]` at start-up), whose `__main__.__file__` the
    /// interpreter deletes again before `atexit` handlers run.
    pub main_file: Option<String>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Class {
    Own,
    Library,
    Never,
}

pub struct Site {
    /// Base opcode number.
    pub base_op: u8,
    /// (index into `Profiler::feedbacks`, snapshots that saw it).
    pub seen: Vec<(u32, u32)>,
    /// Observations that could not be named yet (retried later, at the latest at exit).
    pub pending: Vec<(RawSite, u32)>,
}

pub struct CodeInfo {
    /// Weak: see the module doc. Use `live` to reach the object.
    code: Py<PyWeakrefReference>,
    pub module: String,
    /// Part of the profile (own code, or library code when asked); others are callees only.
    pub included: bool,
    pub is_library: bool,
    pub self_samples: u64,
    pub inclusive_samples: u64,
    pub sites: BTreeMap<u32, Site>,
    pub key: Option<(CodeKey, Vec<u8>)>,
    /// The live code units at the last snapshot and what its sites said then: when nothing
    /// changed (no site executed since), the snapshot replays that instead of decoding again.
    pub last_words: Vec<u16>,
    pub last_obs: Vec<(u32, u32)>,
}

impl CodeInfo {
    /// A code object held alive as a callee only; `register` includes it in the profile.
    fn new(code: &Bound<'_, PyAny>, module: &str) -> PyResult<Self> {
        Ok(CodeInfo {
            code: unseen::weak(code)?.unbind(),
            module: module.to_owned(),
            included: false,
            is_library: true,
            self_samples: 0,
            inclusive_samples: 0,
            sites: BTreeMap::new(),
            key: None,
            last_words: Vec::new(),
            last_obs: Vec::new(),
        })
    }

    /// The code object, unless it has died.
    pub fn live<'py>(&self, py: Python<'py>) -> Option<Bound<'py, PyAny>> {
        self.code.bind(py).upgrade()
    }

    /// The qualname of its key, if the key was taken.
    pub fn qualname(&self) -> Option<&str> {
        self.key.as_ref().map(|(k, _)| k.qualname.as_str())
    }
}

pub struct Profiler {
    pub cfg: Config,
    /// Live code objects (as of the last `reap`) by address.
    pub codes: HashMap<usize, CodeInfo>,
    /// Included code objects that died during the run, with their key, samples and feedback.
    pub dead: Vec<CodeInfo>,
    pub types: Types,
    pub funcs: Funcs,
    /// Named feedback, interned: sites count ids, so a snapshot clones no strings.
    pub feedbacks: Vec<Feedback>,
    pub memo: HashMap<(usize, RawSite), u32>,
    classes: HashMap<String, Class>,
    module_files: HashMap<String, String>,
    modules_seen: usize,
    funcs_scanned_at: Option<u32>,
    /// Function versions a forced rescan did not find (searched again only at exit).
    funcs_missing: std::collections::HashSet<u32>,
    pub snapshots: u32,
    /// Samples whose code object was gone (or not ours) by the time of the snapshot.
    pub unattributed: u64,
    pub finished: bool,
    /// Time spent in snapshots (holding the GIL), for `S6_VERBOSE`.
    pub snapshot_time: std::time::Duration,
}

impl Profiler {
    pub fn new(cfg: Config) -> Self {
        Profiler {
            cfg,
            codes: HashMap::new(),
            dead: Vec::new(),
            types: Types::default(),
            funcs: Funcs::default(),
            feedbacks: Vec::new(),
            memo: HashMap::new(),
            classes: HashMap::new(),
            module_files: HashMap::new(),
            modules_seen: 0,
            funcs_scanned_at: None,
            funcs_missing: Default::default(),
            snapshots: 0,
            unattributed: 0,
            finished: false,
            snapshot_time: std::time::Duration::ZERO,
        }
    }

    pub fn classify(&mut self, filename: &str) -> Class {
        if let Some(c) = self.classes.get(filename) {
            return *c;
        }
        let under = |dirs: &[String]| dirs.iter().any(|d| filename.starts_with(d.as_str()));
        let c = if under(&self.cfg.never_dirs) {
            Class::Never
        } else if filename.starts_with('<') || under(&self.cfg.lib_dirs) {
            Class::Library
        } else {
            Class::Own
        };
        self.classes.insert(filename.to_owned(), c);
        c
    }

    /// The code objects that are part of the profile.
    pub fn included_codes(&self) -> Vec<usize> {
        self.codes
            .iter()
            .filter(|(_, c)| c.included)
            .map(|(p, _)| *p)
            .collect()
    }

    /// Site `index` of code object `ptr`, which must exist.
    pub fn site_mut(&mut self, ptr: usize, index: u32) -> &mut Site {
        self.codes
            .get_mut(&ptr)
            .and_then(|c| c.sites.get_mut(&index))
            .expect("site of a registered code object")
    }

    fn wanted(&self, c: Class) -> bool {
        c == Class::Own || (c == Class::Library && self.cfg.include_libs)
    }

    /// Adds `code` (and the code objects nested in its constants) to the profile if it belongs
    /// there, taking its key now (it may die before exit). `module` is the `__name__` of the
    /// globals it runs in, when known.
    pub fn register(&mut self, py: Python<'_>, code: &Bound<'_, PyAny>, module: Option<&str>) {
        let ptr = code.as_ptr() as usize;
        self.forget_if_stale(py, ptr);
        if let Some(info) = self.codes.get_mut(&ptr) {
            if let Some(m) = module.filter(|m| !m.is_empty()) {
                if info.module.is_empty() {
                    info.module = m.to_owned();
                }
                if let Some((k, _)) = info.key.as_mut()
                    && k.module.is_empty()
                {
                    k.module = m.to_owned();
                }
            }
            if info.included {
                return;
            }
        }
        let Ok(filename) = code
            .getattr("co_filename")
            .and_then(|f| f.extract::<String>())
        else {
            return;
        };
        let class = self.classify(&filename);
        if !self.wanted(class) {
            return;
        }
        let module = match module {
            Some(m) => m.to_owned(),
            None => self.module_for_file(py, &filename),
        };
        let info = match self.codes.entry(ptr) {
            Entry::Occupied(e) => e.into_mut(),
            Entry::Vacant(e) => match CodeInfo::new(code, &module) {
                Ok(info) => e.insert(info),
                Err(_) => return,
            },
        };
        info.included = true;
        info.is_library = class == Class::Library;
        // SAFETY: `code` is a live code object (`CodeInfo::new` took it as one); GIL held.
        unsafe { harvest::hasten_warmup(code.as_ptr() as *mut u8) };
        // A code object whose key cannot be taken stays in, counted; it is keyed at exit if
        // it still lives (marshal failing on a live code object is not expected).
        let _ = self.key_of(py, ptr);
        if let Ok(consts) = code.getattr("co_consts")
            && let Ok(consts) = consts.cast_into::<PyTuple>()
        {
            for c in consts.iter() {
                if names::is_code(&c) {
                    self.register(py, &c, Some(&module));
                }
            }
        }
    }

    /// Drops the record at `ptr` if the code object it describes has died (another object may
    /// now live at that address), keeping what it learned if it was part of the profile.
    fn forget_if_stale(&mut self, py: Python<'_>, ptr: usize) {
        if self
            .codes
            .get(&ptr)
            .is_some_and(|info| info.live(py).is_none())
        {
            self.retire(ptr);
            self.memo.retain(|(p, _), _| *p != ptr);
        }
    }

    /// Moves the records of code objects that died since the last look to `dead` (or drops
    /// them, for callees only), so their addresses can be reused. Once per snapshot.
    pub fn reap(&mut self, py: Python<'_>) {
        let gone: std::collections::HashSet<usize> = self
            .codes
            .iter()
            .filter(|(_, info)| info.live(py).is_none())
            .map(|(p, _)| *p)
            .collect();
        if gone.is_empty() {
            return;
        }
        for &ptr in &gone {
            self.retire(ptr);
        }
        self.memo.retain(|(p, _), _| !gone.contains(p));
    }

    /// Removes the (dead) record at `ptr`; an included one goes to `dead`, its unnamed
    /// observations named as well as they can be without the object.
    fn retire(&mut self, ptr: usize) {
        let Some(mut info) = self.codes.remove(&ptr) else {
            return;
        };
        if !info.included {
            return;
        }
        if info.key.is_none() {
            self.unattributed += info.self_samples;
            return;
        }
        for site in info.sites.values_mut() {
            for (raw, n) in std::mem::take(&mut site.pending) {
                if let Some(fb) = self.fallback(&raw) {
                    let id = self.intern(fb);
                    bump(&mut site.seen, id, n);
                }
            }
        }
        info.last_words = Vec::new();
        info.last_obs = Vec::new();
        self.dead.push(info);
    }

    /// The module whose file is `filename` (from `sys.modules`), or "" when none is.
    pub fn module_for_file(&mut self, py: Python<'_>, filename: &str) -> String {
        if !self.module_files.contains_key(filename) {
            self.refresh_module_files(py);
        }
        match self.module_files.get(filename) {
            Some(m) => m.clone(),
            None if self.cfg.main_file.as_deref() == Some(filename) => "__main__".into(),
            // A frozen module's code says which module it is: `<frozen importlib.util>`. Its
            // `__file__` is the source path, so the lookup above cannot find it.
            None => match filename
                .strip_prefix("<frozen ")
                .and_then(|m| m.strip_suffix('>'))
            {
                Some(m) => m.to_owned(),
                None => String::new(),
            },
        }
    }

    fn refresh_module_files(&mut self, py: Python<'_>) {
        for (name, m) in loaded_modules(py) {
            if let Ok(Some(f)) = m.get_item("__file__")
                && let Ok(f) = f.extract::<String>()
            {
                // The script's own name wins over `__main__` only if imported under it too.
                self.module_files.entry(f).or_insert(name);
            }
        }
    }

    /// Lets function versions not found during the run be searched for again (at exit).
    pub fn retry_missing(&mut self) {
        self.funcs_missing.clear();
        self.types.retry_missing();
    }

    /// Registers the functions (and their code) of every loaded module of interest; also the
    /// source of function versions for `CALL_PY_*`. `force` rescans even if no module was added.
    pub fn scan_modules(&mut self, py: Python<'_>, force: bool) {
        let count = sys_modules(py).map_or(0, |m| m.len());
        if !force && count == self.modules_seen {
            return;
        }
        self.modules_seen = count;
        let modules = loaded_modules(py);
        for (name, ns) in modules {
            let file = ns
                .get_item("__file__")
                .ok()
                .flatten()
                .and_then(|f| f.extract::<String>().ok());
            let file = match (file, name == "__main__") {
                (Some(f), _) => f,
                (None, true) => match &self.cfg.main_file {
                    Some(f) => f.clone(),
                    None => continue,
                },
                (None, false) => continue,
            };
            let class = self.classify(&file);
            if !self.wanted(class) {
                continue;
            }
            let mut fns = Vec::new();
            names::functions_in(&ns, 2, &mut fns);
            for f in fns {
                self.funcs.note(&f);
                let m = names::module_of_function(&f);
                self.register(py, &names::function_code(&f), Some(&m));
            }
        }
    }

    /// Makes sure function version `v` is known, rescanning modules at most once per snapshot.
    pub fn find_function(&mut self, py: Python<'_>, v: u32, snapshot: u32) -> bool {
        if !self.funcs.contains(v)
            && !self.funcs_missing.contains(&v)
            && self.funcs_scanned_at != Some(snapshot)
        {
            self.funcs_scanned_at = Some(snapshot);
            self.scan_modules(py, true);
            if !self.funcs.contains(v) {
                self.funcs_missing.insert(v);
            }
        }
        self.funcs.contains(v)
    }

    /// Registers what is on every thread's stack right now: code objects (with the module of
    /// the frame's globals) and the functions running them.
    pub fn walk_stacks(&mut self, py: Python<'_>) {
        let mut found: Vec<(Bound<'_, PyAny>, Bound<'_, PyAny>, Bound<'_, PyAny>)> = Vec::new();
        // SAFETY: the GIL is held, so no thread changes its frame chain while we walk it, and
        // each linked frame holds strong references to its code, function and globals; we take
        // our own references before running any Python code.
        unsafe {
            let interp = pyo3::ffi::PyInterpreterState_Get();
            let mut ts = pyo3::ffi::PyInterpreterState_ThreadHead(interp);
            while !ts.is_null() {
                let cf: *const u8 = read(ts as *const u8, thread_state::CFRAME);
                let mut f: *const u8 = if cf.is_null() {
                    std::ptr::null()
                } else {
                    read(cf, cframe::CURRENT_FRAME)
                };
                let mut depth = 0;
                while !f.is_null() && depth < 4096 {
                    depth += 1;
                    let code: *mut pyo3::ffi::PyObject = read(f, frame::F_CODE);
                    let func: *mut pyo3::ffi::PyObject = read(f, frame::F_FUNC);
                    let globals: *mut pyo3::ffi::PyObject = read(f, frame::F_GLOBALS);
                    if !code.is_null() && !func.is_null() && !globals.is_null() {
                        found.push((
                            Bound::from_borrowed_ptr(py, code),
                            Bound::from_borrowed_ptr(py, func),
                            Bound::from_borrowed_ptr(py, globals),
                        ));
                    }
                    f = read(f, frame::PREVIOUS);
                }
                ts = pyo3::ffi::PyThreadState_Next(ts);
            }
        }
        for (code, func, globals) in found {
            if !names::is_code(&code) {
                continue;
            }
            self.funcs.note(&func);
            let module = globals
                .cast::<PyDict>()
                .ok()
                .and_then(|g| g.get_item("__name__").ok().flatten())
                .and_then(|n| n.extract::<String>().ok());
            self.register(py, &code, module.as_deref());
        }
    }

    /// Moves the sampler's counts onto the code objects they belong to.
    pub fn drain_samples(&mut self, blocked: &sampler::SigprofBlocked) {
        let mut lost = 0;
        let codes = &mut self.codes;
        sampler::drain(blocked, |ptr, s, i| match codes.get_mut(&ptr) {
            Some(info) if info.included => {
                info.self_samples += s;
                info.inclusive_samples += i;
            }
            _ => lost += s,
        });
        self.unattributed += lost;
    }

    /// Reads every profiled code object's caches and records what each site shows now.
    pub fn harvest(&mut self, py: Python<'_>, snapshot: u32) {
        for ptr in self.included_codes() {
            let Some(code) = self.codes[&ptr].live(py) else {
                continue; // died during this snapshot: reaped at the next
            };
            let raws = {
                // SAFETY: `code` is a strong reference to the code object at `ptr`; the GIL is
                // held, and the slice is dropped before any Python code runs.
                let Some(words) = (unsafe { harvest::live_words(code.as_ptr() as *const u8) })
                else {
                    continue;
                };
                let info = self.codes.get_mut(&ptr).expect("harvest: registered code");
                if info.last_words == words {
                    for &(index, id) in &info.last_obs {
                        if let Some(site) = info.sites.get_mut(&index) {
                            bump(&mut site.seen, id, 1);
                        }
                    }
                    continue;
                }
                info.last_words.clear();
                info.last_words.extend_from_slice(words);
                harvest::decode(words)
            };
            let mut replay = Vec::with_capacity(raws.len());
            let mut complete = true;
            for raw in raws {
                let fb = self.translate(py, ptr, &raw, snapshot);
                let base_op = s6_py311::opcodes::base_op(raw.op);
                let Some(info) = self.codes.get_mut(&ptr) else {
                    continue;
                };
                let site = info.sites.entry(raw.index).or_insert_with(|| Site {
                    base_op,
                    seen: Vec::new(),
                    pending: Vec::new(),
                });
                match fb {
                    Some(fb) => {
                        bump(&mut site.seen, fb, 1);
                        replay.push((raw.index, fb));
                    }
                    None => {
                        bump(&mut site.pending, raw, 1);
                        complete = false;
                    }
                }
            }
            if let Some(info) = self.codes.get_mut(&ptr) {
                if complete {
                    info.last_obs = replay;
                } else {
                    // Unnamed observations must be counted raw again: no replay.
                    info.last_words.clear();
                }
            }
        }
    }

    /// The key (and marshal bytes) of a registered code object; computed once, so the same code
    /// object always gets the same key even if it were to marshal differently later.
    pub fn key_of(&mut self, py: Python<'_>, ptr: usize) -> PyResult<CodeKey> {
        let info = self.codes.get(&ptr).expect("key_of: unknown code");
        if let Some((k, _)) = &info.key {
            return Ok(k.clone());
        }
        let Some(code) = info.live(py) else {
            return Err(pyo3::exceptions::PyReferenceError::new_err(
                "code object died before it was keyed",
            ));
        };
        let mut module = info.module.clone();
        let filename: String = code.getattr("co_filename")?.extract()?;
        if module.is_empty() {
            module = self.module_for_file(py, &filename);
        }
        // SAFETY: `code` is a live code object and the GIL is held; the C function returns a
        // new reference to a bytes object, or NULL with an exception set.
        let marshal: Vec<u8> = unsafe {
            Bound::from_owned_ptr_or_err(
                py,
                pyo3::ffi::PyMarshal_WriteObjectToString(code.as_ptr(), MARSHAL_VERSION),
            )?
        }
        .extract()?;
        let key = CodeKey {
            filename,
            module,
            qualname: code.getattr("co_qualname")?.extract()?,
            firstlineno: code.getattr("co_firstlineno")?.extract()?,
            marshal_hash: s6_profiles::hash::marshal_hash(&marshal),
        };
        if let Some(info) = self.codes.get_mut(&ptr) {
            info.key = Some((key.clone(), marshal));
        }
        Ok(key)
    }

    /// Key of a callee's code object (not part of the profile unless it is).
    pub fn callee_key(
        &mut self,
        py: Python<'_>,
        code: &Bound<'_, PyAny>,
        module: &str,
    ) -> PyResult<CodeKey> {
        let ptr = code.as_ptr() as usize;
        self.forget_if_stale(py, ptr);
        if let Entry::Vacant(e) = self.codes.entry(ptr) {
            e.insert(CodeInfo::new(code, module)?);
        }
        self.key_of(py, ptr)
    }
}

pub fn bump<T: PartialEq>(v: &mut Vec<(T, u32)>, item: T, n: u32) {
    match v.iter_mut().find(|(x, _)| *x == item) {
        Some((_, c)) => *c += n,
        None => v.push((item, n)),
    }
}

/// `sys.modules`, read from the `sys` module's dict (`PySys_GetObject`): no import machinery,
/// so no import hook of the program runs.
pub(super) fn sys_modules(py: Python<'_>) -> Option<Bound<'_, PyDict>> {
    // SAFETY: the GIL is held; PySys_GetObject returns a borrowed reference or NULL, and sets
    // no exception.
    let m = unsafe { pyo3::ffi::PySys_GetObject(c"modules".as_ptr()) };
    if m.is_null() {
        return None;
    }
    // SAFETY: a borrowed pointer to a live object, turned into a new strong reference.
    unsafe { Bound::from_borrowed_ptr(py, m) }
        .cast_into::<PyDict>()
        .ok()
}

/// `(name, module __dict__)` of every real module in `sys.modules` (read through the module
/// dict, never `getattr`, which could run a module-level `__getattr__`).
fn loaded_modules(py: Python<'_>) -> Vec<(String, Bound<'_, PyDict>)> {
    let mut out = Vec::new();
    let Some(items) = sys_modules(py).map(|d| d.items()) else {
        return out;
    };
    for item in items.iter() {
        let Ok((name, m)) = item.extract::<(String, Bound<'_, PyAny>)>() else {
            continue;
        };
        if let Ok(m) = m.cast_into::<pyo3::types::PyModule>() {
            out.push((name, m.dict()));
        }
    }
    out
}
