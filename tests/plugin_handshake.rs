//! The real provider binary through the real handshake, as Terraform starts
//! it: magic cookie, protocol versions, and a P-521 self-signed CA client
//! certificate like Terraform's. A tonic client speaks gRPC over mutual TLS on
//! the announced unix socket; clients without that exact certificate cannot
//! call anything.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

use base64::Engine as _;
use hyper_util::rt::TokioIo;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, SignatureScheme};
use terraform_provider_writer::tfplugin::proto::plugin as gp;
use terraform_provider_writer::tfplugin::proto::tfplugin6 as pb;
use tonic::transport::{Channel, Endpoint};

const COOKIE: &str = "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2";

/// A certificate shaped like the one Terraform makes for each plugin: P-521,
/// self-signed, a CA, for `localhost`.
struct ClientIdentity {
    pem: String,
    der: CertificateDer<'static>,
    key: PrivateKeyDer<'static>,
}

fn terraform_like_identity() -> ClientIdentity {
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

/// The provider process and what its handshake line said.
struct Plugin {
    child: Child,
    socket: PathBuf,
    server_cert: CertificateDer<'static>,
    _tmp: tempfile::TempDir,
}

impl Drop for Plugin {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_plugin(client_cert_pem: &str) -> Plugin {
    start_plugin_under_umask(client_cert_pem, None)
}

/// Starts the plugin, through `sh` with `umask` set first when one is given
/// (the umask is process-wide: the test process keeps its own).
fn start_plugin_under_umask(client_cert_pem: &str, umask: Option<&str>) -> Plugin {
    let tmp = tempfile::tempdir().expect("tempdir");
    let binary = env!("CARGO_BIN_EXE_terraform-provider-writer");
    let mut command = match umask {
        Some(umask) => {
            let mut sh = Command::new("sh");
            sh.args(["-c", &format!("umask {umask} && exec \"$0\""), binary]);
            sh
        }
        None => Command::new(binary),
    };
    let mut child = command
        .env("TF_PLUGIN_MAGIC_COOKIE", COOKIE)
        .env("PLUGIN_PROTOCOL_VERSIONS", "5,6")
        .env("PLUGIN_CLIENT_CERT", client_cert_pem)
        .env("TMPDIR", tmp.path())
        .env_remove("TF_LOG")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the provider binary starts");
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut line)
        .expect("a handshake line");
    let fields: Vec<&str> = line.trim_end().split('|').collect();
    assert_eq!(fields.len(), 6, "handshake line: {line:?}");
    assert_eq!(&fields[..3], &["1", "6", "unix"], "{line:?}");
    assert_eq!(fields[4], "grpc");
    assert!(
        !fields[5].contains('='),
        "certificate must be unpadded base64"
    );
    let der = base64::engine::general_purpose::STANDARD_NO_PAD
        .decode(fields[5])
        .expect("base64 certificate");
    let socket = PathBuf::from(fields[3]);
    assert!(
        socket.starts_with(tmp.path()),
        "socket in TMPDIR: {socket:?}"
    );
    Plugin {
        child,
        socket,
        server_cert: CertificateDer::from(der),
        _tmp: tmp,
    }
}

/// Trusts exactly the certificate from the handshake line, as go-plugin does.
#[derive(Debug)]
struct PinnedServer(CertificateDer<'static>);

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
        let algs = rustls::crypto::aws_lc_rs::default_provider().signature_verification_algorithms;
        rustls::crypto::verify_tls12_signature(message, cert, dss, &algs)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        let algs = rustls::crypto::aws_lc_rs::default_provider().signature_verification_algorithms;
        rustls::crypto::verify_tls13_signature(message, cert, dss, &algs)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        rustls::crypto::aws_lc_rs::default_provider()
            .signature_verification_algorithms
            .supported_schemes()
    }
}

