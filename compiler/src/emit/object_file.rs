//! Writes one relocatable x86-64 ELF object (see the layout contract in `write_object`).

use std::collections::HashMap;

use cranelift_codegen::isa::TargetIsa;
use gimli::write::RelocationTarget;
use object::write::{
    Object, Relocation, SectionId, StandardSection, Symbol, SymbolId, SymbolSection,
};
use object::{
    Architecture, BinaryFormat, Endianness, RelocationEncoding, RelocationFlags, RelocationKind,
    SectionKind, SymbolFlags, SymbolKind, SymbolScope,
};

use super::relocwriter::RelocVec;
use super::srcmap::{self, SrcRecord};
use super::{
    CodeReloc, EmitError, FUNCTION_ALIGN, FUNCTION_GAP, META_SECTION, ObjectInput, ObjectOutput,
    RelocKind, RelocTarget, SRCMAP_SECTION, dwarf, eh_frame, meta_bytes,
};
use s6_profiles::abi::{BINDINGS_SECTION, BINDINGS_SYMBOL};

/// Writes the object. Layout contract (what the loader may rely on):
/// - `.text` (AX): every function, 16-aligned; one global `STT_FUNC` symbol per function with
///   its size. Relocations are all `R_X86_64_GOTPCREL` (addend -4): the field is the distance
///   to a GOT slot that must hold the symbol's address. Targets: undefined symbols (libpython
///   exports and `s6_rt_*` helpers only: calls are `mov slot(%rip), reg; call *reg`) and the
///   local `s6_bindings.<n>` symbols (the first binding slot of function `n`, in `.s6.bindings`).
///   Cranelift in PIC mode reaches every symbol through the GOT; `PLT32`/`PC32` are mapped too
///   should a future setting produce them.
/// - `.s6.bindings` (WA, NOBITS: zero-filled, 8-aligned) with local `STT_OBJECT s6_bindings`
///   at its start.
/// - `.eh_frame` (A): one CIE, an FDE per function, `R_X86_64_PC32` against `.text`'s section
///   symbol, zero terminator.
/// - `.debug_*` (DWARF 5), relocations `R_X86_64_32`/`R_X86_64_64` against section symbols.
/// - `.s6.meta`, `.s6.srcmap` (non-alloc, no relocations), `.note.GNU-stack`.
pub fn write_object(isa: &dyn TargetIsa, input: &ObjectInput) -> Result<ObjectOutput, EmitError> {
    let mut obj = Object::new(BinaryFormat::Elf, Architecture::X86_64, Endianness::Little);
    obj.add_file_symbol(input.source.as_bytes().to_vec());

    // Binding table: slot bases in function order.
    let mut slot_bases = Vec::with_capacity(input.functions.len());
    let mut slots = 0u32;
    for f in &input.functions {
        slot_bases.push(slots);
        slots += f.binding_slots;
    }
    // Code: page-aligned in the file, so that the loader can map a prelinked object's code
    // from it (`s6_loader::prelink`).
    let text = obj.section_id(StandardSection::Text);
    obj.append_section_data(text, &[], s6_loader::PRELINK_PAGE as u64);
    // NOBITS: zero in memory, nothing in the file, nothing for the loader to copy. Added after
    // `.text`, so that its nominal file offset lies past the code: `perf report` reading this
    // object maps symbols to file offsets, and binding symbols at offsets inside the code
    // would take samples of functions.
    let bind_sec = obj.add_section(
        vec![],
        BINDINGS_SECTION.as_bytes().to_vec(),
        SectionKind::UninitializedData,
    );
    obj.append_section_bss(bind_sec, 8 * u64::from(slots), 8);
    obj.add_symbol(Symbol {
        name: BINDINGS_SYMBOL.as_bytes().to_vec(),
        value: 0,
        size: 8 * u64::from(slots),
        kind: SymbolKind::Data,
        scope: SymbolScope::Compilation,
        weak: false,
        section: SymbolSection::Section(bind_sec),
        flags: SymbolFlags::None,
    });

    let mut defined: HashMap<String, SymbolId> = HashMap::new();
    let mut starts = Vec::with_capacity(input.functions.len());
    let mut records = Vec::new();
    for (i, f) in input.functions.iter().enumerate() {
        if i > 0 {
            // `perf inject --jit` places each function's unwind table right after its code in
            // the ELF it synthesizes; without a gap the next function's code would hide that
            // table and perf would fall back to frame pointers. Never executed (int3).
            obj.append_section_data(text, &[0xcc; FUNCTION_GAP], 1);
        }
        let start = obj.append_section_data(text, &f.code, FUNCTION_ALIGN);
        starts.push(start);
        let id = obj.add_symbol(Symbol {
            name: f.symbol.as_bytes().to_vec(),
            value: start,
            size: f.code.len() as u64,
            kind: SymbolKind::Text,
            scope: SymbolScope::Dynamic,
            weak: false,
            section: SymbolSection::Section(text),
            flags: SymbolFlags::None,
        });
        defined.insert(f.symbol.clone(), id);
        records.extend(f.rows.iter().map(|r| SrcRecord {
            text_offset: (start + u64::from(r.offset)) as u32,
            index: r.index,
            line: r.line,
        }));
    }
    // A reference to a function of this object (inlined code comparing a callee's entry)
    // resolves to its symbol; one to a function the object does not define (it failed to
    // compile, or lives in another object) to an absolute 0, which no entry equals.
    let mut imports: HashMap<String, SymbolId> = defined;
    for (n, ((f, &start), &base)) in input
        .functions
        .iter()
        .zip(&starts)
        .zip(&slot_bases)
        .enumerate()
    {
        let mut own_slots = None;
        for r in &f.relocs {
            let symbol = match &r.target {
                RelocTarget::Bindings => *own_slots.get_or_insert_with(|| {
                    obj.add_symbol(Symbol {
                        name: format!("{BINDINGS_SYMBOL}.{n}").into_bytes(),
                        value: 8 * u64::from(base),
                        size: 8 * u64::from(f.binding_slots),
                        kind: SymbolKind::Data,
                        scope: SymbolScope::Compilation,
                        weak: false,
                        section: SymbolSection::Section(bind_sec),
                        flags: SymbolFlags::None,
                    })
                }),
                RelocTarget::Import(name) => import(&mut obj, &mut imports, name),
            };
            let offset = start + u64::from(r.offset);
            obj.add_relocation(
                text,
                Relocation {
                    offset,
                    symbol,
                    addend: r.addend,
                    flags: code_flags(r),
                },
            )?;
        }
    }
    let text_sym = obj.section_symbol(text);
    // `Address::Symbol { symbol: i, addend }` from gimli = `.text` + start of function i + addend.
    let address_of = |symbol: usize, addend: i64| (text_sym, starts[symbol] as i64 + addend);

    // .eh_frame
    let eh = eh_frame::write(isa, &input.functions)?;
    let eh_sec = obj.section_id(StandardSection::EhFrame);
    obj.append_section_data(eh_sec, eh.w.slice(), 8);
    for r in &eh.relocs {
        let RelocationTarget::Symbol(i) = r.target else {
            unreachable!("eh_frame only refers to functions")
        };
        let (symbol, addend) = address_of(i, r.addend);
        let pcrel = r
            .eh_pe
            .is_some_and(|pe| pe.application() == gimli::constants::DW_EH_PE_pcrel);
        let kind = if pcrel {
            RelocationKind::Relative
        } else {
            RelocationKind::Absolute
        };
        obj.add_relocation(
            eh_sec,
            Relocation {
                offset: r.offset as u64,
                symbol,
                addend,
                flags: generic(kind, r.size),
            },
        )?;
    }

    // DWARF: create every section first, then relocations (they refer to each other).
    let sections = dwarf::write(&input.source, &input.functions)?;
    let mut ids: Vec<(gimli::SectionId, SectionId)> = Vec::new();
    sections.for_each(|id, w: &RelocVec| -> Result<(), EmitError> {
        if !w.w.slice().is_empty() {
            let s = obj.add_section(vec![], id.name().as_bytes().to_vec(), SectionKind::Debug);
            obj.append_section_data(s, w.w.slice(), 1);
            ids.push((id, s));
        }
        Ok(())
    })?;
    sections.for_each(|id, w: &RelocVec| -> Result<(), EmitError> {
        let Some(&(_, s)) = ids.iter().find(|(i, _)| *i == id) else {
            return Ok(());
        };
        for r in &w.relocs {
            let (symbol, addend) = match r.target {
                RelocationTarget::Symbol(i) => address_of(i, r.addend),
                RelocationTarget::Section(t) => {
                    let sec = ids
                        .iter()
                        .find(|(i, _)| *i == t)
                        .map(|p| p.1)
                        .expect("DWARF refers to a written section");
                    (obj.section_symbol(sec), r.addend)
                }
            };
            let flags = generic(RelocationKind::Absolute, r.size);
            obj.add_relocation(
                s,
                Relocation {
                    offset: r.offset as u64,
                    symbol,
                    addend,
                    flags,
                },
            )?;
        }
        Ok(())
    })?;

    let meta = obj.add_section(
        vec![],
        META_SECTION.as_bytes().to_vec(),
        SectionKind::Metadata,
    );
    obj.append_section_data(meta, &meta_bytes(&input.target), 1);
    let map = obj.add_section(
        vec![],
        SRCMAP_SECTION.as_bytes().to_vec(),
        SectionKind::Metadata,
    );
    obj.append_section_data(map, &srcmap::encode(&records), 4);
    let note = obj.add_section(vec![], b".note.GNU-stack".to_vec(), SectionKind::Note);
    obj.section_mut(note).flags = object::SectionFlags::Elf { sh_flags: 0 };

    let mut bytes = obj.write()?;
    // The code's GOT-relative fields applied in the file: the loader maps it as it is.
    s6_loader::prelink(&mut bytes).map_err(|e| EmitError::Prelink(e.to_string()))?;
    Ok(ObjectOutput {
        bytes,
        slot_bases,
        binding_slots: slots,
    })
}

