//! What the integration suites share: the gate of the slow tests, the same file the
//! generator's suites use.
#![allow(dead_code)]

#[path = "../../../generator/tests/common/slow.rs"]
mod slow;
#[allow(unused_imports)] // not every suite has a slow part
pub use slow::skip_slow;
