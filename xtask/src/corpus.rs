//! `cargo xtask corpus [--no-check] [--only NAME]... [--file NAME=PATH]... [--write]`:
//! generates a crate from every public description of `spec/corpus/corpus.json` into
//! `target/corpus/NAME` and type-checks them all, then prints one row per description:
//! generated or not, the error, warnings by lint, generated lines, generation time and ms
//! per MB, and the result of `cargo check`, in one table per OpenAPI version (the entry's
//! `openapi`, 3.0 when it names none). `--write` puts the tables in `CORPUS.md`, keeping
//! the rows of descriptions this run left out.
//!
//! Descriptions are vendored under `spec/corpus/`, read from a crate that ships them
//! (`"crate": "openapiv3"`), located with `cargo metadata`, or, for the large ones this
//! repository does not hold (`"optional": true`), read from the file `--file NAME=PATH`
//! gives; without it such an entry is skipped. Numbers only: nothing here passes or fails
//! on timing.

use anyhow::{bail, Context, Result};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

const MANIFEST: &str = "spec/corpus/corpus.json";
const OUT_DIR: &str = "target/corpus";
/// The target directory every generated crate is checked in (the failure-class tests
/// share it), so their dependencies are built once.
const CHECK_TARGET_DIR: &str = "target/generated-check";
const TABLE_FILE: &str = "CORPUS.md";
/// The OpenAPI version of an entry that names none.
const DEFAULT_SECTION: &str = "3.0";

/// The comment before a section's table in `CORPUS.md`.
fn table_start(section: &str) -> String {
    format!("<!-- OpenAPI {section} corpus table: written by `cargo xtask corpus --write` -->")
}

/// The comment after a section's table in `CORPUS.md`.
fn table_end(section: &str) -> String {
    format!("<!-- end of the OpenAPI {section} corpus table -->")
}

/// One description of the corpus.
#[derive(Debug, Clone)]
pub struct Entry {
    pub name: String,
    /// Relative to `spec/corpus/`, or to the root of `krate`.
    pub file: String,
    /// The crate that ships the file, if it is not vendored.
    pub krate: Option<String>,
    /// The folder below which the files it references are read, relative to
    /// `spec/corpus/`, when it is not the description's own folder.
    pub root: Option<String>,
    pub api: String,
    /// The OpenAPI version the description is written in (`3.0`, `3.1`): the table its
    /// row goes in.
    pub section: String,
    /// Not in this repository (too large to vendor): read from the file given with
    /// `--file NAME=PATH`, and skipped without one. `file` then names the file in its
    /// source, for the reader.
    pub optional: bool,
}

/// Reads the corpus list.
pub fn entries(root: &Path) -> Result<Vec<Entry>> {
    let text = std::fs::read_to_string(root.join(MANIFEST)).with_context(|| format!("reading {MANIFEST}"))?;
    let value: Value = serde_json::from_str(&text).with_context(|| format!("parsing {MANIFEST}"))?;
    let list = value.as_array().with_context(|| format!("{MANIFEST} is not a list"))?;
    list.iter()
        .enumerate()
        .map(|(i, item)| {
            let field = |key: &str| item.get(key).and_then(Value::as_str).map(str::to_owned);
            let required = |key: &str| field(key).with_context(|| format!("{MANIFEST} entry {i} has no `{key}`"));
            Ok(Entry {
                name: required("name")?,
                file: required("file")?,
                krate: field("crate"),
                root: field("root"),
                api: required("api")?,
                section: field("openapi").unwrap_or_else(|| DEFAULT_SECTION.to_owned()),
                optional: match item.get("optional") {
                    None => false,
                    Some(value) => {
                        value.as_bool().with_context(|| format!("{MANIFEST} entry {i}: `optional` is not a boolean"))?
                    }
                },
            })
        })
        .collect()
}

