//! Everything one invocation needs, built after parsing: the streams, configuration, global
//! arguments and, lazily, the HTTP clients and credentials (so `--help`, `--version` and argument
//! errors never build a client, read a keyring or touch the network). Warnings, info and debug
//! lines go through here, never through `eprintln!`.

use crate::cli::GlobalArgs;
use crate::config::Config;
use crate::io::{Diag, Io, Verbosity};
use crate::output::query::Expression;
use crate::output::{Output, OutputFormat, Style};

pub struct Context {
    pub io: Io,
    pub diag: Diag,
    pub config: Config,
    pub global: GlobalArgs,
    /// The effective `-o` (argument, `AZURE_CORE_OUTPUT`, `core.output`, then json).
    pub format: OutputFormat,
    pub query: Option<Expression>,
    /// The command path, e.g. `token create`.
    pub command: String,
    clients: Clients,
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
        let diag = io.diag(Verbosity {
            only_errors: global.only_show_errors,
            verbose: global.verbose,
            debug: global.debug,
        });
        Context {
            io,
            diag,
            config,
            global,
            format,
            query,
            command,
            clients: Clients::default(),
        }
    }

    /// `WARNING: …` on stderr, unless `--only-show-errors`.
    pub fn warn(&self, message: &str) {
        self.diag.warn(message);
    }

    /// `INFO: …` on stderr with `--verbose` or `--debug`.
    pub fn info(&self, message: &str) {
        self.diag.info(message);
    }

    pub fn style(&self) -> Style<'_> {
        Style {
            format: self.format,
            query: self.query.as_ref(),
            color: self.io.stdout_is_tty && self.config.env().get("NO_COLOR").is_none(),
        }
    }

    /// The current time. `ACR_TEST_NOW` (RFC 3339; for tests only, documented as such) pins
    /// it, so that the expiry filters can be tested exactly at their window's edges.
    pub fn now(&self) -> time::OffsetDateTime {
        self.config
            .env()
            .get("ACR_TEST_NOW")
            .and_then(crate::resolve::rotation::parse_time)
            .unwrap_or_else(time::OffsetDateTime::now_utc)
    }

    /// Writes a command's result to stdout.
    pub fn render(&mut self, output: Output) -> crate::error::Result<()> {
        let text = crate::output::format(&self.style(), output)?;
        Ok(self.io.out(&text)?)
    }
}

/// The lazily built management plumbing of one invocation.
#[derive(Default)]
pub struct Clients {
    cloud: Option<crate::api::cloud::Cloud>,
    http: Option<reqwest::Client>,
    arm: Option<crate::api::arm::Arm>,
}

impl Context {
    /// The cloud this invocation talks to.
    pub fn cloud(&mut self) -> crate::error::Result<crate::api::cloud::Cloud> {
        if let Some(cloud) = &self.clients.cloud {
            return Ok(cloud.clone());
        }
        let cloud = crate::api::cloud::current(&self.config)?;
        self.clients.cloud = Some(cloud.clone());
        Ok(cloud)
    }

    /// The HTTP client, trusting the cloud's CA bundle.
    pub fn http(&mut self) -> crate::error::Result<reqwest::Client> {
        if let Some(http) = &self.clients.http {
            return Ok(http.clone());
        }
        let cloud = self.cloud()?;
        let http = crate::api::http::client(cloud.ca_bundle.as_deref())?;
        self.clients.http = Some(http.clone());
        Ok(http)
    }

    /// The management client: cloud, credential and subscription resolved on first use.
    pub async fn arm(&mut self) -> crate::error::Result<crate::api::arm::Arm> {
        if let Some(arm) = &self.clients.arm {
            return Ok(arm.clone());
        }
        let cloud = self.cloud()?;
        let http = self.http()?;
        let credential = crate::api::auth::Credential::discover(
            &self.config,
            &cloud,
            http.clone(),
            self.diag.clone(),
        )
        .await?;
        let subscription = crate::api::subscription::resolve(
            &self.config,
            &self.diag,
            self.global.subscription.as_deref(),
            &credential,
            &http,
        )
        .await?;
        let scale =
            crate::api::http::Backoff::scale_from(self.config.env().get("ACR_TEST_RETRY_SCALE"));
        let arm = crate::api::arm::Arm::new(http, credential, self.diag.clone(), subscription)?
            .with_wait_scale(scale);
        self.clients.arm = Some(arm.clone());
        Ok(arm)
    }
}
