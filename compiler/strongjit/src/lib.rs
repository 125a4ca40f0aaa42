//! strongjit: the SSA IR of s6.
