//! The client: its configuration, and sending one request (the attempts, the
//! conditional-request cache, the token and credentials on the wire).

use super::auth::{SecretToken, StaticToken, TokenSource};
use super::cache::{identity_part, ResponseCache};
use super::conventions::Conventions;
use super::credentials::CredentialNames;
use super::credentials::{base64, bearer, is_credential_header, redact_url_text, remove_query, strip_credentials};
use super::decode::RawResponse;
use super::download::unpredictable;
use super::error::transport_error;
use super::releases::{ReleaseTable, ServerRelease};
use super::request::{Named, Request};
use super::retry::{backoff, retry_delay, RetryPolicy};
use super::trace::Trace;
use crate::{Error, Result};
use reqwest::header::{HeaderMap, HeaderName, HeaderValue, AUTHORIZATION, COOKIE, USER_AGENT};
use reqwest::{Method, StatusCode, Url};
use std::sync::Arc;
use std::time::Duration;

/// The `User-Agent` sent unless another is configured (some APIs reject requests without one).
pub const DEFAULT_USER_AGENT: &str = concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"));
/// The largest response body read into memory, unless configured otherwise.
pub const DEFAULT_MAX_BODY_BYTES: usize = 32 * 1024 * 1024;

/// A base URL as configured, shown without the credentials it may (wrongly) embed
/// (the API's declared query credentials among them).
#[derive(Clone)]
struct UrlText(String, &'static CredentialNames);

impl std::fmt::Debug for UrlText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:?}", redact_url_text(&self.0, self.1))
    }
}

/// Headers as configured, and the header names the API declares as credentials;
/// `Debug` shows the value of none that carries a credential.
#[derive(Clone)]
struct ConfiguredHeaders(Vec<(String, String)>, &'static CredentialNames);

impl std::fmt::Debug for ConfiguredHeaders {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let shown = |(name, value): &(String, String)| {
            (name.clone(), if is_credential_header(name, self.1) { "***".to_owned() } else { value.clone() })
        };
        f.debug_map().entries(self.0.iter().map(shown)).finish()
    }
}

/// A client of the API on one server.
///
/// Cheap to clone; clones share the connection pool.
///
/// # Tracing
///
/// With the `tracing` feature, each call is one span named `request` at the `INFO`
/// level, whatever its retries, with the fields `operation` (the `operationId`, or for
/// [`Client::request`] the method and template), `method`, `path` (the path template,
/// never the filled-in path), `attempt`, `status`, `request_id`, `cache` (`hit` or
/// `miss` with [conditional requests](ClientBuilder::conditional_requests)) and
/// `duration_ms`. Each wait before a retry is an event in it: a rate limit at `WARN`
/// (with the `operation` again), other waits at `INFO`. A token source's own request
/// (a token exchange) is a span of its own inside the span of the call that needed it.
/// No field holds a URL, query, header or credential.
///
/// A subscriber shows a span only as the context of an event inside it, so a call that
/// needs no retry shows nothing until span events are on: with `tracing-subscriber`,
/// `fmt().with_span_events(FmtSpan::CLOSE)` prints one line per call as it ends, with
/// its status and duration.
#[derive(Debug, Clone)]
pub struct Client {
    pub(super) inner: Arc<Inner>,
}

#[derive(Debug)]
pub(super) struct Inner {
    http: reqwest::Client,
    base: Url,
    /// Where the bearer token of requests to the API comes from.
    auth: Option<Arc<dyn TokenSource>>,
    /// Headers every request carries, wherever it goes.
    headers: HeaderMap,
    /// Headers that carry credentials (marked sensitive): sent only to the API's origin.
    credentials: HeaderMap,
    /// Query parameters that carry credentials: added only to requests to the API's origin.
    query_credentials: Vec<(String, SecretToken)>,
    retry: Option<RetryPolicy>,
    retry_repeatable_posts: bool,
    /// The conditional-request cache and this client's identity in it.
    cache: Option<(ResponseCache, super::cache::Identity)>,
    max_body_bytes: usize,
    max_pages: usize,
    pub(super) download_timeout: Duration,
    pub(super) download_idle_timeout: Duration,
    pub(super) max_download_bytes: u64,
    /// The API's conventions, as the generated code handed them over.
    conventions: &'static Conventions,
    /// The names the API's description declares as credentials.
    credential_names: &'static CredentialNames,
    /// The server's release, when known, and the releases of the description.
    release: ServerRelease,
}

