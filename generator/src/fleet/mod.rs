//! A fleet of releases of one API merged into one description.
//!
//! [`merge`] takes one description per release (each a slice of the same API) and returns
//! their union: every operation any release has, every parameter and property, each
//! response example of each release. Where releases disagree, the primary release's text
//! wins where it has the node, otherwise the newest release (the last in the fleet's
//! order) that has it. What not every release has is annotated with the releases that
//! have it, and lowering reads those annotations:
//!
//! - `x-releases` at the top: the primary, the header that names a server's release, the
//!   API version and the list of releases (`id`, `name`, `family`, `version`,
//!   `header_value`), in the fleet's order;
//! - `x-availability: [ids]` on an operation that not every release has;
//! - `x-parameter-availability: {"in:name": [ids]}` on an operation, for its parameters
//!   that not every release having the operation has;
//! - `x-property-availability: {"name": [ids]}` on a schema, for its properties that not
//!   every release having the schema has.
//!
//! The merge is pure and deterministic: its output depends only on its inputs, and no
//! input makes it panic (a malformed one is an [`Error`] naming the release and pointer).

mod schema;
#[cfg(test)]
mod tests;

use crate::error::Error;
use crate::input::document::{escape, pointer, METHODS};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

pub use crate::input::document::{AVAILABILITY, PARAMETER_AVAILABILITY, PROPERTY_AVAILABILITY, RELEASES};

/// The releases a fleet description covers, in the order the docs list them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Fleet {
    /// The id of the release whose text, names and order win.
    pub primary: String,
    /// The REST API version the merged description is for (`info.x-api-version`).
    pub api_version: Option<String>,
    /// The response header by which a server names its release.
    pub release_header: Option<String>,
    /// The releases, oldest first inside a family.
    pub releases: Vec<Release>,
}

/// One release of the API.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Release {
    /// Its id (`ghes-3.15`), as the annotations name it.
    pub id: String,
    /// Its name for people; when `None`, `family` and `version` (or the id) make it.
    pub name: Option<String>,
    /// The family it belongs to, for a run of versions of one product.
    pub family: Option<String>,
    /// Its version inside the family.
    pub version: Option<String>,
    /// What its servers send in the release header (`3.15` for `3.15.2`).
    pub header_value: Option<String>,
}

impl Release {
    /// The name people read: the explicit name, else `family version`, else the id.
    pub fn display_name(&self) -> String {
        match (&self.name, &self.family, &self.version) {
            (Some(name), _, _) => name.clone(),
            (None, Some(family), Some(version)) => format!("{family} {version}"),
            (None, Some(family), None) => family.clone(),
            _ => self.id.clone(),
        }
    }
}

/// The merged description and what the merge had to decide.
#[derive(Debug, Clone, PartialEq)]
pub struct Merged {
    /// The merged OpenAPI document.
    pub value: Value,
    /// Conflicts resolved (a type two releases disagree on, a list whose lengths differ),
    /// one line each, in the order met.
    pub notes: Vec<String>,
}

