//! What the commands share: the validated registry target, running a command body against a
//! located registry (retrying once when a cached resource group turned out stale, D6),
//! connecting to a registry's data plane, and az's confirmation prompt.

use std::future::Future;

use crate::api::arm::discovery::{self, Cache};
use crate::api::arm::{Arm, RegistryRef};
use crate::api::registry::{self, Login, Registry, Scope, Session};
use crate::cli::args::RegistryArgs;
use crate::context::Context;
use crate::error::{Error, Result};

/// A registry named on the command line (or by `defaults.acr`), validated, with the group from
/// `-g` or `defaults.group` (used silently even when wrong, as az does).
pub struct Target {
    pub name: String,
    pub group: Option<String>,
}

/// Validates the registry argument (warning when a login-server suffix was stripped).
pub fn target(ctx: &mut Context, args: &RegistryArgs) -> Result<Target> {
    let raw = args
        .registry
        .clone()
        .or_else(|| ctx.config.get("defaults", "acr"))
        .ok_or_else(|| Error::cli("the following arguments are required: --registry/-r"))?;
    let cloud = ctx.cloud()?;
    let validated = crate::resolve::registry::strip_suffix(&raw, &cloud.acr_suffix)?;
    // az-compat: the stripping warning is printed even when the remaining name is refused.
    if let Some(warning) = &validated.warning {
        ctx.warn(warning);
    }
    crate::resolve::registry::check_name(&validated.name)?;
    let group = args
        .resource_group
        .clone()
        .or_else(|| ctx.config.get("defaults", "group"));
    Ok(Target {
        name: validated.name,
        group,
    })
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

/// Connects to the registry a data-plane command names, for `scope`: az's check of the
/// credential flags first, then the management client (nobody signed in is not an error
/// here: `api::registry::connect` falls back as az does), then the data-plane session.
pub async fn connect(
    ctx: &mut Context,
    login: &Login<'_>,
    scope: Option<Scope>,
) -> Result<(Registry, Option<(String, String)>)> {
    if login.username.is_none() && login.password.is_some() {
        return Err(Error::cli(
            "Please also specify username if password is specified.",
        ));
    }
    let arm = ctx.arm().await;
    // Both are built (or failed identically) on the way to the management client.
    let cloud = ctx.cloud()?;
    let http = ctx.http()?;
    let session = Session {
        config: &ctx.config,
        diag: &ctx.diag,
        http,
        acr_suffix: &cloud.acr_suffix,
        arm,
    };
    registry::connect(session, login, scope).await
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
        ctx.io
            .out(&format!("{message} (y/n): "))
            .map_err(|e| Error::Other(e.into()))?;
        match ctx.io.read_line().map_err(|e| Error::Other(e.into()))? {
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
    if yes {
        return Ok(());
    }
    if confirm(ctx, message)? {
        Ok(())
    } else {
        Err(Error::cli("Operation cancelled."))
    }
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
