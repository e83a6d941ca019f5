//! Where the bearer token comes from: a fixed token, or a [`TokenSource`] that issues,
//! caches and refreshes tokens of its own.
//!
//! The client asks its source for a token before every attempt of a request to the API's
//! own origin (never for other hosts), so a source keeps its token cached and only does
//! real work when it must. When the API answers `401 Unauthorized`, the client tells the
//! source which token was refused ([`TokenSource::reject`]); a source that can get another
//! one says so, and the request is sent once more with the new token.

use crate::{Client, Error, Result};
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

/// A bearer token. Its `Debug` output never shows it, and nothing in this crate puts it
/// in an error message.
#[derive(Clone, PartialEq, Eq)]
pub struct SecretToken(String);

impl SecretToken {
    /// Wraps `token`.
    pub fn new(token: impl Into<String>) -> Self {
        SecretToken(token.into())
    }

    /// The token itself, to send. Keep it out of logs.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for SecretToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretToken(***)")
    }
}

impl From<String> for SecretToken {
    fn from(token: String) -> Self {
        SecretToken(token)
    }
}

impl From<&str> for SecretToken {
    fn from(token: &str) -> Self {
        SecretToken(token.to_owned())
    }
}

/// What [`TokenSource::token`] returns: a boxed future, so the trait can be a trait object.
pub type TokenFuture<'a> = Pin<Box<dyn Future<Output = Result<SecretToken>> + Send + 'a>>;

/// Supplies the bearer token of requests to the API, given to
/// [`ClientBuilder::token_source`](crate::ClientBuilder::token_source).
///
/// Implement it to plug in tokens the client does not know how to get: from a vault, a
/// credential helper, another service. `Debug` is required so that a client can be
/// printed: show what the source is, never a token or a key.
pub trait TokenSource: Send + Sync + std::fmt::Debug {
    /// The token for the next request to the API. Called before every attempt, so it
    /// should return a cached token while that is still good.
    ///
    /// `client` is the client asking (its base URL, for instance). Do not call its
    /// operations from here: they would ask this source again.
    ///
    /// # Errors
    ///
    /// Whatever stops the source from having a token; the request fails with it and is
    /// not sent. Wrap errors of your own with [`Error::auth`].
    fn token<'a>(&'a self, client: &'a Client) -> TokenFuture<'a>;

    /// The API answered `401 Unauthorized` to a request that carried `rejected`.
    ///
    /// Return `true` when the next [`token`](TokenSource::token) call may give a
    /// different token (drop `rejected` from a cache first, unless a newer token has
    /// replaced it already): the client then sends the request once more, and a second
    /// `401` is the request's error. Return `false` to make the first `401` the error.
    /// The default returns `false`.
    fn reject(&self, rejected: &SecretToken) -> bool {
        let _ = rejected;
        false
    }
}

impl<T: TokenSource + ?Sized> TokenSource for Arc<T> {
    fn token<'a>(&'a self, client: &'a Client) -> TokenFuture<'a> {
        (**self).token(client)
    }

    fn reject(&self, rejected: &SecretToken) -> bool {
        (**self).reject(rejected)
    }
}

/// The same token every time: what [`ClientBuilder::token`](crate::ClientBuilder::token)
/// sets. A `401` is returned as the error at once; there is nothing to refresh.
#[derive(Debug, Clone)]
pub struct StaticToken(SecretToken);

impl StaticToken {
    /// Always `token`.
    pub fn new(token: impl Into<String>) -> Self {
        StaticToken(SecretToken::new(token))
    }
}

impl TokenSource for StaticToken {
    fn token<'a>(&'a self, _client: &'a Client) -> TokenFuture<'a> {
        let token = self.0.clone();
        Box::pin(async move { Ok(token) })
    }
}

/// Why a [`TokenSource`] has no token.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AuthError {
    /// The private key cannot sign tokens: it is not PEM, not the kind of key required,
    /// or the signer refused it. The message says which, never what the key holds.
    #[error("the private key is unusable: {0}")]
    InvalidKey(String),
    /// The API refused to issue a token: its answer, with status, message and request id.
    #[error("the token exchange failed: {0}")]
    Exchange(Box<Error>),
    /// The API issued a token in an answer that cannot be used (a field missing or
    /// malformed). The message names the field, never the token.
    #[error("the token exchange answered with {}", super::error::escape_controls(.0))]
    InvalidAnswer(String),
    /// The token exchange this request waited for, started by another request, failed
    /// with this message; the request was not sent. The next request tries a new exchange.
    /// A refusal the API answered with is [`AuthError::ExchangeRefusedWhileWaiting`] instead.
    #[error("the token exchange this request waited for failed: {}", super::error::escape_controls(.0))]
    ExchangeFailedWhileWaiting(String),
    /// The API refused the token exchange this request waited for, started by another
    /// request: a copy of its answer, so the error's predicates read it as that request's
    /// do. The request was not sent; the next request tries a new exchange.
    #[error("the token exchange this request waited for failed: {0}")]
    ExchangeRefusedWhileWaiting(Box<Error>),
    /// A token source of the caller's own failed.
    #[error("{0}")]
    Source(Box<dyn std::error::Error + Send + Sync>),
}

impl Error {
    /// Wraps an error of a [`TokenSource`] of your own as [`Error::Auth`].
    pub fn auth(error: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> Error {
        Error::Auth(Box::new(AuthError::Source(error.into())))
    }
}
