//! Where the plugin listens for Terraform, in go-plugin's two transports: a
//! unix socket in a private directory (go-plugin's choice everywhere but
//! Windows, and ours), or TCP on `127.0.0.1` on a port the system picks
//! (go-plugin's choice on Windows, where it is ours too; on unix only when
//! `PLUGIN_TRANSPORT=tcp` asks for it, e.g. to test the Windows path on
//! Linux). The handshake line and the reattach value name the listener in
//! go-plugin's words: its network (`unix`, `tcp`) and its address.
//!
//! The TCP port is the system's choice unless `PLUGIN_MIN_PORT` and
//! `PLUGIN_MAX_PORT` narrow it, as go-plugin's servers do: the first free
//! port of the range, in order.
//!
//! TCP is reachable by every local user, so it is served only over mutual TLS
//! (Terraform always sends its certificate), without exception: debug mode,
//! which Terraform reattaches to without TLS, serves only the unix socket
//! (see `serve`).

use std::io;

use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpListener;

/// The environment variable that picks the transport: `unix` or `tcp`.
pub(crate) const TRANSPORT_ENV: &str = "PLUGIN_TRANSPORT";

/// go-plugin's transports.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Transport {
    #[cfg(unix)]
    Unix,
    Tcp,
}

impl Transport {
    /// What `PLUGIN_TRANSPORT` asks for; unset or empty, the platform's own
    /// (unix sockets, TCP on Windows).
    pub(crate) fn from_env(value: Option<&str>) -> Result<Self, String> {
        match value.map(str::trim) {
            None | Some("") => Ok(Self::platform_default()),
            Some("tcp") => Ok(Self::Tcp),
            #[cfg(unix)]
            Some("unix") => Ok(Self::Unix),
            Some(other) => Err(format!(
                "{TRANSPORT_ENV}={other:?} is not a transport this plugin serves on: {}",
                if cfg!(unix) {
                    "use \"unix\" (the default) or \"tcp\""
                } else {
                    "use \"tcp\" (the default here), or unset it"
                }
            )),
        }
    }

    fn platform_default() -> Self {
        #[cfg(unix)]
        return Self::Unix;
        #[cfg(not(unix))]
        return Self::Tcp;
    }
}

/// A byte stream from Terraform, whatever the transport (and TLS over it).
pub(crate) trait Stream: AsyncRead + AsyncWrite + Send + Unpin {}
impl<T: AsyncRead + AsyncWrite + Send + Unpin> Stream for T {}

/// A listener, and what the handshake line says about it.
pub(crate) struct Listening {
    listener: Listener,
    address: String,
    /// The socket's private directory: dropping it removes the socket.
    #[cfg(unix)]
    _dir: Option<tempfile::TempDir>,
}

enum Listener {
    #[cfg(unix)]
    Unix(tokio::net::UnixListener),
    Tcp(TcpListener),
}

impl Listening {
    /// Starts listening (must run inside the tokio runtime).
    pub(crate) async fn open(transport: Transport) -> Result<Self, String> {
        match transport {
            #[cfg(unix)]
            Transport::Unix => {
                let (dir, path, listener) = unix::private_socket()?;
                Ok(Self {
                    listener: Listener::Unix(listener),
                    address: path.display().to_string(),
                    _dir: Some(dir),
                })
            }
            Transport::Tcp => {
                let ports = port_range(
                    std::env::var("PLUGIN_MIN_PORT").ok().as_deref(),
                    std::env::var("PLUGIN_MAX_PORT").ok().as_deref(),
                )?;
                let listener = bind_first_free(ports).await?;
                let address = listener
                    .local_addr()
                    .map_err(|e| format!("cannot tell the port listened on: {e}"))?
                    .to_string();
                Ok(Self {
                    listener: Listener::Tcp(listener),
                    address,
                    #[cfg(unix)]
                    _dir: None,
                })
            }
        }
    }

    /// go-plugin's name for the network: `unix` or `tcp`.
    pub(crate) fn network(&self) -> &'static str {
        match self.listener {
            #[cfg(unix)]
            Listener::Unix(_) => "unix",
            Listener::Tcp(_) => "tcp",
        }
    }

    /// The socket's path, or `127.0.0.1:PORT`.
    pub(crate) fn address(&self) -> &str {
        &self.address
    }

    /// The next connection.
    pub(crate) async fn accept(&self) -> io::Result<Box<dyn Stream>> {
        match &self.listener {
            #[cfg(unix)]
            Listener::Unix(l) => Ok(Box::new(l.accept().await?.0)),
            Listener::Tcp(l) => {
                let (stream, _) = l.accept().await?;
                // gRPC's small frames must not wait for Nagle (Go sets this by default too).
                stream.set_nodelay(true)?;
                Ok(Box::new(stream))
            }
        }
    }
}

/// go-plugin's range: each bound unset is 0, so neither set means port 0
/// (the system picks).
fn port_range(
    min: Option<&str>,
    max: Option<&str>,
) -> Result<std::ops::RangeInclusive<u16>, String> {
    let bound = |name: &str, value: Option<&str>| match value.map(str::trim) {
        None | Some("") => Ok(0),
        Some(v) => v
            .parse::<u16>()
            .map_err(|e| format!("{name}={v:?} is not a port number: {e}")),
    };
    let (min, max) = (
        bound("PLUGIN_MIN_PORT", min)?,
        bound("PLUGIN_MAX_PORT", max)?,
    );
    if min > max {
        return Err(format!(
            "PLUGIN_MIN_PORT ({min}) is greater than PLUGIN_MAX_PORT ({max})"
        ));
    }
    Ok(min..=max)
}

