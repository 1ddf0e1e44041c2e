//! `acr-emulator exec [start options] -- CMD [ARGS…]`: a throw-away emulator around one
//! command, as `firebase emulators:exec` does. It starts the emulator in this process on a
//! fresh temporary data dir (or `--data-dir`, which is kept), runs CMD with the variables
//! `acr-emulator env` prints, forwards SIGINT, SIGTERM and SIGHUP to CMD, stops the emulator
//! once CMD has exited, removes the temporary dir, and exits with CMD's code (128 + the
//! signal's number when a signal ended CMD, as shells report it). Its own failures use the
//! codes of `env(1)`: 125 (the emulator did not start), 126 (CMD cannot run), 127 (CMD not
//! found), so they cannot be mistaken for a code of CMD's in most scripts.
//!
//! The emulator's own log lines (one per request) go to `emulator.log` in the data dir, not
//! to the terminal CMD writes to: while CMD runs, this process's stderr is that file and CMD
//! gets the original stderr.

use std::ffi::OsString;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;

use super::cli::{StartArgs, env_vars};

/// The emulator could not start (as `env(1)` reports its own failure).
pub const EXIT_EMULATOR_FAILED: u8 = 125;
/// CMD exists but cannot be executed.
pub const EXIT_CANNOT_RUN: u8 = 126;
/// CMD was not found.
pub const EXIT_NOT_FOUND: u8 = 127;

/// The variable that points acr's own configuration and caches into the temporary dir, so
/// that what acr caches about a throw-away Azure disappears with it.
const CONFIG_DIR_VAR: &str = "ACR_CONFIG_DIR";

#[derive(clap::Args, Debug)]
// `start`'s options apply, except --detach (refused: the emulator lives as long as CMD).
#[command(mut_arg("detach", |a| a.hide(true)))]
pub struct ExecArgs {
    #[command(flatten)]
    pub start: StartArgs,
    /// The command to run and its arguments, after `--`.
    #[arg(last = true, required = true, value_name = "CMD")]
    pub command: Vec<OsString>,
}

/// Where the emulator keeps its state during the run.
enum DataDir {
    /// Created for this run and removed (with everything in it) afterwards.
    Temporary(tempfile::TempDir),
    /// Given with `--data-dir`: the state stays for a later `exec` or `start`.
    Kept(PathBuf),
}

impl DataDir {
    fn path(&self) -> PathBuf {
        match self {
            DataDir::Temporary(t) => t.path().to_path_buf(),
            DataDir::Kept(p) => p.clone(),
        }
    }
}

/// Runs `exec`; the exit code is CMD's.
pub fn run(args: ExecArgs) -> ExitCode {
    if args.start.detach {
        eprintln!(
            "acr-emulator: error: exec runs the emulator only while CMD runs; --detach does not apply"
        );
        return ExitCode::from(2);
    }
    let data = match &args.start.dir.data_dir {
        Some(d) => Ok(DataDir::Kept(std::path::absolute(d).unwrap_or(d.clone()))),
        None => tempfile::Builder::new()
            .prefix("acr-emulator-exec-")
            .tempdir()
            .map(DataDir::Temporary)
            .context("creating a temporary data dir"),
    };
    let code = match data {
        Ok(data) => {
            let code = serve_around(&args, &data.path());
            // Dropping the TempDir removes it; a kept --data-dir stays.
            drop(data);
            code
        }
        Err(e) => failed(e),
    };
    ExitCode::from(code)
}

fn failed(e: anyhow::Error) -> u8 {
    eprintln!("acr-emulator: error: {e:#}");
    EXIT_EMULATOR_FAILED
}

fn serve_around(args: &ExecArgs, dir: &std::path::Path) -> u8 {
    let rt = match super::cli::runtime() {
        Ok(rt) => rt,
        Err(e) => return failed(e),
    };
    let log = match std::fs::create_dir_all(dir)
        .and_then(|()| StderrToLog::open(&dir.join(super::LOG_FILE)))
    {
        Ok(log) => log,
        Err(e) => return failed(anyhow::Error::new(e).context("opening the emulator's log")),
    };
    let code = rt.block_on(async {
        let emu = match super::start(args.start.options(dir.to_path_buf(), 0)).await {
            Ok(emu) => emu,
            Err(e) => {
                log.say(&format!("acr-emulator: error: {e:#}"));
                return EXIT_EMULATOR_FAILED;
            }
        };
        let env = emu.env().clone();
        // clap requires CMD, so the split never fails.
        let Some((program, rest)) = args.command.split_first() else {
            emu.shutdown().await;
            return EXIT_NOT_FOUND;
        };
        let mut cmd = tokio::process::Command::new(program);
        cmd.args(rest);
        if let Some(stderr) = log.original() {
            cmd.stderr(stderr);
        }
        for (k, v) in env_vars(&env) {
            cmd.env(k, v);
        }
        if args.start.dir.data_dir.is_none() && std::env::var_os(CONFIG_DIR_VAR).is_none() {
            cmd.env(CONFIG_DIR_VAR, dir.join("acr-config"));
        }
        let code = run_child(cmd, program, &log).await;
        emu.shutdown().await;
        code
    });
    drop(log);
    // Background tasks of the emulator (none should remain) end with the runtime.
    rt.shutdown_timeout(std::time::Duration::from_secs(2));
    code
}

