//! Scope maps: the list (system maps first, like `acr scope-map list`), "+ Add", and one map's
//! page: its repositories and permissions in the editor (read-only for system maps), its
//! description, the tokens that use it, and delete (refused while tokens use it). Saving is
//! the store's `patch_scope_map` with the whole action list, after the management API's rules.

use axum::extract::Query;
use axum::http::StatusCode;
use axum::response::Response;

use super::editor::Draft;
use super::html::{Notice, Page, Section, csrf_input, esc, link, seg, table};
use super::request::{At, Change};
use super::tokens::{title_status, token_href};
use super::{Done, PageError, actor, html_response, not_taken, page, see_other, table_date};
use crate::emulator::AppState;
use crate::emulator::management::rules;
use crate::emulator::store::{Registry, ScopeMap, ScopeMapPatch, ScopeMapPut, StoreError, Token};

fn maps_href(r: &Registry) -> String {
    format!("{}/scope-maps", super::registry_href(r))
}

pub(super) fn map_href(r: &Registry, name: &str) -> String {
    format!("{}/{}", maps_href(r), seg(name))
}

/// A map's `type`, as `acr scope-map list` shows it.
fn map_type(m: &ScopeMap) -> &'static str {
    if m.system {
        "SystemDefined"
    } else {
        "UserDefined"
    }
}

/// `GET …/scope-maps`.
pub async fn list(at: At<String>, Query(q): Query<Done>) -> Result<Response, PageError> {
    let (r, maps) = at.run(|db, r| db.list_scope_maps(r)).await?;
    let rows: Vec<Vec<String>> = maps
        .iter()
        .map(|m| {
            vec![
                link(&map_href(&r, &m.name), &m.name),
                map_type(m).to_string(),
                esc(&table_date(&m.audit.created_at)),
                esc(m.description.as_deref().unwrap_or("")),
            ]
        })
        .collect();
    let body = format!(
        "<p>A scope map groups repository permissions; each token uses one. The system-defined maps apply to every repository and cannot be changed.</p>\n<p><a class=\"button\" href=\"{}/new\">+ Add</a></p>\n{}",
        esc(&maps_href(&r)),
        table(
            "Scope maps",
            &["Name", "Type", "Creation date", "Description"],
            &rows
        )
    );
    let mut p = page("Scope maps", &r, Section::ScopeMaps, &at.session.csrf, &[]);
    p.notice = q.notice(&[("deleted", "Scope map deleted.")]);
    Ok(html_response(StatusCode::OK, p.render(&body)))
}

fn description_field(value: &str, read_only: bool) -> String {
    if read_only {
        return format!("<p>{}</p>\n", esc(value));
    }
    format!(
        "<p><label for=\"map-description\">Description</label>\n<input type=\"text\" id=\"map-description\" name=\"map-description\" value=\"{}\" maxlength=\"256\"></p>\n",
        esc(value)
    )
}

/// The new-scope-map form.
fn render_new(
    r: &Registry,
    csrf: &str,
    name: &str,
    description: &str,
    draft: &Draft,
    notice: Option<Notice>,
    status: StatusCode,
) -> Response {
    let body = format!(
        concat!(
            "<form method=\"post\" action=\"{action}/new\" class=\"stack\">\n{csrf}\n",
            "<p><label for=\"map-name\">Scope map name</label>\n",
            "<input type=\"text\" id=\"map-name\" name=\"map-name\" value=\"{name}\" required minlength=\"5\" maxlength=\"50\" autocomplete=\"off\" spellcheck=\"false\" aria-describedby=\"map-name-hint\">\n",
            "<span class=\"hint\" id=\"map-name-hint\">5 to 50 letters, digits, hyphens and underscores.</span></p>\n",
            "{description}<h2>Repositories</h2>\n{editor}",
            "<p class=\"actions\"><button type=\"submit\" name=\"op\" value=\"create\">Create</button> <a href=\"{action}\">Cancel</a></p>\n</form>\n"
        ),
        action = esc(&maps_href(r)),
        csrf = csrf_input(csrf),
        name = esc(name),
        description = description_field(description, false),
        editor = draft.render(false),
    );
    let under = [("Scope maps", maps_href(r))];
    let p = Page {
        notice,
        ..page("Create scope map", r, Section::ScopeMaps, csrf, &under)
    };
    html_response(status, p.render(&body))
}

