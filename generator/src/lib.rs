//! Generates a typed async Rust client from an OpenAPI 3.0 description.
//!
//! The pipeline is pure: text in, formatted Rust source out, no file I/O.
//!
//! ```text
//! text --load--> JSON value --overrides--> openapiv3::OpenAPI --lower--> ir::Api
//!      --emit--> TokenStream --format (syn + prettyplease)--> files
//! ```

pub mod document;
pub mod emit;
pub mod error;
pub mod flavor;
pub mod format;
pub mod inputs;
pub mod ir;
pub mod load;
pub mod lower;
pub mod naming;
pub mod overrides;
pub mod public_api;
pub mod refs;
pub mod standalone;

pub use error::{Error, Lint, Warning};
pub use load::{too_deep, MAX_FLOW_DEPTH};
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
    /// The package name of a standalone crate: when set, the output is a whole crate,
    /// with the runtime, `src/lib.rs` and `Cargo.toml` ([`standalone`]) beside the
    /// generated modules.
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

/// Runs the whole pipeline on a document (JSON or YAML text) and its overrides.
pub fn generate(spec: &str, overrides: &str, options: &Options) -> Result<Output, Error> {
    let overrides = Overrides::parse(overrides)?;
    generate_value(load::parse_text(spec)?, &overrides, options)
}

/// Runs the whole pipeline on a document already parsed with [`load::parse_text`] (a
/// caller that had to read it, to find the files it references, parses it only once).
pub fn generate_value(mut value: serde_json::Value, overrides: &Overrides, options: &Options) -> Result<Output, Error> {
    load::check_version(&value)?;
    overrides.apply(&mut value)?;
    document::prune_unreached(&mut value);
    let mut warnings = load::normalize(&mut value);
    refs::inline_pointer_refs(&mut value)?;
    let doc = load::openapi(&value)?;
    let (mut api, lowered) = lower::lower(&doc, &value, overrides)?;
    warnings.extend(lowered);
    flavor::apply(&mut api);
    let warnings = filter_warnings(warnings, options)?;
    // The files are rendered on every core. Beside them, one more thread frees the parsed
    // document (for GitHub's full description that alone takes a tenth of a second) and
    // writes the two files that are data, not code.
    let (files, data) = std::thread::scope(|scope| {
        let api = &api;
        let data = scope.spawn(move || {
            drop((doc, value));
            [
                (PUBLIC_API_FILE.to_owned(), public_api::summarize(api, &options.command)),
                (emit::EXAMPLES_FILE.to_owned(), emit::examples_json(api, &options.command)),
            ]
        });
        (render(api, &options.crate_name, &options.command), data.join())
    });
    let mut files = files?;
    files.extend(data.map_err(|_| internal("a thread writing the public API summary panicked"))?);
    if let Some(package) = &options.package {
        files.extend(standalone::files(&api, package, &options.crate_name, &options.command)?);
    }
    // Freeing the IR of a large description takes tens of milliseconds that nobody needs
    // to wait for; where no thread can be started, it is freed here.
    let _ = std::thread::Builder::new().name("free-ir".into()).spawn(move || drop(api));
    Ok(Output { files, warnings })
}

/// Emits and formats every file of `api`, spreading the files over the available cores
/// (they are independent; the result does not depend on how they were spread).
pub fn render(api: &ir::Api, crate_name: &str, command: &str) -> Result<BTreeMap<String, String>, Error> {
    check_crate_name(crate_name)?;
    let emit_options = emit::EmitOptions { crate_name: crate_name.to_owned() };
    let mut plan = emit::plan(api);
    // Largest first, each thread taking the next file when it is free, so the threads
    // finish close together. The sizes are estimates (bytes per type, per operation).
    let cost = |kind: &emit::FileKind| match kind {
        emit::FileKind::Types => api.types.len() * 14,
        emit::FileKind::Group(module) => api.groups.get(module).map_or(0, |g| g.operations.len() * 34),
        emit::FileKind::Examples => api.examples.len() * 5,
        emit::FileKind::MockGroup(module) => api.groups.get(module).map_or(0, |g| g.operations.len() * 20),
        emit::FileKind::MockExamples => api.examples.len() * 3,
        emit::FileKind::Module | emit::FileKind::Mock => 0,
    };
    plan.sort_by_key(|(_, kind)| std::cmp::Reverse(cost(kind)));
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, plan.len().max(1));
    let next = std::sync::atomic::AtomicUsize::new(0);
    let work = || {
        let mut done = Vec::new();
        while let Some((path, kind)) = plan.get(next.fetch_add(1, std::sync::atomic::Ordering::Relaxed)) {
            done.push((path.clone(), format::format_file(emit::emit_file(api, kind, &emit_options), command)));
        }
        done
    };
    // The calling thread is one of the workers: the memory it has freed is reused first.
    let rendered: Vec<Vec<(String, Result<String, Error>)>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (1..threads).map(|_| scope.spawn(work)).collect();
        let mut rendered = vec![work()];
        rendered.extend(handles.into_iter().map(|h| h.join().unwrap_or_else(|_| vec![(String::new(), Err(internal("a formatting thread panicked")))])));
        rendered
    });
    rendered.into_iter().flatten().map(|(path, text)| text.map(|t| (path, t))).collect()
}

/// An error that is a bug of the generator, not of the document.
fn internal(what: &str) -> Error {
    Error::Invalid { pointer: "#".into(), message: format!("internal error: {what}; please report this with the document") }
}

/// The generated tests name the crate by path: its name must be a plain identifier.
fn check_crate_name(name: &str) -> Result<(), Error> {
    let identifier = name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    let problem = if !identifier {
        "is not a Rust identifier (letters, digits and `_`, not starting with a digit)"
    } else if naming::is_keyword(name) || name == "_" {
        "is a Rust keyword"
    } else {
        return Ok(());
    };
    Err(Error::Invalid { pointer: "#".into(), message: format!("crate name `{name}` {problem}; choose another name") })
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
