//! `acr`: a fast, faithful clone of the Azure CLI's `az acr token`, `az acr token credential`,
//! `az acr scope-map` and `az acr repository` command groups, and `acr-emulator`, the offline
//! Azure it ships with. This crate root only declares the module tree; see `docs/architecture.md`.

pub mod api;
pub mod cli;
pub mod commands;
pub mod config;
pub mod context;
pub mod docker_helper;
pub mod duration;
pub mod emulator;
pub mod error;
pub mod io;
pub mod output;
pub mod redact;
pub mod resolve;
