//! `$ref`s to any JSON pointer of the document.
//!
//! Lowering follows references to components (`#/components/parameters/Page`) and, for
//! schemas, to any node. A parameter, response, request body, header or example may also
//! be referenced where it sits in another operation (`#/paths/~1chargers/get/parameters/0`):
//! [`inline_pointer_refs`] replaces such a reference with a copy of its target before
//! the document is read, so lowering sees the item itself.

use crate::error::Error;
use crate::document::{decode, references_below, Index};
use serde_json::Value;

/// How many JSON nodes copying may add to one document, so that references to nodes that
/// hold more such references (each level doubling the last) cannot grow it without bound.
const MAX_COPIED_NODES: usize = 200_000;

/// The number of nodes in `value`, counting no further than `limit`.
fn size(value: &Value, limit: usize) -> usize {
    let mut count = 0;
    let mut todo = vec![value];
    while let Some(node) = todo.pop() {
        count += 1;
        if count > limit {
            break;
        }
        match node {
            Value::Object(map) => todo.extend(map.values()),
            Value::Array(items) => todo.extend(items),
            _ => {}
        }
    }
    count
}

/// What a node at `path` (keys from the document root) is, as the name of the components
/// section that holds that kind: `schemas`, `parameters`, `responses`, `requestBodies`,
/// `headers` or `examples`; `None` for anything else (a path item, an operation).
pub fn section_of(path: &[String]) -> Option<&'static str> {
    let n = path.len();
    let last = path.last().map(String::as_str);
    let parent = n.checked_sub(2).map(|i| path[i].as_str());
    let in_components = |kind: &str| n == 3 && path[0] == "components" && path[1] == kind;
    let schema_keys = ["schema", "items", "additionalProperties", "not"];
    if in_components("schemas") || last.is_some_and(|k| schema_keys.contains(&k)) || matches!(parent, Some("properties" | "allOf" | "oneOf" | "anyOf")) {
        return Some("schemas");
    }
    // Below here the section is decided by the parent's key alone; a schema property
    // named `parameters` was caught above.
    if in_components("parameters") || (parent == Some("parameters") && n >= 3) {
        return Some("parameters");
    }
    if in_components("responses") || (parent == Some("responses") && n >= 4) {
        return Some("responses");
    }
    if in_components("requestBodies") || last == Some("requestBody") {
        return Some("requestBodies");
    }
    if in_components("headers") || parent == Some("headers") {
        return Some("headers");
    }
    if in_components("examples") || parent == Some("examples") {
        return Some("examples");
    }
    None
}

/// Whether `reference` names a component of `section` directly (`#/components/responses/NotFound`).
fn is_component(reference: &str, section: &str) -> bool {
    reference
        .strip_prefix("#/components/")
        .and_then(|r| r.strip_prefix(section))
        .and_then(|r| r.strip_prefix('/'))
        .is_some_and(|name| !name.is_empty() && !name.contains('/'))
}

/// Replaces each reference to a parameter, response, request body, header or example that
/// is not a component of its kind with a copy of its target. References to schemas, and
/// anything outside the document, are left to lowering.
pub fn inline_pointer_refs(value: &mut Value) -> Result<(), Error> {
    let mut copied = 0;
    // Only nodes that hold a `$ref` can change: the holders, last first so the first
    // pops first; a copy adds the holders it brings.
    let mut todo: Vec<String> = Index::new(value, usize::MAX).references().iter().rev().map(|r| r.holder.clone()).collect();
    while let Some(holder) = todo.pop() {
        let path = decode(&holder).unwrap_or_default();
        let Some(section) = section_of(&path).filter(|s| *s != "schemas") else { continue };
        let pointer = &holder[1..];
        // Follow a chain of such references at this node, each hop a copy.
        let mut chain: Vec<String> = Vec::new();
        while let Some(node) = value.pointer(pointer) {
            let Some(reference) = node.get("$ref").and_then(Value::as_str) else { break };
            if !reference.starts_with("#/") || is_component(reference, section) {
                break;
            }
            let reference = reference.to_owned();
            if chain.contains(&reference) {
                chain.push(reference);
                return Err(Error::RefCycle { pointer: holder, chain: chain.join(" -> ") });
            }
            let Some(target) = value.pointer(&reference[1..]) else {
                return Err(Error::DanglingRef { pointer: holder, reference });
            };
            copied += size(target, MAX_COPIED_NODES);
            if copied > MAX_COPIED_NODES {
                return Err(Error::Invalid {
                    pointer: holder,
                    message: format!("copying what references to nodes outside `components` name would add more than {MAX_COPIED_NODES} nodes; refusing to grow the document further"),
                });
            }
            let target = target.clone();
            chain.push(reference);
            if let Some(node) = value.pointer_mut(pointer) {
                *node = target;
            }
        }
        if chain.is_empty() {
            continue;
        }
        // The copy may hold references of its own (its own node's, if any, ends the chain).
        if let Some(node) = value.pointer(pointer) {
            let mut brought = Vec::new();
            references_below(&holder, node, &mut brought);
            todo.extend(brought.into_iter().rev().filter(|r| r.holder != holder).map(|r| r.holder));
        }
    }
    Ok(())
}


