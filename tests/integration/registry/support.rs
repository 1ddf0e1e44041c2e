//! Shared fixture for the data-plane tests: the in-process emulator of `emulator::support`,
//! its first registry's login server, tokens made through the management API, access tokens
//! from `/oauth2/token`, raw requests with any credentials, image pushes through the
//! distribution API, and a small validator for the 2021-07-01 data-plane swagger's shapes.

use std::sync::OnceLock;

use base64::Engine;
use reqwest::header::HeaderMap;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use sha2::Digest as _;

pub use crate::emulator::support::Emu;

pub const OCI_MANIFEST: &str = "application/vnd.oci.image.manifest.v1+json";
pub const OCI_INDEX: &str = "application/vnd.oci.image.index.v1+json";
pub const DOCKER_MANIFEST: &str = "application/vnd.docker.distribution.manifest.v2+json";
pub const DOCKER_LIST: &str = "application/vnd.docker.distribution.manifest.list.v2+json";

pub fn sha256(b: &[u8]) -> String {
    let d = sha2::Sha256::digest(b);
    format!(
        "sha256:{}",
        d.iter().map(|x| format!("{x:02x}")).collect::<String>()
    )
}

#[derive(Clone, Copy, Debug)]
pub enum Auth<'a> {
    None,
    Bearer(&'a str),
    Basic(&'a str, &'a str),
}

pub struct Resp {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub bytes: Vec<u8>,
}

impl Resp {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.bytes)
            .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&self.bytes).into_owned()))
    }

    /// Asserts an OCI error envelope with `status` and `code`; returns the first error.
    #[track_caller]
    pub fn oci_error(&self, status: u16, code: &str) -> Value {
        let body = self.json();
        assert_eq!(self.status.as_u16(), status, "status; body {body}");
        assert_eq!(body["errors"][0]["code"], code, "body {body}");
        body["errors"][0].clone()
    }
}

pub struct Reg {
    pub e: Emu,
    /// `127.0.0.1:PORT` of the first registry.
    pub login: String,
}

impl Reg {
    pub async fn start() -> Reg {
        let e = Emu::start().await;
        let login = e.env.registries[0].login_server.clone();
        Reg { e, login }
    }

    pub fn url(&self, path: &str) -> String {
        format!("https://{}{path}", self.login)
    }

    pub async fn send(
        &self,
        method: &str,
        path: &str,
        auth: Auth<'_>,
        headers: &[(&str, &str)],
        body: Option<Vec<u8>>,
    ) -> Resp {
        let mut req = self.e.http.request(
            Method::from_bytes(method.as_bytes()).unwrap(),
            self.url(path),
        );
        req = match auth {
            Auth::None => req,
            Auth::Bearer(t) => req.bearer_auth(t),
            Auth::Basic(u, p) => req.basic_auth(u, Some(p)),
        };
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        if let Some(b) = body {
            req = req.body(b);
        }
        let r = req.send().await.unwrap();
        let status = r.status();
        let headers = r.headers().clone();
        let bytes = r.bytes().await.unwrap().to_vec();
        Resp {
            status,
            headers,
            bytes,
        }
    }

    pub async fn get(&self, path: &str, auth: Auth<'_>) -> Resp {
        self.send("GET", path, auth, &[], None).await
    }

    /// Creates scope map `<name>-map` with `actions` and token `name`, and returns password1.
    pub async fn token(&self, name: &str, actions: &[&str]) -> String {
        let map = format!("{name}-map");
        let r = self.e.create_scope_map(&map, actions).await;
        assert!(r.status.is_success(), "{}", r.body);
        let r = self.e.create_token(name, &map).await;
        assert!(r.status.is_success(), "{}", r.body);
        let g = self.e.generate(name, json!({"name": "password1"})).await;
        assert_eq!(g.status, 200, "{}", g.body);
        g.body["passwords"][0]["value"]
            .as_str()
            .unwrap()
            .to_string()
    }

    /// Replaces the actions of scope map `<name>-map`.
    pub async fn set_actions(&self, name: &str, actions: &[&str]) {
        let r = self
            .e
            .arm(
                "PATCH",
                &format!("{}/scopeMaps/{name}-map", self.e.reg()),
                Some(json!({"properties": {"actions": actions}})),
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.body);
    }

    /// The service principal's id and secret: Basic credentials with an owner's rights.
    pub fn sp(&self) -> (String, String) {
        (
            self.e.env.client_id.clone(),
            self.e.env.client_secret.clone(),
        )
    }

    /// `GET /oauth2/token` with Basic credentials; the access token or the failing status.
    pub async fn access(
        &self,
        user: &str,
        password: &str,
        scopes: &[&str],
    ) -> Result<String, StatusCode> {
        let mut q: Vec<(&str, &str)> = vec![("service", &self.login), ("account", user)];
        q.extend(scopes.iter().map(|s| ("scope", *s)));
        let r = self
            .e
            .http
            .get(self.url("/oauth2/token"))
            .query(&q)
            .basic_auth(user, Some(password))
            .send()
            .await
            .unwrap();
        if r.status() != 200 {
            return Err(r.status());
        }
        let v: Value = r.json().await.unwrap();
        Ok(v["access_token"].as_str().unwrap().to_string())
    }

    /// An owner's access token for `scopes`.
    pub async fn owner(&self, scopes: &[&str]) -> String {
        let (u, p) = self.sp();
        self.access(&u, &p, scopes).await.unwrap()
    }

