//! Mutual TLS between Terraform and this plugin, as go-plugin's "automatic
//! mTLS" expects: Terraform hands us its client certificate in
//! `PLUGIN_CLIENT_CERT`, we make a fresh server certificate and print it in the
//! handshake line, and each side trusts exactly the other's certificate.
//!
//! Terraform's certificate is a self-signed P-521 CA certificate used as an
//! end entity. Stock WebPKI path building rejects that, so the verifier here
//! does what go-plugin's does: the presented certificate must be byte-for-byte
//! the one Terraform gave us, and the TLS handshake signature must verify with
//! its key (aws-lc-rs, because `ring` cannot verify P-521). Anything else is
//! refused during the handshake, before a single RPC is read.

use std::fmt;
use std::sync::Arc;

use rustls::client::danger::HandshakeSignatureValid;
use rustls::crypto::{aws_lc_rs, CryptoProvider, WebPkiSupportedAlgorithms};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, UnixTime};
use rustls::server::danger::{ClientCertVerified, ClientCertVerifier};
use rustls::{
    DigitallySignedStruct, DistinguishedName, Error as TlsError, ServerConfig, SignatureScheme,
};

/// Why mutual TLS could not be set up.
#[derive(Debug)]
pub enum TlsSetupError {
    /// `PLUGIN_CLIENT_CERT` held no PEM certificate.
    BadClientCertificate(String),
    /// We could not make our own certificate.
    ServerCertificate(String),
    /// rustls refused the configuration.
    Config(TlsError),
}

impl fmt::Display for TlsSetupError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::BadClientCertificate(why) => {
                write!(
                    f,
                    "PLUGIN_CLIENT_CERT does not hold a PEM certificate: {why}"
                )
            }
            Self::ServerCertificate(why) => {
                write!(f, "cannot make the plugin's certificate: {why}")
            }
            Self::Config(e) => write!(f, "cannot configure TLS: {e}"),
        }
    }
}

impl std::error::Error for TlsSetupError {}

/// Our side of the TLS setup: the server configuration and our certificate,
/// which the handshake line announces to Terraform.
pub(crate) struct PluginTls {
    pub config: Arc<ServerConfig>,
    pub server_cert_der: CertificateDer<'static>,
}

/// Builds a server configuration that accepts only `client_cert_pem`.
pub(crate) fn plugin_tls(client_cert_pem: &str) -> Result<PluginTls, TlsSetupError> {
    let client_cert = CertificateDer::from_pem_slice(client_cert_pem.as_bytes())
        .map_err(|e| TlsSetupError::BadClientCertificate(e.to_string()))?;
    let (server_cert_der, key) = server_certificate()?;
    let provider = Arc::new(aws_lc_rs::default_provider());
    let verifier = Arc::new(ExactClientCert::new(client_cert, &provider));
    let mut config = ServerConfig::builder_with_provider(provider)
        .with_protocol_versions(&[&rustls::version::TLS13, &rustls::version::TLS12])
        .map_err(TlsSetupError::Config)?
        .with_client_cert_verifier(verifier)
        .with_single_cert(vec![server_cert_der.clone()], key)
        .map_err(TlsSetupError::Config)?;
    // gRPC clients (grpc-go since 1.67) insist that the server selects h2 by ALPN.
    config.alpn_protocols = vec![b"h2".to_vec()];
    Ok(PluginTls {
        config: Arc::new(config),
        server_cert_der,
    })
}

/// A fresh self-signed certificate for `localhost`, shaped like go-plugin's
/// (Terraform verifies our certificate as its own root, for server name
/// `localhost`). P-256 rather than go-plugin's P-521: as safe here and much
/// quicker to generate at every start.
fn server_certificate() -> Result<(CertificateDer<'static>, PrivateKeyDer<'static>), TlsSetupError>
{
    use rcgen::{
        BasicConstraints, CertificateParams, DistinguishedName as Dn, DnType,
        ExtendedKeyUsagePurpose, IsCa, KeyPair, KeyUsagePurpose, PKCS_ECDSA_P256_SHA256,
    };
    let fail = |e: rcgen::Error| TlsSetupError::ServerCertificate(e.to_string());
    let key = KeyPair::generate_for(&PKCS_ECDSA_P256_SHA256).map_err(fail)?;
    let mut params = CertificateParams::new(vec!["localhost".to_string()]).map_err(fail)?;
    let mut dn = Dn::new();
    dn.push(DnType::OrganizationName, "HashiCorp");
    dn.push(DnType::CommonName, "localhost");
    params.distinguished_name = dn;
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.key_usages = vec![
        KeyUsagePurpose::DigitalSignature,
        KeyUsagePurpose::KeyEncipherment,
        KeyUsagePurpose::KeyCertSign,
    ];
    params.extended_key_usages = vec![
        ExtendedKeyUsagePurpose::ServerAuth,
        ExtendedKeyUsagePurpose::ClientAuth,
    ];
    let now = time::OffsetDateTime::now_utc();
    // A little slack for clock skew; the certificate lives only as long as this process.
    params.not_before = now - time::Duration::seconds(30);
    params.not_after = now + time::Duration::days(365);
    let cert = params.self_signed(&key).map_err(fail)?;
    let key_der = PrivateKeyDer::try_from(key.serialize_der())
        .map_err(|e| TlsSetupError::ServerCertificate(e.to_string()))?;
    Ok((cert.der().clone(), key_der))
}

/// Accepts exactly one client certificate, and checks that the peer holds its key.
#[derive(Debug)]
struct ExactClientCert {
    expected: CertificateDer<'static>,
    algorithms: WebPkiSupportedAlgorithms,
}

impl ExactClientCert {
    fn new(expected: CertificateDer<'static>, provider: &CryptoProvider) -> Self {
        Self {
            expected,
            algorithms: provider.signature_verification_algorithms,
        }
    }
}

impl ClientCertVerifier for ExactClientCert {
    fn root_hint_subjects(&self) -> &[DistinguishedName] {
        &[]
    }

    fn client_auth_mandatory(&self) -> bool {
        true
    }

    fn verify_client_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _now: UnixTime,
    ) -> Result<ClientCertVerified, TlsError> {
        if end_entity.as_ref() == self.expected.as_ref() {
            Ok(ClientCertVerified::assertion())
        } else {
            Err(TlsError::InvalidCertificate(
                rustls::CertificateError::ApplicationVerificationFailure,
            ))
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, TlsError> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, TlsError> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.algorithms.supported_schemes()
    }
}
