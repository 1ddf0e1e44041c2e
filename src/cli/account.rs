//! clap types of `acr account` (az's `az login`, `az account show`, `az logout`).

use clap::{Args, Subcommand};

#[derive(Args, Debug)]
pub struct AccountGroup {
    #[command(subcommand)]
    pub command: AccountCommand,
}

#[derive(Subcommand, Debug)]
pub enum AccountCommand {
    /// Log in with a service principal; its secret is kept in the OS keyring (or a 0600 file where no keyring exists).
    Login(AccountLoginArgs),
    /// Log out: forget the stored service principal and cached access tokens.
    Logout(AccountLogoutArgs),
    /// Show the identity and subscription acr uses.
    Show(AccountShowArgs),
}

/// Log in with a service principal.
#[derive(Args, Debug)]
pub struct AccountLoginArgs {
    /// Service principal secret. Prefer --password-stdin: a secret on the command line is visible in process lists and shell history.
    #[arg(long, short = 'p')]
    pub password: Option<String>,
    /// Read the service principal secret from standard input.
    #[arg(long, conflicts_with = "password")]
    pub password_stdin: bool,
    /// Log in with a service principal.
    #[arg(long)]
    pub service_principal: bool,
    /// The Microsoft Entra tenant, must be provided when using a service principal.
    #[arg(long, short = 't')]
    pub tenant: Option<String>,
    /// Service principal client ID.
    #[arg(long, short = 'u')]
    pub username: Option<String>,
}

/// Log out.
#[derive(Args, Debug)]
pub struct AccountLogoutArgs {}

/// Show the identity and subscription acr uses.
#[derive(Args, Debug)]
pub struct AccountShowArgs {}
