//! The string-keyed tables beside the clap types (`parse::required::REQUIRED`,
//! `examples::EXAMPLES`) cannot drift from the command tree: every leaf command has an entry in
//! each, every entry names a leaf, and every required argument is an argument of its command.

use clap::{Command, CommandFactory};

use super::Cli;
use super::examples::EXAMPLES;
use super::parse::required::REQUIRED;

/// Every leaf command of the tree, as a space-separated path (`token credential generate`).
fn leaves(cmd: &Command, prefix: &str, out: &mut Vec<(String, Command)>) {
    for sub in cmd.get_subcommands() {
        let path = format!("{prefix} {}", sub.get_name()).trim().to_owned();
        if sub.has_subcommands() {
            leaves(sub, &path, out);
        } else {
            out.push((path, sub.clone()));
        }
    }
}

fn tree() -> Vec<(String, Command)> {
    let mut out = Vec::new();
    leaves(&Cli::command(), "", &mut out);
    out
}

/// Each table key once, and exactly the leaves of the tree.
fn assert_matches_tree(table: &str, keys: Vec<&str>) {
    let leaves: Vec<String> = tree().into_iter().map(|(path, _)| path).collect();
    for leaf in &leaves {
        let n = keys.iter().filter(|k| *k == leaf).count();
        assert_eq!(n, 1, "{table} has {n} entries for the command `{leaf}`");
    }
    for key in &keys {
        assert!(
            leaves.iter().any(|l| l == key),
            "{table} names `{key}`, which is not a command"
        );
    }
}

#[test]
fn required_arguments_cover_every_command() {
    assert_matches_tree("REQUIRED", REQUIRED.iter().map(|(p, _)| *p).collect());
}

#[test]
fn examples_cover_every_command() {
    assert_matches_tree("EXAMPLES", EXAMPLES.iter().map(|(p, _)| *p).collect());
}

#[test]
fn required_arguments_are_arguments_of_their_command() {
    let tree = tree();
    for (path, required) in REQUIRED {
        let Some((_, leaf)) = tree.iter().find(|(p, _)| p == path) else {
            continue; // reported by required_arguments_cover_every_command
        };
        for arg in *required {
            let found = leaf.get_arguments().find(|a| a.get_id() == arg.id);
            let found = found.unwrap_or_else(|| panic!("`{path}` has no argument `{}`", arg.id));
            let mut names: Vec<String> = found
                .get_long()
                .map(|l| format!("--{l}"))
                .into_iter()
                .collect();
            names.extend(found.get_short().map(|s| format!("-{s}")));
            assert_eq!(
                names.join("/"),
                arg.display,
                "the display of `{path}` {}",
                arg.id
            );
        }
    }
}

#[test]
fn a_table_missing_a_command_is_caught() {
    // The check above must be able to fail: drop one leaf and it does.
    let keys: Vec<&str> = REQUIRED
        .iter()
        .map(|(p, _)| *p)
        .filter(|p| *p != "token show")
        .collect();
    let caught = std::panic::catch_unwind(|| assert_matches_tree("REQUIRED", keys));
    assert!(caught.is_err());
    let mut extra: Vec<&str> = REQUIRED.iter().map(|(p, _)| *p).collect();
    extra.push("token rotate");
    let caught = std::panic::catch_unwind(|| assert_matches_tree("REQUIRED", extra));
    assert!(caught.is_err());
}
