//! Malformed input must give an error, never a panic: every truncation and every single-bit flip
//! of real marshal data (code objects from the stdlib corpus) goes through the marshal reader,
//! and whatever still decodes goes through the bytecode, exception-table and location parsers.

mod common;

use s6_py311::marshal::{self, Code};
use s6_py311::{bytecode, exceptions, locations};
use std::panic::{AssertUnwindSafe, catch_unwind};

/// Runs every parser over a decoded code object (and its nested ones).
fn exercise(c: &Code) {
    for c in c.walk() {
        let _ = bytecode::decode(&c.code);
        let _ = bytecode::decode_adaptive(&c.code);
        let _ = exceptions::parse(&c.exceptiontable);
        let _ = locations::parse(&c.linetable, c.firstlineno, c.code_units());
        let _ = c.to_string();
        for k in &c.consts {
            let _ = k.to_string();
        }
        let _ = (
            c.nlocals(),
            c.ncellvars(),
            c.nfreevars(),
            c.first_traceable(),
        );
    }
}

fn samples() -> Vec<(String, Vec<u8>)> {
    // Small code objects (~3 KB in all, to keep the test a few seconds) with varied contents:
    // exception handlers, a closure with a nested code object and lambda, a coroutine, a
    // frozenset and float/bytes/None consts.
    let wanted = [
        ("json.decoder", "_decode_uXXXX"),
        ("compiler/py311/tests/data/edge_cases.py", "membership"),
        ("compiler/py311/tests/data/edge_cases.py", "outer"),
        ("compiler/py311/tests/data/edge_cases.py", "Klass.coro"),
    ];
    let fx = common::dump_fixtures(
        &["json.decoder", "compiler/py311/tests/data/edge_cases.py"],
        false,
    );
    let modules = fx["modules"].as_array().unwrap();
    wanted
        .iter()
        .map(|(m, q)| {
            let rec = modules
                .iter()
                .filter(|mm| mm["module"] == *m)
                .flat_map(|mm| mm["codes"].as_array().unwrap())
                .find(|r| r["qualname"] == *q)
                .unwrap_or_else(|| panic!("{m}:{q} not in corpus"));
            (format!("{m}:{q}"), common::hex(&rec["marshal"]))
        })
        .collect()
}

#[test]
fn truncations_and_bit_flips_never_panic() {
    let mut decoded_after_flip = 0;
    let mut total = 0;
    for (name, data) in samples() {
        assert!(
            marshal::load_code(&data).is_ok(),
            "{name}: sample must decode"
        );
        for cut in 0..data.len() {
            let r = catch_unwind(|| marshal::load_code(&data[..cut]).map(|c| exercise(&c)));
            match r {
                Err(_) => panic!("{name}: panic on truncation at {cut}"),
                Ok(r) => assert!(r.is_err(), "{name}: truncation at {cut} decoded"),
            }
        }
        let mut buf = data.clone();
        for pos in 0..data.len() {
            for bit in 0..8 {
                buf[pos] ^= 1 << bit;
                let r = catch_unwind(AssertUnwindSafe(|| {
                    marshal::load_code(&buf).map(|c| exercise(&c))
                }));
                match r {
                    Err(_) => panic!("{name}: panic with bit {bit} of byte {pos} flipped"),
                    Ok(Ok(())) => decoded_after_flip += 1,
                    Ok(Err(_)) => {}
                }
                total += 1;
                buf[pos] ^= 1 << bit;
            }
        }
    }
    // Flips inside bytecode/strings still decode, so the later parsers saw damaged input too.
    assert!(
        decoded_after_flip > total / 10,
        "{decoded_after_flip} of {total}"
    );
}

/// Deterministic xorshift, so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

#[test]
fn random_bytes_never_panic_any_parser() {
    let mut rng = Rng(0x5eed_1234_abcd_ef01);
    // Type bytes that start objects, to get past the first byte more often than chance.
    let starts = b"NFT.S0iIlgfyxsaAzZut)([<>{cr";
    for round in 0..20_000 {
        let len = (rng.next() % 64) as usize;
        let mut buf: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
        if !buf.is_empty() && round % 2 == 0 {
            buf[0] = starts[(rng.next() % starts.len() as u64) as usize] | (round as u8 & 0x80);
        }
        let r = catch_unwind(|| {
            let _ = marshal::load_const(&buf).map(|c| c.to_string());
            let _ = marshal::load_pyc(&buf);
            let _ = bytecode::decode(&buf);
            let _ = bytecode::decode_adaptive(&buf);
            let _ = exceptions::parse(&buf);
            let _ = exceptions::lookup(&buf, 7);
            let _ = locations::parse(&buf, 1, buf.len());
            let _ = locations::parse(&buf, u32::MAX, 3);
        });
        assert!(r.is_ok(), "panic on input {buf:02x?}");
    }
}
