//! Repositories as a whole: the catalog, one repository's attributes, their changeable
//! attributes, and deleting a repository with everything in it.

use super::*;

impl Db {
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
        self.patch_row(
            registry,
            repo,
            Refusal::NameUnknown,
            |conn, r| repository_info(conn, r.id).map(Some),
            |tx, r, _| {
                set_flags(
                    tx,
                    "repositories",
                    "id = ?1",
                    &[&r.id],
                    apply_patch(r.flags, patch),
                )
            },
        )
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
}
