//! OpenAPI 3.1 descriptions are as hostile as 3.0 ones: odd shapes of what 3.1 adds give
//! an error naming the node the author wrote, or a typed fallback, never a panic; and
//! the translation to 3.0's shape keeps every pointer where it was written.

mod common;

use common::Rng;

use generator::{Error, Lint, Options, Output};
use serde_json::{json, Value};

fn options() -> Options {
    Options { command: "test".into(), crate_name: "test_client".into(), ..Default::default() }
}

fn generate(doc: &Value) -> Result<Output, Error> {
    generator::generate(&serde_json::to_string(doc).unwrap(), "", &options())
}

/// A 3.1 document whose one operation answers with component `A`, given `schemas`.
fn answering(schemas: Value) -> Value {
    json!({
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {"/a": {"get": {"operationId": "a/get", "responses": {"200": {
            "description": "ok",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/A"}}},
        }}}}},
        "components": {"schemas": schemas},
    })
}

#[test]
fn odd_shapes_are_refused_where_they_are_written() {
    let cases = [
        (json!({"A": {"type": 5}}), "#/components/schemas/A/type", "a type is a string or a list of strings"),
        (
            json!({"A": {"properties": {"b": {"type": {}}}}}),
            "#/components/schemas/A/properties/b/type",
            "not a mapping",
        ),
        (
            json!({"A": {"properties": {"b": {"type": ["string", 5]}}}}),
            "#/components/schemas/A/properties/b/type/1",
            "a type is a string",
        ),
        (json!({"A": {"type": "array", "prefixItems": {}}}), "#/components/schemas/A/prefixItems", "a list of schemas"),
        (
            json!({"A": {"type": "array", "prefixItems": [{}, 5]}}),
            "#/components/schemas/A/prefixItems/1",
            "a schema is a mapping or a boolean",
        ),
        (
            json!({"A": {"patternProperties": []}}),
            "#/components/schemas/A/patternProperties",
            "a mapping of names to schemas",
        ),
        (
            json!({"A": {"patternProperties": {"^a": "x"}}}),
            "#/components/schemas/A/patternProperties/^a",
            "not a string",
        ),
        (json!({"A": {"$defs": {"B": null}}}), "#/components/schemas/A/$defs/B", "not null"),
        (json!({"A": {"unevaluatedProperties": 5}}), "#/components/schemas/A/unevaluatedProperties", "not a number"),
        (json!({"A": {"if": {}, "then": []}}), "#/components/schemas/A/then", "not a list"),
        (
            json!({"A": {"properties": {"a": {"exclusiveMinimum": "x"}}}}),
            "#/components/schemas/A/properties/a/exclusiveMinimum",
            "is a number",
        ),
        (
            json!({"A": {"properties": {"b": {"$ref": "#/nowhere", "description": "d"}}}}),
            "#/components/schemas/A/properties/b",
            "does not resolve",
        ),
        (
            json!({"A": {"$defs": {"B": {"$ref": "#/components/schemas/A/$defs/C"}, "C": {"$ref": "#/components/schemas/A/$defs/B"}}, "$ref": "#/components/schemas/A/$defs/B"}}),
            "#/components/schemas/A/$defs/",
            "$ref cycle",
        ),
    ];
    for (schemas, pointer, message) in cases {
        let err = generate(&answering(schemas.clone())).expect_err(&schemas.to_string());
        assert!(err.pointer().is_some_and(|p| p.starts_with(pointer)), "{schemas}: {err}");
        assert!(err.to_string().contains(message), "{schemas}: {err}");
    }
}

