//! Request logging for every request on the main port (one stderr line: method, path, status,
//! duration — never a query string, header or body), and the test hooks under `/_emulator/`,
//! served only when `EmulatorOptions::test_hooks` is set: a request log with secrets redacted,
//! fault injection, an asynchronous-LRO mode, a page-size override and lower per-SKU limits.
//! They let the CLI's retries, polling and paging be tested against real sockets. The hooks
//! change how handlers answer only through [`Hooks::lro_polls`] and [`Hooks::page_size`].

use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Map, Value, json};

use super::AppState;
use super::error::ArmError;

const LOG_CAPACITY: usize = 1000;
const MAX_LOGGED_BODY: usize = 1 << 20;

#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FaultSpec {
    #[serde(default)]
    pub method: Option<String>,
    #[serde(default)]
    pub path_contains: String,
    #[serde(default = "unavailable")]
    pub status: u16,
    #[serde(default)]
    pub retry_after: Option<u64>,
    #[serde(default = "one")]
    pub count: u32,
    #[serde(default)]
    pub body: Option<Value>,
    /// Instead of `status`: handle the request, then close the connection unanswered.
    #[serde(default)]
    pub reset: bool,
}

fn one() -> u32 {
    1
}

fn unavailable() -> u16 {
    503
}

pub struct Hooks {
    enabled: bool,
    log: Mutex<VecDeque<Value>>,
    faults: Mutex<Vec<FaultSpec>>,
    lro_polls: AtomicU32,
    retry_after: AtomicU32,
    fresh_poll_urls: AtomicBool,
    location_only: AtomicBool,
    page_size: AtomicUsize,
    /// 5xx answers of the registry ports not injected by `--faults` (their requests are not in
    /// the request log, which holds the management port's, the one the CLI tests count).
    registry_server_errors: AtomicU64,
}

/// `Retry-After` seconds of asynchronous answers unless the LRO hook sets another value.
pub const DEFAULT_RETRY_AFTER: u32 = 1;

/// Page size of LIST answers when no override is set.
pub const DEFAULT_PAGE_SIZE: usize = 1000;

impl Hooks {
    pub fn new(enabled: bool) -> Hooks {
        Hooks {
            enabled,
            log: Mutex::new(VecDeque::new()),
            faults: Mutex::new(Vec::new()),
            lro_polls: AtomicU32::new(0),
            registry_server_errors: AtomicU64::new(0),
            retry_after: AtomicU32::new(DEFAULT_RETRY_AFTER),
            fresh_poll_urls: AtomicBool::new(false),
            location_only: AtomicBool::new(false),
            page_size: AtomicUsize::new(0),
        }
    }

    pub fn enabled(&self) -> bool {
        self.enabled
    }

    /// `Some(n)`: answer writes asynchronously, the status URL reporting `InProgress` n times.
    pub fn lro_polls(&self) -> Option<u32> {
        match self.lro_polls.load(Ordering::Relaxed) {
            0 => None,
            n => Some(n),
        }
    }

    /// `Retry-After` seconds sent with asynchronous answers and their polls.
    pub fn retry_after(&self) -> u32 {
        self.retry_after.load(Ordering::Relaxed)
    }

    /// Each in-progress poll answer hands out a fresh poll URL and expires the one polled.
    pub fn fresh_poll_urls(&self) -> bool {
        self.fresh_poll_urls.load(Ordering::Relaxed)
    }

    /// Asynchronous answers that have a `Location` leave out `Azure-AsyncOperation`.
    pub fn location_only(&self) -> bool {
        self.location_only.load(Ordering::Relaxed)
    }

    pub fn page_size(&self) -> usize {
        match self.page_size.load(Ordering::Relaxed) {
            0 => DEFAULT_PAGE_SIZE,
            n => n,
        }
    }

