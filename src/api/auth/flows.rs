//! How each credential source gets an access token: client credentials (secret or federated
//! assertion) at Entra's v2.0 token endpoint, the App Service and VM managed-identity
//! endpoints (with the VM probe remembered when it fails), and `az account get-access-token`.
//! The cache and the choice of source are in the parent module.

use std::time::Duration;

use serde_json::Value;

use super::{AccessToken, Credential, IMDS_NEGATIVE_TTL_SECS, Source, now};
use crate::api::http;
use crate::config::write_atomic;
use crate::error::{Error, Result};

impl Credential {
    pub(super) async fn fetch(&self, resource: &str) -> Result<AccessToken> {
        match &self.source {
            Source::Environment {
                tenant,
                client_id,
                secret,
            }
            | Source::StoredServicePrincipal {
                tenant,
                client_id,
                secret,
            } => {
                self.client_credentials(
                    tenant,
                    client_id,
                    resource,
                    &[("client_secret", secret.as_str())],
                )
                .await
            }
            Source::WorkloadIdentity {
                tenant,
                client_id,
                token_file,
            } => {
                let assertion = std::fs::read_to_string(token_file).map_err(|e| {
                    Error::cli(format!(
                        "Cannot read the federated token file '{}': {e}",
                        token_file.display()
                    ))
                })?;
                self.client_credentials(
                    tenant,
                    client_id,
                    resource,
                    &[
                        (
                            "client_assertion_type",
                            "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
                        ),
                        ("client_assertion", assertion.trim()),
                    ],
                )
                .await
            }
            Source::AppServiceIdentity {
                endpoint,
                header,
                client_id,
            } => {
                let (client_id, header) = (client_id.as_deref(), Some(header.as_str()));
                self.managed_identity(endpoint, "2019-08-01", resource, client_id, header)
                    .await
            }
            Source::VmIdentity {
                endpoint,
                client_id,
            } => {
                let url = format!("{endpoint}/metadata/identity/oauth2/token");
                self.managed_identity(&url, "2018-02-01", resource, client_id.as_deref(), None)
                    .await
            }
            Source::AzureCli { program, env } => azure_cli_token(program, env, resource).await,
        }
    }

    /// OAuth2 client credentials against `{authority}/{tenant}/oauth2/v2.0/token`.
    async fn client_credentials(
        &self,
        tenant: &str,
        client_id: &str,
        resource: &str,
        secret: &[(&str, &str)],
    ) -> Result<AccessToken> {
        let url = format!("{}/{tenant}/oauth2/v2.0/token", self.cloud.active_directory);
        let scope = format!("{resource}/.default");
        let mut form: Vec<(&str, &str)> = vec![
            ("client_id", client_id),
            ("grant_type", "client_credentials"),
            ("scope", &scope),
        ];
        form.extend_from_slice(secret);
        let request = self.http.post(&url).form(&form);
        self.identity_request(request, "service principal").await
    }

    /// A managed identity's token, from App Service's endpoint or the VM metadata endpoint:
    /// `GET` with the endpoint's API version, the resource and, for a user-assigned identity,
    /// its client id; App Service also wants its `X-IDENTITY-HEADER`.
    async fn managed_identity(
        &self,
        url: &str,
        api_version: &str,
        resource: &str,
        client_id: Option<&str>,
        identity_header: Option<&str>,
    ) -> Result<AccessToken> {
        let mut query = vec![("api-version", api_version), ("resource", resource)];
        query.extend(client_id.map(|id| ("client_id", id)));
        let mut request = self.http.get(url).query(&query);
        if let Some(header) = identity_header {
            request = request.header("X-IDENTITY-HEADER", header);
        }
        let request = request.header("Metadata", "true");
        self.identity_request(request, "managed identity").await
    }

    async fn identity_request(
        &self,
        request: reqwest::RequestBuilder,
        what: &str,
    ) -> Result<AccessToken> {
        let request = request.build()?;
        let body = request
            .body()
            .and_then(|b| b.as_bytes())
            .unwrap_or_default()
            .to_vec();
        http::log_request(
            &self.diag,
            request.method(),
            request.url().as_str(),
            request.headers(),
            &body,
        );
        let response = self.http.execute(request).await.map_err(|e| {
            Error::Other(
                anyhow::Error::new(e).context(format!("cannot reach the {what} token endpoint")),
            )
        })?;
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response.bytes().await?;
        http::log_response(&self.diag, status, &headers, &bytes);
        let json: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        if !status.is_success() {
            let detail = json
                .get("error_description")
                .or_else(|| json.get("message"))
                .or_else(|| json.get("error"))
                .and_then(Value::as_str)
                .map(str::to_owned)
                .unwrap_or_else(|| format!("HTTP {}", status.as_u16()));
            return Err(Error::cli(format!(
                "Authentication with the {what} failed: {detail}"
            )));
        }
        parse_token_response(&json).ok_or_else(|| {
            Error::cli(format!(
                "The {what} token endpoint returned no access token."
            ))
        })
    }

