//! `acr-emulator exec -- CMD`: CMD sees the `env` variables of a running emulator, the exit
//! code is CMD's (also 128+N for a signal, 127 for a missing command), signals reach CMD,
//! and afterwards nothing is left: no temporary dir (TMPDIR is private to each test and must
//! end empty), no listener, no lock; a given --data-dir is kept.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Output, Stdio};

use serde_json::Value;

fn exec_in(tmp: &Path, args: &[&str]) -> Command {
    let mut c = Command::new(crate::support::bins::emulator());
    c.arg("exec").args(args).env("TMPDIR", tmp);
    c.env_remove("ACR_CONFIG_DIR");
    c
}

fn run(tmp: &Path, args: &[&str]) -> Output {
    exec_in(tmp, args).output().unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// Every entry TMPDIR still holds.
fn leftovers(tmp: &Path) -> Vec<String> {
    std::fs::read_dir(tmp)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect()
}

const VARS: [&str; 10] = [
    "AZURE_TENANT_ID",
    "AZURE_CLIENT_ID",
    "AZURE_CLIENT_SECRET",
    "AZURE_AUTHORITY_HOST",
    "AZURE_SUBSCRIPTION_ID",
    "ACR_RESOURCE_MANAGER",
    "ACR_CA_BUNDLE",
    "ACR_LOGIN_SERVER_SUFFIX",
    "ACR_CLOUD_NAME",
    "ACR_EMULATOR_CONSOLE_URL",
];

#[test]
fn exit_codes_are_the_commands() {
    let tmp = tempfile::tempdir().unwrap();
    for (script, code) in [
        ("exit 0", 0),
        ("exit 3", 3),
        ("exit 255", 255),
        ("kill -KILL $$", 137),
        ("kill -TERM $$", 143),
    ] {
        let out = run(tmp.path(), &["--", "sh", "-c", script]);
        assert_eq!(
            out.status.code(),
            Some(code),
            "{script}: {}",
            text(&out.stderr)
        );
        assert!(
            leftovers(tmp.path()).is_empty(),
            "{:?}",
            leftovers(tmp.path())
        );
    }
    let missing = run(tmp.path(), &["--", "/nonexistent/command"]);
    assert_eq!(missing.status.code(), Some(127));
    assert!(
        text(&missing.stderr).contains("cannot run /nonexistent/command"),
        "{}",
        text(&missing.stderr)
    );
    let no_command = run(tmp.path(), &[]);
    assert_eq!(
        no_command.status.code(),
        Some(2),
        "{}",
        text(&no_command.stderr)
    );
    let detach = run(tmp.path(), &["--detach", "--", "true"]);
    assert_eq!(detach.status.code(), Some(2));
    assert!(text(&detach.stderr).contains("--detach does not apply"));
    assert!(
        leftovers(tmp.path()).is_empty(),
        "{:?}",
        leftovers(tmp.path())
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_command_sees_the_env_variables_and_nothing_is_left() {
    let tmp = tempfile::tempdir().unwrap();
    // CMD prints each variable, then what `acr-emulator env` says about the same data dir (the
    // CA bundle lives at its root), then the management endpoint's answer.
    let script = format!(
        r#"set -e
for v in {vars}; do eval "printf '%s=%s\n' $v \"\${{$v}}\""; done
echo ---
"{emu}" env --format json --data-dir "$(dirname "$ACR_CA_BUNDLE")"
echo ---
echo "ACR_CONFIG_DIR=$ACR_CONFIG_DIR"
"#,
        vars = VARS.join(" "),
        emu = crate::support::bins::emulator().display(),
    );
    let out = run(
        tmp.path(),
        &["--registry", "second:Basic", "--", "bash", "-c", &script],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    let parts: Vec<&str> = stdout.split("---\n").collect();
    assert_eq!(parts.len(), 3, "{stdout}");
    let seen: Vec<(String, String)> = parts[0]
        .lines()
        .map(|l| {
            let (k, v) = l.split_once('=').unwrap();
            (k.to_string(), v.to_string())
        })
        .collect();
    let env: Value = serde_json::from_str(parts[1]).unwrap();
    let want = [
        env["tenantId"].as_str().unwrap(),
        env["clientId"].as_str().unwrap(),
        env["clientSecret"].as_str().unwrap(),
        env["authority"].as_str().unwrap(),
        env["subscriptionId"].as_str().unwrap(),
        env["resourceManager"].as_str().unwrap(),
        env["caCertificate"].as_str().unwrap(),
        ".azurecr.local",
        "AcrEmulator",
    ];
    for (i, w) in want.iter().enumerate() {
        assert_eq!(seen[i], (VARS[i].to_string(), w.to_string()));
    }
    assert_eq!(seen[9].0, "ACR_EMULATOR_CONSOLE_URL");
    assert!(
        seen[9].1.contains("/portal/signin?secret="),
        "{:?}",
        seen[9]
    );
    assert_eq!(env["registries"][0]["name"], "second");
    assert_eq!(env["registries"][0]["sku"], "Basic");
    let data_dir = Path::new(env["caCertificate"].as_str().unwrap())
        .parent()
        .unwrap()
        .to_path_buf();
    assert!(data_dir.starts_with(tmp.path()), "{}", data_dir.display());
    assert_eq!(
        parts[2].trim(),
        format!("ACR_CONFIG_DIR={}", data_dir.join("acr-config").display())
    );
    // The console link (a secret) is in CMD's environment only, never on exec's stderr.
    assert!(
        !text(&out.stderr).contains("secret="),
        "{}",
        text(&out.stderr)
    );

    // Nothing is left: the temporary data dir is gone, and nothing listens any more.
    assert!(!data_dir.exists());
    assert!(
        leftovers(tmp.path()).is_empty(),
        "{:?}",
        leftovers(tmp.path())
    );
    let http = reqwest::Client::builder()
        .danger_accept_invalid_certs(true)
        .build()
        .unwrap();
    for url in [
        env["resourceManager"].as_str().unwrap().to_string(),
        format!(
            "https://{}/v2/",
            env["registries"][0]["loginServer"].as_str().unwrap()
        ),
    ] {
        assert!(http.get(&url).send().await.is_err(), "{url} still answers");
    }
    // The emulator ran in exec's own process, which has exited and been reaped.
    let pid = env["pid"].as_i64().unwrap() as i32;
    // SAFETY: kill(2) with signal 0 only checks for existence.
    let alive = unsafe { libc::kill(pid, 0) } == 0;
    assert!(!alive, "the emulator's process {pid} is still there");
}

#[test]
fn a_given_data_dir_is_kept_and_released() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("state");
    let dir_s = dir.to_str().unwrap();
    let create = format!(
        r#"test -z "${{ACR_CONFIG_DIR:-}}" || exit 9; export ACR_CONFIG_DIR="{cfg}" ACR_CREDENTIAL_STORE=file
"{acr}" token create -n kepttoken -r myregistry --repository app content/read -o none"#,
        acr = crate::support::bins::acr().display(),
        cfg = tmp.path().join("cfg").display(),
    );
    let out = run(
        tmp.path(),
        &["--data-dir", dir_s, "--", "sh", "-c", &create],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(dir.join("emulator.db").exists());
    assert!(!dir.join("emulator.pid").exists());
    // A second exec on the same dir continues from that state (so the first released the lock).
    let show = format!(
        r#"export ACR_CONFIG_DIR="{cfg}" ACR_CREDENTIAL_STORE=file
"{acr}" token show -n kepttoken -r myregistry --query name -o tsv"#,
        acr = crate::support::bins::acr().display(),
        cfg = tmp.path().join("cfg2").display(),
    );
    let out = run(tmp.path(), &["--data-dir", dir_s, "--", "sh", "-c", &show]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "kepttoken\n");
}

/// Starts `exec -- sh -c SCRIPT`, waits for CMD's "ready" line, sends `signal` to exec (not
/// to CMD) and returns exec's exit code and CMD's remaining output.
fn signal_exec(tmp: &Path, script: &str, signal: i32) -> (Option<i32>, String) {
    let mut child = exec_in(tmp, &["--", "sh", "-c", script])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    assert_eq!(lines.next().unwrap().unwrap(), "ready");
    // SAFETY: kill(2) on our own child, which has not been waited for.
    assert_eq!(unsafe { libc::kill(child.id() as i32, signal) }, 0);
    let rest: Vec<String> = lines.map(Result::unwrap).collect();
    (child.wait().unwrap().code(), rest.join("\n"))
}

#[test]
fn sigint_and_sigterm_are_forwarded_to_the_command() {
    let tmp = tempfile::tempdir().unwrap();
    // CMD handles the signal itself: exec's code is the one CMD chose.
    let trap = "trap 'echo got-term; exit 7' TERM; trap 'echo got-int; exit 8' INT; echo ready; while :; do sleep 0.05; done";
    let (code, rest) = signal_exec(tmp.path(), trap, libc::SIGTERM);
    assert_eq!((code, rest.as_str()), (Some(7), "got-term"));
    let (code, rest) = signal_exec(tmp.path(), trap, libc::SIGINT);
    assert_eq!((code, rest.as_str()), (Some(8), "got-int"));
    // CMD dies of it: 128 + SIGTERM.
    let (code, _) = signal_exec(tmp.path(), "echo ready; exec sleep 30", libc::SIGTERM);
    assert_eq!(code, Some(143));
    assert!(
        leftovers(tmp.path()).is_empty(),
        "{:?}",
        leftovers(tmp.path())
    );
}
