//! Declared corrections to the document, kept as data beside it.
//!
//! GitHub's description is not always what its servers do. Rather than editing
//! generated code, each correction is an entry in an overrides file that names the
//! node it changes (a JSON pointer) and says why. Entries are applied to the parsed
//! document before it is read as OpenAPI, and an entry whose node no longer exists is
//! an error, so a stale correction is noticed when the description is updated.
//!
//! ```yaml
//! patches:
//!   - pointer: "#/components/parameters/created/schema"
//!     remove: [format]
//!     reason: takes GitHub's date-range syntax, not a timestamp
//!   - pointer: "#/components/schemas/run/properties/status"
//!     enum_from: "#/components/parameters/run-status/schema"
//!     reason: a run's status takes the status filter's values (and its type)
//! examples:
//!   - pointer: "#/components/examples/team/value"
//!     reason: lacks a field the schema requires
//! # Optional: whose conventions the API follows (`github` or `plain`), when the
//! # description alone does not tell (see `flavor::detect`).
//! flavor: plain
//! # Optional, for a crate of its own (`cargo xtask generate`) only: its registry
//! # metadata, and whether it may be published at all.
//! package:
//!   version: 0.2.0
//!   license: MIT
//!   repository: https://example.com/pet-client
//!   publish: true
//! ```
//!
//! A patch does one of four things: `remove` deletes keys of a mapping, `remove_items`
//! deletes strings from a list, `set` adds or replaces keys of a mapping, and `enum_from`
//! gives a mapping the `enum` list of another node (a non-empty list of strings, copied
//! whole). A list written out with `set` stays what it was when the description moves on;
//! one taken with `enum_from` follows its source, so two nodes meant to share a value list
//! (and with it one Rust type) keep sharing it. The source is read as the entries before
//! it left the document; it may not be a node that an `enum_from` entry changes (its
//! own, or another's: take that entry's source instead), so lists are never copied from
//! copies and no chain or cycle of them exists to follow. A source that is gone, or holds
//! no such list, is an error naming both pointers.

use super::document::{resolve, resolve_mut};
use crate::error::Error;
use serde::Deserialize;
use serde_json::Value;

/// The parsed overrides file.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Overrides {
    /// Changes to the document.
    #[serde(default)]
    pub patches: Vec<Patch>,
    /// Examples known to disagree with their own schema.
    #[serde(default)]
    pub examples: Vec<ExampleException>,
    /// The API's conventions, overriding what `flavor::detect` reads from the description.
    #[serde(default)]
    pub flavor: Option<crate::ir::Flavor>,
    /// The registry metadata of a crate of its own (`Options::package`).
    #[serde(default)]
    pub package: Option<Package>,
}

/// What a standalone crate's manifest says about it beyond its name and dependencies:
/// the `[package]` keys a registry shows, and whether it may be published.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Package {
    /// `MAJOR.MINOR.PATCH`, with an optional `-pre-release` and `+build` (default `0.1.0`).
    #[serde(default)]
    pub version: Option<String>,
    /// One line (default: "Typed async client for TITLE.").
    #[serde(default)]
    pub description: Option<String>,
    /// An SPDX expression (`MIT OR Apache-2.0`); required to publish.
    #[serde(default)]
    pub license: Option<String>,
    /// The URL of the crate's source repository.
    #[serde(default)]
    pub repository: Option<String>,
    /// The URL of the crate's home page.
    #[serde(default)]
    pub homepage: Option<String>,
    /// The URL of the crate's documentation.
    #[serde(default)]
    pub documentation: Option<String>,
    /// Search keywords (a registry takes at most five).
    #[serde(default)]
    pub keywords: Vec<String>,
    /// Registry category slugs (`api-bindings`).
    #[serde(default)]
    pub categories: Vec<String>,
    /// Whether `cargo publish` may publish the crate; without it the manifest says
    /// `publish = false`.
    #[serde(default)]
    pub publish: bool,
}

impl Package {
    /// Checks what a manifest could not hold or a registry would refuse to publish.
    fn check(&self) -> Result<(), Error> {
        let fail = |key: &str, message: &str| Error::Package { key: format!("package.{key}"), message: message.into() };
        if let Some(version) = &self.version {
            if !is_version(version) {
                return Err(fail(
                    "version",
                    "is not a version of the form MAJOR.MINOR.PATCH (`0.2.0`, `1.0.0-beta.1`)",
                ));
            }
        }
        if self.publish && self.license.as_deref().is_none_or(|l| l.trim().is_empty()) {
            return Err(fail("license", "is required with `publish: true`: a registry publishes nothing without one"));
        }
        Ok(())
    }
}

