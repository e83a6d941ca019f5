//! The document as JSON: pointers, references and one index over them.
//!
//! Everything that reads a description by position goes through here: JSON pointers
//! (RFC 6901) are written with [`escape`], read with [`decode`] and followed with
//! [`resolve`]; an [`Index`] is one walk over the whole document that the slicer,
//! overrides and lowering share: every local `$ref` with the node holding it, how often
//! each string-enum value list occurs, the longest pointer, and [`Index::reach`], the
//! nodes or component entries that a set of starting nodes reaches through references.
//!
//! Walks keep their own stack: a document nests as deep as its author makes it.

use serde_json::Value;
use std::borrow::Cow;
use std::collections::{BTreeSet, HashMap, HashSet};

/// Escapes one JSON-pointer token: `~` as `~0`, `/` as `~1`.
pub fn escape(token: &str) -> Cow<'_, str> {
    if token.contains(['~', '/']) {
        Cow::Owned(token.replace('~', "~0").replace('/', "~1"))
    } else {
        Cow::Borrowed(token)
    }
}

/// Undoes [`escape`] on one token. A `~` followed by anything but `0` or `1` is kept as
/// written (lenient, for names read back from references that [`decode`] accepted).
pub fn unescape(token: &str) -> Cow<'_, str> {
    if token.contains('~') {
        Cow::Owned(token.replace("~1", "/").replace("~0", "~"))
    } else {
        Cow::Borrowed(token)
    }
}

/// The decoded tokens of a pointer in fragment form (`#/a/b~1c`) or plain (`/a/b~1c`);
/// `#` and the empty pointer are the root (no tokens). `None` when it is not a pointer:
/// no leading `/`, or a `~` not followed by `0` or `1`.
pub fn decode(pointer: &str) -> Option<Vec<String>> {
    let fragment = pointer.strip_prefix('#').unwrap_or(pointer);
    if fragment.is_empty() {
        return Some(Vec::new());
    }
    fragment
        .strip_prefix('/')?
        .split('/')
        .map(|token| {
            let mut out = String::with_capacity(token.len());
            let mut chars = token.chars();
            while let Some(c) = chars.next() {
                out.push(match c {
                    '~' => match chars.next()? {
                        '0' => '~',
                        '1' => '/',
                        _ => return None,
                    },
                    c => c,
                });
            }
            Some(out)
        })
        .collect()
}

/// Writes a pointer in fragment form from decoded tokens: `["paths", "/a"]` -> `#/paths/~1a`.
pub fn pointer<T: AsRef<str>>(tokens: impl IntoIterator<Item = T>) -> String {
    let mut out = String::from("#");
    for token in tokens {
        out.push('/');
        out.push_str(&escape(token.as_ref()));
    }
    out
}

/// The node at `pointer` (`#/a/b~1c`) in `doc`, if there is one.
pub fn resolve<'a>(doc: &'a Value, pointer: &str) -> Option<&'a Value> {
    let fragment = pointer.strip_prefix('#')?;
    doc.pointer(fragment)
}

/// The node at `pointer` (`#/a/b~1c`) in `doc`, to change it.
pub fn resolve_mut<'a>(doc: &'a mut Value, pointer: &str) -> Option<&'a mut Value> {
    let fragment = pointer.strip_prefix('#')?;
    doc.pointer_mut(fragment)
}

/// Follows decoded tokens down from `node`.
pub fn resolve_tokens<'a>(node: &'a Value, tokens: &[String]) -> Option<&'a Value> {
    tokens.iter().try_fold(node, |node, token| match node {
        Value::Object(map) => map.get(token),
        Value::Array(items) => token.parse::<usize>().ok().and_then(|i| items.get(i)),
        _ => None,
    })
}

/// The pointer tokens of a node's children (keys of a mapping, indexes of a list), for
/// walks that keep their own stack instead of recursing.
pub fn child_tokens(node: &Value) -> Vec<String> {
    match node {
        Value::Object(map) => map.keys().cloned().collect(),
        Value::Array(items) => (0..items.len()).map(|i| i.to_string()).collect(),
        _ => Vec::new(),
    }
}

