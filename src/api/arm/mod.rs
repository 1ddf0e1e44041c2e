//! The management (ARM) client: URLs of `Microsoft.ContainerRegistry` and `Microsoft.Resources`,
//! bearer authentication, retries, `nextLink` paging, long-running operations and ARM error
//! envelopes. api-version 2025-04-01 for every registry call (D13).

use std::time::Duration;

use reqwest::header::HeaderMap;
use reqwest::{Method, StatusCode, Url};
use serde_json::Value;

use super::auth::Credential;
use super::encode::arm_segment;
use super::http::{self, Next};
use crate::error::{ArmError, Error, Result};
use crate::io::Diag;

pub mod discovery;
mod lro;
mod registries;
mod scope_maps;
mod tokens;

pub use discovery::RegistryRef;
pub use scope_maps::Write;
pub use tokens::{Generate, TokenPatch};

/// The api-version of every `Microsoft.ContainerRegistry` request (D13).
pub const API_VERSION: &str = "2025-04-01";
/// The api-version of the resources listing used for resource-group discovery.
pub const RESOURCES_API_VERSION: &str = "2024-11-01";
const SUBSCRIPTIONS_API_VERSION: &str = "2022-12-01";

/// How one request ended.
pub(crate) enum Sent {
    /// An answer to act on (success, an error to report, or the last one once retries ran out).
    Answer(Response),
    /// A non-idempotent request that may or may not have been applied: the 5xx answer, or the
    /// connection error after it was sent.
    Unknown(Result<Response>),
}

/// A response that has been read completely.
#[derive(Debug)]
pub struct Response {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Value,
    pub raw: Vec<u8>,
}

impl Response {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

/// An authenticated ARM client for one subscription.
#[derive(Clone)]
pub struct Arm {
    http: reqwest::Client,
    base: Url,
    credential: Credential,
    diag: Diag,
    backoff: http::Backoff,
    pub subscription: String,
}

impl Arm {
    pub fn new(
        http: reqwest::Client,
        credential: Credential,
        diag: Diag,
        subscription: String,
    ) -> Result<Arm> {
        let base = Url::parse(&credential.cloud.resource_manager).map_err(|e| {
            Error::cli(format!(
                "The Resource Manager endpoint '{}' is not a URL: {e}",
                credential.cloud.resource_manager
            ))
        })?;
        Ok(Arm {
            http,
            base,
            credential,
            diag,
            backoff: http::Backoff::arm(),
            subscription,
        })
    }

    /// Scales every retry and poll wait (test-only: `ACR_TEST_RETRY_SCALE`).
    pub fn with_wait_scale(mut self, scale: f64) -> Arm {
        self.backoff.scale = scale;
        self
    }

    /// A poll interval (see [`poll_delay`]) with the wait scale applied.
    fn poll_wait(&self, response: &Response, polls: u32) -> Duration {
        poll_delay(response, polls).mul_f64(self.backoff.scale)
    }

    pub fn endpoint(&self) -> &str {
        self.base.as_str()
    }

    pub fn credential(&self) -> &Credential {
        &self.credential
    }

    /// An absolute URL for `path` (which starts with `/`) and query pairs.
    pub fn url(&self, path: &str, query: &[(&str, &str)]) -> Result<Url> {
        let mut url = self.base.join(path.trim_start_matches('/'))?;
        if !query.is_empty() {
            url.query_pairs_mut().extend_pairs(query);
        }
        Ok(url)
    }

    /// `/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.ContainerRegistry/registries/{name}` + `child`
    /// (the typed operations in `tokens`, `scope_maps` and `registries` are its only users).
    fn registry_url(&self, registry: &RegistryRef, child: &str) -> Result<Url> {
        let path = format!("{}{child}", registry.path());
        self.url(&path, &[("api-version", API_VERSION)])
    }

    /// Sends one request with the bearer token, logging and retrying as the policy allows.
    /// A non-idempotent request whose outcome is unknown comes back as it ended (the 5xx
    /// answer, or the connection error): see [`Arm::exchange`].
    pub async fn send(&self, method: Method, url: Url, body: Option<&Value>) -> Result<Response> {
        match self.exchange(method, url, body).await? {
            Sent::Answer(response) => Ok(response),
            Sent::Unknown(ended) => ended,
        }
    }

