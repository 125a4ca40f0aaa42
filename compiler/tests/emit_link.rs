//! Objects linked with `cc` into a C program that plays the interpreter: runs the compiled
//! functions on a fake frame, checks refcounts, the exit protocol, `backtrace()` through the
//! generated frame, and gdb's view (`file.py:LINE`). Needs no Python.

mod emit_common;

use std::path::Path;
use std::process::Command;

use emit_common::*;

/// Stores null into local 0 (xdecref of the old value: dealloc at zero), returns co_consts[0].
const DROP_IR: &str = r#"function "s6::test.drop" nlocalsplus=1 stacksize=0 {
bb0(v0: ptr, v1: ptr):
  v2 = null @2
  store_local 0, v2 @2
  v3 = load_const 0 @4
  incref v3 @4
  return v3 @4
}
"#;

/// Integer, float, overflow, conversion, select, stack and memory ops; results stored through
/// the pointer in local 1 (`long out[5]`), returns local 0 with a new reference.
const ARITH_IR: &str = r#"function "s6::test.arith" nlocalsplus=2 stacksize=0 {
bb0(v0: ptr, v1: ptr):
  v2 = iconst.i64 7 @2
  v3 = iconst.i64 5 @2
  v4 = imul v2, v3 @2
  v5 = isub v4, v3 @2
  v6 = iconst.i64 2 @2
  v7 = shl v5, v6 @2
  v8 = ashr v7, v6 @2
  v9 = sitofp v8 @4
  v10 = fconst 0.5 @4
  v11 = fmul v9, v10 @4
  v12 = fcmp.lt v10, v11 @4
  v13 = uextend.i64 v12 @4
  v14 = select v12, v8, v3 @4
  v15 = stack_alloc 16 @6
  store.i64 v15, 8, v14 @6
  v16 = load.i64 v15, 8 @6
  v17 = iadd v16, v13 @6
  v18 = load_local 1 @6
  store.i64 v18, 0, v17 @6
  store.f64 v18, 8, v11 @6
  v19 = iconst.i64 4611686018427387904 @8
  v20, v21 = imul_ovf v19, v6 @8
  v22 = uextend.i64 v21 @8
  store.i64 v18, 16, v22 @8
  v23 = iconst.i64 -3 @8
  v24 = ireduce.i32 v23 @8
  v25 = sextend.i64 v24 @8
  store.i64 v18, 24, v25 @8
  v26 = and v17, v6 @8
  v27 = or v26, v3 @8
  v28 = xor v27, v2 @8
  v29 = icmp.sgt v28, v3 @8
  branch v29, bb1(v28), bb2(v2) @8
bb1(v30: i64):
  store.i64 v18, 32, v30 @10
  jump bb3() @10
bb2(v31: i64):
  store.i64 v18, 32, v31 @10
  jump bb3() @10
bb3():
  v32 = null @12
  xincref v32 @12
  xdecref v32 @12
  v33 = load_local 0 @12
  xincref v33 @12
  return v33 @12
}
"#;

const MAIN_C: &str = r#"
#include <execinfo.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
typedef struct { intptr_t refcnt; void *type; } Obj;
extern Obj *add(void *ts, void *frame) __asm__("\"s6::test.add\"");
extern Obj *drop(void *ts, void *frame) __asm__("\"s6::test.drop\"");
extern Obj *arith(void *ts, void *frame) __asm__("\"s6::test.arith\"");
static Obj result = {1, 0}, resumed = {1, 0}, konst = {1, 0};
static int fail_add, saw_generated, deallocs;
static uint32_t r_next, r_depth, r_throw, r_site;
Obj *PyNumber_Add(Obj *a, Obj *b) {
    void *buf[64];
    int n = backtrace(buf, 64);
    char **syms = backtrace_symbols(buf, n);
    for (int i = 0; i < n; i++) {
        printf("bt %s\n", syms[i]);
        if (strstr(syms[i], "s6::test.add")) saw_generated = 1;
    }
    free(syms);
    if (a != b) return NULL;
    return fail_add ? NULL : &result;
}
void _Py_Dealloc(Obj *o) { deallocs++; }
Obj *s6_rt_resume_in_interpreter(void *ts, void *f, uint32_t next, uint32_t depth, uint32_t throwflag, uint32_t site) {
    r_next = next; r_depth = depth; r_throw = throwflag; r_site = site;
    return &resumed;
}
#define CHECK(c) do { if (!(c)) { printf("FAILED %s line %d\n", #c, __LINE__); return 1; } } while (0)
int main(void) {
    static char code[256];
    static struct { intptr_t refcnt; void *type; intptr_t size; void *item[2]; } consts = {1, 0, 2, {0, 0}};
    consts.item[0] = &konst;
    *(void **)(code + 24) = &consts;
    void *frame[16] = {0};
    frame[4] = code;                 /* f_code at 32 */
    Obj x = {1, 0};
    frame[9] = &x;                   /* localsplus[0] at 72 */
    int ts;
    Obj *r = add(&ts, frame);
    CHECK(r == &result);
    CHECK(x.refcnt == 1);
    CHECK(frame[7] == code + 184 + 2 * 4);   /* prev_instr at 56 */
    CHECK(saw_generated);
    fail_add = 1;
    r = add(&ts, frame);
    CHECK(r == &resumed);
    CHECK(r_next == 5 && r_depth == 1 && r_throw == 1 && r_site == 0);
    CHECK(frame[9 + 2] == &x);       /* stack[0] at localsplus[nlocalsplus + 0] */
    CHECK(x.refcnt == 2);            /* the reference went to the frame */
    x.refcnt = 1;
    frame[9] = &x;
    r = drop(&ts, frame);
    CHECK(r == &konst && konst.refcnt == 2);
    CHECK(frame[9] == 0 && x.refcnt == 0 && deallocs == 1);
    long res[5] = {0};
    Obj y = {1, 0};
    frame[9] = &y;
    frame[10] = res;
    r = arith(&ts, frame);
    CHECK(r == &y && y.refcnt == 2);
    CHECK(res[0] == 31);                       /* ((7*5-5)<<2>>2) + (0.5 < 15.0) */
    CHECK(((double *)res)[1] == 15.0);
    CHECK(res[2] == 1);                        /* 2^62 * 2 overflows */
    CHECK(res[3] == -3);
    CHECK(res[4] == 7);                        /* ((31 & 2) | 5) ^ 7 = 0, not > 5: bb2 stores 7 */
    printf("ALL OK\n");
    return 0;
}
"#;

