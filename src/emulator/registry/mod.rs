//! The registry data plane of one registry, on its own port. This is the seam issue 4
//! replaces: [`router`] gets the shared state and the registry's name, and the store already
//! offers [`crate::emulator::store::Store::verify_token_password`] and the admin check.
//!
//! Until then the listener must not pretend to be a registry: `GET /v2/` answers the Docker
//! token-auth challenge exactly as ACR does (so clients discover the realm), and every other
//! request answers the OCI error envelope with code `UNSUPPORTED` and status 404. 404 rather
//! than 501 because registry clients treat 5xx as transient and retry, while a 404 with an
//! error body fails at once with a readable message.

use std::sync::Arc;

use axum::Router;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde_json::json;

use super::AppState;

/// The OCI error envelope `{"errors":[{"code","message"}]}` with its status.
pub struct OciError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    pub challenge: Option<String>,
}

impl IntoResponse for OciError {
    fn into_response(self) -> Response {
        let body =
            json!({"errors": [{"code": self.code, "message": self.message, "detail": null}]});
        let mut resp = (self.status, axum::Json(body)).into_response();
        let h = resp.headers_mut();
        h.insert(
            "Docker-Distribution-API-Version",
            HeaderValue::from_static("registry/2.0"),
        );
        if let Some(c) = self.challenge.and_then(|c| HeaderValue::from_str(&c).ok()) {
            h.insert(header::WWW_AUTHENTICATE, c);
        }
        resp
    }
}

pub fn router(state: Arc<AppState>, registry: &str, port: u16) -> Router {
    let _ = registry;
    Router::new()
        .route("/v2/", get(move |h| v2_challenge(h, port)))
        .fallback(unsupported)
        .layer(axum::middleware::from_fn(log_request))
        .with_state(state)
}

/// `GET /v2/` without credentials: ACR's challenge naming the realm and service.
async fn v2_challenge(headers: axum::http::HeaderMap, port: u16) -> OciError {
    // Echo the host the client used (127.0.0.1 or localhost), never anything else.
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| *h == format!("127.0.0.1:{port}") || *h == format!("localhost:{port}"))
        .map(str::to_string)
        .unwrap_or_else(|| format!("127.0.0.1:{port}"));
    OciError {
        status: StatusCode::UNAUTHORIZED,
        code: "UNAUTHORIZED",
        message:
            "authentication required, visit https://aka.ms/acr/authorization for more information."
                .into(),
        challenge: Some(format!(
            "Bearer realm=\"https://{host}/oauth2/token\",service=\"{host}\""
        )),
    }
}

async fn unsupported() -> OciError {
    OciError {
        status: StatusCode::NOT_FOUND,
        code: "UNSUPPORTED",
        message: "not implemented yet in acr-emulator".into(),
        challenge: None,
    }
}

async fn log_request(req: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let (method, path) = (req.method().clone(), req.uri().path().to_string());
    let start = std::time::Instant::now();
    let resp = next.run(req).await;
    eprintln!(
        "{method} {path} {} {}ms (registry)",
        resp.status().as_u16(),
        start.elapsed().as_millis()
    );
    resp
}
