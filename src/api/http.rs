//! The shared HTTP plumbing: one reqwest client per invocation (trusting the cloud's CA bundle
//! on top of the system roots), the one send loop every API client uses ([`exchange`]: build,
//! log, send, read, and a caller's policy deciding whether to retry), `--debug` request logging
//! with every secret redacted, and the retry rules for throttling, server errors and dropped
//! connections.

use std::time::Duration;

use reqwest::header::HeaderMap;
use reqwest::{Method, StatusCode};
use serde_json::Value;

use crate::error::Result;
use crate::io::Diag;

/// A response read completely.
pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

/// What a caller's retry policy makes of one attempt.
pub enum Next<T> {
    /// Stop with this result.
    Done(Result<T>),
    /// Send again after `wait`; `note` is the `--debug` line that says so.
    Retry { wait: Duration, note: String },
}

/// The one send loop: for each attempt (1-based) the request is built afresh, logged, sent and
/// its response read to the end and logged (secrets redacted), then `policy` decides between
/// a result and another attempt. The policy owns the attempt limit and every error text, so
/// ARM, the data plane and the token server each keep their own rules.
pub async fn exchange<T>(
    client: &reqwest::Client,
    diag: &Diag,
    build: impl Fn() -> Result<reqwest::Request>,
    mut policy: impl FnMut(u32, std::result::Result<Reply, reqwest::Error>) -> Next<T>,
) -> Result<T> {
    let mut attempt = 0;
    loop {
        attempt += 1;
        let request = build()?;
        let payload = request
            .body()
            .and_then(|b| b.as_bytes())
            .unwrap_or_default()
            .to_vec();
        log_request(
            diag,
            request.method(),
            request.url().as_str(),
            request.headers(),
            &payload,
        );
        let outcome = match client.execute(request).await {
            Ok(response) => {
                let status = response.status();
                let headers = response.headers().clone();
                let body = response
                    .bytes()
                    .await
                    .map(|b| b.to_vec())
                    .unwrap_or_default();
                log_response(diag, status, &headers, &body);
                Ok(Reply {
                    status,
                    headers,
                    body,
                })
            }
            Err(e) => Err(e),
        };
        match policy(attempt, outcome) {
            Next::Done(result) => return result,
            Next::Retry { wait, note } => {
                diag.debug(&note);
                tokio::time::sleep(wait).await;
            }
        }
    }
}

/// Builds the HTTP client. `ca_bundle` (a PEM file) is trusted in addition to the system roots.
pub fn client(ca_bundle: Option<&std::path::Path>) -> anyhow::Result<reqwest::Client> {
    let mut builder = reqwest::Client::builder()
        .user_agent(concat!("acr/", env!("CARGO_PKG_VERSION")))
        .connect_timeout(Duration::from_secs(20))
        .timeout(Duration::from_secs(300));
    let mut extra = Vec::new();
    if let Some(path) = ca_bundle {
        use rustls::pki_types::pem::PemObject;
        let pem = std::fs::read(path)
            .map_err(|e| anyhow::anyhow!("cannot read the CA bundle {}: {e}", path.display()))?;
        extra = rustls::pki_types::CertificateDer::pem_slice_iter(&pem)
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| {
                anyhow::anyhow!("the CA bundle {} is not valid PEM: {e}", path.display())
            })?;
    }
    // The system roots are read only when the bundle does not vouch for a server (tls.rs).
    builder = builder.tls_backend_preconfigured(super::tls::client_config(extra)?);
    Ok(builder.build()?)
}

/// Replaces every secret in a JSON document by `*****` (for logs only).
pub fn redact_json(value: &Value) -> Value {
    let mut copy = value.clone();
    crate::redact::redact_json(&mut copy, "*****");
    copy
}

/// A body as it may be logged: JSON with secrets masked, form fields with secrets masked, or a
/// length for anything else.
pub fn redact_body(body: &[u8]) -> String {
    if body.is_empty() {
        return String::new();
    }
    if let Ok(json) = serde_json::from_slice::<Value>(body) {
        return redact_json(&json).to_string();
    }
    if let Ok(text) = std::str::from_utf8(body)
        && text.contains('=')
        && !text.contains(' ')
    {
        return text
            .split('&')
            .map(|pair| match pair.split_once('=') {
                Some((k, _)) if crate::redact::is_secret_key(k) => {
                    format!("{k}=*****")
                }
                _ => pair.to_owned(),
            })
            .collect::<Vec<_>>()
            .join("&");
    }
    format!("<{} bytes>", body.len())
}

