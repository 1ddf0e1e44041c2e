//! `json.loads` as Python's json module implements it, for backtick literals and quoted
//! identifiers: accepts `NaN`/`Infinity`, keeps int vs float, rejects what Python rejects.

use std::sync::Arc;

use super::pynum::MAX_INT_DIGITS;
use super::value::{Number, Object, Value};

/// Python's scanner raises `RecursionError` a little below 1000 levels (its recursion limit
/// minus the frames already in use); we stop slightly earlier.
const MAX_DEPTH: usize = 900;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum JsonError {
    /// Any failure whose exact text we never show (the caller only needs "it failed").
    Invalid,
    InvalidEscape,
    InvalidControl,
    InvalidUnicodeEscape,
    Unterminated,
    /// Python raises `RecursionError`, not `ValueError`, so no string fallback applies.
    TooDeep,
}

impl JsonError {
    /// The part of Python's `JSONDecodeError` text before the first colon.
    pub(super) fn message(self) -> &'static str {
        match self {
            JsonError::Invalid => "Expecting value",
            JsonError::InvalidEscape => "Invalid \\escape",
            JsonError::InvalidControl => "Invalid control character at",
            JsonError::InvalidUnicodeEscape => "Invalid \\uXXXX escape",
            JsonError::Unterminated => "Unterminated string starting at",
            JsonError::TooDeep => "maximum recursion depth exceeded",
        }
    }
}

pub(super) fn loads(text: &str) -> Result<Value, JsonError> {
    if text.starts_with('\u{feff}') {
        return Err(JsonError::Invalid);
    }
    let mut parser = JsonParser {
        chars: text.chars().collect(),
        pos: 0,
    };
    parser.skip_ws();
    let value = parser.value(0)?;
    parser.skip_ws();
    if parser.pos != parser.chars.len() {
        return Err(JsonError::Invalid);
    }
    Ok(value)
}

struct JsonParser {
    chars: Vec<char>,
    pos: usize,
}

impl JsonParser {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn skip_ws(&mut self) {
        while matches!(self.peek(), Some(' ' | '\t' | '\n' | '\r')) {
            self.pos += 1;
        }
    }

    fn eat_word(&mut self, word: &str) -> bool {
        let end = self.pos + word.chars().count();
        if end <= self.chars.len() && self.chars[self.pos..end].iter().copied().eq(word.chars()) {
            self.pos = end;
            true
        } else {
            false
        }
    }

    fn value(&mut self, depth: usize) -> Result<Value, JsonError> {
        match self.peek().ok_or(JsonError::Invalid)? {
            '"' => Ok(Value::String(Arc::from(self.string()?.as_str()))),
            '{' => self.object(depth + 1),
            '[' => self.array(depth + 1),
            'n' if self.eat_word("null") => Ok(Value::Null),
            't' if self.eat_word("true") => Ok(Value::Bool(true)),
            'f' if self.eat_word("false") => Ok(Value::Bool(false)),
            'N' if self.eat_word("NaN") => Ok(Value::float(f64::NAN)),
            'I' if self.eat_word("Infinity") => Ok(Value::float(f64::INFINITY)),
            '-' if self.eat_word("-Infinity") => Ok(Value::float(f64::NEG_INFINITY)),
            _ => self.number(),
        }
    }

    fn object(&mut self, depth: usize) -> Result<Value, JsonError> {
        if depth > MAX_DEPTH {
            return Err(JsonError::TooDeep);
        }
        self.pos += 1;
        let mut object = Object::new(false);
        self.skip_ws();
        if self.peek() == Some('}') {
            self.pos += 1;
            return Ok(Value::Object(Arc::new(object)));
        }
        loop {
            if self.peek() != Some('"') {
                return Err(JsonError::Invalid);
            }
            let key = self.string()?;
            self.skip_ws();
            if self.peek() != Some(':') {
                return Err(JsonError::Invalid);
            }
            self.pos += 1;
            self.skip_ws();
            let value = self.value(depth)?;
            object.insert(Arc::from(key.as_str()), value);
            if !self.next_item('}')? {
                break;
            }
        }
        Ok(Value::Object(Arc::new(object)))
    }

    /// After an item of an object or array: `true` past a `,` (another item follows), `false`
    /// past the closing `close`.
    fn next_item(&mut self, close: char) -> Result<bool, JsonError> {
        self.skip_ws();
        match self.peek() {
            Some(c) if c == close => {
                self.pos += 1;
                Ok(false)
            }
            Some(',') => {
                self.pos += 1;
                self.skip_ws();
                Ok(true)
            }
            _ => Err(JsonError::Invalid),
        }
    }

