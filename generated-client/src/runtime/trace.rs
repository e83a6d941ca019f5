//! Tracing: one span per request (its operation, attempts, cache outcome, retries and
//! result) with the `tracing` feature, and nothing at all without it.

use super::decode::RawResponse;
use super::request::Request;
#[cfg(feature = "tracing")]
use crate::Error;
use crate::Result;
use std::time::Duration;

/// What the `tracing` feature records of one request: a span `request` at `INFO` with
/// the operation id, method, path template, attempt, status, request id, cache outcome
/// and duration, and an event per retry wait (`WARN` for a rate limit, naming the
/// operation, else `INFO`). Never the URL, query, headers or token. `Client`'s docs
/// describe it for users. Without the feature it is empty and every call does nothing.
pub(crate) struct Trace {
    #[cfg(feature = "tracing")]
    span: tracing::Span,
    /// The operation's name, repeated on the rate-limit warning: a log that shows
    /// warnings without their spans still says what was limited.
    #[cfg(feature = "tracing")]
    operation: std::borrow::Cow<'static, str>,
    #[cfg(feature = "tracing")]
    start: std::time::Instant,
}

#[cfg(feature = "tracing")]
impl Trace {
    pub(crate) fn start(request: &Request) -> Trace {
        let operation = request.operation.map_or("".into(), |named| named.name(&request.method));
        let path = request.operation.map_or("", |named| named.template());
        let span = tracing::info_span!(
            "request",
            operation = operation.as_ref(),
            method = request.method.as_str(),
            path,
            attempt = tracing::field::Empty,
            status = tracing::field::Empty,
            request_id = tracing::field::Empty,
            cache = tracing::field::Empty,
            duration_ms = tracing::field::Empty,
        );
        Trace { span, operation, start: std::time::Instant::now() }
    }

    pub(crate) fn instrument<F: std::future::Future>(&self, future: F) -> impl std::future::Future<Output = F::Output> {
        tracing::Instrument::instrument(future, self.span.clone())
    }

    pub(crate) fn attempt(&self, attempt: u32) {
        self.span.record("attempt", attempt);
    }

    pub(crate) fn cache(&self, outcome: &'static str) {
        self.span.record("cache", outcome);
    }

    pub(crate) fn retry(&self, attempt: u32, wait: Duration, reason: &'static str) {
        let wait_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX);
        if reason == "rate limit" {
            let operation = self.operation.as_ref();
            tracing::warn!(parent: &self.span, operation, attempt, wait_ms, reason, "rate limited; waiting before retrying");
        } else {
            tracing::info!(parent: &self.span, attempt, wait_ms, reason, "waiting before retrying");
        }
    }

    pub(crate) fn finish(&self, outcome: &Result<RawResponse>) {
        let duration_ms = u64::try_from(self.start.elapsed().as_millis()).unwrap_or(u64::MAX);
        self.span.record("duration_ms", duration_ms);
        match outcome {
            Ok(response) => {
                self.span.record("status", response.status().as_u16());
                if let Some(id) = response.request_id() {
                    self.span.record("request_id", super::error::escape_controls(&id).as_ref());
                }
            }
            Err(error) => {
                if let Some(status) = error.status() {
                    self.span.record("status", status.as_u16());
                }
                // The kind only: messages can name the URL, with the caller's path in it.
                let kind = match error {
                    Error::Timeout(_) => "timeout",
                    Error::Transport(_) => "transport",
                    Error::BodyTooLarge { .. } => "body too large",
                    Error::Retried { .. } => "retries exhausted",
                    _ => "other",
                };
                tracing::info!(parent: &self.span, error = kind, "request failed");
            }
        }
    }
}

#[cfg(not(feature = "tracing"))]
impl Trace {
    pub(crate) fn start(_: &Request) -> Trace {
        Trace {}
    }

    pub(crate) fn instrument<F: std::future::Future>(&self, future: F) -> F {
        future
    }

    pub(crate) fn attempt(&self, _: u32) {}

    pub(crate) fn cache(&self, _: &'static str) {}

    pub(crate) fn retry(&self, _: u32, _: Duration, _: &'static str) {}

    pub(crate) fn finish(&self, _: &Result<RawResponse>) {}
}
