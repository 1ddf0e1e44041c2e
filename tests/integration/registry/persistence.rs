//! Data-plane state on disk: a restart serves every committed image with its digest intact
//! and forgets unfinished uploads; a `kill -9` of a real `acr-emulator` in the middle of
//! pushes leaves no partial blob or manifest visible (and no file under a digest that its
//! bytes do not have); deleting a registry leaves nothing of its data plane reachable.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{Value, json};

use crate::support::registry::*;
use crate::support::{Emu, EmulatorProcess, client_for, wait};

/// Every file in the blob store holds exactly the bytes its name says.
fn assert_blob_store_consistent(data_dir: &std::path::Path) -> usize {
    let mut n = 0;
    let root = data_dir.join("blobs").join("sha256");
    for dir in std::fs::read_dir(&root).unwrap() {
        for f in std::fs::read_dir(dir.unwrap().path()).unwrap() {
            let path = f.unwrap().path();
            let name = path.file_name().unwrap().to_str().unwrap().to_string();
            assert_eq!(
                sha256(&std::fs::read(&path).unwrap()),
                format!("sha256:{name}"),
                "{}",
                path.display()
            );
            n += 1;
        }
    }
    n
}

fn uploads_left(data_dir: &std::path::Path) -> usize {
    std::fs::read_dir(data_dir.join("uploads"))
        .map(|d| d.count())
        .unwrap_or(0)
}

#[tokio::test]
async fn a_restart_serves_every_committed_image_and_forgets_unfinished_uploads() {
    let r = Reg::start().await;
    let (sp, secret) = r.sp();
    let a = Auth::Basic(&sp, &secret);
    let mut pushed = Vec::new();
    for (repo, tag) in [("keep/a", "v1"), ("keep/a", "v2"), ("keep/b/c", "latest")] {
        pushed.push((
            repo,
            tag,
            r.push_image(a, repo, tag, &format!("{repo}:{tag}")).await,
        ));
    }
    let big: Vec<u8> = (0..3_000_000u32).map(|i| (i * 7 % 251) as u8).collect();
    assert_eq!(r.upload(a, "keep/a", &big).await.status, 201);
    let s = r
        .send("POST", "/v2/keep/a/blobs/uploads/", a, &[], None)
        .await;
    let loc = s.header("location").unwrap().to_string();
    assert_eq!(
        r.send(
            "PATCH",
            &loc,
            a,
            &[("content-range", "0-4")],
            Some(b"half-".to_vec())
        )
        .await
        .status,
        202
    );
    assert_eq!(uploads_left(r.e.dir.path()), 1);

    let r = r.restart().await;
    for (repo, tag, (digest, bytes)) in &pushed {
        let g = r.get(&format!("/v2/{repo}/manifests/{tag}"), a).await;
        assert_eq!(
            (g.status.as_u16(), g.header("docker-content-digest")),
            (200, Some(digest.as_str()))
        );
        assert_eq!(&g.bytes, bytes);
        assert_eq!(sha256(&g.bytes), *digest);
    }
    assert_eq!(
        r.get(&format!("/v2/keep/a/blobs/{}", sha256(&big)), a)
            .await
            .bytes,
        big
    );
    r.get(&loc, a).await.oci_error(404, "BLOB_UPLOAD_UNKNOWN");
    assert_eq!(uploads_left(r.e.dir.path()), 0);
    assert_eq!(
        r.get("/v2/_catalog", a).await.json(),
        json!({"repositories": ["keep/a", "keep/b/c"]})
    );
    assert_eq!(r.get("/acr/v1/keep/a", a).await.json()["tagCount"], 2);
    assert!(assert_blob_store_consistent(r.e.dir.path()) >= 7);
}

