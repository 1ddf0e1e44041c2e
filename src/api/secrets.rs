//! The credential store of `acr account login`: the account it stores (`account.json`, no
//! secret in it) and where the service principal's secret goes: the OS keyring (keyring 4:
//! macOS Keychain, Windows Credential Manager, Secret Service), or, only when asked for with
//! `ACR_CREDENTIAL_STORE=file`, a 0600 file in the configuration directory. Keyring calls run
//! off the async runtime with a timeout, because a locked Secret Service can block forever.

use std::collections::BTreeMap;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::config::{Config, read_json, write_secret};
use crate::error::{Error, Result};

/// What `acr account login` stores (the secret itself goes to the keyring or a 0600 file).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct StoredAccount {
    pub cloud: String,
    pub tenant: String,
    pub client_id: String,
    pub subscription_id: Option<String>,
    pub subscription_name: Option<String>,
    /// `keyring` or `file`.
    pub secret_store: String,
}

/// `{config_dir}/account.json`.
pub fn account_path(config: &Config) -> std::path::PathBuf {
    config.dir().join("account.json")
}

/// The account `acr account login` stored, if any.
pub fn stored_account(config: &Config) -> Option<StoredAccount> {
    let bytes = std::fs::read(account_path(config)).ok()?;
    serde_json::from_slice(&bytes).ok()
}

const SERVICE: &str = "acr";
const KEYRING_TIMEOUT: Duration = Duration::from_secs(5);

/// The keyring entry name of an account.
fn entry_name(account: &StoredAccount) -> String {
    format!("{}:{}:{}", account.cloud, account.tenant, account.client_id)
}

fn file_path(config: &Config) -> std::path::PathBuf {
    config.dir().join("credentials.json")
}

/// `keyring` or `file`: the store a new login uses.
pub fn preferred_store(config: &Config) -> Result<&'static str> {
    match config.env().get("ACR_CREDENTIAL_STORE") {
        None | Some("keyring") => Ok("keyring"),
        Some("file") => Ok("file"),
        Some(other) => Err(Error::cli(format!(
            "ACR_CREDENTIAL_STORE must be 'keyring' or 'file', not '{other}'."
        ))),
    }
}

pub async fn save(config: &Config, account: &StoredAccount, secret: &str) -> Result<()> {
    match account.secret_store.as_str() {
        "file" => {
            let mut all = read_file(config);
            all.insert(entry_name(account), secret.to_owned());
            write_file(config, &all)
        }
        _ => {
            let (name, secret) = (entry_name(account), secret.to_owned());
            keyring_call(move || keyring_set(&name, &secret)).await
        }
    }
}

pub async fn load(config: &Config, account: &StoredAccount) -> Result<String> {
    let missing = || {
        Error::cli(
            "The stored service principal secret is missing. Please run 'acr account login' again.",
        )
    };
    match account.secret_store.as_str() {
        "file" => read_file(config)
            .remove(&entry_name(account))
            .ok_or_else(missing),
        _ => {
            let name = entry_name(account);
            keyring_call(move || keyring_get(&name))
                .await?
                .ok_or_else(missing)
        }
    }
}

pub async fn delete(config: &Config, account: &StoredAccount) -> Result<()> {
    match account.secret_store.as_str() {
        "file" => {
            let mut all = read_file(config);
            all.remove(&entry_name(account));
            write_file(config, &all)
        }
        _ => {
            let name = entry_name(account);
            keyring_call(move || keyring_delete(&name)).await
        }
    }
}

fn read_file(config: &Config) -> BTreeMap<String, String> {
    read_json(&file_path(config))
}

fn write_file(config: &Config, all: &BTreeMap<String, String>) -> Result<()> {
    let bytes = serde_json::to_vec_pretty(all)?;
    Ok(write_secret(&file_path(config), &bytes)?)
}

async fn keyring_call<T: Send + 'static>(
    f: impl FnOnce() -> Result<T> + Send + 'static,
) -> Result<T> {
    match tokio::time::timeout(KEYRING_TIMEOUT, tokio::task::spawn_blocking(f)).await {
        Ok(Ok(result)) => result,
        Ok(Err(panicked)) => Err(anyhow::Error::new(panicked).into()),
        Err(_) => Err(Error::cli(
            "The OS keyring did not answer within 5 seconds (is it locked?). Set ACR_CREDENTIAL_STORE=file to keep the secret in a 0600 file instead.",
        )),
    }
}

fn no_keyring(e: impl std::fmt::Display) -> Error {
    Error::cli(format!(
        "No OS keyring is available ({e}). Set ACR_CREDENTIAL_STORE=file to keep the secret in a 0600 file in the acr configuration directory instead."
    ))
}

#[cfg(feature = "os-keyring")]
fn keyring_set(name: &str, secret: &str) -> Result<()> {
    keyring::Entry::new(SERVICE, name)
        .and_then(|e| e.set_password(secret))
        .map_err(no_keyring)
}

#[cfg(feature = "os-keyring")]
fn keyring_get(name: &str) -> Result<Option<String>> {
    match keyring::Entry::new(SERVICE, name).and_then(|e| e.get_password()) {
        Ok(secret) => Ok(Some(secret)),
        Err(keyring::Error::NoEntry) => Ok(None),
        Err(e) => Err(no_keyring(e)),
    }
}

#[cfg(feature = "os-keyring")]
fn keyring_delete(name: &str) -> Result<()> {
    match keyring::Entry::new(SERVICE, name).and_then(|e| e.delete_credential()) {
        Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
        Err(e) => Err(no_keyring(e)),
    }
}

#[cfg(not(feature = "os-keyring"))]
fn keyring_set(_: &str, _: &str) -> Result<()> {
    Err(no_keyring(format!(
        "acr was built without the os-keyring feature; service {SERVICE}"
    )))
}

#[cfg(not(feature = "os-keyring"))]
fn keyring_get(_: &str) -> Result<Option<String>> {
    Err(no_keyring("acr was built without the os-keyring feature"))
}

#[cfg(not(feature = "os-keyring"))]
fn keyring_delete(_: &str) -> Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Env;

    #[tokio::test]
    async fn file_store_round_trip_is_private() {
        let dir = tempfile::tempdir().unwrap();
        let mut env = Env::with_config_dir(dir.path());
        env.set("ACR_CREDENTIAL_STORE", "file");
        let config = Config::load(&env);
        assert_eq!(preferred_store(&config).unwrap(), "file");
        let account = StoredAccount {
            cloud: "AzureCloud".into(),
            tenant: "t".into(),
            client_id: "c".into(),
            subscription_id: None,
            subscription_name: None,
            secret_store: "file".into(),
        };
        save(&config, &account, "s3cret").await.unwrap();
        assert_eq!(load(&config, &account).await.unwrap(), "s3cret");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.path().join("credentials.json"))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        delete(&config, &account).await.unwrap();
        assert!(load(&config, &account).await.is_err());
    }
}
