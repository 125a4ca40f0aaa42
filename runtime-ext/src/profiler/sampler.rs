//! Hotness by sampling: `setitimer(ITIMER_PROF)` delivers SIGPROF every `interval` of process
//! CPU time, and the handler walks the interrupted thread's Python frames.
//!
//! Why a CPU-time signal: it costs nothing while the program sleeps or waits, it lands on the
//! thread that is burning CPU (the kernel targets the running thread), and it needs neither a
//! PEP 523 hook nor `sys.setprofile`, both of which stop CPython from specializing.
//!
//! The handler is async-signal-safe: no allocation, no locks, no C API beyond two plain loads
//! (`PyGILState_GetThisThreadState`, `_PyThreadState_UncheckedGet`). It samples only when the
//! interrupted thread holds the GIL (its tstate is the runtime's current one), so the frame
//! chain it walks belongs to the thread it interrupted and cannot change under it. It counts
//! `self` (top complete frame) and `inclusive` (each distinct code once per sample) into a
//! fixed lock-free open-addressing table keyed by the `PyCodeObject *`. Snapshots ([`drain`])
//! run with the GIL held and SIGPROF blocked, move the counts out and clear the table, so a code
//! object freed and its address reused inside one snapshot interval is the only way samples can
//! be misattributed (at most one interval's worth); pointers are never dereferenced after the
//! handler returns unless the snapshot holds that code object alive.
//!
//! Installed with `SA_RESTART`; a previous SIGPROF handler is chained to and restored at stop.
//! If the program already has `ITIMER_PROF` armed we do not sample (the caller warns).
//!
//! Resolution: Linux advances process CPU timers on the scheduler tick, so the effective
//! interval is at least one tick (4 ms at HZ=250, measured here: ~250 samples per CPU second at a
//! requested 1000 us). Shares of samples are unaffected; `samples x interval` underestimates CPU
//! time by that factor. Measured cost of one walk: ~20 ns for 1 frame, ~200 ns for 100 frames
//! (`_sampler_cost_ns`), plus the kernel's signal delivery (about a microsecond).

use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, AtomicUsize, Ordering::Relaxed};

use s6_py311::layout::{cframe, code, frame, object, thread_state};

use super::layout::read;

const SLOTS: usize = 4096;
/// Frames walked per sample at most (deeper stacks are truncated).
const MAX_DEPTH: usize = 2048;
/// Distinct code objects per sample for the inclusive count (beyond: not counted).
const MAX_DISTINCT: usize = 128;

struct Slot {
    code: AtomicUsize,
    self_hits: AtomicU32,
    incl_hits: AtomicU32,
}

#[allow(
    clippy::declare_interior_mutable_const,
    reason = "only the repeat operand of TABLE's initializer: each slot is its own copy"
)]
const EMPTY: Slot = Slot {
    code: AtomicUsize::new(0),
    self_hits: AtomicU32::new(0),
    incl_hits: AtomicU32::new(0),
};
static TABLE: [Slot; SLOTS] = [EMPTY; SLOTS];

static ACTIVE: AtomicBool = AtomicBool::new(false);
/// Every SIGPROF while active, including those that found no Python frame to attribute.
static TOTAL: AtomicU64 = AtomicU64::new(0);
/// Samples lost because the table was full.
static DROPPED: AtomicU64 = AtomicU64::new(0);
static PREVIOUS: OnceLock<libc::sigaction> = OnceLock::new();
static INSTALLED: AtomicBool = AtomicBool::new(false);

unsafe extern "C" {
    fn _PyThreadState_UncheckedGet() -> *mut pyo3::ffi::PyThreadState;
}

/// Why sampling could not start.
#[derive(Debug)]
pub enum StartError {
    /// The program (or a tool around it) already uses `ITIMER_PROF`.
    TimerInUse,
    Os(&'static str, std::io::Error),
}

impl std::fmt::Display for StartError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StartError::TimerInUse => write!(f, "ITIMER_PROF is already in use; not sampling"),
            StartError::Os(what, e) => write!(f, "{what}: {e}"),
        }
    }
}

fn itimer(interval_us: u32) -> libc::itimerval {
    let tv = libc::timeval {
        tv_sec: (interval_us / 1_000_000) as libc::time_t,
        tv_usec: (interval_us % 1_000_000) as libc::suseconds_t,
    };
    libc::itimerval {
        it_interval: tv,
        it_value: tv,
    }
}

