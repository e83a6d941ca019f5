//! Cutting a large OpenAPI description down to the operations of one subcategory.
//!
//! GitHub's REST description tags every operation with `x-github.subcategory`
//! (`workflow-runs`, `artifacts`, ...). [`slice_subcategory`] keeps the operations of one
//! subcategory and exactly the components they reach through `$ref`, transitively; other
//! paths, unreachable components and webhooks are dropped. Key order always follows the
//! input (`serde_json` is built with `preserve_order`), so the same input gives the same
//! output, and [`to_yaml`] renders it byte for byte the same way every time.
//!
//! Besides `$ref`, two implicit kinds of reference are followed so that the slice stays a
//! valid document: `discriminator.mapping` values (schema names or references) and the
//! names in `security` requirements (entries of `securitySchemes`).

use generator::document::{self, Index, Kind, Node, Problem, Reach, Reference, METHODS};
use serde_json::{Map, Value};
use std::collections::{BTreeSet, HashSet};

/// Top-level keys copied unchanged into a slice.
const COPIED: [&str; 5] = ["openapi", "info", "servers", "externalDocs", "security"];

/// Why a document could not be parsed, sliced or rendered.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SliceError {
    /// The input is not well-formed JSON.
    #[error("invalid JSON document: {0}")]
    Json(serde_json::Error),
    /// The input is not well-formed YAML (or not representable as JSON).
    #[error("invalid YAML document: {0}")]
    Yaml(serde_yaml::Error),
    /// The slice could not be rendered as YAML.
    #[error("cannot render the slice as YAML: {0}")]
    Render(serde_yaml::Error),
    /// Brackets nest too deep for the YAML parser to read the text in reasonable time.
    #[error(
        "invalid YAML document: brackets nest deeper than {} levels at line {line}, column {column}",
        generator::MAX_FLOW_DEPTH
    )]
    TooDeep {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
    },
    /// A node that must be an object is something else.
    #[error("expected an object at {pointer}")]
    NotAnObject {
        /// Where, as a JSON pointer (`#/paths`).
        pointer: String,
    },
    /// No operation carries the requested `x-github.subcategory`.
    #[error("no operation has x-github.subcategory \"{0}\"")]
    UnknownSubcategory(String),
    /// A local reference that points at nothing.
    #[error("dangling $ref \"{reference}\" at {pointer}")]
    DanglingRef {
        /// The reference as written.
        reference: String,
        /// The node holding it, as a JSON pointer.
        pointer: String,
    },
    /// A local reference outside `#/components/<section>/<name>`, which a slice cannot keep.
    #[error("unsupported $ref \"{reference}\" at {pointer}: only references into #/components/<section>/<name> are followed")]
    UnsupportedRef {
        /// The reference as written.
        reference: String,
        /// The node holding it, as a JSON pointer.
        pointer: String,
    },
}

/// Parses a whole description, written in YAML when `is_yaml`, in JSON otherwise.
pub fn parse_document(text: &str, is_yaml: bool) -> Result<Value, SliceError> {
    if is_yaml {
        if let Some((line, column)) = generator::too_deep(text) {
            return Err(SliceError::TooDeep { line, column });
        }
        serde_yaml::from_str(text).map_err(SliceError::Yaml)
    } else {
        serde_json::from_str(text).map_err(SliceError::Json)
    }
}

/// Every operation of a document as `(path, method, operation)`, in document order.
pub fn operations(doc: &Value) -> impl Iterator<Item = (&str, &str, &Value)> {
    entries(doc.get("paths")).flat_map(|(path, item)| {
        let ops = entries(Some(item)).filter(|(key, _)| is_method(key));
        ops.map(move |(method, op)| (path.as_str(), method.as_str(), op))
    })
}

/// The `x-github.subcategory` of an operation, if it has one.
pub fn subcategory_of(operation: &Value) -> Option<&str> {
    operation.get("x-github")?.get("subcategory")?.as_str()
}

