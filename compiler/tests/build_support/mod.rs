//! Profiles of real Python code for the build_* tests, made without the s6 runtime: the
//! interpreter (`S6_PYTHON` or `python3`) compiles source files and dumps every code object's
//! marshal bytes; samples are assigned by the test.
#![allow(dead_code)]

use std::path::Path;
use std::process::Command;

use s6_profiles::hash::marshal_hash;
use s6_profiles::model::{AbiStamp, CodeKey, CodeProfile, Profile};

const DUMP: &str = r#"
import marshal, sys
def walk(code):
    yield code
    for c in code.co_consts:
        if hasattr(c, 'co_code'):
            yield from walk(c)
for arg in sys.argv[1:]:
    module, path = arg.split('=', 1)
    try:
        src = open(path, 'rb').read()
        top = compile(src, path, 'exec')
    except (SyntaxError, ValueError, UnicodeDecodeError):
        continue
    for c in walk(top):
        print(module, c.co_qualname, c.co_firstlineno, marshal.dumps(c).hex(), path, sep='\t')
"#;

pub fn python() -> String {
    std::env::var("S6_PYTHON").unwrap_or_else(|_| "python3".into())
}

/// The interpreter's stamp (as the profiler would write it), or `None` without Python.
pub fn abi() -> Option<AbiStamp> {
    let out = Command::new(python())
        .args(["-c", "import sys,sysconfig,importlib.util as u,platform;print(sys.version.replace(chr(10),' '));print(sys.hexversion);print(int.from_bytes(u.MAGIC_NUMBER[:2],'little'));print(sys.implementation.cache_tag, sysconfig.get_config_var('SOABI'), *platform.python_build())"])
        .output()
        .ok()?;
    let text = String::from_utf8(out.stdout).ok()?;
    let l: Vec<&str> = text.lines().collect();
    Some(AbiStamp {
        python_version: l.first()?.to_string(),
        hexversion: l.get(1)?.parse().ok()?,
        bytecode_magic: l.get(2)?.parse().ok()?,
        build_id: l.get(3)?.to_string(),
    })
}

/// Every code object of the given `(module, path)` files, 1 sample each (inclusive).
pub fn profile_of(files: &[(String, String)]) -> Option<Profile> {
    let args: Vec<String> = files.iter().map(|(m, p)| format!("{m}={p}")).collect();
    let out = Command::new(python())
        .arg("-c")
        .arg(DUMP)
        .args(&args)
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    let mut code = Vec::new();
    for line in String::from_utf8(out.stdout).ok()?.lines() {
        let f: Vec<&str> = line.split('\t').collect();
        let marshal: Vec<u8> = (0..f[3].len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&f[3][i..i + 2], 16).unwrap())
            .collect();
        code.push(CodeProfile {
            key: CodeKey {
                filename: f[4].to_owned(),
                module: f[0].to_owned(),
                qualname: f[1].to_owned(),
                firstlineno: f[2].parse().unwrap(),
                marshal_hash: marshal_hash(&marshal),
            },
            marshal,
            is_library: false,
            self_samples: 1,
            inclusive_samples: 1,
            sites: Vec::new(),
        });
    }
    code.sort_by(|a, b| a.key.cmp(&b.key));
    code.dedup_by(|a, b| a.key == b.key);
    let total = code.len() as u64;
    Some(Profile {
        runs: vec![vec!["test".into()]],
        sample_interval_us: 1000,
        total_samples: total,
        snapshots: 1,
        code,
    })
}

/// A profile of one source text written to `dir/<module>.py`.
pub fn profile_of_source(dir: &Path, module: &str, src: &str) -> Option<Profile> {
    let path = dir.join(format!("{module}.py"));
    std::fs::write(&path, src).unwrap();
    profile_of(&[(module.to_owned(), path.to_string_lossy().into_owned())])
}
