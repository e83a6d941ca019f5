//! Project automation, run as `cargo xtask <command>`:
//!
//! - `codegen [--check]`: regenerates `generated-client/` from `spec/` (or, with `--check`,
//!   fails when the checked-in files differ from what the generator produces);
//! - `spec [--release ID] [--from FILE]`, `spec --api-version VERSION --out FILE`: the
//!   supported releases' workflow-runs slices and the fleet slice merged from them;
//! - `generate --spec FILE --out DIR --name CRATE`: a standalone client crate for any
//!   OpenAPI 3.0 or 3.1 document;
//! - `diff OLD NEW`: the change report between two descriptions (breaking, behavior,
//!   additive), writing nothing;
//! - `corpus [--no-check] [--only NAME]... [--file NAME=PATH]... [--write]`: generates and
//!   type-checks a crate for every public description of `spec/corpus/` (and those given
//!   with `--file`), one report row each;
//! - `try-release FILE`: regenerates a scratch copy of the client from another
//!   description, prints the update report and runs the client's tests on it.
//!
//! This is the only place in the workspace that touches files or exits the process.

mod bench;
mod breaking;
mod bundle;
mod codegen;
mod corpus;
mod diff;
mod files;
mod generate;
mod releases;
mod slice;
mod spec;
mod try_release;

use std::process::ExitCode;

/// Generating a crate is mostly building and dropping token trees on every core at once,
/// millions of small allocations, for which the system allocator grows and trims its
/// per-thread heaps over and over. BENCHMARKS.md has the numbers.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const USAGE: &str = "usage: cargo xtask <command>

commands:
  codegen [--check]     regenerate generated-client/ from spec/ (--check: fail if stale)
  spec [--release ID] [--from FILE] [--package 'NAME VERSION']
                        add or refresh a release's slice, merge the fleet slice spec/workflow-runs.yaml
  spec --api-version VERSION --out FILE
                        the fleet slice for another REST API version (its breaking changes applied)
  generate --spec FILE --out DIR --name CRATE [--overrides FILE] [--root DIR] [--strict] [--allow LINT]... [--deny LINT]...
                        write a standalone client crate for any OpenAPI 3.0 or 3.1 document
  diff OLD NEW [--overrides FILE] [--root DIR] [--format text|markdown] [--fail-on-breaking]
                        report what updating from one description to another breaks or changes
  corpus [--no-check] [--only NAME]... [--file NAME=PATH]... [--write]
                        generate and type-check every description of spec/corpus/ (see CORPUS.md)
  bench [--no-compile]  print codegen, compile and decode numbers (see BENCHMARKS.md)
  try-release FILE      regenerate a scratch copy of the client from FILE and run its tests";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("codegen") => codegen::run(&args[1..]),
        Some("spec") => spec::run(&args[1..]),
        Some("generate") => generate::run(&args[1..]),
        Some("diff") => diff::run(&args[1..]),
        Some("bench") => bench::run(&args[1..]),
        Some("corpus") => corpus::run(&args[1..]),
        Some("try-release") => try_release::run(&args[1..]),
        Some("help" | "--help" | "-h") => {
            println!("{USAGE}");
            Ok(())
        }
        Some(other) => Err(anyhow::anyhow!("unknown command `{other}`\n\n{USAGE}")),
        None => Err(anyhow::anyhow!("{USAGE}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

/// The workspace root.
pub fn root() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives one level below the root")
        .to_path_buf()
}
