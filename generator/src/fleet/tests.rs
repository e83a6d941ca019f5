use super::*;
use serde_json::json;

fn release(id: &str, family: Option<&str>, version: Option<&str>) -> Release {
    Release {
        id: id.into(),
        name: None,
        family: family.map(Into::into),
        version: version.map(Into::into),
        header_value: version.map(Into::into),
    }
}

/// Two releases of one family and one of its own, the newest of the family primary.
fn fleet() -> Fleet {
    let mut cloud = release("cloud", None, None);
    cloud.name = Some("Cloud".into());
    Fleet {
        primary: "srv-2".into(),
        api_version: Some("2022-11-28".into()),
        release_header: Some("X-Release".into()),
        releases: vec![release("srv-1", Some("Server"), Some("1")), release("srv-2", Some("Server"), Some("2")), cloud],
    }
}

fn doc(paths: Value, schemas: Value) -> Value {
    json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": paths, "components": {"schemas": schemas}})
}

fn run(paths: &str, schema: Value) -> Value {
    json!({paths: {"get": {"operationId": "a/get", "responses": {"200": {"description": "ok",
        "content": {"application/json": {"schema": schema}}}}}}})
}

#[test]
fn operations_are_the_union_and_annotated_where_not_everywhere() {
    let thing = json!({"$ref": "#/components/schemas/thing"});
    let schemas = json!({"thing": {"type": "object", "properties": {"id": {"type": "integer"}}}});
    let mut newer = run("/a", thing.clone());
    newer["/b"] = json!({"post": {"operationId": "a/post", "responses": {"204": {"description": "done"}}}});
    let merged = merge(
        &fleet(),
        vec![
            ("cloud".into(), doc(newer.clone(), schemas.clone())),
            ("srv-1".into(), doc(run("/a", thing.clone()), schemas.clone())),
            ("srv-2".into(), doc(run("/a", thing), schemas)),
        ],
    )
    .unwrap();
    let value = merged.value;
    assert_eq!(value["paths"]["/b"]["post"][AVAILABILITY], json!(["cloud"]));
    assert!(value["paths"]["/a"]["get"].get(AVAILABILITY).is_none());
    assert_eq!(
        value[RELEASES],
        json!({"primary": "srv-2", "header": "X-Release", "api_version": "2022-11-28", "list": [
            {"id": "srv-1", "name": "Server 1", "family": "Server", "version": "1", "header_value": "1"},
            {"id": "srv-2", "name": "Server 2", "family": "Server", "version": "2", "header_value": "2"},
            {"id": "cloud", "name": "Cloud"},
        ]})
    );
    assert_eq!(value["info"]["x-api-version"], "2022-11-28");
    assert!(merged.notes.is_empty());
}

#[test]
fn properties_are_the_union_and_required_only_where_every_release_requires_them() {
    let old = json!({"type": "object", "required": ["id"], "properties": {"id": {"type": "integer"},
        "state": {"type": "string", "enum": ["a", "b"]}}});
    let new = json!({"type": "object", "required": ["id", "debug"], "properties": {"id": {"type": "integer"},
        "debug": {"type": "boolean"}, "state": {"type": "string", "enum": ["b", "c"], "nullable": true}}});
    let merged = merge(
        &fleet(),
        vec![
            ("srv-1".into(), doc(json!({}), json!({"run": old}))),
            ("srv-2".into(), doc(json!({}), json!({"run": new.clone()}))),
            ("cloud".into(), doc(json!({}), json!({"run": new}))),
        ],
    )
    .unwrap();
    let run = &merged.value["components"]["schemas"]["run"];
    assert_eq!(run["required"], json!(["id"]));
    assert_eq!(run[PROPERTY_AVAILABILITY], json!({"debug": ["srv-2", "cloud"]}));
    // The primary's order first, then what only older releases have.
    let names: Vec<&String> = run["properties"].as_object().unwrap().keys().collect();
    assert_eq!(names, ["id", "debug", "state"]);
    assert_eq!(run["properties"]["state"]["enum"], json!(["b", "c", "a"]));
    assert_eq!(run["properties"]["state"]["nullable"], true);
}

