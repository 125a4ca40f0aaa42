//! Parses an s6 object into a validated, loader-shaped view: which sections go where, every
//! symbol's definition, and every relocation already decoded and bounds-checked. All checks on
//! untrusted bytes happen here, so later stages can index without fear of panics.

use object::LittleEndian as LE;
use object::elf;
use object::read::elf::{ElfFile64, FileHeader, Rela as _, SectionHeader as _, Sym as _};

use crate::error::{LoadError, Result};
use crate::reloc::Kind;

/// Largest section we accept (guards against absurd sizes in corrupt NOBITS headers).
const MAX_SECTION: u64 = 1 << 30;
/// Largest alignment we honour (a page).
const MAX_ALIGN: u64 = 4096;

/// Where a section goes in memory, by its flags.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Group {
    /// Executable code (mapped RX).
    Exec,
    /// Constants and `.eh_frame` (mapped R after relocation).
    ReadOnly,
    /// Writable data, e.g. the binding table (stays RW).
    Writable,
    /// `.debug_*`: not loaded, only relocated for the debugger image and line tables.
    Debug,
    /// Anything else (symtab, relocations, notes): not loaded.
    Ignored,
}

impl Group {
    pub(crate) fn is_loaded(self) -> bool {
        matches!(self, Group::Exec | Group::ReadOnly | Group::Writable)
    }
}

pub(crate) struct Section<'a> {
    pub(crate) name: &'a str,
    pub(crate) group: Group,
    pub(crate) size: u64,
    pub(crate) align: u64,
    /// File contents; `None` for SHT_NOBITS (zero-filled).
    pub(crate) data: Option<&'a [u8]>,
    /// Offset of `data` in the file (meaningful when `data` is `Some`).
    pub(crate) file_offset: u64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum SymDef {
    /// The null symbol or an import.
    Undefined,
    Absolute(u64),
    Section {
        index: usize,
        offset: u64,
    },
}

pub(crate) struct Symbol<'a> {
    pub(crate) name: &'a str,
    pub(crate) def: SymDef,
    pub(crate) st_type: u8,
    pub(crate) size: u64,
    pub(crate) weak: bool,
    /// `STB_LOCAL`.
    pub(crate) local: bool,
}

#[derive(Clone, Copy, Debug)]
pub(crate) struct Reloc {
    pub(crate) offset: u64,
    pub(crate) kind: Kind,
    pub(crate) r_type: u32,
    pub(crate) sym: usize,
    pub(crate) addend: i64,
}

/// The relocations that apply to one section.
pub(crate) struct RelocSet {
    pub(crate) target: usize,
    pub(crate) relocs: Vec<Reloc>,
}

pub(crate) struct Parsed<'a> {
    /// Indexed by ELF section index (entry 0 is the null section).
    pub(crate) sections: Vec<Section<'a>>,
    /// Indexed by ELF symbol index (entry 0 is the null symbol).
    pub(crate) symbols: Vec<Symbol<'a>>,
    pub(crate) relocs: Vec<RelocSet>,
}

fn malformed(msg: impl Into<String>) -> LoadError {
    LoadError::Malformed(msg.into())
}

fn utf8<'a>(bytes: &'a [u8], what: &str) -> Result<&'a str> {
    std::str::from_utf8(bytes).map_err(|_| malformed(format!("{what} is not UTF-8")))
}

