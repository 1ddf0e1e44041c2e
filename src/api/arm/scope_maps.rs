//! Typed operations on a registry's scope maps: get (or find, where a 404 is an answer), list,
//! create (PUT), update (PATCH) and delete, with the bodies az sends.

use reqwest::Method;
use serde_json::{Value, json};

use super::{Arm, RegistryRef, arm_error};
use crate::api::encode::arm_segment;
use crate::error::Result;

/// Whether a scope-map write creates the scope map or updates it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Write {
    Create,
    Update,
}

/// `{"properties": {"actions": …, "description": …}}`, the description only when given.
fn body(actions: &[String], description: Option<&str>) -> Value {
    let mut properties = json!({"actions": actions});
    if let Some(description) = description {
        properties["description"] = Value::String(description.to_owned());
    }
    json!({"properties": properties})
}

impl Arm {
    fn scope_map_url(&self, registry: &RegistryRef, name: &str) -> Result<reqwest::Url> {
        self.registry_url(registry, &format!("/scopeMaps/{}", arm_segment(name)))
    }

    /// `GET …/scopeMaps/{name}`.
    pub async fn get_scope_map(&self, registry: &RegistryRef, name: &str) -> Result<Value> {
        self.get(self.scope_map_url(registry, name)?).await
    }

    /// `GET …/scopeMaps/{name}`, `None` when the service answers 404.
    pub async fn find_scope_map(
        &self,
        registry: &RegistryRef,
        name: &str,
    ) -> Result<Option<Value>> {
        let response = self
            .send(Method::GET, self.scope_map_url(registry, name)?, None)
            .await?;
        if response.status.is_success() {
            Ok(Some(response.body))
        } else if response.status.as_u16() == 404 {
            Ok(None)
        } else {
            Err(arm_error(&response))
        }
    }

    /// `GET …/scopeMaps`, every page.
    pub async fn list_scope_maps(&self, registry: &RegistryRef) -> Result<Vec<Value>> {
        self.list(self.registry_url(registry, "/scopeMaps")?).await
    }

    /// `PUT …/scopeMaps/{name}` (create) or `PATCH` (update, with the complete action
    /// list); the scope map as it now is.
    pub async fn write_scope_map(
        &self,
        write: Write,
        registry: &RegistryRef,
        name: &str,
        actions: &[String],
        description: Option<&str>,
    ) -> Result<Value> {
        let method = match write {
            Write::Create => Method::PUT,
            Write::Update => Method::PATCH,
        };
        let url = self.scope_map_url(registry, name)?;
        self.put_or_patch(method, url, &body(actions, description))
            .await
    }

    /// `DELETE …/scopeMaps/{name}`.
    pub async fn delete_scope_map(&self, registry: &RegistryRef, name: &str) -> Result<()> {
        self.delete(self.scope_map_url(registry, name)?).await
    }
}
