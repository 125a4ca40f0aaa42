//! perf's jitdump file (`jit-<pid>.dump`): code-load records with the code bytes, each preceded
//! by a debug-info record mapping addresses to Python `file:line`, so that `perf inject --jit`
//! can build per-function ELF files that `perf report`/`perf annotate` understand. The file is
//! mmapped PROT_READ|PROT_EXEC once: that mmap event is how `perf record` finds it.

use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::path::PathBuf;
use std::sync::Mutex;

use super::Input;
use super::lines::LineRow;

const MAGIC: u32 = 0x4A69_5444;
const VERSION: u32 = 1;
const HEADER_SIZE: u32 = 40;
const EM_X86_64: u32 = 62;
const JIT_CODE_LOAD: u32 = 0;
const JIT_CODE_DEBUG_INFO: u32 = 2;

/// The jitdump file of this process: in `$JITDUMPDIR` if set, else `/tmp`.
pub fn path() -> PathBuf {
    let dir = std::env::var_os("JITDUMPDIR").map_or_else(|| PathBuf::from("/tmp"), PathBuf::from);
    dir.join(format!("jit-{}.dump", std::process::id()))
}

struct Dump {
    pid: u32,
    file: File,
    code_index: u64,
}

static DUMP: Mutex<Option<Dump>> = Mutex::new(None);

/// CLOCK_MONOTONIC in nanoseconds, the clock `perf record -k 1` uses.
fn timestamp() -> u64 {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid out-pointer.
    unsafe { libc::clock_gettime(libc::CLOCK_MONOTONIC, &mut ts) };
    ts.tv_sec as u64 * 1_000_000_000 + ts.tv_nsec as u64
}

fn open() -> io::Result<Dump> {
    use std::os::fd::AsRawFd;
    let pid = std::process::id();
    let mut file = OpenOptions::new()
        .create(true)
        .write(true)
        .truncate(true)
        .read(true)
        .open(path())?;
    let mut h = Vec::with_capacity(HEADER_SIZE as usize);
    for v in [MAGIC, VERSION, HEADER_SIZE, EM_X86_64, 0, pid] {
        h.extend_from_slice(&v.to_le_bytes());
    }
    h.extend_from_slice(&timestamp().to_le_bytes());
    h.extend_from_slice(&0u64.to_le_bytes());
    file.write_all(&h)?;
    // SAFETY: maps the file we just opened; the mapping is never written and stays for the
    // life of the process on purpose (perf record only needs to see the mmap event).
    let p = unsafe {
        libc::mmap(
            std::ptr::null_mut(),
            crate::memory::page_size(),
            libc::PROT_READ | libc::PROT_EXEC,
            libc::MAP_PRIVATE,
            file.as_raw_fd(),
            0,
        )
    };
    if p == libc::MAP_FAILED {
        return Err(io::Error::last_os_error());
    }
    Ok(Dump {
        pid,
        file,
        code_index: 0,
    })
}

fn record_header(out: &mut Vec<u8>, id: u32, total: usize, ts: u64) {
    out.extend_from_slice(&id.to_le_bytes());
    out.extend_from_slice(&(total as u32).to_le_bytes());
    out.extend_from_slice(&ts.to_le_bytes());
}

/// Appends a DEBUG_INFO (when the function has line rows) and a CODE_LOAD record per function.
pub(crate) fn write(input: &Input<'_>, rows: &[LineRow]) -> io::Result<()> {
    let mut guard = DUMP.lock().unwrap_or_else(|e| e.into_inner());
    let pid = std::process::id();
    if guard.as_ref().is_none_or(|d| d.pid != pid) {
        *guard = Some(open()?);
    }
    let dump = guard.as_mut().expect("opened above");
    // SAFETY: gettid has no preconditions.
    let tid = unsafe { libc::gettid() } as u32;
    let base = input.region.base();
    let mut out = Vec::new();
    for f in input.functions {
        let (start, end) = (f.address as u64, (f.address + f.size) as u64);
        let mut mine: Vec<LineRow> = rows
            .iter()
            .filter(|r| r.address >= start && r.address < end)
            .cloned()
            .collect();
        // perf inject ends each line sequence at the last entry's address: repeat the last row
        // at the function's end so that the last range keeps its line.
        if let Some(last) = mine.last().filter(|r| r.address < end).cloned() {
            mine.push(LineRow {
                address: end,
                ..last
            });
        }
        let ts = timestamp();
        if !mine.is_empty() {
            let body: usize = mine.iter().map(|r| 16 + r.file.len() + 1).sum();
            record_header(&mut out, JIT_CODE_DEBUG_INFO, 16 + 16 + body, ts);
            out.extend_from_slice(&start.to_le_bytes());
            out.extend_from_slice(&(mine.len() as u64).to_le_bytes());
            for r in &mine {
                out.extend_from_slice(&r.address.to_le_bytes());
                out.extend_from_slice(&r.line.to_le_bytes());
                out.extend_from_slice(&0u32.to_le_bytes());
                out.extend_from_slice(r.file.as_bytes());
                out.push(0);
            }
        }
        let code = input.region.bytes(f.address - base, f.size);
        record_header(
            &mut out,
            JIT_CODE_LOAD,
            16 + 40 + f.name.len() + 1 + code.len(),
            ts,
        );
        out.extend_from_slice(&pid.to_le_bytes());
        out.extend_from_slice(&tid.to_le_bytes());
        for v in [start, start, f.size as u64, dump.code_index] {
            out.extend_from_slice(&v.to_le_bytes());
        }
        dump.code_index += 1;
        out.extend_from_slice(f.name.as_bytes());
        out.push(0);
        out.extend_from_slice(code);
    }
    dump.file.write_all(&out)
}
