//! The `-o table` transformers of `az acr token`, `token credential generate` and
//! `scope-map` (azure-cli `acr/_format.py`: `_token_format_group`,
//! `_token_password_format_group`, `_scope_map_format_group`), producing ordered rows
//! for `table::dump(rows, false)`.

use super::pyfmt::{py_len, py_str, title, upper};
use super::table::TableError;
use serde_json::{Map, Value};

/// `token_output_format`: NAME, SCOPE MAP, PASSWORD1/2 EXPIRY, STATUS, PROVISIONING STATE,
/// CREATION DATE.
pub fn token_table(result: &Value) -> Result<Value, TableError> {
    output_format(result, |item| {
        let scope_map_id = get(item, &["scopeMapId"]);
        let mut row = Map::new();
        put(&mut row, "NAME", get(item, &["name"]));
        put(
            &mut row,
            "SCOPE MAP",
            scope_map_id
                .rsplit('/')
                .next()
                .unwrap_or_default()
                .to_string(),
        );
        put(&mut row, "PASSWORD1 EXPIRY", String::new());
        put(&mut row, "PASSWORD2 EXPIRY", String::new());
        put(&mut row, "STATUS", title(&get(item, &["status"])));
        put(
            &mut row,
            "PROVISIONING STATE",
            get(item, &["provisioningState"]),
        );
        put(
            &mut row,
            "CREATION DATE",
            fmt_date(&get(item, &["creationDate"])),
        );
        for password in array_value(item, &["credentials", "passwords"]) {
            let column = format!("{} EXPIRY", upper(&get(&password, &["name"])));
            if row.contains_key(&column) {
                put(&mut row, &column, expiry(&password));
            }
        }
        row
    })
}

/// `token_credential_output_format`: USERNAME, then PASSWORDn and PASSWORDn EXPIRY for
/// each password in response order.
pub fn credential_table(result: &Value) -> Result<Value, TableError> {
    output_format(result, |item| {
        let mut row = Map::new();
        put(&mut row, "USERNAME", get(item, &["username"]));
        for password in array_value(item, &["passwords"]) {
            let name = upper(&get(&password, &["name"]));
            // OrderedDict(list of pairs): a repeated column keeps its place, takes the last value.
            put(&mut row, &name, get(&password, &["value"]));
            put(&mut row, &format!("{name} EXPIRY"), expiry(&password));
        }
        row
    })
}

/// acr's `rotate --all` results (an addition, so no az layout to follow): NAME, SLOT, EXPIRY
/// (`Never` for none), STATUS, MESSAGE, one row per token.
pub fn rotation_table(result: &Value) -> Result<Value, TableError> {
    output_format(result, |item| {
        let mut row = Map::new();
        put(&mut row, "NAME", get(item, &["name"]));
        put(&mut row, "SLOT", get(item, &["slot"]));
        let expiry = match walk(item, &["status"]).and_then(Value::as_str) {
            Some("ok") => expiry(item),
            _ => get(item, &["expiry"]),
        };
        put(&mut row, "EXPIRY", expiry);
        put(&mut row, "STATUS", get(item, &["status"]));
        put(&mut row, "MESSAGE", get(item, &["message"]));
        row
    })
}

/// `scope_map_output_format`: NAME, TYPE (`scopeMapType`, acr D3), CREATION DATE,
/// DESCRIPTION cut to 57 characters plus `...`.
pub fn scope_map_table(result: &Value) -> Result<Value, TableError> {
    output_format(result, |item| {
        let mut description = get(item, &["description"]);
        if py_len(&description) > 57 {
            description = description.chars().take(57).collect::<String>() + "...";
        }
        let mut row = Map::new();
        put(&mut row, "NAME", get(item, &["name"]));
        put(&mut row, "TYPE", get(item, &["scopeMapType"]));
        put(
            &mut row,
            "CREATION DATE",
            fmt_date(&get(item, &["creationDate"])),
        );
        put(&mut row, "DESCRIPTION", description);
        row
    })
}

