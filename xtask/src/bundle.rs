//! Descriptions split across files: every `$ref` to another file (`schemas/Pet.yaml`,
//! `../common.yaml#/schemas/Error`) is resolved from the folder of the file that holds
//! it, and the document is bundled into one value the generator reads. The generator
//! itself stays pure; only this module reads files.
//!
//! **Where a `$ref` is a reference.** The document is walked by its structure (paths,
//! path items, operations, parameters, bodies, responses, callbacks, components, the
//! schema keywords that hold schemas), never through data: example values, `default`,
//! `enum`, `const` and `x-` extensions are copied as written, a `$ref` in them included.
//! The rule is the generator's own ([`generator::document::Kind`]), so what is bundled as
//! a reference is what the generator then reads as one.
//! Where 3.0 allows a Reference Object or a schema reference, a reference to another file
//! becomes a component of its kind (a schema named after its fragment or file, `Pet`;
//! a parameter, response, body, header, example, link or security scheme); in the other
//! places of the structure where real descriptions write one (a path item, an operation,
//! a `properties` map, a `description`), the node is copied in place. A reference to a
//! node inside a node that is already placed (`a.yaml#/Pet/properties/id`, where
//! `a.yaml#/Pet` is a component) points into that copy.
//!
//! **What is read.** Only regular files below the root folder (the root description's
//! folder, or the one `--root` names), after links and `..` are resolved: absolute paths,
//! `../` past the root and links that lead out are refused by the reference's place,
//! before anything is read. Each file is read once, keyed by its resolved path, with a
//! size bound per file ([`crate::files::read_text`]) and over all files
//! ([`MAX_TOTAL_BYTES`]); a file that is not YAML or JSON is named with the position of
//! the error, never quoted. Copies in place are bounded too ([`MAX_COPIED_NODES`]).
//!
//! **Cost.** Each referenced node is walked once for each kind it is referenced as (a
//! node inside another referenced node once more for each enclosing one, which the
//! parsers' depth limit bounds), each reference is resolved through hash maps, pointers
//! are traced by prefix lookups, and each component name is found from a counter per
//! name: bundling is linear in the size of the files and the number of references.
//!
//! Every copied node is recorded with the file and pointer it came from, so the
//! generator's pointers can be traced back to a file ([`Bundle::locate`]).

use anyhow::{bail, Context, Result};
use generator::document::{decode, pointer, resolve_tokens, Kind, Node};
use serde_json::{Map, Value};
use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::fs;
use std::path::{Component, Path, PathBuf};

/// The most bytes all the files of one description may hold together.
pub const MAX_TOTAL_BYTES: u64 = 256 * 1024 * 1024;

/// How many JSON nodes second and later copies of the same node in place may add: a node
/// copied in place that holds two references to one copied in place, each level doubling
/// the last, would otherwise grow without bound.
pub const MAX_COPIED_NODES: usize = 500_000;

/// A document and the files it was bundled from.
#[derive(Debug, Clone)]
pub struct Bundle {
    /// The root file.
    pub root: PathBuf,
    /// The root file's text, unchanged when it references no other file (until
    /// [`Bundle::generate`] takes it).
    pub text: String,
    /// The document, parsed, while nothing has taken it yet (`None` when the text does
    /// not parse: the generator reports why).
    value: Option<Value>,
    /// The other files read, each once, by resolved path, sorted.
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

    /// The bundled document, as the generator will read it (`None` when the root text does
    /// not parse).
    #[cfg(test)]
    pub fn value(&self) -> Option<&Value> {
        self.value.as_ref()
    }

    /// Runs the generator on the bundled document, parsed once. A bundle generates once:
    /// this takes the value read here and the text, which is freed before the generator
    /// starts (GitHub's description is 11 MB of text that nothing reads again). When the
    /// text did not parse, the generator is given the text and says what is wrong with it.
    pub fn generate(
        &mut self,
        overrides: &str,
        options: &generator::Options,
    ) -> Result<generator::Output, generator::Error> {
        let text = std::mem::take(&mut self.text);
        match self.value.take() {
            Some(value) => {
                drop(text);
                generator::generate_value(value, &generator::Overrides::parse(overrides)?, options)
            }
            None => generator::generate(&text, overrides, options),
        }
    }
}

impl Bundle {
    /// The summaries `cargo xtask diff` compares (`generator::diff::describe`), from the
    /// document parsed once, like [`Bundle::generate`]; an error names its file.
    pub fn describe(&mut self, overrides: &generator::Overrides, command: &str) -> Result<generator::diff::Summaries> {
        let value = match self.value.take() {
            Some(value) => value,
            None => generator::parse_text(&self.text).map_err(|e| anyhow::anyhow!("{}", self.explain(&e)))?,
        };
        let (summaries, _warnings) = generator::diff::describe(value, overrides, command)
            .map_err(|e| anyhow::anyhow!("{}", self.explain(&e)))?;
        Ok(summaries)
    }
}

/// `pointer` of the bundle as the file and pointer it came from: the longest prefix of it
/// (whole tokens) that was copied from a file, looked up shortest-suffix first.
fn locate(origins: &BTreeMap<String, String>, root_name: &str, pointer: &str) -> String {
    let mut end = pointer.len();
    loop {
        if let Some(origin) = origins.get(&pointer[..end]) {
            return format!("{origin}{}", &pointer[end..]);
        }
        match pointer[..end].rfind('/') {
            Some(slash) => end = slash,
            None => return format!("{root_name}{pointer}"),
        }
    }
}

fn file_name(path: &Path) -> String {
    path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
}