/// Where each entry's file is: vendored ones under `spec/corpus/`, those a crate ships in
/// its source (`cargo metadata` fetches it when missing), optional ones where `given`
/// says (the caller leaves out those it was not given).
pub fn locate(root: &Path, entries: &[Entry], given: &BTreeMap<String, PathBuf>) -> Result<Vec<PathBuf>> {
    let mut crates: BTreeMap<String, PathBuf> = BTreeMap::new();
    if entries.iter().any(|e| e.krate.is_some()) {
        let output = Command::new(env!("CARGO"))
            .args(["metadata", "--format-version", "1"])
            .current_dir(root)
            .output()
            .context("running cargo metadata")?;
        if !output.status.success() {
            bail!("cargo metadata failed: {}", String::from_utf8_lossy(&output.stderr));
        }
        let metadata: Value = serde_json::from_slice(&output.stdout).context("reading cargo metadata")?;
        for package in metadata["packages"].as_array().into_iter().flatten() {
            if let (Some(name), Some(manifest)) = (package["name"].as_str(), package["manifest_path"].as_str()) {
                if let Some(dir) = Path::new(manifest).parent() {
                    crates.insert(name.to_owned(), dir.to_owned());
                }
            }
        }
    }
    entries
        .iter()
        .map(|entry| match &entry.krate {
            None if entry.optional => given.get(&entry.name).cloned().with_context(|| {
                format!(
                    "corpus entry `{}` is not in this repository: give its file with `--file {}=PATH` (see CORPUS.md)",
                    entry.name, entry.name
                )
            }),
            None => Ok(root.join("spec/corpus").join(&entry.file)),
            Some(krate) => crates.get(krate).map(|dir| dir.join(&entry.file)).with_context(|| {
                format!("corpus entry `{}`: crate `{krate}` is not a dependency of this workspace", entry.name)
            }),
        })
        .collect()
}

/// The generator's result for one description.
#[derive(Debug, Clone)]
pub struct Generated {
    pub bytes: u64,
    pub files: usize,
    /// Best of the runs.
    pub time: Duration,
    pub outcome: std::result::Result<(BTreeMap<String, usize>, usize), String>,
}

/// The folder an entry's references may be read from, when it names one.
pub fn root_of(root: &Path, entry: &Entry) -> Option<PathBuf> {
    entry.root.as_ref().map(|dir| root.join("spec/corpus").join(dir))
}

/// Generates one description `runs` times (in process, nothing written); the files it
/// references are read below `root` (default: its own folder).
pub fn generate_one(path: &Path, root: Option<&Path>, runs: usize) -> Result<Generated> {
    let bundle = crate::bundle::read(path, root)?;
    let options = generator::Options {
        command: "cargo xtask corpus".into(),
        crate_name: "corpus_client".into(),
        ..Default::default()
    };
    let mut time = Duration::MAX;
    let mut outcome = Err(String::new());
    for _ in 0..runs.max(1) {
        let start = Instant::now();
        let result = generator::generate(&bundle.text, "", &options);
        time = time.min(start.elapsed());
        outcome = match result {
            Ok(output) => {
                let mut lints = BTreeMap::new();
                for warning in &output.warnings {
                    *lints.entry(warning.lint.name().to_owned()).or_insert(0) += 1;
                }
                let lines = output
                    .files
                    .iter()
                    .filter(|(path, _)| path.ends_with(".rs"))
                    .map(|(_, text)| text.lines().count())
                    .sum();
                Ok((lints, lines))
            }
            Err(error) => Err(bundle.explain(&error)),
        };
    }
    Ok(Generated { bytes: bundle.bytes()?, files: 1 + bundle.files.len(), time, outcome })
}

/// `cargo check` of one generated crate: (errors, warnings, seconds).
fn check(root: &Path, crate_dir: &Path) -> Result<(usize, usize, f64)> {
    std::fs::copy(root.join("Cargo.lock"), crate_dir.join("Cargo.lock")).context("copying Cargo.lock")?;
    let start = Instant::now();
    let output = Command::new(env!("CARGO"))
        .args(["check", "--all-targets", "--offline", "--message-format", "json", "--manifest-path"])
        .arg(crate_dir.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", root.join(CHECK_TARGET_DIR))
        .current_dir(root)
        .output()
        .context("running cargo check")?;
    let seconds = start.elapsed().as_secs_f64();
    let (mut errors, mut warnings) = (0, 0);
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        let Ok(message) = serde_json::from_str::<Value>(line) else { continue };
        if message["reason"] != "compiler-message"
            || message["message"]["spans"].as_array().is_none_or(|s| s.is_empty())
        {
            continue;
        }
        match message["message"]["level"].as_str() {
            Some("error") => errors += 1,
            Some("warning") => warnings += 1,
            _ => {}
        }
    }
    if !output.status.success() && errors == 0 {
        errors = 1;
    }
    Ok((errors, warnings, seconds))
}

