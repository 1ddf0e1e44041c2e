//! The registry data plane (`https://{loginServer}/v2/…`, `/acr/v1/…`, `/oauth2/…`), as az's
//! `_docker_utils` drives it: login-server resolution through ARM (falling back to
//! `{name}{cloud suffix}`), one `/v2/` probe that is also the challenge (D8), the token flows
//! (Basic, `grant_type=password`, the `/oauth2/exchange` → `refresh_token` flow for an Entra
//! identity, the admin user), `Link` paging and az's error texts without timestamps (D9).
//! Access tokens are cached per scope in a 0600 file until shortly before they expire.

use std::collections::BTreeMap;
use std::path::PathBuf;

use base64::Engine;
use reqwest::{Method, StatusCode};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::Digest;

use super::arm::{Arm, RegistryRef};
use super::auth::{Credential, jwt_claims};
use super::encode;
use super::http;
use crate::config::{Config, write_atomic};
use crate::error::{Error, Result};
use crate::io::Diag;

/// The username az uses for a bearer token carried as a (username, password) pair.
pub const EMPTY_GUID: &str = "00000000-0000-0000-0000-000000000000";
/// The Entra audience of ACR, used for the `/oauth2/exchange` flow.
pub const ACR_AUDIENCE: &str = "https://containerregistry.azure.net";
const PAGE_SIZE: i64 = 100;
const MAX_ATTEMPTS: u32 = 3;

/// What a data-plane command asks the token server for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// `registry:catalog:*` (catalog has only `*`, even to read).
    Catalog,
    /// `repository:{name}:{actions}`.
    Repository { name: String, actions: &'static str },
}

impl Scope {
    pub fn as_string(&self) -> String {
        match self {
            Scope::Catalog => "registry:catalog:*".to_owned(),
            Scope::Repository { name, actions } => format!("repository:{name}:{actions}"),
        }
    }
}

/// How requests to the registry are authorised.
#[derive(Clone)]
pub enum RegistryAuth {
    Basic { username: String, password: String },
    Bearer(String),
}

impl RegistryAuth {
    fn header(&self) -> String {
        match self {
            RegistryAuth::Basic { username, password } => {
                format!(
                    "Basic {}",
                    base64::engine::general_purpose::STANDARD
                        .encode(format!("{username}:{password}"))
                )
            }
            RegistryAuth::Bearer(token) => format!("Bearer {token}"),
        }
    }
}

/// An authenticated data-plane session with one registry.
pub struct Registry {
    http: reqwest::Client,
    pub login_server: String,
    auth: RegistryAuth,
    diag: Diag,
}

/// One response of the registry, read completely.
struct Answer {
    body: Option<Value>,
    link: Option<String>,
}

impl Registry {
    pub fn new(
        http: reqwest::Client,
        login_server: String,
        auth: RegistryAuth,
        diag: Diag,
    ) -> Registry {
        Registry {
            http,
            login_server,
            auth,
            diag,
        }
    }

    /// az's `request_data_from_registry`: one request, retried on connection errors and
    /// unexpected statuses, with 401/404/405/409 failing at once with az's texts.
    async fn request(
        &self,
        method: Method,
        path: &str,
        query: &[(String, String)],
        body: Option<&Value>,
    ) -> Result<Answer> {
        let url = format!("https://{}{path}", self.login_server);
        let payload = body
            .map(|b| serde_json::to_vec(b).unwrap_or_default())
            .unwrap_or_default();
        let mut last_error = String::new();
        for attempt in 1..=MAX_ATTEMPTS {
            let mut request = self
                .http
                .request(method.clone(), &url)
                .query(query)
                .header("Authorization", self.auth.header());
            if body.is_some() {
                request = request
                    .header("Content-Type", "application/json")
                    .body(payload.clone());
            }
            let request = request.build().map_err(|e| Error::Other(e.into()))?;
            http::log_request(
                &self.diag,
                request.method(),
                request.url().as_str(),
                request.headers(),
                &payload,
            );
            let outcome: std::result::Result<(), String> = match self.http.execute(request).await {
                Ok(response) => {
                    let status = response.status();
                    let headers = response.headers().clone();
                    let raw = response
                        .bytes()
                        .await
                        .map(|b| b.to_vec())
                        .unwrap_or_default();
                    http::log_response(&self.diag, status, &headers, &raw);
                    let body: Option<Value> = serde_json::from_slice(&raw).ok();
                    let correlation = headers
                        .get("x-ms-correlation-request-id")
                        .and_then(|v| v.to_str().ok())
                        .map(str::to_owned);
                    let fail = |default: &str| Error::Registry {
                        status: Some(status.as_u16()),
                        message: error_message(default, body.as_ref(), correlation.as_deref()),
                    };
                    match status.as_u16() {
                        200 | 201 | 202 | 204 => {
                            let link = headers
                                .get("link")
                                .and_then(|v| v.to_str().ok())
                                .map(str::to_owned);
                            return Ok(Answer {
                                body: if status == StatusCode::NO_CONTENT {
                                    None
                                } else {
                                    body
                                },
                                link,
                            });
                        }
                        401 => return Err(denied(fail("Authentication required."), body.as_ref())),
                        403 => {
                            return Err(denied(
                                fail(&format!(
                                    "Could not {} the requested data.",
                                    method.as_str().to_lowercase()
                                )),
                                body.as_ref(),
                            ));
                        }
                        404 => return Err(fail("The requested data does not exist.")),
                        405 => return Err(fail("This operation is not supported.")),
                        409 => return Err(fail("Failed to request data due to a conflict.")),
                        _ => Err(error_message(
                            &format!(
                                "Could not {} the requested data.",
                                method.as_str().to_lowercase()
                            ),
                            body.as_ref(),
                            correlation.as_deref(),
                        )),
                    }
                }
                Err(e) => Err(format!("{e}")),
            };
            if let Err(message) = outcome {
                last_error = message;
                if attempt < MAX_ATTEMPTS {
                    let wait = http::retry_delay(attempt, None);
                    self.diag
                        .debug(&format!("Retrying {attempt} with exception {last_error}"));
                    tokio::time::sleep(wait).await;
                }
            }
        }
        Err(Error::Registry {
            status: None,
            message: last_error,
        })
    }

