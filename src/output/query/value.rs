//! Runtime values: JSON as Python's `jmespath` sees it (int/float split, insertion-ordered
//! dicts, the OrderedDict marker of multiselect hashes, expression references).

use std::collections::HashMap;
use std::sync::Arc;

use super::ast::Node;
use super::error::{Fallible, QueryError};

/// Python keeps `int` and `float` apart (`sum([1,2])` is `3`, `avg` is always a float); the
/// distinction is observable in output, so it is kept. Python ints are unbounded; ours stop
/// at `i128`, beyond which results degrade to floats.
#[derive(Clone, Copy, Debug)]
pub(super) enum Number {
    Int(i128),
    Float(f64),
}

impl Number {
    pub(super) fn as_f64(self) -> f64 {
        match self {
            Number::Int(i) => i as f64,
            Number::Float(f) => f,
        }
    }

    /// Where Python would grow an int past our range, fall back to the nearest float.
    pub(super) fn from_checked(result: Option<i128>, fallback: impl FnOnce() -> f64) -> Number {
        match result {
            Some(i) => Number::Int(i),
            None => Number::Float(fallback()),
        }
    }
}

#[derive(Clone, Debug)]
pub(super) enum Value {
    Null,
    Bool(bool),
    Number(Number),
    String(Arc<str>),
    Array(Arc<Vec<Value>>),
    Object(Arc<Object>),
    /// Python creates a fresh `_Expression` per evaluation and compares them by identity,
    /// hence the extra allocation that gives each one its own address.
    Expref(Arc<ExprefValue>),
}

#[derive(Debug)]
pub(super) struct ExprefValue {
    pub(super) node: Arc<Node>,
}

impl Value {
    pub(super) fn int(i: i128) -> Value {
        Value::Number(Number::Int(i))
    }

    pub(super) fn float(f: f64) -> Value {
        Value::Number(Number::Float(f))
    }

    pub(super) fn string(s: &str) -> Value {
        Value::String(Arc::from(s))
    }

    pub(super) fn array(items: Vec<Value>) -> Value {
        Value::Array(Arc::new(items))
    }

    pub(super) fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    /// JMESPath falsiness as Python's `_is_false` implements it: numbers are never false.
    pub(super) fn is_truthy(&self) -> bool {
        match self {
            Value::Null => false,
            Value::Bool(b) => *b,
            Value::String(s) => !s.is_empty(),
            Value::Array(a) => !a.is_empty(),
            Value::Object(o) => !o.is_empty(),
            Value::Number(_) | Value::Expref(_) => true,
        }
    }

    pub(super) fn is_ordered_object(&self) -> bool {
        matches!(self, Value::Object(o) if o.is_ordered())
    }
}

/// Small objects are searched linearly; an index is only worth building for wide ones.
const INDEX_THRESHOLD: usize = 12;

/// An insertion-ordered dict. `ordered` marks an OrderedDict (built by a multiselect hash),
/// which differs from a plain dict in `==` and in how knack's TSV writer orders columns.
#[derive(Clone, Debug, Default)]
pub(super) struct Object {
    entries: Vec<(Arc<str>, Value)>,
    index: Option<HashMap<Arc<str>, usize>>,
    ordered: bool,
}

impl Object {
    pub(super) fn new(ordered: bool) -> Object {
        Object {
            entries: Vec::new(),
            index: None,
            ordered,
        }
    }

    pub(super) fn is_ordered(&self) -> bool {
        self.ordered
    }

    pub(super) fn len(&self) -> usize {
        self.entries.len()
    }

    pub(super) fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    fn position(&self, key: &str) -> Option<usize> {
        match &self.index {
            Some(index) => index.get(key).copied(),
            None => self.entries.iter().position(|(k, _)| &**k == key),
        }
    }

    pub(super) fn get(&self, key: &str) -> Option<&Value> {
        self.position(key).map(|i| &self.entries[i].1)
    }

