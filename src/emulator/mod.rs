//! `acr-emulator`, the offline Azure that ships with `acr`: the ARM management API for
//! `Microsoft.ContainerRegistry` tokens and scope maps, a minimal identity service, and one
//! HTTPS data-plane listener per registry. This module owns the public types
//! ([`EmulatorOptions`], [`RegistrySpec`], [`Sku`], [`RunningEmulator`]), the shared
//! [`AppState`], and [`app`], which merges the identity, management and test-hook routers over
//! it; [`start`] lives in `startup`, the env document in `env`. It must not contain request
//! handling: that lives in `identity`, `management` and `registry`; state lives in `store`.

// No unchecked slicing or arithmetic on request data (docs/security.md, finding 5): these lints
// turn any new instance into a build failure. Where an operand is provably bounded and not
// request data, a local `#[allow]` says why. Unit tests (which index their fixtures freely) are
// exempt; `cargo clippy --all-targets` still checks the library build.
#![cfg_attr(
    not(test),
    deny(
        clippy::string_slice,
        clippy::indexing_slicing,
        clippy::arithmetic_side_effects
    )
)]

pub mod cli;
pub(crate) mod clock;
pub mod console;
mod env;
pub mod error;
pub mod exec;
pub mod faults;
pub(crate) mod files;
pub(crate) mod hooks;
pub(crate) mod identity;
mod listeners;
pub(crate) mod management;
pub mod registry;
mod startup;
pub mod store;
pub mod tls;

use std::path::PathBuf;
use std::str::FromStr;
use std::sync::Arc;

use anyhow::Result;
use axum::Router;
use serde::{Deserialize, Serialize};

use self::identity::jwt::Keys;
use self::listeners::Listeners;
use self::store::Store;

use self::env::write_state;
pub use self::env::{EnvInfo, RegistryEnv, read_env};
/// The request models the management API reads (for generated documentation).
pub use self::management::models as request_models;
pub use self::startup::start;
pub use self::store::{Denied, TokenIdentity};

/// The parsers that take request data, for the fuzz targets in `tests/fuzz/` (not an API).
/// Each entry point only parses; a panic anywhere below is a finding.
#[doc(hidden)]
pub mod fuzzing {
    /// `management::path::parse` (ARM paths).
    pub fn management_path(path: &str) {
        let _ = super::management::path::parse(path);
    }

    /// `management::body::parse` (ARM request bodies).
    pub fn management_body(bytes: &[u8]) {
        if let Ok(v) = super::management::body::parse(bytes) {
            let _ = serde_json::from_value::<serde_json::Map<String, serde_json::Value>>(v);
        }
    }

    /// The resources listing's OData `$filter`.
    pub fn filter(filter: &str) {
        let _ = super::management::subscriptions::parse_filter(filter);
    }

    /// A token certificate (`encodedPemCertificate`).
    pub fn certificate(encoded_pem: &str) {
        let _ = super::management::certificates::inspect(encoded_pem);
    }
}

/// The subscription's display name (fixed by the contract).
pub const SUBSCRIPTION_NAME: &str = "Emulator Subscription";
/// The resource group of the registries created at first start.
pub const DEFAULT_RESOURCE_GROUP: &str = "myresourcegroup";
/// The registry created at first start when no `--registry` is given.
pub const DEFAULT_REGISTRY: &str = "myregistry";
/// The location reported for resources.
pub const LOCATION: &str = "eastus";
/// The cloud's ACR login-server suffix, as `/metadata/endpoints` reports it (without the dot).
pub const ACR_SUFFIX: &str = "azurecr.local";
/// The cloud name `env --format sh` exports as `ACR_CLOUD_NAME`.
pub const CLOUD_NAME: &str = "AcrEmulator";

const DB_FILE: &str = "emulator.db";
const PEPPER_FILE: &str = "pepper";
const SIGNING_KEY_FILE: &str = "signing-key.pem";
const FEDERATED_TOKEN_FILE: &str = "federated-token";
pub(crate) const STATE_FILE: &str = "state.json";
pub(crate) const PID_FILE: &str = "emulator.pid";
pub(crate) const LOG_FILE: &str = "emulator.log";

/// A registry SKU the emulator can create.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Sku {
    Basic,
    Standard,
    Premium,
}

impl Sku {
    pub fn as_str(self) -> &'static str {
        match self {
            Sku::Basic => "Basic",
            Sku::Standard => "Standard",
            Sku::Premium => "Premium",
        }
    }
}

