//! Successful responses: the typed body plus what the headers say.

use reqwest::header::HeaderMap;
use reqwest::StatusCode;

/// A successful response: the decoded body with the status and headers it came with.
///
/// Dereferences to the body, so `response.workflow_runs` works directly.
#[derive(Debug, Clone)]
pub struct Response<T> {
    status: StatusCode,
    headers: HeaderMap,
    body: T,
    /// The header the API's conventions carry request ids in, if any.
    request_id_header: Option<&'static str>,
    /// Whether the body is the response cache's copy (the server said `304`).
    from_cache: bool,
}

impl<T> Response<T> {
    /// A response of an API whose conventions name `request_id_header`.
    pub(crate) fn new(
        status: StatusCode,
        headers: HeaderMap,
        body: T,
        request_id_header: Option<&'static str>,
    ) -> Self {
        Response { status, headers, body, request_id_header, from_cache: false }
    }

    /// The same response, marked as the cache's copy when `cached`.
    pub(crate) fn cached(mut self, cached: bool) -> Self {
        self.from_cache = cached;
        self
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// All response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The decoded body.
    pub fn body(&self) -> &T {
        &self.body
    }

    /// Takes the decoded body, dropping status and headers.
    pub fn into_body(self) -> T {
        self.body
    }

    /// Transforms the body, keeping status and headers.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Response<U> {
        Response {
            status: self.status,
            headers: self.headers,
            body: f(self.body),
            request_id_header: self.request_id_header,
            from_cache: self.from_cache,
        }
    }

    /// Whether the body came from the client's response cache
    /// ([`ClientBuilder::conditional_requests`](crate::ClientBuilder::conditional_requests)):
    /// the server answered the conditional request with `304 Not Modified`, and this is
    /// the answer kept from before, with its status (`200`) and the `304`'s headers over
    /// the kept ones (the current rate-limit budget and request id). `false` for an
    /// answer the server sent in full, and always without conditional requests.
    ///
    /// A poller can skip work on an unchanged resource with it; the body is the same
    /// either way.
    pub fn from_cache(&self) -> bool {
        self.from_cache
    }

    /// The request id header, when the API's conventions name one.
    pub fn request_id(&self) -> Option<&str> {
        header_str(&self.headers, self.request_id_header?)
    }

    /// The rate-limit budget reported with this response, when the headers are present.
    pub fn rate_limit(&self) -> Option<RateLimit> {
        RateLimit::from_headers(&self.headers)
    }

    /// The pagination links of the `Link` header (empty when there is none).
    pub fn links(&self) -> Links {
        header_str(&self.headers, "link").map(Links::parse).unwrap_or_default()
    }
}

impl<T> std::ops::Deref for Response<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.body
    }
}

pub(crate) fn header_str<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

pub(crate) fn header_u64(headers: &HeaderMap, name: &str) -> Option<u64> {
    header_str(headers, name).and_then(|v| v.trim().parse().ok())
}

/// The header of the budget's size: requests allowed per window.
pub(crate) const RATE_LIMIT_LIMIT: &str = "x-ratelimit-limit";
/// The header of the requests left in the window; `0` when the budget is spent.
pub(crate) const RATE_LIMIT_REMAINING: &str = "x-ratelimit-remaining";
/// The header of the requests used in the window.
pub(crate) const RATE_LIMIT_USED: &str = "x-ratelimit-used";
/// The header of when the window resets, in seconds since the Unix epoch.
pub(crate) const RATE_LIMIT_RESET: &str = "x-ratelimit-reset";
/// The header of how long to wait before asking again (seconds, or an HTTP date).
pub(crate) const RETRY_AFTER: &str = "retry-after";

/// The rate-limit budget (`x-ratelimit-*` headers).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimit {
    /// Requests allowed per window.
    pub limit: u64,
    /// Requests left in this window.
    pub remaining: u64,
    /// Requests used in this window, when reported.
    pub used: Option<u64>,
    /// When the window resets.
    pub reset: crate::DateTime,
}

