//! The OCI distribution API over real HTTPS, with an owner's token: uploads (monolithic,
//! single POST, chunked with ranges and 416, progress, cancel, digest mismatch), mounts,
//! blob HEAD/GET/Range/DELETE, manifests of the four media types by tag and digest, the
//! validation rules, tags and catalog paging, deletes, and the referrers API.

use serde_json::{Value, json};

use crate::support::registry::*;

fn repo_scope(repo: &str) -> String {
    format!("repository:{repo}:pull,push,delete,metadata_read")
}

#[tokio::test]
async fn uploads_monolithic_single_post_chunked_and_cancelled() {
    let r = Reg::start().await;
    let t = r.owner(&[&repo_scope("up/load")]).await;
    let a = Auth::Bearer(&t);

    // Monolithic: POST then PUT ?digest= with the bytes.
    let put = r.upload(a, "up/load", b"monolithic").await;
    assert_eq!(put.status, 201);
    let d = sha256(b"monolithic");
    assert_eq!(
        put.header("location"),
        Some(format!("/v2/up/load/blobs/{d}").as_str())
    );
    assert_eq!(put.header("docker-content-digest"), Some(d.as_str()));
    let head = r
        .send("HEAD", &format!("/v2/up/load/blobs/{d}"), a, &[], None)
        .await;
    assert_eq!(head.status, 200);
    assert_eq!(head.header("content-length"), Some("10"));
    assert_eq!(head.header("docker-content-digest"), Some(d.as_str()));
    assert!(head.bytes.is_empty());
    assert_eq!(
        r.get(&format!("/v2/up/load/blobs/{d}"), a).await.bytes,
        b"monolithic"
    );

    // Single POST with ?digest=.
    let d2 = sha256(b"single post");
    let p = r
        .send(
            "POST",
            &format!("/v2/up/load/blobs/uploads/?digest={d2}"),
            a,
            &[],
            Some(b"single post".to_vec()),
        )
        .await;
    assert_eq!(p.status, 201, "{}", p.json());
    assert_eq!(
        r.get(&format!("/v2/up/load/blobs/{d2}"), a).await.bytes,
        b"single post"
    );

    // Chunked: PATCH in order with Content-Range, 416 out of order, GET progress, PUT.
    let s = r
        .send(
            "POST",
            "/v2/up/load/blobs/uploads/",
            a,
            &[("content-length", "0")],
            None,
        )
        .await;
    assert_eq!(s.status, 202);
    assert_eq!(s.header("range"), Some("0-0"));
    let loc = s.header("location").unwrap().to_string();
    assert!(loc.starts_with("/v2/up/load/blobs/uploads/"));
    assert_eq!(s.header("docker-upload-uuid"), loc.rsplit('/').next());
    let p1 = r
        .send(
            "PATCH",
            &loc,
            a,
            &[
                ("content-range", "0-4"),
                ("content-type", "application/octet-stream"),
            ],
            Some(b"chunk".to_vec()),
        )
        .await;
    assert_eq!(p1.status, 202);
    assert_eq!(p1.header("range"), Some("0-4"));
    let bad = r
        .send(
            "PATCH",
            &loc,
            a,
            &[("content-range", "10-14")],
            Some(b"later".to_vec()),
        )
        .await;
    assert_eq!(bad.status, 416);
    assert_eq!(bad.header("range"), Some("0-4"));
    let st = r.get(&loc, a).await;
    assert_eq!(st.status, 204);
    assert_eq!(st.header("range"), Some("0-4"));
    let p2 = r
        .send(
            "PATCH",
            &loc,
            a,
            &[("content-range", "5-10")],
            Some(b"ed one".to_vec()),
        )
        .await;
    assert_eq!(p2.status, 202);
    assert_eq!(p2.header("range"), Some("0-10"));
    let d3 = sha256(b"chunked one!");
    // Not visible before the PUT.
    assert_eq!(
        r.send("HEAD", &format!("/v2/up/load/blobs/{d3}"), a, &[], None)
            .await
            .status,
        404
    );
    let fin = r
        .send(
            "PUT",
            &format!("{loc}?digest={d3}"),
            a,
            &[("content-range", "11-11")],
            Some(b"!".to_vec()),
        )
        .await;
    assert_eq!(fin.status, 201, "{}", fin.json());
    assert_eq!(
        r.get(&format!("/v2/up/load/blobs/{d3}"), a).await.bytes,
        b"chunked one!"
    );
    r.get(&loc, a).await.oci_error(404, "BLOB_UPLOAD_UNKNOWN");

    // A wrong digest: 400 and nothing stored.
    let s = r
        .send("POST", "/v2/up/load/blobs/uploads/", a, &[], None)
        .await;
    let loc = s.header("location").unwrap().to_string();
    let wrong = sha256(b"something else");
    r.send(
        "PUT",
        &format!("{loc}?digest={wrong}"),
        a,
        &[],
        Some(b"content".to_vec()),
    )
    .await
    .oci_error(400, "DIGEST_INVALID");
    r.get(&format!("/v2/up/load/blobs/{wrong}"), a)
        .await
        .oci_error(404, "BLOB_UNKNOWN");
    r.get(&format!("/v2/up/load/blobs/{}", sha256(b"content")), a)
        .await
        .oci_error(404, "BLOB_UNKNOWN");

    // Cancel.
    let s = r
        .send("POST", "/v2/up/load/blobs/uploads/", a, &[], None)
        .await;
    let loc = s.header("location").unwrap().to_string();
    assert_eq!(r.send("DELETE", &loc, a, &[], None).await.status, 204);
    r.send("PATCH", &loc, a, &[], Some(b"x".to_vec()))
        .await
        .oci_error(404, "BLOB_UPLOAD_UNKNOWN");
    r.get("/v2/up/load/blobs/uploads/not-a-uuid", a)
        .await
        .oci_error(404, "BLOB_UPLOAD_UNKNOWN");
    // A session belongs to its repository.
    let s = r
        .send("POST", "/v2/up/load/blobs/uploads/", a, &[], None)
        .await;
    let id = s.header("docker-upload-uuid").unwrap().to_string();
    let other = r.owner(&[&repo_scope("other")]).await;
    r.get(
        &format!("/v2/other/blobs/uploads/{id}"),
        Auth::Bearer(&other),
    )
    .await
    .oci_error(404, "BLOB_UPLOAD_UNKNOWN");
}

