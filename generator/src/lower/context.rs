//! The lowering context: the [`Lowerer`] (the document, its indexes and what has been
//! lowered so far) and the helpers every part of lowering uses: `$ref` resolution in the
//! components, doc text, component keys. `schemas.rs` and `operations.rs` add the
//! `Lowerer`'s methods; `mod.rs` creates it and runs the passes.

use crate::error::{Error, Lint, Warning};
use crate::input::document::{escape, unescape, Index};
use crate::input::Overrides;
use crate::ir::{Example, TypeDef, TypeRef};
use crate::naming::{type_name, Namer};
use indexmap::IndexMap;
use openapiv3::{Components, OpenAPI, ReferenceOr, Schema};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

/// What a schema lowers to: the type, and whether `null` is a value of it.
#[derive(Debug, Clone)]
pub(super) struct Lowered {
    pub(super) ty: TypeRef,
    pub(super) nullable: bool,
}

/// The document being lowered, its indexes, and what lowering has produced so far: the
/// state that the lowering of schemas (`schemas.rs`) and of operations (`operations.rs`)
/// share.
pub(super) struct Lowerer<'a> {
    pub(super) doc: &'a OpenAPI,
    /// Schemas that `$ref`s name by a pointer other than `#/components/schemas/NAME`, read
    /// from where they sit (or why they cannot be read as schemas).
    pub(super) pointed: &'a BTreeMap<String, Result<ReferenceOr<Schema>, String>>,
    /// Pointed schemas being lowered, to refuse a chain that comes back to itself.
    pub(super) pointing: Vec<String>,
    pub(super) raw: &'a serde_json::Value,
    pub(super) overrides: &'a Overrides,
    pub(super) types: BTreeMap<String, TypeDef>,
    pub(super) names: Namer,
    /// Component schema key -> Rust name.
    pub(super) components: BTreeMap<String, String>,
    /// Component schema key -> nullable (following `$ref` chains).
    pub(super) nullable: BTreeMap<String, bool>,
    pub(super) cache: HashMap<String, Lowered>,
    /// The raw document's index: how often each enum value list occurs, and references.
    pub(super) index: &'a Index<'a>,
    /// Inline string enums that occur more than once share one type, named here.
    pub(super) shared_enums: HashMap<Vec<String>, String>,
    pub(super) warnings: Vec<Warning>,
    pub(super) examples: Vec<Example>,
    /// `$ref` chains already walked: (section, entry) -> the entry at the end of the chain.
    pub(super) refs: HashMap<(&'static str, &'a str), &'a str>,
}

/// The doc comment text of a title and a description (the title alone when the
/// description repeats it).
pub(super) fn doc_text(title: Option<&str>, description: Option<&str>) -> Option<String> {
    match (title.map(str::trim).filter(|s| !s.is_empty()), description.map(str::trim).filter(|s| !s.is_empty())) {
        (Some(t), Some(d)) if !d.starts_with(t) => Some(format!("{t}\n\n{d}")),
        (_, Some(d)) => Some(d.to_owned()),
        (Some(t), None) => Some(t.to_owned()),
        (None, None) => None,
    }
}

/// Follows `$ref`s in one components section until an item is reached.
fn resolve<'a, T>(
    components: Option<&'a Components>,
    section: &'static str,
    get: fn(&'a Components) -> &'a IndexMap<String, ReferenceOr<T>>,
    item: &'a ReferenceOr<T>,
    pointer: String,
) -> Result<(&'a T, String), Error> {
    let mut current = item;
    let mut at = pointer;
    let mut chain: Vec<String> = Vec::new();
    let mut seen: HashSet<&str> = HashSet::new();
    loop {
        match current {
            ReferenceOr::Item(value) => return Ok((value, at)),
            ReferenceOr::Reference { reference } => {
                let dangling = || Error::DanglingRef { pointer: at.clone(), reference: reference.clone() };
                let name = reference
                    .strip_prefix("#/components/")
                    .and_then(|r| r.strip_prefix(section))
                    .and_then(|r| r.strip_prefix('/'));
                let name = unescape(name.ok_or_else(dangling)?).into_owned();
                if !seen.insert(reference.as_str()) {
                    chain.push(reference.clone());
                    return Err(Error::RefCycle { pointer: at, chain: chain.join(" -> ") });
                }
                chain.push(reference.clone());
                current = components.and_then(|c| get(c).get(&name)).ok_or_else(dangling)?;
                at = format!("#/components/{section}/{}", escape(&name));
            }
        }
    }
}

