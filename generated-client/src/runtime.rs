//! The hand-written support the generated operations call: request assembly, path
//! encoding, response decoding and pagination.

use crate::error::{ApiError, DecodeError, RateLimitError, UnexpectedStatus};
use crate::generated::{CONVENTIONS, CREDENTIALS};
use crate::response::{header_str, header_u64, reset_time};
use crate::{Client, Error, Redirect, Response, Result};
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use reqwest::header::HeaderMap;
use reqwest::{Method, StatusCode, Url};
use serde::de::DeserializeOwned;
use std::borrow::Cow;
use std::collections::{HashSet, VecDeque};
use std::fmt::Display;
use std::time::Duration;

/// Everything but RFC 3986 unreserved characters is percent-encoded in a path segment.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');
/// How much of a body an error keeps.
const SNIPPET_BYTES: usize = 512;
/// How much of an error body is read.
const ERROR_BODY_BYTES: usize = 64 * 1024;

/// Encodes a path parameter as exactly one path segment: `/`, `?`, `#`, `%`, spaces and
/// non-ASCII are percent-encoded, and values that URL parsing would reinterpret (empty,
/// `.`, `..`) are refused, so no value can change which resource is requested.
///
/// # Errors
///
/// [`Error::InvalidParameter`] for an empty, `.` or `..` value.
pub fn segment(name: &'static str, value: &impl Display) -> Result<String> {
    let text = value.to_string();
    if text.is_empty() || text == "." || text == ".." {
        return Err(Error::InvalidParameter { name, reason: format!("{text:?} cannot be a path segment") });
    }
    Ok(utf8_percent_encode(&text, SEGMENT).to_string())
}

/// Encodes an array path parameter (`style: simple`) as one path segment: each element
/// as [`segment`] encodes it, joined by commas.
///
/// # Errors
///
/// [`Error::InvalidParameter`] for an empty list or an empty, `.` or `..` element.
pub fn segment_list<T: Display>(name: &'static str, values: &[T]) -> Result<String> {
    if values.is_empty() {
        return Err(Error::InvalidParameter { name, reason: "an empty list cannot be a path segment".into() });
    }
    let parts: Vec<String> = values.iter().map(|v| segment(name, v)).collect::<Result<_>>()?;
    Ok(parts.join(","))
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

/// What an API's conventions add to plain HTTP and to its description. Each crate has
/// one, `CONVENTIONS` in its generated `mod.rs`: [`Conventions::plain`], or the one of
/// the flavor the description was recognised as.
#[derive(Debug, Clone, Copy)]
pub struct Conventions {
    /// What error messages call the API (`API error 404: ...`).
    pub api_name: &'static str,
    /// The base URL of a client not given one.
    pub default_base_url: Option<&'static str>,
    /// Headers every request carries unless [`ClientBuilder::header`](crate::ClientBuilder::header)
    /// replaces them (names in lowercase).
    pub default_headers: &'static [(&'static str, &'static str)],
    /// The response header that identifies a request to the API's operators.
    pub request_id_header: Option<&'static str>,
    /// Reads the API's error body; `None` keeps the status and body text as
    /// [`Error::UnexpectedStatus`].
    pub error_body: fn(&[u8]) -> Option<ErrorBody>,
    /// Whether a `403` error body says a rate limit refused the request (when the
    /// response carries no rate-limit header that says so).
    pub rate_limit_body: fn(&ErrorBody) -> bool,
    /// Paths below which the API is also served, whatever server URL the description
    /// names (the mocks match requests below them too).
    pub api_paths: &'static [&'static str],
    /// How long to wait after a rate limit whose response names no time (no
    /// `retry-after`, and no exhausted budget with a reset time); doubled for each
    /// further refusal in a row. `None`: the API documents no such wait.
    pub rate_limit_wait: Option<Duration>,
}

impl Conventions {
    /// No conventions beyond the description: `Accept: application/json`, no request id,
    /// error bodies kept as text, and `default_base_url` (the description's fixed
    /// server, if it names one).
    pub const fn plain(default_base_url: Option<&'static str>) -> Conventions {
        fn no_error_body(_: &[u8]) -> Option<ErrorBody> {
            None
        }
        fn no_rate_limit_body(_: &ErrorBody) -> bool {
            false
        }
        Conventions {
            api_name: "API",
            default_base_url,
            default_headers: &[("accept", "application/json")],
            request_id_header: None,
            error_body: no_error_body,
            rate_limit_body: no_rate_limit_body,
            rate_limit_wait: None,
            api_paths: &[],
        }
    }
}

