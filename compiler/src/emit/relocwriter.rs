//! A gimli writer that records relocations instead of resolving them, so that `.eh_frame` and
//! the DWARF sections can be turned into ELF relocations against section symbols.

use gimli::write::{EndianVec, RelocateWriter, Relocation};

#[derive(Clone)]
pub(crate) struct RelocVec {
    pub w: EndianVec<gimli::LittleEndian>,
    pub relocs: Vec<Relocation>,
}

impl Default for RelocVec {
    fn default() -> Self {
        RelocVec {
            w: EndianVec::new(gimli::LittleEndian),
            relocs: Vec::new(),
        }
    }
}

impl RelocateWriter for RelocVec {
    type Writer = EndianVec<gimli::LittleEndian>;
    fn writer(&self) -> &Self::Writer {
        &self.w
    }
    fn writer_mut(&mut self) -> &mut Self::Writer {
        &mut self.w
    }
    fn relocate(&mut self, r: Relocation) {
        self.relocs.push(r)
    }
}
