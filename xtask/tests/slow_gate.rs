//! The default `cargo test` builds no generated crate: every suite that runs a nested
//! `cargo` gates it behind `RUN_SLOW_TESTS`, and CI sets the variable, so everything is
//! still checked there.

use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The integration suites of the workspace's crates.
fn suites() -> Vec<PathBuf> {
    let mut files = Vec::new();
    for krate in ["generator", "xtask", "generated-client"] {
        for entry in std::fs::read_dir(root().join(krate).join("tests")).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

#[test]
fn every_suite_that_runs_cargo_gates_it() {
    let mut spawning = 0;
    for path in suites() {
        let text = std::fs::read_to_string(&path).unwrap();
        let runs_cargo = ["env!(\"CARGO\")", "var(\"CARGO\")"].iter().any(|p| text.contains(p));
        if runs_cargo {
            spawning += 1;
            assert!(text.contains("common::skip_slow("), "{} runs cargo without `common::skip_slow`", path.display());
        }
    }
    assert!(spawning >= 4, "the scan found {spawning} suites that run cargo; it no longer sees them");
}

#[test]
fn ci_runs_the_slow_suites_and_the_freshness_check_once() {
    let ci = std::fs::read_to_string(root().join(".ci/run")).unwrap();
    let set = ci.find("export RUN_SLOW_TESTS=1").expect(".ci/run sets RUN_SLOW_TESTS");
    let test = ci.find("\ncargo test --workspace\n").expect(".ci/run runs the test command");
    assert!(set < test, "RUN_SLOW_TESTS is set after the test command");
    // `cargo test` runs it as `generated_client_is_fresh`.
    assert!(!ci.contains("codegen --check\n"), ".ci/run runs the freshness check again");
}
