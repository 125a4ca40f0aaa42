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
                let _ = super::to_ir(&code, &e, "s6::m.f", &pipeline, None);
            }
        }
    }
    assert!(decoded > 100, "{decoded}");
}
