//! Snapshot tests: each `snapshots/NAME.yaml` is a small description exercising one
//! construct, and the files generated from it are checked in, as the generator writes
//! them, under `output/NAME/` (real `.rs` modules one can open and read, the public API
//! summary, the examples, and `warnings.txt` with the generator's warnings). Each test
//! compares them byte for byte and fails on a missing, changed or left-over file.
//!
//! `snapshots_compile` makes every snapshot a standalone crate (its checked-in files plus
//! the runtime, `src/lib.rs` and `Cargo.toml`), all members of one scratch workspace, and
//! type-checks them with one `cargo check`, so a snapshot never shows code that does not
//! compile. It is slow and runs only with `RUN_SLOW_TESTS` (CI sets it).
//!
//! After an intended change, refresh with
//! `UPDATE_SNAPSHOTS=1 cargo test -p generator --test snapshots` and review the diff.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Every snapshot, by the name of its description.
const SNAPSHOTS: &[&str] = &[
    "scalars",
    "optional_nullable",
    "string_enum",
    "unions",
    "composition",
    "recursion",
    "naming",
    "operations",
    "union_of_aliases",
    "required_true",
    "big_integers",
    "multipart",
    "pointer_refs",
    "name_collisions",
    "nullable_refs",
    "security_schemes",
    "v31_type_lists",
    "v31_const_examples",
    "v31_refs_defs",
    "v31_keywords",
    "v31_document",
    "v31_const_enums",
];

/// The generator's warnings, one a line, in the snapshot's folder.
const WARNINGS: &str = "warnings.txt";

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests")
}

/// The options a snapshot is generated with: a crate and package name of its own, so the
/// snapshots can be members of one workspace; `standalone` adds the runtime, `lib.rs` and
/// `Cargo.toml`.
fn options(name: &str, standalone: bool) -> generator::Options {
    generator::Options {
        command: "cargo test -p generator --test snapshots".into(),
        crate_name: format!("snapshot_{name}"),
        package: standalone.then(|| format!("snapshot-{name}")),
        ..Default::default()
    }
}

/// The files a snapshot is made of, by path below its folder: the generated files and the
/// warnings.
fn render(name: &str) -> BTreeMap<String, String> {
    let spec = std::fs::read_to_string(dir().join(format!("snapshots/{name}.yaml"))).unwrap();
    let output = generator::generate(&spec, "", &options(name, false))
        .unwrap_or_else(|e| panic!("{name}: generation failed: {e}"));
    let mut files = output.files;
    let warnings: String = output.warnings.iter().map(|w| format!("{w}\n")).collect();
    files.insert(WARNINGS.to_owned(), warnings);
    files
}

