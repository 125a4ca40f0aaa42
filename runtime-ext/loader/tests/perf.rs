//! perf integration: the perf map lists every loaded function with its exact range, and the
//! jitdump parses with an independent reader (`linux-perf-data`) with line records matching the
//! source rows the functions were compiled with.

mod common;

use common::{Body, SOURCE, object, resolver, rows, spec};
use linux_perf_data::jitdump::{JitDumpReader, JitDumpRecord};
use s6_loader::perf::{self, Mode};
use s6_loader::{LoadOptions, LoadedObject};

fn load_with_perf() -> (LoadedObject, Vec<common::Spec>) {
    let specs = vec![
        spec("s6::perfmod.add", 100, Body::Add),
        spec("s6::perfmod.twice", 200, Body::Add),
    ];
    let bytes = object(&specs);
    let opts = LoadOptions {
        gdb: false,
        perf: Mode::Both,
    };
    (
        LoadedObject::load_with(&bytes, "perfmod", &resolver(vec![]), &opts).unwrap(),
        specs,
    )
}

#[test]
fn perf_map_and_jitdump() {
    let (obj, specs) = load_with_perf();

    // perf map: one line per function, exact start and size.
    let map = std::fs::read_to_string(perf::perf_map_path()).unwrap();
    for f in obj.functions() {
        let line = format!("{:x} {:x} {}", f.address, f.size, f.name);
        assert!(map.lines().any(|l| l == line), "missing `{line}` in\n{map}");
    }
    assert_eq!(obj.functions().len(), 2);

    // jitdump.
    let file = std::fs::File::open(perf::jitdump_path()).unwrap();
    let mut reader = JitDumpReader::new(file).unwrap();
    assert_eq!(reader.header().pid, std::process::id());
    let mut pending_lines: Option<Vec<(u64, u32, String)>> = None;
    let mut pending_unwind: Option<(Vec<u8>, Vec<u8>)> = None;
    let mut seen = 0;
    let mut last_ts = 0;
    while let Some(raw) = reader.next_record().unwrap() {
        assert!(raw.timestamp >= last_ts, "timestamps are monotonic");
        last_ts = raw.timestamp;
        match raw.parse().unwrap() {
            JitDumpRecord::CodeDebugInfo(d) => {
                pending_lines = Some(
                    d.entries
                        .iter()
                        .map(|e| {
                            let p = String::from_utf8(e.file_path.as_slice().to_vec()).unwrap();
                            (e.code_addr, e.line, p)
                        })
                        .collect(),
                );
            }
            JitDumpRecord::CodeUnwindingInfo(u) => {
                // perf (genelf.c) reads the data as `.eh_frame` then `.eh_frame_hdr`;
                // linux-perf-data 0.13 splits it the other way round (the first
                // `eh_frame_hdr_size` bytes), so rejoin and split as perf does.
                let hdr_size = u.eh_frame_hdr.len();
                let data = [u.eh_frame_hdr.as_slice(), u.eh_frame.as_slice()].concat();
                assert_eq!(u.mapped_size as usize, data.len());
                let (eh, hdr) = data.split_at(data.len() - hdr_size);
                pending_unwind = Some((eh.to_vec(), hdr.to_vec()));
            }
            JitDumpRecord::CodeLoad(load) => {
                let name = String::from_utf8(load.function_name.as_slice().to_vec()).unwrap();
                let Some(f) = obj
                    .functions()
                    .iter()
                    .find(|f| f.name == name && f.address as u64 == load.code_addr)
                else {
                    pending_lines = None;
                    continue;
                };
                seen += 1;
                let code = load.code_bytes.as_slice();
                assert_eq!(code.len(), f.size);
                // SAFETY: the function's bytes are mapped readable while `obj` lives.
                let mem = unsafe { std::slice::from_raw_parts(f.address as *const u8, f.size) };
                assert_eq!(&*code, mem, "code bytes of {name}");
                let lines = pending_lines.take().expect("DEBUG_INFO precedes CODE_LOAD");
                let (eh, hdr) = pending_unwind
                    .take()
                    .expect("UNWINDING_INFO precedes CODE_LOAD");
                check_unwind(&eh, &hdr, f.size as u64);
                let s = specs.iter().find(|s| s.symbol == name).unwrap();
                let expected = rows(s);
                assert!(!expected.is_empty());
                // The line in effect at each compiled row's offset (the last entry at or below
                // it) is the row's line.
                for (off, line) in expected {
                    let addr = f.address as u64 + u64::from(off);
                    let at = lines.iter().rev().find(|(a, _, _)| *a <= addr);
                    assert!(
                        at.is_some_and(|(_, l, p)| *l == line && p == SOURCE),
                        "{name}: line at +{off:#x} should be {line}: {lines:?}"
                    );
                }
                for (a, l, _) in &lines {
                    // The last entry repeats the last line at the function's end (for perf inject).
                    assert!(*a >= f.address as u64 && *a <= (f.address + f.size) as u64);
                    assert!((s.first_line..s.first_line + 3).contains(l));
                }
            }
            _ => {}
        }
    }
    assert_eq!(seen, 2, "one CODE_LOAD per function");
    let _ = std::fs::remove_file(perf::jitdump_path());
    // A later process with this pid would find our lines (the runtime empties such a file, but
    // a test should leave nothing behind).
    let _ = std::fs::remove_file(perf::perf_map_path());
}

