//! Tokenizer, a port of `jmespath.lexer.Lexer` including its literal-fallback and escape
//! quirks; positions are in characters, as Python counts them.

use super::error::SyntaxError;
use super::json::{JsonError, loads};
use super::pyfmt::py_str;
use super::pynum::{MAX_INT_DIGITS, lstrip};
use super::value::Value;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Dot,
    Star,
    Rbracket,
    Comma,
    Colon,
    Current,
    Lparen,
    Rparen,
    Lbrace,
    Rbrace,
    UnquotedIdentifier,
    QuotedIdentifier,
    Flatten,
    Filter,
    Lbracket,
    Literal,
    Or,
    Pipe,
    And,
    Expref,
    Number,
    Lte,
    Lt,
    Gte,
    Gt,
    Ne,
    Not,
    Eq,
    Eof,
}

impl Kind {
    /// The token type name Python uses in error messages.
    pub(super) fn name(self) -> &'static str {
        match self {
            Kind::Dot => "dot",
            Kind::Star => "star",
            Kind::Rbracket => "rbracket",
            Kind::Comma => "comma",
            Kind::Colon => "colon",
            Kind::Current => "current",
            Kind::Lparen => "lparen",
            Kind::Rparen => "rparen",
            Kind::Lbrace => "lbrace",
            Kind::Rbrace => "rbrace",
            Kind::UnquotedIdentifier => "unquoted_identifier",
            Kind::QuotedIdentifier => "quoted_identifier",
            Kind::Flatten => "flatten",
            Kind::Filter => "filter",
            Kind::Lbracket => "lbracket",
            Kind::Literal => "literal",
            Kind::Or => "or",
            Kind::Pipe => "pipe",
            Kind::And => "and",
            Kind::Expref => "expref",
            Kind::Number => "number",
            Kind::Lte => "lte",
            Kind::Lt => "lt",
            Kind::Gte => "gte",
            Kind::Gt => "gt",
            Kind::Ne => "ne",
            Kind::Not => "not",
            Kind::Eq => "eq",
            Kind::Eof => "eof",
        }
    }

    /// `Parser.BINDING_POWER`.
    pub(super) fn binding_power(self) -> u8 {
        match self {
            Kind::Pipe => 1,
            Kind::Or => 2,
            Kind::And => 3,
            Kind::Eq | Kind::Gt | Kind::Lt | Kind::Gte | Kind::Lte | Kind::Ne => 5,
            Kind::Flatten => 9,
            Kind::Star => 20,
            Kind::Filter => 21,
            Kind::Dot => 40,
            Kind::Not => 45,
            Kind::Lbrace => 50,
            Kind::Lbracket => 55,
            Kind::Lparen => 60,
            _ => 0,
        }
    }
}

#[derive(Debug, Clone)]
pub(super) enum TokenValue {
    Text(String),
    /// Saturated value plus Python's `str(int(text))` for messages.
    Number(i64, String),
    Literal(Value),
}

#[derive(Debug, Clone)]
pub(super) struct Token {
    pub(super) kind: Kind,
    pub(super) value: TokenValue,
    pub(super) start: usize,
}

impl Token {
    /// `'%s' % token['value']`.
    pub(super) fn display_value(&self) -> String {
        match &self.value {
            TokenValue::Text(text) => text.clone(),
            TokenValue::Number(_, text) => text.clone(),
            TokenValue::Literal(value) => py_str(value),
        }
    }
}

pub(super) fn tokenize(expression: &str) -> Result<Vec<Token>, SyntaxError> {
    if expression.is_empty() {
        return Err(SyntaxError::empty());
    }
    let chars: Vec<char> = expression.chars().collect();
    let mut lexer = Lexer {
        expression,
        current: Some(chars[0]),
        chars,
        pos: 0,
    };
    let mut tokens = Vec::new();
    while let Some(c) = lexer.current {
        let start = lexer.pos;
        let simple = |kind, text: &str| Token {
            kind,
            value: TokenValue::Text(text.into()),
            start,
        };
        let token = match c {
            '.' | '*' | ']' | ',' | ':' | '@' | '(' | ')' | '{' | '}' => {
                lexer.next();
                simple(simple_kind(c), &c.to_string())
            }
            'a'..='z' | 'A'..='Z' | '_' => {
                let mut buff = String::from(c);
                while let Some(c) = lexer
                    .next()
                    .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
                {
                    buff.push(c);
                }
                simple(Kind::UnquotedIdentifier, &buff)
            }
            ' ' | '\t' | '\n' | '\r' => {
                lexer.next();
                continue;
            }
            '[' => match lexer.next() {
                Some(']') => {
                    lexer.next();
                    simple(Kind::Flatten, "[]")
                }
                Some('?') => {
                    lexer.next();
                    simple(Kind::Filter, "[?")
                }
                _ => simple(Kind::Lbracket, "["),
            },
            '\'' => {
                let raw = lexer.consume_until('\'')?.replace("\\'", "'");
                Token {
                    kind: Kind::Literal,
                    value: TokenValue::Literal(Value::string(&raw)),
                    start,
                }
            }
            '|' => lexer.match_or_else('|', Kind::Or, Kind::Pipe),
            '&' => lexer.match_or_else('&', Kind::And, Kind::Expref),
            '`' => lexer.literal()?,
            '<' => lexer.match_or_else('=', Kind::Lte, Kind::Lt),
            '>' => lexer.match_or_else('=', Kind::Gte, Kind::Gt),
            '!' => lexer.match_or_else('=', Kind::Ne, Kind::Not),
            '0'..='9' | '-' => lexer.number()?,
            '"' => lexer.quoted_identifier()?,
            '=' => {
                if lexer.next() == Some('=') {
                    lexer.next();
                    simple(Kind::Eq, "==")
                } else {
                    return Err(lexer.error("Unknown token '='".into(), start));
                }
            }
            other => return Err(lexer.error(format!("Unknown token {other}"), start)),
        };
        tokens.push(token);
    }
    let end = lexer.chars.len();
    tokens.push(Token {
        kind: Kind::Eof,
        value: TokenValue::Text(String::new()),
        start: end,
    });
    Ok(tokens)
}

