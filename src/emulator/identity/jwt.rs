//! The emulator's token authority: ES256 JWTs signed with the key in the data dir, carrying
//! the Entra claims clients and the management API read (`tid`, `oid`, `aud`, `iss`, `iat`,
//! `nbf`, `exp`, `appid`, and `xms_mirid` for the managed identity). It signs and verifies
//! signatures and expiry; which audiences and tenants a caller accepts is the caller's rule
//! (management `auth.rs`, later the data plane's `/oauth2/exchange`).

use std::collections::HashSet;

use anyhow::{Context, Result};
use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::signature::{ECDSA_P256_SHA256_FIXED_SIGNING, EcdsaKeyPair};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::{Algorithm, DecodingKey, Header, Validation, errors::ErrorKind};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

/// Lifetime of issued access tokens (Entra's usual hour, less a second as Entra reports it).
pub const ACCESS_TOKEN_SECONDS: i64 = 3599;
/// The audience of workload-identity client assertions.
pub const FEDERATED_AUDIENCE: &str = "api://AzureADTokenExchange";

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct Claims {
    pub aud: String,
    pub iss: String,
    pub iat: i64,
    pub nbf: i64,
    pub exp: i64,
    #[serde(default)]
    pub tid: String,
    #[serde(default)]
    pub oid: String,
    #[serde(default)]
    pub sub: String,
    #[serde(default)]
    pub appid: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub idtyp: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub xms_mirid: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ver: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uti: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VerifyError {
    /// Not a JWT, or claims of the wrong shape.
    Malformed,
    /// Not signed by this emulator's key.
    BadSignature,
    /// Signature fine, `exp` in the past (the expiry, epoch seconds).
    Expired(i64),
    /// `nbf` in the future.
    NotYetValid,
}

pub struct Keys {
    /// The key pair, parsed once: `jsonwebtoken::encode` parses the PKCS#8 key again at every
    /// call (an EC scalar multiplication, most of a token grant's cost).
    signer: EcdsaKeyPair,
    /// The base64url JWS header (`typ`, `alg` ES256, `kid`), the same for every token.
    encoded_header: String,
    decoding: DecodingKey,
    kid: String,
    x: String,
    y: String,
}

impl Keys {
    /// Loads a P-256 PKCS#8 private key (as rcgen writes it).
    pub fn from_pem(pem: &[u8]) -> Result<Keys> {
        let text = std::str::from_utf8(pem).context("signing key is not PEM text")?;
        let pair = rcgen::KeyPair::from_pem(text).context("parsing the signing key")?;
        let raw = pair.public_key_raw();
        // Uncompressed SEC1 point: 0x04 || X (32) || Y (32).
        let (Some(4), Some(x), Some(y)) = (raw.first().copied(), raw.get(1..33), raw.get(33..65))
        else {
            anyhow::bail!("the signing key must be an EC P-256 key");
        };
        anyhow::ensure!(raw.len() == 65, "the signing key must be an EC P-256 key");
        let signer =
            EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, &pair.serialize_der())
                .map_err(|e| anyhow::anyhow!("loading the signing key: {e}"))?;
        let decoding = DecodingKey::from_ec_pem(pair.public_key_pem().as_bytes())
            .context("loading the verification key")?;
        use sha2::Digest;
        let digest = sha2::Sha256::digest(raw);
        let kid = URL_SAFE_NO_PAD.encode(digest.get(..16).unwrap_or_default());
        let mut header = Header::new(Algorithm::ES256);
        header.kid = Some(kid.clone());
        let encoded_header =
            URL_SAFE_NO_PAD.encode(serde_json::to_vec(&header).context("encoding the JWS header")?);
        Ok(Keys {
            signer,
            encoded_header,
            decoding,
            kid,
            x: URL_SAFE_NO_PAD.encode(x),
            y: URL_SAFE_NO_PAD.encode(y),
        })
    }

    pub fn sign(&self, claims: &Claims) -> String {
        self.sign_json(claims)
    }

    /// Checks the signature, `exp` and `nbf` (60 s leeway); audience and tenant are the
    /// caller's business.
    pub fn verify(&self, token: &str) -> Result<Claims, VerifyError> {
        let c: Claims = self.decode(token)?;
        let now = time::OffsetDateTime::now_utc().unix_timestamp();
        check_times(c.exp, c.nbf, now)?;
        Ok(c)
    }

    /// Signs any claims object with the same key (the data plane's ACR refresh and access
    /// tokens, whose claims differ from Entra's).
    pub fn sign_json<T: Serialize>(&self, claims: &T) -> String {
        // Serialising claims built here (strings, numbers, arrays) and signing with a loaded,
        // valid key cannot fail.
        let claims = serde_json::to_vec(claims).expect("serialising JWT claims");
        // header . claims (4/3 in base64) . signature (64 bytes, 86 in base64)
        let capacity = claims
            .len()
            .saturating_mul(2)
            .saturating_add(self.encoded_header.len())
            .saturating_add(90);
        let mut jwt = String::with_capacity(capacity);
        jwt.push_str(&self.encoded_header);
        jwt.push('.');
        URL_SAFE_NO_PAD.encode_string(&claims, &mut jwt);
        let signature = self
            .signer
            .sign(&SystemRandom::new(), jwt.as_bytes())
            .expect("signing a JWT");
        jwt.push('.');
        URL_SAFE_NO_PAD.encode_string(signature.as_ref(), &mut jwt);
        jwt
    }

    /// Like [`Keys::verify`] (signature, `exp` and `nbf` with 60 s leeway) for any claims
    /// shape; the claims come back as JSON for the caller to check.
    pub fn verify_json(&self, token: &str) -> Result<Value, VerifyError> {
        let claims: Value = self.decode(token)?;
        let now = time::OffsetDateTime::now_utc().unix_timestamp();
        let claim = |k: &str| claims.get(k).and_then(Value::as_i64);
        let (Some(exp), Some(nbf)) = (claim("exp"), claim("nbf")) else {
            return Err(VerifyError::Malformed);
        };
        check_times(exp, nbf, now)?;
        Ok(claims)
    }

    /// The claims of an ES256 token whose signature is ours; the times are checked by the
    /// callers (with their leeway).
    fn decode<T: DeserializeOwned>(&self, token: &str) -> Result<T, VerifyError> {
        let header = jsonwebtoken::decode_header(token).map_err(|_| VerifyError::Malformed)?;
        if header.alg != Algorithm::ES256 {
            return Err(VerifyError::BadSignature);
        }
        let mut v = Validation::new(Algorithm::ES256);
        v.validate_exp = false;
        v.validate_nbf = false;
        v.validate_aud = false;
        v.required_spec_claims = HashSet::new();
        let data =
            jsonwebtoken::decode::<T>(token, &self.decoding, &v).map_err(|e| match e.kind() {
                ErrorKind::InvalidSignature
                | ErrorKind::InvalidAlgorithm
                | ErrorKind::InvalidEcdsaKey => VerifyError::BadSignature,
                _ => VerifyError::Malformed,
            })?;
        Ok(data.claims)
    }

    /// The JWKS document (`{"keys":[…]}`) publishing the verification key.
    pub fn jwks(&self) -> Value {
        json!({"keys": [{"kty": "EC", "use": "sig", "crv": "P-256", "alg": "ES256", "kid": self.kid, "x": self.x, "y": self.y}]})
    }
}