    /// GET and return `body[index]` (or the body), plus the `Link` header.
    async fn get(
        &self,
        path: &str,
        query: &[(String, String)],
        index: Option<&str>,
    ) -> Result<(Value, Option<String>)> {
        let answer = self.request(Method::GET, path, query, None).await?;
        let body = answer.body.unwrap_or(Value::Null);
        let value = match index {
            Some(key) => body.get(key).cloned().unwrap_or(Value::Null),
            None => body,
        };
        Ok((value, answer.link))
    }

    /// az's `_obtain_data_from_registry`: `n=100` (or what is left of `--top`) per page, the
    /// `Link` header's query replacing every parameter of the next request on the same path.
    async fn paged(
        &self,
        path: &str,
        index: &str,
        top: Option<i64>,
        orderby: Option<&str>,
    ) -> Result<Vec<Value>> {
        let mut items = Vec::new();
        let mut params: Vec<(String, String)> = vec![("n".into(), PAGE_SIZE.to_string())];
        if let Some(order) = orderby {
            params.push(("orderby".into(), order.to_owned()));
        }
        let mut remaining = top;
        loop {
            if let Some(left) = remaining.as_mut() {
                let n = if *left > PAGE_SIZE { PAGE_SIZE } else { *left };
                set_param(&mut params, "n", &n.to_string());
                *left -= n;
            }
            let (page, link) = self.get(path, &params, Some(index)).await?;
            if let Value::Array(page) = page {
                items.extend(page);
            }
            if remaining.is_some_and(|left| left <= 0) {
                break;
            }
            match link.as_deref().and_then(link_params) {
                Some(next) => params = next,
                None => break,
            }
        }
        Ok(items)
    }
}

/// What `repository show` and `repository update` address: a repository's attributes, a
/// tag's or a manifest's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Attributes {
    Repository(String),
    Tag { repository: String, tag: String },
    Manifest { repository: String, digest: String },
}

impl Attributes {
    pub fn repository(&self) -> &str {
        match self {
            Attributes::Repository(repository)
            | Attributes::Tag { repository, .. }
            | Attributes::Manifest { repository, .. } => repository,
        }
    }

    /// The `/acr/v1` path and the key of the answer that holds the attributes.
    fn location(&self) -> (String, Option<&'static str>) {
        let base = format!("/acr/v1/{}", encode::repository(self.repository()));
        match self {
            Attributes::Repository(_) => (base, None),
            Attributes::Tag { tag, .. } => (
                format!("{base}/_tags/{}", encode::reference(tag)),
                Some("tag"),
            ),
            Attributes::Manifest { digest, .. } => (
                format!("{base}/_manifests/{}", encode::reference(digest)),
                Some("manifest"),
            ),
        }
    }
}

/// `body[index]` (or the body), `None` when there was no body.
fn indexed(body: Option<Value>, index: Option<&str>) -> Option<Value> {
    let body = body?;
    match index {
        Some(key) => Some(body.get(key).cloned().unwrap_or(Value::Null)),
        None => Some(body),
    }
}

