//! `acr token credential rotate` (an addition): the empty slot, then the older one; `--slot`;
//! `--dry-run` changes nothing; `--verify` waits out the emulator's modelled replication delay
//! (`--password-propagation`); and a client pulling in a loop with the old password never
//! fails while rotations run, the new password working afterwards.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

use serde_json::{Value, json};

use super::keys;
use crate::support::registry::OCI_MANIFEST;
use crate::support::{Acr, Auth, Emu, Reg, bodies, setup, wait};

/// Pulls `hello:v1` as `user`/`password` (token request, then the manifest): `Err` says where
/// it failed.
pub async fn pull(reg: &Reg, user: &str, password: &str) -> Result<(), String> {
    let token = reg
        .access(user, password, &["repository:hello:pull"])
        .await
        .map_err(|s| format!("token endpoint answered {s}"))?;
    let r = reg
        .send(
            "GET",
            "/v2/hello/manifests/v1",
            Auth::Bearer(&token),
            &[("accept", OCI_MANIFEST)],
            None,
        )
        .await;
    match r.status.as_u16() {
        200 => Ok(()),
        other => Err(format!("manifest GET answered {other}")),
    }
}

/// A registry with `hello:v1` and token `puller` (pull on `hello`) without passwords.
async fn registry_with_puller(emu: Emu) -> (Reg, Acr) {
    let login = emu.login_server().to_owned();
    let acr = Acr::new(&emu);
    let reg = Reg { e: emu, login };
    let owner = reg.owner(&["repository:hello:push,pull"]).await;
    reg.push_image(Auth::Bearer(&owner), "hello", "v1", "rotation")
        .await;
    acr.ok("token create -n puller -r myregistry --repository hello content/read --no-passwords")
        .await;
    (reg, acr)
}

