//! Reading a document: text -> JSON value -> checked OpenAPI 3.0 structure.

use super::document::{escape, PointerBuf};
use crate::error::{Error, Lint, Warning};
use serde::Deserialize;
use serde_json::{Map, Number, Value};
use std::borrow::Cow;

/// Parses JSON or YAML text (JSON when it starts with `{`) into a JSON value. Numbers
/// load whatever their size (an integer beyond 64 bits becomes the nearest `f64`). When
/// the text does not parse but names a version other than 3.0, that is the error: the
/// version decides whether anything else matters.
pub fn parse_text(text: &str) -> Result<Value, Error> {
    let trimmed = text.trim_start_matches('\u{feff}').trim();
    if trimmed.is_empty() {
        return Err(Error::Empty);
    }
    let parsed: Result<Value, Error> = if trimmed.starts_with('{') {
        serde_json::from_str(trimmed).map_err(|e| Error::Syntax {
            format: "JSON",
            line: e.line(),
            column: e.column(),
            message: strip_location(&e.to_string()),
        })
    } else {
        match too_deep(text) {
            Some((line, column)) => Err(Error::Syntax { format: "YAML", line, column, message: too_deep_message() }),
            None => serde_yaml::from_str::<Loose>(text).map(|l| l.0).map_err(|e| {
                let (line, column) = e.location().map_or((0, 0), |l| (l.line(), l.column()));
                Error::Syntax { format: "YAML", line, column, message: strip_location(&e.to_string()) }
            }),
        }
    };
    let value = match parsed {
        Ok(value) => value,
        Err(error) => {
            return Err(match version_in_text(trimmed) {
                Some((field, version)) => {
                    check_version(&Value::Object(Map::from_iter([(field.to_owned(), Value::String(version))])))
                        .err()
                        .unwrap_or(error)
                }
                None => error,
            })
        }
    };
    if value.is_null() {
        return Err(Error::Empty);
    }
    Ok(value)
}

/// The `openapi` or `swagger` field of a document that does not parse, read from its text:
/// a top-level YAML line (`openapi: 3.1.0`) or the first such JSON member.
fn version_in_text(text: &str) -> Option<(&'static str, String)> {
    let unquote = |v: &str| v.trim().trim_matches(|c| c == '"' || c == '\'').to_owned();
    if text.starts_with('{') {
        ["openapi", "swagger"].into_iter().find_map(|field| {
            let at = text.find(&format!("\"{field}\""))? + field.len() + 2;
            let rest = text[at..].trim_start().strip_prefix(':')?.trim_start().strip_prefix('"')?;
            Some((field, rest[..rest.find('"')?].to_owned()))
        })
    } else {
        text.lines().find_map(|line| {
            let (key, value) = line.split_once(':')?;
            let field = ["openapi", "swagger"]
                .into_iter()
                .find(|f| unquote(key) == *f && !key.starts_with(char::is_whitespace))?;
            let value = value.split(" #").next().unwrap_or(value);
            Some((field, unquote(value)))
        })
    }
}

/// A JSON value read from YAML, accepting integers of any size.
struct Loose(Value);

impl<'de> serde::Deserialize<'de> for Loose {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(LooseVisitor).map(Loose)
    }
}

struct LooseVisitor;

fn float(f: f64) -> Value {
    Number::from_f64(f).map_or_else(|| Value::String(f.to_string()), Value::Number)
}

