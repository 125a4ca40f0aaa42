//! Object emission: turns the machine code of one source module's compiled functions into a
//! relocatable x86-64 ELF object (text, `.eh_frame`, DWARF, binding table, metadata), and a set
//! of objects into a cache directory with its manifest. Nothing here knows Python or strongjit:
//! the input is machine code with relocations, unwind info and per-offset source positions.

pub mod cache;
pub mod disasm;
mod dwarf;
mod eh_frame;
mod object_file;
mod relocwriter;
pub mod srcmap;

pub use object_file::write_object;

use cranelift_codegen::isa::unwind::UnwindInfo;

/// Non-allocated section carrying [`s6_profiles::abi::NATIVE_ABI_VERSION`] and the target the code
/// was compiled for (see [`meta_bytes`]).
pub const META_SECTION: &str = ".s6.meta";
/// Non-allocated side table mapping machine code to bytecode index and Python line
/// (see [`srcmap`]); `s6c inspect asm` reads it.
pub const SRCMAP_SECTION: &str = ".s6.srcmap";
/// Alignment of each function in `.text`.
pub const FUNCTION_ALIGN: u64 = 16;
/// Bytes of `int3` between two functions of an object (room for perf's per-function unwind
/// tables; see `object_file::write_object`).
pub const FUNCTION_GAP: usize = 512;

/// Where a code relocation points.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RelocTarget {
    /// An undefined symbol: a libpython export or an `s6_rt_*` helper.
    Import(String),
    /// The function's first slot in the object's binding table (the emitter places each
    /// function's slots and defines a local symbol `s6_bindings.<n>` for them).
    Bindings,
}

/// How a 4-byte field of the code is patched (all are rip-relative, addend included).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RelocKind {
    /// `R_X86_64_GOTPCREL`: the field holds the distance to a GOT slot holding the target.
    GotPcRel,
    /// `R_X86_64_PLT32`: `call rel32` to the target (or a stub that reaches it).
    Plt32,
    /// `R_X86_64_PC32`: rip-relative reference to data in this object.
    Pc32,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CodeReloc {
    /// Offset in the function's code.
    pub offset: u32,
    pub kind: RelocKind,
    pub target: RelocTarget,
    pub addend: i64,
}

/// One source position of the machine code: from `offset` (in the function) on, the code
/// belongs to bytecode instruction `index`, on Python line `line` (0 when unknown).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SourceRow {
    pub offset: u32,
    pub index: u32,
    pub line: u32,
}

/// A compiled function ready to be placed in an object.
#[derive(Clone, Debug)]
pub struct FunctionCode {
    /// Global symbol (`abi::function_symbol`); also the DWARF subprogram name.
    pub symbol: String,
    pub code: Vec<u8>,
    pub relocs: Vec<CodeReloc>,
    pub unwind: Option<UnwindInfo>,
    /// Sorted by offset.
    pub rows: Vec<SourceRow>,
    /// Binding slots this function uses (its slots are `base .. base + binding_slots`).
    pub binding_slots: u32,
}

impl FunctionCode {
    /// The names of the imports the code refers to, in order of first reference.
    pub fn imports(&self) -> impl Iterator<Item = &str> {
        self.relocs.iter().filter_map(|r| match &r.target {
            RelocTarget::Import(n) => Some(n.as_str()),
            _ => None,
        })
    }
}

/// Everything that goes into one object file.
#[derive(Clone, Debug)]
pub struct ObjectInput {
    /// Python source file (the compile unit's name), as `co_filename` has it.
    pub source: String,
    pub functions: Vec<FunctionCode>,
    /// Printable description of the target and ISA flags, stored in [`META_SECTION`].
    pub target: String,
}

/// A written object: its bytes and where each function's binding slots start.
#[derive(Clone, Debug)]
pub struct ObjectOutput {
    pub bytes: Vec<u8>,
    /// Per function (same order as the input), its first binding slot.
    pub slot_bases: Vec<u32>,
    pub binding_slots: u32,
}

#[derive(Debug, thiserror::Error)]
pub enum EmitError {
    #[error("object writer: {0}")]
    Object(#[from] object::write::Error),
    #[error("DWARF/CFI writer: {0}")]
    Gimli(#[from] gimli::write::Error),
    #[error("function `{0}` has no System V unwind info")]
    NoUnwind(String),
    #[error("cache directory: {0}")]
    Io(#[from] std::io::Error),
    #[error("prelinking the object: {0}")]
    Prelink(String),
}

/// Contents of [`META_SECTION`]: `NATIVE_ABI_VERSION` as u32 LE, then the target text,
/// NUL-terminated.
pub fn meta_bytes(target: &str) -> Vec<u8> {
    let mut v = s6_profiles::abi::NATIVE_ABI_VERSION.to_le_bytes().to_vec();
    v.extend_from_slice(target.as_bytes());
    v.push(0);
    v
}
