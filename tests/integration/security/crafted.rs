//! Finding 5: five crafted inputs made handlers panic (the connection dropped, a backtrace was
//! logged). Each is a 4xx in its plane's envelope now (one test each, so that a run against
//! the unfixed build shows every one of them); the class is closed by the clippy lints
//! over `src/emulator` (docs/security.md), and the parsers are fuzzed (`tests/fuzz`).

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Value, json};

use crate::support::registry::{OCI_MANIFEST, sha256};
use crate::support::{Auth, Reg};

/// The swagger example's certificate with its notAfter `200412223248Z` changed to
/// `2é412223248Z` (still 13 bytes: the old parser sliced inside the `é`).
fn certificate_with_a_crafted_time() -> String {
    let root = env!("CARGO_MANIFEST_DIR");
    let ex: Value = serde_json::from_slice(
        &std::fs::read(format!(
            "{root}/tests/data/azure-specs/mgmt-2025-04-01/examples/TokenCreate.json"
        ))
        .unwrap(),
    )
    .unwrap();
    let pem = ex["parameters"]["tokenCreateParameters"]["properties"]["credentials"]
        ["certificates"][0]["encodedPemCertificate"]
        .as_str()
        .unwrap();
    let pem = String::from_utf8(STANDARD.decode(pem).unwrap()).unwrap();
    let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    let mut der = STANDARD.decode(body).unwrap();
    let at = der
        .windows(13)
        .position(|w| w == b"200412223248Z")
        .expect("the example's notAfter");
    der.splice(at..at + 13, "2é412223248Z".bytes());
    let pem = format!(
        "-----BEGIN CERTIFICATE-----\n{}\n-----END CERTIFICATE-----\n",
        STANDARD.encode(&der)
    );
    STANDARD.encode(pem)
}

/// A scope whose name puts `é` across the end of a `samples/*` rule.
#[tokio::test]
async fn finding_5_scope_with_a_multibyte_name() {
    let r = Reg::start().await;
    let password = r
        .token("prefixed", &["repositories/samples/*/content/read"])
        .await;
    let t =
        r.e.http
            .get(r.url("/oauth2/token"))
            .query(&[
                ("service", r.login.as_str()),
                ("scope", "repository:samplesé:pull"),
            ])
            .basic_auth("prefixed", Some(&password))
            .send()
            .await
            .expect("an answer, not a dropped connection");
    assert_eq!(t.status(), 200);
    let v: Value = t.json().await.unwrap();
    let access = crate::support::arm::claims(v["access_token"].as_str().unwrap())["access"].clone();
    assert!(
        access
            .as_array()
            .unwrap()
            .iter()
            .all(|a| a["actions"] == json!([])),
        "nothing granted: {access}"
    );
}

/// A `$filter` with a multi-byte character after a clause.
#[tokio::test]
async fn finding_5_filter_with_multibyte_text() {
    let r = Reg::start().await;
    let f =
        r.e.arm(
            "GET",
            &format!(
                "/subscriptions/{}/resources?api-version=2025-04-01&$filter={}",
                r.e.sub(),
                percent_encoding::utf8_percent_encode(
                    "name eq 'a' ñ ",
                    percent_encoding::NON_ALPHANUMERIC
                )
            ),
            None,
        )
        .await;
    f.arm_error(400, "InvalidFilterInQueryString");
}

/// A token certificate whose notAfter is not ASCII.
#[tokio::test]
async fn finding_5_certificate_with_a_crafted_time() {
    let r = Reg::start().await;
    let body = json!({"properties": {"scopeMapId": format!("{}/scopeMaps/_repositories_pull", r.e.reg()),
        "credentials": {"certificates": [{"name": "certificate1", "encodedPemCertificate": certificate_with_a_crafted_time()}]}}});
    let c =
        r.e.arm("PUT", &format!("{}/tokens/crafted", r.e.reg()), Some(body))
            .await;
    c.arm_error(400, "BadRequest");
}

/// Descriptor sizes that add up beyond i64::MAX.
#[tokio::test]
async fn finding_5_manifest_sizes_that_overflow() {
    let r = Reg::start().await;
    let (sp, secret) = r.sp();
    let owner = Auth::Basic(&sp, &secret);
    let manifest = json!({"schemaVersion": 2, "mediaType": OCI_MANIFEST,
        "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": sha256(b"c"), "size": i64::MAX},
        "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar", "digest": sha256(b"l"), "size": 1}]});
    let m = r
        .send(
            "PUT",
            "/v2/crafted/manifests/v1",
            owner,
            &[("content-type", OCI_MANIFEST)],
            Some(manifest.to_string().into_bytes()),
        )
        .await;
    m.oci_error(400, "MANIFEST_INVALID");
}

/// A Content-Range whose length does not fit in 64 bits.
#[tokio::test]
async fn finding_5_content_range_beyond_64_bits() {
    let r = Reg::start().await;
    let (sp, secret) = r.sp();
    let owner = Auth::Basic(&sp, &secret);
    let post = r
        .send("POST", "/v2/crafted/blobs/uploads/", owner, &[], None)
        .await;
    assert_eq!(post.status, 202);
    let location = post.header("location").unwrap().to_owned();
    let p = r
        .send(
            "PATCH",
            &location,
            owner,
            &[("content-range", "0-18446744073709551615")],
            Some(b"x".to_vec()),
        )
        .await;
    p.oci_error(400, "BLOB_UPLOAD_INVALID");
}
