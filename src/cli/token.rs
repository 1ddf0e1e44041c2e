//! clap types of `acr token` and `acr token credential`.

use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Subcommand, ValueEnum};

use super::args::{Permissions, PolicyArgs, RegistryArgs, YesArgs, parse_int, three_state};

#[derive(Args, Debug)]
pub struct TokenGroup {
    #[command(subcommand)]
    pub command: TokenCommand,
}

#[derive(Subcommand, Debug)]
pub enum TokenCommand {
    /// Create a token associated with a scope map for an Azure Container Registry.
    Create(TokenCreateArgs),
    /// Delete a token for an Azure Container Registry.
    Delete(TokenDeleteArgs),
    /// List all tokens for an Azure Container Registry.
    List(TokenListArgs),
    /// Show details and attributes of a token for an Azure Container Registry.
    Show(TokenShowArgs),
    /// Update a token (replace associated scope map) for an Azure Container Registry.
    Update(TokenUpdateArgs),
    /// Manage credentials of a token for an Azure Container Registry.
    Credential(CredentialGroup),
}

/// `--status` values, in az's order.
#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenStatus {
    Enabled,
    Disabled,
}

impl TokenStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            TokenStatus::Enabled => "enabled",
            TokenStatus::Disabled => "disabled",
        }
    }
}

/// `--name/-n` of the token commands.
#[derive(Args, Debug, Clone, Default)]
pub struct TokenName {
    /// The name of the token.
    #[arg(long, short = 'n')]
    pub name: Option<String>,
}

/// `--expiration` and `--expiration-in-days` of `token create`.
#[derive(Args, Debug, Clone, Default)]
pub struct Expiration {
    /// UTC time for which the credentials will be valid. In the format of %Y-%m-%dT%H:%M:%SZ, e.g. 2025-12-31T12:59:59Z.
    #[arg(long)]
    pub expiration: Option<String>,
    /// Number of days for which the credentials will be valid. If not specified, the expiration will default to the max value "9999-12-31T23:59:59.999999+00:00".
    #[arg(long, allow_negative_numbers = true, value_parser = parse_int)]
    pub expiration_in_days: Option<i64>,
}

/// Create a token associated with a scope map for an Azure Container Registry.
#[derive(Args, Debug)]
pub struct TokenCreateArgs {
    #[command(flatten)]
    pub name: TokenName,
    #[command(flatten)]
    pub registry: RegistryArgs,
    #[command(flatten)]
    pub expiration: Expiration,
    /// Do not generate passwords during token creation. You can generate the passwords after the token is created by using `acr token credential generate` command.
    #[arg(long, num_args = 0..=1, default_missing_value = "true", ignore_case = true, value_parser = three_state())]
    pub no_passwords: Option<bool>,
    #[command(flatten)]
    pub permissions: Permissions,
    /// The name of the scope map with pre-configured repository permissions. Use "--repository" and/or "--gateway" if you would like CLI to configure one for you.
    #[arg(long)]
    pub scope_map: Option<String>,
    /// The status of the token.
    #[arg(long, value_enum, ignore_case = true, default_value = "enabled")]
    pub status: TokenStatus,
    /// If the token exists with the same scope map (or, with --repository/--gateway, the same actions), leave it and its passwords untouched and print it as `acr token show` does; if it exists otherwise, fail and change nothing (an addition of acr).
    #[arg(long)]
    pub if_not_exists: bool,
    #[command(flatten)]
    pub secret: SecretFileArgs,
    #[command(flatten)]
    pub policy: PolicyArgs,
}

/// `--output-secret-file` and `--force` (acr's additions to the commands that generate
/// passwords).
#[derive(Args, Debug, Clone, Default)]
pub struct SecretFileArgs {
    /// Write the generated password(s) to this new file, created with mode 0600, instead of stdout, which shows "<written to PATH>" in their place. One password: the value alone, without a newline; two: the lines password1=VALUE and password2=VALUE. Refused if the file exists, unless --force (an addition of acr).
    #[arg(long, value_name = "PATH")]
    pub output_secret_file: Option<PathBuf>,
    /// Replace the file of --output-secret-file if it exists.
    #[arg(long)]
    pub force: bool,
}

/// `--expiring-within` and `--expired` (acr's additions to `token list` and `rotate --all`).
#[derive(Args, Debug, Clone, Default)]
pub struct ExpiryFilterArgs {
    /// Only tokens with a password that expires within this time from now, and has not expired yet: a number and a unit, d, h, m or s (7d, 12h, 30m). With --expired, tokens matching either (an addition of acr).
    #[arg(long, value_name = "DURATION", value_parser = crate::duration::parse)]
    pub expiring_within: Option<Duration>,
    /// Only tokens with a password that has expired (an addition of acr).
    #[arg(long)]
    pub expired: bool,
}

/// `--slot` of `token credential rotate`.
#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slot {
    Password1,
    Password2,
}

impl Slot {
    pub fn as_str(self) -> &'static str {
        match self {
            Slot::Password1 => "password1",
            Slot::Password2 => "password2",
        }
    }
}

/// Update a token (replace associated scope map) for an Azure Container Registry.
#[derive(Args, Debug)]
pub struct TokenUpdateArgs {
    #[command(flatten)]
    pub name: TokenName,
    #[command(flatten)]
    pub registry: RegistryArgs,
    /// The name of the scope map associated with the token. If not specified, the token keeps its current scope map.
    #[arg(long)]
    pub scope_map: Option<String>,
    /// The status of the token. If not specified, the status is unchanged.
    #[arg(long, value_enum, ignore_case = true)]
    pub status: Option<TokenStatus>,
    #[command(flatten)]
    pub policy: PolicyArgs,
}

