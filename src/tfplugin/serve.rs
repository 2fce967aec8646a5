//! Serving a provider the way Terraform launches plugins (HashiCorp's
//! go-plugin handshake): check the magic cookie, agree on protocol 6, listen
//! (a private unix socket, or TCP on loopback: see `listen`), print the
//! handshake line, and serve gRPC over mutual TLS until Terraform, a signal or
//! the plugin controller says stop. Also the debug mode, which serves without Terraform
//! and prints the `TF_REATTACH_PROVIDERS` value that attaches Terraform to it.
//!
//! Debug mode serves only the private unix socket, never TCP: Terraform
//! reattaches without TLS (go-plugin's `ReattachConfig`, which
//! `TF_REATTACH_PROVIDERS` fills, has no place for a certificate, and
//! go-plugin's automatic mutual TLS happens only when it starts the plugin
//! itself), and a TCP port on loopback is open to every local user. Where
//! only TCP exists (Windows) debug mode refuses to start and says how to
//! debug instead.
//!
//! Connections are accepted for as long as the plugin runs, so what a
//! connection that never finishes its TLS handshake can hold is bounded:
//! [`HANDSHAKE_DEADLINE`] and [`MAX_HANDSHAKES_IN_FLIGHT`].

use std::io::Write as _;
use std::pin::Pin;
use std::process::ExitCode;
use std::sync::Arc;
use std::task::{Context, Poll};

use base64::Engine as _;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::sync::{mpsc, watch, Semaphore};
use tokio_rustls::TlsAcceptor;
use tokio_util::sync::CancellationToken;
use tonic::transport::server::Connected;

use super::listen::{Listening, Stream, Transport, TRANSPORT_ENV};
use super::server;
use super::signals::{OnInterrupt, Signals};
use super::tls;
use super::Provider;

/// The cookie go-plugin's host (Terraform) sets, so that a plugin run by hand
/// can tell it was not launched by Terraform.
const MAGIC_COOKIE_KEY: &str = "TF_PLUGIN_MAGIC_COOKIE";
const MAGIC_COOKIE_VALUE: &str = "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2";
/// go-plugin's own handshake version (the first field of the line).
const CORE_PROTOCOL_VERSION: u32 = 1;
/// The one Terraform plugin protocol we speak.
const PROTOCOL_VERSION: u32 = 6;
/// How long calls in flight may take to return once the plugin is told to
/// stop (they were cancelled, so they return quickly). go-plugin kills a
/// plugin 2 s after asking it to shut down; we are gone by then.
const STOP_GRACE: std::time::Duration = std::time::Duration::from_millis(1500);

/// How long a connection may take to finish its TLS handshake before it is
/// closed. Terraform's takes milliseconds (a loopback round trip and a few
/// signatures); a client that connects and says nothing is let go after
/// this, on either transport.
pub const HANDSHAKE_DEADLINE: std::time::Duration = std::time::Duration::from_secs(5);

/// The most TLS handshakes in progress at once; a connection arriving beyond
/// them is closed at once. Terraform opens one connection to a plugin, so
/// this only bounds what idle or slow clients hold: at most this many
/// descriptors, each for at most [`HANDSHAKE_DEADLINE`]. (Without TLS, which
/// is only ever served on the private unix socket, connections go straight
/// to gRPC: only this user can open them.)
pub const MAX_HANDSHAKES_IN_FLIGHT: usize = 32;

/// How to serve.
pub struct ServeOptions {
    /// The provider's full source address, e.g. `registry.terraform.io/writer/writer`:
    /// debug mode names it in `TF_REATTACH_PROVIDERS`.
    pub address: String,
    /// The binary's name, for the message shown when it is run by hand.
    pub binary_name: String,
    /// Serve without Terraform and print how to attach it.
    pub debug: bool,
}

