//! The referrers of a manifest (OCI 1.1 `subject`), under the same read lock as a manifest GET.

use super::*;

impl Db {
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
}
