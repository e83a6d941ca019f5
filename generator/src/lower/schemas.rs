//! Lowering of schemas: classification (`Shape`), component and inline types, objects,
//! unions and `allOf` merging.

use super::context::{doc_text, is_component_ref, schema_key, Lowered, Lowerer};
use crate::error::{Error, Lint};
use crate::input::document::{escape, unescape, Index};
use crate::input::{ENUM_DOCS_MARKER, TUPLE_MARKER};
use crate::ir::{Field, Impls, StringEnum, Struct, TypeDef, TypeKind, TypeRef, Variant};
use crate::naming::{field_name, type_name, variant_name, Namer};
use indexmap::IndexMap;
use openapiv3::{
    AdditionalProperties, AnySchema, IntegerFormat, ReferenceOr, Schema, SchemaKind, StringFormat, Type,
    VariantOrUnknownOrEmpty,
};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

/// How deep `allOf` members may nest (through `$ref`s or inline) before the document is refused.
const MAX_ALL_OF_DEPTH: usize = 64;

/// How many `$ref`s to schemas outside `components/schemas` (`$defs` entries, nodes by
/// pointer) may be being lowered inside one another before the document is refused: each
/// is lowered within the one that names it, so the chain is bounded like the stack it uses.
const MAX_POINTED_DEPTH: usize = 256;

/// The classification of a schema that decides whether it needs a name of its own.
pub(super) enum Shape<'a> {
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

pub(super) fn shape(schema: &Schema) -> Shape<'_> {
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
pub(super) fn substantive(members: &[ReferenceOr<Schema>]) -> impl Iterator<Item = (usize, &ReferenceOr<Schema>)> {
    members.iter().enumerate().filter(|(_, m)| !is_annotation(m))
}

pub(super) fn is_annotation(member: &ReferenceOr<Schema>) -> bool {
    matches!(member, ReferenceOr::Item(s) if matches!(&s.schema_kind, SchemaKind::Any(any) if *any == AnySchema::default()))
}

/// Whether an annotation-only `allOf` member says `nullable: true`.
pub(super) fn annotated_nullable(members: &[ReferenceOr<Schema>]) -> bool {
    members.iter().any(|m| is_annotation(m) && matches!(m, ReferenceOr::Item(s) if s.schema_data.nullable))
}

/// Whether a schema admits only `null`: `{nullable: true}` alone, a nullable object with no
/// properties, `{enum: [null]}` or `{type: "null"}`, the ways descriptions write the null
/// branch of a nullable reference (`oneOf: [{$ref: X}, {nullable: true}]`).
pub(super) fn is_null_only(schema: &Schema) -> bool {
    match &schema.schema_kind {
        SchemaKind::Any(any) if any.typ.as_deref() == Some("null") => true,
        SchemaKind::Any(any) if !any.enumeration.is_empty() => any.enumeration.iter().all(serde_json::Value::is_null),
        SchemaKind::Any(any) => schema.schema_data.nullable && *any == AnySchema::default(),
        SchemaKind::Type(Type::Object(o)) => {
            schema.schema_data.nullable && o.properties.is_empty() && o.additional_properties.is_none()
        }
        _ => false,
    }
}

/// Where the example of the schema at `pointer` is written: `example`, or the first of an
/// OpenAPI 3.1 `examples` list (which `input`'s translation copies to `example`), so the
/// golden test and an example exception name the node the author wrote.
fn example_pointer(raw: &serde_json::Value, pointer: &str) -> String {
    let schema = crate::input::document::resolve(raw, pointer);
    let first = schema.and_then(|s| s.get("examples")).and_then(|e| e.get(0));
    match (first, schema.and_then(|s| s.get("example"))) {
        (Some(first), Some(example)) if first == example => format!("{pointer}/examples/0"),
        _ => format!("{pointer}/example"),
    }
}