/// All subcategories used by the operations of a document (the tests slice every one).
#[cfg(test)]
pub fn subcategories(full: &Value) -> BTreeSet<String> {
    operations(full).filter_map(|(_, _, op)| subcategory_of(op)).map(str::to_owned).collect()
}

/// Keeps the operations whose `x-github.subcategory` is `subcategory`, and exactly what they need.
///
/// The result has `openapi`, `info`, `servers`, `externalDocs` and `security` as given; the
/// `tags` used by kept operations; the path items with at least one kept operation (with
/// their non-operation keys, such as `parameters`); and in `components`, only the entries
/// reachable from those path items, transitively. Order always follows the input.
pub fn slice_subcategory(full: &Value, subcategory: &str) -> Result<Value, SliceError> {
    let root = full.as_object().ok_or_else(|| not_an_object("#"))?;
    let paths = object_at(root.get("paths"), "#/paths")?;
    let components = object_at(root.get("components"), "#/components")?;
    let matches = |value: &Value| subcategory_of(value) == Some(subcategory);

    let mut kept_paths = Map::new();
    let mut used_tags = HashSet::new();
    // Where the walk starts (every kept node of a path item), and the security schemes
    // that requirements name, which are references too.
    let mut starts = Vec::new();
    let mut schemes = Vec::new();
    for (path, item) in paths.into_iter().flatten() {
        let Some(item) = item.as_object() else {
            continue;
        };
        if !item.iter().any(|(key, value)| is_method(key) && matches(value)) {
            continue;
        }
        let mut kept = Map::new();
        for (key, value) in item.iter().filter(|(key, value)| !is_method(key) || matches(value)) {
            let at = document::pointer(["paths", path, key]);
            if is_method(key) {
                used_tags.extend(items(value.get("tags")).filter_map(Value::as_str));
                if let Some(security) = value.get("security") {
                    security_schemes(security, &format!("{at}/security"), &mut schemes);
                }
            }
            starts.push((at, value));
            kept.insert(key.clone(), value.clone());
        }
        kept_paths.insert(path.clone(), Value::Object(kept));
    }
    if kept_paths.is_empty() {
        return Err(SliceError::UnknownSubcategory(subcategory.to_owned()));
    }
    if let Some(security) = root.get("security") {
        security_schemes(security, "#/security", &mut schemes);
    }
    let index = Index::new(full, usize::MAX);
    let reached = index.reach(starts, schemes, Reach::Entries);
    if let Some(problem) = reached.problems.into_iter().next() {
        return Err(match problem {
            Problem::Dangling(r) => SliceError::DanglingRef { reference: r.target, pointer: r.holder },
            Problem::Malformed(r) | Problem::OutsideComponents(r) => {
                SliceError::UnsupportedRef { reference: r.target, pointer: r.holder }
            }
        });
    }

    let mut out = Map::new();
    for (key, value) in root {
        match key.as_str() {
            "tags" => {
                let tags: Vec<Value> = items(Some(value))
                    .filter(|tag| tag.get("name").and_then(Value::as_str).is_some_and(|n| used_tags.contains(n)))
                    .cloned()
                    .collect();
                if !tags.is_empty() {
                    out.insert(key.clone(), Value::Array(tags));
                }
            }
            "paths" => {
                out.insert(key.clone(), Value::Object(std::mem::take(&mut kept_paths)));
            }
            "components" => {
                let components = kept_components(components, &reached.entries);
                if !components.is_empty() {
                    out.insert(key.clone(), Value::Object(components));
                }
            }
            _ if COPIED.contains(&key.as_str()) => {
                out.insert(key.clone(), value.clone());
            }
            _ => {}
        }
    }
    Ok(Value::Object(out))
}

/// Renders a document as YAML under `header`, its first line (see [`Provenance`]).
pub fn to_yaml(doc: &Value, header: &str) -> Result<String, SliceError> {
    let body = serde_yaml::to_string(doc).map_err(SliceError::Render)?;
    Ok(format!("{header}\n{body}"))
}

