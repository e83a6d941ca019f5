//! Lowering: a checked OpenAPI document becomes the plain, sorted [`Api`].
//!
//! Type mapping rules (see `ARCHITECTURE.md` for the reasons):
//! - `integer` is `i64` unless its `format` names another size (`int32`, `uint64`...);
//!   `number` is `f64`;
//! - `string` with `format: date-time` is a timestamp; any other string stays `String`;
//! - an object with properties is a struct; a free-form object is `serde_json::Value`;
//!   `additionalProperties` with a schema is an ordered map;
//! - a string `enum` is an enum that keeps unknown values;
//! - `oneOf`/`anyOf` is an untagged enum; `allOf` merges the members' properties;
//! - inline schemas that need a name get one from where they sit
//!   (`PendingDeployment` + `environment` -> `PendingDeploymentEnvironment`).

use crate::error::{Error, Lint, Warning};
use crate::ir::*;
use crate::naming::{split_path_key, camel_part, field_name, parse_path_template, pointer_token, type_name, variant_name, Namer, PathPart};
use crate::overrides::Overrides;
use crate::slice;
use indexmap::IndexMap;
use openapiv3::{
    AdditionalProperties, AnySchema, Components, IntegerFormat, MediaType, OpenAPI, Parameter, ParameterSchemaOrContent,
    ReferenceOr, Schema, SchemaKind, StatusCode, StringFormat, Type, VariantOrUnknownOrEmpty,
};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

/// Names the generated operation code itself uses on a request builder.
const BUILDER_RESERVED: &[&str] = &["client", "request_body", "send", "stream", "into_request"];
/// Module names taken by the generated crate itself.
const MODULE_RESERVED: &[&str] = &["types", "runtime", "generated", "error", "client", "pagination", "response"];
/// Methods a group accessor on `Client` must not take: `Client`'s own (public and
/// private), those of the traits it implements, and those of std's blanket traits, which
/// an inherent method of the same name would silently shadow (`client.clone()`).
const CLIENT_RESERVED: &[&str] = &[
    "builder", "base_url", "is_api_origin", "url_for", "execute", "send_once", "download_to",
    "download_to_file", "new", "clone", "clone_from", "clone_into", "fmt", "default", "eq", "ne",
    "to_owned", "to_string", "borrow", "borrow_mut", "into", "try_into", "from", "try_from",
    "type_id", "drop",
];
/// Crates the generated code names by path: a group module of the same name, glob
/// re-exported at the crate root, would make those paths ambiguous.
const CRATE_RESERVED: &[&str] = &["std", "core", "alloc", "serde", "serde_json", "reqwest", "bytes", "futures_util", "chrono", "tokio", "url", "percent_encoding"];
/// How deep `allOf` members may nest (through `$ref`s or inline) before the document is refused.
const MAX_ALL_OF_DEPTH: usize = 64;
/// How many levels of types inside types (each named type, `Option`, `Vec`, `Box` one
/// level, a map two) a type may hold. rustc's drop check gives up near 128 levels (its
/// recursion limit), through boxes and vectors too, so deeper chains are refused.
pub const MAX_TYPE_DEPTH: usize = 96;

/// Lowers a whole document.
///
/// `raw` is the same document as plain JSON: examples whose value is `null` are read
/// from it, since `openapiv3` cannot tell them from absent ones.
pub fn lower(doc: &OpenAPI, raw: &serde_json::Value, overrides: &Overrides) -> Result<(Api, Vec<Warning>), Error> {
    check_pointer_lengths(raw)?;
    let pointed = pointed_schemas(raw);
    let mut cx = Lowerer::new(doc, raw, overrides, &pointed)?;
    cx.components()?;
    let groups = cx.operations()?;
    flatten_aliases(&mut cx.types, &mut cx.warnings);
    wrap_recursive_aliases(&mut cx.types);
    dedup_union_variants(&mut cx.types);
    box_recursion(&mut cx.types);
    check_nesting(&cx.types)?;
    let server = doc.servers.first().map(|s| Server {
        url: s.url.clone(),
        variables: s
            .variables
            .iter()
            .flatten()
            .map(|(name, v)| (name.clone(), v.default.clone(), v.description.clone()))
            .collect(),
    });
    let mut examples = cx.examples;
    examples.sort_by(|a, b| a.pointer.cmp(&b.pointer).then_with(|| a.ty.cmp(&b.ty)));
    examples.dedup_by(|a, b| a.pointer == b.pointer && a.ty == b.ty);
    let mut warnings = cx.warnings;
    warnings.sort();
    warnings.dedup();
    let mut api = Api {
        title: crate::format::plain_line(&doc.info.title),
        version: crate::format::plain_line(&doc.info.version),
        server,
        types: cx.types,
        groups,
        examples,
        inputs: Default::default(),
    };
    crate::inputs::mark(&mut api);
    Ok((api, warnings))
}

#[derive(Debug, Clone)]
struct Lowered {
    ty: TypeRef,
    nullable: bool,
}

/// The classification of a schema that decides whether it needs a name of its own.
enum Shape<'a> {
    Struct {
        properties: &'a IndexMap<String, ReferenceOr<Box<Schema>>>,
        required: &'a [String],
        additional: Option<&'a AdditionalProperties>,
    },
    Enum(Vec<String>),
    Union(&'a [ReferenceOr<Schema>], &'static str),
    AllOf(&'a [ReferenceOr<Schema>]),
    Simple,
}

fn shape(schema: &Schema) -> Shape<'_> {
    match &schema.schema_kind {
        SchemaKind::Type(Type::Object(o)) => object_shape(&o.properties, &o.required, o.additional_properties.as_ref()),
        SchemaKind::Type(Type::String(s)) => {
            let values: Vec<String> = s.enumeration.iter().flatten().cloned().collect();
            if values.is_empty() {
                Shape::Simple
            } else {
                Shape::Enum(values)
            }
        }
        SchemaKind::OneOf { one_of } if one_of.len() > 1 => Shape::Union(one_of, "oneOf"),
        SchemaKind::AnyOf { any_of } if any_of.len() > 1 => Shape::Union(any_of, "anyOf"),
        SchemaKind::AllOf { all_of } if substantive(all_of).count() > 1 => Shape::AllOf(all_of),
        SchemaKind::Any(any) => {
            if any.one_of.len() > 1 {
                Shape::Union(&any.one_of, "oneOf")
            } else if any.any_of.len() > 1 {
                Shape::Union(&any.any_of, "anyOf")
            } else if substantive(&any.all_of).count() > 1 {
                Shape::AllOf(&any.all_of)
            } else if any.typ.as_deref().is_none_or(|t| t == "object") {
                object_shape(&any.properties, &any.required, any.additional_properties.as_ref())
            } else {
                Shape::Simple
            }
        }
        _ => Shape::Simple,
    }
}

/// The `allOf` members that constrain, with their index: `{description: ...}` or
/// `{nullable: true}` alone only annotate (`allOf: [{$ref: X}, {nullable: true}]` is a
/// nullable `X`).
fn substantive(members: &[ReferenceOr<Schema>]) -> impl Iterator<Item = (usize, &ReferenceOr<Schema>)> {
    members.iter().enumerate().filter(|(_, m)| !is_annotation(m))
}

fn is_annotation(member: &ReferenceOr<Schema>) -> bool {
    matches!(member, ReferenceOr::Item(s) if matches!(&s.schema_kind, SchemaKind::Any(any) if *any == AnySchema::default()))
}

/// Whether an annotation-only `allOf` member says `nullable: true`.
fn annotated_nullable(members: &[ReferenceOr<Schema>]) -> bool {
    members.iter().any(|m| is_annotation(m) && matches!(m, ReferenceOr::Item(s) if s.schema_data.nullable))
}

/// Whether a schema admits only `null`: `{nullable: true}` alone, a nullable object with no
/// properties, `{enum: [null]}` or `{type: "null"}`, the ways descriptions write the null
/// branch of a nullable reference (`oneOf: [{$ref: X}, {nullable: true}]`).
fn is_null_only(schema: &Schema) -> bool {
    match &schema.schema_kind {
        SchemaKind::Any(any) if any.typ.as_deref() == Some("null") => true,
        SchemaKind::Any(any) if !any.enumeration.is_empty() => any.enumeration.iter().all(serde_json::Value::is_null),
        SchemaKind::Any(any) => schema.schema_data.nullable && *any == AnySchema::default(),
        SchemaKind::Type(Type::Object(o)) => schema.schema_data.nullable && o.properties.is_empty() && o.additional_properties.is_none(),
        _ => false,
    }
}

/// Whether a `$ref` names a component schema directly (`#/components/schemas/NAME`).
fn is_component_ref(reference: &str) -> bool {
    schema_key(reference).is_some_and(|key| !key.contains('/'))
}

/// A type name for a schema reached by a pointer, from the pointer's meaningful tokens:
/// `#/components/schemas/channel/properties/from/oneOf/0` -> `ChannelFromOneOf0`.
fn pointer_hint(reference: &str) -> String {
    const STRUCTURAL: &[&str] = &["components", "schemas", "properties", "paths", "content", "schema", "responses", "requestBody"];
    let tokens: Vec<String> = reference.trim_start_matches('#').split('/').map(unescape).filter(|t| !t.is_empty() && !STRUCTURAL.contains(&t.as_str())).collect();
    let name = type_name(&tokens.join(" "));
    if name.is_empty() { "Schema".to_owned() } else { name }
}

/// Every schema a `$ref` names by a pointer that is not a component's, read from the raw
/// document (the typed one cannot be walked by pointer).
fn pointed_schemas(raw: &serde_json::Value) -> BTreeMap<String, Result<ReferenceOr<Schema>, String>> {
    let mut out = BTreeMap::new();
    let mut todo: Vec<&serde_json::Value> = vec![raw];
    while let Some(node) = todo.pop() {
        match node {
            serde_json::Value::Object(map) => {
                if let Some(serde_json::Value::String(reference)) = map.get("$ref") {
                    if reference.starts_with("#/") && !is_component_ref(reference) && !out.contains_key(reference) {
                        if let Some(target) = crate::overrides::resolve(raw, reference) {
                            let read = serde_json::from_value::<ReferenceOr<Schema>>(target.clone()).map_err(|e| e.to_string());
                            out.insert(reference.clone(), read);
                        }
                    }
                }
                todo.extend(map.values());
            }
            serde_json::Value::Array(items) => todo.extend(items),
            _ => {}
        }
    }
    out
}

fn object_shape<'a>(
    properties: &'a IndexMap<String, ReferenceOr<Box<Schema>>>,
    required: &'a [String],
    additional: Option<&'a AdditionalProperties>,
) -> Shape<'a> {
    let closed_empty = matches!(additional, Some(AdditionalProperties::Any(false)));
    if properties.is_empty() && !closed_empty {
        Shape::Simple
    } else {
        Shape::Struct { properties, required, additional }
    }
}

