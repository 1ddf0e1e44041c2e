//! Registry (OCI data plane) helpers: [`Reg`] is an [`Emu`] plus its first registry's login
//! server, with raw requests under any credentials ([`Auth`]), tokens made through the
//! management API ([`Reg::token`], [`Reg::set_actions`]), access tokens from `/oauth2/token`
//! ([`Reg::access`], [`Reg::owner`]), and blob and image pushes through the distribution API
//! ([`Reg::upload`], [`Reg::push_image`]). Media-type constants, [`sha256`] and
//! [`image_manifest`] build the documents.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use sha2::Digest as _;

use super::arm::Resp;
use super::emulator::Emu;

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

    /// Stops the emulator and starts it again on the same data dir; asserts that
    /// `myregistry` keeps its login server.
    pub async fn restart(self) -> Reg {
        let login = self.login.clone();
        let dir = self.e.stop().await;
        let e = Emu::start_in(dir, vec![]).await;
        let first = e
            .env
            .registries
            .iter()
            .find(|r| r.name == "myregistry")
            .unwrap();
        assert_eq!(first.login_server, login, "the login server is stable");
        Reg { e, login }
    }

    /// `path` on the registry's login server.
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
        Resp::read(req.send().await.unwrap()).await
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
