//! Injected faults, so that clients can be tested against the failures a
//! real service has: latency, a per-second rate limit (429 with
//! `Retry-After`) and 503s answered before the request does anything.
//! (Dropped connections happen in the server loop, after the request was
//! performed: see `server`. Faults aimed at uploads alone, a lost answer, a
//! cut, a slow or stalled link, are the Knowledge Graph family's:
//! `knowledge_graph::settings::UploadFaults`.)

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::errors::{ApiError, ErrorItem};

const WINDOW: Duration = Duration::from_secs(1);

pub(crate) struct Faults {
    latency: Duration,
    fail_rate: f64,
    rate_limit: Option<u32>,
    window: Mutex<Window>,
}

/// A fixed one-second window: simple, and what "N requests in a second" says.
struct Window {
    started: Instant,
    count: u32,
}

impl Faults {
    pub(crate) fn new(latency: Duration, fail_rate: f64, rate_limit: Option<u32>) -> Self {
        Self {
            latency,
            fail_rate,
            rate_limit,
            window: Mutex::new(Window {
                started: Instant::now(),
                count: 0,
            }),
        }
    }

    /// Counts a request; `Err` holds how long until the window reopens.
    fn admit(&self, now: Instant) -> Result<(), Duration> {
        let Some(limit) = self.rate_limit else {
            return Ok(());
        };
        let mut window = self.window.lock().unwrap_or_else(|e| e.into_inner());
        if now.saturating_duration_since(window.started) >= WINDOW {
            window.started = now;
            window.count = 0;
        }
        window.count = window.count.saturating_add(1);
        if window.count > limit {
            Err(WINDOW.saturating_sub(now.saturating_duration_since(window.started)))
        } else {
            Ok(())
        }
    }
}

pub(crate) async fn inject(
    State(faults): State<Arc<Faults>>,
    request: Request,
    next: Next,
) -> Response {
    if !faults.latency.is_zero() {
        tokio::time::sleep(faults.latency).await;
    }
    if let Err(wait) = faults.admit(Instant::now()) {
        // Whole seconds, rounded up: a client that waits that long gets in.
        let seconds = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
        return ApiError::one(
            StatusCode::TOO_MANY_REQUESTS,
            ErrorItem::new(
                "rate_limited",
                "too many requests; wait for the number of seconds in Retry-After and retry",
            ),
        )
        .with_header(header::RETRY_AFTER, HeaderValue::from(seconds.max(1)))
        .into_response();
    }
    if faults.fail_rate > 0.0 && fastrand::f64() < faults.fail_rate {
        return ApiError::one(
            StatusCode::SERVICE_UNAVAILABLE,
            ErrorItem::new(
                "service_unavailable",
                "the service is temporarily unavailable (injected fault); retry",
            ),
        )
        .into_response();
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rate_limit_window() {
        let faults = Faults::new(Duration::ZERO, 0.0, Some(2));
        let t0 = Instant::now();
        assert!(faults.admit(t0).is_ok());
        assert!(faults.admit(t0).is_ok());
        let wait = faults.admit(t0 + Duration::from_millis(300)).unwrap_err();
        assert!(
            wait <= Duration::from_millis(700) && wait > Duration::ZERO,
            "{wait:?}"
        );
        assert!(faults.admit(t0 + Duration::from_millis(1000)).is_ok());
    }

    #[test]
    fn no_limit_admits_everything() {
        let faults = Faults::new(Duration::ZERO, 0.0, None);
        let t0 = Instant::now();
        assert!((0..10_000).all(|_| faults.admit(t0).is_ok()));
    }
}
