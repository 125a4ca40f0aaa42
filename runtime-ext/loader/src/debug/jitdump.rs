//! perf's jitdump file (`jit-<pid>.dump`): code-load records with the code bytes, each preceded
//! by a debug-info record mapping addresses to Python `file:line` and an unwinding-info record
//! (the function's `.eh_frame`, for `perf --call-graph dwarf`), so that `perf inject --jit`
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
const JIT_CODE_UNWINDING_INFO: u32 = 4;
/// Where `perf inject` places the code in each `jitted-<pid>-<n>.so` (perf's
/// `GEN_ELF_TEXT_OFFSET`: ELF header + one program header, rounded to 16); it puts the
/// unwinding data right after the code, 8-aligned.
const GEN_ELF_TEXT_OFFSET: u64 = 0x80;

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
        if let Some((eh_addr, eh_len)) = input.eh_frame
            && let Some((data, hdr)) = unwind_data(
                input.region.bytes(eh_addr - base, eh_len),
                eh_addr as u64,
                start,
                f.size as u64,
            )
        {
            let padded = data.len().next_multiple_of(8);
            record_header(&mut out, JIT_CODE_UNWINDING_INFO, 16 + 24 + padded, ts);
            // unwinding size, eh_frame_hdr size, size mapped after the code.
            for v in [data.len() as u64, hdr as u64, data.len() as u64] {
                out.extend_from_slice(&v.to_le_bytes());
            }
            out.extend_from_slice(&data);
            out.resize(out.len() + padded - data.len(), 0);
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

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

/// The unwind table of the function at `func` as `perf inject` will place it in its
/// `jitted-*.so`: `.eh_frame` (the function's CIE and FDE, FDE address re-based to the code at
/// `GEN_ELF_TEXT_OFFSET`) followed by an `.eh_frame_hdr` with a one-entry search table, and a
/// second copy of that header [`OLD_PERF_HDR_SHIFT`] bytes further on for older perf.
/// Returns the bytes and the header's size; `None` if the FDE is not found (or not encoded
/// pc-relative sdata4, as the emitter writes it).
fn unwind_data(eh: &[u8], eh_addr: u64, func: u64, code_size: u64) -> Option<(Vec<u8>, usize)> {
    let fde = crate::unwind::fde_offsets(eh).into_iter().find(|&off| {
        let field = eh_addr as i64 + off as i64 + 8;
        u32_at(eh, off + 8).is_some_and(|v| (field + i64::from(v as i32)) as u64 == func)
    })?;
    let fde_len = u32_at(eh, fde)? as usize + 4;
    let cie = (fde + 4).checked_sub(u32_at(eh, fde + 4)? as usize)?;
    let cie_len = u32_at(eh, cie)? as usize + 4;
    let mut data = eh.get(cie..cie + cie_len)?.to_vec();
    let new_fde = data.len();
    data.extend_from_slice(eh.get(fde..fde + fde_len)?);
    data.extend_from_slice(&[0; 4]);
    let e = (GEN_ELF_TEXT_OFFSET + code_size).next_multiple_of(8) as i64;
    let text = GEN_ELF_TEXT_OFFSET as i64;
    data[new_fde + 4..new_fde + 8].copy_from_slice(&((new_fde + 4) as u32).to_le_bytes());
    let pc_field = e + new_fde as i64 + 8;
    data[new_fde + 8..new_fde + 12].copy_from_slice(&((text - pc_field) as i32).to_le_bytes());
    let h = e + data.len() as i64;
    let fde_addr = e + new_fde as i64;
    data.extend_from_slice(&eh_frame_hdr(h, e, text, fde_addr));
    data.resize(data.len() + OLD_PERF_HDR_SHIFT as usize - HDR_SIZE, 0);
    data.extend_from_slice(&eh_frame_hdr(h + OLD_PERF_HDR_SHIFT, e, text, fde_addr));
    Some((data, OLD_PERF_HDR_SHIFT as usize + HDR_SIZE))
}

/// Size of an `.eh_frame_hdr` with one search-table entry.
const HDR_SIZE: usize = 20;

/// perf 5.18 to 6.7 (fixed by upstream 4fb54994b236 "perf unwind-libunwind: Fix base address
/// for .eh_frame", backported to 6.1.y and 6.6.y in 2024) takes the lowest mapping of a DSO as
/// its load base without subtracting the mapping's file offset, so for a
/// `jitted-*.so` (mapped at file offset `GEN_ELF_TEXT_OFFSET`) it looks for the search table
/// that many bytes too far and unwinding falls back to guessing from frame pointers. A copy of
/// the header placed there, with its table relative to that address, serves those versions;
/// newer ones read the first header and never look at the copy.
const OLD_PERF_HDR_SHIFT: i64 = GEN_ELF_TEXT_OFFSET as i64;

/// An `.eh_frame_hdr` at address `h` for `.eh_frame` at `e`, with one search-table entry: code
/// at `text` described by the FDE at `fde`. Version 1; eh_frame_ptr pcrel|sdata4; fde_count
/// udata4; table datarel|sdata4 (relative to `h`).
fn eh_frame_hdr(h: i64, e: i64, text: i64, fde: i64) -> [u8; HDR_SIZE] {
    let mut out = [0u8; HDR_SIZE];
    out[..4].copy_from_slice(&[1, 0x1b, 0x03, 0x3b]);
    out[4..8].copy_from_slice(&((e - (h + 4)) as i32).to_le_bytes());
    out[8..12].copy_from_slice(&1u32.to_le_bytes());
    out[12..16].copy_from_slice(&((text - h) as i32).to_le_bytes());
    out[16..20].copy_from_slice(&((fde - h) as i32).to_le_bytes());
    out
}
