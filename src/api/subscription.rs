//! Which subscription ARM URLs use: `--subscription` (an id, or a name looked up in the
//! subscription list), `AZURE_SUBSCRIPTION_ID`, the one stored by `acr account login`, the one an
//! Azure CLI login reports, else the first enabled subscription the identity can see.

use serde_json::Value;

use super::arm::Arm;
use super::auth::{Credential, Source, stored_account};
use crate::context::Context;
use crate::error::{Error, Result};

fn looks_like_id(value: &str) -> bool {
    value.len() == 36
        && value.chars().enumerate().all(|(i, c)| {
            if [8, 13, 18, 23].contains(&i) {
                c == '-'
            } else {
                c.is_ascii_hexdigit()
            }
        })
}

pub async fn resolve(
    ctx: &Context,
    credential: &Credential,
    http: &reqwest::Client,
) -> Result<String> {
    let lister = || {
        Arm::new(
            http.clone(),
            credential.clone(),
            ctx.diag.clone(),
            String::new(),
        )
    };
    if let Some(wanted) = ctx.global.subscription.clone() {
        if looks_like_id(&wanted) {
            return Ok(wanted);
        }
        let subscriptions = lister()?.subscriptions().await?;
        return subscriptions
            .iter()
            .find(|s| s.get("displayName").and_then(Value::as_str).is_some_and(|n| n.eq_ignore_ascii_case(&wanted)))
            .and_then(|s| s.get("subscriptionId").and_then(Value::as_str))
            .map(str::to_owned)
            .ok_or_else(|| Error::cli(format!("Subscription '{wanted}' not found. Check the spelling and casing and try again.")));
    }
    if let Some(id) = ctx.config.env().get("AZURE_SUBSCRIPTION_ID") {
        return Ok(id.to_owned());
    }
    if let Source::StoredServicePrincipal { .. } = credential.source
        && let Some(id) = stored_account(&ctx.config).and_then(|a| a.subscription_id)
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

#[cfg(test)]
mod tests {
    #[test]
    fn ids() {
        assert!(super::looks_like_id("00000000-0000-0000-0000-000000000000"));
        assert!(!super::looks_like_id("Emulator Subscription"));
    }
}