/// The typed data-plane operations the commands use, with every path built here.
impl Registry {
    /// `GET /v2/_catalog`, paged: repository names.
    pub async fn catalog(&self, top: Option<i64>) -> Result<Vec<Value>> {
        self.paged("/v2/_catalog", "repositories", top, None).await
    }

    /// `GET /acr/v1/{repository}/_tags`, paged: tag attributes (`orderby` is `timeasc` or
    /// `timedesc`).
    pub async fn tags(
        &self,
        repository: &str,
        top: Option<i64>,
        orderby: Option<&str>,
    ) -> Result<Vec<Value>> {
        let path = format!("/acr/v1/{}/_tags", encode::repository(repository));
        self.paged(&path, "tags", top, orderby).await
    }

    /// `GET /v2/{repository}/tags/list`, paged: tag names (registries without `/acr/v1`).
    pub async fn tag_names(&self, repository: &str) -> Result<Vec<Value>> {
        let path = format!("/v2/{}/tags/list", encode::repository(repository));
        self.paged(&path, "tags", None, None).await
    }

    /// `GET /acr/v1/{repository}/_manifests`, paged: manifest attributes.
    pub async fn manifests(
        &self,
        repository: &str,
        top: Option<i64>,
        orderby: Option<&str>,
    ) -> Result<Vec<Value>> {
        let path = format!("/acr/v1/{}/_manifests", encode::repository(repository));
        self.paged(&path, "manifests", top, orderby).await
    }

    /// `GET` the attributes of `target`.
    pub async fn attributes(&self, target: &Attributes) -> Result<Option<Value>> {
        let (path, index) = target.location();
        let answer = self.request(Method::GET, &path, &[], None).await?;
        Ok(indexed(answer.body, index))
    }

    /// `PATCH` the attributes of `target` with `changes` (`deleteEnabled`, …); the new ones.
    pub async fn update_attributes(
        &self,
        target: &Attributes,
        changes: &serde_json::Map<String, Value>,
    ) -> Result<Option<Value>> {
        let (path, index) = target.location();
        let body = Value::Object(changes.clone());
        let answer = self.request(Method::PATCH, &path, &[], Some(&body)).await?;
        Ok(indexed(answer.body, index))
    }

    /// `GET /acr/v1/{repository}/_tags/{tag}`: the tag's attributes.
    pub async fn tag(&self, repository: &str, tag: &str) -> Result<Value> {
        let target = Attributes::Tag {
            repository: repository.to_owned(),
            tag: tag.to_owned(),
        };
        let (path, index) = target.location();
        Ok(self.get(&path, &[], index).await?.0)
    }

    /// `DELETE /acr/v1/{repository}/_tags/{tag}`.
    pub async fn untag(&self, repository: &str, tag: &str) -> Result<Option<Value>> {
        let target = Attributes::Tag {
            repository: repository.to_owned(),
            tag: tag.to_owned(),
        };
        self.delete(&target.location().0).await
    }

    /// `DELETE /v2/{repository}/manifests/{digest}`.
    pub async fn delete_manifest(&self, repository: &str, digest: &str) -> Result<Option<Value>> {
        let path = format!(
            "/v2/{}/manifests/{}",
            encode::repository(repository),
            encode::reference(digest)
        );
        self.delete(&path).await
    }

    /// `DELETE /acr/v1/{repository}`: the repository and every image in it.
    pub async fn delete_repository(&self, repository: &str) -> Result<Option<Value>> {
        let target = Attributes::Repository(repository.to_owned());
        self.delete(&target.location().0).await
    }

    async fn delete(&self, path: &str) -> Result<Option<Value>> {
        Ok(self.request(Method::DELETE, path, &[], None).await?.body)
    }
}

fn set_param(params: &mut Vec<(String, String)>, key: &str, value: &str) {
    match params.iter_mut().find(|(k, _)| k == key) {
        Some(entry) => entry.1 = value.to_owned(),
        None => params.push((key.to_owned(), value.to_owned())),
    }
}

/// The query of `<…?a=b&c=d>; rel="next"` as decoded pairs (az ignores the link's path).
fn link_params(link: &str) -> Option<Vec<(String, String)>> {
    let start = link.find('<')? + 1;
    let end = link[start..].find('>')? + start;
    let (_, query) = link[start..end].split_once('?')?;
    Some(
        query
            .split('&')
            .filter_map(|pair| pair.split_once('='))
            .map(|(k, v)| {
                (
                    k.to_owned(),
                    percent_encoding::percent_decode_str(v)
                        .decode_utf8_lossy()
                        .into_owned(),
                )
            })
            .collect(),
    )
}

