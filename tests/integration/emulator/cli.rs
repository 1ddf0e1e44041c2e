//! The `acr-emulator` binary as users run it: `start --detach`, a second start refused, `env`
//! in both formats (the `eval`ed sh form equals the JSON), `stop`, and stable ports across
//! restarts.

use std::process::{Command, Output};

use serde_json::Value;

use crate::support::client_for;

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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn detach_env_refused_second_start_and_stop() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data dir");
    let _guard = StopOnDrop(dir.clone());

    let out = emulator(
        &[
            "start",
            "--port",
            "0",
            "--detach",
            "--registry",
            "first:Basic",
            "--registry",
            "second",
        ],
        &dir,
    );
    assert!(
        out.status.success(),
        "{}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("listening on https://127.0.0.1:"),
        "{stdout}"
    );
    assert!(
        stdout.contains("registry first (Basic) at 127.0.0.1:"),
        "{stdout}"
    );

    let again = emulator(&["start", "--port", "0", "--detach"], &dir);
    assert!(!again.status.success());
    assert!(
        text(&again.stderr).contains("already running"),
        "{}",
        text(&again.stderr)
    );
    let fg = emulator(&["start", "--port", "0"], &dir);
    assert!(!fg.status.success());
    assert!(
        text(&fg.stderr).contains("already running"),
        "{}",
        text(&fg.stderr)
    );

    let json_out = emulator(&["env", "--format", "json"], &dir);
    assert!(json_out.status.success());
    let env: Value = serde_json::from_slice(&json_out.stdout).unwrap();
    for k in [
        "resourceManager",
        "authority",
        "tenantId",
        "subscriptionId",
        "subscriptionName",
        "clientId",
        "clientSecret",
        "identityEndpoint",
        "identityHeader",
        "caCertificate",
        "registries",
    ] {
        assert!(!env[k].is_null(), "{k} missing");
    }
    assert_eq!(env["subscriptionName"], "Emulator Subscription");
    let regs: Vec<(&str, &str, &str)> = env["registries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["name"].as_str().unwrap(),
                r["resourceGroup"].as_str().unwrap(),
                r["sku"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        regs,
        [
            ("first", "myresourcegroup", "Basic"),
            ("second", "myresourcegroup", "Premium")
        ]
    );
    assert!(std::path::Path::new(env["caCertificate"].as_str().unwrap()).is_absolute());

    // eval of the sh form (the default) yields the JSON values.
    let script = format!(
        "set -e; eval \"$('{}' env --data-dir '{}')\"; printf '%s\\n' \"$AZURE_TENANT_ID\" \"$AZURE_CLIENT_ID\" \"$AZURE_CLIENT_SECRET\" \"$AZURE_AUTHORITY_HOST\" \"$AZURE_SUBSCRIPTION_ID\" \"$ACR_RESOURCE_MANAGER\" \"$ACR_CA_BUNDLE\" \"$ACR_LOGIN_SERVER_SUFFIX\" \"$ACR_CLOUD_NAME\"",
        crate::support::bins::emulator().display(),
        dir.display()
    );
    let sh = Command::new("bash")
        .arg("-c")
        .arg(&script)
        .output()
        .unwrap();
    assert!(sh.status.success(), "{}", text(&sh.stderr));
    let got: Vec<String> = text(&sh.stdout).lines().map(str::to_string).collect();
    let want: Vec<String> = [
        "tenantId",
        "clientId",
        "clientSecret",
        "authority",
        "subscriptionId",
        "resourceManager",
        "caCertificate",
    ]
    .iter()
    .map(|k| env[*k].as_str().unwrap().to_string())
    .chain([".azurecr.local".to_string(), "AcrEmulator".to_string()])
    .collect();
    assert_eq!(got, want);
    assert!(env["resourceManager"].as_str().unwrap().ends_with('/'));

    // The detached emulator serves management calls.
    let http = client_for(env["caCertificate"].as_str().unwrap());
    let mi: Value = http
        .get(env["identityEndpoint"].as_str().unwrap())
        .query(&[
            ("api-version", "2019-08-01"),
            ("resource", "https://management.azure.com/"),
        ])
        .header("X-IDENTITY-HEADER", env["identityHeader"].as_str().unwrap())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let url = format!(
        "{}subscriptions/{}/resourceGroups/myresourcegroup/providers/Microsoft.ContainerRegistry/registries/first?api-version=2025-04-01",
        env["resourceManager"].as_str().unwrap(),
        env["subscriptionId"].as_str().unwrap()
    );
    let r: Value = http
        .get(&url)
        .bearer_auth(mi["access_token"].as_str().unwrap())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(r["sku"]["name"], "Basic");

    let stop = emulator(&["stop"], &dir);
    assert!(stop.status.success(), "{}", text(&stop.stderr));
    assert!(
        http.get(&url).send().await.is_err(),
        "still answering after stop"
    );
    let stop = emulator(&["stop"], &dir);
    assert!(stop.status.success());
    assert!(text(&stop.stderr).contains("no emulator is running"));
    let stale = emulator(&["env", "--format", "json"], &dir);
    assert!(stale.status.success());
    assert!(text(&stale.stderr).contains("no emulator is running"));

    // Restart: same registries on the same ports, same secrets.
    let out = emulator(&["start", "--port", "0", "--detach"], &dir);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let env2: Value =
        serde_json::from_slice(&emulator(&["env", "--format", "json"], &dir).stdout).unwrap();
    assert_eq!(env2["registries"], env["registries"]);
    assert_eq!(env2["clientSecret"], env["clientSecret"]);
    assert!(emulator(&["stop"], &dir).status.success());

    let missing = emulator(&["env"], &tmp.path().join("never-started"));
    assert!(!missing.status.success());
    assert!(
        text(&missing.stderr).contains("no emulator state"),
        "{}",
        text(&missing.stderr)
    );
    let bad = Command::new(crate::support::bins::emulator())
        .args(["start", "--registry", "x:Gold"])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
}
