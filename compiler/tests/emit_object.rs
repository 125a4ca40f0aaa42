//! Objects written from hand-written IR, read back with `object`, `readelf` and `nm`.

mod emit_common;

use emit_common::*;
use object::{Object, ObjectSection, ObjectSymbol, RelocationFlags, RelocationTarget, SectionKind};

fn sample() -> Vec<u8> {
    object_of(&[ADD_IR, LOOP_IR], "/tmp/s6test/test.py").0.bytes
}

#[test]
fn sections_symbols_and_relocations() {
    let bytes = sample();
    let file = object::File::parse(&*bytes).unwrap();
    for name in [
        ".text",
        ".eh_frame",
        ".s6.bindings",
        ".s6.meta",
        ".s6.srcmap",
        ".note.GNU-stack",
        ".debug_info",
        ".debug_line",
        ".debug_abbrev",
        ".debug_str",
        ".debug_line_str",
    ] {
        assert!(file.section_by_name(name).is_some(), "missing {name}");
    }
    let text = file.section_by_name(".text").unwrap();
    let mut funcs: Vec<(String, u64, u64)> = file
        .symbols()
        .filter(|s| s.is_global() && s.is_definition())
        .map(|s| (s.name().unwrap().to_owned(), s.address(), s.size()))
        .collect();
    funcs.sort();
    assert_eq!(
        funcs.iter().map(|f| f.0.as_str()).collect::<Vec<_>>(),
        ["s6::test.add", "s6::test.loop"]
    );
    for (_, addr, size) in &funcs {
        assert!(*size > 0 && addr + size <= text.size() && addr % 16 == 0);
    }
    // Binding table: 2 slots (LOOP_IR), zero-filled (NOBITS), writable.
    let bind = file.section_by_name(".s6.bindings").unwrap();
    assert_eq!(bind.kind(), SectionKind::UninitializedData);
    assert_eq!(bind.size(), 16);
    let meta = file
        .section_by_name(".s6.meta")
        .unwrap()
        .data()
        .unwrap()
        .to_vec();
    assert_eq!(
        u32::from_le_bytes(meta[..4].try_into().unwrap()),
        s6_profiles::abi::NATIVE_ABI_VERSION
    );

    // Every .text relocation is GOTPCREL to an import or a local binding-slot symbol.
    let mut undefined = std::collections::BTreeSet::new();
    for (_, r) in text.relocations() {
        assert_eq!(
            r.flags(),
            RelocationFlags::Elf {
                r_type: object::elf::R_X86_64_GOTPCREL
            }
        );
        let RelocationTarget::Symbol(i) = r.target() else {
            panic!("{r:?}")
        };
        let sym = file.symbol_by_index(i).unwrap();
        if sym.is_undefined() {
            undefined.insert(sym.name().unwrap().to_owned());
        } else {
            assert!(
                sym.name().unwrap().starts_with("s6_bindings."),
                "{:?}",
                sym.name()
            );
            assert_eq!(sym.section_index(), Some(bind.index()));
        }
    }
    assert_eq!(
        undefined.into_iter().collect::<Vec<_>>(),
        ["PyNumber_Add", "_Py_Dealloc", "s6_rt_resume_in_interpreter"]
    );
    // .eh_frame: only pc-relative relocations (no TEXTREL when linked into a PIE).
    let eh = file.section_by_name(".eh_frame").unwrap();
    assert!(eh.relocations().count() >= 2);
    for (_, r) in eh.relocations() {
        assert_eq!(
            r.flags(),
            RelocationFlags::Elf {
                r_type: object::elf::R_X86_64_PC32
            }
        );
    }
    // Source map covers both functions.
    let map = s6_compiler::emit::srcmap::decode(
        file.section_by_name(".s6.srcmap").unwrap().data().unwrap(),
    )
    .unwrap();
    assert!(map.iter().any(|r| r.index == 4 && r.line == 14));
    assert!(map.windows(2).all(|w| w[0].text_offset <= w[1].text_offset));
}