impl RateLimit {
    /// Reads the budget from response headers.
    pub fn from_headers(headers: &HeaderMap) -> Option<RateLimit> {
        Some(RateLimit {
            limit: header_u64(headers, RATE_LIMIT_LIMIT)?,
            remaining: header_u64(headers, RATE_LIMIT_REMAINING)?,
            used: header_u64(headers, RATE_LIMIT_USED),
            reset: reset_time(headers)?,
        })
    }
}

/// `retry-after` as a wait: a number of seconds, or an HTTP date (`Wed, 21 Oct 2015
/// 07:28:00 GMT`) as the time left until then (zero once it has passed). Anything else
/// reads as absent.
pub(crate) fn retry_after(headers: &HeaderMap) -> Option<std::time::Duration> {
    let value = header_str(headers, RETRY_AFTER)?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(std::time::Duration::from_secs(seconds));
    }
    // HTTP dates are RFC 5322 dates in GMT; chrono reads `GMT` as a zone.
    let date = chrono::DateTime::parse_from_rfc2822(value).ok()?;
    Some((date.with_timezone(&chrono::Utc) - chrono::Utc::now()).to_std().unwrap_or_default())
}

pub(crate) fn reset_time(headers: &HeaderMap) -> Option<crate::DateTime> {
    let seconds = i64::try_from(header_u64(headers, RATE_LIMIT_RESET)?).ok()?;
    chrono::DateTime::from_timestamp(seconds, 0)
}

/// The target of a redirect the API answers with, such as a short-lived log archive URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redirect {
    /// The `Location` header, verbatim.
    pub location: String,
}

/// The relations of a `Link` header (`<url>; rel="next", <url>; rel="last"`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Links {
    /// `rel="next"`
    pub next: Option<String>,
    /// `rel="prev"`
    pub prev: Option<String>,
    /// `rel="first"`
    pub first: Option<String>,
    /// `rel="last"`
    pub last: Option<String>,
}

impl Links {
    /// Parses a `Link` header value; entries it cannot read are skipped.
    pub fn parse(header: &str) -> Links {
        let mut links = Links::default();
        let mut rest = header;
        while let Some(open) = rest.find('<') {
            let Some(close) = rest[open..].find('>').map(|c| open + c) else { break };
            let url = &rest[open + 1..close];
            let params_end = rest[close..].find('<').map_or(rest.len(), |n| close + n);
            // Up to the next entry, without the `,` that separates entries.
            let params = rest[close + 1..params_end].trim_end().trim_end_matches(',');
            for param in params.split(';') {
                let Some((key, value)) = param.split_once('=') else { continue };
                if !key.trim().eq_ignore_ascii_case("rel") {
                    continue;
                }
                for rel in value.trim().trim_matches('"').split_ascii_whitespace() {
                    let slot = match rel {
                        "next" => &mut links.next,
                        "prev" => &mut links.prev,
                        "first" => &mut links.first,
                        "last" => &mut links.last,
                        _ => continue,
                    };
                    slot.get_or_insert_with(|| url.to_owned());
                }
            }
            rest = &rest[params_end..];
        }
        links
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_link_headers() {
        let header = "<https://api.example.com/repositories/1/items?page=2>; rel=\"next\", <https://api.example.com/repositories/1/items?page=5>; rel=\"last\"";
        let links = Links::parse(header);
        assert_eq!(links.next.as_deref(), Some("https://api.example.com/repositories/1/items?page=2"));
        assert_eq!(links.last.as_deref(), Some("https://api.example.com/repositories/1/items?page=5"));
        assert_eq!(links.prev, None);
    }

    #[test]
    fn tolerates_odd_link_headers() {
        for header in ["", "garbage", "<unterminated; rel=\"next\"", "<a>; rel=next", "<a>;rel=\"prev next\""] {
            let _ = Links::parse(header);
        }
        assert_eq!(Links::parse("<a>; rel=next").next.as_deref(), Some("a"));
        assert_eq!(Links::parse("<a>;rel=\"prev next\"").prev.as_deref(), Some("a"));
        assert_eq!(Links::parse("<a,b>; rel=\"next\", <c>; rel=\"last\"").next.as_deref(), Some("a,b"));
        assert_eq!(Links::parse("<a>; title=\"x\"; rel=\"last\"").last.as_deref(), Some("a"));
    }
}