/// Decodes the claims of a JWT without checking anything (for error messages only).
pub fn peek_claims(token: &str) -> Option<Value> {
    let payload = token.split('.').nth(1)?;
    let bytes = URL_SAFE_NO_PAD.decode(payload.trim_end_matches('=')).ok()?;
    serde_json::from_slice(&bytes).ok()
}

/// `exp` and `nbf` with 60 s of leeway; a token's times are the signer's data, but saturating
/// arithmetic keeps `i64::MAX` from overflowing.
pub(crate) fn check_times(exp: i64, nbf: i64, now: i64) -> Result<(), VerifyError> {
    if exp.saturating_add(60) < now {
        return Err(VerifyError::Expired(exp));
    }
    if nbf.saturating_sub(60) > now {
        return Err(VerifyError::NotYetValid);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys() -> Keys {
        Keys::from_pem(
            rcgen::KeyPair::generate()
                .unwrap()
                .serialize_pem()
                .as_bytes(),
        )
        .unwrap()
    }

    fn claims(exp_in: i64) -> Claims {
        let now = time::OffsetDateTime::now_utc().unix_timestamp();
        Claims {
            aud: "https://management.azure.com/".into(),
            iss: "https://x/tenant/v2.0".into(),
            iat: now,
            nbf: now,
            exp: now + exp_in,
            tid: "t".into(),
            oid: "o".into(),
            sub: "o".into(),
            appid: "a".into(),
            idtyp: None,
            xms_mirid: None,
            ver: None,
            uti: None,
        }
    }

    #[test]
    fn round_trips_and_rejects_foreign_keys_and_expiry() {
        let k = keys();
        let t = k.sign(&claims(3600));
        assert_eq!(k.verify(&t).unwrap().tid, "t");
        assert_eq!(keys().verify(&t), Err(VerifyError::BadSignature));
        assert!(matches!(
            k.verify(&k.sign(&claims(-3600))),
            Err(VerifyError::Expired(_))
        ));
        assert_eq!(k.verify("not a token"), Err(VerifyError::Malformed));
        assert_eq!(
            peek_claims(&t).unwrap()["aud"],
            "https://management.azure.com/"
        );
        assert_eq!(k.jwks()["keys"][0]["crv"], "P-256");
    }
}
