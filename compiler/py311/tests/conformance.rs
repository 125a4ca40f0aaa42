//! Conformance against CPython itself: every code object of a corpus of real stdlib modules is
//! decoded from its marshal bytes and compared with what the interpreter reports (fields,
//! `dis.get_instructions`, `dis._parse_exception_table`, `co_positions()`, const reprs), plus
//! adaptive snapshots of warmed-up functions.

mod common;

use common::{code_records, fixtures, hex, u};
use s6_py311::bytecode::{self, cache_fields};
use s6_py311::marshal::{self, Code, Const};
use s6_py311::{exceptions, locations, opcodes};
use serde_json::Value;

fn strs(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap().to_string())
        .collect()
}

fn check_const(ctx: &str, c: &Const, want: &Value) {
    let ty = want["type"].as_str().unwrap();
    assert_eq!(c.type_name(), ty, "{ctx}: const type");
    match c {
        Const::Code(code) => {
            assert_eq!(code.qualname, want["qualname"].as_str().unwrap(), "{ctx}");
            assert_eq!(
                u64::from(code.firstlineno),
                u(&want["firstlineno"]),
                "{ctx}"
            );
        }
        Const::FrozenSet(items) => {
            // Stream order depends on refcounts at dump time (FLAG_REF bytes are part of the
            // sort key), so compare contents only.
            let mut got: Vec<String> = items.iter().map(|e| e.to_string()).collect();
            let mut expect = strs(&want["items"]);
            got.sort();
            expect.sort();
            assert_eq!(got, expect, "{ctx}: frozenset items");
        }
        Const::Str(s) => {
            assert_eq!(s.as_bytes(), hex(&want["utf8"]), "{ctx}: str value");
            assert_eq!(c.to_string(), want["repr"].as_str().unwrap(), "{ctx}: repr");
        }
        Const::StrBytes(b) => assert_eq!(*b, hex(&want["utf8"]), "{ctx}: surrogate str bytes"),
        _ => assert_eq!(c.to_string(), want["repr"].as_str().unwrap(), "{ctx}: repr"),
    }
}

fn check_fields(ctx: &str, c: &Code, w: &Value) {
    assert_eq!(u64::from(c.argcount), u(&w["argcount"]), "{ctx}");
    assert_eq!(
        u64::from(c.posonlyargcount),
        u(&w["posonlyargcount"]),
        "{ctx}"
    );
    assert_eq!(
        u64::from(c.kwonlyargcount),
        u(&w["kwonlyargcount"]),
        "{ctx}"
    );
    assert_eq!(u64::from(c.stacksize), u(&w["stacksize"]), "{ctx}");
    assert_eq!(u64::from(c.flags), u(&w["flags"]), "{ctx}");
    assert_eq!(c.nlocals() as u64, u(&w["nlocals"]), "{ctx}: nlocals");
    assert_eq!(
        c.nlocalsplus() as u64,
        u(&w["nlocalsplus"]),
        "{ctx}: nlocalsplus"
    );
    assert_eq!(c.nplaincellvars() as u64, u(&w["nplaincellvars"]), "{ctx}");
    assert_eq!(c.ncellvars() as u64, u(&w["ncellvars"]), "{ctx}: ncellvars");
    assert_eq!(c.nfreevars() as u64, u(&w["nfreevars"]), "{ctx}: nfreevars");
    assert_eq!(
        u64::from(c.first_traceable()),
        u(&w["firsttraceable"]),
        "{ctx}"
    );
    assert_eq!(c.code, hex(&w["code"]), "{ctx}: co_code");
    assert_eq!(c.names, strs(&w["names"]), "{ctx}: names");
    assert_eq!(c.localsplusnames, strs(&w["localsplusnames"]), "{ctx}");
    assert_eq!(c.varnames(), strs(&w["varnames"]), "{ctx}: varnames");
    assert_eq!(c.cellvars(), strs(&w["cellvars"]), "{ctx}: cellvars");
    assert_eq!(c.freevars(), strs(&w["freevars"]), "{ctx}: freevars");
    assert_eq!(c.filename, w["filename"].as_str().unwrap(), "{ctx}");
    assert_eq!(c.name, w["name"].as_str().unwrap(), "{ctx}");
    assert_eq!(c.qualname, w["qualname"].as_str().unwrap(), "{ctx}");
    assert_eq!(u64::from(c.firstlineno), u(&w["firstlineno"]), "{ctx}");
    assert_eq!(c.linetable, hex(&w["linetable"]), "{ctx}");
    assert_eq!(c.exceptiontable, hex(&w["exceptiontable"]), "{ctx}");
    let consts = w["consts"].as_array().unwrap();
    assert_eq!(c.consts.len(), consts.len(), "{ctx}: consts");
    for (i, (k, want)) in c.consts.iter().zip(consts).enumerate() {
        check_const(&format!("{ctx} const {i}"), k, want);
    }
    let generator_like = u(&w["flags"]) & (0x20 | 0x80 | 0x100 | 0x200) != 0;
    assert_eq!(c.is_generator_like(), generator_like, "{ctx}");
}

