//! The data-plane client: one authenticated session with a registry, az's
//! `request_data_from_registry` (retries, az's texts for 401/403/404/405/409 without
//! timestamps, D9, and the missing scope-map action named on a refusal) and
//! `_obtain_data_from_registry` (`Link` paging). Paths come from `operations`, never from
//! callers outside the API layer.

use reqwest::{Method, StatusCode};
use serde_json::Value;

use super::RegistryAuth;
use crate::api::http::{self, Next, Reply};
use crate::error::{Error, Result};
use crate::io::Diag;

const PAGE_SIZE: i64 = 100;
const MAX_ATTEMPTS: u32 = 3;

/// An authenticated data-plane session with one registry.
pub struct Registry {
    http: reqwest::Client,
    pub login_server: String,
    auth: RegistryAuth,
    diag: Diag,
}

/// How much of a paged listing to read (`--top`), and in which order (`--orderby`).
#[derive(Debug, Clone, Copy, Default)]
pub struct Page<'a> {
    /// At most this many items; all of them without.
    pub top: Option<i64>,
    /// `timeasc` or `timedesc`; the service's order without.
    pub orderby: Option<&'a str>,
}

/// One response of the registry, read completely.
pub(super) struct Answer {
    pub(super) body: Option<Value>,
    pub(super) link: Option<String>,
}

impl Registry {
    pub fn new(
        http: reqwest::Client,
        login_server: String,
        auth: RegistryAuth,
        diag: Diag,
    ) -> Registry {
        Registry {
            http,
            login_server,
            auth,
            diag,
        }
    }

    /// az's `request_data_from_registry`: one request, retried on connection errors and
    /// unexpected statuses, with 401/404/405/409 failing at once with az's texts.
    pub(super) async fn request(
        &self,
        method: Method,
        path: &str,
        query: &[(String, String)],
        body: Option<&Value>,
    ) -> Result<Answer> {
        let url = format!("https://{}{path}", self.login_server);
        let payload = http::JsonBody::new(body);
        let build = || {
            let request = self
                .http
                .request(method.clone(), &url)
                .query(query)
                .header("Authorization", self.auth.header());
            Ok(payload.attach(request).build()?)
        };
        let verb = method.as_str().to_lowercase();
        // az retries every failure but 401, 403, 404, 405 and 409, which fail at once with its
        // texts; the last failure's text is the error once the attempts are used up.
        http::exchange(&self.http, &self.diag, build, |attempt, outcome| {
            let failure = match outcome {
                Ok(reply) => match answer(reply, &verb) {
                    Ok(done) => return Next::Done(done),
                    Err(message) => message,
                },
                Err(e) => e.to_string(),
            };
            if attempt < MAX_ATTEMPTS {
                return Next::Retry {
                    wait: http::retry_delay(attempt, None),
                    note: format!("Retrying {attempt} with exception {failure}"),
                };
            }
            Next::Done(Err(Error::Registry {
                status: None,
                message: failure,
            }))
        })
        .await
    }

    /// GET and return `body[index]` (or the body), plus the `Link` header.
    pub(super) async fn get(
        &self,
        path: &str,
        query: &[(String, String)],
        index: Option<&str>,
    ) -> Result<(Value, Option<String>)> {
        let answer = self.request(Method::GET, path, query, None).await?;
        let body = answer.body.unwrap_or(Value::Null);
        let value = match index {
            Some(key) => body.get(key).cloned().unwrap_or(Value::Null),
            None => body,
        };
        Ok((value, answer.link))
    }

    /// az's `_obtain_data_from_registry`: `n=100` (or what is left of `--top`) per page, the
    /// `Link` header's query replacing every parameter of the next request on the same path.
    pub(super) async fn paged(
        &self,
        path: &str,
        index: &str,
        page: Page<'_>,
    ) -> Result<Vec<Value>> {
        let mut items = Vec::new();
        let mut params: Vec<(String, String)> = vec![("n".into(), PAGE_SIZE.to_string())];
        if let Some(order) = page.orderby {
            params.push(("orderby".into(), order.to_owned()));
        }
        let mut remaining = page.top;
        loop {
            if let Some(left) = remaining.as_mut() {
                let n = if *left > PAGE_SIZE { PAGE_SIZE } else { *left };
                set_param(&mut params, "n", &n.to_string());
                *left -= n;
            }
            let (page, link) = self.get(path, &params, Some(index)).await?;
            if let Value::Array(page) = page {
                items.extend(page);
            }
            if remaining.is_some_and(|left| left <= 0) {
                break;
            }
            match link.as_deref().and_then(link_params) {
                Some(next) => params = next,
                None => break,
            }
        }
        Ok(items)
    }
}