/// A gRPC channel over TLS on the plugin's socket, presenting `identity` (or nothing).
async fn channel(plugin: &Plugin, identity: Option<&ClientIdentity>) -> Result<Channel, String> {
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let builder = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(PinnedServer(plugin.server_cert.clone())));
    let mut config = match identity {
        Some(id) => builder
            .with_client_auth_cert(vec![id.der.clone()], id.key.clone_key())
            .map_err(|e| e.to_string())?,
        None => builder.with_no_client_auth(),
    };
    config.alpn_protocols = vec![b"h2".to_vec()];
    let connector = tokio_rustls::TlsConnector::from(Arc::new(config));
    let socket = plugin.socket.clone();
    Endpoint::from_static("http://localhost")
        .connect_with_connector(tower::service_fn(move |_| {
            let connector = connector.clone();
            let socket = socket.clone();
            async move {
                let stream = tokio::net::UnixStream::connect(socket).await?;
                let name = ServerName::try_from("localhost").expect("server name");
                let tls = connector.connect(name, stream).await?;
                Ok::<_, std::io::Error>(TokioIo::new(tls))
            }
        }))
        .await
        .map_err(|e| format!("{e:?}"))
}

async fn get_schema(channel: Channel) -> Result<pb::get_provider_schema::Response, tonic::Status> {
    let mut client = pb::provider_client::ProviderClient::new(channel);
    client
        .get_provider_schema(pb::get_provider_schema::Request {})
        .await
        .map(|r| r.into_inner())
}

