//! clap types of `acr repository`.

use clap::{Args, Subcommand, ValueEnum};

use super::args::{PolicyArgs, YesArgs, parse_int, three_state};

#[derive(Args, Debug)]
pub struct RepositoryGroup {
    #[command(subcommand)]
    pub command: RepositoryCommand,
}

#[derive(Subcommand, Debug)]
pub enum RepositoryCommand {
    /// Delete a repository or image in an Azure Container Registry.
    ///
    /// This command deletes all associated layer data that are not referenced by any other manifest in the container registry.
    Delete(RepositoryDeleteArgs),
    /// List repositories in an Azure Container Registry.
    List(RepositoryListArgs),
    /// Get the attributes of a repository or image in an Azure Container Registry.
    Show(RepositoryShowArgs),
    /// Show manifests of a repository in an Azure Container Registry.
    #[command(hide = true)]
    ShowManifests(RepositoryShowTagsArgs),
    /// Show tags for a repository in an Azure Container Registry.
    ShowTags(RepositoryShowTagsArgs),
    /// Untag an image in an Azure Container Registry.
    ///
    /// This command does not delete the manifest referenced by the tag or any associated layer data.
    Untag(RepositoryUntagArgs),
    /// Update the attributes of a repository or image in an Azure Container Registry.
    Update(RepositoryUpdateArgs),
}

/// The registry and credentials every repository command takes.
#[derive(Args, Debug, Clone, Default)]
pub struct RegistryLogin {
    /// The name of the container registry. It should be specified in lower case. You can configure the default registry name using `acr configure --defaults acr=<registry name>`.
    #[arg(long, short = 'n')]
    pub name: Option<String>,
    /// The password used to log into a container registry.
    #[arg(long, short = 'p')]
    pub password: Option<String>,
    /// Read the password from standard input, so that it appears in no process list or shell history.
    #[arg(long, conflicts_with = "password")]
    pub password_stdin: bool,
    /// The tenant suffix in registry login server. You may specify '--suffix tenant' if your registry login server is in the format 'registry-tenant.azurecr.io'. Applicable if you're accessing the registry from a different subscription or you have permission to access images but not the permission to manage the registry resource.
    #[arg(long)]
    pub suffix: Option<String>,
    /// The username used to log into a container registry.
    #[arg(long, short = 'u')]
    pub username: Option<String>,
    /// Deprecated and ignored: the registry's resource group is found automatically.
    #[arg(long, short = 'g', hide = true)]
    pub resource_group: Option<String>,
}

/// List repositories in an Azure Container Registry.
#[derive(Args, Debug)]
pub struct RepositoryListArgs {
    #[command(flatten)]
    pub login: RegistryLogin,
    /// Limit the number of items in the results.
    #[arg(long, allow_negative_numbers = true, value_parser = parse_int)]
    pub top: Option<i64>,
}

/// `--orderby` values.
#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrderBy {
    #[value(name = "time_asc")]
    TimeAsc,
    #[value(name = "time_desc")]
    TimeDesc,
}

/// Show tags (or, deprecated, manifests) for a repository in an Azure Container Registry.
#[derive(Args, Debug)]
pub struct RepositoryShowTagsArgs {
    #[command(flatten)]
    pub login: RegistryLogin,
    /// The name of the repository.
    #[arg(long)]
    pub repository: Option<String>,
    /// Show detailed information.
    #[arg(long)]
    pub detail: bool,
    /// Order the items in the results. Default to alphabetical order of names.
    #[arg(long, value_enum, ignore_case = true)]
    pub orderby: Option<OrderBy>,
    /// Limit the number of items in the results.
    #[arg(long, allow_negative_numbers = true, value_parser = parse_int)]
    pub top: Option<i64>,
}

/// `--repository` / `--image` of the commands that take either.
#[derive(Args, Debug, Clone, Default)]
pub struct RepositoryOrImage {
    /// The name of the image. May include a tag in the format 'name:tag' or digest in the format 'name@digest'.
    #[arg(long, short = 't')]
    pub image: Option<String>,
    /// The name of the repository.
    #[arg(long)]
    pub repository: Option<String>,
}

/// Get the attributes of a repository or image in an Azure Container Registry.
#[derive(Args, Debug)]
pub struct RepositoryShowArgs {
    #[command(flatten)]
    pub login: RegistryLogin,
    #[command(flatten)]
    pub target: RepositoryOrImage,
}

/// Update the attributes of a repository or image in an Azure Container Registry.
#[derive(Args, Debug)]
pub struct RepositoryUpdateArgs {
    #[command(flatten)]
    pub login: RegistryLogin,
    #[command(flatten)]
    pub target: RepositoryOrImage,
    /// Indicates whether delete operation is allowed.
    #[arg(long, num_args = 0..=1, default_missing_value = "true", ignore_case = true, value_parser = three_state())]
    pub delete_enabled: Option<bool>,
    /// Indicates whether this item shows in list operation results.
    #[arg(long, num_args = 0..=1, default_missing_value = "true", ignore_case = true, value_parser = three_state())]
    pub list_enabled: Option<bool>,
    /// Indicates whether read operation is allowed.
    #[arg(long, num_args = 0..=1, default_missing_value = "true", ignore_case = true, value_parser = three_state())]
    pub read_enabled: Option<bool>,
    /// Indicates whether write or delete operation is allowed.
    #[arg(long, num_args = 0..=1, default_missing_value = "true", ignore_case = true, value_parser = three_state())]
    pub write_enabled: Option<bool>,
    #[command(flatten)]
    pub policy: PolicyArgs,
}

/// Untag an image in an Azure Container Registry.
#[derive(Args, Debug)]
pub struct RepositoryUntagArgs {
    /// The name of the image. May include a tag in the format 'name:tag'.
    #[arg(long, short = 't')]
    pub image: Option<String>,
    #[command(flatten)]
    pub login: RegistryLogin,
    #[command(flatten)]
    pub policy: PolicyArgs,
}

/// Delete a repository or image in an Azure Container Registry.
#[derive(Args, Debug)]
pub struct RepositoryDeleteArgs {
    #[command(flatten)]
    pub login: RegistryLogin,
    #[command(flatten)]
    pub target: RepositoryOrImage,
    #[command(flatten)]
    pub yes: YesArgs,
    #[command(flatten)]
    pub policy: PolicyArgs,
}
