//! Interim transformers.
use serde_json::Value;
pub fn token_table(v: &Value) -> Value {
    v.clone()
}
pub fn credential_table(v: &Value) -> Value {
    v.clone()
}
pub fn scope_map_table(v: &Value) -> Value {
    v.clone()
}
