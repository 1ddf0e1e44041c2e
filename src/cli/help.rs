//! `--help` in az's layout (Group/Command, Arguments, Global Arguments, Examples), rendered from
//! the clap tree so the help can never disagree with what the parser accepts. Not compared byte
//! for byte with az, but it lists the same names, aliases, choices and defaults.

use clap::{Arg, Command};

use super::examples;
use super::parse::{RequiredArg, required_args};

/// az wraps help text at 100 columns.
const WIDTH: usize = 100;

/// Renders the help of the command at `path` (e.g. `["token", "create"]`; empty for `acr`).
pub fn render(root: &Command, path: &[String], default_registry: bool) -> String {
    let mut cmd = root;
    for name in path {
        match cmd.find_subcommand(name) {
            Some(sub) => cmd = sub,
            None => break,
        }
    }
    let full_name = std::iter::once("acr".to_owned())
        .chain(path.iter().cloned())
        .collect::<Vec<_>>()
        .join(" ");
    if cmd.has_subcommands() {
        render_group(cmd, &full_name)
    } else {
        render_command(root, cmd, &full_name, &path.join(" "), default_registry)
    }
}

fn about(cmd: &Command) -> String {
    sentence(cmd.get_about().map(|a| a.to_string()).unwrap_or_default())
}

fn render_group(cmd: &Command, full_name: &str) -> String {
    let mut out = String::from("\nGroup\n");
    out.push_str(&wrap_prefixed(
        &format!("{full_name} : {}", about(cmd)),
        4,
        4,
    ));
    let visible: Vec<&Command> = cmd.get_subcommands().filter(|c| !c.is_hide_set()).collect();
    let mut groups: Vec<&Command> = visible
        .iter()
        .copied()
        .filter(|c| c.has_subcommands())
        .collect();
    let mut commands: Vec<&Command> = visible
        .iter()
        .copied()
        .filter(|c| !c.has_subcommands())
        .collect();
    groups.sort_by_key(|c| c.get_name().to_owned());
    commands.sort_by_key(|c| c.get_name().to_owned());
    let width = visible
        .iter()
        .map(|c| c.get_name().len())
        .max()
        .unwrap_or(0);
    for (title, list) in [("Subgroups", groups), ("Commands", commands)] {
        if list.is_empty() {
            continue;
        }
        out.push_str(&format!("\n{title}:\n"));
        for sub in list {
            let head = format!("    {:width$} : ", sub.get_name());
            out.push_str(&hanging(&head, &about(sub)));
        }
    }
    out.push('\n');
    out
}

/// One help row: the argument's names, its tag and its text with choices and default.
struct Row {
    names: String,
    tag: &'static str,
    text: String,
}

fn render_command(
    root: &Command,
    cmd: &Command,
    full_name: &str,
    path: &str,
    default_registry: bool,
) -> String {
    let mut out = String::from("\nCommand\n");
    out.push_str(&wrap_prefixed(
        &format!("{full_name} : {}", about(cmd)),
        4,
        4,
    ));
    if let Some(long) = cmd.get_long_about() {
        let long = long.to_string();
        if let Some((_, rest)) = long.split_once("\n\n") {
            out.push_str(&wrap_prefixed(rest.trim(), 8, 8));
        }
    }
    if path == "repository show-manifests" {
        out.push_str(&wrap_prefixed(
            "WARNING: This command has been deprecated and will be removed in a future release. Use 'acr manifest list-metadata' instead.",
            8,
            8,
        ));
    }

    let required = required_args(path);
    let is_required = |arg: &Arg| {
        required.iter().any(|r: &RequiredArg| {
            r.id == arg.get_id().as_str() && !(r.is_registry && default_registry)
        })
    };
    let mut own: Vec<Row> = Vec::new();
    let mut policy: Vec<Row> = Vec::new();
    for arg in cmd
        .get_arguments()
        .filter(|a| !a.is_hide_set() && !a.is_global_set())
    {
        let row = Row {
            names: names(arg),
            tag: if is_required(arg) { "[Required]" } else { "" },
            text: text(arg),
        };
        if arg.get_help_heading() == Some("Global Policy Arguments") {
            policy.push(row);
        } else {
            own.push(row);
        }
    }
    // az lists required arguments first, then the rest alphabetically.
    own.sort_by(|a, b| (a.tag.is_empty(), &a.names).cmp(&(b.tag.is_empty(), &b.names)));
    let mut global: Vec<Row> = root
        .get_arguments()
        .filter(|a| a.is_global_set() && !a.is_hide_set())
        .map(|a| Row {
            names: names(a),
            tag: "",
            text: text(a),
        })
        .collect();
    global.sort_by(|a, b| a.names.cmp(&b.names));

    let width = own
        .iter()
        .chain(&policy)
        .chain(&global)
        .map(|r| r.names.len() + if r.tag.is_empty() { 0 } else { r.tag.len() + 1 })
        .max()
        .unwrap_or(0);
    for (title, rows) in [
        ("Arguments", &own),
        ("Global Policy Arguments", &policy),
        ("Global Arguments", &global),
    ] {
        if rows.is_empty() {
            continue;
        }
        out.push_str(&format!("\n{title}\n"));
        for row in rows {
            let pad = width - row.names.len() - row.tag.len();
            let head = format!("    {}{}{} : ", row.names, " ".repeat(pad), row.tag);
            out.push_str(&hanging(&head, &row.text));
        }
    }

    let examples = examples::for_help(path);
    if !examples.is_empty() {
        out.push_str("\nExamples\n");
        for (summary, line) in &examples {
            out.push_str(&wrap_prefixed(summary, 4, 4));
            out.push_str(&wrap_prefixed(line, 8, 10));
            out.push('\n');
        }
    }
    out.push('\n');
    out
}

