//! perf's map file for JIT code: `/tmp/perf-<pid>.map`, one `<start hex> <size hex> <name>`
//! line per function, appended as objects load (perf reads it when it reports).
//!
//! Appended, not rewritten, so that another JIT in the same process keeps its lines; but a
//! file last written before this process started belongs to a dead process that had the same
//! pid (pids wrap quickly on a busy machine), and is emptied first: perf would otherwise name
//! our code with its symbols.

use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::path::PathBuf;
use std::sync::Mutex;
use std::time::{Duration, SystemTime};

use crate::loaded::Function;

/// The map file of this process.
pub fn path() -> PathBuf {
    PathBuf::from(format!("/tmp/perf-{}.map", std::process::id()))
}

/// The open file and the pid it belongs to (a forked child gets its own file).
static FILE: Mutex<Option<(u32, File)>> = Mutex::new(None);

/// The lines for `functions`, in perf's format.
pub(crate) fn lines(functions: &[Function]) -> String {
    functions
        .iter()
        .map(|f| format!("{:x} {:x} {}\n", f.address, f.size, f.name))
        .collect()
}

pub(crate) fn write(functions: &[Function]) -> io::Result<()> {
    let mut guard = FILE.lock().unwrap_or_else(|e| e.into_inner());
    let pid = std::process::id();
    if guard.as_ref().is_none_or(|(p, _)| *p != pid) {
        let stale = std::fs::metadata(path())
            .and_then(|m| m.modified())
            .ok()
            .zip(process_start())
            // The start time is known to about a second (`btime` is in whole seconds).
            .is_some_and(|(written, start)| written + Duration::from_secs(2) < start);
        let f = OpenOptions::new().create(true).append(true).open(path())?;
        if stale {
            f.set_len(0)?;
        }
        *guard = Some((pid, f));
    }
    let (_, file) = guard.as_mut().expect("opened above");
    // One write per object: lines of concurrent loaders never interleave.
    file.write_all(lines(functions).as_bytes())
}

/// When this process started: boot time (`btime` of /proc/stat) plus its start in clock ticks
/// after boot (field 22 of /proc/self/stat). None if either cannot be read.
fn process_start() -> Option<SystemTime> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // The command name (field 2) may hold spaces and parentheses: count after the last ')'.
    let after = &stat[stat.rfind(')')? + 1..];
    let ticks: u64 = after.split_whitespace().nth(19)?.parse().ok()?;
    let btime: u64 = std::fs::read_to_string("/proc/stat")
        .ok()?
        .lines()
        .find_map(|l| l.strip_prefix("btime "))?
        .trim()
        .parse()
        .ok()?;
    // SAFETY: sysconf has no preconditions.
    let hz = u64::try_from(unsafe { libc::sysconf(libc::_SC_CLK_TCK) }).ok()?;
    let since_boot = Duration::from_millis(ticks.checked_mul(1000)? / hz.max(1));
    Some(SystemTime::UNIX_EPOCH + Duration::from_secs(btime) + since_boot)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn this_process_started_recently_and_not_in_the_future() {
        let start = process_start().expect("procfs readable");
        let now = SystemTime::now();
        assert!(
            start <= now + Duration::from_secs(2),
            "{start:?} after {now:?}"
        );
        assert!(now.duration_since(start).unwrap() < Duration::from_secs(3600));
    }
}