/// Reads the description at `path` and, when it references other files, bundles them in.
/// Files are read only below `root` (default: the description's own folder).
pub fn read(path: &Path, root: Option<&Path>) -> Result<Bundle> {
    // A root folder that is named is checked whether or not it is needed.
    let named_root = match root {
        Some(dir) => {
            let resolved = fs::canonicalize(dir).with_context(|| format!("--root {}", dir.display()))?;
            if !resolved.is_dir() {
                bail!("--root {}: not a folder", dir.display());
            }
            Some(resolved)
        }
        None => None,
    };
    let text = crate::files::read_text(path, crate::files::MAX_DESCRIPTION_BYTES)?;
    let value = match generator::parse_text(&text) {
        Ok(value) => value,
        // Let the generator report what is wrong with the text, in its own words.
        Err(_) => {
            return Ok(Bundle { root: path.to_owned(), text, value: None, files: Vec::new(), origins: BTreeMap::new() })
        }
    };
    if !has_external_ref(&value) {
        return Ok(Bundle {
            root: path.to_owned(),
            text,
            value: Some(value),
            files: Vec::new(),
            origins: BTreeMap::new(),
        });
    }
    let canonical = fs::canonicalize(path).with_context(|| format!("reading {}", path.display()))?;
    let base = canonical.parent().map(Path::to_owned).unwrap_or_default();
    let root_dir = named_root.unwrap_or_else(|| base.clone());
    let mut bundler = Bundler::new(canonical.clone(), base, root_dir, value, text.len() as u64);
    bundler.discover()?;
    bundler.place();
    let (value, origins) = bundler.emit()?;
    let mut files: Vec<PathBuf> = bundler.files.iter().skip(1).map(|f| f.path.clone()).collect();
    files.sort();
    let text = serde_json::to_string(&value).context("writing the bundled description")?;
    Ok(Bundle { root: path.to_owned(), text, value: Some(value), files, origins })
}

/// Whether a `discriminator.mapping` value names a schema by reference (`#/...`,
/// `Dog.yaml`, `models/dog.yml#/Dog`) rather than by its component name (`Dog`).
fn is_mapping_reference(value: &str) -> bool {
    value.starts_with('#')
        || value.contains(['/', '#'])
        || [".yaml", ".yml", ".json"].iter().any(|ext| value.ends_with(ext))
}

/// A reference the structural walk found.
struct Found<'a> {
    /// Keys from the walk's start to the node holding the reference (for a
    /// `discriminator.mapping` value: to the discriminator).
    path: &'a [String],
    reference: &'a str,
    /// What the reference stands for where it sits.
    kind: Kind,
    /// The `discriminator.mapping` key, for a mapping value.
    mapping: Option<&'a str>,
}