/// What starts the first line of every slice `cargo xtask spec` writes.
pub const HEADER_START: &str = "# Generated by `cargo xtask spec";

/// Where a slice came from, as its first line records it:
/// ``# Generated by `cargo xtask spec ARGS` from ORIGIN (subcategory NAME); do not edit by hand.``
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Provenance {
    /// The release it is the slice of (`--release`); `None` for the fleet slice.
    pub release: Option<String>,
    /// The full description it was cut from (`--from`), relative to the workspace root,
    /// when the workspace keeps it (the primary's, in `spec/upstream/`).
    pub source: Option<String>,
    /// Where the description came from: the package, its version and the file in it
    /// (`@octokit/openapi 23.0.2, generated/ghes-3.19.json`), or what a fleet slice was
    /// merged from.
    pub origin: String,
    /// The subcategory it holds.
    pub subcategory: String,
}

impl Provenance {
    /// The first line of the slice this provenance describes; `args` are the command's
    /// arguments after `cargo xtask spec` (each with a leading space).
    pub fn header(args: &str, origin: &str, subcategory: &str) -> String {
        format!("{HEADER_START}{args}` from {origin} (subcategory {subcategory}); do not edit by hand.")
    }
}

/// Reads the header [`Provenance::header`] writes, so that tests and tools find the
/// full description a slice came from instead of naming one release themselves.
pub fn provenance(slice: &str) -> Option<Provenance> {
    let first = slice.lines().next()?;
    let (args, rest) = first.strip_prefix(HEADER_START)?.split_once('`')?;
    let rest = rest.strip_prefix(" from ")?.strip_suffix("); do not edit by hand.")?;
    let (origin, subcategory) = rest.rsplit_once(" (subcategory ")?;
    // `--from` is the last argument, so its value may hold spaces.
    let (args, source) = match args.split_once(" --from ") {
        Some((args, source)) => (args, Some(source.to_owned())),
        None => (args, None),
    };
    let release = args.split_once(" --release ").map(|(_, rest)| rest.split(' ').next().unwrap_or_default().to_owned());
    Some(Provenance { release, source, origin: origin.to_owned(), subcategory: subcategory.to_owned() })
}

fn is_method(key: &str) -> bool {
    METHODS.contains(&key)
}

/// The entries of a node that may be missing or not an object.
fn entries(node: Option<&Value>) -> impl Iterator<Item = (&String, &Value)> {
    node.and_then(Value::as_object).into_iter().flatten()
}

/// The items of a node that may be missing or not an array.
fn items(node: Option<&Value>) -> impl Iterator<Item = &Value> {
    node.and_then(Value::as_array).into_iter().flatten()
}

fn not_an_object(pointer: &str) -> SliceError {
    SliceError::NotAnObject { pointer: pointer.to_owned() }
}

/// The object at an optional node; an error when the node exists but is not an object.
fn object_at<'a>(node: Option<&'a Value>, pointer: &str) -> Result<Option<&'a Map<String, Value>>, SliceError> {
    match node {
        None => Ok(None),
        Some(Value::Object(map)) => Ok(Some(map)),
        Some(_) => Err(not_an_object(pointer)),
    }
}

/// The references a list of security requirements makes: one to each scheme it names.
fn security_schemes(requirements: &Value, at: &str, out: &mut Vec<Reference>) {
    for (index, requirement) in items(Some(requirements)).enumerate() {
        for (name, _) in entries(Some(requirement)) {
            let target = document::pointer(["components", "securitySchemes", name]);
            out.push(Reference { target, holder: format!("{at}/{index}"), kind: Kind::One(Node::SecurityScheme) });
        }
    }
}

