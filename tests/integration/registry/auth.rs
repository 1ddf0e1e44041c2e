//! Docker token authentication as ACR does it: the `/v2/` challenge, `/oauth2/token` in its
//! GET (Basic) and POST (`password`, `refresh_token`) forms, `/oauth2/exchange` with the
//! emulator's Entra tokens, the JWT claims, challenges with `scope` and `error`, Basic auth
//! directly on the API, the admin user and the service principal, the system scope maps, the
//! catalog's registry-wide rule, and changes to tokens and scope maps taking effect at the
//! next token request.

use serde_json::{Value, json};

use crate::support::arm::{claims, forge, now};
use crate::support::registry::*;

const AUTH_MESSAGE: &str =
    "authentication required, visit https://aka.ms/acr/authorization for more information.";

#[tokio::test]
async fn challenges_and_token_requests() {
    let r = Reg::start().await;
    let login = r.login.clone();
    let port = login.rsplit(':').next().unwrap().to_string();

    let v2 = r.get("/v2/", Auth::None).await;
    let e = v2.oci_error(401, "UNAUTHORIZED");
    assert_eq!(e["message"], AUTH_MESSAGE);
    assert_eq!(
        v2.header("www-authenticate"),
        Some(format!("Bearer realm=\"https://{login}/oauth2/token\",service=\"{login}\"").as_str())
    );
    assert_eq!(
        v2.header("docker-distribution-api-version"),
        Some("registry/2.0")
    );
    // The challenge names the host the client used.
    let local =
        r.e.http
            .get(format!("https://localhost:{port}/v2/"))
            .send()
            .await
            .unwrap();
    assert_eq!(
        local.headers()["www-authenticate"],
        format!(
            "Bearer realm=\"https://localhost:{port}/oauth2/token\",service=\"localhost:{port}\""
        )
        .as_str()
    );
    let cat = r.get("/v2/_catalog", Auth::None).await;
    cat.oci_error(401, "UNAUTHORIZED");
    assert!(
        cat.header("www-authenticate")
            .unwrap()
            .ends_with(",scope=\"registry:catalog:*\"")
    );

    let pw = r
        .token(
            "Reader1",
            &[
                "repositories/a/content/read",
                "repositories/a/metadata/read",
            ],
        )
        .await;
    // GET with Basic: the intersection of what was asked and what the map grants.
    let t = r
        .access(
            "Reader1",
            &pw,
            &[
                "repository:a:pull,push",
                "repository:b:pull",
                "registry:catalog:*",
            ],
        )
        .await
        .unwrap();
    let c = claims(&t);
    assert_eq!(c["iss"], "Azure Container Registry");
    assert_eq!(c["aud"], login.as_str());
    assert_eq!(c["sub"], "Reader1");
    assert_eq!(c["version"], "1.0");
    assert_eq!(c["exp"].as_i64().unwrap() - c["iat"].as_i64().unwrap(), 300);
    assert_eq!(
        c["access"],
        json!([{"type": "repository", "name": "a", "actions": ["pull"]},
               {"type": "repository", "name": "b", "actions": []},
               {"type": "registry", "name": "catalog", "actions": []}])
    );
    let header: Value = claims(&format!("x.{}", t.split('.').next().unwrap()));
    assert_eq!(header["alg"], "ES256");
    // docker login: no scope, then GET /v2/ with the token.
    let docker =
        r.e.http
            .get(r.url("/oauth2/token"))
            .query(&[
                ("account", "Reader1"),
                ("client_id", "docker"),
                ("offline_token", "true"),
                ("service", &login),
            ])
            .basic_auth("Reader1", Some(&pw))
            .send()
            .await
            .unwrap();
    assert_eq!(docker.status(), 200);
    let body: Value = docker.json().await.unwrap();
    assert_eq!(
        body.as_object().unwrap().keys().collect::<Vec<_>>(),
        vec!["access_token"],
        "only access_token, as ACR"
    );
    let dt = body["access_token"].as_str().unwrap();
    assert_eq!(claims(dt)["access"], json!([]));
    assert_eq!(r.get("/v2/", Auth::Bearer(dt)).await.status, 200);
    // The scoped token works where granted; elsewhere a challenge with what is missing.
    assert_eq!(
        r.get("/v2/a/tags/list", Auth::Bearer(&t)).await.status,
        401,
        "metadata_read was not asked for"
    );
    let push = r
        .send("POST", "/v2/a/blobs/uploads/", Auth::Bearer(&t), &[], None)
        .await;
    let err = push.oci_error(401, "UNAUTHORIZED");
    assert_eq!(
        err["detail"],
        json!([{"Type": "repository", "Name": "a", "Action": "push"}])
    );
    assert_eq!(
        push.header("www-authenticate"),
        Some(format!("Bearer realm=\"https://{login}/oauth2/token\",service=\"{login}\",scope=\"repository:a:pull,push\",error=\"insufficient_scope\"").as_str())
    );
    // POST password (az), scope percent-encoded in the form.
    let form = [
        ("service", login.as_str()),
        ("grant_type", "password"),
        ("username", "Reader1"),
        ("password", &pw),
        ("scope", "repository:a:metadata_read"),
    ];
    let p: Value =
        r.e.http
            .post(r.url("/oauth2/token"))
            .form(&form)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
    assert_eq!(
        claims(p["access_token"].as_str().unwrap())["access"][0]["actions"],
        json!(["metadata_read"])
    );
    // Refusals.
    assert_eq!(
        r.access("Reader1", "wrong", &["repository:a:pull"]).await,
        Err(reqwest::StatusCode::UNAUTHORIZED)
    );
    assert_eq!(
        r.access("NoSuchToken", &pw, &["repository:a:pull"]).await,
        Err(reqwest::StatusCode::UNAUTHORIZED)
    );
    let anon = r
        .get(
            "/oauth2/token?service=x&scope=repository:a:pull",
            Auth::None,
        )
        .await;
    assert_eq!(anon.oci_error(401, "UNAUTHORIZED")["message"], AUTH_MESSAGE);
    let other_service = r
        .get(
            "/oauth2/token?service=127.0.0.1:1&scope=repository:a:pull",
            Auth::Basic("Reader1", &pw),
        )
        .await;
    other_service.oci_error(401, "UNAUTHORIZED");
    let bad_grant =
        r.e.http
            .post(r.url("/oauth2/token"))
            .form(&[("grant_type", "client_credentials")])
            .send()
            .await
            .unwrap();
    assert_eq!(bad_grant.status(), 400);
    // Invalid bearer tokens: forged expired, signed for another registry, garbage.
    let n = now();
    let expired = forge(
        r.e.dir.path(),
        &json!({"iss": "Azure Container Registry", "aud": login, "exp": n - 3600, "nbf": n - 7200, "iat": n - 7200,
        "access": [{"type": "repository", "name": "a", "actions": ["pull"]}]}),
    );
    let foreign = forge(
        r.e.dir.path(),
        &json!({"iss": "Azure Container Registry", "aud": "127.0.0.1:1", "exp": n + 3600, "nbf": n, "iat": n,
        "access": [{"type": "repository", "name": "a", "actions": ["pull"]}]}),
    );
    for bad in [expired.as_str(), foreign.as_str(), "not.a.jwt"] {
        let resp = r.get("/v2/a/manifests/v1", Auth::Bearer(bad)).await;
        resp.oci_error(401, "UNAUTHORIZED");
        assert!(
            resp.header("www-authenticate")
                .unwrap()
                .ends_with("error=\"invalid_token\"")
        );
    }
    // Basic directly on the API (ACR accepts it for username/password identities).
    assert_eq!(r.get("/v2/", Auth::Basic("Reader1", &pw)).await.status, 200);
    r.get("/v2/", Auth::Basic("Reader1", "wrong"))
        .await
        .oci_error(401, "UNAUTHORIZED");
    r.get("/v2/a/tags/list", Auth::Basic("Reader1", &pw))
        .await
        .oci_error(404, "NAME_UNKNOWN");
    r.get("/acr/v1/a/_tags", Auth::Basic("Reader1", &pw))
        .await
        .oci_error(404, "NAME_UNKNOWN");
    r.get("/v2/b/tags/list", Auth::Basic("Reader1", &pw))
        .await
        .oci_error(401, "UNAUTHORIZED");
}

