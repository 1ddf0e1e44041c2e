//! Who may use the console. A one-time sign-in secret (in the link `acr-emulator start`
//! prints and `env` reports as `consoleUrl`) is exchanged for a session cookie (`Secure`,
//! `HttpOnly`, `SameSite=Strict`, path `/portal/`); the secret is then replaced by a fresh one
//! and `state.json` (0600) rewritten, so `env` always reports an unused link while the
//! emulator runs. Sessions live in memory only (a restart signs everyone out) and carry a
//! CSRF token that every POST must echo, compared in constant time; POSTs from another origin
//! are refused before that. Requests whose `Host` is not this port on `127.0.0.1`/`localhost`
//! are refused (DNS rebinding). Password-generation forms also carry a single-use nonce, so a
//! reload that re-sends the POST neither shows nor regenerates a password.
//!
//! The extractors [`Session`] (any console page) and [`Posted`] (a state-changing form) are
//! the only way handlers get at a session.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::{FromRequest, FromRequestParts, Query, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::Response;
use sha2::Digest;
use subtle::ConstantTimeEq;

use super::PageError;
use super::html::{Page, esc};
use crate::emulator::AppState;
use crate::emulator::store::secrets::{hex, random_secret};

pub const COOKIE: &str = "acr_console";
/// The query parameter of the sign-in link (listed in `crate::redact` as a secret).
pub const SIGNIN_PARAM: &str = "secret";
const SESSION_LIFETIME: Duration = Duration::from_secs(12 * 3600);
const MAX_SESSIONS: usize = 32;
const MAX_NONCES: usize = 64;
const MAX_FORM: usize = 256 << 10;

struct SessionData {
    csrf: String,
    expires: Instant,
    /// Issued, not yet used nonces of password-generation forms, oldest first.
    nonces: VecDeque<String>,
}

struct Inner {
    signin: String,
    /// Keyed by the SHA-256 of the session id, so the map never holds a usable cookie.
    sessions: HashMap<String, SessionData>,
}

/// The console's sign-in secret and sessions (part of `AppState`).
pub struct Console {
    inner: Mutex<Inner>,
}

impl Default for Console {
    fn default() -> Self {
        Console {
            inner: Mutex::new(Inner {
                signin: random_secret(32),
                sessions: HashMap::new(),
            }),
        }
    }
}

fn key_of(session_id: &str) -> String {
    hex(&sha2::Sha256::digest(session_id.as_bytes()))
}

fn same(a: &str, b: &str) -> bool {
    a.as_bytes().ct_eq(b.as_bytes()).into()
}

impl Console {
    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The current, unused sign-in secret.
    pub fn signin_secret(&self) -> String {
        self.lock().signin.clone()
    }

    /// Exchanges the sign-in secret for a new session id; the secret is replaced.
    fn redeem(&self, candidate: &str) -> Option<String> {
        let mut inner = self.lock();
        if !same(candidate, &inner.signin) {
            return None;
        }
        inner.signin = random_secret(32);
        let now = Instant::now();
        inner.sessions.retain(|_, s| s.expires > now);
        if inner.sessions.len() >= MAX_SESSIONS
            && let Some(oldest) = inner
                .sessions
                .iter()
                .min_by_key(|(_, s)| s.expires)
                .map(|(k, _)| k.clone())
        {
            inner.sessions.remove(&oldest);
        }
        let id = random_secret(32);
        inner.sessions.insert(
            key_of(&id),
            SessionData {
                csrf: random_secret(32),
                expires: now.checked_add(SESSION_LIFETIME).unwrap_or(now),
                nonces: VecDeque::new(),
            },
        );
        Some(id)
    }

    fn lookup(&self, session_id: &str) -> Option<Session> {
        let key = key_of(session_id);
        let mut inner = self.lock();
        match inner.sessions.get(&key) {
            Some(s) if s.expires > Instant::now() => Some(Session {
                key,
                csrf: s.csrf.clone(),
            }),
            Some(_) => {
                inner.sessions.remove(&key);
                None
            }
            None => None,
        }
    }

    fn end(&self, key: &str) {
        self.lock().sessions.remove(key);
    }

