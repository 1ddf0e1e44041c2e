//! Python's comparison semantics as `jmespath` exposes them: `==` (bool equals 1, OrderedDicts
//! compare in order), JMESPath's 0/1-versus-boolean exception, `<` between numbers or strings,
//! and a stable sort that only ever asks "is less".

use std::cmp::Ordering;
use std::sync::Arc;

use super::ast::Comparator;
use super::error::{Fallible, QueryError};
use super::pyfmt::c_type_name;
use super::pynum::compare;
use super::value::{Number, Value};

/// Python bools are ints for `==`.
fn numeric(value: &Value) -> Option<Number> {
    match value {
        Value::Bool(b) => Some(Number::Int(i128::from(*b))),
        Value::Number(n) => Some(*n),
        _ => None,
    }
}

/// Python `a == b`.
pub(super) fn py_eq(a: &Value, b: &Value) -> bool {
    if let (Some(x), Some(y)) = (numeric(a), numeric(b)) {
        return compare(x, y) == Some(Ordering::Equal);
    }
    match (a, b) {
        (Value::Null, Value::Null) => true,
        (Value::String(x), Value::String(y)) => x == y,
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y.iter()).all(|(p, q)| py_eq(p, q))
        }
        (Value::Object(x), Value::Object(y)) => {
            if x.len() != y.len() {
                return false;
            }
            if x.is_ordered() && y.is_ordered() {
                x.iter()
                    .zip(y.iter())
                    .all(|((k1, v1), (k2, v2))| k1 == k2 && py_eq(v1, v2))
            } else {
                x.iter().all(|(k, v)| y.get(k).is_some_and(|w| py_eq(v, w)))
            }
        }
        (Value::Expref(x), Value::Expref(y)) => Arc::ptr_eq(x, y),
        _ => false,
    }
}

/// `_equals` in `jmespath.visitor`: at the top level a boolean never equals a number, even
/// though Python's `True == 1`.
pub(super) fn jmespath_eq(a: &Value, b: &Value) -> bool {
    let is_bool_vs_number = matches!(
        (a, b),
        (Value::Bool(_), Value::Number(_)) | (Value::Number(_), Value::Bool(_))
    );
    !is_bool_vs_number && py_eq(a, b)
}

/// Numbers (not bools) and strings; anything else makes an ordering comparison `null`.
fn is_comparable(value: &Value) -> bool {
    matches!(value, Value::Number(_) | Value::String(_))
}

/// Python's rich comparison between two numbers or two strings; mixing them is a TypeError.
pub(super) fn py_compare(op: Comparator, a: &Value, b: &Value) -> Fallible<bool> {
    let ordering = match (a, b) {
        (Value::Number(x), Value::Number(y)) => compare(*x, *y),
        (Value::String(x), Value::String(y)) => Some(x.cmp(y)),
        _ => {
            return Err(QueryError::type_error(format!(
                "'{}' not supported between instances of '{}' and '{}'",
                op.symbol(),
                c_type_name(a),
                c_type_name(b)
            )));
        }
    };
    Ok(match (op, ordering) {
        (_, None) => op == Comparator::Ne,
        (Comparator::Eq, Some(o)) => o == Ordering::Equal,
        (Comparator::Ne, Some(o)) => o != Ordering::Equal,
        (Comparator::Lt, Some(o)) => o == Ordering::Less,
        (Comparator::Lte, Some(o)) => o != Ordering::Greater,
        (Comparator::Gt, Some(o)) => o == Ordering::Greater,
        (Comparator::Gte, Some(o)) => o != Ordering::Less,
    })
}

/// The `<`, `<=`, `>`, `>=` operators of an expression.
pub(super) fn ordering_comparison(op: Comparator, left: &Value, right: &Value) -> Fallible<Value> {
    if !(is_comparable(left) && is_comparable(right)) {
        return Ok(Value::Null);
    }
    py_compare(op, left, right).map(Value::Bool)
}

/// Stable merge sort driven only by a strict "less than", like Python's `sorted`; never
/// panics even if `less` is inconsistent (NaN), unlike the standard library's sorts.
pub(super) fn stable_sort<T: Clone>(items: Vec<T>, less: &impl Fn(&T, &T) -> bool) -> Vec<T> {
    if items.len() < 2 {
        return items;
    }
    let mut mid_items = items;
    let right = mid_items.split_off(mid_items.len() / 2);
    let left = stable_sort(mid_items, less);
    let right = stable_sort(right, less);
    let mut merged = Vec::with_capacity(left.len() + right.len());
    let (mut i, mut j) = (0, 0);
    while i < left.len() && j < right.len() {
        if less(&right[j], &left[i]) {
            merged.push(right[j].clone());
            j += 1;
        } else {
            merged.push(left[i].clone());
            i += 1;
        }
    }
    merged.extend_from_slice(&left[i..]);
    merged.extend_from_slice(&right[j..]);
    merged
}
