//! Generates a typed async Rust client from an OpenAPI 3.0 or 3.1 description.
//!
//! The pipeline is pure: text in, formatted Rust source out, no file I/O. Each stage is
//! a folder, and each reads only what the stage before it produced:
//!
//! ```text
//!   text ──parse_text──> JSON value
//!                          │
//!   input/   version check, overrides, 3.1 → 3.0, pruning, normalizing, reference copying
//!            (document: pointers and the index over them)
//!                          │ Input: the value + typed openapiv3::OpenAPI
//!                          v
//!   lower/   types, operations, security, cycles, flavor, input structs
//!                          │ ir::Api
//!                          v
//!   emit/    token streams, mocks, rendering on every core, public-api.txt
//!            (format.rs: syn + prettyplease)   and standalone.rs: a whole crate
//!                          │
//!                          v
//!                        files
//! ```
//!
//! `ir`, `naming`, `format` and `error` are shared by the stages and import none of them.

pub mod diff;
mod emit;
mod error;
mod format;
mod input;
pub mod ir;
mod lower;
mod naming;
pub mod standalone;

pub use emit::render::render;
pub use emit::{public_api, EXAMPLES_FILE};
pub use error::{Error, Lint, Warning};
pub use input::{document, parse_text, read, too_deep, Input, Overrides, Package, MAX_FLOW_DEPTH};
pub use lower::lower;
pub use naming::is_keyword;

use std::collections::{BTreeMap, BTreeSet};

/// How warnings are treated and what generated files say about their origin.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The command that regenerates the output, named in each file's first line.
    pub command: String,
    /// The library name of the generated crate (`workflow_runs_client`).
    pub crate_name: String,
    /// Turns every warning not explicitly allowed into an error.
    pub strict: bool,
    /// Lints whose warnings are dropped.
    pub allow: BTreeSet<Lint>,
    /// Lints whose warnings are errors.
    pub deny: BTreeSet<Lint>,
    /// The package name of a standalone crate: when set, the output is a whole crate,
    /// with the runtime, `src/lib.rs` and `Cargo.toml` ([`standalone`]) beside the
    /// generated modules; the overrides' [`Package`] entry fills in its manifest.
    pub package: Option<String>,
}

/// Generated files and the warnings met on the way.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Output {
    /// File contents keyed by path relative to the crate root (`src/generated/types.rs`).
    pub files: BTreeMap<String, String>,
    /// Warnings that were neither allowed nor denied.
    pub warnings: Vec<Warning>,
}

/// Where [`generate`] puts the summary of the crate's public API (see [`public_api`]),
/// relative to the crate root.
pub const PUBLIC_API_FILE: &str = "public-api.txt";

/// Where [`generate`] puts the wire summary of the description (see [`diff::wire`]),
/// relative to the crate root: what a later generation compares to report changes of
/// behavior.
pub const WIRE_API_FILE: &str = "wire-api.txt";

/// Runs the whole pipeline on a document (JSON or YAML text) and its overrides.
pub fn generate(spec: &str, overrides: &str, options: &Options) -> Result<Output, Error> {
    let overrides = Overrides::parse(overrides)?;
    generate_value(parse_text(spec)?, &overrides, options)
}

/// Runs the whole pipeline on a document already parsed with [`parse_text`] (a caller
/// that had to read it, to find the files it references, parses it only once).
pub fn generate_value(value: serde_json::Value, overrides: &Overrides, options: &Options) -> Result<Output, Error> {
    if options.package.is_none() && overrides.package.is_some() {
        // A checked-in client's manifest is written by hand; the entry would do nothing.
        let message = "describes a crate of its own (`cargo xtask generate`); this output has no manifest to put it in";
        return Err(Error::Package { key: "package".into(), message: message.into() });
    }
    let Input { mut value, doc, mut warnings } = input::read(value, overrides)?;
    let (api, lowered) = lower::lower(&doc, &mut value, overrides)?;
    warnings.extend(lowered);
    let warnings = filter_warnings(warnings, options)?;
    // The files are rendered on every core. Beside them, one more thread frees the parsed
    // document (for GitHub's full description that alone takes a tenth of a second) and
    // writes the two files that are data, not code.
    let (files, data) = std::thread::scope(|scope| {
        let api = &api;
        let data = scope.spawn(move || {
            let wire = diff::wire::summarize(&value, &options.command);
            drop((doc, value));
            [
                (WIRE_API_FILE.to_owned(), wire),
                (PUBLIC_API_FILE.to_owned(), public_api::summarize(api, &options.command)),
                (EXAMPLES_FILE.to_owned(), emit::examples_json(api, &options.command)),
            ]
        });
        (render(api, &options.crate_name, &options.command), data.join())
    });
    let mut files = files?;
    files.extend(data.map_err(|_| error::internal("a thread writing the public API summary panicked"))?);
    if let Some(package) = &options.package {
        let metadata = overrides.package.clone().unwrap_or_default();
        files.extend(standalone::files(&api, package, &metadata, &options.crate_name, &options.command)?);
    }
    // Freeing the IR of a large description takes tens of milliseconds that nobody needs
    // to wait for; where no thread can be started, it is freed here.
    let _ = std::thread::Builder::new().name("free-ir".into()).spawn(move || drop(api));
    Ok(Output { files, warnings })
}

fn filter_warnings(warnings: Vec<Warning>, options: &Options) -> Result<Vec<Warning>, Error> {
    let (denied, kept): (Vec<Warning>, Vec<Warning>) = warnings
        .into_iter()
        .filter(|w| !options.allow.contains(&w.lint))
        .partition(|w| options.strict || options.deny.contains(&w.lint));
    if denied.is_empty() {
        Ok(kept)
    } else {
        Err(Error::Denied(denied))
    }
}
