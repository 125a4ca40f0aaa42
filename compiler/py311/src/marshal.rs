//! Reader for CPython 3.11 `marshal` data (format version 4) as produced by
//! `marshal.dumps(code)` and stored in `.pyc` files after the 16-byte header. It produces
//! plain Rust values (`Code`, `Const`) so that the compiler never needs a Python process.
//! Malformed input is an error, never a panic.

mod code;
mod constant;
mod reader;
mod repr;

pub use code::*;
pub use constant::{Const, Int};
pub use reader::{MarshalError, load_code, load_const, load_pyc};
