//! Emission: [`Api`] -> one token stream per generated file.
//!
//! Small `quote!` functions, one per construct, one module per generated file: `root`
//! (`mod.rs`), `types`, `operations` (a group's module), `mock` (the `mock/` files),
//! `golden` (`tests/spec_examples.rs`); `handover` holds what the generated code hands
//! the runtime, and `tokens` the helpers they all build with. This module only lists the
//! files ([`plan`]) and sends each to its emitter ([`emit_file`]); `render` formats them
//! all, and `public_api` summarizes the API. No emitting module imports this one.
//!
//! The emitted code leans on the crate's hand-written runtime (`crate::runtime`) for
//! everything that does not depend on the document, so each operation is only a few lines.

use crate::ir::Api;

mod golden;
mod handover;
mod mock;
mod operations;
pub mod public_api;
pub(crate) mod render;
mod root;
#[cfg(test)]
mod test_ir;
mod tokens;
mod types;

pub(crate) use mock::examples_json;
pub use tokens::Pieces;

/// Where the description's examples go as data, for the generated mocks' `examples`
/// functions (through the `mocking::MockedApi` the generated mocks hand the runtime) and
/// the golden tests (read by `tests/golden/mod.rs`), relative to the crate root.
pub const EXAMPLES_FILE: &str = "src/generated/examples.json";

/// Everything emission needs besides the API itself.
#[derive(Debug, Clone)]
pub struct EmitOptions {
    /// The library name of the generated crate (`workflow_runs_client`), for its tests.
    pub crate_name: String,
}

/// One file the emitter writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileKind {
    /// `src/generated/mod.rs`
    Module,
    /// `src/generated/types.rs`
    Types,
    /// `src/generated/<module>.rs` for the group with this module name.
    Group(String),
    /// `tests/spec_examples.rs`
    Examples,
    /// `src/generated/mock/mod.rs`: the module of `wiremock` mocks of every operation
    /// (cargo feature `mock`).
    Mock,
    /// `src/generated/mock/<module>.rs`: the mocks of one group's operations.
    MockGroup(String),
    /// `src/generated/mock/examples.rs`: the description's examples as typed values.
    MockExamples,
}

/// Every file to emit, with its path relative to the generated crate's root.
pub fn plan(api: &Api) -> Vec<(String, FileKind)> {
    let mut files = vec![
        ("src/generated/mod.rs".to_owned(), FileKind::Module),
        ("src/generated/types.rs".to_owned(), FileKind::Types),
    ];
    files.extend(
        api.groups.values().map(|g| (format!("src/generated/{}.rs", g.module), FileKind::Group(g.module.clone()))),
    );
    files.push(("src/generated/mock/mod.rs".to_owned(), FileKind::Mock));
    files.extend(
        api.groups
            .values()
            .map(|g| (format!("src/generated/mock/{}.rs", g.module), FileKind::MockGroup(g.module.clone()))),
    );
    files.push((format!("src/generated/mock/{}.rs", api.examples_module), FileKind::MockExamples));
    files.push(("tests/spec_examples.rs".to_owned(), FileKind::Examples));
    files
}

/// Emits one file, piece by piece: the head, then one type, request builder, mock or
/// test at a time, so the whole file's tokens never exist at once.
pub fn emit_file<'a>(api: &'a Api, kind: &'a FileKind, options: &'a EmitOptions) -> Pieces<'a> {
    let empty = || Box::new(std::iter::empty()) as Pieces<'a>;
    match kind {
        FileKind::Module => Box::new(std::iter::once(root::module_file(api))),
        FileKind::Types => types::types_file(api),
        FileKind::Group(module) => api.groups.get(module).map_or_else(empty, operations::group_file),
        FileKind::Examples => golden::examples_file(api, &options.crate_name),
        FileKind::Mock => Box::new(std::iter::once(mock::mock_module(api))),
        FileKind::MockGroup(module) => api.groups.get(module).map_or_else(empty, mock::group_file),
        FileKind::MockExamples => mock::examples_file(api),
    }
}
