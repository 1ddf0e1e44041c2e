//! `acr token credential rotate --all` (an addition): 1,000 tokens rotated exactly once, each
//! password in its 0600 file of a 0700 directory; the same when the `acr` process is stopped
//! (SIGTERM) or killed (SIGKILL) mid-run and the command is run again; throttling (429 with
//! Retry-After) honoured; failed tokens make the exit code non-zero and are finished by the
//! next run; one result per token in every output format; and under the emulator's injected
//! faults (throttling, server errors, connections reset after the write committed).
//!
//! "Exactly once" is checked twice over: the emulator's request log holds one successful
//! `generateCredentials` per token, and every token, created without passwords, ends with
//! exactly one (a second rotation would have filled the empty password2).

use std::collections::HashMap;
use std::path::Path;
use std::time::Duration;

use futures_util::StreamExt;
use serde_json::{Value, json};

use crate::support::{Acr, Emu, Reg, setup, wait};

/// Creates `count` tokens `dev-0000`… on one scope map, without passwords, 16 at a time.
async fn fleet(emu: &Emu, count: usize) -> Vec<String> {
    let r = emu
        .create_scope_map("fleet-map", &["repositories/hello/content/read"])
        .await;
    assert!(r.status.is_success(), "{}", r.body);
    let names: Vec<String> = (0..count).map(|i| format!("dev-{i:04}")).collect();
    futures_util::stream::iter(names.clone())
        .map(|name| async move {
            let r = emu.create_token(&name, "fleet-map").await;
            assert!(r.status.is_success(), "{name}: {}", r.body);
        })
        .buffer_unordered(16)
        .collect::<Vec<()>>()
        .await;
    emu.clear_requests().await;
    names
}

/// Successful `generateCredentials` per token since the log was last cleared (the emulator
/// keeps the last 1,000 requests: tests read and clear it after each run of a fleet).
async fn rotations(emu: &Emu) -> HashMap<String, usize> {
    let mut per_token = HashMap::new();
    add_rotations(emu, &mut per_token).await;
    per_token
}

/// Adds the log's successful `generateCredentials` to `per_token`, then clears the log.
async fn add_rotations(emu: &Emu, per_token: &mut HashMap<String, usize>) {
    for r in emu.requests().await {
        if r.method == "POST" && r.path.ends_with("/generateCredentials") && r.status == 200 {
            let id = r.body["tokenId"].as_str().unwrap_or_default();
            let name = id.rsplit('/').next().unwrap_or_default().to_owned();
            *per_token.entry(name).or_insert(0) += 1;
        }
    }
    emu.clear_requests().await;
}

/// Every token has exactly one password, password1; returns the tokens as listed.
async fn each_rotated_once(acr: &Acr, names: &[String]) -> Vec<Value> {
    let listed = acr.ok("token list -r myregistry").await.json();
    let listed = listed.as_array().unwrap().clone();
    assert_eq!(listed.len(), names.len());
    for t in &listed {
        let passwords: Vec<&str> = t["credentials"]["passwords"]
            .as_array()
            .map(|l| l.iter().map(|p| p["name"].as_str().unwrap()).collect())
            .unwrap_or_default();
        assert_eq!(passwords, ["password1"], "{}: rotated once", t["name"]);
    }
    listed
}

/// Every file in `dir` named after a token holds a password the registry accepts, 0600.
async fn files_work(reg: &Reg, dir: &Path, names: &[String]) {
    use std::os::unix::fs::PermissionsExt;
    let checks = futures_util::stream::iter(names.iter().cloned())
        .map(|name| async move {
            let path = dir.join(&name);
            let mode = std::fs::metadata(&path)
                .unwrap_or_else(|e| panic!("{name}'s file: {e}"))
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600, "{name}");
            let password = std::fs::read_to_string(&path).unwrap();
            assert!(
                reg.access(&name, &password, &[]).await.is_ok(),
                "{name}'s saved password works"
            );
        })
        .buffer_unordered(16)
        .collect::<Vec<()>>();
    checks.await;
}

fn reg_of(emu: &Emu) -> Reg {
    Reg {
        e: emu.view(),
        login: emu.login_server().to_owned(),
    }
}

fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

