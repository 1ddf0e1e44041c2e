//! Golden tests: every case of `testdata/cases.json` rendered by the real knack/PyYAML/
//! tabulate/azure-cli code (`testdata/generate.py` wrote `golden.json`) must come out of
//! these formatters byte for byte.

use super::{json, table, transformers, tsv, yaml};
use serde_json::Value;

const CASES: &str = include_str!("testdata/cases.json");
const GOLDEN: &str = include_str!("testdata/golden.json");

/// Renders one case the way az would, returning (format, text) pairs; a table that
/// cannot be rendered is reported as the format `table_error`.
pub(super) fn render(
    doc: &Value,
    query: bool,
    multiselect: &[bool],
    transformer: Option<&str>,
) -> Vec<(&'static str, String)> {
    // knack: a transformer runs only without --query; keys are sorted only with neither.
    let table = match transformer.filter(|_| !query) {
        None => table::dump(doc, !query && transformer.is_none()),
        Some(name) => {
            let f = match name {
                "token" => transformers::token_table,
                "credential" => transformers::credential_table,
                "scope_map" => transformers::scope_map_table,
                other => panic!("unknown transformer {other}"),
            };
            f(doc).and_then(|rows| table::dump(&rows, false))
        }
    };
    let table = match table {
        Ok(text) => ("table", text),
        Err(_) => ("table_error", "true".to_string()),
    };
    vec![
        ("json", json::dumps(doc) + "\n"),
        ("yaml", yaml::safe_dump(doc)),
        ("tsv", tsv::dump(doc, multiselect)),
        table,
    ]
}

/// First differing line, to keep failure output readable.
pub(super) fn first_difference(want: &str, got: &str) -> String {
    let (w, g): (Vec<&str>, Vec<&str>) = (want.split('\n').collect(), got.split('\n').collect());
    for i in 0..w.len().max(g.len()) {
        if w.get(i) != g.get(i) {
            return format!(
                "line {}: want {:?}\n          got  {:?}",
                i + 1,
                w.get(i),
                g.get(i)
            );
        }
    }
    "identical".into()
}

#[test]
fn golden_outputs_match_python() {
    let cases: Vec<Value> = serde_json::from_str(CASES).expect("cases.json");
    let golden: Value = serde_json::from_str(GOLDEN).expect("golden.json");
    let mut failures = Vec::new();
    let mut compared = 0;
    for case in &cases {
        let name = case["name"].as_str().expect("name");
        let multiselect: Vec<bool> = case
            .get("multiselect")
            .and_then(Value::as_array)
            .map(|a| a.iter().map(|b| b.as_bool().unwrap_or(false)).collect())
            .unwrap_or_default();
        let query = case.get("query").and_then(Value::as_bool).unwrap_or(false);
        let transformer = case.get("transformer").and_then(Value::as_str);
        let want = &golden[name];
        for (format, got) in render(&case["doc"], query, &multiselect, transformer) {
            compared += 1;
            // Examples copied from the behaviour spec must come out exactly as printed there.
            if let Some(Value::String(text)) = case.get("spec").and_then(|s| s.get(format))
                && *text != got
            {
                failures.push(format!(
                    "{name} [{format}] vs spec: {}",
                    first_difference(text, &got)
                ));
            }
            let expected = match (format, &want[format]) {
                ("table_error", Value::Bool(true)) => "true",
                (_, Value::String(s)) => s.as_str(),
                _ => "<absent from golden.json>",
            };
            if expected != got {
                failures.push(format!(
                    "{name} [{format}]: {}",
                    first_difference(expected, &got)
                ));
            }
        }
    }
    assert!(compared >= 4 * 80, "only {compared} comparisons");
    assert!(
        colour_failures(&cases).is_empty(),
        "{}",
        colour_failures(&cases).join("\n")
    );
    assert!(
        failures.is_empty(),
        "{} of {compared} outputs differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// `jsonc` / `yamlc` are not byte-compared with pygments, but without their SGR codes they
/// must be the plain documents (documents themselves never hold a raw ESC in these formats).
fn colour_failures(cases: &[Value]) -> Vec<String> {
    let strip = |s: &str| {
        let mut out = String::new();
        let mut it = s.chars();
        while let Some(c) = it.next() {
            if c == '\x1b' {
                it.by_ref().find(|&d| d == 'm');
            } else {
                out.push(c);
            }
        }
        out
    };
    let mut failures = Vec::new();
    for case in cases {
        let doc = &case["doc"];
        if strip(&json::dumps_color(doc)) != json::dumps(doc) {
            failures.push(format!("{} [jsonc]", case["name"]));
        }
        if strip(&yaml::safe_dump_color(doc)) != yaml::safe_dump(doc) {
            failures.push(format!("{} [yamlc]", case["name"]));
        }
    }
    failures
}
