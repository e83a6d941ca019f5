//! Hostile descriptions: huge flat chains, recursion the type system cannot express
//! directly, names that collide with the client's own, text rustc refuses. The generator
//! must return promptly with compiling output or one error naming the node at fault.
//!
//! The 20,000-link chains are each a few megabytes of JSON; with the generator and its
//! parsers optimized in dev builds (see the root `Cargo.toml`) each case takes seconds.
//! Whether the output compiles is checked by `xtask/tests/cli.rs`, which type-checks
//! generated crates.

mod common;

use common::{chain, document};
use generator::{ir::TypeKind, ir::TypeRef, Error, Lint, Options, Output};
use serde_json::{json, Map, Value};

const LINKS: usize = 20_000;

fn options() -> Options {
    Options { command: "test".into(), crate_name: "test_client".into(), ..Default::default() }
}

fn generate(doc: &Value) -> Result<Output, Error> {
    generator::generate(&serde_json::to_string(doc).unwrap(), "", &options())
}

fn types_file(output: &Output) -> &str {
    &output.files["src/generated/types.rs"]
}

#[test]
fn a_long_chain_of_ref_aliases_generates_in_linear_time() {
    let output = generate(&chain(LINKS, false, |next| next)).unwrap();
    // Every alias points straight at the end of the chain.
    let types = types_file(&output);
    assert!(
        types.contains("pub type S0 = S19999;") && types.contains("pub type S19998 = S19999;"),
        "{}",
        &types[..2000]
    );
}

#[test]
fn a_long_ring_of_objects_is_boxed_and_generates() {
    let doc = chain(LINKS, true, |next| json!({"type": "object", "required": ["next"], "properties": {"next": next}}));
    let output = generate(&doc).unwrap();
    let types = types_file(&output);
    assert!(types.contains("pub next: Box<S1>,") && types.contains("pub next: Box<S0>,"), "{}", &types[..2000]);
}

#[test]
fn a_long_chain_of_objects_held_by_value_is_refused_with_its_pointer() {
    let doc = chain(LINKS, false, |next| json!({"type": "object", "properties": {"next": next}}));
    let error = generate(&doc).unwrap_err();
    assert_eq!(error.pointer(), Some("#/components/schemas/s0"), "{error}");
    assert!(error.to_string().contains("more than the 96 that rustc can check"), "{error}");
    assert!(error.to_string().contains("(S0 holds S1 holds S2 holds S3 holds ...)"), "{error}");
    // Just under the bound, the chain generates (`xtask/tests/cli.rs` compiles one).
    let doc = chain(47, false, |next| json!({"type": "object", "properties": {"next": next}}));
    generate(&doc).unwrap();
}

#[test]
fn a_long_chain_of_one_member_compositions_and_arrays_generates_or_is_refused() {
    // `allOf: [next]` is an alias of `next`: the chain collapses.
    let output = generate(&chain(LINKS, false, |next| json!({"allOf": [next]}))).unwrap();
    assert!(types_file(&output).contains("pub type S12345 = S19999;"));
    // Arrays of arrays nest types: refused, with the pointer of the outermost.
    let error = generate(&chain(LINKS, false, |next| json!({"type": "array", "items": next}))).unwrap_err();
    assert_eq!(error.pointer(), Some("#/components/schemas/s0"), "{error}");
}

#[test]
fn a_long_chain_of_all_of_merges_is_refused_at_the_depth_limit() {
    let doc = chain(
        LINKS,
        false,
        |next| json!({"allOf": [next, {"type": "object", "properties": {"x": {"type": "string"}}}]}),
    );
    let error = generate(&doc).unwrap_err();
    assert!(error.to_string().contains("`allOf` members nest more than 64 levels deep"), "{error}");
    assert!(error.pointer().is_some_and(|p| p.starts_with("#/components/schemas/s")), "{error}");
}

