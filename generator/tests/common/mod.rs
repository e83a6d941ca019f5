//! What the integration suites share: documents for the adversarial suite and the fuzz
//! tests, their seeded random numbers and node pointers, and the gate of the slow tests.
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

// The gate of the slow tests, one file that xtask's suites include too.
mod slow;
#[allow(unused_imports)] // not every suite has a slow part
pub use slow::skip_slow;

/// xorshift64*: small, seedable, good enough to pick mutations; the same seed picks the
/// same ones on every run.
pub struct Rng(pub u64);

impl Rng {
    /// The next number.
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number below `n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Every node's JSON pointer (plain form, below `at`), the root last.
pub fn pointers(value: &Value, at: String, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                pointers(child, format!("{at}/{}", key.replace('~', "~0").replace('/', "~1")), out);
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                pointers(child, format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
    out.push(at);
}
