//! argparse compatibility on top of clap: az's prefix abbreviation of long options, its
//! deprecated-alias warnings, its required-argument check (which honours configured defaults)
//! and its exact argument-error texts and exit code 2. clap does the actual parsing.

use clap::{Command, CommandFactory, FromArgMatches};

use super::Cli;
use crate::error::{Error, ParseError, Recommendation};

mod abbrev;
mod errors;
mod recommend;
pub(in crate::cli) mod required;

use abbrev::{expand_prefixes, option_strings};
use errors::map_clap_error;
use recommend::recommend;
pub use required::{RequiredArg, given, required_args};

/// The outcome of parsing a command line.
#[derive(Debug)]
pub enum Parsed {
    /// `--help` anywhere: show the help of the command at this path.
    Help(Vec<String>),
    /// `acr --version`.
    Version,
    /// A command to run.
    Run(Box<Invocation>),
}

/// A successfully parsed command line.
#[derive(Debug)]
pub struct Invocation {
    pub global: super::GlobalArgs,
    /// The command to run (a command line of global options only is the root help, as az
    /// shows its welcome text for it).
    pub command: super::Command,
    /// The command path, e.g. `["token", "create"]`.
    pub path: Vec<String>,
    /// Deprecation warnings argparse prints while parsing (`--days`, `--add`, …).
    pub warnings: Vec<String>,
    /// Whether `-o/--output` was on the command line (otherwise `core.output` applies).
    pub output_given: bool,
    /// `--query`, compiled while parsing as az does.
    pub query: Option<crate::output::query::Expression>,
}

/// Parses `args` (without the program name). `default_registry` says whether `defaults.acr`
/// is configured, which makes the registry argument optional.
pub fn parse(args: &[String], default_registry: bool) -> Result<Parsed, Error> {
    parse_with(args, || default_registry)
}

/// [`parse`] with `defaults.acr` looked up only when needed (the required-argument check of a
/// command that parsed), so that `--version`, `--help` and clap's argument errors read no
/// configuration.
pub fn parse_with(
    args: &[String],
    default_registry: impl FnOnce() -> bool,
) -> Result<Parsed, Error> {
    let mut root = Cli::command();
    let path = command_path(&root, args);
    let mut warnings = Vec::new();
    let expanded = {
        let leaf = find(&root, &path);
        let options = option_strings(&root, leaf);
        expand_prefixes(args, &options, &path, leaf, &mut warnings)?
    };

    if expanded
        .iter()
        .take_while(|a| *a != "--")
        .any(|a| a == "-h" || a == "--help")
    {
        return Ok(Parsed::Help(path));
    }
    if path.is_empty() && expanded.iter().any(|a| a == "--version") {
        return Ok(Parsed::Version);
    }
    if expanded.is_empty() {
        return Ok(Parsed::Help(path));
    }

    let argv = std::iter::once("acr".to_owned()).chain(expanded.iter().cloned());
    // clap parses the tree in place: cloning it first, then dropping both copies, cost more
    // than the parse itself (1.3 M of the 5.8 M instructions of a whole `credential
    // generate`). The error paths below describe the command from a fresh tree instead.
    let matches = root
        .try_get_matches_from_mut(argv)
        .map_err(|e| clap_error(&e, &path, &expanded))?;
    let cli = Cli::from_arg_matches(&matches).map_err(|e| clap_error(&e, &path, &expanded))?;

    let mut leaf_matches = &matches;
    for name in &path {
        match leaf_matches.subcommand_matches(name) {
            Some(m) => leaf_matches = m,
            None => break,
        }
    }
    let query = match &cli.global.query {
        Some(text) => Some(crate::output::query::compile(text).map_err(|_| {
            Error::Parse(ParseError {
                message: format!("argument --query: invalid jmespath_type value: '{text}'"),
                recommendation: Recommendation::Query,
            })
        })?),
        None => None,
    };
    let output_given = matches!(
        matches.value_source("output"),
        Some(clap::parser::ValueSource::CommandLine)
    );
    let path_text = path.join(" ");
    let default_registry = default_registry();
    let missing: Vec<&str> = required_args(&path_text)
        .iter()
        .filter(|r| !(r.is_registry && default_registry))
        .filter(|r| {
            !matches!(
                leaf_matches.value_source(r.id),
                Some(clap::parser::ValueSource::CommandLine)
            )
        })
        .map(|r| r.display)
        .collect();
    if !missing.is_empty() {
        return Err(Error::Parse(ParseError {
            message: format!(
                "the following arguments are required: {}",
                missing.join(", ")
            ),
            recommendation: Recommendation::Examples(recommend(
                &path_text,
                &expanded,
                find(&Cli::command(), &path),
            )),
        }));
    }
    // The tree is not needed past here, and the process ends soon after parsing: freeing
    // its thousands of allocations one by one would cost a few hundred thousand instructions.
    std::mem::forget(root);
    let Some(command) = cli.command else {
        return Ok(Parsed::Help(path));
    };
    Ok(Parsed::Run(Box::new(Invocation {
        global: cli.global,
        command,
        path,
        warnings,
        output_given,
        query,
    })))
}

/// The subcommand path named by the leading words of `args`, skipping global options.
fn command_path(root: &Command, args: &[String]) -> Vec<String> {
    let takes_value = |a: &str| matches!(a, "-o" | "--output" | "--query" | "--subscription");
    let mut cmd = root;
    let mut path = Vec::new();
    let mut i = 0;
    while i < args.len() && cmd.has_subcommands() {
        let arg = &args[i];
        if arg == "--" {
            break;
        }
        if arg.starts_with('-') {
            i += if takes_value(arg) { 2 } else { 1 };
            continue;
        }
        match cmd.find_subcommand(arg) {
            Some(sub) => {
                path.push(sub.get_name().to_owned());
                cmd = sub;
                i += 1;
            }
            None => break,
        }
    }
    path
}

/// An argument error of clap in az's words, described from a pristine tree (clap's parse
/// builds the tree it parses with, adding its own help arguments).
fn clap_error(e: &clap::Error, path: &[String], expanded: &[String]) -> Error {
    let root = Cli::command();
    Error::Parse(map_clap_error(e, &root, find(&root, path), path, expanded))
}

fn find<'a>(root: &'a Command, path: &[String]) -> &'a Command {
    path.iter()
        .fold(root, |cmd, name| cmd.find_subcommand(name).unwrap_or(cmd))
}

#[cfg(test)]
mod tests;
