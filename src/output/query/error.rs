//! Error types. `Display` reproduces Python's `str(exception)` because az prints that text.

use std::fmt;

/// Which Python exception the compile failure corresponds to; az treats all of them as an
/// invalid `--query` argument, but the text differs per class.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SyntaxErrorKind {
    /// `EmptyExpressionError`.
    Empty,
    /// `LexerError`: bad character, unclosed delimiter, bad literal.
    Lexer,
    /// `ParseError`.
    Parse,
    /// `IncompleteExpressionError`: the expression ended too early.
    Incomplete,
    /// Plain `ValueError` from Python's int parser (number token over 4300 digits).
    IntegerTooLong,
    /// Python would raise `RecursionError`; we stop earlier to protect our stack.
    TooDeep,
}

/// A compile-time error (az: exit code 2, argument error).
#[derive(Debug, Clone, PartialEq)]
pub struct SyntaxError {
    kind: SyntaxErrorKind,
    reason: String,
    position: usize,
    display: String,
}

impl SyntaxError {
    pub(super) fn empty() -> SyntaxError {
        let reason = "Invalid JMESPath expression: cannot be empty.".to_string();
        SyntaxError {
            kind: SyntaxErrorKind::Empty,
            display: reason.clone(),
            reason,
            position: 0,
        }
    }

    pub(super) fn lexer(reason: String, position: usize, expression: &str) -> SyntaxError {
        let display = format!(
            "Bad jmespath expression: {reason}:\n{expression}\n{}^",
            " ".repeat(position)
        );
        SyntaxError {
            kind: SyntaxErrorKind::Lexer,
            reason,
            position,
            display,
        }
    }

    pub(super) fn parse(
        reason: String,
        position: usize,
        token_value: &str,
        token_type: &str,
        expression: &str,
    ) -> SyntaxError {
        let display = format!(
            "{reason}: Parse error at column {position}, token \"{token_value}\" ({}), for \
             expression:\n\"{expression}\"\n{}^",
            token_type.to_uppercase(),
            " ".repeat(position + 1)
        );
        SyntaxError {
            kind: SyntaxErrorKind::Parse,
            reason,
            position,
            display,
        }
    }

    pub(super) fn incomplete(expression: &str) -> SyntaxError {
        let position = expression.chars().count();
        let display = format!(
            "Invalid jmespath expression: Incomplete expression:\n\"{expression}\"\n{}^",
            " ".repeat(position + 1)
        );
        let reason = "Incomplete expression".to_string();
        SyntaxError {
            kind: SyntaxErrorKind::Incomplete,
            reason,
            position,
            display,
        }
    }

    pub(super) fn integer_too_long(digits: usize, position: usize) -> SyntaxError {
        let reason = format!(
            "Exceeds the limit (4300 digits) for integer string conversion: value has {digits} \
             digits; use sys.set_int_max_str_digits() to increase the limit"
        );
        SyntaxError {
            kind: SyntaxErrorKind::IntegerTooLong,
            display: reason.clone(),
            reason,
            position,
        }
    }

    pub(super) fn too_deep(position: usize) -> SyntaxError {
        let reason = "maximum recursion depth exceeded".to_string();
        SyntaxError {
            kind: SyntaxErrorKind::TooDeep,
            display: reason.clone(),
            reason,
            position,
        }
    }

    pub fn kind(&self) -> SyntaxErrorKind {
        self.kind
    }

    /// The short reason, e.g. `invalid token` or `Unknown token '='`.
    pub fn message(&self) -> &str {
        &self.reason
    }

    /// Offset in characters (Python code points), as Python reports it.
    pub fn position(&self) -> usize {
        self.position
    }

    /// Name of the Python exception class raised for this error.
    pub fn python_exception(&self) -> &'static str {
        match self.kind {
            SyntaxErrorKind::Empty => "EmptyExpressionError",
            SyntaxErrorKind::Lexer => "LexerError",
            SyntaxErrorKind::Parse => "ParseError",
            SyntaxErrorKind::Incomplete => "IncompleteExpressionError",
            SyntaxErrorKind::IntegerTooLong => "ValueError",
            SyntaxErrorKind::TooDeep => "RecursionError",
        }
    }
}

