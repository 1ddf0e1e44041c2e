//! Typed operations on a registry's tokens and their passwords: get, list, create (PUT),
//! update (PATCH), delete, and `generateCredentials`. The request bodies are built here, in
//! the key order az sends them; commands say what to change, never how the URL or body looks.

use reqwest::Method;
use serde_json::{Map, Value, json};

use super::{Arm, RegistryRef, Sent, arm_error, lro};
use crate::api::encode::arm_segment;
use crate::error::Result;

/// How many times a `generateCredentials` whose outcome was unknown is sent again.
const UNKNOWN_ROUNDS: u32 = 5;

/// The properties a token PATCH changes; `None` leaves a property as it is (D1).
#[derive(Debug, Default, Clone)]
pub struct TokenPatch {
    pub scope_map_id: Option<String>,
    pub status: Option<String>,
    /// The names of the passwords to keep (the others are deleted), in the service's order.
    pub passwords: Option<Vec<String>>,
}

impl TokenPatch {
    fn body(&self) -> Value {
        let mut properties = Map::new();
        if let Some(id) = &self.scope_map_id {
            properties.insert("scopeMapId".into(), Value::String(id.clone()));
        }
        if let Some(status) = &self.status {
            properties.insert("status".into(), Value::String(status.clone()));
        }
        if let Some(names) = &self.passwords {
            let passwords: Vec<Value> = names.iter().map(|n| json!({"name": n})).collect();
            properties.insert("credentials".into(), json!({"passwords": passwords}));
        }
        json!({"properties": properties})
    }
}

/// What `generateCredentials` is asked for.
#[derive(Debug, Clone, Copy)]
pub struct Generate<'a> {
    pub token: &'a str,
    /// `password1` or `password2`; `None` regenerates both (the service's default).
    pub password: Option<&'a str>,
    /// The expiry as the service takes it (`resolve::expiration::to_request`).
    pub expiry: Option<&'a str>,
}

impl Arm {
    fn token_url(&self, registry: &RegistryRef, name: &str) -> Result<reqwest::Url> {
        self.registry_url(registry, &format!("/tokens/{}", arm_segment(name)))
    }

    /// `GET …/tokens/{name}`.
    pub async fn get_token(&self, registry: &RegistryRef, name: &str) -> Result<Value> {
        self.get(self.token_url(registry, name)?).await
    }

    /// `GET …/tokens`, every page.
    pub async fn list_tokens(&self, registry: &RegistryRef) -> Result<Vec<Value>> {
        self.list(self.registry_url(registry, "/tokens")?).await
    }

    /// `PUT …/tokens/{name}` with a scope map and a status; the created token.
    pub async fn put_token(
        &self,
        registry: &RegistryRef,
        name: &str,
        scope_map_id: &str,
        status: &str,
    ) -> Result<Value> {
        let body = json!({"properties": {"scopeMapId": scope_map_id, "status": status}});
        self.put_or_patch(Method::PUT, self.token_url(registry, name)?, &body)
            .await
    }

    /// `PATCH …/tokens/{name}`; the updated token.
    pub async fn patch_token(
        &self,
        registry: &RegistryRef,
        name: &str,
        patch: &TokenPatch,
    ) -> Result<Value> {
        self.put_or_patch(
            Method::PATCH,
            self.token_url(registry, name)?,
            &patch.body(),
        )
        .await
    }

    /// `DELETE …/tokens/{name}`.
    pub async fn delete_token(&self, registry: &RegistryRef, name: &str) -> Result<()> {
        self.delete(self.token_url(registry, name)?).await
    }