/// `GET …/scope-maps/new`.
pub async fn new_form(at: At<String>) -> Result<Response, PageError> {
    let r = at.registry().await?;
    Ok(render_new(
        &r,
        &at.session.csrf,
        "",
        "",
        &Draft::default(),
        None,
        StatusCode::OK,
    ))
}

/// The description (empty means none) and actions of a submitted editor, checked with the
/// management API's rules (here and on the new-token page).
pub(super) async fn checked(
    state: &AppState,
    description: &str,
    draft: &Draft,
) -> Result<ScopeMapPut, String> {
    let description = (!description.trim().is_empty()).then(|| description.to_string());
    rules::check_description(description.as_deref())?;
    let actions = draft.actions();
    let limit = state
        .store
        .run(|db| Ok(db.limits.actions_per_scope_map))
        .await
        .map_err(|e| e.to_string())?;
    rules::check_actions(&actions, limit).map_err(|e| e.message)?;
    Ok(ScopeMapPut {
        description,
        actions,
    })
}

fn refusal(e: StoreError) -> Result<(StatusCode, String), PageError> {
    match e {
        StoreError::Conflict(m) | StoreError::Quota(m) => Ok((StatusCode::CONFLICT, m)),
        StoreError::Rule(m) => Ok((StatusCode::BAD_REQUEST, m)),
        other => Err(PageError::store(other)),
    }
}

/// `POST …/scope-maps/new`: `op=add-row` or `op=create`.
pub async fn create(change: Change<String>) -> Result<Response, PageError> {
    let r = change.at.registry().await?;
    let (state, csrf, f) = (&change.at.state, &change.at.session.csrf, &change.form);
    let (name, description) = (f.text("map-name"), f.get("map-description").unwrap_or(""));
    let draft = Draft::from_form(f);
    let again = |notice, status| render_new(&r, csrf, name, description, &draft, notice, status);
    if f.text("op") == "add-row" {
        return Ok(again(None, StatusCode::OK));
    }
    if let Err(m) = rules::check_scope_map_name(name) {
        return Ok(again(Some(Notice::Error(m)), StatusCode::BAD_REQUEST));
    }
    let put = match checked(state, description, &draft).await {
        Ok(v) => v,
        Err(m) => return Ok(again(Some(Notice::Error(m)), StatusCode::BAD_REQUEST)),
    };
    let (r2, n) = (r.clone(), name.to_string());
    let result = state
        .store
        .run(move |db| {
            not_taken(db.find_scope_map(&r2, &n)?, "scope map", &n, &r2)?;
            db.put_scope_map(&r2, &n, put, &actor())
        })
        .await;
    match result {
        Ok((m, _)) => Ok(see_other(&format!(
            "{}?done=created",
            map_href(&r, &m.name)
        ))),
        Err(e) => {
            let (status, m) = refusal(e)?;
            Ok(again(Some(Notice::Error(m)), status))
        }
    }
}

/// The scope map of the path and the tokens that use it.
async fn load(at: &At<(String, String)>) -> Result<(Registry, ScopeMap, Vec<Token>), PageError> {
    let name = at.path.1.clone();
    let (r, (map, tokens)) = at
        .run(move |db, r| Ok((db.get_scope_map(r, &name)?, db.list_tokens(r)?)))
        .await?;
    let users = tokens
        .into_iter()
        .filter(|t| t.scope_map.eq_ignore_ascii_case(&map.name))
        .collect();
    Ok((r, map, users))
}

struct Shown<'a> {
    description: &'a str,
    draft: &'a Draft,
    notice: Option<Notice>,
    status: StatusCode,
}

