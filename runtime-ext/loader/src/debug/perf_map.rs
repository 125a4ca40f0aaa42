//! perf's map file for JIT code: `/tmp/perf-<pid>.map`, one `<start hex> <size hex> <name>`
//! line per function, appended as objects load (perf reads it when it reports).

use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::path::PathBuf;
use std::sync::Mutex;

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
        let f = OpenOptions::new().create(true).append(true).open(path())?;
        *guard = Some((pid, f));
    }
    let (_, file) = guard.as_mut().expect("opened above");
    // One write per object: lines of concurrent loaders never interleave.
    file.write_all(lines(functions).as_bytes())
}
