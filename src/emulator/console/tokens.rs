//! The tokens of a registry: the list (the columns of `acr token list -o table`) and
//! "+ Add" (the portal's token creation: a name, a new scope map with repositories and
//! permissions or an existing one, a status). Creation goes through the store's
//! `put_scope_map` and `put_token` with the management API's rules; like the portal (and
//! ARM's PUT) it makes no password: that is the token page's "Generate".

use axum::extract::Query;
use axum::http::StatusCode;
use axum::response::Response;

use super::auth::Form;
use super::editor::Draft;
use super::html::{Notice, Page, Section, csrf_input, esc, link, seg, table};
use super::request::{At, Change};
use super::{
    Done, PageError, actor, db, html_response, not_taken, page, scope_maps, see_other, table_date,
};
use crate::emulator::AppState;
use crate::emulator::management::rules;
use crate::emulator::store::{Registry, ScopeMap, StoreError, Token, TokenPut};

pub(super) fn tokens_href(r: &Registry) -> String {
    format!("{}/tokens", super::registry_href(r))
}

pub(super) fn token_href(r: &Registry, token: &str) -> String {
    format!("{}/{}", tokens_href(r), seg(token))
}

/// A password's expiry as the token table shows it.
pub(super) fn password_expiry(t: &Token, name: &str) -> String {
    match t.passwords.iter().find(|p| p.name == name) {
        None => "No password".to_string(),
        Some(p) => match &p.expiry {
            None => "Never".to_string(),
            Some(e) => table_date(e),
        },
    }
}

pub(super) fn title_status(status: &str) -> &'static str {
    if status == "enabled" {
        "Enabled"
    } else {
        "Disabled"
    }
}

/// `GET …/tokens`.
pub async fn list(at: At<String>, Query(q): Query<Done>) -> Result<Response, PageError> {
    let (r, tokens) = at.run(|db, r| db.list_tokens(r)).await?;
    let rows: Vec<Vec<String>> = tokens
        .iter()
        .map(|t| {
            vec![
                link(&token_href(&r, &t.name), &t.name),
                link(&scope_maps::map_href(&r, &t.scope_map), &t.scope_map),
                esc(&password_expiry(t, "password1")),
                esc(&password_expiry(t, "password2")),
                title_status(&t.status).to_string(),
                esc(&table_date(&t.audit.created_at)),
            ]
        })
        .collect();
    let body = format!(
        "<p>A token is a user name with up to two passwords and the permissions of one scope map. Users sign in to <code>127.0.0.1:{}</code> with the token's name and a password.</p>\n<p><a class=\"button\" href=\"{}/new\">+ Add</a></p>\n{}",
        r.port,
        esc(&tokens_href(&r)),
        table(
            "Tokens",
            &[
                "Name",
                "Scope map",
                "Password1 expiry",
                "Password2 expiry",
                "Status",
                "Creation date"
            ],
            &rows
        )
    );
    let mut p = page("Tokens", &r, Section::Tokens, &at.session.csrf, &[]);
    p.notice = q.notice(&[("deleted", "Token deleted.")]);
    Ok(html_response(StatusCode::OK, p.render(&body)))
}

/// What the new-token form holds between round trips.
struct NewToken {
    name: String,
    /// `new` or `existing`.
    mode: String,
    existing: String,
    map_name: String,
    description: String,
    draft: Draft,
    status: String,
}

impl NewToken {
    fn blank() -> NewToken {
        NewToken {
            name: String::new(),
            mode: "new".into(),
            existing: String::new(),
            map_name: String::new(),
            description: String::new(),
            draft: Draft::default(),
            status: "enabled".into(),
        }
    }

    fn from_form(f: &Form) -> NewToken {
        let pick = |v: &str, allowed: &[&str], default: &str| {
            if allowed.contains(&v) {
                v.to_string()
            } else {
                default.to_string()
            }
        };
        NewToken {
            name: f.text("name").to_string(),
            mode: pick(f.text("scope-map-mode"), &["new", "existing"], "new"),
            existing: f.text("existing").to_string(),
            map_name: f.text("map-name").to_string(),
            description: f.get("map-description").unwrap_or("").to_string(),
            draft: Draft::from_form(f),
            status: pick(f.text("status"), &["enabled", "disabled"], "enabled"),
        }
    }
}

