//! What turns the generated modules into a crate of its own (`cargo xtask generate`):
//! the hand-written runtime, `src/lib.rs` and `Cargo.toml`.
//!
//! The runtime has one home, `generated-client/src/runtime/`, where it is compiled and tested
//! with the workflow-runs client; its bytes are compiled into this library, so a
//! standalone crate never depends on where the generator runs. `lib.rs` and the manifest
//! are made from data: the title and version of [`Api`], the overrides' [`Package`]
//! entry, and [`DEPENDENCIES`], which a test keeps equal to the workspace's pinned
//! dependency lines.
//!
//! A crate is unpublishable (`publish = false`) unless its `Package` entry says
//! `publish: true`: it is made from someone's description under a name typed on the
//! command line, and one made by accident or for a try must not be one `cargo publish`
//! away from a registry, where a published version can never be taken back.

use crate::error::Error;
use crate::format::plain_line;
use crate::input::Package;
use crate::ir::{Api, Flavor};
use quote::quote;
use std::collections::BTreeMap;

/// The runtime files every standalone crate gets, by path relative to the crate root,
/// with their contents.
pub const RUNTIME: &[(&str, &str)] = &[
    ("src/runtime/auth.rs", include_str!("../../generated-client/src/runtime/auth.rs")),
    ("src/runtime/body.rs", include_str!("../../generated-client/src/runtime/body.rs")),
    ("src/runtime/cache.rs", include_str!("../../generated-client/src/runtime/cache.rs")),
    ("src/runtime/client.rs", include_str!("../../generated-client/src/runtime/client.rs")),
    ("src/runtime/conventions.rs", include_str!("../../generated-client/src/runtime/conventions.rs")),
    ("src/runtime/credentials.rs", include_str!("../../generated-client/src/runtime/credentials.rs")),
    ("src/runtime/custom.rs", include_str!("../../generated-client/src/runtime/custom.rs")),
    ("src/runtime/decode.rs", include_str!("../../generated-client/src/runtime/decode.rs")),
    ("src/runtime/download.rs", include_str!("../../generated-client/src/runtime/download.rs")),
    ("src/runtime/error.rs", include_str!("../../generated-client/src/runtime/error.rs")),
    ("src/runtime/mocking.rs", include_str!("../../generated-client/src/runtime/mocking.rs")),
    ("src/runtime/mod.rs", include_str!("../../generated-client/src/runtime/mod.rs")),
    ("src/runtime/pagination.rs", include_str!("../../generated-client/src/runtime/pagination.rs")),
    ("src/runtime/releases.rs", include_str!("../../generated-client/src/runtime/releases.rs")),
    ("src/runtime/request.rs", include_str!("../../generated-client/src/runtime/request.rs")),
    ("src/runtime/response.rs", include_str!("../../generated-client/src/runtime/response.rs")),
    ("src/runtime/retry.rs", include_str!("../../generated-client/src/runtime/retry.rs")),
    ("src/runtime/trace.rs", include_str!("../../generated-client/src/runtime/trace.rs")),
    ("tests/golden/mod.rs", include_str!("../../generated-client/tests/golden/mod.rs")),
];

/// The runtime files only crates of [`Flavor::GitHub`] get: GitHub's defaults, headers,
/// error body, request id and Enterprise Server URLs, and GitHub App authentication.
pub const GITHUB_RUNTIME: &[(&str, &str)] = &[
    ("src/runtime/github.rs", include_str!("../../generated-client/src/runtime/github.rs")),
    ("src/runtime/github_app.rs", include_str!("../../generated-client/src/runtime/github_app.rs")),
];

/// The runtime files of a crate of `flavor`.
pub fn runtime(flavor: Flavor) -> impl Iterator<Item = (&'static str, &'static str)> {
    let github: &[(&str, &str)] = if flavor == Flavor::GitHub { GITHUB_RUNTIME } else { &[] };
    RUNTIME.iter().chain(github).copied()
}

