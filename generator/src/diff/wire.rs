//! What a description says goes over the wire, as sorted lines: the request each
//! operation accepts and the responses it may answer with, down to every constraint of
//! every schema, so that two descriptions compare line by line (`judge`).
//!
//! It is read from the checked document of the input stage (the JSON value: parameters,
//! bodies and responses referenced by pointer are already copied in place), not from the
//! IR, which keeps only what the generated code needs and none of the constraints a
//! server enforces. A line is `KEY` or `KEY: VALUE`; names in keys have their spaces and
//! control characters escaped, so `: ` always ends the key.
//!
//! | key | value |
//! | --- | --- |
//! | `operation OP` (`OP` is `METHOD /path`) | |
//! | `security OP` | the schemes a request may use, `a + b | c`, `none` when anonymous |
//! | `scheme NAME` | how a security scheme sends its credential |
//! | `param OP IN NAME` | `required` or `optional` |
//! | `param OP IN NAME style` | the serialization: `form, explode` |
//! | `request OP` | `required` or `optional` (the body) |
//! | `request OP MEDIA` | |
//! | `response OP STATUS` | |
//! | `response OP STATUS MEDIA` | |
//! | `response OP STATUS header NAME` | `required` or `optional` |
//! | `schema NAME` | a component schema |
//!
//! and under each of `param OP IN NAME`, `request OP MEDIA`, `response OP STATUS MEDIA`,
//! `response OP STATUS header NAME` and `schema NAME` (the base `B`), the schema: its root
//! at `P` = `B`, each node inside at `P` = `B PATH`, where `PATH` starts with `.`, `[` or
//! `#` (`.owner.login`, `.labels[]`, `#1`), so a key's words are the base's, then the
//! path, then what the line says of the node:
//!
//! | key | value |
//! | --- | --- |
//! | `P type` | `string`, `integer int32`, ..., with `, nullable` |
//! | `P ref` | the component schema a `$ref` names (not followed: it has lines of its own) |
//! | `P maxLength`, `P minimum`, `P pattern`... | the constraint |
//! | `P enum VALUE` | one line per value, as JSON |
//! | `P readOnly`, `P writeOnly` | |
//! | `P oneOf VARIANT`, `P anyOf ...`, `P allOf ...` | a variant that is a `$ref`, or `#N` for an inline one, then walked at `B PATH#N` |
//! | `P discriminator` | the property name |
//! | `P mapping VALUE` | the schema it maps to |
//! | `B PATH.FIELD` | `required` or `optional`, the field then walked there |
//! | `B PATH[]`, `B PATH.*` | the items of an array, the values of a map |
//!
//! In a description merged from several releases (`generator::fleet`), what not every
//! release has says which do: `operation OP available`, `param OP IN NAME available` and
//! `B PATH.FIELD available`, each with the release ids, `a, b`.

use crate::input::document::{unescape, AVAILABILITY, PARAMETER_AVAILABILITY, PROPERTY_AVAILABILITY};
use serde_json::{Map, Value};
use std::fmt::Write as _;

/// How deep schemas are walked inline; deeper ones end in a `P deeper` line. Descriptions
/// nest far less, and the input stage bounds the document's depth anyway.
const MAX_DEPTH: usize = 48;

