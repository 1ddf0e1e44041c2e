//! Connecting to a registry as az's `get_access_credentials` does: the login server from ARM
//! (or guessed), the probe, then the first credential that works, each path its own function:
//! a username and password ([`with_password`]: Basic, or exchanged at the token server), the
//! signed-in Entra identity ([`with_entra`]: `/oauth2/exchange`, then `/oauth2/token`), the
//! admin user ([`with_admin`]: `listCredentials`).

use serde_json::Value;

use super::challenge::{Challenge, probe};
use super::token_cache::{TokenCache, digest};
use super::token_server::TokenRequest;
use super::{ACR_AUDIENCE, EMPTY_GUID, Registry, RegistryAuth, Scope, connectivity};
use crate::api::arm::{Arm, RegistryRef, discovery};
use crate::api::auth::jwt_claims;
use crate::config::Config;
use crate::error::{Error, Result};
use crate::io::Diag;

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

/// A connected session and, without a scope (`acr login`), the pair clients log in with.
pub type Connected = (Registry, Option<(String, String)>);

/// The outcome of resolving a registry in ARM.
struct Resolved {
    login_server: String,
    /// The registry and its resource, when ARM knows it.
    registry: Option<(RegistryRef, Value)>,
    not_found: Option<String>,
}

/// The probed login server and what every credential path needs to reach it.
struct Server<'a> {
    config: &'a Config,
    diag: &'a Diag,
    http: reqwest::Client,
    login_server: String,
    challenge: Challenge,
}

impl Server<'_> {
    fn registry(&self, auth: RegistryAuth) -> Registry {
        Registry::new(
            self.http.clone(),
            self.login_server.clone(),
            auth,
            self.diag.clone(),
        )
    }
}

/// Resolves the login server and authenticates for `scope` (az's `get_access_credentials`);
/// without a scope (for `acr login`), also returns the (username, password) pair clients log
/// in with. The caller has checked that a password comes with a username.
pub async fn connect(
    session: Session<'_>,
    login: &Login<'_>,
    scope: Option<Scope>,
) -> Result<Connected> {
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
        Err(Error::NotSignedIn(message)) => Err(message),
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
    let challenge = probe(
        &http,
        diag,
        &resolved.login_server,
        resolved.not_found.as_deref(),
        login.name,
    )
    .await?;
    let server = Server {
        config,
        diag,
        http,
        login_server: resolved.login_server.clone(),
        challenge,
    };
    if let Some(username) = login.username {
        return with_password(&server, username, login.password, scope).await;
    }
    let managed = resolved.registry.as_ref().is_none_or(|(_, r)| {
        r.pointer("/sku/name")
            .and_then(Value::as_str)
            .is_some_and(|s| ["basic", "standard", "premium"].contains(&s.to_lowercase().as_str()))
    });
    if managed {
        match with_entra(&server, arm.as_ref(), scope.as_ref()).await {
            Ok(connected) => return Ok(connected),
            Err(Error::TooManyRequests(text)) => {
                return Err(Error::cli(format!(
                    "Unable to get AAD authorization tokens with message: {text}"
                )));
            }
            Err(e) => diag.warn(&format!(
                "Unable to get AAD authorization tokens with message: {e}"
            )),
        }
    }
    with_admin(&server, &resolved, arm.as_ref()).await
}

/// `-u`/`-p`: Basic when the registry asks for it, else an access token for the scope from
/// `grant_type=password` (cached); without a scope, the pair itself.
async fn with_password(
    server: &Server<'_>,
    username: &str,
    password: Option<&str>,
    scope: Option<Scope>,
) -> Result<Connected> {
    let Some(password) = password.map(str::to_owned) else {
        return Err(Error::cli(
            "Please specify both username and password in non-interactive mode.",
        ));
    };
    let Some(scope) = scope else {
        let auth = RegistryAuth::Basic {
            username: username.into(),
            password: password.clone(),
        };
        return Ok((server.registry(auth), Some((username.to_owned(), password))));
    };
    let auth = match &server.challenge {
        Challenge::Basic => RegistryAuth::Basic {
            username: username.to_owned(),
            password,
        },
        Challenge::Bearer { realm, service } => {
            let cache = TokenCache::new(server.config);
            let identity = format!("user:{username}:{}", digest(&password));
            let key = cache.key(&server.login_server, &identity, &scope);
            match cache.get(&key) {
                Some(token) => RegistryAuth::Bearer(token),
                None => {
                    let scope_text = scope.as_string();
                    let form = [
                        ("service", service.as_str()),
                        ("grant_type", "password"),
                        ("username", username),
                        ("password", password.as_str()),
                        ("scope", scope_text.as_str()),
                    ];
                    let token = access_token(realm, &form)
                        .send(&server.http, server.diag, &server.login_server)
                        .await?;
                    cache.put(&key, &token);
                    RegistryAuth::Bearer(token)
                }
            }
        }
    };
    Ok((server.registry(auth), None))
}

