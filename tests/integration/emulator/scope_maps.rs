//! Scope maps over HTTPS: the five system maps, create/replace/patch/delete, action grammar
//! and wildcard rules, limits, read-only system maps and the in-use conflict.

use serde_json::{Value, json};

use crate::support::Emu;
use crate::support::swagger::assert_valid;

#[tokio::test]
async fn system_scope_maps_are_listed_and_read_only() {
    let e = Emu::start().await;
    let reg = e.reg();
    let l = e.arm("GET", &format!("{reg}/scopeMaps"), None).await;
    assert_eq!(l.status, 200);
    assert_valid("ScopeMapListResult", &l.body);
    let maps = l.body["value"].as_array().unwrap();
    let got: Vec<(&str, &str, Vec<&str>)> = maps
        .iter()
        .map(|m| {
            assert_eq!(m["properties"]["type"], "SystemDefined");
            (
                m["name"].as_str().unwrap(),
                m["properties"]["description"].as_str().unwrap(),
                m["properties"]["actions"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|a| a.as_str().unwrap())
                    .collect(),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            (
                "_repositories_admin",
                "Can perform all read, write and delete operations on the registry",
                vec![
                    "repositories/*/metadata/read",
                    "repositories/*/metadata/write",
                    "repositories/*/content/read",
                    "repositories/*/content/write",
                    "repositories/*/content/delete"
                ]
            ),
            (
                "_repositories_pull",
                "Can pull any repository of the registry",
                vec!["repositories/*/content/read"]
            ),
            (
                "_repositories_pull_metadata_read",
                "Can perform all read operations on the registry",
                vec![
                    "repositories/*/content/read",
                    "repositories/*/metadata/read"
                ]
            ),
            (
                "_repositories_push",
                "Can push to any repository of the registry",
                vec![
                    "repositories/*/content/read",
                    "repositories/*/content/write"
                ]
            ),
            (
                "_repositories_push_metadata_write",
                "Can perform all read and write operations on the registry",
                vec![
                    "repositories/*/metadata/read",
                    "repositories/*/metadata/write",
                    "repositories/*/content/read",
                    "repositories/*/content/write"
                ]
            ),
        ]
    );
    for (method, body) in [
        (
            "PUT",
            Some(json!({"properties": {"actions": ["repositories/a/content/read"]}})),
        ),
        (
            "PATCH",
            Some(json!({"properties": {"description": "mine now"}})),
        ),
        ("DELETE", None),
    ] {
        let r = e
            .arm(method, &format!("{reg}/scopeMaps/_repositories_pull"), body)
            .await;
        let m = r.arm_error(400, "BadRequest");
        assert!(m.contains("system-defined scope map"), "{m}");
    }
    // Usable as a token's scope map.
    assert_eq!(
        e.create_token("admin-token", "_repositories_admin")
            .await
            .status,
        201
    );
}

#[tokio::test]
async fn scope_map_lifecycle() {
    let e = Emu::start().await;
    let reg = e.reg();
    let actions = [
        "repositories/samples/hello-world/content/read",
        "repositories/samples/*/metadata/read",
        "gateway/conn1/config/read",
    ];
    let r = e
        .arm(
            "PUT",
            &format!("{reg}/scopeMaps/MyScopeMap"),
            Some(json!({"properties": {"description": "my map", "actions": actions}})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.header("azure-asyncoperation").is_none());
    assert_valid("ScopeMap", &r.body);
    assert_eq!(r.body["id"], format!("{reg}/scopeMaps/MyScopeMap"));
    assert_eq!(
        r.body["type"],
        "Microsoft.ContainerRegistry/registries/scopeMaps"
    );
    assert_eq!(r.body["properties"]["type"], "UserDefined");
    assert_eq!(r.body["properties"]["provisioningState"], "Succeeded");
    assert_eq!(r.body["properties"]["actions"], json!(actions));
    assert_eq!(r.body["properties"]["description"], "my map");
    assert_eq!(r.body["systemData"]["createdByType"], "ManagedIdentity");

    // PATCH description only: actions unchanged. PATCH actions: replaced wholesale.
    let p = e
        .arm(
            "PATCH",
            &format!("{reg}/scopemaps/myscopemap"),
            Some(json!({"properties": {"description": "updated"}})),
        )
        .await;
    assert_eq!(p.status, 200);
    assert_valid("ScopeMap", &p.body);
    assert_eq!(p.body["name"], "MyScopeMap");
    assert_eq!(p.body["properties"]["actions"], json!(actions));
    assert_eq!(p.body["properties"]["description"], "updated");
    let p = e
        .arm(
            "PATCH",
            &format!("{reg}/scopeMaps/MyScopeMap"),
            Some(json!({"properties": {"actions": ["repositories/x/content/delete"]}})),
        )
        .await;
    assert_eq!(
        p.body["properties"]["actions"],
        json!(["repositories/x/content/delete"])
    );
    assert_eq!(p.body["properties"]["description"], "updated");
    // PUT replaces (no description → none) and keeps the creation date.
    let created = p.body["properties"]["creationDate"].clone();
    let r = e.create_scope_map("MyScopeMap", &[]).await;
    assert_eq!(r.status, 200);
    assert!(r.body["properties"].get("description").is_none());
    assert_eq!(r.body["properties"]["actions"], json!([]));
    assert_eq!(r.body["properties"]["creationDate"], created);

    // In use → 409; free again after the token moves.
    assert_eq!(e.create_token("user-token", "MyScopeMap").await.status, 201);
    let d = e
        .arm("DELETE", &format!("{reg}/scopeMaps/MyScopeMap"), None)
        .await;
    assert_valid("ErrorResponse", &d.body);
    assert!(
        d.arm_error(409, "Conflict")
            .contains("associated with tokens: user-token")
    );
    let p = e
        .arm("PATCH", &format!("{reg}/tokens/user-token"), Some(json!({"properties": {"scopeMapId": format!("{reg}/scopeMaps/_repositories_pull")}})))
        .await;
    assert_eq!(p.status, 200);
    assert_eq!(
        e.arm("DELETE", &format!("{reg}/scopeMaps/MyScopeMap"), None)
            .await
            .status,
        200
    );
    assert_eq!(
        e.arm("DELETE", &format!("{reg}/scopeMaps/MyScopeMap"), None)
            .await
            .status,
        204
    );
    e.arm("GET", &format!("{reg}/scopeMaps/MyScopeMap"), None)
        .await
        .arm_error(404, "ResourceNotFound");
    e.arm(
        "PATCH",
        &format!("{reg}/scopeMaps/MyScopeMap"),
        Some(json!({"properties": {}})),
    )
    .await
    .arm_error(404, "ResourceNotFound");
}

#[tokio::test]
async fn scope_map_rules() {
    let e = Emu::start().await;
    let reg = e.reg();
    let put = |name: &str, body: Value| {
        let path = format!("{reg}/scopeMaps/{name}");
        let e = &e;
        async move { e.arm("PUT", &path, Some(body)).await }
    };
    for bad in ["abcd", "bad.name", &"m".repeat(51)] {
        put(bad, json!({"properties": {"actions": []}}))
            .await
            .arm_error(400, "InvalidResourceName");
    }
    let bad_actions = [
        ("repositories/samples/*/teamA/content/read", "wildcard"),
        ("repositories/samples/team*/content/read", "wildcard"),
        ("repositories/*/*/content/read", "wildcard"),
        (
            "repositories/hello/content/readd",
            "not a valid repository action",
        ),
        (
            "repositories/hello/contentWrite",
            "expected 'repositories/<repository>/<action>'",
        ),
        ("gateway/gw/content/read", "not a valid gateway action"),
        (
            "registry/x/content/read",
            "must start with 'repositories/' or 'gateway/'",
        ),
        ("repositories/Hello/content/read", "lower-case"),
    ];
    for (a, needle) in bad_actions {
        let r = put(
            "badmap",
            json!({"properties": {"actions": ["repositories/ok/content/read", a]}}),
        )
        .await;
        let m = r.arm_error(400, "BadRequest");
        assert!(
            m.contains(needle) && m.contains("properties.actions[1]"),
            "{a}: {m}"
        );
    }
    for good in [
        "repositories/*/content/read",
        "repositories/samples/*/content/write",
        "gateway/gw1/message/write",
    ] {
        assert_eq!(
            put("goodmap", json!({"properties": {"actions": [good]}}))
                .await
                .status,
            200,
            "{good}"
        );
    }
    let content = [
        (
            json!({"properties": {"actions": "x"}}),
            "Error converting value \"x\" to type 'System.Collections.Generic.List`1[System.String]'. Path 'properties.actions'",
        ),
        (
            json!({"properties": {"actions": [1]}}),
            "Path 'properties.actions[0]'",
        ),
        (
            json!({"properties": {"description": "d"}}),
            "Required property 'actions'",
        ),
        (
            json!({"properties": {"actions": [], "type": "SystemDefined", "kind": 1}}),
            "Could not find member 'kind' on object of type 'ScopeMapProperties'",
        ),
        (
            json!({"properties": {"actions": [], "description": 7}}),
            "Path 'properties.description'",
        ),
        (json!([]), "Path ''"),
    ];
    for (body, needle) in content {
        let m = put("badmap", body.clone())
            .await
            .arm_error(400, "InvalidRequestContent");
        assert!(m.contains(needle), "{body}: {m}");
    }
    let long = "d".repeat(257);
    let m = put(
        "badmap",
        json!({"properties": {"actions": [], "description": long}}),
    )
    .await
    .arm_error(400, "BadRequest");
    assert!(m.contains("maximum is 256"), "{m}");
    assert_eq!(
        put(
            "okdesc",
            json!({"properties": {"actions": [], "description": "d".repeat(256)}})
        )
        .await
        .status,
        200
    );

    // 500 actions fit, 501 do not; the same for PATCH.
    let many: Vec<String> = (0..501)
        .map(|i| format!("repositories/repo{i}/content/read"))
        .collect();
    assert_eq!(
        put("bigmap", json!({"properties": {"actions": &many[..500]}}))
            .await
            .status,
        200
    );
    let m = put("bigmap", json!({"properties": {"actions": many}}))
        .await
        .arm_error(400, "BadRequest");
    assert!(m.contains("at most 500 actions"), "{m}");
    let m = e
        .arm(
            "PATCH",
            &format!("{reg}/scopeMaps/bigmap"),
            Some(json!({"properties": {"actions": many}})),
        )
        .await
        .arm_error(400, "BadRequest");
    assert!(m.contains("at most 500 actions"), "{m}");

    // The scope-map quota (lowered through the test hook).
    assert_eq!(
        e.hook("POST", "/_emulator/limits", json!({"scopeMaps": 4}))
            .await,
        204
    );
    assert_eq!(
        put("fourth", json!({"properties": {"actions": []}}))
            .await
            .status,
        200
    );
    let m = put("fifth", json!({"properties": {"actions": []}}))
        .await
        .arm_error(409, "QuotaExceeded");
    assert!(m.contains("limit of 4 scope maps"), "{m}");
    // Replacing an existing map is not a new one.
    assert_eq!(
        put("fourth", json!({"properties": {"actions": []}}))
            .await
            .status,
        200
    );
}
