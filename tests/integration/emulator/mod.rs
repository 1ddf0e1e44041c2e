//! acr-emulator end to end: every management and identity route over real HTTPS, responses
//! validated against the 2025-04-01 swagger, persistence across restarts and `kill -9`,
//! concurrency, the `acr-emulator` command line, and the real Azure CLI when available.

mod auth;
mod cli;
mod coverage;
mod crash;
mod exec;
mod faults;
mod identity;
mod lro_paging_faults;
mod persistence;
mod real_az;
mod recorded;
mod registries;
mod request_models;
mod robustness;
mod scope_maps;
mod swagger;
mod tokens;
