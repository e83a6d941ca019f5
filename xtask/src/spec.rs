//! `cargo xtask spec`: the supported releases' workflow-runs slices, and the fleet slice
//! merged from them.
//!
//! `spec/releases.yaml` lists the releases; each has its slice in
//! `spec/releases/<id>.workflow-runs.yaml`, cut from the release's full description and
//! headed by where it came from. The fleet slice, `spec/workflow-runs.yaml`, is the merge
//! of all of them (`generator::fleet::merge`), and the client is generated from it. Only
//! the primary's full description is kept in the workspace (`spec/upstream/`); the
//! others' slices are refreshed from a copy of the package a maintainer downloads.

use crate::releases::{self, Release, Releases};
use crate::slice::{self, Provenance};
use anyhow::{bail, Context};
use generator::fleet::Fleet;
use serde_json::Value;
use std::path::Path;

const USAGE: &str = "usage: cargo xtask spec [--release ID] [--from FILE] [--package 'NAME VERSION']
       cargo xtask spec --api-version VERSION --out FILE
       cargo xtask spec --source | --api-versions

Without arguments, spec/workflow-runs.yaml is merged again from the slices of
spec/releases.yaml's releases. --from FILE (a full description, relative to the
workspace root) first cuts release ID's slice from it (ID: the primary when not given),
adding ID to spec/releases.yaml when it is new; --release ID alone cuts it again from
the description its slice records. The package FILE belongs to is read from the
package.json beside its folder, or given with --package.
--api-version merges the slices for another REST API version, with the releases'
x-github-breaking-changes for it applied, into FILE (below spec/ or target/).
--source prints the path of the primary's full description, --api-versions the API
versions some release serves besides the fleet's, one a line (for scripts).";

/// The checked-in fleet slice the client is generated from.
pub const SLICE: &str = "spec/workflow-runs.yaml";

/// The subcategory every slice holds.
pub const SUBCATEGORY: &str = "workflow-runs";

/// What the fleet slice's header says it was merged from.
const FLEET_ORIGIN: &str = "spec/releases.yaml and its slices in spec/releases/";

/// The folders `--out` may write below: the ones `spec` owns, and cargo's scratch space.
const OUT_FOLDERS: [&str; 2] = ["spec/", "target/"];

/// Runs `cargo xtask spec` with the arguments that follow `spec`.
pub fn run(args: &[String]) -> anyhow::Result<()> {
    let (mut release, mut from, mut package, mut out, mut api_version) = (None, None, None, None, None);
    let (mut print_source, mut print_versions) = (false, false);
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((flag, value)) => (flag, Some(value.to_owned())),
            None => (arg.as_str(), None),
        };
        let slot = match flag {
            "--release" => &mut release,
            "--from" => &mut from,
            "--package" => &mut package,
            "--out" => &mut out,
            "--api-version" => &mut api_version,
            "--source" => {
                print_source = true;
                continue;
            }
            "--api-versions" => {
                print_versions = true;
                continue;
            }
            "-h" | "--help" => {
                println!("{USAGE}");
                return Ok(());
            }
            _ => bail!("unexpected argument `{arg}`\n{USAGE}"),
        };
        let value = inline.or_else(|| args.next().cloned());
        *slot = Some(value.with_context(|| format!("`{flag}` needs a value\n{USAGE}"))?);
    }
    let root = crate::root();
    if print_source {
        println!("{}", primary_source(&root)?);
        return Ok(());
    }
    let mut releases = Releases::read(&root)?;
    if print_versions {
        for version in releases.other_api_versions() {
            println!("{version}");
        }
        return Ok(());
    }
    if let Some(version) = &api_version {
        releases::check_api_version(version)?;
        if from.is_some() || release.is_some() {
            bail!("--api-version merges the kept slices: refresh a release first, without it\n{USAGE}");
        }
    }
    if release.is_some() || from.is_some() {
        let id = release.unwrap_or_else(|| releases.primary.clone());
        let from = match from {
            Some(from) => from,
            None => recorded(&root, &id)?.source.with_context(|| {
                format!("{}'s slice records no description kept in the workspace: give --from FILE", id)
            })?,
        };
        println!("{}", add_release(&root, &mut releases, &id, &from, package.as_deref())?);
    } else if package.is_some() {
        bail!("--package goes with --from\n{USAGE}");
    }
    let version = api_version.unwrap_or_else(|| releases.api_version.clone());
    let out = match out {
        Some(out) => out,
        None if version == releases.api_version => SLICE.to_owned(),
        None => bail!("--api-version {version} needs --out FILE: {SLICE} is the fleet for {}", releases.api_version),
    };
    let text = fleet_text(&root, &releases, &version)?;
    println!("{}", write_if_changed(&root, &out, &text.yaml, &text.summary)?);
    for note in &text.notes {
        println!("  {note}");
    }
    Ok(())
}

