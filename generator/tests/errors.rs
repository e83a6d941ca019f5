//! Malformed documents get one clear error naming the node at fault, never a panic.

use generator::{Error, Options};

fn generate(spec: &str) -> Result<generator::Output, Error> {
    generator::generate(
        spec,
        "",
        &Options { command: "test".into(), crate_name: "test_client".into(), ..Default::default() },
    )
}

fn doc(paths: &str, schemas: &str) -> String {
    format!("openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths:\n{paths}\ncomponents:\n  schemas:\n{schemas}\n")
}

const OK_OP: &str = "      responses:\n        '204': {description: done}\n";

#[test]
fn each_malformed_input_names_its_problem() {
    let cases: Vec<(&str, String, Option<&str>, &str)> = vec![
        ("empty file", String::new(), None, "the document is empty"),
        ("truncated YAML", "openapi: 3.0.3\ninfo:\n  title: [t\n".into(), None, "YAML syntax error at line"),
        ("JSON syntax error", "{\"openapi\": \"3.0.3\", \"info\": }".into(), None, "JSON syntax error at line 1"),
        ("Swagger 2.0", "swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths: {}\n".into(), Some("#/swagger"), "Swagger 2.0"),
        ("OpenAPI 3.2", "openapi: 3.2.0\ninfo: {title: t, version: '1'}\npaths: {}\n".into(), Some("#/openapi"), "OpenAPI 3.2.0 is not supported"),
        (
            "dangling schema $ref",
            doc("  {}", "    a:\n      type: object\n      properties:\n        b: {$ref: '#/components/schemas/missing'}"),
            Some("#/components/schemas/a/properties/b"),
            "$ref \"#/components/schemas/missing\" does not resolve",
        ),
        (
            "dangling parameter $ref",
            doc(&format!("  /a:\n    get:\n      parameters:\n        - $ref: '#/components/parameters/nope'\n{OK_OP}"), "    x: {type: string}"),
            Some("#/paths/~1a/get/parameters/0"),
            "does not resolve",
        ),
        (
            "$ref cycle with no definition",
            doc("  {}", "    a: {$ref: '#/components/schemas/b'}\n    b: {$ref: '#/components/schemas/a'}"),
            Some("#/components/schemas/"),
            "$ref cycle",
        ),
        (
            "allOf cycle",
            doc("  {}", "    a:\n      allOf: [{$ref: '#/components/schemas/b'}, {type: object}]\n    b:\n      allOf: [{$ref: '#/components/schemas/a'}, {type: object}]"),
            Some("#/components/schemas/"),
            "$ref cycle",
        ),
        (
            "path parameter missing from the declarations",
            doc(&format!("  /a/{{id}}:\n    get:\n      operationId: x/a\n{OK_OP}"), "    x: {type: string}"),
            Some("#/paths/~1a~1{id}/get"),
            "path template has `{id}` but no `in: path` parameter declares it",
        ),
        (
            "path parameter missing from the template",
            doc(&format!("  /a:\n    get:\n      operationId: x/a\n      parameters:\n        - {{name: id, in: path, required: true, schema: {{type: string}}}}\n{OK_OP}"), "    x: {type: string}"),
            Some("#/paths/~1a/get/parameters/0"),
            "path parameter `id` does not appear in the template `/a`",
        ),
        (
            "parameter declared twice",
            doc(&format!("  /a:\n    get:\n      operationId: x/a\n      parameters:\n        - {{name: q, in: query, schema: {{type: string}}}}\n        - {{name: q, in: query, schema: {{type: integer}}}}\n{OK_OP}"), "    x: {type: string}"),
            Some("#/paths/~1a/get/parameters/1"),
            "parameter \"q\" in query is declared twice",
        ),
        (
            "unbalanced path template",
            doc(&format!("  /a/{{id:\n    get:\n      operationId: x/a\n{OK_OP}"), "    x: {type: string}"),
            Some("#/paths/~1a~1{id"),
            "unbalanced braces",
        ),
        (
            "wrong node type",
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses: [1, 2]\n".into(),
            Some("#/paths/~1a/get/responses"),
            "invalid type",
        ),
    ];
    for (case, spec, pointer, message) in cases {
        let error = match generate(&spec) {
            Ok(_) => panic!("{case}: expected an error"),
            Err(error) => error,
        };
        let text = error.to_string();
        assert!(text.contains(message), "{case}: {text:?} should contain {message:?}");
        match pointer {
            Some(pointer) => {
                let actual = error.pointer().unwrap_or_default();
                assert!(actual.starts_with(pointer), "{case}: pointer {actual:?} should start with {pointer:?}");
                assert!(text.starts_with('#'), "{case}: message should lead with the pointer: {text}");
            }
            None => assert_eq!(error.pointer(), None, "{case}"),
        }
    }
}

