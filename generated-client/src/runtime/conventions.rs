//! An API's conventions beyond its description: what the client sends by default,
//! how it reads error bodies and request ids.

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
        assert!((plain.error_body)(br#"{"message": "Not Found"}"#).is_none());
        assert_eq!(Conventions::plain(Some("https://api.example.com")).default_base_url, Some("https://api.example.com"));
    }
}
