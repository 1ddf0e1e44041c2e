//! Long-running operations the way azure-core's ARM polling does them: `Azure-AsyncOperation`
//! (else `Location`) polled until a terminal status, then the final GET of the resource for PUT
//! and PATCH, the `Location` body for POST, nothing for DELETE. Every poll answer may move the
//! operation: the newest `Azure-AsyncOperation` and `Location` it carries replace the URLs
//! polled so far (a service may hand out a fresh signed URL per poll and expire the old one),
//! and its `Retry-After` sets the next wait. A spinner shows on a terminal.

use std::time::Duration;

use reqwest::{Method, StatusCode, Url};
use serde_json::Value;

use super::{Arm, Response, arm_error};
use crate::error::{Error, Result};

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    PutPatch,
    Delete,
    Post,
}

fn terminal(status: &str) -> Option<bool> {
    match status.to_ascii_lowercase().as_str() {
        "succeeded" => Some(true),
        "failed" | "canceled" | "cancelled" => Some(false),
        _ => None,
    }
}

fn failure(body: &Value) -> Error {
    match body.get("error") {
        Some(error) if error.is_object() => {
            let code = error
                .get("code")
                .and_then(Value::as_str)
                .unwrap_or("OperationFailed");
            let message = error
                .get("message")
                .and_then(Value::as_str)
                .unwrap_or("Operation failed or canceled");
            Error::cli(format!(
                "({code}) {message}\nCode: {code}\nMessage: {message}"
            ))
        }
        _ => Error::cli("Operation failed or canceled"),
    }
}

fn header_url(response: &Response, name: &str) -> Option<Url> {
    response.header(name).and_then(|v| Url::parse(v).ok())
}

/// The URLs of an operation, replaced by the newest ones each poll answer carries.
struct Urls {
    status: Option<Url>,
    location: Option<Url>,
}

impl Urls {
    fn update(&mut self, response: &Response) {
        if let Some(u) = header_url(response, "azure-asyncoperation") {
            self.status = Some(u);
        }
        if let Some(u) = header_url(response, "location") {
            self.location = Some(u);
        }
    }
}

/// Completes an operation whose first response is `initial`.
pub async fn finish(arm: &Arm, kind: Kind, url: Url, initial: Response) -> Result<Option<Value>> {
    if initial.status == StatusCode::NO_CONTENT {
        return Ok(None);
    }
    let mut urls = Urls {
        status: header_url(&initial, "azure-asyncoperation"),
        location: header_url(&initial, "location"),
    };
    let via_status = urls.status.is_some();
    let spinner = Spinner::start(arm);
    let result = if via_status {
        poll_status(arm, &mut urls).await
    } else if urls.location.is_some() && initial.status == StatusCode::ACCEPTED {
        poll_location(arm, kind, &mut urls).await.map(Some)
    } else {
        match provisioning_state(&initial.body) {
            Some(state) if terminal(state).is_none() && kind != Kind::Post => {
                poll_resource(arm, kind, url.clone(), &initial)
                    .await
                    .map(Some)
            }
            _ => Ok(Some(initial.body.clone())),
        }
    };
    spinner.stop();
    let last = result?;
    match kind {
        Kind::Delete => Ok(None),
        Kind::PutPatch if via_status => Ok(Some(arm.get(url).await?)),
        Kind::PutPatch => Ok(last),
        Kind::Post => match (via_status, urls.location) {
            (true, Some(loc)) => Ok(Some(arm.get(loc).await?)),
            _ => Ok(last),
        },
    }
}

fn provisioning_state(body: &Value) -> Option<&str> {
    body.pointer("/properties/provisioningState")
        .and_then(Value::as_str)
}

/// The pace of polling an operation URL: no wait before the first poll, then the wait the
/// previous answer asked for (its `Retry-After`, else azure-core's default for that poll).
#[derive(Default)]
struct Pace {
    wait: Option<Duration>,
    polls: u32,
}

impl Pace {
    /// Waits before the next poll of `url`, counts it, and hands the URL out; a URL the
    /// answers took away ends the operation as az does.
    async fn next(&mut self, url: &Option<Url>) -> Result<Url> {
        if let Some(wait) = self.wait.take() {
            tokio::time::sleep(wait).await;
        }
        self.polls += 1;
        url.clone()
            .ok_or_else(|| Error::cli("Operation failed or canceled"))
    }

    /// The operation is still running: wait as `response` says.
    fn again(&mut self, arm: &Arm, response: &Response) {
        self.wait = Some(arm.poll_wait(response, self.polls));
    }
}

/// Polls the newest `Azure-AsyncOperation` URL until its `status` is terminal.
async fn poll_status(arm: &Arm, urls: &mut Urls) -> Result<Option<Value>> {
    let mut pace = Pace::default();
    loop {
        let op = pace.next(&urls.status).await?;
        let response = arm.call(Method::GET, op, None).await?;
        urls.update(&response);
        let status = response
            .body
            .get("status")
            .and_then(Value::as_str)
            .unwrap_or("");
        match terminal(status) {
            Some(true) => return Ok(Some(response.body)),
            Some(false) => return Err(failure(&response.body)),
            None => pace.again(arm, &response),
        }
    }
}

/// Polls the newest `Location` URL until it stops answering 202.
async fn poll_location(arm: &Arm, kind: Kind, urls: &mut Urls) -> Result<Value> {
    let mut pace = Pace::default();
    loop {
        let location = pace.next(&urls.location).await?;
        let response = arm.send(Method::GET, location, None).await?;
        match response.status {
            StatusCode::ACCEPTED => {
                urls.update(&response);
                pace.again(arm, &response);
            }
            StatusCode::NOT_FOUND if kind == Kind::Delete => return Ok(Value::Null),
            s if s.is_success() => return Ok(response.body),
            _ => return Err(arm_error(&response)),
        }
    }
}

/// Polls the resource itself until its `provisioningState` is terminal.
async fn poll_resource(arm: &Arm, kind: Kind, url: Url, initial: &Response) -> Result<Value> {
    let mut polls = 0;
    loop {
        polls += 1;
        tokio::time::sleep(arm.poll_wait(initial, polls)).await;
        let response = arm.send(Method::GET, url.clone(), None).await?;
        if response.status == StatusCode::NOT_FOUND && kind == Kind::Delete {
            return Ok(Value::Null);
        }
        if !response.status.is_success() {
            return Err(arm_error(&response));
        }
        match provisioning_state(&response.body).map(terminal) {
            Some(None) => continue,
            Some(Some(false)) => return Err(failure(&response.body)),
            _ => return Ok(response.body),
        }
    }
}

/// az's indeterminate progress spinner, on stderr and only on a terminal.
struct Spinner {
    task: Option<tokio::task::JoinHandle<()>>,
    diag: crate::io::Diag,
}

impl Spinner {
    fn start(arm: &Arm) -> Spinner {
        let diag = arm.diag().clone();
        let task = diag.stderr_is_tty.then(|| {
            let diag = diag.clone();
            tokio::spawn(async move {
                // A short grace period keeps instant operations free of flicker.
                tokio::time::sleep(std::time::Duration::from_millis(500)).await;
                for frame in ["|", "/", "-", "\\"].iter().cycle() {
                    diag.raw(&format!("\r{frame} Running .."));
                    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
                }
            })
        });
        Spinner { task, diag }
    }

    fn stop(self) {
        if let Some(task) = self.task {
            task.abort();
            self.diag.raw("\r             \r");
        }
    }
}
