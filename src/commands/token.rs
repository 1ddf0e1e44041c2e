//! `acr token` and `acr token credential`: create, update, delete, show, list, and password
//! generation and deletion, with az's checks, request sequence and output (D1, D2, D4, D6, D7,
//! D10, D12), and acr's additions to them (`--if-not-exists`, `--output-secret-file`, the
//! expiry filters of `list`); `rotate` has its own module.

use serde_json::Value;

use super::secret_out::SecretFile;
use super::shared::{self, Child, named, target, with_registry};
use crate::api::arm::{Arm, Generate, RegistryRef, TokenPatch, Write};
use crate::api::models;
use crate::cli::parse::given;
use crate::cli::token::{
    CredentialCommand, CredentialDeleteArgs, CredentialGenerateArgs, TokenCommand, TokenCreateArgs,
    TokenDeleteArgs, TokenListArgs, TokenShowArgs, TokenUpdateArgs,
};
use crate::context::Context;
use crate::error::{Error, Result};
use crate::io::Diag;
use crate::output::{Output, transformers};
use crate::resolve::rotation::{ExpiryFilter, passwords};
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
            CredentialCommand::Rotate(args) => super::rotate::rotate(ctx, args).await,
        },
    }
}

fn token_name(name: &Option<String>) -> Result<String> {
    let name = given(name);
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
    /// `--if-not-exists`: an existing token with these permissions is left alone.
    if_not_exists: bool,
    secret: Option<SecretFile>,
}

/// What `token create` did.
enum Created {
    /// The token was written; the login server when passwords were generated (for the hint).
    New(Value, Option<String>),
    /// `--if-not-exists` found it with the same permissions: untouched, shown as it is.
    Existing(Value),
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
    super::shared::warn_shell_expansion(ctx, &permissions.repository);
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
    let secret = SecretFile::from_args(&args.secret)?;
    if secret.is_some() && no_passwords {
        return Err(Error::cli(
            "usage error: --output-secret-file and --no-passwords are mutually exclusive.",
        ));
    }
    let scope_map = if by_permissions {
        names::default_scope_map(&name)?
    } else {
        args.scope_map.clone().unwrap_or_default()
    };
    let expiry = expiration::request_expiry(time::OffsetDateTime::now_utc(), days, expiration);
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
        if_not_exists: args.if_not_exists,
        secret,
    };
    let diag = ctx.diag.clone();
    let input = &input;
    let created = with_registry(ctx, &target, |arm, registry| {
        create_in(arm, registry, input, diag.clone())
    })
    .await?;
    let (mut token, login_server) = match created {
        Created::Existing(token) => {
            return Ok(Output::table(
                models::token(&token),
                transformers::token_table,
            ));
        }
        Created::New(token, login_server) => (token, login_server),
    };
    if let (Some(file), Some(passwords)) =
        (&input.secret, token.pointer_mut("/credentials/passwords"))
    {
        file.write_and_mask(passwords)?;
    }
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
) -> Result<Created> {
    if input.if_not_exists {
        let existing = match arm.get_token(&registry, &input.name).await {
            Ok(token) => Some(token),
            Err(Error::Arm(e)) if e.status == 404 => None,
            Err(e) => return Err(e),
        };
        if let Some(existing) = existing {
            same_permissions(&arm, &registry, input, &existing).await?;
            return Ok(Created::Existing(existing));
        }
    }
    if let Some(file) = &input.secret {
        file.check()?;
    }
    let scope_map_id = match &input.scope_map {
        Some(map) => registry.scope_map_id(map),
        None => default_scope_map(&arm, &registry, input, &diag).await?,
    };
    let created = arm
        .put_token(&registry, &input.name, &scope_map_id, input.status)
        .await?;
    let mut token = models::token(&created);
    if input.no_passwords {
        return Ok(Created::New(token, None));
    }
    let request = Generate {
        token: &input.name,
        password: None,
        expiry: input.expiry.as_deref(),
    };
    let generated = arm.generate_credentials(&registry, &request).await?;
    token["credentials"] = models::credentials(&generated);
    let login_server = shared::login_server(&arm, &registry).await?;
    Ok(Created::New(token, login_server))
}

