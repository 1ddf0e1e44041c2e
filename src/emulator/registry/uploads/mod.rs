//! Blob uploads: `POST /v2/<name>/blobs/uploads/` (a session; or the single-POST `?digest=`
//! form; or a cross-repository `?mount=&from=`), `PATCH` chunks in order (`Content-Range`,
//! 416 when out of order), `PUT ?digest=` to finish, `GET` for the progress, `DELETE` to
//! cancel. Sessions live in memory (the hash so far) beside their temporary file, which is
//! opened only while a request appends to it; they are capped per repository, per registry
//! and for the whole emulator (429 `TOOMANYREQUESTS` beyond) and expire after 15 idle
//! minutes. Bytes are hashed
//! as they are written, and nothing is visible until the digest matched and the file was
//! renamed into the blob store and linked to the repository.

use std::sync::Arc;
use std::time::Instant;

use axum::extract::Request;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use uuid::Uuid;

use super::Ctx;
use super::auth::{Caller, Need, authorize};
use super::blobs::{db, parse_digest, refusal};
use super::error::OciError;
use super::scope::{PULL, PUSH};
use crate::emulator::store::blobs::{AppendError, Digest, Upload};

mod sessions;
#[cfg(test)]
mod tests;

pub use sessions::{
    Budget, MAX_SESSIONS, MAX_SESSIONS_PER_REPOSITORY, MAX_SESSIONS_TOTAL, Sessions,
};
use sessions::{SESSION_TTL, Session};

fn needs(name: &str) -> [Need; 2] {
    [Need::repo(name, PULL), Need::repo(name, PUSH)]
}

fn query(req: &Request) -> Vec<(String, String)> {
    url::form_urlencoded::parse(req.uri().query().unwrap_or("").as_bytes())
        .into_owned()
        .collect()
}

fn param<'a>(q: &'a [(String, String)], key: &str) -> Option<&'a str> {
    q.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
}

fn location(name: &str, id: &Uuid) -> String {
    format!("/v2/{name}/blobs/uploads/{id}")
}

/// A header value for an answer; one that cannot be built is the emulator's fault (500).
pub(super) fn header_value(s: &str) -> Result<HeaderValue, OciError> {
    HeaderValue::from_str(s).map_err(OciError::internal)
}

/// `Range: 0-<last byte>` as distribution writes it (`0-0` for an empty upload).
fn range_value(size: u64) -> String {
    format!("0-{}", size.saturating_sub(1))
}

fn progress(status: StatusCode, name: &str, id: &Uuid, size: u64) -> Result<Response, OciError> {
    let mut resp = status.into_response();
    let h = resp.headers_mut();
    h.insert(header::LOCATION, header_value(&location(name, id))?);
    h.insert(header::RANGE, header_value(&range_value(size))?);
    h.insert("Docker-Upload-UUID", header_value(&id.to_string())?);
    h.insert(header::CONTENT_LENGTH, HeaderValue::from(0));
    Ok(resp)
}

/// `201 Created` for content stored at `location` (a blob here, a manifest in `manifests`).
pub(super) fn created(location: &str, digest: &Digest) -> Result<Response, OciError> {
    let mut resp = StatusCode::CREATED.into_response();
    let h = resp.headers_mut();
    h.insert(header::LOCATION, header_value(location)?);
    h.insert("Docker-Content-Digest", header_value(digest.as_str())?);
    h.insert(header::CONTENT_LENGTH, HeaderValue::from(0));
    Ok(resp)
}

fn append_error(e: AppendError) -> OciError {
    match e {
        AppendError::Body(m) => {
            OciError::upload_invalid(format!("the upload body could not be read: {m}"))
        }
        AppendError::Io(e) => OciError::internal(e),
    }
}

async fn writable(ctx: &Ctx, name: &str) -> Result<(), OciError> {
    let (registry, repo) = (ctx.registry.clone(), name.to_string());
    if db(ctx, move |db| db.repository_writable(&registry, &repo)).await? {
        Ok(())
    } else {
        Err(OciError::disallowed())
    }
}

/// Renames a finished upload into the blob store and links it to the repository.
async fn commit(
    ctx: &Ctx,
    name: &str,
    id: &Uuid,
    digest: &Digest,
    size: u64,
) -> Result<(), OciError> {
    if let Err(e) = ctx.blobs.commit_upload(id, digest) {
        ctx.blobs.discard_upload(id);
        return Err(OciError::internal(e));
    }
    let (registry, repo, key) = (ctx.registry.clone(), name.to_string(), digest.to_string());
    db(ctx, move |db| {
        db.link_blob(&registry, &repo, &key, size as i64)
    })
    .await?
    .map_err(|r| refusal(r, name))
}

