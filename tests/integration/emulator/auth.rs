//! ARM authentication failures: every kind of bad token gets a 401 with ARM's code and a
//! `WWW-Authenticate: Bearer authorization_uri=…` challenge; good SP, MI and workload-identity
//! tokens are accepted and recorded in `systemData`.

use serde_json::json;

use crate::support::Emu;
use crate::support::arm::{forge, now};

#[tokio::test]
async fn bad_tokens_get_arm_401s() {
    let e = Emu::start().await;
    let path = format!("{}/tokens", e.reg());
    let base = json!({
        "aud": "https://management.core.windows.net/", "iss": "x", "iat": now(), "nbf": now(),
        "exp": now() + 3600, "tid": e.env.tenant_id, "oid": "o", "appid": "a"
    });
    let with = |k: &str, v: serde_json::Value| {
        let mut c = base.clone();
        c[k] = v;
        forge(e.dir.path(), &c)
    };
    let other_key = {
        let k = rcgen::KeyPair::generate().unwrap().serialize_pem();
        let key = jsonwebtoken::EncodingKey::from_ec_pem(k.as_bytes()).unwrap();
        jsonwebtoken::encode(
            &jsonwebtoken::Header::new(jsonwebtoken::Algorithm::ES256),
            &base,
            &key,
        )
        .unwrap()
    };
    let acr_audience = e.mi_token("https://containerregistry.azure.net").await;
    let cases: Vec<(Option<String>, &str, &str)> = vec![
        (
            None,
            "AuthenticationFailed",
            "The 'Authorization' header is missing",
        ),
        (Some("".into()), "AuthenticationFailed", "invalid format"),
        (
            Some("not-a-jwt".into()),
            "InvalidAuthenticationToken",
            "The access token is invalid.",
        ),
        (
            Some(other_key),
            "InvalidAuthenticationToken",
            "invalid signature",
        ),
        (
            Some(with("exp", json!(now() - 7200))),
            "ExpiredAuthenticationToken",
            "is earlier than current UTC time",
        ),
        (
            Some(acr_audience),
            "InvalidAuthenticationToken",
            "wrong audience or resource 'https://containerregistry.azure.net'",
        ),
        (
            Some(with("aud", json!("https://graph.microsoft.com"))),
            "InvalidAuthenticationToken",
            "wrong audience",
        ),
        (
            Some(with("tid", json!("72f988bf-86f1-41af-91ab-2d7cd011db47"))),
            "InvalidAuthenticationTokenTenant",
            "wrong issuer",
        ),
    ];
    for (token, code, needle) in cases {
        let r = match token.as_deref() {
            Some("") => {
                let resp = e
                    .http
                    .get(e.url(&format!("{path}?api-version=2025-04-01")))
                    .header("authorization", "Basic abc")
                    .send()
                    .await
                    .unwrap();
                crate::support::Resp::read(resp).await
            }
            t => e.arm_as("GET", &path, None, t).await,
        };
        let m = r.arm_error(401, code);
        assert!(m.contains(needle), "{code}: {m}");
        let ch = r.header("www-authenticate").unwrap();
        assert!(
            ch.starts_with(&format!(
                "Bearer authorization_uri=\"{}/{}\"",
                e.env.authority, e.env.tenant_id
            )),
            "{ch}"
        );
        assert!(ch.contains("error=\"invalid_token\""), "{ch}");
    }
    // Every audience spelling of ARM is accepted.
    for aud in [
        "https://management.azure.com",
        "https://management.azure.com/",
        "https://management.core.windows.net",
    ] {
        let t = with("aud", json!(aud));
        assert_eq!(
            e.arm_as("GET", &path, None, Some(&t)).await.status,
            200,
            "{aud}"
        );
    }
}

#[tokio::test]
async fn service_principal_and_workload_identity_tokens_work() {
    let e = Emu::start().await;
    let token_url = format!("{}/{}/oauth2/v2.0/token", e.env.authority, e.env.tenant_id);
    let sp: serde_json::Value = e
        .http
        .post(&token_url)
        .form(&[
            ("client_id", e.env.client_id.as_str()),
            ("grant_type", "client_credentials"),
            ("client_info", "1"),
            ("client_secret", e.env.client_secret.as_str()),
            (
                "claims",
                "{\"access_token\":{\"xms_cc\":{\"values\":[\"CP1\"]}}}",
            ),
            ("scope", "https://management.core.windows.net//.default"),
        ])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let sp_token = sp["access_token"].as_str().unwrap();
    let r = e
        .arm_as(
            "PUT",
            &format!("{}/scopeMaps/sp-made", e.reg()),
            Some(json!({"properties": {"actions": []}})),
            Some(sp_token),
        )
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.body["systemData"]["createdBy"], e.env.client_id);
    assert_eq!(r.body["systemData"]["createdByType"], "Application");

    let assertion = std::fs::read_to_string(&e.env.federated_token_file).unwrap();
    let wi = e
        .http
        .post(&token_url)
        .form(&[
            ("client_id", e.env.client_id.as_str()),
            ("grant_type", "client_credentials"),
            (
                "client_assertion_type",
                "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
            ),
            ("client_assertion", assertion.trim()),
            ("scope", "https://management.azure.com/.default"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(wi.status(), 200);
    let wi: serde_json::Value = wi.json().await.unwrap();
    let r = e
        .arm_as(
            "GET",
            &format!("{}/scopeMaps/sp-made", e.reg()),
            None,
            wi["access_token"].as_str(),
        )
        .await;
    assert_eq!(r.status, 200);
}
