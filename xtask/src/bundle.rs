//! Descriptions split across files: every `$ref` to another file (`schemas/Pet.yaml`,
//! `../common.yaml#/schemas/Error`) is resolved from the directory of the file that holds
//! it, and the document is bundled into one value the generator reads. The generator
//! itself stays pure; only this module reads files.
//!
//! A schema from another file becomes a component schema named after its fragment or
//! file (`Pet`), so it keeps a name of its own; a parameter, response, request body,
//! header or example becomes a component of its kind; anything else (a path item, an
//! operation) is copied in place. Every copied node is recorded with the file and
//! pointer it came from, so the generator's pointers can be traced back to a file
//! ([`Bundle::locate`]).

use anyhow::{bail, Context, Result};
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::fs;
use std::path::{Component, Path, PathBuf};

/// A document and the files it was bundled from.
#[derive(Debug, Clone)]
pub struct Bundle {
    /// The root file.
    pub root: PathBuf,
    /// The root file's text, unchanged when it references no other file.
    pub text: String,
    /// The document, parsed, while nothing has taken it yet (`None` when the text does
    /// not parse: the generator reports why).
    value: Option<Value>,
    /// The other files read, sorted.
    pub files: Vec<PathBuf>,
    /// For each node copied from another file, its pointer in the bundle and where it
    /// came from (`schemas/Pet.yaml#/properties`).
    origins: BTreeMap<String, String>,
}

impl Bundle {
    /// Whether the description spans more than one file.
    pub fn is_multi_file(&self) -> bool {
        !self.files.is_empty()
    }

    /// Total size in bytes of every file read.
    pub fn bytes(&self) -> Result<u64> {
        let mut total = fs::metadata(&self.root)?.len();
        for file in &self.files {
            total += fs::metadata(file)?.len();
        }
        Ok(total)
    }

    /// The file and pointer a pointer of the bundle stands for: `schemas/Pet.yaml#/properties/id`
    /// for a node copied from `schemas/Pet.yaml`, `openapi.yaml#/paths/...` for one of the
    /// root file of a multi-file description, the pointer itself otherwise.
    pub fn locate(&self, pointer: &str) -> String {
        if self.is_multi_file() {
            locate(&self.origins, &file_name(&self.root), pointer)
        } else {
            pointer.to_owned()
        }
    }

    /// A generator error with its pointer traced back to its file.
    pub fn explain(&self, error: &generator::Error) -> String {
        let text = error.to_string();
        match error.pointer() {
            Some(pointer) if self.is_multi_file() => match text.strip_prefix(pointer) {
                Some(rest) => format!("{}{rest}", self.locate(pointer)),
                None => text,
            },
            _ => text,
        }
    }

    /// A warning with its pointer traced back to its file.
    pub fn relocate(&self, mut warning: generator::Warning) -> generator::Warning {
        warning.pointer = self.locate(&warning.pointer);
        warning
    }

    /// Runs the generator on the bundled document, parsed once: the first call takes the
    /// value read here, a later one parses the text again.
    pub fn generate(&mut self, overrides: &str, options: &generator::Options) -> Result<generator::Output, generator::Error> {
        match self.value.take() {
            Some(value) => generator::generate_value(value, &generator::Overrides::parse(overrides)?, options),
            None => generator::generate(&self.text, overrides, options),
        }
    }
}

/// `pointer` of the bundle as the file and pointer it came from.
fn locate(origins: &BTreeMap<String, String>, root_name: &str, pointer: &str) -> String {
    let found = origins
        .range(..=pointer.to_owned())
        .rev()
        .find(|(prefix, _)| pointer == prefix.as_str() || pointer.starts_with(&format!("{prefix}/")));
    match found {
        Some((prefix, origin)) => format!("{origin}{}", &pointer[prefix.len()..]),
        None => format!("{root_name}{pointer}"),
    }
}

fn file_name(path: &Path) -> String {
    path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
}