/// The unwind data must describe the function where `perf inject` puts it: code at 0x80, then
/// `.eh_frame` 8-aligned after it, then `.eh_frame_hdr`.
fn check_unwind(eh: &[u8], hdr: &[u8], size: u64) {
    use gimli::{BaseAddresses, EhFrame, EhFrameHdr, LittleEndian, UnwindSection};
    let text = 0x80u64;
    let eh_addr = (text + size).next_multiple_of(8);
    let hdr_addr = eh_addr + eh.len() as u64;
    let bases = BaseAddresses::default()
        .set_eh_frame(eh_addr)
        .set_eh_frame_hdr(hdr_addr)
        .set_text(text);
    let section = EhFrame::new(eh, LittleEndian);
    let parsed = EhFrameHdr::new(hdr, LittleEndian)
        .parse(&bases, 8)
        .expect("eh_frame_hdr parses");
    let table = parsed.table().expect("search table");
    let fde = table
        .fde_for_address(&section, &bases, text + 1, |s, b, o| {
            s.cie_from_offset(b, o)
        })
        .expect("the header's table finds the FDE for the code");
    assert_eq!((fde.initial_address(), fde.len()), (text, size));
    // perf 5.18..6.7 looks for the header 0x80 bytes (the text's file offset) further on: a
    // copy there, relative to that address, must find the same FDE.
    let shifted = hdr_addr + 0x80;
    let old_bases = bases.clone().set_eh_frame_hdr(shifted);
    let copy = hdr.get(0x80..).expect("header copy for older perf");
    let parsed = EhFrameHdr::new(copy, LittleEndian)
        .parse(&old_bases, 8)
        .expect("shifted eh_frame_hdr parses");
    let fde = parsed
        .table()
        .expect("search table")
        .fde_for_address(&section, &old_bases, text + size - 1, |s, b, o| {
            s.cie_from_offset(b, o)
        })
        .expect("the shifted table finds the FDE for the code");
    assert_eq!((fde.initial_address(), fde.len()), (text, size));
}

#[test]
fn off_writes_nothing() {
    assert_eq!(Mode::parse("off"), Some(Mode::Off));
    let opts = LoadOptions {
        gdb: false,
        perf: Mode::Off,
    };
    let bytes = object(&[spec("s6::perfmod.quiet", 1, Body::Add)]);
    let obj = LoadedObject::load_with(&bytes, "quiet", &resolver(vec![]), &opts).unwrap();
    let map = std::fs::read_to_string(perf::perf_map_path()).unwrap_or_default();
    assert!(!map.contains("s6::perfmod.quiet"));
    drop(obj);
}
