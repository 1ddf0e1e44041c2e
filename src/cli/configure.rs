//! clap types of `acr configure` (az's `az configure`).

use clap::Args;

use super::args::three_state;

/// Manage acr configuration.
#[derive(Args, Debug)]
pub struct ConfigureArgs {
    /// Space-separated 'name=value' pairs for common argument defaults.
    #[arg(long, short = 'd', num_args = 1..)]
    pub defaults: Vec<String>,
    /// List all applicable defaults.
    #[arg(long, short = 'l', num_args = 0..=1, default_missing_value = "true", ignore_case = true, value_parser = three_state())]
    pub list_defaults: Option<bool>,
}