fn simple_kind(c: char) -> Kind {
    match c {
        '.' => Kind::Dot,
        '*' => Kind::Star,
        ']' => Kind::Rbracket,
        ',' => Kind::Comma,
        ':' => Kind::Colon,
        '@' => Kind::Current,
        '(' => Kind::Lparen,
        ')' => Kind::Rparen,
        '{' => Kind::Lbrace,
        _ => Kind::Rbrace,
    }
}

struct Lexer<'a> {
    expression: &'a str,
    chars: Vec<char>,
    pos: usize,
    current: Option<char>,
}

impl Lexer<'_> {
    /// Python's `_next`: at the last character the position stays put and `current` empties.
    fn next(&mut self) -> Option<char> {
        if self.pos + 1 >= self.chars.len() {
            self.current = None;
        } else {
            self.pos += 1;
            self.current = Some(self.chars[self.pos]);
        }
        self.current
    }

    fn error(&self, message: String, position: usize) -> SyntaxError {
        SyntaxError::lexer(message, position, self.expression)
    }

    /// A backslash keeps itself and the next character, whatever it is; only the caller's
    /// `replace` turns an escaped delimiter into the bare delimiter.
    fn consume_until(&mut self, delimiter: char) -> Result<String, SyntaxError> {
        let start = self.pos;
        let mut buff = String::new();
        self.next();
        while self.current != Some(delimiter) {
            if self.current == Some('\\') {
                buff.push('\\');
                self.next();
            }
            let Some(c) = self.current else {
                let message = format!("Unclosed {delimiter} delimiter");
                return Err(SyntaxError::lexer(message, start, self.expression));
            };
            buff.push(c);
            self.next();
        }
        self.next();
        Ok(buff)
    }

    fn match_or_else(&mut self, expected: char, matched: Kind, otherwise: Kind) -> Token {
        let start = self.pos;
        let current = self.current.unwrap_or_default();
        if self.next() == Some(expected) {
            self.next();
            let text = format!("{current}{expected}");
            Token {
                kind: matched,
                value: TokenValue::Text(text),
                start,
            }
        } else {
            Token {
                kind: otherwise,
                value: TokenValue::Text(current.to_string()),
                start,
            }
        }
    }

    fn number(&mut self) -> Result<Token, SyntaxError> {
        let start = self.pos;
        let mut buff = String::from(self.current.unwrap_or_default());
        while let Some(c) = self.next().filter(char::is_ascii_digit) {
            buff.push(c);
        }
        if buff == "-" {
            return Err(self.error("Unknown token '-'".into(), start));
        }
        let (negative, digits) = match buff.strip_prefix('-') {
            Some(digits) => (true, digits),
            None => (false, buff.as_str()),
        };
        if digits.len() > MAX_INT_DIGITS {
            return Err(SyntaxError::integer_too_long(digits.len(), start));
        }
        let trimmed = digits.trim_start_matches('0');
        let magnitude = if trimmed.is_empty() { "0" } else { trimmed };
        let display = if negative && magnitude != "0" {
            format!("-{magnitude}")
        } else {
            magnitude.into()
        };
        let value = display
            .parse::<i64>()
            .unwrap_or(if negative { i64::MIN } else { i64::MAX });
        Ok(Token {
            kind: Kind::Number,
            value: TokenValue::Number(value, display),
            start,
        })
    }

    fn literal(&mut self) -> Result<Token, SyntaxError> {
        let start = self.pos;
        let lexeme = self.consume_until('`')?.replace("\\`", "`");
        let value = match loads(&lexeme) {
            Ok(value) => value,
            Err(JsonError::TooDeep) => return Err(SyntaxError::too_deep(start)),
            // JEP-12 deprecation period: text that is not JSON is taken as a JSON string body.
            Err(_) => match loads(&format!("\"{}\"", lstrip(&lexeme))) {
                Ok(value) => value,
                Err(_) => return Err(self.error(format!("Bad token {lexeme}"), start)),
            },
        };
        Ok(Token {
            kind: Kind::Literal,
            value: TokenValue::Literal(value),
            start,
        })
    }

    fn quoted_identifier(&mut self) -> Result<Token, SyntaxError> {
        let start = self.pos;
        let lexeme = format!("\"{}\"", self.consume_until('"')?);
        match loads(&lexeme) {
            Ok(Value::String(name)) => {
                let value = TokenValue::Text(name.to_string());
                Ok(Token {
                    kind: Kind::QuotedIdentifier,
                    value,
                    start,
                })
            }
            Ok(_) => Err(self.error(JsonError::Invalid.message().into(), start)),
            Err(e) => Err(self.error(e.message().into(), start)),
        }
    }
}
