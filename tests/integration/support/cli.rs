//! The CLI runner: [`Acr`] runs `acr` in-process on a shell-quoted command line with
//! captured streams ([`Out`]), its own configuration directory and an environment that points
//! at one emulator (service principal, CA bundle, cloud, no `az` on `PATH`); [`setup`] gives a
//! fresh emulator and an `acr` for it; [`Acr::process`] (captured output) and
//! [`Acr::command`] (a `Command` to signal or kill) run the real binary in that environment
//! instead. [`split`] quotes like a POSIX shell; [`table`] and
//! [`table_date`] build az's expected table output; [`passwords_of`] collects password values.

use acr::config::Env;
use acr::emulator::EnvInfo;
use acr::io::Io;
use serde_json::Value;

use super::emulator::Emu;

/// What one `acr` invocation printed.
#[derive(Debug, Clone)]
pub struct Out {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Out {
    /// stdout parsed as JSON.
    #[track_caller]
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| {
            panic!(
                "stdout is not JSON ({e}):\n{}\nstderr:\n{}",
                self.stdout, self.stderr
            )
        })
    }

    /// stdout after an interactive prompt (which az, and acr, print on stdout), as JSON.
    #[track_caller]
    pub fn json_after_prompt(&self) -> Value {
        let (_, rest) = self
            .stdout
            .split_once("(y/n): ")
            .expect("a prompt on stdout");
        serde_json::from_str(rest)
            .unwrap_or_else(|e| panic!("not JSON after the prompt ({e}): {rest}"))
    }

    /// Asserts exit 0 and returns self.
    #[track_caller]
    pub fn ok(self) -> Out {
        assert_eq!(
            self.code, 0,
            "expected success\nstdout:\n{}\nstderr:\n{}",
            self.stdout, self.stderr
        );
        self
    }

    /// Asserts exit `code`, nothing on stdout and exactly `stderr`.
    #[track_caller]
    pub fn fails(&self, code: i32, stderr: &str) {
        assert_eq!(
            (self.code, self.stdout.as_str(), self.stderr.as_str()),
            (code, "", stderr),
            "exit code, stdout, stderr"
        );
    }

    /// Asserts exit `code`, nothing on stdout and `ERROR: {message}\n` as the whole stderr.
    #[track_caller]
    pub fn error(&self, code: i32, message: &str) {
        self.fails(code, &format!("ERROR: {message}\n"));
    }
}

/// `acr` configured for one emulator: its own configuration directory, the emulator's
/// service principal and cloud in the environment, no `az` on `PATH`.
pub struct Acr {
    config: tempfile::TempDir,
    vars: Vec<(String, String)>,
}

impl Acr {
    pub fn new(emu: &Emu) -> Acr {
        Acr::for_env(&emu.env)
    }

    /// `acr` configured for the emulator that printed `e`.
    pub fn for_env(e: &EnvInfo) -> Acr {
        let config = tempfile::tempdir().expect("config dir");
        let vars = [
            ("ACR_CONFIG_DIR", config.path().display().to_string()),
            ("ACR_CREDENTIAL_STORE", "file".into()),
            ("PATH", "/usr/bin:/bin".into()),
            ("HOME", config.path().display().to_string()),
            ("AZURE_TENANT_ID", e.tenant_id.clone()),
            ("AZURE_CLIENT_ID", e.client_id.clone()),
            ("AZURE_CLIENT_SECRET", e.client_secret.clone()),
            ("AZURE_AUTHORITY_HOST", e.authority.clone()),
            ("AZURE_SUBSCRIPTION_ID", e.subscription_id.clone()),
            ("ACR_RESOURCE_MANAGER", e.resource_manager.clone()),
            ("ACR_CA_BUNDLE", e.ca_certificate.clone()),
            ("ACR_LOGIN_SERVER_SUFFIX", e.acr_login_server_suffix.clone()),
            ("ACR_CLOUD_NAME", "AcrEmulator".into()),
        ];
        Acr {
            config,
            vars: vars.into_iter().map(|(k, v)| (k.to_owned(), v)).collect(),
        }
    }

    /// Adds or replaces an environment variable for later runs.
    pub fn set_env(&mut self, name: &str, value: &str) {
        self.vars.retain(|(k, _)| k != name);
        self.vars.push((name.to_owned(), value.to_owned()));
    }

    /// Removes an environment variable for later runs.
    pub fn unset_env(&mut self, name: &str) {
        self.vars.retain(|(k, _)| k != name);
    }

    pub fn config_dir(&self) -> &std::path::Path {
        self.config.path()
    }

    pub fn env(&self) -> Env {
        Env::from_pairs(self.vars.clone())
    }

