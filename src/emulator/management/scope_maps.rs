//! Scope maps: list (system maps included), get, create-or-replace (PUT answers 200 with
//! `Succeeded`, as recorded from the service), PATCH (`actions` replaces the whole list), and
//! delete (409 while a token uses the map). The five system maps are read-only. Actions are
//! checked against ACR's grammar (`rules::check_action`) and the per-map limits.

use axum::response::Response;

use super::body::{invalid_name, optional_properties, parse, required_properties};
use super::models;
use super::path::Reg;
use super::{Ctx, ok, render, rules};
use crate::emulator::error::ArmError;
use crate::emulator::store::{ScopeMap, ScopeMapPatch, ScopeMapPut};

pub async fn list(ctx: &Ctx, reg: &Reg) -> Result<Response, ArmError> {
    let (id, maps) = ctx.in_parent(reg, |db, r| db.list_scope_maps(r)).await?;
    ctx.page_of(&maps, |m| render::scope_map(&id, m, "Succeeded"))
}

pub async fn get(ctx: &Ctx, reg: &Reg, name: &str) -> Result<Response, ArmError> {
    let n = name.to_string();
    let (id, m) = ctx
        .in_parent(reg, move |db, r| db.get_scope_map(r, &n))
        .await?;
    Ok(ok(render::scope_map(&id, &m, "Succeeded")))
}

fn check_description(d: Option<&str>) -> Result<(), ArmError> {
    rules::check_description(d).map_err(ArmError::rule)
}

/// Checks every action and the per-map limits (actions, and distinct repositories).
async fn check_actions(ctx: &Ctx, actions: &[String]) -> Result<(), ArmError> {
    let limit = ctx
        .state
        .store
        .run(|db| Ok(db.limits.actions_per_scope_map))
        .await
        .map_err(ArmError::internal)?;
    rules::check_actions(actions, limit).map_err(|e| match e.index {
        Some(i) => ArmError::rule(format!("{} Path 'properties.actions[{i}]'.", e.message)),
        None => ArmError::rule(e.message),
    })
}

pub async fn put(ctx: &Ctx, reg: &Reg, name: &str) -> Result<Response, ArmError> {
    rules::check_scope_map_name(name).map_err(invalid_name)?;
    let r = ctx.parent(reg).await?;
    let v = parse(&ctx.body)?;
    let props = required_properties(&v, &models::SCOPE_MAP, &models::SCOPE_MAP_PROPERTIES)?;
    let description = props.str("description")?.map(str::to_string);
    check_description(description.as_deref())?;
    let Some(actions) = props.strings("actions")? else {
        return Err(ArmError::content(
            "Required property 'actions' not found in JSON. Path 'properties'",
        ));
    };
    check_actions(ctx, &actions).await?;
    let id = ctx.registry_id(&r);
    let (n, actor) = (name.to_string(), ctx.actor.clone());
    let put = ScopeMapPut {
        description,
        actions,
    };
    let (map, _created) = ctx
        .db(reg, move |db| db.put_scope_map(&r, &n, put, &actor))
        .await?;
    Ok(written(ctx, &id, &map, "Creating"))
}

/// A written scope map's answer (`pending` is its state while the operation runs).
fn written(ctx: &Ctx, id: &str, map: &ScopeMap, pending: &str) -> Response {
    let resource = format!("{id}/scopeMaps/{}", map.name);
    ctx.written(&resource, "scopemaps", pending, |state| {
        render::scope_map(id, map, state)
    })
}

pub async fn patch(ctx: &Ctx, reg: &Reg, name: &str) -> Result<Response, ArmError> {
    let r = ctx.parent(reg).await?;
    let v = parse(&ctx.body)?;
    let mut patch = ScopeMapPatch::default();
    if let Some(props) = optional_properties(
        &v,
        &models::SCOPE_MAP_UPDATE,
        &models::SCOPE_MAP_UPDATE_PROPERTIES,
    )? {
        patch.description = props.str("description")?.map(str::to_string);
        check_description(patch.description.as_deref())?;
        patch.actions = props.strings("actions")?;
        if let Some(a) = &patch.actions {
            check_actions(ctx, a).await?;
        }
    }
    let id = ctx.registry_id(&r);
    let (n, actor) = (name.to_string(), ctx.actor.clone());
    let map = ctx
        .db(reg, move |db| db.patch_scope_map(&r, &n, patch, &actor))
        .await?;
    Ok(written(ctx, &id, &map, "Updating"))
}

pub async fn delete(ctx: &Ctx, reg: &Reg, name: &str) -> Result<Response, ArmError> {
    let n = name.to_string();
    let (id, existed) = ctx
        .in_parent(reg, move |db, r| db.delete_scope_map(r, &n))
        .await?;
    Ok(ctx.deleted(existed, &format!("{id}/scopeMaps/{name}"), "scopemaps"))
}
