//! Interim query engine (replaced by the JMESPath evaluator).
use serde_json::Value;
#[derive(Clone, Debug)]
pub struct Expression(String);
#[derive(Debug)]
pub struct SyntaxError;
#[derive(Debug)]
pub struct QueryError;
impl std::fmt::Display for QueryError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("unsupported")
    }
}
pub struct Searched {
    pub value: Value,
    pub multiselect_rows: Vec<bool>,
}
pub fn compile(e: &str) -> Result<Expression, SyntaxError> {
    if e.contains('[') && !e.contains(']') {
        Err(SyntaxError)
    } else {
        Ok(Expression(e.to_owned()))
    }
}
impl Expression {
    pub fn source(&self) -> &str {
        &self.0
    }
    pub fn search(&self, v: &Value) -> Result<Searched, QueryError> {
        Ok(Searched {
            value: v
                .pointer(&format!("/{}", self.0.replace('.', "/")))
                .cloned()
                .unwrap_or(Value::Null),
            multiselect_rows: vec![],
        })
    }
}
