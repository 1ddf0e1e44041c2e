//! Randomised differential test against the real Python libraries: thousands of documents
//! built from a hostile alphabet (YAML indicators, implicit-type look-alikes, line breaks,
//! control and non-ASCII characters, ANSI sequences) are rendered here and by
//! `testdata/diff_helper.py` in one batch, and every format must match byte for byte.
//!
//! Runs only when `ACR_TEST_PYTHON` names a Python with knack, PyYAML, tabulate and
//! azure-cli (the az venv). `ACR_TEST_DIFF_COUNT` overrides the number of documents and
//! `ACR_TEST_DIFF_SEED` the seed.

use super::golden_tests::{first_difference, render};
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;
use std::io::Write;
use std::process::{Command, Stdio};

/// xorshift64*: deterministic, dependency-free.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

const CHARS: &[char] = &[
    ' ', ' ', ' ', ':', '#', '-', '?', '[', ']', '{', '}', ',', '&', '*', '!', '|', '>', '\'', '"',
    '%', '@', '`', '\n', '\n', '\t', '\r', '.', 'e', 'E', '_', '+', 'x', 'b', 'o', '~', '<', '=',
    '\\', '/', '0', '1', '5', '7', '9', 'a', 'z', 'N', 'y', 'é', '漢', '😀', '\u{301}', '\u{85}',
    '\u{2028}', '\u{2029}', '\u{feff}', '\u{a0}', '\u{3000}', '\u{1c}', '\u{1d}', '\u{1e}',
    '\u{b}', '\u{c}', '\u{1}', '\u{0}', '\u{7f}', '\u{1b}', '\u{e000}', '\u{fffd}', 'ß',
];

const TOKENS: &[&str] = &[
    "yes",
    "no",
    "No",
    "on",
    "off",
    "OFF",
    "null",
    "Null",
    "~",
    "true",
    "False",
    "0x",
    "0x1F",
    "0b1",
    "017",
    "1_0",
    "2024-01-01",
    "T10:20:30",
    " 10:20:30",
    "+00:00",
    "-05",
    "Z",
    ".5",
    "1e3",
    "1e+3",
    "1.",
    "1:30",
    ":59",
    ".inf",
    ".NaN",
    "<<",
    "=",
    "---",
    "...",
    "- ",
    "? ",
    ": ",
    " #",
    "\x1b[31m",
    "\x1b[0m",
    "\x1b]8;;http://x\x1b\\",
    "\x1b]8;;\x1b\\",
    "\r\n",
    "value",
    "id",
    "type",
    "etag",
    "\u{1}",
    "password1",
    "sha256:",
    "enabled",
];

fn pick_str<'a>(r: &mut Rng, items: &[&'a str]) -> &'a str {
    items[r.below(items.len())]
}

fn random_string(r: &mut Rng) -> String {
    let mut s = String::new();
    let long = r.chance(8);
    let pieces = if long { 20 + r.below(60) } else { r.below(7) };
    for _ in 0..pieces {
        match r.below(10) {
            0..=3 => s.push(*r.pick(CHARS)),
            4..=5 => s.push_str(pick_str(r, TOKENS)),
            6 if long => s.push(' '),
            _ => {
                let word = ["word", "abc", "x", "Hello", "12", "a-b", "nginx/web"];
                s.push_str(pick_str(r, &word));
            }
        }
    }
    s
}

fn random_number(r: &mut Rng) -> Value {
    match r.below(8) {
        0 => json!(r.below(100) as i64 - 50),
        1 => json!(r.next()),
        2 => json!(-((r.next() >> 1) as i64)),
        3 => json!(*r.pick(&[
            0.1,
            2.0,
            1e16,
            1e15,
            1.5e-5,
            1e-4,
            123456789012345.6,
            -0.0,
            1e22,
            5e-324,
            0.5
        ])),
        4 => {
            let f = f64::from_bits(r.next());
            if f.is_finite() { json!(f) } else { json!(1.0) }
        }
        5 => json!((r.below(2_000_000) as f64 - 1e6) / 1000.0),
        // Many of these sit exactly between two shortest candidates (ties to even).
        6 if r.chance(50) => json!((r.next() % 100_000_000_000_000_000) as f64 / 100.0),
        6 => json!(10f64.powi(r.below(40) as i32 - 20) * (r.below(9) + 1) as f64),
        _ => json!(0),
    }
}

