//! The ARM management API for `Microsoft.ContainerRegistry` (and the few `Microsoft.Resources`
//! calls clients make first). One fallback handler authenticates the caller, parses the path
//! with `path::parse` (ARM matches literal segments case-insensitively, which axum routes
//! cannot), checks the api-version and dispatches to a thin handler per resource. Handlers
//! validate the request with `rules`/`body`, call the store, and render with `render`; every
//! failure is an [`ArmError`]. Paging (`nextLink`) and asynchronous answers
//! (`Azure-AsyncOperation`, `Location`, `Retry-After`) are shaped in `answers` for all of them.

mod answers;
mod auth;
pub(crate) mod body;
pub(crate) mod certificates;
mod credentials;
pub mod models;
pub(crate) mod operations;
pub(crate) mod path;
mod registries;
mod render;
pub(crate) mod rules;
mod scope_maps;
pub(crate) mod subscriptions;
mod tokens;

use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Request, State};
use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Response};

use self::path::{PathError, Reg, Route};
use super::AppState;
use super::error::ArmError;
use super::store::{Actor, Db, Missing, Registry, StoreError, StoreResult};

pub use answers::ok;
use answers::{header_value, operation_result, operation_status};

const MAX_BODY: usize = 4 << 20;

pub fn router() -> Router<Arc<AppState>> {
    Router::new().fallback(dispatch)
}

/// One management request, authenticated and parsed.
pub(crate) struct Ctx {
    pub state: Arc<AppState>,
    pub actor: Actor,
    pub method: Method,
    pub api_version: String,
    pub path: String,
    pub query: Vec<(String, String)>,
    pub body: Bytes,
}

async fn dispatch(State(state): State<Arc<AppState>>, req: Request) -> Response {
    // ARM's tracing headers: a request id per answer, and the caller's correlation id (or a
    // new one), so clients can print them as they do for Azure.
    let correlation = req
        .headers()
        .get("x-ms-correlation-request-id")
        .and_then(|v| v.to_str().ok())
        .filter(|v| v.len() <= 64)
        .map(str::to_string)
        .unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
    let mut resp = match handle(state, req).await {
        Ok(r) => r,
        Err(e) => e.into_response(),
    };
    let h = resp.headers_mut();
    h.insert(
        "x-ms-request-id",
        header_value(&uuid::Uuid::new_v4().to_string()),
    );
    h.insert("x-ms-correlation-request-id", header_value(&correlation));
    resp
}

async fn handle(state: Arc<AppState>, req: Request) -> Result<Response, ArmError> {
    let (parts, body) = req.into_parts();
    let actor = auth::authenticate(&state, &parts.headers)?;
    let path = parts.uri.path().to_string();
    let route = path::parse(&path).map_err(|e| match e {
        PathError::NotFound => ArmError::not_found("NotFound", format!("The requested path '{path}' was not found.")),
        PathError::UnknownType(t) => ArmError::not_found(
            "InvalidResourceType",
            format!("The resource type '{t}' could not be found in the namespace 'Microsoft.ContainerRegistry'."),
        ),
        PathError::UnknownProvider(ns) => ArmError::not_found(
            "NoRegisteredProviderFound",
            format!("The resource provider namespace '{ns}' is not served by the emulator."),
        ),
    })?;
    let query: Vec<(String, String)> =
        url::form_urlencoded::parse(parts.uri.query().unwrap_or("").as_bytes())
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
    let api_version = check_api_version(&route, &query)?;
    if let Some(sub) = route.subscription()
        && !sub.eq_ignore_ascii_case(&state.settings.subscription_id)
    {
        return Err(ArmError::not_found(
            "SubscriptionNotFound",
            format!("The subscription '{sub}' could not be found."),
        ));
    }
    let body = axum::body::to_bytes(body, MAX_BODY).await.map_err(|_| {
        ArmError::content(format!(
            "The request body is larger than {MAX_BODY} bytes or could not be read."
        ))
    })?;
    let ctx = Ctx {
        state,
        actor,
        method: parts.method,
        api_version,
        path,
        query,
        body,
    };
    route_request(&ctx, route).await
}

