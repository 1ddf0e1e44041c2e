//! Finding 9: acr posted the password (or refresh token) wherever the registry's challenge
//! pointed its `realm`, `http://` included. End to end here: a registry stub over HTTPS (the
//! emulator never names another realm, so this one fault needs a stub) whose `/v2/` challenge
//! names a plain-http realm, and a plain-http listener there that records every connection.
//! acr refuses with the documented error and the listener hears nothing. acr reaches
//! registries over HTTPS only (`https://{loginServer}`, docs/compat.md), so there is no http
//! login server for which an http realm would be allowed.

use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use tokio::io::AsyncReadExt;

use crate::support::{Acr, Emu};

/// The stub registry: the realm its challenges name, and every request it got.
#[derive(Default)]
struct Stub {
    realm: Mutex<String>,
    service: String,
    seen: Mutex<Vec<String>>,
}

async fn answer(State(stub): State<Arc<Stub>>, req: Request) -> Response {
    let (parts, body) = req.into_parts();
    let body = axum::body::to_bytes(body, 1 << 20)
        .await
        .unwrap_or_default();
    stub.seen.lock().unwrap().push(format!(
        "{} {} {}",
        parts.method,
        parts.uri.path(),
        String::from_utf8_lossy(&body)
    ));
    let challenge = format!(
        r#"Bearer realm="{}",service="{}""#,
        stub.realm.lock().unwrap(),
        stub.service
    );
    let error =
        r#"{"errors":[{"code":"UNAUTHORIZED","message":"authentication required","detail":null}]}"#;
    (
        StatusCode::UNAUTHORIZED,
        [
            (header::WWW_AUTHENTICATE, challenge),
            (header::CONTENT_TYPE, "application/json".to_owned()),
        ],
        error,
    )
        .into_response()
}

/// Starts the stub on 127.0.0.1 with the emulator's server certificate (which acr trusts
/// through `ACR_CA_BUNDLE`); returns it and its `127.0.0.1:port`.
async fn stub_registry(emu: &Emu) -> (Arc<Stub>, String) {
    let tls = acr::emulator::tls::ensure(emu.dir.path()).unwrap();
    let config = axum_server::tls_rustls::RustlsConfig::from_pem(tls.chain_pem, tls.key_pem)
        .await
        .unwrap();
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let host = listener.local_addr().unwrap().to_string();
    let stub = Arc::new(Stub {
        service: host.replace("127.0.0.1", "localhost"),
        ..Stub::default()
    });
    let router = Router::new().fallback(answer).with_state(stub.clone());
    let server = axum_server::from_tcp(listener)
        .unwrap()
        .acceptor(axum_server::tls_rustls::RustlsAcceptor::new(config));
    tokio::spawn(async move { server.serve(router.into_make_service()).await });
    (stub, host)
}

/// A plain-http listener that records what each connection sent (up to its first 4 KiB),
/// answering nothing.
async fn http_listener() -> (Arc<Mutex<Vec<String>>>, String) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    let heard = Arc::new(Mutex::new(Vec::new()));
    let log = heard.clone();
    tokio::spawn(async move {
        while let Ok((mut conn, _)) = listener.accept().await {
            let log = log.clone();
            tokio::spawn(async move {
                let mut buf = vec![0u8; 4096];
                let n =
                    tokio::time::timeout(std::time::Duration::from_secs(5), conn.read(&mut buf))
                        .await
                        .ok()
                        .and_then(Result::ok)
                        .unwrap_or(0);
                log.lock()
                    .unwrap()
                    .push(String::from_utf8_lossy(&buf[..n]).into_owned());
            });
        }
    });
    (heard, addr)
}

#[tokio::test]
async fn finding_9_credentials_never_go_to_an_http_realm() {
    let emu = Emu::start().await;
    let (stub, addr) = stub_registry(&emu).await;
    let (heard, http_addr) = http_listener().await;
    // acr asks ARM for a registry's login server when signed in, and the emulator's ARM knows
    // only its own registries; signed out, it guesses `<name><cloud suffix>`, which with the
    // suffix `:PORT` names the stub as `localhost:PORT` (in the emulator's certificate).
    let port = addr.rsplit(':').next().unwrap();
    let host = format!("localhost:{port}");
    let mut acr = Acr::new(&emu);
    for signed_in in ["AZURE_CLIENT_ID", "AZURE_CLIENT_SECRET", "AZURE_TENANT_ID"] {
        acr.unset_env(signed_in);
    }
    acr.set_env("ACR_LOGIN_SERVER_SUFFIX", &format!(":{port}"));
    let line = "repository list -n localhost -u someuser -p s3cretpassword";

    // The downgrade: the challenge names an http realm.
    let realm = format!("http://{http_addr}/oauth2/token");
    *stub.realm.lock().unwrap() = realm.clone();
    let out = acr.process(line, "").await;
    // What the realm heard first: the point of the finding (a build that posts there fails
    // here, showing the form).
    tokio::task::yield_now().await;
    let got = heard.lock().unwrap().clone();
    assert!(got.is_empty(), "the http realm received: {got:?}");
    assert_eq!(
        out.code, 1,
        "stdout:\n{}\nstderr:\n{}",
        out.stdout, out.stderr
    );
    assert_eq!(
        out.stderr,
        format!(
            "ERROR: Registry '{host}' asked for credentials to be sent to '{realm}', which is not an HTTPS address; acr sends credentials over HTTPS only.\n"
        )
    );
    assert!(!out.stderr.contains("s3cretpassword"));
    let seen = stub.seen.lock().unwrap().clone();
    assert!(
        seen.iter().all(|r| !r.contains("s3cretpassword")),
        "{seen:?}"
    );
    assert!(seen.iter().any(|r| r.starts_with("GET /v2/")), "{seen:?}");

    // The control: with an https realm on the stub itself the same command does post the
    // password there (so the stub and the listener above would have seen a post).
    stub.seen.lock().unwrap().clear();
    *stub.realm.lock().unwrap() = format!("https://{addr}/oauth2/token");
    let out = acr.process(line, "").await;
    assert_eq!(out.code, 1, "{}", out.stderr);
    let seen = stub.seen.lock().unwrap().clone();
    assert!(
        seen.iter()
            .any(|r| r.starts_with("POST /oauth2/token ") && r.contains("s3cretpassword")),
        "{seen:?}"
    );
    assert!(heard.lock().unwrap().is_empty());
}
