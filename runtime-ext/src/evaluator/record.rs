//! What a code object's `co_extra` slot holds once its one decision is made, and the
//! per-function counters behind `S6_STATS`. The slot holds either a pointer to a leaked
//! [`NativeFn`] (even) or the tagged marker `generation << 1 | 1` for "no native code"; both
//! carry the activation generation, so `disable()` + `enable()` re-decides every code object
//! without touching them.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use s6_profiles::index::Index;
use s6_profiles::manifest::{ExitKind, ExitSite};

use super::cpy::EntryFn;

/// Bumped by every `enable()`: decisions of an older generation are stale. Generated code
/// reads it through the data symbol `abi::direct::GENERATION`.
pub(crate) static GENERATION: AtomicU64 = AtomicU64::new(1);

/// Every function that was given native code in this process (stats outlive `disable()`).
static FUNCTIONS: Mutex<Vec<&'static FnStats>> = Mutex::new(Vec::new());

pub fn generation() -> u64 {
    GENERATION.load(Ordering::Relaxed)
}

pub fn next_generation() -> u64 {
    GENERATION.fetch_add(1, Ordering::Relaxed) + 1
}

/// A native entry bound to one code object. Generated code reads the first fields directly
/// (the layout is `s6_profiles::abi::direct`'s), to call a callee's native code without the
/// hook.
#[repr(C)]
pub struct NativeFn {
    /// The activation generation it was bound in, or [`RETIRED`] once its exits passed the
    /// deopt limit (generated code then sees a stale record and calls through the hook).
    pub generation: AtomicU64,
    pub entry: EntryFn,
    pub stats: &'static FnStats,
    /// Positional arguments a direct call passes (the code's `co_argcount`), or `u32::MAX`
    /// when its code cannot be called directly (see `direct::simple`).
    pub direct_argcount: u32,
    /// Words of its frame on the data stack: locals, cells, value stack, specials.
    pub frame_words: u32,
    /// `co_nlocalsplus`.
    pub nlocalsplus: u32,
    /// Instruction indices the test-only native bodies need (`_test_attach`); unused otherwise.
    pub points: Vec<u32>,
    /// The generation in which it was retired (0: never).
    pub retired_in: AtomicU64,
    /// Its code's exception table, parsed once (`None` if it does not parse): the exits ask it
    /// for every exception native code raises, and parsers raise hundreds of thousands.
    pub handlers: Option<Box<[s6_py311::exceptions::Handler]>>,
}

/// `NativeFn::generation` of a retired function: no activation reaches it.
pub const RETIRED: u64 = u64::MAX;

const _: () = {
    use s6_profiles::abi::direct as d;
    assert!(std::mem::offset_of!(NativeFn, generation) as i32 == d::NATIVE_GENERATION);
    assert!(std::mem::offset_of!(NativeFn, entry) as i32 == d::NATIVE_ENTRY);
    assert!(std::mem::offset_of!(NativeFn, stats) as i32 == d::NATIVE_STATS);
    assert!(std::mem::offset_of!(NativeFn, direct_argcount) as i32 == d::NATIVE_ARGCOUNT);
    assert!(std::mem::offset_of!(NativeFn, frame_words) as i32 == d::NATIVE_FRAME_WORDS);
    assert!(std::mem::offset_of!(NativeFn, nlocalsplus) as i32 == d::NATIVE_NLOCALSPLUS);
    assert!(std::mem::offset_of!(FnStats, native_entries) as i32 == d::STATS_NATIVE_ENTRIES);
};

impl NativeFn {
    /// The record for `co`'s native `entry`, with the direct-call facts of its code.
    ///
    /// # Safety
    /// GIL held; `co` a live code object.
    pub unsafe fn new(
        co: *mut pyo3::ffi::PyObject,
        entry: EntryFn,
        stats: &'static FnStats,
        points: Vec<u32>,
    ) -> NativeFn {
        // SAFETY: per the contract.
        let (direct_argcount, frame_words, nlocalsplus) = unsafe { super::direct::frame_facts(co) };
        // SAFETY: `co` is a live code object.
        let table = unsafe { super::cpy::co_exceptiontable(co) };
        let handlers = s6_py311::exceptions::parse(table)
            .ok()
            .map(Vec::into_boxed_slice);
        NativeFn {
            generation: AtomicU64::new(generation()),
            entry,
            stats,
            direct_argcount,
            frame_words,
            nlocalsplus,
            points,
            retired_in: AtomicU64::new(0),
            handlers,
        }
    }