    fn take_fault(&self, method: &Method, path: &str) -> Option<FaultSpec> {
        let mut faults = self.faults.lock().unwrap_or_else(|p| p.into_inner());
        let i = faults.iter().position(|f| {
            f.count > 0
                && f.method
                    .as_deref()
                    .is_none_or(|m| m.eq_ignore_ascii_case(method.as_str()))
                && path
                    .to_ascii_lowercase()
                    .contains(&f.path_contains.to_ascii_lowercase())
        })?;
        let fault = faults.get_mut(i)?;
        fault.count = fault.count.saturating_sub(1);
        let f = fault.clone();
        if f.count == 0 {
            faults.remove(i);
        }
        Some(f)
    }

    fn record(&self, entry: Value) {
        let mut log = self.log.lock().unwrap_or_else(|p| p.into_inner());
        if log.len() == LOG_CAPACITY {
            log.pop_front();
        }
        log.push_back(entry);
    }
}

pub fn router() -> Router<Arc<AppState>> {
    Router::new()
        .route(
            "/_emulator/requests",
            get(list_requests).delete(clear_requests),
        )
        .route("/_emulator/faults", post(add_fault).delete(clear_faults))
        .route("/_emulator/lro", post(set_lro))
        .route("/_emulator/paging", post(set_paging))
        .route("/_emulator/limits", post(set_limits))
        .route("/_emulator/registry-errors", get(registry_errors))
}

async fn registry_errors(State(state): State<Arc<AppState>>) -> Json<Value> {
    let n = state.hooks.registry_server_errors.load(Ordering::Relaxed);
    Json(json!({"serverErrors": n}))
}

impl Hooks {
    /// Counts a registry answer with a 5xx status that no fault injected.
    pub fn registry_server_error(&self) {
        self.registry_server_errors.fetch_add(1, Ordering::Relaxed);
    }
}

async fn list_requests(State(state): State<Arc<AppState>>) -> Json<Value> {
    let log = state.hooks.log.lock().unwrap_or_else(|p| p.into_inner());
    Json(Value::Array(log.iter().cloned().collect()))
}

async fn clear_requests(State(state): State<Arc<AppState>>) -> StatusCode {
    state
        .hooks
        .log
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .clear();
    StatusCode::NO_CONTENT
}

fn hook_body<T: for<'de> Deserialize<'de>>(body: &[u8]) -> Result<T, ArmError> {
    serde_json::from_slice(body).map_err(ArmError::content)
}

async fn add_fault(
    State(state): State<Arc<AppState>>,
    body: axum::body::Bytes,
) -> Result<StatusCode, ArmError> {
    let spec: FaultSpec = hook_body(&body)?;
    if StatusCode::from_u16(spec.status).is_err() {
        return Err(ArmError::rule(format!(
            "status {} is not an HTTP status",
            spec.status
        )));
    }
    state
        .hooks
        .faults
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .push(spec);
    Ok(StatusCode::CREATED)
}

