//! OpenAPI 3.1 read as 3.0: what 3.1 and its JSON Schema 2020-12 add, rewritten in place
//! into the 3.0 shape the rest of the generator reads, so nothing after this stage knows
//! two dialects.
//!
//! Nodes stay where the author wrote them: a keyword is rewritten inside its own schema,
//! and a schema that 3.0 would need somewhere else (a `patternProperties` value, a
//! `prefixItems` member) stays put and is named from there by a `$ref` to its pointer.
//! So every error and warning later still names a pointer of the original document.
//!
//! | 3.1 | 3.0 |
//! | --- | --- |
//! | `type: [T, "null"]` | `type: T`, `nullable: true` |
//! | `type: [T, U]` | `oneOf` of one branch per type, each with the keywords of its type |
//! | `type: "null"` (or `[null]`) | `nullable: true` and no type |
//! | `const: v` | `enum: [v]` (a string becomes a one-value enum) |
//! | `examples: [a, ...]` | `example: a` (lowering names the example `examples/0`) |
//! | `exclusiveMinimum: n` | `minimum: n`, `exclusiveMinimum: true` (same for maximum) |
//! | `oneOf`/`anyOf` of `{const, title, description}` members | `enum` of the values, their docs in [`ENUM_DOCS_MARKER`] |
//! | `$ref` with `description` beside it | `allOf: [{$ref}]` beside the description |
//! | `contentEncoding: base64` / `contentEncoding: binary` or `contentMediaType` | `format: byte` / `format: binary` |
//! | `unevaluatedProperties` | `additionalProperties` |
//! | `patternProperties` | `additionalProperties`, a `$ref` to the pattern's schema |
//! | `prefixItems` | `items`, a union of `$ref`s to the members (or the one member); when no other items may follow, also [`TUPLE_MARKER`] |
//! | `true` / `false` as a schema | `{}` / `{not: {}}` |
//! | `if` / `then` / `else` | left as data, lint `conditional` |
//! | path item `$ref` to `components/pathItems` | a copy of the path item |
//! | no `paths` | `paths: {}` |
//! | `webhooks` | kept (their schemas become types, see `document::Kind`), lint `webhook` |
//! | `jsonSchemaDialect` other than 3.1's | lint `dialect` |
//!
//! The walk keeps its own stack; the depth a description controls is bounded by the
//! parsers' nesting limit, as for every walk of the document.

use super::document::{escape, node_count, resolve, Kind, Node, PointerBuf};
use super::refs::MAX_COPIED_NODES;
use crate::error::{Error, Lint, Warning};
use serde_json::{Map, Value};
use std::borrow::Cow;
use std::collections::BTreeSet;

/// The JSON Schema dialect of OpenAPI 3.1 schemas when `jsonSchemaDialect` does not name one.
pub const DEFAULT_DIALECT: &str = "https://spec.openapis.org/oas/3.1/dialect/base";

/// The marker on an array of fixed items (`prefixItems` with `items: false`, or with
/// `minItems` and `maxItems` its length): the pointer of each item's schema, in order, for
/// lowering to make a tuple of.
pub const TUPLE_MARKER: &str = "x-generator-tuple";

/// The marker on an enumeration that was written as `oneOf` (or `anyOf`) of `const`
/// members: for each value of `enum`, in order, its member's `title` and `description`
/// (a mapping of those two keys, empty when the member had neither), for lowering to
/// document the variants with.
pub const ENUM_DOCS_MARKER: &str = "x-generator-enum-docs";

/// JSON Schema's types.
const JSON_TYPES: [&str; 7] = ["null", "boolean", "object", "array", "number", "integer", "string"];

/// How many `$ref`s to `components/pathItems` a path item may chain before it is refused.
const MAX_PATH_ITEM_HOPS: usize = 64;

/// Whether `version` (the `openapi` field) is one this stage translates: `3.1.x`.
pub fn is_v31(version: &str) -> bool {
    version.strip_prefix("3.1.").is_some_and(|patch| !patch.is_empty() && patch.bytes().all(|b| b.is_ascii_digit()))
}

