//! ARM and identity request helpers on [`Emu`]: tokens for the emulator's two identities (the
//! managed identity, and the service principal that `acr` and az log in as in the CLI tests),
//! management calls that return a [`Resp`], setup shortcuts (scope map, token, credentials),
//! and JWT helpers for auth tests (forged tokens, unverified claims).
//!
//! Which identity: [`Emu::arm`] and [`Emu::raw`] use the managed identity
//! (`createdByType: ManagedIdentity`), [`Emu::arm_sp`] the service principal
//! (`createdByType: Application`, the same identity as the CLI under test, so that
//! `systemData` matches what the CLI itself would have written), [`Emu::arm_as`] any token.

use base64::Engine;
use reqwest::header::HeaderMap;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use super::emulator::Emu;

/// A response read whole: status, headers, the raw bytes, and the body as JSON (`null` when
/// empty, a JSON string holding the text when it is not JSON).
pub struct Resp {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub bytes: Vec<u8>,
    pub body: Value,
}

impl Resp {
    /// Reads `r` to the end.
    pub async fn read(r: reqwest::Response) -> Resp {
        let status = r.status();
        let headers = r.headers().clone();
        let bytes = r.bytes().await.expect("response body").to_vec();
        let body = if bytes.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&bytes)
                .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into_owned()))
        };
        Resp {
            status,
            headers,
            bytes,
            body,
        }
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The body as JSON (see [`Resp::body`]).
    pub fn json(&self) -> Value {
        self.body.clone()
    }

    /// Asserts an ARM error envelope with exactly `code` and `message` (valid against the
    /// swagger's `ErrorResponse`), and returns the message.
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

    /// Asserts an OCI error envelope with `status` and `code`; returns the first error.
    #[track_caller]
    pub fn oci_error(&self, status: u16, code: &str) -> Value {
        let body = self.json();
        assert_eq!(self.status.as_u16(), status, "status; body {body}");
        assert_eq!(body["errors"][0]["code"], code, "body {body}");
        body["errors"][0].clone()
    }
}

/// `path` with `api-version=2025-04-01` unless it already carries a query.
fn versioned(emu: &Emu, path: &str) -> String {
    let mut url = emu.url(path);
    if !url.contains('?') {
        url.push_str("?api-version=2025-04-01");
    }
    url
}

fn method(name: &str) -> Method {
    Method::from_bytes(name.as_bytes()).expect("an HTTP method")
}

impl Emu {
    /// A managed-identity token for `resource` from the App Service endpoint.
    pub async fn mi_token(&self, resource: &str) -> String {
        let r = self
            .http
            .get(&self.env.identity_endpoint)
            .query(&[("api-version", "2019-08-01"), ("resource", resource)])
            .header("X-IDENTITY-HEADER", &self.env.identity_header)
            .send()
            .await
            .expect("managed-identity token request");
        assert_eq!(r.status(), 200);
        let v: Value = r.json().await.expect("token JSON");
        v["access_token"].as_str().unwrap().to_string()
    }

    /// The managed identity's ARM token (fetched once, when the emulator starts).
    pub async fn token(&self) -> &str {
        self.mi_token
            .get_or_init(|| self.mi_token("https://management.core.windows.net/"))
            .await
    }

    /// The service principal's ARM token (client credentials; fetched once, on first use).
    pub async fn sp_token(&self) -> &str {
        self.sp_token
            .get_or_init(|| async {
                let url = format!(
                    "{}/{}/oauth2/v2.0/token",
                    self.env.authority.trim_end_matches('/'),
                    self.env.tenant_id
                );
                let response: Value = self
                    .http
                    .post(url)
                    .form(&[
                        ("grant_type", "client_credentials"),
                        ("client_id", self.env.client_id.as_str()),
                        ("client_secret", self.env.client_secret.as_str()),
                        ("scope", "https://management.core.windows.net//.default"),
                    ])
                    .send()
                    .await
                    .expect("token request")
                    .json()
                    .await
                    .expect("token JSON");
                response["access_token"]
                    .as_str()
                    .unwrap_or_else(|| panic!("no access token: {response}"))
                    .to_owned()
            })
            .await
    }

    /// A management call as the managed identity; `api-version=2025-04-01` is appended
    /// unless the path already has a query.
    pub async fn arm(&self, method: &str, path: &str, body: Option<Value>) -> Resp {
        let token = self.token().await.to_owned();
        self.arm_as(method, path, body, Some(&token)).await
    }

    /// A management call as the service principal (the identity of the CLI under test).
    pub async fn arm_sp(&self, method: &str, path: &str, body: Option<Value>) -> Resp {
        let token = self.sp_token().await.to_owned();
        self.arm_as(method, path, body, Some(&token)).await
    }

    /// A management call with `token` as the bearer (none when `None`).
    pub async fn arm_as(
        &self,
        method_name: &str,
        path: &str,
        body: Option<Value>,
        token: Option<&str>,
    ) -> Resp {
        let mut req = self
            .http
            .request(method(method_name), versioned(self, path));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        if let Some(b) = body {
            req = req.json(&b);
        }
        Resp::read(req.send().await.expect("management request")).await
    }

    /// A management call as the managed identity that may fail at the transport (a `reset`
    /// fault): `Err` carries the client's error text.
    pub async fn try_arm(
        &self,
        method_name: &str,
        path: &str,
        body: Option<Value>,
    ) -> Result<Resp, String> {
        let token = self.token().await.to_owned();
        let mut req = self
            .http
            .request(method(method_name), versioned(self, path))
            .bearer_auth(token);
        if let Some(b) = body {
            req = req.json(&b);
        }
        match req.send().await {
            Ok(r) => Ok(Resp::read(r).await),
            Err(e) => Err(format!("{e:?}")),
        }
    }

    /// A management call with a raw body of `content_type`, as the managed identity.
    pub async fn raw(
        &self,
        method_name: &str,
        path: &str,
        content_type: &str,
        body: &'static str,
    ) -> Resp {
        let token = self.token().await.to_owned();
        let r = self
            .http
            .request(method(method_name), versioned(self, path))
            .bearer_auth(token)
            .header("content-type", content_type)
            .body(body)
            .send()
            .await
            .expect("management request");
        Resp::read(r).await
    }

    /// `PUT` scope map `name` of `myregistry` with `actions`.
    pub async fn create_scope_map(&self, name: &str, actions: &[&str]) -> Resp {
        self.arm(
            "PUT",
            &format!("{}/scopeMaps/{name}", self.reg()),
            Some(json!({"properties": {"actions": actions}})),
        )
        .await
    }

    /// `PUT` an enabled token `name` of `myregistry` on scope map `scope_map`.
    pub async fn create_token(&self, name: &str, scope_map: &str) -> Resp {
        let body = json!({"properties": {"scopeMapId": format!("{}/scopeMaps/{scope_map}", self.reg()), "status": "enabled"}});
        self.arm("PUT", &format!("{}/tokens/{name}", self.reg()), Some(body))
            .await
    }

    /// `generateCredentials` for token `token`, with the members of `extra` in the body.
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

/// Signs arbitrary claims with the emulator's key in `dir` (for auth failure tests).
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

/// Seconds since the Unix epoch.
pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}