#[test]
fn warnings_have_stable_names_and_can_be_denied() {
    let spec = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /upload:\n    post:\n      operationId: x/upload\n      requestBody:\n        content:\n          multipart/form-data: {schema: {type: object}}\n      responses:\n        '200': {description: done, content: {application/json: {schema: {$ref: '#/components/schemas/odd'}}}}\ncomponents:\n  schemas:\n    odd:\n      not: {type: string}\n    unused:\n      not: {type: string}\n";
    let output = generate(spec).unwrap();
    let names: Vec<String> = output.warnings.iter().map(|w| format!("{} {}", w.lint, w.pointer)).collect();
    assert_eq!(
        names,
        [
            "unsupported-schema #/components/schemas/odd",
            "unsupported-media-type #/paths/~1upload/post/requestBody/content/multipart~1form-data",
        ]
    );
    let strict = Options { command: "t".into(), crate_name: "t".into(), strict: true, ..Default::default() };
    let error = generator::generate(spec, "", &strict).unwrap_err();
    assert!(matches!(&error, Error::Denied(w) if w.len() == 2), "{error}");
    assert!(error.to_string().contains("warning[unsupported-schema]: #/components/schemas/odd"), "{error}");

    let mut allow_one = strict.clone();
    allow_one.allow.insert(generator::Lint::UnsupportedSchema);
    allow_one.allow.insert(generator::Lint::UnsupportedMediaType);
    assert!(generator::generate(spec, "", &allow_one).unwrap().warnings.is_empty());

    let mut deny_one = Options { command: "t".into(), crate_name: "t".into(), ..Default::default() };
    deny_one.deny.insert(generator::Lint::from_name("unsupported-media-type").unwrap());
    let error = generator::generate(spec, "", &deny_one).unwrap_err();
    assert!(matches!(&error, Error::Denied(w) if w.len() == 1 && w[0].lint == generator::Lint::UnsupportedMediaType));
}

#[test]
fn stale_overrides_are_errors() {
    let spec = doc("  {}", "    a: {type: object, required: [x], properties: {x: {type: string}}}");
    let overrides =
        "patches:\n  - pointer: '#/components/schemas/a/required'\n    remove_items: [y]\n    reason: gone\n";
    let error = generator::generate(&spec, overrides, &Options::default()).unwrap_err();
    let message = error.to_string();
    assert!(
        message.starts_with("overrides entry 0 (#/components/schemas/a/required): no item `y` to remove."),
        "{message}"
    );
    assert!(message.contains("delete the entry") && message.ends_with("(reason: gone)"), "{message}");
}

#[test]
fn a_duplicated_operation_id_is_a_warning_and_a_numbered_name() {
    let spec = doc(
        &format!(
            "  /a:\n    get:\n      operationId: x/same\n{OK_OP}  /b:\n    get:\n      operationId: x/same\n{OK_OP}"
        ),
        "    x: {type: string}",
    );
    let output = generate(&spec).unwrap();
    let warning =
        output.warnings.iter().find(|w| w.lint == generator::Lint::NonStandard).expect("a non-standard warning");
    assert_eq!(warning.pointer, "#/paths/~1b/get");
    assert!(
        warning
            .message
            .contains("operationId \"x/same\" is already used at #/paths/~1a/get; generated as \"x/same-2\""),
        "{warning}"
    );
    let group = &output.files["src/generated/x.rs"];
    assert!(group.contains("pub fn same(") && group.contains("pub fn same_2("), "{group}");
}
