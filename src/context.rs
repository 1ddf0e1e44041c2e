//! Everything one invocation needs, built after parsing: the streams, configuration, global
//! arguments and, lazily, the HTTP clients and credentials (so `--help`, `--version` and argument
//! errors never build a client, read a keyring or touch the network). Warnings, info and debug
//! lines go through here, never through `eprintln!`.

use crate::cli::{GlobalArgs, OutputFormat};
use crate::config::Config;
use crate::io::Io;
use crate::output::query::Expression;
use crate::output::{Output, Style};

pub struct Context {
    pub io: Io,
    pub config: Config,
    pub global: GlobalArgs,
    /// The effective `-o` (argument, `AZURE_CORE_OUTPUT`, `core.output`, then json).
    pub format: OutputFormat,
    pub query: Option<Expression>,
    /// The command path, e.g. `token create`.
    pub command: String,
}

impl Context {
    pub fn new(
        io: Io,
        config: Config,
        global: GlobalArgs,
        format: OutputFormat,
        query: Option<Expression>,
        command: String,
    ) -> Context {
        Context {
            io,
            config,
            global,
            format,
            query,
            command,
        }
    }

    /// `WARNING: …` on stderr, unless `--only-show-errors`.
    pub fn warn(&mut self, message: &str) {
        if !self.global.only_show_errors {
            self.io.err(&format!("WARNING: {message}\n"));
        }
    }

    /// `INFO: …` on stderr with `--verbose` or `--debug`.
    pub fn info(&mut self, message: &str) {
        if self.global.verbose || self.global.debug {
            self.io.err(&format!("INFO: {message}\n"));
        }
    }

    /// `DEBUG: …` on stderr with `--debug`. Callers pass text that is already redacted.
    pub fn debug(&mut self, message: &str) {
        if self.global.debug {
            self.io.err(&format!("DEBUG: {message}\n"));
        }
    }

    pub fn style(&self) -> Style<'_> {
        Style {
            format: self.format,
            query: self.query.as_ref(),
            color: self.io.stdout_is_tty && self.config.env().get("NO_COLOR").is_none(),
        }
    }

    /// Writes a command's result to stdout.
    pub fn render(&mut self, output: Output) -> crate::error::Result<()> {
        let text = crate::output::format(&self.style(), output)?;
        self.io
            .out(&text)
            .map_err(|e| crate::error::Error::Other(e.into()))
    }
}
