//! The test fixture of the CLI tests: an in-process `acr-emulator` on 127.0.0.1:0 in a
//! temporary data dir (test hooks on), and `acr` run in-process on a shell-quoted command line
//! with captured streams, its own configuration directory and an environment that points at the
//! emulator (service principal, CA bundle, cloud). Nothing here mocks HTTP: every request goes
//! over real HTTPS to the emulator, whose request log and fault hooks the tests read and set.

use std::time::Duration;

use acr::config::Env;
use acr::emulator::{EmulatorOptions, EnvInfo, RegistrySpec, RunningEmulator};
use acr::io::Io;
use reqwest::Method;
use serde_json::{Value, json};

/// A running emulator and an HTTPS client that trusts only its CA.
pub struct Emu {
    /// Held so the emulator (and its data-dir lock) lives as long as the test.
    _running: RunningEmulator,
    _dir: tempfile::TempDir,
    pub env: EnvInfo,
    http: reqwest::Client,
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

impl Emu {
    pub async fn start() -> Emu {
        Emu::start_with(vec![]).await
    }

    pub async fn start_with(registries: Vec<RegistrySpec>) -> Emu {
        let dir = tempfile::tempdir().expect("temporary data dir");
        let running = acr::emulator::start(EmulatorOptions {
            data_dir: dir.path().to_path_buf(),
            port: 0,
            registries,
            test_hooks: true,
        })
        .await
        .expect("the emulator starts");
        let env = running.env().clone();
        let pem = std::fs::read(&env.ca_certificate).expect("the emulator's CA");
        let http = reqwest::Client::builder()
            .tls_certs_only([reqwest::Certificate::from_pem(&pem).expect("CA PEM")])
            .timeout(Duration::from_secs(60))
            .build()
            .expect("HTTP client");
        Emu {
            _running: running,
            _dir: dir,
            env,
            http,
        }
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

    pub fn login_server(&self) -> &str {
        &self.env.registries[0].login_server
    }

    fn url(&self, path: &str) -> String {
        if path.starts_with("https://") {
            return path.to_owned();
        }
        format!(
            "{}/{}",
            self.env.resource_manager.trim_end_matches('/'),
            path.trim_start_matches('/')
        )
    }

    async fn hook(&self, method: Method, path: &str, body: Option<Value>) -> u16 {
        let mut request = self.http.request(method, self.url(path));
        if let Some(body) = body {
            request = request.json(&body);
        }
        request.send().await.expect("test hook").status().as_u16()
    }

    /// Every request since the last [`Emu::clear_requests`] (identity requests included).
    pub async fn requests(&self) -> Vec<Logged> {
        let log: Value = self
            .http
            .get(self.url("/_emulator/requests"))
            .send()
            .await
            .expect("request log")
            .json()
            .await
            .expect("request log JSON");
        log.as_array()
            .expect("a list")
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

    pub async fn clear_requests(&self) {
        assert_eq!(
            self.hook(Method::DELETE, "/_emulator/requests", None).await,
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

    /// `REG…`, `RES`, `OP` or the path itself.
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

    /// `POST /_emulator/faults`.
    pub async fn fault(&self, spec: Value) {
        assert_eq!(
            self.hook(Method::POST, "/_emulator/faults", Some(spec))
                .await,
            201
        );
    }

    /// `DELETE /_emulator/faults`: drops the faults not yet consumed.
    pub async fn clear_faults(&self) {
        assert_eq!(
            self.hook(Method::DELETE, "/_emulator/faults", None).await,
            204
        );
    }

    /// `POST /_emulator/lro`: writes answer asynchronously, in progress `polls` times.
    pub async fn lro(&self, polls: u32) {
        assert_eq!(
            self.hook(
                Method::POST,
                "/_emulator/lro",
                Some(json!({"inProgressPolls": polls}))
            )
            .await,
            204
        );
    }

    /// `POST /_emulator/paging`: LIST answers hold at most `size` items per page.
    pub async fn paging(&self, size: usize) {
        assert_eq!(
            self.hook(
                Method::POST,
                "/_emulator/paging",
                Some(json!({"pageSize": size}))
            )
            .await,
            204
        );
    }

    /// An ARM token for the emulator's service principal (client credentials).
    pub async fn arm_token(&self) -> String {
        let url = format!(
            "{}/{}/oauth2/v2.0/token",
            self.env.authority.trim_end_matches('/'),
            self.env.tenant_id
        );
        let response: Value = self
            .http
            .post(url)
            .form(&[
                ("grant_type", "client_credentials"),
                ("client_id", self.env.client_id.as_str()),
                ("client_secret", self.env.client_secret.as_str()),
                ("scope", "https://management.core.windows.net//.default"),
            ])
            .send()
            .await
            .expect("token request")
            .json()
            .await
            .expect("token JSON");
        response["access_token"]
            .as_str()
            .unwrap_or_else(|| panic!("no access token: {response}"))
            .to_owned()
    }

    /// A direct management call for test setup (`api-version=2025-04-01` unless the path
    /// carries a query). Returns the status and the JSON body (null when empty).
    pub async fn arm(&self, method: &str, path: &str, body: Option<Value>) -> (u16, Value) {
        let mut url = self.url(path);
        if !url.contains('?') {
            url.push_str("?api-version=2025-04-01");
        }
        let token = self.arm_token().await;
        let mut request = self
            .http
            .request(Method::from_bytes(method.as_bytes()).unwrap(), url)
            .bearer_auth(token);
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.expect("management request");
        let status = response.status().as_u16();
        let text = response.text().await.unwrap_or_default();
        let body = serde_json::from_str(&text).unwrap_or(if text.is_empty() {
            Value::Null
        } else {
            Value::String(text)
        });
        (status, body)
    }
}

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

    /// Runs with `stdin` as standard input, which counts as a terminal when `tty` is set.
    pub async fn run_with(&self, line: &str, stdin: &str, tty: bool) -> Out {
        let mut args = split(line);
        if args.first().map(String::as_str) == Some("acr") {
            args.remove(0);
        }
        self.run_args(args, stdin, tty).await
    }

    pub async fn run_args(&self, args: Vec<String>, stdin: &str, tty: bool) -> Out {
        let (mut io, captured) = Io::captured(stdin);
        io.stdin_is_tty = tty;
        let code = acr::commands::run(args, io, self.env()).await;
        Out {
            code,
            stdout: captured.stdout(),
            stderr: captured.stderr(),
        }
    }
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

/// The ARM request bodies sent to `short` (see [`Emu::short`]) with `method`.
pub fn bodies(emu: &Emu, log: &[Logged], method: &str, short: &str) -> Vec<Value> {
    log.iter()
        .filter(|r| r.method == method && emu.short(&r.path) == short)
        .map(|r| r.body.clone())
        .collect()
}