#[tokio::test]
async fn entra_identities_through_exchange_get_an_owners_rights() {
    let r = Reg::start().await;
    let login = r.login.clone();
    let (sp, secret) = r.sp();
    r.push_image(Auth::Basic(&sp, &secret), "x/y", "v1", "x")
        .await;
    let exchange = |aad: String, tenant: Option<String>| {
        let r = &r;
        let login = login.clone();
        async move {
            let mut form = vec![
                ("grant_type", "access_token".to_string()),
                ("service", login),
                ("access_token", aad),
            ];
            if let Some(t) = tenant {
                form.push(("tenant", t));
            }
            r.e.http
                .post(r.url("/oauth2/exchange"))
                .form(&form)
                .send()
                .await
                .unwrap()
        }
    };
    let tenant = r.e.env.tenant_id.clone();
    // az's managed identity asks for the ACR audience; ARM-audience tokens are accepted too.
    for aud in [
        "https://containerregistry.azure.net",
        "https://management.azure.com/",
        "https://management.core.windows.net/",
    ] {
        let aad = r.e.mi_token(aud).await;
        let resp = exchange(aad, Some(tenant.clone())).await;
        assert_eq!(resp.status(), 200, "{aud}");
        let body: Value = resp.json().await.unwrap();
        assert_eq!(body.as_object().unwrap().len(), 1);
        let refresh = body["refresh_token"].as_str().unwrap().to_string();
        let c = claims(&refresh);
        assert_eq!(
            (
                c["grant_type"].as_str(),
                c["iss"].as_str(),
                c["aud"].as_str()
            ),
            (
                Some("refresh_token"),
                Some("Azure Container Registry"),
                Some(login.as_str())
            )
        );
        assert_eq!(c["tenant"], tenant.as_str());
        assert_eq!(
            c["permissions"],
            json!({"actions": ["*"], "notActions": []})
        );
        // refresh_token grant → access token for any scope.
        let form = [
            ("grant_type", "refresh_token"),
            ("service", login.as_str()),
            ("scope", "registry:catalog:*"),
            ("refresh_token", &refresh),
        ];
        let t: Value =
            r.e.http
                .post(r.url("/oauth2/token"))
                .form(&form)
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
        let access = t["access_token"].as_str().unwrap();
        assert_eq!(
            claims(access)["access"],
            json!([{"type": "registry", "name": "catalog", "actions": ["*"]}])
        );
        assert_eq!(
            r.get("/v2/_catalog", Auth::Bearer(access)).await.json(),
            json!({"repositories": ["x/y"]})
        );
        // The refresh token as the null user's password (az acr login → docker login).
        let t = r
            .access(
                "00000000-0000-0000-0000-000000000000",
                &refresh,
                &["repository:x/y:*"],
            )
            .await
            .unwrap();
        assert_eq!(
            claims(&t)["access"][0]["actions"],
            json!(["delete", "metadata_read", "metadata_write", "pull", "push"])
        );
        // A refresh token is not an access token.
        r.get("/v2/_catalog", Auth::Bearer(&refresh))
            .await
            .oci_error(401, "UNAUTHORIZED");
        let form = [
            ("grant_type", "refresh_token"),
            ("service", login.as_str()),
            ("scope", "registry:catalog:*"),
            ("refresh_token", access),
        ];
        assert_eq!(
            r.e.http
                .post(r.url("/oauth2/token"))
                .form(&form)
                .send()
                .await
                .unwrap()
                .status(),
            401
        );
    }
    // The service principal's client-credentials token works the same way.
    let sp_token: Value =
        r.e.http
            .post(format!("{}/{tenant}/oauth2/v2.0/token", r.e.env.authority))
            .form(&[
                ("grant_type", "client_credentials"),
                ("client_id", &sp),
                ("client_secret", &secret),
                ("scope", "https://containerregistry.azure.net/.default"),
            ])
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
    assert_eq!(
        exchange(sp_token["access_token"].as_str().unwrap().to_string(), None)
            .await
            .status(),
        200
    );
    // Refused: another audience, another tenant, a forged or foreign token, a bad grant type.
    assert_eq!(
        exchange(r.e.mi_token("https://vault.azure.net").await, None)
            .await
            .status(),
        401
    );
    assert_eq!(
        exchange(
            r.e.mi_token("https://containerregistry.azure.net").await,
            Some("00000000-1111-2222-3333-444444444444".into())
        )
        .await
        .status(),
        401
    );
    let n = now();
    let other_tenant = forge(
        r.e.dir.path(),
        &json!({"aud": "https://containerregistry.azure.net", "iss": "x", "iat": n, "nbf": n, "exp": n + 600, "tid": "other", "oid": "o"}),
    );
    assert_eq!(exchange(other_tenant, None).await.status(), 401);
    let federated = std::fs::read_to_string(&r.e.env.federated_token_file).unwrap();
    assert_eq!(exchange(federated, None).await.status(), 401);
    assert_eq!(exchange("garbage".into(), None).await.status(), 401);
    let bad =
        r.e.http
            .post(r.url("/oauth2/exchange"))
            .form(&[("grant_type", "password")])
            .send()
            .await
            .unwrap();
    assert_eq!(bad.status(), 400);
}

