//! `--version`, `--help` and argument errors build no HTTP client, read no keyring and parse no
//! configuration beyond what they print: checked on the process's system calls (strace), not
//! on a timer. Every file it opens outside the dynamic loader's and the kernel's pseudo files
//! is listed and must be exactly the allowed set (the config file for help, whose required
//! markers depend on `defaults.acr`; nothing for the others), and it opens no socket (no HTTP
//! client, no D-Bus keyring). The environment is poisoned besides (a CA bundle that does not
//! exist, a keyring bus that does not answer, a proxy that refuses): the output must still be
//! exactly the clean run's.

use std::path::Path;
use std::process::Command;

fn strace_available() -> bool {
    Command::new("strace").arg("-V").output().is_ok()
}

/// Runs acr under strace; returns (exit code, stdout, stderr, opened paths, socket calls).
fn traced(
    args: &[&str],
    config_dir: &Path,
    poisoned: bool,
) -> (Option<i32>, String, String, Vec<String>, usize) {
    let trace = config_dir.join("trace");
    let mut c = Command::new("strace");
    c.args(["-f", "-qq", "-e", "trace=open,openat,socket,connect", "-o"])
        .arg(&trace)
        .arg(crate::support::bins::acr())
        .args(args)
        .env("ACR_CONFIG_DIR", config_dir)
        .env("HOME", config_dir)
        .env("AZURE_CONFIG_DIR", config_dir.join("azure"));
    if poisoned {
        c.env("ACR_CA_BUNDLE", config_dir.join("no-such-ca.pem"))
            .env("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/bus")
            .env("HTTPS_PROXY", "http://127.0.0.1:9")
            .env("ACR_RESOURCE_MANAGER", "https://127.0.0.1:9/");
    }
    let out = c.output().unwrap();
    let text = std::fs::read_to_string(&trace).unwrap();
    let mut opened = Vec::new();
    let mut sockets = 0;
    for line in text.lines() {
        if line.contains("socket(") || line.contains("connect(") {
            sockets += 1;
        }
        if let Some(path) = line.split('"').nth(1)
            && (line.contains("open(") || line.contains("openat("))
            // The loader's search along LD_LIBRARY_PATH (cargo sets it) finds nothing there.
            && !line.contains("= -1 ENOENT")
            && !path.contains(".so")
            && !["/lib", "/usr/lib", "/etc/ld.so", "/proc/", "/sys/", "/dev/"]
                .iter()
                .any(|p| path.starts_with(p))
            && path != config_dir.join("trace").to_str().unwrap()
        {
            opened.push(path.to_string());
        }
    }
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        opened,
        sockets,
    )
}

#[test]
fn help_version_and_argument_errors_touch_no_client_keyring_or_config() {
    if !strace_available() {
        assert!(
            std::env::var_os("ACR_REQUIRE_AZ").is_none(),
            "strace is required (ACR_REQUIRE_AZ is set)"
        );
        eprintln!("skipped: strace is not installed");
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    std::fs::write(dir.join("config"), "[defaults]\nacr = myregistry\n").unwrap();
    let config = dir.join("config").display().to_string();
    for (args, code, allowed) in [
        (&["--version"][..], 0, &[][..]),
        (
            &["token", "create", "--help"][..],
            0,
            &[config.as_str()][..],
        ),
        (&["token", "create", "--status", "maybe"][..], 2, &[][..]),
        (&["token", "lisst"][..], 2, &[][..]),
    ] {
        let clean = traced(args, dir, false);
        let poisoned = traced(args, dir, true);
        assert_eq!(clean.0, Some(code), "{args:?}: {}", clean.2);
        assert_eq!(
            (&poisoned.0, &poisoned.1, &poisoned.2),
            (&clean.0, &clean.1, &clean.2),
            "{args:?}: the poisoned environment changed the output"
        );
        for run in [&clean, &poisoned] {
            assert_eq!(run.3, allowed, "{args:?} opened files");
            assert_eq!(run.4, 0, "{args:?} created or connected a socket");
        }
    }
    assert_eq!(
        traced(&["--version"], dir, true).1,
        format!("acr {}\n", env!("CARGO_PKG_VERSION"))
    );
}
