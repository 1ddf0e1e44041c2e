//! az acr scope-map, every verb, and the service-side rules as az reports them.

use serde_json::json;

use super::*;
use crate::support::Emu;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn az_scope_map_commands_with_managed_identity() {
    let Some(bin) = az_binary() else { return };
    let e = Emu::start().await;
    let az = Az::login(bin, &e.env, Login::ManagedIdentity).await;
    let reg_id = e.reg();

    let r = az
        .ok(&[
            "acr",
            "scope-map",
            "create",
            "--name",
            "MyScopeMap",
            "-r",
            "myregistry",
            "--repository",
            "samples/hello-world",
            "content/read",
            "content/write",
            "--repository",
            "other/app",
            "metadata/read",
            "--gateway",
            "conn1",
            "config/read",
            "--description",
            "my scope map",
        ])
        .await;
    let m = r.json();
    assert_eq!(keys(&m), SCOPE_MAP_KEYS);
    assert_eq!(
        m["actions"],
        json!([
            "repositories/samples/hello-world/content/read",
            "repositories/samples/hello-world/content/write",
            "repositories/other/app/metadata/read",
            "gateway/conn1/config/read"
        ])
    );
    assert_eq!(m["description"], "my scope map");
    let r = az
        .ok(&[
            "acr",
            "scope-map",
            "create",
            "-n",
            "EmptyMap",
            "-r",
            "myregistry",
        ])
        .await;
    assert_eq!(r.json()["actions"], json!([]));
    assert!(r.json()["description"].is_null());

    let r = az
        .ok(&[
            "acr",
            "scope-map",
            "show",
            "-n",
            "MyScopeMap",
            "-r",
            "myregistry",
        ])
        .await;
    assert_eq!(r.json()["id"], format!("{reg_id}/scopeMaps/MyScopeMap"));
    az.fails(
        &[
            "acr",
            "scope-map",
            "show",
            "-n",
            "NoSuchMap",
            "-r",
            "myregistry",
        ],
        3,
        "(ResourceNotFound)",
    )
    .await;
    let r = az
        .ok(&["acr", "scope-map", "list", "-r", "myregistry"])
        .await;
    let names: Vec<String> = r
        .json()
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["name"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        names,
        [
            "_repositories_admin",
            "_repositories_pull",
            "_repositories_pull_metadata_read",
            "_repositories_push",
            "_repositories_push_metadata_write",
            "MyScopeMap",
            "EmptyMap"
        ]
    );
    let r = az
        .ok(&[
            "acr",
            "scope-map",
            "list",
            "-r",
            "myregistry",
            "-o",
            "table",
        ])
        .await;
    assert!(
        r.stdout.contains("Can pull any repository of the registry"),
        "{}",
        r.stdout
    );

    // update: additions and removals as sets; description only; no changes.
    let r = az
        .ok(&[
            "acr",
            "scope-map",
            "update",
            "-n",
            "MyScopeMap",
            "-r",
            "myregistry",
            "--add-repository",
            "third/repo",
            "content/read",
            "--remove-repository",
            "samples/hello-world",
            "content/write",
            "--description",
            "updated",
        ])
        .await;
    let mut actions: Vec<String> = r.json()["actions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap().to_string())
        .collect();
    actions.sort();
    assert_eq!(
        actions,
        [
            "gateway/conn1/config/read",
            "repositories/other/app/metadata/read",
            "repositories/samples/hello-world/content/read",
            "repositories/third/repo/content/read"
        ]
    );
    assert_eq!(r.json()["description"], "updated");
    let r = az
        .ok(&[
            "acr",
            "scope-map",
            "update",
            "-n",
            "MyScopeMap",
            "-r",
            "myregistry",
            "--description",
            "only description",
            "-g",
            "myresourcegroup",
        ])
        .await;
    assert_eq!(r.json()["actions"].as_array().unwrap().len(), 4);
    let r = az
        .ok(&[
            "acr",
            "scope-map",
            "update",
            "-n",
            "MyScopeMap",
            "-r",
            "myregistry",
            "--add",
            "foo",
            "content/delete",
        ])
        .await;
    assert!(
        r.json()["actions"]
            .as_array()
            .unwrap()
            .contains(&json!("repositories/foo/content/delete"))
    );
    assert!(r.stderr.contains("Option '--add' has been deprecated"));
    az.fails(
        &[
            "acr",
            "scope-map",
            "update",
            "-n",
            "MyScopeMap",
            "-r",
            "myregistry",
            "-g",
            "myresourcegroup",
        ],
        1,
        "No scope map properties to update.",
    )
    .await;

    // Service-side rules surface as az errors.
    az.fails(
        &[
            "acr",
            "scope-map",
            "update",
            "-n",
            "_repositories_pull",
            "-r",
            "myregistry",
            "--add-repository",
            "x",
            "content/read",
        ],
        1,
        "(BadRequest) The scope map '_repositories_pull' is a system-defined scope map",
    )
    .await;
    az.fails(
        &[
            "acr",
            "scope-map",
            "delete",
            "-n",
            "_repositories_admin",
            "-r",
            "myregistry",
            "--yes",
        ],
        1,
        "system-defined",
    )
    .await;
    az.fails(
        &[
            "acr",
            "scope-map",
            "create",
            "-n",
            "BadMap",
            "-r",
            "myregistry",
            "--repository",
            "samples/*/x",
            "content/read",
        ],
        1,
        "(BadRequest) The action 'repositories/samples/*/x/content/read' is invalid",
    )
    .await;
    az.ok(&[
        "acr",
        "scope-map",
        "create",
        "-n",
        "WildMap",
        "-r",
        "myregistry",
        "--repository",
        "samples/*",
        "content/read",
    ])
    .await;
    az.ok(&[
        "acr",
        "token",
        "create",
        "-n",
        "UsesMap",
        "-r",
        "myregistry",
        "--scope-map",
        "MyScopeMap",
        "--no-passwords",
    ])
    .await;
    az.fails(
        &[
            "acr",
            "scope-map",
            "delete",
            "-n",
            "MyScopeMap",
            "-r",
            "myregistry",
            "--yes",
        ],
        1,
        "(Conflict)",
    )
    .await;
    az.fails(
        &[
            "acr",
            "scope-map",
            "create",
            "-n",
            "EmptyMap",
            "-r",
            "noregistry",
        ],
        1,
        "could not be found in subscription",
    )
    .await;

    // delete.
    let r = az
        .run(&[
            "acr",
            "scope-map",
            "delete",
            "-n",
            "EmptyMap",
            "-r",
            "myregistry",
        ])
        .await;
    assert_eq!(r.code, 1, "no TTY: az refuses to prompt");
    let r = az
        .ok(&[
            "acr",
            "scope-map",
            "delete",
            "-n",
            "EmptyMap",
            "-r",
            "myregistry",
            "--yes",
        ])
        .await;
    assert!(r.stdout.is_empty());
    az.fails(
        &[
            "acr",
            "scope-map",
            "show",
            "-n",
            "EmptyMap",
            "-r",
            "myregistry",
        ],
        3,
        "(ResourceNotFound)",
    )
    .await;
}
