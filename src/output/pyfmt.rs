//! Python text primitives that several formatters share: `float.__repr__`, `str()` and
//! `repr()` of JSON values, and Python's ideas of whitespace, line boundaries and case.
//!
//! az renders through CPython, so every place where it calls `str(x)`, `s.strip()` or
//! `s.splitlines()` must use these helpers rather than Rust's similar-but-different ones.
//! The query engine takes its character predicates (`str.isprintable`, `str.isspace`, from
//! Python 3.11's Unicode tables) and `repr(float)` from here; nothing here depends on it.

use std::cmp::Ordering;

use serde_json::{Number, Value};

use super::unicode_tables::{NON_PRINTABLE, SPACES};

fn in_ranges(c: char, ranges: &[(u32, u32)]) -> bool {
    let c = c as u32;
    ranges
        .binary_search_by(|&(lo, hi)| {
            if hi < c {
                Ordering::Less
            } else if lo > c {
                Ordering::Greater
            } else {
                Ordering::Equal
            }
        })
        .is_ok()
}

/// `str.isspace()`.
pub(in crate::output) fn is_space(c: char) -> bool {
    in_ranges(c, SPACES)
}

/// `str.isprintable()`, which decides what `repr()` escapes.
pub(in crate::output) fn is_printable(c: char) -> bool {
    if c.is_ascii() {
        (' '..='~').contains(&c)
    } else {
        !in_ranges(c, NON_PRINTABLE)
    }
}

/// `repr(float)` (== `str(float)`): shortest round-trip digits, fixed notation when the
/// decimal exponent is in (-4, 16], scientific with a signed two-digit exponent otherwise.
pub(in crate::output) fn float_repr(f: f64) -> String {
    if f.is_nan() {
        return "nan".into();
    }
    if f.is_infinite() {
        return if f > 0.0 { "inf" } else { "-inf" }.into();
    }
    let sign = if f.is_sign_negative() { "-" } else { "" };
    if f == 0.0 {
        return format!("{sign}0.0");
    }
    let sci = shortest_digits(f.abs());
    let (mant, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let digits: String = mant.chars().filter(|c| *c != '.').collect();
    let decpt = exp + 1; // value = 0.DIGITS * 10^decpt
    let n = digits.len() as i32;
    if decpt <= -4 || decpt > 16 {
        let mut m = digits[..1].to_string();
        if n > 1 {
            m.push('.');
            m.push_str(&digits[1..]);
        }
        let esign = if exp < 0 { '-' } else { '+' };
        format!("{sign}{m}e{esign}{:02}", exp.abs())
    } else if decpt <= 0 {
        format!("{sign}0.{}{digits}", "0".repeat((-decpt) as usize))
    } else if decpt >= n {
        format!("{sign}{digits}{}.0", "0".repeat((decpt - n) as usize))
    } else {
        let (a, b) = digits.split_at(decpt as usize);
        format!("{sign}{a}.{b}")
    }
}

/// CPython's repr digits (`_Py_dg_dtoa` mode 0) as `D.DDDDeN`: the shortest digit string
/// that round-trips and, among those, the one nearest the exact value, ties to an even
/// last digit. Rust's `{:e}` finds the shortest length but may take the other neighbour
/// on an exact tie (198985888050913.625 → `…63`, Python `…62`), so re-round at that length
/// with the exact, half-even `{:.N e}` and keep it when it still round-trips.
fn shortest_digits(f: f64) -> String {
    let shortest = format!("{f:e}");
    let digits = shortest
        .split('e')
        .next()
        .map_or(1, |m| m.chars().filter(char::is_ascii_digit).count());
    let nearest = format!("{:.*e}", digits - 1, f);
    if nearest.parse::<f64>() == Ok(f) {
        nearest
    } else {
        shortest
    }
}

/// `str()` of a JSON number as Python's `json.loads` would have produced it.
/// Integers outside i64/u64 arrive as f64 from serde_json (no `arbitrary_precision`).
pub(super) fn number_str(n: &Number) -> String {
    if let Some(i) = n.as_i64() {
        i.to_string()
    } else if let Some(u) = n.as_u64() {
        u.to_string()
    } else {
        float_repr(n.as_f64().unwrap_or(f64::NAN))
    }
}

/// Python `str(value)`: strings as they are, `None`, `True`/`False`, containers as `repr`.
pub(super) fn py_str(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => py_repr(other),
    }
}

/// Python `repr(value)` of the object `json.loads` would build (dicts keep their order).
pub(super) fn py_repr(v: &Value) -> String {
    match v {
        Value::Null => "None".into(),
        Value::Bool(true) => "True".into(),
        Value::Bool(false) => "False".into(),
        Value::Number(n) => number_str(n),
        Value::String(s) => str_repr(s),
        Value::Array(a) => {
            let items: Vec<String> = a.iter().map(py_repr).collect();
            format!("[{}]", items.join(", "))
        }
        Value::Object(m) => {
            let items: Vec<String> = m
                .iter()
                .map(|(k, v)| format!("{}: {}", str_repr(k), py_repr(v)))
                .collect();
            format!("{{{}}}", items.join(", "))
        }
    }
}

