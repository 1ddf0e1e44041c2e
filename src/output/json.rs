//! Interim JSON writer (replaced by the az-exact writer).
use serde_json::Value;
pub fn dumps(value: &Value) -> String {
    serde_json::to_string_pretty(&sorted(value)).unwrap_or_default()
}
pub fn dumps_color(value: &Value) -> String {
    dumps(value)
}
fn sorted(v: &Value) -> Value {
    match v {
        Value::Object(m) => {
            let mut e: Vec<_> = m.iter().collect();
            e.sort_by(|a, b| a.0.cmp(b.0));
            Value::Object(e.into_iter().map(|(k, v)| (k.clone(), sorted(v))).collect())
        }
        Value::Array(a) => Value::Array(a.iter().map(sorted).collect()),
        o => o.clone(),
    }
}
