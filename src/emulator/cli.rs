//! The `acr-emulator` command line (contract: `start`, `stop`, `env`; and `exec`): clap types, and the
//! process-level work around [`super::start`] — foreground serving until SIGINT/SIGTERM,
//! `--detach` (re-executing itself in a new process group with output to `emulator.log`,
//! returning once every listener answers), `stop` (signal the pid, wait for the data-dir lock
//! to be released), and printing `env`; `exec` lives in `super::exec`. It never touches the
//! database directly.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use clap::{Parser, Subcommand, ValueEnum};

use super::{
    EmulatorOptions, EnvInfo, LOG_FILE, PID_FILE, RegistrySpec, files::DataDirLock, read_env,
};

/// The main port of `start` when `--port` is not given.
const DEFAULT_PORT: u16 = 8443;

#[derive(Parser, Debug)]
#[command(
    name = "acr-emulator",
    version,
    about = "The offline Azure that ships with acr: ARM for ACR tokens and scope maps, identity, and registry endpoints on 127.0.0.1"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Start the emulator (foreground unless --detach).
    Start(StartArgs),
    /// Stop the emulator running on a data dir and wait for it to exit.
    Stop(DirArgs),
    /// Print what clients need to use the emulator.
    Env(EnvArgs),
    /// Run CMD against a throw-away emulator, then stop it and remove its data.
    ///
    /// The emulator starts on a fresh temporary data dir (or --data-dir, which is kept) and a
    /// free port; CMD runs with the variables `acr-emulator env` prints (and ACR_CONFIG_DIR in
    /// the temporary dir, unless already set); SIGINT, SIGTERM and SIGHUP go to CMD. The exit
    /// code is CMD's (128+N when signal N ended it); 125 when the emulator did not start, 126
    /// when CMD cannot run, 127 when it is not found.
    ///
    /// Example: acr-emulator exec -- sh -c 'acr token create -n ci -r myregistry --repository app content/read'
    Exec(super::exec::ExecArgs),
}

#[derive(clap::Args, Debug)]
pub struct DirArgs {
    /// Data directory (default: the platform data dir + /acr-emulator).
    #[arg(long, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
}

impl DirArgs {
    fn dir(&self) -> PathBuf {
        let d = self
            .data_dir
            .clone()
            .unwrap_or_else(EmulatorOptions::default_data_dir);
        std::path::absolute(&d).unwrap_or(d)
    }
}

#[derive(clap::Args, Debug)]
pub struct StartArgs {
    #[command(flatten)]
    pub dir: DirArgs,
    /// HTTPS port for management, identity and metadata on 127.0.0.1 (0 = any free port;
    /// default 8443 for start, any free port for exec).
    #[arg(long)]
    pub port: Option<u16>,
    /// Registry to create on first start, NAME[:SKU] (SKU Basic, Standard or Premium; default Premium). Repeatable.
    #[arg(long = "registry", value_name = "NAME[:SKU]")]
    pub registries: Vec<RegistrySpec>,
    /// Run in the background; return once every listener answers.
    #[arg(long)]
    pub detach: bool,
    /// Serve the VM-style managed-identity endpoint (/metadata/identity/oauth2/token). Like a
    /// VM's metadata service it asks for no secret, so every local user and process gets owner
    /// tokens from it: use it only on a machine you do not share.
    #[arg(long)]
    pub imds: bool,
    /// Model Azure's replication delay: a newly generated token password is refused by the
    /// data plane (as a wrong password) for this long, e.g. 5s or 1m (default 0s: at once).
    #[arg(long, value_name = "DURATION", default_value = "0s", value_parser = crate::duration::parse)]
    pub password_propagation: Duration,
    /// Serve the /_emulator/ test hooks (request log, faults, LRO mode, paging).
    #[arg(long, hide = true)]
    pub test_hooks: bool,
    /// Misbehave like Azure: comma-separated PLANE:KIND=VALUE, PLANE arm, identity or registry;
    /// KIND 429, 503, 500 or reset with a probability in [0, 1], latency with a duration (150ms)
    /// added to every response, or (arm only) ratelimit with requests per second per
    /// subscription. Example: 'arm:429=0.2,arm:503=0.1,arm:reset=0.05,arm:latency=100ms'.
    #[arg(long, value_name = "SPEC", value_parser = parse_faults)]
    pub faults: Option<Box<super::faults::FaultSpec>>,
    /// Seed of the fault sequence: the same seed gives the same faults for the same requests
    /// (default: random, printed at start).
    #[arg(long, value_name = "N")]
    pub fault_seed: Option<u64>,
    /// Leave the console's sign-in link out of the start-up lines: the child of `--detach`
    /// writes them to emulator.log, and the link (a secret) belongs only on the parent's stdout.
    #[arg(long, hide = true)]
    pub no_signin_link: bool,
}

