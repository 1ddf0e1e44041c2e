//! Differential test against Python: `testdata/golden.json` holds what jmespath 1.1.0 with
//! `dict_cls=OrderedDict` produced (see `testdata/generate_golden.py`); results must match with
//! key order and int/float kind, errors by Python class and exact message.

use serde_json::Value as Json;

use super::compile;

const GOLDEN: &str = include_str!("testdata/golden.json");

/// Describes how `case` differs from what we produce, or `None` if it matches.
fn mismatch(case: &Json) -> Option<String> {
    let Some(expression) = case["expression"].as_str() else {
        return Some("malformed case: no expression".into());
    };
    let input = &case["input"];
    let outcome = compile(expression)
        .map_err(|e| ("compile", e.python_exception(), e.to_string()))
        .and_then(|compiled| {
            compiled
                .search(input)
                .map_err(|e| ("search", e.python_exception(), e.to_string()))
        });
    match (case.get("error"), outcome) {
        (Some(expected), Err((phase, exception, message))) => {
            let actual = serde_json::json!({
                "phase": phase, "exception": exception, "message": message
            });
            (&actual != expected).then(|| format!("expected error {expected}\n     got {actual}"))
        }
        (Some(expected), Ok(found)) => Some(format!(
            "expected error {expected}\n     got result {}",
            found.value
        )),
        (None, Err((_, exception, message))) => {
            Some(format!("expected a result, got {exception}: {message}"))
        }
        (None, Ok(found)) => {
            // Serialising both sides (preserve_order) compares key order and int-vs-float.
            let expected = case["result"].to_string();
            let actual = found.value.to_string();
            let rows = case["multiselect_rows"].as_array();
            let expected_rows: Option<Vec<bool>> =
                rows.and_then(|rows| rows.iter().map(Json::as_bool).collect());
            let Some(expected_rows) = expected_rows else {
                return Some("malformed case: multiselect_rows".into());
            };
            if expected != actual {
                Some(format!("expected {expected}\n     got {actual}"))
            } else if expected_rows != found.multiselect_rows {
                Some(format!(
                    "multiselect rows: expected {expected_rows:?}, got {:?}",
                    found.multiselect_rows
                ))
            } else {
                None
            }
        }
    }
}

#[test]
fn golden_cases_match_python() {
    let cases: Vec<Json> = serde_json::from_str(GOLDEN).expect("golden.json is valid JSON");
    assert!(
        cases.len() >= 80,
        "golden.json should hold at least 80 cases"
    );
    let failures: Vec<String> = cases
        .iter()
        .filter_map(|case| mismatch(case).map(|why| format!("{}\n     {why}", case["expression"])))
        .collect();
    eprintln!(
        "golden: {}/{} cases match Python",
        cases.len() - failures.len(),
        cases.len()
    );
    assert!(
        failures.is_empty(),
        "{} mismatches:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
