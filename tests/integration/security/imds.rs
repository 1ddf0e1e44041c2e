//! Finding 1: the VM-style managed-identity endpoint asks for no secret, so on a shared
//! 127.0.0.1 it handed owner tokens to anyone. It answers only when started with `--imds`.

use serde_json::Value;

use crate::support::Emu;

async fn imds_request(e: &Emu, resource: &str) -> reqwest::Response {
    e.http
        .get(format!(
            "{}metadata/identity/oauth2/token",
            e.env.resource_manager
        ))
        .query(&[("api-version", "2018-02-01"), ("resource", resource)])
        .header("Metadata", "true")
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn finding_1_imds_is_off_by_default() {
    let e = Emu::start().await;
    for resource in [
        "https://containerregistry.azure.net",
        "https://management.core.windows.net/",
    ] {
        let r = imds_request(&e, resource).await;
        assert_eq!(r.status(), 404, "{resource}");
        let text = r.text().await.unwrap();
        assert!(!text.contains("access_token"), "{text}");
        assert!(text.contains("--imds"), "{text}");
        // No OAuth error body either: clients probing for a VM identity must conclude there is
        // none (acr's probe looks for an `error` member).
        assert!(serde_json::from_str::<Value>(&text).is_err(), "{text}");
    }
}

#[tokio::test]
async fn finding_1_imds_answers_when_opted_in() {
    let e = Emu::start_with_imds().await;
    let r = imds_request(&e, "https://containerregistry.azure.net").await;
    assert_eq!(r.status(), 200);
    let v: Value = r.json().await.unwrap();
    assert!(v["access_token"].is_string());
}
