//! The hand-written runtime: everything the generated operations and types stand on,
//! one job per file.
//!
//! The items generated code calls are re-exported here, so that its paths
//! (`crate::runtime::Request`, `crate::runtime::send`...) name no file of this folder.

pub(crate) mod auth;
pub(crate) mod body;
pub(crate) mod cache;
pub(crate) mod client;
pub(crate) mod conventions;
pub(crate) mod credentials;
pub(crate) mod decode;
pub(crate) mod download;
pub(crate) mod error;
#[cfg(feature = "mock")]
pub mod mocking;
pub(crate) mod pagination;
pub(crate) mod request;
pub(crate) mod response;
pub(crate) mod retry;
pub(crate) mod trace;

pub use body::{Binary, Multipart};
pub use conventions::{Conventions, ErrorBody};
pub use credentials::{is_credential_header, is_credential_query, CredentialNames};
pub use decode::{send, variant_order, RawResponse};
pub use error::escape_controls;
pub use pagination::paginate;
pub use request::{segment, segment_list, Operation, Request};

// What the runtime must know of the API, from the generated code: the one place in this
// folder that names a generated item, so that handing these values over (rather than
// reading them here) changes no other file.
#[cfg(feature = "mock")]
pub(crate) use crate::generated::SERVER_URL_TEMPLATE;
pub(crate) use crate::generated::{CONVENTIONS, CREDENTIALS};