/// What one response means: an answer, one of az's immediate errors, or (as `Err`) the text
/// of a failure worth another attempt.
fn answer(reply: Reply, verb: &str) -> std::result::Result<Result<Answer>, String> {
    let Reply {
        status,
        headers,
        body: raw,
    } = reply;
    let body: Option<Value> = serde_json::from_slice(&raw).ok();
    let correlation = headers
        .get("x-ms-correlation-request-id")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let fail = |default: &str| Error::Registry {
        status: Some(status.as_u16()),
        message: error_message(default, body.as_ref(), correlation.as_deref()),
    };
    Ok(match status.as_u16() {
        200 | 201 | 202 | 204 => {
            let link = headers
                .get("link")
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned);
            Ok(Answer {
                body: if status == StatusCode::NO_CONTENT {
                    None
                } else {
                    body
                },
                link,
            })
        }
        401 => Err(denied(fail("Authentication required."), body.as_ref())),
        403 => Err(denied(
            fail(&format!("Could not {verb} the requested data.")),
            body.as_ref(),
        )),
        404 => Err(fail("The requested data does not exist.")),
        405 => Err(fail("This operation is not supported.")),
        409 => Err(fail("Failed to request data due to a conflict.")),
        _ => {
            return Err(error_message(
                &format!("Could not {verb} the requested data."),
                body.as_ref(),
                correlation.as_deref(),
            ));
        }
    })
}

fn set_param(params: &mut Vec<(String, String)>, key: &str, value: &str) {
    match params.iter_mut().find(|(k, _)| k == key) {
        Some(entry) => entry.1 = value.to_owned(),
        None => params.push((key.to_owned(), value.to_owned())),
    }
}

/// The query of `<…?a=b&c=d>; rel="next"` as decoded pairs (az ignores the link's path).
fn link_params(link: &str) -> Option<Vec<(String, String)>> {
    let start = link.find('<')? + 1;
    let end = link[start..].find('>')? + start;
    let (_, query) = link[start..end].split_once('?')?;
    Some(
        query
            .split('&')
            .filter_map(|pair| pair.split_once('='))
            .map(|(k, v)| {
                (
                    k.to_owned(),
                    percent_encoding::percent_decode_str(v)
                        .decode_utf8_lossy()
                        .into_owned(),
                )
            })
            .collect(),
    )
}

/// az's `parse_error_message`: the server's `errors[0].message` (and a string `detail`), a
/// final period, and the correlation id, without az's timestamp (D9).
fn error_message(default: &str, body: Option<&Value>, correlation: Option<&str>) -> String {
    let server = body.and_then(|b| b.get("errors")).and_then(|e| e.get(0));
    let mut message = match server
        .and_then(|e| e.get("message"))
        .and_then(Value::as_str)
    {
        Some(text) => match server.and_then(|e| e.get("detail")).and_then(Value::as_str) {
            Some(detail) => format!("Error: {text} Detail: {detail}"),
            None => format!("Error: {text}"),
        },
        None => default.to_owned(),
    };
    if !message.ends_with('.') {
        message.push('.');
    }
    match correlation {
        Some(id) => format!("{message} Correlation ID: {id}."),
        None => message,
    }
}

/// Adds the action the registry reported as missing (ACR's `detail` array) to a refusal, so a
/// user sees which scope-map action the token lacks.
fn denied(error: Error, body: Option<&Value>) -> Error {
    let Error::Registry { status, message } = error else {
        return error;
    };
    let details = body
        .and_then(|b| b.pointer("/errors/0/detail"))
        .and_then(Value::as_array);
    let missing: Vec<String> = details
        .into_iter()
        .flatten()
        .filter_map(|d| {
            let action = d.get("Action").and_then(Value::as_str)?;
            let name = d.get("Name").and_then(Value::as_str).unwrap_or_default();
            let kind = d
                .get("Type")
                .and_then(Value::as_str)
                .unwrap_or("repository");
            Some(format!("'{action}' on {kind} '{name}'"))
        })
        .collect();
    if missing.is_empty() {
        return Error::Registry { status, message };
    }
    // differs from az (stderr only): az prints only the server's message.
    Error::Registry {
        status,
        message: format!(
            "{message}\nThe credentials used do not grant {}.",
            missing.join(", ")
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn link_query_replaces_parameters() {
        assert_eq!(
            link_params("</v2/_catalog?last=r%2F096&n=100>; rel=\"next\"").unwrap(),
            vec![
                ("last".to_owned(), "r/096".to_owned()),
                ("n".to_owned(), "100".to_owned())
            ]
        );
        assert!(link_params("garbage").is_none());
    }

    #[test]
    fn messages_like_az_without_timestamps() {
        let body = json!({"errors": [{"code": "NAME_UNKNOWN", "message": "repository name not known to registry"}]});
        assert_eq!(
            error_message(
                "The requested data does not exist.",
                Some(&body),
                Some("abcd-1234")
            ),
            "Error: repository name not known to registry. Correlation ID: abcd-1234."
        );
        assert_eq!(
            error_message("Authentication required.", None, None),
            "Authentication required."
        );
        let detail = json!({"errors": [{"message": "m", "detail": "d"}]});
        assert_eq!(
            error_message("x", Some(&detail), None),
            "Error: m Detail: d."
        );
    }

    #[test]
    fn missing_actions_are_named() {
        let body = json!({"errors": [{"code": "UNAUTHORIZED", "message": "authentication required", "detail": [{"Type": "repository", "Name": "hello", "Action": "metadata_read"}]}]});
        let e = denied(
            Error::Registry {
                status: Some(401),
                message: "Error: authentication required.".into(),
            },
            Some(&body),
        );
        assert_eq!(
            e.to_string(),
            "Error: authentication required.\nThe credentials used do not grant 'metadata_read' on repository 'hello'."
        );
    }
}
