//! The one integration-test binary: cross-module behaviour, the real emulator over real HTTPS,
//! and the checked-in generated files.

mod binary;
mod cli;
mod completions;
mod console;
mod emulator;
mod generated;
mod readme;
mod registry;
mod security;
mod startup;
mod support;
