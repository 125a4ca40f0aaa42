//! Builds the ELF image that gdb reads through the JIT interface: the object's symbols at their
//! final addresses, its DWARF with relocations applied (RELA objects keep zeros in place), its
//! relocated `.eh_frame`, and its loaded sections as `SHT_NOBITS` headers at their load
//! addresses. The code itself is not copied: a debugger reads it from the process, as it does
//! for a separate debug-info file (`objcopy --only-keep-debug`), so registering an object costs
//! its symbols and debug info rather than a second copy of its text.
//! Like wasmtime's `create_gdbjit_image` it is ET_DYN with PT_LOAD headers, so that gdb and LLDB
//! do not try to relocate it again.
//!
//! It does not keep the object's relocation sections, section symbols, file symbols or data
//! symbols other than the binding table's.

use std::ops::Range;

use object::elf;
use object::write::StringId;
use object::write::elf::{FileHeader, ProgramHeader, SectionHeader, SectionIndex, Sym, Writer};

use super::Input;
use crate::elf::{Group, Parsed, SymDef};
use crate::error::{LoadError, Result};
use crate::reloc;

/// Name of the unwind section, which keeps its (relocated) bytes in the image.
const EH_FRAME: &str = ".eh_frame";

/// The debugger image and where each kept section's bytes are in it.
pub(crate) struct Image {
    pub(crate) bytes: Vec<u8>,
    /// By input section index: the range of its bytes in `bytes` (debug sections, `.eh_frame`).
    ranges: Vec<Option<Range<usize>>>,
}

impl Image {
    /// The bytes of input section `index` inside the image (empty when it has none there).
    pub(crate) fn section<'a>(&'a self, _input: &Parsed<'_>, index: usize) -> &'a [u8] {
        match self.ranges.get(index) {
            Some(Some(r)) => &self.bytes[r.clone()],
            _ => &[],
        }
    }

    /// An image holding arbitrary bytes (registration tests).
    #[cfg(test)]
    pub(crate) fn raw(bytes: Vec<u8>) -> Image {
        Image {
            bytes,
            ranges: Vec::new(),
        }
    }
}

/// What one kept section becomes in the image.
struct Kept {
    input: usize,
    name: StringId,
    index: SectionIndex,
    /// Contents written into the image; `None` for `SHT_NOBITS`.
    data: Option<Vec<u8>>,
    offset: usize,
}