struct Lowerer<'a> {
    doc: &'a OpenAPI,
    /// Schemas that `$ref`s name by a pointer other than `#/components/schemas/NAME`, read
    /// from where they sit (or why they cannot be read as schemas).
    pointed: &'a BTreeMap<String, Result<ReferenceOr<Schema>, String>>,
    /// Pointed schemas being lowered, to refuse a chain that comes back to itself.
    pointing: Vec<String>,
    raw: &'a serde_json::Value,
    overrides: &'a Overrides,
    types: BTreeMap<String, TypeDef>,
    names: Namer,
    /// Component schema key -> Rust name.
    components: BTreeMap<String, String>,
    /// Component schema key -> nullable (following `$ref` chains).
    nullable: BTreeMap<String, bool>,
    cache: HashMap<String, Lowered>,
    /// Inline string enums by value list: how often each list occurs in the document.
    enum_counts: HashMap<Vec<String>, usize>,
    /// Inline string enums that occur more than once share one type, named here.
    shared_enums: HashMap<Vec<String>, String>,
    warnings: Vec<Warning>,
    examples: Vec<Example>,
    /// `$ref` chains already walked: (section, entry) -> the entry at the end of the chain.
    refs: HashMap<(&'static str, &'a str), &'a str>,
}

fn unescape(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

fn doc_text(title: Option<&str>, description: Option<&str>) -> Option<String> {
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
                let name = reference.strip_prefix("#/components/").and_then(|r| r.strip_prefix(section)).and_then(|r| r.strip_prefix('/'));
                let name = unescape(name.ok_or_else(dangling)?);
                if !seen.insert(reference.as_str()) {
                    chain.push(reference.clone());
                    return Err(Error::RefCycle { pointer: at, chain: chain.join(" -> ") });
                }
                chain.push(reference.clone());
                current = components.and_then(|c| get(c).get(&name)).ok_or_else(dangling)?;
                at = format!("#/components/{section}/{}", pointer_token(&name));
            }
        }
    }
}

fn schema_key(reference: &str) -> Option<&str> {
    reference.strip_prefix("#/components/schemas/").filter(|k| !k.is_empty())
}

