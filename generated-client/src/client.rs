//! The client: where requests go, who they authenticate as, and how they are retried.

use crate::runtime::{RawResponse, Request};
use crate::{Error, Result};
use reqwest::header::{HeaderMap, HeaderValue, ACCEPT, AUTHORIZATION, USER_AGENT};
use reqwest::{Method, StatusCode, Url};
use std::sync::Arc;
use std::time::Duration;

/// The public GitHub API.
pub const GITHUB_API_URL: &str = "https://api.github.com";
/// The REST API version this client was generated for, sent as `X-GitHub-Api-Version`.
pub const DEFAULT_API_VERSION: &str = "2022-11-28";
/// The `User-Agent` sent unless another is configured (GitHub rejects requests without one).
pub const DEFAULT_USER_AGENT: &str = concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"));
/// The largest response body read into memory, unless configured otherwise.
pub const DEFAULT_MAX_BODY_BYTES: usize = 32 * 1024 * 1024;

/// A token that never shows up in `Debug` output or error messages.
#[derive(Clone)]
struct Secret(String);

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(***)")
    }
}

/// A GitHub REST API client for one server (github.com or a GitHub Enterprise Server).
///
/// Cheap to clone; clones share the connection pool.
///
/// ```
/// # fn main() -> Result<(), workflow_runs_client::Error> {
/// use workflow_runs_client::Client;
///
/// let github = Client::builder().token("ghp_example").build()?;
/// let enterprise = Client::builder().enterprise("github.example.com").build()?;
/// assert_eq!(enterprise.base_url().as_str(), "https://github.example.com/api/v3");
/// # let _ = github;
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    http: reqwest::Client,
    base: Url,
    token: Option<Secret>,
    headers: HeaderMap,
    retry: Option<RetryPolicy>,
    max_body_bytes: usize,
    download_timeout: Duration,
}

/// Configures a [`Client`].
#[derive(Debug, Clone)]
#[must_use]
pub struct ClientBuilder {
    base_url: String,
    token: Option<Secret>,
    user_agent: String,
    api_version: String,
    timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    http: Option<reqwest::Client>,
    retry: Option<RetryPolicy>,
    max_body_bytes: usize,
    download_timeout: Duration,
}

impl Default for ClientBuilder {
    fn default() -> Self {
        ClientBuilder {
            base_url: GITHUB_API_URL.to_owned(),
            token: None,
            user_agent: DEFAULT_USER_AGENT.to_owned(),
            api_version: DEFAULT_API_VERSION.to_owned(),
            timeout: Some(Duration::from_secs(60)),
            connect_timeout: Some(Duration::from_secs(10)),
            http: None,
            retry: None,
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
            download_timeout: Duration::from_secs(3600),
        }
    }
}

