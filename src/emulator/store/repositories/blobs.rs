//! Which blobs each repository may see: lookups, links from pushes and cross-repository
//! mounts, unlinks, and the set still seen anywhere (for garbage collection).

use super::*;

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
        let linked = link(&tx, registry, repo, digest, size)?;
        if linked.is_ok() {
            tx.commit()?;
        }
        Ok(linked)
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
        let linked = link(&tx, registry, repo, digest, size)?;
        if linked.is_ok() {
            tx.commit()?;
        }
        Ok(linked.map(|()| Some(size)))
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

    /// Every blob digest some repository of some registry still sees (for garbage collection).
    pub fn live_blobs(&self) -> StoreResult<HashSet<String>> {
        let mut st = self
            .conn
            .prepare("SELECT DISTINCT digest FROM repository_blobs")?;
        let rows = st.query_map([], |r| r.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

/// Links `digest` into `repo` (creating the repository) within `tx`, unless the repository
/// refuses writes; the caller commits on success (a refusal rolls a new repository back).
fn link(tx: &Transaction<'_>, registry: &str, repo: &str, digest: &str, size: i64) -> Outcome<()> {
    let Some(r) = ensure_repo(tx, registry, repo)? else {
        return Ok(Err(Refusal::NameUnknown));
    };
    if !r.flags.write {
        return Ok(Err(Refusal::Disallowed));
    }
    tx.execute(
        "INSERT OR IGNORE INTO repository_blobs (repository_id, digest, size, created_at) VALUES (?1, ?2, ?3, ?4)",
        params![r.id, digest, size, now()],
    )?;
    Ok(Ok(()))
}
