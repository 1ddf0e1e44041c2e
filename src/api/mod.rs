//! The only code that builds URLs and talks HTTP: clouds and their endpoints, Entra ID
//! credentials, the management (ARM) client and the registry data plane. Commands get typed
//! operations from here and never format a URL themselves; `encode` is the one place a name
//! becomes a path segment.

pub mod arm;
pub mod auth;
pub mod cloud;
pub mod encode;
pub mod http;
pub mod models;
pub mod registry;
pub mod secrets;
pub mod subscription;
pub mod tls;