/// The request headers and query parameters that carry credentials by the description's
/// own word: every `apiKey` security scheme in a header or in the query. Each crate has
/// one, `CREDENTIALS` in its generated `mod.rs`. The client adds the names that carry
/// credentials whatever the description says ([`is_credential_header`]).
#[derive(Debug, Clone, Copy)]
pub struct CredentialNames {
    /// Header names, in lowercase.
    pub headers: &'static [&'static str],
    /// Query parameter names, as sent.
    pub query: &'static [&'static str],
}

/// Header names that carry a credential in any API (lowercase): compared whole.
const CREDENTIAL_HEADER_NAMES: &[&str] = &["authorization", "proxy-authorization", "cookie", "key", "x-key"];
/// Parts of a header or query parameter name that mark it as carrying a credential
/// (`X-API-Key`, `Api-Key`, `X-Auth-Token`, `X-Access-Token`, `Private-Token`,
/// `X-Client-Secret`, `access_token`, `api_key`...), compared in lowercase.
const CREDENTIAL_NAME_PARTS: &[&str] = &["auth", "token", "secret", "password", "passwd", "apikey", "api-key", "api_key", "credential", "session", "signature"];

/// Whether a header named `name` (any case) carries a credential: one of the usual
/// names (`Authorization`, `Proxy-Authorization`, `Cookie`, `X-API-Key`,
/// `X-Auth-Token`...; a name with `auth`, `token`, `secret`, `password`, `api-key`,
/// `credential`, `session` or `signature` in it, or ending in `-key` or `_key`), or one that
/// the description's security schemes declare. Such a header is marked sensitive, sent
/// only to the API's origin, never shown in `Debug` output or errors, and part of the
/// response cache's identity of a client.
pub fn is_credential_header(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    CREDENTIAL_HEADER_NAMES.contains(&name.as_str())
        || name.ends_with("-key")
        || name.ends_with("_key")
        || CREDENTIAL_NAME_PARTS.iter().any(|part| name.contains(part))
        || CREDENTIALS.headers.iter().any(|declared| declared.eq_ignore_ascii_case(&name))
}

/// Whether a query parameter named `name` carries a credential: one the description's
/// security schemes declare, or a name as [`is_credential_header`] recognises one
/// (`api_key`, `access_token`, `key`, `sig`...). URLs shown in errors and `Debug`
/// output hide its value.
pub fn is_credential_query(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    CREDENTIALS.query.contains(&name) || lower == "sig" || is_credential_header(&lower)
}

/// An error body the API's conventions recognise.
#[derive(Debug, Clone, PartialEq)]
pub struct ErrorBody {
    /// What went wrong.
    pub message: String,
    /// Where the API documents the error.
    pub documentation_url: Option<String>,
    /// Details (such as validation errors), as sent.
    pub errors: Vec<serde_json::Value>,
}

/// The request id of a response, when the API's conventions name its header.
pub(crate) fn request_id(headers: &HeaderMap) -> Option<String> {
    CONVENTIONS.request_id_header.and_then(|name| header_str(headers, name)).map(str::to_owned)
}

/// Where a request goes.
#[derive(Debug, Clone)]
pub(crate) enum Target {
    /// A path below the client's base URL (already encoded).
    Path(String),
    /// A full URL, as given by the API (`Link: rel="next"`).
    Absolute(Url),
}

/// What the runtime knows of an operation, from the description: each generated
/// request builder has one (`OPERATION`). Tracing shows it (the path template, never
/// the filled-in path), and the retry policy reads `repeatable`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Operation {
    /// The `operationId`, e.g. `actions/get-workflow-run`.
    pub id: &'static str,
    /// The HTTP method, upper case.
    pub method: &'static str,
    /// The path template, e.g. `/repos/{owner}/{repo}/actions/runs/{run_id}`.
    pub path: &'static str,
    /// Whether a `POST` may be sent again (after a rate limit or a server error)
    /// without further effect; retried only when the client is built with
    /// [`ClientBuilder::retry_repeatable_posts`](crate::ClientBuilder::retry_repeatable_posts).
    pub repeatable: bool,
}