fn check_api_version(route: &Route, query: &[(String, String)]) -> Result<String, ArmError> {
    let Some(v) = query
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("api-version"))
        .map(|(_, v)| v.clone())
    else {
        return Err(ArmError::bad_request(
            "MissingApiVersionParameter",
            "The api-version query parameter (?api-version=) is required for all requests.",
        ));
    };
    if !rules::well_formed_api_version(&v) {
        return Err(ArmError::bad_request(
            "InvalidApiVersionParameter",
            format!(
                "The api-version '{v}' is invalid. The supported versions are '{}'.",
                rules::ACR_API_VERSIONS.join(",")
            ),
        ));
    }
    if !route.is_resources_api() && !rules::ACR_API_VERSIONS.contains(&v.as_str()) {
        return Err(ArmError::bad_request(
            "NoRegisteredProviderFound",
            format!(
                "No registered resource provider found for location '{}' and API version '{v}' for type 'registries'. The supported api-versions are '{}'. The supported locations are '{}'.",
                super::LOCATION,
                rules::ACR_API_VERSIONS.join(", "),
                super::LOCATION
            ),
        ));
    }
    Ok(v)
}

fn method_not_allowed(m: &Method) -> ArmError {
    ArmError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "MethodNotAllowed",
        format!("The requested resource does not support http method '{m}'."),
    )
}

async fn route_request(ctx: &Ctx, route: Route) -> Result<Response, ArmError> {
    use Method as M;
    use Route as R;
    let m = ctx.method.clone();
    match (route, &m) {
        (R::Subscriptions, &M::GET) => subscriptions::list(ctx).await,
        (R::Subscription { .. }, &M::GET) => subscriptions::get(ctx).await,
        (R::Resources { rg, .. }, &M::GET) => subscriptions::resources(ctx, rg).await,
        (R::ResourceGroups { .. }, &M::GET) => subscriptions::resource_groups(ctx).await,
        (R::ResourceGroup { rg, .. }, &M::GET) => subscriptions::resource_group(ctx, &rg).await,
        (R::Registries { rg, .. }, &M::GET) => registries::list(ctx, rg).await,
        (R::Registry(reg), &M::GET) => registries::get(ctx, &reg).await,
        (R::Registry(reg), &M::PUT) => registries::put(ctx, &reg).await,
        (R::Registry(reg), &M::PATCH) => registries::patch(ctx, &reg).await,
        (R::Registry(reg), &M::DELETE) => registries::delete(ctx, &reg).await,
        (R::RegistryAction(reg, path::Action::ListCredentials), &M::POST) => {
            registries::list_credentials(ctx, &reg).await
        }
        (R::RegistryAction(reg, path::Action::RegenerateCredential), &M::POST) => {
            registries::regenerate_credential(ctx, &reg).await
        }
        (R::RegistryAction(reg, path::Action::GenerateCredentials), &M::POST) => {
            credentials::generate(ctx, &reg).await
        }
        (R::Tokens(reg), &M::GET) => tokens::list(ctx, &reg).await,
        (R::Token(reg, n), &M::GET) => tokens::get(ctx, &reg, &n).await,
        (R::Token(reg, n), &M::PUT) => tokens::put(ctx, &reg, &n).await,
        (R::Token(reg, n), &M::PATCH) => tokens::patch(ctx, &reg, &n).await,
        (R::Token(reg, n), &M::DELETE) => tokens::delete(ctx, &reg, &n).await,
        (R::ScopeMaps(reg), &M::GET) => scope_maps::list(ctx, &reg).await,
        (R::ScopeMap(reg, n), &M::GET) => scope_maps::get(ctx, &reg, &n).await,
        (R::ScopeMap(reg, n), &M::PUT) => scope_maps::put(ctx, &reg, &n).await,
        (R::ScopeMap(reg, n), &M::PATCH) => scope_maps::patch(ctx, &reg, &n).await,
        (R::ScopeMap(reg, n), &M::DELETE) => scope_maps::delete(ctx, &reg, &n).await,
        (R::OperationStatus(_, id), &M::GET) => operation_status(ctx, &id),
        (R::OperationResult(_, id), &M::GET) => operation_result(ctx, &id),
        _ => Err(method_not_allowed(&m)),
    }
}

impl Ctx {
    pub fn base(&self) -> &str {
        &self.state.base_url
    }

