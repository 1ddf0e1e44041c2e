//! Which subscription ARM URLs use: `--subscription` (an id or a name, matched against the
//! subscription list as az does), `AZURE_SUBSCRIPTION_ID`, the one stored by `acr account login`, the one an
//! Azure CLI login reports, else the first enabled subscription the identity can see.

use serde_json::Value;

use super::arm::Arm;
use super::auth::{Credential, Source};
use super::secrets::stored_account;
use crate::config::Config;
use crate::error::{Error, Result};
use crate::io::Diag;

/// The subscription for `credential`; `wanted` is `--subscription`.
pub async fn resolve(
    config: &Config,
    diag: &Diag,
    wanted: Option<&str>,
    credential: &Credential,
    http: &reqwest::Client,
) -> Result<String> {
    let lister = || {
        Arm::new(
            http.clone(),
            credential.clone(),
            diag.clone(),
            String::new(),
        )
    };
    if let Some(wanted) = wanted {
        // az matches --subscription against the subscriptions the login can see, by id or by
        // name, case-insensitively; an unknown value (an unknown id included) is warned about
        // and then refused.
        let subscriptions = lister()?.subscriptions().await?;
        let matches = |s: &&Value, key: &str| {
            s.get(key)
                .and_then(Value::as_str)
                .is_some_and(|v| v.eq_ignore_ascii_case(wanted))
        };
        return match subscriptions
            .iter()
            .find(|s| matches(s, "subscriptionId") || matches(s, "displayName"))
            .and_then(|s| s.get("subscriptionId").and_then(Value::as_str))
        {
            Some(id) => Ok(id.to_owned()),
            None => {
                diag.warn(&format!("Subscription '{wanted}' not recognized."));
                Err(Error::cli(format!(
                    "Subscription '{wanted}' not found. Check the spelling and casing and try again."
                )))
            }
        };
    }
    if let Some(id) = config.env().get("AZURE_SUBSCRIPTION_ID") {
        return Ok(id.to_owned());
    }
    if let Source::StoredServicePrincipal { .. } = credential.source
        && let Some(id) = stored_account(config).and_then(|a| a.subscription_id)
    {
        return Ok(id);
    }
    if let Source::AzureCli { .. } = credential.source {
        let token = credential
            .token(&credential.cloud.active_directory_resource_id)
            .await?;
        if let Some(id) = token.subscription {
            return Ok(id);
        }
    }
    let subscriptions = lister()?.subscriptions().await?;
    subscriptions
        .iter()
        .find(|s| {
            s.get("state")
                .and_then(Value::as_str)
                .is_none_or(|state| state.eq_ignore_ascii_case("enabled"))
        })
        .and_then(|s| s.get("subscriptionId").and_then(Value::as_str))
        .map(str::to_owned)
        .ok_or_else(|| Error::cli("No subscriptions found for the signed-in identity."))
}
