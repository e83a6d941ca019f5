//! A description's `x-github-breaking-changes` applied for one REST API version.
//!
//! GitHub's descriptions of github.com and GHEC describe the oldest API version they
//! serve, and list on each node what a later version changes there:
//!
//! ```yaml
//! x-github-breaking-changes:
//!   - changeset: remove_has_downloads
//!     version: "2026-03-10"
//!     patch: {properties: {has_downloads: null}}        # a JSON merge patch (RFC 7396)
//!   - changeset: remove_has_downloads
//!     version: "2026-03-10"
//!     patch: [{op: remove, path: /value/has_downloads}]  # a JSON patch (RFC 6902)
//! ```
//!
//! Both kinds apply to the node that holds the list. [`apply`] applies every entry of one
//! version, innermost nodes first (an outer patch may remove an inner node, never the
//! reverse), and removes the entries it applied. It is bounded: a patch nests no deeper
//! than [`MAX_DEPTH`] and the walks keep their own stack. A patch that cannot apply is an
//! [`Error`] naming the node and the pointer, never a panic.

use generator::document;
use serde_json::{Map, Value};

/// The key that holds a node's breaking changes.
pub const KEY: &str = "x-github-breaking-changes";

/// The deepest a merge patch may nest.
pub const MAX_DEPTH: usize = 128;

/// Why a breaking change could not be applied.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum Error {
    /// The list or one of its entries is not shaped as GitHub writes them.
    #[error("{at}: {what}")]
    Malformed {
        /// The entry, as a JSON pointer.
        at: String,
        /// What is wrong with it.
        what: String,
    },
    /// A JSON patch operation whose path (or `from`) names nothing it can act on.
    #[error("{at}: `{op}` at `{path}`: {what}")]
    Operation {
        /// The entry, as a JSON pointer.
        at: String,
        /// The operation (`remove`, `add`, ...).
        op: String,
        /// The operation's path, relative to the node that holds the list.
        path: String,
        /// What is wrong.
        what: String,
    },
}

/// What [`apply`] did: the changesets applied, in order, each with the node it changed.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Applied {
    /// `(pointer of the node, changeset name)`.
    pub changes: Vec<(String, String)>,
}

/// Applies every breaking change of `version` in `doc` and removes those entries (a list
/// left empty goes too); entries of other versions stay.
pub fn apply(doc: &mut Value, version: &str) -> Result<Applied, Error> {
    let mut holders = holders(doc);
    // Innermost first: a longer pointer is never an ancestor of a shorter one.
    holders.sort_by_key(|tokens| std::cmp::Reverse(tokens.len()));
    let mut applied = Applied::default();
    for tokens in holders {
        let at = document::pointer(&tokens);
        let Some(node) = resolve_mut(doc, &tokens) else {
            // An outer node's patch cannot have run yet, and inner ones change only
            // their own nodes: the holder is always there.
            return Err(malformed(&at, "the node disappeared while its breaking changes were applied"));
        };
        let Some(Value::Array(entries)) = node.as_object_mut().and_then(|map| map.shift_remove(KEY)) else {
            return Err(malformed(&format!("{at}/{KEY}"), "not a list"));
        };
        let mut kept = Vec::new();
        for (index, entry) in entries.into_iter().enumerate() {
            let entry_at = format!("{at}/{KEY}/{index}");
            let Value::Object(fields) = &entry else { return Err(malformed(&entry_at, "not a mapping")) };
            let Some(entry_version) = fields.get("version").and_then(Value::as_str) else {
                return Err(malformed(&entry_at, "no `version`"));
            };
            if entry_version != version {
                kept.push(entry);
                continue;
            }
            let changeset = fields.get("changeset").and_then(Value::as_str).unwrap_or("(unnamed)").to_owned();
            match fields.get("patch") {
                Some(Value::Array(operations)) => json_patch(node, operations, &entry_at)?,
                Some(patch @ Value::Object(_)) => merge_patch(node, patch, &entry_at)?,
                _ => return Err(malformed(&entry_at, "`patch` is neither a merge patch nor a list of operations")),
            }
            applied.changes.push((at.clone(), changeset));
        }
        if !kept.is_empty() {
            if let Some(map) = node.as_object_mut() {
                map.insert(KEY.to_owned(), Value::Array(kept));
            }
        }
    }
    Ok(applied)
}

