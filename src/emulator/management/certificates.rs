//! Token certificates: what the service derives from `encodedPemCertificate` (base64 of the
//! PEM text): the thumbprint (lower-case hex SHA-1 of the DER, as in the swagger examples) and
//! the expiry (the certificate's notAfter). A minimal DER walk reaches the validity; no other
//! field is interpreted. Pure functions.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use time::{Date, Month, OffsetDateTime, PrimitiveDateTime, Time};

/// Thumbprint and notAfter of a certificate given as base64(PEM).
pub fn inspect(encoded_pem: &str) -> Result<(String, OffsetDateTime), String> {
    let pem = STANDARD
        .decode(encoded_pem.trim())
        .map_err(|_| "it is not valid base64".to_string())?;
    let pem = String::from_utf8(pem).map_err(|_| "it does not decode to PEM text".to_string())?;
    let body = pem
        .split("-----BEGIN CERTIFICATE-----")
        .nth(1)
        .and_then(|rest| rest.split("-----END CERTIFICATE-----").next())
        .ok_or_else(|| "it does not decode to a PEM certificate".to_string())?;
    let b64: String = body.chars().filter(|c| !c.is_whitespace()).collect();
    let der = STANDARD
        .decode(b64)
        .map_err(|_| "the PEM body is not valid base64".to_string())?;
    let not_after =
        not_after(&der).ok_or_else(|| "the certificate could not be parsed".to_string())?;
    let digest = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA1_FOR_LEGACY_USE_ONLY, &der);
    Ok((
        crate::emulator::store::secrets::hex(digest.as_ref()),
        not_after,
    ))
}

/// One DER TLV: (tag, content, rest).
fn tlv(b: &[u8]) -> Option<(u8, &[u8], &[u8])> {
    let tag = *b.first()?;
    let first = *b.get(1)? as usize;
    let (len, head) = if first < 0x80 {
        (first, 2)
    } else {
        let n = first & 0x7f;
        if n == 0 || n > 4 {
            return None;
        }
        // At most four length bytes: the value fits in a u32, hence in usize.
        let bytes = b.get(2..n.checked_add(2)?)?;
        let len = bytes
            .iter()
            .fold(0u32, |len, &byte| len.wrapping_shl(8) | u32::from(byte));
        (usize::try_from(len).ok()?, n.checked_add(2)?)
    };
    let end = head.checked_add(len)?;
    Some((tag, b.get(head..end)?, b.get(end..)?))
}

fn not_after(der: &[u8]) -> Option<OffsetDateTime> {
    let (_, cert, _) = tlv(der)?; // Certificate SEQUENCE
    let (_, tbs, _) = tlv(cert)?; // TBSCertificate SEQUENCE
    let mut rest = tbs;
    let (tag, _, r) = tlv(rest)?;
    if tag == 0xa0 {
        rest = r; // [0] version
    }
    for _ in 0..3 {
        rest = tlv(rest)?.2; // serialNumber, signature, issuer
    }
    let (_, validity, _) = tlv(rest)?;
    let (_, _, after_before) = tlv(validity)?;
    let (tag, t, _) = tlv(after_before)?;
    parse_time(tag, std::str::from_utf8(t).ok()?)
}

/// UTCTime `YYMMDDHHMMSSZ` or GeneralizedTime `YYYYMMDDHHMMSSZ`. Only ASCII digits are
/// accepted before any field is cut out, so a crafted time string cannot slice inside a
/// character (finding 5).
fn parse_time(tag: u8, s: &str) -> Option<OffsetDateTime> {
    let s = s.strip_suffix('Z')?;
    if !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let field = |from: usize, to: usize| -> Option<u16> { s.get(from..to)?.parse().ok() };
    let (year, rest) = match (tag, s.len()) {
        (0x17, 12) => {
            let yy = i32::from(field(0, 2)?);
            let century: i32 = if yy >= 50 { 1900 } else { 2000 };
            (century.checked_add(yy)?, s.get(2..)?)
        }
        (0x18, 14) => (i32::from(field(0, 4)?), s.get(4..)?),
        _ => return None,
    };
    let n = |i: usize| -> Option<u8> { rest.get(i..i.checked_add(2)?)?.parse().ok() };
    let date = Date::from_calendar_date(year, Month::try_from(n(0)?).ok()?, n(2)?).ok()?;
    let time = Time::from_hms(n(4)?, n(6)?, n(8)?).ok()?;
    Some(PrimitiveDateTime::new(date, time).assume_utc())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thumbprint_and_expiry_of_the_swagger_example() {
        let root = env!("CARGO_MANIFEST_DIR");
        let v: serde_json::Value = serde_json::from_slice(
            &std::fs::read(format!(
                "{root}/tests/data/azure-specs/mgmt-2025-04-01/examples/TokenCreate.json"
            ))
            .unwrap(),
        )
        .unwrap();
        let pem =
            v["parameters"]["tokenCreateParameters"]["properties"]["credentials"]["certificates"]
                [0]["encodedPemCertificate"]
                .as_str()
                .unwrap();
        let (thumb, exp) = inspect(pem).unwrap();
        assert_eq!(thumb, "feeb79a888bf1415f8e17c4965a2a5bb5c8a2ff7");
        assert_eq!(
            crate::emulator::clock::format_expiry(exp),
            "2020-04-12T22:32:48+00:00"
        );
        assert!(inspect("bm90IGEgY2VydA==").is_err());
        assert!(inspect("%%%").is_err());
    }

    /// Finding 5: byte slicing of the time string panicked inside a multi-byte character.
    #[test]
    fn crafted_time_strings_are_errors() {
        for (tag, t) in [
            (0x17, "1é010100000Z"),
            (0x17, "é0101000000Z"),
            (0x18, "20é0101000000Z"),
            (0x18, "2020010100é00Z"),
            (0x17, "+10101000000Z"),
            (0x17, "99999999999Z"),
            (0x18, ""),
            (0x17, "Z"),
        ] {
            assert_eq!(parse_time(tag, t), None, "{t}");
        }
        assert!(parse_time(0x17, "200412223248Z").is_some());
        assert!(parse_time(0x18, "20200412223248Z").is_some());
        assert_eq!(tlv(&[0x30, 0x84, 0xff, 0xff, 0xff, 0xff]), None);
        assert_eq!(tlv(&[0x30, 0x85, 0, 0, 0, 0, 1]), None);
    }
}
