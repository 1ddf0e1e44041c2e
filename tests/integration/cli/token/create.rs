//! `acr token create`: the default scope map, passwords and expiry, and every check in az's
//! order (D4, D7, D10, D12), plus argument errors.

use serde_json::{Value, json};

use super::{TOKEN_KEYS, assert_days_from_now, assert_generated, hint, keys};
use crate::support::{bodies, setup};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn create_with_repositories_and_gateways_makes_the_default_scope_map() {
    let (emu, acr) = setup().await;
    let reg = emu.reg();
    let out = acr
        .ok("acr token create -r myregistry -g myresourcegroup -n token1 \
             --repository Hello-World CONTENT/READ metadata/read --repository nginx/web content/write \
             --gateway MyGateway config/read message/write")
        .await;
    let token = out.json();
    assert_generated(&token, "token1", &out.stderr);
    assert_eq!(out.stderr, hint(&emu, "token1"));
    assert_eq!(token["name"], "token1");
    assert_eq!(token["status"], "enabled");
    assert_eq!(token["resourceGroup"], "myresourcegroup");
    assert_eq!(token["id"], format!("{reg}/tokens/token1"));
    assert_eq!(
        token["scopeMapId"],
        format!("{reg}/scopeMaps/token1-scope-map")
    );
    assert_eq!(token["credentials"]["passwords"][0]["expiry"], Value::Null);
    let log = emu.arm_requests().await;
    assert_eq!(
        emu.sequence().await,
        [
            "GET REG/scopeMaps/token1-scope-map 404",
            "PUT REG/scopeMaps/token1-scope-map 200",
            "PUT REG/tokens/token1 201",
            "GET OP 200",
            "GET REG/tokens/token1 200",
            "POST REG/generateCredentials 200",
            "GET REG 200",
        ]
    );
    // D13: every registry call uses api-version 2025-04-01.
    assert!(
        log.iter().all(|r| r.query == "api-version=2025-04-01"),
        "{log:?}"
    );
    assert_eq!(
        bodies(&emu, &log, "PUT", "REG/scopeMaps/token1-scope-map"),
        [json!({"properties": {
            "actions": [
                "repositories/hello-world/content/read",
                "repositories/hello-world/metadata/read",
                "repositories/nginx/web/content/write",
                "gateway/mygateway/config/read",
                "gateway/mygateway/message/write"
            ],
            "description": "Created by token: token1"
        }})]
    );
    assert_eq!(
        bodies(&emu, &log, "PUT", "REG/tokens/token1"),
        [
            json!({"properties": {"scopeMapId": format!("{reg}/scopeMaps/token1-scope-map"), "status": "enabled"}})
        ]
    );
    assert_eq!(
        bodies(&emu, &log, "POST", "REG/generateCredentials"),
        [json!({"tokenId": format!("{reg}/tokens/token1")})]
    );
    let map = acr
        .ok("acr scope-map show -r myregistry -n token1-scope-map --query description -o tsv")
        .await;
    assert_eq!(map.stdout, "Created by token: token1\n");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn create_without_group_lists_resources_once_d6() {
    let (emu, acr) = setup().await;
    acr.ok("acr token create -r myregistry -n token1 --repository repo1 content/read")
        .await;
    // az lists the registries twice here (once more for the token id); acr once (D6).
    assert_eq!(
        emu.sequence().await,
        [
            "GET RES 200",
            "GET REG/scopeMaps/token1-scope-map 404",
            "PUT REG/scopeMaps/token1-scope-map 200",
            "PUT REG/tokens/token1 201",
            "GET OP 200",
            "GET REG/tokens/token1 200",
            "POST REG/generateCredentials 200",
            "GET REG 200",
        ]
    );
    emu.clear_requests().await;
    acr.ok("acr token create -r myregistry -n token2 --scope-map token1-scope-map")
        .await;
    assert_eq!(
        emu.sequence().await,
        [
            "PUT REG/tokens/token2 201",
            "GET OP 200",
            "GET REG/tokens/token2 200",
            "POST REG/generateCredentials 200",
            "GET REG 200",
        ]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn create_with_scope_map_and_status() {
    let (emu, acr) = setup().await;
    let reg = emu.reg();
    acr.ok("acr scope-map create -r myregistry -g myresourcegroup -n mymap1 --repository repo1 content/read")
        .await;
    emu.clear_requests().await;
    // Enum values are case-insensitive and normalised (§3.2).
    let out = acr
        .ok("acr token create -r myregistry -g myresourcegroup -n token2 --scope-map mymap1 --status DISABLED")
        .await;
    let token = out.json();
    assert_generated(&token, "token2", &out.stderr);
    assert_eq!(token["status"], "disabled");
    assert_eq!(token["scopeMapId"], format!("{reg}/scopeMaps/mymap1"));
    let log = emu.arm_requests().await;
    assert_eq!(
        emu.sequence().await,
        [
            "PUT REG/tokens/token2 201",
            "GET OP 200",
            "GET REG/tokens/token2 200",
            "POST REG/generateCredentials 200",
            "GET REG 200",
        ]
    );
    assert_eq!(
        bodies(&emu, &log, "PUT", "REG/tokens/token2"),
        [
            json!({"properties": {"scopeMapId": format!("{reg}/scopeMaps/mymap1"), "status": "disabled"}})
        ]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn create_no_passwords_bare_true_and_false() {
    let (emu, acr) = setup().await;
    for (i, flag) in [
        "--no-passwords",
        "--no-passwords true",
        "--no-passwords TRUE",
    ]
    .iter()
    .enumerate()
    {
        emu.clear_requests().await;
        let name = format!("nopass{i}");
        let out = acr
            .ok(&format!(
                "acr token create -r myregistry -g myresourcegroup -n {name} --repository repo1 content/read {flag}"
            ))
            .await;
        assert_eq!(out.stderr, "", "{flag}: no hint without passwords");
        let token = out.json();
        assert_eq!(keys(&token), TOKEN_KEYS);
        assert_eq!(
            token["credentials"],
            json!({"certificates": null, "passwords": []}),
            "{flag}"
        );
        let sequence = emu.sequence().await;
        assert!(
            !sequence.iter().any(|r| r.contains("generateCredentials")),
            "{flag}: {sequence:?}"
        );
        assert_eq!(
            sequence.last().unwrap(),
            &format!("GET REG/tokens/{name} 200")
        );
    }
    for flag in ["--no-passwords false", "--no-passwords False"] {
        emu.clear_requests().await;
        let out = acr
            .ok(&format!(
                "acr token create -r myregistry -g myresourcegroup -n withpass --scope-map nopass0-scope-map {flag}"
            ))
            .await;
        assert_generated(&out.json(), "withpass", &out.stderr);
        assert_eq!(out.stderr, hint(&emu, "withpass"));
    }
    emu.clear_requests().await;
    let out = acr
        .run("acr token create -r myregistry -n maybes --scope-map nopass0-scope-map --no-passwords maybe")
        .await;
    assert_eq!(out.code, 2);
    assert_eq!(out.stdout, "");
    assert!(
        out.stderr.starts_with(
            "ERROR: az acr token create: 'maybe' is not a valid value for '--no-passwords'. Allowed values: true, false.\n"
        ),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr
            .ends_with("https://aka.ms/cli_ref\nRead more about the command in reference docs\n")
    );
    assert!(emu.requests().await.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn create_with_expiration() {
    let (emu, acr) = setup().await;
    let out = acr
        .ok("acr token create -r myregistry -g myresourcegroup -n token4 --repository repo1 content/read --expiration 2100-12-31T12:59:59Z")
        .await;
    let token = out.json();
    for p in token["credentials"]["passwords"].as_array().unwrap() {
        assert_eq!(p["expiry"], "2100-12-31T12:59:59+00:00");
    }
    let log = emu.arm_requests().await;
    assert_eq!(
        bodies(&emu, &log, "POST", "REG/generateCredentials"),
        [
            json!({"tokenId": format!("{}/tokens/token4", emu.reg()), "expiry": "2100-12-31T12:59:59Z"})
        ]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn create_with_expiration_in_days() {
    let (emu, acr) = setup().await;
    let out = acr
        .ok("acr token create -r myregistry -g myresourcegroup -n token3 --repository repo1 content/read --expiration-in-days 1")
        .await;
    let log = emu.arm_requests().await;
    let sent = bodies(&emu, &log, "POST", "REG/generateCredentials");
    let expiry = sent[0]["expiry"].as_str().unwrap();
    assert_days_from_now(expiry, 1);
    // The service echoes it; az prints it with isoformat (+00:00).
    let printed = out.json()["credentials"]["passwords"][0]["expiry"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(printed, expiry.replace('Z', "+00:00"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn create_reuses_an_identical_default_scope_map() {
    let (emu, acr) = setup().await;
    acr.ok("acr token create -r myregistry -g myresourcegroup -n token5 --repository foo content/read metadata/read --no-passwords")
        .await;
    emu.clear_requests().await;
    // Same actions in another order and case: sorted comparison after lower-casing.
    acr.ok("acr token create -r myregistry -g myresourcegroup -n token5 --repository FOO metadata/read content/read --no-passwords")
        .await;
    assert_eq!(
        emu.sequence().await,
        [
            "GET REG/scopeMaps/token5-scope-map 200",
            "PUT REG/tokens/token5 200"
        ]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn create_conflicting_default_scope_map_names_the_current_flags_d10() {
    let (emu, acr) = setup().await;
    acr.ok("acr token create -r myregistry -g myresourcegroup -n token5 --repository foo content/read --no-passwords")
        .await;
    emu.clear_requests().await;
    let out = acr
        .run("acr token create -r myregistry -g myresourcegroup -n token5 --repository foo content/write")
        .await;
    // differs from az (D10): az suggests the deprecated --add <REPO> --remove <REPO>.
    out.error(
        1,
        "The default scope map was already configured with different repository permissions.\n\
         Please use \"az acr scope-map update -r myregistry -n token5-scope-map --add-repository <REPO> <ACTION> --remove-repository <REPO> <ACTION>\" to update.",
    );
    assert_eq!(
        emu.sequence().await,
        ["GET REG/scopeMaps/token5-scope-map 200"]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn create_overwrites_an_existing_token() {
    let (emu, acr) = setup().await;
    acr.ok("acr scope-map create -r myregistry -n othermap --repository other content/read")
        .await;
    acr.ok("acr token create -r myregistry -n token6 --repository repo1 content/read")
        .await;
    // az-compat: no existence check; the PUT replaces the token's scope map.
    let out = acr
        .ok("acr token create -r myregistry -n token6 --scope-map othermap --no-passwords")
        .await;
    assert_eq!(
        out.json()["scopeMapId"],
        format!("{}/scopeMaps/othermap", emu.reg())
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn name_rules_are_checked_before_any_request_d7() {
    let (emu, acr) = setup().await;
    const TOKEN_RULE: &str = "Token names may contain only alpha numeric characters and hyphens and must be between 5 and 50 characters";
    const MAP_RULE: &str = "Scope map names may contain only alpha numeric characters, hyphens and underscores and must be between 5 and 50 characters";
    let long41 = "a".repeat(41);
    let cases: Vec<(String, String)> = vec![
        (
            "acr token create -r myregistry -n 'bad name!' --repository r content/read --no-passwords --query name".into(),
            TOKEN_RULE.into(),
        ),
        ("acr token create -r myregistry -n abcd --scope-map mymap1".into(), TOKEN_RULE.into()),
        ("acr token create -r myregistry -n tok_1 --scope-map mymap1".into(), TOKEN_RULE.into()),
        (
            format!("acr token create -r myregistry -n {} --scope-map mymap1", "a".repeat(51)),
            TOKEN_RULE.into(),
        ),
        ("acr token create -r myregistry -n token1 --scope-map my.map".into(), MAP_RULE.into()),
        ("acr token update -r myregistry -n token1 --scope-map map".into(), MAP_RULE.into()),
        ("acr token update -r myregistry -n tok".into(), TOKEN_RULE.into()),
        ("acr token show -r myregistry -n tok".into(), TOKEN_RULE.into()),
        ("acr token delete -r myregistry -n tok -y".into(), TOKEN_RULE.into()),
        ("acr token credential generate -r myregistry -n tok".into(), TOKEN_RULE.into()),
        ("acr token credential delete -r myregistry -n tok --password1".into(), TOKEN_RULE.into()),
        ("acr scope-map show -r myregistry -n map".into(), MAP_RULE.into()),
        ("acr scope-map create -r myregistry -n 'my map'".into(), MAP_RULE.into()),
        ("acr scope-map update -r myregistry -n m --description d".into(), MAP_RULE.into()),
        ("acr scope-map delete -r myregistry -n m -y".into(), MAP_RULE.into()),
        (
            format!("acr token create -r myregistry -n {long41} --repository r content/read"),
            format!(
                "The default scope map name '{long41}-scope-map' would be longer than 50 characters. Use a token name of at most 40 characters, or use --scope-map."
            ),
        ),
        (
            format!("acr token create -r myregistry -n {long41} --gateway g config/read"),
            format!(
                "The default scope map name '{long41}-scope-map' would be longer than 50 characters. Use a token name of at most 40 characters, or use --scope-map."
            ),
        ),
    ];
    for (line, message) in &cases {
        acr.run(line).await.error(1, message);
    }
    assert!(emu.requests().await.is_empty(), "no request was sent");
    // The limits themselves are accepted: 40 characters make a 50-character map name, and a
    // 41-character token is fine with an explicit scope map.
    let long40 = "b".repeat(40);
    let out = acr
        .ok(&format!(
            "acr token create -r myregistry -n {long40} --repository r content/read --no-passwords"
        ))
        .await;
    assert_eq!(
        out.json()["scopeMapId"],
        format!("{}/scopeMaps/{long40}-scope-map", emu.reg())
    );
    acr.ok(&format!(
        "acr token create -r myregistry -n {long41} --scope-map {long40}-scope-map --no-passwords"
    ))
    .await;
    acr.ok(&format!(
        "acr token create -r myregistry -n {} --scope-map _repositories_pull --no-passwords",
        "c".repeat(50)
    ))
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn days_must_be_positive_before_any_request_d4() {
    let (emu, acr) = setup().await;
    for line in [
        "acr token create -r myregistry -n token7 --repository r content/read --expiration-in-days 0",
        "acr token create -r myregistry -n token7 --repository r content/read --expiration-in-days -5",
        "acr token create -r myregistry -n token7 --scope-map m1234 --expiration-in-days 0",
        "acr token create -r myregistry -n token7 --scope-map m1234 --no-passwords false --expiration-in-days 0",
        "acr token credential generate -r myregistry -n token7 --expiration-in-days 0",
        "acr token credential generate -r myregistry -n token7 --expiration-in-days -1 --password1",
    ] {
        acr.run(line).await.error(1, "Days must be positive.");
    }
    acr.run("acr token credential generate -r myregistry -n token7 --days 0")
        .await
        .fails(
            1,
            "WARNING: Option '--days' has been deprecated and will be removed in a future release. Use '--expiration-in-days' instead.\nERROR: Days must be positive.\n",
        );
    assert!(emu.requests().await.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn create_usage_errors_in_azs_order() {
    let (emu, acr) = setup().await;
    let valid_repo =
        "{'content/delete', 'content/read', 'content/write', 'metadata/read', 'metadata/write'}";
    let valid_gateway = "{'config/read', 'config/write', 'message/read', 'message/write'}";
    let cases: Vec<(&str, String)> = vec![
        (
            "acr token create -r myregistry -n token9 --repository hello-world content/read --scope-map mymap1",
            "usage error: can't use --scope-map and --repository | --gateway".into(),
        ),
        (
            "acr token create -r myregistry -n token9 --gateway gw config/read --scope-map mymap1",
            "usage error: can't use --scope-map and --repository | --gateway".into(),
        ),
        (
            "acr token create -r myregistry -n token9",
            "usage error: can't use --scope-map and --repository | --gateway".into(),
        ),
        (
            "acr token create -r myregistry -n token9 --scope-map mymap1 --no-passwords --expiration-in-days 3",
            "usage error: --no-passwords and expiration arguments are mutually exclusive.".into(),
        ),
        (
            "acr token create -r myregistry -n token9 --scope-map mymap1 --no-passwords --expiration 2030-01-01T00:00:00Z",
            "usage error: --no-passwords and expiration arguments are mutually exclusive.".into(),
        ),
        (
            "acr token create -r myregistry -n token9 --scope-map mymap1 --expiration-in-days 3 --expiration 2030-01-01T00:00:00Z",
            "usage error: --expiration and --expiration-in-days are mutually exclusive.".into(),
        ),
        (
            "acr token create -r myregistry -n token9 --scope-map mymap1 --expiration 2030-01-01",
            "Input '2030-01-01' is not valid datetime. Valid example: 2025-12-31T12:59:59Z".into(),
        ),
        (
            "acr token create -r myregistry -n token9 --scope-map mymap1 --expiration 2030-01-01T00:00:00.5Z",
            "Input '2030-01-01T00:00:00.5Z' is not valid datetime. Valid example: 2025-12-31T12:59:59Z".into(),
        ),
        // az checks `is not None`, so a 0 (which D4 refuses anyway) still counts as given.
        (
            "acr token create -r myregistry -n token9 --scope-map mymap1 --no-passwords --expiration-in-days 0",
            "usage error: --no-passwords and expiration arguments are mutually exclusive.".into(),
        ),
        (
            "acr token create -r myregistry -n token9 --scope-map mymap1 --expiration-in-days 0 --expiration 2030-01-01T00:00:00Z",
            "usage error: --expiration and --expiration-in-days are mutually exclusive.".into(),
        ),
        // Order (checked against az 2.91.0): the registry name, then --expiration, then the
        // names (D7), then the command's own checks.
        (
            "acr token create -r my_reg -n 'bad name' --scope-map mymap1 --expiration 2030-01-01T00:00:00+00:00",
            "Registry names may contain only alpha numeric characters and must be between 5 and 50 characters".into(),
        ),
        (
            "acr token create -r myregistry -n 'bad name' --scope-map mymap1 --expiration 2030-01-01T00:00:00+00:00",
            "Input '2030-01-01T00:00:00+00:00' is not valid datetime. Valid example: 2025-12-31T12:59:59Z".into(),
        ),
        (
            "acr token create -r myregistry -n 'bad name' --repository a content/read --scope-map mymap1",
            "Token names may contain only alpha numeric characters and hyphens and must be between 5 and 50 characters".into(),
        ),
        (
            "acr token create -r myregistry -g myresourcegroup -n token9 --repository hello-world content/readd",
            format!("Invalid action \"content/readd\" provided. \nValid actions are {valid_repo}."),
        ),
        (
            "acr token create -r myregistry -g myresourcegroup -n token9 --repository hello-world",
            "At least one action must be specified with \"hello-world\".".into(),
        ),
        (
            "acr token create -r myregistry -g myresourcegroup -n token9 --repository Hello-World",
            "At least one action must be specified with \"hello-world\".".into(),
        ),
        (
            "acr token create -r myregistry -g myresourcegroup -n token9 --gateway gw content/read",
            format!("Invalid action \"content/read\" provided. \nValid actions are {valid_gateway}."),
        ),
        (
            "acr token create -r myregistry -g myresourcegroup -n token9 --gateway gw MESSAGES/READ",
            format!("Invalid action \"messages/read\" provided. \nValid actions are {valid_gateway}."),
        ),
    ];
    for (line, message) in &cases {
        acr.run(line).await.error(1, message);
    }
    // All of these fail before anything is sent (action parsing needs no request with -g).
    assert!(emu.requests().await.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn argument_errors_exit_2() {
    let (emu, acr) = setup().await;
    let cases = [
        (
            "acr token create -r myregistry -n token9 --scope-map mymap1 --status foo",
            "ERROR: az acr token create: 'foo' is not a valid value for '--status'. Allowed values: enabled, disabled.\n",
        ),
        (
            "acr token create -n token9 --scope-map mymap1",
            "ERROR: the following arguments are required: --registry/-r\n",
        ),
        (
            "acr token show -r myregistry",
            "ERROR: the following arguments are required: --name/-n\n",
        ),
        (
            "acr token credential generate -r myregistry -n token9 --pass",
            "ERROR: ambiguous option: --pass could match --password1, --password2\n",
        ),
        (
            "acr token create -r myregistry -n token9 --scope-map mymap1 --expiration-in-days three",
            "ERROR: argument --expiration-in-days: invalid int value: 'three'\n",
        ),
        (
            "acr token list -r myregistry --bogus",
            "ERROR: unrecognized arguments: --bogus\n",
        ),
    ];
    for (line, first) in cases {
        let out = acr.run(line).await;
        assert_eq!((out.code, out.stdout.as_str()), (2, ""), "{line}");
        assert!(
            out.stderr.starts_with(first),
            "{line}\nexpected to start with {first:?}\n{}",
            out.stderr
        );
        assert!(
            out.stderr.ends_with(
                "https://aka.ms/cli_ref\nRead more about the command in reference docs\n"
            ),
            "{line}: {}",
            out.stderr
        );
    }
    assert!(emu.requests().await.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn create_verbose_says_it_creates_the_scope_map() {
    let (_emu, acr) = setup().await;
    let out = acr
        .ok("acr token create -r myregistry -n token1 --repository repo1 content/read --no-passwords --verbose")
        .await;
    assert!(
        out.stderr.contains(
            "INFO: Creating a scope map \"token1-scope-map\" for provided permissions.\n"
        ),
        "{}",
        out.stderr
    );
}
