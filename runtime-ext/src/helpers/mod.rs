//! The `s6_rt_*` runtime helpers that compiled code calls, and the table the loader resolves
//! their symbols from.

/// `(symbol, address)` of every runtime helper, for the loader.
pub fn table() -> Vec<(&'static str, usize)> {
    Vec::new()
}
