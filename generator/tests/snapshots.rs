//! Snapshot tests: each `snapshots/NAME.yaml` is a small spec exercising one construct;
//! the files generated from it are compared with `snapshots/NAME.snap`.
//!
//! After an intended change, refresh with
//! `UPDATE_SNAPSHOTS=1 cargo test -p generator --test snapshots` and review the diff.

use std::path::PathBuf;

fn render(spec: &str) -> String {
    let options = generator::Options {
        command: "cargo test -p generator --test snapshots".into(),
        crate_name: "snapshot_client".into(),
        ..Default::default()
    };
    let output = generator::generate(spec, "", &options).unwrap_or_else(|e| panic!("generation failed: {e}"));
    let mut text = String::new();
    for warning in &output.warnings {
        text.push_str(&format!("// {warning}\n"));
    }
    for (path, contents) in &output.files {
        text.push_str(&format!("// ===== {path} =====\n{contents}\n"));
    }
    text
}

fn check(name: &str) {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots");
    let spec = std::fs::read_to_string(dir.join(format!("{name}.yaml"))).unwrap();
    let actual = render(&spec);
    let snap = dir.join(format!("{name}.snap"));
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(&snap, &actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&snap).unwrap_or_default();
    if expected != actual {
        let line = expected.lines().zip(actual.lines()).position(|(a, b)| a != b).unwrap_or(expected.lines().count().min(actual.lines().count()));
        panic!(
            "snapshot {name} differs from line {}:\n  expected: {:?}\n  actual:   {:?}\nrun `UPDATE_SNAPSHOTS=1 cargo test -p generator --test snapshots` and review the diff",
            line + 1,
            expected.lines().nth(line).unwrap_or("<end>"),
            actual.lines().nth(line).unwrap_or("<end>"),
        );
    }
}

macro_rules! snapshots {
    ($($name:ident),* $(,)?) => {
        $( #[test] fn $name() { check(stringify!($name)); } )*
    };
}

snapshots!(scalars, optional_nullable, string_enum, unions, composition, recursion, naming, operations, union_of_aliases, required_true, big_integers, multipart, pointer_refs, name_collisions, nullable_refs);
