//! Listings on the distribution API: `GET /v2/_catalog` (and ACR's `/acr/v1/_catalog`),
//! `GET /v2/<name>/tags/list` and the referrers API, with `n`/`last` paging and a `Link`
//! header whose query, applied to the same path, gives the next page (az reuses only the
//! link's query). Entries whose `listEnabled` is false are left out, as ACR does.
//!
//! On ACR, listing tags is metadata: it needs `metadata_read`, not `pull` (Azure/acr#600 and
//! #676; Harbor and Renovate had to request `metadata_read` for `/v2/<name>/tags/list` with
//! ACR tokens, goharbor/harbor#16947, renovatebot/renovate#14711). The catalog needs
//! `registry:catalog:*`, which only registry-wide rights grant.

use axum::Json;
use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::Ctx;
use super::auth::{Need, authorize};
use super::blobs::{db, parse_digest, refusal};
use super::error::OciError;
use super::manifest_doc::OCI_INDEX;
use super::scope::{METADATA_READ, PULL};
use crate::emulator::store::ManifestInfo;

/// The most entries one page returns, whatever `n` asks.
pub const MAX_PAGE: usize = 1000;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Api {
    V2,
    Acr,
}

/// `n` and `last` of a list request. `n` absent: `default` (None = everything).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PageQuery {
    pub n: Option<usize>,
    pub last: Option<String>,
    pub orderby: Option<String>,
    pub digest: Option<String>,
}

pub fn page_query(req: &Request, default: Option<usize>) -> Result<PageQuery, OciError> {
    let q: Vec<(String, String)> =
        url::form_urlencoded::parse(req.uri().query().unwrap_or("").as_bytes())
            .into_owned()
            .collect();
    let get = |k: &str| {
        q.iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.clone())
            .filter(|v| !v.is_empty())
    };
    let n = match get("n") {
        None => default,
        Some(v) => Some(
            v.parse::<usize>()
                .map_err(|_| OciError::pagination_invalid())?,
        ),
    };
    Ok(PageQuery {
        n: n.map(|n| n.min(MAX_PAGE)),
        last: get("last"),
        orderby: get("orderby"),
        digest: get("digest"),
    })
}

/// One page of `items` (already in order) after the entry named `last`, and the name to put
/// in the next page's `last` when more remain. When `last` is not an entry, a listing in
/// name order continues after it lexically; a listing in another order ends.
pub fn page<T>(
    items: Vec<T>,
    name: impl Fn(&T) -> &str,
    q: &PageQuery,
    by_name: bool,
) -> (Vec<T>, Option<String>) {
    let start = match &q.last {
        None => 0,
        Some(last) => match items.iter().position(|i| name(i) == last) {
            Some(p) => p.saturating_add(1),
            None if by_name => items
                .iter()
                .position(|i| name(i) > last.as_str())
                .unwrap_or(items.len()),
            None => items.len(),
        },
    };
    let mut rest: Vec<T> = items.into_iter().skip(start).collect();
    let n = q.n.unwrap_or(usize::MAX);
    if rest.len() > n {
        rest.truncate(n);
        let next = rest.last().map(|i| name(i).to_string());
        (rest, next)
    } else {
        (rest, None)
    }
}

/// `Link: <path?last=…&n=…[&orderby=…]>; rel="next"`.
pub fn link(path: &str, last: &str, n: usize, orderby: Option<&str>) -> String {
    let mut q = url::form_urlencoded::Serializer::new(String::new());
    q.append_pair("last", last);
    q.append_pair("n", &n.to_string());
    if let Some(o) = orderby {
        q.append_pair("orderby", o);
    }
    format!("<{path}?{}>; rel=\"next\"", q.finish())
}

pub fn with_link(mut resp: Response, link: Option<String>) -> Response {
    if let Some(l) = link.and_then(|l| HeaderValue::from_str(&l).ok()) {
        resp.headers_mut().insert(header::LINK, l);
    }
    resp
}

/// `GET /v2/_catalog` and `GET /acr/v1/_catalog`.
pub async fn catalog(ctx: &Ctx, req: Request, api: Api) -> Result<Response, OciError> {
    authorize(ctx, req.headers(), &[Need::catalog()]).await?;
    let q = page_query(&req, if api == Api::Acr { Some(100) } else { None })?;
    let registry = ctx.registry.clone();
    let all = db(ctx, move |db| db.catalog(&registry)).await?;
    let names: Vec<String> = all
        .into_iter()
        .filter(|(_, listed)| *listed)
        .map(|(n, _)| n)
        .collect();
    let (names, next) = page(names, |s| s.as_str(), &q, true);
    let path = if api == Api::Acr {
        "/acr/v1/_catalog"
    } else {
        "/v2/_catalog"
    };
    let link = next.map(|l| link(path, &l, q.n.unwrap_or(MAX_PAGE), Some("")));
    Ok(with_link(
        Json(json!({"repositories": names})).into_response(),
        link,
    ))
}

