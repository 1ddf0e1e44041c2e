//! Small file helpers for the data dir: atomic writes (temp file + rename, so a `kill -9`
//! never leaves half a file), owner-only permissions for secrets and for the data dir itself
//! (it holds the database with every secret: 0700, files 0600), and the data-dir lock that
//! keeps two emulators off one directory. Besides these, only the store writes files (its
//! SQLite connection and the blob files, created through [`private_file`]).

use std::fs::File;
use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result, bail};

/// Writes `bytes` to `path` atomically.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    write_with_mode(path, bytes, 0o644)
}

/// Writes a secret: atomically and readable by the owner only.
pub fn write_private(path: &Path, bytes: &[u8]) -> Result<()> {
    write_with_mode(path, bytes, 0o600)
}

fn write_with_mode(path: &Path, bytes: &[u8], mode: u32) -> Result<()> {
    let dir = path.parent().context("path without parent")?;
    let mut tmp = tempfile::NamedTempFile::new_in(dir)
        .with_context(|| format!("creating a temporary file in {}", dir.display()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        tmp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(mode))?;
    }
    #[cfg(not(unix))]
    let _ = mode;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    tmp.persist(path)
        .with_context(|| format!("writing {}", path.display()))?;
    Ok(())
}

/// Creates `dir` (and missing parents) readable by the owner only, or tightens an existing
/// one that other users could read or enter, with a warning on stderr: the data dir holds the
/// database (the service principal's secret, admin passwords), so its mode is what keeps them
/// private.
pub fn private_dir(dir: &Path) -> Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
        if !dir.exists() {
            std::fs::DirBuilder::new()
                .recursive(true)
                .mode(0o700)
                .create(dir)
                .with_context(|| format!("creating data dir {}", dir.display()))?;
        }
        let mode = std::fs::metadata(dir)
            .with_context(|| format!("reading data dir {}", dir.display()))?
            .permissions()
            .mode();
        if mode & 0o077 != 0 {
            std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700)).with_context(
                || format!("making data dir {} private (mode 0700)", dir.display()),
            )?;
            eprintln!(
                "acr-emulator: warning: data dir {} was accessible to other users (mode {:04o}); changed it to 0700",
                dir.display(),
                mode & 0o7777
            );
        }
        Ok(())
    }
    #[cfg(not(unix))]
    {
        std::fs::create_dir_all(dir).with_context(|| format!("creating data dir {}", dir.display()))
    }
}

/// Creates a subdirectory of the data dir (blobs, uploads) owner-only (0700).
pub fn private_subdir(dir: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)
    }
    #[cfg(not(unix))]
    std::fs::create_dir_all(dir)
}

/// Options that create a new file readable by the owner only (0600), for blobs and uploads.
pub fn private_file() -> std::fs::OpenOptions {
    let mut o = File::options();
    o.create_new(true).write(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.mode(0o600);
    }
    o
}

/// Makes an existing file owner-only (0600); a missing file is not an error.
pub fn make_private(path: &Path) -> Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        match std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(e).with_context(|| format!("making {} private", path.display())),
        }
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        Ok(())
    }
}

/// Reads a secret file, creating it from `make` on first use.
pub fn read_or_create(path: &Path, make: impl FnOnce() -> Vec<u8>) -> Result<Vec<u8>> {
    match std::fs::read(path) {
        Ok(b) if !b.is_empty() => Ok(b),
        Ok(_) | Err(_) => {
            write_private(path, &make())?;
            std::fs::read(path).with_context(|| format!("reading {}", path.display()))
        }
    }
}

pub const LOCK_FILE: &str = "emulator.lock";

/// An exclusive advisory lock on the data dir, held for as long as the value lives. The OS
/// drops it when the process dies, even by `kill -9`, so a stale lock file never blocks.
#[derive(Debug)]
pub struct DataDirLock {
    _file: File,
}

