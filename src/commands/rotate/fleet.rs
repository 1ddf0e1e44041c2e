//! `acr token credential rotate --all`: every matching token of a registry, one slot each,
//! `--max-parallel` at a time (default 10: ARM refills a subscription's write allowance at
//! about 10 a second), each new password into `DIR/<token>` (0600), one result per token.
//! Throttled requests are retried by the ARM client after `Retry-After`. The journal
//! ([`super::journal`]) makes a re-run after an interruption finish the rest without rotating
//! any token twice; SIGINT or SIGTERM stop starting new rotations and let those in flight end.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use futures_util::StreamExt;
use serde_json::{Value, json};
use tokio::sync::Mutex;

use super::journal::{Entry, Journal};
use super::{expiry, plan};
use crate::api::arm::{Arm, Generate, RegistryRef};
use crate::cli::token::CredentialRotateArgs;
use crate::commands::secret_out::{private_dir, write_private};
use crate::commands::shared::{self, target, with_registry};
use crate::context::Context;
use crate::error::{Error, Result};
use crate::output::{Output, transformers};
use crate::resolve::rotation::{ExpiryFilter, choose_slot, passwords};

/// The most tokens rotated at the same time.
const MAX_PARALLEL: i64 = 100;

/// What the run does with one token.
enum Work {
    /// Rotate `slot`; `before` is its creation time now (the journal's check).
    Rotate {
        name: String,
        slot: &'static str,
        before: Option<String>,
    },
    /// Already answered (done earlier, or lost by an interrupted run).
    Known(Value),
}

/// What every rotation shares.
struct Run<'a> {
    arm: Arm,
    registry: RegistryRef,
    dir: &'a Path,
    expiry: Option<&'a str>,
    journal: Mutex<Journal>,
    stop: AtomicBool,
    verify: Option<(
        reqwest::Client,
        crate::io::Diag,
        String,
        std::time::Duration,
    )>,
}

pub async fn run(ctx: &mut Context, args: CredentialRotateArgs) -> Result<Output> {
    if args.name.name.is_some() {
        return Err(Error::cli(
            "usage error: --name and --all are mutually exclusive.",
        ));
    }
    if args.secret.output_secret_file.is_some() || args.secret.force {
        return Err(Error::cli(
            "usage error: with --all, passwords go to --output-secret-dir, not --output-secret-file.",
        ));
    }
    if !(1..=MAX_PARALLEL).contains(&args.max_parallel) {
        return Err(Error::cli(format!(
            "usage error: --max-parallel must be between 1 and {MAX_PARALLEL}."
        )));
    }
    let dir = match (&args.output_secret_dir, args.dry_run) {
        (Some(dir), _) => Some(dir.clone()),
        (None, true) => None,
        (None, false) => {
            return Err(Error::cli("usage error: --all needs --output-secret-dir."));
        }
    };
    let target = target(ctx, &args.registry)?;
    let expiry = expiry(ctx, &args.expiration)?;
    let filter = ExpiryFilter {
        within: args.filter.expiring_within,
        expired: args.filter.expired,
    };
    if let (Some(dir), false) = (&dir, args.dry_run) {
        private_dir(dir)?;
    }
    let journal = match &dir {
        Some(dir) => Journal::load(dir).map_err(|e| journal_error(dir, e))?,
        None => Journal::empty(),
    };
    let (arm, registry, tokens) = with_registry(ctx, &target, |arm, registry| async move {
        let tokens = arm.list_tokens(&registry).await?;
        Ok((arm, registry, tokens))
    })
    .await?;
    let now = ctx.now();
    let prefix = args
        .name_prefix
        .as_deref()
        .unwrap_or("")
        .to_ascii_lowercase();
    let mut selected: Vec<&Value> = tokens
        .iter()
        .filter(|t| {
            let name = name_of(t);
            journal.knows(name)
                || name.to_ascii_lowercase().starts_with(&prefix)
                    && filter.matches(&passwords(t), now)
        })
        .collect();
    selected.sort_by_key(|t| name_of(t).to_ascii_lowercase());
    let forced = args.slot.map(|s| s.as_str());
    if args.dry_run {
        let plans = selected
            .iter()
            .map(|t| plan(name_of(t), &choose_slot(&passwords(t), forced)))
            .collect();
        return Ok(Output::value(Value::Array(plans)));
    }
    let dir = dir.expect("checked above");
    let work: Vec<Work> = selected
        .iter()
        .map(|t| decide(t, &journal, forced, &dir, &target.name))
        .collect();
    let verify = match args.verify {
        true => shared::login_server(&arm, &registry)
            .await?
            .map(|login| (ctx.http(), login)),
        false => None,
    };
    let verify = match verify {
        Some((http, login)) => Some((http?, ctx.diag.clone(), login, args.verify_timeout)),
        None => None,
    };
    let run = Run {
        arm,
        registry,
        dir: &dir,
        expiry: expiry.as_deref(),
        journal: Mutex::new(journal),
        stop: AtomicBool::new(false),
        verify,
    };
    let parallel = usize::try_from(args.max_parallel).unwrap_or(1);
    let all = futures_util::stream::iter(work)
        .map(|w| run.one(w))
        .buffer_unordered(parallel)
        .collect::<Vec<Value>>();
    let mut results = if ctx.io.is_process() {
        until_done_or_signal(all, &run.stop).await
    } else {
        all.await
    };
    results.sort_by_key(|r| r["name"].as_str().unwrap_or_default().to_ascii_lowercase());
    let failed = results.iter().filter(|r| r["status"] != "ok").count();
    let journal = run.journal.into_inner();
    let failure = if failed == 0 {
        journal.finish().map_err(|e| journal_error(&dir, e))?;
        None
    } else {
        Some(Error::cli(format!(
            "{failed} of {} tokens were not rotated; run the same command again to finish them (no token is rotated twice).",
            results.len()
        )))
    };
    Ok(Output::table(Value::Array(results), transformers::rotation_table).failing(failure))
}