fn random_scalar(r: &mut Rng) -> Value {
    match r.below(10) {
        0..=5 => Value::String(random_string(r)),
        6 => random_number(r),
        7 => Value::Bool(r.chance(50)),
        _ => Value::Null,
    }
}

fn random_key(r: &mut Rng) -> String {
    match r.below(10) {
        0 => r
            .pick(&["id", "type", "etag", "name", "Name", "value", ""])
            .to_string(),
        1 if r.chance(30) => "k".repeat(118 + r.below(8)),
        2..=5 => r
            .pick(&["a", "b", "c", "key", "B", "é", "_x", "z"])
            .to_string(),
        _ => random_string(r),
    }
}

fn random_value(r: &mut Rng, depth: usize) -> Value {
    if depth == 0 || r.chance(45) {
        return random_scalar(r);
    }
    let n = r.below(5);
    if r.chance(50) {
        Value::Array((0..n).map(|_| random_value(r, depth - 1)).collect())
    } else {
        let mut m = Map::new();
        for _ in 0..n {
            m.insert(random_key(r), random_value(r, depth - 1));
        }
        Value::Object(m)
    }
}

fn random_rows(r: &mut Rng) -> Value {
    let rows = r.below(5);
    Value::Array(
        (0..rows)
            .map(|_| {
                let mut m = Map::new();
                for _ in 0..r.below(5) {
                    m.insert(
                        random_key(r),
                        if r.chance(80) {
                            random_scalar(r)
                        } else {
                            random_value(r, 2)
                        },
                    );
                }
                Value::Object(m)
            })
            .collect(),
    )
}

/// Dates dateutil is known to parse, or to reject, the same way `fmt_date` does
/// (`|`-separated; the empty string is one of them).
const DATES: &str = "2026-11-23T19:08:48.123456+00:00|2024-01-01T00:00:00.0000000Z|2024-02-30T00:00:00Z|\
    2030-06-30T12:00:00-07:00|2024-01-01|2024-01-01 10:20:30|0999-01-01T00:00:00Z|2024-01-01T24:00:00Z|\
    2024-01-01T10:20:30.Z||2024-1-1T1:2:3Z|2024-01-01T10:20:30+0530|not a date|2024-13-01T00:00:00Z";

fn date_or_junk(r: &mut Rng) -> Value {
    match r.below(6) {
        0 => Value::Null,
        1 => json!(r.pick(&[true, false])),
        _ => json!(r.pick(&DATES.split('|').collect::<Vec<_>>())),
    }
}

/// A token, credential or scope-map shaped result with hostile field values.
fn management_doc(r: &mut Rng) -> Value {
    let one = |r: &mut Rng| {
        let passwords: Vec<Value> = (0..r.below(4))
            .map(|_| {
                let name = if r.chance(70) { json!(r.pick(&["password1", "password2", "Password2", "x"])) } else { random_scalar(r) };
                json!({"name": name, "value": random_scalar(r), "expiry": date_or_junk(r), "creationTime": date_or_junk(r)})
            })
            .collect();
        let passwords = if r.chance(90) {
            Value::Array(passwords)
        } else {
            random_value(r, 2)
        };
        json!({
            "name": if r.chance(70) { Value::String(random_string(r)) } else { random_scalar(r) },
            "username": random_scalar(r),
            "scopeMapId": if r.chance(70) { json!(format!("/x/scopeMaps/{}", random_string(r))) } else { random_scalar(r) },
            "status": if r.chance(50) { json!(r.pick(&["enabled", "disabled"])) } else { random_scalar(r) },
            "provisioningState": random_scalar(r),
            "creationDate": date_or_junk(r),
            "credentials": {"passwords": passwords.clone()},
            "passwords": passwords,
            "description": random_scalar(r),
            "scopeMapType": random_scalar(r),
            "id": "/subscriptions/s/resourceGroups/g",
        })
    };
    match r.below(4) {
        0 => Value::Array((0..r.below(4)).map(|_| one(r)).collect()),
        1 => json!({"value": [one(r), one(r)]}),
        _ => one(r),
    }
}

