//! An API's conventions beyond its description: what the client sends by default,
//! how it reads error bodies and request ids, and how the API refuses requests (which
//! the mocks imitate).

use super::response::header_str;
use reqwest::header::HeaderMap;
use std::time::Duration;

/// What an API's conventions add to plain HTTP and to its description. The generated
/// code hands its crate's conventions to the client it builds ([`Conventions::plain`],
/// or the one of the flavor the description was recognised as); the runtime reads them
/// from there.
#[derive(Debug, Clone, Copy)]
pub struct Conventions {
    /// What error messages call the API (`API error 404: ...`).
    pub api_name: &'static str,
    /// The base URL of a client not given one.
    pub default_base_url: Option<&'static str>,
    /// Headers every request carries unless [`ClientBuilder::header`](crate::ClientBuilder::header)
    /// replaces them (names in lowercase).
    pub default_headers: &'static [(&'static str, &'static str)],
    /// The header (in lowercase) that carries the API version the generated code hands
    /// the client ([`ClientBuilder::for_api`](crate::ClientBuilder::for_api)'s
    /// `api_version`, from the description); `None`: the API has no such header.
    pub api_version_header: Option<&'static str>,
    /// The response header that identifies a request to the API's operators.
    pub request_id_header: Option<&'static str>,
    /// Reads the API's error body; `None` keeps the status and body text as
    /// [`Error::UnexpectedStatus`](crate::Error::UnexpectedStatus).
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
    /// How the API answers when it refuses a request: what the mocks (cargo feature
    /// `mock`) answer with, so a test meets the refusals the client reads.
    pub refusals: Refusals,
}

/// How an API refuses requests: its error body, and its answers to a request over a
/// rate limit. The mocks answer so; the client reads these answers whatever their
/// source (the rate-limit headers are the ones it reads for every API).
#[derive(Debug, Clone, Copy)]
pub struct Refusals {
    /// Writes an error body as the API sends it, so that
    /// [`error_body`](Conventions::error_body) reads it back.
    pub write_error_body: fn(&ErrorBody) -> serde_json::Value,
    /// The `documentation_url` of the error bodies the mocks write, when the API's
    /// error bodies carry one.
    pub documentation_url: Option<&'static str>,
    /// The request budget a refusal for the primary rate limit reports
    /// (`x-ratelimit-limit`, all of it used); `None` sends no limit.
    pub rate_limit: Option<u64>,
    /// The answer to a request over the primary rate limit (the budget is spent).
    pub primary_rate_limit: Refusal,
    /// The answer to a request over a secondary rate limit (too many requests at once).
    pub secondary_rate_limit: Refusal,
}

/// One kind of refusal: its status and the error body's message and documentation.
#[derive(Debug, Clone, Copy)]
pub struct Refusal {
    /// The HTTP status.
    pub status: u16,
    /// The error body's message.
    pub message: &'static str,
    /// The error body's documentation link, when the API's error bodies carry one.
    pub documentation_url: Option<&'static str>,
}

impl Conventions {
    /// No conventions beyond the description: `Accept: application/json`, no request id,
    /// error bodies kept as text, and `default_base_url` (the description's fixed
    /// server, if it names one). Its mocks refuse with `{"message": ...}` and rate limits
    /// with `429`.
    pub const fn plain(default_base_url: Option<&'static str>) -> Conventions {
        fn no_error_body(_: &[u8]) -> Option<ErrorBody> {
            None
        }
        fn no_rate_limit_body(_: &ErrorBody) -> bool {
            false
        }
        fn message_body(body: &ErrorBody) -> serde_json::Value {
            serde_json::json!({ "message": body.message })
        }
        Conventions {
            api_name: "API",
            default_base_url,
            default_headers: &[("accept", "application/json")],
            api_version_header: None,
            request_id_header: None,
            error_body: no_error_body,
            rate_limit_body: no_rate_limit_body,
            rate_limit_wait: None,
            api_paths: &[],
            refusals: Refusals {
                write_error_body: message_body,
                documentation_url: None,
                rate_limit: None,
                primary_rate_limit: Refusal { status: 429, message: "rate limit exceeded", documentation_url: None },
                secondary_rate_limit: Refusal { status: 429, message: "too many requests", documentation_url: None },
            },
        }
    }
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

/// The request id of a response, when the API's `conventions` name its header.
pub(crate) fn request_id(conventions: &Conventions, headers: &HeaderMap) -> Option<String> {
    conventions.request_id_header.and_then(|name| header_str(headers, name)).map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_conventions_recognise_no_error_body_and_no_request_id() {
        let plain = Conventions::plain(None);
        assert_eq!(plain.default_base_url, None);
        assert_eq!(plain.default_headers, [("accept", "application/json")]);
        assert_eq!(plain.request_id_header, None);
        assert_eq!(plain.api_version_header, None);
        assert!((plain.error_body)(br#"{"message": "Not Found"}"#).is_none());
        assert_eq!(
            Conventions::plain(Some("https://api.example.com")).default_base_url,
            Some("https://api.example.com")
        );
    }

    #[test]
    fn plain_refusals_are_a_json_message_and_429s() {
        let refusals = Conventions::plain(None).refusals;
        let body = ErrorBody {
            message: "no".into(),
            documentation_url: Some("https://docs".into()),
            errors: vec![serde_json::json!(1)],
        };
        assert_eq!((refusals.write_error_body)(&body), serde_json::json!({"message": "no"}));
        assert_eq!((refusals.primary_rate_limit.status, refusals.secondary_rate_limit.status), (429, 429));
    }
}
