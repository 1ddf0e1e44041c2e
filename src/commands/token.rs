//! `acr token` and `acr token credential`: create, update, delete, show, list, and password
//! generation and deletion, with az's checks, request sequence and output (D1, D2, D4, D6, D7,
//! D10, D12).

use reqwest::Method;
use serde_json::{Value, json};

use super::shared::{confirm, target, with_registry};
use crate::api::arm::{Arm, RegistryRef};
use crate::api::models;
use crate::cli::token::{
    CredentialCommand, CredentialDeleteArgs, CredentialGenerateArgs, TokenCommand, TokenCreateArgs,
    TokenDeleteArgs, TokenListArgs, TokenShowArgs, TokenUpdateArgs,
};
use crate::context::Context;
use crate::error::{Error, Result};
use crate::io::Diag;
use crate::output::{Output, transformers};
use crate::resolve::{actions, expiration, names};

pub async fn run(ctx: &mut Context, command: TokenCommand) -> Result<Output> {
    match command {
        TokenCommand::Create(args) => create(ctx, args).await,
        TokenCommand::Update(args) => update(ctx, args).await,
        TokenCommand::Delete(args) => delete(ctx, args).await,
        TokenCommand::Show(args) => show(ctx, args).await,
        TokenCommand::List(args) => list(ctx, args).await,
        TokenCommand::Credential(group) => match group.command {
            CredentialCommand::Generate(args) => generate(ctx, args).await,
            CredentialCommand::Delete(args) => delete_credential(ctx, args).await,
        },
    }
}

fn token_name(name: &Option<String>) -> Result<String> {
    let name = name
        .clone()
        .ok_or_else(|| Error::cli("the following arguments are required: --name/-n"))?;
    names::token(&name)?;
    Ok(name)
}

/// The validated input of `token create`.
struct CreateInput {
    name: String,
    scope_map: Option<String>,
    repositories: Vec<Vec<String>>,
    gateways: Vec<Vec<String>>,
    status: &'static str,
    no_passwords: bool,
    expiry: Option<String>,
}

async fn create(ctx: &mut Context, args: TokenCreateArgs) -> Result<Output> {
    let target = target(ctx, &args.registry)?;
    let expiration = args
        .expiration
        .expiration
        .as_deref()
        .map(expiration::parse_expiration)
        .transpose()?;
    let name = token_name(&args.name.name)?;
    if let Some(map) = &args.scope_map {
        names::scope_map(map)?;
    }
    let permissions = &args.permissions;
    let by_permissions = !permissions.repository.is_empty() || !permissions.gateway.is_empty();
    if by_permissions == args.scope_map.as_deref().is_some_and(|m| !m.is_empty()) {
        return Err(Error::cli(
            "usage error: can't use --scope-map and --repository | --gateway",
        ));
    }
    let no_passwords = args.no_passwords.unwrap_or(false);
    let days = args.expiration.expiration_in_days;
    if no_passwords && (days.is_some() || args.expiration.expiration.is_some()) {
        return Err(Error::cli(
            "usage error: --no-passwords and expiration arguments are mutually exclusive.",
        ));
    }
    if days.is_some() && args.expiration.expiration.is_some() {
        return Err(Error::cli(
            "usage error: --expiration and --expiration-in-days are mutually exclusive.",
        ));
    }
    expiration::check_days(days)?;
    let scope_map = if by_permissions {
        names::default_scope_map(&name)?
    } else {
        args.scope_map.clone().unwrap_or_default()
    };
    let expiry = match (days, expiration) {
        (Some(days), _) => Some(expiration::to_request(expiration::days_from_now(
            time::OffsetDateTime::now_utc(),
            days,
        ))),
        (None, Some(at)) => Some(expiration::to_request(at)),
        _ => None,
    };
    let input = CreateInput {
        name,
        scope_map: if by_permissions {
            None
        } else {
            Some(scope_map)
        },
        repositories: permissions.repository.clone(),
        gateways: permissions.gateway.clone(),
        status: args.status.as_str(),
        no_passwords,
        expiry,
    };
    let diag = ctx.diag.clone();
    let input = &input;
    let (token, login_server) = with_registry(ctx, &target, |arm, registry| {
        create_in(arm, registry, input, diag.clone())
    })
    .await?;
    if let (Some(login_server), Some(username)) = (
        login_server,
        token
            .pointer("/credentials/username")
            .and_then(Value::as_str),
    ) {
        // differs from az (D12): az prints password1 here; a secret never goes to stderr.
        ctx.warn(&format!(
            "Please store your generated credentials safely. Meanwhile you can use it through \"docker login {login_server} -u {username} --password-stdin\"."
        ));
    }
    Ok(Output::table(token, transformers::token_table))
}

