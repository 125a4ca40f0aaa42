//! strongjit and the s6 offline compiler.
pub mod emit;
pub mod lower;