/// A type name for a schema reached by a pointer, from the pointer's meaningful tokens:
/// `#/components/schemas/channel/properties/from/oneOf/0` -> `ChannelFromOneOf0`,
/// `#/components/schemas/Order/$defs/Line` -> `OrderLine`.
pub(super) fn pointer_hint(reference: &str) -> String {
    // A webhook's payload is named after the webhook: `#/webhooks/runDone/post/requestBody/
    // content/application~1json/schema` -> `RunDoneWebhook`.
    if let Some(rest) = reference.strip_prefix("#/webhooks/") {
        let mut parts = rest.splitn(7, '/');
        if let (Some(name), Some(_method), Some("requestBody"), Some("content"), Some(_media), Some("schema")) =
            (parts.next(), parts.next(), parts.next(), parts.next(), parts.next(), parts.next())
        {
            let below = parts.next().map_or(String::new(), |below| pointer_hint(&format!("#/{below}")));
            let below = if below == "Schema" { String::new() } else { below };
            let name = type_name(&format!("{} webhook {below}", unescape(name)));
            if !name.is_empty() {
                return name;
            }
        }
    }
    const STRUCTURAL: &[&str] =
        &["components", "schemas", "properties", "paths", "content", "schema", "responses", "requestBody", "$defs"];
    let tokens: Vec<String> = reference
        .trim_start_matches('#')
        .split('/')
        .map(|t| unescape(t).into_owned())
        .filter(|t| !t.is_empty() && !STRUCTURAL.contains(&t.as_str()))
        .collect();
    let name = type_name(&tokens.join(" "));
    if name.is_empty() {
        "Schema".to_owned()
    } else {
        name
    }
}

/// Every schema a `$ref` names by a pointer that is not a component's, read from the raw
/// document (the typed one cannot be walked by pointer).
pub(super) fn pointed_schemas(index: &Index<'_>) -> BTreeMap<String, Result<ReferenceOr<Schema>, String>> {
    let mut out = BTreeMap::new();
    for reference in index.references() {
        let target = &reference.target;
        if !target.starts_with("#/") || is_component_ref(target) || out.contains_key(target) {
            continue;
        }
        if let Some(node) = crate::input::document::resolve(index.root(), target) {
            let read = serde_json::from_value::<ReferenceOr<Schema>>(node.clone()).map_err(|e| e.to_string());
            out.insert(target.clone(), read);
        }
    }
    for (at, node) in webhook_payloads(index.root()) {
        if node.get("$ref").is_none() && !out.contains_key(&at) {
            let read = serde_json::from_value::<ReferenceOr<Schema>>(node.clone()).map_err(|e| e.to_string());
            out.insert(at, read);
        }
    }
    out
}

/// The request body schemas of OpenAPI 3.1's webhooks (what the API sends), with their
/// pointers: `#/webhooks/NAME/METHOD/requestBody/content/MEDIA/schema`.
pub(super) fn webhook_payloads(root: &serde_json::Value) -> Vec<(String, &serde_json::Value)> {
    let mut out = Vec::new();
    let Some(serde_json::Value::Object(webhooks)) = root.get("webhooks") else { return out };
    for (name, item) in webhooks {
        let Some(item) = item.as_object() else { continue };
        for (method, operation) in item {
            if !crate::input::document::METHODS.contains(&method.as_str()) {
                continue;
            }
            let content = operation.get("requestBody").and_then(|b| b.get("content")).and_then(|c| c.as_object());
            for (media, media_type) in content.into_iter().flatten() {
                if let Some(schema) = media_type.get("schema").filter(|s| s.is_object()) {
                    let at = crate::input::document::pointer([
                        "webhooks",
                        name,
                        method,
                        "requestBody",
                        "content",
                        media,
                        "schema",
                    ]);
                    out.push((at, schema));
                }
            }
        }
    }
    out
}

pub(super) fn object_shape<'a>(
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

impl<'a> Lowerer<'a> {
    /// The types of the payloads OpenAPI 3.1's webhooks describe inline (a payload named
    /// by `$ref` is a component's type already); a webhook makes no call.
    pub(super) fn webhook_payloads(&mut self) -> Result<(), Error> {
        let pointed = self.pointed;
        let mut payloads: Vec<String> =
            webhook_payloads(self.raw).into_iter().map(|(at, _)| at).filter(|at| pointed.contains_key(at)).collect();
        payloads.sort();
        for at in payloads {
            self.pointed(&at, &at)?;
        }
        Ok(())
    }

