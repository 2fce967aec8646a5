//! A client of the provider binary as Terraform is one, written once for the
//! handshake and endpoint tests (the debug binary, on the unix socket and on
//! TCP, started by [`start_plugin_with`]) and the Windows test (the `.exe`
//! under Wine, on TCP): the environment Terraform sets, a P-521 self-signed CA client certificate like Terraform's, the
//! handshake line read and checked, and a tonic client speaking gRPC over
//! mutual TLS to the announced address, trusting exactly the announced
//! certificate (as go-plugin does).

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;

use base64::Engine as _;
use hyper_util::rt::TokioIo;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, SignatureScheme};
use terraform_provider_writer::tfplugin::proto::tfplugin6 as pb;
use tonic::transport::{Channel, Endpoint};

/// go-plugin's magic cookie for Terraform providers.
pub const COOKIE: &str = "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2";

/// Sets what Terraform sets when it starts a plugin: the cookie, the
/// protocol versions it speaks, and its client certificate.
pub fn terraform_environment(command: &mut Command, client_cert_pem: &str) {
    command
        .env("TF_PLUGIN_MAGIC_COOKIE", COOKIE)
        .env("PLUGIN_PROTOCOL_VERSIONS", "5,6")
        .env("PLUGIN_CLIENT_CERT", client_cert_pem)
        .env_remove("TF_LOG");
}

/// The provider binary started as Terraform starts it, and what its
/// handshake line said; killed when dropped. Its `TMPDIR` (where the unix
/// socket is) is its own.
pub struct Plugin {
    pub child: Child,
    pub handshake: Handshake,
    pub tmp: tempfile::TempDir,
}

impl Plugin {
    /// The socket's path (a plugin started on the unix socket).
    pub fn socket(&self) -> &PathBuf {
        match &self.handshake.address {
            Address::Unix(path) => path,
            other => panic!("not a unix socket: {other:?}"),
        }
    }
}

impl Drop for Plugin {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts the debug provider binary as Terraform does, with its client
/// certificate: through `sh` with `umask` set first when one is given (the
/// umask is process-wide: the test process keeps its own), with
/// `PLUGIN_TRANSPORT=transport` when one is given. Fails the test unless the
/// handshake announces the transport asked for: a unix socket in its own
/// `TMPDIR`, or TCP on loopback.
pub fn start_plugin_with(
    client_cert_pem: &str,
    umask: Option<&str>,
    transport: Option<&str>,
) -> Plugin {
    let tmp = tempfile::tempdir().expect("tempdir");
    let binary = super::provider_binary();
    let mut command = match umask {
        Some(umask) => {
            let mut sh = Command::new("sh");
            sh.args(["-c", &format!("umask {umask} && exec \"$0\"")])
                .arg(binary);
            sh
        }
        None => Command::new(binary),
    };
    terraform_environment(&mut command, client_cert_pem);
    match transport {
        Some(t) => command.env("PLUGIN_TRANSPORT", t),
        None => command.env_remove("PLUGIN_TRANSPORT"),
    };
    let mut child = command
        .env("TMPDIR", tmp.path())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the provider binary starts");
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut line)
        .expect("a handshake line");
    let handshake = parse_handshake(&line);
    match (&handshake.address, transport) {
        (Address::Unix(socket), None | Some("unix")) => assert!(
            socket.starts_with(tmp.path()),
            "socket in TMPDIR: {socket:?}"
        ),
        (Address::Tcp(addr), Some("tcp")) => {
            assert!(addr.ip().is_loopback(), "TCP on loopback only: {line:?}")
        }
        (address, _) => panic!("{transport:?} asked, {address:?} announced"),
    }
    Plugin {
        child,
        handshake,
        tmp,
    }
}

/// A certificate shaped like the one Terraform makes for each plugin: P-521,
/// self-signed, a CA, for `localhost`.
pub struct ClientIdentity {
    pub pem: String,
    der: CertificateDer<'static>,
    key: PrivateKeyDer<'static>,
}

pub fn terraform_like_identity() -> ClientIdentity {
    use rcgen::{BasicConstraints, CertificateParams, IsCa, KeyPair, PKCS_ECDSA_P521_SHA512};
    let key = KeyPair::generate_for(&PKCS_ECDSA_P521_SHA512).expect("P-521 key");
    let mut params = CertificateParams::new(vec!["localhost".to_string()]).expect("params");
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let cert = params.self_signed(&key).expect("certificate");
    ClientIdentity {
        pem: cert.pem(),
        der: cert.der().clone(),
        key: PrivateKeyDer::try_from(key.serialize_der()).expect("key DER"),
    }
}

/// Where the plugin said it listens.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Address {
    Unix(PathBuf),
    Tcp(SocketAddr),
}

/// What a handshake line said.
pub struct Handshake {
    pub address: Address,
    pub server_cert: CertificateDer<'static>,
}

