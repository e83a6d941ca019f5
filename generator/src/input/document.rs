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

use serde_json::{Map, Value};
use std::borrow::Cow;
use std::collections::{BTreeSet, HashMap, HashSet};

/// The path-item keys that hold operations.
pub const METHODS: [&str; 8] = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

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

/// What a node of an OpenAPI 3.0 description is, from where it sits in the structure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[allow(missing_docs)] // Each is the 3.0 object of the same name.
pub enum Node {
    Document,
    Info,
    Tag,
    Server,
    Paths,
    PathItem,
    Operation,
    Parameter,
    Header,
    RequestBody,
    MediaType,
    Encoding,
    Responses,
    Response,
    Example,
    Link,
    Callback,
    Components,
    SecurityScheme,
    Schema,
    Discriminator,
}

/// A place in the structure of a description: where a `$ref` is a reference and below
/// which other places are. Everything else (example values, `default`, `enum`, `const`,
/// `x-` extensions, keys 3.0 does not define) is data, a `$ref` in it included: walks
/// that look for references never enter it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// One node.
    One(Node),
    /// A map of names to nodes (`properties`, `components/schemas`, `content`).
    Map(Node),
    /// A list of nodes (`parameters`, `allOf`).
    List(Node),
    /// A `description`, where real descriptions sometimes write a `$ref` to a text.
    Text,
}

impl Kind {
    /// The root of a description.
    pub const DOCUMENT: Kind = Kind::One(Node::Document);

    /// The place of the child `key` of an object at this place; `None` when the child is
    /// data (an example value, a `default`, an `enum`, an `x-` extension, anything 3.0
    /// gives no structure).
    pub fn child(self, key: &str) -> Option<Kind> {
        use Kind::{List, Map, One, Text};
        use Node::*;
        let node = match self {
            Map(node) => return Some(One(node)),
            List(_) | Text => return None,
            One(node) => node,
        };
        if key.starts_with("x-") {
            return None;
        }
        if key == "description" && node != Discriminator {
            return Some(Text);
        }
        Some(match (node, key) {
            (Document, "info") => One(Info),
            (Document, "servers") | (PathItem, "servers") | (Operation, "servers") => List(Server),
            (Document, "paths") => One(Paths),
            // OpenAPI 3.1: the requests an API sends, path items keyed by name.
            (Document, "webhooks") => Map(PathItem),
            (Document, "components") => One(Components),
            (Document, "tags") => List(Tag),
            (Paths, _) | (Callback, _) => One(PathItem),
            (PathItem, "get" | "put" | "post" | "delete" | "options" | "head" | "patch" | "trace") => One(Operation),
            (PathItem, "parameters") | (Operation, "parameters") => List(Parameter),
            (Operation, "requestBody") => One(RequestBody),
            (Operation, "responses") => One(Responses),
            (Operation, "callbacks") | (Components, "callbacks") => Map(Callback),
            (Parameter | Header | MediaType, "schema") => One(Schema),
            (Parameter | Header | RequestBody | Response, "content") => Map(MediaType),
            (Parameter | Header | MediaType, "examples") | (Components, "examples") => Map(Example),
            (MediaType, "encoding") => Map(Encoding),
            (Encoding | Response, "headers") | (Components, "headers") => Map(Header),
            (Responses, _) => One(Response),
            (Response, "links") | (Components, "links") => Map(Link),
            // `$defs`: JSON Schema 2020-12's place for schemas a schema's `$ref`s name.
            (Components, "schemas") | (Schema, "properties" | "$defs") => Map(Schema),
            (Components, "responses") => Map(Response),
            (Components, "parameters") => Map(Parameter),
            (Components, "requestBodies") => Map(RequestBody),
            (Components, "securitySchemes") => Map(SecurityScheme),
            (Schema, "items" | "additionalProperties" | "not") => One(Schema),
            (Schema, "allOf" | "oneOf" | "anyOf") => List(Schema),
            (Schema, "discriminator") => One(Discriminator),
            _ => return None,
        })
    }

    /// The place of the items of a list at this place; `None` for a list that is data.
    pub fn item(self) -> Option<Kind> {
        match self {
            Kind::List(node) => Some(Kind::One(node)),
            _ => None,
        }
    }

