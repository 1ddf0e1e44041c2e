//! The real Azure CLI (2.91.0) against the emulator, set up as `real-clients.md` §4 says:
//! isolated config dir, a combined CA bundle in `REQUESTS_CA_BUNDLE`, `az cloud register`
//! with endpoint discovery, managed-identity or service-principal login. Every `az acr token`,
//! `az acr token credential` and `az acr scope-map` verb runs, and structure and exit codes are
//! checked against what Azure gives (az-acr-behaviour.md §14, real-clients.md §4.9).
//!
//! Runs when `ACR_TEST_AZ` names an `az` executable; otherwise it is skipped, unless
//! `ACR_REQUIRE_AZ=1`, which makes a missing az a failure.

use std::path::PathBuf;

use serde_json::{Value, json};

use super::support::Emu;

fn az_binary() -> Option<PathBuf> {
    match std::env::var_os("ACR_TEST_AZ") {
        Some(p) if !p.is_empty() => Some(PathBuf::from(p)),
        _ => {
            assert!(
                std::env::var("ACR_REQUIRE_AZ").as_deref() != Ok("1"),
                "ACR_REQUIRE_AZ=1 but ACR_TEST_AZ is not set"
            );
            println!("skipped: ACR_TEST_AZ not set");
            None
        }
    }
}

struct Az {
    bin: PathBuf,
    _work: tempfile::TempDir,
    envs: Vec<(String, String)>,
}

struct Run {
    rc: i32,
    stdout: String,
    stderr: String,
}

impl Run {
    fn json(&self) -> Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| {
            panic!("stdout is not JSON ({e}): {}\n{}", self.stdout, self.stderr)
        })
    }
}

const SYSTEM_BUNDLE: &str = "/etc/ssl/certs/ca-certificates.crt";

impl Az {
    async fn new(bin: PathBuf, e: &Emu, managed_identity: bool) -> Az {
        let work = tempfile::tempdir().unwrap();
        let mut bundle = std::fs::read(SYSTEM_BUNDLE).unwrap_or_default();
        bundle.extend(std::fs::read(&e.env.ca_certificate).unwrap());
        let bundle_path = work.path().join("bundle.pem");
        std::fs::write(&bundle_path, bundle).unwrap();
        let mut envs: Vec<(String, String)> = vec![
            (
                "AZURE_CONFIG_DIR".into(),
                work.path().join("azcfg").display().to_string(),
            ),
            ("AZURE_CORE_COLLECT_TELEMETRY".into(), "false".into()),
            ("AZURE_CORE_SURVEY_MESSAGE".into(), "false".into()),
            ("AZURE_CORE_NO_COLOR".into(), "true".into()),
            ("AZURE_LOGGING_ENABLE_LOG_FILE".into(), "no".into()),
            // Set unconditionally: machines preset it to the system bundle (real-clients §3).
            (
                "REQUESTS_CA_BUNDLE".into(),
                bundle_path.display().to_string(),
            ),
        ];
        if managed_identity {
            envs.push(("IDENTITY_ENDPOINT".into(), e.env.identity_endpoint.clone()));
            envs.push(("IDENTITY_HEADER".into(), e.env.identity_header.clone()));
        }
        let az = Az {
            bin,
            _work: work,
            envs,
        };
        az.ok(&[
            "cloud",
            "register",
            "--name",
            "Emulator",
            "--endpoint-resource-manager",
            &e.env.resource_manager,
        ])
        .await;
        az.ok(&["cloud", "set", "--name", "Emulator", "--only-show-errors"])
            .await;
        if managed_identity {
            az.ok(&["login", "--identity", "-o", "none"]).await;
        } else {
            az.ok(&[
                "config",
                "set",
                "core.instance_discovery=false",
                "--only-show-errors",
            ])
            .await;
            az.ok(&[
                "login",
                "--service-principal",
                "-u",
                &e.env.client_id,
                "-p",
                &e.env.client_secret,
                "--tenant",
                &e.env.tenant_id,
                "-o",
                "none",
            ])
            .await;
        }
        az
    }

