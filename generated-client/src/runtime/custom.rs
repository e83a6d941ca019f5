//! Requests to any endpoint of the API, beyond the operations generated from its
//! description: a path template filled in by the rules generated code follows, sent
//! through the same pipeline (origin rules, credentials, retries, conditional requests,
//! typed errors, tracing).

use super::decode::{send, RawResponse};
use super::request::{segment, Named, Request, Target};
use crate::{Client, Error, Response, Result};
use reqwest::{Method, Url};
use serde::de::DeserializeOwned;
use std::fmt::Display;

impl Client {
    /// A request to an endpoint the generated operations do not cover: `method` and a
    /// path template such as `/repos/{owner}/{repo}`, whose `{placeholders}` are filled
    /// with [`CustomRequest::path`]. It is sent as the generated operations are:
    ///
    /// - a template starting with `/` goes below the [base URL](Client::base_url), with
    ///   the client's token, token source and credentials; an absolute `http(s)`
    ///   template goes where it says, and gets them only when it is on the API's own
    ///   origin (as [`Client::download_to`] and paginated listings do);
    /// - retried under the client's [`RetryPolicy`](crate::RetryPolicy), by the same
    ///   rules: a `POST` or `PATCH` only when marked [`repeatable`](CustomRequest::repeatable)
    ///   and the client [retries repeatable posts](crate::ClientBuilder::retry_repeatable_posts);
    /// - a `GET` on the API's origin is conditional when the client has a
    ///   [response cache](crate::ClientBuilder::conditional_requests);
    /// - an error status becomes the same [`Error`] (an [`Error::Api`] with the API's
    ///   error body, [`Error::RateLimited`]...), with the same predicates
    ///   ([`Error::is_not_found`]...);
    /// - with the `tracing` feature, its span names it by method and template
    ///   (`GET /repos/{owner}/{repo}`), never by the filled-in path.
    ///
    /// The template and every name are `&'static str`, as in generated code: a request's
    /// shape is written in the program, and only the values come from data (a template
    /// made at run time could carry them into traces). Nothing is checked until the
    /// request is sent: a template that cannot be read, a placeholder without a value or
    /// a value for a placeholder the template lacks fails the send with
    /// [`Error::InvalidParameter`].
    ///
    /// # Example
    ///
    /// A repository's default branch, read into a type of the caller's:
    ///
    #[doc = concat!("```no_run\nuse ", env!("CARGO_CRATE_NAME"), "::{reqwest::Method, Client, Error};")]
    ///
    /// #[derive(serde::Deserialize)]
    /// struct Repository {
    ///     default_branch: String,
    /// }
    ///
    /// async fn default_branch(client: &Client, owner: &str, repo: &str) -> Result<Option<String>, Error> {
    ///     let answer = client
    ///         .request(Method::GET, "/repos/{owner}/{repo}")
    ///         .path("owner", owner)
    ///         .path("repo", repo)
    ///         .send::<Repository>()
    ///         .await;
    ///     match answer {
    ///         Ok(repository) => Ok(Some(repository.into_body().default_branch)),
    ///         Err(error) if error.is_not_found() => Ok(None),
    ///         Err(error) => Err(error),
    ///     }
    /// }
    /// ```
    pub fn request(&self, method: Method, template: &'static str) -> CustomRequest<'_> {
        CustomRequest {
            client: self,
            template,
            values: Vec::new(),
            request: Request::new(method, String::new()),
            repeatable: false,
            error: None,
        }
    }
}

/// A request built with [`Client::request`]: fill in the template's placeholders, add
/// query parameters, headers and a body, then `send`.
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until it is sent"]
pub struct CustomRequest<'a> {
    client: &'a Client,
    template: &'static str,
    /// The placeholders given so far, each with its value encoded as one segment.
    values: Vec<(&'static str, String)>,
    /// The query, headers and body so far; its target is set when it is sent.
    request: Request,
    repeatable: bool,
    /// The first thing that went wrong while building, reported by the send.
    error: Option<(&'static str, String)>,
}

impl CustomRequest<'_> {
    /// Fills the placeholder `{name}` of the template with `value`, percent-encoded as
    /// exactly one path segment (as [`runtime::segment`](crate::runtime::segment) encodes
    /// generated operations' parameters): a `/`, `?`, `#` or `%` in it stays inside the
    /// segment, and an empty, `.` or `..` value is refused. A second value for the same
    /// name replaces the first.
    pub fn path(mut self, name: &'static str, value: impl Display) -> Self {
        match segment(name, &value) {
            Ok(encoded) => {
                self.values.retain(|(given, _)| *given != name);
                self.values.push((name, encoded));
            }
            Err(error) => self.fail(error),
        }
        self
    }

    /// Adds `name=value` to the query string (once per call: call it again for a
    /// repeated parameter).
    pub fn query(mut self, name: &'static str, value: impl Display) -> Self {
        if let Err(error) = self.request.query(name, Some(&value)) {
            self.fail(error);
        }
        self
    }

    /// Sends the header `name: value` with this request, in place of a header of that
    /// name the client sends (such as the API's default `Accept`). A header that
    /// carries a credential is marked sensitive, as the client's own are; the client's
    /// [response cache](crate::ClientBuilder::conditional_requests) is not used for a
    /// request with such a header, nor for one with a validator
    /// (`If-None-Match`, `If-Modified-Since`) of its own.
    pub fn header(mut self, name: &'static str, value: impl Display) -> Self {
        if let Err(error) = self.request.header(name, Some(&value)) {
            self.fail(error);
        }
        self
    }

    /// Sends `body` as JSON (`Content-Type: application/json`).
    pub fn json(mut self, body: &impl serde::Serialize) -> Self {
        if let Err(error) = self.request.json("application/json", body) {
            self.fail(error);
        }
        self
    }

    /// Marks a `POST` (or `PATCH`) as one that may be sent again without further effect,
    /// so that a client built with
    /// [`retry_repeatable_posts`](crate::ClientBuilder::retry_repeatable_posts) retries
    /// it after a rate limit or a server error. Other methods are retried anyway.
    pub fn repeatable(mut self) -> Self {
        self.repeatable = true;
        self
    }

    /// Sends the request and decodes a success (any `2xx`) as JSON into `T`; an empty
    /// body reads as `null`.
    ///
    /// # Errors
    ///
    /// Any other status is the matching [`Error`] (an [`Error::Api`] for an error body
    /// of the API's, [`Error::RateLimited`], [`Error::UnexpectedStatus`], a redirect
    /// among them); [`Error::Decode`] when the body is not a `T`;
    /// [`Error::InvalidParameter`] when the request cannot be built (see
    /// [`Client::request`]); and the transport errors of any call.
    pub async fn send<T: DeserializeOwned>(self) -> Result<Response<T>> {
        let (client, request) = (self.client, self.into_request());
        send(client, request, is_success, RawResponse::json).await
    }

    /// Sends the request and discards the body of a success (any `2xx`), such as a
    /// `204 No Content`.
    ///
    /// # Errors
    ///
    /// As [`CustomRequest::send`], without decoding errors.
    pub async fn send_empty(self) -> Result<Response<()>> {
        let (client, request) = (self.client, self.into_request());
        send(client, request, is_success, RawResponse::empty).await
    }

    /// Sends the request and returns the body of a success (any `2xx`) as bytes, read
    /// into memory within [`ClientBuilder::max_body_bytes`](crate::ClientBuilder::max_body_bytes)
    /// (stream a large body with [`Client::download_to`] instead).
    ///
    /// # Errors
    ///
    /// As [`CustomRequest::send`], with [`Error::BodyTooLarge`] in place of decoding
    /// errors.
    pub async fn send_bytes(self) -> Result<Response<bytes::Bytes>> {
        let (client, request) = (self.client, self.into_request());
        send(client, request, is_success, RawResponse::bytes).await
    }

    /// Keeps the first error met while building.
    fn fail(&mut self, error: Error) {
        if self.error.is_some() {
            return;
        }
        self.error = Some(match error {
            Error::InvalidParameter { name, reason } => (name, reason),
            other => ("request", other.to_string()),
        });
    }

    /// The request as sent: the template filled in, or why it cannot be.
    fn into_request(self) -> Result<Request> {
        if let Some((name, reason)) = self.error {
            return Err(Error::InvalidParameter { name, reason });
        }
        let target = fill(self.template, &self.values)?;
        let mut request = self.request;
        request.target = target;
        request.operation = Some(Named::Template { template: self.template, repeatable: self.repeatable });
        Ok(request)
    }
}

fn is_success(status: u16) -> bool {
    (200..300).contains(&status)
}

/// The template's target with `values` in its placeholders: a path below the base URL,
/// or an absolute URL whose origin is written out (no placeholder before its path).
fn fill(template: &'static str, values: &[(&'static str, String)]) -> Result<Target> {
    let invalid = |reason: String| Error::InvalidParameter { name: "template", reason };
    let shown = super::error::escape_controls(template);
    let (origin, path) = match template.split_once("://") {
        Some((scheme, rest)) if scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https") => {
            let at = rest.find('/').map_or(template.len(), |slash| scheme.len() + 3 + slash);
            (Some(&template[..at]), &template[at..])
        }
        _ if template.starts_with('/') => (None, template),
        _ => return Err(invalid(format!("`{shown}` is neither a path starting with `/` nor an absolute http(s) URL"))),
    };
    if origin.is_some_and(|origin| origin.contains(['{', '}'])) {
        return Err(invalid(format!("`{shown}` has a placeholder before its path: only the path is filled in")));
    }
    if path.contains(['?', '#']) {
        return Err(invalid(format!("`{shown}` has a query or fragment: add query parameters with `query`")));
    }
    let mut filled = String::with_capacity(path.len());
    let mut used = Vec::new();
    let mut rest = path;
    while let Some(open) = rest.find(['{', '}']) {
        if rest.as_bytes()[open] == b'}' {
            return Err(invalid(format!("`{shown}` has a `}}` that closes nothing")));
        }
        filled.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let close = after.find(['{', '}']).filter(|close| after.as_bytes()[*close] == b'}');
        let Some(close) = close else { return Err(invalid(format!("`{shown}` has a `{{` that is not closed"))) };
        let name = &after[..close];
        if name.is_empty() {
            return Err(invalid(format!("`{shown}` has a placeholder without a name")));
        }
        let Some((given, value)) = values.iter().find(|(given, _)| *given == name) else {
            return Err(Error::InvalidParameter {
                name,
                reason: format!("the template `{shown}` names it, and no value was given"),
            });
        };
        filled.push_str(value);
        used.push(*given);
        rest = &after[close + 1..];
    }
    filled.push_str(rest);
    if let Some((name, _)) = values.iter().find(|(name, _)| !used.contains(name)) {
        return Err(Error::InvalidParameter {
            name,
            reason: format!("the template `{shown}` has no placeholder `{{{name}}}`"),
        });
    }
    match origin {
        None => Ok(Target::Path(filled)),
        Some(origin) => {
            let url = format!("{origin}{filled}");
            Url::parse(&url)
                .map(Target::Absolute)
                .map_err(|e| invalid(format!("`{shown}` is not a URL once filled in: {e}")))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Placeholder names and their values, as given.
    type Values<'v> = &'v [(&'static str, &'v str)];

    fn path(template: &'static str, values: Values<'_>) -> Result<String> {
        let values: Vec<(&'static str, String)> =
            values.iter().map(|(name, value)| (*name, segment(name, value).unwrap())).collect();
        match fill(template, &values)? {
            Target::Path(path) => Ok(path),
            Target::Absolute(url) => Ok(url.to_string()),
        }
    }

    fn refusal(template: &'static str, values: Values<'_>) -> (&'static str, String) {
        match path(template, values) {
            Err(Error::InvalidParameter { name, reason }) => (name, reason),
            other => panic!("{template}: {other:?}"),
        }
    }

    #[test]
    fn placeholders_are_filled_with_single_segments() {
        let cases: [(&'static str, Values<'_>, &str); 6] = [
            ("/repos/{owner}/{repo}", &[("owner", "o"), ("repo", "r")], "/repos/o/r"),
            ("/repos/{owner}/{repo}", &[("repo", "../x"), ("owner", "a b")], "/repos/a%20b/..%2Fx"),
            ("/files/{name}.zip", &[("name", "a?b#c%2F")], "/files/a%3Fb%23c%252F.zip"),
            ("/a/{x}/b/{x}", &[("x", "1")], "/a/1/b/1"),
            ("/meta", &[], "/meta"),
            ("https://uploads.example.com/assets/{id}", &[("id", "7")], "https://uploads.example.com/assets/7"),
        ];
        for (template, values, want) in cases {
            assert_eq!(path(template, values).unwrap(), want, "{template}");
        }
    }

    #[test]
    fn templates_and_values_that_do_not_fit_are_named_errors() {
        assert_eq!(refusal("/repos/{owner}/{repo}", &[("owner", "o")]).0, "repo");
        let (name, reason) = refusal("/repos/{owner}", &[("owner", "o"), ("ownr", "p")]);
        assert_eq!(name, "ownr");
        assert!(reason.contains("no placeholder `{ownr}`"), "{reason}");
        for bad in [
            "repos/{owner}",
            "",
            "ftp://example.com/x",
            "/a?b=1",
            "/a#top",
            "/a/{b",
            "/a/b}",
            "/a/{}",
            "/a/{b{c}}",
            "https://{host}/x",
        ] {
            let (name, reason) = match path(bad, &[("b", "1"), ("host", "h")]) {
                Err(Error::InvalidParameter { name, reason }) => (name, reason),
                other => panic!("{bad}: {other:?}"),
            };
            assert_eq!(name, "template", "{bad}: {reason}");
        }
    }
}