impl<'a> Lowerer<'a> {
    fn new(doc: &'a OpenAPI, raw: &'a serde_json::Value, overrides: &'a Overrides, pointed: &'a BTreeMap<String, Result<ReferenceOr<Schema>, String>>) -> Result<Self, Error> {
        let mut cx = Lowerer {
            doc,
            pointed,
            pointing: Vec::new(),
            raw,
            overrides,
            types: BTreeMap::new(),
            names: Namer::default(),
            components: BTreeMap::new(),
            nullable: BTreeMap::new(),
            cache: HashMap::new(),
            enum_counts: HashMap::new(),
            shared_enums: HashMap::new(),
            warnings: Vec::new(),
            examples: Vec::new(),
            refs: HashMap::new(),
        };
        count_enums(raw, &mut cx.enum_counts);
        let schemas = cx.schemas();
        let reachable = reachable_schemas(raw);
        let keys: BTreeSet<&String> = schemas.keys().filter(|k| reachable.as_ref().is_none_or(|r| r.contains(k.as_str()))).collect();
        for key in &keys {
            let name = cx.names.claim(type_name(key));
            cx.components.insert((*key).clone(), name);
        }
        for key in keys {
            let pointer = format!("#/components/schemas/{}", pointer_token(key));
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
    fn resolve<T>(
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
            let name = reference.strip_prefix("#/components/").and_then(|r| r.strip_prefix(section)).and_then(|r| r.strip_prefix('/'));
            let Some((key, next)) = name.and_then(|n| entries.get_key_value(&unescape(n))) else {
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
            Some(ReferenceOr::Item(value)) => Ok((value, format!("#/components/{section}/{}", pointer_token(end)))),
            _ => resolve(components, section, get, item, pointer),
        }
    }

    fn schemas(&self) -> &'a IndexMap<String, ReferenceOr<Schema>> {
        static EMPTY: std::sync::OnceLock<IndexMap<String, ReferenceOr<Schema>>> = std::sync::OnceLock::new();
        self.doc.components.as_ref().map_or_else(|| EMPTY.get_or_init(IndexMap::new), |c| &c.schemas)
    }

    fn warn(&mut self, lint: Lint, pointer: &str, message: impl Into<String>) {
        self.warnings.push(Warning { lint, pointer: pointer.to_owned(), message: message.into() });
    }

    fn add_example(&mut self, pointer: String, ty: &TypeRef, nullable: bool, value: &serde_json::Value) {
        let expected_failure = self.overrides.example_exception(&pointer).map(str::to_owned);
        self.examples.push(Example { pointer, ty: ty.clone(), nullable, value: value.clone(), expected_failure });
    }

    // ----- schemas -----

    fn components(&mut self) -> Result<(), Error> {
        let schemas = self.schemas();
        let keys: Vec<&String> = self.components.keys().filter_map(|k| schemas.get_key_value(k).map(|(k, _)| k)).collect();
        for key in keys {
            let pointer = format!("#/components/schemas/{}", pointer_token(key));
            let name = self.components[key].clone();
            let def = match &schemas[key] {
                ReferenceOr::Reference { reference } => {
                    let target = self.reference(reference, &pointer)?;
                    // Straight to the end of the chain: long chains of aliases stay one hop each.
                    let end = self.refs.get(&("schemas", key.as_str())).and_then(|end| self.components.get(*end));
                    let ty = end.map_or(target.ty, |end| TypeRef::Named(end.clone()));
                    TypeDef { name: name.clone(), doc: None, pointer: pointer.clone(), deprecated: false, kind: TypeKind::Alias(ty) }
                }
                ReferenceOr::Item(schema) => {
                    let kind = self.def_kind(schema, &name, &pointer)?;
                    if let Some(example) = &schema.schema_data.example {
                        self.add_example(format!("{pointer}/example"), &TypeRef::Named(name.clone()), schema.schema_data.nullable, example);
                    }
                    TypeDef {
                        name: name.clone(),
                        doc: doc_text(schema.schema_data.title.as_deref(), schema.schema_data.description.as_deref()),
                        pointer,
                        deprecated: schema.schema_data.deprecated,
                        kind,
                    }
                }
            };
            self.types.insert(name, def);
        }
        Ok(())
    }

    /// The type of a `$ref` to a component schema.
    fn reference(&mut self, reference: &str, pointer: &str) -> Result<Lowered, Error> {
        if let Some(key) = schema_key(reference).filter(|_| is_component_ref(reference)).map(unescape) {
            if let Some(name) = self.components.get(&key) {
                return Ok(Lowered { ty: TypeRef::Named(name.clone()), nullable: self.nullable[&key] });
            }
        }
        self.pointed(reference, pointer)
    }

    /// The type of a `$ref` to a schema that is not a component (`#/components/schemas/Tag/allOf/0`,
    /// `#/paths/~1a/get/parameters/0/schema`): the schema lowered where it sits, so the
    /// reference and the node share one type, named after the node's place.
    fn pointed(&mut self, reference: &str, pointer: &str) -> Result<Lowered, Error> {
        if matches!(reference, "" | "#" | "#/") {
            self.warn(Lint::UnsupportedSchema, pointer, format!("$ref \"{reference}\" names the whole document, not a schema; using serde_json::Value"));
            return Ok(Lowered { ty: TypeRef::Json, nullable: false });
        }
        let target = match self.pointed.get(reference) {
            Some(Ok(target)) => target,
            Some(Err(message)) => {
                return Err(Error::Invalid { pointer: pointer.to_owned(), message: format!("$ref \"{reference}\" does not name a schema: {message}") })
            }
            None => return Err(Error::DanglingRef { pointer: pointer.to_owned(), reference: reference.to_owned() }),
        };
        if let Some(done) = self.cache.get(reference) {
            return Ok(done.clone());
        }
        if self.pointing.iter().any(|r| r == reference) {
            let mut chain = self.pointing.clone();
            chain.push(reference.to_owned());
            return Err(Error::RefCycle { pointer: pointer.to_owned(), chain: chain.join(" -> ") });
        }
        self.pointing.push(reference.to_owned());
        let lowered = match target {
            ReferenceOr::Reference { reference: next } => self.reference(next, reference),
            ReferenceOr::Item(schema) => self.inline(schema, &pointer_hint(reference), reference),
        };
        self.pointing.pop();
        lowered
    }

    /// Follows `$ref`s (to components or any other schema) to a schema.
    fn resolve_schema(&mut self, member: &'a ReferenceOr<Schema>, pointer: &str) -> Result<(&'a Schema, String), Error> {
        let mut current = member;
        let mut at = pointer.to_owned();
        let mut seen: Vec<&'a str> = Vec::new();
        loop {
            let reference = match current {
                ReferenceOr::Item(schema) => return Ok((schema, at)),
                ReferenceOr::Reference { reference } => reference.as_str(),
            };
            if is_component_ref(reference) {
                return self.resolve("schemas", |c| &c.schemas, current, at);
            }
            if seen.contains(&reference) {
                seen.push(reference);
                return Err(Error::RefCycle { pointer: at, chain: seen.join(" -> ") });
            }
            seen.push(reference);
            current = match self.pointed.get(reference) {
                Some(Ok(next)) => next,
                _ => return Err(Error::DanglingRef { pointer: at, reference: reference.to_owned() }),
            };
            at = reference.to_owned();
        }
    }

    /// Whether a union member (inline or referenced) admits only `null`.
    fn null_only(&mut self, member: &'a ReferenceOr<Schema>) -> bool {
        self.resolve_schema(member, "").is_ok_and(|(schema, _)| is_null_only(schema))
    }

    fn schema_type(&mut self, schema: &'a ReferenceOr<Schema>, hint: &str, pointer: &str) -> Result<Lowered, Error> {
        match schema {
            ReferenceOr::Reference { reference } => self.reference(reference, pointer),
            ReferenceOr::Item(schema) => self.inline(schema, hint, pointer),
        }
    }

    fn boxed_schema_type(&mut self, schema: &'a ReferenceOr<Box<Schema>>, hint: &str, pointer: &str) -> Result<Lowered, Error> {
        match schema {
            ReferenceOr::Reference { reference } => self.reference(reference, pointer),
            ReferenceOr::Item(schema) => self.inline(schema, hint, pointer),
        }
    }

    /// The type of an inline schema; defines a named type when its shape needs one.
    fn inline(&mut self, schema: &'a Schema, hint: &str, pointer: &str) -> Result<Lowered, Error> {
        if let Some(done) = self.cache.get(pointer) {
            return Ok(done.clone());
        }
        let nullable = schema.schema_data.nullable;
        let lowered = match shape(schema) {
            Shape::Simple => self.simple(schema, hint, pointer)?,
            Shape::Enum(values) if self.enum_counts.get(&dedup(&values)).is_some_and(|n| *n > 1) => {
                let values = dedup(&values);
                let name = match self.shared_enums.get(&values) {
                    Some(name) => name.clone(),
                    None => {
                        let joined: Vec<String> = values.iter().map(|v| variant_name(v)).collect();
                        let by_values = joined.join("Or");
                        let base = if values.len() <= 4 && by_values.len() <= 32 { by_values } else { hint.to_owned() };
                        let name = self.names.claim(type_name(&base));
                        let listed: Vec<String> = values.iter().map(|v| format!("`{v}`")).collect();
                        let kind = self.def_kind(schema, &name, pointer)?;
                        self.types.insert(
                            name.clone(),
                            TypeDef {
                                name: name.clone(),
                                doc: Some(format!("One of {}; shared by every property with exactly these values.", listed.join(", "))),
                                pointer: pointer.to_owned(),
                                deprecated: false,
                                kind,
                            },
                        );
                        self.shared_enums.insert(values, name.clone());
                        name
                    }
                };
                Lowered { ty: TypeRef::Named(name), nullable }
            }
            Shape::Union(members, keyword) => {
                let (variants, any_nullable) = self.variants(members, keyword, hint, pointer)?;
                let ty = if let [only] = variants.as_slice() {
                    only.ty.clone()
                } else {
                    let name = self.names.claim(type_name(hint));
                    self.define(name.clone(), schema, pointer, TypeKind::Union(variants));
                    TypeRef::Named(name)
                };
                Lowered { ty, nullable: nullable || any_nullable }
            }
            _ => {
                let name = self.names.claim(type_name(hint));
                // Claim the cache entry first so self-references inside resolve to it.
                self.cache.insert(pointer.to_owned(), Lowered { ty: TypeRef::Named(name.clone()), nullable });
                let kind = self.def_kind(schema, &name, pointer)?;
                self.define(name.clone(), schema, pointer, kind);
                Lowered { ty: TypeRef::Named(name), nullable }
            }
        };
        self.cache.insert(pointer.to_owned(), lowered.clone());
        Ok(lowered)
    }

    fn define(&mut self, name: String, schema: &Schema, pointer: &str, kind: TypeKind) {
        let data = &schema.schema_data;
        let doc = doc_text(data.title.as_deref(), data.description.as_deref());
        self.types.insert(name.clone(), TypeDef { name, doc, pointer: pointer.to_owned(), deprecated: data.deprecated, kind });
    }

    /// The definition of a named type.
    fn def_kind(&mut self, schema: &'a Schema, name: &str, pointer: &str) -> Result<TypeKind, Error> {
        Ok(match shape(schema) {
            Shape::Struct { properties, required, additional } => {
                TypeKind::Struct(self.object(properties, required, additional, name, pointer)?)
            }
            Shape::Enum(values) => {
                let mut namer = Namer::with_reserved(["Unknown"]);
                let variants = dedup(&values).into_iter().map(|v| (namer.claim(variant_name(&v)), v)).collect();
                TypeKind::Enum(StringEnum { variants })
            }
            Shape::Union(members, keyword) => {
                let (variants, _) = self.variants(members, keyword, name, pointer)?;
                match <[Variant; 1]>::try_from(variants) {
                    Ok([only]) => TypeKind::Alias(only.ty),
                    Err(variants) => TypeKind::Union(variants),
                }
            }
            Shape::AllOf(members) => self.all_of(members, name, pointer)?,
            Shape::Simple => TypeKind::Alias(self.simple(schema, name, pointer)?.ty),
        })
    }

    /// Types that need no name of their own.
    fn simple(&mut self, schema: &'a Schema, hint: &str, pointer: &str) -> Result<Lowered, Error> {
        let nullable = schema.schema_data.nullable;
        let ty = match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) => match &s.format {
                VariantOrUnknownOrEmpty::Item(StringFormat::DateTime) => TypeRef::DateTime,
                VariantOrUnknownOrEmpty::Item(StringFormat::Binary) => TypeRef::Binary,
                _ => TypeRef::String,
            },
            SchemaKind::Type(Type::Integer(i)) => match &i.format {
                VariantOrUnknownOrEmpty::Item(IntegerFormat::Int32) => TypeRef::I32,
                VariantOrUnknownOrEmpty::Unknown(format) => integer_type(format),
                _ => TypeRef::I64,
            },
            SchemaKind::Type(Type::Number(_)) => TypeRef::F64,
            SchemaKind::Type(Type::Boolean(_)) => TypeRef::Bool,
            SchemaKind::Type(Type::Array(a)) => match &a.items {
                Some(items) => TypeRef::Vec(Box::new(self.boxed_schema_type(items, &format!("{hint}Item"), &format!("{pointer}/items"))?.ty)),
                None => TypeRef::Vec(Box::new(TypeRef::Json)),
            },
            SchemaKind::Type(Type::Object(o)) => self.map_type(o.additional_properties.as_ref(), hint, pointer)?,
            SchemaKind::OneOf { one_of: members } | SchemaKind::AnyOf { any_of: members } | SchemaKind::AllOf { all_of: members } => {
                let keyword = match &schema.schema_kind {
                    SchemaKind::OneOf { .. } => "oneOf",
                    SchemaKind::AnyOf { .. } => "anyOf",
                    _ => "allOf",
                };
                let first = if keyword == "allOf" { substantive(members).next() } else { members.iter().enumerate().next() };
                match first {
                    Some((i, member)) => {
                        let inner = self.schema_type(member, hint, &format!("{pointer}/{keyword}/{i}"))?;
                        let annotated = keyword == "allOf" && annotated_nullable(members);
                        return Ok(Lowered { ty: inner.ty, nullable: nullable || annotated || inner.nullable });
                    }
                    None => TypeRef::Json,
                }
            }
            SchemaKind::Not { .. } => {
                self.warn(Lint::UnsupportedSchema, pointer, "`not` has no Rust type; using serde_json::Value");
                TypeRef::Json
            }
            SchemaKind::Any(any) => {
                let first = (any.one_of.first().map(|m| (0, m, "oneOf")))
                    .or(any.any_of.first().map(|m| (0, m, "anyOf")))
                    .or(substantive(&any.all_of).next().map(|(i, m)| (i, m, "allOf")));
                if let Some((i, member, keyword)) = first {
                    let inner = self.schema_type(member, hint, &format!("{pointer}/{keyword}/{i}"))?;
                    return Ok(Lowered { ty: inner.ty, nullable: nullable || annotated_nullable(&any.all_of) || inner.nullable });
                }
                if any.not.is_some() {
                    self.warn(Lint::UnsupportedSchema, pointer, "`not` has no Rust type; using serde_json::Value");
                }
                match any.typ.as_deref() {
                    Some("string") if any.format.as_deref() == Some("date-time") => TypeRef::DateTime,
                    Some("string") => TypeRef::String,
                    Some("integer") => any.format.as_deref().map_or(TypeRef::I64, integer_type),
                    Some("number") => TypeRef::F64,
                    Some("boolean") => TypeRef::Bool,
                    Some("array") | None if any.items.is_some() => match &any.items {
                        Some(items) => TypeRef::Vec(Box::new(self.boxed_schema_type(items, &format!("{hint}Item"), &format!("{pointer}/items"))?.ty)),
                        None => TypeRef::Vec(Box::new(TypeRef::Json)),
                    },
                    Some("array") => TypeRef::Vec(Box::new(TypeRef::Json)),
                    Some("object") | None => self.map_type(any.additional_properties.as_ref(), hint, pointer)?,
                    Some(other) => {
                        self.warn(Lint::UnsupportedSchema, pointer, format!("unknown type `{other}`; using serde_json::Value"));
                        TypeRef::Json
                    }
                }
            }
        };
        if let SchemaKind::Type(Type::Integer(i)) = &schema.schema_kind {
            if !i.enumeration.is_empty() {
                self.warn(Lint::NonStringEnum, pointer, "integer `enum` is typed as the plain integer");
            }
        }
        Ok(Lowered { ty, nullable })
    }

    /// A property-less object: a map when `additionalProperties` has a schema, else any JSON.
    fn map_type(&mut self, additional: Option<&'a AdditionalProperties>, hint: &str, pointer: &str) -> Result<TypeRef, Error> {
        Ok(match additional {
            Some(AdditionalProperties::Schema(schema)) => {
                let value = self.schema_type(schema, &format!("{hint}Value"), &format!("{pointer}/additionalProperties"))?;
                TypeRef::Map(Box::new(value.ty))
            }
            _ => TypeRef::Json,
        })
    }

    fn object(
        &mut self,
        properties: &'a IndexMap<String, ReferenceOr<Box<Schema>>>,
        required: &[String],
        additional: Option<&'a AdditionalProperties>,
        name: &str,
        pointer: &str,
    ) -> Result<Struct, Error> {
        let props: Vec<(&'a String, &'a ReferenceOr<Box<Schema>>, String)> = properties
            .iter()
            .map(|(k, v)| (k, v, format!("{pointer}/properties/{}", pointer_token(k))))
            .collect();
        let required: BTreeSet<&str> = required.iter().map(String::as_str).collect();
        let additional = match additional {
            Some(AdditionalProperties::Schema(schema)) => {
                Some(self.schema_type(schema, &format!("{name}Value"), &format!("{pointer}/additionalProperties"))?.ty)
            }
            Some(AdditionalProperties::Any(true)) => Some(TypeRef::Json),
            _ => None,
        };
        let empty = props.is_empty() && additional.is_none();
        let fields = self.fields(&props, &required, name, additional.is_some())?;
        Ok(Struct { fields, additional, empty })
    }

    fn fields(
        &mut self,
        props: &[(&'a String, &'a ReferenceOr<Box<Schema>>, String)],
        required: &BTreeSet<&str>,
        parent: &str,
        has_additional: bool,
    ) -> Result<Vec<Field>, Error> {
        let mut namer = if has_additional { Namer::with_reserved(["additional_properties"]) } else { Namer::default() };
        let mut fields = Vec::with_capacity(props.len());
        for (wire, schema, pointer) in props {
            let hint = format!("{parent}{}", camel_part(wire));
            let lowered = self.boxed_schema_type(schema, &hint, pointer)?;
            let (doc, deprecated) = match schema {
                ReferenceOr::Item(s) => (doc_text(None, s.schema_data.description.as_deref()), s.schema_data.deprecated),
                ReferenceOr::Reference { .. } => (None, false),
            };
            fields.push(Field {
                name: namer.claim(field_name(wire)),
                wire: (*wire).clone(),
                ty: lowered.ty,
                required: required.contains(wire.as_str()),
                nullable: lowered.nullable,
                doc,
                deprecated,
            });
        }
        Ok(fields)
    }

    fn variants(&mut self, members: &'a [ReferenceOr<Schema>], keyword: &str, hint: &str, pointer: &str) -> Result<(Vec<Variant>, bool), Error> {
        let mut lowered: Vec<(TypeRef, usize)> = Vec::new();
        let mut distinct: BTreeSet<TypeRef> = BTreeSet::new();
        let mut nullable = false;
        let mut null_only = Vec::with_capacity(members.len());
        for member in members {
            null_only.push(self.null_only(member));
        }
        // `oneOf: [{$ref: X}, {nullable: true}]` is a nullable `X`, not a union with `null`.
        let keep_nulls = null_only.iter().all(|n| *n);
        for (i, member) in members.iter().enumerate() {
            if null_only[i] && !keep_nulls {
                nullable = true;
                continue;
            }
            let member_pointer = format!("{pointer}/{keyword}/{i}");
            let l = self.schema_type(member, &format!("{hint}{}", i + 1), &member_pointer)?;
            nullable |= l.nullable;
            if distinct.insert(l.ty.clone()) {
                lowered.push((l.ty, self.property_count(member)));
            }
        }
        // Untagged decoding keeps the first variant that fits, so specific shapes go before
        // catch-alls, and objects with more properties before those with fewer (otherwise
        // `{a, b}` would decode as a variant that has only `a` and silently drop `b`).
        lowered.sort_by_key(|(ty, properties)| {
            let rank = match ty {
                TypeRef::Named(_) | TypeRef::Vec(_) | TypeRef::Boxed(_) => 0,
                TypeRef::Bool | TypeRef::I32 | TypeRef::I64 | TypeRef::DateTime => 1,
                TypeRef::I8 | TypeRef::I16 | TypeRef::U8 | TypeRef::U16 | TypeRef::U32 | TypeRef::U64 => 1,
                TypeRef::F64 => 2,
                TypeRef::String | TypeRef::Bytes | TypeRef::Binary => 3,
                TypeRef::Map(_) => 4,
                TypeRef::Json => 5,
            };
            (rank, std::cmp::Reverse(*properties))
        });
        let lowered: Vec<TypeRef> = lowered.into_iter().map(|(ty, _)| ty).collect();
        let mut namer = Namer::default();
        let variants = lowered
            .into_iter()
            .map(|ty| {
                let base = match &ty {
                    TypeRef::Named(n) => n.clone(),
                    TypeRef::Bool => "Boolean".into(),
                    TypeRef::I32 | TypeRef::I64 => "Integer".into(),
                    TypeRef::I8 | TypeRef::I16 | TypeRef::U8 | TypeRef::U16 | TypeRef::U32 | TypeRef::U64 => "Integer".into(),
                    TypeRef::F64 => "Number".into(),
                    TypeRef::String | TypeRef::Bytes => "String".into(),
                    TypeRef::Binary => "Binary".into(),
                    TypeRef::DateTime => "DateTime".into(),
                    TypeRef::Vec(_) => "Array".into(),
                    TypeRef::Map(_) | TypeRef::Json => "Object".into(),
                    TypeRef::Boxed(inner) => match &**inner {
                        TypeRef::Named(n) => n.clone(),
                        _ => "Value".into(),
                    },
                };
                Variant { name: namer.claim(base), ty }
            })
            .collect();
        Ok((variants, nullable))
    }

    /// How many properties a union member declares (0 when it is not an object).
    fn property_count(&mut self, member: &'a ReferenceOr<Schema>) -> usize {
        let schema = match member {
            ReferenceOr::Item(schema) => schema,
            ReferenceOr::Reference { .. } => {
                match self.resolve_schema(member, "") {
                    Ok((schema, _)) => schema,
                    Err(_) => return 0,
                }
            }
        };
        match shape(schema) {
            Shape::Struct { properties, .. } => properties.len(),
            _ => 0,
        }
    }

    fn all_of(&mut self, members: &'a [ReferenceOr<Schema>], name: &str, pointer: &str) -> Result<TypeKind, Error> {
        let mut merged = Merged::default();
        for (i, member) in substantive(members) {
            let member_pointer = format!("{pointer}/allOf/{i}");
            if !self.collect(member, &member_pointer, &mut merged, 0)? {
                self.warn(Lint::UnsupportedSchema, &member_pointer, "`allOf` member is not an object; using serde_json::Value");
                return Ok(TypeKind::Alias(TypeRef::Json));
            }
        }
        let additional = match merged.additional {
            Some((schema, at)) => Some(self.schema_type(schema, &format!("{name}Value"), &at)?.ty),
            None => None,
        };
        let fields = self.fields(&merged.props, &merged.required, name, additional.is_some())?;
        Ok(TypeKind::Struct(Struct { empty: fields.is_empty() && additional.is_none(), fields, additional }))
    }

    /// Gathers the properties of one `allOf` member, following `$ref`s and nested `allOf`s
    /// (at most [`MAX_ALL_OF_DEPTH`] levels). Returns `false` when the member is not an object.
    fn collect(&mut self, member: &'a ReferenceOr<Schema>, pointer: &str, merged: &mut Merged<'a>, depth: usize) -> Result<bool, Error> {
        if depth > MAX_ALL_OF_DEPTH {
            return Err(Error::Invalid {
                pointer: pointer.to_owned(),
                message: format!("`allOf` members nest more than {MAX_ALL_OF_DEPTH} levels deep"),
            });
        }
        let reference = match member {
            ReferenceOr::Reference { reference } => Some(reference.as_str()),
            ReferenceOr::Item(_) => None,
        };
        let (schema, at) = match reference {
            None => match member {
                ReferenceOr::Item(schema) => (schema, pointer.to_owned()),
                ReferenceOr::Reference { .. } => return Ok(false),
            },
            Some(reference) => {
                if merged.stack.contains(&reference) {
                    let mut chain = merged.stack.clone();
                    chain.push(reference);
                    return Err(Error::RefCycle { pointer: pointer.to_owned(), chain: chain.join(" -> ") });
                }
                if merged.done.contains(reference) {
                    // Reached before by another path: it adds nothing new.
                    return Ok(true);
                }
                merged.stack.push(reference);
                self.resolve_schema(member, pointer)?
            }
        };
        let (properties, req, extra) = match &schema.schema_kind {
            SchemaKind::Type(Type::Object(o)) => (&o.properties, &o.required, o.additional_properties.as_ref()),
            SchemaKind::AllOf { all_of } => {
                for (i, inner) in all_of.iter().enumerate() {
                    if !self.collect(inner, &format!("{at}/allOf/{i}"), merged, depth + 1)? {
                        return Ok(false);
                    }
                }
                merged.finish(reference);
                return Ok(true);
            }
            SchemaKind::Any(any) if any.typ.as_deref().is_none_or(|t| t == "object") && any.one_of.is_empty() && any.any_of.is_empty() => {
                for (i, inner) in any.all_of.iter().enumerate() {
                    if !self.collect(inner, &format!("{at}/allOf/{i}"), merged, depth + 1)? {
                        return Ok(false);
                    }
                }
                (&any.properties, &any.required, any.additional_properties.as_ref())
            }
            _ => return Ok(false),
        };
        for (key, value) in properties {
            let prop_pointer = format!("{at}/properties/{}", pointer_token(key));
            match merged.index.get(key.as_str()) {
                Some(&i) => merged.props[i] = (key, value, prop_pointer),
                None => {
                    merged.index.insert(key, merged.props.len());
                    merged.props.push((key, value, prop_pointer));
                }
            }
        }
        merged.required.extend(req.iter().map(String::as_str));
        if let Some(AdditionalProperties::Schema(schema)) = extra {
            merged.additional = Some((&**schema, format!("{at}/additionalProperties")));
        }
        merged.finish(reference);
        Ok(true)
    }

    // ----- operations -----

    fn operations(&mut self) -> Result<BTreeMap<String, Group>, Error> {
        struct Found<'o> {
            id: String,
            group: String,
            short: String,
            method: &'o str,
            path: &'o str,
            pointer: String,
            op: &'o openapiv3::Operation,
            item: &'o openapiv3::PathItem,
        }
        let doc = self.doc;
        let mut found: Vec<Found<'a>> = Vec::new();
        let mut ids: BTreeMap<String, String> = BTreeMap::new();
        for (path, item) in doc.paths.iter() {
            let path_pointer = format!("#/paths/{}", pointer_token(path));
            let item = match item {
                ReferenceOr::Item(item) => item,
                ReferenceOr::Reference { .. } => {
                    self.warn(Lint::Ignored, &path_pointer, "path item `$ref` is not supported; path skipped");
                    continue;
                }
            };
            for (method, op) in item.iter() {
                let pointer = format!("{path_pointer}/{method}");
                let id = op.operation_id.clone().unwrap_or_else(|| format!("{method}{}", path.replace(['{', '}'], "")));
                let id = match ids.get(&id) {
                    None => id,
                    Some(first) => {
                        // Invalid, but real documents do it: the later one gets a numbered id.
                        let first = first.clone();
                        let unique = (2..).map(|n| format!("{id}-{n}")).find(|c| !ids.contains_key(c)).unwrap_or_default();
                        self.warn(Lint::NonStandard, &pointer, format!("operationId \"{id}\" is already used at {first}; generated as \"{unique}\""));
                        unique
                    }
                };
                ids.insert(id.clone(), pointer.clone());
                let (group, short) = match id.split_once('/') {
                    Some((g, s)) if !g.is_empty() && !s.is_empty() => (g.to_owned(), s.to_owned()),
                    _ => (op.tags.first().cloned().unwrap_or_else(|| "default".into()), id.clone()),
                };
                found.push(Found { id, group, short, method, path, pointer, op, item });
            }
        }
        found.sort_by(|a, b| a.id.cmp(&b.id));

        let mut modules = Namer::with_reserved(MODULE_RESERVED.iter().chain(CLIENT_RESERVED).chain(CRATE_RESERVED).copied());
        let mut groups: BTreeMap<String, (Group, Namer, Namer)> = BTreeMap::new();
        let mut group_modules: BTreeMap<String, String> = BTreeMap::new();
        for f in found {
            let module = group_modules.entry(f.group.clone()).or_insert_with(|| modules.claim(field_name(&f.group))).clone();
            let (group, methods, builders) = groups.entry(module.clone()).or_insert_with(|| {
                let name = type_name(&f.group);
                (
                    Group { module: module.clone(), name: name.clone(), operations: Vec::new() },
                    Namer::default(),
                    Namer::with_reserved([name.as_str()]),
                )
            });
            let method_name = methods.claim(field_name(&f.short));
            // The builder is named after its operation; when that name is taken (by the
            // group's accessor, or another operation's builder or outcome), the first free
            // numbered form, in operation order: unique and deterministic, never refused.
            let base = type_name(&f.short);
            let builder = (1..)
                .map(|n| if n == 1 { base.clone() } else { format!("{base}{n}") })
                .find(|b| !builders.contains(b) && !builders.contains(&format!("{b}Outcome")))
                .unwrap_or(base);
            builders.claim(builder.clone());
            builders.claim(format!("{builder}Outcome"));
            let operation = self.operation(f.id, method_name, builder, f.method, f.path, &f.pointer, f.op, f.item)?;
            group.operations.push(operation);
        }
        Ok(groups
            .into_values()
            .map(|(mut g, _, _)| {
                g.operations.sort_by(|a, b| a.method_name.cmp(&b.method_name));
                (g.module.clone(), g)
            })
            .collect())
    }

    #[allow(clippy::too_many_arguments)]
    fn operation(
        &mut self,
        id: String,
        method_name: String,
        builder: String,
        method: &str,
        path: &str,
        pointer: &str,
        op: &'a openapiv3::Operation,
        item: &'a openapiv3::PathItem,
    ) -> Result<Operation, Error> {
        // A query string in the path key (`/rides?page={page}`) is not part of the template.
        let key = split_path_key(path);
        let template = parse_path_template(&key.template).ok_or_else(|| Error::PathParameter {
            pointer: format!("#/paths/{}", pointer_token(path)),
            message: format!("path template `{path}` has unbalanced braces"),
        })?;

        // Path-level parameters first, then the operation's, which replace same-named ones.
        let mut declared: Vec<Option<(&'a Parameter, String)>> = Vec::new();
        let mut position: HashMap<(String, &'static str), usize> = HashMap::new();
        let lists = [
            (&item.parameters, format!("#/paths/{}/parameters", pointer_token(path))),
            (&op.parameters, format!("{pointer}/parameters")),
        ];
        for (list, list_pointer) in lists {
            let mut seen: BTreeSet<(String, &'static str)> = BTreeSet::new();
            for (i, p) in list.iter().enumerate() {
                let (param, at) = self.resolve("parameters", |c| &c.parameters, p, format!("{list_pointer}/{i}"))?;
                let data = param.parameter_data_ref();
                let key = (data.name.clone(), location_name(param));
                if !seen.insert(key.clone()) {
                    return Err(Error::DuplicateParameter { pointer: format!("{list_pointer}/{i}"), name: key.0, location: key.1.into() });
                }
                if let Some(replaced) = position.insert(key, declared.len()) {
                    declared[replaced] = None;
                }
                declared.push(Some((param, at)));
            }
        }
        let declared: Vec<(&'a Parameter, String)> = declared.into_iter().flatten().collect();
        let template_params: Vec<&str> = template.iter().filter_map(|p| if let PathPart::Param(n) = p { Some(*n) } else { None }).collect();
        // Position of each name in the template (the first, if a name repeats).
        let mut template_rank: HashMap<&str, usize> = HashMap::new();
        for (i, name) in template_params.iter().enumerate() {
            template_rank.entry(name).or_insert(i);
        }
        for name in &template_params {
            if !position.contains_key(&((*name).to_owned(), "path")) {
                return Err(Error::PathParameter {
                    pointer: pointer.to_owned(),
                    message: format!("path template has `{{{name}}}` but no `in: path` parameter declares it"),
                });
            }
        }

        let mut namer = Namer::with_reserved(BUILDER_RESERVED.iter().copied());
        let mut params = Vec::new();
        for (param, at) in &declared {
            let data = param.parameter_data_ref();
            let in_key_query = key.query_params.iter().find(|(_, name)| *name == data.name);
            let location = match param {
                // Declared `in: path` but placed in the key's query string: a query parameter.
                Parameter::Path { .. } if !template_params.contains(&data.name.as_str()) && in_key_query.is_some() => ParamLocation::Query,
                Parameter::Path { .. } => {
                    if !template_rank.contains_key(data.name.as_str()) {
                        return Err(Error::PathParameter {
                            pointer: at.clone(),
                            message: format!("path parameter `{}` does not appear in the template `{path}`", data.name),
                        });
                    }
                    ParamLocation::Path
                }
                Parameter::Query { .. } => ParamLocation::Query,
                Parameter::Header { .. } => ParamLocation::Header,
                Parameter::Cookie { .. } => ParamLocation::Cookie,
            };
            let hint = match at.strip_prefix("#/components/parameters/") {
                Some(key) => unescape(key),
                None => format!("{builder}{}", camel_part(&data.name)),
            };
            let ty = match &data.format {
                ParameterSchemaOrContent::Schema(schema) => {
                    let ty = self.schema_type(schema, &hint, &format!("{at}/schema"))?.ty;
                    // An array in `style: simple` (the default) is its elements joined by commas.
                    let simple_list = match (&ty, param) {
                        (TypeRef::Vec(inner), Parameter::Path { style, .. }) => matches!(style, openapiv3::PathStyle::Simple) && self.displays(inner),
                        _ => false,
                    };
                    if location == ParamLocation::Path && !self.displays(&ty) && !simple_list {
                        self.warn(Lint::UnsupportedSchema, at, "a path parameter must be a scalar, an enum or a union of those; sent as a string");
                        TypeRef::String
                    } else {
                        ty
                    }
                }
                ParameterSchemaOrContent::Content(_) => {
                    self.warn(Lint::UnsupportedSchema, at, "parameter `content` is not supported; sent as a string");
                    TypeRef::String
                }
            };
            let wire = match (param, in_key_query) {
                (Parameter::Path { .. }, Some((wire, _))) if location == ParamLocation::Query => wire.clone(),
                _ => data.name.clone(),
            };
            params.push(Param {
                name: namer.claim(field_name(&data.name)),
                wire,
                location,
                ty,
                required: data.required || location == ParamLocation::Path,
                doc: doc_text(None, data.description.as_deref()),
                deprecated: data.deprecated.unwrap_or(false),
            });
        }
        for (_, name) in &key.query_params {
            if !declared.iter().any(|(p, _)| p.parameter_data_ref().name == *name) {
                self.warn(Lint::Ignored, pointer, format!("`{{{name}}}` in the query string of the path key has no parameter; left out"));
            }
        }
        params.sort_by(|a, b| {
            let rank = |p: &Param| template_rank.get(p.wire.as_str()).copied().unwrap_or(usize::MAX);
            (a.location, rank(a), &a.name).cmp(&(b.location, rank(b), &b.name))
        });

        let body = match &op.request_body {
            None => None,
            Some(body) => {
                let (body, at) = self.resolve("requestBodies", |c| &c.request_bodies, body, format!("{pointer}/requestBody"))?;
                self.body(body, &at, &builder)?.map(|mut body| {
                    body.setters = match &body.fields {
                        Some(fields) => fields.iter().map(|f| namer.claim(f.name.clone())).collect(),
                        None => vec![namer.claim("body".into())],
                    };
                    body
                })
            }
        };

        let mut responses = Vec::new();
        let success_json = op
            .responses
            .responses
            .iter()
            .filter(|(s, _)| matches!(s, StatusCode::Code(c) if (200..300).contains(c)) || matches!(s, StatusCode::Range(2)))
            .count();
        for (status, response) in &op.responses.responses {
            // A range (`2XX`) is its hundred's first status, matching the whole hundred.
            let (code, range, label) = match status {
                StatusCode::Code(code) => (*code, false, code.to_string()),
                StatusCode::Range(range) if (1..=5).contains(range) => (*range * 100, true, format!("{range}XX")),
                StatusCode::Range(range) => {
                    self.warn(Lint::Ignored, &format!("{pointer}/responses/{range}XX"), "a status range outside 1XX-5XX; response skipped");
                    continue;
                }
            };
            let response_pointer = format!("{pointer}/responses/{label}");
            let (response, at) = self.resolve("responses", |c| &c.responses, response, response_pointer)?;
            let hint = if success_json > 1 { format!("{builder}Response{label}") } else { format!("{builder}Response") };
            let kind = self.response_kind(Some(code), response, &at, &hint)?;
            responses.push(ResponseCase { status: Some(code), range, kind, doc: doc_text(None, Some(&response.description)) });
        }
        if let Some(response) = &op.responses.default {
            let (response, at) = self.resolve("responses", |c| &c.responses, response, format!("{pointer}/responses/default"))?;
            let kind = self.response_kind(None, response, &at, &format!("{builder}Default"))?;
            responses.push(ResponseCase { status: None, range: false, kind, doc: doc_text(None, Some(&response.description)) });
        }
        // Exact statuses before the range of their hundred, so `send` matches them first.
        responses.sort_by_key(|r| (r.status.map_or(u32::MAX, |s| u32::from(s) + if r.range { 99 } else { 0 }), r.range));

        let paginated = self.pagination(op, &params, &responses)?;
        Ok(Operation {
            id,
            method_name,
            builder,
            http_method: method.to_ascii_uppercase(),
            path: key.template.clone(),
            doc: doc_text(op.summary.as_deref(), op.description.as_deref()),
            docs_url: op.external_docs.as_ref().map(|d| d.url.clone()),
            deprecated: op.deprecated,
            params,
            body,
            responses,
            paginated,
        })
    }

    /// Whether values of `ty` can be written as text (have `Display`), as a path segment must.
    fn displays(&self, ty: &TypeRef) -> bool {
        let mut seen: HashSet<&str> = HashSet::new();
        let mut todo = vec![ty];
        while let Some(ty) = todo.pop() {
            match ty {
                TypeRef::Named(name) if !seen.insert(name) => {}
                TypeRef::Named(name) => match self.types.get(name).map(|t| &t.kind) {
                    Some(TypeKind::Enum(_)) => {}
                    Some(TypeKind::Union(vs)) => todo.extend(vs.iter().map(|v| &v.ty)),
                    Some(TypeKind::Alias(t)) => todo.push(t),
                    _ => return false,
                },
                TypeRef::Vec(_) | TypeRef::Map(_) | TypeRef::Boxed(_) | TypeRef::Bytes | TypeRef::Binary | TypeRef::Json => return false,
                _ => {}
            }
        }
        true
    }

    fn body(&mut self, body: &'a openapiv3::RequestBody, pointer: &str, builder: &str) -> Result<Option<Body>, Error> {
        let Some((media_type, media)) = pick_media(&body.content) else {
            return Ok(None);
        };
        let media_pointer = format!("{pointer}/content/{}", pointer_token(media_type));
        let encoding = if is_json(media_type) {
            BodyEncoding::Json
        } else if media_type == "application/x-www-form-urlencoded" {
            BodyEncoding::Form
        } else if media_type == "multipart/form-data" && media.schema.is_some() {
            BodyEncoding::Multipart
        } else {
            // Bytes as given are the mapping of a body whose schema is a string (a token, a
            // binary payload) whatever its media type; structured content loses its type.
            let opaque = match &media.schema {
                Some(schema) => self.resolve_schema(schema, &media_pointer).is_ok_and(|(s, _)| matches!(s.schema_kind, SchemaKind::Type(Type::String(_)))),
                None => false,
            };
            if !is_raw(media_type) && !opaque {
                self.warn(Lint::UnsupportedMediaType, &media_pointer, "sent as raw bytes");
            }
            BodyEncoding::Raw
        };
        let (ty, nullable) = match (&media.schema, encoding) {
            (_, BodyEncoding::Raw) => (TypeRef::Bytes, false),
            (Some(schema), _) => {
                let lowered = self.schema_type(schema, &format!("{builder}Request"), &format!("{media_pointer}/schema"))?;
                (lowered.ty, lowered.nullable)
            }
            (None, _) => (TypeRef::Json, false),
        };
        let struct_fields = |ty: &TypeRef| match ty {
            TypeRef::Named(name) => match self.types.get(name).map(|t| &t.kind) {
                Some(TypeKind::Struct(s)) if !s.fields.is_empty() && s.additional.is_none() => Some(s.fields.clone()),
                _ => None,
            },
            _ => None,
        };
        if encoding == BodyEncoding::Multipart && struct_fields(&ty).is_none() {
            // A form whose parts are not the fields of one object has no typed mapping.
            self.warn(Lint::UnsupportedMediaType, &media_pointer, "a multipart body whose schema is not an object with properties; sent as raw bytes");
            return Ok(Some(Body { media_type: media_type.to_owned(), encoding: BodyEncoding::Raw, required: body.required, ty: TypeRef::Bytes, fields: None, setters: Vec::new() }));
        }
        if encoding != BodyEncoding::Raw {
            self.media_examples(media, &media_pointer, &ty, nullable)?;
        }
        let fields = match &ty {
            TypeRef::Named(name) => match self.types.get(name).map(|t| &t.kind) {
                Some(TypeKind::Struct(s)) if !s.fields.is_empty() && s.additional.is_none() => Some(s.fields.clone()),
                _ => None,
            },
            _ => None,
        };
        Ok(Some(Body { media_type: media_type.to_owned(), encoding, required: body.required, ty, fields, setters: Vec::new() }))
    }

    fn response_kind(&mut self, code: Option<u16>, response: &'a openapiv3::Response, pointer: &str, hint: &str) -> Result<ResponseKind, Error> {
        // Headers are not typed (the runtime reads `Link`, `Location` and the rate-limit
        // headers itself), but their `$ref`s must resolve like any other.
        for (name, header) in &response.headers {
            let at = format!("{pointer}/headers/{}", pointer_token(name));
            self.resolve("headers", |c| &c.headers, header, at)?;
        }
        let success = code.is_some_and(|c| (200..400).contains(&c));
        if matches!(code, Some(301 | 302 | 303 | 307 | 308)) {
            return Ok(ResponseKind::Redirect);
        }
        let Some((media_type, media)) = pick_media(&response.content) else {
            return Ok(ResponseKind::Empty);
        };
        if code == Some(204) || code == Some(304) {
            return Ok(ResponseKind::Empty);
        }
        let media_pointer = format!("{pointer}/content/{}", pointer_token(media_type));
        if !is_json(media_type) {
            return Ok(if media_type.starts_with("text/") { ResponseKind::Text } else { ResponseKind::Bytes });
        }
        if !success {
            // Error bodies are decoded by the runtime's error type.
            return Ok(ResponseKind::Json(TypeRef::Json));
        }
        let (ty, nullable) = match &media.schema {
            Some(schema) => {
                let lowered = self.schema_type(schema, hint, &format!("{media_pointer}/schema"))?;
                (lowered.ty, lowered.nullable)
            }
            None => (TypeRef::Json, false),
        };
        self.media_examples(media, &media_pointer, &ty, nullable)?;
        Ok(ResponseKind::Json(ty))
    }

    fn media_examples(&mut self, media: &'a MediaType, pointer: &str, ty: &TypeRef, nullable: bool) -> Result<(), Error> {
        if let Some(example) = &media.example {
            self.add_example(format!("{pointer}/example"), ty, nullable, example);
        }
        for (name, example) in &media.examples {
            let at = format!("{pointer}/examples/{}", pointer_token(name));
            let (example, at) = self.resolve("examples", |c| &c.examples, example, at)?;
            let at = format!("{at}/value");
            match &example.value {
                Some(value) => self.add_example(at, ty, nullable, value),
                None => {
                    if let Some(serde_json::Value::Null) = crate::overrides::resolve(self.raw, &at) {
                        self.add_example(at, ty, nullable, &serde_json::Value::Null);
                    }
                }
            }
        }
        Ok(())
    }

    fn pagination(
        &mut self,
        op: &'a openapiv3::Operation,
        params: &[Param],
        responses: &[ResponseCase],
    ) -> Result<Option<Pagination>, Error> {
        if !params.iter().any(|p| p.wire == "page" && p.location == ParamLocation::Query) {
            return Ok(None);
        }
        let Some(ok) = op.responses.responses.get(&StatusCode::Code(200)) else {
            return Ok(None);
        };
        let (response, _) = self.resolve("responses", |c| &c.responses, ok, String::new())?;
        if !response.headers.keys().any(|h| h.eq_ignore_ascii_case("link")) {
            return Ok(None);
        }
        let Some(ResponseKind::Json(ty)) = responses.iter().find(|r| r.status == Some(200)).map(|r| &r.kind) else {
            return Ok(None);
        };
        Ok(match ty {
            TypeRef::Vec(item) => Some(Pagination { item: (**item).clone(), field: None }),
            TypeRef::Named(name) => match self.types.get(name).map(|t| &t.kind) {
                Some(TypeKind::Struct(s)) => {
                    let lists: Vec<&Field> = s.fields.iter().filter(|f| matches!(f.ty, TypeRef::Vec(_)) && !f.optional()).collect();
                    match lists.as_slice() {
                        [only] => match &only.ty {
                            TypeRef::Vec(item) => Some(Pagination { item: (**item).clone(), field: Some(only.name.clone()) }),
                            _ => None,
                        },
                        _ => None,
                    }
                }
                _ => None,
            },
            _ => None,
        })
    }
}

/// How long the JSON pointer of any node may be. Every error and warning carries one and
/// names are composed from the keys along it, so one long key above many nodes would cost
/// memory quadratic in the document. Real descriptions stay far below (GitHub's, under 200).
pub const MAX_POINTER_LEN: usize = 2_048;

/// Refuses a document in which some node's JSON pointer is longer than [`MAX_POINTER_LEN`];
/// the error points at the node holding the key that crosses the limit.
fn check_pointer_lengths(raw: &serde_json::Value) -> Result<(), Error> {
    // Depth-first with an explicit stack: (node, its token, its depth, its pointer length).
    let mut path: Vec<String> = Vec::new();
    let mut todo: Vec<(&serde_json::Value, Option<String>, usize, usize)> = vec![(raw, None, 0, 1)];
    while let Some((node, token, depth, length)) = todo.pop() {
        path.truncate(depth.saturating_sub(1));
        if length > MAX_POINTER_LEN {
            let key = unescape(&token.unwrap_or_default());
            let shown: String = key.chars().take(40).collect();
            return Err(Error::Invalid {
                pointer: format!("#{}", path.iter().map(|t| format!("/{t}")).collect::<String>()),
                message: format!(
                    "the key `{shown}...` ({} bytes) makes JSON pointers longer than {MAX_POINTER_LEN} bytes; shorten it",
                    key.len()
                ),
            });
        }
        path.extend(token);
        match node {
            serde_json::Value::Object(map) => {
                for (key, value) in map {
                    let token = pointer_token(key);
                    todo.push((value, Some(token.clone()), depth + 1, length + 1 + token.len()));
                }
            }
            serde_json::Value::Array(items) => {
                for (i, value) in items.iter().enumerate() {
                    let token = i.to_string();
                    todo.push((value, Some(token.clone()), depth + 1, length + 1 + token.len()));
                }
            }
            _ => {}
        }
    }
    Ok(())
}

/// The properties of an `allOf`, gathered member by member.
#[derive(Default)]
struct Merged<'a> {
    /// (wire name, schema, pointer), in first-seen order.
    props: Vec<(&'a String, &'a ReferenceOr<Box<Schema>>, String)>,
    /// Position of each wire name in `props`.
    index: HashMap<&'a str, usize>,
    required: BTreeSet<&'a str>,
    additional: Option<(&'a ReferenceOr<Schema>, String)>,
    /// The `$ref`s being merged, outermost first (a repeat is a cycle).
    stack: Vec<&'a str>,
    /// The `$ref`s merged already.
    done: HashSet<&'a str>,
}

impl<'a> Merged<'a> {
    fn finish(&mut self, reference: Option<&'a str>) {
        if let Some(reference) = reference {
            self.stack.pop();
            self.done.insert(reference);
        }
    }
}

/// The Rust integer for an integer `format` (`int64` and unknown formats are `i64`).
fn integer_type(format: &str) -> TypeRef {
    match format {
        "int8" => TypeRef::I8,
        "int16" => TypeRef::I16,
        "int32" => TypeRef::I32,
        "uint8" => TypeRef::U8,
        "uint16" => TypeRef::U16,
        "uint32" => TypeRef::U32,
        "uint64" => TypeRef::U64,
        _ => TypeRef::I64,
    }
}

/// The component schemas that operations reach through `$ref`s, transitively; `None`
/// when the document has no operations (then it is a library of types: all are kept).
fn reachable_schemas(raw: &serde_json::Value) -> Option<BTreeSet<String>> {
    let paths = raw.get("paths")?.as_object()?;
    let has_operations = paths.values().any(|item| item.as_object().is_some_and(|i| i.keys().any(|k| slice::METHODS.contains(&k.as_str()))));
    if !has_operations {
        return None;
    }
    // A worklist, not recursion: a chain of `$ref`s is as long as the document makes it.
    let mut seen: BTreeSet<&str> = BTreeSet::new();
    let mut todo: Vec<&serde_json::Value> = vec![raw.get("paths")?];
    while let Some(node) = todo.pop() {
        match node {
            serde_json::Value::Object(map) => {
                for (key, value) in map {
                    match (key.as_str(), value) {
                        ("$ref", serde_json::Value::String(reference)) => {
                            if seen.insert(reference.as_str()) {
                                todo.extend(crate::overrides::resolve(raw, reference));
                            }
                        }
                        _ => todo.push(value),
                    }
                }
            }
            serde_json::Value::Array(items) => todo.extend(items),
            _ => {}
        }
    }
    Some(seen.into_iter().filter_map(|r| schema_key(r).map(unescape)).collect())
}

/// An enum's values without repeats, in order.
fn dedup(values: &[String]) -> Vec<String> {
    let mut seen = BTreeSet::new();
    values.iter().filter(|v| seen.insert(v.as_str())).cloned().collect()
}

/// Counts, for every string `enum` in the document, how often its value list occurs.
fn count_enums(value: &serde_json::Value, counts: &mut HashMap<Vec<String>, usize>) {
    let mut todo = vec![value];
    while let Some(node) = todo.pop() {
        match node {
            serde_json::Value::Object(map) => {
                if let (Some(serde_json::Value::Array(values)), Some("string")) = (map.get("enum"), map.get("type").and_then(|t| t.as_str())) {
                    let values: Vec<String> = values.iter().filter_map(|v| v.as_str().map(str::to_owned)).collect();
                    if !values.is_empty() {
                        *counts.entry(dedup(&values)).or_default() += 1;
                    }
                }
                todo.extend(map.values());
            }
            serde_json::Value::Array(items) => todo.extend(items),
            _ => {}
        }
    }
}

fn location_name(param: &Parameter) -> &'static str {
    match param {
        Parameter::Path { .. } => "path",
        Parameter::Query { .. } => "query",
        Parameter::Header { .. } => "header",
        Parameter::Cookie { .. } => "cookie",
    }
}

fn is_json(media_type: &str) -> bool {
    let essence = media_type.split(';').next().unwrap_or("").trim();
    essence == "application/json" || essence.ends_with("+json") || essence == "application/scim+json"
}

/// Media types whose content is bytes as they are (files, images, archives, text): sending
/// them as given is their typed mapping.
fn is_raw(media_type: &str) -> bool {
    let binary_families = ["text/", "image/", "audio/", "video/", "font/"];
    let binary_types = ["application/octet-stream", "*/*", "application/zip", "application/pdf", "application/gzip", "application/x-gzip", "application/x-tar", "application/wasm"];
    binary_families.iter().any(|f| media_type.starts_with(f)) || binary_types.iter().any(|t| media_type.starts_with(t))
}

/// Chooses the media type to use: JSON first, then form, then whatever comes first.
fn pick_media(content: &IndexMap<String, MediaType>) -> Option<(&str, &MediaType)> {
    content
        .iter()
        .find(|(k, _)| k.as_str() == "application/json")
        .or_else(|| content.iter().find(|(k, _)| is_json(k)))
        .or_else(|| content.iter().find(|(k, _)| k.as_str() == "application/x-www-form-urlencoded"))
        .or_else(|| content.iter().find(|(k, _)| k.as_str() == "multipart/form-data"))
        .or_else(|| content.first())
        .map(|(k, v)| (k.as_str(), v))
}

/// The strongly connected components of a graph given by adjacency lists: `result[v]`
/// names the component of `v`. Components are numbered sinks first (every edge leaving a
/// component goes to a lower number). Tarjan's algorithm, with an explicit stack so that
/// long chains cannot overflow the call stack.
fn strongly_connected(adjacent: &[Vec<usize>]) -> Vec<usize> {
    const UNSEEN: usize = usize::MAX;
    let n = adjacent.len();
    let (mut index, mut low, mut component) = (vec![UNSEEN; n], vec![0; n], vec![UNSEEN; n]);
    let mut on_stack = vec![false; n];
    let (mut stack, mut calls): (Vec<usize>, Vec<(usize, usize)>) = (Vec::new(), Vec::new());
    let (mut next_index, mut next_component) = (0, 0);
    for root in 0..n {
        if index[root] != UNSEEN {
            continue;
        }
        index[root] = next_index;
        low[root] = next_index;
        next_index += 1;
        stack.push(root);
        on_stack[root] = true;
        calls.push((root, 0));
        while let Some(&(v, edge)) = calls.last() {
            if let Some(&w) = adjacent[v].get(edge) {
                if let Some(top) = calls.last_mut() {
                    top.1 += 1;
                }
                if index[w] == UNSEEN {
                    index[w] = next_index;
                    low[w] = next_index;
                    next_index += 1;
                    stack.push(w);
                    on_stack[w] = true;
                    calls.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            calls.pop();
            if let Some(&(parent, _)) = calls.last() {
                low[parent] = low[parent].min(low[v]);
            }
            if low[v] == index[v] {
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    component[w] = next_component;
                    if w == v {
                        break;
                    }
                }
                next_component += 1;
            }
        }
    }
    component
}

/// The named types a type holds by value (a struct field, a union variant, the target of
/// an alias or a wrapper), without going through `Vec`, maps or `Box`.
fn by_value(kind: &TypeKind) -> Vec<&str> {
    fn direct(ty: &TypeRef) -> Option<&str> {
        match ty {
            TypeRef::Named(n) => Some(n),
            _ => None,
        }
    }
    match kind {
        TypeKind::Struct(s) => s.fields.iter().filter_map(|f| direct(&f.ty)).collect(),
        TypeKind::Union(vs) => vs.iter().filter_map(|v| direct(&v.ty)).collect(),
        TypeKind::Alias(t) | TypeKind::Newtype(t) => direct(t).into_iter().collect(),
        TypeKind::Enum(_) => Vec::new(),
    }
}

/// Every named type mentioned in `ty`, at any depth.
fn named_in<'t>(ty: &'t TypeRef, out: &mut Vec<&'t str>) {
    let mut ty = ty;
    loop {
        match ty {
            TypeRef::Named(n) => return out.push(n),
            TypeRef::Vec(inner) | TypeRef::Map(inner) | TypeRef::Boxed(inner) => ty = inner,
            _ => return,
        }
    }
}

/// Points every alias of an alias (`type A = B; type B = C;`) straight at the end of the
/// chain, so that no chain of aliases is longer than one hop. An alias that only leads to
/// itself (`type A = A;`, from `allOf: [$ref: A]`) has no meaning: it becomes
/// `serde_json::Value`, with a warning.
fn flatten_aliases(types: &mut BTreeMap<String, TypeDef>, warnings: &mut Vec<Warning>) {
    fn next<'t>(types: &'t BTreeMap<String, TypeDef>, name: &str) -> Option<&'t str> {
        match &types.get(name)?.kind {
            TypeKind::Alias(TypeRef::Named(target)) => Some(target),
            _ => None,
        }
    }
    let mut end: HashMap<String, Option<String>> = HashMap::new();
    for name in types.keys() {
        if end.contains_key(name) || next(types, name).is_none() {
            continue;
        }
        let mut walked: Vec<&str> = Vec::new();
        let mut on_path: HashSet<&str> = HashSet::new();
        let mut current: &str = name;
        let last = loop {
            if let Some(known) = end.get(current) {
                break known.clone();
            }
            match next(types, current) {
                None => break Some(current.to_owned()),
                Some(target) => {
                    if !on_path.insert(current) {
                        break None;
                    }
                    walked.push(current);
                    current = target;
                }
            }
        };
        for alias in walked {
            end.insert(alias.to_owned(), last.clone());
        }
    }
    for (name, last) in end {
        let Some(def) = types.get_mut(&name) else { continue };
        match last {
            Some(last) => def.kind = TypeKind::Alias(TypeRef::Named(last)),
            None => {
                def.kind = TypeKind::Alias(TypeRef::Json);
                warnings.push(Warning {
                    lint: Lint::UnsupportedSchema,
                    pointer: def.pointer.clone(),
                    message: "the schema is only itself (through `$ref`, one-member `allOf`/`oneOf`/`anyOf`); using serde_json::Value".into(),
                });
            }
        }
    }
}

