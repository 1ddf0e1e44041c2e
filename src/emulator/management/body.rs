//! Strict reading of JSON request bodies, the way ARM resource providers (JSON.NET) do it:
//! member names match case-insensitively, `null` counts as absent, an unknown member or a
//! value of the wrong type is an `InvalidRequestContent` error naming the JSON path. Read-only
//! members that clients echo back from a GET (`id`, `name`, `type`, `systemData`, …) are
//! accepted and ignored. Pure; no state.

use serde_json::{Map, Value};

use super::models::Model;
use crate::emulator::error::ArmError;

/// Parses a request body; an empty body is `missing`'s error.
pub fn parse(bytes: &[u8]) -> Result<Value, ArmError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(ArmError::content(
            "The request body is missing; a JSON object is required.",
        ));
    }
    serde_json::from_slice(bytes).map_err(|e| {
        ArmError::content(format!(
            "Invalid JSON at line {}, position {}: {}",
            e.line(),
            e.column(),
            strip_position(&e.to_string())
        ))
    })
}

fn strip_position(msg: &str) -> String {
    match msg.rsplit_once(" at line ") {
        Some((head, _)) => head.to_string(),
        None => msg.to_string(),
    }
}

fn describe(v: &Value) -> String {
    match v {
        Value::String(s) => format!("\"{s}\""),
        Value::Array(_) => "array".to_string(),
        Value::Object(_) => "object".to_string(),
        other => other.to_string(),
    }
}

/// The `properties` a PUT body must carry: the root checked against `model`, then its
/// `properties` object against `properties`.
pub fn required_properties<'a>(
    v: &'a Value,
    model: &Model,
    properties: &Model,
) -> Result<Obj<'a>, ArmError> {
    optional_properties(v, model, properties)?.ok_or_else(|| {
        ArmError::content("Required property 'properties' not found in JSON. Path ''")
    })
}

/// The `properties` of a PATCH body, which may leave them out: the root checked against
/// `model`, then its `properties` object, if any, against `properties`.
pub fn optional_properties<'a>(
    v: &'a Value,
    model: &Model,
    properties: &Model,
) -> Result<Option<Obj<'a>>, ArmError> {
    let root = Obj::new(v, "", model.name)?;
    root.allow_model(model)?;
    let Some(props) = root.obj("properties", properties.name)? else {
        return Ok(None);
    };
    props.allow_model(properties)?;
    Ok(Some(props))
}

/// The answer to a child resource's name that its rules refuse.
pub fn invalid_name(message: String) -> ArmError {
    ArmError::bad_request("InvalidResourceName", message)
}

/// A JSON object being read, with its path (`properties.credentials`) and model name.
pub struct Obj<'a> {
    map: &'a Map<String, Value>,
    path: String,
    model: &'static str,
}

