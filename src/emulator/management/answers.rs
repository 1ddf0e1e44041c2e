//! The answers every management handler shares: `ok` and `with_status`, paging (`$skipToken`
//! in, `nextLink` out), and asynchronous answers (`Azure-AsyncOperation`, `Location`,
//! `Retry-After`) with the polls of their operations. Handlers decide what to answer; this
//! module decides how it looks on the wire.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::{Ctx, operations};
use crate::emulator::error::ArmError;

impl Ctx {
    pub(super) fn query(&self, key: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v.as_str())
    }

    /// One page of `items` per `$skipToken` and the page size, with `nextLink` when more remain.
    pub fn page(&self, items: Vec<Value>) -> Result<Response, ArmError> {
        self.page_of(&items, Value::clone)
    }

    /// [`Ctx::page`] rendering only the page's items: rendering all of them for every page
    /// made listing 10,000 tokens (10 pages) quadratic, about 0.6 s a page (issue 12).
    pub fn page_of<T>(
        &self,
        items: &[T],
        render: impl Fn(&T) -> Value,
    ) -> Result<Response, ArmError> {
        let (skip, size) = self.page_window()?;
        let page = items.iter().skip(skip).take(size).map(render).collect();
        Ok(self.page_answer(page, skip, size, items.len()))
    }

    /// The `$skipToken` asked for and the page size: the window of items a page holds.
    pub fn page_window(&self) -> Result<(usize, usize), ArmError> {
        let size = self.state.hooks.page_size().max(1);
        let skip = match self.query("$skipToken") {
            None => 0,
            Some(t) => t.parse::<usize>().map_err(|_| {
                ArmError::bad_request(
                    "InvalidSkipToken",
                    format!("The skip token '{t}' is not valid."),
                )
            })?,
        };
        Ok((skip, size))
    }

    /// The answer holding `page`, the window `skip`, `size` of `total` items, with `nextLink`
    /// when more remain.
    pub fn page_answer(
        &self,
        page: Vec<Value>,
        skip: usize,
        size: usize,
        total: usize,
    ) -> Response {
        let mut body = json!({"value": page});
        if skip.saturating_add(size) < total {
            let mut q = url::form_urlencoded::Serializer::new(String::new());
            for (k, v) in self
                .query
                .iter()
                .filter(|(k, _)| !k.eq_ignore_ascii_case("$skipToken"))
            {
                q.append_pair(k, v);
            }
            q.append_pair("$skipToken", &skip.saturating_add(size).to_string());
            let next = format!("{}{}?{}", self.base(), self.path, q.finish());
            if let Some(o) = body.as_object_mut() {
                o.insert("nextLink".into(), json!(next));
            }
        }
        ok(body)
    }

    /// `Some(n)` when the test hooks ask for asynchronous answers.
    pub fn lro_polls(&self) -> Option<u32> {
        self.state.hooks.lro_polls()
    }

    /// Registers an operation under `parent` (an ARM id), reported as `running` for `polls`
    /// polls, and returns its status and result URLs.
    pub fn start_operation(
        &self,
        parent: &str,
        kind: &str,
        running: &str,
        polls: u32,
        result: Option<Value>,
    ) -> (String, String) {
        let name = format!("{kind}-{}", uuid::Uuid::new_v4());
        let status_path = format!("{parent}/operationStatuses/{name}");
        self.state.operations.start(&name, running, polls, result);
        let registry_path = parent.split("/tokens/").next().unwrap_or(parent);
        let registry_path = registry_path
            .split("/scopeMaps/")
            .next()
            .unwrap_or(registry_path);
        let v = &self.api_version;
        (
            format!("{}{status_path}?api-version={v}", self.base()),
            format!(
                "{}{registry_path}/operationResults/{name}?api-version={v}",
                self.base()
            ),
        )
    }
}

pub fn ok(body: Value) -> Response {
    (StatusCode::OK, axum::Json(body)).into_response()
}

fn with_status(status: StatusCode, body: Value) -> Response {
    (status, axum::Json(body)).into_response()
}

pub(super) fn header_value(s: &str) -> HeaderValue {
    HeaderValue::from_str(s).unwrap_or_else(|_| HeaderValue::from_static(""))
}

impl Ctx {
    /// Adds `Azure-AsyncOperation` (and optionally `Location`) with `Retry-After`.
    pub fn async_headers(
        &self,
        mut resp: Response,
        status_url: &str,
        location: Option<&str>,
    ) -> Response {
        let h = resp.headers_mut();
        // The test hooks' `locationOnly`: an answer with a Location carries only that, so a
        // client must poll the Location.
        if location.is_none() || !self.state.hooks.location_only() {
            h.insert("Azure-AsyncOperation", header_value(status_url));
        }
        if let Some(l) = location {
            h.insert(header::LOCATION, header_value(l));
        }
        h.insert(
            header::RETRY_AFTER,
            HeaderValue::from(self.state.hooks.retry_after()),
        );
        resp
    }