#[test]
fn unions_of_unions_sharing_members_generate_promptly() {
    // a{i} and b{i} are both `oneOf: [a{i+1}, b{i+1}]`: 2^40 paths from the top, 80 types.
    let mut schemas = Map::new();
    for i in 0..40 {
        for side in ["a", "b"] {
            let schema = match i {
                39 => json!({"type": "string", "enum": [side]}),
                _ => {
                    json!({"oneOf": [{"$ref": format!("#/components/schemas/a{}", i + 1)}, {"$ref": format!("#/components/schemas/b{}", i + 1)}]})
                }
            };
            schemas.insert(format!("{side}{i}"), schema);
        }
    }
    let output = generate(&document(schemas, "a0")).unwrap();
    assert!(types_file(&output).contains("impl std::fmt::Display for A0 {"));
}

#[test]
fn deep_inline_nesting_does_not_overflow_the_stack() {
    // As deep as the JSON parser allows (128 levels), on a small thread stack.
    let mut schema = json!({"type": "string"});
    for _ in 0..60 {
        schema = json!({"type": "object", "properties": {"inner": schema}});
    }
    let text = serde_json::to_string(&chain(1, false, |_| schema.clone())).unwrap();
    let result = std::thread::Builder::new()
        .stack_size(1 << 20)
        .spawn(move || generator::generate(&text, "", &options()).map(|_| ()))
        .unwrap()
        .join()
        .expect("no stack overflow");
    assert!(result.is_err_and(|e| e.to_string().contains("levels deep")));
}

/// Lowers a document with these component schemas (all kept: it has no operations).
fn lower(schemas: Value) -> (generator::ir::Api, Vec<generator::Warning>) {
    let doc = json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {}, "components": {"schemas": schemas}});
    let mut input =
        generator::read(generator::parse_text(&doc.to_string()).unwrap(), &generator::Overrides::default()).unwrap();
    generator::lower(&input.doc, &mut input.value, &generator::Overrides::default()).unwrap()
}

#[test]
fn aliases_that_refer_to_themselves_become_wrappers_or_json() {
    let (api, warnings) = lower(json!({
        "list": {"type": "array", "items": {"$ref": "#/components/schemas/list"}},
        "map": {"type": "object", "additionalProperties": {"$ref": "#/components/schemas/map"}},
        "ping": {"type": "array", "items": {"$ref": "#/components/schemas/pong"}},
        "pong": {"allOf": [{"$ref": "#/components/schemas/ping"}]},
        "itself": {"allOf": [{"$ref": "#/components/schemas/itself"}]},
        "one": {"oneOf": [{"$ref": "#/components/schemas/one"}]},
        "two": {"anyOf": [{"$ref": "#/components/schemas/one"}]},
    }));
    let kind = |name: &str| &api.types[name].kind;
    let named = |name: &str| Box::new(TypeRef::Named(name.into()));
    assert_eq!(kind("List"), &TypeKind::Newtype(TypeRef::Vec(named("List"))));
    assert_eq!(kind("Map"), &TypeKind::Newtype(TypeRef::Map(named("Map"))));
    assert_eq!(kind("Ping"), &TypeKind::Newtype(TypeRef::Vec(named("Pong"))));
    assert_eq!(kind("Pong"), &TypeKind::Newtype(TypeRef::Named("Ping".into())));
    for name in ["Itself", "One", "Two"] {
        assert_eq!(kind(name), &TypeKind::Alias(TypeRef::Json), "{name}");
    }
    let pointers: Vec<&str> =
        warnings.iter().filter(|w| w.lint == Lint::UnsupportedSchema).map(|w| w.pointer.as_str()).collect();
    assert_eq!(pointers, ["#/components/schemas/itself", "#/components/schemas/one", "#/components/schemas/two"]);

    let output = generator::render(&api, "test_client", "test").unwrap();
    let types = &output["src/generated/types.rs"];
    assert!(types.contains("#[serde(transparent)]\npub struct List(pub Vec<List>);"), "{types}");
    assert!(types.contains("pub struct Pong(pub Ping);"), "{types}");
    assert!(types.contains("pub type Itself = serde_json::Value;"), "{types}");
}

