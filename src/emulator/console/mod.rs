//! The console: the Azure portal's registry pages (tokens, scope maps, repositories) as
//! server-rendered HTML under `/portal/` on the management port. It owns the routes, the
//! page errors and the security headers of every console answer; sign-in and sessions are
//! in `auth`, what a page inside a registry gets from its request in `request`, markup in
//! `html`, the repository × permission editor in `editor`, one module per page group. Every
//! change goes through the same store calls and the same rules (`management::rules`) as the
//! management API, so `acr` and the page always agree; nothing here writes to disk or keeps
//! state of its own beyond the sessions.

mod assets;
mod auth;
mod editor;
mod html;
mod passwords;
mod registries;
mod repositories;
mod request;
mod scope_maps;
mod token;
mod tokens;

use std::sync::Arc;

use axum::Router;
use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get, post};

pub(crate) use self::auth::Console;
pub use self::auth::SIGNIN_PARAM;
use self::html::{Page, esc};
use super::AppState;
use super::store::{Actor, Db, Missing, Registry, StoreError, StoreResult};

/// The path every console URL starts with.
pub const BASE: &str = "/portal/";

/// The sign-in link for `secret` on the emulator at `base_url` (no trailing slash).
pub fn signin_url(base_url: &str, secret: &str) -> String {
    format!("{base_url}{BASE}signin?{SIGNIN_PARAM}={secret}")
}

/// Who the console's writes are attributed to in `systemData`.
fn actor() -> Actor {
    Actor {
        id: "acr-emulator console".to_string(),
        kind: "User".to_string(),
    }
}

pub fn router() -> Router<Arc<AppState>> {
    let reg = "/portal/registries/{reg}";
    Router::new()
        .route("/portal", get(|| async { see_other(BASE) }))
        .route("/portal/", get(registries::list))
        .route("/portal/signin", get(auth::signin))
        .route("/portal/signout", post(auth::signout))
        .route("/portal/static/console.css", get(assets::css))
        .route("/portal/static/console.js", get(assets::js))
        .route(reg, get(registries::overview))
        .route(&format!("{reg}/tokens"), get(tokens::list))
        .route(
            &format!("{reg}/tokens/new"),
            get(tokens::new_form).post(tokens::create),
        )
        .route(&format!("{reg}/tokens/{{tok}}"), get(token::show))
        .route(
            &format!("{reg}/tokens/{{tok}}/settings"),
            post(token::settings),
        )
        .route(
            &format!("{reg}/tokens/{{tok}}/passwords/{{which}}/generate"),
            post(passwords::generate),
        )
        .route(
            &format!("{reg}/tokens/{{tok}}/passwords/{{which}}/delete"),
            post(passwords::delete_password),
        )
        .route(&format!("{reg}/tokens/{{tok}}/delete"), post(token::delete))
        .route(&format!("{reg}/scope-maps"), get(scope_maps::list))
        .route(
            &format!("{reg}/scope-maps/new"),
            get(scope_maps::new_form).post(scope_maps::create),
        )
        .route(
            &format!("{reg}/scope-maps/{{map}}"),
            get(scope_maps::show).post(scope_maps::save),
        )
        .route(
            &format!("{reg}/scope-maps/{{map}}/delete"),
            post(scope_maps::delete),
        )
        .route(&format!("{reg}/repositories"), get(repositories::list))
        .route(
            &format!("{reg}/repositories/{{*repo}}"),
            get(repositories::show),
        )
        .route("/portal/{*rest}", any(not_found))
        .layer(axum::middleware::from_fn(security_headers))
}

async fn not_found() -> PageError {
    PageError::NotFound("There is no console page at this address.".into())
}

/// Headers of every console answer: nothing cached (a password page must not come back from
/// a cache), no framing, no foreign content, no referrer to other sites
/// (same-origin form POSTs still carry `Origin`, which [`auth`] checks).
async fn security_headers(req: Request, next: Next) -> Response {
    let mut resp = next.run(req).await;
    let h = resp.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
        ),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    h.insert(
        "cross-origin-opener-policy",
        HeaderValue::from_static("same-origin"),
    );
    h.insert(
        "cross-origin-resource-policy",
        HeaderValue::from_static("same-origin"),
    );
    resp
}

pub fn html_response(status: StatusCode, body: String) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        body,
    )
        .into_response()
}

/// `303 See Other` to a console path (Post/Redirect/Get).
pub fn see_other(location: &str) -> Response {
    let mut resp = StatusCode::SEE_OTHER.into_response();
    if let Ok(v) = HeaderValue::from_str(location) {
        resp.headers_mut().insert(header::LOCATION, v);
    }
    resp
}

