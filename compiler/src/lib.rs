//! strongjit and the s6 offline compiler.
