//! The generated completions in `completions/` loaded into real shells, driven without a
//! terminal: bash with Debian's `bash-completion` (source both, then call the function
//! `complete -p acr` names with `COMP_WORDS`/`COMP_CWORD` set, and read `COMPREPLY`), zsh
//! (`compinit` over `completions/` in an interactive zsh on a `zpty`, a Tab typed after the
//! words, and the matches captured by wrapping `compadd`), and fish (`complete -C`). Each
//! checks `acr tok<TAB>` → `token`, `acr token cre<TAB>` → `create`/`credential` and
//! `acr token create --re<TAB>` → `--registry`/`--repository`. A missing shell skips with
//! `skipped:` unless `ACR_REQUIRE_CLIENTS=1` (CI).

use std::path::{Path, PathBuf};

use crate::support::clients::{client, run_env};

/// The command lines typed, and what every shell must offer for each (among its matches).
const CASES: [(&str, &[&str]); 3] = [
    ("acr tok", &["token"]),
    ("acr token cre", &["create", "credential"]),
    ("acr token create --re", &["--registry", "--repository"]),
];

fn completions_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("completions")
}

/// Asserts that `offered` holds every expected word and only words extending the last one
/// typed (shells filter by prefix; a wrong filter would show here).
#[track_caller]
fn check(shell: &str, line: &str, expected: &[&str], offered: &[String]) {
    for word in expected {
        assert!(
            offered.iter().any(|o| o == word),
            "{shell}: '{line}<TAB>' does not offer {word}: {offered:?}"
        );
    }
    let typed = line.rsplit(' ').next().unwrap();
    for o in offered {
        assert!(
            o.starts_with(typed),
            "{shell}: '{line}<TAB>' offers {o}, which does not extend '{typed}'"
        );
    }
}

/// Sources bash-completion and the generated script, then completes `$1` as bash would.
const BASH: &str = r#"
source /usr/share/bash-completion/bash_completion || exit 3
source "$ACR_COMPLETIONS/acr.bash" || exit 4
spec=$(complete -p acr) || exit 5
fn=${spec##*-F }; fn=${fn%% *}
COMP_LINE="$1"; COMP_POINT=${#1}
read -ra COMP_WORDS <<< "$1"
COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
"$fn" acr "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
printf '%s\n' "${COMPREPLY[@]}"
"#;

#[tokio::test]
async fn bash_with_bash_completion_completes_commands_and_options() {
    let Some(bash) = client("bash") else {
        return;
    };
    let library = Path::new("/usr/share/bash-completion/bash_completion");
    if !library.exists() {
        assert!(
            !crate::support::clients::required(),
            "ACR_REQUIRE_CLIENTS=1 but bash-completion is not installed"
        );
        println!("skipped: bash-completion is not installed");
        return;
    }
    for (line, expected) in CASES {
        let run = run_env(
            &bash,
            &["--norc", "--noprofile", "-c", BASH, "bash", line],
            [("ACR_COMPLETIONS", completions_dir())],
            "",
        )
        .await;
        assert!(run.ok, "bash: {line}: {}", run.stderr);
        let offered: Vec<String> = run.stdout.lines().map(str::to_owned).collect();
        check("bash", line, expected, &offered);
    }
}

/// Loaded by the interactive zsh on the pty: compinit over the generated `_acr`, Tab bound to
/// completion, markers around each completion, and `compadd` wrapped to print what it adds.
const ZSH_SETUP: &str = r#"
fpath=("$ACR_COMPLETIONS" $fpath)
autoload -Uz compinit && compinit -u -D
bindkey '^I' complete-word
zstyle ':completion:*' list-grouped false
zstyle ':completion:*' insert-tab false
__acr_begin() { print -r -- '<<BEGIN>>' }
__acr_end() { print -r -- '<<END>>'; exit }
compprefuncs=( __acr_begin )
comppostfuncs=( __acr_end )
compadd() {
    # Calls that only compute matches (-O, -A, -D) are the completion system's own business.
    if [[ ${@[1,(i)(-|--)]} == *-(O|A|D)\ * ]]; then
        builtin compadd "$@"; return $?
    fi
    typeset -a __acr_hits
    builtin compadd -A __acr_hits "$@"
    (( $#__acr_hits )) && print -rl -- '<<HIT>>'${^__acr_hits}
    builtin compadd "$@"
}
print -r -- '<<READY>>'
"#;

/// Runs an interactive zsh on a pty, types `$2` and a Tab, and prints the captured matches.
const ZSH_DRIVER: &str = r#"
zmodload zsh/zpty || exit 3
zpty z zsh -f -i
zpty -w z "source ${(q)1}"
zpty -r z line '*<<READY>>*' || exit 4
zpty -w -n z "$2"$'\t'
out=""
while zpty -r z line; do
  out+=$line
  [[ $out == *'<<END>>'* ]] && break
done
zpty -d z
print -r -- "${out//$'\r'/}"
"#;

#[tokio::test]
async fn zsh_completes_commands_and_options() {
    let Some(zsh) = client("zsh") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let setup = dir.path().join("setup.zsh");
    std::fs::write(&setup, ZSH_SETUP).unwrap();
    for (line, expected) in CASES {
        let run = tokio::time::timeout(
            std::time::Duration::from_secs(60),
            run_env(
                &zsh,
                &[
                    "-f",
                    "-c",
                    ZSH_DRIVER,
                    "zsh",
                    &setup.display().to_string(),
                    line,
                ],
                [
                    ("ACR_COMPLETIONS", completions_dir()),
                    ("HOME", dir.path().to_owned()),
                ],
                "",
            ),
        )
        .await
        .unwrap_or_else(|_| panic!("zsh did not finish completing '{line}'"));
        assert!(run.ok, "zsh: {line}: {}", run.stderr);
        assert!(
            run.stdout.contains("<<BEGIN>>") && run.stdout.contains("<<END>>"),
            "zsh: {line}: no completion ran:\n{}",
            run.stdout
        );
        let offered: Vec<String> = run
            .stdout
            .lines()
            .filter_map(|l| l.strip_prefix("<<HIT>>"))
            .map(str::to_owned)
            .collect();
        check("zsh", line, expected, &offered);
    }
}

#[tokio::test]
async fn fish_completes_commands_and_options() {
    let Some(fish) = client("fish") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let script = completions_dir().join("acr.fish");
    for (line, expected) in CASES {
        let command = format!("source {}; complete -C '{line}'", script.display());
        let run = run_env(
            &fish,
            &["--no-config", "-c", &command],
            [("HOME", dir.path())],
            "",
        )
        .await;
        assert!(run.ok, "fish: {line}: {}", run.stderr);
        // `candidate<TAB>description` per line.
        let offered: Vec<String> = run
            .stdout
            .lines()
            .map(|l| l.split('\t').next().unwrap().to_owned())
            .collect();
        check("fish", line, expected, &offered);
    }
}
