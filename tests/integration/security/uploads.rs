//! Finding 3: every upload session kept a file open for an hour, so a flood of POSTs under a
//! low `ulimit -n` turned into 500 "Too many open files" and then into an emulator that
//! accepted no connection at all. Sessions hold no descriptor now and are capped (429
//! `TOOMANYREQUESTS` with `Retry-After`); the emulator keeps serving management and pulls.

use serde_json::Value;

use crate::support::registry::{OCI_MANIFEST, image_manifest, sha256};
use acr::emulator::{RegistrySpec, Sku};

use crate::support::{Emu, EmulatorProcess, client_for};

/// The real binary with `RLIMIT_NOFILE` this low: enough for its listeners, database and a
/// few connections, far fewer than the sessions opened below.
const NOFILE: u64 = 96;

#[tokio::test]
async fn finding_3_upload_flood_under_a_low_fd_limit() {
    let dir = tempfile::tempdir().unwrap();
    let (_child, state) = EmulatorProcess::spawn_with(dir.path(), &[], Some(NOFILE)).await;
    let http = client_for(state["caCertificate"].as_str().unwrap());
    let login = state["registries"][0]["loginServer"].as_str().unwrap();
    let (user, secret) = (
        state["clientId"].as_str().unwrap(),
        state["clientSecret"].as_str().unwrap(),
    );
    let url = |p: &str| format!("https://{login}{p}");

    // An image to pull afterwards.
    let config = br#"{"architecture":"amd64","os":"linux"}"#.to_vec();
    let layer = b"a layer".to_vec();
    for b in [&config, &layer] {
        let r = http
            .post(url(&format!("/v2/img/blobs/uploads/?digest={}", sha256(b))))
            .basic_auth(user, Some(secret))
            .body(b.clone())
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 201);
    }
    let manifest = image_manifest(&config, &[&layer]);
    let r = http
        .put(url("/v2/img/manifests/v1"))
        .basic_auth(user, Some(secret))
        .header("content-type", OCI_MANIFEST)
        .body(manifest.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);

    // The flood: three repositories, more sessions than descriptors (each repository to its
    // cap, then one more).
    let cap = acr::emulator::registry::uploads::MAX_SESSIONS_PER_REPOSITORY;
    for repo in ["flood/a", "flood/b", "flood/c"] {
        for i in 0..=cap {
            let r = http
                .post(url(&format!("/v2/{repo}/blobs/uploads/")))
                .basic_auth(user, Some(secret))
                .send()
                .await
                .unwrap_or_else(|e| panic!("POST {i} to {repo}: {e}"));
            let status = r.status().as_u16();
            let retry_after = r
                .headers()
                .get("retry-after")
                .map(|v| v.to_str().unwrap().to_owned());
            let body: Value = r.json().await.unwrap_or(Value::Null);
            if i < cap {
                assert_eq!(status, 202, "POST {i} to {repo}: {body}");
            } else {
                assert_eq!(status, 429, "POST {i} to {repo}: {body}");
                assert_eq!(body["errors"][0]["code"], "TOOMANYREQUESTS", "{body}");
                assert!(retry_after.is_some_and(|s| s.parse::<u64>().is_ok()));
            }
        }
    }
    // A session still takes chunks, one descriptor at a time.
    let r = http
        .post(url("/v2/img/blobs/uploads/"))
        .basic_auth(user, Some(secret))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 202);
    let loc = r.headers()["location"].to_str().unwrap().to_owned();
    let r = http
        .patch(url(&loc))
        .basic_auth(user, Some(secret))
        .header("content-range", "0-4")
        .body("chunk")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 202);

    // Management and pulls still work, on fresh connections.
    let fresh = client_for(state["caCertificate"].as_str().unwrap());
    let m = fresh
        .get(format!(
            "{}metadata/endpoints?api-version=2022-09-01",
            state["resourceManager"].as_str().unwrap()
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(m.status(), 200);
    let token: Value = fresh
        .post(format!(
            "{}/{}/oauth2/v2.0/token",
            state["authority"].as_str().unwrap(),
            state["tenantId"].as_str().unwrap()
        ))
        .form(&[
            ("grant_type", "client_credentials"),
            ("client_id", user),
            ("client_secret", secret),
            ("scope", "https://management.core.windows.net//.default"),
        ])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let list = fresh
        .get(format!(
            "{}subscriptions/{}/providers/Microsoft.ContainerRegistry/registries?api-version=2025-04-01",
            state["resourceManager"].as_str().unwrap(),
            state["subscriptionId"].as_str().unwrap()
        ))
        .bearer_auth(token["access_token"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(list.status(), 200);
    let r = fresh
        .get(url("/v2/img/manifests/v1"))
        .basic_auth(user, Some(secret))
        .header("accept", OCI_MANIFEST)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.bytes().await.unwrap().to_vec(), manifest);
    let r = fresh
        .get(url(&format!("/v2/img/blobs/{}", sha256(&layer))))
        .basic_auth(user, Some(secret))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.bytes().await.unwrap().to_vec(), layer);
}

/// The emulator-wide cap: registries `a` and `b` open sessions up to their own cap
/// (1,000 each, the total of 2,000 together), then registry `c`, below all of its own caps, is
/// refused with 429 until a session elsewhere ends.
#[tokio::test]
async fn finding_3_the_session_cap_spans_registries() {
    use acr::emulator::registry::uploads::{
        MAX_SESSIONS, MAX_SESSIONS_PER_REPOSITORY, MAX_SESSIONS_TOTAL,
    };
    use futures_util::stream::{self, StreamExt};

    let e = Emu::start_with(
        ["a", "b", "c"]
            .map(|name| RegistrySpec {
                name: format!("capregistry{name}"),
                sku: Sku::Premium,
            })
            .to_vec(),
    )
    .await;
    let logins: Vec<String> = e
        .env
        .registries
        .iter()
        .map(|r| r.login_server.clone())
        .collect();
    assert_eq!(logins.len(), 3);
    let (user, secret) = (e.env.client_id.as_str(), e.env.client_secret.as_str());
    let post = |login: &str, repo: String| {
        e.http
            .post(format!("https://{login}/v2/{repo}/blobs/uploads/"))
            .basic_auth(user, Some(secret))
            .send()
    };

    // Together, a and b fill the emulator: each to its own cap, 100 per repository.
    assert_eq!(MAX_SESSIONS_TOTAL, 2 * MAX_SESSIONS);
    let repos = MAX_SESSIONS / MAX_SESSIONS_PER_REPOSITORY;
    let posts: Vec<(String, String)> = logins[..2]
        .iter()
        .flat_map(|login| {
            (0..MAX_SESSIONS).map(move |i| (login.clone(), format!("fill/r{}", i % repos)))
        })
        .collect();
    let answers: Vec<(String, u16, String)> = stream::iter(posts)
        .map(|(login, repo)| async move {
            let r = post(&login, repo.clone()).await.unwrap();
            let loc = r
                .headers()
                .get("location")
                .map(|v| format!("https://{login}{}", v.to_str().unwrap()))
                .unwrap_or_default();
            (format!("{login}/{repo}"), r.status().as_u16(), loc)
        })
        .buffer_unordered(16)
        .collect()
        .await;
    let refused: Vec<_> = answers.iter().filter(|(_, s, _)| *s != 202).collect();
    assert!(refused.is_empty(), "{refused:?}");
    assert_eq!(answers.len(), MAX_SESSIONS_TOTAL);

    // c has no session at all, and still gets 429 in the registry's envelope.
    let r = post(&logins[2], "mine".into()).await.unwrap();
    assert_eq!(r.status(), 429);
    let retry_after = r.headers().get("retry-after").cloned();
    assert!(
        retry_after.is_some_and(|v| v.to_str().unwrap().parse::<u64>().is_ok()),
        "Retry-After"
    );
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["errors"][0]["code"], "TOOMANYREQUESTS", "{body}");

    // A session cancelled in a gives c room for exactly one more.
    let r = e
        .http
        .delete(&answers[0].2)
        .basic_auth(user, Some(secret))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204, "DELETE {}", answers[0].2);
    let r = post(&logins[2], "mine".into()).await.unwrap();
    assert_eq!(r.status(), 202);
    let r = post(&logins[2], "mine".into()).await.unwrap();
    assert_eq!(r.status(), 429);
}
