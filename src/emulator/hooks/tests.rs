//! Unit tests of the hooks: redaction of logged bodies and queries, fault matching.

use super::observe::{logged_body, logged_query, redact};
use super::*;

#[test]
fn redacts_secret_keys_at_any_depth() {
    let mut v = json!({"passwords": [{"name": "password1", "value": "s3cret"}], "client_secret": "x", "n": null, "value": null});
    redact(&mut v);
    assert_eq!(v["passwords"][0]["value"], "REDACTED");
    assert_eq!(v["passwords"][0]["name"], "password1");
    assert_eq!(v["client_secret"], "REDACTED");
    assert!(v["value"].is_null());
}

#[test]
fn form_bodies_are_parsed_and_redacted() {
    let v = logged_body(
        Some("application/x-www-form-urlencoded"),
        b"grant_type=client_credentials&client_secret=abc",
    );
    assert_eq!(v["grant_type"], "client_credentials");
    assert_eq!(v["client_secret"], "REDACTED");
    assert_eq!(
        logged_body(Some("application/json"), b"password=oops"),
        json!({"unparsedBytes": 13})
    );
}

#[test]
fn secret_query_parameters_are_masked() {
    assert_eq!(
        logged_query("api-version=2025-04-01"),
        "api-version=2025-04-01"
    );
    assert_eq!(logged_query("secret=abc&x=1"), "secret=REDACTED&x=1");
    assert_eq!(logged_query(""), "");
}

#[test]
fn faults_match_method_and_path_and_count_down() {
    let h = Hooks::new(true);
    h.faults.lock().unwrap().push(FaultSpec {
        method: Some("put".into()),
        path_contains: "/tokens/".into(),
        status: 429,
        retry_after: Some(1),
        count: 2,
        body: None,
        reset: false,
    });
    assert!(h.take_fault(&Method::GET, "/x/tokens/t").is_none());
    assert!(h.take_fault(&Method::PUT, "/x/TOKENS/t").is_some());
    assert!(h.take_fault(&Method::PUT, "/x/tokens/t").is_some());
    assert!(h.take_fault(&Method::PUT, "/x/tokens/t").is_none());
}
