//! Runs every case of the official JMESPath compliance suite (`tests/data/jmespath-compliance`).

use serde_json::Value as Json;

use super::{QueryError, compile};

const COMPLIANCE_DIR: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/data/jmespath-compliance"
);

/// Every suite file as (file name, parsed JSON), sorted by name.
pub(super) fn compliance_files() -> Vec<(String, Json)> {
    let mut files: Vec<_> = std::fs::read_dir(COMPLIANCE_DIR)
        .expect("compliance data directory (tests/data symlink) is missing")
        .map(|entry| entry.expect("readable directory entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|path| {
            let text = std::fs::read_to_string(&path).expect("readable compliance file");
            let name = path
                .file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned();
            (
                name,
                serde_json::from_str(&text).expect("compliance file is JSON"),
            )
        })
        .collect()
}

/// Yields (file, given, case) for every case of every suite.
pub(super) fn compliance_cases() -> Vec<(String, Json, Json)> {
    let mut cases = Vec::new();
    for (name, suites) in compliance_files() {
        for suite in suites.as_array().into_iter().flatten() {
            for case in suite["cases"].as_array().into_iter().flatten() {
                cases.push((name.clone(), suite["given"].clone(), case.clone()));
            }
        }
    }
    cases
}

/// JSON equality with numbers compared by value (1 == 1.0), key order ignored.
fn json_equal(a: &Json, b: &Json) -> bool {
    match (a, b) {
        (Json::Number(x), Json::Number(y)) => match (x.as_i64(), y.as_i64()) {
            (Some(i), Some(j)) => i == j,
            _ => x.as_f64() == y.as_f64(),
        },
        (Json::Array(x), Json::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| json_equal(p, q))
        }
        (Json::Object(x), Json::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| json_equal(v, w)))
        }
        _ => a == b,
    }
}

fn error_kind(error: &QueryError) -> &'static str {
    match error {
        QueryError::UnknownFunction { .. } => "unknown-function",
        QueryError::InvalidArity { .. } => "invalid-arity",
        QueryError::InvalidType { .. } => "invalid-type",
        QueryError::InvalidValue { .. } => "invalid-value",
        QueryError::Runtime { .. } => "python-runtime-error",
    }
}

/// The outcome of one case: `Ok(())` or a description of the mismatch.
fn run_case(given: &Json, case: &Json) -> Result<(), String> {
    let expression = case["expression"]
        .as_str()
        .ok_or("case without expression")?;
    let compiled = compile(expression);
    if let Some(expected_kind) = case.get("error").and_then(Json::as_str) {
        let actual = match compiled {
            Err(_) => "syntax".to_string(),
            Ok(compiled) => match compiled.search(given) {
                Ok(found) => format!("result {}", found.value),
                Err(error) => error_kind(&error).to_string(),
            },
        };
        return if actual == expected_kind {
            Ok(())
        } else {
            Err(format!("expected error {expected_kind}, got {actual}"))
        };
    }
    let compiled = compiled.map_err(|e| format!("unexpected syntax error: {e}"))?;
    let found = compiled
        .search(given)
        .map_err(|e| format!("unexpected error: {e}"));
    if case.get("bench").is_some() {
        return found.map(|_| ());
    }
    let found = found?;
    let expected = case.get("result").ok_or("case without result")?;
    if json_equal(&found.value, expected) {
        Ok(())
    } else {
        Err(format!("expected {expected}, got {}", found.value))
    }
}

#[test]
fn compliance_suite_passes_completely() {
    let (mut passed, mut total, mut benchmarks) = (0, 0, 0);
    let mut failures = Vec::new();
    for (file, given, case) in compliance_cases() {
        let is_benchmark = case.get("bench").is_some();
        if is_benchmark {
            benchmarks += 1;
        } else {
            total += 1;
        }
        match run_case(&given, &case) {
            Ok(()) if !is_benchmark => passed += 1,
            Ok(()) => {}
            Err(why) => failures.push(format!("{file}: {} -> {why}", case["expression"])),
        }
    }
    eprintln!(
        "compliance: {passed}/{total} non-benchmark cases passed, {benchmarks} benchmarks ran"
    );
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert_eq!(
        (total, benchmarks),
        (892, 16),
        "the suite should hold 892 cases + 16 benchmarks"
    );
    assert_eq!(passed, total);
}
