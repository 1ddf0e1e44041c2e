//! Emulator start, stop and restart, its test hooks and its request log. [`Emu`] is an
//! in-process `acr-emulator` on 127.0.0.1:0 in a temporary data dir with the test hooks on,
//! plus an HTTPS client that trusts only its CA; [`EmulatorProcess`] is the real binary in a
//! child process (for `kill -9`). Nothing here mocks HTTP: every call goes over real TLS.
//!
//! Options: [`Emu::builder`] (a data dir, registries, `--faults`, `--fault-seed`);
//! [`EmulatorProcess::spawn_with`] passes any `start` argument to the real binary.
//! [`EmuBuilder::password_propagation`] models Azure's password replication delay.
//! Hooks: [`Emu::hook`] (any `/_emulator/…` call), [`Emu::fault`], [`Emu::clear_faults`],
//! [`Emu::lro`], [`Emu::lro_with`], [`Emu::paging`]. Request log: [`Emu::requests`] (typed [`Logged`] entries),
//! [`Emu::request_log`] (the raw JSON), [`Emu::arm_requests`], [`Emu::sequence`] (the
//! management requests as `METHOD SHORT-PATH STATUS`, see [`Emu::short`]),
//! [`Emu::clear_requests`]. The ARM calls themselves are in `support::arm`.

use std::path::Path;
use std::time::Duration;

use acr::emulator::{EmulatorOptions, EnvInfo, RegistrySpec, RunningEmulator};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use tokio::sync::OnceCell;

use super::wait;

/// A running in-process emulator and an HTTPS client that trusts only its CA.
pub struct Emu {
    /// `None` only after [`Emu::stop`]; held so the servers (and the data-dir lock) live as
    /// long as the test.
    running: Option<RunningEmulator>,
    /// The emulator binary in a child process instead, under `ACR_TEST_BIN_DIR`
    /// (`support::bins`).
    process: Option<EmulatorProcess>,
    pub dir: tempfile::TempDir,
    pub env: EnvInfo,
    pub http: reqwest::Client,
    /// The managed identity's ARM token, fetched at start (see `support::arm`).
    pub(super) mi_token: OnceCell<String>,
    /// The service principal's ARM token (client credentials), fetched on first use.
    pub(super) sp_token: OnceCell<String>,
}

/// One entry of the emulator's request log.
#[derive(Debug, Clone)]
pub struct Logged {
    pub method: String,
    pub path: String,
    pub query: String,
    pub body: Value,
    pub status: u16,
}

/// An HTTPS client that trusts only the CA in `ca_path` (60 s timeout).
pub fn client_for(ca_path: &str) -> reqwest::Client {
    let pem = std::fs::read(ca_path).expect("the emulator's CA");
    let cert = reqwest::Certificate::from_pem(&pem).expect("CA PEM");
    reqwest::Client::builder()
        .tls_certs_only([cert])
        .timeout(Duration::from_secs(60))
        .build()
        .expect("HTTP client")
}

impl Emu {
    /// A fresh emulator with the default `myregistry` in `myresourcegroup`.
    pub async fn start() -> Emu {
        Emu::start_with(vec![]).await
    }

    /// A fresh emulator with `registries` instead of the default one.
    pub async fn start_with(registries: Vec<RegistrySpec>) -> Emu {
        let dir = tempfile::tempdir().expect("temporary data dir");
        Emu::start_in(dir, registries).await
    }

    /// An emulator on an existing data dir (a restart after [`Emu::stop`]); `registries` are
    /// honoured on first start only.
    pub async fn start_in(dir: tempfile::TempDir, registries: Vec<RegistrySpec>) -> Emu {
        Emu::builder().dir(dir).registries(registries).start().await
    }

    /// A fresh emulator whose new token passwords are refused for `delay` (the emulator's
    /// `--password-propagation`).
    pub async fn start_with_propagation(delay: Duration) -> Emu {
        Emu::builder().password_propagation(delay).start().await
    }

    /// A fresh emulator that also serves the unauthenticated VM-style identity endpoint
    /// (`start --imds`), for the tests of the VM managed-identity path.
    pub async fn start_with_imds() -> Emu {
        Emu::builder().imds().start().await
    }

    /// An emulator with options beyond the defaults (`--faults`, `--fault-seed`, a data dir).
    pub fn builder() -> EmuBuilder {
        EmuBuilder::default()
    }
    /// Stops the emulator and returns its data dir (for a restart with [`Emu::start_in`]).
    pub async fn stop(mut self) -> tempfile::TempDir {
        if let Some(running) = self.running.take() {
            running.shutdown().await;
        }
        if let Some(mut process) = self.process.take() {
            // SIGTERM, so that it releases the data dir's lock as a shutdown does.
            super::clients::terminate(&mut process.0, Duration::from_secs(30));
        }
        self.dir
    }

