//! The public API of a generated crate as text, one item a line, and what a change of it
//! means for code that uses the crate.
//!
//! `cargo xtask codegen` writes the summary next to the generated code (`public-api.txt`)
//! and, before replacing it, compares the old one with the new: every line that appears,
//! disappears or changes is an item of the API that was added, removed or changed, and
//! [`compare`] marks each as breaking or additive for a Rust consumer of the crate. The
//! summary holds nothing but what a consumer's code can name (no docs, no wire details
//! that the generated code hides), so a doc-only update leaves it untouched.
//!
//! A line is `KIND PATH: VALUE`:
//!
//! | kind | path | value |
//! | --- | --- | --- |
//! | `server` | | the description's server URL template |
//! | `api-version` | | the API version every request asks for (`DEFAULT_API_VERSION`) |
//! | `group` | accessor | the group struct |
//! | `operation` | `group.method` | HTTP method and path template |
//! | `signature` | `group.method` | the accessor's arguments and the builder it returns |
//! | `setter` | `group.method.name` | an optional parameter or body field set on the builder |
//! | `send` | `group.method` | what `send` returns |
//! | `outcome` | `group.method.status` | one documented success, when their bodies differ |
//! | `stream` | `group.method` | the item type of a paginated list |
//! | `type` | `Name` | `struct`, `enum`, `union`, `alias of T` or `newtype of T` |
//! | `constructor` | `Name` | the arguments of `Name::new` (structs a request carries) |
//! | `field` | `Name.field` | the field's Rust type |
//! | `value` | `Enum.Variant` | the string on the wire |
//! | `variant` | `Union.Variant` | the variant's payload type |
//! | `release` | `Release.Variant` | a release the crate covers: its id and name |
//! | `available` | `group.method`, `group.method.setter` or `Type.field` | where an item exists, when not every release has it |

