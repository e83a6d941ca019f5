//! What the generated `mock` module builds on (cargo feature `mock`): an [`Expectation`]
//! that matches the requests of one operation on a `wiremock` server, the responses it
//! answers with, and the decoding of what was sent. What they need of the API (where it
//! is served, how it refuses requests, its examples) the generated module hands over in
//! a [`MockedApi`].
//!
//! Paths and query values are written exactly as the client writes them (the path
//! segments through [`super::request::segment`]), so an expectation built from the same
//! arguments as a call matches that call and nothing else. Refusals (error bodies, rate
//! limits) are written as the API's [`Conventions`] say the API writes them, with the
//! headers the client reads, so a test meets what the client meets.

use std::fmt::Display;
use std::sync::Arc;
use std::time::Duration;

use serde::de::DeserializeOwned;
use serde::Serialize;
use wiremock::{Mock, Request, ResponseTemplate};

use super::conventions::{Conventions, ErrorBody, Refusal};
use super::response::{RATE_LIMIT_LIMIT, RATE_LIMIT_REMAINING, RATE_LIMIT_RESET, RATE_LIMIT_USED, RETRY_AFTER};

/// Why a request an expectation matched could not be decoded into what the operation
/// sends.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ReceivedError {
    /// A parameter's text is not a value of its type.
    #[error("the `{name}` parameter of a request to {path} is not a value of its type: {reason}")]
    Parameter {
        /// The parameter's name on the wire.
        name: &'static str,
        /// The request's path.
        path: String,
        /// What did not decode.
        reason: String,
    },
    /// The body is not a value of the operation's body type.
    #[error("the body of a request to {path} is not a value of its type: {source}")]
    Body {
        /// The request's path.
        path: String,
        /// What did not decode, and where.
        #[source]
        source: serde_json::Error,
    },
}

/// What the mocks need of one API, from its generated `mock` module: the server URL
/// template and its conventions (the paths it is served below, where requests may go,
/// and how it refuses requests), and the text of its examples file (what the `examples`
/// functions answer with).
#[derive(Debug)]
pub struct MockedApi {
    server_url_template: &'static str,
    conventions: Conventions,
    examples: &'static str,
    /// `examples`, parsed on first use.
    parsed: std::sync::OnceLock<serde_json::Value>,
}

impl MockedApi {
    /// The API whose description names `server_url_template`, whose `conventions` say
    /// where else it is served ([`Conventions::api_paths`]) and how it refuses requests
    /// ([`Conventions::refusals`]), and whose examples file (`examples.json`, beside the
    /// generated modules) holds `examples`.
    pub const fn new(server_url_template: &'static str, conventions: Conventions, examples: &'static str) -> Self {
        MockedApi { server_url_template, conventions, examples, parsed: std::sync::OnceLock::new() }
    }

