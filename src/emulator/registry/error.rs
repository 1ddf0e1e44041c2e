//! The data plane's wire error: the OCI envelope `{"errors":[{"code","message","detail"}]}`
//! with ACR's codes and texts, its status, and (for 401s) the Docker token-auth challenge.
//! Handlers return `Result<_, OciError>`; this module renders, it does not decide.

use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

/// ACR's text for every authentication and authorization failure.
pub const AUTH_MESSAGE: &str =
    "authentication required, visit https://aka.ms/acr/authorization for more information.";
/// ACR's text when a lock (`writeEnabled`, `deleteEnabled`, `readEnabled` false) forbids an operation.
pub const DISALLOWED_MESSAGE: &str = "The operation is disallowed on this registry, repository or image. View troubleshooting steps at https://aka.ms/acr/faq/#why-does-my-pull-or-push-request-fail-with-disallowed-operation";

/// An OCI error. Boxed: handlers pass it through `?` on every path, and the happy path
/// should not pay for its size.
#[derive(Debug, Clone, PartialEq)]
pub struct OciError(Box<Details>);

#[derive(Debug, Clone, PartialEq)]
pub struct Details {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    pub detail: Value,
    /// `WWW-Authenticate` of a 401.
    pub challenge: Option<String>,
    /// Extra headers (`Range` on a 416).
    pub headers: Vec<(&'static str, String)>,
    /// HEAD answers carry no body.
    pub head: bool,
}

impl std::ops::Deref for OciError {
    type Target = Details;
    fn deref(&self) -> &Details {
        &self.0
    }
}

impl std::ops::DerefMut for OciError {
    fn deref_mut(&mut self) -> &mut Details {
        &mut self.0
    }
}

impl OciError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> OciError {
        OciError(Box::new(Details {
            status,
            code,
            message: message.into(),
            detail: Value::Null,
            challenge: None,
            headers: Vec::new(),
            head: false,
        }))
    }

    pub fn with_detail(mut self, detail: Value) -> OciError {
        self.detail = detail;
        self
    }

    pub fn with_header(mut self, name: &'static str, value: String) -> OciError {
        self.headers.push((name, value));
        self
    }

    /// Renders without a body when answering `method` HEAD.
    pub fn for_method(mut self, method: &Method) -> OciError {
        self.head = method == Method::HEAD;
        self
    }

    /// 401 `UNAUTHORIZED` with a challenge; `detail` lists what was missing, as ACR does
    /// (`[{"Type","Name","Action"}]`).
    pub fn unauthorized(challenge: String, missing: &[(String, String, String)]) -> OciError {
        let detail = if missing.is_empty() {
            Value::Null
        } else {
            Value::Array(
                missing
                    .iter()
                    .map(|(t, n, a)| json!({"Type": t, "Name": n, "Action": a}))
                    .collect(),
            )
        };
        let mut e = OciError::new(StatusCode::UNAUTHORIZED, "UNAUTHORIZED", AUTH_MESSAGE)
            .with_detail(detail);
        e.challenge = Some(challenge);
        e
    }

    pub fn name_unknown(name: &str) -> OciError {
        OciError::new(
            StatusCode::NOT_FOUND,
            "NAME_UNKNOWN",
            "repository name not known to registry",
        )
        .with_detail(json!({"name": name}))
    }

    /// ACR's texts: `manifest tagged by "v1" is not found`, `manifest sha256:… is not found`.
    pub fn manifest_unknown(reference: &str) -> OciError {
        if reference.contains(':') {
            OciError::new(
                StatusCode::NOT_FOUND,
                "MANIFEST_UNKNOWN",
                format!("manifest {reference} is not found"),
            )
            .with_detail(json!({"Digest": reference}))
        } else {
            OciError::new(
                StatusCode::NOT_FOUND,
                "MANIFEST_UNKNOWN",
                format!("manifest tagged by \"{reference}\" is not found"),
            )
            .with_detail(json!({"Tag": reference}))
        }
    }

    pub fn tag_unknown(tag: &str) -> OciError {
        OciError::new(
            StatusCode::NOT_FOUND,
            "TAG_UNKNOWN",
            "the specified tag does not exist",
        )
        .with_detail(json!({"Tag": tag}))
    }

    pub fn blob_unknown(digest: &str) -> OciError {
        OciError::new(
            StatusCode::NOT_FOUND,
            "BLOB_UNKNOWN",
            "blob unknown to registry",
        )
        .with_detail(json!({"digest": digest}))
    }