/// A request ready to send: built by generated code, sent by [`Client`].
#[derive(Debug, Clone)]
pub struct Request {
    /// The operation it belongs to (`None` for downloads).
    pub(crate) operation: Option<&'static Operation>,
    pub(crate) method: Method,
    pub(crate) target: Target,
    pub(crate) query: Vec<(&'static str, String)>,
    pub(crate) headers: Vec<(&'static str, String)>,
    pub(crate) body: Option<(String, bytes::Bytes)>,
    /// Replaces the client's total timeout for this request (long downloads).
    pub(crate) timeout: Option<std::time::Duration>,
}

impl Request {
    /// A request to `path` (below the base URL).
    pub fn new(method: Method, path: String) -> Self {
        Request { operation: None, method, target: Target::Path(path), query: Vec::new(), headers: Vec::new(), body: None, timeout: None }
    }

    /// A request of `operation` to `path` (below the base URL).
    pub fn of(operation: &'static Operation, method: Method, path: String) -> Self {
        Request { operation: Some(operation), ..Request::new(method, path) }
    }

    pub(crate) fn absolute(method: Method, url: Url) -> Self {
        Request { operation: None, method, target: Target::Absolute(url), query: Vec::new(), headers: Vec::new(), body: None, timeout: None }
    }

    /// Adds `name=value` to the query string when `value` is set.
    pub fn query(&mut self, name: &'static str, value: Option<&impl Display>) -> Result<()> {
        if let Some(value) = value {
            self.query.push((name, value.to_string()));
        }
        Ok(())
    }

    /// Adds `name=v` once per item (`style: form, explode: true`).
    pub fn query_each<T: Display>(&mut self, name: &'static str, values: Option<&Vec<T>>) -> Result<()> {
        for value in values.into_iter().flatten() {
            self.query.push((name, value.to_string()));
        }
        Ok(())
    }

    /// Adds `name=<JSON>` for values with no plain text form.
    pub fn query_json(&mut self, name: &'static str, value: Option<&impl serde::Serialize>) -> Result<()> {
        if let Some(value) = value {
            let text = serde_json::to_string(value).map_err(|e| Error::InvalidParameter { name, reason: e.to_string() })?;
            self.query.push((name, text));
        }
        Ok(())
    }

    /// Sets a request header when `value` is set.
    pub fn header(&mut self, name: &'static str, value: Option<&impl Display>) -> Result<()> {
        if let Some(value) = value {
            let text = value.to_string();
            reqwest::header::HeaderValue::from_str(&text).map_err(|_| Error::InvalidParameter { name, reason: "not a valid header value".into() })?;
            self.headers.push((name, text));
        }
        Ok(())
    }

    /// Adds `name=value` to the `Cookie` header when `value` is set. Characters a cookie
    /// value cannot hold (`;`, `,`, spaces, quotes, `%`, non-ASCII) are percent-encoded.
    pub fn cookie(&mut self, name: &'static str, value: Option<&impl Display>) -> Result<()> {
        if let Some(value) = value {
            let pair = cookie_pair(name, &value.to_string());
            reqwest::header::HeaderValue::from_str(&pair).map_err(|_| Error::InvalidParameter { name, reason: "not a valid cookie".into() })?;
            match self.headers.iter_mut().find(|(header, _)| *header == "Cookie") {
                Some((_, cookies)) => {
                    cookies.push_str("; ");
                    cookies.push_str(&pair);
                }
                None => self.headers.push(("Cookie", pair)),
            }
        }
        Ok(())
    }

    /// Adds the JSON form of `value` as a cookie when set.
    pub fn cookie_json(&mut self, name: &'static str, value: Option<&impl serde::Serialize>) -> Result<()> {
        if let Some(value) = value {
            let text = serde_json::to_string(value).map_err(|e| Error::InvalidParameter { name, reason: e.to_string() })?;
            self.cookie(name, Some(&text))?;
        }
        Ok(())
    }

    /// Sets a request header to the JSON form of `value` when set.
    pub fn header_json(&mut self, name: &'static str, value: Option<&impl serde::Serialize>) -> Result<()> {
        if let Some(value) = value {
            let text = serde_json::to_string(value).map_err(|e| Error::InvalidParameter { name, reason: e.to_string() })?;
            self.header(name, Some(&text))?;
        }
        Ok(())
    }

    /// Sends `body` as JSON.
    pub fn json(&mut self, content_type: &str, body: &impl serde::Serialize) -> Result<()> {
        let bytes = serde_json::to_vec(body).map_err(|e| Error::InvalidParameter { name: "body", reason: e.to_string() })?;
        self.body = Some((content_type.to_owned(), bytes.into()));
        Ok(())
    }

    /// Sends `body` form-encoded.
    pub fn form(&mut self, content_type: &str, body: &impl serde::Serialize) -> Result<()> {
        let value = serde_json::to_value(body).map_err(|e| Error::InvalidParameter { name: "body", reason: e.to_string() })?;
        let mut form = url::form_urlencoded::Serializer::new(String::new());
        if let serde_json::Value::Object(map) = value {
            for (key, value) in map {
                match value {
                    serde_json::Value::String(s) => form.append_pair(&key, &s),
                    serde_json::Value::Null => continue,
                    other => form.append_pair(&key, &other.to_string()),
                };
            }
        }
        self.body = Some((content_type.to_owned(), form.finish().into_bytes().into()));
        Ok(())
    }

    /// Sends `body` as is.
    pub fn bytes(&mut self, content_type: &str, body: bytes::Bytes) -> Result<()> {
        self.body = Some((content_type.to_owned(), body));
        Ok(())
    }

    /// Sends `form` as `multipart/form-data`.
    pub fn multipart(&mut self, form: Multipart) {
        let (content_type, body) = form.finish();
        self.body = Some((content_type, body));
    }
}

/// `name=value` as a `Cookie` header holds it: characters a cookie value cannot hold
/// (`;`, `,`, spaces, quotes, `%`, non-ASCII) are percent-encoded.
pub(crate) fn cookie_pair(name: &str, value: &str) -> String {
    const COOKIE: &AsciiSet = &percent_encoding::CONTROLS.add(b' ').add(b'"').add(b',').add(b';').add(b'\\').add(b'%');
    format!("{name}={}", utf8_percent_encode(value, COOKIE))
}

/// Binary content (`type: string, format: binary`): a file in a `multipart/form-data`
/// body. In JSON it reads from and writes as a string (invalid UTF-8 written lossily).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Binary(pub bytes::Bytes);

impl Binary {
    /// The content.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }
}

impl From<bytes::Bytes> for Binary {
    fn from(value: bytes::Bytes) -> Self {
        Binary(value)
    }
}

impl From<Vec<u8>> for Binary {
    fn from(value: Vec<u8>) -> Self {
        Binary(value.into())
    }
}

impl From<&[u8]> for Binary {
    fn from(value: &[u8]) -> Self {
        Binary(bytes::Bytes::copy_from_slice(value))
    }
}

impl From<String> for Binary {
    fn from(value: String) -> Self {
        Binary(value.into())
    }
}

impl From<&str> for Binary {
    fn from(value: &str) -> Self {
        Binary::from(value.as_bytes())
    }
}

impl serde::Serialize for Binary {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        serializer.serialize_str(&String::from_utf8_lossy(&self.0))
    }
}

impl<'de> serde::Deserialize<'de> for Binary {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        <String as serde::Deserialize>::deserialize(deserializer).map(Binary::from)
    }
}