    /// The paths below the server's root where a client may send its requests, and the
    /// mocks expect them: the path of the description's server URL (`/v1` of
    /// `https://api.example.com/v1`; none when it has none or it holds a variable), and
    /// the ones the API's conventions name, whatever the description says.
    pub fn api_paths(&self) -> impl Iterator<Item = &'static str> {
        path_of(self.server_url_template).into_iter().chain(self.conventions.api_paths.iter().copied())
    }

    /// A response with `status` and the API's error body (as its conventions write it)
    /// saying `message`, with the API's documentation link when its error bodies carry one.
    ///
    /// # Panics
    ///
    /// When `status` is not an HTTP status (below 100 or above 999), as `wiremock` does.
    pub fn error(&self, status: u16, message: &str) -> ResponseTemplate {
        let refusals = &self.conventions.refusals;
        self.error_body(status, message, refusals.documentation_url)
    }

    fn error_body(&self, status: u16, message: &str, documentation_url: Option<&str>) -> ResponseTemplate {
        let body = ErrorBody {
            message: message.to_owned(),
            documentation_url: documentation_url.map(str::to_owned),
            errors: Vec::new(),
        };
        json(status, &(self.conventions.refusals.write_error_body)(&body))
    }

    fn refusal(&self, refusal: &Refusal) -> ResponseTemplate {
        self.error_body(refusal.status, refusal.message, refusal.documentation_url)
    }

    /// The API's answer to a request over its primary rate limit: its refusal's status
    /// and error body, `x-ratelimit-remaining: 0`, `x-ratelimit-reset` at `reset`, and
    /// the budget, all used, when the API's conventions name one.
    pub fn rate_limited(&self, reset: crate::DateTime) -> ResponseTemplate {
        let refusals = &self.conventions.refusals;
        let mut response = self
            .refusal(&refusals.primary_rate_limit)
            .insert_header(RATE_LIMIT_REMAINING, "0")
            .insert_header(RATE_LIMIT_RESET, reset.timestamp().to_string());
        if let Some(limit) = refusals.rate_limit {
            response = response
                .insert_header(RATE_LIMIT_LIMIT, limit.to_string())
                .insert_header(RATE_LIMIT_USED, limit.to_string());
        }
        response
    }

    /// The API's answer to a request over a secondary rate limit: its refusal's status
    /// and error body, and `retry-after` in whole seconds (a fraction rounds up) when
    /// given; without it, the client knows the limit by its status or its message.
    pub fn secondary_rate_limited(&self, retry_after: Option<Duration>) -> ResponseTemplate {
        let response = self.refusal(&self.conventions.refusals.secondary_rate_limit);
        match retry_after {
            Some(wait) => {
                let seconds = wait.as_secs().saturating_add(u64::from(wait.subsec_nanos() > 0));
                response.insert_header(RETRY_AFTER, seconds.to_string())
            }
            None => response,
        }
    }

    /// The example at `pointer` (an entry of the examples file), as a `T`.
    ///
    /// # Panics
    ///
    /// When the example is not there or does not decode; the generated golden tests
    /// (`tests/spec_examples.rs`) check that every example offered this way does.
    pub fn example<T: DeserializeOwned>(&self, pointer: &str) -> T {
        let examples = self.parsed.get_or_init(|| serde_json::from_str(self.examples).unwrap_or_default());
        let Some(value) = examples.get("examples").and_then(|all| all.get(pointer)) else {
            panic!("no example at {pointer} in the crate's examples.json; regenerate the crate");
        };
        match T::deserialize(value) {
            Ok(value) => value,
            Err(e) => panic!("the example at {pointer} does not decode ({e}); its golden test says why"),
        }
    }
}

