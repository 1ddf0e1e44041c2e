//! `acr token create|update|delete|show|list` against the emulator: request bodies and
//! sequences (§6, §12), output shapes (§6.6), every validation and its order (§6.1), and the
//! deliberate differences D1, D2, D4, D7, D10 and D12. Shared assertions live here.

use serde_json::Value;

use crate::support::Emu;

mod additions;
mod create;
mod fleet;
mod manage;
mod rotate;

pub const TOKEN_KEYS: [&str; 10] = [
    "creationDate",
    "credentials",
    "id",
    "name",
    "provisioningState",
    "resourceGroup",
    "scopeMapId",
    "status",
    "systemData",
    "type",
];

pub fn keys(v: &Value) -> Vec<&str> {
    v.as_object()
        .unwrap_or_else(|| panic!("not an object: {v}"))
        .keys()
        .map(String::as_str)
        .collect()
}

pub fn hint(emu: &Emu, token: &str) -> String {
    // differs from az (D12): az prints password1 in this hint.
    format!(
        "WARNING: Please store your generated credentials safely. Meanwhile you can use it through \"docker login {} -u {token} --password-stdin\".\n",
        emu.login_server()
    )
}

/// Asserts the generated-password shape of `token create` and that no secret reached stderr.
#[track_caller]
pub fn assert_generated(token: &Value, name: &str, stderr: &str) {
    assert_eq!(keys(token), TOKEN_KEYS);
    let credentials = &token["credentials"];
    // az-compat: credentials is replaced wholesale by the generate result (no certificates).
    assert_eq!(keys(credentials), ["passwords", "username"]);
    assert_eq!(credentials["username"], name);
    let passwords = credentials["passwords"].as_array().unwrap();
    let names: Vec<&str> = passwords
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["password1", "password2"]);
    for p in passwords {
        assert_eq!(keys(p), ["creationTime", "expiry", "name", "value"]);
        let value = p["value"].as_str().unwrap();
        assert_eq!(value.len(), 52, "ACR password shape: {value}");
        assert!(!stderr.contains(value), "a password reached stderr");
    }
}

/// Parses the `expiry` of a generate request (`…T…[.ffffff]Z`) and checks it is `days` from
/// now, to the minute.
#[track_caller]
pub fn assert_days_from_now(expiry: &str, days: i64) {
    let format = time::format_description::well_known::Rfc3339;
    let at =
        time::OffsetDateTime::parse(expiry, &format).unwrap_or_else(|e| panic!("{expiry}: {e}"));
    assert!(expiry.ends_with('Z'), "{expiry}");
    let fraction = expiry[19..expiry.len() - 1].to_owned();
    assert!(
        fraction.is_empty() || fraction.len() == 7,
        "microseconds or nothing: {expiry}"
    );
    let expected = time::OffsetDateTime::now_utc() + time::Duration::days(days);
    assert!(
        (expected - at).whole_seconds().abs() < 120,
        "{expiry} is not {days} days from now"
    );
}
