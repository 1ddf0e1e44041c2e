//! The identity endpoints' wire error: Entra's OAuth2 error JSON (`error`,
//! `error_description` with its AADSTS code, `error_codes`, `timestamp`, `trace_id`,
//! `correlation_id`), which MSAL parses and az prints. Managed-identity endpoints answer the
//! same shape. Handlers pick the error; this type only renders it.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::emulator::{clock, store::secrets::random_uuid};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OAuthError {
    pub status: StatusCode,
    pub error: &'static str,
    pub code: u32,
    pub description: String,
}

impl OAuthError {
    pub fn new(
        status: StatusCode,
        error: &'static str,
        code: u32,
        description: impl Into<String>,
    ) -> Self {
        OAuthError {
            status,
            error,
            code,
            description: description.into(),
        }
    }

    pub fn invalid_request(code: u32, description: impl Into<String>) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            code,
            description,
        )
    }
}

impl IntoResponse for OAuthError {
    fn into_response(self) -> Response {
        let trace = random_uuid();
        let corr = random_uuid();
        let ts = clock::format(clock::now());
        let body = json!({
            "error": self.error,
            "error_description": format!(
                "AADSTS{}: {} Trace ID: {trace} Correlation ID: {corr} Timestamp: {ts}",
                self.code, self.description
            ),
            "error_codes": [self.code],
            "timestamp": ts,
            "trace_id": trace,
            "correlation_id": corr,
        });
        (self.status, axum::Json(body)).into_response()
    }
}
