//! az with the service principal, asynchronous (LRO) answers and throttling.

use serde_json::{Value, json};

use super::*;
use crate::support::Emu;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn az_with_service_principal_asynchronous_operations_and_throttling() {
    let Some(bin) = az_binary() else { return };
    let e = Emu::start().await;
    let az = Az::login(bin, &e.env, Login::ServicePrincipal).await;
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
        .request_log()
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
        .request_log()
        .await
        .iter()
        .filter(|r| r["path"].as_str().unwrap().ends_with("/tokens"))
        .map(|r| r["status"].as_u64().unwrap())
        .collect();
    assert_eq!(statuses, [429, 200]);
}
