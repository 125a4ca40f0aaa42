//! Periodic cache snapshots: a plain Rust thread (not a `threading` thread, so invisible to
//! `threading.enumerate()`) wakes every `period`, takes the GIL through the public
//! `PyGILState_Ensure` and runs [`super::snapshot_now`]. Taking the GIL sets the interpreter's
//! drop request, so the running thread yields it at its next bytecode boundary, exactly like a
//! switch-interval handoff; the snapshot then sees a consistent heap, also while the main thread
//! blocks in I/O.
//!
//! Why not `Py_AddPendingCall`: in 3.11 a pending call added from a non-main thread does not set
//! the eval breaker (`COMPUTE_EVAL_BREAKER` asks whether the *calling* thread may run pending
//! calls), so it waits for an unrelated breaker event: measured 2 snapshots per second at a
//! requested 50. Why not a Python daemon thread: it would show in `threading.enumerate()`.

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering::SeqCst};
use std::thread::JoinHandle;
use std::time::Duration;

static STOP: AtomicBool = AtomicBool::new(false);
static THREAD: Mutex<Option<JoinHandle<()>>> = Mutex::new(None);

/// Starts the ticker: the first snapshot after `first`, then every `period`.
pub fn start(first: Duration, period: Duration) -> std::io::Result<()> {
    STOP.store(false, SeqCst);
    let handle = std::thread::Builder::new()
        .name("s6-profile-ticker".into())
        .spawn(move || {
            let mut wait = first;
            let mut deadline = std::time::Instant::now() + wait;
            loop {
                let now = std::time::Instant::now();
                if now < deadline {
                    std::thread::park_timeout(deadline - now);
                }
                if STOP.load(SeqCst) {
                    break;
                }
                if std::time::Instant::now() < deadline {
                    continue; // spurious wake-up
                }
                wait = period;
                // A panic must not unwind out of the thread while it holds the GIL.
                let _ = std::panic::catch_unwind(super::snapshot_now);
                deadline = std::time::Instant::now() + wait;
            }
        })?;
    *THREAD.lock().unwrap_or_else(|e| e.into_inner()) = Some(handle);
    Ok(())
}

/// Stops the ticker and waits for its thread. The caller must not hold the GIL (the ticker may
/// be waiting for it).
pub fn stop() {
    STOP.store(true, SeqCst);
    if let Some(h) = THREAD.lock().unwrap_or_else(|e| e.into_inner()).take() {
        h.thread().unpark();
        let _ = h.join();
    }
}

/// Forgets the ticker without joining it (after `fork` the thread does not exist in the child).
pub fn forget() {
    STOP.store(true, SeqCst);
    if let Ok(mut t) = THREAD.lock() {
        let _ = t.take();
    }
}

/// Tells the ticker to stop after the current tick, without waiting (from the ticker thread).
pub fn request_stop() {
    STOP.store(true, SeqCst);
}

/// Whether the ticker was told to stop (checked again once it holds the GIL).
pub fn stopping() -> bool {
    STOP.load(SeqCst)
}
