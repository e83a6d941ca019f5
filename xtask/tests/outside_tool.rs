//! The client as a crate people depend on: a tool outside the workspace
//! (`tests/outside_tool/tool.rs`) depends on it through git, calls an endpoint outside
//! the client's slice through `Client::request` against a local server, and gets the
//! typed error of a `404`.
//!
//! The git repository is made from the working tree, not cloned from the checkout's
//! history, so uncommitted work is what is tested: the workspace manifest and lock and
//! the client's folder (what cargo reads of a git dependency that inherits from its
//! workspace), committed to a scratch repository that the tool names by a `file://` URL.
//!
//! The tool builds with `--offline`, from the workspace's `Cargo.lock`, in the target
//! directory the suites that build generated crates share. Cargo refuses to fetch any git
//! source in offline mode, even a local one; it reads one offline once the source is in
//! its git database. So a first, online `cargo fetch` fetches the scratch repository
//! through a package of it that has no dependencies (`seed`): nothing is asked of a
//! registry, and the build after it is offline. The fetch stays in cargo's git database,
//! as any git dependency's does, under the scratch repository's URL, which every run
//! reuses. Slow: only with `RUN_SLOW_TESTS`.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// What of the working tree the git dependency holds: what cargo reads of a package
/// that inherits from its workspace (the members it does not build may be missing).
const PUBLISHED: &[&str] = &["Cargo.toml", "Cargo.lock", "generated-client"];

/// Copies the file or folder `from` to `to`, leaving out build output.
fn copy(from: &Path, to: &Path) {
    if from.is_dir() {
        std::fs::create_dir_all(to).unwrap();
        for entry in std::fs::read_dir(from).unwrap() {
            let entry = entry.unwrap();
            if entry.file_name() != "target" {
                copy(&entry.path(), &to.join(entry.file_name()));
            }
        }
    } else {
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(from, to).unwrap();
    }
}

/// Runs `command`, asserting success; returns its standard output.
fn run(command: &mut Command) -> String {
    let out = command.output().unwrap_or_else(|e| panic!("{command:?}: {e}"));
    assert!(
        out.status.success(),
        "{command:?} failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A package manifest named `name` with `dependencies`, a workspace of its own.
fn manifest(name: &str, dependencies: &str) -> String {
    format!("[package]\nname = \"{name}\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n[dependencies]\n{dependencies}\n[workspace]\n")
}

fn cargo(dir: &Path, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO"));
    command
        .args(args)
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("generated-check"))
        .env_remove("RUSTFLAGS");
    command
}

#[test]
fn a_tool_depending_on_the_client_through_git_gets_a_typed_404_from_the_escape_hatch() {
    if common::skip_slow("building a tool outside the workspace that depends on the client through git") {
        return;
    }
    let scratch = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("outside-tool");
    let _ = std::fs::remove_dir_all(&scratch);

    // The working tree's client, committed to a repository of its own, with `seed`.
    let repo = scratch.join("repo");
    for entry in PUBLISHED {
        copy(&root().join(entry), &repo.join(entry));
    }
    std::fs::create_dir_all(repo.join("seed/src")).unwrap();
    std::fs::write(repo.join("seed/Cargo.toml"), manifest("seed", "")).unwrap();
    std::fs::write(repo.join("seed/src/lib.rs"), "").unwrap();
    let git = |args: &[&str]| {
        let mut command = Command::new("git");
        command
            .args([
                "-c",
                "user.name=outside-tool",
                "-c",
                "user.email=outside-tool@localhost",
                "-c",
                "commit.gpgsign=false",
            ])
            .args(args)
            .current_dir(&repo);
        run(&mut command)
    };
    git(&["init", "--quiet"]);
    git(&["add", "--all"]);
    git(&["commit", "--quiet", "--no-verify", "-m", "the working tree's client"]);
    let url = format!("file://{}", repo.display());

    // Into cargo's git database, without a registry.
    let seed = scratch.join("seed-fetch");
    std::fs::create_dir_all(seed.join("src")).unwrap();
    std::fs::write(seed.join("Cargo.toml"), manifest("seed-fetch", &format!("seed = {{ git = \"{url}\" }}\n")))
        .unwrap();
    std::fs::write(seed.join("src/lib.rs"), "").unwrap();
    run(&mut cargo(&seed, &["fetch", "--quiet"]));

    // The tool, offline, from the workspace's lock.
    let tool = scratch.join("tool");
    std::fs::create_dir_all(tool.join("src")).unwrap();
    let dependencies = format!(
        "workflow-runs-client = {{ git = \"{url}\" }}\nserde = {{ version = \"1\", features = [\"derive\"] }}\ntokio = {{ version = \"1\", features = [\"macros\", \"rt\"] }}\n"
    );
    std::fs::write(tool.join("Cargo.toml"), manifest("outside-tool", &dependencies)).unwrap();
    std::fs::copy(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/outside_tool/tool.rs"), tool.join("src/main.rs"))
        .unwrap();
    std::fs::copy(root().join("Cargo.lock"), tool.join("Cargo.lock")).unwrap();
    let printed = run(&mut cargo(&tool, &["run", "--offline", "--quiet"]));

    let lines: Vec<&str> = printed.lines().collect();
    assert_eq!(
        lines,
        [
            "request line: GET /repos/octo-org/a%2Fb HTTP/1.1",
            "authorized: true",
            r#"typed error: not found true, status Some(404), message "Not Found", request id Some("TOOL:1")"#,
        ],
        "{printed}"
    );
    let lock = std::fs::read_to_string(tool.join("Cargo.lock")).unwrap();
    assert!(lock.contains(&format!("source = \"git+{url}#")), "the client came from the git repository:\n{lock}");
    let _ = std::fs::remove_dir_all(&scratch);
}
