//! ACR's metadata API, `/acr/v1/…`, with the 2021-07-01 data-plane swagger's shapes:
//! repository attributes (GET/PATCH/DELETE), tags (list with `orderby`, `n`, `last`, `digest`
//! and `Link` paging; GET/PATCH/DELETE one), manifests (list; GET/PATCH one). Reads need
//! `metadata_read`, PATCHes `metadata_write`, deletes `delete` (what az requests, rest-api.md
//! §15). Timestamps as ACR writes them: `2024-01-01T00:00:00.0000000Z`.

use axum::Json;
use axum::extract::Request;
use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::Ctx;
use super::auth::{Need, authorize};
use super::blobs::{db, refusal};
use super::error::OciError;
use super::listing::{MAX_PAGE, PageQuery, link, page, page_query, with_link};
use super::path::valid_tag;
use super::scope::{DELETE, METADATA_READ, METADATA_WRITE};
use crate::emulator::store::blobs::Digest;
use crate::emulator::store::{Flags, FlagsPatch, ManifestInfo, Refusal, RepositoryInfo, TagInfo};

/// `2026-11-23T19:08:49.8634840+00:00` (the store's form) → `2026-11-23T19:08:49.8634840Z`.
pub fn acr_time(t: &str) -> String {
    match t.strip_suffix("+00:00") {
        Some(s) => format!("{s}Z"),
        None => t.to_string(),
    }
}

fn attributes(f: &Flags) -> Value {
    json!({"deleteEnabled": f.delete, "writeEnabled": f.write, "readEnabled": f.read, "listEnabled": f.list})
}

fn repository_json(host: &str, r: &RepositoryInfo) -> Value {
    json!({
        "registry": host,
        "imageName": r.name,
        "createdTime": acr_time(&r.created_at),
        "lastUpdateTime": acr_time(&r.modified_at),
        "manifestCount": r.manifest_count,
        "tagCount": r.tag_count,
        "changeableAttributes": attributes(&r.flags),
    })
}

fn tag_json(t: &TagInfo) -> Value {
    json!({
        "name": t.name,
        "digest": t.digest,
        "createdTime": acr_time(&t.created_at),
        "lastUpdateTime": acr_time(&t.modified_at),
        "signed": false,
        "changeableAttributes": attributes(&t.flags),
    })
}

#[allow(
    clippy::indexing_slicing,
    reason = "IndexMut only on an object built here by json!({…})"
)]
fn manifest_json(m: &ManifestInfo) -> Value {
    let mut v = json!({
        "digest": m.digest,
        "imageSize": m.facts.image_size,
        "createdTime": acr_time(&m.created_at),
        "lastUpdateTime": acr_time(&m.modified_at),
        "mediaType": m.facts.media_type,
        "tags": m.tags,
        "changeableAttributes": attributes(&m.flags),
    });
    if let Some(a) = &m.facts.architecture {
        v["architecture"] = json!(a);
    }
    if let Some(o) = &m.facts.os {
        v["os"] = json!(o);
    }
    if let Some(c) = &m.facts.config_media_type {
        v["configMediaType"] = json!(c);
    }
    if !m.facts.references.is_empty() {
        v["references"] = json!(m.facts.references);
    }
    v
}

/// The members of the 2021-07-01 data-plane swagger's `RepositoryChangeableAttributes`,
/// `TagChangeableAttributes` and `ManifestChangeableAttributes`: what a PATCH body sets (other
/// members are ignored; the swagger does not close the model). Checked against the swagger in
/// the tests below.
pub(crate) const CHANGEABLE_ATTRIBUTES: [&str; 4] = [
    "deleteEnabled",
    "writeEnabled",
    "listEnabled",
    "readEnabled",
];

/// A PATCH body: only the four changeable flags, as booleans.
fn flags_patch(body: &[u8]) -> Result<FlagsPatch, OciError> {
    let bad = |m: String| OciError::new(StatusCode::BAD_REQUEST, "BAD_REQUEST", m);
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(FlagsPatch::default());
    }
    let v: Value = serde_json::from_slice(body)
        .map_err(|e| bad(format!("The request body is not valid JSON: {e}")))?;
    let o = v
        .as_object()
        .ok_or_else(|| bad("The request body must be a JSON object.".into()))?;
    let flag = |k: &str| -> Result<Option<bool>, OciError> {
        match o.get(k) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(other) => Err(bad(format!("'{k}' must be a boolean, not {other}."))),
        }
    };
    let [delete, write, list, read] = CHANGEABLE_ATTRIBUTES;
    Ok(FlagsPatch {
        delete: flag(delete)?,
        write: flag(write)?,
        list: flag(list)?,
        read: flag(read)?,
    })
}

async fn body_bytes(req: Request) -> Result<Vec<u8>, OciError> {
    axum::body::to_bytes(req.into_body(), 64 << 10)
        .await
        .map(|b| b.to_vec())
        .map_err(|_| {
            OciError::new(
                StatusCode::BAD_REQUEST,
                "BAD_REQUEST",
                "The request body is too large.",
            )
        })
}

