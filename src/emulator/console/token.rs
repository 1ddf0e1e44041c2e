//! One token's page: its details, the settings form (scope map and status, like `acr token
//! update`), its passwords with their generate and delete forms (handled in `passwords`),
//! what its scope map allows, and deleting the token. The page never shows a password value.

use axum::extract::Query;
use axum::http::StatusCode;
use axum::response::Response;

use super::auth::Session;
use super::editor::Draft;
use super::html::{Notice, Page, Section, csrf_input, esc, link, table};
use super::request::{At, Change, InRegistry};
use super::scope_maps::map_href;
use super::tokens::{map_options, password_expiry, title_status, token_href, tokens_href};
use super::{Done, PageError, actor, html_response, page, see_other, table_date};
use crate::emulator::store::{Registry, ScopeMap, StoreError, Token, TokenPatch};
use crate::emulator::{AppState, clock};

pub(super) const PASSWORDS: [&str; 2] = ["password1", "password2"];

/// The notices after a change that comes back to the token page.
const DONE: [(&str, &str); 4] = [
    ("created", "Token created. Generate a password to use it."),
    ("saved", "Token settings saved."),
    ("deleted-password1", "password1 deleted."),
    ("deleted-password2", "password2 deleted."),
];

/// The page of token `tok`, read afresh with the registry's scope maps (the choices of its
/// settings form).
async fn token_page<P: InRegistry>(
    at: &At<P>,
    tok: &str,
    notice: Option<Notice>,
    status: StatusCode,
) -> Result<Response, PageError> {
    let t = tok.to_string();
    let (r, (token, maps)) = at
        .run(move |db, r| Ok((db.get_token(r, &t)?, db.list_scope_maps(r)?)))
        .await?;
    Ok(render(
        &at.state,
        &at.session,
        &r,
        &token,
        &maps,
        notice,
        status,
    ))
}

/// `GET …/tokens/{tok}`.
pub async fn show(at: At<(String, String)>, Query(q): Query<Done>) -> Result<Response, PageError> {
    token_page(&at, &at.path.1, q.notice(&DONE), StatusCode::OK).await
}

fn render(
    state: &AppState,
    session: &Session,
    r: &Registry,
    t: &Token,
    maps: &[ScopeMap],
    notice: Option<Notice>,
    status: StatusCode,
) -> Response {
    let href = token_href(r, &t.name);
    let map_href = map_href(r, &t.scope_map);
    let csrf = csrf_input(&session.csrf);
    let mut body = format!(
        concat!(
            "<dl class=\"facts\">\n<dt>Name (user name)</dt><dd><code>{name}</code></dd>\n",
            "<dt>Status</dt><dd>{status}</dd>\n<dt>Scope map</dt><dd>{map}</dd>\n",
            "<dt>Creation date</dt><dd>{created}</dd>\n<dt>Last modified</dt><dd>{modified} by {by}</dd>\n</dl>\n"
        ),
        name = esc(&t.name),
        status = title_status(&t.status),
        map = link(&map_href, &t.scope_map),
        created = esc(&table_date(&t.audit.created_at)),
        modified = esc(&table_date(&t.audit.modified_at)),
        by = esc(&t.audit.modified_by),
    );

    // Settings: the scope map and the status, saved together.
    let options = map_options(maps, &t.scope_map);
    let checked = |s: &str| if t.status == s { " checked" } else { "" };
    body.push_str(&format!(
        concat!(
            "<h2>Settings</h2>\n<form method=\"post\" action=\"{href}/settings\" class=\"stack\">\n{csrf}\n",
            "<p><label for=\"scope-map\">Scope map</label>\n<select id=\"scope-map\" name=\"scope-map\">{options}</select></p>\n",
            "<fieldset><legend>Status</legend>\n",
            "<label class=\"check\" for=\"status-enabled\"><input type=\"radio\" id=\"status-enabled\" name=\"status\" value=\"enabled\"{en}> Enabled</label>\n",
            "<label class=\"check\" for=\"status-disabled\"><input type=\"radio\" id=\"status-disabled\" name=\"status\" value=\"disabled\"{dis}> Disabled</label>\n",
            "</fieldset>\n<p class=\"actions\"><button type=\"submit\">Save</button></p>\n</form>\n"
        ),
        href = esc(&href),
        csrf = csrf,
        options = options,
        en = checked("enabled"),
        dis = checked("disabled"),
    ));

    // Passwords: one group per name, each with its own generate (and delete) form.
    body.push_str("<h2>Passwords</h2>\n<p>A password's value is shown once, when it is generated. Generating replaces the previous value of that password.</p>\n");
    let today = clock::now().date();
    for name in PASSWORDS {
        let existing = t.passwords.iter().find(|p| p.name == name);
        let nonce = state.console.issue_nonce(session);
        body.push_str(&format!(
            "<section class=\"password\" aria-labelledby=\"h-{name}\">\n<h3 id=\"h-{name}\">{name}</h3>\n"
        ));
        match existing {
            Some(p) => body.push_str(&format!(
                "<dl class=\"facts\"><dt>Created</dt><dd>{}</dd><dt>Expiry</dt><dd>{}</dd></dl>\n",
                esc(&table_date(&p.created_at)),
                esc(&password_expiry(t, name))
            )),
            None => body.push_str("<p>Not generated.</p>\n"),
        }
        body.push_str(&format!(
            concat!(
                "<form method=\"post\" action=\"{href}/passwords/{name}/generate\" class=\"inline\">\n{csrf}\n",
                "<input type=\"hidden\" name=\"nonce\" value=\"{nonce}\">\n",
                "<p><label for=\"expiry-{name}\">Expiry date of {name} (optional; valid through that day, UTC)</label>\n",
                "<input type=\"date\" id=\"expiry-{name}\" name=\"expiry\" min=\"{today}\"></p>\n",
                "<p><button type=\"submit\">Generate {name}</button></p>\n</form>\n"
            ),
            href = esc(&href),
            name = name,
            csrf = csrf,
            nonce = esc(&nonce),
            today = today,
        ));
        if existing.is_some() {
            body.push_str(&format!(
                "<form method=\"post\" action=\"{}/passwords/{name}/delete\" class=\"inline\">\n{csrf}\n<p><button type=\"submit\" class=\"danger\">Delete {name}</button></p>\n</form>\n",
                esc(&href)
            ));
        }
        body.push_str("</section>\n");
    }

    // What the scope map allows, read-only.
    if let Some(m) = maps
        .iter()
        .find(|m| m.name.eq_ignore_ascii_case(&t.scope_map))
    {
        let rows: Vec<Vec<String>> = Draft::from_actions(&m.actions)
            .rows
            .iter()
            .map(|row| {
                vec![
                    format!("<code>{}</code>", esc(&row.repo)),
                    esc(&row.perms.join(", ")),
                ]
            })
            .collect();
        body.push_str(&format!(
            "<h2>Permissions</h2>\n<p>From scope map {}.</p>\n{}",
            link(&map_href, &m.name),
            table(
                "Repositories and permissions",
                &["Repository", "Permissions"],
                &rows
            )
        ));
    }

    body.push_str(&format!(
        concat!(
            "<h2>Delete</h2>\n<form method=\"post\" action=\"{href}/delete\" class=\"stack\">\n{csrf}\n",
            "<p><label class=\"check\" for=\"confirm-delete\"><input type=\"checkbox\" id=\"confirm-delete\" name=\"confirm\" value=\"yes\" required> ",
            "Delete token {name}: anyone using its passwords loses access.</label></p>\n",
            "<p><button type=\"submit\" class=\"danger\">Delete token</button></p>\n</form>\n"
        ),
        href = esc(&href),
        csrf = csrf,
        name = esc(&t.name),
    ));
    let under = [("Tokens", tokens_href(r))];
    let p = Page {
        notice,
        ..page(&t.name, r, Section::Tokens, &session.csrf, &under)
    };
    html_response(status, p.render(&body))
}