pub(crate) fn parse(data: &[u8]) -> Result<Parsed<'_>> {
    let file = ElfFile64::<LE>::parse(data)?;
    let endian = file.endian();
    let header = file.elf_header();
    if header.e_machine(endian) != elf::EM_X86_64 {
        return Err(LoadError::Unsupported(format!(
            "e_machine {}",
            header.e_machine(endian)
        )));
    }
    if header.e_type(endian) != elf::ET_REL {
        return Err(LoadError::Unsupported(format!(
            "e_type {} (want ET_REL)",
            header.e_type(endian)
        )));
    }
    let table = file.elf_section_table();
    let mut sections = Vec::with_capacity(table.len());
    let mut rela_headers = Vec::new();
    for (index, sh) in table.enumerate() {
        let name = utf8(table.section_name(endian, sh)?, "section name")?;
        let sh_type = sh.sh_type(endian);
        let flags = sh.sh_flags(endian);
        let size = sh.sh_size(endian);
        let align = sh.sh_addralign(endian).max(1);
        if !align.is_power_of_two() || align > MAX_ALIGN {
            return Err(malformed(format!("section {name}: alignment {align}")));
        }
        if size > MAX_SECTION {
            return Err(malformed(format!("section {name}: size {size}")));
        }
        let alloc = flags & u64::from(elf::SHF_ALLOC) != 0;
        let exec = flags & u64::from(elf::SHF_EXECINSTR) != 0;
        let write = flags & u64::from(elf::SHF_WRITE) != 0;
        let group = if index.0 == 0 || sh_type == elf::SHT_NULL {
            Group::Ignored
        } else if alloc {
            if flags & u64::from(elf::SHF_TLS) != 0 {
                return Err(LoadError::Unsupported(format!("TLS section {name}")));
            }
            if !matches!(
                sh_type,
                elf::SHT_PROGBITS | elf::SHT_NOBITS | elf::SHT_X86_64_UNWIND
            ) {
                return Err(LoadError::Unsupported(format!(
                    "allocated section {name} of type {sh_type}"
                )));
            }
            match (exec, write) {
                (true, true) => {
                    return Err(LoadError::Unsupported(format!("section {name} is W+X")));
                }
                (true, false) => Group::Exec,
                (false, true) => Group::Writable,
                (false, false) => Group::ReadOnly,
            }
        } else if name.starts_with(".debug_") && sh_type == elf::SHT_PROGBITS {
            Group::Debug
        } else {
            Group::Ignored
        };
        match sh_type {
            elf::SHT_RELA => rela_headers.push((index.0, sh)),
            elf::SHT_REL => return Err(LoadError::Unsupported(format!("REL section {name}"))),
            _ => {}
        }
        let data = if sh_type == elf::SHT_NOBITS || sh_type == elf::SHT_NULL {
            None
        } else {
            let d = sh
                .data(endian, data)
                .map_err(|_| malformed(format!("section {name}: bad file range")))?;
            if d.len() as u64 != size {
                return Err(malformed(format!("section {name}: truncated")));
            }
            Some(d)
        };
        if group == Group::Debug && name.starts_with(".debug_") && data.is_none() {
            return Err(malformed(format!("section {name} has no data")));
        }
        sections.push(Section {
            name,
            group,
            size,
            align,
            data,
            file_offset: sh.sh_offset(endian),
        });
    }

    let symtab = file.elf_symbol_table();
    let mut symbols = Vec::with_capacity(symtab.symbols().len());
    for (i, sym) in symtab.symbols().iter().enumerate() {
        let name = utf8(symtab.symbol_name(endian, sym)?, "symbol name")?;
        let shndx = sym.st_shndx(endian);
        let def = if shndx == elf::SHN_ABS {
            SymDef::Absolute(sym.st_value(endian))
        } else if shndx == elf::SHN_COMMON {
            return Err(LoadError::Unsupported(format!("COMMON symbol {name}")));
        } else {
            match symtab.symbol_section(endian, sym, object::SymbolIndex(i))? {
                None => SymDef::Undefined,
                Some(s) => {
                    let sec = sections
                        .get(s.0)
                        .ok_or_else(|| malformed(format!("symbol {name}: section {}", s.0)))?;
                    let offset = sym.st_value(endian);
                    if offset > sec.size {
                        return Err(malformed(format!("symbol {name} beyond its section")));
                    }
                    SymDef::Section { index: s.0, offset }
                }
            }
        };
        symbols.push(Symbol {
            name,
            def,
            st_type: sym.st_type(),
            size: sym.st_size(endian),
            weak: sym.st_bind() == elf::STB_WEAK,
            local: sym.st_bind() == elf::STB_LOCAL,
        });
    }
    let symtab_section = symtab.section().0;

    let mut relocs = Vec::new();
    for (index, sh) in rela_headers {
        let name = sections[index].name;
        let target = sh.sh_info(endian) as usize;
        let Some(tsec) = sections.get(target) else {
            return Err(malformed(format!("{name}: target section {target}")));
        };
        if !(tsec.group.is_loaded() || tsec.group == Group::Debug) {
            continue;
        }
        if sh.sh_link(endian) as usize != symtab_section || symtab_section == 0 {
            return Err(malformed(format!("{name}: not linked to .symtab")));
        }
        if tsec.data.is_none() {
            return Err(malformed(format!(
                "{name}: relocations against a NOBITS section"
            )));
        }
        let relas: &[elf::Rela64<LE>] = sh
            .data_as_array(endian, data)
            .map_err(|_| malformed(format!("{name}: bad relocation table")))?;
        let mut set = RelocSet {
            target,
            relocs: Vec::with_capacity(relas.len()),
        };
        for r in relas {
            let offset = r.r_offset(endian);
            let r_type = r.r_type(endian, false);
            let sym = r.r_sym(endian, false) as usize;
            let kind = Kind::from_elf(r_type).ok_or_else(|| LoadError::UnknownRelocation {
                section: tsec.name.to_string(),
                offset,
                r_type,
            })?;
            if sym == 0 || sym >= symbols.len() {
                return Err(malformed(format!("{name}: relocation symbol {sym}")));
            }
            if offset
                .checked_add(kind.size() as u64)
                .is_none_or(|end| end > tsec.size)
            {
                return Err(malformed(format!(
                    "{name}: relocation at {offset:#x} beyond section"
                )));
            }
            set.relocs.push(Reloc {
                offset,
                kind,
                r_type,
                sym,
                addend: r.r_addend(endian),
            });
        }
        relocs.push(set);
    }
    Ok(Parsed {
        sections,
        symbols,
        relocs,
    })
}

impl<'a> Parsed<'a> {
    /// Index of the first section called `name`.
    pub(crate) fn section_index(&self, name: &str) -> Option<usize> {
        self.sections
            .iter()
            .position(|s| s.name == name && s.group != Group::Ignored)
    }
}
