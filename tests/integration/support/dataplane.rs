//! A small validator for the shapes of the 2021-07-01 data-plane swagger (`type`,
//! `properties`, `required`, `items`, `$ref`): [`assert_shape`] checks an `/acr/v1` or
//! `/oauth2` answer against one definition. Unknown properties are errors, `mediaType` on
//! manifests excepted (the service returns it though the model lacks it).

use std::sync::OnceLock;

use serde_json::Value;

fn dataplane() -> &'static Value {
    static S: OnceLock<Value> = OnceLock::new();
    S.get_or_init(|| {
        let p = format!(
            "{}/tests/data/azure-specs/dataplane-2021-07-01/containerregistry.json",
            env!("CARGO_MANIFEST_DIR")
        );
        serde_json::from_slice(&std::fs::read(p).unwrap()).unwrap()
    })
}

fn deref(s: &Value) -> &Value {
    match s.get("$ref").and_then(Value::as_str) {
        Some(r) => deref(
            dataplane()
                .pointer(r.trim_start_matches('#'))
                .unwrap_or_else(|| panic!("unresolved {r}")),
        ),
        None => s,
    }
}

fn check(schema: &Value, v: &Value, at: &str, errors: &mut Vec<String>) {
    let s = deref(schema);
    match s.get("type").and_then(Value::as_str) {
        Some("string") if !v.is_string() => {
            errors.push(format!("{at}: expected a string, got {v}"))
        }
        Some("integer") if !v.is_i64() => {
            errors.push(format!("{at}: expected an integer, got {v}"))
        }
        Some("boolean") if !v.is_boolean() => {
            errors.push(format!("{at}: expected a boolean, got {v}"))
        }
        Some("array") => match v.as_array() {
            None => errors.push(format!("{at}: expected an array, got {v}")),
            Some(items) => {
                for (i, item) in items.iter().enumerate() {
                    check(&s["items"], item, &format!("{at}[{i}]"), errors);
                }
            }
        },
        _ => {}
    }
    if let Some(props) = s.get("properties").and_then(Value::as_object) {
        let Some(o) = v.as_object() else {
            errors.push(format!("{at}: expected an object, got {v}"));
            return;
        };
        for r in s
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
        {
            if !o.contains_key(r) {
                errors.push(format!("{at}: missing required '{r}'"));
            }
        }
        for (k, val) in o {
            match props.get(k) {
                Some(p) => check(p, val, &format!("{at}.{k}"), errors),
                // The service returns `mediaType` on manifests though the model lacks it
                // (rest-api.md §15); everything else must be in the model.
                None if k == "mediaType" => {}
                None => errors.push(format!("{at}: unknown property '{k}'")),
            }
        }
    }
}

/// Asserts that `v` matches definition `def` of the data-plane swagger (unknown properties
/// are errors, `mediaType` on manifests excepted).
#[track_caller]
pub fn assert_shape(def: &str, v: &Value) {
    let schema = &dataplane()["definitions"][def];
    assert!(!schema.is_null(), "no definition {def}");
    let mut errors = Vec::new();
    check(schema, v, def, &mut errors);
    assert!(
        errors.is_empty(),
        "{v}\ndoes not match {def}:\n{}",
        errors.join("\n")
    );
}
