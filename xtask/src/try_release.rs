//! `cargo xtask try-release FILE`: the update loop rehearsed on a scratch copy of the
//! workspace, so the checkout is never touched.
//!
//! The copy's slice is cut from FILE (a full description or a slice), its client is
//! regenerated and the codegen report printed, then the README's test command,
//! `cargo test --workspace`, runs in the copy: the client's tests, examples and doctests,
//! and the generator's and xtask's suites, which read the copy's `spec/`. It is the
//! default run, as the README's command is without `RUN_SLOW_TESTS` (the variable is
//! cleared for it, and so is `UPDATE_SNAPSHOTS`, which would rewrite what the tests
//! compare): the suites that build generated crates with a nested cargo are skipped.
//! When FILE is itself a slice (it starts with `cargo xtask spec`'s header, as the
//! releases kept in `spec/releases/` do), the checks of `spec/` against the full
//! description and the kept release slices (`slice::upstream_tests`, the fleet slice's
//! freshness) are skipped too: with another slice as the client's input they fail by
//! construction. The client's suite about the checked-in fleet's releases
//! (`generated-client/tests/releases.rs`) names releases FILE need not hold, so it is
//! left out of every copy. A fleet slice (`cargo xtask spec --api-version`) becomes the
//! copy's `spec/workflow-runs.yaml` as it is; a release's slice or a full description is
//! cut again. A maintainer learns before updating `spec/` what a release changes and whether
//! the workspace's tests still pass with it; CI runs it on the fleet slice of the next
//! API version, so that nothing in the runtime or the tests leans on what one fleet says.

use anyhow::{bail, Context, Result};
use std::ffi::OsString;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

const USAGE: &str = "usage: cargo xtask try-release FILE

