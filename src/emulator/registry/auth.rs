//! Authentication and authorization on a registry's port, as ACR does them: who the caller is
//! (an ACR token by name and password, the admin user, the emulator's service principal, or
//! an Entra identity through an ACR refresh token), the JWTs the token endpoints issue (signed
//! with the emulator's key; `iss` "Azure Container Registry"), and the check of each request
//! against what it needs, answered with the Docker token-auth challenge when it falls short.
//! Token passwords are checked by the store (`verify_token_password`), never here.

use std::collections::HashMap;
use std::sync::Arc;

use axum::http::{HeaderMap, header};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde::Serialize;
use serde_json::{Value, json};
use subtle::ConstantTimeEq;

use super::Ctx;
use super::error::OciError;
use super::scope::{Access, Rights, Scope, access_for, claim_allows};
use crate::emulator::identity::jwt::{VerifyError, check_times};
use crate::emulator::store::secrets::unique_uuid;

/// `iss` of every ACR token.
pub const ISSUER: &str = "Azure Container Registry";
/// The username az and docker use to present an ACR refresh token as a password.
pub const NULL_USER: &str = "00000000-0000-0000-0000-000000000000";
/// Access tokens are short-lived: scope-map and token changes apply at the next token request.
pub const ACCESS_TOKEN_SECONDS: i64 = 300;
/// Refresh tokens from `/oauth2/exchange` (ACR issues them for about three hours).
pub const REFRESH_TOKEN_SECONDS: i64 = 3 * 3600;
/// Entra audiences `/oauth2/exchange` accepts: ACR's own, and ARM's (ACR accepts ARM-audience
/// tokens unless the registry's `azureADAuthenticationAsArmPolicy` is disabled, which the
/// emulator's registries never are).
pub const ACR_AUDIENCE: &str = "https://containerregistry.azure.net";
const ARM_AUDIENCES: [&str; 2] = [
    "https://management.core.windows.net",
    "https://management.azure.com",
];

pub fn exchange_audience_ok(aud: &str) -> bool {
    let aud = aud.trim_end_matches('/');
    aud == ACR_AUDIENCE || ARM_AUDIENCES.contains(&aud)
}

/// An authenticated caller: a subject for the `sub` claim and its rights.
#[derive(Clone, Debug)]
pub struct Identity {
    pub subject: String,
    pub rights: Rights,
}

/// What the `Authorization` header carries.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Credentials {
    None,
    Basic(String, String),
    Bearer(String),
    Malformed,
}

pub fn credentials(headers: &HeaderMap) -> Credentials {
    let Some(v) = headers.get(header::AUTHORIZATION) else {
        return Credentials::None;
    };
    let Some((scheme, rest)) = v.to_str().ok().and_then(|v| v.trim().split_once(' ')) else {
        return Credentials::Malformed;
    };
    let rest = rest.trim();
    if scheme.eq_ignore_ascii_case("bearer") && !rest.is_empty() {
        return Credentials::Bearer(rest.to_string());
    }
    if scheme.eq_ignore_ascii_case("basic") {
        let decoded = STANDARD
            .decode(rest)
            .ok()
            .and_then(|b| String::from_utf8(b).ok());
        if let Some((u, p)) = decoded.as_deref().and_then(|d| d.split_once(':')) {
            return Credentials::Basic(u.to_string(), p.to_string());
        }
    }
    Credentials::Malformed
}

fn ct_eq(a: &str, b: &str) -> bool {
    a.as_bytes().ct_eq(b.as_bytes()).into()
}

fn now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

/// Checks a username and password as ACR does: the null user with an ACR refresh token, an
/// ACR token and one of its passwords, the admin user, or the service principal's id and
/// secret. `None`: not authenticated (the reason is not told).
pub async fn login(ctx: &Ctx, user: &str, password: &str) -> Option<Identity> {
    if user.eq_ignore_ascii_case(NULL_USER) {
        return verify_refresh_token(ctx, password).ok();
    }
    // Every reason for a refusal (`Denied`) ends the same way: try the other identities.
    if let Ok(t) = ctx
        .state
        .store
        .verify_token_password(&ctx.registry, user, password)
        .await
    {
        return Some(Identity {
            subject: t.token,
            rights: Rights::from_scope_map(&t.actions),
        });
    }
    if ctx
        .state
        .store
        .verify_admin_password(&ctx.registry, user, password)
        .await
    {
        return Some(Identity {
            subject: user.to_string(),
            rights: Rights::Full,
        });
    }
    let s = &ctx.state.settings;
    if user.eq_ignore_ascii_case(&s.client_id) && ct_eq(password, &s.client_secret) {
        return Some(Identity {
            subject: s.sp_object_id.clone(),
            rights: Rights::Full,
        });
    }
    None
}

