//! `acr login` (az's `az acr login`): with `--expose-token`, print the refresh token as az does;
//! otherwise write the registry credentials into the auth file Docker, Podman and skopeo read
//! (`REGISTRY_AUTH_FILE`, else `$DOCKER_CONFIG/config.json`, else `~/.docker/config.json`), so
//! those clients work with no Docker daemon involved. When that file names a credential helper
//! for the registry (`credHelpers`, `credsStore`), the secret goes to the helper instead and the
//! file gets docker's empty `auths` entry (`crate::docker_helper`).

use std::path::PathBuf;

use base64::Engine;
use serde_json::{Value, json};

use super::data_plane::{connect, password, registry};
use crate::api::registry::{EMPTY_GUID, Login};
use crate::cli::login::LoginArgs;
use crate::context::Context;
use crate::docker_helper;
use crate::error::{Error, Result};
use crate::output::Output;

pub async fn run(ctx: &mut Context, args: LoginArgs) -> Result<Output> {
    let name = registry(ctx, args.name.as_deref())?;
    if args.expose_token
        && (args.username.is_some() || args.password.is_some() || args.password_stdin)
    {
        return Err(Error::cli(
            "`--expose-token` cannot be combined with `--username` or `--password`.",
        ));
    }
    let secret = password(
        ctx,
        args.username.as_deref(),
        args.password.clone(),
        args.password_stdin,
    )?;
    let login = Login {
        name: &name,
        suffix: args.suffix.as_deref(),
        username: args.username.as_deref(),
        password: secret.as_deref(),
    };
    let (registry, pair) = connect(ctx, &login, None).await?;
    let (username, password) =
        pair.ok_or_else(|| Error::cli("The registry issued no credentials."))?;
    let login_server = registry.login_server.clone();

    if args.expose_token {
        ctx.warn("Note: The token in both the accessToken and refreshToken fields is an ACR Refresh Token, not an ACR Access Token. This ACR Refresh Token cannot be used directly to authenticate with registry APIs such as pushing/pulling images and listing repositories/tags. This ACR Refresh Token must be subsequently exchanged for an ACR Access.Please see https://aka.ms/acr/auth/oauth");
        ctx.warn(&format!(
            "You can perform manual login using the provided refresh token below, for example: 'docker login loginServer -u {EMPTY_GUID} -p refreshToken'"
        ));
        return Ok(Output::value(json!({
            "accessToken": password,
            "loginServer": login_server,
            "refreshToken": password,
            "username": EMPTY_GUID,
        })));
    }

    let first_label = login_server.split('.').next().unwrap_or_default();
    if name != first_label && name.to_lowercase() == first_label {
        ctx.warn("Uppercase characters are detected in the registry name. When using its server url in docker commands, to avoid authentication errors, use all lowercase.");
    }
    let path = auth_file(ctx);
    if let Some(helper) = docker_helper::configured(&read_auth_file(&path)?, &login_server) {
        docker_helper::store(
            ctx.config.env(),
            &helper,
            &login_server,
            &username,
            &password,
        )
        .await?;
        // docker's native store keeps an entry without secrets, which also replaces any
        // plain-text credentials an earlier login left there.
        store_credentials(&path, &login_server, json!({}))?;
        ctx.io.err(&format!(
            "Credentials for '{login_server}' stored with '{}' (no secret in '{}').\n",
            docker_helper::program(&helper),
            path.display()
        ));
    } else {
        let encoded =
            base64::engine::general_purpose::STANDARD.encode(format!("{username}:{password}"));
        store_credentials(&path, &login_server, json!({"auth": encoded}))?;
        ctx.io.err(&format!(
            "Credentials for '{login_server}' written to '{}'.\n",
            path.display()
        ));
    }
    ctx.io.out("Login Succeeded\n")?;
    Ok(Output::none())
}

/// The auth file registry clients read: `REGISTRY_AUTH_FILE` (podman, skopeo), else Docker's.
fn auth_file(ctx: &Context) -> PathBuf {
    let env = ctx.config.env();
    if let Some(file) = env.get("REGISTRY_AUTH_FILE") {
        return PathBuf::from(file);
    }
    let dir = match env.get("DOCKER_CONFIG") {
        Some(dir) => PathBuf::from(dir),
        None => dirs::home_dir().unwrap_or_default().join(".docker"),
    };
    dir.join("config.json")
}

/// The auth file's JSON object (an empty one when the file is missing or blank).
fn read_auth_file(path: &std::path::Path) -> Result<Value> {
    let document: Value = match std::fs::read(path) {
        Ok(bytes) if !bytes.iter().all(u8::is_ascii_whitespace) => serde_json::from_slice(&bytes)
            .map_err(|e| {
            Error::cli(format!(
                "The auth file '{}' is not valid JSON: {e}",
                path.display()
            ))
        })?,
        _ => json!({}),
    };
    if !document.is_object() {
        return Err(Error::cli(format!(
            "The auth file '{}' is not a JSON object.",
            path.display()
        )));
    }
    Ok(document)
}

/// Adds (or replaces) `auths[login_server]` with `entry` and keeps everything else in the file.
fn store_credentials(path: &std::path::Path, login_server: &str, entry: Value) -> Result<()> {
    let mut document = read_auth_file(path)?;
    let auths = document
        .as_object_mut()
        .expect("checked above")
        .entry("auths")
        .or_insert_with(|| json!({}));
    if !auths.is_object() {
        *auths = json!({});
    }
    auths[login_server] = entry;
    let bytes = serde_json::to_vec_pretty(&document)?;
    Ok(crate::config::write_atomic(path, &bytes, true)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_are_merged_into_an_existing_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.json");
        std::fs::write(
            &path,
            r#"{"auths": {"other.io": {"auth": "eDp5"}}, "credsStore": "pass"}"#,
        )
        .unwrap();
        store_credentials(&path, "127.0.0.1:5000", json!({"auth": "dG9rOnB3"})).unwrap();
        let doc: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
        assert_eq!(doc["auths"]["127.0.0.1:5000"]["auth"], "dG9rOnB3");
        assert_eq!(doc["auths"]["other.io"]["auth"], "eDp5");
        assert_eq!(doc["credsStore"], "pass");
    }
}