/// Whether `text` is a semantic version: three numbers without leading zeros, then an
/// optional `-pre-release` and `+build` of dot-separated alphanumeric parts.
fn is_version(text: &str) -> bool {
    let (text, build) = match text.split_once('+') {
        Some((text, build)) => (text, Some(build)),
        None => (text, None),
    };
    let (core, pre) = match text.split_once('-') {
        Some((core, pre)) => (core, Some(pre)),
        None => (text, None),
    };
    let number = |part: &str| {
        !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit()) && (part == "0" || !part.starts_with('0'))
    };
    let label = |part: &str| {
        !part.is_empty()
            && part.split('.').all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'))
    };
    let numbers: Vec<&str> = core.split('.').collect();
    numbers.len() == 3 && numbers.iter().all(|p| number(p)) && pre.is_none_or(label) && build.is_none_or(label)
}

/// One change to the document.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Patch {
    /// The node to change.
    pub pointer: String,
    /// Keys to delete from the mapping at `pointer`.
    #[serde(default)]
    pub remove: Vec<String>,
    /// Strings to delete from the list at `pointer` (e.g. entries of `required`).
    #[serde(default)]
    pub remove_items: Vec<String>,
    /// Keys to add or replace in the mapping at `pointer`.
    #[serde(default)]
    pub set: serde_json::Map<String, Value>,
    /// The node (a JSON pointer) whose `enum` list, a non-empty list of strings, becomes
    /// the `enum` of the mapping at `pointer`, read when the entry is applied.
    #[serde(default)]
    pub enum_from: Option<String>,
    /// Why the document is wrong here.
    pub reason: String,
}

/// An example that is expected not to round-trip through its type.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExampleException {
    /// The example value.
    pub pointer: String,
    /// What is wrong with it.
    pub reason: String,
}

impl Overrides {
    /// Parses an overrides file (YAML or JSON).
    pub fn parse(text: &str) -> Result<Overrides, Error> {
        if text.trim().is_empty() {
            return Ok(Overrides::default());
        }
        if let Some((line, column)) = super::load::too_deep(text) {
            let message = format!("line {line}, column {column}: {}", super::load::too_deep_message());
            return Err(Error::Override { index: usize::MAX, pointer: "#".into(), message });
        }
        let overrides: Overrides = serde_yaml::from_str(text).map_err(|e| Error::Override {
            index: usize::MAX,
            pointer: "#".into(),
            message: e.to_string(),
        })?;
        for (index, patch) in overrides.patches.iter().enumerate() {
            let fail =
                |message: &str| Error::Override { index, pointer: patch.pointer.clone(), message: message.into() };
            if patch.reason.trim().is_empty() {
                return Err(fail("every entry needs a `reason`"));
            }
            let actions = [
                !patch.remove.is_empty(),
                !patch.remove_items.is_empty(),
                !patch.set.is_empty(),
                patch.enum_from.is_some(),
            ];
            if actions.iter().filter(|a| **a).count() != 1 {
                return Err(fail("give exactly one of `remove`, `remove_items`, `set`, `enum_from`"));
            }
            if let Some(source) = &patch.enum_from {
                // A source inside a node some `enum_from` changes would be a copy of a copy;
                // refusing it here leaves no chain (and no cycle) to follow when applying.
                let changed = overrides
                    .patches
                    .iter()
                    .enumerate()
                    .find(|(_, other)| other.enum_from.is_some() && is_within(source, &other.pointer));
                match changed {
                    Some((other, _)) if other == index => {
                        return Err(fail(&format!("`enum_from` names `{source}`, inside the node this entry changes")));
                    }
                    Some((other, changed)) => {
                        return Err(fail(&format!(
                            "`enum_from` names `{source}`, inside the node entry {other} ({}) changes with `enum_from`; \
                             name that entry's source (`{}`) instead",
                            changed.pointer,
                            changed.enum_from.as_deref().unwrap_or_default()
                        )));
                    }
                    None => {}
                }
            }
        }
        for (index, example) in overrides.examples.iter().enumerate() {
            if example.reason.trim().is_empty() {
                return Err(Error::Override {
                    index: overrides.patches.len() + index,
                    pointer: example.pointer.clone(),
                    message: "every entry needs a `reason`".into(),
                });
            }
        }
        if let Some(package) = &overrides.package {
            package.check()?;
        }
        Ok(overrides)
    }

