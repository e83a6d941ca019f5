//! `$ref`s to any JSON pointer of the document.
//!
//! Lowering follows references to components (`#/components/parameters/Page`) and, for
//! schemas, to any node. A parameter, response, request body, header or example may also
//! be referenced where it sits in another operation (`#/paths/~1chargers/get/parameters/0`):
//! [`inline_pointer_refs`] replaces such a reference with a copy of its target before
//! the document is read, so lowering sees the item itself.

use super::document::{node_count, references_below, Index, Kind};
use crate::error::Error;
use serde_json::Value;

/// How many JSON nodes copying may add to one document, so that references to nodes that
/// hold more such references (each level doubling the last) cannot grow it without bound.
pub(super) const MAX_COPIED_NODES: usize = 200_000;

/// The sections whose references this pass copies: those lowering reads only from
/// `components`.
const COPIED_SECTIONS: [&str; 5] = ["parameters", "responses", "requestBodies", "headers", "examples"];

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
/// anything outside the document, are left to lowering; a `$ref` in data (an example
/// value, an extension) is not a reference and stays as written.
pub fn inline_pointer_refs(value: &mut Value) -> Result<(), Error> {
    let mut copied = 0;
    // Only nodes that hold a `$ref` can change: the holders, last first so the first
    // pops first; a copy adds the holders it brings.
    let mut todo: Vec<(String, Kind)> =
        Index::new(value, usize::MAX).references().iter().rev().map(|r| (r.holder.clone(), r.kind)).collect();
    while let Some((holder, kind)) = todo.pop() {
        let Some(section) = kind.section().filter(|s| COPIED_SECTIONS.contains(s)) else { continue };
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
            copied += node_count(target, MAX_COPIED_NODES);
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
            references_below(&holder, node, kind, &mut brought);
            todo.extend(brought.into_iter().rev().filter(|r| r.holder != holder).map(|r| (r.holder, r.kind)));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert_eq!(
            cars["responses"]["200"]["content"]["application/json"]["schema"]["$ref"],
            "#/paths/~1chargers/get/parameters/0/schema"
        );
    }

    #[test]
    fn dangling_and_cyclic_references_are_errors() {
        let mut value = serde_json::json!({"paths": {"/a": {"get": {"parameters": [{"$ref": "#/paths/~1b"}]}}}});
        let err = inline_pointer_refs(&mut value).unwrap_err();
        assert_eq!(err.pointer(), Some("#/paths/~1a/get/parameters/0"), "{err}");
        let mut value =
            serde_json::json!({"paths": {"/a": {"get": {"parameters": [{"$ref": "#/paths/~1a/get/parameters/0"}]}}}});
        let err = inline_pointer_refs(&mut value).unwrap_err();
        assert!(matches!(err, Error::RefCycle { .. }), "{err}");
    }

    #[test]
    fn references_that_double_at_each_level_are_refused_not_expanded() {
        // Each response's header holds, through its media type's encoding, two references
        // to the previous operation's header: copied out, level n would hold 2^n nodes.
        let mut paths = serde_json::Map::new();
        let header = |headers: Value| serde_json::json!({"get": {"responses": {"200": {"description": "d", "headers": {"h": {"content": {"application/json": {"encoding": {"e": {"headers": headers}}}}}}}}}});
        paths.insert("/p0".into(), header(serde_json::json!({"leaf": {"schema": {"type": "string"}}})));
        for n in 1..40 {
            let previous = format!("#/paths/~1p{}/get/responses/200/headers/h", n - 1);
            paths.insert(
                format!("/p{n}"),
                header(serde_json::json!({"a": {"$ref": previous}, "b": {"$ref": previous}})),
            );
        }
        let mut value = serde_json::json!({"paths": paths});
        let err = inline_pointer_refs(&mut value).unwrap_err();
        assert!(err.to_string().contains("refusing to grow the document further"), "{err}");
    }

    #[test]
    fn references_in_data_stay_as_written() {
        // Each of these sits where the structure has data, at a place whose keys look like
        // a parameter's or an example's; none is followed, so none dangles.
        let data = serde_json::json!({"parameters": [{"$ref": "#/nowhere"}], "examples": {"e": {"$ref": "#/paths/~1a/get/parameters/0"}}});
        let mut value = serde_json::json!({
            "x-data": data,
            "paths": {"/a": {
                "x-note": data,
                "get": {
                    "x-extra": data,
                    "parameters": [{"name": "q", "in": "query", "schema": {"type": "object", "default": data, "enum": [data], "example": data}}],
                    "responses": {"200": {"description": "ok", "content": {"application/json": {"example": data, "examples": {"e": {"value": data}}}}}}
                }
            }},
            "components": {"examples": {"e": {"value": data}}}
        });
        let before = value.clone();
        inline_pointer_refs(&mut value).unwrap();
        assert_eq!(value, before);
    }
}
