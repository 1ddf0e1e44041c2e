//! Typed operations on the registry resource itself: get it (login server, SKU, admin user)
//! and list its admin credentials.

use reqwest::Method;
use serde_json::Value;

use super::{Arm, RegistryRef};
use crate::error::Result;

impl Arm {
    /// `GET …/registries/{name}`.
    pub async fn get_registry(&self, registry: &RegistryRef) -> Result<Value> {
        self.get(self.registry_url(registry, "")?).await
    }

    /// `POST …/registries/{name}/listCredentials`: the admin user and its passwords.
    pub async fn list_credentials(&self, registry: &RegistryRef) -> Result<Value> {
        let url = self.registry_url(registry, "/listCredentials")?;
        Ok(self.call(Method::POST, url, None).await?.body)
    }
}