fn put(row: &mut Map<String, Value>, key: &str, value: String) {
    row.insert(key.to_string(), Value::String(value));
}

/// `_output_format`: a `value` list replaces the result, a non-list is wrapped.
/// Python evaluates `'value' in result` first, which raises for numbers, booleans and
/// None, and `result['value']` then raises for a string or list that contains "value";
/// knack turns those into "Table output unavailable".
fn output_format(
    result: &Value,
    group: impl Fn(&Value) -> Map<String, Value>,
) -> Result<Value, TableError> {
    let fail = |why: &str| {
        Err(TableError {
            reason: why.to_string(),
        })
    };
    let items: Vec<&Value> = match result {
        Value::Object(m) => match m.get("value") {
            Some(Value::Array(list)) => list.iter().collect(),
            _ => vec![result],
        },
        Value::Array(list) if list.iter().any(|v| v == "value") => {
            return fail("list indices must be integers or slices, not str");
        }
        Value::Array(list) => list.iter().collect(),
        Value::String(s) if s.contains("value") => return fail("string indices must be integers"),
        Value::String(_) => vec![result],
        _ => return fail("argument of type is not iterable"),
    };
    Ok(Value::Array(
        items.into_iter().map(|i| Value::Object(group(i))).collect(),
    ))
}

fn walk<'a>(item: &'a Value, path: &[&str]) -> Option<&'a Value> {
    path.iter().try_fold(item, |cur, key| match cur {
        Value::Object(m) => m.get(*key),
        _ => None,
    })
}

/// `_get_value`: `' '` for a missing key, a type error, or a falsy value other than a
/// number equal to 0 (`False == 0` holds too); otherwise `str(value)`.
fn get(item: &Value, path: &[&str]) -> String {
    let v = match walk(item, path) {
        None => return " ".into(),
        Some(v) => v,
    };
    let falsy_but_zero = matches!(v, Value::Bool(false) | Value::Number(_));
    let falsy = match v {
        Value::Null => true,
        Value::Bool(b) => !b,
        Value::Number(n) => n.as_f64() == Some(0.0),
        Value::String(s) => s.is_empty(),
        Value::Array(a) => a.is_empty(),
        Value::Object(m) => m.is_empty(),
    };
    if falsy && !falsy_but_zero {
        " ".into()
    } else {
        py_str(v)
    }
}

/// `_get_array_value`: `list(value)` when truthy, else `[]` (also on errors). `list()` of
/// a dict gives its keys and of a string its characters.
fn array_value(item: &Value, path: &[&str]) -> Vec<Value> {
    match walk(item, path) {
        Some(Value::Array(a)) => a.clone(),
        Some(Value::Object(m)) => m.keys().map(|k| Value::String(k.clone())).collect(),
        Some(Value::String(s)) => s.chars().map(|c| Value::String(c.to_string())).collect(),
        _ => Vec::new(),
    }
}

/// `'Never'` when `_get_value(password, 'expiry')` is blank, else `_format_datetime`.
fn expiry(password: &Value) -> String {
    let value = get(password, &["expiry"]);
    if value == " " {
        "Never".into()
    } else {
        fmt_date(&value)
    }
}

/// `_format_datetime`: dateutil-parse and print `%Y-%m-%dT%H:%M:%SZ` **without** moving to
/// UTC (the offset is dropped, the wall clock kept). Unparseable input comes back as is
/// (`' '` when empty).
pub fn fmt_date(s: &str) -> String {
    match parse_iso(s) {
        Some((y, mo, d, h, mi, sec)) => format!("{y}-{mo:02}-{d:02}T{h:02}:{mi:02}:{sec:02}Z"),
        None if s.is_empty() => " ".into(),
        None => s.to_string(),
    }
}