#[test]
fn union_variants_that_are_one_rust_type_through_aliases_are_merged() {
    let (api, _) = lower(json!({
        "text": {"type": "string"},
        "also": {"$ref": "#/components/schemas/text"},
        "u": {"oneOf": [
            {"$ref": "#/components/schemas/text"}, {"type": "string"}, {"$ref": "#/components/schemas/also"},
            {"type": "array", "items": {"$ref": "#/components/schemas/text"}}, {"type": "array", "items": {"type": "string"}},
            {"type": "integer"}
        ]},
    }));
    let TypeKind::Union(variants) = &api.types["U"].kind else { panic!("not a union") };
    let names: Vec<&str> = variants.iter().map(|v| v.name.as_str()).collect();
    assert_eq!(names, ["Text", "Array", "Integer"]);
}

#[test]
fn path_parameters_that_cannot_be_text_are_sent_as_strings() {
    let doc = json!({
        "openapi": "3.0.3", "info": {"title": "t", "version": "1"},
        "paths": {"/o/{obj}": {"get": {
            "operationId": "o/get",
            "parameters": [{"name": "obj", "in": "path", "required": true, "schema": {"type": "object", "properties": {"a": {"type": "string"}}}}],
            "responses": {"204": {"description": "done"}}
        }}}
    });
    let output = generate(&doc).unwrap();
    assert_eq!(output.warnings.len(), 1, "{:?}", output.warnings);
    assert_eq!(output.warnings[0].pointer, "#/paths/~1o~1{obj}/get/parameters/0");
    assert!(output.files["src/generated/o.rs"].contains("obj: impl Into<String>"));
}

#[test]
fn sized_integer_formats_get_their_rust_types() {
    let formats = ["int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64", "weird"];
    let properties: Map<String, Value> =
        formats.iter().map(|f| (f.to_string(), json!({"type": "integer", "format": f}))).collect();
    let (api, _) = lower(json!({"numbers": {"type": "object", "properties": properties}}));
    let TypeKind::Struct(s) = &api.types["Numbers"].kind else { panic!("not a struct") };
    let types: Vec<&TypeRef> = s.fields.iter().map(|f| &f.ty).collect();
    use TypeRef::{I16, I32, I64, I8, U16, U32, U64, U8};
    assert_eq!(types, [&I8, &I16, &I32, &I64, &U8, &U16, &U32, &U64, &I64]);
}

#[test]
fn groups_named_like_client_methods_get_other_accessors() {
    let names = [
        "builder",
        "execute",
        "base_url",
        "download_to",
        "download_to_file",
        "clone",
        "default",
        "fmt",
        "into",
        "serde",
        "types",
    ];
    let paths: Map<String, Value> = names
        .iter()
        .map(|n| {
            (
                format!("/{n}"),
                json!({"get": {"operationId": format!("{n}/list"), "responses": {"204": {"description": "done"}}}}),
            )
        })
        .collect();
    let doc = json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": paths});
    let output = generate(&doc).unwrap();
    for name in names {
        let module = format!("src/generated/{name}_2.rs");
        let file = output.files.get(&module).unwrap_or_else(|| panic!("no {module} in {:?}", output.files.keys()));
        assert!(file.contains(&format!("pub fn {name}_2(&self)")), "{file}");
    }
}

#[test]
fn enum_values_self_are_camel_case() {
    let (api, _) = lower(json!({"who": {"type": "string", "enum": ["self", "Self", "other"]}}));
    let TypeKind::Enum(e) = &api.types["Who"].kind else { panic!("not an enum") };
    let names: Vec<&str> = e.variants.iter().map(|(name, _)| name.as_str()).collect();
    assert_eq!(names, ["SelfValue", "SelfValue2", "Other"]);
}