/// Translates a 3.1 document in place into the 3.0 shape; returns a warning for each
/// construct read with a fallback. A document that is not 3.1 is left alone.
pub fn translate(doc: &mut Value) -> Result<Vec<Warning>, Error> {
    let Some(root) = doc.as_object_mut() else { return Ok(Vec::new()) };
    if !root.get("openapi").and_then(Value::as_str).is_some_and(is_v31) {
        return Ok(Vec::new());
    }
    let mut warnings = Vec::new();
    match root.get("jsonSchemaDialect") {
        None => {}
        Some(Value::String(dialect)) if dialect == DEFAULT_DIALECT => {}
        Some(other) => warnings.push(Warning {
            lint: Lint::Dialect,
            pointer: "#/jsonSchemaDialect".into(),
            message: format!(
                "schemas are read as OpenAPI 3.1's JSON Schema dialect ({DEFAULT_DIALECT}), not {}",
                match other {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                }
            ),
        }),
    }
    root.entry("paths").or_insert_with(|| Value::Object(Map::new()));
    if let Some(Value::Object(webhooks)) = root.get("webhooks") {
        for name in webhooks.keys() {
            warnings.push(Warning {
                lint: Lint::Webhook,
                pointer: format!("#/webhooks/{}", escape(name)),
                message: "a webhook is a request the API sends, not an operation: no call is generated, only the types of its payloads".into(),
            });
        }
    }
    copy_path_items(doc)?;
    translate_schemas(doc, &mut warnings)?;
    Ok(warnings)
}

/// Replaces each path item (under `paths` and `webhooks`) that is a `$ref` to
/// `components/pathItems` by a copy of its target; the copies together add at most
/// `refs::MAX_COPIED_NODES` nodes, as the copies of other references do.
fn copy_path_items(doc: &mut Value) -> Result<(), Error> {
    let library = doc.get("components").and_then(|c| c.get("pathItems")).cloned();
    let mut copied = 0;
    for section in ["paths", "webhooks"] {
        let Some(Value::Object(items)) = doc.get_mut(section) else { continue };
        for (key, item) in items.iter_mut() {
            let at = format!("#/{section}/{}", escape(key));
            let mut chain: Vec<String> = Vec::new();
            while let Some(Value::String(reference)) = item.get("$ref") {
                let Some(name) = reference.strip_prefix("#/components/pathItems/") else { break };
                if chain.contains(reference) {
                    chain.push(reference.clone());
                    return Err(Error::RefCycle { pointer: at, chain: chain.join(" -> ") });
                }
                if chain.len() >= MAX_PATH_ITEM_HOPS {
                    let message = format!("more than {MAX_PATH_ITEM_HOPS} path item `$ref`s in a row");
                    return Err(Error::Invalid { pointer: at, message });
                }
                chain.push(reference.clone());
                let target = super::document::unescape(name);
                let Some(target) = library.as_ref().and_then(|l| l.get(target.as_ref())) else {
                    return Err(Error::DanglingRef { pointer: at, reference: reference.clone() });
                };
                copied += node_count(target, MAX_COPIED_NODES);
                if copied > MAX_COPIED_NODES {
                    let message = format!("copying the path items that `$ref`s name would add more than {MAX_COPIED_NODES} nodes; refusing to grow the document further");
                    return Err(Error::Invalid { pointer: at, message });
                }
                *item = target.clone();
            }
        }
    }
    Ok(())
}

/// The places 3.1 adds below a schema that hold schemas, and stay where they are.
fn schema_child(key: &str) -> Option<Kind> {
    match key {
        "$defs" | "patternProperties" | "dependentSchemas" => Some(Kind::Map(Node::Schema)),
        "prefixItems" => Some(Kind::List(Node::Schema)),
        "unevaluatedProperties" | "unevaluatedItems" | "contains" | "propertyNames" | "if" | "then" | "else" => {
            Some(Kind::One(Node::Schema))
        }
        _ => None,
    }
}

