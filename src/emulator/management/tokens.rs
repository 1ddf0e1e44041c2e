//! Tokens: list, get, create-or-replace (PUT answers 201 with `Azure-AsyncOperation` like the
//! service), PATCH (omitted properties unchanged; `credentials.passwords` lists the passwords
//! to keep), delete. A PUT on an existing token keeps its passwords unless the body lists
//! `credentials.passwords` (then only those are kept). Password values never appear here.

use axum::response::Response;

use super::body::{Obj, invalid_name, parse, required_properties};
use super::models;
use super::path::{Reg, Route};
use super::{Ctx, certificates, ok, render, rules};
use crate::emulator::error::ArmError;
use crate::emulator::store::{CertificateInput, Registry, TokenPatch, TokenPut};

/// The service names token operations `token-<guid>` (every recording; the 2025-04-01
/// examples show `tokens-`, but the URL is opaque to clients).
const OPERATION: &str = "token";

pub async fn list(ctx: &Ctx, reg: &Reg) -> Result<Response, ArmError> {
    // Only the page's tokens are read with their passwords (a query each).
    let (skip, size) = ctx.page_window()?;
    let (id, (tokens, total)) = ctx
        .in_parent(reg, move |db, r| db.list_tokens_window(r, skip, size))
        .await?;
    let page = tokens
        .iter()
        .map(|t| render::token(&id, t, "Succeeded"))
        .collect();
    Ok(ctx.page_answer(page, skip, size, total))
}

pub async fn get(ctx: &Ctx, reg: &Reg, name: &str) -> Result<Response, ArmError> {
    let n = name.to_string();
    let (id, t) = ctx.in_parent(reg, move |db, r| db.get_token(r, &n)).await?;
    Ok(ok(render::token(&id, &t, "Succeeded")))
}

/// The scope-map name of a `scopeMapId`, which must be a scope map of the same registry.
pub fn scope_map_name(
    ctx: &Ctx,
    reg: &Registry,
    id: &str,
    field: &str,
) -> Result<String, ArmError> {
    ctx.linked_child(
        reg,
        id,
        field,
        |route| match route {
            Route::ScopeMap(target, map) => Some((target, map)),
            _ => None,
        },
        |registry| {
            format!(
                "The scope map '{id}' at path '{field}' must belong to the registry '{registry}' of the token."
            )
        },
    )
}

struct Credentials {
    keep_passwords: Option<Vec<String>>,
    certificates: Option<Vec<CertificateInput>>,
}

fn parse_credentials(props: &Obj<'_>) -> Result<Credentials, ArmError> {
    let Some(creds) = props.obj("credentials", models::TOKEN_CREDENTIALS.name)? else {
        return Ok(Credentials {
            keep_passwords: None,
            certificates: None,
        });
    };
    creds.allow_model(&models::TOKEN_CREDENTIALS)?;
    let keep_passwords = match creds.objects("passwords", models::TOKEN_PASSWORD.name)? {
        None => None,
        Some(list) => {
            if list.len() > 2 {
                return Err(ArmError::rule(
                    "A token can have at most two passwords (password1 and password2).",
                ));
            }
            let mut names: Vec<String> = Vec::new();
            for (i, p) in list.iter().enumerate() {
                p.allow_model(&models::TOKEN_PASSWORD)?;
                let Some(name) = p.enumeration("name", models::TOKEN_PASSWORD_NAME)? else {
                    return Err(ArmError::content(format!(
                        "Required property 'name' not found in JSON. Path 'properties.credentials.passwords[{i}]'"
                    )));
                };
                p.date_time("creationTime")?;
                p.date_time("expiry")?;
                if names.iter().any(|n| n == name) {
                    return Err(ArmError::rule(format!(
                        "The password name '{name}' appears more than once."
                    )));
                }
                names.push(name.to_string());
            }
            Some(names)
        }
    };
    let certificates = match creds.objects("certificates", models::TOKEN_CERTIFICATE.name)? {
        None => None,
        Some(list) => {
            if list.len() > 2 {
                return Err(ArmError::rule(
                    "A token can have at most two certificates (certificate1 and certificate2).",
                ));
            }
            let mut out: Vec<CertificateInput> = Vec::new();
            for (i, c) in list.iter().enumerate() {
                c.allow_model(&models::TOKEN_CERTIFICATE)?;
                let Some(name) = c.enumeration("name", models::TOKEN_CERTIFICATE_NAME)? else {
                    return Err(ArmError::content(format!(
                        "Required property 'name' not found in JSON. Path 'properties.credentials.certificates[{i}]'"
                    )));
                };
                if out.iter().any(|o| o.name == name) {
                    return Err(ArmError::rule(format!(
                        "The certificate name '{name}' appears more than once."
                    )));
                }
                let mut expiry = c
                    .date_time("expiry")?
                    .map(crate::emulator::clock::format_expiry);
                let mut thumbprint = c.str("thumbprint")?.map(str::to_ascii_lowercase);
                let pem = c.str("encodedPemCertificate")?.map(str::to_string);
                if let Some(p) = &pem {
                    // The service derives both from the certificate itself.
                    let (thumb, not_after) = certificates::inspect(p).map_err(|why| {
                        ArmError::rule(format!(
                            "properties.credentials.certificates[{i}].encodedPemCertificate must be the base64 encoding of a PEM certificate: {why}."
                        ))
                    })?;
                    thumbprint = Some(thumb);
                    expiry = Some(crate::emulator::clock::format_expiry(not_after));
                }
                out.push(CertificateInput {
                    name: name.to_string(),
                    thumbprint,
                    expiry,
                    pem,
                });
            }
            Some(out)
        }
    };
    Ok(Credentials {
        keep_passwords,
        certificates,
    })
}

