//! Builds the ELF image that gdb reads through the JIT interface: a copy of the object whose
//! loaded sections carry their load addresses and final bytes, whose symbols hold final
//! addresses and whose DWARF relocations are applied (RELA objects keep zeros in place).
//! Like wasmtime's `create_gdbjit_image` it becomes ET_DYN with PT_LOAD headers, so
//! that gdb and LLDB do not try to relocate it again.

use object::elf;

use super::Input;
use crate::elf::{Group, SymDef};
use crate::error::{LoadError, Result};
use crate::reloc;

const EHDR_E_TYPE: usize = 16;
const EHDR_E_PHOFF: usize = 32;
const EHDR_E_SHOFF: usize = 40;
const EHDR_E_PHENTSIZE: usize = 54;
const EHDR_E_PHNUM: usize = 56;
const EHDR_E_SHENTSIZE: usize = 58;
const SHDR_SH_ADDR: usize = 16;
const SYM_SIZE: usize = 24;
const SYM_ST_VALUE: usize = 8;
const PHDR_SIZE: usize = 56;

/// The debugger image and where each section's bytes are in it.
pub(crate) struct Image {
    pub(crate) bytes: Vec<u8>,
}

impl Image {
    /// The bytes of section `index` inside the image.
    pub(crate) fn section<'a>(&'a self, input: &crate::elf::Parsed<'_>, index: usize) -> &'a [u8] {
        let s = &input.sections[index];
        let start = s.file_offset as usize;
        match s.data {
            Some(d) => &self.bytes[start..start + d.len()],
            None => &[],
        }
    }
}

fn put_u16(b: &mut [u8], at: usize, v: u16) {
    b[at..at + 2].copy_from_slice(&v.to_le_bytes());
}
fn put_u64(b: &mut [u8], at: usize, v: u64) {
    b[at..at + 8].copy_from_slice(&v.to_le_bytes());
}
fn get_u16(b: &[u8], at: usize) -> u16 {
    u16::from_le_bytes([b[at], b[at + 1]])
}
fn get_u64(b: &[u8], at: usize) -> u64 {
    u64::from_le_bytes(b[at..at + 8].try_into().expect("8 bytes"))
}

pub(crate) fn build(input: &Input<'_>) -> Result<Image> {
    let parsed = input.parsed;
    let mut bytes = input.bytes.to_vec();
    let base = input.region.base() as u64;

    // Loaded sections: final (relocated) bytes from memory. Debug sections: relocate here.
    for (i, s) in parsed.sections.iter().enumerate() {
        if let (true, Some(d)) = (s.group.is_loaded(), s.data) {
            let off = (input.section_addr[i] - base) as usize;
            let at = s.file_offset as usize;
            bytes[at..at + d.len()].copy_from_slice(input.region.bytes(off, d.len()));
        }
    }
    for set in parsed
        .relocs
        .iter()
        .filter(|r| parsed.sections[r.target].group == Group::Debug)
    {
        let sec = &parsed.sections[set.target];
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
            field.write(&mut bytes, (sec.file_offset + r.offset) as usize);
        }
    }

    // Section addresses.
    let shoff = get_u64(&bytes, EHDR_E_SHOFF) as usize;
    let shentsize = get_u16(&bytes, EHDR_E_SHENTSIZE) as usize;
    for (i, s) in parsed.sections.iter().enumerate() {
        if s.group.is_loaded() {
            put_u64(
                &mut bytes,
                shoff + i * shentsize + SHDR_SH_ADDR,
                input.section_addr[i],
            );
        }
    }
    // Symbol values become addresses.
    if parsed.symtab_section != 0 {
        let symtab = parsed.sections[parsed.symtab_section].file_offset as usize;
        for (i, s) in parsed.symbols.iter().enumerate() {
            if let SymDef::Section { index, .. } = s.def
                && parsed.sections[index].group.is_loaded()
            {
                put_u64(
                    &mut bytes,
                    symtab + i * SYM_SIZE + SYM_ST_VALUE,
                    input.sym_addr[i],
                );
            }
        }
    }
    put_u16(&mut bytes, EHDR_E_TYPE, elf::ET_DYN);

    // One PT_LOAD per loaded section, so every allocated section lies inside a segment with a
    // consistent address/offset relation (LLDB wants segments; gdb warns without them).
    let loaded: Vec<usize> = (0..parsed.sections.len())
        .filter(|&i| parsed.sections[i].group.is_loaded())
        .collect();
    if !loaded.is_empty() {
        let phoff = bytes.len().next_multiple_of(8);
        bytes.resize(phoff + PHDR_SIZE * loaded.len(), 0);
        for (n, &i) in loaded.iter().enumerate() {
            let s = &parsed.sections[i];
            let flags = match s.group {
                Group::Exec => elf::PF_R | elf::PF_X,
                Group::Writable => elf::PF_R | elf::PF_W,
                _ => elf::PF_R,
            };
            let ph = &mut bytes[phoff + n * PHDR_SIZE..];
            ph[0..4].copy_from_slice(&elf::PT_LOAD.to_le_bytes());
            ph[4..8].copy_from_slice(&flags.to_le_bytes());
            put_u64(ph, 8, s.file_offset);
            put_u64(ph, 16, input.section_addr[i]);
            put_u64(ph, 24, input.section_addr[i]);
            put_u64(ph, 32, s.data.map_or(0, |d| d.len() as u64));
            put_u64(ph, 40, s.size);
            put_u64(ph, 48, 1);
        }
        put_u64(&mut bytes, EHDR_E_PHOFF, phoff as u64);
        put_u16(&mut bytes, EHDR_E_PHENTSIZE, PHDR_SIZE as u16);
        put_u16(&mut bytes, EHDR_E_PHNUM, loaded.len() as u16);
    }
    Ok(Image { bytes })
}
