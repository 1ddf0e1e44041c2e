//! The emulator's only access to disk for state: one SQLite database in the data dir (WAL,
//! foreign keys on, every write in one transaction) behind one connection and one mutex, used
//! from `spawn_blocking`. Serialising every access through that connection is what keeps
//! counts and limits consistent under concurrent requests. The one exception to the blocking
//! pool is a data-plane login whose token record is cached (see `login::LoginCache`). The
//! store speaks in domain types and `StoreError`; it knows nothing of HTTP, JSON wire shapes
//! or ARM error codes.
//!
//! The data plane (issue 4) calls [`Store::verify_token_password`] and adds its own tables
//! through a new migration in `schema.rs`.

pub mod blobs;
mod login;
mod registries;
mod repositories;
mod schema;
mod scope_maps;
pub mod secrets;
mod tokens;

use std::path::Path;
use std::sync::{Arc, Mutex};

use anyhow::Context;
use rusqlite::{Connection, OptionalExtension, Row, params};

use super::Sku;

pub use login::{Denied, TokenIdentity};
pub use registries::{NewRegistry, RegistryPatch};
pub use repositories::{
    DeletedRepository, Flags, FlagsPatch, ManifestFacts, ManifestInfo, NewManifest, Outcome,
    PlatformRef, Refusal, RepositoryInfo, StoredManifest, TagInfo,
};
pub use schema::VERSION as SCHEMA_VERSION;
pub use scope_maps::{SYSTEM_SCOPE_MAPS, ScopeMapPatch, ScopeMapPut};
pub use tokens::{CertificateInput, GeneratedPassword, TokenPatch, TokenPut};

/// Who wrote a row, as ARM's `systemData` reports it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Actor {
    pub id: String,
    /// `Application`, `ManagedIdentity`, `User` or `Key`.
    pub kind: String,
}

impl Actor {
    /// The emulator itself (seeded resources).
    pub fn system(id: &str) -> Actor {
        Actor {
            id: id.to_string(),
            kind: "Application".to_string(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Audit {
    pub created_by: String,
    pub created_by_type: String,
    pub created_at: String,
    pub modified_by: String,
    pub modified_by_type: String,
    pub modified_at: String,
}

impl Audit {
    const COLUMNS: &'static str =
        "created_at, created_by, created_by_type, modified_at, modified_by, modified_by_type";

    #[allow(
        clippy::arithmetic_side_effects,
        reason = "column offsets: small constants, not request data"
    )]
    fn from_row(row: &Row<'_>, first: usize) -> rusqlite::Result<Audit> {
        Ok(Audit {
            created_at: row.get(first)?,
            created_by: row.get(first + 1)?,
            created_by_type: row.get(first + 2)?,
            modified_at: row.get(first + 3)?,
            modified_by: row.get(first + 4)?,
            modified_by_type: row.get(first + 5)?,
        })
    }
}

#[derive(Clone, Debug)]
pub struct Registry {
    pub id: i64,
    pub name: String,
    pub resource_group: String,
    pub location: String,
    pub sku: Sku,
    pub admin_user_enabled: bool,
    pub port: u16,
    pub tags: serde_json::Map<String, serde_json::Value>,
    pub audit: Audit,
}

#[derive(Clone, Debug)]
pub struct ScopeMap {
    pub id: i64,
    pub name: String,
    pub system: bool,
    pub description: Option<String>,
    pub actions: Vec<String>,
    pub audit: Audit,
}

#[derive(Clone, Debug)]
pub struct PasswordInfo {
    pub name: String,
    pub created_at: String,
    pub expiry: Option<String>,
}

#[derive(Clone, Debug)]
pub struct CertificateInfo {
    pub name: String,
    pub thumbprint: Option<String>,
    pub expiry: Option<String>,
}

#[derive(Clone, Debug)]
pub struct Token {
    pub id: i64,
    pub name: String,
    pub scope_map: String,
    pub status: String,
    pub passwords: Vec<PasswordInfo>,
    pub certificates: Vec<CertificateInfo>,
    pub audit: Audit,
}

/// Which resource a lookup did not find.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Missing {
    ResourceGroup,
    Registry,
    Token(String),
    ScopeMap(String),
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("not found: {0:?}")]
    NotFound(Missing),
    /// The write conflicts with existing state (scope map in use, name taken).
    #[error("{0}")]
    Conflict(String),
    /// A per-SKU limit would be exceeded.
    #[error("{0}")]
    Quota(String),
    /// The request breaks a rule only the store can check (existence of referenced rows, …).
    #[error("{0}")]
    Rule(String),
    #[error("database error: {0}")]
    Db(#[from] rusqlite::Error),
    #[error("{0}")]
    Internal(String),
}

pub type StoreResult<T> = Result<T, StoreError>;

/// Per-SKU limits (Microsoft's SKU table). Kept in the store so tests can lower them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    pub tokens: [usize; 3],
    pub scope_maps: [usize; 3],
    pub actions_per_scope_map: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            tokens: [100, 500, 50_000],
            scope_maps: [100, 500, 50_000],
            actions_per_scope_map: 500,
        }
    }
}

