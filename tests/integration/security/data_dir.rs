//! Finding 2: the data dir holds the database with every secret in clear (the service
//! principal's secret, the identity header, admin passwords); it was created 0755 and the
//! database files 0644. Now the dir is 0700 (tightened at start if looser), the database and
//! its -wal/-shm 0600, blobs and uploads private.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use crate::support::{Auth, Emu, Reg};

fn mode(p: &Path) -> u32 {
    std::fs::metadata(p).unwrap().permissions().mode() & 0o777
}

/// Every file and directory under `dir` whose mode lets other users in, except the public
/// certificates (the CA is meant to be handed to clients).
fn open_to_others(dir: &Path, out: &mut Vec<String>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let p = entry.unwrap().path();
        let name = p.file_name().unwrap().to_string_lossy().into_owned();
        if name.ends_with(".pem") && !name.contains("key") {
            continue;
        }
        let m = mode(&p);
        if m & 0o077 != 0 {
            out.push(format!("{} {m:o}", p.display()));
        }
        if p.is_dir() {
            open_to_others(&p, out);
        }
    }
}

#[tokio::test]
async fn finding_2_data_dir_and_database_are_private() {
    let dir = tempfile::tempdir().unwrap();
    // A data dir someone made with the usual umask: the emulator must tighten it.
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let path = dir.path().to_path_buf();
    let e = Emu::start_in(dir, vec![]).await;
    let login = e.login_server().to_owned();
    let r = Reg { e, login };
    // Write through every store: a token (database, WAL), a blob (uploads, then blobs).
    let password = r
        .token(
            "audit",
            &[
                "repositories/a/content/read",
                "repositories/a/content/write",
            ],
        )
        .await;
    let up = r
        .upload(Auth::Basic("audit", &password), "a", b"private layer")
        .await;
    assert_eq!(up.status, 201, "{}", up.body);
    // An unfinished upload stays in uploads/.
    let post = r
        .send(
            "POST",
            "/v2/a/blobs/uploads/",
            Auth::Basic("audit", &password),
            &[],
            None,
        )
        .await;
    assert_eq!(post.status, 202);

    assert_eq!(mode(&path), 0o700, "the data dir");
    for f in ["emulator.db", "emulator.db-wal", "emulator.db-shm"] {
        assert!(path.join(f).exists(), "{f}");
        assert_eq!(mode(&path.join(f)), 0o600, "{f}");
    }
    let mut open = Vec::new();
    open_to_others(&path, &mut open);
    assert!(open.is_empty(), "readable by other users: {open:#?}");
    drop(r);
}
