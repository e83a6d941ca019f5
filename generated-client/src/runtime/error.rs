//! The one error type every call returns.
//!
//! Errors keep what the server sent as is, for programs to inspect; their `Display`
//! escapes control characters in it (see `runtime::escape_controls`), so printing an error
//! cannot move a terminal's cursor, recolour it or reorder the text around it.

use super::credentials::redact_url;
use reqwest::StatusCode;
use reqwest::Url;
use std::borrow::Cow;
use std::time::Duration;

/// Everything that can go wrong when calling the API.
///
/// Statuses the API documents as outcomes stay distinguishable without looking at
/// messages: match on the variant, or ask [`Error::status`].
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The API answered with an error status and an error body its conventions define.
    #[error("{0}")]
    Api(Box<ApiError>),
    /// The primary or a secondary rate limit was hit.
    #[error("{0}")]
    RateLimited(Box<RateLimitError>),
    /// A success body did not match its type.
    #[error("{0}")]
    Decode(Box<DecodeError>),
    /// A status the operation does not document, with a body that is not such an error body.
    #[error("{0}")]
    UnexpectedStatus(Box<UnexpectedStatus>),
    /// The request never got an answer, or its body could not be read (connection, TLS,
    /// protocol errors such as an oversized header...). The message lists every cause.
    #[error("transport error: {}", Causes(.0))]
    Transport(#[source] reqwest::Error),
    /// The request, or reading its response body, took longer than the configured
    /// timeout ([`ClientBuilder::timeout`](crate::ClientBuilder::timeout), or
    /// [`ClientBuilder::download_timeout`](crate::ClientBuilder::download_timeout) for
    /// downloads).
    #[error("timed out: {}", TimedOut(.0))]
    Timeout(#[source] reqwest::Error),
    /// The response body was larger than the client accepts.
    #[error("response body exceeds the limit of {limit} bytes")]
    BodyTooLarge {
        /// The limit, in bytes.
        limit: usize,
    },
    /// A parameter value cannot be sent as given.
    #[error("invalid value for `{name}`: {}", escape_controls(reason))]
    InvalidParameter {
        /// The parameter's name on the wire.
        name: &'static str,
        /// Why.
        reason: String,
    },
    /// A download's body exceeded
    /// [`ClientBuilder::max_download_bytes`](crate::ClientBuilder::max_download_bytes)
    /// (announced by `Content-Length`, or counted while streaming). Nothing is kept.
    #[error("download exceeds the limit of {limit} bytes")]
    DownloadTooLarge {
        /// The limit, in bytes.
        limit: u64,
    },
    /// A download received nothing for
    /// [`ClientBuilder::download_idle_timeout`](crate::ClientBuilder::download_idle_timeout):
    /// the server stopped sending without closing the connection.
    #[error("download stalled: nothing received for {} ms", idle.as_millis())]
    DownloadStalled {
        /// How long nothing arrived.
        idle: Duration,
    },
    /// A paginated listing's `Link: rel="next"` pointed back at a page already fetched;
    /// following it would request the same pages forever.
    #[error("pagination loop: the next page link points back at {}, which was already fetched", escape_controls(url))]
    PageLoop {
        /// The repeated URL (without credentials).
        url: String,
    },
    /// A paginated listing's `Link: rel="next"` pointed away from the API's origin
    /// (scheme, host and port). A next page is always on the API's own server; such a
    /// link is refused rather than followed, so no request of the listing leaves it.
    #[error("pagination left the API: the next page link points at {}, another origin", escape_controls(url))]
    PageOffOrigin {
        /// The refused URL (without credentials, query or fragment).
        url: String,
    },
    /// A paginated listing had more pages than
    /// [`ClientBuilder::max_pages`](crate::ClientBuilder::max_pages) allows; the items of
    /// the pages before were delivered.
    #[error("pagination stopped after {limit} pages, the configured maximum")]
    TooManyPages {
        /// The limit, in pages.
        limit: usize,
    },
    /// The client was configured with something unusable (a bad base URL, say).
    #[error("invalid configuration: {0}")]
    Config(String),
    /// Writing a download failed (including creating, syncing or renaming its file).
    #[error("writing the download failed: {0}")]
    Io(#[from] std::io::Error),
    /// The client's [`TokenSource`](crate::TokenSource) has no token, so the request was
    /// not sent. [`Error::status`] is `None`: the status of a refused token exchange is
    /// that of another request, kept in [`AuthError::Exchange`](crate::AuthError::Exchange).
    /// The predicates about the caller's access and the server's health
    /// ([`Error::is_unauthorized`], [`Error::is_forbidden`], [`Error::is_rate_limited`],
    /// [`Error::retry_after`], [`Error::is_server_error`], [`Error::request_id`]) answer
    /// for that exchange, so a refused credential or a failing server reads the same
    /// whichever of the two requests met it.
    #[error("authentication failed: {0}")]
    Auth(Box<super::auth::AuthError>),
    /// The server's release lacks the operation, or a parameter or field the request
    /// sets: refused before sending when the release was known (from
    /// `ClientBuilder::server_release` or an earlier response), or the `404` of a
    /// server whose response names such a release. Turn the checks off with
    /// [`ClientBuilder::check_availability`](crate::ClientBuilder::check_availability).
    #[error("{0}")]
    Unavailable(Box<Unavailable>),
    /// The retry policy gave up; `last` is the error of the final attempt.
    #[error("gave up after {attempts} attempts: {last}")]
    Retried {
        /// How many requests were sent.
        attempts: u32,
        /// The final attempt's error.
        last: Box<Error>,
    },
}

impl Error {
    /// The HTTP status behind the error, if there was a response.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api(e) => Some(e.status),
            Error::RateLimited(e) => Some(e.status),
            Error::Decode(e) => Some(e.status),
            Error::UnexpectedStatus(e) => Some(e.status),
            Error::Unavailable(e) => e.status,
            Error::Transport(e) | Error::Timeout(e) => e.status(),
            Error::Retried { last, .. } => last.status(),
            _ => None,
        }
    }

    /// The error that answers for the caller's access and the server's health: the final
    /// attempt's of a retried request, and the refusal inside a failed token exchange
    /// (itself possibly retried). A refused exchange says nothing of the resource asked
    /// for, so [`Error::status`] and the predicates about the resource do not look here.
    fn access_error(&self) -> &Error {
        let mut error = self;
        loop {
            error = match error {
                Error::Retried { last, .. } => last,
                Error::Auth(auth) => match &**auth {
                    super::auth::AuthError::Exchange(refusal)
                    | super::auth::AuthError::ExchangeRefusedWhileWaiting(refusal) => refusal,
                    _ => return error,
                },
                _ => return error,
            };
        }
    }

    /// The status behind [`Error::access_error`]: the request's own, or a failed token
    /// exchange's.
    fn access_status(&self) -> Option<StatusCode> {
        self.access_error().status()
    }

    /// Whether the API said the resource does not exist (`404`), e.g. deleted logs.
    /// A token exchange answered with `404` (an unknown installation) is not this: it
    /// says nothing of the resource.
    pub fn is_not_found(&self) -> bool {
        self.status() == Some(StatusCode::NOT_FOUND)
    }

    /// Whether the server's release lacks the operation, or a parameter or field the
    /// request sets ([`Error::Unavailable`]): the message names the release and where
    /// the operation or item exists.
    pub fn is_unavailable(&self) -> bool {
        matches!(self, Error::Unavailable(_))
    }

    /// Whether the API said the resource is gone for good (`410`), e.g. expired logs.
    pub fn is_gone(&self) -> bool {
        self.status() == Some(StatusCode::GONE)
    }

    /// Whether the request conflicts with the resource's state (`409`), e.g. cancelling
    /// a run that already finished.
    pub fn is_conflict(&self) -> bool {
        self.status() == Some(StatusCode::CONFLICT)
    }

    /// Whether the API refused the request for its rate limit: the primary limit
    /// (`x-ratelimit-remaining: 0`) or a secondary one (`429`, a `403` with
    /// `retry-after`, or a `403` whose error body the API's conventions recognise as a
    /// rate limit, such as "You have exceeded a secondary rate limit"). A
    /// rate-limited request may succeed later; [`Error::retry_after`] says when.
    /// Also true when the token exchange the request needed was refused for a rate limit.
    pub fn is_rate_limited(&self) -> bool {
        matches!(self.access_error(), Error::RateLimited(_))
    }

    /// How long to wait before trying a rate-limited request again: the response's
    /// `retry-after` (seconds, or an HTTP date), else the time left until
    /// `x-ratelimit-reset` when the budget is exhausted (zero once that time has
    /// passed), else the wait the API's conventions document for a rate limit that
    /// names no time. `None` for other errors, and for such rate limits of an API that
    /// documents no wait. A rate-limited token exchange answers for itself.
    pub fn retry_after(&self) -> Option<Duration> {
        match self.access_error() {
            Error::RateLimited(e) => e
                .retry_after
                .or_else(|| {
                    let reset = e.reset.filter(|_| e.remaining == Some(0))?;
                    Some((reset - chrono::Utc::now()).to_std().unwrap_or_default())
                })
                .or(e.documented_wait),
            _ => None,
        }
    }

    /// Whether the API refused the request for lack of permission (`403`) — not a rate
    /// limit, which some APIs also answer with `403` (see [`Error::is_rate_limited`]).
    /// Also true when the token exchange the request needed was refused so (a suspended
    /// installation, say).
    pub fn is_forbidden(&self) -> bool {
        self.access_status() == Some(StatusCode::FORBIDDEN) && !self.is_rate_limited()
    }

    /// Whether the request lacked valid credentials (`401`): no token, or an expired
    /// or revoked one. Also true when the token exchange the request needed was refused
    /// with `401` (a key or id the API does not accept).
    pub fn is_unauthorized(&self) -> bool {
        self.access_status() == Some(StatusCode::UNAUTHORIZED)
    }

    /// Whether the server failed (`5xx`): the request may succeed if sent again. Also
    /// true when the token exchange the request needed failed so.
    pub fn is_server_error(&self) -> bool {
        self.access_status().is_some_and(|status| status.is_server_error())
    }

    /// The request id of the failing response, to quote to the API's operators, when the
    /// API names one (a response header; see [`Response::request_id`](crate::Response::request_id)):
    /// a failed token exchange's, when that is what failed.
    pub fn request_id(&self) -> Option<&str> {
        match self.access_error() {
            Error::Api(e) => e.request_id.as_deref(),
            Error::RateLimited(e) => e.request_id.as_deref(),
            Error::Decode(e) => e.request_id.as_deref(),
            Error::UnexpectedStatus(e) => e.request_id.as_deref(),
            _ => None,
        }
    }
}

