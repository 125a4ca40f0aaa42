//! Hand-built inputs for the corners the corpus may not reach: marshal references and their
//! slot numbering, malformed sizes, reference bombs, deep nesting, big ints, repr details;
//! EXTENDED_ARG, cache and jump handling in the decoder; table parser errors.

use s6_py311::bytecode::{self, DecodeError};
use s6_py311::marshal::{self, Const, Int, MarshalError};
use s6_py311::opcodes;
use s6_py311::{exceptions, locations};

const REF: u8 = 0x80;

fn s(v: &str) -> Const {
    Const::Str(v.to_string())
}

#[test]
fn refs_reserve_at_start_and_singletons_take_no_slot() {
    // ')'|REF n=3: 'N'|REF (no slot), 'Z'|REF "b" (slot 1; the tuple is slot 0), 'r' 1.
    let data = [
        b')' | REF,
        3,
        b'N' | REF,
        b'Z' | REF,
        1,
        b'b',
        b'r',
        1,
        0,
        0,
        0,
    ];
    assert_eq!(
        marshal::load_const(&data).unwrap(),
        Const::Tuple(vec![Const::None, s("b"), s("b")])
    );
    // A reference to the tuple while it is being read is a cycle: an error, not a hang.
    let cyc = [b')' | REF, 1, b'r', 0, 0, 0, 0];
    assert!(matches!(
        marshal::load_const(&cyc),
        Err(MarshalError::IncompleteRef { index: 0, .. })
    ));
    // Out-of-range and negative references.
    assert!(matches!(
        marshal::load_const(&[b'r', 5, 0, 0, 0]),
        Err(MarshalError::BadRef { index: 5, .. })
    ));
    assert!(matches!(
        marshal::load_const(&[b'r', 0xff, 0xff, 0xff, 0xff]),
        Err(MarshalError::BadRef { index: -1, .. })
    ));
}

#[test]
fn containers_and_scalars() {
    let mut data = vec![b'[', 6, 0, 0, 0];
    data.extend([b'i', 0xfe, 0xff, 0xff, 0xff]); // -2
    data.extend([b'f', 3, b'1', b'.', b'5']); // text float
    data.extend([b'x', 1, b'0', 4, b'-', b'2', b'.', b'5']); // text complex
    data.extend([b'{', b'z', 1, b'k', b'T', b'0']); // {'k': True}
    data.extend([b'<', 1, 0, 0, 0, b'.']); // {Ellipsis}
    data.extend([b'>', 0, 0, 0, 0]); // frozenset()
    let got = marshal::load_const(&data).unwrap();
    assert_eq!(
        got.to_string(),
        "[-2, 1.5, -2.5j, {'k': True}, {Ellipsis}, frozenset()]"
    );
    let c = [
        b'y', 0, 0, 0, 0, 0, 0, 0xf0, 0x3f, 0, 0, 0, 0, 0, 0, 0, 0xc0,
    ];
    assert_eq!(marshal::load_const(&c).unwrap().to_string(), "(1-2j)");
    // Latin-1 for the 1-byte string kinds, UTF-8 for 'u'.
    assert_eq!(marshal::load_const(&[b'z', 1, 0xe9]).unwrap(), s("\u{e9}"));
    assert_eq!(
        marshal::load_const(&[b'u', 2, 0, 0, 0, 0xc3, 0xa9]).unwrap(),
        s("\u{e9}")
    );
    // Lone surrogate (surrogatepass) is kept as bytes; other invalid UTF-8 is an error.
    let sur = marshal::load_const(&[b'u', 3, 0, 0, 0, 0xed, 0xa0, 0x80]).unwrap();
    assert_eq!(sur, Const::StrBytes(vec![0xed, 0xa0, 0x80]));
    assert_eq!(sur.to_string(), "'\\ud800'");
    assert!(matches!(
        marshal::load_const(&[b'u', 1, 0, 0, 0, 0xff]),
        Err(MarshalError::Utf8(_))
    ));
}