#[tokio::test]
async fn blobs_ranges_mounts_and_deletes() {
    let r = Reg::start().await;
    let t = r.owner(&[&repo_scope("src"), &repo_scope("dst")]).await;
    let a = Auth::Bearer(&t);
    let data: Vec<u8> = (0..=255u8).cycle().take(300_000).collect();
    let d = sha256(&data);
    assert_eq!(r.upload(a, "src", &data).await.status, 201);
    let part = r
        .send(
            "GET",
            &format!("/v2/src/blobs/{d}"),
            a,
            &[("range", "bytes=1000-1999")],
            None,
        )
        .await;
    assert_eq!(part.status, 206);
    assert_eq!(part.header("content-range"), Some("bytes 1000-1999/300000"));
    assert_eq!(part.bytes, &data[1000..2000]);
    let tail = r
        .send(
            "GET",
            &format!("/v2/src/blobs/{d}"),
            a,
            &[("range", "bytes=-10")],
            None,
        )
        .await;
    assert_eq!(tail.bytes, &data[299_990..]);
    let bad = r
        .send(
            "GET",
            &format!("/v2/src/blobs/{d}"),
            a,
            &[("range", "bytes=300000-")],
            None,
        )
        .await;
    assert_eq!(bad.status, 416);
    assert_eq!(bad.header("content-range"), Some("bytes */300000"));
    assert_eq!(r.get(&format!("/v2/src/blobs/{d}"), a).await.bytes, data);

    // Not in `dst` until mounted; mounted: 201 without any bytes sent.
    r.get(&format!("/v2/dst/blobs/{d}"), a)
        .await
        .oci_error(404, "BLOB_UNKNOWN");
    let m = r
        .send(
            "POST",
            &format!("/v2/dst/blobs/uploads/?mount={d}&from=src"),
            a,
            &[],
            None,
        )
        .await;
    assert_eq!(m.status, 201);
    assert_eq!(
        m.header("location"),
        Some(format!("/v2/dst/blobs/{d}").as_str())
    );
    assert_eq!(r.get(&format!("/v2/dst/blobs/{d}"), a).await.bytes, data);
    // A blob the source does not have: an upload session instead (202).
    let missing = sha256(b"nowhere");
    let m = r
        .send(
            "POST",
            &format!("/v2/dst/blobs/uploads/?mount={missing}&from=src"),
            a,
            &[],
            None,
        )
        .await;
    assert_eq!(m.status, 202);
    // Without pull rights on the source, no mount either.
    let only_dst = r.owner(&[&repo_scope("dst")]).await;
    let d2 = sha256(b"second");
    assert_eq!(r.upload(a, "src", b"second").await.status, 201);
    let m = r
        .send(
            "POST",
            &format!("/v2/dst/blobs/uploads/?mount={d2}&from=src"),
            Auth::Bearer(&only_dst),
            &[],
            None,
        )
        .await;
    assert_eq!(m.status, 202);

    // Delete: the repository stops seeing it; the other keeps it.
    let del = r
        .send("DELETE", &format!("/v2/src/blobs/{d}"), a, &[], None)
        .await;
    assert_eq!(del.status, 202);
    r.get(&format!("/v2/src/blobs/{d}"), a)
        .await
        .oci_error(404, "BLOB_UNKNOWN");
    assert_eq!(r.get(&format!("/v2/dst/blobs/{d}"), a).await.status, 200);
    r.send("DELETE", &format!("/v2/src/blobs/{d}"), a, &[], None)
        .await
        .oci_error(404, "BLOB_UNKNOWN");
    r.get("/v2/src/blobs/sha256:zz", a)
        .await
        .oci_error(400, "DIGEST_INVALID");
    r.get(&format!("/v2/src/blobs/sha512:{}", "0".repeat(128)), a)
        .await
        .oci_error(404, "BLOB_UNKNOWN");
}

