//! Focused checks of the public API and of behaviour the golden file cannot express (values
//! Python cannot serialise, error classification, thread sharing, helper edge cases).

use serde_json::{Value as Json, json};

use super::pynum::{float_repr, parse_float, parse_int};
use super::value::Number;
use super::{Expression, QueryError, Searched, SyntaxErrorKind, compile};

fn search(expression: &str, data: &Json) -> Searched {
    let compiled = compile(expression).unwrap_or_else(|e| panic!("{expression}: {e}"));
    compiled
        .search(data)
        .unwrap_or_else(|e| panic!("{expression}: {e}"))
}

fn search_error(expression: &str, data: &Json) -> QueryError {
    let compiled = compile(expression).unwrap_or_else(|e| panic!("{expression}: {e}"));
    compiled.search(data).expect_err(expression)
}

#[test]
fn expression_is_send_sync_clone_and_keeps_its_source() {
    fn assert_traits<T: Send + Sync + Clone + std::fmt::Debug>() {}
    assert_traits::<Expression>();
    let compiled = compile("a.b | [0]").expect("compiles");
    assert_eq!(compiled.clone().source(), "a.b | [0]");
}

#[test]
fn compiled_expression_is_shareable_across_threads() {
    let compiled = std::sync::Arc::new(compile("[].{n: name}").expect("compiles"));
    let handles: Vec<_> = (0..4)
        .map(|i| {
            let compiled = compiled.clone();
            std::thread::spawn(move || compiled.search(&json!([{"name": i}])).expect("ok").value)
        })
        .collect();
    for (i, handle) in handles.into_iter().enumerate() {
        assert_eq!(handle.join().expect("thread"), json!([{"n": i}]));
    }
}

#[test]
fn multiselect_rows_mark_only_objects_built_by_a_multiselect_hash() {
    let data = json!({"a": 1, "list": [{"x": 1}]});
    let rows = |expression: &str| search(expression, &data).multiselect_rows;
    assert_eq!(rows("{a: a}"), [true]);
    assert_eq!(rows("@"), [false]);
    assert_eq!(rows("`1`"), [false]);
    assert_eq!(rows("missing"), [false]);
    assert_eq!(rows("list[?x > `5`]"), Vec::<bool>::new());
    assert_eq!(
        rows("[{a: a}, @, list[0], `{\"b\": 2}`]"),
        [true, false, false, false]
    );
    assert_eq!(rows("merge({a: a})"), [false]);
    assert_eq!(rows("to_array({a: a})"), [true]);
    assert_eq!(rows("list[].{x: x}"), [true]);
}

