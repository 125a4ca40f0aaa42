//! `s6c profile`: runs a program on the s6-enabled interpreter exactly as `python SCRIPT ARGS`
//! would, with the environment variables that make the runtime's start-up hook sample it and
//! write a profile at exit; `s6c profile merge` (in `merge.rs`) unites several profiles.
//!
//! The profiler itself lives in the runtime (`s6._s6`): this side only picks the interpreter,
//! checks it up front, passes the settings and reports what happened afterwards.

use std::ffi::{OsStr, OsString};
use std::os::unix::fs::MetadataExt;
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};

use anyhow::{Context, bail};
use s6_profiles::format::{FileKind, read_header};

/// Environment variables read by the runtime's start-up hook (`s6.pth`).
pub const ENV_PROFILE: &str = "S6_PROFILE";
pub const ENV_INTERVAL_US: &str = "S6_PROFILE_INTERVAL_US";
pub const ENV_LIBS: &str = "S6_PROFILE_LIBS";

#[derive(clap::Args)]
#[command(
    args_conflicts_with_subcommands = true,
    subcommand_negates_reqs = true,
    disable_help_subcommand = true
)]
pub struct Args {
    #[command(subcommand)]
    command: Option<Sub>,
    #[command(flatten)]
    run: RunArgs,
}

#[derive(clap::Subcommand)]
enum Sub {
    /// Merge profiles of several runs (same interpreter) into one.
    Merge(crate::merge::Args),
}

#[derive(clap::Args)]
struct RunArgs {
    /// Where to write the profile [default: <script stem>.s6prof or <module>.s6prof].
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Interpreter to run [default: `python` beside the s6c binary, i.e. `.venv/bin/python`].
    #[arg(long, value_name = "PATH")]
    python: Option<PathBuf>,
    /// Also record library code (stdlib, site-packages), not only the program's own files.
    #[arg(long)]
    include_libs: bool,
    /// Sampling interval in microseconds of CPU time [default: the runtime's].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    interval_us: Option<u32>,
    /// Run library module MODULE as a script (like `python -m`); everything after it is its argv.
    #[arg(short = 'm', value_name = "MODULE", num_args = 1.., allow_hyphen_values = true,
          conflicts_with = "argv")]
    module: Option<Vec<OsString>>,
    /// The script and its arguments, passed on unchanged.
    #[arg(
        value_name = "SCRIPT [ARGS]",
        trailing_var_arg = true,
        required_unless_present = "module"
    )]
    argv: Vec<OsString>,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    match args.command {
        Some(Sub::Merge(m)) => crate::merge::run(m),
        None => run_program(args.run),
    }
}

/// What to run: `python SCRIPT ARGS` or `python -m MODULE ARGS`.
enum Target {
    Script {
        script: OsString,
        args: Vec<OsString>,
    },
    Module {
        module: OsString,
        args: Vec<OsString>,
    },
}

impl Target {
    fn from_args(a: &RunArgs) -> anyhow::Result<Target> {
        if let Some(m) = &a.module {
            let (module, args) = m.split_first().context("-m needs a module name")?;
            return Ok(Target::Module {
                module: module.clone(),
                args: args.to_vec(),
            });
        }
        let (script, args) = a
            .argv
            .split_first()
            .context("give a SCRIPT to run, or -m MODULE")?;
        Ok(Target::Script {
            script: script.clone(),
            args: args.to_vec(),
        })
    }

    /// `<script stem>.s6prof` or `<module>.s6prof`, in the current directory.
    fn default_output(&self) -> PathBuf {
        let stem: OsString = match self {
            Target::Script { script, .. } => Path::new(script)
                .file_stem()
                .map_or_else(|| OsString::from("profile"), OsStr::to_os_string),
            Target::Module { module, .. } => module.clone(),
        };
        let mut name = stem;
        name.push(".s6prof");
        PathBuf::from(name)
    }

    fn argv(&self) -> Vec<OsString> {
        match self {
            Target::Script { script, args } => std::iter::once(script.clone())
                .chain(args.iter().cloned())
                .collect(),
            Target::Module { module, args } => [OsString::from("-m"), module.clone()]
                .into_iter()
                .chain(args.iter().cloned())
                .collect(),
        }
    }
}

