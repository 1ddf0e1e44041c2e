//! The console's forms against the API's behaviour: a generated password is shown once (its
//! form sent again is refused, the value stays valid, neither value reaches the request log);
//! the API's rules, messages and per-SKU limits apply; untrusted text is escaped.

use serde_json::json;

use super::guards::{NEW_MAP, map_form};
use super::{Browserless, Page};
use crate::support::{Acr, Auth, Emu, Reg};

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
    let fields = [
        ("csrf_token", csrf.as_str()),
        ("nonce", nonce.as_str()),
        ("expiry", ""),
    ];
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
    let past = [
        ("csrf_token", csrf.as_str()),
        ("nonce", nonce.as_str()),
        ("expiry", "2001-01-01"),
    ];
    let p = c
        .post(&format!("{base}/passwords/password2/generate"), &past)
        .await;
    assert_eq!(p.status, 400);
    assert!(p.body.contains("is in the past"), "{}", p.body);
    let future = [
        ("csrf_token", csrf.as_str()),
        ("nonce", nonce.as_str()),
        ("expiry", "2099-12-31"),
    ];
    let p = c
        .post(&format!("{base}/passwords/password2/generate"), &future)
        .await;
    assert_eq!(p.status, 200, "{}", p.body);
    let t = acr.ok("token show -n OnceToken -r myregistry").await.json();
    assert_eq!(t["credentials"]["passwords"][1]["name"], "password2");
    assert_eq!(
        t["credentials"]["passwords"][1]["expiry"],
        "2099-12-31T23:59:59+00:00"
    );

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
    assert!(
        p.body
            .contains("The scope map name &#39;abc&#39; is invalid."),
        "{}",
        p.body
    );
    let p = c
        .post(NEW_MAP, &map_form(&csrf, "Wildcards", "samples/team*"))
        .await;
    assert_eq!(p.status, 400);
    assert!(
        p.body.contains("a wildcard must be &#39;*&#39; alone"),
        "{}",
        p.body
    );

    // One token allowed: the second is refused with the store's quota message, and its new
    // scope map is not left behind.
    assert_eq!(
        emu.hook("POST", "/_emulator/limits", json!({"tokens": 1}))
            .await,
        204
    );
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
            c.post("/portal/registries/myregistry/tokens/new", &fields)
                .await
        }
    };
    assert_eq!(new_token("FirstToken", "FirstMap").await.status, 303);
    let p = new_token("SecondToken", "SecondMap").await;
    assert_eq!(p.status, 409, "{}", p.body);
    assert!(
        p.body.contains("has reached its limit of 1 tokens"),
        "{}",
        p.body
    );
    assert_eq!(
        acr.run("scope-map show -n SecondMap -r myregistry")
            .await
            .code,
        3
    );
    assert_eq!(
        acr.run("token show -n SecondToken -r myregistry")
            .await
            .code,
        3
    );
    // A name that exists is not replaced.
    let p = new_token("FirstToken", "ThirdMap").await;
    assert_eq!(p.status, 409);
    assert!(p.body.contains("already exists"));

    // A map in use is not deleted; a system map is read-only.
    let p = c
        .post(
            "/portal/registries/myregistry/scope-maps/FirstMap/delete",
            &[("csrf_token", &csrf)],
        )
        .await;
    assert_eq!(p.status, 409);
    assert!(p.body.contains("FirstToken"), "{}", p.body);
    acr.ok("scope-map show -n FirstMap -r myregistry").await;
    let p = c
        .post(
            "/portal/registries/myregistry/scope-maps/_repositories_pull",
            &[
                ("csrf_token", &csrf),
                ("rows", "1"),
                ("repo-0", "x"),
                ("perm-0", "content/write"),
                ("op", "save"),
            ],
        )
        .await;
    assert_eq!(p.status, 400);
    assert!(p.body.contains("system-defined scope map"), "{}", p.body);
    let pull = acr
        .ok("scope-map show -n _repositories_pull -r myregistry")
        .await
        .json();
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
    let p = c
        .post("/portal/registries/myregistry/tokens/new", &fields)
        .await;
    assert_eq!(p.status, 400);
    assert!(!p.body.contains("<img"), "{}", p.body);
    assert!(p.body.contains("&lt;img src=x onerror=alert(1)&gt;"));
    let p = c.get("/portal/registries/%3Cb%3E/tokens").await;
    assert_eq!(p.status, 404);
    assert!(
        p.body.contains("There is no registry &#39;&lt;b&gt;&#39;."),
        "{}",
        p.body
    );
}