/// Every file below `root`, by its path relative to it with `/` separators.
fn files_below(root: &Path) -> BTreeMap<String, String> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, String>) {
        let Ok(entries) = std::fs::read_dir(dir) else { return };
        for entry in entries {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                let rel = path.strip_prefix(root).unwrap().to_string_lossy().replace('\\', "/");
                out.insert(rel, std::fs::read_to_string(&path).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(root, root, &mut out);
    out
}

fn check(name: &str) {
    let actual = render(name);
    let folder = dir().join("output").join(name);
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        let _ = std::fs::remove_dir_all(&folder);
        for (path, contents) in &actual {
            let file = folder.join(path);
            std::fs::create_dir_all(file.parent().unwrap()).unwrap();
            std::fs::write(file, contents).unwrap();
        }
        return;
    }
    let expected = files_below(&folder);
    let hint = "run `UPDATE_SNAPSHOTS=1 cargo test -p generator --test snapshots` and review the diff";
    let (written, kept): (Vec<&String>, Vec<&String>) = (actual.keys().collect(), expected.keys().collect());
    assert_eq!(written, kept, "snapshot {name}: the generated files are not the checked-in ones; {hint}");
    for (path, actual) in &actual {
        let expected = &expected[path];
        if expected != actual {
            let line = expected
                .lines()
                .zip(actual.lines())
                .position(|(a, b)| a != b)
                .unwrap_or(expected.lines().count().min(actual.lines().count()));
            panic!(
                "snapshot {name}: output/{name}/{path} differs from line {}:\n  expected: {:?}\n  actual:   {:?}\n{hint}",
                line + 1,
                expected.lines().nth(line).unwrap_or("<end>"),
                actual.lines().nth(line).unwrap_or("<end>"),
            );
        }
    }
}

macro_rules! snapshots {
    ($($name:ident),* $(,)?) => {
        $( #[test] fn $name() { check(stringify!($name)); } )*
        /// The list the compile check walks names every snapshot test.
        #[test]
        fn every_snapshot_is_compiled() {
            assert_eq!(SNAPSHOTS, [$(stringify!($name)),*]);
        }
    };
}

snapshots!(
    scalars,
    optional_nullable,
    string_enum,
    unions,
    composition,
    recursion,
    naming,
    operations,
    union_of_aliases,
    required_true,
    big_integers,
    multipart,
    pointer_refs,
    name_collisions,
    nullable_refs,
    security_schemes,
    v31_type_lists,
    v31_const_examples,
    v31_refs_defs,
    v31_keywords,
    v31_document,
    v31_const_enums,
);

/// The snapshots compile: each one's checked-in files, made a standalone crate, all
/// members of one scratch workspace (kept in cargo's test scratch directory) type-checked with every target and no warning by one
/// `cargo check`, over the target directory every suite that checks generated crates
/// shares. The `mock` feature is on, so the mocks are checked too (the failure-class
/// crates of `xtask` are checked without it).
#[test]
fn snapshots_compile() {
    if common::skip_slow("type-checking the snapshot crates") {
        return;
    }
    // Kept between runs, and a file written only when its text changed: cargo then
    // checks again only the snapshots that changed.
    let workspace = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("snapshot-crates");
    let write = |file: &Path, contents: &str| {
        if std::fs::read_to_string(file).ok().as_deref() != Some(contents) {
            std::fs::create_dir_all(file.parent().unwrap()).unwrap();
            std::fs::write(file, contents).unwrap();
        }
    };
    let mut features = Vec::new();
    for name in SNAPSHOTS {
        let spec = std::fs::read_to_string(dir().join(format!("snapshots/{name}.yaml"))).unwrap();
        let output = generator::generate(&spec, "", &options(name, true)).unwrap();
        let snapshot = files_below(&dir().join("output").join(name));
        let krate = workspace.join(name);
        for (path, contents) in &output.files {
            // The checked-in text is what is compiled; the standalone files are the same.
            let contents = match snapshot.get(path) {
                Some(checked_in) => {
                    assert_eq!(
                        checked_in, contents,
                        "{name}: {path} is not the checked-in text; run the snapshot tests first"
                    );
                    checked_in
                }
                None => contents,
            };
            let contents = match path.as_str() {
                // A member of the scratch workspace rather than a workspace of its own.
                "Cargo.toml" => {
                    contents.trim_end().strip_suffix("[workspace]").expect("the manifest ends with [workspace]")
                }
                _ => contents.as_str(),
            };
            write(&krate.join(path), contents);
        }
        for path in snapshot.keys().filter(|p| p.as_str() != WARNINGS) {
            assert!(output.files.contains_key(path), "{name}: the standalone crate lacks the checked-in {path}");
        }
        features.push(format!("snapshot-{name}/mock"));
    }
    let members: Vec<String> = SNAPSHOTS.iter().map(|m| format!("{m:?}")).collect();
    write(
        &workspace.join("Cargo.toml"),
        &format!("[workspace]\nresolver = \"2\"\nmembers = [{}]\n", members.join(", ")),
    );
    write(&workspace.join("Cargo.lock"), &std::fs::read_to_string(dir().join("../../Cargo.lock")).unwrap());
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let check = std::process::Command::new(&cargo)
        .args(["check", "--offline", "--workspace", "--all-targets", "--message-format", "short", "--features"])
        .arg(features.join(","))
        .current_dir(&workspace)
        .env("CARGO_TARGET_DIR", PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("generated-check"))
        .env_remove("RUSTFLAGS")
        .output()
        .expect("cargo runs");
    let stderr = String::from_utf8_lossy(&check.stderr);
    assert!(check.status.success(), "{stderr}");
    let warnings: Vec<&str> = stderr.lines().filter(|l| l.contains("warning")).collect();
    assert!(warnings.is_empty(), "{}", warnings.join("\n"));
}
