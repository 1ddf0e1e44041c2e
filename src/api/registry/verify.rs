//! Whether a registry accepts a token's new password yet (`rotate --verify`): the `/v2/`
//! probe, then one password grant at the token server (or, where the registry asks for Basic,
//! one authenticated `GET /v2/`) per attempt, repeated with a growing pause until it is
//! accepted or the deadline passes. Azure takes up to a minute to replicate a new password.

use std::time::{Duration, Instant};

use reqwest::StatusCode;

use super::challenge::{Challenge, probe};
use super::token_server::TokenRequest;
use crate::error::{Error, Result};
use crate::io::Diag;

/// The pause after the first refusal; it doubles up to [`LONGEST_PAUSE`].
const FIRST_PAUSE: Duration = Duration::from_millis(250);
const LONGEST_PAUSE: Duration = Duration::from_secs(5);

/// Waits until `login_server` accepts `username` with `password`, for at most `timeout`.
/// `Ok(Err(why))` when the deadline passed first (`why`: the last refusal, without secrets).
pub async fn wait_accepted(
    http: &reqwest::Client,
    diag: &Diag,
    login_server: &str,
    username: &str,
    password: &str,
    timeout: Duration,
) -> Result<std::result::Result<(), String>> {
    let deadline = Instant::now() + timeout;
    let challenge = probe(http, diag, login_server, None, login_server).await?;
    let mut pause = FIRST_PAUSE;
    loop {
        let refusal = match attempt(http, diag, login_server, &challenge, username, password).await
        {
            Ok(()) => return Ok(Ok(())),
            Err(why) => why,
        };
        let now = Instant::now();
        if now >= deadline {
            return Ok(Err(refusal));
        }
        diag.info(&format!(
            "The registry does not accept the new password of '{username}' yet; trying again."
        ));
        tokio::time::sleep(pause.min(deadline - now)).await;
        pause = (pause * 2).min(LONGEST_PAUSE);
    }
}

/// One login attempt; the refusal in words.
async fn attempt(
    http: &reqwest::Client,
    diag: &Diag,
    login_server: &str,
    challenge: &Challenge,
    username: &str,
    password: &str,
) -> std::result::Result<(), String> {
    match challenge {
        Challenge::Bearer { realm, service } => {
            // No scope: the grant itself proves the password; what it may do is not asked.
            let form = [
                ("grant_type", "password"),
                ("service", service.as_str()),
                ("username", username),
                ("password", password),
            ];
            let request = TokenRequest {
                realm,
                path: "/oauth2/token",
                form: &form,
                title: "CONNECTIVITY_ACCESS_TOKEN_ERROR",
                field: "access_token",
            };
            request
                .send(http, diag, login_server)
                .await
                .map(drop)
                .map_err(|e| e.to_string())
        }
        Challenge::Basic => {
            let url = format!("https://{login_server}/v2/");
            let response = http
                .get(&url)
                .basic_auth(username, Some(password))
                .send()
                .await
                .map_err(|e| Error::from(e).to_string())?;
            match response.status() {
                StatusCode::OK => Ok(()),
                status => Err(format!(
                    "Registry '{login_server}' answered {} to the new password.",
                    status.as_u16()
                )),
            }
        }
    }
}