/// The requests of `token create` against one registry; the token and, when passwords were
/// generated, the login server for the hint.
async fn create_in(
    arm: Arm,
    registry: RegistryRef,
    input: &CreateInput,
    diag: Diag,
) -> Result<(Value, Option<String>)> {
    let scope_map_id = match &input.scope_map {
        Some(map) => registry.scope_map_id(map),
        None => default_scope_map(&arm, &registry, input, &diag).await?,
    };
    let url = arm.registry_url(
        &registry,
        &format!("/tokens/{}", crate::api::arm::segment(&input.name)),
    )?;
    let body = json!({"properties": {"scopeMapId": scope_map_id, "status": input.status}});
    let mut token = models::token(&arm.put_or_patch(Method::PUT, url, &body).await?);
    if input.no_passwords {
        return Ok((token, None));
    }
    let mut request = json!({"tokenId": registry.token_id(&input.name)});
    if let Some(expiry) = &input.expiry {
        request["expiry"] = Value::String(expiry.clone());
    }
    let generated = arm
        .post(
            arm.registry_url(&registry, "/generateCredentials")?,
            &request,
        )
        .await?;
    token["credentials"] = models::credentials(&generated);
    let registry_resource = arm.get(arm.registry_url(&registry, "")?).await?;
    let login_server = registry_resource
        .pointer("/properties/loginServer")
        .and_then(Value::as_str)
        .map(str::to_owned);
    Ok((token, login_server))
}

/// Reuses `{token}-scope-map` when it already grants exactly these actions, fails when it grants
/// others (D10's hint), and creates it when missing. Returns its id.
async fn default_scope_map(
    arm: &Arm,
    registry: &RegistryRef,
    input: &CreateInput,
    diag: &Diag,
) -> Result<String> {
    let map_name = names::default_scope_map(&input.name)?;
    let wanted = actions::parse(&input.repositories, &input.gateways)?;
    let url = arm.registry_url(
        registry,
        &format!("/scopeMaps/{}", crate::api::arm::segment(&map_name)),
    )?;
    let response = arm.send(Method::GET, url.clone(), None).await?;
    if response.status.is_success() {
        let mut existing: Vec<String> = response
            .body
            .pointer("/properties/actions")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default();
        let mut sorted_wanted = wanted.clone();
        existing.sort();
        sorted_wanted.sort();
        if existing == sorted_wanted {
            return Ok(response
                .body
                .get("id")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned());
        }
        // differs from az (D10): the hint names the current flags.
        return Err(Error::cli(format!(
            "The default scope map was already configured with different repository permissions.\nPlease use \"az acr scope-map update -r {} -n {map_name} --add-repository <REPO> <ACTION> --remove-repository <REPO> <ACTION>\" to update.",
            registry.name
        )));
    }
    if response.status.as_u16() != 404 {
        return Err(crate::api::arm::arm_error(&response));
    }
    diag.info(&format!(
        "Creating a scope map \"{map_name}\" for provided permissions."
    ));
    let body = json!({"properties": {"actions": wanted, "description": format!("Created by token: {}", input.name)}});
    let created = arm.put_or_patch(Method::PUT, url, &body).await?;
    Ok(created
        .get("id")
        .and_then(Value::as_str)
        .map(str::to_owned)
        .unwrap_or_else(|| registry.scope_map_id(&map_name)))
}

async fn update(ctx: &mut Context, args: TokenUpdateArgs) -> Result<Output> {
    let target = target(ctx, &args.registry)?;
    let name = token_name(&args.name.name)?;
    if let Some(map) = &args.scope_map {
        names::scope_map(map)?;
    }
    let (name, scope_map, status) = (&name, &args.scope_map, args.status);
    let token = with_registry(ctx, &target, |arm, registry| async move {
        // differs from az (D1): only the properties given are sent; az always sends status.
        let mut properties = serde_json::Map::new();
        if let Some(map) = scope_map {
            properties.insert(
                "scopeMapId".into(),
                Value::String(registry.scope_map_id(map)),
            );
        }
        if let Some(status) = status {
            properties.insert("status".into(), Value::String(status.as_str().into()));
        }
        let url = arm.registry_url(
            &registry,
            &format!("/tokens/{}", crate::api::arm::segment(name)),
        )?;
        arm.put_or_patch(Method::PATCH, url, &json!({"properties": properties}))
            .await
    })
    .await?;
    Ok(Output::table(
        models::token(&token),
        transformers::token_table,
    ))
}

async fn delete(ctx: &mut Context, args: TokenDeleteArgs) -> Result<Output> {
    let target = target(ctx, &args.registry)?;
    let name = token_name(&args.name.name)?;
    if !args.yes.yes
        && !confirm(
            ctx,
            &format!(
                "Deleting the token '{name}' will invalidate access to anyone using its credentials. Proceed?"
            ),
        )?
    {
        return Ok(Output::none());
    }
    let name = &name;
    with_registry(ctx, &target, |arm, registry| async move {
        let url = arm.registry_url(
            &registry,
            &format!("/tokens/{}", crate::api::arm::segment(name)),
        )?;
        arm.delete(url).await
    })
    .await?;
    Ok(Output::none())
}

