//! Tags: listing, one tag's attributes, their changeable attributes, untag.

use super::*;

impl Db {
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
        self.patch_row(
            registry,
            repo,
            Refusal::TagUnknown,
            |conn, r| Ok(tag_row(conn, r.id, tag)?.map(|(_, t)| t)),
            |tx, r, t| {
                set_flags(
                    tx,
                    "tags",
                    "repository_id = ?1 AND name = ?2",
                    &[&r.id, &tag],
                    apply_patch(t.flags, patch),
                )
            },
        )
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
}