/// Python's `repr()` of a str: single quotes unless only double quotes avoid escaping, `\\`,
/// `\t`, `\n`, `\r` and the quote escaped, and whatever `str.isprintable()` rejects as
/// `\xNN`, `\uNNNN` or `\UNNNNNNNN`. The one implementation: the output formatters, the
/// query engine's messages and the validators' messages (`resolve`) all use it.
pub(crate) fn str_repr(s: &str) -> String {
    let quote = if s.contains('\'') && !s.contains('"') {
        '"'
    } else {
        '\''
    };
    let mut out = String::with_capacity(s.len() + 2);
    out.push(quote);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if is_printable(c) => out.push(c),
            c if (c as u32) <= 0xff => out.push_str(&format!("\\x{:02x}", c as u32)),
            c if (c as u32) <= 0xffff => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push_str(&format!("\\U{:08x}", c as u32)),
        }
    }
    out.push(quote);
    out
}

/// `str.strip()` with no argument.
pub(super) fn strip(s: &str) -> &str {
    s.trim_matches(is_space)
}

/// `str.rstrip()` with no argument.
pub(super) fn rstrip(s: &str) -> &str {
    s.trim_end_matches(is_space)
}

/// `str.splitlines()`: splits at every Python line boundary, `\r\n` counting as one.
pub(super) fn splitlines(s: &str) -> Vec<&str> {
    let mut lines = Vec::new();
    let mut start = 0;
    let mut iter = s.char_indices().peekable();
    while let Some((i, c)) = iter.next() {
        let is_break = matches!(
            c,
            '\n' | '\r'
                | '\u{b}'
                | '\u{c}'
                | '\u{1c}'
                | '\u{1d}'
                | '\u{1e}'
                | '\u{85}'
                | '\u{2028}'
                | '\u{2029}'
        );
        if !is_break {
            continue;
        }
        lines.push(&s[start..i]);
        let mut end = i + c.len_utf8();
        if c == '\r' && matches!(iter.peek(), Some((_, '\n'))) {
            iter.next();
            end += 1;
        }
        start = end;
    }
    if start < s.len() {
        lines.push(&s[start..]);
    }
    lines
}

/// `re.split("[\r\n]", s)` (also what tabulate's `\r|\n|\r\n` split yields).
pub(super) fn split_cr_lf(s: &str) -> Vec<&str> {
    s.split(['\r', '\n']).collect()
}

/// Python `len()`: code points.
pub(super) fn py_len(s: &str) -> usize {
    s.chars().count()
}

/// `str.upper()` (full case mapping, as CPython).
pub(super) fn upper(s: &str) -> String {
    s.chars().flat_map(char::to_uppercase).collect()
}

/// Titlecase letters (Lt) are "cased" for CPython but neither upper nor lower for Rust.
fn is_titlecase(c: char) -> bool {
    matches!(c as u32, 0x1c5 | 0x1c8 | 0x1cb | 0x1f2 | 0x1f88..=0x1f8f | 0x1f98..=0x1f9f
        | 0x1fa8..=0x1faf | 0x1fbc | 0x1fcc | 0x1ffc)
}

fn to_title(c: char, out: &mut String) {
    // The few characters whose titlecase differs from their uppercase.
    let t = match c {
        '\u{1c4}'..='\u{1c6}' => Some("\u{1c5}"),
        '\u{1c7}'..='\u{1c9}' => Some("\u{1c8}"),
        '\u{1ca}'..='\u{1cc}' => Some("\u{1cb}"),
        '\u{1f1}'..='\u{1f3}' => Some("\u{1f2}"),
        'ß' => Some("Ss"),
        _ => None,
    };
    match t {
        Some(t) => out.push_str(t),
        None => out.extend(c.to_uppercase()),
    }
}

/// `str.title()`: a cased character following a cased character is lower-cased, any
/// other character is title-cased.
pub(super) fn title(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut prev_cased = false;
    for c in s.chars() {
        if prev_cased {
            out.extend(c.to_lowercase());
        } else {
            to_title(c, &mut out);
        }
        prev_cased = c.is_lowercase() || c.is_uppercase() || is_titlecase(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn float_repr_matches_python() {
        let cases = [
            (2.0, "2.0"),
            (1e16, "1e+16"),
            (1e15, "1000000000000000.0"),
            (1.5e-5, "1.5e-05"),
            (0.0001, "0.0001"),
            (0.1, "0.1"),
            (123456789012345.6, "123456789012345.6"),
            (-0.0, "-0.0"),
            (1e22, "1e+22"),
            (1.7976931348623157e308, "1.7976931348623157e+308"),
            (5e-324, "5e-324"),
            (-2.5, "-2.5"),
            // Exact ties at the shortest length: CPython keeps the even digit.
            (198985888050913.62, "198985888050913.62"),
            (-580095386413295.2, "-580095386413295.2"),
        ];
        for (f, want) in cases {
            assert_eq!(float_repr(f), want, "{f:e}");
        }
    }

    #[test]
    fn python_string_helpers() {
        assert_eq!(splitlines("a\r\nb\x0bc\n"), vec!["a", "b", "c"]);
        assert!(splitlines("").is_empty());
        assert_eq!(strip("\x1c a \u{3000}"), "a");
        assert_eq!(title("they're DISABLED"), "They'Re Disabled");
        assert_eq!(str_repr("it's"), "\"it's\"");
        assert_eq!(str_repr("a'\"\x01é"), "'a\\'\"\\x01é'");
    }
}
