//! What turns the generated modules into a crate of its own (`cargo xtask generate`):
//! the hand-written runtime, `src/lib.rs` and `Cargo.toml`.
//!
//! The runtime has one home, `generated-client/src/`, where it is compiled and tested
//! with the workflow-runs client; its bytes are compiled into this library, so a
//! standalone crate never depends on where the generator runs. `lib.rs` and the manifest
//! are made from data: the title and version of [`Api`], and [`DEPENDENCIES`], which a
//! test keeps equal to the workspace's pinned dependency lines.

use crate::error::Error;
use crate::ir::{Api, Flavor};
use quote::quote;
use std::collections::BTreeMap;

/// The runtime files every standalone crate gets, by path relative to the crate root,
/// with their contents.
pub const RUNTIME: &[(&str, &str)] = &[
    ("src/client.rs", include_str!("../../generated-client/src/client.rs")),
    ("src/error.rs", include_str!("../../generated-client/src/error.rs")),
    ("src/response.rs", include_str!("../../generated-client/src/response.rs")),
    ("src/runtime.rs", include_str!("../../generated-client/src/runtime.rs")),
    ("tests/golden/mod.rs", include_str!("../../generated-client/tests/golden/mod.rs")),
];

/// The runtime file only crates of [`Flavor::GitHub`] get: GitHub's defaults, headers,
/// error body, request id and Enterprise Server URLs.
pub const GITHUB_RUNTIME: (&str, &str) = ("src/github.rs", include_str!("../../generated-client/src/github.rs"));

/// The runtime files of a crate of `flavor`.
pub fn runtime(flavor: Flavor) -> impl Iterator<Item = (&'static str, &'static str)> {
    let github = (flavor == Flavor::GitHub).then_some(GITHUB_RUNTIME);
    RUNTIME.iter().copied().chain(github)
}

/// The runtime's dependencies as `name = requirement` lines of a manifest: the
/// workflow-runs client's `[dependencies]`, with the versions and features the
/// workspace pins (`generator/tests/standalone.rs` checks that they agree).
pub const DEPENDENCIES: &[(&str, &str)] = &[
    ("bytes", r#""1""#),
    ("chrono", r#"{ version = "0.4.38", default-features = false, features = ["std", "serde", "clock"] }"#),
    ("futures-util", r#"{ version = "0.3", default-features = false, features = ["std"] }"#),
    ("percent-encoding", r#""2""#),
    ("reqwest", r#"{ version = "0.12", default-features = false, features = ["rustls-tls", "json", "stream", "http2"] }"#),
    ("serde", r#"{ version = "1", features = ["derive"] }"#),
    ("serde_json", r#"{ version = "1", features = ["preserve_order"] }"#),
    ("serde_path_to_error", r#""0.1""#),
    ("thiserror", r#""2""#),
    ("tokio", r#"{ version = "1", features = ["fs", "io-util", "time"] }"#),
    ("url", r#""2""#),
];

/// The Rust edition of standalone crates (the workspace's).
pub const EDITION: &str = "2021";

/// Every file a standalone crate needs besides the generated modules: the runtime,
/// `src/lib.rs` and `Cargo.toml`, keyed by path relative to the crate root.
pub fn files(api: &Api, package: &str, crate_name: &str, command: &str) -> Result<BTreeMap<String, String>, Error> {
    let mut files: BTreeMap<String, String> = runtime(api.flavor).map(|(path, text)| (path.to_owned(), text.to_owned())).collect();
    files.insert("src/lib.rs".to_owned(), crate::format::format_file(&lib_rs(api, crate_name), command)?);
    files.insert("Cargo.toml".to_owned(), manifest(api, package, command));
    Ok(files)
}

/// `text` on one line without control or invisible reordering characters, for the
/// crate's doc comment and manifest description.
fn one_line(text: &str) -> String {
    let cleaned: String = text
        .chars()
        .map(|c| if c.is_control() || matches!(c, '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{2028}' | '\u{2029}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}') { ' ' } else { c })
        .collect();
    cleaned.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The crate root: docs naming the description, the runtime's modules, and the public
/// items the workflow-runs client exports too.
pub fn lib_rs(api: &Api, crate_name: &str) -> proc_macro2::TokenStream {
    let title = format!(" A typed async client for {} (version {}).", one_line(&api.title), one_line(&api.version));
    let signature = format!(" # async fn run() -> Result<(), {crate_name}::Error> {{");
    let (example, flavor_items) = match api.flavor {
        Flavor::GitHub => (
            format!(" let client = {crate_name}::Client::builder().token(\"token\").build()?;"),
            quote! {
                mod github;
                pub use github::{DEFAULT_API_VERSION, GITHUB_API_URL};
            },
        ),
        Flavor::Plain => {
            let base = crate::flavor::default_base_url(api).unwrap_or("https://api.example.com");
            (format!(" let client = {crate_name}::Client::builder().base_url({base:?}).token(\"token\").build()?;"), quote!())
        }
    };
    quote! {
        #![doc = #title]
        #![doc = ""]
        #![doc = " Generated by `cargo xtask generate`: operations and types under `generated/` come from"]
        #![doc = " the OpenAPI description; the client, errors, pagination and downloads around them are"]
        #![doc = " the hand-written runtime of the workflow-runs client."]
        #![doc = ""]
        #![doc = " ```no_run"]
        #![doc = #signature]
        #![doc = #example]
        #![doc = " # let _ = client;"]
        #![doc = " # Ok(())"]
        #![doc = " # }"]
        #![doc = " ```"]
        #![warn(missing_docs)]

        mod client;
        mod error;
        mod generated;
        mod response;
        #[doc(hidden)]
        pub mod runtime;
        #flavor_items

        pub use client::{Client, ClientBuilder, RetryPolicy, DEFAULT_MAX_BODY_BYTES, DEFAULT_USER_AGENT};
        pub use error::{ApiError, DecodeError, Error, RateLimitError, UnexpectedStatus};
        pub use generated::*;
        pub use response::{Links, RateLimit, Redirect, Response};

        /// A timestamp (`format: date-time` in the description), in UTC.
        pub type DateTime = chrono::DateTime<chrono::Utc>;

        /// The result of every call.
        pub type Result<T, E = Error> = std::result::Result<T, E>;
    }
}

/// A manifest with [`DEPENDENCIES`] and no path to this workspace; `[workspace]` makes
/// the crate a workspace of its own wherever it is written.
pub fn manifest(api: &Api, package: &str, command: &str) -> String {
    let description = one_line(&api.title).replace('\\', "\\\\").replace('"', "\\\"");
    let mut out = format!(
        "# @generated by `{command}`. Do not edit by hand.\n\
         [package]\nname = \"{package}\"\nversion = \"0.1.0\"\nedition = \"{EDITION}\"\npublish = false\n\
         description = \"Typed async client for {description}.\"\n\n[dependencies]\n"
    );
    for (name, requirement) in DEPENDENCIES {
        out.push_str(&format!("{name} = {requirement}\n"));
    }
    out.push_str("\n# A workspace of its own: the crate does not depend on where it was generated.\n[workspace]\n");
    out
}
