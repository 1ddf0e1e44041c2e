//! The request models against the swagger definitions of every api-version served: writable
//! members equal the swagger's non-`readOnly` properties, read-only ones are a subset of its
//! `readOnly` properties, extras are outside the swagger's writable set and say why, and the
//! checked enums equal the swagger's. The definitions are digests in
//! `tests/data/azure-specs/definitions/` (see its README); the 2025-04-01 digest is re-derived
//! here from the full swagger so that the digest format itself is checked.

use std::collections::BTreeSet;

use serde_json::{Map, Value, json};

use super::*;

fn root() -> std::path::PathBuf {
    std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/azure-specs")
}

fn load(rel: &str) -> Value {
    let p = root().join(rel);
    let bytes = std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    serde_json::from_slice(&bytes).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn digest(version: &str) -> Value {
    let d = load(&format!("definitions/{version}.json"));
    assert_eq!(d["apiVersion"], version);
    d["models"].clone()
}

fn strings(v: &Value) -> BTreeSet<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|s| s.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// Everything wrong with `model` against the digest `models` of `version`.
fn mismatches(version: &str, model: &Model, models: &Value) -> Vec<String> {
    let mut out = Vec::new();
    let Some(def) = models.get(model.name) else {
        return vec![format!("{version} {}: no such definition", model.name)];
    };
    let swagger_writable = strings(&def["writable"]);
    let swagger_read_only = strings(&def["readOnly"]);
    let writable: BTreeSet<String> = model.writable.iter().map(|s| s.to_string()).collect();
    if writable != swagger_writable {
        out.push(format!(
            "{version} {}: writable {writable:?}, swagger {swagger_writable:?}",
            model.name
        ));
    }
    for r in model.read_only {
        if !swagger_read_only.contains(*r) {
            out.push(format!(
                "{version} {}: '{r}' is accepted as read-only but is not a readOnly property of the swagger (list it as an extra with its reason, or drop it)",
                model.name
            ));
        }
    }
    for e in model.extra {
        if swagger_writable.contains(e.member) || swagger_read_only.contains(e.member) {
            out.push(format!(
                "{version} {}: extra '{}' is in the swagger definition; it is not an extra",
                model.name, e.member
            ));
        }
        if e.reason.trim().is_empty() {
            out.push(format!(
                "{version} {}: extra '{}' has no reason",
                model.name, e.member
            ));
        }
    }
    out
}

#[test]
fn every_model_matches_the_swagger_of_every_api_version() {
    let mut errors = Vec::new();
    for v in ACR_API_VERSIONS {
        let models = digest(v);
        for (version, model) in all().into_iter().filter(|(x, _)| x == v) {
            errors.extend(mismatches(version, model, &models));
        }
        for (model, member, values) in ENUMS {
            let swagger = &models[*model]["enums"][*member];
            let ours: Vec<Value> = values.iter().map(|s| json!(s)).collect();
            if swagger != &Value::Array(ours) {
                errors.push(format!(
                    "{v} {model}.{member}: enum {values:?}, swagger {swagger}"
                ));
            }
        }
    }
    assert!(errors.is_empty(), "{}", errors.join("\n"));
}

#[test]
fn the_check_catches_what_the_issue_found() {
    // The two allow-lists issue 15 found wrong, as they were.
    const OLD_TOKEN_PROPERTIES: Model = Model {
        name: "TokenProperties",
        writable: &["scopeMapId", "status", "credentials"],
        read_only: &["creationDate", "provisioningState", "objectId"],
        extra: &[],
    };
    const OLD_REGISTRY_PROPERTIES: Model = Model {
        name: "RegistryProperties",
        writable: &[
            "adminUserEnabled",
            "networkRuleSet",
            "policies",
            "encryption",
            "dataEndpointEnabled",
            "publicNetworkAccess",
            "networkRuleBypassOptions",
            "zoneRedundancy",
            "anonymousPullEnabled",
            "roleAssignmentMode",
        ],
        read_only: REGISTRY_READ_ONLY,
        extra: &[],
    };
    let models = digest("2025-04-01");
    let e = mismatches("2025-04-01", &OLD_TOKEN_PROPERTIES, &models);
    assert!(e.len() == 1 && e[0].contains("'objectId'"), "{e:?}");
    let e = mismatches("2025-04-01", &OLD_REGISTRY_PROPERTIES, &models);
    assert!(e.len() == 1 && e[0].contains("roleAssignmentMode"), "{e:?}");
    // roleAssignmentMode is a member of the preview az uses.
    let e = mismatches(
        "2026-09-01-preview",
        registry_properties("2026-09-01-preview"),
        &digest("2026-09-01-preview"),
    );
    assert!(e.is_empty(), "{e:?}");
    assert!(
        registry_properties("2026-09-01-preview")
            .writable
            .contains(&"roleAssignmentMode")
    );
    // An extra that the swagger defines is refused, as is one without a reason.
    const BAD: Model = Model {
        name: "TokenUpdateProperties",
        writable: &["credentials", "scopeMapId", "status"],
        read_only: &[],
        extra: &[Extra {
            member: "status",
            reason: "",
        }],
    };
    let e = mismatches("2025-04-01", &BAD, &models);
    assert_eq!(e.len(), 2, "{e:?}");
}

/// The digest of the full 2025-04-01 swagger, computed the way the hand-made digests of the
/// other versions were written: members flattened through `allOf`, split by `readOnly`.
fn derive(swagger: &Value) -> Map<String, Value> {
    let defs = &swagger["definitions"];
    fn props(defs: &Value, name: &str, out: &mut Map<String, Value>) {
        let d = &defs[name];
        for part in d["allOf"].as_array().into_iter().flatten() {
            let r = part["$ref"].as_str().unwrap_or_default();
            let base = r.rsplit('/').next().unwrap_or_default();
            props(defs, base, out);
        }
        if let Some(p) = d["properties"].as_object() {
            for (k, v) in p {
                out.insert(k.clone(), v.clone());
            }
        }
    }
    let mut out = Map::new();
    let ours = digest("2025-04-01");
    for name in ours
        .as_object()
        .map(|o| o.keys().cloned().collect::<Vec<_>>())
        .unwrap_or_default()
    {
        let mut p = Map::new();
        props(defs, &name, &mut p);
        let pick = |ro: bool| -> Vec<Value> {
            let mut v: Vec<&String> = p
                .iter()
                .filter(|(_, d)| d["readOnly"].as_bool().unwrap_or(false) == ro)
                .map(|(k, _)| k)
                .collect();
            v.sort();
            v.into_iter().map(|k| json!(k)).collect()
        };
        let mut m = Map::new();
        m.insert("writable".into(), Value::Array(pick(false)));
        m.insert("readOnly".into(), Value::Array(pick(true)));
        let enums: Map<String, Value> = ENUMS
            .iter()
            .filter(|(model, _, _)| *model == name)
            .map(|(_, member, _)| (member.to_string(), p[*member]["enum"].clone()))
            .collect();
        if !enums.is_empty() {
            m.insert("enums".into(), Value::Object(enums));
        }
        out.insert(name, Value::Object(m));
    }
    out
}

#[test]
fn the_2025_digest_is_the_full_swagger() {
    let derived = derive(&load("mgmt-2025-04-01/containerregistry.json"));
    assert_eq!(Value::Object(derived), digest("2025-04-01"));
}

#[test]
fn every_served_version_has_a_digest_with_its_source() {
    for v in ACR_API_VERSIONS {
        let d = load(&format!("definitions/{v}.json"));
        for key in ["repo", "path", "commit", "licence"] {
            assert!(
                d["source"][key].as_str().is_some_and(|s| !s.is_empty()),
                "{v}: source.{key}"
            );
        }
        assert!(
            d["source"]["path"].as_str().unwrap_or_default().contains(v),
            "{v}"
        );
    }
}