/// Serves `provider` until told to stop; the exit code for `main`.
pub async fn serve<P: Provider>(provider: P, options: ServeOptions) -> ExitCode {
    super::log::init(super::log::level_from_env());
    // A panic in a call is reported to Terraform as a diagnostic by the
    // server; the log gets one JSON line, not Rust's multi-line report.
    std::panic::set_hook(Box::new(|info| {
        tracing::error!(location = %info.location().map(|l| l.to_string()).unwrap_or_default(), "panic: {info}");
    }));
    if !options.debug && std::env::var(MAGIC_COOKIE_KEY).as_deref() != Ok(MAGIC_COOKIE_VALUE) {
        eprintln!(
            "{name} is a Terraform plugin: Terraform starts it when it needs it, and it is not meant\n\
             to be run by hand. Install it as a provider (see the README), then run terraform commands.\n\
             To debug it, run `{name} --debug` and set the TF_REATTACH_PROVIDERS value it prints.",
            name = options.binary_name
        );
        return ExitCode::FAILURE;
    }
    match run(provider, &options).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            tracing::error!("{message}");
            eprintln!("{}: {message}", options.binary_name);
            ExitCode::FAILURE
        }
    }
}

async fn run<P: Provider>(provider: P, options: &ServeOptions) -> Result<(), String> {
    let tls = agree_with_terraform(options)?;
    let requested = Transport::from_env(std::env::var(TRANSPORT_ENV).ok().as_deref())?;
    let transport = if options.debug {
        debug_transport(requested)?
    } else {
        requested
    };
    if transport == Transport::Tcp && tls.is_none() {
        return Err(no_tls_on_tcp());
    }
    // Dropping the listener at the end removes a unix socket and its directory.
    let listening = Listening::open(transport).await?;

    let (stop_tx, stop_rx) = watch::channel(false);
    // Listening before the handshake line: a signal right after it must stop us cleanly.
    let signals = Signals::register();
    let stop_calls = CancellationToken::new();
    let routes = server::routes(Arc::new(provider), stop_tx.clone(), stop_calls.clone());

    announce(options, &listening, tls.as_ref())?;
    tracing::debug!(
        network = listening.network(),
        address = listening.address(),
        mtls = tls.is_some(),
        "plugin serving"
    );
    if tls.is_none() && !options.debug {
        tracing::warn!("PLUGIN_CLIENT_CERT is not set: serving without TLS on the private socket");
    }

    let acceptor = tls.map(|t| TlsAcceptor::from(t.config));
    let (conn_tx, conn_rx) = mpsc::channel::<std::io::Result<PluginConn>>(16);
    let listening = Arc::new(listening);
    let accept_loop = tokio::spawn(accept(
        listening.clone(),
        acceptor,
        conn_tx,
        stop_rx.clone(),
    ));
    let interrupt = if options.debug {
        // Run by hand: Ctrl-C is how the person ends it.
        OnInterrupt::Exit
    } else {
        OnInterrupt::StopCalls(stop_calls)
    };
    tokio::spawn(signals.handle(interrupt, stop_tx.clone()));

    let result = serve_until_stopped(routes, conn_rx, stop_rx).await;
    accept_loop.abort();
    let _ = accept_loop.await;
    drop(listening);
    tracing::debug!("plugin stopped");
    result.map_err(|e| format!("gRPC server failed: {e}"))
}

/// Why the plugin will not serve plain TCP: unlike the private socket, a
/// loopback port is open to every local user.
fn no_tls_on_tcp() -> String {
    format!(
        "serving on TCP, but no client certificate was given (PLUGIN_CLIENT_CERT): a TCP port \
         on 127.0.0.1 is open to every local user, so this plugin serves TCP only over mutual \
         TLS. Terraform always sends its certificate; when testing by hand, set PLUGIN_CLIENT_CERT, \
         or (on unix) use the private socket ({TRANSPORT_ENV}=unix, or --debug)"
    )
}

/// Where debug mode serves, whatever was asked: the private unix socket
/// (saying so on stderr when TCP was asked for), or nowhere.
fn debug_transport(requested: Transport) -> Result<Transport, String> {
    #[cfg(unix)]
    {
        if requested == Transport::Tcp {
            // Run by hand: stderr is the person's terminal.
            eprintln!("{}", debug_tcp_not_used());
        }
        Ok(Transport::Unix)
    }
    #[cfg(not(unix))]
    {
        let _ = requested;
        Err(debug_needs_a_private_socket())
    }
}