pub async fn put(ctx: &Ctx, reg: &Reg, name: &str) -> Result<Response, ArmError> {
    rules::check_token_name(name).map_err(invalid_name)?;
    let r = ctx.parent(reg).await?;
    let v = parse(&ctx.body)?;
    let props = required_properties(&v, &models::TOKEN, &models::TOKEN_PROPERTIES)?;
    let Some(map_id) = props.str("scopeMapId")? else {
        return Err(ArmError::rule(
            "properties.scopeMapId is required: a token must be associated with a scope map.",
        ));
    };
    let scope_map = scope_map_name(ctx, &r, map_id, "properties.scopeMapId")?;
    let status = props
        .enumeration("status", models::TOKEN_STATUS)?
        .unwrap_or("enabled")
        .to_string();
    let creds = parse_credentials(&props)?;
    let put = TokenPut {
        scope_map,
        status,
        keep_passwords: creds.keep_passwords,
        certificates: creds.certificates,
    };
    let id = ctx.registry_id(&r);
    let (n, actor) = (name.to_string(), ctx.actor.clone());
    let (token, created) = ctx
        .db(reg, move |db| db.put_token(&r, &n, put, &actor))
        .await?;
    let token_id = format!("{id}/tokens/{}", token.name);
    match (created, ctx.lro_polls()) {
        (true, polls) => {
            // Like the service, a token creation is always answered asynchronously, with
            // `Creating` in the body and operations named `token-<guid>` (as recorded).
            let body = render::token(&id, &token, "Creating");
            Ok(ctx.created_async(&token_id, OPERATION, polls.unwrap_or(0), body))
        }
        (false, Some(polls)) => {
            let body = render::token(&id, &token, "Updating");
            Ok(ctx.created_async(&token_id, OPERATION, polls, body))
        }
        (false, None) => Ok(ok(render::token(&id, &token, "Succeeded"))),
    }
}

pub async fn patch(ctx: &Ctx, reg: &Reg, name: &str) -> Result<Response, ArmError> {
    let r = ctx.parent(reg).await?;
    let v = parse(&ctx.body)?;
    let root = Obj::new(&v, "", models::TOKEN_UPDATE.name)?;
    root.allow_model(&models::TOKEN_UPDATE)?;
    let mut patch = TokenPatch::default();
    if let Some(props) = root.obj("properties", models::TOKEN_UPDATE_PROPERTIES.name)? {
        props.allow_model(&models::TOKEN_UPDATE_PROPERTIES)?;
        if let Some(map_id) = props.str("scopeMapId")? {
            patch.scope_map = Some(scope_map_name(ctx, &r, map_id, "properties.scopeMapId")?);
        }
        patch.status = props
            .enumeration("status", models::TOKEN_STATUS)?
            .map(str::to_string);
        let creds = parse_credentials(&props)?;
        patch.keep_passwords = creds.keep_passwords;
        patch.certificates = creds.certificates;
    }
    let id = ctx.registry_id(&r);
    let (n, actor) = (name.to_string(), ctx.actor.clone());
    let token = ctx
        .db(reg, move |db| db.patch_token(&r, &n, patch, &actor))
        .await?;
    let resource = format!("{id}/tokens/{}", token.name);
    Ok(ctx.written(&resource, OPERATION, "Updating", |state| {
        render::token(&id, &token, state)
    }))
}

pub async fn delete(ctx: &Ctx, reg: &Reg, name: &str) -> Result<Response, ArmError> {
    let n = name.to_string();
    let (id, existed) = ctx
        .in_parent(reg, move |db, r| db.delete_token(r, &n))
        .await?;
    Ok(ctx.deleted(existed, &format!("{id}/tokens/{name}"), OPERATION))
}
