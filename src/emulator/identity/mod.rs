//! The minimal Entra ID and Azure metadata the real Azure CLI (and `acr`) need: cloud metadata
//! at `/metadata/endpoints`, the OpenID configuration and JWKS of the emulated tenant, the v2.0
//! token endpoint (client credentials with the printed secret, or a client assertion signed by
//! the emulator for workload identity), the App Service managed-identity endpoint and the VM
//! IMDS form. It issues tokens; it never checks them on other routes (management `auth.rs`
//! does) and never logs a secret.

pub mod error;
pub mod jwt;

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use axum::extract::{Path as UrlPath, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{Value, json};
use subtle::ConstantTimeEq;

use self::error::OAuthError;
use self::jwt::{ACCESS_TOKEN_SECONDS, Claims, FEDERATED_AUDIENCE};
use super::{ACR_SUFFIX, AppState, CLOUD_NAME, files, store::secrets::random_secret};

/// The workload-identity subject of the assertion in `federated-token`.
pub const FEDERATED_SUBJECT: &str = "system:serviceaccount:default:acr-emulator";

/// Who a token is issued to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Principal {
    ServicePrincipal,
    ManagedIdentity,
}

pub fn router() -> Router<Arc<AppState>> {
    Router::new()
        .route("/metadata/endpoints", get(metadata_endpoints))
        .route(
            "/aad/{tenant}/v2.0/.well-known/openid-configuration",
            get(openid_configuration),
        )
        .route(
            "/aad/{tenant}/.well-known/openid-configuration",
            get(openid_configuration),
        )
        .route("/aad/{tenant}/discovery/v2.0/keys", get(jwks))
        .route("/aad/{tenant}/oauth2/v2.0/token", post(token))
        .route("/msi/token", get(app_service_token))
        .route("/metadata/identity/oauth2/token", get(imds_token))
}

/// Issues an access token for `audience`.
pub(crate) fn issue(state: &AppState, who: Principal, audience: &str) -> (String, i64) {
    let s = &state.settings;
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    let (appid, oid, mirid) = match who {
        Principal::ServicePrincipal => (s.client_id.clone(), s.sp_object_id.clone(), None),
        Principal::ManagedIdentity => (
            s.mi_client_id.clone(),
            s.mi_object_id.clone(),
            Some(format!(
                "/subscriptions/{}/resourcegroups/{}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/acr-emulator-identity",
                s.subscription_id,
                super::DEFAULT_RESOURCE_GROUP
            )),
        ),
    };
    let claims = Claims {
        aud: audience.to_string(),
        iss: format!("{}/aad/{}/v2.0", state.base_url, s.tenant_id),
        iat: now,
        nbf: now,
        exp: now.saturating_add(ACCESS_TOKEN_SECONDS),
        tid: s.tenant_id.clone(),
        oid: oid.clone(),
        sub: oid,
        appid,
        idtyp: Some("app".to_string()),
        xms_mirid: mirid,
        ver: Some("2.0".to_string()),
        uti: Some(random_secret(16)),
    };
    (state.keys.sign(&claims), claims.exp)
}

/// Writes the workload-identity assertion the token endpoint accepts for the service principal.
pub(crate) fn write_federated_token(state: &AppState, path: &Path) -> anyhow::Result<()> {
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    let claims = Claims {
        aud: FEDERATED_AUDIENCE.to_string(),
        iss: format!("{}/oidc", state.base_url),
        iat: now,
        nbf: now,
        exp: now.saturating_add(365 * 24 * 3600),
        tid: String::new(),
        oid: String::new(),
        sub: FEDERATED_SUBJECT.to_string(),
        appid: String::new(),
        idtyp: None,
        xms_mirid: None,
        ver: None,
        uti: None,
    };
    files::write_private(path, state.keys.sign(&claims).as_bytes())
}

async fn metadata_endpoints(State(state): State<Arc<AppState>>) -> Json<Value> {
    let base = format!("{}/", state.base_url);
    Json(json!({
        "name": CLOUD_NAME,
        "resourceManager": base,
        "portal": base,
        "gallery": base,
        "graph": "https://graph.local/",
        "graphAudience": "https://graph.local/",
        "activeDirectoryDataLake": "https://datalake.local/",
        "batch": "https://batch.local/",
        "media": "https://media.local/",
        "sqlManagement": "https://sql.local/",
        "vmImageAliasDoc": format!("{base}aliases.json"),
        "microsoftGraphResourceId": "https://graph.local/",
        "authentication": {
            "loginEndpoint": format!("{base}aad/"),
            "audiences": ["https://management.core.windows.net/", "https://management.azure.com/"],
            "tenant": "common",
            "identityProvider": "AAD"
        },
        "suffixes": {
            "acrLoginServer": ACR_SUFFIX,
            "keyVaultDns": "vault.local",
            "storage": "core.local",
            "sqlServerHostname": "sql.local",
            "azureDataLakeStoreFileSystem": "dls.local",
            "azureDataLakeAnalyticsCatalogAndJob": "dla.local"
        }
    }))
}