#[test]
fn text_rustc_refuses_never_reaches_a_comment() {
    let nasty = "line\rwith a bare CR, \u{202E}bidi\u{2066} and \u{7}bell\u{7f} */ /*";
    let doc = json!({
        "openapi": "3.0.3",
        "info": {"title": format!("Title\n{nasty}"), "version": "1\r2"},
        "paths": {"/x": {"get": {
            "operationId": "x/get", "summary": nasty, "description": nasty,
            "responses": {"200": {"description": nasty, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/e"}}}},
                          "404": {"description": nasty}}
        }}},
        "components": {"schemas": {"e": {"type": "string", "description": nasty, "enum": [nasty, "plain"]}}}
    });
    let output = generate(&doc).unwrap();
    for (path, text) in &output.files {
        for line in text.lines() {
            let comment = line.trim_start().starts_with("//");
            assert!(!(comment && line.contains(['\r', '\u{202E}', '\u{2066}', '\u{7}', '\u{7f}'])), "{path}: {line:?}");
        }
        assert!(!text.contains(['\u{202E}', '\u{2066}']), "{path}");
    }
    let module = &output.files["src/generated/mod.rs"];
    assert!(
        module.contains("//! Generated from Title line with a bare CR, bidi and bell */ /* (version 1 2)."),
        "{module}"
    );
    // The wire value itself is kept, escaped in the string literal.
    assert!(types_file(&output).contains(r#""line\rwith a bare CR, \u{202e}bidi\u{2066} and \u{7}bell\u{7f} */ /*""#));
}

#[test]
fn crate_names_that_are_keywords_are_refused_up_front() {
    let doc = json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {}});
    for (name, problem) in
        [("box", "is a Rust keyword"), ("a-b", "is not a Rust identifier"), ("", "is not a Rust identifier")]
    {
        let options = Options { crate_name: name.into(), ..options() };
        let error = generator::generate(&doc.to_string(), "", &options).unwrap_err();
        assert!(error.to_string().contains(&format!("crate name `{name}` {problem}")), "{error}");
    }
}

#[test]
fn text_nested_past_the_parsers_limit_is_an_error() {
    // The YAML parser takes quadratic time in the depth of `[`: 100,000 took 24 s.
    let deep = "[".repeat(100_000);
    for text in [deep.clone(), format!("a:\n  b: {deep}"), format!("{{\"a\": {deep}")] {
        let error = generator::generate(&text, "", &options()).unwrap_err();
        assert!(matches!(error, Error::Syntax { .. }), "{error}");
    }
    let error = generator::generate(&format!("a:\n  b: {deep}"), "", &options()).unwrap_err();
    assert_eq!(error.to_string(), "YAML syntax error at line 2, column 1006: brackets nest deeper than 1000 levels");
    let error = generator::generate("openapi: 3.0.3", &format!("patches: {deep}"), &options()).unwrap_err();
    assert!(error.to_string().contains("brackets nest deeper than 1000 levels"), "{error}");
}

#[test]
fn long_keys_and_names_cost_linear_memory() {
    // A 3,000-byte property name above 20,000 nodes: refused, pointing at its holder.
    let inner: Map<String, Value> = (0..20_000).map(|i| (format!("p{i}"), json!({"type": "string"}))).collect();
    let long = "k".repeat(3_000);
    let schemas = Map::from_iter([(
        "s0".to_owned(),
        json!({"type": "object", "properties": {long.clone(): {"type": "object", "properties": inner}}}),
    )]);
    let error = generate(&document(schemas, "s0")).unwrap_err();
    assert_eq!(error.pointer(), Some("#/components/schemas/s0/properties"), "{error}");
    assert!(error.to_string().contains("(3000 bytes) makes JSON pointers longer than 2048 bytes"), "{error}");
    // A 100,000-byte operationId and tag over 2,000 parameters: names are cut, and distinct.
    let id = "x".repeat(100_000);
    let params: Vec<Value> = (0..2_000).map(|i| json!({"name": format!("q{i}"), "in": "query", "schema": {"type": "string", "enum": ["a", format!("v{i}")]}})).collect();
    let doc = json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {"/x": {"get": {
        "operationId": id, "tags": [format!("{id}y")], "parameters": params, "responses": {"204": {"description": "done"}}
    }}}});
    let output = generate(&doc).unwrap();
    // Each parameter's enum type is named from the operation; uncut, 2,000 names of 100 kB.
    let size: usize = output.files.values().map(String::len).sum();
    assert!(size < 20_000_000, "{size} bytes of output");
}