#[test]
fn parameters_are_the_union_by_location_and_name() {
    let op = |params: Value| json!({"/a": {"post": {"operationId": "a/post", "parameters": params, "responses": {"204": {"description": "done"}}}}});
    let owner = json!({"name": "owner", "in": "path", "required": true, "schema": {"type": "string"}});
    let debug = json!({"name": "debug", "in": "query", "required": true, "schema": {"type": "boolean"}});
    let debug_header = json!({"name": "debug", "in": "header", "schema": {"type": "boolean"}});
    let merged = merge(
        &fleet(),
        vec![
            ("srv-1".into(), doc(op(json!([owner, debug_header])), json!({}))),
            ("srv-2".into(), doc(op(json!([owner, debug])), json!({}))),
            ("cloud".into(), doc(op(json!([owner, debug])), json!({}))),
        ],
    )
    .unwrap();
    let operation = &merged.value["paths"]["/a"]["post"];
    let keys: Vec<(&str, &str)> = operation["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["in"].as_str().unwrap(), p["name"].as_str().unwrap()))
        .collect();
    assert_eq!(keys, [("path", "owner"), ("query", "debug"), ("header", "debug")]);
    assert_eq!(
        operation[PARAMETER_AVAILABILITY],
        json!({"query:debug": ["srv-2", "cloud"], "header:debug": ["srv-1"]})
    );
    // Required where every release having it requires it.
    assert_eq!(operation["parameters"][1]["required"], true);
}

#[test]
fn the_primary_wins_a_conflict_and_the_merge_notes_it() {
    let merged = merge(
        &fleet(),
        vec![
            ("srv-1".into(), doc(json!({}), json!({"n": {"type": "string", "description": "old"}}))),
            ("srv-2".into(), doc(json!({}), json!({"n": {"type": "integer", "description": "primary"}}))),
            ("cloud".into(), doc(json!({}), json!({"n": {"type": "number", "description": "newest"}}))),
        ],
    )
    .unwrap();
    assert_eq!(merged.value["components"]["schemas"]["n"], json!({"type": "integer", "description": "primary"}));
    assert_eq!(
        merged.notes,
        ["#/components/schemas/n: type \"integer\" kept; cloud (\"number\"), srv-1 (\"string\") differ"]
    );
}

#[test]
fn the_newest_release_wins_where_the_primary_lacks_the_node() {
    let merged = merge(
        &fleet(),
        vec![
            ("srv-1".into(), doc(json!({}), json!({"n": {"type": "string", "description": "old"}}))),
            ("srv-2".into(), doc(json!({}), json!({}))),
            ("cloud".into(), doc(json!({}), json!({"n": {"type": "string", "description": "newest"}}))),
        ],
    )
    .unwrap();
    assert_eq!(merged.value["components"]["schemas"]["n"]["description"], "newest");
}

#[test]
fn each_release_keeps_its_own_distinct_examples() {
    let with_examples = |example: Value, inline: Value| {
        let mut d = run("/a", json!({"type": "object"}));
        d["/a"]["get"]["responses"]["200"]["content"]["application/json"]["examples"] =
            json!({"default": {"$ref": "#/components/examples/thing"}, "inline": {"value": inline}});
        let mut d = doc(d, json!({}));
        d["components"]["examples"] = json!({"thing": {"value": example}});
        d
    };
    let merged = merge(
        &fleet(),
        vec![
            ("srv-1".into(), with_examples(json!({"id": 1}), json!({"x": 1}))),
            ("srv-2".into(), with_examples(json!({"id": 2}), json!({"x": 1}))),
            ("cloud".into(), with_examples(json!({"id": 2}), json!({"x": 3}))),
        ],
    )
    .unwrap();
    let value = &merged.value;
    assert_eq!(
        value["components"]["examples"],
        json!({"thing": {"value": {"id": 2}}, "thing-srv-1": {"value": {"id": 1}}})
    );
    assert_eq!(
        value["paths"]["/a"]["get"]["responses"]["200"]["content"]["application/json"]["examples"],
        json!({
            "default": {"$ref": "#/components/examples/thing"},
            "inline": {"value": {"x": 1}},
            "inline-cloud": {"value": {"x": 3}},
            "default-srv-1": {"$ref": "#/components/examples/thing-srv-1"},
        })
    );
}

#[test]
fn bad_inputs_are_errors_naming_the_release_and_pointer() {
    let ok = || doc(json!({}), json!({}));
    let error = |releases: Vec<(&str, Value)>| {
        merge(&fleet(), releases.into_iter().map(|(id, d)| (id.to_owned(), d)).collect()).unwrap_err().to_string()
    };
    assert_eq!(error(vec![("srv-1", ok()), ("srv-2", ok())]), "#: release `cloud`: has no description");
    assert_eq!(error(vec![("srv-9", ok())]), "#: release `srv-9`: is not a release of the fleet");
    assert_eq!(error(vec![("srv-1", ok()), ("srv-1", ok())]), "#: release `srv-1`: is given twice");
    let bad = doc(json!({"/a": {"get": {"parameters": {}}}}), json!({}));
    assert_eq!(
        error(vec![("srv-1", ok()), ("srv-2", ok()), ("cloud", bad)]),
        "#/paths/~1a/get/parameters: release `cloud`: is not a list"
    );
    let dangling = doc(json!({"/a": {"get": {"parameters": [{"$ref": "#/components/parameters/x"}]}}}), json!({}));
    assert!(error(vec![("srv-1", dangling), ("srv-2", ok()), ("cloud", ok())])
        .starts_with("#/paths/~1a/get/parameters/0: release `srv-1`: $ref"));
    let mut primary = fleet();
    primary.primary = "none".into();
    let releases = vec![("srv-1".to_owned(), ok()), ("srv-2".to_owned(), ok()), ("cloud".to_owned(), ok())];
    assert!(merge(&primary, releases).is_err());
}

#[test]
fn schemas_nested_past_the_bound_are_an_error_not_a_crash() {
    let mut deep = json!({"type": "string"});
    for _ in 0..MAX_FLOW_DEPTH + 5 {
        deep = json!({"type": "array", "items": deep});
    }
    let message = std::thread::Builder::new()
        .stack_size(64 << 20)
        .spawn(move || {
            let d = doc(json!({}), json!({"deep": deep}));
            let releases =
                vec![("srv-1".to_owned(), d.clone()), ("srv-2".to_owned(), d.clone()), ("cloud".to_owned(), d)];
            merge(&fleet(), releases).unwrap_err().to_string()
        })
        .unwrap()
        .join()
        .unwrap();
    assert!(message.contains("release `srv-2`: schemas nest deeper than"), "{message}");
}

use crate::input::MAX_FLOW_DEPTH;

/// The workspace's three release slices.
fn real_slices() -> (Fleet, Vec<(String, Value)>) {
    let fleet = Fleet {
        primary: "ghes-3.19".into(),
        api_version: Some("2022-11-28".into()),
        release_header: Some("X-GitHub-Enterprise-Version".into()),
        releases: vec![
            release("ghes-3.15", Some("GitHub Enterprise Server"), Some("3.15")),
            release("ghes-3.19", Some("GitHub Enterprise Server"), Some("3.19")),
            Release { id: "api.github.com".into(), name: Some("github.com".into()), ..Release::default() },
        ],
    };
    let releases = fleet
        .releases
        .iter()
        .map(|r| {
            let path = format!("{}/../spec/releases/{}.workflow-runs.yaml", env!("CARGO_MANIFEST_DIR"), r.id);
            let text = std::fs::read_to_string(&path).unwrap();
            (r.id.clone(), crate::parse_text(&text).unwrap())
        })
        .collect();
    (fleet, releases)
}

#[test]
fn the_real_slices_merge_into_a_description_that_generates() {
    let (fleet, releases) = real_slices();
    let merged = merge(&fleet, releases.clone()).unwrap();
    assert_eq!(merge(&fleet, releases.into_iter().rev().collect()).unwrap(), merged, "not deterministic");
    let paths = &merged.value["paths"];
    assert_eq!(
        paths["/repos/{owner}/{repo}/actions/runs/{run_id}/approve"]["post"][AVAILABILITY],
        json!(["api.github.com"])
    );
    assert!(paths["/repos/{owner}/{repo}/actions/runs/{run_id}"]["get"].get(AVAILABILITY).is_none());
    let operations: usize = paths.as_object().unwrap().values().map(|item| item.as_object().unwrap().len()).sum();
    assert_eq!(operations, 19);
    let text = serde_json::to_string(&merged.value).unwrap();
    let overrides = Overrides::parse("").unwrap();
    let options = crate::Options { command: "test".into(), crate_name: "c".into(), ..Default::default() };
    let output = crate::generate_value(crate::parse_text(&text).unwrap(), &overrides, &options).unwrap();
    assert!(output.files["src/generated/actions.rs"].contains("fn approve_workflow_run"));
}

use crate::Overrides;

#[test]
fn a_field_only_newer_releases_send_is_optional_without_an_override_and_says_where() {
    let body = |schema: Value| {
        json!({"/runs/{id}": {"get": {"operationId": "runs/get",
            "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "integer"}}],
            "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": schema}}}}}}})
    };
    let old = json!({"type": "object", "required": ["id"], "properties": {"id": {"type": "integer"}}});
    let new = json!({"type": "object", "required": ["id", "debug"],
        "properties": {"id": {"type": "integer"}, "debug": {"type": "boolean"}}});
    let run = json!({"$ref": "#/components/schemas/run"});
    let merged = merge(
        &fleet(),
        vec![
            ("srv-1".into(), doc(body(run.clone()), json!({"run": old}))),
            ("srv-2".into(), doc(body(run.clone()), json!({"run": new.clone()}))),
            ("cloud".into(), doc(body(run), json!({"run": new}))),
        ],
    )
    .unwrap();
    let text = serde_json::to_string(&merged.value).unwrap();
    let options = crate::Options { command: "test".into(), crate_name: "c".into(), ..Default::default() };
    let output = crate::generate(&text, "", &options).unwrap();
    let types = &output.files["src/generated/types.rs"];
    let debug = types.find("pub debug:").expect("the field is generated");
    assert!(types[debug..].starts_with("pub debug: Option<bool>,"), "{}", &types[debug..debug + 40]);
    assert!(types.contains("pub id: i64,"), "what every release requires stays required");
    assert!(types.contains("/// Available on: Server 2 and later, Cloud."), "{types}");
    let summary = &output.files[crate::PUBLIC_API_FILE];
    assert!(summary.contains("field Run.debug: Option<bool>\n"), "{summary}");
    assert!(summary.contains("available Run.debug: Server 2 and later, Cloud\n"), "{summary}");
    assert!(summary.contains("release Release.Srv1: srv-1 = Server 1\n"), "{summary}");
    let wire = &output.files[crate::WIRE_API_FILE];
    assert!(wire.contains("schema run .debug available: srv-2, cloud\n"), "{wire}");
    let module = &output.files["src/generated/mod.rs"];
    assert!(module.contains("pub enum Release {"), "{module}");
    assert!(module.contains(".for_releases(&RELEASES)"), "{module}");
}

