//! What the commands share: the one resolution of the registry argument, the management
//! target, running a command body against a located registry (retrying once when a cached
//! resource group turned out stale, D6), az's confirmation prompts, and the shell-expansion
//! warning.

use std::future::Future;

use crate::api::arm::discovery::{self, Cache};
use crate::api::arm::{Arm, RegistryRef};
use crate::cli::args::RegistryArgs;
use crate::context::Context;
use crate::error::{Error, Result};
use crate::output::Output;

/// A registry named on the command line (or by `defaults.acr`), validated, with the group from
/// `-g` or `defaults.group` (used silently even when wrong, as az does).
pub struct Target {
    pub name: String,
    pub group: Option<String>,
}

/// Which of az's registry-name validators a command runs: the management commands print the
/// suffix-stripping warning even when the remaining name is then refused; the data-plane
/// commands check the name first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameCheck {
    WarnFirst,
    CheckFirst,
}

/// The one resolution of the registry argument: `given` on the command line, else
/// `defaults.acr` (the parser requires one of them), validated against the cloud's suffix,
/// az's warning when a suffix was stripped.
pub fn registry_name(ctx: &mut Context, given: Option<&str>, check: NameCheck) -> Result<String> {
    let raw = given
        .map(str::to_owned)
        .or_else(|| ctx.config.get("defaults", "acr"))
        .unwrap_or_default();
    let cloud = ctx.cloud()?;
    let validated = crate::resolve::registry::strip_suffix(&raw, &cloud.acr_suffix)?;
    if check == NameCheck::CheckFirst {
        crate::resolve::registry::check_name(&validated.name)?;
    }
    if let Some(warning) = &validated.warning {
        ctx.warn(warning);
    }
    if check == NameCheck::WarnFirst {
        // az-compat: the warning is printed even when the remaining name is then refused.
        crate::resolve::registry::check_name(&validated.name)?;
    }
    Ok(validated.name)
}

/// The registry of a management command, with the group from `-g` or `defaults.group` (used
/// silently even when wrong, as az does).
pub fn target(ctx: &mut Context, args: &RegistryArgs) -> Result<Target> {
    let name = registry_name(ctx, args.registry.as_deref(), NameCheck::WarnFirst)?;
    let group = args
        .resource_group
        .clone()
        .or_else(|| ctx.config.get("defaults", "group"));
    Ok(Target { name, group })
}

/// The registry target and the validated name of the token or scope map a verb acts on, in
/// az's order (the registry first); `check` is the name's validator.
pub fn named(
    ctx: &mut Context,
    registry: &RegistryArgs,
    name: &Option<String>,
    check: fn(&str) -> Result<()>,
) -> Result<(Target, String)> {
    let target = target(ctx, registry)?;
    let name = crate::cli::parse::given(name);
    check(&name)?;
    Ok((target, name))
}

/// What the token and scope-map verbs that take only a name act on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Child {
    Token,
    ScopeMap,
}

impl Child {
    fn check(self) -> fn(&str) -> Result<()> {
        match self {
            Child::Token => crate::resolve::names::token,
            Child::ScopeMap => crate::resolve::names::scope_map,
        }
    }
}

/// `show`: the token or scope map as the service returns it.
pub async fn show(
    ctx: &mut Context,
    registry: &RegistryArgs,
    name: &Option<String>,
    child: Child,
) -> Result<serde_json::Value> {
    let (target, name) = named(ctx, registry, name, child.check())?;
    let name = &name;
    with_registry(ctx, &target, |arm, registry| async move {
        match child {
            Child::Token => arm.get_token(&registry, name).await,
            Child::ScopeMap => arm.get_scope_map(&registry, name).await,
        }
    })
    .await
}