/// Merges one description per release of `fleet` into one. `releases` holds each release's
/// id and its document, in any order; every release of the fleet must be there, once.
pub fn merge(fleet: &Fleet, releases: Vec<(String, Value)>) -> Result<Merged, Error> {
    let mut docs: Vec<Option<Value>> = vec![None; fleet.releases.len()];
    for (id, doc) in releases {
        let Some(index) = fleet.releases.iter().position(|r| r.id == id) else {
            return Err(invalid("#", &id, "is not a release of the fleet"));
        };
        if docs[index].is_some() {
            return Err(invalid("#", &id, "is given twice"));
        }
        if !doc.is_object() {
            return Err(invalid("#", &id, "the description is not an object"));
        }
        docs[index] = Some(doc);
    }
    let mut ids = Vec::with_capacity(docs.len());
    for (release, doc) in fleet.releases.iter().zip(&docs) {
        if doc.is_none() {
            return Err(invalid("#", &release.id, "has no description"));
        }
        if ids.contains(&release.id) {
            return Err(invalid("#", &release.id, "is listed twice in the fleet"));
        }
        ids.push(release.id.clone());
    }
    let docs: Vec<Value> = docs.into_iter().flatten().collect();
    let Some(primary) = ids.iter().position(|id| *id == fleet.primary) else {
        return Err(invalid("#", &fleet.primary, "the primary release is not in the fleet"));
    };
    let mut merger = Merger { ids, docs: &docs, primary, notes: Vec::new(), example_names: Vec::new() };
    let mut value = docs[primary].clone();
    let components = merger.components()?;
    let paths = merger.paths()?;
    let Value::Object(root) = &mut value else { return Err(invalid("#", &fleet.primary, "not an object")) };
    root.insert("paths".into(), Value::Object(paths));
    if !components.is_empty() {
        root.insert("components".into(), Value::Object(components));
    }
    root.insert(RELEASES.into(), releases_table(fleet));
    if let Some(version) = &fleet.api_version {
        if let Some(Value::Object(info)) = root.get_mut("info") {
            info.insert("x-api-version".into(), Value::String(version.clone()));
        }
    }
    Ok(Merged { value, notes: merger.notes })
}

/// The `x-releases` table of a fleet.
fn releases_table(fleet: &Fleet) -> Value {
    let list = fleet
        .releases
        .iter()
        .map(|release| {
            let mut entry = Map::new();
            entry.insert("id".into(), release.id.clone().into());
            entry.insert("name".into(), release.display_name().into());
            for (key, value) in
                [("family", &release.family), ("version", &release.version), ("header_value", &release.header_value)]
            {
                if let Some(value) = value {
                    entry.insert(key.into(), value.clone().into());
                }
            }
            Value::Object(entry)
        })
        .collect();
    let mut table = Map::new();
    table.insert("primary".into(), fleet.primary.clone().into());
    if let Some(header) = &fleet.release_header {
        table.insert("header".into(), header.clone().into());
    }
    if let Some(version) = &fleet.api_version {
        table.insert("api_version".into(), version.clone().into());
    }
    table.insert("list".into(), Value::Array(list));
    Value::Object(table)
}

/// An error at `at` in one release's description.
fn invalid(at: &str, release: &str, message: &str) -> Error {
    Error::Invalid { pointer: at.to_owned(), message: format!("release `{release}`: {message}") }
}

/// One release's node at one place: the release's index in the fleet, and the node.
type Part<'a> = (usize, &'a Value);

/// One release's object at one place.
type Section<'a> = (usize, &'a Map<String, Value>);

/// The state of one merge.
struct Merger<'a> {
    /// Release ids, in the fleet's order.
    ids: Vec<String>,
    /// Their documents, in the same order.
    docs: &'a [Value],
    /// The primary's index.
    primary: usize,
    /// Conflicts resolved.
    notes: Vec<String>,
    /// Per release, the merged name of each of its `components/examples` entries.
    example_names: Vec<BTreeMap<String, String>>,
}

