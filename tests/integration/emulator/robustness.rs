//! Bad input never makes the emulator panic or answer 5xx: every route, every method, with
//! malformed, oddly typed and deeply nested bodies and odd paths, answers a 4xx ARM error.

use serde_json::Value;

use crate::support::Emu;

#[tokio::test]
async fn garbage_gets_4xx_never_5xx() {
    let e = Emu::start().await;
    let reg = e.reg();
    let deep = format!("{}1{}", "[".repeat(400), "]".repeat(400));
    let bodies: Vec<String> = vec![
        "".into(),
        "null".into(),
        "[]".into(),
        "\"x\"".into(),
        "42".into(),
        "{".into(),
        "{\"properties\":null}".into(),
        "{\"properties\":[]}".into(),
        "{\"properties\":{\"actions\":{}}}".into(),
        "{\"properties\":{\"credentials\":{\"passwords\":\"x\"}}}".into(),
        "{\"properties\":{\"credentials\":{\"passwords\":[\"x\"]}}}".into(),
        "{\"tokenId\":[],\"name\":{}}".into(),
        "{\"sku\":\"Basic\",\"location\":1}".into(),
        "\u{0}\u{1}\u{2}".into(),
        deep,
    ];
    let paths = [
        reg.clone(),
        format!("{reg}/tokens/tok-x"),
        format!("{reg}/tokens"),
        format!("{reg}/scopeMaps/map-x"),
        format!("{reg}/scopeMaps/_repositories_pull"),
        format!("{reg}/generateCredentials"),
        format!("{reg}/listCredentials"),
        format!("{reg}/regenerateCredential"),
        format!("{reg}/tokens/%ZZ%00"),
        format!("{reg}/tokens/a%2Fb"),
        format!("{reg}/operationStatuses/x"),
        format!("{reg}/operationResults/x"),
        format!(
            "/subscriptions/{}/resources?$filter=%27&api-version=2024-11-01",
            e.sub()
        ),
        format!(
            "/subscriptions/{}/resources?$filter=name eq 'a' and&api-version=2024-11-01",
            e.sub()
        ),
        format!("{reg}/tokens?api-version=2025-04-01&$skipToken=99999999999999999999"),
        "/subscriptions/%FF".to_string(),
        "/".to_string(),
    ];
    let mut checked = 0;
    for path in &paths {
        for method in ["GET", "PUT", "PATCH", "POST", "DELETE"] {
            for body in &bodies {
                let mut url = e.url(path);
                if !url.contains('?') {
                    url.push_str("?api-version=2025-04-01");
                }
                let r = e
                    .http
                    .request(method.parse().unwrap(), url)
                    .bearer_auth(e.token().await)
                    .header("content-type", "application/json")
                    .body(body.clone())
                    .send()
                    .await
                    .unwrap();
                let status = r.status().as_u16();
                let text = r.text().await.unwrap();
                assert!(status < 500, "{method} {path} {body:?} → {status} {text}");
                if status >= 400 {
                    let v: Value = serde_json::from_str(&text)
                        .unwrap_or_else(|_| panic!("{method} {path}: not JSON: {text}"));
                    assert!(v["error"]["code"].is_string(), "{method} {path}: {text}");
                }
                checked += 1;
            }
        }
    }
    assert_eq!(checked, paths.len() * 5 * bodies.len());
    // Identity endpoints with garbage.
    let token_url = format!("{}/{}/oauth2/v2.0/token", e.env.authority, e.env.tenant_id);
    for body in [
        "",
        "%%%",
        "grant_type=client_credentials&client_id=%FF",
        "a=b=c&&&",
    ] {
        let r = e
            .http
            .post(&token_url)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .await
            .unwrap();
        assert!(r.status().is_client_error(), "{body}: {}", r.status());
    }
    // The emulator still works (the loop deleted the registry with its DELETEs).
    assert_eq!(e.arm("GET", &reg, None).await.status, 404);
    let body = serde_json::json!({"location": "eastus", "sku": {"name": "Basic"}});
    assert_eq!(e.arm("PUT", &reg, Some(body)).await.status, 201);
    assert_eq!(
        e.create_token("still-fine", "_repositories_pull")
            .await
            .status,
        201
    );
}
