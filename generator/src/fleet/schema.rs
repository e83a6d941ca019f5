//! Schemas of several releases merged into one.

use super::{invalid, Merger, Part};
use crate::error::Error;
use crate::input::document::{escape, PROPERTY_AVAILABILITY};
use crate::input::MAX_FLOW_DEPTH;
use serde_json::{Map, Value};

/// The keys whose value is a list of schemas, merged by position.
const LISTS: [&str; 3] = ["allOf", "anyOf", "oneOf"];

/// The keys whose value is one schema.
const SINGLE: [&str; 3] = ["items", "additionalProperties", "not"];

impl<'a> Merger<'a> {
    /// One schema of several releases: the winner's, with the union of the properties
    /// (each merged), `required` only for what every release requires, the union of the
    /// enum values, `nullable` when any release says so, and the nested schemas merged.
    pub(super) fn schema(&mut self, at: &str, parts: &[Part<'a>], depth: usize) -> Result<Value, Error> {
        let ordered = self.ordered(parts);
        let (winner_index, winner) = ordered[0];
        if depth > MAX_FLOW_DEPTH {
            return Err(invalid(
                at,
                &self.ids[winner_index],
                &format!("schemas nest deeper than {MAX_FLOW_DEPTH} levels"),
            ));
        }
        let Value::Object(mut out) = winner.clone() else { return Ok(winner.clone()) };
        let objects: Vec<(usize, &'a Map<String, Value>)> =
            ordered.iter().filter_map(|(i, node)| Some((*i, node.as_object()?))).collect();
        if let Some(reference) = out.get("$ref") {
            let differ: Vec<&str> = objects
                .iter()
                .filter(|(_, node)| node.get("$ref") != Some(reference))
                .map(|(i, _)| self.ids[*i].as_str())
                .collect();
            if !differ.is_empty() {
                let message = format!("{} differ from the reference {reference}, which is kept", differ.join(", "));
                self.note(at, message);
            }
            return Ok(Value::Object(out));
        }
        if let Some(kept) = out.get("type").cloned() {
            let differ: Vec<String> = objects
                .iter()
                .filter_map(|(i, node)| {
                    node.get("type").filter(|t| **t != kept).map(|t| format!("{} ({t})", self.ids[*i]))
                })
                .collect();
            if !differ.is_empty() {
                self.note(at, format!("type {kept} kept; {} differ", differ.join(", ")));
            }
        }
        if objects.iter().any(|(_, node)| node.get("nullable") == Some(&Value::Bool(true))) {
            out.insert("nullable".into(), Value::Bool(true));
        }
        if out.get("enum").is_some_and(Value::is_array) {
            let mut values: Vec<Value> = Vec::new();
            for (_, node) in &objects {
                for value in node.get("enum").and_then(Value::as_array).into_iter().flatten() {
                    if !values.contains(value) {
                        values.push(value.clone());
                    }
                }
            }
            out.insert("enum".into(), Value::Array(values));
        }
        self.properties(at, &objects, &mut out, depth)?;
        for key in SINGLE {
            if !out.get(key).is_some_and(Value::is_object) {
                continue;
            }
            let found: Vec<Part<'a>> =
                objects.iter().filter_map(|(i, node)| Some((*i, node.get(key).filter(|v| v.is_object())?))).collect();
            out.insert(key.into(), self.schema(&format!("{at}/{key}"), &found, depth + 1)?);
        }
        for key in LISTS {
            let Some(Value::Array(kept)) = out.get(key) else { continue };
            let lists: Vec<(usize, &'a Vec<Value>)> =
                objects.iter().filter_map(|(i, node)| Some((*i, node.get(key)?.as_array()?))).collect();
            if lists.iter().any(|(_, list)| list.len() != kept.len()) {
                self.note(at, format!("{key} lists of different lengths; {}'s kept", self.ids[winner_index]));
                continue;
            }
            let mut merged = Vec::with_capacity(kept.len());
            for n in 0..kept.len() {
                let found: Vec<Part<'a>> = lists.iter().map(|(i, list)| (*i, &list[n])).collect();
                merged.push(self.schema(&format!("{at}/{key}/{n}"), &found, depth + 1)?);
            }
            out.insert(key.into(), Value::Array(merged));
        }
        Ok(Value::Object(out))
    }

    /// The union of the properties, `required` for those every release requires, and
    /// `x-property-availability` for those not every release has.
    fn properties(
        &mut self,
        at: &str,
        objects: &[(usize, &'a Map<String, Value>)],
        out: &mut Map<String, Value>,
        depth: usize,
    ) -> Result<(), Error> {
        let mut names: Vec<&'a String> = Vec::new();
        for (index, node) in objects {
            match node.get("properties") {
                Some(Value::Object(properties)) => {
                    for name in properties.keys() {
                        if !names.contains(&name) {
                            names.push(name);
                        }
                    }
                }
                Some(_) => return Err(invalid(&format!("{at}/properties"), &self.ids[*index], "is not an object")),
                None => {}
            }
        }
        if names.is_empty() {
            return Ok(());
        }
        let mut properties = Map::new();
        let mut available = Map::new();
        let mut required = Vec::new();
        for name in names {
            let found: Vec<Part<'a>> = objects
                .iter()
                .filter_map(|(i, node)| Some((*i, node.get("properties")?.get(name.as_str())?)))
                .collect();
            let holders: Vec<usize> = found.iter().map(|(i, _)| *i).collect();
            let merged = self.schema(&format!("{at}/properties/{}", escape(name)), &found, depth + 1)?;
            properties.insert(name.clone(), merged);
            if let Some(releases) = self.availability(&holders, objects.len()) {
                available.insert(name.clone(), releases);
            }
            let everywhere = objects.iter().all(|(_, node)| {
                node.get("required")
                    .and_then(Value::as_array)
                    .is_some_and(|list| list.iter().any(|r| r == name.as_str()))
            });
            if everywhere {
                required.push(Value::String(name.clone()));
            }
        }
        // A name required without being a property here (one of an `allOf`) stays when
        // every release requires it.
        for name in out.get("required").and_then(Value::as_array).into_iter().flatten() {
            let listed = |node: &Map<String, Value>| {
                node.get("required").and_then(Value::as_array).is_some_and(|l| l.contains(name))
            };
            if name.as_str().is_some_and(|n| !properties.contains_key(n))
                && objects.iter().all(|(_, node)| listed(node))
            {
                required.push(name.clone());
            }
        }
        out.insert("properties".into(), Value::Object(properties));
        if required.is_empty() {
            out.remove("required");
        } else {
            out.insert("required".into(), Value::Array(required));
        }
        if available.is_empty() {
            out.remove(PROPERTY_AVAILABILITY);
        } else {
            out.insert(PROPERTY_AVAILABILITY.into(), Value::Object(available));
        }
        Ok(())
    }
}