impl<'a> Obj<'a> {
    /// `value` must be an object of model `model` at `path` ("" for the root).
    pub fn new(value: &'a Value, path: &str, model: &'static str) -> Result<Obj<'a>, ArmError> {
        match value {
            Value::Object(map) => Ok(Obj {
                map,
                path: path.to_string(),
                model,
            }),
            other => Err(type_error(other, model, path)),
        }
    }

    fn child_path(&self, key: &str) -> String {
        if self.path.is_empty() {
            key.to_string()
        } else {
            format!("{}.{key}", self.path)
        }
    }

    /// Fails on any member `model` does not accept (see `models`), case-insensitively.
    pub fn allow_model(&self, model: &Model) -> Result<(), ArmError> {
        for k in self.map.keys() {
            let ok = model
                .writable
                .iter()
                .copied()
                .chain(model.ignored())
                .any(|n| n.eq_ignore_ascii_case(k));
            if !ok {
                return Err(ArmError::content(format!(
                    "Could not find member '{k}' on object of type '{}'. Path '{}'",
                    self.model,
                    self.child_path(k)
                )));
            }
        }
        Ok(())
    }

    /// The member `key` (case-insensitive), `None` when absent or null.
    pub fn get(&self, key: &str) -> Option<&'a Value> {
        self.map
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v)
            .filter(|v| !v.is_null())
    }

    pub fn str(&self, key: &str) -> Result<Option<&'a str>, ArmError> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(v) => Err(type_error(v, "System.String", &self.child_path(key))),
        }
    }

    pub fn bool(&self, key: &str) -> Result<Option<bool>, ArmError> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(v) => Err(type_error(v, "System.Boolean", &self.child_path(key))),
        }
    }

    pub fn obj(&self, key: &str, model: &'static str) -> Result<Option<Obj<'a>>, ArmError> {
        match self.get(key) {
            None => Ok(None),
            Some(v) => Obj::new(v, &self.child_path(key), model).map(Some),
        }
    }

    /// An array of objects of model `model`.
    pub fn objects(
        &self,
        key: &str,
        model: &'static str,
    ) -> Result<Option<Vec<Obj<'a>>>, ArmError> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::Array(items)) => items
                .iter()
                .enumerate()
                .map(|(i, v)| Obj::new(v, &format!("{}[{i}]", self.child_path(key)), model))
                .collect::<Result<Vec<_>, _>>()
                .map(Some),
            Some(v) => Err(type_error(
                v,
                &format!("System.Collections.Generic.List`1[{model}]"),
                &self.child_path(key),
            )),
        }
    }

    pub fn strings(&self, key: &str) -> Result<Option<Vec<String>>, ArmError> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::Array(items)) => items
                .iter()
                .enumerate()
                .map(|(i, v)| match v {
                    Value::String(s) => Ok(s.clone()),
                    other => Err(type_error(
                        other,
                        "System.String",
                        &format!("{}[{i}]", self.child_path(key)),
                    )),
                })
                .collect::<Result<Vec<_>, _>>()
                .map(Some),
            Some(v) => Err(type_error(
                v,
                "System.Collections.Generic.List`1[System.String]",
                &self.child_path(key),
            )),
        }
    }

    /// A string member that must be one of `allowed` (matched case-insensitively; the
    /// canonical spelling is returned).
    pub fn enumeration(
        &self,
        key: &str,
        allowed: &[&'static str],
    ) -> Result<Option<&'static str>, ArmError> {
        match self.str(key)? {
            None => Ok(None),
            Some(s) => allowed.iter().find(|a| a.eq_ignore_ascii_case(s)).copied().map(Some).ok_or_else(|| {
                ArmError::content(format!(
                    "Error converting value \"{s}\" to type '{}'. Allowed values: {}. Path '{}'",
                    key,
                    allowed.join(", "),
                    self.child_path(key)
                ))
            }),
        }
    }

    /// A date-time member, returned as parsed.
    pub fn date_time(&self, key: &str) -> Result<Option<time::OffsetDateTime>, ArmError> {
        match self.str(key)? {
            None => Ok(None),
            Some(s) => crate::emulator::clock::parse(s).map(Some).ok_or_else(|| {
                ArmError::content(format!(
                    "Could not convert string to DateTime: {s}. Path '{}'",
                    self.child_path(key)
                ))
            }),
        }
    }
}

fn type_error(v: &Value, target: &str, path: &str) -> ArmError {
    let path = if path.is_empty() {
        "''".to_string()
    } else {
        format!("'{path}'")
    };
    ArmError::content(format!(
        "Error converting value {} to type '{target}'. Path {path}",
        describe(v)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn msg(e: ArmError) -> String {
        assert_eq!(e.code, "InvalidRequestContent");
        e.message
    }

    #[test]
    fn malformed_and_empty_bodies() {
        assert!(msg(parse(b"{\"properties\":").unwrap_err()).contains("Invalid JSON at line 1"));
        assert!(msg(parse(b"  ").unwrap_err()).contains("missing"));
    }

    #[test]
    fn members_are_case_insensitive_and_unknown_ones_fail() {
        let v = json!({"Properties": {"ScopeMapId": "x", "status": null, "foo": 1}});
        let root = Obj::new(&v, "", "Token").unwrap();
        root.allow_model(&crate::emulator::management::models::TOKEN)
            .unwrap();
        let p = root.obj("properties", "TokenProperties").unwrap().unwrap();
        assert_eq!(p.str("scopeMapId").unwrap(), Some("x"));
        assert_eq!(p.str("status").unwrap(), None);
        let e = msg(p
            .allow_model(&crate::emulator::management::models::TOKEN_PROPERTIES)
            .unwrap_err());
        assert!(
            e.contains("'foo' on object of type 'TokenProperties'. Path 'properties.foo'"),
            "{e}"
        );
    }

    #[test]
    fn wrong_types_name_the_path() {
        let v = json!({"properties": {"actions": "x", "list": [1], "flag": "yes"}});
        let p = Obj::new(&v, "", "ScopeMap")
            .unwrap()
            .obj("properties", "P")
            .unwrap()
            .unwrap();
        assert!(msg(p.strings("actions").unwrap_err()).contains("Error converting value \"x\" to type 'System.Collections.Generic.List`1[System.String]'. Path 'properties.actions'"));
        assert!(msg(p.strings("list").unwrap_err()).contains("Path 'properties.list[0]'"));
        assert!(msg(p.bool("flag").unwrap_err()).contains("System.Boolean"));
        assert!(msg(Obj::new(&json!([1]), "", "Token").err().unwrap()).contains("Path ''"));
        assert!(msg(p.enumeration("flag", &["yes2"]).unwrap_err()).contains("Allowed values"));
    }
}
