//! The impls a type gets beyond its shape ([`Impls`]), decided once the passes over the
//! types have settled them: a union's `Display`, its `From` conversions and how it is
//! decoded, and the structs that list their property names for that decoding.

use super::text::displays;
use crate::ir::{Api, Impls, TypeDef, TypeKind, TypeRef};
use std::collections::{BTreeMap, BTreeSet};

/// Fills each type's [`Impls`].
pub fn record(api: &mut Api) {
    let types = &api.types;
    let mut decided: BTreeMap<String, Impls> = BTreeMap::new();
    let mut listed: BTreeSet<String> = BTreeSet::new();
    for def in types.values() {
        let TypeKind::Union(variants) = &def.kind else { continue };
        // `From` for each payload type that only one variant has, as Rust sees the types:
        // two aliases of one type are that type, and would get conflicting impls.
        let seen: Vec<TypeRef> = variants.iter().map(|v| canonical(types, &v.ty, 0)).collect();
        let from = (0..variants.len())
            .filter(|&i| seen.iter().enumerate().all(|(j, other)| i == j || *other != seen[i]))
            .collect();
        // With two or more object variants, the first that merely fits may drop fields (an
        // object whose properties are all optional fits almost anything), so objects are
        // matched to the variant that knows most of their keys.
        let keyed: Vec<Option<String>> =
            variants.iter().map(|v| keyed_struct(types, &v.ty).map(str::to_owned)).collect();
        let keyed = if keyed.iter().filter(|k| k.is_some()).count() >= 2 { keyed } else { Vec::new() };
        listed.extend(keyed.iter().flatten().cloned());
        let display = variants.iter().all(|v| displays(types, &v.ty));
        decided.insert(def.name.clone(), Impls { display, from, keyed, properties: false });
    }
    for (name, def) in api.types.iter_mut() {
        if let Some(impls) = decided.remove(name) {
            def.impls = impls;
        }
        def.impls.properties = listed.contains(name);
    }
}

/// The struct behind an object type, through aliases and boxes.
fn keyed_struct<'a>(types: &'a BTreeMap<String, TypeDef>, ty: &'a TypeRef) -> Option<&'a str> {
    match ty {
        TypeRef::Named(name) => match &types.get(name)?.kind {
            TypeKind::Struct(s) if !s.empty => Some(name),
            TypeKind::Alias(inner) => keyed_struct(types, inner),
            _ => None,
        },
        TypeRef::Boxed(inner) => keyed_struct(types, inner),
        _ => None,
    }
}

/// The type Rust sees behind `ty`: aliases replaced by what they name, inside containers
/// too (bounded, so a chain of aliases that loops ends).
fn canonical(types: &BTreeMap<String, TypeDef>, ty: &TypeRef, depth: usize) -> TypeRef {
    if depth > 64 {
        return ty.clone();
    }
    match ty {
        TypeRef::Named(name) => match types.get(name).map(|t| &t.kind) {
            Some(TypeKind::Alias(target)) => canonical(types, target, depth + 1),
            _ => ty.clone(),
        },
        TypeRef::Vec(inner) => TypeRef::Vec(Box::new(canonical(types, inner, depth + 1))),
        TypeRef::Map(inner) => TypeRef::Map(Box::new(canonical(types, inner, depth + 1))),
        TypeRef::Boxed(inner) => TypeRef::Boxed(Box::new(canonical(types, inner, depth + 1))),
        other => other.clone(),
    }
}
