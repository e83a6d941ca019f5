//! `cargo xtask codegen [--check]`: regenerates `generated-client/` from `spec/`.
//!
//! It touches only the files it wrote, listed in `generated-client/.generated-files`
//! (checked in), and never through a symbolic link (`files`).

use anyhow::{bail, Context, Result};
use std::fs;
use std::path::Path;

/// The command every generated file names as its origin.
pub const COMMAND: &str = "cargo xtask codegen";
const SPEC: &str = "spec/workflow-runs.yaml";
const OVERRIDES: &str = "spec/overrides.yaml";
const CRATE_DIR: &str = "generated-client";
/// The library name of the checked-in client.
pub const CRATE_NAME: &str = "workflow_runs_client";
/// The crate's release notes, one `## VERSION` entry per release (`xtask/README.md`).
const CHANGELOG: &str = "CHANGELOG.md";
/// The summary of the public API, compared before it is rewritten.
const API_FILE: &str = generator::PUBLIC_API_FILE;
/// The wire summary, compared before it is rewritten.
const WIRE_FILE: &str = generator::WIRE_API_FILE;
/// Folders owned by the generator: files there that it no longer writes are removed.
const OWNED_DIRS: &[&str] = &["src/generated"];

pub use crate::files::Mode;

pub fn run(args: &[String]) -> Result<()> {
    let mode = match args {
        [] => Mode::Write,
        [flag] if flag == "--check" => Mode::Check,
        _ => bail!("usage: cargo xtask codegen [--check]"),
    };
    let root = crate::root();
    let outcome = codegen(&root, mode)?;
    if !outcome.foreign.is_empty() {
        eprintln!("note: {}", outcome.foreign_note());
    }
    if outcome.changed.is_empty() {
        println!("generated-client is up to date");
        return Ok(());
    }
    print!("{}", outcome.report(&root));
    for path in &outcome.changed {
        println!("updated {path}");
    }
    print!("{}", outcome.changelog_draft(&root));
    Ok(())
}

/// What a run of codegen changed, and what that means for the crate's users.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Paths (relative to the root) whose bytes changed or that were removed.
    pub changed: Vec<String>,
    /// Changes of the public API and of the wire (from the old `public-api.txt` and
    /// `wire-api.txt` to the new), in report order.
    pub api: Vec<generator::public_api::Change>,
    /// Doc comment lines that changed in the generated sources.
    pub doc_lines: usize,
    /// Other generated lines that changed without changing the public API (a new
    /// generator rule, a changed wire name...).
    pub code_lines: usize,
    /// Whether there was a previous `public-api.txt` to compare with.
    pub had_summary: bool,
    /// Files (relative to the root) in the generated folders that codegen did not write:
    /// it leaves them alone, and check mode fails on them.
    pub foreign: Vec<String>,
}

impl Outcome {
    /// The change report: one line per change marked breaking, behavior or additive,
    /// grouped per operation or type, the doc and internal changes in one line each, and
    /// the version bump they imply.
    pub fn report(&self, root: &Path) -> String {
        use generator::public_api::Bump;
        let mut out = String::new();
        let report = generator::diff::Report { changes: self.api.clone() };
        if !self.had_summary {
            out.push_str(&format!(
                "no previous {CRATE_DIR}/{API_FILE} to compare with: the API report starts with the next change\n"
            ));
        } else if self.api.is_empty() {
            out.push_str("public API and wire unchanged\n");
        } else {
            out.push_str(&format!("changes ({}):\n", report.counts()));
            out.push_str(&report.render(generator::diff::Format::Text));
        }
        out.push_str(&format!(
            "generated sources: {} doc line(s) and {} code line(s) changed\n",
            self.doc_lines, self.code_lines
        ));
        let bump = Bump::of(&self.api, self.doc_lines + self.code_lines);
        let version = crate_version(root);
        let next = version.as_deref().and_then(|v| bump.apply(v));
        match (version, next) {
            (Some(version), Some(next)) if next != version => out.push_str(&format!(
                "semver: {}: bump {CRATE_DIR}/Cargo.toml from {version} to {next}\n",
                bump.describe()
            )),
            _ => out.push_str(&format!("semver: {}\n", bump.describe())),
        }
        out
    }

