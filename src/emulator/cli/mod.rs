//! The `acr-emulator` command line (contract: `start`, `stop`, `env`; and `exec`): clap types, and the
//! process-level work around [`super::start`] — foreground serving until SIGINT/SIGTERM,
//! `--detach` and `stop` (in `process`), and printing `env` (in `shell`); `exec` lives in
//! `super::exec`. It never touches the database directly.

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

mod process;
mod shell;
#[cfg(test)]
mod tests;

use process::{detach, stop};
use shell::print_env;
pub use shell::{env_vars, sh_lines, shell_quote};
