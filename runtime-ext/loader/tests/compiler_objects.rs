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
    let lowered = lower::lower_function(&*isa, &f, &|i| 10 + i, false).unwrap();
    let input = ObjectInput {
        source: "/tmp/s6-loader-tests/cmod.py".into(),
        functions: vec![lowered.code],
        target: lower::isa::describe(&*isa),
    };
    emit::write_object(&*isa, &input).unwrap().bytes
}

#[test]
fn runs_lowered_function_on_a_fake_frame() {
    let bytes = compile_object();
    let resolve = |name: &str| -> Option<usize> {
        Some(match name {
            "PyNumber_Add" => fake_number_add as *const () as usize,
            _ => unexpected as *const () as usize,
        })
    };
    let opts = LoadOptions {
        gdb: true,
        perf: Mode::Off,
    };
    let obj = LoadedObject::load_with(&bytes, "cmod", &resolve, &opts).unwrap();
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
    assert_eq!(r, &raw mut RESULT);
    assert_eq!(ADD_ARGS.load(Ordering::SeqCst), 6, "incref before the call");
    assert_eq!(x.refcnt, 5, "decref after the call");
    assert_ne!(
        f[frame::PREV_INSTR as usize / 8],
        0,
        "prev_instr stored before the call-out"
    );
}
