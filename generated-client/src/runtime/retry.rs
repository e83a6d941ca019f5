//! When a failed attempt is tried again, and how long the client waits before it.

use reqwest::header::HeaderMap;
use reqwest::StatusCode;
use std::time::Duration;

/// When and how often to retry.
///
/// Only idempotent requests (`GET`, `HEAD`, `DELETE`, ...) are retried, never a `POST`
/// unless its operation is repeatable and the client opted in
/// ([`ClientBuilder::retry_repeatable_posts`](crate::ClientBuilder::retry_repeatable_posts)). Retried: `429`, `403` that carries
/// `retry-after` or an exhausted `x-ratelimit-remaining` (or whose error body the API's
/// conventions read as a rate limit), `5xx`, and connection
/// failures. Waits follow `retry-after` (seconds or an HTTP date) or
/// `x-ratelimit-reset` when given; a rate limit that names no time waits what the API
/// documents for that case, doubling while the refusals go on; else back off
/// exponentially from `initial_backoff`.
///
/// A wait that would take the total past `max_total_wait` ends the retries at once and
/// returns the last error, whatever the server asked for: a `retry-after` of years (or
/// of `u64::MAX` seconds) or a far-off `x-ratelimit-reset` is never slept on.
///
/// [`RetryPolicy::default()`] is:
///
/// | Field | Default |
/// |---|---|
/// | [`max_attempts`](RetryPolicy::max_attempts) | 4 (the first request and 3 retries) |
/// | [`initial_backoff`](RetryPolicy::initial_backoff) | 500 ms (then 1 s, 2 s, ...) |
/// | [`max_backoff`](RetryPolicy::max_backoff) | 30 s |
/// | [`max_total_wait`](RetryPolicy::max_total_wait) | 120 s |
///
/// Set fields of your own with struct update syntax:
/// `RetryPolicy { max_attempts: 6, ..RetryPolicy::default() }`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Requests sent at most, counting the first.
    pub max_attempts: u32,
    /// The first backoff; each next one doubles, up to `max_backoff`.
    pub initial_backoff: Duration,
    /// The longest single backoff.
    pub max_backoff: Duration,
    /// The longest total time spent waiting between attempts.
    pub max_total_wait: Duration,
}

impl Default for RetryPolicy {
    /// The values the table of [`RetryPolicy`] lists.
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 4,
            initial_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(30),
            max_total_wait: Duration::from_secs(120),
        }
    }
}

/// `None`: not retryable. `Some(None)`: retryable, no wait given. `Some(Some(d))`: wait `d`.
pub(crate) fn retry_delay(status: StatusCode, headers: &HeaderMap) -> Option<Option<Duration>> {
    let retry_after = super::response::retry_after(headers);
    let exhausted = super::response::header_u64(headers, super::response::RATE_LIMIT_REMAINING) == Some(0);
    let until_reset = || {
        let reset = super::response::reset_time(headers)?;
        let now = chrono::Utc::now();
        Some((reset - now).to_std().unwrap_or_default())
    };
    match status.as_u16() {
        429 => Some(retry_after.or_else(until_reset)),
        403 if retry_after.is_some() => Some(retry_after),
        403 if exhausted => Some(until_reset()),
        500..=599 => Some(retry_after),
        _ => None,
    }
}

pub(crate) fn backoff(policy: &RetryPolicy, attempts: u32) -> Duration {
    let factor = 2u32.saturating_pow(attempts.saturating_sub(1));
    policy.initial_backoff.saturating_mul(factor).min(policy.max_backoff)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The defaults are what the type's documentation table says they are: each row is
    /// made from the value and looked for in this file's text.
    #[test]
    fn the_default_policy_is_the_documented_one() {
        let policy = RetryPolicy::default();
        let documented = include_str!("retry.rs");
        let rows = [
            format!(
                "| [`max_attempts`](RetryPolicy::max_attempts) | {} (the first request and {} retries) |",
                policy.max_attempts,
                policy.max_attempts - 1
            ),
            format!(
                "| [`initial_backoff`](RetryPolicy::initial_backoff) | {} ms (then ",
                policy.initial_backoff.as_millis()
            ),
            format!("| [`max_backoff`](RetryPolicy::max_backoff) | {} s |", policy.max_backoff.as_secs()),
            format!("| [`max_total_wait`](RetryPolicy::max_total_wait) | {} s |", policy.max_total_wait.as_secs()),
        ];
        for row in rows {
            assert!(documented.contains(&format!("/// {row}")), "the documentation of `RetryPolicy` lacks `{row}`");
        }
        let waits: Vec<Duration> = (1..=3).map(|attempt| backoff(&policy, attempt)).collect();
        assert_eq!(waits, [Duration::from_millis(500), Duration::from_secs(1), Duration::from_secs(2)]);
        assert_eq!(backoff(&policy, 20), policy.max_backoff);
    }
}
