//! In-process loader for s6 objects: maps an ELF relocatable object that `s6c build` wrote
//! W^X near libpython, applies and range-checks its relocations, and makes the native code
//! visible to the unwinder (`__register_frame`), gdb (JIT interface) and perf (map/jitdump).
//! It knows nothing about Python; the runtime supplies a symbol resolver and fills the
//! binding table.
//!
//! ```no_run
//! # fn f(bytes: &[u8]) -> Result<(), s6_loader::LoadError> {
//! let resolve = |name: &str| -> Option<usize> { None /* helpers table, then libpython */ };
//! let obj = s6_loader::LoadedObject::load(bytes, "__s6cache__/app.o", &resolve)?;
//! let entry = obj.symbol_address("s6::app.main");
//! let (slots, n) = obj.bindings_table();
//! # Ok(()) }
//! ```

mod debug;
mod elf;
mod error;
mod layout;
mod loaded;
mod memory;
pub mod perf;
mod prelink;
mod reloc;
mod unwind;

pub use error::LoadError;
pub use loaded::{Function, LoadOptions, LoadedObject};
pub use memory::ObjectFile;
pub use prelink::{PRELINK_PAGE, prelink};
