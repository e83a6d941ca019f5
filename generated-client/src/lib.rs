// The crate's documentation is its README (the users' guide), so every example in it is
// a doctest.
#![doc = include_str!("../README.md")]
#![warn(missing_docs)]
// On docs.rs, each item a feature adds is marked with that feature.
#![cfg_attr(docsrs, feature(doc_cfg))]

// The generated modules are formatted by the generator (prettyplease), not rustfmt.
#[rustfmt::skip]
mod generated;
#[doc(hidden)]
pub mod runtime;
// GitHub's conventions are part of the runtime's folder, but the crate root declares
// them: the runtime's own `mod.rs` is the same in crates of every flavor.
#[path = "runtime/github.rs"]
mod github;
#[path = "runtime/github_app.rs"]
mod github_app;
#[cfg(feature = "mock")]
#[doc(hidden)]
pub use runtime::mocking;

pub use generated::*;
pub use github::GITHUB_API_URL;
pub use github::{DateBound, DateRange};
pub use github_app::{GitHubApp, InstallationTokenSource};
pub use runtime::auth::{AuthError, SecretToken, StaticToken, TokenFuture, TokenSource};
pub use runtime::cache::ResponseCache;
pub use runtime::client::{Client, ClientBuilder, DEFAULT_MAX_BODY_BYTES, DEFAULT_USER_AGENT};
pub use runtime::custom::CustomRequest;
pub use runtime::error::{ApiError, DecodeError, Error, RateLimitError, Unavailable, UnexpectedStatus};
pub use runtime::response::{Links, RateLimit, Redirect, Response};
pub use runtime::retry::RetryPolicy;

/// The `chrono` of this crate's timestamps ([`DateTime`]), so callers build and read them
/// without choosing a compatible version of their own.
pub use chrono;
/// The `futures_util` whose `Stream` list operations return: `TryStreamExt::try_collect`
/// gathers every item of a `stream()` into a `Vec`, `StreamExt::next` walks it one by one.
pub use futures_util;
/// The `reqwest` the client is built on: [`ClientBuilder::http_client`] takes its
/// `Client`, and its `StatusCode`, `HeaderMap` and `Url` appear in responses and errors.
pub use reqwest;
/// The `serde_json` of free-form values: `serde_json::Value` is the type of fields the
/// description leaves untyped, of validation details in errors, and of the documented
/// error bodies the mocks answer with (feature `mock`).
pub use serde_json;

/// A timestamp (`format: date-time` in the description), in UTC.
pub type DateTime = chrono::DateTime<chrono::Utc>;

/// The result of every call.
pub type Result<T, E = Error> = std::result::Result<T, E>;
