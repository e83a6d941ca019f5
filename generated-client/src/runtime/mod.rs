//! The hand-written runtime: everything the generated operations and types stand on,
//! one job per file.
//!
//! The items generated code calls are re-exported here, so that its paths
//! (`crate::runtime::Request`, `crate::runtime::send`...) name no file of this folder.
//!
//! The runtime names no generated item: what it must know of the API, the generated
//! code hands over. Its `Client::builder` gives the runtime's builder the crate's
//! [`Conventions`] and [`CredentialNames`], which the client keeps and passes on to what
//! it makes (responses and errors); its mocks give theirs a `mocking::MockedApi`. So
//! the arrows run one way, from generated code to this folder.

pub(crate) mod auth;
pub(crate) mod body;
pub(crate) mod cache;
pub(crate) mod client;
pub(crate) mod conventions;
pub(crate) mod credentials;
pub(crate) mod custom;
pub(crate) mod decode;
pub(crate) mod download;
pub(crate) mod error;
#[cfg(feature = "mock")]
pub mod mocking;
pub(crate) mod pagination;
pub(crate) mod releases;
pub(crate) mod request;
pub(crate) mod response;
pub(crate) mod retry;
pub(crate) mod trace;

pub use body::{Binary, Multipart};
pub use conventions::{Conventions, ErrorBody, Refusal, Refusals};
pub use credentials::{is_credential_header, is_credential_query, CredentialNames};
pub use decode::{send, variant_order, RawResponse};
pub use error::escape_controls;
pub use pagination::paginate;
pub use releases::{Availability, ReleaseEntry, ReleaseTable};
pub use request::{segment, segment_list, Operation, Request};
