//! Long-running operations the way azure-core's ARM polling does them: `Azure-AsyncOperation`
//! (else `Location`) polled until a terminal status, then the final GET of the resource for PUT
//! and PATCH, the `Location` body for POST, nothing for DELETE. A spinner shows on a terminal.

use reqwest::{Method, StatusCode, Url};
use serde_json::Value;

use super::{Arm, Response, arm_error, poll_delay};
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

/// Completes an operation whose first response is `initial`.
pub async fn finish(arm: &Arm, kind: Kind, url: Url, initial: Response) -> Result<Option<Value>> {
    if initial.status == StatusCode::NO_CONTENT {
        return Ok(None);
    }
    let async_op = header_url(&initial, "azure-asyncoperation");
    let location = header_url(&initial, "location");
    let spinner = Spinner::start(arm);
    let result = match (async_op, location.clone()) {
        (Some(op), _) => poll_status(arm, op).await,
        (None, Some(loc)) if initial.status == StatusCode::ACCEPTED => {
            poll_location(arm, kind, loc).await.map(Some)
        }
        _ => match provisioning_state(&initial.body) {
            Some(state) if terminal(state).is_none() && kind != Kind::Post => {
                poll_resource(arm, kind, url.clone(), &initial)
                    .await
                    .map(Some)
            }
            _ => Ok(Some(initial.body.clone())),
        },
    };
    spinner.stop();
    let last = result?;
    match kind {
        Kind::Delete => Ok(None),
        Kind::PutPatch => match header_url(&initial, "azure-asyncoperation") {
            Some(_) => Ok(Some(arm.get(url).await?)),
            None => Ok(last),
        },
        Kind::Post => match (header_url(&initial, "azure-asyncoperation"), location) {
            (Some(_), Some(loc)) => Ok(Some(arm.get(loc).await?)),
            _ => Ok(last),
        },
    }
}

fn provisioning_state(body: &Value) -> Option<&str> {
    body.pointer("/properties/provisioningState")
        .and_then(Value::as_str)
}

/// Polls an `Azure-AsyncOperation` URL until its `status` is terminal.
async fn poll_status(arm: &Arm, op: Url) -> Result<Option<Value>> {
    let mut previous_delay = None;
    let mut polls = 0;
    loop {
        if let Some(delay) = previous_delay {
            tokio::time::sleep(delay).await;
        }
        polls += 1;
        let response = arm.call(Method::GET, op.clone(), None).await?;
        let status = response
            .body
            .get("status")
            .and_then(Value::as_str)
            .unwrap_or("");
        match terminal(status) {
            Some(true) => return Ok(Some(response.body)),
            Some(false) => return Err(failure(&response.body)),
            None => previous_delay = Some(poll_delay(&response, polls)),
        }
    }
}

/// Polls a `Location` URL until it stops answering 202.
async fn poll_location(arm: &Arm, kind: Kind, location: Url) -> Result<Value> {
    let mut delay = None;
    let mut polls = 0;
    loop {
        if let Some(d) = delay {
            tokio::time::sleep(d).await;
        }
        polls += 1;
        let response = arm.send(Method::GET, location.clone(), None).await?;
        match response.status {
            StatusCode::ACCEPTED => delay = Some(poll_delay(&response, polls)),
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
        tokio::time::sleep(poll_delay(initial, polls)).await;
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
