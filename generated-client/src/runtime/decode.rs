//! Reading a response: the raw response as sent, decoded into what an operation
//! returns, or into the matching [`Error`]; and `send`, which every operation calls.

use super::conventions::{request_id, Conventions};
use super::error::{ApiError, DecodeError, RateLimitError, UnexpectedStatus};
use super::request::Request;
use super::response::{header_str, header_u64, reset_time, Redirect, Response, RATE_LIMIT_LIMIT, RATE_LIMIT_REMAINING};
use crate::{Client, Error, Result};
use reqwest::header::HeaderMap;
use reqwest::{StatusCode, Url};
use serde::de::DeserializeOwned;
use std::time::Duration;

/// How much of a body an error keeps.
const SNIPPET_BYTES: usize = 512;
/// How much of an error body is read.
const ERROR_BODY_BYTES: usize = 64 * 1024;

/// A response whose body has not been read yet.
pub struct RawResponse {
    inner: reqwest::Response,
    limit: usize,
    /// How long reading may wait for the next piece of the body, when bounded.
    idle: Option<Duration>,
    /// The URL the request went to as the caller asked for it: without the query
    /// credentials the client added on the wire, which the response's own URL holds.
    url: Option<Url>,
    /// The conventions of the API that answered: how to read its error bodies and
    /// request ids.
    conventions: &'static Conventions,
    /// Whether this is the response cache's copy, standing for a `304`.
    cached: bool,
}

impl std::fmt::Debug for RawResponse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The URL as errors show it: the one on the wire may hold query credentials.
        f.debug_struct("RawResponse")
            .field("url", &super::credentials::redact_url(self.url()))
            .field("status", &self.status())
            .field("headers", self.headers())
            .field("limit", &self.limit)
            .field("idle", &self.idle)
            .finish()
    }
}

impl RawResponse {
    /// The response to a request for `url` (as asked, without added credentials), from
    /// an API with `conventions`.
    pub(crate) fn new(inner: reqwest::Response, limit: usize, url: Url, conventions: &'static Conventions) -> Self {
        RawResponse { inner, limit, idle: None, url: Some(url), conventions, cached: false }
    }

    /// Where the request went, as asked for (never with the client's query credentials).
    fn url(&self) -> &Url {
        self.url.as_ref().unwrap_or_else(|| self.inner.url())
    }

    /// A response whose body is already in memory (a cached one), from an API with
    /// `conventions`.
    pub(crate) fn from_parts(
        status: StatusCode,
        headers: HeaderMap,
        body: bytes::Bytes,
        limit: usize,
        conventions: &'static Conventions,
    ) -> Self {
        let mut response = http::Response::new(body);
        *response.status_mut() = status;
        *response.headers_mut() = headers;
        RawResponse { inner: response.into(), limit, idle: None, url: None, conventions, cached: false }
    }

    /// Marks a response as the cache's copy of a kept answer (the server said `304`).
    pub(crate) fn kept(mut self) -> Self {
        self.cached = true;
        self
    }

    /// Reads a `200` response's body (within the body limit), stores it in `cache` when
    /// it has a validator, and gives the response back with its body in memory.
    pub(crate) async fn store(
        self,
        cache: &super::cache::ResponseCache,
        identity: super::cache::Identity,
        url: &str,
    ) -> Result<RawResponse> {
        let (limit, conventions) = (self.limit, self.conventions);
        let (status, headers, body) = self.read(limit).await?;
        let body = bytes::Bytes::from(body);
        cache.put(identity, url, &headers, body.clone());
        Ok(RawResponse::from_parts(status, headers, body, limit, conventions))
    }

    /// Whether the API's conventions read this response's error body as a rate limit
    /// (for a `403` whose headers do not say). The body is read, within the body limit,
    /// and kept: the response is given back whole.
    pub(crate) async fn rate_limited_by_body(self) -> Result<(RawResponse, bool)> {
        let (limit, conventions, cached) = (self.limit, self.conventions, self.cached);
        let (status, headers, body) = self.read(limit).await?;
        let limited = (conventions.error_body)(&body).as_ref().is_some_and(conventions.rate_limit_body);
        let response = RawResponse::from_parts(status, headers, bytes::Bytes::from(body), limit, conventions);
        Ok((RawResponse { cached, ..response }, limited))
    }

    /// Bounds how long reading the body may wait for its next piece (downloads, which
    /// have a long total timeout).
    pub(crate) fn with_idle_timeout(mut self, idle: Duration) -> Self {
        self.idle = Some(idle);
        self
    }