/// Configures a [`Client`].
///
/// Everything a server sends is bounded by default, so that a hostile or broken server
/// can make a call fail but not hang, fill memory or fill a disk:
///
/// | Limit | Default | Exceeded |
/// |---|---|---|
/// | [`timeout`](ClientBuilder::timeout) (one API call, body included) | 60 s | [`Error::Timeout`] |
/// | [`max_body_bytes`](ClientBuilder::max_body_bytes) (a body read into memory) | 32 MiB | [`Error::BodyTooLarge`] |
/// | [`max_pages`](ClientBuilder::max_pages) (pages of one `stream()`) | 1,000 | [`Error::TooManyPages`] |
/// | [`download_timeout`](ClientBuilder::download_timeout) (one download) | 1 hour | [`Error::Timeout`] |
/// | [`download_idle_timeout`](ClientBuilder::download_idle_timeout) (silence in a download) | 60 s | [`Error::DownloadStalled`] |
/// | [`max_download_bytes`](ClientBuilder::max_download_bytes) (one download) | 4 GiB | [`Error::DownloadTooLarge`] |
/// | [`RetryPolicy::max_total_wait`] (waiting between retries) | 120 s | the last error |
///
/// A next-page link back to a page already fetched ends a `stream()` with
/// [`Error::PageLoop`].
#[derive(Debug, Clone)]
#[must_use]
pub struct ClientBuilder {
    base_url: Option<UrlText>,
    token: Option<SecretToken>,
    token_source: Option<Arc<dyn TokenSource>>,
    user_agent: String,
    /// Headers set with [`ClientBuilder::header`], in place of defaults of the same name.
    headers: ConfiguredHeaders,
    /// Query parameters set with [`ClientBuilder::query_credential`].
    query_credentials: Vec<(String, SecretToken)>,
    /// Cookies set with [`ClientBuilder::cookie_credential`].
    cookie_credentials: Vec<(String, SecretToken)>,
    timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    http: Option<reqwest::Client>,
    retry: Option<RetryPolicy>,
    retry_repeatable_posts: bool,
    cache: Option<ResponseCache>,
    max_body_bytes: usize,
    max_pages: usize,
    download_timeout: Duration,
    download_idle_timeout: Duration,
    max_download_bytes: u64,
    conventions: &'static Conventions,
    credential_names: &'static CredentialNames,
    /// The API version the description names, sent in the conventions' version header.
    api_version: Option<&'static str>,
    releases: Option<&'static ReleaseTable>,
    server_release: Option<usize>,
    check_availability: bool,
}

impl ClientBuilder {
    /// A builder of a client of the API whose `conventions`, declared
    /// `credential_names` and `api_version` (the description's, sent in the conventions'
    /// version header) are given: what the generated `Client::builder` (and
    /// `ClientBuilder::default`) call with the crate's own. Use those instead.
    #[doc(hidden)]
    pub fn for_api(
        conventions: &'static Conventions,
        credential_names: &'static CredentialNames,
        api_version: Option<&'static str>,
    ) -> Self {
        ClientBuilder {
            base_url: conventions.default_base_url.map(|url| UrlText(url.to_owned(), credential_names)),
            token: None,
            token_source: None,
            user_agent: DEFAULT_USER_AGENT.to_owned(),
            headers: ConfiguredHeaders(Vec::new(), credential_names),
            query_credentials: Vec::new(),
            cookie_credentials: Vec::new(),
            timeout: Some(Duration::from_secs(60)),
            connect_timeout: Some(Duration::from_secs(10)),
            http: None,
            retry: None,
            retry_repeatable_posts: false,
            cache: None,
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
            max_pages: Self::DEFAULT_MAX_PAGES,
            download_timeout: Duration::from_secs(3600),
            download_idle_timeout: Self::DEFAULT_DOWNLOAD_IDLE_TIMEOUT,
            max_download_bytes: Self::DEFAULT_MAX_DOWNLOAD_BYTES,
            conventions,
            credential_names,
            api_version,
            releases: None,
            server_release: None,
            check_availability: true,
        }
    }

    /// The releases the API's description covers: what the generated
    /// `ClientBuilder::default` of a description merged from several releases adds.
    #[doc(hidden)]
    pub fn for_releases(mut self, releases: &'static ReleaseTable) -> Self {
        self.releases = Some(releases);
        self
    }

    /// The server's release, by its position in the table: what the generated
    /// `ClientBuilder::server_release` calls.
    #[doc(hidden)]
    pub fn server_release_index(mut self, index: usize) -> Self {
        self.server_release = Some(index);
        self
    }

    /// Whether requests are checked against the server's release (on unless set): an
    /// operation, parameter or body field the release lacks is refused before sending
    /// with [`Error::Unavailable`], and a `404` from a server that names such a release
    /// is that error too. Turn it off for a server ahead of the description, which may
    /// have what the description says its release lacks.
    pub fn check_availability(mut self, enabled: bool) -> Self {
        self.check_availability = enabled;
        self
    }

    /// Pages a paginated listing fetches at most, unless configured otherwise: 1,000,
    /// that is 100,000 items at 100 a page (more than the workflow-runs API itself lists
    /// for a filtered query), while a server whose next links never end is stopped.
    pub const DEFAULT_MAX_PAGES: usize = 1_000;
    /// The largest download, unless configured otherwise: 4 GiB, far above a run's log
    /// archive (zipped text, usually a few megabytes) and still short of filling a disk
    /// with an endless body. Raise it for very large artifacts.
    pub const DEFAULT_MAX_DOWNLOAD_BYTES: u64 = 4 * 1024 * 1024 * 1024;
    /// How long a download may receive nothing before it is abandoned, unless configured
    /// otherwise: 60 s, generous for a slow link and short next to the 1-hour total.
    pub const DEFAULT_DOWNLOAD_IDLE_TIMEOUT: Duration = Duration::from_secs(60);

