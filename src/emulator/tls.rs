//! The emulator's PKI: a private CA (CA:TRUE, keyCertSign) and one server certificate signed
//! by it for `127.0.0.1` and `localhost`, generated into the data dir on first start and reused
//! afterwards, so clients that trust `ca.pem` once keep trusting the emulator across restarts.
//! The same certificate serves the management port and every registry port. This module only
//! creates and loads files; binding sockets is `mod.rs`'s job.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use rcgen::{
    BasicConstraints, CertificateParams, DistinguishedName, DnType, ExtendedKeyUsagePurpose, IsCa,
    Issuer, KeyPair, KeyUsagePurpose, SanType,
};
use time::Duration;

use super::files;

pub const CA_FILE: &str = "ca.pem";
const CERT_FILE: &str = "server.pem";
const KEY_FILE: &str = "server-key.pem";

/// What the listeners need: the served chain and key, and where clients find the CA.
pub struct TlsMaterial {
    pub ca_path: PathBuf,
    pub chain_pem: Vec<u8>,
    pub key_pem: Vec<u8>,
}

/// Loads the CA and server certificate from `dir`, creating them on first use.
pub fn ensure(dir: &Path) -> Result<TlsMaterial> {
    let ca_path = dir.join(CA_FILE);
    let cert_path = dir.join(CERT_FILE);
    let key_path = dir.join(KEY_FILE);
    if !(ca_path.exists() && cert_path.exists() && key_path.exists()) {
        generate(&ca_path, &cert_path, &key_path)?;
    }
    let ca = std::fs::read(&ca_path).with_context(|| format!("reading {}", ca_path.display()))?;
    let cert =
        std::fs::read(&cert_path).with_context(|| format!("reading {}", cert_path.display()))?;
    let key_pem =
        std::fs::read(&key_path).with_context(|| format!("reading {}", key_path.display()))?;
    let mut chain_pem = cert;
    chain_pem.extend_from_slice(&ca);
    let ca_path = std::path::absolute(&ca_path).unwrap_or(ca_path);
    Ok(TlsMaterial {
        ca_path,
        chain_pem,
        key_pem,
    })
}

#[allow(
    clippy::arithmetic_side_effects,
    reason = "validity dates: now plus or minus constants, not request data"
)]
fn generate(ca_path: &Path, cert_path: &Path, key_path: &Path) -> Result<()> {
    let now = time::OffsetDateTime::now_utc();

    let mut ca_params = CertificateParams::new(Vec::<String>::new())?;
    let mut dn = DistinguishedName::new();
    dn.push(DnType::CommonName, "acr-emulator local CA");
    dn.push(DnType::OrganizationName, "acr-emulator");
    ca_params.distinguished_name = dn;
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params.key_usages = vec![
        KeyUsagePurpose::KeyCertSign,
        KeyUsagePurpose::CrlSign,
        KeyUsagePurpose::DigitalSignature,
    ];
    ca_params.not_before = now - Duration::days(1);
    ca_params.not_after = now + Duration::days(3650);
    let ca_key = KeyPair::generate()?;
    let ca_cert = ca_params.self_signed(&ca_key)?;
    let issuer = Issuer::new(ca_params, ca_key);

    let mut params = CertificateParams::new(vec!["localhost".to_string()])?;
    params
        .subject_alt_names
        .push(SanType::IpAddress(std::net::IpAddr::from([127, 0, 0, 1])));
    let mut dn = DistinguishedName::new();
    dn.push(DnType::CommonName, "localhost");
    params.distinguished_name = dn;
    params.is_ca = IsCa::ExplicitNoCa;
    params.key_usages = vec![
        KeyUsagePurpose::DigitalSignature,
        KeyUsagePurpose::KeyEncipherment,
    ];
    params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    params.use_authority_key_identifier_extension = true;
    params.not_before = now - Duration::days(1);
    params.not_after = now + Duration::days(3650);
    let key = KeyPair::generate()?;
    let cert = params.signed_by(&key, &issuer)?;

    // The key first: a crash between the writes leaves files that `ensure` regenerates.
    files::write_private(key_path, key.serialize_pem().as_bytes())?;
    files::write_atomic(cert_path, cert.pem().as_bytes())?;
    files::write_atomic(ca_path, ca_cert.pem().as_bytes())?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generates_once_and_reuses() {
        let dir = tempfile::tempdir().unwrap();
        let a = ensure(dir.path()).unwrap();
        let b = ensure(dir.path()).unwrap();
        assert_eq!(a.chain_pem, b.chain_pem);
        assert!(a.ca_path.is_absolute());
        let text = String::from_utf8(a.chain_pem).unwrap();
        assert_eq!(text.matches("BEGIN CERTIFICATE").count(), 2);
    }
}