fn wait_exit(child: &mut Child) -> Option<std::process::ExitStatus> {
    for _ in 0..500 {
        if let Ok(Some(status)) = child.try_wait() {
            return Some(status);
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    None
}

#[tokio::test]
async fn terraform_certificate_gets_the_schema() {
    let id = terraform_like_identity();
    let plugin = start_plugin(&id.pem);
    let channel = channel(&plugin, Some(&id))
        .await
        .expect("mutual TLS connects");
    let schema = get_schema(channel).await.expect("GetProviderSchema");
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

#[tokio::test]
async fn a_client_without_a_certificate_cannot_call_anything() {
    let id = terraform_like_identity();
    let plugin = start_plugin(&id.pem);
    // With TLS 1.3 the refusal can surface at connect or at the first call.
    if let Ok(channel) = channel(&plugin, None).await {
        let err = get_schema(channel)
            .await
            .expect_err("no certificate, no RPC");
        assert_ne!(err.code(), tonic::Code::Ok);
    }
    // The plugin is still serving its rightful client.
    let good = channel(&plugin, Some(&id))
        .await
        .expect("Terraform still connects");
    get_schema(good).await.expect("and is served");
}

#[tokio::test]
async fn a_client_with_another_certificate_cannot_call_anything() {
    let id = terraform_like_identity();
    let intruder = terraform_like_identity();
    let plugin = start_plugin(&id.pem);
    if let Ok(channel) = channel(&plugin, Some(&intruder)).await {
        let err = get_schema(channel)
            .await
            .expect_err("another certificate, no RPC");
        assert_ne!(err.code(), tonic::Code::Ok);
    }
}

#[tokio::test]
async fn controller_shutdown_ends_the_process_and_removes_the_socket() {
    let id = terraform_like_identity();
    let mut plugin = start_plugin(&id.pem);
    let ch = channel(&plugin, Some(&id)).await.expect("connects");
    let mut controller = gp::grpc_controller_client::GrpcControllerClient::new(ch);
    // The process may exit before the reply arrives: either outcome is fine.
    let _ = controller.shutdown(gp::Empty {}).await;
    let status = wait_exit(&mut plugin.child).expect("the plugin exits after Shutdown");
    assert!(status.success(), "clean exit, got {status:?}");
    assert!(!plugin.socket.exists(), "socket removed");
    assert!(
        !plugin.socket.parent().expect("dir").exists(),
        "private directory removed"
    );
}

/// Without a client certificate anyone who can connect can call every RPC:
/// the directory and socket must be this user's alone whatever the umask
/// (0277 would also leave a directory we could not bind in).
#[test]
fn socket_and_directory_are_private_whatever_the_umask() {
    use std::os::unix::fs::PermissionsExt as _;
    for umask in ["000", "022", "277"] {
        let plugin = start_plugin_under_umask("", Some(umask));
        let mode = |p: &std::path::Path| {
            std::fs::metadata(p)
                .map(|m| m.permissions().mode() & 0o777)
                .expect("metadata")
        };
        let dir = plugin.socket.parent().expect("dir");
        let (dir_mode, socket_mode) = (mode(dir), mode(&plugin.socket));
        assert!(
            dir_mode == 0o700,
            "directory {dir_mode:o} under umask {umask}"
        );
        assert!(
            socket_mode == 0o600,
            "socket {socket_mode:o} under umask {umask}"
        );
    }
}

fn send_signal(signal: &str, child: &Child) {
    let status = Command::new("kill")
        .args([signal, &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(status.success(), "kill {signal}");
}

#[test]
fn sigterm_ends_the_process_cleanly() {
    let id = terraform_like_identity();
    let mut plugin = start_plugin(&id.pem);
    send_signal("-TERM", &plugin.child);
    let status = wait_exit(&mut plugin.child).expect("the plugin exits on SIGTERM");
    assert!(status.success(), "{status:?}");
    assert!(!plugin.socket.exists());
}

/// Ctrl-C reaches the plugin too (same process group as Terraform), and
/// Terraform answers it by stopping the provider and waiting for calls in
/// flight: the plugin must still be there to return them. A second SIGINT
/// (Terraform's "exit now") ends it.
#[tokio::test]
async fn first_sigint_stops_calls_but_keeps_serving_second_ends_the_process() {
    let id = terraform_like_identity();
    let mut plugin = start_plugin(&id.pem);
    send_signal("-INT", &plugin.child);
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(
        plugin.child.try_wait().expect("status").is_none(),
        "still running after the first SIGINT"
    );
    let ch = channel(&plugin, Some(&id)).await.expect("still connects");
    get_schema(ch)
        .await
        .expect("still answers after the first SIGINT");
    send_signal("-INT", &plugin.child);
    let status = wait_exit(&mut plugin.child).expect("the plugin exits on the second SIGINT");
    assert!(status.success(), "{status:?}");
    assert!(!plugin.socket.exists());
}

#[test]
fn run_by_hand_it_explains_itself_and_fails() {
    let out = Command::new(env!("CARGO_BIN_EXE_terraform-provider-writer"))
        .env_remove("TF_PLUGIN_MAGIC_COOKIE")
        .output()
        .expect("runs");
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("Terraform plugin"), "{stderr}");
    assert!(stderr.contains("--debug"), "{stderr}");
    assert!(
        out.stdout.is_empty(),
        "nothing on stdout: Terraform would read it as a handshake"
    );
}

#[test]
fn version_flag_prints_the_cargo_version_and_exits() {
    let out = Command::new(env!("CARGO_BIN_EXE_terraform-provider-writer"))
        .arg("--version")
        .env_remove("TF_PLUGIN_MAGIC_COOKIE")
        .output()
        .expect("runs");
    assert!(out.status.success(), "{out:?}");
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        format!("terraform-provider-writer {}\n", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn debug_mode_prints_a_reattach_value() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut child = Command::new(env!("CARGO_BIN_EXE_terraform-provider-writer"))
        .arg("--debug")
        .env_remove("TF_PLUGIN_MAGIC_COOKIE")
        .env("TMPDIR", tmp.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("runs");
    let reader = BufReader::new(child.stdout.take().expect("stdout"));
    let line = reader
        .lines()
        .map_while(Result::ok)
        .find(|l| l.contains("TF_REATTACH_PROVIDERS="))
        .expect("a TF_REATTACH_PROVIDERS line");
    let json = line
        .split_once('\'')
        .and_then(|(_, rest)| rest.rsplit_once('\''))
        .map(|(j, _)| j);
    let v: serde_json::Value = serde_json::from_str(json.expect("quoted")).expect("JSON");
    let addr = v["registry.terraform.io/writer/writer"]["Addr"]["String"]
        .as_str()
        .expect("socket");
    assert!(std::path::Path::new(addr).exists(), "the socket is there");
    // Run by hand, Ctrl-C is how it ends: at the first SIGINT.
    send_signal("-INT", &child);
    let status = wait_exit(&mut child).expect("debug mode exits on the first SIGINT");
    assert!(status.success(), "{status:?}");
}