    /// The API root, e.g. `https://api.example.com/v2`; required when the API has no
    /// default server. A trailing `/` is ignored; operation paths are appended to
    /// whatever path it has. It must not embed credentials (`https://user:password@host`):
    /// use [`ClientBuilder::token`].
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(UrlText(url.into(), self.credential_names));
        self
    }

    /// Authenticates every request to the API with `Authorization: Bearer <token>`.
    /// The token is never sent to other hosts (such as the storage behind log downloads).
    /// Replaces a [`token_source`](ClientBuilder::token_source).
    pub fn token(mut self, token: impl Into<String>) -> Self {
        self.token = Some(SecretToken::new(token));
        self.token_source = None;
        self
    }

    /// Authenticates every request to the API with a token from `source`, asked before
    /// each attempt; when the API answers `401` and the source can get another token
    /// ([`TokenSource::reject`]), the request is sent once more with it (a `POST` too:
    /// the API did not act on a request it refused). As with
    /// [`token`](ClientBuilder::token), tokens go only to the API's own origin.
    /// Replaces a `token`.
    pub fn token_source(mut self, source: impl TokenSource + 'static) -> Self {
        self.token_source = Some(Arc::new(source));
        self.token = None;
        self
    }

    /// Replaces the default `User-Agent`.
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    /// Sends the header `name: value` with every request, in place of a default header
    /// of that name (such as the `Accept` the API's conventions ask for).
    ///
    /// A header that carries a credential (`Authorization`, `Cookie`, `X-API-Key`,
    /// `X-Auth-Token`...: a name with `auth`, `token`, `secret`, `password`, `api-key`,
    /// `credential`, `session` or `signature` in it, or ending in `-key` or `_key`; and
    /// every header the description's `apiKey` security schemes name) is treated like
    /// the token: marked sensitive, sent only to the API's own origin (never to the
    /// storage behind a download, nor on a hop after a download has left the origin),
    /// never shown in `Debug` output or errors, and part of who a client is to a shared
    /// [`ResponseCache`]. A [`token`](ClientBuilder::token) takes the place of an
    /// `Authorization` header set here.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        let name = name.into().to_ascii_lowercase();
        self.headers.0.retain(|(set, _)| *set != name);
        self.headers.0.push((name, value.into()));
        self
    }

    /// Authenticates every request to the API with HTTP Basic authentication
    /// (`Authorization: Basic ...` of `username:password`), a credential header as
    /// [`header`](ClientBuilder::header) describes. A [`token`](ClientBuilder::token)
    /// takes its place.
    pub fn basic_auth(self, username: impl AsRef<str>, password: impl AsRef<str>) -> Self {
        let pair = format!("{}:{}", username.as_ref(), password.as_ref());
        self.header("authorization", format!("Basic {}", base64(pair.as_bytes())))
    }

    /// Adds `name=value` to the query of every request to the API's own origin (an API
    /// key sent in the query), in place of one set before under that name. Like a
    /// credential header: never sent to another host, never shown (URLs in errors and
    /// `Debug` output leave it out), and part of who a client is to a shared
    /// [`ResponseCache`]. A parameter of that name in a URL the API sends (a next-page
    /// link) is replaced by this one.
    pub fn query_credential(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        let name = name.into();
        self.query_credentials.retain(|(set, _)| *set != name);
        self.query_credentials.push((name, SecretToken::new(value)));
        self
    }

    /// Adds the cookie `name=value` to every request to the API's own origin (an API
    /// key sent as a cookie), in place of one set before under that name; the value is
    /// percent-encoded where a cookie cannot hold it. Treated like a credential header.
    pub fn cookie_credential(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        let name = name.into();
        self.cookie_credentials.retain(|(set, _)| *set != name);
        self.cookie_credentials.push((name, SecretToken::new(value)));
        self
    }

    /// Total time allowed for one request (default 60 s); `None` for no limit.
    /// Ignored when a custom HTTP client is given.
    pub fn timeout(mut self, timeout: Option<Duration>) -> Self {
        self.timeout = timeout;
        self
    }

    /// Time allowed to connect (default 10 s); ignored when a custom HTTP client is given.
    pub fn connect_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Uses this `reqwest::Client` (proxies, certificates, timeouts of your own). It should
    /// not follow redirects itself, or operations that answer `302` (log downloads)
    /// cannot return the redirect target.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// Retries rate-limited and failed idempotent requests; off unless set.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    /// Also retries the `POST`s that may be sent again without further effect (each
    /// one's docs say so), under the [`retry`](ClientBuilder::retry) policy; off unless
    /// set. Other `POST`s are never retried: a repeat could act twice.
    pub fn retry_repeatable_posts(mut self, enabled: bool) -> Self {
        self.retry_repeatable_posts = enabled;
        self
    }

    /// Sends `GET` requests conditionally: a response with an `ETag` (or
    /// `Last-Modified`) is kept in `cache`, the next request for the same URL with the
    /// same credentials carries `If-None-Match` (or `If-Modified-Since`), and a
    /// `304 Not Modified` answer is returned as the kept response, status `200`, with
    /// the `304`'s headers (its rate-limit budget, request id) over the kept ones. APIs
    /// that do not count a `304` against the rate limit make polling an unchanged
    /// resource free. Off unless set; clients may share one cache.
    /// [`Response::from_cache`](crate::Response::from_cache) tells a kept answer from a
    /// fresh one.
    pub fn conditional_requests(mut self, cache: ResponseCache) -> Self {
        self.cache = Some(cache);
        self
    }

    /// Total time allowed for one download by [`Client::download_to`] (default 1 hour),
    /// in place of [`ClientBuilder::timeout`], which is sized for API calls.
    pub fn download_timeout(mut self, timeout: Duration) -> Self {
        self.download_timeout = timeout;
        self
    }

    /// How long a download may wait for the response, and then for each next piece of
    /// its body, before failing with [`Error::DownloadStalled`]
    /// (default [`ClientBuilder::DEFAULT_DOWNLOAD_IDLE_TIMEOUT`], 60 s): a server that
    /// stops sending without closing the connection is not waited on for the whole
    /// [`download_timeout`](ClientBuilder::download_timeout).
    pub fn download_idle_timeout(mut self, timeout: Duration) -> Self {
        self.download_idle_timeout = timeout;
        self
    }

    /// The largest download [`Client::download_to`] accepts, in bytes (default
    /// [`ClientBuilder::DEFAULT_MAX_DOWNLOAD_BYTES`], 4 GiB). A larger announced
    /// `Content-Length` fails at once, a longer body as soon as it passes the limit,
    /// both with [`Error::DownloadTooLarge`].
    pub fn max_download_bytes(mut self, limit: u64) -> Self {
        self.max_download_bytes = limit;
        self
    }

    /// The most pages a paginated listing (`stream()`) fetches (default
    /// [`ClientBuilder::DEFAULT_MAX_PAGES`], 1,000); one more page ends the stream with
    /// [`Error::TooManyPages`], after the items of the pages before.
    pub fn max_pages(mut self, limit: usize) -> Self {
        self.max_pages = limit;
        self
    }

    /// The largest response body read into memory (default 32 MiB).
    pub fn max_body_bytes(mut self, limit: usize) -> Self {
        self.max_body_bytes = limit;
        self
    }

    /// Builds the client.
    ///
    /// # Errors
    ///
    /// [`Error::Config`] when the base URL is not an absolute `http(s)` URL or embeds
    /// credentials, or a header value is not valid; [`Error::Transport`] when the HTTP
    /// client cannot start. Messages never repeat the token or embedded credentials.
    pub fn build(self) -> Result<Client> {
        let Some(UrlText(base_url, _)) = &self.base_url else {
            return Err(Error::Config(
                "no base URL: the API has no default server; set one with `ClientBuilder::base_url`".into(),
            ));
        };
        let shown = redact_url_text(base_url, self.credential_names);
        let trimmed = base_url.trim().trim_end_matches('/');
        let base = Url::parse(trimmed).map_err(|e| Error::Config(format!("base URL `{shown}`: {e}")))?;
        if !matches!(base.scheme(), "http" | "https") || base.cannot_be_a_base() || base.host_str().is_none() {
            return Err(Error::Config(format!("base URL `{shown}` is not an http(s) URL")));
        }
        if base.query().is_some() || base.fragment().is_some() {
            return Err(Error::Config(format!("base URL `{shown}` must not have a query or fragment")));
        }
        if !base.username().is_empty() || base.password().is_some() {
            return Err(Error::Config(format!(
                "base URL `{shown}` must not embed a user name or password; authenticate with a token instead"
            )));
        }
        // Values are never quoted: the header may carry a credential.
        let invalid = |what: &str| Error::Config(format!("the value of {what} is not a valid header value"));
        let mut headers = HeaderMap::new();
        let mut credentials = HeaderMap::new();
        let configured = self.conventions.default_headers.iter().map(|(name, value)| (*name, *value));
        let version = self.conventions.api_version_header.zip(self.api_version);
        let configured = configured.chain(version);
        let configured = configured.chain(self.headers.0.iter().map(|(name, value)| (name.as_str(), value.as_str())));
        for (name, value) in configured {
            let name = HeaderName::from_bytes(name.as_bytes()).map_err(|_| {
                Error::Config(format!("`{}` is not a valid header name", super::error::escape_controls(name)))
            })?;
            let mut value = HeaderValue::from_str(value).map_err(|_| invalid(&format!("header `{name}`")))?;
            // A header set replaces a default of its name, whichever kind that was.
            headers.remove(&name);
            credentials.remove(&name);
            if is_credential_header(name.as_str(), self.credential_names) {
                value.set_sensitive(true);
                credentials.insert(name, value);
            } else {
                headers.insert(name, value);
            }
        }
        if !self.cookie_credentials.is_empty() {
            // After the cookies of a `Cookie` header set by hand, if any.
            let mut cookies = credentials.get(COOKIE).map(|set| set.as_bytes().to_vec()).unwrap_or_default();
            for (name, value) in &self.cookie_credentials {
                if !cookies.is_empty() {
                    cookies.extend_from_slice(b"; ");
                }
                cookies.extend_from_slice(super::request::cookie_pair(name, value.expose()).as_bytes());
            }
            let mut value = HeaderValue::from_bytes(&cookies).map_err(|_| invalid("a cookie credential"))?;
            value.set_sensitive(true);
            credentials.insert(COOKIE, value);
        }
        headers.insert(USER_AGENT, HeaderValue::from_str(&self.user_agent).map_err(|_| invalid("the user agent"))?);
        // Who the cached answers belong to: the token itself for a fixed token; for a token
        // source (whose tokens change), this client and its clones alone; and the query
        // credentials. The cache hashes them with the credential headers.
        let mut identity = Vec::new();
        match &self.token {
            Some(token) => identity_part(&mut identity, &[b"token", token.expose().as_bytes()]),
            None if self.token_source.is_some() => {
                identity_part(&mut identity, &[b"token source", &unpredictable().to_le_bytes()])
            }
            None => {}
        }
        let mut query_credentials = self.query_credentials;
        query_credentials.sort_by(|a, b| a.0.cmp(&b.0));
        for (name, value) in &query_credentials {
            identity_part(&mut identity, &[b"query", name.as_bytes(), value.expose().as_bytes()]);
        }
        let auth: Option<Arc<dyn TokenSource>> = match (self.token, self.token_source) {
            (Some(token), _) => {
                bearer(&token)?;
                Some(Arc::new(StaticToken::new(token.expose())))
            }
            (None, source) => source,
        };
        let http = match self.http {
            Some(http) => http,
            None => {
                let mut builder = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none());
                if let Some(timeout) = self.timeout {
                    builder = builder.timeout(timeout);
                }
                if let Some(timeout) = self.connect_timeout {
                    builder = builder.connect_timeout(timeout);
                }
                builder.build().map_err(transport_error)?
            }
        };
        let cache = self.cache.map(|cache| {
            let mut sent = headers.clone();
            sent.extend(credentials.clone());
            let identity = cache.identity(Some(&identity).filter(|c| !c.is_empty()).map(Vec::as_slice), &sent);
            (cache, identity)
        });
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                base,
                auth,
                headers,
                credentials,
                query_credentials,
                retry: self.retry,
                retry_repeatable_posts: self.retry_repeatable_posts,
                cache,
                max_body_bytes: self.max_body_bytes,
                max_pages: self.max_pages,
                download_timeout: self.download_timeout,
                download_idle_timeout: self.download_idle_timeout,
                max_download_bytes: self.max_download_bytes,
                conventions: self.conventions,
                credential_names: self.credential_names,
                release: ServerRelease::new(self.releases, self.server_release, self.check_availability),
            }),
        })
    }
}