    /// Whether the VM metadata endpoint answers; remembered for a while when it does not.
    pub(super) async fn imds_available(&self) -> bool {
        let Source::VmIdentity { endpoint, .. } = &self.source else {
            return false;
        };
        let marker = self.cache_path.with_file_name("imds-unavailable");
        if let Ok(text) = std::fs::read_to_string(&marker)
            && text.trim().parse::<i64>().is_ok_and(|until| until > now())
        {
            return false;
        }
        let probe = self
            .http
            .get(format!("{endpoint}/metadata/identity/oauth2/token"))
            .timeout(Duration::from_millis(800))
            .send()
            .await;
        // IMDS answers a request without the Metadata header with a JSON OAuth error; anything
        // else (a proxy's error page, a refused connection) means there is no VM identity.
        let available = match probe {
            Ok(response) => response
                .json::<Value>()
                .await
                .is_ok_and(|body| body.get("error").is_some()),
            Err(_) => false,
        };
        if !available {
            let _ = write_atomic(
                &marker,
                (now() + IMDS_NEGATIVE_TTL_SECS).to_string().as_bytes(),
                false,
            );
        }
        available
    }
}

/// `access_token` plus `expires_on` (epoch, number or string) or `expires_in` (seconds).
fn parse_token_response(json: &Value) -> Option<AccessToken> {
    let token = json.get("access_token")?.as_str()?.to_owned();
    let number = |v: &Value| {
        v.as_i64()
            .or_else(|| v.as_str().and_then(|s| s.parse().ok()))
    };
    let expires_on = json
        .get("expires_on")
        .and_then(number)
        .or_else(|| {
            json.get("expires_in")
                .and_then(number)
                .map(|secs| now() + secs)
        })
        .unwrap_or_else(|| now() + 3600);
    Some(AccessToken {
        token,
        expires_on,
        subscription: None,
        tenant: None,
    })
}

/// `az account get-access-token --resource R`.
async fn azure_cli_token(
    program: &str,
    env: &crate::config::Env,
    resource: &str,
) -> Result<AccessToken> {
    let output = tokio::process::Command::new(program)
        .args([
            "account",
            "get-access-token",
            "--resource",
            resource,
            "-o",
            "json",
            "--only-show-errors",
        ])
        .env_clear()
        .envs(env.vars())
        .stdin(std::process::Stdio::null())
        .output()
        .await
        .map_err(|e| Error::cli(format!("Cannot run the Azure CLI ('{program}'): {e}")))?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let first = stderr
            .lines()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("no message")
            .trim_start_matches("ERROR: ");
        return Err(Error::NotSignedIn(format!(
            "Please run 'acr account login' to setup account. (Azure CLI: {first})"
        )));
    }
    let json: Value = serde_json::from_slice(&output.stdout)?;
    let token = json
        .get("accessToken")
        .and_then(Value::as_str)
        .ok_or_else(|| Error::cli("The Azure CLI returned no access token."))?;
    let expires_on = json
        .get("expires_on")
        .and_then(|v| {
            v.as_i64()
                .or_else(|| v.as_str().and_then(|s| s.parse().ok()))
        })
        .unwrap_or_else(|| now() + 300);
    Ok(AccessToken {
        token: token.to_owned(),
        expires_on,
        subscription: json
            .get("subscription")
            .and_then(Value::as_str)
            .map(str::to_owned),
        tenant: json
            .get("tenant")
            .and_then(Value::as_str)
            .map(str::to_owned),
    })
}

pub(super) fn which(program: &str, path: Option<&str>) -> bool {
    if program.contains('/') {
        return std::path::Path::new(program).is_file();
    }
    path.unwrap_or_default()
        .split(':')
        .any(|dir| std::path::Path::new(dir).join(program).is_file())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_responses() {
        let t = parse_token_response(
            &serde_json::json!({"access_token": "a", "expires_on": "1700000000"}),
        )
        .unwrap();
        assert_eq!((t.token.as_str(), t.expires_on), ("a", 1_700_000_000));
        let t = parse_token_response(&serde_json::json!({"access_token": "a", "expires_in": 60}))
            .unwrap();
        assert!(t.expires_on > now());
        assert!(parse_token_response(&serde_json::json!({"error": "x"})).is_none());
    }
}
