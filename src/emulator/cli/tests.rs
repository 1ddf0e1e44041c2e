//! Unit tests of the command line, the shell quoting and the pid checks of `stop`.

use super::process::*;
use super::*;

#[test]
fn quoting() {
    assert_eq!(shell_quote("abc-1.2"), "abc-1.2");
    assert_eq!(
        shell_quote("https://127.0.0.1:8443/"),
        "https://127.0.0.1:8443/"
    );
    assert_eq!(shell_quote("a b"), "'a b'");
    assert_eq!(shell_quote("it's"), "'it'\\''s'");
    assert_eq!(shell_quote(""), "''");
}

/// Finding 8: only a pid > 1 that holds the data dir's lock is signalled.
#[test]
fn stop_signals_only_the_lock_holder() {
    assert_eq!(checked_pid("4242\n", Some(4242)).unwrap(), 4242);
    for (text, holder) in [
        ("0", Some(0)),
        ("-1", Some(-1)),
        ("1", Some(1)),
        ("0", Some(4242)),
        ("-1", None),
        ("4242", Some(4243)),
        ("4242", None),
        ("", Some(4242)),
        ("42x", Some(42)),
    ] {
        let e = checked_pid(text, holder).unwrap_err().to_string();
        assert!(e.contains("nothing was signalled"), "{text}: {e}");
    }
}

#[test]
fn parses_the_contract_command_line() {
    let c = Cli::try_parse_from([
        "acr-emulator",
        "start",
        "--port",
        "0",
        "--registry",
        "other:Basic",
        "--registry",
        "third",
        "--detach",
    ])
    .unwrap();
    let Command::Start(a) = c.command else {
        panic!()
    };
    assert_eq!(a.port, Some(0));
    assert_eq!(a.registries.len(), 2);
    assert!(a.detach && !a.test_hooks && !a.imds);
    assert!(a.password_propagation.is_zero());
    let c = Cli::try_parse_from(["acr-emulator", "start", "--password-propagation", "5s"]).unwrap();
    let Command::Start(a) = c.command else {
        panic!()
    };
    assert_eq!(a.password_propagation, Duration::from_secs(5));
    assert!(Cli::try_parse_from(["acr-emulator", "start", "--password-propagation", "5"]).is_err());
    assert!(Cli::try_parse_from(["acr-emulator", "env", "--format", "json"]).is_ok());
    assert!(Cli::try_parse_from(["acr-emulator", "env", "--format", "xml"]).is_err());
    assert!(Cli::try_parse_from(["acr-emulator", "stop", "--data-dir", "/tmp/x"]).is_ok());
}