use crate::ir::{Api, Availability, Body, Field, Operation, ResponseKind, SchemeKind, Successes, TypeKind};
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// The public API of `api`, one sorted line per item, under a header naming `command`.
pub fn summarize(api: &Api, command: &str) -> String {
    let mut lines: Vec<String> = Vec::new();
    let mut line = |kind: &str, path: &str, value: &str| {
        let value = escape(value);
        lines.push(match (path.is_empty(), value.is_empty()) {
            (true, _) => format!("{kind}: {value}"),
            (false, true) => format!("{kind} {path}"),
            (false, false) => format!("{kind} {path}: {value}"),
        });
    };
    if let Some(server) = &api.server {
        line("server", "", &server.url);
    }
    if let Some(version) = &api.api_version {
        line("api-version", "", version);
    }
    for scheme in &api.security {
        let how = match &scheme.kind {
            SchemeKind::Bearer => "bearer".to_owned(),
            SchemeKind::Basic => "basic".to_owned(),
            SchemeKind::Http(name) => format!("http {name}"),
            SchemeKind::Header(name) => format!("header {name}"),
            SchemeKind::Query(name) => format!("query {name}"),
            SchemeKind::Cookie(name) => format!("cookie {name}"),
        };
        line("credential", &format!("ClientBuilder.{}", scheme.setter), &how);
    }
    for release in api.releases.iter().flat_map(|r| &r.list) {
        line("release", &format!("Release.{}", release.variant), &format!("{} = {}", release.id, release.name));
    }
    let mut available = |path: &str, availability: Option<&Availability>| {
        if let Some(availability) = availability {
            line("available", path, &availability.text);
        }
    };
    for group in api.groups.values() {
        for op in &group.operations {
            let path = format!("{}.{}", group.accessor, op.method_name);
            available(&path, op.availability.as_ref());
            for p in op.params.iter().filter(|p| !p.required) {
                available(&format!("{path}.{}", p.name), p.availability.as_ref());
            }
            if let Some(Body { fields: Some(fields), setters, .. }) = &op.body {
                for (f, setter) in fields.iter().zip(setters).filter(|(f, _)| !f.is_argument()) {
                    available(&format!("{path}.{setter}"), f.availability.as_ref());
                }
            }
        }
    }
    for def in api.types.values() {
        if let TypeKind::Struct(s) = &def.kind {
            for f in &s.fields {
                available(&format!("{}.{}", def.name, f.name), f.availability.as_ref());
            }
        }
    }
    for group in api.groups.values() {
        line("group", &group.accessor, &group.name);
        for op in &group.operations {
            let path = format!("{}.{}", group.accessor, op.method_name);
            line("operation", &path, &format!("{} {}", op.http_method, op.path));
            line("signature", &path, &signature(op));
            for (name, ty) in setters(op) {
                line("setter", &format!("{path}.{name}"), &ty);
            }
            match op.successes() {
                Successes::Undocumented => line("send", &path, "Response<serde_json::Value>"),
                Successes::Uniform { kind, .. } => line("send", &path, &format!("Response<{}>", response_type(kind))),
                Successes::Outcome(cases) => {
                    let name = op.outcome.as_ref().map_or("", |o| o.name.as_str());
                    line("send", &path, &format!("Response<{}::{name}>", group.module));
                    for case in cases {
                        let status = case.label();
                        line("outcome", &format!("{path}.{status}"), &response_type(&case.kind));
                    }
                }
            }
            if let Some(pagination) = &op.paginated {
                line("stream", &path, &pagination.item.to_string());
            }
        }
    }
    for def in api.types.values() {
        let name = &def.name;
        match &def.kind {
            TypeKind::Struct(s) => {
                line("type", name, "struct");
                if api.inputs.contains(name) {
                    let args: Vec<String> =
                        s.fields.iter().filter(|f| f.is_argument()).map(|f| format!("{}: {}", f.name, f.ty)).collect();
                    line("constructor", name, &format!("new({})", args.join(", ")));
                }
                for f in &s.fields {
                    line("field", &format!("{name}.{}", f.name), &field_type(f));
                }
                if let Some(ty) = &s.additional {
                    line("field", &format!("{name}.additional_properties"), &format!("BTreeMap<String, {ty}>"));
                }
            }
            TypeKind::Enum(e) => {
                line("type", name, "enum");
                for (variant, wire) in &e.variants {
                    line("value", &format!("{name}.{variant}"), &format!("{wire:?}"));
                }
            }
            TypeKind::Union(variants) => {
                line("type", name, "union");
                for v in variants {
                    line("variant", &format!("{name}.{}", v.name), &v.ty.to_string());
                }
            }
            TypeKind::Alias(ty) => line("type", name, &format!("alias of {ty}")),
            TypeKind::Newtype(ty) => line("type", name, &format!("newtype of {ty}")),
        }
    }
    lines.sort();
    let mut out = format!(
        "# @generated by `{command}`. Do not edit by hand.\n\
         # The public API of this crate, one item a line. Its diff between two versions is\n\
         # the API change; `cargo xtask codegen` reports it, breaking or additive, per line.\n"
    );
    for l in lines {
        out.push_str(&l);
        out.push('\n');
    }
    out
}

/// The accessor's arguments and the builder it returns, as a consumer calls it.
fn signature(op: &Operation) -> String {
    let mut args: Vec<String> =
        op.params.iter().filter(|p| p.required).map(|p| format!("{}: {}", p.name, p.ty)).collect();
    if let Some(body) = &op.body {
        match &body.fields {
            Some(fields) => {
                let given = fields.iter().zip(&body.setters).filter(|(f, _)| f.is_argument());
                args.extend(given.map(|(f, setter)| format!("{setter}: {}", f.ty)));
            }
            None if body.required => {
                args.push(format!("{}: {}", body.setters.first().map_or("body", String::as_str), body.ty))
            }
            None => {}
        }
    }
    format!("fn({}) -> {}", args.join(", "), op.builder)
}

/// The optional inputs set on the builder: parameters, then body fields or the whole body.
fn setters(op: &Operation) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> =
        op.params.iter().filter(|p| !p.required).map(|p| (p.name.clone(), p.ty.to_string())).collect();
    if let Some(body) = &op.body {
        match &body.fields {
            Some(fields) => {
                let set = fields.iter().zip(&body.setters).filter(|(f, _)| !f.is_argument());
                out.extend(set.map(|(f, setter)| (setter.clone(), f.ty.to_string())));
            }
            None if !body.required => {
                out.push((body.setters.first().cloned().unwrap_or_else(|| "body".into()), body.ty.to_string()))
            }
            None => {}
        }
    }
    out
}

