//! argparse compatibility on top of clap: az's prefix abbreviation of long options, its
//! deprecated-alias warnings, its required-argument check (which honours configured defaults)
//! and its exact argument-error texts and exit code 2. clap does the actual parsing.

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Arg, ArgAction, Command, CommandFactory, FromArgMatches};

use super::{Cli, examples};
use crate::error::{Error, Example, ParseError, Recommendation};

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
    pub cli: Cli,
    /// The command path, e.g. `["token", "create"]`.
    pub path: Vec<String>,
    /// Deprecation warnings argparse prints while parsing (`--days`, `--add`, …).
    pub warnings: Vec<String>,
    /// Whether `-o/--output` was on the command line (otherwise `core.output` applies).
    pub output_given: bool,
    /// `--query`, compiled while parsing as az does.
    pub query: Option<crate::output::query::Expression>,
}

/// An argument az requires unless, for the registry, a default is configured.
#[derive(Debug, Clone, Copy)]
pub struct RequiredArg {
    pub id: &'static str,
    pub display: &'static str,
    pub is_registry: bool,
}

const REGISTRY: RequiredArg = RequiredArg {
    id: "registry",
    display: "--registry/-r",
    is_registry: true,
};
const TOKEN_OR_MAP_NAME: RequiredArg = RequiredArg {
    id: "name",
    display: "--name/-n",
    is_registry: false,
};
const REGISTRY_NAME: RequiredArg = RequiredArg {
    id: "name",
    display: "--name/-n",
    is_registry: true,
};
const REPOSITORY: RequiredArg = RequiredArg {
    id: "repository",
    display: "--repository",
    is_registry: false,
};
const IMAGE: RequiredArg = RequiredArg {
    id: "image",
    display: "--image/-t",
    is_registry: false,
};
const CLOUD_NAME: RequiredArg = RequiredArg {
    id: "name",
    display: "--name/-n",
    is_registry: false,
};

/// Required arguments per command, in the order az reports them.
pub fn required_args(path: &str) -> &'static [RequiredArg] {
    match path {
        "token create"
        | "token update"
        | "token delete"
        | "token show"
        | "token credential generate"
        | "token credential delete"
        | "scope-map create"
        | "scope-map update"
        | "scope-map delete"
        | "scope-map show" => &[REGISTRY, TOKEN_OR_MAP_NAME],
        "token list" | "scope-map list" => &[REGISTRY],
        "repository list" | "repository show" | "repository update" | "repository delete"
        | "login" => &[REGISTRY_NAME],
        "repository show-tags" | "repository show-manifests" => &[REGISTRY_NAME, REPOSITORY],
        "repository untag" => &[REGISTRY_NAME, IMAGE],
        "cloud register" | "cloud set" => &[CLOUD_NAME],
        _ => &[],
    }
}

/// Deprecated option aliases and their replacements.
const DEPRECATED: &[(&str, &str)] = &[
    ("--days", "--expiration-in-days"),
    ("--add", "--add-repository"),
    ("--remove", "--remove-repository"),
];