/// An operation, or a parameter or field of it, that the server's release lacks.
#[derive(Debug, Clone, PartialEq)]
pub struct Unavailable {
    /// The operation's `operationId`.
    pub operation: &'static str,
    /// The parameter or body field the release lacks (its name on the wire), `None`
    /// when it lacks the operation itself.
    pub item: Option<&'static str>,
    /// The name of the server's release.
    pub release: &'static str,
    /// Where the operation (or item) exists.
    pub available_on: &'static str,
    /// The status of the response that named the release (`404`), `None` when the
    /// request was refused before sending.
    pub status: Option<StatusCode>,
}

impl std::fmt::Display for Unavailable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.item {
            Some(item) => write!(f, "`{item}` of `{}`", self.operation)?,
            None => write!(f, "`{}`", self.operation)?,
        }
        write!(f, " is not available on {}, the server's release; it exists on {}", self.release, self.available_on)?;
        match self.status {
            Some(status) => write!(f, " (the server answered {status})"),
            None => f.write_str(" (not sent)"),
        }
    }
}

/// An error response whose body the API's conventions define.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiError {
    /// The HTTP status.
    pub status: StatusCode,
    /// The body's `message`.
    pub message: String,
    /// The body's `documentation_url`.
    pub documentation_url: Option<String>,
    /// The body's `errors` (validation details), as sent.
    pub errors: Vec<serde_json::Value>,
    /// The request id header, when the API has one.
    pub request_id: Option<String>,
    /// What the message calls the API (`API error 404: ...`): the name its conventions
    /// give it.
    pub api_name: &'static str,
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} error {}: {}", self.api_name, self.status, escape_controls(&self.message))?;
        if let Some(url) = &self.documentation_url {
            write!(f, " (see {})", escape_controls(url))?;
        }
        Ok(())
    }
}