/// az's `parse_error_message`: the server's `errors[0].message` (and a string `detail`), a
/// final period, and the correlation id, without az's timestamp (D9).
fn error_message(default: &str, body: Option<&Value>, correlation: Option<&str>) -> String {
    let server = body.and_then(|b| b.get("errors")).and_then(|e| e.get(0));
    let mut message = match server
        .and_then(|e| e.get("message"))
        .and_then(Value::as_str)
    {
        Some(text) => match server.and_then(|e| e.get("detail")).and_then(Value::as_str) {
            Some(detail) => format!("Error: {text} Detail: {detail}"),
            None => format!("Error: {text}"),
        },
        None => default.to_owned(),
    };
    if !message.ends_with('.') {
        message.push('.');
    }
    match correlation {
        Some(id) => format!("{message} Correlation ID: {id}."),
        None => message,
    }
}

/// Adds the action the registry reported as missing (ACR's `detail` array) to a refusal, so a
/// user sees which scope-map action the token lacks.
fn denied(error: Error, body: Option<&Value>) -> Error {
    let Error::Registry { status, message } = error else {
        return error;
    };
    let details = body
        .and_then(|b| b.pointer("/errors/0/detail"))
        .and_then(Value::as_array);
    let missing: Vec<String> = details
        .into_iter()
        .flatten()
        .filter_map(|d| {
            let action = d.get("Action").and_then(Value::as_str)?;
            let name = d.get("Name").and_then(Value::as_str).unwrap_or_default();
            let kind = d
                .get("Type")
                .and_then(Value::as_str)
                .unwrap_or("repository");
            Some(format!("'{action}' on {kind} '{name}'"))
        })
        .collect();
    if missing.is_empty() {
        return Error::Registry { status, message };
    }
    // differs from az (stderr only): az prints only the server's message.
    Error::Registry {
        status,
        message: format!(
            "{message}\nThe credentials used do not grant {}.",
            missing.join(", ")
        ),
    }
}

/// The `An error occurred: TITLE\nmessage` errors of az's connectivity checks, without the
/// timestamp (D9).
fn connectivity(title: &str, message: String) -> Error {
    Error::cli(format!("An error occurred: {title}\n{message}"))
}

/// What connecting to a registry needs from the invocation, passed in explicitly.
pub struct Session<'a> {
    pub config: &'a Config,
    pub diag: &'a Diag,
    pub http: reqwest::Client,
    /// The cloud's registry suffix (`.azurecr.io`), for a login server ARM does not know.
    pub acr_suffix: &'a str,
    /// The management client, or why there is none (nobody signed in falls back to the
    /// suffix guess and admin/token credentials, as az does).
    pub arm: Result<Arm>,
}

/// Where the data-plane session comes from: the command's arguments.
pub struct Login<'a> {
    pub name: &'a str,
    pub suffix: Option<&'a str>,
    pub username: Option<&'a str>,
    pub password: Option<&'a str>,
}

/// The outcome of resolving a registry in ARM.
struct Resolved {
    login_server: String,
    /// The registry and its resource, when ARM knows it.
    registry: Option<(RegistryRef, Value)>,
    not_found: Option<String>,
}

/// The `WWW-Authenticate` challenge of `GET /v2/`.
enum Challenge {
    Basic,
    Bearer { realm: String, service: String },
}