    /// A 201 carrying `body`, with the `Azure-AsyncOperation` of a new operation on
    /// `resource` (an ARM path) that reports `InProgress` `polls` times.
    pub fn created_async(&self, resource: &str, kind: &str, polls: u32, body: Value) -> Response {
        // While running, the status says what the resource does (`Creating`, `Updating`), as
        // the service's did in the recordings.
        let running = match body
            .pointer("/properties/provisioningState")
            .and_then(Value::as_str)
        {
            Some(s @ ("Creating" | "Updating")) => s.to_string(),
            _ => "InProgress".to_string(),
        };
        let (status_url, _) = self.start_operation(resource, kind, &running, polls, None);
        self.async_headers(with_status(StatusCode::CREATED, body), &status_url, None)
    }

    /// The answer to a completed PUT or PATCH of `resource`: 200 with the resource, or 201 with
    /// a new operation's headers and the resource in its `pending` state (`Creating`,
    /// `Updating`) when the test hooks ask for asynchronous answers.
    pub fn written(
        &self,
        resource: &str,
        kind: &str,
        pending: &str,
        render: impl Fn(&str) -> Value,
    ) -> Response {
        match self.lro_polls() {
            None => ok(render("Succeeded")),
            Some(polls) => self.created_async(resource, kind, polls, render(pending)),
        }
    }

    /// The answer to a DELETE of `resource`: 204 when nothing existed, else 200, or 202 with
    /// the operation's headers when the test hooks ask for asynchronous answers.
    pub fn deleted(&self, existed: bool, resource: &str, kind: &str) -> Response {
        if !existed {
            return StatusCode::NO_CONTENT.into_response();
        }
        match self.lro_polls() {
            None => StatusCode::OK.into_response(),
            Some(polls) => {
                let (status_url, location) =
                    self.start_operation(resource, kind, "Deleting", polls, None);
                self.async_headers(
                    StatusCode::ACCEPTED.into_response(),
                    &status_url,
                    Some(&location),
                )
            }
        }
    }
}

pub(super) fn operation_status(ctx: &Ctx, id: &str) -> Result<Response, ArmError> {
    let doc = ctx.state.operations.status(id).ok_or_else(|| {
        ArmError::not_found(
            "ResourceNotFound",
            format!("The operation '{id}' could not be found."),
        )
    })?;
    // Without Retry-After on the poll answer, azure-core waits 30 s before the next poll.
    // The service repeats the status URL as `Azure-AsyncOperation` on every poll answer (a
    // fresh one, the old expired, when the test hooks ask for it).
    let running = doc.get("status").and_then(serde_json::Value::as_str) != Some("Succeeded");
    let url = poll_url(ctx, operations::Url::Status, id, running);
    let resp = ok(doc);
    Ok(ctx.async_headers(resp, &url, None))
}

/// The URL of this poll to hand back: the same, or with a fresh id when the hooks ask for
/// fresh poll URLs and the operation still runs.
fn poll_url(ctx: &Ctx, which: operations::Url, id: &str, running: bool) -> String {
    let fresh = (running && ctx.state.hooks.fresh_poll_urls())
        .then(|| ctx.state.operations.rotate(which, id))
        .flatten();
    let path = match fresh {
        Some(new) => match ctx.path.rsplit_once('/') {
            Some((parent, _)) => format!("{parent}/{new}"),
            None => ctx.path.clone(),
        },
        None => ctx.path.clone(),
    };
    format!("{}{path}?api-version={}", ctx.base(), ctx.api_version)
}

pub(super) fn operation_result(ctx: &Ctx, id: &str) -> Result<Response, ArmError> {
    match ctx.state.operations.outcome(id) {
        None => Err(ArmError::not_found(
            "ResourceNotFound",
            format!("The operation '{id}' could not be found."),
        )),
        Some(operations::Outcome::Running) => {
            let mut resp = StatusCode::ACCEPTED.into_response();
            let url = poll_url(ctx, operations::Url::Result, id, true);
            resp.headers_mut()
                .insert(header::LOCATION, header_value(&url));
            resp.headers_mut().insert(
                header::RETRY_AFTER,
                HeaderValue::from(ctx.state.hooks.retry_after()),
            );
            Ok(resp)
        }
        Some(operations::Outcome::Done(Some(result))) => Ok(ok(result)),
        Some(operations::Outcome::Done(None)) => Ok(StatusCode::NO_CONTENT.into_response()),
    }
}
