//! Normalising a recorded answer and the emulator's for comparison: the recordings'
//! subscription replaced, server-chosen times, callers and password values masked, documents
//! flattened to JSON pointers, polling URLs reduced to their shape.

use std::collections::BTreeMap;

use reqwest::Url;
use serde_json::{Value, json};

use super::RECORDED_SUB;

/// Replaces the recorded subscription by the emulator's in every string.
pub fn resubscribe(v: &Value, sub: &str) -> Value {
    match v {
        Value::String(s) => Value::String(s.replace(RECORDED_SUB, sub)),
        Value::Array(a) => Value::Array(a.iter().map(|x| resubscribe(x, sub)).collect()),
        Value::Object(o) => Value::Object(
            o.iter()
                .map(|(k, x)| (k.clone(), resubscribe(x, sub)))
                .collect(),
        ),
        other => other.clone(),
    }
}

const TIMES: &[&str] = &[
    "createdAt",
    "lastModifiedAt",
    "creationDate",
    "creationTime",
    "lastUpdatedTime",
    "startTime",
    "endTime",
];

/// What differs by nature between any two runs: server-chosen times (an `expiry` is an echo
/// of the request and is compared), who called (a user in the recordings, an application
/// here), and password values.
pub fn normalise(v: &Value, key: &str) -> Value {
    match v {
        Value::String(_) if TIMES.contains(&key) => json!("<time>"),
        Value::String(_) if key == "value" => json!("<secret>"),
        Value::String(_) if key == "createdBy" || key == "lastModifiedBy" => json!("<caller>"),
        Value::String(_) if key == "createdByType" || key == "lastModifiedByType" => {
            json!("<caller type>")
        }
        Value::Array(a) => Value::Array(a.iter().map(|x| normalise(x, key)).collect()),
        Value::Object(o) => Value::Object(
            o.iter()
                .map(|(k, x)| (k.clone(), normalise(x, k)))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// JSON pointer → scalar (or empty container) of a document.
pub fn flatten(v: &Value, at: &str, out: &mut BTreeMap<String, Value>) {
    match v {
        Value::Object(o) if !o.is_empty() => {
            for (k, x) in o {
                flatten(x, &format!("{at}/{k}"), out);
            }
        }
        Value::Array(a) if !a.is_empty() => {
            for (i, x) in a.iter().enumerate() {
                flatten(x, &format!("{at}/{i}"), out);
            }
        }
        other => {
            out.insert(at.to_string(), other.clone());
        }
    }
}

/// A polling URL reduced to what a client relies on: the path with ids as placeholders and
/// the api-version; the host and the service's signature parameters (`t`, `c`, `s`, `h`) go.
pub fn polling_shape(url: &str, sub: &str) -> String {
    let Ok(u) = Url::parse(url) else {
        return format!("<not a URL: {url}>");
    };
    let path = u.path().replace(RECORDED_SUB, sub);
    let path: Vec<String> = path
        .split('/')
        .map(|seg| match seg.split_once('-') {
            Some((prefix, rest)) if uuid::Uuid::parse_str(rest).is_ok() => format!("{prefix}-<id>"),
            _ => seg.to_string(),
        })
        .collect();
    let has_version = u.query_pairs().any(|(k, _)| k == "api-version");
    format!(
        "{}{}",
        path.join("/"),
        if has_version {
            "?api-version=<version>"
        } else {
            ""
        }
    )
}