/// Resolves the login server and authenticates for `scope` (az's `get_access_credentials`);
/// without a scope (for `acr login`), also returns the (username, password) pair clients log
/// in with. The caller has checked that a password comes with a username.
pub async fn connect(
    session: Session<'_>,
    login: &Login<'_>,
    scope: Option<Scope>,
) -> Result<(Registry, Option<(String, String)>)> {
    let Session {
        config,
        diag,
        http,
        acr_suffix,
        arm,
    } = session;
    // Nobody signed in is no error yet: az guesses the login server and tries other
    // credentials. Any other failure of the management client is.
    let arm: std::result::Result<Arm, String> = match arm {
        Ok(arm) => Ok(arm),
        Err(Error::Cli(message)) if message.starts_with("Please run 'acr account login'") => {
            Err(message)
        }
        Err(e) => return Err(e),
    };
    let resolved = match &arm {
        Ok(arm) => resolve(config, diag, arm, acr_suffix, login).await?,
        Err(why) => Resolved {
            login_server: guess(login, acr_suffix),
            registry: None,
            not_found: Some(why.clone()),
        },
    };
    let diag = diag.clone();
    let challenge = probe(&http, &diag, &resolved, login.name).await?;
    let login_server = resolved.login_server.clone();

    if let Some(username) = login.username {
        let password = match login.password {
            Some(p) => p.to_owned(),
            None => {
                return Err(Error::cli(
                    "Please specify both username and password in non-interactive mode.",
                ));
            }
        };
        let Some(scope) = scope else {
            return Ok((
                Registry::new(
                    http,
                    login_server,
                    RegistryAuth::Basic {
                        username: username.into(),
                        password: password.clone(),
                    },
                    diag,
                ),
                Some((username.to_owned(), password)),
            ));
        };
        let auth = match &challenge {
            Challenge::Basic => RegistryAuth::Basic {
                username: username.to_owned(),
                password,
            },
            Challenge::Bearer { realm, service } => {
                let cache = TokenCache::new(config);
                let key = cache.key(
                    &login_server,
                    &format!("user:{username}:{}", digest(&password)),
                    &scope,
                );
                match cache.get(&key) {
                    Some(token) => RegistryAuth::Bearer(token),
                    None => {
                        let form = [
                            ("service", service.as_str()),
                            ("grant_type", "password"),
                            ("username", username),
                            ("password", password.as_str()),
                            ("scope", &scope.as_string()),
                        ];
                        let token = token_request(
                            &http,
                            &diag,
                            realm,
                            "/oauth2/token",
                            &form,
                            &login_server,
                            "CONNECTIVITY_ACCESS_TOKEN_ERROR",
                            "access_token",
                        )
                        .await?;
                        cache.put(&key, &token);
                        RegistryAuth::Bearer(token)
                    }
                }
            }
        };
        return Ok((Registry::new(http, login_server, auth, diag), None));
    }

    let managed = resolved.registry.as_ref().is_none_or(|(_, r)| {
        r.pointer("/sku/name")
            .and_then(Value::as_str)
            .is_some_and(|s| ["basic", "standard", "premium"].contains(&s.to_lowercase().as_str()))
    });
    if managed {
        let entra = entra_flow(
            config,
            &http,
            &diag,
            arm.as_ref(),
            &challenge,
            &login_server,
            scope.as_ref(),
        );
        match entra.await {
            Ok(EntraOutcome::Access(token)) => {
                return Ok((
                    Registry::new(http, login_server, RegistryAuth::Bearer(token), diag),
                    None,
                ));
            }
            Ok(EntraOutcome::Refresh(token)) => {
                let pair = (EMPTY_GUID.to_owned(), token.clone());
                return Ok((
                    Registry::new(http, login_server, RegistryAuth::Bearer(token), diag),
                    Some(pair),
                ));
            }
            Err(e) => {
                let text = e.to_string();
                if text.contains("CONNECTIVITY_TOOMANYREQUESTS_ERROR") {
                    return Err(Error::cli(format!(
                        "Unable to get AAD authorization tokens with message: {text}"
                    )));
                }
                diag.warn(&format!(
                    "Unable to get AAD authorization tokens with message: {text}"
                ));
            }
        }
    }
    match (&resolved.registry, &arm) {
        (Some((registry, resource)), Ok(arm))
            if resource
                .pointer("/properties/adminUserEnabled")
                .and_then(Value::as_bool)
                == Some(true) =>
        {
            let credentials = arm.list_credentials(registry).await?;
            let username = credentials
                .get("username")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned();
            let password = credentials
                .pointer("/passwords/0/value")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned();
            let pair = (username.clone(), password.clone());
            return Ok((
                Registry::new(
                    http,
                    login_server,
                    RegistryAuth::Basic { username, password },
                    diag,
                ),
                Some(pair),
            ));
        }
        (Some(_), _) => {
            diag.warn("Unable to get admin user credentials with message: Admin user is disabled.")
        }
        (None, _) => diag.warn(&format!(
            "Unable to get admin user credentials with message: {}",
            resolved.not_found.clone().unwrap_or_default()
        )),
    }
    Err(Error::cli(
        "Unable to authenticate using AAD or admin login credentials. Please specify both username and password in non-interactive mode.",
    ))
}

enum EntraOutcome {
    Access(String),
    Refresh(String),
}

