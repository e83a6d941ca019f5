//! A `$ref` is a reference only where OpenAPI 3.0 allows a Reference Object or a schema
//! reference. Inside example values, `default`, `enum` and `x-` extensions it is data:
//! never followed, copied over, reported as dangling, or counted as keeping a component,
//! and the examples keep it as written.

use generator::Options;
use serde_json::{json, Value};

const SPEC: &str = r##"
openapi: 3.0.3
info: {title: t, version: '1'}
x-data: {$ref: '#/nowhere'}
paths:
  /a:
    x-note: {$ref: '#/components/schemas/OnlyInData'}
    get:
      operationId: a/get
      x-extra: {$ref: '#/paths/~1a/get/parameters/0'}
      parameters:
        - name: q
          in: query
          schema: {type: string, default: 'plain', x-hint: {parameters: [{$ref: '#/nowhere'}]}}
      responses:
        '200':
          description: ok
          x-also: {$ref: '#/components/responses/Missing'}
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Thing'}
              example: {link: {$ref: '#/nowhere'}}
              examples:
                named:
                  value: {link: {parameters: [{$ref: '#/paths/~1b'}], examples: {e: {$ref: '#/nowhere'}}}}
                shared: {$ref: '#/components/examples/thing'}
components:
  schemas:
    Thing:
      type: object
      properties:
        link:
          type: object
          additionalProperties: true
          default: {$ref: '#/components/schemas/OnlyInData'}
      example: {link: {$ref: '#/components/schemas/OnlyInData'}}
    OnlyInData: {type: object, properties: {secret: {type: string}}}
  examples:
    thing:
      value: {link: {$ref: '#/paths/~1a/get/responses/200'}}
"##;

fn generate(spec: &str) -> generator::Output {
    let options = Options { command: "test".into(), crate_name: "test_client".into(), ..Default::default() };
    generator::generate(spec, "", &options).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn references_in_data_are_neither_followed_nor_reported() {
    let output = generate(SPEC);
    let types = &output.files["src/generated/types.rs"];
    assert!(types.contains("pub struct Thing"), "{types}");
    assert!(!types.contains("OnlyInData"), "a schema named only in data is not generated:\n{types}");
    assert!(output.warnings.is_empty(), "{:?}", output.warnings);
}

#[test]
fn examples_keep_their_references_as_written() {
    let output = generate(SPEC);
    let file: Value = serde_json::from_str(&output.files[generator::EXAMPLES_FILE]).unwrap();
    let examples = file["examples"].as_object().unwrap();
    let media = "#/paths/~1a/get/responses/200/content/application~1json";
    let expected = [
        (format!("{media}/example"), json!({"link": {"$ref": "#/nowhere"}})),
        (
            format!("{media}/examples/named/value"),
            json!({"link": {"parameters": [{"$ref": "#/paths/~1b"}], "examples": {"e": {"$ref": "#/nowhere"}}}}),
        ),
        ("#/components/schemas/Thing/example".to_owned(), json!({"link": {"$ref": "#/components/schemas/OnlyInData"}})),
    ];
    for (pointer, value) in expected {
        assert_eq!(examples.get(&pointer), Some(&value), "{pointer} in {examples:#?}");
    }
    assert_eq!(
        examples.get("#/components/examples/thing/value"),
        Some(&json!({"link": {"$ref": "#/paths/~1a/get/responses/200"}}))
    );
    // The typed mocks read their values from that file, by the same pointers.
    let mocks = &output.files["src/generated/mock/examples.rs"];
    assert!(mocks.contains(&format!("\"{media}/examples/named/value\"")), "{mocks}");
}

#[test]
fn schemas_kept_under_extensions_are_read_through_references() {
    // The extension is data, but a reference that reads a node of it as a schema makes it
    // one: what it references in turn is followed and kept.
    let spec = r##"
openapi: 3.0.3
info: {title: t, version: '1'}
x-defs:
  Pet:
    type: object
    properties:
      tag: {$ref: '#/x-defs/Tag'}
      owner: {$ref: '#/components/schemas/Owner'}
  Tag: {type: string, enum: [a, b]}
paths:
  /pet:
    get:
      operationId: pet/get
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/x-defs/Pet'}
components:
  schemas:
    Owner: {type: object, properties: {name: {type: string}}}
"##;
    let output = generate(spec);
    let types = &output.files["src/generated/types.rs"];
    assert!(
        types.contains("pub struct Owner")
            && types.contains("pub struct XDefsPet")
            && types.contains("pub enum XDefsTag"),
        "{types}"
    );
}