/// The methods an OpenAPI path item may hold, in their order.
const METHODS: &[&str] = &["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/// The constraints a server checks, by their OpenAPI names.
pub const CONSTRAINTS: &[&str] = &[
    "maxLength",
    "minLength",
    "pattern",
    "maximum",
    "minimum",
    "exclusiveMaximum",
    "exclusiveMinimum",
    "multipleOf",
    "maxItems",
    "minItems",
    "uniqueItems",
    "maxProperties",
    "minProperties",
];

/// The wire summary of `doc` (the input stage's checked value), sorted, under a header
/// naming `command`.
pub fn summarize(doc: &Value, command: &str) -> String {
    let mut lines = Vec::new();
    let global = doc.get("security");
    if let Some(paths) = doc.get("paths").and_then(Value::as_object) {
        for (path, item) in paths {
            let shared = item.get("parameters").and_then(Value::as_array);
            for method in METHODS {
                if let Some(op) = item.get(*method) {
                    operation(
                        &mut lines,
                        &format!("{} {}", method.to_ascii_uppercase(), name(path)),
                        op,
                        shared,
                        global,
                    );
                }
            }
        }
    }
    if let Some(schemes) = doc.pointer("/components/securitySchemes").and_then(Value::as_object) {
        for (key, scheme) in schemes {
            lines.push(format!("scheme {}: {}", name(key), scheme_kind(scheme)));
        }
    }
    if let Some(schemas) = doc.pointer("/components/schemas").and_then(Value::as_object) {
        for (key, schema) in schemas {
            let base = format!("schema {}", name(key));
            lines.push(base.clone());
            walk(&mut lines, &base, "", schema, 0);
        }
    }
    lines.sort();
    lines.dedup();
    let mut out = format!(
        "# @generated by `{command}`. Do not edit by hand.\n\
         # What the description says goes over the wire, one fact a line: the next\n\
         # generation compares it to tell changes of behavior from additions.\n"
    );
    for line in lines {
        out.push_str(&line);
        out.push('\n');
    }
    out
}

fn operation(lines: &mut Vec<String>, op_key: &str, op: &Value, shared: Option<&Vec<Value>>, global: Option<&Value>) {
    lines.push(format!("operation {op_key}"));
    if let Some(releases) = op.get(AVAILABILITY) {
        lines.push(format!("operation {op_key} available: {}", ids(releases)));
    }
    let security = op.get("security").or(global);
    lines.push(format!("security {op_key}: {}", requirements(security)));
    // The operation's own parameters replace the path item's of the same name and place.
    let own = op.get("parameters").and_then(Value::as_array);
    let mut params: Vec<&Value> = own.into_iter().flatten().collect();
    for p in shared.into_iter().flatten() {
        let same = |q: &&Value| q.get("name") == p.get("name") && q.get("in") == p.get("in");
        if !params.iter().any(same) {
            params.push(p);
        }
    }
    for p in params {
        let (Some(place), Some(pname)) = (p.get("in").and_then(Value::as_str), p.get("name").and_then(Value::as_str))
        else {
            continue;
        };
        let prefix = format!("param {op_key} {place} {}", name(pname));
        let required = place == "path" || p.get("required").and_then(Value::as_bool).unwrap_or(false);
        lines.push(format!("{prefix}: {}", presence(required)));
        if let Some(releases) = op.get(PARAMETER_AVAILABILITY).and_then(|a| a.get(format!("{place}:{pname}"))) {
            lines.push(format!("{prefix} available: {}", ids(releases)));
        }
        let default_style = if matches!(place, "query" | "cookie") { "form" } else { "simple" };
        let style = p.get("style").and_then(Value::as_str).unwrap_or(default_style);
        let explode = p.get("explode").and_then(Value::as_bool).unwrap_or(style == "form");
        let deep =
            if p.get("allowReserved").and_then(Value::as_bool).unwrap_or(false) { ", allowReserved" } else { "" };
        lines.push(format!("{prefix} style: {}{}{deep}", name(style), if explode { ", explode" } else { "" }));
        if let Some(schema) = p.get("schema") {
            walk(lines, &prefix, "", schema, 0);
        }
        content(lines, &prefix, p.get("content"));
    }
    if let Some(body) = op.get("requestBody") {
        let prefix = format!("request {op_key}");
        lines.push(format!("{prefix}: {}", presence(body.get("required").and_then(Value::as_bool).unwrap_or(false))));
        content(lines, &prefix, body.get("content"));
    }
    if let Some(responses) = op.get("responses").and_then(Value::as_object) {
        for (status, response) in responses {
            let prefix = format!("response {op_key} {}", name(status));
            lines.push(prefix.clone());
            content(lines, &prefix, response.get("content"));
            for (hname, header) in response.get("headers").and_then(Value::as_object).into_iter().flatten() {
                let hprefix = format!("{prefix} header {}", name(&hname.to_ascii_lowercase()));
                lines.push(format!(
                    "{hprefix}: {}",
                    presence(header.get("required").and_then(Value::as_bool).unwrap_or(false))
                ));
                if let Some(schema) = header.get("schema") {
                    walk(lines, &hprefix, "", schema, 0);
                }
            }
        }
    }
}

/// One line per media type of a `content` map, and its schema below it.
fn content(lines: &mut Vec<String>, prefix: &str, content: Option<&Value>) {
    for (media, item) in content.and_then(Value::as_object).into_iter().flatten() {
        let mprefix = format!("{prefix} {}", name(&media.to_ascii_lowercase()));
        lines.push(mprefix.clone());
        if let Some(schema) = item.get("schema") {
            walk(lines, &mprefix, "", schema, 0);
        }
    }
}

/// A security requirement list as `a + b | c`; `none` for an empty requirement.
fn requirements(security: Option<&Value>) -> String {
    let Some(list) = security.and_then(Value::as_array) else { return "none".into() };
    if list.is_empty() {
        return "none".into();
    }
    let mut alternatives: Vec<String> = list
        .iter()
        .map(|req| {
            let mut names: Vec<String> = req
                .as_object()
                .into_iter()
                .flatten()
                .map(|(k, scopes)| {
                    let scopes: Vec<&str> = scopes.as_array().into_iter().flatten().filter_map(Value::as_str).collect();
                    if scopes.is_empty() {
                        name(k)
                    } else {
                        format!("{}({})", name(k), name(&scopes.join(",")))
                    }
                })
                .collect();
            names.sort();
            if names.is_empty() {
                "none".to_owned()
            } else {
                names.join(" + ")
            }
        })
        .collect();
    alternatives.sort();
    alternatives.join(" | ")
}

fn scheme_kind(scheme: &Value) -> String {
    let field = |key: &str| scheme.get(key).and_then(Value::as_str).map(name).unwrap_or_default();
    match scheme.get("type").and_then(Value::as_str) {
        Some("http") => format!("http {}", field("scheme").to_ascii_lowercase()),
        Some("apiKey") => format!("apiKey {} {}", field("in"), field("name")),
        Some("oauth2") => {
            let mut flows: Vec<String> =
                scheme.get("flows").and_then(Value::as_object).into_iter().flatten().map(|(k, _)| name(k)).collect();
            flows.sort();
            format!("oauth2 {}", flows.join(", "))
        }
        Some("openIdConnect") => format!("openIdConnect {}", field("openIdConnectUrl")),
        Some(other) => name(other),
        None => "unknown".into(),
    }
}

fn presence(required: bool) -> &'static str {
    if required {
        "required"
    } else {
        "optional"
    }
}

