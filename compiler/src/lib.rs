//! strongjit and the s6 offline compiler.
pub mod emit;