#[test]
fn marshal_matches_interpreter() {
    let recs = code_records();
    assert!(recs.len() > 1000, "corpus too small: {}", recs.len());
    for (m, w) in &recs {
        let ctx = format!("{m}:{}", w["qualname"].as_str().unwrap());
        let c = marshal::load_code(&hex(&w["marshal"])).unwrap_or_else(|e| panic!("{ctx}: {e}"));
        check_fields(&ctx, &c, w);
        // The convenience accessors agree with the module-level parsers.
        assert_eq!(
            c.instructions().unwrap(),
            bytecode::decode(&c.code).unwrap()
        );
        assert_eq!(
            c.handlers().unwrap().len(),
            w["handlers"].as_array().unwrap().len()
        );
        assert_eq!(c.locations().unwrap().len(), c.code_units());
    }
}

#[test]
fn module_marshal_and_pyc_nest_every_code_object() {
    for m in fixtures()["modules"].as_array().unwrap() {
        let name = m["module"].as_str().unwrap();
        let top = marshal::load_code(&hex(&m["marshal"])).expect(name);
        let from_pyc = marshal::load_pyc(&hex(&m["pyc"])).expect(name);
        assert_eq!(top, from_pyc, "{name}: .pyc body");
        let walked = top.walk();
        let codes = m["codes"].as_array().unwrap();
        assert_eq!(walked.len(), codes.len(), "{name}: nested code count");
        for (c, w) in walked.iter().zip(codes) {
            check_fields(&format!("{name}:{} (nested)", c.qualname), c, w);
        }
    }
}

/// The oparg tables (`has_local`/`has_free`/`has_name`/`has_const`, `LOAD_GLOBAL`'s NULL bit,
/// `COMPARE_OP`/`BINARY_OP` names) give what `dis` shows as `argrepr`.
fn check_arg_meanings(ctx: &str, w: &Value, instrs: &[s6_py311::Instr]) {
    use s6_py311::opargs;
    let names = strs(&w["names"]);
    let lpn = strs(&w["localsplusnames"]);
    let consts = w["consts"].as_array().unwrap();
    let want: Vec<&Value> = w["instructions"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["opname"] != "EXTENDED_ARG")
        .collect();
    for (ins, d) in instrs.iter().zip(want) {
        let shown = d.get("argrepr").and_then(Value::as_str).unwrap_or("");
        let op = ins.base_op();
        let a = ins.arg as usize;
        let expect: Option<String> = if opcodes::has_local(op) || opcodes::has_free(op) {
            Some(lpn[a].clone())
        } else if op == opcodes::LOAD_GLOBAL {
            let (i, null) = opargs::load_global(ins.arg);
            let n = &names[i as usize];
            Some(if null {
                format!("NULL + {n}")
            } else {
                n.clone()
            })
        } else if opcodes::has_name(op) {
            Some(names[a].clone())
        } else if opcodes::has_compare(op) {
            opcodes::cmp_op_name(ins.arg).map(str::to_string)
        } else if op == opcodes::BINARY_OP {
            opcodes::nb_op_symbol(ins.arg).map(str::to_string)
        } else if op == opcodes::KW_NAMES {
            // dis shows no argrepr for it; the const is the tuple of keyword names.
            assert_eq!(consts[a]["type"], "tuple", "{ctx}: {ins}");
            None
        } else if opcodes::has_const(op) {
            consts[a]["repr"].as_str().map(str::to_string)
        } else {
            None
        };
        if let Some(e) = expect {
            assert_eq!(e, shown, "{ctx}: {ins}");
        }
    }
}