/// The requests of one operation: its method and exact path, plus the query parameters,
/// headers and JSON body that were asked for. Query values and headers must be among
/// what a request sends (others may be sent too); a body must be equal as JSON.
#[derive(Debug, Clone)]
pub struct Expectation {
    /// The API the operation belongs to.
    api: &'static MockedApi,
    method: &'static str,
    path: String,
    query: Vec<(&'static str, String)>,
    headers: Vec<(&'static str, String)>,
    body: Option<Arc<serde_json::Value>>,
    /// Set when a value asked for has no text form: nothing matches then.
    unmatchable: bool,
    /// Headers every answer carries (an `ETag`).
    answer_headers: Vec<(&'static str, String)>,
}

impl Expectation {
    /// Requests with `method` to exactly `path` (below the server's root, percent-encoded
    /// as the client sends it), of an operation of `api`.
    pub fn new(api: &'static MockedApi, method: &'static str, path: String) -> Self {
        Expectation {
            api,
            method,
            path,
            query: Vec::new(),
            headers: Vec::new(),
            body: None,
            unmatchable: false,
            answer_headers: Vec::new(),
        }
    }

    /// The API the operation belongs to.
    pub fn api(&self) -> &'static MockedApi {
        self.api
    }

    /// The path requests must have.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// Requests must send `name=value` in the query string.
    pub fn query(&mut self, name: &'static str, value: &impl Display) {
        self.query.push((name, value.to_string()));
    }

    /// Requests must send `name=v` for every item (`style: form, explode: true`).
    pub fn query_each<T: Display>(&mut self, name: &'static str, values: &[T]) {
        self.query.extend(values.iter().map(|v| (name, v.to_string())));
    }

    /// Requests must send `name=<JSON of value>`, for values with no plain text form.
    pub fn query_json(&mut self, name: &'static str, value: &impl Serialize) {
        match serde_json::to_string(value) {
            Ok(text) => self.query.push((name, text)),
            Err(_) => self.unmatchable = true,
        }
    }

    /// Requests must send the header `name: value`.
    pub fn header(&mut self, name: &'static str, value: &impl Display) {
        self.headers.push((name, value.to_string()));
    }

    /// Requests must send the header `name: <JSON of value>`.
    pub fn header_json(&mut self, name: &'static str, value: &impl Serialize) {
        match serde_json::to_string(value) {
            Ok(text) => self.headers.push((name, text)),
            Err(_) => self.unmatchable = true,
        }
    }

    /// Requests must be conditional on `etag`: send `If-None-Match: etag`, as a client
    /// with a response cache does when it holds a response with that `ETag`.
    pub fn if_none_match(&mut self, etag: &str) {
        self.headers.push(("if-none-match", etag.to_owned()));
    }

    /// Every answer carries `ETag: etag`, so that a client with a response cache keeps it
    /// and asks again with `If-None-Match`.
    pub fn etag(&mut self, etag: &str) {
        self.answer_headers.push(("etag", etag.to_owned()));
    }

    /// Requests must send a JSON body equal to `value`.
    pub fn json_body(&mut self, value: &impl Serialize) {
        match serde_json::to_value(value) {
            Ok(value) => self.body = Some(Arc::new(value)),
            Err(_) => self.unmatchable = true,
        }
    }

    /// Whether `request` is one of the requests this expectation describes. Its path is
    /// the operation's, at the server's root or below one of the API's
    /// [`api_paths`](MockedApi::api_paths).
    pub fn matches(&self, request: &Request) -> bool {
        let path = request.url.path();
        let under_server =
            || self.api.api_paths().any(|base| path.strip_prefix(base).is_some_and(|rest| rest == self.path));
        if self.unmatchable || request.method.as_str() != self.method || !(path == self.path || under_server()) {
            return false;
        }
        let sent: Vec<(String, String)> =
            request.url.query_pairs().map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
        // Each value asked for must be sent, as often as it is asked for.
        let mut used = vec![false; sent.len()];
        for (name, value) in &self.query {
            let found = sent.iter().enumerate().position(|(i, (k, v))| !used[i] && k == name && v == value);
            match found {
                Some(i) => used[i] = true,
                None => return false,
            }
        }
        let headers_match = self.headers.iter().all(|(name, value)| {
            request.headers.get_all(*name).iter().any(|sent| sent.to_str().is_ok_and(|sent| sent == value))
        });
        let body_matches = match &self.body {
            None => true,
            Some(expected) => {
                serde_json::from_slice::<serde_json::Value>(&request.body).is_ok_and(|sent| sent == **expected)
            }
        };
        headers_match && body_matches
    }

    /// A mock that answers the requests this expectation describes with `response` (and
    /// the headers every answer carries); mount it on a `wiremock::MockServer`.
    ///
    /// # Panics
    ///
    /// When an answer header's value is not a header value, as `wiremock` does.
    pub fn respond(&self, response: ResponseTemplate) -> Mock {
        let response = self
            .answer_headers
            .iter()
            .fold(response, |response, (name, value)| response.insert_header(*name, value.as_str()));
        Mock::given(self.clone()).respond_with(response)
    }

    /// The requests among `requests` that this expectation describes, in order.
    pub fn received<'r>(&'r self, requests: &'r [Request]) -> impl Iterator<Item = &'r Request> + 'r {
        requests.iter().filter(move |request| self.matches(request))
    }
}

fn path_of(template: &str) -> Option<&str> {
    let path = match template.split_once("://") {
        Some((_, rest)) => rest.find('/').map_or("", |start| &rest[start..]),
        None => template,
    };
    let path = path.split(['?', '#']).next().unwrap_or_default().trim_end_matches('/');
    (path.starts_with('/') && !path.contains(['{', '}', '%'])).then_some(path)
}

impl wiremock::Match for Expectation {
    fn matches(&self, request: &Request) -> bool {
        Expectation::matches(self, request)
    }
}

/// A path parameter as the client encodes it. A value the client refuses to send (empty,
/// `.`, `..`) is kept as is, so the expectation matches nothing.
pub fn segment(name: &'static str, value: &impl Display) -> String {
    super::request::segment(name, value).unwrap_or_else(|_| value.to_string())
}

/// An array path parameter as the client encodes it; an empty list matches nothing.
pub fn segment_list<T: Display>(name: &'static str, values: &[T]) -> String {
    super::request::segment_list(name, values).unwrap_or_default()
}

/// A response with `status` and `body` as JSON.
///
/// # Panics
///
/// When `status` is not an HTTP status (below 100 or above 999), as `wiremock` does.
pub fn json(status: u16, body: &impl Serialize) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_json(body)
}

/// A response with `status` and no body.
///
/// # Panics
///
/// When `status` is not an HTTP status, as `wiremock` does.
pub fn empty(status: u16) -> ResponseTemplate {
    ResponseTemplate::new(status)
}

/// A response with `status` and a text body.
///
/// # Panics
///
/// When `status` is not an HTTP status, as `wiremock` does.
pub fn text(status: u16, body: String) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_string(body)
}

/// A response with `status` and a body of bytes.
///
/// # Panics
///
/// When `status` is not an HTTP status, as `wiremock` does.
pub fn bytes(status: u16, body: bytes::Bytes) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_bytes(body.to_vec())
}

