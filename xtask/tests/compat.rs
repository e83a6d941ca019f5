//! Additive changes never break consumers; breaking ones are reported as breaking.
//!
//! `tests/compat/consumer.rs` is code written against the crate generated from `v1.yaml`.
//! It must keep compiling, unchanged, against the crate generated from `v2-additive.yaml`
//! (new optional fields, parameters, enum values, an operation, a documented success with
//! the same body and a documented error, a field every response now has), and the change
//! report must call every one of those changes additive. Against `v3-breaking.yaml` (a field removed) it must stop compiling,
//! and the report must have said so.
//!
//! The crates are type-checked with `cargo check --offline` in the target directory every
//! suite that checks generated crates shares (`generated-check` under cargo's test scratch
//! directory; a `cargo test` run cannot share its own): the client's dependencies are built
//! there once. The comparison runs in every `cargo test`; the type-checks are slow and run
//! only with `RUN_SLOW_TESTS` (CI sets it).

mod common;

use generator::public_api::{compare, Bump, Severity};
use std::path::{Path, PathBuf};
use std::process::Command;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/compat");

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Generates the crate for one release with the consumer as its example; returns its
/// directory.
fn generate(release: &str) -> PathBuf {
    let out = root().join("target/compat").join(release);
    let name = format!("compat-{release}");
    let spec = Path::new(FIXTURES).join(format!("{release}.yaml"));
    let run = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["generate", "--spec", spec.to_str().unwrap(), "--out", out.to_str().unwrap(), "--name", &name])
        .output()
        .expect("xtask runs");
    assert!(run.status.success(), "generating {release}: {}", String::from_utf8_lossy(&run.stderr));
    let consumer = std::fs::read_to_string(Path::new(FIXTURES).join("consumer.rs")).unwrap();
    let example = format!("use {} as api;\n\n{consumer}", name.replace('-', "_"));
    std::fs::create_dir_all(out.join("examples")).unwrap();
    std::fs::write(out.join("examples/consumer.rs"), example).unwrap();
    std::fs::copy(root().join("Cargo.lock"), out.join("Cargo.lock")).unwrap();
    out
}

/// `cargo check` of the crate and its example: `Ok` or the compiler's messages.
fn check(dir: &Path) -> Result<(), String> {
    let out = Command::new(env!("CARGO"))
        .args(["check", "--offline", "--quiet", "--examples", "--manifest-path"])
        .arg(dir.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("generated-check"))
        .output()
        .expect("cargo runs");
    if out.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).into_owned())
    }
}

fn summary(dir: &Path) -> String {
    std::fs::read_to_string(dir.join(generator::PUBLIC_API_FILE)).unwrap()
}

#[test]
fn consumers_keep_compiling_through_additive_releases_and_breaking_ones_are_reported() {
    let (v1, v2, v3) = (generate("v1"), generate("v2-additive"), generate("v3-breaking"));

    let additive = compare(&summary(&v1), &summary(&v2));
    let lines: Vec<String> = additive.iter().map(ToString::to_string).collect();
    assert!(additive.iter().all(|c| c.severity == Severity::Additive), "{lines:#?}");
    for expected in [
        "+ field Thing.color: Option<String>",
        "+ field ThingRef.url: Option<String>",
        "+ setter things.create_thing.color: String",
        "+ setter things.list_things.sort: ListThingsSort",
        "+ value ThingStatus.Deleted: \"deleted\"",
        "+ operation things.delete_thing: DELETE /things/{id}",
    ] {
        assert!(lines.iter().any(|l| l.contains(expected)), "missing `{expected}` in {lines:#?}");
    }
    let revision = additive.iter().find(|c| c.text.contains("Thing.revision")).expect("the new required field");
    assert!(revision.note.as_deref().is_some_and(|n| n.contains("no longer decode")), "{revision}");
    assert_eq!(Bump::of(&additive, 0), Bump::Minor);

    let breaking = compare(&summary(&v1), &summary(&v3));
    let lines: Vec<String> = breaking.iter().map(ToString::to_string).collect();
    assert_eq!(lines, ["breaking  - field Thing.name: String (required)"]);
    assert_eq!(Bump::of(&breaking, 0), Bump::Major);

    if common::skip_slow("type-checking the consumer against each release") {
        return;
    }
    check(&v1).expect("the consumer compiles against the release it was written for");
    if let Err(errors) = check(&v2) {
        panic!("an additive release broke the consumer:\n{errors}");
    }
    let errors = check(&v3).expect_err("removing a field the consumer reads must break it");
    assert!(errors.contains("no field `name`"), "{errors}");
}