fn run_program(a: RunArgs) -> anyhow::Result<()> {
    let target = Target::from_args(&a)?;
    let shown = a.output.clone().unwrap_or_else(|| target.default_output());
    let output = std::path::absolute(&shown)
        .with_context(|| format!("cannot resolve {}", shown.display()))?;
    check_writable(&output).with_context(|| format!("cannot write profile {}", shown.display()))?;
    if let Target::Script { script, .. } = &target
        && !Path::new(script).exists()
    {
        bail!(
            "cannot profile {}: no such file",
            Path::new(script).display()
        );
    }
    let python = interpreter(a.python.as_deref())?;
    check_interpreter(&python)?;

    let before = fingerprint(&output);
    let mut cmd = Command::new(&python);
    cmd.args(target.argv()).env(ENV_PROFILE, &output);
    match a.interval_us {
        Some(n) => cmd.env(ENV_INTERVAL_US, n.to_string()),
        None => cmd.env_remove(ENV_INTERVAL_US),
    };
    if a.include_libs {
        cmd.env(ENV_LIBS, "1");
    } else {
        cmd.env_remove(ENV_LIBS);
    }
    // Handlers go in before the spawn so no signal finds s6c unprotected; without them s6c
    // would merely die before reporting, so never fail the run for that.
    let signals = SignalForwarder::signals().ok();
    let mut child = cmd
        .spawn()
        .with_context(|| format!("cannot run {}", python.display()))?;
    let forwarder = signals.map(|s| SignalForwarder::start(s, child.id()));
    let status = child.wait().context("lost the profiled program")?;
    if let Some(f) = forwarder {
        f.stop();
    }
    let code = exit_code(status);

    let written = fingerprint(&output).is_some_and(|after| Some(after) != before);
    if !written {
        eprintln!(
            "s6c: no profile was written to {}: the program ended without running exit handlers \
             (os._exit, a fatal signal) or {} has no s6 runtime installed (install the s6 wheel there)",
            shown.display(),
            python.display()
        );
        std::process::exit(if code == 0 { 2 } else { code });
    }
    if let Err(e) = read_header(FileKind::Profile, &output) {
        eprintln!("s6c: error: {e}");
        std::process::exit(if code == 0 { 2 } else { code });
    }
    if a.output.is_none() {
        eprintln!("s6c: profile written to {}", shown.display());
    }
    if code != 0 {
        std::process::exit(code);
    }
    Ok(())
}

/// Keeps s6c alive while the program runs, as a shell would: the terminal sends SIGINT and SIGQUIT
/// to the whole foreground group, so the program already gets them (Ctrl-C raises
/// KeyboardInterrupt, the runtime still writes the profile) and s6c only has to outlive it to
/// report. SIGTERM and SIGHUP are usually sent to s6c alone, so they are passed on.
struct SignalForwarder {
    handle: signal_hook::iterator::Handle,
    thread: std::thread::JoinHandle<()>,
}

impl SignalForwarder {
    fn signals() -> std::io::Result<signal_hook::iterator::Signals> {
        use signal_hook::consts::{SIGHUP, SIGINT, SIGQUIT, SIGTERM};
        signal_hook::iterator::Signals::new([SIGINT, SIGQUIT, SIGTERM, SIGHUP])
    }

    fn start(mut signals: signal_hook::iterator::Signals, child: u32) -> SignalForwarder {
        use signal_hook::consts::{SIGHUP, SIGTERM};
        let handle = signals.handle();
        let pid = i32::try_from(child)
            .ok()
            .and_then(rustix::process::Pid::from_raw);
        let thread = std::thread::spawn(move || {
            for sig in signals.forever() {
                let forward = match sig {
                    SIGTERM => Some(rustix::process::Signal::TERM),
                    SIGHUP => Some(rustix::process::Signal::HUP),
                    _ => None,
                };
                if let (Some(pid), Some(sig)) = (pid, forward) {
                    // The program may have exited already; nothing to do then.
                    let _ = rustix::process::kill_process(pid, sig);
                }
            }
        });
        SignalForwarder { handle, thread }
    }

    fn stop(self) {
        self.handle.close();
        let _ = self.thread.join();
    }
}

/// Fails now, rather than after a long run, if the runtime could not write `output`: its
/// directory must exist and accept a new file (the runtime writes a temporary file and renames
/// it), and `output` itself must not be a directory.
fn check_writable(output: &Path) -> anyhow::Result<()> {
    if output.is_dir() {
        bail!("it is a directory");
    }
    let dir = output.parent().unwrap_or(Path::new("/"));
    if !dir.is_dir() {
        bail!("directory {} does not exist", dir.display());
    }
    let probe = dir.join(format!(".s6c-probe.{}", std::process::id()));
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&probe)
        .with_context(|| format!("directory {} is not writable", dir.display()))?;
    let _ = std::fs::remove_file(&probe);
    Ok(())
}

/// `--python`, else the interpreter in the directory of the running s6c: the environment's `bin/`
/// that `pip install s6-*.whl` (or `make setup`) put it in.
fn interpreter(explicit: Option<&Path>) -> anyhow::Result<PathBuf> {
    if let Some(p) = explicit {
        return Ok(p.to_path_buf());
    }
    let exe = std::env::current_exe().context("cannot locate the s6c binary")?;
    let beside = ["python", "python3", "python3.11"].map(|n| exe.with_file_name(n));
    match beside.iter().find(|p| p.exists()) {
        Some(python) => Ok(python.clone()),
        None => bail!(
            "no interpreter beside s6c ({} does not exist): install the s6 wheel into a CPython 3.11 environment and use its bin/s6c, or pass --python PATH",
            beside[0].display()
        ),
    }
}