impl Limits {
    fn index(sku: Sku) -> usize {
        match sku {
            Sku::Basic => 0,
            Sku::Standard => 1,
            Sku::Premium => 2,
        }
    }
    pub fn tokens_for(&self, sku: Sku) -> usize {
        self.tokens.get(Self::index(sku)).copied().unwrap_or(0)
    }
    pub fn scope_maps_for(&self, sku: Sku) -> usize {
        self.scope_maps.get(Self::index(sku)).copied().unwrap_or(0)
    }
}

/// The connection plus what every operation needs.
pub struct Db {
    conn: Connection,
    pepper: Vec<u8>,
    pub limits: Limits,
    /// A token password younger than this does not log in yet (Azure's replication delay).
    pub password_propagation: std::time::Duration,
    /// Login records of tokens, valid while no row changes (see [`login::LoginCache`]).
    logins: login::LoginCache,
}

impl Db {
    pub fn meta_get(&self, key: &str) -> StoreResult<Option<String>> {
        Ok(self
            .conn
            .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
            .optional()?)
    }

    /// Returns the stored value of `key`, storing `make()` first if there is none.
    pub fn meta_get_or_insert(
        &mut self,
        key: &str,
        make: impl FnOnce() -> String,
    ) -> StoreResult<String> {
        let tx = self.conn.transaction()?;
        let existing: Option<String> = tx
            .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
            .optional()?;
        let value = match existing {
            Some(v) => v,
            None => {
                let v = make();
                tx.execute(
                    "INSERT INTO meta (key, value) VALUES (?1, ?2)",
                    params![key, v],
                )?;
                v
            }
        };
        tx.commit()?;
        Ok(value)
    }

    pub fn meta_set(&mut self, key: &str, value: &str) -> StoreResult<()> {
        self.conn.execute(
            "INSERT INTO meta (key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            params![key, value],
        )?;
        Ok(())
    }
}

#[derive(Clone)]
pub struct Store {
    db: Arc<Mutex<Db>>,
}

impl Store {
    /// Opens (creating if needed) the database at `path` and migrates it.
    pub fn open(path: &Path, pepper: Vec<u8>) -> anyhow::Result<Store> {
        // The database holds secrets in clear (the service principal's secret, the identity
        // header, admin passwords): created 0600 before SQLite opens it, since SQLite gives
        // its -wal and -shm files the database file's mode; existing files (from a version
        // that left them 0644) are tightened too.
        match super::files::private_file().open(path) {
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(e) => {
                return Err(e).with_context(|| format!("creating database {}", path.display()));
            }
        }
        let mut conn = Connection::open(path)
            .with_context(|| format!("opening database {}", path.display()))?;
        // WAL with synchronous=NORMAL loses nothing on a process crash (kill -9): committed
        // transactions are in the WAL file in the OS cache. Only a power loss could drop the
        // last commits, which an emulator can afford.
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        schema::migrate(&mut conn).context("migrating the database")?;
        for suffix in ["", "-wal", "-shm"] {
            let mut p = path.as_os_str().to_owned();
            p.push(suffix);
            super::files::make_private(Path::new(&p))?;
        }
        Ok(Store {
            db: Arc::new(Mutex::new(Db {
                conn,
                pepper,
                limits: Limits::default(),
                password_propagation: std::time::Duration::ZERO,
                logins: login::LoginCache::default(),
            })),
        })
    }