/// Why `PLUGIN_TRANSPORT=tcp` is not followed in debug mode.
#[cfg_attr(not(unix), allow(dead_code))]
fn debug_tcp_not_used() -> String {
    format!(
        "{TRANSPORT_ENV}=tcp is not used with --debug: Terraform attaches to a debugged provider \
         (TF_REATTACH_PROVIDERS) without TLS, and a TCP port on 127.0.0.1 is open to every local \
         user, who could attach, point base_url at a server of theirs and receive your \
         WRITER_API_KEY. Serving on a private unix socket instead, which only you can reach."
    )
}

/// Why debug mode cannot start where TCP is the only transport (Windows),
/// and how to debug there instead.
#[cfg_attr(unix, allow(dead_code))]
fn debug_needs_a_private_socket() -> String {
    "--debug is not available on this system: Terraform attaches to a debugged provider \
     (TF_REATTACH_PROVIDERS) without TLS, and here the provider can only listen on TCP on \
     127.0.0.1, which every local user can reach: anyone could attach, point base_url at a \
     server of theirs and receive your WRITER_API_KEY. To debug, run it with --debug on Linux \
     or macOS (WSL included), or let Terraform start it as usual and read its log \
     (TF_LOG_PROVIDER=trace, TF_LOG_PATH=FILE)."
        .to_string()
}

/// What Terraform asks of a plugin before it connects: protocol 6, and its
/// own certificate for mutual TLS (none in debug mode, or when Terraform
/// asks for no TLS).
fn agree_with_terraform(options: &ServeOptions) -> Result<Option<tls::PluginTls>, String> {
    if options.debug {
        return Ok(None);
    }
    negotiate_protocol(std::env::var("PLUGIN_PROTOCOL_VERSIONS").ok().as_deref())?;
    match std::env::var("PLUGIN_CLIENT_CERT") {
        Ok(pem) if !pem.trim().is_empty() => {
            tls::plugin_tls(&pem).map(Some).map_err(|e| e.to_string())
        }
        _ => Ok(None),
    }
}

/// Serves gRPC on the accepted connections until `stop` is set.
async fn serve_until_stopped(
    routes: tonic::service::Routes,
    conns: mpsc::Receiver<std::io::Result<PluginConn>>,
    stop: watch::Receiver<bool>,
) -> Result<(), tonic::transport::Error> {
    let mut until_stop = stop.clone();
    let server = tonic::transport::Server::builder()
        .add_routes(routes)
        .serve_with_incoming_shutdown(
            tokio_stream::wrappers::ReceiverStream::new(conns),
            async move {
                let _ = until_stop.wait_for(|stop| *stop).await;
            },
        );
    // A graceful HTTP/2 shutdown waits for every client to acknowledge it; a
    // client that keeps its connection open must not keep the plugin alive.
    let mut stopped = stop;
    let deadline = async move {
        let _ = stopped.wait_for(|stop| *stop).await;
        tokio::time::sleep(STOP_GRACE).await;
    };
    tokio::select! {
        result = server => result,
        () = deadline => {
            tracing::debug!("connections still open after the grace period; exiting anyway");
            Ok(())
        }
    }
}

/// Protocol 6 must be among the versions Terraform offers.
fn negotiate_protocol(offered: Option<&str>) -> Result<(), String> {
    let offered = offered.unwrap_or("");
    let speaks_6 = offered
        .split(',')
        .any(|v| v.trim().parse::<u32>() == Ok(PROTOCOL_VERSION));
    if speaks_6 {
        Ok(())
    } else {
        Err(format!(
            "this provider speaks Terraform plugin protocol {PROTOCOL_VERSION}, but Terraform offered \
             [{offered}]: use Terraform 1.0 or newer"
        ))
    }
}

