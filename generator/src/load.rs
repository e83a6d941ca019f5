//! Reading a document: text -> JSON value -> checked OpenAPI 3.0 structure.

use crate::error::Error;
use crate::naming::pointer_token;
use serde_json::Value;

/// Parses JSON or YAML text (JSON when it starts with `{`) into a JSON value.
pub fn parse_text(text: &str) -> Result<Value, Error> {
    let trimmed = text.trim_start_matches('\u{feff}').trim();
    if trimmed.is_empty() {
        return Err(Error::Empty);
    }
    let value: Value = if trimmed.starts_with('{') {
        serde_json::from_str(trimmed).map_err(|e| Error::Syntax {
            format: "JSON",
            line: e.line(),
            column: e.column(),
            message: strip_location(&e.to_string()),
        })?
    } else {
        if let Some((line, column)) = too_deep(text) {
            return Err(Error::Syntax { format: "YAML", line, column, message: too_deep_message() });
        }
        serde_yaml::from_str(text).map_err(|e| {
            let (line, column) = e.location().map_or((0, 0), |l| (l.line(), l.column()));
            Error::Syntax { format: "YAML", line, column, message: strip_location(&e.to_string()) }
        })?
    };
    if value.is_null() {
        return Err(Error::Empty);
    }
    Ok(value)
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

/// Checks that the value is an OpenAPI 3.0.x document and reads it as one.
pub fn openapi(value: &Value) -> Result<openapiv3::OpenAPI, Error> {
    let Value::Object(root) = value else {
        return Err(Error::Invalid { pointer: "#".into(), message: "the document must be a mapping".into() });
    };
    if let Some(version) = root.get("swagger") {
        return Err(Error::Version {
            field: "swagger",
            message: format!(
                "this is a Swagger {} document; only OpenAPI 3.0.x is supported: convert it to OpenAPI 3.0 first",
                scalar(version)
            ),
        });
    }
    match root.get("openapi") {
        None => {
            return Err(Error::Version {
                field: "openapi",
                message: "missing `openapi` version field; expected an OpenAPI 3.0.x document".into(),
            })
        }
        Some(Value::String(v)) if v.starts_with("3.0.") || v == "3.0" => {}
        Some(Value::String(v)) if v.starts_with("3.") => {
            return Err(Error::Version {
                field: "openapi",
                message: format!("OpenAPI {v} is not supported; this generator reads OpenAPI 3.0.x only"),
            })
        }
        Some(other) => {
            return Err(Error::Version {
                field: "openapi",
                message: format!("unsupported version {}; expected 3.0.x", scalar(other)),
            })
        }
    }
    serde_path_to_error::deserialize(value).map_err(|e| {
        let pointer = path_to_pointer(e.path());
        let message = e.into_inner().to_string();
        refine(value).unwrap_or(Error::Invalid { pointer, message })
    })
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
                    pointer: format!("{prefix}/{}{}", pointer_token(key), &inner[1..]),
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
                pointer.push_str(&pointer_token(key));
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
        assert_eq!(err.to_string(), "#/swagger: this is a Swagger 2.0 document; only OpenAPI 3.0.x is supported: convert it to OpenAPI 3.0 first");
        let err = load("openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\n").unwrap_err();
        assert_eq!(err.to_string(), "#/openapi: OpenAPI 3.1.0 is not supported; this generator reads OpenAPI 3.0.x only");
        let err = load("info: {title: t, version: '1'}\npaths: {}\n").unwrap_err();
        assert!(err.to_string().starts_with("#/openapi: missing"), "{err}");
        let err = load("openapi: 3\ninfo: {title: t, version: '1'}\npaths: {}\n").unwrap_err();
        assert_eq!(err.pointer(), Some("#/openapi"));
        assert!(load("openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n").is_ok());
    }

    #[test]
    fn structural_errors_name_the_node() {
        let err = load("openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a/{b}:\n    get:\n      responses: 7\n")
            .unwrap_err();
        assert_eq!(err.pointer(), Some("#/paths/~1a~1{b}/get/responses"), "{err}");
        let err = load("openapi: 3.0.3\ninfo: {title: t}\npaths: {}\n").unwrap_err();
        assert!(err.to_string().contains("version"), "{err}");
        let err = load("- openapi\n").unwrap_err();
        assert_eq!(err.pointer(), Some("#"));
    }
}
