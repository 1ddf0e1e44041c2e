//! Tree-walking evaluator, a port of `jmespath.visitor.TreeInterpreter` run with
//! `Options(dict_cls=OrderedDict)`.

use std::sync::Arc;

use super::ast::{Comparator, Node};
use super::compare::{jmespath_eq, ordering_comparison};
use super::error::{Fallible, QueryError};
use super::functions;
use super::value::{ExprefValue, Object, Value};

/// Kept to a thin dispatcher: in debug builds every arm's temporaries get their own stack
/// slot, so one big function would cost kilobytes of stack per nesting level.
pub(super) fn evaluate(node: &Node, value: &Value) -> Fallible<Value> {
    match node {
        Node::Identity | Node::Current => Ok(value.clone()),
        Node::Field(name) => Ok(field(name, value)),
        Node::Literal(literal) => Ok(literal.clone()),
        Node::Index(index) => Ok(match value {
            Value::Array(items) => index_list(items, i128::from(*index))
                .cloned()
                .unwrap_or(Value::Null),
            _ => Value::Null,
        }),
        Node::Slice { start, stop, step } => match value {
            Value::Array(items) => {
                let [start, stop, step] = [*start, *stop, *step].map(|b| b.map(i128::from));
                slice_list(items, start, stop, step).map(Value::array)
            }
            _ => Ok(Value::Null),
        },
        Node::Subexpression(children) | Node::IndexExpression(children) => chain(children, value),
        Node::Projection(left, right) => projection(left, right, value),
        Node::ValueProjection(left, right) => value_projection(left, right, value),
        Node::FilterProjection {
            left,
            right,
            condition,
        } => filter_projection(left, right, condition, value),
        Node::Flatten(inner) => flatten(inner, value),
        Node::Comparator(op, left, right) => comparator(*op, left, right, value),
        Node::Or(left, right) => or(left, right, value),
        Node::And(left, right) => and(left, right, value),
        // Python's `not x`, with 0 special-cased; every number therefore negates to false.
        Node::Not(inner) => Ok(Value::Bool(!evaluate(inner, value)?.is_truthy())),
        Node::Pipe(left, right) => pipe(left, right, value),
        Node::MultiSelectList(items) => multi_select_list(items, value),
        Node::MultiSelectHash(pairs) => multi_select_hash(pairs, value),
        Node::Function { name, args } => function(name, args, value),
        Node::Expref(node) => Ok(Value::Expref(Arc::new(ExprefValue { node: node.clone() }))),
    }
}

fn field(name: &str, value: &Value) -> Value {
    match value {
        Value::Object(object) => object.get(name).cloned().unwrap_or(Value::Null),
        _ => Value::Null,
    }
}

#[inline(never)]
fn chain(children: &[Node], value: &Value) -> Fallible<Value> {
    let mut result = value.clone();
    for child in children {
        result = evaluate(child, &result)?;
    }
    Ok(result)
}

#[inline(never)]
fn projection(left: &Node, right: &Node, value: &Value) -> Fallible<Value> {
    match evaluate(left, value)? {
        Value::Array(items) => project(items.iter(), right),
        _ => Ok(Value::Null),
    }
}

#[inline(never)]
fn value_projection(left: &Node, right: &Node, value: &Value) -> Fallible<Value> {
    match evaluate(left, value)? {
        Value::Object(object) => project(object.values(), right),
        _ => Ok(Value::Null),
    }
}

#[inline(never)]
fn filter_projection(
    left: &Node,
    right: &Node,
    condition: &Node,
    value: &Value,
) -> Fallible<Value> {
    let Value::Array(items) = evaluate(left, value)? else {
        return Ok(Value::Null);
    };
    let mut collected = Vec::new();
    for item in items.iter() {
        if evaluate(condition, item)?.is_truthy() {
            let current = evaluate(right, item)?;
            if !current.is_null() {
                collected.push(current);
            }
        }
    }
    Ok(Value::array(collected))
}

#[inline(never)]
fn flatten(inner: &Node, value: &Value) -> Fallible<Value> {
    let Value::Array(items) = evaluate(inner, value)? else {
        return Ok(Value::Null);
    };
    let mut merged = Vec::with_capacity(items.len());
    for item in items.iter() {
        match item {
            Value::Array(nested) => merged.extend(nested.iter().cloned()),
            other => merged.push(other.clone()),
        }
    }
    Ok(Value::array(merged))
}