fn new_session(ctx: &Ctx) -> Result<(Uuid, Upload), OciError> {
    for stale in ctx.uploads.expire(SESSION_TTL) {
        ctx.blobs.discard_upload(&stale);
    }
    let id = Uuid::new_v4();
    let upload = ctx.blobs.start_upload(&id).map_err(OciError::internal)?;
    Ok((id, upload))
}

/// `POST /v2/<name>/blobs/uploads/[?digest=…|?mount=…&from=…]`.
pub async fn start(ctx: &Ctx, req: Request, name: &str) -> Result<Response, OciError> {
    let caller = authorize(ctx, req.headers(), &needs(name)).await?;
    let q = query(&req);
    if let (Some(mount), Some(from)) = (param(&q, "mount"), param(&q, "from"))
        && let Some(done) = mount_blob(ctx, &caller, name, mount, from).await?
    {
        return Ok(done);
    }
    writable(ctx, name).await?;
    let (id, upload) = new_session(ctx)?;
    if let Some(digest) = param(&q, "digest") {
        // Single POST: the whole blob is the body.
        let digest = parse_digest(digest).inspect_err(|_| ctx.blobs.discard_upload(&id))?;
        let (upload, r) = ctx
            .blobs
            .append(&id, upload, req.into_body().into_data_stream())
            .await;
        if let Err(e) = r {
            ctx.blobs.discard_upload(&id);
            return Err(append_error(e));
        }
        return finish_with(ctx, name, &id, upload, &digest).await;
    }
    ctx.uploads
        .insert(
            id,
            Session {
                repo: name.to_string(),
                upload: Some(upload),
                touched: Instant::now(),
            },
        )
        .inspect_err(|_| ctx.blobs.discard_upload(&id))?;
    progress(StatusCode::ACCEPTED, name, &id, 0)
}

/// Cross-repository mount: 201 when `from` has the blob and the caller may pull from it;
/// `None` to fall back to a new upload session (202), as the distribution spec allows.
async fn mount_blob(
    ctx: &Ctx,
    caller: &Caller,
    name: &str,
    mount: &str,
    from: &str,
) -> Result<Option<Response>, OciError> {
    let Some(digest) = Digest::parse(mount) else {
        return Ok(None);
    };
    if !super::path::valid_name(from) || !caller.allows(&Need::repo(from, PULL)) {
        return Ok(None);
    }
    let (registry, repo, src, key) = (
        ctx.registry.clone(),
        name.to_string(),
        from.to_string(),
        digest.to_string(),
    );
    let mounted = db(ctx, move |db| db.mount_blob(&registry, &repo, &src, &key))
        .await?
        .map_err(|r| refusal(r, name))?;
    match mounted {
        Some(_) if ctx.blobs.exists(&digest) => Ok(Some(created(
            &format!("/v2/{name}/blobs/{digest}"),
            &digest,
        )?)),
        _ => Ok(None),
    }
}

/// Checks the digest of a complete upload and commits it; the session is gone either way.
async fn finish_with(
    ctx: &Ctx,
    name: &str,
    id: &Uuid,
    upload: Upload,
    digest: &Digest,
) -> Result<Response, OciError> {
    let (actual, size) = (upload.digest(), upload.size());
    drop(upload);
    if actual != *digest {
        ctx.blobs.discard_upload(id);
        return Err(
            OciError::digest_invalid("provided digest did not match uploaded content")
                .with_detail(serde_json::json!({"digest": digest.as_str()})),
        );
    }
    commit(ctx, name, id, digest, size).await?;
    created(&format!("/v2/{name}/blobs/{digest}"), digest)
}

fn session_id(id: &str) -> Result<Uuid, OciError> {
    Uuid::parse_str(id).map_err(|_| OciError::upload_unknown())
}

fn session(ctx: &Ctx, id: &Uuid) -> Result<Arc<tokio::sync::Mutex<Session>>, OciError> {
    ctx.uploads.get(id).ok_or_else(OciError::upload_unknown)
}

/// `Content-Range: <start>-<end>` (also `bytes <start>-<end>/<total>`): the start offset and
/// the chunk's length. A range whose length does not fit in a u64 (`0-18446744073709551615`)
/// is invalid, not an overflow (finding 5).
fn range_start(headers: &HeaderMap) -> Result<Option<(u64, u64)>, OciError> {
    let Some(v) = headers.get(header::CONTENT_RANGE) else {
        return Ok(None);
    };
    let invalid = || OciError::upload_invalid("invalid Content-Range");
    let s = v.to_str().map_err(|_| invalid())?.trim();
    let s = s
        .strip_prefix("bytes")
        .map(|r| r.trim_start_matches(['=', ' ']))
        .unwrap_or(s);
    let s = s.split('/').next().unwrap_or(s);
    let (a, b) = s.split_once('-').ok_or_else(invalid)?;
    let a: u64 = a.trim().parse().map_err(|_| invalid())?;
    let b: u64 = b.trim().parse().map_err(|_| invalid())?;
    let len = b
        .checked_sub(a)
        .and_then(|d| d.checked_add(1))
        .ok_or_else(invalid)?;
    Ok(Some((a, len)))
}

