//! `cargo xtask codegen [--check]`.

use anyhow::{bail, Context, Result};
use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

/// The command every generated file names as its origin.
pub const COMMAND: &str = "cargo xtask codegen";
const SPEC: &str = "spec/workflow-runs.yaml";
const OVERRIDES: &str = "spec/overrides.yaml";
const CRATE_DIR: &str = "generated-client";
const CRATE_NAME: &str = "workflow_runs_client";
/// Folders owned by the generator: files there that it no longer writes are removed.
const OWNED_DIRS: &[&str] = &["src/generated"];

/// Whether to write the files or only compare them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Write files whose bytes changed, delete the ones no longer generated.
    Write,
    /// Change nothing; fail when anything would change.
    Check,
}

pub fn run(args: &[String]) -> Result<()> {
    let mode = match args {
        [] => Mode::Write,
        [flag] if flag == "--check" => Mode::Check,
        _ => bail!("usage: cargo xtask codegen [--check]"),
    };
    let changed = codegen(&crate::root(), mode)?;
    match mode {
        Mode::Write if changed.is_empty() => println!("generated-client is up to date"),
        Mode::Write => {
            for path in &changed {
                println!("updated {path}");
            }
        }
        Mode::Check => println!("generated-client is up to date"),
    }
    Ok(())
}

/// Regenerates the client under `root`; returns the paths (relative to `root`) that
/// changed, or in check mode fails if any would.
pub fn codegen(root: &Path, mode: Mode) -> Result<Vec<String>> {
    let read = |rel: &str| fs::read_to_string(root.join(rel)).with_context(|| format!("reading {rel}"));
    let spec = read(SPEC)?;
    let overrides = read(OVERRIDES)?;
    let options = generator::Options { command: COMMAND.into(), crate_name: CRATE_NAME.into(), ..Default::default() };
    let output = generator::generate(&spec, &overrides, &options).with_context(|| format!("generating from {SPEC}"))?;
    for warning in &output.warnings {
        eprintln!("{warning}");
    }

    let crate_dir = root.join(CRATE_DIR);
    let mut changed = Vec::new();
    for (rel, contents) in &output.files {
        let path = crate_dir.join(rel);
        if ensure_file_contents(&path, contents, mode)? {
            changed.push(format!("{CRATE_DIR}/{rel}"));
        }
    }
    let wanted: BTreeSet<PathBuf> = output.files.keys().map(|rel| crate_dir.join(rel)).collect();
    for dir in OWNED_DIRS {
        let dir = crate_dir.join(dir);
        let Ok(entries) = fs::read_dir(&dir) else { continue };
        let mut extra: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).filter(|p| !wanted.contains(p)).collect();
        extra.sort();
        for path in extra {
            if mode == Mode::Write {
                fs::remove_file(&path).with_context(|| format!("removing {}", path.display()))?;
            }
            changed.push(display(root, &path));
        }
    }
    if mode == Mode::Check && !changed.is_empty() {
        bail!(
            "{} generated file(s) are stale:\n  {}\nrun `{COMMAND}` and commit the result",
            changed.len(),
            changed.join("\n  ")
        );
    }
    Ok(changed)
}

/// Writes `contents` to `path` only if its bytes differ; in check mode writes nothing.
/// Returns whether the file differs.
fn ensure_file_contents(path: &Path, contents: &str, mode: Mode) -> Result<bool> {
    if fs::read(path).is_ok_and(|old| old == contents.as_bytes()) {
        return Ok(false);
    }
    if mode == Mode::Write {
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
        }
        fs::write(path, contents).with_context(|| format!("writing {}", path.display()))?;
    }
    Ok(true)
}

