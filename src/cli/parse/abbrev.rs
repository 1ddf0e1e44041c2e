//! argparse's `allow_abbrev`: a unique prefix of a long option stands for it, an ambiguous
//! one is an error; and the deprecation warnings of the old option names.

use clap::Command;

use super::recommend::recommend;
use crate::error::{Error, ParseError, Recommendation};

/// Deprecated option aliases and their replacements.
const DEPRECATED: &[(&str, &str)] = &[
    ("--days", "--expiration-in-days"),
    ("--add", "--add-repository"),
    ("--remove", "--remove-repository"),
];

/// Every long option string the command accepts, in registration order (its own arguments,
/// then the global ones), the order argparse lists ambiguous matches in.
pub(super) fn option_strings(root: &Command, leaf: &Command) -> Vec<String> {
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
pub(super) fn expand_prefixes(
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
