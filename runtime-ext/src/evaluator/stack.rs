//! C-stack headroom. While any PEP 523 hook is installed, CPython 3.11 stops inlining
//! Python-to-Python calls, so every Python call nests C frames (~0.5 KiB each): a recursion
//! that plain CPython runs 100 000 deep would overflow the 8 MiB C stack and crash. When a
//! thread gets within a quarter of its stack's end, the hook steps aside for the whole
//! interpreter (deeper calls are inlined again, as without s6) until that frame returns.

use std::cell::Cell;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

thread_local! {
    /// Lowest stack address this thread may reach with the hook installed (0: not known yet,
    /// 1: unknown, never step aside).
    static LOW_WATER: Cell<usize> = const { Cell::new(0) };
}

/// True while a frame has the hook stepped aside (see `hook::s6_eval_frame`).
pub static STEPPED_ASIDE: AtomicBool = AtomicBool::new(false);

fn compute_low_water() -> usize {
    // SAFETY: pthread_getattr_np fills `attr` for the calling thread; it is destroyed after
    // the stack bounds are read.
    unsafe {
        let mut attr: libc::pthread_attr_t = std::mem::zeroed();
        if libc::pthread_getattr_np(libc::pthread_self(), &mut attr) != 0 {
            return 1;
        }
        let mut addr: *mut libc::c_void = std::ptr::null_mut();
        let mut size: libc::size_t = 0;
        let ok = libc::pthread_attr_getstack(&attr, &mut addr, &mut size) == 0;
        libc::pthread_attr_destroy(&mut attr);
        if !ok || addr.is_null() || size == 0 {
            return 1;
        }
        addr as usize + size / 4
    }
}

/// The thread that asked last (`thread_id()`) and its mark. The hook runs with the GIL held,
/// so one thread at a time reads and writes this pair, and it saves the thread-local lookup (a
/// `__tls_get_addr` call from a shared object, ~2% of call-heavy programs) until the next
/// thread switch. glibc keeps a thread's descriptor, whose address is `pthread_self()`, at the
/// top of its stack block, so an id seen again names the same stack (the thread pointer is that
/// descriptor's address).
static LAST_THREAD: AtomicUsize = AtomicUsize::new(0);
/// The thread state of `LAST_THREAD` (generated code's key: it has `ts`, not `pthread_self`)
/// and its mark, read by direct calls through `abi::direct::{STACK_TS, STACK_MARK}`. Kept in
/// step with `LAST_THREAD` by `is_low`: a thread's first native frame comes through the hook,
/// which sets them, before its code can make a direct call.
pub(crate) static LAST_TS: AtomicUsize = AtomicUsize::new(0);
pub(crate) static LAST_MARK: AtomicUsize = AtomicUsize::new(0);

/// The current stack pointer (reading it needs no stack slot, unlike taking a local's address,
/// so the hook can still pass a frame on by a tail call).
#[inline(always)]
pub fn pointer() -> usize {
    let sp: usize;
    // SAFETY: reads a register; no memory, stack or flags are touched.
    unsafe {
        std::arch::asm!("mov {}, rsp", out(reg) sp, options(nomem, nostack, preserves_flags));
    }
    sp
}

/// This thread's id: the x86-64 thread pointer, whose first word the TLS ABI makes point to
/// itself (`%fs:0`; what glibc's `pthread_self()` returns, without a call into libc).
#[inline(always)]
fn thread_id() -> usize {
    let tp: usize;
    // SAFETY: `%fs:0` is readable on every thread of an x86-64 Linux process (TLS ABI).
    unsafe {
        std::arch::asm!("mov {}, qword ptr fs:[0]", out(reg) tp,
            options(nostack, readonly, preserves_flags));
    }
    tp
}

/// True when the current C stack pointer `here` is below this thread's low-water mark. Called
/// with the GIL held.
#[inline(always)]
pub fn is_low(ts: usize, here: usize) -> bool {
    let me = thread_id();
    if LAST_THREAD.load(Ordering::Relaxed) == me && LAST_TS.load(Ordering::Relaxed) == ts {
        return here < LAST_MARK.load(Ordering::Relaxed);
    }
    let mark = LOW_WATER.with(|low| {
        let mut mark = low.get();
        if mark == 0 {
            mark = compute_low_water();
            low.set(mark);
        }
        mark
    });
    LAST_MARK.store(mark, Ordering::Relaxed);
    LAST_THREAD.store(me, Ordering::Relaxed);
    LAST_TS.store(ts, Ordering::Relaxed);
    here < mark
}

/// Marks the hook as stepped aside; false when another frame already did.
pub fn step_aside() -> bool {
    !STEPPED_ASIDE.swap(true, Ordering::Relaxed)
}

/// Ends a step-aside; false when `disable()` ended it already (then the hook stays out).
pub fn step_back() -> bool {
    STEPPED_ASIDE.swap(false, Ordering::Relaxed)
}
