//! Data-plane password logins: the check of a token's password (enabled, unexpired,
//! propagated, compared in constant time) and the cache of login records that lets a Basic
//! grant cost no query. The tokens themselves are written in `tokens`.

use std::collections::HashMap;
use std::sync::Arc;

use rusqlite::{OptionalExtension, params};

use super::secrets::matches;
use super::{Db, parse_list};
use crate::emulator::clock;

/// Who a data-plane password login is, and what its scope map allows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TokenIdentity {
    pub registry: String,
    pub token: String,
    pub password: String,
    pub scope_map: String,
    pub actions: Vec<String>,
}

/// Why a data-plane password login failed. Callers answer every variant with the same 401 so
/// that nothing leaks; the variants exist for logs and tests.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Denied {
    UnknownRegistry,
    UnknownToken,
    Disabled,
    WrongPassword,
    Expired,
    Unavailable,
}

/// Registry name, token id, token name, status, scope-map name, scope-map actions (JSON).
type LoginRow = (String, i64, String, String, String, String);

/// One stored password of a token, as a login checks it.
pub struct StoredPassword {
    name: String,
    hash: String,
    expiry: Option<time::OffsetDateTime>,
    created: String,
}

/// What a data-plane login needs to know of a token: read from the database, or from the
/// [`LoginCache`] while no row has changed since.
pub struct LoginRecord {
    registry: String,
    token: String,
    enabled: bool,
    scope_map: String,
    actions: Vec<String>,
    passwords: Vec<StoredPassword>,
}

/// Login records of recently used tokens, so that a Basic grant costs no query. An entry is
/// valid only while the connection's `total_changes()` (every row inserted, updated or
/// deleted through the store's one connection, rolled back or not) is what it was when the
/// entry was read: any write to any table (a token disabled, deleted or given a new password,
/// a scope map changed, a registry deleted) empties the cache before the next login is
/// checked. Expiry and propagation are checked against the clock at each login, never cached.
#[derive(Default)]
pub struct LoginCache {
    changes: u64,
    entries: HashMap<(String, String), Arc<LoginRecord>>,
}

/// Enough for every token of a Premium registry (quota 50,000) at a few hundred bytes each.
const LOGIN_CACHE_ENTRIES: usize = 65_536;

impl LoginCache {
    fn key(registry: &str, token: &str) -> (String, String) {
        // Names compare case-insensitively (ASCII, as SQLite's NOCASE does).
        (registry.to_ascii_lowercase(), token.to_ascii_lowercase())
    }

    /// Empties the cache if any row changed since its entries were read.
    fn sync(&mut self, changes: u64) {
        if changes != self.changes {
            self.entries.clear();
            self.changes = changes;
        }
    }

    fn get(&mut self, registry: &str, token: &str, changes: u64) -> Option<Arc<LoginRecord>> {
        self.sync(changes);
        self.entries.get(&Self::key(registry, token)).cloned()
    }

    fn insert(&mut self, registry: &str, token: &str, changes: u64, rec: Arc<LoginRecord>) {
        self.sync(changes);
        if self.entries.len() >= LOGIN_CACHE_ENTRIES {
            self.entries.clear();
        }
        self.entries.insert(Self::key(registry, token), rec);
    }
}

impl Db {
    /// The login record of `token` in `registry` (names case-insensitive), from the login
    /// cache when no row of the database changed since it was read.
    pub(super) fn login_record(
        &mut self,
        registry: &str,
        token: &str,
    ) -> Result<Arc<LoginRecord>, Denied> {
        if let Some(rec) = self.cached_login(registry, token) {
            return Ok(rec);
        }
        // Read before the lookup: a change made while reading (none can be, under the lock)
        // would at worst invalidate the entry at once.
        let changes = self.conn.total_changes();
        let lookup = || -> rusqlite::Result<Option<LoginRow>> {
            self.conn
                .query_row(
                    "SELECT r.name, t.id, t.name, t.status, s.name, s.actions FROM tokens t \
                     JOIN registries r ON r.id = t.registry_id JOIN scope_maps s ON s.id = t.scope_map_id \
                     WHERE r.name = ?1 AND t.name = ?2",
                    params![registry, token],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)),
                )
                .optional()
        };
        let Some((reg_name, id, token_name, status, map, actions)) =
            lookup().map_err(|_| Denied::Unavailable)?
        else {
            return match self.find_registry(registry) {
                Ok(Some(_)) => Err(Denied::UnknownToken),
                Ok(None) => Err(Denied::UnknownRegistry),
                Err(_) => Err(Denied::Unavailable),
            };
        };
        let passwords: Vec<StoredPassword> = (|| -> rusqlite::Result<_> {
            let mut st = self.conn.prepare_cached(
                "SELECT name, hash, expiry, created_at FROM token_passwords WHERE token_id = ?1",
            )?;
            st.query_map([id], |r| {
                Ok(StoredPassword {
                    name: r.get(0)?,
                    hash: r.get(1)?,
                    expiry: r
                        .get::<_, Option<String>>(2)?
                        .as_deref()
                        .and_then(clock::parse),
                    created: r.get::<_, String>(3)?,
                })
            })?
            .collect()
        })()
        .map_err(|_| Denied::Unavailable)?;
        let rec = Arc::new(LoginRecord {
            registry: reg_name,
            token: token_name,
            enabled: status == "enabled",
            scope_map: map,
            actions: parse_list(&actions),
            passwords,
        });
        self.logins.insert(registry, token, changes, rec.clone());
        Ok(rec)
    }

    /// The cached login record, if no row changed since it was read.
    pub(super) fn cached_login(&mut self, registry: &str, token: &str) -> Option<Arc<LoginRecord>> {
        let changes = self.conn.total_changes();
        self.logins.get(registry, token, changes)
    }

    pub fn verify_token_password(
        &mut self,
        registry: &str,
        token: &str,
        password: &str,
    ) -> Result<TokenIdentity, Denied> {
        let rec = self.login_record(registry, token)?;
        self.check_login(&rec, password)
    }

    /// Checks `password` against a login record: the token is enabled and the password
    /// matches an unexpired, propagated password1 or password2, in constant time.
    pub(super) fn check_login(
        &self,
        rec: &LoginRecord,
        password: &str,
    ) -> Result<TokenIdentity, Denied> {
        // A password still "replicating" (--password-propagation) is not known to the data
        // plane yet: it fails exactly like a wrong one, as in Azure.
        // A delay too large to subtract means nothing has propagated yet.
        let propagated_before = time::Duration::try_from(self.password_propagation)
            .ok()
            .and_then(|d| clock::now().checked_sub(d))
            .unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
        // Check every stored password, without stopping at the first match, so the time taken
        // does not tell which one matched.
        let mut matched: Option<&StoredPassword> = None;
        for p in &rec.passwords {
            let known = self.password_propagation.is_zero()
                || clock::parse(&p.created).is_none_or(|c| c <= propagated_before);
            if matches(&self.pepper, password, &p.hash) && known {
                matched = Some(p);
            }
        }
        let Some(p) = matched else {
            return Err(Denied::WrongPassword);
        };
        if !rec.enabled {
            return Err(Denied::Disabled);
        }
        if let Some(exp) = p.expiry
            && exp <= clock::now()
        {
            return Err(Denied::Expired);
        }
        Ok(TokenIdentity {
            registry: rec.registry.clone(),
            token: rec.token.clone(),
            password: p.name.clone(),
            scope_map: rec.scope_map.clone(),
            actions: rec.actions.clone(),
        })
    }
}
