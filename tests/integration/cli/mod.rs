//! The CLI against the emulator over real HTTPS: every token, token credential and scope-map
//! verb, output formats and `--query`, errors and exit codes, request sequences (D6), retries,
//! long-running operations and paging; the seeds walkthrough; parity with the real Azure CLI.

mod auth;
mod cloud;
mod credential;
mod global_arguments;
mod output;
mod parity;
mod repository;
mod repository_parity;
mod scope_map;
pub(crate) mod seeds;
mod token;
mod transport;