    /// The next piece of the body; `None` at its end.
    ///
    /// # Errors
    ///
    /// [`Error::DownloadStalled`] when nothing arrives within the idle timeout,
    /// [`Error::Timeout`] or [`Error::Transport`] when the connection fails.
    pub(crate) async fn chunk(&mut self) -> Result<Option<bytes::Bytes>> {
        let next = match self.idle {
            Some(idle) => {
                tokio::time::timeout(idle, self.inner.chunk()).await.map_err(|_| Error::DownloadStalled { idle })?
            }
            None => self.inner.chunk().await,
        };
        next.map_err(|error| {
            // Errors reading a body do not say whose body it was.
            let error = if error.url().is_none() { error.with_url(self.url().clone()) } else { error };
            super::error::transport_error(error)
        })
    }

    /// The body's announced `Content-Length`, if any.
    pub(crate) fn content_length(&self) -> Option<u64> {
        self.inner.content_length()
    }

    /// The status.
    pub fn status(&self) -> StatusCode {
        self.inner.status()
    }

    /// The headers.
    pub fn headers(&self) -> &HeaderMap {
        self.inner.headers()
    }

    /// The request id, when the API's conventions name its header (for the request's span).
    #[cfg(feature = "tracing")]
    pub(crate) fn request_id(&self) -> Option<String> {
        request_id(self.conventions, self.headers())
    }

    /// Reads the whole body, refusing more than `limit` bytes.
    async fn read(mut self, limit: usize) -> Result<(StatusCode, HeaderMap, Vec<u8>)> {
        let status = self.inner.status();
        let headers = std::mem::take(self.inner.headers_mut());
        if self.content_length().is_some_and(|n| n > u64::try_from(limit).unwrap_or(u64::MAX)) {
            return Err(Error::BodyTooLarge { limit });
        }
        let mut body = Vec::new();
        while let Some(chunk) = self.chunk().await? {
            if body.len().saturating_add(chunk.len()) > limit {
                return Err(Error::BodyTooLarge { limit });
            }
            body.extend_from_slice(&chunk);
        }
        Ok((status, headers, body))
    }

    /// Reads at most `limit` bytes of the body and drops the rest: for error responses,
    /// whose status matters more than a complete (or even readable) body.
    async fn read_prefix(mut self, limit: usize) -> (StatusCode, HeaderMap, Vec<u8>) {
        let status = self.inner.status();
        let headers = std::mem::take(self.inner.headers_mut());
        let mut body = Vec::new();
        while body.len() < limit {
            match self.chunk().await {
                Ok(Some(chunk)) => body.extend_from_slice(&chunk[..chunk.len().min(limit - body.len())]),
                Ok(None) | Err(_) => break,
            }
        }
        (status, headers, body)
    }

    /// Decodes a JSON body; an empty body reads as `null` (some servers send nothing
    /// where they document an empty object).
    pub async fn json<T: DeserializeOwned>(self) -> Result<Response<T>> {
        let (limit, conventions, cached) = (self.limit, self.conventions, self.cached);
        let (status, headers, body) = self.read(limit).await?;
        // Checking UTF-8 once for the whole body lets serde_json skip checking each string.
        let text = match std::str::from_utf8(&body) {
            Ok(text) if text.trim().is_empty() => "null",
            Ok(text) => text,
            Err(error) => {
                let invalid = serde::de::Error::custom(format!("the body is not UTF-8 ({error})"));
                return Err(decode_error(conventions, status, &headers, &body, ".".into(), invalid));
            }
        };
        // Decode at full speed; only a failure pays for a second pass that finds its path.
        let value = serde_json::from_str::<T>(text).map_err(|error| {
            let mut deserializer = serde_json::Deserializer::from_str(text);
            match serde_path_to_error::deserialize::<_, T>(&mut deserializer) {
                Err(e) => (e.path().to_string(), e.into_inner()),
                Ok(_) => (String::new(), error),
            }
        });
        match value {
            Ok(value) => Ok(Response::new(status, headers, value, conventions.request_id_header).cached(cached)),
            Err((path, error)) => Err(decode_error(conventions, status, &headers, &body, path, error)),
        }
    }

    /// Discards the body.
    pub async fn empty(self) -> Result<Response<()>> {
        let status = self.status();
        let headers = self.headers().clone();
        Ok(Response::new(status, headers, (), self.conventions.request_id_header).cached(self.cached))
    }