/// Walks every schema of the document (from the root, through the 3.1 places too) and
/// rewrites each with [`schema`].
fn translate_schemas(doc: &mut Value, warnings: &mut Vec<Warning>) -> Result<(), Error> {
    let targets = resolving_references(doc);
    let mut pointer = PointerBuf::new("#");
    let mut stack: Vec<(&mut Value, usize, Cow<'_, str>, Kind)> = vec![(doc, 0, Cow::Borrowed(""), Kind::DOCUMENT)];
    while let Some((node, depth, token, kind)) = stack.pop() {
        pointer.enter(depth, &token);
        if kind == Kind::One(Node::Schema) {
            if let Value::Bool(b) = node {
                *node = boolean_schema(*b);
            }
        }
        check_shape(node, kind, pointer.as_str())?;
        match node {
            Value::Object(map) => {
                if kind.reference(map).is_some() && !(kind == Kind::One(Node::Schema) && map.len() > 1) {
                    continue;
                }
                if kind == Kind::One(Node::Schema) {
                    schema(map, pointer.as_str(), &targets, warnings)?;
                    if map.contains_key("$ref") {
                        continue;
                    }
                }
                let start = stack.len();
                for (key, child) in map.iter_mut() {
                    let child_kind = kind.child(key).or_else(|| match kind {
                        Kind::One(Node::Schema) => schema_child(key),
                        _ => None,
                    });
                    let Some(child_kind) = child_kind else { continue };
                    // A scalar where a schema belongs is taken, to be checked (a boolean is a
                    // schema; `additionalProperties: true` is 3.0's own word and stays).
                    let scalar_schema = child_kind == Kind::One(Node::Schema)
                        && !(child.is_boolean()
                            && matches!(key.as_str(), "additionalProperties" | "unevaluatedProperties"));
                    if matches!(child, Value::Object(_) | Value::Array(_)) || scalar_schema {
                        stack.push((child, depth + 1, escape(key), child_kind));
                    }
                }
                stack[start..].reverse();
            }
            Value::Array(items) => {
                let Some(item) = kind.item() else { continue };
                let start = stack.len();
                for (i, child) in items.iter_mut().enumerate() {
                    if matches!(child, Value::Object(_) | Value::Array(_)) || item == Kind::One(Node::Schema) {
                        stack.push((child, depth + 1, Cow::Owned(i.to_string()), item));
                    }
                }
                stack[start..].reverse();
            }
            _ => {}
        }
    }
    Ok(())
}

/// Refuses, where it is written, a schema that is neither a mapping nor a boolean, and a
/// place of schemas (`prefixItems`, `$defs`) of the wrong shape: 3.0's reader would name
/// only the component around it, or the node a translation made.
fn check_shape(node: &Value, kind: Kind, at: &str) -> Result<(), Error> {
    let problem = match (kind, node) {
        (Kind::One(Node::Schema), Value::Object(_) | Value::Bool(_))
        | (Kind::Map(Node::Schema), Value::Object(_))
        | (Kind::List(Node::Schema), Value::Array(_)) => return Ok(()),
        (Kind::One(Node::Schema), other) => format!("a schema is a mapping or a boolean, not {}", json_kind(other)),
        (Kind::Map(Node::Schema), other) => format!("expected a mapping of names to schemas, not {}", json_kind(other)),
        (Kind::List(Node::Schema), other) => format!("expected a list of schemas, not {}", json_kind(other)),
        (_, _) => return Ok(()),
    };
    Err(Error::Invalid { pointer: at.to_owned(), message: problem })
}

/// What kind of JSON value `value` is, for messages.
fn json_kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "a mapping",
    }
}

/// Every local `$ref` value in the document that names a node of it, looked up before the
/// walk changes anything (only whether a target exists matters).
fn resolving_references(doc: &Value) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut todo = vec![doc];
    while let Some(node) = todo.pop() {
        match node {
            Value::Object(map) => {
                if let Some(Value::String(reference)) = map.get("$ref") {
                    if reference.starts_with('#') && !out.contains(reference) && resolve(doc, reference).is_some() {
                        out.insert(reference.clone());
                    }
                }
                todo.extend(map.values());
            }
            Value::Array(items) => todo.extend(items),
            _ => {}
        }
    }
    out
}