#[test]
fn undefined_symbols_are_libpython_exports_or_helpers() {
    let Some(exports) = libpython_exports() else {
        eprintln!("skipped: no python3/nm to list libpython exports");
        return;
    };
    let bytes = sample();
    let file = object::File::parse(&*bytes).unwrap();
    for s in file
        .symbols()
        .filter(|s| s.is_undefined() && !s.name().unwrap().is_empty())
    {
        let name = s.name().unwrap();
        assert!(
            name.starts_with(s6_profiles::abi::HELPER_PREFIX) || exports.contains(name),
            "{name} is neither an s6_rt_ helper nor exported by libpython"
        );
    }
}

#[test]
fn readelf_accepts_frames_and_lines() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.o");
    std::fs::write(&path, sample()).unwrap();
    let out = match std::process::Command::new("readelf")
        .args(["--debug-dump=frames,line,info", "-W"])
        .arg(&path)
        .output()
    {
        Ok(o) => o,
        Err(_) => return eprintln!("skipped: readelf not installed"),
    };
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success());
    assert!(stderr.trim().is_empty(), "readelf warnings: {stderr}");
    assert!(!stdout.to_lowercase().contains("warning"), "{stdout}");
    assert!(stdout.contains("zR"), "CIE augmentation: {stdout}");
    assert_eq!(stdout.matches(" FDE ").count(), 2, "{stdout}");
    assert!(stdout.contains("test.py"), "{stdout}");
    assert!(stdout.contains("s6::test.add"), "{stdout}");
}

#[test]
fn dwarf_line_table_maps_to_python_lines() {
    use gimli::EndianSlice;
    let bytes = sample();
    let file = object::File::parse(&*bytes).unwrap();
    // Relocations of debug sections are against section symbols of .text / debug sections; the
    // line program's addresses are section-relative, which is what we check here.
    let load = |id: gimli::SectionId| -> Result<EndianSlice<gimli::LittleEndian>, gimli::Error> {
        let data = file
            .section_by_name(id.name())
            .map(|s| s.data().unwrap())
            .unwrap_or(&[]);
        Ok(EndianSlice::new(data, gimli::LittleEndian))
    };
    let dwarf = gimli::Dwarf::load(load).unwrap();
    let mut units = dwarf.units();
    let header = units.next().unwrap().unwrap();
    let unit = dwarf.unit(header).unwrap();
    let program = unit.line_program.clone().unwrap();
    let mut rows = program.rows();
    let mut lines = std::collections::BTreeSet::new();
    while let Some((_, row)) = rows.next_row().unwrap() {
        if let Some(l) = row.line() {
            lines.insert(l.get());
        }
    }
    // ADD_IR: indexes 2, 4, 6 -> lines 12, 14, 16; LOOP_IR adds 18, 20, ...
    for want in [12, 14, 16, 18, 20] {
        assert!(lines.contains(&want), "{lines:?}");
    }
}

#[test]
fn disassembly_is_annotated_with_bytecode_lines_and_symbols() {
    let bytes = sample();
    let text = s6_compiler::emit::disasm::disassemble(&bytes, "s6::test.add", "test.py", &|l| {
        Some(format!("line {l} text"))
    })
    .unwrap();
    assert!(text.starts_with("s6::test.add: "), "{text}");
    assert!(text.contains("; @4 test.py:14  line 14 text"), "{text}");
    assert!(text.contains("; PyNumber_Add"), "{text}");
    assert!(text.contains("; s6_rt_resume_in_interpreter"), "{text}");
    assert!(text.contains("push rbp"), "{text}");
    let err = s6_compiler::emit::disasm::disassemble(&bytes, "s6::nope", "test.py", &|_| None)
        .unwrap_err();
    assert!(err.contains("not defined"), "{err}");
}
