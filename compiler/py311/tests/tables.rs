//! The generated opcode tables against their two sources of truth: the generator re-run now
//! (the committed file must be current) and the C tables in the installed `opcode.h` /
//! `pycore_opcode.h` (`_PyOpcode_Caches`, `_PyOpcode_Deopt`, `_PyOpcode_Jump`).

mod common;

use s6_py311::opcodes;

#[test]
fn generated_file_is_current() {
    let script = common::repo_root().join("tools/gen_opcodes.py");
    let fresh = common::run_python(&[script.to_str().unwrap()]);
    let committed = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/opcodes/generated.rs"),
    )
    .unwrap();
    assert!(
        fresh == committed,
        "src/opcodes/generated.rs is stale: run `python3 tools/gen_opcodes.py compiler/py311/src/opcodes/generated.rs`"
    );
}

#[test]
fn tables_match_c_headers() {
    let src = r#"
#include <Python.h>
#define NEED_OPCODE_TABLES
#include "internal/pycore_opcode.h"
#include <stdio.h>
int main(void) {
    for (int i = 0; i < 256; i++) {
        int jump = (_PyOpcode_Jump[i >> 5] >> (i & 31)) & 1;
        int rel = (_PyOpcode_RelativeJump[i >> 5] >> (i & 31)) & 1;
        printf("%d %d %d %d %d\n", i, _PyOpcode_Caches[i], _PyOpcode_Deopt[i], jump, rel);
    }
    return 0;
}
"#;
    let Some(out) = common::run_c("opcode_tables", src) else {
        return;
    };
    let mut rows = 0;
    for line in out.lines() {
        let v: Vec<u32> = line.split(' ').map(|x| x.parse().unwrap()).collect();
        let op = v[0] as u8;
        // C fills _PyOpcode_Caches for base opcodes only; ours also answers for specialized ones.
        if opcodes::is_base(op) {
            assert_eq!(
                u32::from(opcodes::cache_units(op)),
                v[1],
                "caches of {}",
                opcodes::name(op)
            );
        }
        assert_eq!(
            u32::from(opcodes::base_op(op)),
            v[2],
            "deopt of {op} {}",
            opcodes::name(op)
        );
        // _PyOpcode_Jump lists base jump opcodes (3.11: all relative).
        if opcodes::is_base(op) {
            assert_eq!(
                opcodes::is_jump(op),
                v[3] == 1,
                "jump flag of {}",
                opcodes::name(op)
            );
            assert_eq!(
                opcodes::is_jump(op),
                v[4] == 1,
                "relative flag of {}",
                opcodes::name(op)
            );
        }
        rows += 1;
    }
    assert_eq!(rows, 256);

    // Names and numbers from opcode.h's #defines.
    let header = std::fs::read_to_string(common::include_dir().join("opcode.h")).unwrap();
    let mut seen = 0;
    for line in header.lines() {
        let mut it = line.split_whitespace();
        let (Some("#define"), Some(name), Some(num)) = (it.next(), it.next(), it.next()) else {
            continue;
        };
        let Ok(num) = num.parse::<u32>() else {
            continue;
        };
        if let Some(nb) = name.strip_prefix("NB_") {
            let _ = nb;
            assert_eq!(opcodes::nb_op_name(num), Some(name), "{name}");
        } else if name == "HAVE_ARGUMENT" {
            assert_eq!(u32::from(opcodes::HAVE_ARGUMENT), num);
        } else {
            assert_eq!(opcodes::by_name(name).map(u32::from), Some(num), "{name}");
            assert_eq!(opcodes::name(num as u8), name);
            seen += 1;
        }
    }
    let defined = (0..=255u8).filter(|&o| opcodes::is_defined(o)).count();
    assert_eq!(
        seen, defined,
        "every opcode we know is #defined in opcode.h and vice versa"
    );
}

#[test]
fn stack_effects_match_dis() {
    use s6_py311::stack_effect::{Branch, stack_effect};
    let script = r#"
import dis, opcode
args = list(range(0, 21)) + [255, 256, 257, 511, 513, 65535]
for op in sorted(opcode.opmap.values()):
    for arg in (args if op >= opcode.HAVE_ARGUMENT else [None]):
        for jump in (None, True, False):
            try:
                e = dis.stack_effect(op, arg, jump=jump)
            except ValueError:
                e = "X"
            print(op, arg if arg is not None else 0, jump, e)
"#;
    let out = common::run_python(&["-c", script]);
    let mut n = 0;
    for line in out.lines() {
        let f: Vec<&str> = line.split(' ').collect();
        let op: u8 = f[0].parse().unwrap();
        let arg: u32 = f[1].parse().unwrap();
        let branch = match f[2] {
            "None" => Branch::Either,
            "True" => Branch::Taken,
            _ => Branch::NotTaken,
        };
        let want = f[3].parse::<i32>().ok();
        assert_eq!(
            stack_effect(op, arg, branch),
            want,
            "{} arg {arg} {branch:?}",
            opcodes::name(op)
        );
        n += 1;
    }
    assert!(n > 5000, "{n}");
}

#[test]
fn binary_op_functions_are_exported_and_match_nb_names() {
    use s6_py311::opargs::binary_op_function;
    let mut names = Vec::new();
    for arg in 0..26u32 {
        let f = binary_op_function(arg).unwrap();
        // NB_INPLACE_FLOOR_DIVIDE -> PyNumber_InPlaceFloorDivide
        let nb = opcodes::nb_op_name(arg)
            .unwrap()
            .strip_prefix("NB_")
            .unwrap();
        let (inplace, base) = match nb.strip_prefix("INPLACE_") {
            Some(b) => ("InPlace", b),
            None => ("", nb),
        };
        let camel: String = base
            .split('_')
            .map(|w| w[..1].to_string() + &w[1..].to_lowercase())
            .collect();
        assert_eq!(f.name, format!("PyNumber_{inplace}{camel}"));
        assert_eq!(f.ternary, base == "POWER");
        names.push(f.name);
    }
    assert_eq!(binary_op_function(26), None);
    let check = format!(
        "import ctypes; print(all(hasattr(ctypes.pythonapi, n) for n in {:?}))",
        names
    );
    assert_eq!(common::run_python(&["-c", &check]).trim(), "True");
}