pub fn run(args: &[String]) -> Result<()> {
    if cfg!(debug_assertions) {
        // Timing a debug build would measure the wrong thing: rerun optimised.
        let status = Command::new(env!("CARGO"))
            .args(["run", "--quiet", "--release", "--package", "xtask", "--", "corpus"])
            .args(args)
            .current_dir(crate::root())
            .status()
            .context("running the release build of xtask")?;
        if !status.success() {
            bail!("corpus failed");
        }
        return Ok(());
    }
    let mut only = Vec::new();
    let mut given = BTreeMap::new();
    let (mut type_check, mut write) = (true, false);
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--no-check" => type_check = false,
            "--write" => write = true,
            "--only" => only.push(it.next().context("--only needs a name")?.clone()),
            "--file" => {
                let value = it.next().context("--file needs NAME=PATH")?;
                let (name, path) = value.split_once('=').context("--file needs NAME=PATH")?;
                given.insert(name.to_owned(), PathBuf::from(path));
            }
            other => bail!("unknown argument `{other}`\n{USAGE}"),
        }
    }
    let root = crate::root();
    let all = entries(&root)?;
    for name in given.keys() {
        if !all.iter().any(|e| e.optional && &e.name == name) {
            bail!("--file names `{name}`, which is not an optional entry of {MANIFEST}");
        }
    }
    let entries: Vec<Entry> = all
        .iter()
        .filter(|e| if only.is_empty() { !e.optional || given.contains_key(&e.name) } else { only.contains(&e.name) })
        .cloned()
        .collect();
    for entry in all.iter().filter(|e| e.optional && only.is_empty() && !given.contains_key(&e.name)) {
        eprintln!("corpus: {} skipped (not in this repository; give it with --file {}=PATH)", entry.name, entry.name);
    }
    let paths = locate(&root, &entries, &given)?;
    let mut rows = BTreeMap::new();
    let mut failures = 0;
    for (entry, path) in entries.iter().zip(&paths) {
        eprintln!("corpus: {}", entry.name);
        let entry_root = root_of(&root, entry);
        let generated = generate_one(path, entry_root.as_deref(), 3)?;
        let checked = match (&generated.outcome, type_check) {
            (Ok(_), true) => {
                let out = root.join(OUT_DIR).join(&entry.name);
                let args = crate::generate::Args {
                    spec: path.clone(),
                    out: out.clone(),
                    name: format!("{}-client", entry.name),
                    root: entry_root,
                    ..Default::default()
                };
                crate::generate::generate(&args)?;
                let (errors, warnings, seconds) = check(&root, &out)?;
                if errors + warnings > 0 {
                    failures += 1;
                }
                if errors > 0 {
                    format!("**{errors} error(s)**, {warnings} warning(s)")
                } else if warnings > 0 {
                    format!("**{warnings} warning(s)**")
                } else {
                    format!("clean ({seconds:.0} s)")
                }
            }
            (Ok(_), false) => "not run".to_owned(),
            (Err(_), _) => {
                failures += 1;
                "-".to_owned()
            }
        };
        rows.insert(entry.name.clone(), row(entry, &generated, &checked));
    }
    let sections: Vec<&str> = {
        let mut sections: Vec<&str> = all.iter().map(|e| e.section.as_str()).collect();
        sections.sort();
        sections.dedup();
        sections
    };
    for section in &sections {
        let lines: Vec<&str> = all
            .iter()
            .filter(|e| &e.section == section)
            .filter_map(|e| rows.get(&e.name))
            .map(String::as_str)
            .collect();
        if !lines.is_empty() {
            println!("OpenAPI {section}\n{HEADER}\n{}\n", lines.join("\n"));
        }
    }
    if write {
        let file = root.join(TABLE_FILE);
        let mut text = crate::files::read_text(&file, crate::files::MAX_DESCRIPTION_BYTES)
            .with_context(|| format!("reading {TABLE_FILE}"))?;
        for section in &sections {
            text = write_table(&text, section, &all, &rows)?;
        }
        // Never through a link a checkout was given in place of the file.
        crate::files::write_file(&root, TABLE_FILE, &text).with_context(|| format!("writing {TABLE_FILE}"))?;
    }
    if failures > 0 {
        bail!("{failures} description(s) did not generate or did not type-check cleanly");
    }
    Ok(())
}

