//! `acr scope-map create|update|delete|show|list` (§8): bodies, the D5 order of updates, the
//! ambiguity error, deprecated aliases, the no-properties error, D2, D3 (`scopeMapType`) and
//! system-defined maps, and what the service decides (wildcards, maps in use).

use serde_json::{Value, json};

use crate::support::{Acr, Emu, Resp, bodies, setup};

const MAP_KEYS: [&str; 10] = [
    "actions",
    "creationDate",
    "description",
    "id",
    "name",
    "provisioningState",
    "resourceGroup",
    "scopeMapType",
    "systemData",
    "type",
];

fn keys(v: &Value) -> Vec<&str> {
    v.as_object().unwrap().keys().map(String::as_str).collect()
}

async fn actions_of(acr: &Acr, name: &str) -> Value {
    acr.ok(&format!(
        "acr scope-map show -r myregistry -n {name} --query actions"
    ))
    .await
    .json()
}

async fn patch_body(emu: &Emu, name: &str) -> Value {
    let log = emu.arm_requests().await;
    let sent = bodies(emu, &log, "PATCH", &format!("REG/scopeMaps/{name}"));
    assert_eq!(sent.len(), 1, "{log:?}");
    sent[0].clone()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn create_sends_actions_in_command_line_order() {
    let (emu, acr) = setup().await;
    let out = acr
        .ok("acr scope-map create -r myregistry -g myresourcegroup -n mymap1 \
             --repository hello-world content/read metadata/read --repository alpine content/write \
             --gateway gw1 config/read --repository FOO Content/Read --repository foo content/read \
             --description \"A sample scope map with a quite long description that exceeds fifty seven chars\"")
        .await;
    let map = out.json();
    assert_eq!(keys(&map), MAP_KEYS);
    let actions = json!([
        "repositories/hello-world/content/read",
        "repositories/hello-world/metadata/read",
        "repositories/alpine/content/write",
        "repositories/foo/content/read",
        "repositories/foo/content/read",
        "gateway/gw1/config/read"
    ]);
    // Duplicates are kept (az-compat).
    assert_eq!(map["actions"], actions);
    // D3: the service's properties.type, which az 2.91 loses.
    assert_eq!(map["scopeMapType"], "UserDefined");
    assert_eq!(
        map["type"],
        "Microsoft.ContainerRegistry/registries/scopeMaps"
    );
    assert_eq!(map["resourceGroup"], "myresourcegroup");
    assert_eq!(map["provisioningState"], "Succeeded");
    assert_eq!(map["id"], format!("{}/scopeMaps/mymap1", emu.reg()));
    let log = emu.arm_requests().await;
    assert_eq!(emu.sequence().await, ["PUT REG/scopeMaps/mymap1 200"]);
    assert_eq!(
        bodies(&emu, &log, "PUT", "REG/scopeMaps/mymap1"),
        [
            json!({"properties": {"actions": actions, "description": "A sample scope map with a quite long description that exceeds fifty seven chars"}})
        ]
    );

    // No actions and no description: an empty list, and no description key at all.
    emu.clear_requests().await;
    let map = acr
        .ok("acr scope-map create -r myregistry -g myresourcegroup -n mymap2")
        .await
        .json();
    assert_eq!(map["actions"], json!([]));
    assert_eq!(map["description"], Value::Null);
    let log = emu.arm_requests().await;
    assert_eq!(
        bodies(&emu, &log, "PUT", "REG/scopeMaps/mymap2"),
        [json!({"properties": {"actions": []}})]
    );

    // An existing map is silently replaced (az-compat).
    let map = acr
        .ok("acr scope-map create -r myregistry -n mymap1 --gateway gw2 message/read --description again")
        .await
        .json();
    assert_eq!(map["actions"], json!(["gateway/gw2/message/read"]));
    assert_eq!(map["description"], "again");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn create_action_errors() {
    let (emu, acr) = setup().await;
    acr.run("acr scope-map create -r myregistry -g myresourcegroup -n mymap1 --repository hello-world content/readd")
        .await
        .error(1, "Invalid action \"content/readd\" provided. \nValid actions are {'content/delete', 'content/read', 'content/write', 'metadata/read', 'metadata/write'}.");
    acr.run("acr scope-map create -r myregistry -g myresourcegroup -n mymap1 --gateway GW message/reads")
        .await
        .error(1, "Invalid action \"message/reads\" provided. \nValid actions are {'config/read', 'config/write', 'message/read', 'message/write'}.");
    acr.run("acr scope-map create -r myregistry -g myresourcegroup -n mymap1 --gateway GW")
        .await
        .error(1, "At least one action must be specified with \"gw\".");
    assert!(emu.requests().await.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wildcards_are_the_services_to_judge() {
    let (_emu, acr) = setup().await;
    // Quoted, as a shell would otherwise expand them.
    let map = acr
        .ok("acr scope-map create -r myregistry -n wildmap --repository 'samples/*' content/read --repository '*' metadata/read")
        .await
        .json();
    assert_eq!(
        map["actions"],
        json!([
            "repositories/samples/*/content/read",
            "repositories/*/metadata/read"
        ])
    );
    acr.run("acr scope-map create -r myregistry -n wildmap2 --repository 'samples/team*' content/read")
        .await
        .error(
            1,
            "(BadRequest) The action 'repositories/samples/team*/content/read' is invalid: a wildcard must be '*' alone or a repository prefix ending in '/*' (for example 'samples/*'), with exactly one '*'. Path 'properties.actions[0]'.\n\
             Code: BadRequest\n\
             Message: The action 'repositories/samples/team*/content/read' is invalid: a wildcard must be '*' alone or a repository prefix ending in '/*' (for example 'samples/*'), with exactly one '*'. Path 'properties.actions[0]'.",
        );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn update_keeps_the_stored_order_and_appends_d5() {
    let (emu, acr) = setup().await;
    acr.ok("acr scope-map create -r myregistry -n mymap1 --repository hello-world content/read metadata/read --description first")
        .await;
    emu.clear_requests().await;
    let out = acr
        .ok("acr scope-map update -r myregistry -g myresourcegroup -n mymap1 \
             --add-repository nginx/web content/read content/write \
             --remove-repository hello-world metadata/read --add-gateway GW2 message/read --query actions")
        .await;
    // differs from az (D5): az sends these four in random order.
    let expected = json!([
        "repositories/hello-world/content/read",
        "repositories/nginx/web/content/read",
        "repositories/nginx/web/content/write",
        "gateway/gw2/message/read"
    ]);
    assert_eq!(out.json(), expected);
    assert_eq!(out.stderr, "");
    assert_eq!(
        emu.sequence().await,
        [
            "GET REG/scopeMaps/mymap1 200",
            // az's two requests: the PATCH's answer shows whether the update landed
            // (docs/reliability.md), no GET of its own.
            "PATCH REG/scopeMaps/mymap1 200"
        ]
    );
    // Without --description the body carries only the actions.
    assert_eq!(
        patch_body(&emu, "mymap1").await,
        json!({"properties": {"actions": expected}})
    );
    assert_eq!(
        acr.ok("acr scope-map show -r myregistry -n mymap1 --query description -o tsv")
            .await
            .stdout,
        "first\n"
    );

    // The deprecated aliases warn and behave like the new flags; additions go last.
    emu.clear_requests().await;
    let out = acr
        .ok("acr scope-map update -r myregistry -n mymap1 --add foo content/delete --remove nginx/web content/write --query actions")
        .await;
    assert_eq!(
        out.stderr,
        "WARNING: Option '--add' has been deprecated and will be removed in a future release. Use '--add-repository' instead.\n\
         WARNING: Option '--remove' has been deprecated and will be removed in a future release. Use '--remove-repository' instead.\n"
    );
    assert_eq!(
        out.json(),
        json!([
            "repositories/hello-world/content/read",
            "repositories/nginx/web/content/read",
            "gateway/gw2/message/read",
            "repositories/foo/content/delete"
        ])
    );

    // Removing what is absent, or adding what is present, changes nothing.
    let before = actions_of(&acr, "mymap1").await;
    let out = acr
        .ok("acr scope-map update -r myregistry -n mymap1 --remove-gateway nonexist config/read --add-repository foo content/delete --query actions")
        .await;
    assert_eq!(out.json(), before);

    // A description alone sends the unchanged actions with it; argparse prefixes work.
    emu.clear_requests().await;
    let out = acr
        .ok("acr scope-map update -r myregistry -n mymap1 --desc 'only description'")
        .await;
    assert_eq!(out.json()["description"], "only description");
    assert_eq!(
        patch_body(&emu, "mymap1").await,
        json!({"properties": {"actions": before, "description": "only description"}})
    );
    emu.clear_requests().await;
    acr.ok("acr scope-map update -r myregistry -n mymap1 --remove-repo foo content/delete")
        .await;
    assert_eq!(
        patch_body(&emu, "mymap1").await["properties"]["actions"],
        json!([
            "repositories/hello-world/content/read",
            "repositories/nginx/web/content/read",
            "gateway/gw2/message/read"
        ])
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn update_compares_exactly_so_mixed_case_stays() {
    let (emu, acr) = setup().await;
    // Stored directly (the CLI lower-cases what it sends): a mixed-case gateway action (the
    // emulator refuses upper-case repository names, not gateway names).
    let Resp { status, .. } = emu
        .arm_sp(
            "PUT",
            &format!("{}/scopeMaps/mixedmap", emu.reg()),
            Some(json!({"properties": {"actions": ["gateway/MyGw/config/read"]}})),
        )
        .await;
    assert_eq!(status, 200);
    let out = acr
        .ok("acr scope-map update -r myregistry -n mixedmap --remove-gateway MyGw config/read --query actions")
        .await;
    // az-compat (quirk 9): the parsed action is lower-cased, so nothing matches.
    assert_eq!(out.json(), json!(["gateway/MyGw/config/read"]));
    let out = acr
        .ok("acr scope-map update -r myregistry -n mixedmap --add-gateway MyGw config/read --query actions")
        .await;
    assert_eq!(
        out.json(),
        json!(["gateway/MyGw/config/read", "gateway/mygw/config/read"])
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn update_errors() {
    let (emu, acr) = setup().await;
    acr.ok("acr scope-map create -r myregistry -n mymap1 --repository a content/read")
        .await;
    emu.clear_requests().await;
    for line in [
        "acr scope-map update -r myregistry -g myresourcegroup -n mymap1",
        // An empty description counts as not given.
        "acr scope-map update -r myregistry -g myresourcegroup -n mymap1 --description ''",
    ] {
        acr.run(line)
            .await
            .error(1, "No scope map properties to update.");
    }
    assert!(
        emu.requests().await.is_empty(),
        "checked before any request"
    );

    acr.run("acr scope-map update -r myregistry -g myresourcegroup -n mymap1 \
             --add-repository a content/read --remove-repository a content/read metadata/read \
             --add-gateway g config/read --remove-gateway g config/read")
        .await
        .error(
            1,
            "Update ambiguity. Duplicate actions were provided with --add and --remove arguments.\n['a/content/read', 'g/config/read']",
        );
    // Action parsing and the ambiguity check come after the GET.
    acr.run("acr scope-map update -r myregistry -g myresourcegroup -n mymap1 --add-repository a content/readd")
        .await
        .error(1, "Invalid action \"content/readd\" provided. \nValid actions are {'content/delete', 'content/read', 'content/write', 'metadata/read', 'metadata/write'}.");
    assert_eq!(
        emu.sequence().await,
        [
            "GET REG/scopeMaps/mymap1 200",
            "GET REG/scopeMaps/mymap1 200"
        ]
    );

    acr.run("acr scope-map update -r myregistry -n nosuchmap --add-repository a content/read")
        .await
        .error(
            3,
            "(ResourceNotFound) The resource nosuchmap could not be found.\n\
             Code: ResourceNotFound\n\
             Message: The resource nosuchmap could not be found.",
        );
    // System-defined maps are read-only: the service says so.
    acr.run("acr scope-map update -r myregistry -n _repositories_admin --description x")
        .await
        .error(
            1,
            "(BadRequest) The scope map '_repositories_admin' is a system-defined scope map and cannot be created, updated or deleted.\n\
             Code: BadRequest\n\
             Message: The scope map '_repositories_admin' is a system-defined scope map and cannot be created, updated or deleted.",
        );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn delete_show_and_list() {
    let (emu, acr) = setup().await;
    acr.ok("acr scope-map create -r myregistry -n mymap2 --description temp")
        .await;
    emu.clear_requests().await;
    // differs from az (D2): az crashes with NoTTYException.
    acr.run("acr scope-map delete -r myregistry -n mymap2")
        .await
        .error(
            1,
            "Unable to prompt for confirmation as no tty available. Use --yes.",
        );
    assert!(emu.requests().await.is_empty());

    let prompt = "Deleting the scope map 'mymap2' will remove its permissions with associated tokens. Proceed? (y/n): ";
    let out = acr
        .run_with("acr scope-map delete -r myregistry -n mymap2", "N\n", true)
        .await;
    assert_eq!((out.code, out.stdout.as_str()), (0, prompt));
    assert!(emu.requests().await.is_empty());

    let out = acr
        .ok("acr scope-map delete -r myregistry -g myresourcegroup -n mymap2 -y")
        .await;
    assert_eq!((out.stdout.as_str(), out.stderr.as_str()), ("", ""));
    assert_eq!(emu.sequence().await, ["DELETE REG/scopeMaps/mymap2 200"]);
    acr.run("acr scope-map show -r myregistry -n mymap2")
        .await
        .error(
            3,
            "(ResourceNotFound) The resource mymap2 could not be found.\n\
         Code: ResourceNotFound\n\
         Message: The resource mymap2 could not be found.",
        );

    // Whether a map is in use is the service's to decide.
    acr.ok(
        "acr token create -r myregistry -n token1 --repository repo1 content/read --no-passwords",
    )
    .await;
    acr.run("acr scope-map delete -r myregistry -n token1-scope-map --yes")
        .await
        .error(
            1,
            "(Conflict) The scope map 'token1-scope-map' cannot be deleted because it is associated with tokens: token1. Delete the tokens or associate them with another scope map first.\n\
             Code: Conflict\n\
             Message: The scope map 'token1-scope-map' cannot be deleted because it is associated with tokens: token1. Delete the tokens or associate them with another scope map first.",
        );

    // System maps are listed with their type (D3), and shown like any other.
    let admin = acr
        .ok("acr scope-map show -r myregistry -n _repositories_admin")
        .await
        .json();
    assert_eq!(keys(&admin), MAP_KEYS);
    assert_eq!(admin["scopeMapType"], "SystemDefined");
    emu.clear_requests().await;
    let list = acr
        .ok("acr scope-map list -r myregistry -g myresourcegroup")
        .await
        .json();
    assert_eq!(emu.sequence().await, ["GET REG/scopeMaps 200"]);
    let rows: Vec<(String, String)> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            assert_eq!(keys(m), MAP_KEYS);
            (
                m["name"].as_str().unwrap().to_owned(),
                m["scopeMapType"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    for system in [
        "_repositories_admin",
        "_repositories_pull",
        "_repositories_push",
        "_repositories_pull_metadata_read",
        "_repositories_push_metadata_write",
    ] {
        assert!(
            rows.contains(&(system.to_owned(), "SystemDefined".to_owned())),
            "{system} in {rows:?}"
        );
    }
    assert!(rows.contains(&("token1-scope-map".to_owned(), "UserDefined".to_owned())));
    assert_eq!(rows.len(), 6);
}

/// `--repository samples/* …` typed without quotes reaches acr already expanded by the shell;
/// a repository name that is a path in the current directory gets a warning (the test runs in
/// the package root, where `src` exists).
#[tokio::test]
async fn a_repository_named_like_a_local_file_warns_about_shell_wildcards() {
    let (_emu, acr) = crate::support::setup().await;
    let out = acr.ok("scope-map create -r myregistry -n wildmap --repository src content/read --repository 'samples/*' content/read").await;
    assert_eq!(
        out.stderr,
        "WARNING: 'src' is also a file in the current directory: if you typed a wildcard such as 'samples/*' or '*' without quotes, the shell replaced it with file names. Quote repository wildcards.\n"
    );
    assert_eq!(
        out.json()["actions"],
        serde_json::json!([
            "repositories/src/content/read",
            "repositories/samples/*/content/read"
        ])
    );
}
