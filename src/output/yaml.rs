//! `-o yaml` / `-o yamlc`: `yaml.safe_dump(v, default_flow_style=False, allow_unicode=True)`
//! under PyYAML 6 (pure-Python `SafeDumper`), ported from `yaml/emitter.py`.
//!
//! The port walks the value tree instead of queuing events, but keeps the emitter's
//! state (column, indent stack, whitespace/indention flags, open_ended) and its writers
//! line for line, because line folding and indentation depend on all of it. Only the
//! paths reachable from JSON data are kept: no anchors, no explicit tags on strings,
//! block collections except empty ones (flow `[]`/`{}`), and plain, single-quoted or
//! double-quoted scalars.

use super::pyfmt::{float_repr, number_str};
use super::yaml_scalar::{Analysis, analyze, resolves_to_non_str};
use serde_json::Value;

const BEST_INDENT: usize = 2;
pub(super) const BEST_WIDTH: usize = 80;
/// pygments' TerminalFormatter colours: keys (`Name.Tag`) and quoted strings.
const KEY: &str = "\x1b[94m";
const STRING: &str = "\x1b[33m";
const RESET: &str = "\x1b[39;49;00m";

/// The exact text of knack's `format_yaml` (it ends with a newline, and with
/// `...\n` after a top-level plain scalar).
pub fn safe_dump(v: &Value) -> String {
    Emitter::new(false).dump(v)
}

/// The same document with ANSI colours for a terminal (`yamlc`); not byte-compared.
pub fn safe_dump_color(v: &Value) -> String {
    Emitter::new(true).dump(v)
}

#[derive(Clone, Copy, PartialEq)]
enum Style {
    Plain,
    Single,
    Double,
}

#[derive(Clone, Copy, Default)]
struct Ctx {
    root: bool,
    mapping: bool,
    simple_key: bool,
}

pub(super) struct Emitter {
    pub(super) out: String,
    pub(super) color: bool,
    pub(super) indents: Vec<Option<usize>>,
    pub(super) indent: Option<usize>,
    pub(super) root_context: bool,
    pub(super) mapping_context: bool,
    pub(super) simple_key_context: bool,
    pub(super) column: usize,
    pub(super) whitespace: bool,
    pub(super) indention: bool,
    pub(super) open_ended: bool,
}

impl Emitter {
    fn new(color: bool) -> Self {
        Emitter {
            out: String::new(),
            color,
            indents: Vec::new(),
            indent: None,
            root_context: false,
            mapping_context: false,
            simple_key_context: false,
            column: 0,
            whitespace: true,
            indention: true,
            open_ended: false,
        }
    }

    fn dump(mut self, v: &Value) -> String {
        // The document start is implicit (no `---`): no version, tags or explicit_start.
        self.expect_node(
            v,
            Ctx {
                root: true,
                ..Ctx::default()
            },
        );
        // expect_document_end, then expect_document_start(StreamEnd).
        self.write_indent();
        if self.open_ended {
            self.write_indicator("...", true, false, false);
            self.write_indent();
        }
        self.out
    }

    fn expect_node(&mut self, v: &Value, ctx: Ctx) {
        self.root_context = ctx.root;
        self.mapping_context = ctx.mapping;
        self.simple_key_context = ctx.simple_key;
        match v {
            Value::Array(items) if items.is_empty() => self.empty_flow("[", "]"),
            Value::Object(map) if map.is_empty() => self.empty_flow("{", "}"),
            Value::Array(items) => self.block_sequence(items),
            Value::Object(map) => {
                // SafeRepresenter sorts the (key, value) pairs; keys are unique strings.
                let mut entries: Vec<(&String, &Value)> = map.iter().collect();
                entries.sort_by(|a, b| a.0.cmp(b.0));
                self.block_mapping(&entries);
            }
            scalar => {
                let (text, is_str) = scalar_text(scalar);
                self.expect_scalar(&text, is_str);
            }
        }
    }

    fn increase_indent(&mut self, flow: bool, indentless: bool) {
        self.indents.push(self.indent);
        match self.indent {
            None => self.indent = Some(if flow { BEST_INDENT } else { 0 }),
            Some(i) if !indentless => self.indent = Some(i + BEST_INDENT),
            Some(_) => {}
        }
    }

    fn pop_indent(&mut self) {
        self.indent = self.indents.pop().flatten();
    }

    /// An empty collection goes through the flow handlers even with
    /// default_flow_style=False (`check_empty_sequence` / `check_empty_mapping`).
    fn empty_flow(&mut self, open: &str, close: &str) {
        self.write_indicator(open, true, true, false);
        self.increase_indent(true, false);
        self.pop_indent();
        self.write_indicator(close, false, false, false);
    }

