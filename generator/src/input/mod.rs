//! Stage 1, reading the description: text or a parsed value, plus overrides, becomes the
//! checked, normalized document that lowering reads.
//!
//! [`read`] is the stage's one entry point. In order, it
//!
//! 1. checks the version (`load`): only OpenAPI 3.0 and 3.1 go further;
//! 2. applies the overrides file's patches (`overrides`), each naming its node by pointer;
//! 3. translates what OpenAPI 3.1 adds into 3.0's shape, in place (`v31`), with a warning
//!    for each fallback;
//! 4. drops the components that no operation reaches ([`document::prune_unreached`]);
//! 5. normalizes what `openapiv3` would misread (`load`), with a warning each;
//! 6. replaces references to items inside other operations by copies (`refs`);
//! 7. reads the result as typed OpenAPI (`load`).
//!
//! [`document`] (pointers, where a `$ref` is a reference, and the index over them) is the
//! one model of the JSON document, shared by this stage, lowering and xtask's bundler and
//! slicer.

pub mod document;
mod load;
mod overrides;
mod refs;
mod v31;

pub use load::{parse_text, too_deep, MAX_FLOW_DEPTH};
pub use overrides::{Overrides, Package};
pub(crate) use v31::{ENUM_DOCS_MARKER, TUPLE_MARKER};

#[cfg(test)]
pub(crate) use load::openapi;

use crate::error::{Error, Warning};
use serde_json::Value;

/// The description as lowering reads it: the typed document and the JSON value it was read
/// from (lowering looks up by pointer what `openapiv3` does not keep).
#[derive(Debug)]
pub struct Input {
    /// The checked, patched, pruned and normalized description.
    pub value: Value,
    /// The same description, read as OpenAPI 3.0.
    pub doc: openapiv3::OpenAPI,
    /// What translating from 3.1 and normalizing changed, one warning each.
    pub warnings: Vec<Warning>,
}

/// Runs the input stage on a description parsed with [`parse_text`].
pub fn read(mut value: Value, overrides: &Overrides) -> Result<Input, Error> {
    load::check_version(&value)?;
    overrides.apply(&mut value)?;
    let mut warnings = v31::translate(&mut value)?;
    document::prune_unreached(&mut value);
    warnings.extend(load::normalize(&mut value));
    refs::inline_pointer_refs(&mut value)?;
    let doc = load::openapi(&value)?;
    Ok(Input { value, doc, warnings })
}