/// `delete`: `--yes` or a `y` at az's prompt, then the DELETE; nothing on stdout either way.
pub async fn delete(
    ctx: &mut Context,
    registry: &RegistryArgs,
    name: &Option<String>,
    yes: bool,
    child: Child,
) -> Result<Output> {
    let (target, name) = named(ctx, registry, name, child.check())?;
    let question = match child {
        Child::Token => format!(
            "Deleting the token '{name}' will invalidate access to anyone using its credentials. Proceed?"
        ),
        Child::ScopeMap => format!(
            "Deleting the scope map '{name}' will remove its permissions with associated tokens. Proceed?"
        ),
    };
    if !proceed(ctx, yes, &question)? {
        return Ok(Output::none());
    }
    let name = &name;
    with_registry(ctx, &target, |arm, registry| async move {
        match child {
            Child::Token => arm.delete_token(&registry, name).await,
            Child::ScopeMap => arm.delete_scope_map(&registry, name).await,
        }
    })
    .await?;
    Ok(Output::none())
}

/// Locates the registry and runs `body` against it. When the group came from the discovery
/// cache and ARM answers 404, the cache is refreshed and, if the registry moved, `body` runs
/// once more: nothing can have been written under the stale group, so repeating is safe.
pub async fn with_registry<T, F, Fut>(ctx: &mut Context, target: &Target, body: F) -> Result<T>
where
    F: Fn(Arm, RegistryRef) -> Fut,
    Fut: Future<Output = Result<T>>,
{
    let arm = ctx.arm().await?;
    let cache = Cache::new(&ctx.config);
    let registry = discovery::locate(&arm, &cache, &target.name, target.group.as_deref()).await?;
    match body(arm.clone(), registry.clone()).await {
        Err(Error::Arm(e)) if e.status == 404 && registry.from_cache => {
            match discovery::refresh(&arm, &cache, &registry).await? {
                Some(fresh) => body(arm, fresh).await,
                None => Err(Error::Arm(e)),
            }
        }
        other => other,
    }
}

/// The registry's login server, from its resource (`properties.loginServer`).
pub async fn login_server(arm: &Arm, registry: &RegistryRef) -> Result<Option<String>> {
    let resource = arm.get_registry(registry).await?;
    Ok(resource
        .pointer("/properties/loginServer")
        .and_then(serde_json::Value::as_str)
        .map(str::to_owned))
}

/// knack's `prompt_y_n`: `<message> (y/n): ` on stdout until the answer is y or n. Without a
/// terminal, fail before any request (D2; az crashes with NoTTYException).
pub fn confirm(ctx: &mut Context, message: &str) -> Result<bool> {
    if !ctx.io.stdin_is_tty {
        // differs from az (D2): a clean error instead of a traceback.
        return Err(Error::cli(
            "Unable to prompt for confirmation as no tty available. Use --yes.",
        ));
    }
    loop {
        ctx.io.out(&format!("{message} (y/n): "))?;
        match ctx.io.read_line()? {
            None => return Ok(false),
            Some(answer) => match answer.trim().to_ascii_lowercase().as_str() {
                "y" => return Ok(true),
                "n" => return Ok(false),
                _ => continue,
            },
        }
    }
}

/// azure-cli's `user_confirmation` (used by `repository delete`): `--yes` skips it, `n` is
/// "Operation cancelled." (exit 1), and without a terminal it fails.
pub fn confirm_or_cancel(ctx: &mut Context, message: &str, yes: bool) -> Result<()> {
    if proceed(ctx, yes, message)? {
        Ok(())
    } else {
        Err(Error::cli("Operation cancelled."))
    }
}

/// Whether to go on: `--yes`, or a `y` at az's prompt (see [`confirm`]).
pub fn proceed(ctx: &mut Context, yes: bool, message: &str) -> Result<bool> {
    Ok(yes || confirm(ctx, message)?)
}

/// Warns about repository arguments that the shell probably produced from an unquoted
/// wildcard (see `resolve::actions::shell_expansion_warnings`).
pub fn warn_shell_expansion(ctx: &Context, rules: &[Vec<String>]) {
    for warning in crate::resolve::actions::shell_expansion_warnings(rules, |p| {
        std::path::Path::new(p).exists()
    }) {
        ctx.warn(&warning);
    }
}
