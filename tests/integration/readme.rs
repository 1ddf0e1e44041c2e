//! The README's quick start must stay true: its shell block runs verbatim (with `acr` and
//! `acr-emulator` resolved to the binaries under test, and the emulator given a private data
//! directory and a free port) and must create a token.

use std::path::Path;
use std::process::Command;

fn quick_start_block() -> String {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let section = readme
        .split("## Quick start")
        .nth(1)
        .expect("README has a Quick start section");
    let block = section
        .split("```sh\n")
        .nth(1)
        .expect("a sh block")
        .split("```")
        .next()
        .unwrap();
    block.to_owned()
}

#[test]
fn readme_quick_start_creates_a_token() {
    let work = tempfile::tempdir().unwrap();
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
        acr = env!("CARGO_BIN_EXE_acr"),
        emulator = env!("CARGO_BIN_EXE_acr-emulator"),
        data = data.display(),
        block = quick_start_block(),
    );
    let output = Command::new("bash")
        .arg("-c")
        .arg(&script)
        .env("ACR_CONFIG_DIR", work.path().join("config"))
        .env("ACR_CREDENTIAL_STORE", "file")
        .env("HOME", work.path())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "quick start failed\nstdout:\n{stdout}\nstderr:\n{stderr}"
    );
    assert!(stdout.contains("\"name\": \"MyToken\""), "{stdout}");
    assert!(stdout.contains("\"username\": \"MyToken\""), "{stdout}");
    assert!(
        stdout.contains("MyToken") && stdout.contains("Enabled"),
        "the token table is missing: {stdout}"
    );
    assert!(stdout.contains("TOKEN_PWD_LENGTH=52"), "{stdout}");
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
}