/// The credential a request goes out with.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Credential<'a> {
    /// The client's token source, asked on the API's own origin only.
    Client,
    /// `token`, for a token source's own exchange (sent past the source). Such an
    /// exchange only issues a credential, so it is retried like an idempotent request.
    /// Only the flavors whose token sources exchange a credential construct it.
    #[allow(dead_code)]
    Exchange(&'a SecretToken),
}

impl Client {
    /// The API root requests go to.
    pub fn base_url(&self) -> &Url {
        &self.inner.base
    }

    /// Whether `url` is on the API's own origin (scheme, host and port), the only place
    /// the token is sent.
    pub fn is_api_origin(&self, url: &Url) -> bool {
        url.origin() == self.inner.base.origin()
    }

    /// Whether `name` is one of the query parameters this client sends as credentials.
    fn is_query_credential(&self, name: &str) -> bool {
        self.inner.query_credentials.iter().any(|(set, _)| set == name)
    }

    /// The names the API's description declares as credentials.
    pub(crate) fn credential_names(&self) -> &'static CredentialNames {
        self.inner.credential_names
    }

    /// The most pages a paginated listing fetches.
    pub(crate) fn max_pages(&self) -> usize {
        self.inner.max_pages
    }

    /// Where `request` goes: below the base URL, or its absolute URL without credentials.
    pub(crate) fn url_for(&self, request: &Request) -> Result<Url> {
        let mut url = match &request.target {
            super::request::Target::Path(path) => {
                let joined = format!("{}{}", self.inner.base.as_str().trim_end_matches('/'), path);
                Url::parse(&joined).map_err(|e| Error::Config(format!("request URL `{joined}`: {e}")))?
            }
            super::request::Target::Absolute(url) => {
                let mut url = url.clone();
                strip_credentials(&mut url);
                // The client's own query credentials are added on the wire, to the API's
                // origin only; one that the API echoed into a link is not kept in it.
                remove_query(&mut url, |name| self.is_query_credential(name));
                url
            }
        };
        if !request.query.is_empty() {
            let mut pairs = url.query_pairs_mut();
            for (name, value) in &request.query {
                pairs.append_pair(name, value);
            }
        }
        Ok(url)
    }

    /// Sends a request, retrying per the policy; returns the response whatever its status.
    pub(crate) async fn execute(&self, request: Request) -> Result<RawResponse> {
        self.execute_with(request, Credential::Client).await
    }

    /// [`Client::execute`] with the given credential.
    pub(crate) async fn execute_with(&self, request: Request, credential: Credential<'_>) -> Result<RawResponse> {
        let named = request.operation;
        let availability = request.availability;
        self.check_release(&request)?;
        // Only the API's own origin says what release the server runs: a host that a
        // next-page link or an absolute URL points at could name any release, and every
        // later call would be refused by what it said.
        let from_api = self.url_for(&request).is_ok_and(|url| self.is_api_origin(&url));
        let trace = Trace::start(&request);
        let outcome = trace.instrument(self.execute_traced(request, credential, &trace)).await;
        trace.finish(&outcome);
        let response = outcome?;
        let release = &self.inner.release;
        let learned = if from_api { release.learn(response.headers()) } else { None };
        if let (Some(index), Some(availability), Some(Named::Operation(operation))) = (learned, availability, named) {
            if release.check && response.status() == StatusCode::NOT_FOUND && !availability.includes(index) {
                return Err(Error::Unavailable(Box::new(super::error::Unavailable {
                    operation: operation.id,
                    item: None,
                    release: release.name(index),
                    available_on: availability.text,
                    status: Some(response.status()),
                })));
            }
        }
        Ok(response)
    }

    /// Refuses, before sending, a request whose operation, parameters or fields the
    /// server's known release lacks.
    fn check_release(&self, request: &Request) -> Result<()> {
        let release = &self.inner.release;
        let (Some(index), true, Some(Named::Operation(operation))) =
            (release.known(), release.check, request.operation)
        else {
            return Ok(());
        };
        let lacking = request
            .availability
            .filter(|a| !a.includes(index))
            .map(|a| (None, a))
            .or_else(|| request.needs.iter().find(|(_, a)| !a.includes(index)).map(|(name, a)| (Some(*name), *a)));
        match lacking {
            None => Ok(()),
            Some((item, availability)) => Err(Error::Unavailable(Box::new(super::error::Unavailable {
                operation: operation.id,
                item,
                release: release.name(index),
                available_on: availability.text,
                status: None,
            }))),
        }
    }

    /// The position of the server's release in the API's release table, when known:
    /// what the generated `Client::server_release` reads.
    #[doc(hidden)]
    pub fn server_release_index(&self) -> Option<usize> {
        self.inner.release.known()
    }

    async fn execute_traced(
        &self,
        mut request: Request,
        credential: Credential<'_>,
        trace: &Trace,
    ) -> Result<RawResponse> {
        let url = self.url_for(&request)?;
        let authorize = self.is_api_origin(&url);
        let repeatable = match credential {
            Credential::Client => {
                self.inner.retry_repeatable_posts && request.operation.is_some_and(|named| named.repeatable())
            }
            Credential::Exchange(_) => true,
        };
        let idempotent = !matches!(request.method, Method::POST | Method::PATCH) || repeatable;
        let policy = self.inner.retry.as_ref().filter(|_| idempotent);
        // Conditional `GET`s: only on the API's origin, where the token identifies the
        // caller, and only when the request brings no credential or validator of its own
        // (the cache knows the client's, and sends its own validators).
        let own = |name: &str| {
            is_credential_header(name, self.inner.credential_names)
                || name.eq_ignore_ascii_case("if-none-match")
                || name.eq_ignore_ascii_case("if-modified-since")
        };
        let conditional =
            request.method == Method::GET && authorize && !request.headers.iter().any(|(name, _)| own(name));
        let cache = self.inner.cache.as_ref().filter(|_| conditional);
        let cached = cache.and_then(|(cache, identity)| cache.get(*identity, url.as_str()));
        if let Some(entry) = &cached {
            request.headers.extend(entry.validators());
        }
        let mut attempts = 0u32;
        let mut waited = Duration::ZERO;
        // Rate limits in a row that named no time.
        let mut unnamed_limits = 0u32;
        loop {
            attempts += 1;
            trace.attempt(attempts);
            let mut outcome = match credential {
                Credential::Client => self.send_authorized(&request, &url, authorize).await,
                Credential::Exchange(token) => self.send_once(&request, &url, authorize, Some(token)).await,
            };
            if let (Some((cache, identity)), Ok(response)) = (cache, &outcome) {
                outcome = match (response.status(), &cached) {
                    (StatusCode::NOT_MODIFIED, Some(entry)) => {
                        trace.cache("hit");
                        let headers = super::cache::refreshed(&entry.headers, response.headers());
                        cache.put(*identity, url.as_str(), &headers, entry.body.clone());
                        Ok(RawResponse::from_parts(
                            StatusCode::OK,
                            headers,
                            entry.body.clone(),
                            self.inner.max_body_bytes,
                            self.inner.conventions,
                        )
                        .kept())
                    }
                    (StatusCode::OK, _) => {
                        trace.cache("miss");
                        match outcome {
                            Ok(response) => response.store(cache, *identity, url.as_str()).await,
                            Err(error) => Err(error),
                        }
                    }
                    // The resource is gone: its stored answer must not come back later
                    // through a `304` from a server that has lost track of it.
                    (StatusCode::NOT_FOUND | StatusCode::GONE, Some(_)) => {
                        cache.forget(*identity, url.as_str());
                        outcome
                    }
                    _ => outcome,
                };
            }
            let Some(policy) = policy else { return outcome };
            // A `403` whose headers name no limit may still be one: the API's conventions
            // read its body.
            let mut limited_by_body = false;
            if self.inner.conventions.rate_limit_wait.is_some() {
                outcome = match outcome {
                    Ok(response)
                        if response.status() == StatusCode::FORBIDDEN
                            && retry_delay(response.status(), response.headers()).is_none() =>
                    {
                        response.rate_limited_by_body().await.map(|(response, limited)| {
                            limited_by_body = limited;
                            response
                        })
                    }
                    other => other,
                };
            }
            let (wait, reason) = match &outcome {
                Ok(response) => {
                    match retry_delay(response.status(), response.headers()).or(limited_by_body.then_some(None)) {
                        Some(named) if response.status().is_server_error() => {
                            (named.or(Some(backoff(policy, attempts))), "server error")
                        }
                        Some(named) => {
                            // A rate limit that names no time: the API's documented wait,
                            // doubling while the refusals go on, else the backoff.
                            let doubling = 2u32.saturating_pow(unnamed_limits);
                            let documented =
                                self.inner.conventions.rate_limit_wait.map(|wait| wait.saturating_mul(doubling));
                            if named.is_none() {
                                unnamed_limits = unnamed_limits.saturating_add(1);
                            }
                            (named.or(documented).or(Some(backoff(policy, attempts))), "rate limit")
                        }
                        None => return outcome,
                    }
                }
                Err(Error::Transport(e)) if e.is_connect() => (Some(backoff(policy, attempts)), "connection failed"),
                Err(Error::Timeout(_)) => (Some(backoff(policy, attempts)), "timeout"),
                Err(_) => return outcome,
            };
            let wait = wait.unwrap_or_default();
            // Checked: the wait may come from the server and be anything up to `u64::MAX` s.
            let within_budget = waited.checked_add(wait).filter(|total| *total <= policy.max_total_wait);
            let Some(total) = within_budget.filter(|_| attempts < policy.max_attempts) else {
                return match outcome {
                    Ok(response) if attempts > 1 => {
                        Err(Error::Retried { attempts, last: Box::new(response.into_error().await) })
                    }
                    Err(error) if attempts > 1 => Err(Error::Retried { attempts, last: Box::new(error) }),
                    other => other,
                };
            };
            trace.retry(attempts, wait, reason);
            waited = total;
            tokio::time::sleep(wait).await;
        }
    }

    /// Sends `request` to `url`, with the client's credentials and a token from its
    /// source only when `authorize` says so; a `401` to a token the source then replaces
    /// is sent once more.
    pub(super) async fn send_authorized(&self, request: &Request, url: &Url, authorize: bool) -> Result<RawResponse> {
        let source = self.inner.auth.as_ref().filter(|_| authorize);
        let Some(source) = source else { return self.send_once(request, url, authorize, None).await };
        let token = source.token(self).await?;
        let response = self.send_once(request, url, authorize, Some(&token)).await?;
        if response.status() != StatusCode::UNAUTHORIZED || !source.reject(&token) {
            return Ok(response);
        }
        let token = source.token(self).await?;
        self.send_once(request, url, authorize, Some(&token)).await
    }

    /// Sends `request` to `url` once: with the client's credential headers and query
    /// parameters when `authorize` (the request goes to the API's origin), and with
    /// `token` as its bearer token when given (a token source's own exchange sends its
    /// credential this way, past the source).
    pub(crate) async fn send_once(
        &self,
        request: &Request,
        url: &Url,
        authorize: bool,
        token: Option<&SecretToken>,
    ) -> Result<RawResponse> {
        let headers = self.wire_headers(request, authorize, token)?;
        let mut builder =
            self.inner.http.request(request.method.clone(), self.wire_url(url, authorize)).headers(headers);
        if let Some(timeout) = request.timeout {
            builder = builder.timeout(timeout);
        }
        match &request.body {
            Some((content_type, body)) => {
                builder = builder.header(reqwest::header::CONTENT_TYPE, content_type.as_str()).body(body.clone());
            }
            // A bodyless POST still says so (RFC 9110: `Content-Length: 0`); some proxies insist.
            None if matches!(request.method, Method::POST | Method::PUT | Method::PATCH) => {
                builder = builder.header(reqwest::header::CONTENT_LENGTH, "0");
            }
            None => {}
        }
        let response = builder.send().await.map_err(transport_error)?;
        Ok(RawResponse::new(response, self.inner.max_body_bytes, url.clone(), self.inner.conventions))
    }

    /// `url` as sent: with the client's query credentials when `authorize`.
    fn wire_url(&self, url: &Url, authorize: bool) -> Url {
        let mut wire = url.clone();
        if authorize && !self.inner.query_credentials.is_empty() {
            remove_query(&mut wire, |name| self.is_query_credential(name));
            let mut pairs = wire.query_pairs_mut();
            for (name, value) in &self.inner.query_credentials {
                pairs.append_pair(name, value.expose());
            }
        }
        wire
    }

    /// The headers `request` goes out with: the client's, its credential headers when
    /// `authorize`, `token` as the bearer token when given, then the request's own, each
    /// in place of the client's of that name (cookies join the client's).
    fn wire_headers(&self, request: &Request, authorize: bool, token: Option<&SecretToken>) -> Result<HeaderMap> {
        let mut headers = self.inner.headers.clone();
        if authorize {
            headers.extend(self.inner.credentials.clone());
        }
        if let Some(token) = token {
            headers.insert(AUTHORIZATION, bearer(token)?);
        }
        let mut replaced: Vec<HeaderName> = Vec::new();
        for (name, value) in &request.headers {
            let invalid = |reason: &str| Error::InvalidParameter { name, reason: reason.to_owned() };
            let header = HeaderName::from_bytes(name.as_bytes()).map_err(|_| invalid("not a valid header name"))?;
            let mut value = HeaderValue::from_str(value).map_err(|_| invalid("not a valid header value"))?;
            if is_credential_header(name, self.inner.credential_names) {
                value.set_sensitive(true);
            }
            // One `Cookie` header: the request's cookies join the client's.
            if header == COOKIE {
                if let Some(client) = headers.get(COOKIE) {
                    let joined = [client.as_bytes(), b"; ", value.as_bytes()].concat();
                    value = HeaderValue::from_bytes(&joined).map_err(|_| invalid("not a valid cookie"))?;
                    value.set_sensitive(true);
                    headers.insert(COOKIE, value);
                    continue;
                }
            }
            if !replaced.contains(&header) {
                headers.remove(&header);
                replaced.push(header.clone());
            }
            headers.append(header, value);
        }
        Ok(headers)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A builder for an API with no conventions and no declared credential names.
    fn builder() -> ClientBuilder {
        const PLAIN: Conventions = Conventions::plain(None);
        const NONE: CredentialNames = CredentialNames { headers: &[], query: &[] };
        ClientBuilder::for_api(&PLAIN, &NONE, None)
    }

    #[test]
    fn a_client_follows_the_conventions_and_credential_names_it_was_built_with() {
        const CONVENTIONS: Conventions = Conventions {
            default_headers: &[("accept", "application/x.test")],
            ..Conventions::plain(Some("https://api.example.com/v1"))
        };
        const NAMES: CredentialNames = CredentialNames { headers: &["x-tenant"], query: &[] };
        let client =
            ClientBuilder::for_api(&CONVENTIONS, &NAMES, Some("1.0")).header("X-Tenant", "t1").build().unwrap();
        assert_eq!(client.base_url().as_str(), "https://api.example.com/v1");
        assert_eq!(client.inner.headers.get("accept").unwrap(), "application/x.test");
        assert_eq!(client.inner.headers.get("x-api-version"), None, "an API without a version header sends none");
        const VERSIONED: Conventions = Conventions { api_version_header: Some("x-api-version"), ..CONVENTIONS };
        let build = |builder: ClientBuilder| builder.build().unwrap().inner.headers.get("x-api-version").cloned();
        assert_eq!(build(ClientBuilder::for_api(&VERSIONED, &NAMES, Some("1.0"))).unwrap(), "1.0");
        assert_eq!(build(ClientBuilder::for_api(&VERSIONED, &NAMES, None)), None);
        let replaced = ClientBuilder::for_api(&VERSIONED, &NAMES, Some("1.0")).header("X-Api-Version", "2.0");
        assert_eq!(build(replaced).unwrap(), "2.0", "a header set replaces the description's version");
        assert!(client.inner.credentials.get("x-tenant").unwrap().is_sensitive());
        let plain = builder().base_url("https://api.example.com").header("X-Tenant", "t1").build().unwrap();
        assert!(plain.inner.credentials.get("x-tenant").is_none(), "a credential only where the API declares it");
    }

    #[test]
    fn credential_headers_are_marked_sensitive_and_kept_apart() {
        let client = builder()
            .base_url("https://api.example.com")
            .header("X-API-Key", "k")
            .header("Accept", "text/plain")
            .build()
            .unwrap();
        let key = client.inner.credentials.get("x-api-key").unwrap();
        assert!(key.is_sensitive());
        assert!(client.inner.headers.get("x-api-key").is_none(), "sent everywhere only if not a credential");
        assert!(!client.inner.headers.get("accept").unwrap().is_sensitive());
    }

    #[test]
    fn a_requests_cookies_join_the_clients_in_one_header_and_query_credentials_go_to_the_origin_only() {
        let client = builder()
            .base_url("https://api.example.com")
            .header("Cookie", "lang=é")
            .cookie_credential("SID", "s3cret")
            .query_credential("api_key", "k3y")
            .build()
            .unwrap();
        let mut request = Request::new(Method::GET, "/things".into());
        request.cookie("theme", Some(&"dark")).unwrap();

        let headers = client.wire_headers(&request, true, None).unwrap();
        let cookies: Vec<&HeaderValue> = headers.get_all(COOKIE).iter().collect();
        assert_eq!(cookies, [HeaderValue::from_bytes("lang=é; SID=s3cret; theme=dark".as_bytes()).unwrap()]);
        assert!(cookies[0].is_sensitive());
        let elsewhere = client.wire_headers(&request, false, None).unwrap();
        assert_eq!(elsewhere.get_all(COOKIE).iter().collect::<Vec<_>>(), ["theme=dark"]);

        let url = client.url_for(&request).unwrap();
        assert_eq!(client.wire_url(&url, true).as_str(), "https://api.example.com/things?api_key=k3y");
        assert_eq!(client.wire_url(&url, false).as_str(), "https://api.example.com/things");
    }
}
