//! The only place that knows CPython 3.11: opcode tables, the marshal reader, the bytecode
//! decoder, the exception and location tables, and the struct layouts generated code relies on.
//! Everything here is pure data and parsing (no Python needed at build time).

pub mod bytecode;
pub mod exceptions;
pub mod layout;
pub mod locations;
pub mod marshal;
pub mod opargs;
pub mod opcodes;
pub mod specialization;
pub mod stack_effect;

pub use bytecode::{DecodeError, Instr, decode, decode_adaptive};
pub use marshal::{Code, Const, MarshalError};

/// Any error of this crate, for callers that just propagate.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Marshal(#[from] MarshalError),
    #[error(transparent)]
    Decode(#[from] DecodeError),
    #[error(transparent)]
    ExceptionTable(#[from] exceptions::ExceptionTableError),
    #[error(transparent)]
    Location(#[from] locations::LocationError),
}