/// Turns into transparent wrapper structs the aliases that refer back to themselves
/// through a container (`type A = Vec<A>;` is an error; `struct A(Vec<A>);` is fine).
fn wrap_recursive_aliases(types: &mut BTreeMap<String, TypeDef>) {
    let aliases: Vec<&String> = types.iter().filter(|(_, d)| matches!(d.kind, TypeKind::Alias(_))).map(|(n, _)| n).collect();
    let id: HashMap<&str, usize> = aliases.iter().enumerate().map(|(i, n)| (n.as_str(), i)).collect();
    let mut self_loop = vec![false; aliases.len()];
    let adjacent: Vec<Vec<usize>> = aliases
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let mut names = Vec::new();
            if let TypeKind::Alias(ty) = &types[*name].kind {
                named_in(ty, &mut names);
            }
            let targets: Vec<usize> = names.into_iter().filter_map(|n| id.get(n).copied()).collect();
            self_loop[i] = targets.contains(&i);
            targets
        })
        .collect();
    let component = strongly_connected(&adjacent);
    let mut size = vec![0usize; aliases.len()];
    for c in &component {
        size[*c] += 1;
    }
    let recursive: Vec<String> =
        aliases.iter().enumerate().filter(|(i, _)| self_loop[*i] || size[component[*i]] > 1).map(|(_, n)| (*n).clone()).collect();
    for name in recursive {
        if let Some(def) = types.get_mut(&name) {
            if let TypeKind::Alias(ty) = &def.kind {
                def.kind = TypeKind::Newtype(ty.clone());
            }
        }
    }
}