/// `304 Not Modified`: no body, as a server answers a conditional request whose `ETag`
/// still holds.
pub fn not_modified() -> ResponseTemplate {
    ResponseTemplate::new(304)
}

/// A redirect with `status` to `location`.
///
/// # Panics
///
/// When `status` is not an HTTP status or `location` not a header value, as `wiremock`
/// does.
pub fn redirect(status: u16, location: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).insert_header("Location", location)
}

/// A parameter's text as a value of `T`: as a JSON string first (strings, enums,
/// timestamps), then as JSON text (numbers, booleans, and values the client sends as
/// JSON).
fn decode<T: DeserializeOwned>(name: &'static str, request: &Request, text: &str) -> Result<T, ReceivedError> {
    serde_json::from_value(serde_json::Value::String(text.to_owned()))
        .or_else(|_| serde_json::from_str(text))
        .map_err(|e| ReceivedError::Parameter { name, path: request.url.path().to_owned(), reason: e.to_string() })
}

/// The first `name` query parameter of `request`, decoded; `None` when it was not sent.
///
/// # Errors
///
/// [`ReceivedError::Parameter`] when its text is not a `T`.
pub fn query_one<T: DeserializeOwned>(request: &Request, name: &'static str) -> Result<Option<T>, ReceivedError> {
    match request.url.query_pairs().find(|(k, _)| k == name) {
        Some((_, text)) => decode(name, request, &text).map(Some),
        None => Ok(None),
    }
}

/// Every `name` query parameter of `request`, decoded, in order.
///
/// # Errors
///
/// [`ReceivedError::Parameter`] when one's text is not a `T`.
pub fn query_all<T: DeserializeOwned>(request: &Request, name: &'static str) -> Result<Vec<T>, ReceivedError> {
    request.url.query_pairs().filter(|(k, _)| k == name).map(|(_, text)| decode(name, request, &text)).collect()
}

/// The `name` header of `request`, decoded; `None` when it was not sent.
///
/// # Errors
///
/// [`ReceivedError::Parameter`] when its value is not text or not a `T`.
pub fn header_one<T: DeserializeOwned>(request: &Request, name: &'static str) -> Result<Option<T>, ReceivedError> {
    let Some(value) = request.headers.get(name) else { return Ok(None) };
    let text = value.to_str().map_err(|e| ReceivedError::Parameter {
        name,
        path: request.url.path().to_owned(),
        reason: e.to_string(),
    })?;
    decode(name, request, text).map(Some)
}

/// The JSON body of `request`, decoded; `None` when it has no body.
///
/// # Errors
///
/// [`ReceivedError::Body`] when the body is not a `T` as JSON.
pub fn json_body<T: DeserializeOwned>(request: &Request) -> Result<Option<T>, ReceivedError> {
    if request.body.is_empty() {
        return Ok(None);
    }
    serde_json::from_slice(&request.body)
        .map(Some)
        .map_err(|source| ReceivedError::Body { path: request.url.path().to_owned(), source })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_expectation_matches_below_the_paths_of_the_api_it_was_given() {
        static API: MockedApi = MockedApi::new(
            "https://api.example.com/v1",
            Conventions { api_paths: &["/api/v3"], ..Conventions::plain(None) },
            r#"{"examples": {"/x": 7}}"#,
        );
        let matching = |path: &str| {
            let request = Request {
                url: reqwest::Url::parse(&format!("http://127.0.0.1{path}")).unwrap(),
                method: http::Method::GET,
                headers: http::HeaderMap::new(),
                body: Vec::new(),
            };
            Expectation::new(&API, "GET", "/things".into()).matches(&request)
        };
        assert!(matching("/things") && matching("/v1/things") && matching("/api/v3/things"));
        assert!(!matching("/v2/things"));
        assert_eq!(API.example::<u32>("/x"), 7);
    }

    #[test]
    fn the_server_path_is_the_templates_fixed_path() {
        assert_eq!(path_of("{protocol}://{hostname}/api/v3"), Some("/api/v3"));
        assert_eq!(path_of("https://api.example.com/v1/"), Some("/v1"));
        assert_eq!(path_of("/relative/base"), Some("/relative/base"));
        assert_eq!(path_of("https://api.example.com/v1?x=1"), Some("/v1"));
        for none in [
            "https://api.example.com",
            "https://api.example.com/",
            "{protocol}://{hostname}",
            "https://h/{basePath}",
            "https://h/a%20b",
            "",
        ] {
            assert_eq!(path_of(none), None, "{none}");
        }
    }
}