/// The pointer tokens of every object holding [`KEY`], found with a stack of its own.
fn holders(doc: &Value) -> Vec<Vec<String>> {
    let mut found = Vec::new();
    let mut todo: Vec<(Vec<String>, &Value)> = vec![(Vec::new(), doc)];
    while let Some((tokens, node)) = todo.pop() {
        match node {
            Value::Object(map) => {
                if map.contains_key(KEY) {
                    found.push(tokens.clone());
                }
                for (key, child) in map.iter().filter(|(key, _)| *key != KEY) {
                    let mut child_tokens = tokens.clone();
                    child_tokens.push(key.clone());
                    todo.push((child_tokens, child));
                }
            }
            Value::Array(items) => {
                for (index, child) in items.iter().enumerate() {
                    let mut child_tokens = tokens.clone();
                    child_tokens.push(index.to_string());
                    todo.push((child_tokens, child));
                }
            }
            _ => {}
        }
    }
    found
}

fn resolve_mut<'a>(node: &'a mut Value, tokens: &[String]) -> Option<&'a mut Value> {
    tokens.iter().try_fold(node, |node, token| match node {
        Value::Object(map) => map.get_mut(token),
        Value::Array(items) => token.parse::<usize>().ok().and_then(|i| items.get_mut(i)),
        _ => None,
    })
}

fn malformed(at: &str, what: &str) -> Error {
    Error::Malformed { at: at.to_owned(), what: what.to_owned() }
}

/// RFC 7396: an object patch merges key by key (`null` removes the key), anything else
/// replaces the target. Nested no deeper than [`MAX_DEPTH`].
fn merge_patch(target: &mut Value, patch: &Value, at: &str) -> Result<(), Error> {
    // (target, patch, depth), walked with a stack of our own.
    let mut todo: Vec<(&mut Value, &Value, usize)> = vec![(target, patch, 0)];
    while let Some((target, patch, depth)) = todo.pop() {
        if depth > MAX_DEPTH {
            return Err(malformed(at, &format!("the patch nests deeper than {MAX_DEPTH} levels")));
        }
        let Value::Object(fields) = patch else {
            *target = patch.clone();
            continue;
        };
        if !target.is_object() {
            *target = Value::Object(Map::new());
        }
        let Value::Object(map) = target else { unreachable!("made an object above") };
        for (key, value) in fields {
            if value.is_null() {
                map.shift_remove(key);
            } else if !value.is_object() {
                map.insert(key.clone(), value.clone());
            }
        }
        // The object-valued keys go on the stack; every key is distinct, so each target
        // child is borrowed once.
        let nested: std::collections::BTreeSet<&str> =
            fields.iter().filter(|(_, v)| v.is_object()).map(|(k, _)| k.as_str()).collect();
        for key in &nested {
            map.entry(key.to_string()).or_insert(Value::Null);
        }
        for (key, child) in map.iter_mut() {
            if nested.contains(key.as_str()) {
                todo.push((child, &fields[key], depth + 1));
            }
        }
    }
    Ok(())
}

