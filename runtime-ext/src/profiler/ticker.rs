//! Periodic cache snapshots: a plain Rust thread (invisible to `threading`, holds no GIL) wakes
//! every `period` and asks the interpreter to run [`super::snapshot_pending`] through
//! `Py_AddPendingCall`. CPython runs pending calls on the main thread between bytecodes with the
//! GIL held, so the snapshot sees a consistent heap without a Python-level thread (which would
//! show up in `threading.enumerate()` and compete for the GIL on every switch interval).
//! Cost: one pending call per period while the main thread runs Python; none while it blocks
//! (the snapshot then waits until it runs Python again, when there is something new to see).

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering::SeqCst};
use std::thread::JoinHandle;
use std::time::Duration;

static STOP: AtomicBool = AtomicBool::new(false);
/// A snapshot is queued and has not run yet: never queue a second one.
static QUEUED: AtomicBool = AtomicBool::new(false);
static THREAD: Mutex<Option<JoinHandle<()>>> = Mutex::new(None);

/// Starts the ticker: the first request after `first`, then every `period`.
pub fn start(first: Duration, period: Duration) -> std::io::Result<()> {
    STOP.store(false, SeqCst);
    let handle = std::thread::Builder::new()
        .name("s6-profile-ticker".into())
        .spawn(move || {
            let mut wait = first;
            loop {
                std::thread::park_timeout(wait);
                if STOP.load(SeqCst) {
                    break;
                }
                wait = period;
                if !QUEUED.swap(true, SeqCst) {
                    // SAFETY: Py_AddPendingCall may be called without the GIL from any thread; the
                    // callback is a plain `extern "C"` function taking no argument.
                    let rc = unsafe {
                        pyo3::ffi::Py_AddPendingCall(Some(on_pending), std::ptr::null_mut())
                    };
                    if rc != 0 {
                        QUEUED.store(false, SeqCst);
                    }
                }
            }
        })?;
    *THREAD.lock().unwrap_or_else(|e| e.into_inner()) = Some(handle);
    Ok(())
}

/// Stops the ticker and waits for its thread. A request already queued stays harmless: the
/// snapshot does nothing once the profiler has finished.
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

extern "C" fn on_pending(_arg: *mut std::ffi::c_void) -> std::ffi::c_int {
    QUEUED.store(false, SeqCst);
    // A panic must not unwind into the interpreter, and we never report an error to it: the
    // program must not see our failures.
    let _ = std::panic::catch_unwind(super::snapshot_pending);
    0
}