/// The pointer of the node a depth-first walk is at, in one buffer. A walk that keeps its
/// own stack gives, for each node it takes, the node's depth and token; the buffer drops
/// the tokens of the nodes the walk has left.
#[derive(Debug, Clone)]
pub struct PointerBuf {
    text: String,
    /// Where the pointer of the node at each depth so far ends.
    ends: Vec<usize>,
}

impl PointerBuf {
    /// A walk starting at the node whose pointer is `start` (`#`, or `""` for the plain form).
    pub fn new(start: &str) -> PointerBuf {
        PointerBuf { text: start.to_owned(), ends: vec![start.len()] }
    }

    /// Moves to the node with (escaped) `token` at `depth` below the start (the start is
    /// depth 0, whose token is ignored).
    pub fn enter(&mut self, depth: usize, token: &str) {
        if depth == 0 {
            return;
        }
        self.ends.truncate(depth);
        self.text.truncate(self.ends[depth - 1]);
        self.text.push('/');
        self.text.push_str(token);
        self.ends.push(self.text.len());
    }

    /// The current node's pointer.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The pointer of the current node's parent (the start's own, at the start).
    pub fn parent(&self) -> &str {
        let end = self.ends.len().checked_sub(2).map_or(self.text.len(), |i| self.ends[i]);
        &self.text[..end]
    }
}

/// A reference from one node of the document to another.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    /// The target, in fragment form, as written (`#/components/schemas/run`), or as made
    /// from an implicit reference (a bare `discriminator.mapping` name).
    pub target: String,
    /// The node that holds the reference, as a pointer.
    pub holder: String,
}

/// Why a reference could not be followed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// The target is not a JSON pointer (`#/a~2`).
    Malformed(Reference),
    /// Nothing is at the target.
    Dangling(Reference),
    /// The target is not inside a component entry (`#/components/<section>/<name>`), where
    /// [`Reach::Entries`] needs it.
    OutsideComponents(Reference),
}

/// What [`Index::reach`] follows references to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reach {
    /// The referenced nodes themselves, anywhere in the document (what lowering needs).
    Nodes,
    /// The whole component entries the targets sit in, as a slice must keep them.
    Entries,
}

/// What a walk reached.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Reached {
    /// Every target followed (fragment form, as written), in sorted order.
    pub targets: BTreeSet<String>,
    /// Every component entry a target sits in, as `(section, name)`.
    pub entries: BTreeSet<(String, String)>,
    /// References that could not be followed, in the order the walk met them.
    pub problems: Vec<Problem>,
}

/// One walk's worth of facts about a whole document.
#[derive(Debug)]
pub struct Index<'a> {
    root: &'a Value,
    /// Every local reference (`$ref` starting with `#`), in document order.
    references: Vec<Reference>,
    /// String-enum value lists (repeats removed, order kept) by how often they occur.
    enum_counts: HashMap<Vec<String>, usize>,
    /// The first node (in walk order) whose pointer is longer than the limit given to
    /// [`Index::new`]: the pointer of its parent and its own key.
    too_long: Option<(String, String)>,
}