#[test]
fn bytecode_matches_dis() {
    let mut jumps = 0;
    let mut extended = 0;
    for (m, w) in code_records() {
        let ctx = format!("{m}:{}", w["qualname"].as_str().unwrap());
        let code = hex(&w["code"]);
        let instrs = bytecode::decode(&code).unwrap_or_else(|e| panic!("{ctx}: {e}"));
        let want: Vec<&Value> = w["instructions"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|i| i["opname"] != "EXTENDED_ARG")
            .collect();
        assert_eq!(instrs.len(), want.len(), "{ctx}: instruction count");
        let mut prev_next = 0;
        for (ins, d) in instrs.iter().zip(want) {
            assert_eq!(u64::from(ins.index) * 2, u(&d["offset"]), "{ctx}: {ins}");
            assert_eq!(u64::from(ins.op), u(&d["opcode"]), "{ctx}: {ins}");
            assert_eq!(ins.name(), d["opname"].as_str().unwrap(), "{ctx}");
            assert_eq!(ins.start, prev_next, "{ctx}: {ins} start");
            if ins.start != ins.index {
                extended += 1;
            }
            if !d["arg"].is_null() {
                assert_eq!(u64::from(ins.arg), u(&d["arg"]), "{ctx}: {ins} arg");
            }
            match ins.jump_target() {
                Some(t) => {
                    jumps += 1;
                    assert_eq!(u64::from(t) * 2, u(&d["jump"]), "{ctx}: {ins} target");
                    assert_eq!(opcodes::cache_units(ins.op), 0, "jumps have no caches");
                }
                None => assert!(d.get("jump").is_none(), "{ctx}: {ins} is a jump"),
            }
            prev_next = ins.next;
        }
        assert_eq!(
            prev_next as usize * 2,
            code.len(),
            "{ctx}: decoded to the end"
        );
        check_arg_meanings(&ctx, w, &instrs);
    }
    assert!(
        jumps > 1000 && extended > 0,
        "corpus lacks jumps ({jumps}) or EXTENDED_ARG ({extended})"
    );
}

#[test]
fn exception_tables_match_dis() {
    let mut total = 0;
    for (m, w) in code_records() {
        let ctx = format!("{m}:{}", w["qualname"].as_str().unwrap());
        let hs =
            exceptions::parse(&hex(&w["exceptiontable"])).unwrap_or_else(|e| panic!("{ctx}: {e}"));
        let want = w["handlers"].as_array().unwrap();
        assert_eq!(hs.len(), want.len(), "{ctx}");
        for (h, e) in hs.iter().zip(want) {
            // dis gives byte offsets, end exclusive (it prints `end - 2`).
            assert_eq!(u64::from(h.start) * 2, u(&e[0]), "{ctx}: {h}");
            assert_eq!(u64::from(h.end) * 2, u(&e[1]), "{ctx}: {h}");
            assert_eq!(u64::from(h.target) * 2, u(&e[2]), "{ctx}: {h}");
            assert_eq!(u64::from(h.depth), u(&e[3]), "{ctx}: {h}");
            assert_eq!(h.lasti, e[4].as_bool().unwrap(), "{ctx}: {h}");
            assert_eq!(exceptions::handler_for(&hs, h.start), Some(h), "{ctx}");
            assert_eq!(exceptions::handler_for(&hs, h.end - 1), Some(h), "{ctx}");
        }
        // The streaming lookup agrees with the parsed table everywhere (inside and outside).
        let table = hex(&w["exceptiontable"]);
        let last = hs.iter().map(|h| h.end).max().unwrap_or(0);
        for i in 0..last + 2 {
            let streamed = exceptions::lookup(&table, i).unwrap_or_else(|e| panic!("{ctx}: {e}"));
            assert_eq!(
                streamed.as_ref(),
                exceptions::handler_for(&hs, i),
                "{ctx}: unit {i}"
            );
        }
        total += hs.len();
    }
    assert!(total > 500, "corpus has too few handlers: {total}");
}