fn build(dir: &Path) -> Option<std::path::PathBuf> {
    let src = dir.join("test.py");
    let lines: String = (1..=40).map(|i| format!("x{i} = {i}\n")).collect();
    std::fs::write(&src, lines).unwrap();
    let (out, _) = object_of(&[ADD_IR, DROP_IR, ARITH_IR], src.to_str().unwrap());
    std::fs::write(dir.join("mod.o"), &out.bytes).unwrap();
    std::fs::write(dir.join("main.c"), MAIN_C).unwrap();
    let exe = dir.join("prog");
    let cc = Command::new("cc")
        .current_dir(dir)
        .args(["-g", "-O1", "-rdynamic", "-o", "prog", "main.c", "mod.o"])
        .output();
    match cc {
        Err(_) => {
            eprintln!("skipped: no C compiler");
            None
        }
        Ok(o) => {
            let stderr = String::from_utf8_lossy(&o.stderr);
            assert!(o.status.success(), "cc failed: {stderr}");
            assert!(!stderr.contains("warning"), "linker warnings: {stderr}");
            Some(exe)
        }
    }
}

#[test]
fn linked_program_runs_and_unwinds_through_generated_code() {
    let dir = tempfile::tempdir().unwrap();
    let Some(exe) = build(dir.path()) else { return };
    let out = Command::new(&exe).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && stdout.contains("ALL OK"),
        "{stdout}"
    );
    // The backtrace walked from the C helper through the generated frame into main.
    let bt: Vec<&str> = stdout.lines().filter(|l| l.starts_with("bt ")).collect();
    let gen_at = bt
        .iter()
        .position(|l| l.contains("s6::test.add"))
        .expect("generated frame");
    assert!(
        bt[gen_at..].iter().any(|l| l.contains("(main+")),
        "{stdout}"
    );
}

#[test]
fn gdb_shows_python_file_and_line() {
    if Command::new("gdb").arg("--version").output().is_err() {
        return eprintln!("skipped: gdb is not installed");
    }
    let dir = tempfile::tempdir().unwrap();
    let Some(exe) = build(dir.path()) else { return };
    let out = Command::new("gdb")
        .args([
            "-batch",
            "-nx",
            "-ex",
            "break PyNumber_Add",
            "-ex",
            "run",
            "-ex",
            "bt",
            "-ex",
            "info symbol $pc",
        ])
        .arg(&exe)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    // The caller frame of the helper is the generated function at the call's line (index 4).
    let frame = stdout
        .lines()
        .find(|l| l.contains("s6::test.add"))
        .unwrap_or_else(|| panic!("{stdout}"));
    assert!(frame.contains("test.py:14"), "{stdout}");
    assert!(
        stdout
            .lines()
            .any(|l| l.contains(" main ") || l.contains("in main")),
        "{stdout}"
    );
}

#[test]
fn gdb_breaks_on_the_function_symbol() {
    if Command::new("gdb").arg("--version").output().is_err() {
        return eprintln!("skipped: gdb is not installed");
    }
    let dir = tempfile::tempdir().unwrap();
    let Some(exe) = build(dir.path()) else { return };
    let out = Command::new("gdb")
        .args([
            "-batch",
            "-nx",
            "-ex",
            "break s6::test.add",
            "-ex",
            "run",
            "-ex",
            "bt 1",
        ])
        .arg(&exe)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("Breakpoint 1, s6::test.add"),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("test.py:1"), "{stdout}");
}