/// Prints `<implementation> <major> <minor>` and whether `s6` is importable, without importing it.
const CHECK: &str = "import sys, importlib.util\n\
print(sys.implementation.name, *sys.version_info[:2])\n\
print(importlib.util.find_spec('s6') is not None)";

/// Refuses, in one line, an interpreter that is not CPython 3.11 with the s6 runtime.
fn check_interpreter(python: &Path) -> anyhow::Result<()> {
    let out = Command::new(python)
        .args(["-c", CHECK])
        .env_remove(ENV_PROFILE)
        .stdin(Stdio::null())
        .output()
        .with_context(|| {
            format!(
                "cannot run interpreter {} (pass --python PATH to a CPython 3.11 with s6 installed)",
                python.display()
            )
        })?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    let mut lines = stdout.lines();
    let (Some(ident), Some(has_s6)) = (lines.next(), lines.next()) else {
        let stderr = String::from_utf8_lossy(&out.stderr);
        let why = stderr
            .lines()
            .rev()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("no output");
        bail!(
            "{} is not a working Python interpreter ({why}): pass --python PATH to CPython 3.11",
            python.display()
        );
    };
    if ident != "cpython 3 11" {
        bail!(
            "{} is {ident}, but s6c needs CPython 3.11: pass --python PATH to a 3.11 interpreter",
            python.display()
        );
    }
    if has_s6 != "True" {
        bail!(
            "{} cannot import the s6 runtime: install the s6 wheel into its environment (`pip install s6-*.whl`; `make wheel` builds it)",
            python.display()
        );
    }
    Ok(())
}

/// Identity of the file at `path` (inode, size, mtime): the runtime replaces the profile with a
/// rename, so any write changes it. `None` when there is no file.
fn fingerprint(path: &Path) -> Option<(u64, u64, u64, i64, i64)> {
    let m = std::fs::metadata(path).ok()?;
    Some((m.dev(), m.ino(), m.size(), m.mtime(), m.mtime_nsec()))
}

/// The status a shell would report: the exit code, or 128 + N for death by signal N.
fn exit_code(status: ExitStatus) -> i32 {
    status
        .code()
        .or_else(|| status.signal().map(|s| 128 + s))
        .unwrap_or(1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Parser)]
    struct Cli {
        #[command(flatten)]
        args: Args,
    }

    fn parse(argv: &[&str]) -> Result<Args, clap::Error> {
        Cli::try_parse_from(std::iter::once("profile").chain(argv.iter().copied())).map(|c| c.args)
    }

    fn strs(v: &[OsString]) -> Vec<&str> {
        v.iter().map(|s| s.to_str().unwrap()).collect()
    }

    #[test]
    fn script_arguments_pass_through_unchanged() {
        let a = parse(&[
            "-o",
            "x.s6prof",
            "--interval-us",
            "500",
            "app.py",
            "-o",
            "--flag",
            "--",
            "y",
        ])
        .unwrap();
        assert!(a.command.is_none());
        assert_eq!(a.run.output, Some(PathBuf::from("x.s6prof")));
        assert_eq!(a.run.interval_us, Some(500));
        assert_eq!(strs(&a.run.argv), ["app.py", "-o", "--flag", "--", "y"]);
        let t = Target::from_args(&a.run).unwrap();
        assert_eq!(t.default_output(), PathBuf::from("app.s6prof"));
    }

    #[test]
    fn double_dash_separates_a_script_named_like_an_option_or_subcommand() {
        let a = parse(&["--", "merge", "a"]).unwrap();
        assert!(a.command.is_none());
        assert_eq!(strs(&a.run.argv), ["merge", "a"]);
        let a = parse(&["--include-libs", "--", "-weird.py"]).unwrap();
        assert!(a.run.include_libs);
        assert_eq!(strs(&a.run.argv), ["-weird.py"]);
    }

    #[test]
    fn module_takes_the_rest_of_the_line() {
        let a = parse(&["-o", "t.s6prof", "-m", "timeit", "-n", "3", "x = 1"]).unwrap();
        let t = Target::from_args(&a.run).unwrap();
        assert_eq!(strs(&t.argv()), ["-m", "timeit", "-n", "3", "x = 1"]);
        assert_eq!(t.default_output(), PathBuf::from("timeit.s6prof"));
    }

    #[test]
    fn merge_is_a_subcommand() {
        let a = parse(&["merge", "-o", "out.s6prof", "a.s6prof", "b.s6prof"]).unwrap();
        assert!(matches!(a.command, Some(Sub::Merge(_))));
    }

    #[test]
    fn bad_lines_are_refused() {
        assert!(parse(&[]).is_err(), "nothing to run");
        assert!(parse(&["--interval-us", "0", "a.py"]).is_err());
        assert!(parse(&["--interval-us", "x", "a.py"]).is_err());
        assert!(parse(&["--bogus", "a.py"]).is_err());
    }

    #[test]
    fn signals_map_to_128_plus_n() {
        assert_eq!(exit_code(ExitStatus::from_raw(9)), 137);
        assert_eq!(exit_code(ExitStatus::from_raw(3 << 8)), 3);
    }
}
