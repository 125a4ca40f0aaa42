//! `s6c profile`: runs a program on the s6-enabled interpreter exactly as `python SCRIPT ARGS`
//! would, with the environment variables that make the runtime's start-up hook sample it and
//! write a profile at exit; `s6c profile merge` (in `merge.rs`) unites several profiles.
//!
//! The profiler itself lives in the runtime (`s6._s6`): this side only picks the interpreter,
//! checks it up front, passes the settings, collects and reports what happened afterwards.
//! The whole process tree is profiled: `S6_PROFILE` points into a fresh hidden directory beside
//! the output with `%p` in the name, so every process (forked or exec'd) writes its own part;
//! the parts are merged into the output when the program ends, and also every `--flush`
//! period and once `--duration` has passed, so that the output is valid while it runs.

use std::ffi::{OsStr, OsString};
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};

use std::io::IsTerminal;

use anyhow::{Context, bail};
use s6_profiles::format::{read_profile, write_profile};
use s6_profiles::merge::merge;

/// Environment variables read by the runtime's start-up hook (`s6.pth`).
pub const ENV_PROFILE: &str = "S6_PROFILE";
pub const ENV_INTERVAL_US: &str = "S6_PROFILE_INTERVAL_US";
pub const ENV_LIBS: &str = "S6_PROFILE_LIBS";
pub const ENV_FLUSH: &str = "S6_PROFILE_FLUSH_S";
pub const ENV_UNTIL: &str = "S6_PROFILE_UNTIL";

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
    /// Also write the profile every N seconds while the program runs (each process flushes,
    /// s6c merges), so a server killed with SIGKILL leaves the last one.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    flush: Option<u32>,
    /// Stop sampling after SECONDS and write the profile then; the program runs on.
    #[arg(long, value_name = "SECONDS", value_parser = clap::value_parser!(u32).range(1..))]
    duration: Option<u32>,
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

    let parts = Parts::create(&output)?;
    let mut cmd = Command::new(&python);
    cmd.args(target.argv()).env(ENV_PROFILE, parts.pattern());
    match a.interval_us {
        Some(n) => cmd.env(ENV_INTERVAL_US, n.to_string()),
        None => cmd.env_remove(ENV_INTERVAL_US),
    };
    if a.include_libs {
        cmd.env(ENV_LIBS, "1");
    } else {
        cmd.env_remove(ENV_LIBS);
    }
    match a.flush {
        Some(n) => cmd.env(ENV_FLUSH, n.to_string()),
        None => cmd.env_remove(ENV_FLUSH),
    };
    let until = a.duration.map(|d| {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default();
        now + std::time::Duration::from_secs(u64::from(d))
    });
    match until {
        Some(t) => cmd.env(ENV_UNTIL, format!("{:.3}", t.as_secs_f64())),
        None => cmd.env_remove(ENV_UNTIL),
    };
    let terminal = std::io::stderr().is_terminal();
    // Handlers go in before the spawn so no signal finds s6c unprotected; without them s6c
    // would merely die before reporting, so never fail the run for that.
    let signals = SignalForwarder::signals().ok();
    // Orphaned descendants (a multiprocessing forkserver or resource tracker outlives the
    // program by a moment) become s6c's children, so s6c can wait for their last parts.
    let _ = rustix::process::set_child_subreaper(Some(rustix::process::getpid()));
    let mut child = cmd
        .spawn()
        .with_context(|| format!("cannot run {}", python.display()))?;
    let forwarder = signals.map(|s| SignalForwarder::start(s, child.id()));
    let collector = Collector::start(&parts, &output, &shown, a.flush, a.duration, terminal);
    let status = child.wait().context("lost the profiled program")?;
    if let Some(f) = forwarder {
        f.stop();
    }
    reap_descendants(std::time::Duration::from_secs(5));
    collector.stop();
    let code = exit_code(status);

    let merged = parts.merge_into(&output);
    drop(parts);
    let fail = |msg: String| -> ! {
        eprintln!("{msg}");
        std::process::exit(if code == 0 { 2 } else { code });
    };
    match merged {
        Ok(0) => fail(format!(
            "s6c: no profile was written to {}: the program ended without running exit handlers \
             (os._exit, a fatal signal) or {} has no s6 runtime installed (install the s6 wheel there)",
            shown.display(),
            python.display()
        )),
        Ok(n) => {
            if terminal {
                eprintln!("s6c: {}", written_message(&shown, n));
            }
        }
        Err(e) => fail(format!("s6c: error: {e:#}")),
    }
    if code != 0 {
        std::process::exit(code);
    }
    Ok(())
}

