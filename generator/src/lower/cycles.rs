//! The passes over the lowered types, each linear (strongly connected components by an
//! iterative Tarjan): aliases flattened, self-containing aliases wrapped, union variants
//! deduplicated, recursion boxed, nesting checked.

use crate::error::{Error, Lint, Warning};
use crate::ir::{TypeDef, TypeKind, TypeRef};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

/// How many levels of types inside types (each named type, `Option`, `Vec`, `Box` one
/// level, a map two) a type may hold. rustc's drop check gives up near 128 levels (its
/// recursion limit), through boxes and vectors too, so deeper chains are refused.
pub const MAX_TYPE_DEPTH: usize = 96;

/// The strongly connected components of a graph given by adjacency lists: `result[v]`
/// names the component of `v`. Components are numbered sinks first (every edge leaving a
/// component goes to a lower number). Tarjan's algorithm, with an explicit stack so that
/// long chains cannot overflow the call stack.
pub(super) fn strongly_connected(adjacent: &[Vec<usize>]) -> Vec<usize> {
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
pub(super) fn by_value(kind: &TypeKind) -> Vec<&str> {
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
pub(super) fn named_in<'t>(ty: &'t TypeRef, out: &mut Vec<&'t str>) {
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
pub(super) fn flatten_aliases(types: &mut BTreeMap<String, TypeDef>, warnings: &mut Vec<Warning>) {
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
pub(super) fn wrap_recursive_aliases(types: &mut BTreeMap<String, TypeDef>) {
    let aliases: Vec<&String> =
        types.iter().filter(|(_, d)| matches!(d.kind, TypeKind::Alias(_))).map(|(n, _)| n).collect();
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
    let recursive: Vec<String> = aliases
        .iter()
        .enumerate()
        .filter(|(i, _)| self_loop[*i] || size[component[*i]] > 1)
        .map(|(_, n)| (*n).clone())
        .collect();
    for name in recursive {
        if let Some(def) = types.get_mut(&name) {
            if let TypeKind::Alias(ty) = &def.kind {
                def.kind = TypeKind::Newtype(ty.clone());
            }
        }
    }
}

/// The slots of a type that can be boxed: struct fields, union variants, a wrapper's payload.
pub(super) fn boxable_slots(kind: &mut TypeKind) -> Vec<&mut TypeRef> {
    match kind {
        TypeKind::Struct(s) => s.fields.iter_mut().map(|f| &mut f.ty).collect(),
        TypeKind::Union(vs) => vs.iter_mut().map(|v| &mut v.ty).collect(),
        TypeKind::Newtype(t) => vec![t],
        TypeKind::Alias(_) | TypeKind::Enum(_) => Vec::new(),
    }
}

/// Recursion among this many types or fewer gets the fewest boxes; in larger knots every
/// field that stays inside the knot is boxed (finding the fewest there costs quadratic time).
pub(super) const SMALL_KNOT: usize = 64;

/// `ty` with every alias replaced by what it stands for (`None` past 256 steps): the Rust
/// type the compiler sees. Aliases form no cycle by now (see [`wrap_recursive_aliases`]).
pub(super) fn expand_aliases(types: &BTreeMap<String, TypeDef>, ty: &TypeRef) -> Option<TypeRef> {
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
pub(super) fn dedup_union_variants(types: &mut BTreeMap<String, TypeDef>) {
    let unions: Vec<String> =
        types.iter().filter(|(_, d)| matches!(d.kind, TypeKind::Union(_))).map(|(n, _)| n.clone()).collect();
    for name in unions {
        let TypeKind::Union(variants) = &types[&name].kind else { continue };
        let mut seen: BTreeSet<TypeRef> = BTreeSet::new();
        let keep: Vec<bool> =
            variants.iter().map(|v| expand_aliases(types, &v.ty).is_none_or(|ty| seen.insert(ty))).collect();
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
pub(super) fn box_recursion(types: &mut BTreeMap<String, TypeDef>) {
    let names: Vec<String> = types.keys().cloned().collect();
    let id: HashMap<&str, usize> = names.iter().enumerate().map(|(i, n)| (n.as_str(), i)).collect();
    let adjacent: Vec<Vec<usize>> = names
        .iter()
        .map(|n| by_value(&types[n].kind).into_iter().filter_map(|t| id.get(t).copied()).collect())
        .collect();
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
            let target =
                match types.get_mut(name).and_then(|def| boxable_slots(&mut def.kind).into_iter().nth(k).cloned()) {
                    Some(TypeRef::Named(target)) => {
                        id.get(target.as_str()).copied().filter(|&j| component[j] == component[i])
                    }
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
pub(super) fn check_nesting(types: &BTreeMap<String, TypeDef>) -> Result<(), Error> {
    let names: Vec<&String> = types.keys().collect();
    let id: HashMap<&str, usize> = names.iter().enumerate().map(|(i, n)| (n.as_str(), i)).collect();
    fn contents(kind: &TypeKind) -> Vec<(&TypeRef, usize)> {
        match kind {
            TypeKind::Struct(s) => {
                let mut slots: Vec<(&TypeRef, usize)> =
                    s.fields.iter().map(|f| (&f.ty, usize::from(f.optional()))).collect();
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
    let Some(top) =
        (0..names.len()).filter(|&i| depth[i] > MAX_TYPE_DEPTH).max_by_key(|&i| (depth[i], std::cmp::Reverse(i)))
    else {
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
