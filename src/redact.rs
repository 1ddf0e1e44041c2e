//! What counts as a secret in a JSON document or a form, for every log the project writes (the
//! CLI's `--debug` and the emulator's request log). One list, so a new secret-bearing field is
//! masked everywhere at once. Never used to change what is sent or answered.

use serde_json::Value;

/// Keys (compared case-insensitively) whose values are secrets.
const SECRET_KEYS: &[&str] = &[
    "password",
    "value",
    "client_secret",
    "clientsecret",
    "access_token",
    "accesstoken",
    "refresh_token",
    "refreshtoken",
    "client_assertion",
    "assertion",
    "token",
    "x-identity-header",
    // The console's sign-in link parameter and its forms' CSRF token and nonce.
    "secret",
    "csrf_token",
    "nonce",
];

/// Whether the JSON key or form field `key` holds a secret.
pub fn is_secret_key(key: &str) -> bool {
    SECRET_KEYS.iter().any(|s| s.eq_ignore_ascii_case(key))
}

/// Replaces, at any depth, every non-null value under a secret key by `mask`.
pub fn redact_json(value: &mut Value, mask: &str) {
    match value {
        Value::Object(map) => {
            for (key, item) in map.iter_mut() {
                if is_secret_key(key) && !item.is_null() {
                    *item = Value::String(mask.to_owned());
                } else {
                    redact_json(item, mask);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|item| redact_json(item, mask)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn masks_secret_keys_at_any_depth() {
        let mut v = json!({"passwords": [{"name": "password1", "value": "s3cret"}], "Client_Secret": "x", "expiry": null, "value": null});
        redact_json(&mut v, "*");
        assert_eq!(
            v,
            json!({"passwords": [{"name": "password1", "value": "*"}], "Client_Secret": "*", "expiry": null, "value": null})
        );
    }
}