/// Spawns CMD, forwards signals to it until it exits, and returns the exit code to report.
async fn run_child(mut cmd: tokio::process::Command, program: &OsString, log: &StderrToLog) -> u8 {
    // Handlers first: a signal that arrives as soon as CMD runs must reach CMD, not end exec.
    let mut signals = match Signals::new() {
        Ok(s) => s,
        Err(e) => {
            log.say(&format!("acr-emulator: error: handling signals: {e}"));
            return EXIT_EMULATOR_FAILED;
        }
    };
    let mut child = match cmd.spawn() {
        Ok(child) => child,
        Err(e) => {
            let name = program.to_string_lossy();
            log.say(&format!("acr-emulator: error: cannot run {name}: {e}"));
            return if e.kind() == std::io::ErrorKind::NotFound {
                EXIT_NOT_FOUND
            } else {
                EXIT_CANNOT_RUN
            };
        }
    };
    let status = signals.forward_until_exit(&mut child).await;
    match status {
        Ok(status) => status_code(status),
        Err(e) => {
            log.say(&format!(
                "acr-emulator: error: waiting for the command: {e}"
            ));
            EXIT_CANNOT_RUN
        }
    }
}

/// SIGINT, SIGTERM and SIGHUP caught (instead of ending exec) while CMD runs.
#[cfg(unix)]
struct Signals(Vec<(i32, tokio::signal::unix::Signal)>);

#[cfg(unix)]
impl Signals {
    fn new() -> std::io::Result<Signals> {
        use tokio::signal::unix::{SignalKind, signal};
        Ok(Signals(vec![
            (libc::SIGINT, signal(SignalKind::interrupt())?),
            (libc::SIGTERM, signal(SignalKind::terminate())?),
            (libc::SIGHUP, signal(SignalKind::hangup())?),
        ]))
    }

    async fn forward_until_exit(
        &mut self,
        child: &mut tokio::process::Child,
    ) -> std::io::Result<std::process::ExitStatus> {
        loop {
            let next = futures_util::future::select_all(
                self.0
                    .iter_mut()
                    .map(|(n, s)| Box::pin(async move { s.recv().await.map(|_| *n) })),
            );
            let sig = tokio::select! {
                status = child.wait() => return status,
                (sig, _, _) = next => sig,
            };
            if let (Some(sig), Some(pid)) = (sig, child.id().and_then(|p| i32::try_from(p).ok())) {
                // SAFETY: kill(2) has no memory-safety preconditions; the pid is our child's,
                // which cannot be reaped (and reused) before `wait` above returns.
                unsafe { libc::kill(pid, sig) };
            }
        }
    }
}

#[cfg(not(unix))]
struct Signals;

#[cfg(not(unix))]
impl Signals {
    fn new() -> std::io::Result<Signals> {
        Ok(Signals)
    }
    async fn forward_until_exit(
        &mut self,
        child: &mut tokio::process::Child,
    ) -> std::io::Result<std::process::ExitStatus> {
        child.wait().await
    }
}

/// This process's stderr pointed at the emulator's log file for as long as the value lives;
/// the original stderr is kept for CMD and for exec's own messages.
struct StderrToLog {
    #[cfg(unix)]
    saved: std::os::fd::OwnedFd,
}

#[cfg(unix)]
impl StderrToLog {
    fn open(path: &std::path::Path) -> std::io::Result<StderrToLog> {
        use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
        let file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)?;
        // SAFETY: dup(2) and dup2(2) on descriptors this process owns; the duplicate of fd 2
        // is owned by `saved` from here on.
        let saved = unsafe {
            let fd = libc::dup(2);
            if fd < 0 {
                return Err(std::io::Error::last_os_error());
            }
            let saved = OwnedFd::from_raw_fd(fd);
            if libc::dup2(file.as_raw_fd(), 2) < 0 {
                return Err(std::io::Error::last_os_error());
            }
            saved
        };
        // Not inherited by CMD: Rust opens descriptors close-on-exec, and dup(2) keeps the flag
        // off only for the fd-2 copy, which CMD gets explicitly.
        Ok(StderrToLog { saved })
    }

    /// A copy of the original stderr, for CMD.
    fn original(&self) -> Option<std::process::Stdio> {
        self.saved.try_clone().ok().map(std::process::Stdio::from)
    }

    /// One line of exec's own on the original stderr.
    fn say(&self, line: &str) {
        use std::io::Write;
        if let Ok(fd) = self.saved.try_clone() {
            let _ = writeln!(std::fs::File::from(fd), "{line}");
        }
    }
}

#[cfg(unix)]
impl Drop for StderrToLog {
    fn drop(&mut self) {
        use std::os::fd::AsRawFd;
        // SAFETY: dup2(2) onto fd 2 from a descriptor we own.
        unsafe { libc::dup2(self.saved.as_raw_fd(), 2) };
    }
}

#[cfg(not(unix))]
impl StderrToLog {
    fn open(_path: &std::path::Path) -> std::io::Result<StderrToLog> {
        Ok(StderrToLog {})
    }
    fn original(&self) -> Option<std::process::Stdio> {
        None
    }
    fn say(&self, line: &str) {
        eprintln!("{line}");
    }
}

/// CMD's exit code, or 128 + the signal that ended it (as shells report it).
fn status_code(status: std::process::ExitStatus) -> u8 {
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        if let Some(sig) = status.signal() {
            return u8::try_from(sig.saturating_add(128)).unwrap_or(255);
        }
    }
    status
        .code()
        .and_then(|c| u8::try_from(c).ok())
        .unwrap_or(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn codes_of_exits_and_signals() {
        use std::os::unix::process::ExitStatusExt;
        assert_eq!(status_code(std::process::ExitStatus::from_raw(0)), 0);
        assert_eq!(status_code(std::process::ExitStatus::from_raw(3 << 8)), 3);
        // Killed by SIGKILL (9): 137, as bash reports it.
        assert_eq!(status_code(std::process::ExitStatus::from_raw(9)), 137);
    }
}
