//! The data plane's metadata: repositories of a registry, which blobs each repository may
//! see, manifests (their bytes and the attributes ACR reports), tags, and the changeable
//! attributes of all three. Every operation is one transaction, so a manifest and its tag
//! appear together or not at all. Lock rules that need the stored flags are decided here
//! ([`Refusal::Disallowed`]); who may ask is the registry's business, not the store's.
//!
//! A repository row is created by its first blob or manifest; it is *visible* (catalog,
//! `/acr/v1/{name}`, tags) while it holds at least one manifest.

mod blobs;
mod catalog;
mod manifests;
mod referrers;
mod tags;
#[cfg(test)]
mod tests;

use std::collections::HashSet;

use rusqlite::{OptionalExtension, Transaction, params};
use serde::{Deserialize, Serialize};

use super::{Db, StoreResult};
use crate::emulator::clock;

/// `changeableAttributes` of a repository, tag or manifest.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Flags {
    pub delete: bool,
    pub write: bool,
    pub list: bool,
    pub read: bool,
}

impl Default for Flags {
    fn default() -> Self {
        Flags {
            delete: true,
            write: true,
            list: true,
            read: true,
        }
    }
}

/// A PATCH of `changeableAttributes`: the flags given.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FlagsPatch {
    pub delete: Option<bool>,
    pub write: Option<bool>,
    pub list: Option<bool>,
    pub read: Option<bool>,
}

/// Why the store refused a data-plane operation (not an error of the store itself).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refusal {
    NameUnknown,
    ManifestUnknown,
    TagUnknown,
    /// A blob (or, for indexes, a child manifest) the request needs is not in the repository.
    BlobUnknown(String),
    /// A lock (`writeEnabled`, `deleteEnabled`, `readEnabled` false) forbids the operation.
    Disallowed,
}

pub type Outcome<T> = StoreResult<Result<T, Refusal>>;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RepositoryInfo {
    pub name: String,
    pub created_at: String,
    pub modified_at: String,
    pub flags: Flags,
    pub manifest_count: i64,
    pub tag_count: i64,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TagInfo {
    pub name: String,
    pub digest: String,
    pub created_at: String,
    pub modified_at: String,
    pub flags: Flags,
}

/// One child of an index, with its platform.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlatformRef {
    pub digest: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub architecture: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub os: Option<String>,
}

/// What a manifest says about itself that ACR's metadata API reports: read from its content
/// by the registry (`manifest_doc`) with the platform of its config, stored with it and
/// listed back.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ManifestFacts {
    pub media_type: String,
    pub image_size: i64,
    pub config_media_type: Option<String>,
    pub artifact_type: Option<String>,
    pub subject: Option<String>,
    pub architecture: Option<String>,
    pub os: Option<String>,
    pub references: Vec<PlatformRef>,
    /// The manifest's `annotations` object as JSON text, for referrers descriptors.
    pub annotations: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ManifestInfo {
    pub digest: String,
    pub size: i64,
    pub facts: ManifestFacts,
    pub created_at: String,
    pub modified_at: String,
    pub flags: Flags,
    pub tags: Vec<String>,
}

/// A validated manifest to store.
#[derive(Clone, Debug, Default)]
pub struct NewManifest {
    pub digest: String,
    pub content: Vec<u8>,
    pub facts: ManifestFacts,
    /// Blobs that must be in the repository (config and layers).
    pub blobs: Vec<String>,
    /// Manifests that must be in the repository (children of an index).
    pub children: Vec<String>,
}

/// What a GET of a manifest returns.
#[derive(Clone, Debug)]
pub struct StoredManifest {
    pub digest: String,
    pub media_type: String,
    pub content: Vec<u8>,
}

/// What `DELETE /acr/v1/{name}` removed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DeletedRepository {
    pub manifests: Vec<String>,
    pub tags: Vec<String>,
}

const FLAG_COLUMNS: &str = "delete_enabled, write_enabled, list_enabled, read_enabled";

#[allow(
    clippy::arithmetic_side_effects,
    reason = "column offsets: small constants, not request data"
)]
fn flags_at(row: &rusqlite::Row<'_>, first: usize) -> rusqlite::Result<Flags> {
    Ok(Flags {
        delete: row.get::<_, i64>(first)? != 0,
        write: row.get::<_, i64>(first + 1)? != 0,
        list: row.get::<_, i64>(first + 2)? != 0,
        read: row.get::<_, i64>(first + 3)? != 0,
    })
}

fn apply_patch(flags: Flags, p: FlagsPatch) -> Flags {
    Flags {
        delete: p.delete.unwrap_or(flags.delete),
        write: p.write.unwrap_or(flags.write),
        list: p.list.unwrap_or(flags.list),
        read: p.read.unwrap_or(flags.read),
    }
}

