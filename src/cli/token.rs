//! clap types of `acr token` and `acr token credential`.

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
    #[command(flatten)]
    pub policy: PolicyArgs,
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
    pub policy: PolicyArgs,
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
