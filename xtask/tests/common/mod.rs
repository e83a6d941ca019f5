//! What the integration suites share: the gate of the slow tests, the same file the
//! generator's suites use.
#![allow(dead_code)]

#[path = "../../../generator/tests/common/slow.rs"]
mod slow;
pub use slow::{skip_slow, RUN_SLOW_TESTS};
