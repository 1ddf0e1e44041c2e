//! `acr login` with Docker's credential helpers configured, against real helpers from
//! Debian's `golang-docker-credential-helpers`: `credsStore: pass` (a private `pass` store
//! with a test GnuPG key) and `credHelpers[<login server>]: secretservice` (a private Secret
//! Service). The secret goes to the helper (`docker-credential-<name> store`), config.json
//! keeps docker's empty `auths` entry and no secret, and the Docker engine then pulls with the
//! helper's credential and no `docker login`. A helper that fails is an error, with nothing
//! written in plain text.

use serde_json::{Value, json};

use super::docker::{Walkthrough, ok};
use crate::support::clients::{client, run_env};
use crate::support::keystores::{PassStore, SecretService};

/// The helper `program`, a daemon and an emulator with the seed images, and a `Puller`
/// token that may read `samples/hello-world`: the helper, the walkthrough, hello-world's
/// image id and the token's password.
async fn prepared(program: &str) -> Option<(std::path::PathBuf, Walkthrough, String, String)> {
    let helper = client(program)?;
    let w = Walkthrough::start().await?;
    let [hello_id, _] = w.seed_images().await;
    let pw =
        w.r.token("Puller", &["repositories/samples/hello-world/content/read"])
            .await;
    Some((helper, w, hello_id, pw))
}

fn write_config(w: &Walkthrough, config: &Value) -> std::path::PathBuf {
    let path = w.docker.config().join("config.json");
    std::fs::write(&path, serde_json::to_vec_pretty(config).unwrap()).unwrap();
    path
}

fn read_config(path: &std::path::Path) -> (String, Value) {
    let text = std::fs::read_to_string(path).unwrap();
    let value = serde_json::from_str(&text).unwrap();
    (text, value)
}

/// Points `acr` and the docker CLI at the same config and helper environment (the helpers
/// need `PATH` with `pass`, `gpg` and themselves).
fn share_env(w: &mut Walkthrough, env: &[(String, String)]) {
    let config = w.docker.config().display().to_string();
    w.acr.set_env("DOCKER_CONFIG", &config);
    w.docker.set_env("PATH", "/usr/bin:/bin");
    for (name, value) in env {
        w.acr.set_env(name, value);
        w.docker.set_env(name, value);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acr_login_stores_through_creds_store_pass_and_docker_pulls_with_it() {
    let Some((helper, mut w, hello_id, pw)) = prepared("docker-credential-pass").await else {
        return;
    };
    let Some(store) = PassStore::start().await else {
        return;
    };
    share_env(&mut w, &store.env());
    // An earlier plain-text login for this registry, and one for another registry.
    let path = write_config(
        &w,
        &json!({
            "auths": {
                w.r.login.as_str(): {"auth": "b2xkOnNlY3JldA=="},
                "other.example": {"auth": "eDp5"},
            },
            "credsStore": "pass",
        }),
    );
    let login = w
        .acr
        .ok(&format!("acr login -n myregistry -u Puller -p {pw}"))
        .await;
    assert_eq!(login.stdout, "Login Succeeded\n");
    assert_eq!(
        login.stderr,
        format!(
            "Credentials for '{}' stored with 'docker-credential-pass' (no secret in '{}').\n",
            w.r.login,
            path.display()
        )
    );
    // As docker's native store leaves it: an empty entry for the registry, the rest kept.
    let (text, config) = read_config(&path);
    assert!(!text.contains(&pw), "{text}");
    assert_eq!(config["auths"][w.r.login.as_str()], json!({}));
    assert_eq!(config["auths"]["other.example"]["auth"], "eDp5");
    assert_eq!(config["credsStore"], "pass");
    // The helper has it, under the login server, one gpg file in the store.
    let got = run_env(&helper, &["get"], store.env(), &w.r.login).await;
    ok(&got, "docker-credential-pass get");
    let got: Value = serde_json::from_str(&got.stdout).unwrap();
    assert_eq!(
        (got["ServerURL"].as_str(), got["Username"].as_str()),
        (Some(w.r.login.as_str()), Some("Puller"))
    );
    assert_eq!(got["Secret"], pw.as_str());
    assert!(store.store_dir().join("docker-credential-helpers").is_dir());

    // The Docker engine pulls with the helper's credential, with no docker login.
    w.pulls_only_hello_world(&hello_id).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acr_login_honours_cred_helpers_secretservice_over_creds_store() {
    let Some((helper, mut w, hello_id, pw)) = prepared("docker-credential-secretservice").await
    else {
        return;
    };
    let Some(keyring) = SecretService::start().await else {
        return;
    };
    share_env(&mut w, &keyring.env());
    // credHelpers wins over credsStore (which names a helper that does not exist).
    let path = write_config(
        &w,
        &json!({
            "credsStore": "absent-helper",
            "credHelpers": {w.r.login.as_str(): "secretservice"},
        }),
    );
    let login = w
        .acr
        .run_with(
            "acr login -n myregistry -u Puller --password-stdin",
            &pw,
            false,
        )
        .await
        .ok();
    assert!(
        login.stderr.contains("'docker-credential-secretservice'"),
        "{}",
        login.stderr
    );
    assert!(!login.stderr.contains(&pw));
    let (text, config) = read_config(&path);
    assert!(!text.contains(&pw), "{text}");
    assert_eq!(config["auths"][w.r.login.as_str()], json!({}));
    let listed = run_env(&helper, &["list"], keyring.env(), "").await;
    ok(&listed, "docker-credential-secretservice list");
    assert_eq!(
        serde_json::from_str::<Value>(&listed.stdout).unwrap()[w.r.login.as_str()],
        "Puller"
    );
    let found = keyring
        .secret_tool(&["search", "--all", "server", &w.r.login])
        .await;
    assert!(
        found.stdout.contains(&format!("secret = {pw}")),
        "{}",
        found.stdout
    );

    w.pulls_only_hello_world(&hello_id).await;
}

/// A helper that fails (pass with no store initialised) or is not installed: acr login fails
/// with the helper's own message, and neither the secret nor an `auths` entry is written.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failing_credential_helper_is_an_error_and_nothing_falls_back_to_plain_text() {
    let Some(_) = client("docker-credential-pass") else {
        return;
    };
    let r = crate::support::Reg::start().await;
    let mut acr = crate::support::Acr::new(&r.e);
    let pw = r.token("Puller", &["repositories/x/content/read"]).await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config.json");
    acr.set_env("DOCKER_CONFIG", &dir.path().display().to_string());
    acr.set_env(
        "PASSWORD_STORE_DIR",
        &dir.path().join("empty").display().to_string(),
    );
    acr.set_env("GNUPGHOME", &dir.path().join("gnupg").display().to_string());
    for (store, needle) in [
        ("pass", "pass not initialized"),
        (
            "absent-helper",
            "Cannot run the Docker credential helper 'docker-credential-absent-helper'",
        ),
    ] {
        let before = format!("{{\"credsStore\": \"{store}\"}}");
        std::fs::write(&path, &before).unwrap();
        let out = acr
            .run(&format!("acr login -n myregistry -u Puller -p {pw}"))
            .await;
        assert_eq!(out.code, 1, "{}", out.stderr);
        assert_eq!(out.stdout, "");
        assert!(out.stderr.starts_with("ERROR: "), "{}", out.stderr);
        assert!(out.stderr.contains(needle), "{}", out.stderr);
        assert!(
            out.stderr.contains("No credentials were stored."),
            "{}",
            out.stderr
        );
        assert!(!out.stderr.contains(&pw));
        assert_eq!(std::fs::read_to_string(&path).unwrap(), before);
    }
}