/// The key of a `#/components/schemas/KEY` reference (still escaped).
pub(super) fn schema_key(reference: &str) -> Option<&str> {
    reference.strip_prefix("#/components/schemas/").filter(|k| !k.is_empty())
}

impl<'a> Lowerer<'a> {
    pub(super) fn new(
        doc: &'a OpenAPI,
        index: &'a Index<'a>,
        overrides: &'a Overrides,
        pointed: &'a BTreeMap<String, Result<ReferenceOr<Schema>, String>>,
    ) -> Result<Self, Error> {
        let mut cx = Lowerer {
            doc,
            pointed,
            pointing: Vec::new(),
            raw: index.root(),
            overrides,
            types: BTreeMap::new(),
            names: Namer::default(),
            components: BTreeMap::new(),
            nullable: BTreeMap::new(),
            cache: HashMap::new(),
            index,
            shared_enums: HashMap::new(),
            warnings: Vec::new(),
            examples: Vec::new(),
            refs: HashMap::new(),
        };
        let schemas = cx.schemas();
        let reachable = reachable_schemas(index);
        let keys: BTreeSet<&String> =
            schemas.keys().filter(|k| reachable.as_ref().is_none_or(|r| r.contains(k.as_str()))).collect();
        for key in &keys {
            let name = cx.names.claim(type_name(key));
            cx.components.insert((*key).clone(), name);
        }
        for key in keys {
            let pointer = format!("#/components/schemas/{}", escape(key));
            let nullable = match cx.resolve("schemas", |c| &c.schemas, &schemas[key], pointer) {
                Ok((schema, _)) => schema.schema_data.nullable,
                // A component that refers to a schema elsewhere in the document: lowering
                // that reference reports what is wrong with it.
                Err(Error::DanglingRef { reference, .. }) if !is_component_ref(&reference) => false,
                Err(error) => return Err(error),
            };
            cx.nullable.insert(key.clone(), nullable);
        }
        Ok(cx)
    }

    /// [`resolve`] with a memory: every entry of a `$ref` chain learns where the chain
    /// ends, so resolving each link of a long chain costs linear time in all. Anything
    /// unusual (a cycle, a dangling or foreign `$ref`) is left to [`resolve`] to report.
    pub(super) fn resolve<T>(
        &mut self,
        section: &'static str,
        get: fn(&'a Components) -> &'a IndexMap<String, ReferenceOr<T>>,
        item: &'a ReferenceOr<T>,
        pointer: String,
    ) -> Result<(&'a T, String), Error> {
        let components = self.doc.components.as_ref();
        let entries = match (item, components) {
            (ReferenceOr::Item(value), _) => return Ok((value, pointer)),
            (_, Some(c)) => get(c),
            (_, None) => return resolve(components, section, get, item, pointer),
        };
        let mut walked: Vec<&'a str> = Vec::new();
        let mut on_path: HashSet<&'a str> = HashSet::new();
        let mut current = item;
        let end: &'a str = loop {
            let ReferenceOr::Reference { reference } = current else {
                match walked.last() {
                    Some(last) => break last,
                    None => return resolve(components, section, get, item, pointer),
                }
            };
            let name = reference
                .strip_prefix("#/components/")
                .and_then(|r| r.strip_prefix(section))
                .and_then(|r| r.strip_prefix('/'));
            let Some((key, next)) = name.and_then(|n| entries.get_key_value(&*unescape(n))) else {
                return resolve(components, section, get, item, pointer);
            };
            if let Some(end) = self.refs.get(&(section, key.as_str())) {
                break end;
            }
            if !on_path.insert(key) {
                return resolve(components, section, get, item, pointer);
            }
            walked.push(key);
            current = next;
        };
        for key in walked {
            self.refs.insert((section, key), end);
        }
        match entries.get(end) {
            Some(ReferenceOr::Item(value)) => Ok((value, format!("#/components/{section}/{}", escape(end)))),
            _ => resolve(components, section, get, item, pointer),
        }
    }

