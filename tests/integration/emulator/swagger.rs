//! The management swagger validator of `support::swagger` checked against the 2025-04-01
//! examples it must accept and the mistakes it must catch.

use serde_json::{Value, json};

use crate::support::swagger::{assert_valid, errors};

fn example(file: &str, status: &str) -> Value {
    let root = env!("CARGO_MANIFEST_DIR");
    let v: Value = serde_json::from_slice(
        &std::fs::read(format!(
            "{root}/tests/data/azure-specs/mgmt-2025-04-01/examples/{file}"
        ))
        .unwrap(),
    )
    .unwrap();
    v["responses"][status]["body"].clone()
}

#[test]
fn the_validator_accepts_the_swagger_examples() {
    for (file, status, def) in [
        ("TokenGet.json", "200", "Token"),
        ("TokenCreate.json", "201", "Token"),
        ("TokenList.json", "200", "TokenListResult"),
        ("TokenUpdate.json", "200", "Token"),
        ("ScopeMapGet.json", "200", "ScopeMap"),
        ("ScopeMapList.json", "200", "ScopeMapListResult"),
        ("ScopeMapCreate.json", "201", "ScopeMap"),
        (
            "RegistryGenerateCredentials.json",
            "200",
            "GenerateCredentialsResult",
        ),
    ] {
        let body = example(file, status);
        assert!(!body.is_null(), "{file}");
        assert_valid(def, &body);
    }
}

#[test]
fn the_validator_rejects_what_it_should() {
    let good = example("TokenGet.json", "200");
    let mut bad = good.clone();
    bad["properties"]["status"] = json!("paused");
    assert!(
        errors("Token", &bad)
            .iter()
            .any(|e| e.contains("not in enum"))
    );
    let mut bad = good.clone();
    bad["properties"]["creationDate"] = json!("yesterday");
    assert!(
        errors("Token", &bad)
            .iter()
            .any(|e| e.contains("date-time"))
    );
    let mut bad = good.clone();
    bad["properties"]["scopeMapId"] = json!(5);
    assert!(
        errors("Token", &bad)
            .iter()
            .any(|e| e.contains("expected string"))
    );
    let mut bad = good.clone();
    bad["properties"]["colour"] = json!("red");
    assert!(
        errors("Token", &bad)
            .iter()
            .any(|e| e.contains("not defined"))
    );
    let mut bad = good.clone();
    bad["systemData"] = json!({"createdByType": "Robot"});
    assert!(errors("Token", &bad).iter().any(|e| e.contains("Robot")));
    // Required, through allOf (Resource requires location) and directly (sku).
    let e = errors("Registry", &json!({"name": "x"}));
    assert!(
        e.iter().any(|m| m.contains("'sku'")) && e.iter().any(|m| m.contains("'location'")),
        "{e:?}"
    );
    // additionalProperties: tags values must be strings.
    let e = errors(
        "Registry",
        &json!({"location": "x", "sku": {"name": "Basic"}, "tags": {"a": 1}}),
    );
    assert!(e.iter().any(|m| m.contains("tags.a")), "{e:?}");
    // The relative common-types reference.
    assert_valid(
        "ErrorResponse",
        &json!({"error": {"code": "A", "message": "B"}}),
    );
    assert!(!errors("ErrorResponse", &json!({"error": {"code": 1}})).is_empty());
    assert!(!errors("OperationStatusResult", &json!({"id": "x"})).is_empty());
    // readOnly properties in a response are fine.
    assert_valid(
        "TokenPassword",
        &json!({"name": "password1", "value": "x", "creationTime": "2020-01-01T00:00:00+00:00"}),
    );
}
