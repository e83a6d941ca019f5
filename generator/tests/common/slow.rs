//! The gate of the slow tests, shared by the integration suites of `generator` and
//! `xtask` (each includes this file by path).

/// The variable that runs the slow tests (CI sets it).
pub const RUN_SLOW_TESTS: &str = "RUN_SLOW_TESTS";

/// Whether to skip the slow part `what` of a test: it builds generated crates with a
/// nested `cargo`, minutes on a cold target directory, so plain `cargo test` leaves it to
/// CI unless `RUN_SLOW_TESTS` is set. A skip says so on the terminal with its reason: it
/// writes past the test harness's output capture, which would hide it in a passing test.
pub fn skip_slow(what: &str) -> bool {
    use std::io::Write;
    if std::env::var_os(RUN_SLOW_TESTS).is_some_and(|v| !v.is_empty() && v != "0") {
        return false;
    }
    let _ = writeln!(
        std::io::stderr(),
        "skipped (slow): {what}, which runs a nested cargo build of generated crates; set {RUN_SLOW_TESTS}=1 to run it (CI does)"
    );
    true
}
