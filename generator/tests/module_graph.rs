//! No module of the generator imports a module that imports it back.
//!
//! The test reads every `.rs` file under `generator/src` (`x.rs` and `x/mod.rs` are the
//! module `x`, `x/y.rs` is `x::y`, `lib.rs` is `crate`), collects the modules each one
//! names, builds the graph of those imports and fails on any cycle, naming its modules
//! and, for each import between them, the file and the path that makes it.
//!
//! A module imports another when its code names it, or an item of it, by a path:
//! - `use crate::a::b::item;`, `use crate::a::{b, c};` and `crate::a::b::item` in code;
//! - `super::item`, `super::sibling::item`, `self::child::item` and `use super::*`;
//! - `child::item` (or `use child::*`) for a module declared below it.
//!
//! A path names the deepest module it goes through: `crate::lower::text::displays` is an
//! import of `lower::text`, `super::{docs, ident}` in `emit::mock` one of `emit`. Two things
//! are not imports:
//! - the bodies of inline `#[cfg(test)] mod tests { ... }` blocks, which may `use super::*`
//!   freely: a module's unit tests are part of it;
//! - the inside of `quote!` (and `quote_spanned!`, `parse_quote!`): those paths
//!   (`crate::runtime::send`, `super::API`) belong to the generated crate, not to this one.
//!
//! A `mod child;` declaration is not an import either: a parent holds its children, and
//! only naming what is in them is a use of them. Method calls are not followed, as they
//! name no module: `lower/schemas.rs` adding methods to `context`'s `Lowerer` imports
//! `lower::context` (it names the type), and `lower/mod.rs` calling them imports nothing.

use proc_macro2::{Delimiter, Spacing, TokenStream, TokenTree};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::str::FromStr;

/// A module, as the segments of its path below the crate root (`["emit", "mock"]`).
type Module = Vec<String>;

/// How a module is written in messages: `emit::mock`, or `crate` for the root.
fn show(module: &[String]) -> String {
    if module.is_empty() {
        "crate".to_owned()
    } else {
        module.join("::")
    }
}

/// Macros whose input is code of the generated crate.
const QUOTING: &[&str] = &["quote", "quote_spanned", "parse_quote"];

/// One import: the first path that makes it, and the file it is in.
#[derive(Debug, Clone)]
struct Evidence {
    file: String,
    path: String,
}

/// The modules and the imports between them.
#[derive(Debug, Default)]
struct Graph {
    modules: BTreeSet<Module>,
    edges: BTreeMap<Module, BTreeMap<Module, Evidence>>,
}

/// One source file: the module it is, its name for messages, and its text.
struct Source {
    module: Module,
    file: String,
    text: String,
}

/// The module a file under `src/` is: `lib.rs` the root, `a/mod.rs` and `a.rs` the
/// module `a`, `a/b.rs` the module `a::b`.
fn module_of(relative: &Path) -> Module {
    let mut parts: Vec<String> = relative.iter().map(|p| p.to_string_lossy().into_owned()).collect();
    let last = parts.pop().unwrap_or_default();
    let stem = last.trim_end_matches(".rs");
    if !(stem == "mod" || (stem == "lib" && parts.is_empty())) {
        parts.push(stem.to_owned());
    }
    parts
}

/// Every `.rs` file below `dir`, sorted.
fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

fn is_punct(token: Option<&TokenTree>, c: char) -> bool {
    matches!(token, Some(TokenTree::Punct(p)) if p.as_char() == c)
}

fn ident_text(token: Option<&TokenTree>) -> Option<String> {
    match token {
        Some(TokenTree::Ident(i)) => Some(i.to_string()),
        _ => None,
    }
}

/// Whether `tokens[at..]` starts with `::`.
fn is_path_sep(tokens: &[TokenTree], at: usize) -> bool {
    matches!(tokens.get(at), Some(TokenTree::Punct(p)) if p.as_char() == ':' && p.spacing() == Spacing::Joint)
        && is_punct(tokens.get(at + 1), ':')
}

