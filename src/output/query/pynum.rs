//! Python number and character semantics: `repr(float)`, `int(str)`/`float(str)` parsing,
//! exact int/float comparison and the Unicode predicates behind them.

use std::cmp::Ordering;

use super::value::Number;
// The character predicates and `repr(float)` live with the other Python text primitives.
pub(super) use crate::output::pyfmt::{float_repr, is_space};
use crate::output::unicode_tables::DECIMAL_ZEROS;

/// `unicodedata.decimal()`: Python's `int()`/`float()` accept any Unicode decimal digit.
fn decimal_value(c: char) -> Option<u8> {
    let c = c as u32;
    let i = DECIMAL_ZEROS.partition_point(|&zero| zero <= c);
    let zero = *DECIMAL_ZEROS.get(i.checked_sub(1)?)?;
    u8::try_from(c - zero).ok().filter(|d| *d < 10)
}

/// `str.lstrip()` without arguments.
pub(super) fn lstrip(s: &str) -> &str {
    s.trim_start_matches(is_space)
}

/// `_PyUnicode_TransformDecimalAndSpaceToASCII`: what `int()`/`float()` actually parse.
fn to_ascii_number_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if (c as u32) < 127 {
            out.push(c);
        } else if is_space(c) {
            out.push(' ');
        } else if let Some(d) = decimal_value(c) {
            out.push(char::from(b'0' + d));
        } else {
            out.push('?');
            break;
        }
    }
    out
}

/// `Py_ISSPACE`, the ASCII-only test used after the transformation above.
fn is_c_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\x0b' | '\x0c' | '\r')
}

/// Python's int-from-string digit limit (3.11+); longer inputs raise `ValueError`.
pub(super) const MAX_INT_DIGITS: usize = 4300;

/// `int(s)` for a str; `None` where Python raises `ValueError`.
pub(super) fn parse_int(s: &str) -> Option<Number> {
    let text = to_ascii_number_text(s);
    let body = text.trim_matches(is_c_space);
    let (negative, digits) = match body.as_bytes().first()? {
        b'+' => (false, &body[1..]),
        b'-' => (true, &body[1..]),
        _ => (false, body),
    };
    let clean = strip_digit_underscores(digits)?;
    if clean.is_empty() || !clean.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if clean.len() > MAX_INT_DIGITS {
        return None;
    }
    let signed = if negative { format!("-{clean}") } else { clean };
    Some(match signed.parse::<i128>() {
        Ok(i) => Number::Int(i),
        Err(_) => Number::Float(signed.parse::<f64>().ok()?),
    })
}

/// Removes PEP 515 underscores, which are only valid between two digits.
fn strip_digit_underscores(s: &str) -> Option<String> {
    if !s.contains('_') {
        return Some(s.to_string());
    }
    let mut out = String::with_capacity(s.len());
    let mut prev = '\0';
    for c in s.chars() {
        if c == '_' {
            if !prev.is_ascii_digit() {
                return None;
            }
        } else {
            if prev == '_' && !c.is_ascii_digit() {
                return None;
            }
            out.push(c);
        }
        prev = c;
    }
    (prev != '_').then_some(out)
}

/// `float(s)` for a str; `None` where Python raises `ValueError`.
pub(super) fn parse_float(s: &str) -> Option<f64> {
    let text = strip_digit_underscores(&to_ascii_number_text(s))?;
    let body = text.trim_matches(is_c_space);
    let unsigned = body.strip_prefix(['+', '-']).unwrap_or(body);
    let negative = body.starts_with('-');
    let lower = unsigned.to_ascii_lowercase();
    let special = match lower.as_str() {
        "inf" | "infinity" => Some(f64::INFINITY),
        "nan" => Some(f64::NAN),
        _ => None,
    };
    if let Some(special) = special {
        return Some(if negative { -special } else { special });
    }
    if !is_decimal_float(unsigned) {
        return None;
    }
    body.parse::<f64>().ok()
}

/// digits [ '.' digits ] [ e [sign] digits ] with at least one mantissa digit.
fn is_decimal_float(s: &str) -> bool {
    let (mantissa, exponent) = match s.find(['e', 'E']) {
        Some(i) => (&s[..i], Some(&s[i + 1..])),
        None => (s, None),
    };
    let (int_part, frac_part) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let all_digits = |p: &str| p.bytes().all(|b| b.is_ascii_digit());
    if int_part.len() + frac_part.len() == 0 || !all_digits(int_part) || !all_digits(frac_part) {
        return false;
    }
    match exponent {
        None => true,
        Some(e) => {
            let e = e.strip_prefix(['+', '-']).unwrap_or(e);
            !e.is_empty() && all_digits(e)
        }
    }
}

/// Python compares int with float exactly (no rounding of the int); `None` means NaN.
pub(super) fn compare(a: Number, b: Number) -> Option<Ordering> {
    match (a, b) {
        (Number::Int(x), Number::Int(y)) => Some(x.cmp(&y)),
        (Number::Float(x), Number::Float(y)) => x.partial_cmp(&y),
        (Number::Int(x), Number::Float(y)) => compare_int_float(x, y),
        (Number::Float(x), Number::Int(y)) => compare_int_float(y, x).map(Ordering::reverse),
    }
}

fn compare_int_float(i: i128, f: f64) -> Option<Ordering> {
    if f.is_nan() {
        return None;
    }
    // 2^127: every i128 is below it, and every float at or above it exceeds every i128.
    const LIMIT: f64 = 170_141_183_460_469_231_731_687_303_715_884_105_728.0;
    let whole = f.trunc();
    if whole >= LIMIT {
        return Some(Ordering::Less);
    }
    if whole < -LIMIT {
        return Some(Ordering::Greater);
    }
    Some(i.cmp(&(whole as i128)).then_with(|| {
        if f > whole {
            Ordering::Less
        } else if f < whole {
            Ordering::Greater
        } else {
            Ordering::Equal
        }
    }))
}
