//! A hot native loop for trying perf and gdb by hand (see docs/debugging.md): loads a test
//! object written by the compiler's emitter and calls `s6::hot.sum_to` for about two seconds.
//! Honours `S6_PERF` and gdb registration like the runtime does.

#[path = "../tests/common/mod.rs"]
mod common;

use common::{Body, object, resolver, spec};
use s6_loader::LoadedObject;

fn main() {
    let bytes = object(&[spec("s6::hot.sum_to", 10, Body::SumTo)]);
    let obj = LoadedObject::load(&bytes, "hot", &resolver(vec![])).expect("load");
    // SAFETY: (i64) -> i64.
    let f: extern "C" fn(i64) -> i64 =
        unsafe { std::mem::transmute(obj.symbol_address("s6::hot.sum_to").unwrap()) };
    let start = std::time::Instant::now();
    let mut total = 0i64;
    while start.elapsed().as_secs_f64() < 2.0 {
        total = total.wrapping_add(f(std::hint::black_box(1_000_000)));
    }
    println!("{total}");
}
