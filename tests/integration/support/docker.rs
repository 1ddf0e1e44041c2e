//! The Docker engine (Debian's `docker.io`) for one test: [`Docker::start`] runs a private
//! `dockerd` as root without systemd (`--iptables=false --ip6tables=false --bridge=none
//! --storage-driver=vfs`, its own `--data-root`, `--exec-root`, `--pidfile`, `--config-file`
//! and `--host unix://…` socket, all in one short scratch directory under `/tmp`, because a
//! unix socket path must stay under 108 bytes), waits for its socket with a deadline, and on
//! drop stops it with SIGTERM (which also stops the containerd it started; SIGKILL after a
//! deadline) and removes the directory. [`Docker::run`] runs the docker CLI against it with
//! `DOCKER_HOST`, an isolated `DOCKER_CONFIG` ([`Docker::config`]) and `HOME`, plus any extra
//! environment ([`Docker::set_env`], e.g. a Secret Service bus for a credential helper).
//! [`Docker::import`] makes an image offline: `docker import` of a one-file tar.
//!
//! Docker treats 127.0.0.0/8 as an insecure registry: it talks TLS to the emulator without
//! verifying the certificate (and falls back to plain HTTP), so these tests exercise the
//! registry protocol and ACR's authorization, not TLS verification (that is skopeo's and
//! podman's job, with `--cert-dir`).

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use super::clients::{Run, client, run_env, terminate};

pub struct Docker {
    /// The docker CLI.
    pub bin: PathBuf,
    dir: tempfile::TempDir,
    daemon: std::process::Child,
    env: Vec<(String, String)>,
}

impl Docker {
    /// A fresh daemon, or `None` (test skipped) when `dockerd` or `docker` is not installed.
    pub async fn start() -> Option<Docker> {
        let dockerd = client("dockerd")?;
        let bin = client("docker")?;
        // Short: the daemon's and containerd's sockets live inside.
        let dir = tempfile::Builder::new()
            .prefix("dk")
            .tempdir_in("/tmp")
            .unwrap();
        let d = dir.path();
        for sub in ["data", "x", "config", "home", "bin"] {
            std::fs::create_dir_all(d.join(sub)).unwrap();
        }
        std::fs::write(d.join("daemon.json"), "{}").unwrap();
        let log = std::fs::File::create(d.join("dockerd.log")).unwrap();
        let path = |p: &str| d.join(p).display().to_string();
        let daemon = std::process::Command::new(dockerd)
            .args(["--iptables=false", "--ip6tables=false", "--bridge=none"])
            .args(["--storage-driver=vfs", "--log-level=warn"])
            .args(["--data-root", &path("data"), "--exec-root", &path("x")])
            .args([
                "--pidfile",
                &path("pid"),
                "--config-file",
                &path("daemon.json"),
            ])
            .arg("--host")
            .arg(format!("unix://{}", path("s")))
            .stdin(std::process::Stdio::null())
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .spawn()
            .unwrap();
        let mut docker = Docker {
            bin,
            env: vec![
                ("DOCKER_HOST".into(), format!("unix://{}", path("s"))),
                ("DOCKER_CONFIG".into(), path("config")),
                ("HOME".into(), path("home")),
                // With no credentials in its config, docker picks `pass` or `secretservice` as
                // its store when their helper is on PATH; an empty PATH keeps config.json the
                // only store unless a test sets one (the CLI needs nothing else from PATH).
                ("PATH".into(), path("bin")),
            ],
            dir,
            daemon,
        };
        docker.wait_ready().await;
        Some(docker)
    }

    /// Polls `docker version` until the daemon answers (it takes about a second).
    async fn wait_ready(&mut self) {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if let Some(status) = self.daemon.try_wait().unwrap() {
                panic!("dockerd exited ({status}):\n{}", self.log());
            }
            if self.dir.path().join("s").exists()
                && self
                    .run(&["version", "--format", "{{.Server.Version}}"])
                    .await
                    .ok
            {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "dockerd did not answer within 60 s:\n{}",
                self.log()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// The daemon's log, for failure messages.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("dockerd.log")).unwrap_or_default()
    }

    /// The client's `DOCKER_CONFIG` directory (holding `config.json`).
    pub fn config(&self) -> PathBuf {
        self.dir.path().join("config")
    }

    /// A scratch path inside the daemon's directory.
    pub fn path(&self, p: &str) -> PathBuf {
        self.dir.path().join(p)
    }

    /// Adds (or replaces) an environment variable of every later docker CLI run.
    pub fn set_env(&mut self, name: &str, value: &str) {
        self.env.retain(|(k, _)| k != name);
        self.env.push((name.to_owned(), value.to_owned()));
    }

    pub async fn run(&self, args: &[&str]) -> Run {
        self.run_with(args, "").await
    }

    /// `docker args…` with `stdin` as its standard input.
    pub async fn run_with(&self, args: &[&str], stdin: &str) -> Run {
        run_env(&self.bin, args, self.env.iter().map(|(k, v)| (k, v)), stdin).await
    }

    /// Imports a one-file image as `reference` (no network: `docker import` of a tar holding
    /// `hello.txt` with `content`), and returns its image id.
    pub async fn import(&self, reference: &str, content: &str) -> String {
        let src = self.path("import");
        std::fs::create_dir_all(&src).unwrap();
        std::fs::write(src.join("hello.txt"), content).unwrap();
        let tar = self.path("import.tar");
        let status = std::process::Command::new("tar")
            .arg("-C")
            .arg(&src)
            .arg("-cf")
            .arg(&tar)
            .arg("hello.txt")
            .status()
            .unwrap();
        assert!(status.success(), "tar failed");
        let out = self
            .run(&["import", &tar.display().to_string(), reference])
            .await;
        assert!(out.ok, "docker import failed:\n{}", out.stderr);
        out.stdout.trim().to_owned()
    }

    /// The image id of a local image.
    pub async fn image_id(&self, reference: &str) -> Option<String> {
        let out = self
            .run(&["image", "inspect", "--format", "{{.Id}}", reference])
            .await;
        out.ok.then(|| out.stdout.trim().to_owned())
    }
}

impl Drop for Docker {
    fn drop(&mut self) {
        stop(&mut self.daemon, self.dir.path());
    }
}

/// SIGTERM (dockerd then stops its containerd and undoes its mount), SIGKILL after a
/// deadline, then whatever a killed daemon left behind.
fn stop(daemon: &mut std::process::Child, dir: &Path) {
    if terminate(daemon, Duration::from_secs(20)) {
        return;
    }
    // A containerd left behind by a killed daemon: stop it by its pid file.
    if let Ok(pid) = std::fs::read_to_string(dir.join("x/containerd/containerd.pid"))
        && let Ok(pid) = pid.trim().parse::<libc::pid_t>()
    {
        // SAFETY: kill(2) on the pid containerd recorded for this daemon's private instance.
        unsafe { libc::kill(pid, libc::SIGKILL) };
    }
    // dockerd bind-mounts its data root onto itself and undoes that only on a clean shutdown;
    // a mount left behind would keep the scratch directory from being removed.
    if let Ok(data) = std::ffi::CString::new(dir.join("data").display().to_string()) {
        // SAFETY: umount2(2) with a valid NUL-terminated path; failure (not mounted) is fine.
        unsafe { libc::umount2(data.as_ptr(), libc::MNT_DETACH) };
    }
}