fn statuses(results: &Value) -> HashMap<String, usize> {
    let mut count = HashMap::new();
    for r in results.as_array().unwrap() {
        *count
            .entry(r["status"].as_str().unwrap().to_owned())
            .or_insert(0) += 1;
    }
    count
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_tokens_are_rotated_exactly_once() {
    let (emu, acr) = setup().await;
    let names = fleet(&emu, 1000).await;
    let secrets = tempfile::tempdir().unwrap();
    let dir = secrets.path().join("out");
    let out = acr
        .ok(&format!(
            "token credential rotate --all -r myregistry --expiration-in-days 90 --output-secret-dir {}",
            dir.display()
        ))
        .await;
    assert_eq!(out.stderr, "");
    let results = out.json();
    let results = results.as_array().unwrap();
    assert_eq!(results.len(), 1000);
    let first = &results[0];
    assert_eq!(
        first.as_object().unwrap().keys().collect::<Vec<_>>(),
        ["expiry", "message", "name", "secretFile", "slot", "status"]
    );
    assert_eq!(first["name"], "dev-0000");
    assert_eq!(first["slot"], "password1");
    assert_eq!(first["status"], "ok");
    assert_eq!(first["message"], Value::Null);
    assert_eq!(
        first["secretFile"],
        dir.join("dev-0000").display().to_string()
    );
    assert!(first["expiry"].as_str().unwrap().ends_with("+00:00"));
    assert!(results.iter().all(|r| r["status"] == "ok"));
    assert_eq!(mode(&dir), 0o700);
    let per_token = rotations(&emu).await;
    assert_eq!(per_token.len(), 1000);
    assert!(per_token.values().all(|n| *n == 1), "one request each");
    each_rotated_once(&acr, &names).await;
    files_work(&reg_of(&emu), &dir, &names).await;
    assert!(
        !dir.join(".acr-rotate-journal").exists(),
        "a complete run leaves no journal"
    );
    let leftovers: Vec<_> = std::fs::read_dir(&dir).unwrap().collect();
    assert_eq!(leftovers.len(), 1000, "one file per token, nothing else");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn filters_dry_run_formats_and_a_failed_token_finished_by_the_next_run() {
    let (emu, mut acr) = setup().await;
    let names = fleet(&emu, 6).await;
    // dev-0000 and dev-0001 get a password expiring soon; the filter picks them.
    for name in &names[..2] {
        let r = emu
            .generate(
                name,
                json!({"name": "password2", "expiry": "2030-01-03T00:00:00Z"}),
            )
            .await;
        assert_eq!(r.status, 200);
    }
    acr.set_env("ACR_TEST_NOW", "2030-01-01T00:00:00Z");
    let dry = acr
        .ok("token credential rotate --all -r myregistry --expiring-within 7d --dry-run")
        .await
        .json();
    assert_eq!(
        dry,
        json!([
            {"name": "dev-0000", "slot": "password1", "reason": "password1 is empty"},
            {"name": "dev-0001", "slot": "password1", "reason": "password1 is empty"}
        ])
    );
    let by_prefix = acr
        .ok("token credential rotate --all -r myregistry --name-prefix DEV-000 --dry-run --query 'length(@)'")
        .await;
    assert_eq!(by_prefix.stdout, "6\n");
    emu.clear_requests().await;
    let secrets = tempfile::tempdir().unwrap();
    let dir = secrets.path().join("fleet");
    // A server error on a POST is not retried (a new secret may have been made): two tokens fail.
    emu.fault(json!({"method": "POST", "pathContains": "generateCredentials", "status": 503, "retryAfter": 0, "count": 2}))
        .await;
    let line = format!(
        "token credential rotate --all -r myregistry --max-parallel 1 --output-secret-dir {}",
        dir.display()
    );
    let failed = acr.run(&format!("{line} -o table")).await;
    assert_eq!(failed.code, 1);
    assert_eq!(
        failed.stderr,
        "ERROR: 2 of 6 tokens were not rotated; run the same command again to finish them (no token is rotated twice).\n"
    );
    let rows: Vec<&str> = failed.stdout.lines().collect();
    assert_eq!(rows.len(), 8, "{}", failed.stdout);
    assert!(
        rows[0].starts_with("NAME      SLOT       EXPIRY    STATUS    MESSAGE"),
        "{}",
        rows[0]
    );
    assert!(
        rows[2].starts_with("dev-0000  password1            error     (ServiceUnavailable) "),
        "{}",
        rows[2]
    );
    assert!(
        rows[4].starts_with("dev-0002  password1  Never     ok"),
        "{}",
        rows[4]
    );
    assert!(dir.join(".acr-rotate-journal").exists());
    let again = acr.ok(&format!("{line} -o tsv")).await;
    let lines: Vec<&str> = again.stdout.lines().collect();
    assert_eq!(lines.len(), 6);
    // TSV: the keys in sorted order (expiry, message, name, secretFile, slot, status).
    let file = |n: &str| dir.join(n).display().to_string();
    assert_eq!(
        lines[0],
        format!("None\tNone\tdev-0000\t{}\tpassword1\tok", file("dev-0000"))
    );
    assert_eq!(
        lines[2],
        format!(
            "None\trotated by an earlier run into this directory\tdev-0002\t{}\tpassword1\tok",
            file("dev-0002")
        )
    );
    assert!(rotations(&emu).await.values().all(|n| *n == 1));
    each_rotated_once_or_two(&acr, &names).await;
    files_work(&reg_of(&emu), &dir, &names).await;
    assert!(!dir.join(".acr-rotate-journal").exists());
    // A run after a complete one is a new rotation: now password2 for the four without it.
    let yaml = acr
        .ok(&format!("{line} --name-prefix dev-0005 -o yaml"))
        .await
        .stdout;
    assert!(
        yaml.contains("slot: password2") && yaml.contains("status: ok"),
        "{yaml}"
    );
}

/// Like [`each_rotated_once`], for tokens that had a password2 before the run.
async fn each_rotated_once_or_two(acr: &Acr, names: &[String]) {
    let listed = acr.ok("token list -r myregistry").await.json();
    for t in listed.as_array().unwrap() {
        let has1 = t["credentials"]["passwords"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["name"] == "password1");
        assert!(has1, "{}", t["name"]);
    }
    assert_eq!(listed.as_array().unwrap().len(), names.len());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn throttling_is_waited_out() {
    let (emu, acr) = setup().await;
    let names = fleet(&emu, 30).await;
    emu.fault(json!({"method": "POST", "pathContains": "generateCredentials", "status": 429, "retryAfter": 1, "count": 20}))
        .await;
    let secrets = tempfile::tempdir().unwrap();
    let dir = secrets.path().join("out");
    let out = acr
        .ok(&format!(
            "token credential rotate --all -r myregistry --output-secret-dir {}",
            dir.display()
        ))
        .await;
    assert!(statuses(&out.json()) == HashMap::from([("ok".to_owned(), 30)]));
    let throttled = emu
        .requests()
        .await
        .iter()
        .filter(|r| r.path.ends_with("/generateCredentials") && r.status == 429)
        .count();
    assert_eq!(throttled, 20);
    assert!(rotations(&emu).await.values().all(|n| *n == 1));
    each_rotated_once(&acr, &names).await;
    files_work(&reg_of(&emu), &dir, &names).await;
}

/// Runs the fleet rotation as a real process, `signal`s it once at least 100 tokens have
/// their file, and returns its exit status and stdout.
async fn interrupted_run(acr: &Acr, dir: &Path, signal: i32) -> (std::process::ExitStatus, String) {
    let mut child = acr
        .command(&format!(
            "token credential rotate --all -r myregistry --max-parallel 4 --output-secret-dir {}",
            dir.display()
        ))
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("acr starts");
    let files = |dir: &Path| std::fs::read_dir(dir).map(|d| d.count()).unwrap_or(0);
    let started = wait::until("100 tokens rotated", Duration::from_secs(120), || {
        std::future::ready((files(dir) > 100).then_some(()))
    });
    started.await;
    // SAFETY: kill(2) on the child we spawned, which has not been reaped.
    let rc = unsafe { libc::kill(child.id() as i32, signal) };
    assert_eq!(rc, 0);
    let output = tokio::task::spawn_blocking(move || {
        let mut stdout = String::new();
        use std::io::Read;
        child
            .stdout
            .take()
            .unwrap()
            .read_to_string(&mut stdout)
            .unwrap();
        let status = child.wait().unwrap();
        (status, stdout)
    })
    .await
    .unwrap();
    assert!(files(dir) < 1001, "interrupted before the end");
    output
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stopped_mid_run_then_run_again_every_token_rotated_once() {
    let (emu, acr) = setup().await;
    let names = fleet(&emu, 1000).await;
    let secrets = tempfile::tempdir().unwrap();
    let dir = secrets.path().join("out");
    let (status, stdout) = interrupted_run(&acr, &dir, libc::SIGTERM).await;
    let mut per_token = rotations(&emu).await;
    // SIGTERM: no new rotation starts, those in flight finish and are saved.
    assert_eq!(status.code(), Some(1));
    let first: Value = serde_json::from_str(&stdout).expect("the results so far");
    let counts = statuses(&first);
    assert!(counts["ok"] > 100 && counts["error"] > 0, "{counts:?}");
    for r in first.as_array().unwrap() {
        if r["status"] == "error" {
            assert_eq!(r["message"], "not started: the run was interrupted");
        }
    }
    let again = acr
        .ok(&format!(
            "token credential rotate --all -r myregistry --output-secret-dir {}",
            dir.display()
        ))
        .await
        .json();
    assert_eq!(statuses(&again), HashMap::from([("ok".to_owned(), 1000)]));
    let earlier = again
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["message"] == "rotated by an earlier run into this directory")
        .count();
    assert_eq!(earlier, counts["ok"]);
    add_rotations(&emu, &mut per_token).await;
    assert_eq!(per_token.len(), 1000);
    assert!(per_token.values().all(|n| *n == 1), "one request each");
    each_rotated_once(&acr, &names).await;
    files_work(&reg_of(&emu), &dir, &names).await;
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killed_mid_run_then_run_again_no_token_rotated_twice() {
    let (emu, acr) = setup().await;
    let names = fleet(&emu, 1000).await;
    let secrets = tempfile::tempdir().unwrap();
    let dir = secrets.path().join("out");
    let (status, _) = interrupted_run(&acr, &dir, libc::SIGKILL).await;
    assert_eq!(status.code(), None, "killed");
    let mut per_token = rotations(&emu).await;
    let again = acr
        .run(&format!(
            "token credential rotate --all -r myregistry --output-secret-dir {}",
            dir.display()
        ))
        .await;
    let results = again.json();
    // A request in flight at the kill may have replaced a password whose answer never
    // arrived: such a token is reported (at most --max-parallel of them), never rotated again.
    let lost: Vec<&Value> = results
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["status"] != "ok")
        .collect();
    assert!(lost.len() <= 4, "{lost:?}");
    for r in &lost {
        let message = r["message"].as_str().unwrap();
        assert!(
            message.starts_with("an earlier run replaced password1 (created 20"),
            "{message}"
        );
    }
    assert_eq!(again.code, if lost.is_empty() { 0 } else { 1 });
    add_rotations(&emu, &mut per_token).await;
    assert!(
        per_token.values().all(|n| *n == 1),
        "never two successful requests"
    );
    each_rotated_once(&acr, &names).await;
    let saved: Vec<String> = names
        .iter()
        .filter(|n| !lost.iter().any(|r| r["name"] == n.as_str()))
        .cloned()
        .collect();
    files_work(&reg_of(&emu), &dir, &saved).await;
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn under_injected_faults_runs_again_until_done_and_no_token_rotated_twice() {
    // The fleet is made without faults; the emulator then restarts on the same data dir with
    // 429s (Retry-After 1), 503s and connections reset after the write committed.
    let (emu, _) = setup().await;
    let names = fleet(&emu, 1000).await;
    let dir = emu.stop().await;
    let emu = Emu::builder()
        .dir(dir)
        .faults("arm:429=0.1,arm:503=0.05,arm:reset=0.02")
        .fault_seed(11)
        .start()
        .await;
    let acr = Acr::new(&emu);
    let secrets = tempfile::tempdir().unwrap();
    let out_dir = secrets.path().join("out");
    let line = format!(
        "token credential rotate --all -r myregistry --output-secret-dir {}",
        out_dir.display()
    );
    let lost_prefix = "an earlier run replaced password1 (created 20";
    let mut runs = 0;
    let results = loop {
        runs += 1;
        assert!(runs <= 10, "still failing after 10 runs");
        let out = acr.run(&line).await;
        let Ok(results) = serde_json::from_str::<Value>(&out.stdout) else {
            // The listing itself failed after its retries: nothing was rotated; run again.
            assert_eq!(out.code, 1, "{}", out.stderr);
            continue;
        };
        assert_eq!(results.as_array().unwrap().len(), 1000);
        let retryable = results
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["status"] != "ok")
            .filter(|r| {
                !r["message"]
                    .as_str()
                    .unwrap_or_default()
                    .starts_with(lost_prefix)
            })
            .count();
        assert_eq!(
            out.code == 0,
            results
                .as_array()
                .unwrap()
                .iter()
                .all(|r| r["status"] == "ok")
        );
        if retryable == 0 {
            break results;
        }
    };
    assert!(runs > 1, "the faults made some tokens fail the first run");
    let lost: Vec<String> = results
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["status"] != "ok")
        .map(|r| r["name"].as_str().unwrap().to_owned())
        .collect();
    // Every token was rotated exactly once: one password each, never the empty password2.
    let clean = Emu::builder().dir(emu.stop().await).start().await;
    let acr = Acr::new(&clean);
    each_rotated_once(&acr, &names).await;
    let saved: Vec<String> = names
        .iter()
        .filter(|n| !lost.contains(n))
        .cloned()
        .collect();
    assert!(saved.len() > 900, "{} saved", saved.len());
    files_work(&reg_of(&clean), &out_dir, &saved).await;
}