/// Why a console request got no page; each renders itself as a page with its status.
#[derive(Debug)]
pub enum PageError {
    /// No session (or an expired one).
    SignedOut,
    /// A sign-in link that was used already, or never issued.
    SigninRefused,
    /// `Host` is not this emulator on 127.0.0.1 / localhost.
    BadHost,
    /// A POST from another origin or with a wrong CSRF token.
    Forbidden(String),
    BadRequest(String),
    /// A single-use form sent twice (a reload of a password page).
    Conflict(String),
    NotFound(String),
    Internal(String),
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let (status, title) = match &self {
            PageError::SignedOut => (StatusCode::UNAUTHORIZED, "Sign in"),
            PageError::SigninRefused => (StatusCode::FORBIDDEN, "Sign-in link not valid"),
            PageError::BadHost => (StatusCode::MISDIRECTED_REQUEST, "Wrong address"),
            PageError::Forbidden(_) => (StatusCode::FORBIDDEN, "Request refused"),
            PageError::BadRequest(_) => (StatusCode::BAD_REQUEST, "Bad request"),
            PageError::Conflict(_) => (StatusCode::CONFLICT, "Already done"),
            PageError::NotFound(_) => (StatusCode::NOT_FOUND, "Not found"),
            PageError::Internal(_) => (StatusCode::INTERNAL_SERVER_ERROR, "The emulator failed"),
        };
        let fresh = format!(
            "<p>Open the sign-in link that <code>acr-emulator start</code> printed, or get a fresh one with <code>{}</code> (its <code>consoleUrl</code>) or <code>{}</code> (<code>ACR_EMULATOR_CONSOLE_URL</code>). Each link works once.</p>",
            esc("acr-emulator env --format json"),
            esc("acr-emulator env")
        );
        let body = match self {
            PageError::SignedOut => fresh,
            PageError::SigninRefused => format!(
                "<p>This sign-in link was used already, or belongs to an earlier run of the emulator.</p>{fresh}"
            ),
            PageError::BadHost => "<p>The console answers only at <code>https://127.0.0.1:PORT/portal/</code> or <code>https://localhost:PORT/portal/</code>.</p>".to_string(),
            PageError::NotFound(m) => format!(
                "<p>{}</p><p><a href=\"/portal/\">All registries</a></p>",
                esc(&m)
            ),
            PageError::Forbidden(m)
            | PageError::BadRequest(m)
            | PageError::Conflict(m)
            | PageError::Internal(m) => format!("<p>{}</p>", esc(&m)),
        };
        html_response(status, Page::new(title).render(&body))
    }
}

impl PageError {
    /// A store failure that is not the user's doing (or a lookup that found nothing).
    pub fn store(e: StoreError) -> PageError {
        match e {
            StoreError::NotFound(Missing::Token(t)) => {
                PageError::NotFound(format!("There is no token '{t}' in this registry."))
            }
            StoreError::NotFound(Missing::ScopeMap(m)) => {
                PageError::NotFound(format!("There is no scope map '{m}' in this registry."))
            }
            StoreError::NotFound(_) => PageError::NotFound("There is no such registry.".into()),
            StoreError::Conflict(m) | StoreError::Quota(m) | StoreError::Rule(m) => {
                PageError::BadRequest(m)
            }
            StoreError::Db(e) => PageError::Internal(format!("The store failed: {e}")),
            StoreError::Internal(e) => PageError::Internal(e),
        }
    }
}

/// Runs one store call for a page; a store failure becomes the page's error.
async fn db<T, F>(state: &AppState, f: F) -> Result<T, PageError>
where
    T: Send + 'static,
    F: FnOnce(&mut Db) -> StoreResult<T> + Send + 'static,
{
    state.store.run(f).await.map_err(PageError::store)
}

/// `/portal/registries/{name}`.
fn registry_href(r: &Registry) -> String {
    format!("/portal/registries/{}", html::seg(&r.name))
}

/// A page inside registry `r`, with its navigation, its breadcrumb trail (the registries, the
/// registry, then `under`) and the session's sign-out form.
fn page<'a>(
    title: impl Into<String>,
    r: &'a Registry,
    section: html::Section,
    csrf: &'a str,
    under: &[(&str, String)],
) -> Page<'a> {
    let mut p = Page::new(title);
    p.crumbs = vec![
        ("Registries".to_string(), BASE.to_string()),
        (r.name.clone(), registry_href(r)),
    ];
    p.crumbs
        .extend(under.iter().map(|(t, h)| (t.to_string(), h.clone())));
    p.registry = Some((&r.name, section));
    p.csrf = Some(csrf);
    p
}

/// The console creates, never replaces (ARM's PUT would): a create whose name is `taken`
/// already is refused.
fn not_taken<T>(taken: Option<T>, kind: &str, name: &str, r: &Registry) -> StoreResult<()> {
    match taken {
        Some(_) => Err(StoreError::Conflict(format!(
            "A {kind} named '{name}' already exists in registry '{}'.",
            r.name
        ))),
        None => Ok(()),
    }
}

/// `?done=…` after a Post/Redirect/Get: which success notice to show (fixed texts only).
#[derive(serde::Deserialize)]
pub struct Done {
    pub done: Option<String>,
}

impl Done {
    /// The notice of this page's `(done, text)` pairs that `?done=` names; none for a value
    /// the page does not know.
    fn notice(&self, texts: &[(&str, &str)]) -> Option<html::Notice> {
        let done = self.done.as_deref()?;
        let (_, text) = texts.iter().find(|(d, _)| *d == done)?;
        Some(html::Notice::Success(text.to_string()))
    }
}

/// The date-times of tables, as `acr … -o table` prints them.
fn table_date(s: &str) -> String {
    crate::output::transformers::fmt_date(s)
}