/// A rate-limit refusal (`403` or `429` with the rate-limit headers).
#[derive(Debug, Clone, PartialEq)]
pub struct RateLimitError {
    /// The HTTP status.
    pub status: StatusCode,
    /// The error body's `message`, else the start of the body.
    pub message: String,
    /// `x-ratelimit-limit`.
    pub limit: Option<u64>,
    /// `x-ratelimit-remaining`.
    pub remaining: Option<u64>,
    /// `x-ratelimit-reset`, as a time.
    pub reset: Option<crate::DateTime>,
    /// `retry-after` (seconds, or an HTTP date as the time left until then), for
    /// secondary rate limits.
    pub retry_after: Option<Duration>,
    /// The request id header, when the API has one.
    pub request_id: Option<String>,
    /// How long the API's conventions say to wait after a rate limit that names no
    /// time: [`Error::retry_after`] when the response names none.
    pub documented_wait: Option<Duration>,
}

impl std::fmt::Display for RateLimitError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "rate limited ({}): {}", self.status, escape_controls(&self.message))?;
        if let Some(after) = self.retry_after {
            write!(f, "; retry after {}s", after.as_secs())?;
        } else if let Some(reset) = self.reset {
            write!(f, "; resets at {}", reset.to_rfc3339())?;
        }
        Ok(())
    }
}