#[cfg(test)]
mod tests {
    use super::*;

    fn path(pointer: &str) -> Vec<String> {
        pointer.split('/').skip(1).map(|t| t.replace("~1", "/").replace("~0", "~")).collect()
    }

    #[test]
    fn sections_from_positions() {
        let cases = [
            ("/components/schemas/Pet", Some("schemas")),
            ("/components/schemas/Pet/properties/parameters", Some("schemas")),
            ("/components/schemas/Pet/allOf/0", Some("schemas")),
            ("/paths/~1a/get/responses/200/content/application~1json/schema", Some("schemas")),
            ("/paths/~1a/get/parameters/0", Some("parameters")),
            ("/paths/~1a/parameters/1", Some("parameters")),
            ("/components/parameters/Page", Some("parameters")),
            ("/paths/~1a/get/responses/200", Some("responses")),
            ("/paths/~1a/get/requestBody", Some("requestBodies")),
            ("/paths/~1a/get/responses/200/headers/X-Rate", Some("headers")),
            ("/paths/~1a", None),
            ("/paths/~1a/get", None),
        ];
        for (pointer, want) in cases {
            assert_eq!(section_of(&path(pointer)), want, "{pointer}");
        }
    }

    #[test]
    fn references_into_operations_are_copied() {
        let mut value = serde_json::json!({
            "paths": {
                "/chargers": {"get": {
                    "parameters": [{"name": "page", "in": "query", "schema": {"type": "integer"}}],
                    "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/paths/~1chargers/get/parameters/0/schema"}}}}}
                }},
                "/cars": {"get": {
                    "parameters": [{"$ref": "#/paths/~1chargers/get/parameters/0"}, {"$ref": "#/components/parameters/Q"}],
                    "responses": {"200": {"$ref": "#/paths/~1chargers/get/responses/200"}}
                }}
            }
        });
        inline_pointer_refs(&mut value).unwrap();
        let cars = &value["paths"]["/cars"]["get"];
        assert_eq!(cars["parameters"][0]["name"], "page");
        assert_eq!(cars["parameters"][1]["$ref"], "#/components/parameters/Q", "component references stay");
        assert_eq!(cars["responses"]["200"]["description"], "ok");
        // Schema references are lowering's.
        assert_eq!(cars["responses"]["200"]["content"]["application/json"]["schema"]["$ref"], "#/paths/~1chargers/get/parameters/0/schema");
    }

    #[test]
    fn dangling_and_cyclic_references_are_errors() {
        let mut value = serde_json::json!({"paths": {"/a": {"get": {"parameters": [{"$ref": "#/paths/~1b"}]}}}});
        let err = inline_pointer_refs(&mut value).unwrap_err();
        assert_eq!(err.pointer(), Some("#/paths/~1a/get/parameters/0"), "{err}");
        let mut value = serde_json::json!({"paths": {"/a": {"get": {"parameters": [{"$ref": "#/paths/~1a/get/parameters/0"}]}}}});
        let err = inline_pointer_refs(&mut value).unwrap_err();
        assert!(matches!(err, Error::RefCycle { .. }), "{err}");
    }

    #[test]
    fn references_that_double_at_each_level_are_refused_not_expanded() {
        // Each example's value holds two references to the previous operation's example:
        // copied out, level n would hold 2^n nodes.
        let mut paths = serde_json::Map::new();
        let example = |value: Value| serde_json::json!({"get": {"responses": {"200": {"description": "d", "content": {"application/json": {"examples": {"e": {"value": value}}}}}}}});
        paths.insert("/p0".into(), example(serde_json::json!({"leaf": 1})));
        for n in 1..40 {
            let previous = format!("#/paths/~1p{}/get/responses/200/content/application~1json/examples/e", n - 1);
            paths.insert(format!("/p{n}"), example(serde_json::json!({"examples": {"a": {"$ref": previous}, "b": {"$ref": previous}}})));
        }
        let mut value = serde_json::json!({"paths": paths});
        let err = inline_pointer_refs(&mut value).unwrap_err();
        assert!(err.to_string().contains("refusing to grow the document further"), "{err}");
    }
}
