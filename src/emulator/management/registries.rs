//! Registries: list (subscription or group), get, create-or-update (PUT allocates the
//! registry's data-plane port and starts its listener), PATCH (`adminUserEnabled`, `sku`,
//! `tags`), delete (stops the listener), and the admin user's `listCredentials` /
//! `regenerateCredential`.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::body::{Obj, parse};
use super::models::{self, Model};
use super::path::Reg;
use super::{Ctx, ok, render, rules};
use crate::emulator::error::ArmError;
use crate::emulator::store::{Missing, NewRegistry, Registry, RegistryPatch, StoreError};
use crate::emulator::{Sku, listeners};

pub async fn list(ctx: &Ctx, rg: Option<String>) -> Result<Response, ArmError> {
    let regs = in_group(ctx, rg).await?;
    let sub = ctx.state.settings.subscription_id.clone();
    ctx.page(regs.iter().map(|r| render::registry(&sub, r)).collect())
}

/// The registries of resource group `rg`, or of the subscription (`ResourceGroupNotFound`
/// for a group that does not exist).
pub async fn in_group(ctx: &Ctx, rg: Option<String>) -> Result<Vec<Registry>, ArmError> {
    let group = rg.clone();
    ctx.state
        .store
        .run(move |db| db.list_registries(group.as_deref()))
        .await
        .map_err(|e| match e {
            StoreError::NotFound(_) => ArmError::not_found(
                "ResourceGroupNotFound",
                format!(
                    "Resource group '{}' could not be found.",
                    rg.unwrap_or_default()
                ),
            ),
            e => ArmError::internal(e),
        })
}

/// 200 with registry `r`.
fn answer(ctx: &Ctx, r: &Registry) -> Response {
    ok(render::registry(&ctx.state.settings.subscription_id, r))
}

pub async fn get(ctx: &Ctx, reg: &Reg) -> Result<Response, ArmError> {
    let (rg, name) = (reg.rg.clone(), reg.name.clone());
    let r = ctx.db(reg, move |db| db.get_registry(&rg, &name)).await?;
    Ok(answer(ctx, &r))
}

fn parse_sku(root: &Obj<'_>) -> Result<Option<Sku>, ArmError> {
    let Some(sku) = root.obj("sku", models::SKU.name)? else {
        return Ok(None);
    };
    sku.allow_model(&models::SKU)?;
    match sku.enumeration("name", models::SKU_NAME)? {
        None => Err(ArmError::content(
            "Required property 'name' not found in JSON. Path 'sku'",
        )),
        Some("Classic") => Err(ArmError::rule(
            "Classic registries are no longer supported; use Basic, Standard or Premium.",
        )),
        Some(s) => Ok(s.parse().ok()),
    }
}

fn parse_tags(root: &Obj<'_>) -> Result<Option<serde_json::Map<String, Value>>, ArmError> {
    match root.get("tags") {
        None => Ok(None),
        Some(Value::Object(m)) => {
            for (k, v) in m {
                if !v.is_string() {
                    return Err(ArmError::content(format!(
                        "Error converting value {v} to type 'System.String'. Path 'tags.{k}'"
                    )));
                }
            }
            Ok(Some(m.clone()))
        }
        Some(v) => Err(ArmError::content(format!(
            "Error converting value {v} to type 'System.Collections.Generic.Dictionary`2[System.String,System.String]'. Path 'tags'"
        ))),
    }
}

/// `properties.adminUserEnabled`; the other members of `model` are accepted and ignored.
fn parse_admin(root: &Obj<'_>, model: &'static Model) -> Result<Option<bool>, ArmError> {
    let Some(props) = root.obj("properties", model.name)? else {
        return Ok(None);
    };
    props.allow_model(model)?;
    props.bool("adminUserEnabled")
}

