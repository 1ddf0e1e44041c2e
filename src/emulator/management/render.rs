//! Wire shapes of management responses, per the 2025-04-01 swagger and its examples: ids,
//! proxy-resource envelopes with `systemData`, tokens (password values never included),
//! scope maps (`properties.type` `UserDefined`/`SystemDefined`), registries, subscriptions.
//! Pure functions from store types to JSON; key order follows the examples.

use serde_json::{Value, json};

use crate::emulator::store::{Audit, Registry, ScopeMap, Token};
use crate::emulator::{LOCATION, SUBSCRIPTION_NAME, Settings};

pub const TOKEN_TYPE: &str = "Microsoft.ContainerRegistry/registries/tokens";
pub const SCOPE_MAP_TYPE: &str = "Microsoft.ContainerRegistry/registries/scopeMaps";
pub const REGISTRY_TYPE: &str = "Microsoft.ContainerRegistry/registries";

pub fn registry_id(sub: &str, r: &Registry) -> String {
    format!(
        "/subscriptions/{sub}/resourceGroups/{}/providers/Microsoft.ContainerRegistry/registries/{}",
        r.resource_group, r.name
    )
}

pub fn system_data(a: &Audit) -> Value {
    json!({
        "createdBy": a.created_by,
        "createdByType": a.created_by_type,
        "createdAt": a.created_at,
        "lastModifiedBy": a.modified_by,
        "lastModifiedByType": a.modified_by_type,
        "lastModifiedAt": a.modified_at,
    })
}

#[allow(
    clippy::indexing_slicing,
    reason = "IndexMut only on objects built here by json!({…})"
)]
pub fn token(registry_id: &str, t: &Token, provisioning_state: &str) -> Value {
    let passwords: Vec<Value> = t
        .passwords
        .iter()
        .map(|p| {
            let mut v = json!({"creationTime": p.created_at});
            if let Some(e) = &p.expiry {
                v["expiry"] = json!(e);
            }
            v["name"] = json!(p.name);
            v
        })
        .collect();
    let mut credentials = json!({});
    if !t.certificates.is_empty() {
        let certs: Vec<Value> = t
            .certificates
            .iter()
            .map(|c| {
                let mut v = json!({"name": c.name});
                if let Some(th) = &c.thumbprint {
                    v["thumbprint"] = json!(th);
                }
                if let Some(e) = &c.expiry {
                    v["expiry"] = json!(e);
                }
                v
            })
            .collect();
        credentials["certificates"] = json!(certs);
    }
    credentials["passwords"] = json!(passwords);
    json!({
        "id": format!("{registry_id}/tokens/{}", t.name),
        "name": t.name,
        "type": TOKEN_TYPE,
        "systemData": system_data(&t.audit),
        "properties": {
            "creationDate": t.audit.created_at,
            "scopeMapId": format!("{registry_id}/scopeMaps/{}", t.scope_map),
            "provisioningState": provisioning_state,
            "status": t.status,
            "credentials": credentials,
        }
    })
}

#[allow(
    clippy::indexing_slicing,
    reason = "IndexMut only on an object built here by json!({})"
)]
pub fn scope_map(registry_id: &str, m: &ScopeMap, provisioning_state: &str) -> Value {
    let mut props = json!({});
    if let Some(d) = &m.description {
        props["description"] = json!(d);
    }
    props["type"] = json!(if m.system {
        "SystemDefined"
    } else {
        "UserDefined"
    });
    props["creationDate"] = json!(m.audit.created_at);
    props["provisioningState"] = json!(provisioning_state);
    props["actions"] = json!(m.actions);
    json!({
        "id": format!("{registry_id}/scopeMaps/{}", m.name),
        "name": m.name,
        "type": SCOPE_MAP_TYPE,
        "systemData": system_data(&m.audit),
        "properties": props,
    })
}

pub fn sku(r: &Registry) -> Value {
    json!({"name": r.sku.as_str(), "tier": r.sku.as_str()})
}

pub fn registry(sub: &str, r: &Registry) -> Value {
    let mut v = json!({
        "sku": sku(r),
        "type": REGISTRY_TYPE,
        "id": registry_id(sub, r),
        "name": r.name,
        "location": r.location,
        "tags": r.tags,
        "systemData": system_data(&r.audit),
        "properties": {
            "loginServer": format!("127.0.0.1:{}", r.port),
            "creationDate": r.audit.created_at,
            "provisioningState": "Succeeded",
            "adminUserEnabled": r.admin_user_enabled,
            // As recorded from the service for Premium registries; network rules are a
            // Premium feature, so the other tiers have none.
            "networkRuleSet": {"defaultAction": "Allow", "ipRules": []},
            "policies": {
                "quarantinePolicy": {"status": "disabled"},
                "trustPolicy": {"type": "Notary", "status": "disabled"},
                "retentionPolicy": {"days": 7, "lastUpdatedTime": r.audit.created_at, "status": "disabled"},
                "exportPolicy": {"status": "enabled"},
                "azureADAuthenticationAsArmPolicy": {"status": "enabled"}
            },
            "encryption": {"status": "disabled"},
            "dataEndpointEnabled": false,
            "dataEndpointHostNames": [],
            "privateEndpointConnections": [],
            "publicNetworkAccess": "Enabled",
            "networkRuleBypassOptions": "AzureServices",
            "zoneRedundancy": "Disabled",
            "anonymousPullEnabled": false
        }
    });
    if r.sku != crate::emulator::Sku::Premium
        && let Some(p) = v.get_mut("properties").and_then(Value::as_object_mut)
    {
        p.shift_remove("networkRuleSet");
    }
    v
}

/// An item of the generic resources listing (`GET /subscriptions/{s}/resources`).
pub fn generic_resource(sub: &str, r: &Registry) -> Value {
    json!({
        "id": registry_id(sub, r),
        "name": r.name,
        "type": REGISTRY_TYPE,
        "sku": sku(r),
        "location": r.location,
        "tags": r.tags,
    })
}

pub fn subscription(s: &Settings) -> Value {
    json!({
        "id": format!("/subscriptions/{}", s.subscription_id),
        "authorizationSource": "RoleBased",
        "managedByTenants": [],
        "subscriptionId": s.subscription_id,
        "tenantId": s.tenant_id,
        "displayName": SUBSCRIPTION_NAME,
        "state": "Enabled",
        "subscriptionPolicies": {
            "locationPlacementId": "Public_2014-09-01",
            "quotaId": "PayAsYouGo_2014-09-01",
            "spendingLimit": "Off"
        }
    })
}

pub fn resource_group(sub: &str, name: &str, location: &str) -> Value {
    json!({
        "id": format!("/subscriptions/{sub}/resourceGroups/{name}"),
        "name": name,
        "type": "Microsoft.Resources/resourceGroups",
        "location": if location.is_empty() { LOCATION } else { location },
        "properties": {"provisioningState": "Succeeded"}
    })
}