    /// The body as text.
    pub async fn text(self) -> Result<Response<String>> {
        let (limit, request_id_header, cached) = (self.limit, self.conventions.request_id_header, self.cached);
        let (status, headers, body) = self.read(limit).await?;
        Ok(Response::new(status, headers, String::from_utf8_lossy(&body).into_owned(), request_id_header)
            .cached(cached))
    }

    /// The body as bytes.
    pub async fn bytes(self) -> Result<Response<bytes::Bytes>> {
        let (limit, request_id_header, cached) = (self.limit, self.conventions.request_id_header, self.cached);
        let (status, headers, body) = self.read(limit).await?;
        Ok(Response::new(status, headers, bytes::Bytes::from(body), request_id_header).cached(cached))
    }

    /// The redirect target from `Location`: verbatim when absolute (signed
    /// URLs must not be re-encoded), resolved against the request URL when relative.
    pub fn redirect(self) -> Result<Response<Redirect>> {
        let status = self.status();
        match header_str(self.headers(), "location") {
            Some(location) => {
                let location = match Url::parse(location) {
                    Err(url::ParseError::RelativeUrlWithoutBase) => {
                        self.url().join(location).map_or_else(|_| location.to_owned(), String::from)
                    }
                    _ => location.to_owned(),
                };
                Ok(Response::new(
                    status,
                    self.inner.headers().clone(),
                    Redirect { location },
                    self.conventions.request_id_header,
                ))
            }
            None => Err(Error::UnexpectedStatus(Box::new(UnexpectedStatus {
                status,
                body: "redirect without a Location header".into(),
                content_type: None,
                location: None,
                request_id: request_id(self.conventions, self.headers()),
            }))),
        }
    }

    /// Turns a status the operation does not treat as success into the matching error.
    pub async fn into_error(self) -> Error {
        let conventions = self.conventions;
        let (status, headers, body) = self.read_prefix(ERROR_BODY_BYTES).await;
        let request_id = request_id(conventions, &headers);
        let parsed = (conventions.error_body)(&body);
        let retry_after = super::response::retry_after(&headers);
        let remaining = header_u64(&headers, RATE_LIMIT_REMAINING);
        let limit_body = parsed.as_ref().is_some_and(conventions.rate_limit_body);
        if matches!(status.as_u16(), 403 | 429)
            && (retry_after.is_some() || remaining == Some(0) || limit_body || status.as_u16() == 429)
        {
            return Error::RateLimited(Box::new(RateLimitError {
                status,
                message: parsed.map(|p| p.message).unwrap_or_else(|| snippet(&body)),
                limit: header_u64(&headers, RATE_LIMIT_LIMIT),
                remaining,
                reset: reset_time(&headers),
                retry_after,
                request_id,
                documented_wait: conventions.rate_limit_wait,
            }));
        }
        match parsed {
            Some(p) if status.is_client_error() || status.is_server_error() => Error::Api(Box::new(ApiError {
                status,
                message: p.message,
                documentation_url: p.documentation_url,
                errors: p.errors,
                request_id,
                api_name: conventions.api_name,
            })),
            _ => Error::UnexpectedStatus(Box::new(UnexpectedStatus {
                status,
                body: snippet(&body),
                content_type: header_str(&headers, "content-type").map(str::to_owned),
                location: header_str(&headers, "location").map(str::to_owned),
                request_id,
            })),
        }
    }
}

/// The start of `body` as text, at most `SNIPPET_BYTES` bytes long. Cut before a
/// character the limit would split, and on a character boundary after lossy decoding
/// (which turns each invalid byte into a three-byte U+FFFD).
fn decode_error(
    conventions: &Conventions,
    status: StatusCode,
    headers: &HeaderMap,
    body: &[u8],
    path: String,
    error: serde_json::Error,
) -> Error {
    Error::Decode(Box::new(DecodeError {
        status,
        path: if path.is_empty() { ".".into() } else { path },
        message: error.to_string(),
        content_type: header_str(headers, "content-type").map(str::to_owned),
        snippet: snippet(body),
        request_id: request_id(conventions, headers),
    }))
}