/// `true` (anything) and `false` (nothing) as 3.0 schemas.
fn boolean_schema(accepts: bool) -> Value {
    let mut map = Map::new();
    if !accepts {
        map.insert("not".into(), Value::Object(Map::new()));
    }
    Value::Object(map)
}

/// Rewrites one schema object (at pointer `at`) into 3.0's words.
fn schema(
    map: &mut Map<String, Value>,
    at: &str,
    targets: &BTreeSet<String>,
    warnings: &mut Vec<Warning>,
) -> Result<(), Error> {
    reference_with_siblings(map, targets);
    if map.contains_key("$ref") {
        return Ok(());
    }
    const_enum(map, at, targets);
    if let Some(value) = map.remove("const") {
        if !map.contains_key("enum") {
            if !map.contains_key("type") {
                let typ = match &value {
                    Value::String(_) => Some("string"),
                    Value::Bool(_) => Some("boolean"),
                    Value::Number(n) if n.is_i64() || n.is_u64() => Some("integer"),
                    Value::Number(_) => Some("number"),
                    Value::Null => Some("null"),
                    Value::Array(_) | Value::Object(_) => None,
                };
                if let Some(typ) = typ {
                    map.insert("type".into(), Value::String(typ.into()));
                }
            }
            map.insert("enum".into(), Value::Array(vec![value]));
        }
    }
    types(map, at)?;
    // The list stays: lowering names the first value where it is written.
    if let Some(Value::Array(examples)) = map.get("examples") {
        if !map.contains_key("example") {
            if let Some(first) = examples.first().cloned() {
                map.insert("example".into(), first);
            }
        }
    }
    for (bound, exclusive, stricter) in [
        ("minimum", "exclusiveMinimum", (|new: f64, old: f64| new >= old) as fn(f64, f64) -> bool),
        ("maximum", "exclusiveMaximum", |new, old| new <= old),
    ] {
        let limit = match map.get(exclusive) {
            Some(Value::Number(limit)) => limit,
            None | Some(Value::Bool(_)) => continue,
            Some(other) => {
                return Err(Error::Invalid {
                    pointer: format!("{at}/{exclusive}"),
                    message: format!("`{exclusive}` is a number, not {}", json_kind(other)),
                })
            }
        };
        let limit = limit.clone();
        let old = map.get(bound).and_then(Value::as_f64);
        match (limit.as_f64(), old) {
            (Some(new), Some(old)) if !stricter(new, old) => {
                map.remove(exclusive);
            }
            _ => {
                map.insert(bound.into(), Value::Number(limit));
                map.insert(exclusive.into(), Value::Bool(true));
            }
        }
    }
    content(map);
    match map.get("unevaluatedProperties") {
        Some(Value::Bool(closed)) if !map.contains_key("additionalProperties") => {
            let closed = Value::Bool(*closed);
            map.insert("additionalProperties".into(), closed);
            map.remove("unevaluatedProperties");
        }
        // A schema stays where it is written, named by the `$ref`.
        Some(Value::Object(_)) if !map.contains_key("additionalProperties") => {
            map.insert("additionalProperties".into(), pointer_ref(&format!("{at}/unevaluatedProperties")));
        }
        _ => {}
    }
    pattern_properties(map, at);
    prefix_items(map, at);
    if let Some(Value::Bool(accepts)) = map.get("items") {
        // `items: false` closes a tuple; `items: true` is any item.
        if !accepts || map.contains_key("prefixItems") {
            map.remove("items");
        } else {
            map.insert("items".into(), Value::Object(Map::new()));
        }
    }
    if map.contains_key("if") {
        warnings.push(Warning {
            lint: Lint::Conditional,
            pointer: format!("{at}/if"),
            message: "`if`/`then`/`else` has no Rust type; the value is typed by the rest of the schema and the condition is not checked".into(),
        });
    }
    Ok(())
}

