//! What the integration suites share: documents for the adversarial suite and the fuzz
//! test, and the gate of the slow tests.
#![allow(dead_code)]

use serde_json::{json, Map, Value};

/// A document whose one operation answers with `first`, and these component schemas.
pub fn document(schemas: Map<String, Value>, first: &str) -> Value {
    json!({
        "openapi": "3.0.3",
        "info": {"title": "chains", "version": "1"},
        "paths": {"/first": {"get": {
            "operationId": "chain/get-first",
            "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": format!("#/components/schemas/{first}")}}}}}
        }}},
        "components": {"schemas": schemas}
    })
}

/// `n` schemas `s0`..`s{n-1}`, schema `i` made by `link` from a `$ref` to `s{i+1}` (the
/// last one links back to `s0` when `ring`, else to a plain string), in a [`document`]
/// answering with `s0`.
pub fn chain(n: usize, ring: bool, link: impl Fn(Value) -> Value) -> Value {
    let schemas = (0..n)
        .map(|i| {
            let next = match (i + 1 < n, ring) {
                (true, _) => json!({"$ref": format!("#/components/schemas/s{}", i + 1)}),
                (false, true) => json!({"$ref": "#/components/schemas/s0"}),
                (false, false) => json!({"type": "string"}),
            };
            (format!("s{i}"), link(next))
        })
        .collect();
    document(schemas, "s0")
}

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
