//! Generates a typed async Rust client from an OpenAPI 3.0 description.
//!
//! The pipeline is pure: text in, formatted Rust source out, no file I/O.
//!
//! ```text
//! text --load--> JSON value --overrides--> openapiv3::OpenAPI --lower--> ir::Api
//!      --emit--> TokenStream --format (syn + prettyplease)--> files
//! ```

pub mod emit;
pub mod error;
pub mod format;
pub mod ir;
pub mod load;
pub mod lower;
pub mod naming;
pub mod overrides;
pub mod slice;

pub use error::{Error, Lint, Warning};
pub use overrides::Overrides;

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
}

/// Generated files and the warnings met on the way.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Output {
    /// File contents keyed by path relative to the crate root (`src/generated/types.rs`).
    pub files: BTreeMap<String, String>,
    /// Warnings that were neither allowed nor denied.
    pub warnings: Vec<Warning>,
}

/// Runs the whole pipeline on a document and its overrides.
pub fn generate(spec: &str, overrides: &str, options: &Options) -> Result<Output, Error> {
    let overrides = Overrides::parse(overrides)?;
    let mut value = load::parse_text(spec)?;
    overrides.apply(&mut value)?;
    let doc = load::openapi(&value)?;
    let (api, warnings) = lower::lower(&doc, &value, &overrides)?;
    let warnings = filter_warnings(warnings, options)?;
    let emit_options = emit::EmitOptions { crate_name: options.crate_name.clone() };
    let files = emit::emit(&api, &emit_options)
        .into_iter()
        .map(|(path, tokens)| format::format_file(&tokens, &options.command).map(|text| (path, text)))
        .collect::<Result<_, _>>()?;
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