impl ClientBuilder {
    /// The API root, e.g. `https://api.github.com` or `https://ghe.example.com/api/v3`.
    /// A trailing `/` is ignored; operation paths are appended to whatever path it has.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = url.into();
        self
    }

    /// A GitHub Enterprise Server by hostname, over HTTPS: `https://{hostname}/api/v3`
    /// (the description's server template `{protocol}://{hostname}/api/v3`).
    pub fn enterprise(self, hostname: &str) -> Self {
        self.enterprise_with_protocol("https", hostname)
    }

    /// A GitHub Enterprise Server by protocol (`http` or `https`) and hostname.
    pub fn enterprise_with_protocol(self, protocol: &str, hostname: &str) -> Self {
        // Every GitHub Enterprise Server serves its REST API under `/api/v3`, whatever server
        // template the description this crate was generated from names: a tool written for
        // one server never follows a regenerated template to another.
        self.base_url(format!("{protocol}://{}/api/v3", hostname.trim_end_matches('/')))
    }

    /// Authenticates every request to the API with `Authorization: Bearer <token>`.
    /// The token is never sent to other hosts (such as the storage behind log downloads).
    pub fn token(mut self, token: impl Into<String>) -> Self {
        self.token = Some(Secret(token.into()));
        self
    }

    /// Replaces the default `User-Agent`.
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    /// Replaces the `X-GitHub-Api-Version` header value.
    pub fn api_version(mut self, version: impl Into<String>) -> Self {
        self.api_version = version.into();
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

    /// Total time allowed for one download by [`Client::download_to`] (default 1 hour),
    /// in place of [`ClientBuilder::timeout`], which is sized for API calls.
    pub fn download_timeout(mut self, timeout: Duration) -> Self {
        self.download_timeout = timeout;
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
    /// [`Error::Config`] when the base URL is not an absolute `http(s)` URL or a header
    /// value is not valid; [`Error::Transport`] when the HTTP client cannot start.
    pub fn build(self) -> Result<Client> {
        let trimmed = self.base_url.trim().trim_end_matches('/');
        let base = Url::parse(trimmed).map_err(|e| Error::Config(format!("base URL `{}`: {e}", self.base_url)))?;
        if !matches!(base.scheme(), "http" | "https") || base.cannot_be_a_base() || base.host_str().is_none() {
            return Err(Error::Config(format!("base URL `{}` is not an http(s) URL", self.base_url)));
        }
        if base.query().is_some() || base.fragment().is_some() {
            return Err(Error::Config(format!("base URL `{}` must not have a query or fragment", self.base_url)));
        }
        let header = |name: &str, value: &str| {
            HeaderValue::from_str(value).map_err(|_| Error::Config(format!("{name} `{value}` is not a valid header value")))
        };
        let mut headers = HeaderMap::new();
        headers.insert(ACCEPT, HeaderValue::from_static("application/vnd.github+json"));
        headers.insert(USER_AGENT, header("user agent", &self.user_agent)?);
        headers.insert("x-github-api-version", header("API version", &self.api_version)?);
        if let Some(token) = &self.token {
            header("token", &token.0).map_err(|_| Error::Config("the token is not a valid header value".into()))?;
        }
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
                builder.build().map_err(Error::Transport)?
            }
        };
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                base,
                token: self.token,
                headers,
                retry: self.retry,
                max_body_bytes: self.max_body_bytes,
                download_timeout: self.download_timeout,
            }),
        })
    }
}

/// When and how often to retry.
///
/// Only idempotent requests (`GET`, `HEAD`, `DELETE`, ...) are retried, never a `POST`.
/// Retried: `429`, `403` that carries `retry-after` or an exhausted
/// `x-ratelimit-remaining`, `5xx`, and connection failures. Waits follow `retry-after`
/// (or `x-ratelimit-reset`) when given, else back off exponentially from
/// `initial_backoff`; a wait longer than `max_total_wait` allows ends the retries.
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
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 4,
            initial_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(30),
            max_total_wait: Duration::from_secs(120),
        }
    }
}

impl Client {
    /// Starts configuring a client for `https://api.github.com`.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// The API root requests go to.
    pub fn base_url(&self) -> &Url {
        &self.inner.base
    }

    /// Whether `url` is on the API's own origin (scheme, host and port), the only place
    /// the token is sent.
    pub fn is_api_origin(&self, url: &Url) -> bool {
        url.origin() == self.inner.base.origin()
    }