/// `--name -n`: the long name, then its short form, as az prints them.
fn names(arg: &Arg) -> String {
    let mut parts = Vec::new();
    if let Some(long) = arg.get_long() {
        parts.push(format!("--{long}"));
    }
    if let Some(short) = arg.get_short() {
        parts.push(format!("-{short}"));
    }
    parts.join(" ")
}

fn text(arg: &Arg) -> String {
    let mut text = sentence(arg.get_help().map(|h| h.to_string()).unwrap_or_default());
    let takes_values = arg.get_action().takes_values();
    let mut choices: Vec<String> = arg
        .get_possible_values()
        .iter()
        .filter(|v| !v.is_hide_set())
        .map(|v| v.get_name().to_owned())
        .collect();
    if takes_values && !choices.is_empty() {
        choices.sort();
        text.push_str(&format!("  Allowed values: {}.", choices.join(", ")));
    }
    let defaults: Vec<String> = arg
        .get_default_values()
        .iter()
        .map(|v| v.to_string_lossy().into_owned())
        .collect();
    if !defaults.is_empty() {
        text.push_str(&format!("  Default: {}.", defaults.join(" ")));
    }
    text
}

/// `head` followed by `text` wrapped so continuation lines align after `head`.
fn hanging(head: &str, text: &str) -> String {
    let indent = head.chars().count();
    let lines = wrap(text, WIDTH.saturating_sub(indent).max(20));
    let mut out = String::new();
    for (i, line) in lines.iter().enumerate() {
        if i == 0 {
            out.push_str(head);
        } else {
            out.push_str(&" ".repeat(indent));
        }
        out.push_str(line);
        out.push('\n');
    }
    if lines.is_empty() {
        out.push_str(head.trim_end());
        out.push('\n');
    }
    out
}

/// Wraps `text` with `first` spaces before the first line and `rest` before the others.
fn wrap_prefixed(text: &str, first: usize, rest: usize) -> String {
    let lines = wrap(text, WIDTH - rest);
    lines
        .iter()
        .enumerate()
        .map(|(i, l)| format!("{}{l}\n", " ".repeat(if i == 0 { first } else { rest })))
        .collect()
}

/// Greedy word wrap at `width` columns. Runs of spaces inside a line are kept (az separates
/// "Allowed values" and "Default" with two), but never start a continuation line.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut gap = 0;
    for word in text.split(' ') {
        if word.is_empty() {
            gap += 1;
            continue;
        }
        let sep = if line.is_empty() { 0 } else { gap + 1 };
        if !line.is_empty() && line.chars().count() + sep + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        } else {
            line.push_str(&" ".repeat(sep));
        }
        line.push_str(word);
        gap = 0;
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// clap drops the final period of one-line doc comments; az's texts have it.
fn sentence(text: String) -> String {
    let text = text.trim().to_owned();
    if text.is_empty() || text.ends_with(['.', '!', '?', ':']) {
        text
    } else {
        text + "."
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_greedily() {
        assert_eq!(wrap("aa bb cc", 5), vec!["aa bb", "cc"]);
        assert_eq!(hanging("    -x : ", "a b"), "    -x : a b\n");
        assert_eq!(
            wrap("Text.  Allowed values: a, b.", 100),
            vec!["Text.  Allowed values: a, b."]
        );
        assert_eq!(wrap("Text.  Allowed", 6), vec!["Text.", "Allowed"]);
        assert_eq!(sentence("The name".into()), "The name.");
    }
}
