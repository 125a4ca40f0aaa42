//! On-disk formats shared by the runtime and the compiler: the profile (`model`, `format`,
//! `merge`), the cache manifest (`manifest`), the native ABI contract (`abi`) and the
//! schema of the `S6_STATS` report (`stats`). Nothing here
//! needs Python, so `s6c build` can run on a machine without it.

pub mod abi;
pub mod format;
pub mod hash;
pub mod index;
pub mod manifest;
pub mod merge;
pub mod model;
pub mod stats;
