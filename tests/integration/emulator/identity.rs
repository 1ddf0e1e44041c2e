//! The identity endpoints: cloud metadata, OpenID configuration and JWKS, the v2.0 token
//! endpoint (client secret and client assertion, with Entra's error JSON on failure), the App
//! Service managed-identity endpoint and the IMDS form.

use serde_json::{Value, json};

use crate::support::Emu;
use crate::support::arm::claims;

#[tokio::test]
async fn metadata_and_openid_configuration() {
    let e = Emu::start().await;
    // az requests it with a doubled slash.
    let m: Value = e
        .http
        .get(format!(
            "{}/metadata/endpoints?api-version=2022-09-01",
            e.env.resource_manager
        ))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(m["resourceManager"], e.env.resource_manager);
    assert_eq!(
        m["authentication"]["loginEndpoint"],
        format!("{}/", e.env.authority)
    );
    assert_eq!(
        m["authentication"]["audiences"][0],
        "https://management.core.windows.net/"
    );
    assert_eq!(m["suffixes"]["acrLoginServer"], "azurecr.local");
    assert_eq!(
        format!(".{}", m["suffixes"]["acrLoginServer"].as_str().unwrap()),
        e.env.acr_login_server_suffix
    );

    let oidc_url = format!(
        "{}/{}/v2.0/.well-known/openid-configuration",
        e.env.authority, e.env.tenant_id
    );
    let o: Value = e
        .http
        .get(&oidc_url)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        o["token_endpoint"],
        format!("{}/{}/oauth2/v2.0/token", e.env.authority, e.env.tenant_id)
    );
    assert_eq!(
        o["issuer"],
        format!("{}/{}/v2.0", e.env.authority, e.env.tenant_id)
    );
    assert!(o["tenant_region_scope"].is_null());
    let keys: Value = e
        .http
        .get(o["jwks_uri"].as_str().unwrap())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(keys["keys"][0]["kty"], "EC");
    let bad = e
        .http
        .get(format!(
            "{}/nope/v2.0/.well-known/openid-configuration",
            e.env.authority
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 400);
    let bad: Value = bad.json().await.unwrap();
    assert!(
        bad["error_description"]
            .as_str()
            .unwrap()
            .starts_with("AADSTS90002:")
    );
}

#[tokio::test]
async fn token_endpoint_and_its_errors() {
    let e = Emu::start().await;
    let url = format!("{}/{}/oauth2/v2.0/token", e.env.authority, e.env.tenant_id);
    let post = |form: Vec<(&'static str, String)>| {
        let (http, url) = (e.http.clone(), url.clone());
        async move {
            let r = http.post(url).form(&form).send().await.unwrap();
            (r.status().as_u16(), r.json::<Value>().await.unwrap())
        }
    };
    let good = vec![
        ("client_id", e.env.client_id.clone()),
        ("grant_type", "client_credentials".to_string()),
        ("client_secret", e.env.client_secret.clone()),
        (
            "scope",
            "https://management.core.windows.net//.default".to_string(),
        ),
    ];
    let (s, v) = post(good.clone()).await;
    assert_eq!(s, 200);
    assert_eq!(v["token_type"], "Bearer");
    assert_eq!(v["expires_in"], 3599);
    let c = claims(v["access_token"].as_str().unwrap());
    assert_eq!(c["aud"], "https://management.core.windows.net/");
    assert_eq!(c["tid"], e.env.tenant_id);
    assert_eq!(c["appid"], e.env.client_id);
    for k in ["oid", "iss", "iat", "nbf", "exp"] {
        assert!(!c[k].is_null(), "{k}");
    }
    let with = |k: &'static str, v: &str| {
        let mut f: Vec<(&'static str, String)> =
            good.iter().filter(|(n, _)| *n != k).cloned().collect();
        if !v.is_empty() {
            f.push((k, v.to_string()));
        }
        f
    };
    for (form, status, error, code) in [
        (
            with("client_secret", "wrong"),
            401,
            "invalid_client",
            7000215,
        ),
        (with("client_secret", ""), 401, "invalid_client", 7000218),
        (
            with("client_id", "00000000-0000-0000-0000-000000000001"),
            400,
            "unauthorized_client",
            700016,
        ),
        (
            with("grant_type", "password"),
            400,
            "unsupported_grant_type",
            70003,
        ),
        (
            with("scope", "https://management.azure.com"),
            400,
            "invalid_request",
            1002012,
        ),
        (with("grant_type", ""), 400, "invalid_request", 900144),
    ] {
        let (s, v) = post(form).await;
        assert_eq!((s, v["error"].as_str().unwrap()), (status, error), "{v}");
        assert_eq!(v["error_codes"], json!([code]), "{v}");
        assert!(
            v["error_description"]
                .as_str()
                .unwrap()
                .starts_with(&format!("AADSTS{code}:"))
        );
    }
    let mut bad_assertion = with("client_secret", "");
    bad_assertion.push((
        "client_assertion_type",
        "urn:ietf:params:oauth:client-assertion-type:jwt-bearer".into(),
    ));
    bad_assertion.push(("client_assertion", e.token().await.to_owned()));
    let (s, v) = post(bad_assertion).await;
    assert_eq!((s, v["error"].as_str().unwrap()), (401, "invalid_client"));
    let r = e
        .http
        .post(format!("{}/other/oauth2/v2.0/token", e.env.authority))
        .form(&good)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
}

#[tokio::test]
async fn managed_identity_endpoints() {
    let e = Emu::start().await;
    let r = e
        .http
        .get(&e.env.identity_endpoint)
        .query(&[
            ("api-version", "2019-08-01"),
            ("resource", "https://containerregistry.azure.net"),
        ])
        .header("X-IDENTITY-HEADER", &e.env.identity_header)
        .header("Metadata", "true")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["token_type"], "Bearer");
    assert_eq!(v["resource"], "https://containerregistry.azure.net");
    let exp: i64 = v["expires_on"].as_str().unwrap().parse().unwrap();
    assert!(exp > crate::support::arm::now());
    let c = claims(v["access_token"].as_str().unwrap());
    assert_eq!(c["aud"], "https://containerregistry.azure.net");
    assert!(c["xms_mirid"].is_string());

    for (header, status) in [(None, 400), (Some("wrong"), 401)] {
        let mut req = e
            .http
            .get(&e.env.identity_endpoint)
            .query(&[("api-version", "2019-08-01"), ("resource", "x")]);
        if let Some(h) = header {
            req = req.header("X-IDENTITY-HEADER", h);
        }
        let r = req.send().await.unwrap();
        assert_eq!(r.status(), status);
        let v: Value = r.json().await.unwrap();
        assert!(v["error"].is_string() && v["error_description"].is_string());
    }
    let r = e
        .http
        .get(&e.env.identity_endpoint)
        .query(&[("api-version", "2019-08-01")])
        .header("X-IDENTITY-HEADER", &e.env.identity_header)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
}

#[tokio::test]
async fn imds_form_when_started_with_imds() {
    let e = Emu::start_with_imds().await;
    let imds = format!("{}metadata/identity/oauth2/token", e.env.resource_manager);
    let r = e
        .http
        .get(&imds)
        .query(&[
            ("api-version", "2018-02-01"),
            ("resource", "https://management.azure.com/"),
        ])
        .header("Metadata", "true")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let v: Value = r.json().await.unwrap();
    assert!(v["expires_in"].is_string() && v["access_token"].is_string());
    let r = e
        .http
        .get(&imds)
        .query(&[("api-version", "2018-02-01"), ("resource", "x")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
}
