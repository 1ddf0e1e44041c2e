//! A small validator for the subset of Swagger 2.0 the ACR management description uses
//! (`type`, `properties`, `required`, `enum`, `format: date-time`, `items`, `allOf`, `$ref`
//! including the relative common-types reference, `additionalProperties`), so every emulator
//! response can be checked against the 2025-04-01 definitions. Unknown properties are errors
//! (stricter than Swagger's default) to catch misspelt fields; `readOnly` never makes a
//! response invalid.

use std::sync::OnceLock;

use serde_json::{Map, Value};

const MGMT: &str = "tests/data/azure-specs/mgmt-2025-04-01/containerregistry.json";
const COMMON: &str = "tests/data/azure-specs/common-types/resource-management/v6/types.json";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Doc {
    Mgmt,
    Common,
}

struct Specs {
    mgmt: Value,
    common: Value,
}

fn specs() -> &'static Specs {
    static S: OnceLock<Specs> = OnceLock::new();
    S.get_or_init(|| {
        let root = env!("CARGO_MANIFEST_DIR");
        let load = |p: &str| -> Value {
            serde_json::from_slice(&std::fs::read(format!("{root}/{p}")).unwrap()).unwrap()
        };
        Specs {
            mgmt: load(MGMT),
            common: load(COMMON),
        }
    })
}

fn doc(d: Doc) -> &'static Value {
    match d {
        Doc::Mgmt => &specs().mgmt,
        Doc::Common => &specs().common,
    }
}

fn resolve(from: Doc, r: &str) -> (Doc, &'static Value) {
    let (target, pointer) = match r.split_once('#') {
        Some(("", p)) => (from, p),
        Some((file, p)) if file.ends_with("common-types/resource-management/v6/types.json") => {
            (Doc::Common, p)
        }
        _ => panic!("unsupported $ref {r}"),
    };
    let v = doc(target)
        .pointer(pointer)
        .unwrap_or_else(|| panic!("unresolved $ref {r}"));
    (target, v)
}

/// Follows `$ref`s to the schema that has the content.
fn deref(d: Doc, s: &'static Value) -> (Doc, &'static Value) {
    match s.get("$ref").and_then(Value::as_str) {
        Some(r) => {
            let (d2, s2) = resolve(d, r);
            deref(d2, s2)
        }
        None => (d, s),
    }
}

#[derive(Default)]
struct Shape {
    props: Map<String, Value>,
    prop_docs: Vec<(String, Doc)>,
    required: Vec<String>,
    additional: Option<(Doc, &'static Value)>,
    is_object: bool,
}

fn collect(d: Doc, s: &'static Value, shape: &mut Shape) {
    let (d, s) = deref(d, s);
    if s.get("type").and_then(Value::as_str) == Some("object") || s.get("properties").is_some() {
        shape.is_object = true;
    }
    if let Some(p) = s.get("properties").and_then(Value::as_object) {
        for (k, v) in p {
            shape.props.insert(k.clone(), v.clone());
            shape.prop_docs.push((k.clone(), d));
        }
    }
    if let Some(r) = s.get("required").and_then(Value::as_array) {
        shape
            .required
            .extend(r.iter().filter_map(|x| x.as_str().map(str::to_string)));
    }
    if let Some(a) = s.get("additionalProperties") {
        shape.additional = Some((d, a));
    }
    if let Some(all) = s.get("allOf").and_then(Value::as_array) {
        for part in all {
            collect(d, part, shape);
        }
    }
}

fn check(d: Doc, schema: &'static Value, v: &Value, path: &str, errs: &mut Vec<String>) {
    let (d, s) = deref(d, schema);
    if let Some(t) = s.get("type").and_then(Value::as_str) {
        let ok = match t {
            "object" => v.is_object(),
            "array" => v.is_array(),
            "string" => v.is_string(),
            "boolean" => v.is_boolean(),
            "integer" => v.is_i64() || v.is_u64(),
            "number" => v.is_number(),
            _ => true,
        };
        if !ok {
            errs.push(format!("{path}: expected {t}, got {v}"));
            return;
        }
    }
    if let Some(e) = s.get("enum").and_then(Value::as_array)
        && !e.contains(v)
    {
        errs.push(format!("{path}: {v} not in enum {e:?}"));
    }
    if s.get("format").and_then(Value::as_str) == Some("date-time")
        && let Some(t) = v.as_str()
        && time::OffsetDateTime::parse(t, &time::format_description::well_known::Rfc3339).is_err()
    {
        errs.push(format!("{path}: '{t}' is not an RFC 3339 date-time"));
    }
    if let Some(items) = s.get("items")
        && let Some(arr) = v.as_array()
    {
        for (i, item) in arr.iter().enumerate() {
            check(d, items, item, &format!("{path}[{i}]"), errs);
        }
    }
    let mut shape = Shape::default();
    collect(d, s, &mut shape);
    if let Some(obj) = v.as_object()
        && shape.is_object
    {
        for r in &shape.required {
            if !obj.contains_key(r) {
                errs.push(format!("{path}: missing required property '{r}'"));
            }
        }
        for (k, val) in obj {
            let child = format!("{path}.{k}");
            if shape.props.contains_key(k) {
                let pd = shape
                    .prop_docs
                    .iter()
                    .rev()
                    .find(|(n, _)| n == k)
                    .map(|(_, d)| *d)
                    .unwrap_or(d);
                // The property schema lives inside a 'static document; find it there again.
                let pschema = find_prop(pd, s, k).unwrap_or_else(|| panic!("property {k} lost"));
                check(pd, pschema, val, &child, errs);
            } else if let Some((ad, a)) = shape.additional {
                if a == &Value::Bool(false) {
                    errs.push(format!("{child}: additional property not allowed"));
                } else if a.is_object() {
                    check(ad, a, val, &child, errs);
                }
            } else if !shape.props.is_empty() {
                errs.push(format!("{child}: property not defined in the swagger"));
            }
        }
    }
}

fn find_prop(d: Doc, s: &'static Value, k: &str) -> Option<&'static Value> {
    let (d, s) = deref(d, s);
    if let Some(p) = s.get("properties").and_then(|p| p.get(k)) {
        return Some(p);
    }
    for part in s
        .get("allOf")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        if let Some(p) = find_prop(d, part, k) {
            return Some(p);
        }
    }
    None
}

/// Errors of `value` against definition `name` of the management swagger (or, for
/// `ErrorResponse` and `OperationStatusResult`, of common-types).
pub fn errors(name: &str, value: &Value) -> Vec<String> {
    let d = if ["ErrorResponse", "OperationStatusResult", "ErrorDetail"].contains(&name) {
        Doc::Common
    } else {
        Doc::Mgmt
    };
    let schema = doc(d)
        .pointer(&format!("/definitions/{name}"))
        .unwrap_or_else(|| panic!("no definition {name}"));
    let mut errs = Vec::new();
    check(d, schema, value, name, &mut errs);
    errs
}

#[track_caller]
pub fn assert_valid(name: &str, value: &Value) {
    let e = errors(name, value);
    assert!(
        e.is_empty(),
        "{name} does not validate against the 2025-04-01 swagger:\n{}\n{value:#}",
        e.join("\n")
    );
}
