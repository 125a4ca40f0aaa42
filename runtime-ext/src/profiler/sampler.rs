//! Hotness by sampling: `setitimer(ITIMER_PROF)` delivers SIGPROF every `interval` of process
//! CPU time, and the handler walks the interrupted thread's Python frames.
//!
//! Why a CPU-time signal: it costs nothing while the program sleeps or waits, it lands on the
//! thread that is burning CPU (the kernel targets the running thread), and it needs neither a
//! PEP 523 hook nor `sys.setprofile`, both of which stop CPython from specializing.
//!
//! The handler is async-signal-safe: no allocation, no locks, no C API beyond two plain loads
//! (`PyGILState_GetThisThreadState`, `_PyThreadState_UncheckedGet`), and no read that can fault.
//! It samples only when the interrupted thread holds the GIL (its tstate is the runtime's
//! current one), so the frame chain it walks belongs to the thread it interrupted and cannot
//! change under it; but the signal may land between any two instructions of the interpreter,
//! where that chain is half-written, so no pointer in it is trusted: see [`walk`]. It counts
//! `self` (top frame) and `inclusive` (each distinct code once per sample) into a fixed
//! lock-free open-addressing table keyed by the `f_code` pointer, which it never dereferences.
//! Snapshots ([`drain`]) run with the GIL held and SIGPROF blocked, move the counts out and
//! clear the table; they credit only addresses of code objects the profiler holds, so a code
//! object freed and its address reused inside one snapshot interval is the only way samples can
//! be misattributed (at most one interval's worth).
//!
//! Installed with `SA_RESTART`; a previous SIGPROF handler is chained to and restored at stop.
//! If the program already has `ITIMER_PROF` armed we do not sample (the caller warns).
//!
//! Resolution: Linux advances process CPU timers on the scheduler tick, so the effective
//! interval is at least one tick (4 ms at HZ=250, measured here: ~250 samples per CPU second at a
//! requested 1000 us). Shares of samples are unaffected; `samples x interval` underestimates CPU
//! time by that factor. Measured cost of one walk: see `bench/profile_overhead.py`
//! (`_sampler_cost_ns`); each generator frame on the stack adds one `process_vm_readv` (about
//! 1.2 us here), plus the kernel's signal delivery (about a microsecond).

use std::sync::OnceLock;
use std::sync::atomic::{
    AtomicBool, AtomicI32, AtomicU32, AtomicU64, AtomicUsize, Ordering::Relaxed,
};

use s6_py311::layout::{cframe, frame, stack_chunk, thread_state};

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
        // SAFETY: getpid has no preconditions.
        PID.store(libc::getpid(), Relaxed);
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

