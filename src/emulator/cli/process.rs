//! The process side of `start --detach` and `stop`: re-executing in a new process group with
//! output to `emulator.log` and waiting until every listener answers; signalling the pid in
//! the pid file only when it holds the data-dir lock, and waiting for the lock's release.

use super::*;

pub(super) fn detach(a: &StartArgs) -> Result<()> {
    let dir = a.dir.dir();
    crate::emulator::files::private_dir(&dir)?;
    if DataDirLock::is_held(&dir) {
        bail!(
            "an acr-emulator is already running on data dir {} (stop it with `acr-emulator stop --data-dir {}`)",
            dir.display(),
            dir.display()
        );
    }
    let exe = std::env::current_exe().context("locating the acr-emulator executable")?;
    let log_path = dir.join(LOG_FILE);
    let mut log = std::fs::OpenOptions::new();
    log.create(true).append(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut log, 0o600);
    let log = log.open(&log_path)?;
    let mut cmd = std::process::Command::new(exe);
    cmd.arg("start")
        .arg("--data-dir")
        .arg(&dir)
        .arg("--port")
        .arg(a.port.unwrap_or(DEFAULT_PORT).to_string());
    for r in &a.registries {
        cmd.arg("--registry").arg(format!("{}:{}", r.name, r.sku));
    }
    if a.test_hooks {
        cmd.arg("--test-hooks");
    }
    if a.imds {
        cmd.arg("--imds");
    }
    if let Some(f) = &a.faults {
        cmd.arg("--faults").arg(f.to_string());
    }
    if let Some(seed) = a.fault_seed {
        cmd.arg("--fault-seed").arg(seed.to_string());
    }
    if !a.password_propagation.is_zero() {
        cmd.arg("--password-propagation")
            .arg(format!("{}ms", a.password_propagation.as_millis()));
    }
    cmd.arg("--no-signin-link");
    cmd.stdin(std::process::Stdio::null())
        .stdout(log.try_clone()?)
        .stderr(log);
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        cmd.process_group(0);
    }
    let mut child = cmd.spawn().context("starting the background emulator")?;
    let pid = child.id();
    let deadline = deadline_in(Duration::from_secs(60));
    loop {
        if let Some(status) = child.try_wait()? {
            let tail = std::fs::read_to_string(&log_path).unwrap_or_default();
            let tail: Vec<&str> = tail.lines().rev().take(5).collect();
            bail!(
                "the background emulator exited ({status}); last lines of {}:\n{}",
                log_path.display(),
                tail.into_iter().rev().collect::<Vec<_>>().join("\n")
            );
        }
        if let Ok(env) = read_env(&dir)
            && env.pid == pid
            && answers(&env)
        {
            let mut hint = describe(&env, true);
            hint.push_str(&format!(" --data-dir '{}')\" to use it", dir.display()));
            println!("{hint}");
            println!("  log: {}", log_path.display());
            return Ok(());
        }
        if Instant::now() > deadline {
            bail!(
                "the background emulator did not answer within 60 s; see {}",
                log_path.display()
            );
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// True when the main port and every registry port answer over HTTPS.
pub(super) fn answers(env: &EnvInfo) -> bool {
    let Ok(rt) = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    else {
        return false;
    };
    rt.block_on(async {
        let Ok(ca) = std::fs::read(&env.ca_certificate) else {
            return false;
        };
        let Ok(cert) = reqwest::Certificate::from_pem(&ca) else {
            return false;
        };
        let Ok(client) = reqwest::Client::builder()
            .tls_certs_only([cert])
            .timeout(Duration::from_secs(2))
            .build()
        else {
            return false;
        };
        let mut urls = vec![format!(
            "{}metadata/endpoints?api-version=2022-09-01",
            env.resource_manager
        )];
        urls.extend(
            env.registries
                .iter()
                .map(|r| format!("https://{}/v2/", r.login_server)),
        );
        for u in urls {
            if client.get(&u).send().await.is_err() {
                return false;
            }
        }
        true
    })
}

pub(super) fn stop(dir: &Path) -> Result<()> {
    if !DataDirLock::is_held(dir) {
        eprintln!(
            "acr-emulator: no emulator is running on data dir {}",
            dir.display()
        );
        return Ok(());
    }
    let text = std::fs::read_to_string(dir.join(PID_FILE))
        .with_context(|| format!("reading {}", dir.join(PID_FILE).display()))?;
    let pid = checked_pid(&text, lock_holder(dir))?;
    signal(pid, SIGTERM)?;
    if wait_unlocked(dir, Duration::from_secs(15)) {
        eprintln!("acr-emulator: stopped (pid {pid})");
        return Ok(());
    }
    signal(pid, SIGKILL)?;
    if wait_unlocked(dir, Duration::from_secs(5)) {
        eprintln!("acr-emulator: killed (pid {pid}) after it ignored SIGTERM");
        return Ok(());
    }
    bail!("the emulator (pid {pid}) did not exit")
}

/// The pid to signal: the pid file's, only if it is a real process (> 1: 0 and -1 would
/// signal the caller's process group or every process the user may signal) and the one that
/// holds the data dir's lock; anything else is refused and nothing is signalled (finding 8).
pub(super) fn checked_pid(pid_file: &str, holder: Option<i32>) -> Result<i32> {
    let pid: i32 = pid_file
        .trim()
        .parse()
        .context("the pid file is corrupt; nothing was signalled")?;
    if pid <= 1 {
        bail!("the pid file names pid {pid}, which cannot be an emulator; nothing was signalled");
    }
    match holder {
        Some(h) if h == pid => Ok(pid),
        Some(h) => bail!(
            "the pid file names pid {pid}, but the data dir is locked by pid {h}; nothing was signalled"
        ),
        None => bail!(
            "the pid file names pid {pid}, which does not hold the data dir's lock; nothing was signalled"
        ),
    }
}

#[cfg(unix)]
pub(super) fn lock_holder(dir: &Path) -> Option<i32> {
    DataDirLock::holder(dir)
}

#[cfg(not(unix))]
pub(super) fn lock_holder(_dir: &Path) -> Option<i32> {
    None
}

#[cfg(unix)]
pub(super) const SIGTERM: i32 = libc::SIGTERM;
#[cfg(unix)]
pub(super) const SIGKILL: i32 = libc::SIGKILL;
#[cfg(not(unix))]
pub(super) const SIGTERM: i32 = 15;
#[cfg(not(unix))]
pub(super) const SIGKILL: i32 = 9;

#[cfg(not(unix))]
pub(super) fn signal(pid: i32, _sig: i32) -> Result<()> {
    bail!(
        "stopping the emulator (pid {pid}) is only supported on Unix; end the process with your system's tools"
    )
}

#[cfg(unix)]
pub(super) fn signal(pid: i32, sig: i32) -> Result<()> {
    // SAFETY: kill(2) has no memory-safety preconditions; the pid comes from our pid file.
    let rc = unsafe { libc::kill(pid, sig) };
    if rc != 0 {
        let err = std::io::Error::last_os_error();
        if err.raw_os_error() != Some(libc::ESRCH) {
            return Err(err).with_context(|| format!("signalling pid {pid}"));
        }
    }
    Ok(())
}

pub(super) fn wait_unlocked(dir: &Path, timeout: Duration) -> bool {
    let deadline = deadline_in(timeout);
    while Instant::now() < deadline {
        if !DataDirLock::is_held(dir) {
            return true;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    false
}

/// Now plus `d`, or now when that does not fit (only constants are passed).
pub(super) fn deadline_in(d: Duration) -> Instant {
    let now = Instant::now();
    now.checked_add(d).unwrap_or(now)
}
