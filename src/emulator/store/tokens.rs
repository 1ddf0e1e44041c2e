//! Tokens of a registry, their passwords (stored as peppered HMAC digests only) and
//! certificates: create-or-replace, patch (credential names listed are the ones to keep),
//! delete, generateCredentials, and the data-plane password check. Each operation is one
//! transaction; the per-SKU token count is checked inside it.

use std::collections::HashMap;
use std::sync::Arc;

use rusqlite::{OptionalExtension, Row, Transaction, params};

use super::secrets::{digest, generate_password, matches};
use super::{
    Actor, Audit, CertificateInfo, Db, Missing, PasswordInfo, Registry, StoreError, StoreResult,
    Token, check_quota, parse_list,
};
use crate::emulator::clock;

pub struct CertificateInput {
    pub name: String,
    pub thumbprint: Option<String>,
    pub expiry: Option<String>,
    pub pem: Option<String>,
}

pub struct TokenPut {
    pub scope_map: String,
    pub status: String,
    /// `credentials.passwords` names: the existing passwords to keep (`None`: keep all).
    pub keep_passwords: Option<Vec<String>>,
    pub certificates: Option<Vec<CertificateInput>>,
}

#[derive(Default)]
pub struct TokenPatch {
    pub scope_map: Option<String>,
    pub status: Option<String>,
    pub keep_passwords: Option<Vec<String>>,
    pub certificates: Option<Vec<CertificateInput>>,
}

/// A password made by generateCredentials: the only place its value exists.
pub struct GeneratedPassword {
    pub name: String,
    pub created_at: String,
    pub expiry: Option<String>,
    pub value: String,
}

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

const SELECT: &str = "SELECT t.id, t.name, s.name, t.status, \
     t.created_at, t.created_by, t.created_by_type, t.modified_at, t.modified_by, t.modified_by_type \
     FROM tokens t JOIN scope_maps s ON s.id = t.scope_map_id";

fn from_row(row: &Row<'_>) -> rusqlite::Result<Token> {
    Ok(Token {
        id: row.get(0)?,
        name: row.get(1)?,
        scope_map: row.get(2)?,
        status: row.get(3)?,
        passwords: Vec::new(),
        certificates: Vec::new(),
        audit: Audit::from_row(row, 4)?,
    })
}

fn load_credentials(conn: &rusqlite::Connection, token: &mut Token) -> rusqlite::Result<()> {
    let mut st = conn.prepare_cached(
        "SELECT name, created_at, expiry FROM token_passwords WHERE token_id = ?1 ORDER BY name",
    )?;
    token.passwords = st
        .query_map([token.id], |r| {
            Ok(PasswordInfo {
                name: r.get(0)?,
                created_at: r.get(1)?,
                expiry: r.get(2)?,
            })
        })?
        .collect::<Result<_, _>>()?;
    let mut st = conn.prepare_cached(
        "SELECT name, thumbprint, expiry FROM token_certificates WHERE token_id = ?1 ORDER BY name",
    )?;
    token.certificates = st
        .query_map([token.id], |r| {
            Ok(CertificateInfo {
                name: r.get(0)?,
                thumbprint: r.get(1)?,
                expiry: r.get(2)?,
            })
        })?
        .collect::<Result<_, _>>()?;
    Ok(())
}

fn scope_map_id(tx: &Transaction<'_>, registry: &Registry, name: &str) -> StoreResult<i64> {
    tx.query_row("SELECT id FROM scope_maps WHERE registry_id = ?1 AND name = ?2", params![registry.id, name], |r| {
        r.get(0)
    })
    .optional()?
    .ok_or_else(|| {
        StoreError::Rule(format!(
            "The scope map '{name}' referenced by properties.scopeMapId does not exist in registry '{}'.",
            registry.name
        ))
    })
}

