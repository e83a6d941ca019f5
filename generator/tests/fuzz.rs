//! Mutation fuzzing: real specs, damaged at random (nodes dropped, types changed,
//! garbage inserted, `$ref`s redirected, text truncated), must make the generator return
//! `Ok` or `Err` and never panic.
//!
//! Large flat documents (long chains of aliases, objects, unions and `allOf`s) are mutated
//! too: their damage makes cycles, self-references and dangling links at scale.
//!
//! The run is bounded by a fixed number of cases (`FUZZ_CASES`, default 200, and
//! `FUZZ_FLAT_CASES`, default 40) from a fixed seed (`FUZZ_SEED`), so CI is deterministic;
//! set them (and `FUZZ_SPEC` for another description) to explore further locally.

mod common;

use common::Rng;

use serde_json::{json, Value};
use std::panic::{catch_unwind, AssertUnwindSafe};

const SPEC: &str = include_str!("../../spec/workflow-runs.yaml");
const OVERRIDES: &str = include_str!("../../spec/overrides.yaml");

fn env_or(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn garbage(rng: &mut Rng, component_pointers: &[String]) -> Value {
    let choices = [
        Value::Null,
        json!(true),
        json!(-1),
        json!(5_000_000_000_i64),
        json!(1.5),
        json!(""),
        json!("garbage"),
        json!([]),
        json!({}),
        json!({"type": "banana"}),
        json!({"$ref": "#/components/schemas/does-not-exist"}),
        json!({"$ref": "not a pointer"}),
        json!({"type": "object", "properties": {"+1": {"type": "integer"}, "": {}}, "required": ["missing"]}),
        json!({"oneOf": []}),
        json!({"allOf": [{"type": "string"}, {"type": "object"}]}),
        json!({"enum": [null, 3, "x"], "type": "string"}),
        json!({"type": "array"}),
        json!({"not": {"type": "string"}}),
    ];
    let pick = rng.below(choices.len() + 1);
    match choices.get(pick) {
        Some(value) => value.clone(),
        None => json!({ "$ref": format!("#{}", component_pointers[rng.below(component_pointers.len())]) }),
    }
}

fn mutate(doc: &mut Value, rng: &mut Rng, nodes: &[String], components: &[String]) -> String {
    let target = &nodes[rng.below(nodes.len())];
    let replacement = garbage(rng, components);
    let (parent_pointer, key) = target.rsplit_once('/').unwrap_or(("", target));
    match rng.below(3) {
        0 => {
            if let Some(parent) = doc.pointer_mut(parent_pointer) {
                match parent {
                    Value::Object(map) => {
                        map.shift_remove(&key.replace("~1", "/").replace("~0", "~"));
                    }
                    Value::Array(items) => {
                        if let Ok(i) = key.parse::<usize>() {
                            if i < items.len() {
                                items.remove(i);
                            }
                        }
                    }
                    _ => {}
                }
            }
            format!("drop {target}")
        }
        1 => {
            if let Some(node) = doc.pointer_mut(target) {
                *node = replacement.clone();
            }
            format!("replace {target} with {replacement}")
        }
        _ => {
            let keys = [
                "type",
                "$ref",
                "nullable",
                "required",
                "properties",
                "items",
                "enum",
                "format",
                "in",
                "name",
                "operationId",
                "additionalProperties",
            ];
            let key = keys[rng.below(keys.len())];
            if let Some(Value::Object(map)) = doc.pointer_mut(target) {
                map.insert(key.to_owned(), replacement.clone());
            }
            format!("set {target}/{key} to {replacement}")
        }
    }
}

fn must_not_panic(case: &str, spec: &str, overrides: &str) -> bool {
    let options = generator::Options { command: "fuzz".into(), crate_name: "fuzz_client".into(), ..Default::default() };
    match catch_unwind(AssertUnwindSafe(|| generator::generate(spec, overrides, &options))) {
        Ok(result) => result.is_ok(),
        Err(_) => panic!("the generator panicked on {case}"),
    }
}

#[test]
fn mutated_specs_never_panic() {
    let seed = env_or("FUZZ_SEED", 0x5EED_F022);
    let cases = env_or("FUZZ_CASES", 200);
    // `FUZZ_SPEC=FILE` mutates another description instead (e.g. the full upstream one).
    let base: Value = match std::env::var("FUZZ_SPEC") {
        Ok(path) => generator::parse_text(&std::fs::read_to_string(path).unwrap()).unwrap(),
        Err(_) => serde_yaml::from_str(SPEC).unwrap(),
    };
    let mut nodes = Vec::new();
    common::pointers(&base, String::new(), &mut nodes);
    let components: Vec<String> =
        nodes.iter().filter(|p| p.starts_with("/components/") && p.matches('/').count() == 3).cloned().collect();
    let mut rng = Rng(seed | 1);
    let (mut ok, mut err) = (0, 0);
    for case in 0..cases {
        let mut doc = base.clone();
        let steps: Vec<String> =
            (0..1 + rng.below(3)).map(|_| mutate(&mut doc, &mut rng, &nodes, &components)).collect();
        let text = serde_json::to_string(&doc).unwrap();
        // Overrides are applied too, so a mutation can also make an override stale.
        let label = format!("case {case} (seed {seed}): {}", steps.join("; "));
        if must_not_panic(&label, &text, OVERRIDES) {
            ok += 1;
        } else {
            err += 1;
        }
    }
    println!("{cases} mutated specs: {ok} generated, {err} rejected with an error, no panic");
    assert_eq!(ok + err, cases);
    assert!(err > 0, "the mutations should break some specs");
}

#[test]
fn damaged_text_never_panics() {
    let mut rng = Rng(env_or("FUZZ_SEED", 0x7E47) | 1);
    let lines: Vec<&str> = SPEC.lines().collect();
    for case in 0..60 {
        let text = match case % 3 {
            // Truncated at a random character boundary.
            0 => {
                let mut end = rng.below(SPEC.len());
                while !SPEC.is_char_boundary(end) {
                    end -= 1;
                }
                SPEC[..end].to_owned()
            }
            // A random line removed (indentation changes meaning in YAML).
            1 => {
                let drop = rng.below(lines.len());
                lines.iter().enumerate().filter(|(i, _)| *i != drop).map(|(_, l)| *l).collect::<Vec<_>>().join("\n")
            }
            // A random line indented or garbled.
            _ => {
                let hit = rng.below(lines.len());
                lines
                    .iter()
                    .enumerate()
                    .map(|(i, l)| if i == hit { format!("  {l}: [{{") } else { (*l).to_owned() })
                    .collect::<Vec<_>>()
                    .join("\n")
            }
        };
        must_not_panic(&format!("text case {case}"), &text, "");
        must_not_panic(&format!("overrides case {case}"), SPEC, &text[..text.len().min(400)]);
    }
}

#[test]
fn mutated_flat_documents_never_panic() {
    let seed = env_or("FUZZ_SEED", 0xF1A7);
    let cases = env_or("FUZZ_FLAT_CASES", 40);
    let links = 2_000;
    // Each generates when whole: rings stay within the nesting bound, `allOf` within its depth.
    let bases = [
        common::chain(links, false, |next| next),
        common::chain(
            links,
            true,
            |next| json!({"type": "object", "required": ["next"], "properties": {"next": next, "name": {"type": "string"}}}),
        ),
        common::chain(links, true, |next| json!({"type": "array", "items": next})),
        common::chain(
            links,
            true,
            |next| json!({"oneOf": [next, {"type": "object", "properties": {"x": {"type": "integer"}}}]}),
        ),
        common::chain(
            60,
            false,
            |next| json!({"allOf": [next, {"type": "object", "properties": {"y": {"type": "string"}}}]}),
        ),
    ];
    let indexed: Vec<(Vec<String>, Vec<String>)> = bases
        .iter()
        .map(|base| {
            let mut nodes = Vec::new();
            common::pointers(base, String::new(), &mut nodes);
            let components = nodes
                .iter()
                .filter(|p| p.starts_with("/components/") && p.matches('/').count() == 3)
                .cloned()
                .collect();
            (nodes, components)
        })
        .collect();
    let mut rng = Rng(seed | 1);
    let (mut ok, mut err) = (0, 0);
    for case in 0..cases {
        let which = case as usize % bases.len();
        let (nodes, components) = &indexed[which];
        let mut doc = bases[which].clone();
        let steps: Vec<String> = (0..1 + rng.below(2)).map(|_| mutate(&mut doc, &mut rng, nodes, components)).collect();
        let label = format!("flat case {case} (seed {seed}, base {which}): {}", steps.join("; "));
        if must_not_panic(&label, &serde_json::to_string(&doc).unwrap(), "") {
            ok += 1;
        } else {
            err += 1;
        }
    }
    println!("{cases} mutated flat documents: {ok} generated, {err} rejected with an error, no panic");
    assert!(ok > 0 && err > 0, "the mutations should leave some documents whole and break others");
}
