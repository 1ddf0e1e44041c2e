//! The SQLite schema and its migrations. Each migration is one SQL batch applied in one
//! transaction together with the bump of `schema_version`, so a crash leaves either the old or
//! the new schema. Append new migrations (the data plane's repositories, manifests, tags and
//! blob metadata tables, keyed by `registries.id` with `ON DELETE CASCADE`); never edit an
//! applied one.

use rusqlite::Connection;

const MIGRATIONS: &[&str] = &[
    // 1: management plane.
    r#"
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE resource_groups (
    name       TEXT PRIMARY KEY COLLATE NOCASE,
    location   TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE TABLE registries (
    id                 INTEGER PRIMARY KEY,
    name               TEXT NOT NULL UNIQUE COLLATE NOCASE,
    resource_group     TEXT NOT NULL COLLATE NOCASE REFERENCES resource_groups(name),
    location           TEXT NOT NULL,
    sku                TEXT NOT NULL CHECK (sku IN ('Basic', 'Standard', 'Premium')),
    admin_user_enabled INTEGER NOT NULL DEFAULT 0,
    admin_password1    TEXT NOT NULL,
    admin_password2    TEXT NOT NULL,
    port               INTEGER NOT NULL UNIQUE,
    tags               TEXT NOT NULL DEFAULT '{}',
    created_at TEXT NOT NULL, created_by TEXT NOT NULL, created_by_type TEXT NOT NULL,
    modified_at TEXT NOT NULL, modified_by TEXT NOT NULL, modified_by_type TEXT NOT NULL
);
CREATE TABLE scope_maps (
    id          INTEGER PRIMARY KEY,
    registry_id INTEGER NOT NULL REFERENCES registries(id) ON DELETE CASCADE,
    name        TEXT NOT NULL COLLATE NOCASE,
    kind        TEXT NOT NULL CHECK (kind IN ('UserDefined', 'SystemDefined')),
    description TEXT,
    actions     TEXT NOT NULL,
    created_at TEXT NOT NULL, created_by TEXT NOT NULL, created_by_type TEXT NOT NULL,
    modified_at TEXT NOT NULL, modified_by TEXT NOT NULL, modified_by_type TEXT NOT NULL,
    UNIQUE (registry_id, name)
);
CREATE TABLE tokens (
    id           INTEGER PRIMARY KEY,
    registry_id  INTEGER NOT NULL REFERENCES registries(id) ON DELETE CASCADE,
    name         TEXT NOT NULL COLLATE NOCASE,
    scope_map_id INTEGER NOT NULL REFERENCES scope_maps(id) ON DELETE RESTRICT,
    status       TEXT NOT NULL CHECK (status IN ('enabled', 'disabled')),
    created_at TEXT NOT NULL, created_by TEXT NOT NULL, created_by_type TEXT NOT NULL,
    modified_at TEXT NOT NULL, modified_by TEXT NOT NULL, modified_by_type TEXT NOT NULL,
    UNIQUE (registry_id, name)
);
CREATE INDEX tokens_by_scope_map ON tokens(scope_map_id);
-- Only HMAC-SHA256(pepper, password) is stored; the pepper lives in a file of the data dir.
CREATE TABLE token_passwords (
    token_id   INTEGER NOT NULL REFERENCES tokens(id) ON DELETE CASCADE,
    name       TEXT NOT NULL CHECK (name IN ('password1', 'password2')),
    hash       TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expiry     TEXT,
    PRIMARY KEY (token_id, name)
);
CREATE TABLE token_certificates (
    token_id   INTEGER NOT NULL REFERENCES tokens(id) ON DELETE CASCADE,
    name       TEXT NOT NULL CHECK (name IN ('certificate1', 'certificate2')),
    thumbprint TEXT,
    expiry     TEXT,
    pem        TEXT,
    PRIMARY KEY (token_id, name)
);
"#,
    // 2: registry data plane (issue 4). Blob bytes live on disk, content-addressed
    // (`store::blobs`); these tables say which repository may see which blob, and hold the
    // manifests (bytes included: at most 4 MiB each), tags and changeable attributes.
    r#"
CREATE TABLE repositories (
    id             INTEGER PRIMARY KEY,
    registry_id    INTEGER NOT NULL REFERENCES registries(id) ON DELETE CASCADE,
    name           TEXT NOT NULL,
    created_at     TEXT NOT NULL,
    modified_at    TEXT NOT NULL,
    delete_enabled INTEGER NOT NULL DEFAULT 1,
    write_enabled  INTEGER NOT NULL DEFAULT 1,
    list_enabled   INTEGER NOT NULL DEFAULT 1,
    read_enabled   INTEGER NOT NULL DEFAULT 1,
    UNIQUE (registry_id, name)
);
CREATE TABLE repository_blobs (
    repository_id INTEGER NOT NULL REFERENCES repositories(id) ON DELETE CASCADE,
    digest        TEXT NOT NULL,
    size          INTEGER NOT NULL,
    created_at    TEXT NOT NULL,
    PRIMARY KEY (repository_id, digest)
);
CREATE INDEX repository_blobs_by_digest ON repository_blobs(digest);
CREATE TABLE manifests (
    id                INTEGER PRIMARY KEY,
    repository_id     INTEGER NOT NULL REFERENCES repositories(id) ON DELETE CASCADE,
    digest            TEXT NOT NULL,
    media_type        TEXT NOT NULL,
    content           BLOB NOT NULL,
    image_size        INTEGER NOT NULL,
    config_media_type TEXT,
    artifact_type     TEXT,
    subject           TEXT,
    architecture      TEXT,
    os                TEXT,
    refs              TEXT NOT NULL DEFAULT '[]',
    annotations       TEXT,
    created_at        TEXT NOT NULL,
    modified_at       TEXT NOT NULL,
    delete_enabled    INTEGER NOT NULL DEFAULT 1,
    write_enabled     INTEGER NOT NULL DEFAULT 1,
    list_enabled      INTEGER NOT NULL DEFAULT 1,
    read_enabled      INTEGER NOT NULL DEFAULT 1,
    UNIQUE (repository_id, digest)
);
CREATE INDEX manifests_by_subject ON manifests(repository_id, subject);
CREATE TABLE tags (
    repository_id  INTEGER NOT NULL REFERENCES repositories(id) ON DELETE CASCADE,
    name           TEXT NOT NULL,
    manifest_id    INTEGER NOT NULL REFERENCES manifests(id) ON DELETE CASCADE,
    created_at     TEXT NOT NULL,
    modified_at    TEXT NOT NULL,
    delete_enabled INTEGER NOT NULL DEFAULT 1,
    write_enabled  INTEGER NOT NULL DEFAULT 1,
    list_enabled   INTEGER NOT NULL DEFAULT 1,
    read_enabled   INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (repository_id, name)
);
CREATE INDEX tags_by_manifest ON tags(manifest_id);
"#,
    // 3: a random id per registry creation, which the registry's access and refresh tokens
    // carry: a registry deleted and created again (same name, maybe the same port) does not
    // accept the tokens of its predecessor (docs/security.md, finding 7).
    r#"
ALTER TABLE registries ADD COLUMN instance_id TEXT NOT NULL DEFAULT '';
UPDATE registries SET instance_id = lower(hex(randomblob(16)));
"#,
];

pub const VERSION: i64 = MIGRATIONS.len() as i64;

/// Brings the database to the newest schema.
pub fn migrate(conn: &mut Connection) -> rusqlite::Result<()> {
    conn.execute_batch("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL);")?;
    let current: i64 = conn
        .query_row("SELECT version FROM schema_version", [], |r| r.get(0))
        .unwrap_or(0);
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(current as usize) {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        tx.execute("DELETE FROM schema_version", [])?;
        tx.execute(
            "INSERT INTO schema_version (version) VALUES (?1)",
            [i64::try_from(i).unwrap_or(i64::MAX).saturating_add(1)],
        )?;
        tx.commit()?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrates_once_and_is_idempotent() {
        let mut c = Connection::open_in_memory().unwrap();
        migrate(&mut c).unwrap();
        migrate(&mut c).unwrap();
        let v: i64 = c
            .query_row("SELECT version FROM schema_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(v, VERSION);
    }
}