/// The slots of a type that can be boxed: struct fields, union variants, a wrapper's payload.
fn boxable_slots(kind: &mut TypeKind) -> Vec<&mut TypeRef> {
    match kind {
        TypeKind::Struct(s) => s.fields.iter_mut().map(|f| &mut f.ty).collect(),
        TypeKind::Union(vs) => vs.iter_mut().map(|v| &mut v.ty).collect(),
        TypeKind::Newtype(t) => vec![t],
        TypeKind::Alias(_) | TypeKind::Enum(_) => Vec::new(),
    }
}

/// Recursion among this many types or fewer gets the fewest boxes; in larger knots every
/// field that stays inside the knot is boxed (finding the fewest there costs quadratic time).
const SMALL_KNOT: usize = 64;

/// `ty` with every alias replaced by what it stands for (`None` past 256 steps): the Rust
/// type the compiler sees. Aliases form no cycle by now (see [`wrap_recursive_aliases`]).
fn expand_aliases(types: &BTreeMap<String, TypeDef>, ty: &TypeRef) -> Option<TypeRef> {
    let mut wrappers: Vec<fn(Box<TypeRef>) -> TypeRef> = Vec::new();
    let mut ty = ty;
    for _ in 0..256 {
        match ty {
            TypeRef::Named(name) => match types.get(name).map(|d| &d.kind) {
                Some(TypeKind::Alias(target)) => ty = target,
                _ => break,
            },
            TypeRef::Vec(inner) | TypeRef::Map(inner) | TypeRef::Boxed(inner) => {
                wrappers.push(match ty {
                    TypeRef::Vec(_) => TypeRef::Vec,
                    TypeRef::Map(_) => TypeRef::Map,
                    _ => TypeRef::Boxed,
                });
                ty = inner;
            }
            _ => break,
        }
    }
    if let TypeRef::Named(name) = ty {
        if matches!(types.get(name).map(|d| &d.kind), Some(TypeKind::Alias(_))) {
            return None;
        }
    }
    Some(wrappers.into_iter().rev().fold(ty.clone(), |inner, wrap| wrap(Box::new(inner))))
}

