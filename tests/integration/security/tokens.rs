//! Finding 7: a registry's access and refresh tokens were bound to its port (`aud` =
//! `127.0.0.1:PORT`), so a registry created later on the same port accepted the unexpired
//! tokens of a deleted one. They are bound to the registry's identity now.

use acr::emulator::store::{Actor, NewRegistry, Store};
use acr::emulator::{RegistrySpec, Sku};
use serde_json::Value;

use crate::support::{Auth, Emu, Reg};

/// A refresh token from `/oauth2/exchange` and an owner's access token for `repository:app:*`.
async fn tokens(r: &Reg) -> (String, String) {
    let aad = r.e.mi_token("https://containerregistry.azure.net").await;
    let v: Value =
        r.e.http
            .post(r.url("/oauth2/exchange"))
            .form(&[
                ("grant_type", "access_token"),
                ("service", &r.login),
                ("access_token", &aad),
            ])
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
    let refresh = v["refresh_token"].as_str().unwrap().to_owned();
    let access = r.owner(&["repository:app:*"]).await;
    (refresh, access)
}

/// What `refresh` buys on `/oauth2/token` (the status).
async fn redeem(r: &Reg, refresh: &str) -> u16 {
    r.e.http
        .post(r.url("/oauth2/token"))
        .form(&[
            ("grant_type", "refresh_token"),
            ("service", r.login.as_str()),
            ("scope", "repository:app:pull"),
            ("refresh_token", refresh),
        ])
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

#[tokio::test]
async fn finding_7_tokens_of_a_deleted_registry_do_not_open_its_successor() {
    let e = Emu::start_with(vec![RegistrySpec {
        name: "oldregistry".into(),
        sku: Sku::Premium,
    }])
    .await;
    let login = e.login_server().to_owned();
    let port: u16 = login.rsplit(':').next().unwrap().parse().unwrap();
    let r = Reg { e, login };
    let (refresh, access) = tokens(&r).await;
    assert_eq!(redeem(&r, &refresh).await, 200);
    assert_eq!(
        r.get("/v2/app/tags/list", Auth::Bearer(&access))
            .await
            .status,
        404,
        "the token works on its own registry (no such repository yet)"
    );

    // Delete the registry and create another on the same port (with the emulator stopped, to
    // choose the port: a running emulator may hand out a freed port to any new registry).
    let dir = r.e.stop().await;
    let pepper = std::fs::read(dir.path().join("pepper")).unwrap();
    let store = Store::open(&dir.path().join("emulator.db"), pepper).unwrap();
    store
        .run_blocking(|db| {
            db.delete_registry("myresourcegroup", "oldregistry")?;
            db.create_registry(
                NewRegistry {
                    name: "newregistry".into(),
                    resource_group: "myresourcegroup".into(),
                    location: "eastus".into(),
                    sku: Sku::Premium,
                    admin_user_enabled: false,
                    tags: Default::default(),
                    port,
                },
                &Actor::system("test"),
            )
        })
        .unwrap();
    drop(store);
    let e = Emu::start_in(dir, vec![]).await;
    assert_eq!(e.env.registries[0].name, "newregistry");
    let r = Reg {
        login: e.login_server().to_owned(),
        e,
    };
    assert_eq!(r.login, format!("127.0.0.1:{port}"));

    assert_eq!(redeem(&r, &refresh).await, 401, "the old refresh token");
    r.get("/v2/app/tags/list", Auth::Bearer(&access))
        .await
        .oci_error(401, "UNAUTHORIZED");
    // The new registry's own tokens work.
    let (refresh, access) = tokens(&r).await;
    assert_eq!(redeem(&r, &refresh).await, 200);
    assert_eq!(
        r.get("/v2/app/tags/list", Auth::Bearer(&access))
            .await
            .status,
        404
    );
}
