//! Support for the generated golden tests in `spec_examples.rs`.

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

/// Every example of the description, by pointer, as the generator wrote them.
const EXAMPLES: &str = include_str!("../../src/generated/examples.json");

/// Asserts that the example at `pointer` decodes into `T` and encodes back to
/// equivalent JSON.
pub fn round_trips<T: DeserializeOwned + Serialize>(pointer: &str) {
    if let Err(problem) = check::<T>(example(pointer)) {
        panic!("example {pointer} does not round-trip through {}: {problem}", std::any::type_name::<T>());
    }
}

/// Asserts that an example listed as wrong in `spec/overrides.yaml` is still wrong.
/// (Unused while the list is empty.)
#[allow(dead_code)]
pub fn is_known_mismatch<T: DeserializeOwned + Serialize>(pointer: &str, reason: &str) {
    if check::<T>(example(pointer)).is_ok() {
        panic!("example {pointer} is listed in spec/overrides.yaml ({reason}) but now round-trips: remove the entry");
    }
}

/// The example at `pointer`, read from [`EXAMPLES`] once per test binary.
fn example(pointer: &str) -> &'static Value {
    static PARSED: std::sync::OnceLock<Value> = std::sync::OnceLock::new();
    let examples = PARSED.get_or_init(|| serde_json::from_str(EXAMPLES).expect("src/generated/examples.json is JSON"));
    match examples.get("examples").and_then(|all| all.get(pointer)) {
        Some(value) => value,
        None => panic!("no example at {pointer} in src/generated/examples.json; regenerate the crate"),
    }
}

fn check<T: DeserializeOwned + Serialize>(original: &Value) -> Result<(), String> {
    let decoded: T = serde_path_to_error::deserialize(original.clone())
        .map_err(|e| format!("decoding fails at `{}`: {}", e.path(), e.inner()))?;
    let encoded = serde_json::to_value(&decoded).map_err(|e| format!("encoding fails: {e}"))?;
    equivalent(original, &encoded, "$")
}

/// JSON equality up to what the types deliberately normalise: an absent member equals
/// `null`, `null` equals `{}` where the type is an empty object, numbers compare by value (`5` and `5.0`), and timestamps by instant
/// (`2020-01-01T00:00:00-04:00` and `2020-01-01T04:00:00Z`).
fn equivalent(original: &Value, encoded: &Value, path: &str) -> Result<(), String> {
    match (original, encoded) {
        (Value::Object(a), Value::Object(b)) => {
            for key in a.keys().chain(b.keys()) {
                let (x, y) = (a.get(key).unwrap_or(&Value::Null), b.get(key).unwrap_or(&Value::Null));
                equivalent(x, y, &format!("{path}.{key}"))?;
            }
            Ok(())
        }
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => {
            a.iter().zip(b).enumerate().try_for_each(|(i, (x, y))| equivalent(x, y, &format!("{path}[{i}]")))
        }
        // Types for empty objects read `null` (which some servers send for them) as `{}`.
        (Value::Null, Value::Object(b)) if b.is_empty() => Ok(()),
        (Value::Number(a), Value::Number(b)) if a.as_f64() == b.as_f64() => Ok(()),
        (Value::String(a), Value::String(b)) if a == b || same_instant(a, b) => Ok(()),
        (a, b) if a == b => Ok(()),
        (a, b) => Err(format!("at {path}: example has {a}, re-encoded value has {b}")),
    }
}

fn same_instant(a: &str, b: &str) -> bool {
    match (chrono::DateTime::parse_from_rfc3339(a), chrono::DateTime::parse_from_rfc3339(b)) {
        (Ok(x), Ok(y)) => x == y,
        _ => false,
    }
}