/// Logs a request the way az's `--debug` does, minus every secret.
pub fn log_request(
    diag: &Diag,
    method: &Method,
    url: &str,
    headers: &reqwest::header::HeaderMap,
    body: &[u8],
) {
    if !diag.debug_enabled() {
        return;
    }
    diag.debug(&format!("Request URL: '{url}'"));
    diag.debug(&format!("Request method: '{method}'"));
    log_headers(diag, "Request headers:", headers);
    if !body.is_empty() {
        diag.debug(&format!("Request body: {}", redact_body(body)));
    }
}

/// Logs a response status, headers and (redacted) body.
pub fn log_response(
    diag: &Diag,
    status: StatusCode,
    headers: &reqwest::header::HeaderMap,
    body: &[u8],
) {
    if !diag.debug_enabled() {
        return;
    }
    diag.debug(&format!("Response status: {}", status.as_u16()));
    log_headers(diag, "Response headers:", headers);
    if !body.is_empty() {
        diag.debug(&format!("Response content: {}", redact_body(body)));
    }
}

/// `title`, then one line per header, secret ones masked.
fn log_headers(diag: &Diag, title: &str, headers: &reqwest::header::HeaderMap) {
    diag.debug(title);
    for (name, value) in headers {
        let shown = if is_secret_header(name.as_str()) {
            "*****".to_owned()
        } else {
            value.to_str().unwrap_or("<binary>").to_owned()
        };
        diag.debug(&format!("    '{name}': '{shown}'"));
    }
}

/// A JSON body serialized once, for a request that may be built several times.
pub struct JsonBody(Option<Vec<u8>>);

impl JsonBody {
    pub fn new(body: Option<&Value>) -> JsonBody {
        JsonBody(body.map(|b| serde_json::to_vec(b).unwrap_or_default()))
    }

    /// `request` with the body and its `Content-Type`, when there is one.
    pub fn attach(&self, request: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
        match &self.0 {
            Some(bytes) => request
                .header("Content-Type", "application/json")
                .body(bytes.clone()),
            None => request,
        }
    }
}

fn is_secret_header(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    name == "authorization"
        || name == "set-cookie"
        || name == "x-identity-header"
        || name.contains("token")
}

/// How long to wait before retry `attempt` (1-based): `Retry-After` when the server sent one
/// (capped), otherwise exponential backoff from one second.
pub fn retry_delay(attempt: u32, retry_after: Option<&str>) -> Duration {
    if let Some(seconds) = retry_after.and_then(|v| v.trim().parse::<u64>().ok()) {
        return Duration::from_secs(seconds.min(60));
    }
    Duration::from_millis(1000u64.saturating_mul(1 << attempt.min(5)) / 2)
}

/// The server's requested wait: `retry-after-ms` / `x-ms-retry-after-ms` (milliseconds) or
/// `Retry-After` (seconds), as azure-core reads them.
pub fn server_wait(headers: &HeaderMap) -> Option<Duration> {
    let get = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    for name in ["retry-after-ms", "x-ms-retry-after-ms"] {
        if let Some(ms) = get(name).and_then(|v| v.trim().parse::<f64>().ok())
            && ms.is_finite()
            && ms >= 0.0
        {
            return Some(Duration::from_secs_f64(ms / 1000.0));
        }
    }
    get("retry-after")
        .and_then(|v| v.trim().parse::<f64>().ok())
        .filter(|s| s.is_finite() && *s >= 0.0)
        .map(Duration::from_secs_f64)
}

/// Azure's retry policy for the management API (azure-core's defaults): at most
/// [`Backoff::ARM_ATTEMPTS`] attempts within [`Backoff::ARM_BUDGET`]; the server's
/// `Retry-After` when it sent one (up to [`Backoff::CAP`]), else exponential backoff from
/// [`Backoff::BASE`] with full jitter (a random wait between 0 and the exponential value, so
/// that many clients throttled together do not come back together). The budget counts the
/// waits between attempts. `scale` multiplies every
/// wait: 1 except in tests (`ACR_TEST_RETRY_SCALE`, see docs/reliability.md).
#[derive(Clone, Copy, Debug)]
pub struct Backoff {
    pub attempts: u32,
    pub budget: Duration,
    pub scale: f64,
}

impl Backoff {
    pub const ARM_ATTEMPTS: u32 = 10;
    pub const ARM_BUDGET: Duration = Duration::from_secs(120);
    pub const BASE: Duration = Duration::from_millis(800);
    pub const CAP: Duration = Duration::from_secs(60);

    pub fn arm() -> Backoff {
        Backoff {
            attempts: Backoff::ARM_ATTEMPTS,
            budget: Backoff::ARM_BUDGET,
            scale: 1.0,
        }
    }

    /// The test-only wait scale from `ACR_TEST_RETRY_SCALE` (a number in (0, 1]); anything
    /// else is 1.
    pub fn scale_from(value: Option<&str>) -> f64 {
        value
            .and_then(|v| v.trim().parse::<f64>().ok())
            .filter(|v| *v > 0.0 && *v <= 1.0)
            .unwrap_or(1.0)
    }