impl<'a> Index<'a> {
    /// Walks `root` once. `max_pointer_len` bounds the pointers the index writes: below a
    /// node whose pointer is longer, nothing more is walked (see [`Index::too_long`]).
    pub fn new(root: &'a Value, max_pointer_len: usize) -> Index<'a> {
        let mut index = Index { root, references: Vec::new(), enum_counts: HashMap::new(), too_long: None };
        // Each stack entry is a node, its depth and its pointer token.
        let mut pointer = PointerBuf::new("#");
        let mut todo: Vec<(&Value, usize, Cow<'_, str>)> = vec![(root, 0, Cow::Borrowed(""))];
        while let Some((node, depth, token)) = todo.pop() {
            pointer.enter(depth, &token);
            if pointer.as_str().len() > max_pointer_len {
                if index.too_long.is_none() {
                    index.too_long = Some((pointer.parent().to_owned(), unescape(&token).into_owned()));
                }
                continue;
            }
            match node {
                Value::Object(map) => {
                    if let Some(Value::String(target)) = map.get("$ref") {
                        if target.starts_with('#') {
                            index.references.push(Reference { target: target.clone(), holder: pointer.as_str().to_owned() });
                        }
                    }
                    if let (Some(Value::Array(values)), Some("string")) = (map.get("enum"), map.get("type").and_then(Value::as_str)) {
                        let values = enum_values(values);
                        if !values.is_empty() {
                            *index.enum_counts.entry(values).or_default() += 1;
                        }
                    }
                    for (key, value) in map.iter().rev() {
                        todo.push((value, depth + 1, escape(key)));
                    }
                }
                Value::Array(items) => {
                    for (i, value) in items.iter().enumerate().rev() {
                        todo.push((value, depth + 1, Cow::Owned(i.to_string())));
                    }
                }
                _ => {}
            }
        }
        index
    }

    /// The document indexed.
    pub fn root(&self) -> &'a Value {
        self.root
    }

    /// Every local `$ref` of the document, in document order.
    pub fn references(&self) -> &[Reference] {
        &self.references
    }

    /// How often a string enum with exactly these values (repeats removed) occurs.
    pub fn enum_count(&self, values: &[String]) -> usize {
        self.enum_counts.get(values).copied().unwrap_or(0)
    }

    /// The first node whose pointer passes the limit: its parent's pointer and its key.
    pub fn too_long(&self) -> Option<(&str, &str)> {
        self.too_long.as_ref().map(|(parent, key)| (parent.as_str(), key.as_str()))
    }

    /// What `starts` (nodes with their pointers) reach through references, transitively:
    /// each `$ref`, and each `discriminator.mapping` value (a reference, or a bare schema
    /// name), plus `extra` references the caller knows of (such as the security schemes
    /// a requirement names). References to other documents are not followed.
    pub fn reach(&self, starts: Vec<(String, &'a Value)>, extra: Vec<Reference>, mode: Reach) -> Reached {
        let mut reached = Reached::default();
        let mut walked: HashSet<String> = HashSet::new();
        let mut nodes: Vec<(String, &'a Value)> = starts;
        nodes.reverse();
        let mut pending: Vec<Reference> = extra;
        let mut next: Vec<(String, &'a Value)> = Vec::new();
        loop {
            // Follow what is pending (in document order) before walking further, so each
            // target is walked once; then walk the first of them first.
            for reference in pending.drain(..) {
                next.extend(self.follow(reference, mode, &mut reached, &mut walked));
            }
            nodes.extend(next.drain(..).rev());
            let Some((at, node)) = nodes.pop() else { break };
            references_below(&at, node, &mut pending);
        }
        reached
    }

    /// Records `reference` as reached; returns the node to walk next, unless it has been
    /// walked already or cannot be followed.
    fn follow(&self, reference: Reference, mode: Reach, reached: &mut Reached, walked: &mut HashSet<String>) -> Option<(String, &'a Value)> {
        let Some(tokens) = decode(&reference.target) else {
            reached.problems.push(Problem::Malformed(reference));
            return None;
        };
        let entry = match tokens.as_slice() {
            [components, section, name, ..] if components == "components" => Some((section.clone(), name.clone())),
            _ => None,
        };
        if mode == Reach::Entries && entry.is_none() {
            reached.problems.push(Problem::OutsideComponents(reference));
            return None;
        }
        let Some(target) = resolve_tokens(self.root, &tokens) else {
            reached.problems.push(Problem::Dangling(reference));
            return None;
        };
        match (mode, entry) {
            (Reach::Nodes, entry) => {
                reached.entries.extend(entry);
                reached.targets.insert(reference.target.clone());
                walked.insert(reference.target.clone()).then_some((reference.target, target))
            }
            (Reach::Entries, Some((section, name))) => {
                reached.targets.insert(reference.target);
                let node = self.root.get("components")?.get(&section)?.get(&name)?;
                let at = pointer(["components", &section, &name]);
                reached.entries.insert((section, name));
                walked.insert(at.clone()).then_some((at, node))
            }
            (Reach::Entries, None) => None,
        }
    }
}

/// The references held below `node` (at pointer `at`), in document order. The pointer
/// of the node being walked is copied only for a reference.
pub fn references_below(at: &str, node: &Value, out: &mut Vec<Reference>) {
    let mut pointer = PointerBuf::new(at);
    let mut todo: Vec<(&Value, usize, Cow<'_, str>)> = vec![(node, 0, Cow::Borrowed(""))];
    while let Some((node, depth, token)) = todo.pop() {
        pointer.enter(depth, &token);
        let pointer = pointer.as_str();
        match node {
            Value::Object(map) => {
                if let Some(Value::String(target)) = map.get("$ref") {
                    if target.starts_with('#') {
                        out.push(Reference { target: target.clone(), holder: pointer.to_owned() });
                    }
                }
                if let Some(Value::Object(mapping)) = map.get("discriminator").and_then(|d| d.get("mapping")) {
                    for (key, target) in mapping {
                        let Value::String(target) = target else { continue };
                        let holder = format!("{pointer}/discriminator/mapping/{}", escape(key));
                        if target.starts_with('#') {
                            out.push(Reference { target: target.clone(), holder });
                        } else if !target.contains(['/', '#']) {
                            // A bare schema name.
                            out.push(Reference { target: self::pointer(["components", "schemas", target]), holder });
                        }
                    }
                }
                for (key, value) in map.iter().rev() {
                    if matches!(value, Value::Object(_) | Value::Array(_)) {
                        todo.push((value, depth + 1, escape(key)));
                    }
                }
            }
            Value::Array(items) => {
                for (i, value) in items.iter().enumerate().rev() {
                    if matches!(value, Value::Object(_) | Value::Array(_)) {
                        todo.push((value, depth + 1, Cow::Owned(i.to_string())));
                    }
                }
            }
            _ => {}
        }
    }
}

/// An enum's string values without repeats, in order.
pub fn enum_values(values: &[Value]) -> Vec<String> {
    let mut seen = HashSet::new();
    values.iter().filter_map(Value::as_str).filter(|v| seen.insert(*v)).map(str::to_owned).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn pointers_round_trip_through_escaping() {
        let tokens = ["paths", "/repos/{owner}", "a~b", "0"];
        let written = pointer(tokens);
        assert_eq!(written, "#/paths/~1repos~1{owner}/a~0b/0");
        assert_eq!(decode(&written).unwrap(), tokens);
        assert_eq!(decode("/a/b").unwrap(), ["a", "b"]);
        assert_eq!(decode("#").unwrap(), Vec::<String>::new());
        assert_eq!(decode("#a"), None);
        assert_eq!(decode("#/a~2"), None);
        assert_eq!(unescape("~1a~0~01"), "/a~~1");
        assert!(matches!(escape("plain"), Cow::Borrowed("plain")));
        let doc = json!({"paths": {"/a": {"get": [1, {"x": 2}]}}});
        assert_eq!(resolve(&doc, "#/paths/~1a/get/1/x"), Some(&json!(2)));
        assert_eq!(resolve(&doc, "/paths"), None, "fragment form only");
        assert_eq!(resolve_tokens(&doc, &decode("#/paths/~1a/get/0").unwrap()), Some(&json!(1)));
    }

    #[test]
    fn one_walk_finds_references_enums_and_overlong_pointers() {
        let doc = json!({
            "a": {"$ref": "#/b", "enum": ["x", "y", "x"], "type": "string"},
            "b": [{"type": "string", "enum": ["x", "y"]}, {"$ref": "other.yaml#/c"}],
            "c": {"k".repeat(40): {"$ref": "#/never-indexed"}},
        });
        let index = Index::new(&doc, 30);
        assert_eq!(index.references(), [Reference { target: "#/b".into(), holder: "#/a".into() }]);
        assert_eq!(index.enum_count(&["x".into(), "y".into()]), 2);
        assert_eq!(index.enum_count(&["y".into()]), 0);
        assert_eq!(index.too_long(), Some(("#/c", "k".repeat(40).as_str())));
        assert_eq!(Index::new(&doc, 2048).too_long(), None);
    }

    #[test]
    fn reaching_nodes_follows_chains_once_and_reports_dangling_references() {
        let doc = json!({
            "paths": {"/a": {"get": {"$ref": "#/components/schemas/one/properties/p"}}},
            "components": {"schemas": {
                "one": {"properties": {"p": {"$ref": "#/components/schemas/two"}, "q": {"$ref": "#/components/schemas/unused"}}},
                "two": {"items": {"$ref": "#/components/schemas/two"}, "x": {"$ref": "#/nowhere"}},
                "unused": {},
            }},
        });
        let index = Index::new(&doc, 2048);
        let starts = vec![("#/paths".to_owned(), &doc["paths"])];
        let reached = index.reach(starts.clone(), Vec::new(), Reach::Nodes);
        let targets: Vec<&str> = reached.targets.iter().map(String::as_str).collect();
        assert_eq!(targets, ["#/components/schemas/one/properties/p", "#/components/schemas/two"]);
        assert_eq!(reached.problems, [Problem::Dangling(Reference { target: "#/nowhere".into(), holder: "#/components/schemas/two/x".into() })]);
        // Whole entries: `one` is kept entire, so `unused` is reached through it, and a
        // target outside the components cannot be kept.
        let reached = index.reach(starts, Vec::new(), Reach::Entries);
        let entries: Vec<&str> = reached.entries.iter().map(|(_, name)| name.as_str()).collect();
        assert_eq!(entries, ["one", "two", "unused"]);
        assert_eq!(reached.problems, [Problem::OutsideComponents(Reference { target: "#/nowhere".into(), holder: "#/components/schemas/two/x".into() })]);
        let bad = index.reach(Vec::new(), vec![Reference { target: "#/a~2".into(), holder: "#".into() }], Reach::Nodes);
        assert!(matches!(bad.problems.as_slice(), [Problem::Malformed(_)]));
    }

    #[test]
    fn discriminator_mappings_and_extra_references_are_followed() {
        let doc = json!({
            "components": {
                "schemas": {
                    "pet": {"discriminator": {"propertyName": "kind", "mapping": {"c": "cat", "d": "#/components/schemas/dog", "x": "other.yaml#/e"}}},
                    "cat": {}, "dog": {},
                },
                "securitySchemes": {"token": {}},
            },
        });
        let index = Index::new(&doc, 2048);
        let extra = vec![Reference { target: "#/components/securitySchemes/token".into(), holder: "#/security/0".into() }];
        let reached = index.reach(vec![("#/components/schemas/pet".into(), &doc["components"]["schemas"]["pet"])], extra, Reach::Entries);
        let entries: Vec<(&str, &str)> = reached.entries.iter().map(|(s, n)| (s.as_str(), n.as_str())).collect();
        assert_eq!(entries, [("schemas", "cat"), ("schemas", "dog"), ("securitySchemes", "token")]);
        assert!(reached.problems.is_empty(), "{:?}", reached.problems);
    }

    #[test]
    fn deep_documents_are_walked_without_recursion() {
        // Deeper than the default stack would allow a recursive walk in a debug build.
        let mut doc = json!({"$ref": "#/end"});
        for _ in 0..20_000 {
            // Not `json!`, which would copy `doc` by serializing it, recursively.
            doc = Value::Object([("n".to_owned(), doc)].into_iter().collect());
        }
        let doc = Value::Object([("start".to_owned(), doc), ("end".to_owned(), json!({"type": "string", "enum": ["z"]}))].into_iter().collect());
        let index = Index::new(&doc, usize::MAX);
        assert_eq!(index.references().len(), 1);
        assert_eq!(index.enum_count(&["z".into()]), 1);
        let reached = index.reach(vec![("#/start".into(), &doc["start"])], Vec::new(), Reach::Nodes);
        assert!(reached.targets.contains("#/end"));
        drop(index);
        // `Value`'s own drop recurses: take the chain apart from the top.
        let mut node = doc;
        while let Some(child) = node.as_object_mut().and_then(|map| map.values_mut().next()).map(Value::take) {
            node = child;
        }
    }
}
