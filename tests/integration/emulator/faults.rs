//! `acr-emulator start --faults SPEC [--fault-seed N]`: the grammar on the command line (a bad
//! SPEC is a usage error), injected statuses in each plane's wire format with `Retry-After`,
//! `reset` closing the connection after the write committed (and nothing committed by a 503),
//! the same sequence for the same seed, ARM's rate-limit headers and token bucket, latency, and
//! the log naming each faulted request.

use std::process::Command;
use std::time::{Duration, Instant};

use serde_json::json;

use crate::support::{Emu, EmulatorProcess, client_for};

fn emulator(args: &[&str]) -> std::process::Output {
    Command::new(crate::support::bins::emulator())
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn a_bad_spec_is_a_usage_error_with_the_reason() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap();
    for (spec, why) in [
        ("arm:429=2", "a probability is a number in [0, 1]"),
        ("dns:503=0.1", "PLANE is arm, identity or registry"),
        (
            "arm:418=0.1",
            "KIND is 429, 503, 500, reset, latency or ratelimit",
        ),
        ("arm:latency=fast", "a latency is a duration"),
        (
            "registry:ratelimit=3",
            "ratelimit applies to the arm plane only",
        ),
    ] {
        let out = emulator(&["start", "--port", "0", "--data-dir", d, "--faults", spec]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{spec}: {stderr}");
        assert!(
            stderr.contains("invalid value") && stderr.contains("--faults") && stderr.contains(why),
            "{spec}: {stderr}"
        );
    }
    let out = emulator(&["start", "--data-dir", d, "--fault-seed", "x"]);
    assert_eq!(out.status.code(), Some(2));
    // Nothing was started or written.
    assert!(!dir.path().join("state.json").exists());
}

#[tokio::test]
async fn the_binary_injects_and_logs_faults_and_reports_its_seed() {
    let dir = tempfile::tempdir().unwrap();
    let (mut child, state) = EmulatorProcess::spawn_with(
        dir.path(),
        &["--faults", "arm:503=1,registry:429=1", "--fault-seed", "7"],
        None,
    )
    .await;
    let http = client_for(state["caCertificate"].as_str().unwrap());
    let rm = state["resourceManager"].as_str().unwrap();
    let sub = state["subscriptionId"].as_str().unwrap();
    let r = http
        .get(format!("{rm}subscriptions/{sub}?api-version=2022-12-01"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 503);
    assert_eq!(r.headers()["retry-after"], "1");
    assert!(
        r.headers()
            .contains_key("x-ms-ratelimit-remaining-subscription-reads")
    );
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["error"]["code"], "ServiceUnavailable");
    // The data plane answers in its own envelope.
    let login = state["registries"][0]["loginServer"].as_str().unwrap();
    let r = http
        .get(format!("https://{login}/v2/"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 429);
    assert_eq!(r.headers()["retry-after"], "1");
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["errors"][0]["code"], "TOOMANYREQUESTS");
    // Identity is not faulted: the metadata endpoint is ARM's, the token endpoint is not.
    let r = http
        .get(format!("{rm}msi/token?resource=x&api-version=2019-08-01"))
        .send()
        .await
        .unwrap();
    assert_ne!(r.status(), 503);
    child.kill_9();
    let log = std::fs::read_to_string(dir.path().join("child.log")).unwrap();
    assert!(
        log.contains("faults arm:503=1,registry:429=1 (seed 7)"),
        "{log}"
    );
    assert!(
        log.lines()
            .any(|l| l.starts_with("GET /subscriptions/") && l.ends_with("fault=503")),
        "{log}"
    );
    assert!(
        log.lines()
            .any(|l| l.starts_with("GET /v2/ 429") && l.ends_with("(registry) fault=429")),
        "{log}"
    );
    assert!(
        log.lines()
            .any(|l| l.starts_with("GET /msi/token") && !l.contains("fault=")),
        "{log}"
    );
}

/// What each of `n` reads of the registry got: a status, or `reset`.
async fn outcomes(e: &Emu, n: usize) -> Vec<String> {
    let mut seen = Vec::new();
    for _ in 0..n {
        seen.push(match e.try_arm("GET", &e.reg(), None).await {
            Ok(r) => r.status.as_u16().to_string(),
            Err(_) => "reset".to_owned(),
        });
    }
    seen
}

#[tokio::test]
async fn the_same_seed_gives_the_same_fault_sequence() {
    let spec = "arm:429=0.2,arm:503=0.2,arm:500=0.1,arm:reset=0.1";
    let run = |seed| async move {
        let e = Emu::builder().faults(spec).fault_seed(seed).start().await;
        outcomes(&e, 40).await
    };
    let first = run(11).await;
    assert_eq!(first, run(11).await);
    assert_ne!(first, run(12).await);
    for kind in ["200", "429", "503", "500", "reset"] {
        assert!(
            first.iter().any(|o| o == kind),
            "{kind} never drawn: {first:?}"
        );
    }
}

#[tokio::test]
async fn reset_loses_the_answer_of_a_committed_write_and_503_commits_nothing() {
    let e = Emu::builder().faults("arm:reset=1").start().await;
    let reg = e.reg();
    let put = e
        .try_arm(
            "PUT",
            &format!("{reg}/scopeMaps/committed"),
            Some(json!({"properties": {"actions": ["repositories/a/content/read"]}})),
        )
        .await;
    assert!(put.is_err(), "a reset answers nothing");
    let log = e.request_log().await;
    let entry = log.last().unwrap();
    assert_eq!(
        (entry["status"].as_u64(), entry["fault"].as_str()),
        (Some(200), Some("reset"))
    );
    let dir = e.stop().await;

    let e = Emu::builder().dir(dir).faults("arm:503=1").start().await;
    let r = e
        .arm("GET", &format!("{reg}/scopeMaps/committed"), None)
        .await;
    assert_eq!(r.status, 503);
    let r = e
        .arm(
            "PUT",
            &format!("{reg}/scopeMaps/never"),
            Some(json!({"properties": {"actions": ["repositories/a/content/read"]}})),
        )
        .await;
    assert_eq!(r.status, 503);
    assert_eq!(r.header("retry-after"), Some("1"));
    let dir = e.stop().await;

    let e = Emu::start_in(dir, vec![]).await;
    assert_eq!(
        e.arm("GET", &format!("{reg}/scopeMaps/committed"), None)
            .await
            .status,
        200,
        "the reset write was committed"
    );
    assert_eq!(
        e.arm("GET", &format!("{reg}/scopeMaps/never"), None)
            .await
            .status,
        404,
        "the 503 write was not"
    );
}

#[tokio::test]
async fn every_arm_answer_reports_the_buckets_and_ratelimit_throttles() {
    // Without a SPEC, nothing is enforced but the headers are there (ARM's default buckets).
    let e = Emu::start().await;
    let r = e.arm("GET", &e.reg(), None).await;
    assert_eq!(r.status, 200);
    assert_eq!(
        r.header("x-ms-ratelimit-remaining-subscription-reads"),
        Some("249")
    );
    assert_eq!(
        r.header("x-ms-ratelimit-remaining-subscription-writes"),
        Some("200")
    );
    let w = e
        .create_scope_map("counted", &["repositories/a/content/read"])
        .await;
    assert_eq!(
        w.header("x-ms-ratelimit-remaining-subscription-writes"),
        Some("199")
    );
    let err = e
        .arm("GET", &format!("{}/tokens/absent", e.reg()), None)
        .await;
    assert_eq!(err.status, 404);
    assert!(
        err.header("x-ms-ratelimit-remaining-subscription-reads")
            .is_some()
    );

    let e = Emu::builder().faults("arm:ratelimit=5").start().await;
    let mut statuses = Vec::new();
    let mut throttled = None;
    for _ in 0..20 {
        let r = e.arm("GET", &e.reg(), None).await;
        statuses.push(r.status.as_u16());
        if r.status == 429 && throttled.is_none() {
            throttled = Some(r);
        }
    }
    // The bucket holds 5 and refills at 5 per second: at least the first 5 pass, and a burst
    // of 20 cannot all pass in the time it takes.
    assert!(statuses[..5].iter().all(|s| *s == 200), "{statuses:?}");
    let t = throttled.unwrap_or_else(|| panic!("never throttled: {statuses:?}"));
    assert_eq!(t.header("retry-after"), Some("1"));
    assert_eq!(
        t.header("x-ms-ratelimit-remaining-subscription-reads"),
        Some("0")
    );
    assert_eq!(t.body["error"]["code"], "SubscriptionRequestsThrottled");
    // Writes have their own bucket.
    let w = e
        .create_scope_map("writes", &["repositories/a/content/read"])
        .await;
    assert_eq!(w.status, 200);
    let log = e.request_log().await;
    assert!(
        log.iter()
            .any(|l| l["fault"] == "ratelimit" && l["status"] == 429)
    );
}

#[tokio::test]
async fn latency_is_added_to_every_answer_of_its_plane_only() {
    let e = Emu::builder()
        .faults("arm:latency=300ms,registry:500=1")
        .start()
        .await;
    let start = Instant::now();
    assert_eq!(e.arm("GET", &e.reg(), None).await.status, 200);
    assert!(start.elapsed() >= Duration::from_millis(300));
    let r = e
        .http
        .get(format!("https://{}/v2/", e.login_server()))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 500);
    assert!(
        r.headers().get("retry-after").is_none(),
        "only 429 and 503 carry Retry-After"
    );
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["errors"][0]["code"], "UNKNOWN");
}

#[tokio::test]
async fn identity_faults_answer_in_oauth2_form() {
    let e = Emu::start().await;
    let dir = e.stop().await;
    let e = Emu::builder()
        .dir(dir)
        .faults("identity:503=1")
        .start_raw()
        .await;
    let r = e
        .http
        .get(e.url("/msi/token?resource=https://management.azure.com/&api-version=2019-08-01"))
        .header("x-identity-header", "x")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 503);
    assert_eq!(r.headers()["retry-after"], "1");
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["error"], "temporarily_unavailable");
}
