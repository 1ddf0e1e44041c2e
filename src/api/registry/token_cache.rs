//! Registry access tokens cached per (login server, identity, scope) in a 0600 file until a
//! minute before they expire, so a second command for the same repository costs no token
//! request. An identity given by password is keyed by a digest of it, never the password.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::Digest;

use super::Scope;
use crate::api::auth::jwt_claims;
use crate::config::{Config, read_json, write_secret};

/// The first 12 bytes of SHA-256 of `secret`, in hex: a cache key part that reveals nothing.
pub(super) fn digest(secret: &str) -> String {
    let hash = sha2::Sha256::digest(secret.as_bytes());
    hash.iter().take(12).map(|b| format!("{b:02x}")).collect()
}

/// Registry access tokens per (login server, identity, scope), until a minute before `exp`.
pub(super) struct TokenCache {
    path: PathBuf,
}

#[derive(Serialize, Deserialize)]
struct CachedToken {
    token: String,
    expires_on: i64,
}

impl TokenCache {
    pub(super) fn new(config: &Config) -> TokenCache {
        TokenCache {
            path: config.dir().join("registry-tokens.json"),
        }
    }

    pub(super) fn key(&self, login_server: &str, identity: &str, scope: &Scope) -> String {
        format!("{login_server}|{identity}|{}", scope.as_string())
    }

    fn read(&self) -> BTreeMap<String, CachedToken> {
        read_json(&self.path)
    }

    pub(super) fn get(&self, key: &str) -> Option<String> {
        let now = now();
        self.read()
            .remove(key)
            .filter(|t| t.expires_on - 60 > now)
            .map(|t| t.token)
    }

    pub(super) fn put(&self, key: &str, token: &str) {
        let Some(expires_on) = jwt_claims(token).and_then(|c| c.get("exp").and_then(Value::as_i64))
        else {
            return;
        };
        let now = now();
        let mut all = self.read();
        all.retain(|_, t| t.expires_on > now);
        all.insert(
            key.to_owned(),
            CachedToken {
                token: token.to_owned(),
                expires_on,
            },
        );
        if let Ok(bytes) = serde_json::to_vec(&all) {
            let _ = write_secret(&self.path, &bytes);
        }
    }
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}
