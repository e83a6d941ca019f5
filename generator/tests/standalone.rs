//! The standalone crate's parts that are data stay equal to what they mirror in the
//! workspace: dependency lines, the list of runtime files, and the crate root's items.

use generator::ir::Flavor;
use generator::standalone::{
    dependencies, runtime, DEPENDENCIES, EDITION, FEATURES, GITHUB_DEPENDENCIES, GITHUB_RUNTIME,
};
use quote::ToTokens;
use std::collections::BTreeMap;
use std::path::PathBuf;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn read(rel: &str) -> String {
    std::fs::read_to_string(root().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// The `key = value` lines of one `[table]` of a manifest.
fn table(toml: &str, header: &str) -> BTreeMap<String, String> {
    toml.lines()
        .skip_while(|line| line.trim() != header)
        .skip(1)
        .take_while(|line| !line.trim_start().starts_with('['))
        .filter(|line| !line.trim().is_empty() && !line.trim_start().starts_with('#'))
        .filter_map(|line| line.split_once('=').map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned())))
        .collect()
}

#[test]
fn dependencies_are_the_clients_with_the_workspace_pins() {
    let workspace = table(&read("Cargo.toml"), "[workspace.dependencies]");
    let client = table(&read("generated-client/Cargo.toml"), "[dependencies]");
    let expected: BTreeMap<String, String> = client
        .iter()
        .map(|(name, line)| {
            let name = name.trim_end_matches(".workspace").to_owned();
            let pin =
                workspace.get(&name).unwrap_or_else(|| panic!("`{name}` is not in [workspace.dependencies]")).clone();
            // An optional dependency stays optional: `{ workspace = true, optional = true }`.
            let pin = match line.contains("optional = true") {
                true if pin.starts_with('{') => format!("{}, optional = true }}", pin.trim_end_matches('}').trim_end()),
                true => format!("{{ version = {pin}, optional = true }}"),
                false => pin,
            };
            (name, pin)
        })
        .collect();
    let compiled: BTreeMap<String, String> =
        dependencies(Flavor::GitHub).into_iter().map(|(n, v)| (n.to_owned(), v.to_owned())).collect();
    assert_eq!(
        compiled, expected,
        "update generator::standalone::DEPENDENCIES or GITHUB_DEPENDENCIES to match Cargo.toml"
    );
    // A plain crate has the runtime's dependencies, not those of GitHub App authentication.
    let plain: Vec<&str> = dependencies(Flavor::Plain).into_iter().map(|(name, _)| name).collect();
    assert_eq!(plain.len(), DEPENDENCIES.len());
    for (name, _) in GITHUB_DEPENDENCIES {
        assert!(!plain.contains(name) && compiled.contains_key(*name), "{name}");
    }
    let features = table(&read("generated-client/Cargo.toml"), "[features]");
    let compiled: BTreeMap<String, String> = FEATURES.iter().map(|(n, v)| ((*n).to_owned(), (*v).to_owned())).collect();
    assert_eq!(compiled, features, "update generator::standalone::FEATURES to match generated-client/Cargo.toml");
    let edition = table(&read("Cargo.toml"), "[workspace.package]");
    assert_eq!(edition.get("edition").map(String::as_str), Some(format!("\"{EDITION}\"").as_str()));
}