    fn url_for(&self, request: &Request) -> Result<Url> {
        let mut url = match &request.target {
            crate::runtime::Target::Path(path) => {
                let joined = format!("{}{}", self.inner.base.as_str().trim_end_matches('/'), path);
                Url::parse(&joined).map_err(|e| Error::Config(format!("request URL `{joined}`: {e}")))?
            }
            crate::runtime::Target::Absolute(url) => url.clone(),
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
        let url = self.url_for(&request)?;
        let idempotent = !matches!(request.method, Method::POST | Method::PATCH);
        let policy = self.inner.retry.as_ref().filter(|_| idempotent);
        let mut attempts = 0u32;
        let mut waited = Duration::ZERO;
        loop {
            attempts += 1;
            let outcome = self.send_once(&request, &url).await;
            let Some(policy) = policy else { return outcome };
            let wait = match &outcome {
                Ok(response) => match retry_delay(response.status(), response.headers()) {
                    Some(explicit) => explicit.or(Some(backoff(policy, attempts))),
                    None => return outcome,
                },
                Err(Error::Transport(e)) if e.is_connect() || e.is_timeout() => Some(backoff(policy, attempts)),
                Err(_) => return outcome,
            };
            let wait = wait.unwrap_or_default();
            if attempts >= policy.max_attempts || waited + wait > policy.max_total_wait {
                return match outcome {
                    Ok(response) if attempts > 1 => Err(Error::Retried { attempts, last: Box::new(response.into_error().await) }),
                    Err(error) if attempts > 1 => Err(Error::Retried { attempts, last: Box::new(error) }),
                    other => other,
                };
            }
            waited += wait;
            tokio::time::sleep(wait).await;
        }
    }

    async fn send_once(&self, request: &Request, url: &Url) -> Result<RawResponse> {
        let mut builder = self.inner.http.request(request.method.clone(), url.clone()).headers(self.inner.headers.clone());
        if let (Some(token), true) = (&self.inner.token, self.is_api_origin(url)) {
            builder = builder.header(AUTHORIZATION, format!("Bearer {}", token.0));
        }
        for (name, value) in &request.headers {
            builder = builder.header(*name, value.as_str());
        }
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
        let response = builder.send().await.map_err(Error::Transport)?;
        Ok(RawResponse::new(response, self.inner.max_body_bytes))
    }

    /// Fetches `url` (typically a [`Redirect`](crate::Redirect) target) and streams its
    /// body into `writer` without holding it in memory; returns the number of bytes.
    ///
    /// The token is sent only if `url` is on the API's own origin; redirects (up to 5)
    /// are followed the same way, so it never reaches another host.
    ///
    /// # Errors
    ///
    /// A non-success status becomes an error as for any call; [`Error::Io`] when writing fails.
    pub async fn download_to<W>(&self, url: &str, writer: &mut W) -> Result<u64>
    where
        W: tokio::io::AsyncWrite + Unpin + ?Sized,
    {
        use futures_util::StreamExt;
        use tokio::io::AsyncWriteExt;
        let mut url = Url::parse(url).map_err(|e| Error::InvalidParameter { name: "url", reason: e.to_string() })?;
        for _ in 0..=5 {
            let mut request = Request::absolute(Method::GET, url.clone());
            request.timeout = Some(self.inner.download_timeout);
            let response = self.send_once(&request, &url).await?;
            let status = response.status();
            if status.is_redirection() {
                let Some(location) = response.headers().get(reqwest::header::LOCATION).and_then(|l| l.to_str().ok()) else {
                    return Err(response.into_error().await);
                };
                url = url.join(location).map_err(|e| Error::InvalidParameter { name: "location", reason: e.to_string() })?;
                continue;
            }
            if status != StatusCode::OK {
                return Err(response.into_error().await);
            }
            let mut written = 0u64;
            let mut body = response.into_inner().bytes_stream();
            while let Some(chunk) = body.next().await {
                let chunk = chunk.map_err(Error::Transport)?;
                writer.write_all(&chunk).await?;
                written += chunk.len() as u64;
            }
            writer.flush().await?;
            return Ok(written);
        }
        Err(Error::InvalidParameter { name: "url", reason: "more than 5 redirects".into() })
    }

    /// Like [`Client::download_to`], into the file at `path`.
    ///
    /// The download goes to a temporary file beside `path`, renamed over it only once
    /// complete: a failure leaves whatever was at `path` untouched and no partial file.
    ///
    /// # Errors
    ///
    /// As [`Client::download_to`].
    pub async fn download_to_file(&self, url: &str, path: impl AsRef<std::path::Path>) -> Result<u64> {
        let path = path.as_ref();
        let mut partial = path.as_os_str().to_owned();
        partial.push(format!(".partial-{}", std::process::id()));
        let partial = std::path::PathBuf::from(partial);
        let mut file = tokio::fs::File::create(&partial).await?;
        let result = match self.download_to(url, &mut file).await {
            Ok(written) => file.sync_all().await.map(|()| written).map_err(Error::from),
            Err(error) => Err(error),
        };
        drop(file);
        match result {
            Ok(written) => {
                tokio::fs::rename(&partial, path).await?;
                Ok(written)
            }
            Err(error) => {
                let _ = tokio::fs::remove_file(&partial).await;
                Err(error)
            }
        }
    }
}

/// `None`: not retryable. `Some(None)`: retryable, no wait given. `Some(Some(d))`: wait `d`.
fn retry_delay(status: StatusCode, headers: &HeaderMap) -> Option<Option<Duration>> {
    let retry_after = crate::response::header_u64(headers, "retry-after").map(Duration::from_secs);
    let exhausted = crate::response::header_u64(headers, "x-ratelimit-remaining") == Some(0);
    let until_reset = || {
        let reset = crate::response::reset_time(headers)?;
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

fn backoff(policy: &RetryPolicy, attempts: u32) -> Duration {
    let factor = 2u32.saturating_pow(attempts.saturating_sub(1));
    policy.initial_backoff.saturating_mul(factor).min(policy.max_backoff)
}
