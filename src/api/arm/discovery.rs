//! Which resource group a registry lives in (D6). With `-g` or a configured default group the
//! registry id is built locally; otherwise a persistent cache maps (ARM endpoint, subscription,
//! registry) to the group and the id ARM listed, and only a cache miss (or a 404 on a cached
//! group) costs the subscription-wide resources listing az makes on every command.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{Arm, RESOURCES_API_VERSION};
use crate::api::encode::arm_segment;
use crate::config::{Config, read_json, write_atomic};
use crate::error::{Error, Result};

/// A registry located in ARM.
#[derive(Debug, Clone, PartialEq)]
pub struct RegistryRef {
    pub subscription: String,
    /// The group used in URLs: as typed with `-g`, lower-cased when discovered (as az does).
    pub resource_group: String,
    /// The registry name, as typed (not lower-cased).
    pub name: String,
    /// The registry id used to build token and scope-map ids.
    pub id: String,
    /// Whether the group came from the discovery cache (and may be stale).
    pub from_cache: bool,
}

impl RegistryRef {
    /// Built from a known group, with no request.
    pub fn known(subscription: &str, resource_group: &str, name: &str) -> RegistryRef {
        RegistryRef {
            subscription: subscription.to_owned(),
            resource_group: resource_group.to_owned(),
            name: name.to_owned(),
            id: format!(
                "/subscriptions/{subscription}/resourceGroups/{resource_group}/providers/Microsoft.ContainerRegistry/registries/{name}"
            ),
            from_cache: false,
        }
    }

    /// The URL path of the registry (segments percent-encoded).
    pub fn path(&self) -> String {
        format!(
            "/subscriptions/{}/resourceGroups/{}/providers/Microsoft.ContainerRegistry/registries/{}",
            arm_segment(&self.subscription),
            arm_segment(&self.resource_group),
            arm_segment(&self.name)
        )
    }

    pub fn token_id(&self, token: &str) -> String {
        format!("{}/tokens/{token}", self.id)
    }

    pub fn scope_map_id(&self, scope_map: &str) -> String {
        format!("{}/scopeMaps/{scope_map}", self.id)
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct CacheEntry {
    resource_group: String,
    id: String,
}

/// The discovery cache file.
pub struct Cache {
    path: PathBuf,
}

impl Cache {
    pub fn new(config: &Config) -> Cache {
        Cache {
            path: config.dir().join("registries.json"),
        }
    }

    fn key(arm: &Arm, name: &str) -> String {
        format!(
            "{}|{}|{}",
            arm.endpoint(),
            arm.subscription,
            name.to_lowercase()
        )
    }

    fn read(&self) -> BTreeMap<String, CacheEntry> {
        read_json(&self.path)
    }

    fn write(&self, entries: &BTreeMap<String, CacheEntry>) {
        // An unwritable cache only costs a listing next time.
        if let Ok(bytes) = serde_json::to_vec_pretty(entries) {
            let _ = write_atomic(&self.path, &bytes, false);
        }
    }

    fn get(&self, arm: &Arm, name: &str) -> Option<CacheEntry> {
        self.read().remove(&Self::key(arm, name))
    }

    fn put(&self, arm: &Arm, name: &str, entry: Option<CacheEntry>) {
        let mut entries = self.read();
        match entry {
            Some(e) => entries.insert(Self::key(arm, name), e),
            None => entries.remove(&Self::key(arm, name)),
        };
        self.write(&entries);
    }
}

/// Locates `name`: from `group` when given, else from the cache, else from the listing.
pub async fn locate(
    arm: &Arm,
    cache: &Cache,
    name: &str,
    group: Option<&str>,
) -> Result<RegistryRef> {
    if let Some(group) = group {
        return Ok(RegistryRef::known(&arm.subscription, group, name));
    }
    if let Some(entry) = cache.get(arm, name) {
        return Ok(RegistryRef {
            subscription: arm.subscription.clone(),
            resource_group: entry.resource_group,
            name: name.to_owned(),
            id: entry.id,
            from_cache: true,
        });
    }
    discover(arm, cache, name).await
}

/// Drops a stale cache entry and lists again; `None` when the registry maps to the same group
/// (the 404 was genuine).
pub async fn refresh(arm: &Arm, cache: &Cache, stale: &RegistryRef) -> Result<Option<RegistryRef>> {
    cache.put(arm, &stale.name, None);
    let fresh = discover(arm, cache, &stale.name).await?;
    Ok((fresh.resource_group != stale.resource_group).then_some(fresh))
}

/// az's `get_resource_group_name_by_registry_name`: the subscription-wide resources listing.
async fn discover(arm: &Arm, cache: &Cache, name: &str) -> Result<RegistryRef> {
    let url = arm.url(
        &format!(
            "/subscriptions/{}/resources",
            arm_segment(&arm.subscription)
        ),
        &[
            (
                "$filter",
                "resourceType eq 'Microsoft.ContainerRegistry/registries'",
            ),
            ("api-version", RESOURCES_API_VERSION),
        ],
    )?;
    let items = arm.list(url).await?;
    let matches: Vec<&Value> = items
        .iter()
        .filter(|r| {
            r.get("name")
                .and_then(Value::as_str)
                .is_some_and(|n| n.eq_ignore_ascii_case(name))
        })
        .collect();
    let item = match matches.as_slice() {
        [one] => *one,
        [] => return Err(not_found(arm, name).await),
        _ => {
            return Err(Error::cli(format!(
                "More than one resources with type 'Microsoft.ContainerRegistry/registries' are found with name '{name}'."
            )));
        }
    };
    let id = item
        .get("id")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    let lower = id.to_lowercase();
    // az-compat: the group is read from the lower-cased id, so discovered groups are lower case.
    let resource_group = lower
        .split_once("/resourcegroups/")
        .and_then(|(_, rest)| rest.split_once("/providers/"))
        .map(|(group, _)| group.to_owned())
        .ok_or_else(|| Error::cli(format!("The registry id '{id}' has no resource group.")))?;
    cache.put(
        arm,
        name,
        Some(CacheEntry {
            resource_group: resource_group.clone(),
            id: id.clone(),
        }),
    );
    Ok(RegistryRef {
        subscription: arm.subscription.clone(),
        resource_group,
        name: name.to_owned(),
        id,
        from_cache: false,
    })
}

async fn not_found(arm: &Arm, name: &str) -> Error {
    let prefix = format!(
        "The resource with name '{name}' and type 'Microsoft.ContainerRegistry/registries' could not be found"
    );
    match arm.subscription(&arm.subscription).await {
        Ok(sub) => {
            let display = sub
                .get("displayName")
                .and_then(Value::as_str)
                .unwrap_or_default();
            Error::RegistryNotFound(format!(
                "{prefix} in subscription '{display} ({})'.",
                arm.subscription
            ))
        }
        Err(_) => Error::RegistryNotFound(format!("{prefix} in the current subscription.")),
    }
}