async fn get_token(arm: &Arm, registry: &RegistryRef, name: &str) -> Result<Value> {
    arm.get(arm.registry_url(
        registry,
        &format!("/tokens/{}", crate::api::arm::segment(name)),
    )?)
    .await
}

async fn show(ctx: &mut Context, args: TokenShowArgs) -> Result<Output> {
    let target = target(ctx, &args.registry)?;
    let name = token_name(&args.name.name)?;
    let name = &name;
    let token = with_registry(ctx, &target, |arm, registry| async move {
        get_token(&arm, &registry, name).await
    })
    .await?;
    Ok(Output::table(
        models::token(&token),
        transformers::token_table,
    ))
}

async fn list(ctx: &mut Context, args: TokenListArgs) -> Result<Output> {
    let target = target(ctx, &args.registry)?;
    let tokens = with_registry(ctx, &target, |arm, registry| async move {
        arm.list(arm.registry_url(&registry, "/tokens")?).await
    })
    .await?;
    Ok(Output::table(
        Value::Array(tokens.iter().map(models::token).collect()),
        transformers::token_table,
    ))
}

async fn generate(ctx: &mut Context, args: CredentialGenerateArgs) -> Result<Output> {
    let target = target(ctx, &args.registry)?;
    let at = args
        .expiration
        .as_deref()
        .map(expiration::parse_expiration)
        .transpose()?;
    let name = token_name(&args.name.name)?;
    expiration::check_days(args.expiration_in_days)?;
    let mut request = json!({});
    // Only one flag names a password; none or both regenerate both (the service's default).
    if args.password1 ^ args.password2 {
        request["name"] = Value::String(
            if args.password1 {
                "password1"
            } else {
                "password2"
            }
            .into(),
        );
    }
    // az-compat: with both expiration flags, --expiration-in-days wins.
    let expiry = match (args.expiration_in_days, at) {
        (Some(days), _) => Some(expiration::to_request(expiration::days_from_now(
            time::OffsetDateTime::now_utc(),
            days,
        ))),
        (None, Some(at)) => Some(expiration::to_request(at)),
        _ => None,
    };
    let (name, request) = (&name, &request);
    let expiry = &expiry;
    let result = with_registry(ctx, &target, |arm, registry| async move {
        let mut body = json!({"tokenId": registry.token_id(name)});
        if let Some(n) = request.get("name") {
            body["name"] = n.clone();
        }
        if let Some(e) = expiry {
            body["expiry"] = Value::String(e.clone());
        }
        arm.post(arm.registry_url(&registry, "/generateCredentials")?, &body)
            .await
    })
    .await?;
    Ok(Output::table(
        models::credentials(&result),
        transformers::credential_table,
    ))
}

async fn delete_credential(ctx: &mut Context, args: CredentialDeleteArgs) -> Result<Output> {
    let target = target(ctx, &args.registry)?;
    let name = token_name(&args.name.name)?;
    if !(args.password1 || args.password2) {
        return Err(Error::cli("No credentials to delete."));
    }
    let (name, password1, password2) = (&name, args.password1, args.password2);
    let token = with_registry(ctx, &target, |arm, registry| async move {
        let token = get_token(&arm, &registry, name).await?;
        let existing: Vec<String> = token
            .pointer("/properties/credentials/passwords")
            .and_then(Value::as_array)
            .map(|p| {
                p.iter()
                    .filter_map(|p| p.get("name").and_then(Value::as_str))
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default();
        for (wanted, slot, label) in [
            (password1, "password1", "Password1"),
            (password2, "password2", "Password2"),
        ] {
            if wanted && !existing.iter().any(|n| n == slot) {
                return Err(Error::cli(format!(
                    "Unable to perform operation. {label} credential doesn't exist."
                )));
            }
        }
        // The PATCH lists the passwords to keep, in the order the service returned them.
        let keep: Vec<Value> = existing
            .iter()
            .filter(|n| !(password1 && *n == "password1" || password2 && *n == "password2"))
            .map(|n| json!({"name": n}))
            .collect();
        let url = arm.registry_url(
            &registry,
            &format!("/tokens/{}", crate::api::arm::segment(name)),
        )?;
        arm.put_or_patch(
            Method::PATCH,
            url,
            &json!({"properties": {"credentials": {"passwords": keep}}}),
        )
        .await
    })
    .await?;
    Ok(Output::table(
        models::token(&token),
        transformers::token_table,
    ))
}