/// Drops the union variants whose Rust type is one an earlier variant already has through
/// aliases (`A` where `type A = String;` next to `String`): they could never be decoded,
/// and their `From` impls would conflict.
fn dedup_union_variants(types: &mut BTreeMap<String, TypeDef>) {
    let unions: Vec<String> = types.iter().filter(|(_, d)| matches!(d.kind, TypeKind::Union(_))).map(|(n, _)| n.clone()).collect();
    for name in unions {
        let TypeKind::Union(variants) = &types[&name].kind else { continue };
        let mut seen: BTreeSet<TypeRef> = BTreeSet::new();
        let keep: Vec<bool> = variants.iter().map(|v| expand_aliases(types, &v.ty).is_none_or(|ty| seen.insert(ty))).collect();
        if keep.iter().all(|k| *k) {
            continue;
        }
        if let Some(TypeKind::Union(variants)) = types.get_mut(&name).map(|d| &mut d.kind) {
            let mut keep = keep.into_iter();
            variants.retain(|_| keep.next().unwrap_or(true));
        }
    }
}

/// Wraps in `Box` the struct fields, union variants and wrapper payloads that would make
/// a type contain itself by value. Only a field whose type is in the same strongly
/// connected component of the by-value graph as its holder can do that; in a small
/// component, types are visited in name order and a field is boxed only if its type still
/// leads back to the holder through fields not boxed yet.
fn box_recursion(types: &mut BTreeMap<String, TypeDef>) {
    let names: Vec<String> = types.keys().cloned().collect();
    let id: HashMap<&str, usize> = names.iter().enumerate().map(|(i, n)| (n.as_str(), i)).collect();
    let adjacent: Vec<Vec<usize>> =
        names.iter().map(|n| by_value(&types[n].kind).into_iter().filter_map(|t| id.get(t).copied()).collect()).collect();
    let component = strongly_connected(&adjacent);
    let mut size: HashMap<usize, usize> = HashMap::new();
    for c in &component {
        *size.entry(*c).or_default() += 1;
    }
    // Whether `from` leads to `to` by value, staying inside their component.
    let reaches = |types: &BTreeMap<String, TypeDef>, from: usize, to: usize| {
        let mut seen = HashSet::from([from]);
        let mut todo = vec![from];
        while let Some(at) = todo.pop() {
            if at == to {
                return true;
            }
            for next in by_value(&types[&names[at]].kind).into_iter().filter_map(|t| id.get(t).copied()) {
                if component[next] == component[to] && seen.insert(next) {
                    todo.push(next);
                }
            }
        }
        false
    };
    for (i, name) in names.iter().enumerate() {
        let small = size[&component[i]] <= SMALL_KNOT;
        let slots = types.get_mut(name).map_or(0, |def| boxable_slots(&mut def.kind).len());
        for k in 0..slots {
            let target = match types.get_mut(name).and_then(|def| boxable_slots(&mut def.kind).into_iter().nth(k).cloned()) {
                Some(TypeRef::Named(target)) => id.get(target.as_str()).copied().filter(|&j| component[j] == component[i]),
                _ => None,
            };
            let Some(target) = target else { continue };
            if small && !reaches(types, target, i) {
                continue;
            }
            if let Some(slot) = types.get_mut(name).and_then(|def| boxable_slots(&mut def.kind).into_iter().nth(k)) {
                *slot = TypeRef::Boxed(Box::new(slot.clone()));
            }
        }
    }
}

