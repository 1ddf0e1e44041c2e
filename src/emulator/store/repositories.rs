//! The data plane's metadata: repositories of a registry, which blobs each repository may
//! see, manifests (their bytes and the attributes ACR reports), tags, and the changeable
//! attributes of all three. Every operation is one transaction, so a manifest and its tag
//! appear together or not at all. Lock rules that need the stored flags are decided here
//! ([`Refusal::Disallowed`]); who may ask is the registry's business, not the store's.
//!
//! A repository row is created by its first blob or manifest; it is *visible* (catalog,
//! `/acr/v1/{name}`, tags) while it holds at least one manifest.

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

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ManifestInfo {
    pub digest: String,
    pub media_type: String,
    pub size: i64,
    pub image_size: i64,
    pub config_media_type: Option<String>,
    pub artifact_type: Option<String>,
    pub subject: Option<String>,
    pub architecture: Option<String>,
    pub os: Option<String>,
    pub references: Vec<PlatformRef>,
    /// The manifest's `annotations` object as JSON text, for referrers descriptors.
    pub annotations: Option<String>,
    pub created_at: String,
    pub modified_at: String,
    pub flags: Flags,
    pub tags: Vec<String>,
}

/// A validated manifest to store.
#[derive(Clone, Debug, Default)]
pub struct NewManifest {
    pub digest: String,
    pub media_type: String,
    pub content: Vec<u8>,
    pub image_size: i64,
    pub config_media_type: Option<String>,
    pub artifact_type: Option<String>,
    pub subject: Option<String>,
    pub architecture: Option<String>,
    pub os: Option<String>,
    pub references: Vec<PlatformRef>,
    pub annotations: Option<String>,
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
            media_type: row.get(2)?,
            size: row.get(3)?,
            image_size: row.get(4)?,
            config_media_type: row.get(5)?,
            artifact_type: row.get(6)?,
            subject: row.get(7)?,
            architecture: row.get(8)?,
            os: row.get(9)?,
            references: serde_json::from_str(&refs).unwrap_or_default(),
            annotations: row.get(11)?,
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

fn tag_row(
    tx: &rusqlite::Connection,
    repo: i64,
    tag: &str,
) -> rusqlite::Result<Option<(i64, TagInfo)>> {
    tx.query_row(
        "SELECT t.manifest_id, t.name, m.digest, t.created_at, t.modified_at, \
         t.delete_enabled, t.write_enabled, t.list_enabled, t.read_enabled \
         FROM tags t JOIN manifests m ON m.id = t.manifest_id WHERE t.repository_id = ?1 AND t.name = ?2",
        params![repo, tag],
        |r| {
            Ok((
                r.get(0)?,
                TagInfo {
                    name: r.get(1)?,
                    digest: r.get(2)?,
                    created_at: r.get(3)?,
                    modified_at: r.get(4)?,
                    flags: flags_at(r, 5)?,
                },
            ))
        },
    )
    .optional()
}

fn all_tags(tx: &rusqlite::Connection, repo: i64) -> rusqlite::Result<Vec<TagInfo>> {
    let mut st = tx.prepare_cached(
        "SELECT t.name, m.digest, t.created_at, t.modified_at, \
         t.delete_enabled, t.write_enabled, t.list_enabled, t.read_enabled \
         FROM tags t JOIN manifests m ON m.id = t.manifest_id WHERE t.repository_id = ?1 ORDER BY t.name",
    )?;
    st.query_map([repo], |r| {
        Ok(TagInfo {
            name: r.get(0)?,
            digest: r.get(1)?,
            created_at: r.get(2)?,
            modified_at: r.get(3)?,
            flags: flags_at(r, 4)?,
        })
    })?
    .collect()
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

impl Db {
    /// Which blob the repository may see, and its size. `Disallowed` when reads are locked.
    pub fn blob(&self, registry: &str, repo: &str, digest: &str) -> Outcome<i64> {
        let Some(r) = repo_row(&self.conn, registry, repo)? else {
            return Ok(Err(Refusal::BlobUnknown(digest.to_string())));
        };
        let size: Option<i64> = self
            .conn
            .query_row(
                "SELECT size FROM repository_blobs WHERE repository_id = ?1 AND digest = ?2",
                params![r.id, digest],
                |row| row.get(0),
            )
            .optional()?;
        match size {
            None => Ok(Err(Refusal::BlobUnknown(digest.to_string()))),
            Some(_) if !r.flags.read => Ok(Err(Refusal::Disallowed)),
            Some(s) => Ok(Ok(s)),
        }
    }

    /// May blobs be uploaded to `repo`? (Its `writeEnabled`, when it exists.)
    pub fn repository_writable(&self, registry: &str, repo: &str) -> StoreResult<bool> {
        Ok(repo_row(&self.conn, registry, repo)?.is_none_or(|r| r.flags.write))
    }

    /// Makes a committed blob (its file already in place) visible in `repo`.
    pub fn link_blob(
        &mut self,
        registry: &str,
        repo: &str,
        digest: &str,
        size: i64,
    ) -> Outcome<()> {
        let tx = self.conn.transaction()?;
        let Some(r) = ensure_repo(&tx, registry, repo)? else {
            return Ok(Err(Refusal::NameUnknown));
        };
        if !r.flags.write {
            return Ok(Err(Refusal::Disallowed));
        }
        tx.execute(
            "INSERT OR IGNORE INTO repository_blobs (repository_id, digest, size, created_at) VALUES (?1, ?2, ?3, ?4)",
            params![r.id, digest, size, now()],
        )?;
        tx.commit()?;
        Ok(Ok(()))
    }

    /// Cross-repository mount: links `digest` into `repo` when `from` has it. `Ok(None)`:
    /// `from` does not have it (the caller starts an upload instead).
    pub fn mount_blob(
        &mut self,
        registry: &str,
        repo: &str,
        from: &str,
        digest: &str,
    ) -> Outcome<Option<i64>> {
        let tx = self.conn.transaction()?;
        let size: Option<i64> = match repo_row(&tx, registry, from)? {
            Some(f) if f.flags.read => tx
                .query_row(
                    "SELECT size FROM repository_blobs WHERE repository_id = ?1 AND digest = ?2",
                    params![f.id, digest],
                    |r| r.get(0),
                )
                .optional()?,
            _ => None,
        };
        let Some(size) = size else {
            return Ok(Ok(None));
        };
        let Some(r) = ensure_repo(&tx, registry, repo)? else {
            return Ok(Err(Refusal::NameUnknown));
        };
        if !r.flags.write {
            return Ok(Err(Refusal::Disallowed));
        }
        tx.execute(
            "INSERT OR IGNORE INTO repository_blobs (repository_id, digest, size, created_at) VALUES (?1, ?2, ?3, ?4)",
            params![r.id, digest, size, now()],
        )?;
        tx.commit()?;
        Ok(Ok(Some(size)))
    }

    /// `DELETE /v2/{name}/blobs/{digest}`: the repository no longer sees the blob.
    pub fn unlink_blob(&mut self, registry: &str, repo: &str, digest: &str) -> Outcome<()> {
        let tx = self.conn.transaction()?;
        let Some(r) = repo_row(&tx, registry, repo)? else {
            return Ok(Err(Refusal::BlobUnknown(digest.to_string())));
        };
        if !(r.flags.write && r.flags.delete) {
            return Ok(Err(Refusal::Disallowed));
        }
        let n = tx.execute(
            "DELETE FROM repository_blobs WHERE repository_id = ?1 AND digest = ?2",
            params![r.id, digest],
        )?;
        tx.commit()?;
        Ok(if n == 0 {
            Err(Refusal::BlobUnknown(digest.to_string()))
        } else {
            Ok(())
        })
    }

    /// Stores a manifest and, when `tag` is given, points the tag at it, in one transaction.
    /// Returns whether the manifest was new.
    pub fn put_manifest(
        &mut self,
        registry: &str,
        repo: &str,
        m: NewManifest,
        tag: Option<&str>,
    ) -> Outcome<bool> {
        let tx = self.conn.transaction()?;
        let Some(r) = ensure_repo(&tx, registry, repo)? else {
            return Ok(Err(Refusal::NameUnknown));
        };
        if !r.flags.write {
            return Ok(Err(Refusal::Disallowed));
        }
        for b in &m.blobs {
            let linked: bool = tx
                .query_row(
                    "SELECT 1 FROM repository_blobs WHERE repository_id = ?1 AND digest = ?2",
                    params![r.id, b],
                    |_| Ok(()),
                )
                .optional()?
                .is_some();
            if !linked {
                return Ok(Err(Refusal::BlobUnknown(b.clone())));
            }
        }
        for c in &m.children {
            if manifest_by_digest(&tx, r.id, c)?.is_none() {
                return Ok(Err(Refusal::BlobUnknown(c.clone())));
            }
        }
        let existing_tag = match tag {
            Some(t) => tag_row(&tx, r.id, t)?,
            None => None,
        };
        if let Some((_, t)) = &existing_tag
            && t.digest != m.digest
            && !t.flags.write
        {
            return Ok(Err(Refusal::Disallowed));
        }
        let t = now();
        let (manifest_id, created) = match manifest_by_digest(&tx, r.id, &m.digest)? {
            Some((id, _)) => (id, false),
            None => {
                tx.execute(
                    "INSERT INTO manifests (repository_id, digest, media_type, content, image_size, config_media_type, \
                     artifact_type, subject, architecture, os, refs, annotations, created_at, modified_at) \
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?13)",
                    params![
                        r.id,
                        m.digest,
                        m.media_type,
                        m.content,
                        m.image_size,
                        m.config_media_type,
                        m.artifact_type,
                        m.subject,
                        m.architecture,
                        m.os,
                        serde_json::to_string(&m.references).unwrap_or_else(|_| "[]".into()),
                        m.annotations,
                        t
                    ],
                )?;
                (tx.last_insert_rowid(), true)
            }
        };
        if let Some(tag) = tag {
            match existing_tag {
                None => {
                    tx.execute(
                        "INSERT INTO tags (repository_id, name, manifest_id, created_at, modified_at) VALUES (?1, ?2, ?3, ?4, ?4)",
                        params![r.id, tag, manifest_id, t],
                    )?;
                }
                Some((old, _)) if old != manifest_id => {
                    tx.execute(
                        "UPDATE tags SET manifest_id = ?1, modified_at = ?2 WHERE repository_id = ?3 AND name = ?4",
                        params![manifest_id, t, r.id, tag],
                    )?;
                }
                Some(_) => {}
            }
        }
        touch_repo(&tx, r.id)?;
        tx.commit()?;
        Ok(Ok(created))
    }

    /// A manifest by tag or digest, for pulling: read locks on the repository, the tag and
    /// the manifest apply.
    pub fn get_manifest(
        &self,
        registry: &str,
        repo: &str,
        reference: &str,
    ) -> Outcome<StoredManifest> {
        let Some(r) = visible_repo(&self.conn, registry, repo)? else {
            return Ok(Err(Refusal::NameUnknown));
        };
        let (id, tag_readable) = if reference.contains(':') {
            match manifest_by_digest(&self.conn, r.id, reference)? {
                Some((id, _)) => (id, true),
                None => return Ok(Err(Refusal::ManifestUnknown)),
            }
        } else {
            match tag_row(&self.conn, r.id, reference)? {
                Some((id, t)) => (id, t.flags.read),
                None => return Ok(Err(Refusal::ManifestUnknown)),
            }
        };
        let (digest, media_type, content, read): (String, String, Vec<u8>, i64) =
            self.conn.query_row(
                "SELECT digest, media_type, content, read_enabled FROM manifests WHERE id = ?1",
                [id],
                |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?)),
            )?;
        if !(r.flags.read && tag_readable && read != 0) {
            return Ok(Err(Refusal::Disallowed));
        }
        Ok(Ok(StoredManifest {
            digest,
            media_type,
            content,
        }))
    }