/// The claim that binds a token to one registry's creation (see [`Ctx::instance`]).
const INSTANCE_CLAIM: &str = "registry_instance";

/// Was this token issued by this registry: its service (`127.0.0.1:PORT` or
/// `localhost:PORT`) and, since the port alone is reused by a registry created later, its
/// identity (finding 7)?
fn ours(ctx: &Ctx, c: &Value) -> bool {
    let aud_ok = claim(c, "aud").is_some_and(|aud| {
        aud == format!("127.0.0.1:{}", ctx.port) || aud == format!("localhost:{}", ctx.port)
    });
    let instance_ok = claim(c, INSTANCE_CLAIM)
        .is_some_and(|i| bool::from(i.as_bytes().ct_eq(ctx.instance.as_bytes())));
    aud_ok && instance_ok
}

/// JWTs whose ES256 signature this registry already checked, with their claims: a signature
/// is a fixed property of the token's bytes and the emulator's key never changes while it
/// runs, so a token presented again (a client's refresh token at each grant, a bearer token at
/// each request of a pull) needs only its times checked again — at every use, so an expired
/// token is refused at once. Bounded: emptied when full.
#[derive(Default)]
pub struct VerifiedTokens(std::sync::Mutex<HashMap<String, Verified>>);

#[derive(Clone)]
struct Verified {
    claims: Arc<Value>,
    exp: i64,
    nbf: i64,
}

const VERIFIED_TOKENS: usize = 4096;

impl VerifiedTokens {
    fn claims(&self, ctx: &Ctx, token: &str) -> Result<Arc<Value>, VerifyError> {
        let hit = self
            .0
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(token)
            .cloned();
        if let Some(v) = hit {
            check_times(v.exp, v.nbf, now())?;
            return Ok(v.claims);
        }
        let claims = ctx.state.keys.verify_json(token)?;
        let time = |k: &str| claims.get(k).and_then(Value::as_i64);
        // verify_json accepted it, so both times are there.
        let (Some(exp), Some(nbf)) = (time("exp"), time("nbf")) else {
            return Err(VerifyError::Malformed);
        };
        let claims = Arc::new(claims);
        let mut map = self.0.lock().unwrap_or_else(|p| p.into_inner());
        if map.len() >= VERIFIED_TOKENS {
            map.clear();
        }
        map.insert(
            token.to_string(),
            Verified {
                claims: claims.clone(),
                exp,
                nbf,
            },
        );
        Ok(claims)
    }
}

/// An ACR refresh token (from `/oauth2/exchange`) for this registry → the Entra identity,
/// with an owner's rights.
pub fn verify_refresh_token(ctx: &Ctx, token: &str) -> Result<Identity, VerifyError> {
    let c = ctx.verified.claims(ctx, token)?;
    if claim(&c, "iss") != Some(ISSUER)
        || claim(&c, "grant_type") != Some("refresh_token")
        || !ours(ctx, &c)
    {
        return Err(VerifyError::Malformed);
    }
    Ok(Identity {
        subject: claim(&c, "sub").unwrap_or_default().to_string(),
        rights: Rights::Full,
    })
}

/// The `access` claim of an ACR access token for this registry.
pub fn verify_access_token(ctx: &Ctx, token: &str) -> Result<Vec<Access>, VerifyError> {
    let c = ctx.verified.claims(ctx, token)?;
    if claim(&c, "iss") != Some(ISSUER)
        || claim(&c, "grant_type") == Some("refresh_token")
        || !ours(ctx, &c)
    {
        return Err(VerifyError::Malformed);
    }
    let access = c.get("access").cloned().unwrap_or_default();
    serde_json::from_value(access).map_err(|_| VerifyError::Malformed)
}