    /// The handler covering the instruction at code unit `index`, as ceval's
    /// `get_exception_handler` finds it (the last entry starting at or before `index`, if it
    /// covers it: the table is sorted and its ranges do not overlap); `Err` for a table that
    /// does not parse.
    pub fn handler_at(&self, index: u32) -> Result<Option<s6_py311::exceptions::Handler>, ()> {
        let table = self.handlers.as_deref().ok_or(())?;
        let after = table.partition_point(|h| h.start <= index);
        Ok(after
            .checked_sub(1)
            .map(|k| table[k])
            .filter(|h| index < h.end))
    }

    /// Stops entering this native code for the rest of the activation: every later call of
    /// the code object runs in the interpreter (counted as `generic_entries`), from the hook
    /// and from generated direct calls alike.
    pub fn retire(&self, why: String) {
        *self.stats.retired.lock().unwrap_or_else(|e| e.into_inner()) = Some(why);
        self.retired_in.store(generation(), Ordering::Relaxed);
        self.generation.store(RETIRED, Ordering::Relaxed);
    }
}

/// The decoded content of a `co_extra` slot.
pub enum Decision {
    /// Nothing decided for the current generation yet.
    Undecided,
    NoNative,
    Native(&'static NativeFn),
    /// Native code retired in this generation (see [`NativeFn::retire`]).
    Retired(&'static NativeFn),
}

pub fn encode_no_native() -> usize {
    ((generation() as usize) << 1) | 1
}

pub fn encode_native(f: NativeFn) -> usize {
    let leaked: &'static NativeFn = Box::leak(Box::new(f));
    leaked as *const NativeFn as usize
}

#[inline(always)]
pub fn decode(slot: usize) -> Decision {
    if slot == 0 {
        return Decision::Undecided;
    }
    let current = generation();
    if slot & 1 == 1 {
        return if (slot >> 1) as u64 == current {
            Decision::NoNative
        } else {
            Decision::Undecided
        };
    }
    // SAFETY: even non-zero slots are only ever written by `encode_native`, whose boxes are
    // leaked and so live for the rest of the process.
    let native = unsafe { &*(slot as *const NativeFn) };
    let g = native.generation.load(Ordering::Relaxed);
    if g == current {
        Decision::Native(native)
    } else if g == RETIRED && native.retired_in.load(Ordering::Relaxed) == current {
        Decision::Retired(native)
    } else {
        Decision::Undecided
    }
}

/// The exit sites of every function of one loaded object, as the cache index's blob of the
/// object holds them: decoded only when a statistics report reads them, so that loading an
/// object does not make a string for each of its (thousands of) exit reasons.
pub struct ObjectExits {
    blob: Blob,
    crc: u32,
    decoded: OnceLock<Vec<Vec<ExitSite>>>,
}

/// Where an object's blob is: in the active index's mapping (kept alive here), or read.
pub enum Blob {
    Mapped(Arc<Index>, usize),
    Read(Vec<u8>),
}

impl ObjectExits {
    /// The object's blob, to be checked against `crc` when decoded.
    pub fn new(blob: Blob, crc: u32) -> Arc<ObjectExits> {
        Arc::new(ObjectExits {
            blob,
            crc,
            decoded: OnceLock::new(),
        })
    }

    /// The blob's bytes.
    pub fn bytes(&self) -> &[u8] {
        match &self.blob {
            Blob::Mapped(index, object) => index.blob_bytes(*object).unwrap_or(&[]),
            Blob::Read(bytes) => bytes,
        }
    }

    fn function(&self, function: usize) -> &[ExitSite] {
        let all = self.decoded.get_or_init(|| {
            s6_profiles::index::decode_blob(self.bytes(), self.crc)
                .map(|e| e.functions.into_iter().map(|f| f.exits).collect())
                .unwrap_or_default()
        });
        all.get(function).map_or(&[], Vec::as_slice)
    }
}

/// Where a function's exit table comes from.
pub enum ExitTable {
    /// Given whole (functions with hand-written native bodies, tests).
    Given(Vec<ExitSite>),
    /// Function `function` of a loaded object's table, with `count` sites.
    Object {
        exits: Arc<ObjectExits>,
        function: usize,
        count: usize,
    },
}

impl ExitTable {
    fn len(&self) -> usize {
        match self {
            ExitTable::Given(v) => v.len(),
            ExitTable::Object { count, .. } => *count,
        }
    }
}

/// Counters of one native function, named `module.qualname` (plus `#line` for a redefinition).
/// `native_entries` comes first: direct calls from generated code count it.
#[repr(C)]
pub struct FnStats {
    pub native_entries: AtomicU64,
    pub name: String,
    exits: ExitTable,
    pub deopts: AtomicU64,
    pub errors_to_interpreter: AtomicU64,
    /// Count per exit site, parallel to `exits`.
    pub exit_counts: Vec<AtomicU64>,
    /// Exits with an out-of-range `exit_site` or forced by `S6_DEOPT_STRESS` at entry, by
    /// (instruction index, kind, reason).
    pub other_exits: Mutex<BTreeMap<(u32, &'static str, String), u64>>,
    /// Entries seen by the `S6_DEOPT_STRESS` entry rule (see `exits`).
    pub stress_entries: AtomicU64,
    /// Calls that ran in the interpreter because the function was retired.
    pub generic_entries: AtomicU64,
    /// Exceptions that left the function with no handler of its own, unwound without the
    /// interpreter (not in `errors_to_interpreter`).
    pub exceptions_unwound: AtomicU64,
    /// Exceptions a handler of the function caught in native code (`exits::s6_rt_catch`).
    pub exceptions_caught: AtomicU64,
    /// Why it was retired, once it is.
    pub retired: Mutex<Option<String>>,
}

impl FnStats {
    /// Registers a new function for the statistics and returns it for the rest of the process.
    pub fn register(name: String, exits: ExitTable) -> &'static FnStats {
        let exit_counts = (0..exits.len()).map(|_| AtomicU64::new(0)).collect();
        let stats: &'static FnStats = Box::leak(Box::new(FnStats {
            name,
            exits,
            native_entries: AtomicU64::new(0),
            deopts: AtomicU64::new(0),
            errors_to_interpreter: AtomicU64::new(0),
            exit_counts,
            other_exits: Mutex::new(BTreeMap::new()),
            stress_entries: AtomicU64::new(0),
            generic_entries: AtomicU64::new(0),
            exceptions_unwound: AtomicU64::new(0),
            exceptions_caught: AtomicU64::new(0),
            retired: Mutex::new(None),
        }));
        FUNCTIONS
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(stats);
        stats
    }

    /// The function's exit sites, indexed by `exit_site` (decoded on first use for a loaded
    /// object's function).
    pub fn exits(&self) -> &[ExitSite] {
        match &self.exits {
            ExitTable::Given(v) => v,
            ExitTable::Object {
                exits, function, ..
            } => exits.function(*function),
        }
    }

    /// Counts one exit to the interpreter; `throwflag` decides deopt vs error.
    pub fn count_exit(&self, site: u32, next_index: u32, throwflag: bool) {
        let counter = if throwflag {
            &self.errors_to_interpreter
        } else {
            &self.deopts
        };
        counter.fetch_add(1, Ordering::Relaxed);
        match self.exit_counts.get(site as usize) {
            Some(c) => {
                c.fetch_add(1, Ordering::Relaxed);
            }
            None => {
                let index = if throwflag {
                    next_index.saturating_sub(1)
                } else {
                    next_index
                };
                let kind = if throwflag { "error" } else { "deopt" };
                self.count_other(index, kind, format!("unknown exit site {site}"));
            }
        }
    }

    /// Counts one exception unwound natively at exit site `site`.
    pub fn count_unwound(&self, site: u32) {
        self.exceptions_unwound.fetch_add(1, Ordering::Relaxed);
        if let Some(c) = self.exit_counts.get(site as usize) {
            c.fetch_add(1, Ordering::Relaxed);
        }
    }

    /// Counts one exception caught natively at exit site `site`.
    pub fn count_caught(&self, site: u32) {
        self.exceptions_caught.fetch_add(1, Ordering::Relaxed);
        if let Some(c) = self.exit_counts.get(site as usize) {
            c.fetch_add(1, Ordering::Relaxed);
        }
    }

    pub fn count_other(&self, index: u32, kind: &'static str, reason: String) {
        let mut other = self.other_exits.lock().unwrap_or_else(|e| e.into_inner());
        *other.entry((index, kind, reason)).or_insert(0) += 1;
    }
}