fn radio(name: &str, value: &str, current: &str, id: &str, text: &str) -> String {
    let checked = if value == current { " checked" } else { "" };
    format!(
        "<label class=\"check\" for=\"{id}\"><input type=\"radio\" id=\"{id}\" name=\"{name}\" value=\"{value}\"{checked}> {text}</label>\n"
    )
}

/// The `<option>`s of a scope-map picker, `selected` chosen (names compare case-insensitively).
pub(super) fn map_options(maps: &[ScopeMap], selected: &str) -> String {
    maps.iter()
        .map(|m| {
            let sel = if m.name.eq_ignore_ascii_case(selected) {
                " selected"
            } else {
                ""
            };
            let kind = if m.system { " (system)" } else { "" };
            format!(
                "<option value=\"{}\"{sel}>{}{kind}</option>",
                esc(&m.name),
                esc(&m.name)
            )
        })
        .collect()
}

fn render_form(
    r: &Registry,
    csrf: &str,
    maps: &[ScopeMap],
    t: &NewToken,
    notice: Option<Notice>,
    status: StatusCode,
) -> Response {
    let mut body = format!(
        "<form method=\"post\" action=\"{}/new\" class=\"stack\">\n{}\n",
        esc(&tokens_href(r)),
        csrf_input(csrf)
    );
    body.push_str(&format!(
        "<p><label for=\"token-name\">Token name</label>\n<input type=\"text\" id=\"token-name\" name=\"name\" value=\"{}\" required minlength=\"5\" maxlength=\"50\" autocomplete=\"off\" spellcheck=\"false\" aria-describedby=\"token-name-hint\">\n<span class=\"hint\" id=\"token-name-hint\">5 to 50 letters, digits and hyphens. It is the user name of <code>podman login</code>.</span></p>\n",
        esc(&t.name)
    ));
    body.push_str("<fieldset><legend>Scope map</legend>\n");
    body.push_str(&radio(
        "scope-map-mode",
        "new",
        &t.mode,
        "mode-new",
        "Create new",
    ));
    body.push_str(&radio(
        "scope-map-mode",
        "existing",
        &t.mode,
        "mode-existing",
        "Use existing",
    ));
    body.push_str(&format!(
        "<p><label for=\"existing-map\">Existing scope map</label>\n<select id=\"existing-map\" name=\"existing\">{}</select></p>\n",
        map_options(maps, &t.existing)
    ));
    body.push_str(&format!(
        "<fieldset><legend>New scope map</legend>\n<p><label for=\"map-name\">Scope map name</label>\n<input type=\"text\" id=\"map-name\" name=\"map-name\" value=\"{}\" maxlength=\"50\" autocomplete=\"off\" spellcheck=\"false\" aria-describedby=\"map-name-hint\">\n<span class=\"hint\" id=\"map-name-hint\">5 to 50 letters, digits, hyphens and underscores.</span></p>\n<p><label for=\"map-description\">Description</label>\n<input type=\"text\" id=\"map-description\" name=\"map-description\" value=\"{}\" maxlength=\"256\"></p>\n<h2>Repositories</h2>\n{}</fieldset>\n</fieldset>\n",
        esc(&t.map_name),
        esc(&t.description),
        t.draft.render(false)
    ));
    body.push_str("<fieldset><legend>Status</legend>\n");
    body.push_str(&radio(
        "status",
        "enabled",
        &t.status,
        "status-enabled",
        "Enabled",
    ));
    body.push_str(&radio(
        "status",
        "disabled",
        &t.status,
        "status-disabled",
        "Disabled",
    ));
    body.push_str("</fieldset>\n");
    body.push_str(&format!(
        "<p class=\"actions\"><button type=\"submit\" name=\"op\" value=\"create\">Create</button> <a href=\"{}\">Cancel</a></p>\n</form>\n",
        esc(&tokens_href(r))
    ));
    let under = [("Tokens", tokens_href(r))];
    let p = Page {
        notice,
        ..page("Create token", r, Section::Tokens, csrf, &under)
    };
    html_response(status, p.render(&body))
}

