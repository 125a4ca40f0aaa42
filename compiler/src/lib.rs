//! strongjit and the s6 offline compiler.
pub mod driver;
pub mod emit;
pub mod lower;
pub mod translate;
