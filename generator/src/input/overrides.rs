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

use super::document::resolve_mut;
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
                return Err(fail("version", "is not a version of the form MAJOR.MINOR.PATCH (`0.2.0`, `1.0.0-beta.1`)"));
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
    let number = |part: &str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit()) && (part == "0" || !part.starts_with('0'));
    let label = |part: &str| !part.is_empty() && part.split('.').all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'));
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
            let fail = |message: &str| Error::Override { index, pointer: patch.pointer.clone(), message: message.into() };
            if patch.reason.trim().is_empty() {
                return Err(fail("every entry needs a `reason`"));
            }
            let actions = [!patch.remove.is_empty(), !patch.remove_items.is_empty(), !patch.set.is_empty()];
            if actions.iter().filter(|a| **a).count() != 1 {
                return Err(fail("give exactly one of `remove`, `remove_items`, `set`"));
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
            } else {
                let map = node.as_object_mut().ok_or_else(|| fail("`set` needs a mapping".into()))?;
                for (key, value) in &patch.set {
                    map.insert(key.clone(), value.clone());
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
            ("- pointer: '#/components/schemas/gone'\n  remove: [x]\n  reason: r", "overrides entry 0 (#/components/schemas/gone): no such node in the document"),
            ("- pointer: '#/components/schemas/run/required'\n  remove_items: [nope]\n  reason: r", "overrides entry 0 (#/components/schemas/run/required): no item `nope` to remove"),
            ("- pointer: '#/components/schemas/run'\n  remove: [nope]\n  reason: r", "overrides entry 0 (#/components/schemas/run): no key `nope` to remove"),
            ("- pointer: '#/components/schemas/run'\n  remove_items: [id]\n  reason: r", "overrides entry 0 (#/components/schemas/run): `remove_items` needs a list"),
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

    #[test]
    fn package_metadata_is_checked() {
        let package = Overrides::parse("package:\n  version: 1.2.3-rc.1+build.5\n  license: MIT\n  keywords: [pets]\n  publish: true\n").unwrap().package.unwrap();
        assert_eq!((package.version.as_deref(), package.license.as_deref(), package.publish), (Some("1.2.3-rc.1+build.5"), Some("MIT"), true));
        assert_eq!(package.keywords, ["pets"]);
        assert!(!Overrides::parse("package: {}\n").unwrap().package.unwrap().publish, "unpublishable unless it says so");
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
