//! ACR's `/acr/v1` metadata API: shapes checked against the 2021-07-01 data-plane swagger,
//! ACR's timestamps, `orderby`/`n`/`last`/`digest` with `Link` paging as az follows it, untag
//! and repository delete, 404s for unknown names, and the changeable attributes enforced on
//! push, pull, delete and listing.

use serde_json::{Value, json};

use crate::support::dataplane::assert_shape;
use crate::support::registry::*;

fn is_acr_time(v: &Value) -> bool {
    let s = v.as_str().unwrap_or_default();
    // 2024-01-01T00:00:00.0000000Z
    s.len() == 28
        && s.ends_with('Z')
        && s.as_bytes()[10] == b'T'
        && s.as_bytes()[19] == b'.'
        && s[20..27].bytes().all(|b| b.is_ascii_digit())
}

async fn retag(r: &Reg, a: Auth<'_>, repo: &str, digest: &str, tag: &str) {
    let m = r
        .get(&format!("/v2/{repo}/manifests/{digest}"), a)
        .await
        .bytes;
    let p = r
        .send(
            "PUT",
            &format!("/v2/{repo}/manifests/{tag}"),
            a,
            &[("content-type", OCI_MANIFEST)],
            Some(m),
        )
        .await;
    assert_eq!(p.status, 201);
}

