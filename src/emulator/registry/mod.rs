//! The registry data plane of one registry, on its own port: the OCI distribution API, Docker
//! token authentication with ACR's `/oauth2/token` and `/oauth2/exchange`, and ACR's
//! `/acr/v1` metadata API. Every path goes through one catch-all route and the pure parser in
//! [`path`] (repository names contain `/`); [`handle`] picks the handler, and each handler
//! states what it needs and asks [`auth::authorize`] first. Blob bodies are streamed (the
//! body limit is off on this router); state lives in the store (`store::repositories`,
//! `store::blobs`), never here.

pub mod acr;
pub mod auth;
pub mod blobs;
pub mod error;
pub mod listing;
pub mod manifest_doc;
pub mod manifests;
pub mod oauth;
pub mod path;
pub mod scope;
pub mod uploads;

use std::sync::Arc;

use axum::Router;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};

use self::error::OciError;
use self::path::Route;
use super::AppState;
use super::store::blobs::BlobStore;

/// What every handler of one registry's port shares.
pub struct Ctx {
    pub(crate) state: Arc<AppState>,
    /// The registry's name, as stored.
    pub(crate) registry: String,
    pub(crate) port: u16,
    pub(crate) blobs: BlobStore,
    pub(crate) uploads: Arc<uploads::Sessions>,
    /// Who this registry is: its ARM id and the random id of its creation. Its access and
    /// refresh tokens carry it, so a registry created again on the same port (or name) does
    /// not accept its predecessor's tokens.
    pub(crate) instance: String,
    /// Tokens of this emulator whose signature was checked (see [`auth::VerifiedTokens`]).
    pub(crate) verified: auth::VerifiedTokens,
}

impl Ctx {
    /// The host the client used (`127.0.0.1:PORT` or `localhost:PORT`), never anything else:
    /// it goes into challenges and into the `registry` field of `/acr/v1` answers.
    pub fn host(&self, headers: &HeaderMap) -> String {
        let ours = [
            format!("127.0.0.1:{}", self.port),
            format!("localhost:{}", self.port),
        ];
        headers
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .and_then(|h| ours.iter().find(|o| o.eq_ignore_ascii_case(h)))
            .cloned()
            .unwrap_or_else(|| ours[0].clone())
    }
}

pub fn router(state: Arc<AppState>, registry: &str, port: u16) -> Router {
    let blobs = BlobStore::new(&state.data_dir);
    let uploads = Arc::new(uploads::Sessions::new(state.uploads.clone()));
    uploads::Sessions::expire_every(&uploads, BlobStore::new(&state.data_dir));
    let instance = instance_of(&state, registry);
    let faults = state.faults.clone();
    let app = state.clone();
    let ctx = Arc::new(Ctx {
        state,
        registry: registry.to_string(),
        port,
        blobs,
        uploads,
        instance,
        verified: auth::VerifiedTokens::default(),
    });
    Router::new()
        .fallback(dispatch)
        .with_state(ctx)
        .layer(DefaultBodyLimit::disable())
        .layer(axum::middleware::from_fn_with_state(
            faults,
            super::faults::registry,
        ))
        .layer(axum::middleware::from_fn_with_state(app, common_headers))
}

/// `<ARM id>#<creation id>` of `registry`; a fresh random value if it cannot be read (then no
/// earlier token matches, which is the safe side).
fn instance_of(state: &AppState, registry: &str) -> String {
    match state
        .store
        .run_blocking(|db| db.registry_instance(registry))
    {
        Ok(Some((group, id))) => format!(
            "/subscriptions/{}/resourceGroups/{group}/providers/Microsoft.ContainerRegistry/registries/{registry}#{id}",
            state.settings.subscription_id
        ),
        _ => super::store::secrets::random_uuid(),
    }
}

/// Start-up housekeeping, before any listener serves: uploads a previous process left
/// unfinished are dropped, and blob files no repository sees any more are removed.
pub fn prepare(state: &AppState) -> anyhow::Result<()> {
    let blobs = BlobStore::new(&state.data_dir);
    blobs.prepare()?;
    let live = state.store.run_blocking(|db| db.live_blobs())?;
    let removed = blobs.collect_garbage(&live)?;
    if removed > 0 {
        eprintln!("acr-emulator: removed {removed} unreferenced blob file(s)");
    }
    Ok(())
}