#[tokio::test]
async fn manifests_of_every_media_type_by_tag_and_digest() {
    let r = Reg::start().await;
    let t = r.owner(&[&repo_scope("m/img")]).await;
    let a = Auth::Bearer(&t);
    let config = br#"{"architecture":"arm64","os":"linux"}"#;
    let layer = b"layer bytes";
    for b in [&config[..], &layer[..]] {
        assert_eq!(r.upload(a, "m/img", b).await.status, 201);
    }
    let desc = |mt: &str, b: &[u8]| json!({"mediaType": mt, "digest": sha256(b), "size": b.len()});
    let oci = image_manifest(config, &[layer]);
    let docker = json!({"schemaVersion": 2, "mediaType": DOCKER_MANIFEST,
        "config": desc("application/vnd.docker.container.image.v1+json", config),
        "layers": [desc("application/vnd.docker.image.rootfs.diff.tar.gzip", layer)]})
    .to_string()
    .into_bytes();
    for (tag, mt, body) in [
        ("oci", OCI_MANIFEST, &oci),
        ("docker", DOCKER_MANIFEST, &docker),
    ] {
        let p = r
            .send(
                "PUT",
                &format!("/v2/m/img/manifests/{tag}"),
                a,
                &[("content-type", mt)],
                Some(body.clone()),
            )
            .await;
        assert_eq!(p.status, 201, "{}", p.json());
        let d = sha256(body);
        assert_eq!(p.header("docker-content-digest"), Some(d.as_str()));
        assert_eq!(
            p.header("location"),
            Some(format!("/v2/m/img/manifests/{d}").as_str())
        );
        for reference in [tag.to_string(), d.clone()] {
            let g = r
                .send(
                    "GET",
                    &format!("/v2/m/img/manifests/{reference}"),
                    a,
                    &[("accept", mt)],
                    None,
                )
                .await;
            assert_eq!(g.status, 200);
            assert_eq!(g.header("content-type"), Some(mt));
            assert_eq!(g.header("docker-content-digest"), Some(d.as_str()));
            assert_eq!(&g.bytes, body, "exact bytes");
            let h = r
                .send(
                    "HEAD",
                    &format!("/v2/m/img/manifests/{reference}"),
                    a,
                    &[],
                    None,
                )
                .await;
            assert_eq!(
                (h.status.as_u16(), h.header("content-length")),
                (200, Some(body.len().to_string().as_str()))
            );
            assert!(h.bytes.is_empty());
        }
    }
    // An index / a manifest list over both.
    let children = vec![
        json!({"mediaType": OCI_MANIFEST, "digest": sha256(&oci), "size": oci.len(), "platform": {"architecture": "arm64", "os": "linux"}}),
        json!({"mediaType": DOCKER_MANIFEST, "digest": sha256(&docker), "size": docker.len(), "platform": {"architecture": "amd64", "os": "linux"}}),
    ];
    for (tag, mt) in [("index", OCI_INDEX), ("list", DOCKER_LIST)] {
        let body = json!({"schemaVersion": 2, "mediaType": mt, "manifests": children})
            .to_string()
            .into_bytes();
        let p = r
            .send(
                "PUT",
                &format!("/v2/m/img/manifests/{tag}"),
                a,
                &[("content-type", mt)],
                Some(body.clone()),
            )
            .await;
        assert_eq!(p.status, 201, "{}", p.json());
        let g = r.get(&format!("/v2/m/img/manifests/{tag}"), a).await;
        assert_eq!(
            (g.header("content-type"), g.bytes.clone()),
            (Some(mt), body)
        );
    }
    // By digest in the URL: it must match the body.
    let again = r
        .send(
            "PUT",
            &format!("/v2/m/img/manifests/{}", sha256(&oci)),
            a,
            &[("content-type", OCI_MANIFEST)],
            Some(oci.clone()),
        )
        .await;
    assert_eq!(again.status, 201);
    r.send(
        "PUT",
        &format!("/v2/m/img/manifests/{}", sha256(b"x")),
        a,
        &[("content-type", OCI_MANIFEST)],
        Some(oci.clone()),
    )
    .await
    .oci_error(400, "DIGEST_INVALID");
    // ACR's metadata reads the platform from the config.
    let meta = r
        .get(&format!("/acr/v1/m/img/_manifests/{}", sha256(&oci)), a)
        .await
        .json();
    assert_eq!(
        (
            meta["manifest"]["architecture"].as_str(),
            meta["manifest"]["os"].as_str()
        ),
        (Some("arm64"), Some("linux"))
    );
    let list = r.get("/acr/v1/m/img/_tags/index", a).await.json();
    let idx = r
        .get(
            &format!(
                "/acr/v1/m/img/_manifests/{}",
                list["tag"]["digest"].as_str().unwrap()
            ),
            a,
        )
        .await
        .json();
    assert_eq!(idx["manifest"]["references"][1]["architecture"], "amd64");
}

