//! Python's text renderings of values: `str()`/`repr()` (used in error messages), type names,
//! and `json.dumps(x, separators=(',', ':'))` (used by `to_string`).

use std::fmt::Write;

use super::pynum::float_repr;
use super::value::{Number, Value};

/// Python has no fixed text for an `_Expression` (it embeds a memory address); this is ours.
const EXPREF_TEXT: &str = "<jmespath.visitor._Expression object>";

/// `type(x).__name__`, which Python's function argument checks report for array elements.
pub(super) fn py_type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "NoneType",
        Value::Bool(_) => "bool",
        Value::Number(Number::Int(_)) => "int",
        Value::Number(Number::Float(_)) => "float",
        Value::String(_) => "str",
        Value::Array(_) => "list",
        Value::Object(o) if o.is_ordered() => "OrderedDict",
        Value::Object(_) => "dict",
        Value::Expref(_) => "_Expression",
    }
}

/// `Py_TYPE(x)->tp_name`, used in CPython's own TypeError messages; unlike `__name__` it is
/// qualified for the C-implemented OrderedDict.
pub(super) fn c_type_name(value: &Value) -> &'static str {
    match value {
        Value::Object(o) if o.is_ordered() => "collections.OrderedDict",
        other => py_type_name(other),
    }
}

/// `TYPES_MAP[type(x).__name__]` in `jmespath.functions`.
pub(super) fn jmespath_type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
        Value::Expref(_) => "expref",
    }
}

/// `'%s' % value`.
pub(super) fn py_str(value: &Value) -> String {
    match value {
        Value::String(s) => s.to_string(),
        other => {
            let mut out = String::new();
            repr(other, &mut out);
            out
        }
    }
}

/// `repr(value)` as Python 3.11 prints it (OrderedDict as `OrderedDict([(k, v), ...])`).
pub(super) fn repr(value: &Value, out: &mut String) {
    match value {
        Value::Null => out.push_str("None"),
        Value::Bool(true) => out.push_str("True"),
        Value::Bool(false) => out.push_str("False"),
        Value::Number(Number::Int(i)) => {
            let _ = write!(out, "{i}");
        }
        Value::Number(Number::Float(f)) => out.push_str(&float_repr(*f)),
        Value::String(s) => str_repr(s, out),
        Value::Array(items) => push_joined(out, ["[", ", ", "]"], items.iter(), repr),
        Value::Object(object) if object.is_ordered() => {
            out.push_str("OrderedDict(");
            if !object.is_empty() {
                push_joined(out, ["[", ", ", "]"], object.iter(), |(k, v), out| {
                    out.push('(');
                    str_repr(k, out);
                    out.push_str(", ");
                    repr(v, out);
                    out.push(')');
                });
            }
            out.push(')');
        }
        Value::Object(object) => {
            push_joined(out, ["{", ", ", "}"], object.iter(), |(k, v), out| {
                str_repr(k, out);
                out.push_str(": ");
                repr(v, out);
            });
        }
        Value::Expref(_) => out.push_str(EXPREF_TEXT),
    }
}

/// `repr(str)`, appended to `out`.
pub(super) fn str_repr(s: &str, out: &mut String) {
    out.push_str(&crate::output::pyfmt::str_repr(s));
}

/// `repr()` of a list of str, e.g. the expected-types list in type errors.
pub(super) fn str_list_repr<'a>(items: impl Iterator<Item = &'a str>) -> String {
    let mut out = String::new();
    push_joined(&mut out, ["[", ", ", "]"], items, str_repr);
    out
}

/// `json.dumps(value, separators=(',', ':'), default=str)` with its default `ensure_ascii`.
pub(super) fn json_dumps(value: &Value) -> String {
    let mut out = String::new();
    dump(value, &mut out);
    out
}

fn dump(value: &Value, out: &mut String) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(Number::Int(i)) => {
            let _ = write!(out, "{i}");
        }
        Value::Number(Number::Float(f)) => {
            if f.is_nan() {
                out.push_str("NaN");
            } else if f.is_infinite() {
                out.push_str(if *f > 0.0 { "Infinity" } else { "-Infinity" });
            } else {
                out.push_str(&float_repr(*f));
            }
        }
        Value::String(s) => dump_str(s, out),
        Value::Array(items) => push_joined(out, ["[", ",", "]"], items.iter(), dump),
        Value::Object(object) => {
            push_joined(out, ["{", ",", "}"], object.iter(), |(k, v), out| {
                dump_str(k, out);
                out.push(':');
                dump(v, out);
            });
        }
        Value::Expref(_) => dump_str(EXPREF_TEXT, out),
    }
}

/// `json.dumps` of a str with its default `ensure_ascii`.
fn dump_str(s: &str, out: &mut String) {
    crate::output::json::encode_string(s, true, out);
}

/// Appends `items` as `open`, the items with `separator` between them, `close`: the one loop
/// behind every container rendering here (`repr`'s `", "`, `json.dumps`' compact `","`).
fn push_joined<T>(
    out: &mut String,
    [open, separator, close]: [&str; 3],
    items: impl Iterator<Item = T>,
    mut each: impl FnMut(T, &mut String),
) {
    out.push_str(open);
    for (i, item) in items.enumerate() {
        if i > 0 {
            out.push_str(separator);
        }
        each(item, out);
    }
    out.push_str(close);
}
