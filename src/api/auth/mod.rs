//! Microsoft Entra credentials for the management API (and, for the data plane, the ACR
//! audience). The source is chosen once per invocation, in this order: an environment service
//! principal (`AZURE_CLIENT_ID`/`AZURE_TENANT_ID`/`AZURE_CLIENT_SECRET`), workload identity
//! (`AZURE_FEDERATED_TOKEN_FILE`), the service principal stored by `acr account login` (logging in
//! configures it), managed identity (App Service `IDENTITY_ENDPOINT`, then the VM metadata
//! endpoint), and an existing Azure CLI login. Access tokens are cached in a 0600 file until
//! shortly before they expire; secrets never reach stderr or a log.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};
use serde_json::Value;

mod flows;

use flows::which;

use super::cloud::Cloud;
use super::secrets::stored_account;
use crate::config::{Config, read_json, write_secret};
use crate::error::{Error, Result};
use crate::io::Diag;

/// Tokens closer than this to expiry are not reused.
const EXPIRY_MARGIN_SECS: i64 = 300;
/// How long a failed VM-metadata probe is remembered, so machines outside Azure don't pay the
/// probe on every command.
const IMDS_NEGATIVE_TTL_SECS: i64 = 600;
const DEFAULT_IMDS: &str = "http://169.254.169.254";

/// Where access tokens come from. Secrets are held only as long as the invocation runs.
#[derive(Clone)]
pub enum Source {
    Environment {
        tenant: String,
        client_id: String,
        secret: String,
    },
    WorkloadIdentity {
        tenant: String,
        client_id: String,
        token_file: PathBuf,
    },
    StoredServicePrincipal {
        tenant: String,
        client_id: String,
        secret: String,
    },
    AppServiceIdentity {
        endpoint: String,
        header: String,
        client_id: Option<String>,
    },
    VmIdentity {
        endpoint: String,
        client_id: Option<String>,
    },
    /// `env` is acr's (injected) environment, which the `az` child process runs with.
    AzureCli {
        program: String,
        env: crate::config::Env,
    },
}

impl Source {
    /// A short, secret-free description for `--debug` and `acr account show`.
    pub fn describe(&self) -> &'static str {
        match self {
            Source::Environment { .. } => "environment service principal",
            Source::WorkloadIdentity { .. } => "workload identity",
            Source::StoredServicePrincipal { .. } => "service principal from 'acr account login'",
            Source::AppServiceIdentity { .. } => "managed identity (App Service)",
            Source::VmIdentity { .. } => "managed identity (VM metadata endpoint)",
            Source::AzureCli { .. } => "Azure CLI login",
        }
    }

    /// The client (application) id, when there is one.
    pub fn client_id(&self) -> Option<&str> {
        match self {
            Source::Environment { client_id, .. }
            | Source::WorkloadIdentity { client_id, .. }
            | Source::StoredServicePrincipal { client_id, .. } => Some(client_id),
            Source::AppServiceIdentity { client_id, .. } | Source::VmIdentity { client_id, .. } => {
                client_id.as_deref()
            }
            Source::AzureCli { .. } => None,
        }
    }

    pub fn tenant(&self) -> Option<&str> {
        match self {
            Source::Environment { tenant, .. }
            | Source::WorkloadIdentity { tenant, .. }
            | Source::StoredServicePrincipal { tenant, .. } => Some(tenant),
            _ => None,
        }
    }

    fn cache_key(&self, cloud: &Cloud, resource: &str) -> String {
        let who = match self {
            Source::AzureCli { .. } => "azure-cli".to_owned(),
            Source::AppServiceIdentity {
                endpoint,
                client_id,
                ..
            }
            | Source::VmIdentity {
                endpoint,
                client_id,
            } => {
                format!("mi:{endpoint}:{}", client_id.as_deref().unwrap_or(""))
            }
            other => format!(
                "sp:{}:{}",
                other.tenant().unwrap_or(""),
                other.client_id().unwrap_or("")
            ),
        };
        format!("{}|{who}|{resource}", cloud.active_directory)
    }
}

/// An access token and when it expires (Unix seconds).
#[derive(Clone, Serialize, Deserialize)]
pub struct AccessToken {
    pub token: String,
    pub expires_on: i64,
    /// The subscription an Azure CLI login reported alongside its token.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subscription: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tenant: Option<String>,
}