pub async fn put(ctx: &Ctx, reg: &Reg) -> Result<Response, ArmError> {
    if !rules::valid_registry_name(&reg.name) {
        return Err(ArmError::bad_request(
            "InvalidResourceName",
            format!(
                "The registry name '{}' is invalid. Registry names may contain only alpha numeric characters and must be between 5 and 50 characters.",
                reg.name
            ),
        ));
    }
    if !rules::valid_resource_group(&reg.rg) {
        return Err(ArmError::bad_request(
            "InvalidResourceGroupName",
            format!("The resource group name '{}' is invalid.", reg.rg),
        ));
    }
    let v = parse(&ctx.body)?;
    let root = Obj::new(&v, "", models::REGISTRY.name)?;
    root.allow_model(&models::REGISTRY)?;
    let location = root.str("location")?;
    let sku = parse_sku(&root)?;
    let tags = parse_tags(&root)?;
    let admin = parse_admin(&root, models::registry_properties(&ctx.api_version))?;

    let (rg, name) = (reg.rg.clone(), reg.name.clone());
    let existing = match ctx
        .state
        .store
        .run(move |db| db.get_registry(&rg, &name))
        .await
    {
        Ok(r) => Some(r),
        Err(StoreError::NotFound(_)) => None,
        Err(e) => return Err(ctx.store_error(reg, e)),
    };
    let sub = ctx.state.settings.subscription_id.clone();
    if existing.is_some() {
        let (rg, name, actor) = (reg.rg.clone(), reg.name.clone(), ctx.actor.clone());
        let patch = RegistryPatch {
            sku,
            admin_user_enabled: admin,
            tags: Some(tags.unwrap_or_default()),
        };
        let r = ctx
            .db(reg, move |db| db.update_registry(&rg, &name, patch, &actor))
            .await?;
        return Ok(ok(render::registry(&sub, &r)));
    }
    let Some(location) = location else {
        return Err(ArmError::content(
            "Required property 'location' not found in JSON. Path ''",
        ));
    };
    let Some(sku) = sku else {
        return Err(ArmError::content(
            "Required property 'sku' not found in JSON. Path ''",
        ));
    };
    let socket = listeners::bind(0).map_err(ArmError::internal)?;
    let port = socket.local_addr().map_err(ArmError::internal)?.port();
    let new = NewRegistry {
        name: reg.name.clone(),
        resource_group: reg.rg.clone(),
        location: location.to_string(),
        sku,
        admin_user_enabled: admin.unwrap_or(false),
        tags: tags.unwrap_or_default(),
        port,
    };
    let actor = ctx.actor.clone();
    let r = ctx
        .state
        .store
        .run(move |db| db.create_registry(new, &actor))
        .await
        .map_err(|e| match e {
            StoreError::Conflict(m) => ArmError::conflict("AlreadyInUse", m),
            e => ctx.store_error(reg, e),
        })?;
    ctx.state
        .serve_registry(&r.name, socket)
        .map_err(ArmError::internal)?;
    ctx.state.write_state_file().await;
    // As recorded from the service: 201 with `Creating` and an `Azure-AsyncOperation` whose
    // status is `Succeeded` at the first poll (after the LRO hook's polls, if any); the
    // registry itself is ready at once.
    let mut body = render::registry(&sub, &r);
    if let Some(p) = body.pointer_mut("/properties/provisioningState") {
        *p = json!("Creating");
    }
    let id = render::registry_id(&sub, &r);
    Ok(ctx.created_async(&id, "registries", ctx.lro_polls().unwrap_or(0), body))
}

pub async fn patch(ctx: &Ctx, reg: &Reg) -> Result<Response, ArmError> {
    let v = parse(&ctx.body)?;
    let root = Obj::new(&v, "", models::REGISTRY_UPDATE.name)?;
    root.allow_model(&models::REGISTRY_UPDATE)?;
    let patch = RegistryPatch {
        sku: parse_sku(&root)?,
        admin_user_enabled: parse_admin(
            &root,
            models::registry_update_properties(&ctx.api_version),
        )?,
        tags: parse_tags(&root)?,
    };
    let (rg, name, actor) = (reg.rg.clone(), reg.name.clone(), ctx.actor.clone());
    let r = ctx
        .db(reg, move |db| db.update_registry(&rg, &name, patch, &actor))
        .await?;
    ctx.state.write_state_file().await;
    Ok(answer(ctx, &r))
}

pub async fn delete(ctx: &Ctx, reg: &Reg) -> Result<Response, ArmError> {
    let (rg, name) = (reg.rg.clone(), reg.name.clone());
    let deleted = ctx
        .db(reg, move |db| db.delete_registry(&rg, &name))
        .await?;
    match deleted {
        None => Ok(StatusCode::NO_CONTENT.into_response()),
        Some(r) => {
            ctx.state.listeners.stop(&r.name.to_ascii_lowercase());
            ctx.state.write_state_file().await;
            Ok(StatusCode::OK.into_response())
        }
    }
}

pub async fn list_credentials(ctx: &Ctx, reg: &Reg) -> Result<Response, ArmError> {
    let (rg, name) = (reg.rg.clone(), reg.name.clone());
    let (user, p1, p2) = ctx
        .state
        .store
        .run(move |db| db.admin_credentials(&rg, &name))
        .await
        .map_err(|e| match e {
            StoreError::Rule(m) => ArmError::bad_request("AdminUserDisabled", m),
            e => ctx.store_error(reg, e),
        })?;
    Ok(ok(
        json!({"username": user, "passwords": [{"name": "password", "value": p1}, {"name": "password2", "value": p2}]}),
    ))
}

pub async fn regenerate_credential(ctx: &Ctx, reg: &Reg) -> Result<Response, ArmError> {
    let v = parse(&ctx.body)?;
    let root = Obj::new(&v, "", models::REGENERATE_CREDENTIAL.name)?;
    root.allow_model(&models::REGENERATE_CREDENTIAL)?;
    let Some(which) = root.enumeration("name", models::PASSWORD_NAME)? else {
        return Err(ArmError::content(
            "Required property 'name' not found in JSON. Path ''",
        ));
    };
    let (rg, name) = (reg.rg.clone(), reg.name.clone());
    ctx.state
        .store
        .run(move |db| db.regenerate_admin_password(&rg, &name, which))
        .await
        .map_err(|e| match e {
            StoreError::Rule(m) => ArmError::bad_request("AdminUserDisabled", m),
            StoreError::NotFound(Missing::Registry) => {
                ctx.store_error(reg, StoreError::NotFound(Missing::Registry))
            }
            e => ctx.store_error(reg, e),
        })?;
    list_credentials(ctx, reg).await
}
