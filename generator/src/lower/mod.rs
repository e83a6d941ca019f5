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
//!
//! This module only runs the steps in order. The [`Lowerer`] that schemas and operations
//! share is `context`'s; `schemas` and `operations` add its methods; the passes after them
//! (`cycles`, `inputs`, `flavor`, `text`, `impls`, `mocks`) each take the types or the whole `Api`.
//! No part of lowering imports this module back.

use crate::error::{Error, Warning};
use crate::input::document::Index;
use crate::input::Overrides;
use crate::ir::{Api, Server};
use context::Lowerer;
use openapiv3::OpenAPI;

mod context;
mod cycles;
mod flavor;
mod impls;
mod inputs;
mod mocks;
mod operations;
mod schemas;
mod security;
mod text;

/// Lowers a whole document.
///
/// `raw` is the same document as plain JSON: examples whose value is `null` are read
/// from it, since `openapiv3` cannot tell them from absent ones. The examples' values are
/// moved out of `raw` into the IR (left `null` there) rather than copied: for GitHub's
/// description, 7 MB. What reads `raw` after lowering (the wire summary) reads no example.
pub fn lower(doc: &OpenAPI, raw: &mut serde_json::Value, overrides: &Overrides) -> Result<(Api, Vec<Warning>), Error> {
    let (mut api, warnings) = lower_document(doc, raw, overrides)?;
    context::move_examples(&mut api.examples, raw)?;
    Ok((api, warnings))
}

/// [`lower`], with every example's value left `null` for `context::move_examples`.
fn lower_document(doc: &OpenAPI, raw: &serde_json::Value, overrides: &Overrides) -> Result<(Api, Vec<Warning>), Error> {
    let index = Index::new(raw, MAX_POINTER_LEN);
    check_pointer_lengths(&index)?;
    let pointed = schemas::pointed_schemas(&index);
    let mut cx = Lowerer::new(doc, &index, overrides, &pointed)?;
    cx.components()?;
    cx.webhook_payloads()?;
    let groups = cx.operations()?;
    cycles::flatten_aliases(&mut cx.types, &mut cx.warnings);
    cycles::wrap_recursive_aliases(&mut cx.types);
    cycles::dedup_union_variants(&mut cx.types);
    cycles::box_recursion(&mut cx.types);
    cycles::check_nesting(&cx.types)?;
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
        examples_module: String::new(),
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
    mocks::name(&mut api);
    api.base_url = flavor::default_base_url(&api).map(str::to_owned);
    Ok((api, warnings))
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
        message: format!(
            "the key `{shown}...` ({} bytes) makes JSON pointers longer than {MAX_POINTER_LEN} bytes; shorten it",
            key.len()
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{Field, TypeDef, TypeKind, TypeRef};
    use std::collections::BTreeMap;

    /// Lowers `schema` as the only property of an object and returns the field.
    fn field_of(schema: &str) -> (Field, BTreeMap<String, TypeDef>) {
        let text = format!(
            "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths: {{}}\ncomponents:\n  schemas:\n    holder:\n      type: object\n      required: [value]\n      properties:\n        value: {schema}\n    other: {{type: object, properties: {{a: {{type: string}}}}}}\n    maybe: {{type: object, nullable: true, properties: {{a: {{type: string}}}}}}\n"
        );
        let mut raw = crate::input::parse_text(&text).unwrap();
        let doc = crate::input::openapi(&raw).unwrap();
        let (api, _) = lower(&doc, &mut raw, &Overrides::default()).unwrap();
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
