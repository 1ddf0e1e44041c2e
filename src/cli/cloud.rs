//! clap types of `acr cloud` (az's `az cloud`).

use clap::{Args, Subcommand};

#[derive(Args, Debug)]
pub struct CloudGroup {
    #[command(subcommand)]
    pub command: CloudCommand,
}

#[derive(Subcommand, Debug)]
pub enum CloudCommand {
    /// List registered clouds.
    List(CloudListArgs),
    /// Register a cloud.
    Register(CloudRegisterArgs),
    /// Set the active cloud.
    Set(CloudSetArgs),
    /// Get the details of a registered cloud.
    Show(CloudShowArgs),
}

/// List registered clouds.
#[derive(Args, Debug)]
pub struct CloudListArgs {}

/// Register a cloud.
///
/// When only --endpoint-resource-manager is given, the other endpoints are discovered from its metadata endpoint.
#[derive(Args, Debug)]
pub struct CloudRegisterArgs {
    /// Name of a registered cloud.
    #[arg(long, short = 'n')]
    pub name: Option<String>,
    /// A PEM file of certificate authorities to trust for this cloud's endpoints and registries (acr only).
    #[arg(long)]
    pub ca_bundle: Option<String>,
    /// The Active Directory login endpoint.
    #[arg(long)]
    pub endpoint_active_directory: Option<String>,
    /// The resource ID to obtain AD tokens for.
    #[arg(long)]
    pub endpoint_active_directory_resource_id: Option<String>,
    /// The resource management endpoint.
    #[arg(long)]
    pub endpoint_resource_manager: Option<String>,
    /// If specified, the cloud endpoints' auto discovery will be skipped.
    #[arg(long)]
    pub skip_endpoint_discovery: bool,
    /// The Azure Container Registry login server suffix.
    #[arg(long)]
    pub suffix_acr_login_server_endpoint: Option<String>,
}

/// Set the active cloud.
#[derive(Args, Debug)]
pub struct CloudSetArgs {
    /// Name of a registered cloud.
    #[arg(long, short = 'n')]
    pub name: Option<String>,
}

/// Get the details of a registered cloud.
#[derive(Args, Debug)]
pub struct CloudShowArgs {
    /// Name of a registered cloud. Default: the active cloud.
    #[arg(long, short = 'n')]
    pub name: Option<String>,
}