fn response_type(kind: &ResponseKind) -> String {
    match kind {
        ResponseKind::Empty => "()".into(),
        ResponseKind::Json(ty) => ty.to_string(),
        ResponseKind::Text => "String".into(),
        ResponseKind::Bytes => "Bytes".into(),
        ResponseKind::Redirect => "Redirect".into(),
    }
}

/// The field's Rust type, with what a new description may change about it.
fn field_type(f: &Field) -> String {
    match (f.required, f.nullable) {
        (true, false) => format!("{} (required)", f.ty),
        (true, true) => format!("Option<{}> (required, nullable)", f.ty),
        (false, _) => format!("Option<{}>", f.ty),
    }
}

/// Control characters, which a hostile description could use to forge lines, as escapes.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}') {
            let _ = write!(out, "\\u{{{:x}}}", c as u32);
        } else {
            out.push(c);
        }
    }
    out
}

/// How a change affects code written against the previous version of the crate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Existing code keeps compiling and keeps meaning what it meant.
    Additive,
    /// Existing code keeps compiling, but what the server accepts or returns changed in a
    /// way that can fail a request, or the decoding of a response, that worked before.
    Behavior,
    /// Existing code may stop compiling, or may now talk to another server or endpoint.
    Breaking,
}

impl Severity {
    /// `breaking`, `behavior` or `additive`.
    pub fn label(self) -> &'static str {
        match self {
            Severity::Additive => "additive",
            Severity::Behavior => "behavior",
            Severity::Breaking => "breaking",
        }
    }
}

/// One item of the public API that was added, removed or changed.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Change {
    /// What the change means for existing code.
    pub severity: Severity,
    /// What it is a change of, for grouping: an operation (`actions.list_runs`,
    /// `GET /repos/{owner}/{repo}`), a type, or a kind of line (`server`).
    pub subject: String,
    /// `+ field Team.type: Option<TeamType>`, `- ...` or `~ KIND PATH: OLD -> NEW`.
    pub text: String,
    /// Why it is marked so, when the line alone does not say.
    pub note: Option<String>,
}

impl std::fmt::Display for Change {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:<8}  {}", self.severity.label(), self.text)?;
        if let Some(note) = &self.note {
            write!(f, "  ({note})")?;
        }
        Ok(())
    }
}

/// The items of a summary, keyed by `KIND PATH`.
fn items(summary: &str) -> BTreeMap<&str, &str> {
    summary
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .map(|l| match l.split_once(": ") {
            Some((key, value)) => (key, value),
            None => (l, ""),
        })
        .collect()
}

/// The changes from the `old` summary to the `new` one, breaking ones first, each group
/// in the order of the summary.
pub fn compare(old: &str, new: &str) -> Vec<Change> {
    let (old, new) = (items(old), items(new));
    let mut changes = Vec::new();
    for (key, value) in &old {
        match new.get(key) {
            None => changes.push(removed(key, value)),
            Some(now) if now != value => changes.push(changed(key, value, now)),
            Some(_) => {}
        }
    }
    for (key, value) in &new {
        if !old.contains_key(key) {
            changes.push(added(key, value, &old, &new));
        }
    }
    let mut changes = fold_renamed_enums(changes, &old, &new);
    changes.sort_by(|a, b| b.severity.cmp(&a.severity).then_with(|| strip_sign(&a.text).cmp(strip_sign(&b.text))));
    changes
}

/// The values of the enum `name` in a summary.
fn enum_values<'a>(items: &BTreeMap<&'a str, &'a str>, name: &str) -> BTreeMap<&'a str, &'a str> {
    let start = format!("value {name}.");
    let mut out = BTreeMap::new();
    for (key, value) in items {
        if let Some(variant) = key.strip_prefix(start.as_str()) {
            out.insert(variant, *value);
        }
    }
    out
}