/// A `$ref` beside other keywords: 3.0 ignores the siblings, 3.1 applies both. The
/// reference moves into a one-member `allOf`, the siblings (a description, `nullable`)
/// stay. Only a reference that resolves moves: one that does not is reported where it is.
fn reference_with_siblings(map: &mut Map<String, Value>, targets: &BTreeSet<String>) {
    let Some(Value::String(reference)) = map.get("$ref") else { return };
    if map.len() == 1 || !targets.contains(reference) {
        return;
    }
    // Keywords that only annotate change nothing 3.0 reads but the docs.
    let Some(reference) = map.remove("$ref") else { return };
    let member = Value::Object(Map::from_iter([("$ref".to_owned(), reference)]));
    match map.get_mut("allOf") {
        Some(Value::Array(members)) => members.insert(0, member),
        _ => {
            map.insert("allOf".into(), Value::Array(vec![member]));
        }
    }
}

/// `oneOf` (or `anyOf`) whose members are each a `const` of one type, string or integer,
/// with at most a `title`, a `description` and that `type` beside it: JSON Schema's way to
/// write an enumeration with a name and docs for each value. Read as written, it would be
/// a union of one-value enums, each keeping unknown values, so its first variant would
/// take every value. It becomes 3.0's `enum` of the values, the members' docs in
/// [`ENUM_DOCS_MARKER`]. Members that a `$ref` names stay a union, so no reference dangles.
fn const_enum(map: &mut Map<String, Value>, at: &str, targets: &BTreeSet<String>) {
    if ["enum", "const", "allOf", "not"].iter().any(|k| map.contains_key(*k))
        || (map.contains_key("oneOf") && map.contains_key("anyOf"))
    {
        return;
    }
    let Some(keyword) = ["oneOf", "anyOf"].into_iter().find(|k| map.contains_key(*k)) else { return };
    let Some(Value::Array(members)) = map.get(keyword) else { return };
    let mut typ = None;
    let mut values = Vec::with_capacity(members.len());
    let mut docs = Vec::with_capacity(members.len());
    for member in members {
        let Some(member) = member.as_object() else { return };
        let member_type = match member.get("const") {
            Some(Value::String(_)) => "string",
            Some(Value::Number(n)) if n.is_i64() || n.is_u64() => "integer",
            _ => return,
        };
        if typ.is_some_and(|t| t != member_type) {
            return;
        }
        typ = Some(member_type);
        let mut doc = Map::new();
        for (key, value) in member {
            match (key.as_str(), value) {
                ("const", value) => values.push(value.clone()),
                ("type", Value::String(t)) if t == member_type => {}
                ("title" | "description", Value::String(_)) => {
                    doc.insert(key.clone(), value.clone());
                }
                _ => return,
            }
        }
        docs.push(Value::Object(doc));
    }
    let Some(typ) = typ else { return };
    let fits = match map.get("type") {
        None => true,
        Some(Value::String(t)) => t == typ,
        Some(Value::Array(list)) => list.iter().any(|t| t.as_str() == Some(typ)),
        Some(_) => false,
    };
    let members_at = format!("{at}/{keyword}");
    let named = targets.contains(&members_at)
        || targets.range(format!("{members_at}/")..).next().is_some_and(|t| t.starts_with(&format!("{members_at}/")));
    if !fits || named {
        return;
    }
    map.remove(keyword);
    map.insert("enum".into(), Value::Array(values));
    map.insert(ENUM_DOCS_MARKER.into(), Value::Array(docs));
    map.entry("type").or_insert_with(|| Value::String(typ.into()));
}

/// A schema that names another by pointer: how a node stays where it is written.
fn pointer_ref(at: &str) -> Value {
    Value::Object(Map::from_iter([("$ref".to_owned(), Value::String(at.to_owned()))]))
}

