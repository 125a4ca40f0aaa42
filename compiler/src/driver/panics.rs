//! A compiler panic on one function is a bug to report, not a reason to stop the build: worker
//! threads run each function under `catch_unwind`, and a panic hook records the message and
//! location instead of printing over the progress bar.

use std::panic::{AssertUnwindSafe, catch_unwind};

use super::SkipReason;

thread_local! {
    /// Set on build worker threads: their panics are recorded, not printed.
    pub(super) static IN_WORKER: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    static LAST_PANIC: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
}

pub(super) type PanicHook = Box<dyn Fn(&std::panic::PanicHookInfo<'_>) + Sync + Send + 'static>;

/// Installs a hook that records worker panics (message and location) for [`guarded`] and
/// passes every other thread's panic to the hook that was there before; returns a hook that
/// restores the previous behaviour.
pub(super) fn record_worker_panics() -> PanicHook {
    let previous: std::sync::Arc<PanicHook> = std::sync::Arc::new(std::panic::take_hook());
    let prev = previous.clone();
    std::panic::set_hook(Box::new(move |info| {
        if IN_WORKER.get() {
            LAST_PANIC.with(|p| *p.borrow_mut() = Some(info.to_string().replace('\n', " ")));
        } else {
            prev(info)
        }
    }));
    Box::new(move |info| previous(info))
}

/// Runs `f`, turning a panic into `SkipReason::Panic` with its message and location.
pub(super) fn guarded<T>(f: impl FnOnce() -> Result<T, SkipReason>) -> Result<T, SkipReason> {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(r) => r,
        Err(payload) => {
            let msg = LAST_PANIC
                .with(|p| p.borrow_mut().take())
                .unwrap_or_else(|| {
                    payload
                        .downcast_ref::<&str>()
                        .map(|s| s.to_string())
                        .or_else(|| payload.downcast_ref::<String>().cloned())
                        .unwrap_or_else(|| "unknown panic".into())
                });
            Err(SkipReason::Panic(msg))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn worker_panics_become_skip_reasons_with_location() {
        let restore = record_worker_panics();
        let r = std::thread::spawn(|| {
            IN_WORKER.set(true);
            guarded::<()>(|| panic!("boom {}", 42))
        })
        .join()
        .unwrap();
        std::panic::set_hook(restore);
        let Err(SkipReason::Panic(msg)) = r else {
            panic!("{r:?}")
        };
        assert!(
            msg.contains("boom 42") && msg.contains("panics.rs:"),
            "{msg}"
        );
        assert_eq!(SkipReason::Panic(msg).group(), "compiler panic (bug)");
    }
}