    /// `POST …/generateCredentials`; the service's result (username and passwords).
    ///
    /// The POST creates secrets, so it is never repeated blindly: when its outcome is unknown
    /// (a 5xx, or the connection dropped after it was sent), the token is read again first. A
    /// missing token ends it with the service's 404; otherwise whatever the lost request did
    /// is a password nobody received, and sending the request again replaces it. After such a
    /// recovery the token is read once more to check that the passwords returned are the ones
    /// in effect (a lost request landing late would have replaced them): if not, again.
    pub async fn generate_credentials(
        &self,
        registry: &RegistryRef,
        request: &Generate<'_>,
    ) -> Result<Value> {
        let mut body = json!({"tokenId": registry.token_id(request.token)});
        if let Some(name) = request.password {
            body["name"] = Value::String(name.to_owned());
        }
        if let Some(expiry) = request.expiry {
            body["expiry"] = Value::String(expiry.to_owned());
        }
        let url = self.registry_url(registry, "/generateCredentials")?;
        let mut recovered = false;
        let mut round = 0;
        loop {
            round += 1;
            let initial = match self
                .exchange(Method::POST, url.clone(), Some(&body))
                .await?
            {
                Sent::Answer(r) if r.status.is_success() => r,
                Sent::Answer(r) => return Err(arm_error(&r)),
                Sent::Unknown(ended) => {
                    if round >= UNKNOWN_ROUNDS {
                        return Err(match ended {
                            Ok(response) => arm_error(&response),
                            Err(e) => e,
                        });
                    }
                    let token = self.get_token(registry, request.token).await?;
                    self.diag.debug(&format!(
                        "generateCredentials: outcome unknown; token '{}' has passwords {}; generating again.",
                        request.token,
                        password_times(&token)
                    ));
                    recovered = true;
                    tokio::time::sleep(self.backoff.wait(round, None)).await;
                    continue;
                }
            };
            let result = lro::finish(self, lro::Kind::Post, url.clone(), initial)
                .await?
                .unwrap_or(Value::Null);
            if recovered && round < UNKNOWN_ROUNDS {
                let token = self.get_token(registry, request.token).await?;
                if !in_effect(&result, &token) {
                    self.diag.debug(
                        "generateCredentials: a lost request replaced the new passwords; generating again.",
                    );
                    continue;
                }
            }
            return Ok(result);
        }
    }
}

/// `name@creationTime` of each password of a token (for `--debug`).
fn password_times(token: &Value) -> String {
    let passwords = token
        .pointer("/properties/credentials/passwords")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let shown: Vec<String> = passwords
        .iter()
        .map(|p| {
            format!(
                "{}@{}",
                p["name"].as_str().unwrap_or("?"),
                p["creationTime"].as_str().unwrap_or("?")
            )
        })
        .collect();
    format!("[{}]", shown.join(", "))
}

/// Whether every password of a `generateCredentials` result is the one the token now has
/// (same name, same creation time).
fn in_effect(result: &Value, token: &Value) -> bool {
    let held = token
        .pointer("/properties/credentials/passwords")
        .and_then(Value::as_array);
    let generated = result["passwords"].as_array();
    match (generated, held) {
        (Some(generated), Some(held)) => generated.iter().all(|g| {
            held.iter()
                .any(|h| h["name"] == g["name"] && h["creationTime"] == g["creationTime"])
        }),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_patch_sends_only_what_changes_in_az_order() {
        assert_eq!(TokenPatch::default().body(), json!({"properties": {}}));
        let patch = TokenPatch {
            scope_map_id: Some("/x/scopeMaps/m".into()),
            status: Some("disabled".into()),
            passwords: None,
        };
        assert_eq!(
            patch.body().to_string(),
            r#"{"properties":{"scopeMapId":"/x/scopeMaps/m","status":"disabled"}}"#
        );
        let keep = TokenPatch {
            passwords: Some(vec!["password2".into()]),
            ..TokenPatch::default()
        };
        assert_eq!(
            keep.body(),
            json!({"properties": {"credentials": {"passwords": [{"name": "password2"}]}}})
        );
    }

    #[test]
    fn generated_passwords_in_effect_match_name_and_creation_time() {
        let result =
            json!({"passwords": [{"name": "password1", "creationTime": "t2", "value": "v"}]});
        let token = |t: &str| {
            json!({"properties": {"credentials": {"passwords": [
                {"name": "password1", "creationTime": t},
                {"name": "password2", "creationTime": "t0"}
            ]}}})
        };
        assert!(in_effect(&result, &token("t2")));
        assert!(!in_effect(&result, &token("t3")));
        assert!(!in_effect(&result, &json!({})));
        assert_eq!(password_times(&token("t2")), "[password1@t2, password2@t0]");
    }
}
