//! `-o table`: knack's `_TableOutput` feeding `tabulate(rows, headers="keys",
//! tablefmt="simple", disable_numparse=True)` of tabulate 0.10.0.
//!
//! az's venv has no `wcwidth`, so tabulate measures cells with `len()` (code points);
//! so does this port. ANSI escape handling (`table_ansi.rs`) and the multi-line cell
//! path are kept because tabulate switches width functions on them.

use super::pyfmt::{py_len, py_str, rstrip, split_cr_lf, splitlines, strip};
use super::table_ansi::{contains_ansi, strip_ansi};
use serde_json::Value;
use std::fmt;

/// knack raises this (as `CLIError`) when it cannot render a table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableError {
    /// What went wrong, for `--debug`; the user-facing text is the `Display` form.
    pub reason: String,
}

impl fmt::Display for TableError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(
            "Table output unavailable. Use the --query option to specify an appropriate query. \
             Use --debug for more info.",
        )
    }
}

impl std::error::Error for TableError {}

/// knack `format_table` after any transformer: `sort_keys` is true only when neither a
/// `--query` nor a table transformer was used. The result ends with a newline.
pub fn dump(value: &Value, sort_keys: bool) -> Result<String, TableError> {
    let items: &[Value] = match value {
        Value::Array(items) => items,
        other => std::slice::from_ref(other),
    };
    if items.is_empty() {
        return Ok("\n".into());
    }
    let rows: Vec<Vec<(String, &Value)>> = items
        .iter()
        .map(|i| auto_table_item(i, sort_keys))
        .collect();
    let table = tabulate(&rows);
    if table == "\n" {
        return Err(TableError {
            reason: "Unable to extract fields for table.".into(),
        });
    }
    Ok(table + "\n")
}

const SKIP_KEYS: [&str; 3] = ["id", "type", "etag"];

/// `_TableOutput._auto_table_item`: an ordered row of (header, value).
fn auto_table_item(item: &Value, sort_keys: bool) -> Vec<(String, &Value)> {
    let mut entry: Vec<(String, &Value)> = Vec::new();
    match item {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            if sort_keys {
                keys.sort();
            }
            for k in keys {
                let v = &map[k.as_str()];
                if SKIP_KEYS.contains(&k.as_str())
                    || matches!(v, Value::Null | Value::Array(_) | Value::Object(_))
                {
                    continue;
                }
                let header = capitalize_first(k);
                // OrderedDict assignment: a repeated header keeps its place, takes the new value.
                match entry.iter_mut().find(|(h, _)| *h == header) {
                    Some(slot) => slot.1 = v,
                    None => entry.push((header, v)),
                }
            }
        }
        Value::Array(values) => {
            for (i, v) in values.iter().enumerate() {
                entry.push((format!("Column{}", i + 1), v));
            }
        }
        other => entry.push(("Result".into(), other)),
    }
    entry
}