    pub(super) fn components(&mut self) -> Result<(), Error> {
        let schemas = self.schemas();
        let keys: Vec<&String> =
            self.components.keys().filter_map(|k| schemas.get_key_value(k).map(|(k, _)| k)).collect();
        for key in keys {
            let pointer = format!("#/components/schemas/{}", escape(key));
            let name = self.components[key].clone();
            let def = match &schemas[key] {
                ReferenceOr::Reference { reference } => {
                    let target = self.reference(reference, &pointer)?;
                    // Straight to the end of the chain: long chains of aliases stay one hop each.
                    let end = self.refs.get(&("schemas", key.as_str())).and_then(|end| self.components.get(*end));
                    let ty = end.map_or(target.ty, |end| TypeRef::Named(end.clone()));
                    TypeDef {
                        name: name.clone(),
                        doc: None,
                        pointer: pointer.clone(),
                        deprecated: false,
                        kind: TypeKind::Alias(ty),
                        impls: Impls::default(),
                    }
                }
                ReferenceOr::Item(schema) => {
                    let kind = self.def_kind(schema, &name, &pointer)?;
                    if schema.schema_data.example.is_some() {
                        self.add_example(
                            example_pointer(self.raw, &pointer),
                            &TypeRef::Named(name.clone()),
                            schema.schema_data.nullable,
                        );
                    }
                    TypeDef {
                        name: name.clone(),
                        doc: doc_text(schema.schema_data.title.as_deref(), schema.schema_data.description.as_deref()),
                        pointer,
                        deprecated: schema.schema_data.deprecated,
                        kind,
                        impls: Impls::default(),
                    }
                }
            };
            self.types.insert(name, def);
        }
        Ok(())
    }

    /// The type of a `$ref` to a component schema.
    pub(super) fn reference(&mut self, reference: &str, pointer: &str) -> Result<Lowered, Error> {
        if let Some(key) =
            schema_key(reference).filter(|_| is_component_ref(reference)).map(|k| unescape(k).into_owned())
        {
            if let Some(name) = self.components.get(&key) {
                return Ok(Lowered { ty: TypeRef::Named(name.clone()), nullable: self.nullable[&key] });
            }
        }
        self.pointed(reference, pointer)
    }

