//! The real Azure CLI (2.91.0) against the emulator, set up as `real-clients.md` §4 says:
//! isolated config dir, a combined CA bundle in `REQUESTS_CA_BUNDLE`, `az cloud register`
//! with endpoint discovery, managed-identity or service-principal login. Every `az acr token`,
//! `az acr token credential` and `az acr scope-map` verb runs, and structure and exit codes are
//! checked against what Azure gives (az-acr-behaviour.md §14, real-clients.md §4.9).
//!
//! Runs when `ACR_TEST_AZ` names an `az` executable; otherwise it is skipped, unless
//! `ACR_REQUIRE_AZ=1`, which makes a missing az a failure.

use std::path::PathBuf;

use serde_json::Value;

use super::support::Emu;

mod lro;
mod scope_maps;
mod tokens;

pub fn az_binary() -> Option<PathBuf> {
    match std::env::var_os("ACR_TEST_AZ") {
        Some(p) if !p.is_empty() => Some(PathBuf::from(p)),
        _ => {
            assert!(
                std::env::var("ACR_REQUIRE_AZ").as_deref() != Ok("1"),
                "ACR_REQUIRE_AZ=1 but ACR_TEST_AZ is not set"
            );
            println!("skipped: ACR_TEST_AZ not set");
            None
        }
    }
}

pub struct Az {
    bin: PathBuf,
    _work: tempfile::TempDir,
    envs: Vec<(String, String)>,
}

pub struct Run {
    pub rc: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| {
            panic!("stdout is not JSON ({e}): {}\n{}", self.stdout, self.stderr)
        })
    }
}

const SYSTEM_BUNDLE: &str = "/etc/ssl/certs/ca-certificates.crt";

impl Az {
    pub async fn new(bin: PathBuf, e: &Emu, managed_identity: bool) -> Az {
        let work = tempfile::tempdir().unwrap();
        let mut bundle = std::fs::read(SYSTEM_BUNDLE).unwrap_or_default();
        bundle.extend(std::fs::read(&e.env.ca_certificate).unwrap());
        let bundle_path = work.path().join("bundle.pem");
        std::fs::write(&bundle_path, bundle).unwrap();
        let mut envs: Vec<(String, String)> = vec![
            (
                "AZURE_CONFIG_DIR".into(),
                work.path().join("azcfg").display().to_string(),
            ),
            ("AZURE_CORE_COLLECT_TELEMETRY".into(), "false".into()),
            ("AZURE_CORE_SURVEY_MESSAGE".into(), "false".into()),
            ("AZURE_CORE_NO_COLOR".into(), "true".into()),
            ("AZURE_LOGGING_ENABLE_LOG_FILE".into(), "no".into()),
            // Set unconditionally: machines preset it to the system bundle (real-clients §3).
            (
                "REQUESTS_CA_BUNDLE".into(),
                bundle_path.display().to_string(),
            ),
        ];
        if managed_identity {
            envs.push(("IDENTITY_ENDPOINT".into(), e.env.identity_endpoint.clone()));
            envs.push(("IDENTITY_HEADER".into(), e.env.identity_header.clone()));
        }
        let az = Az {
            bin,
            _work: work,
            envs,
        };
        az.ok(&[
            "cloud",
            "register",
            "--name",
            "Emulator",
            "--endpoint-resource-manager",
            &e.env.resource_manager,
        ])
        .await;
        az.ok(&["cloud", "set", "--name", "Emulator", "--only-show-errors"])
            .await;
        if managed_identity {
            az.ok(&["login", "--identity", "-o", "none"]).await;
        } else {
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
                &e.env.client_id,
                "-p",
                &e.env.client_secret,
                "--tenant",
                &e.env.tenant_id,
                "-o",
                "none",
            ])
            .await;
        }
        az
    }

    pub async fn run(&self, args: &[&str]) -> Run {
        let mut cmd = tokio::process::Command::new(&self.bin);
        cmd.args(args).stdin(std::process::Stdio::null());
        for k in [
            "IDENTITY_ENDPOINT",
            "IDENTITY_HEADER",
            "IDENTITY_SERVER_THUMBPRINT",
            "IMDS_ENDPOINT",
            "MSI_ENDPOINT",
            "MSI_SECRET",
        ] {
            cmd.env_remove(k);
        }
        for (k, v) in &self.envs {
            cmd.env(k, v);
        }
        let out = cmd.output().await.unwrap();
        Run {
            rc: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    pub async fn ok(&self, args: &[&str]) -> Run {
        let r = self.run(args).await;
        assert_eq!(
            r.rc,
            0,
            "az {}\nstdout: {}\nstderr: {}",
            args.join(" "),
            r.stdout,
            r.stderr
        );
        r
    }

    /// Expects exit code `rc` and `needle` on stderr.
    pub async fn fails(&self, args: &[&str], rc: i32, needle: &str) -> Run {
        let r = self.run(args).await;
        assert_eq!(
            r.rc,
            rc,
            "az {}\nstdout: {}\nstderr: {}",
            args.join(" "),
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

pub fn keys(v: &Value) -> Vec<&str> {
    let mut k: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    k.sort();
    k
}

pub const TOKEN_KEYS: &[&str] = &[
    "creationDate",
    "credentials",
    "id",
    "name",
    "provisioningState",
    "resourceGroup",
    "scopeMapId",
    "status",
    "systemData",
    "type",
];
pub const SCOPE_MAP_KEYS: &[&str] = &[
    "actions",
    "creationDate",
    "description",
    "id",
    "name",
    "provisioningState",
    "resourceGroup",
    "systemData",
    "type",
];

/// The management requests of the log (identity requests left out), as `METHOD path status`.
pub async fn arm_requests(e: &Emu) -> Vec<String> {
    e.requests()
        .await
        .iter()
        .filter(|r| r["path"].as_str().unwrap().starts_with("/subscriptions"))
        .map(|r| {
            let path = r["path"].as_str().unwrap();
            let short = path
                .split("/registries/myregistry")
                .nth(1)
                .map(|p| format!("REG{p}"))
                .unwrap_or_else(|| {
                    if path.ends_with("/resources") {
                        "RES".to_string()
                    } else {
                        path.to_string()
                    }
                });
            format!(
                "{} {} {}",
                r["method"].as_str().unwrap(),
                short,
                r["status"]
            )
        })
        .collect()
}
