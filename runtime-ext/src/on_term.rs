//! SIGTERM writes the profile and the `S6_STATS` report before the process dies: containers,
//! `Pool.terminate()` and process managers stop programs with SIGTERM, and a program that never
//! installed a handler for it would otherwise die with them unwritten.
//!
//! Only when SIGTERM has its default disposition (a program's own handler, installed before or
//! after us, always wins and then decides how the program exits). Our handler is
//! async-signal-safe: it writes one byte to a pipe. A plain thread (`s6-term`, invisible to
//! `threading`) reads it and runs the registered writers (the profiler's takes the GIL; at most
//! [`GRACE`] is waited for in all),
//! then restores the default disposition and sends SIGTERM again, so the process dies exactly as
//! it would have (status "killed by SIGTERM"), a few milliseconds later. Python's `signal`
//! module does not see our handler (`signal.getsignal` still says `SIG_DFL`).
//!
//! After `fork` the pipe and the thread are the parent's: a child that profiles itself makes
//! its own (`reinit_in_child`), and until then the handler, which checks the process id,
//! behaves as the default disposition.

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicI32, Ordering::SeqCst};
use std::time::Duration;

use pyo3::prelude::*;

/// How long the profile write may take before the process dies anyway (the main thread may
/// hold the GIL in a long C call).
const GRACE: Duration = Duration::from_secs(3);

static WRITE_FD: AtomicI32 = AtomicI32::new(-1);
static READ_FD: AtomicI32 = AtomicI32::new(-1);
static OWNER_PID: AtomicI32 = AtomicI32::new(0);
static INSTALLED: AtomicBool = AtomicBool::new(false);
/// What runs on SIGTERM, in order of registration.
static WRITERS: Mutex<Vec<fn()>> = Mutex::new(Vec::new());
/// `S6_STATS` as given (`%p`: the process id), written on SIGTERM.
static STATS_PATH: Mutex<Option<String>> = Mutex::new(None);

fn run_writers() {
    let writers = WRITERS.lock().unwrap_or_else(|e| e.into_inner()).clone();
    for w in writers {
        let _ = std::panic::catch_unwind(w);
    }
}

extern "C" fn on_sigterm(_sig: libc::c_int) {
    // SAFETY: getpid, write, signal and raise are async-signal-safe; errno is restored.
    unsafe {
        let errno = *libc::__errno_location();
        let fd = WRITE_FD.load(SeqCst);
        if fd >= 0 && libc::getpid() == OWNER_PID.load(SeqCst) {
            let b = 1u8;
            libc::write(fd, (&raw const b).cast(), 1);
        } else {
            libc::signal(libc::SIGTERM, libc::SIG_DFL);
            libc::raise(libc::SIGTERM);
        }
        *libc::__errno_location() = errno;
    }
}

/// Whether SIGTERM currently has the default disposition at the OS level.
fn sigterm_is_default() -> bool {
    // SAFETY: reading the current disposition into a zeroed out-parameter.
    unsafe {
        let mut cur: libc::sigaction = std::mem::zeroed();
        libc::sigaction(libc::SIGTERM, std::ptr::null(), &mut cur) == 0
            && cur.sa_sigaction == libc::SIG_DFL
    }
}

fn ours_installed() -> bool {
    // SAFETY: as above.
    unsafe {
        let mut cur: libc::sigaction = std::mem::zeroed();
        libc::sigaction(libc::SIGTERM, std::ptr::null(), &mut cur) == 0
            && cur.sa_sigaction == on_sigterm as *const () as usize
    }
}

/// Adds `write` to what runs (on a plain thread, without the GIL) when SIGTERM arrives, and
/// installs the handler if SIGTERM is at its default.
pub fn install(write: fn()) -> std::io::Result<()> {
    {
        let mut writers = WRITERS.lock().unwrap_or_else(|e| e.into_inner());
        if !writers.contains(&write) {
            writers.push(write);
        }
    }
    if !sigterm_is_default() && !ours_installed() {
        return Ok(());
    }
    // SAFETY: getpid has no preconditions.
    if OWNER_PID.load(SeqCst) != unsafe { libc::getpid() } {
        start_reader()?;
    }
    if !INSTALLED.swap(true, SeqCst) {
        // SAFETY: installing an async-signal-safe handler with a zeroed, emptied mask.
        unsafe {
            let mut act: libc::sigaction = std::mem::zeroed();
            act.sa_sigaction = on_sigterm as *const () as usize;
            act.sa_flags = libc::SA_RESTART;
            libc::sigemptyset(&mut act.sa_mask);
            if libc::sigaction(libc::SIGTERM, &act, std::ptr::null_mut()) != 0 {
                INSTALLED.store(false, SeqCst);
                return Err(std::io::Error::last_os_error());
            }
        }
    }
    Ok(())
}

