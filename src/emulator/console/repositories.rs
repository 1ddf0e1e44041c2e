//! Repositories and tags of a registry, and for each repository what every token may do
//! there: pull, push, delete, read and write metadata, decided by the data plane's own
//! `registry::scope::Rights` from the token's scope map (wildcards included), beside whether
//! the token can sign in at all (enabled, with an unexpired password) and the repository's
//! locks. Read-only.

use std::collections::HashMap;

use axum::http::StatusCode;
use axum::response::Response;

use super::html::{Section, esc, link, repo_path, table};
use super::request::At;
use super::tokens::token_href;
use super::{PageError, html_response, page, table_date};
use crate::emulator::clock;
use crate::emulator::registry::scope::{DELETE, METADATA_READ, METADATA_WRITE, PULL, PUSH, Rights};
use crate::emulator::store::{Flags, Refusal, RepositoryInfo, TagInfo, Token};

fn repos_href(r: &crate::emulator::store::Registry) -> String {
    format!("{}/repositories", super::registry_href(r))
}

/// `GET …/repositories`.
pub async fn list(at: At<String>) -> Result<Response, PageError> {
    let (r, repos) = at
        .run(|db, r| {
            let mut out: Vec<RepositoryInfo> = Vec::new();
            for (repo, _) in db.catalog(&r.name)? {
                if let Ok(info) = db.repository(&r.name, &repo)? {
                    out.push(info);
                }
            }
            Ok(out)
        })
        .await?;
    let rows: Vec<Vec<String>> = repos
        .iter()
        .map(|i| {
            vec![
                link(
                    &format!("{}/{}", repos_href(&r), repo_path(&i.name)),
                    &i.name,
                ),
                i.tag_count.to_string(),
                i.manifest_count.to_string(),
                esc(&table_date(&i.modified_at)),
            ]
        })
        .collect();
    let body = format!(
        "<p>Repositories appear with their first pushed image. Push with a token: <code>skopeo copy … docker://127.0.0.1:{}/samples/hello-world:v1</code></p>\n{}",
        r.port,
        table(
            "Repositories",
            &["Repository", "Tags", "Manifests", "Last updated"],
            &rows
        )
    );
    let p = page(
        "Repositories",
        &r,
        Section::Repositories,
        &at.session.csrf,
        &[],
    );
    Ok(html_response(StatusCode::OK, p.render(&body)))
}

fn yes_no(b: bool) -> &'static str {
    if b { "Yes" } else { "No" }
}

/// Whether a token can sign in now, and if not why.
fn sign_in(t: &Token) -> &'static str {
    if t.status != "enabled" {
        return "No: disabled";
    }
    if t.passwords.is_empty() {
        return "No: no password";
    }
    let now = clock::now();
    let live = t.passwords.iter().any(|p| {
        p.expiry
            .as_deref()
            .and_then(clock::parse)
            .is_none_or(|e| e > now)
    });
    if live { "Yes" } else { "No: passwords expired" }
}

fn locks(f: &Flags) -> String {
    format!(
        "read {}, write {}, delete {}, list {}",
        if f.read { "enabled" } else { "disabled" },
        if f.write { "enabled" } else { "disabled" },
        if f.delete { "enabled" } else { "disabled" },
        if f.list { "enabled" } else { "disabled" },
    )
}

/// `GET …/repositories/{*repo}`.
pub async fn show(at: At<(String, String)>) -> Result<Response, PageError> {
    let repo = at.path.1.clone();
    type Loaded = (
        Result<(RepositoryInfo, Vec<TagInfo>), Refusal>,
        Vec<Token>,
        HashMap<String, Vec<String>>,
    );
    let (r, (found, tokens, maps)): (_, Loaded) = at
        .run(move |db, r| {
            let found = match db.repository(&r.name, &repo)? {
                Ok(info) => db.tags(&r.name, &repo)?.map(|tags| (info, tags)),
                Err(e) => Err(e),
            };
            let maps = db
                .list_scope_maps(r)?
                .into_iter()
                .map(|m| (m.name.to_ascii_lowercase(), m.actions))
                .collect();
            Ok((found, db.list_tokens(r)?, maps))
        })
        .await?;
    let repo = &at.path.1;
    let Ok((info, tags)) = found else {
        return Err(PageError::NotFound(format!(
            "There is no repository '{repo}' in registry '{}'.",
            r.name
        )));
    };
    let tag_rows: Vec<Vec<String>> = tags
        .iter()
        .map(|t| {
            vec![
                format!("<code>{}</code>", esc(&t.name)),
                format!("<code class=\"digest\">{}</code>", esc(&t.digest)),
                esc(&table_date(&t.created_at)),
                esc(&table_date(&t.modified_at)),
            ]
        })
        .collect();
    let token_rows: Vec<Vec<String>> = tokens
        .iter()
        .map(|t| {
            let actions = maps
                .get(&t.scope_map.to_ascii_lowercase())
                .cloned()
                .unwrap_or_default();
            let rights = Rights::from_scope_map(&actions);
            let mut row = vec![
                link(&token_href(&r, &t.name), &t.name),
                esc(&t.scope_map),
                sign_in(t).to_string(),
            ];
            for a in [PULL, PUSH, DELETE, METADATA_READ, METADATA_WRITE] {
                row.push(yes_no(rights.allows(&info.name, a)).to_string());
            }
            row
        })
        .collect();
    let body = format!(
        concat!(
            "<dl class=\"facts\"><dt>Pull</dt><dd><code>127.0.0.1:{port}/{name}</code></dd>",
            "<dt>Locks</dt><dd>{locks}</dd><dt>Last updated</dt><dd>{modified}</dd></dl>\n",
            "<h2>Tags</h2>\n{tags}",
            "<h2>What each token may do here</h2>\n",
            "<p>From each token's scope map, wildcards included. A token that cannot sign in can do nothing; a lock on the repository refuses the operation to everyone.</p>\n{perms}"
        ),
        port = r.port,
        name = esc(&info.name),
        locks = esc(&locks(&info.flags)),
        modified = esc(&table_date(&info.modified_at)),
        tags = table(
            "Tags",
            &["Tag", "Digest", "Created", "Last updated"],
            &tag_rows
        ),
        perms = table(
            "Token permissions",
            &[
                "Token",
                "Scope map",
                "Can sign in",
                "Pull",
                "Push",
                "Delete",
                "Read metadata",
                "Write metadata"
            ],
            &token_rows
        ),
    );
    let under = [("Repositories", repos_href(&r))];
    let p = page(
        &info.name,
        &r,
        Section::Repositories,
        &at.session.csrf,
        &under,
    );
    Ok(html_response(StatusCode::OK, p.render(&body)))
}
