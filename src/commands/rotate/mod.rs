//! `acr token credential rotate` (an addition): replace one password of a token, the empty
//! slot or else the older one (`resolve::rotation::choose_slot`), so the other keeps working;
//! `--dry-run` says which and why; `--verify` waits until the registry accepts the new
//! password; `--output-secret-file` keeps it off stdout. `--all` is the fleet ([`fleet`]).

mod fleet;
mod journal;

use serde_json::{Value, json};

use super::secret_out::SecretFile;
use super::shared::{self, target, with_registry};
use crate::api::arm::Generate;
use crate::api::models;
use crate::cli::token::{CredentialRotateArgs, Expiration};
use crate::context::Context;
use crate::error::{Error, Result};
use crate::output::{Output, transformers};
use crate::resolve::rotation::{choose_slot, passwords};
use crate::resolve::{expiration, names};

pub async fn rotate(ctx: &mut Context, args: CredentialRotateArgs) -> Result<Output> {
    if args.all {
        return fleet::run(ctx, args).await;
    }
    let fleet_only = [
        (args.name_prefix.is_some(), "--name-prefix"),
        (args.filter.expiring_within.is_some(), "--expiring-within"),
        (args.filter.expired, "--expired"),
        (args.output_secret_dir.is_some(), "--output-secret-dir"),
    ];
    if let Some((_, flag)) = fleet_only.iter().find(|(given, _)| *given) {
        return Err(Error::cli(format!(
            "usage error: {flag} only applies to --all."
        )));
    }
    let target = target(ctx, &args.registry)?;
    let Some(name) = args.name.name.clone() else {
        return Err(Error::cli("usage error: --name or --all is required."));
    };
    names::token(&name)?;
    let expiry = expiry(ctx, &args.expiration)?;
    let secret = SecretFile::from_args(&args.secret)?;
    if let Some(file) = secret.as_ref().filter(|_| !args.dry_run) {
        file.check()?;
    }
    let http = ctx.http()?;
    let (name, forced, dry_run, verify) = (
        &name,
        args.slot.map(|s| s.as_str()),
        args.dry_run,
        args.verify,
    );
    let expiry = expiry.as_deref();
    let (choice, generated, login_server) =
        with_registry(ctx, &target, |arm, registry| async move {
            let token = arm.get_token(&registry, name).await?;
            let choice = choose_slot(&passwords(&token), forced);
            if dry_run {
                return Ok((choice, Value::Null, None));
            }
            let request = Generate {
                token: name,
                password: Some(choice.slot),
                expiry,
            };
            let generated = arm.generate_credentials(&registry, &request).await?;
            let login_server = match verify {
                true => shared::login_server(&arm, &registry).await?,
                false => None,
            };
            Ok((choice, generated, login_server))
        })
        .await?;
    if dry_run {
        return Ok(Output::value(plan(name, &choice)));
    }
    let mut credentials = models::credentials(&generated);
    let value = new_password(&credentials);
    if let Some(file) = &secret {
        file.write_and_mask(&mut credentials["passwords"])?;
    }
    let failure = match (verify, login_server) {
        (false, _) => None,
        (true, None) => Some(Error::cli(format!(
            "The registry of '{name}' has no login server; the new password could not be verified."
        ))),
        (true, Some(login_server)) => {
            let diag = ctx.diag.clone();
            let timeout = args.verify_timeout;
            verified(
                &http,
                &diag,
                &login_server,
                name,
                choice.slot,
                &value,
                timeout,
            )
            .await?
        }
    };
    Ok(Output::table(credentials, transformers::credential_table).failing(failure))
}

/// `--dry-run`'s answer: the token, the slot and why.
fn plan(name: &str, choice: &crate::resolve::rotation::Choice) -> Value {
    json!({"name": name, "slot": choice.slot, "reason": choice.reason})
}

/// The expiry of the new password: `--expiration-in-days` or `--expiration` (not both), none
/// (never expires) without either.
fn expiry(ctx: &Context, args: &Expiration) -> Result<Option<String>> {
    let at = args
        .expiration
        .as_deref()
        .map(expiration::parse_expiration)
        .transpose()?;
    expiration::check_days(args.expiration_in_days)?;
    if args.expiration_in_days.is_some() && at.is_some() {
        return Err(Error::cli(
            "usage error: --expiration and --expiration-in-days are mutually exclusive.",
        ));
    }
    Ok(expiration::request_expiry(
        ctx.now(),
        args.expiration_in_days,
        at,
    ))
}

/// The value of the one password a rotation generated (before it is masked).
fn new_password(credentials: &Value) -> String {
    credentials
        .pointer("/passwords/0/value")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned()
}

/// `--verify`: `None` once the registry accepts the password, else the failure to report
/// after the output (the password exists either way and is printed or written).
async fn verified(
    http: &reqwest::Client,
    diag: &crate::io::Diag,
    login_server: &str,
    name: &str,
    slot: &str,
    password: &str,
    timeout: std::time::Duration,
) -> Result<Option<Error>> {
    let outcome =
        crate::api::registry::wait_accepted(http, diag, login_server, name, password, timeout)
            .await?;
    Ok(outcome.err().map(|why| {
        Error::cli(format!(
            "The registry '{login_server}' did not accept the new {slot} of '{name}' within {} s ({why}). The password was generated; the other one keeps working.",
            timeout.as_secs()
        ))
    }))
}