/// A `multipart/form-data` body, built part by part by generated code: binary fields are
/// file parts, strings text parts, and any other value its JSON text.
#[derive(Debug, Clone, Default)]
pub struct Multipart {
    parts: Vec<(String, Option<String>, bytes::Bytes)>,
}

impl Multipart {
    /// Adds a text part: a string as is, any other value as JSON.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidParameter`] when the value does not serialize.
    pub fn text(&mut self, name: &'static str, value: &impl serde::Serialize) -> Result<()> {
        let value = serde_json::to_value(value).map_err(|e| Error::InvalidParameter { name, reason: e.to_string() })?;
        let text = match value {
            serde_json::Value::String(s) => s,
            other => other.to_string(),
        };
        self.parts.push((name.to_owned(), None, text.into_bytes().into()));
        Ok(())
    }

    /// Adds a file part named `name`, with `name` as its file name.
    pub fn file(&mut self, name: &'static str, value: &Binary) {
        self.parts.push((name.to_owned(), Some(name.to_owned()), value.0.clone()));
    }

    /// Adds one file part per element.
    pub fn files(&mut self, name: &'static str, values: &[Binary]) {
        for value in values {
            self.file(name, value);
        }
    }

    /// The content type (with its boundary) and the encoded body. The boundary is the first
    /// of a numbered series that occurs in no part, so no content can end a part early.
    pub fn finish(self) -> (String, bytes::Bytes) {
        let contains = |haystack: &[u8], needle: &[u8]| haystack.windows(needle.len()).any(|w| w == needle);
        let boundary = (0u64..)
            .map(|n| format!("form-data-boundary-{n:016x}"))
            .find(|b| !self.parts.iter().any(|(name, _, data)| contains(data, b.as_bytes()) || name.contains(b.as_str())))
            .unwrap_or_default();
        let mut body = Vec::new();
        for (name, file, data) in &self.parts {
            // Quotes and line breaks cannot appear inside the quoted header values.
            let quoted = |s: &str| s.replace('"', "%22").replace('\r', "%0D").replace('\n', "%0A");
            body.extend_from_slice(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{}\"", quoted(name)).as_bytes());
            match file {
                Some(file) => body.extend_from_slice(format!("; filename=\"{}\"\r\nContent-Type: application/octet-stream\r\n\r\n", quoted(file)).as_bytes()),
                None => body.extend_from_slice(b"\r\n\r\n"),
            }
            body.extend_from_slice(data);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        (format!("multipart/form-data; boundary={boundary}"), body.into())
    }
}