fn name_of(token: &Value) -> &str {
    token
        .get("name")
        .and_then(Value::as_str)
        .unwrap_or_default()
}

/// The raw `creationTime` of `slot` in a token resource.
fn creation_of(token: &Value, slot: &str) -> Option<String> {
    token
        .pointer("/properties/credentials/passwords")
        .and_then(Value::as_array)?
        .iter()
        .find(|p| p.get("name").and_then(Value::as_str) == Some(slot))
        .and_then(|p| p.get("creationTime").and_then(Value::as_str))
        .map(str::to_owned)
}

/// What to do with `token`, given what an earlier run of this directory recorded.
fn decide(
    token: &Value,
    journal: &Journal,
    forced: Option<&'static str>,
    dir: &Path,
    registry: &str,
) -> Work {
    let name = name_of(token).to_owned();
    let fresh = |slot: &'static str| Work::Rotate {
        before: creation_of(token, slot),
        name: name.clone(),
        slot,
    };
    match journal.get(&name) {
        None => fresh(choose_slot(&passwords(token), forced).slot),
        Some(Entry::Done { slot, expiry }) => Work::Known(result(
            &name,
            slot,
            expiry.as_deref(),
            Ok(Some("rotated by an earlier run into this directory")),
            &secret_path(dir, &name),
        )),
        Some(Entry::Started { slot, before }) => {
            let slot: &'static str = if slot == "password2" {
                "password2"
            } else {
                "password1"
            };
            let now = creation_of(token, slot);
            if now == *before {
                // The interrupted request never took effect: rotate the same slot now.
                fresh(slot)
            } else {
                Work::Known(result(
                    &name,
                    slot,
                    None,
                    Err(format!(
                        "an earlier run replaced {slot} (created {}) but never received or saved the new password; generate it again with `acr token credential rotate -r {registry} -n {name} --slot {slot} --output-secret-file FILE`",
                        now.as_deref().unwrap_or("at an unknown time")
                    )),
                    &secret_path(dir, &name),
                ))
            }
        }
    }
}

fn secret_path(dir: &Path, name: &str) -> PathBuf {
    dir.join(name)
}

