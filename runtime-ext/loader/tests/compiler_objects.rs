//! Objects from the whole compiler pipeline (strongjit IR -> `lower` -> `emit`), loaded and run
//! against a fake frame and fake objects: the loader honours the real native ABI's imports
//! (GOT calls into "libpython"), frame accesses and refcounting, and gdb/perf see its symbol.

use std::sync::atomic::{AtomicUsize, Ordering};

use s6_compiler::emit::{self, ObjectInput};
use s6_compiler::lower;
use s6_loader::{LoadOptions, LoadedObject, perf::Mode};
use s6_py311::layout::frame;

/// `f(x)`: `return x + x` through `PyNumber_Add`, with an error exit and a decref (the same
/// function the compiler's own tests use); bytecode index i is line 10 + i.
const ADD_IR: &str = r#"function "s6::cmod.add" nlocalsplus=2 stacksize=2 {
  fs0 = state @4 [v2]
bb0(v0: ptr, v1: ptr):
  v2 = load_local 0 @2
  incref v2 @2
  set_prev_instr 4 @4
  v3 = call PyNumber_Add(v2, v2) @4
  check_null v3, fs0 @4
  decref v2 @4
  return v3 @6
}
"#;

/// A fake PyObject: refcount and type pointer.
#[repr(C)]
struct FakeObject {
    refcnt: isize,
    ob_type: usize,
}

static mut RESULT: FakeObject = FakeObject {
    refcnt: 1,
    ob_type: 0,
};
static ADD_ARGS: AtomicUsize = AtomicUsize::new(0);

extern "C" fn fake_number_add(a: *mut FakeObject, b: *mut FakeObject) -> *mut FakeObject {
    assert_eq!(a, b);
    // SAFETY: `a` is the test's live fake object.
    ADD_ARGS.store(unsafe { (*a).refcnt } as usize, Ordering::SeqCst);
    &raw mut RESULT
}

extern "C" fn unexpected() {
    eprintln!("native code called an import it should not have");
    std::process::abort();
}

fn compile_object() -> Vec<u8> {
    let isa = lower::isa::target_isa(true).unwrap();
    let f = s6_strongjit::parse(ADD_IR).unwrap();
    let lowered = lower::lower_function(&*isa, &f, &|i| 10 + i, &Default::default()).unwrap();
    let input = ObjectInput {
        source: "/tmp/s6-loader-tests/cmod.py".into(),
        functions: vec![lowered.code],
        target: lower::isa::describe(&*isa),
    };
    emit::write_object(&*isa, &input).unwrap().bytes
}

/// Calls `s6::cmod.add` of `obj` on a fake frame whose local 0 has refcount 5: the result,
/// that refcount afterwards, and the frame's `prev_instr`.
fn call_add(obj: &LoadedObject) -> (*mut FakeObject, isize, u64) {
    let entry = obj.symbol_address("s6::cmod.add").expect("entry symbol");
    let mut x = FakeObject {
        refcnt: 5,
        ob_type: 0,
    };
    let code = vec![0u8; 256]; // a "code object": prev_instr is computed from it
    let mut f = vec![0u64; 16];
    f[frame::F_CODE as usize / 8] = code.as_ptr() as u64;
    f[frame::LOCALSPLUS as usize / 8] = &raw mut x as u64;
    // SAFETY: the ABI entry `PyObject *(PyThreadState *, _PyInterpreterFrame *)`; the fake frame
    // is large enough for everything this function touches.
    let entry: extern "C" fn(*mut u8, *mut u64) -> *mut FakeObject =
        unsafe { std::mem::transmute(entry) };
    let r = entry(std::ptr::null_mut(), f.as_mut_ptr());
    (r, x.refcnt, f[frame::PREV_INSTR as usize / 8])
}

#[test]
fn runs_lowered_function_on_a_fake_frame() {
    let bytes = compile_object();
    let opts = LoadOptions {
        gdb: true,
        perf: Mode::Off,
    };
    let obj = LoadedObject::load_with(&bytes, "cmod", &add_resolver, &opts).unwrap();
    let (r, refcnt, prev_instr) = call_add(&obj);
    assert_eq!(r, &raw mut RESULT);
    assert_eq!(ADD_ARGS.load(Ordering::SeqCst), 6, "incref before the call");
    assert_eq!(refcnt, 5, "decref after the call");
    assert_ne!(prev_instr, 0, "prev_instr stored before the call-out");
}