/// A response whose body has not been read yet.
pub struct RawResponse {
    inner: reqwest::Response,
    limit: usize,
    /// How long reading may wait for the next piece of the body, when bounded.
    idle: Option<Duration>,
    /// The URL the request went to as the caller asked for it: without the query
    /// credentials the client added on the wire, which the response's own URL holds.
    url: Option<Url>,
}

impl std::fmt::Debug for RawResponse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The URL as errors show it: the one on the wire may hold query credentials.
        f.debug_struct("RawResponse")
            .field("url", &crate::client::redact_url(self.url()))
            .field("status", &self.status())
            .field("headers", self.headers())
            .field("limit", &self.limit)
            .field("idle", &self.idle)
            .finish()
    }
}

impl RawResponse {
    /// The response to a request for `url` (as asked, without added credentials).
    pub(crate) fn new(inner: reqwest::Response, limit: usize, url: Url) -> Self {
        RawResponse { inner, limit, idle: None, url: Some(url) }
    }

    /// Where the request went, as asked for (never with the client's query credentials).
    fn url(&self) -> &Url {
        self.url.as_ref().unwrap_or_else(|| self.inner.url())
    }

    /// A response whose body is already in memory (a cached one).
    pub(crate) fn from_parts(status: StatusCode, headers: HeaderMap, body: bytes::Bytes, limit: usize) -> Self {
        let mut response = http::Response::new(body);
        *response.status_mut() = status;
        *response.headers_mut() = headers;
        RawResponse { inner: response.into(), limit, idle: None, url: None }
    }

    /// Reads a `200` response's body (within the body limit), stores it in `cache` when
    /// it has a validator, and gives the response back with its body in memory.
    pub(crate) async fn store(self, cache: &crate::cache::ResponseCache, identity: crate::cache::Identity, url: &str) -> Result<RawResponse> {
        let limit = self.limit;
        let (status, headers, body) = self.read(limit).await?;
        let body = bytes::Bytes::from(body);
        cache.put(identity, url, &headers, body.clone());
        Ok(RawResponse::from_parts(status, headers, body, limit))
    }