    /// The type of a `$ref` to a schema that is not a component (`#/components/schemas/Tag/allOf/0`,
    /// `#/paths/~1a/get/parameters/0/schema`): the schema lowered where it sits, so the
    /// reference and the node share one type, named after the node's place.
    pub(super) fn pointed(&mut self, reference: &str, pointer: &str) -> Result<Lowered, Error> {
        if matches!(reference, "" | "#" | "#/") {
            self.warn(
                Lint::UnsupportedSchema,
                pointer,
                format!("$ref \"{reference}\" names the whole document, not a schema; using serde_json::Value"),
            );
            return Ok(Lowered { ty: TypeRef::Json, nullable: false });
        }
        let target = match self.pointed.get(reference) {
            Some(Ok(target)) => target,
            Some(Err(message)) => {
                return Err(Error::Invalid {
                    pointer: pointer.to_owned(),
                    message: format!("$ref \"{reference}\" does not name a schema: {message}"),
                })
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
        if self.pointing.len() >= MAX_POINTED_DEPTH {
            return Err(Error::Invalid {
                pointer: pointer.to_owned(),
                message: format!(
                    "`$ref`s to schemas outside `components/schemas` nest more than {MAX_POINTED_DEPTH} deep; name them as components"
                ),
            });
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
    pub(super) fn resolve_schema(
        &mut self,
        member: &'a ReferenceOr<Schema>,
        pointer: &str,
    ) -> Result<(&'a Schema, String), Error> {
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
    pub(super) fn null_only(&mut self, member: &'a ReferenceOr<Schema>) -> bool {
        self.resolve_schema(member, "").is_ok_and(|(schema, _)| is_null_only(schema))
    }

    pub(super) fn schema_type(
        &mut self,
        schema: &'a ReferenceOr<Schema>,
        hint: &str,
        pointer: &str,
    ) -> Result<Lowered, Error> {
        match schema {
            ReferenceOr::Reference { reference } => self.reference(reference, pointer),
            ReferenceOr::Item(schema) => self.inline(schema, hint, pointer),
        }
    }

    pub(super) fn boxed_schema_type(
        &mut self,
        schema: &'a ReferenceOr<Box<Schema>>,
        hint: &str,
        pointer: &str,
    ) -> Result<Lowered, Error> {
        match schema {
            ReferenceOr::Reference { reference } => self.reference(reference, pointer),
            ReferenceOr::Item(schema) => self.inline(schema, hint, pointer),
        }
    }

    /// The type of an inline schema; defines a named type when its shape needs one.
    pub(super) fn inline(&mut self, schema: &'a Schema, hint: &str, pointer: &str) -> Result<Lowered, Error> {
        if let Some(done) = self.cache.get(pointer) {
            return Ok(done.clone());
        }
        let nullable = schema.schema_data.nullable;
        let lowered = match shape(schema) {
            Shape::Simple => self.simple(schema, hint, pointer)?,
            Shape::Enum(values) if self.index.enum_count(&dedup(&values)) > 1 => {
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
                                doc: Some(format!(
                                    "One of {}; shared by every property with exactly these values.",
                                    listed.join(", ")
                                )),
                                pointer: pointer.to_owned(),
                                deprecated: false,
                                kind,
                                impls: Impls::default(),
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

    pub(super) fn define(&mut self, name: String, schema: &Schema, pointer: &str, kind: TypeKind) {
        let data = &schema.schema_data;
        let doc = doc_text(data.title.as_deref(), data.description.as_deref());
        self.types.insert(
            name.clone(),
            TypeDef {
                name,
                doc,
                pointer: pointer.to_owned(),
                deprecated: data.deprecated,
                kind,
                impls: Impls::default(),
            },
        );
    }

    /// The definition of a named type.
    pub(super) fn def_kind(&mut self, schema: &'a Schema, name: &str, pointer: &str) -> Result<TypeKind, Error> {
        Ok(match shape(schema) {
            Shape::Struct { properties, required, additional } => {
                TypeKind::Struct(self.object(properties, required, additional, name, pointer)?)
            }
            Shape::Enum(values) => {
                let mut namer = Namer::with_reserved(["Unknown"]);
                let values = dedup(&values);
                let docs = enum_docs(schema, &values);
                let variants = values.into_iter().map(|v| (namer.claim(variant_name(&v)), v)).collect();
                TypeKind::Enum(StringEnum { variants, docs })
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

    /// An array of fixed items (`input` marks each item's schema, [`TUPLE_MARKER`]) as a
    /// tuple, when every item is a type that names no other one, is not nullable, and
    /// there are 2 to 12 of them (what Rust's traits cover); `None` otherwise (the array's
    /// `items` then type it).
    fn tuple(&mut self, schema: &'a Schema, pointer: &str) -> Result<Option<TypeRef>, Error> {
        let Some(serde_json::Value::Array(members)) = schema.schema_data.extensions.get(TUPLE_MARKER) else {
            return Ok(None);
        };
        if !(2..=12).contains(&members.len()) {
            return Ok(None);
        }
        let mut items = Vec::with_capacity(members.len());
        for member in members {
            let Some(reference) = member.as_str() else { return Ok(None) };
            let item = self.reference(reference, pointer)?;
            let plain = matches!(
                item.ty,
                TypeRef::Bool
                    | TypeRef::I8
                    | TypeRef::I16
                    | TypeRef::I32
                    | TypeRef::I64
                    | TypeRef::U8
                    | TypeRef::U16
                    | TypeRef::U32
                    | TypeRef::U64
                    | TypeRef::F64
                    | TypeRef::String
                    | TypeRef::DateTime
                    | TypeRef::Json
            );
            if item.nullable || !plain {
                return Ok(None);
            }
            items.push(item.ty);
        }
        Ok(Some(TypeRef::Tuple(items)))
    }

    /// Types that need no name of their own.
    pub(super) fn simple(&mut self, schema: &'a Schema, hint: &str, pointer: &str) -> Result<Lowered, Error> {
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
            SchemaKind::Type(Type::Array(a)) => match (self.tuple(schema, pointer)?, &a.items) {
                (Some(tuple), _) => tuple,
                (None, Some(items)) => TypeRef::Vec(Box::new(
                    self.boxed_schema_type(items, &format!("{hint}Item"), &format!("{pointer}/items"))?.ty,
                )),
                (None, None) => TypeRef::Vec(Box::new(TypeRef::Json)),
            },
            SchemaKind::Type(Type::Object(o)) => self.map_type(o.additional_properties.as_ref(), hint, pointer)?,
            SchemaKind::OneOf { one_of: members }
            | SchemaKind::AnyOf { any_of: members }
            | SchemaKind::AllOf { all_of: members } => {
                let keyword = match &schema.schema_kind {
                    SchemaKind::OneOf { .. } => "oneOf",
                    SchemaKind::AnyOf { .. } => "anyOf",
                    _ => "allOf",
                };
                let first =
                    if keyword == "allOf" { substantive(members).next() } else { members.iter().enumerate().next() };
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
                    return Ok(Lowered {
                        ty: inner.ty,
                        nullable: nullable || annotated_nullable(&any.all_of) || inner.nullable,
                    });
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
                        Some(items) => TypeRef::Vec(Box::new(
                            self.boxed_schema_type(items, &format!("{hint}Item"), &format!("{pointer}/items"))?.ty,
                        )),
                        None => TypeRef::Vec(Box::new(TypeRef::Json)),
                    },
                    Some("array") => TypeRef::Vec(Box::new(TypeRef::Json)),
                    Some("object") | None => self.map_type(any.additional_properties.as_ref(), hint, pointer)?,
                    Some(other) => {
                        self.warn(
                            Lint::UnsupportedSchema,
                            pointer,
                            format!("unknown type `{other}`; using serde_json::Value"),
                        );
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
    pub(super) fn map_type(
        &mut self,
        additional: Option<&'a AdditionalProperties>,
        hint: &str,
        pointer: &str,
    ) -> Result<TypeRef, Error> {
        Ok(match additional {
            Some(AdditionalProperties::Schema(schema)) => {
                let value =
                    self.schema_type(schema, &format!("{hint}Value"), &format!("{pointer}/additionalProperties"))?;
                TypeRef::Map(Box::new(value.ty))
            }
            _ => TypeRef::Json,
        })
    }

    pub(super) fn object(
        &mut self,
        properties: &'a IndexMap<String, ReferenceOr<Box<Schema>>>,
        required: &[String],
        additional: Option<&'a AdditionalProperties>,
        name: &str,
        pointer: &str,
    ) -> Result<Struct, Error> {
        let props: Vec<(&'a String, &'a ReferenceOr<Box<Schema>>, String)> =
            properties.iter().map(|(k, v)| (k, v, format!("{pointer}/properties/{}", escape(k)))).collect();
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
        Ok(Struct { fields, additional, empty, setters: Vec::new() })
    }

    pub(super) fn fields(
        &mut self,
        props: &[(&'a String, &'a ReferenceOr<Box<Schema>>, String)],
        required: &BTreeSet<&str>,
        parent: &str,
        has_additional: bool,
    ) -> Result<Vec<Field>, Error> {
        let mut namer = if has_additional { Namer::with_reserved(["additional_properties"]) } else { Namer::default() };
        let mut fields = Vec::with_capacity(props.len());
        for (wire, schema, pointer) in props {
            let hint = crate::naming::child_name(parent, wire);
            let lowered = self.boxed_schema_type(schema, &hint, pointer)?;
            let (doc, deprecated) = match schema {
                ReferenceOr::Item(s) => {
                    (doc_text(None, s.schema_data.description.as_deref()), s.schema_data.deprecated)
                }
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
                availability: self.property_availability(pointer, wire)?,
            });
        }
        Ok(fields)
    }

    pub(super) fn variants(
        &mut self,
        members: &'a [ReferenceOr<Schema>],
        keyword: &str,
        hint: &str,
        pointer: &str,
    ) -> Result<(Vec<Variant>, bool), Error> {
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
                TypeRef::Named(_) | TypeRef::Vec(_) | TypeRef::Boxed(_) | TypeRef::Tuple(_) => 0,
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
                    TypeRef::I8 | TypeRef::I16 | TypeRef::U8 | TypeRef::U16 | TypeRef::U32 | TypeRef::U64 => {
                        "Integer".into()
                    }
                    TypeRef::F64 => "Number".into(),
                    TypeRef::String | TypeRef::Bytes => "String".into(),
                    TypeRef::Binary => "Binary".into(),
                    TypeRef::DateTime => "DateTime".into(),
                    TypeRef::Vec(_) => "Array".into(),
                    TypeRef::Tuple(_) => "Tuple".into(),
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
    pub(super) fn property_count(&mut self, member: &'a ReferenceOr<Schema>) -> usize {
        let schema = match member {
            ReferenceOr::Item(schema) => schema,
            ReferenceOr::Reference { .. } => match self.resolve_schema(member, "") {
                Ok((schema, _)) => schema,
                Err(_) => return 0,
            },
        };
        match shape(schema) {
            Shape::Struct { properties, .. } => properties.len(),
            _ => 0,
        }
    }

    pub(super) fn all_of(
        &mut self,
        members: &'a [ReferenceOr<Schema>],
        name: &str,
        pointer: &str,
    ) -> Result<TypeKind, Error> {
        let mut merged = Merged::default();
        for (i, member) in substantive(members) {
            let member_pointer = format!("{pointer}/allOf/{i}");
            if !self.collect(member, &member_pointer, &mut merged, 0)? {
                self.warn(
                    Lint::UnsupportedSchema,
                    &member_pointer,
                    "`allOf` member is not an object; using serde_json::Value",
                );
                return Ok(TypeKind::Alias(TypeRef::Json));
            }
        }
        let additional = match merged.additional {
            Some((schema, at)) => Some(self.schema_type(schema, &format!("{name}Value"), &at)?.ty),
            None => None,
        };
        let fields = self.fields(&merged.props, &merged.required, name, additional.is_some())?;
        Ok(TypeKind::Struct(Struct {
            empty: fields.is_empty() && additional.is_none(),
            fields,
            additional,
            setters: Vec::new(),
        }))
    }

    /// Gathers the properties of one `allOf` member, following `$ref`s and nested `allOf`s
    /// (at most [`MAX_ALL_OF_DEPTH`] levels). Returns `false` when the member is not an object.
    pub(super) fn collect(
        &mut self,
        member: &'a ReferenceOr<Schema>,
        pointer: &str,
        merged: &mut Merged<'a>,
        depth: usize,
    ) -> Result<bool, Error> {
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
            SchemaKind::Any(any)
                if any.typ.as_deref().is_none_or(|t| t == "object")
                    && any.one_of.is_empty()
                    && any.any_of.is_empty() =>
            {
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
            let prop_pointer = format!("{at}/properties/{}", escape(key));
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
}

/// The properties of an `allOf`, gathered member by member.
#[derive(Default)]
pub(super) struct Merged<'a> {
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
    pub(super) fn finish(&mut self, reference: Option<&'a str>) {
        if let Some(reference) = reference {
            self.stack.pop();
            self.done.insert(reference);
        }
    }
}

/// The Rust integer for an integer `format` (`int64` and unknown formats are `i64`).
pub(super) fn integer_type(format: &str) -> TypeRef {
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

/// An enum's values without repeats, in order.
/// The docs of each of `values` (a string enumeration's distinct values) from the
/// schema's [`ENUM_DOCS_MARKER`], which lists them by the position of their value in
/// `enum` (the first wins for a repeated value); empty when no value has any.
fn enum_docs(schema: &Schema, values: &[String]) -> Vec<Option<String>> {
    let (Some(serde_json::Value::Array(docs)), SchemaKind::Type(Type::String(s))) =
        (schema.schema_data.extensions.get(ENUM_DOCS_MARKER), &schema.schema_kind)
    else {
        return Vec::new();
    };
    let mut by_value: HashMap<&str, Option<String>> = HashMap::new();
    for (value, doc) in s.enumeration.iter().zip(docs) {
        let Some(value) = value else { continue };
        let text = |key: &str| doc.get(key).and_then(serde_json::Value::as_str);
        // A title that only repeats the value says nothing its variant does not.
        let title = text("title").filter(|t| t.trim() != value);
        by_value.entry(value).or_insert_with(|| doc_text(title, text("description")));
    }
    let docs: Vec<Option<String>> = values.iter().map(|v| by_value.get(v.as_str()).cloned().flatten()).collect();
    if docs.iter().all(Option::is_none) {
        Vec::new()
    } else {
        docs
    }
}

fn dedup(values: &[String]) -> Vec<String> {
    let mut seen = BTreeSet::new();
    values.iter().filter(|v| seen.insert(v.as_str())).cloned().collect()
}