/// A body that does not match the type the operation documents.
#[derive(Debug, Clone, PartialEq)]
pub struct DecodeError {
    /// The HTTP status.
    pub status: StatusCode,
    /// The JSON path of the failing value, e.g. `workflow_runs[3].id`.
    pub path: String,
    /// What serde said.
    pub message: String,
    /// The response's `Content-Type`.
    pub content_type: Option<String>,
    /// The start of the body (at most 512 bytes, lossily decoded).
    pub snippet: String,
    /// The request id header, when the API has one.
    pub request_id: Option<String>,
}

impl std::fmt::Display for DecodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (path, message) = (escape_controls(&self.path), escape_controls(&self.message));
        write!(f, "could not decode the {} response at `{path}`: {message}", self.status)?;
        if let Some(content_type) = &self.content_type {
            write!(f, " (content-type {})", escape_controls(content_type))?;
        }
        write!(f, "; body starts with \"{}\"", escape_controls(&self.snippet))
    }
}

/// A status the operation does not document.
#[derive(Debug, Clone, PartialEq)]
pub struct UnexpectedStatus {
    /// The HTTP status.
    pub status: StatusCode,
    /// The start of the body (at most 512 bytes, lossily decoded).
    pub body: String,
    /// The response's `Content-Type`.
    pub content_type: Option<String>,
    /// The `Location` header, for an undocumented redirect.
    pub location: Option<String>,
    /// The request id header, when the API has one.
    pub request_id: Option<String>,
}

