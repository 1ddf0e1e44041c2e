//! The console's guards from a plain HTTP client: the one-time sign-in link (spent on first
//! use, `env` then reporting a fresh one, masked in the request log), the session cookie's
//! attributes, the host check, and that a request without the session, with a wrong or
//! missing CSRF token, from another origin or by GET changes nothing (checked with `acr`); a
//! password is shown once (a second POST of its form is refused and the value stays valid);
//! the console and the API share rules and limits; untrusted text is escaped.

use serde_json::json;

use super::{Browserless, Page};
use crate::support::{Acr, Auth, Emu, Reg};

const NEW_MAP: &str = "/portal/registries/myregistry/scope-maps/new";

fn console_url(emu: &Emu) -> String {
    let on_disk: serde_json::Value =
        serde_json::from_slice(&std::fs::read(emu.dir.path().join("state.json")).unwrap())
            .unwrap();
    on_disk["consoleUrl"].as_str().unwrap().to_string()
}

/// The scope-map creation form's fields for a map `name` with content/read on `repo`.
fn map_form<'a>(csrf: &'a str, name: &'a str, repo: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("csrf_token", csrf),
        ("map-name", name),
        ("map-description", "made in the console"),
        ("rows", "1"),
        ("repo-0", repo),
        ("perm-0", "content/read"),
        ("op", "create"),
    ]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_sign_in_link_works_once_and_env_reports_a_fresh_one() {
    let emu = Emu::start().await;
    let ca = emu.env.ca_certificate.clone();
    let first = emu.env.console_url.clone();
    assert!(
        first.starts_with(&format!("{}portal/signin?secret=", emu.env.resource_manager)),
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
        assert!(p.body.contains("acr-emulator env --format json"), "{}", p.body);
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_session_a_wrong_csrf_token_or_another_origin_changes_nothing() {
    let emu = Emu::start().await;
    let acr = Acr::new(&emu);
    let c = Browserless::sign_in(&emu.env.ca_certificate, &emu.env.console_url).await;
    let form = c.get(NEW_MAP).await;
    assert_eq!(form.status, 200);
    let csrf = form.field("csrf_token");
    assert_eq!(csrf.len(), 43);
    let absent = |name: &'static str| {
        let acr = &acr;
        async move {
            let out = acr
                .run(&format!("scope-map show -n {name} -r myregistry"))
                .await;
            assert_eq!(out.code, 3, "{name} exists: {}", out.stdout);
        }
    };

    // No session: 401, with or without a (valid) token.
    let anon = Browserless::new(&emu.env.ca_certificate, &emu.env.console_url);
    let p = anon
        .post(NEW_MAP, &map_form(&csrf, "NoSession", "samples/a"))
        .await;
    assert_eq!(p.status, 401);
    absent("NoSession").await;

    // Wrong, missing or another session's CSRF token: 403.
    let wrong = "A".repeat(43);
    let p = c
        .post(NEW_MAP, &map_form(&wrong, "WrongCsrf", "samples/a"))
        .await;
    assert_eq!(p.status, 403, "{}", p.body);
    assert!(p.body.contains("Nothing was changed"));
    absent("WrongCsrf").await;
    let mut fields = map_form(&csrf, "NoCsrf", "samples/a");
    fields.remove(0);
    assert_eq!(c.post(NEW_MAP, &fields).await.status, 403);
    absent("NoCsrf").await;
    let link = emu.running().current_env().await.console_url;
    let other = Browserless::sign_in(&emu.env.ca_certificate, &link).await;
    let other_csrf = other.get(NEW_MAP).await.field("csrf_token");
    assert_ne!(other_csrf, csrf);
    let p = c
        .post(NEW_MAP, &map_form(&other_csrf, "OtherCsrf", "samples/a"))
        .await;
    assert_eq!(p.status, 403);
    absent("OtherCsrf").await;

    // Right token, foreign origin: 403.
    let fields = map_form(&csrf, "Foreign", "samples/a");
    let p = c
        .post_with(NEW_MAP, &fields, &[("origin", "https://attacker.example")])
        .await;
    assert_eq!(p.status, 403);
    let p = c
        .post_with(NEW_MAP, &fields, &[("sec-fetch-site", "cross-site")])
        .await;
    assert_eq!(p.status, 403);
    absent("Foreign").await;

    // Not a form: 400.
    let p = c
        .post_raw(
            NEW_MAP,
            "application/json",
            format!("{{\"csrf_token\":\"{csrf}\",\"map-name\":\"Foreign\"}}"),
        )
        .await;
    assert_eq!(p.status, 400, "{}", p.body);
    absent("Foreign").await;

    // The real thing, and acr sees it.
    let p = c
        .post(NEW_MAP, &map_form(&csrf, "Made-In_Console", "samples/*"))
        .await;
    assert_eq!(p.status, 303, "{}", p.body);
    assert_eq!(
        p.header("location"),
        Some("/portal/registries/myregistry/scope-maps/Made-In_Console?done=created")
    );
    let map = acr
        .ok("scope-map show -n Made-In_Console -r myregistry")
        .await
        .json();
    assert_eq!(map["actions"], json!(["repositories/samples/*/content/read"]));
    assert_eq!(map["description"], "made in the console");

    // A token, then changes to it that must not happen.
    acr.ok("token create -n GuardedToken -r myregistry --scope-map Made-In_Console --no-passwords")
        .await;
    let base = "/portal/registries/myregistry/tokens/GuardedToken";
    let page = c.get(base).await;
    assert_eq!(page.status, 200);
    let bad = [("csrf_token", wrong.as_str()), ("scope-map", "_repositories_admin"), ("status", "disabled")];
    assert_eq!(c.post(&format!("{base}/settings"), &bad).await.status, 403);
    let nonce = page.field("nonce");
    let gen_bad = [("csrf_token", wrong.as_str()), ("nonce", nonce.as_str()), ("expiry", "")];
    let p = c.post(&format!("{base}/passwords/password1/generate"), &gen_bad).await;
    assert_eq!(p.status, 403);
    let del_bad = [("csrf_token", wrong.as_str()), ("confirm", "yes")];
    assert_eq!(c.post(&format!("{base}/delete"), &del_bad).await.status, 403);
    // GET never changes anything: the POST-only routes answer 405.
    assert_eq!(c.get(&format!("{base}/delete")).await.status, 405);
    assert_eq!(c.get(&format!("{base}/passwords/password1/generate")).await.status, 405);
    let shown = acr.ok("token show -n GuardedToken -r myregistry").await.json();
    assert_eq!(shown["status"], "enabled");
    assert!(shown["scopeMapId"].as_str().unwrap().ends_with("/scopeMaps/Made-In_Console"));
    assert_eq!(shown["credentials"]["passwords"], json!([]));

    // With the right token, the same settings form works.
    let good = [("csrf_token", csrf.as_str()), ("scope-map", "_repositories_admin"), ("status", "disabled")];
    let p = c.post(&format!("{base}/settings"), &good).await;
    assert_eq!(p.status, 303, "{}", p.body);
    let shown = acr.ok("token show -n GuardedToken -r myregistry").await.json();
    assert_eq!(shown["status"], "disabled");
    assert!(shown["scopeMapId"].as_str().unwrap().ends_with("/scopeMaps/_repositories_admin"));

    // Secrets of the forms are masked in the request log.
    let log = serde_json::to_string(&emu.request_log().await).unwrap();
    assert!(!log.contains(&csrf), "the CSRF token is in the log");
    assert!(!log.contains(&nonce), "a nonce is in the log");
    assert!(log.contains("\"csrf_token\":\"REDACTED\""), "{log}");
}

fn password_on(p: &Page) -> Option<String> {
    let marker = "id=\"password-value\" data-once>";
    let start = p.body.find(marker)? + marker.len();
    let end = p.body[start..].find('<')? + start;
    Some(p.body[start..end].to_string())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_password_is_shown_once_and_a_resent_form_changes_nothing() {
    let r = Reg::start().await;
    let acr = Acr::new(&r.e);
    acr.ok("token create -n OnceToken -r myregistry --repository samples/hello-world content/read --no-passwords")
        .await;
    let c = Browserless::sign_in(&r.e.env.ca_certificate, &r.e.env.console_url).await;
    let base = "/portal/registries/myregistry/tokens/OnceToken";
    let page = c.get(base).await;
    let (csrf, nonce) = (page.field("csrf_token"), page.field("nonce"));
    let fields = [("csrf_token", csrf.as_str()), ("nonce", nonce.as_str()), ("expiry", "")];
    let url = format!("{base}/passwords/password1/generate");

    let shown = c.post(&url, &fields).await;
    assert_eq!(shown.status, 200, "{}", shown.body);
    assert_eq!(shown.header("cache-control"), Some("no-store"));
    let value = password_on(&shown).expect("the password on the answer");
    assert_eq!(value.len(), 52);
    assert_eq!(
        r.get("/v2/", Auth::Basic("OnceToken", &value)).await.status,
        200,
        "the shown password signs in"
    );

    // The same form again (a reload re-sends it): refused, nothing generated or shown.
    let again = c.post(&url, &fields).await;
    assert_eq!(again.status, 409);
    assert!(password_on(&again).is_none());
    assert!(!again.body.contains(&value));
    // The token page never shows a value.
    let page = c.get(base).await;
    assert!(!page.body.contains(&value));
    assert_eq!(
        r.get("/v2/", Auth::Basic("OnceToken", &value)).await.status,
        200,
        "the password was not regenerated"
    );
    let t = acr.ok("token show -n OnceToken -r myregistry").await.json();
    assert_eq!(t["credentials"]["passwords"][0]["name"], "password1");

    // A bad expiry is refused and leaves the form usable; a good one is stored.
    let nonce = page.field("nonce");
    let past = [("csrf_token", csrf.as_str()), ("nonce", nonce.as_str()), ("expiry", "2001-01-01")];
    let p = c.post(&format!("{base}/passwords/password2/generate"), &past).await;
    assert_eq!(p.status, 400);
    assert!(p.body.contains("is in the past"), "{}", p.body);
    let future = [("csrf_token", csrf.as_str()), ("nonce", nonce.as_str()), ("expiry", "2099-12-31")];
    let p = c.post(&format!("{base}/passwords/password2/generate"), &future).await;
    assert_eq!(p.status, 200, "{}", p.body);
    let t = acr.ok("token show -n OnceToken -r myregistry").await.json();
    assert_eq!(t["credentials"]["passwords"][1]["name"], "password2");
    assert_eq!(t["credentials"]["passwords"][1]["expiry"], "2099-12-31T23:59:59+00:00");

    // Neither value is in the request log.
    let log = serde_json::to_string(&r.e.request_log().await).unwrap();
    assert!(!log.contains(&value));
    assert!(!log.contains(&password_on(&p).unwrap()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_console_applies_the_api_rules_and_limits() {
    let emu = Emu::start().await;
    let acr = Acr::new(&emu);
    let c = Browserless::sign_in(&emu.env.ca_certificate, &emu.env.console_url).await;
    let csrf = c.get(NEW_MAP).await.field("csrf_token");

    // The API's own messages for a bad name and a bad wildcard.
    let p = c.post(NEW_MAP, &map_form(&csrf, "abc", "samples/a")).await;
    assert_eq!(p.status, 400);
    assert!(p.body.contains("The scope map name &#39;abc&#39; is invalid."), "{}", p.body);
    let p = c.post(NEW_MAP, &map_form(&csrf, "Wildcards", "samples/team*")).await;
    assert_eq!(p.status, 400);
    assert!(p.body.contains("a wildcard must be &#39;*&#39; alone"), "{}", p.body);

    // One token allowed: the second is refused with the store's quota message, and its new
    // scope map is not left behind.
    assert_eq!(emu.hook("POST", "/_emulator/limits", json!({"tokens": 1})).await, 204);
    let new_token = |name: &'static str, map: &'static str| {
        let csrf = csrf.clone();
        let c = &c;
        async move {
            let fields = [
                ("csrf_token", csrf.as_str()),
                ("name", name),
                ("scope-map-mode", "new"),
                ("map-name", map),
                ("map-description", ""),
                ("rows", "1"),
                ("repo-0", "samples/hello-world"),
                ("perm-0", "content/read"),
                ("status", "enabled"),
                ("op", "create"),
            ];
            c.post("/portal/registries/myregistry/tokens/new", &fields).await
        }
    };
    assert_eq!(new_token("FirstToken", "FirstMap").await.status, 303);
    let p = new_token("SecondToken", "SecondMap").await;
    assert_eq!(p.status, 409, "{}", p.body);
    assert!(p.body.contains("has reached its limit of 1 tokens"), "{}", p.body);
    assert_eq!(acr.run("scope-map show -n SecondMap -r myregistry").await.code, 3);
    assert_eq!(acr.run("token show -n SecondToken -r myregistry").await.code, 3);
    // A name that exists is not replaced.
    let p = new_token("FirstToken", "ThirdMap").await;
    assert_eq!(p.status, 409);
    assert!(p.body.contains("already exists"));

    // A map in use is not deleted; a system map is read-only.
    let p = c.post("/portal/registries/myregistry/scope-maps/FirstMap/delete", &[("csrf_token", &csrf)]).await;
    assert_eq!(p.status, 409);
    assert!(p.body.contains("FirstToken"), "{}", p.body);
    acr.ok("scope-map show -n FirstMap -r myregistry").await;
    let p = c
        .post(
            "/portal/registries/myregistry/scope-maps/_repositories_pull",
            &[("csrf_token", &csrf), ("rows", "1"), ("repo-0", "x"), ("perm-0", "content/write"), ("op", "save")],
        )
        .await;
    assert_eq!(p.status, 400);
    assert!(p.body.contains("system-defined scope map"), "{}", p.body);
    let pull = acr.ok("scope-map show -n _repositories_pull -r myregistry").await.json();
    assert_eq!(pull["actions"], json!(["repositories/*/content/read"]));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn names_and_descriptions_are_escaped() {
    let emu = Emu::start().await;
    let raw = r#"<script>alert("x")</script> & 'q'"#;
    let r = emu
        .arm(
            "PUT",
            &format!("{}/scopeMaps/Escaped", emu.reg()),
            Some(json!({"properties": {"description": raw, "actions": ["repositories/samples/x/content/read"]}})),
        )
        .await;
    assert_eq!(r.status, 200);
    let c = Browserless::sign_in(&emu.env.ca_certificate, &emu.env.console_url).await;
    let escaped = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39;";
    for path in [
        "/portal/registries/myregistry/scope-maps",
        "/portal/registries/myregistry/scope-maps/Escaped",
    ] {
        let p = c.get(path).await;
        assert_eq!(p.status, 200);
        assert!(p.body.contains(escaped), "{path}: {}", p.body);
        assert!(!p.body.contains("<script>alert"), "{path}");
    }
    let csrf = c.get(NEW_MAP).await.field("csrf_token");
    let fields = [
        ("csrf_token", csrf.as_str()),
        ("name", "<img src=x onerror=alert(1)>"),
        ("scope-map-mode", "existing"),
        ("existing", "Escaped"),
        ("op", "create"),
    ];
    let p = c.post("/portal/registries/myregistry/tokens/new", &fields).await;
    assert_eq!(p.status, 400);
    assert!(!p.body.contains("<img"), "{}", p.body);
    assert!(p.body.contains("&lt;img src=x onerror=alert(1)&gt;"));
    let p = c.get("/portal/registries/%3Cb%3E/tokens").await;
    assert_eq!(p.status, 404);
    assert!(p.body.contains("There is no registry &#39;&lt;b&gt;&#39;."), "{}", p.body);
}
