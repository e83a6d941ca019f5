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
use crate::input::document::{escape, unescape, Index};
use crate::naming::{split_path_key, field_name, parse_path_template, type_name, variant_name, Namer, PathPart};
use crate::input::Overrides;
use indexmap::IndexMap;
use openapiv3::{
    AdditionalProperties, AnySchema, Components, IntegerFormat, MediaType, OpenAPI, Parameter, ParameterSchemaOrContent,
    ReferenceOr, Schema, SchemaKind, StatusCode, StringFormat, Type, VariantOrUnknownOrEmpty,
};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

mod cycles;
mod flavor;
mod impls;
mod inputs;
mod operations;
mod schemas;
mod security;
mod text;

use cycles::*;
use schemas::*;

/// Names the generated operation code itself uses on a request builder.
const BUILDER_RESERVED: &[&str] = &["client", "request_body", "send", "stream", "into_request"];
/// Module names taken by the generated crate itself.
const MODULE_RESERVED: &[&str] = &["types", "runtime", "generated", "error", "client", "pagination", "response", "mock", "mocking"];
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
    let index = Index::new(raw, MAX_POINTER_LEN);
    check_pointer_lengths(&index)?;
    let pointed = pointed_schemas(&index);
    let mut cx = Lowerer::new(doc, &index, overrides, &pointed)?;
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
        base_url: None,
        types: cx.types,
        groups,
        examples,
        inputs: Default::default(),
        flavor: flavor::detect(raw, overrides),
        security: Vec::new(),
    };
    let (security, scheme_warnings) = security::schemes(doc);
    api.security = security;
    warnings.extend(scheme_warnings);
    warnings.sort();
    warnings.dedup();
    inputs::mark(&mut api);
    flavor::apply(&mut api);
    text::record(&mut api);
    impls::record(&mut api);
    api.base_url = flavor::default_base_url(&api).map(str::to_owned);
    Ok((api, warnings))
}

#[derive(Debug, Clone)]
struct Lowered {
    ty: TypeRef,
    nullable: bool,
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
    /// The raw document's index: how often each enum value list occurs, and references.
    index: &'a Index<'a>,
    /// Inline string enums that occur more than once share one type, named here.
    shared_enums: HashMap<Vec<String>, String>,
    warnings: Vec<Warning>,
    examples: Vec<Example>,
    /// `$ref` chains already walked: (section, entry) -> the entry at the end of the chain.
    refs: HashMap<(&'static str, &'a str), &'a str>,
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

fn schema_key(reference: &str) -> Option<&str> {
    reference.strip_prefix("#/components/schemas/").filter(|k| !k.is_empty())
}

impl<'a> Lowerer<'a> {
    fn new(doc: &'a OpenAPI, index: &'a Index<'a>, overrides: &'a Overrides, pointed: &'a BTreeMap<String, Result<ReferenceOr<Schema>, String>>) -> Result<Self, Error> {
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
        let keys: BTreeSet<&String> = schemas.keys().filter(|k| reachable.as_ref().is_none_or(|r| r.contains(k.as_str()))).collect();
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

}

/// How long the JSON pointer of any node may be. Every error and warning carries one and
/// names are composed from the keys along it, so one long key above many nodes would cost
/// memory quadratic in the document. Real descriptions stay far below (GitHub's, under 200).
pub const MAX_POINTER_LEN: usize = 2_048;

/// Refuses a document in which some node's JSON pointer is longer than [`MAX_POINTER_LEN`];
/// the error points at the node holding the key that crosses the limit.
fn check_pointer_lengths(index: &Index<'_>) -> Result<(), Error> {
    let Some((parent, key)) = index.too_long() else { return Ok(()) };
    let shown: String = key.chars().take(40).collect();
    Err(Error::Invalid {
        pointer: parent.to_owned(),
        message: format!("the key `{shown}...` ({} bytes) makes JSON pointers longer than {MAX_POINTER_LEN} bytes; shorten it", key.len()),
    })
}

/// The component schemas that operations reach through references, transitively; `None`
/// when the document has no operations (then it is a library of types: all are kept).
fn reachable_schemas(index: &Index<'_>) -> Option<BTreeSet<String>> {
    let paths = index.root().get("paths")?;
    let has_operations = paths.as_object()?.values().any(|item| item.as_object().is_some_and(|i| i.keys().any(|k| crate::input::document::METHODS.contains(&k.as_str()))));
    if !has_operations {
        return None;
    }
    // Problems (dangling references) are left to lowering, which reports them in context.
    let reached = index.reach(vec![("#/paths".to_owned(), paths)], Vec::new(), crate::input::document::Reach::Nodes);
    Some(reached.targets.iter().filter_map(|r| schema_key(r).map(|key| unescape(key).into_owned())).collect())
}

/// An enum's values without repeats, in order.
fn dedup(values: &[String]) -> Vec<String> {
    let mut seen = BTreeSet::new();
    values.iter().filter(|v| seen.insert(v.as_str())).cloned().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Lowers `schema` as the only property of an object and returns the field.
    fn field_of(schema: &str) -> (Field, BTreeMap<String, TypeDef>) {
        let text = format!(
            "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths: {{}}\ncomponents:\n  schemas:\n    holder:\n      type: object\n      required: [value]\n      properties:\n        value: {schema}\n    other: {{type: object, properties: {{a: {{type: string}}}}}}\n    maybe: {{type: object, nullable: true, properties: {{a: {{type: string}}}}}}\n"
        );
        let raw = crate::input::parse_text(&text).unwrap();
        let doc = crate::input::openapi(&raw).unwrap();
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