    /// The wait before retry `attempt` (1-based), `server` being the server's requested wait.
    pub fn wait(&self, attempt: u32, server: Option<Duration>) -> Duration {
        let unscaled = match server {
            Some(d) => d.min(Backoff::CAP),
            None => {
                let exp = Backoff::BASE
                    .saturating_mul(1u32 << attempt.saturating_sub(1).min(16))
                    .min(Backoff::CAP);
                exp.mul_f64(rand::random::<f64>())
            }
        };
        unscaled.mul_f64(self.scale)
    }

    /// Whether attempt `attempt` (just failed) may be followed by another after `wait`, given
    /// the time `waited` between the attempts so far (the budget counts waits, not the time
    /// the server took to answer).
    pub fn allows(&self, attempt: u32, waited: Duration, wait: Duration) -> bool {
        attempt < self.attempts && waited + wait <= self.budget.mul_f64(self.scale)
    }
}

/// Whether a response status is worth retrying.
pub fn retryable_status(status: StatusCode) -> bool {
    status == StatusCode::TOO_MANY_REQUESTS
        || status.is_server_error() && status != StatusCode::NOT_IMPLEMENTED
}

/// Whether a request may be repeated when its outcome is unknown (a 5xx, or a connection that
/// dropped after the request was sent). PUT, PATCH with a full body, DELETE and GET are; POSTs
/// (generateCredentials creates new secrets) are not. Throttling (429) and failures to connect
/// are always safe: the server never processed the request.
pub fn idempotent(method: &Method) -> bool {
    matches!(
        *method,
        Method::GET | Method::HEAD | Method::PUT | Method::PATCH | Method::DELETE | Method::OPTIONS
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn secrets_are_masked() {
        let body = json!({"passwords": [{"name": "password1", "value": "s3cret"}], "access_token": "t", "expiry": null});
        let redacted = redact_json(&body).to_string();
        assert!(
            !redacted.contains("s3cret") && !redacted.contains("\"t\""),
            "{redacted}"
        );
        assert!(redacted.contains("password1"));
        assert_eq!(
            redact_body(b"grant_type=password&username=tok&password=s3cret&scope=x"),
            "grant_type=password&username=tok&password=*****&scope=x"
        );
        assert_eq!(
            redact_body(b"client_secret=abc&client_id=id"),
            "client_secret=*****&client_id=id"
        );
    }

    #[test]
    fn retry_rules() {
        assert_eq!(retry_delay(1, Some("3")), Duration::from_secs(3));
        assert_eq!(retry_delay(1, None), Duration::from_secs(1));
        assert!(retryable_status(StatusCode::TOO_MANY_REQUESTS));
        assert!(retryable_status(StatusCode::SERVICE_UNAVAILABLE));
        assert!(!retryable_status(StatusCode::NOT_FOUND));
        assert!(!idempotent(&Method::POST));
    }

    #[test]
    fn azure_backoff() {
        let b = Backoff::arm();
        // The server's wait wins (capped); without one, full jitter under the exponential.
        assert_eq!(
            b.wait(1, Some(Duration::from_secs(3))),
            Duration::from_secs(3)
        );
        assert_eq!(b.wait(1, Some(Duration::from_secs(600))), Backoff::CAP);
        for attempt in 1..12 {
            let w = b.wait(attempt, None);
            let ceiling = Backoff::BASE
                .saturating_mul(1 << (attempt - 1))
                .min(Backoff::CAP);
            assert!(w <= ceiling, "{attempt}: {w:?}");
        }
        assert!(b.allows(9, Duration::from_secs(100), Duration::from_secs(20)));
        assert!(!b.allows(10, Duration::ZERO, Duration::ZERO));
        assert!(!b.allows(3, Duration::from_secs(110), Duration::from_secs(11)));
        let fast = Backoff {
            scale: 0.01,
            ..Backoff::arm()
        };
        assert_eq!(
            fast.wait(1, Some(Duration::from_secs(1))),
            Duration::from_millis(10)
        );
        assert_eq!(Backoff::scale_from(Some("0.01")), 0.01);
        assert_eq!(Backoff::scale_from(Some("5")), 1.0);
        assert_eq!(Backoff::scale_from(None), 1.0);
        let mut h = HeaderMap::new();
        h.insert("retry-after", "2".parse().unwrap());
        assert_eq!(server_wait(&h), Some(Duration::from_secs(2)));
        h.insert("retry-after-ms", "150".parse().unwrap());
        assert_eq!(server_wait(&h), Some(Duration::from_millis(150)));
    }
}
