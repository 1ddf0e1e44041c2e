//! Finding 8: `acr-emulator stop` signalled whatever the pid file said; `0` would signal the
//! caller's process group, `-1` every process the user may signal. It signals only a pid > 1
//! that holds the data dir's lock now.

use std::os::unix::process::CommandExt;
use std::process::{Command, Output};

use std::time::Duration;

use crate::support::{EmulatorProcess, wait};

/// `acr-emulator stop` in a process group of its own: should it signal "its" group, it hits
/// only itself, never the test runner.
fn stop(dir: &std::path::Path) -> Output {
    Command::new(crate::support::bins::emulator())
        .args(["stop", "--data-dir"])
        .arg(dir)
        .process_group(0)
        .output()
        .expect("acr-emulator stop runs")
}

fn alive(pid: u32) -> bool {
    // SAFETY: signal 0 only checks that the process exists.
    unsafe { libc::kill(pid as i32, 0) == 0 }
}

#[tokio::test]
async fn finding_8_stop_signals_only_the_lock_holder() {
    let dir = tempfile::tempdir().unwrap();
    let (mut emulator, state) = EmulatorProcess::spawn(dir.path()).await;
    let pid = state["pid"].as_u64().unwrap() as u32;
    let pid_file = dir.path().join("emulator.pid");
    let mut decoy = Command::new("sleep").arg("60").spawn().unwrap();

    for forged in ["0".to_string(), decoy.id().to_string()] {
        std::fs::write(&pid_file, &forged).unwrap();
        let out = stop(dir.path());
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "pid {forged}: {out:?}");
        assert!(stderr.contains("nothing was signalled"), "{stderr}");
        assert!(alive(pid), "the emulator was left alone");
        assert!(alive(decoy.id()), "the decoy was left alone");
    }
    decoy.kill().unwrap();
    decoy.wait().unwrap();

    std::fs::write(&pid_file, pid.to_string()).unwrap();
    let out = stop(dir.path());
    assert!(out.status.success(), "{out:?}");
    // stop returns once the lock is released; the process exits right after.
    wait::until(
        "the emulator still runs after stop",
        Duration::from_secs(30),
        || std::future::ready(emulator.0.try_wait().unwrap()),
    )
    .await;
    assert!(String::from_utf8_lossy(&out.stderr).contains(&format!("stopped (pid {pid})")));
}