#[test]
fn every_runtime_file_of_the_client_is_vendored_as_compiled() {
    let mut on_disk: Vec<String> = std::fs::read_dir(root().join("generated-client/src/runtime"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .map(|p| format!("src/runtime/{}", p.file_name().unwrap().to_string_lossy()))
        .collect();
    on_disk.push("tests/golden/mod.rs".to_owned());
    on_disk.sort();
    let mut vendored: Vec<String> = runtime(Flavor::GitHub).map(|(path, _)| path.to_owned()).collect();
    vendored.sort();
    assert_eq!(vendored, on_disk);
    for (path, text) in runtime(Flavor::GitHub) {
        assert_eq!(text, read(&format!("generated-client/{path}")), "{path}");
    }
    // Plain crates get all of it but GitHub's conventions.
    let plain: Vec<&str> = runtime(Flavor::Plain).map(|(path, _)| path).collect();
    assert_eq!(plain.len() + GITHUB_RUNTIME.len(), vendored.len());
    assert!(!plain.contains(&"src/runtime/github.rs") && !plain.contains(&"src/runtime/github_app.rs"));
    for (path, text) in runtime(Flavor::Plain) {
        assert!(!text.to_lowercase().contains("github"), "{path} names GitHub");
    }
}

/// The items of a crate root, without doc comments and without doctest-only items, sorted.
fn items(source: &str) -> Vec<String> {
    let file = syn::parse_file(source).unwrap();
    let mut items: Vec<String> = file
        .items
        .into_iter()
        .filter_map(|mut item| {
            let attrs = match &mut item {
                syn::Item::Mod(m) => &mut m.attrs,
                syn::Item::Use(u) => &mut u.attrs,
                syn::Item::Type(t) => &mut t.attrs,
                syn::Item::Struct(s) => &mut s.attrs,
                other => panic!("unexpected item {}", other.to_token_stream()),
            };
            if attrs.iter().any(|a| a.to_token_stream().to_string().contains("doctest")) {
                return None;
            }
            attrs.retain(|a| !a.path().is_ident("doc") || a.to_token_stream().to_string().contains("hidden"));
            // How rustfmt treats an item is no part of what the crate exports.
            attrs.retain(|a| a.path().segments.first().is_none_or(|s| s.ident != "rustfmt"));
            // A list broken over lines ends with a comma; the tokens are the same otherwise.
            Some(item.to_token_stream().to_string().replace(" , }", " }"))
        })
        .collect();
    items.sort();
    items
}

#[test]
fn the_standalone_crate_root_exports_what_the_client_exports() {
    let options = generator::Options {
        command: "cargo xtask generate --name workflow-runs-client".into(),
        crate_name: "workflow_runs_client".into(),
        package: Some("workflow-runs-client".into()),
        ..Default::default()
    };
    let output = generator::generate(&read("spec/workflow-runs.yaml"), &read("spec/overrides.yaml"), &options).unwrap();
    assert_eq!(items(&output.files["src/lib.rs"]), items(&read("generated-client/src/lib.rs")));
    let manifest = &output.files["Cargo.toml"];
    assert!(
        manifest
            .contains("description = \"Typed async client for GitHub's official OpenAPI spec + Octokit extension.\""),
        "{manifest}"
    );
    assert!(manifest.starts_with("# @generated by `cargo xtask generate --name workflow-runs-client`"), "{manifest}");
    assert!(
        manifest.contains("name = \"workflow-runs-client\"") && manifest.trim_end().ends_with("[workspace]"),
        "{manifest}"
    );
    assert!(manifest.contains("\njsonwebtoken = ") && manifest.contains("\npem = "), "{manifest}");
    for (path, _) in runtime(Flavor::GitHub) {
        assert!(output.files.contains_key(path), "{path}");
    }
}

#[test]
fn a_hostile_title_is_one_clean_line_in_the_docs_and_the_manifest() {
    let spec = "{\"openapi\": \"3.0.3\", \"info\": {\"title\": \"A \\\"quoted\\\"\\r\\n\\u0007\\u202eAPI\\\\\", \"version\": \"1\\r\"}, \"paths\": {}}";
    let options = generator::Options {
        command: "test".into(),
        crate_name: "demo_client".into(),
        package: Some("demo-client".into()),
        ..Default::default()
    };
    let output = generator::generate(spec, "", &options).unwrap();
    let manifest = &output.files["Cargo.toml"];
    assert!(manifest.contains("name = \"demo-client\""), "{manifest}");
    assert!(manifest.contains("description = \"Typed async client for A \\\"quoted\\\" API\\\\.\"\n"), "{manifest}");
    assert!(!manifest.contains("path ="), "{manifest}");
    assert!(
        !manifest.contains("jsonwebtoken") && !manifest.contains("pem ="),
        "a plain crate has no GitHub App signing: {manifest}"
    );
    // wiremock only behind the `mock` feature, never a dependency of the client itself.
    assert!(
        manifest.contains("wiremock = { version = \"0.6\", optional = true }\n")
            && manifest.contains("mock = [\"dep:wiremock\"]\n"),
        "{manifest}"
    );
    let lib = &output.files["src/lib.rs"];
    assert!(lib.contains("//! A typed async client for A \"quoted\" API\\ (version 1).\n"), "{lib}");
}

/// Without a `package` entry a crate cannot be published; with one that says
/// `publish: true`, its manifest carries the registry metadata it gives, every value a
/// TOML string that stays on its line.
#[test]
fn the_package_entry_sets_the_registry_metadata_and_publishability() {
    let spec = "{\"openapi\": \"3.0.3\", \"info\": {\"title\": \"Pets\", \"version\": \"1\"}, \"paths\": {}}";
    let options = generator::Options {
        command: "test".into(),
        crate_name: "pet_client".into(),
        package: Some("pet-client".into()),
        ..Default::default()
    };
    let manifest =
        |overrides: &str| generator::generate(spec, overrides, &options).unwrap().files["Cargo.toml"].clone();

    let default = manifest("");
    let package = table(&default, "[package]");
    assert_eq!(package.get("publish").map(String::as_str), Some("false"), "{default}");
    assert_eq!(package.get("version").map(String::as_str), Some("\"0.1.0\""), "{default}");
    assert!(!package.contains_key("license") && !package.contains_key("repository"), "{default}");
    // docs.rs shows every feature's items either way.
    let docs = table(&default, "[package.metadata.docs.rs]");
    assert_eq!(docs.get("all-features").map(String::as_str), Some("true"), "{default}");
    assert_eq!(docs.get("rustdoc-args").map(String::as_str), Some("[\"--cfg\", \"docsrs\"]"), "{default}");

    let overrides = "package:\n  version: 2.1.0\n  description: \"Pets, \\\"typed\\\".\\n[dependencies]\"\n  license: MIT OR Apache-2.0\n  repository: https://example.com/pets\n  homepage: https://example.com\n  documentation: https://example.com/docs\n  keywords: [pets, api]\n  categories: [api-bindings]\n  publish: true\n";
    let published = manifest(overrides);
    let package = table(&published, "[package]");
    let expected = [
        ("name", "\"pet-client\""),
        ("version", "\"2.1.0\""),
        ("edition", "\"2021\""),
        ("description", "\"Pets, \\\"typed\\\".\\u000A[dependencies]\""),
        ("license", "\"MIT OR Apache-2.0\""),
        ("repository", "\"https://example.com/pets\""),
        ("homepage", "\"https://example.com\""),
        ("documentation", "\"https://example.com/docs\""),
        ("keywords", "[\"pets\", \"api\"]"),
        ("categories", "[\"api-bindings\"]"),
    ];
    let expected: BTreeMap<String, String> = expected.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
    assert_eq!(package, expected, "{published}");
    assert_eq!(published.matches("[dependencies]").count(), 2, "the description stays inside its string: {published}");

    // The entry has no manifest to go to in a checked-in client's output.
    let module_only = generator::Options { package: None, ..options.clone() };
    let error = generator::generate(spec, "package:\n  license: MIT\n", &module_only).unwrap_err().to_string();
    assert!(error.contains("`package` describes a crate of its own"), "{error}");
}