    /// Runs `acr` on a command line quoted like a shell's (the leading `acr` is optional).
    pub async fn run(&self, line: &str) -> Out {
        self.run_with(line, "", false).await
    }

    /// Runs and asserts success.
    pub async fn ok(&self, line: &str) -> Out {
        let out = self.run(line).await;
        assert_eq!(
            out.code, 0,
            "{line}\nstdout:\n{}\nstderr:\n{}",
            out.stdout, out.stderr
        );
        out
    }

    /// The real `acr` binary on a shell-quoted command line, with this runner's environment
    /// (and nothing else of the test's): for tests that signal or kill the process.
    pub fn command(&self, line: &str) -> std::process::Command {
        let args = words(line);
        let mut command = std::process::Command::new(super::bins::acr());
        command.args(args).env_clear().envs(self.vars.clone());
        command
    }

    /// Runs with `stdin` as standard input, which counts as a terminal when `tty` is set.
    pub async fn run_with(&self, line: &str, stdin: &str, tty: bool) -> Out {
        self.run_args(words(line), stdin, tty).await
    }

    pub async fn run_args(&self, args: Vec<String>, stdin: &str, tty: bool) -> Out {
        if super::bins::override_dir().is_some() {
            // Another build's acr: only its binary runs its code (standard input is then a
            // pipe, never a terminal).
            return self.process_args(args, stdin).await;
        }
        let (mut io, captured) = Io::captured(stdin);
        io.stdin_is_tty = tty;
        let code = acr::commands::run(args, io, self.env()).await;
        Out {
            code,
            stdout: captured.stdout(),
            stderr: captured.stderr(),
        }
    }

    /// Runs the real `acr` binary in a child process with only this `acr`'s environment (for
    /// what reads the process environment itself, such as the OS keyring's D-Bus address).
    pub async fn process(&self, line: &str, stdin: &str) -> Out {
        self.process_args(words(line), stdin).await
    }

    async fn process_args(&self, args: Vec<String>, stdin: &str) -> Out {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let mut cmd = tokio::process::Command::new(super::bins::acr());
        cmd.env_clear();
        let run = super::clients::run_cmd(cmd, &args, self.vars.clone(), stdin).await;
        Out {
            code: run.code,
            stdout: run.stdout,
            stderr: run.stderr,
        }
    }
}

/// The arguments of an `acr` command line (`acr` itself, when written, dropped).
fn words(line: &str) -> Vec<String> {
    let mut args = split(line);
    if args.first().map(String::as_str) == Some("acr") {
        args.remove(0);
    }
    args
}

/// Splits a command line like a POSIX shell (quotes, backslashes, line continuations).
pub fn split(line: &str) -> Vec<String> {
    let joined = line.replace("\\\n", " ");
    shlex::split(&joined).unwrap_or_else(|| panic!("unbalanced quotes in {line:?}"))
}

/// A fresh emulator and an `acr` configured for it.
pub async fn setup() -> (Emu, Acr) {
    let emu = Emu::start().await;
    let acr = Acr::new(&emu);
    (emu, acr)
}

/// Masks the password values of a JSON document (for comparing documents).
pub fn passwords_of(value: &Value) -> Vec<String> {
    let mut found = Vec::new();
    collect_passwords(value, &mut found);
    found
}

fn collect_passwords(value: &Value, found: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                match (k.as_str(), v) {
                    ("value", Value::String(s)) => found.push(s.clone()),
                    _ => collect_passwords(v, found),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| collect_passwords(v, found)),
        _ => {}
    }
}

/// tabulate's `simple` format as az uses it (§4.4): left-aligned columns two spaces apart,
/// each as wide as its widest cell or its header plus two, trailing spaces stripped.
pub fn table(headers: &[&str], rows: &[Vec<String>]) -> String {
    let widths: Vec<usize> = headers
        .iter()
        .enumerate()
        .map(|(i, h)| {
            rows.iter()
                .map(|r| r[i].chars().count())
                .chain([h.chars().count() + 2])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let line = |cells: Vec<String>| {
        let padded: Vec<String> = cells
            .iter()
            .zip(&widths)
            .map(|(c, w)| format!("{c:<w$}"))
            .collect();
        padded.join("  ").trim_end().to_owned() + "\n"
    };
    let mut out = line(headers.iter().map(|h| h.to_string()).collect());
    out += &line(widths.iter().map(|w| "-".repeat(*w)).collect());
    for row in rows {
        out += &line(row.clone());
    }
    out
}

/// A service date-time as az's table prints it (`%Y-%m-%dT%H:%M:%SZ`, wall clock).
pub fn table_date(iso: &str) -> String {
    format!("{}Z", &iso[..19])
}