#[test]
fn longs() {
    // 2**100 = digit 1 at position 6 (15 * 6 = 90) times 2**10.
    let mut d = vec![b'l', 7, 0, 0, 0];
    for i in 0..7 {
        d.extend(if i == 6 { [0x00, 0x04] } else { [0, 0] });
    }
    let v = marshal::load_const(&d).unwrap();
    assert_eq!(v.to_string(), "1267650600228229401496703205376");
    assert!(matches!(
        v,
        Const::Int(Int::Big {
            negative: false,
            ..
        })
    ));
    // -(2**63) fits i64; 2**63 does not.
    let min = [b'l', 0xfb, 0xff, 0xff, 0xff, 0, 0, 0, 0, 0, 0, 0, 0, 8, 0];
    assert_eq!(
        marshal::load_const(&min).unwrap(),
        Const::Int(Int::Small(i64::MIN))
    );
    let over = [b'l', 5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 8, 0];
    assert_eq!(
        marshal::load_const(&over).unwrap().to_string(),
        "9223372036854775808"
    );
    // Digits must be < 2**15 and normalized.
    assert!(marshal::load_const(&[b'l', 1, 0, 0, 0, 0, 0x80]).is_err());
    assert!(marshal::load_const(&[b'l', 2, 0, 0, 0, 1, 0, 0, 0]).is_err());
    assert_eq!(
        marshal::load_const(&[b'l', 0, 0, 0, 0])
            .unwrap()
            .to_string(),
        "0"
    );
}

#[test]
fn malformed_sizes_depth_bombs_and_trailing_data() {
    // Negative and absurd sizes fail before allocating.
    assert!(matches!(
        marshal::load_const(&[b'(', 0xff, 0xff, 0xff, 0xff]),
        Err(MarshalError::BadSize { .. })
    ));
    assert!(matches!(
        marshal::load_const(&[b's', 0xff, 0xff, 0xff, 0x7f]),
        Err(MarshalError::BadSize { .. })
    ));
    // 3000 nested 1-tuples.
    let mut deep = Vec::new();
    for _ in 0..3000 {
        deep.extend([b')', 1]);
    }
    deep.push(b'N');
    assert!(matches!(
        marshal::load_const(&deep),
        Err(MarshalError::TooDeep(_))
    ));
    // Each level is a tuple of two references to the previous level: 2**60 leaves.
    let mut bomb = vec![b')', 61, b'z' | REF, 1, b'x'];
    for level in 0..60u32 {
        bomb.extend([b')' | REF, 2]);
        for _ in 0..2 {
            bomb.push(b'r');
            bomb.extend(level.to_le_bytes());
        }
    }
    assert_eq!(marshal::load_const(&bomb), Err(MarshalError::TooLarge));
    assert_eq!(marshal::load_const(b"NN"), Err(MarshalError::Trailing(1)));
    assert_eq!(
        marshal::load_code(b"N"),
        Err(MarshalError::NotCode("NoneType"))
    );
    assert!(matches!(
        marshal::load_const(b"0"),
        Err(MarshalError::Null(0))
    ));
    assert!(matches!(
        marshal::load_const(b"?"),
        Err(MarshalError::UnknownType { code: b'?', .. })
    ));
    assert!(matches!(
        marshal::load_pyc(&[0; 20]),
        Err(MarshalError::BadPyc(_))
    ));
}

#[test]
fn float_and_str_repr() {
    let cases = [
        (0.1, "0.1"),
        (-0.0, "-0.0"),
        (1e16, "1e+16"),
        (1e15, "1000000000000000.0"),
        (1e-5, "1e-05"),
        (1e-4, "0.0001"),
        (123456789012345678.0, "1.2345678901234568e+17"),
        (2.5e-300, "2.5e-300"),
        (f64::INFINITY, "inf"),
        (f64::NAN, "nan"),
        (3.0, "3.0"),
    ];
    for (x, want) in cases {
        assert_eq!(Const::Float(x).to_string(), want);
    }
    assert_eq!(Const::Complex(-0.0, 1.0).to_string(), "(-0+1j)");
    assert_eq!(s("it's").to_string(), "\"it's\"");
    assert_eq!(s("both ' and \"").to_string(), "'both \\' and \"'");
    assert_eq!(Const::Bytes(b"a\x00'".to_vec()).to_string(), "b\"a\\x00'\"");
    assert_eq!(Const::Tuple(vec![s("a")]).to_string(), "('a',)");
    assert_eq!(Const::Set(vec![]).to_string(), "set()");
}