const USAGE: &str = "usage: cargo xtask corpus [--no-check] [--only NAME]... [--file NAME=PATH]... [--write]";

/// `text` with the table of `section` rewritten: a row per entry of that section, in the
/// list's order, from `rows` when this run made one and otherwise the row the table
/// already had (an entry with neither has none).
fn write_table(text: &str, section: &str, all: &[Entry], rows: &BTreeMap<String, String>) -> Result<String> {
    let (start_mark, end_mark) = (table_start(section), table_end(section));
    let (Some(start), Some(end)) = (text.find(&start_mark), text.find(&end_mark)) else {
        bail!("{TABLE_FILE} has no `{start_mark}` ... `{end_mark}` section");
    };
    if end < start {
        bail!("{TABLE_FILE}: `{end_mark}` comes before `{start_mark}`");
    }
    let old: BTreeMap<&str, &str> = text[start + start_mark.len()..end]
        .lines()
        .filter_map(|line| {
            let name = line.strip_prefix("| ")?.split(" | ").next()?;
            Some((name, line))
        })
        .collect();
    let lines: Vec<&str> = all
        .iter()
        .filter(|e| e.section == section)
        .filter_map(|e| rows.get(&e.name).map(String::as_str).or_else(|| old.get(e.name.as_str()).copied()))
        .collect();
    Ok(format!("{}{start_mark}\n{HEADER}\n{}\n{}", &text[..start], lines.join("\n"), &text[end..]))
}

const HEADER: &str = "| description | API | files | size | generated | warnings by lint | lines | time | ms per MB | cargo check |\n|---|---|---|---|---|---|---|---|---|---|";