/// An enum that lowering named anew (an inline enum shared by value list, whose list
/// changed in one place) would read as every value removed and every value added: each
/// removed enum that a changed line now names as an added one is reported once as
/// renamed, with one line per value that differs, and its values' lines are dropped.
fn fold_renamed_enums(changes: Vec<Change>, old: &BTreeMap<&str, &str>, new: &BTreeMap<&str, &str>) -> Vec<Change> {
    let is_enum =
        |items: &BTreeMap<&str, &str>, name: &str| items.get(format!("type {name}").as_str()) == Some(&"enum");
    let gone: Vec<&str> = old
        .keys()
        .filter_map(|k| k.strip_prefix("type "))
        .filter(|n| is_enum(old, n) && !new.contains_key(format!("type {n}").as_str()))
        .collect();
    let fresh: Vec<&str> = new
        .keys()
        .filter_map(|k| k.strip_prefix("type "))
        .filter(|n| is_enum(new, n) && !old.contains_key(format!("type {n}").as_str()))
        .collect();
    let names = |text: &str, name: &str| text.split(|c: char| !c.is_alphanumeric() && c != '_').any(|w| w == name);
    let mut renames: Vec<(&str, &str)> = Vec::new();
    for change in &changes {
        let Some((_, values)) = change.text.split_once(": ") else { continue };
        let Some((before, after)) = values.split_once(" -> ") else { continue };
        for from in gone.iter().filter(|n| names(before, n)) {
            for to in fresh.iter().filter(|n| names(after, n)) {
                if !renames.contains(&(*from, *to)) {
                    renames.push((from, to));
                }
            }
        }
    }
    if renames.is_empty() {
        return changes;
    }
    let folded = |text: &str| {
        let key = strip_sign(text).split(": ").next().unwrap_or_default();
        renames.iter().any(|(from, to)| {
            [*from, *to].iter().any(|n| key == format!("type {n}") || key.starts_with(&format!("value {n}.")))
        })
    };
    let mut out: Vec<Change> = changes.into_iter().filter(|c| !folded(&c.text)).collect();
    for (from, to) in renames {
        let note = Some(format!("renamed; code naming `{from}` no longer compiles"));
        out.push(Change {
            severity: Severity::Breaking,
            subject: to.to_owned(),
            text: format!("~ type {to}: enum {from} -> enum {to}"),
            note,
        });
        let (was, now) = (enum_values(old, from), enum_values(new, to));
        let wires = |values: &BTreeMap<&str, &str>| {
            values.values().map(|w| (*w).to_owned()).collect::<std::collections::BTreeSet<String>>()
        };
        let (was_wire, now_wire) = (wires(&was), wires(&now));
        for (variant, wire) in &was {
            if !now_wire.contains(*wire) {
                out.push(Change {
                    severity: Severity::Breaking,
                    subject: to.to_owned(),
                    text: format!("- value {from}.{variant}: {wire}"),
                    note: Some(format!("not in `{to}`")),
                });
            }
        }
        for (variant, wire) in &now {
            if !was_wire.contains(*wire) {
                out.push(Change {
                    severity: Severity::Additive,
                    subject: to.to_owned(),
                    text: format!("+ value {to}.{variant}: {wire}"),
                    note: None,
                });
            }
        }
    }
    out
}

fn strip_sign(text: &str) -> &str {
    text.get(2..).unwrap_or(text)
}

fn show(key: &str, value: &str) -> String {
    if value.is_empty() {
        key.to_owned()
    } else {
        format!("{key}: {value}")
    }
}

fn removed(key: &str, value: &str) -> Change {
    if key.starts_with("available ") {
        // The item now exists on every release: nothing is refused any more.
        let note = Some("now on every release".to_owned());
        return Change {
            severity: Severity::Additive,
            subject: subject(key),
            text: format!("- {}", show(key, value)),
            note,
        };
    }
    // Whatever code named is gone: every removal breaks someone.
    Change { severity: Severity::Breaking, subject: subject(key), text: format!("- {}", show(key, value)), note: None }
}

