//! Bearer authentication of management calls, as ARM does it: the token must be one this
//! emulator signed, unexpired, for the ARM audience and for this tenant; every failure is a
//! 401 with ARM's code and a `WWW-Authenticate: Bearer authorization_uri=…` challenge. The
//! caller becomes the `Actor` recorded in `systemData`. Tokens are never logged.

use axum::http::{HeaderMap, StatusCode, header};

use crate::emulator::AppState;
use crate::emulator::clock;
use crate::emulator::error::ArmError;
use crate::emulator::identity::jwt::{VerifyError, peek_claims};
use crate::emulator::store::Actor;

/// Audiences ARM accepts (both clouds' spellings, with and without the trailing slash).
pub const ARM_AUDIENCES: &[&str] = &[
    "https://management.core.windows.net/",
    "https://management.core.windows.net",
    "https://management.azure.com/",
    "https://management.azure.com",
];

fn unauthorized(
    state: &AppState,
    code: &'static str,
    message: String,
    description: &str,
) -> ArmError {
    let mut e = ArmError::new(StatusCode::UNAUTHORIZED, code, message);
    e.challenge = Some(format!(
        "Bearer authorization_uri=\"{}/aad/{}\", error=\"invalid_token\", error_description=\"{description}\"",
        state.base_url, state.settings.tenant_id
    ));
    e
}

pub fn authenticate(state: &AppState, headers: &HeaderMap) -> Result<Actor, ArmError> {
    let Some(value) = headers.get(header::AUTHORIZATION) else {
        return Err(unauthorized(
            state,
            "AuthenticationFailed",
            "Authentication failed. The 'Authorization' header is missing.".into(),
            "The authentication failed because of missing 'Authorization' header.",
        ));
    };
    let token = value
        .to_str()
        .ok()
        .and_then(|v| v.split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, t)| t.trim())
        .filter(|t| !t.is_empty());
    let Some(token) = token else {
        return Err(unauthorized(
            state,
            "AuthenticationFailed",
            "Authentication failed. The 'Authorization' header is provided in an invalid format."
                .into(),
            "The authentication failed because of invalid 'Authorization' header format.",
        ));
    };
    let claims = state.keys.verify(token).map_err(|e| {
        // ARM's message and the challenge's description are one text, except on expiry.
        let invalid =
            |text: &str| unauthorized(state, "InvalidAuthenticationToken", text.into(), text);
        match e {
            VerifyError::Malformed => invalid("The access token is invalid."),
            VerifyError::BadSignature => invalid("The access token has invalid signature."),
            VerifyError::NotYetValid => invalid("The access token is not yet valid."),
            VerifyError::Expired(exp) => {
                let exp = time::OffsetDateTime::from_unix_timestamp(exp)
                    .map(clock::format)
                    .unwrap_or_default();
                unauthorized(
                    state,
                    "ExpiredAuthenticationToken",
                    format!(
                        "The access token expiry UTC time '{exp}' is earlier than current UTC time '{}'.",
                        clock::format(clock::now())
                    ),
                    "The access token has expired.",
                )
            }
        }
    })?;
    if !ARM_AUDIENCES.contains(&claims.aud.as_str()) {
        return Err(unauthorized(
            state,
            "InvalidAuthenticationToken",
            format!(
                "The access token has been obtained for wrong audience or resource '{}'. It should exactly match with one of the allowed audiences '{}'.",
                claims.aud,
                ARM_AUDIENCES.join("','")
            ),
            "The access token has been obtained for wrong audience or resource.",
        ));
    }
    if !claims.tid.eq_ignore_ascii_case(&state.settings.tenant_id) {
        let issuer = peek_claims(token)
            .and_then(|c| {
                c.get("iss")
                    .and_then(serde_json::Value::as_str)
                    .map(str::to_string)
            })
            .unwrap_or_default();
        return Err(unauthorized(
            state,
            "InvalidAuthenticationTokenTenant",
            format!(
                "The access token is from the wrong issuer '{issuer}'. It must match the tenant '{}/aad/{}/v2.0' associated with this subscription. Please use the authority (URL) '{}/aad/{}' to get the token.",
                state.base_url, state.settings.tenant_id, state.base_url, state.settings.tenant_id
            ),
            "The access token is from the wrong issuer.",
        ));
    }
    let actor = if claims.xms_mirid.is_some() {
        Actor {
            id: claims.oid.clone(),
            kind: "ManagedIdentity".into(),
        }
    } else {
        Actor {
            id: claims.appid.clone(),
            kind: "Application".into(),
        }
    };
    Ok(actor)
}
