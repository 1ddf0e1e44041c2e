//! The README's quick start must stay true. Both of its shell blocks, taken from between their
//! markers so that the README and the test cannot drift apart, run verbatim in bash:
//! * the one-command quick start (`<!-- quick-start:… -->`) in a directory whose
//!   `target/release` holds the binaries under test, with `cargo` a function that accepts
//!   exactly `build --release` (the test does not rebuild what it is testing);
//! * the background variant (`<!-- background:… -->`) with `acr` and `acr-emulator` resolved
//!   to the binaries under test and the emulator given a private data dir and a free port.
//!
//! Both must create the token and list it, and leave no password on stderr.

use std::path::Path;
use std::process::{Command, Output};

/// The shell block between `<!-- NAME:begin -->` and `<!-- NAME:end -->` in README.md.
fn block(name: &str) -> String {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let inner = readme
        .split(&format!("<!-- {name}:begin -->\n"))
        .nth(1)
        .unwrap_or_else(|| panic!("README has a {name} block"))
        .split(&format!("<!-- {name}:end -->"))
        .next()
        .unwrap();
    inner
        .strip_prefix("```sh\n")
        .and_then(|b| b.trim_end().strip_suffix("```"))
        .unwrap_or_else(|| panic!("the {name} block is one ```sh fence"))
        .to_owned()
}

fn bash(script: &str, cwd: &Path, home: &Path) -> Output {
    Command::new("bash")
        .arg("-c")
        .arg(script)
        .current_dir(cwd)
        .env("ACR_CONFIG_DIR", home.join("config"))
        .env("ACR_CREDENTIAL_STORE", "file")
        .env("HOME", home)
        .env("TMPDIR", home.join("tmp"))
        .output()
        .unwrap()
}

/// The token's JSON, the table of tokens, and no generated password on stderr.
fn check_created_and_listed(output: &Output) -> String {
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "quick start failed\nstdout:\n{stdout}\nstderr:\n{stderr}"
    );
    assert!(stdout.contains("\"name\": \"MyToken\""), "{stdout}");
    assert!(stdout.contains("\"username\": \"MyToken\""), "{stdout}");
    assert!(
        stdout
            .lines()
            .any(|l| l.starts_with("MyToken ") && l.contains("Enabled")),
        "the token table is missing: {stdout}"
    );
    let secrets: Vec<&str> = stdout
        .lines()
        .filter(|l| l.trim_start().starts_with("\"value\": \""))
        .filter_map(|l| l.split('"').nth(3))
        .collect();
    assert_eq!(
        secrets.len(),
        2,
        "two generated passwords on stdout: {stdout}"
    );
    for secret in secrets {
        assert!(
            !stderr.contains(secret),
            "a password leaked to stderr: {stderr}"
        );
    }
    stdout
}

#[test]
fn readme_one_command_quick_start_runs_verbatim() {
    let work = tempfile::tempdir().unwrap();
    std::fs::create_dir(work.path().join("tmp")).unwrap();
    let checkout = work.path().join("checkout");
    std::fs::create_dir_all(checkout.join("target")).unwrap();
    let acr_bin = crate::support::bins::acr();
    let bin_dir = acr_bin.parent().unwrap();
    std::os::unix::fs::symlink(bin_dir, checkout.join("target/release")).unwrap();
    let script = format!(
        "set -euo pipefail\ncargo() {{ [ \"$*\" = 'build --release' ] || {{ echo \"unexpected: cargo $*\" >&2; return 99; }}; }}\n{}\n",
        block("quick-start")
    );
    let output = bash(&script, &checkout, work.path());
    let stdout = check_created_and_listed(&output);
    // The credential table of `credential rotate`: the one new 52-character password.
    let row = stdout
        .lines()
        .skip_while(|l| !l.starts_with("USERNAME"))
        .nth(2)
        .unwrap_or_else(|| panic!("no credential table: {stdout}"));
    let fields: Vec<&str> = row.split_whitespace().collect();
    assert_eq!(fields[0], "MyToken", "{row}");
    assert_eq!(fields[1].len(), 52, "{row}");
    assert!(!String::from_utf8_lossy(&output.stderr).contains(fields[1]));
    // The throw-away emulator left nothing in the temporary directory.
    let left: Vec<_> = std::fs::read_dir(work.path().join("tmp"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn readme_background_quick_start_creates_a_token() {
    let work = tempfile::tempdir().unwrap();
    std::fs::create_dir(work.path().join("tmp")).unwrap();
    let data = work.path().join("emulator");
    let script = format!(
        r#"set -euo pipefail
acr() {{ "{acr}" "$@"; }}
acr-emulator() {{
  local verb=$1; shift
  case $verb in
    start) "{emulator}" start --data-dir "{data}" --port 0 "$@" ;;
    *) "{emulator}" "$verb" --data-dir "{data}" "$@" ;;
  esac
}}
trap '"{emulator}" stop --data-dir "{data}" >/dev/null 2>&1 || true' EXIT
{block}
echo "TOKEN_PWD_LENGTH=${{#TOKEN_PWD}}"
"#,
        acr = crate::support::bins::acr().display(),
        emulator = crate::support::bins::emulator().display(),
        data = data.display(),
        block = block("background"),
    );
    let output = bash(&script, work.path(), work.path());
    let stdout = check_created_and_listed(&output);
    assert!(stdout.contains("TOKEN_PWD_LENGTH=52"), "{stdout}");
}