async fn scope_maps(state: &AppState, r: &Registry) -> Result<Vec<ScopeMap>, PageError> {
    let r2 = r.clone();
    db(state, move |db| db.list_scope_maps(&r2)).await
}

/// `GET …/tokens/new`.
pub async fn new_form(at: At<String>) -> Result<Response, PageError> {
    let (r, maps) = at.run(|db, r| db.list_scope_maps(r)).await?;
    Ok(render_form(
        &r,
        &at.session.csrf,
        &maps,
        &NewToken::blank(),
        None,
        StatusCode::OK,
    ))
}

/// A refusal to show on the form: its status and message.
type Refused = (StatusCode, String);

fn bad(m: impl Into<String>) -> Refused {
    (StatusCode::BAD_REQUEST, m.into())
}

/// `POST …/tokens/new`: `op=add-row` re-renders with one more repository group; `op=create`
/// creates the scope map (when new) and the token.
pub async fn create(change: Change<String>) -> Result<Response, PageError> {
    let (state, csrf) = (&*change.at.state, &change.at.session.csrf);
    let r = change.at.registry().await?;
    let t = NewToken::from_form(&change.form);
    if change.form.text("op") == "add-row" {
        let maps = scope_maps(state, &r).await?;
        return Ok(render_form(&r, csrf, &maps, &t, None, StatusCode::OK));
    }
    match create_token(state, &r, &t).await {
        Ok(()) => Ok(see_other(&format!(
            "{}?done=created",
            token_href(&r, &t.name)
        ))),
        Err((status, message)) => {
            let maps = scope_maps(state, &r).await?;
            Ok(render_form(
                &r,
                csrf,
                &maps,
                &t,
                Some(Notice::Error(message)),
                status,
            ))
        }
    }
}

async fn create_token(state: &AppState, r: &Registry, t: &NewToken) -> Result<(), Refused> {
    rules::check_token_name(&t.name).map_err(bad)?;
    let new_map = if t.mode == "new" {
        rules::check_scope_map_name(&t.map_name).map_err(bad)?;
        Some(
            scope_maps::checked(state, &t.description, &t.draft)
                .await
                .map_err(bad)?,
        )
    } else {
        None
    };
    let map_name = if new_map.is_some() {
        t.map_name.clone()
    } else {
        t.existing.clone()
    };
    let (r2, token, status) = (r.clone(), t.name.clone(), t.status.clone());
    // One store call, so nothing else runs between the checks and the writes; a token that
    // cannot be made takes its new scope map with it.
    state
        .store
        .run(move |db| {
            not_taken(db.find_token(&r2, &token)?, "token", &token, &r2)?;
            let existing = db.find_scope_map(&r2, &map_name)?;
            let created_map = match (new_map, existing) {
                (Some(_), Some(_)) => {
                    return Err(StoreError::Conflict(format!(
                        "A scope map named '{map_name}' already exists; choose \"Use existing\" or another name."
                    )));
                }
                (None, None) => {
                    return Err(StoreError::Rule(format!(
                        "There is no scope map '{map_name}' in registry '{}'.",
                        r2.name
                    )));
                }
                (Some(put), None) => {
                    db.put_scope_map(&r2, &map_name, put, &actor())?;
                    true
                }
                (None, Some(_)) => false,
            };
            let put = TokenPut {
                scope_map: map_name.clone(),
                status,
                keep_passwords: None,
                certificates: None,
            };
            match db.put_token(&r2, &token, put, &actor()) {
                Ok(_) => Ok(()),
                Err(e) => {
                    if created_map {
                        db.delete_scope_map(&r2, &map_name)?;
                    }
                    Err(e)
                }
            }
        })
        .await
        .map_err(|e| match e {
            StoreError::Conflict(m) | StoreError::Quota(m) => (StatusCode::CONFLICT, m),
            StoreError::Rule(m) => bad(m),
            other => (StatusCode::INTERNAL_SERVER_ERROR, other.to_string()),
        })
}