/// `/oauth2/exchange` (Entra token → ACR refresh token), then `/oauth2/token` for the scope.
async fn entra_flow(
    config: &Config,
    http: &reqwest::Client,
    diag: &Diag,
    arm: std::result::Result<&Arm, &String>,
    challenge: &Challenge,
    login_server: &str,
    scope: Option<&Scope>,
) -> Result<EntraOutcome> {
    let Challenge::Bearer { realm, service } = challenge else {
        return Err(connectivity(
            "CONNECTIVITY_AAD_LOGIN_ERROR",
            format!("Registry '{login_server}' does not support AAD login."),
        ));
    };
    let arm = arm.map_err(|why| Error::cli(why.clone()))?;
    let credential: &Credential = arm.credential();
    let audience = config
        .get("acr", "audience_resource")
        .map(|a| {
            if a.starts_with("https://") {
                a
            } else {
                format!("https://{a}.azure.net")
            }
        })
        .unwrap_or_else(|| ACR_AUDIENCE.to_owned());
    let cache = TokenCache::new(config);
    let identity = format!(
        "entra:{}:{}",
        credential.source.describe(),
        credential.source.client_id().unwrap_or("")
    );
    if let Some(scope) = scope {
        let key = cache.key(login_server, &identity, scope);
        if let Some(token) = cache.get(&key) {
            return Ok(EntraOutcome::Access(token));
        }
    }
    let entra = credential.token(&audience).await?;
    let tenant = credential
        .source
        .tenant()
        .map(str::to_owned)
        .or_else(|| entra.tenant.clone())
        .or_else(|| {
            jwt_claims(&entra.token)
                .and_then(|c| c.get("tid").and_then(Value::as_str).map(str::to_owned))
        })
        .unwrap_or_default();
    let form = [
        ("grant_type", "access_token"),
        ("service", service.as_str()),
        ("tenant", tenant.as_str()),
        ("access_token", entra.token.as_str()),
    ];
    let refresh = token_request(
        http,
        diag,
        realm,
        "/oauth2/exchange",
        &form,
        login_server,
        "CONNECTIVITY_REFRESH_TOKEN_ERROR",
        "refresh_token",
    )
    .await?;
    let Some(scope) = scope else {
        return Ok(EntraOutcome::Refresh(refresh));
    };
    let scope_text = scope.as_string();
    let form = [
        ("grant_type", "refresh_token"),
        ("service", login_server),
        ("scope", scope_text.as_str()),
        ("refresh_token", refresh.as_str()),
    ];
    let access = token_request(
        http,
        diag,
        realm,
        "/oauth2/token",
        &form,
        login_server,
        "CONNECTIVITY_ACCESS_TOKEN_ERROR",
        "access_token",
    )
    .await?;
    cache.put(&cache.key(login_server, &identity, scope), &access);
    Ok(EntraOutcome::Access(access))
}

/// POSTs a form to the realm's host at a fixed path (az ignores the realm's path) and reads one
/// field of the JSON answer.
#[allow(clippy::too_many_arguments)]
async fn token_request(
    http: &reqwest::Client,
    diag: &Diag,
    realm: &str,
    path: &str,
    form: &[(&str, &str)],
    login_server: &str,
    title: &str,
    field: &str,
) -> Result<String> {
    let base = reqwest::Url::parse(realm).map_err(|_| connectivity("CONNECTIVITY_WWW_AUTHENTICATE_ERROR", format!("Registry '{login_server}' did not ask properly for a basic or a bearer authentication.")))?;
    let url = format!(
        "{}://{}{path}",
        base.scheme(),
        base.host_str().unwrap_or_default().to_owned()
            + &base.port().map(|p| format!(":{p}")).unwrap_or_default()
    );
    let request = http
        .post(&url)
        .form(form)
        .build()
        .map_err(|e| Error::Other(e.into()))?;
    let body = request
        .body()
        .and_then(|b| b.as_bytes())
        .unwrap_or_default()
        .to_vec();
    http::log_request(
        diag,
        request.method(),
        request.url().as_str(),
        request.headers(),
        &body,
    );
    let response = http
        .execute(request)
        .await
        .map_err(|e| Error::Other(anyhow::Error::new(e).context(format!("POST {url}"))))?;
    let status = response.status();
    let headers = response.headers().clone();
    let raw = response
        .bytes()
        .await
        .map(|b| b.to_vec())
        .unwrap_or_default();
    http::log_response(diag, status, &headers, &raw);
    if status == StatusCode::TOO_MANY_REQUESTS {
        return Err(connectivity(
            "CONNECTIVITY_TOOMANYREQUESTS_ERROR",
            format!(
                "Too many requests, access to registry '{login_server}' was denied. Please wait a moment before trying again."
            ),
        ));
    }
    if status != StatusCode::OK {
        return Err(connectivity(
            title,
            format!(
                "Access to registry '{login_server}' was denied. Response code: {}. Please try running 'az login' again to refresh permissions.",
                status.as_u16()
            ),
        ));
    }
    serde_json::from_slice::<Value>(&raw)
        .ok()
        .and_then(|v| v.get(field).and_then(Value::as_str).map(str::to_owned))
        .ok_or_else(|| {
            Error::cli(format!(
                "The registry '{login_server}' returned no {field}."
            ))
        })
}

