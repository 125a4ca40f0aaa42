//! `s6c profile` runs the program as `python SCRIPT ARGS` would and hands the runtime its
//! settings. The runtime is stood in for by `tests/fake_runtime` (importable `s6` plus a
//! `sitecustomize` that writes a valid profile at exit), so these tests need only CPython 3.11.

mod common;

use std::path::Path;
use std::process::{Command, Stdio};

use common::*;
use s6_profiles::format::read_profile;

/// `s6c profile --python <python> ARGS`, in `cwd`, with the fake runtime on the path.
fn profile(cwd: &Path, args: &[&str]) -> Command {
    let mut c = s6c();
    c.current_dir(cwd)
        .env("PYTHONPATH", fake_runtime())
        .args(["profile", "--python", &python()])
        .args(args);
    c
}

fn executable(path: &Path, body: &str) {
    std::fs::write(path, body).unwrap();
    std::fs::set_permissions(path, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
}

fn script(dir: &Path, name: &str, body: &str) {
    std::fs::write(dir.join(name), body).unwrap();
}

#[test]
fn runs_like_python_and_passes_the_settings() {
    let dir = tempfile::tempdir().unwrap();
    script(
        dir.path(),
        "echo.py",
        "import sys\nprint(sys.argv)\nprint(sys.stdin.read().upper(), end='')\nprint('to stderr', file=sys.stderr)\nsys.exit(3)\n",
    );
    let mut child = profile(
        dir.path(),
        &[
            "-o",
            "out/p.s6prof",
            "--interval-us",
            "250",
            "--include-libs",
            "echo.py",
            "a b",
            "-o",
            "--",
            "x",
        ],
    )
    .stdin(Stdio::piped())
    .stdout(Stdio::piped())
    .stderr(Stdio::piped())
    .spawn()
    .unwrap();
    drop(child.stdin.take());
    let o = child.wait_with_output().unwrap();
    let err = stderr(&o);
    assert!(
        err.contains("cannot write profile out/p.s6prof") && err.contains("does not exist"),
        "{err}"
    );
    assert_eq!(o.status.code(), Some(2));

    let o = profile(dir.path(), &["-o", ".", "echo.py"])
        .output()
        .unwrap();
    let err = one_line_error(&o);
    assert!(
        err.contains("cannot write profile .: it is a directory"),
        "{err}"
    );

    std::fs::create_dir(dir.path().join("out")).unwrap();
    let mut child = profile(
        dir.path(),
        &[
            "-o",
            "out/p.s6prof",
            "--interval-us",
            "250",
            "--include-libs",
            "echo.py",
            "a b",
            "-o",
            "--",
            "x",
        ],
    )
    .stdin(Stdio::piped())
    .stdout(Stdio::piped())
    .stderr(Stdio::piped())
    .spawn()
    .unwrap();
    use std::io::Write;
    child.stdin.take().unwrap().write_all(b"hello\n").unwrap();
    let o = child.wait_with_output().unwrap();
    assert_eq!(
        o.status.code(),
        Some(3),
        "exit status propagated; stderr: {}",
        stderr(&o)
    );
    assert_eq!(stdout(&o), "['echo.py', 'a b', '-o', '--', 'x']\nHELLO\n");
    assert_eq!(
        stderr(&o),
        "to stderr\n",
        "nothing of ours when -o is given and all went well"
    );
    let (_, p) = read_profile(&dir.path().join("out/p.s6prof")).unwrap();
    assert_eq!(
        p.runs,
        vec![vec![
            "echo.py".to_string(),
            "a b".into(),
            "-o".into(),
            "--".into(),
            "x".into()
        ]]
    );
    assert_eq!(p.sample_interval_us, 250, "S6_PROFILE_INTERVAL_US");
    assert_eq!(p.snapshots, 1, "S6_PROFILE_LIBS=1");
}

#[test]
fn default_name_is_printed_and_traceback_is_pythons() {
    let dir = tempfile::tempdir().unwrap();
    script(
        dir.path(),
        "boom.py",
        "def f():\n    raise ValueError('x')\nf()\n",
    );
    let o = profile(dir.path(), &["boom.py"]).output().unwrap();
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    let plain = Command::new(python())
        .current_dir(dir.path())
        .arg("boom.py")
        .output()
        .unwrap();
    assert_eq!(
        err,
        stderr(&plain),
        "same traceback, and nothing of ours when stderr is not a terminal"
    );
    let (_, p) = read_profile(&dir.path().join("boom.s6prof")).unwrap();
    assert_eq!(p.sample_interval_us, 0, "no interval given: none passed");
    assert_eq!(p.snapshots, 0, "no --include-libs: none passed");
}

#[test]
fn module_mode() {
    let dir = tempfile::tempdir().unwrap();
    script(dir.path(), "mymod.py", "import sys\nprint(sys.argv[1:])\n");
    let o = profile(dir.path(), &["-m", "mymod", "-o", "x"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        stdout(&o),
        "['-o', 'x']\n",
        "options after -m MODULE belong to the module"
    );
    assert_eq!(stderr(&o), "", "quiet when stderr is not a terminal");
    let (_, p) = read_profile(&dir.path().join("mymod.s6prof")).unwrap();
    assert!(p.runs[0][0].ends_with("mymod.py"), "{:?}", p.runs);
}

#[test]
fn no_profile_written_is_said_in_one_line() {
    let dir = tempfile::tempdir().unwrap();
    script(dir.path(), "quit.py", "import os\nos._exit(0)\n");
    let o = profile(dir.path(), &["quit.py"]).output().unwrap();
    assert_eq!(
        o.status.code(),
        Some(2),
        "a clean exit without a profile is our failure"
    );
    let err = stderr(&o);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("no profile was written to quit.s6prof") && err.contains("os._exit"),
        "{err}"
    );

    // A stale profile from an earlier run does not count as written.
    script(dir.path(), "quit5.py", "import os\nos._exit(5)\n");
    std::fs::write(dir.path().join("quit5.s6prof"), b"old").unwrap();
    let o = profile(dir.path(), &["quit5.py"]).output().unwrap();
    assert_eq!(
        o.status.code(),
        Some(5),
        "the program's own failure status wins"
    );
    assert!(
        stderr(&o).contains("no profile was written"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn death_by_signal_is_128_plus_n() {
    let dir = tempfile::tempdir().unwrap();
    script(
        dir.path(),
        "die.py",
        "import os, signal\nos.kill(os.getpid(), signal.SIGTERM)\n",
    );
    let o = profile(dir.path(), &["die.py"]).output().unwrap();
    assert_eq!(o.status.code(), Some(128 + 15), "{}", stderr(&o));
}

#[test]
fn interpreter_is_checked_up_front() {
    let dir = tempfile::tempdir().unwrap();
    script(dir.path(), "a.py", "open('ran', 'w').write('x')\n");

    let o = profile(dir.path(), &["missing.py"]).output().unwrap();
    let err = one_line_error(&o);
    assert!(
        err.contains("cannot profile missing.py: no such file"),
        "{err}"
    );

    // No s6 importable: a CPython 3.11 without site-packages (s6 may be installed in the
    // machine's interpreter) and without the fake runtime on the path.
    let bare = dir.path().join("bare-python");
    executable(&bare, &format!("#!/bin/sh\nexec {} -S \"$@\"\n", python()));
    let o = s6c()
        .current_dir(dir.path())
        .env_remove("PYTHONPATH")
        .args(["profile", "--python"])
        .arg(&bare)
        .arg("a.py")
        .output()
        .unwrap();
    let err = one_line_error(&o);
    assert!(
        err.contains("cannot import the s6 runtime") && err.contains("pip install"),
        "{err}"
    );

    let o = s6c()
        .current_dir(dir.path())
        .args(["profile", "--python", "/no/such/python", "a.py"])
        .output()
        .unwrap();
    let err = one_line_error(&o);
    assert!(
        err.contains("cannot run interpreter /no/such/python"),
        "{err}"
    );

    // An interpreter that is not 3.11.
    let fake = dir.path().join("fakepy");
    executable(&fake, "#!/bin/sh\necho cpython 3 12\necho True\n");
    let o = s6c()
        .current_dir(dir.path())
        .args(["profile", "--python"])
        .arg(&fake)
        .arg("a.py")
        .output()
        .unwrap();
    let err = one_line_error(&o);
    assert!(
        err.contains("is cpython 3 12") && err.contains("CPython 3.11"),
        "{err}"
    );

    // Default interpreter: `python` beside the s6c binary, which a cargo build does not have.
    let o = s6c()
        .current_dir(dir.path())
        .args(["profile", "a.py"])
        .output()
        .unwrap();
    let err = one_line_error(&o);
    assert!(
        err.contains("no interpreter beside s6c") && err.contains("--python"),
        "{err}"
    );
    assert!(!dir.path().join("ran").exists(), "the program never ran");
}

#[test]
fn argument_errors_exit_2() {
    for args in [
        &["profile"][..],
        &["profile", "--interval-us", "0", "a.py"],
        &["profile", "--bogus", "a.py"],
        &["inspect", "profile"],
    ] {
        let o = s6c().args(args).output().unwrap();
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        let err = one_line_error(&o);
        assert!(err.starts_with("s6c: error:"), "{args:?}: {err}");
    }
}

/// Starts `s6c profile` on a script that signals readiness with a file, then sleeps.
fn start_sleeper(dir: &Path) -> std::process::Child {
    script(
        dir,
        "sleeper.py",
        "import time, pathlib\npathlib.Path('ready').touch()\ntime.sleep(2)\nprint('done')\n",
    );
    let child = profile(dir, &["sleeper.py"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while !dir.join("ready").exists() {
        assert!(
            std::time::Instant::now() < deadline,
            "sleeper never started"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    child
}

fn kill(sig: &str, pid: u32) {
    assert!(
        Command::new("kill")
            .args([sig, &pid.to_string()])
            .status()
            .unwrap()
            .success()
    );
}

#[test]
fn sigint_to_s6c_alone_does_not_stop_the_run() {
    let dir = tempfile::tempdir().unwrap();
    let child = start_sleeper(dir.path());
    kill("-INT", child.id());
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stdout(&o), "done\n");
    assert!(dir.path().join("sleeper.s6prof").exists(), "{}", stderr(&o));
}

#[test]
fn on_a_terminal_it_says_where_the_profile_went() {
    // `script` runs the command on a pseudo-terminal.
    let dir = tempfile::tempdir().unwrap();
    script(dir.path(), "hi.py", "print('hi')\n");
    let line = format!(
        "{} profile --python {} hi.py",
        env!("CARGO_BIN_EXE_s6c"),
        python()
    );
    let o = Command::new("script")
        .current_dir(dir.path())
        .env("PYTHONPATH", fake_runtime())
        .args(["-qec", &line, "/dev/null"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.contains("s6c: profile of 1 process written to hi.s6prof"),
        "{out}"
    );
    assert!(
        !dir.path()
            .read_dir()
            .unwrap()
            .flatten()
            .any(|e| e.file_name().to_string_lossy().contains(".parts.")),
        "the parts directory is removed"
    );
}

#[test]
fn sigterm_is_passed_on_to_the_program() {
    let dir = tempfile::tempdir().unwrap();
    let child = start_sleeper(dir.path());
    kill("-TERM", child.id());
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(128 + 15), "{}", stderr(&o));
    assert_eq!(stdout(&o), "", "the program was stopped");
    assert!(
        stderr(&o).contains("no profile was written"),
        "{}",
        stderr(&o)
    );
}
