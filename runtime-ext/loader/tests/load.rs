//! Loading objects written by the compiler's emitter: calls into the code, imports through the
//! GOT and through call stubs, the binding table, W^X, and unwinding through native frames.

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};

use common::{Body, LEA_RET, MOVABS_RET, no_debug, object, raw_object, resolver, spec};
use object::elf;
use s6_loader::{LoadError, LoadOptions, LoadedObject};

extern "C" fn helper_neg(x: i64) -> i64 {
    -x
}

#[test]
fn calls_add() {
    let bytes = object(&[spec("s6::t1.add", 10, Body::Add)]);
    let obj = LoadedObject::load_with(&bytes, "t1", &resolver(vec![]), &no_debug()).unwrap();
    let addr = obj.symbol_address("s6::t1.add").expect("symbol");
    // SAFETY: the function has the System V signature (i64, i64) -> i64.
    let add: extern "C" fn(i64, i64) -> i64 = unsafe { std::mem::transmute(addr) };
    assert_eq!(add(40, 2), 42);
    assert_eq!(add(-5, 3), -2);
    let f = &obj.functions()[0];
    assert_eq!((f.name.as_str(), f.address), ("s6::t1.add", addr));
    assert!(obj.text_range().contains(&addr) && f.size > 4);
}

#[test]
fn imports_through_got_and_call_stubs() {
    // `labs` lives in libc, the helper in this (PIE) executable: terabytes apart, so at least
    // one of the two PLT32 calls must go through a call stub.
    let bytes = object(&[
        spec(
            "s6::t2.got",
            20,
            Body::CallImport {
                name: "s6_rt_neg".into(),
                colocated: false,
                plus: 1,
            },
        ),
        spec(
            "s6::t2.plt_helper",
            30,
            Body::CallImport {
                name: "s6_rt_neg".into(),
                colocated: true,
                plus: 2,
            },
        ),
        spec(
            "s6::t2.plt_libc",
            40,
            Body::CallImport {
                name: "labs".into(),
                colocated: true,
                plus: 3,
            },
        ),
    ]);
    let table = vec![
        ("s6_rt_neg", helper_neg as *const () as usize),
        ("labs", libc::labs as *const () as usize),
    ];
    let obj = LoadedObject::load_with(&bytes, "t2", &resolver(table), &no_debug()).unwrap();
    let f = |n: &str| -> extern "C" fn(i64) -> i64 {
        // SAFETY: (i64) -> i64 System V functions.
        unsafe { std::mem::transmute(obj.symbol_address(n).unwrap()) }
    };
    assert_eq!(f("s6::t2.got")(5), -4);
    assert_eq!(f("s6::t2.plt_helper")(5), -3);
    assert_eq!(f("s6::t2.plt_libc")(-7), 10);
    // Calls through stubs depend on where the object lands: it cannot be prelinked.
    let mut copy = bytes.clone();
    assert!(!s6_loader::prelink(&mut copy).unwrap());
    assert_eq!(copy, bytes);
}

#[test]
fn unresolved_import_is_an_error() {
    let bytes = object(&[spec(
        "s6::t3.f",
        1,
        Body::CallImport {
            name: "s6_rt_missing".into(),
            colocated: false,
            plus: 0,
        },
    )]);
    let err = LoadedObject::load_with(&bytes, "t3", &resolver(vec![]), &no_debug()).unwrap_err();
    assert!(
        matches!(&err, LoadError::Unresolved(n) if n == "s6_rt_missing"),
        "{err}"
    );
}

#[test]
fn binding_table_is_writable_and_read_by_code() {
    let bytes = object(&[
        spec("s6::t4.a", 1, Body::LoadBinding { slot: 1, slots: 2 }),
        spec("s6::t4.b", 5, Body::LoadBinding { slot: 0, slots: 3 }),
    ]);
    let obj = LoadedObject::load_with(&bytes, "t4", &resolver(vec![]), &no_debug()).unwrap();
    let (table, slots) = obj.bindings_table();
    assert_eq!(slots, 5);
    assert!(!table.is_null());
    // SAFETY: the table has 5 writable slots for the object's lifetime.
    let t = unsafe { std::slice::from_raw_parts_mut(table, slots) };
    assert!(t.iter().all(|&s| s == 0), "zero-initialised");
    for (i, s) in t.iter_mut().enumerate() {
        *s = 100 + i;
    }
    let f = |n: &str| -> extern "C" fn() -> i64 {
        // SAFETY: () -> i64 System V functions.
        unsafe { std::mem::transmute(obj.symbol_address(n).unwrap()) }
    };
    // Function a owns slots 0..2 and reads its slot 1; b owns 2..5 and reads its slot 0.
    assert_eq!(f("s6::t4.a")(), 101);
    assert_eq!(f("s6::t4.b")(), 102);
}

