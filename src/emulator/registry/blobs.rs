//! `HEAD|GET /v2/<name>/blobs/<digest>` (whole or one `Range`, streamed from disk) and
//! `DELETE /v2/<name>/blobs/<digest>` (the repository stops seeing the blob; the bytes go at
//! the next start-up's garbage collection if no repository sees them).

use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::Ctx;
use super::auth::{Need, authorize};
use super::error::OciError;
use super::scope::{DELETE, PULL};
use crate::emulator::store::blobs::Digest;
use crate::emulator::store::{Db, Refusal, StoreResult};

/// A digest in a URL: ours (`sha256:<hex>`), or 400 `DIGEST_INVALID`; a well-formed digest of
/// another algorithm is simply not here.
pub fn parse_digest(s: &str) -> Result<Digest, OciError> {
    if let Some(d) = Digest::parse(s) {
        return Ok(d);
    }
    let well_formed = s.split_once(':').is_some_and(|(alg, hex)| {
        alg != "sha256"
            && !alg.is_empty()
            && alg
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"+._-".contains(&b))
            && !hex.is_empty()
            && hex
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"=_-".contains(&b))
    });
    if well_formed {
        Err(OciError::blob_unknown(s))
    } else {
        Err(OciError::digest_invalid("invalid digest"))
    }
}

/// Runs one store call for a request; a store failure is a 500 (a refusal stays for the
/// handler to word).
pub async fn db<T, F>(ctx: &Ctx, f: F) -> Result<T, OciError>
where
    T: Send + 'static,
    F: FnOnce(&mut Db) -> StoreResult<T> + Send + 'static,
{
    ctx.state.store.run(f).await.map_err(OciError::internal)
}

pub fn refusal(r: Refusal, name: &str) -> OciError {
    match r {
        Refusal::NameUnknown => OciError::name_unknown(name),
        Refusal::ManifestUnknown => OciError::new(
            StatusCode::NOT_FOUND,
            "MANIFEST_UNKNOWN",
            "manifest unknown",
        ),
        Refusal::TagUnknown => OciError::new(
            StatusCode::NOT_FOUND,
            "TAG_UNKNOWN",
            "the specified tag does not exist",
        ),
        Refusal::BlobUnknown(d) => OciError::blob_unknown(&d),
        Refusal::Disallowed => OciError::disallowed(),
    }
}

/// A single byte range of `size` bytes: `bytes=a-b`, `bytes=a-`, `bytes=-n`. `None`: not
/// satisfiable (416).
pub fn parse_range(value: &str, size: u64) -> Option<(u64, u64)> {
    let spec = value.trim().strip_prefix("bytes=")?;
    if spec.contains(',') {
        return None;
    }
    let (a, b) = spec.split_once('-')?;
    let (a, b) = (a.trim(), b.trim());
    let last = size.checked_sub(1)?;
    let (start, end) = if a.is_empty() {
        let n: u64 = b.parse().ok().filter(|n| *n > 0)?;
        (size.saturating_sub(n), last)
    } else {
        let start: u64 = a.parse().ok()?;
        let end = if b.is_empty() {
            last
        } else {
            b.parse::<u64>().ok()?.min(last)
        };
        (start, end)
    };
    (start < size && start <= end).then_some((start, end))
}