/// Whether the `mod` at `tokens[at]` carries `#[cfg(test)]` (looking back over its
/// visibility and its other attributes).
fn is_test_module(tokens: &[TokenTree], at: usize) -> bool {
    let mut j = at;
    if j >= 2
        && matches!(&tokens[j - 1], TokenTree::Group(g) if g.delimiter() == Delimiter::Parenthesis)
        && ident_text(tokens.get(j - 2)).as_deref() == Some("pub")
    {
        j -= 2;
    } else if j >= 1 && ident_text(tokens.get(j - 1)).as_deref() == Some("pub") {
        j -= 1;
    }
    while j >= 2 {
        let (TokenTree::Punct(hash), TokenTree::Group(attribute)) = (&tokens[j - 2], &tokens[j - 1]) else { break };
        if hash.as_char() != '#' || attribute.delimiter() != Delimiter::Bracket {
            break;
        }
        let text: String = attribute.stream().to_string().chars().filter(|c| !c.is_whitespace()).collect();
        if text == "cfg(test)" {
            return true;
        }
        j -= 2;
    }
    false
}

/// The paths a `use` tree (or a plain path) starting at `tokens[at]` spells out, each as
/// its segments (`*` for a glob), and the index after it.
fn read_path(tokens: &[TokenTree], at: usize) -> (Vec<Vec<String>>, usize) {
    let mut prefix = Vec::new();
    let mut i = at;
    loop {
        match tokens.get(i) {
            Some(TokenTree::Ident(ident)) => {
                prefix.push(ident.to_string());
                i += 1;
            }
            Some(TokenTree::Punct(p)) if p.as_char() == '*' => {
                prefix.push("*".to_owned());
                return (vec![prefix], i + 1);
            }
            Some(TokenTree::Group(group)) if group.delimiter() == Delimiter::Brace => {
                let inner: Vec<TokenTree> = group.stream().into_iter().collect();
                let mut paths = Vec::new();
                for piece in inner.split(|t| is_punct(Some(t), ',')) {
                    if piece.is_empty() {
                        continue;
                    }
                    for mut rest in read_path(piece, 0).0 {
                        // `use a::{self, b}`: `self` is `a` itself.
                        if rest.first().is_some_and(|s| s == "self") {
                            rest.remove(0);
                        }
                        let mut full = prefix.clone();
                        full.extend(rest);
                        paths.push(full);
                    }
                }
                return (paths, i + 1);
            }
            _ => return (vec![prefix], i),
        }
        if is_path_sep(tokens, i) {
            i += 2;
        } else {
            return (vec![prefix], i);
        }
    }
}

/// The module a path written in `from` goes to: the deepest module it names. `None` for a
/// path that starts outside the crate (`std::fmt`, `TypeRef::Named`).
fn resolve(from: &[String], path: &[String], modules: &BTreeSet<Module>) -> Option<Module> {
    let first = path.first()?;
    let (mut at, mut rest): (Module, &[String]) = match first.as_str() {
        "crate" => (Vec::new(), &path[1..]),
        "self" => (from.to_vec(), &path[1..]),
        "super" => {
            let ups = path.iter().take_while(|s| *s == "super").count();
            (from[..from.len().checked_sub(ups)?].to_vec(), &path[ups..])
        }
        name => {
            let mut child = from.to_vec();
            child.push(name.to_owned());
            if !modules.contains(&child) {
                return None;
            }
            (child, &path[1..])
        }
    };
    while let Some(segment) = rest.first() {
        let mut next = at.clone();
        next.push(segment.clone());
        if !modules.contains(&next) {
            break;
        }
        at = next;
        rest = &rest[1..];
    }
    Some(at)
}

impl Graph {
    /// The graph of `sources`: their modules (with inline ones), then their imports.
    fn of(sources: &[Source]) -> Graph {
        let mut graph = Graph::default();
        let parsed: Vec<(&Source, Vec<TokenTree>)> = sources
            .iter()
            .map(|s| {
                let tokens = TokenStream::from_str(&s.text).unwrap_or_else(|e| panic!("{} does not lex: {e}", s.file));
                (s, tokens.into_iter().collect())
            })
            .collect();
        for (source, tokens) in &parsed {
            graph.modules.insert(source.module.clone());
            graph.declare_inline(tokens, &source.module);
        }
        for (source, tokens) in &parsed {
            graph.scan(tokens, &source.module, &source.file);
        }
        graph
    }

