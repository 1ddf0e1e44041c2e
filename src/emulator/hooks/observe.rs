//! The middleware on the main port: one stderr line per request (method, path, status,
//! duration — never a query string, header or body), and with the test hooks on, the request
//! log entry (body and query with secrets masked) and the injected fault.

use std::sync::Arc;
use std::time::Instant;

use axum::Json;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};

use super::FaultSpec;
use crate::emulator::AppState;
use crate::emulator::error::ArmError;

const MAX_LOGGED_BODY: usize = 1 << 20;

/// Replaces the values of secret-bearing keys, at any depth.
/// Masks secrets (the project's one list, `crate::redact`) in a logged body.
pub fn redact(v: &mut Value) {
    crate::redact::redact_json(v, "REDACTED");
}

pub(super) fn logged_body(content_type: Option<&str>, bytes: &[u8]) -> Value {
    if bytes.is_empty() {
        return Value::Null;
    }
    let mut v = if content_type.is_some_and(|c| c.starts_with("application/x-www-form-urlencoded"))
    {
        let map: Map<String, Value> = url::form_urlencoded::parse(bytes)
            .map(|(k, v)| (k.into_owned(), Value::String(v.into_owned())))
            .collect();
        Value::Object(map)
    } else {
        match serde_json::from_slice::<Value>(bytes) {
            Ok(v) => v,
            // Not JSON: keep the fact, not the bytes (they might be a secret).
            Err(_) => json!({"unparsedBytes": bytes.len()}),
        }
    };
    redact(&mut v);
    v
}

/// The query string as recorded: unchanged, unless a parameter is a secret (the console's
/// sign-in link), whose value is then masked.
pub(super) fn logged_query(query: &str) -> String {
    let pairs: Vec<(String, String)> = url::form_urlencoded::parse(query.as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    if !pairs.iter().any(|(k, _)| crate::redact::is_secret_key(k)) {
        return query.to_string();
    }
    let mut out = url::form_urlencoded::Serializer::new(String::new());
    for (k, v) in &pairs {
        let v = if crate::redact::is_secret_key(k) {
            "REDACTED"
        } else {
            v
        };
        out.append_pair(k, v);
    }
    out.finish()
}

fn fault_response(f: FaultSpec) -> Response {
    let status = StatusCode::from_u16(f.status).unwrap_or(StatusCode::SERVICE_UNAVAILABLE);
    let code = match status.as_u16() {
        429 => "TooManyRequests",
        503 => "ServiceUnavailable",
        500 => "InternalServerError",
        502 => "BadGateway",
        504 => "GatewayTimeout",
        _ => "InjectedFault",
    };
    let body = f.body.unwrap_or_else(|| json!({"error": {"code": code, "message": "Fault injected by acr-emulator test hooks."}}));
    let mut resp = (status, Json(body)).into_response();
    if let Some(secs) = f.retry_after {
        resp.headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(secs));
    }
    resp
}

/// Middleware on the main port: logs each request, and with the hooks enabled records it and
/// applies injected faults.
pub async fn observe(State(state): State<Arc<AppState>>, req: Request, next: Next) -> Response {
    let start = Instant::now();
    let method = req.method().clone();
    let path = req.uri().path().to_string();
    let hooked = state.hooks.enabled && !path.starts_with("/_emulator");
    let resp = if hooked {
        let query = logged_query(req.uri().query().unwrap_or(""));
        let content_type = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let (parts, body) = req.into_parts();
        let bytes = match axum::body::to_bytes(body, 64 << 20).await {
            Ok(b) => b,
            Err(_) => {
                return ArmError::content("The request body could not be read.").into_response();
            }
        };
        let body_log = if bytes.len() <= MAX_LOGGED_BODY {
            logged_body(content_type.as_deref(), &bytes)
        } else {
            json!({"unparsedBytes": bytes.len()})
        };
        let resp = match state.hooks.take_fault(&method, &path) {
            Some(f) if f.reset => {
                let mut r = next
                    .run(Request::from_parts(parts, Body::from(bytes)))
                    .await;
                r.extensions_mut()
                    .insert(crate::emulator::faults::Faulted("reset"));
                r
            }
            Some(f) => fault_response(f),
            None => {
                next.run(Request::from_parts(parts, Body::from(bytes)))
                    .await
            }
        };
        let mut entry = json!({
            "method": method.as_str(),
            "path": path,
            "query": query,
            "body": body_log,
            "status": resp.status().as_u16(),
        });
        if let Some(f) = crate::emulator::faults::label(&resp)
            && let Some(o) = entry.as_object_mut()
        {
            o.insert("fault".into(), json!(f));
        }
        state.hooks.record(entry);
        resp
    } else {
        next.run(req).await
    };
    // A faulted answer says so (`fault=503`; `fault=reset`: handled, then the connection
    // was closed without the answer).
    log_request(&method, &path, &resp, start, "");
    resp
}

/// Writes one request-log line (`METHOD PATH STATUS Nms[ (registry)][ fault=F]`) with a
/// single `write` to stderr: `eprintln!` on the unbuffered stderr makes one system call per
/// formatted piece (about ten per line), which was a measurable share of a token grant.
pub fn log_request(method: &Method, path: &str, resp: &Response, start: Instant, port: &str) {
    use std::fmt::Write as _;
    use std::io::Write as _;
    let mut line = String::with_capacity(path.len().saturating_add(48));
    let _ = write!(
        line,
        "{method} {path} {} {}ms{port}",
        resp.status().as_u16(),
        start.elapsed().as_millis()
    );
    if let Some(f) = crate::emulator::faults::label(resp) {
        let _ = write!(line, " fault={f}");
    }
    line.push('\n');
    // Like eprintln!, a log line that cannot be written is dropped (stderr closed).
    let _ = std::io::stderr().write_all(line.as_bytes());
}
