//! No input may panic or overflow the stack: every compliance expression against every
//! compliance document, every expression prefix, and deeply nested expressions and data.

use std::panic::{AssertUnwindSafe, catch_unwind};

use serde_json::{Value as Json, json};

use super::compliance_tests::compliance_cases;
use super::{SyntaxErrorKind, compile};

/// Stack of a freshly spawned Rust thread; the engine must fit in it even in debug builds.
const SMALL_STACK: usize = 2 * 1024 * 1024;

fn on_small_stack(test: impl FnOnce() + Send + 'static) {
    std::thread::Builder::new()
        .stack_size(SMALL_STACK)
        .spawn(test)
        .expect("spawn test thread")
        .join()
        .expect("test thread must not panic or overflow");
}

fn odd_documents() -> Vec<Json> {
    let wide: serde_json::Map<String, Json> =
        (0..40).rev().map(|i| (format!("k{i}"), json!(i))).collect();
    vec![
        Json::Null,
        json!(true),
        json!(0),
        json!(-1.5),
        json!(u64::MAX),
        json!(i64::MIN),
        json!(1e308),
        json!("a string é 😀"),
        json!([]),
        json!({}),
        json!([[1, [2, [3]]], {"a": {"b": null}}, "x", null, false]),
        json!({"é": {"😀": [1, 2]}, "": "empty key", "foo": [{"bar": 1}, {"bar": "x"}]}),
        Json::Object(wide),
    ]
}

#[test]
fn every_compliance_expression_on_every_document_does_not_panic() {
    let cases = compliance_cases();
    let mut documents: Vec<Json> = cases.iter().map(|(_, given, _)| given.clone()).collect();
    documents.dedup();
    documents.extend(odd_documents());
    let expressions: Vec<String> = cases
        .iter()
        .filter_map(|(_, _, case)| case["expression"].as_str().map(String::from))
        .collect();
    let mut evaluations = 0;
    for expression in &expressions {
        let Ok(compiled) = compile(expression) else {
            continue;
        };
        for document in &documents {
            let outcome = catch_unwind(AssertUnwindSafe(|| compiled.search(document)));
            assert!(
                outcome.is_ok(),
                "panic evaluating {expression:?} on {document}"
            );
            evaluations += 1;
        }
    }
    assert!(evaluations > 100_000, "only {evaluations} evaluations ran");
}

#[test]
fn every_expression_prefix_compiles_or_fails_cleanly() {
    let golden: Vec<Json> =
        serde_json::from_str(include_str!("testdata/golden.json")).expect("golden.json");
    let mut expressions: Vec<String> = compliance_cases()
        .iter()
        .filter_map(|(_, _, case)| case["expression"].as_str().map(String::from))
        .collect();
    expressions.extend(
        golden
            .iter()
            .filter_map(|c| c["expression"].as_str().map(String::from)),
    );
    let document = json!({"a": [1, {"b": "c"}], "foo": {"bar": [1, 2.5, "x"]}});
    for expression in &expressions {
        let chars: Vec<char> = expression.chars().collect();
        for end in 0..=chars.len() {
            let prefix: String = chars[..end].iter().collect();
            let outcome = catch_unwind(|| compile(&prefix).map(|c| c.search(&document).is_ok()));
            assert!(outcome.is_ok(), "panic on prefix {prefix:?}");
        }
    }
}

/// Expressions nested `depth` times in various ways.
fn nested_expressions(depth: usize) -> Vec<String> {
    let repeat = |s: &str| s.repeat(depth);
    vec![
        format!("{}a{}", repeat("("), repeat(")")),
        format!("{}a{}", repeat("["), repeat("]")),
        format!("{}a", repeat("!")),
        format!("a{}", repeat("[*].a")),
        format!("{}a{}", repeat("{a:"), repeat("}")),
        format!("{}a{}", repeat("abs("), repeat(")")),
        format!("{}a", repeat("& ")),
        format!("a{}", repeat(" | a")),
        format!("a{}", repeat(" || a")),
        format!("a{}", repeat(" == a")),
        format!("a{}", repeat(".a")),
        format!("a{}", repeat("[0]")),
        format!("a{}", repeat("[]")),
        format!("a{}", repeat("[?a]")),
        format!("`{}1{}`", repeat("["), repeat("]")),
    ]
}

#[test]
fn deep_expressions_are_evaluated_or_rejected_without_overflow() {
    on_small_stack(|| {
        let document = json!({"a": {"a": [{"a": 1}]}});
        for depth in [1, 50, 100, 299, 301, 1_000, 20_000] {
            for expression in nested_expressions(depth) {
                match compile(&expression) {
                    Ok(compiled) => {
                        let _ = compiled.search(&document);
                    }
                    Err(error) => assert!(
                        depth > 100 || error.kind() != SyntaxErrorKind::TooDeep,
                        "{depth} levels should not be too deep: {}",
                        &expression[..40.min(expression.len())]
                    ),
                }
            }
        }
    });
}

#[test]
fn deep_expressions_beyond_the_limit_are_syntax_errors() {
    for expression in nested_expressions(5_000) {
        let error = compile(&expression).err();
        let kind = error.as_ref().map(|e| e.kind());
        let flat = expression.starts_with("a.a") || expression.starts_with("a[0]");
        if flat {
            assert!(error.is_none(), "flat chains are not nesting: {kind:?}");
        } else {
            assert_eq!(
                kind,
                Some(SyntaxErrorKind::TooDeep),
                "{}",
                &expression[..20]
            );
        }
    }
}

fn nested_array(depth: usize) -> Json {
    let mut value = json!(1);
    for _ in 0..depth {
        value = Json::Array(vec![value]);
    }
    value
}

#[test]
fn deep_data_is_processed_or_refused_without_overflow() {
    on_small_stack(|| {
        let expressions = [
            "@",
            "to_string(@)",
            "@ == @",
            "[@]",
            "{a: @}",
            "abs(@)",
            "[0][0][0]",
        ];
        for depth in [100, 900, 999] {
            let document = nested_array(depth);
            for expression in expressions {
                let found = compile(expression).expect("compiles").search(&document);
                assert!(
                    found.is_ok() || expression == "abs(@)",
                    "{expression} at depth {depth}: {found:?}"
                );
            }
        }
        let too_deep = nested_array(5_000);
        let error = compile("@")
            .expect("compiles")
            .search(&too_deep)
            .expect_err("refused");
        assert_eq!(error.python_exception(), "RecursionError");
        // A literal within the JSON depth limit must evaluate and convert back.
        let literal = format!(
            "`{}1{}` == `{}1{}`",
            "[".repeat(800),
            "]".repeat(800),
            "[".repeat(800),
            "]".repeat(800)
        );
        let found = compile(&literal)
            .expect("compiles")
            .search(&Json::Null)
            .expect("evaluates");
        assert_eq!(found.value, json!(true));
    });
}
