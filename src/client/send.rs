//! One logical call to Writer: its attempts, the waits between them, a log
//! line per attempt, and cancellation. Knows HTTP and the retry policy, not
//! OAuth apps.
//!
//! Logs name the method, path, status, attempt, request id and timings, never
//! a header value or a body: headers hold the API key, bodies the client
//! secret.

use std::future::Future;
use std::time::{Duration, Instant, SystemTime};

use reqwest::header::{HeaderName, HeaderValue, ETAG, RETRY_AFTER};
use reqwest::Method;
use serde::de::DeserializeOwned;
use tokio_util::sync::CancellationToken;

use super::config::shown_url;
use super::error::{Error, TransportKind};
use super::retry::{parse_retry_after, Failure, Next, RetryPolicy};

/// Apps are small and pages hold at most 100: anything near this is not Writer.
const MAX_BODY_BYTES: usize = 4 * 1024 * 1024;

const X_REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// A request, ready to be sent as many times as needed.
pub(crate) struct Call<'a> {
    pub method: Method,
    pub url: url::Url,
    /// JSON, the same bytes on every attempt.
    pub body: Option<&'a [u8]>,
    /// Idempotency-Key, If-Match.
    pub headers: Vec<(HeaderName, HeaderValue)>,
    /// Repeating it is harmless even if Writer acted on an earlier attempt.
    pub safe: bool,
    /// A write: once sent, it is not abandoned when the client is
    /// cancelled. Writer may already be carrying it out, and only its
    /// answer says what happened (for a create, the new app's ID, without
    /// which the app would exist outside Terraform's state). Cancellation
    /// then only stops further attempts. Reads are abandoned at once.
    pub finish_if_cancelled: bool,
}

/// The final HTTP answer to a call (success or not).
pub(crate) struct Answer {
    pub status: u16,
    pub etag: Option<String>,
    pub request_id: Option<String>,
    pub retry_after: Option<Duration>,
    pub body: Vec<u8>,
    pub attempts: u32,
    /// An earlier attempt failed in a way that leaves open whether Writer
    /// carried it out: this answer may be to a repeat of a done request.
    pub after_lost_attempt: bool,
}

impl Answer {
    pub(crate) fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    pub(crate) fn json<T: DeserializeOwned>(&self) -> Result<T, Error> {
        serde_json::from_slice(&self.body).map_err(|e| Error::BadResponse {
            status: self.status,
            reason: format!("the body is not the JSON the contract describes ({e})"),
            request_id: self.request_id.clone(),
        })
    }

    pub(crate) fn into_error(self) -> Error {
        Error::from_answer(
            self.status,
            &self.body,
            self.request_id,
            self.attempts,
            self.retry_after,
        )
    }
}

/// How one attempt ended without an HTTP answer to act on.
enum AttemptError {
    Transport(reqwest::Error),
    TooLarge {
        status: u16,
        request_id: Option<String>,
    },
}

/// Sends calls with retries. Shared by all clones of a `Client`.
pub(crate) struct Sender {
    pub http: reqwest::Client,
    pub policy: RetryPolicy,
    pub request_timeout: Duration,
    pub cancel: Option<CancellationToken>,
}