/// `--if-not-exists` on an existing token: `Ok` when it has the scope map asked for (or, with
/// `--repository`/`--gateway`, `{token}-scope-map` granting exactly those actions); otherwise
/// the error that says what differs. Nothing is written either way.
async fn same_permissions(
    arm: &Arm,
    registry: &RegistryRef,
    input: &CreateInput,
    existing: &Value,
) -> Result<()> {
    let current = existing
        .pointer("/properties/scopeMapId")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let current_name = current.rsplit('/').next().unwrap_or_default();
    let wanted_map = match &input.scope_map {
        Some(map) => map.clone(),
        None => names::default_scope_map(&input.name)?,
    };
    let differs = |what: String| {
        Err(Error::cli(format!(
            "The token '{}' already exists {what}; nothing was changed (--if-not-exists). Use `acr token update` to change it.",
            input.name
        )))
    };
    if !current.eq_ignore_ascii_case(&registry.scope_map_id(&wanted_map)) {
        return differs(format!(
            "with scope map '{current_name}', not '{wanted_map}'"
        ));
    }
    if input.scope_map.is_none() {
        let mut wanted = actions::parse(&input.repositories, &input.gateways)?;
        let mut stored = match arm.find_scope_map(registry, &wanted_map).await? {
            Some(map) => models::scope_map_actions(&map),
            None => Vec::new(),
        };
        wanted.sort();
        stored.sort();
        if stored != wanted {
            return differs(format!(
                "and its scope map '{wanted_map}' grants other actions"
            ));
        }
    }
    Ok(())
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
    if let Some(existing) = arm.find_scope_map(registry, &map_name).await? {
        let mut stored = models::scope_map_actions(&existing);
        let mut sorted_wanted = wanted.clone();
        stored.sort();
        sorted_wanted.sort();
        if stored == sorted_wanted {
            return Ok(existing
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
    diag.info(&format!(
        "Creating a scope map \"{map_name}\" for provided permissions."
    ));
    let description = format!("Created by token: {}", input.name);
    let created = arm
        .write_scope_map(
            Write::Create,
            registry,
            &map_name,
            &wanted,
            Some(&description),
        )
        .await?;
    Ok(created
        .get("id")
        .and_then(Value::as_str)
        .map(str::to_owned)
        .unwrap_or_else(|| registry.scope_map_id(&map_name)))
}

async fn update(ctx: &mut Context, args: TokenUpdateArgs) -> Result<Output> {
    let (target, name) = named(ctx, &args.registry, &args.name.name, names::token)?;
    if let Some(map) = &args.scope_map {
        names::scope_map(map)?;
    }
    let (name, scope_map, status) = (&name, &args.scope_map, args.status);
    let token = with_registry(ctx, &target, |arm, registry| async move {
        // differs from az (D1): only the properties given are sent; az always sends status.
        let patch = TokenPatch {
            scope_map_id: scope_map.as_deref().map(|m| registry.scope_map_id(m)),
            status: status.map(|s| s.as_str().to_owned()),
            passwords: None,
        };
        arm.patch_token(&registry, name, &patch).await
    })
    .await?;
    Ok(Output::table(
        models::token(&token),
        transformers::token_table,
    ))
}

async fn delete(ctx: &mut Context, args: TokenDeleteArgs) -> Result<Output> {
    let yes = args.yes.yes;
    shared::delete(ctx, &args.registry, &args.name.name, yes, Child::Token).await
}

async fn show(ctx: &mut Context, args: TokenShowArgs) -> Result<Output> {
    let token = shared::show(ctx, &args.registry, &args.name.name, Child::Token).await?;
    Ok(Output::table(
        models::token(&token),
        transformers::token_table,
    ))
}

async fn list(ctx: &mut Context, args: TokenListArgs) -> Result<Output> {
    let target = target(ctx, &args.registry)?;
    let filter = ExpiryFilter {
        within: args.filter.expiring_within,
        expired: args.filter.expired,
    };
    let now = ctx.now();
    let tokens = with_registry(ctx, &target, |arm, registry| async move {
        arm.list_tokens(&registry).await
    })
    .await?;
    Ok(Output::table(
        Value::Array(
            tokens
                .iter()
                .filter(|t| filter.matches(&passwords(t), now))
                .map(models::token)
                .collect(),
        ),
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
    let secret = SecretFile::from_args(&args.secret)?;
    if let Some(file) = &secret {
        file.check()?;
    }
    // Only one flag names a password; none or both regenerate both (the service's default).
    let password = match (args.password1, args.password2) {
        (true, false) => Some("password1"),
        (false, true) => Some("password2"),
        _ => None,
    };
    // az-compat: with both expiration flags, --expiration-in-days wins.
    let expiry =
        expiration::request_expiry(time::OffsetDateTime::now_utc(), args.expiration_in_days, at);
    let request = Generate {
        token: &name,
        password,
        expiry: expiry.as_deref(),
    };
    let request = &request;
    let result = with_registry(ctx, &target, |arm, registry| async move {
        arm.generate_credentials(&registry, request).await
    })
    .await?;
    let mut credentials = models::credentials(&result);
    if let Some(file) = &secret {
        file.write_and_mask(&mut credentials["passwords"])?;
    }
    Ok(Output::table(credentials, transformers::credential_table))
}

async fn delete_credential(ctx: &mut Context, args: CredentialDeleteArgs) -> Result<Output> {
    let (target, name) = named(ctx, &args.registry, &args.name.name, names::token)?;
    if !(args.password1 || args.password2) {
        return Err(Error::cli("No credentials to delete."));
    }
    let (name, password1, password2) = (&name, args.password1, args.password2);
    let token = with_registry(ctx, &target, |arm, registry| async move {
        let token = arm.get_token(&registry, name).await?;
        let existing = models::password_names(&token);
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
        let keep: Vec<String> = existing
            .into_iter()
            .filter(|n| !(password1 && n == "password1" || password2 && n == "password2"))
            .collect();
        let patch = TokenPatch {
            passwords: Some(keep),
            ..TokenPatch::default()
        };
        arm.patch_token(&registry, name, &patch).await
    })
    .await?;
    Ok(Output::table(
        models::token(&token),
        transformers::token_table,
    ))
}