fn changed(key: &str, old: &str, new: &str) -> Change {
    let kind = key.split(' ').next().unwrap_or_default();
    if kind == "available" {
        let path = key.split_once(' ').map_or("", |(_, path)| path);
        let (severity, note) = if path.starts_with(|c: char| c.is_ascii_uppercase()) {
            (Severity::Additive, "the releases that have it changed")
        } else {
            (Severity::Behavior, "the releases that have it changed; a client refuses it on the others")
        };
        let note = Some(note.to_owned());
        return Change { severity, subject: subject(key), text: format!("~ {key}: {old} -> {new}"), note };
    }
    let note = match kind {
        "server" => Some("the crate's server template changed; check the base URL your tools use".to_owned()),
        "operation" => Some("the same method now sends another request".to_owned()),
        _ => None,
    };
    let severity = if kind == "api-version" { Severity::Behavior } else { Severity::Breaking };
    let note = note.or_else(|| {
        (kind == "api-version")
            .then(|| "every request asks for another API version: the server answers as it says".to_owned())
    });
    Change { severity, subject: subject(key), text: format!("~ {key}: {old} -> {new}"), note }
}

fn added(key: &str, value: &str, old: &BTreeMap<&str, &str>, new: &BTreeMap<&str, &str>) -> Change {
    let (kind, path) = key.split_once(' ').unwrap_or((key, ""));
    let (severity, note) = match kind {
        // The first server template, or a new variant of an enum that has none: new meaning.
        "server" => (Severity::Breaking, Some("the crate now names a server template".to_owned())),
        // Requests that asked for the server's default version now name one.
        "api-version" => (Severity::Behavior, Some("requests now ask for this API version".to_owned())),
        // A new documented success turns a single-type `send` into an outcome enum: the
        // `send` line changes and says so; a further variant of an existing outcome is not.
        "outcome" => (Severity::Additive, None),
        // An operation or setter that every release had is now missing from some: a client
        // that knows its server's release refuses it there. A type's field is only documented.
        "available" if path.starts_with(|c: char| c.is_ascii_uppercase()) => {
            (Severity::Additive, Some("not every release has it".to_owned()))
        }
        "available" => (Severity::Behavior, Some("not every release has it; refused on the others".to_owned())),
        "field" => {
            let owner = path.split('.').next().unwrap_or_default();
            if value.ends_with("(required)") && new.contains_key(format!("constructor {owner}").as_str()) {
                (Severity::Breaking, Some(format!("a new argument of `{owner}::new`")))
            } else if value.ends_with("(required)") && old.contains_key(format!("type {owner}").as_str()) {
                // On a type that existed before: servers that predate the field omit it.
                let note = "required: responses that lack it no longer decode; servers older than this description may not send it";
                (Severity::Additive, Some(note.to_owned()))
            } else {
                (Severity::Additive, None)
            }
        }
        _ => (Severity::Additive, None),
    };
    Change { severity, subject: subject(key), text: format!("+ {}", show(key, value)), note }
}

/// What a line of the summary is about: the operation (`group.method`) for the lines of
/// one, the type for a type's lines, the kind of line otherwise.
fn subject(key: &str) -> String {
    let (kind, path) = key.split_once(' ').unwrap_or((key, ""));
    let mut parts = path.split('.');
    match kind {
        "operation" | "signature" | "setter" | "send" | "outcome" | "stream" => {
            let group = parts.next().unwrap_or_default();
            format!("{group}.{}", parts.next().unwrap_or_default())
        }
        "type" | "constructor" | "field" | "value" | "variant" | "release" => {
            parts.next().unwrap_or_default().to_owned()
        }
        "available" => {
            let first = parts.next().unwrap_or_default();
            if first.starts_with(|c: char| c.is_ascii_uppercase()) {
                first.to_owned()
            } else {
                format!("{first}.{}", parts.next().unwrap_or_default())
            }
        }
        _ => kind.to_owned(),
    }
}

/// The version change a set of API changes calls for, under Cargo's semver rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Bump {
    /// Nothing a consumer can see changed.
    None,
    /// Docs or internals only.
    Patch,
    /// New items only.
    Minor,
    /// Something breaks.
    Major,
}