/// A credential ready to hand out tokens.
#[derive(Clone)]
pub struct Credential {
    pub source: Source,
    pub cloud: Cloud,
    http: reqwest::Client,
    diag: Diag,
    cache_path: PathBuf,
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

impl Credential {
    /// Picks the first available source for `cloud`.
    pub async fn discover(
        config: &Config,
        cloud: &Cloud,
        http: reqwest::Client,
        diag: Diag,
    ) -> Result<Credential> {
        let env = config.env();
        let cache_path = config.dir().join("tokens.json");
        let make = |source: Source| Credential {
            source,
            cloud: cloud.clone(),
            http: http.clone(),
            diag: diag.clone(),
            cache_path: cache_path.clone(),
        };
        // An application of a tenant, with either a secret or a federated token file.
        let application = |proof: &str| {
            Some((
                env.get("AZURE_TENANT_ID")?.to_owned(),
                env.get("AZURE_CLIENT_ID")?.to_owned(),
                env.get(proof)?.to_owned(),
            ))
        };
        if let Some((tenant, client_id, secret)) = application("AZURE_CLIENT_SECRET") {
            return Ok(make(Source::Environment {
                tenant,
                client_id,
                secret,
            }));
        }
        if let Some((tenant, client_id, file)) = application("AZURE_FEDERATED_TOKEN_FILE") {
            return Ok(make(Source::WorkloadIdentity {
                tenant,
                client_id,
                token_file: file.into(),
            }));
        }
        if let Some(account) =
            stored_account(config).filter(|a| a.cloud.eq_ignore_ascii_case(&cloud.name))
        {
            let secret = super::secrets::load(config, &account).await?;
            return Ok(make(Source::StoredServicePrincipal {
                tenant: account.tenant,
                client_id: account.client_id,
                secret,
            }));
        }
        let user_assigned = env.get("AZURE_CLIENT_ID").map(str::to_owned);
        if let (Some(endpoint), Some(header)) =
            (env.get("IDENTITY_ENDPOINT"), env.get("IDENTITY_HEADER"))
        {
            return Ok(make(Source::AppServiceIdentity {
                endpoint: endpoint.into(),
                header: header.into(),
                client_id: user_assigned,
            }));
        }
        let imds = env
            .get("AZURE_POD_IDENTITY_AUTHORITY_HOST")
            .unwrap_or(DEFAULT_IMDS)
            .trim_end_matches('/')
            .to_owned();
        let vm = make(Source::VmIdentity {
            endpoint: imds,
            client_id: user_assigned,
        });
        if vm.imds_available().await {
            return Ok(vm);
        }
        let program = env.get("ACR_AZ_PATH").unwrap_or("az").to_owned();
        if which(&program, env.get("PATH")) {
            return Ok(make(Source::AzureCli {
                program,
                env: env.clone(),
            }));
        }
        Err(Error::NotSignedIn(
            "Please run 'acr account login' to setup account.".to_owned(),
        ))
    }

    /// A credential from an explicit source (used by `acr account login`).
    pub fn with_source(
        config: &Config,
        cloud: &Cloud,
        http: reqwest::Client,
        diag: Diag,
        source: Source,
    ) -> Credential {
        Credential {
            source,
            cloud: cloud.clone(),
            http,
            diag,
            cache_path: config.dir().join("tokens.json"),
        }
    }

    /// An access token for `resource` (an audience such as `https://management.core.windows.net/`).
    pub async fn token(&self, resource: &str) -> Result<AccessToken> {
        let key = self.source.cache_key(&self.cloud, resource);
        let mut cache = self.read_cache();
        if let Some(hit) = cache
            .get(&key)
            .filter(|t| t.expires_on - EXPIRY_MARGIN_SECS > now())
        {
            self.diag.debug(&format!(
                "Using a cached access token from the {}.",
                self.source.describe()
            ));
            return Ok(hit.clone());
        }
        self.diag.debug(&format!(
            "Requesting an access token from the {}.",
            self.source.describe()
        ));
        let token = self.fetch(resource).await?;
        cache.retain(|_, t| t.expires_on > now());
        cache.insert(key, token.clone());
        self.write_cache(&cache);
        Ok(token)
    }

    /// Forgets every cached token (`acr account logout`).
    pub fn clear_cache(config: &Config) {
        let _ = std::fs::remove_file(config.dir().join("tokens.json"));
    }

    fn read_cache(&self) -> BTreeMap<String, AccessToken> {
        read_json(&self.cache_path)
    }

    fn write_cache(&self, cache: &BTreeMap<String, AccessToken>) {
        // A cache that cannot be written only costs a token request next time.
        if let Ok(bytes) = serde_json::to_vec(cache) {
            let _ = write_secret(&self.cache_path, &bytes);
        }
    }
}

/// The claims of a JWT, without verifying it (for the tenant and identity of a token).
pub fn jwt_claims(token: &str) -> Option<Value> {
    use base64::Engine;
    let payload = token.split('.').nth(1)?;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload.trim_end_matches('='))
        .ok()?;
    serde_json::from_slice(&bytes).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jwt_payload() {
        let claims = jwt_claims("eyJhbGciOiJub25lIn0.eyJ0aWQiOiJ0In0.sig").unwrap();
        assert_eq!(claims["tid"], "t");
    }
}
