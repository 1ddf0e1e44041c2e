//! Crash safety (issue 16): the real `acr-emulator` killed with SIGKILL in the middle of a
//! scope-map update and of a token create (latency faults widen the window: each management
//! answer waits before its handler runs), restarted on the same data dir: nothing is half
//! applied, no temporary file is left behind, and the interrupted command, run again,
//! succeeds. (The kill in the middle of pushes is `registry::persistence`.)

use std::path::Path;
use std::time::Duration;

use crate::support::{Acr, EmulatorProcess, wait};

/// `acr` for the emulator whose state is in `dir`, with short retry waits.
fn acr_for(dir: &Path) -> Acr {
    let env = acr::emulator::read_env(dir).expect("the emulator's env");
    let mut acr = Acr::for_env(&env);
    acr.set_env("ACR_TEST_RETRY_SCALE", "0.01");
    acr
}

fn log_lines(dir: &Path, needle: &str) -> usize {
    std::fs::read_to_string(dir.join("child.log"))
        .unwrap_or_default()
        .lines()
        .filter(|l| l.contains(needle))
        .count()
}

/// Files a crash could leave: temporary files of atomic writes, unfinished uploads.
fn leftovers(dir: &Path) -> Vec<String> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            let name = e.file_name().to_string_lossy().into_owned();
            if p.is_dir() {
                stack.push(p);
            } else if name.starts_with(".tmp")
                || name.ends_with(".tmp")
                || name.ends_with(".partial")
            {
                found.push(p.display().to_string());
            }
        }
    }
    found
}

/// Starts `line` in the background, waits until the emulator has answered `after` once more
/// (the request before the write), then kills the emulator while the write waits its latency.
async fn kill_during(dir: &Path, child: &mut EmulatorProcess, line: &str, after: &str) {
    let before = log_lines(dir, after);
    let acr = acr_for(dir);
    let line = line.to_owned();
    let task = tokio::spawn(async move { acr.run(&line).await });
    wait::until(
        "the command reached the emulator",
        Duration::from_secs(60),
        || std::future::ready((log_lines(dir, after) > before).then_some(())),
    )
    .await;
    child.kill_9();
    let out = task.await.unwrap();
    assert_ne!(
        out.code, 0,
        "the command cannot have succeeded: {}",
        out.stdout
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigkill_mid_scope_map_update_and_mid_token_create() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let slow = ["--faults", "arm:latency=1500ms"];
    let (mut child, _) = EmulatorProcess::spawn_with(dir, &slow, None).await;
    acr_for(dir)
        .ok("acr scope-map create -r myregistry -n crash-map --repository before content/read")
        .await;

    kill_during(
        dir,
        &mut child,
        "acr scope-map update -r myregistry -n crash-map --add-repository after content/read --remove-repository before content/read",
        "GET /subscriptions/",
    )
    .await;
    let (mut child, _) = EmulatorProcess::spawn_with(dir, &slow, None).await;
    let acr = acr_for(dir);
    let map = acr
        .ok("acr scope-map show -r myregistry -n crash-map")
        .await
        .json();
    let actions = map["actions"].clone();
    assert!(
        actions == serde_json::json!(["repositories/before/content/read"])
            || actions == serde_json::json!(["repositories/after/content/read"]),
        "half applied: {actions}"
    );
    assert_eq!(leftovers(dir), Vec::<String>::new());
    let map = acr
        .ok("acr scope-map update -r myregistry -n crash-map --add-repository after content/read --remove-repository before content/read")
        .await
        .json();
    assert_eq!(
        map["actions"],
        serde_json::json!(["repositories/after/content/read"])
    );

    kill_during(
        dir,
        &mut child,
        "acr token create -r myregistry -n crash-token --scope-map crash-map",
        "GET /subscriptions/",
    )
    .await;
    let (_child, _) = EmulatorProcess::spawn_with(dir, &[], None).await;
    let acr = acr_for(dir);
    let shown = acr.run("acr token show -r myregistry -n crash-token").await;
    if shown.code == 0 {
        // Created before the kill: complete, on its scope map.
        let t = shown.json();
        assert!(
            t["scopeMapId"]
                .as_str()
                .unwrap()
                .ends_with("/scopeMaps/crash-map"),
            "{t}"
        );
        assert_eq!(t["provisioningState"], "Succeeded");
    } else {
        assert_eq!(shown.code, 3, "{}", shown.stderr);
    }
    assert_eq!(leftovers(dir), Vec::<String>::new());
    let t = acr
        .ok("acr token create -r myregistry -n crash-token --scope-map crash-map")
        .await
        .json();
    assert_eq!(t["credentials"]["passwords"].as_array().unwrap().len(), 2);
}