/// Refuses types nested deeper than [`MAX_TYPE_DEPTH`] levels, which rustc cannot check
/// (`overflow while adding drop-check rules`): the error names the outermost type.
fn check_nesting(types: &BTreeMap<String, TypeDef>) -> Result<(), Error> {
    let names: Vec<&String> = types.keys().collect();
    let id: HashMap<&str, usize> = names.iter().enumerate().map(|(i, n)| (n.as_str(), i)).collect();
    fn contents(kind: &TypeKind) -> Vec<(&TypeRef, usize)> {
        match kind {
            TypeKind::Struct(s) => {
                let mut slots: Vec<(&TypeRef, usize)> = s.fields.iter().map(|f| (&f.ty, usize::from(f.optional()))).collect();
                slots.extend(s.additional.iter().map(|t| (t, 2)));
                slots
            }
            TypeKind::Union(vs) => vs.iter().map(|v| (&v.ty, 0)).collect(),
            TypeKind::Alias(t) | TypeKind::Newtype(t) => vec![(t, 0)],
            TypeKind::Enum(_) => Vec::new(),
        }
    }
    let adjacent: Vec<Vec<usize>> = names
        .iter()
        .map(|n| {
            let mut targets = Vec::new();
            for (ty, _) in contents(&types[*n].kind) {
                named_in(ty, &mut targets);
            }
            targets.into_iter().filter_map(|t| id.get(t).copied()).collect()
        })
        .collect();
    let component = strongly_connected(&adjacent);
    // Sinks first, so every type outside a node's own component is measured before it.
    let mut order: Vec<usize> = (0..names.len()).collect();
    order.sort_by_key(|&i| component[i]);
    let mut depth = vec![1usize; names.len()];
    let mut deepest_child: Vec<Option<usize>> = vec![None; names.len()];
    for i in order {
        let kind = &types[names[i]].kind;
        let own = usize::from(!matches!(kind, TypeKind::Alias(_)));
        let mut best = (0, None);
        for (ty, extra) in contents(kind) {
            let (mut levels, mut ty) = (extra, ty);
            let child = loop {
                match ty {
                    TypeRef::Named(n) => break id.get(n.as_str()).copied(),
                    TypeRef::Vec(inner) | TypeRef::Boxed(inner) => {
                        levels += 1;
                        ty = inner;
                    }
                    TypeRef::Map(inner) => {
                        levels += 2;
                        ty = inner;
                    }
                    _ => break None,
                }
            };
            levels += match child {
                Some(j) if component[j] != component[i] => depth[j],
                _ => 1,
            };
            if levels > best.0 {
                best = (levels, child.filter(|&j| component[j] != component[i]));
            }
        }
        depth[i] = own + best.0;
        deepest_child[i] = best.1;
    }
    let Some(top) = (0..names.len()).filter(|&i| depth[i] > MAX_TYPE_DEPTH).max_by_key(|&i| (depth[i], std::cmp::Reverse(i))) else {
        return Ok(());
    };
    let mut chain = vec![names[top].as_str()];
    let mut at = top;
    while let Some(next) = deepest_child[at] {
        if chain.len() == 4 {
            chain.push("...");
            break;
        }
        chain.push(names[next]);
        at = next;
    }
    Err(Error::Invalid {
        pointer: types[names[top]].pointer.clone(),
        message: format!(
            "types nest {} levels deep here ({}), more than the {MAX_TYPE_DEPTH} that rustc can check; \
             break the chain, e.g. with a free-form object",
            depth[top],
            chain.join(" holds ")
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Lowers `schema` as the only property of an object and returns the field.
    fn field_of(schema: &str) -> (Field, BTreeMap<String, TypeDef>) {
        let text = format!(
            "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths: {{}}\ncomponents:\n  schemas:\n    holder:\n      type: object\n      required: [value]\n      properties:\n        value: {schema}\n    other: {{type: object, properties: {{a: {{type: string}}}}}}\n    maybe: {{type: object, nullable: true, properties: {{a: {{type: string}}}}}}\n"
        );
        let raw = crate::load::parse_text(&text).unwrap();
        let doc = crate::load::openapi(&raw).unwrap();
        let (api, _) = lower(&doc, &raw, &Overrides::default()).unwrap();
        let TypeKind::Struct(s) = &api.types["Holder"].kind else { panic!("holder is not a struct") };
        (s.fields[0].clone(), api.types)
    }

    #[test]
    fn type_mapping() {
        use TypeRef::*;
        let named = |n: &str| Named(n.to_owned());
        let cases: std::vec::Vec<(&str, TypeRef, bool)> = vec![
            ("{type: integer}", I64, false),
            ("{type: integer, format: int64}", I64, false),
            ("{type: integer, format: int32}", I32, false),
            ("{type: integer, format: int8}", I8, false),
            ("{type: integer, format: int16}", I16, false),
            ("{type: integer, format: uint8}", U8, false),
            ("{type: integer, format: uint16}", U16, false),
            ("{type: integer, format: uint32}", U32, false),
            ("{type: integer, format: uint64}", U64, false),
            ("{type: integer, format: int128}", I64, false),
            ("{type: number}", F64, false),
            ("{type: number, format: float}", F64, false),
            ("{type: boolean}", Bool, false),
            ("{type: string}", String, false),
            ("{type: string, format: date-time}", DateTime, false),
            ("{type: string, format: uri}", String, false),
            ("{type: string, format: binary}", Binary, false),
            ("{type: string, nullable: true}", String, true),
            ("{type: array, items: {type: integer}}", Vec(Box::new(I64)), false),
            ("{type: array, items: {type: array, items: {type: string}}}", Vec(Box::new(Vec(Box::new(String)))), false),
            ("{type: array}", Vec(Box::new(Json)), false),
            ("{type: object}", Json, false),
            ("{}", Json, false),
            ("{type: object, additionalProperties: {type: integer}}", Map(Box::new(I64)), false),
            ("{type: object, additionalProperties: true}", Json, false),
            ("{$ref: '#/components/schemas/other'}", named("Other"), false),
            ("{$ref: '#/components/schemas/maybe'}", named("Maybe"), true),
            ("{allOf: [{$ref: '#/components/schemas/other'}]}", named("Other"), false),
            ("{oneOf: [{type: string}]}", String, false),
            ("{type: string, enum: [a, b]}", named("HolderValue"), false),
            ("{type: object, properties: {x: {type: integer}}}", named("HolderValue"), false),
            ("{oneOf: [{type: integer}, {type: string}]}", named("HolderValue"), false),
        ];
        for (schema, want, nullable) in cases {
            let (field, _) = field_of(schema);
            assert_eq!(field.ty, want, "{schema}");
            assert_eq!(field.nullable, nullable, "nullable of {schema}");
        }
    }

    #[test]
    fn union_variants_put_specific_shapes_first() {
        let (_, types) = field_of("{anyOf: [{type: object, additionalProperties: true}, {type: string}, {type: number}, {type: integer}, {$ref: '#/components/schemas/other'}]}");
        let TypeKind::Union(variants) = &types["HolderValue"].kind else { panic!("not a union") };
        let names: Vec<&str> = variants.iter().map(|v| v.name.as_str()).collect();
        assert_eq!(names, ["Other", "Integer", "Number", "String", "Object"]);
    }
}