impl<'de> serde::de::Visitor<'de> for LooseVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }
    fn visit_i128<E>(self, v: i128) -> Result<Value, E> {
        Ok(i64::try_from(v).map_or_else(|_| float(v as f64), |v| Value::Number(v.into())))
    }
    fn visit_u128<E>(self, v: u128) -> Result<Value, E> {
        Ok(u64::try_from(v).map_or_else(|_| float(v as f64), |v| Value::Number(v.into())))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(float(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(LooseVisitor)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(Loose(item)) = seq.next_element()? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        while let Some((Loose(key), Loose(value))) = map.next_entry()? {
            // YAML keys may be numbers (`200:`) or booleans; JSON keys are their text.
            let key = match key {
                Value::String(s) => s,
                other => other.to_string(),
            };
            out.insert(key, value);
        }
        Ok(Value::Object(out))
    }
}

/// How deep `[` and `{` may nest in YAML text before it is refused unread: the YAML
/// parser takes time quadratic in that depth, and refuses anything past 128 levels anyway.
pub const MAX_FLOW_DEPTH: usize = 1_000;

/// The 1-based line and column where `[` and `{` first nest deeper than
/// [`MAX_FLOW_DEPTH`]. Quoting is not looked at: at that depth it makes no difference.
pub fn too_deep(text: &str) -> Option<(usize, usize)> {
    let (mut depth, mut line, mut column) = (0usize, 1, 0);
    for c in text.chars() {
        column += 1;
        match c {
            '\n' => (line, column) = (line + 1, 0),
            '[' | '{' => {
                depth += 1;
                if depth > MAX_FLOW_DEPTH {
                    return Some((line, column));
                }
            }
            ']' | '}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

/// What [`too_deep`] text is told.
pub fn too_deep_message() -> String {
    format!("brackets nest deeper than {MAX_FLOW_DEPTH} levels")
}

fn strip_location(message: &str) -> String {
    match message.find(" at line ") {
        Some(i) => message[..i].to_owned(),
        None => message.to_owned(),
    }
}

/// Checks that the value is an OpenAPI 3.0.x document (or a 3.1.x one already translated)
/// and reads it as one.
pub fn openapi(value: &Value) -> Result<openapiv3::OpenAPI, Error> {
    check_version(value)?;
    // Tracking the path costs as much again as reading: only a document that fails to
    // read is read a second time, to say where.
    if let Ok(doc) = openapiv3::OpenAPI::deserialize(value) {
        return Ok(doc);
    }
    serde_path_to_error::deserialize(value).map_err(|e| {
        let pointer = path_to_pointer(e.path());
        let message = e.into_inner().to_string();
        refine(value).unwrap_or(Error::Invalid { pointer, message })
    })
}

/// Checks that the value is an OpenAPI 3.0.x or 3.1.x document, before anything else
/// about it (3.1 is translated into 3.0's shape by `v31`).
pub fn check_version(value: &Value) -> Result<(), Error> {
    let Value::Object(root) = value else {
        return Err(Error::Invalid { pointer: "#".into(), message: "the document must be a mapping".into() });
    };
    if let Some(version) = root.get("swagger") {
        return Err(Error::Version {
            field: "swagger",
            message: format!(
                "this is a Swagger {} document; only OpenAPI 3.0.x and 3.1.x are supported: convert it to OpenAPI 3.0 first",
                scalar(version)
            ),
        });
    }
    match root.get("openapi") {
        None => {
            return Err(Error::Version {
                field: "openapi",
                message: "missing `openapi` version field; expected an OpenAPI 3.0.x or 3.1.x document".into(),
            })
        }
        Some(Value::String(v)) if v.starts_with("3.0.") || v == "3.0" || super::v31::is_v31(v) => {}
        Some(Value::String(v)) if v.starts_with("3.") => {
            return Err(Error::Version {
                field: "openapi",
                message: format!("OpenAPI {v} is not supported; this generator reads OpenAPI 3.0.x and 3.1.x only"),
            })
        }
        Some(other) => {
            return Err(Error::Version {
                field: "openapi",
                message: format!("unsupported version {}; expected 3.0.x or 3.1.x", scalar(other)),
            })
        }
    }
    Ok(())
}

/// Rewrites what OpenAPI 3.0 forbids but real documents commonly write, the way their
/// authors mean it, with a [`Lint::NonStandard`] warning for each:
/// - `required: true` on a property schema (Swagger 2.0's habit) makes the property
///   required by its parent; `required: <bool>` on any other schema is dropped.
///
/// Also, silently, bounds of `type: integer` schemas that are not 64-bit integers
/// (`minimum: -9223372036854776000`, `maximum: 1e30`) saturate to the `i64` range.
pub fn normalize(value: &mut Value) -> Vec<Warning> {
    let mut warnings = Vec::new();
    let schema_keys = ["schema", "items", "additionalProperties", "not"];
    let mut pointer = PointerBuf::new("");
    let mut stack: Vec<(&mut Value, usize, Cow<'_, str>, bool)> = vec![(value, 0, Cow::Borrowed(""), false)];
    while let Some((node, depth, token, schema_position)) = stack.pop() {
        pointer.enter(depth, &token);
        let pointer = pointer.as_str();
        match node {
            Value::Object(map) => {
                let is_schema = schema_position || map.get("properties").is_some_and(Value::is_object);
                if is_schema {
                    if let Some(Value::Bool(_)) = map.get("required") {
                        map.remove("required");
                        warnings.push(Warning {
                            lint: Lint::NonStandard,
                            pointer: format!("#{pointer}/required"),
                            message: "a boolean `required` on a schema is Swagger 2.0, not OpenAPI 3.0; ignored".into(),
                        });
                    }
                    saturate_integer_bounds(map);
                }
                let mut newly_required = Vec::new();
                if let Some(Value::Object(properties)) = map.get_mut("properties") {
                    for (name, property) in properties.iter_mut() {
                        let Some(property) = property.as_object_mut() else { continue };
                        let Some(Value::Bool(required)) = property.get("required") else { continue };
                        let required = *required;
                        property.remove("required");
                        let at = format!("#{pointer}/properties/{}/required", escape(name));
                        let message = if required {
                            newly_required.push(name.clone());
                            "`required: true` on a property schema is Swagger 2.0, not OpenAPI 3.0; the property is read as required by its parent"
                        } else {
                            "`required: false` on a property schema is Swagger 2.0, not OpenAPI 3.0; ignored"
                        };
                        warnings.push(Warning { lint: Lint::NonStandard, pointer: at, message: message.into() });
                    }
                }
                if !newly_required.is_empty() {
                    let list = map.entry("required").or_insert_with(|| Value::Array(Vec::new()));
                    if let Value::Array(list) = list {
                        for name in newly_required {
                            if !list.iter().any(|v| v.as_str() == Some(name.as_str())) {
                                list.push(Value::String(name));
                            }
                        }
                    }
                }
                let in_properties = pointer.ends_with("/properties");
                let start = stack.len();
                for (key, child) in map.iter_mut() {
                    if matches!(child, Value::Object(_) | Value::Array(_)) {
                        let child_is_schema =
                            in_properties || (is_schema && schema_keys.contains(&key.as_str())) || key == "schema";
                        stack.push((child, depth + 1, escape(key), child_is_schema));
                    }
                }
                stack[start..].reverse();
            }
            Value::Array(items) => {
                let composition = ["/allOf", "/oneOf", "/anyOf"].iter().any(|k| pointer.ends_with(k));
                let start = stack.len();
                for (i, child) in items.iter_mut().enumerate() {
                    if matches!(child, Value::Object(_) | Value::Array(_)) {
                        stack.push((child, depth + 1, Cow::Owned(i.to_string()), composition));
                    }
                }
                stack[start..].reverse();
            }
            _ => {}
        }
    }
    warnings
}

fn saturate_integer_bounds(schema: &mut Map<String, Value>) {
    if schema.get("type").and_then(Value::as_str) != Some("integer") {
        return;
    }
    for key in ["minimum", "maximum", "multipleOf"] {
        if let Some(Value::Number(n)) = schema.get(key) {
            if n.as_i64().is_none() {
                let saturated = n.as_f64().map_or(i64::MAX, |f| f as i64);
                schema.insert(key.to_owned(), Value::Number(saturated.into()));
            }
        }
    }
}

/// `openapiv3` reads `$ref`-or-item nodes as untagged enums, which hide where inside them
/// a problem is. Reading each path item and component on its own finds the deeper node.
fn refine(value: &Value) -> Option<Error> {
    fn first_error<T: serde::de::DeserializeOwned>(map: Option<&Value>, prefix: &str) -> Option<Error> {
        let map = map?.as_object()?;
        map.iter().filter(|(_, item)| item.get("$ref").is_none()).find_map(|(key, item)| {
            serde_path_to_error::deserialize::<_, T>(item).err().map(|e| {
                let inner = path_to_pointer(e.path());
                Error::Invalid {
                    pointer: format!("{prefix}/{}{}", escape(key), &inner[1..]),
                    message: e.into_inner().to_string(),
                }
            })
        })
    }
    let components = value.get("components");
    let section = |name: &str| components.and_then(|c| c.get(name));
    first_error::<openapiv3::PathItem>(value.get("paths"), "#/paths")
        .or_else(|| first_error::<openapiv3::Schema>(section("schemas"), "#/components/schemas"))
        .or_else(|| first_error::<openapiv3::Parameter>(section("parameters"), "#/components/parameters"))
        .or_else(|| first_error::<openapiv3::Response>(section("responses"), "#/components/responses"))
        .or_else(|| first_error::<openapiv3::RequestBody>(section("requestBodies"), "#/components/requestBodies"))
        .or_else(|| first_error::<openapiv3::Header>(section("headers"), "#/components/headers"))
        .or_else(|| first_error::<openapiv3::Example>(section("examples"), "#/components/examples"))
}

fn scalar(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn path_to_pointer(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut pointer = String::from("#");
    for segment in path.iter() {
        match segment {
            Segment::Seq { index } => pointer.push_str(&format!("/{index}")),
            Segment::Map { key } => {
                pointer.push('/');
                pointer.push_str(&escape(key));
            }
            Segment::Enum { .. } | Segment::Unknown => {}
        }
    }
    pointer
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(text: &str) -> Result<openapiv3::OpenAPI, Error> {
        openapi(&parse_text(text)?)
    }

    #[test]
    fn empty_inputs() {
        for text in ["", "   \n", "\u{feff}", "null", "~\n"] {
            assert_eq!(load(text).unwrap_err(), Error::Empty, "{text:?}");
        }
    }

    #[test]
    fn syntax_errors_have_locations() {
        let err = load("{\"openapi\": \"3.0.3\",\n \"info\": ").unwrap_err();
        assert!(matches!(err, Error::Syntax { format: "JSON", line: 2, .. }), "{err}");
        let err = load("openapi: 3.0.3\ninfo:\n  title: [unclosed\n").unwrap_err();
        assert!(matches!(err, Error::Syntax { format: "YAML", line: 4, .. }), "{err}");
    }

    #[test]
    fn versions() {
        let err = load("swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths: {}\n").unwrap_err();
        assert_eq!(err.to_string(), "#/swagger: this is a Swagger 2.0 document; only OpenAPI 3.0.x and 3.1.x are supported: convert it to OpenAPI 3.0 first");
        let err = load("openapi: 3.2.0\ninfo: {title: t, version: '1'}\npaths: {}\n").unwrap_err();
        assert_eq!(
            err.to_string(),
            "#/openapi: OpenAPI 3.2.0 is not supported; this generator reads OpenAPI 3.0.x and 3.1.x only"
        );
        for version in ["3.1.0", "3.1.1", "3.1.2"] {
            assert!(load(&format!("openapi: {version}\ninfo: {{title: t, version: '1'}}\npaths: {{}}\n")).is_ok());
        }
        for version in ["3.1", "3.1.", "3.1.x", "3.10.0"] {
            let text = format!("openapi: '{version}'\ninfo: {{title: t, version: '1'}}\npaths: {{}}\n");
            let err = load(&text).unwrap_err();
            assert_eq!(err.pointer(), Some("#/openapi"), "{version}: {err}");
        }
        let err = load("info: {title: t, version: '1'}\npaths: {}\n").unwrap_err();
        assert!(err.to_string().starts_with("#/openapi: missing"), "{err}");
        let err = load("openapi: 3\ninfo: {title: t, version: '1'}\npaths: {}\n").unwrap_err();
        assert_eq!(err.pointer(), Some("#/openapi"));
        assert!(load("openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n").is_ok());
    }

    #[test]
    fn structural_errors_name_the_node() {
        let err =
            load("openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a/{b}:\n    get:\n      responses: 7\n")
                .unwrap_err();
        assert_eq!(err.pointer(), Some("#/paths/~1a~1{b}/get/responses"), "{err}");
        let err = load("openapi: 3.0.3\ninfo: {title: t}\npaths: {}\n").unwrap_err();
        assert!(err.to_string().contains("version"), "{err}");
        let err = load("- openapi\n").unwrap_err();
        assert_eq!(err.pointer(), Some("#"));
    }

    #[test]
    fn integers_of_any_size_load() {
        let value =
            parse_text("a: -9223372036854776000\nb: 18446744073709551616\nc: 7\nd: -9223372036854775808\n").unwrap();
        assert_eq!(value["a"].as_f64(), Some(-9223372036854776000.0));
        assert_eq!(value["b"].as_f64(), Some(18446744073709551616.0));
        assert_eq!(value["c"].as_i64(), Some(7));
        assert_eq!(value["d"].as_i64(), Some(i64::MIN));
        let value = parse_text("200: {a: 1}\ntrue: x\n").unwrap();
        assert!(value.get("200").is_some() && value.get("true").is_some(), "{value}");
    }

    #[test]
    fn the_version_is_checked_before_anything_else() {
        // A 3.2 document that does not even parse is refused for its version.
        let err = load("openapi: 3.2.0\ninfo: {title: t, version: '1'}\npaths: [unclosed\n").unwrap_err();
        assert_eq!(
            err.to_string(),
            "#/openapi: OpenAPI 3.2.0 is not supported; this generator reads OpenAPI 3.0.x and 3.1.x only"
        );
        let err = load("{\"openapi\": \"3.2.0\", \"paths\": {").unwrap_err();
        assert_eq!(err.pointer(), Some("#/openapi"), "{err}");
        let err = load("swagger: '2.0' # old\npaths: {a: [}\n").unwrap_err();
        assert!(err.to_string().starts_with("#/swagger: this is a Swagger 2.0 document"), "{err}");
        // A 3.0 document that does not parse still gets the syntax error.
        let err = load("openapi: 3.0.3\ninfo: [unclosed\n").unwrap_err();
        assert!(matches!(err, Error::Syntax { format: "YAML", .. }), "{err}");
        // And a 3.2 document whose structure is wrong is refused for its version.
        let err = load("openapi: 3.2.0\ninfo: 7\npaths: 7\n").unwrap_err();
        assert_eq!(err.pointer(), Some("#/openapi"), "{err}");
    }

    #[test]
    fn boolean_required_on_properties_moves_to_the_parent() {
        let mut value = parse_text(
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    A:\n      type: object\n      required: [b]\n      properties:\n        a: {required: true}\n        b: {type: string, required: true}\n        c: {type: string, required: false}\n        d:\n          required: true\n          properties:\n            e: {type: integer, required: true, minimum: -9223372036854776000}\n",
        )
        .unwrap();
        let warnings = normalize(&mut value);
        let a = &value["components"]["schemas"]["A"];
        assert_eq!(a["required"], serde_json::json!(["b", "a", "d"]));
        assert_eq!(a["properties"]["d"]["required"], serde_json::json!(["e"]));
        assert_eq!(a["properties"]["d"]["properties"]["e"]["minimum"], serde_json::json!(i64::MIN));
        let pointers: Vec<&str> = warnings.iter().map(|w| w.pointer.as_str()).collect();
        assert_eq!(
            pointers,
            [
                "#/components/schemas/A/properties/a/required",
                "#/components/schemas/A/properties/b/required",
                "#/components/schemas/A/properties/c/required",
                "#/components/schemas/A/properties/d/required",
                "#/components/schemas/A/properties/d/properties/e/required",
            ]
        );
        assert!(warnings.iter().all(|w| w.lint == Lint::NonStandard));
        assert!(openapi(&value).is_ok());
    }

    #[test]
    fn parameter_required_is_left_alone() {
        let text = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      parameters:\n        - {name: q, in: query, required: true, schema: {type: string, required: true}}\n      requestBody: {required: true, content: {}}\n      responses: {}\n";
        let mut value = parse_text(text).unwrap();
        let warnings = normalize(&mut value);
        let get = &value["paths"]["/a"]["get"];
        assert_eq!(get["parameters"][0]["required"], Value::Bool(true));
        assert_eq!(get["requestBody"]["required"], Value::Bool(true));
        assert!(get["parameters"][0]["schema"].get("required").is_none());
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert_eq!(warnings[0].pointer, "#/paths/~1a/get/parameters/0/schema/required");
    }
}
