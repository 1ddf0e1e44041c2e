//! JMESPath engine reproducing Python `jmespath` 1.1.0 run with `Options(dict_cls=OrderedDict)`,
//! as az applies `--query`: same accepted syntax, results (key order, int versus float), lazy
//! function errors and error texts (`Display` equals Python's `str(exception)`).
//!
//! Deliberate deviations, all where `serde_json` or Rust cannot hold what Python has:
//! - Integers are exact up to i128 inside and i64/u64 in `Searched::value`; beyond that they
//!   become floats (Python ints are unbounded). `avg` of integer sums above 2^53 may differ in
//!   the last bit (Python divides big ints exactly).
//! - Non-finite floats (`NaN`, `Infinity` literals) and expression references in a result become
//!   `null`; `str()`/`to_string` of an expression reference has no memory address.
//! - Lone surrogates (`"\ud800"` in literals) become U+FFFD.
//! - `merge()` given non-object extra arguments follows `dict.update`, but non-string keys are
//!   spelled as `json.dumps` would write them (Python keeps them as int/None/bool keys).
//! - NaN: sorting with NaN keys may order differently (timsort versus our merge sort), and
//!   Python's identity shortcut (`x in [x]` for the very same NaN object) is not modelled.
//! - Nesting beyond 300 levels (each projection segment counts twice; Python fails with
//!   `RecursionError` at roughly 250 to 500) is a compile-time `SyntaxError` of kind `TooDeep`;
//!   input nested beyond 1000 levels is refused with a `RecursionError`-like `QueryError`.
//!
//! Module cycles kept on purpose, because they are the shape of JMESPath itself (Python's
//! `jmespath` has the same ones): the interpreter calls functions and the expression-taking
//! functions (`sort_by`, `map`, `max_by`, …) call back into the interpreter (`interpreter` →
//! `functions` → `builtins` → `interpreter`); an expression reference is a value holding a
//! syntax tree (`ast` ↔ `value`); errors carry and print values (`value` → `error` →
//! `pyfmt` → `pynum` → `value`); and `parser_rules` is the second half of the one Pratt
//! parser in `parser`. No cycle leaves this module.

mod ast;
mod builtins;
mod compare;
mod error;
mod functions;
mod interpreter;
mod json;
mod lexer;
mod merge;
mod parser;
mod parser_rules;
mod pyfmt;
mod pynum;
mod value;

#[cfg(test)]
mod compliance_tests;
#[cfg(test)]
mod golden_tests;
#[cfg(test)]
mod robustness_tests;
#[cfg(test)]
mod unit_tests;

use std::sync::Arc;

pub use error::{QueryError, SyntaxError, SyntaxErrorKind};

/// Compiles like `jmespath.compile`: lexing and parsing errors surface here, unknown
/// functions and arity problems only when evaluated (as in Python).
pub fn compile(expression: &str) -> Result<Expression, SyntaxError> {
    let root = parser::parse(expression)?;
    Ok(Expression {
        source: expression.to_string(),
        root: Arc::new(root),
    })
}

/// A compiled expression; cheap to clone and shareable across threads.
#[derive(Clone, Debug)]
pub struct Expression {
    source: String,
    root: Arc<ast::Node>,
}

/// The outcome of [`Expression::search`].
#[derive(Clone, Debug, PartialEq)]
pub struct Searched {
    pub value: serde_json::Value,
    /// One entry per output "row": if `value` is an array, one per element; otherwise one for
    /// `value` itself. `true` when that row is an object created by a multiselect hash (an
    /// OrderedDict in Python), `false` for any other value, including objects passed through
    /// from the input (plain dicts in Python). knack's TSV writer orders OrderedDict columns
    /// by insertion and plain dict columns by key.
    pub multiselect_rows: Vec<bool>,
}

impl Expression {
    pub fn source(&self) -> &str {
        &self.source
    }

    /// Evaluate like Python jmespath with dict_cls=OrderedDict.
    pub fn search(&self, data: &serde_json::Value) -> Result<Searched, QueryError> {
        let input = value::from_json(data).map_err(|e| *e)?;
        let result = interpreter::evaluate(&self.root, &input).map_err(|e| *e)?;
        let multiselect_rows = match &result {
            value::Value::Array(items) => {
                items.iter().map(value::Value::is_ordered_object).collect()
            }
            other => vec![other.is_ordered_object()],
        };
        Ok(Searched {
            value: value::to_json(&result),
            multiselect_rows,
        })
    }
}