    /// A second handle on the same running emulator (same environment and client): for
    /// helpers that take an [`Emu`] by value, such as a [`super::Reg`] on another registry.
    /// It does not own the servers; stopping or dropping it stops nothing.
    pub fn view(&self) -> Emu {
        Emu {
            running: None,
            process: None,
            dir: tempfile::tempdir().expect("temporary dir"),
            env: self.env.clone(),
            http: self.http.clone(),
            mi_token: self.mi_token.clone(),
            sp_token: self.sp_token.clone(),
        }
    }

    /// The running emulator (its live environment, for registries created since start).
    pub fn running(&self) -> &RunningEmulator {
        self.running.as_ref().expect(
            "the emulator is running in-process (not under ACR_TEST_BIN_DIR, where it is a child process)",
        )
    }

    pub fn sub(&self) -> &str {
        &self.env.subscription_id
    }

    /// The ARM id of registry `name` in `myresourcegroup`.
    pub fn registry_id_of(&self, name: &str) -> String {
        format!(
            "/subscriptions/{}/resourceGroups/myresourcegroup/providers/Microsoft.ContainerRegistry/registries/{name}",
            self.sub()
        )
    }

    /// The ARM id of `myregistry`.
    pub fn reg(&self) -> String {
        self.registry_id_of("myregistry")
    }

    /// The login server (`127.0.0.1:PORT`) of the first registry.
    pub fn login_server(&self) -> &str {
        &self.env.registries[0].login_server
    }

    /// `path_and_query` (which starts with `/`) under the management endpoint; a full
    /// `https://` URL is kept as it is. `url("")` is the endpoint without a trailing slash.
    pub fn url(&self, path_and_query: &str) -> String {
        if path_and_query.starts_with("https://") {
            return path_and_query.to_owned();
        }
        let base = self.env.resource_manager.trim_end_matches('/');
        format!("{base}{path_and_query}")
    }

    /// A test-hook call (`/_emulator/…`) with `body` as JSON; returns the status.
    pub async fn hook(&self, method: &str, path: &str, body: Value) -> StatusCode {
        self.http
            .request(
                Method::from_bytes(method.as_bytes()).expect("an HTTP method"),
                self.url(path),
            )
            .json(&body)
            .send()
            .await
            .expect("test hook")
            .status()
    }

    /// How many 5xx answers the registry ports gave that no fault injected
    /// (`GET /_emulator/registry-errors`).
    pub async fn registry_server_errors(&self) -> u64 {
        let v: Value = self
            .http
            .get(self.url("/_emulator/registry-errors"))
            .send()
            .await
            .expect("registry-errors hook")
            .json()
            .await
            .expect("registry-errors JSON");
        v["serverErrors"].as_u64().expect("serverErrors")
    }

    /// `POST /_emulator/faults`.
    pub async fn fault(&self, spec: Value) {
        assert_eq!(self.hook("POST", "/_emulator/faults", spec).await, 201);
    }

    /// `DELETE /_emulator/faults`: drops the faults not yet consumed.
    pub async fn clear_faults(&self) {
        assert_eq!(
            self.hook("DELETE", "/_emulator/faults", Value::Null).await,
            204
        );
    }

    /// `POST /_emulator/lro`: writes answer asynchronously, in progress `polls` times.
    pub async fn lro(&self, polls: u32) {
        assert_eq!(
            self.hook("POST", "/_emulator/lro", json!({"inProgressPolls": polls}))
                .await,
            204
        );
    }

    /// `POST /_emulator/lro` with the whole spec (`inProgressPolls`, `retryAfter`,
    /// `freshPollUrls`, `locationOnly`).
    pub async fn lro_with(&self, spec: Value) {
        assert_eq!(self.hook("POST", "/_emulator/lro", spec).await, 204);
    }

    /// `POST /_emulator/paging`: LIST answers hold at most `size` items per page.
    pub async fn paging(&self, size: usize) {
        assert_eq!(
            self.hook("POST", "/_emulator/paging", json!({"pageSize": size}))
                .await,
            204
        );
    }

    /// The request log as the emulator serves it (a JSON array), since the last
    /// [`Emu::clear_requests`], identity requests included.
    pub async fn request_log(&self) -> Vec<Value> {
        let log: Value = self
            .http
            .get(self.url("/_emulator/requests"))
            .send()
            .await
            .expect("request log")
            .json()
            .await
            .expect("request log JSON");
        log.as_array().expect("a list").clone()
    }

    /// Every request since the last [`Emu::clear_requests`] (identity requests included).
    pub async fn requests(&self) -> Vec<Logged> {
        self.request_log()
            .await
            .iter()
            .map(|r| Logged {
                method: r["method"].as_str().unwrap_or_default().to_owned(),
                path: r["path"].as_str().unwrap_or_default().to_owned(),
                query: r["query"].as_str().unwrap_or_default().to_owned(),
                body: r["body"].clone(),
                status: r["status"].as_u64().unwrap_or_default() as u16,
            })
            .collect()
    }