fn display(root: &Path, path: &Path) -> String {
    path.strip_prefix(root).unwrap_or(path).display().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `cargo test` alone catches a checked-in client that no longer matches `spec/`.
    #[test]
    fn generated_client_is_fresh() {
        if let Err(error) = codegen(&crate::root(), Mode::Check) {
            panic!("{error:#}");
        }
    }

    fn scratch_copy() -> tempdir::Scratch {
        tempdir::Scratch::copy_of(&crate::root(), &[SPEC, OVERRIDES, &format!("{CRATE_DIR}/src/generated"), &format!("{CRATE_DIR}/tests/spec_examples.rs")])
    }

    #[test]
    fn check_fails_after_a_hand_edit_and_write_repairs_it() {
        let scratch = scratch_copy();
        let file = scratch.path().join(CRATE_DIR).join("src/generated/types.rs");
        let original = fs::read_to_string(&file).unwrap();
        fs::write(&file, original.replace("pub struct WorkflowRun {", "pub struct WorkflowRun {\n    pub edited: bool,")).unwrap();
        let error = codegen(scratch.path(), Mode::Check).unwrap_err().to_string();
        assert!(error.contains("generated-client/src/generated/types.rs"), "{error}");
        assert!(error.contains("run `cargo xtask codegen`"), "{error}");
        assert!(fs::read_to_string(&file).unwrap().contains("edited"), "check mode must not write");
        assert_eq!(codegen(scratch.path(), Mode::Write).unwrap(), ["generated-client/src/generated/types.rs"]);
        assert_eq!(fs::read_to_string(&file).unwrap(), original);
        assert!(codegen(scratch.path(), Mode::Check).unwrap().is_empty());
    }

    #[test]
    fn check_fails_after_a_spec_change_and_removes_stray_files() {
        let scratch = scratch_copy();
        let spec = scratch.path().join(SPEC);
        let text = fs::read_to_string(&spec).unwrap();
        fs::write(&spec, text.replacen("The ID of the workflow run.", "The identifier of the workflow run.", 1)).unwrap();
        let stray = scratch.path().join(CRATE_DIR).join("src/generated/stray.rs");
        fs::write(&stray, "// left behind\n").unwrap();
        let error = codegen(scratch.path(), Mode::Check).unwrap_err().to_string();
        assert!(error.contains("types.rs") && error.contains("stray.rs"), "{error}");
        codegen(scratch.path(), Mode::Write).unwrap();
        assert!(!stray.exists());
        assert!(fs::read_to_string(scratch.path().join(CRATE_DIR).join("src/generated/types.rs")).unwrap().contains("The identifier of the workflow run."));
    }

    #[test]
    fn output_is_byte_identical_across_runs() {
        let spec = fs::read_to_string(crate::root().join(SPEC)).unwrap();
        let overrides = fs::read_to_string(crate::root().join(OVERRIDES)).unwrap();
        let options = generator::Options { command: COMMAND.into(), crate_name: CRATE_NAME.into(), ..Default::default() };
        let first = generator::generate(&spec, &overrides, &options).unwrap();
        let second = generator::generate(&spec, &overrides, &options).unwrap();
        assert_eq!(first, second);
        assert!(first.files.values().all(|f| f.starts_with("// @generated by `cargo xtask codegen`")));
    }

    /// A throwaway copy of part of the workspace.
    mod tempdir {
        use std::path::{Path, PathBuf};

        pub struct Scratch(PathBuf);

        impl Scratch {
            pub fn copy_of(root: &Path, entries: &[&str]) -> Scratch {
                static COUNTER: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
                let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                let dir = std::env::temp_dir().join(format!("xtask-codegen-{}-{n}", std::process::id()));
                let _ = std::fs::remove_dir_all(&dir);
                for entry in entries {
                    copy(&root.join(entry), &dir.join(entry));
                }
                Scratch(dir)
            }

            pub fn path(&self) -> &Path {
                &self.0
            }
        }

        fn copy(from: &Path, to: &Path) {
            if from.is_dir() {
                for entry in std::fs::read_dir(from).unwrap() {
                    let entry = entry.unwrap();
                    copy(&entry.path(), &to.join(entry.file_name()));
                }
            } else {
                std::fs::create_dir_all(to.parent().unwrap()).unwrap();
                std::fs::copy(from, to).unwrap();
            }
        }

        impl Drop for Scratch {
            fn drop(&mut self) {
                let _ = std::fs::remove_dir_all(&self.0);
            }
        }
    }
}