fn apply_credentials(
    tx: &Transaction<'_>,
    token_id: i64,
    keep_passwords: Option<&[String]>,
    certificates: Option<Vec<CertificateInput>>,
) -> StoreResult<()> {
    if let Some(keep) = keep_passwords {
        let existing: Vec<String> = {
            let mut st = tx.prepare("SELECT name FROM token_passwords WHERE token_id = ?1")?;
            st.query_map([token_id], |r| r.get(0))?
                .collect::<Result<_, _>>()?
        };
        for name in existing {
            if !keep.iter().any(|k| k.eq_ignore_ascii_case(&name)) {
                tx.execute(
                    "DELETE FROM token_passwords WHERE token_id = ?1 AND name = ?2",
                    params![token_id, name],
                )?;
            }
        }
    }
    if let Some(certs) = certificates {
        let mut keep = Vec::new();
        for c in certs {
            let name = c.name.to_ascii_lowercase();
            if c.pem.is_some() || c.thumbprint.is_some() || c.expiry.is_some() {
                tx.execute(
                    "INSERT INTO token_certificates (token_id, name, thumbprint, expiry, pem) VALUES (?1, ?2, ?3, ?4, ?5) \
                     ON CONFLICT(token_id, name) DO UPDATE SET thumbprint = excluded.thumbprint, \
                     expiry = excluded.expiry, pem = excluded.pem",
                    params![token_id, name, c.thumbprint, c.expiry, c.pem],
                )?;
            }
            keep.push(name);
        }
        let existing: Vec<String> = {
            let mut st = tx.prepare("SELECT name FROM token_certificates WHERE token_id = ?1")?;
            st.query_map([token_id], |r| r.get(0))?
                .collect::<Result<_, _>>()?
        };
        for name in existing {
            if !keep.contains(&name) {
                tx.execute(
                    "DELETE FROM token_certificates WHERE token_id = ?1 AND name = ?2",
                    params![token_id, name],
                )?;
            }
        }
    }
    Ok(())
}

impl Db {
    pub fn list_tokens(&self, registry: &Registry) -> StoreResult<Vec<Token>> {
        self.read_tokens("", [registry.id])
    }

    /// The tokens `skip..skip + size` of `list_tokens`'s order, and how many there are.
    pub fn list_tokens_window(
        &self,
        registry: &Registry,
        skip: usize,
        size: usize,
    ) -> StoreResult<(Vec<Token>, usize)> {
        let total: i64 = self.conn.query_row(
            "SELECT COUNT(*) FROM tokens WHERE registry_id = ?1",
            [registry.id],
            |row| row.get(0),
        )?;
        let clamp = |n: usize| i64::try_from(n).unwrap_or(i64::MAX);
        let tokens = self.read_tokens(
            " LIMIT ?2 OFFSET ?3",
            params![registry.id, clamp(size), clamp(skip)],
        )?;
        Ok((tokens, usize::try_from(total).unwrap_or(0)))
    }

    /// A registry's tokens (`?1`) in id order, `tail` appended to the query, with their
    /// passwords.
    fn read_tokens(&self, tail: &str, args: impl rusqlite::Params) -> StoreResult<Vec<Token>> {
        let mut st = self.conn.prepare(&format!(
            "{SELECT} WHERE t.registry_id = ?1 ORDER BY t.id{tail}"
        ))?;
        let mut tokens: Vec<Token> = st.query_map(args, from_row)?.collect::<Result<_, _>>()?;
        for t in &mut tokens {
            load_credentials(&self.conn, t)?;
        }
        Ok(tokens)
    }

    pub fn find_token(&self, registry: &Registry, name: &str) -> StoreResult<Option<Token>> {
        let token = self
            .conn
            .query_row(
                &format!("{SELECT} WHERE t.registry_id = ?1 AND t.name = ?2"),
                params![registry.id, name],
                from_row,
            )
            .optional()?;
        match token {
            Some(mut t) => {
                load_credentials(&self.conn, &mut t)?;
                Ok(Some(t))
            }
            None => Ok(None),
        }
    }

    pub fn get_token(&self, registry: &Registry, name: &str) -> StoreResult<Token> {
        self.find_token(registry, name)?
            .ok_or_else(|| StoreError::NotFound(Missing::Token(name.to_string())))
    }

