//! The test hooks under `/_emulator/`, served only when `EmulatorOptions::test_hooks` is set:
//! a request log with secrets redacted, fault injection, an asynchronous-LRO mode, a page-size
//! override and lower per-SKU limits. They let the CLI's retries, polling and paging be tested
//! against real sockets. The hooks change how handlers answer only through
//! [`Hooks::lro_polls`] and [`Hooks::page_size`]. The request logging of every request on the
//! main port, which records into the hooks, is `observe`.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use axum::extract::State;
use axum::http::{Method, StatusCode};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Value, json};

use super::AppState;
use super::error::ArmError;

mod observe;
#[cfg(test)]
mod tests;

pub use observe::{log_request, observe};

const LOG_CAPACITY: usize = 1000;

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
    state
        .hooks
        .page_size
        .store(spec.page_size, Ordering::Relaxed);
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
