//! gdb sees native code through the JIT interface: a breakpoint on the `s6::` symbol hits,
//! `bt` shows the native frame with its Python `file:line` and continues into the caller's
//! frames, and `info line` maps the pc to the Python line. gdb debugs this same test binary
//! running `gdb_child` (which does nothing unless started by `gdb_shows_native_frames`).

mod common;

use std::process::Command;

use common::{Body, SOURCE, object, resolver, spec};
use s6_loader::{LoadOptions, LoadedObject};

const CHILD_ENV: &str = "S6_LOADER_GDB_CHILD";
/// First line of `s6::gdbmod.work`: the call to the helper is on `LINE + 1`.
const LINE: u32 = 40;

#[inline(never)]
extern "C" fn gdb_helper(x: i64) -> i64 {
    std::hint::black_box(x + 1)
}

#[test]
fn gdb_child() {
    if std::env::var_os(CHILD_ENV).is_none() {
        return;
    }
    let bytes = object(&[spec(
        "s6::gdbmod.work",
        LINE,
        Body::CallImport {
            name: "s6_rt_gdb_helper".into(),
            colocated: false,
            plus: 10,
        },
    )]);
    let table = vec![("s6_rt_gdb_helper", gdb_helper as *const () as usize)];
    let opts = LoadOptions {
        gdb: true,
        perf: s6_loader::perf::Mode::Off,
    };
    let obj = LoadedObject::load_with(&bytes, "gdbmod", &resolver(table), &opts).unwrap();
    // SAFETY: (i64) -> i64.
    let f: extern "C" fn(i64) -> i64 =
        unsafe { std::mem::transmute(obj.symbol_address("s6::gdbmod.work").unwrap()) };
    assert_eq!(f(1), 12);
}

#[test]
fn gdb_shows_native_frames() {
    if Command::new("gdb").arg("--version").output().is_err() {
        println!("skipped: gdb is not installed");
        return;
    }
    let exe = std::env::current_exe().unwrap();
    let out = Command::new("gdb")
        .args(["-batch", "-nx"])
        .args([
            "-ex",
            "set breakpoint pending on",
            "-ex",
            "set debuginfod enabled off",
        ])
        // The line table marks the end of the prologue, so `break s6::...` stops at the start
        // of the body, before the helper call: bt and `info line` there first, then the
        // helper's breakpoint, where the native frame is #1.
        .args([
            "-ex",
            "break s6::gdbmod.work",
            "-ex",
            "break gdb::gdb_helper",
            "-ex",
            "run",
            "-ex",
            "bt",
            "-ex",
            "info line *$pc",
        ])
        .args(["-ex", "continue", "-ex", "bt", "-ex", "kill"])
        .arg("--args")
        .arg(&exe)
        .args(["gdb_child", "--exact", "--nocapture", "--test-threads=1"])
        .env(CHILD_ENV, "1")
        .output()
        .unwrap();
    let text =
        String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    if text.contains("ptrace: Operation not permitted") {
        println!("skipped: gdb may not trace processes here (ptrace not permitted)");
        return;
    }
    let file = std::path::Path::new(SOURCE)
        .file_name()
        .unwrap()
        .to_str()
        .unwrap();
    // Stopped in the native function (after its prologue): frame #0 is it, at one of its
    // Python lines, and the caller (the Rust test function) is found beneath it.
    let lines: Vec<String> = (LINE..=LINE + 2).map(|l| format!("{file}:{l}")).collect();
    let frame0 = text
        .lines()
        .find(|l| l.starts_with("#0") && l.contains("s6::gdbmod.work"));
    assert!(
        frame0.is_some_and(|l| lines.iter().any(|x| l.contains(x))),
        "no native frame 0:\n{text}"
    );
    let after0 = text.split_once(frame0.unwrap()).unwrap().1;
    assert!(
        after0
            .lines()
            .find(|l| !l.trim().is_empty())
            .is_some_and(|l| l.starts_with("#1") && l.contains("gdb_child")),
        "bt:\n{text}"
    );
    // `info line *$pc` names the Python line.
    assert!(
        (LINE..=LINE + 2).any(|l| text.contains(&format!("Line {l} of \"{SOURCE}\""))),
        "info line:\n{text}"
    );
    // In the helper: the native frame is #1, at the call's line, and the unwinder continues
    // through it into gdb_child.
    let frame1 = text
        .lines()
        .find(|l| l.starts_with("#1") && l.contains("s6::gdbmod.work"));
    assert!(
        frame1.is_some_and(|l| l.contains(&format!("{file}:{}", LINE + 1))),
        "no native frame 1:\n{text}"
    );
    let after = text.split_once(frame1.unwrap()).unwrap().1;
    assert!(
        after
            .lines()
            .any(|l| l.starts_with("#2") && l.contains("gdb_child")),
        "bt stops at the native frame:\n{text}"
    );
}
