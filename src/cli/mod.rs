//! The clap definition of the whole `acr` command tree: types only, no logic and no I/O. Doc
//! comments are the help texts (rendered in az's layout by [`help`]); examples live in
//! [`examples`]; argparse compatibility (prefix abbreviation, az's error texts) in [`parse`].

use clap::{Args, Parser, Subcommand};

pub use crate::output::OutputFormat;

pub mod account;
pub mod args;
pub mod cloud;
pub mod configure;
pub mod examples;
pub mod generate;
pub mod help;
pub mod login;
pub mod parse;
pub mod repository;
pub mod scope_map;
pub mod token;

/// The `acr` command line.
#[derive(Parser, Debug)]
#[command(
    name = "acr",
    version,
    about = "Manage repository-scoped tokens, scope maps and repositories of Azure Container Registries.",
    disable_help_flag = true,
    disable_help_subcommand = true,
    disable_version_flag = true,
    args_override_self = true
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    /// Show the version of acr.
    #[arg(long)]
    pub version: bool,
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Arguments every command accepts (az's "Global Arguments").
#[derive(Args, Debug, Clone, Default)]
pub struct GlobalArgs {
    /// Increase logging verbosity to show all debug logs.
    #[arg(long, global = true)]
    pub debug: bool,
    /// Show this help message and exit.
    #[arg(long, short = 'h', global = true)]
    pub help: bool,
    /// Only show errors, suppressing warnings.
    #[arg(long, global = true)]
    pub only_show_errors: bool,
    /// Output format.
    #[arg(
        long,
        short = 'o',
        global = true,
        value_enum,
        ignore_case = true,
        default_value = "json",
        hide_default_value = false
    )]
    pub output: OutputFormat,
    /// JMESPath query string. See http://jmespath.org/ for more information and examples.
    #[arg(long, global = true)]
    pub query: Option<String>,
    /// Name or ID of subscription. Defaults to AZURE_SUBSCRIPTION_ID, then to the subscription of the signed-in identity.
    #[arg(long, global = true)]
    pub subscription: Option<String>,
    /// Increase logging verbosity. Use --debug for full debug logs.
    #[arg(long, global = true)]
    pub verbose: bool,
}

#[cfg(test)]
mod table_tests;

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Manage tokens for an Azure Container Registry.
    Token(token::TokenGroup),
    /// Manage scope access maps for Azure Container Registries.
    ScopeMap(scope_map::ScopeMapGroup),
    /// Manage repositories (image names) for Azure Container Registries.
    Repository(repository::RepositoryGroup),
    /// Log in to an Azure Container Registry, writing credentials that Docker, Podman and skopeo read.
    Login(login::LoginArgs),
    /// Manage the Azure sign-in acr uses for the management API.
    Account(account::AccountGroup),
    /// Manage registered Azure clouds.
    Cloud(cloud::CloudGroup),
    /// Manage acr configuration.
    Configure(configure::ConfigureArgs),
}