    async fn run(&self, args: &[&str]) -> Run {
        let mut cmd = tokio::process::Command::new(&self.bin);
        cmd.args(args).stdin(std::process::Stdio::null());
        for k in [
            "IDENTITY_ENDPOINT",
            "IDENTITY_HEADER",
            "IDENTITY_SERVER_THUMBPRINT",
            "IMDS_ENDPOINT",
            "MSI_ENDPOINT",
            "MSI_SECRET",
        ] {
            cmd.env_remove(k);
        }
        for (k, v) in &self.envs {
            cmd.env(k, v);
        }
        let out = cmd.output().await.unwrap();
        Run {
            rc: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    async fn ok(&self, args: &[&str]) -> Run {
        let r = self.run(args).await;
        assert_eq!(
            r.rc,
            0,
            "az {}\nstdout: {}\nstderr: {}",
            args.join(" "),
            r.stdout,
            r.stderr
        );
        r
    }

    /// Expects exit code `rc` and `needle` on stderr.
    async fn fails(&self, args: &[&str], rc: i32, needle: &str) -> Run {
        let r = self.run(args).await;
        assert_eq!(
            r.rc,
            rc,
            "az {}\nstdout: {}\nstderr: {}",
            args.join(" "),
            r.stdout,
            r.stderr
        );
        assert!(
            r.stderr.contains(needle),
            "az {}: stderr lacks {needle:?}:\n{}",
            args.join(" "),
            r.stderr
        );
        assert!(r.stdout.is_empty(), "stdout not empty: {}", r.stdout);
        r
    }
}

fn keys(v: &Value) -> Vec<&str> {
    let mut k: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    k.sort();
    k
}

const TOKEN_KEYS: &[&str] = &[
    "creationDate",
    "credentials",
    "id",
    "name",
    "provisioningState",
    "resourceGroup",
    "scopeMapId",
    "status",
    "systemData",
    "type",
];
const SCOPE_MAP_KEYS: &[&str] = &[
    "actions",
    "creationDate",
    "description",
    "id",
    "name",
    "provisioningState",
    "resourceGroup",
    "systemData",
    "type",
];

/// The management requests of the log (identity requests left out), as `METHOD path status`.
async fn arm_requests(e: &Emu) -> Vec<String> {
    e.requests()
        .await
        .iter()
        .filter(|r| r["path"].as_str().unwrap().starts_with("/subscriptions"))
        .map(|r| {
            let path = r["path"].as_str().unwrap();
            let short = path
                .split("/registries/myregistry")
                .nth(1)
                .map(|p| format!("REG{p}"))
                .unwrap_or_else(|| {
                    if path.ends_with("/resources") {
                        "RES".to_string()
                    } else {
                        path.to_string()
                    }
                });
            format!(
                "{} {} {}",
                r["method"].as_str().unwrap(),
                short,
                r["status"]
            )
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn az_token_and_credential_commands_with_managed_identity() {
    let Some(bin) = az_binary() else { return };
    let e = Emu::start().await;
    let az = Az::new(bin, &e, true).await;
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
        seq[4].starts_with("GET REG/tokens/MyToken/operationStatuses/tokens-")
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
    let r = az.fails(&["acr", "token", "show", "-n", "NoSuchToken", "-r", "myregistry"], 3, "ERROR: (ResourceNotFound) The Resource 'Microsoft.ContainerRegistry/registries/myregistry/tokens/NoSuchToken' under resource group 'myresourcegroup' was not found.").await;
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
    assert_eq!(r.rc, 1, "no TTY: az refuses to prompt");
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn az_scope_map_commands_with_managed_identity() {
    let Some(bin) = az_binary() else { return };
    let e = Emu::start().await;
    let az = Az::new(bin, &e, true).await;
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
    assert_eq!(r.rc, 1, "no TTY: az refuses to prompt");
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn az_with_service_principal_asynchronous_operations_and_throttling() {
    let Some(bin) = az_binary() else { return };
    let e = Emu::start().await;
    let az = Az::new(bin, &e, false).await;
    assert_eq!(
        e.hook("POST", "/_emulator/lro", json!({"inProgressPolls": 1}))
            .await,
        204
    );

    let r = az
        .ok(&[
            "acr",
            "token",
            "create",
            "-n",
            "LroToken",
            "-r",
            "myregistry",
            "--repository",
            "hello",
            "content/read",
            "metadata/read",
        ])
        .await;
    let t = r.json();
    assert_eq!(t["provisioningState"], "Succeeded");
    assert_eq!(
        t["credentials"]["passwords"].as_array().unwrap().len(),
        2,
        "the Location URL must return the result"
    );
    assert_eq!(t["systemData"]["createdByType"], "Application");
    assert_eq!(t["systemData"]["createdBy"], e.env.client_id);
    let r = az
        .ok(&[
            "acr",
            "token",
            "update",
            "-n",
            "LroToken",
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
            "credential",
            "generate",
            "-n",
            "LroToken",
            "-r",
            "myregistry",
            "--password2",
            "-g",
            "myresourcegroup",
        ])
        .await;
    assert_eq!(r.json()["passwords"][0]["name"], "password2");
    let r = az
        .ok(&[
            "acr",
            "token",
            "credential",
            "delete",
            "-n",
            "LroToken",
            "-r",
            "myregistry",
            "--password2",
        ])
        .await;
    assert_eq!(
        r.json()["credentials"]["passwords"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    let r = az
        .ok(&[
            "acr",
            "scope-map",
            "update",
            "-n",
            "LroToken-scope-map",
            "-r",
            "myregistry",
            "--remove-repository",
            "hello",
            "metadata/read",
        ])
        .await;
    assert_eq!(
        r.json()["actions"],
        json!(["repositories/hello/content/read"])
    );
    az.ok(&[
        "acr",
        "token",
        "delete",
        "-n",
        "LroToken",
        "-r",
        "myregistry",
        "--yes",
    ])
    .await;
    az.ok(&[
        "acr",
        "scope-map",
        "delete",
        "-n",
        "LroToken-scope-map",
        "-r",
        "myregistry",
        "--yes",
    ])
    .await;
    let statuses: Vec<Value> = e
        .requests()
        .await
        .into_iter()
        .filter(|r| r["path"].as_str().unwrap().contains("/operationStatuses/"))
        .collect();
    assert!(statuses.len() >= 12, "az polled {} times", statuses.len());
    assert_eq!(
        e.hook("POST", "/_emulator/lro", json!({"inProgressPolls": 0}))
            .await,
        204
    );

    // A 429 with Retry-After is retried by az.
    let fault = json!({"method": "GET", "pathContains": "/tokens", "status": 429, "retryAfter": 1, "count": 1});
    assert_eq!(e.hook("POST", "/_emulator/faults", fault).await, 201);
    let r = az
        .ok(&[
            "acr",
            "token",
            "list",
            "-r",
            "myregistry",
            "-g",
            "myresourcegroup",
        ])
        .await;
    assert_eq!(r.json(), json!([]));
    let statuses: Vec<u64> = e
        .requests()
        .await
        .iter()
        .filter(|r| r["path"].as_str().unwrap().ends_with("/tokens"))
        .map(|r| r["status"].as_u64().unwrap())
        .collect();
    assert_eq!(statuses, [429, 200]);
}