fn known_tenant(state: &AppState, tenant: &str) -> Result<(), OAuthError> {
    if tenant.eq_ignore_ascii_case(&state.settings.tenant_id) {
        Ok(())
    } else {
        Err(OAuthError::invalid_request(
            90002,
            format!(
                "Tenant '{tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud."
            ),
        ))
    }
}

async fn openid_configuration(
    State(state): State<Arc<AppState>>,
    UrlPath(tenant): UrlPath<String>,
) -> Result<Json<Value>, OAuthError> {
    known_tenant(&state, &tenant)?;
    let authority = format!("{}/aad/{}", state.base_url, state.settings.tenant_id);
    Ok(Json(json!({
        "token_endpoint": format!("{authority}/oauth2/v2.0/token"),
        "token_endpoint_auth_methods_supported": ["client_secret_post", "private_key_jwt", "client_secret_basic"],
        "jwks_uri": format!("{authority}/discovery/v2.0/keys"),
        "response_modes_supported": ["query", "fragment", "form_post"],
        "subject_types_supported": ["pairwise"],
        "id_token_signing_alg_values_supported": ["ES256"],
        "response_types_supported": ["code", "id_token", "code id_token", "id_token token"],
        "scopes_supported": ["openid", "profile", "email", "offline_access"],
        "issuer": format!("{authority}/v2.0"),
        "request_uri_parameter_supported": false,
        "userinfo_endpoint": format!("{authority}/openid/userinfo"),
        "authorization_endpoint": format!("{authority}/oauth2/v2.0/authorize"),
        "device_authorization_endpoint": format!("{authority}/oauth2/v2.0/devicecode"),
        "http_logout_supported": true,
        "frontchannel_logout_supported": true,
        "end_session_endpoint": format!("{authority}/oauth2/v2.0/logout"),
        "claims_supported": ["sub", "iss", "aud", "exp", "iat", "nbf", "tid", "oid"],
        "kerberos_endpoint": format!("{authority}/kerberos"),
        "tenant_region_scope": null,
        "cloud_instance_name": "azurecr.local",
        "cloud_graph_host_name": "graph.local",
        "msgraph_host": "graph.local",
        "rbac_url": "https://pas.local"
    })))
}

async fn jwks(
    State(state): State<Arc<AppState>>,
    UrlPath(tenant): UrlPath<String>,
) -> Result<Json<Value>, OAuthError> {
    known_tenant(&state, &tenant)?;
    Ok(Json(state.keys.jwks()))
}

/// `https://x/.default` → `https://x`; `https://x//.default` → `https://x/`.
fn audience_of_scope(scope: &str) -> Option<String> {
    scope
        .split_whitespace()
        .find_map(|s| s.strip_suffix("/.default").map(str::to_string))
        .filter(|a| !a.is_empty())
}

fn ct_eq(a: &str, b: &str) -> bool {
    a.as_bytes().ct_eq(b.as_bytes()).into()
}

async fn token(
    State(state): State<Arc<AppState>>,
    UrlPath(tenant): UrlPath<String>,
    body: axum::body::Bytes,
) -> Result<Json<Value>, OAuthError> {
    known_tenant(&state, &tenant)?;
    let form: HashMap<String, String> = url::form_urlencoded::parse(&body).into_owned().collect();
    let field = |k: &str| form.get(k).map(String::as_str).filter(|v| !v.is_empty());
    let Some(grant) = field("grant_type") else {
        return Err(OAuthError::invalid_request(
            900144,
            "The request body must contain the following parameter: 'grant_type'.",
        ));
    };
    if grant != "client_credentials" {
        return Err(OAuthError::new(
            StatusCode::BAD_REQUEST,
            "unsupported_grant_type",
            70003,
            format!(
                "The app requested an unsupported grant type '{grant}'. The emulator supports client_credentials."
            ),
        ));
    }
    let Some(client_id) = field("client_id") else {
        return Err(OAuthError::invalid_request(
            900144,
            "The request body must contain the following parameter: 'client_id'.",
        ));
    };
    if !client_id.eq_ignore_ascii_case(&state.settings.client_id) {
        return Err(OAuthError::new(
            StatusCode::BAD_REQUEST,
            "unauthorized_client",
            700016,
            format!(
                "Application with identifier '{client_id}' was not found in the directory '{}'.",
                state.settings.tenant_id
            ),
        ));
    }
    match (field("client_secret"), field("client_assertion")) {
        (Some(secret), _) => {
            if !ct_eq(secret, &state.settings.client_secret) {
                return Err(OAuthError::new(
                    StatusCode::UNAUTHORIZED,
                    "invalid_client",
                    7000215,
                    "Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID.",
                ));
            }
        }
        (None, Some(assertion)) => {
            if field("client_assertion_type")
                != Some("urn:ietf:params:oauth:client-assertion-type:jwt-bearer")
            {
                return Err(OAuthError::invalid_request(
                    50027,
                    "client_assertion_type must be 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'.",
                ));
            }
            let ok = state
                .keys
                .verify(assertion)
                .is_ok_and(|c| c.aud == FEDERATED_AUDIENCE && c.sub == FEDERATED_SUBJECT);
            if !ok {
                return Err(OAuthError::new(
                    StatusCode::UNAUTHORIZED,
                    "invalid_client",
                    700213,
                    "No matching federated identity record found for presented assertion. The emulator accepts only the assertion in its federated-token file.",
                ));
            }
        }
        (None, None) => {
            return Err(OAuthError::new(
                StatusCode::UNAUTHORIZED,
                "invalid_client",
                7000218,
                "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
            ));
        }
    }
    let Some(audience) = field("scope").and_then(audience_of_scope) else {
        return Err(OAuthError::invalid_request(
            1002012,
            "The provided value for scope is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).",
        ));
    };
    let (access_token, _) = issue(&state, Principal::ServicePrincipal, &audience);
    Ok(Json(json!({
        "token_type": "Bearer",
        "expires_in": ACCESS_TOKEN_SECONDS,
        "ext_expires_in": ACCESS_TOKEN_SECONDS,
        "access_token": access_token
    })))
}