fn need(name: &str, method: &Method) -> Result<Need, OciError> {
    match *method {
        Method::GET => Ok(Need::repo(name, METADATA_READ)),
        Method::PATCH => Ok(Need::repo(name, METADATA_WRITE)),
        Method::DELETE => Ok(Need::repo(name, DELETE)),
        _ => Err(OciError::unsupported()),
    }
}

/// `GET|PATCH|DELETE /acr/v1/{name}`.
pub async fn repository(ctx: &Ctx, req: Request, name: &str) -> Result<Response, OciError> {
    let method = req.method().clone();
    authorize(ctx, req.headers(), &[need(name, &method)?]).await?;
    let host = ctx.host(req.headers());
    let (registry, repo) = (ctx.registry.clone(), name.to_string());
    let store = &ctx.state.store;
    match method {
        Method::GET => {
            let r = store
                .run(move |db| db.repository(&registry, &repo))
                .await
                .map_err(OciError::internal)?;
            Ok(Json(repository_json(&host, &r.map_err(|e| refusal(e, name))?)).into_response())
        }
        Method::PATCH => {
            let patch = flags_patch(&body_bytes(req).await?)?;
            let r = store
                .run(move |db| db.patch_repository(&registry, &repo, patch))
                .await
                .map_err(OciError::internal)?;
            Ok(Json(repository_json(&host, &r.map_err(|e| refusal(e, name))?)).into_response())
        }
        _ => {
            let gone = store
                .run(move |db| db.delete_repository(&registry, &repo))
                .await
                .map_err(OciError::internal)?;
            let gone = gone.map_err(|e| refusal(e, name))?;
            Ok((
                StatusCode::ACCEPTED,
                Json(json!({"manifestsDeleted": gone.manifests, "tagsDeleted": gone.tags})),
            )
                .into_response())
        }
    }
}

/// `GET /acr/v1/{name}/_tags[?n=&last=&orderby=&digest=]`.
pub async fn tags(ctx: &Ctx, req: Request, name: &str) -> Result<Response, OciError> {
    authorize(ctx, req.headers(), &[Need::repo(name, METADATA_READ)]).await?;
    let q = page_query(&req, Some(100))?;
    let host = ctx.host(req.headers());
    let (registry, repo) = (ctx.registry.clone(), name.to_string());
    let all = db(ctx, move |db| db.tags(&registry, &repo)).await?;
    let mut all: Vec<TagInfo> = all
        .map_err(|e| refusal(e, name))?
        .into_iter()
        .filter(|t| t.flags.list)
        .collect();
    if let Some(d) = &q.digest {
        all.retain(|t| &t.digest == d);
    }
    Ok(listing(
        all,
        &q,
        (host, name),
        "tags",
        |t| (&t.modified_at, &t.name),
        tag_json,
    ))
}

/// One page of `/acr/v1/{name}/_{kind}` (`_tags` or `_manifests`): ordered by name, or by
/// time for `orderby=timedesc|timeasc`; `key` gives an item's time and its name (the paging
/// key); the answer is `{"registry", "imageName", kind: [...]}` with a `Link` to the next page.
#[allow(
    clippy::indexing_slicing,
    reason = "IndexMut only on an object built here by json!({…})"
)]
fn listing<T>(
    mut items: Vec<T>,
    q: &PageQuery,
    (host, name): (String, &str),
    kind: &str,
    key: impl Fn(&T) -> (&String, &String),
    render: impl Fn(&T) -> Value,
) -> Response {
    let by_name = sort_by_time(&mut items, q.orderby.as_deref(), &key);
    let (page, next) = page(items, |t| key(t).1.as_str(), q, by_name);
    let link = next.map(|l| {
        link(
            &format!("/acr/v1/{name}/_{kind}"),
            &l,
            q.n.unwrap_or(MAX_PAGE),
            q.orderby.as_deref().or(Some("")),
        )
    });
    let mut body = json!({"registry": host, "imageName": name});
    body[kind] = page.iter().map(render).collect();
    with_link(Json(body).into_response(), link)
}

/// Sorts by `lastUpdateTime` for `orderby=timedesc|timeasc` (ties by name); returns whether
/// the order is by name (the default, kept as it is).
fn sort_by_time<T>(
    items: &mut [T],
    orderby: Option<&str>,
    key: impl Fn(&T) -> (&String, &String),
) -> bool {
    match orderby {
        Some("timedesc") => {
            items.sort_by(|a, b| key(b).cmp(&key(a)));
            false
        }
        Some("timeasc") => {
            items.sort_by(|a, b| key(a).cmp(&key(b)));
            false
        }
        _ => true,
    }
}

