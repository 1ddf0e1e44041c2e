//! Password material: generation from the OS CSPRNG in the format ACR uses, and the peppered
//! HMAC-SHA256 digests that are the only form in which token passwords are stored. Comparison
//! is constant-time. Nothing here logs or formats a password for display.
//!
//! Format: ACR token and admin passwords are "identifiable keys" (Microsoft Security
//! Utilities rule SEC101/176, `AzureContainerRegistryIdentifiableKey`): 52 characters of the
//! standard base64 alphabet, matching `[A-Za-z0-9+/]{42}\+ACR[A-D][A-Za-z0-9+/]{5}` (39 bytes of
//! key encoded with the signature `+ACR` at offset 42). The emulator draws the 42 + 1 + 5 free
//! characters from the OS RNG; it does not compute the service's embedded checksum, so a
//! scanner that verifies the checksum will not recognise emulator passwords.

use hmac::{KeyInit, Mac};
use rand::TryRng;
use subtle::ConstantTimeEq;

const BASE64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

pub const PASSWORD_LEN: usize = 52;

/// Fills `buf` from the operating system's RNG.
pub fn random_bytes(buf: &mut [u8]) {
    // The OS RNG failing means no secret can be made safely at all.
    rand::rngs::SysRng
        .try_fill_bytes(buf)
        .expect("the operating system's RNG failed");
}

/// A new password: 52 characters, `+ACR` at offset 42.
#[allow(
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    reason = "fixed-size buffers and indexes masked below 64 (or 4): no request data"
)]
pub fn generate_password() -> String {
    let mut raw = [0u8; 48];
    random_bytes(&mut raw);
    // 256 is a multiple of 64, so masking keeps every character equally likely.
    let mut out = String::with_capacity(PASSWORD_LEN);
    for b in &raw[..42] {
        out.push(BASE64[(b & 63) as usize] as char);
    }
    out.push_str("+ACR");
    out.push((b'A' + (raw[42] & 3)) as char);
    for b in &raw[43..48] {
        out.push(BASE64[(b & 63) as usize] as char);
    }
    out
}

/// `hex(HMAC-SHA256(pepper, password))`.
pub fn digest(pepper: &[u8], password: &str) -> String {
    let mut mac =
        hmac::Hmac::<sha2::Sha256>::new_from_slice(pepper).expect("HMAC takes any key length");
    mac.update(password.as_bytes());
    hex(&mac.finalize().into_bytes())
}

/// Constant-time comparison of a candidate password with a stored digest.
pub fn matches(pepper: &[u8], candidate: &str, stored_digest: &str) -> bool {
    let computed = digest(pepper, candidate);
    computed.as_bytes().ct_eq(stored_digest.as_bytes()).into()
}

#[allow(
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    reason = "nibbles index a 16-entry table; the capacity is twice a slice's length"
)]
pub fn hex(bytes: &[u8]) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(HEX[(b >> 4) as usize] as char);
        s.push(HEX[(b & 15) as usize] as char);
    }
    s
}

/// A random UUID-shaped identifier (tenant, subscription, object ids).
pub fn random_uuid() -> String {
    let mut b = [0u8; 16];
    random_bytes(&mut b);
    uuid::Builder::from_random_bytes(b).into_uuid().to_string()
}

/// A v4 UUID for what must be unique but is no secret (correlation ids, a JWT's `jti`): from
/// the thread's CSPRNG, without the system call per id of [`random_uuid`] (a measurable share
/// of a token grant).
pub fn unique_uuid() -> String {
    let mut buf = uuid::Uuid::encode_buffer();
    uuid::Builder::from_random_bytes(rand::random())
        .into_uuid()
        .hyphenated()
        .encode_lower(&mut buf)
        .to_string()
}

/// A random URL-safe secret (client secret, identity header).
pub fn random_secret(bytes: usize) -> String {
    use base64::Engine;
    let mut b = vec![0u8; bytes];
    random_bytes(&mut b);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn password_has_acr_shape() {
        for _ in 0..200 {
            let p = generate_password();
            assert_eq!(p.len(), PASSWORD_LEN);
            assert_eq!(&p[42..46], "+ACR");
            assert!(matches!(p.as_bytes()[46], b'A'..=b'D'));
            assert!(p.bytes().all(|c| BASE64.contains(&c)));
        }
        assert_ne!(generate_password(), generate_password());
    }

    #[test]
    fn digest_verifies_only_the_right_password() {
        let pepper = b"0123456789abcdef0123456789abcdef";
        let d = digest(pepper, "secret");
        assert_eq!(d.len(), 64);
        assert!(matches(pepper, "secret", &d));
        assert!(!matches(pepper, "secreT", &d));
        assert!(!matches(b"other pepper", "secret", &d));
    }
}
