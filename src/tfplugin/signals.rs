//! What the plugin does when interrupted: on unix SIGINT and SIGTERM, on
//! Windows the console's Ctrl-C and Ctrl-Break (tokio has no SIGTERM there;
//! Terraform ends a plugin on Windows with the controller's Shutdown, or by
//! killing the process). No new calls, calls in flight are told to stop and
//! allowed to return what they already did (see [`OnInterrupt`]).

use tokio::sync::watch;
use tokio_util::sync::CancellationToken;

/// What the first interrupt (SIGINT, Ctrl-C) does.
pub(crate) enum OnInterrupt {
    /// Under Terraform. Ctrl-C in a terminal reaches every process of the
    /// group, the plugin included, and Terraform's own answer to it is to ask
    /// the provider to stop (StopProvider), wait for calls in flight and
    /// then save state. Exiting here would cut a create off after Writer made
    /// the app and before Terraform learnt its ID (go-plugin's servers ignore
    /// SIGINT for the same reason). So the first SIGINT only stops calls, as
    /// StopProvider does; a second one (Terraform's "exit now") or SIGTERM
    /// ends the plugin.
    StopCalls(CancellationToken),
    /// Debug mode, run by hand: the first SIGINT ends it.
    Exit,
}

/// The interrupt (SIGINT, Ctrl-C) and terminate (SIGTERM, Ctrl-Break)
/// listeners, registered before the handshake line so that a signal right
/// after it stops us cleanly.
pub(crate) struct Signals {
    listeners: Option<(Interrupt, Terminate)>,
}

// Each has `async fn recv(&mut self) -> Option<()>`.
#[cfg(unix)]
type Interrupt = tokio::signal::unix::Signal;
#[cfg(unix)]
type Terminate = tokio::signal::unix::Signal;
#[cfg(windows)]
type Interrupt = tokio::signal::windows::CtrlC;
#[cfg(windows)]
type Terminate = tokio::signal::windows::CtrlBreak;

impl Signals {
    /// Must run inside the tokio runtime.
    pub(crate) fn register() -> Self {
        #[cfg(unix)]
        let listeners = {
            use tokio::signal::unix::{signal, SignalKind};
            signal(SignalKind::interrupt())
                .ok()
                .zip(signal(SignalKind::terminate()).ok())
        };
        #[cfg(windows)]
        let listeners = {
            use tokio::signal::windows::{ctrl_break, ctrl_c};
            ctrl_c().ok().zip(ctrl_break().ok())
        };
        Self { listeners }
    }

    /// Waits for interrupts; sets `stop` when the plugin must end.
    pub(crate) async fn handle(self, on_interrupt: OnInterrupt, stop: watch::Sender<bool>) {
        let Some((mut int, mut term)) = self.listeners else {
            tracing::warn!("cannot listen for signals; the plugin stops only when Terraform asks");
            return;
        };
        let mut interrupts = 0u32;
        loop {
            tokio::select! {
                _ = int.recv() => {
                    interrupts += 1;
                    match &on_interrupt {
                        OnInterrupt::StopCalls(stop_calls) if interrupts == 1 => {
                            tracing::debug!("SIGINT: telling calls in flight to stop; a second SIGINT ends the plugin");
                            stop_calls.cancel();
                            continue;
                        }
                        _ => tracing::debug!("SIGINT: stopping"),
                    }
                }
                _ = term.recv() => tracing::debug!("SIGTERM: stopping"),
            }
            let _ = stop.send(true);
            return;
        }
    }
}
