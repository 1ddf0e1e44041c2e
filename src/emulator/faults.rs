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
use std::convert::Infallible;
use std::future::Future;
use std::pin::Pin;
use std::str::FromStr;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
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

/// The three planes a SPEC names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Plane {
    Arm,
    Identity,
    Registry,
}

impl Plane {
    const ALL: [Plane; 3] = [Plane::Arm, Plane::Identity, Plane::Registry];

    fn index(self) -> usize {
        self as usize
    }

    fn name(self) -> &'static str {
        match self {
            Plane::Arm => "arm",
            Plane::Identity => "identity",
            Plane::Registry => "registry",
        }
    }
}

/// What one plane is told to do.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PlaneFaults {
    /// Probabilities of `429`, `503`, `500` and `reset`, in that order.
    pub probabilities: [f64; 4],
    /// Added to every response of the plane (before the handler runs).
    pub latency: Option<Duration>,
    /// ARM only: requests per second per subscription (reads and writes each have a bucket).
    pub ratelimit: Option<f64>,
}

/// A parsed `--faults` SPEC: comma-separated `PLANE:KIND=VALUE`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FaultSpec {
    planes: [PlaneFaults; 3],
    text: String,
}

const KINDS: [&str; 4] = ["429", "503", "500", "reset"];

impl FaultSpec {
    pub fn plane(&self, plane: Plane) -> &PlaneFaults {
        &self.planes[plane.index()]
    }

    /// True when the SPEC asks for nothing at all.
    pub fn is_empty(&self) -> bool {
        self.planes.iter().all(|p| *p == PlaneFaults::default())
    }
}

impl std::fmt::Display for FaultSpec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text)
    }
}

impl FromStr for FaultSpec {
    type Err = String;

    fn from_str(s: &str) -> Result<FaultSpec, String> {
        let mut spec = FaultSpec {
            text: s.to_string(),
            ..FaultSpec::default()
        };
        for item in s.split(',').map(str::trim).filter(|i| !i.is_empty()) {
            let err = |why: &str| format!("'{item}': {why} (expected PLANE:KIND=VALUE)");
            let (plane, rest) = item.split_once(':').ok_or_else(|| err("no ':'"))?;
            let (kind, value) = rest.split_once('=').ok_or_else(|| err("no '='"))?;
            let plane = Plane::ALL
                .into_iter()
                .find(|p| p.name() == plane.trim())
                .ok_or_else(|| err("PLANE is arm, identity or registry"))?;
            let p = &mut spec.planes[plane.index()];
            let (kind, value) = (kind.trim(), value.trim());
            if let Some(i) = KINDS.iter().position(|k| *k == kind) {
                let v: f64 = value
                    .parse()
                    .ok()
                    .filter(|v: &f64| (0.0..=1.0).contains(v))
                    .ok_or_else(|| err("a probability is a number in [0, 1]"))?;
                p.probabilities[i] = v;
            } else if kind == "latency" {
                p.latency = Some(
                    parse_duration(value)
                        .ok_or_else(|| err("a latency is a duration such as 150ms, 2s or 0.5s"))?,
                );
            } else if kind == "ratelimit" {
                if plane != Plane::Arm {
                    return Err(err("ratelimit applies to the arm plane only"));
                }
                let v: f64 = value
                    .parse()
                    .ok()
                    .filter(|v: &f64| v.is_finite() && *v > 0.0)
                    .ok_or_else(|| {
                        err("a ratelimit is a positive number of requests per second")
                    })?;
                p.ratelimit = Some(v);
            } else {
                return Err(err("KIND is 429, 503, 500, reset, latency or ratelimit"));
            }
        }
        for plane in Plane::ALL {
            let sum: f64 = spec.planes[plane.index()].probabilities.iter().sum();
            if sum > 1.0 + 1e-9 {
                return Err(format!(
                    "the fault probabilities of plane {} add up to {sum}, more than 1",
                    plane.name()
                ));
            }
        }
        Ok(spec)
    }
}

/// `150ms`, `2s`, `0.5s`, `1m`.
fn parse_duration(s: &str) -> Option<Duration> {
    let (number, unit) = match s.find(|c: char| c.is_ascii_alphabetic()) {
        Some(i) => s.split_at(i),
        None => return None,
    };
    let n: f64 = number.trim().parse().ok().filter(|n: &f64| *n >= 0.0)?;
    let secs = match unit {
        "ms" => n / 1000.0,
        "s" => n,
        "m" => n * 60.0,
        _ => return None,
    };
    Duration::try_from_secs_f64(secs)
        .ok()
        .filter(|d| *d <= Duration::from_secs(600))
}

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

/// Applies `plane`'s latency and faults around `run` (the handler).
async fn apply<F>(faults: &Faults, plane: Plane, run: F) -> Response
where
    F: Future<Output = Response>,
{
    if let Some(latency) = faults.spec.plane(plane).latency {
        tokio::time::sleep(latency).await;
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

/// The outermost service of every listener: an answer marked `reset` becomes a service error,
/// on which hyper closes the connection without writing a byte of the answer.
#[derive(Clone)]
pub struct ResetService<S>(pub S);

/// The error that makes hyper drop a connection.
#[derive(Debug)]
pub struct ConnectionReset;

impl std::fmt::Display for ConnectionReset {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection reset by an injected fault")
    }
}

impl std::error::Error for ConnectionReset {}

impl<S, B> tower_service::Service<axum::http::Request<B>> for ResetService<S>
where
    S: tower_service::Service<axum::http::Request<B>, Response = Response, Error = Infallible>,
    S::Future: Send + 'static,
{
    type Response = Response;
    type Error = ConnectionReset;
    type Future = Pin<Box<dyn Future<Output = Result<Response, ConnectionReset>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), ConnectionReset>> {
        match self.0.poll_ready(cx) {
            Poll::Ready(Ok(())) => Poll::Ready(Ok(())),
            Poll::Ready(Err(never)) => match never {},
            Poll::Pending => Poll::Pending,
        }
    }

    fn call(&mut self, req: axum::http::Request<B>) -> Self::Future {
        let fut = self.0.call(req);
        Box::pin(async move {
            let Ok(resp) = fut.await;
            match resp.extensions().get::<Faulted>() {
                Some(Faulted("reset")) => Err(ConnectionReset),
                _ => Ok(resp),
            }
        })
    }
}

