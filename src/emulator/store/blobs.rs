//! Blob bytes on disk, content-addressed: `<data dir>/blobs/sha256/<2 hex>/<64 hex>`, shared by
//! every registry of the data dir (which repository may see which blob is metadata, in
//! `repositories.rs`). Uploads are written to `<data dir>/uploads/<session id>` while they are
//! hashed, on a blocking thread fed through a small bounded channel, so a blob is never held
//! in memory whole; a finished upload is renamed into place only after its digest matched, so
//! a `kill -9` can leave at most an orphan temporary file, never a partial blob under a digest.
//! Orphans (unfinished uploads, blobs no repository sees any more) are removed at start-up.
//!
//! Files are not fsync'ed: like the database (WAL, `synchronous=NORMAL`), a process crash loses
//! nothing that was acknowledged, only a power loss could.

use std::collections::HashSet;
use std::fs::File;
use std::io::{BufWriter, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use axum::body::Bytes;
use futures_util::{Stream, StreamExt};
use sha2::{Digest as _, Sha256};

use super::secrets::hex;
use crate::emulator::files::{private_file, private_subdir};

/// Bytes per chunk read from disk for a blob GET. With [`READ_AHEAD`] this bounds what one
/// pull holds in memory to about ten chunks (those ahead, the one being read, the one hyper
/// writes). bench/run registry: 1 MiB chunks four ahead took 64 concurrent pulls to 278 MiB
/// peak RSS, 256 KiB two ahead to 84 MiB, 64 KiB eight ahead to 73 MiB; one 256 MiB skopeo
/// pull was 1.02x and 1.01x docker-registry's time with the last two (client-bound noise).
const READ_CHUNK: usize = 64 << 10;
/// Chunks read ahead of the network for a blob GET.
const READ_AHEAD: usize = 8;
/// Chunks in flight between the network and the disk thread, each way.
const CHANNEL_CHUNKS: usize = 32;

/// A blob digest this store accepts: `sha256:` and 64 lower-case hex digits. Anything else
/// never reaches a file path.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Digest(String);

impl Digest {
    pub fn parse(s: &str) -> Option<Digest> {
        let hex = s.strip_prefix("sha256:")?;
        (hex.len() == 64
            && hex
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)))
        .then(|| Digest(s.to_string()))
    }

    /// `sha256:<hex>` of `bytes`.
    pub fn of(bytes: &[u8]) -> Digest {
        Digest(format!("sha256:{}", hex(&Sha256::digest(bytes))))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    fn hex(&self) -> &str {
        self.0.strip_prefix("sha256:").unwrap_or_default()
    }
}

impl std::fmt::Display for Digest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

pub struct BlobStore {
    blobs: PathBuf,
    uploads: PathBuf,
}

/// An upload in progress: the running hash and the bytes written so far. It holds no file
/// descriptor: each append opens the temporary file, writes and closes it, so idle sessions
/// cannot exhaust the process's descriptors (finding 3).
#[derive(Default)]
pub struct Upload {
    hasher: Sha256,
    size: u64,
}

/// Why appending to an upload stopped.
#[derive(Debug)]
pub enum AppendError {
    /// The request body failed (client went away, bad chunk encoding).
    Body(String),
    /// The disk did.
    Io(std::io::Error),
}

impl Upload {
    pub fn size(&self) -> u64 {
        self.size
    }

    /// The digest of everything appended so far.
    pub fn digest(&self) -> Digest {
        Digest(format!("sha256:{}", hex(&self.hasher.clone().finalize())))
    }
}

impl BlobStore {
    pub fn new(data_dir: &Path) -> BlobStore {
        BlobStore {
            blobs: data_dir.join("blobs").join("sha256"),
            uploads: data_dir.join("uploads"),
        }
    }

    /// Creates the directories and drops uploads a previous process left unfinished.
    /// Directories are 0700 and files 0600: blobs are private images.
    pub fn prepare(&self) -> std::io::Result<()> {
        private_subdir(&self.blobs)?;
        if self.uploads.exists() {
            std::fs::remove_dir_all(&self.uploads)?;
        }
        private_subdir(&self.uploads)
    }

    fn blob_path(&self, d: &Digest) -> PathBuf {
        // A parsed digest is ASCII hex, so the first two bytes are two characters.
        let hex = d.hex();
        self.blobs.join(hex.get(..2).unwrap_or(hex)).join(hex)
    }

    fn upload_path(&self, id: &str) -> PathBuf {
        self.uploads.join(id)
    }

