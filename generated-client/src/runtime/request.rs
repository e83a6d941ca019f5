//! Building a request: the operation it belongs to, its path segments, query, headers
//! and cookies, as generated code assembles them.

use super::body::Multipart;
use super::releases::Availability;
use crate::{Error, Result};
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use reqwest::{Method, Url};
use std::fmt::Display;

/// Everything but RFC 3986 unreserved characters is percent-encoded in a path segment.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

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

/// What a request is, for tracing and the retry policy: an operation of the
/// description, or a request made with [`Client::request`](crate::Client::request).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Named {
    /// An operation of the description (a generated builder's `OPERATION`).
    Operation(&'static Operation),
    /// A request to a path template of the caller's, which a `POST` may say is
    /// repeatable.
    Template {
        /// The path template as written, e.g. `/repos/{owner}/{repo}`.
        template: &'static str,
        /// As [`Operation::repeatable`].
        repeatable: bool,
    },
}

impl Named {
    /// Whether a `POST` may be sent again without further effect.
    pub(crate) fn repeatable(self) -> bool {
        match self {
            Named::Operation(operation) => operation.repeatable,
            Named::Template { repeatable, .. } => repeatable,
        }
    }

    /// The path template (never the filled-in path).
    #[cfg(feature = "tracing")]
    pub(crate) fn template(self) -> &'static str {
        match self {
            Named::Operation(operation) => operation.path,
            Named::Template { template, .. } => template,
        }
    }

    /// The name traces give it: the `operationId`, or the method and the template
    /// (`GET /repos/{owner}/{repo}`).
    #[cfg(feature = "tracing")]
    pub(crate) fn name(self, method: &Method) -> std::borrow::Cow<'static, str> {
        match self {
            Named::Operation(operation) => operation.id.into(),
            Named::Template { template, .. } => format!("{method} {template}").into(),
        }
    }
}

/// A request ready to send: built by generated code, sent by [`Client`](crate::Client).
#[derive(Debug, Clone)]
pub struct Request {
    /// What it is (`None` for downloads).
    pub(crate) operation: Option<Named>,
    pub(crate) method: Method,
    pub(crate) target: Target,
    pub(crate) query: Vec<(&'static str, String)>,
    pub(crate) headers: Vec<(&'static str, String)>,
    pub(crate) body: Option<(String, bytes::Bytes)>,
    /// Replaces the client's total timeout for this request (long downloads).
    pub(crate) timeout: Option<std::time::Duration>,
    /// The releases that have the operation, when not every release does.
    pub(crate) availability: Option<Availability>,
    /// The parameters and fields the request sets that not every release has.
    pub(crate) needs: Vec<(&'static str, Availability)>,
}

impl Request {
    /// A request to `path` (below the base URL).
    pub fn new(method: Method, path: String) -> Self {
        Request {
            operation: None,
            method,
            target: Target::Path(path),
            query: Vec::new(),
            headers: Vec::new(),
            body: None,
            timeout: None,
            availability: None,
            needs: Vec::new(),
        }
    }

    /// Says which releases have the request's operation, when not every release does.
    pub fn available_on(&mut self, availability: Availability) {
        self.availability = Some(availability);
    }

    /// Says that the request sets `name` (a parameter or body field, as named on the
    /// wire), which only the releases of `availability` have.
    pub fn requires(&mut self, name: &'static str, availability: Availability) {
        self.needs.push((name, availability));
    }

    /// A request of `operation` to `path` (below the base URL).
    pub fn of(operation: &'static Operation, method: Method, path: String) -> Self {
        Request { operation: Some(Named::Operation(operation)), ..Request::new(method, path) }
    }

    pub(crate) fn absolute(method: Method, url: Url) -> Self {
        Request {
            operation: None,
            method,
            target: Target::Absolute(url),
            query: Vec::new(),
            headers: Vec::new(),
            body: None,
            timeout: None,
            availability: None,
            needs: Vec::new(),
        }
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
            let text =
                serde_json::to_string(value).map_err(|e| Error::InvalidParameter { name, reason: e.to_string() })?;
            self.query.push((name, text));
        }
        Ok(())
    }

    /// Sets a request header when `value` is set.
    pub fn header(&mut self, name: &'static str, value: Option<&impl Display>) -> Result<()> {
        if let Some(value) = value {
            let text = value.to_string();
            reqwest::header::HeaderValue::from_str(&text)
                .map_err(|_| Error::InvalidParameter { name, reason: "not a valid header value".into() })?;
            self.headers.push((name, text));
        }
        Ok(())
    }

    /// Adds `name=value` to the `Cookie` header when `value` is set. Characters a cookie
    /// value cannot hold (`;`, `,`, spaces, quotes, `%`, non-ASCII) are percent-encoded.
    pub fn cookie(&mut self, name: &'static str, value: Option<&impl Display>) -> Result<()> {
        if let Some(value) = value {
            let pair = cookie_pair(name, &value.to_string());
            reqwest::header::HeaderValue::from_str(&pair)
                .map_err(|_| Error::InvalidParameter { name, reason: "not a valid cookie".into() })?;
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
            let text =
                serde_json::to_string(value).map_err(|e| Error::InvalidParameter { name, reason: e.to_string() })?;
            self.cookie(name, Some(&text))?;
        }
        Ok(())
    }

    /// Sets a request header to the JSON form of `value` when set.
    pub fn header_json(&mut self, name: &'static str, value: Option<&impl serde::Serialize>) -> Result<()> {
        if let Some(value) = value {
            let text =
                serde_json::to_string(value).map_err(|e| Error::InvalidParameter { name, reason: e.to_string() })?;
            self.header(name, Some(&text))?;
        }
        Ok(())
    }

    /// Sends `body` as JSON.
    pub fn json(&mut self, content_type: &str, body: &impl serde::Serialize) -> Result<()> {
        let bytes =
            serde_json::to_vec(body).map_err(|e| Error::InvalidParameter { name: "body", reason: e.to_string() })?;
        self.body = Some((content_type.to_owned(), bytes.into()));
        Ok(())
    }

    /// Sends `body` form-encoded.
    pub fn form(&mut self, content_type: &str, body: &impl serde::Serialize) -> Result<()> {
        let value =
            serde_json::to_value(body).map_err(|e| Error::InvalidParameter { name: "body", reason: e.to_string() })?;
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

#[cfg(test)]
mod tests {
    use super::*;

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