/// A request body that trickles out forever (until the server dies).
fn trickle() -> reqwest::Body {
    let s = futures_util::stream::unfold(0u64, |i| async move {
        tokio::time::sleep(Duration::from_millis(20)).await;
        Some((
            Ok::<_, std::io::Error>(vec![(i % 256) as u8; 64 << 10]),
            i + 1,
        ))
    });
    reqwest::Body::wrap_stream(s)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_9_during_pushes_leaves_no_partial_blob_or_manifest() {
    let dir = tempfile::tempdir().unwrap();
    let (mut child, state) = EmulatorProcess::spawn(dir.path()).await;
    let http = client_for(state["caCertificate"].as_str().unwrap());
    let base = format!(
        "https://{}",
        state["registries"][0]["loginServer"].as_str().unwrap()
    );
    let (sp, secret) = (
        state["clientId"].as_str().unwrap().to_string(),
        state["clientSecret"].as_str().unwrap().to_string(),
    );

    // Pushers: a layer of 256 KiB–1 MiB and a manifest, acknowledged only on the 201.
    let acked = Arc::new(Mutex::new(Vec::<(String, String, Vec<u8>, Vec<u8>)>::new()));
    let mut workers = Vec::new();
    for w in 0..3 {
        let (http, base, sp, secret, acked) = (
            http.clone(),
            base.clone(),
            sp.clone(),
            secret.clone(),
            acked.clone(),
        );
        workers.push(tokio::spawn(async move {
            for i in 0u32.. {
                let repo = format!("burst/w{w}");
                let layer: Vec<u8> = (0..(256 << 10) + (i as usize % 4) * (256 << 10))
                    .map(|j| (j as u32 ^ (w * 7919 + i)) as u8)
                    .collect();
                let config =
                    format!("{{\"architecture\":\"amd64\",\"os\":\"linux\",\"w\":{w},\"n\":{i}}}")
                        .into_bytes();
                for b in [&config, &layer] {
                    let Ok(s) = http
                        .post(format!("{base}/v2/{repo}/blobs/uploads/"))
                        .basic_auth(&sp, Some(&secret))
                        .send()
                        .await
                    else {
                        return;
                    };
                    let Some(loc) = s
                        .headers()
                        .get("location")
                        .and_then(|l| l.to_str().ok())
                        .map(str::to_string)
                    else {
                        return;
                    };
                    let put = http
                        .put(format!("{base}{loc}?digest={}", sha256(b)))
                        .basic_auth(&sp, Some(&secret))
                        .body(b.clone())
                        .send()
                        .await;
                    if !matches!(put, Ok(ref p) if p.status() == 201) {
                        return;
                    }
                }
                let m = image_manifest(&config, &[&layer]);
                let tag = format!("t{i}");
                let put = http
                    .put(format!("{base}/v2/{repo}/manifests/{tag}"))
                    .basic_auth(&sp, Some(&secret))
                    .header("content-type", OCI_MANIFEST)
                    .body(m.clone())
                    .send()
                    .await;
                match put {
                    Ok(p) if p.status() == 201 => acked.lock().unwrap().push((repo, tag, m, layer)),
                    _ => return,
                }
            }
        }));
    }
    // Uploads that never finish: a chunked session mid-PATCH and a monolithic PUT mid-body.
    let s = http
        .post(format!("{base}/v2/burst/slow/blobs/uploads/"))
        .basic_auth(&sp, Some(&secret))
        .send()
        .await
        .unwrap();
    let loc = s.headers()["location"].to_str().unwrap().to_string();
    let patching = {
        let (http, url, sp, secret) = (
            http.clone(),
            format!("{base}{loc}"),
            sp.clone(),
            secret.clone(),
        );
        tokio::spawn(async move {
            http.patch(url)
                .basic_auth(&sp, Some(&secret))
                .body(trickle())
                .send()
                .await
        })
    };
    let s = http
        .post(format!("{base}/v2/burst/slow/blobs/uploads/"))
        .basic_auth(&sp, Some(&secret))
        .send()
        .await
        .unwrap();
    let loc2 = s.headers()["location"].to_str().unwrap().to_string();
    let never = sha256(b"the digest of bytes that never fully arrive");
    let putting = {
        let (http, url, sp, secret) = (
            http.clone(),
            format!("{base}{loc2}?digest={never}"),
            sp.clone(),
            secret.clone(),
        );
        tokio::spawn(async move {
            http.put(url)
                .basic_auth(&sp, Some(&secret))
                .body(trickle())
                .send()
                .await
        })
    };

    wait::poll(Duration::from_secs(60), || {
        acked.lock().unwrap().len() >= 30
    })
    .await;
    child.kill_9();
    for w in workers {
        let _ = tokio::time::timeout(Duration::from_secs(35), w).await;
    }
    let _ = tokio::time::timeout(Duration::from_secs(35), patching).await;
    let _ = tokio::time::timeout(Duration::from_secs(35), putting).await;
    let acked = acked.lock().unwrap().clone();
    assert!(
        acked.len() >= 30,
        "the burst acknowledged only {} images",
        acked.len()
    );
    assert!(
        uploads_left(dir.path()) >= 2,
        "the unfinished uploads were on disk when killed"
    );

    // Restart in-process on the same data dir.
    let e = Emu::start_in(dir, vec![]).await;
    let r = Reg {
        login: e.env.registries[0].login_server.clone(),
        e,
    };
    let a = Auth::Basic(&sp, &secret);
    for (repo, tag, manifest, layer) in &acked {
        let g = r.get(&format!("/v2/{repo}/manifests/{tag}"), a).await;
        assert_eq!(g.status, 200, "acknowledged {repo}:{tag} lost");
        assert_eq!(&g.bytes, manifest);
        assert_eq!(
            g.header("docker-content-digest"),
            Some(sha256(manifest).as_str())
        );
        let b = r
            .get(&format!("/v2/{repo}/blobs/{}", sha256(layer)), a)
            .await;
        assert_eq!(sha256(&b.bytes), sha256(layer));
    }
    // Whatever else survived is whole: every manifest a tag names parses and its blobs read back.
    for w in 0..3 {
        let repo = format!("burst/w{w}");
        let tags = r.get(&format!("/v2/{repo}/tags/list"), a).await.json();
        for tag in tags["tags"].as_array().into_iter().flatten() {
            let g = r
                .get(
                    &format!("/v2/{repo}/manifests/{}", tag.as_str().unwrap()),
                    a,
                )
                .await;
            let m: Value = serde_json::from_slice(&g.bytes).unwrap();
            for d in m["layers"].as_array().unwrap().iter().chain([&m["config"]]) {
                let b = r
                    .get(
                        &format!("/v2/{repo}/blobs/{}", d["digest"].as_str().unwrap()),
                        a,
                    )
                    .await;
                assert_eq!(sha256(&b.bytes), d["digest"].as_str().unwrap());
            }
        }
    }
    r.get(&format!("/v2/burst/slow/blobs/{never}"), a)
        .await
        .oci_error(404, "BLOB_UNKNOWN");
    r.get(&loc, a).await.oci_error(404, "BLOB_UPLOAD_UNKNOWN");
    assert_eq!(
        uploads_left(r.e.dir.path()),
        0,
        "unfinished uploads are dropped at start-up"
    );
    assert!(assert_blob_store_consistent(r.e.dir.path()) >= 60);
}

#[tokio::test]
async fn deleting_a_registry_leaves_nothing_of_its_data_plane_reachable() {
    let r = Reg::start().await;
    let (sp, secret) = r.sp();
    let a = Auth::Basic(&sp, &secret);
    let path = r.e.registry_id_of("doomedreg");
    let body = json!({"location": "eastus", "sku": {"name": "Premium"}});
    let c = r.e.arm("PUT", &path, Some(body.clone())).await;
    assert!(c.status.is_success(), "{}", c.body);
    let login = c.body["properties"]["loginServer"]
        .as_str()
        .unwrap()
        .to_string();
    let doomed = Reg {
        e: r.e.view(),
        login: login.clone(),
    };
    let (digest, _) = doomed
        .push_image(a, "gone/soon", "v1", "unique to the doomed registry")
        .await;
    assert_eq!(
        doomed.get("/v2/gone/soon/manifests/v1", a).await.status,
        200
    );
    // The first registry does not see the other's repositories.
    r.get("/v2/gone/soon/manifests/v1", a)
        .await
        .oci_error(404, "NAME_UNKNOWN");

    assert!(r.e.arm("DELETE", &path, None).await.status.is_success());
    wait::until(
        "the deleted registry's port still answers",
        Duration::from_secs(10),
        || async {
            let answer = r.e.http.get(format!("https://{login}/v2/")).send().await;
            answer.is_err().then_some(())
        },
    )
    .await;
    // Re-created under the same name: a new, empty registry.
    let c = r.e.arm("PUT", &path, Some(body)).await;
    let login2 = c.body["properties"]["loginServer"]
        .as_str()
        .unwrap()
        .to_string();
    let again = Reg {
        e: r.e.view(),
        login: login2,
    };
    again
        .get("/v2/gone/soon/manifests/v1", a)
        .await
        .oci_error(404, "NAME_UNKNOWN");
    again
        .get(&format!("/v2/gone/soon/manifests/{digest}"), a)
        .await
        .oci_error(404, "NAME_UNKNOWN");
    assert_eq!(
        again.get("/v2/_catalog", a).await.json(),
        json!({"repositories": []})
    );
    // Its bytes are collected at the next start.
    let layer = sha256(b"layer of unique to the doomed registry");
    let file = |dir: &std::path::Path| {
        dir.join("blobs/sha256")
            .join(&layer[7..9])
            .join(&layer[7..])
    };
    assert!(file(r.e.dir.path()).exists());
    let r = r.restart().await;
    assert!(!file(r.e.dir.path()).exists());
    assert_blob_store_consistent(r.e.dir.path());
}