    pub fn manifest_blob_unknown(digest: &str) -> OciError {
        OciError::new(
            StatusCode::BAD_REQUEST,
            "MANIFEST_BLOB_UNKNOWN",
            "blob unknown to registry",
        )
        .with_detail(json!({"digest": digest}))
    }

    pub fn upload_unknown() -> OciError {
        OciError::new(
            StatusCode::NOT_FOUND,
            "BLOB_UPLOAD_UNKNOWN",
            "blob upload unknown to registry",
        )
    }

    pub fn upload_invalid(message: impl Into<String>) -> OciError {
        OciError::new(StatusCode::BAD_REQUEST, "BLOB_UPLOAD_INVALID", message)
    }

    pub fn digest_invalid(message: impl Into<String>) -> OciError {
        OciError::new(StatusCode::BAD_REQUEST, "DIGEST_INVALID", message)
    }

    pub fn manifest_invalid(message: impl Into<String>) -> OciError {
        OciError::new(StatusCode::BAD_REQUEST, "MANIFEST_INVALID", message)
    }

    pub fn name_invalid(name: &str) -> OciError {
        OciError::new(
            StatusCode::BAD_REQUEST,
            "NAME_INVALID",
            "invalid repository name",
        )
        .with_detail(json!({"name": name}))
    }

    pub fn tag_invalid(tag: &str) -> OciError {
        OciError::new(
            StatusCode::BAD_REQUEST,
            "TAG_INVALID",
            "manifest tag did not match URI",
        )
        .with_detail(json!({"Tag": tag}))
    }

    pub fn pagination_invalid() -> OciError {
        OciError::new(
            StatusCode::BAD_REQUEST,
            "PAGINATION_NUMBER_INVALID",
            "invalid number of results requested",
        )
    }

    pub fn unsupported() -> OciError {
        OciError::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "UNSUPPORTED",
            "The operation is unsupported.",
        )
    }

    /// A lock forbids the operation: ACR answers 405 `REGISTRY_DISALLOWED_OPERATION`.
    pub fn disallowed() -> OciError {
        OciError::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "REGISTRY_DISALLOWED_OPERATION",
            DISALLOWED_MESSAGE,
        )
    }

    pub fn not_found() -> OciError {
        OciError::new(
            StatusCode::NOT_FOUND,
            "NOT_FOUND",
            "The requested resource was not found.",
        )
    }

    /// The emulator's own failure (disk, database); logged, never a secret.
    pub fn internal(err: impl std::fmt::Display) -> OciError {
        eprintln!("acr-emulator: registry internal error: {err}");
        OciError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "UNKNOWN",
            "The emulator failed to process the request; see its log.",
        )
    }

    pub fn body(&self) -> Value {
        json!({"errors": [{"code": self.code, "message": self.message, "detail": self.detail}]})
    }
}

impl std::fmt::Display for OciError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        crate::emulator::error::describe(f, &self.code, self.status, &self.message)
    }
}

impl IntoResponse for OciError {
    fn into_response(self) -> Response {
        let body = self.body();
        let this = *self.0;
        let mut resp = if this.head {
            let mut r = this.status.into_response();
            r.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json; charset=utf-8"),
            );
            r
        } else {
            (this.status, axum::Json(body)).into_response()
        };
        let h = resp.headers_mut();
        if let Some(c) = this.challenge.and_then(|c| HeaderValue::from_str(&c).ok()) {
            h.insert(header::WWW_AUTHENTICATE, c);
        }
        for (name, value) in this.headers {
            if let Ok(v) = HeaderValue::from_str(&value) {
                h.insert(name, v);
            }
        }
        resp
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unauthorized_lists_what_was_missing_like_acr() {
        let e = OciError::unauthorized(
            "Bearer realm=\"r\"".into(),
            &[(
                "repository".into(),
                "my-image".into(),
                "metadata_read".into(),
            )],
        );
        assert_eq!(
            e.body(),
            json!({"errors": [{"code": "UNAUTHORIZED", "message": AUTH_MESSAGE,
                "detail": [{"Type": "repository", "Name": "my-image", "Action": "metadata_read"}]}]})
        );
        assert_eq!(
            OciError::manifest_unknown("v1").message,
            "manifest tagged by \"v1\" is not found"
        );
    }
}
