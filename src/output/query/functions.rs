//! Function table and argument validation, a port of `jmespath.functions.Functions`
//! (`call_function`, `_validate_arguments`, `_type_check`): unknown names and arity are only
//! checked when a call is evaluated, and type errors report what Python reports.

use super::builtins;
use super::error::{Fallible, QueryError};
use super::pyfmt::{jmespath_type_name, py_str, py_type_name};
use super::value::Value;

type Implementation = fn(Vec<Value>) -> Fallible<Value>;

/// One `@signature(...)`: per parameter its allowed types (empty = any), as Python spells
/// them, since they appear verbatim in error messages.
struct Spec {
    name: &'static str,
    params: &'static [&'static [&'static str]],
    variadic: bool,
    run: Implementation,
}

const fn spec(
    name: &'static str,
    params: &'static [&'static [&'static str]],
    variadic: bool,
    run: Implementation,
) -> Spec {
    Spec {
        name,
        params,
        variadic,
        run,
    }
}

const NUMBER: &[&str] = &["number"];
const STRING: &[&str] = &["string"];
const ARRAY: &[&str] = &["array"];
const OBJECT: &[&str] = &["object"];
const EXPREF: &[&str] = &["expref"];
const ANY: &[&str] = &[];
/// `max` and `min` take either kind of array.
const NUMBERS_OR_STRINGS: &[&str] = &["array-number", "array-string"];

const FUNCTIONS: &[Spec] = &[
    spec("abs", &[NUMBER], false, builtins::abs),
    spec("avg", &[&["array-number"]], false, builtins::avg),
    spec("ceil", &[NUMBER], false, builtins::ceil),
    spec(
        "contains",
        &[&["array", "string"], ANY],
        false,
        builtins::contains,
    ),
    spec("ends_with", &[STRING, STRING], false, builtins::ends_with),
    spec("floor", &[NUMBER], false, builtins::floor),
    spec("join", &[STRING, &["array-string"]], false, builtins::join),
    spec("keys", &[OBJECT], false, builtins::keys),
    spec(
        "length",
        &[&["string", "array", "object"]],
        false,
        builtins::length,
    ),
    spec("map", &[EXPREF, ARRAY], false, builtins::map),
    spec("max", &[NUMBERS_OR_STRINGS], false, builtins::max),
    spec("max_by", &[ARRAY, EXPREF], false, builtins::max_by),
    spec("merge", &[OBJECT], true, builtins::merge),
    spec("min", &[NUMBERS_OR_STRINGS], false, builtins::min),
    spec("min_by", &[ARRAY, EXPREF], false, builtins::min_by),
    spec("not_null", &[ANY], true, builtins::not_null),
    spec("reverse", &[&["array", "string"]], false, builtins::reverse),
    spec(
        "sort",
        &[&["array-string", "array-number"]],
        false,
        builtins::sort,
    ),
    spec("sort_by", &[ARRAY, EXPREF], false, builtins::sort_by),
    spec(
        "starts_with",
        &[STRING, STRING],
        false,
        builtins::starts_with,
    ),
    spec("sum", &[&["array-number"]], false, builtins::sum),
    spec("to_array", &[ANY], false, builtins::to_array),
    spec("to_number", &[ANY], false, builtins::to_number),
    spec("to_string", &[ANY], false, builtins::to_string),
    spec("type", &[ANY], false, builtins::type_of),
    spec("values", &[OBJECT], false, builtins::values),
];

pub(super) fn call(name: &str, args: Vec<Value>) -> Fallible<Value> {
    let Some(spec) = FUNCTIONS.iter().find(|spec| spec.name == name) else {
        return Err(Box::new(QueryError::UnknownFunction {
            name: name.to_string(),
        }));
    };
    let expected = spec.params.len();
    let arity_ok = if spec.variadic {
        args.len() >= expected
    } else {
        args.len() == expected
    };
    if !arity_ok {
        return Err(Box::new(QueryError::InvalidArity {
            function: name.to_string(),
            expected,
            actual: args.len(),
            variadic: spec.variadic,
        }));
    }
    // Like Python, only the declared parameters are checked, never extra variadic ones.
    for (arg, types) in args.iter().zip(spec.params) {
        if !types.is_empty() {
            check_type(name, arg, types)?;
        }
    }
    (spec.run)(args)
}

/// `REVERSE_TYPES_MAP`: which Python type names a JMESPath type name admits.
fn python_types(jmespath_type: &str) -> &'static [&'static str] {
    match jmespath_type {
        "boolean" => &["bool"],
        "array" => &["list", "_Projection"],
        "object" => &["dict", "OrderedDict"],
        "null" => &["NoneType"],
        "string" => &["unicode", "str"],
        "number" => &["float", "int", "long"],
        "expref" => &["_Expression"],
        _ => &[],
    }
}

pub(super) fn invalid_type(
    function: &str,
    value: &Value,
    received: &str,
    expected: &[&str],
) -> Box<QueryError> {
    Box::new(QueryError::InvalidType {
        function: function.to_string(),
        value: py_str(value),
        expected: expected.iter().map(|t| t.to_string()).collect(),
        received: received.to_string(),
    })
}

/// `_type_check_single` followed by `_subtype_check`.
fn check_type(function: &str, current: &Value, types: &[&str]) -> Fallible<()> {
    let mut allowed: Vec<&str> = Vec::new();
    let mut allowed_subtypes: Vec<&[&str]> = Vec::new();
    for t in types {
        let (base, subtype) = match t.split_once('-') {
            Some((base, subtype)) => (base, Some(subtype)),
            None => (*t, None),
        };
        if let Some(subtype) = subtype {
            allowed_subtypes.push(python_types(subtype));
        }
        allowed.extend_from_slice(python_types(base));
    }
    if !allowed.contains(&py_type_name(current)) {
        return Err(invalid_type(
            function,
            current,
            jmespath_type_name(current),
            types,
        ));
    }
    let Value::Array(items) = current else {
        return Ok(());
    };
    let element_error = |element: &Value| {
        Err(invalid_type(
            function,
            element,
            py_type_name(element),
            types,
        ))
    };
    match allowed_subtypes.as_slice() {
        [] => Ok(()),
        [only] => match items.iter().find(|e| !only.contains(&py_type_name(e))) {
            Some(element) => element_error(element),
            None => Ok(()),
        },
        // The first element decides which of the subtypes all elements must share.
        several => {
            let Some(first) = items.first() else {
                return Ok(());
            };
            let first_name = py_type_name(first);
            let Some(group) = several.iter().find(|group| group.contains(&first_name)) else {
                return element_error(first);
            };
            match items.iter().find(|e| !group.contains(&py_type_name(e))) {
                Some(element) => element_error(element),
                None => Ok(()),
            }
        }
    }
}
