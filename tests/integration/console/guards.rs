//! That nothing changes without the session, with a wrong, missing or another session's
//! CSRF token, from another origin, with a body that is not a form, or by GET; and that the
//! same requests done right change exactly what `acr` then shows. The forms' secrets are
//! masked in the request log.

use serde_json::json;

use super::Browserless;
use crate::support::{Acr, Emu};

pub(super) const NEW_MAP: &str = "/portal/registries/myregistry/scope-maps/new";

pub(super) fn map_form<'a>(csrf: &'a str, name: &'a str, repo: &'a str) -> Vec<(&'a str, &'a str)> {
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
    assert_eq!(
        map["actions"],
        json!(["repositories/samples/*/content/read"])
    );
    assert_eq!(map["description"], "made in the console");

    // A token, then changes to it that must not happen.
    acr.ok("token create -n GuardedToken -r myregistry --scope-map Made-In_Console --no-passwords")
        .await;
    let base = "/portal/registries/myregistry/tokens/GuardedToken";
    let page = c.get(base).await;
    assert_eq!(page.status, 200);
    let bad = [
        ("csrf_token", wrong.as_str()),
        ("scope-map", "_repositories_admin"),
        ("status", "disabled"),
    ];
    assert_eq!(c.post(&format!("{base}/settings"), &bad).await.status, 403);
    let nonce = page.field("nonce");
    let gen_bad = [
        ("csrf_token", wrong.as_str()),
        ("nonce", nonce.as_str()),
        ("expiry", ""),
    ];
    let p = c
        .post(&format!("{base}/passwords/password1/generate"), &gen_bad)
        .await;
    assert_eq!(p.status, 403);
    let del_bad = [("csrf_token", wrong.as_str()), ("confirm", "yes")];
    assert_eq!(
        c.post(&format!("{base}/delete"), &del_bad).await.status,
        403
    );
    // GET never changes anything: the POST-only routes answer 405.
    assert_eq!(c.get(&format!("{base}/delete")).await.status, 405);
    assert_eq!(
        c.get(&format!("{base}/passwords/password1/generate"))
            .await
            .status,
        405
    );
    let shown = acr
        .ok("token show -n GuardedToken -r myregistry")
        .await
        .json();
    assert_eq!(shown["status"], "enabled");
    assert!(
        shown["scopeMapId"]
            .as_str()
            .unwrap()
            .ends_with("/scopeMaps/Made-In_Console")
    );
    assert_eq!(shown["credentials"]["passwords"], json!([]));

    // With the right token, the same settings form works.
    let good = [
        ("csrf_token", csrf.as_str()),
        ("scope-map", "_repositories_admin"),
        ("status", "disabled"),
    ];
    let p = c.post(&format!("{base}/settings"), &good).await;
    assert_eq!(p.status, 303, "{}", p.body);
    let shown = acr
        .ok("token show -n GuardedToken -r myregistry")
        .await
        .json();
    assert_eq!(shown["status"], "disabled");
    assert!(
        shown["scopeMapId"]
            .as_str()
            .unwrap()
            .ends_with("/scopeMaps/_repositories_admin")
    );

    // Secrets of the forms are masked in the request log.
    let log = serde_json::to_string(&emu.request_log().await).unwrap();
    assert!(!log.contains(&csrf), "the CSRF token is in the log");
    assert!(!log.contains(&nonce), "a nonce is in the log");
    assert!(log.contains("\"csrf_token\":\"REDACTED\""), "{log}");
}
