//! clap types of `acr scope-map`.

use clap::{Args, Subcommand};

use super::args::{PermissionChanges, Permissions, PolicyArgs, RegistryArgs, YesArgs};

#[derive(Args, Debug)]
pub struct ScopeMapGroup {
    #[command(subcommand)]
    pub command: ScopeMapCommand,
}

#[derive(Subcommand, Debug)]
pub enum ScopeMapCommand {
    /// Create a scope map for an Azure Container Registry.
    Create(ScopeMapCreateArgs),
    /// Delete a scope map for an Azure Container Registry.
    Delete(ScopeMapDeleteArgs),
    /// List all scope maps for an Azure Container Registry.
    List(ScopeMapListArgs),
    /// Show details and attributes of a scope map for an Azure Container Registry.
    Show(ScopeMapShowArgs),
    /// Update a scope map for an Azure Container Registry.
    Update(ScopeMapUpdateArgs),
}

/// `--name/-n` of the scope-map commands.
#[derive(Args, Debug, Clone, Default)]
pub struct ScopeMapName {
    /// The name of the scope map.
    #[arg(long, short = 'n')]
    pub name: Option<String>,
}

/// Create a scope map for an Azure Container Registry.
#[derive(Args, Debug)]
pub struct ScopeMapCreateArgs {
    #[command(flatten)]
    pub name: ScopeMapName,
    #[command(flatten)]
    pub registry: RegistryArgs,
    /// Description for the scope map. Maximum 256 characters are allowed.
    #[arg(long)]
    pub description: Option<String>,
    #[command(flatten)]
    pub permissions: Permissions,
    #[command(flatten)]
    pub policy: PolicyArgs,
}

/// Update a scope map for an Azure Container Registry.
#[derive(Args, Debug)]
pub struct ScopeMapUpdateArgs {
    #[command(flatten)]
    pub name: ScopeMapName,
    #[command(flatten)]
    pub registry: RegistryArgs,
    #[command(flatten)]
    pub changes: PermissionChanges,
    /// Description for the scope map. Maximum 256 characters are allowed.
    #[arg(long)]
    pub description: Option<String>,
    #[command(flatten)]
    pub policy: PolicyArgs,
}

/// Delete a scope map for an Azure Container Registry.
#[derive(Args, Debug)]
pub struct ScopeMapDeleteArgs {
    #[command(flatten)]
    pub name: ScopeMapName,
    #[command(flatten)]
    pub registry: RegistryArgs,
    #[command(flatten)]
    pub yes: YesArgs,
    #[command(flatten)]
    pub policy: PolicyArgs,
}

/// Show details and attributes of a scope map for an Azure Container Registry.
#[derive(Args, Debug)]
pub struct ScopeMapShowArgs {
    #[command(flatten)]
    pub name: ScopeMapName,
    #[command(flatten)]
    pub registry: RegistryArgs,
}

/// List all scope maps for an Azure Container Registry.
#[derive(Args, Debug)]
pub struct ScopeMapListArgs {
    #[command(flatten)]
    pub registry: RegistryArgs,
}
