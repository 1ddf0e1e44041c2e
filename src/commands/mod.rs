//! Running a parsed command line: build the [`Context`], dispatch to the verb, render its result
//! and turn any error into az's stderr text and exit code. One module per command group; each
//! verb returns data and never prints.

use clap::{CommandFactory, ValueEnum};

use crate::cli::parse::{Invocation, Parsed};
use crate::cli::{Cli, Command};
use crate::config::{Config, Env};
use crate::context::Context;
use crate::error::{Error, Result};
use crate::io::Io;
use crate::output::{Output, OutputFormat};

pub mod account;
pub mod cloud;
pub mod configure;
pub mod data_plane;
pub mod lock;
pub mod login;
pub mod repository;
pub mod rotate;
pub mod scope_map;
pub mod secret_out;
pub mod shared;
pub mod token;

/// Runs `acr` with `args` (without the program name) and returns the exit code.
pub async fn run(args: Vec<String>, mut io: Io, env: Env) -> i32 {
    // Loaded on first use: `--version` and clap's argument errors never read the file.
    let config = std::cell::OnceCell::new();
    let default_registry = || {
        config
            .get_or_init(|| Config::load(&env))
            .get("defaults", "acr")
            .is_some()
    };
    let parsed = match crate::cli::parse::parse_with(&args, default_registry) {
        Ok(parsed) => parsed,
        Err(e) => {
            io.err(&e.render());
            return e.exit_code(false);
        }
    };
    let invocation = match parsed {
        Parsed::Help(path) => {
            let text = crate::cli::help::render(&Cli::command(), &path, default_registry());
            return exit_on_write(io.out(&text));
        }
        Parsed::Version => {
            return exit_on_write(io.out(&format!("acr {}\n", env!("CARGO_PKG_VERSION"))));
        }
        Parsed::Run(invocation) => *invocation,
    };
    let show_command = matches!(invocation.path.last().map(String::as_str), Some("show"));
    let config = config.into_inner().unwrap_or_else(|| Config::load(&env));
    let mut ctx = match context(invocation.clone_meta(), io, config) {
        Ok(ctx) => ctx,
        Err((mut io, e)) => {
            io.err(&e.render());
            return e.exit_code(show_command);
        }
    };
    for warning in &invocation.warnings {
        ctx.warn(warning);
    }
    let result = dispatch(&mut ctx, invocation.command).await;
    let rendered = result.and_then(|mut output| {
        let failure = output.failure.take();
        ctx.render(output)?;
        failure.map_or(Ok(()), Err)
    });
    match rendered {
        Ok(()) => 0,
        Err(e) => {
            ctx.io.err(&e.render());
            e.exit_code(show_command)
        }
    }
}

fn exit_on_write(result: std::io::Result<()>) -> i32 {
    if result.is_ok() { 0 } else { 1 }
}

/// What the context needs from the invocation, taken before the command is moved out.
pub struct InvocationMeta {
    pub global: crate::cli::GlobalArgs,
    pub output_given: bool,
    pub query: Option<crate::output::query::Expression>,
    pub command: String,
}

impl Invocation {
    fn clone_meta(&self) -> InvocationMeta {
        InvocationMeta {
            global: self.global.clone(),
            output_given: self.output_given,
            query: self.query.clone(),
            command: self.path.join(" "),
        }
    }
}

fn context(
    meta: InvocationMeta,
    mut io: Io,
    config: Config,
) -> std::result::Result<Context, (Io, Error)> {
    let format = if meta.output_given {
        meta.global.output
    } else {
        match config.get("core", "output") {
            Some(value) => match OutputFormat::from_str(&value, true) {
                Ok(format) => format,
                Err(_) => {
                    return Err((
                        io,
                        Error::cli(format!(
                            "Invalid output format '{value}' in configuration 'core.output'. Allowed values: json, jsonc, yaml, yamlc, table, tsv, none."
                        )),
                    ));
                }
            },
            None => OutputFormat::Json,
        }
    };
    if meta.global.only_show_errors && (meta.global.debug || meta.global.verbose) {
        io.err("--only-show-errors can't be used together with --debug or --verbose\n");
    }
    Ok(Context::new(
        io,
        config,
        meta.global,
        format,
        meta.query,
        meta.command,
    ))
}

async fn dispatch(ctx: &mut Context, command: Command) -> Result<Output> {
    match command {
        Command::Token(group) => token::run(ctx, group.command).await,
        Command::ScopeMap(group) => scope_map::run(ctx, group.command).await,
        Command::Account(group) => account::run(ctx, group.command).await,
        Command::Cloud(group) => cloud::run(ctx, group.command).await,
        Command::Configure(args) => configure::run(ctx, args).await,
        Command::Repository(group) => repository::run(ctx, group.command).await,
        Command::Login(args) => login::run(ctx, args).await,
    }
}
