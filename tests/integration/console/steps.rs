//! What each step of the browser driver must have done, checked outside the browser: with
//! `acr` (management: `token show`, `scope-map show`, `scope-map list`, `token list -o table`;
//! data plane with the token's credentials: `repository delete`, `repository show-tags`) and
//! with skopeo (push, pull, inspect as the token), following the seed: pushes to
//! `samples/hello-world` succeed and to `samples/nginx` fail until the scope map changes,
//! then the reverse.

use std::path::PathBuf;

use serde_json::{Value, json};

use super::Browserless;
use super::clients::{AsToken, table_rows};
use crate::support::clients::{Run, Tools};
use crate::support::{Acr, Reg};

/// The steps the driver reports, in the order of the seed's portal walkthrough.
pub const ORDER: &[&str] = &[
    "signed-in",
    "token-created",
    "password1-generated",
    "password-not-shown-again",
    "scope-maps-listed",
    "scope-map-updated",
    "nginx-delete-added",
    "hello-world-metadata-read-added",
    "repository-shown",
    "tokens-listed",
    "wildcard-scope-map-created",
    "token-scope-map-changed",
    "password2-generated",
    "password1-deleted",
    "token-disabled",
    "token-deleted",
];

const DENIED: &str = "requested access to the resource is denied";

pub struct Checker<'a> {
    r: &'a Reg,
    acr: &'a Acr,
    as_token: AsToken<'a>,
    seen: Vec<String>,
    /// password1 as the browser showed it (steps after it use it to sign in).
    password1: String,
}

fn s(v: &Value, key: &str) -> String {
    v[key]
        .as_str()
        .unwrap_or_else(|| panic!("no {key} in {v}"))
        .to_string()
}

fn sorted(v: &Value) -> Vec<String> {
    let mut a: Vec<String> = v
        .as_array()
        .unwrap_or_else(|| panic!("not a list: {v}"))
        .iter()
        .map(|x| x.as_str().unwrap().to_string())
        .collect();
    a.sort();
    a
}

#[track_caller]
fn ok(r: &Run, what: &str) {
    assert!(r.ok, "{what} failed:\n{}\n{}", r.stdout, r.stderr);
}

#[track_caller]
fn refused(r: &Run, what: &str, needle: &str) {
    assert!(!r.ok, "{what} should have been refused:\n{}", r.stdout);
    assert!(
        r.stderr.contains(needle),
        "{what}: no '{needle}' in:\n{}",
        r.stderr
    );
}

