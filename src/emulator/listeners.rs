//! HTTPS listeners: the main port and one port per registry, all on 127.0.0.1 with the same
//! certificate. Sockets are bound by the caller first (so ports are known, and clashes are
//! reported, before anything serves) and then handed to axum-server. This module starts and
//! stops servers; it does not build routers.

use std::collections::HashMap;
use std::net::{SocketAddr, TcpListener};
use std::sync::Mutex;
use std::time::Duration;

use anyhow::{Context, Result};
use axum::Router;
use axum_server::Handle;
use axum_server::tls_rustls::RustlsConfig;
use tokio::task::JoinHandle;

use super::tls::TlsMaterial;

/// Binds `127.0.0.1:port` (0 = any free port).
pub fn bind(port: u16) -> std::io::Result<TcpListener> {
    TcpListener::bind(("127.0.0.1", port))
}

struct Running {
    handle: Handle<SocketAddr>,
    task: JoinHandle<()>,
}

pub struct Listeners {
    tls: RustlsConfig,
    running: Mutex<HashMap<String, Running>>,
}

impl Listeners {
    pub async fn new(tls: &TlsMaterial) -> Result<Listeners> {
        let tls = RustlsConfig::from_pem(tls.chain_pem.clone(), tls.key_pem.clone())
            .await
            .context("loading the server certificate")?;
        Ok(Listeners {
            tls,
            running: Mutex::new(HashMap::new()),
        })
    }

    /// Serves `router` on `listener` under `key` ("" for the main port, the lower-cased
    /// registry name otherwise).
    pub fn serve(&self, key: &str, listener: TcpListener, router: Router) -> Result<()> {
        let handle = Handle::new();
        // TCP_NODELAY, as Go's servers (docker-registry) set it: a streamed blob ends every
        // write with a partial segment, which Nagle's algorithm would hold back.
        let acceptor = axum_server::tls_rustls::RustlsAcceptor::new(self.tls.clone())
            .acceptor(axum_server::accept::NoDelayAcceptor::new());
        let server = axum_server::from_tcp(listener)?
            .acceptor(acceptor)
            .handle(handle.clone());
        let task = tokio::spawn(async move {
            // The outer service turns an injected `reset` into a dropped connection.
            if let Err(e) = server.serve(super::faults::MakeReset(router)).await {
                eprintln!("acr-emulator: listener failed: {e}");
            }
        });
        let old = self
            .running
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(key.to_string(), Running { handle, task });
        if let Some(old) = old {
            old.handle.shutdown();
        }
        Ok(())
    }

    /// Waits until every started listener accepts connections.
    pub async fn wait_listening(&self) -> Result<()> {
        let handles: Vec<Handle<SocketAddr>> = self
            .running
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .values()
            .map(|r| r.handle.clone())
            .collect();
        for h in handles {
            tokio::time::timeout(Duration::from_secs(10), h.listening())
                .await
                .context("a listener did not start in time")?
                .context("a listener failed to start")?;
        }
        Ok(())
    }

    /// Stops the listener under `key`, if any.
    pub fn stop(&self, key: &str) {
        if let Some(r) = self
            .running
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(key)
        {
            r.handle.graceful_shutdown(Some(Duration::from_secs(1)));
        }
    }

    pub async fn shutdown_all(&self) {
        let all: Vec<Running> = self
            .running
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .drain()
            .map(|(_, r)| r)
            .collect();
        for r in &all {
            r.handle.graceful_shutdown(Some(Duration::from_secs(2)));
        }
        for r in all {
            let _ = r.task.await;
        }
    }
}