impl Bump {
    /// The bump that `changes` (plus `other_changes` doc or internal line changes) imply.
    pub fn of(changes: &[Change], other_changes: usize) -> Bump {
        if changes.iter().any(|c| c.severity == Severity::Breaking) {
            Bump::Major
        } else if !changes.is_empty() {
            Bump::Minor
        } else if other_changes > 0 {
            Bump::Patch
        } else {
            Bump::None
        }
    }

    /// The version after `current` (`MAJOR.MINOR.PATCH`), following Cargo's rule that
    /// below 1.0 the minor number is the breaking one and the patch number the additive
    /// one. `None` when `current` is not a plain version.
    pub fn apply(self, current: &str) -> Option<String> {
        let mut parts = current.split('.').map(|p| p.parse::<u64>().ok());
        let (major, minor, patch) = (parts.next()??, parts.next()??, parts.next()??);
        if parts.next().is_some() {
            return None;
        }
        let (major, minor, patch) = match (self, major) {
            (Bump::None, _) => (major, minor, patch),
            (Bump::Major, 0) => (0, minor.checked_add(1)?, 0),
            (Bump::Major, _) => (major.checked_add(1)?, 0, 0),
            (Bump::Minor, 0) | (Bump::Patch, _) => (major, minor, patch.checked_add(1)?),
            (Bump::Minor, _) => (major, minor.checked_add(1)?, 0),
        };
        Some(format!("{major}.{minor}.{patch}"))
    }

    /// `major (breaking)`, `minor (additive)`, `patch (docs or internals)` or `none`.
    pub fn describe(self) -> &'static str {
        match self {
            Bump::None => "none",
            Bump::Patch => "patch (docs or internals only)",
            Bump::Minor => "minor (additive)",
            Bump::Major => "major (breaking)",
        }
    }
}

/// Lines that differ between two versions of generated source, split into doc comment
/// lines and the rest. Each counts the larger of lines gone and lines new, by content,
/// so a line that only moved does not count, nor does the line that says how a file was
/// made.
pub fn line_changes(old: &str, new: &str) -> (usize, usize) {
    fn count(text: &str) -> BTreeMap<(bool, &str), isize> {
        let mut counts = BTreeMap::new();
        for line in text.lines() {
            let line = line.trim();
            if line.starts_with("// @generated") {
                continue;
            }
            let is_doc = line.starts_with("///") || line.starts_with("//!") || line.starts_with("#[doc");
            *counts.entry((is_doc, line)).or_insert(0) += 1;
        }
        counts
    }
    let (old, mut new) = (count(old), count(new));
    for (key, n) in old {
        *new.entry(key).or_insert(0) -= n;
    }
    let (mut gone, mut came) = ([0usize; 2], [0usize; 2]);
    for ((is_doc, _), n) in new {
        let slot = usize::from(is_doc);
        if n > 0 {
            came[slot] += n.unsigned_abs();
        } else {
            gone[slot] += n.unsigned_abs();
        }
    }
    (gone[1].max(came[1]), gone[0].max(came[0]))
}

#[cfg(test)]
mod tests {
    use super::*;

    const OLD: &str = "# header\n\
        field Team.name: String (required)\n\
        field Team.slug: Option<String>\n\
        constructor Body: new(id: i64)\n\
        send actions.get: Response<Team>\n\
        server: https://{hostname}/api/v3\n\
        value Status.Done: \"done\"\n";