/// The runtime's dependencies as `name = requirement` lines of a manifest: the
/// workflow-runs client's `[dependencies]`, with the versions and features the
/// workspace pins (`generator/tests/standalone.rs` checks that they agree).
pub const DEPENDENCIES: &[(&str, &str)] = &[
    ("bytes", r#""1""#),
    ("chrono", r#"{ version = "0.4.38", default-features = false, features = ["std", "serde", "clock"] }"#),
    ("futures-util", r#"{ version = "0.3", default-features = false, features = ["std"] }"#),
    ("http", r#""1""#),
    ("percent-encoding", r#""2""#),
    (
        "reqwest",
        r#"{ version = "0.12", default-features = false, features = ["rustls-tls", "json", "stream", "http2"] }"#,
    ),
    ("serde", r#"{ version = "1", features = ["derive"] }"#),
    ("serde_json", r#"{ version = "1", features = ["preserve_order"] }"#),
    ("serde_path_to_error", r#""0.1""#),
    ("thiserror", r#""2""#),
    ("tokio", r#"{ version = "1", features = ["fs", "io-util", "sync", "time"] }"#),
    ("tracing", r#"{ version = "0.1", default-features = false, features = ["std"], optional = true }"#),
    ("url", r#""2""#),
    ("wiremock", r#"{ version = "0.6", optional = true }"#),
];

/// The dependencies only crates of [`Flavor::GitHub`] have, for [`GITHUB_RUNTIME`]
/// (GitHub App authentication), as [`DEPENDENCIES`] lists them.
pub const GITHUB_DEPENDENCIES: &[(&str, &str)] =
    &[("jsonwebtoken", r#"{ version = "9.3", default-features = false }"#), ("pem", r#""3""#)];

/// The dependencies of a crate of `flavor`, sorted by name.
pub fn dependencies(flavor: Flavor) -> Vec<(&'static str, &'static str)> {
    let github: &[(&str, &str)] = if flavor == Flavor::GitHub { GITHUB_DEPENDENCIES } else { &[] };
    let mut all: Vec<(&str, &str)> = DEPENDENCIES.iter().chain(github).copied().collect();
    all.sort_unstable();
    all
}

/// The runtime's optional features as `name = [...]` lines of a manifest: the
/// workflow-runs client's `[features]` (`generator/tests/standalone.rs` checks). `mock`
/// compiles the generated `mock` module and its runtime (`src/runtime/mocking.rs`); `tracing`
/// the request spans.
pub const FEATURES: &[(&str, &str)] = &[("mock", r#"["dep:wiremock"]"#), ("tracing", r#"["dep:tracing"]"#)];

/// The Rust edition of standalone crates (the workspace's).
pub const EDITION: &str = "2021";

/// Every file a standalone crate needs besides the generated modules: the runtime,
/// `src/lib.rs` and `Cargo.toml`, keyed by path relative to the crate root.
pub fn files(
    api: &Api,
    package: &str,
    metadata: &Package,
    crate_name: &str,
    command: &str,
) -> Result<BTreeMap<String, String>, Error> {
    // The runtime's bytes as compiled in, under the line every generated file starts with.
    let mut files: BTreeMap<String, String> = runtime(api.flavor)
        .map(|(path, text)| (path.to_owned(), format!("// @generated by `{command}` from the workflow-runs client's runtime. Do not edit by hand.\n\n{text}")))
        .collect();
    files.insert("src/lib.rs".to_owned(), crate::format::format_file([lib_rs(api, crate_name)], command)?);
    files.insert("Cargo.toml".to_owned(), manifest(api, package, metadata, command));
    Ok(files)
}

/// The crate root: docs naming the description, the runtime's modules, and the public
/// items the workflow-runs client exports too.
pub fn lib_rs(api: &Api, crate_name: &str) -> proc_macro2::TokenStream {
    let title = format!(" A typed async client for {} (version {}).", plain_line(&api.title), plain_line(&api.version));
    let signature = format!(" # async fn run() -> Result<(), {crate_name}::Error> {{");
    let (example, flavor_items) = match api.flavor {
        Flavor::GitHub => (
            format!(" let client = {crate_name}::Client::builder().token(\"token\").build()?;"),
            quote! {
                // GitHub's conventions are part of the runtime's folder, but the crate root declares
                // them: the runtime's own `mod.rs` is the same in crates of every flavor.
                #[path = "runtime/github.rs"]
                mod github;
                #[path = "runtime/github_app.rs"]
                mod github_app;
                pub use github::GITHUB_API_URL;
                pub use github::{DateBound, DateRange};
                pub use github_app::{GitHubApp, InstallationTokenSource};
            },
        ),
        Flavor::Plain => {
            let base = api.base_url.as_deref().unwrap_or("https://api.example.com");
            (
                format!(" let client = {crate_name}::Client::builder().base_url({base:?}).token(\"token\").build()?;"),
                quote!(),
            )
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
        // On docs.rs, each item a feature adds is marked with that feature.
        #![cfg_attr(docsrs, feature(doc_cfg))]
        // Every file of the crate is the generator's, formatted as it writes them: `cargo fmt`
        // leaves them as written.
        #![cfg_attr(rustfmt, rustfmt::skip)]

        mod generated;
        #[doc(hidden)]
        pub mod runtime;
        #flavor_items
        #[cfg(feature = "mock")]
        #[doc(hidden)]
        pub use runtime::mocking;

        pub use runtime::auth::{AuthError, SecretToken, StaticToken, TokenFuture, TokenSource};
        pub use runtime::cache::ResponseCache;
        pub use runtime::client::{Client, ClientBuilder, DEFAULT_MAX_BODY_BYTES, DEFAULT_USER_AGENT};
        pub use runtime::custom::CustomRequest;
        pub use runtime::retry::RetryPolicy;
        pub use runtime::error::{ApiError, DecodeError, Error, RateLimitError, Unavailable, UnexpectedStatus};
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

        /// The result of every call.
        pub type Result<T, E = Error> = std::result::Result<T, E>;
    }
}

/// A manifest with the flavor's [`dependencies`] and [`FEATURES`] and no path to this
/// workspace, its `[package]` keys from `metadata`; `[workspace]` makes the crate a
/// workspace of its own wherever it is written.
pub fn manifest(api: &Api, package: &str, metadata: &Package, command: &str) -> String {
    let description = match &metadata.description {
        Some(description) => description.clone(),
        None => format!("Typed async client for {}.", plain_line(&api.title)),
    };
    let version = metadata.version.as_deref().unwrap_or("0.1.0");
    let mut out = format!("# @generated by `{command}`. Do not edit by hand.\n[package]\nname = \"{package}\"\nversion = {}\nedition = \"{EDITION}\"\n", toml_string(version));
    if !metadata.publish {
        out.push_str(
            "# `publish: true` in the overrides' `package` entry makes the crate publishable.\npublish = false\n",
        );
    }
    out.push_str(&format!("description = {}\n", toml_string(&description)));
    let keys = [
        ("license", &metadata.license),
        ("repository", &metadata.repository),
        ("homepage", &metadata.homepage),
        ("documentation", &metadata.documentation),
    ];
    for (key, value) in keys {
        if let Some(value) = value {
            out.push_str(&format!("{key} = {}\n", toml_string(value)));
        }
    }
    for (key, list) in [("keywords", &metadata.keywords), ("categories", &metadata.categories)] {
        if !list.is_empty() {
            let items: Vec<String> = list.iter().map(|item| toml_string(item)).collect();
            out.push_str(&format!("{key} = [{}]\n", items.join(", ")));
        }
    }
    out.push_str("\n# docs.rs documents every feature and marks the items each adds.\n[package.metadata.docs.rs]\nall-features = true\nrustdoc-args = [\"--cfg\", \"docsrs\"]\n\n[dependencies]\n");
    for (name, requirement) in dependencies(api.flavor) {
        out.push_str(&format!("{name} = {requirement}\n"));
    }
    out.push_str("\n[features]\n");
    for (name, enables) in FEATURES {
        out.push_str(&format!("{name} = {enables}\n"));
    }
    out.push_str("\n# A workspace of its own: the crate does not depend on where it was generated.\n[workspace]\n");
    out
}

/// `text` as a TOML basic string: quoted, with backslashes, quotes and control characters
/// escaped, so no value ends the string or the line it is on.
fn toml_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toml_strings_hold_any_text_on_one_line() {
        assert_eq!(toml_string("plain"), "\"plain\"");
        assert_eq!(toml_string("a \"b\" \\ c"), "\"a \\\"b\\\" \\\\ c\"");
        assert_eq!(toml_string("one\ntwo\u{7f}"), "\"one\\u000Atwo\\u007F\"");
    }

    /// The runtime names no generated item and no generated file: the generated code
    /// hands it what it needs, so the folder could be a crate of its own as it is.
    #[test]
    fn the_runtime_names_nothing_generated() {
        for (path, text) in RUNTIME.iter().chain(GITHUB_RUNTIME).filter(|(path, _)| path.starts_with("src/runtime/")) {
            for (number, line) in text.lines().enumerate() {
                let named = ["crate::generated", "generated::", "generated/"].iter().find(|name| line.contains(*name));
                assert!(
                    named.is_none(),
                    "{path}:{}: names `{}`: hand the value over from the generated code instead",
                    number + 1,
                    named.unwrap_or(&"")
                );
            }
        }
    }
}
