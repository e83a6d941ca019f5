//! GitHub's conventions, beyond what its description says: the default server and
//! Enterprise Server URLs, the media type and API-version headers, the error body, the
//! request id and how GitHub refuses requests. Only crates generated from a GitHub
//! description have this module.

use crate::runtime::{Conventions, ErrorBody, Refusal, Refusals};
use crate::ClientBuilder;

/// The public GitHub API.
pub const GITHUB_API_URL: &str = "https://api.github.com";
/// The header that carries the API version: the one the description names
/// (`info.x-api-version`), which the generated code hands the client.
const API_VERSION_HEADER: &str = "x-github-api-version";

/// What the runtime does differently for GitHub.
pub(crate) const CONVENTIONS: Conventions = Conventions {
    api_name: "GitHub API",
    default_base_url: Some(GITHUB_API_URL),
    default_headers: &[("accept", "application/vnd.github+json")],
    api_version_header: Some(API_VERSION_HEADER),
    request_id_header: Some("x-github-request-id"),
    error_body,
    rate_limit_body,
    rate_limit_wait: Some(SECONDARY_RATE_LIMIT_WAIT),
    api_paths: &[ENTERPRISE_API_PATH],
    refusals: Refusals {
        write_error_body,
        documentation_url: Some("https://docs.github.com/rest"),
        // The hourly budget of a user's token.
        rate_limit: Some(5_000),
        // GitHub answers a spent budget with `403` (or `429`) and `x-ratelimit-remaining: 0`.
        primary_rate_limit: Refusal {
            status: 403,
            message: "API rate limit exceeded.",
            documentation_url: Some(RATE_LIMITS_DOCUMENTATION),
        },
        secondary_rate_limit: Refusal {
            status: 403,
            message: "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.",
            documentation_url: Some(RATE_LIMITS_DOCUMENTATION),
        },
    },
};

/// Where GitHub documents its rate limits, as its refusals link to it.
const RATE_LIMITS_DOCUMENTATION: &str = "https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api";

/// Where every GitHub Enterprise Server serves its REST API, whatever server template
/// the description this crate was generated from names.
const ENTERPRISE_API_PATH: &str = "/api/v3";

/// GitHub's documented wait after a secondary rate limit whose response names no time:
/// "wait for at least one minute before retrying", and exponentially longer if the
/// refusals go on.
const SECONDARY_RATE_LIMIT_WAIT: std::time::Duration = std::time::Duration::from_secs(60);

/// GitHub answers a secondary rate limit with `403` and a message, sometimes without
/// `retry-after` ("You have exceeded a secondary rate limit. Please wait a few minutes
/// before you try again."), or, for abuse detection, "...triggered an abuse detection
/// mechanism...".
fn rate_limit_body(body: &ErrorBody) -> bool {
    let message = body.message.to_ascii_lowercase();
    message.contains("secondary rate limit")
        || message.contains("abuse detection")
        || message.contains("rate limit exceeded")
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

/// An error body as GitHub writes it, which [`error_body`] reads back:
/// `documentation_url` and `errors` only when there are some.
fn write_error_body(body: &ErrorBody) -> serde_json::Value {
    let mut written = serde_json::json!({ "message": body.message });
    if let Some(url) = &body.documentation_url {
        written["documentation_url"] = serde_json::Value::String(url.clone());
    }
    if !body.errors.is_empty() {
        written["errors"] = serde_json::Value::Array(body.errors.clone());
    }
    written
}

impl ClientBuilder {
    /// A GitHub Enterprise Server by hostname, over HTTPS: `https://{hostname}/api/v3`
    /// (the description's server template `{protocol}://{hostname}/api/v3`).
    pub fn enterprise(self, hostname: &str) -> Self {
        self.enterprise_with_protocol("https", hostname)
    }

    /// A GitHub Enterprise Server by protocol (`http` or `https`) and hostname.
    pub fn enterprise_with_protocol(self, protocol: &str, hostname: &str) -> Self {
        // Not the description's server template: a tool written for one server never
        // follows a regenerated template to another.
        self.base_url(format!("{protocol}://{}{ENTERPRISE_API_PATH}", hostname.trim_end_matches('/')))
    }

    /// Replaces the `X-GitHub-Api-Version` header value (by default, the version the
    /// crate was generated for, `DEFAULT_API_VERSION` at the crate's root).
    pub fn api_version(self, version: impl Into<String>) -> Self {
        self.header(API_VERSION_HEADER, version)
    }
}

/// One end of a [`DateRange`]: an instant (written in UTC to the second) or a whole day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DateBound {
    /// An instant, written `2024-01-31T12:00:00Z` (sub-second digits are dropped: GitHub's
    /// search syntax has none).
    Time(crate::DateTime),
    /// A calendar day, written `2024-01-31`.
    Day(chrono::NaiveDate),
}