    /// Uploads a blob (POST + PUT ?digest=) and returns its digest.
    pub async fn upload(&self, auth: Auth<'_>, repo: &str, bytes: &[u8]) -> Resp {
        let d = sha256(bytes);
        let r = self
            .send(
                "POST",
                &format!("/v2/{repo}/blobs/uploads/"),
                auth,
                &[],
                None,
            )
            .await;
        if r.status != 202 {
            return r;
        }
        let loc = r.header("location").unwrap().to_string();
        let sep = if loc.contains('?') { '&' } else { '?' };
        self.send(
            "PUT",
            &format!("{loc}{sep}digest={d}"),
            auth,
            &[("content-type", "application/octet-stream")],
            Some(bytes.to_vec()),
        )
        .await
    }

    /// Pushes a one-layer OCI image (config and layer made from `seed`); returns the
    /// manifest's digest and bytes. Panics unless every step succeeds.
    pub async fn push_image(
        &self,
        auth: Auth<'_>,
        repo: &str,
        tag: &str,
        seed: &str,
    ) -> (String, Vec<u8>) {
        let (m, r) = self.try_push_image(auth, repo, tag, seed).await;
        assert_eq!(r.status, 201, "push {repo}:{tag}: {}", r.json());
        (sha256(&m), m)
    }

    /// Like [`Reg::push_image`], returning the manifest and the last response (the first
    /// that failed, or the manifest PUT's).
    pub async fn try_push_image(
        &self,
        auth: Auth<'_>,
        repo: &str,
        tag: &str,
        seed: &str,
    ) -> (Vec<u8>, Resp) {
        let config = json!({"architecture": "amd64", "os": "linux", "config": {}, "rootfs": {"type": "layers", "diff_ids": []}, "seed": seed})
            .to_string()
            .into_bytes();
        let layer = format!("layer of {seed}").into_bytes();
        let m = image_manifest(&config, &[&layer]);
        for b in [&config, &layer] {
            let r = self.upload(auth, repo, b).await;
            if r.status != 201 {
                return (m, r);
            }
        }
        let r = self
            .send(
                "PUT",
                &format!("/v2/{repo}/manifests/{tag}"),
                auth,
                &[("content-type", OCI_MANIFEST)],
                Some(m.clone()),
            )
            .await;
        (m, r)
    }
}

/// An OCI image manifest for a config and layers given by content.
pub fn image_manifest(config: &[u8], layers: &[&[u8]]) -> Vec<u8> {
    json!({
        "schemaVersion": 2,
        "mediaType": OCI_MANIFEST,
        "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": sha256(config), "size": config.len()},
        "layers": layers.iter().map(|l| json!({"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "digest": sha256(l), "size": l.len()})).collect::<Vec<_>>(),
    })
    .to_string()
    .into_bytes()
}

/// The claims of a JWT, unverified.
pub fn claims(jwt: &str) -> Value {
    let payload = jwt.split('.').nth(1).unwrap();
    serde_json::from_slice(
        &base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(payload)
            .unwrap(),
    )
    .unwrap()
}

fn dataplane() -> &'static Value {
    static S: OnceLock<Value> = OnceLock::new();
    S.get_or_init(|| {
        let p = format!(
            "{}/tests/data/azure-specs/dataplane-2021-07-01/containerregistry.json",
            env!("CARGO_MANIFEST_DIR")
        );
        serde_json::from_slice(&std::fs::read(p).unwrap()).unwrap()
    })
}

fn deref(s: &Value) -> &Value {
    match s.get("$ref").and_then(Value::as_str) {
        Some(r) => deref(
            dataplane()
                .pointer(r.trim_start_matches('#'))
                .unwrap_or_else(|| panic!("unresolved {r}")),
        ),
        None => s,
    }
}

fn check(schema: &Value, v: &Value, at: &str, errors: &mut Vec<String>) {
    let s = deref(schema);
    match s.get("type").and_then(Value::as_str) {
        Some("string") if !v.is_string() => {
            errors.push(format!("{at}: expected a string, got {v}"))
        }
        Some("integer") if !v.is_i64() => {
            errors.push(format!("{at}: expected an integer, got {v}"))
        }
        Some("boolean") if !v.is_boolean() => {
            errors.push(format!("{at}: expected a boolean, got {v}"))
        }
        Some("array") => match v.as_array() {
            None => errors.push(format!("{at}: expected an array, got {v}")),
            Some(items) => {
                for (i, item) in items.iter().enumerate() {
                    check(&s["items"], item, &format!("{at}[{i}]"), errors);
                }
            }
        },
        _ => {}
    }
    if let Some(props) = s.get("properties").and_then(Value::as_object) {
        let Some(o) = v.as_object() else {
            errors.push(format!("{at}: expected an object, got {v}"));
            return;
        };
        for r in s
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
        {
            if !o.contains_key(r) {
                errors.push(format!("{at}: missing required '{r}'"));
            }
        }
        for (k, val) in o {
            match props.get(k) {
                Some(p) => check(p, val, &format!("{at}.{k}"), errors),
                // The service returns `mediaType` on manifests though the model lacks it
                // (rest-api.md §15); everything else must be in the model.
                None if k == "mediaType" => {}
                None => errors.push(format!("{at}: unknown property '{k}'")),
            }
        }
    }
}

/// Asserts that `v` matches definition `def` of the data-plane swagger (unknown properties
/// are errors, `mediaType` on manifests excepted).
#[track_caller]
pub fn assert_shape(def: &str, v: &Value) {
    let schema = &dataplane()["definitions"][def];
    assert!(!schema.is_null(), "no definition {def}");
    let mut errors = Vec::new();
    check(schema, v, def, &mut errors);
    assert!(
        errors.is_empty(),
        "{v}\ndoes not match {def}:\n{}",
        errors.join("\n")
    );
}
