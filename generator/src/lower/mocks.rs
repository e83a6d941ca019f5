//! What the generated mocks and golden tests add to the API, decided once operations
//! and examples are final (`naming` holds the naming rules): whether each mock offers
//! conditional requests, each mock's parameter setters, the mocks' examples module, and
//! each example's function there and its golden test.

use crate::ir::Api;
use crate::naming::{example_functions, examples_module, golden_tests, mock_setters};
use std::collections::HashMap;

/// Methods an operation's mock may have besides the `respond_…` ones of its documented
/// responses (and its struct's field, `expectation`); parameter setters avoid them all,
/// whether or not the operation's mock has them (a `GET`'s conditional ones), so a
/// setter's name does not depend on the operation's method.
pub const MOCK_METHODS: &[&str] = &[
    "new",
    "respond",
    "received",
    "request_body",
    "expectation",
    "respond_error",
    "respond_rate_limited",
    "respond_secondary_rate_limited",
    "if_none_match",
    "with_etag",
    "respond_not_modified",
];

/// Records the mocks' part in the IR: `Operation::conditional`, `Param::mock_setter`,
/// `Api::examples_module`, `Example::function` and `Example::test`.
pub fn name(api: &mut Api) {
    for op in api.groups.values_mut().flat_map(|g| g.operations.iter_mut()) {
        // The client's response cache revalidates `GET`s only.
        op.conditional = op.http_method == "GET";
        let setters = mock_setters(op, MOCK_METHODS);
        for (param, setter) in op.params.iter_mut().zip(setters) {
            param.mock_setter = setter;
        }
    }
    api.examples_module = examples_module(api.groups.values().map(|g| g.module.as_str()));
    // An example written in an operation is named after the operation's method.
    let operations: HashMap<(&str, String), &str> = api
        .groups
        .values()
        .flat_map(|g| &g.operations)
        .map(|op| ((op.path.as_str(), op.http_method.to_lowercase()), op.method_name.as_str()))
        .collect();
    let functions = example_functions(&api.examples, |path, method| {
        operations.get(&(path, method.to_owned())).map(|m| (*m).to_owned())
    });
    let tests = golden_tests(&api.examples);
    for ((example, function), test) in api.examples.iter_mut().zip(functions).zip(tests) {
        example.function = function;
        example.test = test;
    }
}

#[cfg(test)]
mod tests {
    use crate::ir::{Api, Operation};

    fn lowered(spec: &str) -> Api {
        let mut value = crate::input::parse_text(spec).unwrap();
        let doc = crate::input::openapi(&value).unwrap();
        crate::lower::lower(&doc, &mut value, &crate::Overrides::default()).unwrap().0
    }

    fn operation<'a>(api: &'a Api, id: &str) -> &'a Operation {
        api.groups.values().flat_map(|g| &g.operations).find(|op| op.id == id).unwrap()
    }

    #[test]
    fn mock_setters_avoid_the_mocks_methods_and_skip_path_and_cookie_parameters() {
        let api = lowered(
            r##"
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /pets/{id}:
    get:
      operationId: pets/get
      parameters:
        - {name: id, in: path, required: true, schema: {type: integer}}
        - {name: respond, in: query, schema: {type: boolean}}
        - {name: respond_200, in: query, schema: {type: boolean}}
        - {name: X-Trace, in: header, schema: {type: string}}
        - {name: session, in: cookie, schema: {type: string}}
      responses:
        "200": {description: A pet.}
"##,
        );
        let setters: Vec<(&str, Option<&str>)> =
            operation(&api, "pets/get").params.iter().map(|p| (p.name.as_str(), p.mock_setter.as_deref())).collect();
        assert_eq!(
            setters,
            [
                ("id", None),
                ("respond", Some("respond_2")),
                ("respond_200", Some("respond_200_2")),
                ("x_trace", Some("x_trace")),
                ("session", None)
            ],
            "in parameter order: path, query, header, cookie"
        );
    }

    #[test]
    fn a_gets_mock_is_conditional_and_setters_avoid_the_refusals_and_conditional_methods() {
        let api = lowered(
            r##"
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /pets:
    get:
      operationId: pets/list
      parameters:
        - {name: If-None-Match, in: header, schema: {type: string}}
        - {name: respond_error, in: query, schema: {type: string}}
        - {name: with_etag, in: query, schema: {type: string}}
      responses:
        "200": {description: Pets.}
    post:
      operationId: pets/create
      parameters:
        - {name: respond_not_modified, in: query, schema: {type: string}}
        - {name: respond_rate_limited, in: query, schema: {type: string}}
      responses:
        "201": {description: Created.}
"##,
        );
        let list = operation(&api, "pets/list");
        let create = operation(&api, "pets/create");
        assert!(list.conditional && !create.conditional, "only a `GET` is sent conditionally");
        let setters =
            |op: &Operation| op.params.iter().map(|p| p.mock_setter.clone().unwrap_or_default()).collect::<Vec<_>>();
        assert_eq!(setters(list), ["respond_error_2", "with_etag_2", "if_none_match_2"]);
        // Reserved on every mock, so a setter's name does not depend on the method.
        assert_eq!(setters(create), ["respond_not_modified_2", "respond_rate_limited_2"]);
    }

    #[test]
    fn examples_get_functions_and_tests_and_their_module_avoids_the_groups() {
        let api = lowered(
            r##"
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /a:
    get:
      operationId: examples/get
      responses:
        "200": {description: ok, content: {application/json: {schema: {$ref: "#/components/schemas/A"}, examples: {one: {$ref: "#/components/examples/thing"}}}}}
  /b:
    get:
      operationId: b/get
      responses:
        "200": {description: ok, content: {application/json: {schema: {$ref: "#/components/schemas/B"}, example: {y: "2"}}}}
components:
  schemas:
    A: {type: object, properties: {x: {type: string}}}
    B: {type: object, properties: {y: {type: string}}}
  examples:
    thing: {value: {x: "1"}}
"##,
        );
        assert_eq!(api.examples_module, "examples_2", "a group named `examples` keeps its name");
        let named: Vec<(&str, Option<&str>, &str)> =
            api.examples.iter().map(|e| (e.pointer.as_str(), e.function.as_deref(), e.test.as_str())).collect();
        assert_eq!(
            named,
            [
                ("#/components/examples/thing/value", Some("thing"), "components_examples_thing_value"),
                (
                    "#/paths/~1b/get/responses/200/content/application~1json/example",
                    Some("get_response_200"),
                    "paths_b_get_responses_200_content_application_json_example"
                ),
            ]
        );
    }
}
