//! `cargo xtask try-release FILE`: the update loop rehearsed on a scratch copy of the
//! workspace, so the checkout is never touched.
//!
//! The copy's slice is cut from FILE (a full description or a slice), its client is
//! regenerated and the codegen report printed, then the client's own tests, examples and
//! doctests run against it. A maintainer learns before updating `spec/` what a release
//! changes and whether the client still works with it; CI runs it on another release's
//! slice, so that nothing in the runtime or the tests leans on what one release says.

use anyhow::{bail, Context, Result};
use std::fs;
use std::path::Path;
use std::process::Command;

const USAGE: &str = "usage: cargo xtask try-release FILE

Regenerates a scratch copy of the client (target/try-release/) from FILE, a full
description or a slice, prints what the update would change, and runs the client's
tests on it. The checkout is not touched.";

/// Where the copy goes, below the workspace root.
const SCRATCH: &str = "target/try-release";

/// What of the workspace the client's build and tests need: the workspace manifest and
/// lock, every member (cargo loads them all), the README (the crate's doctests) and the
/// inputs of codegen.
const COPIED: &[&str] = &["Cargo.toml", "Cargo.lock", "README.md", crate::spec::SLICE, "spec/overrides.yaml", "generator", "xtask", "generated-client"];

/// The copy's client gets a package name of its own: it shares the workspace's target
/// directory, where two packages of one name can be taken for one another.
const PACKAGE: &str = "workflow-runs-client";
const COPY_PACKAGE: &str = "workflow-runs-client-try-release";

pub fn run(args: &[String]) -> Result<()> {
    let [from] = args else { bail!("{USAGE}") };
    if from.starts_with('-') {
        bail!("{USAGE}");
    }
    let root = crate::root();
    let scratch = root.join(SCRATCH);
    if scratch.exists() {
        fs::remove_dir_all(&scratch).with_context(|| format!("removing {SCRATCH}"))?;
    }
    for entry in COPIED {
        crate::files::copy_tree(&root.join(entry), &scratch.join(entry)).with_context(|| format!("copying {entry} to {SCRATCH}"))?;
    }
    let given = from;
    let from = std::path::absolute(root.join(given)).with_context(|| format!("cannot resolve {given}"))?;
    let from = from.to_str().context("the description's path is not UTF-8")?;
    println!("{}", crate::spec::slice_file(&scratch, from, "workflow-runs", crate::spec::SLICE)?);
    let outcome = crate::codegen::codegen(&scratch, crate::codegen::Mode::Write).context("regenerating the copy's client")?;
    print!("{}", outcome.report(&scratch));
    rename_package(&scratch.join("generated-client/Cargo.toml"))?;

    let status = Command::new(env!("CARGO"))
        .args(["test", "--manifest-path"])
        .arg(scratch.join("generated-client/Cargo.toml"))
        .env("CARGO_TARGET_DIR", root.join("target"))
        .status()
        .context("running cargo test")?;
    if !status.success() {
        bail!("the client's tests fail on the client generated from {given} (the copy is in {SCRATCH})");
    }
    println!("the client's tests pass on the client generated from {given}");
    Ok(())
}

/// Renames the copy's package, and its dependency on itself (for its mocks), keeping the
/// library name the tests use.
fn rename_package(manifest: &Path) -> Result<()> {
    let text = fs::read_to_string(manifest).with_context(|| format!("reading {}", manifest.display()))?;
    let (name, dependency) = (format!("name = \"{PACKAGE}\"\n"), format!("\n{PACKAGE} = {{ path = \".\""));
    if text.matches(&name).count() != 1 || text.matches(&dependency).count() != 1 {
        bail!("{} no longer has one `{name}` and one dependency on itself; update xtask's try_release", manifest.display());
    }
    let text = text.replacen(&name, &format!("name = \"{COPY_PACKAGE}\"\n"), 1).replacen(&dependency, &format!("\n{COPY_PACKAGE} = {{ path = \".\""), 1);
    fs::write(manifest, text).with_context(|| format!("writing {}", manifest.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_copys_package_is_renamed_and_its_library_kept() {
        let dir = std::env::temp_dir().join(format!("xtask-try-release-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let manifest = dir.join("Cargo.toml");
        fs::copy(crate::root().join("generated-client/Cargo.toml"), &manifest).unwrap();
        rename_package(&manifest).unwrap();
        let text = fs::read_to_string(&manifest).unwrap();
        assert!(text.contains(&format!("name = \"{COPY_PACKAGE}\"\n")), "{text}");
        assert!(text.contains(&format!("\n{COPY_PACKAGE} = {{ path = \".\", features = [\"mock\"] }}")), "{text}");
        assert!(text.contains("[lib]\nname = \"workflow_runs_client\""), "the tests' crate name stays: {text}");
        assert!(!text.contains(&format!("\"{PACKAGE}\"")), "{text}");
        // A second rename finds nothing to rename: an error, not a silent no-op.
        assert!(rename_package(&manifest).is_err());
        fs::remove_dir_all(&dir).unwrap();
    }
}