/// The reached entries of every component section, in document order; empty sections dropped.
fn kept_components(
    components: Option<&Map<String, Value>>,
    reached: &BTreeSet<(String, String)>,
) -> Map<String, Value> {
    components
        .into_iter()
        .flatten()
        .filter_map(|(section, section_entries)| {
            let entries: Map<String, Value> = entries(Some(section_entries))
                .filter(|(name, _)| reached.contains(&(section.clone(), (*name).clone())))
                .map(|(name, entry)| (name.clone(), entry.clone()))
                .collect();
            (!entries.is_empty()).then(|| (section.clone(), Value::Object(entries)))
        })
        .collect()
}

#[cfg(test)]
mod upstream_tests;

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn text_nested_past_the_parsers_limit_is_an_error() {
        // The YAML parser takes quadratic time in the depth of `[`.
        let deep = "[".repeat(100_000);
        for text in [deep.clone(), format!("a:\n  b: {deep}"), format!("{{\"a\": {deep}")] {
            assert!(parse_document(&text, !text.starts_with('{')).is_err());
        }
    }

    fn op(subcategory: &str, tag: &str, extra: Value) -> Value {
        let mut op = json!({"tags": [tag], "x-github": {"category": "actions", "subcategory": subcategory}});
        op.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
        op
    }

    fn names(doc: &Value, section: &str) -> Vec<String> {
        doc["components"][section].as_object().map_or(Vec::new(), |m| m.keys().cloned().collect())
    }

    fn sample() -> Value {
        json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "tags": [{"name": "other"}, {"name": "actions"}, {"name": "unused"}],
            "servers": [{"url": "https://example.com"}],
            "externalDocs": {"url": "https://example.com/docs"},
            "paths": {
                "/repos/{owner}": {
                    "summary": "shared",
                    "parameters": [{"$ref": "#/components/parameters/owner"}],
                    "get": op("runs", "actions", json!({
                        "responses": {"200": {"$ref": "#/components/responses/ok"}}
                    })),
                    "delete": op("other", "other", json!({
                        "responses": {"204": {"$ref": "#/components/responses/gone"}}
                    })),
                },
                "/unrelated": {"get": op("other", "other", json!({}))},
            },
            "x-webhooks": {"ping": {"post": op("runs", "actions", json!({}))}},
            "components": {
                "schemas": {
                    "unused": {"type": "string"},
                    // An example value is data: the `$ref` in it keeps nothing.
                    "leaf": {"type": "integer", "example": {"$ref": "#/components/examples/other"}},
                    "run": {"type": "object", "properties": {"id": {"$ref": "#/components/schemas/leaf"}}},
                    "owner": {"type": "string"},
                },
                "parameters": {"owner": {"name": "owner", "in": "path", "schema": {"$ref": "#/components/schemas/owner"}, "examples": {"o": {"$ref": "#/components/examples/leaf"}}}},
                "responses": {
                    "gone": {"description": "gone"},
                    "ok": {
                        "description": "ok",
                        "headers": {"Link": {"$ref": "#/components/headers/link"}},
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/run"}}},
                    },
                },
                "headers": {"link": {"schema": {"type": "string"}}},
                "examples": {"leaf": {"value": 1}, "other": {"value": 2}},
                "securitySchemes": {"token": {"type": "http", "scheme": "bearer"}},
            }
        })
    }

    #[test]
    fn keeps_exactly_the_closure() {
        let slice = slice_subcategory(&sample(), "runs").unwrap();
        let keys: Vec<_> = slice.as_object().unwrap().keys().cloned().collect();
        assert_eq!(keys, ["openapi", "info", "tags", "servers", "externalDocs", "paths", "components"]);
        assert_eq!(slice["tags"], json!([{"name": "actions"}]));
        // Original order, not discovery order.
        assert_eq!(names(&slice, "schemas"), ["leaf", "run", "owner"]);
        assert_eq!(names(&slice, "parameters"), ["owner"]);
        assert_eq!(names(&slice, "responses"), ["ok"]);
        assert_eq!(names(&slice, "headers"), ["link"]);
        assert_eq!(names(&slice, "examples"), ["leaf"]);
        assert!(slice["components"].get("securitySchemes").is_none());
        assert_eq!(slice["components"]["responses"]["ok"], sample()["components"]["responses"]["ok"]);
    }

    #[test]
    fn keeps_path_level_keys_and_only_matching_operations() {
        let slice = slice_subcategory(&sample(), "runs").unwrap();
        let paths = slice["paths"].as_object().unwrap();
        assert_eq!(paths.keys().collect::<Vec<_>>(), ["/repos/{owner}"]);
        let item = paths["/repos/{owner}"].as_object().unwrap();
        assert_eq!(item.keys().collect::<Vec<_>>(), ["summary", "parameters", "get"]);
        assert_eq!(operations(&slice).count(), 1);
    }

    #[test]
    fn dangling_ref_names_the_holding_node() {
        let doc = json!({
            "openapi": "3.0.3",
            "paths": {"/a": {"get": op("x", "t", json!({"responses": {"200": {"content": {
                "application/json": {"schema": {"$ref": "#/components/schemas/nope"}}
            }}}}))}},
            "components": {"schemas": {}},
        });
        let err = slice_subcategory(&doc, "x").unwrap_err();
        assert_eq!(
            err.to_string(),
            "dangling $ref \"#/components/schemas/nope\" at #/paths/~1a/get/responses/200/content/application~1json/schema"
        );
    }

    #[test]
    fn dangling_ref_inside_a_component() {
        let doc = json!({
            "paths": {"/a": {"get": op("x", "t", json!({"parameters": [{"$ref": "#/components/parameters/p"}]}))}},
            "components": {"parameters": {"p": {"schema": {"$ref": "#/components/schemas/s/properties/missing"}}},
                           "schemas": {"s": {"properties": {}}}},
        });
        let err = slice_subcategory(&doc, "x").unwrap_err();
        assert!(
            matches!(&err, SliceError::DanglingRef { pointer, .. } if pointer == "#/components/parameters/p/schema")
        );
    }

    #[test]
    fn escaped_names_and_deep_refs() {
        let doc = json!({
            "paths": {"/a": {"get": op("x", "t", json!({"responses": {"200": {"content": {"application/json": {
                "schema": {"allOf": [
                    {"$ref": "#/components/schemas/a~1b~0c"},
                    {"$ref": "#/components/schemas/list/items/0"},
                ]}
            }}}}}))}},
            "components": {"schemas": {
                "a/b~c": {"type": "string"},
                "list": {"items": [{"type": "string"}]},
                "a": {"type": "string"},
            }},
        });
        let slice = slice_subcategory(&doc, "x").unwrap();
        assert_eq!(names(&slice, "schemas"), ["a/b~c", "list"]);
        let bad = json!({"paths": {"/a~b": {"get": op("x", "t", json!({"$ref": "#/components/schemas/a~2"}))}},
                         "components": {"schemas": {"a~2": {}}}});
        let err = slice_subcategory(&bad, "x").unwrap_err();
        assert!(matches!(&err, SliceError::UnsupportedRef { pointer, .. } if pointer == "#/paths/~1a~0b/get"));
    }

    #[test]
    fn cycles_terminate() {
        let doc = json!({
            "paths": {"/a": {"get": op("x", "t", json!({"parameters": [{"schema": {"$ref": "#/components/schemas/node"}}]}))}},
            "components": {"schemas": {
                "node": {"properties": {"children": {"items": {"$ref": "#/components/schemas/node"}},
                                        "parent": {"$ref": "#/components/schemas/parent"}}},
                "parent": {"properties": {"node": {"$ref": "#/components/schemas/node"}}},
            }},
        });
        let slice = slice_subcategory(&doc, "x").unwrap();
        assert_eq!(names(&slice, "schemas"), ["node", "parent"]);
    }

    #[test]
    fn follows_discriminator_mappings_and_security_requirements() {
        let doc = json!({
            "security": [{"token": []}],
            "paths": {"/a": {"get": op("x", "t", json!({
                "security": [{"basic": []}],
                "parameters": [{"schema": {"oneOf": [], "discriminator": {"propertyName": "kind", "mapping": {
                    "a": "#/components/schemas/a", "b": "b"
                }}}}]
            }))}},
            "components": {
                "schemas": {"a": {}, "b": {}, "c": {}},
                "securitySchemes": {"token": {"type": "http"}, "basic": {"type": "http"}, "other": {"type": "http"}},
            },
        });
        let slice = slice_subcategory(&doc, "x").unwrap();
        assert_eq!(names(&slice, "schemas"), ["a", "b"]);
        assert_eq!(names(&slice, "securitySchemes"), ["token", "basic"]);
        assert_eq!(slice["security"], doc["security"]);
    }

    #[test]
    fn local_refs_outside_components_are_rejected() {
        let doc = json!({"paths": {"/a": {"get": op("x", "t", json!({"$ref": "#/paths/~1b/get"}))}}});
        let err = slice_subcategory(&doc, "x").unwrap_err();
        assert!(err.to_string().starts_with("unsupported $ref \"#/paths/~1b/get\" at #/paths/~1a/get"), "{err}");
    }

    #[test]
    fn unknown_subcategory_and_malformed_input() {
        let err = slice_subcategory(&sample(), "nope").unwrap_err();
        assert_eq!(err.to_string(), "no operation has x-github.subcategory \"nope\"");
        assert!(matches!(slice_subcategory(&json!([]), "x"), Err(SliceError::NotAnObject { .. })));
        let err = slice_subcategory(&json!({"paths": []}), "x").unwrap_err();
        assert_eq!(err.to_string(), "expected an object at #/paths");
    }

    #[test]
    fn lists_subcategories() {
        assert_eq!(subcategories(&sample()).into_iter().collect::<Vec<_>>(), ["other", "runs"]);
    }

    #[test]
    fn renders_yaml_with_header_and_parses_it_back() {
        let slice = slice_subcategory(&sample(), "runs").unwrap();
        let yaml = to_yaml(&slice, "# header").unwrap();
        let (header, body) = yaml.split_once('\n').unwrap();
        assert_eq!(header, "# header");
        assert!(body.starts_with("openapi: 3.0.3\n"));
        assert_eq!(parse_document(&yaml, true).unwrap(), slice);
        assert_eq!(to_yaml(&slice, "# header").unwrap(), yaml);
    }

    #[test]
    fn parses_both_formats() {
        let yaml = parse_document("paths:\n  /a:\n    get:\n      responses:\n        200: {description: ok}\n", true);
        assert_eq!(yaml.unwrap()["paths"]["/a"]["get"]["responses"]["200"]["description"], "ok");
        assert!(matches!(parse_document("{", false), Err(SliceError::Json(_))));
        assert!(matches!(parse_document("a: [", true), Err(SliceError::Yaml(_))));
    }

    #[test]
    fn provenance_reads_back_what_the_header_says() {
        let origin = "@octokit/openapi 23.0.2, generated/ghes-3.19.json";
        let header = Provenance::header(" --release ghes-3.19 --from spec/upstream/x y.json", origin, "workflow-runs");
        let yaml = to_yaml(&serde_json::json!({"openapi": "3.0.3"}), &header).unwrap();
        let found = provenance(&yaml).unwrap();
        assert_eq!(
            found,
            Provenance {
                release: Some("ghes-3.19".into()),
                source: Some("spec/upstream/x y.json".into()),
                origin: origin.into(),
                subcategory: "workflow-runs".into()
            }
        );
        let fleet = provenance(&Provenance::header("", "spec/releases.yaml (a, b)", "runs")).unwrap();
        assert_eq!((fleet.release, fleet.source, fleet.origin.as_str()), (None, None, "spec/releases.yaml (a, b)"));
        assert_eq!(provenance("openapi: 3.0.3\n"), None);
    }
}
