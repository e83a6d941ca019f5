//! Which structs callers build themselves: those reachable from a request.
//!
//! Every generated struct is `#[non_exhaustive]`, so that a field added by a newer
//! description never breaks code that compiled before. Callers can then no longer write
//! struct literals, so the structs a request carries (bodies, and everything reachable from
//! bodies and parameters) get a `new` constructor with the fields that must be given and a
//! `with_` setter for each of the others. Response-only structs are decoded, never built,
//! and get neither.

use crate::ir::{Api, TypeDef, TypeKind, TypeRef};
use crate::naming::{setter, Namer};
use std::collections::BTreeSet;

/// Fills [`Api::inputs`]: every struct reachable from a parameter or a request body.
///
/// The walk is iterative and visits each named type once, so it is linear in the size of
/// the API whatever the depth of nesting.
pub fn mark(api: &mut Api) {
    let mut pending: Vec<&TypeRef> = Vec::new();
    for op in api.groups.values().flat_map(|g| &g.operations) {
        pending.extend(op.params.iter().map(|p| &p.ty));
        pending.extend(op.body.iter().map(|b| &b.ty));
    }
    let mut seen: BTreeSet<&str> = BTreeSet::new();
    let mut inputs = BTreeSet::new();
    while let Some(ty) = pending.pop() {
        match ty {
            TypeRef::Vec(inner) | TypeRef::Map(inner) | TypeRef::Boxed(inner) => pending.push(inner),
            TypeRef::Named(name) => {
                if !seen.insert(name) {
                    continue;
                }
                let Some(def) = api.types.get(name) else { continue };
                match &def.kind {
                    TypeKind::Struct(s) => {
                        if !s.empty {
                            inputs.insert(name.clone());
                        }
                        pending.extend(s.fields.iter().map(|f| &f.ty));
                        pending.extend(s.additional.iter());
                    }
                    TypeKind::Union(variants) => pending.extend(variants.iter().map(|v| &v.ty)),
                    TypeKind::Alias(inner) | TypeKind::Newtype(inner) => pending.push(inner),
                    TypeKind::Enum(_) => {}
                }
            }
            _ => {}
        }
    }
    for name in &inputs {
        if let Some(TypeDef { kind: TypeKind::Struct(s), .. }) = api.types.get_mut(name) {
            let mut names = Namer::with_reserved(s.fields.iter().map(|f| f.name.as_str()));
            s.setters = s.fields.iter().map(|f| (!f.is_argument()).then(|| names.claim(setter(&f.name)))).collect();
        }
    }
    api.inputs = inputs;
}