    /// Runs `f` with exclusive access to the database on the blocking pool.
    pub async fn run<T, F>(&self, f: F) -> StoreResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut Db) -> StoreResult<T> + Send + 'static,
    {
        let db = self.db.clone();
        tokio::task::spawn_blocking(move || {
            let mut guard = db.lock().unwrap_or_else(|p| p.into_inner());
            f(&mut guard)
        })
        .await
        .map_err(|e| StoreError::Internal(format!("store task failed: {e}")))?
    }

    /// Runs `f` on the calling thread (start-up code, outside request handling).
    pub fn run_blocking<T>(&self, f: impl FnOnce(&mut Db) -> StoreResult<T>) -> StoreResult<T> {
        let mut guard = self.db.lock().unwrap_or_else(|p| p.into_inner());
        f(&mut guard)
    }

    /// Checks a data-plane login with an ACR token name and one of its passwords: the
    /// registry and token exist (names case-insensitive), the token is enabled, and the
    /// password matches an unexpired password1 or password2 in constant time.
    pub async fn verify_token_password(
        &self,
        registry: &str,
        token: &str,
        password: &str,
    ) -> Result<TokenIdentity, Denied> {
        // The hot path of every Basic grant and Basic-authenticated request: with the lock
        // free and the token's record cached (no row changed since it was read), the check is
        // a few microseconds of HMAC, done here instead of through the blocking pool (whose
        // hand-off costs more than the check). Anything else takes the blocking pool.
        if let Ok(mut db) = self.db.try_lock()
            && let Some(rec) = db.cached_login(registry, token)
        {
            return db.check_login(&rec, password);
        }
        let (registry, token, password) = (
            registry.to_string(),
            token.to_string(),
            password.to_string(),
        );
        self.run(move |db| Ok(db.verify_token_password(&registry, &token, &password)))
            .await
            .unwrap_or(Err(Denied::Unavailable))
    }
}

impl Store {
    /// Checks a data-plane login with the admin user (username = registry name, one of the
    /// two admin passwords) in constant time; `false` when the admin user is disabled.
    pub async fn verify_admin_password(
        &self,
        registry: &str,
        username: &str,
        password: &str,
    ) -> bool {
        let (r, u, p) = (
            registry.to_string(),
            username.to_string(),
            password.to_string(),
        );
        self.run(move |db| db.verify_admin_password(&r, &u, &p))
            .await
            .unwrap_or(false)
    }
}

/// Refuses one more child of `registry` (`what`: "tokens", "scope maps") when the rows that
/// `count_sql` counts (its `?1` is the registry's id) already reach the SKU's `limit`.
fn check_quota(
    conn: &Connection,
    registry: &Registry,
    count_sql: &str,
    limit: usize,
    what: &str,
) -> StoreResult<()> {
    let count: i64 = conn.query_row(count_sql, [registry.id], |r| r.get(0))?;
    if count as usize >= limit {
        return Err(StoreError::Quota(format!(
            "The registry '{}' of SKU {} has reached its limit of {limit} {what}.",
            registry.name,
            registry.sku.as_str()
        )));
    }
    Ok(())
}

fn json_list(v: &[String]) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "[]".into())
}

fn parse_list(s: &str) -> Vec<String> {
    serde_json::from_str(s).unwrap_or_default()
}

#[cfg(test)]
mod tests;