#[test]
fn odd_shapes_with_a_meaning_generate() {
    let cases = [
        json!({"A": {"type": []}}),
        json!({"A": {"type": ["null"]}}),
        json!({"A": {"type": ["string", "string", "null", "null"]}}),
        json!({"A": {"type": (0..100_000).map(|i| format!("t{i}")).collect::<Vec<_>>(), "enum": vec![json!(1); 100_000]}}),
        json!({"A": {"type": "array", "prefixItems": []}}),
        json!({"A": {"type": "array", "prefixItems": [true, false, {}], "items": true}}),
        json!({"A": {"type": "array", "items": false}}),
        json!({"A": true}),
        json!({"A": false}),
        json!({"A": {"examples": 5, "type": "string"}}),
        json!({"A": {"examples": [], "type": "string"}}),
        json!({"A": {"type": "string", "contentEncoding": 5, "contentMediaType": []}}),
        json!({"A": {"type": "object", "unevaluatedProperties": false, "additionalProperties": {}}}),
        json!({"A": {"type": ["object", "array"], "oneOf": [{}], "anyOf": [{}]}}),
        json!({"A": {"$ref": "#/components/schemas/B", "description": "d", "allOf": [{"type": "object"}]}, "B": {"type": "object"}}),
        json!({"A": {"exclusiveMinimum": 1e300, "exclusiveMaximum": -1e300, "minimum": 5, "type": "integer"}}),
    ];
    for schemas in cases {
        generate(&answering(schemas.clone())).unwrap_or_else(|e| panic!("{schemas}: {e}"));
    }
}

#[test]
fn const_of_any_json_value_generates() {
    let values = [
        json!(null),
        json!(true),
        json!(-1),
        json!(1e300),
        json!(""),
        json!("x"),
        json!([null, [1]]),
        json!({"$ref": "#/nowhere", "x": {"y": []}}),
    ];
    for value in values {
        let schemas = json!({"A": {"type": "object", "required": ["c"], "properties": {"c": {"const": value}}}});
        let output = generate(&answering(schemas)).unwrap_or_else(|e| panic!("{value}: {e}"));
        assert!(output.files["src/generated/types.rs"].contains("pub c:"), "{value}");
    }
    // A string constant is a type of one value.
    let output = generate(&answering(json!({"A": {"const": "only"}}))).unwrap();
    assert!(output.files["src/generated/types.rs"].contains("pub enum A {"));
}

#[test]
fn deep_nesting_through_3_1_keywords_does_not_overflow_the_stack() {
    // As deep as the JSON parser allows, through the places 3.1 adds, on a small stack.
    let mut schema = json!({"type": ["string", "null"], "const": "x"});
    for i in 0..40 {
        schema = match i % 3 {
            0 => json!({"type": "array", "prefixItems": [schema]}),
            1 => json!({"type": "object", "patternProperties": {"^a": schema}}),
            _ => json!({"$defs": {"d": schema}, "type": ["object", "null"], "properties": {"p": {"type": "string"}}}),
        };
    }
    let text = serde_json::to_string(&answering(json!({"A": schema}))).unwrap();
    let result = std::thread::Builder::new()
        .stack_size(1 << 20)
        .spawn(move || generator::generate(&text, "", &options()).map(|_| ()))
        .unwrap()
        .join()
        .expect("no stack overflow");
    if let Err(error) = result {
        assert!(error.to_string().contains("levels deep"), "{error}");
    }
}

#[test]
fn a_long_chain_through_defs_generates_or_is_refused_without_overflowing_the_stack() {
    // Each entry of one component's `$defs` names the next: plainly, or beside a
    // description (a one-member `allOf` once translated, a deeper frame each).
    let defs = |n: usize, described: bool| -> Value {
        let defs: serde_json::Map<String, Value> = (0..n)
            .map(|i| {
                let next = match (i + 1 < n, described) {
                    (true, false) => json!({"$ref": format!("#/components/schemas/A/$defs/d{}", i + 1)}),
                    (true, true) => {
                        json!({"$ref": format!("#/components/schemas/A/$defs/d{}", i + 1), "description": "a link"})
                    }
                    (false, _) => json!({"type": "string"}),
                };
                (format!("d{i}"), next)
            })
            .collect();
        json!({"A": {"$defs": defs, "type": "object", "properties": {"p": {"$ref": "#/components/schemas/A/$defs/d0"}}}})
    };
    for described in [false, true] {
        let output = generate(&answering(defs(200, described))).unwrap();
        assert!(output.files["src/generated/types.rs"].contains("pub struct A {"));
        let err = generate(&answering(defs(20_000, described))).unwrap_err();
        assert!(err.to_string().contains("nest more than"), "{err}");
        assert!(err.pointer().is_some_and(|p| p.starts_with("#/components/schemas/A/$defs/d")), "{err}");
    }
}