/// The path of the primary's full description, relative to the workspace root, as its
/// slice records it: what CI and the benchmarks generate the full API from.
pub fn primary_source(root: &Path) -> anyhow::Result<String> {
    let releases = Releases::read(root)?;
    recorded(root, &releases.primary)?.source.with_context(|| {
        format!(
            "the primary {}'s slice records no full description in the workspace; run `cargo xtask spec --from spec/upstream/FILE`",
            releases.primary
        )
    })
}

/// The provenance release `id`'s slice records.
pub fn recorded(root: &Path, id: &str) -> anyhow::Result<Provenance> {
    releases::check_id(id)?;
    let path = releases::slice_path(id);
    let text = crate::files::read_text(&root.join(&path), crate::files::MAX_DESCRIPTION_BYTES)?;
    slice::provenance(&text).with_context(|| format!("{path} has no `{}...` header", slice::HEADER_START))
}

/// Cuts release `id`'s slice from `from` (relative to `root`), adds `id` to
/// `spec/releases.yaml` when it is new, and returns what it did, for the user.
pub fn add_release(
    root: &Path,
    releases: &mut Releases,
    id: &str,
    from: &str,
    package: Option<&str>,
) -> anyhow::Result<String> {
    releases::check_id(id)?;
    let path = root.join(from);
    let text = crate::files::read_text(&path, crate::files::MAX_DESCRIPTION_BYTES)?;
    let full = slice::parse_document(&text, is_yaml(from)).with_context(|| format!("cannot parse {from}"))?;
    drop(text);
    // Recorded only when the workspace keeps it: no machine's path goes into spec/.
    let kept = inside(root, &path);
    let previous = recorded(root, id).ok();
    let origin = origin(&path, package, kept.as_deref(), previous.as_ref())?;
    let doc = slice::slice_subcategory(&full, SUBCATEGORY).with_context(|| format!("cannot slice {from}"))?;
    let args = match &kept {
        Some(kept) => format!(" --release {id} --from {kept}"),
        None => format!(" --release {id}"),
    };
    let yaml = slice::to_yaml(&doc, &Provenance::header(&args, &origin, SUBCATEGORY))?;
    let summary = summary(&doc);
    let mut done = write_if_changed(root, &releases::slice_path(id), &yaml, &format!("{id}: {summary}"))?;
    if releases.get(id).is_none() {
        let release = infer(&full, id, &releases.api_version);
        done.push_str(&format!("\nadded {id} to {}: {}", releases::FILE, describe(&release)));
        releases.add(release);
        crate::files::write_file(root, releases::FILE, &releases.render())
            .with_context(|| format!("cannot write {}", releases::FILE))?;
    }
    Ok(done)
}

/// A fleet slice ready to write.
pub struct FleetText {
    /// The document, with its header.
    pub yaml: String,
    /// A line on what it holds.
    pub summary: String,
    /// The merge's notes (conflicts it resolved), one line each.
    pub notes: Vec<String>,
}