#[tokio::test]
async fn shapes_paging_untag_and_delete() {
    let r = Reg::start().await;
    let (sp, secret) = r.sp();
    let a = Auth::Basic(&sp, &secret);
    let (d1, _) = r.push_image(a, "hello-world", "v1", "one").await;
    let (d2, _) = r.push_image(a, "hello-world", "v2", "two").await;
    retag(&r, a, "hello-world", &d1, "latest").await;
    r.push_image(a, "nginx/web", "1.0", "web").await;

    let cat = r.get("/acr/v1/_catalog", a).await.json();
    assert_shape("Repositories", &cat);
    assert_eq!(cat, json!({"repositories": ["hello-world", "nginx/web"]}));

    let repo = r.get("/acr/v1/hello-world", a).await.json();
    assert_shape("RepositoryAttributes", &repo);
    assert_eq!(repo["registry"], r.login.as_str());
    assert_eq!(
        (
            repo["imageName"].as_str(),
            repo["manifestCount"].as_i64(),
            repo["tagCount"].as_i64()
        ),
        (Some("hello-world"), Some(2), Some(3))
    );
    assert!(
        is_acr_time(&repo["createdTime"]) && is_acr_time(&repo["lastUpdateTime"]),
        "{repo}"
    );
    assert_eq!(
        repo["changeableAttributes"],
        json!({"deleteEnabled": true, "writeEnabled": true, "readEnabled": true, "listEnabled": true})
    );

    let tags = r.get("/acr/v1/hello-world/_tags", a).await.json();
    assert_shape("TagList", &tags);
    let names: Vec<&str> = tags["tags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["latest", "v1", "v2"]);
    assert_eq!(tags["tags"][0]["digest"], d1.as_str());
    assert_eq!(tags["tags"][0]["signed"], false);
    // Time order: `latest` was pushed last.
    let desc = r
        .get("/acr/v1/hello-world/_tags?orderby=timedesc", a)
        .await
        .json();
    let order: Vec<&str> = desc["tags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert_eq!(order, ["latest", "v2", "v1"]);
    let asc = r
        .get("/acr/v1/hello-world/_tags?orderby=timeasc", a)
        .await
        .json();
    assert_eq!(asc["tags"][0]["name"], "v1");
    // Paging as az does it: the link's query on the same path, until there is no link.
    let mut query = "n=1&orderby=timedesc".to_string();
    let mut seen = Vec::new();
    for _ in 0..5 {
        let page = r
            .get(&format!("/acr/v1/hello-world/_tags?{query}"), a)
            .await;
        seen.extend(
            page.json()["tags"]
                .as_array()
                .unwrap()
                .iter()
                .map(|t| t["name"].as_str().unwrap().to_string()),
        );
        let Some(link) = page.header("link") else {
            break;
        };
        assert!(link.starts_with("</acr/v1/hello-world/_tags?"), "{link}");
        query = link
            .split_once('?')
            .unwrap()
            .1
            .split('>')
            .next()
            .unwrap()
            .to_string();
    }
    assert_eq!(seen, ["latest", "v2", "v1"]);
    let by_digest = r
        .get(&format!("/acr/v1/hello-world/_tags?digest={d1}"), a)
        .await
        .json();
    assert_eq!(by_digest["tags"].as_array().unwrap().len(), 2);

    let one = r.get("/acr/v1/hello-world/_tags/v1", a).await.json();
    assert_shape("TagAttributes", &one);
    assert_eq!(
        (one["imageName"].as_str(), one["tag"]["name"].as_str()),
        (Some("hello-world"), Some("v1"))
    );

    let ms = r.get("/acr/v1/hello-world/_manifests", a).await.json();
    assert_shape("AcrManifests", &ms);
    let m1 = ms["manifests"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["digest"] == d1.as_str())
        .unwrap();
    assert_eq!(m1["tags"], json!(["latest", "v1"]));
    assert_eq!(
        (
            m1["architecture"].as_str(),
            m1["os"].as_str(),
            m1["mediaType"].as_str()
        ),
        (Some("amd64"), Some("linux"), Some(OCI_MANIFEST))
    );
    assert_eq!(
        m1["configMediaType"],
        "application/vnd.oci.image.config.v1+json"
    );
    assert!(m1["imageSize"].as_i64().unwrap() > 0);
    let page = r.get("/acr/v1/hello-world/_manifests?n=1", a).await;
    assert_eq!(page.json()["manifests"].as_array().unwrap().len(), 1);
    assert!(page.header("link").is_some());
    let single = r
        .get(&format!("/acr/v1/hello-world/_manifests/{d2}"), a)
        .await
        .json();
    assert_shape("ManifestAttributes", &single);
    assert_eq!(single["manifest"]["tags"], json!(["v2"]));

    // Unknown names: 404 as ACR (az prints `[]` for a 200 with an empty list).
    let e = r
        .get("/acr/v1/nosuch", a)
        .await
        .oci_error(404, "NAME_UNKNOWN");
    assert_eq!(e["message"], "repository name not known to registry");
    r.get("/acr/v1/nosuch/_tags", a)
        .await
        .oci_error(404, "NAME_UNKNOWN");
    r.get("/acr/v1/nosuch/_manifests", a)
        .await
        .oci_error(404, "NAME_UNKNOWN");
    let e = r
        .get("/acr/v1/hello-world/_tags/nosuch", a)
        .await
        .oci_error(404, "TAG_UNKNOWN");
    assert_eq!(e["message"], "the specified tag does not exist");
    r.get(
        &format!("/acr/v1/hello-world/_manifests/{}", sha256(b"none")),
        a,
    )
    .await
    .oci_error(404, "MANIFEST_UNKNOWN");

    // Untag: 202, the manifest stays.
    let u = r
        .send("DELETE", "/acr/v1/hello-world/_tags/latest", a, &[], None)
        .await;
    assert_eq!((u.status.as_u16(), u.bytes.len()), (202, 0));
    r.send("DELETE", "/acr/v1/hello-world/_tags/latest", a, &[], None)
        .await
        .oci_error(404, "TAG_UNKNOWN");
    assert_eq!(
        r.get(&format!("/v2/hello-world/manifests/{d1}"), a)
            .await
            .status,
        200
    );
    // Repository delete: 202 with what went.
    let del = r.send("DELETE", "/acr/v1/hello-world", a, &[], None).await;
    assert_eq!(del.status, 202);
    let body = del.json();
    assert_shape("DeletedRepository", &body);
    let mut want = vec![d1.clone(), d2.clone()];
    want.sort();
    assert_eq!(
        body,
        json!({"manifestsDeleted": want, "tagsDeleted": ["v1", "v2"]})
    );
    r.send("DELETE", "/acr/v1/hello-world", a, &[], None)
        .await
        .oci_error(404, "NAME_UNKNOWN");
    assert_eq!(
        r.get("/acr/v1/_catalog", a).await.json(),
        json!({"repositories": ["nginx/web"]})
    );
    r.get(
        &format!("/v2/hello-world/blobs/{}", sha256(b"layer of one")),
        a,
    )
    .await
    .oci_error(404, "BLOB_UNKNOWN");
}

#[tokio::test]
async fn changeable_attributes_are_enforced() {
    let r = Reg::start().await;
    let (sp, secret) = r.sp();
    let a = Auth::Basic(&sp, &secret);
    let (d1, _) = r.push_image(a, "locked", "v1", "one").await;
    let (d2, _) = r.push_image(a, "locked", "v2", "two").await;
    let patch = |path: String, body: Value| {
        let r = &r;
        async move {
            r.send(
                "PATCH",
                &path,
                a,
                &[("content-type", "application/json")],
                Some(body.to_string().into_bytes()),
            )
            .await
        }
    };

    // Repository write lock: no push (blob or manifest), no delete.
    let p = patch("/acr/v1/locked".into(), json!({"writeEnabled": false})).await;
    assert_eq!(p.status, 200);
    assert_eq!(p.json()["changeableAttributes"]["writeEnabled"], false);
    let (_, resp) = r.try_push_image(a, "locked", "v3", "three").await;
    let e = resp.oci_error(405, "REGISTRY_DISALLOWED_OPERATION");
    assert!(
        e["message"]
            .as_str()
            .unwrap()
            .starts_with("The operation is disallowed on this registry, repository or image.")
    );
    r.send(
        "DELETE",
        &format!("/v2/locked/manifests/{d1}"),
        a,
        &[],
        None,
    )
    .await
    .oci_error(405, "REGISTRY_DISALLOWED_OPERATION");
    r.send("DELETE", "/acr/v1/locked/_tags/v1", a, &[], None)
        .await
        .oci_error(405, "REGISTRY_DISALLOWED_OPERATION");
    r.send("DELETE", "/acr/v1/locked", a, &[], None)
        .await
        .oci_error(405, "REGISTRY_DISALLOWED_OPERATION");
    assert_eq!(
        r.get("/v2/locked/manifests/v1", a).await.status,
        200,
        "reads still work"
    );
    assert_eq!(
        patch("/acr/v1/locked".into(), json!({"writeEnabled": true}))
            .await
            .status,
        200
    );

    // Tag write lock: the tag cannot move or go; other tags can.
    let t = patch(
        "/acr/v1/locked/_tags/v1".into(),
        json!({"writeEnabled": false}),
    )
    .await;
    assert_eq!(
        t.json()["tag"]["changeableAttributes"]["writeEnabled"],
        false
    );
    let m2 = r.get(&format!("/v2/locked/manifests/{d2}"), a).await.bytes;
    r.send(
        "PUT",
        "/v2/locked/manifests/v1",
        a,
        &[("content-type", OCI_MANIFEST)],
        Some(m2.clone()),
    )
    .await
    .oci_error(405, "REGISTRY_DISALLOWED_OPERATION");
    assert_eq!(
        r.send(
            "PUT",
            "/v2/locked/manifests/v9",
            a,
            &[("content-type", OCI_MANIFEST)],
            Some(m2)
        )
        .await
        .status,
        201
    );
    r.send("DELETE", "/acr/v1/locked/_tags/v1", a, &[], None)
        .await
        .oci_error(405, "REGISTRY_DISALLOWED_OPERATION");
    r.send(
        "DELETE",
        &format!("/v2/locked/manifests/{d1}"),
        a,
        &[],
        None,
    )
    .await
    .oci_error(405, "REGISTRY_DISALLOWED_OPERATION");
    patch(
        "/acr/v1/locked/_tags/v1".into(),
        json!({"writeEnabled": true}),
    )
    .await;

    // Manifest delete lock: no delete, but updates (new tags) are fine.
    let m = patch(
        format!("/acr/v1/locked/_manifests/{d2}"),
        json!({"deleteEnabled": false}),
    )
    .await;
    assert_eq!(
        m.json()["manifest"]["changeableAttributes"]["deleteEnabled"],
        false
    );
    r.send(
        "DELETE",
        &format!("/v2/locked/manifests/{d2}"),
        a,
        &[],
        None,
    )
    .await
    .oci_error(405, "REGISTRY_DISALLOWED_OPERATION");
    retag(&r, a, "locked", &d2, "v10").await;
    patch(
        format!("/acr/v1/locked/_manifests/{d2}"),
        json!({"deleteEnabled": true}),
    )
    .await;

    // Read locks: the tag, then the manifest, then the repository.
    patch(
        "/acr/v1/locked/_tags/v1".into(),
        json!({"readEnabled": false}),
    )
    .await;
    r.get("/v2/locked/manifests/v1", a)
        .await
        .oci_error(405, "REGISTRY_DISALLOWED_OPERATION");
    assert_eq!(
        r.get(&format!("/v2/locked/manifests/{d1}"), a).await.status,
        200
    );
    patch(
        "/acr/v1/locked/_tags/v1".into(),
        json!({"readEnabled": true}),
    )
    .await;
    patch(
        format!("/acr/v1/locked/_manifests/{d1}"),
        json!({"readEnabled": false}),
    )
    .await;
    r.get("/v2/locked/manifests/v1", a)
        .await
        .oci_error(405, "REGISTRY_DISALLOWED_OPERATION");
    patch(
        format!("/acr/v1/locked/_manifests/{d1}"),
        json!({"readEnabled": true}),
    )
    .await;
    patch("/acr/v1/locked".into(), json!({"readEnabled": false})).await;
    r.get("/v2/locked/manifests/v2", a)
        .await
        .oci_error(405, "REGISTRY_DISALLOWED_OPERATION");
    r.get(&format!("/v2/locked/blobs/{}", sha256(b"layer of two")), a)
        .await
        .oci_error(405, "REGISTRY_DISALLOWED_OPERATION");
    patch("/acr/v1/locked".into(), json!({"readEnabled": true})).await;

    // List locks: hidden from listings, still there by name.
    patch(
        "/acr/v1/locked/_tags/v2".into(),
        json!({"listEnabled": false}),
    )
    .await;
    let tags = r.get("/v2/locked/tags/list", a).await.json()["tags"].clone();
    assert!(!tags.as_array().unwrap().contains(&json!("v2")), "{tags}");
    let acr_tags = r.get("/acr/v1/locked/_tags", a).await.json();
    assert!(
        acr_tags["tags"]
            .as_array()
            .unwrap()
            .iter()
            .all(|t| t["name"] != "v2")
    );
    assert_eq!(r.get("/acr/v1/locked/_tags/v2", a).await.status, 200);
    patch(
        format!("/acr/v1/locked/_manifests/{d1}"),
        json!({"listEnabled": false}),
    )
    .await;
    let ms = r.get("/acr/v1/locked/_manifests", a).await.json();
    assert!(
        ms["manifests"]
            .as_array()
            .unwrap()
            .iter()
            .all(|m| m["digest"] != d1.as_str())
    );
    r.push_image(a, "visible", "v1", "vis").await;
    patch("/acr/v1/locked".into(), json!({"listEnabled": false})).await;
    assert_eq!(
        r.get("/v2/_catalog", a).await.json(),
        json!({"repositories": ["visible"]})
    );
    assert_eq!(
        r.get("/acr/v1/locked", a).await.json()["changeableAttributes"]["listEnabled"],
        false
    );

    // PATCH bodies: booleans only; an empty body (az's update without flags) changes nothing.
    patch("/acr/v1/locked".into(), json!({"writeEnabled": "false"}))
        .await
        .oci_error(400, "BAD_REQUEST");
    let same = r
        .send(
            "GET",
            "/acr/v1/locked",
            a,
            &[("content-type", "application/json")],
            Some(b"{}".to_vec()),
        )
        .await;
    assert_eq!(same.status, 200);
    assert_shape("RepositoryAttributes", &same.json());
}

#[test]
#[should_panic(expected = "missing required 'tagCount'")]
fn the_shape_check_catches_missing_fields() {
    assert_shape(
        "RepositoryAttributes",
        &json!({"registry": "r", "imageName": "i", "createdTime": "t", "lastUpdateTime": "t", "manifestCount": 1,
            "changeableAttributes": {"deleteEnabled": true}}),
    );
}

#[test]
#[should_panic(expected = "unknown property 'colour'")]
fn the_shape_check_catches_unknown_fields() {
    assert_shape(
        "Repositories",
        &json!({"repositories": [], "colour": "red"}),
    );
}