    /// Whether the API's conventions read this response's error body as a rate limit
    /// (for a `403` whose headers do not say). The body is read, within the body limit,
    /// and kept: the response is given back whole.
    pub(crate) async fn rate_limited_by_body(self) -> Result<(RawResponse, bool)> {
        let limit = self.limit;
        let (status, headers, body) = self.read(limit).await?;
        let limited = (CONVENTIONS.error_body)(&body).as_ref().is_some_and(CONVENTIONS.rate_limit_body);
        Ok((RawResponse::from_parts(status, headers, bytes::Bytes::from(body), limit), limited))
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
            Some(idle) => tokio::time::timeout(idle, self.inner.chunk()).await.map_err(|_| Error::DownloadStalled { idle })?,
            None => self.inner.chunk().await,
        };
        next.map_err(|error| {
            // Errors reading a body do not say whose body it was.
            let error = if error.url().is_none() { error.with_url(self.url().clone()) } else { error };
            crate::client::transport_error(error)
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
        let limit = self.limit;
        let (status, headers, body) = self.read(limit).await?;
        // Checking UTF-8 once for the whole body lets serde_json skip checking each string.
        let text = match std::str::from_utf8(&body) {
            Ok(text) if text.trim().is_empty() => "null",
            Ok(text) => text,
            Err(error) => {
                let invalid = serde::de::Error::custom(format!("the body is not UTF-8 ({error})"));
                return Err(decode_error(status, &headers, &body, ".".into(), invalid));
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
            Ok(value) => Ok(Response::new(status, headers, value)),
            Err((path, error)) => Err(decode_error(status, &headers, &body, path, error)),
        }
    }

    /// Discards the body.
    pub async fn empty(self) -> Result<Response<()>> {
        let status = self.status();
        let headers = self.headers().clone();
        Ok(Response::new(status, headers, ()))
    }

    /// The body as text.
    pub async fn text(self) -> Result<Response<String>> {
        let limit = self.limit;
        let (status, headers, body) = self.read(limit).await?;
        Ok(Response::new(status, headers, String::from_utf8_lossy(&body).into_owned()))
    }

    /// The body as bytes.
    pub async fn bytes(self) -> Result<Response<bytes::Bytes>> {
        let limit = self.limit;
        let (status, headers, body) = self.read(limit).await?;
        Ok(Response::new(status, headers, body.into()))
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
                Ok(Response::new(status, self.inner.headers().clone(), Redirect { location }))
            }
            None => Err(Error::UnexpectedStatus(Box::new(UnexpectedStatus {
                status,
                body: "redirect without a Location header".into(),
                content_type: None,
                location: None,
                request_id: request_id(self.headers()),
            }))),
        }
    }

