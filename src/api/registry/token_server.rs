//! Requests to a registry's token server: one form POSTed to the realm's host (az ignores the
//! realm's path), one field read from the JSON answer, az's connectivity errors on refusal.

use reqwest::StatusCode;
use serde_json::Value;

use super::{connectivity, connectivity_text};
use crate::api::http::{self, Next};
use crate::error::{Error, Result};
use crate::io::Diag;

/// One token-server request: where, what, and what a refusal is called.
pub(super) struct TokenRequest<'a> {
    /// The challenge's realm; only its scheme, host and port are used.
    pub realm: &'a str,
    /// `/oauth2/exchange` or `/oauth2/token`.
    pub path: &'static str,
    pub form: &'a [(&'a str, &'a str)],
    /// The connectivity error title of a refusal (`CONNECTIVITY_ACCESS_TOKEN_ERROR`, …).
    pub title: &'static str,
    /// The field of the answer to return (`access_token` or `refresh_token`).
    pub field: &'static str,
}

impl TokenRequest<'_> {
    /// Sends the request for the registry at `login_server` and returns the field.
    pub(super) async fn send(
        &self,
        http: &reqwest::Client,
        diag: &Diag,
        login_server: &str,
    ) -> Result<String> {
        let TokenRequest {
            realm,
            path,
            form,
            title,
            field,
        } = self;
        let base = reqwest::Url::parse(realm).map_err(|_| connectivity("CONNECTIVITY_WWW_AUTHENTICATE_ERROR", format!("Registry '{login_server}' did not ask properly for a basic or a bearer authentication.")))?;
        // The form carries a password or a refresh token: never in clear text, whatever the
        // challenge says (acr reaches registries over HTTPS only, so an `http` realm is always
        // a downgrade). az would post it; docs/compat.md lists the difference.
        if base.scheme() != "https" {
            return Err(Error::cli(format!(
                "Registry '{login_server}' asked for credentials to be sent to '{realm}', which is not an HTTPS address; acr sends credentials over HTTPS only."
            )));
        }
        let url = format!(
            "{}://{}{path}",
            base.scheme(),
            base.host_str().unwrap_or_default().to_owned()
                + &base.port().map(|p| format!(":{p}")).unwrap_or_default()
        );
        let build = || Ok(http.post(&url).form(form).build()?);
        // One attempt: a token request is never repeated.
        let reply =
            http::exchange(http, diag, build, |_, outcome| {
                Next::Done(outcome.map_err(|e| {
                    Error::Other(anyhow::Error::new(e).context(format!("POST {url}")))
                }))
            })
            .await?;
        let (status, raw) = (reply.status, reply.body);
        if status == StatusCode::TOO_MANY_REQUESTS {
            return Err(Error::TooManyRequests(connectivity_text(
                "CONNECTIVITY_TOOMANYREQUESTS_ERROR",
                &format!(
                    "Too many requests, access to registry '{login_server}' was denied. Please wait a moment before trying again."
                ),
            )));
        }
        if status != StatusCode::OK {
            return Err(connectivity(
                title,
                format!(
                    "Access to registry '{login_server}' was denied. Response code: {}. Please try running 'az login' again to refresh permissions.",
                    status.as_u16()
                ),
            ));
        }
        serde_json::from_slice::<Value>(&raw)
            .ok()
            .and_then(|v| v.get(*field).and_then(Value::as_str).map(str::to_owned))
            .ok_or_else(|| {
                Error::cli(format!(
                    "The registry '{login_server}' returned no {field}."
                ))
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Finding 9: a challenge whose realm is `http://` got the password posted in clear.
    #[tokio::test]
    async fn refuses_a_realm_that_is_not_https() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let realm = format!("http://{}/oauth2/token", listener.local_addr().unwrap());
        let request = TokenRequest {
            realm: &realm,
            path: "/oauth2/token",
            form: &[("grant_type", "password"), ("password", "s3cret")],
            title: "CONNECTIVITY_ACCESS_TOKEN_ERROR",
            field: "access_token",
        };
        let http = reqwest::Client::builder()
            .timeout(std::time::Duration::from_secs(2))
            .build()
            .unwrap();
        let err = request
            .send(&http, &Diag::silent(), "127.0.0.1:1")
            .await
            .unwrap_err();
        assert!(err.to_string().contains("HTTPS only"), "{err}");
        // Nothing connected to the realm.
        assert_eq!(
            listener.accept().map_err(|e| e.kind()).unwrap_err(),
            std::io::ErrorKind::WouldBlock
        );
    }
}