pub(crate) fn build(input: &Input<'_>) -> Result<Image> {
    let parsed = input.parsed;
    let base = input.region.base() as u64;

    // Contents of the sections that keep bytes: DWARF relocated here, `.eh_frame` as loaded.
    let mut contents: Vec<Option<Vec<u8>>> = vec![None; parsed.sections.len()];
    for (i, s) in parsed.sections.iter().enumerate() {
        match (s.group, s.data) {
            (Group::Debug, Some(d)) => contents[i] = Some(d.to_vec()),
            (Group::ReadOnly, Some(d)) if s.name == EH_FRAME => {
                let off = (input.section_addr[i] - base) as usize;
                contents[i] = Some(input.region.bytes(off, d.len()).to_vec());
            }
            _ => {}
        }
    }
    for set in parsed
        .relocs
        .iter()
        .filter(|r| parsed.sections[r.target].group == Group::Debug)
    {
        let sec = &parsed.sections[set.target];
        let Some(bytes) = contents[set.target].as_mut() else {
            continue;
        };
        for r in &set.relocs {
            let place = input.section_addr[set.target] + r.offset;
            let field =
                reloc::encode(r.kind, input.sym_addr[r.sym], r.addend, place).map_err(|e| {
                    LoadError::OutOfRange {
                        section: sec.name.to_string(),
                        offset: r.offset,
                        r_type: r.r_type,
                        value: e.0,
                    }
                })?;
            field.write(bytes, r.offset as usize);
        }
    }

    let keep: Vec<bool> = (0..parsed.sections.len())
        .map(|i| {
            let g = parsed.sections[i].group;
            g.is_loaded() || (g == Group::Debug && contents[i].is_some())
        })
        .collect();
    let loaded: Vec<usize> = (1..parsed.sections.len())
        .filter(|&i| parsed.sections[i].group.is_loaded())
        .collect();

    let mut out = Vec::new();
    let mut w = Writer::new(object::Endianness::Little, true, &mut out);
    w.reserve_file_header();
    w.reserve_program_headers(loaded.len() as u32);

    // Section indices, symbol table and string tables.
    w.reserve_null_section_index();
    let mut kept: Vec<Kept> = Vec::new();
    let mut new_index = vec![None; parsed.sections.len()];
    for (i, s) in parsed.sections.iter().enumerate().skip(1) {
        if !keep[i] {
            continue;
        }
        let name = w.add_section_name(s.name.as_bytes());
        let index = w.reserve_section_index();
        new_index[i] = Some(index);
        kept.push(Kept {
            input: i,
            name,
            index,
            data: contents[i].take(),
            offset: 0,
        });
    }
    w.reserve_symtab_section_index();
    w.reserve_strtab_section_index();
    w.reserve_shstrtab_section_index();

    // Named symbols of kept sections, locals first (ELF requires it).
    let mut symbols: Vec<(usize, SectionIndex)> = parsed
        .symbols
        .iter()
        .enumerate()
        .filter_map(|(i, s)| match s.def {
            // Functions and the binding table's start: what a debugger shows or is asked for
            // (not each function's slot-base symbol, which would double the string table).
            SymDef::Section { index, .. }
                if s.st_type == elf::STT_FUNC || s.name == s6_profiles::abi::BINDINGS_SYMBOL =>
            {
                new_index[index].map(|n| (i, n))
            }
            _ => None,
        })
        .collect();
    symbols.sort_by_key(|&(i, _)| !parsed.symbols[i].local);
    let num_local = 1 + symbols
        .iter()
        .filter(|&&(i, _)| parsed.symbols[i].local)
        .count() as u32;
    w.reserve_null_symbol_index();
    let names: Vec<StringId> = symbols
        .iter()
        .map(|&(i, section)| {
            w.reserve_symbol_index(Some(section));
            w.add_string(parsed.symbols[i].name.as_bytes())
        })
        .collect();

    for k in kept.iter_mut() {
        if let Some(d) = &k.data {
            let align = parsed.sections[k.input].align.max(1) as usize;
            k.offset = w.reserve(d.len(), align);
        }
    }
    w.reserve_symtab();
    w.reserve_strtab();
    w.reserve_shstrtab();
    w.reserve_section_headers();

    w.write_file_header(&FileHeader {
        os_abi: elf::ELFOSABI_NONE,
        abi_version: 0,
        e_type: elf::ET_DYN,
        e_machine: elf::EM_X86_64,
        e_entry: 0,
        e_flags: 0,
    })
    .map_err(|e| LoadError::Malformed(format!("debugger image: {e}")))?;

    // One PT_LOAD per loaded section, so every allocated section lies inside a segment (LLDB
    // wants segments; gdb warns without them).
    w.write_align_program_headers();
    for &i in &loaded {
        let s = &parsed.sections[i];
        let p_flags = match s.group {
            Group::Exec => elf::PF_R | elf::PF_X,
            Group::Writable => elf::PF_R | elf::PF_W,
            _ => elf::PF_R,
        };
        let (p_offset, p_filesz) = kept
            .iter()
            .find(|k| k.input == i)
            .and_then(|k| k.data.as_ref().map(|d| (k.offset as u64, d.len() as u64)))
            .unwrap_or((0, 0));
        w.write_program_header(&ProgramHeader {
            p_type: elf::PT_LOAD,
            p_flags,
            p_offset,
            p_vaddr: input.section_addr[i],
            p_paddr: input.section_addr[i],
            p_filesz,
            p_memsz: s.size,
            p_align: 1,
        });
    }

    for k in &kept {
        if let Some(d) = &k.data {
            w.write_align(parsed.sections[k.input].align.max(1) as usize);
            w.write(d);
        }
    }

    w.write_null_symbol();
    for (&(i, section), &name) in symbols.iter().zip(&names) {
        let s = &parsed.symbols[i];
        let bind = if s.local {
            elf::STB_LOCAL
        } else if s.weak {
            elf::STB_WEAK
        } else {
            elf::STB_GLOBAL
        };
        w.write_symbol(&Sym {
            name: Some(name),
            section: Some(section),
            st_info: (bind << 4) | (s.st_type & 0xf),
            st_other: elf::STV_DEFAULT,
            st_shndx: 0,
            st_value: input.sym_addr[i],
            st_size: s.size,
        });
    }
    w.write_strtab();
    w.write_shstrtab();

    w.write_null_section_header();
    for k in &kept {
        let s = &parsed.sections[k.input];
        let (sh_type, sh_flags, sh_addr) = match s.group {
            Group::Debug => (elf::SHT_PROGBITS, 0, 0),
            Group::Exec => (
                elf::SHT_NOBITS,
                elf::SHF_ALLOC | elf::SHF_EXECINSTR,
                input.section_addr[k.input],
            ),
            Group::Writable => (
                elf::SHT_NOBITS,
                elf::SHF_ALLOC | elf::SHF_WRITE,
                input.section_addr[k.input],
            ),
            _ if k.data.is_some() => (
                elf::SHT_PROGBITS,
                elf::SHF_ALLOC,
                input.section_addr[k.input],
            ),
            _ => (elf::SHT_NOBITS, elf::SHF_ALLOC, input.section_addr[k.input]),
        };
        w.write_section_header(&SectionHeader {
            name: Some(k.name),
            sh_type,
            sh_flags: sh_flags as u64,
            sh_addr,
            sh_offset: k.offset as u64,
            sh_size: k.data.as_ref().map_or(s.size, |d| d.len() as u64),
            sh_link: 0,
            sh_info: 0,
            sh_addralign: s.align.max(1),
            sh_entsize: 0,
        });
        debug_assert_eq!(Some(k.index), new_index[k.input]);
    }
    w.write_symtab_section_header(num_local);
    w.write_strtab_section_header();
    w.write_shstrtab_section_header();
    debug_assert_eq!(w.reserved_len(), w.len());

    let mut ranges = vec![None; parsed.sections.len()];
    for k in &kept {
        if let Some(d) = &k.data {
            ranges[k.input] = Some(k.offset..k.offset + d.len());
        }
    }
    Ok(Image { bytes: out, ranges })
}