fn import(obj: &mut Object, imports: &mut HashMap<String, SymbolId>, name: &str) -> SymbolId {
    *imports.entry(name.to_owned()).or_insert_with(|| {
        if name.starts_with(s6_profiles::abi::FUNCTION_SYMBOL_PREFIX) {
            return obj.add_symbol(Symbol {
                name: name.as_bytes().to_vec(),
                value: 0,
                size: 0,
                kind: SymbolKind::Unknown,
                scope: SymbolScope::Compilation,
                weak: false,
                section: SymbolSection::Absolute,
                flags: SymbolFlags::None,
            });
        }
        obj.add_symbol(Symbol {
            name: name.as_bytes().to_vec(),
            value: 0,
            size: 0,
            kind: SymbolKind::Unknown,
            scope: SymbolScope::Dynamic,
            weak: false,
            section: SymbolSection::Undefined,
            flags: SymbolFlags::None,
        })
    })
}

fn code_flags(r: &CodeReloc) -> RelocationFlags {
    let r_type = match r.kind {
        RelocKind::GotPcRel => object::elf::R_X86_64_GOTPCREL,
        RelocKind::Plt32 => object::elf::R_X86_64_PLT32,
        RelocKind::Pc32 => object::elf::R_X86_64_PC32,
    };
    RelocationFlags::Elf { r_type }
}

fn generic(kind: RelocationKind, size_bytes: u8) -> RelocationFlags {
    RelocationFlags::Generic {
        kind,
        encoding: RelocationEncoding::Generic,
        size: size_bytes * 8,
    }
}