/// Walks `start` (a node of `kind`) by its structure and calls `visit` for each reference,
/// in document order, until it returns `false`. Nothing below a reference is walked.
fn walk_references(start: &Value, kind: Kind, mut visit: impl FnMut(Found<'_>) -> bool) {
    let mut path: Vec<String> = Vec::new();
    // Each entry: a node, its depth, its key (none for the start) and kind.
    let mut todo: Vec<(&Value, usize, Cow<'_, str>, Kind)> = vec![(start, 0, Cow::Borrowed(""), kind)];
    while let Some((node, depth, token, kind)) = todo.pop() {
        if depth > 0 {
            path.truncate(depth - 1);
            path.push(token.into_owned());
        }
        match node {
            Value::Object(map) => {
                if let Some(reference) = kind.reference(map) {
                    if !visit(Found { path: &path, reference, kind, mapping: None }) {
                        return;
                    }
                    continue;
                }
                if kind == Kind::One(Node::Discriminator) {
                    if let Some(Value::Object(mapping)) = map.get("mapping") {
                        for (key, value) in mapping {
                            let Value::String(reference) = value else { continue };
                            if is_mapping_reference(reference)
                                && !visit(Found {
                                    path: &path,
                                    reference,
                                    kind: Kind::One(Node::Schema),
                                    mapping: Some(key),
                                })
                            {
                                return;
                            }
                        }
                    }
                    continue;
                }
                for (key, child) in map.iter().rev() {
                    if let (Some(child_kind), true) =
                        (kind.child(key), matches!(child, Value::Object(_) | Value::Array(_)))
                    {
                        todo.push((child, depth + 1, Cow::Borrowed(key.as_str()), child_kind));
                    }
                }
            }
            Value::Array(items) => {
                if let Kind::List(item) = kind {
                    for (i, child) in items.iter().enumerate().rev() {
                        if matches!(child, Value::Object(_)) {
                            todo.push((child, depth + 1, Cow::Owned(i.to_string()), Kind::One(item)));
                        }
                    }
                }
            }
            _ => {}
        }
    }
}

/// Whether the document references another file anywhere its structure allows a reference.
fn has_external_ref(value: &Value) -> bool {
    let mut found = false;
    walk_references(value, Kind::DOCUMENT, |reference| {
        // `""` is the document itself, as `#` is.
        found = !reference.reference.starts_with('#') && !reference.reference.is_empty();
        !found
    });
    found
}

/// Whether the walk from the node at `start` (of `kind`) in `value` reaches the node at
/// `start` + `suffix` as a node of `want`: so a copy of the first holds the second.
fn reaches(value: &Value, start: &[String], kind: Kind, suffix: &[String], want: Kind) -> bool {
    let Some(mut node) = resolve_tokens(value, start) else { return false };
    let mut kind = kind;
    for token in suffix {
        (node, kind) = match node {
            Value::Object(map) => {
                if kind.reference(map).is_some() || kind == Kind::One(Node::Discriminator) {
                    return false;
                }
                match (map.get(token), kind.child(token)) {
                    (Some(child), Some(child_kind)) => (child, child_kind),
                    _ => return false,
                }
            }
            Value::Array(items) => match (kind, token.parse::<usize>().ok().and_then(|i| items.get(i))) {
                (Kind::List(item), Some(child)) => (child, Kind::One(item)),
                _ => return false,
            },
            _ => return false,
        };
    }
    kind == want
}

/// One file read.
struct File {
    /// Resolved: no links, no `..`.
    path: PathBuf,
    value: Value,
    /// Its path from the root description's folder, for messages (`schemas/Pet.yaml`).
    display: String,
}

/// A node of a file as it is referenced: as a node of one kind. The same node referenced
/// as two kinds is two units.
struct Unit {
    file: usize,
    tokens: Vec<String>,
    kind: Kind,
    /// The references of the node, to other units.
    holders: Vec<Holder>,
    place: Place,
}

/// A reference inside a unit, resolved.
struct Holder {
    /// From the unit's node to the node holding the reference (the discriminator, for a
    /// mapping value).
    path: Vec<String>,
    /// The `discriminator.mapping` key, for a mapping value.
    mapping: Option<String>,
    target: usize,
}

/// Where a unit ends up in the bundle.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Place {
    /// Not decided yet.
    Open,
    /// The root document itself.
    Root,
    /// At a component entry of the root file that references it
    /// (`components: {schemas: {Pet: {$ref: Pet.yaml}}}`).
    Claimed(Vec<String>),
    /// A new component entry.
    Component(&'static str, String),
    /// Inside the copy of another unit.
    Nested(usize, Vec<String>),
    /// Copied where each reference to it sits.
    Copied,
}

/// What bundling one description has found so far.
struct Bundler {
    /// The root description's folder, for the names of files in messages.
    base: PathBuf,
    /// Files are read only below this folder.
    root_dir: PathBuf,
    /// Every file read, parsed; the root description first.
    files: Vec<File>,
    /// A file's index by the path a reference named (joined to its folder) and by its
    /// resolved path.
    by_path: HashMap<PathBuf, usize>,
    /// Bytes of all files read, against [`MAX_TOTAL_BYTES`].
    bytes: u64,
    units: Vec<Unit>,
    /// A unit's index by file, pointer and kind.
    by_key: HashMap<(usize, String, Kind), usize>,
}

impl Bundler {
    fn new(root: PathBuf, base: PathBuf, root_dir: PathBuf, value: Value, bytes: u64) -> Bundler {
        let display = file_name(&root);
        let mut by_path = HashMap::new();
        by_path.insert(root.clone(), 0);
        let root_unit =
            Unit { file: 0, tokens: Vec::new(), kind: Kind::DOCUMENT, holders: Vec::new(), place: Place::Root };
        let mut by_key = HashMap::new();
        by_key.insert((0, String::from("#"), root_unit.kind), 0);
        Bundler {
            base,
            root_dir,
            files: vec![File { path: root, value, display }],
            by_path,
            bytes,
            units: vec![root_unit],
            by_key,
        }
    }

    /// `path` from the root description's folder, `/`-separated, with `..` where it is not
    /// below it.
    fn show(&self, path: &Path) -> String {
        let base: Vec<Component> = self.base.components().collect();
        let parts: Vec<Component> = path.components().collect();
        let common = base.iter().zip(&parts).take_while(|(a, b)| a == b).count();
        let mut out: Vec<String> = vec!["..".to_owned(); base.len() - common];
        out.extend(parts[common..].iter().map(|c| c.as_os_str().to_string_lossy().into_owned()));
        out.join("/")
    }

    /// Finds every unit the root reaches, reading each file the first time a reference
    /// names it, and resolves every reference to its unit.
    fn discover(&mut self) -> Result<()> {
        let mut next = 0;
        while next < self.units.len() {
            let unit = &self.units[next];
            let file = &self.files[unit.file];
            let Some(node) = resolve_tokens(&file.value, &unit.tokens) else {
                next += 1;
                continue;
            };
            // (path, reference, kind, mapping key), gathered first: resolving reads files.
            let mut found: Vec<(Vec<String>, String, Kind, Option<String>)> = Vec::new();
            walk_references(node, unit.kind, |r| {
                found.push((r.path.to_vec(), r.reference.to_owned(), r.kind, r.mapping.map(str::to_owned)));
                true
            });
            for (path, reference, kind, mapping) in found {
                if let Some(target) = self.resolve(next, &path, &reference, kind, mapping.as_deref())? {
                    self.units[next].holders.push(Holder { path, mapping, target });
                }
            }
            next += 1;
        }
        Ok(())
    }

    /// The unit `reference` (at `path` below unit `from`'s node) names, made and queued
    /// when new; `None` for a reference of the root file to itself, which stays as written.
    fn resolve(
        &mut self,
        from: usize,
        path: &[String],
        reference: &str,
        kind: Kind,
        mapping: Option<&str>,
    ) -> Result<Option<usize>> {
        let file = self.units[from].file;
        let here = {
            let unit = &self.units[from];
            let mut tokens: Vec<&str> = unit.tokens.iter().chain(path).map(String::as_str).collect();
            if let Some(key) = mapping {
                tokens.extend(["mapping", key]);
            }
            format!("{}{}", self.files[file].display, pointer(tokens))
        };
        let at = || here.clone();
        let (file_part, fragment) = reference.split_once('#').unwrap_or((reference, ""));
        if file_part.is_empty() && file == 0 {
            return Ok(None);
        }
        if file_part.contains("://") || file_part.starts_with("//") {
            bail!("{}: $ref \"{reference}\": references to other hosts are not supported; download the file and refer to it by a relative path", at());
        }
        if Path::new(file_part).has_root() || file_part.starts_with('\\') || file_part.get(1..2) == Some(":") {
            bail!("{}: $ref \"{reference}\": absolute paths are not read; refer to the file by a path relative to the one that names it", at());
        }
        let tokens = if fragment.is_empty() {
            Vec::new()
        } else if fragment.starts_with('/') {
            decode(fragment)
                .with_context(|| format!("{}: $ref \"{reference}\": `#{fragment}` is not a JSON pointer", at()))?
        } else {
            bail!("{}: $ref \"{reference}\": only JSON pointer fragments (`#/...`) are supported", at())
        };
        let target_file = if file_part.is_empty() { file } else { self.open(file, file_part, &here, reference)? };
        let key = (target_file, pointer(&tokens), kind);
        if let Some(&unit) = self.by_key.get(&key) {
            return Ok(Some(unit));
        }
        if resolve_tokens(&self.files[target_file].value, &tokens).is_none() {
            bail!(
                "{}: $ref \"{reference}\" does not resolve: {} has no node at #{fragment}",
                at(),
                self.files[target_file].display
            );
        }
        self.units.push(Unit { file: target_file, tokens, kind, holders: Vec::new(), place: Place::Open });
        self.by_key.insert(key, self.units.len() - 1);
        Ok(Some(self.units.len() - 1))
    }

    /// The index of the file `name` names from the folder of file `from`, read and parsed
    /// the first time; refused when it resolves outside the root folder.
    fn open(&mut self, from: usize, name: &str, at: &str, reference: &str) -> Result<usize> {
        let dir = self.files[from].path.parent().map(Path::to_owned).unwrap_or_default();
        let joined = dir.join(name);
        if let Some(&id) = self.by_path.get(&joined) {
            return Ok(id);
        }
        let outside = |shown: String| {
            anyhow::anyhow!(
                "{}: $ref \"{reference}\": {shown} is outside {}, the folder description files are read from; name another with `--root DIR`",
                at,
                self.root_dir.display()
            )
        };
        // Refused before the file system is asked anything about the path.
        let lexical = normalize(&joined);
        if !lexical.starts_with(&self.root_dir) {
            return Err(outside(self.show(&lexical)));
        }
        let resolved = fs::canonicalize(&joined)
            .with_context(|| format!("{}: $ref \"{reference}\": reading {}", at, self.show(&lexical)))?;
        if !resolved.starts_with(&self.root_dir) {
            return Err(outside(format!("{} (through a link: {})", self.show(&lexical), self.show(&resolved))));
        }
        let id = match self.by_path.get(&resolved) {
            Some(&id) => id,
            None => {
                let display = self.show(&resolved);
                let text = crate::files::read_text(&resolved, crate::files::MAX_DESCRIPTION_BYTES)
                    .with_context(|| format!("{}: $ref \"{reference}\"", at))?;
                self.bytes += text.len() as u64;
                if self.bytes > MAX_TOTAL_BYTES {
                    bail!("{}: $ref \"{reference}\": reading {display} brings the description's files past {MAX_TOTAL_BYTES} bytes together", at);
                }
                let value = generator::parse_text(&text).map_err(|error| {
                    // The position only: the message of a parser may quote the text.
                    let why = match error {
                        generator::Error::Syntax { format, line, column, .. } => {
                            format!("{format} syntax error at line {line}, column {column}")
                        }
                        generator::Error::Empty => "the file is empty".to_owned(),
                        _ => "it does not parse".to_owned(),
                    };
                    anyhow::anyhow!(
                        "{}: $ref \"{reference}\": {display} is not a YAML or JSON description file: {why}",
                        at
                    )
                })?;
                if !matches!(value, Value::Object(_) | Value::Array(_)) {
                    bail!("{}: $ref \"{reference}\": {display} is not a YAML or JSON description file: it holds a single value, not a mapping", at);
                }
                self.files.push(File { path: resolved.clone(), value, display });
                self.by_path.insert(resolved, self.files.len() - 1);
                self.files.len() - 1
            }
        };
        self.by_path.insert(joined, id);
        Ok(id)
    }

    /// Decides where each unit goes: a component entry of the root that names it keeps
    /// it; a unit inside another unit's node that is copied once stays there; a kind that
    /// 3.0 lets be referenced becomes a component, named after its fragment or file and
    /// numbered on a collision; anything else is copied in place.
    fn place(&mut self) {
        let claims: Vec<(usize, Vec<String>)> = self.units[0]
            .holders
            .iter()
            .filter(|h| {
                h.mapping.is_none()
                    && h.path.len() == 3
                    && h.path[0] == "components"
                    && self.units[h.target].kind.section() == Some(h.path[1].as_str())
            })
            .map(|h| (h.target, h.path.clone()))
            .collect();
        for (target, path) in claims {
            if self.units[target].place == Place::Open {
                self.units[target].place = Place::Claimed(path);
            }
        }
        let mut by_node: HashMap<(usize, String), Vec<usize>> = HashMap::new();
        for (i, unit) in self.units.iter().enumerate() {
            by_node.entry((unit.file, pointer(&unit.tokens))).or_default().push(i);
        }
        for i in 1..self.units.len() {
            if self.units[i].place != Place::Open {
                continue;
            }
            if self.units[i].kind.section().is_none() {
                self.units[i].place = Place::Copied;
                continue;
            }
            let unit = &self.units[i];
            let value = &self.files[unit.file].value;
            let enclosing = (0..unit.tokens.len()).rev().find_map(|len| {
                let outer = by_node.get(&(unit.file, pointer(&unit.tokens[..len])))?;
                outer
                    .iter()
                    .copied()
                    .find(|&o| {
                        let other = &self.units[o];
                        (o == 0 || other.kind.section().is_some())
                            && reaches(value, &other.tokens, other.kind, &unit.tokens[len..], unit.kind)
                    })
                    .map(|o| (o, unit.tokens[len..].to_vec()))
            });
            if let Some((outer, suffix)) = enclosing {
                self.units[i].place = Place::Nested(outer, suffix);
            }
        }
        // Names taken: the root's own components, then each new one in turn.
        let mut taken: HashMap<&'static str, HashSet<String>> = HashMap::new();
        let mut counters: HashMap<(&'static str, String), usize> = HashMap::new();
        for i in 1..self.units.len() {
            if self.units[i].place != Place::Open {
                continue;
            }
            let unit = &self.units[i];
            let Some(section) = unit.kind.section() else { continue };
            let names = taken.entry(section).or_insert_with(|| {
                let existing =
                    self.files[0].value.get("components").and_then(|c| c.get(section)).and_then(Value::as_object);
                existing.map(|m| m.keys().cloned().collect()).unwrap_or_default()
            });
            let stem = match unit.tokens.last().filter(|t| !t.is_empty()) {
                Some(token) => token.clone(),
                None => self.files[unit.file]
                    .path
                    .file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_else(|| "Schema".into()),
            };
            let name = if names.contains(&stem) {
                let counter = counters.entry((section, stem.clone())).or_insert(2);
                while names.contains(&format!("{stem}{counter}")) {
                    *counter += 1;
                }
                format!("{stem}{counter}")
            } else {
                stem
            };
            names.insert(name.clone());
            self.units[i].place = Place::Component(section, name);
        }
    }

    /// Where each unit that has one place sits in the bundle (`None` for those copied in
    /// place).
    fn locations(&self) -> Vec<Option<Vec<String>>> {
        let mut locations: Vec<Option<Vec<String>>> = vec![None; self.units.len()];
        for i in 0..self.units.len() {
            // Follow the chain of enclosing units to one with its own place.
            let mut suffixes: Vec<&[String]> = Vec::new();
            let mut at = i;
            let base = loop {
                if let Some(known) = &locations[at] {
                    break Some(known.clone());
                }
                match &self.units[at].place {
                    Place::Nested(outer, suffix) => {
                        suffixes.push(suffix);
                        at = *outer;
                    }
                    Place::Root => break Some(Vec::new()),
                    Place::Claimed(path) => break Some(path.clone()),
                    Place::Component(section, name) => {
                        break Some(vec!["components".to_owned(), (*section).to_owned(), name.clone()])
                    }
                    Place::Copied | Place::Open => break None,
                }
            };
            locations[i] = base.map(|mut location| {
                for suffix in suffixes.iter().rev() {
                    location.extend(suffix.iter().cloned());
                }
                location
            });
        }
        locations
    }

    /// Whether holder `h` of unit `u` is replaced by a copy of its target rather than a
    /// reference: the target is copied in place, or this is the component entry of the
    /// root that keeps it.
    fn copies(&self, u: usize, h: &Holder) -> bool {
        match &self.units[h.target].place {
            Place::Copied => true,
            Place::Claimed(path) if h.mapping.is_none() => {
                let own: &[String] = match &self.units[u].place {
                    Place::Root => &[],
                    Place::Claimed(own) => own,
                    _ => return false,
                };
                own.len() + h.path.len() == path.len() && own.iter().chain(&h.path).eq(path.iter())
            }
            _ => false,
        }
    }

    /// Refuses copies in place that would copy themselves (a path item that references
    /// itself as a path item): one depth-first pass over the units.
    fn check_copy_cycles(&self) -> Result<()> {
        // 0: not seen, 1: on the current path, 2: done.
        let mut state = vec![0u8; self.units.len()];
        for start in 0..self.units.len() {
            if state[start] != 0 {
                continue;
            }
            let mut stack: Vec<(usize, usize)> = vec![(start, 0)];
            state[start] = 1;
            while let Some((u, next)) = stack.pop() {
                let holders = &self.units[u].holders;
                match holders.iter().enumerate().skip(next).find(|(_, h)| self.copies(u, h)) {
                    Some((i, h)) => {
                        stack.push((u, i + 1));
                        match state[h.target] {
                            0 => {
                                state[h.target] = 1;
                                stack.push((h.target, 0));
                            }
                            1 => {
                                let unit = &self.units[u];
                                let at = format!(
                                    "{}{}",
                                    self.files[unit.file].display,
                                    pointer(unit.tokens.iter().chain(&h.path))
                                );
                                let target = &self.units[h.target];
                                bail!(
                                    "{at}: $ref to {}{} copies in place a node that holds this reference; a copy cannot contain itself",
                                    self.files[target.file].display,
                                    pointer(&target.tokens)
                                );
                            }
                            _ => {}
                        }
                    }
                    None => state[u] = 2,
                }
            }
        }
        Ok(())
    }

    /// Builds the bundle: the root document, each reference replaced by a reference to its
    /// target's place or by a copy of it, then each new component.
    fn emit(&self) -> Result<(Value, BTreeMap<String, String>)> {
        self.check_copy_cycles()?;
        let locations = self.locations();
        let mut out = Emit {
            bundle: self.files[0].value.clone(),
            origins: BTreeMap::new(),
            copied: HashSet::new(),
            extra_nodes: 0,
        };
        let mut work: Vec<(Vec<String>, usize)> = Vec::new();
        self.apply(&mut out, 0, &[], &locations, &mut work)?;
        self.drain(&mut out, &locations, &mut work)?;
        for u in 1..self.units.len() {
            let Place::Component(section, name) = &self.units[u].place else { continue };
            let unit = &self.units[u];
            let node = resolve_tokens(&self.files[unit.file].value, &unit.tokens).cloned().unwrap_or(Value::Null);
            let Some(document) = out.bundle.as_object_mut() else {
                bail!("{} is not a mapping", self.files[0].display)
            };
            let components = document.entry("components").or_insert_with(|| Value::Object(Map::new()));
            let Some(components) = components.as_object_mut() else {
                bail!("{}#/components is not a mapping", self.files[0].display)
            };
            let entries = components.entry(*section).or_insert_with(|| Value::Object(Map::new()));
            let Some(entries) = entries.as_object_mut() else {
                bail!("{}#/components/{section} is not a mapping", self.files[0].display)
            };
            if entries.contains_key(name) {
                bail!(
                    "{}{}: component {name} exists already, where the bundle puts {}{}",
                    self.files[0].display,
                    pointer(["components", section, name]),
                    self.files[unit.file].display,
                    pointer(&unit.tokens)
                );
            }
            entries.insert(name.clone(), node);
            let location = vec!["components".to_owned(), (*section).to_owned(), name.clone()];
            out.origins
                .insert(pointer(&location), format!("{}{}", self.files[unit.file].display, pointer(&unit.tokens)));
            self.apply(&mut out, u, &location, &locations, &mut work)?;
            self.drain(&mut out, &locations, &mut work)?;
        }
        Ok((out.bundle, out.origins))
    }

    /// Replaces the references of unit `u`, whose node sits at `at` in the bundle: by a
    /// reference to the target's place, or (queued in `work`) by a copy.
    fn apply(
        &self,
        out: &mut Emit,
        u: usize,
        at: &[String],
        locations: &[Option<Vec<String>>],
        work: &mut Vec<(Vec<String>, usize)>,
    ) -> Result<()> {
        for holder in &self.units[u].holders {
            let mut location = at.to_vec();
            location.extend(holder.path.iter().cloned());
            match &locations[holder.target] {
                Some(target) if !self.copies(u, holder) => {
                    let reference = Value::String(pointer(target));
                    let Some(node) = node_mut(&mut out.bundle, &location) else { continue };
                    match &holder.mapping {
                        Some(key) => {
                            if let Some(slot) = node.get_mut("mapping").and_then(|m| m.get_mut(key)) {
                                *slot = reference;
                            }
                        }
                        None => *node = Value::Object(Map::from_iter([("$ref".to_owned(), reference)])),
                    }
                }
                _ => work.push((location, holder.target)),
            }
        }
        Ok(())
    }

    /// Copies the queued units in place, and theirs in turn.
    fn drain(
        &self,
        out: &mut Emit,
        locations: &[Option<Vec<String>>],
        work: &mut Vec<(Vec<String>, usize)>,
    ) -> Result<()> {
        while let Some((location, u)) = work.pop() {
            let unit = &self.units[u];
            let node = resolve_tokens(&self.files[unit.file].value, &unit.tokens).cloned().unwrap_or(Value::Null);
            if !out.copied.insert(u) {
                out.extra_nodes += generator::document::node_count(&node, MAX_COPIED_NODES);
                if out.extra_nodes > MAX_COPIED_NODES {
                    bail!(
                        "{}{}: copying it in place again would bring what copies add past {MAX_COPIED_NODES} nodes; refusing to grow the description further",
                        self.files[unit.file].display,
                        pointer(&unit.tokens)
                    );
                }
            }
            if let Some(slot) = node_mut(&mut out.bundle, &location) {
                *slot = node;
            }
            out.origins
                .insert(pointer(&location), format!("{}{}", self.files[unit.file].display, pointer(&unit.tokens)));
            self.apply(out, u, &location, locations, work)?;
        }
        Ok(())
    }
}

/// The bundle being built.
struct Emit {
    bundle: Value,
    origins: BTreeMap<String, String>,
    /// Units copied in place at least once.
    copied: HashSet<usize>,
    /// Nodes added by second and later copies in place.
    extra_nodes: usize,
}

/// The node at `tokens` below `value`, to change it.
fn node_mut<'a>(value: &'a mut Value, tokens: &[String]) -> Option<&'a mut Value> {
    tokens.iter().try_fold(value, |node, token| match node {
        Value::Object(map) => map.get_mut(token),
        Value::Array(items) => token.parse::<usize>().ok().and_then(move |i| items.get_mut(i)),
        _ => None,
    })
}

/// `a/./b/../c` -> `a/c`, without touching the file system.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            // `..` of the file system's root is the root itself.
            Component::ParentDir => {
                if !out.pop() && !out.has_root() {
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
        assert_eq!(normalize(Path::new("/a/b/../../../etc/passwd")), PathBuf::from("/etc/passwd"));
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
    /// A fresh folder for one test.
    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("xtask-bundle-{}-{name}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn write(dir: &Path, rel: &str, text: &str) {
        let path = dir.join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }

    const HEAD: &str = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\n";

    /// A description with one operation whose response is `schema` (YAML flow style).
    fn one_operation(schema: &str) -> String {
        format!("{HEAD}paths:\n  /a:\n    get:\n      operationId: a/get\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {schema}\n")
    }

    fn failure(path: &Path, root: Option<&Path>) -> String {
        format!("{:#}", read(path, root).unwrap_err())
    }

    #[test]
    fn references_in_data_are_data() {
        // Single file: a `$ref` in an example value, a default, an enum and an extension
        // names no file; the text is read unchanged and nothing else is opened.
        let dir = scratch("data");
        let data = "{$ref: 'missing.yaml#/x'}";
        let root = format!(
            "{HEAD}x-data: {data}\npaths:\n  /a:\n    x-note: {data}\n    get:\n      operationId: a/get\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {{type: object, default: {data}, enum: [{data}], example: {data}, properties: {{x-ref: {{type: string}}}}}}\n              examples: {{e: {{value: {data}}}}}\ncomponents:\n  examples:\n    e: {{value: {{$ref: 'server-statistics-actions.yaml'}}}}\n"
        );
        write(&dir, "openapi.yaml", &root);
        let bundle = read(&dir.join("openapi.yaml"), None).unwrap();
        assert!(!bundle.is_multi_file() && bundle.text == root);

        // Several files: the same data in a referenced file stays as written, internal
        // pointers included, while its schema references are bundled.
        write(&dir, "multi.yaml", &one_operation("{$ref: 'schemas.yaml#/Pet'}"));
        write(
            &dir,
            "schemas.yaml",
            "Pet:\n  type: object\n  default: {$ref: '#/Tag'}\n  enum: [{$ref: 'missing.yaml'}]\n  example: {$ref: '#/Tag'}\n  x-link: {$ref: 'missing.yaml'}\n  properties:\n    tag: {$ref: '#/Tag'}\nTag: {type: string}\n",
        );
        let bundle = read(&dir.join("multi.yaml"), None).unwrap();
        let pet = &bundle.value().unwrap()["components"]["schemas"]["Pet"];
        assert_eq!(pet["default"]["$ref"], "#/Tag");
        assert_eq!(pet["enum"][0]["$ref"], "missing.yaml");
        assert_eq!(pet["example"]["$ref"], "#/Tag");
        assert_eq!(pet["x-link"]["$ref"], "missing.yaml");
        assert_eq!(pet["properties"]["tag"]["$ref"], "#/components/schemas/Tag");
        assert_eq!(bundle.files, [fs::canonicalize(dir.join("schemas.yaml")).unwrap()]);
        let _ = fs::remove_dir_all(&dir);
    }

    #[cfg(unix)]
    #[test]
    fn files_outside_the_root_folder_are_refused_unread() {
        let dir = scratch("outside");
        write(&dir, "secret.yaml", "type: object\ndescription: hunter2\n");
        let inner = dir.join("api");
        let cases = [
            ("../secret.yaml".to_owned(), "is outside"),
            ("sub/../../secret.yaml".to_owned(), "is outside"),
            (dir.join("secret.yaml").display().to_string(), "absolute paths are not read"),
            ("link.yaml".to_owned(), "through a link"),
        ];
        write(&inner, "x", "");
        std::os::unix::fs::symlink(dir.join("secret.yaml"), inner.join("link.yaml")).unwrap();
        for (reference, why) in cases {
            write(&inner, "openapi.yaml", &one_operation(&format!("{{$ref: '{reference}'}}")));
            let error = failure(&inner.join("openapi.yaml"), None);
            assert!(error.contains(why), "{reference}: {error}");
            assert!(
                error.contains("openapi.yaml#/paths/~1a/get/responses/200/content/application~1json/schema"),
                "{error}"
            );
            assert!(!error.contains("hunter2"), "{error}");
        }
        // A root named for the purpose admits what is below it.
        write(&inner, "openapi.yaml", &one_operation("{$ref: '../secret.yaml'}"));
        let bundle = read(&inner.join("openapi.yaml"), Some(&dir)).unwrap();
        assert_eq!(bundle.value().unwrap()["components"]["schemas"]["secret"]["description"], "hunter2");
        assert!(format!("{:#}", read(&inner.join("openapi.yaml"), Some(&inner)).unwrap_err()).contains("is outside"));
        assert!(format!("{:#}", read(&inner.join("openapi.yaml"), Some(&dir.join("secret.yaml"))).unwrap_err())
            .contains("not a folder"));
        let _ = fs::remove_dir_all(&dir);
    }

    #[cfg(unix)]
    #[test]
    fn devices_and_fifos_are_refused_without_waiting() {
        let dir = scratch("special");
        std::os::unix::fs::symlink("/dev/zero", dir.join("zero.yaml")).unwrap();
        let fifo = std::ffi::CString::new(dir.join("fifo.yaml").as_os_str().as_encoded_bytes()).unwrap();
        assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o600) }, 0);
        write(&dir, "openapi.yaml", &one_operation("{$ref: 'fifo.yaml'}"));
        let error = failure(&dir.join("openapi.yaml"), None);
        assert!(error.contains("a FIFO") && error.contains("openapi.yaml#/paths/~1a"), "{error}");
        write(&dir, "openapi.yaml", &one_operation("{$ref: 'zero.yaml'}"));
        // The link leads out of the folder; with the whole file system as the root, the
        // device is refused for what it is.
        assert!(failure(&dir.join("openapi.yaml"), None).contains("through a link"));
        let error = failure(&dir.join("openapi.yaml"), Some(Path::new("/")));
        assert!(error.contains("a device"), "{error}");
        let _ = fs::remove_dir_all(&dir);
    }

    #[cfg(unix)]
    #[test]
    fn each_file_is_read_once_whatever_path_names_it() {
        // Two links to the folder itself: `a/f0.yaml`, `b/f0.yaml`, `a/b/a/f0.yaml` are one
        // file. Each file refers to the previous one through both links.
        let dir = scratch("links");
        std::os::unix::fs::symlink(".", dir.join("a")).unwrap();
        std::os::unix::fs::symlink(".", dir.join("b")).unwrap();
        write(&dir, "f0.yaml", "type: string\n");
        for i in 1..12 {
            write(
                &dir,
                &format!("f{i}.yaml"),
                &format!(
                    "type: object\nproperties:\n  x: {{$ref: 'a/f{}.yaml'}}\n  y: {{$ref: 'b/a/f{}.yaml'}}\n",
                    i - 1,
                    i - 1
                ),
            );
        }
        write(&dir, "openapi.yaml", &one_operation("{$ref: 'a/b/f11.yaml'}"));
        let bundle = read(&dir.join("openapi.yaml"), None).unwrap();
        assert_eq!(bundle.files.len(), 12, "{:?}", bundle.files);
        let schemas = bundle.value().unwrap()["components"]["schemas"].as_object().unwrap();
        assert_eq!(schemas.len(), 12, "{:?}", schemas.keys().collect::<Vec<_>>());
        assert_eq!(schemas["f5"]["properties"]["x"]["$ref"], "#/components/schemas/f4");
        assert_eq!(schemas["f5"]["properties"]["y"]["$ref"], "#/components/schemas/f4");
        let _ = fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_file_that_is_not_a_description_is_named_not_quoted() {
        let dir = scratch("not-yaml");
        let cases = [
            ("notes.txt", "password: [hunter2\n  token: abc: def\n", "YAML syntax error at line"),
            ("plain.txt", "the password is hunter2\n", "holds a single value"),
            ("empty.yaml", "\n", "the file is empty"),
            ("bad.json", "{\"password\": hunter2}", "JSON syntax error at line 1"),
        ];
        for (file, text, why) in cases {
            write(&dir, file, text);
            write(&dir, "openapi.yaml", &one_operation(&format!("{{$ref: '{file}'}}")));
            let error = failure(&dir.join("openapi.yaml"), None);
            assert!(
                error.contains(&format!("{file} is not a YAML or JSON description file")) && error.contains(why),
                "{error}"
            );
            assert!(!error.contains("hunter2"), "{error}");
        }
        let _ = fs::remove_dir_all(&dir);
    }

    #[test]
    fn references_into_nodes_of_other_files_bundle() {
        // DigitalOcean's shape: a `properties` map by reference, used both inside a schema
        // that becomes a component and in an operation's body; and references into nodes
        // of schemas that are components themselves.
        let dir = scratch("into");
        write(
            &dir,
            "models/attributes.yml",
            "droplet_ids:\n  droplet_ids:\n    type: array\n    items: {type: integer}\nname: {type: string}\n",
        );
        write(
            &dir,
            "models/lb_create.yml",
            "oneOf:\n  - allOf:\n      - type: object\n        properties:\n          $ref: 'attributes.yml#/droplet_ids'\n      - type: object\n        properties:\n          name: {$ref: 'attributes.yml#/name'}\n",
        );
        write(
            &dir,
            "add.yml",
            "operationId: lb/add\nrequestBody:\n  content:\n    application/json:\n      schema:\n        properties:\n          $ref: 'models/attributes.yml#/droplet_ids'\n        required: [droplet_ids]\nresponses:\n  '204': {description: done}\n",
        );
        write(
            &dir,
            "openapi.yaml",
            &format!(
                "{HEAD}paths:\n  /lb:\n    post:\n      operationId: lb/create\n      requestBody:\n        content:\n          application/json:\n            schema: {{$ref: 'models/lb_create.yml'}}\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {{$ref: 'models/lb_create.yml#/oneOf/0/allOf/1'}}\n  /lb/droplets:\n    post:\n      $ref: add.yml\n"
            ),
        );
        let mut bundle = read(&dir.join("openapi.yaml"), None).unwrap();
        let value = bundle.value().unwrap();
        let body = &value["paths"]["/lb/droplets"]["post"]["requestBody"]["content"]["application/json"]["schema"];
        assert_eq!(body["properties"]["droplet_ids"]["type"], "array", "{body}");
        assert_eq!(
            value["components"]["schemas"]["lb_create"]["oneOf"][0]["allOf"][0]["properties"]["droplet_ids"]["type"],
            "array"
        );
        let response = &value["paths"]["/lb"]["post"]["responses"]["200"]["content"]["application/json"]["schema"];
        assert_eq!(response["$ref"], "#/components/schemas/lb_create/oneOf/0/allOf/1");
        let options = generator::Options { crate_name: "t".into(), ..Default::default() };
        let output = bundle.generate("", &options).map_err(|e| bundle.explain(&e)).unwrap();
        assert!(output.files.keys().any(|f| f.ends_with("types.rs")));
        let _ = fs::remove_dir_all(&dir);
    }

    #[test]
    fn discriminator_mappings_name_the_bundled_schemas() {
        // A mapping value is a reference like the `oneOf` member beside it: to another
        // file, or (in another file) to a node of that file.
        let dir = scratch("mapping");
        write(&dir, "pets/pet.yaml", "oneOf: [{$ref: 'dog.yaml'}, {$ref: '#/Cat'}]\ndiscriminator:\n  propertyName: kind\n  mapping: {dog: 'dog.yaml', cat: '#/Cat', bird: Bird}\nCat: {type: object, properties: {kind: {type: string}}}\n");
        write(&dir, "pets/dog.yaml", "type: object\nproperties:\n  kind: {type: string}\n");
        write(&dir, "openapi.yaml", &one_operation("{$ref: 'pets/pet.yaml'}"));
        let bundle = read(&dir.join("openapi.yaml"), None).unwrap();
        let pet = &bundle.value().unwrap()["components"]["schemas"]["pet"];
        assert_eq!(pet["oneOf"][0]["$ref"], "#/components/schemas/dog");
        assert_eq!(
            pet["oneOf"][1]["$ref"], "#/components/schemas/Cat",
            "not a schema keyword of `pet`: a component of its own"
        );
        assert_eq!(pet["discriminator"]["mapping"]["dog"], "#/components/schemas/dog");
        assert_eq!(pet["discriminator"]["mapping"]["cat"], "#/components/schemas/Cat");
        assert_eq!(pet["discriminator"]["mapping"]["bird"], "Bird", "a component name stays");
        let _ = fs::remove_dir_all(&dir);
    }

    #[test]
    fn copies_that_contain_themselves_are_refused() {
        let dir = scratch("cycle");
        write(&dir, "item.yaml", "get:\n  operationId: a/get\n  callbacks:\n    again:\n      '{$request.body#/url}': {$ref: 'item.yaml'}\n  responses:\n    '204': {description: done}\n");
        write(&dir, "openapi.yaml", &format!("{HEAD}paths:\n  /a:\n    $ref: item.yaml\n"));
        let error = failure(&dir.join("openapi.yaml"), None);
        assert!(
            error.contains("item.yaml#/get/callbacks/again/{$request.body#~1url}")
                && error.contains("cannot contain itself"),
            "{error}"
        );
        let _ = fs::remove_dir_all(&dir);
    }

    #[test]
    fn copies_that_double_at_each_level_are_bounded() {
        // Each path item's callbacks hold the previous one twice: copied out, level n
        // would hold 2^n operations.
        let dir = scratch("double");
        write(&dir, "p0.yaml", "get:\n  responses:\n    '204': {description: done}\n");
        for n in 1..40 {
            let previous = format!("p{}.yaml", n - 1);
            write(&dir, &format!("p{n}.yaml"), &format!("get:\n  callbacks:\n    a: {{'{{$url}}': {{$ref: '{previous}'}}}}\n    b: {{'{{$url}}': {{$ref: '{previous}'}}}}\n  responses:\n    '204': {{description: done}}\n"));
        }
        write(&dir, "openapi.yaml", &format!("{HEAD}paths:\n  /a:\n    $ref: p39.yaml\n"));
        let error = failure(&dir.join("openapi.yaml"), None);
        assert!(error.contains("refusing to grow the description further"), "{error}");
        let _ = fs::remove_dir_all(&dir);
    }

    /// Thousands of cross-file references whose targets all end in the same key, so each
    /// new component's name collides with all the ones before it. Prints the time (run
    /// with `--nocapture`, in release to compare); asserts only counts.
    #[test]
    fn many_references_across_files() {
        let dir = scratch("many");
        let n = 2000;
        let mut root = format!("{HEAD}paths:\n");
        let (mut schemas, mut more) = (String::new(), String::new());
        for i in 0..n {
            root.push_str(&format!("  /p{i}:\n    get:\n      operationId: p{i}\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {{$ref: 'schemas.yaml#/S{i}/schema'}}\n"));
            schemas.push_str(&format!(
                "S{i}:\n  schema:\n    type: object\n    properties:\n      m: {{$ref: 'more.yaml#/M{i}/schema'}}\n"
            ));
            more.push_str(&format!(
                "M{i}:\n  schema:\n    type: object\n    properties:\n      s: {{$ref: 'schemas.yaml#/S{}/schema'}}\n",
                (i + 1) % n
            ));
        }
        write(&dir, "openapi.yaml", &root);
        write(&dir, "schemas.yaml", &schemas);
        write(&dir, "more.yaml", &more);
        let start = std::time::Instant::now();
        let bundle = read(&dir.join("openapi.yaml"), None).unwrap();
        eprintln!("bundling {} cross-file references: {:?}", 3 * n, start.elapsed());
        let components = bundle.value().unwrap()["components"]["schemas"].as_object().unwrap();
        assert_eq!(components.len(), 2 * n);
        assert!(components.contains_key("schema") && components.contains_key(&format!("schema{}", 2 * n)));
        let _ = fs::remove_dir_all(&dir);
    }
}