/// Installs the handler and arms the timer.
pub fn start(interval_us: u32) -> Result<(), StartError> {
    // SAFETY: getitimer/sigaction/setitimer with valid, initialised out-parameters; the handler
    // we install is async-signal-safe (see the module docs).
    unsafe {
        let mut cur: libc::itimerval = std::mem::zeroed();
        if libc::getitimer(libc::ITIMER_PROF, &mut cur) != 0 {
            return Err(StartError::Os("getitimer", std::io::Error::last_os_error()));
        }
        if cur.it_value.tv_sec != 0 || cur.it_value.tv_usec != 0 {
            return Err(StartError::TimerInUse);
        }
        if !INSTALLED.swap(true, Relaxed) {
            let mut act: libc::sigaction = std::mem::zeroed();
            act.sa_sigaction = on_sigprof as *const () as usize;
            act.sa_flags = libc::SA_SIGINFO | libc::SA_RESTART;
            libc::sigemptyset(&mut act.sa_mask);
            let mut prev: libc::sigaction = std::mem::zeroed();
            if libc::sigaction(libc::SIGPROF, &act, &mut prev) != 0 {
                INSTALLED.store(false, Relaxed);
                return Err(StartError::Os("sigaction", std::io::Error::last_os_error()));
            }
            let _ = PREVIOUS.set(prev);
        }
        ACTIVE.store(true, Relaxed);
        let it = itimer(interval_us.max(1));
        if libc::setitimer(libc::ITIMER_PROF, &it, std::ptr::null_mut()) != 0 {
            ACTIVE.store(false, Relaxed);
            return Err(StartError::Os("setitimer", std::io::Error::last_os_error()));
        }
    }
    Ok(())
}

/// Disarms the timer and stops counting. The previous handler is restored only when it was a
/// real handler: with SIG_DFL restored, a SIGPROF already in flight for another thread would
/// kill the process, so ours stays installed as a no-op instead.
pub fn stop() {
    ACTIVE.store(false, Relaxed);
    // SAFETY: disarming a timer and reinstalling a handler we saved earlier.
    unsafe {
        let zero = itimer(0);
        libc::setitimer(libc::ITIMER_PROF, &zero, std::ptr::null_mut());
        // Only if ours is still the handler: the program may have installed its own since.
        let mut cur: libc::sigaction = std::mem::zeroed();
        libc::sigaction(libc::SIGPROF, std::ptr::null(), &mut cur);
        if let Some(prev) = PREVIOUS.get()
            && cur.sa_sigaction == on_sigprof as *const () as usize
            && prev.sa_sigaction != libc::SIG_DFL
            && prev.sa_sigaction != libc::SIG_IGN
        {
            libc::sigaction(libc::SIGPROF, prev, std::ptr::null_mut());
        }
    }
}

/// Stops counting without touching the timer (the child of a `fork`, whose timer is not
/// inherited, must not count or write anything).
pub fn deactivate() {
    ACTIVE.store(false, Relaxed);
}

pub fn total_samples() -> u64 {
    TOTAL.load(Relaxed)
}

pub fn dropped_samples() -> u64 {
    DROPPED.load(Relaxed)
}

extern "C" fn on_sigprof(sig: libc::c_int, info: *mut libc::siginfo_t, ctx: *mut libc::c_void) {
    // SAFETY: errno is thread-local; we restore it so the interrupted code never sees our calls.
    let errno = unsafe { *libc::__errno_location() };
    if ACTIVE.load(Relaxed) {
        TOTAL.fetch_add(1, Relaxed);
        // SAFETY: see `sample`.
        unsafe { sample() };
    }
    if let Some(prev) = PREVIOUS.get() {
        let h = prev.sa_sigaction;
        if h != libc::SIG_DFL && h != libc::SIG_IGN {
            // SAFETY: `h` is the handler that was installed before ours, called the way its
            // flags say it expects.
            unsafe {
                if prev.sa_flags & libc::SA_SIGINFO != 0 {
                    let f: extern "C" fn(libc::c_int, *mut libc::siginfo_t, *mut libc::c_void) =
                        std::mem::transmute(h);
                    f(sig, info, ctx);
                } else {
                    let f: extern "C" fn(libc::c_int) = std::mem::transmute(h);
                    f(sig);
                }
            }
        }
    }
    // SAFETY: as above.
    unsafe { *libc::__errno_location() = errno };
}