fn units(words: &[(u8, u8)]) -> Vec<u8> {
    words.iter().flat_map(|&(op, arg)| [op, arg]).collect()
}

#[test]
fn decoder_folds_extended_args_and_skips_caches() {
    use opcodes::*;
    let code = units(&[
        (RESUME, 0),
        (EXTENDED_ARG, 1),
        (EXTENDED_ARG, 2),
        (LOAD_CONST, 3), // arg 0x010203
        (LOAD_GLOBAL, 1),
        (CACHE, 0),
        (CACHE, 0),
        (CACHE, 0),
        (CACHE, 0),
        (CACHE, 0),
        (POP_JUMP_FORWARD_IF_TRUE, 1),
        (POP_TOP, 0),
        (JUMP_BACKWARD, 12),
    ]);
    let ins = bytecode::decode(&code).unwrap();
    let summary: Vec<_> = ins
        .iter()
        .map(|i| (i.start, i.index, i.op, i.arg, i.next))
        .collect();
    assert_eq!(
        summary,
        vec![
            (0, 0, RESUME, 0, 1),
            (1, 3, LOAD_CONST, 0x010203, 4),
            (4, 4, LOAD_GLOBAL, 1, 10),
            (10, 10, POP_JUMP_FORWARD_IF_TRUE, 1, 11),
            (11, 11, POP_TOP, 0, 12),
            (12, 12, JUMP_BACKWARD, 12, 13),
        ]
    );
    assert_eq!(ins[3].jump_target(), Some(12));
    assert_eq!(ins[5].jump_target(), Some(1));
    assert_eq!(ins[1].jump_target(), None);
    assert_eq!(ins[5].to_string(), "12 JUMP_BACKWARD 12 (to 1)");

    assert_eq!(bytecode::decode(&[1]), Err(DecodeError::OddLength(1)));
    assert_eq!(
        bytecode::decode(&units(&[(NOP, 0), (EXTENDED_ARG, 1)])),
        Err(DecodeError::DanglingExtendedArg(1))
    );
    assert_eq!(
        bytecode::decode(&units(&[(LOAD_ATTR, 0), (CACHE, 0)])),
        Err(DecodeError::TruncatedCaches {
            index: 0,
            caches: 4,
            len: 2
        })
    );
    assert!(matches!(
        bytecode::decode(&units(&[(EXTENDED_ARG, 1); 4])),
        Err(DecodeError::ArgOverflow(3))
    ));
    assert!(matches!(
        bytecode::decode(&units(&[(CACHE, 0)])),
        Err(DecodeError::UnknownOpcode { index: 0, op: 0 })
    ));
    let spec = units(&[(specialized::BINARY_OP_ADD_INT, 0), (53, 0)]);
    assert!(matches!(
        bytecode::decode(&spec),
        Err(DecodeError::NotBase { .. })
    ));
    let ins = bytecode::decode_adaptive(&spec).unwrap();
    assert_eq!((ins[0].base_op(), ins[0].next), (BINARY_OP, 2));
    let words = bytecode::code_units(&spec).unwrap();
    assert_eq!(ins[0].cache(&words), &[53]);
    assert_eq!(
        bytecode::cache_fields(ins[0].op, ins[0].cache(&words)),
        vec![("counter", 53)]
    );
}

#[test]
fn table_parsers() {
    // start=2 size=4 target=70 (two groups: 1,6) depth=3 lasti
    let t = [0x80 | 2, 4, 0x40 | 1, 6, 7];
    let hs = exceptions::parse(&t).unwrap();
    assert_eq!(
        hs,
        vec![exceptions::Handler {
            start: 2,
            end: 6,
            target: 70,
            depth: 3,
            lasti: true
        }]
    );
    assert_eq!(exceptions::handler_for(&hs, 5).map(|h| h.target), Some(70));
    assert_eq!(exceptions::handler_for(&hs, 6), None);
    assert!(exceptions::parse(&t[..4]).is_err());
    assert!(exceptions::parse(&[2, 4, 6, 7]).is_err());

    // Long form (code 14, 1 unit): line +3, end line +1, col 4, end col 9; then no-location
    // (code 15, 2 units); then short form (code 0, 1 unit): col 2..5 on the same line.
    let lt = [0x80 | 14 << 3, 6, 1, 5, 10, 0x80 | 15 << 3 | 1, 0x80, 0x23];
    let locs = locations::parse(&lt, 10, 4).unwrap();
    let l = |a, b, c, d| locations::Location {
        line: a,
        end_line: b,
        col: c,
        end_col: d,
    };
    assert_eq!(
        locs,
        vec![
            l(Some(13), Some(14), Some(4), Some(9)),
            l(None, None, None, None),
            l(None, None, None, None),
            l(Some(13), Some(13), Some(2), Some(5)),
        ]
    );
    assert_eq!(locs[0].to_string(), "(13, 14, 4, 9)");
    assert!(locations::parse(&lt[..3], 10, 4).is_err());
    assert!(locations::parse(&[0x05], 1, 1).is_err());
}