pub async fn get(ctx: &Ctx, req: Request, name: &str, digest: &str) -> Result<Response, OciError> {
    authorize(ctx, req.headers(), &[Need::repo(name, PULL)]).await?;
    let d = parse_digest(digest)?;
    let (registry, repo, key) = (ctx.registry.clone(), name.to_string(), d.to_string());
    let size = db(ctx, move |db| db.blob(&registry, &repo, &key)).await?;
    let size = size.map_err(|r| refusal(r, name))? as u64;
    if !ctx.blobs.exists(&d) {
        return Err(OciError::blob_unknown(digest));
    }
    let range = req
        .headers()
        .get(header::RANGE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let (status, start, end) = match range {
        None => (StatusCode::OK, 0, size.saturating_sub(1)),
        Some(r) => match parse_range(&r, size) {
            Some((s, e)) => (StatusCode::PARTIAL_CONTENT, s, e),
            None => {
                return Err(OciError::new(
                    StatusCode::RANGE_NOT_SATISFIABLE,
                    "BLOB_UNKNOWN",
                    "requested range not satisfiable",
                )
                .with_header("Content-Range", format!("bytes */{size}")));
            }
        },
    };
    // parse_range keeps start <= end < size; checked all the same, the bounds come from a header.
    let len = match end.checked_sub(start).and_then(|d| d.checked_add(1)) {
        Some(len) if size != 0 => len,
        _ => 0,
    };
    let mut resp = if req.method() == Method::HEAD || len == 0 {
        status.into_response()
    } else {
        let stream = ctx
            .blobs
            .read_range(&d, start, len)
            .map_err(OciError::internal)?;
        (status, Body::from_stream(stream)).into_response()
    };
    let h = resp.headers_mut();
    h.insert(header::CONTENT_LENGTH, HeaderValue::from(len));
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/octet-stream"),
    );
    h.insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
    h.insert(
        header::ETAG,
        HeaderValue::from_str(&format!("\"{d}\"")).map_err(OciError::internal)?,
    );
    h.insert(
        "Docker-Content-Digest",
        HeaderValue::from_str(d.as_str()).map_err(OciError::internal)?,
    );
    if status == StatusCode::PARTIAL_CONTENT {
        h.insert(
            header::CONTENT_RANGE,
            HeaderValue::from_str(&format!("bytes {start}-{end}/{size}"))
                .map_err(OciError::internal)?,
        );
    }
    Ok(resp)
}

pub async fn delete(
    ctx: &Ctx,
    req: Request,
    name: &str,
    digest: &str,
) -> Result<Response, OciError> {
    authorize(ctx, req.headers(), &[Need::repo(name, DELETE)]).await?;
    let d = parse_digest(digest)?;
    let (registry, repo, key) = (ctx.registry.clone(), name.to_string(), d.to_string());
    db(ctx, move |db| db.unlink_blob(&registry, &repo, &key))
        .await?
        .map_err(|r| refusal(r, name))?;
    let mut resp = StatusCode::ACCEPTED.into_response();
    resp.headers_mut()
        .insert(header::CONTENT_LENGTH, HeaderValue::from(0));
    resp.headers_mut().insert(
        "Docker-Content-Digest",
        HeaderValue::from_str(d.as_str()).map_err(OciError::internal)?,
    );
    Ok(resp)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges() {
        assert_eq!(parse_range("bytes=0-9", 100), Some((0, 9)));
        assert_eq!(parse_range("bytes=90-", 100), Some((90, 99)));
        assert_eq!(parse_range("bytes=-10", 100), Some((90, 99)));
        assert_eq!(parse_range("bytes=-1000", 100), Some((0, 99)));
        assert_eq!(parse_range("bytes=50-1000", 100), Some((50, 99)));
        assert_eq!(parse_range("bytes=100-", 100), None);
        assert_eq!(parse_range("bytes=5-4", 100), None);
        assert_eq!(parse_range("bytes=0-1,5-6", 100), None);
        assert_eq!(parse_range("items=0-1", 100), None);
        assert_eq!(parse_range("bytes=0-0", 0), None);
    }

    #[test]
    fn digests_in_urls() {
        assert!(parse_digest(&format!("sha256:{}", "0".repeat(64))).is_ok());
        assert_eq!(
            parse_digest(&format!("sha512:{}", "0".repeat(128)))
                .unwrap_err()
                .code,
            "BLOB_UNKNOWN"
        );
        assert_eq!(parse_digest("nonsense").unwrap_err().code, "DIGEST_INVALID");
        assert_eq!(
            parse_digest("sha256:../x").unwrap_err().code,
            "DIGEST_INVALID"
        );
    }
}