/// RFC 6902 on `node`: `add`, `remove`, `replace`, `move`, `copy` and `test`, in order.
/// The first that fails stops the patch with an error naming its path.
fn json_patch(node: &mut Value, operations: &[Value], at: &str) -> Result<(), Error> {
    for (index, operation) in operations.iter().enumerate() {
        let at = format!("{at}/patch/{index}");
        let field = |name: &str| operation.get(name).and_then(Value::as_str);
        let op = field("op").ok_or_else(|| malformed(&at, "an operation without `op`"))?.to_owned();
        let path = field("path").ok_or_else(|| malformed(&at, "an operation without `path`"))?.to_owned();
        let fail =
            |what: &str| Error::Operation { at: at.clone(), op: op.clone(), path: path.clone(), what: what.to_owned() };
        let tokens = document::decode(&path).filter(|_| path.starts_with('/') || path.is_empty());
        let tokens = tokens.ok_or_else(|| fail("not a JSON pointer"))?;
        let value = || operation.get("value").cloned().ok_or_else(|| fail("no `value`"));
        let from = || {
            let from = field("from").ok_or_else(|| fail("no `from`"))?;
            document::decode(from).filter(|_| from.starts_with('/')).ok_or_else(|| fail("`from` is not a JSON pointer"))
        };
        match op.as_str() {
            "add" => add(node, &tokens, value()?).map_err(&fail)?,
            "remove" => {
                remove(node, &tokens).map_err(&fail)?;
            }
            "replace" => {
                let target = resolve_mut(node, &tokens).ok_or_else(|| fail("nothing is there"))?;
                *target = value()?;
            }
            "move" => {
                let from = from()?;
                if tokens.len() > from.len() && tokens[..from.len()] == from[..] {
                    return Err(fail("a node cannot move into itself"));
                }
                let moved = remove(node, &from).map_err(|what| fail(&format!("`from`: {what}")))?;
                add(node, &tokens, moved).map_err(&fail)?;
            }
            "copy" => {
                let copied = resolve_mut(node, &from()?).ok_or_else(|| fail("`from`: nothing is there"))?.clone();
                add(node, &tokens, copied).map_err(&fail)?;
            }
            "test" => {
                if resolve_mut(node, &tokens).map(|found| &*found) != Some(&value()?) {
                    return Err(fail("the value there differs"));
                }
            }
            _ => return Err(fail("unknown operation")),
        }
    }
    Ok(())
}

/// Splits off the last token: the parent's tokens and the child's name.
fn split(tokens: &[String]) -> Result<(&[String], &str), &'static str> {
    match tokens.split_last() {
        Some((last, parent)) => Ok((parent, last)),
        None => Err("the node itself cannot be added or removed"),
    }
}

fn add(node: &mut Value, tokens: &[String], value: Value) -> Result<(), &'static str> {
    let (parent, last) = split(tokens)?;
    match resolve_mut(node, parent).ok_or("its parent does not exist")? {
        Value::Object(map) => {
            map.insert(last.to_owned(), value);
        }
        Value::Array(items) => {
            let index = if last == "-" { items.len() } else { index(last)? };
            if index > items.len() {
                return Err("the index is past the end of the list");
            }
            items.insert(index, value);
        }
        _ => return Err("its parent is neither a mapping nor a list"),
    }
    Ok(())
}

fn remove(node: &mut Value, tokens: &[String]) -> Result<Value, &'static str> {
    let (parent, last) = split(tokens)?;
    match resolve_mut(node, parent).ok_or("its parent does not exist")? {
        Value::Object(map) => map.shift_remove(last).ok_or("nothing is there"),
        Value::Array(items) => {
            let index = index(last)?;
            if index >= items.len() {
                return Err("nothing is there");
            }
            Ok(items.remove(index))
        }
        _ => Err("its parent is neither a mapping nor a list"),
    }
}

