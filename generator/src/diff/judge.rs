//! Two wire summaries (`wire`) compared line by line: each fact that appears, disappears
//! or changes is one [`Change`], labelled by what it means for code that worked against
//! the old description.
//!
//! Whether a change can fail a request or a decoding depends on the direction the schema
//! travels in: a tighter `maxLength` refuses requests that passed, but narrows nothing a
//! decoder reads; a new enum value is harmless in a request and fails a strict decoder in
//! a response. Parameters and request bodies travel to the server, responses back; a
//! component schema travels wherever the operations that reach it (through `$ref`s,
//! variants and discriminator mappings, in either summary) take it, and is judged for
//! both when it goes both ways.

use super::wire::CONSTRAINTS;
use crate::emit::public_api::{Change, Severity};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

/// Sent to the server.
const REQUEST: u8 = 1;
/// Sent back by it.
const RESPONSE: u8 = 2;

/// The items of a summary, keyed by everything before the first `: `.
fn items(summary: &str) -> BTreeMap<&str, &str> {
    summary
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .map(|l| l.split_once(": ").unwrap_or((l, "")))
        .collect()
}

/// A key split into its base (the words that name the operation, parameter, body,
/// response or component), the path of a schema node below it, and what the line says.
struct Key<'a> {
    kind: &'a str,
    base: Vec<&'a str>,
    path: &'a str,
    attr: Option<&'a str>,
    arg: Option<&'a str>,
}

fn parse(key: &str) -> Key<'_> {
    let words: Vec<&str> = key.split(' ').collect();
    let kind = words[0];
    let base_len = match kind {
        "operation" | "security" => 3,
        "scheme" | "schema" => 2,
        "param" => 5,
        "request" => words.len().min(4),
        "response" if words.get(4) == Some(&"header") => 6,
        "response" => words.len().min(5),
        _ => words.len(),
    };
    let base_len = base_len.min(words.len());
    let mut rest = words[base_len..].iter().copied();
    let mut next = rest.next();
    let path = match next {
        Some(w) if w.starts_with(['.', '[', '#']) => {
            next = rest.next();
            w
        }
        _ => "",
    };
    Key { kind, base: words[..base_len].to_vec(), path, attr: next, arg: rest.next() }
}

/// The operation (`GET /path`), component (`schema NAME`) or `security schemes` a key
/// is about.
fn subject(key: &Key<'_>) -> String {
    match key.kind {
        "scheme" => "security schemes".to_owned(),
        "schema" => key.base.join(" "),
        _ => key.base.get(1..3).map(|w| w.join(" ")).unwrap_or_default(),
    }
}

/// The directions each component schema travels in, from the references of both summaries.
fn directions<'a>(maps: [&BTreeMap<&'a str, &'a str>; 2]) -> HashMap<&'a str, u8> {
    let mut edges: HashMap<&str, Vec<&str>> = HashMap::new();
    let mut roots: [Vec<&str>; 2] = [Vec::new(), Vec::new()];
    for map in maps {
        for (key, value) in map {
            let k = parse(key);
            let to = match (k.attr, k.arg) {
                (Some("ref" | "mapping"), _) => *value,
                (Some("oneOf" | "anyOf" | "allOf"), Some(arg)) if !arg.starts_with('#') => arg,
                _ => continue,
            };
            match k.kind {
                "param" | "request" => roots[0].push(to),
                "response" => roots[1].push(to),
                "schema" => edges.entry(k.base[1]).or_default().push(to),
                _ => {}
            }
        }
    }
    let mut out: HashMap<&str, u8> = HashMap::new();
    for (bit, starts) in [REQUEST, RESPONSE].into_iter().zip(roots) {
        let mut seen: HashSet<&str> = HashSet::new();
        let mut stack = starts;
        while let Some(name) = stack.pop() {
            if seen.insert(name) {
                *out.entry(name).or_insert(0) |= bit;
                stack.extend(edges.get(name).into_iter().flatten().copied());
            }
        }
    }
    out
}

