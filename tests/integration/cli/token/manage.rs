//! `acr token update|delete|show|list`: D1's bodies, D2, prompts, the 404s, shapes.

use serde_json::{Value, json};

use super::{TOKEN_KEYS, keys};
use crate::support::{bodies, setup};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn update_sends_only_the_given_properties_d1() {
    let (emu, acr) = setup().await;
    let reg = emu.reg();
    acr.ok("acr scope-map create -r myregistry -n mymap2 --repository other content/read")
        .await;
    acr.ok(
        "acr token create -r myregistry -n token1 --repository repo1 content/read --no-passwords",
    )
    .await;

    emu.clear_requests().await;
    let out = acr
        .ok("acr token update -r myregistry -g myresourcegroup -n token1 --status Disabled")
        .await;
    assert_eq!(out.json()["status"], "disabled");
    assert_eq!(out.stderr, "");
    let log = emu.arm_requests().await;
    assert_eq!(emu.sequence().await, ["PATCH REG/tokens/token1 200"]);
    assert_eq!(
        bodies(&emu, &log, "PATCH", "REG/tokens/token1"),
        [json!({"properties": {"status": "disabled"}})]
    );

    // differs from az (D1): no flag, no status; the disabled token stays disabled.
    emu.clear_requests().await;
    let out = acr
        .ok("acr token update -r myregistry -g myresourcegroup -n token1")
        .await;
    assert_eq!(out.json()["status"], "disabled");
    let log = emu.arm_requests().await;
    assert_eq!(
        bodies(&emu, &log, "PATCH", "REG/tokens/token1"),
        [json!({"properties": {}})]
    );

    emu.clear_requests().await;
    let out = acr
        .ok("acr token update -r myregistry -g myresourcegroup -n token1 --scope-map mymap2 --query '{s:status,m:scopeMapId}'")
        .await;
    assert_eq!(
        out.json(),
        json!({"m": format!("{reg}/scopeMaps/mymap2"), "s": "disabled"})
    );
    let log = emu.arm_requests().await;
    assert_eq!(
        bodies(&emu, &log, "PATCH", "REG/tokens/token1"),
        [json!({"properties": {"scopeMapId": format!("{reg}/scopeMaps/mymap2")}})]
    );
    // No registry lookup is needed for the scope-map id when the group is known (D6).
    assert_eq!(emu.sequence().await, ["PATCH REG/tokens/token1 200"]);

    emu.clear_requests().await;
    let out = acr
        .ok("acr token update -r myregistry -n token1 --status enabled --scope-map token1-scope-map -o tsv --query status")
        .await;
    assert_eq!(out.stdout, "enabled\n");
    let log = emu.arm_requests().await;
    assert_eq!(
        bodies(&emu, &log, "PATCH", "REG/tokens/token1"),
        [
            json!({"properties": {"scopeMapId": format!("{reg}/scopeMaps/token1-scope-map"), "status": "enabled"}})
        ]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn update_errors_come_from_the_service() {
    let (_emu, acr) = setup().await;
    acr.run("acr token update -r myregistry -n nosuch --status disabled")
        .await
        .error(
            3,
            "(ResourceNotFound) The resource nosuch could not be found.\n\
             Code: ResourceNotFound\n\
             Message: The resource nosuch could not be found.",
        );
    acr.ok(
        "acr token create -r myregistry -n token1 --repository repo1 content/read --no-passwords",
    )
    .await;
    // Whether the scope map exists is the service's to decide.
    acr.run("acr token update -r myregistry -n token1 --scope-map nosuchmap")
        .await
        .error(
            1,
            "(BadRequest) The scope map 'nosuchmap' referenced by properties.scopeMapId does not exist in registry 'myregistry'.\n\
             Code: BadRequest\n\
             Message: The scope map 'nosuchmap' referenced by properties.scopeMapId does not exist in registry 'myregistry'.",
        );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn delete_without_a_terminal_fails_cleanly_d2() {
    let (emu, acr) = setup().await;
    for line in [
        "acr token delete -r myregistry -n token1",
        "acr token delete -r nosuchregistry -n token1",
    ] {
        // differs from az (D2): az crashes with a NoTTYException traceback.
        acr.run(line).await.error(
            1,
            "Unable to prompt for confirmation as no tty available. Use --yes.",
        );
    }
    assert!(emu.requests().await.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn delete_with_yes_keeps_the_scope_map() {
    let (emu, acr) = setup().await;
    acr.ok(
        "acr token create -r myregistry -n token1 --repository repo1 content/read --no-passwords",
    )
    .await;
    emu.clear_requests().await;
    for line in [
        "acr token delete -r myregistry -g myresourcegroup -n token1 --yes",
        // A missing token is a silent success (the service answers 204).
        "acr token delete -r myregistry -g myresourcegroup -n token1 -y",
    ] {
        let out = acr.ok(line).await;
        assert_eq!((out.stdout.as_str(), out.stderr.as_str()), ("", ""));
    }
    assert_eq!(
        emu.sequence().await,
        [
            "DELETE REG/tokens/token1 200",
            "DELETE REG/tokens/token1 204"
        ]
    );
    assert_eq!(
        acr.run("acr token show -r myregistry -n token1").await.code,
        3
    );
    // az-compat: the auto-created map is left behind.
    acr.ok("acr scope-map show -r myregistry -n token1-scope-map")
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn delete_asks_on_a_terminal() {
    let (emu, acr) = setup().await;
    acr.ok(
        "acr token create -r myregistry -n token1 --repository repo1 content/read --no-passwords",
    )
    .await;
    emu.clear_requests().await;
    let prompt = "Deleting the token 'token1' will invalidate access to anyone using its credentials. Proceed? (y/n): ";
    let out = acr
        .run_with("acr token delete -r myregistry -n token1", "n\n", true)
        .await;
    assert_eq!(
        (out.code, out.stdout.as_str(), out.stderr.as_str()),
        (0, prompt, "")
    );
    assert!(emu.requests().await.is_empty(), "the prompt comes first");
    // Anything but y or n asks again.
    let out = acr
        .run_with(
            "acr token delete -r myregistry -n token1",
            "maybe\nY\n",
            true,
        )
        .await
        .ok();
    assert_eq!(out.stdout, prompt.repeat(2));
    assert_eq!(
        emu.sequence().await.last().unwrap(),
        "DELETE REG/tokens/token1 200"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn show_prints_the_token_without_secrets() {
    let (emu, acr) = setup().await;
    acr.ok("acr token create -r myregistry -n token1 --repository repo1 content/read")
        .await;
    emu.clear_requests().await;
    let token = acr
        .ok("acr token show -r myregistry -g myresourcegroup -n token1")
        .await
        .json();
    assert_eq!(keys(&token), TOKEN_KEYS);
    assert_eq!(keys(&token["credentials"]), ["certificates", "passwords"]);
    assert_eq!(token["credentials"]["certificates"], Value::Null);
    for p in token["credentials"]["passwords"].as_array().unwrap() {
        assert_eq!(keys(p), ["creationTime", "expiry", "name", "value"]);
        assert_eq!(p["value"], Value::Null, "GET never returns secrets");
    }
    assert_eq!(
        keys(&token["systemData"]),
        [
            "createdAt",
            "createdBy",
            "createdByType",
            "lastModifiedAt",
            "lastModifiedBy",
            "lastModifiedByType"
        ]
    );
    assert_eq!(emu.sequence().await, ["GET REG/tokens/token1 200"]);
    // An ARM 404 exits 3 and prints the service's error like azure-core.
    acr.run("acr token show -r myregistry -n nosuch")
        .await
        .error(
            3,
            "(ResourceNotFound) The resource nosuch could not be found.\n\
         Code: ResourceNotFound\n\
         Message: The resource nosuch could not be found.",
        );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn list_tokens() {
    let (emu, acr) = setup().await;
    assert_eq!(acr.ok("acr token list -r myregistry").await.stdout, "[]\n");
    assert_eq!(
        acr.ok("acr token list -r myregistry -o table").await.stdout,
        "\n"
    );
    assert_eq!(
        acr.ok("acr token list -r myregistry -o tsv").await.stdout,
        ""
    );
    for name in ["tokenb", "tokena", "tokenc"] {
        acr.ok(&format!(
            "acr token create -r myregistry -n {name} --repository repo1 content/read --no-passwords"
        ))
        .await;
    }
    emu.clear_requests().await;
    let list = acr
        .ok("acr token list -r myregistry -g myresourcegroup")
        .await
        .json();
    let list = list.as_array().unwrap();
    let mut names: Vec<&str> = list.iter().map(|t| t["name"].as_str().unwrap()).collect();
    names.sort();
    assert_eq!(names, ["tokena", "tokenb", "tokenc"]);
    for token in list {
        assert_eq!(keys(token), TOKEN_KEYS);
    }
    assert_eq!(emu.sequence().await, ["GET REG/tokens 200"]);
}
