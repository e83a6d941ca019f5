//! `cargo xtask generate --spec FILE --out DIR --name CRATE [--overrides FILE] [--strict]
//! [--allow LINT]... [--deny LINT]...`: a standalone crate for any OpenAPI 3.0 document.
//!
//! The crate gets the same generated code as the checked-in client, a copy of its
//! hand-written runtime, and a `Cargo.toml` with the same dependency versions as this
//! workspace (and no path dependencies on it).

use anyhow::{bail, Context, Result};
use std::fs;
use std::path::{Path, PathBuf};

/// Files of the checked-in client's runtime copied into every standalone crate.
const RUNTIME: &[&str] = &["src/client.rs", "src/error.rs", "src/response.rs", "src/runtime.rs", "tests/golden/mod.rs"];
/// The crate documentation of a standalone crate; the rest of its `lib.rs` is the client's.
const LIB_DOCS: &str = include_str!("../templates/lib.rs");

/// What to generate.
#[derive(Debug, Clone, Default)]
pub struct Args {
    pub spec: PathBuf,
    pub out: PathBuf,
    pub name: String,
    pub overrides: Option<PathBuf>,
    pub options: generator::Options,
}

pub fn run(args: &[String]) -> Result<()> {
    let args = parse(args)?;
    let warnings = generate(&crate::root(), &args)?;
    for warning in &warnings {
        eprintln!("{warning}");
    }
    println!("wrote crate `{}` to {} ({} warning(s))", args.name, args.out.display(), warnings.len());
    Ok(())
}

const USAGE: &str = "usage: cargo xtask generate --spec FILE --out DIR --name CRATE [--overrides FILE] [--strict] [--allow LINT]... [--deny LINT]...";

fn parse(args: &[String]) -> Result<Args> {
    let mut parsed = Args::default();
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        let mut value = || it.next().with_context(|| format!("{flag} needs a value\n{USAGE}"));
        match flag.as_str() {
            "--spec" => parsed.spec = value()?.into(),
            "--out" => parsed.out = value()?.into(),
            "--name" => parsed.name = value()?.clone(),
            "--overrides" => parsed.overrides = Some(value()?.into()),
            "--strict" => parsed.options.strict = true,
            "--allow" | "--deny" => {
                let name = value()?;
                let lint = generator::Lint::from_name(name).with_context(|| {
                    let known: Vec<&str> = generator::Lint::ALL.iter().map(|l| l.name()).collect();
                    format!("unknown lint `{name}`; known lints: {}", known.join(", "))
                })?;
                if flag == "--allow" {
                    parsed.options.allow.insert(lint);
                } else {
                    parsed.options.deny.insert(lint);
                }
            }
            other => bail!("unknown argument `{other}`\n{USAGE}"),
        }
    }
    if parsed.spec.as_os_str().is_empty() || parsed.out.as_os_str().is_empty() || parsed.name.is_empty() {
        bail!("{USAGE}");
    }
    let valid = parsed.name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        && parsed.name.starts_with(|c: char| c.is_ascii_alphabetic());
    if !valid {
        bail!("crate name `{}` must start with a letter and use only letters, digits, `-` and `_`", parsed.name);
    }
    if generator::naming::is_keyword(&parsed.name.replace('-', "_")) {
        bail!("crate name `{}` is a Rust keyword, which cannot name a crate; choose another name", parsed.name);
    }
    Ok(parsed)
}

/// Generates the crate; returns the warnings that were not errors.
pub fn generate(root: &Path, args: &Args) -> Result<Vec<generator::Warning>> {
    let bundle = crate::bundle::read(&args.spec)?;
    let overrides = match &args.overrides {
        Some(path) => fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?,
        None => String::new(),
    };
    let lib_name = args.name.replace('-', "_");
    let options = generator::Options {
        command: format!("cargo xtask generate --name {}", args.name),
        crate_name: lib_name.clone(),
        ..args.options.clone()
    };
    let output = generator::generate(&bundle.text, &overrides, &options)
        .map_err(|e| anyhow::anyhow!("{}", bundle.explain(&e)))
        .with_context(|| format!("generating from {}", args.spec.display()))?;

    let write = |rel: &str, contents: &str| -> Result<()> {
        let path = args.out.join(rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
        }
        if fs::read(&path).is_ok_and(|old| old == contents.as_bytes()) {
            return Ok(());
        }
        fs::write(&path, contents).with_context(|| format!("writing {}", path.display()))
    };
    let generated_dir = args.out.join("src/generated");
    if generated_dir.exists() {
        fs::remove_dir_all(&generated_dir).with_context(|| format!("clearing {}", generated_dir.display()))?;
    }
    for (rel, contents) in &output.files {
        write(rel, contents)?;
    }
    let client_dir = root.join("generated-client");
    for rel in RUNTIME {
        let text = fs::read_to_string(client_dir.join(rel)).with_context(|| format!("reading generated-client/{rel}"))?;
        write(rel, &text)?;
    }
    let (title, version) = title_and_version(&output);
    let title = generator::format::plain_line(&title);
    let docs = LIB_DOCS.replace("{TITLE}", &title).replace("{VERSION}", &version).replace("{CRATE}", &lib_name);
    let client_lib = fs::read_to_string(client_dir.join("src/lib.rs")).context("reading generated-client/src/lib.rs")?;
    write("src/lib.rs", &standalone_lib(&client_lib, &docs))?;
    write("Cargo.toml", &manifest(root, &args.name, &title)?)?;
    Ok(output.warnings.into_iter().map(|w| bundle.relocate(w)).collect())
}

