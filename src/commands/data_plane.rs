//! What the data-plane commands (`repository`, `login`) share: the registry and credential
//! arguments, the one resolution of the password (`-p`, `--password-stdin` or a prompt), and
//! connecting to the registry with them.

use super::shared::{NameCheck, registry_name};
use crate::api::registry::{self, Login, Registry, Scope, Session};
use crate::cli::repository::RegistryLogin;
use crate::context::Context;
use crate::error::{Error, Result};

/// The validated registry name and credentials of a repository command.
pub struct Credentials {
    pub name: String,
    pub suffix: Option<String>,
    pub username: Option<String>,
    pub password: Option<String>,
}

impl Credentials {
    pub fn login(&self) -> Login<'_> {
        Login {
            name: &self.name,
            suffix: self.suffix.as_deref(),
            username: self.username.as_deref(),
            password: self.password.as_deref(),
        }
    }
}

/// The registry a data-plane command names (`--name/-n`, else `defaults.acr`), checked before
/// the suffix warning is printed.
pub fn registry(ctx: &mut Context, name: Option<&str>) -> Result<String> {
    registry_name(ctx, name, NameCheck::CheckFirst)
}

/// Registry-name validation, the password from `-p`, `--password-stdin` or a prompt, and the
/// deprecation warning of `-g`.
pub fn credentials(
    ctx: &mut Context,
    args: &RegistryLogin,
    deprecated_group: bool,
) -> Result<Credentials> {
    let name = registry(ctx, args.name.as_deref())?;
    if deprecated_group && args.resource_group.is_some() {
        ctx.warn("Argument 'resource_group_name' has been deprecated and will be removed in a future release.");
    }
    let password = password(
        ctx,
        args.username.as_deref(),
        args.password.clone(),
        args.password_stdin,
    )?;
    Ok(Credentials {
        name,
        suffix: args.suffix.clone(),
        username: args.username.clone(),
        password,
    })
}

/// `-p`, else `--password-stdin`, else a hidden `Password: ` prompt on a terminal when `-u`
/// was given (az prompts there too).
pub fn password(
    ctx: &mut Context,
    username: Option<&str>,
    password: Option<String>,
    from_stdin: bool,
) -> Result<Option<String>> {
    if password.is_some() {
        return Ok(password);
    }
    if from_stdin {
        let secret = ctx.io.read_all()?;
        return Ok(Some(secret));
    }
    if username.is_some() {
        if !ctx.io.stdin_is_tty {
            return Err(Error::cli(
                "Please specify both username and password in non-interactive mode.",
            ));
        }
        let secret = ctx.io.read_secret("Password: ")?;
        return Ok(Some(secret));
    }
    Ok(None)
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