#[tokio::test]
async fn manifest_validation_rules() {
    let r = Reg::start().await;
    let t = r.owner(&[&repo_scope("v")]).await;
    let a = Auth::Bearer(&t);
    let put = |tag: &'static str, ct: &'static str, body: Vec<u8>| {
        let r = &r;
        async move {
            r.send(
                "PUT",
                &format!("/v2/v/manifests/{tag}"),
                a,
                &[("content-type", ct)],
                Some(body),
            )
            .await
        }
    };
    // Referenced blobs must be in the repository.
    let e = put("t", OCI_MANIFEST, image_manifest(b"cfg", &[b"l"]))
        .await
        .oci_error(400, "MANIFEST_BLOB_UNKNOWN");
    assert_eq!(e["detail"]["digest"], sha256(b"cfg"));
    assert_eq!(r.upload(a, "v", b"cfg").await.status, 201);
    let e = put("t", OCI_MANIFEST, image_manifest(b"cfg", &[b"l"]))
        .await
        .oci_error(400, "MANIFEST_BLOB_UNKNOWN");
    assert_eq!(e["detail"]["digest"], sha256(b"l"));
    // Nothing of the refused push is visible.
    r.get("/v2/v/manifests/t", a)
        .await
        .oci_error(404, "NAME_UNKNOWN");
    r.get("/v2/v/tags/list", a)
        .await
        .oci_error(404, "NAME_UNKNOWN");
    // An index's children must be there too.
    let idx = json!({"schemaVersion": 2, "mediaType": OCI_INDEX, "manifests": [{"mediaType": OCI_MANIFEST, "digest": sha256(b"m"), "size": 1}]});
    put("i", OCI_INDEX, idx.to_string().into_bytes())
        .await
        .oci_error(400, "MANIFEST_BLOB_UNKNOWN");
    // Malformed, mismatched or unsupported manifests.
    put("t", OCI_MANIFEST, b"{not json".to_vec())
        .await
        .oci_error(400, "MANIFEST_INVALID");
    put("t", DOCKER_MANIFEST, image_manifest(b"cfg", &[]))
        .await
        .oci_error(400, "MANIFEST_INVALID");
    put(
        "t",
        "application/vnd.docker.distribution.manifest.v1+prettyjws",
        b"{\"schemaVersion\":1}".to_vec(),
    )
    .await
    .oci_error(400, "MANIFEST_INVALID");
    // 4 MiB is accepted, more is 413.
    let mut big: Value = serde_json::from_slice(&image_manifest(b"cfg", &[])).unwrap();
    let base_len = big.to_string().len();
    big["annotations"] = json!({"pad": "x".repeat((4 << 20) - base_len - 30)});
    let body = big.to_string().into_bytes();
    assert!(
        body.len() <= 4 << 20 && body.len() > (4 << 20) - 100,
        "{}",
        body.len()
    );
    assert_eq!(put("big", OCI_MANIFEST, body).await.status, 201);
    big["annotations"] = json!({"pad": "x".repeat(4 << 20)});
    put("big2", OCI_MANIFEST, big.to_string().into_bytes())
        .await
        .oci_error(413, "SIZE_INVALID");
    // Names and tags.
    r.get("/v2/Upper/manifests/v1", a)
        .await
        .oci_error(400, "NAME_INVALID");
    r.get("/v2/v/manifests/-bad", a)
        .await
        .oci_error(400, "TAG_INVALID");
    r.get("/v2/v/manifests/missing", a)
        .await
        .oci_error(404, "MANIFEST_UNKNOWN");
}

