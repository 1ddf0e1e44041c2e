//! The env document: what clients need to use an emulator (`acr-emulator env --format json`
//! prints it), and `state.json`, where a running emulator keeps it for `env` and `stop`. Only
//! the types and the file's reading and writing live here.

use std::path::Path;

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};

use super::{STATE_FILE, files};

/// What clients need to talk to the emulator; `acr-emulator env --format json` prints it.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct EnvInfo {
    pub resource_manager: String,
    pub authority: String,
    pub tenant_id: String,
    pub subscription_id: String,
    pub subscription_name: String,
    pub client_id: String,
    pub client_secret: String,
    pub identity_endpoint: String,
    pub identity_header: String,
    pub ca_certificate: String,
    pub registries: Vec<RegistryEnv>,
    /// A client assertion (JWT) the token endpoint accepts for `clientId` (workload identity).
    pub federated_token_file: String,
    /// The cloud's ACR login-server suffix with its leading dot.
    pub acr_login_server_suffix: String,
    /// The emulator process, for `stop`.
    pub pid: u32,
    /// The console's one-time sign-in link; replaced by a fresh one each time it is used
    /// and at each start. (Absent in state files of older versions.)
    #[serde(default)]
    pub console_url: String,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct RegistryEnv {
    pub name: String,
    pub resource_group: String,
    pub sku: String,
    pub login_server: String,
}

pub(crate) fn write_state(dir: &Path, env: &EnvInfo) -> Result<()> {
    let json = serde_json::to_vec_pretty(env)?;
    files::write_private(&dir.join(STATE_FILE), &json)
}

/// Reads the env document a running (or the last) emulator on `dir` wrote.
pub fn read_env(dir: &Path) -> Result<EnvInfo> {
    let path = dir.join(STATE_FILE);
    let bytes = std::fs::read(&path).with_context(|| {
        format!(
            "no emulator state in {} (start one with `acr-emulator start --data-dir {}`)",
            dir.display(),
            dir.display()
        )
    })?;
    serde_json::from_slice(&bytes).with_context(|| format!("reading {}", path.display()))
}