/// Makes one [`ResetService`] per connection.
#[derive(Clone)]
pub struct MakeReset<S>(pub S);

impl<S: Clone, T> tower_service::Service<T> for MakeReset<S> {
    type Response = ResetService<S>;
    type Error = Infallible;
    type Future = std::future::Ready<Result<ResetService<S>, Infallible>>;

    fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, _target: T) -> Self::Future {
        std::future::ready(Ok(ResetService(self.0.clone())))
    }
}

/// The label of a faulted answer, for the request logs.
pub fn label(resp: &Response) -> Option<&'static str> {
    resp.extensions().get::<Faulted>().map(|f| f.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_grammar() {
        let s: FaultSpec =
            "arm:429=0.2,arm:503=0.1,arm:reset=0.05,arm:latency=100ms,registry:503=0.05"
                .parse()
                .unwrap();
        assert_eq!(s.plane(Plane::Arm).probabilities, [0.2, 0.1, 0.0, 0.05]);
        assert_eq!(
            s.plane(Plane::Arm).latency,
            Some(Duration::from_millis(100))
        );
        assert_eq!(s.plane(Plane::Registry).probabilities[1], 0.05);
        assert!(s.plane(Plane::Identity) == &PlaneFaults::default());
        let r: FaultSpec = "arm:ratelimit=20,identity:latency=1.5s".parse().unwrap();
        assert_eq!(r.plane(Plane::Arm).ratelimit, Some(20.0));
        assert_eq!(
            r.plane(Plane::Identity).latency,
            Some(Duration::from_millis(1500))
        );
        assert!("".parse::<FaultSpec>().unwrap().is_empty());
    }

    #[test]
    fn rejects_bad_specs_with_a_reason() {
        for (bad, why) in [
            ("arm", "no ':'"),
            ("arm:429", "no '='"),
            ("dns:429=0.1", "PLANE is"),
            ("arm:404=0.1", "KIND is"),
            ("arm:429=1.5", "[0, 1]"),
            ("arm:429=x", "[0, 1]"),
            ("arm:latency=10", "duration"),
            ("arm:latency=5h", "duration"),
            ("registry:ratelimit=5", "arm plane only"),
            ("arm:ratelimit=0", "positive"),
            ("arm:429=0.6,arm:503=0.6", "more than 1"),
        ] {
            let e = bad.parse::<FaultSpec>().unwrap_err();
            assert!(e.contains(why), "{bad}: {e}");
        }
    }

    #[test]
    fn the_same_seed_gives_the_same_sequence() {
        let spec: FaultSpec = "arm:429=0.3,arm:reset=0.2,registry:500=0.5"
            .parse()
            .unwrap();
        let run = |seed| {
            let f = Faults::new(spec.clone(), seed);
            (0..200)
                .map(|i| {
                    f.decide(if i % 3 == 0 {
                        Plane::Registry
                    } else {
                        Plane::Arm
                    })
                })
                .collect::<Vec<_>>()
        };
        assert_eq!(run(7), run(7));
        assert_ne!(run(7), run(8));
        let seq = run(7);
        let share = |f: Fault| seq.iter().filter(|d| **d == Some(f)).count();
        // 133 arm draws at 0.3 and 0.2, 67 registry draws at 0.5: loose bounds.
        assert!((20..=60).contains(&share(Fault::Status(429))));
        assert!((10..=45).contains(&share(Fault::Reset)));
        assert!((15..=50).contains(&share(Fault::Status(500))));
        // A plane without faults draws nothing.
        assert!(Faults::new(spec, 1).decide(Plane::Identity).is_none());
    }

    #[test]
    fn the_bucket_throttles_above_the_rate() {
        let f = Faults::new("arm:ratelimit=5".parse().unwrap(), 0);
        let taken: Vec<_> = (0..7).map(|_| f.take_token("sub", true)).collect();
        assert_eq!(&taken[..5], &[Ok(4), Ok(3), Ok(2), Ok(1), Ok(0)]);
        assert_eq!(taken[5], Err(1));
        // Reads have their own bucket.
        assert_eq!(f.take_token("SUB", false), Ok(4));
        // Without a ratelimit the default buckets are reported, never enforced.
        let d = Faults::new(FaultSpec::default(), 0);
        for _ in 0..300 {
            assert!(d.take_token("s", true).is_ok());
        }
        assert_eq!(d.peek("s", false), 250);
    }

    #[test]
    fn planes_of_main_port_paths() {
        assert_eq!(main_port_plane("/subscriptions/x"), Some(Plane::Arm));
        assert_eq!(
            main_port_plane("/aad/t/oauth2/v2.0/token"),
            Some(Plane::Identity)
        );
        assert_eq!(main_port_plane("/metadata/endpoints"), Some(Plane::Arm));
        assert_eq!(
            main_port_plane("/metadata/identity/oauth2/token"),
            Some(Plane::Identity)
        );
        assert_eq!(main_port_plane("/portal/"), None);
        assert_eq!(main_port_plane("/_emulator/requests"), None);
        assert_eq!(subscription_of("/subscriptions/abc/resourceGroups"), "abc");
        assert_eq!(subscription_of("/tenants"), "");
    }
}
