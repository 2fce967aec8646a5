//! An emulator in this process, on a loopback port the system chooses: what
//! integration tests (ours, and those of modules built on this provider)
//! start one per test, with no binary to build and no port to pick.
//!
//! ```no_run
//! # async fn demo() -> Result<(), terraform_provider_writer::emulator::EmulatorError> {
//! use terraform_provider_writer::emulator::{spawn_local, Config};
//! let emulator = spawn_local(Config {
//!     admin_keys: vec!["test-admin-key-not-real".into()],
//!     ..Config::default()
//! })
//! .await?;
//! // Point a client (or `WRITER_BASE_URL`) at it:
//! let base_url = emulator.base_url(); // "http://127.0.0.1:PORT"
//! # let _ = base_url;
//! emulator.stop().await?; // or drop it
//! # Ok(())
//! # }
//! ```

use std::net::SocketAddr;
use std::time::Duration;

use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use super::config::{Config, EmulatorError};
use super::start::prepare;

/// How long [`LocalEmulator::stop`] waits for requests in flight.
const STOP_WAIT: Duration = Duration::from_secs(30);

/// An emulator serving on `127.0.0.1` in this process (see [`spawn_local`]).
/// Dropping it stops it; [`LocalEmulator::stop`] also waits for that.
#[derive(Debug)]
pub struct LocalEmulator {
    addr: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<Result<(), EmulatorError>>>,
}

/// Checks `config`, then serves the Writer OAuth Apps API on `127.0.0.1` at a
/// port the system chooses, on the current Tokio runtime, until the returned
/// handle is stopped or dropped. A bad configuration is refused here, before
/// anything listens.
pub async fn spawn_local(config: Config) -> Result<LocalEmulator, EmulatorError> {
    let prepared = prepare(config)?;
    let bind_error = |e: std::io::Error| EmulatorError::Listen {
        address: "127.0.0.1:0".into(),
        reason: e.to_string(),
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .map_err(bind_error)?;
    let addr = listener.local_addr().map_err(bind_error)?;
    let (stop, stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        prepared
            .serve(listener, async {
                let _ = stopped.await;
            })
            .await;
        Ok(())
    });
    Ok(LocalEmulator {
        addr,
        stop: Some(stop),
        task: Some(task),
    })
}

impl LocalEmulator {
    /// The address it listens on (`127.0.0.1:PORT`).
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT`: the provider's `base_url`, `WRITER_BASE_URL`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Stops serving, lets requests in flight finish, and returns what the
    /// server returned.
    ///
    /// # Panics
    /// If the server does not end within 30 seconds, or panicked.
    pub async fn stop(mut self) -> Result<(), EmulatorError> {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        let task = self.task.take().expect("stop runs once");
        tokio::time::timeout(STOP_WAIT, task)
            .await
            .expect("the emulator shuts down")
            .expect("the emulator task does not panic")
    }
}

impl Drop for LocalEmulator {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> Config {
        Config {
            admin_keys: vec!["test-admin-key-not-real".into()],
            ..Config::default()
        }
    }

    async fn list_status(base_url: &str) -> Result<u16, reqwest::Error> {
        let response = reqwest::Client::builder()
            .no_proxy()
            .build()
            .unwrap()
            .get(format!("{base_url}/v1/oauth-apps"))
            .bearer_auth("test-admin-key-not-real")
            .send()
            .await?;
        Ok(response.status().as_u16())
    }

    #[tokio::test]
    async fn serves_on_loopback_until_stopped() {
        let emulator = spawn_local(config()).await.unwrap();
        let base_url = emulator.base_url();
        assert_eq!(
            base_url,
            format!("http://127.0.0.1:{}", emulator.addr().port())
        );
        assert_ne!(emulator.addr().port(), 0);
        assert_eq!(list_status(&base_url).await.unwrap(), 200);
        emulator.stop().await.unwrap();
        assert!(list_status(&base_url).await.is_err(), "stopped");
    }

    #[tokio::test]
    async fn dropping_the_handle_stops_it() {
        let emulator = spawn_local(config()).await.unwrap();
        let addr = emulator.addr();
        drop(emulator);
        // A bound against hanging (up to ten seconds), not a timing assertion.
        for _ in 0..1000 {
            if tokio::net::TcpStream::connect(addr).await.is_err() {
                return;
            }
            tokio::task::yield_now().await;
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        panic!("still listening on {addr} after the handle was dropped");
    }

    #[tokio::test]
    async fn a_bad_configuration_is_refused_before_listening() {
        let err = spawn_local(Config::default()).await.unwrap_err();
        assert!(matches!(err, EmulatorError::NoApiKeys), "{err:?}");
    }
}