/// The fleet slice for REST API `version`: the slices of the releases that serve it,
/// each with its `x-github-breaking-changes` for `version` applied, merged. The primary
/// leads unless it does not serve `version`; then the last release that does leads.
pub fn fleet_text(root: &Path, releases: &Releases, version: &str) -> anyhow::Result<FleetText> {
    let members: Vec<&Release> =
        releases.releases.iter().filter(|r| r.api_versions.iter().any(|v| v == version)).collect();
    let Some(last) = members.last() else {
        bail!("no release in {} serves API version {version}", releases::FILE);
    };
    let primary =
        if members.iter().any(|r| r.about.id == releases.primary) { &releases.primary } else { &last.about.id };
    let mut slices = Vec::new();
    let mut changes = 0;
    for release in &members {
        let path = release.slice_path();
        let text = crate::files::read_text(&root.join(&path), crate::files::MAX_DESCRIPTION_BYTES)?;
        let mut doc = slice::parse_document(&text, true).with_context(|| format!("cannot parse {path}"))?;
        let applied = crate::breaking::apply(&mut doc, version)
            .with_context(|| format!("applying {path}'s breaking changes for {version}"))?;
        if !applied.changes.is_empty() {
            changes += applied.changes.len();
            // Cut again: what a patch no longer reaches goes, and a reference a patch
            // adds to a component the slice does not hold is an error naming it.
            doc = slice::slice_subcategory(&doc, SUBCATEGORY).with_context(|| {
                format!("{path} after its breaking changes for {version} (refresh it from the full description)")
            })?;
        }
        slices.push((release.about.id.clone(), doc));
    }
    let fleet = generator_fleet(releases, &members, primary, version);
    let merged = generator::fleet::merge(&fleet, slices).context("merging the release slices")?;
    let args = if version == releases.api_version { String::new() } else { format!(" --api-version {version}") };
    let ids: Vec<&str> = members.iter().map(|r| r.about.id.as_str()).collect();
    let origin = format!("{FLEET_ORIGIN}: {}", ids.join(", "));
    let yaml = slice::to_yaml(&merged.value, &Provenance::header(&args, &origin, SUBCATEGORY))?;
    let summary = format!(
        "{} releases, API version {version}{}: {}",
        members.len(),
        if changes > 0 { format!(", {changes} breaking changes applied") } else { String::new() },
        summary(&merged.value)
    );
    Ok(FleetText { yaml, summary, notes: merged.notes })
}

/// What the merge is given of the releases: the fleet's members, in `spec/releases.yaml`'s order.
fn generator_fleet(releases: &Releases, members: &[&Release], primary: &str, version: &str) -> Fleet {
    Fleet {
        primary: primary.to_owned(),
        api_version: Some(version.to_owned()),
        release_header: releases.release_header.clone(),
        releases: members.iter().map(|r| r.about.clone()).collect(),
    }
}

/// A release's entry inferred from its full description: GitHub's descriptions say
/// their plan (`ghes`, `ghec`, `api.github.com`) and an Enterprise Server's release in
/// `info`; the API versions are the fleet's and those its breaking changes name.
fn infer(full: &Value, id: &str, base_version: &str) -> Release {
    let info = &full["info"];
    let plan = info["x-github-plan"].as_str().unwrap_or_default();
    let number = match &info["x-github-release"] {
        Value::String(text) => Some(text.clone()),
        // YAML and JSON read `3.10` as a number: the id says how it is written.
        Value::Number(_) => id.strip_prefix("ghes-").map(str::to_owned),
        _ => None,
    };
    let mut api_versions = vec![base_version.to_owned()];
    let mut todo = vec![full];
    while let Some(node) = todo.pop() {
        match node {
            Value::Object(map) => {
                for entry in map.get(crate::breaking::KEY).and_then(Value::as_array).into_iter().flatten() {
                    if let Some(version) = entry["version"].as_str() {
                        if !api_versions.iter().any(|v| v == version) && releases::check_api_version(version).is_ok() {
                            api_versions.push(version.to_owned());
                        }
                    }
                }
                todo.extend(map.values());
            }
            Value::Array(items) => todo.extend(items),
            _ => {}
        }
    }
    api_versions.sort();
    let (name, family) = match (plan, &number) {
        ("ghes", Some(_)) => (None, Some("GitHub Enterprise Server".to_owned())),
        ("ghec", _) => (Some("GHEC".to_owned()), None),
        ("api.github.com", _) => (Some("github.com".to_owned()), None),
        _ => (Some(id.to_owned()), None),
    };
    let version = family.as_ref().and(number);
    let about = generator::fleet::Release { id: id.to_owned(), name, family, header_value: version.clone(), version };
    Release { about, api_versions }
}

/// One line on an entry of `spec/releases.yaml`.
fn describe(release: &Release) -> String {
    format!("{}, API versions {}", release.about.display_name(), release.api_versions.join(", "))
}

