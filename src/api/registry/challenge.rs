//! The one unauthenticated `GET /v2/` of a connection (D8): reachability, az's firewall and
//! connectivity texts, and the `WWW-Authenticate` challenge that decides between Basic and the
//! token server.

use reqwest::StatusCode;

use super::connectivity;
use crate::api::http;
use crate::error::{Error, Result};
use crate::io::Diag;

/// The `WWW-Authenticate` challenge of `GET /v2/`.
pub(super) enum Challenge {
    Basic,
    Bearer { realm: String, service: String },
}

/// The one unauthenticated `GET /v2/` (D8): reachability, firewall, and the challenge.
/// `not_found` is why the login server was guessed (warned about when it is unreachable);
/// `name` is the registry as typed, for az's hints.
pub(super) async fn probe(
    http: &reqwest::Client,
    diag: &Diag,
    login_server: &str,
    not_found: Option<&str>,
    name: &str,
) -> Result<Challenge> {
    let url = format!("https://{login_server}/v2/");
    let request = http.get(&url).build()?;
    http::log_request(
        diag,
        request.method(),
        request.url().as_str(),
        request.headers(),
        &[],
    );
    let response = match http.execute(request).await {
        Ok(response) => {
            http::log_response(diag, response.status(), response.headers(), &[]);
            response
        }
        Err(e) => {
            diag.debug(&format!(
                "Could not connect to registry login server. Exception: {e}"
            ));
            if let Some(not_found) = not_found {
                diag.warn(&format!(
                    "{not_found}\nUsing '{login_server}' as the default registry login server."
                ));
            }
            return Err(Error::cli(format!(
                "Could not connect to the registry login server '{login_server}'. Please verify that the registry exists and the URL '{url}' is reachable from your environment.\nTry running 'az acr check-health -n {name} --yes' to diagnose this issue."
            )));
        }
    };
    if response.status() == StatusCode::FORBIDDEN {
        // az-compat: no space before "Please refer".
        return Err(Error::cli(format!(
            "Looks like you don't have access to registry '{login_server}'. To see configured firewall rules, run 'az acr show --query networkRuleSet --name {name}'. To see if public network access is enabled, run 'az acr show --query publicNetworkAccess'.Please refer to https://aka.ms/acr/errors#connectivity_forbidden_error for more information."
        )));
    }
    let header = response
        .headers()
        .get("www-authenticate")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let (StatusCode::UNAUTHORIZED, Some(header)) = (response.status(), header) else {
        return Err(connectivity(
            "CONNECTIVITY_CHALLENGE_ERROR",
            format!("Registry '{login_server}' did not issue a challenge."),
        ));
    };
    parse_challenge(&header).ok_or_else(|| {
        connectivity("CONNECTIVITY_WWW_AUTHENTICATE_ERROR", format!("Registry '{login_server}' did not ask properly for a basic or a bearer authentication."))
    })
}

fn parse_challenge(header: &str) -> Option<Challenge> {
    let (scheme, params) = header.split_once(' ').unwrap_or((header, ""));
    if scheme.eq_ignore_ascii_case("basic") {
        return Some(Challenge::Basic);
    }
    if !scheme.eq_ignore_ascii_case("bearer") {
        return None;
    }
    let mut realm = None;
    let mut service = None;
    for part in params.split(',') {
        if let Some((k, v)) = part.trim().split_once('=') {
            let v = v.trim_matches('"').to_owned();
            match k.trim() {
                "realm" => realm = Some(v),
                "service" => service = Some(v),
                _ => {}
            }
        }
    }
    Some(Challenge::Bearer {
        realm: realm?,
        service: service?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn challenges() {
        assert!(matches!(
            parse_challenge("Basic realm=\"x\""),
            Some(Challenge::Basic)
        ));
        match parse_challenge("Bearer realm=\"https://r.io/oauth2/token\",service=\"r.io\"") {
            Some(Challenge::Bearer { realm, service }) => assert_eq!(
                (realm.as_str(), service.as_str()),
                ("https://r.io/oauth2/token", "r.io")
            ),
            _ => panic!(),
        }
        assert!(parse_challenge("Bearer service=\"x\"").is_none());
        assert!(parse_challenge("Negotiate").is_none());
    }
}
