//! The built-in functions' bodies (`_func_*` in `jmespath.functions`), run after argument
//! validation; they return Python's int/float kinds and raise Python's own exceptions where
//! Python would (e.g. `'<' not supported ...` from `min_by`).

use std::sync::Arc;

use super::ast::Comparator;
use super::compare::{py_compare, py_eq, stable_sort};
use super::error::{Fallible, QueryError};
use super::functions::invalid_type;
use super::interpreter::apply_expref;
use super::merge::update;
use super::pyfmt::{c_type_name, jmespath_type_name, json_dumps};
use super::pynum::{parse_float, parse_int};
use super::value::{Number, Object, Value};

type Args = Vec<Value>;
type Outcome = Fallible<Value>;

fn number(value: &Value) -> Number {
    match value {
        Value::Number(n) => *n,
        _ => Number::Int(0),
    }
}

fn text(value: &Value) -> &str {
    match value {
        Value::String(s) => s,
        _ => "",
    }
}

fn items(value: &Value) -> &[Value] {
    match value {
        Value::Array(items) => items,
        _ => &[],
    }
}

fn object(value: &Value) -> Option<&Object> {
    match value {
        Value::Object(object) => Some(object),
        _ => None,
    }
}

pub(super) fn abs(args: Args) -> Outcome {
    Ok(Value::Number(match number(&args[0]) {
        Number::Int(i) => Number::from_checked(i.checked_abs(), || (i as f64).abs()),
        Number::Float(f) => Number::Float(f.abs()),
    }))
}

/// Python's `sum()`: left to right, int until the first float.
fn py_sum(values: &[Value]) -> Number {
    values.iter().fold(Number::Int(0), |total, value| {
        match (total, number(value)) {
            (Number::Int(a), Number::Int(b)) => {
                Number::from_checked(a.checked_add(b), || a as f64 + b as f64)
            }
            (a, b) => Number::Float(a.as_f64() + b.as_f64()),
        }
    })
}

pub(super) fn avg(args: Args) -> Outcome {
    let values = items(&args[0]);
    if values.is_empty() {
        return Ok(Value::Null);
    }
    Ok(Value::float(py_sum(values).as_f64() / values.len() as f64))
}

pub(super) fn sum(args: Args) -> Outcome {
    Ok(Value::Number(py_sum(items(&args[0]))))
}

/// `math.ceil` / `math.floor`: ints pass through, floats become ints.
fn round_to_int(value: &Value, round: fn(f64) -> f64) -> Outcome {
    let f = match number(value) {
        Number::Int(i) => return Ok(Value::int(i)),
        Number::Float(f) => f,
    };
    if f.is_nan() {
        return Err(QueryError::invalid_value(
            "cannot convert float NaN to integer".into(),
        ));
    }
    if f.is_infinite() {
        let message = "cannot convert float infinity to integer".to_string();
        return Err(QueryError::runtime("OverflowError", message));
    }
    let rounded = round(f);
    // Beyond i128 Python would still return an exact int; a float is the closest we have.
    const LIMIT: f64 = 170_141_183_460_469_231_731_687_303_715_884_105_728.0;
    if (-LIMIT..LIMIT).contains(&rounded) {
        Ok(Value::int(rounded as i128))
    } else {
        Ok(Value::float(rounded))
    }
}

pub(super) fn ceil(args: Args) -> Outcome {
    round_to_int(&args[0], f64::ceil)
}

pub(super) fn floor(args: Args) -> Outcome {
    round_to_int(&args[0], f64::floor)
}

/// `search in subject`.
pub(super) fn contains(args: Args) -> Outcome {
    let (subject, search) = (&args[0], &args[1]);
    Ok(Value::Bool(match (subject, search) {
        (Value::String(haystack), Value::String(needle)) => haystack.contains(&**needle),
        (Value::String(_), other) => {
            return Err(QueryError::type_error(format!(
                "'in <string>' requires string as left operand, not {}",
                c_type_name(other)
            )));
        }
        (subject, search) => items(subject).iter().any(|item| py_eq(item, search)),
    }))
}

pub(super) fn ends_with(args: Args) -> Outcome {
    Ok(Value::Bool(text(&args[0]).ends_with(text(&args[1]))))
}

pub(super) fn starts_with(args: Args) -> Outcome {
    Ok(Value::Bool(text(&args[0]).starts_with(text(&args[1]))))
}

pub(super) fn join(args: Args) -> Outcome {
    let parts: Vec<&str> = items(&args[1]).iter().map(text).collect();
    Ok(Value::string(&parts.join(text(&args[0]))))
}

pub(super) fn keys(args: Args) -> Outcome {
    let keys = object(&args[0]).into_iter().flat_map(|o| o.iter());
    Ok(Value::array(
        keys.map(|(k, _)| Value::String(k.clone())).collect(),
    ))
}

pub(super) fn values(args: Args) -> Outcome {
    let values = object(&args[0]).into_iter().flat_map(|o| o.values());
    Ok(Value::array(values.cloned().collect()))
}

/// `len()`: strings count code points.
pub(super) fn length(args: Args) -> Outcome {
    let len = match &args[0] {
        Value::String(s) => s.chars().count(),
        Value::Array(items) => items.len(),
        Value::Object(object) => object.len(),
        _ => 0,
    };
    Ok(Value::int(len as i128))
}

pub(super) fn map(mut args: Args) -> Outcome {
    let list = args.pop().unwrap_or(Value::Null);
    let Some(Value::Expref(expref)) = args.pop() else {
        return Ok(Value::Null);
    };
    let mapped: Result<Vec<_>, _> = items(&list)
        .iter()
        .map(|v| apply_expref(&expref, v))
        .collect();
    Ok(Value::array(mapped?))
}