/// `GET /v2/<name>/tags/list[?n=&last=]`, tags in lexical order.
pub async fn tags(ctx: &Ctx, req: Request, name: &str) -> Result<Response, OciError> {
    authorize(ctx, req.headers(), &[Need::repo(name, METADATA_READ)]).await?;
    let q = page_query(&req, None)?;
    let (registry, repo) = (ctx.registry.clone(), name.to_string());
    let tags = db(ctx, move |db| db.tags(&registry, &repo))
        .await?
        .map_err(|r| refusal(r, name))?;
    let names: Vec<String> = tags
        .into_iter()
        .filter(|t| t.flags.list)
        .map(|t| t.name)
        .collect();
    let (names, next) = page(names, |s| s.as_str(), &q, true);
    let link = next.map(|l| {
        link(
            &format!("/v2/{name}/tags/list"),
            &l,
            q.n.unwrap_or(MAX_PAGE),
            None,
        )
    });
    Ok(with_link(
        Json(json!({"name": name, "tags": names})).into_response(),
        link,
    ))
}

/// The descriptor of a referrer: `artifactType` is the manifest's, else its config's
/// media type (distribution spec v1.1).
#[allow(
    clippy::indexing_slicing,
    reason = "IndexMut only on an object built here by json!({…})"
)]
fn referrer(m: &ManifestInfo) -> Value {
    let mut d = json!({"mediaType": m.facts.media_type, "digest": m.digest, "size": m.size});
    if let Some(t) = m
        .facts
        .artifact_type
        .as_ref()
        .or(m.facts.config_media_type.as_ref())
    {
        d["artifactType"] = json!(t);
    }
    if let Some(a) = m
        .facts
        .annotations
        .as_deref()
        .and_then(|a| serde_json::from_str::<Value>(a).ok())
    {
        d["annotations"] = a;
    }
    d
}

/// `GET /v2/<name>/referrers/<digest>[?artifactType=…]`: an OCI index of the manifests whose
/// `subject` is the digest (an empty one when there are none).
pub async fn referrers(
    ctx: &Ctx,
    req: Request,
    name: &str,
    digest: &str,
) -> Result<Response, OciError> {
    authorize(ctx, req.headers(), &[Need::repo(name, PULL)]).await?;
    let d = parse_digest(digest).map_err(|_| OciError::digest_invalid("invalid digest"))?;
    let filter: Option<String> =
        url::form_urlencoded::parse(req.uri().query().unwrap_or("").as_bytes())
            .find(|(k, _)| k == "artifactType")
            .map(|(_, v)| v.into_owned());
    let (registry, repo, key) = (ctx.registry.clone(), name.to_string(), d.to_string());
    let found = db(ctx, move |db| db.referrers(&registry, &repo, &key))
        .await?
        .map_err(|r| refusal(r, name))?;
    let manifests: Vec<Value> = found
        .iter()
        .filter(|m| m.flags.list)
        .map(referrer)
        .filter(|r| filter.as_deref().is_none_or(|f| r["artifactType"] == f))
        .collect();
    let body = json!({"schemaVersion": 2, "mediaType": OCI_INDEX, "manifests": manifests});
    let mut resp = (StatusCode::OK, body.to_string()).into_response();
    resp.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(OCI_INDEX));
    if filter.is_some() {
        resp.headers_mut().insert(
            "OCI-Filters-Applied",
            HeaderValue::from_static("artifactType"),
        );
    }
    Ok(resp)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(n: Option<usize>, last: Option<&str>) -> PageQuery {
        PageQuery {
            n,
            last: last.map(str::to_string),
            orderby: None,
            digest: None,
        }
    }

    #[test]
    fn pages_follow_last() {
        let items: Vec<String> = ["a", "b", "c", "d", "e"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let name = |s: &String| s.as_str().to_owned();
        let (p, next) = page(items.clone(), |s| s.as_str(), &q(Some(2), None), true);
        assert_eq!(
            (p.iter().map(name).collect::<Vec<_>>(), next.as_deref()),
            (vec!["a".to_string(), "b".into()], Some("b"))
        );
        let (p, next) = page(items.clone(), |s| s.as_str(), &q(Some(2), Some("d")), true);
        assert_eq!((p, next), (vec!["e".to_string()], None));
        let (p, next) = page(items.clone(), |s| s.as_str(), &q(Some(2), Some("bb")), true);
        assert_eq!(
            (p, next),
            (vec!["c".to_string(), "d".into()], Some("d".to_string()))
        );
        let (p, _) = page(
            items.clone(),
            |s| s.as_str(),
            &q(Some(2), Some("bb")),
            false,
        );
        assert!(p.is_empty());
        let (p, next) = page(items.clone(), |s| s.as_str(), &q(Some(0), None), true);
        assert_eq!((p.len(), next), (0, None));
        let (p, next) = page(items, |s| s.as_str(), &q(None, None), true);
        assert_eq!((p.len(), next), (5, None));
        assert_eq!(
            link("/v2/a/tags/list", "v 1", 2, None),
            "</v2/a/tags/list?last=v+1&n=2>; rel=\"next\""
        );
        assert_eq!(
            link("/v2/_catalog", "x", 2, Some("")),
            "</v2/_catalog?last=x&n=2&orderby=>; rel=\"next\""
        );
    }
}
