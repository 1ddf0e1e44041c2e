//! Tokens: list, get, create-or-replace (PUT answers 201 with `Azure-AsyncOperation` like the
//! service), PATCH (omitted properties unchanged; `credentials.passwords` lists the passwords
//! to keep), delete. A PUT on an existing token keeps its passwords unless the body lists
//! `credentials.passwords` (then only those are kept). Password values never appear here.

use axum::response::Response;

use super::body::{Obj, invalid_name, optional_properties, parse, required_properties};
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
    let keep_passwords = named_list(
        &creds,
        ("passwords", "password"),
        &models::TOKEN_PASSWORD,
        models::TOKEN_PASSWORD_NAME,
        |p| {
            p.date_time("creationTime")?;
            p.date_time("expiry")?;
            Ok(())
        },
        |_, _, name| Ok(name.to_string()),
    )?;
    let certificates = named_list(
        &creds,
        ("certificates", "certificate"),
        &models::TOKEN_CERTIFICATE,
        models::TOKEN_CERTIFICATE_NAME,
        |_| Ok(()),
        |i, c, name| {
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
            Ok(CertificateInput {
                name: name.to_string(),
                thumbprint,
                expiry,
                pem,
            })
        },
    )?;
    Ok(Credentials {
        keep_passwords,
        certificates,
    })
}

/// One of the `credentials` lists (`member`, whose entries are each a `kind`): at most two
/// entries of `model`, each with a `name` of `names` that no other entry has. `check` runs
/// before an entry's name is compared with the others' (a password's dates are checked
/// first), `entry` after, reading the rest of it (its index, the entry, its name). `None` when
/// the list is absent.
fn named_list<T>(
    creds: &Obj<'_>,
    (member, kind): (&str, &str),
    model: &models::Model,
    names: &'static [&'static str],
    check: fn(&Obj<'_>) -> Result<(), ArmError>,
    mut entry: impl FnMut(usize, &Obj<'_>, &str) -> Result<T, ArmError>,
) -> Result<Option<Vec<T>>, ArmError> {
    let Some(list) = creds.objects(member, model.name)? else {
        return Ok(None);
    };
    if list.len() > names.len() {
        return Err(ArmError::rule(format!(
            "A token can have at most two {member} ({}).",
            names.join(" and ")
        )));
    }
    let mut seen: Vec<&str> = Vec::new();
    let mut out = Vec::new();
    for (i, o) in list.iter().enumerate() {
        o.allow_model(model)?;
        let Some(name) = o.enumeration("name", names)? else {
            return Err(ArmError::content(format!(
                "Required property 'name' not found in JSON. Path 'properties.credentials.{member}[{i}]'"
            )));
        };
        check(o)?;
        if seen.contains(&name) {
            return Err(ArmError::rule(format!(
                "The {kind} name '{name}' appears more than once."
            )));
        }
        seen.push(name);
        out.push(entry(i, o, name)?);
    }
    Ok(Some(out))
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
    let mut patch = TokenPatch::default();
    if let Some(props) =
        optional_properties(&v, &models::TOKEN_UPDATE, &models::TOKEN_UPDATE_PROPERTIES)?
    {
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