    /// A fresh single-use nonce for one password-generation form.
    pub fn issue_nonce(&self, session: &Session) -> String {
        let nonce = random_secret(18);
        if let Some(s) = self.lock().sessions.get_mut(&session.key) {
            if s.nonces.len() >= MAX_NONCES {
                s.nonces.pop_front();
            }
            s.nonces.push_back(nonce.clone());
        }
        nonce
    }

    /// Consumes `nonce`; false when it was never issued to this session or already used.
    pub fn take_nonce(&self, session: &Session, nonce: &str) -> bool {
        let mut inner = self.lock();
        let Some(s) = inner.sessions.get_mut(&session.key) else {
            return false;
        };
        match s.nonces.iter().position(|n| same(n, nonce)) {
            Some(i) => {
                s.nonces.remove(i);
                true
            }
            None => false,
        }
    }
}

/// A signed-in browser.
#[derive(Clone, Debug)]
pub struct Session {
    key: String,
    pub csrf: String,
}

/// Whether the request's host (`Host`, or HTTP/2's `:authority`) names this emulator's main
/// port on a loopback name.
fn host_ok(state: &AppState, uri: &Uri, headers: &HeaderMap) -> bool {
    let port = state.base_url.rsplit(':').next().unwrap_or_default();
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .or_else(|| uri.authority().map(|a| a.as_str()));
    let Some(host) = host else {
        return false;
    };
    ["127.0.0.1", "localhost"]
        .iter()
        .any(|name| host.eq_ignore_ascii_case(&format!("{name}:{port}")))
}

fn cookie_value<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

impl FromRequestParts<Arc<AppState>> for Session {
    type Rejection = PageError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &Arc<AppState>,
    ) -> Result<Self, Self::Rejection> {
        if !host_ok(state, &parts.uri, &parts.headers) {
            return Err(PageError::BadHost);
        }
        cookie_value(&parts.headers, COOKIE)
            .and_then(|id| state.console.lookup(id))
            .ok_or(PageError::SignedOut)
    }
}

/// A submitted form's fields, in order (names repeat for checkboxes).
#[derive(Debug, Default)]
pub struct Form(pub Vec<(String, String)>);

impl Form {
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The field, trimmed; empty when absent.
    pub fn text(&self, name: &str) -> &str {
        self.get(name).unwrap_or("").trim()
    }

    pub fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.0
            .iter()
            .filter(move |(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// A state-changing form from a signed-in browser: same origin, right CSRF token.
pub struct Posted {
    pub session: Session,
    pub form: Form,
}

/// A POST must come from the console's own pages: browsers send `Origin` (and
/// `Sec-Fetch-Site`) with every form POST; a foreign one is refused outright.
fn same_origin(state: &AppState, headers: &HeaderMap) -> bool {
    let port = state.base_url.rsplit(':').next().unwrap_or_default();
    let origin_ok = match headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
        None => true,
        Some(o) => ["127.0.0.1", "localhost"]
            .iter()
            .any(|n| o.eq_ignore_ascii_case(&format!("https://{n}:{port}"))),
    };
    let site_ok = match headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        None => true,
        Some(s) => s == "same-origin" || s == "none",
    };
    origin_ok && site_ok
}

impl FromRequest<Arc<AppState>> for Posted {
    type Rejection = PageError;

    async fn from_request(req: Request, state: &Arc<AppState>) -> Result<Self, Self::Rejection> {
        let (mut parts, body) = req.into_parts();
        let session = Session::from_request_parts(&mut parts, state).await?;
        if !same_origin(state, &parts.headers) {
            return Err(PageError::Forbidden(
                "This form was sent from another site. Nothing was changed.".into(),
            ));
        }
        let form_type = parts
            .headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|c| c.starts_with("application/x-www-form-urlencoded"));
        let bytes = axum::body::to_bytes(body, MAX_FORM)
            .await
            .map_err(|_| PageError::BadRequest("The form is too large.".into()))?;
        if !form_type {
            return Err(PageError::BadRequest(
                "Expected an HTML form (application/x-www-form-urlencoded).".into(),
            ));
        }
        let form = Form(
            url::form_urlencoded::parse(&bytes)
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect(),
        );
        let sent = form.get("csrf_token").unwrap_or("");
        if !same(sent, &session.csrf) {
            return Err(PageError::Forbidden(
                "The form's security token is missing or wrong (the page may be stale). Nothing was changed; reload the page and try again.".into(),
            ));
        }
        Ok(Posted { session, form })
    }
}