    fn lines(changes: &[Change]) -> Vec<String> {
        changes.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn an_unchanged_summary_has_no_changes() {
        assert!(compare(OLD, OLD).is_empty());
        assert_eq!(Bump::of(&[], 0), Bump::None);
    }

    #[test]
    fn removals_and_type_changes_break_and_additions_do_not() {
        let new = OLD
            .replace("field Team.slug: Option<String>\n", "")
            .replace("field Team.name: String (required)", "field Team.name: Option<String>")
            .replace(
                "value Status.Done: \"done\"\n",
                "value Status.Done: \"done\"\nvalue Status.Failed: \"failed\"\nfield Team.size: Option<i64>\n",
            );
        let changes = compare(OLD, &new);
        assert_eq!(
            lines(&changes),
            [
                "breaking  ~ field Team.name: String (required) -> Option<String>",
                "breaking  - field Team.slug: Option<String>",
                "additive  + field Team.size: Option<i64>",
                "additive  + value Status.Failed: \"failed\"",
            ]
        );
        assert_eq!(Bump::of(&changes, 0), Bump::Major);
    }

    #[test]
    fn a_required_field_breaks_only_where_callers_build_the_struct() {
        let old = format!("{OLD}type Team: struct\n");
        let new = format!("{old}field Body.name: String (required)\nfield Team.id: i64 (required)\ntype Fresh: struct\nfield Fresh.id: i64 (required)\n");
        let changes = compare(&old, &new);
        assert_eq!(changes[0].severity, Severity::Breaking);
        assert!(changes[0].text.contains("Body.name") && changes[0].note.as_deref().unwrap().contains("Body::new"));
        // A new required field of a type callers never build: compiles, but older servers
        // do not send it; on a type that is new itself, there is nothing older to decode.
        assert_eq!((changes[1].severity, changes[1].note.is_none()), (Severity::Additive, true), "{}", changes[1]);
        assert_eq!(changes[2].severity, Severity::Additive);
        assert!(changes[2].note.as_deref().unwrap().contains("no longer decode"), "{}", changes[2]);
    }

    #[test]
    fn a_changed_api_version_is_a_change_of_behavior() {
        let old = format!("{OLD}api-version: 2022-11-28\n");
        let new = old.replace("api-version: 2022-11-28", "api-version: 2026-03-10");
        let changes = compare(&old, &new);
        assert_eq!(changes.len(), 1, "{changes:?}");
        assert_eq!(changes[0].severity, Severity::Behavior);
        assert_eq!(changes[0].text, "~ api-version: 2022-11-28 -> 2026-03-10");
        assert!(changes[0].note.as_deref().unwrap_or_default().contains("another API version"));
    }

    #[test]
    fn a_changed_server_template_is_breaking() {
        let new = OLD.replace("server: https://{hostname}/api/v3", "server: https://api.github.com");
        let changes = compare(OLD, &new);
        assert_eq!(changes.len(), 1);
        assert_eq!(changes[0].severity, Severity::Breaking);
        assert!(changes[0].text.starts_with("~ server: https://{hostname}/api/v3 -> https://api.github.com"));
    }

    #[test]
    fn bumps_follow_cargo_semver() {
        let cases = [
            (Bump::Major, "0.1.0", "0.2.0"),
            (Bump::Minor, "0.1.0", "0.1.1"),
            (Bump::Patch, "0.1.3", "0.1.4"),
            (Bump::Major, "1.4.2", "2.0.0"),
            (Bump::Minor, "1.4.2", "1.5.0"),
            (Bump::Patch, "1.4.2", "1.4.3"),
            (Bump::None, "1.4.2", "1.4.2"),
        ];
        for (bump, from, to) in cases {
            assert_eq!(bump.apply(from).as_deref(), Some(to), "{bump:?} from {from}");
        }
        assert_eq!(Bump::Major.apply("1.0.0-beta"), None);
        assert_eq!(Bump::Major.apply(&format!("{}.0.0", u64::MAX)), None);
    }

    #[test]
    fn line_changes_split_docs_from_code_and_ignore_moves() {
        let old = "/// One.\nfn a() {}\n/// Two.\nfn b() {}\n";
        let moved = "/// Two.\nfn b() {}\n/// One.\nfn a() {}\n";
        assert_eq!(line_changes(old, moved), (0, 0));
        let edited = "/// One, edited.\nfn a() {}\n/// Two.\nfn b() { c() }\n";
        assert_eq!(line_changes(old, edited), (1, 1));
    }

    #[test]
    fn control_characters_cannot_forge_lines() {
        assert_eq!(escape("a\nfield X.y: i64\u{202e}"), "a\\u{a}field X.y: i64\\u{202e}");
    }
}