#[tokio::test]
async fn admin_user_and_service_principal_basic_credentials() {
    let r = Reg::start().await;
    let path = r.e.reg();
    let (sp, secret) = r.sp();
    r.push_image(Auth::Basic(&sp, &secret), "admin/seen", "v1", "a")
        .await;
    assert_eq!(
        r.get("/v2/_catalog", Auth::Basic(&sp, &secret))
            .await
            .status,
        200
    );
    assert_eq!(
        r.get("/v2/_catalog", Auth::Basic(&sp, "wrong"))
            .await
            .status,
        401
    );
    // The admin user exists only while adminUserEnabled.
    let p =
        r.e.arm(
            "PATCH",
            &path,
            Some(json!({"properties": {"adminUserEnabled": true}})),
        )
        .await;
    assert_eq!(p.status, 200);
    let c =
        r.e.arm("POST", &format!("{path}/listCredentials"), None)
            .await;
    let user = c.body["username"].as_str().unwrap().to_string();
    let pw = c.body["passwords"][0]["value"]
        .as_str()
        .unwrap()
        .to_string();
    let t = r.access(&user, &pw, &["registry:catalog:*"]).await.unwrap();
    assert_eq!(
        r.get("/v2/_catalog", Auth::Bearer(&t)).await.json()["repositories"],
        json!(["admin/seen"])
    );
    let pw2 = c.body["passwords"][1]["value"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(
        r.get("/acr/v1/admin/seen/_tags", Auth::Basic(&user, &pw2))
            .await
            .status,
        200
    );
    r.e.arm(
        "PATCH",
        &path,
        Some(json!({"properties": {"adminUserEnabled": false}})),
    )
    .await;
    assert!(r.access(&user, &pw, &["registry:catalog:*"]).await.is_err());
}

#[tokio::test]
async fn system_scope_maps_and_the_catalog_rule() {
    let r = Reg::start().await;
    let reg = r.e.reg();
    let cases: [(&str, &[&str], bool); 5] = [
        (
            "_repositories_admin",
            &["delete", "metadata_read", "metadata_write", "pull", "push"],
            true,
        ),
        ("_repositories_pull", &["pull"], false),
        (
            "_repositories_pull_metadata_read",
            &["metadata_read", "pull"],
            true,
        ),
        ("_repositories_push", &["pull", "push"], false),
        (
            "_repositories_push_metadata_write",
            &["metadata_read", "metadata_write", "pull", "push"],
            true,
        ),
    ];
    for (i, (map, actions, catalog)) in cases.iter().enumerate() {
        let name = format!("sys{i}tok");
        assert!(r.e.create_token(&name, map).await.status.is_success());
        let g = r.e.generate(&name, json!({"name": "password1"})).await;
        let pw = g.body["passwords"][0]["value"]
            .as_str()
            .unwrap()
            .to_string();
        // Wildcard: a repository nobody has pushed yet.
        let t = r
            .access(
                &name,
                &pw,
                &["repository:never/pushed:*", "registry:catalog:*"],
            )
            .await
            .unwrap();
        let c = claims(&t);
        assert_eq!(c["access"][0]["actions"], json!(actions), "{map}");
        assert_eq!(c["access"][1]["actions"] == json!(["*"]), *catalog, "{map}");
    }
    // Repository-scoped rights never see the catalog, prefix wildcards included.
    for (name, actions) in [
        (
            "scoped1",
            vec![
                "repositories/a/metadata/read",
                "repositories/a/content/read",
            ],
        ),
        ("scoped2", vec!["repositories/samples/*/metadata/read"]),
    ] {
        let pw = r.token(name, &actions).await;
        let t = r.access(name, &pw, &["registry:catalog:*"]).await.unwrap();
        assert_eq!(claims(&t)["access"][0]["actions"], json!([]));
        r.get("/v2/_catalog", Auth::Bearer(&t))
            .await
            .oci_error(401, "UNAUTHORIZED");
        r.get("/acr/v1/_catalog", Auth::Basic(name, &pw))
            .await
            .oci_error(401, "UNAUTHORIZED");
    }
    let pw = r.token("widetok", &["repositories/*/metadata/read"]).await;
    assert_eq!(
        r.get("/v2/_catalog", Auth::Basic("widetok", &pw))
            .await
            .status,
        200
    );
    // skopeo delete asks for `*` and then `*` plus `delete`: everything granted.
    let pw = r
        .token(
            "deleter",
            &[
                "repositories/d/content/read",
                "repositories/d/content/delete",
            ],
        )
        .await;
    let t = r
        .access("deleter", &pw, &["repository:d:*", "repository:d:delete"])
        .await
        .unwrap();
    assert_eq!(
        claims(&t)["access"],
        json!([{"type": "repository", "name": "d", "actions": ["delete", "pull"]}])
    );
    let _ = reg;
}

#[tokio::test]
async fn token_and_scope_map_changes_apply_at_the_next_token_request() {
    let r = Reg::start().await;
    let reg = r.e.reg();
    let (sp, secret) = r.sp();
    r.push_image(Auth::Basic(&sp, &secret), "c/one", "v1", "one")
        .await;
    let pw = r
        .token("Changer", &["repositories/c/one/content/read"])
        .await;
    let before = r
        .access("Changer", &pw, &["repository:c/one:pull"])
        .await
        .unwrap();
    assert_eq!(
        r.get("/v2/c/one/manifests/v1", Auth::Bearer(&before))
            .await
            .status,
        200
    );

    r.set_actions("Changer", &["repositories/c/two/content/read"])
        .await;
    // An access token already issued keeps its claims until it expires (short-lived)...
    assert_eq!(
        r.get("/v2/c/one/manifests/v1", Auth::Bearer(&before))
            .await
            .status,
        200
    );
    // ...the next token request and Basic credentials see the new map at once.
    let after = r
        .access("Changer", &pw, &["repository:c/one:pull"])
        .await
        .unwrap();
    assert_eq!(claims(&after)["access"][0]["actions"], json!([]));
    assert_eq!(
        r.get("/v2/c/one/manifests/v1", Auth::Bearer(&after))
            .await
            .status,
        401
    );
    assert_eq!(
        r.get("/v2/c/one/manifests/v1", Auth::Basic("Changer", &pw))
            .await
            .status,
        401
    );

    // Another scope map for the token.
    assert!(
        r.e.create_scope_map("other-map", &["repositories/c/one/content/read"])
            .await
            .status
            .is_success()
    );
    let token_path = format!("{reg}/tokens/Changer");
    let patch = |body: Value| r.e.arm("PATCH", &token_path, Some(body));
    assert_eq!(
        patch(json!({"properties": {"scopeMapId": format!("{reg}/scopeMaps/other-map")}}))
            .await
            .status,
        200
    );
    assert_eq!(
        r.get("/v2/c/one/manifests/v1", Auth::Basic("Changer", &pw))
            .await
            .status,
        200
    );
    // Disabled: nothing, by any path; enabled again: back.
    assert_eq!(
        patch(json!({"properties": {"status": "disabled"}}))
            .await
            .status,
        200
    );
    assert!(
        r.access("Changer", &pw, &["repository:c/one:pull"])
            .await
            .is_err()
    );
    assert_eq!(r.get("/v2/", Auth::Basic("Changer", &pw)).await.status, 401);
    assert_eq!(
        patch(json!({"properties": {"status": "enabled"}}))
            .await
            .status,
        200
    );
    assert!(
        r.access("Changer", &pw, &["repository:c/one:pull"])
            .await
            .is_ok()
    );
    // A regenerated password replaces the old one; a deleted password is refused.
    let g = r.e.generate("Changer", json!({"name": "password1"})).await;
    let new_pw = g.body["passwords"][0]["value"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        r.access("Changer", &pw, &["repository:c/one:pull"])
            .await
            .is_err()
    );
    assert!(
        r.access("Changer", &new_pw, &["repository:c/one:pull"])
            .await
            .is_ok()
    );
    let g2 = r.e.generate("Changer", json!({"name": "password2"})).await;
    let pw2 = g2.body["passwords"][0]["value"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(
        patch(json!({"properties": {"credentials": {"passwords": [{"name": "password2"}]}}}))
            .await
            .status,
        200
    );
    assert!(
        r.access("Changer", &new_pw, &["repository:c/one:pull"])
            .await
            .is_err()
    );
    assert!(
        r.access("Changer", &pw2, &["repository:c/one:pull"])
            .await
            .is_ok()
    );
    // A deleted token: nothing.
    assert!(
        r.e.arm("DELETE", &format!("{reg}/tokens/Changer"), None)
            .await
            .status
            .is_success()
    );
    assert!(
        r.access("Changer", &pw2, &["repository:c/one:pull"])
            .await
            .is_err()
    );
    assert_eq!(
        r.get("/v2/", Auth::Basic("Changer", &pw2)).await.status,
        401
    );
}