/// The ISO 8601 shapes the service and azure-cli produce, with the leniency dateutil
/// shows for them: `YYYY-M[M]-D[D]`, then optionally `T`/`t`/space and `H[H][:M[M][:S[S]]]`
/// with a `.` or `,` fraction of any length, then optionally `Z`, `z`, `UTC`, `GMT` or
/// `±HH[[:]MM]`, possibly after spaces. Out-of-range fields fail as they do in dateutil.
fn parse_iso(s: &str) -> Option<(u32, u32, u32, u32, u32, u32)> {
    let s = s.trim_matches(' ');
    let b = s.as_bytes();
    let mut i = 0;
    let num = |i: &mut usize, min: usize, max: usize| -> Option<u32> {
        let start = *i;
        while *i < b.len() && b[*i].is_ascii_digit() && *i - start < max {
            *i += 1;
        }
        if *i - start < min || b.get(*i).is_some_and(u8::is_ascii_digit) {
            return None;
        }
        s[start..*i].parse().ok()
    };
    let year = num(&mut i, 4, 4)?;
    (b.get(i) == Some(&b'-')).then_some(())?;
    i += 1;
    let month = num(&mut i, 1, 2)?;
    (b.get(i) == Some(&b'-')).then_some(())?;
    i += 1;
    let day = num(&mut i, 1, 2)?;
    let (mut hour, mut minute, mut second) = (0, 0, 0);
    if i < b.len()
        && matches!(b[i], b'T' | b't' | b' ')
        && b.get(i + 1).is_some_and(u8::is_ascii_digit)
    {
        i += 1;
        hour = num(&mut i, 1, 2)?;
        if b.get(i) == Some(&b':') {
            i += 1;
            minute = num(&mut i, 1, 2)?;
            if b.get(i) == Some(&b':') {
                i += 1;
                second = num(&mut i, 1, 2)?;
                if matches!(b.get(i), Some(b'.' | b',')) {
                    i += 1;
                    let start = i;
                    while b.get(i).is_some_and(u8::is_ascii_digit) {
                        i += 1;
                    }
                    (i > start).then_some(())?;
                }
            }
        }
    }
    let tz = s[i..].trim_start_matches(' ');
    let tz_ok = match tz.as_bytes() {
        b"" | b"Z" | b"z" | b"UTC" | b"GMT" => true,
        [b'+' | b'-', rest @ ..] => {
            let digits = |x: &[u8]| x.iter().all(u8::is_ascii_digit);
            match rest {
                [_, _, b':', m @ ..] => digits(&rest[..2]) && m.len() == 2 && digits(m),
                _ => matches!(rest.len(), 1 | 2 | 4) && digits(rest),
            }
        }
        _ => false,
    };
    let valid = tz_ok
        && (1..=9999).contains(&year)
        && (1..=12).contains(&month)
        && day >= 1
        && day <= days_in_month(year, month)
        && hour < 24
        && minute < 60
        && second < 60;
    valid.then_some((year, month, day, hour, minute, second))
}

fn days_in_month(y: u32, m: u32) -> u32 {
    match m {
        2 if (y.is_multiple_of(4) && !y.is_multiple_of(100)) || y.is_multiple_of(400) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_like_dateutil() {
        let cases = [
            ("2026-11-23T19:08:48.123456+00:00", "2026-11-23T19:08:48Z"),
            ("2024-01-01T00:00:00.0000000Z", "2024-01-01T00:00:00Z"),
            ("2024-01-01T10:20:30+05:30", "2024-01-01T10:20:30Z"),
            ("2024-01-01T10:20:30-0800", "2024-01-01T10:20:30Z"),
            ("0999-01-01T00:00:00Z", "999-01-01T00:00:00Z"),
            ("2024-01-01", "2024-01-01T00:00:00Z"),
            ("2024-1-1T1:2:3Z", "2024-01-01T01:02:03Z"),
            ("2024-02-30T00:00:00Z", "2024-02-30T00:00:00Z"),
            ("2024-01-01T10:20:30.Z", "2024-01-01T10:20:30.Z"),
            ("2024-01-01T24:00:00Z", "2024-01-01T24:00:00Z"),
            (" ", " "),
            ("", " "),
        ];
        for (input, want) in cases {
            assert_eq!(fmt_date(input), want, "{input:?}");
        }
    }
}