/// The one line Terraform waits for on stdout, or the debug instructions.
fn announce(
    options: &ServeOptions,
    listening: &Listening,
    tls: Option<&tls::PluginTls>,
) -> Result<(), String> {
    let mut out = std::io::stdout().lock();
    let (network, address) = (listening.network(), listening.address());
    let text = if options.debug {
        debug_instructions(&options.address, network, address)
    } else {
        handshake_line(network, address, tls.map(|t| t.server_cert_der.as_ref()))
    };
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .map_err(|e| format!("cannot write the handshake to stdout: {e}"))
}

/// `1|6|NETWORK|ADDRESS|grpc|<our certificate, DER, base64 without padding>`,
/// e.g. `1|6|unix|/tmp/plugin123/plugin.sock|grpc|MIIB…` or `1|6|tcp|127.0.0.1:51234|grpc|MIIB…`.
fn handshake_line(network: &str, address: &str, server_cert_der: Option<&[u8]>) -> String {
    let cert = server_cert_der
        .map(|der| base64::engine::general_purpose::STANDARD_NO_PAD.encode(der))
        .unwrap_or_default();
    format!("{CORE_PROTOCOL_VERSION}|{PROTOCOL_VERSION}|{network}|{address}|grpc|{cert}\n")
}

fn debug_instructions(provider: &str, network: &str, address: &str) -> String {
    let reattach = serde_json::json!({
        provider: {
            "Protocol": "grpc",
            "ProtocolVersion": PROTOCOL_VERSION,
            "Pid": std::process::id(),
            "Test": true,
            "Addr": { "Network": network, "String": address }
        }
    });
    format!(
        "Provider started. To attach Terraform, set TF_REATTACH_PROVIDERS in the shell where you run\n\
         terraform commands:\n\n\tTF_REATTACH_PROVIDERS='{reattach}'\n\n\
         Stop the provider with Ctrl-C when done.\n"
    )
}

/// Accepts connections; with TLS, each handshake runs in its own task, and a
/// client that does not present Terraform's certificate never gets through.
/// At most [`MAX_HANDSHAKES_IN_FLIGHT`] handshakes run at once, each for at
/// most [`HANDSHAKE_DEADLINE`].
async fn accept(
    listener: Arc<Listening>,
    acceptor: Option<TlsAcceptor>,
    conns: mpsc::Sender<std::io::Result<PluginConn>>,
    mut stop: watch::Receiver<bool>,
) {
    let handshakes = Arc::new(Semaphore::new(MAX_HANDSHAKES_IN_FLIGHT));
    loop {
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(stream) => stream,
                Err(e) => {
                    tracing::warn!(error = %e, "accepting a plugin connection failed");
                    continue;
                }
            },
            _ = stop.wait_for(|s| *s) => return,
        };
        match &acceptor {
            None => {
                if conns.send(Ok(PluginConn(stream))).await.is_err() {
                    return;
                }
            }
            Some(acceptor) => {
                let Ok(permit) = handshakes.clone().try_acquire_owned() else {
                    tracing::warn!(
                        "closed a plugin connection at once: {MAX_HANDSHAKES_IN_FLIGHT} TLS \
                         handshakes are already in progress"
                    );
                    drop(stream);
                    continue;
                };
                let acceptor = acceptor.clone();
                let conns = conns.clone();
                tokio::spawn(async move {
                    let handshake =
                        tokio::time::timeout(HANDSHAKE_DEADLINE, acceptor.accept(stream)).await;
                    drop(permit);
                    match handshake {
                        Ok(Ok(tls)) => {
                            let _ = conns.send(Ok(PluginConn(Box::new(tls)))).await;
                        }
                        Ok(Err(e)) => {
                            tracing::warn!(error = %e, "refused a plugin connection at the TLS handshake")
                        }
                        Err(_) => tracing::warn!(
                            "closed a plugin connection that did not finish its TLS handshake \
                             within {HANDSHAKE_DEADLINE:?}"
                        ),
                    }
                });
            }
        }
    }
}

/// A connection from Terraform, over either transport: TLS unless Terraform
/// asked for none.
struct PluginConn(Box<dyn Stream>);