    /// A draft of the changelog entry for the version the report names: the API changes
    /// under `Breaking:` and `Added:`, and a line for changes of generated docs and code
    /// only. Empty when nothing generated changed. The maintainer rewrites it in words a
    /// user reads (what to change in their code, what they can now do).
    pub fn changelog_draft(&self, root: &Path) -> String {
        use generator::public_api::{Bump, Severity};
        let bump = Bump::of(&self.api, self.doc_lines + self.code_lines);
        if bump == Bump::None {
            return String::new();
        }
        let version = crate_version(root).and_then(|v| bump.apply(&v)).unwrap_or_else(|| "NEXT".to_owned());
        let mut out = format!("changelog entry (a draft for {CRATE_DIR}/{CHANGELOG}, to say what each change means for users):\n## {version}\n");
        let headings = [
            (Severity::Breaking, "Breaking"),
            (Severity::Behavior, "Behavior (compiles; requests or decoding may fail)"),
            (Severity::Additive, "Added"),
        ];
        for (severity, heading) in headings {
            let changes: Vec<_> = self.api.iter().filter(|c| c.severity == severity).collect();
            if !changes.is_empty() {
                out.push_str(&format!("\n{heading}:\n"));
            }
            for change in changes {
                let note = change.note.as_deref().map(|n| format!(" ({n})")).unwrap_or_default();
                out.push_str(&format!("- `{}`{note}\n", change.text));
            }
        }
        if self.doc_lines + self.code_lines > 0 {
            out.push_str(&format!(
                "\nChanged:\n- generated sources: {} doc line(s) and {} code line(s) beyond the API changes\n",
                self.doc_lines, self.code_lines
            ));
        }
        out
    }

    /// What to do about the [`Outcome::foreign`] files.
    pub fn foreign_note(&self) -> String {
        format!(
            "{} file(s) in the generated folders were not written by `{COMMAND}`, which removes only files it wrote; remove them by hand:\n  {}",
            self.foreign.len(),
            self.foreign.join("\n  ")
        )
    }
}

/// The `version` of the generated crate's manifest.
fn crate_version(root: &Path) -> Option<String> {
    let manifest = fs::read_to_string(root.join(CRATE_DIR).join("Cargo.toml")).ok()?;
    let line = manifest.lines().find(|l| l.trim_start().starts_with("version"))?;
    Some(line.split_once('=')?.1.trim().trim_matches('"').to_owned())
}