/// A snapshot of every registered function, for the statistics report.
pub fn all_functions() -> Vec<&'static FnStats> {
    FUNCTIONS.lock().unwrap_or_else(|e| e.into_inner()).clone()
}

/// The kind of an exit site, as text for the report.
pub fn kind_text(kind: ExitKind) -> &'static str {
    match kind {
        ExitKind::Deopt => "deopt",
        ExitKind::Error => "error",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    unsafe extern "C" fn never(
        _: *mut pyo3::ffi::PyThreadState,
        _: *mut pyo3::ffi::_PyInterpreterFrame,
    ) -> *mut pyo3::ffi::PyObject {
        std::ptr::null_mut()
    }

    /// A record of `never` for `stats`, with `handlers` as its parsed exception table.
    fn record_of(
        stats: &'static FnStats,
        handlers: Option<Box<[s6_py311::exceptions::Handler]>>,
    ) -> NativeFn {
        NativeFn {
            generation: AtomicU64::new(generation()),
            entry: never,
            stats,
            direct_argcount: u32::MAX,
            frame_words: 0,
            nlocalsplus: 0,
            points: vec![],
            retired_in: AtomicU64::new(0),
            handlers,
        }
    }

    /// A 3.11 exception-table entry: start, size, target, depth << 1 | lasti, each a 6-bit
    /// group varint (bit 6: more follows), the first byte marked with bit 7.
    fn entry(out: &mut Vec<u8>, h: [u32; 4]) {
        for (k, v) in h.into_iter().enumerate() {
            let mut groups = vec![(v & 63) as u8];
            let mut rest = v >> 6;
            while rest != 0 {
                groups.push((rest & 63) as u8 | 64);
                rest >>= 6;
            }
            groups.reverse();
            if k == 0 {
                groups[0] |= 128;
            }
            out.extend(groups);
        }
    }

    #[test]
    fn parsed_handler_lookup_matches_the_tables_bytes() {
        let mut table = Vec::new();
        for (start, size, target, dl) in [(2, 8, 40, 2), (12, 3, 50, 3), (15, 100, 200, 4)] {
            entry(&mut table, [start, size, target, dl]);
        }
        let stats = FnStats::register("m.h".into(), ExitTable::Given(Vec::new()));
        let handlers = s6_py311::exceptions::parse(&table).ok();
        let record = record_of(stats, handlers.map(Vec::into_boxed_slice));
        for index in 0..130 {
            let want = s6_py311::exceptions::lookup(&table, index).unwrap();
            assert_eq!(record.handler_at(index).unwrap(), want, "index {index}");
        }
        assert_eq!(record.handler_at(12).unwrap().unwrap().target, 50);
        assert!(record.handler_at(10).unwrap().is_none());
    }

    #[test]
    fn decisions_expire_with_their_generation() {
        assert!(matches!(decode(0), Decision::Undecided));
        let none = encode_no_native();
        assert!(matches!(decode(none), Decision::NoNative));
        let stats = FnStats::register("m.f".into(), ExitTable::Given(Vec::new()));
        let record = || record_of(stats, None);
        let native = encode_native(record());
        assert_eq!(native & 1, 0);
        assert!(matches!(decode(native), Decision::Native(n) if n.stats.name == "m.f"));
        next_generation();
        assert!(matches!(decode(none), Decision::Undecided));
        assert!(matches!(decode(native), Decision::Undecided));
        // Retired: for the rest of its generation only.
        let native = encode_native(record());
        let Decision::Native(n) = decode(native) else {
            panic!("not native")
        };
        n.retire("test".into());
        assert!(matches!(decode(native), Decision::Retired(_)));
        next_generation();
        assert!(matches!(decode(native), Decision::Undecided));
    }

    #[test]
    fn exits_are_counted_by_site_and_kind() {
        let exits = vec![ExitSite {
            index: 7,
            kind: ExitKind::Deopt,
            reason: "guard".into(),
        }];
        let stats = FnStats::register("m.g".into(), ExitTable::Given(exits));
        stats.count_exit(0, 7, false);
        stats.count_exit(5, 10, true);
        assert_eq!(stats.deopts.load(Ordering::Relaxed), 1);
        assert_eq!(stats.errors_to_interpreter.load(Ordering::Relaxed), 1);
        assert_eq!(stats.exit_counts[0].load(Ordering::Relaxed), 1);
        let other = stats.other_exits.lock().unwrap();
        assert_eq!(
            other.get(&(9, "error", "unknown exit site 5".to_string())),
            Some(&1)
        );
    }
}