/// The protection of the page holding `addr`, from /proc/self/maps.
fn prot_of(addr: usize) -> String {
    let maps = std::fs::read_to_string("/proc/self/maps").unwrap();
    for l in maps.lines() {
        let (range, rest) = l.split_once(' ').unwrap();
        let (a, b) = range.split_once('-').unwrap();
        let (a, b) = (
            usize::from_str_radix(a, 16).unwrap(),
            usize::from_str_radix(b, 16).unwrap(),
        );
        if (a..b).contains(&addr) {
            return rest[..4].to_string();
        }
    }
    panic!("{addr:#x} not mapped")
}

#[test]
fn w_xor_x() {
    let bytes = object(&[spec("s6::t5.a", 1, Body::LoadBinding { slot: 0, slots: 1 })]);
    let obj = LoadedObject::load_with(&bytes, "t5", &resolver(vec![]), &no_debug()).unwrap();
    let text = obj.symbol_address("s6::t5.a").unwrap();
    assert_eq!(prot_of(text), "r-xp");
    assert_eq!(prot_of(obj.bindings_table().0 as usize), "rw-p");
    let maps = std::fs::read_to_string("/proc/self/maps").unwrap();
    assert!(
        !maps
            .lines()
            .any(|l| l.split(' ').nth(1).is_some_and(|p| p.starts_with("rwx"))),
        "no W+X mapping"
    );
}

#[test]
fn pc32_to_import_is_applied_when_it_reaches() {
    static DATA: i64 = 7;
    let bytes = raw_object(
        "s6::t6.lea",
        &LEA_RET,
        &[(3, elf::R_X86_64_PC32, "near_data", -4)],
    );
    let at = &DATA as *const i64 as usize;
    let obj = LoadedObject::load_with(
        &bytes,
        "t6",
        &resolver(vec![("near_data", at)]),
        &no_debug(),
    )
    .unwrap();
    // SAFETY: () -> usize, returning the address the lea computed.
    let f: extern "C" fn() -> usize =
        unsafe { std::mem::transmute(obj.symbol_address("s6::t6.lea").unwrap()) };
    assert_eq!(f(), at);
}

#[test]
fn far_pc32_reference_is_out_of_range_error() {
    // Two rip-relative references terabytes apart (address 0x1000 and libc): no placement
    // reaches both, so the loader must refuse, not truncate.
    let code = [&LEA_RET[..7], &LEA_RET[..]].concat();
    let relocs = [
        (3, elf::R_X86_64_PC32, "low", -4),
        (10, elf::R_X86_64_PC32, "high", -4),
    ];
    let bytes = raw_object("s6::t6.far", &code, &relocs);
    let table = vec![
        ("low", 0x1000usize),
        ("high", libc::labs as *const () as usize),
    ];
    let err = LoadedObject::load_with(&bytes, "t6", &resolver(table), &no_debug()).unwrap_err();
    assert!(
        matches!(err, LoadError::OutOfRange { r_type: 2, .. }),
        "{err}"
    );
}

#[test]
fn abs64_relocation() {
    let bytes = raw_object(
        "s6::t7.abs",
        &MOVABS_RET,
        &[(2, elf::R_X86_64_64, "thing", 0x10)],
    );
    let obj = LoadedObject::load_with(
        &bytes,
        "t7",
        &resolver(vec![("thing", 0x7fff_0000_1234)]),
        &no_debug(),
    )
    .unwrap();
    // SAFETY: () -> u64.
    let f: extern "C" fn() -> u64 =
        unsafe { std::mem::transmute(obj.symbol_address("s6::t7.abs").unwrap()) };
    assert_eq!(f(), 0x7fff_0000_1244);
}

