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
}