/// Waits up to `grace` for the processes the program left behind (reparented to s6c, see
/// `set_child_subreaper`), which write their parts as they exit; a daemon that stays is left
/// running and its later part is not merged.
fn reap_descendants(grace: std::time::Duration) {
    use rustix::process::{WaitOptions, wait};
    let deadline = std::time::Instant::now() + grace;
    loop {
        match wait(WaitOptions::NOHANG) {
            Ok(Some(_)) => continue,
            Ok(None) if std::time::Instant::now() < deadline => {
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            // None left (ECHILD), or only daemons after the grace period.
            _ => break,
        }
    }
}

fn written_message(shown: &Path, processes: usize) -> String {
    let s = if processes == 1 { "" } else { "es" };
    format!(
        "profile of {processes} process{s} written to {}",
        shown.display()
    )
}

/// The hidden directory the program's processes write their parts into: `.<output
/// name>.parts.<s6c pid>` beside the output, removed when s6c is done.
struct Parts {
    dir: PathBuf,
}

impl Parts {
    fn create(output: &Path) -> anyhow::Result<Parts> {
        let name = output.file_name().unwrap_or(OsStr::new("profile"));
        let mut dirname = OsString::from(".");
        dirname.push(name);
        dirname.push(format!(".parts.{}", std::process::id()));
        let dir = output.with_file_name(dirname);
        if dir.exists() {
            std::fs::remove_dir_all(&dir)
                .with_context(|| format!("cannot remove stale {}", dir.display()))?;
        }
        std::fs::create_dir(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
        Ok(Parts { dir })
    }

    /// `S6_PROFILE` for the program: one file per process.
    fn pattern(&self) -> PathBuf {
        self.dir.join("%p.s6prof")
    }

    /// The finished parts (temporary files of writes in progress start with a dot).
    fn files(&self) -> Vec<PathBuf> {
        let mut files: Vec<PathBuf> = std::fs::read_dir(&self.dir)
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.path())
            .filter(|p| {
                p.extension() == Some(OsStr::new("s6prof"))
                    && !p
                        .file_name()
                        .is_some_and(|n| n.to_string_lossy().starts_with('.'))
            })
            .collect();
        files.sort();
        files
    }

    /// Merges every part into `output` (atomically); the number of processes merged.
    fn merge_into(&self, output: &Path) -> anyhow::Result<usize> {
        let files = self.files();
        if files.is_empty() {
            return Ok(0);
        }
        let profiles = files
            .iter()
            .map(|p| read_profile(p))
            .collect::<Result<Vec<_>, _>>()?;
        let (abi, merged) = merge(&profiles).map_err(|e| {
            anyhow::anyhow!("cannot merge the profiles of the program's processes: {e}")
        })?;
        write_profile(output, &merged, &abi)?;
        Ok(files.len())
    }
}

impl Drop for Parts {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Merges the parts into the output while the program runs: every `--flush` period, and once
/// after `--duration` (when every process has written its final part).
struct Collector {
    stop: std::sync::mpsc::Sender<()>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Collector {
    fn start(
        parts: &Parts,
        output: &Path,
        shown: &Path,
        flush: Option<u32>,
        duration: Option<u32>,
        terminal: bool,
    ) -> Collector {
        use std::time::{Duration, Instant};
        let (stop, rx) = std::sync::mpsc::channel::<()>();
        if flush.is_none() && duration.is_none() {
            return Collector { stop, thread: None };
        }
        let parts = Parts {
            dir: parts.dir.clone(),
        };
        let (output, shown) = (output.to_path_buf(), shown.to_path_buf());
        let thread = std::thread::spawn(move || {
            let start = Instant::now();
            // The processes write their last part at the deadline; give them a moment.
            let mut settle = duration
                .map(|d| start + Duration::from_secs(u64::from(d)) + Duration::from_millis(1500));
            let period = flush.map(|n| Duration::from_secs(u64::from(n)));
            let mut next = period.map(|p| start + p);
            loop {
                let wake = [next, settle].into_iter().flatten().min();
                let Some(wake) = wake else { break };
                let wait = wake.saturating_duration_since(Instant::now());
                if rx.recv_timeout(wait) != Err(std::sync::mpsc::RecvTimeoutError::Timeout) {
                    break;
                }
                let now = Instant::now();
                if settle.is_some_and(|t| now >= t) {
                    settle = None;
                    next = None; // sampling has stopped everywhere: nothing new to flush
                    if let Ok(n) = parts.merge_into(&output)
                        && n > 0
                        && terminal
                    {
                        eprintln!(
                            "s6c: {} (sampling stopped; the program runs on)",
                            written_message(&shown, n)
                        );
                    }
                } else if let (Some(t), Some(p)) = (next, period)
                    && now >= t
                {
                    next = Some(t + p);
                    let _ = parts.merge_into(&output);
                }
            }
            // Not ours to remove: the main thread's `Parts` owns the directory.
            std::mem::forget(parts);
        });
        Collector {
            stop,
            thread: Some(thread),
        }
    }

    fn stop(mut self) {
        let _ = self.stop.send(());
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
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