#[test]
fn abs32_in_code_out_of_range_and_unknown_types_are_errors() {
    let bytes = raw_object("s6::t7.a32", &LEA_RET, &[(3, elf::R_X86_64_32, "thing", 0)]);
    let err = LoadedObject::load_with(
        &bytes,
        "t7",
        &resolver(vec![("thing", 0x7fff_0000_0000)]),
        &no_debug(),
    )
    .unwrap_err();
    assert!(
        matches!(err, LoadError::OutOfRange { r_type: 10, .. }),
        "{err}"
    );
    // A 32-bit absolute that fits is fine.
    let ok = LoadedObject::load_with(
        &bytes,
        "t7",
        &resolver(vec![("thing", 0x1234)]),
        &no_debug(),
    );
    assert!(ok.is_ok());
    let bytes = raw_object(
        "s6::t7.tls",
        &LEA_RET,
        &[(3, elf::R_X86_64_TPOFF32, "thing", 0)],
    );
    let err = LoadedObject::load_with(&bytes, "t7", &resolver(vec![("thing", 1)]), &no_debug())
        .unwrap_err();
    assert!(
        matches!(err, LoadError::UnknownRelocation { r_type: 23, .. }),
        "{err}"
    );
    // A relocation field running past the end of its section.
    let bytes = raw_object(
        "s6::t7.end",
        &LEA_RET,
        &[(6, elf::R_X86_64_PC32, "thing", 0)],
    );
    let err = LoadedObject::load_with(&bytes, "t7", &resolver(vec![("thing", 1)]), &no_debug())
        .unwrap_err();
    assert!(matches!(err, LoadError::Malformed(_)), "{err}");
}

unsafe extern "C" {
    fn _Unwind_Find_FDE(pc: *const u8, bases: *mut [usize; 3]) -> *const u8;
}

static FRAMES_SEEN: AtomicUsize = AtomicUsize::new(0);

extern "C" fn capture_backtrace(x: i64) -> i64 {
    let bt = std::backtrace::Backtrace::force_capture().to_string();
    if bt.contains("unwinds_through_native_frames") {
        FRAMES_SEEN.fetch_add(1, Ordering::SeqCst);
    } else {
        eprintln!("backtrace did not pass the native frame:\n{bt}");
    }
    x * 3
}

#[test]
fn unwinds_through_native_frames() {
    let bytes = object(&[spec(
        "s6::t8.cb",
        1,
        Body::CallImport {
            name: "s6_rt_cb".into(),
            colocated: false,
            plus: 0,
        },
    )]);
    let table = vec![("s6_rt_cb", capture_backtrace as *const () as usize)];
    let obj = LoadedObject::load_with(&bytes, "t8", &resolver(table), &no_debug()).unwrap();
    let addr = obj.symbol_address("s6::t8.cb").unwrap();
    let mut bases = [0usize; 3];
    // SAFETY: a lookup in libgcc's registry.
    assert!(
        !unsafe { _Unwind_Find_FDE((addr + 1) as *const u8, &mut bases) }.is_null(),
        "FDE registered"
    );
    // SAFETY: (i64) -> i64.
    let f: extern "C" fn(i64) -> i64 = unsafe { std::mem::transmute(addr) };
    assert_eq!(f(7), 21);
    assert_eq!(
        FRAMES_SEEN.load(Ordering::SeqCst),
        1,
        "the unwinder walked past the native frame"
    );
    drop(obj);
    // SAFETY: as above; the FDE must be gone once the object is dropped.
    assert!(
        unsafe { _Unwind_Find_FDE((addr + 1) as *const u8, &mut bases) }.is_null(),
        "FDE deregistered"
    );
}

extern "C-unwind" fn panicking_helper(_: i64) -> i64 {
    panic!("from helper")
}

#[test]
fn rust_panic_unwinds_through_native_frame() {
    let bytes = object(&[spec(
        "s6::t9.p",
        1,
        Body::CallImport {
            name: "s6_rt_panic".into(),
            colocated: true,
            plus: 0,
        },
    )]);
    let table = vec![("s6_rt_panic", panicking_helper as *const () as usize)];
    let obj = LoadedObject::load_with(&bytes, "t9", &resolver(table), &no_debug()).unwrap();
    // SAFETY: (i64) -> i64, and its FDE is registered so a panic may unwind through it.
    let f: extern "C-unwind" fn(i64) -> i64 =
        unsafe { std::mem::transmute(obj.symbol_address("s6::t9.p").unwrap()) };
    let r = std::panic::catch_unwind(|| f(1));
    assert!(r.is_err());
}

#[test]
fn many_objects_load_and_unload() {
    let bytes = object(&[spec("s6::t10.add", 1, Body::Add)]);
    for _ in 0..50 {
        let obj = LoadedObject::load_with(
            &bytes,
            "t10",
            &resolver(vec![]),
            &LoadOptions {
                gdb: true,
                ..no_debug()
            },
        )
        .unwrap();
        // SAFETY: (i64, i64) -> i64.
        let add: extern "C" fn(i64, i64) -> i64 =
            unsafe { std::mem::transmute(obj.symbol_address("s6::t10.add").unwrap()) };
        assert_eq!(add(1, 2), 3);
    }
}