    /// Runs one store call for a request under registry `reg`, mapping its error.
    pub async fn db<T, F>(&self, reg: &Reg, f: F) -> Result<T, ArmError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Db) -> StoreResult<T> + Send + 'static,
    {
        self.state
            .store
            .run(f)
            .await
            .map_err(|e| self.store_error(reg, e))
    }

    /// Maps a store error for a request under registry `reg`.
    pub fn store_error(&self, reg: &Reg, e: StoreError) -> ArmError {
        match e {
            StoreError::NotFound(Missing::ResourceGroup) => ArmError::not_found(
                "ResourceGroupNotFound",
                format!("Resource group '{}' could not be found.", reg.rg),
            ),
            StoreError::NotFound(Missing::Registry) => ArmError::not_found(
                "ResourceNotFound",
                format!(
                    "The Resource 'Microsoft.ContainerRegistry/registries/{}' under resource group '{}' was not found.",
                    reg.name, reg.rg
                ),
            ),
            // The registry's own answer for its child resources, as recorded from the service
            // (az-acr-behaviour.md §3.5), not ARM's wording for top-level resources.
            StoreError::NotFound(Missing::Token(name) | Missing::ScopeMap(name)) => {
                ArmError::not_found(
                    "ResourceNotFound",
                    format!("The resource {name} could not be found."),
                )
            }
            StoreError::Conflict(msg) => ArmError::conflict("Conflict", msg),
            StoreError::Quota(msg) => ArmError::conflict("QuotaExceeded", msg),
            StoreError::Rule(msg) => ArmError::rule(msg),
            StoreError::Db(e) => ArmError::internal(e),
            StoreError::Internal(e) => ArmError::internal(e),
        }
    }

    /// The parent registry of a child-resource request (`ParentResourceNotFound` when absent).
    pub async fn parent(&self, reg: &Reg) -> Result<Registry, ArmError> {
        let (rg, name) = (reg.rg.clone(), reg.name.clone());
        match self
            .state
            .store
            .run(move |db| db.get_registry(&rg, &name))
            .await
        {
            Ok(r) => Ok(r),
            Err(StoreError::NotFound(Missing::Registry)) => Err(ArmError::not_found(
                "ParentResourceNotFound",
                format!(
                    "Failed to perform '{}' on resource(s) of type 'registries', because the parent resource '/subscriptions/{}/resourceGroups/{}/providers/Microsoft.ContainerRegistry/registries/{}' could not be found.",
                    if self.method == Method::GET {
                        "read"
                    } else {
                        "write"
                    },
                    reg.sub,
                    reg.rg,
                    reg.name
                ),
            )),
            Err(e) => Err(self.store_error(reg, e)),
        }
    }

    /// The registry's ARM id, with the casing stored.
    pub fn registry_id(&self, r: &Registry) -> String {
        render::registry_id(&self.state.settings.subscription_id, r)
    }

    /// Runs `f` on the store with the parent registry of a child-resource request, store
    /// errors in ARM's envelope for `reg`; returns the registry's ARM id beside the result,
    /// since every child resource is rendered with it.
    pub async fn in_parent<T, F>(&self, reg: &Reg, f: F) -> Result<(String, T), ArmError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Db, &Registry) -> StoreResult<T> + Send + 'static,
    {
        let r = self.parent(reg).await?;
        let id = self.registry_id(&r);
        let out = self.db(reg, move |db| f(db, &r)).await?;
        Ok((id, out))
    }

    /// The name of a child resource of registry `r` that a request body links by its fully
    /// qualified id (`scopeMapId`, `tokenId`): `pick` takes the target registry and the child's
    /// name from the parsed route. An id that names no such resource is
    /// `LinkedInvalidPropertyId`; one of another registry is a rule violation `mismatch` words.
    pub fn linked_child(
        &self,
        r: &Registry,
        id: &str,
        field: &str,
        pick: impl FnOnce(Route) -> Option<(Reg, String)>,
        mismatch: impl FnOnce(&str) -> String,
    ) -> Result<String, ArmError> {
        let invalid = || {
            ArmError::bad_request(
                "LinkedInvalidPropertyId",
                format!(
                    "Property id '{id}' at path '{field}' is invalid. Expect fully qualified resource Id that start with '/subscriptions/{{subscriptionId}}' or '/providers/{{resourceProviderNamespace}}/'."
                ),
            )
        };
        if !id.starts_with('/') {
            return Err(invalid());
        }
        let (target, name) = path::parse(id).ok().and_then(pick).ok_or_else(invalid)?;
        let same = target
            .sub
            .eq_ignore_ascii_case(&self.state.settings.subscription_id)
            && target.rg.eq_ignore_ascii_case(&r.resource_group)
            && target.name.eq_ignore_ascii_case(&r.name);
        if !same {
            return Err(ArmError::rule(mismatch(&self.registry_id(r))));
        }
        Ok(name)
    }
}