impl DateBound {
    /// The instant this bound begins: the time itself, or midnight UTC of the day.
    fn start(self) -> crate::DateTime {
        match self {
            DateBound::Time(time) => time,
            DateBound::Day(day) => day.and_time(chrono::NaiveTime::MIN).and_utc(),
        }
    }
}

impl<Tz: chrono::TimeZone> From<chrono::DateTime<Tz>> for DateBound {
    /// Any time zone: the instant is written in UTC.
    fn from(time: chrono::DateTime<Tz>) -> Self {
        DateBound::Time(time.with_timezone(&chrono::Utc))
    }
}

impl From<chrono::NaiveDate> for DateBound {
    fn from(day: chrono::NaiveDate) -> Self {
        DateBound::Day(day)
    }
}

impl std::fmt::Display for DateBound {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use chrono::{Datelike, Timelike};
        match self {
            DateBound::Time(time) => write!(
                f,
                "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
                time.year(),
                time.month(),
                time.day(),
                time.hour(),
                time.minute(),
                time.second()
            ),
            DateBound::Day(day) => write!(f, "{:04}-{:02}-{:02}", day.year(), day.month(), day.day()),
        }
    }
}

/// A range of dates or times in GitHub's search syntax, for filters that take one (such
/// as `created` on the workflow-run lists). Both ends are included.
///
/// | constructor | written |
/// | --- | --- |
/// | `since(time)` | `>=2024-01-01T12:00:00Z` |
/// | `until(day)` | `<=2024-01-31` |
/// | `between(day, day)` | `2024-01-01..2024-01-31` |
/// | `on(day)` | `2024-01-15` |
///
/// Filter setters that take a string take a `DateRange` too (it converts into the
/// `String` they send), so a range written by hand in the same syntax still works.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DateRange(Bounds);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Bounds {
    Since(DateBound),
    Until(DateBound),
    /// Ordered: the first begins no later than the second.
    Between(DateBound, DateBound),
}

impl DateRange {
    /// From `start` on, with no end: `>=start`.
    pub fn since(start: impl Into<DateBound>) -> Self {
        DateRange(Bounds::Since(start.into()))
    }

    /// Up to and including `end`, with no start: `<=end`.
    pub fn until(end: impl Into<DateBound>) -> Self {
        DateRange(Bounds::Until(end.into()))
    }

    /// From one bound to the other, both included: `start..end`. The earlier of the two
    /// (a day counting from its midnight, UTC) is written first whichever order they come
    /// in, so swapped arguments never make an empty range.
    pub fn between(start: impl Into<DateBound>, end: impl Into<DateBound>) -> Self {
        let (start, end) = (start.into(), end.into());
        if end.start() < start.start() {
            DateRange(Bounds::Between(end, start))
        } else {
            DateRange(Bounds::Between(start, end))
        }
    }

    /// One calendar day: `2024-01-15`.
    pub fn on(day: chrono::NaiveDate) -> Self {
        DateRange(Bounds::Between(DateBound::Day(day), DateBound::Day(day)))
    }
}

impl std::fmt::Display for DateRange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0 {
            Bounds::Since(start) => write!(f, ">={start}"),
            Bounds::Until(end) => write!(f, "<={end}"),
            Bounds::Between(start, end) if start == end => write!(f, "{start}"),
            Bounds::Between(start, end) => write!(f, "{start}..{end}"),
        }
    }
}

impl From<DateRange> for String {
    fn from(range: DateRange) -> String {
        range.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_error_body_written_as_github_writes_it_reads_back() {
        let body = ErrorBody {
            message: "Validation Failed".into(),
            documentation_url: Some("https://docs.github.com/rest".into()),
            errors: vec![serde_json::json!({"field": "ref", "code": "missing"})],
        };
        let written = (CONVENTIONS.refusals.write_error_body)(&body);
        assert_eq!(written["documentation_url"], "https://docs.github.com/rest");
        assert_eq!(error_body(&serde_json::to_vec(&written).unwrap()), Some(body));
        let bare = (CONVENTIONS.refusals.write_error_body)(&ErrorBody {
            message: "Not Found".into(),
            documentation_url: None,
            errors: Vec::new(),
        });
        assert_eq!(bare, serde_json::json!({"message": "Not Found"}));
    }

    #[test]
    fn the_rate_limit_refusals_read_as_rate_limits() {
        for refusal in [CONVENTIONS.refusals.primary_rate_limit, CONVENTIONS.refusals.secondary_rate_limit] {
            let body = ErrorBody { message: refusal.message.into(), documentation_url: None, errors: Vec::new() };
            assert!(rate_limit_body(&body), "{}", refusal.message);
        }
    }
}
