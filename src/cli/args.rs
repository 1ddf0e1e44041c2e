//! Argument sets shared by several commands, and the value parsers that give argparse's
//! semantics (three-state booleans, Python-style integers).

use clap::builder::TypedValueParser;
use clap::{Arg, ArgAction, ArgMatches, Args, Command, FromArgMatches};

/// `--registry/-r` and `--resource-group/-g` of the token, token credential and scope-map groups.
#[derive(Args, Debug, Clone, Default)]
pub struct RegistryArgs {
    /// The name of the container registry. It should be specified in lower case. You can configure the default registry name using `acr configure --defaults acr=<registry name>`.
    #[arg(long, short = 'r')]
    pub registry: Option<String>,
    /// Name of resource group. You can configure the default group using `acr configure --defaults group=<name>`.
    #[arg(long, short = 'g')]
    pub resource_group: Option<String>,
}

/// az's "Global Policy Arguments" of write commands: accepted and ignored (they concern Azure
/// Policy, not ACR).
#[derive(Args, Debug, Clone, Default)]
pub struct PolicyArgs {
    /// Acquiring an Azure Policy token automatically for this resource operation.
    #[arg(long, help_heading = "Global Policy Arguments")]
    pub acquire_policy_token: bool,
    /// The related change reference ID for this resource operation.
    #[arg(long, help_heading = "Global Policy Arguments")]
    pub change_reference: Option<String>,
}

/// `--yes/-y` of the delete commands.
#[derive(Args, Debug, Clone, Default)]
pub struct YesArgs {
    /// Do not prompt for confirmation.
    #[arg(long, short = 'y')]
    pub yes: bool,
}

/// A three-state flag value: bare means true, otherwise `true`/`false` in any case.
pub fn parse_bool(value: &str) -> Result<bool, String> {
    match value.to_ascii_lowercase().as_str() {
        "true" => Ok(true),
        "false" => Ok(false),
        _ => Err(format!("'{value}' is not a valid value")),
    }
}

/// Python's `int()` on a command-line string: surrounding whitespace, a sign and `_` between
/// digits are accepted; anything else is argparse's "invalid int value".
pub fn parse_int(value: &str) -> Result<i64, String> {
    let invalid = || format!("invalid int value: '{value}'");
    let trimmed = value.trim();
    let (negative, digits) = match trimmed.as_bytes().first() {
        Some(b'-') => (true, &trimmed[1..]),
        Some(b'+') => (false, &trimmed[1..]),
        _ => (false, trimmed),
    };
    let well_formed = !digits.is_empty()
        && !digits.starts_with('_')
        && !digits.ends_with('_')
        && !digits.contains("__")
        && digits.chars().all(|c| c.is_ascii_digit() || c == '_');
    if !well_formed {
        return Err(invalid());
    }
    let magnitude: i64 = digits.replace('_', "").parse().map_err(|_| invalid())?;
    Ok(if negative { -magnitude } else { magnitude })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ints_like_python() {
        assert_eq!(parse_int(" 30 "), Ok(30));
        assert_eq!(parse_int("-5"), Ok(-5));
        assert_eq!(parse_int("+1_000"), Ok(1000));
        assert_eq!(parse_int("abc"), Err("invalid int value: 'abc'".into()));
        assert_eq!(parse_int("1.5"), Err("invalid int value: '1.5'".into()));
        assert_eq!(parse_int("_1"), Err("invalid int value: '_1'".into()));
        assert_eq!(parse_int(""), Err("invalid int value: ''".into()));
    }

    #[test]
    fn three_state_bools() {
        assert_eq!(parse_bool("TRUE"), Ok(true));
        assert_eq!(parse_bool("False"), Ok(false));
        assert!(parse_bool("maybe").is_err());
    }
}

/// The value parser of three-state flags (`--no-passwords`, `--delete-enabled`, …): the
/// canonical `true`/`false` matched case-insensitively, so clap reports az's allowed values.
pub fn three_state() -> impl clap::builder::TypedValueParser<Value = bool> {
    clap::builder::PossibleValuesParser::new(["false", "true"]).map(|v| v == "true")
}

/// A repeatable `--flag NAME ACTION [ACTION...]` argument (argparse `nargs='+'`,
/// `action='append'`): one inner list per occurrence.
fn grouped(id: &'static str, help: &'static str, value_name: &'static str) -> Arg {
    Arg::new(id)
        .long(id)
        .help(help)
        .num_args(1..)
        .action(ArgAction::Append)
        .value_name(value_name)
}

