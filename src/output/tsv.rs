//! `-o tsv`: knack's `_TsvOutput`, one line per row, cells separated by tabs.

use super::pyfmt::py_str;
use serde_json::Value;

/// knack `format_tsv`. `multiselect_rows[i]` marks row `i` as an OrderedDict built by a
/// `--query` multiselect hash: its cells keep insertion order instead of key order.
/// Missing entries count as false.
pub fn dump(value: &Value, multiselect_rows: &[bool]) -> String {
    let rows: &[Value] = match value {
        Value::Array(items) => items,
        other => std::slice::from_ref(other),
    };
    let mut out = String::new();
    for (i, row) in rows.iter().enumerate() {
        match row {
            Value::Object(map) => {
                let mut entries: Vec<(&String, &Value)> = map.iter().collect();
                if !multiselect_rows.get(i).copied().unwrap_or(false) {
                    entries.sort_by(|a, b| a.0.cmp(b.0));
                }
                push_cells(&mut out, entries.into_iter().map(|(_, v)| v));
            }
            Value::Array(items) => push_cells(&mut out, items.iter()),
            // Only a row that is itself a boolean is lower-cased; cells say True/False.
            Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            other => out.push_str(&cell(other)),
        }
        out.push('\n');
    }
    out
}

fn push_cells<'a>(out: &mut String, values: impl Iterator<Item = &'a Value>) {
    for (i, v) in values.enumerate() {
        if i > 0 {
            out.push('\t');
        }
        out.push_str(&cell(v));
    }
}

/// `_TsvOutput._dump_obj`: a list prints its length and an object nothing, so that rows
/// keep the same number of columns whatever the nested values are.
fn cell(v: &Value) -> String {
    match v {
        Value::Array(items) => items.len().to_string(),
        Value::Object(_) => String::new(),
        other => py_str(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn rows_and_cells() {
        let v = json!([{"b": [1, 2], "a": null, "c": {"x": 1}}, true, [false, 2.5, "s"]]);
        assert_eq!(dump(&v, &[]), "None\t2\t\ntrue\nFalse\t2.5\ts\n");
        let ordered = json!([{"z": 1, "a": 2}]);
        assert_eq!(dump(&ordered, &[true]), "1\t2\n");
        assert_eq!(dump(&ordered, &[false]), "2\t1\n");
        assert_eq!(dump(&json!([]), &[]), "");
    }
}
