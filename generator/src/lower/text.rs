//! Which values are written as text, decided once after the passes over the types have
//! settled them: how each parameter goes on the wire ([`ParamEncoding`]).
//!
//! A value can be written as text when its type has `Display`: scalars, string enums, and
//! unions and aliases of those. Everything else is sent as JSON.

use crate::ir::{Api, ParamEncoding, ParamLocation, TypeDef, TypeKind, TypeRef};
use std::collections::{BTreeMap, HashSet};

/// Whether values of `ty` have `Display` (and so can go in a path, a query or a header as
/// text). Each union or alias is looked at once: unions of unions can share members, and
/// walking them again on every path would take exponential time.
pub fn displays(types: &BTreeMap<String, TypeDef>, ty: &TypeRef) -> bool {
    let mut seen: HashSet<&str> = HashSet::new();
    let mut todo = vec![ty];
    while let Some(ty) = todo.pop() {
        match ty {
            TypeRef::Named(name) if !seen.insert(name) => {}
            TypeRef::Named(name) => match types.get(name).map(|t| &t.kind) {
                Some(TypeKind::Enum(_)) => {}
                Some(TypeKind::Union(vs)) => todo.extend(vs.iter().map(|v| &v.ty)),
                Some(TypeKind::Alias(t)) => todo.push(t),
                _ => return false,
            },
            TypeRef::Vec(_)
            | TypeRef::Tuple(_)
            | TypeRef::Map(_)
            | TypeRef::Boxed(_)
            | TypeRef::Bytes
            | TypeRef::Binary
            | TypeRef::Json => return false,
            _ => {}
        }
    }
    true
}

/// Records each parameter's [`ParamEncoding`]: a path parameter that is a list is its
/// elements joined by commas; a query parameter that is a list of text values is one pair
/// per element; any other value with `Display` is text, and the rest JSON.
pub fn record(api: &mut Api) {
    let types = &api.types;
    for op in api.groups.values_mut().flat_map(|g| g.operations.iter_mut()) {
        for p in &mut op.params {
            p.encoding = match (&p.ty, p.location) {
                (TypeRef::Vec(_), ParamLocation::Path) => ParamEncoding::EachText,
                (_, ParamLocation::Path) => ParamEncoding::Text,
                (TypeRef::Vec(inner), ParamLocation::Query) if displays(types, inner) => ParamEncoding::EachText,
                (ty, _) if displays(types, ty) => ParamEncoding::Text,
                _ => ParamEncoding::Json,
            };
        }
    }
}