/// `{name}[-{suffix}]{cloud suffix}`, lower-cased: the login server of a registry ARM does
/// not know (or nobody signed in to ask).
fn guess(login: &Login<'_>, acr_suffix: &str) -> String {
    format!(
        "{}{}{acr_suffix}",
        login.name,
        login.suffix.map(|s| format!("-{s}")).unwrap_or_default(),
    )
    .to_lowercase()
}

/// Finds the registry in ARM (cache first, D6); when it is not there, the login server is
/// guessed from the name and the cloud's suffix.
async fn resolve(
    config: &Config,
    diag: &Diag,
    arm: &Arm,
    acr_suffix: &str,
    login: &Login<'_>,
) -> Result<Resolved> {
    let cache = super::arm::discovery::Cache::new(config);
    let located = super::arm::discovery::locate(arm, &cache, login.name, None).await;
    let registry = match located {
        Ok(registry) => registry,
        Err(Error::Cli(message)) if message.contains("could not be found") => {
            return Ok(Resolved {
                login_server: guess(login, acr_suffix),
                registry: None,
                not_found: Some(message),
            });
        }
        Err(e) => return Err(e),
    };
    let mut registry = registry;
    let resource = match arm.get_registry(&registry).await {
        Ok(resource) => resource,
        Err(Error::Arm(e)) if e.status == 404 && registry.from_cache => {
            match super::arm::discovery::refresh(arm, &cache, &registry).await? {
                Some(fresh) => {
                    registry = fresh;
                    arm.get_registry(&registry).await?
                }
                None => return Err(Error::Arm(e)),
            }
        }
        Err(Error::Arm(e)) if e.status == 404 => {
            return Ok(Resolved {
                login_server: guess(login, acr_suffix),
                registry: None,
                not_found: Some(e.to_string()),
            });
        }
        Err(e) => return Err(e),
    };
    let login_server = resource
        .pointer("/properties/loginServer")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    if let Some(suffix) = login.suffix {
        diag.warn(&format!("Obtained registry login server '{login_server}' from service. The specified suffix '{suffix}' is ignored."));
    }
    Ok(Resolved {
        login_server,
        registry: Some((registry, resource)),
        not_found: None,
    })
}

/// The one unauthenticated `GET /v2/` (D8): reachability, firewall, and the challenge.
async fn probe(
    http: &reqwest::Client,
    diag: &Diag,
    resolved: &Resolved,
    name: &str,
) -> Result<Challenge> {
    let login_server = &resolved.login_server;
    let url = format!("https://{login_server}/v2/");
    let request = http.get(&url).build().map_err(|e| Error::Other(e.into()))?;
    http::log_request(
        diag,
        request.method(),
        request.url().as_str(),
        request.headers(),
        &[],
    );
    let response = match http.execute(request).await {
        Ok(response) => {
            http::log_response(diag, response.status(), response.headers(), &[]);
            response
        }
        Err(e) => {
            diag.debug(&format!(
                "Could not connect to registry login server. Exception: {e}"
            ));
            if let Some(not_found) = &resolved.not_found {
                diag.warn(&format!(
                    "{not_found}\nUsing '{login_server}' as the default registry login server."
                ));
            }
            return Err(Error::cli(format!(
                "Could not connect to the registry login server '{login_server}'. Please verify that the registry exists and the URL '{url}' is reachable from your environment.\nTry running 'az acr check-health -n {name} --yes' to diagnose this issue."
            )));
        }
    };
    if response.status() == StatusCode::FORBIDDEN {
        // az-compat: no space before "Please refer".
        return Err(Error::cli(format!(
            "Looks like you don't have access to registry '{login_server}'. To see configured firewall rules, run 'az acr show --query networkRuleSet --name {name}'. To see if public network access is enabled, run 'az acr show --query publicNetworkAccess'.Please refer to https://aka.ms/acr/errors#connectivity_forbidden_error for more information."
        )));
    }
    let header = response
        .headers()
        .get("www-authenticate")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let (StatusCode::UNAUTHORIZED, Some(header)) = (response.status(), header) else {
        return Err(connectivity(
            "CONNECTIVITY_CHALLENGE_ERROR",
            format!("Registry '{login_server}' did not issue a challenge."),
        ));
    };
    parse_challenge(&header).ok_or_else(|| {
        connectivity("CONNECTIVITY_WWW_AUTHENTICATE_ERROR", format!("Registry '{login_server}' did not ask properly for a basic or a bearer authentication."))
    })
}

