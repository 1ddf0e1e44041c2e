//! The real Azure CLI (2.91.0) set up against one emulator, as `real-clients.md` §4 says: an
//! isolated config dir and `HOME`, a bundle of the system CAs and the emulator's CA in
//! `REQUESTS_CA_BUNDLE` (set unconditionally: machines preset it to the system bundle), the
//! emulator registered as a cloud by endpoint discovery, then a service-principal or
//! managed-identity login. az runs with only that environment (nothing inherited but what is
//! listed here), so a developer's own az configuration or identity variables cannot leak in.
//!
//! [`az_binary`] gives the executable named by `ACR_TEST_AZ`; without it a test prints
//! `skipped: ACR_TEST_AZ not set` and returns, unless `ACR_REQUIRE_AZ=1`, which makes a
//! missing az a failure.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use acr::emulator::EnvInfo;
use serde_json::Value;

const SYSTEM_BUNDLE: &str = "/etc/ssl/certs/ca-certificates.crt";

/// The az executable from `ACR_TEST_AZ`, or `None` after printing why the test is skipped.
pub fn az_binary() -> Option<PathBuf> {
    match std::env::var_os("ACR_TEST_AZ").filter(|v| !v.is_empty()) {
        Some(path) => Some(PathBuf::from(path)),
        None => {
            assert_ne!(
                std::env::var("ACR_REQUIRE_AZ").as_deref(),
                Ok("1"),
                "ACR_REQUIRE_AZ=1 but ACR_TEST_AZ is not set"
            );
            println!("skipped: ACR_TEST_AZ not set");
            None
        }
    }
}

/// How az logs in to the emulator.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Login {
    /// `az login --service-principal` with the emulator's service principal.
    ServicePrincipal,
    /// `az login --identity` through the App Service managed-identity endpoint.
    ManagedIdentity,
}

/// az logged in to one emulator.
pub struct Az {
    bin: PathBuf,
    _work: tempfile::TempDir,
    env: Vec<(String, String)>,
}

/// What one process printed, and its exit code.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// stdout parsed as JSON.
    #[track_caller]
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| {
            panic!("stdout is not JSON ({e}): {}\n{}", self.stdout, self.stderr)
        })
    }
}

impl Az {
    /// az with its own config dir, the emulator registered and selected as a cloud, and
    /// logged in as `login` says.
    pub async fn login(bin: PathBuf, e: &EnvInfo, login: Login) -> Az {
        let work = tempfile::tempdir().unwrap();
        let mut bundle = std::fs::read(SYSTEM_BUNDLE).unwrap_or_default();
        bundle.extend(std::fs::read(&e.ca_certificate).unwrap());
        let bundle_path = work.path().join("bundle.pem");
        std::fs::write(&bundle_path, bundle).unwrap();
        let home = work.path().display().to_string();
        let mut env: Vec<(String, String)> = [
            ("PATH", "/usr/local/bin:/usr/bin:/bin".to_owned()),
            ("HOME", home.clone()),
            ("AZURE_CONFIG_DIR", format!("{home}/azcfg")),
            ("AZURE_CORE_COLLECT_TELEMETRY", "false".to_owned()),
            ("AZURE_CORE_SURVEY_MESSAGE", "false".to_owned()),
            ("AZURE_CORE_NO_COLOR", "true".to_owned()),
            ("AZURE_LOGGING_ENABLE_LOG_FILE", "no".to_owned()),
            ("REQUESTS_CA_BUNDLE", bundle_path.display().to_string()),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect();
        if login == Login::ManagedIdentity {
            env.push(("IDENTITY_ENDPOINT".into(), e.identity_endpoint.clone()));
            env.push(("IDENTITY_HEADER".into(), e.identity_header.clone()));
        }
        let az = Az {
            bin,
            _work: work,
            env,
        };
        az.ok(&[
            "cloud",
            "register",
            "--name",
            "Emulator",
            "--endpoint-resource-manager",
            &e.resource_manager,
        ])
        .await;
        az.ok(&["cloud", "set", "--name", "Emulator", "--only-show-errors"])
            .await;
        match login {
            Login::ManagedIdentity => {
                az.ok(&["login", "--identity", "-o", "none"]).await;
            }
            Login::ServicePrincipal => {
                az.ok(&[
                    "config",
                    "set",
                    "core.instance_discovery=false",
                    "--only-show-errors",
                ])
                .await;
                az.ok(&[
                    "login",
                    "--service-principal",
                    "-u",
                    &e.client_id,
                    // One argument: a secret that starts with `-` would be taken for an option.
                    &format!("--password={}", e.client_secret),
                    "--tenant",
                    &e.tenant_id,
                    "-o",
                    "none",
                ])
                .await;
            }
        }
        az
    }

    /// The environment az runs with (its config dir holds the login).
    pub fn env(&self) -> &[(String, String)] {
        &self.env
    }

    pub fn bin(&self) -> &Path {
        &self.bin
    }

    /// Runs az with `args` (no leading `az`), stdin closed.
    pub async fn run<I, S>(&self, args: I) -> Run
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        let out = tokio::process::Command::new(&self.bin)
            .args(args)
            .env_clear()
            .envs(self.env.iter().map(|(k, v)| (k, v)))
            .stdin(std::process::Stdio::null())
            .output()
            .await
            .unwrap_or_else(|e| panic!("running {}: {e}", self.bin.display()));
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    /// Runs and asserts exit 0.
    pub async fn ok(&self, args: &[&str]) -> Run {
        let r = self.run(args).await;
        assert_eq!(
            r.code,
            0,
            "az {}\nstdout: {}\nstderr: {}",
            shown(args),
            r.stdout,
            r.stderr
        );
        r
    }

    /// Expects exit code `code`, `needle` on stderr and nothing on stdout.
    pub async fn fails(&self, args: &[&str], code: i32, needle: &str) -> Run {
        let r = self.run(args).await;
        assert_eq!(
            r.code,
            code,
            "az {}\nstdout: {}\nstderr: {}",
            shown(args),
            r.stdout,
            r.stderr
        );
        assert!(
            r.stderr.contains(needle),
            "az {}: stderr lacks {needle:?}:\n{}",
            args.join(" "),
            r.stderr
        );
        assert!(r.stdout.is_empty(), "stdout not empty: {}", r.stdout);
        r
    }
}

/// The arguments of a failed az run for its panic message, with a `--password=` value masked.
fn shown(args: &[&str]) -> String {
    let shown: Vec<&str> = args
        .iter()
        .map(|a| match a.starts_with("--password=") {
            true => "--password=***",
            false => a,
        })
        .collect();
    shown.join(" ")
}