/// Parses `1|6|NETWORK|ADDRESS|grpc|CERT`, failing the test unless it is
/// well formed: six fields, core protocol 1, plugin protocol 6, a known
/// network, gRPC, and an unpadded base64 certificate.
pub fn parse_handshake(line: &str) -> Handshake {
    let fields: Vec<&str> = line.trim_end().split('|').collect();
    assert_eq!(fields.len(), 6, "handshake line: {line:?}");
    assert_eq!(&fields[..2], &["1", "6"], "{line:?}");
    assert_eq!(fields[4], "grpc", "{line:?}");
    let address = match fields[2] {
        "unix" => Address::Unix(PathBuf::from(fields[3])),
        "tcp" => Address::Tcp(
            fields[3]
                .parse()
                .unwrap_or_else(|e| panic!("tcp address {:?}: {e}", fields[3])),
        ),
        other => panic!("unknown network {other:?} in {line:?}"),
    };
    assert!(
        !fields[5].contains('='),
        "certificate must be unpadded base64: {line:?}"
    );
    let der = base64::engine::general_purpose::STANDARD_NO_PAD
        .decode(fields[5])
        .expect("base64 certificate");
    Handshake {
        address,
        server_cert: CertificateDer::from(der),
    }
}

/// Trusts exactly the certificate from the handshake line, as go-plugin does.
#[derive(Debug)]
struct PinnedServer(CertificateDer<'static>);

fn algorithms() -> rustls::crypto::WebPkiSupportedAlgorithms {
    rustls::crypto::aws_lc_rs::default_provider().signature_verification_algorithms
}

impl ServerCertVerifier for PinnedServer {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        if end_entity.as_ref() == self.0.as_ref() {
            Ok(ServerCertVerified::assertion())
        } else {
            Err(rustls::Error::General(
                "not the announced certificate".into(),
            ))
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &algorithms())
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &algorithms())
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        algorithms().supported_schemes()
    }
}

/// A gRPC channel over TLS to the announced address, presenting `identity`
/// (or no certificate at all).
pub async fn channel(
    handshake: &Handshake,
    identity: Option<&ClientIdentity>,
) -> Result<Channel, String> {
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let builder = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(PinnedServer(handshake.server_cert.clone())));
    let mut config = match identity {
        Some(id) => builder
            .with_client_auth_cert(vec![id.der.clone()], id.key.clone_key())
            .map_err(|e| e.to_string())?,
        None => builder.with_no_client_auth(),
    };
    config.alpn_protocols = vec![b"h2".to_vec()];
    let connector = tokio_rustls::TlsConnector::from(Arc::new(config));
    let address = handshake.address.clone();
    Endpoint::from_static("http://localhost")
        .connect_with_connector(tower::service_fn(move |_| {
            let connector = connector.clone();
            let address = address.clone();
            async move {
                let name = ServerName::try_from("localhost").expect("server name");
                match address {
                    Address::Unix(path) => {
                        let stream = tokio::net::UnixStream::connect(path).await?;
                        Ok::<_, std::io::Error>(TokioIo::new(Box::new(
                            connector.connect(name, stream).await?,
                        )
                            as Box<dyn Io>))
                    }
                    Address::Tcp(addr) => {
                        let stream = tokio::net::TcpStream::connect(addr).await?;
                        Ok(TokioIo::new(
                            Box::new(connector.connect(name, stream).await?) as Box<dyn Io>,
                        ))
                    }
                }
            }
        }))
        .await
        .map_err(|e| format!("{e:?}"))
}

/// Either transport's TLS stream.
trait Io: tokio::io::AsyncRead + tokio::io::AsyncWrite + Send + Unpin {}
impl<T: tokio::io::AsyncRead + tokio::io::AsyncWrite + Send + Unpin> Io for T {}

pub async fn get_schema(
    channel: Channel,
) -> Result<pb::get_provider_schema::Response, tonic::Status> {
    let mut client = pb::provider_client::ProviderClient::new(channel);
    client
        .get_provider_schema(pb::get_provider_schema::Request {})
        .await
        .map(|r| r.into_inner())
}

/// Fails the test unless `schema` is this provider's: the resource with its
/// write-only secret, the data source and the provider block.
pub fn assert_is_the_writer_schema(schema: &pb::get_provider_schema::Response) {
    let resource = &schema.resource_schemas["writer_confluence_oauth_app"];
    let block = resource.block.as_ref().expect("a block");
    let wo = block
        .attributes
        .iter()
        .find(|a| a.name == "client_secret_wo")
        .expect("client_secret_wo");
    assert!(wo.write_only && wo.sensitive);
    assert!(schema
        .data_source_schemas
        .contains_key("writer_confluence_oauth_app"));
    assert!(schema.provider.is_some());
}

/// The provider in debug mode (`--debug`) as a person starts it by hand: no
/// Terraform handshake variables and no `TF_LOG`, its socket folder under
/// `tmp`, stdin closed, stdout piped for the reattach line, stderr dropped.
/// The caller adds what else it needs before spawning it.
pub fn debug_command(tmp: &Path) -> Command {
    let mut command = Command::new(super::provider_binary());
    command
        .arg("--debug")
        .env_remove("TF_PLUGIN_MAGIC_COOKIE")
        .env_remove("PLUGIN_CLIENT_CERT")
        .env_remove("TF_LOG")
        .env("TMPDIR", tmp)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    command
}

/// The `TF_REATTACH_PROVIDERS` value a debug-mode `child` prints on its
/// stdout: the text between the quotes of that line.
pub fn reattach_value(child: &mut Child) -> String {
    let stdout = BufReader::new(child.stdout.take().expect("stdout"));
    let line = stdout
        .lines()
        .map_while(Result::ok)
        .find(|l| l.contains("TF_REATTACH_PROVIDERS="))
        .expect("a TF_REATTACH_PROVIDERS line");
    line.split_once('\'')
        .and_then(|(_, rest)| rest.rsplit_once('\''))
        .map(|(j, _)| j.to_string())
        .expect("quoted")
}