Regenerates a scratch copy of the workspace (try-release/ in the target directory:
CARGO_TARGET_DIR if set, else the checkout's target/) from FILE, a full description or
a slice (relative to the current folder), prints what the update would change, and runs
`cargo test --workspace` in it (the default run: RUN_SLOW_TESTS is cleared). The
checkout is not touched.";

/// Where the copy goes, below the target directory.
const SCRATCH: &str = "try-release";

/// What of the workspace `cargo test --workspace` needs: the workspace manifest, lock and
/// cargo configuration, every member (the client's README, its doctests, is in its
/// folder), `spec/` (codegen's inputs, and the descriptions the suites read: the full
/// one the slice names, the releases, the corpus), `.ci/` (a test reads its script) and
/// `CORPUS.md`.
const COPIED: &[&str] =
    &["Cargo.toml", "Cargo.lock", ".cargo", ".ci", "spec", "CORPUS.md", "generator", "xtask", "generated-client"];

/// The copy's client gets a package name of its own: it shares the workspace's target
/// directory, where two packages of one name can be taken for one another.
const PACKAGE: &str = "workflow-runs-client";
const COPY_PACKAGE: &str = "workflow-runs-client-try-release";

/// The variables cleared for the copy's tests: the README's command runs without them.
const CLEARED: &[&str] = &["RUN_SLOW_TESTS", "UPDATE_SNAPSHOTS"];

/// The client's suites about the releases of the checked-in fleet (they name its
/// `Release` variants, which a client of other releases does not have): left out of the
/// copy, whose client covers the releases FILE names. The rest of the client's suites
/// run on it.
const FLEET_SUITES: &[&str] = &["generated-client/tests/releases.rs"];

/// The tests that hold `spec/` to the full description the primary's slice was cut from
/// and to the kept release slices: a copy given another slice differs from both by design.
const NEED_FULL_DESCRIPTION: &[&str] = &["slice::upstream_tests::", "spec::tests::fresh::"];

/// The test that holds the client's README to the checked-in fleet (its releases,
/// operation count and API version): a slice, such as the next API version's fleet, may
/// cover other releases by design. A full description FILE keeps the fleet's releases, so
/// there it runs, and says what the README must say after the update.
const NAME_THE_FLEET: &[&str] = &["codegen::tests::the_readme_names_the_releases_and_operations_the_client_covers"];

pub fn run(args: &[String]) -> Result<()> {
    let [given] = args else { bail!("{USAGE}") };
    if given.starts_with('-') {
        bail!("{USAGE}");
    }
    let cwd = std::env::current_dir().context("reading the current folder")?;
    let from = cwd.join(given);
    // Read before anything else: a device, a FIFO or a huge file fails at once, by name.
    let text = crate::files::read_text(&from, crate::files::MAX_DESCRIPTION_BYTES)?;
    let from = from.to_str().context("the description's path is not UTF-8")?;
    let root = crate::root();
    let target = target_dir(std::env::var_os("CARGO_TARGET_DIR"), &cwd, &root);
    let scratch = target.join(SCRATCH);
    crate::files::remove_folder(&scratch)?;
    for entry in COPIED {
        crate::files::copy_tree(&root.join(entry), &scratch.join(entry))
            .with_context(|| format!("copying {entry} to {}", scratch.display()))?;
    }
    let is_slice = text.starts_with(crate::slice::HEADER_START);
    let is_fleet = crate::slice::provenance(&text).is_some_and(|p| p.release.is_none() && p.source.is_none());
    if is_fleet {
        // A fleet slice (`cargo xtask spec --api-version`) is the client's input as it is:
        // cutting it again would drop the fleet's annotations.
        println!("{}", crate::spec::write_if_changed(&scratch, crate::spec::SLICE, &text, "a fleet slice")?);
    } else {
        println!("{}", crate::spec::slice_text(&scratch, &text, from, crate::spec::SLICE)?);
    }
    let outcome =
        crate::codegen::codegen(&scratch, crate::codegen::Mode::Write).context("regenerating the copy's client")?;
    print!("{}", outcome.report(&scratch));
    rename_package(&scratch.join("generated-client/Cargo.toml"))?;
    for suite in FLEET_SUITES {
        crate::files::remove_file(&scratch, suite)?;
        println!("left out of the copy: {suite} (it names the checked-in fleet's releases)");
    }

    let mut command = Command::new(env!("CARGO"));
    command
        .args(["test", "--workspace", "--manifest-path"])
        .arg(scratch.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", &target);
    for name in CLEARED {
        command.env_remove(name);
    }
    if is_slice {
        println!(
            "{given} is a slice: the checks of spec/ against the full description and the kept slices are skipped"
        );
        command.arg("--");
        for skipped in NEED_FULL_DESCRIPTION.iter().chain(NAME_THE_FLEET) {
            command.args(["--skip", skipped]);
        }
    }
    let status = command.status().context("running cargo test --workspace")?;
    if !status.success() {
        bail!(
            "`cargo test --workspace` fails on the workspace regenerated from {given} (the copy is in {})",
            scratch.display()
        );
    }
    println!("`cargo test --workspace` passes on the workspace regenerated from {given}");
    Ok(())
}

/// The target directory cargo builds into: `CARGO_TARGET_DIR` (`env`) if set, relative
/// to the current folder `cwd` as cargo takes it, else the workspace's `target/`.
fn target_dir(env: Option<OsString>, cwd: &Path, root: &Path) -> PathBuf {
    match env {
        Some(dir) => cwd.join(dir),
        None => root.join("target"),
    }
}

/// Renames the copy's package, and its dependency on itself (for its mocks), keeping the
/// library name the tests use.
fn rename_package(manifest: &Path) -> Result<()> {
    let text = fs::read_to_string(manifest).with_context(|| format!("reading {}", manifest.display()))?;
    let (name, dependency) = (format!("name = \"{PACKAGE}\"\n"), format!("\n{PACKAGE} = {{ path = \".\""));
    if text.matches(&name).count() != 1 || text.matches(&dependency).count() != 1 {
        bail!(
            "{} no longer has one `{name}` and one dependency on itself; update xtask's try_release",
            manifest.display()
        );
    }
    let text = text.replacen(&name, &format!("name = \"{COPY_PACKAGE}\"\n"), 1).replacen(
        &dependency,
        &format!("\n{COPY_PACKAGE} = {{ path = \".\""),
        1,
    );
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
        // In try-release's own copy the client's manifest is renamed already: read it as
        // the checkout has it.
        let checked_in = fs::read_to_string(crate::root().join("generated-client/Cargo.toml"))
            .unwrap()
            .replace(COPY_PACKAGE, PACKAGE);
        fs::write(&manifest, checked_in).unwrap();
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

    #[test]
    fn the_copy_goes_to_the_target_directory_cargo_uses() {
        let (cwd, root) = (Path::new("/home/me/work/sub"), Path::new("/checkout"));
        assert_eq!(target_dir(None, cwd, root), Path::new("/checkout/target"));
        assert_eq!(target_dir(Some("build".into()), cwd, root), Path::new("/home/me/work/sub/build"));
        assert_eq!(target_dir(Some("/tmp/shared".into()), cwd, root), Path::new("/tmp/shared"));
    }

    /// FILE is read from the current folder, and only if it is a regular file: a device
    /// or a FIFO fails at once, before the copy is made.
    #[cfg(unix)]
    #[test]
    fn the_description_is_read_from_the_current_folder_and_only_if_a_file() {
        let run = |file: &str| format!("{:#}", super::run(&[file.to_owned()]).unwrap_err());
        let error = run("/dev/zero");
        assert!(error.contains("/dev/zero is not a regular file (a device)"), "{error}");
        let dir = std::env::temp_dir().join(format!("xtask-try-release-fifo-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        let fifo = dir.join("release.yaml");
        let name = std::ffi::CString::new(fifo.as_os_str().as_encoded_bytes()).unwrap();
        assert_eq!(unsafe { libc::mkfifo(name.as_ptr(), 0o600) }, 0);
        let error = run(fifo.to_str().unwrap());
        assert!(error.contains("is not a regular file (a FIFO)"), "{error}");
        fs::remove_dir_all(&dir).unwrap();

        // A relative FILE is found in the current folder, not in the checkout's root: the
        // file below exists only there, so the error says the current folder's path.
        let cwd = std::env::current_dir().unwrap();
        assert_ne!(cwd, crate::root(), "cargo runs a crate's tests in the crate's folder");
        let error = run("../README.md.nope");
        assert!(error.contains(&cwd.join("../README.md.nope").display().to_string()), "{error}");
    }
}