impl DataDirLock {
    pub fn acquire(dir: &Path) -> Result<DataDirLock> {
        let path = dir.join(LOCK_FILE);
        let mut options = File::options();
        options.create(true).truncate(false).write(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let file = options
            .open(&path)
            .with_context(|| format!("opening {}", path.display()))?;
        match file.try_lock() {
            Ok(()) => {
                // Also a POSIX record lock on the same file: unlike flock, its holder's pid can
                // be asked for (F_GETLK), which is how `stop` makes sure the pid file names the
                // process that holds the data dir (finding 8). Only this process opens the
                // file while it runs, so no other descriptor's close drops the record lock.
                #[cfg(unix)]
                posix_lock(&file).with_context(|| format!("locking {} (fcntl)", path.display()))?;
                Ok(DataDirLock { _file: file })
            }
            Err(std::fs::TryLockError::WouldBlock) => bail!(
                "an acr-emulator is already running on data dir {} (stop it with `acr-emulator stop --data-dir {}`)",
                dir.display(),
                dir.display()
            ),
            Err(std::fs::TryLockError::Error(e)) => {
                Err(e).with_context(|| format!("locking {}", path.display()))
            }
        }
    }

    /// The pid of the process holding the data dir's lock, if one does (Unix; from the POSIX
    /// record lock taken beside the flock).
    #[cfg(unix)]
    pub fn holder(dir: &Path) -> Option<i32> {
        let file = File::options().write(true).open(dir.join(LOCK_FILE)).ok()?;
        // SAFETY: an all-zero `flock` is a valid value of this plain C struct.
        let mut probe: libc::flock = unsafe { std::mem::zeroed() };
        probe.l_type = libc::F_WRLCK as libc::c_short;
        probe.l_whence = libc::SEEK_SET as libc::c_short;
        // SAFETY: F_GETLK reads and writes only `probe`, which outlives the call.
        let rc = unsafe {
            libc::fcntl(
                std::os::fd::AsRawFd::as_raw_fd(&file),
                libc::F_GETLK,
                &mut probe,
            )
        };
        (rc == 0 && probe.l_type != libc::F_UNLCK as libc::c_short).then_some(probe.l_pid)
    }

    /// True when some process holds the lock on `dir` (i.e. an emulator runs there).
    pub fn is_held(dir: &Path) -> bool {
        let Ok(file) = File::options().write(true).open(dir.join(LOCK_FILE)) else {
            return false;
        };
        matches!(file.try_lock(), Err(std::fs::TryLockError::WouldBlock))
    }
}

/// A whole-file POSIX write lock on `file` (F_SETLK: fails at once if another process has it).
#[cfg(unix)]
fn posix_lock(file: &File) -> std::io::Result<()> {
    // SAFETY: an all-zero `flock` is a valid value of this plain C struct.
    let mut lock: libc::flock = unsafe { std::mem::zeroed() };
    lock.l_type = libc::F_WRLCK as libc::c_short;
    lock.l_whence = libc::SEEK_SET as libc::c_short;
    // SAFETY: F_SETLK reads only `lock`, which outlives the call.
    let rc = unsafe { libc::fcntl(std::os::fd::AsRawFd::as_raw_fd(file), libc::F_SETLK, &lock) };
    if rc == 0 {
        Ok(())
    } else {
        Err(std::io::Error::last_os_error())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lock_is_exclusive_and_released_on_drop() {
        let dir = tempfile::tempdir().unwrap();
        let lock = DataDirLock::acquire(dir.path()).unwrap();
        assert!(DataDirLock::is_held(dir.path()));
        let err = DataDirLock::acquire(dir.path()).unwrap_err().to_string();
        assert!(err.contains("already running"), "{err}");
        drop(lock);
        assert!(!DataDirLock::is_held(dir.path()));
        DataDirLock::acquire(dir.path()).unwrap();
    }

    #[test]
    fn private_files_are_owner_only() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("secret");
        let a = read_or_create(&p, || b"one".to_vec()).unwrap();
        let b = read_or_create(&p, || b"two".to_vec()).unwrap();
        assert_eq!(a, b);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(
                std::fs::metadata(&p).unwrap().permissions().mode() & 0o777,
                0o600
            );
        }
    }
}