#[test]
fn path_item_references_are_copied_and_checked() {
    let mut doc = answering(json!({"A": {"type": "string"}}));
    let item = doc["paths"]["/a"].take();
    doc["paths"]["/a"] = json!({"$ref": "#/components/pathItems/one"});
    doc["components"]["pathItems"] = json!({"one": {"$ref": "#/components/pathItems/two"}, "two": item});
    let output = generate(&doc).unwrap();
    assert!(output.files.contains_key("src/generated/a.rs"), "{:?}", output.files.keys());
    doc["components"]["pathItems"]["two"] = json!({"$ref": "#/components/pathItems/one"});
    let err = generate(&doc).unwrap_err();
    assert!(matches!(&err, Error::RefCycle { pointer, .. } if pointer == "#/paths/~1a"), "{err}");
    doc["components"]["pathItems"] = json!({});
    let err = generate(&doc).unwrap_err();
    assert!(matches!(&err, Error::DanglingRef { pointer, .. } if pointer == "#/paths/~1a"), "{err}");
    // A long chain, and many paths copying one large item, are refused at their path.
    let chain: serde_json::Map<String, Value> =
        (0..100).map(|i| (format!("p{i}"), json!({"$ref": format!("#/components/pathItems/p{}", i + 1)}))).collect();
    doc["components"]["pathItems"] = Value::Object(chain);
    doc["paths"]["/a"] = json!({"$ref": "#/components/pathItems/p0"});
    let err = generate(&doc).unwrap_err();
    assert!(err.pointer() == Some("#/paths/~1a") && err.to_string().contains("in a row"), "{err}");
    let parameters: Vec<Value> =
        (0..1_000).map(|i| json!({"name": format!("q{i}"), "in": "query", "schema": {"type": "string"}})).collect();
    doc["components"]["pathItems"] = json!({"big": {"parameters": parameters, "get": item["get"].clone()}});
    doc["paths"] = (0..1_000).map(|i| (format!("/p{i}"), json!({"$ref": "#/components/pathItems/big"}))).collect();
    let err = generate(&doc).unwrap_err();
    assert!(err.pointer().is_some_and(|p| p.starts_with("#/paths/~1p")), "{err}");
    assert!(err.to_string().contains("refusing to grow"), "{err}");
}

#[test]
fn document_changes_are_read_and_linted() {
    let mut doc = answering(
        json!({"A": {"type": "string"}, "Hook": {"type": "object", "properties": {"a": {"type": "string"}}}}),
    );
    doc["jsonSchemaDialect"] = json!(5);
    doc["info"]["summary"] = json!("short");
    doc["info"]["license"] = json!({"name": "MIT", "identifier": "MIT"});
    doc["webhooks"] = json!({"hook": {"post": {"requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Hook"}}}}}}});
    let output = generate(&doc).unwrap();
    let lints: Vec<(Lint, &str)> = output.warnings.iter().map(|w| (w.lint, w.pointer.as_str())).collect();
    assert_eq!(lints, [(Lint::Dialect, "#/jsonSchemaDialect"), (Lint::Webhook, "#/webhooks/hook")]);
    // The webhook's payload is a type; no call is made for it.
    assert!(output.files["src/generated/types.rs"].contains("pub struct Hook {"));
    let mut inline = doc.clone();
    inline["webhooks"]["hook"]["post"]["requestBody"]["content"]["application/json"]["schema"] =
        json!({"type": "object", "properties": {"a": {"type": "string"}}});
    assert!(generate(&inline).unwrap().files["src/generated/types.rs"].contains("pub struct HookWebhook {"));
    assert!(!output.files["public-api.txt"].contains("hook("), "{}", output.files["public-api.txt"]);
    // Odd webhooks and no paths at all.
    let payload = |schema: Value| json!({"w": {"post": {"requestBody": {"content": {"a/b": {"schema": schema}}}}}});
    for webhooks in [
        json!(5),
        json!([]),
        json!({"w": 5}),
        json!({"w": {"$ref": "#/components/pathItems/none"}}),
        json!({"w": {"post": {"requestBody": 5}}}),
        json!({"w": {"post": {"requestBody": {"content": 5}}}}),
        payload(json!(5)),
        payload(json!({"type": 5})),
        payload(json!({"type": "object", "properties": {"x": {"$ref": "#/nowhere"}}})),
        payload(json!({"$ref": "#/webhooks/w/post/requestBody/content/a~1b/schema"})),
    ] {
        let mut doc = doc.clone();
        doc["webhooks"] = webhooks.clone();
        doc.as_object_mut().unwrap().remove("paths");
        match generate(&doc) {
            Ok(_) => {}
            Err(err) => assert!(err.pointer().is_some_and(|p| p.starts_with("#/webhooks")), "{webhooks}: {err}"),
        }
    }
    // The default dialect is no warning.
    doc["jsonSchemaDialect"] = json!("https://spec.openapis.org/oas/3.1/dialect/base");
    doc.as_object_mut().unwrap().remove("webhooks");
    assert!(generate(&doc).unwrap().warnings.is_empty());
}

