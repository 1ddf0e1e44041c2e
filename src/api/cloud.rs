//! Azure clouds: the built-in ones az knows (their endpoints are az's, in `clouds.json`),
//! clouds registered with `acr cloud register` (kept in `clouds.json` in the configuration
//! directory), the active cloud (`cloud.name` / `AZURE_CLOUD_NAME`), and the cloud the
//! environment defines (`ACR_RESOURCE_MANAGER`, what `eval "$(acr-emulator env)"` sets), which
//! wins over everything so the emulator needs no further step.

use std::path::PathBuf;

use serde_json::{Map, Value, json};

use crate::config::Config;
use crate::error::{Error, Result};

const BUILTIN: &str = include_str!("clouds.json");

/// The parts of a cloud acr uses.
#[derive(Debug, Clone, PartialEq)]
pub struct Cloud {
    pub name: String,
    /// ARM endpoint, with a trailing slash.
    pub resource_manager: String,
    /// Entra authority host, without a trailing slash.
    pub active_directory: String,
    /// The audience of ARM tokens.
    pub active_directory_resource_id: String,
    /// The ACR login-server suffix with its leading dot (`.azurecr.io`).
    pub acr_suffix: String,
    /// Extra certificate authorities to trust for this cloud (acr only).
    pub ca_bundle: Option<PathBuf>,
    /// The cloud as `acr cloud show` prints it (az's shape).
    pub document: Value,
}

impl Cloud {
    fn from_document(document: &Value) -> Option<Cloud> {
        let endpoint = |k: &str| {
            document
                .pointer(&format!("/endpoints/{k}"))
                .and_then(Value::as_str)
                .map(str::to_owned)
        };
        let mut resource_manager = endpoint("resourceManager")?;
        if !resource_manager.ends_with('/') {
            resource_manager.push('/');
        }
        Some(Cloud {
            name: document.get("name")?.as_str()?.to_owned(),
            resource_manager,
            active_directory: endpoint("activeDirectory")?
                .trim_end_matches('/')
                .to_owned(),
            active_directory_resource_id: endpoint("activeDirectoryResourceId")
                .or_else(|| endpoint("management"))
                .unwrap_or_else(|| "https://management.core.windows.net/".to_owned()),
            acr_suffix: document
                .pointer("/suffixes/acrLoginServerEndpoint")
                .and_then(Value::as_str)
                .map(|s| {
                    if s.starts_with('.') || s.starts_with(':') {
                        s.to_owned()
                    } else {
                        format!(".{s}")
                    }
                })
                .unwrap_or_default(),
            ca_bundle: document
                .get("caBundle")
                .and_then(Value::as_str)
                .map(PathBuf::from),
            document: document.clone(),
        })
    }
}

fn builtin() -> Vec<Value> {
    serde_json::from_str(BUILTIN).expect("built-in clouds are valid JSON")
}

fn custom_path(config: &Config) -> PathBuf {
    config.dir().join("clouds.json")
}

/// Clouds registered with `acr cloud register`.
pub fn custom(config: &Config) -> Vec<Value> {
    std::fs::read(custom_path(config))
        .ok()
        .and_then(|bytes| serde_json::from_slice::<Vec<Value>>(&bytes).ok())
        .unwrap_or_default()
}

/// The cloud `ACR_RESOURCE_MANAGER` and friends define, if any.
pub fn from_environment(config: &Config) -> Option<Cloud> {
    let env = config.env();
    let arm = env.get("ACR_RESOURCE_MANAGER")?;
    let name = env.get("ACR_CLOUD_NAME").unwrap_or("Environment");
    let authority = env
        .get("AZURE_AUTHORITY_HOST")
        .unwrap_or("https://login.microsoftonline.com");
    let mut document = json!({
        "endpoints": {
            "activeDirectory": authority,
            "activeDirectoryResourceId": env.get("ACR_ARM_AUDIENCE").unwrap_or("https://management.core.windows.net/"),
            "management": env.get("ACR_ARM_AUDIENCE").unwrap_or("https://management.core.windows.net/"),
            "resourceManager": arm,
        },
        "isActive": true,
        "name": name,
        "profile": "latest",
        "suffixes": {"acrLoginServerEndpoint": env.get("ACR_LOGIN_SERVER_SUFFIX").unwrap_or(".azurecr.io")},
    });
    if let Some(ca) = env.get("ACR_CA_BUNDLE") {
        document["caBundle"] = Value::String(ca.to_owned());
    }
    Cloud::from_document(&document)
}