fn random_case(r: &mut Rng, i: usize) -> Value {
    let transformer = if r.chance(15) {
        Some(*r.pick(&["token", "credential", "scope_map"]))
    } else {
        None
    };
    let doc = match transformer {
        Some(_) => management_doc(r),
        None => match r.below(10) {
            0..=3 => random_rows(r),
            4..=5 => random_value(r, 4),
            6 => Value::Array(
                (0..r.below(4))
                    .map(|_| Value::Array((0..r.below(4)).map(|_| random_scalar(r)).collect()))
                    .collect(),
            ),
            7 => Value::String(random_string(r)),
            8 => random_scalar(r),
            _ => {
                let mut m = Map::new();
                for _ in 0..r.below(8) {
                    m.insert(random_key(r), random_value(r, 3));
                }
                Value::Object(m)
            }
        },
    };
    let rows = doc.as_array().map_or(1, Vec::len);
    let multiselect: Vec<bool> = (0..r.below(rows + 1)).map(|_| r.chance(50)).collect();
    json!({"name": format!("random-{i}"), "doc": doc, "query": r.chance(30), "multiselect": multiselect,
           "transformer": transformer})
}

#[test]
fn random_documents_match_python() {
    let Ok(python) = std::env::var("ACR_TEST_PYTHON") else {
        // Written to stderr directly: libtest captures only the print macros, so the note
        // shows even without --nocapture.
        let _ = writeln!(
            std::io::stderr(),
            "skipped: set ACR_TEST_PYTHON to the az venv's python to run the differential test"
        );
        return;
    };
    let count: usize = std::env::var("ACR_TEST_DIFF_COUNT")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(6000);
    let seed: u64 = std::env::var("ACR_TEST_DIFF_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0x5eed_acc0_1234_5678);
    // splitmix64 of the seed, so that nearby seeds give unrelated (and non-zero) states.
    let mut z = seed.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    let mut rng = Rng((z ^ (z >> 31)) | 1);
    let cases: Vec<Value> = (0..count).map(|i| random_case(&mut rng, i)).collect();

    let helper = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/src/output/testdata/diff_helper.py"
    );
    let mut child = Command::new(&python)
        .arg(helper)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("start ACR_TEST_PYTHON");
    let input = serde_json::to_vec(&cases).expect("serialise cases");
    let mut stdin = child.stdin.take().expect("stdin");
    let writer = std::thread::spawn(move || stdin.write_all(&input));
    let output = child.wait_with_output().expect("run diff_helper.py");
    writer.join().expect("writer thread").expect("write cases");
    assert!(
        output.status.success(),
        "diff_helper.py failed: {:?}",
        output.status
    );
    let expected: Vec<Value> = serde_json::from_slice(&output.stdout).expect("helper output");
    assert_eq!(expected.len(), cases.len());

    let mut per_format: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    let mut examples = Vec::new();
    for (case, want) in cases.iter().zip(&expected) {
        let multiselect: Vec<bool> = case["multiselect"]
            .as_array()
            .map(|a| a.iter().filter_map(Value::as_bool).collect())
            .unwrap_or_default();
        let outputs = render(
            &case["doc"],
            case["query"] == true,
            &multiselect,
            case["transformer"].as_str(),
        );
        for (format, got) in outputs {
            let family = if format == "table_error" {
                "table"
            } else {
                format
            };
            let entry = per_format.entry(family).or_default();
            entry.0 += 1;
            let matches = match format {
                "table_error" => want.get("table_error") == Some(&Value::Bool(true)),
                _ => want.get(format).and_then(Value::as_str) == Some(got.as_str()),
            };
            if !matches {
                entry.1 += 1;
                if examples.len() < 12 {
                    let exp = want
                        .get(format)
                        .and_then(Value::as_str)
                        .unwrap_or("<table error or missing>");
                    examples.push(format!(
                        "{} [{format}] doc={}\n  {}",
                        case["name"].as_str().unwrap_or("?"),
                        case["doc"],
                        first_difference(exp, &got)
                    ));
                }
            }
        }
    }
    let summary: Vec<String> = per_format
        .iter()
        .map(|(f, (n, bad))| format!("{f}: {n} compared, {bad} different"))
        .collect();
    let _ = writeln!(
        std::io::stderr(),
        "differential test, {count} documents, seed {seed:#x}: {}",
        summary.join("; ")
    );
    let total_bad: usize = per_format.values().map(|v| v.1).sum();
    assert!(
        total_bad == 0,
        "{total_bad} outputs differ from Python:\n{}",
        examples.join("\n")
    );
}