/// The changes from the `old` wire summary to the `new` one, in the order of the keys.
/// A fact below a node that was itself added or removed, or whose type changed, is not
/// listed: its node's line says it.
pub fn compare(old: &str, new: &str) -> Vec<Change> {
    let (old, new) = (items(old), items(new));
    let dirs = directions([&old, &new]);
    let keys: BTreeSet<&str> = old.keys().chain(new.keys()).copied().collect();
    let mut appeared: HashSet<String> = HashSet::new();
    for key in keys.iter().filter(|k| old.contains_key(*k) != new.contains_key(*k)) {
        appeared.insert((*key).to_owned());
        // An inline variant's line stands for the variant's node too.
        let variant = ["oneOf", "anyOf"].iter().find_map(|k| key.rsplit_once(&format!(" {k} #")[..]));
        if let Some((node, index)) = variant {
            let glue = if parse(node).path.is_empty() { " " } else { "" };
            appeared.insert(format!("{node}{glue}#{index}"));
        }
    }
    // A node that only became nullable or not keeps its fields.
    let retyped: HashSet<String> = keys
        .iter()
        .filter(|k| {
            k.ends_with(" type") && matches!((old.get(*k), new.get(*k)), (Some(a), Some(b)) if bare(a) != bare(b))
        })
        .map(|k| (*k).to_owned())
        .collect();
    let mut changes = Vec::new();
    for key in keys {
        let (before, after) = (old.get(key).copied(), new.get(key).copied());
        if before == after || below_changed(key, &appeared, &retyped) {
            continue;
        }
        let parsed = parse(key);
        let operation = parsed.base.get(1..3).map(|w| format!("operation {}", w.join(" ")));
        if matches!(parsed.kind, "param" | "request" | "response" | "security")
            && operation.is_some_and(|o| appeared.contains(&o))
        {
            continue;
        }
        let dir = match parsed.kind {
            "param" | "request" => REQUEST,
            "response" => RESPONSE,
            "schema" => dirs.get(parsed.base[1]).copied().unwrap_or(REQUEST | RESPONSE),
            _ => 0,
        };
        let Some((severity, note)) = judge(&parsed, before, after, dir) else { continue };
        let text = match (before, after) {
            (Some(b), Some(a)) => format!("~ {key}: {b} -> {a}"),
            (None, Some(a)) => format!("+ {}", show(key, a)),
            (Some(b), None) => format!("- {}", show(key, b)),
            (None, None) => continue,
        };
        changes.push(Change { severity, subject: subject(&parsed), text, note: note.map(str::to_owned) });
    }
    changes
}

fn show(key: &str, value: &str) -> String {
    if value.is_empty() {
        key.to_owned()
    } else {
        format!("{key}: {value}")
    }
}

/// Whether a node above `key` appeared, disappeared or changed its type.
fn below_changed(key: &str, appeared: &HashSet<String>, retyped: &HashSet<String>) -> bool {
    key.char_indices().filter(|(_, c)| matches!(c, ' ' | '.' | '[' | '#')).any(|(i, _)| {
        let above = &key[..i];
        let typed = format!("{above} type");
        appeared.contains(above) || (key != typed && retyped.contains(&typed))
    })
}

/// A type line without its nullability.
fn bare(ty: &str) -> &str {
    ty.trim_end_matches("nullable").trim_end_matches(", ")
}

