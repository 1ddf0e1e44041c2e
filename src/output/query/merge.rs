//! `dict.update(arg)` as `merge()` applies it: Python only type-checks the first argument,
//! so later ones follow `dict.update`'s rules for arbitrary iterables, errors included.

use std::sync::Arc;

use super::error::{Fallible, QueryError};
use super::pyfmt::{c_type_name, json_dumps};
use super::value::{Object, Value};

pub(super) fn update(target: &mut Object, arg: &Value) -> Fallible<()> {
    let elements: Vec<Value> = match arg {
        Value::Object(source) => {
            for (key, value) in source.iter() {
                target.insert(key.clone(), value.clone());
            }
            return Ok(());
        }
        Value::Array(items) => items.to_vec(),
        Value::String(s) => s.chars().map(|c| Value::string(&c.to_string())).collect(),
        other => {
            let message = format!("'{}' object is not iterable", c_type_name(other));
            return Err(QueryError::type_error(message));
        }
    };
    for (i, element) in elements.iter().enumerate() {
        let pair = sequence_items(element).ok_or_else(|| {
            QueryError::type_error(format!(
                "cannot convert dictionary update sequence element #{i} to a sequence"
            ))
        })?;
        if pair.len() != 2 {
            let message = format!(
                "dictionary update sequence element #{i} has length {}; 2 is required",
                pair.len()
            );
            return Err(QueryError::invalid_value(message));
        }
        target.insert(dict_key(&pair[0])?, pair[1].clone());
    }
    Ok(())
}

/// What `PySequence_Fast` yields: list items, a str's characters, a dict's keys.
fn sequence_items(value: &Value) -> Option<Vec<Value>> {
    match value {
        Value::Array(items) => Some(items.to_vec()),
        Value::String(s) => Some(s.chars().map(|c| Value::string(&c.to_string())).collect()),
        Value::Object(object) => Some(
            object
                .iter()
                .map(|(k, _)| Value::String(k.clone()))
                .collect(),
        ),
        _ => None,
    }
}

/// Python would keep a non-str key as it is; our objects only have string keys, so such keys
/// are spelled the way `json.dumps` would write them.
fn dict_key(key: &Value) -> Fallible<Arc<str>> {
    match key {
        Value::String(s) => Ok(s.clone()),
        Value::Array(_) => Err(QueryError::type_error("unhashable type: 'list'".into())),
        Value::Object(_) => Err(QueryError::type_error(format!(
            "unhashable type: '{}'",
            c_type_name(key)
        ))),
        other => {
            let spelled = json_dumps(other);
            Ok(Arc::from(spelled.trim_matches('"')))
        }
    }
}
