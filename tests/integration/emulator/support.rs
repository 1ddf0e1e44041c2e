//! Shared test fixture: an in-process emulator on port 0 in a temporary data dir (test hooks
//! on), an HTTPS client that trusts only its CA, a managed-identity token for ARM, and
//! helpers that send a request and return status, headers and JSON body.

use std::time::Duration;

use acr::emulator::{EmulatorOptions, EnvInfo, RegistrySpec, RunningEmulator};
use reqwest::header::HeaderMap;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

pub struct Emu {
    pub emu: Option<RunningEmulator>,
    pub dir: tempfile::TempDir,
    pub env: EnvInfo,
    pub http: reqwest::Client,
    pub token: String,
}

pub struct Resp {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Value,
}

impl Resp {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// Asserts an ARM error envelope with exactly `code` and `message`, and returns the message.
    #[track_caller]
    pub fn arm_error(&self, status: u16, code: &str) -> String {
        assert_eq!(self.status.as_u16(), status, "status, body {}", self.body);
        let err = self.body["error"]
            .as_object()
            .unwrap_or_else(|| panic!("no error envelope: {}", self.body));
        assert_eq!(err["code"], code, "body {}", self.body);
        assert_eq!(err.len(), 2, "only code and message: {}", self.body);
        super::swagger::assert_valid("ErrorResponse", &self.body);
        err["message"].as_str().unwrap().to_string()
    }
}

pub fn client_for(ca_path: &str) -> reqwest::Client {
    let pem = std::fs::read(ca_path).unwrap();
    let cert = reqwest::Certificate::from_pem(&pem).unwrap();
    reqwest::Client::builder()
        .tls_certs_only([cert])
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap()
}

impl Emu {
    pub async fn start() -> Emu {
        Self::start_with(vec![]).await
    }

    pub async fn start_with(registries: Vec<RegistrySpec>) -> Emu {
        let dir = tempfile::tempdir().unwrap();
        Self::start_in(dir, registries).await
    }

    pub async fn start_in(dir: tempfile::TempDir, registries: Vec<RegistrySpec>) -> Emu {
        let emu = acr::emulator::start(EmulatorOptions {
            data_dir: dir.path().to_path_buf(),
            port: 0,
            registries,
            test_hooks: true,
        })
        .await
        .unwrap();
        let env = emu.env().clone();
        let http = client_for(&env.ca_certificate);
        let mut e = Emu {
            emu: Some(emu),
            dir,
            env,
            http,
            token: String::new(),
        };
        e.token = e.mi_token("https://management.core.windows.net/").await;
        e
    }

    /// Stops the emulator and returns its data dir (for a restart).
    pub async fn stop(mut self) -> tempfile::TempDir {
        if let Some(e) = self.emu.take() {
            e.shutdown().await;
        }
        self.dir
    }

    pub async fn mi_token(&self, resource: &str) -> String {
        let r = self
            .http
            .get(&self.env.identity_endpoint)
            .query(&[("api-version", "2019-08-01"), ("resource", resource)])
            .header("X-IDENTITY-HEADER", &self.env.identity_header)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        let v: Value = r.json().await.unwrap();
        v["access_token"].as_str().unwrap().to_string()
    }

    pub fn sub(&self) -> &str {
        &self.env.subscription_id
    }

    /// `/subscriptions/…/registries/{name}` of a registry in `myresourcegroup`.
    pub fn reg_path_of(&self, name: &str) -> String {
        format!(
            "/subscriptions/{}/resourceGroups/myresourcegroup/providers/Microsoft.ContainerRegistry/registries/{name}",
            self.sub()
        )
    }

    pub fn reg(&self) -> String {
        self.reg_path_of("myregistry")
    }

    pub fn url(&self, path_and_query: &str) -> String {
        let base = self.env.resource_manager.trim_end_matches('/');
        if path_and_query.starts_with("https://") {
            path_and_query.to_string()
        } else {
            format!("{base}{path_and_query}")
        }
    }

    /// An ARM call with the default token; `api-version=2025-04-01` is appended unless the
    /// path already has a query.
    pub async fn arm(&self, method: &str, path: &str, body: Option<Value>) -> Resp {
        let token = self.token.clone();
        self.arm_as(method, path, body, Some(&token)).await
    }

    pub async fn arm_as(
        &self,
        method: &str,
        path: &str,
        body: Option<Value>,
        token: Option<&str>,
    ) -> Resp {
        let mut url = self.url(path);
        if !url.contains('?') {
            url.push_str("?api-version=2025-04-01");
        }
        let mut req = self
            .http
            .request(Method::from_bytes(method.as_bytes()).unwrap(), url);
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        if let Some(b) = body {
            req = req.json(&b);
        }
        let r = req.send().await.unwrap();
        Self::read(r).await
    }

    pub async fn raw(
        &self,
        method: &str,
        path: &str,
        content_type: &str,
        body: &'static str,
    ) -> Resp {
        let mut url = self.url(path);
        if !url.contains('?') {
            url.push_str("?api-version=2025-04-01");
        }
        let r = self
            .http
            .request(Method::from_bytes(method.as_bytes()).unwrap(), url)
            .bearer_auth(&self.token)
            .header("content-type", content_type)
            .body(body)
            .send()
            .await
            .unwrap();
        Self::read(r).await
    }

    pub async fn read(r: reqwest::Response) -> Resp {
        let status = r.status();
        let headers = r.headers().clone();
        let text = r.text().await.unwrap();
        let body = if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).unwrap_or(Value::String(text))
        };
        Resp {
            status,
            headers,
            body,
        }
    }

    pub async fn hook(&self, method: &str, path: &str, body: Value) -> StatusCode {
        self.http
            .request(
                Method::from_bytes(method.as_bytes()).unwrap(),
                self.url(path),
            )
            .json(&body)
            .send()
            .await
            .unwrap()
            .status()
    }

    pub async fn requests(&self) -> Vec<Value> {
        let v: Value = self
            .http
            .get(self.url("/_emulator/requests"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        v.as_array().unwrap().clone()
    }

    pub async fn create_scope_map(&self, name: &str, actions: &[&str]) -> Resp {
        self.arm(
            "PUT",
            &format!("{}/scopeMaps/{name}", self.reg()),
            Some(json!({"properties": {"actions": actions}})),
        )
        .await
    }

    pub async fn create_token(&self, name: &str, scope_map: &str) -> Resp {
        let body = json!({"properties": {"scopeMapId": format!("{}/scopeMaps/{scope_map}", self.reg()), "status": "enabled"}});
        self.arm("PUT", &format!("{}/tokens/{name}", self.reg()), Some(body))
            .await
    }

    pub async fn generate(&self, token: &str, extra: Value) -> Resp {
        let mut body = json!({"tokenId": format!("{}/tokens/{token}", self.reg())});
        if let (Some(b), Some(e)) = (body.as_object_mut(), extra.as_object()) {
            for (k, v) in e {
                b.insert(k.clone(), v.clone());
            }
        }
        self.arm(
            "POST",
            &format!("{}/generateCredentials", self.reg()),
            Some(body),
        )
        .await
    }
}

/// Signs arbitrary claims with the emulator's key (for auth failure tests).
pub fn forge(dir: &std::path::Path, claims: &Value) -> String {
    let pem = std::fs::read(dir.join("signing-key.pem")).unwrap();
    let key = jsonwebtoken::EncodingKey::from_ec_pem(&pem).unwrap();
    jsonwebtoken::encode(
        &jsonwebtoken::Header::new(jsonwebtoken::Algorithm::ES256),
        claims,
        &key,
    )
    .unwrap()
}

pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}
