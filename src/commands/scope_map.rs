//! `acr scope-map`: create, update, delete, show and list, with az's checks and output plus the
//! scope-map type (D3) and a deterministic action order on update (D5).

use serde_json::Value;

use super::lock;
use super::shared::{self, Child, named, target, with_registry};
use crate::api::arm::Write;
use crate::api::models;
use crate::cli::scope_map::{
    ScopeMapCommand, ScopeMapCreateArgs, ScopeMapDeleteArgs, ScopeMapListArgs, ScopeMapShowArgs,
    ScopeMapUpdateArgs,
};
use crate::context::Context;
use crate::error::{Error, Result};
use crate::output::{Output, transformers};
use crate::resolve::{actions, names};

pub async fn run(ctx: &mut Context, command: ScopeMapCommand) -> Result<Output> {
    match command {
        ScopeMapCommand::Create(args) => create(ctx, args).await,
        ScopeMapCommand::Update(args) => update(ctx, args).await,
        ScopeMapCommand::Delete(args) => delete(ctx, args).await,
        ScopeMapCommand::Show(args) => show(ctx, args).await,
        ScopeMapCommand::List(args) => list(ctx, args).await,
    }
}

fn output(resource: &Value) -> Output {
    Output::table(models::scope_map(resource), transformers::scope_map_table)
}

async fn create(ctx: &mut Context, args: ScopeMapCreateArgs) -> Result<Output> {
    let (target, name) = named(ctx, &args.registry, &args.name.name, names::scope_map)?;
    super::shared::warn_shell_expansion(ctx, &args.permissions.repository);
    let (name, permissions, description) = (&name, &args.permissions, &args.description);
    let created = with_registry(ctx, &target, |arm, registry| async move {
        let actions = actions::parse(&permissions.repository, &permissions.gateway)?;
        let description = description.as_deref();
        arm.write_scope_map(Write::Create, &registry, name, &actions, description)
            .await
    })
    .await?;
    Ok(output(&created))
}

async fn update(ctx: &mut Context, args: ScopeMapUpdateArgs) -> Result<Output> {
    let (target, name) = named(ctx, &args.registry, &args.name.name, names::scope_map)?;
    let changes = &args.changes;
    super::shared::warn_shell_expansion(ctx, &changes.add_repository);
    super::shared::warn_shell_expansion(ctx, &changes.remove_repository);
    let edits = !changes.add_repository.is_empty()
        || !changes.remove_repository.is_empty()
        || !changes.add_gateway.is_empty()
        || !changes.remove_gateway.is_empty();
    if !edits && args.description.as_deref().is_none_or(str::is_empty) {
        return Err(Error::cli("No scope map properties to update."));
    }
    let (name, description) = (&name, &args.description);
    let env = &ctx.config.env().clone();
    let updated = with_registry(ctx, &target, |arm, registry| async move {
        // ARM's PATCH has no precondition, so concurrent read-modify-writes lose updates (az
        // does). acr serializes its own on this machine with a lock per scope map. Against
        // writers elsewhere (best effort), the write's own answer is checked: the PATCH's
        // body, or the final GET of its long-running operation, is the map as stored after
        // it, so a change missing there is applied again without a GET of its own (az's
        // request count). docs/reliability.md.
        let _lock = lock::lock(env, &registry.scope_map_id(name)).await?;
        // az's order: the GET, then the actions are parsed and checked.
        let mut current = arm.get_scope_map(&registry, name).await?;
        let (add, remove) = if edits {
            (
                actions::parse(&changes.add_repository, &changes.add_gateway)?,
                actions::parse(&changes.remove_repository, &changes.remove_gateway)?,
            )
        } else {
            (Vec::new(), Vec::new())
        };
        let description = description.as_deref();
        let mut round = 0;
        loop {
            round += 1;
            let stored = models::scope_map_actions(&current);
            let actions = if edits {
                actions::merge(&stored, &add, &remove)?
            } else {
                stored
            };
            let written = arm
                .write_scope_map(Write::Update, &registry, name, &actions, description)
                .await?;
            let now = models::scope_map_actions(&written);
            let landed =
                add.iter().all(|a| now.contains(a)) && remove.iter().all(|r| !now.contains(r));
            // No body (a 204) says nothing about the stored map: nothing to check.
            if !edits || written.is_null() || landed || round >= LOST_UPDATE_ROUNDS {
                return Ok(written);
            }
            arm.diag().debug(&format!(
                "Scope map '{name}' lost this update to another writer; applying it again."
            ));
            current = written;
        }
    })
    .await?;
    Ok(output(&updated))
}

/// How many times a scope-map update another writer undid is applied again.
const LOST_UPDATE_ROUNDS: u32 = 5;

async fn delete(ctx: &mut Context, args: ScopeMapDeleteArgs) -> Result<Output> {
    let yes = args.yes.yes;
    shared::delete(ctx, &args.registry, &args.name.name, yes, Child::ScopeMap).await
}

async fn show(ctx: &mut Context, args: ScopeMapShowArgs) -> Result<Output> {
    let map = shared::show(ctx, &args.registry, &args.name.name, Child::ScopeMap).await?;
    Ok(output(&map))
}

async fn list(ctx: &mut Context, args: ScopeMapListArgs) -> Result<Output> {
    let target = target(ctx, &args.registry)?;
    let maps = with_registry(ctx, &target, |arm, registry| async move {
        arm.list_scope_maps(&registry).await
    })
    .await?;
    Ok(Output::table(
        Value::Array(maps.iter().map(models::scope_map).collect()),
        transformers::scope_map_table,
    ))
}
