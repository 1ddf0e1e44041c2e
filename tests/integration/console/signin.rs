//! The sign-in link and the session from a plain HTTP client: the link works once, `env`
//! (state.json, 0600, and the in-process `EnvInfo`) then reports a fresh one, the request log
//! masks it; the cookie is `Secure`, `HttpOnly`, `SameSite=Strict`, path `/portal/`; without
//! a session every page is the sign-in notice; another `Host` gets nothing.

use super::Browserless;
use crate::support::Emu;

fn console_url(emu: &Emu) -> String {
    let on_disk: serde_json::Value =
        serde_json::from_slice(&std::fs::read(emu.dir.path().join("state.json")).unwrap()).unwrap();
    on_disk["consoleUrl"].as_str().unwrap().to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_sign_in_link_works_once_and_env_reports_a_fresh_one() {
    let emu = Emu::start().await;
    let ca = emu.env.ca_certificate.clone();
    let first = emu.env.console_url.clone();
    assert!(
        first.starts_with(&format!(
            "{}portal/signin?secret=",
            emu.env.resource_manager
        )),
        "{first}"
    );
    assert_eq!(console_url(&emu), first, "state.json reports the link");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(emu.dir.path().join("state.json"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "state.json holds secrets");
    }

    // Without a session every page is the sign-in notice.
    let anon = Browserless::new(&ca, &first);
    for path in ["/portal/", "/portal/registries/myregistry/tokens"] {
        let p = anon.get(path).await;
        assert_eq!(p.status, 401, "{path}");
        assert!(
            p.body.contains("acr-emulator env --format json"),
            "{}",
            p.body
        );
    }
    let mut forged = Browserless::new(&ca, &first);
    forged.cookie = Some("acr_console=not-a-session".into());
    assert_eq!(forged.get("/portal/").await.status, 401);

    // The link signs in once, with a cookie only this origin's /portal/ pages get.
    let signin = anon.get(&first).await;
    assert_eq!(signin.status, 303);
    assert_eq!(signin.header("location"), Some("/portal/"));
    let cookie = signin.header("set-cookie").unwrap();
    for attribute in ["Path=/portal/", "Secure", "HttpOnly", "SameSite=Strict"] {
        assert!(
            cookie.split("; ").any(|a| a == attribute),
            "{attribute} in {cookie}"
        );
    }
    let mut c = Browserless::new(&ca, &first);
    c.cookie = Some(cookie.split(';').next().unwrap().to_string());
    let home = c.get("/portal/").await;
    assert_eq!(home.status, 200);
    assert!(home.body.contains(">myregistry</a>"), "{}", home.body);
    assert_eq!(home.header("cache-control"), Some("no-store"));
    assert!(
        home.header("content-security-policy")
            .unwrap()
            .contains("default-src 'none'")
    );

    // Spent: the same link is refused, and env (state.json and the in-process EnvInfo) now
    // reports another one, which works.
    assert_eq!(anon.get(&first).await.status, 403);
    let second = emu.running().current_env().await.console_url;
    assert_ne!(second, first);
    assert_eq!(console_url(&emu), second);
    assert_eq!(
        anon.get(&format!("{}/portal/signin?secret=guess", anon.origin))
            .await
            .status,
        403
    );
    assert_eq!(anon.get("/portal/signin").await.status, 403);
    assert_eq!(anon.get(&second).await.status, 303);
    assert_ne!(emu.running().current_env().await.console_url, second);

    // A used link when already signed in just opens the console.
    let again = c.get(&first).await;
    assert_eq!(
        (again.status.as_u16(), again.header("location")),
        (303, Some("/portal/"))
    );

    // The request log never holds the link's secret.
    let log = emu.request_log().await;
    let signins: Vec<&str> = log
        .iter()
        .filter(|r| r["path"] == "/portal/signin")
        .map(|r| r["query"].as_str().unwrap())
        .collect();
    assert!(signins.contains(&"secret=REDACTED"), "{signins:?}");
    let text = serde_json::to_string(&log).unwrap();
    let secret = first.split("secret=").nth(1).unwrap();
    assert!(!text.contains(secret), "the sign-in secret is in the log");

    // Another Host (DNS rebinding) gets nothing, even with the session.
    let h1 = reqwest::Client::builder()
        .tls_certs_only([reqwest::Certificate::from_pem(&std::fs::read(&ca).unwrap()).unwrap()])
        .http1_only()
        .build()
        .unwrap();
    let port = anon.origin.rsplit(':').next().unwrap();
    let r = h1
        .get(format!("{}/portal/", anon.origin))
        .header("host", format!("attacker.example:{port}"))
        .header("cookie", c.cookie.as_deref().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 421);
}
