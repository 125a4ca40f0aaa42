//! The driver decodes each profile entry's marshal bytes on the calling thread, outside the
//! workers' panic guard: damaged bytes must be a skip reason, never a panic.

use s6_profiles::model::{CodeKey, CodeProfile};

use super::{SkipReason, load_code};

fn marshal_of_a_real_function() -> Vec<u8> {
    let python = std::env::var("S6_PYTHON").unwrap_or_else(|_| "python3".into());
    let script = "import marshal, sys\n\
        def f(a, *args, k=1, **kw):\n    try:\n        return [x * 2.5 for x in args if x] + [(a, k, None, b'b', 1j)]\n    except (ValueError, KeyError) as e:\n        raise RuntimeError(f'{e!r}') from e\n\
        sys.stdout.buffer.write(marshal.dumps(f.__code__))";
    let out = std::process::Command::new(python)
        .args(["-c", script])
        .output()
        .expect("run python");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

fn entry(marshal: Vec<u8>) -> CodeProfile {
    CodeProfile {
        key: CodeKey {
            filename: "f.py".into(),
            module: "m".into(),
            qualname: "f".into(),
            firstlineno: 1,
            marshal_hash: 0,
        },
        marshal,
        is_library: false,
        self_samples: 0,
        inclusive_samples: 0,
        sites: vec![],
    }
}

#[test]
fn damaged_marshal_bytes_are_a_skip_reason() {
    let good = marshal_of_a_real_function();
    assert!(load_code(&entry(good.clone())).is_ok());
    let mut refused = 0;
    for i in 0..good.len() {
        assert!(matches!(
            load_code(&entry(good[..i].to_vec())),
            Err(SkipReason::Marshal(_))
        ));
        for flip in [0x01, 0x80, 0xff] {
            let mut bad = good.clone();
            bad[i] ^= flip;
            refused += usize::from(load_code(&entry(bad)).is_err());
        }
    }
    assert!(refused > 0);
}

/// `s6c inspect ir` translates on the main thread: damaged code that still decodes must give
/// IR or a skip reason (never a panic, which would print a backtrace instead of one line).
#[test]
fn damaged_code_that_decodes_translates_or_is_refused() {
    let good = marshal_of_a_real_function();
    let pipeline: Vec<String> = s6_strongjit::passes::DEFAULT_PIPELINE
        .iter()
        .map(|s| s.to_string())
        .collect();
    let mut decoded = 0;
    for i in 0..good.len() {
        for flip in [0x01, 0x80, 0xff] {
            let mut bad = good.clone();
            bad[i] ^= flip;
            let e = entry(bad);
            if let Ok(code) = load_code(&e) {
                decoded += 1;
                let _ = super::to_ir(&code, &e, "s6::m.f", false, &pipeline, None, Vec::new());
            }
        }
    }
    assert!(decoded > 100, "{decoded}");
}

/// A function outside the profile's selection (`cold`, compiled only under `--all`) makes the
/// same helper calls without their inline fast paths: no direct-call path (which reads the
/// runtime's hook and code-extra index), no inline site-cache hit path, and less code.
#[test]
fn cold_functions_call_helpers_instead_of_inline_fast_paths() {
    let python = std::env::var("S6_PYTHON").unwrap_or_else(|_| "python3".into());
    let script = "import marshal, sys\n\
        def f(xs):\n    t = 0\n    for x in xs:\n        t += len(x) + abs(x.real)\n    return g(t, xs)\n\
        sys.stdout.buffer.write(marshal.dumps(f.__code__))";
    let out = std::process::Command::new(python)
        .args(["-c", script])
        .output()
        .expect("run python");
    assert!(out.status.success());
    let c = entry(out.stdout);
    let code = load_code(&c).expect("decodes");
    let isa = crate::lower::isa::target_isa(false).expect("isa");
    let pipeline: Vec<String> = s6_strongjit::passes::DEFAULT_PIPELINE
        .iter()
        .map(|s| s.to_string())
        .collect();
    let compile = |cold| {
        let (l, _) = super::compile_one(
            &*isa,
            &c,
            &code,
            "s6::m.f",
            cold,
            false,
            &pipeline,
            Vec::new(),
        )
        .expect("compiles");
        let imports: Vec<String> = l.code.imports().map(str::to_owned).collect();
        (l.code.code.len(), imports)
    };
    let (hot_len, hot) = compile(false);
    let (cold_len, cold) = compile(true);
    let direct = s6_profiles::abi::direct::EXTRA_INDEX;
    assert!(hot.iter().any(|n| n == direct), "{hot:?}");
    assert!(!cold.iter().any(|n| n == direct), "{cold:?}");
    // The helpers are called either way.
    for helper in [
        "s6_rt_call",
        "s6_rt_load_global_cached",
        "s6_rt_load_attr_cached",
    ] {
        assert!(cold.iter().any(|n| n == helper), "{helper} in {cold:?}");
    }
    assert!(
        cold_len * 3 < hot_len * 2,
        "cold {cold_len} bytes, hot {hot_len}"
    );
}
