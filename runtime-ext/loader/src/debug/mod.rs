//! Announces a loaded object to debuggers and profilers: gdb's JIT interface (an in-memory ELF
//! image with relocated DWARF), perf's map file and jitdump. Each is optional; what is off
//! costs nothing.

pub(crate) mod gdb_jit;
pub(crate) mod image;
pub(crate) mod jitdump;
pub(crate) mod lines;
pub(crate) mod perf_map;

use crate::elf::Parsed;
use crate::error::Result;
use crate::loaded::{Function, LoadOptions};
use crate::memory::Region;

/// Everything the debug side needs to know about a freshly relocated object.
pub(crate) struct Input<'a> {
    pub(crate) parsed: &'a Parsed<'a>,
    /// Final address of each section (0 for sections that are not loaded).
    pub(crate) section_addr: &'a [u64],
    /// Final address of each symbol.
    pub(crate) sym_addr: &'a [u64],
    pub(crate) functions: &'a [Function],
    pub(crate) region: &'a Region,
    /// Address and length (with terminator) of the relocated `.eh_frame` in `region`.
    pub(crate) eh_frame: Option<(usize, usize)>,
}

/// Registrations to undo when the object is unloaded.
pub(crate) struct Handles {
    _gdb: Option<gdb_jit::Registration>,
}

pub(crate) fn publish(input: &Input<'_>, options: &LoadOptions) -> Result<Handles> {
    if !options.gdb && options.perf == crate::perf::Mode::Off {
        return Ok(Handles { _gdb: None });
    }
    let image = image::build(input)?;
    // perf output is best effort: a full /tmp must not stop the program from running.
    if options.perf.map() {
        let _ = perf_map::write(input.functions);
    }
    if options.perf.jitdump() {
        let lines = lines::decode(input.parsed, &image).unwrap_or_default();
        let _ = jitdump::write(input, &lines);
    }
    let gdb = options.gdb.then(|| gdb_jit::register(image));
    Ok(Handles { _gdb: gdb })
}