fn parse_challenge(header: &str) -> Option<Challenge> {
    let (scheme, params) = header.split_once(' ').unwrap_or((header, ""));
    if scheme.eq_ignore_ascii_case("basic") {
        return Some(Challenge::Basic);
    }
    if !scheme.eq_ignore_ascii_case("bearer") {
        return None;
    }
    let mut realm = None;
    let mut service = None;
    for part in params.split(',') {
        if let Some((k, v)) = part.trim().split_once('=') {
            let v = v.trim_matches('"').to_owned();
            match k.trim() {
                "realm" => realm = Some(v),
                "service" => service = Some(v),
                _ => {}
            }
        }
    }
    Some(Challenge::Bearer {
        realm: realm?,
        service: service?,
    })
}

fn digest(secret: &str) -> String {
    let hash = sha2::Sha256::digest(secret.as_bytes());
    hash.iter().take(12).map(|b| format!("{b:02x}")).collect()
}

/// Registry access tokens per (login server, identity, scope), until a minute before `exp`.
struct TokenCache {
    path: PathBuf,
}

#[derive(Serialize, Deserialize)]
struct CachedToken {
    token: String,
    expires_on: i64,
}

impl TokenCache {
    fn new(config: &Config) -> TokenCache {
        TokenCache {
            path: config.dir().join("registry-tokens.json"),
        }
    }

    fn key(&self, login_server: &str, identity: &str, scope: &Scope) -> String {
        format!("{login_server}|{identity}|{}", scope.as_string())
    }

    fn read(&self) -> BTreeMap<String, CachedToken> {
        std::fs::read(&self.path)
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or_default()
    }

    fn get(&self, key: &str) -> Option<String> {
        let now = now();
        self.read()
            .remove(key)
            .filter(|t| t.expires_on - 60 > now)
            .map(|t| t.token)
    }

    fn put(&self, key: &str, token: &str) {
        let Some(expires_on) = jwt_claims(token).and_then(|c| c.get("exp").and_then(Value::as_i64))
        else {
            return;
        };
        let now = now();
        let mut all = self.read();
        all.retain(|_, t| t.expires_on > now);
        all.insert(
            key.to_owned(),
            CachedToken {
                token: token.to_owned(),
                expires_on,
            },
        );
        if let Ok(bytes) = serde_json::to_vec(&all) {
            let _ = write_atomic(&self.path, &bytes, true);
        }
    }
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn link_query_replaces_parameters() {
        assert_eq!(
            link_params("</v2/_catalog?last=r%2F096&n=100>; rel=\"next\"").unwrap(),
            vec![
                ("last".to_owned(), "r/096".to_owned()),
                ("n".to_owned(), "100".to_owned())
            ]
        );
        assert!(link_params("garbage").is_none());
    }

    #[test]
    fn messages_like_az_without_timestamps() {
        let body = json!({"errors": [{"code": "NAME_UNKNOWN", "message": "repository name not known to registry"}]});
        assert_eq!(
            error_message(
                "The requested data does not exist.",
                Some(&body),
                Some("abcd-1234")
            ),
            "Error: repository name not known to registry. Correlation ID: abcd-1234."
        );
        assert_eq!(
            error_message("Authentication required.", None, None),
            "Authentication required."
        );
        let detail = json!({"errors": [{"message": "m", "detail": "d"}]});
        assert_eq!(
            error_message("x", Some(&detail), None),
            "Error: m Detail: d."
        );
    }

    #[test]
    fn missing_actions_are_named() {
        let body = json!({"errors": [{"code": "UNAUTHORIZED", "message": "authentication required", "detail": [{"Type": "repository", "Name": "hello", "Action": "metadata_read"}]}]});
        let e = denied(
            Error::Registry {
                status: Some(401),
                message: "Error: authentication required.".into(),
            },
            Some(&body),
        );
        assert_eq!(
            e.to_string(),
            "Error: authentication required.\nThe credentials used do not grant 'metadata_read' on repository 'hello'."
        );
    }

    #[test]
    fn challenges() {
        assert!(matches!(
            parse_challenge("Basic realm=\"x\""),
            Some(Challenge::Basic)
        ));
        match parse_challenge("Bearer realm=\"https://r.io/oauth2/token\",service=\"r.io\"") {
            Some(Challenge::Bearer { realm, service }) => assert_eq!(
                (realm.as_str(), service.as_str()),
                ("https://r.io/oauth2/token", "r.io")
            ),
            _ => panic!(),
        }
        assert!(parse_challenge("Bearer service=\"x\"").is_none());
        assert!(parse_challenge("Negotiate").is_none());
    }
}