fn now() -> String {
    clock::format(clock::now())
}

struct Repo {
    id: i64,
    flags: Flags,
}

fn registry_id(tx: &rusqlite::Connection, registry: &str) -> rusqlite::Result<Option<i64>> {
    tx.query_row(
        "SELECT id FROM registries WHERE name = ?1",
        [registry],
        |r| r.get(0),
    )
    .optional()
}

/// The repository row, visible or not.
fn repo_row(
    tx: &rusqlite::Connection,
    registry: &str,
    name: &str,
) -> rusqlite::Result<Option<Repo>> {
    tx.query_row(
        &format!(
            "SELECT p.id, p.{} FROM repositories p JOIN registries r ON r.id = p.registry_id \
             WHERE r.name = ?1 AND p.name = ?2",
            FLAG_COLUMNS.replace(", ", ", p.")
        ),
        params![registry, name],
        |r| {
            Ok(Repo {
                id: r.get(0)?,
                flags: flags_at(r, 1)?,
            })
        },
    )
    .optional()
}

/// The repository, if it is visible (holds a manifest).
fn visible_repo(
    tx: &rusqlite::Connection,
    registry: &str,
    name: &str,
) -> rusqlite::Result<Option<Repo>> {
    let Some(repo) = repo_row(tx, registry, name)? else {
        return Ok(None);
    };
    let n: i64 = tx.query_row(
        "SELECT COUNT(*) FROM manifests WHERE repository_id = ?1",
        [repo.id],
        |r| r.get(0),
    )?;
    Ok(if n > 0 { Some(repo) } else { None })
}

/// The repository row, created when missing. `None` when the registry is gone.
fn ensure_repo(tx: &Transaction<'_>, registry: &str, name: &str) -> rusqlite::Result<Option<Repo>> {
    if let Some(r) = repo_row(tx, registry, name)? {
        return Ok(Some(r));
    }
    let Some(reg) = registry_id(tx, registry)? else {
        return Ok(None);
    };
    let t = now();
    tx.execute(
        "INSERT INTO repositories (registry_id, name, created_at, modified_at) VALUES (?1, ?2, ?3, ?3)",
        params![reg, name, t],
    )?;
    Ok(Some(Repo {
        id: tx.last_insert_rowid(),
        flags: Flags::default(),
    }))
}

fn touch_repo(tx: &Transaction<'_>, repo: i64) -> rusqlite::Result<()> {
    tx.execute(
        "UPDATE repositories SET modified_at = ?1 WHERE id = ?2",
        params![now(), repo],
    )?;
    Ok(())
}

const MANIFEST_COLUMNS: &str = "m.id, m.digest, m.media_type, length(m.content), m.image_size, m.config_media_type, \
     m.artifact_type, m.subject, m.architecture, m.os, m.refs, m.annotations, m.created_at, m.modified_at, \
     m.delete_enabled, m.write_enabled, m.list_enabled, m.read_enabled";

fn manifest_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<(i64, ManifestInfo)> {
    let refs: String = row.get(10)?;
    Ok((
        row.get(0)?,
        ManifestInfo {
            digest: row.get(1)?,
            size: row.get(3)?,
            facts: ManifestFacts {
                media_type: row.get(2)?,
                image_size: row.get(4)?,
                config_media_type: row.get(5)?,
                artifact_type: row.get(6)?,
                subject: row.get(7)?,
                architecture: row.get(8)?,
                os: row.get(9)?,
                references: serde_json::from_str(&refs).unwrap_or_default(),
                annotations: row.get(11)?,
            },
            created_at: row.get(12)?,
            modified_at: row.get(13)?,
            flags: flags_at(row, 14)?,
            tags: Vec::new(),
        },
    ))
}

fn tags_of(tx: &rusqlite::Connection, manifest: i64) -> rusqlite::Result<Vec<String>> {
    let mut st = tx.prepare_cached("SELECT name FROM tags WHERE manifest_id = ?1 ORDER BY name")?;
    st.query_map([manifest], |r| r.get(0))?.collect()
}

fn manifest_by_digest(
    tx: &rusqlite::Connection,
    repo: i64,
    digest: &str,
) -> rusqlite::Result<Option<(i64, ManifestInfo)>> {
    tx.query_row(
        &format!("SELECT {MANIFEST_COLUMNS} FROM manifests m WHERE m.repository_id = ?1 AND m.digest = ?2"),
        params![repo, digest],
        manifest_from_row,
    )
    .optional()
}

/// The manifest as its GET and PATCH answer it: with its tags.
fn manifest_with_tags(
    tx: &rusqlite::Connection,
    repo: i64,
    digest: &str,
) -> rusqlite::Result<Option<(i64, ManifestInfo)>> {
    let Some((id, mut m)) = manifest_by_digest(tx, repo, digest)? else {
        return Ok(None);
    };
    m.tags = tags_of(tx, id)?;
    Ok(Some((id, m)))
}