    /// `DELETE /_emulator/requests`.
    pub async fn clear_requests(&self) {
        assert_eq!(
            self.hook("DELETE", "/_emulator/requests", Value::Null)
                .await,
            204
        );
    }

    /// The management requests (identity requests left out).
    pub async fn arm_requests(&self) -> Vec<Logged> {
        self.requests()
            .await
            .into_iter()
            .filter(|r| r.path.starts_with("/subscriptions"))
            .collect()
    }

    /// The management requests as `METHOD SHORT-PATH STATUS`, where the registry path is
    /// `REG`, the resources listing `RES` and an operation status URL `OP`.
    pub async fn sequence(&self) -> Vec<String> {
        self.arm_requests()
            .await
            .iter()
            .map(|r| format!("{} {} {}", r.method, self.short(&r.path), r.status))
            .collect()
    }

    /// `REG…`, `RES`, `OP`, `LOCATION` or the path itself.
    pub fn short(&self, path: &str) -> String {
        let sub = format!("/subscriptions/{}", self.sub());
        if path == format!("{sub}/resources") {
            return "RES".into();
        }
        if path.contains("/operationStatuses/") {
            return "OP".into();
        }
        if path.contains("/operationResults/") {
            return "LOCATION".into();
        }
        let prefix = format!("{sub}/resourceGroups/");
        if let Some(rest) = path.strip_prefix(&prefix) {
            // `{group}/providers/Microsoft.ContainerRegistry/registries/{name}{child}`
            let marker = "/providers/Microsoft.ContainerRegistry/registries/";
            if let Some((group, tail)) = rest.split_once(marker) {
                let (name, child) = match tail.find('/') {
                    Some(i) => tail.split_at(i),
                    None => (tail, ""),
                };
                if group == "myresourcegroup" && name == "myregistry" {
                    return format!("REG{child}");
                }
                return format!("{group}/{name}{child}");
            }
        }
        path.to_owned()
    }
}

/// The in-process equivalent of `acr-emulator start`'s options (see [`Emu::builder`]).
#[derive(Default)]
pub struct EmuBuilder {
    dir: Option<tempfile::TempDir>,
    registries: Vec<RegistrySpec>,
    faults: Option<String>,
    fault_seed: Option<u64>,
    imds: bool,
    password_propagation: Duration,
}

impl EmuBuilder {
    /// An existing data dir (a restart); default a fresh temporary one.
    pub fn dir(mut self, dir: tempfile::TempDir) -> Self {
        self.dir = Some(dir);
        self
    }

    /// `--registry` (first start only).
    pub fn registries(mut self, registries: Vec<RegistrySpec>) -> Self {
        self.registries = registries;
        self
    }

    /// `--faults SPEC` (panics on a SPEC the command line would reject).
    pub fn faults(mut self, spec: &str) -> Self {
        self.faults = Some(spec.to_owned());
        self
    }

    /// `--fault-seed N`.
    pub fn fault_seed(mut self, seed: u64) -> Self {
        self.fault_seed = Some(seed);
        self
    }

    /// `--password-propagation`: new token passwords refused by the data plane for `delay`.
    pub fn password_propagation(mut self, delay: Duration) -> Self {
        self.password_propagation = delay;
        self
    }

    /// `--imds`: the unauthenticated VM-style identity endpoint on.
    pub fn imds(mut self) -> Self {
        self.imds = true;
        self
    }

    /// Starts it, fetches the managed identity's token and clears the request log.
    pub async fn start(self) -> Emu {
        let emu = self.start_raw().await;
        // The managed identity's token up front (the emulator tests' requests then carry no
        // identity request in between), and a clean log (the CLI tests assert on all of it).
        emu.token().await;
        emu.clear_requests().await;
        emu
    }

    /// Starts it and nothing else (for identity faults, where fetching a token would fail).
    pub async fn start_raw(mut self) -> Emu {
        let dir = match self.dir.take() {
            Some(d) => d,
            None => tempfile::tempdir().expect("temporary data dir"),
        };
        if super::bins::override_dir().is_some() {
            return self.start_binary(dir).await;
        }
        let faults = match &self.faults {
            Some(s) => s.parse().unwrap_or_else(|e| panic!("--faults {s}: {e}")),
            None => Default::default(),
        };
        let running = acr::emulator::start(EmulatorOptions {
            data_dir: dir.path().to_path_buf(),
            port: 0,
            registries: self.registries,
            test_hooks: true,
            faults,
            fault_seed: self.fault_seed,
            imds: self.imds,
            password_propagation: self.password_propagation,
        })
        .await
        .expect("the emulator starts");
        let env = running.env().clone();
        let http = client_for(&env.ca_certificate);
        Emu {
            running: Some(running),
            process: None,
            dir,
            env,
            http,
            mi_token: OnceCell::new(),
            sp_token: OnceCell::new(),
        }
    }
}