/// In the child of a `fork` that profiles itself: what the table and totals hold was counted
/// for the parent (whose profile has it). The timer is not inherited; `start` arms it again.
pub fn reset_counts() {
    ACTIVE.store(false, Relaxed);
    for slot in TABLE.iter() {
        slot.self_hits.store(0, Relaxed);
        slot.incl_hits.store(0, Relaxed);
        slot.code.store(0, Relaxed);
    }
    TOTAL.store(0, Relaxed);
    DROPPED.store(0, Relaxed);
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
/// Must run on the thread being sampled (signal handler, or a caller holding the GIL).
pub unsafe fn sample() {
    // SAFETY: both are plain loads of thread-specific / runtime state, safe in a handler.
    let ts = unsafe { pyo3::ffi::PyGILState_GetThisThreadState() };
    // SAFETY: as above: a plain load of the runtime's current tstate.
    if ts.is_null() || ts != unsafe { _PyThreadState_UncheckedGet() } {
        return;
    }
    // SAFETY: `ts` is this thread's live tstate and the signal interrupted this very thread.
    unsafe { walk(ts as *const u8, PID.load(Relaxed), record) };
}

/// The process id `process_vm_readv` reads from (set by [`start`]: a forked child never
/// samples, see [`deactivate`]).
static PID: AtomicI32 = AtomicI32::new(0);

/// Bytes of a frame the walk reads: `f_code`, `previous` and `owner`.
const FRAME_HEAD: usize = frame::OWNER as usize + 1;

/// Data-stack chunks recorded per sample (a thread has one unless its frames outgrew 16 KiB).
const MAX_CHUNKS: usize = 16;

/// The address ranges of a thread's data-stack chunks (`_PyStackChunk`), where 3.11 keeps
/// every frame that is not a generator's. A chunk is linked into `datastack_chunk` only after
/// it is mapped and unlinked before it is unmapped (`push_chunk`, `_PyThreadState_PopFrame`),
/// and a fresh one is zeroed memory, so each range read through the list is mapped for the
/// whole handler.
struct Chunks {
    ranges: [(usize, usize); MAX_CHUNKS],
    n: usize,
}

impl Chunks {
    /// # Safety
    /// `ts` is the interrupted thread's own live tstate.
    unsafe fn of(ts: *const u8) -> Chunks {
        let mut c = Chunks {
            ranges: [(0, 0); MAX_CHUNKS],
            n: 0,
        };
        // SAFETY: the tstate field, then headers of linked (hence mapped) chunks.
        let mut chunk: usize = unsafe { read(ts, thread_state::DATASTACK_CHUNK) };
        while chunk != 0 && c.n < MAX_CHUNKS {
            let p = chunk as *const u8;
            let size: usize = unsafe { read(p, stack_chunk::SIZE) };
            c.ranges[c.n] = (chunk, chunk.saturating_add(size));
            c.n += 1;
            chunk = unsafe { read(p, stack_chunk::PREVIOUS) };
        }
        c
    }

    fn holds(&self, p: usize, len: usize) -> bool {
        self.ranges[..self.n]
            .iter()
            .any(|&(lo, hi)| p >= lo && p.checked_add(len).is_some_and(|end| end <= hi))
    }
}

/// Copies `out.len()` bytes from `addr` of process `pid` without faulting: false if any byte
/// is unmapped (or the kernel refuses the read). A system call: used only for frames outside
/// the data stack, which are generators' frames, or garbage.
fn safe_read(pid: i32, addr: usize, out: &mut [u8]) -> bool {
    let local = libc::iovec {
        iov_base: out.as_mut_ptr().cast(),
        iov_len: out.len(),
    };
    let remote = libc::iovec {
        iov_base: addr as *mut libc::c_void,
        iov_len: out.len(),
    };
    // SAFETY: writes only into `out`; the kernel checks the remote range.
    let n = unsafe { libc::process_vm_readv(pid, &local, 1, &remote, 1, 0) };
    n == out.len() as isize
}

/// Walks the frame chain of thread state `ts`, calling `sink(code, self, inclusive)` for the
/// top frame (`self`) and for each distinct code object once (`inclusive`).
///
/// What it reads, and why each read cannot fault at any instruction the signal may interrupt:
/// * `ts->cframe` and its `current_frame`: the cframe is `&cframe` on the C stack or the root
///   one inside the tstate, both mapped; *not* initialised, though: 3.11's ceval publishes
///   `tstate->cframe = &cframe` before it writes `cframe.current_frame` (seen here: SIGBUS in
///   this handler with `current_frame` = 0xdbdda878c4df5500). The frame pointer is never
///   trusted.
/// * a frame's head: read directly if it lies in one of the thread's data-stack chunks (mapped,
///   see [`Chunks`]), else through [`safe_read`] and accepted only as a generator's frame.
///   A pointer that is neither ends the walk.
/// * `f_code` is recorded, never dereferenced: a stale or garbage frame can only add a count
///   under an address that the snapshot, which matches addresses against the code objects it
///   holds, does not know.
///
/// It does not skip frames still in their prologue (`_PyFrame_IsIncomplete`): that needs the
/// code object, and a frame in its prologue is that function running.
///
/// # Safety
/// `ts` is a live thread state that only the calling thread mutates (its own, with the GIL).
unsafe fn walk(ts: *const u8, pid: i32, mut sink: impl FnMut(usize, bool, bool)) {
    // SAFETY: per the contract; see the list above for each read.
    unsafe {
        let chunks = Chunks::of(ts);
        let cf: *const u8 = read(ts, thread_state::CFRAME);
        if cf.is_null() {
            return;
        }
        let mut f: usize = read(cf, cframe::CURRENT_FRAME);
        let mut seen = [0usize; MAX_DISTINCT];
        let mut nseen = 0;
        let mut depth = 0;
        while f != 0 && f.is_multiple_of(8) && depth < MAX_DEPTH {
            let mut head = [0u8; FRAME_HEAD];
            let owner_ok = if chunks.holds(f, FRAME_HEAD) {
                std::ptr::copy_nonoverlapping(f as *const u8, head.as_mut_ptr(), FRAME_HEAD);
                head[frame::OWNER as usize] == frame::OWNED_BY_THREAD
            } else {
                safe_read(pid, f, &mut head)
                    && head[frame::OWNER as usize] == frame::OWNED_BY_GENERATOR
            };
            if !owner_ok {
                break;
            }
            let word = |off: i32| read::<usize>(head.as_ptr(), off);
            let key = word(frame::F_CODE);
            if key == 0 {
                break;
            }
            let fresh = nseen < MAX_DISTINCT && !seen[..nseen].contains(&key);
            if fresh {
                seen[nseen] = key;
                nseen += 1;
            }
            if depth == 0 || fresh {
                sink(key, depth == 0, fresh);
            }
            depth += 1;
            f = word(frame::PREVIOUS);
        }
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
    // SAFETY: getpid has no preconditions.
    PID.store(unsafe { libc::getpid() }, Relaxed);
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

#[cfg(test)]
mod tests {
    //! The walk over hand-built thread states: frames in a data-stack chunk, a generator's frame
    //! outside it, and the garbage a signal can find in a half-initialised `_PyCFrame`.

    use super::*;

    const CODE_A: usize = 0xA000;
    const CODE_B: usize = 0xB000;
    const CODE_G: usize = 0xC000;
    /// Words per fake frame (head plus room).
    const FRAME_WORDS: usize = 12;

    /// A thread state, its cframe and one data-stack chunk, all owned by the test.
    struct Fake {
        ts: Vec<u64>,
        cframe: Vec<u64>,
        chunk: Vec<u64>,
    }

    fn put<T>(base: *mut u8, off: i32, v: T) {
        // SAFETY: every caller writes inside a buffer it owns.
        unsafe { std::ptr::write_unaligned(base.offset(off as isize).cast::<T>(), v) }
    }

    impl Fake {
        fn new() -> Fake {
            let mut f = Fake {
                ts: vec![0; thread_state::SIZEOF as usize / 8],
                cframe: vec![0; 3],
                chunk: vec![0; 64],
            };
            let chunk = f.chunk.as_mut_ptr() as *mut u8;
            put(chunk, stack_chunk::SIZE, 64usize * 8);
            let ts = f.ts.as_mut_ptr() as *mut u8;
            put(ts, thread_state::DATASTACK_CHUNK, chunk as usize);
            put(ts, thread_state::CFRAME, f.cframe.as_ptr() as usize);
            f
        }

        /// Address of frame slot `i` in the chunk.
        fn slot(&mut self, i: usize) -> usize {
            let data = stack_chunk::DATA as usize / 8;
            &mut self.chunk[data + i * FRAME_WORDS] as *mut u64 as usize
        }

        fn top(&mut self, f: usize) {
            put(
                self.cframe.as_mut_ptr() as *mut u8,
                cframe::CURRENT_FRAME,
                f,
            );
        }

        fn walk(&self) -> Vec<(usize, bool, bool)> {
            let mut out = Vec::new();
            // SAFETY: a thread state made of buffers this test owns and nobody mutates.
            unsafe {
                walk(
                    self.ts.as_ptr() as *const u8,
                    std::process::id() as i32,
                    |c, s, i| out.push((c, s, i)),
                )
            };
            out
        }
    }

    fn frame_at(f: usize, code: usize, previous: usize, owner: u8) {
        let p = f as *mut u8;
        put(p, frame::F_CODE, code);
        put(p, frame::PREVIOUS, previous);
        put(p, frame::OWNER, owner);
    }

    /// An address that is certainly unmapped: a page mapped, then unmapped.
    fn unmapped() -> usize {
        // SAFETY: a fresh anonymous page, unmapped at once and never touched.
        unsafe {
            let p = libc::mmap(
                std::ptr::null_mut(),
                4096,
                libc::PROT_READ,
                libc::MAP_PRIVATE | libc::MAP_ANONYMOUS,
                -1,
                0,
            );
            assert_ne!(p, libc::MAP_FAILED);
            libc::munmap(p, 4096);
            p as usize
        }
    }

    #[test]
    fn counts_self_for_the_top_and_each_code_once() {
        let mut t = Fake::new();
        let (a, b, c) = (t.slot(0), t.slot(1), t.slot(2));
        frame_at(a, CODE_A, 0, frame::OWNED_BY_THREAD);
        frame_at(b, CODE_B, a, frame::OWNED_BY_THREAD);
        frame_at(c, CODE_B, b, frame::OWNED_BY_THREAD);
        t.top(c);
        assert_eq!(t.walk(), [(CODE_B, true, true), (CODE_A, false, true)]);
    }

    #[test]
    fn reads_a_generator_frame_outside_the_data_stack() {
        let mut t = Fake::new();
        let a = t.slot(0);
        frame_at(a, CODE_A, 0, frame::OWNED_BY_THREAD);
        let mut gen_frame = Box::new([0u64; FRAME_WORDS]);
        let g = gen_frame.as_mut_ptr() as usize;
        frame_at(g, CODE_G, a, frame::OWNED_BY_GENERATOR);
        t.top(g);
        assert_eq!(t.walk(), [(CODE_G, true, true), (CODE_A, false, true)]);
    }

    #[test]
    fn garbage_in_a_half_initialised_cframe_counts_nothing() {
        let mut t = Fake::new();
        // The value found in the crashing handler, a certainly unmapped page, a low address.
        for bad in [0xdbdd_a878_c4df_5500, unmapped(), 0x10, 0x7] {
            t.top(bad);
            assert_eq!(t.walk(), [], "current_frame {bad:#x}");
        }
    }

    #[test]
    fn a_chain_into_unmapped_memory_stops_there() {
        let mut t = Fake::new();
        let a = t.slot(0);
        frame_at(a, CODE_A, unmapped(), frame::OWNED_BY_THREAD);
        t.top(a);
        assert_eq!(t.walk(), [(CODE_A, true, true)]);
    }

    #[test]
    fn frames_whose_owner_does_not_match_where_they_live_end_the_walk() {
        let mut t = Fake::new();
        // A generator's frame cannot be in the data stack ...
        let a = t.slot(0);
        frame_at(a, CODE_A, 0, frame::OWNED_BY_GENERATOR);
        t.top(a);
        assert_eq!(t.walk(), []);
        // ... nor a thread's frame outside it (a stale pointer into freed memory).
        let mut heap = Box::new([0u64; FRAME_WORDS]);
        let h = heap.as_mut_ptr() as usize;
        frame_at(h, CODE_B, 0, frame::OWNED_BY_THREAD);
        t.top(h);
        assert_eq!(t.walk(), []);
    }
}
