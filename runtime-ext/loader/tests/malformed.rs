//! Damaged objects (truncated, bit-flipped, wrong kind) must give a `LoadError`, never a
//! panic or a crash. Runs in its own test binary so that nothing else shares the process.

mod common;

use common::{Body, no_debug, object, resolver, spec};
use s6_loader::{LoadError, LoadOptions, LoadedObject};

fn sample() -> Vec<u8> {
    object(&[
        spec("s6::m.add", 10, Body::Add),
        spec(
            "s6::m.call",
            20,
            Body::CallImport {
                name: "s6_rt_x".into(),
                colocated: true,
                plus: 1,
            },
        ),
        spec("s6::m.bind", 30, Body::LoadBinding { slot: 0, slots: 2 }),
    ])
}

extern "C" fn x(v: i64) -> i64 {
    v
}

fn try_load(bytes: &[u8], options: &LoadOptions) -> Result<LoadedObject, LoadError> {
    let r = resolver(vec![("s6_rt_x", x as *const () as usize)]);
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        LoadedObject::load_with(bytes, "m", &r, options)
    })) {
        Ok(r) => r,
        Err(_) => panic!("loader panicked on a damaged object"),
    }
}

#[test]
fn the_sample_loads() {
    assert!(try_load(&sample(), &no_debug()).is_ok());
}

#[test]
fn truncated_objects_are_rejected() {
    let bytes = sample();
    for len in 0..bytes.len() {
        // Cutting off only the trailing section-header table padding could still parse; any
        // shorter object loses a header or section data and must be refused.
        let r = try_load(&bytes[..len], &no_debug());
        assert!(
            r.is_err(),
            "accepted an object truncated to {len} of {} bytes",
            bytes.len()
        );
    }
}

#[test]
fn bit_flips_never_panic() {
    let bytes = sample();
    let opts = LoadOptions {
        gdb: true,
        perf: s6_loader::perf::Mode::Off,
    };
    let mut state = 0x9e37_79b9_7f4a_7c15u64;
    let (mut ok, mut err) = (0, 0);
    for _ in 0..3000 {
        // xorshift: deterministic positions and bits.
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let mut b = bytes.clone();
        let pos = (state as usize) % b.len();
        b[pos] ^= 1 << ((state >> 32) % 8);
        match try_load(&b, &opts) {
            Ok(_) => ok += 1,
            Err(_) => err += 1,
        }
    }
    assert!(err > 0 && ok + err == 3000, "ok {ok} err {err}");
}

#[test]
fn wrong_kinds_of_file() {
    assert!(matches!(
        try_load(b"not an elf file at all", &no_debug()),
        Err(LoadError::Malformed(_))
    ));
    // An executable is not a relocatable object.
    let exe = std::fs::read(std::env::current_exe().unwrap()).unwrap();
    assert!(matches!(
        try_load(&exe, &no_debug()),
        Err(LoadError::Unsupported(_))
    ));
    // A different machine.
    let mut other = sample();
    other[18] = 0xb7; // EM_AARCH64
    other[19] = 0;
    assert!(matches!(
        try_load(&other, &no_debug()),
        Err(LoadError::Unsupported(_))
    ));
}

#[test]
fn other_native_abi_is_refused() {
    use object::{Object, ObjectSection};
    let mut bytes = sample();
    let file = object::File::parse(&*bytes).unwrap();
    let (off, _) = file
        .section_by_name(".s6.meta")
        .unwrap()
        .file_range()
        .unwrap();
    let off = off as usize;
    drop(file);
    let v = u32::from_le_bytes(bytes[off..off + 4].try_into().unwrap());
    bytes[off..off + 4].copy_from_slice(&(v + 1).to_le_bytes());
    let err = try_load(&bytes, &no_debug()).unwrap_err();
    assert!(
        matches!(&err, LoadError::Unsupported(m) if m.contains("native ABI")),
        "{err}"
    );
}