    /// Python dict semantics: re-assigning a key keeps its original position.
    pub(super) fn insert(&mut self, key: Arc<str>, value: Value) {
        if let Some(i) = self.position(&key) {
            self.entries[i].1 = value;
            return;
        }
        if let Some(index) = &mut self.index {
            index.insert(key.clone(), self.entries.len());
        }
        self.entries.push((key, value));
        if self.index.is_none() && self.entries.len() > INDEX_THRESHOLD {
            let index = self
                .entries
                .iter()
                .enumerate()
                .map(|(i, (k, _))| (k.clone(), i))
                .collect();
            self.index = Some(index);
        }
    }

    pub(super) fn iter(&self) -> impl Iterator<Item = (&Arc<str>, &Value)> {
        self.entries.iter().map(|(k, v)| (k, v))
    }

    pub(super) fn values(&self) -> impl Iterator<Item = &Value> {
        self.entries.iter().map(|(_, v)| v)
    }
}

/// serde_json's own parser stops at 128 levels; this cap only stops programmatically built
/// input from overflowing our stack (Python would hit `RecursionError` near here as well).
const MAX_INPUT_DEPTH: usize = 1000;

pub(super) fn from_json(value: &serde_json::Value) -> Fallible<Value> {
    from_json_at(value, 0)
}

fn from_json_at(value: &serde_json::Value, depth: usize) -> Fallible<Value> {
    if depth > MAX_INPUT_DEPTH {
        return Err(QueryError::recursion());
    }
    Ok(match value {
        serde_json::Value::Null => Value::Null,
        serde_json::Value::Bool(b) => Value::Bool(*b),
        serde_json::Value::Number(n) => Value::Number(if let Some(i) = n.as_i64() {
            Number::Int(i128::from(i))
        } else if let Some(u) = n.as_u64() {
            Number::Int(i128::from(u))
        } else {
            Number::Float(n.as_f64().unwrap_or(f64::NAN))
        }),
        serde_json::Value::String(s) => Value::string(s),
        // Plain loops rather than iterator adapters: fewer frames per level of nesting.
        serde_json::Value::Array(items) => {
            let mut converted = Vec::with_capacity(items.len());
            for item in items {
                converted.push(from_json_at(item, depth + 1)?);
            }
            Value::array(converted)
        }
        serde_json::Value::Object(map) => {
            let mut object = Object::new(false);
            for (k, v) in map {
                object.insert(Arc::from(k.as_str()), from_json_at(v, depth + 1)?);
            }
            Value::Object(Arc::new(object))
        }
    })
}

/// serde_json cannot hold what Python could return here: non-finite floats and expression
/// references become `null`, and integers outside i64/u64 become floats.
pub(super) fn to_json(value: &Value) -> serde_json::Value {
    match value {
        Value::Null | Value::Expref(_) => serde_json::Value::Null,
        Value::Bool(b) => serde_json::Value::Bool(*b),
        Value::Number(Number::Int(i)) => {
            if let Ok(small) = i64::try_from(*i) {
                serde_json::Value::from(small)
            } else if let Ok(unsigned) = u64::try_from(*i) {
                serde_json::Value::from(unsigned)
            } else {
                float_to_json(*i as f64)
            }
        }
        Value::Number(Number::Float(f)) => float_to_json(*f),
        Value::String(s) => serde_json::Value::String(s.to_string()),
        Value::Array(items) => {
            let mut converted = Vec::with_capacity(items.len());
            for item in items.iter() {
                converted.push(to_json(item));
            }
            serde_json::Value::Array(converted)
        }
        Value::Object(object) => {
            let mut map = serde_json::Map::with_capacity(object.len());
            for (k, v) in object.iter() {
                map.insert(k.to_string(), to_json(v));
            }
            serde_json::Value::Object(map)
        }
    }
}

fn float_to_json(f: f64) -> serde_json::Value {
    serde_json::Number::from_f64(f).map_or(serde_json::Value::Null, serde_json::Value::Number)
}