/// A string claim of a verified token.
fn claim<'a>(c: &'a Value, name: &str) -> Option<&'a str> {
    c.get(name).and_then(Value::as_str)
}

/// The claims of an ACR access or refresh token, in ACR's order, serialised straight from
/// borrowed fields (a `json!` object costs an ordered map and a string per claim, a
/// measurable share of a grant).
#[derive(Serialize)]
struct AcrClaims<'a> {
    #[serde(rename = "registry_instance")]
    instance: &'a str,
    jti: String,
    sub: &'a str,
    nbf: i64,
    exp: i64,
    iat: i64,
    iss: &'static str,
    aud: &'a str,
    version: &'static str,
    grant_type: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    access: Option<Vec<Access>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    tenant: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    permissions: Option<Value>,
    roles: &'static [&'static str],
}

fn base_claims<'a>(
    ctx: &'a Ctx,
    service: &'a str,
    subject: &'a str,
    lifetime: i64,
    grant_type: &'static str,
) -> AcrClaims<'a> {
    let now = now();
    AcrClaims {
        instance: &ctx.instance,
        jti: unique_uuid(),
        sub: subject,
        nbf: now,
        exp: now.saturating_add(lifetime),
        iat: now,
        iss: ISSUER,
        aud: service,
        version: "1.0",
        grant_type,
        access: None,
        tenant: None,
        permissions: None,
        roles: &[],
    }
}

/// Issues an access token for `scopes`: the intersection of what was asked and what the
/// identity may do.
pub fn issue_access_token(ctx: &Ctx, service: &str, who: &Identity, scopes: &[Scope]) -> String {
    let mut c = base_claims(
        ctx,
        service,
        &who.subject,
        ACCESS_TOKEN_SECONDS,
        "access_token",
    );
    c.access = Some(access_for(&who.rights, scopes));
    ctx.state.keys.sign_json(&c)
}

/// Issues the refresh token `/oauth2/exchange` returns for an Entra identity.
pub fn issue_refresh_token(ctx: &Ctx, service: &str, subject: &str, tenant: &str) -> String {
    let mut c = base_claims(
        ctx,
        service,
        subject,
        REFRESH_TOKEN_SECONDS,
        "refresh_token",
    );
    c.tenant = Some(tenant);
    c.permissions = Some(json!({"actions": ["*"], "notActions": []}));
    ctx.state.keys.sign_json(&c)
}

/// One action a request needs on one resource.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Need {
    pub kind: &'static str,
    pub name: String,
    pub action: &'static str,
}

impl Need {
    pub fn repo(name: &str, action: &'static str) -> Need {
        Need {
            kind: "repository",
            name: name.to_string(),
            action,
        }
    }

    pub fn catalog() -> Need {
        Need {
            kind: "registry",
            name: "catalog".into(),
            action: "*",
        }
    }
}

/// Who made an authorized request, for checks beyond the route's own needs (the source
/// repository of a cross-repository mount).
pub enum Caller {
    Token(Vec<Access>),
    Login(Identity),
}

impl Caller {
    pub fn allows(&self, need: &Need) -> bool {
        match self {
            Caller::Token(access) => claim_allows(access, need.kind, &need.name, need.action),
            Caller::Login(id) => match need.kind {
                "registry" => id.rights.catalog(),
                _ => id.rights.allows(&need.name, need.action),
            },
        }
    }
}

/// The `scope` of a challenge: one `type:name:actions` per resource, space-separated.
fn challenge_scope(needs: &[Need]) -> String {
    let mut out: Vec<(String, Vec<&str>)> = Vec::new();
    for n in needs {
        let key = format!("{}:{}", n.kind, n.name);
        match out.iter_mut().find(|(k, _)| *k == key) {
            Some((_, acts)) => acts.push(n.action),
            None => out.push((key, vec![n.action])),
        }
    }
    out.into_iter()
        .map(|(k, a)| format!("{k}:{}", a.join(",")))
        .collect::<Vec<_>>()
        .join(" ")
}

/// `Bearer realm=…,service=…[,scope=…][,error=…]` for the host the client used.
pub fn challenge(host: &str, needs: &[Need], error: Option<&str>) -> String {
    let mut c = format!("Bearer realm=\"https://{host}/oauth2/token\",service=\"{host}\"");
    if !needs.is_empty() {
        c.push_str(&format!(",scope=\"{}\"", challenge_scope(needs)));
    }
    if let Some(e) = error {
        c.push_str(&format!(",error=\"{e}\""));
    }
    c
}

