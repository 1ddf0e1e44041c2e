//! The real container tools (skopeo, podman) against an emulated registry: [`client`] finds
//! an executable on `PATH` (a missing one skips the test with a `skipped:` note, unless
//! [`required`]: `ACR_REQUIRE_CLIENTS=1` or `ACR_REQUIRE_AZ=1`, as in CI, make it a failure); [`Tools`] is a scratch directory with a CA
//! for the registry, an empty auth file, a tiny OCI image layout (tag `v1`) and an environment
//! that keeps all client state inside it (`REGISTRY_AUTH_FILE`, `XDG_RUNTIME_DIR`, `HOME`,
//! `_CONTAINERS_ROOTLESS_UID` puts the blob-info cache under `XDG_DATA_HOME` instead of
//! `/var/lib/containers`); [`Tools::podman_args`] adds podman's storage flags.

use std::path::{Path, PathBuf};

use super::registry::Reg;

/// Builds a tiny one-layer OCI image layout with tag `v1` (real-clients.md §7).
const MAKE_LAYOUT: &str = r#"
import gzip, hashlib, io, json, os, sys, tarfile
root = sys.argv[1]
blobs = os.path.join(root, "blobs", "sha256")
os.makedirs(blobs, exist_ok=True)
def put(data):
    digest = hashlib.sha256(data).hexdigest()
    with open(os.path.join(blobs, digest), "wb") as f:
        f.write(data)
    return "sha256:" + digest, len(data)
tar_buf = io.BytesIO()
with tarfile.open(fileobj=tar_buf, mode="w") as tf:
    payload = b"hello from an OCI layout\n"
    info = tarfile.TarInfo("hello.txt")
    info.size, info.mtime, info.mode = len(payload), 0, 0o644
    tf.addfile(info, io.BytesIO(payload))
layer_tar = tar_buf.getvalue()
diff_id = "sha256:" + hashlib.sha256(layer_tar).hexdigest()
layer_digest, layer_size = put(gzip.compress(layer_tar, mtime=0))
config = {"architecture": "amd64", "os": "linux", "config": {"Cmd": ["/hello"]},
          "rootfs": {"type": "layers", "diff_ids": [diff_id]}, "created": "2024-01-01T00:00:00Z"}
config_digest, config_size = put(json.dumps(config, separators=(",", ":")).encode())
manifest = {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
            "config": {"mediaType": "application/vnd.oci.image.config.v1+json",
                       "digest": config_digest, "size": config_size},
            "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip",
                        "digest": layer_digest, "size": layer_size}]}
manifest_digest, manifest_size = put(json.dumps(manifest, separators=(",", ":")).encode())
index = {"schemaVersion": 2,
         "manifests": [{"mediaType": "application/vnd.oci.image.manifest.v1+json",
                        "digest": manifest_digest, "size": manifest_size,
                        "annotations": {"org.opencontainers.image.ref.name": "v1"}}]}
with open(os.path.join(root, "index.json"), "w") as f:
    json.dump(index, f)
with open(os.path.join(root, "oci-layout"), "w") as f:
    json.dump({"imageLayoutVersion": "1.0.0"}, f)
print(manifest_digest)
"#;

