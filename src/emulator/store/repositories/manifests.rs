//! Manifests: put (with its tag, in one transaction), get, delete, the listing with ACR's
//! attributes, and their changeable attributes.

use super::*;

impl Db {
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
                        m.facts.media_type,
                        m.content,
                        m.facts.image_size,
                        m.facts.config_media_type,
                        m.facts.artifact_type,
                        m.facts.subject,
                        m.facts.architecture,
                        m.facts.os,
                        serde_json::to_string(&m.facts.references).unwrap_or_else(|_| "[]".into()),
                        m.facts.annotations,
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
        Ok(manifest_with_tags(&self.conn, r.id, digest)?
            .map(|(_, m)| m)
            .ok_or(Refusal::ManifestUnknown))
    }

    pub fn patch_manifest(
        &mut self,
        registry: &str,
        repo: &str,
        digest: &str,
        patch: FlagsPatch,
    ) -> Outcome<ManifestInfo> {
        let patched = self.patch_row(
            registry,
            repo,
            Refusal::ManifestUnknown,
            |conn, r| manifest_with_tags(conn, r.id, digest),
            |tx, _, (id, m)| {
                set_flags(
                    tx,
                    "manifests",
                    "id = ?1",
                    &[id],
                    apply_patch(m.flags, patch),
                )
            },
        )?;
        Ok(patched.map(|(_, m)| m))
    }
}