    /// Deletes a manifest (by digest) and every tag pointing at it; returns those tags.
    pub fn delete_manifest(
        &mut self,
        registry: &str,
        repo: &str,
        digest: &str,
    ) -> Outcome<Vec<String>> {
        let tx = self.conn.transaction()?;
        let Some(r) = visible_repo(&tx, registry, repo)? else {
            return Ok(Err(Refusal::NameUnknown));
        };
        let Some((id, m)) = manifest_by_digest(&tx, r.id, digest)? else {
            return Ok(Err(Refusal::ManifestUnknown));
        };
        let tag_locked: bool = tx
            .query_row(
                "SELECT 1 FROM tags WHERE manifest_id = ?1 AND (write_enabled = 0 OR delete_enabled = 0) LIMIT 1",
                [id],
                |_| Ok(()),
            )
            .optional()?
            .is_some();
        if !(r.flags.write && r.flags.delete && m.flags.write && m.flags.delete) || tag_locked {
            return Ok(Err(Refusal::Disallowed));
        }
        let tags = tags_of(&tx, id)?;
        tx.execute("DELETE FROM manifests WHERE id = ?1", [id])?;
        touch_repo(&tx, r.id)?;
        tx.commit()?;
        Ok(Ok(tags))
    }

    /// Names of the visible repositories with their `listEnabled`, sorted.
    pub fn catalog(&self, registry: &str) -> StoreResult<Vec<(String, bool)>> {
        let mut st = self.conn.prepare_cached(
            "SELECT p.name, p.list_enabled FROM repositories p JOIN registries r ON r.id = p.registry_id \
             WHERE r.name = ?1 AND EXISTS (SELECT 1 FROM manifests m WHERE m.repository_id = p.id) ORDER BY p.name",
        )?;
        let rows = st.query_map([registry], |r| Ok((r.get(0)?, r.get::<_, i64>(1)? != 0)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    pub fn repository(&self, registry: &str, repo: &str) -> Outcome<RepositoryInfo> {
        let Some(r) = visible_repo(&self.conn, registry, repo)? else {
            return Ok(Err(Refusal::NameUnknown));
        };
        Ok(Ok(repository_info(&self.conn, r.id)?))
    }

    pub fn patch_repository(
        &mut self,
        registry: &str,
        repo: &str,
        patch: FlagsPatch,
    ) -> Outcome<RepositoryInfo> {
        let tx = self.conn.transaction()?;
        let Some(r) = visible_repo(&tx, registry, repo)? else {
            return Ok(Err(Refusal::NameUnknown));
        };
        set_flags(
            &tx,
            "repositories",
            "id = ?1",
            &[&r.id],
            apply_patch(r.flags, patch),
        )?;
        let info = repository_info(&tx, r.id)?;
        tx.commit()?;
        Ok(Ok(info))
    }

    /// Deletes a repository with everything in it, unless something in it is locked.
    pub fn delete_repository(&mut self, registry: &str, repo: &str) -> Outcome<DeletedRepository> {
        let tx = self.conn.transaction()?;
        let Some(r) = visible_repo(&tx, registry, repo)? else {
            return Ok(Err(Refusal::NameUnknown));
        };
        let locked: bool = tx
            .query_row(
                "SELECT 1 FROM manifests WHERE repository_id = ?1 AND (write_enabled = 0 OR delete_enabled = 0) \
                 UNION ALL SELECT 1 FROM tags WHERE repository_id = ?1 AND (write_enabled = 0 OR delete_enabled = 0) LIMIT 1",
                [r.id],
                |_| Ok(()),
            )
            .optional()?
            .is_some();
        if !(r.flags.write && r.flags.delete) || locked {
            return Ok(Err(Refusal::Disallowed));
        }
        let manifests: Vec<String> = {
            let mut st = tx
                .prepare("SELECT digest FROM manifests WHERE repository_id = ?1 ORDER BY digest")?;
            st.query_map([r.id], |row| row.get(0))?
                .collect::<Result<_, _>>()?
        };
        let tags: Vec<String> = all_tags(&tx, r.id)?.into_iter().map(|t| t.name).collect();
        tx.execute("DELETE FROM repositories WHERE id = ?1", [r.id])?;
        tx.commit()?;
        Ok(Ok(DeletedRepository { manifests, tags }))
    }

    /// Every tag of a visible repository, by name (list locks are the caller's filter).
    pub fn tags(&self, registry: &str, repo: &str) -> Outcome<Vec<TagInfo>> {
        let Some(r) = visible_repo(&self.conn, registry, repo)? else {
            return Ok(Err(Refusal::NameUnknown));
        };
        Ok(Ok(all_tags(&self.conn, r.id)?))
    }

    pub fn tag(&self, registry: &str, repo: &str, tag: &str) -> Outcome<TagInfo> {
        let Some(r) = visible_repo(&self.conn, registry, repo)? else {
            return Ok(Err(Refusal::NameUnknown));
        };
        Ok(tag_row(&self.conn, r.id, tag)?
            .map(|(_, t)| t)
            .ok_or(Refusal::TagUnknown))
    }

    pub fn patch_tag(
        &mut self,
        registry: &str,
        repo: &str,
        tag: &str,
        patch: FlagsPatch,
    ) -> Outcome<TagInfo> {
        let tx = self.conn.transaction()?;
        let Some(r) = visible_repo(&tx, registry, repo)? else {
            return Ok(Err(Refusal::NameUnknown));
        };
        let Some((_, t)) = tag_row(&tx, r.id, tag)? else {
            return Ok(Err(Refusal::TagUnknown));
        };
        set_flags(
            &tx,
            "tags",
            "repository_id = ?1 AND name = ?2",
            &[&r.id, &tag],
            apply_patch(t.flags, patch),
        )?;
        let Some((_, t)) = tag_row(&tx, r.id, tag)? else {
            return Ok(Err(Refusal::TagUnknown));
        };
        tx.commit()?;
        Ok(Ok(t))
    }

    /// Untag: the manifest stays.
    pub fn delete_tag(&mut self, registry: &str, repo: &str, tag: &str) -> Outcome<()> {
        let tx = self.conn.transaction()?;
        let Some(r) = visible_repo(&tx, registry, repo)? else {
            return Ok(Err(Refusal::NameUnknown));
        };
        let Some((_, t)) = tag_row(&tx, r.id, tag)? else {
            return Ok(Err(Refusal::TagUnknown));
        };
        if !(r.flags.write && r.flags.delete && t.flags.write && t.flags.delete) {
            return Ok(Err(Refusal::Disallowed));
        }
        tx.execute(
            "DELETE FROM tags WHERE repository_id = ?1 AND name = ?2",
            params![r.id, tag],
        )?;
        touch_repo(&tx, r.id)?;
        tx.commit()?;
        Ok(Ok(()))
    }

    /// Every manifest of a visible repository with its tags, by digest.
    pub fn manifests(&self, registry: &str, repo: &str) -> Outcome<Vec<ManifestInfo>> {
        let Some(r) = visible_repo(&self.conn, registry, repo)? else {
            return Ok(Err(Refusal::NameUnknown));
        };
        let mut st = self
            .conn
            .prepare_cached(&format!("SELECT {MANIFEST_COLUMNS} FROM manifests m WHERE m.repository_id = ?1 ORDER BY m.digest"))?;
        let rows: Vec<(i64, ManifestInfo)> = st
            .query_map([r.id], manifest_from_row)?
            .collect::<Result<_, _>>()?;
        let mut out = Vec::with_capacity(rows.len());
        for (id, mut m) in rows {
            m.tags = tags_of(&self.conn, id)?;
            out.push(m);
        }
        Ok(Ok(out))
    }

    pub fn manifest(&self, registry: &str, repo: &str, digest: &str) -> Outcome<ManifestInfo> {
        let Some(r) = visible_repo(&self.conn, registry, repo)? else {
            return Ok(Err(Refusal::NameUnknown));
        };
        let Some((id, mut m)) = manifest_by_digest(&self.conn, r.id, digest)? else {
            return Ok(Err(Refusal::ManifestUnknown));
        };
        m.tags = tags_of(&self.conn, id)?;
        Ok(Ok(m))
    }

    pub fn patch_manifest(
        &mut self,
        registry: &str,
        repo: &str,
        digest: &str,
        patch: FlagsPatch,
    ) -> Outcome<ManifestInfo> {
        let tx = self.conn.transaction()?;
        let Some(r) = visible_repo(&tx, registry, repo)? else {
            return Ok(Err(Refusal::NameUnknown));
        };
        let Some((id, m)) = manifest_by_digest(&tx, r.id, digest)? else {
            return Ok(Err(Refusal::ManifestUnknown));
        };
        set_flags(
            &tx,
            "manifests",
            "id = ?1",
            &[&id],
            apply_patch(m.flags, patch),
        )?;
        let Some((_, mut m)) = manifest_by_digest(&tx, r.id, digest)? else {
            return Ok(Err(Refusal::ManifestUnknown));
        };
        m.tags = tags_of(&tx, id)?;
        tx.commit()?;
        Ok(Ok(m))
    }

    /// Manifests of `repo` whose `subject` is `digest` (the referrers API). An unknown
    /// repository has no referrers.
    pub fn referrers(
        &self,
        registry: &str,
        repo: &str,
        digest: &str,
    ) -> Outcome<Vec<ManifestInfo>> {
        let Some(r) = repo_row(&self.conn, registry, repo)? else {
            return Ok(Ok(Vec::new()));
        };
        // The read locks of a manifest GET (finding 6): a repository or subject that may not
        // be read answers like its manifest would, and referrers that may not be read are
        // left out (their digests and annotations are what the lock hides).
        if !r.flags.read {
            return Ok(Err(Refusal::Disallowed));
        }
        if let Some((_, subject)) = manifest_by_digest(&self.conn, r.id, digest)?
            && !subject.flags.read
        {
            return Ok(Err(Refusal::Disallowed));
        }
        let mut st = self.conn.prepare_cached(&format!(
            "SELECT {MANIFEST_COLUMNS} FROM manifests m WHERE m.repository_id = ?1 AND m.subject = ?2 ORDER BY m.digest"
        ))?;
        let rows = st.query_map(params![r.id, digest], manifest_from_row)?;
        let all: Vec<ManifestInfo> = rows.map(|r| r.map(|(_, m)| m)).collect::<Result<_, _>>()?;
        Ok(Ok(all.into_iter().filter(|m| m.flags.read).collect()))
    }

    /// Every blob digest some repository of some registry still sees (for garbage collection).
    pub fn live_blobs(&self) -> StoreResult<HashSet<String>> {
        let mut st = self
            .conn
            .prepare("SELECT DISTINCT digest FROM repository_blobs")?;
        let rows = st.query_map([], |r| r.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emulator::Sku;
    use crate::emulator::store::{Actor, NewRegistry, Store};

    fn store() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let s = Store::open(&dir.path().join("db"), vec![7; 32]).unwrap();
        s.run_blocking(|db| {
            db.create_registry(
                NewRegistry {
                    name: "reg".into(),
                    resource_group: "rg".into(),
                    location: "eastus".into(),
                    sku: Sku::Premium,
                    admin_user_enabled: false,
                    tags: Default::default(),
                    port: 1,
                },
                &Actor::system("me"),
            )
        })
        .unwrap();
        (dir, s)
    }

    fn manifest(digest: &str, blobs: &[&str]) -> NewManifest {
        NewManifest {
            digest: digest.into(),
            media_type: "application/vnd.oci.image.manifest.v1+json".into(),
            content: b"{}".to_vec(),
            blobs: blobs.iter().map(|b| b.to_string()).collect(),
            ..Default::default()
        }
    }

    #[test]
    fn manifests_need_their_blobs_and_tags_follow_manifests() {
        let (_d, s) = store();
        s.run_blocking(|db| {
            assert_eq!(
                db.put_manifest(
                    "reg",
                    "a/b",
                    manifest("sha256:m1", &["sha256:l1"]),
                    Some("v1")
                )?,
                Err(Refusal::BlobUnknown("sha256:l1".into()))
            );
            // The refused attempt left nothing behind.
            assert_eq!(db.repository("reg", "a/b")?, Err(Refusal::NameUnknown));
            db.link_blob("reg", "a/b", "sha256:l1", 10)?.unwrap();
            assert_eq!(
                db.put_manifest(
                    "reg",
                    "a/b",
                    manifest("sha256:m1", &["sha256:l1"]),
                    Some("v1")
                )?,
                Ok(true)
            );
            assert_eq!(
                db.put_manifest(
                    "reg",
                    "a/b",
                    manifest("sha256:m1", &["sha256:l1"]),
                    Some("v2")
                )?,
                Ok(false)
            );
            let info = db.repository("reg", "a/b")?.unwrap();
            assert_eq!((info.manifest_count, info.tag_count), (1, 2));
            assert_eq!(
                db.get_manifest("reg", "a/b", "v2")?.unwrap().digest,
                "sha256:m1"
            );
            assert_eq!(db.catalog("reg")?, vec![("a/b".to_string(), true)]);
            assert_eq!(
                db.delete_manifest("reg", "a/b", "sha256:m1")?,
                Ok(vec!["v1".to_string(), "v2".to_string()])
            );
            assert_eq!(
                db.get_manifest("reg", "a/b", "v1")?.unwrap_err(),
                Refusal::NameUnknown
            );
            Ok(())
        })
        .unwrap();
    }

    #[test]
    fn locks_refuse_writes_deletes_and_reads() {
        let (_d, s) = store();
        s.run_blocking(|db| {
            db.link_blob("reg", "r", "sha256:l", 1)?.unwrap();
            db.put_manifest("reg", "r", manifest("sha256:m1", &["sha256:l"]), Some("v1"))?
                .unwrap();
            db.patch_tag(
                "reg",
                "r",
                "v1",
                FlagsPatch {
                    write: Some(false),
                    ..Default::default()
                },
            )?
            .unwrap();
            assert_eq!(
                db.put_manifest("reg", "r", manifest("sha256:m2", &["sha256:l"]), Some("v1"))?,
                Err(Refusal::Disallowed)
            );
            assert_eq!(db.delete_tag("reg", "r", "v1")?, Err(Refusal::Disallowed));
            assert_eq!(
                db.delete_manifest("reg", "r", "sha256:m1")?,
                Err(Refusal::Disallowed)
            );
            assert_eq!(db.delete_repository("reg", "r")?, Err(Refusal::Disallowed));
            db.patch_tag(
                "reg",
                "r",
                "v1",
                FlagsPatch {
                    write: Some(true),
                    read: Some(false),
                    ..Default::default()
                },
            )?
            .unwrap();
            assert_eq!(
                db.get_manifest("reg", "r", "v1")?.unwrap_err(),
                Refusal::Disallowed
            );
            assert!(db.get_manifest("reg", "r", "sha256:m1")?.is_ok());
            db.patch_repository(
                "reg",
                "r",
                FlagsPatch {
                    write: Some(false),
                    ..Default::default()
                },
            )?
            .unwrap();
            assert_eq!(
                db.link_blob("reg", "r", "sha256:x", 1)?,
                Err(Refusal::Disallowed)
            );
            assert!(!db.repository_writable("reg", "r")?);
            db.patch_repository(
                "reg",
                "r",
                FlagsPatch {
                    write: Some(true),
                    ..Default::default()
                },
            )?
            .unwrap();
            let gone = db.delete_repository("reg", "r")?.unwrap();
            assert_eq!(
                gone,
                DeletedRepository {
                    manifests: vec!["sha256:m1".into()],
                    tags: vec!["v1".into()]
                }
            );
            assert!(db.live_blobs()?.is_empty());
            Ok(())
        })
        .unwrap();
    }
}