/// A list index as RFC 6901 writes it: digits, no leading zero.
fn index(token: &str) -> Result<usize, &'static str> {
    let digits = !token.is_empty() && token.bytes().all(|b| b.is_ascii_digit());
    if !digits || (token.len() > 1 && token.starts_with('0')) {
        return Err("not a list index");
    }
    token.parse().map_err(|_| "not a list index")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn change(version: &str, patch: Value) -> Value {
        json!({"changeset": "c", "version": version, "patch": patch})
    }

    #[test]
    fn a_merge_patch_removes_with_null_and_replaces_lists_whole() {
        let mut doc = json!({"components": {"schemas": {"repo": {
            "required": ["id", "has_downloads"],
            "properties": {"id": {"type": "integer"}, "has_downloads": {"type": "boolean"}},
            KEY: [change("2026-03-10", json!({"properties": {"has_downloads": null, "new": {"type": "string"}}, "required": ["id"]}))],
        }}}});
        let applied = apply(&mut doc, "2026-03-10").unwrap();
        assert_eq!(applied.changes, [("#/components/schemas/repo".to_owned(), "c".to_owned())]);
        assert_eq!(
            doc["components"]["schemas"]["repo"],
            json!({"required": ["id"], "properties": {"id": {"type": "integer"}, "new": {"type": "string"}}})
        );
    }

    #[test]
    fn only_the_chosen_version_applies_and_the_others_stay() {
        let later = change("2027-01-01", json!({"a": null}));
        let mut doc = json!({"a": 1, "b": 2, KEY: [change("2026-03-10", json!({"b": null})), later.clone()]});
        apply(&mut doc, "2026-03-10").unwrap();
        assert_eq!(doc, json!({"a": 1, KEY: [later]}));
        let mut untouched = json!({"a": 1, KEY: [change("2026-03-10", json!({"a": null}))]});
        let before = untouched.clone();
        assert_eq!(apply(&mut untouched, "2022-11-28").unwrap(), Applied::default());
        assert_eq!(untouched, before);
    }

    #[test]
    fn a_json_patch_acts_on_the_holding_node() {
        let mut doc = json!({"examples": {"repo": {
            "value": {"id": 1, "has_downloads": true, "list": [1, 2]},
            KEY: [change("v", json!([
                {"op": "remove", "path": "/value/has_downloads"},
                {"op": "add", "path": "/value/list/-", "value": 3},
                {"op": "replace", "path": "/value/id", "value": 2},
                {"op": "copy", "from": "/value/id", "path": "/value/copied"},
                {"op": "move", "from": "/value/copied", "path": "/value/moved"},
                {"op": "test", "path": "/value/moved", "value": 2},
                {"op": "add", "path": "/value/a~1b", "value": 0},
            ]))],
        }}});
        apply(&mut doc, "v").unwrap();
        assert_eq!(doc["examples"]["repo"], json!({"value": {"id": 2, "list": [1, 2, 3], "moved": 2, "a/b": 0}}));
    }

    #[test]
    fn inner_nodes_change_before_the_outer_node_removes_them() {
        let mut doc = json!({"outer": {
            "inner": {"x": 1, KEY: [change("v", json!({"x": null}))]},
            KEY: [change("v", json!([{"op": "remove", "path": "/inner"}]))],
        }});
        assert_eq!(apply(&mut doc, "v").unwrap().changes.len(), 2);
        assert_eq!(doc, json!({"outer": {}}));
    }

    #[test]
    fn a_bad_patch_is_an_error_naming_the_pointer() {
        let error = |patch: Value| {
            let mut doc = json!({"paths": {"/a": {"get": {"x": [1], KEY: [change("v", patch)]}}}});
            apply(&mut doc, "v").unwrap_err().to_string()
        };
        let at = "#/paths/~1a/get/x-github-breaking-changes/0";
        assert_eq!(
            error(json!([{"op": "remove", "path": "/missing"}])),
            format!("{at}/patch/0: `remove` at `/missing`: nothing is there")
        );
        assert_eq!(
            error(json!([{"op": "add", "path": "/x/5", "value": 0}])),
            format!("{at}/patch/0: `add` at `/x/5`: the index is past the end of the list")
        );
        assert!(error(json!([{"op": "remove", "path": "/x/01"}])).contains("not a list index"));
        assert!(error(json!([{"op": "remove", "path": "x"}])).contains("not a JSON pointer"));
        assert!(error(json!([{"op": "remove", "path": "/a~2"}])).contains("not a JSON pointer"));
        assert!(error(json!([{"op": "frob", "path": "/x"}])).contains("unknown operation"));
        assert!(error(json!([{"op": "add", "path": "/y"}])).contains("no `value`"));
        assert!(error(json!([{"op": "move", "from": "/x", "path": "/x/0"}])).contains("into itself"));
        assert!(error(json!([{"op": "test", "path": "/x", "value": [2]}])).contains("differs"));
        assert!(error(json!([{"op": "remove", "path": ""}])).contains("the node itself"));
        assert!(error(json!("text")).contains("neither a merge patch"));
        let mut doc = json!({KEY: [{"patch": {}}]});
        assert_eq!(apply(&mut doc, "v").unwrap_err().to_string(), "#/x-github-breaking-changes/0: no `version`");
        let mut doc = json!({KEY: {}});
        assert!(apply(&mut doc, "v").unwrap_err().to_string().contains("not a list"));
    }

    #[test]
    fn a_deep_merge_patch_is_refused_not_overflowed() {
        let mut patch = json!(1);
        for _ in 0..MAX_DEPTH + 5 {
            patch = json!({ "a": patch });
        }
        let mut doc = json!({KEY: [change("v", patch)]});
        assert!(apply(&mut doc, "v").unwrap_err().to_string().contains("nests deeper than"));
    }
}
