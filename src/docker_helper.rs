//! Docker's credential helpers for `acr login`: which helper a Docker config names for a
//! registry (`credHelpers[<login server>]`, else `credsStore`, as docker's
//! `getConfiguredCredentialStore` decides) and the helper protocol's `store` action
//! (`docker-credential-<name> store` with `{"ServerURL","Username","Secret"}` as JSON on
//! stdin; on failure the helper's message is on stdout), as docker-credential-helpers'
//! client runs it. A failing helper is an error: acr never falls back to writing the secret
//! into the config file the user told to keep secrets out of.

use serde_json::{Value, json};

use crate::config::Env;
use crate::error::{Error, Result};

/// The prefix of every helper executable, as in docker's `remoteCredentialsPrefix`.
const PREFIX: &str = "docker-credential-";

/// The helper the Docker config `document` names for `server`, if any. An entry in
/// `credHelpers` wins over `credsStore`, even an empty one (which means "no helper", as in
/// docker: the registry's credentials then stay in `auths`).
pub fn configured(document: &Value, server: &str) -> Option<String> {
    let chosen = match document.get("credHelpers").and_then(|h| h.get(server)) {
        Some(entry) => entry,
        None => document.get("credsStore")?,
    };
    chosen
        .as_str()
        .filter(|name| !name.is_empty())
        .map(str::to_owned)
}

/// The helper's executable name, `docker-credential-<name>`.
pub fn program(helper: &str) -> String {
    format!("{PREFIX}{helper}")
}

/// Stores `username`/`secret` for `server` with `docker-credential-<helper> store`. The child
/// sees acr's (injected) environment, so `PATH`, `DBUS_SESSION_BUS_ADDRESS`,
/// `PASSWORD_STORE_DIR` or `GNUPGHOME` reach it as they would reach docker's.
pub async fn store(
    env: &Env,
    helper: &str,
    server: &str,
    username: &str,
    secret: &str,
) -> Result<()> {
    use tokio::io::AsyncWriteExt as _;

    let program = program(helper);
    // Go's json.Encoder, which docker uses, ends the document with a newline.
    let mut input = serde_json::to_vec(&json!({
        "ServerURL": server,
        "Username": username,
        "Secret": secret,
    }))?;
    input.push(b'\n');
    let mut child = tokio::process::Command::new(&program)
        .arg("store")
        .env_clear()
        .envs(env.vars())
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .map_err(|e| {
            Error::cli(format!(
                "Cannot run the Docker credential helper '{program}': {e}. No credentials were stored."
            ))
        })?;
    if let Some(mut stdin) = child.stdin.take() {
        // A helper that exits without reading its input fails below with its own message.
        let _ = stdin.write_all(&input).await;
    }
    let output = child.wait_with_output().await.map_err(|e| {
        Error::cli(format!(
            "The Docker credential helper '{program}' did not finish: {e}. No credentials were stored."
        ))
    })?;
    if output.status.success() {
        return Ok(());
    }
    let said = [&output.stdout, &output.stderr]
        .into_iter()
        .map(|b| String::from_utf8_lossy(b).trim().to_owned())
        .find(|s| !s.is_empty())
        .unwrap_or_else(|| format!("exit status {}", output.status));
    // A helper has no business echoing the secret, but its message reaches stderr: make sure.
    let said = if secret.is_empty() {
        said
    } else {
        said.replace(secret, "***")
    };
    Err(Error::cli(format!(
        "The Docker credential helper '{program}' failed to store the credentials for '{server}': {said}. No credentials were stored."
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cred_helpers_win_over_creds_store_and_an_empty_entry_means_none() {
        let doc = json!({
            "credsStore": "secretservice",
            "credHelpers": {"a.io": "pass", "b.io": ""},
        });
        assert_eq!(configured(&doc, "a.io").as_deref(), Some("pass"));
        assert_eq!(configured(&doc, "b.io"), None);
        assert_eq!(configured(&doc, "c.io").as_deref(), Some("secretservice"));
        assert_eq!(configured(&json!({"credsStore": ""}), "c.io"), None);
        assert_eq!(configured(&json!({"auths": {}}), "c.io"), None);
        assert_eq!(configured(&json!({"credsStore": 3}), "c.io"), None);
    }

    #[cfg(unix)]
    #[tokio::test]
    async fn the_helper_gets_the_credentials_as_json_and_its_failure_is_an_error() {
        use std::os::unix::fs::PermissionsExt as _;

        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join("stdin");
        let write = |name: &str, body: &str| {
            let path = dir.path().join(program(name));
            std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).unwrap();
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
        };
        write(
            "ok",
            &format!("[ \"$1\" = store ] && cat > '{}'", log.display()),
        );
        write(
            "bad",
            "cat >/dev/null; echo \"no keyring for s3cret\"; exit 1",
        );
        let env = Env::from_pairs([("PATH", format!("{}:/usr/bin:/bin", dir.path().display()))]);
        store(&env, "ok", "r.example:5000", "tok", "s3cret")
            .await
            .unwrap();
        assert_eq!(
            std::fs::read_to_string(&log).unwrap(),
            "{\"ServerURL\":\"r.example:5000\",\"Username\":\"tok\",\"Secret\":\"s3cret\"}\n"
        );
        let err = store(&env, "bad", "r.example:5000", "tok", "s3cret")
            .await
            .unwrap_err()
            .to_string();
        assert!(err.contains("docker-credential-bad"), "{err}");
        assert!(err.contains("no keyring for ***"), "{err}");
        assert!(!err.contains("s3cret"), "{err}");
        let missing = store(&env, "absent", "r.example:5000", "tok", "s3cret")
            .await
            .unwrap_err()
            .to_string();
        assert!(missing.contains("Cannot run"), "{missing}");
    }
}