#[test]
fn locations_match_co_positions() {
    for (m, w) in code_records() {
        let ctx = format!("{m}:{}", w["qualname"].as_str().unwrap());
        let units = hex(&w["code"]).len() / 2;
        let first = u(&w["firstlineno"]) as u32;
        let locs = locations::parse(&hex(&w["linetable"]), first, units)
            .unwrap_or_else(|e| panic!("{ctx}: {e}"));
        let want = w["positions"].as_array().unwrap();
        assert_eq!(want.len(), units, "{ctx}: co_positions covers every unit");
        for (i, (l, p)) in locs.iter().zip(want).enumerate() {
            let o = |v: &Value| v.as_u64().map(|x| x as u32);
            let expect = locations::Location {
                line: o(&p[0]),
                end_line: o(&p[1]),
                col: o(&p[2]),
                end_col: o(&p[3]),
            };
            assert_eq!(*l, expect, "{ctx}: unit {i}");
        }
    }
}

#[test]
fn adaptive_snapshots_match_dis() {
    use opcodes::JumpDirection;
    use opcodes::specialized::*;
    use s6_py311::specialization as sp;
    let mut specialized = 0;
    let mut fused = Vec::new();
    for a in fixtures()["adaptive"].as_array().unwrap() {
        let ctx = a["qualname"].as_str().unwrap();
        let raw = hex(&a["adaptive"]);
        let units = bytecode::code_units(&raw).unwrap();
        // The de-specialized bytes are exactly base_op() of each opcode with zeroed caches.
        assert!(
            bytecode::decode(&raw).is_err(),
            "{ctx}: adaptive code must need decode_adaptive"
        );
        let instrs = bytecode::decode_adaptive(&raw).unwrap_or_else(|e| panic!("{ctx}: {e}"));
        let base = hex(&a["code"]);
        let base_instrs = bytecode::decode(&base).unwrap();
        assert_eq!(instrs.len(), base_instrs.len(), "{ctx}");
        for (x, b) in instrs.iter().zip(&base_instrs) {
            assert_eq!(
                (x.index, x.next, x.base_op(), x.arg, x.start),
                (b.index, b.next, b.op, b.arg, b.start),
                "{ctx}: {x} vs {b}"
            );
            if x.op != b.op {
                specialized += 1;
            }
            assert_ne!(sp::form(x.op), sp::Form::Invalid, "{ctx}: {x}");
            if matches!(
                x.op,
                COMPARE_OP_INT_JUMP | COMPARE_OP_FLOAT_JUMP | COMPARE_OP_STR_JUMP
            ) {
                // The fused jump is the next instruction; the mask knows its direction.
                let mask = cache_fields(x.op, x.cache(&units))[1].1 as u16;
                let next = instrs.iter().find(|n| n.index == x.next).unwrap();
                let backward = opcodes::jump_direction(next.op) == Some(JumpDirection::Backward);
                assert!(opcodes::is_conditional_jump(next.op), "{ctx}: {next}");
                assert_eq!(sp::compare_jump_mask(mask).backward, backward, "{ctx}: {x}");
                fused.push(backward);
            }
        }
        // Compare with dis(adaptive=True, show_caches=True), which lists EXTENDED_ARG(_QUICK)
        // prefixes and each CACHE unit separately.
        let want = a["instructions"].as_array().unwrap();
        let mut k = 0;
        for ins in &instrs {
            while want[k]["opname"]
                .as_str()
                .unwrap()
                .starts_with("EXTENDED_ARG")
            {
                k += 1;
            }
            let d = &want[k];
            assert_eq!(u64::from(ins.index) * 2, u(&d["offset"]), "{ctx}: {ins}");
            assert_eq!(ins.name(), d["opname"].as_str().unwrap(), "{ctx}");
            let cache = ins.cache(&units);
            assert_eq!(
                cache.len(),
                usize::from(opcodes::cache_units(ins.op)),
                "{ctx}: {ins}"
            );
            let shown: Vec<&str> = want[k + 1..k + 1 + cache.len()]
                .iter()
                .map(|c| {
                    assert_eq!(c["opname"], "CACHE");
                    c.get("argrepr").and_then(Value::as_str).unwrap_or("")
                })
                .filter(|s| !s.is_empty())
                .collect();
            let got: Vec<String> = cache_fields(ins.op, cache)
                .iter()
                .map(|(n, v)| format!("{n}: {v}"))
                .collect();
            assert_eq!(got, shown, "{ctx}: {ins} cache fields");
            k += 1 + cache.len();
        }
        assert_eq!(k, want.len(), "{ctx}: all dis entries consumed");
    }
    assert!(
        specialized > 20,
        "warm-up specialized too little: {specialized}"
    );
}
