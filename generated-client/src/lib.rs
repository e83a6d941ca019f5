//! A typed async client for the GitHub Actions **workflow runs** REST API, on github.com
//! and GitHub Enterprise Server.
//!
//! Operations and types are generated from GitHub's OpenAPI description (the
//! `workflow-runs` part of it, in `spec/`) by `cargo xtask codegen`; the client,
//! errors, pagination and downloads around them are written by hand.
//!
//! ```no_run
//! use workflow_runs_client::futures_util::StreamExt;
//! use workflow_runs_client::{types::WorkflowRunStatus, Client};
//!
//! # async fn run() -> Result<(), workflow_runs_client::Error> {
//! let client = Client::builder().enterprise("github.example.com").token("ghp_...").build()?;
//!
//! // One page, with its status, headers and `Link` relations.
//! let page = client
//!     .actions()
//!     .list_workflow_runs_for_repo("octo-org", "octo-repo")
//!     .status(WorkflowRunStatus::Failure)
//!     .per_page(50)
//!     .send()
//!     .await?;
//! println!("{} failed runs; next page: {:?}", page.total_count, page.links().next);
//!
//! // Every run of one workflow, across pages.
//! let mut runs = Box::pin(client.actions().list_workflow_runs("octo-org", "octo-repo", "ci.yml").stream());
//! while let Some(run) = runs.next().await {
//!     let run = run?;
//!     println!("{} {:?}", run.id, run.conclusion);
//! }
//!
//! // Logs: the API answers with a short-lived URL; download it without the token.
//! let logs = client.actions().download_workflow_run_logs("octo-org", "octo-repo", 42).send().await?;
//! client.download_to_file(&logs.location, "logs.zip").await?;
//! # Ok(())
//! # }
//! ```

#![warn(missing_docs)]

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

pub use runtime::auth::{AuthError, SecretToken, StaticToken, TokenFuture, TokenSource};
pub use runtime::cache::ResponseCache;
pub use runtime::client::{Client, ClientBuilder, DEFAULT_MAX_BODY_BYTES, DEFAULT_USER_AGENT};
pub use runtime::retry::RetryPolicy;
pub use github::{DEFAULT_API_VERSION, GITHUB_API_URL};
pub use github::{DateBound, DateRange};
pub use github_app::{GitHubApp, InstallationTokenSource};
pub use runtime::error::{ApiError, DecodeError, Error, RateLimitError, UnexpectedStatus};
pub use generated::*;
pub use runtime::response::{Links, RateLimit, Redirect, Response};

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

/// The README's examples, compiled as doctests so they stay true.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;

/// The result of every call.
pub type Result<T, E = Error> = std::result::Result<T, E>;
