//! The real Azure CLI (2.91.0) against the emulator, set up as `real-clients.md` §4 says:
//! isolated config dir, a combined CA bundle in `REQUESTS_CA_BUNDLE`, `az cloud register`
//! with endpoint discovery, managed-identity or service-principal login. Every `az acr token`,
//! `az acr token credential` and `az acr scope-map` verb runs, and structure and exit codes are
//! checked against what Azure gives (az-acr-behaviour.md §14, real-clients.md §4.9).
//!
//! Runs when `ACR_TEST_AZ` names an `az` executable; otherwise it is skipped, unless
//! `ACR_REQUIRE_AZ=1`, which makes a missing az a failure.

use serde_json::Value;

use crate::support::Emu;
pub use crate::support::az::{Az, Login, az_binary};

mod lro;
mod scope_maps;
mod tokens;

pub fn keys(v: &Value) -> Vec<&str> {
    let mut k: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    k.sort();
    k
}

pub const TOKEN_KEYS: &[&str] = &[
    "creationDate",
    "credentials",
    "id",
    "name",
    "provisioningState",
    "resourceGroup",
    "scopeMapId",
    "status",
    "systemData",
    "type",
];
pub const SCOPE_MAP_KEYS: &[&str] = &[
    "actions",
    "creationDate",
    "description",
    "id",
    "name",
    "provisioningState",
    "resourceGroup",
    "systemData",
    "type",
];

/// The management requests of the log (identity requests left out), as `METHOD path status`.
pub async fn arm_requests(e: &Emu) -> Vec<String> {
    e.request_log()
        .await
        .iter()
        .filter(|r| r["path"].as_str().unwrap().starts_with("/subscriptions"))
        .map(|r| {
            let path = r["path"].as_str().unwrap();
            let short = path
                .split("/registries/myregistry")
                .nth(1)
                .map(|p| format!("REG{p}"))
                .unwrap_or_else(|| {
                    if path.ends_with("/resources") {
                        "RES".to_string()
                    } else {
                        path.to_string()
                    }
                });
            format!(
                "{} {} {}",
                r["method"].as_str().unwrap(),
                short,
                r["status"]
            )
        })
        .collect()
}