    /// Applies every patch to `doc`, in order.
    pub fn apply(&self, doc: &mut Value) -> Result<(), Error> {
        for (index, patch) in self.patches.iter().enumerate() {
            let fail = |message: String| Error::Override { index, pointer: patch.pointer.clone(), message };
            // The description no longer has what the entry corrects: say what to do about it.
            let stale = |what: String| {
                fail(format!(
                    "{what}. The description changed under this entry: if it now says what the entry \
                     wanted (GitHub fixed it), delete the entry; if the node moved, point the entry at \
                     its new place; keep it only if servers still behave as its reason says \
                     (reason: {})",
                    patch.reason.trim()
                ))
            };
            let node = resolve_mut(doc, &patch.pointer).ok_or_else(|| stale("no such node in the document".into()))?;
            if !patch.remove.is_empty() {
                let map = node.as_object_mut().ok_or_else(|| fail("`remove` needs a mapping".into()))?;
                for key in &patch.remove {
                    map.shift_remove(key).ok_or_else(|| stale(format!("no key `{key}` to remove")))?;
                }
            } else if !patch.remove_items.is_empty() {
                let list = node.as_array_mut().ok_or_else(|| fail("`remove_items` needs a list".into()))?;
                for item in &patch.remove_items {
                    let at = list
                        .iter()
                        .position(|v| v.as_str() == Some(item))
                        .ok_or_else(|| stale(format!("no item `{item}` to remove")))?;
                    list.remove(at);
                }
            } else if !patch.set.is_empty() {
                let map = node.as_object_mut().ok_or_else(|| fail("`set` needs a mapping".into()))?;
                for (key, value) in &patch.set {
                    map.insert(key.clone(), value.clone());
                }
            }
            if let Some(source) = &patch.enum_from {
                if !node.is_object() {
                    return Err(fail("`enum_from` needs a mapping".into()));
                }
                let list = enum_list(doc, source).map_err(|what| {
                    fail(format!(
                        "`enum_from` names `{source}`, which {what}. The description changed under this \
                         entry: point `enum_from` at the node that now holds the list this one shares, or \
                         delete the entry if the description now gives this node that list itself \
                         (reason: {})",
                        patch.reason.trim()
                    ))
                })?;
                // Checked above; the second lookup ends the borrow of `doc` by `enum_list`.
                if let Some(Value::Object(map)) = resolve_mut(doc, &patch.pointer) {
                    map.insert("enum".into(), list);
                }
            }
        }
        Ok(())
    }

    /// The reason an example is expected to fail, if it is listed.
    pub fn example_exception(&self, pointer: &str) -> Option<&str> {
        self.examples.iter().find(|e| e.pointer == pointer).map(|e| e.reason.as_str())
    }
}

