//! One logical call to Writer: its attempts, the waits between them, a log
//! line per attempt, and cancellation. Knows HTTP and the retry policy, not
//! OAuth apps.
//!
//! Logs name the method, path, status, attempt, request id and timings, never
//! a header value or a body: headers hold the API key, bodies the client
//! secret. What the server wrote (request id, `Location`) is passed through
//! the call's [`Redactor`] before it is logged or kept.
//!
//! Redirects are never followed (the reqwest client is built with
//! `Policy::none()`): a 3xx ends the call with [`Error::Redirected`], naming
//! only the origin it pointed to. A whole operation (several calls: pages, a
//! read-back, the lookup after an unclear create) shares one [`Deadline`],
//! and each attempt ends at `request_timeout` however its answer arrives:
//! headers and the whole body, a stalled or trickling one included.
//!
//! On a failed write the loop also says whether Writer may have carried it
//! out ([`Outcome`]): the one place that is decided, from every attempt.
//! Every answer's `Date` goes to the operation's [`WriterClock`].
//!
//! A download's successful body goes to a [`Sink`] as it arrives, never
//! into memory: the sink sets how many bytes it takes and how much longer
//! than `request_timeout` they may take to arrive (a rate: each piece is
//! due by then for the bytes before it); the headers still come within
//! `request_timeout`.

use std::future::Future;
use std::time::{Duration, Instant, SystemTime};

use std::sync::{Arc, Mutex};

use reqwest::header::{HeaderName, HeaderValue, DATE, ETAG, RETRY_AFTER};
use reqwest::Method;
use serde::de::DeserializeOwned;
use tokio_util::sync::CancellationToken;

use super::body::Body;
use super::config::shown_url;
use super::error::{transport_kind, Error, Outcome, TransportKind, WriteError};
use super::redact::Redactor;
use super::retry::{parse_retry_after, Failure, Next, RetryPolicy};
use super::secret::Secret;

/// Apps are small and pages hold at most 100: anything near this is not Writer.
const MAX_BODY_BYTES: usize = 4 * 1024 * 1024;

const X_REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// Writer's request ids are short tokens; more is not an id worth showing.
const MAX_REQUEST_ID_CHARS: usize = 128;

/// Where a successful answer's body goes in place of memory (a download,
/// hashed as it arrives). Each attempt starts it again.
pub(crate) trait Sink: Send {
    /// A new answer begins: forget what an earlier attempt gave.
    fn restart(&mut self);
    /// The next piece of the body.
    fn take(&mut self, chunk: &[u8]);
    /// The most bytes a body may have; a longer one ends the call with an
    /// error.
    fn max_bytes(&self) -> u64;
    /// How much longer than `request_timeout` a body of `length` bytes may
    /// take to arrive.
    fn allowance(&self, length: u64) -> Duration;
}

/// The end of one operation's time: every call, page and retry of it ends
/// by then (the provider's `retry_timeout`).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Deadline {
    started: Instant,
    limit: Duration,
    /// Kept back for what the caller does after this call: the call ends
    /// this much before `limit`.
    kept: Duration,
}

impl Deadline {
    pub(crate) fn starting_now(limit: Duration) -> Deadline {
        Deadline {
            started: Instant::now(),
            limit,
            kept: Duration::ZERO,
        }
    }

    /// The same deadline, for a call that must leave `room` of the
    /// operation's time unused (at most all of it), in place of any room
    /// kept before.
    pub(crate) fn keeping(self, room: Duration) -> Deadline {
        Deadline {
            kept: room.min(self.limit),
            ..self
        }
    }

    /// The same deadline, `more` later: for a call that may take longer
    /// than others of its operation (an upload, by its size).
    pub(crate) fn extended(self, more: Duration) -> Deadline {
        Deadline {
            limit: self.limit.saturating_add(more),
            ..self
        }
    }

    fn elapsed(&self) -> Duration {
        self.started.elapsed()
    }

    fn remaining(&self) -> Duration {
        self.limit
            .saturating_sub(self.kept)
            .saturating_sub(self.elapsed())
    }

