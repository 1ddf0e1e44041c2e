//! clap's errors in argparse's words: az's exact texts for invalid and missing values,
//! unknown arguments (argparse's "extras"), unknown subcommands with a suggestion, conflicts,
//! each with the recommendation az adds.

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Arg, ArgAction, Command};

use super::recommend::{close_matches, looks_like_option, recommend};
use crate::error::{ParseError, Recommendation};

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

pub(super) fn map_clap_error(
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

fn first_line(err: &clap::Error) -> String {
    let text = err.to_string();
    let line = text.lines().next().unwrap_or_default();
    line.strip_prefix("error: ").unwrap_or(line).to_owned()
}