/// Appends the request body to the session, enforcing order. Returns the new size.
async fn append(
    ctx: &Ctx,
    name: &str,
    id: &Uuid,
    s: &mut Session,
    req: Request,
) -> Result<u64, OciError> {
    let Some(upload) = s.upload.take() else {
        return Err(OciError::upload_unknown());
    };
    let size = upload.size();
    let range = range_start(req.headers());
    let range = match range {
        Ok(r) => r,
        Err(e) => {
            s.upload = Some(upload);
            return Err(e);
        }
    };
    if let Some((start, _)) = range
        && start != size
    {
        s.upload = Some(upload);
        return Err(OciError::new(
            StatusCode::RANGE_NOT_SATISFIABLE,
            "BLOB_UPLOAD_INVALID",
            "content range is out of order",
        )
        .with_header("Location", location(name, id))
        .with_header("Range", range_value(size))
        .with_header("Docker-Upload-UUID", id.to_string()));
    }
    let (upload, r) = ctx
        .blobs
        .append(id, upload, req.into_body().into_data_stream())
        .await;
    match r {
        Ok(n) => {
            if let Some((_, len)) = range
                && n != len
            {
                ctx.uploads.remove(id);
                ctx.blobs.discard_upload(id);
                return Err(OciError::upload_invalid(
                    "the chunk's length does not match its Content-Range",
                ));
            }
            let size = upload.size();
            s.upload = Some(upload);
            s.touched = Instant::now();
            Ok(size)
        }
        Err(e) => {
            ctx.uploads.remove(id);
            ctx.blobs.discard_upload(id);
            Err(append_error(e))
        }
    }
}

/// `PATCH <location>`: one more chunk.
pub async fn patch(ctx: &Ctx, req: Request, name: &str, id: &str) -> Result<Response, OciError> {
    authorize(ctx, req.headers(), &needs(name)).await?;
    let id = session_id(id)?;
    let s = session(ctx, &id)?;
    let mut s = s.lock().await;
    if s.repo != name {
        return Err(OciError::upload_unknown());
    }
    let size = append(ctx, name, &id, &mut s, req).await?;
    progress(StatusCode::ACCEPTED, name, &id, size)
}

/// `PUT <location>?digest=…`, with an optional last chunk.
pub async fn finish(ctx: &Ctx, req: Request, name: &str, id: &str) -> Result<Response, OciError> {
    authorize(ctx, req.headers(), &needs(name)).await?;
    let id = session_id(id)?;
    let q = query(&req);
    let s = session(ctx, &id)?;
    let mut s = s.lock().await;
    if s.repo != name {
        return Err(OciError::upload_unknown());
    }
    let digest = parse_digest(param(&q, "digest").unwrap_or_default())?;
    append(ctx, name, &id, &mut s, req).await?;
    let Some(upload) = s.upload.take() else {
        return Err(OciError::upload_unknown());
    };
    ctx.uploads.remove(&id);
    finish_with(ctx, name, &id, upload, &digest).await
}

/// `GET <location>`: how much arrived.
pub async fn status(ctx: &Ctx, req: Request, name: &str, id: &str) -> Result<Response, OciError> {
    authorize(ctx, req.headers(), &needs(name)).await?;
    let id = session_id(id)?;
    let s = session(ctx, &id)?;
    let s = s.lock().await;
    match &s.upload {
        Some(u) if s.repo == name => progress(StatusCode::NO_CONTENT, name, &id, u.size()),
        _ => Err(OciError::upload_unknown()),
    }
}

/// `DELETE <location>`: cancel.
pub async fn cancel(ctx: &Ctx, req: Request, name: &str, id: &str) -> Result<Response, OciError> {
    authorize(ctx, req.headers(), &needs(name)).await?;
    let id = session_id(id)?;
    let s = session(ctx, &id)?;
    let mut s = s.lock().await;
    if s.repo != name || s.upload.is_none() {
        return Err(OciError::upload_unknown());
    }
    s.upload = None;
    ctx.uploads.remove(&id);
    ctx.blobs.discard_upload(&id);
    let mut resp = StatusCode::NO_CONTENT.into_response();
    resp.headers_mut()
        .insert(header::CONTENT_LENGTH, HeaderValue::from(0));
    Ok(resp)
}
