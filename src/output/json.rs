//! `-o json` / `-o jsonc`: Python's `json.dumps(v, ensure_ascii=False, indent=2,
//! sort_keys=True, separators=(',', ': '))` as knack calls it, plus a coloured variant.

use super::pyfmt::number_str;
use serde_json::Value;

/// ANSI codes as pygments' TerminalFormatter uses them for the JSON lexer's tokens
/// (keys are `Name.Tag`, strings `String`, numbers and keywords blue).
const KEY: &str = "\x1b[94m";
const STRING: &str = "\x1b[33m";
const NUMBER: &str = "\x1b[34m";
const RESET: &str = "\x1b[39;49;00m";

/// The exact text of knack's `format_json` without its trailing newline.
pub fn dumps(v: &Value) -> String {
    let mut out = String::new();
    write_value(&mut out, v, 0, false);
    out
}

/// The same document with ANSI colours for a terminal (`jsonc`); not byte-compared
/// with az, which goes through pygments.
pub fn dumps_color(v: &Value) -> String {
    let mut out = String::new();
    write_value(&mut out, v, 0, true);
    out
}

fn paint(out: &mut String, color: Option<&str>, text: &str) {
    match color {
        Some(c) => {
            out.push_str(c);
            out.push_str(text);
            out.push_str(RESET);
        }
        None => out.push_str(text),
    }
}

fn write_value(out: &mut String, v: &Value, level: usize, color: bool) {
    let pick = |c: &'static str| if color { Some(c) } else { None };
    match v {
        Value::Null => paint(out, pick(NUMBER), "null"),
        Value::Bool(b) => paint(out, pick(NUMBER), if *b { "true" } else { "false" }),
        Value::Number(n) => paint(out, pick(NUMBER), &number_str(n)),
        Value::String(s) => paint(out, pick(STRING), &quote(s)),
        Value::Array(items) if items.is_empty() => out.push_str("[]"),
        Value::Object(map) if map.is_empty() => out.push_str("{}"),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(out, level + 1);
                write_value(out, item, level + 1, color);
            }
            newline(out, level);
            out.push(']');
        }
        Value::Object(map) => {
            // sort_keys=True: Python orders str keys by code point, which is UTF-8 byte order.
            let mut entries: Vec<(&String, &Value)> = map.iter().collect();
            entries.sort_by(|a, b| a.0.cmp(b.0));
            out.push('{');
            for (i, (k, item)) in entries.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(out, level + 1);
                paint(out, pick(KEY), &quote(k));
                out.push_str(": ");
                write_value(out, item, level + 1, color);
            }
            newline(out, level);
            out.push('}');
        }
    }
}

fn newline(out: &mut String, level: usize) {
    out.push('\n');
    for _ in 0..level {
        out.push_str("  ");
    }
}

/// `json.encoder.py_encode_basestring`: only `"`, `\` and C0 controls are escaped;
/// with ensure_ascii=False everything else (DEL and non-ASCII included) passes through.
fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    encode_string(s, false, &mut out);
    out
}

/// A JSON string as Python's `json` module writes it, appended to `out`: `"`, `\` and the
/// C0 controls escaped (`\n`, `\r`, `\t`, `\b`, `\f` by name, the rest as `\u00XX`), and with
/// `ensure_ascii` everything outside printable ASCII as UTF-16 `\uXXXX` escapes too.
pub(in crate::output) fn encode_string(s: &str, ensure_ascii: bool, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 || ensure_ascii && !(' '..='~').contains(&c) => {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    out.push_str(&format!("\\u{unit:04x}"));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn nested_and_empty() {
        let v = json!({"b": [1, {}], "a": [], "c": "x\u{1}\u{7f}é"});
        let want =
            "{\n  \"a\": [],\n  \"b\": [\n    1,\n    {}\n  ],\n  \"c\": \"x\\u0001\u{7f}é\"\n}";
        assert_eq!(dumps(&v), want);
    }

    #[test]
    fn color_keeps_text() {
        let v = json!({"k": ["v", 1, null]});
        let plain: String = strip_ansi(&dumps_color(&v));
        assert_eq!(plain, dumps(&v));
    }

    fn strip_ansi(s: &str) -> String {
        let mut out = String::new();
        let mut it = s.chars();
        while let Some(c) = it.next() {
            if c == '\x1b' {
                for d in it.by_ref() {
                    if d == 'm' {
                        break;
                    }
                }
            } else {
                out.push(c);
            }
        }
        out
    }
}
