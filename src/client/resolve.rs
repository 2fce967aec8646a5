//! The client's name lookups, made visible in the provider's log.
//!
//! reqwest looks a host name up with the system's resolver by default:
//! `getaddrinfo` on one of tokio's blocking threads (hyper-util's
//! `GaiResolver`). [`SystemResolver`] is that same resolver, with the same
//! answers and the same errors, and writes one TRACE line of our own first:
//! `name lookup` with the `host` field, the host name alone (never a port,
//! path, query, header or key). Host names are already in the log at TRACE
//! (`reqwest::connect`'s "starting new connection").
//!
//! Why: `localhost` must be reached at 127.0.0.1 or ::1 without a lookup
//! (`Client::new` pins it with `resolve_to_addrs`, which answers before
//! this resolver is asked). With every other lookup in the log, a run's log
//! shows that none was made for localhost: the acceptance test
//! `acceptance_localhost` reads Terraform's `TF_LOG=trace` log so, and checks
//! in the same run that a name which is looked up does leave the line.
//!
//! IP addresses in a URL never reach a resolver (the HTTP stack parses them
//! first); a proxy's host name is looked up here like any other.

use hyper_util::client::legacy::connect::dns::{GaiResolver, Name as GaiName};
use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use tower::Service as _;

/// The system's resolver, as reqwest uses it by default, logging each lookup.
#[derive(Clone)]
pub(crate) struct SystemResolver {
    gai: GaiResolver,
}

impl SystemResolver {
    pub(crate) fn new() -> SystemResolver {
        SystemResolver {
            gai: GaiResolver::new(),
        }
    }
}

impl Resolve for SystemResolver {
    fn resolve(&self, name: Name) -> Resolving {
        tracing::trace!(host = name.as_str(), "name lookup");
        let mut gai = self.gai.clone();
        // Never fails: hyper-util takes any string as a name.
        let name = name.as_str().parse::<GaiName>();
        Box::pin(async move {
            let addrs = gai.call(name?).await?;
            Ok(Box::new(addrs) as Addrs)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;
    use std::fmt::Write as _;
    use std::net::{SocketAddr, ToSocketAddrs};
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::{Arc, Mutex};

    use tracing::field::{Field, Visit};
    use tracing::{Event, Subscriber};
    use tracing_subscriber::layer::{Context, Layer, SubscriberExt};

    use crate::client::{Client, ClientConfig, Secret};

    /// Every event of this module as `LEVEL field=value...`.
    #[derive(Clone, Default)]
    struct Lines(Arc<Mutex<Vec<String>>>);

    impl<S: Subscriber> Layer<S> for Lines {
        fn on_event(&self, event: &Event<'_>, _: Context<'_, S>) {
            struct Fields(String);
            impl Visit for Fields {
                fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
                    let _ = write!(self.0, " {}={value:?}", field.name());
                }
            }
            if event.metadata().target() != module_path!().trim_end_matches("::tests") {
                return;
            }
            let mut fields = Fields(event.metadata().level().to_string());
            event.record(&mut fields);
            self.0.lock().unwrap().push(fields.0);
        }
    }

    impl Lines {
        /// Writes this module's events here until the guard is dropped (on
        /// this thread: a current-thread runtime polls everything on it).
        fn install(&self) -> tracing::subscriber::DefaultGuard {
            tracing::subscriber::set_default(tracing_subscriber::registry().with(self.clone()))
        }

        fn take(&self) -> Vec<String> {
            std::mem::take(&mut *self.0.lock().unwrap())
        }
    }

    async fn resolve(
        host: &str,
    ) -> Result<BTreeSet<SocketAddr>, Box<dyn std::error::Error + Send + Sync>> {
        let name: Name = host.parse().unwrap();
        let addrs = SystemResolver::new().resolve(name).await?;
        Ok(addrs.collect())
    }

    #[tokio::test]
    async fn a_lookup_is_the_systems_and_is_logged_with_the_host_alone() {
        let lines = Lines::default();
        let _guard = lines.install();
        let found = resolve("localhost").await.unwrap();
        let system: BTreeSet<SocketAddr> = ("localhost", 0).to_socket_addrs().unwrap().collect();
        assert_eq!(found, system);
        assert_eq!(
            lines.take(),
            ["TRACE message=name lookup host=\"localhost\""]
        );
    }

    #[tokio::test]
    async fn a_failed_lookup_fails_as_the_systems_does() {
        let lines = Lines::default();
        let _guard = lines.install();
        let host = "writer-lookup-check.invalid";
        let err = resolve(host).await.unwrap_err();
        let system = (host, 0).to_socket_addrs().unwrap_err();
        let err = err.downcast::<std::io::Error>().expect("an io::Error");
        assert_eq!(err.kind(), system.kind());
        assert_eq!(err.to_string(), system.to_string());
        assert_eq!(
            lines.take(),
            ["TRACE message=name lookup host=\"writer-lookup-check.invalid\""]
        );
    }

    /// A server on 127.0.0.1 that closes every connection at once; counts them.
    async fn closing_server() -> (u16, Arc<AtomicUsize>) {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let accepted = Arc::new(AtomicUsize::new(0));
        let count = accepted.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                count.fetch_add(1, Ordering::SeqCst);
                drop(stream);
            }
        });
        (port, accepted)
    }

    #[tokio::test]
    async fn the_client_reaches_localhost_without_a_lookup() {
        let (port, accepted) = closing_server().await;
        let lines = Lines::default();
        let _guard = lines.install();
        for host in ["localhost", "localhost.", "LOCALHOST."] {
            let base = url::Url::parse(&format!("http://{host}:{port}")).unwrap();
            let mut config = ClientConfig::new(base, Secret::new("test-admin-key-not-real"));
            config.max_attempts = 1;
            let before = accepted.load(Ordering::SeqCst);
            // The server closes the connection: only the way there counts.
            let _ = Client::new(config).unwrap().get_app("app-1").await;
            assert_eq!(lines.take(), Vec::<String>::new(), "{host}: a lookup");
            assert!(
                accepted.load(Ordering::SeqCst) > before,
                "{host}: 127.0.0.1:{port} was not reached"
            );
        }
    }
}
