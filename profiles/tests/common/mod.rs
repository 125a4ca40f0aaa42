//! Small, realistic profiles and stamps shared by the format and merge tests.
#![allow(dead_code)]

use s6_profiles::hash::marshal_hash;
use s6_profiles::model::*;

pub fn abi() -> AbiStamp {
    AbiStamp {
        python_version: "3.11.7 (main, Dec  8 2023, 18:56:58) [GCC 12.2.0]".into(),
        hexversion: 0x030b07f0,
        bytecode_magic: 3495,
        build_id: "cpython-311 cpython-311-x86_64-linux-gnu main".into(),
    }
}

pub fn other_abi() -> AbiStamp {
    AbiStamp {
        python_version: "3.11.2 (main, Mar 13 2023, 12:18:29) [GCC 12.2.0]".into(),
        hexversion: 0x030b02f0,
        bytecode_magic: 3495,
        build_id: "cpython-311 cpython-311-x86_64-linux-gnu debian".into(),
    }
}

pub fn key(qualname: &str, line: u32, marshal: &[u8]) -> CodeKey {
    CodeKey {
        filename: "/home/u/app.py".into(),
        module: "__main__".into(),
        qualname: qualname.into(),
        firstlineno: line,
        marshal_hash: marshal_hash(marshal),
    }
}

pub fn code(
    qualname: &str,
    line: u32,
    self_s: u64,
    incl: u64,
    sites: Vec<SiteFeedback>,
) -> CodeProfile {
    let marshal = format!("marshal of {qualname}").into_bytes();
    CodeProfile {
        key: key(qualname, line, &marshal),
        marshal,
        is_library: false,
        self_samples: self_s,
        inclusive_samples: incl,
        sites,
    }
}

pub fn int_add(count: u32) -> Observation {
    Observation {
        count,
        feedback: Feedback::Operands {
            op: "BINARY_OP_ADD_INT".into(),
            types: vec!["builtins.int".into(), "builtins.int".into()],
            missed: false,
        },
    }
}

pub fn float_add(count: u32) -> Observation {
    Observation {
        count,
        feedback: Feedback::Operands {
            op: "BINARY_OP_ADD_FLOAT".into(),
            types: vec!["builtins.float".into(), "builtins.float".into()],
            missed: true,
        },
    }
}

pub fn site(index: u32, base_op: &str, observations: Vec<Observation>) -> SiteFeedback {
    SiteFeedback {
        index,
        base_op: base_op.into(),
        observations,
    }
}

/// A profile with every feedback variant in it, so the round trip covers the whole schema.
pub fn sample_profile() -> Profile {
    let callee = key("helper", 3, b"marshal of helper");
    let attr = Observation {
        count: 4,
        feedback: Feedback::Attr {
            op: "LOAD_ATTR_INSTANCE_VALUE".into(),
            receiver: "__main__.Foo".into(),
            name: "x".into(),
            how: AttrKind::InstanceValue { index: 0 },
        },
    };
    let method = Observation {
        count: 2,
        feedback: Feedback::Attr {
            op: "LOAD_METHOD_WITH_VALUES".into(),
            receiver: "__main__.Foo".into(),
            name: "m".into(),
            how: AttrKind::Method {
                descr: Callee::Code(key("Foo.m", 10, b"marshal of Foo.m")),
            },
        },
    };
    let glob = Observation {
        count: 4,
        feedback: Feedback::Global {
            op: "LOAD_GLOBAL_BUILTIN".into(),
            name: "len".into(),
            builtin: true,
            value: Some(Callee::Builtin("builtins.len".into())),
        },
    };
    let call = Observation {
        count: 4,
        feedback: Feedback::Call {
            op: "CALL_PY_EXACT_ARGS".into(),
            callee: Callee::Code(callee),
        },
    };
    let others = vec![
        Observation {
            count: 1,
            feedback: Feedback::Adaptive { backoff: 3 },
        },
        Observation {
            count: 1,
            feedback: Feedback::Attr {
                op: "LOAD_ATTR_SLOT".into(),
                receiver: "m.S".into(),
                name: "s".into(),
                how: AttrKind::Slot { offset: 16 },
            },
        },
        Observation {
            count: 1,
            feedback: Feedback::Attr {
                op: "LOAD_ATTR_WITH_HINT".into(),
                receiver: "m.D".into(),
                name: "d".into(),
                how: AttrKind::DictHint { hint: 7 },
            },
        },
        Observation {
            count: 1,
            feedback: Feedback::Attr {
                op: "LOAD_ATTR_MODULE".into(),
                receiver: "builtins.module".into(),
                name: "pi".into(),
                how: AttrKind::Module,
            },
        },
        Observation {
            count: 1,
            feedback: Feedback::Attr {
                op: "LOAD_METHOD_CLASS".into(),
                receiver: "m.K".into(),
                name: "c".into(),
                how: AttrKind::ClassAttr {
                    descr: Callee::Builtin("builtins.dict.fromkeys".into()),
                },
            },
        },
        Observation {
            count: 1,
            feedback: Feedback::Call {
                op: "PRECALL_BUILTIN_CLASS".into(),
                callee: Callee::Type("builtins.list".into()),
            },
        },
        Observation {
            count: 1,
            feedback: Feedback::Call {
                op: "PRECALL_NO_KW_BUILTIN_O".into(),
                callee: Callee::Unknown,
            },
        },
    ];
    Profile {
        runs: vec![vec!["app.py".into(), "--n".into(), "3".into()]],
        sample_interval_us: 1000,
        total_samples: 120,
        snapshots: 4,
        code: vec![
            code(
                "main",
                1,
                10,
                120,
                vec![
                    site(4, "LOAD_GLOBAL", vec![glob]),
                    site(20, "CALL", vec![call]),
                ],
            ),
            code(
                "helper",
                3,
                100,
                110,
                vec![
                    site(2, "BINARY_OP", vec![int_add(3), float_add(1)]),
                    site(9, "LOAD_ATTR", vec![attr]),
                    site(12, "LOAD_METHOD", vec![method]),
                ],
            ),
            code("odd", 30, 0, 0, vec![site(1, "LOAD_ATTR", others)]),
        ],
    }
}
