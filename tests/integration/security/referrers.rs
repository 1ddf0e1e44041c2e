//! Finding 6: with `readEnabled=false` a manifest GET answered 405, but the referrers API
//! still listed the locked artifact's digest and annotations. The same read locks apply now.

use serde_json::{Value, json};

use crate::support::registry::{OCI_MANIFEST, sha256};
use crate::support::{Auth, Reg};

async fn patch(r: &Reg, a: Auth<'_>, path: &str, body: Value) {
    let p = r
        .send(
            "PATCH",
            path,
            a,
            &[("content-type", "application/json")],
            Some(body.to_string().into_bytes()),
        )
        .await;
    assert_eq!(p.status, 200, "{}", p.body);
}

#[tokio::test]
async fn finding_6_referrers_honour_read_locks() {
    let r = Reg::start().await;
    let (sp, secret) = r.sp();
    let a = Auth::Basic(&sp, &secret);
    let (subject_digest, subject) = r.push_image(a, "app", "v1", "subject").await;
    let empty = b"{}";
    assert_eq!(r.upload(a, "app", empty).await.status, 201);
    let sbom = json!({"schemaVersion": 2, "mediaType": OCI_MANIFEST,
        "artifactType": "application/vnd.example.sbom",
        "config": {"mediaType": "application/vnd.oci.empty.v1+json", "digest": sha256(empty), "size": 2},
        "layers": [],
        "subject": {"mediaType": OCI_MANIFEST, "digest": subject_digest, "size": subject.len()},
        "annotations": {"secret": "hidden by the lock"}})
    .to_string()
    .into_bytes();
    let sbom_digest = sha256(&sbom);
    let p = r
        .send(
            "PUT",
            &format!("/v2/app/manifests/{sbom_digest}"),
            a,
            &[("content-type", OCI_MANIFEST)],
            Some(sbom),
        )
        .await;
    assert_eq!(p.status, 201);
    let referrers = format!("/v2/app/referrers/{subject_digest}");
    assert_eq!(
        r.get(&referrers, a).await.json()["manifests"][0]["digest"],
        sbom_digest
    );

    // The referrer itself may not be read: it is left out.
    patch(
        &r,
        a,
        &format!("/acr/v1/app/_manifests/{sbom_digest}"),
        json!({"readEnabled": false}),
    )
    .await;
    r.get(&format!("/v2/app/manifests/{sbom_digest}"), a)
        .await
        .oci_error(405, "REGISTRY_DISALLOWED_OPERATION");
    let listed = r.get(&referrers, a).await;
    assert_eq!(listed.status, 200);
    assert_eq!(listed.json()["manifests"], json!([]), "{}", listed.body);
    assert!(!String::from_utf8_lossy(&listed.bytes).contains("hidden by the lock"));
    patch(
        &r,
        a,
        &format!("/acr/v1/app/_manifests/{sbom_digest}"),
        json!({"readEnabled": true}),
    )
    .await;

    // The subject may not be read: the referrers API answers like its manifest GET.
    patch(
        &r,
        a,
        &format!("/acr/v1/app/_manifests/{subject_digest}"),
        json!({"readEnabled": false}),
    )
    .await;
    r.get(&referrers, a)
        .await
        .oci_error(405, "REGISTRY_DISALLOWED_OPERATION");
    patch(
        &r,
        a,
        &format!("/acr/v1/app/_manifests/{subject_digest}"),
        json!({"readEnabled": true}),
    )
    .await;

    // The repository may not be read.
    patch(&r, a, "/acr/v1/app", json!({"readEnabled": false})).await;
    r.get(&referrers, a)
        .await
        .oci_error(405, "REGISTRY_DISALLOWED_OPERATION");
    patch(&r, a, "/acr/v1/app", json!({"readEnabled": true})).await;
    assert_eq!(
        r.get(&referrers, a).await.json()["manifests"][0]["digest"],
        sbom_digest
    );
}