impl<'a> Checker<'a> {
    pub fn new(r: &'a Reg, acr: &'a Acr, tools: &'a Tools, skopeo: PathBuf) -> Checker<'a> {
        Checker {
            r,
            acr,
            as_token: AsToken { tools, skopeo },
            seen: Vec::new(),
            password1: String::new(),
        }
    }

    pub fn steps(&self) -> Vec<&str> {
        self.seen.iter().map(String::as_str).collect()
    }

    async fn token(&self) -> Value {
        self.acr
            .ok("token show -n MyToken -r myregistry")
            .await
            .json()
    }

    async fn scope_map(&self, name: &str) -> Value {
        self.acr
            .ok(&format!("scope-map show -n {name} -r myregistry"))
            .await
            .json()
    }

    /// Checks one step; panics (ending the driver) when the step did not do what it says.
    pub async fn check(&mut self, step: &Value) {
        let name = s(step, "name");
        self.seen.push(name.clone());
        match name.as_str() {
            "signed-in" => {
                // The link is spent; env reports a fresh one.
                let used = s(step, "usedLink");
                let c = Browserless::new(&self.r.e.env.ca_certificate, &used);
                assert_eq!(c.get(&used).await.status, 403, "a used link");
                let fresh = self.r.e.running().current_env().await.console_url;
                assert_ne!(fresh, used);
            }
            "token-created" => {
                let t = self.token().await;
                assert_eq!(t["status"], "enabled");
                assert!(
                    s(&t, "scopeMapId").ends_with("/scopeMaps/MyScopeMap"),
                    "{t}"
                );
                assert_eq!(
                    t["credentials"]["passwords"],
                    json!([]),
                    "the portal makes no password"
                );
                let m = self.scope_map("MyScopeMap").await;
                assert_eq!(m["description"], "Sample scope map");
                assert_eq!(
                    sorted(&m["actions"]),
                    [
                        "repositories/samples/hello-world/content/read",
                        "repositories/samples/hello-world/content/write"
                    ]
                );
            }
            "password1-generated" => {
                let (pw, day) = (s(step, "password"), s(step, "expiryDate"));
                let p = &self.token().await["credentials"]["passwords"];
                assert_eq!(p[0]["name"], "password1");
                assert_eq!(p[0]["expiry"], format!("{day}T23:59:59+00:00"));
                // The token may push to hello-world but not to nginx.
                ok(
                    &self.as_token.push("samples/hello-world", &pw).await,
                    "push hello-world",
                );
                refused(
                    &self.as_token.push("samples/nginx", &pw).await,
                    "push nginx",
                    DENIED,
                );
                self.password1 = pw;
            }
            "password-not-shown-again" => {
                // Reloading re-sent the POST at most as a refused (409) duplicate.
                let generated: Vec<u64> = self
                    .r
                    .e
                    .request_log()
                    .await
                    .iter()
                    .filter(|q| {
                        q["method"] == "POST"
                            && q["path"]
                                .as_str()
                                .unwrap()
                                .ends_with("/passwords/password1/generate")
                    })
                    .map(|q| q["status"].as_u64().unwrap())
                    .collect();
                println!("password1 generate POSTs (first, then any reload): {generated:?}");
                assert_eq!(generated.first(), Some(&200), "{generated:?}");
                assert!(generated[1..].iter().all(|s| *s == 409), "{generated:?}");
                let pw = s(step, "password");
                ok(
                    &self.as_token.inspect("samples/hello-world", &pw).await,
                    "the password still works",
                );
            }
            "scope-maps-listed" => {
                let cli = self.acr.ok("scope-map list -r myregistry").await.json();
                let names: Vec<&str> = cli
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|m| m["name"].as_str().unwrap())
                    .collect();
                assert_eq!(step["names"], json!(names));
                assert!(names.contains(&"_repositories_admin") && names.contains(&"MyScopeMap"));
            }
            "scope-map-updated" => {
                assert_eq!(
                    sorted(&self.scope_map("MyScopeMap").await["actions"]),
                    [
                        "repositories/samples/hello-world/content/read",
                        "repositories/samples/nginx/content/read",
                        "repositories/samples/nginx/content/write"
                    ]
                );
                let pw = self.password1.clone();
                ok(
                    &self.as_token.push("samples/nginx", &pw).await,
                    "push nginx after the update",
                );
                refused(
                    &self.as_token.push("samples/hello-world", &pw).await,
                    "push hello-world after the update",
                    DENIED,
                );
                ok(
                    &self.as_token.pull("samples/nginx", &pw).await,
                    "pull nginx",
                );
                ok(
                    &self.as_token.pull("samples/hello-world", &pw).await,
                    "pull hello-world",
                );
            }
            "nginx-delete-added" => {
                let pw = s(step, "password");
                let line = format!(
                    "repository delete --name myregistry --repository samples/nginx --username MyToken --password {pw} --yes"
                );
                self.acr.ok(&line).await;
                let repos = self.acr.ok("repository list -n myregistry").await.json();
                assert_eq!(repos, json!(["samples/hello-world"]));
            }
            "hello-world-metadata-read-added" => {
                let pw = s(step, "password");
                let line = format!(
                    "repository show-tags --name myregistry --repository samples/hello-world --username MyToken --password {pw}"
                );
                assert_eq!(self.acr.ok(&line).await.json(), json!(["v1"]));
            }
            "repository-shown" => {
                assert_eq!(step["tags"], json!(["v1"]));
                // Pull yes, push no, delete no, metadata read yes, metadata write no.
                assert_eq!(
                    step["cells"],
                    json!([
                        "MyToken",
                        "MyScopeMap",
                        "Yes",
                        "Yes",
                        "No",
                        "No",
                        "Yes",
                        "No"
                    ])
                );
            }
            "tokens-listed" => {
                let out = self
                    .acr
                    .ok("token list -r myregistry -o table")
                    .await
                    .stdout;
                let (headers, rows) = table_rows(&out);
                assert_eq!(
                    step["headers"],
                    json!([
                        "Name",
                        "Scope map",
                        "Password1 expiry",
                        "Password2 expiry",
                        "Status",
                        "Creation date"
                    ])
                );
                let col = |h: &str| headers.iter().position(|x| x == h).unwrap();
                let page = &step["rows"][0];
                let cli = &rows[0];
                assert_eq!(page[0], cli[col("NAME")].as_str());
                assert_eq!(page[1], cli[col("SCOPE MAP")].as_str());
                assert_eq!(page[2], cli[col("PASSWORD1 EXPIRY")].as_str());
                assert_eq!(page[3], "No password", "the CLI leaves it blank");
                assert_eq!(page[4], cli[col("STATUS")].as_str());
                assert_eq!(page[5], cli[col("CREATION DATE")].as_str());
            }
            "wildcard-scope-map-created" => {
                let m = self.scope_map("MyNewScopeMap").await;
                assert_eq!(m["description"], step["description"]);
                assert_eq!(
                    sorted(&m["actions"]),
                    [
                        "repositories/*/metadata/read",
                        "repositories/samples/*/content/read"
                    ]
                );
            }
            "token-scope-map-changed" => {
                assert!(s(&self.token().await, "scopeMapId").ends_with("/scopeMaps/MyNewScopeMap"));
                let pw = s(step, "password");
                ok(
                    &self.as_token.pull("samples/hello-world", &pw).await,
                    "pull through samples/*",
                );
                refused(
                    &self.as_token.push("samples/hello-world", &pw).await,
                    "push with read only",
                    DENIED,
                );
                let line = format!(
                    "repository show-tags --name myregistry --repository samples/hello-world --username MyToken --password {pw}"
                );
                assert_eq!(
                    self.acr.ok(&line).await.json(),
                    json!(["v1"]),
                    "metadata/read on *"
                );
            }
            "password2-generated" => {
                let p = &self.token().await["credentials"]["passwords"];
                assert_eq!(p[1]["name"], "password2");
                assert!(p[1]["expiry"].is_null(), "no expiry: {p}");
                ok(
                    &self
                        .as_token
                        .inspect("samples/hello-world", &s(step, "password"))
                        .await,
                    "password2",
                );
            }
            "password1-deleted" => {
                let names: Vec<Value> = self.token().await["credentials"]["passwords"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|p| p["name"].clone())
                    .collect();
                assert_eq!(names, [json!("password2")]);
                assert!(
                    !self
                        .as_token
                        .inspect("samples/hello-world", &s(step, "oldPassword"))
                        .await
                        .ok,
                    "password1 still works"
                );
                ok(
                    &self
                        .as_token
                        .inspect("samples/hello-world", &s(step, "password"))
                        .await,
                    "password2",
                );
            }
            "token-disabled" => {
                assert_eq!(self.token().await["status"], "disabled");
                assert!(
                    !self
                        .as_token
                        .inspect("samples/hello-world", &s(step, "password"))
                        .await
                        .ok,
                    "a disabled token signs in"
                );
            }
            "token-deleted" => {
                assert_eq!(
                    self.acr
                        .run("token show -n MyToken -r myregistry")
                        .await
                        .code,
                    3
                );
                assert!(self.acr.ok("token list -r myregistry").await.json() == json!([]));
            }
            other => panic!("unknown step {other}"),
        }
    }
}