/// `GET|PATCH|DELETE /acr/v1/{name}/_tags/{tag}`.
pub async fn tag(ctx: &Ctx, req: Request, name: &str, tag: &str) -> Result<Response, OciError> {
    let method = req.method().clone();
    authorize(ctx, req.headers(), &[need(name, &method)?]).await?;
    if !valid_tag(tag) {
        return Err(OciError::tag_unknown(tag));
    }
    let host = ctx.host(req.headers());
    let (registry, repo, t) = (ctx.registry.clone(), name.to_string(), tag.to_string());
    let store = &ctx.state.store;
    let refused = |e: Refusal| match e {
        Refusal::TagUnknown => OciError::tag_unknown(tag),
        other => refusal(other, name),
    };
    let found = match method {
        Method::GET => store.run(move |db| db.tag(&registry, &repo, &t)).await,
        Method::PATCH => {
            let patch = flags_patch(&body_bytes(req).await?)?;
            store
                .run(move |db| db.patch_tag(&registry, &repo, &t, patch))
                .await
        }
        _ => {
            store
                .run(move |db| db.delete_tag(&registry, &repo, &t))
                .await
                .map_err(OciError::internal)?
                .map_err(refused)?;
            return Ok(StatusCode::ACCEPTED.into_response());
        }
    };
    let t = found.map_err(OciError::internal)?.map_err(refused)?;
    Ok(Json(json!({"registry": host, "imageName": name, "tag": tag_json(&t)})).into_response())
}

/// `GET /acr/v1/{name}/_manifests[?n=&last=&orderby=]`.
pub async fn manifests(ctx: &Ctx, req: Request, name: &str) -> Result<Response, OciError> {
    authorize(ctx, req.headers(), &[Need::repo(name, METADATA_READ)]).await?;
    let q = page_query(&req, Some(100))?;
    let host = ctx.host(req.headers());
    let (registry, repo) = (ctx.registry.clone(), name.to_string());
    let all = db(ctx, move |db| db.manifests(&registry, &repo)).await?;
    let all: Vec<ManifestInfo> = all
        .map_err(|e| refusal(e, name))?
        .into_iter()
        .filter(|m| m.flags.list)
        .collect();
    Ok(listing(
        all,
        &q,
        (host, name),
        "manifests",
        |m| (&m.modified_at, &m.digest),
        manifest_json,
    ))
}

/// `GET|PATCH /acr/v1/{name}/_manifests/{digest}`.
pub async fn manifest(
    ctx: &Ctx,
    req: Request,
    name: &str,
    digest: &str,
) -> Result<Response, OciError> {
    let method = req.method().clone();
    if method == Method::DELETE {
        return Err(OciError::unsupported());
    }
    authorize(ctx, req.headers(), &[need(name, &method)?]).await?;
    let unknown = || {
        OciError::new(
            StatusCode::NOT_FOUND,
            "MANIFEST_UNKNOWN",
            "manifest unknown",
        )
        .with_detail(json!({"Digest": digest}))
    };
    if Digest::parse(digest).is_none() {
        return Err(unknown());
    }
    let host = ctx.host(req.headers());
    let (registry, repo, d) = (ctx.registry.clone(), name.to_string(), digest.to_string());
    let store = &ctx.state.store;
    let found = match method {
        Method::GET => store.run(move |db| db.manifest(&registry, &repo, &d)).await,
        _ => {
            let patch = flags_patch(&body_bytes(req).await?)?;
            store
                .run(move |db| db.patch_manifest(&registry, &repo, &d, patch))
                .await
        }
    };
    let m = found.map_err(OciError::internal)?.map_err(|e| match e {
        Refusal::ManifestUnknown => unknown(),
        other => refusal(other, name),
    })?;
    Ok(
        Json(json!({"registry": host, "imageName": name, "manifest": manifest_json(&m)}))
            .into_response(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn acr_timestamps_end_in_z() {
        assert_eq!(
            acr_time("2024-01-01T00:00:00.0000000+00:00"),
            "2024-01-01T00:00:00.0000000Z"
        );
    }

    #[test]
    fn patch_bodies() {
        assert_eq!(flags_patch(b"").unwrap(), FlagsPatch::default());
        assert_eq!(flags_patch(b"{}").unwrap(), FlagsPatch::default());
        assert_eq!(
            flags_patch(
                br#"{"writeEnabled": false, "readEnabled": true, "teleportEnabled": true}"#
            )
            .unwrap(),
            FlagsPatch {
                write: Some(false),
                read: Some(true),
                ..Default::default()
            }
        );
        assert!(flags_patch(br#"{"writeEnabled": "false"}"#).is_err());
        assert!(flags_patch(b"[1]").is_err());
    }

    #[test]
    fn changeable_attributes_are_the_swaggers() {
        let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/data/azure-specs/dataplane-2021-07-01/containerregistry.json");
        let swagger: Value = serde_json::from_slice(&std::fs::read(p).unwrap()).unwrap();
        let mut ours: Vec<&str> = CHANGEABLE_ATTRIBUTES.to_vec();
        ours.sort_unstable();
        for model in [
            "RepositoryChangeableAttributes",
            "TagChangeableAttributes",
            "ManifestChangeableAttributes",
        ] {
            let props = swagger["definitions"][model]["properties"]
                .as_object()
                .unwrap();
            let mut theirs: Vec<&str> = props.keys().map(String::as_str).collect();
            theirs.sort_unstable();
            assert_eq!(ours, theirs, "{model}");
            assert!(props.values().all(|p| p["type"] == "boolean"), "{model}");
        }
    }
}
