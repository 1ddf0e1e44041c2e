//! What `env` prints: the variables (shared with `exec`), as POSIX-shell `export` lines with
//! quoting, or as JSON.

use super::*;

/// Quotes a value for POSIX shells.
pub fn shell_quote(s: &str) -> String {
    if !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "/-_.:,=@%+".contains(c))
    {
        return s.to_string();
    }
    format!("'{}'", s.replace('\'', "'\\''"))
}

/// The variables of `env --format sh` (and of the command `exec` runs), in that order.
pub fn env_vars(env: &EnvInfo) -> [(&'static str, &str); 10] {
    [
        ("AZURE_TENANT_ID", env.tenant_id.as_str()),
        ("AZURE_CLIENT_ID", env.client_id.as_str()),
        ("AZURE_CLIENT_SECRET", env.client_secret.as_str()),
        ("AZURE_AUTHORITY_HOST", env.authority.as_str()),
        ("AZURE_SUBSCRIPTION_ID", env.subscription_id.as_str()),
        ("ACR_RESOURCE_MANAGER", env.resource_manager.as_str()),
        ("ACR_CA_BUNDLE", env.ca_certificate.as_str()),
        (
            "ACR_LOGIN_SERVER_SUFFIX",
            env.acr_login_server_suffix.as_str(),
        ),
        ("ACR_CLOUD_NAME", crate::emulator::CLOUD_NAME),
        ("ACR_EMULATOR_CONSOLE_URL", env.console_url.as_str()),
    ]
}

/// The `export NAME=value` lines of `env --format sh`.
pub fn sh_lines(env: &EnvInfo) -> String {
    env_vars(env)
        .iter()
        .map(|(k, v)| format!("export {k}={}\n", shell_quote(v)))
        .collect()
}

pub(super) fn print_env(dir: &Path, format: Format) -> Result<()> {
    let env = read_env(dir)?;
    if !DataDirLock::is_held(dir) {
        eprintln!(
            "acr-emulator: warning: no emulator is running on {}; these values are from its last run",
            dir.display()
        );
    }
    let out = match format {
        Format::Json => format!("{}\n", serde_json::to_string_pretty(&env)?),
        Format::Sh => sh_lines(&env),
    };
    std::io::stdout().write_all(out.as_bytes())?;
    Ok(())
}