/// Walks the current thread's frames if it holds the GIL and counts them.
///
/// # Safety
/// Must run on the thread being sampled (signal handler, or a caller holding the GIL). Frame
/// and code pointers are read only while the frame is linked into the thread's chain, which
/// keeps its code object alive; each `f_code` is type-checked before its fields are read.
pub unsafe fn sample() {
    // SAFETY: both are plain loads of thread-specific / runtime state, safe in a handler.
    let ts = unsafe { pyo3::ffi::PyGILState_GetThisThreadState() };
    // SAFETY: as above: a plain load of the runtime's current tstate.
    if ts.is_null() || ts != unsafe { _PyThreadState_UncheckedGet() } {
        return;
    }
    let ts = ts as *const u8;
    // SAFETY: `ts` is this thread's live tstate and it holds the GIL (contract above).
    let cf: *const u8 = unsafe { read(ts, thread_state::CFRAME) };
    if cf.is_null() {
        return;
    }
    let code_type = &raw const pyo3::ffi::PyCode_Type as usize;
    // SAFETY: `cf` is this live thread's non-NULL `_PyCFrame`.
    let mut f: *const u8 = unsafe { read(cf, cframe::CURRENT_FRAME) };
    let mut seen = [0usize; MAX_DISTINCT];
    let mut nseen = 0;
    let mut top = true;
    let mut depth = 0;
    while !f.is_null() && depth < MAX_DEPTH {
        depth += 1;
        // SAFETY: `f` is linked into this thread's chain (see the function contract).
        let co: *const u8 = unsafe { read(f, frame::F_CODE) };
        // SAFETY: a non-NULL `f_code` of a linked frame is a live object with an `ob_type`.
        if co.is_null() || unsafe { read::<usize>(co, object::OB_TYPE) } != code_type {
            break;
        }
        // SAFETY: `co` is a live code object (type checked; the frame holds a reference).
        let (owner, prev_instr, first) = unsafe {
            (
                read::<u8>(f, frame::OWNER),
                read::<usize>(f, frame::PREV_INSTR),
                read::<i32>(co, code::CO_FIRSTTRACEABLE),
            )
        };
        let start = co as usize + code::CO_CODE_ADAPTIVE as usize + 2 * first.max(0) as usize;
        let incomplete = owner != frame::OWNED_BY_GENERATOR && prev_instr < start;
        if !incomplete {
            let key = co as usize;
            let fresh = nseen < MAX_DISTINCT && !seen[..nseen].contains(&key);
            if fresh {
                seen[nseen] = key;
                nseen += 1;
            }
            if top || fresh {
                record(key, top, fresh);
            }
            top = false;
        }
        // SAFETY: `f` is still linked; `previous` is the next linked frame or NULL.
        f = unsafe { read(f, frame::PREVIOUS) };
    }
}

fn record(key: usize, is_self: bool, inclusive: bool) {
    let start = (key >> 4).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - 12);
    for probe in 0..SLOTS {
        let slot = &TABLE[(start + probe) % SLOTS];
        let cur = slot.code.load(Relaxed);
        let hit = cur == key
            || (cur == 0 && {
                match slot.code.compare_exchange(0, key, Relaxed, Relaxed) {
                    Ok(_) => true,
                    Err(other) => other == key,
                }
            });
        if hit {
            if is_self {
                slot.self_hits.fetch_add(1, Relaxed);
            }
            if inclusive {
                slot.incl_hits.fetch_add(1, Relaxed);
            }
            return;
        }
    }
    DROPPED.fetch_add(1, Relaxed);
}

/// Blocks SIGPROF on this thread while alive, so a snapshot can drain the table consistently.
pub struct SigprofBlocked(libc::sigset_t);

impl SigprofBlocked {
    pub fn new() -> Self {
        // SAFETY: sigset manipulation on locals and this thread's mask.
        unsafe {
            let mut set: libc::sigset_t = std::mem::zeroed();
            let mut old: libc::sigset_t = std::mem::zeroed();
            libc::sigemptyset(&mut set);
            libc::sigaddset(&mut set, libc::SIGPROF);
            libc::pthread_sigmask(libc::SIG_BLOCK, &set, &mut old);
            SigprofBlocked(old)
        }
    }
}

impl Drop for SigprofBlocked {
    fn drop(&mut self) {
        // SAFETY: restores the mask saved in `new`.
        unsafe { libc::pthread_sigmask(libc::SIG_SETMASK, &self.0, std::ptr::null_mut()) };
    }
}

/// Moves every `(code pointer, self, inclusive)` out of the table and clears it. The caller
/// holds the GIL (so no other thread's handler records) and a [`SigprofBlocked`].
pub fn drain(_blocked: &SigprofBlocked, mut sink: impl FnMut(usize, u64, u64)) {
    for slot in TABLE.iter() {
        let key = slot.code.load(Relaxed);
        if key != 0 {
            let s = slot.self_hits.swap(0, Relaxed);
            let i = slot.incl_hits.swap(0, Relaxed);
            slot.code.store(0, Relaxed);
            sink(key, u64::from(s), u64::from(i));
        }
    }
}

/// Cost of one stack walk on the calling thread (which must hold the GIL), in nanoseconds,
/// averaged over `iterations`; the counts it made are discarded.
pub fn measure_cost_ns(iterations: u32) -> f64 {
    let blocked = SigprofBlocked::new();
    drain(&blocked, |_, _, _| {});
    let t = std::time::Instant::now();
    for _ in 0..iterations {
        // SAFETY: called with the GIL held on this thread (pyfunction).
        unsafe { sample() };
    }
    let ns = t.elapsed().as_nanos() as f64 / f64::from(iterations.max(1));
    drain(&blocked, |_, _, _| {});
    ns
}