/// Regenerates the client under `root` and reports what changed; in check mode, fails if
/// anything would, with the report in the message.
pub fn codegen(root: &Path, mode: Mode) -> Result<Outcome> {
    let read = |rel: &str| crate::files::read_text(&root.join(rel), crate::files::MAX_DESCRIPTION_BYTES);
    let spec = read(SPEC)?;
    let overrides = read(OVERRIDES)?;
    let options = generator::Options { command: COMMAND.into(), crate_name: CRATE_NAME.into(), ..Default::default() };
    let output = generator::generate(&spec, &overrides, &options).with_context(|| format!("generating from {SPEC}"))?;
    for warning in &output.warnings {
        eprintln!("{warning}");
    }

    let crate_dir = root.join(CRATE_DIR);
    // Refuses links and files codegen did not write before anything is read or written.
    let plan = crate::files::plan(&crate_dir, &output.files, COMMAND, OWNED_DIRS)?;
    let mut outcome = Outcome::default();
    // Lines are compared across all generated files at once, so code that only moved to
    // another file (or a file that was split) does not count; new files count whole, and
    // so do the files that are no longer generated.
    let (mut old_lines, mut new_lines) = (String::new(), String::new());
    let (mut old_summaries, mut new_summaries) =
        (generator::diff::Summaries::default(), generator::diff::Summaries::default());
    for (rel, contents) in &output.files {
        let old = fs::read_to_string(crate_dir.join(rel)).ok();
        if rel == API_FILE || rel == WIRE_FILE {
            let (old_slot, new_slot) = match rel == API_FILE {
                true => (&mut old_summaries.public_api, &mut new_summaries.public_api),
                false => (&mut old_summaries.wire_api, &mut new_summaries.wire_api),
            };
            *old_slot = old.unwrap_or_default();
            new_slot.clone_from(contents);
            continue;
        }
        push_lines(&mut old_lines, old.as_deref().unwrap_or_default());
        push_lines(&mut new_lines, contents);
    }
    for rel in &plan.removed {
        push_lines(&mut old_lines, &fs::read_to_string(crate_dir.join(rel)).unwrap_or_default());
    }
    (outcome.doc_lines, outcome.code_lines) = generator::public_api::line_changes(&old_lines, &new_lines);
    // A summary that was not there before (the first run, or the first with a wire
    // summary) reports nothing: the report starts with the next change.
    outcome.had_summary = !old_summaries.public_api.is_empty();
    outcome.api = generator::diff::compare(&old_summaries, &new_summaries).changes;
    let (plan, changed) = crate::files::sync(&crate_dir, &output.files, COMMAND, OWNED_DIRS, mode)?;
    outcome.changed = changed.iter().map(|path| display(root, path)).collect();
    outcome.foreign = plan.foreign.iter().map(|rel| display(root, &crate_dir.join(rel))).collect();
    if mode == Mode::Check && !outcome.changed.is_empty() {
        bail!(
            "{} generated file(s) are stale:\n  {}\n{}run `{COMMAND}` and commit the result",
            outcome.changed.len(),
            outcome.changed.join("\n  "),
            outcome.report(root),
        );
    }
    if mode == Mode::Check && !outcome.foreign.is_empty() {
        bail!("{}", outcome.foreign_note());
    }
    Ok(outcome)
}