/// `type` as a list: one non-null type is that type (nullable when `null` is listed);
/// several are a `oneOf` of one branch each.
fn types(map: &mut Map<String, Value>, at: &str) -> Result<(), Error> {
    let list = match map.get("type") {
        None => return Ok(()),
        Some(Value::String(name)) if name == "null" => {
            map.remove("type");
            map.insert("nullable".into(), Value::Bool(true));
            return Ok(());
        }
        Some(Value::String(_)) => return Ok(()),
        Some(Value::Array(list)) => list,
        Some(other) => {
            return Err(Error::Invalid {
                pointer: format!("{at}/type"),
                message: format!("a type is a string or a list of strings, not {}", json_kind(other)),
            })
        }
    };
    let mut names: Vec<String> = Vec::new();
    for (i, item) in list.iter().enumerate() {
        match item {
            Value::String(name) => {
                // JSON Schema's seven types, and the first name that is none of them (read
                // as 3.0 reads an unknown type): at most eight, however long the list.
                let known = JSON_TYPES.contains(&name.as_str());
                if !names.contains(name) && (known || names.iter().all(|n| JSON_TYPES.contains(&n.as_str()))) {
                    names.push(name.clone());
                }
            }
            other => {
                return Err(Error::Invalid {
                    pointer: format!("{at}/type/{i}"),
                    message: format!("a type is a string, not {}", json_kind(other)),
                })
            }
        }
    }
    let nullable = names.iter().any(|n| n == "null");
    names.retain(|n| n != "null");
    // An integer is a number: listing both is a number.
    if names.iter().any(|n| n == "number") {
        names.retain(|n| n != "integer");
    }
    if nullable {
        map.insert("nullable".into(), Value::Bool(true));
    }
    match names.as_slice() {
        [] if nullable => {
            // `null` alone: 3.0's word is a schema that says only `nullable`.
            map.remove("type");
        }
        [] => {
            map.remove("type");
        }
        [one] => {
            map.insert("type".into(), Value::String(one.clone()));
        }
        _ => {
            map.remove("type");
            let Some(keyword) = ["oneOf", "anyOf"].into_iter().find(|k| !map.contains_key(*k)) else {
                // Both are taken: their members say the types.
                return Ok(());
            };
            let branches = names.iter().map(|name| Value::Object(branch(map, name))).collect();
            for name in &names {
                for keyword in type_keywords(name) {
                    map.remove(*keyword);
                }
            }
            map.remove("enum");
            map.insert(keyword.into(), Value::Array(branches));
        }
    }
    Ok(())
}

/// The branch of a multi-type schema for one type: the type and the keywords that apply
/// to it, copied from (and, for `enum`, filtered from) the schema, which then drops them.
fn branch(map: &Map<String, Value>, name: &str) -> Map<String, Value> {
    let mut out = Map::new();
    out.insert("type".into(), Value::String(name.to_owned()));
    for keyword in type_keywords(name) {
        if let Some(value) = map.get(*keyword) {
            out.insert((*keyword).to_owned(), value.clone());
        }
    }
    if let Some(Value::Array(values)) = map.get("enum") {
        let fits = |v: &Value| match (name, v) {
            ("string", Value::String(_)) | ("boolean", Value::Bool(_)) => true,
            ("integer", Value::Number(n)) => n.is_i64() || n.is_u64(),
            ("number", Value::Number(_)) => true,
            ("array", Value::Array(_)) | ("object", Value::Object(_)) => true,
            _ => false,
        };
        let values: Vec<Value> = values.iter().filter(|v| fits(v)).cloned().collect();
        if !values.is_empty() {
            out.insert("enum".into(), Value::Array(values));
        }
    }
    out
}

