//! `GET|HEAD|PUT|DELETE /v2/<name>/manifests/<reference>`. A PUT is read whole (at most
//! 4 MiB, else 413), validated (`manifest_doc`), checked against the digest in the URL, and
//! stored with its tag in one transaction only when every referenced blob (and every child
//! of an index) is in the repository (`MANIFEST_BLOB_UNKNOWN` otherwise). A DELETE takes a
//! digest and removes every tag pointing at it, as ACR does.

use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::Ctx;
use super::auth::{Need, authorize};
use super::blobs::{db, parse_digest, refusal};
use super::error::OciError;
use super::manifest_doc::{self, MAX_MANIFEST_BYTES};
use super::path::valid_tag;
use super::scope::{DELETE, PULL, PUSH};
use super::uploads::{created, header_value};
use crate::emulator::store::blobs::{BlobStore, Digest};
use crate::emulator::store::{NewManifest, Refusal};

/// A tag or a digest, validated.
enum Reference {
    Tag(String),
    Digest(Digest),
}

fn reference(r: &str) -> Result<Reference, OciError> {
    if r.contains(':') {
        parse_digest(r)
            .map(Reference::Digest)
            .map_err(|_| OciError::digest_invalid("invalid digest"))
    } else if valid_tag(r) {
        Ok(Reference::Tag(r.to_string()))
    } else {
        Err(OciError::tag_invalid(r))
    }
}

fn manifest_refusal(r: Refusal, name: &str, reference: &str) -> OciError {
    match r {
        Refusal::ManifestUnknown | Refusal::TagUnknown => OciError::manifest_unknown(reference),
        Refusal::BlobUnknown(d) => OciError::manifest_blob_unknown(&d),
        other => refusal(other, name),
    }
}

pub async fn get(ctx: &Ctx, req: Request, name: &str, r: &str) -> Result<Response, OciError> {
    authorize(ctx, req.headers(), &[Need::repo(name, PULL)]).await?;
    reference(r)?;
    let (registry, repo, rf) = (ctx.registry.clone(), name.to_string(), r.to_string());
    let m = db(ctx, move |db| db.get_manifest(&registry, &repo, &rf))
        .await?
        .map_err(|e| manifest_refusal(e, name, r))?;
    let len = m.content.len();
    let mut resp = if req.method() == Method::HEAD {
        StatusCode::OK.into_response()
    } else {
        (StatusCode::OK, Body::from(m.content)).into_response()
    };
    let h = resp.headers_mut();
    h.insert(header::CONTENT_TYPE, header_value(&m.media_type)?);
    h.insert(header::CONTENT_LENGTH, HeaderValue::from(len));
    h.insert("Docker-Content-Digest", header_value(&m.digest)?);
    h.insert(header::ETAG, header_value(&format!("\"{}\"", m.digest))?);
    Ok(resp)
}

async fn read_body(req: Request) -> Result<(axum::http::request::Parts, Vec<u8>), OciError> {
    let too_big = || {
        OciError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "SIZE_INVALID",
            "manifest too big",
        )
    };
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > MAX_MANIFEST_BYTES) {
        return Err(too_big());
    }
    let (parts, body) = req.into_parts();
    let bytes = axum::body::to_bytes(body, MAX_MANIFEST_BYTES)
        .await
        .map_err(|_| too_big())?;
    Ok((parts, bytes.to_vec()))
}

pub async fn put(ctx: &Ctx, req: Request, name: &str, r: &str) -> Result<Response, OciError> {
    authorize(
        ctx,
        req.headers(),
        &[Need::repo(name, PULL), Need::repo(name, PUSH)],
    )
    .await?;
    let reference = reference(r)?;
    let (parts, body) = read_body(req).await?;
    let content_type = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok());
    let parsed = manifest_doc::parse(content_type, &body).map_err(OciError::manifest_invalid)?;
    let digest = Digest::of(&body);
    let tag = match &reference {
        Reference::Digest(d) if *d != digest => {
            return Err(
                OciError::digest_invalid("provided digest did not match uploaded content")
                    .with_detail(serde_json::json!({"digest": d.as_str()})),
            );
        }
        Reference::Digest(_) => None,
        Reference::Tag(t) => Some(t.clone()),
    };
    let mut facts = parsed.facts;
    if let (Some(config), Some(mt)) = (&parsed.config, &facts.config_media_type)
        && manifest_doc::is_image_config(mt)
        && let Some(config) = Digest::parse(config)
        && let Ok(Ok(Some(bytes))) = {
            // The config blob (at most 1 MiB is read) is on disk: read it off the runtime.
            let blobs = BlobStore::new(&ctx.state.data_dir);
            tokio::task::spawn_blocking(move || blobs.read_small(&config, 1 << 20)).await
        }
    {
        (facts.architecture, facts.os) = manifest_doc::platform_of_config(&bytes);
    }
    let subject = facts.subject.clone();
    let m = NewManifest {
        digest: digest.to_string(),
        content: body,
        facts,
        blobs: parsed.blobs,
        children: parsed.children,
    };
    let (registry, repo) = (ctx.registry.clone(), name.to_string());
    db(ctx, move |db| {
        db.put_manifest(&registry, &repo, m, tag.as_deref())
    })
    .await?
    .map_err(|e| manifest_refusal(e, name, r))?;
    let mut resp = created(&format!("/v2/{name}/manifests/{digest}"), &digest)?;
    if let Some(s) = subject {
        resp.headers_mut().insert("OCI-Subject", header_value(&s)?);
    }
    Ok(resp)
}

/// Only by digest: ACR deletes tags through `/acr/v1/{name}/_tags/{tag}`.
pub async fn delete(ctx: &Ctx, req: Request, name: &str, r: &str) -> Result<Response, OciError> {
    authorize(ctx, req.headers(), &[Need::repo(name, DELETE)]).await?;
    let Reference::Digest(d) = reference(r)? else {
        return Err(OciError::unsupported());
    };
    let (registry, repo, key) = (ctx.registry.clone(), name.to_string(), d.to_string());
    db(ctx, move |db| db.delete_manifest(&registry, &repo, &key))
        .await?
        .map_err(|e| manifest_refusal(e, name, r))?;
    let mut resp = StatusCode::ACCEPTED.into_response();
    resp.headers_mut()
        .insert(header::CONTENT_LENGTH, HeaderValue::from(0));
    Ok(resp)
}