    /// The place of the node at `pointer` (`#/a/b~1c`) by its position from the root;
    /// `None` when it is data or not a pointer.
    pub fn at(pointer: &str) -> Option<Kind> {
        let fragment = pointer.strip_prefix('#').unwrap_or(pointer);
        if fragment.is_empty() {
            return Some(Kind::DOCUMENT);
        }
        fragment.strip_prefix('/')?.split('/').try_fold(Kind::DOCUMENT, |kind, token| match kind {
            Kind::List(_) => token.parse::<usize>().ok().and_then(|_| kind.item()),
            _ => kind.child(&unescape(token)),
        })
    }

    /// The components section that holds nodes of this place, where 3.0 allows a
    /// Reference Object (or a schema reference) to one.
    pub fn section(self) -> Option<&'static str> {
        match self {
            Kind::One(Node::Schema) => Some("schemas"),
            Kind::One(Node::Parameter) => Some("parameters"),
            Kind::One(Node::Response) => Some("responses"),
            Kind::One(Node::RequestBody) => Some("requestBodies"),
            Kind::One(Node::Header) => Some("headers"),
            Kind::One(Node::Example) => Some("examples"),
            Kind::One(Node::Link) => Some("links"),
            Kind::One(Node::SecurityScheme) => Some("securitySchemes"),
            _ => None,
        }
    }

    /// The reference an object at this place stands for, if it is one: the string value
    /// of its `$ref` (what sits beside it is ignored, as 3.0 says). In a map of names, a
    /// `$ref` whose value is a string cannot be an entry (entries are objects), so it is
    /// a reference to the whole map; a `$ref` holding an object is an entry named `$ref`.
    pub fn reference(self, map: &Map<String, Value>) -> Option<&str> {
        match (self, map.get("$ref")) {
            (Kind::One(Node::Document) | Kind::List(_), _) => None,
            (_, Some(Value::String(reference))) => Some(reference),
            _ => None,
        }
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
    /// What the reference stands for where it sits: what its target is read as.
    pub kind: Kind,
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

/// The component sections whose entries [`prune_unreached`] may remove: the large ones,
/// which only references make reachable.
const PRUNED_SECTIONS: [&str; 2] = ["schemas", "examples"];

/// Removes the entries of `components/schemas` and `components/examples` that neither the
/// paths nor any other component section reach, transitively, and the document's own
/// `x-` extensions that they do not reach either (GitHub's `x-webhooks` is a quarter of
/// its description); returns how many component entries went. A document without operations is left whole (it is a library of
/// types). What goes would not be generated anyway; the rest of the pipeline then reads,
/// checks and copies only what is.
pub fn prune_unreached(doc: &mut Value) -> usize {
    let reached = {
        let has_operations =
            |item: &Value| item.as_object().is_some_and(|i| i.keys().any(|k| METHODS.contains(&k.as_str())));
        let Some(paths) = doc.get("paths").filter(|p| p.as_object().is_some_and(|p| p.values().any(has_operations)))
        else {
            return 0;
        };
        let mut starts = vec![("#/paths".to_owned(), paths)];
        // OpenAPI 3.1's webhooks: their payloads are generated as types.
        if let Some(webhooks) = doc.get("webhooks") {
            starts.push(("#/webhooks".to_owned(), webhooks));
        }
        if let Some(Value::Object(components)) = doc.get("components") {
            for (section, entries) in components {
                if !PRUNED_SECTIONS.contains(&section.as_str()) {
                    starts.push((pointer(["components", section]), entries));
                }
            }
        }
        let index = Index { root: doc, references: Vec::new(), enum_counts: HashMap::new(), too_long: None };
        index.reach(starts, Vec::new(), Reach::Nodes)
    };
    // The document's own extensions are data, unless a reference reaches into one.
    let referenced: HashSet<String> =
        reached.targets.iter().filter_map(|target| decode(target)?.into_iter().next()).collect();
    if let Value::Object(root) = doc {
        root.retain(|key, _| !key.starts_with("x-") || referenced.contains(key));
    }
    let keep = reached.entries;
    let Some(Value::Object(components)) = doc.get_mut("components") else { return 0 };
    let mut removed = 0;
    for section in PRUNED_SECTIONS {
        if let Some(Value::Object(entries)) = components.get_mut(section) {
            let before = entries.len();
            entries.retain(|name, _| keep.contains(&(section.to_owned(), name.clone())));
            removed += before - entries.len();
        }
    }
    removed
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
        // Every node's pointer is checked, data included; references and enums are read
        // only from the structure (a node of no kind is data).
        index.walk(root, "#", Some(Kind::DOCUMENT), max_pointer_len);
        // A node that the structure holds only as data but a reference reads as something
        // (a schema kept under an extension, `#/x-defs/Pet`) is walked as what it is read as.
        let mut walked: HashSet<(String, Kind)> = HashSet::new();
        let mut next = 0;
        while let Some(reference) = index.references.get(next) {
            next += 1;
            if Kind::at(&reference.target) == Some(reference.kind)
                || !walked.insert((reference.target.clone(), reference.kind))
            {
                continue;
            }
            let (target, kind) = (reference.target.clone(), reference.kind);
            if let Some(node) = resolve(root, &target) {
                index.walk(node, &target, Some(kind), usize::MAX);
            }
        }
        index
    }

    /// Walks `start` (at pointer `at`, of `kind`), recording references and enums.
    fn walk(&mut self, start: &'a Value, at: &str, kind: Option<Kind>, max_pointer_len: usize) {
        // Each stack entry is a node, its depth, its pointer token and its place.
        let mut pointer = PointerBuf::new(at);
        let mut todo: Vec<(&Value, usize, Cow<'_, str>, Option<Kind>)> = vec![(start, 0, Cow::Borrowed(""), kind)];
        while let Some((node, depth, token, kind)) = todo.pop() {
            pointer.enter(depth, &token);
            if pointer.as_str().len() > max_pointer_len {
                if self.too_long.is_none() {
                    self.too_long = Some((pointer.parent().to_owned(), unescape(&token).into_owned()));
                }
                continue;
            }
            match node {
                Value::Object(map) => {
                    // Below a reference, everything is data.
                    let mut children = kind;
                    if let Some(kind) = kind {
                        if let Some(target) = kind.reference(map) {
                            if target.starts_with('#') {
                                self.references.push(Reference {
                                    target: target.to_owned(),
                                    holder: pointer.as_str().to_owned(),
                                    kind,
                                });
                            }
                            children = None;
                        } else if kind == Kind::One(Node::Schema) {
                            if let (Some(Value::Array(values)), Some("string")) =
                                (map.get("enum"), map.get("type").and_then(Value::as_str))
                            {
                                let values = enum_values(values);
                                if !values.is_empty() {
                                    *self.enum_counts.entry(values).or_default() += 1;
                                }
                            }
                        }
                    }
                    for (key, value) in map.iter().rev() {
                        todo.push((value, depth + 1, escape(key), children.and_then(|k| k.child(key))));
                    }
                }
                Value::Array(items) => {
                    let item = kind.and_then(Kind::item);
                    for (i, value) in items.iter().enumerate().rev() {
                        todo.push((value, depth + 1, Cow::Owned(i.to_string()), item));
                    }
                }
                _ => {}
            }
        }
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
    /// each `$ref` where the structure has one ([`Kind`]), and each `discriminator.mapping`
    /// value (a reference, or a bare schema name), plus `extra` references the caller knows
    /// of (such as the security schemes a requirement names). A start is read as what its
    /// position makes it (a start that is data holds no references); a target, as what the
    /// reference stands for. References to other documents are not followed.
    pub fn reach(&self, starts: Vec<(String, &'a Value)>, extra: Vec<Reference>, mode: Reach) -> Reached {
        let mut reached = Reached::default();
        let mut walked: HashSet<(String, Kind)> = HashSet::new();
        let mut nodes: Vec<(String, &'a Value, Kind)> =
            starts.into_iter().filter_map(|(at, node)| Kind::at(&at).map(|kind| (at, node, kind))).collect();
        nodes.reverse();
        let mut pending: Vec<Reference> = extra;
        let mut next: Vec<(String, &'a Value, Kind)> = Vec::new();
        loop {
            // Follow what is pending (in document order) before walking further, so each
            // target is walked once; then walk the first of them first.
            for reference in pending.drain(..) {
                next.extend(self.follow(reference, mode, &mut reached, &mut walked));
            }
            nodes.extend(next.drain(..).rev());
            let Some((at, node, kind)) = nodes.pop() else { break };
            references_below(&at, node, kind, &mut pending);
        }
        reached
    }

    /// Records `reference` as reached; returns the node to walk next and what to read it
    /// as, unless it has been walked as that already or cannot be followed.
    fn follow(
        &self,
        reference: Reference,
        mode: Reach,
        reached: &mut Reached,
        walked: &mut HashSet<(String, Kind)>,
    ) -> Option<(String, &'a Value, Kind)> {
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
                walked.insert((reference.target.clone(), reference.kind)).then_some((
                    reference.target,
                    target,
                    reference.kind,
                ))
            }
            (Reach::Entries, Some((section, name))) => {
                reached.targets.insert(reference.target);
                let node = self.root.get("components")?.get(&section)?.get(&name)?;
                let at = pointer(["components", &section, &name]);
                // The whole entry is kept, read as what its section holds.
                let kind = Kind::at(&at).unwrap_or(reference.kind);
                reached.entries.insert((section, name));
                walked.insert((at.clone(), kind)).then_some((at, node, kind))
            }
            (Reach::Entries, None) => None,
        }
    }
}

/// The references held below `node` (at pointer `at`, a node of `kind`), in document
/// order: those its structure holds, never those in data. The pointer of the node being
/// walked is copied only for a reference.
pub fn references_below(at: &str, node: &Value, kind: Kind, out: &mut Vec<Reference>) {
    let mut pointer = PointerBuf::new(at);
    let mut todo: Vec<(&Value, usize, Cow<'_, str>, Kind)> = vec![(node, 0, Cow::Borrowed(""), kind)];
    while let Some((node, depth, token, kind)) = todo.pop() {
        pointer.enter(depth, &token);
        let pointer = pointer.as_str();
        match node {
            Value::Object(map) => {
                if let Some(target) = kind.reference(map) {
                    if target.starts_with('#') {
                        out.push(Reference { target: target.to_owned(), holder: pointer.to_owned(), kind });
                    }
                    continue;
                }
                if kind == Kind::One(Node::Discriminator) {
                    if let Some(Value::Object(mapping)) = map.get("mapping") {
                        for (key, target) in mapping {
                            let Value::String(target) = target else { continue };
                            let holder = format!("{pointer}/mapping/{}", escape(key));
                            let kind = Kind::One(Node::Schema);
                            if target.starts_with('#') {
                                out.push(Reference { target: target.clone(), holder, kind });
                            } else if !target.contains(['/', '#']) {
                                // A bare schema name.
                                out.push(Reference {
                                    target: self::pointer(["components", "schemas", target]),
                                    holder,
                                    kind,
                                });
                            }
                        }
                    }
                    continue;
                }
                for (key, value) in map.iter().rev() {
                    if let (true, Some(kind)) = (matches!(value, Value::Object(_) | Value::Array(_)), kind.child(key)) {
                        todo.push((value, depth + 1, escape(key), kind));
                    }
                }
            }
            Value::Array(items) => {
                let Some(item) = kind.item() else { continue };
                for (i, value) in items.iter().enumerate().rev() {
                    if matches!(value, Value::Object(_) | Value::Array(_)) {
                        todo.push((value, depth + 1, Cow::Owned(i.to_string()), item));
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

/// The number of nodes in `value`, counting no further than one past `limit`: what a
/// copy of it would add, found without walking more than a bound the caller allows.
pub fn node_count(value: &Value, limit: usize) -> usize {
    let mut count = 0;
    let mut todo = vec![value];
    while let Some(node) = todo.pop() {
        count += 1;
        if count > limit {
            break;
        }
        match node {
            Value::Object(map) => todo.extend(map.values()),
            Value::Array(items) => todo.extend(items),
            _ => {}
        }
    }
    count
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
    fn places_from_positions() {
        let cases = [
            ("#", Some(Kind::DOCUMENT)),
            ("#/components/schemas/Pet", Some(Kind::One(Node::Schema))),
            ("#/components/schemas/Pet/properties/parameters", Some(Kind::One(Node::Schema))),
            ("#/components/schemas/Pet/allOf/0", Some(Kind::One(Node::Schema))),
            ("#/paths/~1a/get/responses/200/content/application~1json/schema", Some(Kind::One(Node::Schema))),
            ("#/paths/~1a/get/parameters/0", Some(Kind::One(Node::Parameter))),
            ("#/paths/~1a/parameters/1", Some(Kind::One(Node::Parameter))),
            ("#/components/parameters/Page", Some(Kind::One(Node::Parameter))),
            ("#/paths/~1a/get/responses/200", Some(Kind::One(Node::Response))),
            ("#/paths/~1a/get/requestBody", Some(Kind::One(Node::RequestBody))),
            ("#/paths/~1a/get/responses/200/headers/X-Rate", Some(Kind::One(Node::Header))),
            ("#/components/examples/e", Some(Kind::One(Node::Example))),
            ("#/paths/~1a", Some(Kind::One(Node::PathItem))),
            ("#/paths/~1a/get", Some(Kind::One(Node::Operation))),
            ("#/paths/~1a/get/parameters", Some(Kind::List(Node::Parameter))),
            ("#/components/schemas/Pet/properties", Some(Kind::Map(Node::Schema))),
            // Data: example values, defaults, enums, extensions and what 3.0 does not define.
            ("#/components/schemas/Pet/example", None),
            ("#/components/schemas/Pet/default", None),
            ("#/components/schemas/Pet/enum/0", None),
            ("#/components/schemas/Pet/x-ref", None),
            ("#/components/examples/e/value", None),
            ("#/paths/~1a/get/responses/200/content/application~1json/examples/e/value/parameters/0", None),
            ("#/paths/~1a/get/parameters/first", None),
            ("#/paths/x-defs", None),
            ("#/x-defs/Pet", None),
            ("#/a~2", None),
        ];
        for (pointer, want) in cases {
            assert_eq!(Kind::at(pointer), want, "{pointer}");
        }
        assert_eq!(Kind::at("#/components/responses/ok").and_then(Kind::section), Some("responses"));
        assert_eq!(Kind::at("#/paths/~1a/get").and_then(Kind::section), None);
    }

    #[test]
    fn one_walk_finds_references_enums_and_overlong_pointers() {
        let doc = json!({"components": {"schemas": {
            "a": {"type": "string", "enum": ["x", "y", "x"]},
            "b": {"items": {"$ref": "#/components/schemas/a"}, "allOf": [{"type": "string", "enum": ["x", "y"]}, {"$ref": "other.yaml#/c"}]},
            "c": {"properties": {"k".repeat(40): {"$ref": "#/never-indexed"}}},
            // Data: neither a reference nor an enum that names share.
            "d": {"example": {"type": "string", "enum": ["x", "y"]}, "x-ref": {"$ref": "#/components/schemas/a"}},
        }}});
        let index = Index::new(&doc, 40);
        let schema = Kind::One(Node::Schema);
        assert_eq!(
            index.references(),
            [Reference {
                target: "#/components/schemas/a".into(),
                holder: "#/components/schemas/b/items".into(),
                kind: schema
            }]
        );
        assert_eq!(index.enum_count(&["x".into(), "y".into()]), 2);
        assert_eq!(index.enum_count(&["y".into()]), 0);
        assert_eq!(index.too_long(), Some(("#/components/schemas/c/properties", "k".repeat(40).as_str())));
        assert_eq!(Index::new(&doc, 2048).too_long(), None);
    }

    /// A document answering `GET /a` with `schema`.
    fn answering(schema: Value) -> Value {
        json!({"paths": {"/a": {"get": {"responses": {"200": {"description": "ok", "content": {"application/json": {"schema": schema}}}}}}}})
    }

    #[test]
    fn reaching_nodes_follows_chains_once_and_reports_dangling_references() {
        let mut doc = answering(json!({"$ref": "#/components/schemas/one/properties/p"}));
        doc["components"] = json!({"schemas": {
            "one": {"properties": {"p": {"$ref": "#/components/schemas/two"}, "q": {"$ref": "#/components/schemas/unused"}}},
            "two": {"items": {"$ref": "#/components/schemas/two"}, "not": {"$ref": "#/nowhere"}},
            "unused": {},
        }});
        let index = Index::new(&doc, 2048);
        let starts = vec![("#/paths".to_owned(), &doc["paths"])];
        let reached = index.reach(starts.clone(), Vec::new(), Reach::Nodes);
        let targets: Vec<&str> = reached.targets.iter().map(String::as_str).collect();
        assert_eq!(targets, ["#/components/schemas/one/properties/p", "#/components/schemas/two"]);
        let nowhere = Reference {
            target: "#/nowhere".into(),
            holder: "#/components/schemas/two/not".into(),
            kind: Kind::One(Node::Schema),
        };
        assert_eq!(reached.problems, [Problem::Dangling(nowhere.clone())]);
        // Whole entries: `one` is kept entire, so `unused` is reached through it, and a
        // target outside the components cannot be kept.
        let reached = index.reach(starts, Vec::new(), Reach::Entries);
        let entries: Vec<&str> = reached.entries.iter().map(|(_, name)| name.as_str()).collect();
        assert_eq!(entries, ["one", "two", "unused"]);
        assert_eq!(reached.problems, [Problem::OutsideComponents(nowhere)]);
        let bad = index.reach(
            Vec::new(),
            vec![Reference { target: "#/a~2".into(), holder: "#".into(), kind: Kind::One(Node::Schema) }],
            Reach::Nodes,
        );
        assert!(matches!(bad.problems.as_slice(), [Problem::Malformed(_)]));
    }

    #[test]
    fn references_in_data_are_data() {
        // Each `$ref` below sits in data: none is indexed, followed, reported or keeps a
        // component, whatever it names.
        let data = json!({"$ref": "#/components/schemas/data", "parameters": [{"$ref": "#/nowhere"}], "schema": {"$ref": "#/a~2"}});
        let mut doc = answering(
            json!({"type": "object", "default": data, "enum": [data], "example": data, "x-see": data, "properties": {"x-ref": {"type": "string"}}}),
        );
        doc["x-data"] = data.clone();
        doc["paths"]["/a"]["x-note"] = data.clone();
        doc["paths"]["/a"]["get"]["x-extra"] = data.clone();
        let media = &mut doc["paths"]["/a"]["get"]["responses"]["200"]["content"]["application/json"];
        media["example"] = data.clone();
        media["examples"] = json!({"e": {"value": data}});
        doc["components"] = json!({"examples": {"e": {"value": data}}, "schemas": {"data": {}}});
        let index = Index::new(&doc, 2048);
        assert_eq!(index.references(), []);
        let starts = vec![
            ("#/paths".to_owned(), &doc["paths"]),
            ("#/components/examples".to_owned(), &doc["components"]["examples"]),
        ];
        for mode in [Reach::Nodes, Reach::Entries] {
            let reached = index.reach(starts.clone(), Vec::new(), mode);
            assert_eq!(reached, Reached::default(), "{mode:?}");
        }
        // A start that is itself data holds no references.
        assert_eq!(
            index.reach(vec![("#/x-data".to_owned(), &doc["x-data"])], Vec::new(), Reach::Nodes),
            Reached::default()
        );
        // The schema named only in data goes, and the example no operation uses.
        assert_eq!(prune_unreached(&mut doc), 2);
        assert_eq!(doc["components"], json!({"examples": {}, "schemas": {}}));
    }

    #[test]
    fn nodes_kept_in_data_are_read_as_what_references_make_them() {
        // Schemas kept under an extension, referenced as schemas: what they hold is read.
        let mut doc = answering(json!({"$ref": "#/x-defs/Pet"}));
        doc["x-defs"] = json!({
            "Pet": {"properties": {"tag": {"$ref": "#/x-defs/Tag"}, "owner": {"$ref": "#/components/schemas/owner"}}},
            "Tag": {"type": "string", "enum": ["a", "b"]},
        });
        doc["components"] = json!({"schemas": {"owner": {}, "unused": {}}});
        let index = Index::new(&doc, 2048);
        let targets: Vec<&str> = index.references().iter().map(|r| r.target.as_str()).collect();
        assert_eq!(targets, ["#/x-defs/Pet", "#/x-defs/Tag", "#/components/schemas/owner"]);
        assert_eq!(index.enum_count(&["a".into(), "b".into()]), 1);
        let reached = index.reach(vec![("#/paths".to_owned(), &doc["paths"])], Vec::new(), Reach::Nodes);
        let targets: Vec<&str> = reached.targets.iter().map(String::as_str).collect();
        assert_eq!(targets, ["#/components/schemas/owner", "#/x-defs/Pet", "#/x-defs/Tag"]);
        doc["x-unused"] = json!({"Pet": {"$ref": "#/components/schemas/unused"}});
        assert_eq!(prune_unreached(&mut doc), 1);
        assert!(doc["components"]["schemas"].get("owner").is_some());
        // The extension that references reach stays; the other goes.
        assert!(doc.get("x-defs").is_some() && doc.get("x-unused").is_none());
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
        let extra = vec![Reference {
            target: "#/components/securitySchemes/token".into(),
            holder: "#/security/0".into(),
            kind: Kind::One(Node::SecurityScheme),
        }];
        let reached = index.reach(
            vec![("#/components/schemas/pet".into(), &doc["components"]["schemas"]["pet"])],
            extra,
            Reach::Entries,
        );
        let entries: Vec<(&str, &str)> = reached.entries.iter().map(|(s, n)| (s.as_str(), n.as_str())).collect();
        assert_eq!(entries, [("schemas", "cat"), ("schemas", "dog"), ("securitySchemes", "token")]);
        assert!(reached.problems.is_empty(), "{:?}", reached.problems);
    }

    #[test]
    fn pruning_keeps_what_paths_and_other_sections_reach() {
        let mut doc = json!({
            "paths": {"/a": {"get": {"responses": {"200": {"$ref": "#/components/responses/ok"}}}}},
            "x-webhooks": {"w": {"$ref": "#/components/schemas/hook"}},
            "components": {
                "responses": {"ok": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/run"}, "examples": {"r": {"$ref": "#/components/examples/run"}}}}}},
                "schemas": {
                    "run": {"properties": {"by": {"$ref": "#/components/schemas/user"}}, "example": {"$ref": "#/components/examples/unused"}, "x-see": {"$ref": "#/components/schemas/unused"}},
                    "user": {}, "hook": {}, "unused": {},
                },
                "examples": {"run": {"value": {"$ref": "#/components/schemas/hook"}}, "unused": {}},
                "parameters": {"page": {"schema": {"$ref": "#/components/schemas/page"}}},
            },
        });
        doc["components"]["schemas"]["page"] = json!({});
        assert_eq!(prune_unreached(&mut doc), 3);
        let names = |section: &str| doc["components"][section].as_object().unwrap().keys().cloned().collect::<Vec<_>>();
        assert_eq!(names("schemas"), ["run", "user", "page"]);
        assert_eq!(names("examples"), ["run"]);
        assert!(doc.get("x-webhooks").is_none() && doc.get("paths").is_some());
        // Without operations, every schema is kept: the document is a library of types.
        let mut library = json!({"paths": {}, "components": {"schemas": {"a": {}}}});
        assert_eq!(prune_unreached(&mut library), 0);
    }

    #[test]
    fn deep_documents_are_walked_without_recursion() {
        // Deeper than the default stack would allow a recursive walk in a debug build.
        let mut doc = json!({"$ref": "#/components/schemas/end"});
        for _ in 0..20_000 {
            // Not `json!`, which would copy `doc` by serializing it, recursively.
            doc = Value::Object([("items".to_owned(), doc)].into_iter().collect());
        }
        let schemas = Value::Object(
            [("start".to_owned(), doc), ("end".to_owned(), json!({"type": "string", "enum": ["z"]}))]
                .into_iter()
                .collect(),
        );
        let doc = Value::Object(
            [("components".to_owned(), Value::Object([("schemas".to_owned(), schemas)].into_iter().collect()))]
                .into_iter()
                .collect(),
        );
        let index = Index::new(&doc, usize::MAX);
        assert_eq!(index.references().len(), 1);
        assert_eq!(index.enum_count(&["z".into()]), 1);
        let reached = index.reach(
            vec![("#/components/schemas/start".into(), &doc["components"]["schemas"]["start"])],
            Vec::new(),
            Reach::Nodes,
        );
        assert!(reached.targets.contains("#/components/schemas/end"));
        drop(index);
        // `Value`'s own drop recurses: take the chain apart from the top.
        let mut node = doc;
        while let Some(child) = node.as_object_mut().and_then(|map| map.values_mut().next()).map(Value::take) {
            node = child;
        }
    }
}
