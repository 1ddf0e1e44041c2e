//! The test hooks in use: asynchronous (LRO) answers, `nextLink` paging, fault injection and
//! the request log with secrets redacted.

use serde_json::{Value, json};

use crate::support::Emu;
use crate::support::swagger::assert_valid;

#[tokio::test]
async fn asynchronous_mode_reports_in_progress_then_succeeded() {
    let e = Emu::start().await;
    let reg = e.reg();
    assert_eq!(
        e.hook("POST", "/_emulator/lro", json!({"inProgressPolls": 2}))
            .await,
        204
    );

    let r = e
        .create_scope_map("lro-map", &["repositories/a/content/read"])
        .await;
    assert_eq!(r.status, 201);
    assert_eq!(r.body["properties"]["provisioningState"], "Creating");
    assert_valid("ScopeMap", &r.body);
    let op = r.header("azure-asyncoperation").unwrap().to_string();
    assert!(
        op.contains("/scopeMaps/lro-map/operationStatuses/scopemaps-"),
        "{op}"
    );

    let r = e.create_token("lro-token", "lro-map").await;
    assert_eq!(r.status, 201);
    assert_eq!(r.body["properties"]["provisioningState"], "Creating");
    let op = r.header("azure-asyncoperation").unwrap().to_string();
    // While running, the status names what the token does, as the service's did.
    for expect in ["Creating", "Creating", "Succeeded", "Succeeded"] {
        let s = e.arm("GET", &op, None).await;
        assert_valid("OperationStatusResult", &s.body);
        assert_eq!(s.body["status"], expect);
        // Without Retry-After on polls, azure-core waits 30 s between them.
        assert_eq!(s.header("retry-after"), Some("1"));
    }

    let p = e
        .arm(
            "PATCH",
            &format!("{reg}/tokens/lro-token"),
            Some(json!({"properties": {"status": "disabled"}})),
        )
        .await;
    assert_eq!(p.status, 201);
    assert_eq!(p.body["properties"]["provisioningState"], "Updating");
    assert!(p.header("azure-asyncoperation").is_some());

    // generateCredentials: 202 + Location; the Location answers 202 until done, then the result.
    let g = e.generate("lro-token", json!({})).await;
    assert_eq!(g.status, 202);
    assert!(g.body.is_null());
    let status = g.header("azure-asyncoperation").unwrap().to_string();
    let location = g.header("location").unwrap().to_string();
    assert!(
        location.contains("/registries/myregistry/operationResults/registries-"),
        "{location}"
    );
    assert_eq!(
        e.arm("GET", &status, None).await.body["status"],
        "InProgress"
    );
    let l = e.arm("GET", &location, None).await;
    assert_eq!(l.status, 202);
    assert!(l.header("location").is_some());
    assert_eq!(
        e.arm("GET", &status, None).await.body["status"],
        "Succeeded"
    );
    let l = e.arm("GET", &location, None).await;
    assert_eq!(l.status, 200);
    assert_valid("GenerateCredentialsResult", &l.body);
    assert_eq!(l.body["passwords"].as_array().unwrap().len(), 2);

    let d = e
        .arm("DELETE", &format!("{reg}/tokens/lro-token"), None)
        .await;
    assert_eq!(d.status, 202);
    let loc = d.header("location").unwrap().to_string();
    assert_eq!(e.arm("GET", &loc, None).await.status, 202);
    assert_eq!(e.arm("GET", &loc, None).await.status, 202);
    assert_eq!(e.arm("GET", &loc, None).await.status, 204);

    // The poll interval can be set with the mode.
    assert_eq!(
        e.hook(
            "POST",
            "/_emulator/lro",
            json!({"inProgressPolls": 1, "retryAfter": 0})
        )
        .await,
        204
    );
    let r = e.create_token("lro-token2", "lro-map").await;
    assert_eq!(r.header("retry-after"), Some("0"));

    // Back to synchronous answers.
    assert_eq!(
        e.hook("POST", "/_emulator/lro", json!({"inProgressPolls": 0}))
            .await,
        204
    );
    assert_eq!(e.create_scope_map("sync-map", &[]).await.status, 200);
    let unknown = e
        .arm(
            "GET",
            &format!("{reg}/operationStatuses/registries-nope"),
            None,
        )
        .await;
    unknown.arm_error(404, "ResourceNotFound");
}