#[tokio::test]
async fn tags_catalog_paging_deletes_and_referrers() {
    let r = Reg::start().await;
    let t = r
        .owner(&[
            "registry:catalog:*",
            &repo_scope("p/a"),
            &repo_scope("p/b"),
            &repo_scope("p/c"),
        ])
        .await;
    let a = Auth::Bearer(&t);
    let (d1, _) = r.push_image(a, "p/a", "v1", "one").await;
    for tag in ["v2", "v3", "latest"] {
        let m = r.get(&format!("/v2/p/a/manifests/{d1}"), a).await.bytes;
        let p = r
            .send(
                "PUT",
                &format!("/v2/p/a/manifests/{tag}"),
                a,
                &[("content-type", OCI_MANIFEST)],
                Some(m),
            )
            .await;
        assert_eq!(p.status, 201);
    }
    r.push_image(a, "p/b", "x", "b").await;
    r.push_image(a, "p/c", "x", "c").await;

    let all = r.get("/v2/p/a/tags/list", a).await;
    assert_eq!(
        all.json(),
        json!({"name": "p/a", "tags": ["latest", "v1", "v2", "v3"]})
    );
    assert!(all.header("link").is_none());
    let p1 = r.get("/v2/p/a/tags/list?n=2", a).await;
    assert_eq!(p1.json()["tags"], json!(["latest", "v1"]));
    let link = p1.header("link").unwrap();
    assert_eq!(link, "</v2/p/a/tags/list?last=v1&n=2>; rel=\"next\"");
    let next = link.trim_start_matches('<').split('>').next().unwrap();
    let p2 = r.get(next, a).await;
    assert_eq!(p2.json()["tags"], json!(["v2", "v3"]));
    assert!(p2.header("link").is_none());
    r.get("/v2/p/a/tags/list?n=x", a)
        .await
        .oci_error(400, "PAGINATION_NUMBER_INVALID");

    let c = r.get("/v2/_catalog", a).await;
    assert_eq!(c.json(), json!({"repositories": ["p/a", "p/b", "p/c"]}));
    let c1 = r.get("/v2/_catalog?n=2", a).await;
    assert_eq!(c1.json()["repositories"], json!(["p/a", "p/b"]));
    // az keeps only the link's query and requests the same path again.
    let q = c1
        .header("link")
        .unwrap()
        .split('?')
        .nth(1)
        .unwrap()
        .split('>')
        .next()
        .unwrap()
        .to_string();
    assert_eq!(
        r.get(&format!("/v2/_catalog?{q}"), a).await.json()["repositories"],
        json!(["p/c"])
    );
    assert_eq!(
        r.get("/acr/v1/_catalog?n=1&last=p/a", a).await.json()["repositories"],
        json!(["p/b"])
    );

    // Deleting by tag is not how ACR deletes; by digest removes every tag.
    r.send("DELETE", "/v2/p/a/manifests/v1", a, &[], None)
        .await
        .oci_error(405, "UNSUPPORTED");
    assert_eq!(
        r.send("DELETE", &format!("/v2/p/a/manifests/{d1}"), a, &[], None)
            .await
            .status,
        202
    );
    r.get("/v2/p/a/tags/list", a)
        .await
        .oci_error(404, "NAME_UNKNOWN");
    r.send("DELETE", &format!("/v2/p/b/manifests/{d1}"), a, &[], None)
        .await
        .oci_error(404, "MANIFEST_UNKNOWN");
    assert_eq!(
        r.get("/v2/_catalog", a).await.json()["repositories"],
        json!(["p/b", "p/c"])
    );

    // Referrers: an artifact whose subject is p/b:x.
    let subject = r.get("/v2/p/b/manifests/x", a).await.bytes;
    let sd = sha256(&subject);
    let empty = b"{}";
    assert_eq!(r.upload(a, "p/b", empty).await.status, 201);
    let sbom = json!({"schemaVersion": 2, "mediaType": OCI_MANIFEST, "artifactType": "application/vnd.example.sbom",
        "config": {"mediaType": "application/vnd.oci.empty.v1+json", "digest": sha256(empty), "size": 2}, "layers": [],
        "subject": {"mediaType": OCI_MANIFEST, "digest": sd, "size": subject.len()}, "annotations": {"k": "v"}})
    .to_string()
    .into_bytes();
    let p = r
        .send(
            "PUT",
            &format!("/v2/p/b/manifests/{}", sha256(&sbom)),
            a,
            &[("content-type", OCI_MANIFEST)],
            Some(sbom.clone()),
        )
        .await;
    assert_eq!(p.status, 201, "{}", p.json());
    assert_eq!(p.header("oci-subject"), Some(sd.as_str()));
    let refs = r.get(&format!("/v2/p/b/referrers/{sd}"), a).await;
    assert_eq!(refs.header("content-type"), Some(OCI_INDEX));
    assert_eq!(
        refs.json(),
        json!({"schemaVersion": 2, "mediaType": OCI_INDEX, "manifests": [{"mediaType": OCI_MANIFEST, "digest": sha256(&sbom),
            "size": sbom.len(), "artifactType": "application/vnd.example.sbom", "annotations": {"k": "v"}}]})
    );
    let filtered = r
        .get(
            &format!("/v2/p/b/referrers/{sd}?artifactType=application/vnd.other"),
            a,
        )
        .await;
    assert_eq!(filtered.header("oci-filters-applied"), Some("artifactType"));
    assert_eq!(filtered.json()["manifests"], json!([]));
    assert_eq!(
        r.get(&format!("/v2/p/b/referrers/{}", sha256(b"none")), a)
            .await
            .json()["manifests"],
        json!([])
    );
}