/// A bad SPEC is a usage error (exit 2) naming the item and what it should be.
fn parse_faults(s: &str) -> std::result::Result<Box<super::faults::FaultSpec>, String> {
    s.parse().map(Box::new)
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum Format {
    Sh,
    Json,
}

#[derive(clap::Args, Debug)]
pub struct EnvArgs {
    #[command(flatten)]
    pub dir: DirArgs,
    #[arg(long, value_enum, default_value = "sh")]
    pub format: Format,
}

/// Entry point of the binary.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Start(a) if a.detach => detach(&a),
        Command::Start(a) => foreground(a),
        Command::Stop(a) => stop(&a.dir()),
        Command::Env(a) => print_env(&a.dir.dir(), a.format),
        Command::Exec(a) => return super::exec::run(a),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("acr-emulator: error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

pub(crate) fn runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")
}

fn describe(env: &EnvInfo, signin_link: bool) -> String {
    let mut s = format!(
        "acr-emulator listening on {} (pid {})\n",
        env.resource_manager, env.pid
    );
    for r in &env.registries {
        s.push_str(&format!(
            "  registry {} ({}) at {}\n",
            r.name, r.sku, r.login_server
        ));
    }
    s.push_str(&format!("  CA certificate: {}\n", env.ca_certificate));
    if signin_link {
        s.push_str(&format!(
            "  console (one-time sign-in link): {}\n",
            env.console_url
        ));
    }
    s.push_str("  eval \"$(acr-emulator env");
    s
}

impl StartArgs {
    /// What the emulator is started with (`exec` shares these options with `start`).
    pub(crate) fn options(&self, data_dir: PathBuf, default_port: u16) -> EmulatorOptions {
        EmulatorOptions {
            data_dir,
            port: self.port.unwrap_or(default_port),
            registries: self.registries.clone(),
            test_hooks: self.test_hooks,
            imds: self.imds,
            faults: self.faults.as_deref().cloned().unwrap_or_default(),
            fault_seed: self.fault_seed,
            password_propagation: self.password_propagation,
        }
    }
}

fn foreground(a: StartArgs) -> Result<()> {
    let dir = a.dir.dir();
    let rt = runtime()?;
    rt.block_on(async move {
        let emu = super::start(a.options(dir.clone(), DEFAULT_PORT)).await?;
        let mut hint = describe(emu.env(), !a.no_signin_link);
        hint.push_str(&format!(" --data-dir '{}')\" to use it", dir.display()));
        eprintln!("{hint}");
        wait_for_signal().await;
        eprintln!("acr-emulator: shutting down");
        emu.shutdown().await;
        Ok(())
    })
}

async fn wait_for_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let mut term = match signal(SignalKind::terminate()) {
            Ok(s) => s,
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
                return;
            }
        };
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

