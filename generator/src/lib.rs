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
    let files = render(&api, &options.crate_name, &options.command)?;
    Ok(Output { files, warnings })
}

/// Emits and formats every file of `api`, spreading the files over the available cores
/// (they are independent; the result does not depend on how they were spread).
pub fn render(api: &ir::Api, crate_name: &str, command: &str) -> Result<BTreeMap<String, String>, Error> {
    let emit_options = emit::EmitOptions { crate_name: crate_name.to_owned() };
    let plan = emit::plan(api);
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, plan.len().max(1));
    // The types file is by far the largest: it goes alone, the rest are dealt round-robin.
    let mut shares: Vec<Vec<&(String, emit::FileKind)>> = vec![Vec::new(); threads];
    let mut next = 0;
    for file in &plan {
        let share = if file.1 == emit::FileKind::Types { 0 } else { 1 + next % threads.saturating_sub(1).max(1) };
        if file.1 != emit::FileKind::Types {
            next += 1;
        }
        shares[share.min(threads - 1)].push(file);
    }
    let rendered: Vec<Vec<(String, Result<String, Error>)>> = std::thread::scope(|scope| {
        let handles: Vec<_> = shares
            .into_iter()
            .map(|share| {
                let emit_options = &emit_options;
                scope.spawn(move || {
                    share
                        .into_iter()
                        .map(|(path, kind)| (path.clone(), format::format_file(&emit::emit_file(api, kind, emit_options), command)))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join().unwrap_or_else(|_| {
                    vec![(String::new(), Err(Error::Invalid { pointer: "#".into(), message: "internal error: a formatting thread panicked".into() }))]
                })
            })
            .collect()
    });
    rendered.into_iter().flatten().map(|(path, text)| text.map(|t| (path, t))).collect()
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