/// Delete a token for an Azure Container Registry.
#[derive(Args, Debug)]
pub struct TokenDeleteArgs {
    #[command(flatten)]
    pub name: TokenName,
    #[command(flatten)]
    pub registry: RegistryArgs,
    #[command(flatten)]
    pub yes: YesArgs,
    #[command(flatten)]
    pub policy: PolicyArgs,
}

/// Show details and attributes of a token for an Azure Container Registry.
#[derive(Args, Debug)]
pub struct TokenShowArgs {
    #[command(flatten)]
    pub name: TokenName,
    #[command(flatten)]
    pub registry: RegistryArgs,
}

/// List all tokens for an Azure Container Registry.
#[derive(Args, Debug)]
pub struct TokenListArgs {
    #[command(flatten)]
    pub registry: RegistryArgs,
    #[command(flatten)]
    pub filter: ExpiryFilterArgs,
}

#[derive(Args, Debug)]
pub struct CredentialGroup {
    #[command(subcommand)]
    pub command: CredentialCommand,
}

#[derive(Subcommand, Debug)]
pub enum CredentialCommand {
    /// Delete a token credential.
    Delete(CredentialDeleteArgs),
    /// Generate or replace one or both passwords of a token for an Azure Container Registry. For using token and password to access a container registry, see https://aka.ms/acr/repo-permissions.
    Generate(CredentialGenerateArgs),
    /// Replace one password of a token, the empty one or else the older one, so the other keeps working (an addition of acr).
    Rotate(CredentialRotateArgs),
}

/// Generate or replace one or both passwords of a token for an Azure Container Registry. For using token and password to access a container registry, see https://aka.ms/acr/repo-permissions.
#[derive(Args, Debug)]
pub struct CredentialGenerateArgs {
    #[command(flatten)]
    pub name: TokenName,
    #[command(flatten)]
    pub registry: RegistryArgs,
    /// UTC time for which the credentials will be valid. In the format of %Y-%m-%dT%H:%M:%SZ, e.g. 2025-12-31T12:59:59Z.
    #[arg(long)]
    pub expiration: Option<String>,
    /// Number of days for which the credentials will be valid. If not specified, the expiration will default to the max value "9999-12-31T23:59:59.999999+00:00".
    #[arg(long, alias = "days", allow_negative_numbers = true, value_parser = parse_int)]
    pub expiration_in_days: Option<i64>,
    /// Flag indicating if password1 should be generated.
    #[arg(long)]
    pub password1: bool,
    /// Flag indicating if password2 should be generated.
    #[arg(long)]
    pub password2: bool,
    #[command(flatten)]
    pub secret: SecretFileArgs,
    #[command(flatten)]
    pub policy: PolicyArgs,
}

/// Replace one password of a token, the empty one or else the older one, so the other keeps working (an addition of acr). Prints what `acr token credential generate` prints, for the new password only. With --all, rotates every matching token of the registry, each new password into its own file.
#[derive(Args, Debug)]
pub struct CredentialRotateArgs {
    #[command(flatten)]
    pub name: TokenName,
    #[command(flatten)]
    pub registry: RegistryArgs,
    #[command(flatten)]
    pub expiration: Expiration,
    /// The password to replace, instead of the empty one or else the one with the older creationTime.
    #[arg(long, value_enum)]
    pub slot: Option<Slot>,
    /// Say which password would be replaced and why; change nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Authenticate to the registry's token endpoint with the new password until it is accepted (Azure takes up to a minute to replicate a new password) and only then report success; exit 1 if it is not accepted within --verify-timeout.
    #[arg(long)]
    pub verify: bool,
    /// How long --verify keeps trying: a number and a unit, d, h, m or s.
    #[arg(long, value_name = "DURATION", default_value = "120s", value_parser = crate::duration::parse)]
    pub verify_timeout: Duration,
    #[command(flatten)]
    pub secret: SecretFileArgs,
    /// Rotate every token of the registry (narrowed by --name-prefix, --expiring-within, --expired), one password each; needs --output-secret-dir. Running it again after an interrupted run finishes the rest without rotating a token twice.
    #[arg(long)]
    pub all: bool,
    /// With --all: only tokens whose name starts with this prefix (case-insensitive, like token names).
    #[arg(long, value_name = "PREFIX")]
    pub name_prefix: Option<String>,
    #[command(flatten)]
    pub filter: ExpiryFilterArgs,
    /// With --all: how many tokens are rotated at the same time. The default, 10, is the rate at which Azure Resource Manager refills a subscription's write allowance (10 a second); throttled requests (429) are retried after their Retry-After.
    #[arg(long, value_name = "N", default_value = "10", value_parser = parse_int)]
    pub max_parallel: i64,
    /// With --all: the directory (created with mode 0700) that receives each token's new password in a file named after the token (mode 0600, the value alone), and the run's journal.
    #[arg(long, value_name = "DIR")]
    pub output_secret_dir: Option<PathBuf>,
}

/// Delete a token credential.
#[derive(Args, Debug)]
pub struct CredentialDeleteArgs {
    #[command(flatten)]
    pub name: TokenName,
    #[command(flatten)]
    pub registry: RegistryArgs,
    /// Flag indicating if first password should be deleted.
    #[arg(long)]
    pub password1: bool,
    /// Flag indicating if second password should be deleted.
    #[arg(long)]
    pub password2: bool,
    #[command(flatten)]
    pub policy: PolicyArgs,
}