/// In the child of a `fork`: a pipe and reader thread of its own (once per process).
pub fn reinit_in_child() -> std::io::Result<()> {
    // SAFETY: getpid has no preconditions.
    if !ours_installed() || OWNER_PID.load(SeqCst) == unsafe { libc::getpid() } {
        return Ok(());
    }
    // The parent's pipe: its reader thread does not exist here.
    for fd in [WRITE_FD.swap(-1, SeqCst), READ_FD.swap(-1, SeqCst)] {
        if fd >= 0 {
            // SAFETY: closing a descriptor this module opened (inherited through fork).
            unsafe { libc::close(fd) };
        }
    }
    start_reader()
}

fn start_reader() -> std::io::Result<()> {
    let mut fds = [0; 2];
    // SAFETY: pipe2 fills the two-element array.
    if unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) } != 0 {
        return Err(std::io::Error::last_os_error());
    }
    let (read_fd, write_fd) = (fds[0], fds[1]);
    let spawned = std::thread::Builder::new()
        .name("s6-term".into())
        .spawn(move || {
            let mut b = 0u8;
            loop {
                // SAFETY: reading one byte from our own pipe into a local.
                let n = unsafe { libc::read(read_fd, (&raw mut b).cast(), 1) };
                if n == 1 {
                    break;
                }
                if n == 0
                    || std::io::Error::last_os_error().kind() != std::io::ErrorKind::Interrupted
                {
                    return;
                }
            }
            let (tx, rx) = std::sync::mpsc::channel();
            let _ = std::thread::Builder::new()
                .name("s6-term-write".into())
                .spawn(move || {
                    run_writers();
                    let _ = tx.send(());
                });
            let _ = rx.recv_timeout(GRACE);
            // SAFETY: restoring the default disposition and re-sending the signal to ourselves.
            unsafe {
                libc::signal(libc::SIGTERM, libc::SIG_DFL);
                libc::kill(libc::getpid(), libc::SIGTERM);
            }
        })?;
    drop(spawned);
    // SAFETY: getpid has no preconditions.
    OWNER_PID.store(unsafe { libc::getpid() }, SeqCst);
    READ_FD.store(read_fd, SeqCst);
    WRITE_FD.store(write_fd, SeqCst);
    Ok(())
}

/// Writes the `S6_STATS` report (no GIL needed: the counters are atomics) on SIGTERM.
fn write_stats() {
    let Some(path) = STATS_PATH.lock().unwrap_or_else(|e| e.into_inner()).clone() else {
        return;
    };
    if let Err(e) = write_stats_file(&path) {
        let _ = std::io::Write::write_all(
            &mut std::io::stderr(),
            format!("s6: warning: {e}\n").as_bytes(),
        );
    }
}

/// Writes the report to `path` (`%p`: the process id) atomically: a temporary file, then a
/// rename. Serialized, because the exit path and SIGTERM may both write (a multiprocessing
/// worker terminated while it runs its finalizers).
fn write_stats_file(path: &str) -> Result<(), String> {
    static WRITING: Mutex<()> = Mutex::new(());
    let _one = WRITING.lock().unwrap_or_else(|e| e.into_inner());
    let path = path.replace("%p", &std::process::id().to_string());
    let tmp = format!("{path}.tmp.{}", std::process::id());
    let written = std::fs::write(&tmp, crate::evaluator::stats_json())
        .and_then(|()| std::fs::rename(&tmp, &path));
    written.map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        format!("cannot write S6_STATS file {path}: {e}")
    })
}

/// `s6.__init__` at exit: the report to `path`; the reason when it could not be written.
#[pyfunction]
fn _write_stats(py: Python<'_>, path: String) -> Option<String> {
    py.detach(|| write_stats_file(&path).err())
}

/// `s6.__init__`: the report also goes to `path` on SIGTERM.
#[pyfunction]
fn _stats_on_sigterm(path: String) -> PyResult<()> {
    *STATS_PATH.lock().unwrap_or_else(|e| e.into_inner()) = Some(path);
    install(write_stats).map_err(|e| pyo3::exceptions::PyOSError::new_err(e.to_string()))
}

/// After `fork`, in the child: its own pipe and thread (the parent's do not exist here).
#[pyfunction]
fn _term_forked() {
    let _ = reinit_in_child();
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(_stats_on_sigterm, m)?)?;
    m.add_function(wrap_pyfunction!(_term_forked, m)?)?;
    m.add_function(wrap_pyfunction!(_write_stats, m)?)?;
    Ok(())
}