    fn array(&mut self, depth: usize) -> Result<Value, JsonError> {
        if depth > MAX_DEPTH {
            return Err(JsonError::TooDeep);
        }
        self.pos += 1;
        let mut items = Vec::new();
        self.skip_ws();
        if self.peek() == Some(']') {
            self.pos += 1;
            return Ok(Value::array(items));
        }
        loop {
            items.push(self.value(depth)?);
            if !self.next_item(']')? {
                break;
            }
        }
        Ok(Value::array(items))
    }

    fn digits(&mut self) -> usize {
        let start = self.pos;
        while matches!(self.peek(), Some('0'..='9')) {
            self.pos += 1;
        }
        self.pos - start
    }

    fn number(&mut self) -> Result<Value, JsonError> {
        let start = self.pos;
        if self.peek() == Some('-') {
            self.pos += 1;
        }
        match self.peek() {
            Some('0') => self.pos += 1,
            Some('1'..='9') => {
                self.digits();
            }
            _ => return Err(JsonError::Invalid),
        }
        let int_end = self.pos;
        let mut is_float = false;
        if self.peek() == Some('.') && matches!(self.chars.get(self.pos + 1), Some('0'..='9')) {
            self.pos += 1;
            self.digits();
            is_float = true;
        }
        if matches!(self.peek(), Some('e' | 'E')) {
            let exponent_start = self.pos;
            self.pos += 1;
            if matches!(self.peek(), Some('+' | '-')) {
                self.pos += 1;
            }
            if self.digits() > 0 {
                is_float = true;
            } else {
                self.pos = exponent_start;
            }
        }
        let text: String = self.chars[start..self.pos].iter().collect();
        if is_float {
            return text
                .parse::<f64>()
                .map(Value::float)
                .map_err(|_| JsonError::Invalid);
        }
        let digit_count = int_end - start - usize::from(text.starts_with('-'));
        if digit_count > MAX_INT_DIGITS {
            return Err(JsonError::Invalid);
        }
        Ok(Value::Number(match text.parse::<i128>() {
            Ok(i) => Number::Int(i),
            Err(_) => Number::Float(text.parse::<f64>().map_err(|_| JsonError::Invalid)?),
        }))
    }

    /// Python keeps lone surrogates in str; Rust cannot, so they become U+FFFD.
    fn string(&mut self) -> Result<String, JsonError> {
        self.pos += 1;
        let mut out = String::new();
        loop {
            let c = self.peek().ok_or(JsonError::Unterminated)?;
            self.pos += 1;
            match c {
                '"' => return Ok(out),
                '\\' => {
                    let escape = self.peek().ok_or(JsonError::Unterminated)?;
                    self.pos += 1;
                    match escape {
                        '"' => out.push('"'),
                        '\\' => out.push('\\'),
                        '/' => out.push('/'),
                        'b' => out.push('\x08'),
                        'f' => out.push('\x0c'),
                        'n' => out.push('\n'),
                        'r' => out.push('\r'),
                        't' => out.push('\t'),
                        'u' => out.push(self.unicode_escape()?),
                        _ => return Err(JsonError::InvalidEscape),
                    }
                }
                c if (c as u32) < 0x20 => return Err(JsonError::InvalidControl),
                c => out.push(c),
            }
        }
    }

    fn hex4(&mut self) -> Result<u32, JsonError> {
        let mut code = 0;
        for _ in 0..4 {
            let digit = self.peek().and_then(|c| c.to_digit(16));
            code = code * 16 + digit.ok_or(JsonError::InvalidUnicodeEscape)?;
            self.pos += 1;
        }
        Ok(code)
    }

    fn unicode_escape(&mut self) -> Result<char, JsonError> {
        let first = self.hex4()?;
        if (0xd800..0xdc00).contains(&first)
            && self.peek() == Some('\\')
            && self.chars.get(self.pos + 1) == Some(&'u')
        {
            let saved = self.pos;
            self.pos += 2;
            let second = self.hex4()?;
            if (0xdc00..0xe000).contains(&second) {
                let combined = 0x10000 + ((first - 0xd800) << 10) + (second - 0xdc00);
                return Ok(char::from_u32(combined).unwrap_or('\u{fffd}'));
            }
            self.pos = saved;
        }
        Ok(char::from_u32(first).unwrap_or('\u{fffd}'))
    }
}