/// The keywords that apply to values of one type.
fn type_keywords(name: &str) -> &'static [&'static str] {
    match name {
        "string" => &["format", "pattern", "minLength", "maxLength", "contentEncoding", "contentMediaType"],
        "integer" | "number" => &["format", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"],
        "array" => &["items", "prefixItems", "minItems", "maxItems", "uniqueItems"],
        "object" => &[
            "properties",
            "required",
            "additionalProperties",
            "patternProperties",
            "unevaluatedProperties",
            "minProperties",
            "maxProperties",
        ],
        _ => &[],
    }
}

/// `contentEncoding: base64` is 3.0's `format: byte`; `contentEncoding: binary` (raw
/// bytes, as RFC 2045 names them) and other content (`contentMediaType` alone, not JSON or
/// text) are `format: binary`.
fn content(map: &mut Map<String, Value>) {
    let encoding = map.remove("contentEncoding");
    let media = map.remove("contentMediaType");
    if map.contains_key("format") {
        return;
    }
    let format = match (encoding.as_ref().and_then(Value::as_str), media.as_ref().and_then(Value::as_str)) {
        (Some("base64" | "base64url"), _) => "byte",
        (Some("binary"), _) => "binary",
        (None, Some(media)) if !is_text(media) => "binary",
        _ => return,
    };
    map.insert("format".into(), Value::String(format.into()));
    if !map.contains_key("type") {
        map.insert("type".into(), Value::String("string".into()));
    }
}

/// Whether a media type's content is text that a `String` holds as it is.
fn is_text(media: &str) -> bool {
    let media = media.split(';').next().unwrap_or(media).trim().to_ascii_lowercase();
    media.starts_with("text/") || media.ends_with("json") || media.ends_with("+xml") || media == "application/xml"
}

/// `patternProperties`: the values of keys matching a pattern. Where nothing else says
/// what other keys hold, the map's values are the pattern's schema (a union of them for
/// several patterns); the schemas stay where they are written.
fn pattern_properties(map: &mut Map<String, Value>, at: &str) {
    let Some(Value::Object(patterns)) = map.get("patternProperties") else { return };
    if patterns.is_empty() || matches!(map.get("additionalProperties"), Some(Value::Object(_))) {
        return;
    }
    let refs: Vec<Value> =
        patterns.keys().map(|p| pointer_ref(&format!("{at}/patternProperties/{}", escape(p)))).collect();
    let values = match <[Value; 1]>::try_from(refs) {
        Ok([one]) => one,
        Err(refs) => Value::Object(Map::from_iter([("anyOf".to_owned(), Value::Array(refs))])),
    };
    map.insert("additionalProperties".into(), values);
    if !map.contains_key("type") {
        map.insert("type".into(), Value::String("object".into()));
    }
}

/// `prefixItems`: an array whose first items have fixed schemas. Without a tuple in 3.0,
/// the items are the one member's schema when all are the same, or a union of them.
fn prefix_items(map: &mut Map<String, Value>, at: &str) {
    let Some(Value::Array(members)) = map.get("prefixItems") else { return };
    if members.is_empty() {
        return;
    }
    // Equal members share one schema (`[number, number]` is a list of numbers); beyond a
    // few members (more than a tuple holds) they are not compared, so the cost stays linear.
    let compare = members.len() <= 16;
    let mut distinct: Vec<&Value> = Vec::new();
    let mut refs: Vec<Value> = Vec::new();
    // Each member's schema, by the pointer of the first member equal to it.
    let mut tuple: Vec<Value> = Vec::new();
    for (i, member) in members.iter().enumerate() {
        let first = if compare { members.iter().position(|m| m == member).unwrap_or(i) } else { i };
        tuple.push(Value::String(format!("{at}/prefixItems/{first}")));
        if first == i {
            distinct.push(member);
            refs.push(pointer_ref(&format!("{at}/prefixItems/{i}")));
        }
    }
    // Exactly these items: a tuple, where lowering can type each one.
    let length = Some(members.len() as u64);
    let closed = matches!(map.get("items"), Some(Value::Bool(false)))
        || (map.get("minItems").and_then(Value::as_u64) == length
            && map.get("maxItems").and_then(Value::as_u64) == length);
    let rest = map.get("items").filter(|items| items.is_object() && !distinct.contains(items)).cloned();
    if closed {
        map.insert(TUPLE_MARKER.into(), Value::Array(tuple));
    }
    if let Some(items) = rest {
        // The items after the fixed ones: `items` itself is replaced below, so its schema
        // joins the union as a copy.
        refs.push(items);
    }
    let items = match <[Value; 1]>::try_from(refs) {
        Ok([one]) => one,
        Err(refs) => Value::Object(Map::from_iter([("anyOf".to_owned(), Value::Array(refs))])),
    };
    map.insert("items".into(), items);
    if !map.contains_key("type") {
        map.insert("type".into(), Value::String("array".into()));
    }
}
