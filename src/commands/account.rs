//! `acr account login|show|logout`: az's `az login --service-principal`, `az account show` and
//! `az logout` for the identity acr uses. The secret goes to the OS keyring (or, when asked
//! for, a 0600 file); only ids are written to `account.json`.

use serde_json::{Value, json};

use crate::api::arm::Arm;
use crate::api::auth::{self, Credential, Source};
use crate::api::secrets::{self, StoredAccount};
use crate::cli::account::{AccountCommand, AccountLoginArgs};
use crate::context::Context;
use crate::error::{Error, Result};
use crate::output::Output;

pub async fn run(ctx: &mut Context, command: AccountCommand) -> Result<Output> {
    match command {
        AccountCommand::Login(args) => login(ctx, args).await,
        AccountCommand::Show(_) => show(ctx).await,
        AccountCommand::Logout(_) => logout(ctx).await,
    }
}

fn subscription_document(
    sub: &Value,
    cloud: &str,
    tenant: &str,
    user: Value,
    is_default: bool,
) -> Value {
    json!({
        "cloudName": cloud,
        "homeTenantId": sub.get("tenantId").cloned().unwrap_or(Value::String(tenant.to_owned())),
        "id": sub.get("subscriptionId").cloned().unwrap_or(Value::Null),
        "isDefault": is_default,
        "managedByTenants": sub.get("managedByTenants").cloned().unwrap_or(json!([])),
        "name": sub.get("displayName").cloned().unwrap_or(Value::Null),
        "state": sub.get("state").cloned().unwrap_or(Value::Null),
        "tenantId": sub.get("tenantId").cloned().unwrap_or(Value::String(tenant.to_owned())),
        "user": user,
    })
}

async fn login(ctx: &mut Context, args: AccountLoginArgs) -> Result<Output> {
    if !args.service_principal {
        return Err(Error::cli(
            "usage error: acr account login signs in service principals only: --service-principal -u APP_ID --tenant TENANT (-p SECRET | --password-stdin)",
        ));
    }
    let client_id = args
        .username
        .clone()
        .ok_or_else(|| Error::cli("usage error: --username/-u (the application id) is required"))?;
    let tenant = args
        .tenant
        .clone()
        .ok_or_else(|| Error::cli("usage error: --tenant is required with --service-principal"))?;
    let secret = match (args.password, args.password_stdin) {
        (Some(p), _) => p,
        (None, true) => ctx.io.read_all()?,
        (None, false) => {
            return Err(Error::cli(
                "usage error: give the secret with --password-stdin (or -p)",
            ));
        }
    };
    let cloud = ctx.cloud()?;
    let http = ctx.http()?;
    let source = Source::StoredServicePrincipal {
        tenant: tenant.clone(),
        client_id: client_id.clone(),
        secret: secret.clone(),
    };
    let credential =
        Credential::with_source(&ctx.config, &cloud, http.clone(), ctx.diag.clone(), source);
    let arm = Arm::new(http, credential, ctx.diag.clone(), String::new())?;
    let subscriptions = arm.subscriptions().await?;
    let default = subscriptions.iter().find(|s| {
        s.get("state")
            .and_then(Value::as_str)
            .is_none_or(|st| st.eq_ignore_ascii_case("enabled"))
    });
    let account = StoredAccount {
        cloud: cloud.name.clone(),
        tenant: tenant.clone(),
        client_id: client_id.clone(),
        subscription_id: default
            .and_then(|s| s.get("subscriptionId"))
            .and_then(Value::as_str)
            .map(str::to_owned),
        subscription_name: default
            .and_then(|s| s.get("displayName"))
            .and_then(Value::as_str)
            .map(str::to_owned),
        secret_store: secrets::preferred_store(&ctx.config)?.to_owned(),
    };
    secrets::save(&ctx.config, &account, &secret).await?;
    let bytes = serde_json::to_vec_pretty(&account)?;
    crate::config::write_atomic(&secrets::account_path(&ctx.config), &bytes, true)?;
    let user = json!({"name": client_id, "type": "servicePrincipal"});
    let listed: Vec<Value> = subscriptions
        .iter()
        .map(|s| {
            let is_default =
                s.get("subscriptionId") == default.and_then(|d| d.get("subscriptionId"));
            subscription_document(s, &cloud.name, &tenant, user.clone(), is_default)
        })
        .collect();
    Ok(Output::value(Value::Array(listed)))
}

async fn show(ctx: &mut Context) -> Result<Output> {
    let arm = ctx.arm().await?;
    let credential = arm.credential();
    let subscription = arm.subscription(&arm.subscription).await?;
    let token = credential
        .token(&credential.cloud.active_directory_resource_id)
        .await?;
    let claims = auth::jwt_claims(&token.token).unwrap_or(Value::Null);
    let tenant = credential
        .source
        .tenant()
        .map(str::to_owned)
        .or_else(|| claims.get("tid").and_then(Value::as_str).map(str::to_owned))
        .unwrap_or_default();
    let user = match &credential.source {
        Source::AppServiceIdentity { .. } | Source::VmIdentity { .. } => {
            json!({"assignedIdentityInfo": "MSI", "name": "systemAssignedIdentity", "type": "servicePrincipal"})
        }
        Source::AzureCli { .. } => {
            let name = ["upn", "unique_name", "appid"]
                .iter()
                .find_map(|k| claims.get(*k).and_then(Value::as_str))
                .unwrap_or_default();
            json!({"name": name, "type": if claims.get("upn").is_some() { "user" } else { "servicePrincipal" }})
        }
        other => json!({"name": other.client_id().unwrap_or_default(), "type": "servicePrincipal"}),
    };
    Ok(Output::value(subscription_document(
        &subscription,
        &credential.cloud.name,
        &tenant,
        user,
        true,
    )))
}

async fn logout(ctx: &mut Context) -> Result<Output> {
    let Some(account) = secrets::stored_account(&ctx.config) else {
        return Err(Error::cli("There are no active accounts."));
    };
    secrets::delete(&ctx.config, &account).await?;
    let _ = std::fs::remove_file(secrets::account_path(&ctx.config));
    Credential::clear_cache(&ctx.config);
    Ok(Output::none())
}