impl EmuBuilder {
    /// The same options as `acr-emulator start` arguments to `$ACR_TEST_BIN_DIR/acr-emulator`
    /// in a child process (`support::bins`).
    async fn start_binary(self, dir: tempfile::TempDir) -> Emu {
        let mut args = vec!["--test-hooks".to_owned()];
        for r in &self.registries {
            args.push("--registry".into());
            args.push(format!("{}:{:?}", r.name, r.sku));
        }
        if let Some(f) = &self.faults {
            args.extend(["--faults".into(), f.clone()]);
        }
        if let Some(seed) = self.fault_seed {
            args.extend(["--fault-seed".into(), seed.to_string()]);
        }
        if !self.password_propagation.is_zero() {
            let ms = self.password_propagation.as_millis();
            args.extend(["--password-propagation".into(), format!("{ms}ms")]);
        }
        if self.imds {
            args.push("--imds".into());
        }
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let (process, state) = EmulatorProcess::spawn_with(dir.path(), &args, None).await;
        let env: EnvInfo = serde_json::from_value(state).expect("state.json is an env document");
        let http = client_for(&env.ca_certificate);
        Emu {
            running: None,
            process: Some(process),
            dir,
            env,
            http,
            mi_token: OnceCell::new(),
            sp_token: OnceCell::new(),
        }
    }
}

/// The ARM request bodies sent to `short` (see [`Emu::short`]) with `method`.
pub fn bodies(emu: &Emu, log: &[Logged], method: &str, short: &str) -> Vec<Value> {
    log.iter()
        .filter(|r| r.method == method && emu.short(&r.path) == short)
        .map(|r| r.body.clone())
        .collect()
}

/// A real `acr-emulator start --port 0` in a child process (output to `child.log` in the data
/// dir), killed with SIGKILL when dropped.
pub struct EmulatorProcess(pub std::process::Child);

impl EmulatorProcess {
    /// Spawns the binary on `dir` and waits (up to 60 s) for the `state.json` its pid wrote;
    /// returns the process and that state (the environment, camelCase).
    pub async fn spawn(dir: &Path) -> (EmulatorProcess, Value) {
        EmulatorProcess::spawn_with(dir, &[], None).await
    }

    /// Like [`EmulatorProcess::spawn`], with more `start` arguments (`--faults …`,
    /// `--test-hooks`) and, when `nofile` is given, `RLIMIT_NOFILE` lowered to it in the child
    /// (as `ulimit -n` would). The log is appended to, so a restart keeps the first run's.
    pub async fn spawn_with(
        dir: &Path,
        args: &[&str],
        nofile: Option<u64>,
    ) -> (EmulatorProcess, Value) {
        use std::os::unix::fs::OpenOptionsExt;
        // 0600 like the emulator's own files: the data dir's mode tests see this one too.
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .mode(0o600)
            .open(dir.join("child.log"))
            .expect("child.log");
        let mut cmd = std::process::Command::new(super::bins::emulator());
        cmd.args(["start", "--port", "0", "--data-dir"])
            .arg(dir)
            .args(args)
            .stdout(log.try_clone().expect("child.log"))
            .stderr(log);
        if let Some(limit) = nofile {
            use std::os::unix::process::CommandExt;
            let rlimit = libc::rlimit {
                rlim_cur: limit,
                rlim_max: limit,
            };
            // SAFETY: between fork and exec only setrlimit runs, which is async-signal-safe
            // and touches no memory of the parent.
            unsafe {
                cmd.pre_exec(move || {
                    if libc::setrlimit(libc::RLIMIT_NOFILE, &rlimit) == 0 {
                        Ok(())
                    } else {
                        Err(std::io::Error::last_os_error())
                    }
                });
            }
        }
        let child = cmd.spawn().expect("acr-emulator starts");
        let child = EmulatorProcess(child);
        let pid = child.0.id() as u64;
        let state = wait::until(
            "the emulator did not start",
            Duration::from_secs(60),
            || {
                let state = std::fs::read(dir.join("state.json"))
                    .ok()
                    .and_then(|b| serde_json::from_slice::<Value>(&b).ok())
                    .filter(|s| s["pid"] == pid);
                std::future::ready(state)
            },
        )
        .await;
        (child, state)
    }

    /// `kill -9`, then reaps the process.
    pub fn kill_9(&mut self) {
        self.0.kill().expect("SIGKILL"); // SIGKILL on Unix
        self.0.wait().expect("the killed emulator");
    }
}

impl Drop for EmulatorProcess {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}