fn occurrences(matches: &ArgMatches, id: &str) -> Vec<Vec<String>> {
    matches
        .get_occurrences::<String>(id)
        .map(|occ| occ.map(|values| values.cloned().collect()).collect())
        .unwrap_or_default()
}

const REPOSITORY_HELP: &str = "Repository permissions. Use the format \"--repository REPO [ACTION1 ACTION2 ...]\" per flag. Valid actions are ['content/delete', 'content/read', 'content/write', 'metadata/read', 'metadata/write'].";
const GATEWAY_HELP: &str = "Gateway permissions. Use the format \"--gateway GATEWAY [ACTION1 ACTION2 ...]\" per flag. Valid actions are ['config/read', 'config/write', 'message/read', 'message/write'].";

/// `--repository` and `--gateway` of `token create` and `scope-map create`.
///
/// Written by hand because clap's derive cannot keep one list per occurrence (`Vec<Vec<_>>`)
/// without its unstable v5 behaviour.
#[derive(Debug, Clone, Default)]
pub struct Permissions {
    pub repository: Vec<Vec<String>>,
    pub gateway: Vec<Vec<String>>,
}

impl FromArgMatches for Permissions {
    fn from_arg_matches(matches: &ArgMatches) -> Result<Self, clap::Error> {
        Ok(Permissions {
            repository: occurrences(matches, "repository"),
            gateway: occurrences(matches, "gateway"),
        })
    }
    fn update_from_arg_matches(&mut self, matches: &ArgMatches) -> Result<(), clap::Error> {
        *self = Self::from_arg_matches(matches)?;
        Ok(())
    }
}

impl Args for Permissions {
    fn augment_args(cmd: Command) -> Command {
        cmd.arg(grouped("gateway", GATEWAY_HELP, "GATEWAY ACTION"))
            .arg(grouped("repository", REPOSITORY_HELP, "REPO ACTION"))
    }
    fn augment_args_for_update(cmd: Command) -> Command {
        Self::augment_args(cmd)
    }
}

/// `--add-repository` (alias `--add`), `--add-gateway`, `--remove-repository` (alias
/// `--remove`) and `--remove-gateway` of `scope-map update`.
#[derive(Debug, Clone, Default)]
pub struct PermissionChanges {
    pub add_repository: Vec<Vec<String>>,
    pub add_gateway: Vec<Vec<String>>,
    pub remove_repository: Vec<Vec<String>>,
    pub remove_gateway: Vec<Vec<String>>,
}

impl FromArgMatches for PermissionChanges {
    fn from_arg_matches(matches: &ArgMatches) -> Result<Self, clap::Error> {
        Ok(PermissionChanges {
            add_repository: occurrences(matches, "add-repository"),
            add_gateway: occurrences(matches, "add-gateway"),
            remove_repository: occurrences(matches, "remove-repository"),
            remove_gateway: occurrences(matches, "remove-gateway"),
        })
    }
    fn update_from_arg_matches(&mut self, matches: &ArgMatches) -> Result<(), clap::Error> {
        *self = Self::from_arg_matches(matches)?;
        Ok(())
    }
}

impl Args for PermissionChanges {
    fn augment_args(cmd: Command) -> Command {
        // Registration order decides argparse's "ambiguous option" listing:
        // `--ad` could match --add-repository, --add, --add-gateway.
        cmd.arg(grouped(
            "add-repository",
            "Repository permissions to be added. Use the format \"--add-repository REPO [ACTION1 ACTION2 ...]\" per flag. Valid actions are ['content/delete', 'content/read', 'content/write', 'metadata/read', 'metadata/write'].",
            "REPO ACTION",
        ).alias("add"))
        .arg(grouped(
            "add-gateway",
            "Gateway permissions to be added. Use the format \"--add-gateway GATEWAY [ACTION1 ACTION2 ...]\" per flag. Valid actions are ['config/read', 'config/write', 'message/read', 'message/write'].",
            "GATEWAY ACTION",
        ))
        .arg(grouped(
            "remove-repository",
            "Repository permissions to be removed. Use the format \"--remove-repository REPO [ACTION1 ACTION2 ...]\" per flag. Valid actions are ['content/delete', 'content/read', 'content/write', 'metadata/read', 'metadata/write'].",
            "REPO ACTION",
        ).alias("remove"))
        .arg(grouped(
            "remove-gateway",
            "Gateway permissions to be removed. Use the format \"--remove-gateway GATEWAY [ACTION1 ACTION2 ...]\" per flag. Valid actions are ['config/read', 'config/write', 'message/read', 'message/write'].",
            "GATEWAY ACTION",
        ))
    }
    fn augment_args_for_update(cmd: Command) -> Command {
        Self::augment_args(cmd)
    }
}