/// Where the description at `path` came from: `--package` if given, else the npm
/// package whose `generated/` folder holds it (its `package.json`), else what the
/// slice recorded when it was cut from the same kept file.
fn origin(
    path: &Path,
    package: Option<&str>,
    kept: Option<&str>,
    previous: Option<&Provenance>,
) -> anyhow::Result<String> {
    let file = path.file_name().and_then(|n| n.to_str()).context("the description's file name is not UTF-8")?;
    let origin = if let Some(package) = package {
        format!("{package}, {file}")
    } else if let Some(package) = npm_package(path) {
        format!("{package}, generated/{file}")
    } else if let Some(previous) = previous.filter(|p| p.source.is_some() && p.source.as_deref() == kept) {
        previous.origin.clone()
    } else {
        bail!("cannot tell which package {file} comes from (no package.json beside its folder): give --package 'NAME VERSION', e.g. --package '@octokit/openapi 23.0.2'");
    };
    if origin.len() > 200 || origin.contains(['`', '(', ')', ';']) || origin.chars().any(char::is_control) {
        bail!("the origin `{}` must be one line of at most 200 characters without `, (, ) or ;", origin.escape_debug());
    }
    Ok(origin)
}

/// `NAME VERSION` of the npm package whose `generated/` folder holds `path`.
fn npm_package(path: &Path) -> Option<String> {
    let folder = path.parent()?;
    if folder.file_name()? != "generated" {
        return None;
    }
    let manifest = crate::files::read_text(&folder.parent()?.join("package.json"), 1024 * 1024).ok()?;
    let manifest: Value = serde_json::from_str(&manifest).ok()?;
    Some(format!("{} {}", manifest["name"].as_str()?, manifest["version"].as_str()?))
}

/// `path` relative to `root` with `/` separators, when it is a file below `root`.
fn inside(root: &Path, path: &Path) -> Option<String> {
    let (root, path) = (root.canonicalize().ok()?, path.canonicalize().ok()?);
    let relative = path.strip_prefix(&root).ok()?;
    let parts: Option<Vec<&str>> = relative.components().map(|c| c.as_os_str().to_str()).collect();
    let relative = parts?.join("/");
    // The header must read back: no backtick, no ` --`, one line.
    let readable = !relative.contains(" --") && !relative.contains('`') && !relative.chars().any(char::is_control);
    readable.then_some(relative)
}

fn is_yaml(from: &str) -> bool {
    matches!(Path::new(from).extension().and_then(|e| e.to_str()), Some("yaml" | "yml"))
}

/// `N operations, M components` of a slice.
fn summary(doc: &Value) -> String {
    let operations = slice::operations(doc).count();
    let sections = doc.get("components").and_then(|c| c.as_object()).into_iter().flatten();
    let components: usize = sections.filter_map(|(_, section)| section.as_object().map(|entries| entries.len())).sum();
    format!("{operations} operations, {components} components")
}

/// Writes `text` to `out` (relative to `root`, below `spec/` or `target/`) if its bytes
/// changed; never through a link, never over anything but a regular file.
pub fn write_if_changed(root: &Path, out: &str, text: &str, summary: &str) -> anyhow::Result<String> {
    if !crate::files::is_plain_relative(out) || !OUT_FOLDERS.iter().any(|folder| out.starts_with(folder)) {
        bail!("{out}: slices are written only below {} of the workspace, as a relative path", OUT_FOLDERS.join(" or "));
    }
    let out_path = root.join(out);
    if std::fs::symlink_metadata(&out_path).is_ok_and(|m| m.file_type().is_symlink()) {
        bail!("{out} is a symbolic link: the slice is never written through one; its target was not touched");
    }
    // Read for comparison only if it is a regular file; written through no link.
    if crate::files::read_text(&out_path, crate::files::MAX_DESCRIPTION_BYTES).is_ok_and(|old| old == text) {
        return Ok(format!("{out} is up to date ({summary})"));
    }
    crate::files::write_file(root, out, text).with_context(|| format!("cannot write {out}"))?;
    Ok(format!("wrote {out} ({summary})"))
}