impl fmt::Display for SyntaxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.display)
    }
}

impl std::error::Error for SyntaxError {}

/// An evaluation error. Only the first three variants are `JMESPathError`s in Python, which
/// az reports as ``Invalid jmespath query supplied for `--query`: …``; the others are plain
/// Python exceptions that az reports as an unexpected error with a traceback.
#[derive(Debug, Clone, PartialEq)]
pub enum QueryError {
    /// `UnknownFunctionError`, raised only when the call is evaluated.
    UnknownFunction { name: String },
    /// `ArityError` / `VariadictArityError`, raised only when the call is evaluated.
    InvalidArity {
        function: String,
        expected: usize,
        actual: usize,
        variadic: bool,
    },
    /// `JMESPathTypeError`; `value` is Python's `str()` of the offending value.
    InvalidType {
        function: String,
        value: String,
        expected: Vec<String>,
        received: String,
    },
    /// Python `ValueError`, e.g. `slice step cannot be zero`.
    InvalidValue { message: String },
    /// Any other Python exception (`TypeError`, `OverflowError`, `RecursionError`).
    Runtime {
        exception: &'static str,
        message: String,
    },
}

/// Evaluation results box the error: debug builds reserve stack for every temporary result
/// at every nesting level, so a small `Err` keeps deep expressions within a thread's stack.
pub(super) type Fallible<T> = Result<T, Box<QueryError>>;

impl QueryError {
    pub(super) fn runtime(exception: &'static str, message: String) -> Box<QueryError> {
        Box::new(QueryError::Runtime { exception, message })
    }

    pub(super) fn type_error(message: String) -> Box<QueryError> {
        QueryError::runtime("TypeError", message)
    }

    pub(super) fn invalid_value(message: String) -> Box<QueryError> {
        Box::new(QueryError::InvalidValue { message })
    }

    pub(super) fn recursion() -> Box<QueryError> {
        QueryError::runtime("RecursionError", "maximum recursion depth exceeded".into())
    }

    /// Whether Python raises a `jmespath.exceptions.JMESPathError` subclass.
    pub fn is_jmespath_error(&self) -> bool {
        matches!(
            self,
            QueryError::UnknownFunction { .. }
                | QueryError::InvalidArity { .. }
                | QueryError::InvalidType { .. }
        )
    }

    /// Name of the Python exception class raised for this error.
    pub fn python_exception(&self) -> &'static str {
        match self {
            QueryError::UnknownFunction { .. } => "UnknownFunctionError",
            QueryError::InvalidArity {
                variadic: false, ..
            } => "ArityError",
            QueryError::InvalidArity { variadic: true, .. } => "VariadictArityError",
            QueryError::InvalidType { .. } => "JMESPathTypeError",
            QueryError::InvalidValue { .. } => "ValueError",
            QueryError::Runtime { exception, .. } => exception,
        }
    }
}

impl fmt::Display for QueryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            QueryError::UnknownFunction { name } => write!(f, "Unknown function: {name}()"),
            QueryError::InvalidArity {
                function,
                expected,
                actual,
                variadic,
            } => {
                let at_least = if *variadic { "at least " } else { "" };
                let noun = if *expected == 1 {
                    "argument"
                } else {
                    "arguments"
                };
                write!(
                    f,
                    "Expected {at_least}{expected} {noun} for function {function}(), received {actual}"
                )
            }
            QueryError::InvalidType {
                function,
                value,
                expected,
                received,
            } => {
                let expected = super::pyfmt::str_list_repr(expected.iter().map(String::as_str));
                write!(
                    f,
                    "In function {function}(), invalid type for value: {value}, expected one of: \
                     {expected}, received: \"{received}\""
                )
            }
            QueryError::InvalidValue { message } | QueryError::Runtime { message, .. } => {
                f.write_str(message)
            }
        }
    }
}

impl std::error::Error for QueryError {}
