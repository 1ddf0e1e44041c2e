//! Interim YAML writer (replaced by the PyYAML-exact emitter).
use serde_json::Value;
pub fn safe_dump(value: &Value) -> String {
    super::json::dumps(value) + "\n"
}
pub fn safe_dump_color(value: &Value) -> String {
    safe_dump(value)
}