/// The name of the active cloud: `cloud.name` (or `AZURE_CLOUD_NAME`), else AzureCloud.
pub fn active_name(config: &Config) -> String {
    config
        .get("cloud", "name")
        .unwrap_or_else(|| "AzureCloud".to_owned())
}

/// Every known cloud document, built-ins first, with `isActive` set.
pub fn all(config: &Config) -> Vec<Value> {
    let env_cloud = from_environment(config);
    let active = env_cloud
        .as_ref()
        .map(|c| c.name.clone())
        .unwrap_or_else(|| active_name(config));
    let mut clouds: Vec<Value> = builtin().into_iter().chain(custom(config)).collect();
    if let Some(cloud) = env_cloud {
        clouds.retain(|c| c.get("name").and_then(Value::as_str) != Some(&cloud.name));
        clouds.push(cloud.document);
    }
    for cloud in &mut clouds {
        let is_active = cloud.get("name").and_then(Value::as_str) == Some(active.as_str());
        cloud["isActive"] = Value::Bool(is_active);
    }
    clouds
}

/// The cloud by name (case-insensitive, as az).
pub fn find(config: &Config, name: &str) -> Option<Cloud> {
    all(config)
        .iter()
        .find(|c| {
            c.get("name")
                .and_then(Value::as_str)
                .is_some_and(|n| n.eq_ignore_ascii_case(name))
        })
        .and_then(Cloud::from_document)
}

/// The cloud this invocation talks to.
pub fn current(config: &Config) -> Result<Cloud> {
    if let Some(cloud) = from_environment(config) {
        return Ok(cloud);
    }
    let name = active_name(config);
    find(config, &name).ok_or_else(|| Error::cli(format!("The cloud '{name}' is not registered.")))
}

/// Adds a custom cloud, failing if the name is taken (az's message).
pub fn register(config: &Config, document: Value) -> Result<()> {
    let name = document
        .get("name")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    if find(config, &name).is_some() {
        return Err(Error::cli(format!("Cloud '{name}' already exists.")));
    }
    let mut clouds = custom(config);
    clouds.push(document);
    let text = serde_json::to_vec_pretty(&clouds)?;
    Ok(crate::config::write_atomic(
        &custom_path(config),
        &text,
        false,
    )?)
}

/// A cloud document in az's shape from explicit endpoints.
pub fn document(
    name: &str,
    endpoints: Map<String, Value>,
    acr_suffix: Option<&str>,
    ca_bundle: Option<&str>,
) -> Value {
    let mut doc = json!({
        "endpoints": endpoints,
        "isActive": false,
        "name": name,
        "profile": "latest",
        "suffixes": {},
    });
    if let Some(suffix) = acr_suffix {
        doc["suffixes"]["acrLoginServerEndpoint"] = Value::String(suffix.to_owned());
    }
    if let Some(ca) = ca_bundle {
        doc["caBundle"] = Value::String(ca.to_owned());
    }
    doc
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Env;

    #[test]
    fn builtins_and_environment() {
        let dir = tempfile::tempdir().unwrap();
        let env = Env::with_config_dir(dir.path());
        let config = Config::load(&env);
        let cloud = current(&config).unwrap();
        assert_eq!(cloud.resource_manager, "https://management.azure.com/");
        assert_eq!(cloud.acr_suffix, ".azurecr.io");
        let china = find(&config, "azurechinacloud").unwrap();
        assert_eq!(china.acr_suffix, ".azurecr.cn");
        assert_eq!(
            china.resource_manager,
            "https://management.chinacloudapi.cn/"
        );

        let mut env = env.clone();
        for (k, v) in [
            ("ACR_RESOURCE_MANAGER", "https://127.0.0.1:8443/"),
            ("AZURE_AUTHORITY_HOST", "https://127.0.0.1:8443/aad"),
            ("ACR_LOGIN_SERVER_SUFFIX", ".azurecr.local"),
            ("ACR_CA_BUNDLE", "/tmp/ca.pem"),
            ("ACR_CLOUD_NAME", "AcrEmulator"),
        ] {
            env.set(k, v);
        }
        let config = Config::load(&env);
        let cloud = current(&config).unwrap();
        assert_eq!(cloud.name, "AcrEmulator");
        assert_eq!(cloud.active_directory, "https://127.0.0.1:8443/aad");
        assert_eq!(cloud.acr_suffix, ".azurecr.local");
        assert_eq!(cloud.ca_bundle, Some(PathBuf::from("/tmp/ca.pem")));
        assert!(
            all(&config)
                .iter()
                .any(|c| c["name"] == "AcrEmulator" && c["isActive"] == true)
        );
    }
}