fn snippet(body: &[u8]) -> String {
    let mut end = body.len().min(SNIPPET_BYTES);
    if end < body.len() {
        for back in 1..=end.min(3) {
            let byte = body[end - back];
            if (0x80..0xC0).contains(&byte) {
                continue; // a continuation byte: keep looking for the lead byte
            }
            let width = match byte {
                0xC0..=0xDF => 2,
                0xE0..=0xEF => 3,
                0xF0..=0xF7 => 4,
                _ => 1,
            };
            if width > back {
                end -= back;
            }
            break;
        }
    }
    let mut text = String::from_utf8_lossy(&body[..end]).into_owned();
    if text.len() > SNIPPET_BYTES {
        let mut cut = SNIPPET_BYTES;
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        text.truncate(cut);
    }
    text
}

/// The order in which to try the variants of a union for `value`: for an object, the
/// variants that declare most of its keys first, then (on a tie) the ones that declare
/// fewer keys, then document order; for anything else, document order. `keys[i]` lists
/// the property names of variant `i` (empty when it is not an object).
pub fn variant_order(value: &serde_json::Value, keys: &[&[&str]]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..keys.len()).collect();
    if let serde_json::Value::Object(map) = value {
        let known = |i: usize| map.keys().filter(|k| keys[i].contains(&k.as_str())).count();
        order.sort_by_key(|&i| (std::cmp::Reverse(known(i)), keys[i].len()));
    }
    order
}

/// What every operation's `send` does: sends `request`; a response whose status
/// `success` accepts is read by `decode`, any other becomes the matching [`Error`].
pub async fn send<T, F, Fut>(
    client: &Client,
    request: Result<Request>,
    success: impl Fn(u16) -> bool,
    decode: F,
) -> Result<T>
where
    F: FnOnce(RawResponse) -> Fut,
    Fut: std::future::Future<Output = Result<T>>,
{
    let response = client.execute(request?).await?;
    if success(response.status().as_u16()) {
        decode(response).await
    } else {
        Err(response.into_error().await)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PLAIN: Conventions = Conventions::plain(None);

    #[test]
    fn snippets_stay_within_their_bound() {
        let long_ascii = "a".repeat(2000);
        assert_eq!(snippet(long_ascii.as_bytes()), "a".repeat(SNIPPET_BYTES));
        // A two-byte character across the limit is left out, not turned into U+FFFD.
        let straddling = format!("x{}", "é".repeat(600));
        let cut = snippet(straddling.as_bytes());
        assert_eq!(cut.len(), SNIPPET_BYTES - 1);
        assert!(straddling.starts_with(&cut));
        // Invalid bytes grow when decoded; the result is still bounded.
        let garbage = vec![0xFFu8; 2000];
        assert!(snippet(&garbage).len() <= SNIPPET_BYTES);
        assert_eq!(snippet(b"short"), "short");
    }

    #[test]
    fn variants_that_know_more_keys_come_first() {
        let user: &[&str] = &["login", "id", "avatar_url"];
        let team: &[&str] = &["slug", "id", "name", "parent"];
        let loose: &[&str] = &["id", "name", "label", "color", "extra", "more"];
        let keys = [user, team, loose, &[]];
        let order = |v: serde_json::Value| variant_order(&v, &keys);
        assert_eq!(order(serde_json::json!({"login": "octocat", "id": 1})), [0, 1, 2, 3]);
        assert_eq!(order(serde_json::json!({"slug": "core", "id": 1, "name": "Core"})), [1, 2, 0, 3]);
        assert_eq!(order(serde_json::json!({"id": 1, "name": "n", "label": {}})), [2, 1, 0, 3]);
        // A tie goes to the variant that declares fewer keys: the closer fit.
        assert_eq!(order(serde_json::json!({"id": 1})), [0, 1, 2, 3]);
        assert_eq!(variant_order(&serde_json::json!({"id": 1}), &[loose, user]), [1, 0]);
        assert_eq!(order(serde_json::json!("text")), [0, 1, 2, 3]);
    }

    #[test]
    fn a_raw_responses_debug_shows_the_url_without_the_query_credentials_sent() {
        use reqwest::ResponseBuilderExt;
        let wire = Url::parse("https://api.example.com/things?api_key=k3y").unwrap();
        let response = http::Response::builder().url(wire).body("").unwrap();
        let asked = Url::parse("https://api.example.com/things").unwrap();
        let response = RawResponse::new(reqwest::Response::from(response), 1024, asked, &PLAIN);
        let shown = format!("{response:?}");
        assert!(shown.contains("https://api.example.com/things") && !shown.contains("k3y"), "{shown}");
    }
}
