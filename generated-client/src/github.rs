//! GitHub's conventions, beyond what its description says: the default server and
//! Enterprise Server URLs, the media type and API-version headers, the error body and
//! the request id. Only crates generated from a GitHub description have this module.

use crate::runtime::{Conventions, ErrorBody};
use crate::ClientBuilder;

/// The public GitHub API.
pub const GITHUB_API_URL: &str = "https://api.github.com";
/// The REST API version this client was generated for, sent as `X-GitHub-Api-Version`.
pub const DEFAULT_API_VERSION: &str = "2022-11-28";
/// The header that carries the API version.
const API_VERSION_HEADER: &str = "x-github-api-version";

/// What the runtime does differently for GitHub.
pub(crate) const CONVENTIONS: Conventions = Conventions {
    api_name: "GitHub API",
    default_base_url: Some(GITHUB_API_URL),
    default_headers: &[("accept", "application/vnd.github+json"), (API_VERSION_HEADER, DEFAULT_API_VERSION)],
    request_id_header: Some("x-github-request-id"),
    error_body,
    rate_limit_body,
};

/// GitHub answers a secondary rate limit with `403` and a message, sometimes without
/// `retry-after` ("You have exceeded a secondary rate limit. Please wait a few minutes
/// before you try again."), or, for abuse detection, "...triggered an abuse detection
/// mechanism...".
fn rate_limit_body(body: &ErrorBody) -> bool {
    let message = body.message.to_ascii_lowercase();
    message.contains("secondary rate limit") || message.contains("abuse detection") || message.contains("rate limit exceeded")
}

/// GitHub's error body (`basic-error` / `validation-error`): a `message`, and maybe a
/// `documentation_url` and validation `errors`.
fn error_body(body: &[u8]) -> Option<ErrorBody> {
    #[derive(serde::Deserialize)]
    struct GitHubError {
        message: String,
        documentation_url: Option<String>,
        #[serde(default)]
        errors: Vec<serde_json::Value>,
    }
    let parsed: GitHubError = serde_json::from_slice(body).ok()?;
    Some(ErrorBody { message: parsed.message, documentation_url: parsed.documentation_url, errors: parsed.errors })
}

impl ClientBuilder {
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

    /// Replaces the `X-GitHub-Api-Version` header value (default [`DEFAULT_API_VERSION`]).
    pub fn api_version(self, version: impl Into<String>) -> Self {
        self.header(API_VERSION_HEADER, version)
    }
}