/// Parses `args` (without the program name). `default_registry` says whether `defaults.acr`
/// is configured, which makes the registry argument optional.
pub fn parse(args: &[String], default_registry: bool) -> Result<Parsed, Error> {
    let root = Cli::command();
    let path = command_path(&root, args);
    let leaf = find(&root, &path);
    let options = option_strings(&root, leaf);
    let mut warnings = Vec::new();
    let expanded = expand_prefixes(args, &options, &path, leaf, &mut warnings)?;

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
    let matches = root
        .clone()
        .try_get_matches_from(argv)
        .map_err(|e| Error::Parse(map_clap_error(&e, &root, leaf, &path, &expanded)))?;
    let cli = Cli::from_arg_matches(&matches)
        .map_err(|e| Error::Parse(map_clap_error(&e, &root, leaf, &path, &expanded)))?;

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
            recommendation: Recommendation::Examples(recommend(&path_text, &expanded, leaf)),
        }));
    }
    Ok(Parsed::Run(Box::new(Invocation {
        cli,
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

fn find<'a>(root: &'a Command, path: &[String]) -> &'a Command {
    path.iter()
        .fold(root, |cmd, name| cmd.find_subcommand(name).unwrap_or(cmd))
}

/// Every long option string the command accepts, in registration order (its own arguments,
/// then the global ones), the order argparse lists ambiguous matches in.
fn option_strings(root: &Command, leaf: &Command) -> Vec<String> {
    let own = leaf.get_arguments().filter(|a| !a.is_global_set());
    let global = root.get_arguments().filter(|a| a.is_global_set());
    let mut out = Vec::new();
    for arg in own.chain(global) {
        if let Some(long) = arg.get_long() {
            out.push(format!("--{long}"));
        }
        if let Some(aliases) = arg.get_all_aliases() {
            out.extend(aliases.into_iter().map(|a| format!("--{a}")));
        }
    }
    if leaf.get_name() == root.get_name() {
        out.push("--version".to_owned());
    }
    out
}

/// argparse's `allow_abbrev`: a unique prefix of a long option stands for it; an ambiguous one
/// is an error. Also collects the deprecation warnings of aliases that were used.
fn expand_prefixes(
    args: &[String],
    options: &[String],
    path: &[String],
    leaf: &Command,
    warnings: &mut Vec<String>,
) -> Result<Vec<String>, Error> {
    let mut out = Vec::with_capacity(args.len());
    let mut rest_positional = false;
    for arg in args {
        if rest_positional || !arg.starts_with("--") || arg == "--" {
            rest_positional |= arg == "--";
            out.push(arg.clone());
            continue;
        }
        let (name, value) = match arg.split_once('=') {
            Some((n, v)) => (n, Some(v)),
            None => (arg.as_str(), None),
        };
        let resolved = if options.iter().any(|o| o == name) {
            name.to_owned()
        } else if arg.contains(' ') {
            // argparse treats an unknown option string with a space as a positional value.
            out.push(arg.clone());
            continue;
        } else {
            let candidates: Vec<&String> = options.iter().filter(|o| o.starts_with(name)).collect();
            match candidates.as_slice() {
                [one] => (*one).clone(),
                [] => name.to_owned(),
                many => {
                    let matches: Vec<&str> = many.iter().map(|s| s.as_str()).collect();
                    return Err(Error::Parse(ParseError {
                        message: format!(
                            "ambiguous option: {arg} could match {}",
                            matches.join(", ")
                        ),
                        recommendation: Recommendation::Examples(recommend(
                            &path.join(" "),
                            args,
                            leaf,
                        )),
                    }));
                }
            }
        };
        if let Some((old, new)) = DEPRECATED.iter().find(|(old, _)| *old == resolved) {
            warnings.push(format!(
                "Option '{old}' has been deprecated and will be removed in a future release. Use '{new}' instead."
            ));
        }
        out.push(match value {
            Some(v) => format!("{resolved}={v}"),
            None => resolved,
        });
    }
    Ok(out)
}

/// argparse's display of an option: its option strings joined by `/` (`--output/-o`).
fn display_name(arg: &Arg) -> String {
    let mut names = Vec::new();
    if let Some(long) = arg.get_long() {
        names.push(format!("--{long}"));
    }
    if let Some(aliases) = arg.get_all_aliases() {
        names.extend(aliases.into_iter().map(|a| format!("--{a}")));
    }
    if let Some(short) = arg.get_short() {
        names.push(format!("-{short}"));
    }
    names.join("/")
}

/// The `--long` form az uses in "is not a valid value for '--status'".
fn long_name(arg: &Arg) -> String {
    arg.get_long()
        .map(|l| format!("--{l}"))
        .unwrap_or_else(|| display_name(arg))
}

fn context_string(err: &clap::Error, kind: ContextKind) -> Option<String> {
    match err.get(kind)? {
        ContextValue::String(s) => Some(s.clone()),
        ContextValue::Strings(v) => v.first().cloned(),
        _ => None,
    }
}

/// The clap argument an error is about, found from clap's rendering of it (`--status <STATUS>`).
fn erroneous_arg<'a>(err: &clap::Error, root: &'a Command, leaf: &'a Command) -> Option<&'a Arg> {
    let shown = context_string(err, ContextKind::InvalidArg)?;
    let token = shown
        .split([' ', '='])
        .next()?
        .trim_matches(|c| c == '[' || c == '<');
    let matches = |a: &&Arg| {
        a.get_long().map(|l| format!("--{l}")).as_deref() == Some(token)
            || a.get_short().map(|s| format!("-{s}")).as_deref() == Some(token)
    };
    leaf.get_arguments()
        .find(matches)
        .or_else(|| root.get_arguments().find(matches))
}

/// The prog name az puts in front of "is not a valid value" messages.
fn prog(path: &[String]) -> String {
    match path.first().map(String::as_str) {
        Some("token" | "scope-map" | "repository" | "login") => {
            format!("az acr {}", path.join(" "))
        }
        Some("account") => match path.get(1).map(String::as_str) {
            Some("login") => "az login".to_owned(),
            Some("logout") => "az logout".to_owned(),
            _ => format!("az {}", path.join(" ")),
        },
        Some(_) => format!("az {}", path.join(" ")),
        None => "az".to_owned(),
    }
}

fn map_clap_error(
    err: &clap::Error,
    root: &Command,
    leaf: &Command,
    path: &[String],
    args: &[String],
) -> ParseError {
    let path_text = path.join(" ");
    let with_examples = |message: String| ParseError {
        message,
        recommendation: Recommendation::Examples(recommend(&path_text, args, leaf)),
    };
    let arg = erroneous_arg(err, root, leaf);
    let value = context_string(err, ContextKind::InvalidValue);
    match err.kind() {
        ErrorKind::InvalidValue => {
            let arg = match arg {
                Some(a) => a,
                None => return with_examples(first_line(err)),
            };
            if value_missing(arg, args) {
                let expected = match arg.get_num_args() {
                    Some(r) if r.max_values() > 1 => "expected at least one argument",
                    _ => "expected one argument",
                };
                return with_examples(format!("argument {}: {expected}", display_name(arg)));
            }
            let allowed: Vec<String> = arg
                .get_possible_values()
                .iter()
                .map(|v| v.get_name().to_owned())
                .collect();
            let allowed = if allowed == ["false", "true"] {
                vec!["true".to_owned(), "false".to_owned()]
            } else {
                allowed
            };
            with_examples(format!(
                "{}: '{}' is not a valid value for '{}'. Allowed values: {}.",
                prog(path),
                value.unwrap_or_default(),
                long_name(arg),
                allowed.join(", ")
            ))
        }
        ErrorKind::ValueValidation => {
            let reason = std::error::Error::source(err)
                .map(|s| s.to_string())
                .unwrap_or_else(|| first_line(err));
            match arg {
                Some(a) => with_examples(format!("argument {}: {reason}", display_name(a))),
                None => with_examples(reason),
            }
        }
        ErrorKind::TooManyValues | ErrorKind::UnknownArgument
            if is_explicit_flag_value(err, leaf) =>
        {
            let (name, value) = explicit_flag_value(err).unwrap_or_default();
            with_examples(format!(
                "argument {name}: ignored explicit argument '{value}'"
            ))
        }
        ErrorKind::UnknownArgument | ErrorKind::TooManyValues => ParseError {
            message: format!(
                "unrecognized arguments: {}",
                unrecognized(root, leaf, path, args).join(" ")
            ),
            recommendation: Recommendation::LinkOnly,
        },
        ErrorKind::InvalidSubcommand => {
            let typed = context_string(err, ContextKind::InvalidSubcommand).unwrap_or_default();
            // The group the unknown word was typed in: the deepest command of the path.
            let choices: Vec<&str> = leaf.get_subcommands().map(|c| c.get_name()).collect();
            let mut message = format!("'{typed}' is misspelled or not recognized by the system.");
            match close_matches(&typed, &choices).first() {
                Some(best) => {
                    message.push_str(&format!("\nDid you mean '{best}' ?"));
                    let inferred = format!("{} {best}", path_text).trim().to_owned();
                    ParseError {
                        message,
                        recommendation: Recommendation::Examples(recommend(&inferred, args, leaf)),
                    }
                }
                None => ParseError {
                    message,
                    recommendation: Recommendation::LinkOnly,
                },
            }
        }
        ErrorKind::MissingSubcommand | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            ParseError {
                message: "the following arguments are required: _subcommand".to_owned(),
                recommendation: Recommendation::LinkOnly,
            }
        }
        ErrorKind::ArgumentConflict => {
            let other = context_string(err, ContextKind::PriorArg).unwrap_or_default();
            let this = arg.map(display_name).unwrap_or_default();
            let other_arg = other.split(' ').next().unwrap_or_default().to_owned();
            let other_display = leaf
                .get_arguments()
                .find(|a| a.get_long().map(|l| format!("--{l}")) == Some(other_arg.clone()))
                .map(display_name)
                .unwrap_or(other_arg);
            with_examples(format!(
                "argument {this}: not allowed with argument {other_display}"
            ))
        }
        _ => with_examples(first_line(err)),
    }
}

/// Whether the option in error was given without the value it needs (the next token is missing
/// or is itself an option), which argparse reports as "expected one argument".
fn value_missing(arg: &Arg, args: &[String]) -> bool {
    let names: Vec<String> = display_name(arg).split('/').map(str::to_owned).collect();
    let Some(pos) = args.iter().rposition(|a| names.contains(a)) else {
        return false;
    };
    match args.get(pos + 1) {
        None => true,
        Some(next) => looks_like_option(next),
    }
}

fn looks_like_option(token: &str) -> bool {
    token.starts_with('-') && token.len() > 1 && !is_negative_number(token)
}

fn is_negative_number(token: &str) -> bool {
    let rest = &token[1..];
    !rest.is_empty()
        && rest.chars().all(|c| c.is_ascii_digit() || c == '.')
        && rest.chars().filter(|&c| c == '.').count() <= 1
}

/// clap reports `--password1=true` (a value given to a plain flag) as an unexpected value.
fn is_explicit_flag_value(err: &clap::Error, leaf: &Command) -> bool {
    match explicit_flag_value(err) {
        Some((name, _)) => leaf.get_arguments().any(|a| {
            a.get_long().map(|l| format!("--{l}")) == Some(name.clone())
                && matches!(a.get_action(), ArgAction::SetTrue)
        }),
        None => false,
    }
}

fn explicit_flag_value(err: &clap::Error) -> Option<(String, String)> {
    let shown = context_string(err, ContextKind::InvalidArg)?;
    match shown.split_once('=') {
        Some((name, value)) => Some((name.to_owned(), value.to_owned())),
        None => Some((shown, context_string(err, ContextKind::InvalidValue)?)),
    }
}

/// argparse's "extras": unknown options and every value no option consumed.
fn unrecognized(root: &Command, leaf: &Command, path: &[String], args: &[String]) -> Vec<String> {
    let lookup = |token: &str| -> Option<&Arg> {
        let by = |a: &&Arg| {
            if let Some(long) = token.strip_prefix("--") {
                a.get_long() == Some(long)
                    || a.get_all_aliases().is_some_and(|al| al.contains(&long))
            } else {
                let mut chars = token.chars().skip(1);
                chars.next().is_some_and(|c| a.get_short() == Some(c))
            }
        };
        leaf.get_arguments()
            .find(by)
            .or_else(|| root.get_arguments().find(by))
    };
    let mut extras = Vec::new();
    let mut remaining_path: &[String] = path;
    let mut i = 0;
    while i < args.len() {
        let token = &args[i];
        i += 1;
        if let Some((first, rest)) = remaining_path.split_first()
            && token == first
        {
            remaining_path = rest;
            continue;
        }
        if token == "--" {
            extras.extend(args[i..].iter().cloned());
            break;
        }
        if !looks_like_option(token) {
            extras.push(token.clone());
            continue;
        }
        let (name, inline) = match token.split_once('=') {
            Some((n, _)) if token.starts_with("--") => (n, true),
            _ => (token.as_str(), !token.starts_with("--") && token.len() > 2),
        };
        let Some(arg) = lookup(name) else {
            extras.push(token.clone());
            continue;
        };
        if inline {
            continue;
        }
        let (min, max) = arg
            .get_num_args()
            .map(|r| (r.min_values(), r.max_values()))
            .unwrap_or((1, 1));
        let takes = if matches!(arg.get_action(), ArgAction::SetTrue | ArgAction::SetFalse) {
            0
        } else {
            max
        };
        let mut taken = 0;
        while taken < takes && i < args.len() && !looks_like_option(&args[i]) {
            i += 1;
            taken += 1;
        }
        let _ = min;
    }
    extras
}

/// Python's `difflib.get_close_matches(word, choices, cutoff=0.7)`: best first, ties broken by
/// the larger string, as `heapq.nlargest` does.
fn close_matches<'a>(word: &str, choices: &[&'a str]) -> Vec<&'a str> {
    let mut scored: Vec<(f64, &str)> = choices
        .iter()
        .map(|c| (similarity(word, c), *c))
        .filter(|(score, _)| *score >= 0.7)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(b.1.cmp(a.1)));
    scored.into_iter().take(3).map(|(_, c)| c).collect()
}

