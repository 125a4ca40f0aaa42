//! Breadth check: every top-level stdlib `.pyc` of the interpreter (`lib/python3.11/__pycache__`)
//! loads with `load_pyc`, has the same code objects as `marshal.loads` sees (count, code bytes,
//! consts, qualnames), and every code object's bytecode, exception and location tables parse.

mod common;

use s6_py311::marshal;

#[test]
fn stdlib_pycs_load_and_parse() {
    let script = r#"
import glob, marshal, os, sysconfig, types
d = os.path.join(sysconfig.get_paths()["stdlib"], "__pycache__")
def walk(co):
    yield co
    for c in co.co_consts:
        if isinstance(c, types.CodeType):
            yield from walk(c)
for p in sorted(glob.glob(os.path.join(d, "*.cpython-311.pyc"))):
    with open(p, "rb") as f:
        data = f.read()
    cos = list(walk(marshal.loads(data[16:])))
    print(p, len(cos), sum(len(c.co_code) for c in cos), sum(len(c.co_consts) for c in cos),
          ",".join(c.co_qualname for c in cos).replace(" ", "_"))
"#;
    let out = common::run_python(&["-c", script]);
    let mut files = 0;
    let mut codes = 0;
    for line in out.lines() {
        let f: Vec<&str> = line.split(' ').collect();
        let path = f[0];
        let data = std::fs::read(path).unwrap();
        let top = marshal::load_pyc(&data).unwrap_or_else(|e| panic!("{path}: {e}"));
        let all = top.walk();
        let code_bytes: usize = all.iter().map(|c| c.code.len()).sum();
        let consts: usize = all.iter().map(|c| c.consts.len()).sum();
        let names: Vec<String> = all.iter().map(|c| c.qualname.replace(' ', "_")).collect();
        assert_eq!(all.len().to_string(), f[1], "{path}: code objects");
        assert_eq!(code_bytes.to_string(), f[2], "{path}: code bytes");
        assert_eq!(consts.to_string(), f[3], "{path}: consts");
        assert_eq!(names.join(","), f[4], "{path}: qualnames");
        for c in &all {
            c.instructions()
                .unwrap_or_else(|e| panic!("{path}:{}: {e}", c.qualname));
            c.handlers()
                .unwrap_or_else(|e| panic!("{path}:{}: {e}", c.qualname));
            let locs = c
                .locations()
                .unwrap_or_else(|e| panic!("{path}:{}: {e}", c.qualname));
            assert_eq!(locs.len(), c.code_units());
        }
        files += 1;
        codes += all.len();
    }
    assert!(
        files > 100 && codes > 5000,
        "{files} files, {codes} code objects"
    );
}