impl std::fmt::Display for Sku {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Sku {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "basic" => Ok(Sku::Basic),
            "standard" => Ok(Sku::Standard),
            "premium" => Ok(Sku::Premium),
            _ => Err(format!(
                "unknown SKU '{s}': expected Basic, Standard or Premium"
            )),
        }
    }
}

/// `NAME[:SKU]` as given to `--registry`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RegistrySpec {
    pub name: String,
    pub sku: Sku,
}

impl FromStr for RegistrySpec {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Self, Self::Err> {
        let (name, sku) = match s.split_once(':') {
            Some((n, k)) => (n, k.parse()?),
            None => (s, Sku::Premium),
        };
        if !management::rules::valid_registry_name(name) {
            return Err(format!(
                "invalid registry name '{name}': registry names may contain only alpha numeric characters and must be between 5 and 50 characters"
            ));
        }
        Ok(RegistrySpec {
            name: name.to_string(),
            sku,
        })
    }
}

pub struct EmulatorOptions {
    pub data_dir: PathBuf,
    /// HTTPS port for management, identity and metadata; 0 picks a free port.
    pub port: u16,
    /// Registries to create on first start; empty means the Premium `myregistry`.
    pub registries: Vec<RegistrySpec>,
    /// Serves `/_emulator/…` (request log, fault injection, LRO mode, page size).
    pub test_hooks: bool,
    /// Serves the VM-style managed-identity endpoint (`/metadata/identity/oauth2/token`),
    /// which, like the real IMDS, asks for no secret: anyone who can reach 127.0.0.1 gets
    /// owner tokens from it. Off unless `start --imds` (docs/security.md, finding 1).
    pub imds: bool,
    /// `--faults`: injected errors, resets, latency and ARM's rate limit, per plane.
    pub faults: faults::FaultSpec,
    /// `--fault-seed`: the seed of the fault sequence (`None`: a random one, logged at start).
    pub fault_seed: Option<u64>,
    /// How long a newly generated token password is refused by the data plane, modelling
    /// Azure's replication delay (`--password-propagation`; zero by default).
    pub password_propagation: std::time::Duration,
}

impl EmulatorOptions {
    pub fn default_data_dir() -> PathBuf {
        dirs::data_dir()
            .unwrap_or_else(std::env::temp_dir)
            .join("acr-emulator")
    }
}

/// Generated once per data dir and stable across restarts.
#[derive(Clone, Debug)]
pub(crate) struct Settings {
    pub tenant_id: String,
    pub subscription_id: String,
    pub client_id: String,
    pub client_secret: String,
    pub sp_object_id: String,
    pub mi_client_id: String,
    pub mi_object_id: String,
    pub identity_header: String,
}

/// Everything a request handler may touch.
pub struct AppState {
    pub(crate) store: Store,
    pub(crate) settings: Settings,
    pub(crate) keys: Keys,
    /// `https://127.0.0.1:PORT`, without trailing slash.
    pub(crate) base_url: String,
    pub(crate) data_dir: PathBuf,
    pub(crate) ca_path: PathBuf,
    pub(crate) hooks: hooks::Hooks,
    pub(crate) operations: management::operations::Operations,
    pub(crate) listeners: Listeners,
    /// The console's sign-in secret and sessions.
    pub(crate) console: console::Console,
    /// Whether the unauthenticated VM-style identity endpoint answers (`start --imds`).
    pub(crate) imds: bool,
    /// `--faults`, shared with every data-plane router.
    pub(crate) faults: Arc<faults::Faults>,
    /// The upload sessions open in all registries, against the emulator-wide cap.
    pub(crate) uploads: Arc<registry::uploads::Budget>,
}

impl AppState {
    /// The env document for the current registries.
    pub(crate) async fn env_info(&self) -> EnvInfo {
        let regs = self
            .store
            .run(|db| db.list_registries(None))
            .await
            .unwrap_or_default();
        self.env_from(regs)
    }

