//! The code object as marshal stores it, plus the counts CPython derives from it.

use super::constant::Const;

/// `co_flags` bits (Include/cpython/code.h).
pub const CO_OPTIMIZED: u32 = 0x0001;
pub const CO_NEWLOCALS: u32 = 0x0002;
pub const CO_VARARGS: u32 = 0x0004;
pub const CO_VARKEYWORDS: u32 = 0x0008;
pub const CO_NESTED: u32 = 0x0010;
pub const CO_GENERATOR: u32 = 0x0020;
pub const CO_COROUTINE: u32 = 0x0080;
pub const CO_ITERABLE_COROUTINE: u32 = 0x0100;
pub const CO_ASYNC_GENERATOR: u32 = 0x0200;
pub const CO_FUTURE_DIVISION: u32 = 0x20000;
pub const CO_FUTURE_ABSOLUTE_IMPORT: u32 = 0x40000;
pub const CO_FUTURE_WITH_STATEMENT: u32 = 0x80000;
pub const CO_FUTURE_PRINT_FUNCTION: u32 = 0x100000;
pub const CO_FUTURE_UNICODE_LITERALS: u32 = 0x200000;
pub const CO_FUTURE_BARRY_AS_BDFL: u32 = 0x400000;
pub const CO_FUTURE_GENERATOR_STOP: u32 = 0x800000;
pub const CO_FUTURE_ANNOTATIONS: u32 = 0x1000000;

/// `co_localspluskinds` bits (Include/internal/pycore_code.h).
pub const CO_FAST_LOCAL: u8 = 0x20;
pub const CO_FAST_CELL: u8 = 0x40;
pub const CO_FAST_FREE: u8 = 0x80;

/// A 3.11 code object, fields in marshal order. `code` is de-specialized bytecode with zeroed
/// caches (what `co_code` returns).
#[derive(Clone, Debug, PartialEq)]
pub struct Code {
    pub argcount: u32,
    pub posonlyargcount: u32,
    pub kwonlyargcount: u32,
    pub stacksize: u32,
    pub flags: u32,
    pub code: Vec<u8>,
    pub consts: Vec<Const>,
    pub names: Vec<String>,
    pub localsplusnames: Vec<String>,
    pub localspluskinds: Vec<u8>,
    /// Lossy if the file name held lone surrogates.
    pub filename: String,
    pub name: String,
    pub qualname: String,
    pub firstlineno: u32,
    pub linetable: Vec<u8>,
    pub exceptiontable: Vec<u8>,
}

impl Code {
    /// `co_nlocalsplus`: locals, cells and frees (slots before the value stack).
    pub fn nlocalsplus(&self) -> usize {
        self.localsplusnames.len()
    }

    fn count(&self, pred: impl Fn(u8) -> bool) -> usize {
        self.localspluskinds.iter().filter(|&&k| pred(k)).count()
    }

    /// `co_nlocals`: slots of kind `CO_FAST_LOCAL` (including arguments that are also cells).
    pub fn nlocals(&self) -> usize {
        self.count(|k| k & CO_FAST_LOCAL != 0)
    }

    /// `co_ncellvars`: cell slots, including arguments that are cells.
    pub fn ncellvars(&self) -> usize {
        self.count(|k| k & CO_FAST_CELL != 0)
    }

    /// `co_nfreevars`: free-variable slots (always last).
    pub fn nfreevars(&self) -> usize {
        self.count(|k| k & (CO_FAST_LOCAL | CO_FAST_CELL) == 0 && k & CO_FAST_FREE != 0)
    }

    /// `co_nplaincellvars`: cells that are not also arguments/locals.
    pub fn nplaincellvars(&self) -> usize {
        self.count(|k| k & CO_FAST_LOCAL == 0 && k & CO_FAST_CELL != 0)
    }

    /// Number of 16-bit code units.
    pub fn code_units(&self) -> usize {
        self.code.len() / 2
    }

    /// Whether calling it creates a generator, coroutine or async generator (or it is an
    /// iterable coroutine): the frame then belongs to that object.
    pub fn is_generator_like(&self) -> bool {
        self.flags & (CO_GENERATOR | CO_COROUTINE | CO_ASYNC_GENERATOR | CO_ITERABLE_COROUTINE) != 0
    }

    /// `co_varnames`: names of the slots that are locals.
    pub fn varnames(&self) -> Vec<&str> {
        self.kind_names(|k| k & CO_FAST_LOCAL != 0)
    }

    /// `co_cellvars`: names of cell slots.
    pub fn cellvars(&self) -> Vec<&str> {
        self.kind_names(|k| k & CO_FAST_CELL != 0)
    }

    /// `co_freevars`: names of free slots.
    pub fn freevars(&self) -> Vec<&str> {
        self.kind_names(|k| k & CO_FAST_FREE != 0)
    }

    fn kind_names(&self, pred: impl Fn(u8) -> bool) -> Vec<&str> {
        self.localsplusnames
            .iter()
            .zip(&self.localspluskinds)
            .filter(|(_, k)| pred(**k))
            .map(|(n, _)| n.as_str())
            .collect()
    }

    /// `_co_firsttraceable`: index of the first `RESUME` (0 when there is none, as CPython).
    pub fn first_traceable(&self) -> u32 {
        let mut i = 0;
        while i + 1 < self.code.len() {
            if self.code[i] == crate::opcodes::RESUME {
                return (i / 2) as u32;
            }
            i += 2;
        }
        0
    }

    /// Decoded instructions of `code` (see `bytecode::decode`).
    pub fn instructions(&self) -> Result<Vec<crate::Instr>, crate::DecodeError> {
        crate::bytecode::decode(&self.code)
    }

    /// Parsed exception table.
    pub fn handlers(
        &self,
    ) -> Result<Vec<crate::exceptions::Handler>, crate::exceptions::ExceptionTableError> {
        crate::exceptions::parse(&self.exceptiontable)
    }

    /// Source location of every code unit (`co_positions()`).
    pub fn locations(
        &self,
    ) -> Result<Vec<crate::locations::Location>, crate::locations::LocationError> {
        crate::locations::parse(&self.linetable, self.firstlineno, self.code_units())
    }

    /// Nested code objects in `co_consts` (direct children only).
    pub fn nested(&self) -> impl Iterator<Item = &Code> {
        self.consts.iter().filter_map(Const::as_code)
    }

    /// This code object and all nested ones, depth-first, parents first.
    pub fn walk(&self) -> Vec<&Code> {
        let mut out = vec![self];
        let mut i = 0;
        while i < out.len() {
            let c = out[i];
            let kids: Vec<&Code> = c.nested().collect();
            out.splice(i + 1..i + 1, kids);
            i += 1;
        }
        out
    }
}
