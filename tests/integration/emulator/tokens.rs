//! Tokens and generateCredentials over HTTPS: shapes (validated against the swagger), status
//! codes, LRO headers, PATCH/PUT semantics for passwords, every validation rule, per-SKU
//! limits under concurrency, the asynchronous mode, paging and fault injection.

use acr::emulator::RegistrySpec;
use serde_json::{Value, json};

use crate::support::Emu;
use crate::support::swagger::assert_valid;

fn is_guid_suffixed(url: &str, prefix: &str) -> bool {
    let Some(rest) = url.split(prefix).nth(1) else {
        return false;
    };
    let id = rest.split('?').next().unwrap();
    uuid::Uuid::parse_str(id).is_ok()
}

#[tokio::test]
async fn token_lifecycle_shapes_headers_and_password_semantics() {
    let e = Emu::start().await;
    let reg = e.reg();
    assert_eq!(
        e.create_scope_map("readers", &["repositories/hello/content/read"])
            .await
            .status,
        200
    );

    // PUT → 201 + Azure-AsyncOperation and `Creating`, as the service answers (recordings).
    let r = e.create_token("MyToken", "readers").await;
    assert_eq!(r.status, 201, "{}", r.body);
    assert_valid("Token", &r.body);
    let op = r.header("azure-asyncoperation").unwrap().to_string();
    assert!(
        op.starts_with(&format!(
            "{}{reg}/tokens/MyToken/operationStatuses/token-",
            e.url("")
        )),
        "{op}"
    );
    assert!(op.ends_with("?api-version=2025-04-01"), "{op}");
    assert!(is_guid_suffixed(&op, "operationStatuses/token-"), "{op}");
    assert_eq!(r.header("retry-after"), Some("1"));
    assert!(uuid::Uuid::parse_str(r.header("x-ms-request-id").unwrap()).is_ok());
    assert!(r.header("x-ms-correlation-request-id").is_some());
    assert_eq!(r.body["properties"]["provisioningState"], "Creating");
    assert_eq!(r.body["properties"]["status"], "enabled");
    assert_eq!(
        r.body["properties"]["scopeMapId"],
        format!("{reg}/scopeMaps/readers")
    );
    assert_eq!(
        r.body["properties"]["credentials"],
        json!({"passwords": []})
    );
    assert_eq!(r.body["systemData"]["createdByType"], "ManagedIdentity");
    let created = r.body["properties"]["creationDate"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        created.ends_with("+00:00") && created.split('.').nth(1).unwrap().len() == 7 + 6,
        "{created}"
    );

    let s = e.arm("GET", &op, None).await;
    assert_eq!(s.status, 200);
    assert_valid("OperationStatusResult", &s.body);
    // Only the status, as recorded; the poll answer repeats the status URL.
    assert_eq!(s.body, json!({"status": "Succeeded"}));
    assert_eq!(s.header("azure-asyncoperation"), Some(op.as_str()));

    // Both passwords when no name is given; values only here.
    let g = e.generate("MyToken", json!({})).await;
    assert_eq!(g.status, 200, "{}", g.body);
    assert_valid("GenerateCredentialsResult", &g.body);
    assert_eq!(g.body["username"], "MyToken");
    let pw = g.body["passwords"].as_array().unwrap();
    assert_eq!(pw.len(), 2);
    assert_eq!(pw[0]["name"], "password1");
    assert_eq!(pw[1]["name"], "password2");
    for p in pw {
        let v = p["value"].as_str().unwrap();
        assert_eq!(v.len(), 52);
        assert_eq!(&v[42..46], "+ACR");
        assert!(p.get("expiry").is_none(), "no expiry key when none was set");
    }
    assert_ne!(pw[0]["value"], pw[1]["value"]);

    // One password with an expiry: echoed with +00:00.
    let g = e
        .generate(
            "MyToken",
            json!({"name": "password2", "expiry": "2030-06-30T12:00:00Z"}),
        )
        .await;
    assert_eq!(g.status, 200);
    assert_eq!(g.body["passwords"].as_array().unwrap().len(), 1);
    assert_eq!(
        g.body["passwords"][0]["expiry"],
        "2030-06-30T12:00:00+00:00"
    );
    let g = e
        .generate(
            "mytoken",
            json!({"name": "password1", "expiry": "2026-12-23T19:10:02.649097Z"}),
        )
        .await;
    // Echoed without trailing zeros, as the service answers (recordings of 2021 and 2025).
    assert_eq!(
        g.body["passwords"][0]["expiry"],
        "2026-12-23T19:10:02.649097+00:00"
    );

    // GET never shows values; names are looked up case-insensitively and keep their casing.
    let t = e.arm("GET", &format!("{reg}/tokens/MYTOKEN"), None).await;
    assert_eq!(t.status, 200);
    assert_valid("Token", &t.body);
    assert_eq!(t.body["name"], "MyToken");
    let pws = t.body["properties"]["credentials"]["passwords"]
        .as_array()
        .unwrap();
    assert_eq!(pws.len(), 2);
    assert!(pws.iter().all(|p| p.get("value").is_none()));

    // PATCH: the listed passwords are the ones kept.
    let p = e
        .arm(
            "PATCH",
            &format!("{reg}/tokens/MyToken"),
            Some(json!({"properties": {"credentials": {"passwords": [{"name": "password2"}]}}})),
        )
        .await;
    assert_eq!(p.status, 200, "{}", p.body);
    assert_valid("Token", &p.body);
    let names: Vec<&str> = p.body["properties"]["credentials"]["passwords"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["password2"]);
    // PATCH with only status leaves scope map and passwords alone.
    let p = e
        .arm(
            "PATCH",
            &format!("{reg}/tokens/MyToken"),
            Some(json!({"properties": {"status": "disabled"}})),
        )
        .await;
    assert_eq!(p.body["properties"]["status"], "disabled");
    assert_eq!(
        p.body["properties"]["scopeMapId"],
        format!("{reg}/scopeMaps/readers")
    );
    assert_eq!(
        p.body["properties"]["credentials"]["passwords"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_ne!(
        p.body["systemData"]["lastModifiedAt"],
        p.body["systemData"]["createdAt"]
    );

    // PUT on an existing token replaces it (200), keeping passwords when none are listed.
    let r = e.create_token("MyToken", "_repositories_pull").await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body["properties"]["status"], "enabled");
    assert_eq!(
        r.body["properties"]["scopeMapId"],
        format!("{reg}/scopeMaps/_repositories_pull")
    );
    assert_eq!(
        r.body["properties"]["credentials"]["passwords"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    // An empty list removes every password.
    let p = e
        .arm(
            "PATCH",
            &format!("{reg}/tokens/MyToken"),
            Some(json!({"properties": {"credentials": {"passwords": []}}})),
        )
        .await;
    assert_eq!(p.body["properties"]["credentials"]["passwords"], json!([]));

    let l = e.arm("GET", &format!("{reg}/tokens"), None).await;
    assert_eq!(l.status, 200);
    assert_valid("TokenListResult", &l.body);
    assert_eq!(l.body["value"].as_array().unwrap().len(), 1);
    assert!(l.body.get("nextLink").is_none());

    let d = e
        .arm("DELETE", &format!("{reg}/tokens/MyToken"), None)
        .await;
    assert_eq!(d.status, 200);
    let d = e
        .arm("DELETE", &format!("{reg}/tokens/MyToken"), None)
        .await;
    assert_eq!(d.status, 204);
    let g = e.arm("GET", &format!("{reg}/tokens/MyToken"), None).await;
    assert_valid("ErrorResponse", &g.body);
    assert_eq!(
        g.arm_error(404, "ResourceNotFound"),
        "The resource MyToken could not be found."
    );
    let g = e.generate("MyToken", json!({})).await;
    g.arm_error(404, "ResourceNotFound");
}

#[tokio::test]
async fn token_rules_give_precise_arm_errors() {
    let e = Emu::start_with(vec![
        "myregistry".parse().unwrap(),
        "otherreg:Basic".parse().unwrap(),
    ])
    .await;
    let reg = e.reg();
    let other = e.registry_id_of("otherreg");
    let put = |name: &str, body: Value| {
        let path = format!("{reg}/tokens/{name}");
        let e = &e;
        async move { e.arm("PUT", &path, Some(body)).await }
    };
    let sm = |n: &str| format!("{reg}/scopeMaps/{n}");

    for bad in ["abcd", "bad_name", "bad%20name%21", &"a".repeat(51)] {
        let r = put(
            bad,
            json!({"properties": {"scopeMapId": sm("_repositories_pull")}}),
        )
        .await;
        let m = r.arm_error(400, "InvalidResourceName");
        assert!(m.contains("alpha numeric characters and hyphens"), "{m}");
    }
    let cases: Vec<(Value, u16, &str, &str)> = vec![
        (
            json!({"properties": {}}),
            400,
            "BadRequest",
            "scopeMapId is required",
        ),
        (json!({}), 400, "InvalidRequestContent", "'properties'"),
        (
            json!({"properties": {"scopeMapId": "readers"}}),
            400,
            "LinkedInvalidPropertyId",
            "Property id 'readers' at path 'properties.scopeMapId' is invalid",
        ),
        (
            json!({"properties": {"scopeMapId": format!("{reg}/tokens/x")}}),
            400,
            "LinkedInvalidPropertyId",
            "is invalid",
        ),
        (
            json!({"properties": {"scopeMapId": format!("{other}/scopeMaps/_repositories_pull")}}),
            400,
            "BadRequest",
            "must belong to the registry",
        ),
        (
            json!({"properties": {"scopeMapId": sm("nosuchmap")}}),
            400,
            "BadRequest",
            "'nosuchmap' referenced by properties.scopeMapId does not exist",
        ),
        (
            json!({"properties": {"scopeMapId": sm("_repositories_pull"), "status": "paused"}}),
            400,
            "InvalidRequestContent",
            "Allowed values: enabled, disabled",
        ),
        (
            json!({"properties": {"scopeMapId": sm("_repositories_pull"), "status": 1}}),
            400,
            "InvalidRequestContent",
            "Error converting value 1 to type 'System.String'. Path 'properties.status'",
        ),
        (
            json!({"properties": {"scopeMapId": sm("_repositories_pull"), "colour": "red"}}),
            400,
            "InvalidRequestContent",
            "Could not find member 'colour' on object of type 'TokenProperties'. Path 'properties.colour'",
        ),
        (
            json!({"properties": {"scopeMapId": sm("_repositories_pull")}, "location": "x"}),
            400,
            "InvalidRequestContent",
            "Could not find member 'location'",
        ),
        (
            json!({"properties": "x"}),
            400,
            "InvalidRequestContent",
            "Path 'properties'",
        ),
        (
            json!({"properties": {"scopeMapId": sm("_repositories_pull"), "credentials": {"passwords": [{"name": "password1"}, {"name": "password2"}, {"name": "password1"}]}}}),
            400,
            "BadRequest",
            "at most two passwords",
        ),
        (
            json!({"properties": {"scopeMapId": sm("_repositories_pull"), "credentials": {"passwords": [{"name": "password1"}, {"name": "password1"}]}}}),
            400,
            "BadRequest",
            "more than once",
        ),
        (
            json!({"properties": {"scopeMapId": sm("_repositories_pull"), "credentials": {"passwords": [{"name": "password3"}]}}}),
            400,
            "InvalidRequestContent",
            "password1, password2",
        ),
        (
            json!({"properties": {"scopeMapId": sm("_repositories_pull"), "credentials": {"passwords": [{}]}}}),
            400,
            "InvalidRequestContent",
            "Required property 'name'",
        ),
        (
            json!({"properties": {"scopeMapId": sm("_repositories_pull"), "credentials": {"certificates": [{"name": "certificate1"}, {"name": "certificate2"}, {"name": "certificate1"}]}}}),
            400,
            "BadRequest",
            "at most two certificates",
        ),
        (
            json!({"properties": {"scopeMapId": sm("_repositories_pull"), "credentials": {"certificates": [{"name": "certificate1", "encodedPemCertificate": "bm90IGEgY2VydA=="}]}}}),
            400,
            "BadRequest",
            "base64 encoding of a PEM certificate",
        ),
    ];
    for (body, status, code, needle) in cases {
        let r = put("tok-rules", body.clone()).await;
        assert_valid("ErrorResponse", &r.body);
        let m = r.arm_error(status, code);
        assert!(m.contains(needle), "{body}: {m}");
    }
    // Malformed JSON and an empty body.
    let r = e
        .raw(
            "PUT",
            &format!("{reg}/tokens/tok-rules"),
            "application/json",
            "{\"properties\": ",
        )
        .await;
    assert!(
        r.arm_error(400, "InvalidRequestContent")
            .contains("Invalid JSON")
    );
    let r = e
        .raw(
            "PUT",
            &format!("{reg}/tokens/tok-rules"),
            "application/json",
            "",
        )
        .await;
    r.arm_error(400, "InvalidRequestContent");
    // Read-only members echoed from a GET are accepted; member names are case-insensitive.
    let r = put(
        "tok-rules",
        json!({"id": "x", "name": "y", "type": "z", "Properties": {"ScopeMapId": sm("_REPOSITORIES_PULL"), "provisioningState": "Succeeded", "creationDate": "2020-01-01T00:00:00Z"}}),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(r.body["properties"]["scopeMapId"], sm("_repositories_pull"));

    // generateCredentials rules.
    let gen_path = format!("{reg}/generateCredentials");
    let gen_cases: Vec<(Value, u16, &str, &str)> = vec![
        (json!({}), 400, "BadRequest", "tokenId is required"),
        (
            json!({"tokenId": "tok-rules"}),
            400,
            "LinkedInvalidPropertyId",
            "at path 'tokenId'",
        ),
        (
            json!({"tokenId": format!("{other}/tokens/tok-rules")}),
            400,
            "BadRequest",
            "must belong to the registry",
        ),
        (
            json!({"tokenId": format!("{reg}/tokens/tok-rules"), "name": "password3"}),
            400,
            "InvalidRequestContent",
            "Allowed values",
        ),
        (
            json!({"tokenId": format!("{reg}/tokens/tok-rules"), "expiry": "soon"}),
            400,
            "InvalidRequestContent",
            "Could not convert string to DateTime: soon",
        ),
        (
            json!({"tokenId": format!("{reg}/tokens/tok-rules"), "extra": 1}),
            400,
            "InvalidRequestContent",
            "Could not find member 'extra'",
        ),
        (
            json!({"tokenId": format!("{reg}/tokens/nosuchtoken")}),
            404,
            "ResourceNotFound",
            "The resource nosuchtoken could not be found.",
        ),
    ];
    for (body, status, code, needle) in gen_cases {
        let r = e.arm("POST", &gen_path, Some(body.clone())).await;
        let m = r.arm_error(status, code);
        assert!(m.contains(needle), "{body}: {m}");
    }
    // Unknown registry: parent not found; PATCH of a missing token: 404.
    let r = e
        .arm(
            "GET",
            &format!("{}/tokens", e.registry_id_of("nosuchreg")),
            None,
        )
        .await;
    assert!(
        r.arm_error(404, "ParentResourceNotFound")
            .contains("registries/nosuchreg")
    );
    let r = e
        .arm(
            "PATCH",
            &format!("{reg}/tokens/missing-token"),
            Some(json!({"properties": {"status": "enabled"}})),
        )
        .await;
    r.arm_error(404, "ResourceNotFound");
}

#[tokio::test]
async fn certificates_are_stored_without_their_pem() {
    let e = Emu::start().await;
    let root = env!("CARGO_MANIFEST_DIR");
    let ex: Value = serde_json::from_slice(
        &std::fs::read(format!(
            "{root}/tests/data/azure-specs/mgmt-2025-04-01/examples/TokenCreate.json"
        ))
        .unwrap(),
    )
    .unwrap();
    let pem = ex["parameters"]["tokenCreateParameters"]["properties"]["credentials"]["certificates"][0]["encodedPemCertificate"]
        .as_str()
        .unwrap()
        .to_string();
    let body = json!({"properties": {"scopeMapId": format!("{}/scopeMaps/_repositories_pull", e.reg()),
        "credentials": {"certificates": [{"name": "certificate1", "encodedPemCertificate": pem, "thumbprint": "ignored", "expiry": "2020-12-04T15:32:48Z"}]}}});
    let r = e
        .arm("PUT", &format!("{}/tokens/certtoken", e.reg()), Some(body))
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    assert_valid("Token", &r.body);
    let c = &r.body["properties"]["credentials"]["certificates"][0];
    assert_eq!(c["name"], "certificate1");
    assert_eq!(c["thumbprint"], "feeb79a888bf1415f8e17c4965a2a5bb5c8a2ff7");
    // Both derived from the certificate (its SHA-1 and notAfter), not taken from the request.
    assert_eq!(c["expiry"], "2020-04-12T22:32:48+00:00");
    assert!(c.get("encodedPemCertificate").is_none());
}

#[tokio::test]
async fn basic_token_limit_holds_under_concurrent_creates() {
    let e = std::sync::Arc::new(
        Emu::start_with(vec![RegistrySpec {
            name: "basicreg".into(),
            sku: acr::emulator::Sku::Basic,
        }])
        .await,
    );
    let reg = e.registry_id_of("basicreg");
    let mut tasks = Vec::new();
    for i in 0..110 {
        let (e, reg) = (e.clone(), reg.clone());
        tasks.push(tokio::spawn(async move {
            let body = json!({"properties": {"scopeMapId": format!("{reg}/scopeMaps/_repositories_pull")}});
            e.arm("PUT", &format!("{reg}/tokens/token-{i:03}"), Some(body)).await
        }));
    }
    let (mut created, mut refused) = (0, 0);
    for t in tasks {
        let r = t.await.unwrap();
        match r.status.as_u16() {
            201 => created += 1,
            409 => {
                let m = r.arm_error(409, "QuotaExceeded");
                assert!(m.contains("limit of 100 tokens"), "{m}");
                refused += 1;
            }
            s => panic!("unexpected {s}: {}", r.body),
        }
    }
    assert_eq!((created, refused), (100, 10));
    // Concurrent updates of the same token keep it consistent.
    let mut tasks = Vec::new();
    for i in 0..20 {
        let (e, reg) = (e.clone(), reg.clone());
        tasks.push(tokio::spawn(async move {
            let status = if i % 2 == 0 { "enabled" } else { "disabled" };
            e.arm(
                "PATCH",
                &format!("{reg}/tokens/token-000"),
                Some(json!({"properties": {"status": status}})),
            )
            .await
            .status
        }));
    }
    for t in tasks {
        assert_eq!(t.await.unwrap(), 200);
    }
    let l = e.arm("GET", &format!("{reg}/tokens"), None).await;
    assert_eq!(l.body["value"].as_array().unwrap().len(), 100);
}