fn capitalize_first(k: &str) -> String {
    let mut chars = k.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A value as the table prints it (`tabulate._format`): missing and None are empty.
fn format_cell(v: Option<&Value>) -> String {
    match v {
        None | Some(Value::Null) => String::new(),
        Some(v) => py_str(v),
    }
}

/// tabulate's `SEPARATING_LINE` test on a row's first two raw cells.
fn is_separating(row: &[Option<&Value>]) -> bool {
    row.iter()
        .take(2)
        .any(|c| matches!(c, Some(Value::String(s)) if strip(s) == "\u{1}"))
}

/// How tabulate measures a cell: `len` or ANSI-stripped `len`, per line when any cell
/// or header holds `\r` or `\n`.
struct Measure {
    invisible: bool,
    multiline: bool,
}

impl Measure {
    fn line(&self, s: &str) -> usize {
        if self.invisible {
            py_len(&strip_ansi(s))
        } else {
            py_len(s)
        }
    }
    fn lines(&self, s: &str) -> Vec<usize> {
        if self.multiline {
            split_cr_lf(s).into_iter().map(|l| self.line(l)).collect()
        } else {
            vec![self.line(s)]
        }
    }
    fn width(&self, s: &str) -> usize {
        self.lines(s).into_iter().max().unwrap_or(0)
    }
}

fn pad(width: usize, s: &str) -> String {
    let n = py_len(s);
    let mut out = s.to_string();
    out.extend(std::iter::repeat_n(' ', width.saturating_sub(n)));
    out
}

fn tabulate(rows: &[Vec<(String, &Value)>]) -> String {
    // _normalize_tabular_data: headers are the union of keys in first-seen order.
    let mut headers: Vec<&str> = Vec::new();
    for row in rows {
        for (k, _) in row {
            if !headers.contains(&k.as_str()) {
                headers.push(k);
            }
        }
    }
    if headers.is_empty() {
        return String::new();
    }
    let mut separators = Vec::new();
    let mut data: Vec<Vec<Option<&Value>>> = Vec::new();
    for (i, row) in rows.iter().enumerate() {
        let cells: Vec<Option<&Value>> = headers
            .iter()
            .map(|h| row.iter().find(|(k, _)| k == h).map(|(_, v)| *v))
            .collect();
        if is_separating(&cells) {
            separators.push(i);
        } else {
            data.push(cells);
        }
    }
    // The ANSI and line-break probes run over the raw text, `str()` of every cell.
    let mut plain: Vec<String> = headers.iter().map(|h| h.to_string()).collect();
    for row in &data {
        plain.extend(row.iter().map(|c| c.map_or("None".into(), py_str)));
    }
    let plain = plain.join("\t");
    let m = Measure {
        invisible: contains_ansi(&plain),
        multiline: plain.contains(['\r', '\n']),
    };

    let ncols = headers.len();
    let mut widths: Vec<usize> = headers.iter().map(|h| m.width(h) + 2).collect();
    let mut columns: Vec<Vec<String>> = Vec::with_capacity(ncols);
    if !data.is_empty() {
        for (j, width) in widths.iter_mut().enumerate() {
            let cells: Vec<String> = data.iter().map(|r| format_cell(r[j])).collect();
            let padded = align_column(&cells, *width, &m);
            *width = padded.iter().map(|c| m.width(c)).fold(*width, usize::max);
            columns.push(padded);
        }
    }
    let header_cells: Vec<String> = headers
        .iter()
        .zip(&widths)
        .map(|(h, &w)| {
            let lines: Vec<String> = if m.multiline {
                split_cr_lf(h)
                    .into_iter()
                    .map(|l| pad(w + py_len(l) - m.line(l), l))
                    .collect()
            } else {
                vec![pad(w + py_len(h) - m.line(h), h)]
            };
            lines.join("\n")
        })
        .collect();

    let dashes: Vec<String> = widths.iter().map(|&w| "-".repeat(w)).collect();
    let dash_line = rstrip(&dashes.join("  ")).to_string();
    let mut lines = Vec::new();
    push_row(&mut lines, &header_cells, &widths, m.multiline);
    lines.push(dash_line.clone());
    let mut next_data = 0;
    for i in 0..rows.len() {
        if separators.contains(&i) {
            lines.push(dash_line.clone());
        } else {
            let cells: Vec<String> = columns.iter().map(|c| c[next_data].clone()).collect();
            push_row(&mut lines, &cells, &widths, m.multiline);
            next_data += 1;
        }
    }
    lines.join("\n")
}

/// `_align_column` for left alignment: strip, measure, pad to the widest (or `minwidth`).
fn align_column(cells: &[String], minwidth: usize, m: &Measure) -> Vec<String> {
    let cells: Vec<&str> = cells.iter().map(|c| strip(c)).collect();
    let widths: Vec<Vec<usize>> = cells.iter().map(|c| m.lines(c)).collect();
    let maxwidth = widths.iter().flatten().copied().fold(minwidth, usize::max);
    cells
        .iter()
        .zip(&widths)
        .map(|(cell, cw)| {
            if !m.multiline {
                // Visible width corrected for invisible characters (a no-op without ANSI).
                return pad(maxwidth + py_len(cell) - cw[0], cell);
            }
            // Widths come from a `[\r\n]` split but lines from `splitlines()`; tabulate zips
            // the two as they are, so do the same.
            let lens: Vec<usize> = split_cr_lf(cell).into_iter().map(py_len).collect();
            let lines = splitlines(cell);
            if m.invisible {
                lines
                    .iter()
                    .zip(cw.iter().zip(&lens))
                    .map(|(l, (w, n))| pad(maxwidth + n - w, l))
                    .collect::<Vec<_>>()
                    .join("\n")
            } else {
                lines
                    .iter()
                    .map(|l| pad(maxwidth, l))
                    .collect::<Vec<_>>()
                    .join("\n")
            }
        })
        .collect()
}

/// `_append_basic_row` or, for multi-line tables, `_append_multiline_row`.
fn push_row(lines: &mut Vec<String>, cells: &[String], widths: &[usize], multiline: bool) {
    if !multiline {
        lines.push(rstrip(&cells.join("  ")).to_string());
        return;
    }
    let cell_lines: Vec<Vec<&str>> = cells.iter().map(|c| splitlines(c)).collect();
    let n = cell_lines.iter().map(Vec::len).max().unwrap_or(0);
    let blanks: Vec<String> = widths.iter().map(|&w| " ".repeat(w)).collect();
    for i in 0..n {
        let parts: Vec<&str> = cell_lines
            .iter()
            .zip(&blanks)
            .map(|(cl, b)| cl.get(i).copied().unwrap_or(b))
            .collect();
        lines.push(rstrip(&parts.join("  ")).to_string());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn simple_tables() {
        assert_eq!(dump(&json!([]), true).unwrap(), "\n");
        assert_eq!(dump(&json!([{}]), true).unwrap(), "\n");
        assert_eq!(dump(&json!(null), true).unwrap(), "Result\n--------\n\n");
        assert_eq!(dump(&json!({"": ""}), true).unwrap(), "\n--\n\n");
        assert_eq!(
            dump(&json!([{"a": "\u{1}"}]), true).unwrap(),
            "A\n---\n---\n"
        );
        assert_eq!(
            dump(&json!([{"a": "", "b": "\n"}]), true).unwrap(),
            "A    B\n---  ---\n"
        );
        let v = json!([{"name": "x", "id": 1, "n": 2, "b": true, "l": []}, {"zz": "long value"}]);
        assert_eq!(
            dump(&v, true).unwrap(),
            "B     N    Name    Zz\n----  ---  ------  ----------\nTrue  2    x\n                   long value\n"
        );
    }
}