    /// Starts an upload under a fresh session id (a UUID: never a client-chosen name): creates
    /// its empty temporary file (0600) and closes it again.
    pub fn start_upload(&self, id: &uuid::Uuid) -> std::io::Result<Upload> {
        private_subdir(&self.uploads)?;
        private_file().open(self.upload_path(&id.to_string()))?;
        Ok(Upload::default())
    }

    /// Appends a request body to upload `id`: the caller's task receives, a blocking thread
    /// opens the temporary file, hashes and writes, and closes it when the body ends. On
    /// error the upload is unusable (its hash and file may disagree).
    pub async fn append<S, E>(
        &self,
        id: &uuid::Uuid,
        upload: Upload,
        body: S,
    ) -> (Upload, Result<u64, AppendError>)
    where
        S: Stream<Item = Result<Bytes, E>> + Send,
        E: std::fmt::Display,
    {
        let path = self.upload_path(&id.to_string());
        let (tx, mut rx) = tokio::sync::mpsc::channel::<Bytes>(CHANNEL_CHUNKS);
        let worker = tokio::task::spawn_blocking(move || {
            let Upload {
                mut hasher,
                mut size,
            } = upload;
            let file = match File::options().append(true).open(&path) {
                Ok(f) => f,
                Err(e) => return (Upload { hasher, size }, Some(e)),
            };
            let mut out = BufWriter::with_capacity(1 << 20, file);
            let mut failed = None;
            while let Some(chunk) = rx.blocking_recv() {
                if let Err(e) = out.write_all(&chunk) {
                    failed = Some(e);
                    break;
                }
                hasher.update(&chunk);
                size = size.saturating_add(chunk.len() as u64);
            }
            let flushed = out.flush();
            // Flushed (or failed): whatever is still buffered is dropped, and the file closed.
            drop(out);
            let err = failed.or(flushed.err());
            (Upload { hasher, size }, err)
        });
        let mut body = std::pin::pin!(body);
        let mut appended = 0u64;
        let mut body_error = None;
        while let Some(item) = body.next().await {
            match item {
                Ok(chunk) => {
                    appended = appended.saturating_add(chunk.len() as u64);
                    if tx.send(chunk).await.is_err() {
                        break;
                    }
                }
                Err(e) => {
                    body_error = Some(e.to_string());
                    break;
                }
            }
        }
        drop(tx);
        let (upload, io_error) = match worker.await {
            Ok(r) => r,
            Err(e) => {
                // The disk thread died (it panicked): a state nobody will commit.
                return (
                    Upload::default(),
                    Err(AppendError::Io(std::io::Error::other(e.to_string()))),
                );
            }
        };
        let result = match (body_error, io_error) {
            (Some(b), _) => Err(AppendError::Body(b)),
            (None, Some(e)) => Err(AppendError::Io(e)),
            (None, None) => Ok(appended),
        };
        (upload, result)
    }

    pub fn discard_upload(&self, id: &uuid::Uuid) {
        let _ = std::fs::remove_file(self.upload_path(&id.to_string()));
    }

    /// Moves a finished upload under its digest (which the caller has checked).
    pub fn commit_upload(&self, id: &uuid::Uuid, digest: &Digest) -> std::io::Result<()> {
        let from = self.upload_path(&id.to_string());
        let to = self.blob_path(digest);
        if to.exists() {
            // Same digest, same bytes: keep the one already there.
            std::fs::remove_file(from)?;
            return Ok(());
        }
        private_subdir(to.parent().expect("blob paths have a parent"))?;
        std::fs::rename(from, to)
    }

    /// Stores a small blob given whole (a monolithic upload's bytes are streamed instead).
    pub fn put_bytes(&self, bytes: &[u8]) -> std::io::Result<Digest> {
        let digest = Digest::of(bytes);
        let id = uuid::Uuid::new_v4();
        let mut f = private_file().open(self.upload_path(&id.to_string()))?;
        f.write_all(bytes)?;
        drop(f);
        self.commit_upload(&id, &digest)?;
        Ok(digest)
    }

    pub fn exists(&self, digest: &Digest) -> bool {
        self.blob_path(digest).is_file()
    }

    /// Reads a whole small blob (an image config) into memory; `None` beyond `limit` bytes.
    pub fn read_small(&self, digest: &Digest, limit: u64) -> std::io::Result<Option<Vec<u8>>> {
        let f = File::open(self.blob_path(digest))?;
        if f.metadata()?.len() > limit {
            return Ok(None);
        }
        let mut v = Vec::new();
        f.take(limit).read_to_end(&mut v)?;
        Ok(Some(v))
    }

