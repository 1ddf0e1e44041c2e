//! Token certificates (`encodedPemCertificate`: base64 of a PEM, a DER walk to notAfter).
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|pem: &[u8]| {
    use std::io::Write;
    // Raw input as the DER inside a well-formed PEM, and as the field's text itself.
    let mut text = b"-----BEGIN CERTIFICATE-----\n".to_vec();
    let b64 = base64_encode(pem);
    let _ = text.write_all(b64.as_bytes());
    text.extend_from_slice(b"\n-----END CERTIFICATE-----\n");
    acr::emulator::fuzzing::certificate(&base64_encode(&text));
    if let Ok(s) = std::str::from_utf8(pem) {
        acr::emulator::fuzzing::certificate(s);
    }
});

fn base64_encode(b: &[u8]) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for c in b.chunks(3) {
        let n = c.iter().enumerate().fold(0u32, |n, (i, &x)| n | u32::from(x) << (16 - 8 * i));
        for i in 0..4 {
            if i <= c.len() {
                out.push(T[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}
