//! Server-certificate verification of acr's HTTP client: a certificate is trusted when it
//! chains to the cloud's own CA bundle (`ACR_CA_BUNDLE`, `acr cloud register --ca-bundle`) or
//! to the system's roots — the trust of reqwest's `tls_certs_merge`, which this replaces.
//!
//! The difference is when the system roots are read. rustls-platform-verifier parses them when
//! the client is built: some 150 PEM certificates, read twice (the bundle file and the hashed
//! directory) with a constant-time base64 decoder, about 16 million instructions — 70 % of a
//! whole `acr token show` against the emulator (issue 12's profile). Here the bundle is tried
//! first and the system roots are loaded once, on the first certificate it does not vouch
//! for; a command that only talks to a private-CA cloud never reads them.

use std::sync::{Arc, OnceLock};

use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{CertificateError, DigitallySignedStruct, Error, SignatureScheme};

/// The client configuration reqwest would build (TLS 1.2 and 1.3, HTTP/1.1 by ALPN, SNI),
/// verifying against `extra` first and the system roots second.
pub fn client_config(extra: Vec<CertificateDer<'static>>) -> anyhow::Result<rustls::ClientConfig> {
    let provider = CryptoProvider::get_default()
        .cloned()
        .unwrap_or_else(|| Arc::new(rustls::crypto::aws_lc_rs::default_provider()));
    let mut roots = rustls::RootCertStore::empty();
    for cert in extra {
        roots.add(cert)?;
    }
    let extra = match roots.is_empty() {
        true => None,
        false => Some(
            WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider.clone())
                .build()?,
        ),
    };
    let verifier = Layered {
        extra,
        system: OnceLock::new(),
        provider: provider.clone(),
    };
    let mut config = rustls::ClientConfig::builder_with_provider(provider)
        .with_protocol_versions(rustls::ALL_VERSIONS)?
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(verifier))
        .with_no_client_auth();
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(config)
}

#[derive(Debug)]
struct Layered {
    /// The bundle's roots; `None` without a bundle.
    extra: Option<Arc<WebPkiServerVerifier>>,
    system: OnceLock<Result<Arc<rustls_platform_verifier::Verifier>, Error>>,
    provider: Arc<CryptoProvider>,
}

impl Layered {
    /// The provider's algorithms, which check handshake signatures whichever side vouched
    /// for the certificate.
    fn algorithms(&self) -> &rustls::crypto::WebPkiSupportedAlgorithms {
        &self.provider.signature_verification_algorithms
    }

    fn system(&self) -> Result<&rustls_platform_verifier::Verifier, Error> {
        self.system
            .get_or_init(|| {
                rustls_platform_verifier::Verifier::new(self.provider.clone()).map(Arc::new)
            })
            .as_ref()
            .map(|v| v.as_ref())
            .map_err(Clone::clone)
    }
}

impl ServerCertVerifier for Layered {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, Error> {
        let bundle_error = match &self.extra {
            Some(extra) => {
                match extra.verify_server_cert(end_entity, intermediates, server_name, ocsp, now) {
                    Ok(ok) => return Ok(ok),
                    Err(e) => e,
                }
            }
            None => Error::InvalidCertificate(CertificateError::UnknownIssuer),
        };
        match self.system().and_then(|system| {
            system.verify_server_cert(end_entity, intermediates, server_name, ocsp, now)
        }) {
            Ok(ok) => Ok(ok),
            // A certificate of the bundle's CA that fails for another reason (expired, wrong
            // name) says why; one the bundle does not know gets the system's verdict.
            Err(system_error) => Err(match bundle_error {
                Error::InvalidCertificate(CertificateError::UnknownIssuer) => system_error,
                other => other,
            }),
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, self.algorithms())
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, self.algorithms())
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.algorithms().supported_schemes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rcgen::{BasicConstraints, CertificateParams, IsCa, Issuer, KeyPair};

    /// A CA named `ca_name` and a `localhost` server certificate it signed (DER).
    fn ca_and_server(ca_name: &str) -> (CertificateDer<'static>, CertificateDer<'static>) {
        let mut ca = CertificateParams::new(Vec::<String>::new()).unwrap();
        ca.distinguished_name
            .push(rcgen::DnType::CommonName, ca_name);
        ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        let ca_key = KeyPair::generate().unwrap();
        let ca_cert = ca.self_signed(&ca_key).unwrap();
        let issuer = Issuer::new(ca, ca_key);
        let server = CertificateParams::new(vec!["localhost".to_string()]).unwrap();
        let cert = server
            .signed_by(&KeyPair::generate().unwrap(), &issuer)
            .unwrap();
        (ca_cert.der().clone(), cert.der().clone())
    }

    fn layered(extra: Vec<CertificateDer<'static>>) -> Layered {
        let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
        let mut roots = rustls::RootCertStore::empty();
        for c in extra {
            roots.add(c).unwrap();
        }
        Layered {
            extra: Some(
                WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider.clone())
                    .build()
                    .unwrap(),
            ),
            system: OnceLock::new(),
            provider,
        }
    }

    fn verify(v: &Layered, cert: &CertificateDer<'_>, name: &str) -> Result<(), Error> {
        let name = ServerName::try_from(name.to_string()).unwrap();
        v.verify_server_cert(cert, &[], &name, &[], UnixTime::now())
            .map(|_| ())
    }

    #[test]
    fn the_bundle_is_enough_without_reading_the_system_roots() {
        let (ca, server) = ca_and_server("bundle CA");
        let v = layered(vec![ca]);
        verify(&v, &server, "localhost").unwrap();
        assert!(v.system.get().is_none(), "the system roots were loaded");
    }

    #[test]
    fn a_certificate_the_bundle_does_not_know_gets_the_systems_verdict() {
        let (ca, _) = ca_and_server("bundle CA");
        let (_, stranger) = ca_and_server("another CA");
        let v = layered(vec![ca]);
        let err = verify(&v, &stranger, "localhost").unwrap_err();
        assert_eq!(
            err,
            Error::InvalidCertificate(CertificateError::UnknownIssuer)
        );
        assert!(v.system.get().is_some(), "the system roots were consulted");
    }

    #[test]
    fn the_bundles_own_reason_is_kept() {
        let (ca, server) = ca_and_server("bundle CA");
        let v = layered(vec![ca]);
        let err = verify(&v, &server, "example.com").unwrap_err();
        assert!(
            matches!(
                err,
                Error::InvalidCertificate(CertificateError::NotValidForNameContext { .. })
                    | Error::InvalidCertificate(CertificateError::NotValidForName)
            ),
            "{err:?}"
        );
    }
}