    /// Turns a status the operation does not treat as success into the matching error.
    pub async fn into_error(self) -> Error {
        let (status, headers, body) = self.read_prefix(ERROR_BODY_BYTES).await;
        let request_id = request_id(&headers);
        let parsed = (CONVENTIONS.error_body)(&body);
        let retry_after = crate::response::retry_after(&headers);
        let remaining = header_u64(&headers, "x-ratelimit-remaining");
        let limit_body = parsed.as_ref().is_some_and(CONVENTIONS.rate_limit_body);
        if matches!(status.as_u16(), 403 | 429) && (retry_after.is_some() || remaining == Some(0) || limit_body || status.as_u16() == 429) {
            return Error::RateLimited(Box::new(RateLimitError {
                status,
                message: parsed.map(|p| p.message).unwrap_or_else(|| snippet(&body)),
                limit: header_u64(&headers, "x-ratelimit-limit"),
                remaining,
                reset: reset_time(&headers),
                retry_after,
                request_id,
            }));
        }
        match parsed {
            Some(p) if status.is_client_error() || status.is_server_error() => Error::Api(Box::new(ApiError {
                status,
                message: p.message,
                documentation_url: p.documentation_url,
                errors: p.errors,
                request_id,
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
fn decode_error(status: StatusCode, headers: &HeaderMap, body: &[u8], path: String, error: serde_json::Error) -> Error {
    Error::Decode(Box::new(DecodeError {
        status,
        path: if path.is_empty() { ".".into() } else { path },
        message: error.to_string(),
        content_type: header_str(headers, "content-type").map(str::to_owned),
        snippet: snippet(body),
        request_id: request_id(headers),
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

/// Streams every item of a paginated list: sends `first`, then follows each response's
/// `Link: rel="next"` verbatim (next URLs are absolute and may differ in form
/// from the first request), stopping after the last page. A next link to another
/// origin ends the stream with [`Error::PageOffOrigin`], and credentials embedded in a
/// next URL are dropped.
///
/// A hostile or broken server cannot keep it going forever: a next link to a page
/// already fetched ends the stream with [`Error::PageLoop`], and more pages than
/// [`ClientBuilder::max_pages`](crate::ClientBuilder::max_pages) end it with
/// [`Error::TooManyPages`].
pub fn paginate<'a, P, T, F>(client: &'a Client, first: Result<Request>, items: F) -> impl futures_util::Stream<Item = Result<T>> + 'a
where
    P: DeserializeOwned + 'a,
    T: 'a,
    F: Fn(P) -> Vec<T> + 'a,
{
    struct State<T> {
        next: Option<Result<Request>>,
        buffer: VecDeque<T>,
        /// Every URL requested so far.
        fetched: HashSet<Url>,
    }
    let operation = first.as_ref().ok().and_then(|request| request.operation);
    let state = State { next: Some(first), buffer: VecDeque::new(), fetched: HashSet::new() };
    futures_util::stream::unfold((state, items), move |(mut state, items)| async move {
        loop {
            if let Some(item) = state.buffer.pop_front() {
                return Some((Ok(item), (state, items)));
            }
            let page = match state.next.take()? {
                Ok(request) => fetch_page::<P>(client, &mut state.fetched, request).await,
                Err(error) => Err(error),
            };
            match page {
                Ok(page) => {
                    if let Some(next) = page.links().next {
                        state.next = Some(next_page(client, &next, operation));
                    }
                    state.buffer.extend(items(page.into_body()));
                }
                Err(error) => return Some((Err(error), (state, items))),
            }
        }
    })
}

/// The request for a next page: `next` parsed, on the API's origin, for the same operation.
fn next_page(client: &Client, next: &str, operation: Option<&'static Operation>) -> Result<Request> {
    let url = Url::parse(next).map_err(|e| Error::InvalidParameter {
        name: "link",
        reason: format!("next page URL `{}`: {e}", crate::client::redact_url_text(next)),
    })?;
    if !client.is_api_origin(&url) {
        return Err(Error::PageOffOrigin { url: crate::client::redact_url(&url) });
    }
    let mut request = Request::absolute(Method::GET, url);
    request.operation = operation;
    Ok(request)
}

/// What every operation's `send` does: sends `request`; a response whose status
/// `success` accepts is read by `decode`, any other becomes the matching [`Error`].
pub async fn send<T, F, Fut>(client: &Client, request: Result<Request>, success: impl Fn(u16) -> bool, decode: F) -> Result<T>
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

/// Sends one page's request, unless its URL was fetched before or the page budget is spent.
async fn fetch_page<P: DeserializeOwned>(client: &Client, fetched: &mut HashSet<Url>, request: Request) -> Result<Response<P>> {
    let url = client.url_for(&request)?;
    if fetched.contains(&url) {
        return Err(Error::PageLoop { url: url.into() });
    }
    let limit = client.max_pages();
    if fetched.len() >= limit {
        return Err(Error::TooManyPages { limit });
    }
    fetched.insert(url);
    match client.execute(request).await? {
        response if response.status() == StatusCode::OK => response.json::<P>().await,
        response => Err(response.into_error().await),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credential_headers_are_known_by_their_usual_names_in_any_case() {
        for name in ["Authorization", "proxy-authorization", "Cookie", "X-API-Key", "Api-Key", "apikey", "X-Auth-Token", "X-Access-Token", "Private-Token", "X-Client-Secret", "Ocp-Apim-Subscription-Key"] {
            assert!(is_credential_header(name), "{name}");
        }
        for name in ["accept", "user-agent", "x-api-version", "content-type", "if-none-match", "x-request-id"] {
            assert!(!is_credential_header(name), "{name}");
        }
        for name in ["api_key", "access_token", "key", "sig"] {
            assert!(is_credential_query(name), "{name}");
        }
        assert!(!is_credential_query("per_page") && !is_credential_query("page"));
    }

    #[test]
    fn controls_and_reordering_characters_are_escaped() {
        assert_eq!(escape_controls("build\tpassed\n\u{1b}[2J"), "build\\tpassed\\n\\u{1b}[2J");
        assert_eq!(escape_controls("fix \u{202e}gnp.exe"), "fix \\u{202e}gnp.exe");
        assert!(matches!(escape_controls("naïve → ok"), Cow::Borrowed("naïve → ok")));
    }

    #[test]
    fn plain_conventions_recognise_no_error_body_and_no_request_id() {
        let plain = Conventions::plain(None);
        assert_eq!(plain.default_base_url, None);
        assert_eq!(plain.default_headers, [("accept", "application/json")]);
        assert_eq!(plain.request_id_header, None);
        assert!((plain.error_body)(br#"{"message": "Not Found"}"#).is_none());
        assert_eq!(Conventions::plain(Some("https://api.example.com")).default_base_url, Some("https://api.example.com"));
    }

    #[test]
    fn multipart_bodies_have_one_part_per_field_and_a_boundary_no_part_contains() {
        let mut form = Multipart::default();
        form.text("title", &"a \"quoted\" title").unwrap();
        form.text("count", &3).unwrap();
        form.text("tags", &vec!["x", "y"]).unwrap();
        // Content that contains the first boundary of the series moves the boundary on.
        form.file("upload", &Binary::from(&b"--form-data-boundary-0000000000000000\x00\xff"[..]));
        let (content_type, body) = form.finish();
        assert_eq!(content_type, "multipart/form-data; boundary=form-data-boundary-0000000000000001");
        let expected = b"--form-data-boundary-0000000000000001\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\na \"quoted\" title\r\n\
--form-data-boundary-0000000000000001\r\nContent-Disposition: form-data; name=\"count\"\r\n\r\n3\r\n\
--form-data-boundary-0000000000000001\r\nContent-Disposition: form-data; name=\"tags\"\r\n\r\n[\"x\",\"y\"]\r\n\
--form-data-boundary-0000000000000001\r\nContent-Disposition: form-data; name=\"upload\"; filename=\"upload\"\r\nContent-Type: application/octet-stream\r\n\r\n\
--form-data-boundary-0000000000000000\x00\xff\r\n--form-data-boundary-0000000000000001--\r\n";
        assert_eq!(&body[..], &expected[..], "{}", String::from_utf8_lossy(&body));
    }

    #[test]
    fn list_segments_join_encoded_elements_with_commas() {
        assert_eq!(segment_list("ids", &[1, 2, 3]).unwrap(), "1,2,3");
        assert_eq!(segment_list("names", &["a/b", "c,d"]).unwrap(), "a%2Fb,c%2Cd");
        assert!(segment_list::<i64>("ids", &[]).is_err());
        assert!(segment_list("names", &[".."]).is_err());
    }

    #[test]
    fn cookies_share_one_header_and_are_encoded() {
        let mut request = Request::new(Method::GET, "/".into());
        request.cookie("session", Some(&"a b;c")).unwrap();
        request.cookie("absent", None::<&String>).unwrap();
        request.cookie_json("ids", Some(&vec![1, 2])).unwrap();
        assert_eq!(request.headers, vec![("Cookie", "session=a%20b%3Bc; ids=[1%2C2]".to_owned())]);
    }

    #[test]
    fn binary_reads_and_writes_json_strings() {
        let value: Binary = serde_json::from_str("\"abc\"").unwrap();
        assert_eq!(value.as_bytes(), b"abc");
        assert_eq!(serde_json::to_string(&value).unwrap(), "\"abc\"");
        assert_eq!(serde_json::to_string(&Binary::from(vec![0xff])).unwrap(), "\"\u{fffd}\"");
    }

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
    fn segments_are_single_and_encoded() {
        let cases = [
            ("octo-org", "octo-org"),
            ("a/b", "a%2Fb"),
            ("a b", "a%20b"),
            ("a?b#c", "a%3Fb%23c"),
            ("100%", "100%25"),
            ("émoji✓", "%C3%A9moji%E2%9C%93"),
            ("main.yaml", "main.yaml"),
            ("...", "..."),
        ];
        for (raw, want) in cases {
            assert_eq!(segment("owner", &raw).unwrap(), want, "{raw}");
        }
        for bad in ["", ".", ".."] {
            let error = segment("owner", &bad).unwrap_err();
            assert!(matches!(error, Error::InvalidParameter { name: "owner", .. }), "{bad}: {error}");
        }
    }
}