/// Appends the lines of `text` to `all`.
fn push_lines(all: &mut String, text: &str) {
    all.push_str(text);
    if !text.is_empty() && !text.ends_with('\n') {
        all.push('\n');
    }
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
        tempdir::Scratch::copy_of(
            &crate::root(),
            &[
                SPEC,
                OVERRIDES,
                &format!("{CRATE_DIR}/Cargo.toml"),
                &format!("{CRATE_DIR}/{}", crate::files::RECORD),
                &format!("{CRATE_DIR}/{API_FILE}"),
                &format!("{CRATE_DIR}/{WIRE_FILE}"),
                &format!("{CRATE_DIR}/src/generated"),
                &format!("{CRATE_DIR}/tests/spec_examples.rs"),
            ],
        )
    }

    #[test]
    fn check_fails_after_a_hand_edit_and_write_repairs_it() {
        let scratch = scratch_copy();
        let file = scratch.path().join(CRATE_DIR).join("src/generated/types.rs");
        let original = fs::read_to_string(&file).unwrap();
        fs::write(
            &file,
            original.replace("pub struct WorkflowRun {", "pub struct WorkflowRun {\n    pub edited: bool,"),
        )
        .unwrap();
        let error = codegen(scratch.path(), Mode::Check).unwrap_err().to_string();
        assert!(error.contains("generated-client/src/generated/types.rs"), "{error}");
        assert!(error.contains("run `cargo xtask codegen`"), "{error}");
        assert!(fs::read_to_string(&file).unwrap().contains("edited"), "check mode must not write");
        assert_eq!(codegen(scratch.path(), Mode::Write).unwrap().changed, ["generated-client/src/generated/types.rs"]);
        assert_eq!(fs::read_to_string(&file).unwrap(), original);
        assert!(codegen(scratch.path(), Mode::Check).unwrap().changed.is_empty());
    }

    /// Lists `rel` in the scratch copy's record, as if codegen had written it before.
    fn add_to_record(scratch: &tempdir::Scratch, rel: &str) {
        let record = scratch.path().join(CRATE_DIR).join(crate::files::RECORD);
        let text = fs::read_to_string(&record).unwrap();
        let (header, list) = text.split_once('\n').unwrap();
        let mut list: Vec<&str> = list.lines().chain([rel]).collect();
        list.sort();
        fs::write(&record, format!("{header}\n{}\n", list.join("\n"))).unwrap();
    }

    #[test]
    fn check_fails_after_a_spec_change_and_removes_files_no_longer_generated() {
        let scratch = scratch_copy();
        let spec = scratch.path().join(SPEC);
        let text = fs::read_to_string(&spec).unwrap();
        fs::write(&spec, text.replacen("The ID of the workflow run.", "The identifier of the workflow run.", 1))
            .unwrap();
        let stray = scratch.path().join(CRATE_DIR).join("src/generated/stray.rs");
        fs::write(&stray, "// @generated by `cargo xtask codegen`\n").unwrap();
        add_to_record(&scratch, "src/generated/stray.rs");
        let error = codegen(scratch.path(), Mode::Check).unwrap_err().to_string();
        assert!(
            error.contains("types.rs") && error.contains("stray.rs") && error.contains(crate::files::RECORD),
            "{error}"
        );
        codegen(scratch.path(), Mode::Write).unwrap();
        assert!(!stray.exists());
        assert!(fs::read_to_string(scratch.path().join(CRATE_DIR).join("src/generated/types.rs"))
            .unwrap()
            .contains("The identifier of the workflow run."));
        assert!(codegen(scratch.path(), Mode::Check).unwrap().changed.is_empty());
    }

    /// A file in `src/generated/` that codegen did not write survives a run, and check
    /// mode names it; one where codegen writes stops it before anything changes.
    #[test]
    fn files_codegen_did_not_write_are_kept() {
        let scratch = scratch_copy();
        let generated = scratch.path().join(CRATE_DIR).join("src/generated");
        fs::write(generated.join("mine.rs"), "pub struct Mine;\n").unwrap();
        let outcome = codegen(scratch.path(), Mode::Write).unwrap();
        assert_eq!(outcome.foreign, ["generated-client/src/generated/mine.rs"]);
        assert!(generated.join("mine.rs").exists());
        let error = codegen(scratch.path(), Mode::Check).unwrap_err().to_string();
        assert!(
            error.contains("generated-client/src/generated/mine.rs") && error.contains("remove them by hand"),
            "{error}"
        );

        let record = scratch.path().join(CRATE_DIR).join(crate::files::RECORD);
        let text = fs::read_to_string(&record).unwrap();
        fs::write(&record, text.replace("src/generated/types.rs\n", "")).unwrap();
        fs::write(generated.join("types.rs"), "// mine\n").unwrap();
        let error = format!("{:#}", codegen(scratch.path(), Mode::Write).unwrap_err());
        assert!(
            error.contains(
                "generated-client/src/generated/types.rs exists and was not written by `cargo xtask codegen`"
            ),
            "{error}"
        );
        assert_eq!(fs::read_to_string(generated.join("types.rs")).unwrap(), "// mine\n");
    }

    /// A pull request can turn `src/generated` into a link: codegen refuses it in both
    /// modes, and the folder it points at keeps every file.
    #[cfg(unix)]
    #[test]
    fn a_linked_generated_folder_is_refused_and_its_target_untouched() {
        let scratch = scratch_copy();
        let generated = scratch.path().join(CRATE_DIR).join("src/generated");
        let target = scratch.path().join("elsewhere");
        crate::files::copy_tree(&generated, &target).unwrap();
        fs::write(target.join("precious.rs"), "mine\n").unwrap();
        fs::write(target.join("types.rs"), "// not the generated types\n").unwrap();
        fs::remove_dir_all(&generated).unwrap();
        std::os::unix::fs::symlink(&target, &generated).unwrap();
        let listing = |dir: &Path| {
            let mut files: Vec<(String, String)> = fs::read_dir(dir)
                .unwrap()
                .map(|e| e.unwrap().path())
                .filter(|p| p.is_file())
                .map(|p| (p.display().to_string(), fs::read_to_string(&p).unwrap()))
                .collect();
            files.sort();
            files
        };
        let before = listing(&target);
        for mode in [Mode::Check, Mode::Write] {
            let error = format!("{:#}", codegen(scratch.path(), mode).unwrap_err());
            assert!(error.contains(&format!("{} is a symbolic link", generated.display())), "{error}");
        }
        assert_eq!(listing(&target), before);
        assert!(fs::symlink_metadata(&generated).unwrap().file_type().is_symlink());
    }

    /// Lines are counted across files: code that moved to another file does not count,
    /// a file written anew counts whole, and so does one no longer generated.
    #[test]
    fn changed_lines_are_counted_across_files() {
        let scratch = scratch_copy();
        let generated = scratch.path().join(CRATE_DIR).join("src/generated");
        let (examples, actions) = (generated.join("mock/examples.rs"), generated.join("mock/actions.rs"));
        let examples_text = fs::read_to_string(&examples).unwrap();
        let whole = generator::public_api::line_changes("", &examples_text);
        assert!(whole.0 > 10 && whole.1 > 10, "{whole:?}");

        // Moved: the examples' lines, appended to another file, are back in their own.
        fs::remove_file(&examples).unwrap();
        let mut moved = fs::read_to_string(&actions).unwrap();
        moved.push_str(examples_text.split_once('\n').unwrap().1);
        fs::write(&actions, moved).unwrap();
        let outcome = codegen(scratch.path(), Mode::Write).unwrap();
        assert_eq!((outcome.doc_lines, outcome.code_lines), (0, 0), "{:?}", outcome.changed);
        assert_eq!(outcome.changed.len(), 2, "{:?}", outcome.changed);

        // New: a file that was missing counts whole.
        fs::remove_file(&examples).unwrap();
        let outcome = codegen(scratch.path(), Mode::Write).unwrap();
        assert_eq!((outcome.doc_lines, outcome.code_lines), whole);

        // Gone: files codegen wrote and no longer writes count whole.
        fs::write(generated.join("stray.rs"), "/// A stray.\npub struct Stray;\n").unwrap();
        fs::create_dir_all(generated.join("old/deeper")).unwrap();
        fs::write(generated.join("old/deeper/gone.rs"), "pub struct Gone;\npub struct AlsoGone;\n").unwrap();
        add_to_record(&scratch, "src/generated/stray.rs");
        add_to_record(&scratch, "src/generated/old/deeper/gone.rs");
        let outcome = codegen(scratch.path(), Mode::Check).unwrap_err().to_string();
        assert!(outcome.contains("generated sources: 1 doc line(s) and 3 code line(s) changed"), "{outcome}");
    }

    /// Whether `changelog` has an entry for `version`: a `## VERSION` heading, alone or
    /// followed by a space (`## 0.4.0 (2026-12-02)`).
    fn has_changelog_entry(changelog: &str, version: &str) -> bool {
        changelog
            .lines()
            .filter_map(|line| line.strip_prefix("## "))
            .any(|heading| heading.strip_prefix(version).is_some_and(|rest| rest.is_empty() || rest.starts_with(' ')))
    }

    /// Every version the manifest names has its entry in the changelog, so a release
    /// never goes out without saying what changed.
    #[test]
    fn the_changelog_has_an_entry_for_the_crate_version() {
        let root = crate::root();
        let version = crate_version(&root).expect("generated-client/Cargo.toml has a version");
        let changelog = fs::read_to_string(root.join(CRATE_DIR).join(CHANGELOG)).unwrap();
        assert!(
            has_changelog_entry(&changelog, &version),
            "{CRATE_DIR}/{CHANGELOG} has no `## {version}` entry: add one that says what the release changes for users (`cargo xtask codegen` prints a draft)"
        );
        assert!(has_changelog_entry("# Changes\n\n## 0.4.0\n", "0.4.0"));
        assert!(!has_changelog_entry("## 0.4.0\n", "0.4"), "a heading names a whole version");
        assert!(!has_changelog_entry("## 0.4.01 (later)\n- 0.4.0\n", "0.4.0"));
    }

    /// The crate's README names what the client covers as the generated client does: the
    /// number of operations, the releases in `spec/releases.yaml`'s order with the names the
    /// client gives them, and the API version. An update of `spec/` that changes any of them
    /// fails here until the README says so.
    #[test]
    fn the_readme_names_the_releases_and_operations_the_client_covers() {
        let root = crate::root();
        let summary = fs::read_to_string(root.join(CRATE_DIR).join(generator::PUBLIC_API_FILE)).unwrap();
        let readme = fs::read_to_string(root.join(CRATE_DIR).join("README.md")).unwrap();
        let operations = summary.lines().filter(|line| line.starts_with("operation ")).count();
        let names: std::collections::BTreeMap<&str, &str> = summary
            .lines()
            .filter_map(|line| line.strip_prefix("release ")?.split_once(": ")?.1.split_once(" = "))
            .collect();
        let releases = crate::releases::Releases::read(&root).unwrap();
        let listed: Vec<String> = releases
            .releases
            .iter()
            .map(|release| {
                format!("- {}", names.get(release.about.id.as_str()).unwrap_or(&"(missing from public-api.txt)"))
            })
            .collect();
        let marker = "a test keeps the two the same. -->\n";
        let start = readme.find(marker).expect("the README's list of releases follows its marker comment");
        let in_readme: Vec<&str> =
            readme[start + marker.len()..].lines().take_while(|line| line.starts_with("- ")).collect();
        assert_eq!(in_readme, listed, "{CRATE_DIR}/README.md's list of releases");
        let covers = format!("It covers all {operations} workflow-runs operations");
        assert!(readme.contains(&covers), "{CRATE_DIR}/README.md should say `{covers}`");
        let version = summary.lines().find_map(|line| line.strip_prefix("api-version: ")).unwrap();
        let asks = format!("REST API version `{version}`");
        assert!(readme.contains(&asks), "{CRATE_DIR}/README.md should say `{asks}`");
    }

    /// The update loop on two real releases, frozen in `spec/releases/` (the workflow-runs
    /// slices of two GitHub Enterprise Server releases): slice the older, generate, slice
    /// the newer, generate, and read the report; then go back, which breaks.
    #[test]
    fn updating_between_two_real_releases_reports_each_change() {
        const OLDER: &str = "spec/releases/ghes-3.15.workflow-runs.yaml";
        const NEWER: &str = "spec/releases/ghes-3.19.workflow-runs.yaml";
        let scratch = scratch_copy();
        let root = scratch.path();
        for release in [OLDER, NEWER] {
            let target = root.join(release);
            fs::create_dir_all(target.parent().unwrap()).unwrap();
            fs::copy(crate::root().join(release), target).unwrap();
        }
        let update = |release: &str| {
            let text = fs::read_to_string(root.join(release)).unwrap();
            crate::spec::slice_text(root, &text, release, SPEC).unwrap();
            codegen(root, Mode::Write).unwrap()
        };
        update(OLDER);

        let forward = update(NEWER);
        let lines: Vec<String> = forward.api.iter().map(ToString::to_string).collect();
        // Grouped per type or operation, the most severe group first; the wire lines
        // name the description's schemas, the public ones the Rust types.
        assert_eq!(
            lines,
            [
                "behavior  ~ schema minimal-repository .license.url type: string -> string, nullable  (the server may send null)",
                "additive  + schema minimal-repository .custom_properties: optional",
                "additive  + schema minimal-repository .has_pull_requests: optional",
                "additive  + schema minimal-repository .pull_request_creation_policy: optional",
                "additive  + field MinimalRepository.custom_properties: Option<serde_json::Value>",
                "additive  + field MinimalRepository.has_pull_requests: Option<bool>",
                "additive  + field MinimalRepository.pull_request_creation_policy: Option<MinimalRepositoryPullRequestCreationPolicy>",
                "additive  + type MinimalRepositoryPullRequestCreationPolicy: enum",
                "additive  + value MinimalRepositoryPullRequestCreationPolicy.All: \"all\"",
                "additive  + value MinimalRepositoryPullRequestCreationPolicy.CollaboratorsOnly: \"collaborators_only\"",
                "additive  + request POST /repos/{owner}/{repo}/actions/jobs/{job_id}/rerun application/json .enable_debugger: optional",
                "additive  + field ReRunJobForWorkflowRunRequest.enable_debugger: Option<bool>",
                "additive  + field SecurityAndAnalysis.code_security: Option<SecurityAndAnalysisCodeSecurity>",
                "additive  + field SecurityAndAnalysisCodeSecurity.status: Option<EnabledOrDisabled>",
                "additive  + type SecurityAndAnalysisCodeSecurity: struct",
                "additive  + setter actions.re_run_job_for_workflow_run.enable_debugger: bool",
                "additive  + schema security-and-analysis .code_security: optional",
                "additive  ~ schema workflow-run .check_suite_id type: integer -> integer int64",
                "additive  ~ schema workflow-run .id type: integer -> integer int64",
            ]
        );
        // The docs link to the new release's pages: counted, not listed.
        assert!(forward.doc_lines > 40, "{}", forward.doc_lines);
        let report = forward.report(root);
        assert!(report.contains("changes (0 breaking, 1 behavior, 18 additive):\nschema minimal-repository\n  behavior  ~ .license.url type"), "{report}");
        let version = crate_version(root).unwrap();
        let next = |bump: generator::public_api::Bump| bump.apply(&version).unwrap();
        let minor = format!(
            "semver: minor (additive): bump generated-client/Cargo.toml from {version} to {}\n",
            next(generator::public_api::Bump::Minor)
        );
        assert!(report.ends_with(&minor), "{report}");
        let draft = forward.changelog_draft(root);
        let heading = format!("## {}\n\nBehavior (compiles; requests or decoding may fail):\n- `~ schema minimal-repository .license.url type: string -> string, nullable` (the server may send null)\n\nAdded:\n", next(generator::public_api::Bump::Minor));
        assert!(draft.contains(&heading) && !draft.contains("Breaking:"), "{draft}");
        assert!(
            draft.contains("- `+ type SecurityAndAnalysisCodeSecurity: struct`\n")
                && draft.contains("- `+ field MinimalRepository.custom_properties: Option<serde_json::Value>`\n"),
            "{draft}"
        );
        assert!(has_changelog_entry(&draft, &next(generator::public_api::Bump::Minor)), "{draft}");

        let back = update(OLDER);
        let breaking: Vec<_> =
            back.api.iter().filter(|c| c.severity == generator::public_api::Severity::Breaking).collect();
        assert_eq!(breaking.len(), 11);
        assert!(breaking.iter().all(|c| c.text.starts_with("- ")));
        // The request field the older release lacks: the server no longer documents it.
        assert!(back.api.iter().any(|c| c.severity == generator::public_api::Severity::Behavior
            && c.text.ends_with(".enable_debugger: optional")));
        let major = format!(
            "semver: major (breaking): bump generated-client/Cargo.toml from {version} to {}\n",
            next(generator::public_api::Bump::Major)
        );
        assert!(back.report(root).ends_with(&major));
        let draft = back.changelog_draft(root);
        assert!(
            draft.contains("\nBreaking:\n- `- field MinimalRepository.custom_properties: Option<serde_json::Value>`\n"),
            "{draft}"
        );
    }

    #[test]
    fn output_is_byte_identical_across_runs() {
        let spec = fs::read_to_string(crate::root().join(SPEC)).unwrap();
        let overrides = fs::read_to_string(crate::root().join(OVERRIDES)).unwrap();
        let options =
            generator::Options { command: COMMAND.into(), crate_name: CRATE_NAME.into(), ..Default::default() };
        let first = generator::generate(&spec, &overrides, &options).unwrap();
        let second = generator::generate(&spec, &overrides, &options).unwrap();
        assert_eq!(first, second);
        let says_how = |path: &str, text: &str| match path.ends_with(".json") {
            // JSON has no comments: its first key says it.
            true => text.starts_with("{\n  \"//\": \"@generated by `cargo xtask codegen`"),
            false => {
                text.starts_with("// @generated by `cargo xtask codegen`")
                    || text.starts_with("# @generated by `cargo xtask codegen`")
            }
        };
        assert!(first.files.iter().all(|(path, text)| says_how(path, text)));
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
                    crate::files::copy_tree(&root.join(entry), &dir.join(entry)).unwrap();
                }
                Scratch(dir)
            }

            pub fn path(&self) -> &Path {
                &self.0
            }
        }

        impl Drop for Scratch {
            fn drop(&mut self) {
                let _ = std::fs::remove_dir_all(&self.0);
            }
        }
    }
}