type Verdict = Option<(Severity, Option<&'static str>)>;

/// The label of one change and, where the line alone does not say it, why.
fn judge(key: &Key<'_>, old: Option<&str>, new: Option<&str>, dir: u8) -> Verdict {
    use Severity::{Additive, Behavior, Breaking};
    let by_dir = |request: (Severity, Option<&'static str>), response: (Severity, Option<&'static str>)| -> Verdict {
        let mut verdicts = Vec::new();
        if dir & REQUEST != 0 {
            verdicts.push(request);
        }
        if dir & RESPONSE != 0 {
            verdicts.push(response);
        }
        verdicts.into_iter().max_by_key(|v| v.0)
    };
    let required = |v: Option<&str>| v == Some("required");
    let added = old.is_none();
    let removed = new.is_none();
    let verdict = match (key.kind, key.attr) {
        (_, Some("available")) if removed => (Additive, Some("now on every release")),
        ("operation" | "param" | "request", Some("available")) if added => {
            (Behavior, Some("not on every release; a client refuses it on the others"))
        }
        ("operation" | "param" | "request", Some("available")) => {
            (Behavior, Some("the releases that have it changed; a client refuses it on the others"))
        }
        (_, Some("available")) => (Additive, Some("not on every release")),
        // The public API reports operations and types that come and go.
        ("operation", _) => return None,
        ("schema", None) if key.path.is_empty() => return None,
        ("security", _) => (Behavior, Some("the credentials a request needs changed")),
        ("scheme", _) if added => (Additive, None),
        ("scheme", _) => (Behavior, Some("a security scheme changed")),
        ("param", None) if key.path.is_empty() && removed => (Breaking, Some("the parameter is gone")),
        ("param", None) if key.path.is_empty() && required(new) => (Breaking, Some("a new required parameter")),
        ("param", None) if key.path.is_empty() => (Additive, None),
        ("param", Some("style")) => (Behavior, Some("the parameter is serialized differently")),
        ("request", None) if key.base.len() == 3 && key.path.is_empty() => match (old, new) {
            (_, None) => (Breaking, Some("the request body is gone")),
            (None, Some("required")) => (Breaking, Some("a new required request body")),
            (Some(_), Some("required")) => (Behavior, Some("the request body became required")),
            _ => (Additive, None),
        },
        ("request", None) if key.path.is_empty() && removed => {
            (Behavior, Some("the server no longer documents this media type"))
        }
        ("request", None) if key.path.is_empty() => (Additive, None),
        ("response", None) if key.base.len() == 6 && key.path.is_empty() => match (old, new) {
            (Some("required"), Some("optional") | None) => {
                (Behavior, Some("a response header code may read can be missing"))
            }
            (Some(_), None) => (Behavior, Some("a response header code may read is gone")),
            _ => (Additive, None),
        },
        ("response", None) if key.path.is_empty() && key.base.len() == 4 && added => {
            (Behavior, Some("a status the old description did not document"))
        }
        ("response", None) if key.path.is_empty() && key.base.len() == 4 => {
            (Behavior, Some("a documented status is no longer returned"))
        }
        ("response", None) if key.path.is_empty() && added => {
            (Behavior, Some("a media type the old description did not document"))
        }
        ("response", None) if key.path.is_empty() => (Additive, None),
        // A field of a schema: whether it is there and required.
        (_, None) => {
            let request = match (old, new) {
                (None, Some("required")) => (Behavior, Some("a new required field: requests without it are refused")),
                (Some(_), None) => (Behavior, Some("the server no longer documents this field")),
                (Some("optional"), Some("required")) => (Behavior, Some("requests without it are refused")),
                _ => (Additive, None),
            };
            let response = match (old, new) {
                (Some("required"), None) => (Behavior, Some("responses lack a field old code requires")),
                (Some("required"), Some("optional")) => {
                    (Behavior, Some("responses may lack a field old code requires"))
                }
                _ => (Additive, None),
            };
            return by_dir(request, response);
        }
        (_, Some("type")) => {
            if old.map(bare) == new.map(bare) && !added && !removed {
                let now_nullable = new.is_some_and(|t| t.ends_with("nullable"));
                let request =
                    if now_nullable { (Additive, None) } else { (Behavior, Some("null is no longer accepted")) };
                let response =
                    if now_nullable { (Behavior, Some("the server may send null")) } else { (Additive, None) };
                return by_dir(request, response);
            }
            // 64 bits is what an integer without a format is generated as already.
            if !added
                && !removed
                && old.map(|t| bare(t).trim_end_matches(" int64")) == new.map(|t| bare(t).trim_end_matches(" int64"))
                && bare(old.unwrap_or_default()).starts_with("integer")
            {
                return Some((Additive, None));
            }
            (Behavior, Some("the schema's type changed"))
        }
        (_, Some("ref" | "allOf" | "discriminator")) => (Behavior, Some("the schema changed")),
        (_, Some("readOnly" | "writeOnly")) => (Behavior, Some("who sends this field changed")),
        (_, Some("deeper")) => (Additive, None),
        (_, Some("enum")) => {
            return by_dir(
                if removed { (Behavior, Some("a value the server accepted")) } else { (Additive, None) },
                if added { (Behavior, Some("a value old code may not decode")) } else { (Additive, None) },
            )
        }
        (_, Some("oneOf" | "anyOf" | "mapping")) => {
            return by_dir(
                if removed { (Behavior, Some("a variant the server accepted")) } else { (Additive, None) },
                if added { (Behavior, Some("a variant old code may not decode")) } else { (Additive, None) },
            )
        }
        (_, Some(attr)) if CONSTRAINTS.contains(&attr) => {
            return by_dir(
                if tightened(attr, old, new) { (Behavior, Some("tightened on a request")) } else { (Additive, None) },
                (Additive, None),
            );
        }
        _ => (Additive, None),
    };
    Some(verdict)
}

/// Whether a constraint now refuses values it accepted.
fn tightened(attr: &str, old: Option<&str>, new: Option<&str>) -> bool {
    let number = |v: Option<&str>| v.and_then(|v| v.parse::<f64>().ok());
    match (old, new) {
        (_, None) => false,
        (None, Some(v)) => v != "false",
        (Some(_), Some(_)) => match attr {
            "maxLength" | "maximum" | "maxItems" | "maxProperties" => number(new) < number(old),
            "minLength" | "minimum" | "minItems" | "minProperties" => number(new) > number(old),
            "exclusiveMaximum" | "exclusiveMinimum" | "uniqueItems" => new == Some("true"),
            _ => true,
        },
    }
}