fn denial(host: &str, needs: &[Need], missing: &[&Need], error: Option<&str>) -> OciError {
    let detail: Vec<(String, String, String)> = missing
        .iter()
        .map(|n| (n.kind.to_string(), n.name.clone(), n.action.to_string()))
        .collect();
    OciError::unauthorized(challenge(host, needs, error), &detail)
}

/// Authenticates the request and checks that it may do everything in `needs` (empty: only
/// authentication, as `GET /v2/`). Bearer tokens are checked by signature and `access`
/// claim alone; Basic credentials are checked against the store on every request.
pub async fn authorize(ctx: &Ctx, headers: &HeaderMap, needs: &[Need]) -> Result<Caller, OciError> {
    let host = ctx.host(headers);
    let caller = match credentials(headers) {
        Credentials::None | Credentials::Malformed => {
            let all: Vec<&Need> = needs.iter().collect();
            return Err(denial(&host, needs, &all, None));
        }
        Credentials::Bearer(token) => match verify_access_token(ctx, &token) {
            Ok(access) => Caller::Token(access),
            Err(_) => {
                let all: Vec<&Need> = needs.iter().collect();
                return Err(denial(&host, needs, &all, Some("invalid_token")));
            }
        },
        Credentials::Basic(user, password) => match login(ctx, &user, &password).await {
            Some(id) => Caller::Login(id),
            None => {
                let all: Vec<&Need> = needs.iter().collect();
                return Err(denial(&host, needs, &all, None));
            }
        },
    };
    let missing: Vec<&Need> = needs.iter().filter(|n| !caller.allows(n)).collect();
    if missing.is_empty() {
        Ok(caller)
    } else {
        Err(denial(&host, needs, &missing, Some("insufficient_scope")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn reads_basic_and_bearer_credentials() {
        let mut h = HeaderMap::new();
        assert_eq!(credentials(&h), Credentials::None);
        h.insert(
            header::AUTHORIZATION,
            HeaderValue::from_static("Basic TXlUb2tlbjpwYTpzcw=="),
        );
        assert_eq!(
            credentials(&h),
            Credentials::Basic("MyToken".into(), "pa:ss".into())
        );
        h.insert(
            header::AUTHORIZATION,
            HeaderValue::from_static("bearer abc.def.ghi"),
        );
        assert_eq!(credentials(&h), Credentials::Bearer("abc.def.ghi".into()));
        h.insert(header::AUTHORIZATION, HeaderValue::from_static("Basic !!!"));
        assert_eq!(credentials(&h), Credentials::Malformed);
        h.insert(
            header::AUTHORIZATION,
            HeaderValue::from_static("Negotiate x"),
        );
        assert_eq!(credentials(&h), Credentials::Malformed);
    }

    #[test]
    fn challenges_name_realm_service_and_scope() {
        assert_eq!(
            challenge("127.0.0.1:5000", &[], None),
            "Bearer realm=\"https://127.0.0.1:5000/oauth2/token\",service=\"127.0.0.1:5000\""
        );
        let needs = [Need::repo("a/b", "pull"), Need::repo("a/b", "push")];
        assert_eq!(
            challenge("localhost:1", &needs, Some("insufficient_scope")),
            "Bearer realm=\"https://localhost:1/oauth2/token\",service=\"localhost:1\",scope=\"repository:a/b:pull,push\",error=\"insufficient_scope\""
        );
        assert_eq!(challenge_scope(&[Need::catalog()]), "registry:catalog:*");
    }

    #[test]
    fn exchange_accepts_acr_and_arm_audiences() {
        assert!(exchange_audience_ok("https://containerregistry.azure.net"));
        assert!(exchange_audience_ok("https://containerregistry.azure.net/"));
        assert!(exchange_audience_ok("https://management.azure.com/"));
        assert!(exchange_audience_ok("https://management.core.windows.net/"));
        assert!(!exchange_audience_ok("api://AzureADTokenExchange"));
        assert!(!exchange_audience_ok("https://vault.azure.net"));
    }
}
