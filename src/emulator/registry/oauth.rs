//! ACR's token endpoints on the registry's port. `GET /oauth2/token` with Basic auth (docker,
//! skopeo, podman: `service`, repeated `scope`, `account`), `POST /oauth2/token` with
//! `grant_type=password` or `grant_type=refresh_token` (az), and `POST /oauth2/exchange`,
//! which turns an Entra access token from the emulator's identity endpoints into an ACR
//! refresh token. Answers carry only `access_token` / `refresh_token`, as ACR's do; failed
//! logins get the same 401 whatever the reason (disabled token, expired, deleted or wrong
//! password), so nothing leaks.

use axum::Json;
use axum::extract::Request;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use super::Ctx;
use super::auth::{self, Credentials, Identity};
use super::error::{AUTH_MESSAGE, OciError};
use super::scope::Scope;

/// Form bodies of token requests are small; anything bigger is not one.
const FORM_LIMIT: usize = 64 << 10;

fn denied() -> OciError {
    OciError::new(StatusCode::UNAUTHORIZED, "UNAUTHORIZED", AUTH_MESSAGE)
}

fn pairs(raw: &[u8]) -> Vec<(String, String)> {
    url::form_urlencoded::parse(raw).into_owned().collect()
}

fn first<'a>(p: &'a [(String, String)], key: &str) -> Option<&'a str> {
    p.iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
        .filter(|v| !v.is_empty())
}

fn scopes(p: &[(String, String)]) -> Vec<Scope> {
    Scope::parse_all(
        p.iter()
            .filter(|(k, _)| k == "scope")
            .map(|(_, v)| v.as_str()),
    )
}

/// The `service` named in the request must be this registry; absent, it is the host used.
fn service(ctx: &Ctx, headers: &HeaderMap, p: &[(String, String)]) -> Result<String, OciError> {
    let host = ctx.host(headers);
    match first(p, "service") {
        None => Ok(host),
        Some(s)
            if s.eq_ignore_ascii_case(&format!("127.0.0.1:{}", ctx.port))
                || s.eq_ignore_ascii_case(&format!("localhost:{}", ctx.port)) =>
        {
            Ok(s.to_ascii_lowercase())
        }
        Some(_) => Err(denied()),
    }
}

async fn form(req: Request) -> Result<(HeaderMap, Vec<(String, String)>), OciError> {
    let (parts, body) = req.into_parts();
    let bytes = axum::body::to_bytes(body, FORM_LIMIT).await.map_err(|_| {
        OciError::new(
            StatusCode::BAD_REQUEST,
            "UNSUPPORTED",
            "The request body is not a token request form.",
        )
    })?;
    let mut p = pairs(parts.uri.query().unwrap_or("").as_bytes());
    p.extend(pairs(&bytes));
    Ok((parts.headers, p))
}

fn access_token_answer(ctx: &Ctx, service: &str, who: &Identity, scopes: &[Scope]) -> Response {
    let token = auth::issue_access_token(ctx, service, who, scopes);
    // A JWT is base64url and dots: nothing in it needs escaping in a JSON string.
    (
        [(header::CONTENT_TYPE, "application/json")],
        format!("{{\"access_token\":\"{token}\"}}"),
    )
        .into_response()
}

/// `GET /oauth2/token?service=…&scope=…` with `Authorization: Basic …`.
pub async fn get_token(ctx: &Ctx, req: Request) -> Result<Response, OciError> {
    let p = pairs(req.uri().query().unwrap_or("").as_bytes());
    let service = service(ctx, req.headers(), &p)?;
    let Credentials::Basic(user, password) = auth::credentials(req.headers()) else {
        return Err(denied());
    };
    let who = auth::login(ctx, &user, &password)
        .await
        .ok_or_else(denied)?;
    Ok(access_token_answer(ctx, &service, &who, &scopes(&p)))
}

/// `POST /oauth2/token`, form `grant_type=password|refresh_token`.
pub async fn post_token(ctx: &Ctx, req: Request) -> Result<Response, OciError> {
    let (headers, p) = form(req).await?;
    let svc = service(ctx, &headers, &p)?;
    let who = match first(&p, "grant_type") {
        Some("password") => {
            let (Some(user), Some(password)) = (first(&p, "username"), first(&p, "password"))
            else {
                return Err(denied());
            };
            auth::login(ctx, user, password).await.ok_or_else(denied)?
        }
        Some("refresh_token") => {
            let Some(token) = first(&p, "refresh_token") else {
                return Err(denied());
            };
            auth::verify_refresh_token(ctx, token).map_err(|_| denied())?
        }
        // A form without grant_type but with Basic credentials is the GET form posted.
        None => match auth::credentials(&headers) {
            Credentials::Basic(user, password) => auth::login(ctx, &user, &password)
                .await
                .ok_or_else(denied)?,
            _ => return Err(denied()),
        },
        Some(other) => {
            return Err(OciError::new(
                StatusCode::BAD_REQUEST,
                "UNSUPPORTED",
                format!(
                    "The grant type '{other}' is not supported; use password or refresh_token."
                ),
            ));
        }
    };
    Ok(access_token_answer(ctx, &svc, &who, &scopes(&p)))
}

/// `POST /oauth2/exchange`: an Entra access token (ACR or ARM audience, this tenant, signed by
/// the emulator) becomes an ACR refresh token for this registry.
pub async fn exchange(ctx: &Ctx, req: Request) -> Result<Response, OciError> {
    let (headers, p) = form(req).await?;
    let svc = service(ctx, &headers, &p)?;
    let token = match first(&p, "grant_type") {
        Some("access_token") | Some("access_token_refresh_token") => {
            first(&p, "access_token").ok_or_else(denied)?
        }
        Some(other) => {
            return Err(OciError::new(
                StatusCode::BAD_REQUEST,
                "UNSUPPORTED",
                format!("The grant type '{other}' is not supported; use access_token."),
            ));
        }
        None => return Err(denied()),
    };
    let claims = ctx.state.keys.verify(token).map_err(|_| denied())?;
    let tenant = &ctx.state.settings.tenant_id;
    let tenant_ok = claims.tid.eq_ignore_ascii_case(tenant)
        && first(&p, "tenant").is_none_or(|t| t.eq_ignore_ascii_case(tenant));
    if !auth::exchange_audience_ok(&claims.aud) || !tenant_ok {
        return Err(denied());
    }
    let subject = if claims.oid.is_empty() {
        claims.sub.clone()
    } else {
        claims.oid.clone()
    };
    Ok(
        Json(json!({"refresh_token": auth::issue_refresh_token(ctx, &svc, &subject, tenant)}))
            .into_response(),
    )
}