/// The first port of `ports` free on 127.0.0.1 (at most the range's length of tries).
async fn bind_first_free(ports: std::ops::RangeInclusive<u16>) -> Result<TcpListener, String> {
    let (min, max) = (*ports.start(), *ports.end());
    let mut last = None;
    for port in ports {
        match TcpListener::bind(("127.0.0.1", port)).await {
            Ok(listener) => return Ok(listener),
            Err(e) => last = Some(e),
        }
    }
    Err(format!(
        "cannot listen on 127.0.0.1 on any port from {min} to {max}: {}",
        last.map(|e| e.to_string()).unwrap_or_default()
    ))
}

#[cfg(unix)]
mod unix {
    use std::os::unix::fs::PermissionsExt as _;
    use std::path::PathBuf;

    use tokio::net::UnixListener;

    /// A fresh directory only this user can enter (0700) holding the socket
    /// (0600), whatever the umask: with no client certificate, whoever can
    /// connect can call every RPC.
    ///
    /// Modes are set explicitly rather than under a temporary umask: the umask
    /// is process-wide, and tokio's threads (or a test harness) may create files
    /// at the same time. There is no window in which anything is wider than
    /// 0700/0600 to another user: `mkdir` applies the requested 0700 narrowed by
    /// the umask (never wider), then `chmod` makes it exactly 0700 (a umask such
    /// as 0277 would otherwise leave us unable to bind in it). `bind` creates
    /// the socket 0777 minus the umask, but inside a directory no one else can
    /// traverse; the `chmod` right after bind is defence in depth, e.g. if the
    /// directory's mode is later widened by hand.
    pub(super) fn private_socket() -> Result<(tempfile::TempDir, PathBuf, UnixListener), String> {
        let private = |mode| std::fs::Permissions::from_mode(mode);
        let dir = tempfile::Builder::new()
            .prefix("plugin")
            .permissions(private(0o700))
            .tempdir()
            .map_err(|e| format!("cannot create a private directory for the plugin socket: {e}"))?;
        std::fs::set_permissions(dir.path(), private(0o700)).map_err(|e| {
            format!(
                "cannot make {} private (mode 0700): {e}",
                dir.path().display()
            )
        })?;
        let socket_path = dir.path().join("plugin.sock");
        let listener = UnixListener::bind(&socket_path)
            .map_err(|e| format!("cannot listen on {}: {e}", socket_path.display()))?;
        std::fs::set_permissions(&socket_path, private(0o600)).map_err(|e| {
            format!(
                "cannot make {} private (mode 0600): {e}",
                socket_path.display()
            )
        })?;
        Ok((dir, socket_path, listener))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transport_is_the_platforms_unless_asked() {
        let default = Transport::from_env(None).unwrap();
        assert_eq!(Transport::from_env(Some("")).unwrap(), default);
        #[cfg(unix)]
        assert_eq!(default, Transport::Unix);
        #[cfg(windows)]
        assert_eq!(default, Transport::Tcp);
        assert_eq!(Transport::from_env(Some("tcp")).unwrap(), Transport::Tcp);
        assert_eq!(Transport::from_env(Some(" tcp ")).unwrap(), Transport::Tcp);
        #[cfg(unix)]
        assert_eq!(Transport::from_env(Some("unix")).unwrap(), Transport::Unix);
        let err = Transport::from_env(Some("udp")).unwrap_err();
        assert!(
            err.contains("PLUGIN_TRANSPORT") && err.contains("\"tcp\""),
            "{err}"
        );
    }

    #[test]
    fn port_range_is_go_plugins() {
        assert_eq!(port_range(None, None).unwrap(), 0..=0);
        assert_eq!(
            port_range(Some("10000"), Some("25000")).unwrap(),
            10000..=25000
        );
        assert_eq!(port_range(Some(""), Some("7")).unwrap(), 0..=7);
        let err = port_range(Some("9"), Some("8")).unwrap_err();
        assert!(err.contains("greater than PLUGIN_MAX_PORT"), "{err}");
        let err = port_range(Some("x"), None).unwrap_err();
        assert!(err.contains("PLUGIN_MIN_PORT=\"x\""), "{err}");
    }

    #[tokio::test]
    async fn the_first_free_port_of_the_range_is_taken() {
        let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = taken.local_addr().unwrap().port();
        // The busy port is skipped; the next free one (if the range has one) is bound.
        match bind_first_free(port..=port.saturating_add(20)).await {
            Ok(l) => {
                let got = l.local_addr().unwrap().port();
                assert!(got > port && got <= port.saturating_add(20), "{got}");
            }
            Err(e) => panic!("twenty ports after {port} all busy? {e}"),
        }
        let err = bind_first_free(port..=port).await.unwrap_err();
        assert!(err.contains(&format!("from {port} to {port}")), "{err}");
    }

    #[tokio::test]
    async fn tcp_listens_on_loopback_with_a_chosen_port() {
        let l = Listening::open(Transport::Tcp).await.unwrap();
        assert_eq!(l.network(), "tcp");
        let addr: std::net::SocketAddr = l.address().parse().unwrap();
        assert!(addr.ip().is_loopback(), "{addr}");
        assert_ne!(addr.port(), 0);
        let connect = tokio::net::TcpStream::connect(addr);
        let (client, served) = tokio::join!(connect, l.accept());
        client.unwrap();
        served.unwrap();
    }
}