    pub(super) fn schemas(&self) -> &'a IndexMap<String, ReferenceOr<Schema>> {
        static EMPTY: std::sync::OnceLock<IndexMap<String, ReferenceOr<Schema>>> = std::sync::OnceLock::new();
        self.doc.components.as_ref().map_or_else(|| EMPTY.get_or_init(IndexMap::new), |c| &c.schemas)
    }

    pub(super) fn warn(&mut self, lint: Lint, pointer: &str, message: impl Into<String>) {
        self.warnings.push(Warning { lint, pointer: pointer.to_owned(), message: message.into() });
    }

    /// Records the example at `pointer`; its value is moved in from the document once
    /// lowering is done (`lower::move_examples`).
    pub(super) fn add_example(&mut self, pointer: String, ty: &TypeRef, nullable: bool) {
        let expected_failure = self.overrides.example_exception(&pointer).map(str::to_owned);
        // Named once all are known (`mocks::name`).
        self.examples.push(Example {
            pointer,
            ty: ty.clone(),
            nullable,
            value: serde_json::Value::Null,
            expected_failure,
            function: None,
            test: String::new(),
        });
    }
}

/// Moves each example's value out of `raw`, from where lowering found it (the last step
/// of `lower`). The examples
/// are sorted by pointer, and one that decodes into two types is copied for the second.
pub(super) fn move_examples(examples: &mut [Example], raw: &mut serde_json::Value) -> Result<(), Error> {
    for i in 0..examples.len() {
        let value = match i.checked_sub(1).map(|previous| &examples[previous]) {
            Some(previous) if previous.pointer == examples[i].pointer => previous.value.clone(),
            _ => crate::input::document::resolve_mut(raw, &examples[i].pointer)
                .map(std::mem::take)
                .ok_or_else(|| crate::error::internal("an example is not where lowering found it"))?,
        };
        examples[i].value = value;
    }
    Ok(())
}

/// Whether a `$ref` names a component schema directly (`#/components/schemas/NAME`).
pub(super) fn is_component_ref(reference: &str) -> bool {
    schema_key(reference).is_some_and(|key| !key.contains('/'))
}

/// The component schemas that operations (and webhooks) reach through references,
/// transitively; `None`
/// when the document has no operations (then it is a library of types: all are kept).
fn reachable_schemas(index: &Index<'_>) -> Option<BTreeSet<String>> {
    let paths = index.root().get("paths")?;
    let has_operations = paths.as_object()?.values().any(|item| {
        item.as_object().is_some_and(|i| i.keys().any(|k| crate::input::document::METHODS.contains(&k.as_str())))
    });
    if !has_operations {
        return None;
    }
    // Problems (dangling references) are left to lowering, which reports them in context.
    let mut starts = vec![("#/paths".to_owned(), paths)];
    // OpenAPI 3.1's webhooks generate no call, but their payloads are types.
    starts.extend(index.root().get("webhooks").map(|w| ("#/webhooks".to_owned(), w)));
    let reached = index.reach(starts, Vec::new(), crate::input::document::Reach::Nodes);
    Some(reached.targets.iter().filter_map(|r| schema_key(r).map(|key| unescape(key).into_owned())).collect())
}
