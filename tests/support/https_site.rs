//! A small HTTPS server of our own on `127.0.0.1:0`, serving a directory as
//! it is, for the tests that have real `terraform` install the provider the
//! way teams do: from a registry (the provider registry protocol is a few
//! JSON documents and the release files) and from a network mirror (the
//! layout `terraform providers mirror` writes). The test writes the files;
//! the server only serves them, and records what was asked.
//!
//! Its certificate is for `localhost`, issued by a throwaway CA ([`TestCa`])
//! that Terraform trusts through `SSL_CERT_FILE` (Go reads it on Linux), so
//! Terraform checks TLS exactly as it does against a real registry. Nothing
//! leaves loopback.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use rustls::pki_types::{CertificateDer, PrivateKeyDer};

/// How long one connection may stay open: every request of a test is small.
const CONNECTION_LIMIT: Duration = Duration::from_secs(60);

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
    requested: Arc<Mutex<Vec<String>>>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl HttpsSite {
    /// Serves the files under `root` (read at each request, so the test may
    /// change them between commands).
    pub fn start(root: &Path, ca: &TestCa) -> Self {
        let std_listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        std_listener.set_nonblocking(true).expect("nonblocking");
        let port = std_listener.local_addr().expect("address").port();
        let requested = Arc::new(Mutex::new(Vec::new()));
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let acceptor = tokio_rustls::TlsAcceptor::from(ca.config.clone());
        let (root, seen) = (root.to_path_buf(), requested.clone());
        let thread = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("runtime");
            runtime.block_on(serve(std_listener, acceptor, root, seen, stopped));
        });
        Self {
            port,
            requested,
            stop: Some(stop),
            thread: Some(thread),
        }
    }

    /// `https://localhost:PORT`.
    pub fn base_url(&self) -> String {
        format!("https://localhost:{}", self.port)
    }

    /// `localhost:PORT`, the host part of a provider source address here.
    pub fn host(&self) -> String {
        format!("localhost:{}", self.port)
    }

    /// The paths asked for so far, in order.
    pub fn requested(&self) -> Vec<String> {
        self.requested.lock().unwrap().clone()
    }
}

impl Drop for HttpsSite {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

async fn serve(
    listener: std::net::TcpListener,
    acceptor: tokio_rustls::TlsAcceptor,
    root: PathBuf,
    seen: Arc<Mutex<Vec<String>>>,
    mut stopped: tokio::sync::oneshot::Receiver<()>,
) {
    let listener = tokio::net::TcpListener::from_std(listener).expect("tokio listener");
    loop {
        let stream = tokio::select! {
            _ = &mut stopped => return,
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(_) => continue,
            },
        };
        let (acceptor, root, seen) = (acceptor.clone(), root.clone(), seen.clone());
        tokio::spawn(tokio::time::timeout(CONNECTION_LIMIT, async move {
            let Ok(tls) = acceptor.accept(stream).await else {
                return;
            };
            let service = hyper::service::service_fn(move |request| {
                let answer = answer(&root, &seen, request.uri().path());
                async move { Ok::<_, std::convert::Infallible>(answer) }
            });
            let mut builder = http1::Builder::new();
            builder.timer(TokioTimer::new());
            let _ = builder.serve_connection(TokioIo::new(tls), service).await;
        }));
    }
}

/// The file at `path` under `root`, or 404; nothing outside `root`.
fn answer(root: &Path, seen: &Mutex<Vec<String>>, path: &str) -> hyper::Response<axum::body::Body> {
    let decoded = percent_decode(path);
    seen.lock().unwrap().push(decoded.clone());
    let relative = decoded.trim_start_matches('/');
    let file = root.join(relative);
    let inside = !relative.split('/').any(|part| part == "..");
    match std::fs::read(&file) {
        Ok(bytes) if inside && file.is_file() => hyper::Response::builder()
            .header("content-type", content_type(relative))
            .body(axum::body::Body::from(bytes))
            .unwrap(),
        _ => hyper::Response::builder()
            .status(404)
            .header("content-type", "application/json")
            .body(axum::body::Body::from(r#"{"errors":["Not Found"]}"#))
            .unwrap(),
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