    /// Streams `len` bytes from `offset` of a blob, read on a blocking thread.
    pub fn read_range(
        &self,
        digest: &Digest,
        offset: u64,
        len: u64,
    ) -> std::io::Result<impl Stream<Item = std::io::Result<Bytes>> + Send + 'static> {
        let mut file = File::open(self.blob_path(digest))?;
        file.seek(SeekFrom::Start(offset))?;
        let (tx, rx) = tokio::sync::mpsc::channel::<std::io::Result<Bytes>>(READ_AHEAD);
        tokio::task::spawn_blocking(move || {
            let mut left = len;
            while left > 0 {
                let n = left.min(READ_CHUNK as u64) as usize;
                // Read into spare capacity: zeroing each chunk first (`vec![0; n]`) was a
                // tenth of the emulator's CPU time serving a big pull (perf).
                let mut buf = Vec::with_capacity(n);
                let r = match (&mut file).take(n as u64).read_to_end(&mut buf) {
                    Ok(got) if got == n => Ok(Bytes::from(buf)),
                    Ok(_) => Err(std::io::ErrorKind::UnexpectedEof.into()),
                    Err(e) => Err(e),
                };
                let failed = r.is_err();
                if tx.blocking_send(r).is_err() || failed {
                    return;
                }
                left = left.saturating_sub(n as u64);
            }
        });
        Ok(futures_util::stream::unfold(rx, |mut rx| async move {
            rx.recv().await.map(|item| (item, rx))
        }))
    }

    /// Removes blob files no repository sees any more; returns how many.
    pub fn collect_garbage(&self, live: &HashSet<String>) -> std::io::Result<usize> {
        let mut removed: usize = 0;
        let Ok(dirs) = std::fs::read_dir(&self.blobs) else {
            return Ok(0);
        };
        for dir in dirs {
            let dir = dir?.path();
            if !dir.is_dir() {
                continue;
            }
            for f in std::fs::read_dir(&dir)? {
                let path = f?.path();
                let name = path
                    .file_name()
                    .and_then(|n| n.to_str())
                    .unwrap_or_default()
                    .to_string();
                if !live.contains(&format!("sha256:{name}")) {
                    std::fs::remove_file(&path)?;
                    removed = removed.saturating_add(1);
                }
            }
        }
        Ok(removed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digests_are_strict() {
        let ok = format!("sha256:{}", "a".repeat(64));
        assert!(Digest::parse(&ok).is_some());
        assert!(Digest::parse(&format!("sha256:{}", "A".repeat(64))).is_none());
        assert!(Digest::parse("sha256:../../etc/passwd").is_none());
        assert!(Digest::parse(&format!("sha512:{}", "a".repeat(128))).is_none());
        assert_eq!(
            Digest::of(b"").as_str(),
            "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }

    #[tokio::test]
    async fn uploads_hash_while_writing_and_commit_by_rename() {
        let dir = tempfile::tempdir().unwrap();
        let store = BlobStore::new(dir.path());
        store.prepare().unwrap();
        let id = uuid::Uuid::new_v4();
        let up = store.start_upload(&id).unwrap();
        let chunks: Vec<Result<Bytes, std::io::Error>> = (0..100)
            .map(|i| Ok(Bytes::from(vec![i as u8; 10_000])))
            .collect();
        let (up, r) = store
            .append(&id, up, futures_util::stream::iter(chunks))
            .await;
        assert_eq!(r.unwrap(), 1_000_000);
        let (up, r) = store
            .append(
                &id,
                up,
                futures_util::stream::iter(vec![Ok::<_, std::io::Error>(Bytes::from_static(
                    b"end",
                ))]),
            )
            .await;
        assert_eq!(r.unwrap(), 3);
        let mut all = Vec::new();
        for i in 0..100 {
            all.extend(vec![i as u8; 10_000]);
        }
        all.extend(b"end");
        let d = up.digest();
        assert_eq!(d, Digest::of(&all));
        assert_eq!(up.size(), all.len() as u64);
        assert!(!store.exists(&d));
        store.commit_upload(&id, &d).unwrap();
        assert!(store.exists(&d));
        let s = store.read_range(&d, 999_990, 13).unwrap();
        let got: Vec<Bytes> = s.map(|c| c.unwrap()).collect().await;
        assert_eq!(got.concat(), [&all[999_990..]].concat());
        assert_eq!(
            store
                .collect_garbage(&HashSet::from([d.to_string()]))
                .unwrap(),
            0
        );
        assert_eq!(store.collect_garbage(&HashSet::new()).unwrap(), 1);
        assert!(!store.exists(&d));
    }
}
