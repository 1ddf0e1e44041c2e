//! Store tests across modules: the data-plane login check and cascades.
use super::*;

fn store_with_token() -> (tempfile::TempDir, Store, Registry) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("db"), b"pepper".to_vec()).unwrap();
    let actor = Actor::system("me");
    let reg = store
        .run_blocking(|db| {
            let new = NewRegistry {
                name: "MyRegistry".into(),
                resource_group: "rg".into(),
                location: "eastus".into(),
                sku: Sku::Basic,
                admin_user_enabled: false,
                tags: Default::default(),
                port: 40000,
            };
            db.create_registry(new, &actor)
        })
        .unwrap();
    let r = reg.clone();
    store
        .run_blocking(|db| {
            let put = TokenPut {
                scope_map: "_repositories_pull".into(),
                status: "enabled".into(),
                keep_passwords: None,
                certificates: None,
            };
            db.put_token(&r, "MyToken", put, &actor)
        })
        .unwrap();
    (dir, store, reg)
}

/// Sets the status of token `MyToken` of `reg` (`enabled` or `disabled`).
async fn set_status(store: &Store, reg: &Registry, status: &str) {
    let (r, status) = (reg.clone(), status.to_string());
    store
        .run(move |db| {
            let patch = TokenPatch {
                status: Some(status),
                ..Default::default()
            };
            db.patch_token(&r, "MyToken", patch, &Actor::system("me"))
        })
        .await
        .unwrap();
}

#[tokio::test]
async fn verify_token_password_for_the_data_plane() {
    let (_dir, store, reg) = store_with_token();
    let r = reg.clone();
    let (_, pws) = store
        .run(move |db| db.generate_credentials(&r, "mytoken", None, None))
        .await
        .unwrap();
    let (p1, p2) = (pws[0].value.clone(), pws[1].value.clone());
    let id = store
        .verify_token_password("myregistry", "MYTOKEN", &p2)
        .await
        .unwrap();
    assert_eq!(
        (
            id.registry.as_str(),
            id.token.as_str(),
            id.password.as_str()
        ),
        ("MyRegistry", "MyToken", "password2")
    );
    assert_eq!(id.actions, ["repositories/*/content/read"]);
    assert_eq!(
        store
            .verify_token_password("myregistry", "MyToken", &p1)
            .await
            .unwrap()
            .password,
        "password1"
    );
    assert_eq!(
        store
            .verify_token_password("myregistry", "MyToken", "nope")
            .await,
        Err(Denied::WrongPassword)
    );
    assert_eq!(
        store
            .verify_token_password("myregistry", "other", &p1)
            .await,
        Err(Denied::UnknownToken)
    );
    assert_eq!(
        store.verify_token_password("nosuch", "MyToken", &p1).await,
        Err(Denied::UnknownRegistry)
    );
    // Only digests are stored.
    let stored: Vec<String> = store
        .run_blocking(|db| {
            let mut st = db.conn.prepare("SELECT hash FROM token_passwords")?;
            Ok(st.query_map([], |r| r.get(0))?.collect::<Result<_, _>>()?)
        })
        .unwrap();
    assert!(stored.iter().all(|h| h.len() == 64 && *h != p1 && *h != p2));

    // Disabled tokens and expired passwords are refused.
    set_status(&store, &reg, "disabled").await;
    assert_eq!(
        store
            .verify_token_password("myregistry", "MyToken", &p1)
            .await,
        Err(Denied::Disabled)
    );
    set_status(&store, &reg, "enabled").await;
    let r = reg.clone();
    let past = Some("2001-01-01T00:00:00+00:00".to_string());
    let (_, pws) = store
        .run(move |db| db.generate_credentials(&r, "MyToken", Some("password1"), past))
        .await
        .unwrap();
    assert_eq!(
        store
            .verify_token_password("myregistry", "MyToken", &pws[0].value)
            .await,
        Err(Denied::Expired)
    );
    assert!(
        store
            .verify_token_password("myregistry", "MyToken", &p2)
            .await
            .is_ok()
    );
}

#[test]
fn registry_delete_cascades_and_limits_count_user_maps_only() {
    let (_dir, store, reg) = store_with_token();
    store
        .run_blocking(|db| {
            db.limits.scope_maps = [1; 3];
            let put = ScopeMapPut {
                description: None,
                actions: vec![],
            };
            db.put_scope_map(&reg, "first", put, &Actor::system("me"))?;
            let put = ScopeMapPut {
                description: None,
                actions: vec![],
            };
            assert!(matches!(
                db.put_scope_map(&reg, "second", put, &Actor::system("me")),
                Err(StoreError::Quota(_))
            ));
            assert!(db.delete_registry("rg", "myregistry")?.is_some());
            assert!(db.delete_registry("rg", "myregistry")?.is_none());
            let n: i64 = db
                .conn
                .query_row("SELECT COUNT(*) FROM tokens", [], |r| r.get(0))?;
            assert_eq!(n, 0);
            Ok(())
        })
        .unwrap();
}