    /// Adds the inline modules (`mod name { ... }`, tests left out) below `module`.
    fn declare_inline(&mut self, tokens: &[TokenTree], module: &[String]) {
        for (i, token) in tokens.iter().enumerate() {
            match token {
                TokenTree::Ident(ident) if ident == "mod" => {
                    if let (Some(name), Some(TokenTree::Group(body))) =
                        (ident_text(tokens.get(i + 1)), tokens.get(i + 2))
                    {
                        if body.delimiter() == Delimiter::Brace && !is_test_module(tokens, i) {
                            let mut inner = module.to_vec();
                            inner.push(name);
                            self.modules.insert(inner.clone());
                            self.declare_inline(&body.stream().into_iter().collect::<Vec<_>>(), &inner);
                        }
                    }
                }
                TokenTree::Group(group) => self.declare_inline(&group.stream().into_iter().collect::<Vec<_>>(), module),
                _ => {}
            }
        }
    }

    /// Records the imports that `tokens`, code of `module` in `file`, make.
    fn scan(&mut self, tokens: &[TokenTree], module: &[String], file: &str) {
        let mut i = 0;
        while i < tokens.len() {
            let token = &tokens[i];
            match token {
                TokenTree::Ident(ident) => {
                    if ident == "mod" {
                        if let (Some(inner), Some(TokenTree::Group(body))) =
                            (ident_text(tokens.get(i + 1)), tokens.get(i + 2))
                        {
                            if body.delimiter() == Delimiter::Brace {
                                if !is_test_module(tokens, i) {
                                    let mut child = module.to_vec();
                                    child.push(inner);
                                    self.scan(&body.stream().into_iter().collect::<Vec<_>>(), &child, file);
                                }
                                i += 3;
                                continue;
                            }
                        }
                    }
                    // A path starts here unless it continues one (`::std::x`).
                    if i >= 2 && is_path_sep(tokens, i - 2) {
                        i += 1;
                        continue;
                    }
                    let (paths, next) = read_path(tokens, i);
                    let generated = match paths.as_slice() {
                        [path] => {
                            path.last().is_some_and(|m| QUOTING.contains(&m.as_str()))
                                && is_punct(tokens.get(next), '!')
                        }
                        _ => false,
                    };
                    if generated {
                        // The macro's group is generated code, not this crate's.
                        i = next + 2;
                        continue;
                    }
                    // A lone identifier (`next == i + 1`) is no path.
                    if next > i + 1 {
                        for path in &paths {
                            self.import(module, path, file);
                        }
                    }
                    i = next.max(i + 1);
                }
                TokenTree::Group(group) => {
                    self.scan(&group.stream().into_iter().collect::<Vec<_>>(), module, file);
                    i += 1;
                }
                _ => i += 1,
            }
        }
    }

    fn import(&mut self, from: &[String], path: &[String], file: &str) {
        let Some(to) = resolve(from, path, &self.modules) else { return };
        if to == from {
            return;
        }
        let evidence = Evidence { file: file.to_owned(), path: path.join("::") };
        self.edges.entry(from.to_vec()).or_default().entry(to).or_insert(evidence);
    }