#[test]
fn operations_and_setters_not_every_release_has_say_where_and_check_at_run_time() {
    let op = |params: Value, extra: bool| {
        let mut item = json!({"post": {"operationId": "runs/approve", "parameters": params,
            "responses": {"204": {"description": "done"}}}});
        if extra {
            item["post"]["requestBody"] = json!({"content": {"application/json": {"schema": {"type": "object",
                "properties": {"reason": {"type": "string"}}}}}});
        }
        json!({"/runs/{id}/approve": item})
    };
    let id = json!({"name": "id", "in": "path", "required": true, "schema": {"type": "integer"}});
    let debug = json!({"name": "debug", "in": "query", "schema": {"type": "boolean"}});
    let merged = merge(
        &fleet(),
        vec![
            ("srv-1".into(), doc(json!({}), json!({}))),
            ("srv-2".into(), doc(op(json!([id]), false), json!({}))),
            ("cloud".into(), doc(op(json!([id, debug]), true), json!({}))),
        ],
    )
    .unwrap();
    let text = serde_json::to_string(&merged.value).unwrap();
    let options = crate::Options { command: "test".into(), crate_name: "c".into(), ..Default::default() };
    let output = crate::generate(&text, "", &options).unwrap();
    let runs = &output.files["src/generated/runs.rs"];
    assert!(runs.contains("/// Available on: Server 2 and later, Cloud.\n"), "{runs}");
    assert!(runs.contains("/// Available on: Cloud.\n    pub fn debug("), "{runs}");
    assert!(runs.contains("/// Available on: Cloud.\n    pub fn reason("), "{runs}");
    let compact: String = runs.split_whitespace().collect();
    assert!(
        compact.contains(
            "request.available_on(crate::runtime::Availability{releases:&[1,2],text:\"Server2andlater,Cloud\",});"
        ),
        "{runs}"
    );
    assert!(
        compact
            .contains("ifself.debug.is_some(){request.requires(\"debug\",crate::runtime::Availability{releases:&[2],"),
        "{runs}"
    );
    assert!(compact.contains("ifself.request_body.reason.is_some(){request.requires(\"reason\","), "{runs}");
    let summary = &output.files[crate::PUBLIC_API_FILE];
    assert!(summary.contains("available runs.approve: Server 2 and later, Cloud\n"), "{summary}");
    assert!(summary.contains("available runs.approve.debug: Cloud\n"), "{summary}");
    // The change report of a release that gains the operation everywhere.
    let changes = crate::public_api::compare(
        summary,
        &summary.replace("available runs.approve: Server 2 and later, Cloud\n", ""),
    );
    assert_eq!(changes.len(), 1);
    assert_eq!(
        changes[0].to_string(),
        "additive  - available runs.approve: Server 2 and later, Cloud  (now on every release)"
    );
}