fn value_of(out: &Value) -> String {
    out["passwords"][0]["value"].as_str().unwrap().to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_empty_slot_first_then_the_older_one_and_the_other_keeps_working() {
    let (reg, acr) = registry_with_puller(Emu::start().await).await;
    reg.e.clear_requests().await;
    let first = acr
        .ok("token credential rotate -n puller -r myregistry")
        .await;
    let one = first.json();
    // The shape of `credential generate`, with the new password only.
    assert_eq!(keys(&one), ["passwords", "username"]);
    assert_eq!(one["username"], "puller");
    assert_eq!(one["passwords"].as_array().unwrap().len(), 1);
    assert_eq!(one["passwords"][0]["name"], "password1");
    assert_eq!(
        keys(&one["passwords"][0]),
        ["creationTime", "expiry", "name", "value"]
    );
    assert_eq!(first.stderr, "");
    let log = reg.e.arm_requests().await;
    assert_eq!(
        reg.e.sequence().await,
        [
            "GET REG/tokens/puller 200",
            "POST REG/generateCredentials 200"
        ]
    );
    assert_eq!(
        bodies(&reg.e, &log, "POST", "REG/generateCredentials"),
        [json!({"tokenId": format!("{}/tokens/puller", reg.e.reg()), "name": "password1"})]
    );
    let p1 = value_of(&one);
    pull(&reg, "puller", &p1).await.unwrap();

    let two = acr
        .ok("token credential rotate -n puller -r myregistry --expiration-in-days 30")
        .await
        .json();
    assert_eq!(two["passwords"][0]["name"], "password2", "the empty slot");
    assert!(two["passwords"][0]["expiry"].is_string());
    let p2 = value_of(&two);
    pull(&reg, "puller", &p1).await.unwrap();
    pull(&reg, "puller", &p2).await.unwrap();

    let three = acr
        .ok("token credential rotate -n puller -r myregistry")
        .await
        .json();
    assert_eq!(three["passwords"][0]["name"], "password1", "the older one");
    let p3 = value_of(&three);
    assert!(pull(&reg, "puller", &p1).await.is_err(), "replaced");
    pull(&reg, "puller", &p2).await.unwrap();
    pull(&reg, "puller", &p3).await.unwrap();

    let forced = acr
        .ok("token credential rotate -n puller -r myregistry --slot password1 -o table")
        .await;
    assert!(
        forced.stdout.starts_with("USERNAME    PASSWORD1"),
        "{}",
        forced.stdout
    );
    pull(&reg, "puller", &p2).await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dry_run_says_which_slot_and_why_and_changes_nothing() {
    let (emu, acr) = setup().await;
    acr.ok("token create -n tok-dry -r myregistry --repository hello content/read --no-passwords")
        .await;
    acr.ok("token credential generate -n tok-dry -r myregistry --password2")
        .await;
    emu.clear_requests().await;
    let out = acr
        .ok("token credential rotate -n tok-dry -r myregistry --dry-run")
        .await;
    assert_eq!(
        out.json(),
        json!({"name": "tok-dry", "slot": "password1", "reason": "password1 is empty"})
    );
    assert_eq!(emu.sequence().await, ["GET REG/tokens/tok-dry 200"]);
    acr.ok("token credential generate -n tok-dry -r myregistry --password1")
        .await;
    let out = acr
        .ok("token credential rotate -n tok-dry -r myregistry --dry-run")
        .await
        .json();
    assert_eq!(out["slot"], "password2");
    let reason = out["reason"].as_str().unwrap();
    assert!(
        reason.starts_with("password2 is the older password (created 20"),
        "{reason}"
    );
    let forced = acr
        .ok("token credential rotate -n tok-dry -r myregistry --dry-run --slot password1")
        .await
        .json();
    assert_eq!(forced["reason"], "password1 was chosen with --slot");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn usage_errors_before_any_request() {
    let (emu, acr) = setup().await;
    for (line, message) in [
        (
            "token credential rotate -r myregistry",
            "usage error: --name or --all is required.",
        ),
        (
            "token credential rotate -r myregistry -n tok-x --expiration-in-days 3 --expiration 2030-01-01T00:00:00Z",
            "usage error: --expiration and --expiration-in-days are mutually exclusive.",
        ),
        (
            "token credential rotate -r myregistry -n tok-x --expiration-in-days 0",
            "Days must be positive.",
        ),
        (
            "token credential rotate -r myregistry -n tok-x --name-prefix a",
            "usage error: --name-prefix only applies to --all.",
        ),
        (
            "token credential rotate -r myregistry -n tok-x --all --output-secret-dir d",
            "usage error: --name and --all are mutually exclusive.",
        ),
        (
            "token credential rotate -r myregistry --all",
            "usage error: --all needs --output-secret-dir.",
        ),
        (
            "token credential rotate -r myregistry --all --output-secret-dir d --max-parallel 0",
            "usage error: --max-parallel must be between 1 and 100.",
        ),
        (
            "token credential rotate -r myregistry -n tok-x --force",
            "usage error: --force only applies to --output-secret-file.",
        ),
    ] {
        acr.run(line).await.error(1, message);
    }
    let bad = acr
        .run("token credential rotate -r myregistry -n tok-x --verify-timeout 5")
        .await;
    assert_eq!(bad.code, 2, "{}", bad.stderr);
    assert!(
        bad.stderr.contains("invalid duration value: '5'"),
        "{}",
        bad.stderr
    );
    assert_eq!(emu.sequence().await, Vec::<String>::new());
    // A missing token is ARM's 404 (exit 3), as for `credential generate`.
    let missing = acr
        .run("token credential rotate -r myregistry -n nosuch")
        .await;
    assert_eq!(missing.code, 3, "{}", missing.stderr);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn verify_waits_until_the_registry_accepts_the_new_password() {
    let emu = Emu::start_with_propagation(Duration::from_secs(4)).await;
    let (reg, acr) = registry_with_puller(emu).await;
    // Without --verify the command returns while the registry still refuses the password.
    let unverified = acr
        .ok("token credential rotate -n puller -r myregistry")
        .await
        .json();
    let p1 = value_of(&unverified);
    assert!(
        pull(&reg, "puller", &p1).await.is_err(),
        "still replicating"
    );
    // With --verify it returns only once the registry accepts it.
    let verified = acr
        .ok("token credential rotate -n puller -r myregistry --verify")
        .await;
    assert_eq!(verified.stderr, "");
    let p2 = value_of(&verified.json());
    pull(&reg, "puller", &p2).await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn verify_gives_up_after_its_timeout_with_the_password_still_printed() {
    let emu = Emu::start_with_propagation(Duration::from_secs(600)).await;
    let (reg, acr) = registry_with_puller(emu).await;
    let out = acr
        .run("token credential rotate -n puller -r myregistry --verify --verify-timeout 1s")
        .await;
    assert_eq!(out.code, 1, "{}", out.stderr);
    let password = value_of(&out.json());
    assert!(!out.stderr.contains(&password), "no secret on stderr");
    assert!(
        out.stderr.starts_with(&format!(
            "ERROR: The registry '{}' did not accept the new password1 of 'puller' within 1 s (",
            reg.login
        )),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr
            .ends_with("The password was generated; the other one keeps working.\n"),
        "{}",
        out.stderr
    );
}

/// Pulls with `password` in a loop until `stop`; counts pulls and failures.
fn pull_loop(
    reg: Arc<Reg>,
    password: String,
    stop: Arc<AtomicBool>,
) -> tokio::task::JoinHandle<(usize, Vec<String>)> {
    tokio::spawn(async move {
        let (mut pulls, mut failures) = (0, Vec::new());
        while !stop.load(Ordering::SeqCst) {
            if let Err(e) = pull(&reg, "puller", &password).await {
                failures.push(e);
            }
            pulls += 1;
        }
        (pulls, failures)
    })
}

/// A device pulls with the password in use while `rotate` replaces the other one, twice
/// (the device switching to the newer password in between); the new password works
/// afterwards: at once without a delay, once `--verify` returns with one, and within the
/// delay without `--verify`.
async fn rotation_under_load(delay: Duration, verify: bool) {
    let emu = Emu::start_with_propagation(delay).await;
    let (reg, acr) = registry_with_puller(emu).await;
    let reg = Arc::new(reg);
    let first = acr
        .ok("token credential generate -n puller -r myregistry --password1")
        .await;
    let mut in_use = value_of(&first.json());
    let ready = wait::until(
        "password1 replicated",
        delay + Duration::from_secs(30),
        || {
            let (reg, p) = (reg.clone(), in_use.clone());
            async move { pull(&reg, "puller", &p).await.ok() }
        },
    );
    ready.await;
    let pulls_during = Arc::new(AtomicUsize::new(0));
    for expected_slot in ["password2", "password1"] {
        let stop = Arc::new(AtomicBool::new(false));
        let device = pull_loop(reg.clone(), in_use.clone(), stop.clone());
        let line = format!(
            "token credential rotate -n puller -r myregistry{}",
            if verify { " --verify" } else { "" }
        );
        let out = acr.ok(&line).await.json();
        assert_eq!(out["passwords"][0]["name"], expected_slot);
        let new = value_of(&out);
        if verify || delay.is_zero() {
            pull(&reg, "puller", &new)
                .await
                .expect("the new password works once rotate returns");
        } else {
            let works = wait::until(
                "the new password replicated",
                delay + Duration::from_secs(30),
                || {
                    let (reg, p) = (reg.clone(), new.clone());
                    async move { pull(&reg, "puller", &p).await.ok() }
                },
            );
            works.await;
        }
        stop.store(true, Ordering::SeqCst);
        let (pulls, failures) = device.await.unwrap();
        assert!(pulls > 0);
        assert_eq!(failures, Vec::<String>::new(), "the device's pulls failed");
        pulls_during.fetch_add(pulls, Ordering::SeqCst);
        in_use = new;
    }
    assert!(pulls_during.load(Ordering::SeqCst) >= 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_pulling_with_the_old_password_never_fails_without_delay() {
    rotation_under_load(Duration::ZERO, false).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_pulling_with_the_old_password_never_fails_with_delay_and_verify() {
    rotation_under_load(Duration::from_secs(2), true).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_pulling_with_the_old_password_never_fails_with_delay_without_verify() {
    rotation_under_load(Duration::from_secs(2), false).await;
}
