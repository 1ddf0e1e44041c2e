//! The repository store's rules: blobs before manifests, tags following manifests, locks.

use super::*;
use crate::emulator::Sku;
use crate::emulator::store::{Actor, NewRegistry, Store};

fn store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let s = Store::open(&dir.path().join("db"), vec![7; 32]).unwrap();
    s.run_blocking(|db| {
        db.create_registry(
            NewRegistry {
                name: "reg".into(),
                resource_group: "rg".into(),
                location: "eastus".into(),
                sku: Sku::Premium,
                admin_user_enabled: false,
                tags: Default::default(),
                port: 1,
            },
            &Actor::system("me"),
        )
    })
    .unwrap();
    (dir, s)
}

fn manifest(digest: &str, blobs: &[&str]) -> NewManifest {
    NewManifest {
        digest: digest.into(),
        content: b"{}".to_vec(),
        facts: ManifestFacts {
            media_type: "application/vnd.oci.image.manifest.v1+json".into(),
            ..Default::default()
        },
        blobs: blobs.iter().map(|b| b.to_string()).collect(),
        ..Default::default()
    }
}

/// Pushes manifest `sha256:m1` (one layer, `sha256:l1`) to `reg/a/b` under `tag`.
fn put_m1(db: &mut Db, tag: &str) -> Outcome<bool> {
    db.put_manifest(
        "reg",
        "a/b",
        manifest("sha256:m1", &["sha256:l1"]),
        Some(tag),
    )
}

#[test]
fn manifests_need_their_blobs_and_tags_follow_manifests() {
    let (_d, s) = store();
    s.run_blocking(|db| {
        assert_eq!(
            put_m1(db, "v1")?,
            Err(Refusal::BlobUnknown("sha256:l1".into()))
        );
        // The refused attempt left nothing behind.
        assert_eq!(db.repository("reg", "a/b")?, Err(Refusal::NameUnknown));
        db.link_blob("reg", "a/b", "sha256:l1", 10)?.unwrap();
        assert_eq!(put_m1(db, "v1")?, Ok(true));
        assert_eq!(put_m1(db, "v2")?, Ok(false));
        let info = db.repository("reg", "a/b")?.unwrap();
        assert_eq!((info.manifest_count, info.tag_count), (1, 2));
        assert_eq!(
            db.get_manifest("reg", "a/b", "v2")?.unwrap().digest,
            "sha256:m1"
        );
        assert_eq!(db.catalog("reg")?, vec![("a/b".to_string(), true)]);
        assert_eq!(
            db.delete_manifest("reg", "a/b", "sha256:m1")?,
            Ok(vec!["v1".to_string(), "v2".to_string()])
        );
        assert_eq!(
            db.get_manifest("reg", "a/b", "v1")?.unwrap_err(),
            Refusal::NameUnknown
        );
        Ok(())
    })
    .unwrap();
}

#[test]
fn locks_refuse_writes_deletes_and_reads() {
    let (_d, s) = store();
    s.run_blocking(|db| {
        db.link_blob("reg", "r", "sha256:l", 1)?.unwrap();
        db.put_manifest("reg", "r", manifest("sha256:m1", &["sha256:l"]), Some("v1"))?
            .unwrap();
        db.patch_tag(
            "reg",
            "r",
            "v1",
            FlagsPatch {
                write: Some(false),
                ..Default::default()
            },
        )?
        .unwrap();
        assert_eq!(
            db.put_manifest("reg", "r", manifest("sha256:m2", &["sha256:l"]), Some("v1"))?,
            Err(Refusal::Disallowed)
        );
        assert_eq!(db.delete_tag("reg", "r", "v1")?, Err(Refusal::Disallowed));
        assert_eq!(
            db.delete_manifest("reg", "r", "sha256:m1")?,
            Err(Refusal::Disallowed)
        );
        assert_eq!(db.delete_repository("reg", "r")?, Err(Refusal::Disallowed));
        db.patch_tag(
            "reg",
            "r",
            "v1",
            FlagsPatch {
                write: Some(true),
                read: Some(false),
                ..Default::default()
            },
        )?
        .unwrap();
        assert_eq!(
            db.get_manifest("reg", "r", "v1")?.unwrap_err(),
            Refusal::Disallowed
        );
        assert!(db.get_manifest("reg", "r", "sha256:m1")?.is_ok());
        db.patch_repository(
            "reg",
            "r",
            FlagsPatch {
                write: Some(false),
                ..Default::default()
            },
        )?
        .unwrap();
        assert_eq!(
            db.link_blob("reg", "r", "sha256:x", 1)?,
            Err(Refusal::Disallowed)
        );
        assert!(!db.repository_writable("reg", "r")?);
        db.patch_repository(
            "reg",
            "r",
            FlagsPatch {
                write: Some(true),
                ..Default::default()
            },
        )?
        .unwrap();
        let gone = db.delete_repository("reg", "r")?.unwrap();
        assert_eq!(
            gone,
            DeletedRepository {
                manifests: vec!["sha256:m1".into()],
                tags: vec!["v1".into()]
            }
        );
        assert!(db.live_blobs()?.is_empty());
        Ok(())
    })
    .unwrap();
}
