//! A small HTTPS server of our own on `127.0.0.1:0`, serving a directory as
//! it is, for the tests that have real `terraform` install the provider the
//! way teams do: from a registry (the provider registry protocol is a few
//! JSON documents and the release files) and from a network mirror (the
//! layout `terraform providers mirror` writes). The test writes the files;
//! the server (a [`FakeWriter`] over TLS, scripted to read them) only serves
//! them, and records what was asked.
//!
//! Its certificate is for `localhost`, issued by a throwaway CA ([`TestCa`])
//! that Terraform trusts through `SSL_CERT_FILE` (Go reads it on Linux), so
//! Terraform checks TLS exactly as it does against a real registry. Nothing
//! leaves loopback.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use rustls::pki_types::{CertificateDer, PrivateKeyDer};

use super::fake_writer::{Body, FakeWriter, Reply};

/// A throwaway certificate authority, and a `localhost` certificate it issued.
pub struct TestCa {
    /// The CA certificate, PEM, for `SSL_CERT_FILE`.
    pub ca_file: PathBuf,
    config: Arc<rustls::ServerConfig>,
    _dir: tempfile::TempDir,
}

impl TestCa {
    pub fn new() -> Self {
        use rcgen::{
            BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair, KeyUsagePurpose,
        };
        let ca_key = KeyPair::generate().expect("CA key");
        let mut ca = CertificateParams::new(Vec::<String>::new()).expect("CA params");
        ca.distinguished_name
            .push(DnType::CommonName, "Throwaway Test CA (not real)");
        ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        ca.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
        let ca_cert = ca.self_signed(&ca_key).expect("CA certificate");
        let issuer = Issuer::new(ca, ca_key);

        let key = KeyPair::generate().expect("server key");
        let mut leaf = CertificateParams::new(vec!["localhost".to_string()]).expect("params");
        leaf.distinguished_name
            .push(DnType::CommonName, "localhost");
        let cert = leaf.signed_by(&key, &issuer).expect("server certificate");

        let dir = tempfile::tempdir().expect("tempdir");
        let ca_file = dir.path().join("test-ca.pem");
        std::fs::write(&ca_file, ca_cert.pem()).expect("CA file");
        let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
        let mut config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .expect("TLS versions")
            .with_no_client_auth()
            .with_single_cert(
                vec![
                    cert.der().clone(),
                    CertificateDer::from(ca_cert.der().to_vec()),
                ],
                PrivateKeyDer::try_from(key.serialize_der()).expect("key DER"),
            )
            .expect("server TLS configuration");
        config.alpn_protocols = vec![b"http/1.1".to_vec()];
        Self {
            ca_file,
            config: Arc::new(config),
            _dir: dir,
        }
    }
}

/// A directory served over HTTPS at `https://localhost:PORT/`, until dropped.
pub struct HttpsSite {
    pub port: u16,
    server: FakeWriter,
}

impl HttpsSite {
    /// Serves the files under `root` (read at each request, so the test may
    /// change them between commands).
    pub fn start(root: &Path, ca: &TestCa) -> Self {
        let root = root.to_path_buf();
        let server = FakeWriter::start_tls(ca.config.clone(), move |request, _| {
            answer(&root, &percent_decode(&request.path))
        });
        let port = server.base.port().expect("a port");
        Self { port, server }
    }

    /// `https://localhost:PORT`.
    pub fn base_url(&self) -> String {
        format!("https://localhost:{}", self.port)
    }

    /// `localhost:PORT`, the host part of a provider source address here.
    pub fn host(&self) -> String {
        format!("localhost:{}", self.port)
    }

    /// The paths asked for so far, in order (percent-decoded).
    pub fn requested(&self) -> Vec<String> {
        self.server
            .requests()
            .iter()
            .map(|r| percent_decode(&r.path))
            .collect()
    }
}

/// The file at `path` under `root`, or 404; nothing outside `root`.
fn answer(root: &Path, path: &str) -> Reply {
    let relative = path.trim_start_matches('/');
    let file = root.join(relative);
    let inside = !relative.split('/').any(|part| part == "..");
    match std::fs::read(&file) {
        Ok(bytes) if inside && file.is_file() => Reply {
            status: 200,
            headers: vec![("content-type".into(), content_type(relative).into())],
            body: Body::Bytes(bytes),
            delay: Duration::ZERO,
        },
        _ => Reply::json(404, serde_json::json!({"errors": ["Not Found"]})),
    }
}

/// Registry and mirror documents are JSON (Terraform insists on the type for
/// service discovery); the release files are what they are.
fn content_type(path: &str) -> &'static str {
    if path.ends_with(".zip") {
        "application/zip"
    } else if path.ends_with(".sig") {
        "application/octet-stream"
    } else if path.ends_with("SHA256SUMS") {
        "text/plain; charset=utf-8"
    } else {
        "application/json"
    }
}

fn percent_decode(path: &str) -> String {
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}