#[test]
fn key_order_is_preserved_in_output() {
    let data = json!({"zeta": 1, "alpha": 2});
    let found = search(
        "{z: zeta, a: alpha, m: merge(@, {b: `0`, zeta: `9`})}",
        &data,
    );
    let text = serde_json::to_string(&found.value).expect("serialises");
    assert_eq!(text, r#"{"z":1,"a":2,"m":{"zeta":9,"alpha":2,"b":0}}"#);
}

#[test]
fn numbers_keep_python_int_and_float_kinds() {
    let data = json!({"big": u64::MAX, "small": i64::MIN, "two": 2.0, "ints": [1, 2]});
    let text = |expression: &str| search(expression, &data).value.to_string();
    assert_eq!(text("big"), u64::MAX.to_string());
    assert_eq!(text("small"), i64::MIN.to_string());
    assert_eq!(text("two"), "2.0");
    assert_eq!(text("sum(ints)"), "3");
    assert_eq!(text("avg(ints)"), "1.5");
    assert_eq!(text("avg(`[]`)"), "null");
    assert_eq!(text("floor(two)"), "2");
    assert_eq!(text("abs(`-3`)"), "3");
    assert_eq!(text("to_number('42')"), "42");
    assert_eq!(text("length('abc')"), "3");
    // Documented deviation: Python's exact 36893488147419103230 does not fit serde_json.
    assert_eq!(text("sum([big, big])"), "3.6893488147419103e+19");
}

#[test]
fn values_python_could_return_but_json_cannot_hold_become_null() {
    assert_eq!(search("&a", &Json::Null).value, Json::Null);
    assert_eq!(search("`NaN`", &Json::Null).value, Json::Null);
    assert_eq!(
        search("[`Infinity`, `-Infinity`]", &json!({})).value,
        json!([null, null])
    );
    assert_eq!(
        search("to_string(&a)", &Json::Null).value,
        json!("\"<jmespath.visitor._Expression object>\"")
    );
}

#[test]
fn function_errors_are_raised_only_when_the_call_is_evaluated() {
    let data = json!({"a": "x", "empty": []});
    assert_eq!(search("`false` && nope()", &data).value, json!(false));
    assert_eq!(search("a || length(`1`)", &data).value, json!("x"));
    assert_eq!(search("empty[].nope(@)", &data).value, json!([]));
    assert_eq!(search("missing.{a: nope()}", &data).value, Json::Null);
    assert!(matches!(
        search_error("nope()", &data),
        QueryError::UnknownFunction { .. }
    ));
}

#[test]
fn query_errors_know_their_python_class() {
    let data = json!({"a": [1, 2], "s": "abc"});
    let cases = [
        ("nope()", "UnknownFunctionError", true),
        ("abs(`1`, `2`)", "ArityError", true),
        ("not_null()", "VariadictArityError", true),
        ("abs(s)", "JMESPathTypeError", true),
        ("a[::0]", "ValueError", false),
        ("s < `1`", "TypeError", false),
        ("floor(`Infinity`)", "OverflowError", false),
    ];
    for (expression, class, is_jmespath) in cases {
        let error = search_error(expression, &data);
        assert_eq!(error.python_exception(), class, "{expression}");
        assert_eq!(error.is_jmespath_error(), is_jmespath, "{expression}");
        assert!(!error.to_string().is_empty());
    }
}

#[test]
fn syntax_errors_expose_kind_reason_and_character_position() {
    let error = |expression: &str| compile(expression).expect_err(expression);
    assert_eq!(error("").kind(), SyntaxErrorKind::Empty);
    let lexer = error("é.a = b");
    assert_eq!(
        (lexer.kind(), lexer.message(), lexer.position()),
        (SyntaxErrorKind::Lexer, "Unknown token é", 0)
    );
    let parse = error("\"é\" ]");
    assert_eq!(
        (parse.kind(), parse.position()),
        (SyntaxErrorKind::Parse, 4)
    );
    assert_eq!(parse.message(), "Unexpected token: ]");
    assert_eq!(parse.python_exception(), "ParseError");
    let incomplete = error("aé.");
    assert_eq!(incomplete.kind(), SyntaxErrorKind::Lexer);
    let incomplete = error("a.\"é\" ||");
    assert_eq!(
        (incomplete.kind(), incomplete.position()),
        (SyntaxErrorKind::Incomplete, 8)
    );
    let long = error(&"9".repeat(4301));
    assert_eq!(
        (long.kind(), long.python_exception()),
        (SyntaxErrorKind::IntegerTooLong, "ValueError")
    );
    assert!(
        long.to_string()
            .starts_with("Exceeds the limit (4300 digits)")
    );
    let deep = error(&format!("{}a{}", "(".repeat(500), ")".repeat(500)));
    assert_eq!(deep.kind(), SyntaxErrorKind::TooDeep);
    let literal = error(&format!("`{}`", "[".repeat(1000)));
    assert_eq!(literal.kind(), SyntaxErrorKind::TooDeep);
}

#[test]
fn float_repr_matches_python() {
    let cases = [
        (0.0, "0.0"),
        (-0.0, "-0.0"),
        (1.0, "1.0"),
        (1.5, "1.5"),
        (0.1, "0.1"),
        (1e16, "1e+16"),
        (1e15, "1000000000000000.0"),
        (123456789012345678.0, "1.2345678901234568e+17"),
        (1e-4, "0.0001"),
        (1e-5, "1e-05"),
        (-2.5e-7, "-2.5e-07"),
        (5e-324, "5e-324"),
        (f64::MAX, "1.7976931348623157e+308"),
        (f64::INFINITY, "inf"),
        (f64::NEG_INFINITY, "-inf"),
        (f64::NAN, "nan"),
    ];
    for (value, expected) in cases {
        assert_eq!(float_repr(value), expected, "{value:e}");
    }
}

#[test]
fn int_and_float_parsing_match_python() {
    let int = |s: &str| match parse_int(s) {
        Some(Number::Int(i)) => Some(i),
        _ => None,
    };
    assert_eq!(int("42"), Some(42));
    assert_eq!(int(" -7\n"), Some(-7));
    assert_eq!(int("+1_000"), Some(1000));
    assert_eq!(int("007"), Some(7));
    assert_eq!(int("\u{0663}\u{0664}"), Some(34));
    assert_eq!(int("\u{a0}5\u{3000}"), Some(5));
    for bad in [
        "", "_1", "1_", "1__0", "- 1", "0x10", "1.0", "1e3", "\u{1c}1", "\u{7f}1", "١a",
    ] {
        assert_eq!(int(bad), None, "{bad:?}");
    }
    assert!(matches!(
        parse_int("99999999999999999999999999999999999999999"),
        Some(Number::Float(_))
    ));
    assert_eq!(parse_float("4.2"), Some(4.2));
    assert_eq!(parse_float(".5"), Some(0.5));
    assert_eq!(parse_float("5."), Some(5.0));
    assert_eq!(parse_float(" 1_0.5e1_0 "), Some(105_000_000_000.0));
    assert_eq!(parse_float("-InFiNiTy"), Some(f64::NEG_INFINITY));
    assert!(parse_float("nan").is_some_and(f64::is_nan));
    for bad in [
        "", ".", "e5", "1e", "1e+", "1._5", "_1.0", "in_f", "0x1p3", "1,5",
    ] {
        assert_eq!(parse_float(bad), None, "{bad:?}");
    }
}

#[test]
fn wide_objects_keep_order_through_lookups_and_updates() {
    let wide: serde_json::Map<String, Json> =
        (0..40).rev().map(|i| (format!("k{i}"), json!(i))).collect();
    let data = Json::Object(wide);
    for i in 0..40 {
        assert_eq!(search(&format!("k{i}"), &data).value, json!(i));
    }
    let keys = search("keys(merge(@, {k5: `-1`, new: `1`}))", &data).value;
    let keys: Vec<&str> = keys
        .as_array()
        .expect("array")
        .iter()
        .filter_map(Json::as_str)
        .collect();
    assert_eq!(keys.first(), Some(&"k39"));
    assert_eq!(keys.last(), Some(&"new"));
    assert_eq!(search("merge(@, {k5: `-1`}).k5", &data).value, json!(-1));
    assert_eq!(keys.len(), 41);
}