/// One result row: name, slot, expiry, status (`ok` or `error`), message, secretFile.
fn result(
    name: &str,
    slot: &str,
    expiry: Option<&str>,
    outcome: std::result::Result<Option<&str>, String>,
    file: &Path,
) -> Value {
    let (status, message, file) = match outcome {
        Ok(message) => (
            "ok",
            message.map(str::to_owned),
            Some(file.display().to_string()),
        ),
        Err(message) => ("error", Some(message), None),
    };
    json!({
        "name": name,
        "slot": slot,
        "expiry": expiry.map(crate::api::models::isoformat),
        "status": status,
        "message": message,
        "secretFile": file,
    })
}

impl Run<'_> {
    async fn one(&self, work: Work) -> Value {
        let (name, slot, before) = match work {
            Work::Known(result) => return result,
            Work::Rotate { name, slot, before } => (name, slot, before),
        };
        let file = secret_path(self.dir, &name);
        if self.stop.load(Ordering::SeqCst) {
            let why = "not started: the run was interrupted".to_owned();
            return result(&name, slot, None, Err(why), &file);
        }
        match self.rotate(&name, slot, before.as_deref(), &file).await {
            Ok(expiry) => result(&name, slot, expiry.as_deref(), Ok(None), &file),
            Err(e) => {
                // The first line: ARM errors repeat their code and message on the next ones.
                let text = e.render();
                let text = text.lines().next().unwrap_or_default();
                let text = text.trim_start_matches("ERROR: ");
                result(&name, slot, None, Err(text.to_owned()), &file)
            }
        }
    }

    /// Journal, request, file, journal; the new password's expiry.
    async fn rotate(
        &self,
        name: &str,
        slot: &'static str,
        before: Option<&str>,
        file: &Path,
    ) -> Result<Option<String>> {
        self.journal
            .lock()
            .await
            .started(name, slot, before)
            .map_err(|e| journal_error(self.dir, e))?;
        let request = Generate {
            token: name,
            password: Some(slot),
            expiry: self.expiry,
        };
        let generated = self
            .arm
            .generate_credentials(&self.registry, &request)
            .await?;
        let password = generated.pointer("/passwords/0");
        let value = password
            .and_then(|p| p.get("value"))
            .and_then(Value::as_str)
            .ok_or_else(|| Error::cli("The service returned no password."))?;
        let expiry = password
            .and_then(|p| p.get("expiry"))
            .and_then(Value::as_str)
            .map(str::to_owned);
        write_private(file, value.as_bytes(), true).map_err(|e| {
            Error::cli(format!(
                "{slot} was replaced but its new password could not be written to '{}': {e}",
                file.display()
            ))
        })?;
        self.journal
            .lock()
            .await
            .done(name, slot, expiry.as_deref())
            .map_err(|e| journal_error(self.dir, e))?;
        if let Some((http, diag, login, timeout)) = &self.verify {
            let outcome =
                crate::api::registry::wait_accepted(http, diag, login, name, value, *timeout)
                    .await?;
            if let Err(why) = outcome {
                return Err(Error::cli(format!(
                    "rotated, but the registry did not accept the new password within {} s ({why})",
                    timeout.as_secs()
                )));
            }
        }
        Ok(expiry)
    }
}

fn journal_error(dir: &Path, e: std::io::Error) -> Error {
    Error::cli(format!(
        "Cannot write the rotation journal in '{}': {e}",
        dir.display()
    ))
}

/// Runs `work` to its end; a SIGINT or SIGTERM meanwhile sets `stop`, so tokens not yet
/// started are skipped while those in flight finish and are saved.
async fn until_done_or_signal<F: std::future::Future>(work: F, stop: &AtomicBool) -> F::Output {
    tokio::pin!(work);
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        if let (Ok(mut int), Ok(mut term)) = (
            signal(SignalKind::interrupt()),
            signal(SignalKind::terminate()),
        ) {
            loop {
                tokio::select! {
                    output = &mut work => return output,
                    _ = int.recv() => stop.store(true, Ordering::SeqCst),
                    _ = term.recv() => stop.store(true, Ordering::SeqCst),
                }
            }
        }
    }
    #[cfg(not(unix))]
    let _ = stop;
    work.await
}
