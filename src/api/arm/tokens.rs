//! Typed operations on a registry's tokens and their passwords: get, list, create (PUT),
//! update (PATCH), delete, and `generateCredentials`. The request bodies are built here, in
//! the key order az sends them; commands say what to change, never how the URL or body looks.

use reqwest::Method;
use serde_json::{Map, Value, json};

use super::{Arm, RegistryRef};
use crate::api::encode::arm_segment;
use crate::error::Result;

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
        self.post(self.registry_url(registry, "/generateCredentials")?, &body)
            .await
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
}