#[derive(serde::Deserialize)]
pub struct SigninQuery {
    secret: Option<String>,
}

/// `GET /portal/signin?secret=…`: the one GET that changes state, because a link is a GET.
/// It only consumes the sign-in secret (and rewrites `state.json` with the next one).
pub async fn signin(
    State(state): State<Arc<AppState>>,
    uri: Uri,
    headers: HeaderMap,
    Query(q): Query<SigninQuery>,
) -> Result<Response, PageError> {
    if !host_ok(&state, &uri, &headers) {
        return Err(PageError::BadHost);
    }
    let Some(id) = q.secret.as_deref().and_then(|s| state.console.redeem(s)) else {
        // An open session is not an error: the link was simply used already.
        if let Some(id) = cookie_value(&headers, COOKIE)
            && state.console.lookup(id).is_some()
        {
            return Ok(super::see_other("/portal/"));
        }
        return Err(PageError::SigninRefused);
    };
    state.write_state_file().await;
    let mut resp = super::see_other("/portal/");
    let cookie = format!("{COOKIE}={id}; Path=/portal/; Secure; HttpOnly; SameSite=Strict");
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        resp.headers_mut().insert(header::SET_COOKIE, v);
    }
    Ok(resp)
}

/// `POST /portal/signout`: ends the session and expires the cookie.
pub async fn signout(State(state): State<Arc<AppState>>, posted: Posted) -> Response {
    state.console.end(&posted.session.key);
    let page = Page::new("Signed out");
    let body = format!(
        "<p>You are signed out. To sign in again, open the link that <code>{}</code> prints.</p>",
        esc("acr-emulator env --format json")
    );
    let mut resp = super::html_response(StatusCode::OK, page.render(&body));
    resp.headers_mut().insert(
        header::SET_COOKIE,
        HeaderValue::from_static(
            "acr_console=; Path=/portal/; Secure; HttpOnly; SameSite=Strict; Max-Age=0",
        ),
    );
    resp
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_signin_secret_works_once_and_is_replaced() {
        let c = Console::default();
        let first = c.signin_secret();
        assert!(c.redeem("wrong").is_none());
        let id = c.redeem(&first).expect("first use signs in");
        assert!(c.redeem(&first).is_none(), "a used secret is refused");
        let next = c.signin_secret();
        assert_ne!(next, first);
        let s = c.lookup(&id).expect("session");
        assert_eq!(s.csrf.len(), 43);
        assert!(c.lookup("not-a-session").is_none());
        c.end(&s.key);
        assert!(c.lookup(&id).is_none());
        assert!(c.redeem(&next).is_some());
    }

    #[test]
    fn nonces_are_single_use_and_per_session() {
        let c = Console::default();
        let a = c.lookup(&c.redeem(&c.signin_secret()).unwrap()).unwrap();
        let b = c.lookup(&c.redeem(&c.signin_secret()).unwrap()).unwrap();
        let n = c.issue_nonce(&a);
        assert!(!c.take_nonce(&b, &n), "another session's nonce");
        assert!(c.take_nonce(&a, &n));
        assert!(!c.take_nonce(&a, &n), "used twice");
        assert!(!c.take_nonce(&a, ""));
    }

    #[test]
    fn sessions_are_bounded() {
        let c = Console::default();
        let ids: Vec<String> = (0..MAX_SESSIONS + 3)
            .map(|_| c.redeem(&c.signin_secret()).unwrap())
            .collect();
        assert_eq!(c.lock().sessions.len(), MAX_SESSIONS);
        assert!(c.lookup(ids.last().unwrap()).is_some());
    }

    #[test]
    fn cookies_are_found_among_others() {
        let mut h = HeaderMap::new();
        h.insert(
            header::COOKIE,
            HeaderValue::from_static("a=1; acr_console=xyz; b=2"),
        );
        assert_eq!(cookie_value(&h, COOKIE), Some("xyz"));
        assert_eq!(cookie_value(&h, "c"), None);
    }
}