const TAG_COLUMNS: &str = "t.name, m.digest, t.created_at, t.modified_at, \
     t.delete_enabled, t.write_enabled, t.list_enabled, t.read_enabled \
     FROM tags t JOIN manifests m ON m.id = t.manifest_id";

/// A tag from a row of [`TAG_COLUMNS`] starting at `first`.
#[allow(
    clippy::arithmetic_side_effects,
    reason = "column offsets: small constants, not request data"
)]
fn tag_at(row: &rusqlite::Row<'_>, first: usize) -> rusqlite::Result<TagInfo> {
    Ok(TagInfo {
        name: row.get(first)?,
        digest: row.get(first + 1)?,
        created_at: row.get(first + 2)?,
        modified_at: row.get(first + 3)?,
        flags: flags_at(row, first + 4)?,
    })
}

fn tag_row(
    tx: &rusqlite::Connection,
    repo: i64,
    tag: &str,
) -> rusqlite::Result<Option<(i64, TagInfo)>> {
    tx.query_row(
        &format!("SELECT t.manifest_id, {TAG_COLUMNS} WHERE t.repository_id = ?1 AND t.name = ?2"),
        params![repo, tag],
        |r| Ok((r.get(0)?, tag_at(r, 1)?)),
    )
    .optional()
}

fn all_tags(tx: &rusqlite::Connection, repo: i64) -> rusqlite::Result<Vec<TagInfo>> {
    let mut st = tx.prepare_cached(&format!(
        "SELECT {TAG_COLUMNS} WHERE t.repository_id = ?1 ORDER BY t.name"
    ))?;
    st.query_map([repo], |r| tag_at(r, 0))?.collect()
}

fn repository_info(tx: &rusqlite::Connection, repo: i64) -> rusqlite::Result<RepositoryInfo> {
    tx.query_row(
        &format!(
            "SELECT name, created_at, modified_at, {FLAG_COLUMNS}, \
             (SELECT COUNT(*) FROM manifests WHERE repository_id = ?1), \
             (SELECT COUNT(*) FROM tags WHERE repository_id = ?1) FROM repositories WHERE id = ?1"
        ),
        [repo],
        |r| {
            Ok(RepositoryInfo {
                name: r.get(0)?,
                created_at: r.get(1)?,
                modified_at: r.get(2)?,
                flags: flags_at(r, 3)?,
                manifest_count: r.get(7)?,
                tag_count: r.get(8)?,
            })
        },
    )
}

impl Db {
    /// The one PATCH of `changeableAttributes`, in one transaction: `find` reads the row in
    /// the visible repository (`missing` when there is none), `store` writes its patched
    /// flags ([`set_flags`]), and the row is read again for the answer.
    fn patch_row<T>(
        &mut self,
        registry: &str,
        repo: &str,
        missing: Refusal,
        find: impl Fn(&rusqlite::Connection, &Repo) -> rusqlite::Result<Option<T>>,
        store: impl FnOnce(&Transaction<'_>, &Repo, &T) -> rusqlite::Result<()>,
    ) -> Outcome<T> {
        let tx = self.conn.transaction()?;
        let Some(r) = visible_repo(&tx, registry, repo)? else {
            return Ok(Err(Refusal::NameUnknown));
        };
        let Some(row) = find(&tx, &r)? else {
            return Ok(Err(missing));
        };
        store(&tx, &r, &row)?;
        let Some(row) = find(&tx, &r)? else {
            return Ok(Err(missing));
        };
        tx.commit()?;
        Ok(Ok(row))
    }
}

#[allow(
    clippy::arithmetic_side_effects,
    reason = "parameter numbers: a handful of the caller's own arguments, not request data"
)]
fn set_flags(
    tx: &Transaction<'_>,
    table: &str,
    key: &str,
    args: &[&dyn rusqlite::ToSql],
    f: Flags,
) -> rusqlite::Result<()> {
    let sql = format!(
        "UPDATE {table} SET delete_enabled = ?{n1}, write_enabled = ?{n2}, list_enabled = ?{n3}, read_enabled = ?{n4}, \
         modified_at = ?{n5} WHERE {key}",
        n1 = args.len() + 1,
        n2 = args.len() + 2,
        n3 = args.len() + 3,
        n4 = args.len() + 4,
        n5 = args.len() + 5
    );
    let t = now();
    let mut all: Vec<&dyn rusqlite::ToSql> = args.to_vec();
    let (d, w, l, r) = (
        f.delete as i64,
        f.write as i64,
        f.list as i64,
        f.read as i64,
    );
    all.extend_from_slice(&[&d, &w, &l, &r, &t]);
    tx.execute(&sql, all.as_slice())?;
    Ok(())
}
