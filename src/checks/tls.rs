//! TLS for STARTTLS and port 465: the certificate is verified against the Mozilla roots
//! (plus any extra roots given), and the verdict is *recorded* rather than enforced, so a
//! mismatched, expired or self-signed certificate is reported as a warning with its reason
//! instead of ending the handshake with a bare error. Handshake signatures are still
//! verified, and nothing secret is ever sent over a connection whose certificate failed
//! (the AUTH test refuses to).

use std::sync::{Arc, Mutex};

use tokio_rustls::rustls::client::WebPkiServerVerifier;
use tokio_rustls::rustls::client::danger::{
    HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier,
};
use tokio_rustls::rustls::crypto::{CryptoProvider, ring};
use tokio_rustls::rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use tokio_rustls::rustls::{
    CertificateError, ClientConfig, DigitallySignedStruct, Error as TlsError, RootCertStore,
    SignatureScheme,
};

/// What the certificate check found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CertVerdict {
    /// Chains to a trusted root, valid now, valid for the host name.
    Valid,
    /// Why it is not (already worded for the agent).
    Invalid(String),
}

/// A verifier that asks webpki and keeps the answer.
#[derive(Debug)]
pub struct RecordingVerifier {
    inner: Arc<WebPkiServerVerifier>,
    verdict: Mutex<Option<CertVerdict>>,
}

impl RecordingVerifier {
    pub fn verdict(&self) -> Option<CertVerdict> {
        self.verdict.lock().ok().and_then(|v| v.clone())
    }
}

/// ring, not aws-lc-rs: ring is already in the tree and builds without cmake; a diagnostic
/// client that reads certificates has no use for post-quantum key exchange.
#[allow(deprecated)]
fn provider() -> Arc<CryptoProvider> {
    Arc::new(ring::default_provider())
}

/// A client config whose verifier records its verdict, and that verifier.
pub fn client_config(
    extra_roots: &[Vec<u8>],
) -> Result<(Arc<ClientConfig>, Arc<RecordingVerifier>), String> {
    let mut roots = RootCertStore::empty();
    roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    for der in extra_roots {
        roots
            .add(CertificateDer::from(der.clone()))
            .map_err(|e| format!("extra root certificate rejected: {e}"))?;
    }
    let inner = WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider())
        .build()
        .map_err(|e| format!("certificate verifier: {e}"))?;
    let verifier = Arc::new(RecordingVerifier {
        inner,
        verdict: Mutex::new(None),
    });
    let config = ClientConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .map_err(|e| format!("TLS configuration: {e}"))?
        .dangerous()
        .with_custom_certificate_verifier(verifier.clone())
        .with_no_client_auth();
    Ok((Arc::new(config), verifier))
}

impl ServerCertVerifier for RecordingVerifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, TlsError> {
        let verdict = match self.inner.verify_server_cert(
            end_entity,
            intermediates,
            server_name,
            ocsp_response,
            now,
        ) {
            Ok(_) => CertVerdict::Valid,
            Err(e) => CertVerdict::Invalid(describe(&e, server_name)),
        };
        if let Ok(mut slot) = self.verdict.lock() {
            *slot = Some(verdict);
        }
        // Recorded, not enforced: the caller reads the verdict and reports it.
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, TlsError> {
        self.inner.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, TlsError> {
        self.inner.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.inner.supported_verify_schemes()
    }
}

/// `DnsName("mx.example")` (how rustls prints a presented name) → `mx.example`.
fn bare_name(presented: &str) -> &str {
    match (presented.find('"'), presented.rfind('"')) {
        (Some(a), Some(b)) if b > a => &presented[a + 1..b],
        _ => presented,
    }
}

fn describe(err: &TlsError, server_name: &ServerName<'_>) -> String {
    let host = server_name.to_str();
    match err {
        TlsError::InvalidCertificate(ce) => match ce {
            CertificateError::NotValidForName => {
                format!("the certificate is not valid for {host}")
            }
            CertificateError::NotValidForNameContext { presented, .. } => {
                let names: Vec<&str> = presented.iter().take(5).map(|n| bare_name(n)).collect();
                format!(
                    "the certificate is for {}, not {host}",
                    if names.is_empty() {
                        "no name".to_string()
                    } else {
                        names.join(", ")
                    }
                )
            }
            CertificateError::Expired | CertificateError::ExpiredContext { .. } => {
                "the certificate has expired".to_string()
            }
            CertificateError::NotValidYet | CertificateError::NotValidYetContext { .. } => {
                "the certificate is not valid yet".to_string()
            }
            CertificateError::UnknownIssuer => {
                "the certificate is self-signed or from an unknown issuer".to_string()
            }
            CertificateError::Revoked => "the certificate is revoked".to_string(),
            CertificateError::BadEncoding => "the certificate cannot be read".to_string(),
            other => format!("the certificate is not trusted ({other:?})"),
        },
        other => format!("the certificate could not be checked ({other})"),
    }
}