/// Whether `pointer` is `node` or a node below it.
fn is_within(pointer: &str, node: &str) -> bool {
    pointer.strip_prefix(node).is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

/// A copy of the `enum` list at `source` in `doc`, or what is wrong with it (completing
/// "`enum_from` names SOURCE, which ...").
fn enum_list(doc: &Value, source: &str) -> Result<Value, String> {
    let node = resolve(doc, source).ok_or("is not in the document")?;
    let list = node.get("enum").ok_or("has no `enum` list")?;
    let items = list.as_array().ok_or("has an `enum` that is not a list")?;
    if items.is_empty() {
        return Err("has an empty `enum` list".into());
    }
    if let Some((at, item)) = items.iter().enumerate().find(|(_, item)| !item.is_string()) {
        return Err(format!("has an `enum` list that is not all strings (item {at} is `{item}`)"));
    }
    Ok(list.clone())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn doc() -> Value {
        json!({"components": {"schemas": {"run": {"required": ["id", "path"], "properties": {"id": {"type": "integer", "format": "date-time"}}}}}})
    }

    #[test]
    fn patches_apply_in_order() {
        let overrides = Overrides::parse(
            "patches:\n  - pointer: '#/components/schemas/run/required'\n    remove_items: [path]\n    reason: r\n  - pointer: '#/components/schemas/run/properties/id'\n    remove: [format]\n    reason: r\n  - pointer: '#/components/schemas/run'\n    set: {nullable: true}\n    reason: r\n",
        )
        .unwrap();
        let mut value = doc();
        overrides.apply(&mut value).unwrap();
        assert_eq!(
            value,
            json!({"components": {"schemas": {"run": {"required": ["id"], "properties": {"id": {"type": "integer"}}, "nullable": true}}}})
        );
    }

    #[test]
    fn stale_patches_are_errors() {
        let cases = [
            (
                "- pointer: '#/components/schemas/gone'\n  remove: [x]\n  reason: r",
                "overrides entry 0 (#/components/schemas/gone): no such node in the document",
            ),
            (
                "- pointer: '#/components/schemas/run/required'\n  remove_items: [nope]\n  reason: r",
                "overrides entry 0 (#/components/schemas/run/required): no item `nope` to remove",
            ),
            (
                "- pointer: '#/components/schemas/run'\n  remove: [nope]\n  reason: r",
                "overrides entry 0 (#/components/schemas/run): no key `nope` to remove",
            ),
            (
                "- pointer: '#/components/schemas/run'\n  remove_items: [id]\n  reason: r",
                "overrides entry 0 (#/components/schemas/run): `remove_items` needs a list",
            ),
        ];
        for (patches, want) in cases {
            let overrides = Overrides::parse(&format!("patches:\n{patches}\n")).unwrap();
            let error = overrides.apply(&mut doc()).unwrap_err().to_string();
            assert!(error.starts_with(want), "{error}");
            if want.ends_with("The description changed") {
                assert!(error.contains("delete the entry") && error.ends_with("(reason: r)"), "{error}");
            }
        }
    }

    #[test]
    fn malformed_entries_are_errors() {
        let cases = [
            ("patches:\n- pointer: '#/a'\n  remove: [x]\n  reason: ''\n", "every entry needs a `reason`"),
            ("patches:\n- pointer: '#/a'\n  reason: r\n", "exactly one of"),
            ("patches:\n- pointer: '#/a'\n  remove: [x]\n  set: {a: 1}\n  reason: r\n", "exactly one of"),
            ("patches:\n- pointer: '#/a'\n  delete: [x]\n  reason: r\n", "unknown field `delete`"),
            ("examples:\n- pointer: '#/a'\n  reason: ' '\n", "every entry needs a `reason`"),
        ];
        for (text, want) in cases {
            let err = Overrides::parse(text).unwrap_err().to_string();
            assert!(err.contains(want), "{err}");
        }
        assert_eq!(Overrides::parse("").unwrap(), Overrides::default());
    }

    /// A document with a filter's value list and a run's free-string status.
    fn lists() -> Value {
        json!({"components": {
            "parameters": {"status": {"schema": {"type": "string", "enum": ["queued", "completed", "waiting"]}}},
            "schemas": {"run": {"properties": {"status": {"type": "string"}, "count": {"type": "integer"}}}}
        }})
    }

    fn enum_from(source: &str) -> Overrides {
        Overrides::parse(&format!("patches:\n- pointer: '#/components/schemas/run/properties/status'\n  enum_from: '{source}'\n  reason: shares the filter's type\n")).unwrap()
    }

    #[test]
    fn enum_from_follows_its_source() {
        let overrides = enum_from("#/components/parameters/status/schema");
        let mut value = lists();
        overrides.apply(&mut value).unwrap();
        assert_eq!(
            value["components"]["schemas"]["run"]["properties"]["status"],
            json!({"type": "string", "enum": ["queued", "completed", "waiting"]})
        );
        // The source gains a value: the copy has it too, with no change to the entry.
        let mut value = lists();
        value["components"]["parameters"]["status"]["schema"]["enum"].as_array_mut().unwrap().push(json!("pending"));
        overrides.apply(&mut value).unwrap();
        assert_eq!(
            value["components"]["schemas"]["run"]["properties"]["status"]["enum"],
            json!(["queued", "completed", "waiting", "pending"])
        );
        // The source is read as the entries before it left it.
        let overrides = Overrides::parse(
            "patches:\n- pointer: '#/components/parameters/status/schema'\n  set: {enum: [a, b]}\n  reason: r\n- pointer: '#/components/schemas/run/properties/status'\n  enum_from: '#/components/parameters/status/schema'\n  reason: r\n",
        )
        .unwrap();
        let mut value = lists();
        overrides.apply(&mut value).unwrap();
        assert_eq!(value["components"]["schemas"]["run"]["properties"]["status"]["enum"], json!(["a", "b"]));
    }

    #[test]
    fn an_unusable_enum_from_source_names_both_pointers() {
        let cases = [
            ("#/components/parameters/gone/schema", "which is not in the document"),
            ("#/components/schemas/run/properties/count", "which has no `enum` list"),
            ("#/components/parameters/status", "which has no `enum` list"),
            (
                "#/components/parameters/listed/schema",
                "which has an `enum` list that is not all strings (item 1 is `2`)",
            ),
            ("#/components/parameters/scalar/schema", "which has an `enum` that is not a list"),
            ("#/components/parameters/empty/schema", "which has an empty `enum` list"),
            ("components/parameters/status/schema", "which is not in the document"),
        ];
        for (source, want) in cases {
            let mut value = lists();
            value["components"]["parameters"]["listed"] = json!({"schema": {"enum": ["a", 2, null]}});
            value["components"]["parameters"]["scalar"] = json!({"schema": {"enum": "a"}});
            value["components"]["parameters"]["empty"] = json!({"schema": {"enum": []}});
            let before = value.clone();
            let error = enum_from(source).apply(&mut value).unwrap_err().to_string();
            let head = format!("overrides entry 0 (#/components/schemas/run/properties/status): `enum_from` names `{source}`, {want}. ");
            assert!(error.starts_with(&head), "{source}: {error}");
            assert!(
                error.contains("point `enum_from` at the node")
                    && error.ends_with("(reason: shares the filter's type)"),
                "{error}"
            );
            assert_eq!(value, before, "{source}: nothing is changed");
        }
        // The node to change must be a mapping.
        let overrides = Overrides::parse("patches:\n- pointer: '#/components/parameters/status/schema/enum'\n  enum_from: '#/components/parameters/status/schema'\n  reason: r\n").unwrap();
        let error = overrides.apply(&mut lists()).unwrap_err().to_string();
        assert!(error.ends_with("`enum_from` needs a mapping"), "{error}");
    }

    /// A source inside a node that an `enum_from` entry changes is refused when the file is
    /// read, so a chain or a cycle of copies never reaches `apply`.
    #[test]
    fn enum_from_copies_no_copies() {
        let entry =
            |pointer: &str, source: &str| format!("- pointer: '{pointer}'\n  enum_from: '{source}'\n  reason: r\n");
        let cases = [
            (entry("#/a", "#/a"), "overrides entry 0 (#/a): `enum_from` names `#/a`, inside the node this entry changes"),
            (entry("#/a", "#/a/items"), "overrides entry 0 (#/a): `enum_from` names `#/a/items`, inside the node this entry changes"),
            (
                entry("#/a", "#/b") + &entry("#/b", "#/a"),
                "overrides entry 0 (#/a): `enum_from` names `#/b`, inside the node entry 1 (#/b) changes with `enum_from`; name that entry's source (`#/a`) instead",
            ),
            (
                entry("#/a", "#/c") + &entry("#/b", "#/a/x"),
                "overrides entry 1 (#/b): `enum_from` names `#/a/x`, inside the node entry 0 (#/a) changes with `enum_from`; name that entry's source (`#/c`) instead",
            ),
        ];
        for (patches, want) in cases {
            let error = Overrides::parse(&format!("patches:\n{patches}")).unwrap_err().to_string();
            assert_eq!(error, want);
        }
        // A sibling whose name starts like the node is not inside it, and two entries may
        // share one source.
        assert!(Overrides::parse(&format!("patches:\n{}{}", entry("#/a", "#/ab"), entry("#/c", "#/ab"))).is_ok());
        let both = "patches:\n- pointer: '#/a'\n  enum_from: '#/b'\n  set: {x: 1}\n  reason: r\n";
        assert!(Overrides::parse(both)
            .unwrap_err()
            .to_string()
            .contains("exactly one of `remove`, `remove_items`, `set`, `enum_from`"));
    }

    #[test]
    fn package_metadata_is_checked() {
        let package = Overrides::parse(
            "package:\n  version: 1.2.3-rc.1+build.5\n  license: MIT\n  keywords: [pets]\n  publish: true\n",
        )
        .unwrap()
        .package
        .unwrap();
        assert_eq!(
            (package.version.as_deref(), package.license.as_deref(), package.publish),
            (Some("1.2.3-rc.1+build.5"), Some("MIT"), true)
        );
        assert_eq!(package.keywords, ["pets"]);
        assert!(
            !Overrides::parse("package: {}\n").unwrap().package.unwrap().publish,
            "unpublishable unless it says so"
        );
        let cases = [
            ("package:\n  version: '1.2'\n", "`package.version` is not a version"),
            ("package:\n  version: 01.2.3\n", "`package.version` is not a version"),
            ("package:\n  version: 1.2.3-\n", "`package.version` is not a version"),
            ("package:\n  version: \"1.2.3\\n[dependencies]\"\n", "`package.version` is not a version"),
            ("package:\n  publish: true\n", "`package.license` is required with `publish: true`"),
            ("package:\n  publish: true\n  license: ' '\n", "`package.license` is required"),
            ("package:\n  licence: MIT\n", "unknown field `licence`"),
        ];
        for (text, want) in cases {
            let err = Overrides::parse(text).unwrap_err().to_string();
            assert!(err.contains(want), "{text}: {err}");
        }
    }
}
