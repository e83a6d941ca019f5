//! What an update of a description means for code that used the old one: whether it
//! still compiles (the public API, `emit::public_api`) and whether the server still
//! accepts its requests and its responses still decode (the wire summary, [`wire`],
//! compared by `judge`), in one [`Report`].
//!
//! [`describe`] runs the input and lowering stages, not rendering, so comparing two
//! descriptions costs about two parses and two lowerings.

mod judge;
mod report;
pub mod wire;

pub use report::{Format, Report};

use crate::emit::public_api;
use crate::error::{Error, Warning};
use crate::input::Overrides;

/// The two summaries a description is compared by.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summaries {
    /// The public API of the crate generated from it (`public-api.txt`).
    pub public_api: String,
    /// What it says goes over the wire (`wire-api.txt`).
    pub wire_api: String,
}

/// The summaries of a description parsed with [`crate::parse_text`], under a header
/// naming `command`, and the warnings met on the way (unfiltered).
pub fn describe(
    value: serde_json::Value,
    overrides: &Overrides,
    command: &str,
) -> Result<(Summaries, Vec<Warning>), Error> {
    let crate::Input { mut value, doc, mut warnings } = crate::input::read(value, overrides)?;
    let wire_api = wire::summarize(&value, command);
    let (api, lowered) = crate::lower::lower(&doc, &mut value, overrides)?;
    warnings.extend(lowered);
    Ok((Summaries { public_api: public_api::summarize(&api, command), wire_api }, warnings))
}

/// The report of the changes from `old` to `new`. A summary that is empty (there was no
/// previous one) contributes no changes.
pub fn compare(old: &Summaries, new: &Summaries) -> Report {
    let mut changes = Vec::new();
    if !old.public_api.is_empty() {
        changes.extend(public_api::compare(&old.public_api, &new.public_api));
    }
    if !old.wire_api.is_empty() {
        changes.extend(judge::compare(&old.wire_api, &new.wire_api));
    }
    Report::new(changes)
}