#[tokio::test]
async fn lists_page_with_next_link() {
    let e = Emu::start().await;
    let reg = e.reg();
    for i in 0..5 {
        assert_eq!(
            e.create_token(&format!("token-{i}"), "_repositories_pull")
                .await
                .status,
            201
        );
    }
    assert_eq!(
        e.hook("POST", "/_emulator/paging", json!({"pageSize": 2}))
            .await,
        204
    );
    let mut names = Vec::new();
    let mut url = format!("{reg}/tokens?api-version=2023-07-01");
    let mut pages = 0;
    loop {
        let r = e.arm("GET", &url, None).await;
        assert_eq!(r.status, 200);
        assert_valid("TokenListResult", &r.body);
        pages += 1;
        names.extend(
            r.body["value"]
                .as_array()
                .unwrap()
                .iter()
                .map(|t| t["name"].as_str().unwrap().to_string()),
        );
        match r.body.get("nextLink").and_then(Value::as_str) {
            Some(n) => {
                assert!(
                    n.starts_with("https://127.0.0.1:") && n.contains("api-version=2023-07-01"),
                    "{n}"
                );
                url = n.to_string();
            }
            None => break,
        }
    }
    assert_eq!(pages, 3);
    assert_eq!(
        names,
        ["token-0", "token-1", "token-2", "token-3", "token-4"]
    );
    let r = e
        .arm(
            "GET",
            &format!("{reg}/tokens?api-version=2025-04-01&$skipToken=abc"),
            None,
        )
        .await;
    r.arm_error(400, "InvalidSkipToken");
}

#[tokio::test]
async fn faults_and_request_log() {
    let e = Emu::start().await;
    let reg = e.reg();
    let fault = json!({"method": "PUT", "pathContains": "/tokens/", "status": 429, "retryAfter": 3, "count": 2});
    assert_eq!(e.hook("POST", "/_emulator/faults", fault).await, 201);
    assert_eq!(
        e.hook("DELETE", "/_emulator/requests", json!(null)).await,
        204
    );
    for _ in 0..2 {
        let r = e.create_token("faulty", "_repositories_pull").await;
        assert_eq!(
            r.arm_error(429, "TooManyRequests"),
            "Fault injected by acr-emulator test hooks."
        );
        assert_eq!(r.header("retry-after"), Some("3"));
    }
    assert_eq!(
        e.create_token("faulty", "_repositories_pull").await.status,
        201
    );
    let custom = json!({"pathContains": "generateCredentials", "status": 503, "body": {"error": {"code": "ServiceUnavailable", "message": "busy"}}});
    assert_eq!(e.hook("POST", "/_emulator/faults", custom).await, 201);
    e.generate("faulty", json!({}))
        .await
        .arm_error(503, "ServiceUnavailable");
    let g = e.generate("faulty", json!({})).await;
    assert_eq!(g.status, 200);

    let log = e.request_log().await;
    let seq: Vec<(String, u64)> = log
        .iter()
        .map(|r| {
            (
                r["method"].as_str().unwrap().to_string(),
                r["status"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        seq,
        [
            ("PUT".into(), 429),
            ("PUT".into(), 429),
            ("PUT".into(), 201),
            ("POST".into(), 503),
            ("POST".into(), 200)
        ]
    );
    assert_eq!(log[0]["path"], format!("{reg}/tokens/faulty"));
    assert_eq!(log[0]["query"], "api-version=2025-04-01");
    assert_eq!(log[0]["body"]["properties"]["status"], "enabled");
    // Secrets are redacted in the log: a PATCH listing password values, and the identity form.
    let body = json!({"properties": {"credentials": {"passwords": [{"name": "password1", "value": "s3cret-value"}]}}});
    e.arm("PATCH", &format!("{reg}/tokens/faulty"), Some(body))
        .await;
    e.http
        .post(format!(
            "{}/{}/oauth2/v2.0/token",
            e.env.authority, e.env.tenant_id
        ))
        .form(&[
            ("grant_type", "client_credentials"),
            ("client_id", &e.env.client_id),
            ("client_secret", &e.env.client_secret),
            ("scope", "https://management.azure.com/.default"),
        ])
        .send()
        .await
        .unwrap();
    let log = serde_json::to_string(&e.request_log().await).unwrap();
    assert!(
        !log.contains("s3cret-value") && !log.contains(&e.env.client_secret),
        "{log}"
    );
    assert!(log.contains("REDACTED"));
    assert_eq!(
        e.hook("DELETE", "/_emulator/faults", json!(null)).await,
        204
    );
}