async fn clear_faults(State(state): State<Arc<AppState>>) -> StatusCode {
    state
        .hooks
        .faults
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .clear();
    StatusCode::NO_CONTENT
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct LroSpec {
    in_progress_polls: u32,
    #[serde(default)]
    retry_after: Option<u32>,
    /// A new poll URL on each in-progress answer, the old one expired (404).
    #[serde(default)]
    fresh_poll_urls: bool,
    /// 202 answers with a `Location` carry no `Azure-AsyncOperation`.
    #[serde(default)]
    location_only: bool,
}

async fn set_lro(
    State(state): State<Arc<AppState>>,
    body: axum::body::Bytes,
) -> Result<StatusCode, ArmError> {
    let spec: LroSpec = hook_body(&body)?;
    let hooks = &state.hooks;
    let retry_after = spec.retry_after.unwrap_or(DEFAULT_RETRY_AFTER);
    hooks
        .lro_polls
        .store(spec.in_progress_polls, Ordering::Relaxed);
    hooks.retry_after.store(retry_after, Ordering::Relaxed);
    hooks
        .fresh_poll_urls
        .store(spec.fresh_poll_urls, Ordering::Relaxed);
    hooks
        .location_only
        .store(spec.location_only, Ordering::Relaxed);
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct PagingSpec {
    page_size: usize,
}

async fn set_paging(
    State(state): State<Arc<AppState>>,
    body: axum::body::Bytes,
) -> Result<StatusCode, ArmError> {
    let spec: PagingSpec = hook_body(&body)?;
    let hooks = &state.hooks;
    hooks.page_size.store(spec.page_size, Ordering::Relaxed);
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct LimitsSpec {
    tokens: Option<usize>,
    scope_maps: Option<usize>,
    actions_per_scope_map: Option<usize>,
}

/// Sets the same token / scope-map limit for every SKU (omitted: back to the defaults).
async fn set_limits(
    State(state): State<Arc<AppState>>,
    body: axum::body::Bytes,
) -> Result<StatusCode, ArmError> {
    let spec: LimitsSpec = hook_body(&body)?;
    state
        .store
        .run(move |db| {
            let d = super::store::Limits::default();
            db.limits.tokens = spec.tokens.map(|n| [n; 3]).unwrap_or(d.tokens);
            db.limits.scope_maps = spec.scope_maps.map(|n| [n; 3]).unwrap_or(d.scope_maps);
            db.limits.actions_per_scope_map = spec
                .actions_per_scope_map
                .unwrap_or(d.actions_per_scope_map);
            Ok(())
        })
        .await
        .map_err(ArmError::internal)?;
    Ok(StatusCode::NO_CONTENT)
}

/// Replaces the values of secret-bearing keys, at any depth.
/// Masks secrets (the project's one list, `crate::redact`) in a logged body.
pub fn redact(v: &mut Value) {
    crate::redact::redact_json(v, "REDACTED");
}

fn logged_body(content_type: Option<&str>, bytes: &[u8]) -> Value {
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
fn logged_query(query: &str) -> String {
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
                r.extensions_mut().insert(super::faults::Faulted("reset"));
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
        if let Some(f) = super::faults::label(&resp)
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
    if let Some(f) = super::faults::label(resp) {
        let _ = write!(line, " fault={f}");
    }
    line.push('\n');
    // Like eprintln!, a log line that cannot be written is dropped (stderr closed).
    let _ = std::io::stderr().write_all(line.as_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redacts_secret_keys_at_any_depth() {
        let mut v = json!({"passwords": [{"name": "password1", "value": "s3cret"}], "client_secret": "x", "n": null, "value": null});
        redact(&mut v);
        assert_eq!(v["passwords"][0]["value"], "REDACTED");
        assert_eq!(v["passwords"][0]["name"], "password1");
        assert_eq!(v["client_secret"], "REDACTED");
        assert!(v["value"].is_null());
    }

    #[test]
    fn form_bodies_are_parsed_and_redacted() {
        let v = logged_body(
            Some("application/x-www-form-urlencoded"),
            b"grant_type=client_credentials&client_secret=abc",
        );
        assert_eq!(v["grant_type"], "client_credentials");
        assert_eq!(v["client_secret"], "REDACTED");
        assert_eq!(
            logged_body(Some("application/json"), b"password=oops"),
            json!({"unparsedBytes": 13})
        );
    }

    #[test]
    fn secret_query_parameters_are_masked() {
        assert_eq!(
            logged_query("api-version=2025-04-01"),
            "api-version=2025-04-01"
        );
        assert_eq!(logged_query("secret=abc&x=1"), "secret=REDACTED&x=1");
        assert_eq!(logged_query(""), "");
    }

    #[test]
    fn faults_match_method_and_path_and_count_down() {
        let h = Hooks::new(true);
        h.faults.lock().unwrap().push(FaultSpec {
            method: Some("put".into()),
            path_contains: "/tokens/".into(),
            status: 429,
            retry_after: Some(1),
            count: 2,
            body: None,
            reset: false,
        });
        assert!(h.take_fault(&Method::GET, "/x/tokens/t").is_none());
        assert!(h.take_fault(&Method::PUT, "/x/TOKENS/t").is_some());
        assert!(h.take_fault(&Method::PUT, "/x/tokens/t").is_some());
        assert!(h.take_fault(&Method::PUT, "/x/tokens/t").is_none());
    }
}
