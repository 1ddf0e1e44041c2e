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
    if let Some(path) = ca_bundle {
        let pem = std::fs::read(path)
            .map_err(|e| anyhow::anyhow!("cannot read the CA bundle {}: {e}", path.display()))?;
        let certs = reqwest::Certificate::from_pem_bundle(&pem).map_err(|e| {
            anyhow::anyhow!("the CA bundle {} is not valid PEM: {e}", path.display())
        })?;
        builder = builder.tls_certs_merge(certs);
    }
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
}