    /// The sets of modules that import each other, each with more than one module
    /// (strongly connected components, found by Tarjan's algorithm).
    fn cycles(&self) -> Vec<Vec<Module>> {
        let nodes: Vec<&Module> = self.modules.iter().collect();
        let number: BTreeMap<&Module, usize> = nodes.iter().enumerate().map(|(i, m)| (*m, i)).collect();
        let adjacent: Vec<Vec<usize>> = nodes
            .iter()
            .map(|m| {
                self.edges
                    .get(*m)
                    .into_iter()
                    .flat_map(|targets| targets.keys().filter_map(|t| number.get(t).copied()))
                    .collect()
            })
            .collect();
        struct Walk<'a> {
            adjacent: &'a [Vec<usize>],
            index: Vec<Option<usize>>,
            low: Vec<usize>,
            stack: Vec<usize>,
            on_stack: Vec<bool>,
            next: usize,
            found: Vec<Vec<usize>>,
        }
        fn visit(w: &mut Walk<'_>, v: usize) {
            w.index[v] = Some(w.next);
            w.low[v] = w.next;
            w.next += 1;
            w.stack.push(v);
            w.on_stack[v] = true;
            for &t in &w.adjacent[v] {
                match w.index[t] {
                    None => {
                        visit(w, t);
                        w.low[v] = w.low[v].min(w.low[t]);
                    }
                    Some(index) if w.on_stack[t] => w.low[v] = w.low[v].min(index),
                    Some(_) => {}
                }
            }
            if Some(w.low[v]) == w.index[v] {
                let mut component = Vec::new();
                while let Some(t) = w.stack.pop() {
                    w.on_stack[t] = false;
                    component.push(t);
                    if t == v {
                        break;
                    }
                }
                if component.len() > 1 {
                    component.sort();
                    w.found.push(component);
                }
            }
        }
        let n = nodes.len();
        let mut walk = Walk {
            adjacent: &adjacent,
            index: vec![None; n],
            low: vec![0; n],
            stack: Vec::new(),
            on_stack: vec![false; n],
            next: 0,
            found: Vec::new(),
        };
        for v in 0..n {
            if walk.index[v].is_none() {
                visit(&mut walk, v);
            }
        }
        let mut found: Vec<Vec<Module>> =
            walk.found.into_iter().map(|c| c.into_iter().map(|i| nodes[i].clone()).collect()).collect();
        found.sort();
        found
    }

    /// The cycles, each as its modules and the imports between them; empty when there
    /// are none.
    fn report(&self) -> String {
        let mut out = String::new();
        for component in self.cycles() {
            let names: Vec<String> = component.iter().map(|m| show(m)).collect();
            out.push_str(&format!("modules that import each other: {}\n", names.join(", ")));
            for from in &component {
                for (to, evidence) in
                    self.edges.get(from).into_iter().flatten().filter(|(to, _)| component.contains(to))
                {
                    out.push_str(&format!(
                        "  {} -> {}  ({}: `{}`)\n",
                        show(from),
                        show(to),
                        evidence.file,
                        evidence.path
                    ));
                }
            }
        }
        out
    }
}

/// The generator's own sources.
fn generator_sources() -> Vec<Source> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files
        .into_iter()
        .map(|path| {
            let relative = path.strip_prefix(&src).unwrap();
            Source {
                module: module_of(relative),
                file: format!("src/{}", relative.to_string_lossy().replace('\\', "/")),
                text: std::fs::read_to_string(&path).unwrap(),
            }
        })
        .collect()
}

#[test]
fn no_generator_module_imports_a_module_that_imports_it_back() {
    let sources = generator_sources();
    let graph = Graph::of(&sources);
    // The scan sees the pipeline: a silent scan would pass any code.
    for stage in ["input", "lower", "emit"] {
        assert!(
            graph.edges.get(&Vec::new()).is_some_and(|t| t.contains_key(&vec![stage.to_owned()])),
            "lib.rs imports {stage}; the scan missed it"
        );
    }
    let report = graph.report();
    assert!(
        report.is_empty(),
        "import cycles between generator modules (move what both sides need into a module both import):\n{report}"
    );
}

#[test]
fn the_scan_sees_every_kind_of_import_and_skips_tests_and_generated_code() {
    let source = |module: &str, text: &str| Source {
        module: if module.is_empty() { Vec::new() } else { module.split("::").map(str::to_owned).collect() },
        file: format!("{module}.rs"),
        text: text.to_owned(),
    };
    let sources = [
        source("", "mod a; mod b; mod c; mod d; pub use a::run;"),
        // A child's item used by the parent, and the child taking the parent's helpers.
        source("a", "mod child; pub fn run() { child::go() } fn helper() {}"),
        source("a::child", "use super::*; pub fn go() {}"),
        // `crate::` paths in code and `super::` siblings through a use tree.
        source("b", "pub fn f() -> u8 { crate::c::g() }"),
        source("c", "use super::{d::{self}, b}; pub fn g() -> u8 { 1 }"),
        // Neither tests nor generated code count.
        source(
            "d",
            "pub fn h() -> proc_macro2::TokenStream { quote::quote!(crate::a::run()) }\n\
             #[cfg(test)]\nmod tests { use crate::c::*; }",
        ),
    ];
    let graph = Graph::of(&sources);
    let cycles: Vec<Vec<String>> = graph.cycles().iter().map(|c| c.iter().map(|m| show(m)).collect()).collect();
    assert_eq!(cycles, [vec!["a", "a::child"], vec!["b", "c"]], "{}", graph.report());
    let from_d = graph.edges.get(&vec!["d".to_owned()]);
    assert!(from_d.is_none(), "d imports nothing outside tests and quote!: {from_d:?}");
    assert!(graph.report().contains("a::child -> a  (a::child.rs: `super::*`)"), "{}", graph.report());
}