/// Runs `s6::cmod.add` of `obj` on a fake frame and checks the result and refcounts.
fn run_add(obj: &LoadedObject) {
    let (r, refcnt, _) = call_add(obj);
    assert_eq!(r, &raw mut RESULT);
    assert_eq!(refcnt, 5);
}

fn add_resolver(name: &str) -> Option<usize> {
    Some(match name {
        "PyNumber_Add" => fake_number_add as *const () as usize,
        _ => unexpected as *const () as usize,
    })
}

/// The permissions and file of the mapping holding `addr`, from `/proc/self/maps`.
fn mapping_of(addr: usize) -> (String, String) {
    let maps = std::fs::read_to_string("/proc/self/maps").unwrap();
    for line in maps.lines() {
        let mut parts = line.split_whitespace();
        let range = parts.next().unwrap();
        let perms = parts.next().unwrap().to_string();
        let (lo, hi) = range.split_once('-').unwrap();
        let (lo, hi) = (
            usize::from_str_radix(lo, 16).unwrap(),
            usize::from_str_radix(hi, 16).unwrap(),
        );
        if (lo..hi).contains(&addr) {
            let path = parts.nth(3).unwrap_or("").to_string();
            return (perms, path);
        }
    }
    panic!("{addr:#x} is not mapped");
}

/// The compiler's objects are prelinked: loaded from their file, the code is mapped from it
/// read-and-execute (never writable), and runs as the copied code does.
#[test]
fn prelinked_object_code_is_mapped_from_its_file() {
    let bytes = compile_object();
    let mut again = bytes.clone();
    assert!(
        s6_loader::prelink(&mut again).unwrap(),
        "compiler objects are prelinkable"
    );
    assert_eq!(
        again, bytes,
        "the emitter already prelinked it (and prelinking is idempotent)"
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cmod.o");
    std::fs::write(&path, &bytes).unwrap();
    let file = s6_loader::ObjectFile::open(&path).unwrap();
    assert_eq!(file.bytes(), &bytes[..]);
    let obj = LoadedObject::load_file(
        file.file(),
        file.bytes(),
        "cmod",
        &add_resolver,
        &no_debug(),
    )
    .unwrap();
    drop(file);
    assert!(obj.code_from_file());
    let entry = obj.symbol_address("s6::cmod.add").unwrap();
    let (perms, mapped) = mapping_of(entry);
    assert_eq!(perms, "r-xp");
    assert_eq!(std::path::Path::new(&mapped), path.as_path());
    run_add(&obj);
    // The same bytes loaded without their file are copied, and run the same.
    let copied = LoadedObject::load_with(&bytes, "cmod", &add_resolver, &no_debug()).unwrap();
    assert!(!copied.code_from_file());
    run_add(&copied);
}

/// An object whose code does not hold the fields the loader computes (here one GOT-relative
/// field changed) is not mapped from its file: its code is copied and relocated, and runs.
#[test]
fn code_that_is_not_prelinked_as_expected_is_copied_and_relocated() {
    let mut bytes = compile_object();
    // Find a GOT-relative field: a `mov slot(%rip), reg` displacement (opcode 8b, modrm with
    // rip-relative addressing, 48/4c REX), and change it.
    let text = {
        use object::{Object, ObjectSection};
        let file = object::File::parse(&bytes[..]).unwrap();
        let s = file.section_by_name(".text").unwrap();
        s.file_range().unwrap().0 as usize
    };
    let at = (text..bytes.len() - 7)
        .find(|&i| {
            matches!(bytes[i], 0x48 | 0x4c) && bytes[i + 1] == 0x8b && bytes[i + 2] & 0xc7 == 0x05
        })
        .expect("a rip-relative load");
    bytes[at + 3] ^= 0x10;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cmod.o");
    std::fs::write(&path, &bytes).unwrap();
    let file = s6_loader::ObjectFile::open(&path).unwrap();
    let obj = LoadedObject::load_file(
        file.file(),
        file.bytes(),
        "cmod",
        &add_resolver,
        &no_debug(),
    )
    .unwrap();
    assert!(!obj.code_from_file());
    run_add(&obj);
}

fn no_debug() -> LoadOptions {
    LoadOptions {
        gdb: false,
        perf: Mode::Off,
    }
}