/// `/oauth2/token` for an access token.
fn access_token<'a>(realm: &'a str, form: &'a [(&'a str, &'a str)]) -> TokenRequest<'a> {
    TokenRequest {
        realm,
        path: "/oauth2/token",
        form,
        title: "CONNECTIVITY_ACCESS_TOKEN_ERROR",
        field: "access_token",
    }
}

/// The signed-in Entra identity: `/oauth2/exchange` (Entra token → ACR refresh token), then
/// `/oauth2/token` for the scope (cached). Without a scope, the refresh token is the password
/// of the pair (username [`EMPTY_GUID`]).
async fn with_entra(
    server: &Server<'_>,
    arm: std::result::Result<&Arm, &String>,
    scope: Option<&Scope>,
) -> Result<Connected> {
    let login_server = server.login_server.as_str();
    let Challenge::Bearer { realm, service } = &server.challenge else {
        return Err(connectivity(
            "CONNECTIVITY_AAD_LOGIN_ERROR",
            format!("Registry '{login_server}' does not support AAD login."),
        ));
    };
    let credential = arm.map_err(|why| Error::cli(why.clone()))?.credential();
    let audience = server
        .config
        .get("acr", "audience_resource")
        .map(|a| {
            if a.starts_with("https://") {
                a
            } else {
                format!("https://{a}.azure.net")
            }
        })
        .unwrap_or_else(|| ACR_AUDIENCE.to_owned());
    let cache = TokenCache::new(server.config);
    let identity = format!(
        "entra:{}:{}",
        credential.source.describe(),
        credential.source.client_id().unwrap_or("")
    );
    if let Some(scope) = scope {
        let key = cache.key(login_server, &identity, scope);
        if let Some(token) = cache.get(&key) {
            return Ok((server.registry(RegistryAuth::Bearer(token)), None));
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
    let exchange = TokenRequest {
        realm,
        path: "/oauth2/exchange",
        form: &form,
        title: "CONNECTIVITY_REFRESH_TOKEN_ERROR",
        field: "refresh_token",
    };
    let refresh = exchange
        .send(&server.http, server.diag, login_server)
        .await?;
    let Some(scope) = scope else {
        let pair = (EMPTY_GUID.to_owned(), refresh.clone());
        return Ok((server.registry(RegistryAuth::Bearer(refresh)), Some(pair)));
    };
    let scope_text = scope.as_string();
    let form = [
        ("grant_type", "refresh_token"),
        ("service", login_server),
        ("scope", scope_text.as_str()),
        ("refresh_token", refresh.as_str()),
    ];
    let access = access_token(realm, &form)
        .send(&server.http, server.diag, login_server)
        .await?;
    cache.put(&cache.key(login_server, &identity, scope), &access);
    Ok((server.registry(RegistryAuth::Bearer(access)), None))
}

/// The admin user of a registry ARM knows, when it is enabled (`listCredentials`); else
/// az's warning and its final error.
async fn with_admin(
    server: &Server<'_>,
    resolved: &Resolved,
    arm: std::result::Result<&Arm, &String>,
) -> Result<Connected> {
    match (&resolved.registry, arm) {
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
            let auth = RegistryAuth::Basic { username, password };
            return Ok((server.registry(auth), Some(pair)));
        }
        (Some(_), _) => server
            .diag
            .warn("Unable to get admin user credentials with message: Admin user is disabled."),
        (None, _) => server.diag.warn(&format!(
            "Unable to get admin user credentials with message: {}",
            resolved.not_found.clone().unwrap_or_default()
        )),
    }
    Err(Error::cli(
        "Unable to authenticate using AAD or admin login credentials. Please specify both username and password in non-interactive mode.",
    ))
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
    let cache = discovery::Cache::new(config);
    let located = discovery::locate(arm, &cache, login.name, None).await;
    let registry = match located {
        Ok(registry) => registry,
        Err(Error::RegistryNotFound(message)) => {
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
            match discovery::refresh(arm, &cache, &registry).await? {
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