    /// Creates or replaces a token; returns it and whether it was created. Replacing keeps
    /// the passwords unless `credentials.passwords` says otherwise.
    pub fn put_token(
        &mut self,
        registry: &Registry,
        name: &str,
        put: TokenPut,
        actor: &Actor,
    ) -> StoreResult<(Token, bool)> {
        let now = clock::format(clock::now());
        let limit = self.limits.tokens_for(registry.sku);
        let tx = self.conn.transaction()?;
        let map_id = scope_map_id(&tx, registry, &put.scope_map)?;
        let existing: Option<i64> = tx
            .query_row(
                "SELECT id FROM tokens WHERE registry_id = ?1 AND name = ?2",
                params![registry.id, name],
                |r| r.get(0),
            )
            .optional()?;
        let (id, created) = match existing {
            Some(id) => {
                tx.execute(
                    "UPDATE tokens SET scope_map_id = ?1, status = ?2, modified_at = ?3, modified_by = ?4, \
                     modified_by_type = ?5 WHERE id = ?6",
                    params![map_id, put.status, now, actor.id, actor.kind, id],
                )?;
                (id, false)
            }
            None => {
                check_quota(
                    &tx,
                    registry,
                    "SELECT COUNT(*) FROM tokens WHERE registry_id = ?1",
                    limit,
                    "tokens",
                )?;
                tx.execute(
                    &format!(
                        "INSERT INTO tokens (registry_id, name, scope_map_id, status, {}) \
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?5, ?6, ?7)",
                        Audit::COLUMNS
                    ),
                    params![
                        registry.id,
                        name,
                        map_id,
                        put.status,
                        now,
                        actor.id,
                        actor.kind
                    ],
                )?;
                (tx.last_insert_rowid(), true)
            }
        };
        apply_credentials(&tx, id, put.keep_passwords.as_deref(), put.certificates)?;
        tx.commit()?;
        Ok((self.get_token(registry, name)?, created))
    }

    pub fn patch_token(
        &mut self,
        registry: &Registry,
        name: &str,
        patch: TokenPatch,
        actor: &Actor,
    ) -> StoreResult<Token> {
        let now = clock::format(clock::now());
        let tx = self.conn.transaction()?;
        let id: i64 = tx
            .query_row(
                "SELECT id FROM tokens WHERE registry_id = ?1 AND name = ?2",
                params![registry.id, name],
                |r| r.get(0),
            )
            .optional()?
            .ok_or_else(|| StoreError::NotFound(Missing::Token(name.to_string())))?;
        if let Some(map) = &patch.scope_map {
            let map_id = scope_map_id(&tx, registry, map)?;
            tx.execute(
                "UPDATE tokens SET scope_map_id = ?1 WHERE id = ?2",
                params![map_id, id],
            )?;
        }
        if let Some(status) = &patch.status {
            tx.execute(
                "UPDATE tokens SET status = ?1 WHERE id = ?2",
                params![status, id],
            )?;
        }
        apply_credentials(&tx, id, patch.keep_passwords.as_deref(), patch.certificates)?;
        tx.execute(
            "UPDATE tokens SET modified_at = ?1, modified_by = ?2, modified_by_type = ?3 WHERE id = ?4",
            params![now, actor.id, actor.kind, id],
        )?;
        tx.commit()?;
        self.get_token(registry, name)
    }

    /// Deletes a token; `false` when there was none.
    pub fn delete_token(&mut self, registry: &Registry, name: &str) -> StoreResult<bool> {
        let n = self.conn.execute(
            "DELETE FROM tokens WHERE registry_id = ?1 AND name = ?2",
            params![registry.id, name],
        )?;
        Ok(n > 0)
    }

    /// (Re)generates `which` (or both passwords) of a token. Values leave the store only here.
    pub fn generate_credentials(
        &mut self,
        registry: &Registry,
        token: &str,
        which: Option<&str>,
        expiry: Option<String>,
    ) -> StoreResult<(String, Vec<GeneratedPassword>)> {
        let now = clock::format(clock::now());
        let tx = self.conn.transaction()?;
        let (id, token_name): (i64, String) = tx
            .query_row(
                "SELECT id, name FROM tokens WHERE registry_id = ?1 AND name = ?2",
                params![registry.id, token],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?
            .ok_or_else(|| StoreError::NotFound(Missing::Token(token.to_string())))?;
        let names: Vec<&str> = match which {
            Some(n) => vec![n],
            None => vec!["password1", "password2"],
        };
        let mut out = Vec::new();
        for name in names {
            let value = generate_password();
            tx.execute(
                "INSERT INTO token_passwords (token_id, name, hash, created_at, expiry) VALUES (?1, ?2, ?3, ?4, ?5) \
                 ON CONFLICT(token_id, name) DO UPDATE SET hash = excluded.hash, created_at = excluded.created_at, \
                 expiry = excluded.expiry",
                params![id, name, digest(&self.pepper, &value), now, expiry],
            )?;
            out.push(GeneratedPassword {
                name: name.to_string(),
                created_at: now.clone(),
                expiry: expiry.clone(),
                value,
            });
        }
        tx.commit()?;
        Ok((token_name, out))
    }

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