impl Sender {
    /// Sends `call` until it gets an answer that is final under the retry
    /// policy. `Err` only when no answer came back (or it was unreadable).
    pub(crate) async fn send(&self, call: &Call<'_>) -> Result<Answer, Error> {
        let started = Instant::now();
        let path = call.url.path();
        let mut after_lost_attempt = false;
        let mut attempt: u32 = 0;
        loop {
            attempt += 1;
            let remaining = self.policy.max_elapsed.saturating_sub(started.elapsed());
            let timeout = if remaining.is_zero() {
                self.request_timeout
            } else {
                self.request_timeout.min(remaining)
            };
            if self.is_cancelled() {
                return Err(Error::Cancelled);
            }
            let sent = Instant::now();
            let result = if call.finish_if_cancelled {
                // Bounded by `timeout`, like every attempt.
                self.attempt(call, timeout).await
            } else {
                self.cancellable(self.attempt(call, timeout)).await?
            };
            let elapsed_ms = millis(sent.elapsed());
            let (failure, retry_after, outcome) = match result {
                Ok(answer) => {
                    tracing::debug!(
                        method = %call.method,
                        path,
                        status = answer.status,
                        attempt,
                        request_id = answer.request_id.as_deref().unwrap_or("-"),
                        elapsed_ms,
                        "Writer API request"
                    );
                    let failure = Failure::Status(answer.status);
                    if !failure.is_transient() {
                        return Ok(Answer {
                            attempts: attempt,
                            after_lost_attempt,
                            ..answer
                        });
                    }
                    (failure, answer.retry_after, Ok(answer))
                }
                Err(AttemptError::TooLarge { status, request_id }) => {
                    return Err(Error::BadResponse {
                        status,
                        reason: format!("the body is larger than {MAX_BODY_BYTES} bytes"),
                        request_id,
                    })
                }
                Err(AttemptError::Transport(e)) => {
                    let error = Error::transport(&e, shown_url(&call.url), attempt);
                    let kind = match &error {
                        Error::Transport { kind, .. } => *kind,
                        _ => TransportKind::Other,
                    };
                    tracing::debug!(
                        method = %call.method,
                        path,
                        attempt,
                        elapsed_ms,
                        error = %kind,
                        "Writer API request failed"
                    );
                    if kind == TransportKind::Tls {
                        // A certificate problem does not heal by trying again.
                        return Err(error);
                    }
                    let failure = if e.is_connect() {
                        Failure::Connect
                    } else {
                        Failure::Lost
                    };
                    (failure, None, Err(error))
                }
            };
            let next = self.policy.next(
                failure,
                call.safe,
                attempt,
                started.elapsed(),
                retry_after,
                rand::random::<f64>(),
            );
            match next {
                Next::Wait(wait) => {
                    tracing::trace!(
                        method = %call.method,
                        path,
                        attempt,
                        failure = %failure_text(failure),
                        retry_after_ms = retry_after.map(millis),
                        wait_ms = millis(wait),
                        "waiting before retrying Writer API request"
                    );
                    after_lost_attempt |= failure.maybe_performed();
                    self.cancellable(tokio::time::sleep(wait)).await?;
                }
                Next::GiveUp(why) => {
                    tracing::trace!(
                        method = %call.method,
                        path,
                        attempt,
                        failure = %failure_text(failure),
                        reason = ?why,
                        "not retrying Writer API request"
                    );
                    return outcome.map(|answer| Answer {
                        attempts: attempt,
                        after_lost_attempt,
                        ..answer
                    });
                }
            }
        }
    }

    async fn attempt(&self, call: &Call<'_>, timeout: Duration) -> Result<Answer, AttemptError> {
        let mut request = self
            .http
            .request(call.method.clone(), call.url.clone())
            .timeout(timeout);
        for (name, value) in &call.headers {
            request = request.header(name, value);
        }
        if let Some(body) = call.body {
            request = request
                .header(reqwest::header::CONTENT_TYPE, "application/json")
                .body(body.to_vec());
        }
        let mut response = request.send().await.map_err(AttemptError::Transport)?;
        let status = response.status().as_u16();
        let headers = response.headers();
        let text = |name: &HeaderName| {
            headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        };
        let request_id = text(&X_REQUEST_ID);
        let etag = text(&ETAG);
        let retry_after = text(&RETRY_AFTER).and_then(|v| parse_retry_after(&v, SystemTime::now()));
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(AttemptError::Transport)? {
            if body.len() + chunk.len() > MAX_BODY_BYTES {
                return Err(AttemptError::TooLarge { status, request_id });
            }
            body.extend_from_slice(&chunk);
        }
        Ok(Answer {
            status,
            etag,
            request_id,
            retry_after,
            body,
            attempts: 1,
            after_lost_attempt: false,
        })
    }

    fn is_cancelled(&self) -> bool {
        self.cancel
            .as_ref()
            .is_some_and(CancellationToken::is_cancelled)
    }

    /// Runs `work` unless the cancellation token fires first.
    async fn cancellable<F: Future>(&self, work: F) -> Result<F::Output, Error> {
        match &self.cancel {
            None => Ok(work.await),
            Some(token) => tokio::select! {
                biased;
                () = token.cancelled() => Err(Error::Cancelled),
                out = work => Ok(out),
            },
        }
    }
}

fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

fn failure_text(failure: Failure) -> String {
    match failure {
        Failure::Status(s) => format!("HTTP {s}"),
        Failure::Connect => "connection failed".to_string(),
        Failure::Lost => "answer lost".to_string(),
    }
}