impl std::fmt::Display for UnexpectedStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "unexpected status {}", self.status)?;
        if let Some(location) = &self.location {
            write!(f, " (location {})", escape_controls(location))?;
        }
        if !self.body.is_empty() {
            write!(f, ": \"{}\"", escape_controls(&self.body))?;
        }
        Ok(())
    }
}

/// Shows an error followed by each of its causes, `outer: inner: root`, escaped: the
/// HTTP client's own message ("error sending request") rarely says what went wrong.
struct Causes<'e>(&'e reqwest::Error);

impl std::fmt::Display for Causes<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        /// Cause chains are short; this only guards against a cyclic one.
        const MAX_CAUSES: usize = 16;
        let mut shown = self.0.to_string();
        write!(f, "{}", escape_controls(&shown))?;
        let mut cause = std::error::Error::source(self.0);
        for _ in 0..MAX_CAUSES {
            let Some(error) = cause else { break };
            let text = error.to_string();
            // Some layers repeat the message of the layer below; say it once.
            if !shown.ends_with(&text) {
                write!(f, ": {}", escape_controls(&text))?;
            }
            shown = text;
            cause = error.source();
        }
        Ok(())
    }
}

/// Says which part of the exchange a timeout cut short, rather than the HTTP client's
/// name for the step it was in ("error decoding response body").
struct TimedOut<'e>(&'e reqwest::Error);

impl std::fmt::Display for TimedOut<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let phase = if self.0.is_body() || self.0.is_decode() {
            "reading the response body"
        } else {
            "waiting for the response"
        };
        write!(f, "{phase} took longer than the configured timeout")?;
        if let Some(url) = self.0.url() {
            write!(f, " (url {})", escape_controls(url.as_str()))?;
        }
        Ok(())
    }
}

/// Makes text from a server safe to print on a terminal: C0 controls, DEL, C1 controls
/// and the invisible characters that reorder text (bidirectional embeddings, overrides,
/// isolates and marks) are shown as escapes (`\n`, `\t`, `\r`, else `\u{1b}`);
/// everything else, backslashes included, is kept as is. Meant for display, not for
/// recovering the original: a name that says `\n` and one with a newline look alike.
pub fn escape_controls(text: &str) -> Cow<'_, str> {
    fn unsafe_to_show(c: char) -> bool {
        // `is_control` is exactly C0, DEL and C1 (general category Cc).
        c.is_control()
            || matches!(c, '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{2028}' | '\u{2029}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    }
    if !text.chars().any(unsafe_to_show) {
        return Cow::Borrowed(text);
    }
    let mut escaped = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '\n' => escaped.push_str("\\n"),
            '\t' => escaped.push_str("\\t"),
            '\r' => escaped.push_str("\\r"),
            c if unsafe_to_show(c) => {
                use std::fmt::Write;
                // Writing to a `String` cannot fail.
                let _ = write!(escaped, "\\u{{{:x}}}", u32::from(c));
            }
            c => escaped.push(c),
        }
    }
    Cow::Owned(escaped)
}

/// The error for a failed exchange: [`Error::Timeout`] when a timeout cut it short,
/// else [`Error::Transport`]; the URL it names is redacted.
pub(crate) fn transport_error(error: reqwest::Error) -> Error {
    let error = match error.url().map(redact_url).and_then(|shown| Url::parse(&shown).ok()) {
        Some(shown) => error.with_url(shown),
        None => error,
    };
    if error.is_timeout() {
        Error::Timeout(error)
    } else {
        Error::Transport(error)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_and_reordering_characters_are_escaped() {
        assert_eq!(escape_controls("build\tpassed\n\u{1b}[2J"), "build\\tpassed\\n\\u{1b}[2J");
        assert_eq!(escape_controls("fix \u{202e}gnp.exe"), "fix \\u{202e}gnp.exe");
        assert!(matches!(escape_controls("naïve → ok"), Cow::Borrowed("naïve → ok")));
    }
}