    pub(crate) fn passed(&self) -> bool {
        self.remaining().is_zero()
    }

    pub(crate) fn out_of_time(&self) -> Error {
        Error::OutOfTime { limit: self.limit }
    }
}

/// A request, ready to be sent as many times as needed.
pub(crate) struct Call<'a> {
    pub method: Method,
    pub url: url::Url,
    /// JSON, a file, or nothing: the same bytes on every attempt.
    pub body: Body<'a>,
    /// Idempotency-Key, If-Match.
    pub headers: Vec<(HeaderName, HeaderValue)>,
    /// Repeating it is harmless even if Writer acted on an earlier attempt.
    pub safe: bool,
    /// The client secret in `body`, if any: redacted from the answer's text.
    pub secret: Option<&'a Secret>,
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
    /// The `Location` header, resolved against the request URL.
    pub location: Option<url::Url>,
    /// The secrets of this call, to clean server text with.
    pub redactor: Redactor,
}

impl Answer {
    pub(crate) fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    pub(crate) fn json<T: DeserializeOwned>(&self) -> Result<T, Error> {
        serde_json::from_slice(&self.body).map_err(|e| Error::BadResponse {
            status: self.status,
            // serde quotes the offending value, which may be an echo.
            reason: self.redactor.clean(&format!(
                "the body is not the JSON the contract describes ({e})"
            )),
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
            &self.redactor,
        )
    }

    /// Whether Writer may have carried out the write this answers: yes when
    /// an earlier attempt was lost, or this answer is a success or a 5xx.
    pub(crate) fn outcome(&self) -> Outcome {
        outcome(self.after_lost_attempt || Failure::Status(self.status).maybe_performed())
    }

    /// A write's final answer that is not a success, as its error.
    pub(crate) fn into_write_error(self) -> WriteError {
        let outcome = self.outcome();
        WriteError {
            error: self.into_error(),
            outcome,
        }
    }
}

/// A write's failure, and whether any attempt of it may have been carried out.
fn write_error(error: Error, maybe_performed: bool) -> WriteError {
    WriteError {
        error,
        outcome: outcome(maybe_performed),
    }
}

fn outcome(maybe_performed: bool) -> Outcome {
    if maybe_performed {
        Outcome::Unknown
    } else {
        Outcome::NotDone
    }
}

/// How one attempt ended without an HTTP answer to act on.
enum AttemptError {
    Transport(reqwest::Error),
    TooLarge {
        status: u16,
        request_id: Option<String>,
        limit: u64,
    },
    /// No complete answer (headers and whole body) within this long.
    TimedOut(Duration),
    /// The body could not be made (a file to send is unreadable): nothing
    /// was sent.
    Body(Error),
}

impl AttemptError {
    /// How the attempt ended, for the retry policy and a write's outcome.
    fn failure(&self) -> Failure {
        match self {
            AttemptError::TooLarge { status, .. } => Failure::Status(*status),
            AttemptError::TimedOut(_) => Failure::Lost,
            AttemptError::Body(_) => Failure::Connect,
            // A TLS handshake that failed sent nothing either.
            AttemptError::Transport(e)
                if e.is_connect() || transport_kind(e) == TransportKind::Tls =>
            {
                Failure::Connect
            }
            AttemptError::Transport(_) => Failure::Lost,
        }
    }
}

/// Writer's clock as the `Date` headers of one operation's answers show it:
/// the largest `Date − local time of arrival`, in milliseconds. A `Date` is
/// Writer's clock rounded down to the second, written before the answer
/// travels, so each reading is at most how far Writer's clock is ahead of
/// this machine's, and the largest is the closest. Shared by the clones of
/// one operation's client.
#[derive(Clone, Debug, Default)]
pub(crate) struct WriterClock(Arc<Mutex<Option<i64>>>);

impl WriterClock {
    /// Notes a `Date` of `date` on an answer that arrived at `arrived`.
    pub(crate) fn saw(&self, date: SystemTime, arrived: SystemTime) {
        let ahead = match date.duration_since(arrived) {
            Ok(ahead) => i64::try_from(ahead.as_millis()).unwrap_or(i64::MAX),
            Err(behind) => -i64::try_from(behind.duration().as_millis()).unwrap_or(i64::MAX),
        };
        let mut best = self.0.lock().unwrap_or_else(|e| e.into_inner());
        *best = Some(best.map_or(ahead, |b| b.max(ahead)));
    }