/// `difflib.SequenceMatcher(None, a, b).ratio()`: twice the matched characters over the total,
/// matches found as the longest common block, then recursively left and right of it.
fn similarity(a: &str, b: &str) -> f64 {
    fn matched(a: &[char], b: &[char]) -> usize {
        let (mut best, mut best_i, mut best_j) = (0, 0, 0);
        for i in 0..a.len() {
            for j in 0..b.len() {
                let mut k = 0;
                while i + k < a.len() && j + k < b.len() && a[i + k] == b[j + k] {
                    k += 1;
                }
                if k > best {
                    (best, best_i, best_j) = (k, i, j);
                }
            }
        }
        if best == 0 {
            return 0;
        }
        best + matched(&a[..best_i], &b[..best_j])
            + matched(&a[best_i + best..], &b[best_j + best..])
    }
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    2.0 * matched(&a, &b) as f64 / (a.len() + b.len()) as f64
}

fn first_line(err: &clap::Error) -> String {
    let text = err.to_string();
    let line = text.lines().next().unwrap_or_default();
    line.strip_prefix("error: ").unwrap_or(line).to_owned()
}

/// az's recommender: the command's help examples sorted by how many of the user's parameters
/// they use (more first), then by how few parameters they have; the first three.
fn recommend(path: &str, args: &[String], leaf: &Command) -> Vec<Example> {
    let normalize = |tokens: &mut dyn Iterator<Item = &str>| -> Vec<String> {
        let mut names: Vec<String> = tokens
            .filter(|t| looks_like_option(t))
            .filter_map(|t| {
                let name = t.split('=').next().unwrap_or(t);
                if name.starts_with("--") {
                    return Some(name.to_owned());
                }
                leaf.get_arguments()
                    .find(|a| a.get_short().map(|s| format!("-{s}")).as_deref() == Some(name))
                    .and_then(|a| a.get_long().map(|l| format!("--{l}")))
                    .or(Some(name.to_owned()))
            })
            .collect();
        names.sort();
        names
    };
    let user = normalize(&mut args.iter().map(String::as_str));
    let mut candidates: Vec<(usize, usize, Example)> = examples::for_command(path)
        .iter()
        .map(|(summary, line)| {
            let params = normalize(&mut line.split_whitespace());
            let matches = params.iter().filter(|p| user.contains(p)).count();
            (
                matches,
                params.len(),
                Example {
                    command: (*line).to_owned(),
                    summary: (*summary).to_owned(),
                },
            )
        })
        .collect();
    candidates.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    candidates.into_iter().take(3).map(|(_, _, e)| e).collect()
}

#[cfg(test)]
mod tests;
