//! The first pages: every registry of the emulator, and one registry's overview (login
//! server, SKU, counts, and the way to its tokens, scope maps and repositories). Read-only.

use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;

use super::auth::Session;
use super::html::{Page, Section, esc, link, table};
use super::request::At;
use super::{PageError, db, html_response, page, registry_href, table_date};
use crate::emulator::AppState;

/// `GET /portal/`: the registries.
pub async fn list(
    session: Session,
    State(state): State<Arc<AppState>>,
) -> Result<Response, PageError> {
    let regs = db(&state, |db| db.list_registries(None)).await?;
    let rows: Vec<Vec<String>> = regs
        .iter()
        .map(|r| {
            vec![
                link(&registry_href(r), &r.name),
                esc(r.sku.as_str()),
                format!("<code>127.0.0.1:{}</code>", r.port),
                esc(&r.resource_group),
                esc(&r.location),
                esc(&table_date(&r.audit.created_at)),
            ]
        })
        .collect();
    let mut p = Page::new("Container registries");
    p.csrf = Some(&session.csrf);
    let body = format!(
        "<p>The registries of this emulator, in subscription <em>{}</em>. Choose one to manage its tokens and scope maps.</p>\n{}",
        esc(crate::emulator::SUBSCRIPTION_NAME),
        table(
            "Registries",
            &[
                "Name",
                "SKU",
                "Login server",
                "Resource group",
                "Location",
                "Creation date"
            ],
            &rows
        )
    );
    Ok(html_response(StatusCode::OK, p.render(&body)))
}

/// `GET /portal/registries/{reg}`: one registry.
pub async fn overview(at: At<String>) -> Result<Response, PageError> {
    let (r, (tokens, maps, repos)) = at
        .run(|db, r| {
            Ok((
                db.list_tokens(r)?.len(),
                db.list_scope_maps(r)?.len(),
                db.catalog(&r.name)?.len(),
            ))
        })
        .await?;
    let base = registry_href(&r);
    let body = format!(
        concat!(
            "<dl class=\"facts\">\n",
            "<dt>Login server</dt><dd><code>127.0.0.1:{port}</code></dd>\n",
            "<dt>SKU</dt><dd>{sku}</dd>\n",
            "<dt>Resource group</dt><dd>{rg}</dd>\n",
            "<dt>Location</dt><dd>{loc}</dd>\n",
            "<dt>Admin user</dt><dd>{admin}</dd>\n",
            "<dt>Creation date</dt><dd>{created}</dd>\n",
            "</dl>\n",
            "<h2>Repository permissions</h2>\n<ul class=\"cards\">\n",
            "<li><a href=\"{base}/tokens\">Tokens</a> ({tokens})</li>\n",
            "<li><a href=\"{base}/scope-maps\">Scope maps</a> ({maps}, system maps included)</li>\n",
            "</ul>\n<h2>Services</h2>\n<ul class=\"cards\">\n",
            "<li><a href=\"{base}/repositories\">Repositories</a> ({repos})</li>\n</ul>\n",
            "<p>Sign in to this registry with a token: <code>echo $TOKEN_PWD | podman login --username MyToken --password-stdin 127.0.0.1:{port}</code></p>\n"
        ),
        port = r.port,
        sku = esc(r.sku.as_str()),
        rg = esc(&r.resource_group),
        loc = esc(&r.location),
        admin = if r.admin_user_enabled {
            "Enabled"
        } else {
            "Disabled"
        },
        created = esc(&table_date(&r.audit.created_at)),
        base = esc(&base),
        tokens = tokens,
        maps = maps,
        repos = repos,
    );
    let mut p = page(&r.name, &r, Section::Overview, &at.session.csrf, &[]);
    // The registry is this page: the trail stops at the registries.
    p.crumbs = vec![("Registries".into(), super::BASE.into())];
    Ok(html_response(StatusCode::OK, p.render(&body)))
}
