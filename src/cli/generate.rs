//! Files generated from the clap tree and checked in: shell completions, man pages and
//! `docs/cli.md`. A test regenerates them and fails when the checked-in copies are stale
//! (`UPDATE_GENERATED=1` rewrites them), so they can never drift from the parser.

use clap::{Command, CommandFactory};
use clap_complete::Shell;

use super::Cli;

/// `(path relative to the repository root, contents)` of every generated file.
pub fn files() -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for (shell, file) in [
        (Shell::Bash, "completions/acr.bash"),
        (Shell::Zsh, "completions/_acr"),
        (Shell::Fish, "completions/acr.fish"),
        (Shell::PowerShell, "completions/_acr.ps1"),
    ] {
        let mut buf = Vec::new();
        clap_complete::generate(shell, &mut Cli::command(), "acr", &mut buf);
        out.push((file.to_owned(), buf));
    }
    let root = Cli::command();
    man_pages(&root, "acr", &mut out);
    out.push(("docs/cli.md".to_owned(), cli_markdown(&root).into_bytes()));
    out
}

/// One man page per command and group (`acr-token-create.1`), as clap_mangen recommends.
fn man_pages(cmd: &Command, name: &str, out: &mut Vec<(String, Vec<u8>)>) {
    let cmd = cmd
        .clone()
        .name(name.to_owned())
        .bin_name(name.replace('-', " "));
    let mut buf = Vec::new();
    if clap_mangen::Man::new(cmd.clone()).render(&mut buf).is_ok() {
        out.push((format!("docs/man/{name}.1"), buf));
    }
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        man_pages(sub, &format!("{name}-{}", sub.get_name()), out);
    }
}

/// The az-style help of every command, in one Markdown page.
fn cli_markdown(root: &Command) -> String {
    let mut out = String::from(
        "# acr command reference\n\nGenerated from the command tree (`UPDATE_GENERATED=1 cargo nextest run generated` rewrites it); do not edit by hand.\nEvery command also prints this with `--help`.\n",
    );
    let mut paths = Vec::new();
    collect(root, &mut Vec::new(), &mut paths);
    for path in paths {
        let title = std::iter::once("acr".to_owned())
            .chain(path.iter().cloned())
            .collect::<Vec<_>>()
            .join(" ");
        out.push_str(&format!(
            "\n## {title}\n\n```text{}```\n",
            super::help::render(root, &path, false)
        ));
    }
    out
}

fn collect(cmd: &Command, prefix: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
    out.push(prefix.clone());
    let mut subs: Vec<&Command> = cmd.get_subcommands().filter(|s| !s.is_hide_set()).collect();
    subs.sort_by_key(|s| s.get_name().to_owned());
    for sub in subs {
        prefix.push(sub.get_name().to_owned());
        collect(sub, prefix, out);
        prefix.pop();
    }
}
