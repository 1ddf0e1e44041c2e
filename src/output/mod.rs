//! The only code that renders results for stdout. A command returns a JSON value (or nothing) and,
//! where az has one, a table transformer; [`format`] injects `resourceGroup`, applies
//! `--query`, picks the format and returns the bytes az would write, which the context writes.

use serde_json::Value;

use crate::error::{Error, Result};

pub mod json;
pub mod query;
pub mod table;
pub mod transformers;
pub mod tsv;
pub mod yaml;

pub(crate) mod pyfmt;
mod table_ansi;
mod unicode_tables;
mod yaml_scalar;
mod yaml_writers;

pub use table::TableError;

#[cfg(test)]
mod differential_tests;
#[cfg(test)]
mod golden_tests;

/// A table transformer (az's `table_transformer`): result → ordered rows, or az's "Table
/// output unavailable" for results it cannot tabulate.
pub type Transformer = fn(&Value) -> Result<Value, TableError>;

/// What a command produced.
#[derive(Debug, Default)]
pub struct Output {
    /// `None` prints nothing in every format (deletes, `untag`, a declined prompt).
    pub value: Option<Value>,
    pub transformer: Option<Transformer>,
    /// A failure reported after the value is printed (acr's additions only: a fleet rotation
    /// in which some tokens failed, a `--verify` that timed out after the password was made):
    /// the value still reaches stdout, then the error goes to stderr and sets the exit code.
    pub failure: Option<Error>,
}

impl Output {
    pub fn none() -> Output {
        Output::default()
    }
    pub fn value(value: Value) -> Output {
        Output {
            value: Some(value),
            ..Output::default()
        }
    }
    pub fn table(value: Value, transformer: Transformer) -> Output {
        Output {
            value: Some(value),
            transformer: Some(transformer),
            failure: None,
        }
    }
    /// This output, followed by `failure` (see [`Output::failure`]).
    pub fn failing(mut self, failure: Option<Error>) -> Output {
        self.failure = failure;
        self
    }
}

/// `-o/--output` values, in the order az lists them in its "not a valid value" message (the
/// clap parser takes them from here).
#[derive(clap::ValueEnum, Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OutputFormat {
    #[default]
    Json,
    Jsonc,
    Yaml,
    Yamlc,
    Table,
    Tsv,
    None,
}

/// How to render: the `-o` format, the compiled `--query`, and whether colour is allowed.
pub struct Style<'a> {
    pub format: OutputFormat,
    pub query: Option<&'a query::Expression>,
    pub color: bool,
}

/// The bytes az would write to stdout for `output` (`Context::render` writes them).
pub fn format(style: &Style<'_>, output: Output) -> Result<String> {
    let Some(mut value) = output.value else {
        return Ok(String::new());
    };
    add_resource_group(&mut value);
    let (value, multiselect_rows) = match style.query {
        Some(query) => {
            let searched = query.search(&value).map_err(|e| {
                if e.is_jmespath_error() {
                    Error::Query(e.to_string())
                } else {
                    // differs from az: az prints a Python traceback for these; acr never does.
                    Error::cli(format!(
                        "The command failed with an unexpected error: {}: {e}",
                        e.python_exception()
                    ))
                }
            })?;
            (searched.value, searched.multiselect_rows)
        }
        None => (value, Vec::new()),
    };
    if value.is_null() {
        return Ok(String::new());
    }
    let query_active = style.query.is_some();
    Ok(match style.format {
        OutputFormat::Json => json::dumps(&value) + "\n",
        OutputFormat::Jsonc if style.color => json::dumps_color(&value) + "\n",
        OutputFormat::Jsonc => json::dumps(&value) + "\n",
        OutputFormat::Yaml => yaml::safe_dump(&value),
        OutputFormat::Yamlc if style.color => yaml::safe_dump_color(&value),
        OutputFormat::Yamlc => yaml::safe_dump(&value),
        OutputFormat::Tsv => tsv::dump(&value, &multiselect_rows),
        OutputFormat::None => String::new(),
        OutputFormat::Table => {
            let transformer = output.transformer.filter(|_| !query_active);
            let unavailable = |e: TableError| Error::cli(e.to_string());
            let rows = match transformer {
                Some(transform) => transform(&value).map_err(unavailable)?,
                None => value,
            };
            let sort_keys = !query_active && output.transformer.is_none();
            table::dump(&rows, sort_keys).map_err(unavailable)?
        }
    })
}

/// az's global `resourceGroup` transform: every object with a truthy ARM `id` of at least nine
/// segments whose fourth is `resourceGroups` (any case), and no key named `resourcegroup` in any
/// case, gains `resourceGroup` = the id's fifth segment, appended last.
fn add_resource_group(value: &mut Value) {
    match value {
        Value::Array(items) => items.iter_mut().for_each(add_resource_group),
        Value::Object(map) => {
            let group = match map.get("id") {
                Some(Value::String(id))
                    if !map.keys().any(|k| k.eq_ignore_ascii_case("resourcegroup")) =>
                {
                    let parts: Vec<&str> = id.split('/').collect();
                    (parts.len() >= 9 && parts[3].eq_ignore_ascii_case("resourcegroups"))
                        .then(|| parts[4].to_owned())
                }
                _ => None,
            };
            if let Some(group) = group {
                map.insert("resourceGroup".to_owned(), Value::String(group));
            }
            for (key, item) in map.iter_mut() {
                if key != "sourceVault" {
                    add_resource_group(item);
                }
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn resource_group_is_injected_where_az_injects_it() {
        let mut v = json!([
            {"id": "/subscriptions/s/resourceGroups/MyRG/providers/Microsoft.ContainerRegistry/registries/r", "name": "r"},
            {"id": "/subscriptions/s/resourceGroups/rg/providers/x", "name": "short"},
            {"id": "/subscriptions/s/resourcegroups/rg2/providers/a/b/c", "resourcegroup": "keep"},
            {"id": "", "nested": {"id": "/subscriptions/s/RESOURCEGROUPS/in/providers/a/b/c"}},
        ]);
        add_resource_group(&mut v);
        assert_eq!(v[0]["resourceGroup"], "MyRG");
        assert!(v[1].get("resourceGroup").is_none());
        assert!(v[2].get("resourceGroup").is_none());
        assert_eq!(v[3]["nested"]["resourceGroup"], "in");
        assert_eq!(
            v[0].as_object().unwrap().keys().next_back().unwrap(),
            "resourceGroup"
        );
    }

    #[test]
    fn nothing_is_printed_for_none_in_any_format() {
        for format in [
            OutputFormat::Json,
            OutputFormat::Table,
            OutputFormat::Tsv,
            OutputFormat::Yaml,
        ] {
            let style = Style {
                format,
                query: None,
                color: false,
            };
            assert_eq!(format_none(&style), "");
        }
    }

    fn format_none(style: &Style<'_>) -> String {
        format(style, Output::none()).unwrap()
    }
}
