//! The JMESPath engine: lexer and parser on the first line, the evaluator over the rest (a
//! JSON document, or a fixed one when the rest is not JSON).
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: &str| {
    let (expression, data) = input.split_once('\n').unwrap_or((input, ""));
    let Ok(compiled) = acr::output::query::compile(expression) else {
        return;
    };
    let data = serde_json::from_str(data).unwrap_or_else(|_| {
        serde_json::json!({"a": [1, 2.5, "x", null, true, {"b": [[1], [2]]}], "c": {"d": "é", "e": -1}})
    });
    let _ = compiled.search(&data);
});
