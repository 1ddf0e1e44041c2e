//! Concurrency (issue 16): 20 `acr` processes at once, each with its own config dir (so the
//! guarantee does not rest on shared config): each rotating its own token of one registry, and
//! each adding a repository to the **same** scope map, where ARM's PATCH has no precondition
//! and az loses updates; and 20 skopeo pushes to one repository. Every command succeeds, no
//! management answer is a 5xx, and the end state holds every acknowledged write.

use futures_util::future::join_all;
use serde_json::Value;

use crate::support::clients::{Tools, client};
use crate::support::{Acr, Auth, Emu, Reg, setup};

const N: usize = 20;

/// Runs the real `acr` binary with `acr`'s environment (its own config dir) plus `extra`.
async fn acr_process(acr: &Acr, line: &str, extra: &[(&str, &str)]) -> (i32, String, String) {
    let mut args = crate::support::cli::split(line);
    if args.first().map(String::as_str) == Some("acr") {
        args.remove(0);
    }
    let env = acr.env();
    let out = tokio::process::Command::new(crate::support::bins::acr())
        .args(&args)
        .env_clear()
        .envs(env.vars().map(|(k, v)| (k.clone(), v.clone())))
        .envs(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())))
        .output()
        .await
        .expect("acr runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

async fn no_5xx(emu: &Emu) {
    let log = emu.requests().await;
    let bad: Vec<_> = log.iter().filter(|r| r.status >= 500).collect();
    assert!(bad.is_empty(), "5xx answers: {bad:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn twenty_updates_of_one_scope_map_all_land() {
    let (emu, acr) = setup().await;
    acr.ok("acr scope-map create -r myregistry -n shared-map --repository base content/read")
        .await;
    emu.clear_requests().await;
    // One lock directory, as one user's session has; twenty config dirs.
    let runtime = tempfile::tempdir().unwrap();
    let xdg = runtime.path().display().to_string();
    let accounts: Vec<Acr> = (0..N).map(|_| Acr::new(&emu)).collect();
    let runs = join_all(accounts.iter().enumerate().map(|(i, a)| {
        let xdg = xdg.clone();
        async move {
            acr_process(
                a,
                &format!("acr scope-map update -r myregistry -n shared-map --add-repository repo{i} content/read"),
                &[("XDG_RUNTIME_DIR", &xdg)],
            )
            .await
        }
    }))
    .await;
    for (i, (code, _, stderr)) in runs.iter().enumerate() {
        assert_eq!(*code, 0, "update {i}: {stderr}");
    }
    let map = acr
        .ok("acr scope-map show -r myregistry -n shared-map")
        .await
        .json();
    let actions: Vec<&str> = map["actions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap())
        .collect();
    assert!(actions.contains(&"repositories/base/content/read"));
    for i in 0..N {
        let want = format!("repositories/repo{i}/content/read");
        assert!(
            actions.contains(&want.as_str()),
            "repo{i} lost: {actions:?}"
        );
    }
    assert_eq!(actions.len(), N + 1);
    no_5xx(&emu).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn twenty_processes_each_rotating_its_own_token() {
    let (emu, acr) = setup().await;
    acr.ok("acr scope-map create -r myregistry -n rotate-map --repository app content/read")
        .await;
    let accounts: Vec<Acr> = (0..N).map(|_| Acr::new(&emu)).collect();
    let runs = join_all(accounts.iter().enumerate().map(|(i, a)| async move {
        let (code, out, err) = acr_process(
            a,
            &format!("acr token create -r myregistry -n worker{i:02} --scope-map rotate-map"),
            &[],
        )
        .await;
        assert_eq!(code, 0, "create {i}: {err}");
        let created: Value = serde_json::from_str(&out).unwrap();
        let (code, out, err) = acr_process(
            a,
            &format!("acr token credential generate -r myregistry -n worker{i:02} --password1"),
            &[],
        )
        .await;
        assert_eq!(code, 0, "generate {i}: {err}");
        let generated: Value = serde_json::from_str(&out).unwrap();
        (created, generated)
    }))
    .await;
    no_5xx(&emu).await;
    let login = emu.login_server().to_owned();
    for (i, (created, generated)) in runs.iter().enumerate() {
        let user = format!("worker{i:02}");
        let new = generated["passwords"][0]["value"].as_str().unwrap();
        let old = created["credentials"]["passwords"][0]["value"]
            .as_str()
            .unwrap();
        let keep = created["credentials"]["passwords"][1]["value"]
            .as_str()
            .unwrap();
        for (password, accepted) in [(new, true), (old, false), (keep, true)] {
            let status = emu
                .http
                .get(format!("https://{login}/v2/"))
                .basic_auth(&user, Some(password))
                .send()
                .await
                .unwrap()
                .status();
            assert_eq!(status == 200, accepted, "{user}: {status}");
        }
    }
    let tokens = acr.ok("acr token list -r myregistry").await.json();
    assert_eq!(tokens.as_array().unwrap().len(), N);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn twenty_skopeo_pushes_to_one_repository() {
    let Some(skopeo) = client("skopeo") else {
        return;
    };
    let r = Reg::start().await;
    let t = Tools::new(&r).await;
    let pw = r
        .token(
            "Pusher",
            &[
                "repositories/shared/content/write",
                "repositories/shared/content/read",
            ],
        )
        .await;
    let creds = format!("Pusher:{pw}");
    let tags: Vec<String> = (0..N).map(|i| format!("shared:tag{i}")).collect();
    let runs = join_all(tags.iter().map(|tag| t.push_layout(&skopeo, &creds, tag))).await;
    for (i, run) in runs.iter().enumerate() {
        assert!(run.ok, "push {i}: {}", run.stderr);
    }
    // No push saw a server error, retried or not (skopeo retries some 5xx on its own).
    assert_eq!(
        r.e.registry_server_errors().await,
        0,
        "registry 5xx answers"
    );
    // Every acknowledged tag is there, on the one digest pushed.
    let token = r.owner(&["repository:shared:pull,metadata_read"]).await;
    let tags = r
        .get("/v2/shared/tags/list?n=1000", Auth::Bearer(&token))
        .await;
    let mut names: Vec<&str> = tags.body["tags"]
        .as_array()
        .unwrap_or_else(|| panic!("{} {}", tags.status, tags.body))
        .iter()
        .map(|t| t.as_str().unwrap())
        .collect();
    names.sort();
    let mut want: Vec<String> = (0..N).map(|i| format!("tag{i}")).collect();
    want.sort();
    assert_eq!(names, want);
    for i in 0..N {
        let m = r
            .send(
                "HEAD",
                &format!("/v2/shared/manifests/tag{i}"),
                Auth::Bearer(&token),
                &[("accept", "application/vnd.oci.image.manifest.v1+json")],
                None,
            )
            .await;
        assert_eq!(m.status, 200);
        assert_eq!(
            m.header("docker-content-digest"),
            Some(t.layout_digest.as_str())
        );
    }
}
