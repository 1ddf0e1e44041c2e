//! The `acr` binary as a process: exit codes, and a reader that closes stdout early.

use std::io::Read;
use std::process::{Command, Stdio};

fn acr(args: &[&str]) -> std::process::Output {
    Command::new(crate::support::bins::acr())
        .args(args)
        .env("ACR_CONFIG_DIR", tempfile::tempdir().unwrap().path())
        .output()
        .unwrap()
}

#[test]
fn exit_codes_of_the_process() {
    assert_eq!(acr(&["--version"]).status.code(), Some(0));
    assert_eq!(
        acr(&["token", "create", "--status", "maybe"]).status.code(),
        Some(2)
    );
    let usage = acr(&["token", "create", "-n", "tok11", "-r", "myregistry"]);
    assert_eq!(usage.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&usage.stderr),
        "ERROR: usage error: can't use --scope-map and --repository | --gateway\n"
    );
    assert!(usage.stdout.is_empty());
}

#[test]
fn a_closed_stdout_pipe_is_not_an_error() {
    let mut child = Command::new(crate::support::bins::acr())
        .args(["cloud", "list"])
        .env("ACR_CONFIG_DIR", tempfile::tempdir().unwrap().path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Closing the read end before the child writes makes its writes fail with EPIPE.
    drop(child.stdout.take());
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(0), "stderr: {stderr}");
    assert!(stderr.is_empty(), "{stderr}");
}