/// Python's `max()`/`min()`: the first extreme element wins ties and is returned unchanged.
fn extreme(values: &[Value], op: Comparator) -> Outcome {
    let Some((first, rest)) = values.split_first() else {
        return Ok(Value::Null);
    };
    let mut best = first;
    for value in rest {
        if py_compare(op, value, best)? {
            best = value;
        }
    }
    Ok(best.clone())
}

pub(super) fn max(args: Args) -> Outcome {
    extreme(items(&args[0]), Comparator::Gt)
}

pub(super) fn min(args: Args) -> Outcome {
    extreme(items(&args[0]), Comparator::Lt)
}

/// `max(array, key=keyfunc)` / `min(...)`: keys are computed one by one and compared as they
/// come, so a later bad key or an un-orderable pair fails at the same point as in Python.
fn extreme_by(args: Args, name: &str, op: Comparator) -> Outcome {
    let (list, expref) = (&args[0], &args[1]);
    let Value::Expref(expref) = expref else {
        return Ok(Value::Null);
    };
    let allowed = ["number", "string"];
    let key = |value: &Value| -> Outcome {
        let key = apply_expref(expref, value)?;
        let kind = jmespath_type_name(&key);
        if allowed.contains(&kind) {
            Ok(key)
        } else {
            Err(invalid_type(name, &key, kind, &allowed))
        }
    };
    let Some((first, rest)) = items(list).split_first() else {
        return Ok(Value::Null);
    };
    let (mut best, mut best_key) = (first, key(first)?);
    for value in rest {
        let value_key = key(value)?;
        if py_compare(op, &value_key, &best_key)? {
            best = value;
            best_key = value_key;
        }
    }
    Ok(best.clone())
}

pub(super) fn max_by(args: Args) -> Outcome {
    extreme_by(args, "max_by", Comparator::Gt)
}

pub(super) fn min_by(args: Args) -> Outcome {
    extreme_by(args, "min_by", Comparator::Lt)
}

/// Always a plain dict, even when merging OrderedDicts.
pub(super) fn merge(args: Args) -> Outcome {
    let mut merged = Object::new(false);
    for arg in &args {
        update(&mut merged, arg)?;
    }
    Ok(Value::Object(Arc::new(merged)))
}

pub(super) fn not_null(args: Args) -> Outcome {
    Ok(args
        .into_iter()
        .find(|arg| !arg.is_null())
        .unwrap_or(Value::Null))
}

pub(super) fn reverse(args: Args) -> Outcome {
    Ok(match &args[0] {
        Value::String(s) => Value::string(&s.chars().rev().collect::<String>()),
        other => Value::array(items(other).iter().rev().cloned().collect()),
    })
}

fn is_less(a: &Value, b: &Value) -> bool {
    py_compare(Comparator::Lt, a, b).unwrap_or(false)
}

pub(super) fn sort(args: Args) -> Outcome {
    Ok(Value::array(stable_sort(
        items(&args[0]).to_vec(),
        &is_less,
    )))
}

/// `_func_sort_by`: the first element's key fixes the type every key must have.
pub(super) fn sort_by(args: Args) -> Outcome {
    let (list, expref) = (&args[0], &args[1]);
    let Value::Expref(expref) = expref else {
        return Ok(Value::Null);
    };
    let values = items(list);
    let Some(first) = values.first() else {
        return Ok(list.clone());
    };
    let required = jmespath_type_name(&apply_expref(expref, first)?);
    if required != "number" && required != "string" {
        return Err(invalid_type(
            "sort_by",
            first,
            required,
            &["string", "number"],
        ));
    }
    let mut keyed = Vec::with_capacity(values.len());
    for value in values {
        let key = apply_expref(expref, value)?;
        let kind = jmespath_type_name(&key);
        if kind != required {
            return Err(invalid_type("sort_by", &key, kind, &[required]));
        }
        keyed.push((key, value.clone()));
    }
    let sorted = stable_sort(keyed, &|a: &(Value, Value), b: &(Value, Value)| {
        is_less(&a.0, &b.0)
    });
    Ok(Value::array(
        sorted.into_iter().map(|(_, value)| value).collect(),
    ))
}

pub(super) fn to_array(mut args: Args) -> Outcome {
    Ok(match args.pop().unwrap_or(Value::Null) {
        array @ Value::Array(_) => array,
        other => Value::array(vec![other]),
    })
}

pub(super) fn to_string(mut args: Args) -> Outcome {
    Ok(match args.pop().unwrap_or(Value::Null) {
        string @ Value::String(_) => string,
        other => Value::string(&json_dumps(&other)),
    })
}

/// `int(s)`, falling back to `float(s)`, else null.
pub(super) fn to_number(mut args: Args) -> Outcome {
    Ok(match args.pop().unwrap_or(Value::Null) {
        number @ Value::Number(_) => number,
        Value::String(s) => match parse_int(&s) {
            Some(n) => Value::Number(n),
            None => parse_float(&s).map_or(Value::Null, Value::float),
        },
        Value::Expref(_) => {
            return Err(QueryError::type_error(
                "int() argument must be a string, a bytes-like object or a real number, not \
                 '_Expression'"
                    .into(),
            ));
        }
        _ => Value::Null,
    })
}

/// `_func_type` has no branch for expression references, so they yield null.
pub(super) fn type_of(args: Args) -> Outcome {
    Ok(match &args[0] {
        Value::Expref(_) => Value::Null,
        other => Value::string(jmespath_type_name(other)),
    })
}