async fn dispatch(State(ctx): State<Arc<Ctx>>, req: Request) -> Response {
    let method = req.method().clone();
    match handle(&ctx, req).await {
        Ok(r) => r,
        Err(e) => e.for_method(&method).into_response(),
    }
}

async fn handle(ctx: &Ctx, req: Request) -> Result<Response, OciError> {
    let Some(route) = path::parse(req.uri().path()) else {
        return Err(OciError::not_found());
    };
    if let Some(name) = route.repository()
        && !path::valid_name(name)
    {
        return Err(OciError::name_invalid(name));
    }
    let method = req.method().clone();
    let (get, head) = (method == Method::GET, method == Method::HEAD);
    match route {
        Route::Base if get || head => base(ctx, req.headers()).await,
        Route::OAuthToken if get => oauth::get_token(ctx, req).await,
        Route::OAuthToken if method == Method::POST => oauth::post_token(ctx, req).await,
        Route::OAuthExchange if method == Method::POST => oauth::exchange(ctx, req).await,
        Route::Catalog if get => listing::catalog(ctx, req, listing::Api::V2).await,
        Route::AcrCatalog if get => listing::catalog(ctx, req, listing::Api::Acr).await,
        Route::TagsList(name) if get => listing::tags(ctx, req, &name).await,
        Route::Referrers(name, digest) if get => listing::referrers(ctx, req, &name, &digest).await,
        Route::Manifest(name, r) if get || head => manifests::get(ctx, req, &name, &r).await,
        Route::Manifest(name, r) if method == Method::PUT => {
            manifests::put(ctx, req, &name, &r).await
        }
        Route::Manifest(name, r) if method == Method::DELETE => {
            manifests::delete(ctx, req, &name, &r).await
        }
        Route::Blob(name, d) if get || head => blobs::get(ctx, req, &name, &d).await,
        Route::Blob(name, d) if method == Method::DELETE => {
            blobs::delete(ctx, req, &name, &d).await
        }
        Route::UploadStart(name) if method == Method::POST => uploads::start(ctx, req, &name).await,
        Route::Upload(name, id) if get => uploads::status(ctx, req, &name, &id).await,
        Route::Upload(name, id) if method == Method::PATCH => {
            uploads::patch(ctx, req, &name, &id).await
        }
        Route::Upload(name, id) if method == Method::PUT => {
            uploads::finish(ctx, req, &name, &id).await
        }
        Route::Upload(name, id) if method == Method::DELETE => {
            uploads::cancel(ctx, req, &name, &id).await
        }
        Route::AcrRepository(name) => acr::repository(ctx, req, &name).await,
        Route::AcrTags(name) if get => acr::tags(ctx, req, &name).await,
        Route::AcrTag(name, tag) => acr::tag(ctx, req, &name, &tag).await,
        Route::AcrManifests(name) if get => acr::manifests(ctx, req, &name).await,
        Route::AcrManifest(name, digest) => acr::manifest(ctx, req, &name, &digest).await,
        _ => Err(OciError::unsupported()),
    }
}

/// `GET /v2/`: 200 for any authenticated caller; otherwise ACR's challenge naming the realm
/// and service, which clients use to discover the token endpoint.
async fn base(ctx: &Ctx, headers: &HeaderMap) -> Result<Response, OciError> {
    auth::authorize(ctx, headers, &[]).await?;
    Ok((StatusCode::OK, axum::Json(serde_json::json!({}))).into_response())
}

/// Headers on every answer, as ACR sends them, and one log line per request (method, path,
/// status, duration; never a query string, header or body).
async fn common_headers(
    State(state): State<Arc<AppState>>,
    req: Request,
    next: axum::middleware::Next,
) -> Response {
    let (method, path) = (req.method().clone(), req.uri().path().to_string());
    let start = std::time::Instant::now();
    let mut resp = next.run(req).await;
    let h = resp.headers_mut();
    h.insert(
        "Docker-Distribution-API-Version",
        HeaderValue::from_static("registry/2.0"),
    );
    if let Ok(v) = HeaderValue::from_str(&super::store::secrets::unique_uuid()) {
        h.insert("X-Ms-Correlation-Request-Id", v);
    }
    if resp.status().is_server_error() && super::faults::label(&resp).is_none() {
        state.hooks.registry_server_error();
    }
    super::hooks::log_request(&method, &path, &resp, start, " (registry)");
    resp
}
