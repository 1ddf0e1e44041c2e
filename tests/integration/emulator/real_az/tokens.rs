//! az acr token and az acr token credential, every verb, with the managed identity.

use serde_json::json;

use super::*;
use crate::support::Emu;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn az_token_and_credential_commands_with_managed_identity() {
    let Some(bin) = az_binary() else { return };
    let e = Emu::start().await;
    let az = Az::login(bin, &e.env, Login::ManagedIdentity).await;
    let reg_id = e.reg();

    // token create --repository: the default scope map, the token, both passwords.
    assert_eq!(
        e.hook("DELETE", "/_emulator/requests", json!(null)).await,
        204
    );
    let r = az
        .ok(&[
            "acr",
            "token",
            "create",
            "--name",
            "MyToken",
            "--registry",
            "myregistry",
            "--repository",
            "samples/hello-world",
            "content/read",
        ])
        .await;
    let t = r.json();
    assert_eq!(keys(&t), TOKEN_KEYS);
    assert_eq!(keys(&t["credentials"]), ["passwords", "username"]);
    assert_eq!(t["credentials"]["username"], "MyToken");
    let pws = t["credentials"]["passwords"].as_array().unwrap();
    assert_eq!(pws.len(), 2);
    for p in pws {
        assert_eq!(keys(p), ["creationTime", "expiry", "name", "value"]);
        assert!(p["expiry"].is_null());
        assert_eq!(p["value"].as_str().unwrap().len(), 52);
    }
    assert_eq!(
        t["scopeMapId"],
        format!("{reg_id}/scopeMaps/MyToken-scope-map")
    );
    assert_eq!(t["resourceGroup"], "myresourcegroup");
    assert_eq!(t["systemData"]["createdByType"], "ManagedIdentity");
    let login = &e.env.registries[0].login_server;
    assert!(
        r.stderr.contains(&format!(
            "Meanwhile you can use it through \"docker login {login} -u MyToken -p "
        )),
        "{}",
        r.stderr
    );
    // The request sequence of real-clients §4.9 (plus the poll of the 201's status URL).
    let seq = arm_requests(&e).await;
    assert_eq!(
        seq,
        [
            "GET RES 200",
            "GET REG/scopeMaps/MyToken-scope-map 404",
            "PUT REG/scopeMaps/MyToken-scope-map 200",
            "PUT REG/tokens/MyToken 201",
            &seq[4].clone(),
            "GET REG/tokens/MyToken 200",
            "GET RES 200",
            "POST REG/generateCredentials 200",
            "GET REG 200",
        ]
    );
    assert!(
        seq[4].starts_with("GET REG/tokens/MyToken/operationStatuses/token-")
            && seq[4].ends_with(" 200"),
        "{}",
        seq[4]
    );
    let sm = e
        .arm(
            "GET",
            &format!("{reg_id}/scopeMaps/MyToken-scope-map"),
            None,
        )
        .await;
    assert_eq!(
        sm.body["properties"]["description"],
        "Created by token: MyToken"
    );
    assert_eq!(
        sm.body["properties"]["actions"],
        json!(["repositories/samples/hello-world/content/read"])
    );

    // Same actions: reused. Different actions: az's error.
    az.ok(&[
        "acr",
        "token",
        "create",
        "-n",
        "MyToken",
        "-r",
        "myregistry",
        "--repository",
        "samples/hello-world",
        "content/read",
        "--no-passwords",
    ])
    .await;
    az.fails(
        &[
            "acr",
            "token",
            "create",
            "-n",
            "MyToken",
            "-r",
            "myregistry",
            "--repository",
            "samples/hello-world",
            "content/read",
            "content/write",
        ],
        1,
        "The default scope map was already configured with different repository permissions.",
    )
    .await;
    az.fails(
        &[
            "acr",
            "token",
            "create",
            "-n",
            "X1234",
            "-r",
            "myregistry",
            "--scope-map",
            "s",
            "--repository",
            "a",
            "content/read",
        ],
        1,
        "usage error",
    )
    .await;

    // --scope-map with an expiry; --no-passwords.
    let r = az
        .ok(&[
            "acr",
            "token",
            "create",
            "-n",
            "MyToken2",
            "-r",
            "myregistry",
            "--scope-map",
            "_repositories_pull",
            "--expiration-in-days",
            "30",
        ])
        .await;
    let pws = r.json()["credentials"]["passwords"].clone();
    assert!(
        pws.as_array()
            .unwrap()
            .iter()
            .all(|p| p["expiry"].as_str().unwrap().ends_with("+00:00"))
    );
    let r = az
        .ok(&[
            "acr",
            "token",
            "create",
            "-n",
            "MyToken3",
            "-r",
            "myregistry",
            "--scope-map",
            "_repositories_admin",
            "--no-passwords",
            "-g",
            "myresourcegroup",
        ])
        .await;
    assert_eq!(
        r.json()["credentials"],
        json!({"certificates": null, "passwords": []})
    );

    // show / list.
    let r = az
        .ok(&["acr", "token", "show", "-n", "MyToken", "-r", "myregistry"])
        .await;
    let t = r.json();
    assert_eq!(keys(&t), TOKEN_KEYS);
    assert_eq!(keys(&t["credentials"]), ["certificates", "passwords"]);
    assert!(
        t["credentials"]["passwords"]
            .as_array()
            .unwrap()
            .iter()
            .all(|p| p["value"].is_null())
    );
    let r = az
        .fails(
            &[
                "acr",
                "token",
                "show",
                "-n",
                "NoSuchToken",
                "-r",
                "myregistry",
            ],
            3,
            "ERROR: (ResourceNotFound) The resource NoSuchToken could not be found.",
        )
        .await;
    assert!(r.stderr.contains("Code: ResourceNotFound"));
    let r = az.ok(&["acr", "token", "list", "-r", "myregistry"]).await;
    let names: Vec<String> = r
        .json()
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(names, ["MyToken", "MyToken2", "MyToken3"]);
    let r = az
        .ok(&["acr", "token", "list", "-r", "myregistry", "-o", "table"])
        .await;
    assert!(
        r.stdout.lines().next().unwrap().starts_with("NAME"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("MyToken-scope-map"));
    az.fails(
        &["acr", "token", "list", "--registry", "noregistry"],
        1,
        &format!(
            "could not be found in subscription 'Emulator Subscription ({})'",
            e.sub()
        ),
    )
    .await;

    // update: status, scope map (az re-enables: it always sends status).
    let r = az
        .ok(&[
            "acr",
            "token",
            "update",
            "-n",
            "MyToken",
            "-r",
            "myregistry",
            "--status",
            "disabled",
        ])
        .await;
    assert_eq!(r.json()["status"], "disabled");
    let r = az
        .ok(&[
            "acr",
            "token",
            "update",
            "-n",
            "MyToken",
            "-r",
            "myregistry",
            "--scope-map",
            "_repositories_push",
        ])
        .await;
    assert_eq!(r.json()["status"], "enabled");
    assert_eq!(
        r.json()["scopeMapId"],
        format!("{reg_id}/scopeMaps/_repositories_push")
    );

    // credential generate: one password with days, both with a timestamp.
    let r = az
        .ok(&[
            "acr",
            "token",
            "credential",
            "generate",
            "-n",
            "MyToken",
            "-r",
            "myregistry",
            "--password1",
            "--expiration-in-days",
            "30",
        ])
        .await;
    let g = r.json();
    assert_eq!(keys(&g), ["passwords", "username"]);
    assert_eq!(g["passwords"].as_array().unwrap().len(), 1);
    assert_eq!(g["passwords"][0]["name"], "password1");
    let r = az
        .ok(&[
            "acr",
            "token",
            "credential",
            "generate",
            "-n",
            "MyToken",
            "-r",
            "myregistry",
            "--expiration",
            "2030-01-01T00:00:00Z",
        ])
        .await;
    let g = r.json();
    assert_eq!(g["passwords"].as_array().unwrap().len(), 2);
    assert!(
        g["passwords"]
            .as_array()
            .unwrap()
            .iter()
            .all(|p| p["expiry"] == "2030-01-01T00:00:00+00:00")
    );
    let r = az
        .ok(&[
            "acr",
            "token",
            "credential",
            "generate",
            "-n",
            "MyToken",
            "-r",
            "myregistry",
            "--password2",
            "-o",
            "tsv",
        ])
        .await;
    assert_eq!(r.stdout.trim(), "1\tMyToken");
    az.fails(
        &[
            "acr",
            "token",
            "credential",
            "generate",
            "-n",
            "NoSuchToken",
            "-r",
            "myregistry",
        ],
        3,
        "(ResourceNotFound)",
    )
    .await;

    // credential delete.
    let r = az
        .ok(&[
            "acr",
            "token",
            "credential",
            "delete",
            "-n",
            "MyToken",
            "-r",
            "myregistry",
            "--password1",
        ])
        .await;
    let t = r.json();
    let names: Vec<&str> = t["credentials"]["passwords"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["password2"]);
    az.fails(
        &[
            "acr",
            "token",
            "credential",
            "delete",
            "-n",
            "MyToken",
            "-r",
            "myregistry",
            "--password1",
        ],
        1,
        "Unable to perform operation. Password1 credential doesn't exist.",
    )
    .await;
    az.fails(
        &[
            "acr",
            "token",
            "credential",
            "delete",
            "-n",
            "MyToken",
            "-r",
            "myregistry",
        ],
        1,
        "No credentials to delete.",
    )
    .await;
    let r = az
        .ok(&[
            "acr",
            "token",
            "credential",
            "delete",
            "-n",
            "MyToken",
            "-r",
            "myregistry",
            "--password2",
            "--query",
            "credentials",
        ])
        .await;
    assert_eq!(r.json(), json!({"certificates": null, "passwords": []}));

    // delete (the default scope map stays); deleting a missing token succeeds silently.
    let r = az
        .ok(&[
            "acr",
            "token",
            "delete",
            "-n",
            "MyToken",
            "-r",
            "myregistry",
            "--yes",
        ])
        .await;
    assert!(r.stdout.is_empty());
    az.fails(
        &["acr", "token", "show", "-n", "MyToken", "-r", "myregistry"],
        3,
        "(ResourceNotFound)",
    )
    .await;
    az.ok(&[
        "acr",
        "token",
        "delete",
        "-n",
        "MyToken",
        "-r",
        "myregistry",
        "--yes",
    ])
    .await;
    assert_eq!(
        e.arm(
            "GET",
            &format!("{reg_id}/scopeMaps/MyToken-scope-map"),
            None
        )
        .await
        .status,
        200
    );
    let r = az
        .run(&[
            "acr",
            "token",
            "delete",
            "-n",
            "MyToken2",
            "-r",
            "myregistry",
        ])
        .await;
    assert_eq!(r.code, 1, "no TTY: az refuses to prompt");
    // Invalid names reach the service, which refuses them.
    az.fails(
        &[
            "acr",
            "token",
            "create",
            "-n",
            "bad name!",
            "-r",
            "myregistry",
            "--scope-map",
            "_repositories_pull",
            "--no-passwords",
        ],
        1,
        "(InvalidResourceName)",
    )
    .await;
}
