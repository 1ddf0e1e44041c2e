//! The sign-in link as users get it from the binary: `start --detach` prints it where it
//! prints where it listens, `env --format json` reports it as `consoleUrl` and `env` (sh) as
//! `ACR_EMULATOR_CONSOLE_URL`; once used, both report a fresh link; a restart makes another,
//! and the link of the previous run no longer signs in.

use std::process::{Command, Output};

use serde_json::Value;

use super::Browserless;

fn emulator(args: &[&str], dir: &std::path::Path) -> Output {
    Command::new(crate::support::bins::emulator())
        .args(args)
        .arg("--data-dir")
        .arg(dir)
        .output()
        .unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

struct StopOnDrop(std::path::PathBuf);

impl Drop for StopOnDrop {
    fn drop(&mut self) {
        let _ = emulator(&["stop"], &self.0);
    }
}

fn env_json(dir: &std::path::Path) -> Value {
    let out = emulator(&["env", "--format", "json"], dir);
    assert!(out.status.success(), "{}", text(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

/// `ACR_EMULATOR_CONSOLE_URL` after `eval "$(acr-emulator env)"`.
fn env_sh(dir: &std::path::Path) -> String {
    let script = format!(
        "set -e; eval \"$('{}' env --data-dir '{}')\"; printf '%s' \"$ACR_EMULATOR_CONSOLE_URL\"",
        crate::support::bins::emulator().display(),
        dir.display()
    );
    let out = Command::new("bash")
        .arg("-c")
        .arg(&script)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    text(&out.stdout)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn start_prints_the_link_and_env_reports_an_unused_one() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    let _guard = StopOnDrop(dir.clone());

    let out = emulator(&["start", "--port", "0", "--detach"], &dir);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    let printed = stdout
        .lines()
        .find_map(|l| l.trim().strip_prefix("console (one-time sign-in link): "))
        .unwrap_or_else(|| panic!("no console link in:\n{stdout}"))
        .to_string();
    let env = env_json(&dir);
    assert_eq!(env["consoleUrl"], printed.as_str());
    assert_eq!(env_sh(&dir), printed);
    let ca = env["caCertificate"].as_str().unwrap().to_string();

    // Used once, the link is spent and env hands out the next one.
    let c = Browserless::sign_in(&ca, &printed).await;
    assert_eq!(c.get("/portal/").await.status, 200);
    let anon = Browserless::new(&ca, &printed);
    assert_eq!(anon.get(&printed).await.status, 403);
    let next = env_json(&dir)["consoleUrl"].as_str().unwrap().to_string();
    assert_ne!(next, printed);
    assert_eq!(env_sh(&dir), next);

    // The log of the detached emulator has the requests, never the secret.
    let log = std::fs::read_to_string(dir.join("emulator.log")).unwrap();
    assert!(log.contains("GET /portal/signin 303"), "{log}");
    let secret = printed.split("secret=").nth(1).unwrap();
    assert!(
        !log.contains(secret),
        "the sign-in secret is in emulator.log"
    );

    // A restart: a fresh link; the unused one of the previous run is dead.
    assert!(emulator(&["stop"], &dir).status.success());
    let out = emulator(&["start", "--port", "0", "--detach"], &dir);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let env = env_json(&dir);
    let after = env["consoleUrl"].as_str().unwrap().to_string();
    assert_ne!(after, next);
    let stale = next.replace(
        next.split("/portal/").next().unwrap(),
        after.split("/portal/").next().unwrap(),
    );
    let anon = Browserless::new(&ca, &after);
    assert_eq!(anon.get(&stale).await.status, 403, "the last run's link");
    assert_eq!(anon.get(&after).await.status, 303);
}