/// Reads `path` and, when it references other files, bundles them in.
pub fn read(path: &Path) -> Result<Bundle> {
    let text = fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let mut value = match generator::load::parse_text(&text) {
        Ok(value) => value,
        // Let the generator report what is wrong with the text, in its own words.
        Err(_) => return Ok(Bundle { root: path.to_owned(), text, value: None, files: Vec::new(), origins: BTreeMap::new() }),
    };
    if !has_external_ref(&value) {
        return Ok(Bundle { root: path.to_owned(), text, value: Some(value), files: Vec::new(), origins: BTreeMap::new() });
    }
    let root = normalize(path);
    let mut bundler = Bundler { base: root.parent().map(Path::to_owned).unwrap_or_default(), files: BTreeMap::new(), placed: BTreeMap::new(), origins: BTreeMap::new() };
    bundler.files.insert(root.clone(), value.clone());
    bundler.walk(&mut value, &root)?;
    let files = bundler.files.keys().filter(|f| **f != root).cloned().collect();
    let text = serde_json::to_string(&value).context("writing the bundled description")?;
    Ok(Bundle { root, text, value: Some(value), files, origins: bundler.origins })
}

fn has_external_ref(value: &Value) -> bool {
    let mut stack = vec![value];
    while let Some(node) = stack.pop() {
        match node {
            Value::Object(map) => {
                if let Some(Value::String(r)) = map.get("$ref") {
                    // `""` is the document itself, as `#` is.
                    if !r.starts_with('#') && !r.is_empty() {
                        return true;
                    }
                }
                stack.extend(map.values());
            }
            Value::Array(items) => stack.extend(items),
            _ => {}
        }
    }
    false
}

struct Bundler {
    /// The root file's directory, for the names of files in messages.
    base: PathBuf,
    /// Every file read, parsed.
    files: BTreeMap<PathBuf, Value>,
    /// `file#fragment` -> the internal reference that now stands for it.
    placed: BTreeMap<String, String>,
    /// The pointer of each copied node in the bundle -> `file#fragment`.
    origins: BTreeMap<String, String>,
}

impl Bundler {
    fn display(&self, file: &Path) -> String {
        file.strip_prefix(&self.base).unwrap_or(file).to_string_lossy().replace('\\', "/")
    }

    /// Resolves every reference to another file, walking the bundle from its root; nodes
    /// copied in are walked in turn, their references read from their own file.
    fn walk(&mut self, value: &mut Value, root: &Path) -> Result<()> {
        let mut stack: Vec<(Vec<String>, PathBuf)> = vec![(Vec::new(), root.to_owned())];
        while let Some((path, file)) = stack.pop() {
            let pointer = generator::document::pointer(&path);
            let Some(node) = value.pointer_mut(&pointer[1..]) else { continue };
            let reference = node.get("$ref").and_then(Value::as_str).map(str::to_owned);
            if let Some(reference) = reference {
                if file != root || !(reference.starts_with('#') || reference.is_empty()) {
                    self.resolve(value, &path, &file, root, &reference, &mut stack)?;
                    continue;
                }
            }
            let Some(node) = value.pointer(&pointer[1..]) else { continue };
            for child in generator::document::child_tokens(node).into_iter().rev() {
                let mut child_path = path.clone();
                child_path.push(child);
                stack.push((child_path, file.clone()));
            }
        }
        Ok(())
    }

