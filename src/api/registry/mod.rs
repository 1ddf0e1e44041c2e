//! The registry data plane (`https://{loginServer}/v2/…`, `/acr/v1/…`, `/oauth2/…`), as az's
//! `_docker_utils` drives it: login-server resolution through ARM (falling back to
//! `{name}{cloud suffix}`), one `/v2/` probe that is also the challenge (D8), the token flows
//! (Basic, `grant_type=password`, the `/oauth2/exchange` → `refresh_token` flow for an Entra
//! identity, the admin user), `Link` paging and az's error texts without timestamps (D9).
//! Access tokens are cached per scope in a 0600 file until shortly before they expire.
//!
//! `client` sends requests (az's retries and texts, `Link` paging); `operations` holds the
//! typed verbs commands call; `connect` picks the credential (password, Entra exchange, admin
//! user, each its own function) after `challenge` probed `/v2/`; `token_server` requests
//! tokens; `token_cache` keeps them; `verify` waits until a new password is accepted.

mod challenge;
mod client;
mod connect;
mod operations;
mod token_cache;
mod token_server;
mod verify;

use base64::Engine;

use crate::error::Error;

pub use client::{Page, Registry};
pub use connect::{Login, Session, connect};
pub use operations::Attributes;
pub use verify::wait_accepted;

/// The username az uses for a bearer token carried as a (username, password) pair.
pub const EMPTY_GUID: &str = "00000000-0000-0000-0000-000000000000";
/// The Entra audience of ACR, used for the `/oauth2/exchange` flow.
pub const ACR_AUDIENCE: &str = "https://containerregistry.azure.net";
/// What a data-plane command asks the token server for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// `registry:catalog:*` (catalog has only `*`, even to read).
    Catalog,
    /// `repository:{name}:{actions}`.
    Repository { name: String, actions: &'static str },
}

impl Scope {
    /// `repository:{name}:{actions}`.
    pub fn repository(name: &str, actions: &'static str) -> Scope {
        Scope::Repository {
            name: name.to_owned(),
            actions,
        }
    }

    pub fn as_string(&self) -> String {
        match self {
            Scope::Catalog => "registry:catalog:*".to_owned(),
            Scope::Repository { name, actions } => format!("repository:{name}:{actions}"),
        }
    }
}

/// How requests to the registry are authorised.
#[derive(Clone)]
pub enum RegistryAuth {
    Basic { username: String, password: String },
    Bearer(String),
}

impl RegistryAuth {
    fn header(&self) -> String {
        match self {
            RegistryAuth::Basic { username, password } => {
                format!(
                    "Basic {}",
                    base64::engine::general_purpose::STANDARD
                        .encode(format!("{username}:{password}"))
                )
            }
            RegistryAuth::Bearer(token) => format!("Bearer {token}"),
        }
    }
}

/// The `An error occurred: TITLE\nmessage` errors of az's connectivity checks, without the
/// timestamp (D9).
fn connectivity(title: &str, message: String) -> Error {
    Error::cli(connectivity_text(title, &message))
}

fn connectivity_text(title: &str, message: &str) -> String {
    format!("An error occurred: {title}\n{message}")
}