#[test]
fn specialization_forms_and_operand_types() {
    use s6_py311::specialization::{self as sp, Form};
    let mut count = std::collections::HashMap::new();
    for op in 0..=255u8 {
        let f = sp::form(op);
        *count.entry(f).or_insert(0) += 1;
        let name = opcodes::name(op);
        match f {
            Form::Adaptive => assert!(name.ends_with("_ADAPTIVE")),
            Form::Superinstruction => assert!(name.contains("__")),
            Form::Quick => assert!(name.ends_with("_QUICK")),
            _ => {}
        }
        let types = sp::operand_types(op);
        if !types.is_empty() {
            assert_eq!(f, Form::Specialized, "{name}");
            // The type is named in the opcode (INT, FLOAT, UNICODE/STR, LIST, TUPLE, DICT).
            for t in types.iter().filter(|t| **t != sp::ANY) {
                let tag = match *t {
                    "builtins.int" => "INT",
                    "builtins.float" => "FLOAT",
                    "builtins.str" => {
                        if name.contains("UNICODE") {
                            "UNICODE"
                        } else {
                            "STR"
                        }
                    }
                    "builtins.list" => "LIST",
                    "builtins.tuple" => "TUPLE",
                    "builtins.dict" => "DICT",
                    other => panic!("{other}"),
                };
                assert!(name.contains(tag), "{name}: {t}");
            }
        }
    }
    assert_eq!(count[&Form::Adaptive], 11);
    assert_eq!(count[&Form::Quick], 3);
    assert_eq!(count[&Form::Superinstruction], 5);
    assert_eq!(count[&Form::Specialized], 71 - 19);
    assert_eq!(count[&Form::Base], 110);
    let m = sp::compare_jump_mask(0b101 << 3);
    assert!(m.backward && m.when_less && !m.when_equal && m.when_greater);
    let m = sp::compare_jump_mask(0b010);
    assert!(!m.backward && !m.when_less && m.when_equal && !m.when_greater);
}

/// A minimal code object whose only const is `child` (or none), nested `levels` deep.
fn nested_code(levels: usize) -> Vec<u8> {
    let mut out = Vec::new();
    for _ in 0..levels {
        out.push(b'c');
        for _ in 0..5 {
            out.extend(0i32.to_le_bytes());
        }
        out.extend([b's', 0, 0, 0, 0]); // co_code
        out.extend([b')', 1]); // consts: (child,)
    }
    for level in 0..levels {
        if level == 0 {
            out.extend([b')', 0]); // innermost consts
        }
        out.extend([b')', 0, b')', 0]); // names, localsplusnames
        out.extend([b's', 0, 0, 0, 0]); // kinds
        out.extend([b'z', 1, b'f', b'z', 1, b'n', b'z', 1, b'n']);
        out.extend(1i32.to_le_bytes()); // firstlineno
        out.extend([b's', 0, 0, 0, 0, b's', 0, 0, 0, 0]); // linetable, exceptiontable
    }
    out
}

#[test]
fn deeply_nested_code_objects_fit_the_reader_stack() {
    // Each level is two marshal nesting levels (the code, its consts tuple).
    let c = marshal::load_code(&nested_code(990)).unwrap();
    assert_eq!(c.walk().len(), 990);
    assert!(matches!(
        marshal::load_code(&nested_code(1010)),
        Err(MarshalError::TooDeep(_))
    ));
}
