//! Which of the HTTP stack's own log targets may reach the provider's log
//! (written at TRACE, see `tfplugin::log::also_write`): connecting, reusing
//! and pooling connections, and the TLS handshake. The client knows which
//! stack it uses, so the list lives here; the binary hands it to the log.
//!
//! Each target was read in the dependency's source (reqwest 0.13.5,
//! hyper-util 0.1.21, rustls 0.23.46): up to the level given it names hosts,
//! socket addresses, pool keys (scheme and `host:port`), proxies without
//! their credentials, and cipher suites; never a header, a body, a path or a
//! query. Left out on purpose:
//! - `reqwest::connect::verbose`: every byte read and written, headers
//!   included (TRACE, and only with `connection_verbose`, which we never set);
//! - `h2::*` and `hyper::*`: frames and messages. h2's frame `Debug` leaves
//!   header fields out today, but nothing promises it; hyper's own tracing is
//!   compiled out;
//! - `hyper_util::client::legacy::client`: request URIs and error chains;
//! - TRACE of every listed target (handshake messages in full, pool internals).
//!
//! - `hyper_util::client::legacy::connect::dns`: it writes nothing (0.1.21's
//!   resolver has no log line). Name lookups are in the log all the same, as
//!   our own TRACE line `name lookup` (`client::resolve`); a host name is
//!   also seen in `reqwest::connect`'s "starting new connection" and the
//!   address in `connect::http`'s "connecting to".
//!
//! A dependency update must re-read these targets before the list grows.

use tracing::Level;

/// `(target, most verbose level written)`; targets match exactly.
pub const TRANSPORT_LOG_TARGETS: &[(&str, Level)] = &[
    // "starting new connection", "proxy(..) intercepts"
    ("reqwest::connect", Level::DEBUG),
    // "connecting to 127.0.0.1:8080", "connected to ..."
    ("hyper_util::client::legacy::connect::http", Level::DEBUG),
    // "reuse idle connection for ..", "pooling idle connection for .."
    ("hyper_util::client::legacy::pool", Level::DEBUG),
    // cipher suite, resumption, ALPN, alerts of the connection to Writer
    ("rustls::client::hs", Level::DEBUG),
    ("rustls::client::tls12", Level::DEBUG),
    ("rustls::client::tls13", Level::DEBUG),
    ("rustls::client::common", Level::DEBUG),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_target_that_can_print_headers_or_bytes_is_listed() {
        for (target, level) in TRANSPORT_LOG_TARGETS {
            assert!(*level <= Level::DEBUG, "{target}: TRACE is not read");
            for refused in ["h2", "hyper::", "reqwest::connect::verbose"] {
                assert!(!target.starts_with(refused), "{target}");
            }
            assert_ne!(*target, "hyper_util::client::legacy::client");
        }
    }
}