/// Re-renders the page of token `tok` with `message`: a refused change (400).
pub(super) async fn refused<P: InRegistry>(
    at: &At<P>,
    tok: &str,
    message: String,
) -> Result<Response, PageError> {
    token_page(
        at,
        tok,
        Some(Notice::Error(message)),
        StatusCode::BAD_REQUEST,
    )
    .await
}

/// `POST …/tokens/{tok}/settings`: scope map and status. A missing registry or token is
/// found by the change itself, or by `refused` re-reading the page.
pub async fn settings(change: Change<(String, String)>) -> Result<Response, PageError> {
    let (at, tok) = (&change.at, &change.at.path.1);
    let status = change.form.text("status");
    if !["enabled", "disabled"].contains(&status) {
        return refused(at, tok, "Choose Enabled or Disabled.".into()).await;
    }
    let patch = TokenPatch {
        scope_map: Some(change.form.text("scope-map").to_string()),
        status: Some(status.to_string()),
        ..Default::default()
    };
    let t = tok.clone();
    let (r, patched) = at
        .try_run(move |db, r| db.patch_token(r, &t, patch, &actor()))
        .await?;
    match patched {
        Ok(token) => Ok(see_other(&format!(
            "{}?done=saved",
            token_href(&r, &token.name)
        ))),
        Err(StoreError::Rule(m)) => refused(at, tok, m).await,
        Err(e) => Err(PageError::store(e)),
    }
}

/// `POST …/tokens/{tok}/delete` (with the confirmation box ticked).
pub async fn delete(change: Change<(String, String)>) -> Result<Response, PageError> {
    let (at, tok) = (&change.at, &change.at.path.1);
    if change.form.text("confirm") != "yes" {
        let m = "Tick the confirmation box to delete the token.";
        return refused(at, tok, m.into()).await;
    }
    let t = tok.clone();
    let (r, existed) = at.run(move |db, r| db.delete_token(r, &t)).await?;
    if !existed {
        return Err(PageError::NotFound(format!(
            "There is no token '{tok}' in this registry."
        )));
    }
    Ok(see_other(&format!("{}?done=deleted", tokens_href(&r))))
}