    /// The one ARM send loop, with Azure's retry policy ([`http::Backoff`]): throttling (429)
    /// and failures to connect are retried for every request (the service did nothing);
    /// server errors and connections dropped after the request went out only for idempotent
    /// ones. A POST whose outcome is unknown is not repeated here: it comes back as
    /// [`Sent::Unknown`], for the caller to re-read the state and decide.
    pub(crate) async fn exchange(
        &self,
        method: Method,
        url: Url,
        body: Option<&Value>,
    ) -> Result<Sent> {
        if url.host_str() != self.base.host_str()
            || url.port_or_known_default() != self.base.port_or_known_default()
        {
            // Never hand the ARM token to another host (a nextLink or operation URL could point anywhere).
            return Err(Error::cli(format!(
                "Refusing to follow a management URL on another host: {url}"
            )));
        }
        let token = self
            .credential
            .token(&self.credential.cloud.active_directory_resource_id)
            .await?;
        let payload = http::JsonBody::new(body);
        let build = || {
            let request = self
                .http
                .request(method.clone(), url.clone())
                .bearer_auth(&token.token)
                .header("Accept", "application/json");
            Ok(payload.attach(request).build()?)
        };
        let backoff = self.backoff;
        let idempotent = http::idempotent(&method);
        let mut waited = Duration::ZERO;
        http::exchange(&self.http, &self.diag, build, |attempt, outcome| {
            let (retry, server, what, ended) = match outcome {
                Ok(reply) => {
                    let status = reply.status;
                    let throttled = status == StatusCode::TOO_MANY_REQUESTS;
                    let server = http::server_wait(&reply.headers);
                    let body = serde_json::from_slice(&reply.body).unwrap_or(Value::Null);
                    let response = Response {
                        status,
                        headers: reply.headers,
                        body,
                        raw: reply.body,
                    };
                    if !throttled && !http::retryable_status(status) {
                        return Next::Done(Ok(Sent::Answer(response)));
                    }
                    (
                        throttled || idempotent,
                        server,
                        format!("HTTP {}", status.as_u16()),
                        Ok(response),
                    )
                }
                Err(e) => {
                    // A failure to connect means the request never left.
                    let connect = e.is_connect();
                    let what = format!("a connection error: {e}");
                    let ended = Err(Error::Other(
                        anyhow::Error::new(e).context(format!("{method} {}", strip_query(&url))),
                    ));
                    (connect || idempotent, None, what, ended)
                }
            };
            let wait = backoff.wait(attempt, server);
            if retry && backoff.allows(attempt, waited, wait) {
                waited += wait;
                return Next::Retry {
                    wait,
                    note: format!("Retrying after {what} in {} ms.", wait.as_millis()),
                };
            }
            Next::Done(Ok(if retry {
                // Retries used up: the last answer (or error) is the result.
                Sent::Answer(match ended {
                    Ok(response) => response,
                    Err(e) => return Next::Done(Err(e)),
                })
            } else {
                Sent::Unknown(ended)
            }))
        })
        .await
    }

    /// Sends a request and turns any non-success status into the ARM error.
    pub async fn call(&self, method: Method, url: Url, body: Option<&Value>) -> Result<Response> {
        let response = self.send(method, url, body).await?;
        if response.status.is_success() {
            Ok(response)
        } else {
            Err(arm_error(&response))
        }
    }

    pub async fn get(&self, url: Url) -> Result<Value> {
        Ok(self.call(Method::GET, url, None).await?.body)
    }

    /// A paged list: every `value` item, following `nextLink` until it is empty.
    pub async fn list(&self, url: Url) -> Result<Vec<Value>> {
        let mut items = Vec::new();
        let mut next = Some(url);
        while let Some(url) = next.take() {
            let page = self.get(url).await?;
            if let Some(values) = page.get("value").and_then(Value::as_array) {
                items.extend(values.iter().cloned());
            }
            next = match page
                .get("nextLink")
                .and_then(Value::as_str)
                .filter(|l| !l.is_empty())
            {
                Some(link) => Some(Url::parse(link)?),
                None => None,
            };
        }
        Ok(items)
    }

    /// PUT or PATCH as a long-running operation; the final state of the resource.
    pub async fn put_or_patch(&self, method: Method, url: Url, body: &Value) -> Result<Value> {
        let initial = self.call(method.clone(), url.clone(), Some(body)).await?;
        lro::finish(self, lro::Kind::PutPatch, url, initial)
            .await
            .map(|v| v.unwrap_or(Value::Null))
    }

    /// DELETE as a long-running operation.
    pub async fn delete(&self, url: Url) -> Result<()> {
        let initial = self.call(Method::DELETE, url.clone(), None).await?;
        lro::finish(self, lro::Kind::Delete, url, initial)
            .await
            .map(|_| ())
    }

    /// POST as a long-running operation (generateCredentials); the final result.
    pub async fn post(&self, url: Url, body: &Value) -> Result<Value> {
        let initial = self.call(Method::POST, url.clone(), Some(body)).await?;
        lro::finish(self, lro::Kind::Post, url, initial)
            .await
            .map(|v| v.unwrap_or(Value::Null))
    }

    /// `GET /subscriptions/{id}`.
    pub async fn subscription(&self, id: &str) -> Result<Value> {
        let url = self.url(
            &format!("/subscriptions/{}", arm_segment(id)),
            &[("api-version", SUBSCRIPTIONS_API_VERSION)],
        )?;
        self.get(url).await
    }

    /// `GET /subscriptions`.
    pub async fn subscriptions(&self) -> Result<Vec<Value>> {
        let url = self.url(
            "/subscriptions",
            &[("api-version", SUBSCRIPTIONS_API_VERSION)],
        )?;
        self.list(url).await
    }

    pub fn diag(&self) -> &Diag {
        &self.diag
    }
}

fn strip_query(url: &Url) -> String {
    let mut url = url.clone();
    url.set_query(None);
    url.to_string()
}

/// The ARM error for a failed response.
pub fn arm_error(response: &Response) -> Error {
    Error::Arm(Box::new(ArmError {
        status: response.status.as_u16(),
        reason: response
            .status
            .canonical_reason()
            .unwrap_or("Unknown")
            .to_owned(),
        body: if response.body.is_null() {
            None
        } else {
            Some(response.body.clone())
        },
        raw_body: String::from_utf8_lossy(&response.raw).into_owned(),
    }))
}

/// A poll interval: the server's `Retry-After`, or a short default that grows (az waits 30 s;
/// the wait is not visible on stdout, D-free).
fn poll_delay(response: &Response, polls: u32) -> Duration {
    match response
        .header("retry-after")
        .and_then(|v| v.trim().parse::<u64>().ok())
    {
        Some(seconds) => Duration::from_secs(seconds.min(60)),
        None => Duration::from_millis((500 * u64::from(polls.min(10))).max(500)),
    }
}
