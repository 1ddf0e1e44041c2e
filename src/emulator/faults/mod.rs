//! Faults and latency the way Azure misbehaves (`start --faults SPEC [--fault-seed N]`): the
//! SPEC grammar ([`FaultSpec`]), the seeded per-plane draw ([`Faults::decide`]), ARM's
//! per-subscription token buckets (`ratelimit`, and the `x-ms-ratelimit-remaining-subscription-
//! reads`/`-writes` headers on every ARM answer), and the middleware applied where each plane's
//! requests are dispatched ([`arm_or_identity`] on the main port, [`registry`] on every data-plane
//! port). `429`, `503` and `500` answer *instead of* the handler, so nothing is ever committed by
//! a request that got one; `reset` runs the handler and then closes the connection without an
//! answer ("the write happened, the answer was lost"), through [`ResetService`], the outer
//! service of every listener. A faulted answer carries a [`Faulted`] extension so the request
//! logs name the fault.

#![allow(
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    reason = "fixed arrays indexed by Plane::index() (0..3, their length) and KINDS positions; the SPEC is the operator's command line, not request data"
)]

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::AppState;
use super::error::ArmError;
use super::identity::error::OAuthError;
use super::registry::error::OciError;

/// `Retry-After` seconds of an injected 429 or 503 (short, so that scripts under faults finish).
pub const FAULT_RETRY_AFTER: u64 = 1;

mod reset;
mod spec;

pub use reset::{ConnectionReset, MakeReset, ResetService};
pub use spec::{FaultSpec, Plane, PlaneFaults};

/// SplitMix64: tiny, portable and fully determined by its seed (a fault sequence must not
/// change with a dependency's version).
struct SplitMix(u64);

impl SplitMix {
    fn next_f64(&mut self) -> f64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        (z >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// One fault to apply.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fault {
    Status(u16),
    Reset,
}

impl Fault {
    pub fn label(self) -> &'static str {
        match self {
            Fault::Status(429) => "429",
            Fault::Status(503) => "503",
            Fault::Status(500) => "500",
            Fault::Status(_) => "status",
            Fault::Reset => "reset",
        }
    }
}