    fn env_from(&self, regs: Vec<store::Registry>) -> EnvInfo {
        let s = &self.settings;
        EnvInfo {
            resource_manager: format!("{}/", self.base_url),
            authority: format!("{}/aad", self.base_url),
            tenant_id: s.tenant_id.clone(),
            subscription_id: s.subscription_id.clone(),
            subscription_name: SUBSCRIPTION_NAME.to_string(),
            client_id: s.client_id.clone(),
            client_secret: s.client_secret.clone(),
            identity_endpoint: format!("{}/msi/token", self.base_url),
            identity_header: s.identity_header.clone(),
            ca_certificate: self.ca_path.display().to_string(),
            registries: regs
                .into_iter()
                .map(|r| RegistryEnv {
                    name: r.name,
                    resource_group: r.resource_group,
                    sku: r.sku.as_str().to_string(),
                    login_server: format!("127.0.0.1:{}", r.port),
                })
                .collect(),
            federated_token_file: self
                .data_dir
                .join(FEDERATED_TOKEN_FILE)
                .display()
                .to_string(),
            acr_login_server_suffix: format!(".{ACR_SUFFIX}"),
            pid: std::process::id(),
            console_url: console::signin_url(&self.base_url, &self.console.signin_secret()),
        }
    }

    /// Rewrites `state.json` (read by `acr-emulator env` and `stop`) after registries change.
    pub(crate) async fn write_state_file(&self) {
        let env = self.env_info().await;
        if let Err(e) = write_state(&self.data_dir, &env) {
            eprintln!("acr-emulator: cannot write {STATE_FILE}: {e:#}");
        }
    }

    /// Starts the data-plane listener of `registry` on an already bound socket.
    pub(crate) fn serve_registry(
        self: &Arc<Self>,
        registry: &str,
        listener: std::net::TcpListener,
    ) -> Result<()> {
        let port = listener.local_addr()?.port();
        let router = registry::router(self.clone(), registry, port);
        self.listeners
            .serve(&registry.to_ascii_lowercase(), listener, router)
    }
}

/// The router of the main port: identity, metadata, management and (when enabled) the test
/// hooks, with request logging around all of them.
pub fn app(state: Arc<AppState>) -> Router {
    let mut router = identity::router()
        .merge(console::router())
        .merge(management::router());
    if state.hooks.enabled() {
        router = router.merge(hooks::router());
    }
    let inner = router
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            faults::arm_or_identity,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            hooks::observe,
        ))
        .with_state(state);
    // An outer router so that paths are normalised before the inner one routes them.
    Router::new()
        .fallback_service(inner)
        .layer(axum::middleware::from_fn(collapse_slashes))
}

/// az sends `{resourceManager}/metadata/endpoints` with a resource manager that ends in `/`,
/// i.e. `//metadata/endpoints`; ARM treats repeated slashes as one, and so do we.
async fn collapse_slashes(
    mut req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let path = req.uri().path();
    if path.contains("//") {
        let mut collapsed = String::with_capacity(path.len());
        for c in path.chars() {
            if !(c == '/' && collapsed.ends_with('/')) {
                collapsed.push(c);
            }
        }
        let pq = match req.uri().query() {
            Some(q) => format!("{collapsed}?{q}"),
            None => collapsed,
        };
        let mut parts = req.uri().clone().into_parts();
        if let Ok(p) = pq.parse() {
            parts.path_and_query = Some(p);
            if let Ok(uri) = axum::http::Uri::from_parts(parts) {
                *req.uri_mut() = uri;
            }
        }
    }
    next.run(req).await
}

/// A started emulator. Dropping it without [`RunningEmulator::shutdown`] leaves the servers
/// running until the runtime ends.
pub struct RunningEmulator {
    env: EnvInfo,
    state: Arc<AppState>,
    _lock: files::DataDirLock,
}

impl RunningEmulator {
    pub fn env(&self) -> &EnvInfo {
        &self.env
    }

    /// The current env document (registries created since start included).
    pub async fn current_env(&self) -> EnvInfo {
        self.state.env_info().await
    }

    /// Stops every listener and waits for them; the data-dir lock is released afterwards.
    pub async fn shutdown(self) {
        self.state.listeners.shutdown_all().await;
        let _ = std::fs::remove_file(self.state.data_dir.join(PID_FILE));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registry_spec_parses_name_and_sku() {
        assert_eq!(
            "other:basic".parse::<RegistrySpec>().unwrap(),
            RegistrySpec {
                name: "other".into(),
                sku: Sku::Basic
            }
        );
        assert_eq!(
            "myregistry".parse::<RegistrySpec>().unwrap().sku,
            Sku::Premium
        );
        assert!("bad-name:Basic".parse::<RegistrySpec>().is_err());
        assert!("other:Gold".parse::<RegistrySpec>().is_err());
        assert!("abc".parse::<RegistrySpec>().is_err());
    }
}
