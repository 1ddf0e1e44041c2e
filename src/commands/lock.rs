//! The machine-wide advisory lock of a read-modify-write on one ARM resource: a `flock(2)`
//! on a file named by the SHA-256 of the resource id (lower-cased) in a per-user 0700
//! directory (`$XDG_RUNTIME_DIR/acr-locks`, else `<temp dir>/acr-locks-<uid>`), so that every
//! `acr` process of the user on this machine serializes, whatever config dir it uses. The
//! kernel releases it when the process ends, crash included. Unix only; elsewhere no lock.

use std::path::PathBuf;

use sha2::{Digest, Sha256};

use crate::config::Env;
use crate::error::{Error, Result};

/// Held until dropped.
pub struct ResourceLock {
    #[cfg(unix)]
    _file: std::fs::File,
}

fn dir(env: &Env) -> PathBuf {
    match env.get("XDG_RUNTIME_DIR").filter(|d| !d.is_empty()) {
        Some(d) => PathBuf::from(d).join("acr-locks"),
        #[cfg(unix)]
        // SAFETY: getuid(2) has no preconditions and cannot fail.
        None => std::env::temp_dir().join(format!("acr-locks-{}", unsafe { libc::getuid() })),
        #[cfg(not(unix))]
        None => std::env::temp_dir().join("acr-locks"),
    }
}

/// Waits for the lock of `resource_id` (blocking in a worker thread).
pub async fn lock(env: &Env, resource_id: &str) -> Result<ResourceLock> {
    let dir = dir(env);
    let name = hex(&Sha256::digest(resource_id.to_ascii_lowercase().as_bytes()));
    let path = dir.join(format!("{name}.lock"));
    tokio::task::spawn_blocking(move || acquire(&dir, &path))
        .await
        .map_err(|e| Error::Other(anyhow::anyhow!("the lock task failed: {e}")))?
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(unix)]
fn acquire(dir: &std::path::Path, path: &std::path::Path) -> Result<ResourceLock> {
    use std::os::unix::fs::{DirBuilderExt, MetadataExt, PermissionsExt};
    use std::os::unix::io::AsRawFd;
    let fail = |what: &str, e: std::io::Error| {
        Error::Other(anyhow::anyhow!("{what} {}: {e}", dir.display()))
    };
    match std::fs::DirBuilder::new().mode(0o700).create(dir) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
        Err(e) => return Err(fail("cannot create the lock directory", e)),
    }
    // A shared temp dir: refuse a directory someone else owns or others can write.
    let meta = std::fs::symlink_metadata(dir).map_err(|e| fail("cannot read", e))?;
    // SAFETY: getuid(2) has no preconditions and cannot fail.
    let uid = unsafe { libc::getuid() };
    if !meta.is_dir() || meta.uid() != uid || meta.permissions().mode() & 0o022 != 0 {
        return Err(Error::cli(format!(
            "The lock directory {} is not a private directory of this user.",
            dir.display()
        )));
    }
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(path)
        .map_err(|e| fail("cannot open a lock file in", e))?;
    loop {
        // SAFETY: flock(2) on a descriptor this function owns.
        let rc = unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX) };
        if rc == 0 {
            return Ok(ResourceLock { _file: file });
        }
        let e = std::io::Error::last_os_error();
        if e.kind() != std::io::ErrorKind::Interrupted {
            return Err(fail("cannot lock a file in", e));
        }
    }
}

#[cfg(not(unix))]
fn acquire(_dir: &std::path::Path, _path: &std::path::Path) -> Result<ResourceLock> {
    Ok(ResourceLock {})
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn one_holder_at_a_time_per_resource() {
        let tmp = tempfile::tempdir().unwrap();
        let env = Env::from_pairs(vec![(
            "XDG_RUNTIME_DIR".to_owned(),
            tmp.path().display().to_string(),
        )]);
        let held = lock(&env, "/subscriptions/S/x").await.unwrap();
        // Another resource is free; the same one (any case) is free again once dropped (the
        // waiting itself is proven across processes by the concurrency tests).
        let _other = lock(&env, "/subscriptions/s/y").await.unwrap();
        drop(held);
        let _again = lock(&env, "/SUBSCRIPTIONS/s/X").await.unwrap();
        let mode = std::os::unix::fs::PermissionsExt::mode(
            &std::fs::metadata(tmp.path().join("acr-locks"))
                .unwrap()
                .permissions(),
        );
        assert_eq!(mode & 0o777, 0o700);
    }
}