fn detach(a: &StartArgs) -> Result<()> {
    let dir = a.dir.dir();
    super::files::private_dir(&dir)?;
    if DataDirLock::is_held(&dir) {
        bail!(
            "an acr-emulator is already running on data dir {} (stop it with `acr-emulator stop --data-dir {}`)",
            dir.display(),
            dir.display()
        );
    }
    let exe = std::env::current_exe().context("locating the acr-emulator executable")?;
    let log_path = dir.join(LOG_FILE);
    let mut log = std::fs::OpenOptions::new();
    log.create(true).append(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut log, 0o600);
    let log = log.open(&log_path)?;
    let mut cmd = std::process::Command::new(exe);
    cmd.arg("start")
        .arg("--data-dir")
        .arg(&dir)
        .arg("--port")
        .arg(a.port.unwrap_or(DEFAULT_PORT).to_string());
    for r in &a.registries {
        cmd.arg("--registry").arg(format!("{}:{}", r.name, r.sku));
    }
    if a.test_hooks {
        cmd.arg("--test-hooks");
    }
    if a.imds {
        cmd.arg("--imds");
    }
    if let Some(f) = &a.faults {
        cmd.arg("--faults").arg(f.to_string());
    }
    if let Some(seed) = a.fault_seed {
        cmd.arg("--fault-seed").arg(seed.to_string());
    }
    if !a.password_propagation.is_zero() {
        cmd.arg("--password-propagation")
            .arg(format!("{}ms", a.password_propagation.as_millis()));
    }
    cmd.arg("--no-signin-link");
    cmd.stdin(std::process::Stdio::null())
        .stdout(log.try_clone()?)
        .stderr(log);
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        cmd.process_group(0);
    }
    let mut child = cmd.spawn().context("starting the background emulator")?;
    let pid = child.id();
    let deadline = deadline_in(Duration::from_secs(60));
    loop {
        if let Some(status) = child.try_wait()? {
            let tail = std::fs::read_to_string(&log_path).unwrap_or_default();
            let tail: Vec<&str> = tail.lines().rev().take(5).collect();
            bail!(
                "the background emulator exited ({status}); last lines of {}:\n{}",
                log_path.display(),
                tail.into_iter().rev().collect::<Vec<_>>().join("\n")
            );
        }
        if let Ok(env) = read_env(&dir)
            && env.pid == pid
            && answers(&env)
        {
            let mut hint = describe(&env, true);
            hint.push_str(&format!(" --data-dir '{}')\" to use it", dir.display()));
            println!("{hint}");
            println!("  log: {}", log_path.display());
            return Ok(());
        }
        if Instant::now() > deadline {
            bail!(
                "the background emulator did not answer within 60 s; see {}",
                log_path.display()
            );
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// True when the main port and every registry port answer over HTTPS.
fn answers(env: &EnvInfo) -> bool {
    let Ok(rt) = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    else {
        return false;
    };
    rt.block_on(async {
        let Ok(ca) = std::fs::read(&env.ca_certificate) else {
            return false;
        };
        let Ok(cert) = reqwest::Certificate::from_pem(&ca) else {
            return false;
        };
        let Ok(client) = reqwest::Client::builder()
            .tls_certs_only([cert])
            .timeout(Duration::from_secs(2))
            .build()
        else {
            return false;
        };
        let mut urls = vec![format!(
            "{}metadata/endpoints?api-version=2022-09-01",
            env.resource_manager
        )];
        urls.extend(
            env.registries
                .iter()
                .map(|r| format!("https://{}/v2/", r.login_server)),
        );
        for u in urls {
            if client.get(&u).send().await.is_err() {
                return false;
            }
        }
        true
    })
}

fn stop(dir: &Path) -> Result<()> {
    if !DataDirLock::is_held(dir) {
        eprintln!(
            "acr-emulator: no emulator is running on data dir {}",
            dir.display()
        );
        return Ok(());
    }
    let text = std::fs::read_to_string(dir.join(PID_FILE))
        .with_context(|| format!("reading {}", dir.join(PID_FILE).display()))?;
    let pid = checked_pid(&text, lock_holder(dir))?;
    signal(pid, SIGTERM)?;
    if wait_unlocked(dir, Duration::from_secs(15)) {
        eprintln!("acr-emulator: stopped (pid {pid})");
        return Ok(());
    }
    signal(pid, SIGKILL)?;
    if wait_unlocked(dir, Duration::from_secs(5)) {
        eprintln!("acr-emulator: killed (pid {pid}) after it ignored SIGTERM");
        return Ok(());
    }
    bail!("the emulator (pid {pid}) did not exit")
}

/// The pid to signal: the pid file's, only if it is a real process (> 1: 0 and -1 would
/// signal the caller's process group or every process the user may signal) and the one that
/// holds the data dir's lock; anything else is refused and nothing is signalled (finding 8).
fn checked_pid(pid_file: &str, holder: Option<i32>) -> Result<i32> {
    let pid: i32 = pid_file
        .trim()
        .parse()
        .context("the pid file is corrupt; nothing was signalled")?;
    if pid <= 1 {
        bail!("the pid file names pid {pid}, which cannot be an emulator; nothing was signalled");
    }
    match holder {
        Some(h) if h == pid => Ok(pid),
        Some(h) => bail!(
            "the pid file names pid {pid}, but the data dir is locked by pid {h}; nothing was signalled"
        ),
        None => bail!(
            "the pid file names pid {pid}, which does not hold the data dir's lock; nothing was signalled"
        ),
    }
}

#[cfg(unix)]
fn lock_holder(dir: &Path) -> Option<i32> {
    DataDirLock::holder(dir)
}

#[cfg(not(unix))]
fn lock_holder(_dir: &Path) -> Option<i32> {
    None
}

#[cfg(unix)]
const SIGTERM: i32 = libc::SIGTERM;
#[cfg(unix)]
const SIGKILL: i32 = libc::SIGKILL;
#[cfg(not(unix))]
const SIGTERM: i32 = 15;
#[cfg(not(unix))]
const SIGKILL: i32 = 9;

#[cfg(not(unix))]
fn signal(pid: i32, _sig: i32) -> Result<()> {
    bail!(
        "stopping the emulator (pid {pid}) is only supported on Unix; end the process with your system's tools"
    )
}

#[cfg(unix)]
fn signal(pid: i32, sig: i32) -> Result<()> {
    // SAFETY: kill(2) has no memory-safety preconditions; the pid comes from our pid file.
    let rc = unsafe { libc::kill(pid, sig) };
    if rc != 0 {
        let err = std::io::Error::last_os_error();
        if err.raw_os_error() != Some(libc::ESRCH) {
            return Err(err).with_context(|| format!("signalling pid {pid}"));
        }
    }
    Ok(())
}

fn wait_unlocked(dir: &Path, timeout: Duration) -> bool {
    let deadline = deadline_in(timeout);
    while Instant::now() < deadline {
        if !DataDirLock::is_held(dir) {
            return true;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    false
}

/// Now plus `d`, or now when that does not fit (only constants are passed).
fn deadline_in(d: Duration) -> Instant {
    let now = Instant::now();
    now.checked_add(d).unwrap_or(now)
}

/// Quotes a value for POSIX shells.
pub fn shell_quote(s: &str) -> String {
    if !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "/-_.:,=@%+".contains(c))
    {
        return s.to_string();
    }
    format!("'{}'", s.replace('\'', "'\\''"))
}

/// The variables of `env --format sh` (and of the command `exec` runs), in that order.
pub fn env_vars(env: &EnvInfo) -> [(&'static str, &str); 10] {
    [
        ("AZURE_TENANT_ID", env.tenant_id.as_str()),
        ("AZURE_CLIENT_ID", env.client_id.as_str()),
        ("AZURE_CLIENT_SECRET", env.client_secret.as_str()),
        ("AZURE_AUTHORITY_HOST", env.authority.as_str()),
        ("AZURE_SUBSCRIPTION_ID", env.subscription_id.as_str()),
        ("ACR_RESOURCE_MANAGER", env.resource_manager.as_str()),
        ("ACR_CA_BUNDLE", env.ca_certificate.as_str()),
        (
            "ACR_LOGIN_SERVER_SUFFIX",
            env.acr_login_server_suffix.as_str(),
        ),
        ("ACR_CLOUD_NAME", super::CLOUD_NAME),
        ("ACR_EMULATOR_CONSOLE_URL", env.console_url.as_str()),
    ]
}

/// The `export NAME=value` lines of `env --format sh`.
pub fn sh_lines(env: &EnvInfo) -> String {
    env_vars(env)
        .iter()
        .map(|(k, v)| format!("export {k}={}\n", shell_quote(v)))
        .collect()
}

fn print_env(dir: &Path, format: Format) -> Result<()> {
    let env = read_env(dir)?;
    if !DataDirLock::is_held(dir) {
        eprintln!(
            "acr-emulator: warning: no emulator is running on {}; these values are from its last run",
            dir.display()
        );
    }
    let out = match format {
        Format::Json => format!("{}\n", serde_json::to_string_pretty(&env)?),
        Format::Sh => sh_lines(&env),
    };
    std::io::stdout().write_all(out.as_bytes())?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting() {
        assert_eq!(shell_quote("abc-1.2"), "abc-1.2");
        assert_eq!(
            shell_quote("https://127.0.0.1:8443/"),
            "https://127.0.0.1:8443/"
        );
        assert_eq!(shell_quote("a b"), "'a b'");
        assert_eq!(shell_quote("it's"), "'it'\\''s'");
        assert_eq!(shell_quote(""), "''");
    }

    /// Finding 8: only a pid > 1 that holds the data dir's lock is signalled.
    #[test]
    fn stop_signals_only_the_lock_holder() {
        assert_eq!(checked_pid("4242\n", Some(4242)).unwrap(), 4242);
        for (text, holder) in [
            ("0", Some(0)),
            ("-1", Some(-1)),
            ("1", Some(1)),
            ("0", Some(4242)),
            ("-1", None),
            ("4242", Some(4243)),
            ("4242", None),
            ("", Some(4242)),
            ("42x", Some(42)),
        ] {
            let e = checked_pid(text, holder).unwrap_err().to_string();
            assert!(e.contains("nothing was signalled"), "{text}: {e}");
        }
    }

    #[test]
    fn parses_the_contract_command_line() {
        let c = Cli::try_parse_from([
            "acr-emulator",
            "start",
            "--port",
            "0",
            "--registry",
            "other:Basic",
            "--registry",
            "third",
            "--detach",
        ])
        .unwrap();
        let Command::Start(a) = c.command else {
            panic!()
        };
        assert_eq!(a.port, Some(0));
        assert_eq!(a.registries.len(), 2);
        assert!(a.detach && !a.test_hooks && !a.imds);
        assert!(a.password_propagation.is_zero());
        let c =
            Cli::try_parse_from(["acr-emulator", "start", "--password-propagation", "5s"]).unwrap();
        let Command::Start(a) = c.command else {
            panic!()
        };
        assert_eq!(a.password_propagation, Duration::from_secs(5));
        assert!(
            Cli::try_parse_from(["acr-emulator", "start", "--password-propagation", "5"]).is_err()
        );
        assert!(Cli::try_parse_from(["acr-emulator", "env", "--format", "json"]).is_ok());
        assert!(Cli::try_parse_from(["acr-emulator", "env", "--format", "xml"]).is_err());
        assert!(Cli::try_parse_from(["acr-emulator", "stop", "--data-dir", "/tmp/x"]).is_ok());
    }
}
