//! clap types of `acr login` (az's `az acr login`).

use clap::Args;

/// Log in to an Azure Container Registry.
///
/// Writes the registry credentials into the Docker/Podman/skopeo auth file, so those clients work with no Docker daemon involved. When that file names a credential helper for the registry ('credHelpers' or 'credsStore'), the credentials go to 'docker-credential-<helper>' instead, as 'docker login' does, and the file keeps no secret. With '--expose-token', prints an access token instead.
#[derive(Args, Debug)]
pub struct LoginArgs {
    /// The name of the container registry. It should be specified in lower case. You can configure the default registry name using `acr configure --defaults acr=<registry name>`.
    #[arg(long, short = 'n')]
    pub name: Option<String>,
    /// Expose refresh token instead of writing the credentials into the auth file.
    #[arg(long, short = 't')]
    pub expose_token: bool,
    /// The password used to log into a container registry.
    #[arg(long, short = 'p')]
    pub password: Option<String>,
    /// Read the password from standard input, so that it appears in no process list or shell history.
    #[arg(long, conflicts_with = "password")]
    pub password_stdin: bool,
    /// Name of resource group. You can configure the default group using `acr configure --defaults group=<name>`.
    #[arg(long, short = 'g')]
    pub resource_group: Option<String>,
    /// The tenant suffix in registry login server. You may specify '--suffix tenant' if your registry login server is in the format 'registry-tenant.azurecr.io'. Applicable if you're accessing the registry from a different subscription or you have permission to access images but not the permission to manage the registry resource.
    #[arg(long)]
    pub suffix: Option<String>,
    /// The username used to log into a container registry.
    #[arg(long, short = 'u')]
    pub username: Option<String>,
}