    pub(crate) fn ahead_ms(&self) -> Option<i64> {
        *self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Sends calls with retries. Shared by all clones of a `Client`.
#[derive(Clone)]
pub(crate) struct Sender {
    pub http: reqwest::Client,
    pub policy: RetryPolicy,
    pub request_timeout: Duration,
    pub cancel: Option<CancellationToken>,
    /// Sent in every `Authorization` header; redacted from every answer.
    pub api_key: Secret,
    /// Writer's clock, from the `Date` of every answer.
    pub clock: WriterClock,
}

impl Sender {
    /// The deadline of an operation starting now.
    pub(crate) fn deadline(&self) -> Deadline {
        Deadline::starting_now(self.policy.max_elapsed)
    }

    /// Sends `call` until it gets an answer that is final under the retry
    /// policy, or `deadline` passes. `Err` when no answer came back (or it
    /// was unreadable, or a redirect).
    pub(crate) async fn send(&self, call: &Call<'_>, deadline: Deadline) -> Result<Answer, Error> {
        self.send_write(call, deadline).await.map_err(|e| e.error)
    }

    /// [`Sender::send`] for a write: an `Err` also says whether Writer may
    /// have carried the request out, from every attempt made (a refusal
    /// after a lost attempt leaves it unknown).
    pub(crate) async fn send_write(
        &self,
        call: &Call<'_>,
        deadline: Deadline,
    ) -> Result<Answer, WriteError> {
        self.send_into(call, deadline, None).await
    }

    /// [`Sender::send`] with a successful answer's body given to `sink` as
    /// it arrives (the [`Answer`]'s `body` is then empty); a failure's body
    /// is read as usual.
    pub(crate) async fn send_streamed(
        &self,
        call: &Call<'_>,
        deadline: Deadline,
        sink: &mut dyn Sink,
    ) -> Result<Answer, Error> {
        self.send_into(call, deadline, Some(sink))
            .await
            .map_err(|e| e.error)
    }

    async fn send_into(
        &self,
        call: &Call<'_>,
        deadline: Deadline,
        mut sink: Option<&mut dyn Sink>,
    ) -> Result<Answer, WriteError> {
        let redactor = Redactor::new(std::iter::once(&self.api_key).chain(call.secret));
        let mut after_lost_attempt = false;
        let mut number: u32 = 0;
        loop {
            number += 1;
            // Not sent (out of time, or stopped): only earlier attempts count.
            let (result, took) = self
                .try_once(call, deadline, &redactor, sink.as_deref_mut())
                .await
                .map_err(|error| write_error(error, after_lost_attempt))?;
            let this = Attempt {
                call,
                number,
                elapsed_ms: millis(took),
            };
            let performed = match &result {
                Ok(answer) => Failure::Status(answer.status),
                Err(e) => e.failure(),
            }
            .maybe_performed();
            let ended = |end: Result<Answer, Error>| {
                numbered(end, number, after_lost_attempt)
                    .map_err(|error| write_error(error, after_lost_attempt || performed))
            };
            let transient = match classify(&this, result, deadline, &redactor) {
                Verdict::Final(end) => return ended(end),
                Verdict::Transient(transient) => transient,
            };
            match self.decide(&this, &transient, deadline) {
                Some(wait) => {
                    after_lost_attempt |= performed;
                    self.cancellable(tokio::time::sleep(wait))
                        .await
                        .map_err(|error| write_error(error, after_lost_attempt))?;
                }
                None => return ended(transient.outcome),
            }
        }
    }

    /// One attempt, if `deadline` and cancellation allow it, and how long it
    /// took. A read is abandoned on cancellation; a write is finished.
    async fn try_once(
        &self,
        call: &Call<'_>,
        deadline: Deadline,
        redactor: &Redactor,
        sink: Option<&mut (dyn Sink + '_)>,
    ) -> Result<(Result<Answer, AttemptError>, Duration), Error> {
        let remaining = deadline.remaining();
        if remaining.is_zero() {
            return Err(deadline.out_of_time());
        }
        // A streamed body's own bound (its size's allowance) is kept inside
        // the attempt; this one is its largest.
        let longest = match &sink {
            Some(sink) => self
                .request_timeout
                .saturating_add(sink.allowance(sink.max_bytes())),
            None => self.request_timeout,
        };
        let timeout = longest.min(remaining);
        if self.is_cancelled() {
            return Err(Error::Cancelled);
        }
        let sent = Instant::now();
        // One bound for the whole exchange, from connecting to the body's
        // last byte: a stalled or trickling answer ends here (ours, so that
        // it does not rest on how the HTTP stack scopes its own timeouts).
        let bounded = async {
            tokio::time::timeout(timeout, self.attempt(call, redactor, sink))
                .await
                .unwrap_or(Err(AttemptError::TimedOut(timeout)))
        };
        let result = if call.finish_if_cancelled {
            // Bounded by `timeout`, like every attempt.
            bounded.await
        } else {
            self.cancellable(bounded).await?
        };
        Ok((result, sent.elapsed()))
    }

    /// The retry policy's word on a transient failure: how long to wait
    /// before the next attempt, or `None` to give up.
    fn decide(
        &self,
        this: &Attempt<'_, '_>,
        transient: &Transient,
        deadline: Deadline,
    ) -> Option<Duration> {
        let Transient {
            failure,
            retry_after,
            ..
        } = *transient;
        let next = self.policy.next(
            failure,
            this.call.safe,
            this.number,
            deadline.elapsed(),
            retry_after,
            fastrand::f64(), // jitter needs spread, not secrecy
        );
        match next {
            Next::Wait(wait) => {
                tracing::trace!(
                    method = %this.call.method,
                    path = this.call.url.path(),
                    attempt = this.number,
                    failure = %failure_text(failure),
                    retry_after_ms = retry_after.map(millis),
                    wait_ms = millis(wait),
                    "waiting before retrying Writer API request"
                );
                Some(wait)
            }
            Next::GiveUp(why) => {
                tracing::trace!(
                    method = %this.call.method,
                    path = this.call.url.path(),
                    attempt = this.number,
                    failure = %failure_text(failure),
                    reason = ?why,
                    "not retrying Writer API request"
                );
                None
            }
        }
    }

    /// One exchange; its time bound is the caller's (`try_once`).
    async fn attempt(
        &self,
        call: &Call<'_>,
        redactor: &Redactor,
        sink: Option<&mut (dyn Sink + '_)>,
    ) -> Result<Answer, AttemptError> {
        let started = Instant::now();
        let mut request = self.http.request(call.method.clone(), call.url.clone());
        for (name, value) in &call.headers {
            request = request.header(name, value);
        }
        let request = call
            .body
            .attach(request)
            .await
            .map_err(AttemptError::Body)?;
        let mut response = match &sink {
            // The headers within `request_timeout`, as for any call.
            Some(_) => tokio::time::timeout(self.request_timeout, request.send())
                .await
                .map_err(|_| AttemptError::TimedOut(self.request_timeout))?,
            None => request.send().await,
        }
        .map_err(AttemptError::Transport)?;
        let status = response.status().as_u16();
        let headers = response.headers();
        let text = |name: &HeaderName| {
            headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        };
        let request_id = text(&X_REQUEST_ID).map(|id| {
            let id: String = id.chars().take(MAX_REQUEST_ID_CHARS).collect();
            redactor.clean(&id)
        });
        if let Some(date) = text(&DATE).and_then(|d| httpdate::parse_http_date(&d).ok()) {
            self.clock.saw(date, SystemTime::now());
        }
        // An ETag holding a whole secret is not kept (it would go to private
        // state); one that shares a piece with a secret is just an ETag.
        let etag = text(&ETAG).filter(|e| !redactor.holds_whole(e));
        let location = text(&reqwest::header::LOCATION).and_then(|l| call.url.join(&l).ok());
        let retry_after = text(&RETRY_AFTER).and_then(|v| parse_retry_after(&v, SystemTime::now()));
        let mut body = Vec::new();
        match sink {
            Some(sink) if (200..300).contains(&status) => {
                let bound = Bound {
                    started,
                    request_timeout: self.request_timeout,
                };
                stream_body(&mut response, sink, bound, status, &request_id).await?;
            }
            _ => {
                while let Some(chunk) = response.chunk().await.map_err(AttemptError::Transport)? {
                    if body.len() + chunk.len() > MAX_BODY_BYTES {
                        return Err(AttemptError::TooLarge {
                            status,
                            request_id,
                            limit: MAX_BODY_BYTES as u64,
                        });
                    }
                    body.extend_from_slice(&chunk);
                }
            }
        }
        Ok(Answer {
            status,
            etag,
            request_id,
            retry_after,
            body,
            attempts: 1,
            after_lost_attempt: false,
            location,
            redactor: redactor.clone(),
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

/// When a streamed attempt began, and its bound before any allowance.
struct Bound {
    started: Instant,
    request_timeout: Duration,
}

/// A successful answer's body into `sink`: at most its `max_bytes` (a
/// declared `Content-Length` above that is refused before reading), and
/// never slower than the sink's allowance: each piece must arrive within
/// `request_timeout` of the attempt's start plus the allowance for the
/// bytes already read, so a stalled or trickling body ends about one
/// `request_timeout` in, and a whole body takes at most `request_timeout`
/// plus the allowance for its size.
async fn stream_body(
    response: &mut reqwest::Response,
    sink: &mut dyn Sink,
    bound: Bound,
    status: u16,
    request_id: &Option<String>,
) -> Result<(), AttemptError> {
    let max = sink.max_bytes();
    let too_large = || AttemptError::TooLarge {
        status,
        request_id: request_id.clone(),
        limit: max,
    };
    if response.content_length().is_some_and(|n| n > max) {
        return Err(too_large());
    }
    sink.restart();
    let mut seen = 0u64;
    loop {
        let allowed = bound.request_timeout.saturating_add(sink.allowance(seen));
        let until = tokio::time::Instant::from_std(bound.started + allowed);
        let next = tokio::time::timeout_at(until, response.chunk())
            .await
            .map_err(|_| AttemptError::TimedOut(allowed))?
            .map_err(AttemptError::Transport)?;
        let Some(chunk) = next else {
            return Ok(());
        };
        seen += chunk.len() as u64;
        if seen > max {
            return Err(too_large());
        }
        sink.take(&chunk);
    }
}

/// One attempt of a call: what its log lines and errors name.
struct Attempt<'c, 'a> {
    call: &'c Call<'a>,
    /// 1 for the first.
    number: u32,
    elapsed_ms: u64,
}

impl Attempt<'_, '_> {
    fn log_answer(&self, answer: &Answer) {
        tracing::debug!(
            method = %self.call.method,
            path = self.call.url.path(),
            status = answer.status,
            attempt = self.number,
            request_id = answer.request_id.as_deref().unwrap_or("-"),
            elapsed_ms = self.elapsed_ms,
            "Writer API request"
        );
    }

    fn log_failure(&self, kind: TransportKind) {
        tracing::debug!(
            method = %self.call.method,
            path = self.call.url.path(),
            attempt = self.number,
            elapsed_ms = self.elapsed_ms,
            error = %kind,
            "Writer API request failed"
        );
    }
}

/// What one attempt's result means for the call.
enum Verdict {
    /// The call ends with this.
    Final(Result<Answer, Error>),
    /// Worth another attempt if the retry policy allows one.
    Transient(Transient),
}

/// A failure that another attempt may mend.
struct Transient {
    failure: Failure,
    retry_after: Option<Duration>,
    /// What the call ends with if it is not retried.
    outcome: Result<Answer, Error>,
}

/// Classifies (and logs) one attempt's result.
fn classify(
    this: &Attempt<'_, '_>,
    result: Result<Answer, AttemptError>,
    deadline: Deadline,
    redactor: &Redactor,
) -> Verdict {
    match result {
        Ok(answer) => classify_answer(this, answer, redactor),
        Err(AttemptError::TooLarge {
            status,
            request_id,
            limit,
        }) => Verdict::Final(Err(Error::BadResponse {
            status,
            reason: format!("the body is larger than {limit} bytes"),
            request_id,
        })),
        Err(AttemptError::Transport(e)) => classify_transport(this, &e, deadline),
        Err(AttemptError::TimedOut(after)) => classify_timeout(this, after, deadline),
        Err(AttemptError::Body(e)) => Verdict::Final(Err(e)),
    }
}

/// No complete answer within the attempt's time: the end of the operation's
/// time, or a lost answer that may be retried.
fn classify_timeout(this: &Attempt<'_, '_>, after: Duration, deadline: Deadline) -> Verdict {
    this.log_failure(TransportKind::Timeout);
    if deadline.passed() {
        return Verdict::Final(Err(deadline.out_of_time()));
    }
    Verdict::Transient(Transient {
        failure: Failure::Lost,
        retry_after: None,
        outcome: Err(Error::Transport {
            kind: TransportKind::Timeout,
            url: shown_url(&this.call.url),
            attempts: this.number,
            reason: format!("still incomplete after {}s", after.as_secs_f64()),
        }),
    })
}

/// An HTTP answer: a redirect ends the call, a transient status may be
/// retried, anything else is the call's answer.
fn classify_answer(this: &Attempt<'_, '_>, answer: Answer, redactor: &Redactor) -> Verdict {
    this.log_answer(&answer);
    if (300..400).contains(&answer.status) {
        tracing::debug!(status = answer.status, "a redirect: not following it");
        return Verdict::Final(Err(Error::Redirected {
            status: answer.status,
            to: answer.location.as_ref().map(|l| redactor.clean(&origin(l))),
            request_id: answer.request_id,
        }));
    }
    let failure = Failure::Status(answer.status);
    if !failure.is_transient() {
        return Verdict::Final(Ok(answer));
    }
    Verdict::Transient(Transient {
        failure,
        retry_after: answer.retry_after,
        outcome: Ok(answer),
    })
}

/// No answer: out of time and certificate problems end the call; a failed
/// connection or a lost answer may be retried.
fn classify_transport(this: &Attempt<'_, '_>, e: &reqwest::Error, deadline: Deadline) -> Verdict {
    if e.is_timeout() && deadline.passed() {
        return Verdict::Final(Err(deadline.out_of_time()));
    }
    let error = Error::transport(e, shown_url(&this.call.url), this.number);
    let kind = match &error {
        Error::Transport { kind, .. } => *kind,
        _ => TransportKind::Other,
    };
    this.log_failure(kind);
    if kind == TransportKind::Tls {
        // A certificate problem does not heal by trying again.
        return Verdict::Final(Err(error));
    }
    let failure = if e.is_connect() {
        Failure::Connect
    } else {
        Failure::Lost
    };
    Verdict::Transient(Transient {
        failure,
        retry_after: None,
        outcome: Err(error),
    })
}

/// The call's outcome, its answer stamped with how many attempts it took.
fn numbered(
    outcome: Result<Answer, Error>,
    attempts: u32,
    after_lost_attempt: bool,
) -> Result<Answer, Error> {
    outcome.map(|answer| Answer {
        attempts,
        after_lost_attempt,
        ..answer
    })
}

/// Where a redirect pointed, as much as a message needs: scheme, host and
/// port. Never the user name, password, path or query (any may hold a secret).
fn origin(url: &url::Url) -> String {
    match url.host_str() {
        Some(host) => match url.port() {
            Some(port) => format!("{}://{host}:{port}", url.scheme()),
            None => format!("{}://{host}", url.scheme()),
        },
        None => format!("a {:?} URL with no host", url.scheme()),
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
