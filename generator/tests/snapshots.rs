//! Snapshot tests: each `snapshots/NAME.yaml` is a small spec exercising one construct;
//! the files generated from it are compared with `snapshots/NAME.snap`, and
//! `snapshots_compile` type-checks the same files as a standalone crate, so a snapshot
//! never shows code that does not compile.
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

snapshots!(scalars, optional_nullable, string_enum, unions, composition, recursion, naming, operations, union_of_aliases, required_true, big_integers, multipart, pointer_refs, name_collisions, nullable_refs, security_schemes);

/// The snapshots compile: each spec's generated modules, exactly as snapshotted, made a
/// standalone crate and type-checked without warnings, one `cargo check`
/// per snapshot over a target directory kept between runs. The `mock` feature is on, so
/// the mocks are checked too (the failure-class crates of `xtask` are checked without it).
#[test]
fn snapshots_compile() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots");
    let scratch = std::env::temp_dir().join(format!("generator-snapshots-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&scratch);
    let target = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("generated-check");
    let lock = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../Cargo.lock");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    for name in [
        "scalars", "optional_nullable", "string_enum", "unions", "composition", "recursion", "naming", "operations",
        "union_of_aliases", "required_true", "big_integers", "multipart", "pointer_refs", "name_collisions", "nullable_refs",
        "security_schemes",
    ] {
        let spec = std::fs::read_to_string(dir.join(format!("{name}.yaml"))).unwrap();
        let options = generator::Options {
            command: "cargo test -p generator --test snapshots".into(),
            // A package name of its own per snapshot: crates that share a target directory
            // and a package name can be taken for one another by cargo's freshness check.
            crate_name: format!("snapshot_{name}"),
            package: Some(format!("snapshot-{name}")),
            ..Default::default()
        };
        let output = generator::generate(&spec, "", &options).unwrap();
        let snapshot = std::fs::read_to_string(dir.join(format!("{name}.snap"))).unwrap();
        let krate = scratch.join(name);
        for (path, contents) in &output.files {
            if path.starts_with("src/generated/") {
                assert!(snapshot.contains(contents.as_str()), "{name}: {path} is not the snapshotted text");
            }
            let file = krate.join(path);
            std::fs::create_dir_all(file.parent().unwrap()).unwrap();
            std::fs::write(file, contents).unwrap();
        }
        std::fs::copy(&lock, krate.join("Cargo.lock")).unwrap();
        let check = std::process::Command::new(&cargo)
            .args(["check", "--offline", "--all-targets", "--features", "mock", "--message-format", "short"])
            .current_dir(&krate)
            .env("CARGO_TARGET_DIR", &target)
            .env_remove("RUSTFLAGS")
            .output()
            .expect("cargo runs");
        let stderr = String::from_utf8_lossy(&check.stderr);
        assert!(check.status.success(), "{name}: {stderr}");
        let warnings: Vec<&str> = stderr.lines().filter(|l| l.contains("warning")).collect();
        assert!(warnings.is_empty(), "{name}:\n{}", warnings.join("\n"));
    }
    let _ = std::fs::remove_dir_all(&scratch);
}