/// The key of the node at `path` below `base`: `base` alone for the root, else
/// `base PATH` (`schema Pet .tags[]`).
fn at(base: &str, path: &str) -> String {
    if path.is_empty() {
        base.to_owned()
    } else {
        format!("{base} {path}")
    }
}

/// The lines of one schema node at `path` below `base`.
fn walk(lines: &mut Vec<String>, base: &str, path: &str, schema: &Value, depth: usize) {
    let Some(node) = schema.as_object() else { return };
    let prefix = at(base, path);
    if depth > MAX_DEPTH {
        lines.push(format!("{prefix} deeper"));
        return;
    }
    if let Some(reference) = node.get("$ref").and_then(Value::as_str) {
        lines.push(format!("{prefix} ref: {}", target(reference)));
        return;
    }
    let flag = |key: &str| node.get(key).and_then(Value::as_bool).unwrap_or(false);
    let mut ty = node.get("type").and_then(Value::as_str).map(name).unwrap_or_else(|| "any".to_owned());
    if let Some(format) = node.get("format").and_then(Value::as_str) {
        let _ = write!(ty, " {}", name(format));
    }
    if flag("nullable") {
        ty.push_str(", nullable");
    }
    let composed = ["oneOf", "anyOf", "allOf"].iter().any(|k| node.contains_key(*k));
    if node.contains_key("type") || !composed {
        lines.push(format!("{prefix} type: {ty}"));
    } else if flag("nullable") {
        lines.push(format!("{prefix} type: nullable"));
    }
    for key in CONSTRAINTS {
        if let Some(value) = node.get(*key) {
            lines.push(format!("{prefix} {key}: {}", name(&compact(value))));
        }
    }
    for key in ["readOnly", "writeOnly"] {
        if flag(key) {
            lines.push(format!("{prefix} {key}"));
        }
    }
    for value in node.get("enum").and_then(Value::as_array).into_iter().flatten() {
        lines.push(format!("{prefix} enum {}", name(&compact(value))));
    }
    for key in ["oneOf", "anyOf", "allOf"] {
        for (i, member) in node.get(key).and_then(Value::as_array).into_iter().flatten().enumerate() {
            match member.get("$ref").and_then(Value::as_str) {
                Some(reference) => lines.push(format!("{prefix} {key} {}", target(reference))),
                // An `allOf` member's parts are the schema's own; another's are the variant's.
                None if key == "allOf" => walk_parts(lines, base, path, member.as_object(), depth + 1),
                None => {
                    lines.push(format!("{prefix} {key} #{i}"));
                    walk(lines, base, &format!("{path}#{i}"), member, depth + 1);
                }
            }
        }
    }
    if let Some(discriminator) = node.get("discriminator") {
        if let Some(property) = discriminator.get("propertyName").and_then(Value::as_str) {
            lines.push(format!("{prefix} discriminator: {}", name(property)));
        }
        for (value, to) in discriminator.get("mapping").and_then(Value::as_object).into_iter().flatten() {
            lines.push(format!("{prefix} mapping {}: {}", name(value), target(to.as_str().unwrap_or_default())));
        }
    }
    walk_parts(lines, base, path, Some(node), depth);
}