/// Stops a child daemon: SIGTERM, then SIGKILL if it is still there after `grace`; always
/// reaped. Returns whether it stopped on SIGTERM.
pub fn terminate(child: &mut std::process::Child, grace: std::time::Duration) -> bool {
    // SAFETY: kill(2) on our own child's pid, which has not been reaped yet.
    unsafe { libc::kill(child.id() as libc::pid_t, libc::SIGTERM) };
    let deadline = std::time::Instant::now() + grace;
    while std::time::Instant::now() < deadline {
        if child.try_wait().ok().flatten().is_some() {
            return true;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    let _ = child.kill();
    let _ = child.wait();
    false
}

/// Whether a missing real client fails the test instead of skipping it (CI sets both).
pub fn required() -> bool {
    ["ACR_REQUIRE_CLIENTS", "ACR_REQUIRE_AZ"]
        .iter()
        .any(|v| std::env::var(v).as_deref() == Ok("1"))
}

/// The executable `name` on `PATH`, or `None` after printing why the test is skipped.
pub fn client(name: &str) -> Option<PathBuf> {
    let found = on_path(name);
    if found.is_none() {
        assert!(
            !required(),
            "ACR_REQUIRE_CLIENTS=1 (or ACR_REQUIRE_AZ=1) but {name} is not installed"
        );
        println!("skipped: {name} is not installed");
    }
    found
}

/// Every one of `names` on `PATH`, or `None` after printing which one is missing.
pub fn clients<const N: usize>(names: [&str; N]) -> Option<[PathBuf; N]> {
    let found: Vec<PathBuf> = names.iter().filter_map(|n| client(n)).collect();
    found.try_into().ok()
}

/// A file `name` in one of `PATH`'s directories.
pub fn on_path(name: &str) -> Option<PathBuf> {
    std::env::var_os("PATH").and_then(|p| {
        std::env::split_paths(&p)
            .map(|d| d.join(name))
            .find(|f| f.is_file())
    })
}

pub struct Run {
    pub ok: bool,
    /// The exit code (-1 after a signal).
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// Runs `program args…` with `envs` added to the test process's environment and `stdin` as
/// its standard input (closed after writing).
pub async fn run_env<K: AsRef<std::ffi::OsStr>, V: AsRef<std::ffi::OsStr>>(
    program: &Path,
    args: &[&str],
    envs: impl IntoIterator<Item = (K, V)>,
    stdin: &str,
) -> Run {
    run_cmd(tokio::process::Command::new(program), args, envs, stdin).await
}

/// [`run_env`] for a prepared command (e.g. one with a cleared environment).
pub async fn run_cmd<K: AsRef<std::ffi::OsStr>, V: AsRef<std::ffi::OsStr>>(
    mut cmd: tokio::process::Command,
    args: &[&str],
    envs: impl IntoIterator<Item = (K, V)>,
    stdin: &str,
) -> Run {
    use tokio::io::AsyncWriteExt as _;
    let program = cmd.as_std().get_program().to_owned();
    let mut child = cmd
        .args(args)
        .envs(envs)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", program.display()));
    let mut input = child.stdin.take().unwrap();
    // A program that exits without reading its input is not an error here.
    let _ = input.write_all(stdin.as_bytes()).await;
    drop(input);
    let out = child.wait_with_output().await.unwrap();
    Run {
        ok: out.status.success(),
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// A scratch directory with everything the container tools need, and a runner.
pub struct Tools {
    pub work: tempfile::TempDir,
    pub login: String,
    /// The digest of the OCI layout's `v1` manifest.
    pub layout_digest: String,
}

impl Tools {
    pub async fn new(r: &Reg) -> Tools {
        let work = tempfile::tempdir().unwrap();
        let w = work.path();
        for d in ["certdir", "xdg", "home", "podman", "pulled"] {
            std::fs::create_dir_all(w.join(d)).unwrap();
        }
        std::fs::copy(&r.e.env.ca_certificate, w.join("certdir/ca.crt")).unwrap();
        // The per-user certs.d, for commands without --cert-dir (podman search).
        let certs_d = w.join("home/.config/containers/certs.d").join(&r.login);
        std::fs::create_dir_all(&certs_d).unwrap();
        std::fs::copy(&r.e.env.ca_certificate, certs_d.join("ca.crt")).unwrap();
        std::fs::write(w.join("auth.json"), "{}").unwrap();
        std::fs::write(w.join("make-oci-layout.py"), MAKE_LAYOUT).unwrap();
        let python = std::env::var("ACR_TEST_PYTHON").unwrap_or_else(|_| "python3".into());
        let out = tokio::process::Command::new(python)
            .arg(w.join("make-oci-layout.py"))
            .arg(w.join("oci/hello"))
            .output()
            .await
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let layout_digest = String::from_utf8(out.stdout).unwrap().trim().to_string();
        Tools {
            work,
            login: r.login.clone(),
            layout_digest,
        }
    }

    pub fn path(&self, p: &str) -> String {
        self.work.path().join(p).display().to_string()
    }

    pub fn image(&self, repo_tag: &str) -> String {
        format!("{}/{repo_tag}", self.login)
    }

    pub async fn run(&self, program: &Path, args: &[&str]) -> Run {
        let w = self.work.path();
        let envs = [
            ("REGISTRY_AUTH_FILE", w.join("auth.json")),
            ("XDG_RUNTIME_DIR", w.join("xdg")),
            ("HOME", w.join("home")),
            ("XDG_DATA_HOME", w.join("home/data")),
            ("XDG_CONFIG_HOME", w.join("home/config")),
            ("_CONTAINERS_ROOTLESS_UID", "1000".into()),
        ];
        run_env(program, args, envs, "").await
    }

    /// `podman` with its storage in the scratch directory.
    pub fn podman_args<'a>(&'a self, root: &'a [String; 2], args: &[&'a str]) -> Vec<&'a str> {
        let mut v = vec![
            "--root",
            root[0].as_str(),
            "--runroot",
            root[1].as_str(),
            "--storage-driver",
            "vfs",
            "--cgroup-manager",
            "cgroupfs",
            "--events-backend",
            "none",
        ];
        v.extend_from_slice(args);
        v
    }
}