    /// Puts what `reference` (found at `path`, in `file`) names into the bundle, and queues
    /// what was copied to be walked in its own file's terms.
    fn resolve(&mut self, value: &mut Value, path: &[String], file: &Path, root: &Path, reference: &str, stack: &mut Vec<(Vec<String>, PathBuf)>) -> Result<()> {
        let pointer = generator::document::pointer(path);
        let here = locate(&self.origins, &self.display(root), &pointer);
        let at = || here.clone();
        let (file_part, fragment) = reference.split_once('#').unwrap_or((reference, ""));
        if file_part.contains("://") || file_part.starts_with("//") {
            bail!("{}: $ref \"{reference}\": references to other hosts are not supported; download the file and refer to it by a relative path", at());
        }
        let target_file = if file_part.is_empty() { file.to_owned() } else { normalize(&file.parent().unwrap_or(Path::new("")).join(file_part)) };
        let fragment = if fragment.is_empty() { String::new() } else if fragment.starts_with('/') { fragment.to_owned() } else {
            bail!("{}: $ref \"{reference}\": only JSON pointer fragments (`#/...`) are supported", at())
        };
        let key = format!("{}#{fragment}", self.display(&target_file));
        let set_ref = |value: &mut Value, target: &str| {
            if let Some(node) = value.pointer_mut(&pointer[1..]) {
                *node = serde_json::json!({ "$ref": target });
            }
        };
        if let Some(placed) = self.placed.get(&key) {
            set_ref(value, &placed.clone());
            return Ok(());
        }
        if target_file == root {
            set_ref(value, &format!("#{fragment}"));
            return Ok(());
        }
        if !self.files.contains_key(&target_file) {
            let text = fs::read_to_string(&target_file).with_context(|| format!("{}: $ref \"{reference}\": reading {}", at(), self.display(&target_file)))?;
            let parsed = generator::load::parse_text(&text).map_err(|e| anyhow::anyhow!("{}: {e}", self.display(&target_file)))?;
            self.files.insert(target_file.clone(), parsed);
        }
        let target = self.files.get(&target_file).and_then(|v| v.pointer(&fragment)).cloned();
        let Some(target) = target else {
            bail!("{}: $ref \"{reference}\" does not resolve: {} has no node at #{fragment}", at(), self.display(&target_file));
        };
        let section = generator::refs::section_of(path);
        let in_place = path.len() == 3 && path[0] == "components" && section.is_some_and(|s| s == path[1]);
        let destination: Vec<String> = match section {
            Some(section) if !in_place => {
                let stem = fragment.rsplit('/').next().filter(|s| !s.is_empty()).map(|token| generator::document::unescape(token).into_owned()).unwrap_or_else(|| {
                    target_file.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "Schema".into())
                });
                let taken = |name: &str| value.pointer(&format!("/components/{section}/{}", generator::document::escape(name))).is_some();
                let name = if taken(&stem) { (2..).map(|n| format!("{stem}{n}")).find(|n| !taken(n)).unwrap_or_default() } else { stem };
                let components = value.as_object_mut().context("the document is not a mapping")?.entry("components").or_insert_with(|| Value::Object(Map::new()));
                let Some(components) = components.as_object_mut() else { bail!("{}#/components is not a mapping", file_name(root)) };
                let entries = components.entry(section).or_insert_with(|| Value::Object(Map::new()));
                let Some(entries) = entries.as_object_mut() else { bail!("{}#/components/{section} is not a mapping", file_name(root)) };
                entries.insert(name.clone(), target);
                set_ref(value, &format!("#/components/{section}/{}", generator::document::escape(&name)));
                vec!["components".into(), section.into(), name]
            }
            _ => {
                if let Some(node) = value.pointer_mut(&pointer[1..]) {
                    *node = target;
                }
                path.to_vec()
            }
        };
        let placed = generator::document::pointer(&destination);
        self.placed.insert(key.clone(), placed.clone());
        self.origins.insert(placed, key);
        stack.push((destination, target_file));
        Ok(())
    }
}

/// `a/./b/../c` -> `a/c`, without touching the file system.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_normalize_without_the_file_system() {
        assert_eq!(normalize(Path::new("a/./b/../c.yaml")), PathBuf::from("a/c.yaml"));
        assert_eq!(normalize(Path::new("../x/../y.yaml")), PathBuf::from("../y.yaml"));
    }

    #[test]
    fn pointers_are_traced_to_the_longest_copied_prefix() {
        let origins: BTreeMap<String, String> = [
            ("#/paths/~1a", "paths/a.yaml#"),
            ("#/paths/~1a/get/responses/200", "responses.yaml#/Ok"),
            ("#/paths/~1ab", "paths/ab.yaml#"),
        ]
        .into_iter()
        .map(|(a, b)| (a.to_owned(), b.to_owned()))
        .collect();
        let at = |p: &str| locate(&origins, "openapi.yaml", p);
        assert_eq!(at("#/paths/~1a/get"), "paths/a.yaml#/get");
        assert_eq!(at("#/paths/~1a/get/responses/200/content"), "responses.yaml#/Ok/content");
        assert_eq!(at("#/paths/~1ab/get"), "paths/ab.yaml#/get");
        assert_eq!(at("#/paths/~1b"), "openapi.yaml#/paths/~1b");
        assert_eq!(at("#/paths/~1a"), "paths/a.yaml#");
    }
}
