//! Paginated lists as streams: following `Link: rel="next"` on the API's origin, within
//! the page budget and without loops.

use super::request::{Named, Request};
use super::response::Response;
use crate::{Client, Error, Result};
use reqwest::{Method, StatusCode, Url};
use serde::de::DeserializeOwned;
use std::collections::{HashSet, VecDeque};

/// Streams every item of a paginated list: sends `first`, then follows each response's
/// `Link: rel="next"` verbatim (next URLs are absolute and may differ in form
/// from the first request), stopping after the last page. A next link to another
/// origin ends the stream with [`Error::PageOffOrigin`], and credentials embedded in a
/// next URL are dropped.
///
/// A hostile or broken server cannot keep it going forever: a next link to a page
/// already fetched ends the stream with [`Error::PageLoop`], and more pages than
/// [`ClientBuilder::max_pages`](crate::ClientBuilder::max_pages) end it with
/// [`Error::TooManyPages`].
pub fn paginate<'a, P, T, F>(
    client: &'a Client,
    first: Result<Request>,
    items: F,
) -> impl futures_util::Stream<Item = Result<T>> + 'a
where
    P: DeserializeOwned + 'a,
    T: 'a,
    F: Fn(P) -> Vec<T> + 'a,
{
    struct State<T> {
        next: Option<Result<Request>>,
        buffer: VecDeque<T>,
        /// Every URL requested so far.
        fetched: HashSet<Url>,
    }
    let operation = first.as_ref().ok().and_then(|request| request.operation);
    let state = State { next: Some(first), buffer: VecDeque::new(), fetched: HashSet::new() };
    futures_util::stream::unfold((state, items), move |(mut state, items)| async move {
        loop {
            if let Some(item) = state.buffer.pop_front() {
                return Some((Ok(item), (state, items)));
            }
            let page = match state.next.take()? {
                Ok(request) => fetch_page::<P>(client, &mut state.fetched, request).await,
                Err(error) => Err(error),
            };
            match page {
                Ok(page) => {
                    if let Some(next) = page.links().next {
                        state.next = Some(next_page(client, &next, operation));
                    }
                    state.buffer.extend(items(page.into_body()));
                }
                Err(error) => return Some((Err(error), (state, items))),
            }
        }
    })
}

/// The request for a next page: `next` parsed, on the API's origin, for the same operation.
fn next_page(client: &Client, next: &str, operation: Option<Named>) -> Result<Request> {
    let url = Url::parse(next).map_err(|e| Error::InvalidParameter {
        name: "link",
        reason: format!(
            "next page URL `{}`: {e}",
            super::credentials::redact_url_text(next, client.credential_names())
        ),
    })?;
    if !client.is_api_origin(&url) {
        return Err(Error::PageOffOrigin { url: super::credentials::redact_url(&url) });
    }
    let mut request = Request::absolute(Method::GET, url);
    request.operation = operation;
    Ok(request)
}

/// Sends one page's request, unless its URL was fetched before or the page budget is spent.
async fn fetch_page<P: DeserializeOwned>(
    client: &Client,
    fetched: &mut HashSet<Url>,
    request: Request,
) -> Result<Response<P>> {
    let url = client.url_for(&request)?;
    if fetched.contains(&url) {
        return Err(Error::PageLoop { url: url.into() });
    }
    let limit = client.max_pages();
    if fetched.len() >= limit {
        return Err(Error::TooManyPages { limit });
    }
    fetched.insert(url);
    match client.execute(request).await? {
        response if response.status() == StatusCode::OK => response.json::<P>().await,
        response => Err(response.into_error().await),
    }
}