#[allow(
    clippy::indexing_slicing,
    reason = "IndexMut only on an object built here by json!({…})"
)]
fn managed_identity_answer(state: &AppState, resource: &str, imds: bool) -> Response {
    let (access_token, exp) = issue(state, Principal::ManagedIdentity, resource);
    let now = exp.saturating_sub(ACCESS_TOKEN_SECONDS);
    let mut body = json!({
        "access_token": access_token,
        "expires_on": exp.to_string(),
        "resource": resource,
        "token_type": "Bearer",
        "client_id": state.settings.mi_client_id,
    });
    if imds {
        body["refresh_token"] = json!("");
        body["expires_in"] = json!(ACCESS_TOKEN_SECONDS.to_string());
        body["ext_expires_in"] = json!(ACCESS_TOKEN_SECONDS.to_string());
        body["not_before"] = json!(now.to_string());
    }
    Json(body).into_response()
}

fn required<'a>(q: &'a HashMap<String, String>, key: &str) -> Result<&'a str, OAuthError> {
    q.get(key)
        .map(String::as_str)
        .filter(|v| !v.is_empty())
        .ok_or_else(|| {
            OAuthError::invalid_request(
                900144,
                format!("The request must contain the parameter '{key}'."),
            )
        })
}

/// App Service / Azure Functions style: `X-IDENTITY-HEADER` proves the caller runs "inside".
async fn app_service_token(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, OAuthError> {
    let Some(given) = headers
        .get("x-identity-header")
        .and_then(|v| v.to_str().ok())
    else {
        return Err(OAuthError::invalid_request(
            0,
            "The X-IDENTITY-HEADER header is required.",
        ));
    };
    if !ct_eq(given, &state.settings.identity_header) {
        return Err(OAuthError::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized_client",
            0,
            "The X-IDENTITY-HEADER header is not valid.",
        ));
    }
    required(&q, "api-version")?;
    let resource = required(&q, "resource")?;
    Ok(managed_identity_answer(&state, resource, false))
}

/// VM IMDS style: only `Metadata: true` is required, as on a VM. On a VM only the VM reaches
/// it; on a shared 127.0.0.1 everybody does, so it answers only when started with `--imds`.
/// Off, it answers like no metadata service at all: a plain-text 404 (no OAuth `error`
/// body), which clients' probes (acr's included) read as "no VM identity here".
async fn imds_token(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, OAuthError> {
    if !state.imds {
        return Ok((
            StatusCode::NOT_FOUND,
            "the VM managed-identity endpoint is off; start the emulator with --imds to serve it (it is unauthenticated by design)\n",
        )
            .into_response());
    }
    if headers
        .get("metadata")
        .and_then(|v| v.to_str().ok())
        .map(str::to_ascii_lowercase)
        .as_deref()
        != Some("true")
    {
        return Err(OAuthError::invalid_request(
            0,
            "Required metadata header not specified",
        ));
    }
    required(&q, "api-version")?;
    let resource = required(&q, "resource")?;
    Ok(managed_identity_answer(&state, resource, true))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scope_to_audience() {
        assert_eq!(
            audience_of_scope("https://management.core.windows.net//.default").as_deref(),
            Some("https://management.core.windows.net/")
        );
        assert_eq!(
            audience_of_scope("https://management.azure.com/.default").as_deref(),
            Some("https://management.azure.com")
        );
        assert_eq!(
            audience_of_scope("openid https://x/.default").as_deref(),
            Some("https://x")
        );
        assert_eq!(audience_of_scope("https://x"), None);
        assert_eq!(audience_of_scope("/.default"), None);
    }
}