/// Cuts the workflow-runs slice out of `text` (a full description or a slice, read from
/// `from`) into `out` below `root`: try-release's copy of a single release.
pub fn slice_text(root: &Path, text: &str, from: &str, out: &str) -> anyhow::Result<String> {
    let full = slice::parse_document(text, is_yaml(from)).with_context(|| format!("cannot parse {from}"))?;
    let doc = slice::slice_subcategory(&full, SUBCATEGORY).with_context(|| format!("cannot slice {from}"))?;
    let name = Path::new(from).file_name().and_then(|n| n.to_str()).unwrap_or("the file given");
    let yaml = slice::to_yaml(&doc, &Provenance::header("", &format!("try-release of {name}"), SUBCATEGORY))?;
    write_if_changed(root, out, &yaml, &summary(&doc))
}

#[cfg(test)]
mod tests {
    use super::*;

    const FULL: &str = r#"{"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {"/runs": {"get": {
        "operationId": "runs/list", "x-github": {"subcategory": "workflow-runs"}, "responses": {"204": {"description": "none"}}}}}}"#;

    #[test]
    fn the_slice_is_never_written_through_a_link_nor_outside_spec_or_target() {
        let dir = std::env::temp_dir().join(format!("xtask-spec-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("spec")).unwrap();
        std::fs::write(dir.join("elsewhere.yaml"), "theirs\n").unwrap();
        std::os::unix::fs::symlink(dir.join("elsewhere.yaml"), dir.join("spec/slice.yaml")).unwrap();
        let error = slice_text(&dir, FULL, "full.json", "spec/slice.yaml").unwrap_err().to_string();
        assert!(error.contains("spec/slice.yaml is a symbolic link"), "{error}");
        assert_eq!(std::fs::read_to_string(dir.join("elsewhere.yaml")).unwrap(), "theirs\n");
        // Without the link, the slice is written, then found up to date.
        std::fs::remove_file(dir.join("spec/slice.yaml")).unwrap();
        assert!(slice_text(&dir, FULL, "full.json", "spec/slice.yaml").unwrap().starts_with("wrote spec/slice.yaml"));
        assert!(slice_text(&dir, FULL, "full.json", "spec/slice.yaml").unwrap().contains("is up to date"));
        for out in ["README.md", "../spec/x.yaml", "/tmp/x.yaml", "spec/../README.md"] {
            let error = slice_text(&dir, FULL, "full.json", out).unwrap_err().to_string();
            assert!(error.contains("only below spec/ or target/"), "{out}: {error}");
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_release_is_inferred_from_its_description() {
        let ghes = serde_json::json!({"info": {"x-github-plan": "ghes", "x-github-release": 3.2}});
        let release = infer(&ghes, "ghes-3.20", "2022-11-28");
        assert_eq!(release.about.family.as_deref(), Some("GitHub Enterprise Server"));
        assert_eq!(
            (release.about.version.as_deref(), release.about.header_value.as_deref()),
            (Some("3.20"), Some("3.20"))
        );
        let dotcom = serde_json::json!({"info": {"x-github-plan": "api.github.com"}, "components": {"schemas": {"a": {
            crate::breaking::KEY: [{"version": "2026-03-10", "patch": {}}, {"version": "bad", "patch": {}}]}}}});
        let release = infer(&dotcom, "api.github.com", "2022-11-28");
        assert_eq!(release.about.name.as_deref(), Some("github.com"));
        assert_eq!(release.api_versions, ["2022-11-28", "2026-03-10"]);
    }

    /// The fleet for API version 2026-03-10: github.com and GHEC with their breaking
    /// changes for it applied, so the repository objects lose `has_downloads`, and the
    /// client generated from it sends that version.
    #[test]
    fn the_next_api_versions_fleet_drops_what_it_removes_and_sends_its_version() {
        let root = crate::root();
        let releases = Releases::read(&root).unwrap();
        let fleet = fleet_text(&root, &releases, "2026-03-10").unwrap();
        assert!(
            fleet.yaml.starts_with("# Generated by `cargo xtask spec --api-version 2026-03-10` from"),
            "{}",
            fleet.summary
        );
        let doc = slice::parse_document(&fleet.yaml, true).unwrap();
        let schemas = doc["components"]["schemas"].as_object().unwrap();
        let repositories: Vec<&String> = schemas.keys().filter(|name| name.contains("repository")).collect();
        assert!(repositories.iter().any(|name| *name == "minimal-repository"), "{repositories:?}");
        for name in &repositories {
            assert!(schemas[*name]["properties"].get("has_downloads").is_none(), "{name} still has has_downloads");
        }
        assert!(!fleet.yaml.contains("has_downloads"), "an example or schema still names has_downloads");
        let list: Vec<&str> =
            doc["x-releases"]["list"].as_array().unwrap().iter().map(|r| r["id"].as_str().unwrap()).collect();
        assert_eq!(list, ["ghec", "api.github.com"], "only the releases that serve 2026-03-10");
        // The fleet of today's version keeps it: the patches apply to the next version only.
        let today = fleet_text(&root, &releases, &releases.api_version).unwrap();
        assert!(today.yaml.contains("has_downloads"), "{}", today.summary);

        let overrides = std::fs::read_to_string(root.join("spec/overrides.yaml")).unwrap();
        let options = generator::Options {
            command: crate::codegen::COMMAND.into(),
            crate_name: crate::codegen::CRATE_NAME.into(),
            ..Default::default()
        };
        let output = generator::generate(&fleet.yaml, &overrides, &options).unwrap();
        let module = &output.files["src/generated/mod.rs"];
        assert!(module.contains("pub const DEFAULT_API_VERSION: &str = \"2026-03-10\";"), "{module}");
        assert!(module.contains("Some(DEFAULT_API_VERSION)"), "the version is handed to the client: {module}");
    }

    /// `spec/workflow-runs.yaml` is the merge of the kept slices: a slice refreshed by
    /// hand without `cargo xtask spec` fails here.
    mod fresh {
        #[test]
        fn the_fleet_slice_is_up_to_date() {
            let root = crate::root();
            let releases = crate::releases::Releases::read(&root).unwrap();
            let fleet = super::super::fleet_text(&root, &releases, &releases.api_version).unwrap();
            let checked_in = std::fs::read_to_string(root.join(super::super::SLICE)).unwrap();
            assert!(checked_in == fleet.yaml, "{} is stale: run `cargo xtask spec`", super::super::SLICE);
        }

        /// Every whole example a kept release's slice gives (a media type's `example`, each
        /// value of an `examples` map) is in the fleet slice, so the client's golden tests
        /// (`spec_examples`), which decode the fleet slice's examples of request and
        /// response bodies with the generated types, decode each release's own examples.
        #[test]
        fn every_releases_examples_are_decoded_by_the_golden_tests() {
            let root = crate::root();
            let releases = crate::releases::Releases::read(&root).unwrap();
            let read = |path: &str| {
                let text = std::fs::read_to_string(root.join(path)).unwrap();
                generator::parse_text(&text).unwrap()
            };
            let in_fleet = examples(&read(super::super::SLICE));
            assert!(in_fleet.len() >= 10, "the fleet slice has {} examples", in_fleet.len());
            for release in &releases.releases {
                let path = release.slice_path();
                let missing: Vec<String> =
                    examples(&read(&path)).into_iter().filter(|value| !in_fleet.contains(value)).collect();
                assert!(missing.is_empty(), "{path} has examples the fleet slice lacks: {missing:?}");
            }
        }

        /// The whole example values of a description (not the `example` of a property,
        /// which is a part of one), each as its JSON text.
        fn examples(doc: &serde_json::Value) -> std::collections::BTreeSet<String> {
            let mut found = std::collections::BTreeSet::new();
            let mut stack = vec![doc];
            while let Some(node) = stack.pop() {
                match node {
                    serde_json::Value::Object(map) => {
                        for (key, value) in map {
                            match (key.as_str(), value) {
                                ("example", value) if map.contains_key("schema") => {
                                    found.insert(value.to_string());
                                }
                                ("example", _) => {}
                                ("examples", serde_json::Value::Object(named)) => {
                                    for example in named.values() {
                                        match example.get("value") {
                                            Some(value) => {
                                                found.insert(value.to_string());
                                            }
                                            None => stack.push(example),
                                        }
                                    }
                                }
                                _ => stack.push(value),
                            }
                        }
                    }
                    serde_json::Value::Array(items) => stack.extend(items),
                    _ => {}
                }
            }
            found
        }
    }
}