fn render_map(r: &Registry, csrf: &str, m: &ScopeMap, users: &[Token], s: Shown<'_>) -> Response {
    let href = map_href(r, &m.name);
    let kind = map_type(m);
    let mut body = format!(
        "<dl class=\"facts\"><dt>Type</dt><dd>{kind}</dd><dt>Creation date</dt><dd>{}</dd><dt>Last modified</dt><dd>{}</dd></dl>\n",
        esc(&table_date(&m.audit.created_at)),
        esc(&table_date(&m.audit.modified_at)),
    );
    if m.system {
        body.push_str(&format!(
            "<h2>Description</h2>\n{}<h2>Repositories</h2>\n<p>System-defined scope maps cannot be changed.</p>\n{}",
            description_field(s.description, true),
            s.draft.render(true)
        ));
    } else {
        body.push_str(&format!(
            concat!(
                "<form method=\"post\" action=\"{href}\" class=\"stack\">\n{csrf}\n{description}",
                "<h2>Repositories</h2>\n{editor}",
                "<p class=\"actions\"><button type=\"submit\" name=\"op\" value=\"save\">Save</button></p>\n</form>\n"
            ),
            href = esc(&href),
            csrf = csrf_input(csrf),
            description = description_field(s.description, false),
            editor = s.draft.render(false),
        ));
    }
    let rows: Vec<Vec<String>> = users
        .iter()
        .map(|t| {
            vec![
                link(&token_href(r, &t.name), &t.name),
                title_status(&t.status).to_string(),
            ]
        })
        .collect();
    body.push_str(&format!(
        "<h2>Tokens using this scope map</h2>\n{}",
        table("Tokens using this scope map", &["Token", "Status"], &rows)
    ));
    if !m.system {
        body.push_str(&format!(
            "<h2>Delete</h2>\n<form method=\"post\" action=\"{}/delete\" class=\"stack\">\n{}\n<p>A scope map that tokens use cannot be deleted.</p>\n<p><button type=\"submit\" class=\"danger\">Delete scope map</button></p>\n</form>\n",
            esc(&href),
            csrf_input(csrf)
        ));
    }
    let under = [("Scope maps", maps_href(r))];
    let p = Page {
        notice: s.notice,
        ..page(&m.name, r, Section::ScopeMaps, csrf, &under)
    };
    html_response(s.status, p.render(&body))
}

/// `GET …/scope-maps/{map}`.
pub async fn show(at: At<(String, String)>, Query(q): Query<Done>) -> Result<Response, PageError> {
    let (r, m, users) = load(&at).await?;
    let notice = q.notice(&[
        ("created", "Scope map created."),
        (
            "saved",
            "Scope map saved. Tokens that use it have the new permissions from their next sign-in.",
        ),
    ]);
    let draft = Draft::from_actions(&m.actions);
    let shown = Shown {
        description: m.description.as_deref().unwrap_or(""),
        draft: &draft,
        notice,
        status: StatusCode::OK,
    };
    Ok(render_map(&r, &at.session.csrf, &m, &users, shown))
}

/// `POST …/scope-maps/{map}`: `op=add-row` or `op=save` (description and every action).
pub async fn save(change: Change<(String, String)>) -> Result<Response, PageError> {
    let (r, m, users) = load(&change.at).await?;
    let (state, csrf, f) = (&change.at.state, &change.at.session.csrf, &change.form);
    let description = f.get("map-description").unwrap_or("");
    let draft = Draft::from_form(f);
    let again = |notice, status| {
        let shown = Shown {
            description,
            draft: &draft,
            notice,
            status,
        };
        render_map(&r, csrf, &m, &users, shown)
    };
    if f.text("op") == "add-row" && !m.system {
        return Ok(again(None, StatusCode::OK));
    }
    let put = match checked(state, description, &draft).await {
        Ok(v) => v,
        Err(msg) => return Ok(again(Some(Notice::Error(msg)), StatusCode::BAD_REQUEST)),
    };
    let patch = ScopeMapPatch {
        // An emptied field clears the description.
        description: Some(put.description.unwrap_or_default()),
        actions: Some(put.actions),
    };
    let (r2, n) = (r.clone(), m.name.clone());
    match state
        .store
        .run(move |db| db.patch_scope_map(&r2, &n, patch, &actor()))
        .await
    {
        Ok(saved) => Ok(see_other(&format!(
            "{}?done=saved",
            map_href(&r, &saved.name)
        ))),
        Err(e) => {
            let (status, msg) = refusal(e)?;
            Ok(again(Some(Notice::Error(msg)), status))
        }
    }
}

/// `POST …/scope-maps/{map}/delete`.
pub async fn delete(change: Change<(String, String)>) -> Result<Response, PageError> {
    let (r, m, users) = load(&change.at).await?;
    let (r2, n) = (r.clone(), m.name.clone());
    match change
        .at
        .state
        .store
        .run(move |db| db.delete_scope_map(&r2, &n))
        .await
    {
        Ok(_) => Ok(see_other(&format!("{}?done=deleted", maps_href(&r)))),
        Err(e) => {
            let (status, msg) = refusal(e)?;
            let draft = Draft::from_actions(&m.actions);
            let shown = Shown {
                description: m.description.as_deref().unwrap_or(""),
                draft: &draft,
                notice: Some(Notice::Error(msg)),
                status,
            };
            Ok(render_map(&r, &change.at.session.csrf, &m, &users, shown))
        }
    }
}
