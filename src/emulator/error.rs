//! The management plane's wire error: ARM's `{"error":{"code","message"}}` envelope with its
//! HTTP status (and, for 401s, ARM's `WWW-Authenticate` challenge). Every management handler
//! returns `Result<_, ArmError>`, so a failure can only ever leave the emulator in this shape.
//! This module renders errors; it must not decide which rule was broken (handlers do that).
//! The identity endpoints use their own OAuth2 error type (`identity::OAuthError`) and the
//! data plane the OCI envelope (`registry`).

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;

/// An ARM error: status, `error.code`, `error.message`; only those two fields, because az
/// prints every extra field as an extra line (rest-api.md §12).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArmError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    /// `WWW-Authenticate` value for 401 answers.
    pub challenge: Option<String>,
    /// `Retry-After` seconds (faults injected by the test hooks).
    pub retry_after: Option<u64>,
}

impl ArmError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        ArmError {
            status,
            code,
            message: message.into(),
            challenge: None,
            retry_after: None,
        }
    }

    pub fn bad_request(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, code, message)
    }

    /// `BadRequest`: a well-formed body that breaks one of ACR's rules.
    pub fn rule(message: impl Into<String>) -> Self {
        Self::bad_request("BadRequest", message)
    }

    /// `InvalidRequestContent`: the body could not be deserialized into the API's model.
    pub fn content(detail: impl std::fmt::Display) -> Self {
        Self::bad_request(
            "InvalidRequestContent",
            format!("The request content was invalid and could not be deserialized: '{detail}'."),
        )
    }

    pub fn not_found(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, code, message)
    }

    pub fn conflict(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::CONFLICT, code, message)
    }

    /// The store failed (disk full, corrupt file, …). Never a panic, but a 500 is honest here:
    /// it is the emulator's fault, not the request's.
    pub fn internal(err: impl std::fmt::Display) -> Self {
        eprintln!("acr-emulator: internal error: {err}");
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "InternalServerError",
            "The emulator failed to process the request; see its log.",
        )
    }

    pub fn body(&self) -> serde_json::Value {
        json!({"error": {"code": self.code, "message": self.message}})
    }
}

impl std::fmt::Display for ArmError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        describe(f, &self.code, self.status, &self.message)
    }
}

/// `CODE (status): message`: how the management and the registry errors print in the log.
pub(crate) fn describe(
    f: &mut std::fmt::Formatter<'_>,
    code: &dyn std::fmt::Display,
    status: StatusCode,
    message: &dyn std::fmt::Display,
) -> std::fmt::Result {
    write!(f, "{code} ({}): {message}", status.as_u16())
}

impl std::error::Error for ArmError {}

impl IntoResponse for ArmError {
    fn into_response(self) -> Response {
        let mut resp = (self.status, axum::Json(self.body())).into_response();
        let headers = resp.headers_mut();
        if let Some(ch) = self
            .challenge
            .as_deref()
            .and_then(|c| HeaderValue::from_str(c).ok())
        {
            headers.insert(header::WWW_AUTHENTICATE, ch);
        }
        if let Some(secs) = self.retry_after {
            headers.insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        resp
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_only_code_and_message() {
        let e = ArmError::content("Unexpected end of input. Path 'properties'");
        assert_eq!(e.status, StatusCode::BAD_REQUEST);
        let body = e.body();
        let err = body["error"].as_object().unwrap();
        assert_eq!(err.len(), 2);
        assert_eq!(err["code"], "InvalidRequestContent");
        assert!(
            err["message"]
                .as_str()
                .unwrap()
                .starts_with("The request content was invalid")
        );
    }
}