/// The client's `lib.rs` with its crate docs replaced by `docs` and without the item
/// that compiles the workspace README as doctests.
fn standalone_lib(client_lib: &str, docs: &str) -> String {
    let mut out = docs.to_owned();
    let mut in_readme = false;
    for line in client_lib.lines().skip_while(|l| l.starts_with("//!")) {
        if line.starts_with("/// The README's examples") {
            in_readme = true;
        }
        if !in_readme {
            out.push_str(line);
            out.push('\n');
        }
        if in_readme && line.starts_with("pub struct ReadmeDoctests") {
            in_readme = false;
        }
    }
    out
}

fn title_and_version(output: &generator::Output) -> (String, String) {
    // The generated mod.rs names both: "Generated from TITLE (version VERSION)."
    let line = output.files.get("src/generated/mod.rs").and_then(|m| m.lines().find(|l| l.starts_with("//! Generated from "))).unwrap_or("");
    let rest = line.trim_start_matches("//! Generated from ").trim_end_matches(").");
    match rest.rsplit_once(" (version ") {
        Some((title, version)) => (title.to_owned(), version.to_owned()),
        None => ("an OpenAPI description".to_owned(), "unknown".to_owned()),
    }
}

/// A manifest whose dependencies are the generated client's, with the versions and
/// features this workspace pins, so the crate builds the same way on its own.
fn manifest(root: &Path, name: &str, title: &str) -> Result<String> {
    let workspace = fs::read_to_string(root.join("Cargo.toml")).context("reading Cargo.toml")?;
    let client = fs::read_to_string(root.join("generated-client/Cargo.toml")).context("reading generated-client/Cargo.toml")?;
    let pinned = |dep: &str| -> Result<String> {
        section(&workspace, "[workspace.dependencies]")
            .find(|line| line.split('=').next().is_some_and(|k| k.trim() == dep))
            .map(str::to_owned)
            .with_context(|| format!("`{dep}` is not in [workspace.dependencies]"))
    };
    let deps = |table: &str| -> Result<Vec<String>> {
        section(&client, table)
            .filter_map(|line| line.split_once(".workspace").map(|(dep, _)| dep.trim().to_owned()))
            .filter(|dep| dep != "wiremock")
            .map(|dep| pinned(&dep))
            .collect()
    };
    // One line without control characters, which a TOML string cannot hold raw.
    let description = generator::format::plain_line(title).replace('\\', "\\\\").replace('"', "\\\"");
    Ok(format!(
        "# @generated by `cargo xtask generate`. Do not edit by hand.\n\
         [package]\nname = \"{name}\"\nversion = \"0.1.0\"\nedition = \"2021\"\npublish = false\n\
         description = \"Typed async client for {description}.\"\n\n\
         [dependencies]\n{}\n\n\
         # A workspace of its own: the crate does not depend on where it was generated.\n[workspace]\n",
        deps("[dependencies]")?.join("\n")
    ))
}

fn section<'a>(toml: &'a str, header: &'a str) -> impl Iterator<Item = &'a str> {
    toml.lines()
        .skip_while(move |line| line.trim() != header)
        .skip(1)
        .take_while(|line| !line.trim_start().starts_with('['))
        .filter(|line| !line.trim().is_empty() && !line.trim_start().starts_with('#'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn standalone_lib_keeps_the_clients_items_and_drops_the_readme() {
        let client_lib = std::fs::read_to_string(crate::root().join("generated-client/src/lib.rs")).unwrap();
        let lib = standalone_lib(&client_lib, "//! Docs.\n");
        assert!(lib.starts_with("//! Docs.\n\n#![warn(missing_docs)]"), "{lib}");
        assert!(!lib.contains("README"), "{lib}");
        for item in ["pub use generated::*;", "pub mod runtime;", "pub type DateTime", "pub type Result"] {
            assert!(lib.contains(item), "{item} missing from\n{lib}");
        }
    }

    #[test]
    fn manifest_pins_the_workspace_dependency_lines() {
        let manifest = manifest(&crate::root(), "demo-client", "A \"quoted\"\r\n\u{7}\u{202E}API\\").unwrap();
        assert!(manifest.contains("name = \"demo-client\""));
        assert!(manifest.contains("description = \"Typed async client for A \\\"quoted\\\" API\\\\.\""), "{manifest}");
        assert!(manifest.contains("reqwest = { version = \"0.12\""), "{manifest}");
        assert!(!manifest.contains("wiremock") && !manifest.contains("path ="), "{manifest}");
        assert!(manifest.trim_end().ends_with("[workspace]"));
    }

    #[test]
    fn bad_arguments_are_explained() {
        let args = |list: &[&str]| list.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert!(parse(&args(&["--spec", "a.json"])).unwrap_err().to_string().starts_with("usage:"));
        let error = parse(&args(&["--spec", "a", "--out", "b", "--name", "c", "--deny", "nope"])).unwrap_err().to_string();
        assert!(error.contains("unknown lint `nope`") && error.contains("unsupported-schema"), "{error}");
        let error = parse(&args(&["--spec", "a", "--out", "b", "--name", "9lives"])).unwrap_err().to_string();
        assert!(error.contains("must start with a letter"), "{error}");
        let error = parse(&args(&["--spec", "a", "--out", "b", "--name", "box"])).unwrap_err().to_string();
        assert!(error.contains("crate name `box` is a Rust keyword"), "{error}");
        let parsed = parse(&args(&["--spec", "a", "--out", "b", "--name", "c", "--strict", "--allow", "ignored"])).unwrap();
        assert!(parsed.options.strict && parsed.options.allow.contains(&generator::Lint::Ignored));
    }
}