#[inline(never)]
fn comparator(op: Comparator, left: &Node, right: &Node, value: &Value) -> Fallible<Value> {
    let left = evaluate(left, value)?;
    let right = evaluate(right, value)?;
    match op {
        Comparator::Eq => Ok(Value::Bool(jmespath_eq(&left, &right))),
        Comparator::Ne => Ok(Value::Bool(!jmespath_eq(&left, &right))),
        _ => ordering_comparison(op, &left, &right),
    }
}

#[inline(never)]
fn or(left: &Node, right: &Node, value: &Value) -> Fallible<Value> {
    let matched = evaluate(left, value)?;
    if matched.is_truthy() {
        Ok(matched)
    } else {
        evaluate(right, value)
    }
}

#[inline(never)]
fn and(left: &Node, right: &Node, value: &Value) -> Fallible<Value> {
    let matched = evaluate(left, value)?;
    if matched.is_truthy() {
        evaluate(right, value)
    } else {
        Ok(matched)
    }
}

#[inline(never)]
fn pipe(left: &Node, right: &Node, value: &Value) -> Fallible<Value> {
    let intermediate = evaluate(left, value)?;
    evaluate(right, &intermediate)
}

#[inline(never)]
fn multi_select_list(items: &[Node], value: &Value) -> Fallible<Value> {
    if value.is_null() {
        return Ok(Value::Null);
    }
    let collected: Result<Vec<_>, _> = items.iter().map(|item| evaluate(item, value)).collect();
    Ok(Value::array(collected?))
}

#[inline(never)]
fn multi_select_hash(pairs: &[(String, Node)], value: &Value) -> Fallible<Value> {
    if value.is_null() {
        return Ok(Value::Null);
    }
    let mut object = Object::new(true);
    for (key, child) in pairs {
        object.insert(Arc::from(key.as_str()), evaluate(child, value)?);
    }
    Ok(Value::Object(Arc::new(object)))
}

#[inline(never)]
fn function(name: &str, args: &[Node], value: &Value) -> Fallible<Value> {
    let resolved: Result<Vec<_>, _> = args.iter().map(|arg| evaluate(arg, value)).collect();
    functions::call(name, resolved?)
}

fn project<'v>(items: impl Iterator<Item = &'v Value>, right: &Node) -> Fallible<Value> {
    let mut collected = Vec::new();
    for item in items {
        let current = evaluate(right, item)?;
        if !current.is_null() {
            collected.push(current);
        }
    }
    Ok(Value::array(collected))
}

/// Python list indexing, negative indices counting from the end.
fn index_list(items: &[Value], index: i128) -> Option<&Value> {
    let len = items.len() as i128;
    let index = if index < 0 { index + len } else { index };
    usize::try_from(index).ok().and_then(|i| items.get(i))
}

/// `list[slice(start, stop, step)]`, following `PySlice_AdjustIndices`.
fn slice_list(
    items: &[Value],
    start: Option<i128>,
    stop: Option<i128>,
    step: Option<i128>,
) -> Fallible<Vec<Value>> {
    let step = step.unwrap_or(1).max(-i128::MAX);
    if step == 0 {
        return Err(QueryError::invalid_value(
            "slice step cannot be zero".into(),
        ));
    }
    let len = items.len() as i128;
    let adjust = |bound: Option<i128>, default: i128| match bound {
        None => default,
        Some(b) if b < 0 => (b + len).max(if step < 0 { -1 } else { 0 }),
        Some(b) if b >= len => {
            if step < 0 {
                len - 1
            } else {
                len
            }
        }
        Some(b) => b,
    };
    let (start, stop) = if step < 0 {
        (adjust(start, len - 1), adjust(stop, -1))
    } else {
        (adjust(start, 0), adjust(stop, len))
    };
    let count = if step < 0 {
        if stop < start {
            (start - stop - 1) / (-step) + 1
        } else {
            0
        }
    } else if start < stop {
        (stop - start - 1) / step + 1
    } else {
        0
    };
    let mut out = Vec::with_capacity(usize::try_from(count).unwrap_or(0));
    let mut position = start;
    for _ in 0..count {
        if let Some(item) = usize::try_from(position).ok().and_then(|i| items.get(i)) {
            out.push(item.clone());
        }
        position = position.saturating_add(step);
    }
    Ok(out)
}

/// Lets built-in functions run `&expr` arguments.
pub(super) fn apply_expref(expref: &ExprefValue, value: &Value) -> Fallible<Value> {
    evaluate(&expref.node, value)
}
