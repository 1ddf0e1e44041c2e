//! `acr configure`: az's `az configure --defaults` and `--list-defaults` over acr's config file.

use serde_json::{Value, json};

use crate::cli::configure::ConfigureArgs;
use crate::context::Context;
use crate::error::{Error, Result};
use crate::output::Output;

pub async fn run(ctx: &mut Context, args: ConfigureArgs) -> Result<Output> {
    if !args.defaults.is_empty() {
        let mut pairs = Vec::new();
        for pair in &args.defaults {
            let (name, value) = pair.split_once('=').ok_or_else(|| {
                Error::cli("usage error: --defaults STRING=STRING STRING=STRING ...")
            })?;
            pairs.push((name.trim().to_lowercase(), value.trim().to_owned()));
        }
        for (name, value) in pairs {
            ctx.config.set("defaults", &name, &value)?;
        }
        return Ok(Output::none());
    }
    if args.list_defaults.unwrap_or(false) {
        let source = ctx.config.dir().join("config").display().to_string();
        let defaults: Vec<Value> = ctx
            .config
            .section("defaults")
            .into_iter()
            .filter(|(_, value)| !value.is_empty())
            .map(|(name, value)| json!({"name": name, "source": source, "value": value}))
            .collect();
        return Ok(Output::value(Value::Array(defaults)));
    }
    // az starts an interactive wizard here; acr has none.
    Err(Error::cli(
        "usage error: use --defaults NAME=VALUE [NAME=VALUE ...] or --list-defaults",
    ))
}