impl<'a> Merger<'a> {
    /// The parts in the order they win: the primary first, then the newest to the oldest.
    fn ordered(&self, parts: &[Part<'a>]) -> Vec<Part<'a>> {
        let mut parts = parts.to_vec();
        parts.sort_by_key(|(index, _)| (*index != self.primary, std::cmp::Reverse(*index)));
        parts
    }

    /// The releases of `parts` as an annotation: their ids in fleet order, or `None`
    /// when they are all of `within`.
    fn availability(&self, parts: &[usize], within: usize) -> Option<Value> {
        if parts.len() == within {
            return None;
        }
        let mut indexes = parts.to_vec();
        indexes.sort_unstable();
        indexes.dedup();
        Some(Value::Array(indexes.into_iter().map(|i| Value::String(self.ids[i].clone())).collect()))
    }

    fn note(&mut self, at: &str, message: String) {
        self.notes.push(format!("{at}: {message}"));
    }

    /// The object at `key` of each document that has one; an error when one has
    /// something else there.
    fn sections(&self, key: &[&str]) -> Result<Vec<Section<'a>>, Error> {
        let mut out = Vec::new();
        for (index, doc) in self.docs.iter().enumerate() {
            let mut node = doc;
            let mut found = true;
            for token in key {
                match node.get(token) {
                    Some(next) => node = next,
                    None => {
                        found = false;
                        break;
                    }
                }
            }
            if !found {
                continue;
            }
            match node {
                Value::Object(map) => out.push((index, map)),
                _ => return Err(invalid(&pointer(key), &self.ids[index], "is not an object")),
            }
        }
        Ok(out)
    }

    /// The keys of several maps, in the order the parts win, each once.
    fn keys(&self, maps: &[(usize, &'a Map<String, Value>)]) -> Vec<&'a String> {
        let mut order: Vec<(usize, &'a Map<String, Value>)> = maps.to_vec();
        order.sort_by_key(|(index, _)| (*index != self.primary, std::cmp::Reverse(*index)));
        let mut keys: Vec<&'a String> = Vec::new();
        for (_, map) in order {
            for key in map.keys() {
                if !keys.contains(&key) {
                    keys.push(key);
                }
            }
        }
        keys
    }

    /// `components`: examples first (operations refer to their merged names), then
    /// schemas, parameters, responses and request bodies merged by name; any other
    /// section's entries are the winner's.
    fn components(&mut self) -> Result<Map<String, Value>, Error> {
        let mut out = Map::new();
        let sections = self.sections(&["components"])?;
        let examples = self.examples()?;
        for name in self.keys(&sections) {
            let at = pointer(["components", name.as_str()]);
            if name == "examples" {
                out.insert(name.clone(), Value::Object(examples.clone()));
                continue;
            }
            let maps = self.sections(&["components", name])?;
            let mut merged = Map::new();
            for key in self.keys(&maps) {
                let at = format!("{at}/{}", escape(key));
                let parts: Vec<Part<'a>> = maps.iter().filter_map(|(i, m)| Some((*i, m.get(key)?))).collect();
                let value = match name.as_str() {
                    "schemas" => self.schema(&at, &parts, 0)?,
                    "parameters" => self.parameter(&at, &parts)?,
                    "responses" | "requestBodies" => self.response(&at, &parts)?,
                    _ => self.ordered(&parts)[0].1.clone(),
                };
                merged.insert(key.clone(), value);
            }
            out.insert(name.clone(), Value::Object(merged));
        }
        Ok(out)
    }

    /// `components/examples`: each name's values, the winner's under the name and each
    /// other distinct value under the name and the id of the first release that has it.
    fn examples(&mut self) -> Result<Map<String, Value>, Error> {
        self.example_names = vec![BTreeMap::new(); self.docs.len()];
        let maps = self.sections(&["components", "examples"])?;
        let mut out = Map::new();
        let order = {
            let mut order = maps.clone();
            order.sort_by_key(|(index, _)| (*index != self.primary, std::cmp::Reverse(*index)));
            order
        };
        // The merged names given to each original name, in the order given.
        let mut variants: BTreeMap<&String, Vec<String>> = BTreeMap::new();
        for (index, map) in order {
            for (name, example) in map {
                let names = variants.entry(name).or_default();
                let same = names.iter().find(|kept| out.get(kept.as_str()) == Some(example)).cloned();
                let merged = match same {
                    Some(kept) => kept,
                    None => {
                        let merged = unique(&out, name, &self.ids[index]);
                        out.insert(merged.clone(), example.clone());
                        names.push(merged.clone());
                        merged
                    }
                };
                self.example_names[index].insert(name.clone(), merged);
            }
        }
        Ok(out)
    }

    /// `paths`: every path of every release, each method merged.
    fn paths(&mut self) -> Result<Map<String, Value>, Error> {
        let maps = self.sections(&["paths"])?;
        let mut out = Map::new();
        for path in self.keys(&maps) {
            let at = pointer(["paths", path.as_str()]);
            let mut items = Vec::new();
            for (index, map) in &maps {
                match map.get(path) {
                    Some(Value::Object(item)) => items.push((*index, item)),
                    Some(_) => return Err(invalid(&at, &self.ids[*index], "the path item is not an object")),
                    None => {}
                }
            }
            let mut merged = Map::new();
            for key in self.keys(&items) {
                let parts: Vec<Part<'a>> = items.iter().filter_map(|(i, m)| Some((*i, m.get(key)?))).collect();
                let value = if METHODS.contains(&key.as_str()) {
                    self.operation(&format!("{at}/{key}"), &parts)?
                } else {
                    self.ordered(&parts)[0].1.clone()
                };
                merged.insert(key.clone(), value);
            }
            out.insert(path.clone(), Value::Object(merged));
        }
        Ok(out)
    }

    /// One operation of several releases.
    fn operation(&mut self, at: &str, parts: &[Part<'a>]) -> Result<Value, Error> {
        for (index, node) in parts {
            if !node.is_object() {
                return Err(invalid(at, &self.ids[*index], "the operation is not an object"));
            }
        }
        let ordered = self.ordered(parts);
        let Value::Object(mut out) = ordered[0].1.clone() else {
            return Err(invalid(at, &self.ids[ordered[0].0], "not an object"));
        };
        let indexes: Vec<usize> = parts.iter().map(|(i, _)| *i).collect();
        if let Some(releases) = self.availability(&indexes, self.docs.len()) {
            out.insert(AVAILABILITY.into(), releases);
        } else {
            out.remove(AVAILABILITY);
        }
        // Parameters, by location and name.
        let mut keyed: Vec<((String, String), Vec<Part<'a>>)> = Vec::new();
        for (index, node) in &ordered {
            let Some(list) = node.get("parameters") else { continue };
            let Value::Array(list) = list else {
                return Err(invalid(&format!("{at}/parameters"), &self.ids[*index], "is not a list"));
            };
            for (n, parameter) in list.iter().enumerate() {
                let key = self.parameter_key(*index, parameter, &format!("{at}/parameters/{n}"))?;
                match keyed.iter_mut().find(|(k, _)| *k == key) {
                    Some((_, found)) => found.push((*index, parameter)),
                    None => keyed.push((key, vec![(*index, parameter)])),
                }
            }
        }
        if !keyed.is_empty() {
            let mut list = Vec::new();
            let mut available = Map::new();
            for (n, ((location, name), found)) in keyed.iter().enumerate() {
                list.push(self.parameter(&format!("{at}/parameters/{n}"), found)?);
                let holders: Vec<usize> = found.iter().map(|(i, _)| *i).collect();
                if let Some(releases) = self.availability(&holders, parts.len()) {
                    available.insert(format!("{location}:{name}"), releases);
                }
            }
            out.insert("parameters".into(), Value::Array(list));
            if !available.is_empty() {
                out.insert(PARAMETER_AVAILABILITY.into(), Value::Object(available));
            }
        }
        let bodies: Vec<Part<'a>> = parts.iter().filter_map(|(i, node)| Some((*i, node.get("requestBody")?))).collect();
        if !bodies.is_empty() {
            let mut body = self.response(&format!("{at}/requestBody"), &bodies)?;
            if bodies.len() < parts.len() {
                let holders: Vec<usize> = bodies.iter().map(|(i, _)| *i).collect();
                self.body_only_on(&mut body, &holders);
            }
            out.insert("requestBody".into(), body);
        }
        let mut responses = Vec::new();
        for (index, node) in parts {
            match node.get("responses") {
                Some(Value::Object(map)) => responses.push((*index, map)),
                Some(_) => return Err(invalid(&format!("{at}/responses"), &self.ids[*index], "is not an object")),
                None => {}
            }
        }
        if !responses.is_empty() {
            let mut merged = Map::new();
            for status in self.keys(&responses) {
                let found: Vec<Part<'a>> = responses.iter().filter_map(|(i, m)| Some((*i, m.get(status)?))).collect();
                merged.insert(status.clone(), self.response(&format!("{at}/responses/{}", escape(status)), &found)?);
            }
            out.insert("responses".into(), Value::Object(merged));
        }
        Ok(Value::Object(out))
    }

    /// A request body that only some releases of its operation take: each property of
    /// its inline schemas that no annotation limits yet is annotated with those releases,
    /// so that a setter of it says where it exists (a referenced schema is shared, and
    /// keeps its own annotations).
    fn body_only_on(&self, body: &mut Value, holders: &[usize]) {
        let Some(Value::Object(content)) = body.get_mut("content") else { return };
        let releases = self.availability(holders, usize::MAX);
        for media in content.values_mut() {
            let Some(Value::Object(schema)) = media.get_mut("schema") else { continue };
            let names: Vec<String> = match schema.get("properties") {
                Some(Value::Object(properties)) => properties.keys().cloned().collect(),
                _ => continue,
            };
            let Value::Object(annotation) =
                schema.entry(PROPERTY_AVAILABILITY).or_insert_with(|| Value::Object(Map::new()))
            else {
                continue;
            };
            for name in names {
                if let Some(releases) = &releases {
                    annotation.entry(name).or_insert_with(|| releases.clone());
                }
            }
        }
    }

    /// A parameter's location and name, through a reference to `components/parameters`.
    fn parameter_key(&self, index: usize, parameter: &Value, at: &str) -> Result<(String, String), Error> {
        let mut node = parameter;
        if let Some(reference) = node.get("$ref").and_then(Value::as_str) {
            node = reference
                .strip_prefix("#/components/parameters/")
                .and_then(|name| {
                    self.docs[index]
                        .get("components")?
                        .get("parameters")?
                        .get(name.replace("~1", "/").replace("~0", "~"))
                })
                .ok_or_else(|| {
                    invalid(
                        at,
                        &self.ids[index],
                        &format!("$ref \"{reference}\" is not a parameter of the description"),
                    )
                })?;
        }
        match (node.get("in").and_then(Value::as_str), node.get("name").and_then(Value::as_str)) {
            (Some(location), Some(name)) => Ok((location.to_owned(), name.to_owned())),
            _ => Err(invalid(at, &self.ids[index], "a parameter without `in` and `name`")),
        }
    }

    /// One parameter of several releases: the winner's, with its schema merged and
    /// required only where every release requires it. A reference stays the winner's.
    fn parameter(&mut self, at: &str, parts: &[Part<'a>]) -> Result<Value, Error> {
        let ordered = self.ordered(parts);
        let winner = ordered[0].1;
        let Value::Object(mut out) = winner.clone() else { return Ok(winner.clone()) };
        if out.contains_key("$ref") {
            return Ok(Value::Object(out));
        }
        let inline: Vec<Part<'a>> = parts.iter().filter(|(_, p)| p.get("$ref").is_none()).copied().collect();
        let schemas: Vec<Part<'a>> = inline.iter().filter_map(|(i, p)| Some((*i, p.get("schema")?))).collect();
        if out.contains_key("schema") && !schemas.is_empty() {
            out.insert("schema".into(), self.schema(&format!("{at}/schema"), &schemas, 0)?);
        }
        let required = inline.iter().all(|(_, p)| p.get("required") == Some(&Value::Bool(true)));
        if out.get("required") == Some(&Value::Bool(true)) && !required && out.get("in") != Some(&Value::from("path")) {
            out.insert("required".into(), Value::Bool(false));
        }
        Ok(Value::Object(out))
    }

    /// A response or request body of several releases: the winner's, with the media
    /// types of all and each one's schema and examples merged.
    fn response(&mut self, at: &str, parts: &[Part<'a>]) -> Result<Value, Error> {
        let ordered = self.ordered(parts);
        let winner = ordered[0].1;
        let Value::Object(mut out) = winner.clone() else { return Ok(winner.clone()) };
        if out.contains_key("$ref") {
            return Ok(Value::Object(out));
        }
        let mut contents = Vec::new();
        for (index, node) in parts {
            match node.get("content") {
                Some(Value::Object(map)) if node.get("$ref").is_none() => contents.push((*index, map)),
                Some(Value::Object(_)) | None => {}
                Some(_) => return Err(invalid(&format!("{at}/content"), &self.ids[*index], "is not an object")),
            }
        }
        if !contents.is_empty() {
            let mut merged = Map::new();
            for media in self.keys(&contents) {
                let found: Vec<Part<'a>> = contents.iter().filter_map(|(i, m)| Some((*i, m.get(media)?))).collect();
                merged.insert(media.clone(), self.media(&format!("{at}/content/{}", escape(media)), &found)?);
            }
            out.insert("content".into(), Value::Object(merged));
        }
        Ok(Value::Object(out))
    }

    /// One media type: the winner's, with the schemas merged and every release's
    /// distinct examples.
    fn media(&mut self, at: &str, parts: &[Part<'a>]) -> Result<Value, Error> {
        let ordered = self.ordered(parts);
        let winner = ordered[0].1;
        let Value::Object(mut out) = winner.clone() else { return Ok(winner.clone()) };
        let schemas: Vec<Part<'a>> = parts.iter().filter_map(|(i, p)| Some((*i, p.get("schema")?))).collect();
        if !schemas.is_empty() {
            out.insert("schema".into(), self.schema(&format!("{at}/schema"), &schemas, 0)?);
        }
        let mut examples = Map::new();
        let mut kept: Vec<Value> = Vec::new();
        for (index, node) in &ordered {
            let Some(map) = node.get("examples") else { continue };
            let Value::Object(map) = map else {
                return Err(invalid(&format!("{at}/examples"), &self.ids[*index], "is not an object"));
            };
            for (name, example) in map {
                let example = self.renamed_example(*index, example);
                let value = self.example_value(&example);
                if kept.contains(&value) {
                    continue;
                }
                kept.push(value);
                let name = unique(&examples, name, &self.ids[*index]);
                examples.insert(name, example);
            }
        }
        if !examples.is_empty() {
            out.insert("examples".into(), Value::Object(examples));
        }
        Ok(Value::Object(out))
    }

    /// An example of one release, its reference to `components/examples` renamed to the
    /// merged name.
    fn renamed_example(&self, index: usize, example: &Value) -> Value {
        let reference = example.get("$ref").and_then(Value::as_str);
        let name = reference.and_then(|r| r.strip_prefix("#/components/examples/"));
        match name.and_then(|name| self.example_names[index].get(&name.replace("~1", "/").replace("~0", "~"))) {
            Some(merged) => {
                let mut out = example.clone();
                out["$ref"] = Value::String(format!("#/components/examples/{}", escape(merged)));
                out
            }
            None => example.clone(),
        }
    }

    /// What an example stands for, for comparing: the value of the component it names
    /// (in the merged components), or its own.
    fn example_value(&self, example: &Value) -> Value {
        let reference = example.get("$ref").and_then(Value::as_str);
        match reference {
            Some(reference) => Value::String(reference.to_owned()),
            None => example.get("value").cloned().unwrap_or(Value::Null),
        }
    }
}

/// `name` when `map` lacks it, else `name-release`, else that with a counter.
fn unique(map: &Map<String, Value>, name: &str, release: &str) -> String {
    if !map.contains_key(name) {
        return name.to_owned();
    }
    let base = format!("{name}-{release}");
    let mut candidate = base.clone();
    let mut n = 2;
    while map.contains_key(&candidate) {
        candidate = format!("{base}-{n}");
        n += 1;
    }
    candidate
}