/// Fields, items and map values of a schema node (shared with its `allOf` members).
fn walk_parts(lines: &mut Vec<String>, base: &str, path: &str, node: Option<&Map<String, Value>>, depth: usize) {
    let Some(node) = node else { return };
    if node.contains_key("$ref") {
        return;
    }
    let required: Vec<&str> =
        node.get("required").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str).collect();
    for (field, schema) in node.get("properties").and_then(Value::as_object).into_iter().flatten() {
        let fpath = format!("{path}.{}", name(field));
        lines.push(format!("{}: {}", at(base, &fpath), presence(required.contains(&field.as_str()))));
        if let Some(releases) = node.get(PROPERTY_AVAILABILITY).and_then(|a| a.get(field)) {
            lines.push(format!("{} available: {}", at(base, &fpath), ids(releases)));
        }
        walk(lines, base, &fpath, schema, depth + 1);
    }
    if let Some(items) = node.get("items") {
        walk(lines, base, &format!("{path}[]"), items, depth + 1);
    }
    match node.get("additionalProperties") {
        Some(Value::Bool(false)) => lines.push(format!("{} type: none", at(base, &format!("{path}.*")))),
        Some(values @ Value::Object(_)) => walk(lines, base, &format!("{path}.*"), values, depth + 1),
        _ => {}
    }
}

/// A `$ref` as the component schema it names (`#/components/schemas/Pet` → `Pet`), or
/// the pointer itself.
fn target(reference: &str) -> String {
    match reference.strip_prefix("#/components/schemas/") {
        Some(rest) if !rest.contains('/') => name(&unescape(rest)),
        _ => name(reference),
    }
}

/// The release ids of an availability annotation, `a, b`.
fn ids(releases: &Value) -> String {
    let ids: Vec<String> =
        releases.as_array().into_iter().flatten().map(|id| name(id.as_str().unwrap_or("?"))).collect();
    ids.join(", ")
}

/// A JSON value in one line.
fn compact(value: &Value) -> String {
    match value {
        Value::Number(n) => match n.as_f64() {
            // `100` and `100.0` are the same bound.
            Some(f) if n.is_f64() && f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", f as i64),
            _ => n.to_string(),
        },
        other => other.to_string(),
    }
}

/// A name or value made safe in a key: controls (which could forge lines), bidi marks and
/// spaces (which would end a key's part) as escapes.
pub fn name(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_control() || c == ' ' || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}') {
            let _ = write!(out, "\\u{{{:x}}}", c as u32);
        } else {
            out.push(c);
        }
    }
    out
}
