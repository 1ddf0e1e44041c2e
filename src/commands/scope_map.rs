//! `acr scope-map`: create, update, delete, show and list, with az's checks and output plus the
//! scope-map type (D3) and a deterministic action order on update (D5).

use serde_json::Value;

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
    let updated = with_registry(ctx, &target, |arm, registry| async move {
        let current = arm.get_scope_map(&registry, name).await?;
        let stored = models::scope_map_actions(&current);
        let actions = if edits {
            let add = actions::parse(&changes.add_repository, &changes.add_gateway)?;
            let remove = actions::parse(&changes.remove_repository, &changes.remove_gateway)?;
            actions::merge(&stored, &add, &remove)?
        } else {
            stored
        };
        let description = description.as_deref();
        arm.write_scope_map(Write::Update, &registry, name, &actions, description)
            .await
    })
    .await?;
    Ok(output(&updated))
}

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