    fn block_sequence(&mut self, items: &[Value]) {
        let indentless = self.mapping_context && !self.indention;
        self.increase_indent(false, indentless);
        for item in items {
            self.write_indent();
            self.write_indicator("-", true, false, true);
            self.expect_node(item, Ctx::default());
        }
        self.pop_indent();
    }

    fn block_mapping(&mut self, entries: &[(&String, &Value)]) {
        self.increase_indent(false, false);
        let key_ctx = Ctx {
            mapping: true,
            ..Ctx::default()
        };
        for (key, value) in entries {
            self.write_indent();
            let chars: Vec<char> = key.chars().collect();
            let analysis = analyze(&chars);
            // check_simple_key: the prepared tag `!!str` (5 chars) counts towards the 128 limit.
            if chars.len() + 5 < 128 && !analysis.empty && !analysis.multiline {
                self.expect_node(
                    &Value::String((*key).clone()),
                    Ctx {
                        simple_key: true,
                        ..key_ctx
                    },
                );
                self.write_indicator(":", false, false, false);
            } else {
                self.write_indicator("?", true, false, true);
                self.expect_node(&Value::String((*key).clone()), key_ctx);
                self.write_indent();
                self.write_indicator(":", true, false, true);
            }
            self.expect_node(value, key_ctx);
        }
        self.pop_indent();
    }

    fn expect_scalar(&mut self, text: &str, is_str: bool) {
        let chars: Vec<char> = text.chars().collect();
        let analysis = analyze(&chars);
        // implicit[0]: a plain scalar would resolve to the node's own tag.
        // implicit[1]: a quoted scalar would (true only for strings).
        let implicit_plain = !is_str || !resolves_to_non_str(text);
        let style = self.choose_scalar_style(&analysis, implicit_plain);
        if style != Style::Plain && !is_str {
            // process_tag: a quoted non-string needs its tag; unreachable for JSON values.
            let tag = match text {
                "true" | "false" => "!!bool",
                "null" => "!!null",
                t if t.contains(['.', 'e', 'n']) => "!!float",
                _ => "!!int",
            };
            self.write_indicator(tag, true, false, false);
        }
        self.increase_indent(true, false);
        let split = !self.simple_key_context;
        let paint = self.color && (self.simple_key_context || style != Style::Plain);
        if paint {
            // Colour codes do not move the column, so folding is unaffected.
            if !self.whitespace && style == Style::Plain {
                self.write_raw(" ");
                self.whitespace = true;
            }
            self.out
                .push_str(if self.simple_key_context { KEY } else { STRING });
        }
        match style {
            Style::Double => self.write_double_quoted(&chars, split),
            Style::Single => self.write_single_quoted(&chars, split),
            Style::Plain => self.write_plain(&chars, split),
        }
        if paint {
            self.out.push_str(RESET);
        }
        self.pop_indent();
    }

    fn choose_scalar_style(&self, a: &Analysis, implicit_plain: bool) -> Style {
        // Flow level is always 0 here: only empty collections use flow style.
        if implicit_plain
            && !(self.simple_key_context && (a.empty || a.multiline))
            && a.allow_block_plain
        {
            return Style::Plain;
        }
        if a.allow_single_quoted && !(self.simple_key_context && a.multiline) {
            return Style::Single;
        }
        Style::Double
    }
}

/// SafeRepresenter's text for a scalar, and whether its tag is `str`.
fn scalar_text(v: &Value) -> (String, bool) {
    match v {
        Value::String(s) => (s.clone(), true),
        Value::Null => ("null".into(), false),
        Value::Bool(b) => ((if *b { "true" } else { "false" }).into(), false),
        Value::Number(n) if n.is_f64() => {
            let f = n.as_f64().unwrap_or(f64::NAN);
            let text = if f.is_nan() {
                ".nan".to_string()
            } else if f.is_infinite() {
                (if f > 0.0 { ".inf" } else { "-.inf" }).to_string()
            } else {
                // repr lower-cased, `.0` inserted when the exponent form has no dot.
                let r = float_repr(f).to_lowercase();
                if !r.contains('.') && r.contains('e') {
                    r.replacen('e', ".0e", 1)
                } else {
                    r
                }
            };
            (text, false)
        }
        Value::Number(n) => (number_str(n), false),
        _ => unreachable!("collections are not scalars"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn basic_shapes() {
        assert_eq!(safe_dump(&json!("abc")), "abc\n...\n");
        assert_eq!(safe_dump(&json!(null)), "null\n...\n");
        assert_eq!(safe_dump(&json!("")), "''\n");
        assert_eq!(safe_dump(&json!([])), "[]\n");
        assert_eq!(safe_dump(&json!([["a"], {}])), "- - a\n- {}\n");
        assert_eq!(
            safe_dump(&json!({"b": [1, 1e16], "a": "yes"})),
            "a: 'yes'\nb:\n- 1\n- 1.0e+16\n"
        );
    }
}