#[test]
fn mutated_3_1_snapshots_never_panic() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots");
    let garbage = [
        json!(null),
        json!(false),
        json!(5),
        json!("x"),
        json!([]),
        json!({}),
        json!({"type": []}),
        json!({"type": ["null"]}),
        json!({"type": ["string", "integer", "object", "array", "null"], "enum": [1, "a", null]}),
        json!({"const": {"a": [1]}}),
        json!({"prefixItems": {}, "items": false}),
        json!({"prefixItems": [true, false, 5], "minItems": 3, "maxItems": 3}),
        json!({"patternProperties": {"": false, "^a": {"$ref": "#"}}}),
        json!({"$defs": {"a": {"$ref": "#/components/schemas/Thing/$defs/a"}}, "$ref": "#/components/schemas/Thing/$defs/a"}),
        json!({"$ref": "#/webhooks", "description": "d"}),
        json!({"if": true, "then": false, "unevaluatedProperties": {"type": 5}}),
        json!({"exclusiveMinimum": 1e308, "exclusiveMaximum": "x"}),
        json!({"contentEncoding": "base64", "contentMediaType": 5}),
    ];
    let keys = ["type", "const", "prefixItems", "items", "$defs", "$ref", "patternProperties", "examples", "webhooks"];
    let mut rng = Rng(0x0031_0000_5EED);
    let (mut ok, mut err) = (0, 0);
    let mut names: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    names.retain(|p| p.file_name().is_some_and(|n| n.to_string_lossy().starts_with("v31_")));
    names.sort();
    assert!(names.len() >= 5, "{names:?}");
    for path in names {
        let base = generator::parse_text(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let mut nodes = Vec::new();
        common::pointers(&base, String::new(), &mut nodes);
        for case in 0..40 {
            let mut doc = base.clone();
            let target = &nodes[rng.below(nodes.len())];
            let value = garbage[rng.below(garbage.len())].clone();
            match (rng.below(2), doc.pointer_mut(target)) {
                (0, Some(node)) => *node = value,
                (_, Some(Value::Object(map))) => {
                    map.insert(keys[rng.below(keys.len())].to_owned(), value);
                }
                _ => {}
            }
            let text = serde_json::to_string(&doc).unwrap();
            let run = std::panic::catch_unwind(|| generator::generate(&text, "", &options()));
            match run {
                Ok(Ok(_)) => ok += 1,
                Ok(Err(_)) => err += 1,
                Err(_) => panic!("{}: case {case} at {target} panicked", path.display()),
            }
        }
    }
    assert!(ok > 0 && err > 0, "{ok} generated, {err} refused");
}

#[test]
fn const_members_that_a_reference_names_stay_where_they_are() {
    let members = json!([{"const": "x", "title": "X"}, {"const": "y"}]);
    let doc = answering(json!({"A": {"type": "object", "properties": {
        "e": {"oneOf": members},
        "f": {"$ref": "#/components/schemas/A/properties/e/oneOf/1"},
    }}}));
    let output = generate(&doc).unwrap_or_else(|e| panic!("{e}"));
    let types = &output.files["src/generated/types.rs"];
    // The members stay a union, so the `$ref` still names a node.
    assert!(types.contains("pub enum Ae {\n    /// A value of type `Ae1`.\n    Ae1(Ae1),"), "{types}");
    let mut doc = doc;
    doc["components"]["schemas"]["A"]["properties"].as_object_mut().unwrap().remove("f");
    let types = &generate(&doc).unwrap_or_else(|e| panic!("{e}")).files["src/generated/types.rs"];
    assert!(types.contains("pub enum Ae {\n    /// `x`: X\n    X,\n    /// `y`\n    Y,"), "{types}");
}
