//! The management client against real sockets (§3.4, §5.4, §12, issue 5): resource-group
//! discovery and its cache (D6) including the refresh on a 404, retries on 429/503 honouring
//! `Retry-After` without repeating an unsafe POST, long-running operations, `nextLink` paging.

use std::time::Instant;

use serde_json::json;

use crate::support::{Acr, Emu, Resp, setup};

async fn put_registry(emu: &Emu, group: &str, name: &str) {
    let Resp { status, body, .. } = emu
        .arm_sp(
            "PUT",
            &format!(
                "/subscriptions/{}/resourceGroups/{group}/providers/Microsoft.ContainerRegistry/registries/{name}",
                emu.sub()
            ),
            Some(json!({"location": "eastus", "sku": {"name": "Premium"}})),
        )
        .await;
    assert!(status == 200 || status == 201, "{status} {body}");
}

async fn delete_registry(emu: &Emu, group: &str, name: &str) {
    let Resp { status, body, .. } = emu
        .arm_sp(
            "DELETE",
            &format!(
                "/subscriptions/{}/resourceGroups/{group}/providers/Microsoft.ContainerRegistry/registries/{name}",
                emu.sub()
            ),
            None,
        )
        .await;
    assert!(
        status == 200 || status == 202 || status == 204,
        "{status} {body}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn discovery_lists_once_then_uses_the_cache_d6() {
    let (emu, acr) = setup().await;
    emu.clear_requests().await;
    acr.ok("acr token list -r myregistry").await;
    assert_eq!(emu.sequence().await, ["GET RES 200", "GET REG/tokens 200"]);
    let res = &emu.arm_requests().await[0];
    assert_eq!(
        res.query,
        "%24filter=resourceType+eq+%27Microsoft.ContainerRegistry%2Fregistries%27&api-version=2024-11-01"
    );
    // Warm: no listing, for any command and any casing of the name.
    for line in [
        "acr token list -r myregistry",
        "acr scope-map list -r MYREGISTRY",
        "acr scope-map show -r myregistry -n _repositories_pull",
    ] {
        emu.clear_requests().await;
        acr.ok(line).await;
        let sequence = emu.sequence().await;
        assert_eq!(sequence.len(), 1, "{line}: {sequence:?}");
        assert!(!sequence[0].starts_with("GET RES"), "{line}");
    }
    // A genuine 404 under a cached group costs one listing, then az's 404 (exit 3).
    emu.clear_requests().await;
    let out = acr.run("acr token show -r myregistry -n nosuch").await;
    assert_eq!(out.code, 3, "{}", out.stderr);
    assert!(
        out.stderr
            .starts_with("ERROR: (ResourceNotFound) The resource nosuch could not be found.")
    );
    assert_eq!(
        emu.sequence().await,
        ["GET REG/tokens/nosuch 404", "GET RES 200"]
    );
    // With -g there is never a listing; the cache lives in acr's config dir, per acr config.
    emu.clear_requests().await;
    let other = Acr::new(&emu);
    other
        .ok("acr token list -r myregistry -g myresourcegroup")
        .await;
    assert_eq!(emu.sequence().await, ["GET REG/tokens 200"]);
    assert!(acr.config_dir().join("registries.json").exists());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stale_cached_group_is_refreshed_on_404_d6() {
    let (emu, acr) = setup().await;
    put_registry(&emu, "groupa", "movingreg").await;
    acr.ok("acr scope-map create -r movingreg -n mymap1").await;
    emu.clear_requests().await;
    acr.ok("acr scope-map show -r movingreg -n mymap1").await;
    assert_eq!(
        emu.sequence().await,
        ["GET groupa/movingreg/scopeMaps/mymap1 200"]
    );

    // The registry moves to another group: the cached group answers 404, the listing finds
    // the new one and the request is repeated there (nothing was written under the old one).
    delete_registry(&emu, "groupa", "movingreg").await;
    put_registry(&emu, "groupb", "movingreg").await;
    emu.clear_requests().await;
    acr.ok("acr scope-map create -r movingreg -n mymap2").await;
    assert_eq!(
        emu.sequence().await,
        [
            "PUT groupa/movingreg/scopeMaps/mymap2 404",
            "GET RES 200",
            "PUT groupb/movingreg/scopeMaps/mymap2 200"
        ]
    );
    emu.clear_requests().await;
    let out = acr
        .ok("acr scope-map show -r movingreg -n mymap2 --query id -o tsv")
        .await;
    assert!(
        out.stdout.contains("/resourceGroups/groupb/"),
        "{}",
        out.stdout
    );
    assert_eq!(
        emu.sequence().await,
        ["GET groupb/movingreg/scopeMaps/mymap2 200"]
    );

    // The registry disappears: az's "could not be found" error after the refresh.
    delete_registry(&emu, "groupb", "movingreg").await;
    emu.clear_requests().await;
    acr.run("acr scope-map list -r movingreg").await.error(
        1,
        &format!(
            "The resource with name 'movingreg' and type 'Microsoft.ContainerRegistry/registries' could not be found in subscription 'Emulator Subscription ({})'.",
            emu.sub()
        ),
    );
    let sequence = emu.sequence().await;
    assert_eq!(
        sequence[..2],
        ["GET groupb/movingreg/scopeMaps 404", "GET RES 200"],
        "{sequence:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn throttling_and_unavailability_are_retried_with_retry_after() {
    let (emu, acr) = setup().await;
    acr.ok(
        "acr token create -r myregistry -n token1 --repository repo1 content/read --no-passwords",
    )
    .await;

    emu.fault(json!({"method": "GET", "pathContains": "/tokens", "status": 429, "retryAfter": 1, "count": 1}))
        .await;
    emu.clear_requests().await;
    let started = Instant::now();
    let out = acr
        .ok("acr token list -r myregistry --query [].name -o tsv")
        .await;
    assert_eq!(out.stdout, "token1\n");
    assert!(
        started.elapsed().as_millis() >= 1000,
        "Retry-After: 1 was honoured"
    );
    assert_eq!(
        emu.sequence().await,
        ["GET REG/tokens 429", "GET REG/tokens 200"]
    );

    // PUT and PATCH are idempotent: a 503 is retried.
    emu.fault(json!({"method": "PATCH", "pathContains": "/tokens/token1", "status": 503, "retryAfter": 0, "count": 2}))
        .await;
    emu.clear_requests().await;
    let out = acr
        .ok("acr token update -r myregistry -n token1 --status disabled --query status -o tsv")
        .await;
    assert_eq!(out.stdout, "disabled\n");
    assert_eq!(
        emu.sequence().await,
        [
            "PATCH REG/tokens/token1 503",
            "PATCH REG/tokens/token1 503",
            "PATCH REG/tokens/token1 200"
        ]
    );

    // A throttled POST was not processed, so it is retried...
    emu.fault(json!({"method": "POST", "pathContains": "generateCredentials", "status": 429, "retryAfter": 0, "count": 1}))
        .await;
    emu.clear_requests().await;
    acr.ok("acr token credential generate -r myregistry -n token1 --password1")
        .await;
    assert_eq!(
        emu.sequence().await,
        [
            "POST REG/generateCredentials 429",
            "POST REG/generateCredentials 200"
        ]
    );
    // ...but a POST that failed with 503 may have created secrets: it is not repeated
    // blindly. The token is read first, and again after, to check the result is in effect.
    emu.fault(json!({"method": "POST", "pathContains": "generateCredentials", "status": 503, "retryAfter": 0, "count": 1}))
        .await;
    emu.clear_requests().await;
    acr.ok("acr token credential generate -r myregistry -n token1 --password1")
        .await;
    assert_eq!(
        emu.sequence().await,
        [
            "POST REG/generateCredentials 503",
            "GET REG/tokens/token1 200",
            "POST REG/generateCredentials 200",
            "GET REG/tokens/token1 200"
        ]
    );

    // Retries end: the last answer is reported.
    emu.fault(json!({"method": "GET", "pathContains": "/scopeMaps", "status": 500, "retryAfter": 0, "count": 10}))
        .await;
    emu.clear_requests().await;
    acr.run("acr scope-map list -r myregistry").await.error(
        1,
        "(InternalServerError) Fault injected by acr-emulator test hooks.\n\
         Code: InternalServerError\n\
         Message: Fault injected by acr-emulator test hooks.",
    );
    let sequence = emu.sequence().await;
    assert!(
        sequence.len() >= 2 && sequence.iter().all(|r| r == "GET REG/scopeMaps 500"),
        "{sequence:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn long_running_operations_are_polled() {
    let (emu, acr) = setup().await;
    emu.lro(2).await;
    let out = acr
        .ok("acr token create -r myregistry -g myresourcegroup -n token1 --repository repo1 content/read")
        .await;
    let token = out.json();
    assert_eq!(token["provisioningState"], "Succeeded");
    assert_eq!(
        token["credentials"]["passwords"].as_array().unwrap().len(),
        2,
        "the generate result comes from the Location URL"
    );
    assert_eq!(
        emu.sequence().await,
        [
            "GET REG/scopeMaps/token1-scope-map 404",
            "PUT REG/scopeMaps/token1-scope-map 201",
            "GET OP 200",
            "GET OP 200",
            "GET OP 200",
            "GET REG/scopeMaps/token1-scope-map 200",
            "PUT REG/tokens/token1 201",
            "GET OP 200",
            "GET OP 200",
            "GET OP 200",
            "GET REG/tokens/token1 200",
            "POST REG/generateCredentials 202",
            "GET OP 200",
            "GET OP 200",
            "GET OP 200",
            "GET LOCATION 200",
            "GET REG 200",
        ]
    );

    for (line, last) in [
        (
            "acr token update -r myregistry -g myresourcegroup -n token1 --status disabled",
            "GET REG/tokens/token1 200",
        ),
        (
            "acr token credential delete -r myregistry -g myresourcegroup -n token1 --password2",
            "GET REG/tokens/token1 200",
        ),
        (
            "acr scope-map update -r myregistry -g myresourcegroup -n token1-scope-map --add-repository r2 content/read",
            "GET REG/scopeMaps/token1-scope-map 200",
        ),
        (
            "acr token credential generate -r myregistry -g myresourcegroup -n token1 --password2",
            "GET LOCATION 200",
        ),
        (
            "acr token delete -r myregistry -g myresourcegroup -n token1 -y",
            "GET OP 200",
        ),
    ] {
        emu.clear_requests().await;
        let out = acr.ok(line).await;
        let sequence = emu.sequence().await;
        assert_eq!(sequence.last().unwrap(), last, "{line}: {sequence:?}");
        assert_eq!(
            sequence.iter().filter(|r| *r == "GET OP 200").count(),
            3,
            "{line}: {sequence:?}"
        );
        if line.contains("update --status") {
            assert_eq!(out.json()["status"], "disabled");
        }
        if line.contains("credential generate") {
            assert_eq!(out.json()["passwords"][0]["name"], "password2");
        }
    }
    let out = acr.run("acr token show -r myregistry -n token1").await;
    assert_eq!(out.code, 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_or_canceled_operation_is_an_error() {
    let (emu, acr) = setup().await;
    emu.lro(1).await;
    for (status, code) in [("Failed", "InternalServerError"), ("Canceled", "Canceled")] {
        emu.fault(json!({
            "method": "GET",
            "pathContains": "/operationStatuses/",
            "status": 200,
            "count": 1,
            "body": {"status": status, "error": {"code": code, "message": "The operation did not complete."}}
        }))
        .await;
        emu.clear_requests().await;
        acr.run("acr scope-map create -r myregistry -g myresourcegroup -n mymap1")
            .await
            .error(
                1,
                &format!(
                    "({code}) The operation did not complete.\nCode: {code}\nMessage: The operation did not complete."
                ),
            );
        // No final GET after a failed operation.
        assert_eq!(
            emu.sequence().await,
            ["PUT REG/scopeMaps/mymap1 201", "GET OP 200"]
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lists_follow_next_link() {
    let (emu, acr) = setup().await;
    for i in 1..=5 {
        acr.ok(&format!(
            "acr token create -r myregistry -n token{i} --scope-map _repositories_pull --no-passwords"
        ))
        .await;
    }
    emu.paging(2).await;
    emu.clear_requests().await;
    let out = acr
        .ok("acr token list -r myregistry --query \"sort([].name)\" -o tsv")
        .await;
    // A top-level list prints one item per line in TSV.
    assert_eq!(out.stdout, "token1\ntoken2\ntoken3\ntoken4\ntoken5\n");
    assert_eq!(
        emu.sequence().await,
        [
            "GET REG/tokens 200",
            "GET REG/tokens 200",
            "GET REG/tokens 200"
        ]
    );
    let out = acr
        .ok("acr scope-map list -r myregistry --query \"length(@)\"")
        .await;
    assert_eq!(out.stdout, "5\n", "the five system maps");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_resources_listing_is_paged_too() {
    let emu = Emu::start_with(
        ["myregistry", "second1", "third1"]
            .iter()
            .map(|n| n.parse().unwrap())
            .collect(),
    )
    .await;
    let acr = Acr::new(&emu);
    emu.paging(1).await;
    emu.clear_requests().await;
    acr.ok("acr token list -r third1").await;
    let sequence = emu.sequence().await;
    assert_eq!(
        sequence,
        [
            "GET RES 200",
            "GET RES 200",
            "GET RES 200",
            "GET myresourcegroup/third1/tokens 200"
        ]
    );
}