impl Connected for PluginConn {
    type ConnectInfo = ();
    fn connect_info(&self) -> Self::ConnectInfo {}
}

impl AsyncRead for PluginConn {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        Pin::new(self.get_mut().0.as_mut()).poll_read(cx, buf)
    }
}

impl AsyncWrite for PluginConn {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(self.get_mut().0.as_mut()).poll_write(cx, buf)
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(self.get_mut().0.as_mut()).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(self.get_mut().0.as_mut()).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn negotiates_protocol_6_only() {
        assert!(negotiate_protocol(Some("5,6")).is_ok());
        assert!(negotiate_protocol(Some("6")).is_ok());
        assert!(negotiate_protocol(Some(" 5 , 6 ")).is_ok());
        let err = negotiate_protocol(Some("5")).unwrap_err();
        assert!(err.contains("protocol 6"), "{err}");
        assert!(negotiate_protocol(None).is_err());
    }

    #[test]
    fn handshake_line_has_six_fields_and_unpadded_cert() {
        let line = handshake_line("unix", "/tmp/p/plugin.sock", Some(&[1, 2, 3, 4]));
        assert_eq!(line, "1|6|unix|/tmp/p/plugin.sock|grpc|AQIDBA\n");
        let bare = handshake_line("unix", "/s", None);
        assert_eq!(bare, "1|6|unix|/s|grpc|\n");
        let tcp = handshake_line("tcp", "127.0.0.1:51234", Some(&[1, 2, 3, 4]));
        assert_eq!(tcp, "1|6|tcp|127.0.0.1:51234|grpc|AQIDBA\n");
    }

    #[cfg(unix)]
    #[test]
    fn debug_serves_the_private_socket_whatever_was_asked() {
        assert_eq!(debug_transport(Transport::Unix).unwrap(), Transport::Unix);
        assert_eq!(debug_transport(Transport::Tcp).unwrap(), Transport::Unix);
    }

    #[cfg(not(unix))]
    #[test]
    fn debug_refuses_where_only_tcp_exists() {
        assert_eq!(
            debug_transport(Transport::Tcp).unwrap_err(),
            debug_needs_a_private_socket()
        );
    }

    #[test]
    fn debug_words_say_what_is_true_and_what_to_do() {
        let note = debug_tcp_not_used();
        for words in [
            "PLUGIN_TRANSPORT=tcp is not used with --debug",
            "without TLS",
            "every local user",
            "WRITER_API_KEY",
            "private unix socket",
        ] {
            assert!(note.contains(words), "{words}: {note}");
        }
        let refusal = debug_needs_a_private_socket();
        for words in [
            "--debug is not available",
            "TF_REATTACH_PROVIDERS) without TLS",
            "only listen on TCP",
            "WRITER_API_KEY",
            "Linux or macOS",
            "TF_LOG_PROVIDER=trace",
        ] {
            assert!(refusal.contains(words), "{words}: {refusal}");
        }
    }

    #[test]
    fn handshake_bounds_are_a_few_seconds_and_a_few_dozen() {
        assert!(HANDSHAKE_DEADLINE >= std::time::Duration::from_secs(1));
        assert!(HANDSHAKE_DEADLINE <= std::time::Duration::from_secs(10));
        assert!((8..=128).contains(&MAX_HANDSHAKES_IN_FLIGHT));
    }

    #[test]
    fn debug_instructions_carry_a_reattach_value() {
        let text = debug_instructions(
            "registry.terraform.io/writer/writer",
            "unix",
            "/tmp/x/plugin.sock",
        );
        let start = text.find('\'').expect("quoted value") + 1;
        let end = text.rfind('\'').expect("quoted value");
        let v: serde_json::Value = serde_json::from_str(&text[start..end]).expect("JSON");
        let p = &v["registry.terraform.io/writer/writer"];
        assert_eq!(p["ProtocolVersion"], 6);
        assert_eq!(p["Addr"]["Network"], "unix");
        assert_eq!(p["Addr"]["String"], "/tmp/x/plugin.sock");
    }
}
