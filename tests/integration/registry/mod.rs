//! The registry data plane end to end over real HTTPS: the OCI distribution API, ACR's token
//! endpoints and challenges, the allow/deny matrix of scope maps, the `/acr/v1` metadata API
//! with its locks, persistence across restarts and `kill -9`, and the real clients (skopeo,
//! podman, the Docker engine, the Azure CLI) when they are installed.

mod acr_v1;
mod auth;
mod clients;
mod credential_helpers;
mod docker;
mod matrix;
mod oci;
mod persistence;
mod real_az;