fn row(entry: &Entry, generated: &Generated, checked: &str) -> String {
    let mb = generated.bytes as f64 / 1_000_000.0;
    let ms = generated.time.as_secs_f64() * 1000.0;
    let (status, lints, lines) = match &generated.outcome {
        Ok((lints, lines)) => {
            let lints = if lints.is_empty() {
                "none".to_owned()
            } else {
                lints.iter().map(|(l, n)| format!("{l}: {n}")).collect::<Vec<_>>().join(", ")
            };
            ("yes".to_owned(), lints, lines.to_string())
        }
        Err(error) => {
            (format!("**no**: {}", error.replace('|', "\\|").replace('\n', " ")), "-".to_owned(), "-".to_owned())
        }
    };
    format!(
        "| {} | {} | {} | {:.0} KB | {status} | {lints} | {lines} | {ms:.0} ms | {:.0} | {checked} |",
        entry.name,
        entry.api,
        generated.files,
        generated.bytes as f64 / 1000.0,
        ms / mb.max(f64::MIN_POSITIVE),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Generation only (no type-check, no timing): every description of the corpus
    /// generates, in debug build time of a few seconds.
    #[test]
    fn every_description_generates() {
        let root = crate::root();
        let entries: Vec<Entry> = entries(&root).unwrap().into_iter().filter(|e| !e.optional).collect();
        assert!(entries.len() >= 10, "the corpus has {} descriptions", entries.len());
        let paths = locate(&root, &entries, &BTreeMap::new()).unwrap();
        let failures: Vec<String> = entries
            .iter()
            .zip(&paths)
            .filter_map(|(entry, path)| match generate_one(path, root_of(&root, entry).as_deref(), 1) {
                Ok(Generated { outcome: Ok(_), .. }) => None,
                Ok(Generated { outcome: Err(error), .. }) => Some(format!("{}: {error}", entry.name)),
                Err(error) => Some(format!("{}: {error:#}", entry.name)),
            })
            .collect();
        assert!(failures.is_empty(), "descriptions that do not generate:\n{}", failures.join("\n"));
    }

    fn entry(name: &str, section: &str) -> Entry {
        Entry {
            name: name.into(),
            file: format!("{name}.yaml"),
            krate: None,
            root: None,
            api: name.into(),
            section: section.into(),
            optional: false,
        }
    }

    #[test]
    fn writing_a_table_keeps_the_rows_this_run_left_out() {
        let all = [entry("a", "3.0"), entry("b", "3.0"), entry("c", "3.1"), entry("d", "3.1")];
        let text = format!(
            "intro\n{}\n{HEADER}\n| a | old a |\n| b | old b |\n{}\nmiddle\n{}\n{}\nend\n",
            table_start("3.0"),
            table_end("3.0"),
            table_start("3.1"),
            table_end("3.1"),
        );
        let rows: BTreeMap<String, String> =
            [("b", "| b | new b |"), ("c", "| c | new c |")].map(|(n, r)| (n.to_owned(), r.to_owned())).into();
        let text = write_table(&text, "3.0", &all, &rows).unwrap();
        let text = write_table(&text, "3.1", &all, &rows).unwrap();
        assert_eq!(
            text,
            format!(
                "intro\n{}\n{HEADER}\n| a | old a |\n| b | new b |\n{}\nmiddle\n{}\n{HEADER}\n| c | new c |\n{}\nend\n",
                table_start("3.0"),
                table_end("3.0"),
                table_start("3.1"),
                table_end("3.1"),
            )
        );
        let error = write_table("no table", "3.1", &all, &rows).unwrap_err().to_string();
        assert!(error.contains("OpenAPI 3.1 corpus table"), "{error}");
    }

    #[test]
    fn an_optional_entry_is_read_only_from_the_file_given() {
        let mut openai = entry("openai", "3.1");
        openai.optional = true;
        let root = crate::root();
        let error = locate(&root, std::slice::from_ref(&openai), &BTreeMap::new()).unwrap_err().to_string();
        assert!(error.contains("--file openai=PATH"), "{error}");
        let given = BTreeMap::from([("openai".to_owned(), PathBuf::from("elsewhere/openapi.yaml"))]);
        assert_eq!(locate(&root, &[openai], &given).unwrap(), [PathBuf::from("elsewhere/openapi.yaml")]);
    }

    /// Every vendored entry's file and its folder's licence are in the repository; every
    /// optional one names where it comes from and is not vendored.
    #[test]
    fn the_list_records_each_source() {
        let root = crate::root();
        let text = std::fs::read_to_string(root.join(MANIFEST)).unwrap();
        let list: Vec<Value> = serde_json::from_str(&text).unwrap();
        let entries = entries(&root).unwrap();
        assert!(entries.iter().any(|e| e.section == "3.1"), "the corpus has no OpenAPI 3.1 section");
        for (entry, item) in entries.iter().zip(&list) {
            for key in ["package", "version", "licence"] {
                assert!(item[key].as_str().is_some_and(|v| !v.is_empty()), "{}: no `{key}`", entry.name);
            }
            if entry.krate.is_some() {
                continue;
            }
            let path = root.join("spec/corpus").join(&entry.file);
            if entry.optional {
                assert!(!path.exists(), "{}: optional, but vendored at {}", entry.name, path.display());
                continue;
            }
            assert!(path.is_file(), "{}: {} is missing", entry.name, path.display());
            let has_licence = path.ancestors().skip(1).take_while(|dir| !dir.ends_with("spec/corpus")).any(|dir| {
                std::fs::read_dir(dir).unwrap().any(|f| f.unwrap().file_name().to_string_lossy().starts_with("LICENSE"))
            });
            assert!(has_licence, "{}: no LICENSE file beside {}", entry.name, path.display());
        }
    }
}