/// Marks a faulted answer (read by the request logs); `reset` also tells [`ResetService`] to
/// close the connection instead of answering.
#[derive(Clone, Copy, Debug)]
pub struct Faulted(pub &'static str);

/// A token bucket: `capacity` tokens, refilled at `rate` per second.
struct Bucket {
    tokens: f64,
    at: Instant,
}

/// ARM's buckets when no `ratelimit` is given: only reported, never enforced (so the headers
/// look like Azure's; real ARM refills reads at 25/s up to 250 and writes at 10/s up to 200).
const DEFAULT_READS: (f64, f64) = (250.0, 25.0);
const DEFAULT_WRITES: (f64, f64) = (200.0, 10.0);

/// The running fault state: the SPEC, one seeded generator per plane (so a plane's sequence
/// depends only on that plane's requests), and the ARM buckets per subscription.
pub struct Faults {
    spec: FaultSpec,
    seed: u64,
    rngs: [Mutex<SplitMix>; 3],
    buckets: Mutex<HashMap<(String, bool), Bucket>>,
}

impl Faults {
    pub fn new(spec: FaultSpec, seed: u64) -> Faults {
        let rng = |plane: Plane| Mutex::new(SplitMix(seed ^ (plane.index() as u64 + 1) << 56));
        Faults {
            spec,
            seed,
            rngs: [rng(Plane::Arm), rng(Plane::Identity), rng(Plane::Registry)],
            buckets: Mutex::new(HashMap::new()),
        }
    }

    pub fn spec(&self) -> &FaultSpec {
        &self.spec
    }

    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// The next fault of `plane`, if any: one draw per request of the plane, whatever the
    /// outcome, so the same seed gives the same sequence for the same requests.
    pub fn decide(&self, plane: Plane) -> Option<Fault> {
        let p = &self.spec.plane(plane).probabilities;
        if p.iter().all(|v| *v == 0.0) {
            return None;
        }
        let u = self.rngs[plane.index()]
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .next_f64();
        let mut acc = 0.0;
        for (i, prob) in p.iter().enumerate() {
            acc += prob;
            if u < acc {
                return Some(match i {
                    0 => Fault::Status(429),
                    1 => Fault::Status(503),
                    2 => Fault::Status(500),
                    _ => Fault::Reset,
                });
            }
        }
        None
    }

    /// Takes one token of the subscription's read or write bucket: `Ok(remaining)`, or
    /// `Err(seconds until a token)` when `ratelimit` is set and the bucket is empty.
    fn take_token(&self, subscription: &str, write: bool) -> Result<u64, u64> {
        let limit = self.spec.plane(Plane::Arm).ratelimit;
        let (capacity, rate) = match (limit, write) {
            (Some(r), _) => (r.max(1.0), r),
            (None, false) => DEFAULT_READS,
            (None, true) => DEFAULT_WRITES,
        };
        let mut buckets = self.buckets.lock().unwrap_or_else(|e| e.into_inner());
        let now = Instant::now();
        let b = buckets
            .entry((subscription.to_ascii_lowercase(), write))
            .or_insert(Bucket {
                tokens: capacity,
                at: now,
            });
        b.tokens = (b.tokens + now.duration_since(b.at).as_secs_f64() * rate).min(capacity);
        b.at = now;
        if b.tokens >= 1.0 {
            b.tokens -= 1.0;
            Ok(b.tokens.floor() as u64)
        } else if limit.is_some() {
            Err(((1.0 - b.tokens) / rate).ceil().max(1.0) as u64)
        } else {
            Ok(0)
        }
    }
}

/// Which plane a main-port path belongs to (`None`: the console and the test hooks, never
/// faulted).
fn main_port_plane(path: &str) -> Option<Plane> {
    let path = path.to_ascii_lowercase();
    let under = |prefix: &str| path == prefix || path.starts_with(&format!("{prefix}/"));
    // ARM itself serves the cloud's `/metadata/endpoints`; IMDS is identity.
    if [
        "/subscriptions",
        "/providers",
        "/tenants",
        "/metadata/endpoints",
    ]
    .iter()
    .any(|p| under(p))
    {
        Some(Plane::Arm)
    } else if ["/aad", "/msi", "/metadata"].iter().any(|p| under(p)) {
        Some(Plane::Identity)
    } else {
        None
    }
}

/// The subscription a management path names ("" for tenant-level calls).
fn subscription_of(path: &str) -> String {
    let mut segments = path.trim_start_matches('/').split('/');
    match (segments.next(), segments.next()) {
        (Some(s), Some(id)) if s.eq_ignore_ascii_case("subscriptions") => id.to_string(),
        _ => String::new(),
    }
}

/// The answer of an injected status, in the plane's wire format.
fn fault_answer(plane: Plane, status: u16) -> Response {
    let retry = matches!(status, 429 | 503).then_some(FAULT_RETRY_AFTER);
    let mut resp = match plane {
        Plane::Arm => {
            let (code, message) = match status {
                429 => (
                    "TooManyRequests",
                    "The request was throttled (fault injected by acr-emulator).",
                ),
                503 => (
                    "ServiceUnavailable",
                    "The service is temporarily unavailable (fault injected by acr-emulator).",
                ),
                _ => (
                    "InternalServerError",
                    "An internal server error occurred (fault injected by acr-emulator).",
                ),
            };
            let mut e = ArmError::new(status_code(status), code, message);
            e.retry_after = retry;
            e.into_response()
        }
        Plane::Identity => OAuthError::new(
            status_code(status),
            "temporarily_unavailable",
            50196,
            "The server is temporarily unavailable (fault injected by acr-emulator).",
        )
        .into_response(),
        Plane::Registry => {
            let (code, message) = match status {
                429 => ("TOOMANYREQUESTS", "too many requests"),
                503 => ("UNAVAILABLE", "service unavailable"),
                _ => ("UNKNOWN", "internal server error"),
            };
            OciError::new(status_code(status), code, message).into_response()
        }
    };
    if let Some(secs) = retry {
        resp.headers_mut()
            .insert(axum::http::header::RETRY_AFTER, HeaderValue::from(secs));
    }
    resp
}

fn status_code(status: u16) -> StatusCode {
    StatusCode::from_u16(status).unwrap_or(StatusCode::SERVICE_UNAVAILABLE)
}

/// The last part of a latency, slept on a blocking-pool thread (see [`wait`]).
const FINE_TAIL: Duration = Duration::from_millis(3);

/// Waits `latency`, to within a fraction of a millisecond. tokio's timer fires on millisecond
/// ticks and late: with `arm:latency=100ms` a 401 took 101.9 ms on average (curl, 12
/// requests), which charged every figure measured at Azure's latency about 1.2 % extra; now
/// 100.6 to 100.9 ms (16 requests, the 401 and curl's request included), and 101.07 ms in a
/// later quiet series (median of 30 kept-alive 401s, 0.15 ms without latency: see
/// docs/performance.md for what was tried on the rest). So tokio's timer sleeps all but
/// [`FINE_TAIL`], and a blocking-pool thread's `nanosleep` the rest.
async fn wait(latency: Duration) {
    let Some(deadline) = Instant::now().checked_add(latency) else {
        return tokio::time::sleep(latency).await;
    };
    if let Some(coarse) = latency.checked_sub(FINE_TAIL) {
        tokio::time::sleep(coarse).await;
    }
    let rest = deadline.saturating_duration_since(Instant::now());
    if !rest.is_zero() {
        // A failed join (the runtime shutting down) only ends the wait early.
        let _ = tokio::task::spawn_blocking(move || std::thread::sleep(rest)).await;
    }
}

/// Applies `plane`'s latency and faults around `run` (the handler).
async fn apply<F>(faults: &Faults, plane: Plane, run: F) -> Response
where
    F: Future<Output = Response>,
{
    if let Some(latency) = faults.spec.plane(plane).latency {
        wait(latency).await;
    }
    match faults.decide(plane) {
        Some(Fault::Status(status)) => {
            let mut resp = fault_answer(plane, status);
            resp.extensions_mut()
                .insert(Faulted(Fault::Status(status).label()));
            resp
        }
        Some(Fault::Reset) => {
            let mut resp = run.await;
            resp.extensions_mut().insert(Faulted("reset"));
            resp
        }
        None => run.await,
    }
}

/// Middleware of the main port: ARM's rate-limit headers and bucket, then the plane's faults.
pub async fn arm_or_identity(
    State(state): State<Arc<AppState>>,
    req: Request,
    next: Next,
) -> Response {
    let path = req.uri().path().to_string();
    let Some(plane) = main_port_plane(&path) else {
        return next.run(req).await;
    };
    let faults = &state.faults;
    if plane != Plane::Arm {
        return apply(faults, plane, next.run(req)).await;
    }
    let write = !matches!(*req.method(), Method::GET | Method::HEAD);
    let subscription = subscription_of(&path);
    let mut resp = match faults.take_token(&subscription, write) {
        Err(wait) => {
            // Still one draw, so the random sequence does not depend on timing.
            let _ = faults.decide(plane);
            let mut e = ArmError::new(
                StatusCode::TOO_MANY_REQUESTS,
                "SubscriptionRequestsThrottled",
                format!(
                    "Number of '{}' requests for subscription '{subscription}' exceeded. Please try again after '{wait}' seconds after additional tokens are available. Refer to https://aka.ms/arm-throttling for additional information.",
                    if write { "write" } else { "read" }
                ),
            );
            e.retry_after = Some(wait);
            let mut r = e.into_response();
            r.extensions_mut().insert(Faulted("ratelimit"));
            r.headers_mut()
                .insert(remaining_header(write), HeaderValue::from(0u64));
            return r;
        }
        Ok(remaining) => {
            let mut r = apply(faults, plane, next.run(req)).await;
            r.headers_mut()
                .insert(remaining_header(write), HeaderValue::from(remaining));
            r
        }
    };
    // The other bucket's level, without taking a token from it.
    let other = faults.peek(&subscription, !write);
    resp.headers_mut()
        .insert(remaining_header(!write), HeaderValue::from(other));
    resp
}

fn remaining_header(write: bool) -> &'static str {
    if write {
        "x-ms-ratelimit-remaining-subscription-writes"
    } else {
        "x-ms-ratelimit-remaining-subscription-reads"
    }
}

impl Faults {
    /// The whole tokens left in a bucket, without taking one.
    fn peek(&self, subscription: &str, write: bool) -> u64 {
        let limit = self.spec.plane(Plane::Arm).ratelimit;
        let (capacity, rate) = match (limit, write) {
            (Some(r), _) => (r.max(1.0), r),
            (None, false) => DEFAULT_READS,
            (None, true) => DEFAULT_WRITES,
        };
        let buckets = self.buckets.lock().unwrap_or_else(|e| e.into_inner());
        match buckets.get(&(subscription.to_ascii_lowercase(), write)) {
            None => capacity.floor() as u64,
            Some(b) => (b.tokens + b.at.elapsed().as_secs_f64() * rate)
                .min(capacity)
                .floor() as u64,
        }
    }
}

/// Middleware of every data-plane port.
pub async fn registry(State(faults): State<Arc<Faults>>, req: Request, next: Next) -> Response {
    apply(&faults, Plane::Registry, next.run(req)).await
}

/// The label of a faulted answer, for the request logs.
pub fn label(resp: &Response) -> Option<&'static str> {
    resp.extensions().get::<Faulted>().map(|f| f.0)
}

#[cfg(test)]
mod tests;
